/* mdl_settings.c -- what a loaded scenario's stages become beyond their
 * files: its variants (a stage run again with settings of its own), its
 * overrides, and settings from outside (a sweep's parameters, --set), in
 * that order, so the outermost experiment has the last word. Each value
 * set is recorded on the stages it reached (mdl_applied), for summary.json
 * and the report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_check.h"
#include "mdl_config.h"
#include "mdl_override.h"

/* One setting, wherever it came from. */
typedef struct setting {
    const char *key;
    const cfg_node *key_node, *value;
    const char *file;           /* for messages */
    const char *path;           /* names it in messages: "overrides[2]", "variants[0].set" */
    const char *from;           /* for mdl_applied */
} setting;

/* A variant, from the scenario or the command line. */
typedef struct variant {
    const char *name, *base;
    const cfg_node *name_node, *base_node;
    const char *file;
    setting *set;
    size_t n_set;
} variant;

static int grow(sim_arena *a, void **array, size_t n, size_t size)
{
    void *bigger = sim_arena_alloc(a, (n + 1) * size);
    if (!bigger)
        return -1;
    if (n)
        memcpy(bigger, *array, n * size);
    *array = bigger;
    return 0;
}

static void record(mdl_load *ld, mdl_config *c, size_t j, const setting *s)
{
    mdl_applied one = {s->key, mdl_node_text(ld->arena, s->value), s->from};
    void *list = c->stage_applied[j];
    if (!one.value || grow(ld->arena, &list, c->n_stage_applied[j], sizeof one)) {
        ld->oom = 1;
        return;
    }
    c->stage_applied[j] = list;
    c->stage_applied[j][c->n_stage_applied[j]++] = one;
}

static const char *geo_file(const mdl_config *c, const geography *g)
{
    for (size_t i = 0; i < c->n_geos; i++)
        if (c->geos[i] == g)
            return c->geo_paths[i];
    return c->path;
}

/* Gives every stage a geography of its own, loaded afresh from its text
 * before any setting is applied: a setting for some stages (a variant's,
 * an override's `stages:`) then cannot reach the others, and none is lost
 * to a later copy. Done only when a setting reaches a geography. */
static void split_geographies(mdl_load *ld, mdl_config *c)
{
    for (size_t j = 1; j < c->n_stages; j++) {
        geography *g = c->stage_geos[j];
        int shared = 0;
        for (size_t k = 0; k < j; k++)
            shared |= c->stage_geos[k] == g;
        if (!shared)
            continue;
        geography *copy = sim_arena_alloc(ld->arena, sizeof *copy);
        void *geos = c->geos, *paths = c->geo_paths;
        if (!copy || grow(ld->arena, &geos, c->n_geos, sizeof *c->geos) ||
            grow(ld->arena, &paths, c->n_geos, sizeof *c->geo_paths)) {
            ld->oom = 1;
            return;
        }
        const char *saved = ld->file;
        ld->file = geo_file(c, g);
        memset(copy, 0, sizeof *copy);
        mdl_schema_load(ld, &mdl_geography_schema, g->head.src, "", copy);
        c->geos = geos;
        c->geo_paths = paths;
        c->geo_paths[c->n_geos] = ld->file;
        c->geos[c->n_geos++] = copy;
        c->stage_geos[j] = copy;
        ld->file = saved;
    }
}

static int reaches_geography(const char *key)
{
    return key && strncmp(key, "geography.", 10) == 0;
}

/* Sets one value on the stages in mask (and records it); a scenario key
 * reaches the scenario, only when every stage is in the mask. */
static void apply(mdl_load *ld, mdl_config *c, const setting *s, const unsigned char *mask, int every_stage,
                  int *geo_changed)
{
    const char *saved = ld->file;
    ld->file = s->file;
    const char *key_path = sim_arena_printf(ld->arena, "%s.key", s->path);
    int root = mdl_override_root(ld, s->key, s->key_node, key_path ? key_path : s->path);
    if (root == OVR_SCENARIO && !every_stage) {
        mdl_error(ld, s->key_node, key_path,
                  "\"%s\" is a scenario key: it applies to every stage, not to some (a variant or `stages:`)", s->key);
    } else if (root == OVR_SCENARIO) {
        mdl_override_apply(ld, &mdl_scenario_schema, c->scn, s->key, s->key_node, s->value, s->path);
    } else if (root == OVR_STAGE) {
        for (size_t j = 0; j < c->n_stages; j++)
            if (mask[j])
                mdl_override_apply(ld, &mdl_stage_schema, c->stages[j], s->key, s->key_node, s->value, s->path);
    } else if (root == OVR_GEOGRAPHY) { /* each stage's own (split_geographies) */
        for (size_t j = 0; j < c->n_stages; j++)
            if (mask[j])
                mdl_override_apply(ld, &mdl_geography_schema, c->stage_geos[j], s->key, s->key_node, s->value,
                                   s->path);
        *geo_changed = 1;
    }
    if (root != OVR_BAD)
        for (size_t j = 0; j < c->n_stages; j++)
            if (mask[j])
                record(ld, c, j, s);
    ld->file = saved;
}

/* The settings of a `set:` mapping (key path -> value). */
static size_t settings_of_map(mdl_load *ld, const cfg_node *map, const char *file, const char *path,
                              const char *from, setting **out)
{
    *out = NULL;
    if (!map || map->kind != CFG_MAP) {
        const char *saved = ld->file;
        ld->file = file;
        mdl_error(ld, map, path, "expected key paths and their values: {\"databases[core].replication.mode\": async}");
        ld->file = saved;
        return 0;
    }
    setting *s = sim_arena_alloc(ld->arena, (map->n + 1) * sizeof *s);
    if (!s) {
        ld->oom = 1;
        return 0;
    }
    for (size_t i = 0; i < map->n; i++)
        s[i] = (setting){map->keys[i]->text, map->keys[i], map->items[i], file,
                         sim_arena_printf(ld->arena, "%s[%zu]", path, i), from};
    *out = s;
    return map->n;
}

const char *mdl_variant_base(const char *name, const char *const *stages, size_t n)
{
    const char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(stages[i]);
        if (strncmp(name, stages[i], len) == 0 && name[len] == '-' && (!best || len > strlen(best)))
            best = stages[i];
    }
    return best;
}

/* The scenario's variants, then the command line's. */
static size_t collect_variants(mdl_load *ld, mdl_config *c, const char *scn_file, const mdl_load_options *opt,
                               size_t n_base, variant **out)
{
    const scenario *sc = c->scn;
    size_t n_opt = opt ? opt->n_variants : 0;
    *out = NULL;
    variant *v = sim_arena_alloc(ld->arena, (sc->variants.n + n_opt + 1) * sizeof *v);
    if (!v) {
        ld->oom = 1;
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < sc->variants.n; i++) {
        const scn_variant *sv = MDL_ITEM(sc->variants, scn_variant, i);
        const char *path = sim_arena_printf(ld->arena, "variants[%zu].set", i);
        const char *from = sim_arena_printf(ld->arena, "variant %s", sv->name);
        variant *x = &v[n++];
        *x = (variant){sv->name, sv->stage, cfg_map_get(sv->head.src, "name"), cfg_map_get(sv->head.src, "stage"),
                       scn_file, NULL, 0};
        x->n_set = settings_of_map(ld, sv->set, scn_file, path ? path : "variants", from, &x->set);
    }
    const char *names[64];
    for (size_t j = 0; j < n_base && j < 64; j++)
        names[j] = c->stages[j]->name;
    for (size_t i = 0; i < n_opt; i++) {
        const mdl_variant_spec *spec = &opt->variants[i];
        variant *x = &v[n++];
        const char *base = spec->stage ? spec->stage : mdl_variant_base(spec->name, names, n_base < 64 ? n_base : 64);
        *x = (variant){spec->name, base, NULL, NULL, "--variant", NULL, 0};
        x->set = sim_arena_alloc(ld->arena, (spec->n_set + 1) * sizeof *x->set);
        if (!x->set) {
            ld->oom = 1;
            return 0;
        }
        for (size_t k = 0; k < spec->n_set; k++)
            x->set[k] = (setting){spec->set[k].key, spec->set[k].key_node, spec->set[k].value, spec->set[k].file,
                                  "--variant", sim_arena_printf(ld->arena, "variant %s", spec->name)};
        x->n_set = spec->n_set;
    }
    *out = v;
    return n;
}

/* A copy of stage `base`, named for the variant, appended to the stages. */
static long add_variant_stage(mdl_load *ld, mdl_config *c, size_t base, const variant *v, const char *file)
{
    stage *s = sim_arena_alloc(ld->arena, sizeof *s);
    if (!s) {
        ld->oom = 1;
        return -1;
    }
    memset(s, 0, sizeof *s);
    const char *saved = ld->file;
    ld->file = file;
    mdl_schema_load(ld, &mdl_stage_schema, c->stages[base]->head.src, "", s);
    ld->file = saved;
    s->name = v->name;
    void *stages = c->stages, *geos = c->stage_geos, *paths = c->stage_paths, *bases = c->stage_bases,
         *applied = c->stage_applied, *counts = c->n_stage_applied;
    size_t n = c->n_stages;
    if (grow(ld->arena, &stages, n, sizeof *c->stages) || grow(ld->arena, &geos, n, sizeof *c->stage_geos) ||
        grow(ld->arena, &paths, n, sizeof *c->stage_paths) || grow(ld->arena, &bases, n, sizeof *c->stage_bases) ||
        grow(ld->arena, &applied, n, sizeof *c->stage_applied) ||
        grow(ld->arena, &counts, n, sizeof *c->n_stage_applied)) {
        ld->oom = 1;
        return -1;
    }
    c->stages = stages;
    c->stage_geos = geos;
    c->stage_paths = paths;
    c->stage_bases = bases;
    c->stage_applied = applied;
    c->n_stage_applied = counts;
    c->stages[n] = s;
    c->stage_geos[n] = c->stage_geos[base];
    c->stage_paths[n] = c->stage_paths[base];
    c->stage_bases[n] = c->stages[base]->name;
    c->stage_applied[n] = NULL;
    c->n_stage_applied[n] = 0;
    c->n_stages = n + 1;
    return (long)n;
}

static long stage_index(const mdl_config *c, size_t n, const char *name)
{
    for (size_t j = 0; j < n; j++)
        if (strcmp(c->stages[j]->name, name) == 0)
            return (long)j;
    return -1;
}

void mdl_settings_apply(mdl_load *ld, mdl_config *c, const char *scn_file, const char *const *stage_files,
                        const mdl_load_options *opt)
{
    sim_arena *a = ld->arena;
    size_t n_base = c->n_stages;
    c->stage_bases = sim_arena_alloc(a, (n_base + 1) * sizeof *c->stage_bases);
    c->stage_applied = sim_arena_alloc(a, (n_base + 1) * sizeof *c->stage_applied);
    c->n_stage_applied = sim_arena_alloc(a, (n_base + 1) * sizeof *c->n_stage_applied);
    if (!c->stage_bases || !c->stage_applied || !c->n_stage_applied) {
        ld->oom = 1;
        return;
    }
    memset(c->stage_bases, 0, (n_base + 1) * sizeof *c->stage_bases);
    memset(c->stage_applied, 0, (n_base + 1) * sizeof *c->stage_applied);
    memset(c->n_stage_applied, 0, (n_base + 1) * sizeof *c->n_stage_applied);

    /* Variants: with one stage asked for by a variant's name, the loader
     * loaded its base in its place; it becomes the variant here. */
    variant *vars = NULL;
    size_t n_vars = collect_variants(ld, c, scn_file, opt, n_base, &vars);
    long *var_stage = sim_arena_alloc(a, (n_vars + 1) * sizeof *var_stage);
    if (!var_stage) {
        ld->oom = 1;
        return;
    }
    const char *only = opt ? opt->only_stage : NULL;
    for (size_t i = 0; i < n_vars; i++) {
        variant *v = &vars[i];
        var_stage[i] = -1;
        if (only) {
            if (strcmp(v->name, only) == 0 && n_base == 1) {
                c->stage_bases[0] = c->stages[0]->name;
                c->stages[0]->name = v->name;
                var_stage[i] = 0;
            }
            continue;
        }
        const char *saved = ld->file;
        ld->file = v->file;
        long base = v->base ? stage_index(c, n_base, v->base) : -1;
        if (stage_index(c, c->n_stages, v->name) >= 0) {
            mdl_error(ld, v->name_node, v->name_node ? "variants.name" : "--variant",
                      "a stage or variant is already named \"%s\"", v->name);
        } else if (base < 0) {
            const char *names[64];
            size_t nn = n_base < 64 ? n_base : 64;
            for (size_t j = 0; j < nn; j++)
                names[j] = c->stages[j]->name;
            char known[512];
            mdl_known_list(known, sizeof known, names, nn);
            if (v->base)
                mdl_error(ld, v->base_node, v->base_node ? "variants.stage" : "--variant",
                          "no stage named \"%s\" in this scenario (%s)", v->base, known);
            else
                mdl_error(ld, NULL, "--variant",
                          "\"%s\" does not start with a stage's name and a dash (unit-async for a variant of unit; %s)",
                          v->name, known);
        } else {
            var_stage[i] = add_variant_stage(ld, c, (size_t)base, v, stage_files[base]);
        }
        ld->file = saved;
    }
    if (ld->total_errors || ld->oom)
        return;

    size_t n = c->n_stages;
    int split = 0;
    for (size_t k = 0; k < c->scn->overrides.n; k++)
        split |= reaches_geography(MDL_ITEM(c->scn->overrides, scn_override, k)->key);
    for (size_t i = 0; i < n_vars; i++)
        for (size_t k = 0; k < vars[i].n_set; k++)
            split |= reaches_geography(vars[i].set[k].key);
    for (size_t k = 0; opt && k < opt->n_settings; k++)
        split |= reaches_geography(opt->settings[k].key);
    if (split && n > 1)
        split_geographies(ld, c);
    unsigned char *mask = sim_arena_alloc(a, n + 1);
    int geo_changed = 0;
    if (!mask) {
        ld->oom = 1;
        return;
    }

    /* The scenario's overrides reach the stages they name, and the
     * variants of those stages. */
    const scenario *sc = c->scn;
    for (size_t k = 0; k < sc->overrides.n; k++) {
        const scn_override *o = MDL_ITEM(sc->overrides, scn_override, k);
        const char *path = sim_arena_printf(a, "overrides[%zu]", k);
        for (size_t i = 0; i < o->stages.n; i++)
            if (stage_index(c, n, o->stages.v[i]) < 0 && !ld->other_stages)
                mdl_error(ld, o->head.src ? cfg_map_get(o->head.src, "stages") : NULL,
                          sim_arena_printf(a, "%s.stages[%zu]", path, i), "no stage named \"%s\" in this scenario",
                          o->stages.v[i]);
        for (size_t j = 0; j < n; j++) {
            mask[j] = o->stages.n == 0;
            for (size_t i = 0; i < o->stages.n; i++)
                mask[j] |= strcmp(o->stages.v[i], c->stages[j]->name) == 0 ||
                           (c->stage_bases[j] && strcmp(o->stages.v[i], c->stage_bases[j]) == 0);
        }
        setting s = {o->key, o->head.src ? cfg_map_get(o->head.src, "key") : NULL, o->value, scn_file, path, path};
        apply(ld, c, &s, mask, o->stages.n == 0, &geo_changed);
    }
    for (size_t i = 0; i < n_vars; i++) {
        if (var_stage[i] < 0)
            continue;
        memset(mask, 0, n);
        mask[var_stage[i]] = 1;
        for (size_t k = 0; k < vars[i].n_set; k++)
            apply(ld, c, &vars[i].set[k], mask, 0, &geo_changed);
    }
    memset(mask, 1, n);
    for (size_t k = 0; opt && k < opt->n_settings; k++) {
        const mdl_setting *m = &opt->settings[k];
        const char *file = m->file ? m->file : "--set";
        setting s = {m->key, m->key_node, m->value, file, m->key, file};
        apply(ld, c, &s, mask, 1, &geo_changed);
    }
    /* A geography changed is checked again, at its own file. */
    for (size_t g = 0; geo_changed && g < c->n_geos && !ld->total_errors; g++) {
        const char *saved = ld->file;
        ld->file = c->geo_paths[g];
        mdl_check_geography(ld, c->geos[g]);
        ld->file = saved;
    }
}
