/* mdl_override.h -- applying a scenario's overrides to a loaded stage
 * (private to the loader). */
#ifndef MDL_OVERRIDE_H
#define MDL_OVERRIDE_H
#include "mdl_files.h"

/* Sets the stage value at the override's key path: sections by key, list
 * items by name (or first field, or [index]), dict entries by key. The new
 * value is checked like any value of that key; errors go to ld, at the
 * override (`path` names it: "overrides[2]"). */
void mdl_override_apply(mdl_load *ld, stage *s, const scn_override *o, const char *path);

#endif /* MDL_OVERRIDE_H */
