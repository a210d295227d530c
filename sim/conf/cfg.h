/* cfg.h -- YAML into a tree that remembers where everything came from.
 * The only module that includes <yaml.h>. A loaded document is plain data:
 * maps, sequences and scalars, each with its file, line and column (1-based)
 * and the comment written beside it, so that later checks can point at the
 * exact place and reports can list what a value's comment says of it.
 *
 * Anchors and aliases work (an alias shares the anchored node), and so do
 * merge keys (`<<: *defaults`). Hostile input is refused before it costs
 * much: the file's size, nesting depth, scalar length, node count and the
 * size the document would have with every alias expanded are capped (a
 * "billion laughs" file fails fast). Syntax errors stop at the first. */
#ifndef CFG_H
#define CFG_H
#include <stddef.h>
#include <stdint.h>

#include "sim_arena.h"

typedef enum cfg_kind { CFG_SCALAR, CFG_MAP, CFG_SEQ } cfg_kind;

typedef struct cfg_node cfg_node;
struct cfg_node {
    cfg_kind kind;
    int line, col;           /* where the node starts, 1-based */
    const char *text;        /* a scalar's value (NUL-terminated), else NULL */
    int plain;               /* the scalar was written unquoted */
    size_t n;                /* map: pairs; sequence: items */
    cfg_node **items;        /* sequence items, or map values */
    cfg_node **keys;         /* map keys (scalars), NULL for sequences */
    const char *comment;     /* the comment on the node's line (or, for a
                              * scalar, a source:/assumed:/derived: comment on
                              * the line just above); NULL if none */
    uint64_t weight;         /* nodes in the subtree with aliases expanded */
};

typedef struct cfg_doc {
    const char *path;        /* as given to the loader */
    cfg_node *root;          /* NULL for an empty file */
    sim_arena arena;         /* owns every node and string */
} cfg_doc;

/* A located message: file:line:col: error: key: msg. */
typedef struct cfg_error {
    char file[256];
    int line, col;
    char key[160];
    char msg[320];
} cfg_error;

/* The limits a file must keep, checked before allocating. */
typedef struct cfg_limits {
    size_t max_bytes;        /* file size */
    int max_depth;           /* nesting of maps and sequences */
    size_t max_scalar;       /* bytes in one scalar */
    size_t max_nodes;        /* nodes as written */
    uint64_t max_expanded;   /* nodes with every alias expanded */
} cfg_limits;

/* The defaults: generous for any real stage or scenario file. */
extern const cfg_limits cfg_default_limits;

/* Loads a file. Returns 0 and *out (free with cfg_doc_free), or SIM_EINPUT
 * / SIM_ELIMIT with *err filled (file, line, col, message), SIM_EIO when
 * the file cannot be read, SIM_ENOMEM. */
int cfg_load_file(const char *path, const cfg_limits *limits, cfg_doc **out, cfg_error *err);
/* The same from memory; `name` stands for the file in messages. */
int cfg_load_string(const char *name, const char *text, size_t len, const cfg_limits *limits,
                    cfg_doc **out, cfg_error *err);
void cfg_doc_free(cfg_doc *doc);

/* The value of `key` in a map, or NULL (also when map is not a map). */
const cfg_node *cfg_map_get(const cfg_node *map, const char *key);
/* "mapping", "sequence" or "scalar". */
const char *cfg_kind_name(cfg_kind kind);

/* Formats "file:line:col: error: key: msg" (key omitted when empty). */
void cfg_error_format(const cfg_error *err, char *buf, size_t size);
/* Fills an error located at node n of file `file`. */
void cfg_error_at(cfg_error *err, const char *file, const cfg_node *n, const char *key,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif /* CFG_H */
