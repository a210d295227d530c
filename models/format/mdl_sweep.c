/* mdl_sweep.c -- a sweep file: its schema, loading and checking it
 * against its scenario, and expanding it into runs. Runs are numbered in
 * one fixed order (parameter points, the last parameter fastest, then
 * stages, then seeds), so run r is the same run on any worker, rank or
 * shard. The exploration's timelines are drawn in mdl_explore.c. */
#include "mdl_sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_value.h"
#include "mdl_explore.h"
#include "mdl_fields.h"
#include "sim_alloc.h"
#include "sim_hash.h"
#include "sim_status.h"

#define MDL_RANK_NAME(id, name, column) name,
#define MDL_RANK_COLUMN(id, name, column) column,
const char *const mdl_rank_names[RANK_COUNT + 1] = {MDL_RANK_MEASURES(MDL_RANK_NAME) NULL};
const char *const mdl_rank_columns[RANK_COUNT] = {MDL_RANK_MEASURES(MDL_RANK_COLUMN)};

/* ==== The schema ==== */

#define ST swp_range
static const mdl_field range_fields[] = {
    F("from", MDL_TEXT, from, REQ, NULL, "the first value: a duration, rate, percentage or number", "5m"),
    F("to", MDL_TEXT, to, REQ, NULL, "the last value, of the same kind", "15m"),
    F("step", MDL_TEXT, step, 0, NULL, "the distance between values (or give count)", "5m"),
    FR("count", MDL_INT, count, 0, "0", 0, 10000, "this many values evenly spaced, from and to included (instead of step)", "5"),
    FEND,
};
#undef ST
static const mdl_schema range_schema = {"range", sizeof(swp_range), range_fields, "Values evenly spaced from `from` to `to`."};

#define ST swp_param
static const mdl_field param_fields[] = {
    F("key", MDL_TEXT, key, REQ, NULL, "a key path, as in a scenario's overrides", "geography.datacenters[HZ-A].power.ups"),
    F("name", MDL_NAME, name, 0, NULL, "its column in runs.sqlite and its label in charts (default: the key's last word)", "ups"),
    {"values", MDL_NODE, offsetof(ST, values), 0, NULL, 0, 0, NULL, NULL, 0, "the values it takes, as written in the files", "[5m, 10m, 15m]"},
    FS("range", range, OPT, range_schema, "or a range of values"),
    FEND,
};
#undef ST
static const mdl_schema param_schema = {"parameter", sizeof(swp_param), param_fields, "A key varied over values; the parameters together form a grid."};

#define ST swp_explore
static const mdl_field explore_fields[] = {
    FR("runs", MDL_INT, runs, REQ, NULL, 1, 1e6, "timelines drawn: run i draws its own from the seed of its index", "200"),
    FR("faults_min", MDL_INT, faults_min, 0, "1", 1, 50, "the fewest faults in a timeline", "1"),
    FR("faults_max", MDL_INT, faults_max, 0, "3", 1, 50, "the most faults in a timeline", "3"),
    F("kinds", MDL_NAMES, kinds, 0, NULL, "the fault kinds drawn from (default: power, breaker, racks, isolate, link-cut, latency, loss, server, pool-share, db-primary, db-replica)", "[power, link-cut, db-primary]"),
    F("places", MDL_NAMES, places, 0, NULL, "the datacenters struck (default: every one each stage uses)", "[HZ-A, HZ-B, SH-A]"),
    F("from", MDL_CLOCK, from, REQ, NULL, "the earliest clock time a fault starts", "00:00:00"),
    F("to", MDL_CLOCK, to, REQ, NULL, "the latest clock time a fault starts", "00:10:00"),
    FR("shortest", MDL_DURATION, shortest, 0, "30s", 1, 86400, "the shortest fault", "30s"),
    FR("longest", MDL_DURATION, longest, 0, "10m", 1, 86400, "the longest fault", "10m"),
    FE("rank_by", rank_by, 0, "lost-writes", mdl_rank_names, "the measure the worst runs are ranked by", "rto"),
    FR("worst", MDL_INT, worst, 0, "5", 1, 1000, "the worst runs written as scenario files that reproduce them", "5"),
    FEND,
};
#undef ST
static const mdl_schema explore_schema = {"explore", sizeof(swp_explore), explore_fields, "Fault timelines drawn at random from a fault space, one per run, ranked by a measure."};

#define ST sweep
static const mdl_field sweep_fields[] = {
    FR("dcsim", MDL_INT, dcsim, REQ, NULL, 1, 1, "the file format's version", "1"),
    FE("kind", kind, REQ, NULL, mdl_file_kinds, "what the file is", "sweep"),
    F("name", MDL_NAME, name, REQ, NULL, "the sweep's name (results/batch/<name>/)", "ups-minutes"),
    F("description", MDL_TEXT, description, 0, NULL, "what it asks, for people", "How many minutes of batteries does each stage need?"),
    F("scenario", MDL_TEXT, scenario, REQ, NULL, "the base scenario, relative to this file", "../double11-idc-power-loss.yaml"),
    F("stages", MDL_NAMES, stages, 0, NULL, "the scenario's stages or variants run (default: every one)", "[naive, unit]"),
    FR("scale", MDL_REAL, scale, 0, "0", 0, 1, "the fraction of users (0: the scenario's, else the program's default; --scale wins)", "0.02"),
    {"set", MDL_NODE, offsetof(ST, set), 0, NULL, 0, 0, NULL, NULL, 0, "key paths set for every run, and their values (as in overrides)", "{duration: 5m}"},
    FL("parameters", parameters, 0, param_schema, "the keys varied: every combination of their values is a point"),
    {"seeds", MDL_NODE, offsetof(ST, seeds), 0, NULL, 0, 0, NULL, NULL, 0, "the seeds each point runs with", "[1, 2, 3]"},
    FR("replicates", MDL_INT, replicates, 0, "1", 1, 100000, "or this many seeds: the scenario's and the next ones", "5"),
    FR("time_limit", MDL_DURATION, time_limit, 0, "1h", 1, 604800, "wall time a run may take; past it, it is stopped and recorded as timed out", "10m"),
    F("series", MDL_BOOL, series, 0, "false", "keep each run's per-interval series in runs.sqlite", "true"),
    FS("explore", explore, OPT, explore_schema, "draw fault timelines at random instead of varying parameters"),
    FEND,
};
#undef ST
const mdl_schema mdl_sweep_schema = {"sweep", sizeof(sweep), sweep_fields,
    "A batch (`scenarios/sweeps/*.yaml`, run by `dcsim batch`): a base scenario, the keys varied and their values, stages and seeds; every combination is one run."};

/* ==== Quantities in ranges ==== */

enum { Q_DURATION, Q_PERCENT, Q_RATE, Q_BANDWIDTH, Q_SIZE, Q_COUNT, Q_NONE };

/* A scalar as a number in its kind's unit; the kind, or Q_NONE. */
static int quantity(const char *text, double *out)
{
    const char *why;
    sim_time t;
    if (sim_time_parse_duration(text, &t, &why) == 0) {
        *out = sim_time_to_seconds(t);
        return Q_DURATION;
    }
    if (strchr(text, '%') && cfg_parse_percent(text, out, &why) == 0)
        return Q_PERCENT;
    if (strstr(text, "bit/s") || strstr(text, "B/s")) {
        if (cfg_parse_bandwidth(text, out, &why) == 0)
            return Q_BANDWIDTH;
    } else if (strchr(text, '/') && cfg_parse_rate(text, out, &why) == 0) {
        return Q_RATE;
    }
    if (strchr(text, 'B') && cfg_parse_size(text, out, &why) == 0)
        return Q_SIZE;
    if (cfg_parse_count(text, out, &why) == 0)
        return Q_COUNT;
    return Q_NONE;
}

static void format_quantity(int kind, double v, char *buf, size_t size)
{
    switch (kind) {
    case Q_DURATION:
        sim_time_format_duration(sim_time_from_seconds(v), buf, size);
        return;
    case Q_PERCENT:
        cfg_format_percent(v, buf, size);
        return;
    case Q_RATE:
        cfg_format_rate(v, buf, size);
        return;
    case Q_BANDWIDTH:
        cfg_format_bandwidth(v, buf, size);
        return;
    case Q_SIZE:
        cfg_format_size(v, buf, size);
        return;
    default:
        cfg_format_real(v, buf, size);
    }
}

/* ==== Loading ==== */

typedef struct loading {
    mdl_sweep *s;
    mdl_load ld;
} loading;

static void *arena_new(loading *L, size_t size)
{
    void *p = sim_arena_alloc(&L->s->arena, size);
    if (!p)
        L->ld.oom = 1;
    else
        memset(p, 0, size);
    return p;
}

/* A scalar node made for a range's value, standing where the range is. */
static const cfg_node *made_scalar(loading *L, const cfg_node *where, const char *text)
{
    cfg_node *n = arena_new(L, sizeof *n);
    if (!n)
        return NULL;
    n->kind = CFG_SCALAR;
    n->line = where ? where->line : 1;
    n->col = where ? where->col : 1;
    n->text = sim_arena_strdup(&L->s->arena, text);
    n->plain = 1;
    return n;
}

/* The default column name: the key's last word, as an identifier. */
static const char *column_name(loading *L, const char *key)
{
    const char *last = key;
    for (const char *p = key; *p; p++)
        if (*p == '.' && p[1] && p[1] != '[')
            last = p + 1;
    size_t len = strcspn(last, ".[");
    char *name = sim_arena_strndup(&L->s->arena, last, len);
    for (char *p = name; p && *p; p++)
        if (*p == '-')
            *p = '_';
    return name;
}

/* The batch gives each run its seed and scale: a sweep cannot set them. */
static int batch_owned(const char *key)
{
    if (key && strncmp(key, "scenario.", 9) == 0)
        key += 9;
    return key && (strcmp(key, "seed") == 0 || strcmp(key, "scale") == 0);
}

static int is_identifier(const char *s)
{
    if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == strlen(s);
}

static void range_values(loading *L, const swp_param *p, const char *path, mdl_sweep_param *out)
{
    const swp_range *r = &p->range;
    const cfg_node *at = r->head.src;
    double from, to, step = 0;
    int kf = quantity(r->from, &from), kt = quantity(r->to, &to), ks = Q_NONE;
    const char *rpath = sim_arena_printf(&L->s->arena, "%s.range", path);
    if (kf == Q_NONE || kt != kf) {
        mdl_error(&L->ld, at, rpath, "from and to must be quantities of one kind (5m and 15m, 200k/s and 600k/s)");
        return;
    }
    if ((r->step != NULL) == (r->count > 0)) {
        mdl_error(&L->ld, at, rpath, "give step or count, one of the two");
        return;
    }
    if (r->step && ((ks = quantity(r->step, &step)) != kf || !(step > 0))) {
        mdl_error(&L->ld, at, rpath, "step must be a positive quantity of the kind of from and to");
        return;
    }
    size_t n = r->count > 0 ? (size_t)r->count : (size_t)floor((to - from) / step * (1 + 1e-12)) + 1;
    if (to < from || n > 10000 || (r->count == 1 && from != to)) {
        mdl_error(&L->ld, at, rpath, "a range runs upwards, with at most 10,000 values (and count 1 only when from is to)");
        return;
    }
    out->values = arena_new(L, n * sizeof *out->values);
    if (!out->values)
        return;
    for (size_t i = 0; i < n; i++) {
        double v = r->count > 1 ? from + (to - from) * (double)i / (double)(r->count - 1) : from + step * (double)i;
        char text[CFG_VALUE_TEXT_MAX];
        format_quantity(kf, v, text, sizeof text);
        double back;
        quantity(text, &back); /* the number the text stands for, as the loader will read it */
        out->values[i] = (mdl_sweep_value){sim_arena_strdup(&L->s->arena, text), back, made_scalar(L, at, text)};
    }
    out->n = n;
}

static void list_values(loading *L, const swp_param *p, const char *path, mdl_sweep_param *out)
{
    const cfg_node *list = p->values;
    if (!list || list->kind != CFG_SEQ || list->n == 0 || list->n > 10000) {
        mdl_error(&L->ld, list ? list : p->head.src, path, "give values: a list of 1 to 10,000, or a range");
        return;
    }
    out->values = arena_new(L, list->n * sizeof *out->values);
    if (!out->values)
        return;
    for (size_t i = 0; i < list->n; i++) {
        const cfg_node *v = list->items[i];
        double number = NAN;
        const char *text = v->kind == CFG_SCALAR ? v->text : NULL;
        if (text && quantity(text, &number) == Q_NONE)
            number = NAN;
        if (!text) /* a list or mapping: its flow form */
            text = mdl_node_text(&L->s->arena, v);
        if (!text) {
            L->ld.oom = 1;
            return;
        }
        out->values[i] = (mdl_sweep_value){text, number, v};
    }
    out->n = list->n;
}

static void load_params(loading *L)
{
    mdl_sweep *s = L->s;
    const sweep *d = s->def;
    if (d->parameters.n > MDL_SWEEP_MAX_PARAMS) {
        mdl_error(&L->ld, cfg_map_get(d->head.src, "parameters"), "parameters", "at most %d parameters",
                  MDL_SWEEP_MAX_PARAMS);
        return;
    }
    s->params = arena_new(L, (d->parameters.n + 1) * sizeof *s->params);
    if (!s->params)
        return;
    for (size_t i = 0; i < d->parameters.n; i++) {
        const swp_param *p = MDL_ITEM(d->parameters, swp_param, i);
        const char *path = sim_arena_printf(&s->arena, "parameters[%zu]", i);
        mdl_sweep_param *out = &s->params[s->n_params++];
        out->key = p->key;
        out->key_node = cfg_map_get(p->head.src, "key");
        out->name = p->name ? p->name : column_name(L, p->key);
        if (batch_owned(p->key))
            mdl_error(&L->ld, out->key_node, path,
                      "each run's seed and scale are the batch's (seeds:, replicates:, scale:); they cannot be varied");
        if (!is_identifier(out->name))
            mdl_error(&L->ld, p->head.src, path, "\"%s\" cannot name a column: give name: (letters, digits, _)",
                      out->name ? out->name : "");
        for (size_t j = 0; j < i; j++)
            if (out->name && s->params[j].name && strcmp(s->params[j].name, out->name) == 0)
                mdl_error(&L->ld, p->head.src, path, "two parameters are named \"%s\": give each a name:", out->name);
        if (p->values && p->range.head.present)
            mdl_error(&L->ld, p->head.src, path, "give values or range, not both");
        else if (p->range.head.present)
            range_values(L, p, path, out);
        else
            list_values(L, p, path, out);
    }
}

/* ==== Checking against the scenario ==== */

static void copy_errors(loading *L, const mdl_errors *e)
{
    for (int i = 0; i < e->n && L->ld.n_errors < MDL_MAX_ERRORS; i++)
        L->ld.errors[L->ld.n_errors++] = e->e[i];
    L->ld.total_errors += e->total ? e->total : 1;
}

/* Loads the scenario with the sweep's settings and, when given, one more;
 * its errors become the sweep's. */
static mdl_config *load_with(loading *L, int fixed, const mdl_setting *extra, const char *only_stage)
{
    mdl_sweep *s = L->s;
    mdl_setting all[MDL_SWEEP_MAX_PARAMS + 65];
    size_t n = 0;
    for (size_t i = 0; fixed && i < s->n_fixed && n < 64; i++)
        all[n++] = s->fixed[i];
    if (extra)
        all[n++] = *extra;
    mdl_load_options opt = {.only_stage = only_stage, .settings = all, .n_settings = n};
    mdl_config *cfg;
    mdl_errors e;
    int rc = mdl_config_load_options(s->scenario_path, &opt, &cfg, &e);
    if (rc == SIM_ENOMEM)
        L->ld.oom = 1;
    else if (rc)
        copy_errors(L, &e);
    return rc ? NULL : cfg;
}

static void load_fixed(loading *L)
{
    mdl_sweep *s = L->s;
    const cfg_node *set = s->def->set;
    if (!set)
        return;
    if (set->kind != CFG_MAP || set->n > 64) {
        mdl_error(&L->ld, set, "set", "expected key paths and their values, at most 64: {duration: 5m}");
        return;
    }
    s->fixed = arena_new(L, (set->n + 1) * sizeof *s->fixed);
    for (size_t i = 0; s->fixed && i < set->n; i++) {
        if (batch_owned(set->keys[i]->text))
            mdl_error(&L->ld, set->keys[i], "set",
                      "each run's seed and scale are the batch's (seeds:, replicates:, scale:); they cannot be set");
        s->fixed[s->n_fixed++] = (mdl_setting){set->keys[i]->text, set->keys[i], set->items[i], s->path};
    }
}

static void pick_stages(loading *L, const mdl_config *base)
{
    mdl_sweep *s = L->s;
    const mdl_names *want = &s->def->stages;
    size_t n = want->n ? want->n : base->n_stages;
    s->stages = arena_new(L, (n + 1) * sizeof *s->stages);
    if (!s->stages)
        return;
    const char *names[128];
    size_t nn = 0;
    for (size_t j = 0; j < base->n_stages && nn < 128; j++)
        names[nn++] = base->stages[j]->name;
    for (size_t i = 0; i < n; i++) {
        const char *name = want->n ? want->v[i] : names[i];
        size_t j = 0;
        while (j < nn && strcmp(names[j], name) != 0)
            j++;
        if (j == nn) {
            const char *guess = mdl_did_you_mean(name, names, nn);
            char known[512];
            mdl_known_list(known, sizeof known, names, nn);
            mdl_error(&L->ld, cfg_map_get(s->def->head.src, "stages"), "stages",
                      guess ? "no stage or variant named \"%s\" in the scenario (did you mean \"%s\"?)"
                            : "no stage or variant named \"%s\" in the scenario (%s)",
                      name, guess ? guess : known);
        }
        s->stages[s->n_stages++] = sim_arena_strdup(&s->arena, name); /* the scenario loaded here is freed */
    }
}

static void pick_seeds(loading *L, const mdl_config *base)
{
    mdl_sweep *s = L->s;
    const cfg_node *list = s->def->seeds;
    size_t n = list ? list->n : s->exploring ? (size_t)s->def->explore.runs : (size_t)s->def->replicates;
    if (list && (list->kind != CFG_SEQ || list->n == 0 || list->n > 100000 || s->exploring ||
                 cfg_map_get(s->def->head.src, "replicates"))) {
        mdl_error(&L->ld, list, "seeds",
                  "give seeds as a list of 1 to 100,000 (or replicates: N, not both; an exploration draws its own)");
        return;
    }
    s->seeds = arena_new(L, (n + 1) * sizeof *s->seeds);
    for (size_t i = 0; s->seeds && i < n; i++) {
        if (list) {
            const cfg_node *v = list->items[i];
            char *end = NULL;
            errno = 0;
            unsigned long long x = v->kind == CFG_SCALAR ? strtoull(v->text, &end, 10) : 0;
            if (v->kind != CFG_SCALAR || !v->text[0] || *end || v->text[0] == '-' || errno == ERANGE)
                mdl_error(&L->ld, v, "seeds", "a seed is a whole number from 0 to 2^64 - 1");
            for (size_t k = 0; k < i; k++)
                if (s->seeds[k] == x) {
                    mdl_error(&L->ld, v, "seeds", "seed %llu is given twice (its runs would be the same)", x);
                    break;
                }
            s->seeds[i] = x;
        } else {
            s->seeds[i] = (uint64_t)base->scn->seed + i;
        }
    }
    s->n_seeds = s->seeds ? n : 0;
}

/* The sweep's settings on each stage run, then every value of every
 * parameter (the others at none), each loaded once on each stage. */
static void check_values(loading *L)
{
    mdl_sweep *s = L->s;
    for (size_t j = 0; j < s->n_stages && !L->ld.total_errors; j++) {
        mdl_config_free(load_with(L, 1, NULL, s->stages[j]));
        for (size_t p = 0; p < s->n_params && !L->ld.total_errors; p++) {
            const mdl_sweep_param *sp = &s->params[p];
            /* A long range is checked at its ends and around them: its
             * values between are of the same kind (a run that fails on one
             * is recorded with why). */
            for (size_t v = 0; v < sp->n && !L->ld.total_errors; v = (sp->n > 64 && v == 31) ? sp->n - 32 : v + 1) {
                mdl_setting one = {sp->key, sp->key_node, sp->values[v].node, s->path};
                mdl_config_free(load_with(L, 1, &one, s->stages[j]));
            }
        }
    }
}

static uint64_t hash_file(const char *path, uint64_t h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sim_hash_str(path) ^ h;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = sim_hash_bytes(buf, n, h);
    fclose(f);
    return h;
}

static uint64_t hash_text(const char *text, uint64_t h)
{
    return sim_hash_bytes(text ? text : "", text ? strlen(text) + 1 : 1, h);
}

static uint64_t hash_node(sim_arena *a, const cfg_node *n, uint64_t h)
{
    return hash_text(mdl_node_text(a, n), h);
}

/* What the rows are computed from: the files the scenario stands on, and
 * the plan (settings, parameters, stages, seeds, the fault space). Not
 * the sweep's text: its comments, description, time limit and ranking
 * may change without a run's row changing. */
static uint64_t digest(mdl_sweep *s, const mdl_config *base)
{
    sim_arena *a = &s->arena;
    uint64_t h = 0x6463736977656570ull;
    for (size_t i = 0; i < base->n_docs; i++)
        h = hash_file(base->docs[i]->path, h);
    for (size_t i = 0; i < s->n_fixed; i++)
        h = hash_node(a, s->fixed[i].value, hash_text(s->fixed[i].key, h));
    for (size_t p = 0; p < s->n_params; p++) {
        h = hash_text(s->params[p].key, hash_text(s->params[p].name, h));
        for (size_t v = 0; v < s->params[p].n; v++)
            h = hash_node(a, s->params[p].values[v].node, h);
    }
    for (size_t i = 0; i < s->n_stages; i++)
        h = hash_text(s->stages[i], h);
    char buf[160];
    for (size_t i = 0; i < s->n_seeds; i++) {
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)s->seeds[i]);
        h = hash_text(buf, h);
    }
    if (s->exploring) {
        const swp_explore *x = &s->def->explore;
        snprintf(buf, sizeof buf, "explore %lld %lld %lld %lld %lld %lld %lld", (long long)x->runs,
                 (long long)x->faults_min, (long long)x->faults_max, (long long)x->from, (long long)x->to,
                 (long long)x->shortest, (long long)x->longest);
        h = hash_text(buf, h);
        for (size_t i = 0; i < s->n_kinds; i++)
            h = hash_text(mdl_fault_kinds[s->kinds[i]], h);
        for (size_t i = 0; i < s->n_places; i++)
            h = hash_text(s->places[i], h);
    }
    return sim_hash_mix(h);
}

static char *dir_of(sim_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? sim_arena_strndup(a, path, (size_t)(slash - path) + 1) : sim_arena_strdup(a, "");
}

int mdl_sweep_load(const char *path, mdl_sweep **out, mdl_errors *errs)
{
    *out = NULL;
    memset(errs, 0, sizeof *errs);
    mdl_sweep *s = sim_calloc(1, sizeof *s);
    if (!s)
        return SIM_ENOMEM;
    sim_arena_init(&s->arena, 0);
    loading L = {.s = s};
    L.ld.arena = &s->arena;
    L.ld.file = s->path = sim_arena_strdup(&s->arena, path);
    cfg_error ce;
    int rc = cfg_load_file(path, NULL, &s->doc, &ce);
    if (rc) {
        errs->e[0] = ce;
        errs->n = errs->total = 1;
        mdl_sweep_free(s);
        return rc;
    }
    sweep *d = arena_new(&L, sizeof *d);
    const cfg_node *kind = s->doc->root && s->doc->root->kind == CFG_MAP ? cfg_map_get(s->doc->root, "kind") : NULL;
    if (kind && kind->kind == CFG_SCALAR && strcmp(kind->text, "sweep") != 0) {
        mdl_error(&L.ld, kind, "kind", "expected a sweep here (this is a %s file)", kind->text);
    } else if (d && s->doc->root && s->doc->root->kind == CFG_MAP) {
        s->def = d;
        mdl_schema_load(&L.ld, &mdl_sweep_schema, s->doc->root, "", d);
        if (!L.ld.total_errors && d->kind != MDL_FILE_SWEEP)
            mdl_error(&L.ld, cfg_map_get(s->doc->root, "kind"), "kind", "expected a sweep here (this is a %s file)",
                      mdl_file_kinds[d->kind]);
    } else if (d) {
        mdl_error(&L.ld, s->doc->root, NULL, "a sweep is a mapping that starts with dcsim: 1 and kind: sweep");
    }
    mdl_config *base = NULL;
    if (!L.ld.total_errors && !L.ld.oom) {
        s->exploring = d->explore.head.present;
        s->scenario_path = d->scenario[0] == '/' ? d->scenario
                                                 : sim_arena_printf(&s->arena, "%s%s", dir_of(&s->arena, path), d->scenario);
        if (s->exploring && d->parameters.n)
            mdl_error(&L.ld, cfg_map_get(s->doc->root, "parameters"), "parameters",
                      "an exploration draws faults; vary parameters in another sweep");
        load_fixed(&L);
        load_params(&L);
    }
    /* The scenario as it stands: its stages and variants, to pick from. */
    if (!L.ld.total_errors && !L.ld.oom && (base = load_with(&L, 0, NULL, NULL)) != NULL) {
        pick_stages(&L, base);
        pick_seeds(&L, base);
        if (s->exploring && !L.ld.total_errors)
            mdl_explore_resolve(&L.ld, s, base);
        check_values(&L);
    }
    if (!L.ld.total_errors && !L.ld.oom) {
        s->scale = d->scale;
        double points = 1;
        for (size_t p = 0; p < s->n_params; p++)
            points *= (double)s->params[p].n;
        double runs = points * (double)s->n_stages * (double)s->n_seeds;
        if (runs > 1e9)
            mdl_error(&L.ld, s->doc->root, NULL, "%.3g runs: at most a billion", runs);
        s->runs = (int64_t)runs;
        s->digest = digest(s, base);
    }
    if (!L.ld.total_errors && !L.ld.oom && s->exploring) {
        /* The first timeline drawn, loaded: the fault space is sound. */
        mdl_sweep_job job;
        mdl_errors e;
        rc = mdl_sweep_job_load(s, 0, &job, &e);
        if (rc == SIM_ENOMEM)
            L.ld.oom = 1;
        else if (rc)
            copy_errors(&L, &e);
        mdl_sweep_job_free(&job);
    }
    mdl_config_free(base);
    memcpy(errs->e, L.ld.errors, sizeof errs->e);
    errs->n = L.ld.n_errors;
    errs->total = L.ld.total_errors;
    sim_free(L.ld.assumptions);
    rc = L.ld.oom ? SIM_ENOMEM : L.ld.total_errors ? SIM_EINPUT : SIM_OK;
    if (rc) {
        mdl_sweep_free(s);
        return rc;
    }
    *out = s;
    return SIM_OK;
}

void mdl_sweep_free(mdl_sweep *s)
{
    if (!s)
        return;
    cfg_doc_free(s->doc);
    sim_arena_fini(&s->arena);
    sim_free(s);
}

/* ==== Runs ==== */

void mdl_sweep_describe(const mdl_sweep *s, int64_t r, mdl_sweep_run *out)
{
    memset(out, 0, sizeof *out);
    out->run = r;
    int64_t seed_i = r % (int64_t)s->n_seeds;
    int64_t rest = r / (int64_t)s->n_seeds;
    out->stage = s->stages[rest % (int64_t)s->n_stages];
    int64_t point = rest / (int64_t)s->n_stages;
    out->seed = s->seeds[seed_i];
    size_t used = 0;
    for (size_t p = s->n_params; p-- > 0;) {
        out->value[p] = (size_t)(point % (int64_t)s->params[p].n);
        point /= (int64_t)s->params[p].n;
    }
    for (size_t p = 0; p < s->n_params && used < sizeof out->point; p++) {
        int n = snprintf(out->point + used, sizeof out->point - used, "%s%s=%s", p ? " " : "", s->params[p].name,
                         s->params[p].values[out->value[p]].text);
        used += n > 0 ? (size_t)n : 0;
    }
}

int mdl_sweep_job_load(const mdl_sweep *s, int64_t r, mdl_sweep_job *job, mdl_errors *errs)
{
    memset(job, 0, sizeof *job);
    memset(errs, 0, sizeof *errs);
    mdl_sweep_run run;
    mdl_sweep_describe(s, r, &run);
    mdl_setting all[MDL_SWEEP_MAX_PARAMS + 66];
    size_t n = 0;
    for (size_t i = 0; i < s->n_fixed && n < 64; i++)
        all[n++] = s->fixed[i];
    for (size_t p = 0; p < s->n_params; p++)
        all[n++] = (mdl_setting){s->params[p].key, s->params[p].key_node, s->params[p].values[run.value[p]].node,
                                 s->path};
    if (s->exploring) {
        int rc = mdl_explore_draw(s, run.seed, &job->drawn, job->faults, sizeof job->faults);
        if (rc)
            return rc;
        all[n++] = (mdl_setting){"faults", NULL, job->drawn->root, job->drawn->path};
    }
    mdl_load_options opt = {.only_stage = run.stage, .settings = all, .n_settings = n};
    return mdl_config_load_options(s->scenario_path, &opt, &job->cfg, errs);
}

void mdl_sweep_job_free(mdl_sweep_job *job)
{
    mdl_config_free(job->cfg);
    cfg_doc_free(job->drawn);
    job->cfg = NULL;
    job->drawn = NULL;
}
