/* rec_servers.c -- detection of dead application servers: a dead server
 * leaves rotation when its balancer's health checks fail `threshold`
 * times, or when the registry misses `threshold` heartbeats and pushes the
 * news (not at all while the registry is down: the news goes out when it
 * answers again). A server back up rejoins after one check or heartbeat. */
#include <math.h>

#include "rec_int.h"

static void rotation_rebuild(w_world *w, w_cell *c)
{
    w->generation++; /* no note: nothing else listens, but the view moves */
    c->n_rotation = 0;
    for (int s = 0; s < c->n_servers; s++)
        if (c->servers[s].in_rotation)
            c->rotation[c->n_rotation++] = s;
}

/* When a server's death reaches the balancer, from now. */
static sim_time server_detection(w_world *w)
{
    double u = sim_rng_uniform(&w->recovery->detect_rng);
    if (w->st->balancer.membership == MEMBERS_REGISTRY) {
        const stg_registry *reg = &w->st->registry;
        /* The last heartbeat came up to one period before the death. */
        return (sim_time)((double)reg->threshold * (double)reg->heartbeat - u * (double)reg->heartbeat) + reg->push_delay;
    }
    const stg_check *hc = &w->st->balancer.health_check;
    return (sim_time)(u * (double)hc->interval) + (hc->threshold - 1) * hc->interval + hc->timeout;
}

static void on_remove(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_server *sv = subject;
    if (sv->up || !sv->in_rotation)
        return; /* back already, or out already */
    if (w->st->balancer.membership == MEMBERS_REGISTRY && !w->registry_up) {
        sv->pending_removal = 1; /* nobody can tell the balancers */
        return;
    }
    sv->in_rotation = 0;
    sv->pending_removal = 0;
    w_cell *c = sv->cell;
    rotation_rebuild(w, c);
    if (!c->detect_noted) {
        c->detect_noted = 1;
        world_event(w, EV_DETECT, c->dc->geo->name, "dead servers of %s in %s detected and taken out of rotation",
                    c->unit->def->name, c->dc->geo->name);
    }
}

void rec_on_server_down(w_world *w, const w_note *n, void *context)
{
    (void)context;
    w_server *sv = &w->cells[n->cell]->servers[n->server];
    sim_event_post(w->e, sim_now(w->e) + server_detection(w), on_remove, sv, w);
}

static void on_add(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_server *sv = subject;
    if (!sv->up || sv->in_rotation)
        return;
    sv->in_rotation = 1;
    rotation_rebuild(w, sv->cell);
    int all = 1;
    for (int s = 0; s < sv->cell->n_servers; s++)
        all &= sv->cell->servers[s].in_rotation;
    if (all)
        sv->cell->detect_noted = 0;
    (void)w;
}

void rec_on_server_up(w_world *w, const w_note *n, void *context)
{
    (void)context;
    w_server *sv = &w->cells[n->cell]->servers[n->server];
    if (sv->in_rotation)
        return; /* it never left */
    sim_time delay = w->st->balancer.membership == MEMBERS_REGISTRY ? w->st->registry.heartbeat + w->st->registry.push_delay
                                                                   : w->st->balancer.health_check.interval;
    sim_event_post(w->e, sim_now(w->e) + delay, on_add, sv, w);
}

void rec_on_registry_servers(w_world *w, const w_note *n, void *context)
{
    (void)n;
    (void)context;
    /* News held back while the registry was down goes out now. */
    if (w->registry_up)
        for (int c = 0; c < w->n_cells; c++)
            for (int s = 0; s < w->cells[c]->n_servers; s++)
                if (w->cells[c]->servers[s].pending_removal)
                    sim_event_post(w->e, sim_now(w->e) + w->st->registry.push_delay, on_remove,
                                   &w->cells[c]->servers[s], w);
}

