/* mdl_schema_int.h -- what the schema engine's files share (private to
 * format/). */
#ifndef MDL_SCHEMA_INT_H
#define MDL_SCHEMA_INT_H
#include "mdl_schema.h"

/* A name: letters, digits, - _ . and one path component (mdl_schema.c). */
int mdl__parse_name(sim_arena *a, const char *text, const char **out, const char **why);

/* Distributions (mdl_dist.c): loaded from a node, built into a sampler
 * from their written parameters, printed as written. */
int mdl__dist_load(mdl_load *ld, const cfg_node *n, const char *path, mdl_dist *out);
int mdl__dist_build(mdl_dist *d, const char **why);
void mdl__dist_print(FILE *out, const mdl_dist *d);
/* A constant of `seconds` (a default written as a duration). */
void mdl__dist_constant(mdl_dist *d, double seconds);

#endif /* MDL_SCHEMA_INT_H */
