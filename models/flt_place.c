/* flt_place.c -- faults of places: a datacenter going dark (everything in
 * it stops at once: servers, balancers, database copies, the registry
 * replica) and coming back (servers after their boot time, databases after
 * crash recovery); isolation; partitions between groups of datacenters;
 * and the state of links and their fiber paths. */
#include <math.h>
#include <stdint.h>

#include "flt.h"
#include "sim_alloc.h"
#include "req.h"

static void on_server_booted(sim_engine *e, void *subject, void *object);
static void on_db_recovered(sim_engine *e, void *subject, void *object);

void dc_dark(w_world *w, int dc, const char *why)
{
    w_dc *d = &w->dcs[dc];
    if (d->dark++ > 0)
        return;
    d->powered = 0;
    d->epoch++;
    w->topology++;
    world_event(w, "dark", d->geo->name, "%s went dark (%s)", d->geo->name, why);
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        if (cell->dc != d)
            continue;
        for (int s = 0; s < cell->n_servers; s++) {
            cell->servers[s].booted = 0;
            server_refresh(w, &cell->servers[s]);
        }
        rec_cell_changed(w, cell);
    }
    for (int db = 0; db < w->n_dbs; db++)
        for (int g = 0; g < w->dbs[db].n_groups; g++) {
            w_group *grp = &w->dbs[db].groups[g];
            for (int n = 0; n < grp->n_nodes; n++)
                if (grp->nodes[n].dc == d) {
                    grp->nodes[n].recovering = 1;
                    dbnode_refresh(w, grp, n);
                }
        }
    registry_refresh(w);
    rec_entry_changed(w, dc);
}

void dc_light(w_world *w, int dc)
{
    w_dc *d = &w->dcs[dc];
    if (d->dark == 0 || --d->dark > 0)
        return;
    d->powered = 1;
    w->topology++;
    world_event(w, "power", d->geo->name, "power is back in %s", d->geo->name);
    /* Servers boot, databases recover; balancers and the registry answer. */
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        if (cell->dc == d)
            sim_event_post(w->e, sim_now(w->e) + cell->pool->def->boot, on_server_booted, cell, w);
    }
    for (int db = 0; db < w->n_dbs; db++)
        for (int g = 0; g < w->dbs[db].n_groups; g++) {
            w_group *grp = &w->dbs[db].groups[g];
            for (int n = 0; n < grp->n_nodes; n++)
                if (grp->nodes[n].dc == d)
                    sim_event_post(w->e, sim_now(w->e) + grp->db->def->recovery, on_db_recovered,
                                       grp, (void *)(intptr_t)(n + 1) /* node + 1 */);
        }
    registry_refresh(w);
    rec_entry_changed(w, dc);
}

static void on_server_booted(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_cell *cell = subject;
    w_world *w = object;
    if (!cell->dc->powered)
        return; /* dark again before it finished */
    for (int s = 0; s < cell->n_servers; s++) {
        cell->servers[s].booted = 1;
        server_refresh(w, &cell->servers[s]);
    }
    world_event(w, "boot", cell->dc->geo->name, "%s's servers in %s are up again", cell->unit->def->name,
                cell->dc->geo->name);
    rec_cell_changed(w, cell);
}

static void on_db_recovered(sim_engine *e, void *subject, void *object)
{
    w_group *g = subject;
    int n = (int)(intptr_t)object - 1;
    w_world *w = g->db->world;
    (void)e;
    if (!g->nodes[n].dc->powered)
        return;
    g->nodes[n].recovering = 0;
    dbnode_refresh(w, g, n);
}

void dc_isolate(w_world *w, int dc, int mode, int on)
{
    w_dc *d = &w->dcs[dc];
    d->isolated = on ? (mode == REJECT_FAST ? 2 : 1) : 0;
    w->topology++;
    registry_refresh(w);
    rec_entry_changed(w, dc);
    for (int c = 0; c < w->n_cells; c++)
        if (w->cells[c]->dc == d)
            rec_cell_changed(w, w->cells[c]);
    for (int db = 0; db < w->n_dbs; db++)
        for (int g = 0; g < w->dbs[db].n_groups; g++) {
            w_group *grp = &w->dbs[db].groups[g];
            for (int n = 0; n < grp->n_nodes; n++)
                if (grp->nodes[n].dc == d)
                    dbnode_refresh(w, grp, n);
        }
}

void net_block(w_world *w, const int *a, int na, const int *b, int nb, int mode, int on)
{
    uint8_t v = on ? (mode == REJECT_FAST ? 2 : 1) : 0;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) {
            w->blocked[a[i] * w->n_dcs + b[j]] = v;
            w->blocked[b[j] * w->n_dcs + a[i]] = v;
        }
    w->topology++;
    registry_refresh(w);
    /* Whoever lost sight of what: cells, copies and entries look again. */
    for (int c = 0; c < w->n_cells; c++)
        rec_cell_changed(w, w->cells[c]);
    for (int db = 0; db < w->n_dbs; db++)
        for (int g = 0; g < w->dbs[db].n_groups; g++)
            for (int n = 0; n < w->dbs[db].groups[g].n_nodes; n++)
                dbnode_refresh(w, &w->dbs[db].groups[g], n);
}

/* The fastest healthy fiber path of a link by itself, or NULL. */
static const geo_path *best_path(const w_linkdir *ld)
{
    const geo_path *best = NULL;
    for (size_t p = 0; p < ld->geo->paths.n; p++) {
        const geo_path *gp = (const geo_path *)ld->geo->paths.items + p;
        if (ld->path_up[p] && (!best || gp->latency < best->latency))
            best = gp;
    }
    return ld->cuts == 0 ? best : NULL;
}

static const char *place_name(const w_world *w, int place)
{
    return place >= 0 ? w->dcs[place].geo->name
                      : ((const geo_city *)w->geo->cities.items + (-1 - place))->name;
}

/* A link's end `end` serves place `place`: the same place, or the city of
 * a datacenter (a metro link cut goes round through another city). */
static int touches(const w_world *w, int end, int place)
{
    return end == place || (place >= 0 && end == -1 - w->dcs[place].city);
}

void link_update(w_world *w, w_linkdir *changed)
{
    (void)changed; /* one link's change can open or close another's detour */
    /* Each link by itself first. */
    double *bandwidth = sim_calloc((size_t)w->n_links + 1, sizeof *bandwidth);
    for (int k = 0; k < w->n_links; k++) {
        w_linkdir *ld = &w->links[k];
        const geo_path *best = best_path(ld);
        if (best) {
            ld->latency = best->latency + ld->added;
            if (bandwidth)
                bandwidth[k] = best->bandwidth;
        }
    }
    /* A cut link carries its traffic over two healthy links through a third
     * place, as IP routing goes round a cut: their latencies added, the
     * smaller bandwidth. (The detour's traffic does not join their queues.) */
    for (int k = 0; k < w->n_links; k++) {
        w_linkdir *ld = &w->links[k];
        int was = ld->detour ? ld->via : INT32_MIN;
        if (best_path(ld)) {
            ld->up = 1;
            ld->detour = 0;
            ld->ns_per_byte = 8e9 / (bandwidth ? bandwidth[k] : 1e9) / w->scale;
            continue;
        }
        int first = -1, second = -1;
        sim_time best = SIM_TIME_NEVER;
        for (int a = 0; a < w->n_links; a++) {
            if (a == k || !touches(w, w->links[a].from, ld->from) || !best_path(&w->links[a]))
                continue;
            for (int b = 0; b < w->n_links; b++)
                if (b != k && w->links[b].from == w->links[a].to && touches(w, w->links[b].to, ld->to) &&
                    best_path(&w->links[b]) && w->links[a].latency + w->links[b].latency < best) {
                    best = w->links[a].latency + w->links[b].latency;
                    first = a;
                    second = b;
                }
        }
        ld->up = first >= 0;
        ld->detour = first >= 0;
        ld->via = first >= 0 ? w->links[first].to : 0;
        if (first >= 0) {
            ld->latency = best + ld->added;
            double bw = bandwidth ? fmin(bandwidth[first], bandwidth[second]) : 1e9;
            ld->ns_per_byte = 8e9 / bw / w->scale;
        }
        if (ld->detour && ld->via != was && k % 2 == 0) {
            char lat[SIM_TIME_TEXT_MAX];
            sim_time_format_duration(ld->latency, lat, sizeof lat);
            world_event(w, "reroute", place_name(w, ld->from), "%s~%s is cut: its traffic detours through %s (%s one way)",
                        place_name(w, ld->from), place_name(w, ld->to), place_name(w, ld->via), lat);
        }
    }
    sim_free(bandwidth);
    w->topology++;
}
