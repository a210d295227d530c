/* cfg_load.c -- libyaml's event stream into a cfg tree, within limits. */
#include "cfg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "sim_alloc.h"
#include "sim_file.h"
#include "sim_status.h"

const cfg_limits cfg_default_limits = {
    .max_bytes = 8u << 20,
    .max_depth = 64,
    .max_scalar = 64u << 10,
    .max_nodes = 1u << 20,
    .max_expanded = 4u << 20,
};

/* ==== Errors ==== */

void cfg_error_at(cfg_error *err, const char *file, const cfg_node *n, const char *key,
                  const char *fmt, ...)
{
    snprintf(err->file, sizeof err->file, "%s", file);
    err->line = n ? n->line : 1;
    err->col = n ? n->col : 1;
    snprintf(err->key, sizeof err->key, "%s", key ? key : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

static void error_at_mark(cfg_error *err, const char *file, size_t line0, size_t col0,
                          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void error_at_mark(cfg_error *err, const char *file, size_t line0, size_t col0,
                          const char *fmt, ...)
{
    snprintf(err->file, sizeof err->file, "%s", file);
    err->line = (int)line0 + 1; /* libyaml marks are 0-based */
    err->col = (int)col0 + 1;
    err->key[0] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void cfg_error_format(const cfg_error *err, char *buf, size_t size)
{
    if (err->key[0])
        snprintf(buf, size, "%s:%d:%d: error: %s: %s", err->file, err->line, err->col, err->key,
                 err->msg);
    else
        snprintf(buf, size, "%s:%d:%d: error: %s", err->file, err->line, err->col, err->msg);
}

const char *cfg_kind_name(cfg_kind kind)
{
    return kind == CFG_MAP ? "mapping" : kind == CFG_SEQ ? "sequence" : "scalar";
}

/* ==== Building ==== */

/* A map or sequence being built: its children gather on a growable list
 * and move into the arena when it closes. */
typedef struct frame {
    cfg_node *node;
    cfg_node **kids;         /* keys and values alternate for a map */
    size_t n, cap;
    char *anchor;            /* its anchor, registered when it closes */
} frame;

typedef struct anchor_entry {
    char *name;
    cfg_node *node;
} anchor_entry;

typedef struct builder {
    cfg_doc *doc;
    const cfg_limits *lim;
    cfg_error *err;
    frame *stack;
    int depth, stack_cap;
    anchor_entry *anchors;
    size_t n_anchors, anchors_cap;
    size_t nodes;
    cfg_node *root;
} builder;

static int fail(builder *b, int status, size_t line0, size_t col0, const char *msg)
{
    error_at_mark(b->err, b->doc->path, line0, col0, "%s", msg);
    return status;
}

static cfg_node *new_node(builder *b, cfg_kind kind, const yaml_mark_t *mark)
{
    if (++b->nodes > b->lim->max_nodes)
        return NULL;
    cfg_node *n = sim_arena_alloc(&b->doc->arena, sizeof *n);
    if (n) {
        n->kind = kind;
        n->line = (int)mark->line + 1;
        n->col = (int)mark->column + 1;
        n->weight = 1;
    }
    return n;
}

static cfg_node *find_anchor(builder *b, const char *name)
{
    for (size_t i = b->n_anchors; i-- > 0;) /* the latest definition wins */
        if (strcmp(b->anchors[i].name, name) == 0)
            return b->anchors[i].node;
    return NULL;
}

static int add_anchor(builder *b, const char *name, cfg_node *node)
{
    if (sim_grow((void **)&b->anchors, &b->anchors_cap, b->n_anchors + 1, sizeof *b->anchors))
        return SIM_ENOMEM;
    char *copy = sim_arena_strdup(&b->doc->arena, name);
    if (!copy)
        return SIM_ENOMEM;
    b->anchors[b->n_anchors].name = copy;
    b->anchors[b->n_anchors++].node = node;
    return SIM_OK;
}

/* Adds a finished node to the open parent (or makes it the root). */
static int attach(builder *b, cfg_node *node, const yaml_mark_t *mark)
{
    if (b->depth == 0) {
        b->root = node;
        return SIM_OK;
    }
    frame *f = &b->stack[b->depth - 1];
    uint64_t total = f->node->weight + node->weight;
    if (total < f->node->weight || total > b->lim->max_expanded)
        return fail(b, SIM_ELIMIT, mark->line, mark->column,
                    "the document is too large once its aliases are expanded");
    f->node->weight = total;
    if (sim_grow((void **)&f->kids, &f->cap, f->n + 1, sizeof *f->kids))
        return SIM_ENOMEM;
    f->kids[f->n++] = node;
    return SIM_OK;
}

static int open_frame(builder *b, cfg_node *node, const yaml_char_t *anchor, const yaml_mark_t *m)
{
    if (b->depth >= b->lim->max_depth)
        return fail(b, SIM_ELIMIT, m->line, m->column, "nesting too deep");
    if (b->depth == b->stack_cap) {
        size_t cap = (size_t)b->stack_cap;
        if (sim_grow((void **)&b->stack, &cap, cap + 1, sizeof *b->stack))
            return SIM_ENOMEM;
        b->stack_cap = (int)cap;
    }
    frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = node;
    if (anchor && !(f->anchor = sim_arena_strdup(&b->doc->arena, (const char *)anchor)))
        return SIM_ENOMEM;
    return SIM_OK;
}

static int has_key(const cfg_node **keys, size_t n, const char *k)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i]->text, k) == 0)
            return 1;
    return 0;
}

/* Closes the innermost map: checks keys, applies merge keys (<<), moves
 * the pairs into the arena. */
static int close_map(builder *b, frame *f)
{
    sim_arena *a = &b->doc->arena;
    cfg_node *map = f->node;
    size_t pairs = f->n / 2, extra = 0;
    /* Room for the merged pairs: count them generously first. */
    for (size_t i = 0; i < pairs; i++) {
        const cfg_node *k = f->kids[2 * i], *v = f->kids[2 * i + 1];
        if (strcmp(k->text, "<<") == 0 && k->plain) {
            if (v->kind == CFG_MAP)
                extra += v->n;
            else if (v->kind == CFG_SEQ)
                for (size_t j = 0; j < v->n; j++)
                    extra += v->items[j]->kind == CFG_MAP ? v->items[j]->n : 0;
        }
    }
    map->keys = sim_arena_alloc(a, (pairs + extra + 1) * sizeof *map->keys);
    map->items = sim_arena_alloc(a, (pairs + extra + 1) * sizeof *map->items);
    if (!map->keys || !map->items)
        return SIM_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < pairs; i++) {
        cfg_node *k = f->kids[2 * i], *v = f->kids[2 * i + 1];
        if (strcmp(k->text, "<<") == 0 && k->plain)
            continue;
        if (has_key((const cfg_node **)map->keys, n, k->text)) {
            cfg_error_at(b->err, b->doc->path, k, k->text, "duplicate key");
            return SIM_EINPUT;
        }
        map->keys[n] = k;
        map->items[n++] = v;
    }
    /* Merge keys: keys written here win, then earlier merged maps win. */
    for (size_t i = 0; i < pairs; i++) {
        cfg_node *k = f->kids[2 * i], *v = f->kids[2 * i + 1];
        if (strcmp(k->text, "<<") != 0 || !k->plain)
            continue;
        size_t sources = v->kind == CFG_SEQ ? v->n : 1;
        for (size_t s = 0; s < sources; s++) {
            const cfg_node *src = v->kind == CFG_SEQ ? v->items[s] : v;
            if (src->kind != CFG_MAP) {
                cfg_error_at(b->err, b->doc->path, src, "<<",
                             "a merge key takes a mapping or a list of mappings");
                return SIM_EINPUT;
            }
            for (size_t j = 0; j < src->n; j++) {
                if (has_key((const cfg_node **)map->keys, n, src->keys[j]->text))
                    continue;
                map->keys[n] = src->keys[j];
                map->items[n++] = src->items[j];
            }
        }
    }
    map->n = n;
    return SIM_OK;
}

static int close_seq(builder *b, frame *f)
{
    cfg_node *seq = f->node;
    seq->items = sim_arena_alloc(&b->doc->arena, (f->n + 1) * sizeof *seq->items);
    if (!seq->items)
        return SIM_ENOMEM;
    if (f->n)
        memcpy(seq->items, f->kids, f->n * sizeof *f->kids);
    seq->n = f->n;
    return SIM_OK;
}

static int on_event(builder *b, const yaml_event_t *ev, int *documents)
{
    const yaml_mark_t *m = &ev->start_mark;
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++*documents > 1)
            return fail(b, SIM_EINPUT, m->line, m->column, "one document per file");
        return SIM_OK;
    case YAML_SCALAR_EVENT: {
        if (ev->data.scalar.length > b->lim->max_scalar)
            return fail(b, SIM_ELIMIT, m->line, m->column, "value too long");
        /* A key must be a scalar, and a map's keys sit at even positions. */
        cfg_node *n = new_node(b, CFG_SCALAR, m);
        if (!n)
            return b->nodes > b->lim->max_nodes
                       ? fail(b, SIM_ELIMIT, m->line, m->column, "too many values in one file")
                       : SIM_ENOMEM;
        n->text = sim_arena_strndup(&b->doc->arena, (const char *)ev->data.scalar.value,
                                    ev->data.scalar.length);
        if (!n->text)
            return SIM_ENOMEM;
        if (strlen(n->text) != ev->data.scalar.length)
            return fail(b, SIM_EINPUT, m->line, m->column, "a value contains a NUL character");
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (ev->data.scalar.anchor) {
            int rc = add_anchor(b, (const char *)ev->data.scalar.anchor, n);
            if (rc)
                return rc;
        }
        return attach(b, n, m);
    }
    case YAML_ALIAS_EVENT: {
        cfg_node *target = find_anchor(b, (const char *)ev->data.alias.anchor);
        if (!target)
            return fail(b, SIM_EINPUT, m->line, m->column, "alias to an unknown anchor");
        if (b->depth > 0 && b->stack[b->depth - 1].node->kind == CFG_MAP &&
            b->stack[b->depth - 1].n % 2 == 0 && target->kind != CFG_SCALAR)
            return fail(b, SIM_EINPUT, m->line, m->column, "keys must be plain names");
        return attach(b, target, m);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        if (b->depth > 0 && b->stack[b->depth - 1].node->kind == CFG_MAP &&
            b->stack[b->depth - 1].n % 2 == 0)
            return fail(b, SIM_EINPUT, m->line, m->column, "keys must be plain names");
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        cfg_node *n = new_node(b, is_map ? CFG_MAP : CFG_SEQ, m);
        if (!n)
            return b->nodes > b->lim->max_nodes
                       ? fail(b, SIM_ELIMIT, m->line, m->column, "too many values in one file")
                       : SIM_ENOMEM;
        const yaml_char_t *anchor =
            is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
        return open_frame(b, n, anchor, m);
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        frame *f = &b->stack[b->depth - 1];
        int rc = f->node->kind == CFG_MAP ? close_map(b, f) : close_seq(b, f);
        sim_free(f->kids);
        f->kids = NULL;
        if (rc)
            return rc;
        cfg_node *node = f->node;
        if (f->anchor && (rc = add_anchor(b, f->anchor, node)))
            return rc;
        b->depth--;
        return attach(b, node, m);
    }
    default:
        return SIM_OK;
    }
}

/* ==== Comments ==== */

/* Finds the comment of each line: a '#' at the start of a line or after a
 * space, outside quotes. Good for every file dcsim ships; in an unusual
 * file a missed comment only leaves an assumption unlisted. */
static int attach_comments(cfg_doc *doc, const char *text, size_t len);

/* ==== Loading ==== */

int cfg_load_string(const char *name, const char *text, size_t len, const cfg_limits *lim,
                    cfg_doc **out, cfg_error *err)
{
    *out = NULL;
    if (!lim)
        lim = &cfg_default_limits;
    memset(err, 0, sizeof *err);
    cfg_doc *doc = sim_calloc(1, sizeof *doc);
    if (!doc)
        return SIM_ENOMEM;
    sim_arena_init(&doc->arena, 0);
    doc->path = sim_arena_strdup(&doc->arena, name);
    if (!doc->path) {
        cfg_doc_free(doc);
        return SIM_ENOMEM;
    }
    if (len > lim->max_bytes) {
        error_at_mark(err, name, 0, 0, "file too large (%zu bytes, at most %zu)", len,
                      lim->max_bytes);
        cfg_doc_free(doc);
        return SIM_ELIMIT;
    }
    builder b = {.doc = doc, .lim = lim, .err = err};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        cfg_doc_free(doc);
        return SIM_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int rc = SIM_OK, documents = 0, done = 0;
    while (!done && rc == SIM_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            if (parser.error == YAML_MEMORY_ERROR) {
                rc = SIM_ENOMEM;
            } else if (parser.error == YAML_READER_ERROR) {
                /* The reader marks a bad character by its byte offset (its
                 * line and column are not set): count them here. */
                size_t line = 0, col = 0;
                for (size_t i = 0; i < parser.problem_offset && i < len; i++) {
                    if (text[i] == '\n') {
                        line++;
                        col = 0;
                    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                        col++; /* characters, not bytes */
                    }
                }
                error_at_mark(err, name, line, col, "%s", parser.problem ? parser.problem : "invalid character");
                rc = SIM_EINPUT;
            } else {
                const char *problem = parser.problem ? parser.problem : "invalid YAML";
                if (parser.context)
                    error_at_mark(err, name, parser.problem_mark.line, parser.problem_mark.column,
                                  "%s %s", parser.context, problem);
                else
                    error_at_mark(err, name, parser.problem_mark.line, parser.problem_mark.column,
                                  "%s", problem);
                rc = SIM_EINPUT;
            }
            break;
        }
        done = ev.type == YAML_STREAM_END_EVENT;
        rc = on_event(&b, &ev, &documents);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    for (int i = 0; i < b.depth; i++)
        sim_free(b.stack[i].kids);
    sim_free(b.stack);
    sim_free(b.anchors);
    if (rc == SIM_OK) {
        doc->root = b.root;
        rc = attach_comments(doc, text, len);
    }
    if (rc != SIM_OK) {
        cfg_doc_free(doc);
        return rc;
    }
    *out = doc;
    return SIM_OK;
}

int cfg_load_file(const char *path, const cfg_limits *lim, cfg_doc **out, cfg_error *err)
{
    *out = NULL;
    memset(err, 0, sizeof *err);
    if (!lim)
        lim = &cfg_default_limits;
    /* Only regular files: a FIFO or a device would hang or never end. */
    FILE *f = sim_open_regular(path);
    if (!f) {
        error_at_mark(err, path, 0, 0, "cannot open: %s", sim_open_error(errno));
        return SIM_EIO;
    }
    /* Read at most one byte past the limit: enough to know it is over. */
    size_t cap = 64 * 1024, len = 0;
    char *text = sim_malloc(cap);
    int rc = text ? SIM_OK : SIM_ENOMEM;
    while (rc == SIM_OK) {
        if (len == cap) {
            if (cap > lim->max_bytes) {
                error_at_mark(err, path, 0, 0, "file too large (at most %zu bytes)", lim->max_bytes);
                rc = SIM_ELIMIT;
                break;
            }
            char *grown = sim_realloc(text, cap * 2);
            if (!grown) {
                rc = SIM_ENOMEM;
                break;
            }
            text = grown;
            cap *= 2;
        }
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                error_at_mark(err, path, 0, 0, "cannot read: %s", strerror(errno));
                rc = SIM_EIO;
            }
            break;
        }
    }
    fclose(f);
    if (rc == SIM_OK)
        rc = cfg_load_string(path, text, len, lim, out, err);
    sim_free(text);
    return rc;
}

void cfg_doc_free(cfg_doc *doc)
{
    if (!doc)
        return;
    sim_arena_fini(&doc->arena);
    sim_free(doc);
}

const cfg_node *cfg_map_get(const cfg_node *map, const char *key)
{
    if (!map || map->kind != CFG_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->text, key) == 0)
            return map->items[i];
    return NULL;
}

/* ==== Comments (definition) ==== */

/* The length of the line break at text[i], or 0. */
static size_t line_break(const char *text, size_t len, size_t i)
{
    unsigned char c = (unsigned char)text[i];
    if (c == '\n')
        return 1;
    if (c == '\r')
        return i + 1 < len && text[i + 1] == '\n' ? 2 : 1;
    if (c == 0xc2 && i + 1 < len && (unsigned char)text[i + 1] == 0x85)
        return 2; /* NEL */
    if (c == 0xe2 && i + 2 < len && (unsigned char)text[i + 1] == 0x80 &&
        ((unsigned char)text[i + 2] == 0xa8 || (unsigned char)text[i + 2] == 0xa9))
        return 3; /* LS, PS */
    return 0;
}

static void set_comments(cfg_node *n, const char **line_comment, const char **above, int lines,
                         uint64_t *budget)
{
    /* Shared (aliased) nodes are visited once per reference; the budget
     * was checked against max_expanded while building. */
    if (*budget == 0)
        return;
    (*budget)--;
    if (n->line >= 1 && n->line <= lines && !n->comment) {
        n->comment = line_comment[n->line];
        if (!n->comment && n->kind == CFG_SCALAR)
            n->comment = above[n->line];
    }
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            set_comments(n->keys[i], line_comment, above, lines, budget);
        set_comments(n->items[i], line_comment, above, lines, budget);
    }
}

static int attach_comments(cfg_doc *doc, const char *text, size_t len)
{
    if (!doc->root)
        return SIM_OK;
    /* Lines end where libyaml ends them: \n, \r\n, a lone \r, and the
     * Unicode breaks NEL, LS and PS, so line numbers agree with its marks. */
    int lines = 1;
    for (size_t i = 0; i < len;) {
        size_t b = line_break(text, len, i);
        lines += b > 0;
        i += b ? b : 1;
    }
    const char **line_comment = sim_arena_alloc(&doc->arena, (size_t)(lines + 2) * sizeof(char *));
    const char **above = sim_arena_alloc(&doc->arena, (size_t)(lines + 2) * sizeof(char *));
    if (!line_comment || !above)
        return SIM_ENOMEM;
    int line = 1;
    const char *prev_own = NULL; /* a comment that had a line to itself */
    size_t i = 0;
    while (i <= len) {
        size_t start = i;
        while (i < len && !line_break(text, len, i))
            i++;
        char quote = 0;
        int only_space = 1;
        const char *comment = NULL;
        for (size_t j = start; j < i; j++) {
            char c = text[j];
            if (quote) {
                if (c == quote)
                    quote = 0;
                continue;
            }
            if (c == '#' && (j == start || text[j - 1] == ' ' || text[j - 1] == '\t')) {
                size_t from = j + 1;
                while (from < i && (text[from] == ' ' || text[from] == '#'))
                    from++;
                size_t to = i;
                while (to > from && text[to - 1] == ' ')
                    to--;
                char *copy = sim_arena_strndup(&doc->arena, text + from, to - from);
                if (!copy)
                    return SIM_ENOMEM;
                for (char *p = copy; *p; p++) /* no control characters in a comment */
                    if ((unsigned char)*p < 0x20)
                        *p = ' ';
                comment = copy;
                break;
            }
            if (c == '"' || c == '\'')
                quote = only_space || text[j - 1] == ' ' || text[j - 1] == '[' ||
                                text[j - 1] == '{' || text[j - 1] == ','
                            ? c
                            : 0;
            if (c != ' ' && c != '\t' && c != '-')
                only_space = 0;
        }
        if (line <= lines) {
            line_comment[line] = only_space ? NULL : comment;
            above[line] = prev_own;
        }
        /* A comment line of its own annotates the value under it only when
         * it says where a figure comes from; prose above a section does not. */
        prev_own = only_space && comment &&
                           (!strncmp(comment, "source:", 7) || !strncmp(comment, "assumed:", 8) ||
                            !strncmp(comment, "derived:", 8))
                       ? comment
                       : NULL;
        line++;
        if (i >= len)
            break;
        i += line_break(text, len, i);
    }
    uint64_t budget = doc->root->weight * 2 + 16;
    set_comments(doc->root, line_comment, above, lines, &budget);
    return SIM_OK;
}
