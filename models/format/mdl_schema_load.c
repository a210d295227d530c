/* mdl_schema_load.c -- a YAML tree into schema'd structs: every field
 * typed and range-checked, every unknown key refused with a suggestion,
 * defaults filled, `assumed:` comments collected, every error located. */
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

static const char *join_path(sim_arena *a, const char *path, const char *key)
{
    return path[0] ? sim_arena_printf(a, "%s.%s", path, key) : sim_arena_strdup(a, key);
}

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
        if (sim_time_parse_duration(f->def, &t, &why) == SIM_OK)
            mdl__dist_constant(d, sim_time_to_seconds(t));
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
        if (mdl__parse_name(ld->arena, n->text, &out->v[0], &why)) {
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
        if (item->kind != CFG_SCALAR || mdl__parse_name(ld->arena, item->text, &out->v[i], &why)) {
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
        if (mdl__parse_name(ld->arena, n->keys[i]->text, &out->keys[i], &why)) {
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
        if (mdl__dist_load(ld, n, path, dst))
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
