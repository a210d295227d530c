/* route_gateway.c -- in-band routing's client side: the gateway addresses
 * each user's app holds, in the order it tries them, and what the app
 * remembers of an address that did not answer.
 *
 * Gateways in every listed datacenter accept any user and route by the
 * unit rules the registry pushes (route_cell reads the unit's home), so a
 * unit switch takes effect at the push, not when DNS caches expire. The
 * app holds `endpoints` addresses: its unit's datacenters first (its cells
 * in order, so the standby's gateway comes second), then the other
 * gateways. With spread routing a user's first address is weighted by the
 * cells' shares, like the DNS answer it replaces. An address that gave no
 * answer is tried last from then on, until the others fail and it answers
 * again (what an HTTP client's route database does, e.g. OkHttp's): one
 * bit per user. */
#include "flow_int.h"
#include "sim_alloc.h"
#include "sim_hash.h"
#include "sim_status.h"

enum { SALT_GATEWAY_FIRST = 5 };

struct flow_gateway {
    int *order;                 /* per unit, W_MAX_ENTRIES datacenter indexes */
    int *n_order;               /* per unit */
    uint8_t *first_failed;      /* per user, a bit: the first address is tried last */
    /* Per shard (a user's shard never changes, its unit may), the users
     * whose bit is set: while none is, no request reads the bitmap, a
     * cache miss each that took a quarter of a run's time at 500M users. */
    uint64_t n_failed[100];
};

static int is_entry(const w_world *w, int dc)
{
    for (int i = 0; i < w->n_entry_dcs; i++)
        if (w->entry_dcs[i] == dc)
            return 1;
    return 0;
}

static void add_once(int *list, int *n, int dc)
{
    for (int i = 0; i < *n; i++)
        if (list[i] == dc)
            return;
    list[(*n)++] = dc;
}

int gateway_init(w_world *w)
{
    flow_gateway *gw = w->flow->gateway = sim_calloc(1, sizeof *gw);
    if (!gw)
        return SIM_ENOMEM;
    gw->order = sim_calloc((size_t)w->n_units * W_MAX_ENTRIES + 1, sizeof *gw->order);
    gw->n_order = sim_calloc((size_t)w->n_units + 1, sizeof *gw->n_order);
    gw->first_failed = sim_calloc((size_t)(w->users / 8) + 1, 1);
    if (!gw->order || !gw->n_order || !gw->first_failed)
        return SIM_ENOMEM;
    for (int u = 0; u < w->n_units; u++) {
        const w_unit *unit = &w->units[u];
        int *list = gw->order + (size_t)u * W_MAX_ENTRIES, n = 0;
        if (unit->home && is_entry(w, unit->home->dc->index))
            add_once(list, &n, unit->home->dc->index);
        for (int c = 0; c < unit->n_cells; c++)
            if (is_entry(w, unit->cells[c]->dc->index))
                add_once(list, &n, unit->cells[c]->dc->index);
        for (int i = 0; i < w->n_entry_dcs; i++)
            add_once(list, &n, w->entry_dcs[i]);
        gw->n_order[u] = n < w->st->entry.endpoints ? n : (int)w->st->entry.endpoints;
    }
    return SIM_OK;
}

void gateway_fini(w_world *w)
{
    flow_gateway *gw = w->flow->gateway;
    if (!gw)
        return;
    sim_free(gw->order);
    sim_free(gw->n_order);
    sim_free(gw->first_failed);
    sim_free(gw);
    w->flow->gateway = NULL;
}

/* With spread routing, the position in the unit's list of the user's
 * first address: weighted by the active cells' shares at the start. */
static int spread_first(const w_world *w, const w_req *r, const int *list, int n)
{
    const w_unit *unit = &w->units[r->unit];
    if (w->st->entry.routing != ROUTE_SPREAD || w->n_entry_dcs == 0)
        return 0;
    double total = unit->entry_cum[w->n_entry_dcs - 1];
    if (total <= 0)
        return 0;
    double x = sim_hash_unit(r->uid, SALT_GATEWAY_FIRST) * total;
    int dc = w->entry_dcs[w->n_entry_dcs - 1];
    for (int i = 0; i < w->n_entry_dcs; i++)
        if (x < unit->entry_cum[i]) {
            dc = w->entry_dcs[i];
            break;
        }
    for (int k = 0; k < n; k++)
        if (list[k] == dc)
            return k;
    return 0;
}

void gateway_begin(const w_world *w, w_req *r)
{
    const flow_gateway *gw = w->flow->gateway;
    r->endpoint = 0;
    r->first_last = gw->n_failed[r->shard] != 0 && (gw->first_failed[r->uid >> 3] >> (r->uid & 7) & 1);
}

int gateway_endpoint(const w_world *w, const w_req *r, int k)
{
    const flow_gateway *gw = w->flow->gateway;
    const int *list = gw->order + (size_t)r->unit * W_MAX_ENTRIES;
    int n = gw->n_order[r->unit];
    if (k >= n)
        return -1;
    int first = spread_first(w, r, list, n);
    int demoted = r->first_last;
    /* The user's order: its first address, then the rest of the list;
     * a first address that failed goes to the end. */
    int pos = demoted ? (k + 1) % n : k;
    if (pos == 0)
        return list[first];
    int rest = pos - 1; /* among the others, in list order */
    for (int i = 0; i < n; i++) {
        if (i == first)
            continue;
        if (rest-- == 0)
            return list[i];
    }
    return -1;
}

void gateway_learn(w_world *w, const w_req *r, int k, int answered)
{
    flow_gateway *gw = w->flow->gateway;
    uint8_t *byte = &gw->first_failed[r->uid >> 3], bit = (uint8_t)(1u << (r->uid & 7));
    int demoted = r->first_last, n = gw->n_order[r->unit];
    int is_first = demoted ? k == n - 1 : k == 0;
    if (!is_first || n < 2 || (answered && gw->n_failed[r->shard] == 0))
        return; /* no bit of the shard is set: none to clear, none to read */
    if (answered && (*byte & bit)) {
        *byte = (uint8_t)(*byte & ~bit);
        gw->n_failed[r->shard]--;
    } else if (!answered && !(*byte & bit)) {
        *byte = (uint8_t)(*byte | bit);
        gw->n_failed[r->shard]++;
    }
}
