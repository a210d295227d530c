/* rpt_table.h -- the headline table, stages side by side: one row per
 * measure with its definition (DESIGN.md "What is measured"), each cell a
 * value (a mean and its 95% interval over replicates), the best cell of
 * each row marked; then one row per verdict. The HTML, the PDF and the
 * terminal all print this same table. */
#ifndef RPT_TABLE_H
#define RPT_TABLE_H
#include "rpt.h"

#define RPT_MAX_STAGES 8
#define RPT_MAX_ROWS 48

typedef struct rpt_row {
    char label[64];
    char definition[320];
    char cell[RPT_MAX_STAGES][112];
    int best[RPT_MAX_STAGES];   /* the best value of the row */
    int verdict;                /* a verdict row */
    int pass[RPT_MAX_STAGES];   /* verdict rows: 1 all passed, 0 some failed, -1 not judged */
} rpt_row;

/* Fills rows (at most RPT_MAX_ROWS); returns how many. */
int rpt_table(const rpt_input *in, rpt_row *rows);

/* A verdict metric's value with its unit: "98.9762%", "658 s", "44,000". */
void rpt_format_metric(int metric, double value, char *buf, size_t n);

#endif /* RPT_TABLE_H */
