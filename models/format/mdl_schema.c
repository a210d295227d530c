/* mdl_schema.c -- loading, defaulting, printing and documenting structs
 * from their schema tables. */
#include "mdl_schema.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_value.h"
#include "sim_alloc.h"
#include "sim_escape.h"
#include "sim_status.h"

/* ==== Errors and small helpers ==== */

void mdl_error(mdl_load *ld, const cfg_node *n, const char *key, const char *fmt, ...)
{
    ld->total_errors++;
    if (ld->n_errors >= MDL_MAX_ERRORS)
        return;
    cfg_error *e = &ld->errors[ld->n_errors++];
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cfg_error_at(e, ld->file, n, key, "%s", msg);
}

int mdl_enum_index(const char *const *names, const char *name)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

void mdl_known_list(char *buf, size_t size, const char *const *names, size_t n)
{
    size_t at = (size_t)snprintf(buf, size, "known: ");
    for (size_t i = 0; i < n && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "", names[i]);
    if (n == 0 && at < size)
        snprintf(buf + at, size - at, "none");
}

const char *mdl_did_you_mean(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    int best_d = 99;
    size_t len = strlen(word);
    int allowed = len <= 3 ? 1 : len <= 8 ? 2 : 3;
    for (size_t i = 0; i < n; i++) {
        int d = cfg_edit_distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best_d <= allowed ? best : NULL;
}

const mdl_field *mdl_schema_field(const mdl_schema *s, const char *key)
{
    for (const mdl_field *f = s->fields; f->key; f++)
        if (strcmp(f->key, key) == 0)
            return f;
    return NULL;
}

static const char *join_path(sim_arena *a, const char *path, const char *key)
{
    return path[0] ? sim_arena_printf(a, "%s.%s", path, key) : sim_arena_strdup(a, key);
}

size_t mdl_type_size(mdl_type t)
{
    switch (t) {
    case MDL_NAME:
    case MDL_TEXT: return sizeof(const char *);
    case MDL_INT: return sizeof(int64_t);
    case MDL_DURATION:
    case MDL_CLOCK: return sizeof(sim_time);
    case MDL_BOOL:
    case MDL_ENUM: return sizeof(int);
    case MDL_DIST: return sizeof(mdl_dist);
    case MDL_SHARDS: return sizeof(mdl_shards);
    default: return sizeof(double);
    }
}

/* ==== Scalars ==== */

static int parse_name(sim_arena *a, const char *text, const char **out, const char **why)
{
    if (!text[0]) {
        *why = "expected a name";
        return SIM_EINPUT;
    }
    /* Names become folder names (results/<scenario>/<stage>/): one path
     * component, never a way out of the results folder. */
    for (const char *p = text; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.')) {
            *why = "a name may hold only letters, digits and - _ .";
            return SIM_EINPUT;
        }
    }
    if (!strcmp(text, ".") || !strcmp(text, "..")) {
        *why = "a name cannot be . or ..";
        return SIM_EINPUT;
    }
    if (strlen(text) > 128) {
        *why = "name too long (at most 128 characters)";
        return SIM_EINPUT;
    }
    *out = sim_arena_strdup(a, text);
    return *out ? SIM_OK : SIM_ENOMEM;
}

static int parse_shards(const char *text, mdl_shards *out, const char **why)
{
    /* "37" or "00-49": two-digit shard numbers, 00 to 99. */
    int lo = -1, hi = -1, n = 0;
    const char *p = text;
    while (*p >= '0' && *p <= '9' && n < 3)
        lo = (lo < 0 ? 0 : lo) * 10 + (*p++ - '0'), n++;
    if (*p == '-') {
        p++;
        n = 0;
        while (*p >= '0' && *p <= '9' && n < 3)
            hi = (hi < 0 ? 0 : hi) * 10 + (*p++ - '0'), n++;
    } else {
        hi = lo;
    }
    if (*p || lo < 0 || hi < 0 || lo > 99 || hi > 99 || lo > hi) {
        *why = "expected shards such as 37 or 00-49 (00 to 99, low to high)";
        return SIM_EINPUT;
    }
    out->lo = lo;
    out->hi = hi;
    return SIM_OK;
}

int mdl_parse_scalar(sim_arena *a, mdl_type t, const char *const *names, const char *text,
                     void *out, const char **why)
{
    switch (t) {
    case MDL_NAME: return parse_name(a, text, (const char **)out, why);
    case MDL_TEXT:
        if (strlen(text) > 4096) {
            *why = "text too long (at most 4096 characters)";
            return SIM_EINPUT;
        }
        *(const char **)out = sim_arena_strdup(a, text);
        return *(const char **)out ? SIM_OK : SIM_ENOMEM;
    case MDL_INT: return cfg_parse_int(text, (int64_t *)out, why);
    case MDL_REAL: return cfg_parse_real(text, (double *)out, why);
    case MDL_COUNT: return cfg_parse_count(text, (double *)out, why);
    case MDL_PERCENT: return cfg_parse_percent(text, (double *)out, why);
    case MDL_DURATION:
        if (sim_time_parse_duration(text, (sim_time *)out, why)) {
            *why = "expected a duration such as 250ms, 30s or 1h02m";
            return SIM_EINPUT;
        }
        return SIM_OK;
    case MDL_CLOCK: return sim_time_parse_clock(text, (sim_time *)out, why);
    case MDL_RATE: return cfg_parse_rate(text, (double *)out, why);
    case MDL_BANDWIDTH: return cfg_parse_bandwidth(text, (double *)out, why);
    case MDL_SIZE: return cfg_parse_size(text, (double *)out, why);
    case MDL_BOOL: return cfg_parse_bool(text, (int *)out, why);
    case MDL_ENUM: {
        int i = mdl_enum_index(names, text);
        if (i < 0) {
            *why = "unknown value";
            return SIM_EINPUT;
        }
        *(int *)out = i;
        return SIM_OK;
    }
    case MDL_SHARDS: return parse_shards(text, (mdl_shards *)out, why);
    default: *why = "not a scalar"; return SIM_EINPUT;
    }
}

const char *mdl_format_scalar(sim_arena *a, mdl_type t, const char *const *names,
                              const void *v)
{
    char buf[SIM_TIME_TEXT_MAX + CFG_VALUE_TEXT_MAX];
    switch (t) {
    case MDL_NAME:
    case MDL_TEXT: return *(const char *const *)v ? *(const char *const *)v : "";
    case MDL_INT: snprintf(buf, sizeof buf, "%lld", (long long)*(const int64_t *)v); break;
    case MDL_REAL: cfg_format_real(*(const double *)v, buf, sizeof buf); break;
    case MDL_COUNT: cfg_format_count(*(const double *)v, buf, sizeof buf); break;
    case MDL_PERCENT: cfg_format_percent(*(const double *)v, buf, sizeof buf); break;
    case MDL_DURATION: sim_time_format_duration(*(const sim_time *)v, buf, sizeof buf); break;
    case MDL_CLOCK: sim_time_format_clock(*(const sim_time *)v, buf, sizeof buf); break;
    case MDL_RATE: cfg_format_rate(*(const double *)v, buf, sizeof buf); break;
    case MDL_BANDWIDTH: cfg_format_bandwidth(*(const double *)v, buf, sizeof buf); break;
    case MDL_SIZE: cfg_format_size(*(const double *)v, buf, sizeof buf); break;
    case MDL_BOOL: return *(const int *)v ? "true" : "false";
    case MDL_ENUM: return names[*(const int *)v];
    case MDL_SHARDS: {
        const mdl_shards *s = v;
        if (s->lo == s->hi)
            snprintf(buf, sizeof buf, "\"%02d\"", s->lo);
        else
            snprintf(buf, sizeof buf, "%02d-%02d", s->lo, s->hi);
        break;
    }
    default: return "?";
    }
    return sim_arena_strdup(a, buf);
}

/* ==== Distributions ==== */

enum dist_form {
    FORM_CONSTANT, FORM_EXPONENTIAL, FORM_LOGNORMAL_P99, FORM_LOGNORMAL_SIGMA, FORM_UNIFORM,
    FORM_NORMAL, FORM_WEIBULL, FORM_PARETO,
};

typedef struct dist_form_desc {
    const char *kind;
    const char *p0, *p1;  /* parameter names (p1 NULL if one) */
    int p0_time, p1_time; /* whether each parameter is a duration */
} dist_form_desc;

static const dist_form_desc forms[] = {
    [FORM_CONSTANT] = {"constant", "value", NULL, 1, 0},
    [FORM_EXPONENTIAL] = {"exponential", "mean", NULL, 1, 0},
    [FORM_LOGNORMAL_P99] = {"lognormal", "mean", "p99", 1, 1},
    [FORM_LOGNORMAL_SIGMA] = {"lognormal", "median", "sigma", 1, 0},
    [FORM_UNIFORM] = {"uniform", "min", "max", 1, 1},
    [FORM_NORMAL] = {"normal", "mean", "sd", 1, 1},
    [FORM_WEIBULL] = {"weibull", "shape", "scale", 0, 1},
    [FORM_PARETO] = {"pareto", "shape", "scale", 0, 1},
};
#define N_FORMS (sizeof forms / sizeof forms[0])

static int param_value(mdl_load *ld, const cfg_node *n, const char *path, int is_time,
                       double *out)
{
    const char *why;
    if (n->kind != CFG_SCALAR) {
        mdl_error(ld, n, path, "expected a %s", is_time ? "duration" : "number");
        return -1;
    }
    if (is_time) {
        sim_time t;
        if (sim_time_parse_duration(n->text, &t, &why)) {
            mdl_error(ld, n, path, "expected a duration such as 5ms (got \"%s\")", n->text);
            return -1;
        }
        *out = sim_time_to_seconds(t);
    } else if (cfg_parse_real(n->text, out, &why)) {
        mdl_error(ld, n, path, "%s (got \"%s\")", why, n->text);
        return -1;
    }
    return 0;
}

/* Turns the written parameters into a sim_dist, checking they make sense. */
static int dist_build(mdl_dist *d, const char **why)
{
    double a = d->p[0], b = d->p[1];
    switch (d->form) {
    case FORM_CONSTANT:
        if (a < 0) { *why = "must not be negative"; return -1; }
        d->d = (sim_dist){SIM_DIST_CONSTANT, a, 0};
        return 0;
    case FORM_EXPONENTIAL:
        if (!(a > 0)) { *why = "mean must be positive"; return -1; }
        d->d = (sim_dist){SIM_DIST_EXPONENTIAL, a, 0};
        return 0;
    case FORM_LOGNORMAL_P99: {
        double mu, sigma;
        if (sim_lognormal_from_mean_p99(a, b, &mu, &sigma, why))
            return -1;
        d->d = (sim_dist){SIM_DIST_LOGNORMAL, mu, sigma};
        return 0;
    }
    case FORM_LOGNORMAL_SIGMA:
        if (!(a > 0) || !(b > 0) || b > 5) { *why = "median must be positive, sigma in (0, 5]"; return -1; }
        d->d = (sim_dist){SIM_DIST_LOGNORMAL, log(a), b};
        return 0;
    case FORM_UNIFORM:
        if (a < 0 || !(b > a)) { *why = "need 0 <= min < max"; return -1; }
        d->d = (sim_dist){SIM_DIST_UNIFORM, a, b};
        return 0;
    case FORM_NORMAL:
        if (a < 0 || b < 0) { *why = "mean and sd must not be negative"; return -1; }
        d->d = (sim_dist){SIM_DIST_NORMAL, a, b};
        return 0;
    case FORM_WEIBULL:
        if (!(a > 0.05) || !(b > 0)) { *why = "shape must be above 0.05, scale positive"; return -1; }
        d->d = (sim_dist){SIM_DIST_WEIBULL, a, b};
        return 0;
    default:
        if (!(a > 0.1) || !(b > 0)) { *why = "shape must be above 0.1, scale positive"; return -1; }
        d->d = (sim_dist){SIM_DIST_PARETO, a, b};
        return 0;
    }
}

static int load_dist(mdl_load *ld, const cfg_node *n, const char *path, mdl_dist *out)
{
    const char *why;
    memset(out, 0, sizeof *out);
    if (n->kind == CFG_SCALAR) { /* a plain duration: a constant */
        sim_time t;
        if (sim_time_parse_duration(n->text, &t, &why)) {
            mdl_error(ld, n, path,
                      "expected a duration or a distribution such as {lognormal: {mean: 5ms, p99: 40ms}} (got \"%s\")",
                      n->text);
            return -1;
        }
        out->form = FORM_CONSTANT;
        out->p[0] = sim_time_to_seconds(t);
    } else if (n->kind != CFG_MAP || n->n != 1) {
        mdl_error(ld, n, path,
                  "expected a duration or a one-key mapping naming the distribution, such as {exponential: {mean: 5ms}}");
        return -1;
    } else {
        const char *kind = n->keys[0]->text;
        const cfg_node *params = n->items[0];
        int found = 0, form = -1;
        for (size_t f = 0; f < N_FORMS; f++) {
            if (strcmp(forms[f].kind, kind) != 0)
                continue;
            found = 1;
            if (f == FORM_CONSTANT && params->kind == CFG_SCALAR) {
                form = (int)f;
                break;
            }
            if (params->kind == CFG_MAP && cfg_map_get(params, forms[f].p0) &&
                (!forms[f].p1 || cfg_map_get(params, forms[f].p1))) {
                form = (int)f;
                break;
            }
        }
        const char *const kinds[] = {"constant", "exponential", "lognormal", "uniform",
                                     "normal", "weibull", "pareto"};
        if (!found) {
            const char *guess = mdl_did_you_mean(kind, kinds, 7);
            char known[160];
            mdl_known_list(known, sizeof known, kinds, 7);
            if (guess)
                mdl_error(ld, n->keys[0], path, "unknown distribution \"%s\" (did you mean \"%s\"?)", kind, guess);
            else
                mdl_error(ld, n->keys[0], path, "unknown distribution \"%s\" (%s)", kind, known);
            return -1;
        }
        if (form < 0) {
            const char *what = strcmp(kind, "lognormal") == 0 ? "{mean, p99} or {median, sigma}"
                               : strcmp(kind, "exponential") == 0 ? "{mean}"
                               : strcmp(kind, "uniform") == 0     ? "{min, max}"
                               : strcmp(kind, "normal") == 0      ? "{mean, sd}"
                               : strcmp(kind, "constant") == 0    ? "a duration"
                                                                  : "{shape, scale}";
            mdl_error(ld, params, path, "%s takes %s", kind, what);
            return -1;
        }
        out->form = form;
        if (form == FORM_CONSTANT) {
            if (param_value(ld, params, path, 1, &out->p[0]))
                return -1;
        } else {
            for (size_t i = 0; i < params->n; i++) {
                const char *k = params->keys[i]->text;
                if (strcmp(k, forms[form].p0) && (!forms[form].p1 || strcmp(k, forms[form].p1))) {
                    mdl_error(ld, params->keys[i], path, "%s takes %s%s%s, not \"%s\"", kind,
                              forms[form].p0, forms[form].p1 ? " and " : "",
                              forms[form].p1 ? forms[form].p1 : "", k);
                    return -1;
                }
            }
            if (param_value(ld, cfg_map_get(params, forms[form].p0), path, forms[form].p0_time,
                            &out->p[0]))
                return -1;
            if (forms[form].p1 && param_value(ld, cfg_map_get(params, forms[form].p1), path,
                                              forms[form].p1_time, &out->p[1]))
                return -1;
        }
    }
    if (dist_build(out, &why)) {
        mdl_error(ld, n, path, "%s", why);
        return -1;
    }
    return 0;
}

static void format_param(char *buf, size_t size, double v, int is_time)
{
    if (is_time)
        sim_time_format_duration(sim_time_from_seconds(v), buf, size);
    else
        cfg_format_real(v, buf, size);
}

static void print_dist(FILE *out, const mdl_dist *d)
{
    char a[64], b[64];
    const dist_form_desc *f = &forms[d->form];
    format_param(a, sizeof a, d->p[0], f->p0_time);
    if (d->form == FORM_CONSTANT) {
        fputs(a, out);
        return;
    }
    if (!f->p1) {
        fprintf(out, "{%s: {%s: %s}}", f->kind, f->p0, a);
        return;
    }
    format_param(b, sizeof b, d->p[1], f->p1_time);
    fprintf(out, "{%s: {%s: %s, %s: %s}}", f->kind, f->p0, a, f->p1, b);
}

/* ==== Loading ==== */

static void note_assumption(mdl_load *ld, const cfg_node *n, const char *path)
{
    const char *c = n->comment;
    if (!c || strncmp(c, "assumed:", 8) != 0)
        return;
    if (sim_grow((void **)&ld->assumptions, &ld->cap_assumptions, ld->n_assumptions + 1,
                 sizeof *ld->assumptions)) {
        ld->oom = 1;
        return;
    }
    const char *reason = c + 8;
    while (*reason == ' ')
        reason++;
    const char *value = n->text;
    if (n->kind != CFG_SCALAR) {
        /* In flow style, as `dcsim show` prints it, cut at 200 bytes. */
        char *flow = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&flow, &len);
        if (f) {
            mdl_print_node(f, n);
            fclose(f);
        }
        if (flow && len >= 200) /* cut, and said so */
            memcpy(flow + 195, " ...", 5);
        value = flow ? sim_arena_strdup(ld->arena, flow) : NULL;
        free(flow);
        if (!value) {
            ld->oom = 1;
            return;
        }
    }
    ld->assumptions[ld->n_assumptions++] = (mdl_assumption){ld->file, n->line, path, value, reason};
}

static double stored_number(mdl_type t, const void *v)
{
    switch (t) {
    case MDL_INT: return (double)*(const int64_t *)v;
    case MDL_DURATION:
    case MDL_CLOCK: return sim_time_to_seconds(*(const sim_time *)v);
    default: return *(const double *)v;
    }
}

static void range_error(mdl_load *ld, const cfg_node *n, const char *path, const mdl_field *f,
                        const void *v)
{
    double x = stored_number(f->type, v);
    char lo[64], hi[64];
    if (f->type == MDL_DURATION || f->type == MDL_CLOCK) {
        sim_time_format_duration(sim_time_from_seconds(f->min), lo, sizeof lo);
        sim_time_format_duration(sim_time_from_seconds(f->max), hi, sizeof hi);
    } else if (f->type == MDL_PERCENT) {
        cfg_format_percent(f->min, lo, sizeof lo);
        cfg_format_percent(f->max, hi, sizeof hi);
    } else {
        cfg_format_real(f->min, lo, sizeof lo);
        cfg_format_real(f->max, hi, sizeof hi);
    }
    mdl_error(ld, n, path, "%s is %s (allowed: %s to %s)", n->text,
              x < f->min ? "too small" : "too large", lo, hi);
}

static int check_range(const mdl_field *f, const void *v)
{
    if (!(f->min < f->max))
        return 1;
    double x = stored_number(f->type, v);
    return x >= f->min && x <= f->max;
}

/* One scalar field value from node n. */
static int load_scalar(mdl_load *ld, const mdl_field *f, mdl_type t, const cfg_node *n,
                       const char *path, void *out)
{
    const char *why = "";
    if (n->kind != CFG_SCALAR) {
        mdl_error(ld, n, path, "expected a single value, not a %s", cfg_kind_name(n->kind));
        return -1;
    }
    int rc = mdl_parse_scalar(ld->arena, t, f->names, n->text, out, &why);
    if (rc == SIM_ENOMEM) {
        ld->oom = 1;
        return -1;
    }
    if (rc) {
        if (t == MDL_ENUM) {
            size_t count = 0;
            while (f->names[count])
                count++;
            const char *guess = mdl_did_you_mean(n->text, f->names, count);
            char known[512];
            mdl_known_list(known, sizeof known, f->names, count);
            if (guess)
                mdl_error(ld, n, path, "unknown value \"%s\" (did you mean \"%s\"?)", n->text, guess);
            else
                mdl_error(ld, n, path, "unknown value \"%s\" (%s)", n->text, known);
        } else {
            mdl_error(ld, n, path, "%s (got \"%s\")", why, n->text);
        }
        return -1;
    }
    if (!check_range(f, out)) {
        range_error(ld, n, path, f, out);
        return -1;
    }
    if (f->flags & MDL_FIGURE)
        note_assumption(ld, n, path);
    return 0;
}

static void load_default(mdl_load *ld, const mdl_field *f, void *dst)
{
    if (f->type == MDL_STRUCT) {
        mdl_schema_defaults(ld, f->sub, dst);
        return;
    }
    if (!f->def)
        return;
    const char *why;
    if (f->type == MDL_DIST) {
        sim_time t;
        mdl_dist *d = dst;
        if (sim_time_parse_duration(f->def, &t, &why) == SIM_OK) {
            d->form = FORM_CONSTANT;
            d->p[0] = sim_time_to_seconds(t);
            dist_build(d, &why);
        }
        return;
    }
    if (f->type == MDL_NAMES || f->type == MDL_LIST || f->type == MDL_DICT || f->type == MDL_NODE)
        return;
    if (mdl_parse_scalar(ld->arena, f->type, f->names, f->def, dst, &why) == SIM_ENOMEM)
        ld->oom = 1;
}

void mdl_schema_defaults(mdl_load *ld, const mdl_schema *s, void *out)
{
    mdl_head *head = out;
    if (!head->comments) {
        size_t nf = 0;
        while (s->fields[nf].key)
            nf++;
        head->comments = sim_arena_alloc(ld->arena, (nf + 1) * sizeof *head->comments);
        if (!head->comments)
            ld->oom = 1;
    }
    for (const mdl_field *f = s->fields; f->key; f++)
        load_default(ld, f, (char *)out + f->offset);
}

static int load_field(mdl_load *ld, const mdl_field *f, const cfg_node *n, const char *path,
                      void *dst);

int mdl_field_load(mdl_load *ld, const mdl_field *f, const cfg_node *n, const char *path,
                   void *dst)
{
    int rc = load_field(ld, f, n, path, dst);
    if (f->type == MDL_STRUCT)
        ((mdl_head *)dst)->present = 1;
    return rc;
}

static int load_names(mdl_load *ld, const cfg_node *n, const char *path, mdl_names *out)
{
    if (n->kind == CFG_SCALAR) { /* a single name is a list of one */
        out->v = sim_arena_alloc(ld->arena, sizeof *out->v);
        if (!out->v)
            return ld->oom = 1, -1;
        const char *why;
        if (parse_name(ld->arena, n->text, &out->v[0], &why)) {
            mdl_error(ld, n, path, "%s (got \"%s\")", why, n->text);
            return -1;
        }
        out->n = 1;
        return 0;
    }
    if (n->kind != CFG_SEQ) {
        mdl_error(ld, n, path, "expected a list of names such as [HZ-A, HZ-B]");
        return -1;
    }
    if (n->n > 10000) {
        mdl_error(ld, n, path, "too many names (at most 10000)");
        return -1;
    }
    out->v = sim_arena_alloc(ld->arena, (n->n + 1) * sizeof *out->v);
    if (!out->v)
        return ld->oom = 1, -1;
    int bad = 0;
    for (size_t i = 0; i < n->n; i++) {
        const cfg_node *item = n->items[i];
        const char *why;
        const char *item_path = sim_arena_printf(ld->arena, "%s[%zu]", path, i);
        if (item->kind != CFG_SCALAR || parse_name(ld->arena, item->text, &out->v[i], &why)) {
            mdl_error(ld, item, item_path, "expected a name");
            bad = 1;
            continue;
        }
        for (size_t j = 0; j < i; j++)
            if (out->v[j] && strcmp(out->v[j], out->v[i]) == 0) {
                mdl_error(ld, item, item_path, "\"%s\" is listed twice", out->v[i]);
                bad = 1;
            }
    }
    out->n = n->n;
    return bad ? -1 : 0;
}

static int load_list(mdl_load *ld, const mdl_field *f, const cfg_node *n, const char *path,
                     mdl_list *out)
{
    if (n->kind != CFG_SEQ) {
        mdl_error(ld, n, path, "expected a list (- items), not a %s", cfg_kind_name(n->kind));
        return -1;
    }
    if (n->n > 100000) {
        mdl_error(ld, n, path, "too many items (at most 100000)");
        return -1;
    }
    out->items = sim_arena_alloc(ld->arena, (n->n + 1) * f->sub->size);
    if (!out->items)
        return ld->oom = 1, -1;
    out->n = n->n;
    int bad = 0;
    for (size_t i = 0; i < n->n; i++) {
        const char *item_path = sim_arena_printf(ld->arena, "%s[%zu]", path, i);
        if (!item_path)
            return ld->oom = 1, -1;
        bad |= mdl_schema_load(ld, f->sub, n->items[i], item_path,
                               (char *)out->items + i * f->sub->size) > 0;
    }
    return bad ? -1 : 0;
}

static int load_dict(mdl_load *ld, const mdl_field *f, const cfg_node *n, const char *path,
                     mdl_dict *out)
{
    if (n->kind != CFG_MAP) {
        mdl_error(ld, n, path, "expected a mapping of names to values");
        return -1;
    }
    size_t es = mdl_type_size(f->elem);
    out->keys = sim_arena_alloc(ld->arena, (n->n + 1) * sizeof *out->keys);
    out->values = sim_arena_alloc(ld->arena, (n->n + 1) * es);
    out->comments = sim_arena_alloc(ld->arena, (n->n + 1) * sizeof *out->comments);
    out->nodes = sim_arena_alloc(ld->arena, (n->n + 1) * sizeof *out->nodes);
    if (!out->keys || !out->values || !out->comments || !out->nodes)
        return ld->oom = 1, -1;
    int bad = 0;
    mdl_field elem = *f;
    elem.type = f->elem;
    for (size_t i = 0; i < n->n; i++) {
        const char *why;
        const char *key_path = join_path(ld->arena, path, n->keys[i]->text);
        if (parse_name(ld->arena, n->keys[i]->text, &out->keys[i], &why)) {
            mdl_error(ld, n->keys[i], key_path, "%s", why);
            bad = 1;
            continue;
        }
        out->nodes[i] = n->keys[i];
        out->comments[i] = n->items[i]->comment;
        bad |= load_field(ld, &elem, n->items[i], key_path, (char *)out->values + i * es) != 0;
    }
    out->n = n->n;
    return bad ? -1 : 0;
}

static int load_field(mdl_load *ld, const mdl_field *f, const cfg_node *n, const char *path,
                      void *dst)
{
    switch (f->type) {
    case MDL_STRUCT: return mdl_schema_load(ld, f->sub, n, path, dst) ? -1 : 0;
    case MDL_LIST: return load_list(ld, f, n, path, dst);
    case MDL_DICT: return load_dict(ld, f, n, path, dst);
    case MDL_NAMES: return load_names(ld, n, path, dst);
    case MDL_NODE: *(const cfg_node **)dst = n; return 0;
    case MDL_DIST:
        if (load_dist(ld, n, path, dst))
            return -1;
        if (f->flags & MDL_FIGURE)
            note_assumption(ld, n, path);
        return 0;
    default: return load_scalar(ld, f, f->type, n, path, dst);
    }
}

int mdl_schema_load(mdl_load *ld, const mdl_schema *s, const cfg_node *n, const char *path,
                    void *out)
{
    int before = ld->total_errors;
    mdl_head *head = out;
    mdl_schema_defaults(ld, s, out);
    head->src = n;
    if (!n)
        return 0;
    head->present = 1;
    if (n->kind != CFG_MAP) {
        mdl_error(ld, n, path[0] ? path : NULL, "expected a mapping (key: value lines) for %s",
                  s->name);
        return ld->total_errors - before;
    }
    /* Every key must be known. */
    size_t nf = 0;
    const char *keys[96];
    for (const mdl_field *f = s->fields; f->key && nf < 96; f++)
        keys[nf++] = f->key;
    for (size_t i = 0; i < n->n; i++) {
        const cfg_node *k = n->keys[i];
        const mdl_field *f = mdl_schema_field(s, k->text);
        const char *key_path = join_path(ld->arena, path, k->text);
        if (!key_path)
            return ld->oom = 1, ld->total_errors - before + 1;
        if (!f) {
            const char *guess = mdl_did_you_mean(k->text, keys, nf);
            char known[1024];
            mdl_known_list(known, sizeof known, keys, nf);
            if (guess)
                mdl_error(ld, k, key_path, "unknown key (did you mean \"%s\"?)", guess);
            else
                mdl_error(ld, k, key_path, "unknown key (%s)", known);
            continue;
        }
        if (head->comments)
            head->comments[f - s->fields] = n->items[i]->comment;
        load_field(ld, f, n->items[i], key_path, (char *)out + f->offset);
        if (f->type == MDL_STRUCT)
            ((mdl_head *)((char *)out + f->offset))->present = 1;
    }
    for (const mdl_field *f = s->fields; f->key; f++)
        if ((f->flags & MDL_REQUIRED) && !cfg_map_get(n, f->key))
            mdl_error(ld, n, path[0] ? path : NULL, "missing key \"%s\" (%s)", f->key, f->doc);
    return ld->total_errors - before;
}

/* ==== Printing ==== */

static void print_indent(FILE *out, int indent)
{
    for (int i = 0; i < indent; i++)
        fputc(' ', out);
}

/* Quotes text when YAML would read it as something else. */
/* Characters YAML will not read back raw: DEL, the C1 controls (NEL is a
 * line break), the line and paragraph separators, the byte-order mark and
 * the non-characters. Written escaped in double quotes. */
static int needs_escape(uint32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
           c == 0xFFFE || c == 0xFFFF;
}

static void print_text(FILE *out, const char *s)
{
    int plain = s[0] != '\0';
    static const char *const special[] = {"true", "false", "null", "yes", "no", "on", "off",
                                          "~", "True", "False", "Null", "NULL", NULL};
    for (int i = 0; special[i] && plain; i++)
        if (strcmp(s, special[i]) == 0)
            plain = 0;
    if (strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]))
        plain = 0;
    for (const char *p = s; *p && plain; p++)
        if (*p == '\n' || *p == '#' || (*p == ':' && (p[1] == ' ' || !p[1])) || *p == '\t' || (*p == ' ' && !p[1]))
            plain = 0;
    for (const char *p = s; *p && plain;)
        plain = !needs_escape(sim_utf8_next(&p));
    if (plain) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p;) {
        const char *from = p;
        uint32_t c = sim_utf8_next(&p);
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", (char)c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x100 && needs_escape(c))
            fprintf(out, "\\x%02x", (unsigned)c);
        else if (needs_escape(c))
            fprintf(out, "\\u%04x", (unsigned)c);
        else
            fwrite(from, 1, (size_t)(p - from), out);
    }
    fputc('"', out);
}

static void print_scalar(FILE *out, mdl_type t, const char *const *names, const void *v)
{
    sim_arena a;
    sim_arena_init(&a, 0);
    const char *text = mdl_format_scalar(&a, t, names, v);
    if (t == MDL_NAME || t == MDL_TEXT)
        print_text(out, text ? text : "");
    else
        fputs(text ? text : "?", out);
    sim_arena_fini(&a);
}

static void print_comment(FILE *out, const char *comment)
{
    if (comment && comment[0])
        fprintf(out, "  # %s", comment);
}

static void print_struct_flow(FILE *out, const mdl_schema *s, const void *value);

void mdl_print_value(FILE *out, const mdl_field *f, const void *v)
{
    switch (f->type) {
    case MDL_DIST: print_dist(out, v); break;
    case MDL_NAMES: {
        const mdl_names *names = v;
        fputc('[', out);
        for (size_t i = 0; i < names->n; i++) {
            if (i)
                fputs(", ", out);
            print_text(out, names->v[i]);
        }
        fputc(']', out);
        break;
    }
    case MDL_STRUCT: print_struct_flow(out, f->sub, v); break;
    case MDL_NODE: mdl_print_node(out, *(const cfg_node *const *)v); break;
    case MDL_LIST:
    case MDL_DICT: break;
    default: print_scalar(out, f->type, f->names, v);
    }
}

static int field_printed(const mdl_field *f, const void *v)
{
    /* -1 marks an integer left unset (a shard not given). */
    if (f->type == MDL_INT && f->def && strcmp(f->def, "-1") == 0)
        return *(const int64_t *)v != -1;
    if (f->type == MDL_STRUCT && (f->flags & MDL_OPTIONAL))
        return ((const mdl_head *)v)->present;
    if (f->type == MDL_NODE)
        return *(const cfg_node *const *)v != NULL;
    if ((f->type == MDL_NAME || f->type == MDL_TEXT) && !f->def && !(f->flags & MDL_REQUIRED))
        return *(const char *const *)v != NULL;
    if ((f->type == MDL_LIST && !(f->flags & MDL_REQUIRED)))
        return ((const mdl_list *)v)->n > 0;
    if (f->type == MDL_DICT && !(f->flags & MDL_REQUIRED))
        return ((const mdl_dict *)v)->n > 0;
    if (f->type == MDL_NAMES && !(f->flags & MDL_REQUIRED) && !f->def)
        return ((const mdl_names *)v)->n > 0;
    return 1;
}

static void print_struct_flow(FILE *out, const mdl_schema *s, const void *value)
{
    fputc('{', out);
    int first = 1;
    for (const mdl_field *f = s->fields; f->key; f++) {
        const void *v = (const char *)value + f->offset;
        if (!field_printed(f, v))
            continue;
        fprintf(out, "%s%s: ", first ? "" : ", ", f->key);
        mdl_print_value(out, f, v);
        first = 0;
    }
    fputc('}', out);
}

typedef struct print_ctx {
    mdl_print_hook *hook;
    void *context;
} print_ctx;

static void print_field(FILE *out, const mdl_field *f, const void *v, const char *comment,
                        int indent, const print_ctx *pc);
static void print_struct(FILE *out, const mdl_schema *s, const void *value, int indent,
                         const print_ctx *pc);

static void print_item(FILE *out, const mdl_schema *s, const void *item, int indent,
                       const print_ctx *pc)
{
    print_indent(out, indent);
    fputs("- ", out);
    /* The first field on the dash's line, the rest aligned under it. */
    const mdl_head *head = item;
    int first = 1;
    for (const mdl_field *sf = s->fields; sf->key; sf++) {
        const void *sv = (const char *)item + sf->offset;
        if (!field_printed(sf, sv))
            continue;
        print_field(out, sf, sv, head->comments ? head->comments[sf - s->fields] : NULL,
                    first ? -(indent + 2) : indent + 2, pc);
        first = 0;
    }
    if (first)
        fputs("{}\n", out);
}

static void print_list(FILE *out, const mdl_field *f, const mdl_list *list, int indent,
                       const print_ctx *pc)
{
    for (size_t i = 0; i < list->n; i++) {
        const void *item = (const char *)list->items + i * f->sub->size;
        if (f->flags & MDL_FLOW) {
            print_indent(out, indent);
            fputs("- ", out);
            print_struct_flow(out, f->sub, item);
            fputc('\n', out);
            continue;
        }
        print_item(out, f->sub, item, indent, pc);
    }
}

void mdl_schema_print_item(FILE *out, const mdl_schema *s, const void *value, int indent,
                           mdl_print_hook *hook, void *context)
{
    print_ctx pc = {hook, context};
    print_item(out, s, value, indent, &pc);
}

/* indent < 0: continue on the current line (after "- "), at -indent. */
static void print_field(FILE *out, const mdl_field *f, const void *v, const char *comment,
                        int indent, const print_ctx *pc)
{
    int at = indent < 0 ? -indent : indent;
    if (indent >= 0)
        print_indent(out, indent);
    if (pc->hook && pc->hook(out, f, v, at, pc->context))
        return;
    fprintf(out, "%s:", f->key);
    switch (f->type) {
    case MDL_STRUCT:
        if (f->flags & MDL_FLOW) {
            fputc(' ', out);
            print_struct_flow(out, f->sub, v);
            fputc('\n', out);
        } else {
            int any = 0;
            for (const mdl_field *sf = f->sub->fields; sf->key && !any; sf++)
                any = field_printed(sf, (const char *)v + sf->offset);
            if (!any) {
                fputs(" {}\n", out);
                return;
            }
            fputc('\n', out);
            print_struct(out, f->sub, v, at + 2, pc);
        }
        return;
    case MDL_LIST: {
        const mdl_list *list = v;
        if (list->n == 0) {
            fputs(" []\n", out);
            return;
        }
        fputc('\n', out);
        print_list(out, f, list, at + 2, pc);
        return;
    }
    case MDL_DICT: {
        const mdl_dict *d = v;
        if (d->n == 0) {
            fputs(" {}\n", out);
            return;
        }
        fputc('\n', out);
        size_t es = mdl_type_size(f->elem);
        mdl_field elem = *f;
        elem.type = f->elem;
        for (size_t i = 0; i < d->n; i++) {
            print_indent(out, at + 2);
            print_text(out, d->keys[i]);
            fputs(": ", out);
            mdl_print_value(out, &elem, (const char *)d->values + i * es);
            print_comment(out, d->comments ? d->comments[i] : NULL);
            fputc('\n', out);
        }
        return;
    }
    default:
        fputc(' ', out);
        mdl_print_value(out, f, v);
        print_comment(out, comment);
        fputc('\n', out);
    }
}

static void print_struct(FILE *out, const mdl_schema *s, const void *value, int indent,
                         const print_ctx *pc)
{
    const mdl_head *head = value;
    for (const mdl_field *f = s->fields; f->key; f++) {
        const void *v = (const char *)value + f->offset;
        if (!field_printed(f, v))
            continue;
        print_field(out, f, v, head->comments ? head->comments[f - s->fields] : NULL, indent, pc);
    }
}

void mdl_schema_print(FILE *out, const mdl_schema *s, const void *value, int indent)
{
    print_ctx pc = {NULL, NULL};
    print_struct(out, s, value, indent, &pc);
}

void mdl_schema_print_hooked(FILE *out, const mdl_schema *s, const void *value, int indent,
                             mdl_print_hook *hook, void *context)
{
    print_ctx pc = {hook, context};
    print_struct(out, s, value, indent, &pc);
}

void mdl_print_node(FILE *out, const cfg_node *n)
{
    if (!n) {
        fputs("null", out);
        return;
    }
    switch (n->kind) {
    case CFG_SCALAR:
        print_text(out, n->text);
        return;
    case CFG_SEQ:
        fputc('[', out);
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                fputs(", ", out);
            mdl_print_node(out, n->items[i]);
        }
        fputc(']', out);
        return;
    case CFG_MAP:
        fputc('{', out);
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                fputs(", ", out);
            print_text(out, n->keys[i]->text);
            fputs(": ", out);
            mdl_print_node(out, n->items[i]);
        }
        fputc('}', out);
        return;
    }
}

/* ==== Reference ==== */

static const char *type_name(const mdl_field *f)
{
    switch (f->type) {
    case MDL_NAME: return "name";
    case MDL_TEXT: return "text";
    case MDL_INT: return "integer";
    case MDL_REAL: return "number";
    case MDL_COUNT: return "count";
    case MDL_PERCENT: return "percentage";
    case MDL_DURATION: return "duration";
    case MDL_CLOCK: return "clock time";
    case MDL_RATE: return "rate";
    case MDL_BANDWIDTH: return "bandwidth";
    case MDL_SIZE: return "size";
    case MDL_BOOL: return "true/false";
    case MDL_ENUM: return "one of";
    case MDL_DIST: return "distribution";
    case MDL_SHARDS: return "shards";
    case MDL_NAMES: return "list of names";
    case MDL_STRUCT: return "mapping";
    case MDL_LIST: return "list";
    case MDL_DICT: return "mapping of names";
    case MDL_NODE: return "value";
    }
    return "?";
}

static const char *unit_name(mdl_type t)
{
    switch (t) {
    case MDL_PERCENT: return "%";
    case MDL_DURATION: return "ns ... d";
    case MDL_CLOCK: return "HH:MM:SS";
    case MDL_RATE: return "/s, /min, /h";
    case MDL_BANDWIDTH: return "bit/s, B/s";
    case MDL_SIZE: return "B, kB, KiB";
    case MDL_DIST: return "seconds-valued";
    default: return "";
    }
}

static void doc_cell(FILE *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            fputs("\\|", out);
        else if (*p == '\n')
            fputc(' ', out);
        else
            fputc(*p, out);
    }
}

void mdl_schema_doc(FILE *out, const mdl_schema *s, int level)
{
    fprintf(out, "\n%.*s `%s`\n\n", level, "######", s->name);
    if (s->doc)
        fprintf(out, "%s\n\n", s->doc);
    fputs("| key | type | unit | default | meaning | example |\n", out);
    fputs("| --- | --- | --- | --- | --- | --- |\n", out);
    for (const mdl_field *f = s->fields; f->key; f++) {
        fprintf(out, "| `%s` | %s", f->key, type_name(f));
        if (f->type == MDL_ENUM) {
            fputs(" ", out);
            for (int i = 0; f->names[i]; i++)
                fprintf(out, "%s`%s`", i ? ", " : "", f->names[i]);
        }
        if (f->type == MDL_LIST || f->type == MDL_STRUCT)
            fprintf(out, " of `%s`", f->sub->name);
        if (f->type == MDL_DICT)
            fprintf(out, " to %s", unit_name(f->elem)[0] ? unit_name(f->elem) : "values");
        fprintf(out, " | %s | ", unit_name(f->type));
        if (f->flags & MDL_REQUIRED)
            fputs("required", out);
        else if (f->def)
            fprintf(out, "`%s`", f->def);
        else if (f->flags & MDL_OPTIONAL)
            fputs("absent", out);
        else
            fputs("none", out);
        if (f->min < f->max) {
            char lo[64], hi[64];
            cfg_format_real(f->min, lo, sizeof lo);
            cfg_format_real(f->max, hi, sizeof hi);
            fprintf(out, " (range %s to %s%s)", lo, hi,
                    f->type == MDL_DURATION ? " s" : f->type == MDL_PERCENT ? " %" : "");
        }
        fputs(" | ", out);
        doc_cell(out, f->doc);
        fputs(" | ", out);
        if (f->example) {
            fputc('`', out);
            doc_cell(out, f->example);
            fputc('`', out);
        }
        fputs(" |\n", out);
    }
    for (const mdl_field *f = s->fields; f->key; f++)
        if ((f->type == MDL_LIST || f->type == MDL_STRUCT) && f->sub)
            mdl_schema_doc(out, f->sub, level + 1 > 6 ? 6 : level + 1);
}
