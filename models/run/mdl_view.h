/* mdl_view.h -- a read-only view of a running world for drawing and
 * reports: the places (cities, datacenters with their power and entry),
 * the links and how they carry traffic, the units and their cells (which
 * one is home), the database groups with their leaders and copies, the
 * registry, the last interval's measures and the event log, as plain data
 * with no pointer into the models. The window redraws when `generation`
 * moves; the report and the window never include a model's own header.
 *
 * mdl_view_capture fills a view (allocating its arrays on first use and
 * reusing them after, so one view follows one world); it changes nothing
 * of the world and draws no random number, so capturing never changes a
 * run. */
#ifndef MDL_VIEW_H
#define MDL_VIEW_H
#include <stddef.h>
#include <stdint.h>

#include "mdl_results.h"
#include "mdl_world.h"

typedef struct mdl_view_city {
    const char *name;
    double lon, lat;
} mdl_view_city;

typedef struct mdl_view_dc {
    const char *name;
    int city;                   /* index into cities */
    int used;                   /* the stage uses it */
    int powered;
    int isolated;               /* 0 joined, 1 cut off (dropping), 2 cut off (refusing) */
    int entry;                  /* an entry point of the stage stands here */
    int entry_up;               /* its balancer is up (when it has an entry) */
    int registry;               /* a registry replica stands here */
    int alarm;                  /* on batteries with no generator coming (or dark from it) */
    double batteries_left_s;    /* while alarmed and lit: seconds until the batteries run out */
    int drained;                /* people moved its traffic away */
} mdl_view_dc;

/* One direction of a link; places are datacenter indexes, or -1 - city for
 * a link between cities. */
typedef struct mdl_view_link {
    int from, to;
    int up;                     /* some path carries traffic (maybe a detour) */
    int detour, via;            /* cut: going round through place `via` */
    double latency_s;           /* one way, now */
    double loss;                /* share of messages lost */
    uint64_t messages, bytes;   /* carried so far (simulated) */
} mdl_view_link;

typedef struct mdl_view_unit {
    const char *name;
    int kind;                   /* UNIT_RZONE, ... */
    int shards_lo, shards_hi;   /* rzones */
    int home;                   /* index into cells of the cell its traffic goes to, or -1 */
    int switching;              /* a unit switch is under way */
    /* Its requests in the last interval, real-world per second: offered,
     * failed, and the failures by cause (FAIL_...): where it hurts, and why. */
    double offered, failed;
    double by_cause[FAIL_COUNT];
} mdl_view_unit;

typedef struct mdl_view_cell {
    int unit, dc;
    int active, standby;
    int servers;                /* simulated */
    int servers_up, in_rotation;
    int busy, queued;           /* workers in use, requests waiting */
} mdl_view_cell;

typedef struct mdl_view_copy {
    int dc;
    int up;
    int failover;               /* the failover database */
    int recovering;             /* crash recovery under way */
    int cut_off;                /* receives nothing from the leader (down or out of reach) */
    uint64_t behind;            /* commits it lacks while cut off (simulated) */
} mdl_view_copy;

/* Copies a group keeps at most (a primary, replicas, a failover database). */
#define MDL_VIEW_COPIES 8

typedef struct mdl_view_group {
    const char *database;
    int shards_lo, shards_hi;   /* user data; global data: 0-99 */
    int primary;                /* index into copies of the leader, -1 when none serves */
    int n_copies;
    mdl_view_copy copies[MDL_VIEW_COPIES];
    int promoting;              /* a promotion or failover is under way */
    int write_forbidden;        /* a unit switch is moving its shards */
    uint64_t lsn;               /* acknowledged commits */
} mdl_view_group;

typedef struct mdl_view {
    sim_time now;
    uint64_t generation;        /* moves with every note (state changes, events, ticks) and rotation change */
    double scale;
    int registry_up;
    mdl_view_city *cities;
    int n_cities;
    mdl_view_dc *dcs;
    int n_dcs;
    mdl_view_link *links;
    int n_links;
    mdl_view_unit *units;
    int n_units;
    mdl_view_cell *cells;
    int n_cells;
    mdl_view_group *groups;
    int n_groups;
    mdl_series_point last;      /* the last interval's measures (zero before the first) */
    int has_last;
    mdl_event_row *events;      /* the event log so far */
    size_t n_events, cap_events;
} mdl_view;

/* Fills v from w. 0, or SIM_ENOMEM (v is then freed). v starts zeroed. */
int mdl_view_capture(const mdl_world *w, mdl_view *v);
void mdl_view_free(mdl_view *v);

#endif /* MDL_VIEW_H */
