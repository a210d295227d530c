/* mdl_world.h -- one stage of a scenario, running: assembled from the
 * models' rooms for a loaded config at a scale, run on the engine,
 * measured. What the program, the report, the live view and the tests
 * use; the layout is private to the rooms (models/README.md). */
#ifndef MDL_WORLD_H
#define MDL_WORLD_H
#include <stddef.h>
#include <stdint.h>

#include "mdl_config.h"
#include "mdl_results.h"
#include "sim_engine.h"

typedef struct mdl_run_options {
    double scale;               /* the fraction of users and resources; 0: 1 */
    uint64_t seed;
    int seed_set;               /* else the scenario's */
    sim_queue_kind queue;
    const char *series_path;    /* write timeseries.csv here as the run goes (NULL: only the in-memory series) */
} mdl_run_options;

typedef struct w_world mdl_world;

/* Builds stage `stage_index` of the config (which must outlive the world).
 * Returns 0, SIM_EINPUT / SIM_ELIMIT with a message in err, or SIM_ENOMEM. */
int mdl_world_create(const mdl_config *cfg, size_t stage_index, const mdl_run_options *opt,
                     mdl_world **out, char *err, size_t err_size);
void mdl_world_destroy(mdl_world *w);
/* 0 when stage `stage_index` keeps every capacity's total at `scale`
 * (counts that round make it up in speed); else SIM_EINPUT with why: the
 * capacity that cannot be kept and the smallest scale that keeps them
 * all. The program refuses such a scale; mdl_world_create builds it with
 * a warning. */
int mdl_world_check_scale(const mdl_config *cfg, size_t stage_index, double scale, char *why, size_t why_size);

/* Runs until simulated time `until` (after the start) or the end of the
 * scenario and the drain after it; the progress hook, if any, is called
 * about every 100k events with the fraction done, and stops the run by
 * returning nonzero (a signal came). Returns 0 when the end is reached, 1
 * when stopped at `until` earlier, SIM_EINTR when the hook stopped it, or
 * another negative status. */
typedef int mdl_progress_fn(double fraction, void *context);
int mdl_world_run(mdl_world *w, sim_time until, mdl_progress_fn *progress, void *context);

/* Finishes timeseries.csv (written as the run went, at the options'
 * series_path: give a path in dir) and writes summary.json, events.csv,
 * junit.xml and meta.json into dir (created). wall_seconds and the command
 * line go to meta.json only. 0, or SIM_EIO with the file and the reason
 * remembered (sim_file.h). */
int mdl_world_write(mdl_world *w, const char *dir, double wall_seconds, const char *command_line);

/* ==== Events ==== */

/* Rows of events.csv recorded so far. */
size_t mdl_world_events(const mdl_world *w);
const mdl_event_row *mdl_world_event(const mdl_world *w, size_t i);
/* Calls fn for every row as it is recorded (the live view's captions),
 * after the models' own listeners; each call adds a listener. 0, or
 * SIM_ELIMIT when too many listen. */
typedef void mdl_event_fn(const mdl_event_row *row, void *context);
int mdl_world_on_event(mdl_world *w, mdl_event_fn *fn, void *context);

/* ==== Queries ==== */

sim_engine *mdl_world_engine(mdl_world *w);
const mdl_series *mdl_world_series(const mdl_world *w);
double mdl_world_scale(const mdl_world *w);
uint64_t mdl_world_seed(const mdl_world *w);
sim_time mdl_world_end(const mdl_world *w);
/* Run time where the drain after the scenario's end ends: where a run stops. */
sim_time mdl_world_drain_end(const mdl_world *w);
/* Run time where the measured part starts (after the warm-up). */
sim_time mdl_world_warmup(const mdl_world *w);
/* The wall clock of run time t ("23:59:30"). */
void mdl_world_clock(const mdl_world *w, sim_time t, char *buf, size_t size);
/* Attempts simulated so far (first tries and retries, warm-up included). */
double mdl_world_attempts(const mdl_world *w);
/* Warnings from building (scale rounding), "" past the last. */
const char *mdl_world_warning(const mdl_world *w, int i);

/* ==== Results ==== */

void mdl_world_headline(const mdl_world *w, mdl_headline *h);
size_t mdl_world_incidents(const mdl_world *w);
void mdl_world_incident(const mdl_world *w, size_t i, mdl_incident *out);
int mdl_world_verdicts(const mdl_world *w, mdl_verdict *out, int max);

/* ==== The operator's seat ==== */

/* Hands the stage's reactions in `takes` (bits 1 << REACT_..., mdl_kinds.h;
 * mdl_training_takes gives the scenario's) to a trainee: they no longer
 * act by themselves, an `alert` event tells when one is due, and the
 * trainee acts with mdl_world_act. 0 (the default) leaves them all to the
 * stage. Call it before the first mdl_world_run; a change later holds for
 * reactions that start after it. (A setter rather than a field of
 * mdl_run_options, whose callers initialise it by position.) */
void mdl_world_set_operator(mdl_world *w, unsigned takes);

/* An act of the trainee in the live window. `target` names, by kind:
 * switch-unit, failback: a unit ("RZ01"); drain, undrain: a datacenter
 * ("HZ-A"); promote: a shard group, "core/0-9" (its shards; "core 00-09"
 * as events.csv writes it), "core/7" (the group holding shard 7), or a
 * database "core" (each of its groups whose primary is lost; a database
 * of one group is that group); degrade, restore: a request type ("query");
 * runbook: a runbook of the stage's; rollback: nothing (NULL or ""). */
typedef struct mdl_act {
    int kind;                   /* ACTION_... (mdl_kinds.h) */
    const char *target;
    const char *to;             /* switch-unit: the datacenter to move to (NULL: its standby) */
} mdl_act;

/* The trainee starts `act` now (at the world's simulated time). It takes
 * its real time: the matching step of the stage's runbooks, drawn from the
 * operator's own random stream (or the mechanism's own timing), told at
 * once as an `action` event with its expected duration, then done through
 * the same code as the scenario's scripted actions and told again. Returns
 * 0, or SIM_EINPUT with a short message in err (an unknown target, or
 * nothing to do: already done, under way, or impossible), changing
 * nothing. The same acts at the same simulated times give the same run. */
int mdl_world_act(mdl_world *w, const mdl_act *act, char *err, size_t err_size);

/* The scenario's request types, by index (for degrade and restore). */
int mdl_world_types(const mdl_world *w);
const char *mdl_world_type(const mdl_world *w, int i);

#endif /* MDL_WORLD_H */
