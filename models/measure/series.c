/* series.c -- the run's time series in memory, for charts: one point an
 * interval, averaged into wider points when a run is long, so memory stays
 * bounded (at most SERIES_CAP points). */
#include "meas_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

#define SERIES_CAP 4096

int series_init(w_world *w)
{
    struct w_measure *m = w->measure;
    m->series = sim_calloc(1, sizeof *m->series);
    if (!m->series)
        return SIM_ENOMEM;
    m->series->p = sim_calloc(SERIES_CAP, sizeof *m->series->p);
    if (!m->series->p)
        return SIM_ENOMEM;
    m->series->cap = SERIES_CAP;
    m->series_merge = 1;
    return SIM_OK;
}

void series_fini(w_world *w)
{
    struct w_measure *m = w->measure;
    if (m->series)
        sim_free(m->series->p);
    sim_free(m->series);
    m->series = NULL;
}

/* a and b averaged (k parts a, 1 part b); latencies keep the worse,
 * lost writes (cumulative) the later. */
static mdl_series_point blend(const mdl_series_point *a, double k, const mdl_series_point *b)
{
    mdl_series_point m = *a;
    m.offered = (a->offered * k + b->offered) / (k + 1);
    m.succeeded = (a->succeeded * k + b->succeeded) / (k + 1);
    m.failed = (a->failed * k + b->failed) / (k + 1);
    m.retries = (a->retries * k + b->retries) / (k + 1);
    m.p50 = a->p50 > b->p50 ? a->p50 : b->p50;
    m.p99 = a->p99 > b->p99 ? a->p99 : b->p99;
    m.lost_writes = b->lost_writes;
    for (int d = 0; d < MDL_SERIES_DCS; d++)
        m.dc_served[d] = (a->dc_served[d] * k + b->dc_served[d]) / (k + 1);
    return m;
}

void series_push(w_world *w, const mdl_series_point *p)
{
    struct w_measure *m = w->measure;
    mdl_series *s = m->series;
    if (s->n == s->cap) {
        /* Full: halve the resolution. */
        for (size_t i = 0; i < s->n / 2; i++)
            s->p[i] = blend(&s->p[2 * i], 1, &s->p[2 * i + 1]);
        s->n /= 2;
        m->series_merge *= 2;
    }
    if (m->series_pending == 0)
        m->series_acc = *p;
    else /* average into the point being built */
        m->series_acc = blend(&m->series_acc, (double)m->series_pending, p);
    if (++m->series_pending >= m->series_merge) {
        s->p[s->n++] = m->series_acc;
        m->series_pending = 0;
    }
}
