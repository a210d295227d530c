/* net.c -- messages between datacenters: inside a building after its
 * internal latency; across a link behind the bandwidth of its active path
 * (each direction one transmit queue, messages waiting longer than the
 * buffer dropped), then the propagation latency, jitter and, for a lost
 * message, a retransmission. Deliveries on one direction keep their order
 * (never before the last one's time; equal times run in the order posted).
 * Every delivery is posted on the engine's main queue with no id: nothing
 * cancels one, and a lane of its own cost a proxy on the main queue and a
 * slot per message (bench e2e ran 5-10% slower). And partitions: paths
 * between two groups of datacenters blocked. */
#include "net.h"

#include "note.h"
#include "sim_assert.h"
#include "world_state.h"

static inline w_linkdir *route(const w_world *w, int from, int to)
{
    return w->route[from * w->n_dcs + to];
}

static int reachable_now(const w_world *w, int from, int to)
{
    if (!w->dcs[to].powered || !w->dcs[from].powered)
        return 0;
    if (from == to)
        return 1;
    const w_linkdir *ld = route(w, from, to);
    return ld && ld->up && !w->dcs[to].isolated && !w->dcs[from].isolated &&
           !w->blocked[from * w->n_dcs + to];
}

void net_refresh(w_world *w)
{
    world_topology_changed(w); /* power, isolation, a partition, or a link's path or latency changed */
    for (int from = 0; from < w->n_dcs; from++)
        for (int to = 0; to < w->n_dcs; to++)
            w->reach[from * w->n_dcs + to] = (uint8_t)reachable_now(w, from, to);
}

sim_time net_delay(const w_world *w, int from, int to)
{
    if (from == to)
        return w->dcs[from].geo->internal_latency;
    const w_linkdir *ld = route(w, from, to);
    return ld ? ld->latency : 0;
}

/* A detoured message takes its place in both legs' transmit queues at
 * once (cut-through: it leaves when the busier of them is free and is sent
 * at the slower one's rate), so rerouted traffic loads the links it rides
 * and waits behind their own traffic. Returns 0 when either queue is full. */
static int detour_transmit(w_world *w, w_linkdir *ld, double bytes, sim_time sent, sim_time *depart)
{
    w_linkdir *a = &w->links[ld->legs[0]], *b = &w->links[ld->legs[1]];
    sim_time start = sent;
    double ns_per_byte = 0;
    for (int i = 0; i < 2; i++) {
        const w_linkdir *leg = i ? b : a;
        if (leg->busy_until - sent > leg->geo->buffer)
            return 0; /* tail drop */
        start = leg->busy_until > start ? leg->busy_until : start;
        double rate = leg->ns_per_byte / leg->bandwidth_factor;
        ns_per_byte = rate > ns_per_byte ? rate : ns_per_byte;
    }
    *depart = start + (sim_time)(bytes * ns_per_byte);
    a->busy_until = b->busy_until = *depart;
    a->messages++, b->messages++;
    a->bytes += (uint64_t)bytes, b->bytes += (uint64_t)bytes;
    return 1;
}

int net_send(w_world *w, int from, int to, double bytes, sim_event_fn *fn, void *subject)
{
    return net_send_since(w, from, to, bytes, sim_now(w->e), fn, subject);
}

int net_send_since(w_world *w, int from, int to, double bytes, sim_time sent, sim_event_fn *fn, void *subject)
{
    w_dc *dst = &w->dcs[to];
    sim_time now = sim_now(w->e);
    SIM_ASSERT(sent <= now);
    if (from == to) {
        if (!dst->powered)
            return NET_DROPPED;
        sim_time at = sent + dst->geo->internal_latency;
        sim_event_post(w->e, at > now ? at : now, fn, subject, w);
        return NET_SENT;
    }
    w_linkdir *ld = route(w, from, to);
    if (!ld)
        return NET_DROPPED;
    int blocked = w->blocked[from * w->n_dcs + to];
    if (blocked || dst->isolated || w->dcs[from].isolated)
        return blocked == W_REFUSED || dst->isolated == W_REFUSED || w->dcs[from].isolated == W_REFUSED
                   ? NET_REFUSED
                   : NET_DROPPED;
    if (!ld->up)
        return NET_DROPPED;
    if (!dst->powered)
        return NET_DROPPED;
    sim_time depart;
    if (ld->detour) {
        if (!detour_transmit(w, ld, bytes, sent, &depart))
            return NET_DROPPED;
    } else {
        sim_time start = ld->busy_until > sent ? ld->busy_until : sent;
        if (start - sent > ld->geo->buffer)
            return NET_DROPPED; /* the queue is full: tail drop */
        depart = start + (sim_time)(bytes * ld->ns_per_byte / ld->bandwidth_factor);
        ld->busy_until = depart;
    }
    sim_time arrive = depart + ld->latency;
    if (ld->jitter > 0)
        arrive += (sim_time)(sim_rng_uniform(&ld->rng) * (double)ld->jitter);
    if (arrive < now)
        arrive = now; /* sent longer ago than the link takes */
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
    sim_event_post(w->e, arrive, fn, subject, w);
    return NET_SENT;
}

void net_block(w_world *w, const int *a, int na, const int *b, int nb, int mode, int on)
{
    uint8_t v = on ? (mode == REJECT_FAST ? W_REFUSED : W_DROPPED) : W_OPEN;
    for (int i = 0; i < na; i++)
        for (int j = 0; j < nb; j++) {
            w->blocked[a[i] * w->n_dcs + b[j]] = v;
            w->blocked[b[j] * w->n_dcs + a[i]] = v;
        }
    net_refresh(w);
    registry_refresh(w);
    /* Whoever lost sight of what: the registry, cells and copies look again. */
    for (int c = 0; c < w->n_cells; c++)
        note_tell_cell(w, NOTE_CELL_CHANGED, c);
    for (int g = 0; g < w->n_groups; g++)
        for (int n = 0; n < w->groups[g]->n_nodes; n++)
            dbnode_refresh(w, w->groups[g], n);
}
