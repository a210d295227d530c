/* headline.c -- the run's headline figures, in real-world units:
 * availability and nines, failures by cause, latency over the run and at
 * the peak, users affected, data lost or at risk, cost. */
#include <math.h>
#include <string.h>

#include "meas_int.h"
#include "sim_engine.h"
#include "world_event.h"

void measure_headline(const w_world *wc, mdl_headline *h)
{
    w_world *w = (w_world *)wc; /* the scratch histogram is the measures' own */
    struct w_measure *m = w->measure;
    memset(h, 0, sizeof *h);
    double k = 1 / w->scale;
    h->offered = meas_sum(w, &m->total, M_OFFERED) * k;
    h->succeeded = meas_sum(w, &m->total, M_SUCCEEDED) * k;
    h->failed = meas_sum(w, &m->total, M_FAILED) * k;
    h->retries = meas_sum(w, &m->total, M_RETRIES) * k;
    h->availability = h->offered > 0 ? h->succeeded / h->offered : 1;
    h->nines = h->availability >= 1 ? INFINITY : -log10(1 - h->availability);
    for (int i = 0; i < CAUSE_COUNT; i++)
        h->by_reason[i] = meas_sum(w, &m->total, M_OF_CAUSE(i)) * k;
    for (int i = 0; i < FAIL_COUNT; i++)
        h->by_cause[i] = meas_sum(w, &m->total, M_OF_FAILURE(i)) * k;
    sim_hist *all = &m->scratch_hist;
    sim_hist_clear(all);
    for (size_t i = 0; i < (size_t)w->n_units * (size_t)w->n_types; i++)
        sim_hist_merge(all, &m->total.lat[i]);
    h->p50 = sim_time_to_seconds(sim_hist_quantile(all, 0.5));
    h->p90 = sim_time_to_seconds(sim_hist_quantile(all, 0.9));
    h->p99 = sim_time_to_seconds(sim_hist_quantile(all, 0.99));
    h->p999 = sim_time_to_seconds(sim_hist_quantile(all, 0.999));
    h->peak_p50 = sim_time_to_seconds(sim_hist_quantile(&m->peak_lat, 0.5));
    h->peak_p99 = sim_time_to_seconds(sim_hist_quantile(&m->peak_lat, 0.99));
    h->peak_p999 = sim_time_to_seconds(sim_hist_quantile(&m->peak_lat, 0.999));
    /* Each user request once, by when it was born: a retry backlog
     * answered later is not more service. */
    double minute = sim_time_to_seconds(m->peak_to - m->peak_from);
    if (minute > 0) {
        h->peak_offered = (double)m->peak_offered * k / minute;
        h->peak_served = (double)m->peak_succeeded * k / minute;
    }
    h->peak_availability = m->peak_offered ? (double)m->peak_succeeded / (double)m->peak_offered : 1;
    for (size_t i = 0; i < world_events_count(w); i++)
        h->promotions += world_events_row(w, i)->kind == EV_PROMOTE;
    double users = (double)meas_bits_set(m->users_failed, (uint64_t)w->users);
    h->users_affected = users * k;
    h->users_share = w->users > 0 ? users / w->users : 0;
    double offered_sim = meas_sum(w, &m->total, M_OFFERED) + meas_sum(w, &m->warm, M_OFFERED);
    h->events_per_request = offered_sim > 0 ? (double)sim_engine_events_fired(w->e) / offered_sim : 0;
    /* Cost at full scale: every server the stage owns (standby too) and
     * every datacenter it uses, for the run's length. */
    double servers = 0;
    for (size_t u = 0; u < w->st->units.n; u++) {
        const stg_unit *unit = MDL_ITEM(w->st->units, stg_unit, u);
        for (size_t c = 0; c < unit->cells.n; c++)
            servers += (double)MDL_ITEM(unit->cells, stg_cell, c)->servers;
    }
    double stale = 0;
    for (int g = 0; g < w->n_groups; g++)
        stale += (double)w->groups[g]->stale_reads;
    h->lost_writes = (double)w->lost_writes * k;
    h->rpo = sim_time_to_seconds(w->rpo);
    h->at_risk_writes = (double)w->at_risk_writes * k;
    h->stale_reads = stale * k;
    h->conflicting_writes = (double)w->conflicts * k;
    h->seconds_below_slo = measure_seconds_below_slo(w);
    double hours = sim_time_to_seconds(w->end) / 3600;
    h->cost = (servers * w->st->cost.server_hour + (double)w->st->datacenters.n * w->st->cost.datacenter_hour) * hours;
}
