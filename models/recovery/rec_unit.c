/* rec_unit.c -- the unit traffic switch.
 *
 * The unit switch (AppActive's four steps): when the registry finds a
 * unit's cell gone, or a human decides so, the moving shards' writes are
 * forbidden, the switch waits for their databases to have a live primary
 * and their copies to catch up (giving up after the bound), then pushes
 * the new mapping to every gateway (push delay): the unit's users go to
 * its standby cell. Requests routed by the old mapping meanwhile fail.
 * Groups whose leader follows its unit hand it to their copy in the new
 * datacenter while writes are forbidden (rec_db.c), so the unit's writes
 * stay inside it.
 *
 * Failing back: once a moved unit's own cell has been healthy for the
 * hold, it goes home by the same switch (forbid, catch up, leaders follow,
 * push), or a unit-back runbook's fail-back step moves it. */
#include <stdio.h>

#include "rec_int.h"

w_cell *rec_standby_of(const w_world *w, const w_unit *u)
{
    for (int c = 0; c < u->n_cells; c++)
        if (u->cells[c] != u->home && cell_alive(w, u->cells[c]))
            return u->cells[c];
    return NULL;
}

/* Shard groups a unit's shards spread over, at most. */
#define MAX_UNIT_GROUPS 32

/* The user-data groups holding a unit's shards. */
static int unit_groups(w_world *w, const w_unit *u, w_group **out, int max)
{
    int n = 0;
    if (!w->user_db)
        return 0;
    for (int g = 0; g < w->user_db->n_groups && n < max; g++) {
        w_group *grp = &w->user_db->groups[g];
        if (grp->def->shards.hi >= u->def->shards.lo && grp->def->shards.lo <= u->def->shards.hi)
            out[n++] = grp;
    }
    return n;
}

typedef struct w_switch_job switch_job; /* one per unit: a unit moves once at a time */

static void on_pushed(sim_engine *e, void *subject, void *object);
static void failback_check(w_world *w, w_unit *u);
static void on_unit_decided(sim_engine *e, void *subject, void *object);
static void on_unit_detected_clear(sim_engine *e, void *subject, void *object);

static void on_catch_up(sim_engine *e, void *subject, void *object)
{
    w_world *w = object;
    switch_job *job = subject;
    const stg_unit_switch *cfg = &w->st->unit_switch;
    w_group *groups[MAX_UNIT_GROUPS];
    int n = unit_groups(w, job->unit, groups, MAX_UNIT_GROUPS), ready = 1;
    for (int i = 0; i < n; i++) {
        w_group *g = groups[i];
        int live = g->primary >= 0 && g->nodes[g->primary].up && g->nodes[g->primary].dc->powered &&
                   net_reachable(w, job->to->dc->index, g->nodes[g->primary].dc->index);
        ready &= live && !g->promoting;
        /* Its leader follows the unit while writes are forbidden. */
        if (live && !g->promoting && rec_leader_follow(w, g, job->to->dc->index))
            ready = 0;
    }
    sim_time now = sim_now(e);
    if (!ready && now - job->started < cfg->catch_up_bound) {
        sim_event_post(e, now + 100 * SIM_MS, on_catch_up, job, w); /* look again */
        return;
    }
    sim_event_post(e, now + cfg->push_delay, on_pushed, job, w);
}

static void on_pushed(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    switch_job *job = subject;
    w_unit *u = job->unit;
    w_cell *from = u->home;
    if (from)
        from->active = 0;
    job->to->active = 1;
    u->home = job->to;
    u->switching = 0;
    w_group *groups[MAX_UNIT_GROUPS];
    int n = unit_groups(w, u, groups, MAX_UNIT_GROUPS);
    for (int i = 0; i < n; i++)
        groups[i]->write_forbidden = 0;
    route_refresh(w);
    note_tell_unit(w, NOTE_UNIT_HOME, u->index);
    const char *how = w->st->entry.kind == ENTRY_GATEWAY ? "; every gateway routes its users there now"
                      : w->st->entry.kind == ENTRY_DNS   ? "; DNS answers with it, users follow as their cached answers expire"
                                                         : "";
    world_event(w, EV_SWITCH, u->def->name, "unit %s switched from %s to %s (%s)%s", u->def->name,
                from ? from->dc->geo->name : "-", job->to->dc->geo->name, job->why, how);
    failback_check(w, u); /* its own cell may have come back while it moved */
}

void rec_switch_unit(w_world *w, w_unit *u, w_cell *to, const char *why)
{
    if (u->switching || !to || to == u->home)
        return;
    switch_job *job = &u->job;
    job->unit = u;
    job->to = to;
    job->started = sim_now(w->e);
    snprintf(job->why, sizeof job->why, "%s", why);
    u->switching = 1;
    /* Whatever the trainee was told about the unit is being dealt with. */
    rec_op_settle(w, REACT_UNIT_SWITCH, u->def->name);
    rec_op_settle(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_UNIT_LOST), u->def->name);
    rec_op_settle(w, REACT_FAILBACK, u->def->name);
    rec_op_settle(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_UNIT_BACK), u->def->name);
    const stg_unit_switch *cfg = &w->st->unit_switch;
    if (!cfg->head.present || cfg->write_forbid) {
        w_group *groups[MAX_UNIT_GROUPS];
        int n = unit_groups(w, u, groups, MAX_UNIT_GROUPS);
        for (int i = 0; i < n; i++)
            groups[i]->write_forbidden = 1;
    }
    world_event(w, EV_FORBID, u->def->name, "unit %s: writes forbidden while it moves to %s", u->def->name,
                to->dc->geo->name);
    sim_event_post(w->e, sim_now(w->e), on_catch_up, job, w);
}

/* The trainee took over the unit switch: tells them it is due. */
static void alert_switch(w_world *w, const w_unit *u)
{
    const w_cell *to = rec_standby_of(w, u);
    rec_op_alert(w, REACT_UNIT_SWITCH, u->def->name, "%s's home cell in %s is dead: the unit switch is yours (switch-unit %s%s%s)",
                 u->def->name, u->home->dc->geo->name, u->def->name, to ? " to " : "", to ? to->dc->geo->name : "");
}

static void on_unit_detected(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_unit *u = subject;
    if (u->switching || !u->home || cell_alive(w, u->home))
        return; /* back already, or moving already */
    world_event(w, EV_DETECT, u->def->name, "unit %s's cell in %s is gone", u->def->name, u->home->dc->geo->name);
    const stg_unit_switch *cfg = &w->st->unit_switch;
    if (cfg->trigger == TRIGGER_MANUAL) {
        char why[128];
        snprintf(why, sizeof why, "unit %s's cell in %s is gone", u->def->name, u->home->dc->geo->name);
        if (rec_runbook_page(w, RUNBOOK_ON_UNIT_LOST, NULL, -1, u->def->name, why))
            return; /* the runbook's switch-units step moves it */
        if (rec_op_takes(w, REACT_UNIT_SWITCH)) { /* the human who would decide is the trainee */
            alert_switch(w, u);
            return;
        }
        sim_event_post(w->e, sim_now(w->e) + rec_sample(&cfg->response.d, &w->recovery->human_rng), on_unit_decided, u,
                       w);
        return;
    }
    if (rec_op_takes(w, REACT_UNIT_SWITCH)) {
        alert_switch(w, u);
        return;
    }
    rec_switch_unit(w, u, rec_standby_of(w, u), "automatic");
}

static void on_unit_decided(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_unit *u = subject;
    if (!u->home || cell_alive(w, u->home))
        return;
    rec_switch_unit(w, u, rec_standby_of(w, u), "by a human");
}

static void on_failback_due(sim_engine *e, void *subject, void *object)
{
    w_world *w = object;
    w_unit *u = subject;
    sim_time due = u->own_healthy_since + w->st->unit_switch.failback_hold;
    if (u->own_healthy_since >= 0 && sim_now(e) < due) { /* it fell and rose again meanwhile: a full hold */
        sim_event_post(e, due, on_failback_due, u, w);
        return;
    }
    u->failback_waiting = 0;
    if (!rec_unit_may_fail_back(w, u) || !w->registry_up)
        return; /* home already, moving, or its cell fell again */
    char why[128];
    snprintf(why, sizeof why, "unit %s's own cell in %s is healthy again", u->def->name, u->own->dc->geo->name);
    if (w->st->unit_switch.failback == FAILBACK_RUNBOOK) {
        rec_runbook_page(w, RUNBOOK_ON_UNIT_BACK, NULL, -1, u->def->name, why);
        return;
    }
    if (rec_op_takes(w, REACT_FAILBACK)) {
        rec_op_alert(w, REACT_FAILBACK, u->def->name, "%s: failing back is yours (failback %s)", why, u->def->name);
        return;
    }
    rec_switch_unit(w, u, u->own, "failing back");
}

int rec_unit_may_fail_back(const w_world *w, const w_unit *u)
{
    return u->own && u->home != u->own && !u->switching && cell_alive(w, u->own) && u->own_healthy_since >= 0 &&
           !u->own->dc->drained;
}

/* A moved unit's own cell is healthy again (as the registry sees it): the
 * hold starts. */
static void failback_check(w_world *w, w_unit *u)
{
    const stg_unit_switch *cfg = &w->st->unit_switch;
    if (cfg->failback == FAILBACK_NONE || u->failback_waiting || !w->registry_up || !rec_unit_may_fail_back(w, u))
        return;
    u->failback_waiting = 1;
    sim_event_post(w->e, u->own_healthy_since + cfg->failback_hold, on_failback_due, u, w);
}

void rec_cell_changed(w_world *w, w_cell *c)
{
    w_unit *u = c->unit;
    if (c == u->own) { /* the hold counts from when it was last found healthy */
        int alive = cell_alive(w, c);
        if (alive && u->own_healthy_since < 0)
            u->own_healthy_since = sim_now(w->e);
        else if (!alive)
            u->own_healthy_since = -1;
        if (!alive) { /* failing back is no longer the question */
            rec_op_settle(w, REACT_FAILBACK, u->def->name);
            rec_op_settle(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_UNIT_BACK), u->def->name);
        }
    }
    if (c == u->home && cell_alive(w, c)) { /* its home is back: no switch is due */
        rec_op_settle(w, REACT_UNIT_SWITCH, u->def->name);
        rec_op_settle(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_UNIT_LOST), u->def->name);
    }
    if (w->st->unit_switch.head.present && c == u->own && u->home != c)
        failback_check(w, u);
    if (!w->st->unit_switch.head.present || u->home != c || u->switching || u->detecting)
        return;
    if (cell_alive(w, c) || !w->registry_up || !rec_standby_of(w, u))
        return;
    /* The trainee was told already and has not acted: no detection again. */
    if (rec_op_alerted(w, REACT_UNIT_SWITCH, u->def->name) ||
        rec_op_alerted(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_UNIT_LOST), u->def->name))
        return;
    /* The registry misses the cell's heartbeats. */
    const stg_registry *reg = &w->st->registry;
    double jitter = sim_rng_uniform(&w->recovery->detect_rng) * (double)reg->heartbeat;
    u->detecting = 1;
    sim_event_post(w->e, sim_now(w->e) + reg->threshold * reg->heartbeat - (sim_time)jitter, on_unit_detected_clear, u, w);
}

static void on_unit_detected_clear(sim_engine *e, void *subject, void *object)
{
    w_unit *u = subject;
    u->detecting = 0;
    on_unit_detected(e, subject, object);
}

/* ==== Listeners ==== */

void rec_on_cell_changed(w_world *w, const w_note *n, void *context)
{
    (void)context;
    rec_cell_changed(w, w->cells[n->cell]);
}

void rec_on_every_cell(w_world *w, const w_note *n, void *context)
{
    (void)n;
    (void)context;
    for (int c = 0; c < w->n_cells; c++)
        rec_cell_changed(w, w->cells[c]);
}
