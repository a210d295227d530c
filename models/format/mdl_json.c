/* mdl_json.c -- writing JSON with its punctuation kept in one place. */
#include "mdl_json.h"

#include <math.h>

#include "cfg_value.h"
#include "sim_assert.h"
#include "sim_escape.h"

static void indent(mdl_json *j, int levels) { fprintf(j->f, "%*s", 2 * levels, ""); }

/* What goes before an item: a comma after the first, then a new line
 * (blocks) or a space (one line). A value after its key needs none. */
static void item(mdl_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    int d = j->depth - 1;
    if (j->items[d]++ > 0)
        fputc(',', j->f);
    if (!j->flow[d]) {
        fputc('\n', j->f);
        indent(j, j->depth);
    } else if (j->items[d] > 1) {
        fputc(' ', j->f);
    }
}

static void open_container(mdl_json *j, int flow, int array)
{
    SIM_ASSERT(j->depth < MDL_JSON_DEPTH);
    fputc(array ? '[' : '{', j->f);
    j->items[j->depth] = 0;
    j->flow[j->depth] = (unsigned char)flow;
    j->array[j->depth] = (unsigned char)array;
    j->depth++;
}

void mdl_json_open(mdl_json *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->after_key = 0;
    open_container(j, 0, 0);
}

void mdl_json_close(mdl_json *j)
{
    SIM_ASSERT(j->depth > 0);
    int d = --j->depth;
    /* A block object closes on its own line; an empty block array stays "[]". */
    if (!j->flow[d] && (!j->array[d] || j->items[d] > 0)) {
        fputc('\n', j->f);
        indent(j, d);
    }
    fputc(j->array[d] ? ']' : '}', j->f);
    if (d == 0)
        fputc('\n', j->f);
}

void mdl_json_key(mdl_json *j, const char *key)
{
    item(j);
    sim_escape_json(j->f, key);
    fputs(": ", j->f);
    j->after_key = 1;
}

void mdl_json_object(mdl_json *j, int flow)
{
    item(j);
    open_container(j, flow, 0);
}

void mdl_json_array(mdl_json *j, int flow)
{
    item(j);
    open_container(j, flow, 1);
}

void mdl_json_string(mdl_json *j, const char *s)
{
    item(j);
    sim_escape_json(j->f, s);
}

void mdl_json_number(mdl_json *j, double v)
{
    item(j);
    char buf[64];
    fputs(isfinite(v) ? cfg_format_real(v, buf, sizeof buf) : "null", j->f);
}

void mdl_json_uint(mdl_json *j, uint64_t v)
{
    item(j);
    fprintf(j->f, "%llu", (unsigned long long)v);
}

void mdl_json_bool(mdl_json *j, int b)
{
    item(j);
    fputs(b ? "true" : "false", j->f);
}

void mdl_json_null(mdl_json *j)
{
    item(j);
    fputs("null", j->f);
}

void mdl_json_kv_number(mdl_json *j, const char *key, double v)
{
    mdl_json_key(j, key);
    mdl_json_number(j, v);
}

void mdl_json_kv_string(mdl_json *j, const char *key, const char *s)
{
    mdl_json_key(j, key);
    mdl_json_string(j, s);
}

void mdl_json_kv_uint(mdl_json *j, const char *key, uint64_t v)
{
    mdl_json_key(j, key);
    mdl_json_uint(j, v);
}
