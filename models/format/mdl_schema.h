/* mdl_schema.h -- one declaration per file format, used four ways: to load
 * a YAML tree into C structs (typed, range-checked, every unknown key
 * refused with a suggestion, every error located), to fill defaults, to
 * print the normalised file (`dcsim show`), and to write the reference
 * (models/README.md, scenarios/README.md). Keeping all four on one table
 * means the docs, the loader and `show` cannot drift apart.
 *
 * Storage: every struct described by a schema starts with an mdl_head. A
 * field's C type follows its mdl_type (see the table below). Everything a
 * loaded struct points to lives in the load's arena. */
#ifndef MDL_SCHEMA_H
#define MDL_SCHEMA_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg.h"
#include "sim_arena.h"
#include "sim_dist.h"
#include "sim_time.h"

typedef enum mdl_type {
    MDL_NAME,      /* const char *: a name (letters, digits, - _ .; one path component) */
    MDL_TEXT,      /* const char *: free text */
    MDL_INT,       /* int64_t: 42, 1.5k */
    MDL_REAL,      /* double */
    MDL_COUNT,     /* double: 600M */
    MDL_PERCENT,   /* double, in percent: 99.99% */
    MDL_DURATION,  /* sim_time: 250ms */
    MDL_CLOCK,     /* sim_time after midnight: 23:59:30 */
    MDL_RATE,      /* double per second: 544k/s */
    MDL_BANDWIDTH, /* double bits per second: 10Gbit/s */
    MDL_SIZE,      /* double bytes: 2kB */
    MDL_BOOL,      /* int */
    MDL_ENUM,      /* int: index into names */
    MDL_DIST,      /* mdl_dist: a duration distribution */
    MDL_SHARDS,    /* mdl_shards: 00-49 */
    MDL_NAMES,     /* mdl_names: [a, b] */
    MDL_STRUCT,    /* an embedded struct (sub) */
    MDL_LIST,      /* mdl_list of sub structs */
    MDL_DICT,      /* mdl_dict: name -> a scalar of type `elem` */
    MDL_NODE,      /* const cfg_node *: kept as written, checked elsewhere */
} mdl_type;

enum {
    MDL_REQUIRED = 1,   /* must be written */
    MDL_OPTIONAL = 2,   /* a struct that may be absent (head.present = 0) */
    MDL_FIGURE = 4,     /* a figure: shipped files must say where it comes from */
    MDL_FLOW = 8,       /* print on one line: {a: 1, b: 2} */
};

typedef struct mdl_schema mdl_schema;

typedef struct mdl_field {
    const char *key;
    mdl_type type;
    size_t offset;
    unsigned flags;
    const char *def;            /* default, in the file's text form; NULL: zero */
    double min, max;            /* inclusive range in stored units, when min < max */
    const mdl_schema *sub;      /* MDL_STRUCT, MDL_LIST */
    const char *const *names;   /* MDL_ENUM values, NULL-terminated */
    mdl_type elem;              /* MDL_DICT value type */
    const char *doc;            /* what it means */
    const char *example;        /* an example value */
} mdl_field;

struct mdl_schema {
    const char *name;           /* in messages and docs */
    size_t size;                /* sizeof the struct */
    const mdl_field *fields;    /* ended by a field with key NULL */
    const char *doc;
};

/* The first member of every schema'd struct. */
typedef struct mdl_head {
    const cfg_node *src;        /* the mapping it was read from (NULL if none) */
    int present;                /* it was written (optional structs) */
    const char **comments;      /* per field: the comment beside its value */
} mdl_head;

typedef struct mdl_dist {
    sim_dist d;                 /* in seconds */
    int form;                   /* how it was written, to print it back alike */
    double p[2];                /* its written parameters (seconds, or plain) */
} mdl_dist;

typedef struct mdl_shards { int lo, hi; } mdl_shards; /* inclusive, 0..99 */
typedef struct mdl_names { const char **v; size_t n; } mdl_names;
typedef struct mdl_list { void *items; size_t n; } mdl_list;
/* Item i of a list of structs of `type`. */
#define MDL_ITEM(list, type, i) ((const type *)(list).items + (i))
typedef struct mdl_dict {
    const char **keys;
    void *values;               /* n values of the element type's C type */
    const char **comments;
    const cfg_node **nodes;     /* where each key was written */
    size_t n;
} mdl_dict;

#define MDL_MAX_ERRORS 20

/* The errors of one load, in the order found, and what comments said. */
typedef struct mdl_assumption {
    const char *file;
    int line;
    const char *key;            /* path, e.g. datacenters[0].power.ups */
    const char *value;          /* as written */
    const char *reason;         /* the comment after "assumed:" */
} mdl_assumption;

typedef struct mdl_load {
    sim_arena *arena;
    const char *file;           /* for messages */
    cfg_error errors[MDL_MAX_ERRORS];
    int n_errors;               /* kept (at most MDL_MAX_ERRORS) */
    int total_errors;           /* found */
    mdl_assumption *assumptions;
    size_t n_assumptions, cap_assumptions;
    int oom;
    int other_stages;           /* a scenario loaded with a stage of the command line's in place of its
                                 * own: verdicts and overrides may name stages it does not run */
} mdl_load;

/* Records an error at node n (or the file's start), key path `key`. */
void mdl_error(mdl_load *ld, const cfg_node *n, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fills the struct at `out` (sub->size bytes, zeroed) from map `n`, with
 * defaults for what is missing; `path` names it in messages ("" at the
 * top). Errors go to ld; returns the number of new errors. */
int mdl_schema_load(mdl_load *ld, const mdl_schema *s, const cfg_node *n, const char *path,
                    void *out);
/* Defaults only, as if loaded from an empty mapping. */
void mdl_schema_defaults(mdl_load *ld, const mdl_schema *s, void *out);

/* Loads one field's value from node n into dst (the field's C storage). */
int mdl_field_load(mdl_load *ld, const mdl_field *f, const cfg_node *n, const char *path,
                   void *dst);

/* Parses one scalar of type t into `out` (the field's C type). Returns 0,
 * or SIM_EINPUT with *why. names is for MDL_ENUM. */
int mdl_parse_scalar(sim_arena *a, mdl_type t, const char *const *names, const char *text,
                     void *out, const char **why);
/* The canonical text of a scalar value (arena). */
const char *mdl_format_scalar(sim_arena *a, mdl_type t, const char *const *names,
                              const void *value);

/* A hook that prints a field itself (returns 1) or leaves it (returns 0):
 * used for fields that stand for other files (a stage's geography). */
typedef int mdl_print_hook(FILE *out, const mdl_field *f, const void *field_ptr, int indent,
                           void *context);

/* Prints the struct as YAML at `indent` spaces: every field, defaults
 * included, values canonical, comments kept. */
void mdl_schema_print(FILE *out, const mdl_schema *s, const void *value, int indent);
void mdl_schema_print_hooked(FILE *out, const mdl_schema *s, const void *value, int indent,
                             mdl_print_hook *hook, void *context);
/* Prints the struct as one item of a block list ("- " at indent). */
void mdl_schema_print_item(FILE *out, const mdl_schema *s, const void *value, int indent,
                           mdl_print_hook *hook, void *context);
/* Prints a raw YAML node on one line (flow style). */
void mdl_print_node(FILE *out, const cfg_node *n);
/* The same, as text kept in arena a (NULL when out of memory). */
const char *mdl_node_text(sim_arena *a, const cfg_node *n);
/* Prints one field's value inline (for flow lists). */
void mdl_print_value(FILE *out, const mdl_field *f, const void *field_ptr);

/* Writes the reference of a schema and the schemas under it as Markdown. */
void mdl_schema_doc(FILE *out, const mdl_schema *s, int level);

/* The bytes one value of type t takes in a struct (a dict's element size). */
size_t mdl_type_size(mdl_type t);

/* The field of s named key, or NULL. */
const mdl_field *mdl_schema_field(const mdl_schema *s, const char *key);

/* Looks a name up in a NULL-terminated list; -1 if absent. */
int mdl_enum_index(const char *const *names, const char *name);
/* "known: a, b, c" into buf, for messages. */
void mdl_known_list(char *buf, size_t size, const char *const *names, size_t n);
/* The closest of n names to `word` within a small edit distance, or NULL. */
const char *mdl_did_you_mean(const char *word, const char *const *names, size_t n);

#endif /* MDL_SCHEMA_H */
