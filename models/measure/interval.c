/* interval.c -- the end of each interval of the measures: its point of the
 * series and its rows of timeseries.csv, in real-world units (divided by
 * the scale); then NOTE_TICK, so that whatever judges the last interval
 * (degradation, the SLO, blue-green) hears it; then the next interval. */
#include <errno.h>
#include <stdio.h>

#include "meas_int.h"
#include "sim_file.h"
#include "sim_status.h"

/* Writes one row of timeseries.csv. */
static void row(FILE *csv, const char *clock, double t, const char *unit, const char *type, const char *measure,
                double value)
{
    fprintf(csv, "%.3f,%s,%s,%s,%s,%.9g\n", t, clock, unit, type, measure, value);
}

static void write_group(FILE *csv, const char *clock, double t, const char *unit, const char *type,
                        const uint64_t *c, const sim_hist *h, double per)
{
    /* Every series every interval, zeros included, so a pivot has no holes;
     * a latency of nothing (no success) is an empty value, not 0. */
    for (int m = 0; m < M_COUNT; m++)
        row(csv, clock, t, unit, type, meas_names[m], (double)c[m] * per);
    static const struct { const char *name; double q; } latencies[] = {
        {"latency_p50", 0.5}, {"latency_p90", 0.9}, {"latency_p99", 0.99}, {"latency_p999", 0.999}};
    for (size_t i = 0; i < sizeof latencies / sizeof *latencies; i++) {
        if (h->total)
            row(csv, clock, t, unit, type, latencies[i].name, sim_time_to_seconds(sim_hist_quantile(h, latencies[i].q)));
        else
            fprintf(csv, "%.3f,%s,%s,%s,%s,\n", t, clock, unit, type, latencies[i].name);
    }
}

/* The interval's counts and latencies over a set of slots: every unit of
 * one type (unit < 0), or every type of one unit (type < 0). */
static void sum_slots(const w_world *w, int unit, int type, uint64_t *c, sim_hist *h)
{
    const struct w_measure *m = w->measure;
    memset(c, 0, M_COUNT * sizeof *c);
    sim_hist_clear(h);
    for (int u = 0; u < w->n_units; u++)
        for (int ty = 0; ty < w->n_types; ty++) {
            if ((unit >= 0 && u != unit) || (type >= 0 && ty != type))
                continue;
            size_t s = meas_slot(w, u, ty);
            for (int k = 0; k < M_COUNT; k++)
                c[k] += m->now.c[s * M_COUNT + (size_t)k];
            sim_hist_merge(h, &m->now.lat[s]);
        }
}

static void write_rows(w_world *w, const char *clock, double t, const uint64_t *all, const sim_hist *h_all,
                       double per, sim_time length)
{
    struct w_measure *m = w->measure;
    FILE *csv = m->csv;
    write_group(csv, clock, t, "all", "all", all, h_all, per);
    int full = w->sc->timeseries == TIMESERIES_FULL;
    uint64_t c[M_COUNT];
    sim_hist *h = &m->scratch_hist2;
    for (int ty = 0; full && ty < w->n_types; ty++) {
        sum_slots(w, -1, ty, c, h);
        write_group(csv, clock, t, "all", w->types[ty]->name, c, h, per);
    }
    for (int u = 0; full && u < w->n_units; u++) {
        if (w->units[u].kind != UNIT_RZONE)
            continue;
        sum_slots(w, u, -1, c, h);
        write_group(csv, clock, t, w->units[u].def->name, "all", c, h, per);
    }
    for (int ci = 0; full && ci < w->n_cells; ci++) {
        w_cell *cell = w->cells[ci];
        char name[160];
        snprintf(name, sizeof name, "%s@%s", cell->unit->def->name, cell->dc->geo->name);
        double ns = (double)length;
        double workers = (double)cell->n_servers * cell->pool->workers;
        row(csv, clock, t, name, "all", "utilisation", ns > 0 ? cell->busy_integral / ns / workers : 0);
        row(csv, clock, t, name, "all", "queue_length", ns > 0 ? cell->queue_integral / ns / w->scale : 0);
        row(csv, clock, t, name, "all", "served", (double)cell->served * per);
    }
    row(csv, clock, t, "all", "all", "lost_writes", (double)w->lost_writes / w->scale);
}

static void on_tick(sim_engine *e, void *subject, void *object)
{
    (void)object;
    w_world *w = subject;
    struct w_measure *m = w->measure;
    sim_time now = sim_now(e);
    sim_time start = m->interval_start;
    double seconds = sim_time_to_seconds(now - start);
    double per = seconds > 0 ? 1 / (w->scale * seconds) : 0; /* real-world per second */
    double t = sim_time_to_seconds(start - w->warmup);
    char clock[SIM_TIME_TEXT_MAX];
    world_clock(w, start, clock, sizeof clock);
    uint64_t all[M_COUNT];
    sim_hist *h_all = &m->scratch_hist;
    sum_slots(w, -1, -1, all, h_all);
    mdl_series_point p = {0};
    p.t = t;
    p.offered = (double)all[M_OFFERED] * per;
    p.succeeded = (double)all[M_SUCCEEDED] * per;
    p.failed = (double)all[M_FAILED] * per;
    p.retries = (double)all[M_RETRIES] * per;
    p.p50 = sim_time_to_seconds(sim_hist_quantile(h_all, 0.5));
    p.p99 = sim_time_to_seconds(sim_hist_quantile(h_all, 0.99));
    p.lost_writes = (double)w->lost_writes / w->scale;
    for (int c = 0; c < FAIL_COUNT; c++)
        p.by_cause[c] = (double)all[M_OF_FAILURE(c)] * per;
    p.cross_dc_calls = (double)all[M_CROSS_DC_CALLS] * per;
    for (int ty = 0; ty < w->n_types && ty < MDL_SERIES_TYPES; ty++)
        for (int u = 0; u < w->n_units; u++) {
            size_t slot = meas_slot(w, u, ty) * M_COUNT;
            p.type_offered[ty] += (double)m->now.c[slot + M_OFFERED] * per;
            p.type_succeeded[ty] += (double)m->now.c[slot + M_SUCCEEDED] * per;
        }
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        metrics_cell_change(w, cell);
        if (cell->dc->index < MDL_SERIES_DCS)
            p.dc_served[cell->dc->index] += (double)cell->served * per;
    }
    series_push(w, &p);
    m->last = p;
    m->has_last = 1;
    if (m->csv) {
        write_rows(w, clock, t, all, h_all, per, now - start);
        if (ferror(m->csv)) { /* a full disk: no use running on */
            sim_io_failed(m->csv_path, errno);
            w->status = SIM_EIO;
            sim_engine_stop(e);
        }
    }
    w_note tick = note_of(NOTE_TICK);
    tick.from = start;
    tick.to = now;
    tick.offered = all[M_OFFERED];
    tick.succeeded = all[M_SUCCEEDED];
    tick.failed = all[M_FAILED];
    tick.shed = all[M_SHED];
    tick.overloaded = all[M_OF_FAILURE(FAIL_OVERLOAD)];
    note_publish(w, &tick);
    /* Kept for the window's places; then reset for the next interval. */
    memcpy(m->last_c, m->now.c, (size_t)w->n_units * (size_t)w->n_types * M_COUNT * sizeof *m->now.c);
    m->last_per = per;
    memset(m->now.c, 0, (size_t)w->n_units * (size_t)w->n_types * M_COUNT * sizeof *m->now.c);
    for (size_t i = 0; i < (size_t)w->n_units * (size_t)w->n_types; i++)
        sim_hist_clear(&m->now.lat[i]);
    for (int c = 0; c < w->n_cells; c++) {
        w->cells[c]->busy_integral = w->cells[c]->queue_integral = 0;
        w->cells[c]->served = 0;
    }
    m->interval_start = now;
    if (now < w->end)
        sim_event_post(e, now + m->interval < w->end ? now + m->interval : w->end, on_tick, w, NULL);
}

int interval_start(w_world *w)
{
    sim_time first = w->measure->interval < w->end ? w->measure->interval : w->end;
    return sim_event_post(w->e, first, on_tick, w, NULL) ? SIM_OK : SIM_ENOMEM;
}

int measure_series_open(w_world *w, const char *path)
{
    struct w_measure *m = w->measure;
    snprintf(m->csv_path, sizeof m->csv_path, "%s", path);
    m->csv = fopen(path, "w");
    if (!m->csv) {
        sim_io_failed(path, errno);
        return SIM_EIO;
    }
    fputs("time,clock,unit,type,measure,value\n", m->csv);
    return SIM_OK;
}
