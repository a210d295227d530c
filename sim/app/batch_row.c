/* batch_row.c -- the figure columns of runs.sqlite: fixed headline and
 * incident figures, then one per failure cause, named once here so the
 * database, the workers and the summary agree. */
#include <stdio.h>

#include "batch.h"
#include "mdl_kinds.h"

#define BATCH_FIGURE_NAME(name) #name,
static const char *const fixed_figures[BATCH_FIXED_FIGURES] = {BATCH_FIGURES(BATCH_FIGURE_NAME)};

size_t batch_figure_names(const char **names)
{
    static char causes[FAIL_COUNT][48];
    size_t n = 0;
    for (; n < BATCH_FIXED_FIGURES; n++)
        names[n] = fixed_figures[n];
    for (int c = 0; c < FAIL_COUNT && n < BATCH_MAX_FIGURES; c++) {
        snprintf(causes[c], sizeof causes[c], "failed_%s", mdl_failure_causes[c]);
        for (char *p = causes[c]; *p; p++)
            if (*p == '-')
                *p = '_';
        names[n++] = causes[c];
    }
    return n;
}
