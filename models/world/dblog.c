/* dblog.c -- the shard groups' logs: commit marks in a ring, searched by
 * time or by position.
 *
 * Why the answers are exact, for any lag and any write rate. A mark
 * (t, lsn) says the batch begun at t held the writes up to lsn; marks are
 * in order of both. The log answers two questions: "the last mark at or
 * before time T" (what a copy had applied, what was acknowledged) and "the
 * first mark at or past lsn" (when a write committed, for the RPO). Every
 * T asked is the present, or the moment a primary was lost while that loss
 * is being handled, less a copy's lag (a network delay plus its drawn
 * shipping, and for what it applied its drawn applying too) or less an
 * acknowledgement's round trip: never earlier than that moment less
 * reach = the longest shipping + applying any copy can draw + twice the
 * longest network delay the run can see. So a mark is let go only once a later mark is
 * also before that floor: no T can then fall before the later one, and
 * the last mark let go, kept as (kept_from, base_lsn), still answers any T
 * between it and the oldest mark kept. The second question is only asked
 * just past an answer to the first, so it finds a kept mark too. What is
 * kept answers exactly as the whole history would; when the marks in reach
 * fill the ring it doubles, never dropping one: memory grows with the
 * lag times the batches a second (at most 1/batch), not with the run.
 *
 * The longest lag: each copy draws its (shipping, applying) pair lazily,
 * when asked for and at most once a second, from its own stream, so the
 * draws the run can make are known in advance: they are read ahead on a
 * copy of the stream (the same numbers, leaving the real stream
 * untouched). With c drawn so far, the draw c + j cannot come before j
 * seconds from now: reading c + S/1 s + 1 of them covers every lag in use
 * in the next S. A run of up to
 * LAG_READ_AHEAD is covered to its end when built; a longer one is kept
 * covered that far ahead, and is exact unless some later lag outgrows
 * every earlier one by more than that. A question from before kept_from
 * would break this reasoning: it stops the run, rather than answer wrong. */
#include "dblog.h"

#include "net.h"
#include "sim_alloc.h"
#include "sim_assert.h"
#include "sim_status.h"

enum { FIRST_MARKS = 1024 }; /* a power of two, as every size after it */

/* How far ahead of the clock a run reads its lag draws (about 11.6 days). */
#define LAG_READ_AHEAD ((sim_time)1000000 * SIM_SEC)

static w_lsn_mark *mark_at(const w_group *g, size_t i)
{
    return &g->marks[(g->mark_head + i) & (g->mark_cap - 1)];
}

/* A drawn lag, in nanoseconds (a negative draw is none). */
static sim_time lag_of(double seconds) { return seconds > 0 ? (sim_time)(seconds * 1e9) : 0; }

/* Synchronous and quorum copies run one network delay behind, no lag:
 * their commit waited for them to have the log, and they apply it as it
 * comes. Asynchronous and semi-synchronous replicas draw their own. */
static int draws_lags(const w_group *g)
{
    int mode = g->db->def->replication.mode;
    return mode != REPL_QUORUM && mode != REPL_SYNC;
}

/* One draw of a copy's pair: shipping, then applying, from stream r. */
static void draw_lags(const w_group *g, sim_rng *r, sim_time *shipping, sim_time *applying)
{
    const stg_replication *rep = &g->db->def->replication;
    *shipping = lag_of(sim_dist_sample(&rep->shipping.d, r));
    *applying = lag_of(sim_dist_sample(&rep->applying.d, r));
}

/* A moment at or past the last the run can reach: the end, then the drain
 * in which requests born before it settle (models/run/world_run.c: every
 * attempt's timeout and the backoffs between them, and a second), here
 * taken twice, as it only bounds how many lags to read ahead. */
static sim_time last_moment(const w_world *w)
{
    const scn_client *cl = &w->sc->traffic.client;
    sim_time drain = (cl->retries + 1) * cl->timeout + cl->retries * 2 * cl->backoff_max + SIM_SEC;
    return w->end + 2 * drain;
}

/* Reads ahead every lag the run can draw from now to its end, or for
 * LAG_READ_AHEAD (a draw holds a second), keeping the longest. */
static void read_lags_ahead(w_group *g, sim_time now)
{
    if (!draws_lags(g))
        return;
    sim_time last = last_moment(g->db->world);
    sim_time span = now < last - LAG_READ_AHEAD ? LAG_READ_AHEAD : now < last ? last - now : 0;
    for (int n = 0; n < g->n_nodes; n++) {
        w_dbnode *node = &g->nodes[n];
        uint64_t draws = node->lags_drawn + (uint64_t)(span / SIM_SEC) + 1;
        while (node->lags_read < draws) {
            sim_time shipping, applying;
            draw_lags(g, &node->lag_ahead, &shipping, &applying);
            if (shipping + applying > g->lag_reach)
                g->lag_reach = shipping + applying;
            node->lags_read++;
        }
    }
}

/* The longest one-way delay between two copies the run can see: inside a
 * building, or a route of one link or a detour of two round a cut one
 * (world/link.c), three links at most, each on its slowest path with every
 * latency fault of the scenario added to it. */
static sim_time net_reach(const w_world *w)
{
    sim_time inside = 0, path = 0, added = 0;
    for (size_t d = 0; d < w->geo->datacenters.n; d++) {
        sim_time l = MDL_ITEM(w->geo->datacenters, geo_dc, d)->internal_latency;
        inside = l > inside ? l : inside;
    }
    for (size_t k = 0; k < w->geo->links.n; k++) {
        const geo_link *gl = MDL_ITEM(w->geo->links, geo_link, k);
        for (size_t p = 0; p < gl->paths.n; p++) {
            sim_time l = MDL_ITEM(gl->paths, geo_path, p)->latency;
            path = l > path ? l : path;
        }
    }
    for (size_t f = 0; f < w->sc->faults.n; f++)
        added += MDL_ITEM(w->sc->faults, scn_fault, f)->latency;
    sim_time across = 3 * (path + added);
    return across > inside ? across : inside;
}

int dblog_init(w_world *w, w_group *g)
{
    g->mark_cap = FIRST_MARKS;
    g->marks = sim_calloc(g->mark_cap, sizeof *g->marks);
    if (!g->marks)
        return SIM_ENOMEM;
    g->mark_every = g->db->def->replication.batch;
    g->kept_from = INT64_MIN;
    g->net_reach = net_reach(w);
    for (int n = 0; n < g->n_nodes; n++)
        g->nodes[n].lag_ahead = g->nodes[n].lag_rng;
    read_lags_ahead(g, 0);
    return SIM_OK;
}

/* Lets go of the marks no question can reach any more (see the top). */
static void forget_unreachable(w_group *g, sim_time now)
{
    read_lags_ahead(g, now);
    sim_time asked = g->lost_primary >= 0 && g->primary_lost_at < now ? g->primary_lost_at : now;
    sim_time floor = asked - g->lag_reach - 2 * g->net_reach;
    while (g->n_marks > 1 && mark_at(g, 1)->t <= floor) {
        const w_lsn_mark *old = mark_at(g, 0);
        g->kept_from = old->t;
        g->base_lsn = old->lsn;
        g->mark_head = (g->mark_head + 1) & (g->mark_cap - 1);
        g->n_marks--;
    }
}

/* Doubles the ring, its marks in order from the start. */
static int grow(w_group *g)
{
    SIM_ASSERT(g->mark_cap <= SIZE_MAX / 2 / sizeof *g->marks);
    size_t cap = 2 * g->mark_cap;
    w_lsn_mark *marks = sim_malloc(cap * sizeof *marks);
    if (!marks)
        return SIM_ENOMEM;
    for (size_t i = 0; i < g->n_marks; i++)
        marks[i] = *mark_at(g, i);
    sim_free(g->marks);
    g->marks = marks;
    g->mark_cap = cap;
    g->mark_head = 0;
    return SIM_OK;
}

/* A copy cut off with nothing missing yet misses this write first. */
static void note_first_missing(w_group *g, sim_time now)
{
    for (int n = 0; n < g->n_nodes; n++) {
        w_dbnode *node = &g->nodes[n];
        if (node->cut_off && node->first_missing_at < 0 && g->lsn > node->received_frozen) {
            node->first_missing_at = now;
            g->cut_pending--;
        }
    }
}

void dblog_mark(w_group *g, sim_time now)
{
    if (g->cut_pending)
        note_first_missing(g, now);
    if (g->n_marks > 0) {
        w_lsn_mark *last = mark_at(g, g->n_marks - 1);
        if (now < last->t + g->mark_every) {
            last->lsn = g->lsn; /* the same batch */
            return;
        }
    }
    forget_unreachable(g, now);
    if (g->n_marks == g->mark_cap && grow(g)) {
        /* No memory for a new batch: the run stops, its last batch holding
         * the write so the log stays whole. */
        w_world *w = g->db->world;
        w->status = SIM_ENOMEM;
        sim_engine_stop(w->e);
        mark_at(g, g->n_marks - 1)->lsn = g->lsn;
        return;
    }
    *mark_at(g, g->n_marks++) = (w_lsn_mark){now, g->lsn};
}

/* Marks before kept_from were let go: a question before it would get
 * base_lsn, too late an answer (the reach was wrong: a bug). */
uint64_t dblog_lsn_at(const w_group *g, sim_time t)
{
    SIM_ASSERT(t >= g->kept_from);
    size_t lo = 0, hi = g->n_marks; /* find the last mark with time <= t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (mark_at(g, mid)->t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) /* before every mark kept: the last let go, or the start */
        return g->base_lsn;
    return mark_at(g, lo - 1)->lsn;
}

sim_time dblog_commit_time(const w_group *g, uint64_t lsn)
{
    SIM_ASSERT(lsn > g->base_lsn || g->kept_from == INT64_MIN); /* its batch was let go */
    size_t lo = 0, hi = g->n_marks; /* the first mark with lsn >= wanted */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (mark_at(g, mid)->lsn < lsn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n_marks ? mark_at(g, lo)->t : -1;
}

/* The copy's current draws (the ones read_lags_ahead read, in turn). */
static void current_lags(w_world *w, w_group *g, w_dbnode *node)
{
    sim_time now = sim_now(w->e);
    if (now >= node->lag_until) {
        draw_lags(g, &node->lag_rng, &node->shipping, &node->applying);
        node->lags_drawn++;
        node->lag_until = now + SIM_SEC;
    }
}

sim_time dblog_received_lag(w_world *w, w_group *g, int node)
{
    const w_dbnode *pn = &g->nodes[g->primary >= 0 ? g->primary : 0];
    sim_time net = net_delay(w, pn->dc->index, g->nodes[node].dc->index);
    if (!draws_lags(g))
        return net;
    current_lags(w, g, &g->nodes[node]);
    return net + g->nodes[node].shipping;
}

sim_time dblog_applied_lag(w_world *w, w_group *g, int node)
{
    sim_time received = dblog_received_lag(w, g, node);
    return draws_lags(g) ? received + g->nodes[node].applying : received;
}

uint64_t dblog_applied(w_world *w, w_group *g, int node)
{
    if (node == g->primary)
        return g->lsn;
    return dblog_lsn_at(g, sim_now(w->e) - dblog_applied_lag(w, g, node));
}

/* What copy n has received now, and when the first write it lacks was
 * committed (-1: it lacks none). */
static uint64_t received_now(w_world *w, w_group *g, int n, sim_time *first_missing)
{
    const w_dbnode *node = &g->nodes[n];
    if (node->cut_off) {
        *first_missing = node->first_missing_at;
        return node->received_frozen;
    }
    uint64_t had = n == g->primary ? g->lsn : dblog_lsn_at(g, sim_now(w->e) - dblog_received_lag(w, g, n));
    *first_missing = had < g->lsn ? dblog_commit_time(g, had + 1) : -1;
    return had;
}

void dblog_track_receiving(w_world *w, w_group *g)
{
    if (g->primary < 0)
        return;
    const w_dbnode *p = &g->nodes[g->primary];
    for (int n = 0; n < g->n_nodes; n++) {
        w_dbnode *node = &g->nodes[n];
        if (n == g->primary)
            continue;
        int receiving = p->up && p->dc->powered && node->up && node->dc->powered &&
                        net_reachable(w, p->dc->index, node->dc->index);
        if (!receiving && !node->cut_off) {
            node->received_frozen = received_now(w, g, n, &node->first_missing_at);
            node->cut_off = 1;
            g->cut_pending += node->first_missing_at < 0;
        } else if (receiving && node->cut_off) {
            /* Back in reach, it fetches what it missed from the primary. */
            node->cut_off = 0;
            g->cut_pending -= node->first_missing_at < 0;
        }
    }
}

void dblog_reset_receiving(w_group *g)
{
    for (int n = 0; n < g->n_nodes; n++)
        g->nodes[n].cut_off = 0;
    g->cut_pending = 0;
}

void dblog_note_loss(w_world *w, w_group *g)
{
    sim_time now = sim_now(w->e);
    for (int n = 0; n < g->n_nodes; n++) {
        w_dbnode *node = &g->nodes[n];
        node->received_at_loss = received_now(w, g, n, &node->oldest_missing_at);
        if (n == g->primary) {
            node->applied_by = now;
            continue;
        }
        sim_time received = dblog_received_lag(w, g, n);
        /* The applier, its applying behind, reaches the last write received
         * that much after it came. */
        node->applied_by = now + dblog_applied_lag(w, g, n) - received;
    }
}

void dblog_restart(w_group *g, uint64_t lsn)
{
    g->lsn = lsn;
    g->n_marks = 0;
    g->mark_head = 0;
    g->base_lsn = lsn;
    g->kept_from = INT64_MIN;
}
