/* rpt_topology.h -- a stage drawn small: its cities side by side, each
 * datacenter a box listing what stands in it (entry points, the registry,
 * unit cells with their servers, database primaries, replicas and failover
 * copies), and the links between neighbouring cities with their one-way latency. */
#ifndef RPT_TOPOLOGY_H
#define RPT_TOPOLOGY_H
#include <cairo.h>

#include "mdl_files.h"

typedef struct rpt_topology {
    const stage *st;
    const geography *geo;
    int colour;                 /* the stage's */
} rpt_topology;

/* The height the drawing needs at width w. */
double rpt_topology_height(cairo_t *cr, const rpt_topology *t, double w);
/* A vz_draw_fn: context is a rpt_topology. */
void rpt_topology_draw(cairo_t *cr, double w, double h, const void *topology);

#endif /* RPT_TOPOLOGY_H */
