/* world.h -- the running world's places and components and their state:
 * datacenters, links, pools, units and their cells of servers, databases
 * and their shard groups of copies; the run's constants; and a slot for
 * each room's own state. What the rooms above (measure, flow, faults,
 * recovery) share. The program, the report and the window never see it:
 * they read mdl_world.h and mdl_view.h.
 *
 * Who writes what: power, crashes, isolation, partitions, entry points and
 * the registry change through world_state.h, which tells each change on
 * the notification table (note.h). Other fields belong to the room that
 * writes them, marked below: faults set what a fault holds (a link's cuts,
 * paths, added latency, loss and bandwidth; a node's slowdown or error
 * rate; a unit's wrong target; a registry replica's faults) and then
 * re-evaluate through world_state.h; flow writes the request path
 * (workers, queues, sessions, conflicts); measure the time integrals;
 * recovery the rotation, leaders, promotions and switches.
 *
 * Everything is sized at build time from the stage, the geography, the
 * scenario and the scale; the hot path allocates nothing here. */
#ifndef WORLD_H
#define WORLD_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mdl_config.h"
#include "mdl_results.h"
#include "note.h"
#include "sim_dist.h"
#include "sim_engine.h"
#include "sim_rng.h"

typedef struct w_world w_world;
typedef struct w_cell w_cell;
typedef struct w_unit w_unit;
typedef struct w_group w_group;
struct w_req;                   /* a request (flow/) */

/* How a place or a pair of places treats what is sent to it. */
enum w_reach { W_OPEN, W_DROPPED, W_REFUSED };

/* ==== Places and the network ==== */

typedef struct w_dc {
    int index;
    const geo_dc *geo;
    int city;                   /* index into the geography's cities */
    int used;                   /* the stage uses (and pays for) it */
    int powered;                /* everything inside is on */
    int dark;                   /* reasons it is dark (power faults) */
    int isolated;               /* enum w_reach: every link to it is down */
    int entry_faults;           /* faults on its entry point (balancer) */
    int registry_faults;        /* faults on its registry replica */
    uint32_t epoch;             /* bumped when it loses power */
    int entry_up;               /* its entry point (balancer) answers */
    int alarm;                  /* on batteries with no generator coming, or dark from it */
    int drained;                /* people moved its traffic to the others */
    sim_time batteries_out;     /* while alarmed: when its batteries run out */
} w_dc;

/* One direction of a link: a transmit queue behind the bandwidth, then
 * the propagation latency; deliveries are in order. */
typedef struct w_linkdir {
    const geo_link *geo;
    int from, to;               /* datacenters, or cities for a city link (-1 - city) */
    sim_time latency;           /* of the active path, plus added latency */
    sim_time added;             /* latency added by a fault */
    sim_time jitter;
    double loss;                /* probability */
    double ns_per_byte;         /* 8e9 / (bandwidth x scale) */
    double bandwidth_factor;    /* 1, or what a fault left */
    int up;                     /* some path is healthy and no cut, or a detour */
    int detour;                 /* cut, its traffic going round through `via` */
    int via;                    /* a place, as from and to are */
    int legs[2];                /* a detour's two links (indexes into links), whose queues it shares */
    int cuts;                   /* link-cut faults on it */
    int *path_up;               /* per fiber path */
    sim_time busy_until;        /* the transmitter is sending until then */
    sim_time last_arrival;      /* in-order delivery */
    sim_rng rng;
    uint64_t messages, bytes;   /* carried so far */
} w_linkdir;

/* ==== Services ==== */

typedef struct w_server {
    w_cell *cell;
    int up;                     /* powered and not crashed */
    int in_rotation;            /* the balancer sends it requests (recovery) */
    int green;                  /* in the green (new release) group */
    uint32_t epoch;             /* bumped when it goes down */
    double slowdown;            /* a gray server's service-time multiple */
    int busy;                   /* workers in use (flow) */
    int queued;                 /* (flow) */
    struct w_req *qhead, *qtail; /* waiting requests (flow) */
    int crashed;                /* down by a fault of its own (else by power) */
    int booted;                 /* has booted since power last came back */
    double error_rate;          /* a bad release on it fails this share */
    sim_time down_since;        /* when it went down, for detection */
    int pending_removal;        /* detected dead while the registry was down (recovery) */
} w_server;

typedef struct w_pool {
    const stg_pool *def;
    int index;
    sim_dist *service;          /* per request type, seconds */
    int workers, queue_limit;
    int drop_expired;
} w_pool;

struct w_cell {
    const stg_cell *def;
    int index;
    w_unit *unit;
    w_pool *pool;               /* -> sized */
    w_pool sized;               /* its pool at this scale: workers, queue and service
                                 * times for the servers it has (world_scale.h) */
    w_dc *dc;
    w_server *servers;
    int n_servers;
    int *rotation;              /* indexes of servers in rotation (recovery) */
    int n_rotation;
    int rr;                     /* round-robin cursor (flow) */
    int active;                 /* takes traffic now */
    double share;
    sim_rng rng;                /* service times */
    int detect_noted;           /* its servers' detection is in events.csv (recovery) */
    /* Measures (measure/): time integrals and counts of this interval,
     * of the measured run, and of the whole run for queueing theory. */
    double busy_integral, queue_integral;
    double busy_total;          /* over the measured run */
    double area_busy, area_queued;   /* time integrals (ns x requests) */
    double wait_sum;                 /* ns waited before service */
    uint64_t started, waited;        /* services started; of which waited */
    uint64_t arrived;                /* requests that reached a server */
    double sojourn_sum;              /* ns from arrival to the end of service */
    uint64_t sojourn_n;
    sim_time last_change;
    int busy_now, queued_now;
    uint64_t served;
};

/* A unit switch under way (recovery). */
typedef struct w_switch_job {
    w_unit *unit;
    w_cell *to;
    sim_time started;
    char why[64];
} w_switch_job;

/* Entry points a stage may have (a bit each in the DNS answers). */
#define W_MAX_ENTRIES 64
/* Cells of one unit that spread routing weighs. */
#define W_MAX_SPREAD_CELLS 32

struct w_unit {
    const stg_unit *def;
    int index;
    int kind;                   /* UNIT_RZONE, ... */
    w_cell **cells;
    int n_cells;
    w_cell *home;               /* the cell traffic goes to (by-unit routing) */
    w_cell *wrong;              /* a wrong switch sends its traffic here, or NULL */
    int switching;              /* a unit switch is under way (recovery) */
    int detecting;              /* the registry is about to notice its cell is gone (recovery) */
    w_cell *own;                /* its first cell that is not a standby: where it lives when all is well */
    int failback_waiting;       /* its own cell is healthy again; failing back after the hold (recovery) */
    sim_time own_healthy_since; /* -1 while its own cell is not (recovery) */
    w_switch_job job;           /* the switch under way (recovery) */
    double entry_cum[W_MAX_ENTRIES]; /* spread: cumulative weight of each entry datacenter (flow) */
    double cell_cum[W_MAX_SPREAD_CELLS]; /* spread: cumulative share of each active cell (flow) */
};

/* ==== Databases ==== */

/* Copies a shard group keeps at most: a primary, replicas, a failover database. */
#define W_MAX_COPIES 8
/* Datacenters whose nearest copy a group remembers (db_call.c); any
 * further are worked out at every call. */
#define W_NEAREST_CACHED 64

typedef struct w_dbnode {
    w_dc *dc;
    int up;                     /* running (power and its own faults permitting) */
    int crashed;                /* down by a fault of its own */
    uint32_t epoch;
    int is_failover;
    double slowdown;            /* a gray node's service-time multiple */
    int recovering;             /* power is back, crash recovery under way */
    /* Its own replication delays (dblog.c), redrawn every second. */
    sim_rng lag_rng, lag_ahead; /* the draws, and the same stream read ahead */
    uint64_t lags_drawn, lags_read;
    sim_time shipping, applying, lag_until;
    /* Cut off from the primary (down, or unreachable): what it had
     * received when it was cut, and when the first write it lacks was
     * committed (-1: none yet). */
    int cut_off;
    uint64_t received_frozen;
    sim_time first_missing_at;
    /* When the group's primary was last lost: what this copy had received
     * then, when the oldest write it lacks was committed (-1: none), and
     * when it will have applied what it received. */
    uint64_t received_at_loss;
    sim_time oldest_missing_at;
    sim_time applied_by;
} w_dbnode;

/* A mark of the log: the commits up to lsn were shipped by time t. */
typedef struct w_lsn_mark {
    sim_time t;
    uint64_t lsn;
} w_lsn_mark;

struct w_group {
    const stg_group *def;
    struct w_db *db;
    int index;
    int gid;                    /* index among every group of the world */
    w_dbnode nodes[W_MAX_COPIES];
    int n_nodes;
    int primary;                /* index into nodes, -1 when none serves */
    /* The request path (flow). */
    int sessions;               /* connections in use, and those given back
                                 * whose time came but that no call has
                                 * counted yet (db_call.c) */
    int sessions_reset;         /* a promotion zeroed the count with returns still
                                 * to come and connections still held, whose
                                 * release may take it below 0: from then on
                                 * db_call.c counts returns at every call, as the
                                 * count no longer holds exactly what is due */
    int busy;                   /* queries executing */
    int queued;
    struct w_req *qhead, *qtail;
    int connections, workers;
    int semi_degraded;          /* semi-sync fell back to asynchronous */
    sim_time semi_fallback_at;  /* no replica acknowledges: commits wait until then, or 0 */
    uint64_t reads, writes, stale_reads;
    uint64_t calls_arrived;     /* calls that reached the primary */
    int max_sessions;           /* the most connections ever in use */
    /* Recovery. */
    int write_forbidden;        /* a unit switch is moving its shards */
    int handover_to;            /* -1, or the copy the leader is being handed to (no writes meanwhile) */
    int awaiting_human;         /* its manual promotion waits for a runbook's step */
    char promoted_by[96];       /* who a manual promotion is by, for the story */
    int lost_primary;           /* -1, or the node whose loss is being handled */
    int cut_node;               /* -1, or a primary alive but cut off from every other building */
    sim_time primary_lost_at;
    uint64_t lsn_at_loss;       /* the old primary's log when it was lost */
    int promoting;              /* a promotion or failover is scheduled */
    uint64_t parked;            /* writes a failover parked on the old primary */
    int parked_on;              /* that node, or -1 */
    int old_primary;            /* a deposed primary that may come back, or -1 */
    /* The log (dblog.h). */
    uint64_t lsn;               /* acknowledged commits */
    w_lsn_mark *marks;          /* ring of commit marks, doubled when full */
    size_t n_marks, mark_head, mark_cap;
    uint64_t base_lsn;          /* the log position before the oldest mark kept */
    sim_time mark_every;
    sim_time kept_from;         /* the time of the last mark let go, or INT64_MIN */
    sim_time net_reach;         /* the longest one-way delay between copies the run can see */
    sim_time lag_reach;         /* the longest shipping + applying any copy can draw (of those read ahead) */
    int cut_pending;            /* copies cut off whose first missing write is still to come */
    sim_rng rng;                /* service times */
    /* What the request path asks at every call and that moves only with
     * the topology (db_call.c): worked out again when w->topology moved
     * past the value beside it. */
    uint64_t commit_topology;   /* a quorum's or a sync commit's wait (commit_known)
                                 * at copy commit_at */
    int commit_at;
    sim_time commit_known;
    uint64_t nearest_topology;  /* the live copy nearest each datacenter, + 1 (0: not
                                 * known, or none reachable: asked again) */
    int8_t nearest[W_NEAREST_CACHED];
};

typedef struct w_db {
    const stg_database *def;
    w_world *world;
    int index;
    w_group *groups;
    int n_groups;
    int holds_user, holds_global;
    sim_dist read, write;
    w_group *by_shard[100];
} w_db;

/* ==== The world ==== */

struct w_world {
    /* The run. */
    sim_engine *e;
    const mdl_config *cfg;
    const stage *st;
    const geography *geo;
    const scenario *sc;
    double scale;
    int capacities_rounded;     /* below the faithful scale, as the scenario allows: counts round, no speed */
    uint64_t seed;
    sim_time end;               /* warm-up + duration */
    sim_time warmup;
    int status;                 /* SIM_OK, or a failure that stops the run */
    unsigned operator_takes;    /* bits 1 << REACT_...: reactions left to the trainee (recovery, flow) */
    char warnings[MDL_MAX_WARNINGS][MDL_WARNING_LEN]; /* from building: scale rounding */
    int n_warnings;
    /* Places. */
    w_dc *dcs;
    int n_dcs;
    w_linkdir *links;           /* directions: 2k and 2k+1 are link k's */
    int n_links;
    w_linkdir **route;          /* [from dc][to dc]: NULL within a datacenter */
    uint8_t *blocked;           /* [from dc][to dc]: enum w_reach (partitions) */
    uint8_t *reach;             /* [from dc][to dc]: 1 while a message gets through
                                 * (net_reachable), kept by net_refresh() */
    uint64_t topology;          /* moves with every change of a reach, a route's
                                 * delay, a copy's life or a group's primary
                                 * (world_topology_changed): caches compare it */
    int entry_dcs[W_MAX_ENTRIES]; /* the stage's entry points */
    int n_entry_dcs;
    int registry_up;            /* some registry replica answers */
    /* Services. */
    w_pool *pools;
    int n_pools;
    w_unit *units;
    int n_units;
    w_cell **cells;
    int n_cells;
    w_unit *shard_unit[100];
    /* Data. */
    w_db *dbs;
    int n_dbs;
    w_db *user_db, *global_db;
    w_group **groups;           /* every group of every database, by gid */
    int n_groups;
    uint64_t lost_writes;       /* acknowledged writes lost, simulated (recovery) */
    sim_time rpo;               /* the age of the oldest lost write (recovery) */
    uint64_t at_risk_writes;    /* parked by a failover, not yet reconciled (recovery) */
    uint64_t conflicts;         /* accepted by two primaries of one shard (flow) */
    /* The traffic's vocabulary. */
    int n_types;
    const scn_type **types;
    double users;               /* simulated population (scaled) */
    /* A bad release's green group: its results since the last interval (flow counts, recovery reads). */
    uint64_t green_requests, green_errors;
    /* Notes and the event log. */
    w_notes notes;
    struct w_events *events;
    uint64_t generation;        /* bumped by every note: the view's change counter */
    /* Each room's own state, private to it. */
    struct w_measure *measure;
    struct w_flow *flow;
    struct w_faults *faults;
    struct w_recovery *recovery;
    struct w_outside *outside;  /* the program's own listeners (models/run/) */
};

/* ==== Building (world_build.c) ==== */

/* Builds the world's places, services and databases for stage
 * `stage_index` at a scale (counts in whole units that keep their totals:
 * world_scale.h). 0, or SIM_ENOMEM. The rooms' own state is built by each
 * room. */
int world_build(w_world *w);
void world_free(w_world *w);

/* The index of a datacenter of the geography by name, or -1. */
int world_dc_index(const w_world *w, const char *name);

/* The world's words for time and counts (world_event.c): the wall clock
 * at run time t ("HH:MM:SS", with "day N " before it when the run spans
 * more than a day), and a simulated count in real-world units (divided by
 * the scale), as every count dcsim writes is. */
void world_clock(const w_world *w, sim_time t, char *buf, size_t n);
double world_real_count(const w_world *w, uint64_t n);

#endif /* WORLD_H */
