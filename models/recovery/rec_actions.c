/* rec_actions.c -- the operator's actions scripted in the scenario, at
 * their time or `delay` after the first event of the kind they wait `on`:
 * switch a unit (or fail it back), promote a copy, roll back a release,
 * drain a datacenter (or undrain it), shed or restore a request type,
 * start a runbook of the stage's. rec_act does them, for the trainee's
 * acts too (rec_operator.c). Each is told in
 * events.csv as the operator's, then acts through the same mechanisms the
 * stage's automation uses. */
#include <stdio.h>
#include <string.h>

#include "rec_int.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "target.h"

void rec_drain(w_world *w, int dc, const char *why)
{
    w_dc *d = &w->dcs[dc];
    if (d->drained)
        return;
    int elsewhere = 0; /* a cell in another building to take its traffic */
    for (int c = 0; c < w->n_cells && !elsewhere; c++)
        elsewhere = w->cells[c]->dc != d && w->cells[c]->dc->used;
    if (!elsewhere) {
        world_event(w, EV_RUNBOOK, d->geo->name, "%s is not drained: no other datacenter could take its traffic (%s)",
                    d->geo->name, why);
        return;
    }
    d->drained = 1;
    rec_op_settle(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_POWER_ALARM), d->geo->name);
    world_event(w, EV_SWITCH, d->geo->name, "%s drained: its traffic moves to the other datacenters (%s)", d->geo->name, why);
    for (int c = 0; c < w->n_cells; c++)
        if (w->cells[c]->dc->index == dc)
            w->cells[c]->share = 0;
    entry_set(w, dc, 0);
    route_refresh(w);
    /* Units at home there move to their standby, as a unit switch does. */
    for (int u = 0; u < w->n_units; u++) {
        w_unit *unit = &w->units[u];
        if (unit->home && unit->home->dc == d && !unit->switching)
            rec_switch_unit(w, unit, rec_standby_of(w, unit), why);
    }
}

void rec_undrain(w_world *w, int dc, const char *why)
{
    w_dc *d = &w->dcs[dc];
    if (!d->drained)
        return;
    d->drained = 0;
    for (int c = 0; c < w->n_cells; c++)
        if (w->cells[c]->dc == d)
            w->cells[c]->share = w->cells[c]->def->share;
    entry_set(w, dc, 1);
    route_refresh(w);
    world_event(w, EV_RESTORE, d->geo->name, "%s takes traffic again (%s)", d->geo->name, why);
    for (int c = 0; c < w->n_cells; c++) /* its units' own cells may fail back */
        if (w->cells[c]->dc == d)
            rec_cell_changed(w, w->cells[c]);
}

w_cell *rec_switch_cell(const w_unit *u, int kind, const char *to)
{
    w_cell *cell = NULL;
    for (int c = 0; c < u->n_cells; c++) {
        w_cell *x = u->cells[c];
        if (to ? !strcmp(x->dc->geo->name, to) : (kind == ACTION_FAILBACK ? !x->def->standby : x != u->home))
            cell = x;
    }
    return cell;
}

void rec_act(w_world *w, int kind, const w_target *t, const char *to, const char *type, const char *runbook,
             const char *by)
{
    switch (kind) {
    case ACTION_SWITCH_UNIT:
    case ACTION_FAILBACK: {
        w_unit *u = t->unit;
        if (!u)
            return;
        w_cell *cell = rec_switch_cell(u, kind, to);
        if (cell && cell != u->home)
            rec_switch_unit(w, u, cell, by);
        return;
    }
    case ACTION_PROMOTE:
        for (int i = 0; i < t->n_groups; i++)
            rec_promote_now(w, t->groups[i], by);
        return;
    case ACTION_ROLLBACK:
        rec_rollback_now(w, by);
        return;
    case ACTION_DRAIN:
        for (int i = 0; i < t->n_dcs; i++)
            rec_drain(w, t->dcs[i], by);
        return;
    case ACTION_UNDRAIN:
        for (int i = 0; i < t->n_dcs; i++)
            rec_undrain(w, t->dcs[i], by);
        return;
    case ACTION_RUNBOOK:
        if (!runbook || !rec_runbook_script(w, runbook))
            world_event(w, EV_UNMATCHED, runbook ? runbook : "-", "this stage has no runbook named %s",
                        runbook ? runbook : "-");
        return;
    case ACTION_DEGRADE:
    case ACTION_RESTORE:
        for (int ty = 0; ty < w->n_types; ty++)
            if (type && !strcmp(w->types[ty]->name, type))
                prot_set_shed(w, ty, kind == ACTION_DEGRADE);
        return;
    default:
        return;
    }
}

static void run_action(w_world *w, const scn_action *a)
{
    w_target t;
    target_resolve(w, &a->target, -1, &t);
    char who[160];
    snprintf(who, sizeof who, "%s", t.label[0] ? t.label : "-");
    world_event(w, EV_ACTION, who, "the operator acts: %s %s", mdl_action_kinds[a->kind], who);
    rec_act(w, a->kind, &t, a->to, a->type, a->runbook, "by the operator");
}

static void on_action(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    run_action(w, subject);
}

void rec_on_event_actions(w_world *w, const w_note *n, void *context)
{
    (void)context;
    struct w_recovery *rc = w->recovery;
    for (size_t i = 0; i < rc->n_actions; i++) {
        rec_action *a = &rc->actions[i];
        if (a->fired || a->on != n->event->kind)
            continue;
        a->fired = 1;
        sim_event_post(w->e, sim_now(w->e) + a->def->delay, on_action, (void *)a->def, w);
    }
}


int rec_actions_start(w_world *w)
{
    struct w_recovery *rc = w->recovery;
    const scenario *sc = w->sc;
    rc->n_actions = sc->actions.n;
    rc->actions = sim_calloc(rc->n_actions + 1, sizeof *rc->actions);
    if (!rc->actions)
        return SIM_ENOMEM;
    for (size_t i = 0; i < sc->actions.n; i++) {
        const scn_action *a = MDL_ITEM(sc->actions, scn_action, i);
        rc->actions[i].def = a;
        rc->actions[i].on = a->on ? mdl_enum_index(mdl_event_kinds, a->on) : -1;
        if (a->at) {
            sim_time clock;
            const char *why;
            sim_time_parse_clock(a->at->text, &clock, &why);
            rc->actions[i].fired = 1;
            sim_time at = mdl_clock_to_run(sc, clock);
            if (!sim_event_post(w->e, at > 0 ? at : 0, on_action, (void *)a, w))
                return SIM_ENOMEM;
        }
    }
    return SIM_OK;
}
