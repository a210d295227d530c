/* mdl_world.h -- one stage of a scenario, running: built from a loaded
 * config at a scale, run on the engine, measured. What the program, the
 * report, the live view and the tests use; the layout is private
 * (world_int.h). */
#ifndef MDL_WORLD_H
#define MDL_WORLD_H
#include <stddef.h>
#include <stdint.h>

#include "mdl_config.h"
#include "sim_engine.h"

typedef struct mdl_run_options {
    double scale;               /* the fraction of users and resources; 0: 1 */
    uint64_t seed;
    int seed_set;               /* else the scenario's */
    sim_queue_kind queue;
    int record_series;          /* write timeseries.csv (else only the in-memory series) */
} mdl_run_options;

/* Simulated requests the scenario implies at a scale (first attempts). */
double mdl_scenario_requests(const mdl_config *cfg, double scale);

/* What one interval of the run looked like, for charts (real-world units). */
typedef struct mdl_series_point {
    double t;                   /* seconds since the measured part began (< 0: warm-up) */
    double offered, succeeded, failed;   /* requests per second */
    double p50, p99;            /* seconds; 0 when nothing succeeded */
    double retries;
    double lost_writes;         /* cumulative */
    double dc_served[16];       /* requests per second served in each datacenter */
} mdl_series_point;

typedef struct mdl_series {
    mdl_series_point *p;
    size_t n, cap;
} mdl_series;

typedef struct w_world mdl_world;

/* A row of events.csv. */
typedef struct w_event_row {
    sim_time t;                 /* run time */
    char kind[24];              /* fault, repair, detect, switch, promote, ... */
    char target[96];            /* what it concerned, as this stage resolved it */
    char text[224];             /* a sentence for the story of the run */
} w_event_row;
typedef void mdl_event_fn(const w_event_row *row, void *context);

/* Rows recorded so far. */
size_t mdl_world_events(const mdl_world *w);
const w_event_row *mdl_world_event(const mdl_world *w, size_t i);
/* Calls fn for every row as it is recorded (the live view's captions). */
void mdl_world_on_event(mdl_world *w, mdl_event_fn *fn, void *context);

/* Builds stage `stage_index` of the config (which must outlive the world).
 * Returns 0, SIM_EINPUT / SIM_ELIMIT with a message in err, or SIM_ENOMEM. */
int mdl_world_create(const mdl_config *cfg, size_t stage_index, const mdl_run_options *opt,
                     mdl_world **out, char *err, size_t err_size);
void mdl_world_destroy(mdl_world *w);

/* Runs until simulated time `until` (after the start) or the end of the
 * scenario; the progress hook, if any, is called about every 100k events
 * with the fraction done. Returns 0 when the end is reached, 1 when
 * stopped at `until` earlier, or a negative status. */
typedef void mdl_progress_fn(double fraction, void *context);
int mdl_world_run(mdl_world *w, sim_time until, mdl_progress_fn *progress, void *context);

/* Writes summary.json, timeseries.csv and meta.json into dir (created),
 * each atomically. wall_seconds and the argv go to meta.json only. */
int mdl_world_write(mdl_world *w, const char *dir, double wall_seconds, const char *command_line);

/* Queries. */
sim_engine *mdl_world_engine(mdl_world *w);
const mdl_series *mdl_world_series(const mdl_world *w);
double mdl_world_scale(const mdl_world *w);
/* The datacenters of the stage, in the order of mdl_series_point.dc_served. */
int mdl_world_datacenters(const mdl_world *w);
const char *mdl_world_datacenter(const mdl_world *w, int i);
uint64_t mdl_world_seed(const mdl_world *w);
sim_time mdl_world_end(const mdl_world *w);
/* Attempts simulated so far (first tries and retries, warm-up included). */
double mdl_world_attempts(const mdl_world *w);
/* Warnings from building (scale rounding), "" past the last. */
const char *mdl_world_warning(const mdl_world *w, int i);

/* The run's headline figures (real-world units). */
typedef struct mdl_headline {
    double offered, succeeded, failed;
    double availability;        /* succeeded / offered, 0..1 */
    double nines;
    double p50, p90, p99, p999; /* seconds, over the measured run */
    double peak_p50, peak_p99, peak_p999; /* over the busiest minute */
    double peak_served;         /* requests per second, the best interval */
    double users_affected, users_share;
    double retries;
    double by_cause[12];        /* failures by cause, see mdl_cause_names */
    double events_per_request;
    double cost;
    double lost_writes, rpo;    /* acknowledged writes lost; age of the oldest (s) */
    double at_risk_writes, stale_reads, conflicting_writes;
    double seconds_below_slo;
} mdl_headline;

extern const char *const mdl_cause_names[12];

/* An incident: faults overlapping before recovery (seconds from its start). */
typedef struct mdl_incident {
    sim_time start;             /* run time of its first fault */
    int recovered;              /* else: not recovered, > rto s */
    int broke_slo;
    double rto;                 /* seconds to recovery (or to the end) */
    double impact;              /* seconds from the fault to the SLO's first break; -1 never */
    double detect, switched;    /* seconds to the first detection / switch; -1 none */
    double failed, users;       /* real-world */
    double unit_share;          /* share of rzones with failures */
    double lost_writes, parked_writes, rpo;
} mdl_incident;

size_t mdl_world_incidents(const mdl_world *w);
void mdl_world_incident(const mdl_world *w, size_t i, mdl_incident *out);
double mdl_world_seconds_below_slo(const mdl_world *w);

/* A verdict of the scenario, judged on this run. */
typedef struct mdl_verdict {
    int metric;                 /* METRIC_... */
    int at_least;               /* else at most */
    double bound, value;        /* in the metric's unit (percent, count, seconds) */
    char bound_text[32];        /* as written */
    int unrecovered;            /* rto: an incident never recovered */
    int pass;
} mdl_verdict;
int mdl_world_verdicts(const mdl_world *w, mdl_verdict *out, int max);
void mdl_world_headline(const mdl_world *w, mdl_headline *h);

#endif /* MDL_WORLD_H */
