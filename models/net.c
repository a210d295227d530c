/* net.c -- messages between datacenters: inside a building after its
 * internal latency; across a link behind the bandwidth of its active path
 * (each direction one transmit queue, messages waiting longer than the
 * buffer dropped), then the propagation latency, jitter and, for a lost
 * message, a retransmission. Deliveries on one direction keep their order,
 * so each direction is one engine lane. */
#include "world_int.h"

static inline w_linkdir *route(const w_world *w, int from, int to)
{
    return w->route[from * w->n_dcs + to];
}

int net_reachable(const w_world *w, int from, int to)
{
    if (!w->dcs[to].powered || !w->dcs[from].powered)
        return 0;
    if (from == to)
        return 1;
    const w_linkdir *ld = route(w, from, to);
    return ld && ld->up && !w->dcs[to].isolated && !w->dcs[from].isolated &&
           !w->blocked[from * w->n_dcs + to];
}

sim_time net_delay(const w_world *w, int from, int to)
{
    if (from == to)
        return w->dcs[from].geo->internal_latency;
    const w_linkdir *ld = route(w, from, to);
    return ld ? ld->latency : 0;
}

int net_send(w_world *w, int from, int to, double bytes, sim_event_fn *fn, void *subject)
{
    w_dc *dst = &w->dcs[to];
    if (from == to) {
        if (!dst->powered)
            return NET_DROPPED;
        sim_lane_schedule(dst->internal, fn, subject, w);
        return NET_SENT;
    }
    w_linkdir *ld = route(w, from, to);
    if (!ld)
        return NET_DROPPED;
    int blocked = w->blocked[from * w->n_dcs + to];
    if (blocked || dst->isolated || w->dcs[from].isolated)
        return blocked == 2 || dst->isolated == 2 || w->dcs[from].isolated == 2 ? NET_REFUSED : NET_DROPPED;
    if (!ld->up)
        return NET_DROPPED;
    if (!dst->powered)
        return NET_DROPPED;
    sim_time now = sim_now(w->e);
    sim_time start = ld->busy_until > now ? ld->busy_until : now;
    if (start - now > ld->geo->buffer)
        return NET_DROPPED; /* the queue is full: tail drop */
    sim_time depart = start + (sim_time)(bytes * ld->ns_per_byte / ld->bandwidth_factor);
    ld->busy_until = depart;
    sim_time arrive = depart + ld->latency;
    if (ld->jitter > 0)
        arrive += (sim_time)(sim_rng_uniform(&ld->rng) * (double)ld->jitter);
    ld->messages++;
    ld->bytes += (uint64_t)bytes;
    if (ld->loss > 0 && sim_rng_uniform(&ld->rng) < ld->loss) {
        /* Lost once and sent again: only its own connection waits for the
         * retransmission, so it leaves the link's in-order stream. */
        sim_event_post(w->e, arrive + ld->geo->retransmit, fn, subject, w);
        return NET_SENT;
    }
    if (arrive < ld->last_arrival)
        arrive = ld->last_arrival; /* in order, as the link's queues keep them */
    ld->last_arrival = arrive;
    sim_lane_schedule_at(ld->lane, arrive, fn, subject, w);
    return NET_SENT;
}
