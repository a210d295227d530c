/* mdl_check.h -- the checks a file's schema cannot express: names unique,
 * references resolved (naming what is known), shards covered, shares that
 * add up, fault targets that resolve in every stage of a scenario. Errors
 * go to the load, at the node they concern. */
#ifndef MDL_CHECK_H
#define MDL_CHECK_H
#include "mdl_files.h"

void mdl_check_geography(mdl_load *ld, const geography *g);
void mdl_check_stage(mdl_load *ld, const stage *s, const geography *g);
/* stage_files[i] is the file stages[i] was read from (errors in a stage
 * point there); ld->file is the scenario's. */
void mdl_check_scenario(mdl_load *ld, const scenario *sc, stage *const *stages,
                        geography *const *geos, const char *const *stage_files, size_t n_stages);

/* A verdict's bound in its metric's unit (percent, count, or seconds);
 * 0 or SIM_EINPUT with *why. */
int mdl_verdict_bound(int metric, const cfg_node *n, double *out, const char **why);

#endif /* MDL_CHECK_H */
