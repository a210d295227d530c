/* mdl_curve.c -- the scenario's offered load as a function of time: its
 * points joined by lines, or the Double-11 shape (a baseline, a jump at the
 * spike, a straight rise to the peak, an exponential fall). Pure functions
 * of the scenario: the traffic, the measures and the command line all read
 * the same curve. */
#include <math.h>

#include "mdl_config.h"

double mdl_curve_rate(const scenario *sc, sim_time t)
{
    const scn_curve *cv = &sc->traffic.curve;
    if (cv->points.n > 0) {
        const scn_point *first = MDL_ITEM(cv->points, scn_point, 0);
        if (t <= mdl_clock_to_run(sc, first->at))
            return first->rate;
        for (size_t i = 1; i < cv->points.n; i++) {
            const scn_point *a = MDL_ITEM(cv->points, scn_point, i - 1), *b = MDL_ITEM(cv->points, scn_point, i);
            sim_time ta = mdl_clock_to_run(sc, a->at), tb = mdl_clock_to_run(sc, b->at);
            if (t <= tb)
                return a->rate + (b->rate - a->rate) * (double)(t - ta) / (double)(tb - ta);
        }
        return MDL_ITEM(cv->points, scn_point, cv->points.n - 1)->rate;
    }
    sim_time spike = mdl_clock_to_run(sc, cv->spike_at), peak = mdl_clock_to_run(sc, cv->peak_at);
    if (t < spike)
        return cv->baseline;
    double jumped = cv->jump * cv->baseline;
    if (t < peak)
        return jumped + (cv->peak - jumped) * (double)(t - spike) / (double)(peak - spike);
    return cv->after + (cv->peak - cv->after) * exp(-sim_time_to_seconds(t - peak) / sim_time_to_seconds(cv->decay));
}

/* Offered load over the minute from t, by the trapezoid rule on 10 s. */
static double minute_load(const scenario *sc, sim_time t)
{
    double sum = 0;
    for (int k = 0; k <= 6; k++)
        sum += mdl_curve_rate(sc, t + k * 10 * SIM_SEC) * (k == 0 || k == 6 ? 0.5 : 1);
    return sum;
}

sim_time mdl_curve_busiest_minute(const scenario *sc)
{
    /* A one-second grid is precise enough for "at the peak"; runs longer
     * than a day (years of random failures) search a grid of 86400 points
     * so that finding the peak never costs more than a day's worth of steps. */
    sim_time from = sc->warmup, to = sc->warmup + sc->duration - 60 * SIM_SEC;
    if (to <= from)
        return from;
    sim_time step = (to - from) / 86400;
    if (step < SIM_SEC)
        step = SIM_SEC;
    double best = -1;
    sim_time best_at = from;
    for (sim_time t = from; t <= to; t += step) {
        double load = minute_load(sc, t);
        if (load > best) {
            best = load;
            best_at = t;
        }
    }
    return best_at;
}

sim_time mdl_curve_step(const scenario *sc)
{
    sim_time end = sc->warmup + sc->duration;
    return end / 20000 > SIM_SEC ? end / 20000 : SIM_SEC;
}

double mdl_scenario_requests(const mdl_config *cfg, double scale)
{
    /* The integral of the curve, on its grid. */
    const scenario *sc = cfg->scn;
    sim_time end = sc->warmup + sc->duration;
    sim_time step = mdl_curve_step(sc);
    double total = 0;
    for (sim_time t = 0; t < end; t += step)
        total += mdl_curve_rate(sc, t) * sim_time_to_seconds(step < end - t ? step : end - t);
    return total * scale;
}
