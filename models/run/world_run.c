/* world_run.c -- running a world to the end of its scenario, then a drain
 * (no new users) long enough for every request born before the end to get
 * its final answer. */
#include "measure.h"
#include "mdl_world.h"
#include "sim_status.h"
#include "world.h"

typedef struct progress_ctx {
    sim_time drain_end;
    mdl_progress_fn *fn;
    void *context;
    int stopped;
} progress_ctx;

static void on_progress(sim_engine *e, void *context)
{
    progress_ctx *p = context;
    double f = (double)sim_now(e) / (double)p->drain_end;
    if (p->fn(f > 1 ? 1 : f, p->context)) {
        p->stopped = 1;
        sim_engine_stop(e);
    }
}

/* How long the last request born before the end may take to be settled:
 * every attempt's timeout, the longest backoffs between them, a margin. */
static sim_time drain_time(const w_world *w)
{
    const scn_client *cl = &w->sc->traffic.client;
    sim_time backoff = cl->backoff_max + cl->backoff_max / 2; /* jitter up to 50% */
    return (cl->retries + 1) * cl->timeout + cl->retries * backoff + SIM_SEC;
}

sim_time mdl_world_drain_end(const mdl_world *w) { return w->end + drain_time(w); }

int mdl_world_run(mdl_world *w, sim_time until, mdl_progress_fn *progress, void *context)
{
    sim_time drain_end = w->end + drain_time(w);
    sim_time target = until > 0 && until < drain_end ? until : drain_end;
    /* A step that asks for a moment already passed has nothing to do. */
    if (target < sim_now(w->e))
        target = sim_now(w->e);
    progress_ctx pc = {drain_end, progress, context, 0};
    if (progress)
        sim_engine_set_hook(w->e, on_progress, &pc, 100000);
    int rc = sim_engine_run_until(w->e, target, SIM_NO_BUDGET);
    sim_engine_set_hook(w->e, NULL, NULL, 0);
    measure_settle(w);
    if (pc.stopped)
        return SIM_EINTR;
    if (w->status)
        return w->status;
    if (rc < 0)
        return rc;
    return target < drain_end ? 1 : 0;
}
