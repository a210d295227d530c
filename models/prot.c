/* prot.c -- protections: a token bucket for the entry's rate limits
 * (holding one second of tokens), a count of requests in flight for
 * admission control, degradation switches driven by the success ratio,
 * rolling-window circuit breakers per (cell, shard group), and a rolling
 * retry budget. */
#include <string.h>

#include "prot.h"
#include "sim_alloc.h"
#include "sim_status.h"

#define BUCKETS 64 /* one-second buckets of rolling windows (windows up to a minute) */

typedef struct bucket_rate {
    double rate, tokens;        /* per second (scaled); tokens now */
    sim_time last;
} bucket_rate;

typedef struct breaker {
    uint32_t calls[BUCKETS], failures[BUCKETS];
    int64_t second[BUCKETS];    /* which second each bucket holds */
    int open;                   /* 1 open, 2 half-open (one trial in flight) */
    sim_time open_until;
} breaker;

struct w_prot {
    bucket_rate total;
    bucket_rate *per_type;
    int64_t max_in_flight;
    int64_t in_flight;
    breaker *breakers;          /* [cell][group] */
    /* Retry budget: first attempts and retries per second. */
    uint64_t firsts[BUCKETS], retries[BUCKETS];
    int64_t budget_second[BUCKETS];
    /* Degradation. */
    int shed_level;             /* how many types of the list are shed */
    int *shed;                  /* per type */
    sim_time bad_since, good_since;
    /* Bad release: per cell, the error probability and slowdown of green. */
    double green_error;
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
    struct w_prot *p = sim_calloc(1, sizeof *p);
    if (!p)
        return SIM_ENOMEM;
    w->prot = p;
    const stage *st = w->st;
    take_tokens_init(&p->total, st->entry.rate_limit * w->scale);
    p->per_type = sim_calloc((size_t)w->n_types, sizeof *p->per_type);
    p->shed = sim_calloc((size_t)w->n_types, sizeof *p->shed);
    p->breakers = sim_calloc((size_t)(w->n_cells * (w->n_groups ? w->n_groups : 1)), sizeof *p->breakers);
    if (!p->per_type || !p->shed || !p->breakers)
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
    if (!w->prot)
        return;
    sim_free(w->prot->per_type);
    sim_free(w->prot->shed);
    sim_free(w->prot->breakers);
    sim_free(w->prot);
    w->prot = NULL;
}

int prot_is_shed(const w_world *w, int type) { return w->prot->shed[type]; }

void prot_set_shed(w_world *w, int type, int shed) { w->prot->shed[type] = shed; }

int prot_admit(w_world *w, const w_req *r)
{
    struct w_prot *p = w->prot;
    sim_time now = sim_now(w->e);
    if (p->shed[r->type])
        return M_SHED;
    if (!take_token(&p->total, now) || !take_token(&p->per_type[r->type], now))
        return M_RATE_LIMITED;
    if (p->max_in_flight && p->in_flight >= p->max_in_flight)
        return M_REFUSED;
    return 0;
}

void prot_in_flight(w_world *w, int delta) { w->prot->in_flight += delta; }

/* ==== Retry budget ==== */

static int64_t second_of(sim_time t) { return t / SIM_SEC; }

void prot_note_attempt(w_world *w, int is_retry)
{
    struct w_prot *p = w->prot;
    int64_t s = second_of(sim_now(w->e));
    int b = (int)(s % BUCKETS);
    if (p->budget_second[b] != s) {
        p->budget_second[b] = s;
        p->firsts[b] = p->retries[b] = 0;
    }
    if (is_retry)
        p->retries[b]++;
    else
        p->firsts[b]++;
}

int prot_retry_allowed(w_world *w)
{
    const stg_retry_budget *rb = &w->st->protections.retry_budget;
    if (!rb->head.present)
        return 1;
    struct w_prot *p = w->prot;
    int64_t now_s = second_of(sim_now(w->e));
    int64_t span = rb->window / SIM_SEC;
    if (span < 1)
        span = 1;
    if (span > BUCKETS - 1)
        span = BUCKETS - 1;
    uint64_t firsts = 0, retries = 0;
    for (int64_t s = now_s - span + 1; s <= now_s; s++) {
        int b = (int)(((s % BUCKETS) + BUCKETS) % BUCKETS);
        if (p->budget_second[b] == s) {
            firsts += p->firsts[b];
            retries += p->retries[b];
        }
    }
    return (double)(retries + 1) <= rb->ratio / 100 * (double)firsts;
}

/* ==== Circuit breakers ==== */

static breaker *breaker_of(w_world *w, const w_cell *cell, const w_group *g)
{
    return &w->prot->breakers[cell->index * w->n_groups + g->gid];
}

int prot_breaker_allows(w_world *w, const w_cell *cell, const w_group *g)
{
    const stg_breaker *cfg = &w->st->protections.breaker;
    if (!cfg->head.present)
        return 1;
    breaker *b = breaker_of(w, cell, g);
    if (!b->open)
        return 1;
    sim_time now = sim_now(w->e);
    if (b->open == 1 && now >= b->open_until) {
        b->open = 2; /* half-open: let this one call test the way */
        return 1;
    }
    return 0;
}

void prot_breaker_record(w_world *w, const w_cell *cell, const w_group *g, int ok)
{
    const stg_breaker *cfg = &w->st->protections.breaker;
    if (!cfg->head.present)
        return;
    breaker *b = breaker_of(w, cell, g);
    sim_time now = sim_now(w->e);
    if (b->open == 2) { /* the trial call decides */
        b->open = ok ? 0 : 1;
        b->open_until = now + cfg->open_for;
        if (ok)
            memset(b->second, 0xff, sizeof b->second);
        return;
    }
    int64_t s = second_of(now);
    int k = (int)(s % BUCKETS);
    if (b->second[k] != s) {
        b->second[k] = s;
        b->calls[k] = b->failures[k] = 0;
    }
    b->calls[k]++;
    b->failures[k] += !ok;
    if (ok || b->open)
        return;
    int64_t span = cfg->window / SIM_SEC;
    if (span < 1)
        span = 1;
    if (span > BUCKETS - 1)
        span = BUCKETS - 1;
    uint64_t calls = 0, failures = 0;
    for (int64_t t = s - span + 1; t <= s; t++) {
        int j = (int)(((t % BUCKETS) + BUCKETS) % BUCKETS);
        if (b->second[j] == t) {
            calls += b->calls[j];
            failures += b->failures[j];
        }
    }
    if ((int64_t)calls >= cfg->min_requests && (double)failures > cfg->error_threshold / 100 * (double)calls) {
        b->open = 1;
        b->open_until = now + cfg->open_for;
    }
}

/* ==== Bad release ==== */

int prot_injected_error(w_world *w, const w_req *r)
{
    const w_server *sv = r->server;
    int failed = sv->error_rate > 0 && sim_rng_uniform(&w->retry_rng) < sv->error_rate;
    if (sv->green) {
        w->green_requests++;
        w->green_errors += failed;
    }
    return failed;
}

/* ==== Degradation ==== */

void prot_tick(w_world *w, uint64_t offered, uint64_t succeeded)
{
    const stg_degradation *dg = &w->st->protections.degradation;
    if (!dg->head.present || dg->shed.n == 0 || offered == 0)
        return;
    struct w_prot *p = w->prot;
    sim_time now = sim_now(w->e);
    double ratio = (double)succeeded / (double)offered * 100;
    if (ratio < dg->success_below) {
        p->good_since = -1;
        if (p->bad_since < 0)
            p->bad_since = now;
        if (now - p->bad_since >= dg->after && p->shed_level < (int)dg->shed.n) {
            const char *name = dg->shed.v[p->shed_level++];
            for (int t = 0; t < w->n_types; t++)
                if (!strcmp(w->types[t]->name, name))
                    p->shed[t] = 1;
            p->bad_since = now;
            world_event(w, "degrade", name, "shed request type %s", name);
        }
    } else {
        p->bad_since = -1;
        if (p->good_since < 0)
            p->good_since = now;
        if (p->shed_level > 0 && now - p->good_since >= dg->restore_after) {
            const char *name = dg->shed.v[--p->shed_level];
            for (int t = 0; t < w->n_types; t++)
                if (!strcmp(w->types[t]->name, name))
                    p->shed[t] = 0;
            p->good_since = now;
            world_event(w, "restore", name, "restored request type %s", name);
        }
    }
}
