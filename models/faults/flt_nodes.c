/* flt_nodes.c -- faults of components: application servers (one of each
 * cell targeted, or a share of them, or one given server for random
 * faults), an entry point's balancer, a database copy (the primary or the
 * first replica), the registry's replicas, and gray nodes (slow but alive).
 * Each crash is counted, so overlapping faults end properly. */
#include "flt_int.h"

/* The first `share` percent of each targeted cell's servers crash. */
static void crash_servers(w_fault *f, int on, double share)
{
    const w_target *t = &f->target;
    for (int c = 0; c < t->n_cells; c++)
        for (int s = 0; s < flt_share_of(t->cells[c]->n_servers, share); s++)
            server_crash(f->w, &t->cells[c]->servers[s], on);
}

void flt_server(w_fault *f, int on)
{
    if (f->random_class == COMPONENT_SERVER) { /* one given server */
        server_crash(f->w, &f->target.cells[0]->servers[f->component], on);
        return;
    }
    crash_servers(f, on, 0); /* at least one: the first of each cell */
}

void flt_pool_share(w_fault *f, int on) { crash_servers(f, on, f->def->share); }

void flt_balancer(w_fault *f, int on)
{
    for (int i = 0; i < f->target.n_dcs; i++)
        entry_set(f->w, f->target.dcs[i], !on);
}

static int primary_of(const w_group *g) { return g->primary >= 0 ? g->primary : 0; }

static int first_replica(const w_group *g)
{
    for (int i = 0; i < g->n_nodes; i++)
        if (i != g->primary && !g->nodes[i].is_failover)
            return i;
    return -1;
}

/* One copy of each targeted group crashes: the one `which` names when the
 * fault starts (remembered, as the primary may move before it ends). */
static void crash_copies(w_fault *f, int on, int (*which)(const w_group *g))
{
    w_target *t = &f->target;
    for (int i = 0; i < t->n_groups; i++) {
        w_group *g = t->groups[i];
        if (on)
            t->nodes[i] = which(g);
        if (t->nodes[i] >= 0)
            dbnode_crash(f->w, g, t->nodes[i], on);
    }
}

void flt_db_primary(w_fault *f, int on) { crash_copies(f, on, primary_of); }
void flt_db_replica(w_fault *f, int on) { crash_copies(f, on, first_replica); }

void flt_registry(w_fault *f, int on)
{
    w_world *w = f->w;
    const w_target *t = &f->target;
    for (size_t i = 0; i < w->st->registry.datacenters.n; i++) {
        int dc = world_dc_index(w, w->st->registry.datacenters.v[i]);
        int hit = t->n_dcs == 0; /* the whole registry */
        for (int j = 0; j < t->n_dcs; j++)
            hit |= t->dcs[j] == dc;
        if (dc >= 0 && hit)
            w->dcs[dc].registry_faults += on ? 1 : -1;
    }
    registry_refresh(w);
}

void flt_gray(w_fault *f, int on)
{
    w_target *t = &f->target;
    double slowdown = on ? f->def->slowdown : 1;
    for (int i = 0; i < t->n_groups; i++) {
        w_group *g = t->groups[i];
        if (on)
            t->nodes[i] = primary_of(g);
        g->nodes[t->nodes[i]].slowdown = slowdown;
    }
    for (int c = 0; c < t->n_cells; c++)
        t->cells[c]->servers[0].slowdown = slowdown;
}
