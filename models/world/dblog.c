/* dblog.c -- the shard groups' logs: commit marks in a ring, searched by
 * time or by position. */
#include "dblog.h"

#include "net.h"

void dblog_mark(w_group *g, sim_time now)
{
    if (g->n_marks > 0) {
        w_lsn_mark *last = &g->marks[(g->mark_head + g->n_marks - 1) % g->mark_cap];
        if (now < last->t + g->mark_every) {
            last->lsn = g->lsn; /* the same batch */
            return;
        }
    }
    if (g->n_marks == g->mark_cap) { /* the oldest falls out of the window */
        g->base_lsn = g->marks[g->mark_head].lsn;
        g->mark_head = (g->mark_head + 1) % g->mark_cap;
        g->n_marks--;
    }
    g->marks[(g->mark_head + g->n_marks++) % g->mark_cap] = (w_lsn_mark){now, g->lsn};
}

uint64_t dblog_lsn_at(const w_group *g, sim_time t)
{
    size_t lo = 0, hi = g->n_marks; /* find the last mark with time <= t */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->marks[(g->mark_head + mid) % g->mark_cap].t <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) /* before every mark still kept */
        return g->base_lsn;
    return g->marks[(g->mark_head + lo - 1) % g->mark_cap].lsn;
}

sim_time dblog_commit_time(const w_group *g, uint64_t lsn)
{
    size_t lo = 0, hi = g->n_marks; /* the first mark with lsn >= wanted */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->marks[(g->mark_head + mid) % g->mark_cap].lsn < lsn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n_marks ? g->marks[(g->mark_head + lo) % g->mark_cap].t : -1;
}

sim_time dblog_copy_lag(w_world *w, w_group *g, int node)
{
    const w_dbnode *pn = &g->nodes[g->primary >= 0 ? g->primary : 0];
    sim_time net = net_delay(w, pn->dc->index, g->nodes[node].dc->index);
    int mode = g->db->def->replication.mode;
    if (mode == REPL_QUORUM || mode == REPL_SYNC)
        return net;
    sim_time now = sim_now(w->e);
    if (now >= g->lag_until) {
        double s = sim_dist_sample(&g->db->def->replication.lag.d, &g->lag_rng);
        g->lag = (s > 0 ? (sim_time)(s * 1e9) : 0);
        g->lag_until = now + SIM_SEC;
    }
    return net + g->lag;
}

uint64_t dblog_applied(w_world *w, w_group *g, int node)
{
    if (node == g->primary)
        return g->lsn;
    return dblog_lsn_at(g, sim_now(w->e) - dblog_copy_lag(w, g, node));
}

void dblog_restart(w_group *g, uint64_t lsn)
{
    g->lsn = lsn;
    g->n_marks = 0;
    g->mark_head = 0;
    g->base_lsn = lsn;
}
