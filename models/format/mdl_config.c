/* mdl_config.c -- loading a file with everything it refers to: finding
 * stage and geography files, applying a scenario's overrides, collecting
 * errors and assumptions. The checks themselves are in mdl_check.c. */
#include "mdl_config.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mdl_check.h"
#include "mdl_override.h"
#include "sim_alloc.h"
#include "sim_status.h"

#ifndef DCSIM_SOURCE_DIR
#define DCSIM_SOURCE_DIR "."
#endif

typedef struct loader {
    mdl_config *cfg;
    const char *only_stage;     /* in place of the scenario's stages, or NULL */
    const mdl_load_options *opt; /* settings and variants from outside, or NULL */
    mdl_load ld;
    int status;                 /* the worst non-input status seen (EIO, ELIMIT, ENOMEM) */
} loader;

/* ==== Small helpers ==== */

static char *dir_of(sim_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sim_arena_strdup(a, ".");
    return sim_arena_strndup(a, path, (size_t)(slash - path) ? (size_t)(slash - path) : 1);
}

static char *join(sim_arena *a, const char *dir, const char *rel)
{
    if (rel[0] == '/')
        return sim_arena_strdup(a, rel);
    return sim_arena_printf(a, "%s/%s", dir, rel);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Adds a loader error for an unreadable or unparsable file. */
static void add_cfg_error(loader *L, const cfg_error *e, int rc)
{
    L->ld.total_errors++;
    if (L->ld.n_errors < MDL_MAX_ERRORS)
        L->ld.errors[L->ld.n_errors++] = *e;
    if (rc == SIM_EIO || rc == SIM_ELIMIT || rc == SIM_ENOMEM)
        if (L->status == SIM_OK || rc == SIM_ENOMEM)
            L->status = rc;
}

/* Keeps a document just read (its nodes are where errors point) and
 * refuses an empty one; the end of reading a file or a text. */
static cfg_doc *keep_doc(loader *L, cfg_doc *doc, const char *name)
{
    mdl_config *c = L->cfg;
    if (sim_grow((void **)&c->docs, &c->cap_docs, c->n_docs + 1, sizeof *c->docs)) {
        cfg_doc_free(doc);
        L->ld.oom = 1;
        return NULL;
    }
    c->docs[c->n_docs++] = doc;
    if (!doc->root) {
        cfg_error err;
        cfg_error_at(&err, name, NULL, NULL, "the file is empty");
        add_cfg_error(L, &err, SIM_EINPUT);
        return NULL;
    }
    return doc;
}

static cfg_doc *read_doc(loader *L, const char *path, const cfg_node *ref, const char *ref_key)
{
    cfg_doc *doc;
    cfg_error err;
    int rc = cfg_load_file(path, NULL, &doc, &err);
    if (rc == SIM_EIO && ref) {
        /* Point at the reference, not at the missing file; the reason is
         * what follows "cannot open: ". */
        const char *why = strchr(err.msg, ':');
        mdl_error(&L->ld, ref, ref_key, "cannot read \"%s\": %s", path, why ? why + 2 : err.msg);
        return NULL;
    }
    if (rc) {
        add_cfg_error(L, &err, rc);
        return NULL;
    }
    return keep_doc(L, doc, path);
}

static cfg_doc *read_text(loader *L, const char *name, const char *text, size_t len)
{
    cfg_doc *doc;
    cfg_error err;
    int rc = cfg_load_string(name, text, len, NULL, &doc, &err);
    if (rc) {
        add_cfg_error(L, &err, rc);
        return NULL;
    }
    return keep_doc(L, doc, name);
}

/* Checks `dcsim: 1` and `kind:`; returns the kind's index or -1. */
static int doc_kind(loader *L, const cfg_doc *doc)
{
    const char *saved = L->ld.file;
    L->ld.file = doc->path;
    const cfg_node *root = doc->root;
    int kind = -1;
    if (root->kind != CFG_MAP) {
        mdl_error(&L->ld, root, NULL, "a dcsim file is a mapping that starts with dcsim: 1 and kind:");
    } else {
        const cfg_node *v = cfg_map_get(root, "dcsim"), *k = cfg_map_get(root, "kind");
        if (!v)
            mdl_error(&L->ld, root, NULL, "missing key \"dcsim\" (every dcsim file starts with dcsim: 1)");
        else if (v->kind != CFG_SCALAR || strcmp(v->text, "1") != 0)
            mdl_error(&L->ld, v, "dcsim", "this dcsim reads format version 1 (got \"%s\")",
                      v->kind == CFG_SCALAR ? v->text : cfg_kind_name(v->kind));
        if (!k)
            mdl_error(&L->ld, root, NULL, "missing key \"kind\" (geography, stage or scenario)");
        else if (k->kind == CFG_SCALAR)
            kind = mdl_enum_index(mdl_file_kinds, k->text);
        if (k && kind < 0) {
            const char *guess = k->kind == CFG_SCALAR ? mdl_did_you_mean(k->text, mdl_file_kinds, MDL_FILE_KIND_COUNT) : NULL;
            if (guess)
                mdl_error(&L->ld, k, "kind", "unknown kind \"%s\" (did you mean \"%s\"?)", k->text, guess);
            else
                mdl_error(&L->ld, k, "kind", "unknown kind (known: geography, stage, scenario)");
        } else if (kind == MDL_FILE_SWEEP) {
            mdl_error(&L->ld, k, "kind", "sweep files are read by dcsim batch, which this build does not have yet");
            kind = -1;
        }
    }
    L->ld.file = saved;
    return kind;
}

static void *arena_new(loader *L, size_t size)
{
    void *p = sim_arena_alloc(&L->cfg->arena, size);
    if (!p)
        L->ld.oom = 1;
    return p;
}

/* ==== Geography ==== */

/* A file of another kind where one kind was expected gets one clear error
 * instead of a list of unknown keys. */
static int kind_is(loader *L, const cfg_node *node, int want)
{
    const cfg_node *k = cfg_map_get(node, "kind");
    if (!k || k->kind != CFG_SCALAR)
        return 1; /* the schema reports it */
    int got = mdl_enum_index(mdl_file_kinds, k->text);
    if (got < 0 || got == want)
        return 1;
    mdl_error(&L->ld, k, "kind", "expected a %s here (this is a %s file)", mdl_file_kinds[want], k->text);
    return 0;
}

static geography *load_geography(loader *L, const cfg_node *node, const char *file)
{
    geography *g = arena_new(L, sizeof *g);
    if (!g)
        return NULL;
    const char *saved = L->ld.file;
    L->ld.file = file;
    if (kind_is(L, node, MDL_FILE_GEOGRAPHY) && !mdl_schema_load(&L->ld, &mdl_geography_schema, node, "", g))
        mdl_check_geography(&L->ld, g);
    L->ld.file = saved;
    return g;
}

static int add_geo(loader *L, geography *g, const char *path)
{
    mdl_config *c = L->cfg;
    geography **geos = arena_new(L, (c->n_geos + 1) * sizeof *geos);
    const char **paths = arena_new(L, (c->n_geos + 1) * sizeof *paths);
    if (!geos || !paths)
        return -1;
    if (c->n_geos) {
        memcpy(geos, c->geos, c->n_geos * sizeof *geos);
        memcpy(paths, c->geo_paths, c->n_geos * sizeof *paths);
    }
    geos[c->n_geos] = g;
    paths[c->n_geos++] = path;
    c->geos = geos;
    c->geo_paths = paths;
    return 0;
}

/* A geography file, read once however many stages use it. */
static geography *geography_at(loader *L, const char *path, const cfg_node *ref)
{
    char resolved[PATH_MAX];
    const char *key = realpath(path, resolved) ? resolved : path;
    for (size_t i = 0; i < L->cfg->n_geos; i++)
        if (strcmp(L->cfg->geo_paths[i], key) == 0)
            return L->cfg->geos[i];
    cfg_doc *doc = read_doc(L, path, ref, "geography");
    if (!doc || doc_kind(L, doc) < 0)
        return NULL;
    geography *g = load_geography(L, doc->root, doc->path);
    const char *kept = sim_arena_strdup(&L->cfg->arena, key);
    if (!g || !kept || add_geo(L, g, kept))
        return NULL;
    return g;
}

/* ==== Stages ==== */

static int load_stage(loader *L, const cfg_node *node, const char *file, stage **out,
                      geography **geo_out)
{
    *out = NULL;
    *geo_out = NULL;
    stage *s = arena_new(L, sizeof *s);
    if (!s)
        return -1;
    const char *saved = L->ld.file;
    L->ld.file = file;
    if (!kind_is(L, node, MDL_FILE_STAGE)) {
        L->ld.file = saved;
        return 1;
    }
    int errors = mdl_schema_load(&L->ld, &mdl_stage_schema, node, "", s);
    geography *g = NULL;
    if (s->geography) {
        const cfg_node *gn = s->geography;
        if (gn->kind == CFG_SCALAR) {
            g = geography_at(L, join(&L->cfg->arena, dir_of(&L->cfg->arena, file), gn->text), gn);
        } else if (gn->kind == CFG_MAP) {
            g = load_geography(L, gn, file);
            if (g && add_geo(L, g, file))
                g = NULL;
        } else {
            mdl_error(&L->ld, gn, "geography", "expected a path or the geography itself");
        }
    }
    L->ld.file = saved;
    *out = s;
    *geo_out = g;
    return errors;
}

/* Lists the stage names found in a directory, for "did you mean". */
static size_t list_stage_names(sim_arena *a, const char *dir, const char **names, size_t max)
{
    DIR *d = opendir(dir);
    size_t n = 0;
    if (!d)
        return 0;
    struct dirent *ent;
    while ((ent = readdir(d)) && n < max) {
        size_t len = strlen(ent->d_name);
        if (len > 5 && strcmp(ent->d_name + len - 5, ".yaml") == 0 &&
            strcmp(ent->d_name, "geography.yaml") != 0)
            names[n++] = sim_arena_strndup(a, ent->d_name, len - 5);
    }
    closedir(d);
    /* Sorted, so messages do not depend on the directory's order. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            const char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return n;
}

/* Where a stage named by the scenario is: a path (relative to the
 * scenario) when it looks like one, else models/stages/<name>.yaml next to
 * the scenario's project, under the current directory, or in the source. */
static const char *find_stage(loader *L, const char *ref, const char *scn_dir, const cfg_node *n,
                              const char *key)
{
    sim_arena *a = &L->cfg->arena;
    size_t len = strlen(ref);
    if (strchr(ref, '/') || (len > 5 && strcmp(ref + len - 5, ".yaml") == 0))
        return join(a, scn_dir, ref);
    const char *dirs[] = {join(a, scn_dir, "../models/stages"), "models/stages",
                          DCSIM_SOURCE_DIR "/models/stages"};
    for (size_t i = 0; i < 3; i++) {
        const char *p = sim_arena_printf(a, "%s/%s.yaml", dirs[i], ref);
        if (p && file_exists(p))
            return p;
    }
    const char *names[64];
    size_t count = 0;
    for (size_t i = 0; i < 3 && count == 0; i++)
        count = list_stage_names(a, dirs[i], names, 64);
    const char *guess = mdl_did_you_mean(ref, names, count);
    char known[512];
    mdl_known_list(known, sizeof known, names, count);
    if (guess)
        mdl_error(&L->ld, n, key, "no stage named \"%s\" in models/stages/ (did you mean \"%s\"?)", ref, guess);
    else
        mdl_error(&L->ld, n, key, "no stage named \"%s\" in models/stages/ (%s)", ref, known);
    return NULL;
}

/* ==== Scenario ==== */

static int add_stage(loader *L, stage *s, geography *g, const char *path)
{
    mdl_config *c = L->cfg;
    stage **stages = arena_new(L, (c->n_stages + 1) * sizeof *stages);
    geography **geos = arena_new(L, (c->n_stages + 1) * sizeof *geos);
    const char **paths = arena_new(L, (c->n_stages + 1) * sizeof *paths);
    if (!stages || !geos || !paths)
        return -1;
    if (c->n_stages) {
        memcpy(stages, c->stages, c->n_stages * sizeof *stages);
        memcpy(geos, c->stage_geos, c->n_stages * sizeof *geos);
        memcpy(paths, c->stage_paths, c->n_stages * sizeof *paths);
    }
    stages[c->n_stages] = s;
    geos[c->n_stages] = g;
    paths[c->n_stages++] = path;
    c->stages = stages;
    c->stage_geos = geos;
    c->stage_paths = paths;
    return 0;
}

static const char *const default_stages[] = {"pure", "naive", "mature", "unit"};

/* Loads the stage one entry of `stages:` names (ref is NULL for a default). */
static void load_stage_ref(loader *L, const cfg_node *ref, const char *name, const char *scn_file,
                           const char *key)
{
    sim_arena *a = &L->cfg->arena;
    const char *path;
    const cfg_node *node;
    const char *file;
    if (ref && ref->kind == CFG_MAP) { /* written inline */
        node = ref;
        file = scn_file;
        path = "(inline)";
    } else {
        if (ref && ref->kind != CFG_SCALAR) {
            mdl_error(&L->ld, ref, key, "expected a stage name, a path, or a stage written inline");
            return;
        }
        path = find_stage(L, ref ? ref->text : name, dir_of(a, scn_file), ref, key);
        if (!path)
            return;
        cfg_doc *doc = read_doc(L, path, ref, key);
        if (!doc || doc_kind(L, doc) < 0)
            return;
        node = doc->root;
        file = doc->path;
    }
    stage *s;
    geography *g;
    if (load_stage(L, node, file, &s, &g) == 0 && s && g)
        add_stage(L, s, g, path);
    else if (s && g == NULL && L->ld.total_errors == 0)
        mdl_error(&L->ld, node, "geography", "the stage's geography could not be loaded");
}

/* The file each stage's text is in: its own, or the scenario's if inline. */
static const char *const *stage_files(loader *L, const char *scenario_file)
{
    mdl_config *c = L->cfg;
    const char **files = arena_new(L, (c->n_stages + 1) * sizeof *files);
    if (!files)
        return (const char *const *)c->stage_paths;
    for (size_t i = 0; i < c->n_stages; i++)
        files[i] = strcmp(c->stage_paths[i], "(inline)") == 0 ? scenario_file : c->stage_paths[i];
    return files;
}

/* The stage to load for `--stage NAME`: NAME's base when it is one of the
 * scenario's or the command line's variants, else NAME itself. */
static const char *variant_base_of(loader *L, const scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->variants.n; i++) {
        const scn_variant *v = MDL_ITEM(sc->variants, scn_variant, i);
        if (v->name && v->stage && strcmp(v->name, name) == 0)
            return v->stage;
    }
    for (size_t i = 0; L->opt && i < L->opt->n_variants; i++) {
        const mdl_variant_spec *v = &L->opt->variants[i];
        if (strcmp(v->name, name) != 0)
            continue;
        if (v->stage)
            return v->stage;
        const char *names[64];
        size_t n = 0;
        if (sc->stages && sc->stages->kind == CFG_SEQ)
            for (size_t j = 0; j < sc->stages->n && n < 64; j++) {
                if (sc->stages->items[j]->kind == CFG_SCALAR)
                    names[n++] = sc->stages->items[j]->text;
            }
        else
            for (size_t j = 0; j < 4; j++)
                names[n++] = default_stages[j];
        const char *base = mdl_variant_base(name, names, n);
        return base ? base : name;
    }
    return name;
}

static void load_scenario(loader *L, const cfg_doc *doc)
{
    mdl_config *c = L->cfg;
    scenario *sc = arena_new(L, sizeof *sc);
    if (!sc)
        return;
    c->scn = sc;
    L->ld.file = doc->path;
    int errors = mdl_schema_load(&L->ld, &mdl_scenario_schema, doc->root, "", sc);
    if (errors && !sc->stages && L->ld.total_errors >= MDL_MAX_ERRORS)
        return;
    /* The stages: a list of names, paths or inline stages. */
    const cfg_node *list = sc->stages;
    if (L->only_stage) {
        load_stage_ref(L, NULL, variant_base_of(L, sc, L->only_stage), doc->path, "--stage");
        list = NULL;
    } else if (!list) {
        for (size_t i = 0; i < 4; i++)
            load_stage_ref(L, NULL, default_stages[i], doc->path, "stages");
    } else if (list->kind != CFG_SEQ || list->n == 0) {
        mdl_error(&L->ld, list, "stages", "expected a list of stages such as [pure, naive, mature, unit]");
    } else if (list->n > 64) {
        mdl_error(&L->ld, list, "stages", "too many stages (at most 64)");
    } else {
        for (size_t i = 0; i < list->n; i++) {
            const char *key = sim_arena_printf(&c->arena, "stages[%zu]", i);
            load_stage_ref(L, list->items[i], NULL, doc->path, key);
        }
    }
    L->ld.file = doc->path;
    /* Two stages of one name would share one results folder. */
    for (size_t i = 0; i < c->n_stages; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->stages[i]->name, c->stages[j]->name) == 0)
                mdl_error(&L->ld, list && i < list->n ? list->items[i] : doc->root, "stages",
                          "two stages are named \"%s\"", c->stages[i]->name);
    if (L->ld.total_errors)
        return;
    /* Variants, overrides and settings, then the checks that need every stage. */
    mdl_settings_apply(&L->ld, c, doc->path, stage_files(L, doc->path), L->opt);
    if (L->ld.total_errors)
        return;
    const char *const *files = stage_files(L, doc->path);
    for (size_t j = 0; j < c->n_stages; j++) {
        /* Stages are checked after the overrides, at their own files. */
        L->ld.file = files[j];
        mdl_check_stage(&L->ld, c->stages[j], c->stage_geos[j]);
    }
    L->ld.file = doc->path;
    if (!L->ld.total_errors)
        mdl_check_scenario(&L->ld, sc, c->stages, c->stage_geos, stage_files(L, doc->path), c->n_stages);
}

/* ==== The top ==== */

static int load_top(const char *path, const char *text, size_t len, const mdl_load_options *opt,
                    mdl_config **out, mdl_errors *errs);

int mdl_config_load(const char *path, mdl_config **out, mdl_errors *errs)
{
    return load_top(path, NULL, 0, NULL, out, errs);
}

int mdl_config_load_with_stage(const char *path, const char *stage_ref, mdl_config **out, mdl_errors *errs)
{
    mdl_load_options opt = {.only_stage = stage_ref};
    return load_top(path, NULL, 0, &opt, out, errs);
}

int mdl_config_load_options(const char *path, const mdl_load_options *opt, mdl_config **out, mdl_errors *errs)
{
    return load_top(path, NULL, 0, opt, out, errs);
}

int mdl_config_load_text(const char *name, const char *text, size_t len, mdl_config **out,
                         mdl_errors *errs)
{
    return load_top(name, text, len, NULL, out, errs);
}

static int load_top(const char *path, const char *text, size_t len, const mdl_load_options *opt,
                    mdl_config **out, mdl_errors *errs)
{
    const char *only_stage = opt ? opt->only_stage : NULL;
    *out = NULL;
    memset(errs, 0, sizeof *errs);
    mdl_config *c = sim_calloc(1, sizeof *c);
    if (!c)
        return SIM_ENOMEM;
    sim_arena_init(&c->arena, 0);
    loader L = {.cfg = c, .only_stage = only_stage, .opt = opt};
    L.ld.other_stages = only_stage != NULL;
    L.ld.arena = &c->arena;
    L.ld.file = path;
    c->path = sim_arena_strdup(&c->arena, path);
    cfg_doc *doc = !c->path ? NULL : text ? read_text(&L, path, text, len) : read_doc(&L, path, NULL, NULL);
    if (doc) {
        L.ld.file = doc->path;
        int kind = doc_kind(&L, doc);
        c->kind = kind;
        if (kind == MDL_FILE_GEOGRAPHY) {
            geography *g = load_geography(&L, doc->root, doc->path);
            if (g)
                add_geo(&L, g, doc->path);
        } else if (kind == MDL_FILE_STAGE) {
            stage *s;
            geography *g;
            load_stage(&L, doc->root, doc->path, &s, &g);
            if (s && g && !L.ld.total_errors) {
                L.ld.file = doc->path;
                mdl_check_stage(&L.ld, s, g);
                add_stage(&L, s, g, doc->path);
            }
        } else if (kind == MDL_FILE_SCENARIO) {
            load_scenario(&L, doc);
        }
    }
    int rc = SIM_OK;
    if (L.ld.oom || !c->path)
        rc = SIM_ENOMEM;
    else if (L.status)
        rc = L.status;
    else if (L.ld.total_errors)
        rc = SIM_EINPUT;
    memcpy(errs->e, L.ld.errors, sizeof errs->e);
    errs->n = L.ld.n_errors;
    errs->total = L.ld.total_errors;
    if (rc == SIM_OK && L.ld.n_assumptions) {
        /* One entry per assumption: the same value with the same reason in
         * several places (five alike datacenters, four stages) is one. */
        c->assumptions = sim_arena_alloc(&c->arena, L.ld.n_assumptions * sizeof *c->assumptions);
        if (!c->assumptions)
            rc = SIM_ENOMEM;
        for (size_t i = 0; rc == SIM_OK && i < L.ld.n_assumptions; i++) {
            const mdl_assumption *a = &L.ld.assumptions[i];
            size_t j = 0;
            while (j < c->n_assumptions && (strcmp(c->assumptions[j].value, a->value) ||
                                            strcmp(c->assumptions[j].reason, a->reason)))
                j++;
            if (j == c->n_assumptions)
                c->assumptions[c->n_assumptions++] = *a;
        }
    }
    sim_free(L.ld.assumptions);
    if (rc) {
        mdl_config_free(c);
        return rc;
    }
    *out = c;
    return SIM_OK;
}

void mdl_config_free(mdl_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_docs; i++)
        cfg_doc_free(c->docs[i]);
    sim_free(c->docs);
    sim_arena_fini(&c->arena);
    sim_free(c);
}
