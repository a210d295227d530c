/* rec_detect.c -- detection and the global balancer. A dead server leaves
 * rotation when its balancer's health checks fail `threshold` times, or
 * when the registry misses `threshold` heartbeats and pushes the news (not
 * at all while the registry is down). The global balancer checks each
 * entry point the same way; what it answers changes then, and each user
 * keeps the answer cached until their TTL runs out, so a switch through DNS
 * cannot finish before the TTL. */
#include <math.h>

#include "flt.h"
#include "req.h"
#include "sim_alloc.h"

/* ==== Servers ==== */

static void rotation_rebuild(w_cell *c)
{
    c->n_rotation = 0;
    for (int s = 0; s < c->n_servers; s++)
        if (c->servers[s].in_rotation)
            c->rotation[c->n_rotation++] = s;
}

sim_time rec_server_detection(w_world *w)
{
    double u = sim_rng_uniform(&w->detect_rng);
    if (w->st->balancer.membership == MEMBERS_REGISTRY) {
        const stg_registry *reg = &w->st->registry;
        /* The last heartbeat came up to one period before the death. */
        return (sim_time)((double)reg->threshold * (double)reg->heartbeat - u * (double)reg->heartbeat) + reg->push_delay;
    }
    const stg_check *hc = &w->st->balancer.health_check;
    return (sim_time)(u * (double)hc->interval) + (hc->threshold - 1) * hc->interval + hc->timeout;
}

static void on_remove(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_server *sv = subject;
    if (sv->up || !sv->in_rotation)
        return; /* back already, or out already */
    if (w->st->balancer.membership == MEMBERS_REGISTRY && !w->registry_up) {
        sv->pending_removal = 1; /* nobody can tell the balancers */
        return;
    }
    sv->in_rotation = 0;
    sv->pending_removal = 0;
    w_cell *c = sv->cell;
    rotation_rebuild(c);
    if (!c->detect_noted) {
        c->detect_noted = 1;
        world_event(w, "detect", c->dc->geo->name, "dead servers of %s in %s detected and taken out of rotation",
                    c->unit->def->name, c->dc->geo->name);
    }
}

void rec_server_down(w_world *w, w_server *sv)
{
    sim_event_post(w->e, sim_now(w->e) + rec_server_detection(w), on_remove, sv, w);
}

static void on_add(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    w_server *sv = subject;
    if (!sv->up || sv->in_rotation)
        return;
    sv->in_rotation = 1;
    rotation_rebuild(sv->cell);
    int all = 1;
    for (int s = 0; s < sv->cell->n_servers; s++)
        all &= sv->cell->servers[s].in_rotation;
    if (all)
        sv->cell->detect_noted = 0;
    (void)w;
}

void rec_server_up(w_world *w, w_server *sv)
{
    if (sv->in_rotation)
        return; /* it never left */
    sim_time delay = w->st->balancer.membership == MEMBERS_REGISTRY ? w->st->registry.heartbeat + w->st->registry.push_delay
                                                                   : w->st->balancer.health_check.interval;
    sim_event_post(w->e, sim_now(w->e) + delay, on_add, sv, w);
}

void rec_registry_changed(w_world *w)
{
    /* News held back while the registry was down goes out now. */
    if (w->registry_up)
        for (int c = 0; c < w->n_cells; c++)
            for (int s = 0; s < w->cells[c]->n_servers; s++)
                if (w->cells[c]->servers[s].pending_removal)
                    sim_event_post(w->e, sim_now(w->e) + w->st->registry.push_delay, on_remove,
                                       &w->cells[c]->servers[s], w);
    for (int c = 0; c < w->n_cells; c++)
        rec_cell_changed(w, w->cells[c]);
}

/* ==== The global balancer (DNS) ==== */

typedef struct dns_version {
    sim_time t;
    uint64_t healthy;           /* bit i: entry point i is answered */
    int *home;                  /* per unit: the datacenter it is answered with */
} dns_version;

struct w_dns {
    dns_version *v;
    size_t n, cap;
    uint64_t healthy;           /* what the balancer believes now */
    uint64_t truth;             /* what is true now */
};

static int entry_truly_up(const w_world *w, int i)
{
    const w_dc *d = &w->dcs[w->entry_dcs[i]];
    return d->powered && d->entry_up && !d->isolated;
}

static void push_version(w_world *w)
{
    struct w_dns *dns = w->dns;
    if (sim_grow((void **)&dns->v, &dns->cap, dns->n + 1, sizeof *dns->v))
        return;
    dns_version *v = &dns->v[dns->n++];
    v->t = sim_now(w->e);
    v->healthy = dns->healthy;
    v->home = sim_calloc((size_t)w->n_units + 1, sizeof *v->home);
    for (int u = 0; v->home && u < w->n_units; u++)
        v->home[u] = w->units[u].home ? w->units[u].home->dc->index : -1;
}

void rec_dns_init(w_world *w)
{
    w->dns = sim_calloc(1, sizeof *w->dns);
    if (!w->dns)
        return;
    for (int i = 0; i < w->n_entry_dcs; i++)
        w->dns->healthy |= 1ULL << i;
    w->dns->truth = w->dns->healthy;
    push_version(w);
}

void rec_dns_fini(w_world *w)
{
    if (!w->dns)
        return;
    for (size_t i = 0; i < w->dns->n; i++)
        sim_free(w->dns->v[i].home);
    sim_free(w->dns->v);
    sim_free(w->dns);
    w->dns = NULL;
}

static void on_gslb_check(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = subject;
    int i = (int)(intptr_t)object - 1;
    uint64_t bit = 1ULL << i;
    int up = entry_truly_up(w, i);
    if (up == !!(w->dns->healthy & bit))
        return;
    if (up)
        w->dns->healthy |= bit;
    else
        w->dns->healthy &= ~bit;
    world_event(w, up ? "restore" : "detect", w->dcs[w->entry_dcs[i]].geo->name,
                up ? "the global balancer answers with %s again" : "the global balancer stops answering with %s",
                w->dcs[w->entry_dcs[i]].geo->name);
    push_version(w);
}

void rec_entry_changed(w_world *w, int dc)
{
    if (w->st->entry.kind != ENTRY_DNS || !w->dns)
        return;
    for (int i = 0; i < w->n_entry_dcs; i++) {
        if (w->entry_dcs[i] != dc)
            continue;
        int up = entry_truly_up(w, i);
        uint64_t bit = 1ULL << i;
        if (up == !!(w->dns->truth & bit))
            continue;
        w->dns->truth = up ? w->dns->truth | bit : w->dns->truth & ~bit;
        const stg_check *hc = &w->st->entry.health_check;
        double u = sim_rng_uniform(&w->detect_rng);
        sim_time delay = up ? hc->interval
                            : (sim_time)(u * (double)hc->interval) + (hc->threshold - 1) * hc->interval + hc->timeout;
        sim_event_post(w->e, sim_now(w->e) + delay, on_gslb_check, w, (void *)(intptr_t)(i + 1));
    }
}

void rec_unit_home_changed(w_world *w, w_unit *u)
{
    (void)u;
    if (w->dns)
        push_version(w);
}

/* The answer a user got when their cache was last filled. */
int rec_dns_entry(w_world *w, const w_req *r)
{
    struct w_dns *dns = w->dns;
    sim_time ttl = w->st->entry.ttl, now = sim_now(w->e);
    const dns_version *v = &dns->v[dns->n - 1];
    if (ttl > 0 && dns->n > 1) {
        /* Each user's cache expires at its own phase of the TTL. */
        uint64_t z = r->uid * 0x9e3779b97f4a7c15ULL;
        z ^= z >> 29;
        sim_time phase = (sim_time)((z >> 11) % (uint64_t)ttl);
        sim_time filled = now - ((now - phase) % ttl + ttl) % ttl;
        size_t k = dns->n;
        while (k > 1 && dns->v[k - 1].t > filled)
            k--;
        v = &dns->v[k - 1];
    }
    const w_unit *unit = &w->units[r->unit];
    if (w->st->entry.routing == ROUTE_BY_UNIT) {
        int home = v->home ? v->home[r->unit] : -1;
        for (int i = 0; i < w->n_entry_dcs; i++)
            if (w->entry_dcs[i] == home && (v->healthy & (1ULL << i)))
                return home;
        /* The unit's own entry is not answered: the nearest live one. */
        for (int i = 0; i < w->n_entry_dcs; i++)
            if ((v->healthy & (1ULL << i)) && home >= 0 && w->dcs[w->entry_dcs[i]].city == w->dcs[home].city)
                return w->entry_dcs[i];
        for (int i = 0; i < w->n_entry_dcs; i++)
            if (v->healthy & (1ULL << i))
                return w->entry_dcs[i];
        return home >= 0 ? home : w->entry_dcs[0];
    }
    /* Spread: the entry points answered, weighted by their cells' shares. */
    double cum[64], acc = 0;
    for (int i = 0; i < w->n_entry_dcs; i++) {
        double prev = i ? unit->entry_cum[i - 1] : 0;
        acc += (v->healthy & (1ULL << i)) ? unit->entry_cum[i] - prev : 0;
        cum[i] = acc;
    }
    uint64_t z = r->uid * 0xbf58476d1ce4e5b9ULL + 7;
    z ^= z >> 31;
    double u = (double)(z >> 11) * 0x1.0p-53;
    if (acc <= 0) { /* nothing weighted is answered: any answered entry */
        for (int i = 0; i < w->n_entry_dcs; i++)
            if (v->healthy & (1ULL << i))
                return w->entry_dcs[i];
        return w->entry_dcs[(int)(u * w->n_entry_dcs)];
    }
    for (int i = 0; i < w->n_entry_dcs; i++)
        if (u * acc < cum[i])
            return w->entry_dcs[i];
    return w->entry_dcs[w->n_entry_dcs - 1];
}
