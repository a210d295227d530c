/* world_build.c -- building a running world from a stage, its geography
 * and the scenario, at a scale: F of the users and F of every replicated
 * resource (servers, workers, connections, bandwidth, limits), rounded to
 * whole units and never below one, with a warning when rounding moves a
 * capacity by more than 5%. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim_alloc.h"
#include "sim_status.h"
#include "flt.h"
#include "req.h"
#include "world_events.h"
#include "world_int.h"

#define ITEM(list, type, i) ((const type *)(list).items + (i))

static void warn(w_world *w, const char *fmt, const char *what, double exact, int64_t got)
{
    if (w->n_warnings >= 8)
        return;
    snprintf(w->warnings[w->n_warnings++], sizeof w->warnings[0], fmt, what, exact, (long long)got);
}

/* round(x * F), at least 1, warning past 5%. */
static int64_t scaled_count(w_world *w, int64_t x, const char *what)
{
    double exact = (double)x * w->scale;
    int64_t got = llround(exact);
    if (got < 1)
        got = 1;
    if (exact > 0 && fabs((double)got - exact) / exact > 0.05)
        warn(w, "scale: %s is %.3g at this scale, rounded to %lld", what, exact, got);
    return got;
}

static int dc_index(const w_world *w, const char *name)
{
    for (int i = 0; i < w->n_dcs; i++)
        if (strcmp(w->dcs[i].geo->name, name) == 0)
            return i;
    return -1;
}

static int city_index(const geography *g, const char *name)
{
    for (size_t i = 0; i < g->cities.n; i++)
        if (strcmp(ITEM(g->cities, geo_city, i)->name, name) == 0)
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
        d->geo = ITEM(g->datacenters, geo_dc, (size_t)i);
        d->city = city_index(g, d->geo->city);
        d->used = mdl_stage_uses_dc(w->st, d->geo->name);
        d->powered = 1;
        d->entry_up = 1;
        d->registry_up = 1;
        d->internal = sim_lane_create(w->e, d->geo->internal_latency);
        if (!d->internal)
            return SIM_ENOMEM;
    }
    w->n_links = (int)g->links.n * 2;
    w->links = sim_calloc((size_t)w->n_links + 1, sizeof *w->links);
    w->route = sim_calloc((size_t)(w->n_dcs * w->n_dcs), sizeof *w->route);
    w->blocked = sim_calloc((size_t)(w->n_dcs * w->n_dcs), 1);
    if (!w->links || !w->route || !w->blocked)
        return SIM_ENOMEM;
    for (size_t i = 0; i < g->links.n; i++) {
        const geo_link *l = ITEM(g->links, geo_link, i);
        int a = dc_index(w, l->between.v[0]), b = dc_index(w, l->between.v[1]);
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
            const geo_path *fast = ITEM(l->paths, geo_path, 0);
            for (size_t p = 1; p < l->paths.n; p++)
                if (ITEM(l->paths, geo_path, p)->latency < fast->latency)
                    fast = ITEM(l->paths, geo_path, p);
            ld->latency = fast->latency;
            ld->jitter = l->jitter;
            ld->loss = l->loss / 100;
            ld->bandwidth_factor = 1;
            ld->ns_per_byte = 8e9 / (fast->bandwidth * w->scale);
            ld->up = 1;
            ld->last_arrival = -1;
            ld->lane = sim_lane_create(w->e, ld->latency);
            if (!ld->lane)
                return SIM_ENOMEM;
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
        p->def = ITEM(st->pools, stg_pool, (size_t)i);
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
        total_cells += (int)ITEM(st->units, stg_unit, i)->cells.n;
    w->cells = sim_calloc((size_t)total_cells + 1, sizeof *w->cells);
    if (!w->units || !w->cells)
        return SIM_ENOMEM;
    for (int u = 0; u < w->n_units; u++) {
        w_unit *unit = &w->units[u];
        unit->def = ITEM(st->units, stg_unit, (size_t)u);
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
            cell->def = ITEM(unit->def->cells, stg_cell, (size_t)c);
            cell->unit = unit;
            cell->dc = &w->dcs[dc_index(w, cell->def->datacenter)];
            for (int p = 0; p < w->n_pools; p++)
                if (strcmp(w->pools[p].def->name, cell->def->pool) == 0)
                    cell->pool = &w->pools[p];
            cell->active = !cell->def->standby;
            cell->share = cell->def->share;
            char what[160];
            snprintf(what, sizeof what, "unit %s, cell in %s: servers", unit->def->name, cell->dc->geo->name);
            cell->n_servers = (int)scaled_count(w, cell->def->servers, what);
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
                unit->home = cell;
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
        db->def = ITEM(st->databases, stg_database, (size_t)d);
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
        db->read = db->def->read.d;
        db->write = db->def->write.d;
        db->n_groups = (int)db->def->groups.n;
        db->groups = sim_calloc((size_t)db->n_groups, sizeof *db->groups);
        if (!db->groups)
            return SIM_ENOMEM;
        for (int gi = 0; gi < db->n_groups; gi++) {
            w_group *g = &db->groups[gi];
            g->def = ITEM(db->def->groups, stg_group, (size_t)gi);
            g->db = db;
            g->index = gi;
            g->gid = w->n_groups++;
            g->nodes[g->n_nodes++] = (w_dbnode){.dc = &w->dcs[dc_index(w, g->def->primary)], .up = 1, .slowdown = 1};
            for (size_t r = 0; r < g->def->replicas.n && g->n_nodes < 7; r++)
                g->nodes[g->n_nodes++] = (w_dbnode){.dc = &w->dcs[dc_index(w, g->def->replicas.v[r])], .up = 1, .slowdown = 1};
            if (g->def->failover)
                g->nodes[g->n_nodes++] = (w_dbnode){.dc = &w->dcs[dc_index(w, g->def->failover)], .up = 1, .slowdown = 1, .is_failover = 1};
            g->lost_primary = -1;
            g->cut_node = -1;
            g->parked_on = -1;
            g->old_primary = -1;
            g->primary = 0;
            char what[160];
            snprintf(what, sizeof what, "database %s group %d: connections", db->def->name, gi);
            g->connections = (int)scaled_count(w, db->def->connections, what);
            snprintf(what, sizeof what, "database %s group %d: workers", db->def->name, gi);
            g->workers = (int)scaled_count(w, db->def->workers, what);
            g->mark_cap = 65536;
            g->marks = sim_calloc(g->mark_cap, sizeof *g->marks);
            if (!g->marks)
                return SIM_ENOMEM;
            g->mark_every = db->def->replication.batch;
            char name[160];
            snprintf(name, sizeof name, "db.%s.%d", db->def->name, gi);
            sim_rng_init(&g->rng, w->seed, name);
            snprintf(name, sizeof name, "db.%s.%d.lag", db->def->name, gi);
            sim_rng_init(&g->lag_rng, w->seed, name);
            if (db->holds_user)
                for (int s = g->def->shards.lo; s <= g->def->shards.hi; s++)
                    db->by_shard[s] = g;
        }
    }
    return SIM_OK;
}

/* ==== Traffic ==== */

static int build_traffic(w_world *w)
{
    const scenario *sc = w->sc;
    w->n_types = (int)sc->traffic.types.n;
    w->types = sim_calloc((size_t)w->n_types, sizeof *w->types);
    double *weights = sim_calloc((size_t)w->n_types, sizeof *weights);
    if (!w->types || !weights) {
        sim_free(weights);
        return SIM_ENOMEM;
    }
    for (int t = 0; t < w->n_types; t++) {
        w->types[t] = ITEM(sc->traffic.types, scn_type, (size_t)t);
        weights[t] = w->types[t]->share;
    }
    int rc = sim_choice_init(&w->type_choice, weights, (size_t)w->n_types);
    sim_free(weights);
    if (rc)
        return rc;
    w->users = floor(sc->traffic.users * w->scale);
    if (w->users < 1)
        w->users = 1;
    /* Named independently of the stage: every stage of a scenario sees the
     * same users and the same arrivals. */
    sim_rng_init(&w->arrivals_rng, w->seed, "traffic.arrivals");
    sim_rng_init(&w->users_rng, w->seed, "traffic.users");
    sim_rng_init(&w->types_rng, w->seed, "traffic.types");
    sim_rng_init(&w->retry_rng, w->seed, "client.retry");
    sim_rng_init(&w->detect_rng, w->seed, "detection");
    sim_rng_init(&w->human_rng, w->seed, "human.response");
    w->client_latency = w->st->entry.client_latency;
    for (int i = 0; i < w->n_dcs; i++) {
        w->dcs[i].client_local = sim_lane_create(w->e, w->client_latency + w->dcs[i].geo->internal_latency);
        if (!w->dcs[i].client_local)
            return SIM_ENOMEM;
    }
    w->client_lane = sim_lane_create(w->e, w->client_latency);
    w->timeout_lane = req_timeout_lane_create(w);
    if (!w->client_lane || !w->timeout_lane)
        return SIM_ENOMEM;
    for (size_t i = 0; i < w->st->entry.datacenters.n && w->n_entry_dcs < 64; i++)
        w->entry_dcs[w->n_entry_dcs++] = dc_index(w, w->st->entry.datacenters.v[i]);
    size_t bytes = (size_t)(w->users / 8) + 1;
    w->users_failed = sim_calloc(bytes, 1);
    return w->users_failed ? SIM_OK : SIM_ENOMEM;
}

/* ==== The whole ==== */


double mdl_scenario_requests(const mdl_config *cfg, double scale)
{
    /* The integral of the curve, on a grid of at most 20,000 steps. */
    w_world probe = {0};
    probe.sc = cfg->scn;
    sim_time end = cfg->scn->warmup + cfg->scn->duration;
    sim_time step = end / 20000 > SIM_SEC ? end / 20000 : SIM_SEC;
    double total = 0;
    for (sim_time t = 0; t < end; t += step)
        total += traffic_rate(&probe, t) * sim_time_to_seconds(step < end - t ? step : end - t);
    return total * scale;
}
int world_traffic_start(w_world *w);
void world_metrics_fini(w_world *w);

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
    w->opt = *opt;
    w->scale = opt->scale > 0 ? opt->scale : 1;
    w->seed = opt->seed_set ? opt->seed : (uint64_t)w->sc->seed;
    w->warmup = w->sc->warmup;
    w->end = w->sc->warmup + w->sc->duration;
    w->interval = w->sc->interval;
    w->e = sim_engine_create_with(w->seed, opt->queue);
    int rc = w->e ? SIM_OK : SIM_ENOMEM;
    if (rc == SIM_OK)
        rc = build_network(w);
    if (rc == SIM_OK)
        rc = build_traffic(w);
    if (rc == SIM_OK)
        rc = build_services(w);
    if (rc == SIM_OK)
        rc = build_databases(w);
    if (rc == SIM_OK)
        route_refresh(w);
    if (rc == SIM_OK)
        rc = world_metrics_init(w);
    if (rc == SIM_OK)
        rc = world_traffic_start(w);
    if (rc == SIM_OK) {
        w->registry_up = w->st->registry.head.present;
        rec_dns_init(w);
        rc = w->dns || w->st->entry.kind != ENTRY_DNS ? faults_init(w) : SIM_ENOMEM;
    }
    if (rc == SIM_OK && opt->record_series)
        rc = world_series_open(w);
    if (rc) {
        if (rc == SIM_ENOMEM)
            snprintf(err, err_size, "out of memory building the world");
        else if (rc == SIM_EIO)
            snprintf(err, err_size, "cannot create a temporary file for the time series");
        mdl_world_destroy(w);
        return rc;
    }
    *out = w;
    return SIM_OK;
}

void mdl_world_destroy(mdl_world *w)
{
    if (!w)
        return;
    world_metrics_fini(w);
    world_events_free(w);
    faults_fini(w);
    rec_dns_fini(w);
    incidents_fini(w);
    for (int i = 0; i < w->n_links; i++)
        sim_free(w->links[i].path_up);
    sim_free(w->links);
    sim_free(w->route);
    sim_free(w->blocked);
    sim_free(w->dcs);
    for (int i = 0; i < w->n_pools; i++)
        sim_free(w->pools[i].service);
    sim_free(w->pools);
    for (int i = 0; i < w->n_cells; i++) {
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
    sim_free(w->types);
    sim_choice_fini(&w->type_choice);
    sim_free(w->users_failed);
    for (size_t i = 0; i < w->n_req_blocks; i++)
        sim_free(w->req_blocks[i]);
    sim_free(w->req_blocks);
    sim_engine_destroy(w->e);
    sim_free(w);
}

sim_engine *mdl_world_engine(mdl_world *w) { return w->e; }
double mdl_world_scale(const mdl_world *w) { return w->scale; }
uint64_t mdl_world_seed(const mdl_world *w) { return w->seed; }
sim_time mdl_world_end(const mdl_world *w) { return w->end; }
const mdl_series *mdl_world_series(const mdl_world *w) { return w->series; }
const char *mdl_world_warning(const mdl_world *w, int i) { return i < w->n_warnings ? w->warnings[i] : ""; }
