/* mdl_schema.c -- the schema engine's shared pieces: errors at their
 * place, name lookups with "did you mean", and scalars (names, shards and
 * every typed value) parsed and formatted. Loading, printing and the
 * reference are in mdl_schema_load.c, mdl_schema_print.c and
 * mdl_schema_doc.c, distributions in mdl_dist.c. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_value.h"
#include "mdl_schema_int.h"
#include "sim_alloc.h"
#include "sim_escape.h"
#include "sim_status.h"

/* ==== Errors and small helpers ==== */

void mdl_error(mdl_load *ld, const cfg_node *n, const char *key, const char *fmt, ...)
{
    ld->total_errors++;
    if (ld->n_errors >= MDL_MAX_ERRORS)
        return;
    cfg_error *e = &ld->errors[ld->n_errors];
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cfg_error_at(e, ld->file, n, key, "%s", msg);
    /* One mistake met twice (a setting reaching two stages, a stage file
     * two stages share) is told once. */
    for (int i = 0; i < ld->n_errors; i++)
        if (ld->errors[i].line == e->line && ld->errors[i].col == e->col && !strcmp(ld->errors[i].file, e->file) &&
            !strcmp(ld->errors[i].key, e->key) && !strcmp(ld->errors[i].msg, e->msg)) {
            ld->total_errors--;
            return;
        }
    ld->n_errors++;
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

int mdl__parse_name(sim_arena *a, const char *text, const char **out, const char **why)
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
    if (text[0] == '.') { /* ".", "..", and hidden folders of dcsim's own */
        *why = "a name cannot start with .";
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
    case MDL_NAME: return mdl__parse_name(a, text, (const char **)out, why);
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
