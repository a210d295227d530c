/* registry.c -- the configuration center, a majority-quorum cluster (as
 * ZooKeeper, etcd or Nacos's Raft core): a datacenter is heard when it
 * reaches a majority of the replicas, and the registry answers where such a
 * majority stands. With it down nothing is detected or pushed through it. */
#include "note.h"
#include "world_event.h"
#include "world_state.h"
#include "net.h"

static int replica_alive(const w_world *w, int d)
{
    return w->dcs[d].powered && !w->dcs[d].isolated && w->dcs[d].registry_faults == 0;
}

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
        world_event(w, EV_REGISTRY, "registry",
                    up ? "the configuration center answers again"
                       : "the configuration center is down: no server failure is detected through it and no change is pushed");
    note_tell(w, NOTE_REGISTRY_CHANGED);
}
