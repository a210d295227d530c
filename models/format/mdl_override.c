/* mdl_override.c -- a scenario's overrides, a variant's settings and a
 * sweep's parameters: a value of the geography, the stage or the scenario
 * set by its key path, checked like any value of that key. */
#include "mdl_override.h"

#include <stdlib.h>
#include <string.h>

/* The item of a list named by `seg`: by its name (or first field), or by
 * [index], or by [name]. */
static void *list_item(const mdl_field *f, const mdl_list *list, const char *seg, sim_arena *a)
{
    if (seg[0] == '[') {
        char *end;
        long i = strtol(seg + 1, &end, 10);
        if (end != seg + 1 && *end == ']' && !end[1])
            return i >= 0 && (size_t)i < list->n ? (char *)list->items + (size_t)i * f->sub->size : NULL;
        size_t len = strlen(seg);
        if (len < 3 || seg[len - 1] != ']')
            return NULL;
        seg = sim_arena_strndup(a, seg + 1, len - 2);
        if (!seg)
            return NULL;
    }
    const mdl_field *key_field = mdl_schema_field(f->sub, "name");
    if (!key_field)
        key_field = &f->sub->fields[0];
    for (size_t i = 0; i < list->n; i++) {
        void *item = (char *)list->items + i * f->sub->size;
        const void *v = (const char *)item + key_field->offset;
        const char *text = key_field->type == MDL_NAME ? *(const char *const *)v
                           : key_field->type == MDL_SHARDS || key_field->type == MDL_ENUM ||
                                   key_field->type == MDL_INT
                               ? mdl_format_scalar(a, key_field->type, key_field->names, v)
                               : NULL;
        if (text && text[0] == '"') { /* a single shard prints quoted */
            size_t len = strlen(text);
            text = sim_arena_strndup(a, text + 1, len >= 2 ? len - 2 : 0);
        }
        if (text && strcmp(text, seg) == 0)
            return item;
    }
    return NULL;
}

/* "no item": with the names the list has, or its length. */
static void no_item(mdl_load *ld, const mdl_field *f, const mdl_list *list, const char *seg,
                    const cfg_node *key_node, const char *key_path)
{
    const mdl_field *key_field = mdl_schema_field(f->sub, "name");
    size_t len = strlen(seg);
    const char *bare = seg[0] == '[' && len >= 2 ? sim_arena_strndup(ld->arena, seg + 1, len - 2) : seg;
    if (!key_field || key_field->type != MDL_NAME || !bare) {
        mdl_error(ld, key_node, key_path, "no item %s in %s (it has %zu; [0] is the first)", seg, f->key, list->n);
        return;
    }
    const char *names[256];
    size_t n = 0;
    for (size_t i = 0; i < list->n && n < 256; i++)
        names[n++] = *(const char *const *)((const char *)list->items + i * f->sub->size + key_field->offset);
    const char *guess = mdl_did_you_mean(bare, names, n);
    char known[512];
    mdl_known_list(known, sizeof known, names, n);
    if (guess)
        mdl_error(ld, key_node, key_path, "no item \"%s\" in %s (did you mean \"%s\"?)", bare, f->key, guess);
    else
        mdl_error(ld, key_node, key_path, "no item \"%s\" in %s (%s)", bare, f->key, known);
}

/* Finds or adds `key` in a dict; returns its index, or -1 when out of memory. */
static long dict_slot(sim_arena *a, mdl_dict *d, mdl_type elem, const char *key,
                      const cfg_node *where)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->keys[i], key) == 0)
            return (long)i;
    size_t es = mdl_type_size(elem);
    const char **keys = sim_arena_alloc(a, (d->n + 1) * sizeof *keys);
    void *values = sim_arena_alloc(a, (d->n + 1) * es);
    const char **comments = sim_arena_alloc(a, (d->n + 1) * sizeof *comments);
    const cfg_node **nodes = sim_arena_alloc(a, (d->n + 1) * sizeof *nodes);
    if (!keys || !values || !comments || !nodes)
        return -1;
    if (d->n) {
        memcpy(keys, d->keys, d->n * sizeof *keys);
        memcpy(values, d->values, d->n * es);
        memcpy(comments, d->comments, d->n * sizeof *comments);
        memcpy(nodes, d->nodes, d->n * sizeof *nodes);
    }
    keys[d->n] = sim_arena_strdup(a, key);
    nodes[d->n] = where;
    d->keys = keys;
    d->values = values;
    d->comments = comments;
    d->nodes = nodes;
    return (long)d->n++;
}

/* Splits a key path into its segments: dots separate them, and
 * `name[sel]` is two ("name", "[sel]"); a dot inside brackets is part of
 * the selector. Returns the count (0: malformed). */
static size_t split_path(sim_arena *a, const char *key, char **segs, size_t max)
{
    char *copy = sim_arena_strdup(a, key);
    if (!copy)
        return 0;
    size_t n = 0;
    char *p = copy;
    while (*p && n < max) {
        if (*p == '[') {
            char *close = strchr(p, ']');
            if (!close)
                return 0;
            char *next = close + 1;
            if (*next && *next != '.' && *next != '[')
                return 0;
            segs[n++] = sim_arena_strndup(a, p, (size_t)(next - p));
            p = *next == '.' ? next + 1 : next;
            if (*next == '.' && !*p)
                return 0;
            continue;
        }
        size_t len = strcspn(p, ".[");
        if (len == 0)
            return 0;
        segs[n++] = sim_arena_strndup(a, p, len);
        p += len;
        if (*p == '.') {
            p++;
            if (!*p || *p == '[' || *p == '.')
                return 0;
        }
    }
    if (*p)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!segs[i])
            return 0;
    return n;
}

static size_t schema_keys(const mdl_schema *s, const char **keys, size_t n, size_t max)
{
    for (const mdl_field *f = s->fields; f->key && n < max; f++)
        keys[n++] = f->key;
    return n;
}

/* Scenario keys a setting may not change: they decide what is loaded. */
static int fixed_scenario_key(const char *key)
{
    static const char *const fixed[] = {"dcsim", "kind", "stages", "overrides", "variants", NULL};
    for (size_t i = 0; fixed[i]; i++)
        if (strcmp(fixed[i], key) == 0)
            return 1;
    return 0;
}

int mdl_override_root(mdl_load *ld, const char *key, const cfg_node *key_node, const char *key_path)
{
    char *segs[64];
    size_t n = split_path(ld->arena, key ? key : "", segs, 64);
    if (n == 0) {
        mdl_error(ld, key_node, key_path,
                  "\"%s\" is not a key path (keys joined by dots, list items by name or [index]: "
                  "geography.datacenters[HZ-A].power.ups)", key ? key : "");
        return OVR_BAD;
    }
    if (n > 1 && strcmp(segs[0], "geography") == 0)
        return OVR_GEOGRAPHY;
    if (n > 1 && strcmp(segs[0], "stage") == 0)
        return OVR_STAGE;
    if (n > 1 && strcmp(segs[0], "scenario") == 0) {
        if (fixed_scenario_key(segs[1])) {
            mdl_error(ld, key_node, key_path, "the scenario's \"%s\" decides what is loaded; it cannot be overridden",
                      segs[1]);
            return OVR_BAD;
        }
        return OVR_SCENARIO;
    }
    if (strcmp(segs[0], "geography") == 0) {
        mdl_error(ld, key_node, key_path,
                  "set the geography's own keys (geography.datacenters[HZ-A].power.ups), not its path");
        return OVR_BAD;
    }
    if (mdl_schema_field(&mdl_stage_schema, segs[0]))
        return OVR_STAGE;
    if (mdl_schema_field(&mdl_scenario_schema, segs[0])) {
        if (fixed_scenario_key(segs[0])) {
            mdl_error(ld, key_node, key_path, "the scenario's \"%s\" decides what is loaded; it cannot be overridden",
                      segs[0]);
            return OVR_BAD;
        }
        return OVR_SCENARIO;
    }
    const char *keys[160];
    size_t nk = schema_keys(&mdl_stage_schema, keys, 0, 150);
    nk = schema_keys(&mdl_scenario_schema, keys, nk, 150);
    keys[nk++] = "geography";
    keys[nk++] = "stage";
    keys[nk++] = "scenario";
    const char *guess = mdl_did_you_mean(segs[0], keys, nk);
    if (guess)
        mdl_error(ld, key_node, key_path, "no key \"%s\" in the stage or the scenario (did you mean \"%s\"?)", segs[0],
                  guess);
    else
        mdl_error(ld, key_node, key_path,
                  "no key \"%s\" in the stage or the scenario (a path starts with a stage key, a scenario key, "
                  "geography., stage. or scenario.)", segs[0]);
    return OVR_BAD;
}

void mdl_override_apply(mdl_load *ld, const mdl_schema *schema, void *obj, const char *key,
                        const cfg_node *key_node, const cfg_node *value, const char *path)
{
    sim_arena *a = ld->arena;
    const char *key_path = sim_arena_printf(a, "%s.key", path);
    const char *value_path = sim_arena_printf(a, "%s.value", path);
    char *segs[64];
    size_t n = split_path(a, key, segs, 64);
    if (!key_path || !value_path || n == 0) {
        ld->oom |= n != 0;
        return;
    }
    size_t i = 0;
    if (n > 1 && (strcmp(segs[0], "geography") == 0 || strcmp(segs[0], "stage") == 0 ||
                  strcmp(segs[0], "scenario") == 0) && !mdl_schema_field(schema, segs[0]))
        i = 1; /* the root's name */
    while (i < n) {
        const mdl_field *f = mdl_schema_field(schema, segs[i]);
        if (!f) {
            const char *keys[160];
            size_t nk = schema_keys(schema, keys, 0, 160);
            const char *guess = mdl_did_you_mean(segs[i], keys, nk);
            if (guess)
                mdl_error(ld, key_node, key_path, "no key \"%s\" in %s (did you mean \"%s\"?)", segs[i], schema->name, guess);
            else
                mdl_error(ld, key_node, key_path, "no key \"%s\" in %s", segs[i], schema->name);
            return;
        }
        void *fp = (char *)obj + f->offset;
        if (++i == n) {
            mdl_field_load(ld, f, value, value_path, fp);
            /* The comment beside the old value (its source) no longer holds. */
            mdl_head *head = obj;
            if (head->comments)
                head->comments[f - schema->fields] = sim_arena_printf(a, "set by %s", path);
            return;
        }
        if (f->type == MDL_STRUCT) {
            schema = f->sub;
            obj = fp;
        } else if (f->type == MDL_LIST) {
            void *item = list_item(f, fp, segs[i], a);
            if (!item) {
                no_item(ld, f, fp, segs[i], key_node, key_path);
                return;
            }
            if (++i == n) {
                memset(item, 0, f->sub->size);
                mdl_schema_load(ld, f->sub, value, value_path, item);
                return;
            }
            schema = f->sub;
            obj = item;
        } else if (f->type == MDL_DICT) {
            const char *entry = segs[i];
            if (entry[0] == '[') /* [name] */
                entry = sim_arena_strndup(a, entry + 1, strlen(entry) >= 2 ? strlen(entry) - 2 : 0);
            if (i + 1 != n) {
                mdl_error(ld, key_node, key_path, "%s.%s is a value, not a section", f->key, entry);
                return;
            }
            long k = entry ? dict_slot(a, fp, f->elem, entry, key_node) : -1;
            if (k < 0) {
                ld->oom = 1;
                return;
            }
            mdl_field elem = *f;
            elem.type = f->elem;
            mdl_dict *d = fp;
            mdl_field_load(ld, &elem, value, value_path,
                           (char *)d->values + (size_t)k * mdl_type_size(f->elem));
            return;
        } else {
            mdl_error(ld, key_node, key_path, "%s is a value, not a section", f->key);
            return;
        }
    }
}
