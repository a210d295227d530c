/* mdl_estimate.c -- what a run will take, from its files alone, before it
 * starts: the size of its time series (intervals x rows x bytes a row) and
 * the memory it may need at worst (every request of the peak second's rate
 * held for its client's whole patience, as in an outage where every call
 * hangs; the measures' counters; the users' bitmaps). Upper bounds, so the
 * program can refuse a run that would fill the disk or the memory. */
#include <math.h>

#include "mdl_config.h"

/* Bytes of a row of timeseries.csv, about ("12.000,00:00:12,RZ01,pay,latency_p99,0.0123"). */
#define ROW_BYTES 64
/* Rows of one group (unit x type) in an interval, at most: every measure
 * and four latency quantiles. */
#define GROUP_ROWS 24
/* Bytes one request in flight holds: its record and its pending events. */
#define REQUEST_BYTES 256
/* Bytes of one latency histogram (sim_hist). */
#define HIST_BYTES 17000

void mdl_estimate_run(const mdl_config *cfg, size_t stage_index, double scale, mdl_estimate *out)
{
    const scenario *sc = cfg->scn;
    const stage *st = cfg->stages[stage_index];
    sim_time length = sc->warmup + sc->duration;
    double intervals = (double)length / (double)sc->interval + 1;
    double rows = GROUP_ROWS + 1; /* all/all, lost writes */
    size_t rzones = 0, cells = 0;
    for (size_t u = 0; u < st->units.n; u++) {
        const stg_unit *unit = MDL_ITEM(st->units, stg_unit, u);
        rzones += unit->kind == UNIT_RZONE;
        cells += unit->cells.n;
    }
    if (sc->timeseries == TIMESERIES_FULL)
        rows += GROUP_ROWS * ((double)sc->traffic.types.n + (double)rzones) + 3 * (double)cells;
    out->series_bytes = intervals * rows * ROW_BYTES;
    /* The peak rate: the curve is straight between its points (or, as the
     * Double-11 shape, rises to its peak and falls): at its points, or on
     * its grid for a shape, no higher rate is missed. */
    double peak = 0;
    sim_time step = mdl_curve_step(sc);
    for (sim_time t = 0; t <= length; t += step)
        peak = fmax(peak, mdl_curve_rate(sc, t));
    const scn_curve *cv = &sc->traffic.curve;
    for (size_t i = 0; i < cv->points.n; i++)
        peak = fmax(peak, MDL_ITEM(cv->points, scn_point, i)->rate);
    if (cv->points.n == 0)
        peak = fmax(peak, cv->peak);
    const scn_client *cl = &sc->traffic.client;
    double patience = sim_time_to_seconds(cl->timeout) * (double)(cl->retries + 1);
    out->in_flight = peak * scale * patience;
    double groups = (double)st->units.n * (double)sc->traffic.types.n;
    out->memory_bytes = out->in_flight * REQUEST_BYTES + groups * 3 * HIST_BYTES + sc->traffic.users * scale / 8 * 2;
}
