/* route_dns.c -- the global balancer's answers: which entry points it
 * answers with (and, by unit, each unit's home), as versions over time.
 * Each user keeps the answer cached until their TTL runs out, refreshing at
 * their own phase of it, so a switch through DNS cannot finish before the
 * TTL. Recovery's health checks (recovery/rec_entry.c) decide what is
 * answered; a unit switch moves a unit's answer. */
#include "flow_int.h"
#include "sim_alloc.h"
#include "sim_hash.h"
#include "sim_status.h"

typedef struct dns_version {
    sim_time t;
    uint64_t healthy;           /* bit i: entry point i is answered */
    int *home;                  /* per unit: the datacenter it is answered with */
} dns_version;

struct flow_dns {
    dns_version *v;
    size_t n, cap;
    uint64_t healthy;           /* what the balancer answers now */
};

static void push_version(w_world *w)
{
    flow_dns *dns = w->flow->dns;
    if (sim_grow((void **)&dns->v, &dns->cap, dns->n + 1, sizeof *dns->v))
        return;
    dns_version *v = &dns->v[dns->n++];
    v->t = sim_now(w->e);
    v->healthy = dns->healthy;
    v->home = sim_calloc((size_t)w->n_units + 1, sizeof *v->home);
    for (int u = 0; v->home && u < w->n_units; u++)
        v->home[u] = w->units[u].home ? w->units[u].home->dc->index : -1;
}

int dns_init(w_world *w)
{
    flow_dns *dns = w->flow->dns = sim_calloc(1, sizeof *w->flow->dns);
    if (!dns)
        return SIM_ENOMEM;
    for (int i = 0; i < w->n_entry_dcs; i++)
        dns->healthy |= 1ULL << i;
    push_version(w);
    return dns->n ? SIM_OK : SIM_ENOMEM;
}

void dns_fini(w_world *w)
{
    flow_dns *dns = w->flow->dns;
    if (!dns)
        return;
    for (size_t i = 0; i < dns->n; i++)
        sim_free(dns->v[i].home);
    sim_free(dns->v);
    sim_free(dns);
    w->flow->dns = NULL;
}

int dns_answers_entry(const w_world *w, int i) { return !!(w->flow->dns->healthy & (1ULL << i)); }

void dns_answer_entry(w_world *w, int i, int answered)
{
    flow_dns *dns = w->flow->dns;
    uint64_t bit = 1ULL << i;
    dns->healthy = answered ? dns->healthy | bit : dns->healthy & ~bit;
    push_version(w);
}

void dns_on_unit_home(w_world *w, const w_note *n, void *context)
{
    (void)n;
    (void)context;
    push_version(w);
}

/* The two hashes below are lighter than sim_hash_unit (one multiply and
 * one shift) and predate it; they stay as they are so that every DNS
 * stage's users keep their refresh phases and their entry points, and
 * with them every result of those stages. */
#define SPREAD_MULTIPLIER 0xbf58476d1ce4e5b9ULL /* SplitMix64's first */

/* Where in its TTL a user refreshes. */
static sim_time refresh_phase(uint64_t uid, sim_time ttl)
{
    uint64_t z = uid * SIM_HASH_GOLDEN;
    z ^= z >> 29;
    return (sim_time)((z >> 11) % (uint64_t)ttl);
}

/* Where in [0, 1) a user falls among the weighted entry points. */
static double spread_point(uint64_t uid)
{
    uint64_t z = uid * SPREAD_MULTIPLIER + 7;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

int dns_entry(w_world *w, const w_req *r)
{
    flow_dns *dns = w->flow->dns;
    sim_time ttl = w->st->entry.ttl, now = sim_now(w->e);
    const dns_version *v = &dns->v[dns->n - 1];
    if (ttl > 0 && dns->n > 1) {
        /* Each user's cache expires at its own phase of the TTL. */
        sim_time phase = refresh_phase(r->uid, ttl);
        sim_time since = (now - phase) % ttl; /* one division, not two (dns_entry: 3% of naive's run) */
        sim_time filled = now - (since < 0 ? since + ttl : since);
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
    double cum[W_MAX_ENTRIES], acc = 0;
    for (int i = 0; i < w->n_entry_dcs; i++) {
        double prev = i ? unit->entry_cum[i - 1] : 0;
        acc += (v->healthy & (1ULL << i)) ? unit->entry_cum[i] - prev : 0;
        cum[i] = acc;
    }
    double u = spread_point(r->uid);
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
