/* flt_timeline.c -- the scenario's faults and actions in this stage: each
 * target resolved (a role such as "the datacenter holding the most
 * primaries" means what it means here), each fault scheduled to start and
 * to end, random faults drawn by MTBF and MTTR, and operator actions run
 * at their time or on the first event of their kind. */
#include <math.h>
#include <stdio.h>

#include "flt.h"
#include "prot.h"
#include "req.h"
#include "sim_alloc.h"

#define ITEM(list, type, i) ((const type *)(list).items + (i))

typedef struct w_fault {
    w_world *w;
    const scn_fault *def;       /* NULL for a random fault */
    int kind;
    flt_target target;
    sim_time start, end;        /* end: SIM_TIME_NEVER when permanent */
    int dark_scheduled;         /* power: went dark (so light at the end) */
    int generator_starts;
    int random_class;           /* random faults: the component class */
    int unmatched;              /* nothing of this stage is its target */
    int component;              /* random faults: which component */
    sim_dist mttr;
    sim_time mtbf;
    sim_rng rng;
} w_fault;

typedef struct w_action {
    const scn_action *def;
    int fired;
} w_action;

struct w_faults {
    w_fault *list;
    size_t n, cap;
    w_action *actions;
    size_t n_actions;
    sim_rng generator_rng;
};

/* ==== Resolving targets ==== */

static int dc_named(const w_world *w, const char *name)
{
    for (int i = 0; i < w->n_dcs; i++)
        if (!strcmp(w->dcs[i].geo->name, name))
            return i;
    return -1;
}

static w_group *global_group(const w_world *w) { return w->global_db ? &w->global_db->groups[0] : NULL; }

/* The datacenter a role names in this stage, or -1. */
static int role_dc(const w_world *w, const char *role, char *why, size_t n)
{
    if (!strcmp(role, "most-primaries")) {
        int count[256] = {0}, best = -1;
        for (int d = 0; d < w->n_dbs; d++)
            for (int g = 0; g < w->dbs[d].n_groups; g++) {
                const w_group *grp = &w->dbs[d].groups[g];
                count[grp->nodes[grp->primary >= 0 ? grp->primary : 0].dc->index]++;
            }
        /* Ties go to the datacenter the stage lists first. */
        for (size_t i = 0; i < w->st->datacenters.n; i++) {
            int dc = dc_named(w, w->st->datacenters.v[i]);
            if (dc >= 0 && (best < 0 || count[dc] > count[best]))
                best = dc;
        }
        snprintf(why, n, "the datacenter holding the most primaries");
        return best;
    }
    if (!strcmp(role, "global-primary") || !strcmp(role, "gzone-writer")) {
        const w_group *g = global_group(w);
        snprintf(why, n, "the global data's primary");
        return g ? g->nodes[g->primary >= 0 ? g->primary : 0].dc->index : -1;
    }
    if (!strcmp(role, "registry")) {
        snprintf(why, n, "the registry's first replica");
        return w->st->registry.head.present && w->st->registry.datacenters.n
                   ? dc_named(w, w->st->registry.datacenters.v[0])
                   : -1;
    }
    if (!strcmp(role, "entry")) {
        snprintf(why, n, "the first entry point");
        return w->entry_dcs[0];
    }
    return -1;
}

static void add_dc(flt_target *t, int dc)
{
    for (int i = 0; i < t->n_dcs; i++)
        if (t->dcs[i] == dc)
            return;
    if (t->n_dcs < 64)
        t->dcs[t->n_dcs++] = dc;
}

static void add_group(flt_target *t, w_group *g, int node)
{
    if (t->n_groups < 128) {
        t->groups[t->n_groups] = g;
        t->nodes[t->n_groups++] = node;
    }
}

int flt_resolve(w_world *w, const scn_target *t, int kind, flt_target *out)
{
    memset(out, 0, sizeof *out);
    out->path = -1;
    char why[96] = "";
    w_unit *unit = NULL;
    if (t->unit)
        for (int u = 0; u < w->n_units; u++)
            if (!strcmp(w->units[u].def->name, t->unit))
                unit = &w->units[u];
    if (t->unit_of_shard >= 0) {
        unit = w->shard_unit[t->unit_of_shard];
        snprintf(why, sizeof why, "the unit of shard %02d", (int)t->unit_of_shard);
    }
    out->unit = unit;
    /* Datacenters. */
    if (t->datacenter) {
        int dc = dc_named(w, t->datacenter);
        if (dc < 0)
            dc = role_dc(w, t->datacenter, why, sizeof why);
        if (dc >= 0)
            add_dc(out, dc);
    }
    if (t->city)
        for (int d = 0; d < w->n_dcs; d++)
            if (!strcmp(w->dcs[d].geo->city, t->city))
                add_dc(out, d);
    if (t->role) {
        int dc = role_dc(w, t->role, why, sizeof why);
        /* A registry fault on the role "registry" takes all of it down;
         * other faults hit the building its first replica lives in. */
        if (kind == FAULT_REGISTRY && !strcmp(t->role, "registry"))
            snprintf(why, sizeof why, "the whole registry");
        else if (dc >= 0 && kind != FAULT_DB_PRIMARY && kind != FAULT_DB_REPLICA && kind != FAULT_GRAY)
            add_dc(out, dc);
        if (!strcmp(t->role, "gzone-writer") && global_group(w))
            add_group(out, global_group(w), -1);
    }
    if (unit && unit->home && !t->datacenter && !t->city && !t->pool)
        add_dc(out, unit->home->dc->index);
    /* Cells: a pool (in a datacenter) or a unit's home cell. */
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        int match = 0;
        if (t->pool && !strcmp(cell->pool->def->name, t->pool))
            match = !t->datacenter || (out->n_dcs && cell->dc->index == out->dcs[0]);
        if (!t->pool && unit && cell == unit->home)
            match = 1;
        if (match && out->n_cells < 256)
            out->cells[out->n_cells++] = cell;
    }
    /* Database groups. */
    if (t->database)
        for (int d = 0; d < w->n_dbs; d++)
            if (!strcmp(w->dbs[d].def->name, t->database))
                for (int g = 0; g < w->dbs[d].n_groups; g++) {
                    w_group *grp = &w->dbs[d].groups[g];
                    if (t->shard < 0 || (t->shard >= grp->def->shards.lo && t->shard <= grp->def->shards.hi) ||
                        !w->dbs[d].holds_user)
                        add_group(out, grp, -1);
                }
    if (t->shard >= 0 && !t->database && w->user_db) /* the user shard's group, wherever it lives */
        for (int g = 0; g < w->user_db->n_groups; g++) {
            w_group *grp = &w->user_db->groups[g];
            if (t->shard >= grp->def->shards.lo && t->shard <= grp->def->shards.hi)
                add_group(out, grp, -1);
        }
    if (unit && !t->database && w->user_db &&
        (kind == FAULT_DB_PRIMARY || kind == FAULT_DB_REPLICA || kind == FAULT_GRAY))
        for (int g = 0; g < w->user_db->n_groups; g++) {
            w_group *grp = &w->user_db->groups[g];
            int lo = unit->def->shards.lo, hi = unit->def->shards.hi;
            if (t->unit_of_shard >= 0)
                lo = hi = (int)t->unit_of_shard;
            if (grp->def->shards.hi >= lo && grp->def->shards.lo <= hi)
                add_group(out, grp, -1);
        }
    /* A link. */
    if (t->link.n == 2) {
        int a = dc_named(w, t->link.v[0]), b = dc_named(w, t->link.v[1]);
        for (int k = 0; k < w->n_links; k += 2) {
            const geo_link *l = w->links[k].geo;
            int same = (!strcmp(l->between.v[0], t->link.v[0]) && !strcmp(l->between.v[1], t->link.v[1])) ||
                       (!strcmp(l->between.v[0], t->link.v[1]) && !strcmp(l->between.v[1], t->link.v[0]));
            if (!same && a >= 0 && b >= 0 && w->route[a * w->n_dcs + b] == &w->links[k])
                same = 1;
            if (same) {
                out->links[0] = &w->links[k];
                out->links[1] = &w->links[k + 1];
                for (size_t p = 0; t->path && p < l->paths.n; p++) {
                    const geo_path *gp = ITEM(l->paths, geo_path, p);
                    if (gp->name && !strcmp(gp->name, t->path))
                        out->path = (int)p;
                }
                break;
            }
        }
    }
    /* A label for events.csv. */
    size_t at = 0;
    for (int i = 0; i < out->n_dcs && at < sizeof out->label; i++)
        at += (size_t)snprintf(out->label + at, sizeof out->label - at, "%s%s", i ? "+" : "", w->dcs[out->dcs[i]].geo->name);
    if (out->n_dcs == 0 && unit && at < sizeof out->label)
        at += (size_t)snprintf(out->label + at, sizeof out->label - at, "%s", unit->def->name);
    if (out->n_dcs == 0 && !unit && out->n_groups && at < sizeof out->label)
        at += (size_t)snprintf(out->label + at, sizeof out->label - at, "%s shards %02d-%02d", out->groups[0]->db->def->name,
                               out->groups[0]->def->shards.lo, out->groups[0]->def->shards.hi);
    if (out->links[0] && at < sizeof out->label)
        at += (size_t)snprintf(out->label + at, sizeof out->label - at, "%s~%s", t->link.v[0], t->link.v[1]);
    if (why[0] && at < sizeof out->label)
        snprintf(out->label + at, sizeof out->label - at, at ? " (%s)" : "%s", why);
    int empty = out->n_dcs == 0 && out->n_cells == 0 && out->n_groups == 0 && !out->links[0] && !unit;
    return empty ? -1 : 0;
}

/* ==== Applying faults ==== */

static const char *fault_name(int kind) { return mdl_fault_kinds[kind]; }

/* The first `share` of a cell's servers (by index), at least one. */
static int share_of(int n, double percent)
{
    int k = (int)ceil(percent / 100 * n - 1e-9);
    return k < 1 ? 1 : k > n ? n : k;
}

static int first_replica(const w_group *g)
{
    for (int i = 0; i < g->n_nodes; i++)
        if (i != g->primary && !g->nodes[i].is_failover)
            return i;
    return -1;
}

static uint64_t place_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
    return h;
}

static void on_dark(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_fault *f = subject;
    int dc = (int)(intptr_t)object - 1;
    if (f->dark_scheduled & (1u << (dc & 31)))
        return;
    f->dark_scheduled |= 1u << (dc & 31);
    dc_dark(f->w, dc, "its batteries ran out");
}

static void on_generator(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_fault *f = subject;
    int dc = (int)(intptr_t)object - 1;
    if (!(f->dark_scheduled & (1u << (dc & 31))))
        return;
    f->dark_scheduled &= ~(1u << (dc & 31));
    world_event(f->w, "repair", f->w->dcs[dc].geo->name, "%s's generator carries the load", f->w->dcs[dc].geo->name);
    dc_light(f->w, dc);
}

/* Utility power is lost at dc: batteries, then a generator or the dark. */
static void power_loss(w_fault *f, int dc)
{
    w_world *w = f->w;
    const geo_power *pw = &w->dcs[dc].geo->power;
    int starts;
    if (f->def && f->def->generator == GENERATOR_STARTS)
        starts = 1;
    else if (f->def && f->def->generator == GENERATOR_FAILS)
        starts = 0;
    else { /* by probability: drawn per building, the same in every stage */
        sim_rng r;
        sim_rng_init_indexed(&r, w->seed, "power.generator", place_hash(w->dcs[dc].geo->name) ^ (uint64_t)f->start);
        starts = sim_rng_uniform(&r) * 100 >= pw->generator_failure;
    }
    char ups[SIM_TIME_TEXT_MAX], gen[SIM_TIME_TEXT_MAX];
    sim_time_format_duration(pw->ups, ups, sizeof ups);
    sim_time_format_duration(pw->generator_start, gen, sizeof gen);
    sim_time now = sim_now(w->e);
    if (starts && pw->generator_start <= pw->ups) {
        world_event(w, "fault", w->dcs[dc].geo->name, "%s lost utility power; its generator took over after %s",
                    w->dcs[dc].geo->name, gen);
        return;
    }
    world_event(w, "fault", w->dcs[dc].geo->name,
                starts ? "%s lost utility power; its batteries last %s, its generator needs %s"
                       : "%s lost utility power and its generator failed to start; its batteries last %s",
                w->dcs[dc].geo->name, ups, gen);
    sim_event_post(w->e, now + pw->ups, on_dark, f, (void *)(intptr_t)(dc + 1));
    if (starts)
        sim_event_post(w->e, now + pw->generator_start, on_generator, f, (void *)(intptr_t)(dc + 1));
}

static void power_back(w_fault *f, int dc)
{
    w_world *w = f->w;
    world_event(w, "repair", w->dcs[dc].geo->name, "utility power is back at %s", w->dcs[dc].geo->name);
    if (f->dark_scheduled & (1u << (dc & 31))) {
        f->dark_scheduled &= ~(1u << (dc & 31));
        dc_light(w, dc);
    }
}

/* Sides of a partition: datacenter indexes, cities expanded. */
static int partition_sides(w_world *w, const cfg_node *groups, int sides[][64], int *counts)
{
    int n = 0;
    for (size_t i = 0; groups && i < groups->n && n < 8; i++, n++) {
        counts[n] = 0;
        for (size_t j = 0; j < groups->items[i]->n; j++) {
            const char *place = groups->items[i]->items[j]->text;
            for (int d = 0; d < w->n_dcs && counts[n] < 64; d++)
                if (!strcmp(w->dcs[d].geo->name, place) || !strcmp(w->dcs[d].geo->city, place))
                    sides[n][counts[n]++] = d;
        }
    }
    return n;
}

static void apply(w_fault *f, int on)
{
    w_world *w = f->w;
    flt_target *t = &f->target;
    const scn_fault *d = f->def;
    int sign = on ? 1 : -1;
    switch (f->kind) {
    case FAULT_POWER:
    case FAULT_FEED:
        for (int i = 0; i < t->n_dcs; i++) {
            if (f->kind == FAULT_FEED && w->dcs[t->dcs[i]].geo->power.feeds > 1) {
                if (on)
                    world_event(w, "fault", w->dcs[t->dcs[i]].geo->name, "%s lost one of its %lld power feeds; the others carry it",
                                w->dcs[t->dcs[i]].geo->name, (long long)w->dcs[t->dcs[i]].geo->power.feeds);
                continue;
            }
            if (on)
                power_loss(f, t->dcs[i]);
            else
                power_back(f, t->dcs[i]);
        }
        return;
    case FAULT_RACKS:
        for (int c = 0; c < w->n_cells; c++) {
            w_cell *cell = w->cells[c];
            for (int i = 0; i < t->n_dcs; i++)
                if (cell->dc->index == t->dcs[i])
                    for (int s = 0; s < share_of(cell->n_servers, d->share); s++)
                        server_crash(w, &cell->servers[s], on);
        }
        for (int db = 0; db < w->n_dbs; db++)
            for (int g = 0; g < w->dbs[db].n_groups; g++) {
                w_group *grp = &w->dbs[db].groups[g];
                for (int n = 0; n < grp->n_nodes; n++)
                    for (int i = 0; i < t->n_dcs; i++) {
                        uint64_t h = place_hash(grp->db->def->name) ^ (uint64_t)(g * 31 + n);
                        if (grp->nodes[n].dc->index == t->dcs[i] && (double)(h % 10000) / 100 < d->share)
                            dbnode_crash(w, grp, n, on);
                    }
            }
        break;
    case FAULT_ISOLATE:
        for (int i = 0; i < t->n_dcs; i++)
            dc_isolate(w, t->dcs[i], d ? d->mode : DROP_SILENTLY, on);
        break;
    case FAULT_PARTITION: {
        int sides[8][64], counts[8];
        int n = partition_sides(w, d->groups, sides, counts);
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
                net_block(w, sides[a], counts[a], sides[b], counts[b], d->mode, on);
        break;
    }
    case FAULT_LINK_CUT:
    case FAULT_PATH_CUT:
    case FAULT_LATENCY:
    case FAULT_LOSS:
    case FAULT_BANDWIDTH:
        for (int k = 0; k < 2; k++) {
            w_linkdir *ld = t->links[k];
            if (!ld)
                continue;
            if (f->kind == FAULT_LINK_CUT)
                ld->cuts += sign;
            else if (f->kind == FAULT_PATH_CUT && t->path >= 0)
                ld->path_up[t->path] = !on;
            else if (f->kind == FAULT_LATENCY) {
                ld->added += sign * d->latency;
                ld->jitter += sign * d->jitter;
            } else if (f->kind == FAULT_LOSS)
                ld->loss += sign * d->loss / 100;
            else if (f->kind == FAULT_BANDWIDTH)
                ld->bandwidth_factor = on ? d->bandwidth / 100 : 1;
            if (ld->bandwidth_factor <= 0)
                ld->bandwidth_factor = 1e-9;
            link_update(w, ld);
        }
        for (int c = 0; c < w->n_cells; c++)
            rec_cell_changed(w, w->cells[c]);
        for (int db = 0; db < w->n_dbs; db++)
            for (int g = 0; g < w->dbs[db].n_groups; g++)
                rec_group_check(w, &w->dbs[db].groups[g]);
        break;
    case FAULT_SERVER:
    case FAULT_POOL_SHARE:
        if (f->random_class == COMPONENT_SERVER) { /* one given server */
            server_crash(w, &t->cells[0]->servers[f->component], on);
            break;
        }
        for (int c = 0; c < t->n_cells; c++) {
            int k = f->kind == FAULT_SERVER ? 1 : share_of(t->cells[c]->n_servers, d ? d->share : 100);
            for (int s = 0; s < k; s++)
                server_crash(w, &t->cells[c]->servers[s], on);
        }
        break;
    case FAULT_BALANCER:
        for (int i = 0; i < t->n_dcs; i++)
            entry_set(w, t->dcs[i], !on);
        break;
    case FAULT_DB_PRIMARY:
    case FAULT_DB_REPLICA:
        for (int i = 0; i < t->n_groups; i++) {
            w_group *g = t->groups[i];
            if (on) /* remember which copy, as the primary may move */
                t->nodes[i] = f->kind == FAULT_DB_PRIMARY ? (g->primary >= 0 ? g->primary : 0) : first_replica(g);
            if (t->nodes[i] >= 0)
                dbnode_crash(w, g, t->nodes[i], on);
        }
        break;
    case FAULT_REGISTRY:
        for (size_t i = 0; i < w->st->registry.datacenters.n; i++) {
            int dc = dc_named(w, w->st->registry.datacenters.v[i]);
            int hit = t->n_dcs == 0;
            for (int j = 0; j < t->n_dcs; j++)
                hit |= t->dcs[j] == dc;
            if (dc >= 0 && hit)
                w->dcs[dc].registry_faults += sign;
        }
        registry_refresh(w);
        break;
    case FAULT_GRAY:
        for (int i = 0; i < t->n_groups; i++) {
            w_group *g = t->groups[i];
            if (on)
                t->nodes[i] = g->primary >= 0 ? g->primary : 0;
            g->nodes[t->nodes[i]].slowdown = on ? d->slowdown : 1;
        }
        for (int c = 0; c < t->n_cells; c++)
            t->cells[c]->servers[0].slowdown = on ? d->slowdown : 1;
        break;
    case FAULT_BAD_RELEASE: {
        /* The release reaches the green group, or, where a stage has no
         * green group, every server of the cells it targets. */
        int green = 0;
        for (int c = 0; c < w->n_cells; c++)
            for (int s = 0; s < w->cells[c]->n_servers; s++)
                green |= w->cells[c]->servers[s].green;
        for (int c = 0; c < w->n_cells; c++) {
            w_cell *cell = w->cells[c];
            int hit = t->n_cells == 0;
            for (int i = 0; i < t->n_cells; i++)
                hit |= t->cells[i] == cell;
            for (int s = 0; hit && s < cell->n_servers; s++)
                if (cell->servers[s].green || !green) {
                    cell->servers[s].error_rate = on ? d->error_rate / 100 : 0;
                    cell->servers[s].slowdown = on ? d->slowdown : 1;
                }
        }
        break;
    }
    case FAULT_WRONG_SWITCH: {
        w_unit *to = NULL;
        for (int u = 0; u < w->n_units; u++)
            if (d->to_unit && !strcmp(w->units[u].def->name, d->to_unit))
                to = &w->units[u];
        if (t->unit && to)
            t->unit->wrong = on ? to->home : NULL;
        break;
    }
    default:
        break;
    }
    if (f->kind != FAULT_POWER && f->kind != FAULT_FEED)
        world_event(w, on ? "fault" : "repair", t->label, on ? "%s: %s" : "%s ended: %s", fault_name(f->kind), t->label);
}

static void on_fault_end(sim_engine *e, void *subject, void *object);

static void on_fault_start(sim_engine *e, void *subject, void *object)
{
    (void)object;
    w_fault *f = subject;
    w_world *w = f->w;
    sim_time now = sim_now(e);
    if (f->unmatched) {
        /* Said in events.csv, so a stage spared by a fault shows why. */
        world_event(w, "unmatched", "-", "%s: nothing in this stage matches its target", fault_name(f->kind));
        return;
    }
    if (f->random_class >= 0) {
        /* A random failure of one component: draw its repair time. */
        double s = sim_dist_sample(&f->mttr, &f->rng);
        f->end = now + (s > 0 ? (sim_time)(s * 1e9) : 0);
    }
    incidents_note_fault(w, now, f->end);
    apply(f, 1);
    if (f->end != SIM_TIME_NEVER)
        sim_event_post(e, f->end > now ? f->end : now, on_fault_end, f, NULL);
}

static void on_fault_end(sim_engine *e, void *subject, void *object)
{
    (void)object;
    w_fault *f = subject;
    apply(f, 0);
    if (f->random_class >= 0) { /* the next failure of the same component */
        double gap = -log(sim_rng_uniform_pos(&f->rng)) * (double)f->mtbf;
        sim_event_post(e, sim_now(e) + (sim_time)gap, on_fault_start, f, NULL);
    }
}

static w_fault *new_fault(w_world *w)
{
    struct w_faults *fs = w->faults;
    if (sim_grow((void **)&fs->list, &fs->cap, fs->n + 1, sizeof *fs->list))
        return NULL;
    w_fault *f = &fs->list[fs->n++];
    memset(f, 0, sizeof *f);
    f->w = w;
    f->random_class = -1;
    return f;
}

/* Random failures: one record per component, failing and repairing for ever. */
static int add_random(w_world *w, const scn_random *rf, size_t index)
{
    int count = 0;
    switch (rf->component) {
    case COMPONENT_SERVER:
        for (int c = 0; c < w->n_cells; c++)
            count += w->cells[c]->n_servers;
        break;
    case COMPONENT_DATACENTER:
        for (int d = 0; d < w->n_dcs; d++)
            count += w->dcs[d].used;
        break;
    case COMPONENT_LINK: count = w->n_links / 2; break;
    case COMPONENT_DATABASE: count = w->n_groups; break;
    case COMPONENT_BALANCER: count = w->n_entry_dcs; break;
    default: count = (int)w->st->registry.datacenters.n; break;
    }
    /* Fault records move as the list grows: schedule after building all. */
    for (int k = 0; k < count; k++) {
        w_fault *f = new_fault(w);
        if (!f)
            return SIM_ENOMEM;
        f->random_class = rf->component;
        f->component = k;
        f->mtbf = rf->mtbf;
        f->mttr = rf->mttr.d;
        f->end = 0;
        char name[64];
        snprintf(name, sizeof name, "random.%zu", index);
        sim_rng_init_indexed(&f->rng, w->seed, name, (uint64_t)k);
        /* Resolve the component into a target. */
        flt_target *t = &f->target;
        memset(t, 0, sizeof *t);
        t->path = -1;
        int seen = 0;
        switch (rf->component) {
        case COMPONENT_SERVER:
            f->kind = FAULT_SERVER;
            for (int c = 0; c < w->n_cells; c++) {
                if (k < seen + w->cells[c]->n_servers) {
                    /* One server: a one-server "cell" view is not needed;
                     * crash it directly by pool-share logic on index. */
                    t->cells[t->n_cells++] = w->cells[c];
                    f->component = k - seen;
                    snprintf(t->label, sizeof t->label, "server %d of %s@%s", k - seen,
                             w->cells[c]->unit->def->name, w->cells[c]->dc->geo->name);
                    break;
                }
                seen += w->cells[c]->n_servers;
            }
            break;
        case COMPONENT_DATACENTER:
            f->kind = FAULT_POWER;
            for (int d = 0; d < w->n_dcs; d++)
                if (w->dcs[d].used && seen++ == k) {
                    t->dcs[t->n_dcs++] = d;
                    snprintf(t->label, sizeof t->label, "%s", w->dcs[d].geo->name);
                }
            break;
        case COMPONENT_LINK:
            f->kind = FAULT_LINK_CUT;
            t->links[0] = &w->links[2 * k];
            t->links[1] = &w->links[2 * k + 1];
            snprintf(t->label, sizeof t->label, "%s~%s", w->links[2 * k].geo->between.v[0], w->links[2 * k].geo->between.v[1]);
            break;
        case COMPONENT_DATABASE:
            f->kind = FAULT_DB_PRIMARY;
            for (int d = 0; d < w->n_dbs; d++)
                for (int g = 0; g < w->dbs[d].n_groups; g++)
                    if (seen++ == k) {
                        add_group(t, &w->dbs[d].groups[g], -1);
                        snprintf(t->label, sizeof t->label, "%s shards %02d-%02d", w->dbs[d].def->name,
                                 w->dbs[d].groups[g].def->shards.lo, w->dbs[d].groups[g].def->shards.hi);
                    }
            break;
        case COMPONENT_BALANCER:
            f->kind = FAULT_BALANCER;
            t->dcs[t->n_dcs++] = w->entry_dcs[k];
            snprintf(t->label, sizeof t->label, "the balancer of %s", w->dcs[w->entry_dcs[k]].geo->name);
            break;
        default:
            f->kind = FAULT_REGISTRY;
            t->dcs[t->n_dcs++] = dc_named(w, w->st->registry.datacenters.v[k]);
            snprintf(t->label, sizeof t->label, "the registry in %s", w->st->registry.datacenters.v[k]);
            break;
        }
    }
    return SIM_OK;
}

/* ==== Actions ==== */

static void run_action(w_world *w, const scn_action *a)
{
    flt_target t;
    flt_resolve(w, &a->target, -1, &t);
    char who[160];
    snprintf(who, sizeof who, "%s", t.label[0] ? t.label : "-");
    world_event(w, "action", who, "the operator acts: %s %s", mdl_action_kinds[a->kind], who);
    switch (a->kind) {
    case ACTION_SWITCH_UNIT:
    case ACTION_FAILBACK: {
        w_unit *u = t.unit;
        if (!u)
            return;
        w_cell *to = NULL;
        for (int c = 0; c < u->n_cells; c++) {
            w_cell *cell = u->cells[c];
            if (a->to ? !strcmp(cell->dc->geo->name, a->to)
                      : (a->kind == ACTION_FAILBACK ? !cell->def->standby : cell != u->home))
                to = cell;
        }
        if (to && to != u->home)
            rec_switch_unit(w, u, to, "by the operator");
        return;
    }
    case ACTION_PROMOTE:
        for (int i = 0; i < t.n_groups; i++)
            rec_promote_now(w, t.groups[i], "by the operator");
        return;
    case ACTION_ROLLBACK:
        rec_rollback_now(w, "by the operator");
        return;
    case ACTION_DRAIN:
        for (int i = 0; i < t.n_dcs; i++) {
            for (int c = 0; c < w->n_cells; c++)
                if (w->cells[c]->dc->index == t.dcs[i])
                    w->cells[c]->share = 0;
            entry_set(w, t.dcs[i], 0);
        }
        route_refresh(w);
        return;
    case ACTION_DEGRADE:
    case ACTION_RESTORE:
        for (int ty = 0; ty < w->n_types; ty++)
            if (a->type && !strcmp(w->types[ty]->name, a->type))
                prot_set_shed(w, ty, a->kind == ACTION_DEGRADE);
        return;
    default:
        return;
    }
}

static void on_action(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    run_action(w, subject);
}

void faults_on_event(w_world *w, const char *kind)
{
    struct w_faults *fs = w->faults;
    if (!fs)
        return;
    for (size_t i = 0; i < fs->n_actions; i++) {
        w_action *a = &fs->actions[i];
        if (a->fired || !a->def->on || strcmp(a->def->on, kind) != 0)
            continue;
        a->fired = 1;
        sim_event_post(w->e, sim_now(w->e) + a->def->delay, on_action, (void *)a->def, w);
    }
}

/* ==== Setting up ==== */

int faults_init(w_world *w)
{
    const scenario *sc = w->sc;
    w->faults = sim_calloc(1, sizeof *w->faults);
    if (!w->faults)
        return SIM_ENOMEM;
    struct w_faults *fs = w->faults;
    for (size_t i = 0; i < sc->faults.n; i++) {
        const scn_fault *d = ITEM(sc->faults, scn_fault, i);
        w_fault *f = new_fault(w);
        if (!f)
            return SIM_ENOMEM;
        f->def = d;
        f->kind = d->kind;
        f->start = mdl_clock_to_run(sc, d->at);
        if (d->permanent)
            f->end = SIM_TIME_NEVER;
        else if (d->until) {
            sim_time until;
            const char *why;
            sim_time_parse_clock(d->until->text, &until, &why);
            f->end = mdl_clock_to_run(sc, until);
        } else
            f->end = f->start + d->duration;
        if (flt_resolve(w, &d->target, d->kind, &f->target) && d->kind != FAULT_PARTITION && d->kind != FAULT_REGISTRY &&
            d->kind != FAULT_BAD_RELEASE)
            f->unmatched = 1;
    }
    size_t scheduled = fs->n;
    for (size_t i = 0; i < sc->random_faults.n; i++)
        if (add_random(w, ITEM(sc->random_faults, scn_random, i), i))
            return SIM_ENOMEM;
    for (size_t i = 0; i < fs->n; i++) {
        w_fault *f = &fs->list[i];
        if (i < scheduled) {
            if (!sim_event_post(w->e, f->start, on_fault_start, f, NULL))
                return SIM_ENOMEM;
        } else {
            double gap = -log(sim_rng_uniform_pos(&f->rng)) * (double)f->mtbf;
            if (!sim_event_post(w->e, (sim_time)gap, on_fault_start, f, NULL))
                return SIM_ENOMEM;
        }
    }
    fs->n_actions = sc->actions.n;
    fs->actions = sim_calloc(fs->n_actions + 1, sizeof *fs->actions);
    if (!fs->actions)
        return SIM_ENOMEM;
    for (size_t i = 0; i < sc->actions.n; i++) {
        const scn_action *a = ITEM(sc->actions, scn_action, i);
        fs->actions[i].def = a;
        if (a->at) {
            sim_time clock;
            const char *why;
            sim_time_parse_clock(a->at->text, &clock, &why);
            fs->actions[i].fired = 1;
            if (!sim_event_post(w->e, mdl_clock_to_run(sc, clock) > 0 ? mdl_clock_to_run(sc, clock) : 0,
                                    on_action, (void *)a, w))
                return SIM_ENOMEM;
        }
    }
    return SIM_OK;
}

void faults_fini(w_world *w)
{
    if (!w->faults)
        return;
    sim_free(w->faults->list);
    sim_free(w->faults->actions);
    sim_free(w->faults);
    w->faults = NULL;
}
