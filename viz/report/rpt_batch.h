/* rpt_batch.h -- the report of a batch (`dcsim batch summary`): the table
 * of groups (a stage at a parameter point) and charts of each measure
 * against each numeric swept parameter, with 95% intervals as error bars.
 * It sees plain data only: the caller (sim/app/batch_summary.c) reads the
 * database, computes the statistics and formats the table's cells, so the
 * terminal and the HTML print the same text. It borrows every array. */
#ifndef RPT_BATCH_H
#define RPT_BATCH_H
#include <stddef.h>

/* The measures charted, in the units charts show: availability in
 * percent, RTO in seconds, lost writes per run, p99 in milliseconds. */
enum { RPT_BATCH_AVAILABILITY, RPT_BATCH_RTO, RPT_BATCH_LOST_WRITES, RPT_BATCH_P99, RPT_BATCH_MEASURES };

/* The table's columns, in order; rpt_batch_columns names them. */
enum {
    RPT_BATCH_COL_STAGE, RPT_BATCH_COL_POINT, RPT_BATCH_COL_OK, RPT_BATCH_COL_FAILED,
    RPT_BATCH_COL_AVAILABILITY, RPT_BATCH_COL_RTO, RPT_BATCH_COL_UNRECOVERED,
    RPT_BATCH_COL_LOST_WRITES, RPT_BATCH_COL_P99, RPT_BATCH_COLUMNS
};
extern const char *const rpt_batch_columns[RPT_BATCH_COLUMNS];
#define RPT_BATCH_CELL 80

typedef struct rpt_batch_stat {
    double mean;                /* NaN: no run gave a value */
    double half;                /* half-width of the 95% interval; NaN when fewer than two values */
    size_t n;                   /* values averaged */
} rpt_batch_stat;

/* One stage at one parameter point: the runs of every seed there. */
typedef struct rpt_batch_group {
    const char *stage;
    int stage_index;            /* order of first appearance: its palette colour */
    const char *point;          /* "ups=5m users=100M" */
    const double *param;        /* n_params values; NaN where the value is text */
    const char *const *param_text; /* n_params: as written ("5m") */
    rpt_batch_stat m[RPT_BATCH_MEASURES];
    size_t ok;                  /* runs that completed */
    size_t not_recovered;       /* of them, runs with an incident never recovered (no RTO) */
    char cell[RPT_BATCH_COLUMNS][RPT_BATCH_CELL]; /* the table's row, as printed */
} rpt_batch_group;

typedef struct rpt_batch {
    const char *name;           /* the sweep's */
    const char *kind;           /* "sweep" or "explore" */
    const char *headline;       /* "ups-minutes: 60 of 60 runs (0 failed)" */
    const char *const *params;  /* the swept parameters' names */
    const char *const *param_units; /* n_params: "s", "%", "per second" or "" */
    size_t n_params;
    const rpt_batch_group *groups; /* in order of first appearance */
    size_t n_groups;
    const char *const *notes;   /* lines told under the table (failed runs) */
    size_t n_notes;
} rpt_batch;

/* Writes dir/summary.html (self-contained) and dir/charts/<measure>-vs-
 * <param>.svg and .png for each numeric parameter (or <measure>-by-point
 * when there is none), each file whole or not at all, and the same bytes
 * for the same input. 0, SIM_EIO (sim_io_error_path tells which) or
 * SIM_ENOMEM. */
int rpt_batch_write(const rpt_batch *b, const char *dir);

#endif /* RPT_BATCH_H */
