/* rec_db.c -- a shard group losing its primary, as the stage's file says
 * it recovers: waiting for the repair; a human promoting the most complete
 * replica after monitoring pages and they respond; the copies electing a
 * leader once its lease expires (only a connected majority can); or the
 * failover layer moving the shard to its failover database, parking the
 * writes that had not reached it. A promoted replica first applies what
 * its relay log holds. Counted from the log: the acknowledged writes the
 * new primary never received are lost (with the RPO: the age of the
 * oldest), parked writes are at risk until the old primary returns and is
 * reconciled, and writes a deposed primary still accepted are conflicts. */
#include <math.h>
#include <stdio.h>

#include "dblog.h"
#include "rec_int.h"

static int node_up(const w_group *g, int n) { return g->nodes[n].up && g->nodes[n].dc->powered; }

/* Copies (not failover databases) that can talk to copy `from`. */
static int reachable_copies(const w_world *w, const w_group *g, int from)
{
    int n = 0;
    for (int i = 0; i < g->n_nodes; i++)
        if (!g->nodes[i].is_failover && node_up(g, i) &&
            net_reachable(w, g->nodes[from].dc->index, g->nodes[i].dc->index))
            n++;
    return n;
}

/* The primary (node n) is lost now: what each copy holds from then on
 * is what its relay log had (dblog_note_loss). */
static void mark_lost(w_world *w, w_group *g, int n)
{
    g->lost_primary = n;
    g->primary_lost_at = sim_now(w->e);
    g->lsn_at_loss = g->lsn;
    dblog_note_loss(w, g);
}

static int copies(const w_group *g)
{
    int n = 0;
    for (int i = 0; i < g->n_nodes; i++)
        n += !g->nodes[i].is_failover;
    return n;
}

/* The writes acknowledged to clients by time t: a commit is acknowledged
 * one round trip after it reached the log, to the nearest copy (semi-
 * synchronous), to every copy (synchronous), or to enough copies for a
 * majority (quorum). Copies lost since count: they answered then. */
static uint64_t acked_at(w_world *w, w_group *g, sim_time t)
{
    const stg_replication *rep = &g->db->def->replication;
    if (rep->mode == REPL_ASYNC || (rep->mode == REPL_SEMI_SYNC && g->semi_degraded))
        return dblog_lsn_at(g, t);
    sim_time rtt[W_MAX_COPIES];
    int n = 0;
    for (int i = 0; i < g->n_nodes; i++)
        if (i != g->primary && !g->nodes[i].is_failover) /* there (with a semi-sync replica's shipping) and back */
            rtt[n++] = dblog_received_lag(w, g, i) + net_delay(w, g->nodes[i].dc->index, g->nodes[g->primary].dc->index);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && rtt[j - 1] > rtt[j]; j--) {
            sim_time x = rtt[j];
            rtt[j] = rtt[j - 1];
            rtt[j - 1] = x;
        }
    int k = rep->mode == REPL_SEMI_SYNC ? 1 : rep->mode == REPL_SYNC ? n : (n + 1) / 2;
    sim_time wait = k >= 1 && k <= n ? rtt[k - 1] : 0;
    return dblog_lsn_at(g, t - wait);
}

/* Whatever the trainee was told about group `name` is over. */
static void settle_alerts(w_world *w, const char *name)
{
    rec_op_settle(w, REACT_PROMOTION, name);
    rec_op_settle(w, REACT_FAILOVER, name);
    rec_op_settle(w, REC_ALERT_RUNBOOK(RUNBOOK_ON_PRIMARY_LOST), name);
}

/* The trainee took over the group's reaction: the group waits for them
 * as a manual promotion waits for a human, and they are told. */
static void leave_to_trainee(w_world *w, w_group *g, int reaction, const char *what)
{
    char name[96];
    group_name(g, name, sizeof name);
    g->promoting = 1;
    g->awaiting_human = 1;
    char hint[96];
    if (g->db->n_groups == 1)
        snprintf(hint, sizeof hint, "%s", g->db->def->name);
    else
        snprintf(hint, sizeof hint, "%s/%d-%d", g->db->def->name, g->def->shards.lo, g->def->shards.hi);
    rec_op_alert(w, reaction, name, "%s's primary is lost: %s is yours (promote %s)", name, what, hint);
}

/* Makes copy `to` the primary, counting what it lacks. */
static void take_over(w_world *w, w_group *g, int to, const char *how, int parked)
{
    char name[96];
    group_name(g, name, sizeof name);
    sim_time lost_at = g->lost_primary >= 0 ? g->primary_lost_at : sim_now(w->e);
    int old = g->primary;
    uint64_t acked = g->lost_primary >= 0 ? g->lsn_at_loss : g->lsn;
    if (g->lost_primary >= 0)
        acked = acked_at(w, g, lost_at) < acked ? acked_at(w, g, lost_at) : acked;
    /* What `to` had received when the primary was lost: it applied its
     * relay log before taking over. */
    uint64_t had = g->nodes[to].received_at_loss;
    uint64_t missing = acked > had ? acked - had : 0;
    sim_time rpo = 0;
    if (missing > 0) {
        sim_time oldest = g->nodes[to].oldest_missing_at;
        rpo = oldest >= 0 ? lost_at - oldest : 0;
    }
    if (parked) {
        g->parked += missing;
        g->parked_on = old;
        w->at_risk_writes += missing;
        world_event(w, EV_SWITCH, name, "%s: the failover layer moved it to %s; %.0f writes parked at risk",
                    name, g->nodes[to].dc->geo->name, world_real_count(w, missing));
    } else {
        w->lost_writes += missing;
        if (rpo > w->rpo)
            w->rpo = rpo;
        char rpo_text[SIM_TIME_TEXT_MAX];
        sim_time_format_duration((rpo + SIM_MS / 2) / SIM_MS * SIM_MS, rpo_text, sizeof rpo_text);
        world_event(w, EV_PROMOTE, name, "%s: %s promoted the copy in %s; %.0f acknowledged writes lost (RPO %s)",
                    name, how, g->nodes[to].dc->geo->name, world_real_count(w, missing), rpo_text);
    }
    w_note lost = note_of(NOTE_WRITES_LOST);
    lost.group = g->gid;
    lost.count = missing;
    lost.age = rpo;
    lost.parked = parked;
    note_publish(w, &lost);
    /* The new primary's log continues from what it had. */
    g->primary = to;
    world_topology_changed(w);
    dblog_restart(g, had > g->base_lsn ? had : g->base_lsn);
    dblog_reset_receiving(g);
    dblog_track_receiving(w, g);
    g->busy = 0;
    g->sessions = 0;
    g->sessions_reset = 1;
    g->lost_primary = -1;
    g->promoting = 0;
    g->awaiting_human = 0;
    settle_alerts(w, name);
    /* A deposed primary still running may still accept writes. */
    g->old_primary = old >= 0 && node_up(g, old) ? old : -1;
}

/* The most complete live copy reachable by a majority (or any, when
 * `need_majority` is 0); -1 if none. */
static int best_copy(w_world *w, w_group *g, int need_majority, int allow_failover)
{
    int best = -1;
    uint64_t best_had = 0;
    for (int i = 0; i < g->n_nodes; i++) {
        if (i == g->primary || !node_up(g, i) || (g->nodes[i].is_failover && !allow_failover))
            continue;
        if (need_majority && reachable_copies(w, g, i) < copies(g) / 2 + 1)
            continue;
        uint64_t had = g->nodes[i].received_at_loss;
        if (best < 0 || had > best_had) {
            best = i;
            best_had = had;
        }
    }
    return best;
}

static void on_promote(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_group *g = subject;
    w_world *w = g->db->world;
    int mode = (int)(intptr_t)object;
    if (!g->promoting)
        return; /* the primary came back first */
    int elected = mode == PROMOTE_AUTOMATIC;
    int to = best_copy(w, g, elected, 0);
    if (to < 0) { /* no copy to promote (no connected majority): try again when something changes */
        g->promoting = 0;
        return;
    }
    if (sim_now(e) < g->nodes[to].applied_by) { /* it first applies its relay log */
        sim_event_post(e, g->nodes[to].applied_by, on_promote, g, object);
        return;
    }
    take_over(w, g, to, elected ? "the copies elected" : g->promoted_by, 0);
}

static void start_promotion(w_world *w, w_group *g, int detected);
static void on_detected(sim_engine *e, void *subject, void *object);

static void on_failover(sim_engine *e, void *subject, void *object)
{
    (void)e;
    (void)object;
    w_group *g = subject;
    w_world *w = g->db->world;
    if (!g->promoting)
        return;
    int to = -1;
    for (int i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].is_failover && node_up(g, i))
            to = i;
    if (to < 0) {
        /* No failover database left to move to (the lost primary was the
         * failover database itself): the layer gives up and a human is
         * paged now, as the stage's promotion says (its detection is the
         * one event this writes). */
        g->promoting = 0;
        start_promotion(w, g, 1);
        return;
    }
    take_over(w, g, to, "the failover layer", 1);
}

/* The failover layer finds the primary gone. */
static void on_detected(sim_engine *e, void *subject, void *object)
{
    (void)e;
    (void)object;
    w_group *g = subject;
    w_world *w = g->db->world;
    if (!g->promoting)
        return;
    char name[96];
    group_name(g, name, sizeof name);
    world_event(w, EV_DETECT, name, "%s: the failover layer finds its primary unreachable", name);
    if (rec_op_takes(w, REACT_FAILOVER))
        leave_to_trainee(w, g, REACT_FAILOVER, "moving it to its failover database");
}

/* Starts the stage's promotion of a copy (manual or elected); `detected`:
 * the loss is known already, a page goes out at once. Without a promotion
 * the group waits for its repair. */
static void start_promotion(w_world *w, w_group *g, int detected)
{
    const stg_database *db = g->db->def;
    sim_time now = sim_now(w->e);
    switch (db->promotion.mode) {
    case PROMOTE_MANUAL: {
        /* Monitoring pages the on-call, who works through the runbook
         * (rec_runbook.c); its promote step comes back here. */
        g->promoting = 1;
        g->awaiting_human = 1;
        char name[96], why[160];
        snprintf(why, sizeof why, "%s's primary is unreachable", group_name(g, name, sizeof name));
        rec_runbook_page(w, RUNBOOK_ON_PRIMARY_LOST, g->db, detected ? -2 : -1, name, why);
        return;
    }
    case PROMOTE_AUTOMATIC:
        if (rec_op_takes(w, REACT_PROMOTION)) {
            leave_to_trainee(w, g, REACT_PROMOTION, "the election");
            return;
        }
        g->promoting = 1;
        sim_event_post(w->e, now + db->promotion.lease + db->promotion.election, on_promote, g,
                           (void *)(intptr_t)PROMOTE_AUTOMATIC);
        return;
    default:
        return;
    }
}

void rec_dbnode_lost(w_world *w, w_group *g, int n)
{
    char name[96];
    group_name(g, name, sizeof name);
    if (n != g->primary) {
        if (n == g->old_primary)
            g->old_primary = -1;
        return;
    }
    if (g->lost_primary >= 0 || g->promoting)
        return;
    sim_time now = sim_now(w->e);
    mark_lost(w, g, n);
    const stg_database *db = g->db->def;
    if (db->failover.head.present) {
        g->promoting = 1;
        sim_event_post(w->e, now + db->failover.detect, on_detected, g, g);
        if (!rec_op_takes(w, REACT_FAILOVER)) /* else the trainee is told at the detection */
            sim_event_post(w->e, now + db->failover.detect + db->failover.switch_delay, on_failover, g, NULL);
        return;
    }
    start_promotion(w, g, 0);
}

void rec_dbnode_back(w_world *w, w_group *g, int n)
{
    char name[96];
    group_name(g, name, sizeof name);
    if (n == g->lost_primary) { /* repaired before anyone took over */
        g->lost_primary = -1;
        g->promoting = 0;
        g->awaiting_human = 0;
        settle_alerts(w, name);
        world_event(w, EV_REPAIR, name, "%s: its primary in %s is back", name, g->nodes[n].dc->geo->name);
        return;
    }
    if (n == g->parked_on && g->parked) {
        world_event(w, EV_RECONCILE, name, "%s: the old primary in %s is back; %.0f parked writes reconciled", name,
                    g->nodes[n].dc->geo->name, world_real_count(w, g->parked));
        w->at_risk_writes -= g->parked;
        g->parked = 0;
        g->parked_on = -1;
    }
    if (n == g->old_primary)
        g->old_primary = -1;
    /* A group that could not elect for want of a majority may now. */
    if (g->primary >= 0 && !node_up(g, g->primary) && !g->promoting) {
        g->lost_primary = -1;
        rec_dbnode_lost(w, g, g->primary);
    }
}

/* Copy n is alive but no other building of the stage can reach it. */
static int cut_off(const w_world *w, const w_group *g, int n)
{
    int dc = g->nodes[n].dc->index, others = 0;
    for (int d = 0; d < w->n_dcs; d++) {
        if (d == dc || !w->dcs[d].used)
            continue;
        others++;
        if (net_reachable(w, dc, d))
            return 0;
    }
    return others > 0;
}

void rec_group_check(w_world *w, w_group *g)
{
    const stg_database *db = g->db->def;
    if (db->replication.mode != REPL_QUORUM || db->promotion.mode != PROMOTE_AUTOMATIC) {
        /* Without elections, monitoring and the failover layer judge from
         * outside: a primary whose building is cut off from every other
         * is as good as lost to them, though it still runs. */
        if (g->cut_node >= 0) {
            int n = g->cut_node;
            if (node_up(g, n) && cut_off(w, g, n))
                return;
            g->cut_node = -1;
            if (node_up(g, n)) /* reachable again */
                rec_dbnode_back(w, g, n);
            return;
        }
        if (g->primary >= 0 && node_up(g, g->primary) && !g->promoting && g->lost_primary < 0 &&
            cut_off(w, g, g->primary)) {
            g->cut_node = g->primary;
            rec_dbnode_lost(w, g, g->primary);
        }
        return;
    }
    if (g->promoting && g->awaiting_human && g->lost_primary >= 0 && g->lost_primary == g->primary &&
        node_up(g, g->primary) && reachable_copies(w, g, g->primary) >= copies(g) / 2 + 1) {
        /* Left to the trainee, the leader has its majority again before
         * they acted: its lease is renewed, nothing to decide. */
        rec_dbnode_back(w, g, g->primary);
        return;
    }
    if (g->primary < 0 || !node_up(g, g->primary) || g->promoting)
        return;
    if (reachable_copies(w, g, g->primary) >= copies(g) / 2 + 1)
        return;
    /* The leader lost its majority: its lease runs out, the majority side
     * elects; the old leader can no longer commit (no split brain). */
    mark_lost(w, g, g->primary);
    start_promotion(w, g, 0);
}

void rec_promote_now(w_world *w, w_group *g, const char *why)
{
    int marked = g->lost_primary < 0;
    if (marked)
        mark_lost(w, g, g->primary);
    int to = best_copy(w, g, 0, 1);
    if (to < 0) {
        if (marked)
            g->lost_primary = -1;
        return;
    }
    take_over(w, g, to, why, 0);
}

int rec_group_lost(const w_world *w, const w_group *g)
{
    (void)w;
    return g->lost_primary >= 0 || g->primary < 0 || !node_up(g, g->primary);
}

int rec_group_promotable(w_world *w, w_group *g) { return best_copy(w, g, 0, 1) >= 0; }

void rec_promote_by_human(w_world *w, w_group *g, const char *how)
{
    if (!g->awaiting_human || !g->promoting)
        return; /* back, or taken over meanwhile */
    g->awaiting_human = 0;
    snprintf(g->promoted_by, sizeof g->promoted_by, "a human following %s", how);
    on_promote(w->e, g, (void *)(intptr_t)PROMOTE_MANUAL);
}

/* ==== Planned handovers ==== */

static void on_handed_over(sim_engine *e, void *subject, void *object)
{
    (void)e;
    (void)object;
    w_group *g = subject;
    w_world *w = g->db->world;
    int to = g->handover_to, from = g->primary;
    g->handover_to = -1;
    /* Something broke meanwhile: the leader it had keeps the lease, or
     * the election that started takes it from here. */
    if (to < 0 || g->promoting || from < 0 || !node_up(g, from) || !node_up(g, to) ||
        !net_reachable(w, g->nodes[from].dc->index, g->nodes[to].dc->index))
        return;
    g->primary = to;
    world_topology_changed(w);
    g->old_primary = -1;
    dblog_reset_receiving(g); /* every copy now receives from the new leader */
    dblog_track_receiving(w, g);
    char name[96];
    group_name(g, name, sizeof name);
    world_event(w, EV_HANDOVER, name, "%s: the leader in %s handed its lease to the copy in %s, following its unit; nothing acknowledged is lost",
                name, g->nodes[from].dc->geo->name, g->nodes[to].dc->geo->name);
}

int rec_leader_follow(w_world *w, w_group *g, int dc)
{
    if (!g->db->def->promotion.follow_unit)
        return 0;
    if (g->handover_to >= 0)
        return 1;
    if (g->primary < 0 || g->promoting || !node_up(g, g->primary) || g->nodes[g->primary].dc->index == dc)
        return 0;
    int to = -1;
    for (int i = 0; i < g->n_nodes && to < 0; i++)
        if (!g->nodes[i].is_failover && node_up(g, i) && g->nodes[i].dc->index == dc &&
            net_reachable(w, g->nodes[g->primary].dc->index, dc))
            to = i;
    if (to < 0)
        return 0; /* no copy there: the leader stays */
    /* Writes stop; the copy applies what it still lacks (its lag behind
     * the leader), then takes the lease. Commits in flight finish at the
     * old leader meanwhile, well inside the catch-up. */
    g->handover_to = to;
    sim_time catch_up = dblog_applied_lag(w, g, to);
    sim_event_post(w->e, sim_now(w->e) + catch_up + g->db->def->promotion.handover, on_handed_over, g, NULL);
    return 1;
}

/* ==== Listeners ==== */

/* Each first tells the copies' replication who can still receive. */

void rec_on_dbnode_lost(w_world *w, const w_note *n, void *context)
{
    (void)context;
    dblog_track_receiving(w, w->groups[n->group]);
    rec_dbnode_lost(w, w->groups[n->group], n->node);
}

void rec_on_dbnode_back(w_world *w, const w_note *n, void *context)
{
    (void)context;
    dblog_track_receiving(w, w->groups[n->group]);
    rec_dbnode_back(w, w->groups[n->group], n->node);
}

void rec_on_dbnode_reach(w_world *w, const w_note *n, void *context)
{
    (void)context;
    dblog_track_receiving(w, w->groups[n->group]);
    rec_group_check(w, w->groups[n->group]);
}

void rec_on_links_groups(w_world *w, const w_note *n, void *context)
{
    (void)n;
    (void)context;
    for (int g = 0; g < w->n_groups; g++) {
        dblog_track_receiving(w, w->groups[g]);
        rec_group_check(w, w->groups[g]);
    }
}
