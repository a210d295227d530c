/* rpt_escape.h -- text into HTML and XML: the five characters that could
 * be read as markup, written as entities. */
#ifndef RPT_ESCAPE_H
#define RPT_ESCAPE_H
#include <stdio.h>

void rpt_escape(FILE *f, const char *text);

#endif /* RPT_ESCAPE_H */
