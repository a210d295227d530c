/* target.h -- what a scenario's target (of a fault or an action) names in
 * this stage: places of the shared geography, or roles each stage resolves
 * for itself ("the datacenter holding the most primaries", "the unit of
 * shard 37", "the GZone writer"), into the datacenters, cells, shard groups,
 * unit and link they mean here. */
#ifndef TARGET_H
#define TARGET_H
#include "world.h"

/* What one target may name at most (more is cut off). */
#define TARGET_MAX_DCS 64
#define TARGET_MAX_CELLS 256
#define TARGET_MAX_GROUPS 128

typedef struct w_target {
    int dcs[TARGET_MAX_DCS];
    int n_dcs;
    w_cell *cells[TARGET_MAX_CELLS];
    int n_cells;
    w_group *groups[TARGET_MAX_GROUPS];
    int nodes[TARGET_MAX_GROUPS]; /* the copy meant in each group (-1: the primary) */
    int n_groups;
    w_unit *unit;
    w_linkdir *links[2];        /* both directions of a link */
    int path;                   /* a fiber path index, or -1 */
    char label[128];            /* for events.csv: "HZ-A (most primaries)" */
} w_target;

/* Resolves a target for a fault of `kind` (FAULT_..., whose row of the
 * fault kind table says how; -1 for an action). Returns 0, or -1 when it
 * matches nothing in this stage. */
int target_resolve(w_world *w, const scn_target *t, int kind, w_target *out);
/* Adds a group (and the copy meant, -1 for the primary) to a target. */
void target_add_group(w_target *t, w_group *g, int node);

#endif /* TARGET_H */
