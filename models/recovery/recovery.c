/* recovery.c -- recovery's own state: built on a world, and freed. */
#include "rec_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

int recovery_init(w_world *w)
{
    struct w_recovery *rc = sim_calloc(1, sizeof *rc);
    if (!rc)
        return SIM_ENOMEM;
    w->recovery = rc;
    sim_rng_init(&rc->detect_rng, w->seed, "detection");
    sim_rng_init(&rc->human_rng, w->seed, "human.response");
    sim_rng_init(&rc->operator_rng, w->seed, "operator.acts"); /* its own: acting disturbs no other stream */
    for (int i = 0; i < w->n_entry_dcs; i++)
        rc->entry_truth |= 1ULL << i;
    int rc_runbooks = rec_runbooks_init(w);
    return rc_runbooks ? rc_runbooks : rec_release_init(w);
}

void recovery_fini(w_world *w)
{
    struct w_recovery *rc = w->recovery;
    if (!rc)
        return;
    sim_window_fini(&rc->green);
    rec_operator_fini(w);
    sim_free(rc->actions);
    rec_runbooks_fini(w);
    sim_free(rc);
    w->recovery = NULL;
}

sim_time rec_sample(const sim_dist *d, sim_rng *r)
{
    double s = sim_dist_sample(d, r);
    return s > 0 ? (sim_time)(s * 1e9) : 0;
}
