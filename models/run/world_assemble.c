/* world_assemble.c -- a world assembled from the rooms: the world's places
 * (world/), the request flow (flow/), recovery (recovery/), the measures
 * (measure/) and the faults (faults/), and the one list of who listens to
 * which note. The order of each kind's listeners is the order things
 * happen after a change: the flow loses the work on a dead server before
 * recovery starts detecting it; degradation, then the SLO, then blue-green
 * judge an interval. */
#include <stdio.h>

#include "faults.h"
#include "flow.h"
#include "mdl_world.h"
#include "measure.h"
#include "recovery.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "world.h"
#include "world_event.h"
#include "world_scale.h"

/* Who listens to what, in order. */
static const struct {
    int kind;
    w_listener *fn;
} listeners[] = {
    {NOTE_SERVER_DOWN, req_on_server_down},
    {NOTE_SERVER_DOWN, rec_on_server_down},
    {NOTE_SERVER_UP, rec_on_server_up},
    {NOTE_CELL_CHANGED, rec_on_cell_changed},
    {NOTE_DBNODE_LOST, db_on_dbnode_lost},
    {NOTE_DBNODE_LOST, rec_on_dbnode_lost},
    {NOTE_DBNODE_BACK, rec_on_dbnode_back},
    {NOTE_DBNODE_REACH, rec_on_dbnode_reach},
    {NOTE_ENTRY_CHANGED, rec_on_entry_changed},
    {NOTE_REGISTRY_CHANGED, rec_on_registry_servers},
    {NOTE_REGISTRY_CHANGED, rec_on_every_cell},
    {NOTE_LINKS_CHANGED, rec_on_every_cell},
    {NOTE_LINKS_CHANGED, rec_on_links_groups},
    {NOTE_POWER_ALARM, rec_on_power_alarm},
    {NOTE_UNIT_HOME, dns_on_unit_home},
    {NOTE_FAULT, incidents_on_fault},
    {NOTE_WRITES_LOST, incidents_on_writes_lost},
    {NOTE_TICK, prot_on_tick},
    {NOTE_TICK, incidents_on_tick},
    {NOTE_TICK, rec_on_tick_release},
    {NOTE_EVENT, rec_on_event_actions},
    {NOTE_EVENT, incidents_on_event},
};

static int subscribe_all(w_world *w)
{
    int rc = SIM_OK;
    for (size_t i = 0; rc == SIM_OK && i < sizeof listeners / sizeof *listeners; i++)
        rc = note_subscribe(w, listeners[i].kind, listeners[i].fn, NULL);
    return rc;
}

/* Building, in order. What is posted at the start is posted in this order
 * too (equal times run in it): the first tick, the first arrival, the
 * faults, the timed actions. */
static int (*const steps[])(w_world *w) = {
    world_build,      /* places, services, databases */
    flow_init,        /* timeouts, streams, protections, DNS answers */
    recovery_init,    /* detection and human streams, the green window */
    subscribe_all,
    measure_init,     /* posts the first tick */
    traffic_start,       /* posts the first arrival */
    faults_init,      /* posts the faults */
    rec_actions_start /* posts the timed actions */
};

/* The program's listeners, outside the models. */
#define MAX_OUTSIDE 8
struct w_outside {
    struct {
        mdl_event_fn *fn;
        void *context;
    } on_event[MAX_OUTSIDE];
    int n;
};

int mdl_world_create(const mdl_config *cfg, size_t stage_index, const mdl_run_options *opt,
                     mdl_world **out, char *err, size_t err_size)
{
    *out = NULL;
    if (!cfg->scn || stage_index >= cfg->n_stages) {
        snprintf(err, err_size, "no such stage in the scenario");
        return SIM_EINPUT;
    }
    w_world *w = sim_calloc(1, sizeof *w);
    if (!w)
        return SIM_ENOMEM;
    w->cfg = cfg;
    w->st = cfg->stages[stage_index];
    w->geo = cfg->stage_geos[stage_index];
    w->sc = cfg->scn;
    w->scale = opt->scale > 0 ? opt->scale : 1;
    w->seed = opt->seed_set ? opt->seed : (uint64_t)w->sc->seed;
    w->warmup = w->sc->warmup;
    w->end = w->sc->warmup + w->sc->duration;
    w->e = sim_engine_create_with(w->seed, opt->queue);
    w->outside = sim_calloc(1, sizeof *w->outside);
    int rc = w->e && w->outside ? SIM_OK : SIM_ENOMEM;
    for (size_t i = 0; rc == SIM_OK && i < sizeof steps / sizeof *steps; i++)
        rc = steps[i](w);
    if (rc == SIM_OK && opt->series_path)
        rc = measure_series_open(w, opt->series_path);
    if (rc) {
        if (rc == SIM_ENOMEM)
            snprintf(err, err_size, "out of memory building the world");
        else
            snprintf(err, err_size, "%s", sim_strerror(rc));
        mdl_world_destroy(w);
        return rc;
    }
    *out = w;
    return SIM_OK;
}

int mdl_world_check_scale(const mdl_config *cfg, size_t stage_index, double scale, char *why, size_t why_size)
{
    if (stage_index >= cfg->n_stages) {
        snprintf(why, why_size, "no such stage in the scenario");
        return SIM_EINPUT;
    }
    return world_scale_check(cfg->stages[stage_index], scale, why, why_size);
}

void mdl_world_destroy(mdl_world *w)
{
    if (!w)
        return;
    measure_fini(w);
    faults_fini(w);
    recovery_fini(w);
    flow_fini(w);
    world_free(w);
    sim_free(w->outside);
    sim_engine_destroy(w->e);
    sim_free(w);
}

/* ==== Events ==== */

static void tell_outside(w_world *w, const w_note *n, void *context)
{
    int i = (int)(intptr_t)context;
    w->outside->on_event[i].fn(n->event, w->outside->on_event[i].context);
}

int mdl_world_on_event(mdl_world *w, mdl_event_fn *fn, void *context)
{
    struct w_outside *o = w->outside;
    if (o->n == MAX_OUTSIDE)
        return SIM_ELIMIT;
    o->on_event[o->n].fn = fn;
    o->on_event[o->n].context = context;
    int rc = note_subscribe(w, NOTE_EVENT, tell_outside, (void *)(intptr_t)o->n);
    if (rc == SIM_OK)
        o->n++;
    return rc;
}

size_t mdl_world_events(const mdl_world *w) { return world_events_count(w); }
const mdl_event_row *mdl_world_event(const mdl_world *w, size_t i) { return world_events_row(w, i); }

/* ==== Queries and results ==== */

sim_engine *mdl_world_engine(mdl_world *w) { return w->e; }
double mdl_world_scale(const mdl_world *w) { return w->scale; }
uint64_t mdl_world_seed(const mdl_world *w) { return w->seed; }
sim_time mdl_world_end(const mdl_world *w) { return w->end; }
sim_time mdl_world_warmup(const mdl_world *w) { return w->warmup; }
void mdl_world_clock(const mdl_world *w, sim_time t, char *buf, size_t size) { world_clock(w, t, buf, size); }
const char *mdl_world_warning(const mdl_world *w, int i) { return i < w->n_warnings ? w->warnings[i] : ""; }
const mdl_series *mdl_world_series(const mdl_world *w) { return measure_series(w); }
double mdl_world_attempts(const mdl_world *w) { return measure_attempts(w); }
void mdl_world_headline(const mdl_world *w, mdl_headline *h) { measure_headline(w, h); }
size_t mdl_world_incidents(const mdl_world *w) { return measure_incidents(w); }
void mdl_world_incident(const mdl_world *w, size_t i, mdl_incident *out) { measure_incident(w, i, out); }
int mdl_world_verdicts(const mdl_world *w, mdl_verdict *out, int max) { return measure_verdicts(w, out, max); }

/* ==== The operator's seat (recovery/rec_operator.c) ==== */

void mdl_world_set_operator(mdl_world *w, unsigned takes) { w->operator_takes = takes & MDL_REACT_ALL; }

int mdl_world_act(mdl_world *w, const mdl_act *act, char *err, size_t err_size)
{
    int rc = rec_operator_act(w, act->kind, act->target, act->to, err, err_size);
    measure_settle(w); /* an act may fail requests there and then */
    return rc;
}

int mdl_world_types(const mdl_world *w) { return w->n_types; }
const char *mdl_world_type(const mdl_world *w, int i) { return i >= 0 && i < w->n_types ? w->types[i]->name : ""; }

int mdl_world_write(mdl_world *w, const char *dir, double wall_seconds, const char *command_line)
{
    return measure_write(w, dir, wall_seconds, command_line);
}
