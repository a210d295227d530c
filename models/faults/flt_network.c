/* flt_network.c -- faults of the network: a link cut on every path or on
 * one fiber path, a link made slower, lossy or narrower (each direction of
 * it), a building cut off from every other place, and a partition between
 * groups of places. The links' paths and detours follow (world/link.c). */
#include "flt_int.h"
#include "net.h"

void flt_link(w_fault *f, int on)
{
    w_world *w = f->w;
    const w_target *t = &f->target;
    const scn_fault *d = f->def;
    int sign = on ? 1 : -1;
    for (int k = 0; k < 2; k++) {
        w_linkdir *ld = t->links[k];
        if (!ld)
            continue;
        if (f->kind == FAULT_LINK_CUT)
            ld->cuts += sign;
        else if (f->kind == FAULT_PATH_CUT && t->path >= 0)
            ld->path_up[t->path] = !on;
        else if (f->kind == FAULT_LATENCY) {
            ld->added += sign * d->latency;
            ld->jitter += sign * d->jitter;
        } else if (f->kind == FAULT_LOSS)
            ld->loss += sign * d->loss / 100;
        else if (f->kind == FAULT_BANDWIDTH)
            ld->bandwidth_factor = on ? d->bandwidth / 100 : 1;
        if (ld->bandwidth_factor <= 0)
            ld->bandwidth_factor = 1e-9;
        link_update(w);
    }
    link_changed(w);
}

void flt_isolate(w_fault *f, int on)
{
    for (int i = 0; i < f->target.n_dcs; i++)
        dc_isolate(f->w, f->target.dcs[i], f->def ? f->def->mode : DROP_SILENTLY, on);
}

/* Sides a partition may have, at most. */
#define MAX_SIDES 8

/* Sides of a partition: datacenter indexes, cities expanded. */
static int partition_sides(w_world *w, const cfg_node *groups, int sides[][TARGET_MAX_DCS], int *counts)
{
    int n = 0;
    for (size_t i = 0; groups && i < groups->n && n < MAX_SIDES; i++, n++) {
        counts[n] = 0;
        for (size_t j = 0; j < groups->items[i]->n; j++) {
            const char *place = groups->items[i]->items[j]->text;
            for (int d = 0; d < w->n_dcs && counts[n] < TARGET_MAX_DCS; d++)
                if (!strcmp(w->dcs[d].geo->name, place) || !strcmp(w->dcs[d].geo->city, place))
                    sides[n][counts[n]++] = d;
        }
    }
    return n;
}

void flt_partition(w_fault *f, int on)
{
    int sides[MAX_SIDES][TARGET_MAX_DCS], counts[MAX_SIDES];
    int n = partition_sides(f->w, f->def->groups, sides, counts);
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            net_block(f->w, sides[a], counts[a], sides[b], counts[b], f->def->mode, on);
}
