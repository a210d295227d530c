/* prot.c -- the protections a flash-sale system lives by: a token bucket
 * for the entry's rate limits (holding one second of tokens), a count of
 * requests in flight for admission control, degradation switches driven
 * by the success ratio of each interval, circuit breakers per (cell, shard
 * group) over a rolling window, a retry budget over a rolling window; and
 * the errors a bad release injects. Each follows the stage's file. */
#include <string.h>

#include "flow_int.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "sim_window.h"
#include "world_event.h"

/* Buckets a breaker's window keeps at most: one a second up to this many
 * seconds, wider beyond, so that thousands of breakers stay small. */
#define BREAKER_BUCKETS 64

typedef struct bucket_rate {
    double rate, tokens;        /* per second (scaled); tokens now */
    sim_time last;
} bucket_rate;

enum { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN /* one trial call in flight */ };

typedef struct breaker {
    sim_window calls;           /* calls and failures */
    int state;                  /* BREAKER_... */
    int cause;                  /* FAIL_... of the last failure it counted */
    sim_time open_until;
} breaker;

struct flow_prot {
    bucket_rate total;
    bucket_rate *per_type;
    int64_t max_in_flight;
    int64_t in_flight;
    breaker *breakers;          /* [cell][group], when the stage has breakers */
    int n_breakers;
    sim_window attempts;        /* first attempts and retries, when the stage has a budget */
    /* Degradation. */
    int shed_level;             /* how many types of the list are shed */
    int *shed;                  /* per type */
    sim_time bad_since, good_since;
    int alerted;                /* the trainee, who took over degradation, was told: 1 to shed, 2 to
                                 * restore (each told again only after the other condition held as
                                 * long as the mechanism itself waits, so noise does not repeat it) */
};

static void take_tokens_init(bucket_rate *b, double rate)
{
    b->rate = rate;
    b->tokens = rate; /* one second's worth */
    b->last = 0;
}

static int take_token(bucket_rate *b, sim_time now)
{
    if (b->rate <= 0)
        return 1;
    b->tokens += b->rate * sim_time_to_seconds(now - b->last);
    if (b->tokens > b->rate)
        b->tokens = b->rate;
    b->last = now;
    if (b->tokens < 1)
        return 0;
    b->tokens -= 1;
    return 1;
}

int prot_init(w_world *w)
{
    flow_prot *p = sim_calloc(1, sizeof *p);
    if (!p)
        return SIM_ENOMEM;
    w->flow->prot = p;
    const stage *st = w->st;
    take_tokens_init(&p->total, st->entry.rate_limit * w->scale);
    p->per_type = sim_calloc((size_t)w->n_types, sizeof *p->per_type);
    p->shed = sim_calloc((size_t)w->n_types, sizeof *p->shed);
    if (!p->per_type || !p->shed)
        return SIM_ENOMEM;
    const stg_breaker *bc = &st->protections.breaker;
    if (bc->head.present) {
        sim_time interval = (bc->window + BREAKER_BUCKETS - 1) / BREAKER_BUCKETS;
        if (interval < SIM_SEC)
            interval = SIM_SEC;
        p->n_breakers = w->n_cells * (w->n_groups ? w->n_groups : 1);
        p->breakers = sim_calloc((size_t)p->n_breakers, sizeof *p->breakers);
        if (!p->breakers)
            return SIM_ENOMEM;
        for (int i = 0; i < p->n_breakers; i++)
            if (sim_window_init(&p->breakers[i].calls, bc->window, interval))
                return SIM_ENOMEM;
    }
    const stg_retry_budget *rb = &st->protections.retry_budget;
    if (rb->head.present && sim_window_init(&p->attempts, rb->window, SIM_SEC))
        return SIM_ENOMEM;
    for (size_t k = 0; k < st->entry.type_limits.n; k++)
        for (int t = 0; t < w->n_types; t++)
            if (!strcmp(w->types[t]->name, st->entry.type_limits.keys[k]))
                take_tokens_init(&p->per_type[t], ((const double *)st->entry.type_limits.values)[k] * w->scale);
    p->max_in_flight = st->entry.max_in_flight > 0 ? (int64_t)(st->entry.max_in_flight * w->scale + 0.5) : 0;
    if (st->entry.max_in_flight > 0 && p->max_in_flight < 1)
        p->max_in_flight = 1;
    p->bad_since = p->good_since = -1;
    return SIM_OK;
}

void prot_fini(w_world *w)
{
    flow_prot *p = w->flow->prot;
    if (!p)
        return;
    for (int i = 0; i < p->n_breakers; i++)
        sim_window_fini(&p->breakers[i].calls);
    sim_window_fini(&p->attempts);
    sim_free(p->per_type);
    sim_free(p->shed);
    sim_free(p->breakers);
    sim_free(p);
    w->flow->prot = NULL;
}

void prot_set_shed(w_world *w, int type, int shed) { w->flow->prot->shed[type] = shed; }
int prot_is_shed(const w_world *w, int type) { return w->flow->prot->shed[type]; }

int prot_admit(w_world *w, const w_req *r)
{
    flow_prot *p = w->flow->prot;
    sim_time now = sim_now(w->e);
    if (p->shed[r->type])
        return FAILURE(M_SHED, FAIL_SHED);
    if (!take_token(&p->total, now) || !take_token(&p->per_type[r->type], now))
        return FAILURE(M_RATE_LIMITED, FAIL_OVERLOAD);
    if (p->max_in_flight && p->in_flight >= p->max_in_flight)
        return FAILURE(M_REFUSED, FAIL_SHED); /* admission control: by design */
    return 0;
}

void prot_in_flight(w_world *w, int delta) { w->flow->prot->in_flight += delta; }

/* ==== Retry budget ==== */

void prot_note_attempt(w_world *w, int is_retry)
{
    flow_prot *p = w->flow->prot;
    if (p->attempts.bucket)
        sim_window_add(&p->attempts, sim_now(w->e), !is_retry, is_retry);
}

int prot_retry_allowed(w_world *w)
{
    const stg_retry_budget *rb = &w->st->protections.retry_budget;
    if (!rb->head.present)
        return 1;
    uint64_t firsts, retries;
    sim_window_sum(&w->flow->prot->attempts, sim_now(w->e), &firsts, &retries);
    return (double)(retries + 1) <= rb->ratio / 100 * (double)firsts;
}

/* ==== Circuit breakers ==== */

static breaker *breaker_of(w_world *w, const w_cell *cell, const w_group *g)
{
    return &w->flow->prot->breakers[cell->index * w->n_groups + g->gid];
}

int prot_breaker_allows(w_world *w, const w_cell *cell, const w_group *g)
{
    const stg_breaker *cfg = &w->st->protections.breaker;
    if (!cfg->head.present)
        return 1;
    breaker *b = breaker_of(w, cell, g);
    if (b->state == BREAKER_CLOSED)
        return 1;
    if (b->state == BREAKER_OPEN && sim_now(w->e) >= b->open_until) {
        b->state = BREAKER_HALF_OPEN; /* let this one call test the way */
        return 1;
    }
    return 0;
}

int prot_breaker_failure(w_world *w, const w_cell *cell, const w_group *g)
{
    return FAILURE(M_BREAKER_OPEN, breaker_of(w, cell, g)->cause);
}

void prot_breaker_record(w_world *w, const w_cell *cell, const w_group *g, int failure)
{
    const stg_breaker *cfg = &w->st->protections.breaker;
    if (!cfg->head.present)
        return;
    breaker *b = breaker_of(w, cell, g);
    sim_time now = sim_now(w->e);
    int ok = failure == CALL_OK;
    if (!ok)
        b->cause = failure == CALL_LOST ? FAIL_FAULT : FAILURE_CAUSE(failure);
    if (b->state == BREAKER_HALF_OPEN) { /* the trial call decides */
        b->state = ok ? BREAKER_CLOSED : BREAKER_OPEN;
        b->open_until = now + cfg->open_for;
        if (ok)
            sim_window_clear(&b->calls); /* closed: a fresh start */
        return;
    }
    sim_window_add(&b->calls, now, 1, !ok);
    if (ok || b->state != BREAKER_CLOSED)
        return;
    uint64_t calls, failures;
    sim_window_sum(&b->calls, now, &calls, &failures);
    if ((int64_t)calls >= cfg->min_requests && (double)failures > cfg->error_threshold / 100 * (double)calls) {
        b->state = BREAKER_OPEN;
        b->open_until = now + cfg->open_for;
    }
}

/* ==== Bad release ==== */

int prot_injected_error(w_world *w, const w_req *r)
{
    const w_server *sv = r->server;
    int failed = sv->error_rate > 0 && sim_rng_uniform(&w->flow->retry_rng) < sv->error_rate;
    if (sv->green) {
        w->green_requests++;
        w->green_errors += failed;
    }
    return failed;
}

/* ==== Degradation ==== */

/* Sheds (on) or restores every request type of that name. */
static void shed_type(w_world *w, const char *name, int on)
{
    for (int t = 0; t < w->n_types; t++)
        if (!strcmp(w->types[t]->name, name))
            w->flow->prot->shed[t] = on;
}

void prot_on_tick(w_world *w, const w_note *n, void *context)
{
    (void)context;
    /* Degradation judges the traffic it still admits (shed requests do not
     * count against it, or it could never restore what it shed), and only
     * the failures shedding can cure: overload. A dead shard's writes or a
     * dark building's requests fail whatever is shed. */
    uint64_t offered = n->succeeded + n->failed - n->shed;
    uint64_t succeeded = offered > n->overloaded ? offered - n->overloaded : 0;
    const stg_degradation *dg = &w->st->protections.degradation;
    if (!dg->head.present || dg->shed.n == 0 || offered == 0)
        return;
    flow_prot *p = w->flow->prot;
    sim_time now = sim_now(w->e);
    double ratio = (double)succeeded / (double)offered * 100;
    if (ratio < dg->success_below) {
        p->good_since = -1;
        if (p->alerted == 2 && now - p->bad_since >= dg->after)
            p->alerted = 0; /* as bad as it took to shed: a new question */
        if (p->bad_since < 0)
            p->bad_since = now;
        if (now - p->bad_since >= dg->after && p->shed_level < (int)dg->shed.n &&
            (w->operator_takes >> REACT_DEGRADATION & 1u)) {
            /* The trainee took over degradation: told once while it stays bad. */
            if (p->alerted != 1) {
                p->alerted = 1;
                const char *name = dg->shed.v[p->shed_level];
                world_event(w, EV_ALERT, name, "success %.1f%% below %.1f%% for %.0f s: shedding %s is yours (degrade)",
                            ratio, dg->success_below, sim_time_to_seconds(now - p->bad_since), name);
            }
        } else if (now - p->bad_since >= dg->after && p->shed_level < (int)dg->shed.n) {
            const char *name = dg->shed.v[p->shed_level++];
            shed_type(w, name, 1);
            p->bad_since = now;
            world_event(w, EV_DEGRADE, name, "shed request type %s", name);
        }
    } else {
        p->bad_since = -1;
        if (p->good_since < 0)
            p->good_since = now;
        int any_shed = 0;
        for (int t = 0; t < w->n_types; t++)
            any_shed |= p->shed[t];
        if (p->alerted == 1 && now - p->good_since >= dg->restore_after)
            p->alerted = 0; /* as good as it takes to restore: a new fall alerts again */
        if ((w->operator_takes >> REACT_DEGRADATION & 1u) && any_shed && now - p->good_since >= dg->restore_after) {
            if (p->alerted != 2) {
                p->alerted = 2;
                world_event(w, EV_ALERT, "degradation", "success has held above %.1f%% for %.0f s: restoring what is shed is yours (restore)",
                            dg->success_below, sim_time_to_seconds(now - p->good_since));
            }
        } else if (p->shed_level > 0 && now - p->good_since >= dg->restore_after) {
            const char *name = dg->shed.v[--p->shed_level];
            shed_type(w, name, 0);
            p->good_since = now;
            world_event(w, EV_RESTORE, name, "restored request type %s", name);
        }
    }
}
