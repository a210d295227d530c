/* mdl_check.c -- semantic checks of geographies, stages and scenarios. */
#include "mdl_check.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cfg_value.h"
#include "mdl_config.h"
#include "sim_status.h"


/* ==== Helpers ==== */

/* The node of `key` in the struct's mapping, else the mapping. */
static const cfg_node *at(const void *st, const char *key)
{
    const mdl_head *h = st;
    const cfg_node *n = h->src && key ? cfg_map_get(h->src, key) : NULL;
    return n ? n : h->src;
}

/* A reference to one of n names: reports "no <what> named X (did you
 * mean / known: ...)" and returns 0 when it is not there. */
static int check_ref(mdl_load *ld, const cfg_node *n, const char *path, const char *what,
                     const char *name, const char *const *names, size_t count, const char *in)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    const char *guess = mdl_did_you_mean(name, names, count);
    char known[768];
    mdl_known_list(known, sizeof known, names, count);
    if (guess)
        mdl_error(ld, n, path, "no %s named \"%s\"%s%s (did you mean \"%s\"?)", what, name,
                  in ? " in " : "", in ? in : "", guess);
    else
        mdl_error(ld, n, path, "no %s named \"%s\"%s%s (%s)", what, name, in ? " in " : "",
                  in ? in : "", known);
    return 0;
}

/* Names of a list's items (the char* at offset). */
static size_t names_of(const mdl_list *list, size_t size, size_t offset, const char **out,
                       size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < list->n && n < max; i++) {
        const char *name = *(const char *const *)((const char *)list->items + i * size + offset);
        if (name)
            out[n++] = name;
    }
    return n;
}

static void check_unique(mdl_load *ld, const mdl_list *list, size_t size, size_t offset,
                         const char *list_key, const char *what)
{
    for (size_t i = 0; i < list->n; i++) {
        const void *item = (const char *)list->items + i * size;
        const char *name = *(const char *const *)((const char *)item + offset);
        for (size_t j = 0; j < i && name; j++) {
            const char *other = *(const char *const *)((const char *)list->items + j * size + offset);
            if (other && strcmp(name, other) == 0) {
                char path[96];
                snprintf(path, sizeof path, "%s[%zu].name", list_key, i);
                mdl_error(ld, at(item, "name"), path, "%s \"%s\" is already defined as %s[%zu]",
                          what, name, list_key, j);
                break;
            }
        }
    }
}

#define MAX_NAMES 4096

/* ==== Geography ==== */

void mdl_check_geography(mdl_load *ld, const geography *g)
{
    const char *cities[MAX_NAMES], *dcs[MAX_NAMES];
    size_t nc = names_of(&g->cities, sizeof(geo_city), offsetof(geo_city, name), cities, MAX_NAMES);
    size_t nd = names_of(&g->datacenters, sizeof(geo_dc), offsetof(geo_dc, name), dcs, MAX_NAMES);
    if (g->cities.n > MAX_NAMES || g->datacenters.n > MAX_NAMES || g->links.n > 100000) {
        mdl_error(ld, g->head.src, NULL, "too many cities, datacenters or links (at most %d of each)", MAX_NAMES);
        return;
    }
    check_unique(ld, &g->cities, sizeof(geo_city), offsetof(geo_city, name), "cities", "city");
    check_unique(ld, &g->datacenters, sizeof(geo_dc), offsetof(geo_dc, name), "datacenters", "datacenter");
    for (size_t i = 0; i < nd; i++)
        for (size_t j = 0; j < nc; j++)
            if (strcmp(dcs[i], cities[j]) == 0) {
                char path[64];
                snprintf(path, sizeof path, "datacenters[%zu].name", i);
                mdl_error(ld, at(MDL_ITEM(g->datacenters, geo_dc, i), "name"), path,
                          "\"%s\" is also a city's name; places need distinct names", dcs[i]);
            }
    for (size_t i = 0; i < g->datacenters.n; i++) {
        const geo_dc *d = MDL_ITEM(g->datacenters, geo_dc, i);
        char path[64];
        snprintf(path, sizeof path, "datacenters[%zu].city", i);
        check_ref(ld, at(d, "city"), path, "city", d->city, cities, nc, NULL);
    }
    for (size_t i = 0; i < g->links.n; i++) {
        const geo_link *l = MDL_ITEM(g->links, geo_link, i);
        char path[64];
        snprintf(path, sizeof path, "links[%zu].between", i);
        if (l->between.n != 2) {
            mdl_error(ld, at(l, "between"), path, "a link is between exactly two places (got %zu)", l->between.n);
            continue;
        }
        int dc0 = mdl_geo_dc(g, l->between.v[0]) != NULL, dc1 = mdl_geo_dc(g, l->between.v[1]) != NULL;
        int c0 = mdl_geo_city(g, l->between.v[0]) != NULL, c1 = mdl_geo_city(g, l->between.v[1]) != NULL;
        for (int e = 0; e < 2; e++)
            if (!(e ? dc1 || c1 : dc0 || c0)) {
                const char *all[2 * MAX_NAMES];
                size_t n = 0;
                for (size_t k = 0; k < nd; k++)
                    all[n++] = dcs[k];
                for (size_t k = 0; k < nc; k++)
                    all[n++] = cities[k];
                check_ref(ld, at(l, "between"), path, "datacenter or city", l->between.v[e], all, n, NULL);
            }
        if ((dc0 && c1) || (c0 && dc1))
            mdl_error(ld, at(l, "between"), path, "a link joins two datacenters or two cities, not one of each");
        for (size_t j = 0; j < i; j++) {
            const geo_link *o = MDL_ITEM(g->links, geo_link, j);
            if (o->between.n == 2 &&
                ((!strcmp(o->between.v[0], l->between.v[0]) && !strcmp(o->between.v[1], l->between.v[1])) ||
                 (!strcmp(o->between.v[0], l->between.v[1]) && !strcmp(o->between.v[1], l->between.v[0]))))
                mdl_error(ld, at(l, "between"), path, "links[%zu] already joins %s and %s", j,
                          l->between.v[0], l->between.v[1]);
        }
        if (l->paths.n == 0) {
            snprintf(path, sizeof path, "links[%zu].paths", i);
            mdl_error(ld, at(l, "paths"), path, "a link needs at least one path");
        }
        for (size_t p = 0; p < l->paths.n; p++)
            for (size_t q = 0; q < p; q++) {
                const geo_path *pp = MDL_ITEM(l->paths, geo_path, p), *qq = MDL_ITEM(l->paths, geo_path, q);
                if (pp->name && qq->name && strcmp(pp->name, qq->name) == 0) {
                    snprintf(path, sizeof path, "links[%zu].paths[%zu].name", i, p);
                    mdl_error(ld, at(pp, "name"), path, "two paths are named \"%s\"", pp->name);
                }
            }
    }
}

/* The link carrying traffic between two datacenters, or NULL. */
static const geo_link *link_between(const geography *g, const char *a, const char *b)
{
    const geo_dc *da = mdl_geo_dc(g, a), *db = mdl_geo_dc(g, b);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < g->links.n; i++) {
            const geo_link *l = MDL_ITEM(g->links, geo_link, i);
            if (l->between.n != 2)
                continue;
            const char *x = pass ? (da ? da->city : a) : a, *y = pass ? (db ? db->city : b) : b;
            if ((!strcmp(l->between.v[0], x) && !strcmp(l->between.v[1], y)) ||
                (!strcmp(l->between.v[0], y) && !strcmp(l->between.v[1], x)))
                return l;
        }
    return NULL;
}

/* ==== Stage ==== */

void mdl_check_stage(mdl_load *ld, const stage *s, const geography *g)
{
    const char *dcs[MAX_NAMES], *used[MAX_NAMES];
    size_t nd = names_of(&g->datacenters, sizeof(geo_dc), offsetof(geo_dc, name), dcs, MAX_NAMES);
    size_t nu = 0;
    char path[128];
    for (size_t i = 0; i < s->datacenters.n; i++) {
        snprintf(path, sizeof path, "datacenters[%zu]", i);
        if (check_ref(ld, at(s, "datacenters"), path, "datacenter", s->datacenters.v[i], dcs, nd, "the geography") && nu < MAX_NAMES)
            used[nu++] = s->datacenters.v[i];
    }
    /* Every pair of datacenters it uses must be joined. */
    for (size_t i = 0; i < nu; i++)
        for (size_t j = 0; j < i; j++)
            if (!link_between(g, used[i], used[j])) {
                const geo_dc *a = mdl_geo_dc(g, used[i]), *b = mdl_geo_dc(g, used[j]);
                mdl_error(ld, at(s, "datacenters"), "datacenters",
                          "no link joins %s and %s in the geography (add one between them, or between %s and %s)",
                          used[j], used[i], b->city, a->city);
            }
    const char *in = "this stage's datacenters";
#define CHECK_USED(node, p, name) check_ref(ld, node, p, "datacenter", name, used, nu, in)
    /* Entry. */
    for (size_t i = 0; i < s->entry.datacenters.n; i++) {
        snprintf(path, sizeof path, "entry.datacenters[%zu]", i);
        CHECK_USED(at(&s->entry, "datacenters"), path, s->entry.datacenters.v[i]);
    }
    if (s->entry.kind == ENTRY_VIP && s->entry.datacenters.n != 1)
        mdl_error(ld, at(&s->entry, "datacenters"), "entry.datacenters", "a vip entry stands in exactly one datacenter (got %zu)", s->entry.datacenters.n);
    if (s->entry.datacenters.n == 0)
        mdl_error(ld, at(&s->entry, "datacenters"), "entry.datacenters", "the entry needs at least one datacenter");
    if (s->registry.head.present)
        for (size_t i = 0; i < s->registry.datacenters.n; i++) {
            snprintf(path, sizeof path, "registry.datacenters[%zu]", i);
            CHECK_USED(at(&s->registry, "datacenters"), path, s->registry.datacenters.v[i]);
        }
    if (s->balancer.membership == MEMBERS_REGISTRY && !s->registry.head.present)
        mdl_error(ld, at(&s->balancer, "membership"), "balancer.membership", "registry membership needs a registry section");
    if (s->unit_switch.head.present && s->unit_switch.trigger == TRIGGER_AUTOMATIC && !s->registry.head.present)
        mdl_error(ld, at(&s->unit_switch, "trigger"), "unit_switch.trigger", "an automatic unit switch needs a registry to detect failures");
    check_unique(ld, &s->runbooks, sizeof(stg_runbook), offsetof(stg_runbook, name), "runbooks", "runbook");
    if (s->unit_switch.head.present && s->unit_switch.failback == FAILBACK_RUNBOOK) {
        int found = 0;
        for (size_t i = 0; i < s->runbooks.n; i++)
            found |= MDL_ITEM(s->runbooks, stg_runbook, i)->on == RUNBOOK_ON_UNIT_BACK;
        if (!found)
            mdl_error(ld, at(&s->unit_switch, "failback"), "unit_switch.failback",
                      "failback by runbook needs a runbook with on: unit-back");
    }
    /* Pools. */
    check_unique(ld, &s->pools, sizeof(stg_pool), offsetof(stg_pool, name), "pools", "pool");
    const char *pools[MAX_NAMES];
    size_t np = names_of(&s->pools, sizeof(stg_pool), offsetof(stg_pool, name), pools, MAX_NAMES);
    /* Units: rzones cover the shards once each; cells stand in used datacenters. */
    check_unique(ld, &s->units, sizeof(stg_unit), offsetof(stg_unit, name), "units", "unit");
    int owner[100];
    for (int k = 0; k < 100; k++)
        owner[k] = -1;
    int gzones = 0;
    int64_t servers_in[MAX_NAMES] = {0};
    for (size_t i = 0; i < s->units.n; i++) {
        const stg_unit *u = MDL_ITEM(s->units, stg_unit, i);
        if (u->kind == UNIT_RZONE) {
            for (int k = u->shards.lo; k <= u->shards.hi; k++) {
                if (owner[k] >= 0) {
                    snprintf(path, sizeof path, "units[%zu].shards", i);
                    mdl_error(ld, at(u, "shards"), path, "shard %02d is already owned by %s", k,
                              MDL_ITEM(s->units, stg_unit, (size_t)owner[k])->name);
                    break;
                }
                owner[k] = (int)i;
            }
            int active = 0;
            for (size_t c = 0; c < u->cells.n; c++)
                active += !MDL_ITEM(u->cells, stg_cell, c)->standby;
            if (!active) {
                snprintf(path, sizeof path, "units[%zu].cells", i);
                mdl_error(ld, at(u, "cells"), path, "an rzone needs at least one cell that is not standby");
            }
        } else {
            if (u->kind == UNIT_GZONE && ++gzones > 1) {
                snprintf(path, sizeof path, "units[%zu].kind", i);
                mdl_error(ld, at(u, "kind"), path, "there is one gzone in the world");
            }
            snprintf(path, sizeof path, "units[%zu].datacenter", i);
            if (!u->datacenter)
                mdl_error(ld, u->head.src, path, "a %s needs a datacenter", u->kind == UNIT_GZONE ? "gzone" : "czone");
            else
                CHECK_USED(at(u, "datacenter"), path, u->datacenter);
        }
        for (size_t c = 0; c < u->cells.n; c++) {
            const stg_cell *cell = MDL_ITEM(u->cells, stg_cell, c);
            snprintf(path, sizeof path, "units[%zu].cells[%zu].datacenter", i, c);
            if (CHECK_USED(at(cell, "datacenter"), path, cell->datacenter))
                for (size_t k = 0; k < nu; k++)
                    if (!strcmp(used[k], cell->datacenter))
                        servers_in[k] += cell->servers;
            snprintf(path, sizeof path, "units[%zu].cells[%zu].pool", i, c);
            check_ref(ld, at(cell, "pool"), path, "pool", cell->pool, pools, np, NULL);
        }
    }
    for (int k = 0; k < 100; k++)
        if (owner[k] < 0) {
            int hi = k;
            while (hi < 99 && owner[hi + 1] < 0)
                hi++;
            mdl_error(ld, at(s, "units"), "units", "shards %02d-%02d belong to no rzone (rzones must own 00-99 between them)", k, hi);
            break;
        }
    for (size_t k = 0; k < nu; k++) {
        const geo_dc *d = mdl_geo_dc(g, used[k]);
        if (d && servers_in[k] > d->racks * d->servers_per_rack)
            mdl_error(ld, at(s, "units"), "units", "the cells put %lld servers in %s, which holds %lld (racks x servers_per_rack)",
                      (long long)servers_in[k], used[k], (long long)(d->racks * d->servers_per_rack));
    }
    /* Databases. */
    check_unique(ld, &s->databases, sizeof(stg_database), offsetof(stg_database, name), "databases", "database");
    int user_homes = 0, global_homes = 0;
    const char *const data_names[] = {"user", "global"};
    for (size_t i = 0; i < s->databases.n; i++) {
        const stg_database *d = MDL_ITEM(s->databases, stg_database, i);
        int holds_user = 0;
        for (size_t h = 0; h < d->holds.n; h++) {
            snprintf(path, sizeof path, "databases[%zu].holds[%zu]", i, h);
            if (check_ref(ld, at(d, "holds"), path, "kind of data", d->holds.v[h], data_names, 2, NULL)) {
                holds_user |= !strcmp(d->holds.v[h], "user");
                user_homes += !strcmp(d->holds.v[h], "user");
                global_homes += !strcmp(d->holds.v[h], "global");
            }
        }
        int shard_owner[100];
        for (int k = 0; k < 100; k++)
            shard_owner[k] = -1;
        for (size_t j = 0; j < d->groups.n; j++) {
            const stg_group *gr = MDL_ITEM(d->groups, stg_group, j);
            snprintf(path, sizeof path, "databases[%zu].groups[%zu].primary", i, j);
            CHECK_USED(at(gr, "primary"), path, gr->primary);
            for (size_t r = 0; r < gr->replicas.n; r++) {
                snprintf(path, sizeof path, "databases[%zu].groups[%zu].replicas[%zu]", i, j, r);
                CHECK_USED(at(gr, "replicas"), path, gr->replicas.v[r]);
            }
            if (gr->failover) {
                snprintf(path, sizeof path, "databases[%zu].groups[%zu].failover", i, j);
                CHECK_USED(at(gr, "failover"), path, gr->failover);
            }
            if (d->failover.head.present && !gr->failover) {
                snprintf(path, sizeof path, "databases[%zu].groups[%zu]", i, j);
                mdl_error(ld, gr->head.src, path, "with a failover layer every group needs a failover datacenter");
            }
            int mode = d->replication.mode;
            if (mode != REPL_ASYNC && gr->replicas.n == 0) {
                snprintf(path, sizeof path, "databases[%zu].groups[%zu].replicas", i, j);
                mdl_error(ld, at(gr, "replicas"), path, "%s replication needs replicas", mode == REPL_QUORUM ? "quorum" : mode == REPL_SYNC ? "sync" : "semi-sync");
            }
            if (mode == REPL_QUORUM && gr->replicas.n < 2) {
                snprintf(path, sizeof path, "databases[%zu].groups[%zu].replicas", i, j);
                mdl_error(ld, at(gr, "replicas"), path, "a quorum needs at least three copies in all");
            }
            if (holds_user)
                for (int k = gr->shards.lo; k <= gr->shards.hi; k++) {
                    if (shard_owner[k] >= 0) {
                        snprintf(path, sizeof path, "databases[%zu].groups[%zu].shards", i, j);
                        mdl_error(ld, at(gr, "shards"), path, "shard %02d is already held by groups[%d]", k, shard_owner[k]);
                        break;
                    }
                    shard_owner[k] = (int)j;
                }
        }
        if (d->groups.n == 0) {
            snprintf(path, sizeof path, "databases[%zu].groups", i);
            mdl_error(ld, at(d, "groups"), path, "a database needs at least one group");
        }
        if (holds_user)
            for (int k = 0; k < 100; k++)
                if (shard_owner[k] < 0) {
                    snprintf(path, sizeof path, "databases[%zu].groups", i);
                    mdl_error(ld, at(d, "groups"), path, "shard %02d is in no group (user data needs 00-99)", k);
                    break;
                }
    }
    if (user_homes != 1)
        mdl_error(ld, at(s, "databases"), "databases", "exactly one database must hold user data (found %d)", user_homes);
    if (global_homes != 1)
        mdl_error(ld, at(s, "databases"), "databases", "exactly one database must hold global data (found %d)", global_homes);
    /* A gzone stands where the global data's primary is. */
    const stg_database *global = mdl_stage_data_home(s, DATA_GLOBAL);
    for (size_t i = 0; i < s->units.n && global && global->groups.n; i++) {
        const stg_unit *u = MDL_ITEM(s->units, stg_unit, i);
        const stg_group *gr = MDL_ITEM(global->groups, stg_group, 0);
        if (u->kind == UNIT_GZONE && u->datacenter && strcmp(u->datacenter, gr->primary) != 0) {
            snprintf(path, sizeof path, "units[%zu].datacenter", i);
            mdl_error(ld, at(u, "datacenter"), path, "the gzone stands in %s but the global data's primary is in %s", u->datacenter, gr->primary);
        }
    }
#undef CHECK_USED
}

/* ==== Scenario ==== */

int mdl_verdict_bound(int metric, const cfg_node *n, double *out, const char **why)
{
    if (n->kind != CFG_SCALAR) {
        *why = "expected a single value";
        return SIM_EINPUT;
    }
    switch (metric) {
    case METRIC_AVAILABILITY:
        return cfg_parse_percent(n->text, out, why);
    case METRIC_USERS_AFFECTED:
        if (cfg_parse_percent(n->text, out, why)) {
            *why = "expected a percentage of the users, such as 1%";
            return SIM_EINPUT;
        }
        return SIM_OK;
    case METRIC_RTO:
    case METRIC_P99:
    case METRIC_SECONDS_BELOW_SLO: {
        sim_time t;
        if (sim_time_parse_duration(n->text, &t, why)) {
            *why = "expected a duration such as 30s";
            return SIM_EINPUT;
        }
        *out = sim_time_to_seconds(t);
        return SIM_OK;
    }
    default:
        return cfg_parse_count(n->text, out, why);
    }
}

static int clock_node(mdl_load *ld, const cfg_node *n, const char *path, sim_time *out)
{
    const char *why;
    if (n->kind != CFG_SCALAR || sim_time_parse_clock(n->text, out, &why)) {
        mdl_error(ld, n, path, "expected a clock time such as 00:20:00");
        return -1;
    }
    return 0;
}

/* Checks a place name: a datacenter or a city of the geography. */
static int is_place(const geography *g, const char *name)
{
    return mdl_geo_dc(g, name) || mdl_geo_city(g, name);
}

static void check_target(mdl_load *ld, const scn_target *t, const char *path, int kind,
                         stage *const *stages, geography *const *geos, size_t n_stages)
{
    char p[160];
    const geography *g = geos[0];
    unsigned given = (t->datacenter ? TGT_DATACENTER : 0) | (t->city ? TGT_CITY : 0) | (t->unit ? TGT_UNIT : 0) |
                     (t->unit_of_shard >= 0 ? TGT_UNIT_OF_SHARD : 0) | (t->role ? TGT_ROLE : 0) |
                     (t->link.n ? TGT_LINK : 0) | (t->path ? TGT_PATH : 0) | (t->pool ? TGT_POOL : 0) |
                     (t->database ? TGT_DATABASE : 0) | (t->shard >= 0 ? TGT_SHARD : 0);
    if (t->datacenter && mdl_enum_index(mdl_dc_roles, t->datacenter) < 0) {
        const char *dcs[MAX_NAMES];
        size_t nd = names_of(&g->datacenters, sizeof(geo_dc), offsetof(geo_dc, name), dcs, MAX_NAMES);
        const char *all[MAX_NAMES + 8];
        size_t n = 0;
        for (size_t i = 0; i < nd; i++)
            all[n++] = dcs[i];
        snprintf(p, sizeof p, "%s.datacenter", path);
        if (!mdl_geo_dc(g, t->datacenter)) {
            for (size_t i = 0; mdl_dc_roles[i]; i++)
                all[n++] = mdl_dc_roles[i];
            check_ref(ld, at(t, "datacenter"), p, "datacenter", t->datacenter, all, n, NULL);
        }
    }
    if (t->city) {
        const char *cities[MAX_NAMES];
        size_t nc = names_of(&g->cities, sizeof(geo_city), offsetof(geo_city, name), cities, MAX_NAMES);
        snprintf(p, sizeof p, "%s.city", path);
        check_ref(ld, at(t, "city"), p, "city", t->city, cities, nc, NULL);
    }
    if (t->role) {
        snprintf(p, sizeof p, "%s.role", path);
        check_ref(ld, at(t, "role"), p, "role", t->role, mdl_roles, ROLE_COUNT, NULL);
    }
    if (t->link.n) {
        snprintf(p, sizeof p, "%s.link", path);
        if (t->link.n != 2)
            mdl_error(ld, at(t, "link"), p, "a link is named by its two ends");
        else
            for (size_t e = 0; e < 2; e++)
                if (!is_place(g, t->link.v[e]))
                    mdl_error(ld, at(t, "link"), p, "no datacenter or city named \"%s\"", t->link.v[e]);
    }
    for (size_t s = 0; s < n_stages; s++) {
        const stage *st = stages[s];
        if (t->unit && !mdl_stage_unit(st, t->unit)) {
            const char *units[MAX_NAMES];
            size_t n = names_of(&st->units, sizeof(stg_unit), offsetof(stg_unit, name), units, MAX_NAMES);
            char in[160];
            snprintf(in, sizeof in, "stage %s", st->name);
            snprintf(p, sizeof p, "%s.unit", path);
            check_ref(ld, at(t, "unit"), p, "unit", t->unit, units, n, in);
        }
        if (t->pool && !mdl_stage_pool(st, t->pool)) {
            const char *pools[MAX_NAMES];
            size_t n = names_of(&st->pools, sizeof(stg_pool), offsetof(stg_pool, name), pools, MAX_NAMES);
            char in[160];
            snprintf(in, sizeof in, "stage %s", st->name);
            snprintf(p, sizeof p, "%s.pool", path);
            check_ref(ld, at(t, "pool"), p, "pool", t->pool, pools, n, in);
        }
        if (t->database && !mdl_stage_database(st, t->database)) {
            const char *dbs[MAX_NAMES];
            size_t n = names_of(&st->databases, sizeof(stg_database), offsetof(stg_database, name), dbs, MAX_NAMES);
            char in[160];
            snprintf(in, sizeof in, "stage %s", st->name);
            snprintf(p, sizeof p, "%s.database", path);
            check_ref(ld, at(t, "database"), p, "database", t->database, dbs, n, in);
        }
        if (t->link.n == 2 && is_place(geos[s], t->link.v[0]) && is_place(geos[s], t->link.v[1])) {
            const geo_link *l = link_between(geos[s], t->link.v[0], t->link.v[1]);
            snprintf(p, sizeof p, "%s.link", path);
            if (!l) {
                mdl_error(ld, at(t, "link"), p, "no link joins %s and %s", t->link.v[0], t->link.v[1]);
            } else if (t->path) {
                int found = 0;
                for (size_t k = 0; k < l->paths.n; k++) {
                    const geo_path *gp = MDL_ITEM(l->paths, geo_path, k);
                    found |= gp->name && !strcmp(gp->name, t->path);
                }
                if (!found) {
                    snprintf(p, sizeof p, "%s.path", path);
                    mdl_error(ld, at(t, "path"), p, "the link between %s and %s has no path named \"%s\"", t->link.v[0], t->link.v[1], t->path);
                }
            }
        }
    }
    /* What each kind needs, from the fault kind table. */
    if (kind >= 0) {
        const mdl_fault_kind *k = &mdl_fault_kind_table[kind];
        if ((k->any_of && !(given & k->any_of)) || (given & k->all_of) != k->all_of)
            mdl_error(ld, t->head.src, path, "%s needs %s", k->name, k->needs);
    }
}

static void check_partition_groups(mdl_load *ld, const scn_fault *f, const char *path,
                                   const geography *g)
{
    char p[200];
    snprintf(p, sizeof p, "%s.groups", path);
    const cfg_node *n = f->groups;
    if (!n) {
        mdl_error(ld, f->head.src, path, "a partition needs groups: [[places...], [places...]]");
        return;
    }
    if (n->kind != CFG_SEQ || n->n < 2) {
        mdl_error(ld, n, p, "expected two or more groups of places, such as [[Hangzhou], [Shanghai, Shenzhen]]");
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        const cfg_node *grp = n->items[i];
        if (grp->kind != CFG_SEQ || grp->n == 0) {
            mdl_error(ld, grp, p, "each group is a list of datacenters or cities");
            continue;
        }
        for (size_t j = 0; j < grp->n; j++) {
            const cfg_node *place = grp->items[j];
            if (place->kind != CFG_SCALAR || !is_place(g, place->text))
                mdl_error(ld, place, p, "no datacenter or city named \"%s\"", place->kind == CFG_SCALAR ? place->text : "?");
            for (size_t i2 = 0; i2 < i; i2++)
                for (size_t j2 = 0; j2 < n->items[i2]->n; j2++)
                    if (place->kind == CFG_SCALAR && n->items[i2]->items[j2]->kind == CFG_SCALAR &&
                        !strcmp(place->text, n->items[i2]->items[j2]->text))
                        mdl_error(ld, place, p, "\"%s\" is in two groups", place->text);
        }
    }
}

void mdl_check_scenario(mdl_load *ld, const scenario *sc, stage *const *stages,
                        geography *const *geos, const char *const *stage_files, size_t n_stages)
{
    const char *scenario_file = ld->file;
    char path[160];
    if (n_stages == 0)
        return;
    for (size_t s = 1; s < n_stages; s++)
        if (geos[s] != geos[0] && strcmp(geos[s]->name, geos[0]->name) != 0)
            mdl_error(ld, sc->stages, "stages", "stage %s stands on geography %s, stage %s on %s: a scenario's stages share one geography",
                      stages[0]->name, geos[0]->name, stages[s]->name, geos[s]->name);
    const sim_time run_end = sc->warmup + sc->duration;
    /* Request types. */
    const scn_traffic *tr = &sc->traffic;
    check_unique(ld, &tr->types, sizeof(scn_type), offsetof(scn_type, name), "traffic.types", "request type");
    const char *types[MAX_NAMES];
    size_t nt = names_of(&tr->types, sizeof(scn_type), offsetof(scn_type, name), types, MAX_NAMES);
    double total = 0;
    for (size_t i = 0; i < tr->types.n; i++)
        total += MDL_ITEM(tr->types, scn_type, i)->share;
    if (tr->types.n && fabs(total - 100) > 1e-6) {
        char buf[64];
        mdl_error(ld, at(tr, "types"), "traffic.types", "the shares add up to %s, not 100%%", cfg_format_percent(total, buf, sizeof buf));
    }
    if (tr->types.n == 0)
        mdl_error(ld, at(tr, "types"), "traffic.types", "at least one request type is needed");
    /* The curve. */
    const scn_curve *cv = &tr->curve;
    for (size_t i = 1; i < cv->points.n; i++) {
        const scn_point *a = MDL_ITEM(cv->points, scn_point, i - 1), *b = MDL_ITEM(cv->points, scn_point, i);
        if (mdl_clock_to_run(sc, b->at) <= mdl_clock_to_run(sc, a->at)) {
            snprintf(path, sizeof path, "traffic.curve.points[%zu].at", i);
            mdl_error(ld, at(b, "at"), path, "points must go forward in time from the start");
        }
    }
    if (cv->points.n == 0 && mdl_clock_to_run(sc, cv->peak_at) < mdl_clock_to_run(sc, cv->spike_at))
        mdl_error(ld, at(cv, "peak_at"), "traffic.curve.peak_at", "the peak comes before the spike");
    /* Stages serve every request type (errors point into the stage). */
    char known_types[512];
    mdl_known_list(known_types, sizeof known_types, types, nt);
    for (size_t s = 0; s < n_stages; s++) {
        const stage *st = stages[s];
        ld->file = stage_files[s];
        for (size_t p = 0; p < st->pools.n; p++) {
            const stg_pool *pool = MDL_ITEM(st->pools, stg_pool, p);
            for (size_t k = 0; k < nt; k++) {
                int found = 0;
                for (size_t j = 0; j < pool->service_time.n; j++)
                    found |= !strcmp(pool->service_time.keys[j], types[k]);
                snprintf(path, sizeof path, "pools[%zu].service_time", p);
                if (!found)
                    mdl_error(ld, at(pool, "service_time"), path,
                              "no service time for request type \"%s\" of scenario %s", types[k], sc->name);
            }
        }
        const stg_degradation *dg = &st->protections.degradation;
        for (size_t k = 0; k < dg->shed.n; k++) {
            snprintf(path, sizeof path, "protections.degradation.shed[%zu]", k);
            check_ref(ld, at(dg, "shed"), path, "request type", dg->shed.v[k], types, nt, "the scenario");
        }
        for (size_t k = 0; k < st->entry.type_limits.n; k++) {
            snprintf(path, sizeof path, "entry.type_limits.%s", st->entry.type_limits.keys[k]);
            check_ref(ld, st->entry.type_limits.nodes[k], path, "request type", st->entry.type_limits.keys[k], types, nt, "the scenario");
        }
    }
    ld->file = scenario_file;
    /* Faults. */
    for (size_t i = 0; i < sc->faults.n; i++) {
        const scn_fault *f = MDL_ITEM(sc->faults, scn_fault, i);
        snprintf(path, sizeof path, "faults[%zu]", i);
        sim_time start = mdl_clock_to_run(sc, f->at);
        if (start < 0) {
            snprintf(path, sizeof path, "faults[%zu].at", i);
            mdl_error(ld, at(f, "at"), path, "this is before the run starts");
            continue;
        }
        if (start > run_end) {
            snprintf(path, sizeof path, "faults[%zu].at", i);
            mdl_error(ld, at(f, "at"), path, "the run ends before this fault starts");
            continue;
        }
        int endings = (f->duration > 0) + (f->until != NULL) + f->permanent;
        if (endings != 1)
            mdl_error(ld, f->head.src, path, "say how it ends: exactly one of duration, until or permanent: true");
        sim_time until;
        if (f->until) {
            snprintf(path, sizeof path, "faults[%zu].until", i);
            if (!clock_node(ld, f->until, path, &until) && mdl_clock_to_run(sc, until) <= start)
                mdl_error(ld, f->until, path, "it ends before it starts");
        }
        snprintf(path, sizeof path, "faults[%zu].target", i);
        check_target(ld, &f->target, path, f->kind, stages, geos, n_stages);
        snprintf(path, sizeof path, "faults[%zu]", i);
        if (f->kind == FAULT_PARTITION)
            check_partition_groups(ld, f, path, geos[0]);
        if (f->kind == FAULT_WRONG_SWITCH) {
            if (!f->to_unit)
                mdl_error(ld, f->head.src, path, "a wrong switch needs to_unit");
            else
                for (size_t s = 0; s < n_stages; s++)
                    if (!mdl_stage_unit(stages[s], f->to_unit)) {
                        const char *units[MAX_NAMES];
                        size_t n = names_of(&stages[s]->units, sizeof(stg_unit), offsetof(stg_unit, name), units, MAX_NAMES);
                        char in[128];
                        snprintf(in, sizeof in, "stage %s", stages[s]->name);
                        snprintf(path, sizeof path, "faults[%zu].to_unit", i);
                        check_ref(ld, at(f, "to_unit"), path, "unit", f->to_unit, units, n, in);
                    }
        }
        if (f->kind == FAULT_BAD_RELEASE && f->error_rate == 0 && f->slowdown == 1)
            mdl_error(ld, f->head.src, path, "a bad release needs an error_rate or a slowdown");
    }
    /* Actions and captions: exactly one of at / on. */
    for (size_t i = 0; i < sc->actions.n; i++) {
        const scn_action *a = MDL_ITEM(sc->actions, scn_action, i);
        snprintf(path, sizeof path, "actions[%zu]", i);
        if ((a->at != NULL) == (a->on != NULL))
            mdl_error(ld, a->head.src, path, "give exactly one of at (a clock time) or on (an event)");
        if (a->on) {
            snprintf(path, sizeof path, "actions[%zu].on", i);
            check_ref(ld, at(a, "on"), path, "event kind", a->on, mdl_event_kinds, EV_KIND_COUNT, NULL);
        }
        sim_time t;
        if (a->at) {
            snprintf(path, sizeof path, "actions[%zu].at", i);
            clock_node(ld, a->at, path, &t);
        }
        snprintf(path, sizeof path, "actions[%zu].target", i);
        check_target(ld, &a->target, path, -1, stages, geos, n_stages);
        if ((a->kind == ACTION_SWITCH_UNIT) && !(a->target.unit || a->target.unit_of_shard >= 0)) {
            snprintf(path, sizeof path, "actions[%zu].target", i);
            mdl_error(ld, at(a, "target"), path, "switch-unit needs a unit or a unit-of-shard");
        }
        if ((a->kind == ACTION_DEGRADE || a->kind == ACTION_RESTORE)) {
            snprintf(path, sizeof path, "actions[%zu].type", i);
            if (!a->type)
                mdl_error(ld, a->head.src, path, "%s needs a request type", mdl_action_kinds[a->kind]);
            else
                check_ref(ld, at(a, "type"), path, "request type", a->type, types, nt, NULL);
        }
        if (a->kind == ACTION_RUNBOOK) {
            snprintf(path, sizeof path, "actions[%zu].runbook", i);
            if (!a->runbook)
                mdl_error(ld, a->head.src, path, "a runbook action needs the runbook's name");
            else { /* some stage must have it; the others tell it as unmatched */
                const char *names[MAX_NAMES];
                size_t n = 0;
                for (size_t s = 0; s < n_stages && n < MAX_NAMES; s++)
                    n += names_of(&stages[s]->runbooks, sizeof(stg_runbook), offsetof(stg_runbook, name), names + n,
                                  MAX_NAMES - n);
                check_ref(ld, at(a, "runbook"), path, "runbook", a->runbook, names, n, "the scenario's stages");
            }
        }
        if (a->to) {
            snprintf(path, sizeof path, "actions[%zu].to", i);
            if (!mdl_geo_dc(geos[0], a->to))
                mdl_error(ld, at(a, "to"), path, "no datacenter named \"%s\"", a->to);
        }
    }
    /* Training: the reactions it hands to the trainee, each by name. */
    const cfg_node *takes = sc->training.head.present ? at(&sc->training, "takes") : NULL;
    for (size_t k = 0; k < sc->training.takes.n; k++) {
        snprintf(path, sizeof path, "training.takes[%zu]", k);
        const cfg_node *item = takes && takes->kind == CFG_SEQ && k < takes->n ? takes->items[k] : takes;
        check_ref(ld, item, path, "reaction", sc->training.takes.v[k], mdl_reactions, REACT_COUNT, NULL);
    }
    for (size_t i = 0; i < sc->captions.n; i++) {
        const scn_caption *c = MDL_ITEM(sc->captions, scn_caption, i);
        snprintf(path, sizeof path, "captions[%zu]", i);
        if ((c->at != NULL) == (c->on != NULL))
            mdl_error(ld, c->head.src, path, "give exactly one of at (a clock time) or on (an event)");
        if (c->on) {
            snprintf(path, sizeof path, "captions[%zu].on", i);
            check_ref(ld, at(c, "on"), path, "event kind", c->on, mdl_event_kinds, EV_KIND_COUNT, NULL);
        }
        sim_time t;
        if (c->at) {
            snprintf(path, sizeof path, "captions[%zu].at", i);
            clock_node(ld, c->at, path, &t);
        }
    }
    /* Verdicts. */
    for (size_t i = 0; i < sc->verdicts.n; i++) {
        const scn_verdict *v = MDL_ITEM(sc->verdicts, scn_verdict, i);
        snprintf(path, sizeof path, "verdicts[%zu]", i);
        if ((v->at_least != NULL) == (v->at_most != NULL)) {
            mdl_error(ld, v->head.src, path, "give exactly one of at_least or at_most");
            continue;
        }
        double bound;
        const char *why;
        const cfg_node *b = v->at_least ? v->at_least : v->at_most;
        snprintf(path, sizeof path, "verdicts[%zu].%s", i, v->at_least ? "at_least" : "at_most");
        if (mdl_verdict_bound(v->metric, b, &bound, &why))
            mdl_error(ld, b, path, "%s (got \"%s\")", why, b->kind == CFG_SCALAR ? b->text : "?");
        for (size_t k = 0; k < v->stages.n; k++) {
            int found = 0;
            for (size_t s = 0; s < n_stages; s++)
                found |= !strcmp(stages[s]->name, v->stages.v[k]);
            if (!found && !ld->other_stages) {
                snprintf(path, sizeof path, "verdicts[%zu].stages[%zu]", i, k);
                mdl_error(ld, at(v, "stages"), path, "no stage named \"%s\" in this scenario", v->stages.v[k]);
            }
        }
    }
}
