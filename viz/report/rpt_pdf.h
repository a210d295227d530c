/* rpt_pdf.h -- report.pdf: the report's content on A4 landscape pages,
 * drawn by the same chart and topology code as the HTML. */
#ifndef RPT_PDF_H
#define RPT_PDF_H
#include <stdio.h>

#include "rpt.h"
#include "rpt_charts.h"

int rpt_write_pdf(FILE *f, const rpt_input *in, const rpt_charts *charts);

#endif /* RPT_PDF_H */
