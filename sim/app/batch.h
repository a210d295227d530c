/* batch.h -- what `dcsim batch` shares between its parts: the row one run
 * leaves in runs.sqlite, the database that keeps them, and the summary
 * read back from it.
 *
 * runs.sqlite (SQLite, WAL) holds:
 *   meta(key TEXT PRIMARY KEY, value TEXT)
 *       digest   what the rows were computed from (the sweep, the files it
 *                stands on, the plan); a resumed or merged batch must match
 *       name     the sweep's name
 *       kind     "sweep" or "explore"
 *       runs     how many runs the whole sweep has
 *       params   the swept parameters' column names, comma-separated
 *       figures  the figure columns, comma-separated
 *       rank_by  exploration: the figure the worst runs are ranked by
 *   runs(run INTEGER PRIMARY KEY, stage TEXT, seed INTEGER, point TEXT,
 *        <one column per parameter>, faults TEXT, status TEXT, reason TEXT,
 *        wall_s REAL, <one REAL column per figure>)
 *       run      the run's index in the sweep's enumeration (0-based)
 *       point    the parameter point as written: "ups=5m users=100M"
 *       param    the value as a number in the key's unit (seconds for
 *                durations, percent for percentages, per second for rates)
 *                when it is one, else the text
 *       faults   exploration: the drawn fault timeline, one line; else NULL
 *       status   "ok", "failed" (the run refused or stopped with an error),
 *                "crashed" (killed by a signal), "timeout" (past its bound)
 *       reason   why not ok; NULL when ok
 *       figures  NULL when not a number (a run that failed; a phase that
 *                never came)
 *   series(run INTEGER, t REAL, offered, succeeded, failed, p50, p99,
 *          lost_writes, PRIMARY KEY (run, t)) -- only with `series: true`
 * Each run's row (and its series) is committed in its own transaction. */
#ifndef BATCH_H
#define BATCH_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The figures of one run, as columns: the headline of summary.json, and
 * the phases of its worst incident (the longest RTO; unrecovered first). */
#define BATCH_FIGURES(X)                                                                                   \
    X(availability) X(nines) X(offered) X(succeeded) X(failed) X(retries) X(p50_s) X(p90_s) X(p99_s)      \
    X(p999_s) X(peak_p99_s) X(peak_availability) X(users_affected) X(users_share) X(promotions)          \
    X(lost_writes) X(rpo_s) X(at_risk_writes) X(stale_reads) X(conflicting_writes) X(seconds_below_slo) \
    X(cost) X(events_per_request) X(incidents) X(not_recovered) X(time_to_impact_s) X(detect_s)          \
    X(switch_s) X(rto_s) X(verdicts) X(verdicts_failed)
#define BATCH_FIGURE_ID(name) BATCH_##name,
enum { BATCH_FIGURES(BATCH_FIGURE_ID) BATCH_FIXED_FIGURES };
/* The fixed figures, then one "failed_<cause>" per failure cause. */
#define BATCH_MAX_FIGURES 64
/* Fills names (BATCH_MAX_FIGURES) with every figure column; returns how many. */
size_t batch_figure_names(const char **names);

/* What the database is told of the sweep when it is opened. */
typedef struct batch_schema {
    const char *digest;
    const char *name;
    const char *kind;           /* "sweep" or "explore" */
    int64_t runs;
    const char *const *params;  /* column names ([A-Za-z_][A-Za-z0-9_]*) */
    size_t n_params;
    const char *const *figures; /* batch_figure_names */
    size_t n_figures;
    const char *rank_by;        /* NULL unless exploring */
    int series;                 /* keep the per-interval series */
} batch_schema;

typedef struct batch_series_point {
    double t, offered, succeeded, failed, p50, p99, lost_writes;
} batch_series_point;

/* One run's row. */
typedef struct batch_result {
    int64_t run;
    const char *stage;
    uint64_t seed;
    const char *point;
    const char *const *param_text; /* n_params: as written */
    const double *param_value;     /* n_params: NAN when not a number (then the text is stored) */
    const char *faults;            /* NULL unless exploring */
    const char *status;
    const char *reason;            /* NULL when ok */
    double wall_s;
    const double *figures;         /* n_figures: NAN is stored as NULL */
    const batch_series_point *series;
    size_t n_series;
} batch_result;

/* ==== runs.sqlite (batch_db.c) ==== */

typedef struct batch_db batch_db;

/* Opens (creating it if need be) the database at path for the sweep s.
 * A database holding another sweep's runs (another digest) is refused
 * with why. 0, or -1 with err. */
int batch_db_open(const char *path, const batch_schema *s, batch_db **out, char *err, size_t err_size);
/* Marks done[run] = 1 for every run that has a row (done: n_runs bytes). */
int batch_db_done(batch_db *db, unsigned char *done, int64_t n_runs, char *err, size_t err_size);
/* Removes the rows of runs that did not end ok (and their series), so
 * they run again; *forgotten says how many. 0, or -1 with err. */
int batch_db_forget_failed(batch_db *db, int64_t *forgotten, char *err, size_t err_size);
/* Stores one run in its own transaction. A run already there is left as
 * it is. 0, or -1 with err. */
int batch_db_put(batch_db *db, const batch_result *r, char *err, size_t err_size);
void batch_db_close(batch_db *db);

/* Opens an existing database read-only; its meta values by key (NULL when
 * absent; valid until closed). */
batch_db *batch_db_open_existing(const char *path, char *err, size_t err_size);
const char *batch_db_meta(batch_db *db, const char *key);
/* The sqlite3 handle, for readers (summary, export). */
struct sqlite3 *batch_db_handle(batch_db *db);

/* Copies every row of each shard into `into` (created with the shards'
 * meta if absent). Shards of another sweep (digest) are refused; a run
 * present twice is kept once. Prints what it merged to `report`. */
int batch_db_merge(const char *into, const char *const *shards, size_t n, FILE *report, char *err,
                   size_t err_size);
/* Writes the runs table as CSV (RFC 4180, a header, rows by run; NULL as
 * an empty field). 0, or -1 with err. */
int batch_db_export_csv(const char *path, FILE *out, char *err, size_t err_size);
/* PRAGMA integrity_check: 0 when "ok", else -1 with the first problem. */
int batch_db_check(const char *path, char *err, size_t err_size);

/* ==== dcsim batch summary (batch_summary.c) ==== */

/* Per stage and parameter point: n, mean and 95% interval of
 * availability, RTO (with "k of n not recovered"), lost writes and p99,
 * printed to out; and a report in report_dir (summary.html, and a chart of
 * each measure against each swept parameter as charts/NAME.svg and .png),
 * unless report_dir is NULL. Returns an exit code. */
int batch_summary(const char *db_path, FILE *out, const char *report_dir);

#endif /* BATCH_H */
