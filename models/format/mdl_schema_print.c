/* mdl_schema_print.c -- schema'd structs back to YAML (`dcsim show`):
 * every field, defaults included, values canonical, comments kept, text
 * quoted and escaped where YAML would not read it back raw. */
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

static void print_indent(FILE *out, int indent)
{
    for (int i = 0; i < indent; i++)
        fputc(' ', out);
}

/* Characters YAML will not read back raw: DEL, the C1 controls (NEL is a
 * line break), the line and paragraph separators, the byte-order mark and
 * the non-characters. Written escaped in double quotes. */
static int needs_escape(uint32_t c)
{
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
           c == 0xFFFE || c == 0xFFFF;
}

/* Quotes text when YAML would read it as something else. */
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
    case MDL_DIST: mdl__dist_print(out, v); break;
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

const char *mdl_node_text(sim_arena *a, const cfg_node *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    mdl_print_node(f, n);
    fclose(f);
    const char *kept = buf ? sim_arena_strdup(a, buf) : NULL;
    free(buf);
    return kept;
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
