/* mdl_explore.h -- an exploration's fault space (private to the sweep
 * loader): resolved against the scenario, and a timeline drawn from it. */
#ifndef MDL_EXPLORE_H
#define MDL_EXPLORE_H
#include "mdl_sweep.h"

/* Checks the kinds and places of s's `explore:` against the scenario and
 * fills s->kinds, places and links. Errors go to ld. */
void mdl_explore_resolve(mdl_load *ld, mdl_sweep *s, const mdl_config *base);
/* Draws the timeline of `seed` as a YAML list of faults (*out, to free)
 * and writes it on one line into line. 0 or SIM_ENOMEM. */
int mdl_explore_draw(const mdl_sweep *s, uint64_t seed, cfg_doc **out, char *line, size_t size);

#endif /* MDL_EXPLORE_H */
