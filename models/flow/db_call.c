/* db_call.c -- database calls: where a call goes (the primary, a deposed
 * primary that still believes it leads, or the nearest copy for reads),
 * connection limits and workers at the primary, reads and writes, and the
 * commit cost of the replication mode. Every commit moves the group's log
 * (world/dblog.h); a read from a copy behind it is stale. */
#include <string.h>

#include "dblog.h"
#include "flow_int.h"
#include "sim_alloc.h"
#include "world_event.h"
#include "world_state.h"

/* ==== Choosing a copy ==== */

static int node_alive(const w_world *w, const w_group *g, int i)
{
    (void)w;
    return g->nodes[i].up && g->nodes[i].dc->powered;
}

/* The live copy nearest to datacenter dc (the primary on ties). */
static int find_nearest_copy(w_world *w, const w_group *g, int dc)
{
    int best = -1;
    sim_time best_d = SIM_TIME_NEVER;
    for (int i = 0; i < g->n_nodes; i++) {
        if (!node_alive(w, g, i) || g->nodes[i].is_failover)
            continue;
        if (!net_reachable(w, dc, g->nodes[i].dc->index))
            continue;
        sim_time d = net_delay(w, dc, g->nodes[i].dc->index);
        if (d < best_d || (d == best_d && i == g->primary)) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

/* find_nearest_copy, remembered per datacenter until the topology moves
 * (every read of a database read from its nearest copy asks). */
static int nearest_copy(w_world *w, w_group *g, int dc)
{
    if (dc >= W_NEAREST_CACHED)
        return find_nearest_copy(w, g, dc);
    if (g->nearest_topology != w->topology) {
        memset(g->nearest, 0, sizeof g->nearest);
        g->nearest_topology = w->topology;
    }
    if (g->nearest[dc] == 0)
        g->nearest[dc] = (int8_t)(find_nearest_copy(w, g, dc) + 1);
    return g->nearest[dc] - 1;
}

/* ==== Commit cost ==== */

/* Semi-synchronous commit, given the round trip to the nearest replica
 * that can acknowledge (-1: none can). With none, commits wait for the
 * timeout from the first that found none (every one meanwhile waits until
 * then), and the primary continues asynchronously from then on; a
 * replica reachable again acknowledges from its next commit, and semi-sync
 * resumes (MySQL's rpl_semi_sync_master_timeout, 10 s by default). */
static sim_time semi_sync_wait(w_world *w, w_group *g, sim_time rtt)
{
    sim_time now = sim_now(w->e);
    char db[96]; /* named only when told: this runs for every write */
    if (rtt >= 0) {
        if (g->semi_degraded)
            world_event(w, EV_REPLICATION, group_name(g, db, sizeof db),
                        "%s: a replica acknowledges again; commits are semi-synchronous again", db);
        g->semi_degraded = 0;
        g->semi_fallback_at = 0;
        return rtt;
    }
    if (g->semi_degraded)
        return 0;
    if (g->semi_fallback_at == 0)
        g->semi_fallback_at = now + g->db->def->replication.timeout;
    if (now < g->semi_fallback_at)
        return g->semi_fallback_at - now;
    g->semi_degraded = 1;
    world_event(w, EV_REPLICATION, group_name(g, db, sizeof db),
                "%s: no replica acknowledged within the timeout; commits continue asynchronously", db);
    return 0;
}

/* How long a write at the primary waits for its copies; -1 when it cannot
 * commit (too few copies reachable for sync or quorum). */
static sim_time find_commit_wait(w_world *w, w_group *g, int p)
{
    const stg_replication *rep = &g->db->def->replication;
    if (rep->mode == REPL_ASYNC)
        return 0;
    int from = g->nodes[p].dc->index;
    sim_time rtt[W_MAX_COPIES];
    int n = 0, copies = 0;
    for (int i = 0; i < g->n_nodes; i++) {
        if (i == p || g->nodes[i].is_failover)
            continue;
        copies++;
        if (node_alive(w, g, i) && net_reachable(w, from, g->nodes[i].dc->index) &&
            net_reachable(w, g->nodes[i].dc->index, from)) /* there (with a semi-sync replica's shipping) and back */
            rtt[n++] = dblog_received_lag(w, g, i) + net_delay(w, g->nodes[i].dc->index, from);
    }
    for (int i = 1; i < n; i++) /* sort the few round trips */
        for (int j = i; j > 0 && rtt[j - 1] > rtt[j]; j--) {
            sim_time t = rtt[j];
            rtt[j] = rtt[j - 1];
            rtt[j - 1] = t;
        }
    switch (rep->mode) {
    case REPL_SEMI_SYNC:
        return semi_sync_wait(w, g, n > 0 ? rtt[0] : -1);
    case REPL_SYNC:
        return n == copies ? (n ? rtt[n - 1] : 0) : -1;
    default: { /* quorum: a majority of all copies, the leader included */
        int need = (copies + 1) / 2; /* followers to hear from */
        return n >= need ? (need ? rtt[need - 1] : 0) : -1;
    }
    }
}

/* find_commit_wait. A quorum's or a synchronous commit's wait is the
 * round trips to the copies that live and reach it, which only a change
 * of the topology moves: remembered until then (it was a twentieth of the
 * unit stage's instructions, asked at every write). A semi-synchronous
 * commit adds its copies' shipping delays, redrawn every second, and
 * keeps its own fallback: worked out every time. */
static sim_time commit_wait(w_world *w, w_group *g, int p)
{
    int mode = g->db->def->replication.mode;
    if (mode != REPL_QUORUM && mode != REPL_SYNC)
        return find_commit_wait(w, g, p);
    if (g->commit_topology != w->topology || g->commit_at != p) {
        g->commit_known = find_commit_wait(w, g, p);
        g->commit_at = p;
        g->commit_topology = w->topology;
    }
    return g->commit_known;
}

/* ==== The call ==== */

static void on_db_arrival(sim_engine *e, void *subject, void *object);
static void db_arrive(w_world *w, w_req *r);
static void on_db_done(sim_engine *e, void *subject, void *object);
static void db_answered(w_world *w, w_req *r);
static void on_db_call_late(sim_engine *e, void *subject, void *object);
static void on_db_response(sim_engine *e, void *subject, void *object);
static void on_call_lost(sim_engine *e, void *subject, void *object);

static const scn_call *current_call(const w_world *w, const w_req *r)
{
    return (const scn_call *)w->types[r->type]->calls.items + r->call;
}

/* The database and group a call of the request goes to. */
static w_group *group_of(const w_world *w, const w_req *r, const scn_call *call)
{
    const w_db *db = call->data == DATA_USER ? w->user_db : w->global_db;
    return call->data == DATA_USER ? db->by_shard[r->shard] : &db->groups[0];
}

/* No answer will come: the server waits until the attempt's deadline. */
static void call_lost_later(w_world *w, w_req *r)
{
    sim_time now = sim_now(w->e);
    r->lost = 1; /* the client's timeout, if it comes first, blames the fault */
    r->lag = 0;  /* the deadline is in real time */
    sim_event_post(w->e, r->deadline > now ? r->deadline : now, on_call_lost, r, w);
}

void db_call_abandoned(w_world *w, w_req *r) { call_lost_later(w, r); }

/* A message inside building dc, taken at once: 1 with the request's work
 * further ahead of real time by the hop, or 0 (the call lost) when the
 * building is dark, as net_send() drops it then. */
static int skip_hop_inside(w_world *w, w_req *r, int dc)
{
    if (!w->dcs[dc].powered) {
        call_lost_later(w, r);
        return 0;
    }
    r->lag += w->dcs[dc].geo->internal_latency;
    r->call_lag += w->dcs[dc].geo->internal_latency;
    return 1;
}

void db_on_dbnode_lost(w_world *w, const w_note *n, void *context)
{
    (void)context;
    w_group *g = w->groups[n->group];
    if (n->node != g->primary)
        return;
    /* Calls waiting at a primary that went down will never be answered;
     * those it was executing find it gone when their events come. */
    while (g->qhead) {
        w_req *r = reqq_pop(&g->qhead, &g->qtail);
        g->queued--;
        db_call_abandoned(w, r);
    }
    g->busy = 0;
}

static void release_session(w_req *r)
{
    if (r->held_session) {
        r->group->sessions--;
        r->held_session = 0;
    }
}

/* The connections whose return time has come are free again. */
static void sessions_return(w_world *w, w_group *g)
{
    unsigned due = session_returns_take_due(&w->flow->returns[g->gid], sim_now(w->e));
    if (g->sessions > 0) /* a promotion may have reset the count */
        g->sessions = (unsigned)g->sessions > due ? g->sessions - (int)due : 0;
}

/* The call's answer is at its server, but the call ran ahead of real time
 * by r->call_lag (the hops skipped since it took its connection): the
 * connection is held until real time reaches the answer, so it is held as
 * long as the hops make it (at a pool's limit, a connection given back
 * half a millisecond early changed who got one: pure at the peak lost 4%
 * fewer calls to the limit). The count falls when the next call looks
 * (db_call). */
static void release_session_later(w_world *w, w_req *r)
{
    if (!r->held_session)
        return;
    const scn_type *t = w->types[r->type];
    if (r->call_lag == 0) {
        release_session(r);
        return;
    }
    if ((size_t)r->call + 1 < t->calls.n &&
        group_of(w, r, (const scn_call *)t->calls.items + r->call + 1) == r->group) {
        /* The request's next call, made now, goes to the same group: at
         * real time it takes a connection the moment it gives this one
         * back, so it must not wait behind its own. The hops skipped go
         * with it, to be held when that call gives its connection back. */
        r->carry_lag = r->call_lag;
        release_session(r);
        return;
    }
    if (session_returns_add(&w->flow->returns[r->group->gid], sim_now(w->e), r->call_lag)) {
        release_session(r);
        return;
    }
    r->held_session = 0;
}

void db_call(w_world *w, w_req *r)
{
    const scn_call *call = current_call(w, r);
    w_db *db = call->data == DATA_USER ? w->user_db : w->global_db;
    w_group *g = group_of(w, r, call);
    w_cell *cell = w->cells[r->cell];
    int node;
    r->conflict = 0;
    r->call_lag = r->carry_lag;
    r->carry_lag = 0;
    if (call->op == OP_READ && db->def->reads == READS_NEAREST)
        node = nearest_copy(w, g, r->cell_dc);
    else if (g->primary >= 0 && node_alive(w, g, g->primary) &&
             net_reachable(w, r->cell_dc, g->nodes[g->primary].dc->index))
        node = g->primary;
    else if (g->old_primary >= 0 && node_alive(w, g, g->old_primary) &&
             net_reachable(w, r->cell_dc, g->nodes[g->old_primary].dc->index)) {
        node = g->old_primary; /* a deposed primary that still believes it leads */
        r->conflict = 1;
    } else
        node = g->primary >= 0 && node_alive(w, g, g->primary) ? g->primary : -1;
    if (r->lag > 0 && node >= 0 && g->nodes[node].dc->index != r->cell_dc) {
        /* A call across buildings leaves in real time, behind the link's
         * other messages: the request waits until real time catches up
         * with its work, and makes the call then (before
         * anything is counted: the breaker's trial call among them). */
        sim_event_post(w->e, sim_now(w->e) + r->lag, on_db_call_late, r, w);
        r->lag = 0;
        return;
    }
    /* A database refuses writes from a unit that does not own the shard
     * (a wrong switch sends users to another unit's cell). */
    if (call->op == OP_WRITE && call->data == DATA_USER && w->st->entry.routing == ROUTE_BY_UNIT &&
        cell->unit != w->shard_unit[r->shard]) {
        req_call_done(w, r, FAILURE(M_REFUSED, FAIL_SWITCHING));
        return;
    }
    if (g->primary < 0 && !(call->op == OP_READ && db->def->reads == READS_NEAREST)) {
        req_call_done(w, r, FAILURE(M_NO_ROUTE, FAIL_FAULT)); /* no primary: nobody takes the call */
        return;
    }
    if (call->op == OP_WRITE && (g->write_forbidden || g->handover_to >= 0)) {
        req_call_done(w, r, FAILURE(M_REFUSED, FAIL_SWITCHING));
        return;
    }
    if (!prot_breaker_allows(w, cell, g)) {
        req_call_done(w, r, prot_breaker_failure(w, cell, g));
        return;
    }
    r->group = g;
    if (node < 0) {
        /* The primary is gone but nobody noticed: the connection hangs. */
        r->node = g->primary >= 0 ? g->primary : 0;
        r->node_epoch = g->nodes[r->node].epoch - 1; /* never matches */
        call_lost_later(w, r);
        return;
    }
    if (node == g->primary || node == g->old_primary) {
        /* The returns due are counted only when the count could decide.
         * Each due return is a connection still counted but no longer
         * held, so the count is never below the true one, and subtracting
         * them later subtracts the same (until a promotion zeroes the
         * count under them: sessions_reset). A count below the most ever
         * used is below the limit and sets no new most, before or after. */
        if (g->sessions >= g->max_sessions || g->sessions_reset)
            sessions_return(w, g);
        if (g->sessions >= g->connections) {
            prot_breaker_record(w, cell, g, FAILURE(M_NO_CONNECTION, FAIL_OVERLOAD));
            req_call_done(w, r, FAILURE(M_NO_CONNECTION, FAIL_OVERLOAD));
            return;
        }
        g->sessions++;
        if (g->sessions > g->max_sessions)
            g->max_sessions = g->sessions;
        r->held_session = 1;
    }
    r->node = node;
    r->node_epoch = g->nodes[node].epoch;
    int to = g->nodes[node].dc->index;
    if (to != r->cell_dc)
        req_count(w, r, M_CROSS_DC_CALLS);
    r->state = RQ_CALLING;
    if (to == r->cell_dc) {
        /* A copy in the same building: the call arrives now and the
         * request's work runs ahead of real time by the hop, which its
         * answer to the client waits for (req_call_done): one event less
         * per call, and every latency as long as the hop made it. */
        if (skip_hop_inside(w, r, to))
            db_arrive(w, r);
        return;
    }
    int sent = net_send(w, r->cell_dc, to, w->types[r->type]->request_size, on_db_arrival, r);
    if (sent == NET_REFUSED) {
        release_session(r);
        prot_breaker_record(w, cell, g, FAILURE(M_REFUSED, FAIL_FAULT));
        req_call_done(w, r, FAILURE(M_REFUSED, FAIL_FAULT));
    } else if (sent == NET_DROPPED) {
        call_lost_later(w, r);
    }
}

static int call_node_alive(const w_world *w, const w_req *r)
{
    (void)w;
    const w_dbnode *n = &r->group->nodes[r->node];
    return n->up && n->dc->powered && n->epoch == r->node_epoch;
}

/* The copy serving the call died since the call was made: no answer will
 * come (the server waits for the attempt's deadline). */
static int call_lost(w_world *w, w_req *r)
{
    if (call_node_alive(w, r))
        return 0;
    call_lost_later(w, r);
    return 1;
}

static void db_exec(w_world *w, w_group *g, w_req *r)
{
    const scn_call *call = current_call(w, r);
    const sim_dist *d = call->op == OP_WRITE ? &g->db->write : &g->db->read;
    double s = sim_dist_sample(d, &g->rng) * g->nodes[r->node].slowdown;
    r->state = RQ_DB_EXEC;
    if (r->node == g->primary)
        g->busy++;
    sim_event_post(w->e, sim_now(w->e) + (s > 0 ? (sim_time)(s * 1e9) : 0), on_db_done, r, w);
}

static void on_db_call_late(sim_engine *e, void *subject, void *object)
{
    (void)e;
    db_call(object, subject);
}

static void on_db_arrival(sim_engine *e, void *subject, void *object)
{
    (void)e;
    db_arrive(object, subject);
}

/* The call reached its copy: served, or queued behind the primary's workers. */
static void db_arrive(w_world *w, w_req *r)
{
    w_group *g = r->group;
    if (call_lost(w, r))
        return;
    if (r->node == g->primary)
        g->calls_arrived++;
    if (r->node != g->primary || g->busy < g->workers) {
        /* Copies serve reads without a queue (their capacity is assumed
         * ample); the primary queues behind its workers. */
        db_exec(w, g, r);
        return;
    }
    reqq_push(&g->qhead, &g->qtail, r);
    g->queued++;
    r->state = RQ_DB_QUEUED;
}

static void respond(w_world *w, w_req *r)
{
    w_group *g = r->group;
    int at = g->nodes[r->node].dc->index;
    if (at == r->cell_dc) {
        /* Back inside the building: at once, the work further ahead of
         * real time by the hop (as the call's way there). */
        if (skip_hop_inside(w, r, at))
            db_answered(w, r);
        return;
    }
    int sent = net_send(w, at, r->cell_dc, w->types[r->type]->response_size, on_db_response, r);
    if (sent != NET_SENT)
        call_lost_later(w, r);
}

static void on_commit(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_req *r = subject;
    if (call_lost(w, r))
        return;
    respond(w, r);
}

static void on_db_done(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_req *r = subject;
    w_group *g = r->group;
    if (call_lost(w, r))
        return;
    sim_time now = sim_now(w->e);
    if (r->node == g->primary) {
        g->busy--;
        if (g->qhead) {
            w_req *next = reqq_pop(&g->qhead, &g->qtail);
            g->queued--;
            db_exec(w, g, next);
        }
    }
    const scn_call *call = current_call(w, r);
    if (call->op == OP_WRITE) {
        sim_time wait = commit_wait(w, g, r->node);
        if (wait < 0) { /* no quorum: the commit never comes */
            call_lost_later(w, r);
            return;
        }
        if (r->conflict) { /* accepted by a deposed primary: split brain */
            w->conflicts++;
            respond(w, r);
            return;
        }
        g->lsn++;
        g->writes++;
        dblog_mark(g, now);
        if (wait > 0) {
            int at = g->nodes[r->node].dc->index;
            if (at == r->cell_dc && g->db->def->replication.mode == REPL_QUORUM) {
                /* The answer waits for the commit, then crosses the
                 * building: it comes at once, the request's work further
                 * ahead of real time by the wait, as by a hop (its
                 * connection held as long, its next call in another
                 * building and its answer made at real time). Only for a
                 * quorum, whose wait is a round trip: a semi-synchronous
                 * wait may run to the fallback deadline (seconds), which
                 * a next write made ahead of real time would wait for
                 * again. */
                r->lag += wait;
                r->call_lag += wait;
                respond(w, r);
                return;
            }
            if (at == r->cell_dc) {
                /* One event: the commit, then the hop back, no link queue
                 * to respect. */
                sim_event_post(w->e, now + wait + w->dcs[at].geo->internal_latency, on_db_response, r, w);
                return;
            }
            sim_event_post(w->e, now + wait, on_commit, r, w);
            return;
        }
    } else {
        g->reads++;
        if (r->node != g->primary && dblog_applied(w, g, r->node) < g->lsn) {
            g->stale_reads++;
            req_count(w, r, M_STALE_READS);
        }
    }
    respond(w, r);
}

static void on_db_response(sim_engine *e, void *subject, void *object)
{
    (void)e;
    db_answered(object, subject);
}

/* The call's answer reached the server. */
static void db_answered(w_world *w, w_req *r)
{
    release_session_later(w, r);
    prot_breaker_record(w, w->cells[r->cell], r->group, CALL_OK);
    req_call_done(w, r, CALL_OK);
}

static void on_call_lost(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_req *r = subject;
    release_session(r);
    prot_breaker_record(w, w->cells[r->cell], r->group, CALL_LOST);
    req_call_done(w, r, CALL_LOST);
}
