/* mdl_sweep.h -- a sweep file (`kind: sweep`): a base scenario, the key
 * paths to vary and their values (lists and ranges, crossed as a grid),
 * the stages or variants, and the seeds; every combination is one run.
 * Or, with `explore:`, runs that each draw a fault timeline at random from
 * a fault space, to be ranked by a measure. Loaded and checked like every
 * other file: each value of each key is loaded once against the scenario,
 * so a bad path or value is an error at the sweep's line before any run. */
#ifndef MDL_SWEEP_H
#define MDL_SWEEP_H
#include "mdl_config.h"

/* The measures an exploration ranks by, and the batch figure each is
 * (the worst is the highest, but for availability the lowest). */
#define MDL_RANK_MEASURES(X)                                                          \
    X(RANK_LOST_WRITES, "lost-writes", "lost_writes") X(RANK_RTO, "rto", "rto_s")         \
    X(RANK_USERS, "users-affected", "users_affected") X(RANK_AVAILABILITY, "availability", \
                                                          "availability")             \
    X(RANK_UNRECOVERED, "not-recovered", "not_recovered") X(RANK_VERDICTS, "verdicts-failed", "verdicts_failed") \
    X(RANK_P99, "p99", "p99_s") X(RANK_BELOW_SLO, "seconds-below-slo", "seconds_below_slo")
#define MDL_RANK_ID(id, name, column) id,
enum { MDL_RANK_MEASURES(MDL_RANK_ID) RANK_COUNT };
extern const char *const mdl_rank_names[RANK_COUNT + 1];
extern const char *const mdl_rank_columns[RANK_COUNT];

typedef struct swp_range {
    mdl_head head;
    const char *from, *to, *step; /* quantities of one kind: 5m, 200k/s, 99.9%, 3 */
    int64_t count;              /* instead of step: this many values, from and to included */
} swp_range;

typedef struct swp_param {
    mdl_head head;
    const char *key;            /* a key path, as in overrides */
    const char *name;           /* its column; default: the key's last word */
    const cfg_node *values;     /* a list */
    swp_range range;            /* or a range */
} swp_param;

typedef struct swp_explore {
    mdl_head head;
    int64_t runs;               /* timelines drawn, one per run and seed */
    int64_t faults_min, faults_max; /* faults in a timeline */
    mdl_names kinds;            /* fault kinds drawn from */
    mdl_names places;           /* datacenters struck (default: every one each stage uses) */
    sim_time from, to;          /* clock window of the faults' starts */
    sim_time shortest, longest; /* their durations */
    int rank_by;                /* RANK_... */
    int64_t worst;              /* runs written as scenario files */
} swp_explore;

typedef struct sweep {
    mdl_head head;
    int64_t dcsim;
    int kind;
    const char *name;
    const char *description;
    const char *scenario;       /* relative to the sweep's file */
    mdl_names stages;           /* stages or variants of the scenario (default: every one) */
    double scale;               /* 0: the scenario's, else the default */
    const cfg_node *set;        /* key path -> value, for every run */
    mdl_list parameters;        /* swp_param */
    const cfg_node *seeds;      /* a list of seeds */
    int64_t replicates;         /* or this many: the scenario's seed and the next ones */
    sim_time time_limit;        /* wall time a run may take before it is stopped */
    int series;                 /* keep each run's series in runs.sqlite */
    swp_explore explore;        /* optional: draw fault timelines instead of parameters */
} sweep;

extern const mdl_schema mdl_sweep_schema;

/* One value of a parameter. */
typedef struct mdl_sweep_value {
    const char *text;           /* as written, or as a range made it */
    double number;              /* in its kind's unit (seconds, percent, per second); NAN when text */
    const cfg_node *node;       /* the value, for the loader (a range's: made at the range's place) */
} mdl_sweep_value;

typedef struct mdl_sweep_param {
    const char *key;
    const char *name;
    const cfg_node *key_node;
    mdl_sweep_value *values;
    size_t n;
} mdl_sweep_param;

/* A sweep loaded, checked against its scenario, and expanded. */
typedef struct mdl_sweep {
    sim_arena arena;
    cfg_doc *doc;               /* the sweep file */
    const sweep *def;
    const char *path;
    const char *scenario_path;  /* resolved */
    mdl_setting *fixed;         /* `set:` */
    size_t n_fixed;
    mdl_sweep_param *params;
    size_t n_params;
    const char **stages;
    size_t n_stages;
    uint64_t *seeds;
    size_t n_seeds;
    double scale;               /* settled: --scale is the program's */
    int64_t runs;
    int exploring;
    /* Exploration's fault space, resolved against the scenario. */
    int *kinds;
    size_t n_kinds;
    const char **places;
    size_t n_places;
    const char **links;         /* pairs */
    size_t n_links;
    uint64_t digest;            /* the sweep, the files it stands on, its plan */
} mdl_sweep;

/* Loads and checks a sweep (errors in errs, as mdl_config_load). */
int mdl_sweep_load(const char *path, mdl_sweep **out, mdl_errors *errs);
void mdl_sweep_free(mdl_sweep *s);

/* What run r is: the stage, the seed, each parameter's value index, and
 * the point written out ("ups=5m peak=300k/s"). */
typedef struct mdl_sweep_run {
    int64_t run;
    const char *stage;
    uint64_t seed;
    size_t value[16];
    char point[512];
} mdl_sweep_run;
#define MDL_SWEEP_MAX_PARAMS 16
void mdl_sweep_describe(const mdl_sweep *s, int64_t r, mdl_sweep_run *out);

/* The config run r runs: the scenario with the sweep's settings, its one
 * stage (index 0), and for an exploration its drawn timeline (one line
 * in `faults`, which may be NULL). Free with mdl_sweep_job_free. */
typedef struct mdl_sweep_job {
    mdl_config *cfg;
    cfg_doc *drawn;             /* the exploration's faults, as YAML */
    char faults[16384];
} mdl_sweep_job;
int mdl_sweep_job_load(const mdl_sweep *s, int64_t r, mdl_sweep_job *job, mdl_errors *errs);
void mdl_sweep_job_free(mdl_sweep_job *job);

#endif /* MDL_SWEEP_H */
