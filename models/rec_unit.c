/* rec_unit.c -- the unit traffic switch and blue-green rollback.
 *
 * The unit switch (AppActive's four steps): when the registry finds a
 * unit's cell gone, or a human decides so, the moving shards' writes are
 * forbidden, the switch waits for their databases to have a live primary
 * and their copies to catch up (giving up after the bound), then pushes
 * the new mapping to every gateway (push delay): the unit's users go to
 * its standby cell. Requests routed by the old mapping meanwhile fail.
 *
 * Blue-green: the green group's error rate is watched over a window; past
 * the threshold (with enough requests) its traffic goes back to blue after
 * the rollback delay. */
#include <stdio.h>

#include "flt.h"
#include "req.h"

int cell_alive(const w_world *w, const w_cell *c)
{
    if (!c->dc->powered || c->dc->isolated)
        return 0;
    /* With a registry, alive means heard: a cell cut off from its majority
     * is gone as far as routing is concerned. */
    if (w->st->registry.head.present && !registry_hears(w, c->dc->index))
        return 0;
    for (int s = 0; s < c->n_servers; s++)
        if (c->servers[s].up)
            return 1;
    return 0;
}

static w_cell *standby_of(const w_world *w, const w_unit *u)
{
    for (int c = 0; c < u->n_cells; c++)
        if (u->cells[c] != u->home && cell_alive(w, u->cells[c]))
            return u->cells[c];
    return NULL;
}

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
static void on_unit_decided(sim_engine *e, void *subject, void *object);
static void on_unit_detected_clear(sim_engine *e, void *subject, void *object);

static void on_catch_up(sim_engine *e, void *subject, void *object)
{
    w_world *w = object;
    switch_job *job = subject;
    const stg_unit_switch *cfg = &w->st->unit_switch;
    w_group *groups[32];
    int n = unit_groups(w, job->unit, groups, 32), ready = 1;
    for (int i = 0; i < n; i++) {
        w_group *g = groups[i];
        int live = g->primary >= 0 && g->nodes[g->primary].up && g->nodes[g->primary].dc->powered &&
                   net_reachable(w, job->to->dc->index, g->nodes[g->primary].dc->index);
        ready &= live && !g->promoting;
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
    w_group *groups[32];
    int n = unit_groups(w, u, groups, 32);
    for (int i = 0; i < n; i++)
        groups[i]->write_forbidden = 0;
    route_refresh(w);
    rec_unit_home_changed(w, u);
    world_event(w, "switch", u->def->name, "unit %s switched from %s to %s (%s)", u->def->name,
                from ? from->dc->geo->name : "-", job->to->dc->geo->name, job->why);
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
    const stg_unit_switch *cfg = &w->st->unit_switch;
    if (!cfg->head.present || cfg->write_forbid) {
        w_group *groups[32];
        int n = unit_groups(w, u, groups, 32);
        for (int i = 0; i < n; i++)
            groups[i]->write_forbidden = 1;
    }
    world_event(w, "forbid", u->def->name, "unit %s: writes forbidden while it moves to %s", u->def->name,
                to->dc->geo->name);
    sim_event_post(w->e, sim_now(w->e), on_catch_up, job, w);
}

static void on_unit_detected(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_unit *u = subject;
    if (u->switching || !u->home || cell_alive(w, u->home))
        return; /* back already, or moving already */
    world_event(w, "detect", u->def->name, "unit %s's cell in %s is gone", u->def->name, u->home->dc->geo->name);
    const stg_unit_switch *cfg = &w->st->unit_switch;
    if (cfg->trigger == TRIGGER_MANUAL) {
        double s = sim_dist_sample(&cfg->response.d, &w->human_rng);
        sim_event_post(w->e, sim_now(w->e) + (s > 0 ? (sim_time)(s * 1e9) : 0), on_unit_decided, u, w);
        return;
    }
    rec_switch_unit(w, u, standby_of(w, u), "automatic");
}

static void on_unit_decided(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_unit *u = subject;
    if (!u->home || cell_alive(w, u->home))
        return;
    rec_switch_unit(w, u, standby_of(w, u), "by a human");
}

void rec_cell_changed(w_world *w, w_cell *c)
{
    w_unit *u = c->unit;
    if (!w->st->unit_switch.head.present || u->home != c || u->switching || u->detecting)
        return;
    if (cell_alive(w, c) || !w->registry_up || !standby_of(w, u))
        return;
    /* The registry misses the cell's heartbeats. */
    const stg_registry *reg = &w->st->registry;
    double jitter = sim_rng_uniform(&w->detect_rng) * (double)reg->heartbeat;
    u->detecting = 1;
    sim_event_post(w->e, sim_now(w->e) + reg->threshold * reg->heartbeat - (sim_time)jitter, on_unit_detected_clear, u, w);
}

static void on_unit_detected_clear(sim_engine *e, void *subject, void *object)
{
    w_unit *u = subject;
    u->detecting = 0;
    on_unit_detected(e, subject, object);
}

/* ==== Blue-green ==== */

static void on_rolled_back(sim_engine *e, void *subject, void *object)
{
    (void)e;
    (void)subject;
    w_world *w = object;
    /* Without a green group the release went everywhere, and so does the
     * rollback: every server goes back to the old release. */
    int green = 0;
    for (int c = 0; c < w->n_cells; c++)
        for (int s = 0; s < w->cells[c]->n_servers; s++)
            green |= w->cells[c]->servers[s].green;
    for (int c = 0; c < w->n_cells; c++)
        for (int s = 0; s < w->cells[c]->n_servers; s++) {
            w_server *sv = &w->cells[c]->servers[s];
            if (sv->green || !green) {
                sv->error_rate = 0;
                sv->slowdown = 1;
            }
        }
    world_event(w, "rollback", green ? "green" : "all", green ? "the green group is back on the old release" : "every server is back on the old release");
}

void rec_rollback_now(w_world *w, const char *why)
{
    if (w->rolling_back)
        return;
    w->rolling_back = 1;
    if (!strcmp(why, "automatic")) /* the operator's action has its own row */
        world_event(w, "detect", "green", "the green group fails too often: rolling back");
    sim_event_post(w->e, sim_now(w->e) + w->st->blue_green.rollback_delay, on_rolled_back, NULL, w);
}

void rec_green_tick(w_world *w)
{
    const stg_blue_green *bg = &w->st->blue_green;
    int k = (int)(sim_now(w->e) / SIM_SEC % 64);
    w->green_window_req[k] = w->green_requests;
    w->green_window_err[k] = w->green_errors;
    w->green_requests = w->green_errors = 0;
    if (!bg->head.present || w->rolling_back)
        return;
    int span = (int)(bg->window / SIM_SEC);
    if (span < 1)
        span = 1;
    if (span > 63)
        span = 63;
    uint64_t req = 0, err = 0;
    for (int i = 0; i < span; i++) {
        req += w->green_window_req[(k - i + 64) % 64];
        err += w->green_window_err[(k - i + 64) % 64];
    }
    if ((double)req >= (double)bg->min_requests * w->scale && req > 0 &&
        (double)err > bg->error_threshold / 100 * (double)req)
        rec_rollback_now(w, "automatic");
}
