/* mdl_json.h -- the one JSON writer of results (summary.json, meta.json):
 * objects and arrays written as blocks (one item a line, indented two
 * spaces a level) or on one line, strings escaped, numbers in their
 * shortest exact form and non-finite numbers as null. The writer keeps
 * the commas and the indentation; callers say what comes. */
#ifndef MDL_JSON_H
#define MDL_JSON_H
#include <stdint.h>
#include <stdio.h>

#define MDL_JSON_DEPTH 16

typedef struct mdl_json {
    FILE *f;
    int depth;                          /* containers open */
    int items[MDL_JSON_DEPTH];          /* written in each */
    unsigned char flow[MDL_JSON_DEPTH]; /* on one line */
    unsigned char array[MDL_JSON_DEPTH];
    int after_key;                      /* a key was written: its value comes next */
} mdl_json;

/* Starts a document: its top-level object, as a block. */
void mdl_json_open(mdl_json *j, FILE *f);
/* Closes the innermost object or array; closing the top ends the document. */
void mdl_json_close(mdl_json *j);

/* In an object: the key of the value that follows. */
void mdl_json_key(mdl_json *j, const char *key);
/* Values: in an array, or after a key. */
void mdl_json_object(mdl_json *j, int flow);
void mdl_json_array(mdl_json *j, int flow);
void mdl_json_string(mdl_json *j, const char *s);
void mdl_json_number(mdl_json *j, double v);
/* An exact integer (a seed: a double would round past 2^53). */
void mdl_json_uint(mdl_json *j, uint64_t v);
void mdl_json_bool(mdl_json *j, int b);
void mdl_json_null(mdl_json *j);

/* key: value, for the common cases. */
void mdl_json_kv_number(mdl_json *j, const char *key, double v);
void mdl_json_kv_string(mdl_json *j, const char *key, const char *s);
void mdl_json_kv_uint(mdl_json *j, const char *key, uint64_t v);

#endif /* MDL_JSON_H */
