/* bench_engine.c -- hold, hold+cancel and mix: the workloads of the
 * foundation issue, written against the public engine API.
 *  hold:        each event schedules one new event at now + Exp(1 s).
 *  hold+cancel: the same, and each event schedules a timeout at now + 5 s
 *               and cancels the timeout its predecessor in the chain set.
 *  mix:         a request loop per chain: a link hop of 0.5 ms, a service
 *               time lognormal(mean 5 ms, p99 25 ms), and a 2 s timeout
 *               replaced (cancelled) at every service completion. */
#include "bench_engine.h"

#include <math.h>
#include <stddef.h>

#include "app.h"
#include "sim_alloc.h"
#include "sim_dist.h"
#include "sim_rng.h"
#include "sim_status.h"

typedef struct bench_state {
    sim_rng rng;
    sim_timer_lane *timeout_lane;
    sim_lane *link_lane;
    double ln_mu, ln_sigma;
    int use_lanes;
} bench_state;

/* A chain's own memory: its pending timeout, an event id or (with lanes,
 * as the models hold a request's timeout) a timer. The shared state
 * travels as each event's object, so a chain costs 8 bytes, as lean as a
 * model's per-request record would be. The chain's own events are never
 * cancelled, so they are posted with no id, as the models' are. */
typedef struct chain {
    union {
        sim_event_id id;
        sim_timer timer;
    } timeout;
} chain;

static const sim_time TIMEOUT_HOLD = 5 * SIM_SEC;
static const sim_time TIMEOUT_MIX = 2 * SIM_SEC;
static const sim_time LINK_DELAY = SIM_MS / 2;

static inline sim_time exp1_ns(sim_rng *r)
{
    return (sim_time)(-log(sim_rng_uniform_pos(r)) * 1e9);
}

static void on_timeout(sim_engine *e, void *subject, void *object)
{
    (void)e, (void)subject, (void)object;
}

/* Like the peers' harnesses, the plain hold event touches no per-chain
 * memory: its subject is the shared state. */
static void hold_event(sim_engine *e, void *subject, void *object)
{
    bench_state *s = subject;
    sim_event_post(e, sim_now(e) + exp1_ns(&s->rng), hold_event, s, object);
}

/* The chain's timeout: cancel the pending one, start the next. */
static void restart_timeout(sim_engine *e, bench_state *s, sim_time delay, chain *c)
{
    if (s->use_lanes) {
        sim_timer_cancel(&c->timeout.timer);
        sim_timer_start(s->timeout_lane, &c->timeout.timer);
    } else {
        sim_event_cancel(e, c->timeout.id);
        c->timeout.id = sim_event_schedule(e, sim_now(e) + delay, on_timeout, c, s);
    }
}

static void hold_cancel_event(sim_engine *e, void *subject, void *object)
{
    chain *c = subject;
    bench_state *s = object;
    restart_timeout(e, s, TIMEOUT_HOLD, c);
    sim_event_post(e, sim_now(e) + exp1_ns(&s->rng), hold_cancel_event, c, object);
}

static void mix_link_arrive(sim_engine *e, void *subject, void *object);

static void mix_service_done(sim_engine *e, void *subject, void *object)
{
    chain *c = subject;
    bench_state *s = object;
    restart_timeout(e, s, TIMEOUT_MIX, c);
    if (s->use_lanes)
        sim_lane_schedule(s->link_lane, mix_link_arrive, c, s);
    else
        sim_event_post(e, sim_now(e) + LINK_DELAY, mix_link_arrive, c, s);
}

static void mix_link_arrive(sim_engine *e, void *subject, void *object)
{
    chain *c = subject;
    bench_state *s = object;
    double service = sim_rand_lognormal(&s->rng, s->ln_mu, s->ln_sigma);
    sim_event_post(e, sim_now(e) + (sim_time)(service * 1e9), mix_service_done, c, object);
}

const char *bench_workload_name(bench_workload w)
{
    return w == BENCH_HOLD ? "hold" : w == BENCH_HOLD_CANCEL ? "hold+cancel" : "mix";
}

int bench_engine_run(const bench_config *cfg, bench_result *out)
{
    sim_engine *e = sim_engine_create_with(cfg->seed, cfg->queue);
    chain *chains = sim_calloc(cfg->pending, sizeof *chains);
    bench_state s = {.use_lanes = cfg->use_lanes};
    int rc = SIM_ENOMEM;
    if (!e || !chains)
        goto done;
    sim_rng_init(&s.rng, cfg->seed, "bench");
    const char *why;
    sim_lognormal_from_mean_p99(0.005, 0.025, &s.ln_mu, &s.ln_sigma, &why);
    s.timeout_lane = sim_timer_lane_create(e, cfg->workload == BENCH_MIX ? TIMEOUT_MIX : TIMEOUT_HOLD,
                                           on_timeout, &s, offsetof(chain, timeout.timer));
    s.link_lane = sim_lane_create(e, LINK_DELAY);
    if (!s.timeout_lane || !s.link_lane)
        goto done;

    double t0 = app_wall_seconds();
    for (uint64_t i = 0; i < cfg->pending; i++) {
        chain *c = &chains[i];
        sim_time first = exp1_ns(&s.rng);
        sim_event_fn *fn = cfg->workload == BENCH_HOLD ? hold_event
                           : cfg->workload == BENCH_HOLD_CANCEL ? hold_cancel_event
                                                                : mix_link_arrive;
        if (cfg->workload == BENCH_MIX)
            first /= 1000; /* spread the chains over the first millisecond */
        sim_event_post(e, first, fn, cfg->workload == BENCH_HOLD ? (void *)&s : (void *)c, &s);
    }
    double t1 = app_wall_seconds();
    int stop = sim_engine_run_until(e, SIM_TIME_NEVER, cfg->events);
    double t2 = app_wall_seconds();
    if (stop < 0)
        goto done;
    out->fired = sim_engine_events_fired(e);
    out->setup_seconds = t1 - t0;
    out->events_per_second = (double)out->fired / (t2 - t1);
    out->sim_seconds = sim_time_to_seconds(sim_now(e));
    rc = SIM_OK;
done:
    sim_free(chains);
    sim_engine_destroy(e);
    return rc;
}
