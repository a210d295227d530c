/* measure.h -- what a run measures, and its results. The request path
 * (flow/) counts each request's measures here as they happen; the notes
 * it listens to (faults, lost writes, events, its own interval ticks) make
 * the incidents; at the end it gives the headline, the incidents, the
 * verdicts and the result files.
 *
 * Counters per unit and request type with a latency histogram each are
 * kept three ways: for the current interval (by the time things happen,
 * for the time series), and for the warm-up and the measured run (by when
 * the user's request was born, so a request started before the end counts
 * even if it ends in the drain). */
#ifndef MEASURE_H
#define MEASURE_H
#include <stdio.h>

#include "note.h"
#include "world.h"

/* The measures of a request: offered, succeeded, failed, each immediate
 * reason of a failure (MDL_CAUSES of mdl_kinds.h, in order), each cause
 * (MDL_FAILURE_CAUSES: overload, fault, shed, switching), and the rest. */
#define MEAS_CAUSE_ID(id, name) M_##id,
#define MEAS_FAILURE_ID(id, name, doc) M_FAILED_##id,
enum measure {
    M_OFFERED, M_SUCCEEDED, M_FAILED,
    MDL_CAUSES(MEAS_CAUSE_ID)
    MDL_FAILURE_CAUSES(MEAS_FAILURE_ID)
    M_RETRIES, M_ATTEMPTS, M_CROSS_DC_CALLS, M_STALE_READS, M_COUNT
};
#define M_FIRST_CAUSE M_TIMEOUT
/* The failure measure of a reason (CAUSE_...), and of a cause (FAIL_...). */
#define M_OF_CAUSE(cause) (M_FIRST_CAUSE + (cause))
#define M_OF_FAILURE(cause) (M_FAILED_OVERLOAD + (cause))
extern const char *const meas_names[M_COUNT];

/* ==== Lifecycle ==== */

/* Counters, the series and the first interval's tick. 0, or SIM_ENOMEM. */
int measure_init(w_world *w);
void measure_fini(w_world *w);
/* Starts writing timeseries.csv at `path` as the run goes (a failed write
 * stops the run with SIM_EIO). 0, or SIM_EIO. */
int measure_series_open(w_world *w, const char *path);

/* ==== Per request (metrics.c) ==== */

/* One of a request's measures, for its unit, type and the phase its
 * user's request was born in. */
void metrics_req(w_world *w, int unit, int type, sim_time born, int measure);
/* A success, and its latency (from the user's first attempt). */
void metrics_success(w_world *w, int unit, int type, sim_time born, sim_time latency);
/* A user whose request finally failed (in the measured part). */
void metrics_user_failed(w_world *w, uint64_t uid);
/* Accumulates a cell's time integrals up to now: call before changing its
 * counts of busy workers or waiting requests. */
void metrics_cell_change(w_world *w, w_cell *c);
/* A request that finally failed with a cause (FAIL_...), for the
 * incident open now, or the one its cause opens. */
void incidents_note_failure(w_world *w, uint64_t uid, int unit, int cause);

/* ==== Listeners (subscribed where the world is assembled) ==== */

void incidents_on_fault(w_world *w, const w_note *n, void *context);
void incidents_on_writes_lost(w_world *w, const w_note *n, void *context);
void incidents_on_event(w_world *w, const w_note *n, void *context);
void incidents_on_tick(w_world *w, const w_note *n, void *context);

/* ==== Results ==== */

/* Completes what the run recorded lazily (users' bits): call when the
 * engine returns, before any result is read. */
void measure_settle(w_world *w);

void measure_headline(const w_world *w, mdl_headline *h);
size_t measure_incidents(const w_world *w);
void measure_incident(const w_world *w, size_t i, mdl_incident *out);
double measure_seconds_below_slo(const w_world *w);
int measure_verdicts(const w_world *w, mdl_verdict *out, int max);
const mdl_series *measure_series(const w_world *w);
/* The last interval's point (real-world units): 1, or 0 before the first. */
int measure_last_interval(const w_world *w, mdl_series_point *out);
/* One unit's requests in the last interval (real-world per second):
 * offered, failed, and failed by cause (FAIL_COUNT figures); zeros before
 * the first interval ends. */
void measure_unit_last(const w_world *w, int unit, double *offered, double *failed, double *by_cause);
/* Attempts simulated so far (first tries and retries, warm-up included). */
double measure_attempts(const w_world *w);
/* Finishes timeseries.csv and writes summary.json, events.csv,
 * junit.xml and meta.json into dir (created), each atomically.
 * wall_seconds and the command line go to meta.json only. 0, or SIM_EIO
 * with the file and the reason remembered (sim_file.h). */
int measure_write(w_world *w, const char *dir, double wall_seconds, const char *command_line);

#endif /* MEASURE_H */
