/* flt_node.c -- faults of components: servers (a crash, or power), a
 * database copy, an entry point's balancer, the registry. A component is
 * up when nothing holds it down; every change goes to the recovery side
 * (rec_*.c), which detects and reacts as the stage's file says. */
#include "flt.h"
#include "req.h"

void server_refresh(w_world *w, w_server *sv)
{
    int want = sv->cell->dc->powered && sv->crashed == 0 && sv->booted;
    if (want == sv->up)
        return;
    if (!want) {
        req_server_down(w, sv); /* loses its queue and its work; up = 0 */
        sv->down_since = sim_now(w->e);
        rec_server_down(w, sv);
    } else {
        sv->up = 1;
        rec_server_up(w, sv);
    }
}

void server_crash(w_world *w, w_server *sv, int on)
{
    sv->crashed += on ? 1 : -1;
    if (sv->crashed < 0)
        sv->crashed = 0;
    server_refresh(w, sv);
    rec_cell_changed(w, sv->cell);
}

/* Calls waiting at a copy that went down will never be answered. */
static void drain_group_queue(w_world *w, w_group *g)
{
    while (g->qhead) {
        w_req *r = g->qhead;
        g->qhead = r->next;
        g->queued--;
        db_call_abandoned(w, r);
    }
    g->qtail = NULL;
}

void dbnode_refresh(w_world *w, w_group *g, int n)
{
    w_dbnode *node = &g->nodes[n];
    int want = node->dc->powered && node->crashed == 0 && !node->recovering;
    if (want != node->up) {
        node->up = want;
        w->topology++;
        if (!want) {
            node->epoch++;
            if (n == g->primary) {
                drain_group_queue(w, g);
                g->busy = 0;
            }
            rec_dbnode_lost(w, g, n);
        } else {
            rec_dbnode_back(w, g, n);
        }
        return;
    }
    /* Up, but maybe cut off: a quorum leader away from its majority. */
    rec_group_check(w, g);
}

void dbnode_crash(w_world *w, w_group *g, int node, int on)
{
    g->nodes[node].crashed += on ? 1 : -1;
    if (g->nodes[node].crashed < 0)
        g->nodes[node].crashed = 0;
    dbnode_refresh(w, g, node);
}

void entry_set(w_world *w, int dc, int up)
{
    w_dc *d = &w->dcs[dc];
    d->entry_faults += up ? -1 : 1;
    if (d->entry_faults < 0)
        d->entry_faults = 0;
    d->entry_up = d->entry_faults == 0;
    rec_entry_changed(w, dc);
}

static int replica_alive(const w_world *w, int d)
{
    return w->dcs[d].powered && !w->dcs[d].isolated && w->dcs[d].registry_faults == 0;
}

/* The registry is a majority-quorum cluster (as ZooKeeper, etcd or Nacos's
 * Raft core): a datacenter is heard when it reaches a majority of its
 * replicas, and the registry answers where such a majority stands. */
int registry_hears(const w_world *w, int dc)
{
    const stg_registry *reg = &w->st->registry;
    if (!reg->head.present)
        return 0;
    size_t reached = 0;
    for (size_t i = 0; i < reg->datacenters.n; i++)
        for (int d = 0; d < w->n_dcs; d++)
            if (!strcmp(w->dcs[d].geo->name, reg->datacenters.v[i]) && replica_alive(w, d) &&
                net_reachable(w, dc, d))
                reached++;
    return 2 * reached > reg->datacenters.n;
}

void registry_refresh(w_world *w)
{
    const stg_registry *reg = &w->st->registry;
    int up = 0;
    if (reg->head.present)
        for (size_t i = 0; i < reg->datacenters.n; i++)
            for (int d = 0; d < w->n_dcs; d++)
                if (!strcmp(w->dcs[d].geo->name, reg->datacenters.v[i]) && replica_alive(w, d) &&
                    registry_hears(w, d))
                    up = 1;
    if (up == w->registry_up)
        return;
    w->registry_up = up;
    if (reg->head.present)
        world_event(w, "registry", "registry",
                    up ? "the configuration center answers again" : "the configuration center is down: no server failure is detected through it and no change is pushed");
    rec_registry_changed(w);
}
