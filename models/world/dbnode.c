/* dbnode.c -- a database copy's state: up when its building has power,
 * crash recovery is done and no crash of its own holds it down. A change
 * bumps its epoch (calls in flight on it are lost) and is told; a copy
 * that stays up is told too, as its reachability may have changed (a
 * quorum leader cut off from its majority). */
#include <stdio.h>

#include "note.h"
#include "world_state.h"

void dbnode_refresh(w_world *w, w_group *g, int n)
{
    w_dbnode *node = &g->nodes[n];
    int want = node->dc->powered && node->crashed == 0 && !node->recovering;
    if (want != node->up) {
        node->up = want;
        world_topology_changed(w); /* which copies live: commit waits, nearest copies */
        if (!want)
            node->epoch++;
        note_tell_dbnode(w, want ? NOTE_DBNODE_BACK : NOTE_DBNODE_LOST, g->gid, n);
        return;
    }
    note_tell_dbnode(w, NOTE_DBNODE_REACH, g->gid, n);
}

void dbnode_crash(w_world *w, w_group *g, int node, int on)
{
    g->nodes[node].crashed += on ? 1 : -1;
    if (g->nodes[node].crashed < 0)
        g->nodes[node].crashed = 0;
    dbnode_refresh(w, g, node);
}

const char *group_name(const w_group *g, char *buf, size_t n)
{
    if (g->db->holds_user)
        snprintf(buf, n, "%s %02d-%02d", g->db->def->name, g->def->shards.lo, g->def->shards.hi);
    else
        snprintf(buf, n, "%s", g->db->def->name);
    return buf;
}
