/* mdl_explore.c -- drawing fault timelines for an exploration, the way a
 * deterministic simulation tester hunts for bad schedules: each run's
 * seed draws how many faults, of which kinds, where, when and for how
 * long, from the space `explore:` states. The timeline is written as the
 * YAML of a scenario's `faults:` and loaded like one, so a drawn fault is
 * checked like a written one and a worst case is a scenario file that
 * reproduces it. Targets are named so they mean the same in every stage:
 * datacenters, links, a unit-of-shard, a shard. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_explore.h"
#include "sim_rng.h"
#include "sim_status.h"

/* What a kind strikes, and what else it needs drawn. */
typedef enum { AIM_PLACE, AIM_LINK, AIM_CELLS, AIM_GROUP } aim;
typedef struct drawable {
    int kind;
    aim aim;
} drawable;

static const drawable drawables[] = {
    {FAULT_POWER, AIM_PLACE},      {FAULT_BREAKER, AIM_PLACE},  {FAULT_FEED, AIM_PLACE},
    {FAULT_RACKS, AIM_PLACE},      {FAULT_ISOLATE, AIM_PLACE},  {FAULT_BALANCER, AIM_PLACE},
    {FAULT_LINK_CUT, AIM_LINK},    {FAULT_LATENCY, AIM_LINK},   {FAULT_LOSS, AIM_LINK},
    {FAULT_BANDWIDTH, AIM_LINK},   {FAULT_SERVER, AIM_CELLS},   {FAULT_POOL_SHARE, AIM_CELLS},
    {FAULT_DB_PRIMARY, AIM_GROUP}, {FAULT_DB_REPLICA, AIM_GROUP},
};
#define N_DRAWABLE (sizeof drawables / sizeof drawables[0])
static const int default_kinds[] = {FAULT_POWER,   FAULT_BREAKER, FAULT_RACKS,      FAULT_ISOLATE,
                                    FAULT_LINK_CUT, FAULT_LATENCY, FAULT_LOSS,      FAULT_SERVER,
                                    FAULT_POOL_SHARE, FAULT_DB_PRIMARY, FAULT_DB_REPLICA};

static const drawable *drawable_of(int kind)
{
    for (size_t i = 0; i < N_DRAWABLE; i++)
        if (drawables[i].kind == kind)
            return &drawables[i];
    return NULL;
}

static long stage_at(const mdl_config *base, const char *name)
{
    for (size_t j = 0; j < base->n_stages; j++)
        if (strcmp(base->stages[j]->name, name) == 0)
            return (long)j;
    return -1;
}

void mdl_explore_resolve(mdl_load *ld, mdl_sweep *s, const mdl_config *base)
{
    const swp_explore *x = &s->def->explore;
    const cfg_node *src = x->head.src;
    size_t nk = x->kinds.n ? x->kinds.n : sizeof default_kinds / sizeof default_kinds[0];
    s->kinds = sim_arena_alloc(&s->arena, (nk + 1) * sizeof *s->kinds);
    if (!s->kinds) {
        ld->oom = 1;
        return;
    }
    const char *names[N_DRAWABLE];
    for (size_t i = 0; i < N_DRAWABLE; i++)
        names[i] = mdl_fault_kinds[drawables[i].kind];
    int links_needed = 0;
    for (size_t i = 0; i < nk; i++) {
        int k = x->kinds.n ? mdl_enum_index(mdl_fault_kinds, x->kinds.v[i]) : default_kinds[i];
        if (k < 0 || !drawable_of(k)) {
            char known[512];
            mdl_known_list(known, sizeof known, names, N_DRAWABLE);
            const char *guess = mdl_did_you_mean(x->kinds.v[i], names, N_DRAWABLE);
            mdl_error(ld, cfg_map_get(src, "kinds"), "explore.kinds",
                      guess ? "\"%s\" cannot be drawn (did you mean \"%s\"?)" : "\"%s\" cannot be drawn (%s)",
                      x->kinds.v[i], guess ? guess : known);
            continue;
        }
        links_needed |= drawable_of(k)->aim == AIM_LINK;
        s->kinds[s->n_kinds++] = k;
    }
    if (x->faults_min > x->faults_max)
        mdl_error(ld, cfg_map_get(src, "faults_min"), "explore.faults_min", "faults_min is more than faults_max");
    if (x->shortest > x->longest)
        mdl_error(ld, cfg_map_get(src, "shortest"), "explore.shortest", "shortest is longer than longest");
    /* Places: the datacenters named, or every one each stage run uses. */
    long first = stage_at(base, s->stages[0]);
    const geography *g = base->stage_geos[first < 0 ? 0 : first];
    size_t np = x->places.n ? x->places.n : g->datacenters.n;
    s->places = sim_arena_alloc(&s->arena, (np + 1) * sizeof *s->places);
    if (!s->places) {
        ld->oom = 1;
        return;
    }
    for (size_t i = 0; i < np; i++) {
        const char *dc = x->places.n ? x->places.v[i] : MDL_ITEM(g->datacenters, geo_dc, i)->name;
        int everywhere = mdl_geo_dc(g, dc) != NULL;
        for (size_t j = 0; j < s->n_stages && everywhere; j++) {
            long at = stage_at(base, s->stages[j]);
            everywhere = at >= 0 && mdl_stage_uses_dc(base->stages[at], dc);
        }
        if (everywhere) /* kept in the sweep's arena: the scenario loaded here is freed */
            s->places[s->n_places++] = sim_arena_strdup(&s->arena, dc);
        else if (x->places.n)
            mdl_error(ld, cfg_map_get(src, "places"), "explore.places",
                      "\"%s\" is not a datacenter every stage run uses", dc);
    }
    if (s->n_places == 0)
        mdl_error(ld, src, "explore.places", "no datacenter that every stage run uses");
    s->links = sim_arena_alloc(&s->arena, (2 * g->links.n + 1) * sizeof *s->links);
    for (size_t i = 0; s->links && i < g->links.n; i++) {
        const geo_link *l = MDL_ITEM(g->links, geo_link, i);
        if (l->between.n == 2) {
            s->links[2 * s->n_links] = sim_arena_strdup(&s->arena, l->between.v[0]);
            s->links[2 * s->n_links++ + 1] = sim_arena_strdup(&s->arena, l->between.v[1]);
        }
    }
    if (links_needed && s->n_links == 0)
        mdl_error(ld, cfg_map_get(src, "kinds"), "explore.kinds", "the geography has no links to strike");
}

typedef struct drawn {
    sim_time at;
    char text[320];
} drawn;

static int by_time(const void *a, const void *b)
{
    const drawn *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* Uniform in [lo, hi], whole. */
static long long between(sim_rng *r, long long lo, long long hi)
{
    return lo + (long long)sim_rng_below(r, (uint64_t)(hi - lo + 1));
}

static void draw_one(const mdl_sweep *s, sim_rng *r, drawn *out)
{
    const swp_explore *x = &s->def->explore;
    int kind = s->kinds[sim_rng_below(r, s->n_kinds)];
    const drawable *d = drawable_of(kind);
    /* The window may pass midnight (23:59 to 00:10). */
    const sim_time day = sim_time_from_seconds(86400);
    sim_time span = ((x->to - x->from) % day + day) % day;
    long long offset_s = between(r, 0, (long long)(sim_time_to_seconds(span)));
    sim_time at = (x->from + sim_time_from_seconds((double)offset_s)) % day;
    long long dur_s = between(r, (long long)sim_time_to_seconds(x->shortest), (long long)sim_time_to_seconds(x->longest));
    char clock[32];
    sim_time_format_clock(at, clock, sizeof clock);
    char target[160], extra[96] = "";
    switch (d->aim) {
    case AIM_PLACE:
        snprintf(target, sizeof target, "{datacenter: %s}", s->places[sim_rng_below(r, s->n_places)]);
        if (kind == FAULT_POWER)
            snprintf(extra, sizeof extra, ", generator: %s", sim_rng_below(r, 2) ? "fails" : "starts");
        else if (kind == FAULT_RACKS)
            snprintf(extra, sizeof extra, ", share: %lld%%", between(r, 10, 60));
        break;
    case AIM_LINK: {
        size_t l = sim_rng_below(r, s->n_links);
        snprintf(target, sizeof target, "{link: [%s, %s]}", s->links[2 * l], s->links[2 * l + 1]);
        if (kind == FAULT_LATENCY)
            snprintf(extra, sizeof extra, ", latency: %lldms", between(r, 5, 200));
        else if (kind == FAULT_LOSS)
            snprintf(extra, sizeof extra, ", loss: %lld%%", between(r, 1, 30));
        else if (kind == FAULT_BANDWIDTH)
            snprintf(extra, sizeof extra, ", bandwidth: %lld%%", between(r, 5, 50));
        break;
    }
    case AIM_CELLS:
        snprintf(target, sizeof target, "{unit-of-shard: %lld}", between(r, 0, 99));
        if (kind == FAULT_POOL_SHARE)
            snprintf(extra, sizeof extra, ", share: %lld%%", between(r, 10, 60));
        break;
    case AIM_GROUP:
        snprintf(target, sizeof target, "{shard: %lld}", between(r, 0, 99));
        break;
    }
    out->at = at;
    snprintf(out->text, sizeof out->text, "{at: \"%s\", kind: %s, target: %s%s, duration: %llds}", clock,
             mdl_fault_kinds[kind], target, extra, dur_s);
}

int mdl_explore_draw(const mdl_sweep *s, uint64_t seed, cfg_doc **out, char *line, size_t size)
{
    const swp_explore *x = &s->def->explore;
    sim_rng r;
    sim_rng_init_indexed(&r, seed, "explore", 0);
    size_t n = (size_t)between(&r, x->faults_min, x->faults_max);
    drawn faults[50];
    for (size_t i = 0; i < n; i++)
        draw_one(s, &r, &faults[i]);
    /* In time order, as a person would write them (a stable sort: equal
     * times keep the order drawn). */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && by_time(&faults[j - 1], &faults[j]) > 0; j--) {
            drawn t = faults[j];
            faults[j] = faults[j - 1];
            faults[j - 1] = t;
        }
    size_t used = 0;
    line[0] = '\0';
    used += (size_t)snprintf(line, size, "[");
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(line + used, size - used, "%s%s", i ? ", " : "", faults[i].text);
    if (used < size)
        snprintf(line + used, size - used, "]");
    char name[96];
    snprintf(name, sizeof name, "timeline of seed %llu", (unsigned long long)seed);
    cfg_error err;
    int rc = cfg_load_string(name, line, strlen(line), NULL, out, &err);
    return rc == SIM_ENOMEM ? SIM_ENOMEM : rc ? SIM_EINPUT : SIM_OK;
}
