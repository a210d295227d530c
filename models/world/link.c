/* link.c -- the state of links: each direction's active fiber path (the
 * fastest healthy one), and where every path of a link is cut, a detour
 * over two healthy links through a third place, as IP routing goes round a
 * cut. */
#include <math.h>
#include <stdint.h>

#include "net.h"
#include "note.h"
#include "sim_alloc.h"
#include "world_event.h"
#include "world_state.h"

/* The fastest healthy fiber path of a link by itself, or NULL. */
static const geo_path *best_path(const w_linkdir *ld)
{
    const geo_path *best = NULL;
    for (size_t p = 0; p < ld->geo->paths.n; p++) {
        const geo_path *gp = (const geo_path *)ld->geo->paths.items + p;
        if (ld->path_up[p] && (!best || gp->latency < best->latency))
            best = gp;
    }
    return ld->cuts == 0 ? best : NULL;
}

static const char *place_name(const w_world *w, int place)
{
    return place >= 0 ? w->dcs[place].geo->name
                      : ((const geo_city *)w->geo->cities.items + (-1 - place))->name;
}

/* A link's end `end` serves place `place`: the same place, or the city of
 * a datacenter (a metro link cut goes round through another city). */
static int touches(const w_world *w, int end, int place)
{
    return end == place || (place >= 0 && end == -1 - w->dcs[place].city);
}

void link_update(w_world *w)
{
    /* One link's change can open or close another's detour: every link
     * by itself first. */
    double *bandwidth = sim_calloc((size_t)w->n_links + 1, sizeof *bandwidth);
    for (int k = 0; k < w->n_links; k++) {
        w_linkdir *ld = &w->links[k];
        const geo_path *best = best_path(ld);
        if (best) {
            ld->latency = best->latency + ld->added;
            if (bandwidth)
                bandwidth[k] = best->bandwidth;
        }
    }
    /* A cut link carries its traffic over two healthy links through a third
     * place, as IP routing goes round a cut: their latencies added, and
     * its messages join both links' transmit queues (world/net.c). */
    for (int k = 0; k < w->n_links; k++) {
        w_linkdir *ld = &w->links[k];
        int was = ld->detour ? ld->via : INT32_MIN;
        if (best_path(ld)) {
            ld->up = 1;
            ld->detour = 0;
            ld->ns_per_byte = 8e9 / (bandwidth ? bandwidth[k] : 1e9) / w->scale;
            continue;
        }
        int first = -1, second = -1;
        sim_time best = SIM_TIME_NEVER;
        for (int a = 0; a < w->n_links; a++) {
            if (a == k || !touches(w, w->links[a].from, ld->from) || !best_path(&w->links[a]))
                continue;
            for (int b = 0; b < w->n_links; b++)
                if (b != k && w->links[b].from == w->links[a].to && touches(w, w->links[b].to, ld->to) &&
                    best_path(&w->links[b]) && w->links[a].latency + w->links[b].latency < best) {
                    best = w->links[a].latency + w->links[b].latency;
                    first = a;
                    second = b;
                }
        }
        ld->up = first >= 0;
        ld->detour = first >= 0;
        ld->via = first >= 0 ? w->links[first].to : 0;
        ld->legs[0] = first;
        ld->legs[1] = second;
        if (first >= 0) {
            ld->latency = best + ld->added;
            double bw = bandwidth ? fmin(bandwidth[first], bandwidth[second]) : 1e9;
            ld->ns_per_byte = 8e9 / bw / w->scale;
        }
        if (ld->detour && ld->via != was && k % 2 == 0) {
            char lat[SIM_TIME_TEXT_MAX];
            sim_time_format_duration(ld->latency, lat, sizeof lat);
            world_event(w, EV_REROUTE, place_name(w, ld->from), "%s~%s is cut: its traffic detours through %s (%s one way)",
                        place_name(w, ld->from), place_name(w, ld->to), place_name(w, ld->via), lat);
        }
    }
    sim_free(bandwidth);
    net_refresh(w);
}

void link_changed(w_world *w) { note_tell(w, NOTE_LINKS_CHANGED); }
