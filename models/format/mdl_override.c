/* mdl_override.c -- a scenario's overrides: a stage value set by its key
 * path, checked like any value of that key. */
#include "mdl_override.h"

#include <stdlib.h>
#include <string.h>

/* The item of a list named by `seg`: by its name (or first field), or by
 * [index]. */
static void *list_item(const mdl_field *f, const mdl_list *list, const char *seg, sim_arena *a)
{
    if (seg[0] == '[') {
        char *end;
        long i = strtol(seg + 1, &end, 10);
        if (*end == ']' && !end[1] && i >= 0 && (size_t)i < list->n)
            return (char *)list->items + (size_t)i * f->sub->size;
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

/* Sets the stage value at the override's key path: sections by key, list
 * items by name (or first field, or [index]), dict entries by key. The new
 * value is checked like any value of that key. */
void mdl_override_apply(mdl_load *ld, stage *s, const scn_override *o, const char *path)
{
    sim_arena *a = ld->arena;
    const cfg_node *key_node = o->head.src ? cfg_map_get(o->head.src, "key") : NULL;
    const char *key_path = sim_arena_printf(a, "%s.key", path);
    const char *value_path = sim_arena_printf(a, "%s.value", path);
    char *copy = sim_arena_strdup(a, o->key);
    if (!copy || !key_path || !value_path) {
        ld->oom = 1;
        return;
    }
    char *segs[32];
    size_t n = 0;
    for (char *p = copy; n < 32;) {
        segs[n++] = p;
        char *dot = strchr(p, '.');
        if (!dot)
            break;
        *dot = '\0';
        p = dot + 1;
    }
    const mdl_schema *schema = &mdl_stage_schema;
    void *obj = s;
    size_t i = 0;
    while (i < n) {
        const mdl_field *f = mdl_schema_field(schema, segs[i]);
        if (!f) {
            const char *keys[96];
            size_t nk = 0;
            for (const mdl_field *sf = schema->fields; sf->key && nk < 96; sf++)
                keys[nk++] = sf->key;
            const char *guess = mdl_did_you_mean(segs[i], keys, nk);
            if (guess)
                mdl_error(ld, key_node, key_path, "no key \"%s\" in %s (did you mean \"%s\"?)", segs[i], schema->name, guess);
            else
                mdl_error(ld, key_node, key_path, "no key \"%s\" in %s", segs[i], schema->name);
            return;
        }
        void *fp = (char *)obj + f->offset;
        if (++i == n) {
            mdl_field_load(ld, f, o->value, value_path, fp);
            return;
        }
        if (f->type == MDL_STRUCT) {
            schema = f->sub;
            obj = fp;
        } else if (f->type == MDL_LIST) {
            void *item = list_item(f, fp, segs[i], a);
            if (!item) {
                mdl_error(ld, key_node, key_path, "no item \"%s\" in %s", segs[i], f->key);
                return;
            }
            if (++i == n) {
                memset(item, 0, f->sub->size);
                mdl_schema_load(ld, f->sub, o->value, value_path, item);
                return;
            }
            schema = f->sub;
            obj = item;
        } else if (f->type == MDL_DICT) {
            if (i + 1 != n) {
                mdl_error(ld, key_node, key_path, "%s.%s is a value, not a section", f->key, segs[i]);
                return;
            }
            long k = dict_slot(a, fp, f->elem, segs[i], key_node);
            if (k < 0) {
                ld->oom = 1;
                return;
            }
            mdl_field elem = *f;
            elem.type = f->elem;
            mdl_dict *d = fp;
            mdl_field_load(ld, &elem, o->value, value_path,
                           (char *)d->values + (size_t)k * mdl_type_size(f->elem));
            return;
        } else {
            mdl_error(ld, key_node, key_path, "%s is a value, not a section", f->key);
            return;
        }
    }
}

