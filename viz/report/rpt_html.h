/* rpt_html.h -- report.html, written to an open stream. */
#ifndef RPT_HTML_H
#define RPT_HTML_H
#include <stdio.h>

#include "rpt.h"
#include "rpt_charts.h"

int rpt_write_html(FILE *f, const rpt_input *in, const rpt_charts *charts);

#endif /* RPT_HTML_H */
