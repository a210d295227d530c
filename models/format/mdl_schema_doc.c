/* mdl_schema_doc.c -- the reference of a schema as Markdown tables: each
 * key's type, unit, default and range, meaning and example. */
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
