/* rec_runbook.c -- manual recovery as people run it. Something pages the
 * on-call (a primary lost whose promotion is manual, a unit's home gone
 * whose switch is manual, a building's power alarm); after the page they
 * acknowledge, diagnose, try the obvious repair first, and if what paged
 * is still there decide to fail over; then each step of the runbook is
 * done for each of its items (the groups to promote, the units to switch,
 * the buildings to drain), one at a time or `parallel` at once, each item
 * taking its own drawn time; then they verify. Every phase is told in
 * events.csv, so the story shows each step.
 *
 * A database whose promotion is manual and that no primary-lost runbook
 * covers gets a stand-in: paged after promotion.detect, its diagnosis
 * taking promotion.response, then every lost group promoted at once.
 *
 * What pages while a run is under way joins it: its items are gathered
 * when a step starts, and a run that ends with items left starts its steps
 * again (the engineer is still there). */
#include <stdio.h>
#include <string.h>

#include "rec_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

enum rb_phase { RB_IDLE, RB_PAGED, RB_ACKNOWLEDGED, RB_DIAGNOSED, RB_REPAIRED, RB_DECIDED, RB_STEPS, RB_VERIFIED };

struct rec_runbook {
    w_world *w;
    const char *name;
    int on;                     /* RUNBOOK_ON_... */
    const w_db *db;             /* a stand-in's database, or NULL */
    sim_time page, after;
    const mdl_dist *acknowledge, *diagnose, *repair, *decide, *verify; /* NULL: no such phase */
    const stg_step *steps;
    size_t n_steps;
    stg_step stand_in_step;
    /* The run. */
    int phase;
    size_t step;
    int *items, n_items, next_item, working;
    int acted;                  /* items done in this pass of the steps */
    uint8_t *alarmed;           /* per datacenter: its alarm is one this run answers */
    sim_time alarm_at;          /* the first alarm's time */
    char why[128];
};

static void phase_done(sim_engine *e, void *subject, void *object);

/* ==== What is still to do ==== */

static int group_waits(const rec_runbook *rb, const w_group *g)
{
    return g->awaiting_human && (!rb->db || g->db == rb->db);
}

static int unit_waits(w_world *w, const rec_runbook *rb, const w_unit *u)
{
    if (!u->home || u->switching || !rec_standby_of(w, u))
        return 0;
    if (rb->on == RUNBOOK_ON_POWER_ALARM)
        return rb->alarmed[u->home->dc->index] && u->home->dc->alarm;
    return !cell_alive(w, u->home);
}

static int dc_waits(const w_world *w, const rec_runbook *rb, int dc)
{
    return rb->alarmed[dc] && w->dcs[dc].alarm && !w->dcs[dc].drained;
}

/* The items of a step, in order. */
static int gather(w_world *w, rec_runbook *rb, int kind)
{
    int n = 0;
    if (kind == STEP_PROMOTE) {
        for (int g = 0; g < w->n_groups; g++)
            if (group_waits(rb, w->groups[g]))
                rb->items[n++] = g;
    } else if (kind == STEP_SWITCH_UNITS) {
        for (int u = 0; u < w->n_units; u++)
            if (unit_waits(w, rb, &w->units[u]))
                rb->items[n++] = u;
    } else if (kind == STEP_FAIL_BACK) {
        for (int u = 0; u < w->n_units; u++)
            if (rec_unit_may_fail_back(w, &w->units[u]))
                rb->items[n++] = u;
    } else {
        for (int d = 0; d < w->n_dcs; d++)
            if (dc_waits(w, rb, d))
                rb->items[n++] = d;
    }
    return n;
}

/* Is anything that paged still there? */
static int still_needed(w_world *w, rec_runbook *rb)
{
    switch (rb->on) {
    case RUNBOOK_ON_PRIMARY_LOST:
        return gather(w, rb, STEP_PROMOTE) > 0;
    case RUNBOOK_ON_UNIT_LOST:
        return gather(w, rb, STEP_SWITCH_UNITS) > 0;
    case RUNBOOK_ON_UNIT_BACK:
        return gather(w, rb, STEP_FAIL_BACK) > 0;
    case RUNBOOK_ON_POWER_ALARM:
        for (int d = 0; d < w->n_dcs; d++)
            if (rb->alarmed[d] && w->dcs[d].alarm)
                return 1;
        return 0;
    default:
        return 1;
    }
}

/* Does any of its steps still find something to do? */
static int work_left(w_world *w, rec_runbook *rb)
{
    for (size_t s = 0; s < rb->n_steps; s++)
        if (gather(w, rb, rb->steps[s].kind) > 0)
            return 1;
    return 0;
}

/* ==== Phases ==== */

/* A phase told in the story (a stand-in tells only its page and its
 * promotions, as a one-line human response would). */
static void tell(w_world *w, const rec_runbook *rb, int kind, const char *fmt, const char *what)
{
    if (rb->db)
        return;
    char text[200];
    snprintf(text, sizeof text, fmt, what);
    world_event(w, kind, rb->name, "%s: %s", rb->name, text);
}

/* Waits the phase's drawn time (none without the phase), then goes on. */
static void next_phase(w_world *w, rec_runbook *rb, int phase, const mdl_dist *d, sim_time at_least)
{
    rb->phase = phase;
    sim_time t = sim_now(w->e) + (d ? rec_sample(&d->d, &w->recovery->human_rng) : 0);
    if (t < at_least)
        t = at_least;
    sim_event_post(w->e, t, phase_done, rb, w);
}

static void start_step(w_world *w, rec_runbook *rb);

/* The run is over: what it answered is forgotten. */
static void close_run(w_world *w, rec_runbook *rb)
{
    rb->phase = RB_IDLE;
    memset(rb->alarmed, 0, (size_t)w->n_dcs);
}

static void verify_or_close(w_world *w, rec_runbook *rb)
{
    if (rb->verify) {
        next_phase(w, rb, RB_VERIFIED, rb->verify, 0);
        return;
    }
    rb->phase = RB_VERIFIED;
    phase_done(w->e, rb, w);
}

static void on_item_done(sim_engine *e, void *subject, void *object);

/* Starts the next item of the step on a free pair of hands. */
static void start_item(w_world *w, rec_runbook *rb)
{
    const stg_step *st = &rb->steps[rb->step];
    int i = rb->next_item++;
    rb->working++;
    sim_time t = sim_now(w->e) + rec_sample(&st->duration.d, &w->recovery->human_rng);
    sim_event_post(w->e, t, on_item_done, rb, (void *)(intptr_t)i);
}

static void start_step(w_world *w, rec_runbook *rb)
{
    if (rb->step >= rb->n_steps) {
        verify_or_close(w, rb);
        return;
    }
    const stg_step *st = &rb->steps[rb->step];
    rb->n_items = gather(w, rb, st->kind);
    rb->next_item = 0;
    rb->working = 0;
    if (rb->n_items == 0) { /* nothing left for it */
        rb->step++;
        start_step(w, rb);
        return;
    }
    char what[64];
    snprintf(what, sizeof what, "%d item%s, %lld at once", rb->n_items, rb->n_items == 1 ? "" : "s",
             (long long)st->parallel);
    char text[120];
    snprintf(text, sizeof text, "step %zu, %s: %%s", rb->step + 1, mdl_step_kinds[st->kind]);
    tell(w, rb, EV_RUNBOOK, text, what);
    while (rb->working < st->parallel && rb->next_item < rb->n_items)
        start_item(w, rb);
}

static void do_item(w_world *w, rec_runbook *rb, int kind, int item, int nth)
{
    char how[160];
    snprintf(how, sizeof how, "runbook %s (%d of %d)", rb->name, nth + 1, rb->n_items);
    switch (kind) {
    case STEP_PROMOTE:
        rec_promote_by_human(w, w->groups[item], how);
        return;
    case STEP_SWITCH_UNITS: { /* unless its home came back meanwhile */
        w_unit *u = &w->units[item];
        if (unit_waits(w, rb, u))
            rec_switch_unit(w, u, rec_standby_of(w, u), how);
        return;
    }
    case STEP_FAIL_BACK: {
        w_unit *u = &w->units[item];
        if (rec_unit_may_fail_back(w, u))
            rec_switch_unit(w, u, u->own, how);
        return;
    }
    default:
        if (dc_waits(w, rb, item))
            rec_drain(w, item, how);
        return;
    }
}

static void on_item_done(sim_engine *e, void *subject, void *object)
{
    (void)e;
    rec_runbook *rb = subject;
    w_world *w = rb->w;
    int nth = (int)(intptr_t)object;
    const stg_step *st = &rb->steps[rb->step];
    do_item(w, rb, st->kind, rb->items[nth], nth);
    rb->acted++;
    rb->working--;
    if (rb->next_item < rb->n_items) {
        start_item(w, rb);
        return;
    }
    if (rb->working == 0) {
        rb->step++;
        start_step(w, rb);
    }
}

static void phase_done(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    rec_runbook *rb = subject;
    char what[160];
    switch (rb->phase) {
    case RB_PAGED:
        world_event(w, EV_DETECT, rb->name, "runbook %s: monitoring pages the on-call: %s", rb->name, rb->why);
        next_phase(w, rb, RB_ACKNOWLEDGED, rb->acknowledge, 0);
        return;
    case RB_ACKNOWLEDGED:
        if (rb->acknowledge)
            tell(w, rb, EV_RUNBOOK, "%s", "the on-call acknowledges the page");
        next_phase(w, rb, RB_DIAGNOSED, rb->diagnose, 0);
        return;
    case RB_DIAGNOSED:
        if (rb->diagnose)
            tell(w, rb, EV_RUNBOOK, "%s", "diagnosed; trying the obvious repair first");
        next_phase(w, rb, RB_REPAIRED, rb->repair, 0);
        return;
    case RB_REPAIRED:
        if (!still_needed(w, rb)) {
            tell(w, rb, EV_RUNBOOK, "%s", "what paged is gone; closed with nothing to do");
            close_run(w, rb);
            return;
        }
        if (rb->repair)
            tell(w, rb, EV_RUNBOOK, "%s", "the obvious repair did not help; deciding to fail over");
        /* A power policy acts only once the building has been `after` on
         * its batteries. */
        next_phase(w, rb, RB_DECIDED, rb->decide, rb->on == RUNBOOK_ON_POWER_ALARM ? rb->alarm_at + rb->after : 0);
        return;
    case RB_DECIDED:
        if (rb->decide)
            tell(w, rb, EV_RUNBOOK, "%s", "decided: failing over");
        rb->phase = RB_STEPS;
        rb->step = 0;
        rb->acted = 0;
        start_step(w, rb);
        return;
    case RB_VERIFIED:
        if (rb->acted > 0 && still_needed(w, rb) && work_left(w, rb)) {
            /* More paged while it ran: the steps again (only while they
             * still find something to do, so a runbook whose steps cannot
             * clear what paged ends). */
            rb->phase = RB_STEPS;
            rb->step = 0;
            rb->acted = 0;
            start_step(w, rb);
            return;
        }
        snprintf(what, sizeof what, "%s", rb->verify ? "verified; done" : "done");
        tell(w, rb, EV_RUNBOOK, "%s", what);
        close_run(w, rb);
        return;
    default:
        return;
    }
}

/* ==== Paging, scripts ==== */

/* Starts a run at `phase` (paged after monitoring's detection, or at once
 * when `known`; or the operator on it already). */
static void start_run(w_world *w, rec_runbook *rb, const char *why, int phase, int known)
{
    rb->phase = phase;
    rb->alarm_at = sim_now(w->e);
    snprintf(rb->why, sizeof rb->why, "%s", why);
    if (phase == RB_PAGED)
        sim_event_post(w->e, sim_now(w->e) + (known ? 0 : rb->page), phase_done, rb, w);
    else
        next_phase(w, rb, RB_DIAGNOSED, rb->diagnose, 0);
}

int rec_runbook_page(w_world *w, int on, const w_db *db, int dc, const char *subject, const char *why)
{
    struct w_recovery *rc = w->recovery;
    int paged = 0;
    for (int i = 0; i < rc->n_runbooks; i++) {
        rec_runbook *rb = &rc->runbooks[i];
        if (rb->on != on || (rb->db && rb->db != db))
            continue;
        paged++;
        /* A stand-in is the database's own manual promotion; a runbook of
         * the stage's is the runbooks. Taken over, neither starts. */
        if (rb->db && rec_op_takes(w, REACT_PROMOTION)) {
            rec_op_alert(w, REACT_PROMOTION, subject, "%s: promoting it is yours (promote %s)", why, subject);
            continue;
        }
        if (!rb->db && rec_op_takes(w, REACT_RUNBOOKS)) {
            rec_op_alert(w, REC_ALERT_RUNBOOK(on), subject, "%s: runbook %s (on %s) is yours to follow", why, rb->name,
                         mdl_runbook_triggers[on]);
            continue;
        }
        if (dc >= 0)
            rb->alarmed[dc] = 1;
        if (rb->phase == RB_IDLE)
            start_run(w, rb, why, RB_PAGED, dc == -2);
    }
    return paged;
}

int rec_runbook_running(const w_world *w, const char *name)
{
    const struct w_recovery *rc = w->recovery;
    for (int i = 0; i < rc->n_runbooks; i++)
        if (!rc->runbooks[i].db && !strcmp(rc->runbooks[i].name, name))
            return rc->runbooks[i].phase != RB_IDLE;
    return 0;
}

int rec_runbook_script(w_world *w, const char *name)
{
    struct w_recovery *rc = w->recovery;
    for (int i = 0; i < rc->n_runbooks; i++) {
        rec_runbook *rb = &rc->runbooks[i];
        if (rb->db || strcmp(rb->name, name))
            continue;
        for (int d = 0; d < w->n_dcs; d++) /* a power runbook answers every alarm raised */
            if (w->dcs[d].alarm)
                rb->alarmed[d] = 1;
        if (rb->phase == RB_IDLE)
            start_run(w, rb, "started by the operator", RB_ACKNOWLEDGED, 1);
        return 1;
    }
    return 0;
}

void rec_on_power_alarm(w_world *w, const w_note *n, void *context)
{
    (void)context;
    const w_dc *d = &w->dcs[n->dc];
    if (!d->alarm) /* what the trainee was told of it is over */
        rec_op_settle(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_POWER_ALARM), d->geo->name);
    if (!d->alarm) { /* utility power is back: a building drained for it takes traffic again */
        if (d->drained)
            rec_undrain(w, n->dc, "utility power is back");
        return;
    }
    char why[128], left[SIM_TIME_TEXT_MAX];
    sim_time_format_duration(d->batteries_out - sim_now(w->e), left, sizeof left);
    snprintf(why, sizeof why, "%s is on batteries with no generator; they last %s", d->geo->name, left);
    rec_runbook_page(w, RUNBOOK_ON_POWER_ALARM, NULL, n->dc, d->geo->name, why);
}

/* ==== Building ==== */

/* A phase the file leaves out (none: it takes no time) is not told. */
static const mdl_dist *phase_of(const mdl_dist *d)
{
    return d->d.kind == SIM_DIST_CONSTANT && d->d.a == 0 ? NULL : d;
}

static void plan_from_stage(rec_runbook *rb, const stg_runbook *def)
{
    rb->name = def->name;
    rb->on = def->on;
    rb->page = def->page;
    rb->after = def->after;
    rb->acknowledge = phase_of(&def->acknowledge);
    rb->diagnose = phase_of(&def->diagnose);
    rb->repair = phase_of(&def->repair);
    rb->decide = phase_of(&def->decide);
    rb->verify = phase_of(&def->verify);
    rb->steps = def->steps.items;
    rb->n_steps = def->steps.n;
}

/* A database's manual promotion with no runbook of its own: paged after
 * promotion.detect, promotion.response to act, every lost group at once. */
static void plan_stand_in(rec_runbook *rb, const w_db *db)
{
    rb->name = db->def->name;
    rb->on = RUNBOOK_ON_PRIMARY_LOST;
    rb->db = db;
    rb->page = db->def->promotion.detect;
    rb->diagnose = &db->def->promotion.response;
    rb->stand_in_step.kind = STEP_PROMOTE;
    rb->stand_in_step.parallel = 1000000;
    rb->steps = &rb->stand_in_step;
    rb->n_steps = 1;
}

int rec_runbooks_init(w_world *w)
{
    struct w_recovery *rc = w->recovery;
    const mdl_list *defs = &w->st->runbooks;
    int covered = 0;
    for (size_t i = 0; i < defs->n; i++)
        covered |= MDL_ITEM(*defs, stg_runbook, i)->on == RUNBOOK_ON_PRIMARY_LOST;
    rc->runbooks = sim_calloc(defs->n + (size_t)w->n_dbs + 1, sizeof *rc->runbooks);
    if (!rc->runbooks)
        return SIM_ENOMEM;
    for (size_t i = 0; i < defs->n; i++)
        plan_from_stage(&rc->runbooks[rc->n_runbooks++], MDL_ITEM(*defs, stg_runbook, i));
    for (int d = 0; d < w->n_dbs && !covered; d++)
        if (w->dbs[d].def->promotion.mode == PROMOTE_MANUAL)
            plan_stand_in(&rc->runbooks[rc->n_runbooks++], &w->dbs[d]);
    int most = w->n_groups > w->n_units ? w->n_groups : w->n_units;
    most = most > w->n_dcs ? most : w->n_dcs;
    for (int i = 0; i < rc->n_runbooks; i++) {
        rc->runbooks[i].w = w;
        rc->runbooks[i].items = sim_calloc((size_t)most + 1, sizeof *rc->runbooks[i].items);
        rc->runbooks[i].alarmed = sim_calloc((size_t)w->n_dcs + 1, 1);
        if (!rc->runbooks[i].items || !rc->runbooks[i].alarmed)
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

void rec_runbooks_fini(w_world *w)
{
    struct w_recovery *rc = w->recovery;
    for (int i = 0; i < rc->n_runbooks; i++) {
        sim_free(rc->runbooks[i].items);
        sim_free(rc->runbooks[i].alarmed);
    }
    sim_free(rc->runbooks);
    rc->runbooks = NULL;
    rc->n_runbooks = 0;
}
