/* flt_place.c -- faults of places: a datacenter going dark (everything in
 * it stops at once: servers, balancers, database copies, the registry
 * replica) and coming back (servers after their boot time, databases after
 * crash recovery); isolation; partitions between groups of datacenters;
 * and the state of links and their fiber paths. */
#include "flt.h"
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
            sim_event_schedule(w->e, sim_now(w->e) + cell->pool->def->boot, on_server_booted, cell, w);
    }
    for (int db = 0; db < w->n_dbs; db++)
        for (int g = 0; g < w->dbs[db].n_groups; g++) {
            w_group *grp = &w->dbs[db].groups[g];
            for (int n = 0; n < grp->n_nodes; n++)
                if (grp->nodes[n].dc == d)
                    sim_event_schedule(w->e, sim_now(w->e) + grp->db->def->recovery, on_db_recovered,
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

void link_update(w_world *w, w_linkdir *ld)
{
    const geo_link *l = ld->geo;
    const geo_path *best = NULL;
    for (size_t p = 0; p < l->paths.n; p++) {
        const geo_path *gp = (const geo_path *)l->paths.items + p;
        if (ld->path_up[p] && (!best || gp->latency < best->latency))
            best = gp;
    }
    ld->up = best != NULL && ld->cuts == 0;
    if (best) {
        ld->latency = best->latency + ld->added;
        ld->ns_per_byte = 8e9 / (best->bandwidth * w->scale);
    }
    w->topology++;
}
