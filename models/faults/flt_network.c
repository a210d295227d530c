/* flt_network.c -- faults of the network: a link cut on every path or on
 * one fiber path, a link made slower, lossy or narrower (each direction of
 * it), a building cut off from every other place, and a partition between
 * groups of places. The links' paths and detours follow (world/link.c). */
#include "flt_int.h"
#include "net.h"

/* What a fault changes in one direction of its link. */
typedef void link_change(w_linkdir *ld, const w_fault *f, int on);

/* Changes both directions of the fault's link; every link's active path
 * and detour follow each; then the change is told. */
static void change_link(w_fault *f, int on, link_change *change)
{
    for (int k = 0; k < 2; k++) {
        w_linkdir *ld = f->target.links[k];
        if (!ld)
            continue;
        change(ld, f, on);
        link_update(f->w);
    }
    link_changed(f->w);
}

static void cut(w_linkdir *ld, const w_fault *f, int on)
{
    (void)f;
    ld->cuts += on ? 1 : -1;
}

static void cut_path(w_linkdir *ld, const w_fault *f, int on)
{
    if (f->target.path >= 0)
        ld->path_up[f->target.path] = !on;
}

static void slow(w_linkdir *ld, const w_fault *f, int on)
{
    ld->added += (on ? 1 : -1) * f->def->latency;
    ld->jitter += (on ? 1 : -1) * f->def->jitter;
}

static void lose(w_linkdir *ld, const w_fault *f, int on) { ld->loss += (on ? 1 : -1) * f->def->loss / 100; }

static void narrow(w_linkdir *ld, const w_fault *f, int on)
{
    ld->bandwidth_factor = on ? f->def->bandwidth / 100 : 1;
    if (ld->bandwidth_factor <= 0)
        ld->bandwidth_factor = 1e-9; /* nothing left: a trickle, not a division by zero */
}

void flt_link_cut(w_fault *f, int on) { change_link(f, on, cut); }
void flt_path_cut(w_fault *f, int on) { change_link(f, on, cut_path); }
void flt_latency(w_fault *f, int on) { change_link(f, on, slow); }
void flt_loss(w_fault *f, int on) { change_link(f, on, lose); }
void flt_bandwidth(w_fault *f, int on) { change_link(f, on, narrow); }

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
