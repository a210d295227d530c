/* batch_exec.h -- a sweep's runs executed: in this process (the text a
 * run leaves), or in worker processes that crash and time out alone. */
#ifndef BATCH_EXEC_H
#define BATCH_EXEC_H
#include <stdint.h>

#include "batch.h"
#include "mdl_sweep.h"

/* What every worker knows of the batch. */
typedef struct batch_plan {
    const mdl_sweep *sweep;
    double scale;
    double time_limit;          /* seconds of wall time a run may take */
    int series;
    size_t n_figures;           /* batch_figure_names */
} batch_plan;

/* Runs run r here; returns its results as text (malloc'd; NULL when out of
 * memory): "status\tok", "reason\t...", "faults\t...", "figure\tI\tV",
 * "series\t...", then "end". */
char *batch_run_here(const batch_plan *p, int64_t r);

/* A run's row, read back from that text. */
typedef struct batch_row {
    mdl_sweep_run run;
    const char *param_text[MDL_SWEEP_MAX_PARAMS];
    double param_value[MDL_SWEEP_MAX_PARAMS];
    double figures[BATCH_MAX_FIGURES];
    char status[16];
    char reason[640];
    char faults[16384];
    batch_series_point *series;
    size_t n_series;
    batch_result r;             /* points into the above */
} batch_row;
void batch_row_init(batch_row *row, const batch_plan *p, int64_t r);
void batch_row_parse(batch_row *row, const batch_plan *p, const char *text);
void batch_row_free(batch_row *row);

/* Up to `size` runs at once, each in its own process. */
typedef struct batch_pool batch_pool;
batch_pool *batch_pool_create(const batch_plan *p, int size);
/* Starts run r in a free slot: 0, or -1 (none free, or fork failed). */
int batch_pool_start(batch_pool *pool, int64_t r);
int batch_pool_busy(const batch_pool *pool);
/* Waits up to max_wait seconds for a run to end: 1 with its row filled
 * (free it with batch_row_free), 0 when none ended, -2 when a signal came,
 * -1 on error. A run past its time bound is killed and returned. */
int batch_pool_wait(batch_pool *pool, batch_row *row, double max_wait);
/* Kills what still runs. */
void batch_pool_destroy(batch_pool *pool);

/* An exploration's worst runs as scenarios in dir/worst/ (batch_worst.c).
 * Returns an exit code. */
int batch_write_worst(const mdl_sweep *s, const batch_plan *p, const char *db_path, const char *dir);

#endif /* BATCH_EXEC_H */
