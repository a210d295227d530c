/* traffic.c -- the offered load: a non-homogeneous Poisson process whose
 * rate follows the scenario's curve (scaled), each arrival a user drawn
 * uniformly from the population and a request type drawn by the mix. The
 * streams are named for the traffic, not the stage: every stage of a
 * scenario sees the same users and the same arrivals. */
#include <math.h>
#include <stddef.h>

#include "flow_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

static void schedule_next(w_world *w, sim_time now);

static void on_arrival_look(sim_engine *e, void *subject, void *object)
{
    (void)object;
    schedule_next(subject, sim_now(e));
}

/* Runs when the user's request reaches its entry, client_shift after the
 * arrival (see flow_int.h): the trip there costs no event of its own. On
 * the arrival lane: the subject is the flow, whose timer it is. */
static void on_arrival(sim_engine *e, void *subject, void *object)
{
    (void)subject;
    w_world *w = object;
    struct w_flow *fl = w->flow;
    sim_time now = sim_now(e) - fl->client_shift; /* the arrival */
    if (now >= w->end)
        return; /* the measured part is over: no new users */
    w_req *r = req_alloc(w);
    if (!r)
        return;
    r->uid = (uint64_t)(sim_rng_uniform(&fl->users_rng) * w->users);
    r->type = (uint16_t)sim_choice_draw(&fl->type_choice, &fl->types_rng);
    /* The shard key: the user id's third- and second-to-last digits. */
    r->shard = (uint8_t)(r->uid / 10 % 100);
    r->unit = (uint8_t)w->shard_unit[r->shard]->index;
    r->born = now;
    req_count(w, r, M_OFFERED);
    req_start_attempt(w, r);
    schedule_next(w, now);
}

/* The next arrival after `now`; with no load now, or none before the end
 * at this rate (a tiny scale), a look at the next point of the curve that
 * may bring some (none: the users are done). */
static void schedule_next(w_world *w, sim_time now)
{
    double rate = mdl_curve_rate(w->sc, now) * w->scale;
    if (rate > 0) {
        /* In double first: a gap at a rate of a few per year would pass the
         * time type's range. */
        double gap = -log(sim_rng_uniform_pos(&w->flow->arrivals_rng)) / rate * 1e9;
        if (gap < (double)(w->end - now)) {
            sim_timer_start_at(w->flow->arrival_lane, &w->flow->arrival, now + (sim_time)gap + w->flow->client_shift);
            return;
        }
    }
    const scn_curve *cv = &w->sc->traffic.curve;
    sim_time next = SIM_TIME_NEVER;
    for (size_t i = 0; i < cv->points.n; i++) {
        sim_time t = mdl_clock_to_run(w->sc, MDL_ITEM(cv->points, scn_point, i)->at);
        if (t > now && t < next)
            next = t;
    }
    if (cv->points.n == 0)
        next = now + SIM_SEC; /* the shape may rise again: look each second */
    if (next != SIM_TIME_NEVER && next < w->end)
        sim_event_post(w->e, next, on_arrival_look, w, NULL);
}

int traffic_init(w_world *w)
{
    struct w_flow *fl = w->flow;
    double *weights = sim_calloc((size_t)w->n_types, sizeof *weights);
    if (!weights)
        return SIM_ENOMEM;
    for (int t = 0; t < w->n_types; t++)
        weights[t] = w->types[t]->share;
    int rc = sim_choice_init(&fl->type_choice, weights, (size_t)w->n_types);
    sim_free(weights);
    if (rc)
        return rc;
    sim_rng_init(&fl->arrivals_rng, w->seed, "traffic.arrivals");
    sim_rng_init(&fl->users_rng, w->seed, "traffic.users");
    sim_rng_init(&fl->types_rng, w->seed, "traffic.types");
    sim_rng_init(&fl->retry_rng, w->seed, "client.retry");
    /* One arrival is pending at a time, each after the last: a timer lane
     * holds it beside the main queue, which it would otherwise enter and
     * leave once a request, the most frequent event of all. The engine
     * orders the lane's head with the queue by (time, scheduling order),
     * as it would on the queue: the same run. */
    fl->arrival_lane = sim_timer_lane_create(w->e, 0, on_arrival, w, offsetof(struct w_flow, arrival));
    if (!fl->arrival_lane)
        return SIM_ENOMEM;
    return SIM_OK;
}

int traffic_start(w_world *w)
{
    schedule_next(w, 0); /* a failure to schedule stops the run with SIM_ENOMEM */
    return SIM_OK;
}
