/* mdl_results.h -- what a run's results hold, as plain data: the points of
 * its time series, the rows of events.csv, the headline figures, the
 * incidents and the verdicts. The measures fill them; the program, the
 * report and the window read them. No pointer into a running world. */
#ifndef MDL_RESULTS_H
#define MDL_RESULTS_H
#include <stddef.h>
#include <stdint.h>

#include "mdl_kinds.h"
#include "sim_time.h"

/* Warnings a run keeps from building it (scale rounding), and their length. */
#define MDL_MAX_WARNINGS 8
#define MDL_WARNING_LEN 256

/* Datacenters a series point keeps a figure for (the first of the geography). */
#define MDL_SERIES_DCS 16
/* Request types a series point keeps a figure for (the first of the scenario). */
#define MDL_SERIES_TYPES 8

/* What one interval of the run looked like, for charts (real-world units). */
typedef struct mdl_series_point {
    double t;                   /* seconds since the measured part began (< 0: warm-up) */
    double offered, succeeded, failed;   /* requests per second */
    double p50, p99;            /* seconds; 0 when nothing succeeded */
    double retries;
    double lost_writes;         /* cumulative */
    double dc_served[MDL_SERIES_DCS]; /* requests per second served in each datacenter */
    double by_cause[FAIL_COUNT];      /* failures per second by cause (FAIL_...) */
    double cross_dc_calls;            /* database calls per second that left their datacenter */
    double type_offered[MDL_SERIES_TYPES], type_succeeded[MDL_SERIES_TYPES]; /* per request type, per second */
} mdl_series_point;

typedef struct mdl_series {
    mdl_series_point *p;
    size_t n, cap;
} mdl_series;

/* A row of events.csv. */
typedef struct mdl_event_row {
    sim_time t;                 /* run time */
    int kind;                   /* EV_... (mdl_event_kinds[kind] is its name) */
    char target[96];            /* what it concerned, as this stage resolved it */
    char text[224];             /* a sentence for the story of the run */
} mdl_event_row;

/* The run's headline figures (real-world units). */
typedef struct mdl_headline {
    double offered, succeeded, failed;
    double availability;        /* succeeded / offered, 0..1 */
    double nines;
    double p50, p90, p99, p999; /* seconds, over the measured run */
    double peak_p50, peak_p99, peak_p999; /* of the successful requests born in the busiest minute */
    double peak_offered;        /* user requests per second born in the busiest minute */
    double peak_served;         /* of those, the ones that succeeded, per second (each once) */
    double peak_availability;   /* peak_served / peak_offered, 0..1 */
    double users_affected, users_share;
    double retries;
    double by_reason[CAUSE_COUNT]; /* failures by immediate reason, see mdl_cause_names */
    double by_cause[FAIL_COUNT]; /* failures by cause, see mdl_failure_causes */
    double events_per_request;
    double cost;
    double promotions;          /* replicas promoted: without any, lost writes and RPO do not apply */
    double lost_writes, rpo;    /* acknowledged writes lost; age of the oldest (s) */
    double at_risk_writes, stale_reads, conflicting_writes;
    double seconds_below_slo;
} mdl_headline;

/* An incident: faults overlapping before recovery, or an SLO break with no
 * fault at all (the stage's own: overload on the ramp). Its phases: the
 * fault, the impact (the SLO's first break), detection and switch, and
 * service restored (failures stopped, and the SLO then held for `hold`). */
typedef struct mdl_incident {
    sim_time start;             /* run time of its first fault, or of the break when no fault */
    int no_fault;               /* an SLO break no fault caused */
    int recovered;              /* else: not recovered, > rto s */
    int broke_slo;
    double impact;              /* time to impact: fault to the SLO's first break (s); -1 never */
    double rto;                 /* impact to restored (or to the end) (s); 0 when it never broke */
    double detect, switched;    /* from the impact (from the fault when it never broke) (s);
                                 * negative: before the impact; NAN: none */
    int cause;                  /* FAIL_... of most of its failures; -1 none */
    double by_cause[FAIL_COUNT];
    double failed, users;       /* real-world */
    double unit_share;          /* share of rzones with failures */
    double lost_writes, parked_writes, rpo;
} mdl_incident;

/* Verdicts a scenario may state that one run reports (more are left out). */
#define MDL_MAX_VERDICTS 64

/* A verdict of the scenario, judged on one run. */
typedef struct mdl_verdict {
    int metric;                 /* METRIC_... */
    int at_least;               /* else at most */
    double bound, value;        /* in the metric's unit (percent, count, seconds) */
    char bound_text[32];        /* as written */
    int unrecovered;            /* rto: an incident never recovered */
    int pass;
} mdl_verdict;

#endif /* MDL_RESULTS_H */
