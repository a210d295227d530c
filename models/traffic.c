/* traffic.c -- the offered load: a non-homogeneous Poisson process whose
 * rate follows the scenario's curve (scaled), each arrival a user drawn
 * uniformly from the population and a request type drawn by the mix. The
 * streams are named for the traffic, not the stage: every stage of a
 * scenario sees the same users and the same arrivals. */
#include <math.h>

#include "req.h"
#include "world_int.h"

#define ITEM(list, type, i) ((const type *)(list).items + (i))

double traffic_rate(const w_world *w, sim_time t)
{
    const scenario *sc = w->sc;
    const scn_curve *cv = &sc->traffic.curve;
    if (cv->points.n > 0) {
        const scn_point *first = ITEM(cv->points, scn_point, 0);
        if (t <= mdl_clock_to_run(sc, first->at))
            return first->rate;
        for (size_t i = 1; i < cv->points.n; i++) {
            const scn_point *a = ITEM(cv->points, scn_point, i - 1), *b = ITEM(cv->points, scn_point, i);
            sim_time ta = mdl_clock_to_run(sc, a->at), tb = mdl_clock_to_run(sc, b->at);
            if (t <= tb)
                return a->rate + (b->rate - a->rate) * (double)(t - ta) / (double)(tb - ta);
        }
        return ITEM(cv->points, scn_point, cv->points.n - 1)->rate;
    }
    sim_time spike = mdl_clock_to_run(sc, cv->spike_at), peak = mdl_clock_to_run(sc, cv->peak_at);
    if (t < spike)
        return cv->baseline;
    double jumped = cv->jump * cv->baseline;
    if (t < peak)
        return jumped + (cv->peak - jumped) * (double)(t - spike) / (double)(peak - spike);
    return cv->after + (cv->peak - cv->after) * exp(-sim_time_to_seconds(t - peak) / sim_time_to_seconds(cv->decay));
}

static void schedule_next(w_world *w, sim_time now);

static void on_arrival_look(sim_engine *e, void *subject, void *object)
{
    (void)object;
    schedule_next(subject, sim_now(e));
}

static void on_arrival(sim_engine *e, void *subject, void *object)
{
    (void)object;
    w_world *w = subject;
    sim_time now = sim_now(e);
    if (now >= w->end)
        return; /* the measured part is over: no new users */
    w_req *r = req_alloc(w);
    if (!r)
        return;
    r->uid = (uint64_t)(sim_rng_uniform(&w->users_rng) * w->users);
    r->type = (uint16_t)sim_choice_draw(&w->type_choice, &w->types_rng);
    /* The shard key: the user id's third- and second-to-last digits. */
    r->shard = (uint8_t)(r->uid / 10 % 100);
    r->unit = (uint8_t)w->shard_unit[r->shard]->index;
    r->born = now;
    metrics_offered(w, r);
    req_start_attempt(w, r);
    schedule_next(w, now);
}

/* The next arrival after `now`; with no load now, a look at the next
 * point of the curve that may bring some (none: the users are done). */
static void schedule_next(w_world *w, sim_time now)
{
    double rate = traffic_rate(w, now) * w->scale;
    if (rate > 0) {
        sim_time gap = (sim_time)(-log(sim_rng_uniform_pos(&w->arrivals_rng)) / rate * 1e9);
        sim_event_post(w->e, now + gap, on_arrival, w, NULL);
        return;
    }
    const scn_curve *cv = &w->sc->traffic.curve;
    sim_time next = SIM_TIME_NEVER;
    for (size_t i = 0; i < cv->points.n; i++) {
        sim_time t = mdl_clock_to_run(w->sc, ITEM(cv->points, scn_point, i)->at);
        if (t > now && t < next)
            next = t;
    }
    if (cv->points.n == 0)
        next = now + SIM_SEC; /* the shape may rise again: look each second */
    if (next != SIM_TIME_NEVER && next < w->end)
        sim_event_post(w->e, next, on_arrival_look, w, NULL);
}

int world_traffic_start(w_world *w)
{
    schedule_next(w, 0); /* a failure to schedule stops the run with SIM_ENOMEM */
    return SIM_OK;
}

/* Offered load over the minute from t, by the trapezoid rule on 10 s. */
static double minute_load(const w_world *w, sim_time t)
{
    double sum = 0;
    for (int k = 0; k <= 6; k++)
        sum += traffic_rate(w, t + k * 10 * SIM_SEC) * (k == 0 || k == 6 ? 0.5 : 1);
    return sum;
}

/* The start of the busiest minute of offered load within the measured
 * part. A one-second grid is precise enough for "at the peak"; runs longer
 * than a day (years of random failures) search a grid of 86400 points so
 * that finding the peak never costs more than a day's worth of steps. */
sim_time traffic_busiest_minute(const w_world *w)
{
    sim_time from = w->warmup, to = w->end - 60 * SIM_SEC;
    if (to <= from)
        return from;
    sim_time step = (to - from) / 86400;
    if (step < SIM_SEC)
        step = SIM_SEC;
    double best = -1;
    sim_time best_at = from;
    for (sim_time t = from; t <= to; t += step) {
        double load = minute_load(w, t);
        if (load > best) {
            best = load;
            best_at = t;
        }
    }
    return best_at;
}
