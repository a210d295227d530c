/* measure.c -- the measures' own state: set up on a built world (the
 * counters of the interval, the warm-up and the measured run, the users
 * affected, the series, the incidents, the first tick), freed; and the
 * results that are only read out. */
#include <string.h>

#include "meas_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

static size_t slots(const w_world *w) { return (size_t)w->n_units * (size_t)w->n_types; }

static int counts_init(w_world *w, meas_counts *c)
{
    c->c = sim_calloc(slots(w) * M_COUNT, sizeof *c->c);
    c->lat = sim_calloc(slots(w), sizeof *c->lat);
    return c->c && c->lat ? SIM_OK : SIM_ENOMEM;
}

static void counts_fini(meas_counts *c)
{
    sim_free(c->c);
    sim_free(c->lat);
}

int measure_init(w_world *w)
{
    struct w_measure *m = sim_calloc(1, sizeof *m);
    if (!m)
        return SIM_ENOMEM;
    w->measure = m;
    if (counts_init(w, &m->now) || counts_init(w, &m->total) || counts_init(w, &m->warm))
        return SIM_ENOMEM;
    m->users_failed = sim_calloc((size_t)(w->users / 8) + 1, 1);
    m->last_c = sim_calloc(slots(w) * M_COUNT + 1, sizeof *m->last_c);
    if (!m->users_failed || !m->last_c || series_init(w) || incidents_init(w))
        return SIM_ENOMEM;
    m->interval = w->sc->interval;
    m->peak_from = mdl_curve_busiest_minute(w->sc);
    m->peak_to = m->peak_from + 60 * SIM_SEC;
    return interval_start(w);
}

void measure_fini(w_world *w)
{
    struct w_measure *m = w->measure;
    if (!m)
        return;
    counts_fini(&m->now);
    counts_fini(&m->total);
    counts_fini(&m->warm);
    sim_free(m->users_failed);
    sim_free(m->last_c);
    series_fini(w);
    incidents_fini(w);
    if (m->csv)
        fclose(m->csv);
    sim_free(m);
    w->measure = NULL;
}

double measure_attempts(const w_world *w)
{
    return meas_sum(w, &w->measure->total, M_ATTEMPTS) + meas_sum(w, &w->measure->warm, M_ATTEMPTS);
}

const mdl_series *measure_series(const w_world *w) { return w->measure->series; }

void measure_unit_last(const w_world *w, int unit, double *offered, double *failed, double *by_cause)
{
    const struct w_measure *m = w->measure;
    *offered = *failed = 0;
    for (int c = 0; c < FAIL_COUNT; c++)
        by_cause[c] = 0;
    if (!m->has_last)
        return;
    for (int ty = 0; ty < w->n_types; ty++) {
        const uint64_t *c = &m->last_c[meas_slot(w, unit, ty) * M_COUNT];
        *offered += (double)c[M_OFFERED] * m->last_per;
        *failed += (double)c[M_FAILED] * m->last_per;
        for (int k = 0; k < FAIL_COUNT; k++)
            by_cause[k] += (double)c[M_OF_FAILURE(k)] * m->last_per;
    }
}

int measure_last_interval(const w_world *w, mdl_series_point *out)
{
    if (w->measure->has_last)
        *out = w->measure->last;
    return w->measure->has_last;
}
