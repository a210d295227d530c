/* world_run.c -- running a world to the end of its scenario, then a drain
 * (no new users) long enough for every request born before the end to get
 * its final answer; and the run's headline figures. */
#include <math.h>
#include <string.h>

#include "sim_status.h"
#include "world_events.h"
#include "world_int.h"

const char *const mdl_cause_names[12] = {
    "timeout", "queue_full", "no_connection", "no_route", "refused", "shed",
    "rate_limited", "breaker_open", "error", "", "", "",
};

typedef struct progress_ctx {
    w_world *w;
    mdl_progress_fn *fn;
    void *context;
} progress_ctx;

static void on_progress(sim_engine *e, void *context)
{
    progress_ctx *p = context;
    double f = (double)sim_now(e) / (double)p->w->drain_end;
    p->fn(f > 1 ? 1 : f, p->context);
}

/* How long the last request born before the end may take to be settled:
 * every attempt's timeout, the longest backoffs between them, a margin. */
static sim_time drain_time(const w_world *w)
{
    const scn_client *cl = &w->sc->traffic.client;
    sim_time backoff = cl->backoff_max + cl->backoff_max / 2; /* jitter up to 50% */
    return (cl->retries + 1) * cl->timeout + cl->retries * backoff + SIM_SEC;
}

int mdl_world_run(mdl_world *w, sim_time until, mdl_progress_fn *progress, void *context)
{
    w->drain_end = w->end + drain_time(w);
    sim_time target = until > 0 && until < w->drain_end ? until : w->drain_end;
    /* A step that asks for a moment already passed has nothing to do. */
    if (target < sim_now(w->e))
        target = sim_now(w->e);
    progress_ctx pc = {w, progress, context};
    if (progress)
        sim_engine_set_hook(w->e, on_progress, &pc, 100000);
    int rc = sim_engine_run_until(w->e, target, SIM_NO_BUDGET);
    sim_engine_set_hook(w->e, NULL, NULL, 0);
    if (w->status)
        return w->status;
    if (rc < 0)
        return rc;
    return target < w->drain_end ? 1 : 0;
}

size_t mdl_world_events(const mdl_world *w) { return world_events_count(w); }
const w_event_row *mdl_world_event(const mdl_world *w, size_t i) { return world_events_row(w, i); }

void mdl_world_on_event(mdl_world *w, mdl_event_fn *fn, void *context)
{
    w->on_event = fn;
    w->on_event_context = context;
}

/* ==== Headline ==== */

static double sum_measure(const w_world *w, const w_counts *c, int m)
{
    double s = 0;
    for (int u = 0; u < w->n_units; u++)
        for (int t = 0; t < w->n_types; t++)
            s += (double)c->c[((size_t)u * (size_t)w->n_types + (size_t)t) * M_COUNT + (size_t)m];
    return s;
}

void mdl_world_headline(const mdl_world *wc, mdl_headline *h)
{
    w_world *w = (w_world *)wc;
    memset(h, 0, sizeof *h);
    double k = 1 / w->scale;
    h->offered = sum_measure(w, &w->total, M_OFFERED) * k;
    h->succeeded = sum_measure(w, &w->total, M_SUCCEEDED) * k;
    h->failed = sum_measure(w, &w->total, M_FAILED) * k;
    h->retries = sum_measure(w, &w->total, M_RETRIES) * k;
    h->availability = h->offered > 0 ? h->succeeded / h->offered : 1;
    h->nines = h->availability >= 1 ? INFINITY : -log10(1 - h->availability);
    static const int causes[] = {M_TIMEOUT, M_QUEUE_FULL, M_NO_CONNECTION, M_NO_ROUTE, M_REFUSED,
                                 M_SHED, M_RATE_LIMITED, M_BREAKER_OPEN, M_ERROR};
    for (int i = 0; i < 9; i++)
        h->by_cause[i] = sum_measure(w, &w->total, causes[i]) * k;
    sim_hist *all = &w->scratch_hist;
    sim_hist_clear(all);
    for (size_t i = 0; i < (size_t)w->n_units * (size_t)w->n_types; i++)
        sim_hist_merge(all, &w->total.lat[i]);
    h->p50 = sim_time_to_seconds(sim_hist_quantile(all, 0.5));
    h->p90 = sim_time_to_seconds(sim_hist_quantile(all, 0.9));
    h->p99 = sim_time_to_seconds(sim_hist_quantile(all, 0.99));
    h->p999 = sim_time_to_seconds(sim_hist_quantile(all, 0.999));
    h->peak_p50 = sim_time_to_seconds(sim_hist_quantile(&w->peak_lat, 0.5));
    h->peak_p99 = sim_time_to_seconds(sim_hist_quantile(&w->peak_lat, 0.99));
    h->peak_p999 = sim_time_to_seconds(sim_hist_quantile(&w->peak_lat, 0.999));
    for (size_t i = 0; i < w->series->n; i++)
        if (w->series->p[i].t >= 0 && w->series->p[i].succeeded > h->peak_served)
            h->peak_served = w->series->p[i].succeeded;
    h->users_affected = (double)w->users_affected * k;
    h->users_share = w->users > 0 ? (double)w->users_affected / w->users : 0;
    double offered_sim = sum_measure(w, &w->total, M_OFFERED) + sum_measure(w, &w->warm, M_OFFERED);
    h->events_per_request = offered_sim > 0 ? (double)sim_engine_events_fired(w->e) / offered_sim : 0;
    /* Cost at full scale: every server the stage owns (standby too) and
     * every datacenter it uses, for the run's length. */
    double servers = 0;
    for (size_t u = 0; u < w->st->units.n; u++) {
        const stg_unit *unit = (const stg_unit *)w->st->units.items + u;
        for (size_t c = 0; c < unit->cells.n; c++)
            servers += (double)((const stg_cell *)unit->cells.items + c)->servers;
    }
    double stale = 0;
    for (int d = 0; d < w->n_dbs; d++)
        for (int g = 0; g < w->dbs[d].n_groups; g++)
            stale += (double)w->dbs[d].groups[g].stale_reads;
    h->lost_writes = (double)w->lost_writes * k;
    h->rpo = sim_time_to_seconds(w->rpo);
    h->at_risk_writes = (double)w->at_risk_writes * k;
    h->stale_reads = stale * k;
    h->conflicting_writes = (double)w->conflicts * k;
    h->seconds_below_slo = mdl_world_seconds_below_slo(w);
    double hours = sim_time_to_seconds(w->end) / 3600;
    h->cost = (servers * w->st->cost.server_hour + (double)w->st->datacenters.n * w->st->cost.datacenter_hour) * hours;
}

double mdl_world_attempts(const mdl_world *w)
{
    return sum_measure(w, &w->total, M_ATTEMPTS) + sum_measure(w, &w->warm, M_ATTEMPTS);
}

int mdl_world_datacenters(const mdl_world *w) { return w->n_dcs < 16 ? w->n_dcs : 16; }
const char *mdl_world_datacenter(const mdl_world *w, int i) { return w->dcs[i].geo->name; }
