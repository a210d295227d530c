/* world_int.h -- the running world's private layout, shared by the model
 * files (world_*.c, net.c, req.c, db.c, traffic.c, metrics.c, faults). The
 * program, viz and tests use mdl_world.h instead.
 *
 * Everything is sized at build time from the stage, the geography, the
 * scenario and the scale; the hot path allocates only request records,
 * from a free list. */
#ifndef WORLD_INT_H
#define WORLD_INT_H
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mdl_config.h"
#include "mdl_world.h"
#include "sim_dist.h"
#include "sim_engine.h"
#include "sim_hist.h"
#include "sim_rng.h"
#include "sim_status.h"

typedef struct w_world w_world;
typedef struct w_req w_req;
typedef struct w_cell w_cell;
typedef struct w_group w_group;

/* ==== Places and the network ==== */

typedef struct w_dc {
    int index;
    const geo_dc *geo;
    int city;                   /* index into the geography's cities */
    int used;                   /* the stage uses (and pays for) it */
    int powered;                /* everything inside is on */
    int dark;                   /* reasons it is dark (power faults) */
    int isolated;               /* every link to it is down: 0, 1 dropped, 2 refused */
    int entry_faults;           /* faults on its entry point (balancer) */
    int registry_faults;        /* faults on its registry replica */
    uint32_t epoch;             /* bumped when it loses power */
    sim_lane *internal;         /* deliveries inside the building */
    sim_lane *client_local;     /* from a user through its entry to a server in it */
    int entry_up;               /* its entry point (balancer) answers */
    int registry_up;            /* its registry replica answers */
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
    int cuts;                   /* link-cut faults on it */
    int reject;                 /* a partition that refuses fast */
    int *path_up;               /* per fiber path */
    sim_time busy_until;        /* the transmitter is sending until then */
    sim_time last_arrival;      /* in-order delivery */
    sim_lane *lane;
    sim_rng rng;
    uint64_t messages, bytes;   /* this interval */
} w_linkdir;

/* ==== Services ==== */

typedef struct w_server {
    w_cell *cell;
    int up;                     /* powered and not crashed */
    int in_rotation;            /* the balancer sends it requests */
    int green;                  /* in the green (new release) group */
    uint32_t epoch;             /* bumped when it goes down */
    double slowdown;            /* a gray server's service-time multiple */
    int busy;                   /* workers in use */
    int queued;
    w_req *qhead, *qtail;       /* waiting requests */
    int crashed;                /* down by a fault of its own (else by power) */
    int booted;                 /* has booted since power last came back */
    double error_rate;          /* a bad release on it fails this share */
    sim_time down_since;        /* when it went down, for detection */
    int pending_removal;        /* detected dead while the registry was down */
} w_server;

typedef struct w_pool {
    const stg_pool *def;
    int index;
    sim_dist *service;          /* per request type, seconds */
    int workers, queue_limit;
    int drop_expired;
} w_pool;

typedef struct w_unit w_unit;

typedef struct w_switch_job {
    w_unit *unit;
    struct w_cell *to;
    sim_time started;
    char why[64];
} w_switch_job;

struct w_cell {
    const stg_cell *def;
    int index;
    w_unit *unit;
    w_pool *pool;
    w_dc *dc;
    w_server *servers;
    int n_servers;
    int *rotation;              /* indexes of servers in rotation */
    int n_rotation;
    int rr;                     /* round-robin cursor */
    int active;                 /* takes traffic now */
    double share;
    sim_rng rng;                /* service times */
    /* Measures of this interval: time integrals and counts. */
    double busy_integral, queue_integral, in_system_integral;
    double busy_total;          /* over the measured run */
    int detect_noted;           /* its servers' detection is in events.csv */
    /* Over the whole run, for checks against queueing theory. */
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

struct w_unit {
    const stg_unit *def;
    int index;
    int kind;
    w_cell **cells;
    int n_cells;
    w_cell *home;               /* the cell traffic goes to (by-unit routing) */
    w_cell *wrong;              /* a wrong switch sends its traffic here, or NULL */
    int switching;              /* a unit switch is under way */
    int detecting;              /* the registry is about to notice its cell is gone */
    w_switch_job job;           /* the switch under way */
    double entry_cum[64];       /* spread: cumulative weight of each entry datacenter */
    double cell_cum[32];        /* spread: cumulative share of each active cell */
};

/* ==== Databases ==== */

typedef struct w_dbnode {
    w_dc *dc;
    int up;                     /* running (power and its own faults permitting) */
    int crashed;                /* down by a fault of its own */
    uint32_t epoch;
    int is_failover;
    double slowdown;            /* a gray node's service-time multiple */
    int recovering;             /* power is back, crash recovery under way */
} w_dbnode;

/* The (time, lsn) history of a group's commits, to find what a replica
 * had applied at a given moment. */
typedef struct w_lsn_mark {
    sim_time t;
    uint64_t lsn;
} w_lsn_mark;

struct w_group {
    const stg_group *def;
    struct w_db *db;
    int index;
    w_dbnode nodes[8];
    int n_nodes;
    int primary;                /* index into nodes, -1 when none serves */
    int sessions;               /* connections in use */
    int busy;                   /* queries executing */
    int queued;
    w_req *qhead, *qtail;
    int write_forbidden;        /* a unit switch is moving its shards */
    int semi_degraded;          /* semi-sync fell back to asynchronous */
    int lost_primary;           /* -1, or the node whose loss is being handled */
    int cut_node;               /* -1, or a primary alive but cut off from every other building */
    sim_time primary_lost_at;
    uint64_t lsn_at_loss;       /* the old primary's log when it was lost */
    int promoting;              /* a promotion or failover is scheduled */
    uint64_t parked;            /* writes a failover parked on the old primary */
    int parked_on;              /* that node, or -1 */
    int old_primary;            /* a deposed primary that may come back, or -1 */
    uint64_t lsn;               /* acknowledged commits */
    w_lsn_mark *marks;          /* ring of commit marks */
    size_t n_marks, mark_head, mark_cap;
    uint64_t base_lsn;          /* the log position before the oldest mark kept */
    int gid;                    /* index among every group of the world */
    sim_time mark_every;
    sim_rng rng;
    sim_rng lag_rng;
    sim_time lag_until;         /* the current lag sample holds until then */
    sim_time lag;
    int connections, workers;
    uint64_t reads, writes, stale_reads;
    uint64_t calls_arrived;     /* calls that reached the primary */
    int max_sessions;           /* the most connections ever in use */
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

/* ==== Requests ==== */

enum req_state { RQ_NEW, RQ_ENTRY, RQ_QUEUED, RQ_SERVING, RQ_CALLING, RQ_DB_QUEUED, RQ_DB_EXEC, RQ_DONE };

/* One attempt of a user's request. Owned by its client until the client
 * has its answer or gave up, and by its work until the work ends; freed
 * when both are done. */
struct w_req {
    w_req *next;                /* queue link, or the free list */
    uint64_t uid;
    sim_time born;              /* the user's first attempt */
    sim_time start;             /* this attempt */
    sim_time deadline;          /* the client gives up then */
    sim_time arrived;           /* at the server (for waiting times) */
    sim_timer timeout;          /* the record outlives it: requests come from a free list */
    w_server *server;
    uint32_t server_epoch;
    w_group *group;             /* the call in progress */
    uint32_t node_epoch;
    int node;                   /* which copy serves the call */
    uint16_t type;
    uint8_t shard;
    uint8_t unit;
    uint8_t attempt;            /* 0 for the first */
    uint8_t call;               /* the call in progress */
    uint8_t entry_dc, cell_dc;
    uint8_t client_done, work_done, held_session, admitted, conflict;
    uint8_t state;
    uint32_t cell;              /* index of the serving cell */
};

/* ==== Measures ==== */

enum measure {
    M_OFFERED, M_SUCCEEDED, M_FAILED, M_TIMEOUT, M_QUEUE_FULL, M_NO_CONNECTION, M_NO_ROUTE,
    M_REFUSED, M_SHED, M_RATE_LIMITED, M_BREAKER_OPEN, M_ERROR, M_RETRIES, M_ATTEMPTS,
    M_CROSS_DC_CALLS, M_STALE_READS, M_COUNT
};
extern const char *const w_measure_names[M_COUNT];

/* Counters of one interval, per unit and per request type. */
typedef struct w_counts {
    uint64_t *c;                /* [unit][type][measure] */
    sim_hist *lat;              /* [unit][type] */
} w_counts;

/* ==== The world ==== */

struct w_world {
    sim_engine *e;
    const mdl_config *cfg;
    const stage *st;
    const geography *geo;
    const scenario *sc;
    mdl_run_options opt;
    double scale;
    uint64_t seed;
    sim_time end;               /* warm-up + duration */
    sim_time warmup;
    /* Places. */
    w_dc *dcs;
    int n_dcs;
    w_linkdir *links;           /* directions */
    int n_links;
    w_linkdir **route;          /* [from dc][to dc]: NULL within a datacenter */
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
    int n_groups;               /* in every database */
    /* Traffic. */
    int n_types;
    const scn_type **types;
    sim_choice type_choice;
    double users;               /* simulated population (scaled) */
    sim_rng arrivals_rng, users_rng, types_rng, retry_rng, detect_rng, human_rng;
    sim_time promotion_decision; /* when the on-call human acts on the database pages pending */
    sim_lane *client_lane;      /* user to entry */
    sim_timer_lane *timeout_lane; /* the client's timeout */
    sim_time client_latency;
    int entry_dcs[64];
    int n_entry_dcs;
    /* Requests. */
    w_req *free_reqs;
    w_req **req_blocks;
    size_t n_req_blocks, cap_req_blocks;
    uint64_t in_flight;
    /* Measures. */
    int n_units_m;              /* units measured (rzones), + 1 for "none" */
    w_counts now;               /* the current interval */
    w_counts total;             /* the whole measured run */
    w_counts warm;              /* the warm-up */
    sim_hist peak_lat;          /* over the busiest minute of offered load */
    sim_time peak_from, peak_to;
    sim_time interval;
    sim_time interval_start;
    uint8_t *users_failed;      /* bitmap over the simulated population */
    uint64_t users_affected;
    int status;                 /* SIM_OK, or a failure */
    mdl_series *series;         /* what the run recorded, interval by interval */
    char warnings[8][256];
    int n_warnings;
    struct w_prot *prot;        /* protections (prot.c) */
    uint64_t green_requests, green_errors; /* the green group's results, this second */
    uint64_t green_window_req[64], green_window_err[64];
    int rolling_back;
    struct w_events *events;    /* events.csv rows (world_events.c) */
    FILE *csv;                  /* timeseries.csv being written, or NULL */
    sim_hist scratch_hist, scratch_hist2;
    size_t series_merge, series_pending;
    mdl_series_point series_acc;
    uint64_t lost_writes;       /* acknowledged writes lost, simulated */
    sim_time drain_end;
    /* Faults and recovery (flt_*.c, rec_*.c). */
    uint8_t *blocked;           /* [from dc][to dc]: 0 open, 1 dropped, 2 refused */
    struct w_dns *dns;          /* what the global balancer answers, over time */
    struct w_faults *faults;    /* the timeline and actions (flt_timeline.c) */
    struct w_incidents *incidents; /* incidents and the SLO (incidents.c) */
    int registry_up;            /* some registry replica answers */
    uint32_t topology;          /* bumped whenever reachability changes */
    uint64_t at_risk_writes;    /* parked by a failover, not yet reconciled */
    uint64_t conflicts;         /* accepted by two primaries of one shard */
    sim_time rpo;               /* the age of the oldest lost write */
    mdl_event_fn *on_event;
    void *on_event_context;
    char *csv_tmp;              /* its temporary name, until published */
    char csv_path[4096];
};

/* ==== Shared model functions ==== */

/* The world a callback runs in (events carry it as object or subject). */
w_req *req_alloc(w_world *w);
void req_release(w_world *w, w_req *r);

/* Sends bytes from one datacenter to another; fn(e, subject, object) runs
 * on arrival. Returns NET_SENT, or NET_DROPPED (nothing will arrive) or
 * NET_REFUSED (the sender learns at once). */
enum { NET_SENT, NET_DROPPED, NET_REFUSED };
int net_send(w_world *w, int from, int to, double bytes, sim_event_fn *fn, void *subject);
/* One-way delay from one datacenter to another right now, without
 * queueing (for replies whose arrival needs no event). */
sim_time net_delay(const w_world *w, int from, int to);
int net_reachable(const w_world *w, int from, int to);

/* Metrics: a request's measures go to the current interval and to the
 * phase (warm-up or measured) its user's request was born in. */
void metrics_count(w_world *w, int unit, int type, int measure, uint64_t n);
void metrics_req(w_world *w, const w_req *r, int measure);
void metrics_offered(w_world *w, const w_req *r);
void metrics_success(w_world *w, const w_req *r, sim_time latency);
void metrics_cell_change(w_world *w, w_cell *c);
void metrics_user_failed(w_world *w, uint64_t uid);

/* Records a row of events.csv: kind (fault, detect, switch, ...), target,
 * and a sentence for the story of the run. */
/* The wall clock at run time t: "HH:MM:SS", with "day N " before it when
 * the run spans more than a day (a year of random failures). */
void world_clock(const w_world *w, sim_time t, char *buf, size_t n);
void world_event(w_world *w, const char *kind, const char *target, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Traffic (traffic.c): the offered rate (real-world requests per second)
 * at run time t, the first arrival, the busiest minute's start. */
double traffic_rate(const w_world *w, sim_time t);
int world_traffic_start(w_world *w);
sim_time traffic_busiest_minute(const w_world *w);
/* Measures (metrics.c). */
int world_metrics_init(w_world *w);
void world_metrics_fini(w_world *w);

/* Incidents (incidents.c). */
void incidents_note_failure(w_world *w, const w_req *r);
void incidents_on_event(w_world *w, const char *kind);
void incidents_fini(w_world *w);
void world_summary_extra(w_world *w, FILE *f);
void world_write_junit(w_world *w, FILE *f);

/* Starts recording timeseries.csv (into a temporary file). */
int world_series_open(w_world *w);

/* The log (db.c). */
uint64_t db_lsn_at(const w_group *g, sim_time t);
sim_time db_commit_time(const w_group *g, uint64_t lsn);
uint64_t db_applied(w_world *w, w_group *g, int node);
sim_time db_copy_lag(w_world *w, w_group *g, int node);

#endif /* WORLD_INT_H */
