/* flt_int.h -- a fault in this stage, and the kind table's apply functions
 * (private to faults/). One file per family of kinds: flt_power.c,
 * flt_network.c, flt_nodes.c, flt_human.c; flt_timeline.c schedules them,
 * flt_random.c draws random ones. */
#ifndef FLT_INT_H
#define FLT_INT_H
#include "faults.h"
#include "target.h"
#include "world_event.h"
#include "world_state.h"

typedef struct w_fault {
    w_world *w;
    const scn_fault *def;       /* NULL for a random fault */
    int kind;                   /* FAULT_... */
    w_target target;
    sim_time start, end;        /* end: SIM_TIME_NEVER when permanent */
    uint8_t *dark;              /* power: per datacenter, it went dark by this fault (light it at the end) */
    int random_class;           /* random faults: the component class (COMPONENT_...), else -1 */
    int component;              /* random faults: which component */
    int unmatched;              /* nothing of this stage is its target */
    sim_dist mttr;
    sim_time mtbf;
    sim_rng rng;
} w_fault;

struct w_faults {
    w_fault *list;
    size_t n, cap;
};

/* Applies a fault (on) or ends it, as its kind does. */
typedef void flt_apply_fn(w_fault *f, int on);
#define FLT_DECLARE_APPLY(id, name, any, all, needs, flags, apply, doc) flt_apply_fn apply;
MDL_FAULT_KINDS(FLT_DECLARE_APPLY)
/* The apply column of the fault kind table, by kind. */
extern flt_apply_fn *const flt_apply[FAULT_KINDS];

/* A new fault record (records move as the list grows: schedule after
 * building them all). NULL when out of memory. */
w_fault *flt_new(w_world *w);
/* Random faults by MTBF and MTTR: one record per component (flt_random.c). */
int flt_random_add(w_world *w, const scn_random *rf, size_t index);
/* The first `percent` of n (by index), at least one. */
int flt_share_of(int n, double percent);

#endif /* FLT_INT_H */
