/* world_build.c -- building the world's places, services and databases
 * from a stage, its geography and the scenario, at a scale: F of the users
 * and F of every replicated resource (servers, workers, connections,
 * bandwidth, limits), in whole units that keep their totals
 * (world_scale.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dblog.h"
#include "net.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "sim_time.h"
#include "world.h"
#include "world_event.h"
#include "world_scale.h"

int world_dc_index(const w_world *w, const char *name)
{
    for (int i = 0; i < w->n_dcs; i++)
        if (strcmp(w->dcs[i].geo->name, name) == 0)
            return i;
    return -1;
}

static int city_index(const geography *g, const char *name)
{
    for (size_t i = 0; i < g->cities.n; i++)
        if (strcmp(MDL_ITEM(g->cities, geo_city, i)->name, name) == 0)
            return (int)i;
    return -1;
}

/* ==== Places and links ==== */

static int build_network(w_world *w)
{
    const geography *g = w->geo;
    w->n_dcs = (int)g->datacenters.n;
    w->dcs = sim_calloc((size_t)w->n_dcs, sizeof *w->dcs);
    if (!w->dcs)
        return SIM_ENOMEM;
    for (int i = 0; i < w->n_dcs; i++) {
        w_dc *d = &w->dcs[i];
        d->index = i;
        d->geo = MDL_ITEM(g->datacenters, geo_dc, (size_t)i);
        d->city = city_index(g, d->geo->city);
        d->used = mdl_stage_uses_dc(w->st, d->geo->name);
        d->powered = 1;
        d->entry_up = 1;
    }
    w->n_links = (int)g->links.n * 2;
    w->links = sim_calloc((size_t)w->n_links + 1, sizeof *w->links);
    w->route = sim_calloc((size_t)(w->n_dcs * w->n_dcs), sizeof *w->route);
    w->blocked = sim_calloc((size_t)(w->n_dcs * w->n_dcs), 1);
    w->reach = sim_calloc((size_t)(w->n_dcs * w->n_dcs), 1);
    if (!w->links || !w->route || !w->blocked || !w->reach)
        return SIM_ENOMEM;
    for (size_t i = 0; i < g->links.n; i++) {
        const geo_link *l = MDL_ITEM(g->links, geo_link, i);
        int a = world_dc_index(w, l->between.v[0]), b = world_dc_index(w, l->between.v[1]);
        int ca = city_index(g, l->between.v[0]), cb = city_index(g, l->between.v[1]);
        for (int dir = 0; dir < 2; dir++) {
            w_linkdir *ld = &w->links[2 * i + (size_t)dir];
            ld->geo = l;
            ld->from = a >= 0 ? (dir ? b : a) : -1 - (dir ? cb : ca);
            ld->to = a >= 0 ? (dir ? a : b) : -1 - (dir ? ca : cb);
            ld->path_up = sim_calloc(l->paths.n, sizeof *ld->path_up);
            if (!ld->path_up)
                return SIM_ENOMEM;
            for (size_t p = 0; p < l->paths.n; p++)
                ld->path_up[p] = 1;
            const geo_path *fast = MDL_ITEM(l->paths, geo_path, 0);
            for (size_t p = 1; p < l->paths.n; p++)
                if (MDL_ITEM(l->paths, geo_path, p)->latency < fast->latency)
                    fast = MDL_ITEM(l->paths, geo_path, p);
            ld->latency = fast->latency;
            ld->jitter = l->jitter;
            ld->loss = l->loss / 100;
            ld->bandwidth_factor = 1;
            ld->ns_per_byte = 8e9 / (fast->bandwidth * w->scale);
            ld->up = 1;
            ld->last_arrival = -1;
            char name[160];
            snprintf(name, sizeof name, "link.%s~%s.%d", l->between.v[0], l->between.v[1], dir);
            sim_rng_init(&ld->rng, w->seed, name);
        }
    }
    /* Datacenter pairs: their own link first, else their cities' link. */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < w->n_links; k++) {
            w_linkdir *ld = &w->links[k];
            int dc_link = ld->from >= 0;
            if (dc_link != (pass == 0))
                continue;
            for (int i = 0; i < w->n_dcs; i++)
                for (int j = 0; j < w->n_dcs; j++) {
                    if (i == j || w->route[i * w->n_dcs + j])
                        continue;
                    int match = dc_link ? (ld->from == i && ld->to == j)
                                        : (-1 - ld->from == w->dcs[i].city && -1 - ld->to == w->dcs[j].city);
                    if (match)
                        w->route[i * w->n_dcs + j] = ld;
                }
        }
    /* Caches keyed by the topology start at 0 (zeroed groups): 0 is never
     * one, whatever changes follow. */
    w->topology = 1;
    net_refresh(w);
    return SIM_OK;
}

/* ==== Pools, units, cells ==== */

static int type_index(const w_world *w, const char *name)
{
    for (int t = 0; t < w->n_types; t++)
        if (strcmp(w->types[t]->name, name) == 0)
            return t;
    return -1;
}

static int build_services(w_world *w)
{
    const stage *st = w->st;
    w->n_pools = (int)st->pools.n;
    w->pools = sim_calloc((size_t)w->n_pools, sizeof *w->pools);
    if (!w->pools)
        return SIM_ENOMEM;
    for (int i = 0; i < w->n_pools; i++) {
        w_pool *p = &w->pools[i];
        p->def = MDL_ITEM(st->pools, stg_pool, (size_t)i);
        p->index = i;
        p->workers = (int)p->def->workers; /* per server: not scaled */
        p->queue_limit = (int)p->def->queue_limit;
        p->drop_expired = p->def->drop_expired;
        p->service = sim_calloc((size_t)w->n_types, sizeof *p->service);
        if (!p->service)
            return SIM_ENOMEM;
        for (size_t k = 0; k < p->def->service_time.n; k++) {
            int t = type_index(w, p->def->service_time.keys[k]);
            if (t >= 0)
                p->service[t] = ((const mdl_dist *)p->def->service_time.values)[k].d;
        }
    }
    w->n_units = (int)st->units.n;
    w->units = sim_calloc((size_t)w->n_units, sizeof *w->units);
    int total_cells = 0;
    for (size_t i = 0; i < st->units.n; i++)
        total_cells += (int)MDL_ITEM(st->units, stg_unit, i)->cells.n;
    w->cells = sim_calloc((size_t)total_cells + 1, sizeof *w->cells);
    if (!w->units || !w->cells)
        return SIM_ENOMEM;
    for (int u = 0; u < w->n_units; u++) {
        w_unit *unit = &w->units[u];
        unit->def = MDL_ITEM(st->units, stg_unit, (size_t)u);
        unit->index = u;
        unit->kind = unit->def->kind;
        unit->n_cells = (int)unit->def->cells.n;
        unit->cells = sim_calloc((size_t)unit->n_cells + 1, sizeof *unit->cells);
        if (!unit->cells)
            return SIM_ENOMEM;
        for (int c = 0; c < unit->n_cells; c++) {
            w_cell *cell = sim_calloc(1, sizeof *cell);
            if (!cell)
                return SIM_ENOMEM;
            unit->cells[c] = cell;
            cell->index = w->n_cells;
            w->cells[w->n_cells++] = cell;
            cell->def = MDL_ITEM(unit->def->cells, stg_cell, (size_t)c);
            cell->unit = unit;
            cell->dc = &w->dcs[world_dc_index(w, cell->def->datacenter)];
            for (int p = 0; p < w->n_pools; p++)
                if (strcmp(w->pools[p].def->name, cell->def->pool) == 0)
                    cell->pool = &w->pools[p];
            cell->active = !cell->def->standby;
            cell->share = cell->def->share;
            int rc = world_scale_cell(w, cell); /* n_servers, and its pool sized for them */
            if (rc)
                return rc;
            cell->servers = sim_calloc((size_t)cell->n_servers, sizeof *cell->servers);
            cell->rotation = sim_calloc((size_t)cell->n_servers, sizeof *cell->rotation);
            if (!cell->servers || !cell->rotation)
                return SIM_ENOMEM;
            /* The green group: the first servers, rounded up when any. */
            int green = (int)ceil(cell->def->green / 100 * cell->n_servers - 1e-9);
            for (int s = 0; s < cell->n_servers; s++) {
                w_server *sv = &cell->servers[s];
                sv->cell = cell;
                sv->up = 1;
                sv->booted = 1;
                sv->in_rotation = 1;
                sv->slowdown = 1;
                sv->green = s < green;
                cell->rotation[s] = s;
            }
            cell->n_rotation = cell->n_servers;
            char name[160];
            snprintf(name, sizeof name, "service.%s.%d", unit->def->name, c);
            sim_rng_init(&cell->rng, w->seed, name);
            if (!unit->home && cell->active)
                unit->home = unit->own = cell;
            unit->own_healthy_since = 0; /* healthy from the start */
        }
        if (unit->kind == UNIT_RZONE)
            for (int s = unit->def->shards.lo; s <= unit->def->shards.hi; s++)
                w->shard_unit[s] = unit;
    }
    return SIM_OK;
}

/* ==== Databases ==== */

static int build_databases(w_world *w)
{
    const stage *st = w->st;
    w->n_dbs = (int)st->databases.n;
    w->dbs = sim_calloc((size_t)w->n_dbs, sizeof *w->dbs);
    if (!w->dbs)
        return SIM_ENOMEM;
    for (int d = 0; d < w->n_dbs; d++) {
        w_db *db = &w->dbs[d];
        db->def = MDL_ITEM(st->databases, stg_database, (size_t)d);
        db->index = d;
        db->world = w;
        for (size_t h = 0; h < db->def->holds.n; h++) {
            db->holds_user |= !strcmp(db->def->holds.v[h], "user");
            db->holds_global |= !strcmp(db->def->holds.v[h], "global");
        }
        if (db->holds_user)
            w->user_db = db;
        if (db->holds_global)
            w->global_db = db;
        db->n_groups = (int)db->def->groups.n;
        db->groups = sim_calloc((size_t)db->n_groups, sizeof *db->groups);
        if (!db->groups)
            return SIM_ENOMEM;
        for (int gi = 0; gi < db->n_groups; gi++) {
            w_group *g = &db->groups[gi];
            g->def = MDL_ITEM(db->def->groups, stg_group, (size_t)gi);
            g->db = db;
            g->index = gi;
            g->gid = w->n_groups++;
            g->nodes[g->n_nodes++] = (w_dbnode){.dc = &w->dcs[world_dc_index(w, g->def->primary)], .up = 1, .slowdown = 1};
            for (size_t r = 0; r < g->def->replicas.n && g->n_nodes < W_MAX_COPIES - 1; r++)
                g->nodes[g->n_nodes++] = (w_dbnode){.dc = &w->dcs[world_dc_index(w, g->def->replicas.v[r])], .up = 1, .slowdown = 1};
            if (g->def->failover)
                g->nodes[g->n_nodes++] = (w_dbnode){.dc = &w->dcs[world_dc_index(w, g->def->failover)], .up = 1, .slowdown = 1, .is_failover = 1};
            g->lost_primary = -1;
            g->cut_node = -1;
            g->handover_to = -1;
            g->parked_on = -1;
            g->old_primary = -1;
            g->primary = 0;
            char name[160];
            snprintf(name, sizeof name, "db.%s.%d", db->def->name, gi);
            sim_rng_init(&g->rng, w->seed, name);
            for (int n = 0; n < g->n_nodes; n++) { /* each copy's own delays */
                snprintf(name, sizeof name, "db.%s.%d.lag", db->def->name, gi);
                sim_rng_init_indexed(&g->nodes[n].lag_rng, w->seed, name, (uint64_t)n);
            }
            if (dblog_init(w, g)) /* its commit history: as long as the lag needs */
                return SIM_ENOMEM;
            if (db->holds_user)
                for (int s = g->def->shards.lo; s <= g->def->shards.hi; s++)
                    db->by_shard[s] = g;
        }
        world_scale_db(w, db); /* its primaries' workers and connections, its service times */
    }
    w->groups = sim_calloc((size_t)w->n_groups + 1, sizeof *w->groups);
    if (!w->groups)
        return SIM_ENOMEM;
    for (int d = 0; d < w->n_dbs; d++)
        for (int g = 0; g < w->dbs[d].n_groups; g++)
            w->groups[w->dbs[d].groups[g].gid] = &w->dbs[d].groups[g];
    return SIM_OK;
}

/* ==== The traffic's vocabulary ==== */

static int build_traffic(w_world *w)
{
    const scenario *sc = w->sc;
    w->n_types = (int)sc->traffic.types.n;
    w->types = sim_calloc((size_t)w->n_types, sizeof *w->types);
    if (!w->types)
        return SIM_ENOMEM;
    for (int t = 0; t < w->n_types; t++)
        w->types[t] = MDL_ITEM(sc->traffic.types, scn_type, (size_t)t);
    w->users = floor(sc->traffic.users * w->scale);
    if (w->users < 1)
        w->users = 1;
    for (size_t i = 0; i < w->st->entry.datacenters.n && w->n_entry_dcs < W_MAX_ENTRIES; i++)
        w->entry_dcs[w->n_entry_dcs++] = world_dc_index(w, w->st->entry.datacenters.v[i]);
    return SIM_OK;
}

/* ==== The whole ==== */

int world_build(w_world *w)
{
    /* The program refuses such a scale up front unless the scenario says
     * why approximate capacities will do; a world built at one says so. */
    char why[MDL_WARNING_LEN - 8];
    if (world_scale_check(w->st, w->scale, why, sizeof why)) {
        world_warn(w, "scale: %s", why);
        w->capacities_rounded = w->sc->approximate_capacities != NULL;
    }
    int rc = build_network(w);
    if (rc == SIM_OK)
        rc = build_traffic(w);
    if (rc == SIM_OK)
        rc = build_services(w);
    if (rc == SIM_OK)
        rc = build_databases(w);
    if (rc == SIM_OK)
        w->registry_up = w->st->registry.head.present;
    return rc;
}

void world_free(w_world *w)
{
    world_events_free(w);
    for (int i = 0; i < w->n_links; i++)
        sim_free(w->links[i].path_up);
    sim_free(w->links);
    sim_free(w->route);
    sim_free(w->blocked);
    sim_free(w->reach);
    sim_free(w->dcs);
    for (int i = 0; i < w->n_pools; i++)
        sim_free(w->pools[i].service);
    sim_free(w->pools);
    for (int i = 0; i < w->n_cells; i++) {
        sim_free(w->cells[i]->sized.service);
        sim_free(w->cells[i]->servers);
        sim_free(w->cells[i]->rotation);
        sim_free(w->cells[i]);
    }
    sim_free(w->cells);
    for (int u = 0; u < w->n_units; u++)
        sim_free(w->units[u].cells);
    sim_free(w->units);
    for (int d = 0; d < w->n_dbs; d++) {
        for (int g = 0; g < w->dbs[d].n_groups; g++)
            sim_free(w->dbs[d].groups[g].marks);
        sim_free(w->dbs[d].groups);
    }
    sim_free(w->dbs);
    sim_free(w->groups);
    sim_free(w->types);
}
