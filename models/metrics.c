/* metrics.c -- what a run measures. Counters per unit and request type
 * with a latency histogram each, kept three ways: for the current
 * interval (by the time things happen, for the time series), and for the
 * warm-up and the measured run (by when the user's request was born, so a
 * request started before the end counts even if it ends in the drain).
 * Every interval becomes a point of the in-memory series (for charts) and
 * rows of timeseries.csv, in real-world units (divided by the scale). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "flt.h"
#include "prot.h"
#include "sim_alloc.h"
#include "world_int.h"

const char *const w_measure_names[M_COUNT] = {
    "offered", "succeeded", "failed", "timeout", "queue_full", "no_connection", "no_route",
    "refused", "shed", "rate_limited", "breaker_open", "error", "retries", "attempts",
    "cross_dc_calls", "stale_reads",
};

#define SERIES_CAP 4096

static size_t slots(const w_world *w) { return (size_t)w->n_units * (size_t)w->n_types; }

static int counts_init(w_world *w, w_counts *c)
{
    c->c = sim_calloc(slots(w) * M_COUNT, sizeof *c->c);
    c->lat = sim_calloc(slots(w), sizeof *c->lat);
    return c->c && c->lat ? SIM_OK : SIM_ENOMEM;
}

static void counts_clear(w_world *w, w_counts *c)
{
    memset(c->c, 0, slots(w) * M_COUNT * sizeof *c->c);
    for (size_t i = 0; i < slots(w); i++)
        sim_hist_clear(&c->lat[i]);
}

static inline size_t slot(const w_world *w, int unit, int type)
{
    return (size_t)unit * (size_t)w->n_types + (size_t)type;
}

/* ==== Recording ==== */

void metrics_count(w_world *w, int unit, int type, int measure, uint64_t n)
{
    w->now.c[slot(w, unit, type) * M_COUNT + (size_t)measure] += n;
}

static inline w_counts *phase_of(w_world *w, const w_req *r)
{
    return r->born >= w->warmup ? &w->total : &w->warm;
}

void metrics_req(w_world *w, const w_req *r, int measure)
{
    size_t s = slot(w, r->unit, r->type) * M_COUNT + (size_t)measure;
    w->now.c[s]++;
    phase_of(w, r)->c[s]++;
}

void metrics_offered(w_world *w, const w_req *r) { metrics_req(w, r, M_OFFERED); }

void metrics_success(w_world *w, const w_req *r, sim_time latency)
{
    size_t s = slot(w, r->unit, r->type);
    w->now.c[s * M_COUNT + M_SUCCEEDED]++;
    phase_of(w, r)->c[s * M_COUNT + M_SUCCEEDED]++;
    sim_hist_add(&w->now.lat[s], latency);
    sim_hist_add(&phase_of(w, r)->lat[s], latency);
    if (r->born >= w->peak_from && r->born < w->peak_to)
        sim_hist_add(&w->peak_lat, latency);
}

void metrics_user_failed(w_world *w, uint64_t uid)
{
    uint8_t bit = (uint8_t)(1u << (uid & 7));
    if (!(w->users_failed[uid >> 3] & bit)) {
        w->users_failed[uid >> 3] |= bit;
        w->users_affected++;
    }
}

/* Accumulates a cell's time integrals up to now (call before changing
 * its counts of busy workers or waiting requests). */
void metrics_cell_change(w_world *w, w_cell *c)
{
    sim_time now = sim_now(w->e);
    double dt = (double)(now - c->last_change);
    c->busy_integral += dt * c->busy_now;
    c->queue_integral += dt * c->queued_now;
    c->area_busy += dt * c->busy_now;
    c->area_queued += dt * c->queued_now;
    sim_time a = c->last_change > w->warmup ? c->last_change : w->warmup;
    sim_time b = now < w->end ? now : w->end;
    if (b > a)
        c->busy_total += (double)(b - a) * c->busy_now;
    c->last_change = now;
}

/* ==== Intervals ==== */

/* Writes one row of timeseries.csv. */
static void row(w_world *w, const char *clock, double t, const char *unit, const char *type,
                const char *measure, double value)
{
    fprintf(w->csv, "%.3f,%s,%s,%s,%s,%.9g\n", t, clock, unit, type, measure, value);
}

static void write_group(w_world *w, const char *clock, double t, const char *unit,
                        const char *type, const uint64_t *c, const sim_hist *h, double per)
{
    for (int m = 0; m < M_COUNT; m++)
        if (c[m] || m <= M_FAILED)
            row(w, clock, t, unit, type, w_measure_names[m], (double)c[m] * per);
    if (h->total) {
        row(w, clock, t, unit, type, "latency_p50", sim_time_to_seconds(sim_hist_quantile(h, 0.5)));
        row(w, clock, t, unit, type, "latency_p90", sim_time_to_seconds(sim_hist_quantile(h, 0.9)));
        row(w, clock, t, unit, type, "latency_p99", sim_time_to_seconds(sim_hist_quantile(h, 0.99)));
        row(w, clock, t, unit, type, "latency_p999", sim_time_to_seconds(sim_hist_quantile(h, 0.999)));
    }
}

static void series_push(w_world *w, const mdl_series_point *p)
{
    mdl_series *s = w->series;
    if (s->n == s->cap) {
        /* Keep memory bounded on long runs: halve the resolution. */
        for (size_t i = 0; i < s->n / 2; i++) {
            mdl_series_point *a = &s->p[2 * i], *b = &s->p[2 * i + 1];
            mdl_series_point m = *a;
            m.offered = (a->offered + b->offered) / 2;
            m.succeeded = (a->succeeded + b->succeeded) / 2;
            m.failed = (a->failed + b->failed) / 2;
            m.retries = (a->retries + b->retries) / 2;
            m.p50 = a->p50 > b->p50 ? a->p50 : b->p50;
            m.p99 = a->p99 > b->p99 ? a->p99 : b->p99;
            m.lost_writes = b->lost_writes;
            for (int d = 0; d < 16; d++)
                m.dc_served[d] = (a->dc_served[d] + b->dc_served[d]) / 2;
            s->p[i] = m;
        }
        s->n /= 2;
        w->series_merge *= 2;
    }
    if (w->series_pending == 0)
        w->series_acc = *p;
    else { /* average into the point being built */
        mdl_series_point *acc = &w->series_acc;
        double k = w->series_pending;
        acc->offered = (acc->offered * k + p->offered) / (k + 1);
        acc->succeeded = (acc->succeeded * k + p->succeeded) / (k + 1);
        acc->failed = (acc->failed * k + p->failed) / (k + 1);
        acc->retries = (acc->retries * k + p->retries) / (k + 1);
        acc->p50 = acc->p50 > p->p50 ? acc->p50 : p->p50;
        acc->p99 = acc->p99 > p->p99 ? acc->p99 : p->p99;
        acc->lost_writes = p->lost_writes;
        for (int d = 0; d < 16; d++)
            acc->dc_served[d] = (acc->dc_served[d] * k + p->dc_served[d]) / (k + 1);
    }
    if (++w->series_pending >= w->series_merge) {
        s->p[s->n++] = w->series_acc;
        w->series_pending = 0;
    }
}

static void on_tick(sim_engine *e, void *subject, void *object)
{
    (void)object;
    w_world *w = subject;
    sim_time now = sim_now(e);
    sim_time start = w->interval_start;
    double seconds = sim_time_to_seconds(now - start);
    double per = seconds > 0 ? 1 / (w->scale * seconds) : 0; /* real-world per second */
    double t = sim_time_to_seconds(start - w->warmup);
    char clock[SIM_TIME_TEXT_MAX];
    world_clock(w, start, clock, sizeof clock);
    /* Aggregate. */
    uint64_t all[M_COUNT] = {0};
    sim_hist *h_all = &w->scratch_hist;
    sim_hist_clear(h_all);
    for (int u = 0; u < w->n_units; u++)
        for (int ty = 0; ty < w->n_types; ty++) {
            size_t s = slot(w, u, ty);
            for (int m = 0; m < M_COUNT; m++)
                all[m] += w->now.c[s * M_COUNT + (size_t)m];
            sim_hist_merge(h_all, &w->now.lat[s]);
        }
    mdl_series_point p = {0};
    p.t = t;
    p.offered = (double)all[M_OFFERED] * per;
    p.succeeded = (double)all[M_SUCCEEDED] * per;
    p.failed = (double)all[M_FAILED] * per;
    p.retries = (double)all[M_RETRIES] * per;
    p.p50 = sim_time_to_seconds(sim_hist_quantile(h_all, 0.5));
    p.p99 = sim_time_to_seconds(sim_hist_quantile(h_all, 0.99));
    p.lost_writes = (double)w->lost_writes / w->scale;
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        metrics_cell_change(w, cell);
        if (cell->dc->index < 16)
            p.dc_served[cell->dc->index] += (double)cell->served * per;
    }
    series_push(w, &p);
    if (w->csv) {
        write_group(w, clock, t, "all", "all", all, h_all, per);
        int full = w->sc->timeseries == TIMESERIES_FULL;
        for (int ty = 0; full && ty < w->n_types; ty++) {
            uint64_t c[M_COUNT] = {0};
            sim_hist *h = &w->scratch_hist2;
            sim_hist_clear(h);
            for (int u = 0; u < w->n_units; u++) {
                for (int m = 0; m < M_COUNT; m++)
                    c[m] += w->now.c[slot(w, u, ty) * M_COUNT + (size_t)m];
                sim_hist_merge(h, &w->now.lat[slot(w, u, ty)]);
            }
            write_group(w, clock, t, "all", w->types[ty]->name, c, h, per);
        }
        for (int u = 0; full && u < w->n_units; u++) {
            if (w->units[u].kind != UNIT_RZONE)
                continue;
            uint64_t c[M_COUNT] = {0};
            sim_hist *h = &w->scratch_hist2;
            sim_hist_clear(h);
            for (int ty = 0; ty < w->n_types; ty++) {
                for (int m = 0; m < M_COUNT; m++)
                    c[m] += w->now.c[slot(w, u, ty) * M_COUNT + (size_t)m];
                sim_hist_merge(h, &w->now.lat[slot(w, u, ty)]);
            }
            write_group(w, clock, t, w->units[u].def->name, "all", c, h, per);
        }
        for (int ci = 0; full && ci < w->n_cells; ci++) {
            w_cell *cell = w->cells[ci];
            char name[160];
            snprintf(name, sizeof name, "%s@%s", cell->unit->def->name, cell->dc->geo->name);
            double ns = (double)(now - start);
            double workers = (double)cell->n_servers * cell->pool->workers;
            row(w, clock, t, name, "all", "utilisation", ns > 0 ? cell->busy_integral / ns / workers : 0);
            row(w, clock, t, name, "all", "queue_length", ns > 0 ? cell->queue_integral / ns / w->scale : 0);
            row(w, clock, t, name, "all", "served", (double)cell->served * per);
        }
        row(w, clock, t, "all", "all", "lost_writes", (double)w->lost_writes / w->scale);
    }
    /* Degradation judges the traffic it still admits: shed requests do not
     * count against it, or it could never restore what it shed. */
    prot_tick(w, all[M_SUCCEEDED] + all[M_FAILED] - all[M_SHED], all[M_SUCCEEDED]);
    incidents_record_interval(w, start, all[M_SUCCEEDED], all[M_FAILED]);
    rec_green_tick(w);
    /* Reset for the next interval. */
    counts_clear(w, &w->now);
    for (int c = 0; c < w->n_cells; c++) {
        w->cells[c]->busy_integral = w->cells[c]->queue_integral = 0;
        w->cells[c]->served = 0;
    }
    w->interval_start = now;
    if (now < w->end)
        sim_event_post(e, now + w->interval < w->end ? now + w->interval : w->end, on_tick, w, NULL);
}


int world_metrics_init(w_world *w)
{
    if (counts_init(w, &w->now) || counts_init(w, &w->total) || counts_init(w, &w->warm))
        return SIM_ENOMEM;
    w->series = sim_calloc(1, sizeof *w->series);
    if (!w->series)
        return SIM_ENOMEM;
    w->series->p = sim_calloc(SERIES_CAP, sizeof *w->series->p);
    if (!w->series->p)
        return SIM_ENOMEM;
    w->series->cap = SERIES_CAP;
    w->series_merge = 1;
    w->peak_from = traffic_busiest_minute(w);
    w->peak_to = w->peak_from + 60 * SIM_SEC;
    int rc = prot_init(w);
    if (rc)
        return rc;
    if (!sim_event_post(w->e, w->interval < w->end ? w->interval : w->end, on_tick, w, NULL))
        return SIM_ENOMEM;
    return SIM_OK;
}

void world_metrics_fini(w_world *w)
{
    sim_free(w->now.c);
    sim_free(w->now.lat);
    sim_free(w->total.c);
    sim_free(w->total.lat);
    sim_free(w->warm.c);
    sim_free(w->warm.lat);
    if (w->series)
        sim_free(w->series->p);
    sim_free(w->series);
    prot_fini(w);
    if (w->csv)
        fclose(w->csv);
}
