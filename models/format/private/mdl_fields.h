/* mdl_fields.h -- shorthand for writing schema tables (private to the
 * mdl_*.c files that declare them). ST is the struct being described. */
#ifndef MDL_FIELDS_H
#define MDL_FIELDS_H
#include <stddef.h>

#include "mdl_schema.h"

/* A scalar: key, type, member, flags, default, doc, example. */
#define F(key, type, member, flags, def, doc, ex) \
    {key, type, offsetof(ST, member), flags, def, 0, 0, NULL, NULL, 0, doc, ex}
/* The same with a range [lo, hi] in stored units (seconds for durations). */
#define FR(key, type, member, flags, def, lo, hi, doc, ex) \
    {key, type, offsetof(ST, member), flags, def, lo, hi, NULL, NULL, 0, doc, ex}
/* One of a list of names. */
#define FE(key, member, flags, def, names, doc, ex) \
    {key, MDL_ENUM, offsetof(ST, member), flags, def, 0, 0, NULL, names, 0, doc, ex}
/* A nested mapping. */
#define FS(key, member, flags, sub, doc) \
    {key, MDL_STRUCT, offsetof(ST, member), flags, NULL, 0, 0, &(sub), NULL, 0, doc, NULL}
/* A list of mappings. */
#define FL(key, member, flags, sub, doc) \
    {key, MDL_LIST, offsetof(ST, member), flags, NULL, 0, 0, &(sub), NULL, 0, doc, NULL}
/* A mapping of names to scalars of type elem. */
#define FD(key, member, flags, elem, doc, ex) \
    {key, MDL_DICT, offsetof(ST, member), flags, NULL, 0, 0, NULL, NULL, elem, doc, ex}
#define FEND {NULL, 0, 0, 0, NULL, 0, 0, NULL, NULL, 0, NULL, NULL}

#define FIG MDL_FIGURE
#define REQ MDL_REQUIRED
#define OPT MDL_OPTIONAL

#endif /* MDL_FIELDS_H */
