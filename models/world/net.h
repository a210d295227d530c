/* net.h -- messages between datacenters (net.c): inside a building after
 * its internal latency; across a link behind the bandwidth of its active
 * path, then the propagation latency, jitter and, for a lost message, a
 * retransmission. Also partitions between groups of datacenters. */
#ifndef NET_H
#define NET_H
#include "world.h"

enum { NET_SENT, NET_DROPPED, NET_REFUSED };

/* Sends bytes from one datacenter to another; fn(e, subject, w) runs on
 * arrival. Returns NET_SENT, or NET_DROPPED (nothing will arrive) or
 * NET_REFUSED (the sender learns at once). */
int net_send(w_world *w, int from, int to, double bytes, sim_event_fn *fn, void *subject);
/* As net_send(), for a message that left at `sent` (<= now): a request
 * whose arrival at its entry ran late by the hop inside the building. */
int net_send_since(w_world *w, int from, int to, double bytes, sim_time sent, sim_event_fn *fn, void *subject);
/* One-way delay from one datacenter to another right now, without
 * queueing (for replies whose arrival needs no event). */
sim_time net_delay(const w_world *w, int from, int to);
/* Can a message from `from` reach `to` now? Asked several times a call
 * (which copy, which quorum), so read from a table. */
static inline int net_reachable(const w_world *w, int from, int to)
{
    return w->reach[from * w->n_dcs + to];
}
/* Power, isolation, a link or a partition changed: the table of who
 * reaches whom is worked out again (a few dozen pairs). */
void net_refresh(w_world *w);
/* Blocks (on) or opens every path between the datacenters of side a and
 * side b, dropping or refusing (mode: DROP_SILENTLY, REJECT_FAST); the
 * registry, the cells and the copies look again. */
void net_block(w_world *w, const int *a, int na, const int *b, int nb, int mode, int on);

#endif /* NET_H */
