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
    double rate = traffic_rate(w, now) * w->scale;
    sim_time gap = rate > 0 ? (sim_time)(-log(sim_rng_uniform_pos(&w->arrivals_rng)) / rate * 1e9)
                            : SIM_SEC; /* no load now: look again in a second */
    sim_event_schedule(e, now + gap, on_arrival, w, NULL);
}

int world_traffic_start(w_world *w)
{
    double rate = traffic_rate(w, 0) * w->scale;
    sim_time first = rate > 0 ? (sim_time)(-log(sim_rng_uniform_pos(&w->arrivals_rng)) / rate * 1e9) : 0;
    return sim_event_schedule(w->e, first, on_arrival, w, NULL) ? SIM_OK : SIM_ENOMEM;
}

/* The start of the busiest minute of offered load within the measured
 * part (a one-second grid is precise enough for "at the peak"). */
sim_time traffic_busiest_minute(const w_world *w)
{
    sim_time from = w->warmup, to = w->end - 60 * SIM_SEC;
    if (to <= from)
        return from;
    double best = -1;
    sim_time best_at = from;
    double window = 0;
    for (sim_time t = from; t < from + 60 * SIM_SEC; t += SIM_SEC)
        window += traffic_rate(w, t);
    for (sim_time t = from; t <= to; t += SIM_SEC) {
        if (window > best) {
            best = window;
            best_at = t;
        }
        window += traffic_rate(w, t + 60 * SIM_SEC) - traffic_rate(w, t);
    }
    return best_at;
}
