/* dblog.h -- each shard group's log: its log sequence number and a ring of
 * commit marks ((time, lsn) at each replication batch), from which what a
 * copy had applied at any moment follows: exact lost-write counts and stale
 * reads with no record per write, for any lag and any write rate (the ring
 * keeps every mark a question can still reach; dblog.c says why).
 *
 * A copy receives the primary's log in batches (replication.batch) and
 * applies it: a synchronous or quorum member receives it one network
 * latency behind and applies it at once; an asynchronous or semi-
 * synchronous replica receives it its own shipping later and applies it
 * its own applying after that, both redrawn every second. */
#ifndef DBLOG_H
#define DBLOG_H
#include "world.h"

/* Sets up the log of group g (its database, world and lag_rng set): an
 * empty ring and how far back questions can reach. 0, or SIM_ENOMEM. */
int dblog_init(w_world *w, w_group *g);
/* Marks the group's log position (g->lsn) as committed at `now`: a new
 * batch, or the current one grown. Out of memory, the run stops. */
void dblog_mark(w_group *g, sim_time now);
/* The primary's log position as of time t (the last batch shipped by t). */
uint64_t dblog_lsn_at(const w_group *g, sim_time t);
/* The commit time of write number lsn (the batch that held it), or -1. */
sim_time dblog_commit_time(const w_group *g, uint64_t lsn);
/* How far behind the primary copy `node` receives the log now (its relay
 * log), and how far behind it applies it. */
sim_time dblog_received_lag(w_world *w, w_group *g, int node);
sim_time dblog_applied_lag(w_world *w, w_group *g, int node);
/* What copy `node` has applied now. */
uint64_t dblog_applied(w_world *w, w_group *g, int node);
/* The primary is lost now: each copy's received_at_loss (what its relay
 * log holds), oldest_missing_at and applied_by (when it will have applied
 * what it holds). */
void dblog_note_loss(w_world *w, w_group *g);
/* Copies stop receiving while down or out of the primary's reach (their
 * relay log freezes), and fetch what they missed once back: call it when
 * copies or the network change. */
void dblog_track_receiving(w_world *w, w_group *g);
/* A new primary: every copy receives from it afresh. */
void dblog_reset_receiving(w_group *g);
/* The new primary's log continues from `lsn`: the marks start again. */
void dblog_restart(w_group *g, uint64_t lsn);

#endif /* DBLOG_H */
