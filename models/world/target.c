/* target.c -- resolving a scenario's targets in this stage. */
#include "target.h"

#include <stdio.h>

/* The global data's group, or NULL. */
static w_group *global_group(const w_world *w) { return w->global_db ? &w->global_db->groups[0] : NULL; }

/* The stage's datacenter holding the most primaries; ties go to the one
 * the stage lists first. */
static int most_primaries(const w_world *w)
{
    int best = -1, best_count = -1;
    for (size_t i = 0; i < w->st->datacenters.n; i++) {
        int dc = world_dc_index(w, w->st->datacenters.v[i]), count = 0;
        for (int g = 0; dc >= 0 && g < w->n_groups; g++) {
            const w_group *grp = w->groups[g];
            count += grp->nodes[grp->primary >= 0 ? grp->primary : 0].dc->index == dc;
        }
        if (dc >= 0 && count > best_count) {
            best = dc;
            best_count = count;
        }
    }
    return best;
}

/* The datacenter a role names in this stage, or -1. */
static int role_dc(const w_world *w, const char *role, char *why, size_t n)
{
    if (!strcmp(role, mdl_dc_roles[DC_ROLE_MOST_PRIMARIES])) {
        snprintf(why, n, "the datacenter holding the most primaries");
        return most_primaries(w);
    }
    if (!strcmp(role, mdl_dc_roles[DC_ROLE_GLOBAL_PRIMARY]) || !strcmp(role, mdl_roles[ROLE_GZONE_WRITER])) {
        const w_group *g = global_group(w);
        snprintf(why, n, "the global data's primary");
        return g ? g->nodes[g->primary >= 0 ? g->primary : 0].dc->index : -1;
    }
    if (!strcmp(role, mdl_roles[ROLE_REGISTRY])) {
        snprintf(why, n, "the registry's first replica");
        return w->st->registry.head.present && w->st->registry.datacenters.n
                   ? world_dc_index(w, w->st->registry.datacenters.v[0])
                   : -1;
    }
    if (!strcmp(role, mdl_roles[ROLE_ENTRY])) {
        snprintf(why, n, "the first entry point");
        return w->entry_dcs[0];
    }
    return -1;
}

static void add_dc(w_target *t, int dc)
{
    for (int i = 0; i < t->n_dcs; i++)
        if (t->dcs[i] == dc)
            return;
    if (t->n_dcs < TARGET_MAX_DCS)
        t->dcs[t->n_dcs++] = dc;
}

void target_add_group(w_target *t, w_group *g, int node)
{
    if (t->n_groups < TARGET_MAX_GROUPS) {
        t->groups[t->n_groups] = g;
        t->nodes[t->n_groups++] = node;
    }
}

int target_resolve(w_world *w, const scn_target *t, int kind, w_target *out)
{
    unsigned how = kind >= 0 ? mdl_fault_kind_table[kind].flags : 0;
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
        int dc = world_dc_index(w, t->datacenter);
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
        if ((how & FLT_ROLE_IS_WHOLE) && !strcmp(t->role, mdl_roles[ROLE_REGISTRY]))
            snprintf(why, sizeof why, "the whole registry");
        else if (dc >= 0 && !(how & FLT_AIMS_AT_DATA))
            add_dc(out, dc);
        if (!strcmp(t->role, mdl_roles[ROLE_GZONE_WRITER]) && global_group(w))
            target_add_group(out, global_group(w), -1);
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
        if (match && out->n_cells < TARGET_MAX_CELLS)
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
                        target_add_group(out, grp, -1);
                }
    if (t->shard >= 0 && !t->database && w->user_db) /* the user shard's group, wherever it lives */
        for (int g = 0; g < w->user_db->n_groups; g++) {
            w_group *grp = &w->user_db->groups[g];
            if (t->shard >= grp->def->shards.lo && t->shard <= grp->def->shards.hi)
                target_add_group(out, grp, -1);
        }
    if (unit && !t->database && w->user_db && (how & FLT_AIMS_AT_DATA))
        for (int g = 0; g < w->user_db->n_groups; g++) {
            w_group *grp = &w->user_db->groups[g];
            int lo = unit->def->shards.lo, hi = unit->def->shards.hi;
            if (t->unit_of_shard >= 0)
                lo = hi = (int)t->unit_of_shard;
            if (grp->def->shards.hi >= lo && grp->def->shards.lo <= hi)
                target_add_group(out, grp, -1);
        }
    /* A link. */
    if (t->link.n == 2) {
        int a = world_dc_index(w, t->link.v[0]), b = world_dc_index(w, t->link.v[1]);
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
                    const geo_path *gp = MDL_ITEM(l->paths, geo_path, p);
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

