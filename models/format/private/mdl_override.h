/* mdl_override.h -- setting one value of a loaded geography, stage or
 * scenario by its key path (private to the loader): a scenario's
 * overrides, a variant's settings, a sweep's parameters. */
#ifndef MDL_OVERRIDE_H
#define MDL_OVERRIDE_H
#include "mdl_files.h"

/* What a key path reaches. */
enum { OVR_BAD = -1, OVR_STAGE, OVR_GEOGRAPHY, OVR_SCENARIO };

/* The root of a key path: "geography.…", "stage.…" or "scenario.…"
 * explicitly, else a stage key, else a scenario key. An unknown first key,
 * a malformed path or a scenario key that decides what is loaded (stages,
 * overrides, variants) is an error at key_node (key_path names it:
 * "overrides[2].key"), and OVR_BAD. */
int mdl_override_root(mdl_load *ld, const char *key, const cfg_node *key_node, const char *key_path);

/* Sets the value at the key path in obj, described by schema (the root's):
 * sections by key, list items by name (or first field), by [name] or by
 * [index], dict entries by key. The value is checked like any value of
 * that key; errors go to ld at key_node or at the value (`path` names the
 * setting: "overrides[2]"). */
void mdl_override_apply(mdl_load *ld, const mdl_schema *schema, void *obj, const char *key,
                        const cfg_node *key_node, const cfg_node *value, const char *path);

/* The stage a variant named `name` is made from when it does not say: the
 * longest of `stages` it starts with, followed by a dash (unit-async:
 * unit); NULL when none. */
const char *mdl_variant_base(const char *name, const char *const *stages, size_t n);

struct mdl_config;
struct mdl_load_options;
/* After the stages are loaded: adds the variants (the scenario's, then
 * opt's) as stages, then sets the scenario's overrides, the variants'
 * settings and opt's settings, recording each on the stages it reached.
 * stage_files[j]: the file stage j's text is in. Errors go to ld. */
void mdl_settings_apply(mdl_load *ld, struct mdl_config *c, const char *scn_file, const char *const *stage_files,
                        const struct mdl_load_options *opt);

#endif /* MDL_OVERRIDE_H */
