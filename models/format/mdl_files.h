/* mdl_files.h -- what dcsim's three kinds of file hold, as C structs:
 * the geography (cities, datacenters, links), a stage (an architecture on
 * that geography) and a scenario (an experiment over stages). The schema
 * tables in mdl_geo.c, mdl_stage.c and mdl_scenario.c describe every key;
 * models/README.md and scenarios/README.md are written from them. */
#ifndef MDL_FILES_H
#define MDL_FILES_H
#include "mdl_kinds.h"
#include "mdl_schema.h"

/* ==== Geography ==== */

typedef struct geo_city {
    mdl_head head;
    const char *name;
    double lon, lat;            /* map position, degrees */
} geo_city;

typedef struct geo_power {
    mdl_head head;
    int64_t feeds;              /* independent utility feeds */
    sim_time ups;               /* battery ride-through after utility loss */
    sim_time generator_start;   /* from utility loss to generator power */
    double generator_failure;   /* percent: the generator fails to start */
} geo_power;

typedef struct geo_dc {
    mdl_head head;
    const char *name;
    const char *city;
    sim_time internal_latency;  /* one way, within the building */
    geo_power power;
    int64_t racks;
    int64_t servers_per_rack;
} geo_dc;

typedef struct geo_path {
    mdl_head head;
    const char *name;
    sim_time latency;           /* one way */
    double bandwidth;           /* bits per second, each direction */
} geo_path;

typedef struct geo_link {
    mdl_head head;
    mdl_names between;          /* two datacenters, or two cities */
    sim_time jitter;            /* added uniformly in [0, jitter] */
    double loss;                /* percent of messages lost (retransmitted) */
    sim_time retransmit;        /* what a loss costs */
    sim_time buffer;            /* the longest a message waits to be sent; then it is dropped */
    mdl_list paths;             /* geo_path: the fastest healthy one carries traffic */
} geo_link;

typedef struct geography {
    mdl_head head;
    int64_t dcsim;
    int kind;
    const char *name;
    const char *description;
    mdl_list cities;            /* geo_city */
    mdl_list datacenters;       /* geo_dc */
    mdl_list links;             /* geo_link */
} geography;

/* ==== Stage ==== */

typedef struct stg_check {
    mdl_head head;
    sim_time interval;
    int64_t threshold;          /* consecutive failures to declare dead */
    sim_time timeout;
} stg_check;


typedef struct stg_entry {
    mdl_head head;
    int kind;                   /* ENTRY_VIP, ENTRY_DNS, ENTRY_GATEWAY */
    mdl_names datacenters;      /* where the entry points stand */
    sim_time ttl;               /* DNS answers are cached this long */
    int64_t endpoints;          /* gateway: addresses a client holds */
    sim_time connect_timeout;   /* gateway: a client gives up on an address after this */
    stg_check health_check;     /* the global balancer's checks of each entry */
    int routing;                /* ROUTE_BY_UNIT, ROUTE_SPREAD */
    int64_t max_in_flight;      /* admission control; 0: none */
    double rate_limit;          /* requests/s admitted in all; 0: none */
    mdl_dict type_limits;       /* request type -> rate (MDL_RATE) */
    sim_time client_latency;    /* one way, user to entry */
} stg_entry;


typedef struct stg_balancer {
    mdl_head head;
    int kind;                   /* LB_HARDWARE, LB_SOFTWARE */
    int membership;             /* how dead servers leave rotation */
    stg_check health_check;
    double capacity;            /* requests/s one balancer passes; 0: unlimited */
} stg_balancer;

typedef struct stg_registry {
    mdl_head head;
    mdl_names datacenters;      /* its replicas; all down: nothing is detected */
    sim_time heartbeat;
    int64_t threshold;          /* missed heartbeats to declare dead */
    sim_time push_delay;        /* from decision to every client knowing */
} stg_registry;

typedef struct stg_pool {
    mdl_head head;
    const char *name;
    int64_t workers;            /* per server */
    int64_t queue_limit;        /* per server, waiting requests */
    int drop_expired;           /* skip work whose client already gave up */
    mdl_dict service_time;      /* request type -> MDL_DIST */
    sim_time boot;              /* power back to serving */
} stg_pool;

typedef struct stg_cell {
    mdl_head head;
    const char *datacenter;
    const char *pool;
    int64_t servers;
    double share;               /* percent of the unit's traffic while active */
    int standby;                /* takes traffic only after a switch */
    double green;               /* percent of servers in the green (new) group */
} stg_cell;

typedef struct stg_unit {
    mdl_head head;
    const char *name;
    int kind;                   /* UNIT_RZONE, UNIT_GZONE, UNIT_CZONE */
    mdl_shards shards;          /* rzone: the user shards it owns */
    const char *datacenter;     /* gzone / czone: where it stands */
    mdl_list cells;             /* stg_cell */
} stg_unit;

typedef struct stg_replication {
    mdl_head head;
    int mode;
    mdl_dist shipping;          /* a batch's way to a replica's relay log, beyond the network */
    mdl_dist applying;          /* a replica's applier behind what it received */
    sim_time timeout;           /* semi-sync falls back to async after this */
    sim_time batch;             /* replication ships changes this often */
} stg_replication;

typedef struct stg_promotion {
    mdl_head head;
    int mode;
    sim_time detect;            /* monitoring notices the primary is gone */
    mdl_dist response;          /* manual: paging, diagnosis and action */
    sim_time lease;             /* automatic: the leader's lease */
    sim_time election;          /* automatic: electing once the lease expired */
    int follow_unit;            /* the leader moves with its unit's traffic (a primary zone) */
    sim_time handover;          /* handing the lease to another copy, no writes meanwhile */
} stg_promotion;

typedef struct stg_failover {
    mdl_head head;
    sim_time detect;            /* from the primary's death to the decision */
    sim_time switch_delay;      /* moving the shard's reads and writes */
} stg_failover;

typedef struct stg_group {
    mdl_head head;
    mdl_shards shards;
    const char *primary;        /* datacenter */
    mdl_names replicas;         /* datacenters */
    const char *failover;       /* datacenter of the failover database, or NULL */
} stg_group;

typedef struct stg_database {
    mdl_head head;
    const char *name;
    mdl_names holds;            /* "user", "global" */
    int reads;                  /* READS_PRIMARY, READS_NEAREST */
    int64_t connections;        /* per primary: concurrent sessions */
    int64_t workers;            /* per primary: queries executing at once */
    mdl_dist read, write;       /* service time */
    sim_time recovery;          /* crash recovery after power returns */
    stg_replication replication;
    stg_promotion promotion;
    stg_failover failover;      /* optional: the failover-database layer */
    mdl_list groups;            /* stg_group */
} stg_database;

typedef struct stg_unit_switch {
    mdl_head head;
    int trigger;
    mdl_dist response;          /* manual: the human's response */
    int write_forbid;
    sim_time catch_up_bound;    /* give up waiting for replication after this */
    sim_time push_delay;        /* the new mapping reaches every gateway */
    int failback;               /* FAILBACK_... */
    sim_time failback_hold;     /* the home healthy this long before failing back */
} stg_unit_switch;

typedef struct stg_step {
    mdl_head head;
    int kind;                   /* STEP_PROMOTE, STEP_SWITCH_UNITS, STEP_DRAIN */
    mdl_dist duration;          /* for each item */
    int64_t parallel;           /* items worked on at once (people) */
} stg_step;

typedef struct stg_runbook {
    mdl_head head;
    const char *name;
    int on;                     /* RUNBOOK_ON_... */
    sim_time page;              /* from what pages to the page */
    sim_time after;             /* power-alarm: time on batteries before acting */
    mdl_dist acknowledge, diagnose, repair, decide, verify;
    mdl_list steps;             /* stg_step */
} stg_runbook;

typedef struct stg_blue_green {
    mdl_head head;
    double error_threshold;     /* percent failed in the green group */
    sim_time window;
    int64_t min_requests;
    sim_time rollback_delay;
} stg_blue_green;

typedef struct stg_breaker {
    mdl_head head;
    double error_threshold;     /* percent of calls failed */
    sim_time window;
    int64_t min_requests;
    sim_time open_for;          /* then half-open: one trial call */
} stg_breaker;

typedef struct stg_degradation {
    mdl_head head;
    mdl_names shed;             /* request types, first shed first */
    double success_below;       /* percent: shed the next type below this */
    sim_time after;             /* sustained this long */
    sim_time restore_after;     /* healthy this long: restore one type */
} stg_degradation;

typedef struct stg_retry_budget {
    mdl_head head;
    double ratio;               /* retries at most this percent of first tries */
    sim_time window;
} stg_retry_budget;

typedef struct stg_protections {
    mdl_head head;
    stg_breaker breaker;
    stg_degradation degradation;
    stg_retry_budget retry_budget;
} stg_protections;

typedef struct stg_cost {
    mdl_head head;
    double server_hour;
    double datacenter_hour;
    const char *currency;
} stg_cost;

typedef struct stage {
    mdl_head head;
    int64_t dcsim;
    int kind;
    const char *name;
    const char *description;
    const cfg_node *geography;  /* a path, or the geography inline */
    mdl_names datacenters;
    stg_entry entry;
    stg_balancer balancer;
    stg_registry registry;      /* optional */
    mdl_list pools;             /* stg_pool */
    mdl_list units;             /* stg_unit */
    mdl_list databases;         /* stg_database */
    stg_unit_switch unit_switch; /* optional */
    mdl_list runbooks;          /* stg_runbook */
    stg_blue_green blue_green;  /* optional */
    stg_protections protections;
    stg_cost cost;
} stage;

/* ==== Scenario ==== */

typedef struct scn_call {
    mdl_head head;
    int data;                   /* DATA_USER, DATA_GLOBAL */
    int op;                     /* OP_READ, OP_WRITE */
} scn_call;

typedef struct scn_type {
    mdl_head head;
    const char *name;
    double share;               /* percent of requests */
    int64_t priority;           /* 1 is most important; degradation sheds high numbers */
    mdl_list calls;             /* scn_call */
    double request_size, response_size; /* bytes */
} scn_type;

typedef struct scn_point {
    mdl_head head;
    sim_time at;                /* clock */
    double rate;
} scn_point;

typedef struct scn_curve {
    mdl_head head;
    mdl_list points;            /* scn_point; if given, the rest is unused */
    double baseline;            /* before the spike */
    sim_time spike_at;          /* clock */
    double jump;                /* multiple of baseline right after the spike */
    double peak;
    sim_time peak_at;           /* clock */
    sim_time decay;             /* time constant of the fall after the peak */
    double after;               /* the level it falls towards */
} scn_curve;

typedef struct scn_client {
    mdl_head head;
    sim_time timeout;
    int64_t retries;
    sim_time backoff;           /* first retry waits this, doubling */
    sim_time backoff_max;
    double jitter;              /* percent of the backoff, uniform +- */
} scn_client;

typedef struct scn_traffic {
    mdl_head head;
    double users;               /* population */
    scn_curve curve;
    mdl_list types;             /* scn_type */
    scn_client client;
} scn_traffic;

typedef struct scn_target {
    mdl_head head;
    const char *datacenter;     /* a name, or a role: most-primaries, ... */
    const char *city;
    const char *unit;
    int64_t unit_of_shard;      /* -1 when not given */
    const char *role;           /* gzone-writer, registry, ... */
    mdl_names link;             /* two places */
    const char *path;           /* with link: one fiber path of it */
    const char *pool;
    const char *database;
    int64_t shard;              /* -1 when not given */
} scn_target;

typedef struct scn_fault {
    mdl_head head;
    sim_time at;                /* clock */
    int kind;
    scn_target target;
    sim_time duration;          /* 0 with neither until nor permanent: error */
    const cfg_node *until;      /* a clock time, or absent */
    int permanent;
    int generator;              /* power */
    double share;               /* racks, pool share: percent */
    sim_time latency, jitter;   /* latency: added, one way */
    double loss;                /* percent */
    double bandwidth;           /* percent of the bandwidth left */
    int mode;                   /* partition, isolate: drop or reject */
    const cfg_node *groups;     /* partition: [[places...], [places...]] */
    double error_rate;          /* bad release: percent failed */
    double slowdown;            /* gray node, bad release: service time multiple */
    const char *to_unit;        /* wrong switch */
} scn_fault;

typedef struct scn_random {
    mdl_head head;
    int component;
    sim_time mtbf;              /* exponential time between failures, per component */
    mdl_dist mttr;              /* time to repair */
} scn_random;

typedef struct scn_action {
    mdl_head head;
    const cfg_node *at;         /* a clock time, or absent */
    const char *on;             /* an event kind from events.csv: "detect", ... */
    sim_time delay;             /* after the event */
    int kind;
    scn_target target;
    const char *to;             /* switch-unit: the datacenter to move to */
    const char *type;           /* degrade/restore: the request type */
    const char *runbook;        /* runbook: the stage's runbook to start */
} scn_action;

typedef struct scn_caption {
    mdl_head head;
    const cfg_node *at;
    const char *on;
    const char *text;           /* may use {detect}, {switch}, {rto}, {lost} ... */
    sim_time show_for;
} scn_caption;

/* The live window's training: the trainee sits in the operator's seat,
 * taking over the stage's reactions named in `takes` (their decisions are
 * then theirs: mdl_world_act). */
typedef struct scn_training {
    mdl_head head;
    const char *brief;          /* what the trainee will see */
    const char *decide;         /* what they are to decide */
    mdl_names takes;            /* reaction names (mdl_reactions); none: all */
} scn_training;

typedef struct scn_override {
    mdl_head head;
    mdl_names stages;           /* empty: every stage */
    const char *key;            /* databases.core.replication.mode */
    const cfg_node *value;
} scn_override;

/* A stage run again beside the others with settings of its own: a
 * column such as unit-async, with the same users and arrivals. */
typedef struct scn_variant {
    mdl_head head;
    const char *name;           /* its results' name, unique among the stages */
    const char *stage;          /* the scenario's stage it starts from */
    const cfg_node *set;        /* key path -> value, as in overrides */
} scn_variant;

typedef struct scn_slo {
    mdl_head head;
    double ratio;               /* percent */
    sim_time window;
    sim_time hold;
} scn_slo;

typedef struct scn_verdict {
    mdl_head head;
    int metric;
    const cfg_node *at_least, *at_most;
    mdl_names stages;           /* empty: every stage */
} scn_verdict;

typedef struct scenario {
    mdl_head head;
    int64_t dcsim;
    int kind;
    const char *name;
    const char *description;
    const cfg_node *stages;     /* names, paths or inline stages */
    sim_time start;             /* clock */
    sim_time warmup;
    sim_time duration;          /* measured, after the warm-up */
    int64_t seed;
    double scale;               /* 0: the command's default */
    const char *approximate_capacities; /* why it may run below the faithful scale, or NULL */
    int timeseries;             /* TIMESERIES_* */
    sim_time interval;          /* time-series interval */
    scn_slo slo;
    scn_traffic traffic;
    mdl_list faults;            /* scn_fault */
    mdl_list random_faults;     /* scn_random */
    mdl_list actions;           /* scn_action */
    mdl_list captions;          /* scn_caption */
    scn_training training;      /* optional: the live window's trainee */
    mdl_list overrides;         /* scn_override */
    mdl_list variants;          /* scn_variant */
    mdl_list verdicts;          /* scn_verdict */
} scenario;

extern const mdl_schema mdl_geography_schema, mdl_stage_schema, mdl_scenario_schema;

/* The reference of a kind of file as Markdown (mdl_reference.c): for
 * MDL_FILE_SCENARIO the scenario's keys with the fault and event kinds,
 * else the geography's and the stage's keys. */
void mdl_reference(FILE *out, int kind);

#endif /* MDL_FILES_H */
