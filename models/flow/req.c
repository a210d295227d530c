/* req.c -- one attempt of a user's request, from the client through the
 * entry, the balancer and an application server, its database calls, and
 * back; and the client's timeout and retries. The calls themselves are in
 * db_call.c, the protections in prot.c.
 *
 * An attempt has two owners: its client (until it has an answer or gives
 * up) and its work (until the server and the databases are done with it,
 * which can be long after the client left: a request whose client gave up
 * keeps its worker unless the pool drops expired work). */
#include <math.h>
#include <stddef.h>

#include "flow_int.h"
#include "sim_alloc.h"
#include "sim_assert.h"
#include "sim_status.h"

/* ==== Records ==== */

/* A block of records is one 2 MiB page (sim_malloc_huge): a request's
 * lines are read at random over hundreds of megabytes at 1:1, and on 4 KiB
 * pages nearly each read was also a TLB miss. The block's alignment
 * aligns the records to cache lines. */
#define REQ_BLOCK_BYTES ((size_t)2 << 20)
#define REQ_BLOCK (REQ_BLOCK_BYTES / sizeof(w_req))

w_req *req_alloc(w_world *w)
{
    struct w_flow *fl = w->flow;
    if (!fl->free_reqs) {
        w_req *block = sim_malloc_huge(REQ_BLOCK_BYTES);
        if (!block || sim_grow((void **)&fl->req_blocks, &fl->cap_req_blocks, fl->n_req_blocks + 1,
                               sizeof *fl->req_blocks)) {
            sim_free(block);
            w->status = SIM_ENOMEM;
            sim_engine_stop(w->e);
            return NULL;
        }
        fl->req_blocks[fl->n_req_blocks++] = block;
        for (size_t i = REQ_BLOCK; i-- > 0;) {
            block[i].next = fl->free_reqs;
            fl->free_reqs = &block[i];
        }
    }
    w_req *r = fl->free_reqs;
    fl->free_reqs = r->next;
    /* Zeroed by eight 16-byte stores, written out (GCC turns a memset of
     * the 128 bytes, or a loop, into a `rep stosq`, whose start-up cost
     * was most of req_alloc's time). */
    typedef long long zero16 __attribute__((vector_size(16), may_alias));
    _Static_assert(sizeof(w_req) == 8 * sizeof(zero16), "eight stores zero a request");
    zero16 *z = (zero16 *)r;
    z[0] = z[1] = z[2] = z[3] = z[4] = z[5] = z[6] = z[7] = (zero16){0};
    fl->in_flight++;
    return r;
}

void req_release(w_world *w, w_req *r)
{
    /* Its timeout ran or was cancelled: req_alloc zeroes the timer. */
    SIM_ASSERT(!sim_timer_pending(&r->timeout));
    struct w_flow *fl = w->flow;
    r->next = fl->free_reqs;
    fl->free_reqs = r;
    fl->in_flight--;
}

void req_free_all(w_world *w)
{
    struct w_flow *fl = w->flow;
    for (size_t i = 0; i < fl->n_req_blocks; i++)
        sim_free(fl->req_blocks[i]);
    sim_free(fl->req_blocks);
    fl->req_blocks = NULL;
    fl->n_req_blocks = 0;
}

static void maybe_free(w_world *w, w_req *r)
{
    if (r->client_done && r->work_done)
        req_release(w, r);
}

/* The attempt's work is over, however it ended. */
static void work_end(w_world *w, w_req *r)
{
    if (r->admitted) {
        prot_in_flight(w, -1);
        r->admitted = 0;
    }
    r->work_done = 1;
}

/* ==== The client ==== */

static void on_timeout(sim_engine *e, void *subject, void *object);
static void on_retry(sim_engine *e, void *subject, void *object);
static void on_entry(sim_engine *e, void *subject, void *object);
static void on_entry_local(sim_engine *e, void *subject, void *object);
static void entry_forward(w_world *w, w_req *r, sim_time arrived);
static void client_send(w_world *w, w_req *r);

/* The client's answer for this attempt is a FAILURE(...): retry, or give up. */
static void client_failed(w_world *w, w_req *r, int failure)
{
    sim_time now = sim_now(w->e);
    const scn_client *cl = &w->sc->traffic.client;
    r->client_done = 1;
    int retryable = FAILURE_REASON(failure) != M_SHED;
    if (retryable && r->attempt < cl->retries && prot_retry_allowed(w)) {
        w_req *next = req_alloc(w);
        if (next) {
            next->uid = r->uid;
            next->born = r->born;
            next->type = r->type;
            next->shard = r->shard;
            next->unit = r->unit;
            next->attempt = (uint8_t)(r->attempt + 1);
            double base = ldexp((double)cl->backoff, r->attempt); /* backoff x 2^attempt, exactly (pow took 2-3% of the pure stage) */
            if (base > (double)cl->backoff_max)
                base = (double)cl->backoff_max;
            double j = cl->jitter / 100 * (2 * sim_rng_uniform(&w->flow->retry_rng) - 1);
            sim_time wait = (sim_time)(base * (1 + j));
            req_count(w, r, M_RETRIES);
            sim_event_post(w->e, now + (wait > 0 ? wait : 0) + w->flow->client_shift, on_retry, next, w);
        }
    } else {
        req_count(w, r, M_FAILED);
        req_count(w, r, FAILURE_REASON(failure));
        req_count(w, r, M_OF_FAILURE(FAILURE_CAUSE(failure)));
        if (r->born >= w->warmup)
            metrics_user_failed(w, r->uid);
        incidents_note_failure(w, r->uid, r->unit, FAILURE_CAUSE(failure));
    }
    maybe_free(w, r);
}

static void client_connect(w_world *w, w_req *r);

/* Starts an attempt: the request leaves the user towards the entry. */
void req_start_attempt(w_world *w, w_req *r)
{
    /* Started when it reaches its entry: the user sent it client_shift ago. */
    sim_time now = sim_now(w->e);
    r->deadline = now - w->flow->client_shift + w->sc->traffic.client.timeout;
    r->state = RQ_ENTRY;
    req_count(w, r, M_ATTEMPTS);
    prot_note_attempt(w, r->attempt > 0);
    sim_timer_start(w->flow->timeout_lane, &r->timeout);
    if (w->st->entry.kind == ENTRY_GATEWAY) {
        gateway_begin(w, r);
        client_connect(w, r);
        return;
    }
    r->entry_dc = (uint8_t)route_entry_dc(w, r);
    w_dc *entry = &w->dcs[r->entry_dc];
    if (!entry->powered || !entry->entry_up || entry->isolated == W_DROPPED) {
        /* Nobody answers: the client waits for its timeout. (A building
         * cut off with refusals answers at the entry: see entry_admits.) */
        r->work_done = 1;
        r->lost = 1;
        return;
    }
    client_send(w, r);
}

/* The request leaves for the entry r->entry_dc, which answers. The
 * client runs client_shift behind its events (see flow_int.h): a request
 * served in the building it enters (the usual case) is at its server now,
 * through the entry and the balancer; one to be sent on to another
 * building reached its entry the hop inside the building ago. */
static void client_send(w_world *w, w_req *r)
{
    sim_time now = sim_now(w->e), sent = now - w->flow->client_shift;
    w_dc *entry = &w->dcs[r->entry_dc];
    w_cell *cell = route_cell(w, r);
    if (cell && cell->dc == entry) {
        r->cell = (uint32_t)cell->index;
        r->cell_dc = r->entry_dc;
        sim_time at = sent + w->flow->client_latency + entry->geo->internal_latency;
        if (at > now) /* a building with a longer hop than the shortest */
            sim_event_post(w->e, at, on_entry_local, r, w);
        else
            on_entry_local(w->e, r, w);
        return;
    }
    sim_time at = sent + w->flow->client_latency;
    if (at > now)
        sim_event_post(w->e, at, on_entry, r, w);
    else
        entry_forward(w, r, at);
}

static void on_connect_next(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_req *r = subject;
    r->endpoint++;
    client_connect(object, r);
}

/* A gateway client connects to its next address: one that does not
 * answer (a dark or cut-off building, a dead gateway) costs the connect
 * timeout, one that refuses (a building cut off with refusals, a drained
 * gateway) a round trip; then the next address. With none left the
 * client waits for its timeout. */
static void client_connect(w_world *w, w_req *r)
{
    if (r->client_done) { /* it timed out while connecting */
        r->work_done = 1;
        maybe_free(w, r);
        return;
    }
    int dc = gateway_endpoint(w, r, r->endpoint);
    if (dc < 0) {
        r->work_done = 1;
        r->lost = 1;
        return;
    }
    const w_dc *d = &w->dcs[dc];
    int silent = !d->powered || d->isolated == W_DROPPED || (!d->entry_up && !d->drained);
    int refused = !silent && (d->isolated == W_REFUSED || d->drained);
    gateway_learn(w, r, r->endpoint, !silent && !refused);
    r->lost = silent; /* a timeout while it waits on a silent address is the fault's */
    if (silent || refused) {
        sim_time wait = silent ? w->st->entry.connect_timeout : 2 * w->flow->client_latency;
        sim_event_post(w->e, sim_now(w->e) + wait, on_connect_next, r, w);
        return;
    }
    r->entry_dc = (uint8_t)dc;
    client_send(w, r);
}

static void on_retry(sim_engine *e, void *subject, void *object)
{
    (void)e;
    req_start_attempt(object, subject);
}

/* Is a fault slowing the network (added latency, loss, a cut or a detour,
 * less bandwidth)? Then work in transit that outlived its deadline was
 * held up by the fault, not by load. */
static int network_faulted(const w_world *w)
{
    for (int i = 0; i < 2 * w->n_links; i++) {
        const w_linkdir *l = &w->links[i];
        if (l->added > 0 || l->loss > 0 || l->cuts > 0 || l->detour || !l->up || l->bandwidth_factor < 1)
            return 1;
    }
    return 0;
}

/* Why the client's deadline passed: its work was lost to a fault (a dead
 * server, copy or building, a dropped message, no quorum), or it was
 * still waiting or working somewhere: in a pool a fault made slow (a gray
 * server or copy), on a faulted network, or else in a saturated pool or
 * link (overload). */
static int timeout_cause(const w_world *w, const w_req *r)
{
    if (r->lost)
        return FAIL_FAULT;
    switch (r->state) {
    case RQ_QUEUED:
    case RQ_SERVING:
        return r->server->slowdown > 1 ? FAIL_FAULT : FAIL_OVERLOAD;
    case RQ_DB_QUEUED:
    case RQ_DB_EXEC:
        return r->group->nodes[r->node].slowdown > 1 ? FAIL_FAULT : FAIL_OVERLOAD;
    default:
        return network_faulted(w) ? FAIL_FAULT : FAIL_OVERLOAD;
    }
}

static void on_timeout(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_req *r = subject;
    client_failed(w, r, FAILURE(M_TIMEOUT, timeout_cause(w, r)));
}

sim_timer_lane *req_timeout_lane_create(w_world *w)
{
    /* Started client_shift after the user sent the request (see flow_int.h). */
    return sim_timer_lane_create(w->e, w->sc->traffic.client.timeout - w->flow->client_shift, on_timeout, w,
                                 offsetof(w_req, timeout));
}

/* The attempt failed fast with a FAILURE(...): the client hears it on
 * the way back. */
static void fail_fast(w_world *w, w_req *r, int failure)
{
    work_end(w, r);
    if (r->client_done) {
        maybe_free(w, r);
        return;
    }
    sim_timer_cancel(&r->timeout);
    client_failed(w, r, failure);
}

/* The work of an attempt ended without an answer (its server or database
 * died, a message was lost): the client will time out. */
void req_work_lost(w_world *w, w_req *r)
{
    r->lost = 1;
    work_end(w, r);
    maybe_free(w, r);
}

/* ==== Entry and balancer ==== */

static void on_server_arrival(sim_engine *e, void *subject, void *object);

/* The entry's checks: a dead entry, or one whose building is cut off from
 * users, loses the request (dropped silently, or refused fast); admission
 * control and rate limits may refuse it. Returns 1 when it may go on. */
static int entry_admits(w_world *w, w_req *r)
{
    const w_dc *entry = &w->dcs[r->entry_dc];
    if (entry->isolated == W_REFUSED) {
        fail_fast(w, r, FAILURE(M_REFUSED, FAIL_FAULT));
        return 0;
    }
    if (!entry->powered || !entry->entry_up || entry->isolated) {
        req_work_lost(w, r);
        return 0;
    }
    int refusal = prot_admit(w, r);
    if (refusal) {
        fail_fast(w, r, refusal);
        return 0;
    }
    return 1;
}

static void on_entry(sim_engine *e, void *subject, void *object)
{
    entry_forward(object, subject, sim_now(e));
}

/* At the entry since `arrived` (<= now): checked, routed and sent on to
 * the cell's building. */
static void entry_forward(w_world *w, w_req *r, sim_time arrived)
{
    if (!entry_admits(w, r))
        return;
    w_cell *cell = route_cell(w, r);
    if (!cell) {
        fail_fast(w, r, FAILURE(M_NO_ROUTE, FAIL_FAULT));
        return;
    }
    r->cell = (uint32_t)cell->index;
    r->cell_dc = (uint8_t)cell->dc->index;
    int sent = net_send_since(w, r->entry_dc, r->cell_dc, w->types[r->type]->request_size, arrived,
                              on_server_arrival, r);
    if (sent == NET_REFUSED)
        fail_fast(w, r, FAILURE(M_REFUSED, FAIL_FAULT));
    else if (sent == NET_DROPPED)
        req_work_lost(w, r);
    else {
        prot_in_flight(w, +1);
        r->admitted = 1;
    }
}

/* Entry and server in one building: the entry's checks, then the server. */
static void on_entry_local(sim_engine *e, void *subject, void *object)
{
    w_world *w = object;
    w_req *r = subject;
    if (!entry_admits(w, r))
        return;
    prot_in_flight(w, +1);
    r->admitted = 1;
    on_server_arrival(e, r, w);
}

/* ==== The server ==== */

static void on_service_done(sim_engine *e, void *subject, void *object);

static void start_service(w_world *w, w_req *r, w_server *sv)
{
    w_cell *cell = sv->cell;
    sv->busy++;
    metrics_cell_change(w, cell);
    cell->busy_now++;
    r->server = sv;
    r->server_epoch = sv->epoch;
    r->state = RQ_SERVING;
    sim_time waited = sim_now(w->e) - r->arrived;
    cell->started++;
    cell->wait_sum += (double)waited;
    cell->waited += waited > 0;
    double s = sim_dist_sample(&cell->pool->service[r->type], &cell->rng) * sv->slowdown;
    sim_time t = s > 0 ? (sim_time)(s * 1e9) : 0;
    sim_event_post(w->e, sim_now(w->e) + t, on_service_done, r, w);
}

/* A worker of sv is free: start the next waiting request, skipping
 * expired ones when the pool drops them. */
static void server_release(w_world *w, w_server *sv)
{
    w_cell *cell = sv->cell;
    metrics_cell_change(w, cell);
    sv->busy--;
    cell->busy_now--;
    sim_time now = sim_now(w->e);
    while (sv->qhead) {
        w_req *r = reqq_pop(&sv->qhead, &sv->qtail);
        sv->queued--;
        cell->queued_now--;
        if (cell->pool->drop_expired && (r->client_done || now >= r->deadline)) {
            req_work_lost(w, r);
            continue;
        }
        start_service(w, r, sv);
        return;
    }
}

static void on_server_arrival(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_req *r = subject;
    w_cell *cell = w->cells[r->cell];
    w_server *sv = route_server(w, cell);
    r->arrived = sim_now(w->e);
    cell->arrived++;
    if (!sv) {
        fail_fast(w, r, FAILURE(M_NO_ROUTE, FAIL_FAULT));
        return;
    }
    if (!sv->up) {
        /* Still in rotation but dead: the connection goes nowhere. */
        req_work_lost(w, r);
        return;
    }
    if (sv->busy < cell->pool->workers) {
        start_service(w, r, sv);
        return;
    }
    if (sv->queued >= cell->pool->queue_limit) {
        fail_fast(w, r, FAILURE(M_QUEUE_FULL, FAIL_OVERLOAD));
        return;
    }
    metrics_cell_change(w, cell);
    reqq_push(&sv->qhead, &sv->qtail, r);
    sv->queued++;
    cell->queued_now++;
    r->server = sv;
    r->server_epoch = sv->epoch;
    r->state = RQ_QUEUED;
}

/* Is the server the attempt is on still the one it started on? */
static int server_alive(const w_req *r)
{
    return r->server->up && r->server->epoch == r->server_epoch;
}

static void on_service_done(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_req *r = subject;
    if (!server_alive(r)) {
        req_work_lost(w, r); /* the server died under it */
        return;
    }
    if (prot_injected_error(w, r)) {
        server_release(w, r->server);
        fail_fast(w, r, FAILURE(M_ERROR, FAIL_FAULT));
        return;
    }
    r->call = 0;
    req_next_call(w, r);
}

/* ==== Calls and the answer ==== */

/* The attempt's answer leaves the server. */
static void finish(w_world *w, w_req *r)
{
    server_release(w, r->server);
    work_end(w, r);
    r->state = RQ_DONE;
    w_cell *cell = w->cells[r->cell];
    cell->served++;
    cell->sojourn_sum += (double)(sim_now(w->e) - r->arrived);
    cell->sojourn_n++;
    if (r->client_done) { /* answered too late: the client is gone */
        maybe_free(w, r);
        return;
    }
    sim_time back = net_delay(w, r->cell_dc, r->entry_dc) + w->flow->client_latency;
    sim_time arrives = sim_now(w->e) + back;
    if (arrives > r->deadline) /* the client times out first */
        return;
    sim_timer_cancel(&r->timeout);
    r->client_done = 1;
    metrics_success(w, r->unit, r->type, r->born, arrives - r->born);
    maybe_free(w, r);
}

void req_next_call(w_world *w, w_req *r)
{
    const scn_type *t = w->types[r->type];
    if (r->call >= t->calls.n) {
        finish(w, r);
        return;
    }
    db_call(w, r);
}

static void on_call_done_late(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_req *r = subject;
    req_call_done(object, r, r->late_failure);
}

void req_call_done(w_world *w, w_req *r, int failure)
{
    const scn_type *t = w->types[r->type];
    if (r->lag > 0 && (failure != CALL_OK || (size_t)r->call + 1 >= t->calls.n)) {
        /* The work ran ahead of real time (its calls inside the building
         * skipped their hops): what the server and the client see next,
         * its answer or its failure, waits until real time catches up. */
        r->late_failure = failure;
        sim_event_post(w->e, sim_now(w->e) + r->lag, on_call_done_late, r, w);
        r->lag = 0;
        return;
    }
    if (!server_alive(r)) {
        req_work_lost(w, r);
        return;
    }
    if (failure == CALL_LOST) {
        /* No answer came (db_call.c waited for the attempt's deadline): the
         * worker is given back. */
        server_release(w, r->server);
        req_work_lost(w, r);
        return;
    }
    if (failure) {
        server_release(w, r->server);
        fail_fast(w, r, failure);
        return;
    }
    r->call++;
    req_next_call(w, r);
}

/* ==== Server failures ==== */

void req_on_server_down(w_world *w, const w_note *n, void *context)
{
    (void)context;
    w_cell *cell = w->cells[n->cell];
    w_server *sv = &cell->servers[n->server];
    /* Everything waiting on it is lost; the work it was doing finds it
     * gone (its epoch moved) when its events come. */
    metrics_cell_change(w, cell);
    while (sv->qhead) {
        w_req *r = reqq_pop(&sv->qhead, &sv->qtail);
        sv->queued--;
        cell->queued_now--;
        req_work_lost(w, r);
    }
    cell->busy_now -= sv->busy;
    sv->busy = 0;
}
