/* mdl_kinds.h -- every closed list of names dcsim's files use, each written
 * once as an X-macro list from which the C enum and its name table are both
 * made, so that the two cannot drift apart. A row is X(ID, "name", ...);
 * the enum counts its rows in its _COUNT constant, the name table
 * (mdl_kinds.c) ends with NULL for the schema's enum fields.
 *
 * The fault kinds are also the fault kind table: each row says what a
 * fault's target must name, how a stage resolves it, and which function of
 * faults/ applies it. A new fault kind is one row here, its apply function
 * in faults/, and a test. */
#ifndef MDL_KINDS_H
#define MDL_KINDS_H

#define MDL_ENUM_ID(id, ...) id,
#define MDL_ENUM_NAME(id, name, ...) name,

/* ==== Files ==== */

#define MDL_FILE_KINDS(X)                \
    X(MDL_FILE_GEOGRAPHY, "geography")   \
    X(MDL_FILE_STAGE, "stage")           \
    X(MDL_FILE_SCENARIO, "scenario")     \
    X(MDL_FILE_SWEEP, "sweep")
enum { MDL_FILE_KINDS(MDL_ENUM_ID) MDL_FILE_KIND_COUNT };

#define MDL_TIMESERIES_KINDS(X) X(TIMESERIES_FULL, "full") X(TIMESERIES_TOTALS, "totals")
enum { MDL_TIMESERIES_KINDS(MDL_ENUM_ID) TIMESERIES_COUNT };

/* ==== Stages ==== */

#define MDL_ENTRY_KINDS(X) X(ENTRY_VIP, "vip") X(ENTRY_DNS, "dns") X(ENTRY_GATEWAY, "gateway")
enum { MDL_ENTRY_KINDS(MDL_ENUM_ID) ENTRY_COUNT };
#define MDL_ROUTINGS(X) X(ROUTE_BY_UNIT, "by-unit") X(ROUTE_SPREAD, "spread")
enum { MDL_ROUTINGS(MDL_ENUM_ID) ROUTE_COUNT };
#define MDL_BALANCER_KINDS(X) X(LB_HARDWARE, "hardware") X(LB_SOFTWARE, "software")
enum { MDL_BALANCER_KINDS(MDL_ENUM_ID) LB_COUNT };
#define MDL_MEMBERSHIPS(X) X(MEMBERS_HEALTH_CHECK, "health-check") X(MEMBERS_REGISTRY, "registry")
enum { MDL_MEMBERSHIPS(MDL_ENUM_ID) MEMBERS_COUNT };
#define MDL_UNIT_KINDS(X) X(UNIT_RZONE, "rzone") X(UNIT_GZONE, "gzone") X(UNIT_CZONE, "czone")
enum { MDL_UNIT_KINDS(MDL_ENUM_ID) UNIT_KIND_COUNT };
#define MDL_REPLICATION_MODES(X) \
    X(REPL_ASYNC, "async") X(REPL_SEMI_SYNC, "semi-sync") X(REPL_SYNC, "sync") X(REPL_QUORUM, "quorum")
enum { MDL_REPLICATION_MODES(MDL_ENUM_ID) REPL_COUNT };
#define MDL_PROMOTION_MODES(X) X(PROMOTE_NONE, "none") X(PROMOTE_MANUAL, "manual") X(PROMOTE_AUTOMATIC, "automatic")
enum { MDL_PROMOTION_MODES(MDL_ENUM_ID) PROMOTE_COUNT };
#define MDL_READS(X) X(READS_PRIMARY, "primary") X(READS_NEAREST, "nearest")
enum { MDL_READS(MDL_ENUM_ID) READS_COUNT };
#define MDL_TRIGGERS(X) X(TRIGGER_AUTOMATIC, "automatic") X(TRIGGER_MANUAL, "manual")
#define MDL_FAILBACKS(X) X(FAILBACK_NONE, "none") X(FAILBACK_AUTOMATIC, "automatic") X(FAILBACK_RUNBOOK, "runbook")
enum { MDL_FAILBACKS(MDL_ENUM_ID) FAILBACK_COUNT };
enum { MDL_TRIGGERS(MDL_ENUM_ID) TRIGGER_COUNT };
/* What pages the on-call for a runbook, and what its steps do. */
#define MDL_RUNBOOK_TRIGGERS(X)                                                            \
    X(RUNBOOK_ON_PRIMARY_LOST, "primary-lost") X(RUNBOOK_ON_UNIT_LOST, "unit-lost")       \
    X(RUNBOOK_ON_POWER_ALARM, "power-alarm") X(RUNBOOK_ON_UNIT_BACK, "unit-back")          \
    X(RUNBOOK_ON_SCRIPT, "script")
enum { MDL_RUNBOOK_TRIGGERS(MDL_ENUM_ID) RUNBOOK_ON_COUNT };
#define MDL_STEP_KINDS(X)                                                                  \
    X(STEP_PROMOTE, "promote") X(STEP_SWITCH_UNITS, "switch-units") X(STEP_DRAIN, "drain") \
    X(STEP_FAIL_BACK, "fail-back")
enum { MDL_STEP_KINDS(MDL_ENUM_ID) STEP_COUNT };
/* The kinds of data a database holds. */
#define MDL_DATA_KINDS(X) X(DATA_USER, "user") X(DATA_GLOBAL, "global")
enum { MDL_DATA_KINDS(MDL_ENUM_ID) DATA_COUNT };

/* ==== Scenarios ==== */

#define MDL_OPS(X) X(OP_READ, "read") X(OP_WRITE, "write")
enum { MDL_OPS(MDL_ENUM_ID) OP_COUNT };
#define MDL_GENERATORS(X) \
    X(GENERATOR_STARTS, "starts") X(GENERATOR_FAILS, "fails") X(GENERATOR_BY_PROBABILITY, "by-probability")
enum { MDL_GENERATORS(MDL_ENUM_ID) GENERATOR_COUNT };
/* How a cut-off place treats what is sent to it. */
#define MDL_CUT_MODES(X) X(DROP_SILENTLY, "drop") X(REJECT_FAST, "reject")
enum { MDL_CUT_MODES(MDL_ENUM_ID) CUT_MODE_COUNT };
#define MDL_COMPONENTS(X)                                                                  \
    X(COMPONENT_SERVER, "server") X(COMPONENT_DATACENTER, "datacenter") X(COMPONENT_LINK, "link") \
    X(COMPONENT_DATABASE, "database") X(COMPONENT_BALANCER, "balancer") X(COMPONENT_REGISTRY, "registry")
enum { MDL_COMPONENTS(MDL_ENUM_ID) COMPONENT_COUNT };
#define MDL_ACTION_KINDS(X)                                                               \
    X(ACTION_SWITCH_UNIT, "switch-unit") X(ACTION_PROMOTE, "promote") X(ACTION_ROLLBACK, "rollback") \
    X(ACTION_DRAIN, "drain") X(ACTION_DEGRADE, "degrade") X(ACTION_RESTORE, "restore")   \
    X(ACTION_FAILBACK, "failback") X(ACTION_RUNBOOK, "runbook") X(ACTION_UNDRAIN, "undrain")
enum { MDL_ACTION_KINDS(MDL_ENUM_ID) ACTION_COUNT };
/* The stage's own reactions a trainee may take over in the live window
 * (`training.takes`; mdl_world_set_operator takes bits 1 << ID):
 * a reaction taken over does not act by itself; where it would have
 * started, an `alert` event says what needs deciding, once for each
 * situation. Health-check removal of dead servers and the entry checks
 * stay automatic. X(ID, "name", what it covers). */
#define MDL_REACTIONS(X)                                                                            \
    X(REACT_UNIT_SWITCH, "unit-switch", "the unit switch when a unit's home cell is lost (automatic trigger, or a manual one with no runbook)") \
    X(REACT_PROMOTION, "promotion", "a database's own promotion of a copy: an election, or the stand-in human of a manual promotion no runbook covers") \
    X(REACT_FAILOVER, "failover", "the failover-database layer moving a shard whose primary is lost") \
    X(REACT_ROLLBACK, "rollback", "blue-green's rollback on the green group's error rate")             \
    X(REACT_DEGRADATION, "degradation", "degradation switches shedding request types, and restoring them") \
    X(REACT_FAILBACK, "failback", "a moved unit failing back home after the hold")                     \
    X(REACT_RUNBOOKS, "runbooks", "the stage's runbooks that start on a page: primary-lost, unit-lost, power-alarm, unit-back")
enum { MDL_REACTIONS(MDL_ENUM_ID) REACT_COUNT };
#define MDL_REACT_ALL ((1u << REACT_COUNT) - 1)
#define MDL_METRICS(X)                                                                    \
    X(METRIC_AVAILABILITY, "availability") X(METRIC_LOST_WRITES, "lost-writes") X(METRIC_RTO, "rto") \
    X(METRIC_P99, "p99") X(METRIC_USERS_AFFECTED, "users-affected")                       \
    X(METRIC_SECONDS_BELOW_SLO, "seconds-below-slo") X(METRIC_STALE_READS, "stale-reads") \
    X(METRIC_CONFLICTS, "conflicts")
enum { MDL_METRICS(MDL_ENUM_ID) METRIC_COUNT };

/* Roles a target's `datacenter:` may name instead of a datacenter, and
 * roles its `role:` may name; each stage resolves them for itself. */
#define MDL_DC_ROLES(X)                                                                   \
    X(DC_ROLE_MOST_PRIMARIES, "most-primaries") X(DC_ROLE_GLOBAL_PRIMARY, "global-primary") \
    X(DC_ROLE_REGISTRY, "registry") X(DC_ROLE_ENTRY, "entry")
enum { MDL_DC_ROLES(MDL_ENUM_ID) DC_ROLE_COUNT };
#define MDL_ROLES(X) X(ROLE_GZONE_WRITER, "gzone-writer") X(ROLE_REGISTRY, "registry") X(ROLE_ENTRY, "entry")
enum { MDL_ROLES(MDL_ENUM_ID) ROLE_COUNT };

/* ==== Fault kinds ==== */

/* The keys a fault's target may give (a bit each). */
enum {
    TGT_DATACENTER = 1, TGT_CITY = 2, TGT_UNIT = 4, TGT_UNIT_OF_SHARD = 8, TGT_ROLE = 16,
    TGT_LINK = 32, TGT_PATH = 64, TGT_POOL = 128, TGT_DATABASE = 256, TGT_SHARD = 512,
};
#define TGT_PLACE (TGT_DATACENTER | TGT_CITY | TGT_UNIT | TGT_UNIT_OF_SHARD | TGT_ROLE)
#define TGT_CELLS (TGT_POOL | TGT_UNIT | TGT_UNIT_OF_SHARD)
#define TGT_GROUPS (TGT_DATABASE | TGT_SHARD | TGT_ROLE | TGT_UNIT_OF_SHARD)

/* How a stage resolves and applies a kind (bits). */
enum {
    FLT_AIMS_AT_DATA = 1,    /* a role or a unit means shard groups, not the places they stand in */
    FLT_ANYWHERE = 2,        /* acts even where its target matches nothing (its own sides, the whole registry) */
    FLT_ROLE_IS_WHOLE = 4,   /* the role `registry` means all of it, not the building of its first replica */
    FLT_OWN_EVENTS = 8,      /* its apply function writes its own fault and repair events */
};

/* X(ID, "name", any-of, all-of, what the target needs (for messages),
 *   flags, apply function (faults/), what it does (for the reference)).
 * A target must give at least one key of any-of (when not 0) and every key
 * of all-of. */
#define MDL_FAULT_KINDS(X)                                                                              \
    X(FAULT_POWER, "power", TGT_PLACE, 0, "a datacenter, city, unit, unit-of-shard or role",             \
      FLT_OWN_EVENTS, flt_power,                                                                        \
      "utility power lost: batteries, then the generator or the dark (`generator:` decides)")           \
    X(FAULT_BREAKER, "breaker", TGT_PLACE, 0, "a datacenter, city, unit, unit-of-shard or role",        \
      FLT_OWN_EVENTS, flt_breaker,                                                                      \
      "the building's main breaker trips downstream of its batteries: dark at once, lit when reset")    \
    X(FAULT_FEED, "feed", TGT_PLACE, 0, "a datacenter, city, unit, unit-of-shard or role",              \
      FLT_OWN_EVENTS, flt_feed, "one utility feed lost: with more feeds the others carry the load")     \
    X(FAULT_RACKS, "racks", TGT_PLACE, 0, "a datacenter, city, unit, unit-of-shard or role", 0,         \
      flt_racks, "a share of a building's racks lose power: that share of its servers and database copies stop") \
    X(FAULT_LINK_CUT, "link-cut", TGT_LINK, 0, "a link", 0, flt_link_cut,                                   \
      "a link cut on every path: its traffic goes round through a third place, if one is left")         \
    X(FAULT_PATH_CUT, "path-cut", 0, TGT_LINK | TGT_PATH, "a link and its path", 0, flt_path_cut,           \
      "one fiber path of a link cut: the link moves to its fastest other path")                          \
    X(FAULT_ISOLATE, "isolate", TGT_PLACE, 0, "a datacenter, city, unit, unit-of-shard or role", 0,     \
      flt_isolate, "a building cut off from every other place (`mode:` drop or reject)")                \
    X(FAULT_PARTITION, "partition", 0, 0, "nothing: its `groups:` are the sides", FLT_ANYWHERE, flt_partition,                              \
      "groups of places that cannot reach each other (`groups:`)")                                       \
    X(FAULT_LATENCY, "latency", TGT_LINK, 0, "a link", 0, flt_latency, "a link slower by `latency` (and `jitter`) each way") \
    X(FAULT_LOSS, "loss", TGT_LINK, 0, "a link", 0, flt_loss, "a link losing `loss` of its messages (each costs a retransmission)") \
    X(FAULT_BANDWIDTH, "bandwidth", TGT_LINK, 0, "a link", 0, flt_bandwidth, "a link left with `bandwidth` of its capacity") \
    X(FAULT_SERVER, "server", TGT_CELLS, 0, "a pool (with a datacenter), a unit or a unit-of-shard", 0, \
      flt_server, "one server of each cell targeted crashes")                                          \
    X(FAULT_POOL_SHARE, "pool-share", TGT_CELLS, 0, "a pool (with a datacenter), a unit or a unit-of-shard", 0, \
      flt_pool_share, "a `share` of the servers of each cell targeted crash")                              \
    X(FAULT_BALANCER, "balancer", TGT_PLACE, 0, "a datacenter, city, unit, unit-of-shard or role", 0,   \
      flt_balancer, "the entry point's balancer in a building fails")                                   \
    X(FAULT_DB_PRIMARY, "db-primary", TGT_GROUPS, 0, "a database (with a shard), a shard, a role or a unit-of-shard", \
      FLT_AIMS_AT_DATA, flt_db_primary, "the primary of each shard group targeted crashes")                 \
    X(FAULT_DB_REPLICA, "db-replica", TGT_GROUPS, 0, "a database (with a shard), a shard, a role or a unit-of-shard", \
      FLT_AIMS_AT_DATA, flt_db_replica, "the first replica of each shard group targeted crashes")           \
    X(FAULT_REGISTRY, "registry", 0, 0, "nothing (the places whose replicas go down, or `role: registry`)",                \
      FLT_ANYWHERE | FLT_ROLE_IS_WHOLE, flt_registry,             \
      "the configuration center's replicas in the places targeted go down (`role: registry`: all of them)") \
    X(FAULT_GRAY, "gray", TGT_CELLS | TGT_GROUPS, 0, "a pool, a unit, a unit-of-shard, a database, a shard or a role", \
      FLT_AIMS_AT_DATA, flt_gray, "a node turns slow (`slowdown`) but stays alive: the primary of each group, the first server of each cell") \
    X(FAULT_BAD_RELEASE, "bad-release", TGT_CELLS, 0, "a pool (with a datacenter), a unit or a unit-of-shard", \
      FLT_ANYWHERE, flt_bad_release,                                                                    \
      "a release failing `error_rate` (or slower by `slowdown`) reaches the green group, or every server targeted") \
    X(FAULT_WRONG_SWITCH, "wrong-switch", TGT_UNIT | TGT_UNIT_OF_SHARD, 0, "a unit or a unit-of-shard", 0, \
      flt_wrong_switch, "a unit's traffic sent to another unit's cell (`to_unit`) by mistake")
enum { MDL_FAULT_KINDS(MDL_ENUM_ID) FAULT_KINDS };

/* What the fault kind table says of one kind (mdl_kinds.c). */
typedef struct mdl_fault_kind {
    const char *name;
    unsigned any_of, all_of;    /* TGT_ bits */
    const char *needs;          /* the same in words */
    unsigned flags;             /* FLT_ bits */
    const char *doc;
} mdl_fault_kind;
extern const mdl_fault_kind mdl_fault_kind_table[FAULT_KINDS];

/* ==== Event kinds ==== */

/* The kinds of row in events.csv, which `on:` of actions and captions
 * name: X(ID, "name", "the plural the story uses", what it records). */
#define MDL_EVENT_KINDS(X)                                                                         \
    X(EV_FAULT, "fault", "faults", "a fault starts")                                              \
    X(EV_REPAIR, "repair", "repairs", "a fault ends, or a component is back by repair")           \
    X(EV_UNMATCHED, "unmatched", "faults with no target here", "a fault whose target this stage does not have") \
    X(EV_DARK, "dark", "buildings dark", "a datacenter went dark")                                \
    X(EV_POWER, "power", "buildings powered", "power is back in a datacenter")                    \
    X(EV_BOOT, "boot", "cells booted", "a cell's servers are up again after power came back")     \
    X(EV_REROUTE, "reroute", "reroutes", "a cut link's traffic takes a detour")                   \
    X(EV_REGISTRY, "registry", "registry changes", "the configuration center stops or answers again") \
    X(EV_DETECT, "detect", "detections", "a failure is detected (by health checks, the registry, monitoring or the failover layer)") \
    X(EV_RESTORE, "restore", "restorations", "a shed request type or an entry point is back")     \
    X(EV_FORBID, "forbid", "write bans", "a unit switch forbids writes to the unit's shards")     \
    X(EV_SWITCH, "switch", "switches", "traffic switched: a unit to its standby, a shard to its failover database") \
    X(EV_PROMOTE, "promote", "promotions", "a copy promoted to primary")                          \
    X(EV_REPLICATION, "replication", "replication changes", "semi-synchronous replication falls back to asynchronous, or resumes") \
    X(EV_RUNBOOK, "runbook", "runbook steps", "an on-call engineer works through a runbook: acknowledges, diagnoses, tries the obvious repair, decides, does each step, verifies") \
    X(EV_HANDOVER, "handover", "leader handovers", "a leader hands its lease to another copy as planned (it follows its unit)") \
    X(EV_RECONCILE, "reconcile", "reconciliations", "an old primary is back and its parked writes are reconciled") \
    X(EV_ROLLBACK, "rollback", "rollbacks", "a release rolled back")                              \
    X(EV_DEGRADE, "degrade", "request types shed", "a degradation switch sheds a request type")   \
    X(EV_ACTION, "action", "operator actions", "the operator acts (a scripted action), or a trainee starts or finishes an act")         \
    X(EV_SLO, "slo", "SLO crossings", "the success ratio crosses the SLO")                        \
    X(EV_RECOVERED, "recovered", "recoveries", "an incident has recovered")                       \
    X(EV_ALERT, "alert", "alerts", "a reaction the trainee took over (`training.takes`) would start now: what needs deciding, once per situation")
enum { MDL_EVENT_KINDS(MDL_ENUM_ID) EV_KIND_COUNT };

/* ==== Causes of failure ==== */

/* Every failed request has one cause: X(ID, "name" in summary.json); the
 * enum's names are CAUSE_ID. */
#define MDL_CAUSES(X)                                                                              \
    X(TIMEOUT, "timeout") X(QUEUE_FULL, "queue_full") X(NO_CONNECTION, "no_connection")            \
    X(NO_ROUTE, "no_route") X(REFUSED, "refused") X(SHED, "shed") X(RATE_LIMITED, "rate_limited")  \
    X(BREAKER_OPEN, "breaker_open") X(ERROR, "error")
#define MDL_CAUSE_ID(id, name) CAUSE_##id,
enum { MDL_CAUSES(MDL_CAUSE_ID) CAUSE_COUNT };

/* What a failure says about the stage, the question an SRE asks first: was
 * it too busy, did something break, did it refuse on purpose, or was it
 * moving? Every failed request has exactly one: X(ID, "name" in
 * summary.json and timeseries.csv, what it covers); the enum's names are
 * FAIL_ID. */
#define MDL_FAILURE_CAUSES(X)                                                                      \
    X(OVERLOAD, "overload", "connection limit, full queue, rate limit, or a timeout while the work waited in a saturated pool") \
    X(FAULT, "fault", "unreachable, dead or cut off, no copy to serve it, or an error a bad release injected") \
    X(SHED, "shed", "shed by design: a degradation switch or admission control turned it away")   \
    X(SWITCHING, "switching", "writes forbidden while a unit switched or a replica was promoted, or sent to a unit that no longer owns the shard")
#define MDL_FAILURE_ID(id, name, doc) FAIL_##id,
enum { MDL_FAILURE_CAUSES(MDL_FAILURE_ID) FAIL_COUNT };

/* ==== Name tables (mdl_kinds.c), each ended by NULL ==== */

extern const char *const mdl_file_kinds[MDL_FILE_KIND_COUNT + 1];
extern const char *const mdl_timeseries_kinds[TIMESERIES_COUNT + 1];
extern const char *const mdl_entry_kinds[ENTRY_COUNT + 1];
extern const char *const mdl_routings[ROUTE_COUNT + 1];
extern const char *const mdl_balancer_kinds[LB_COUNT + 1];
extern const char *const mdl_memberships[MEMBERS_COUNT + 1];
extern const char *const mdl_unit_kinds[UNIT_KIND_COUNT + 1];
extern const char *const mdl_replication_modes[REPL_COUNT + 1];
extern const char *const mdl_promotion_modes[PROMOTE_COUNT + 1];
extern const char *const mdl_reads[READS_COUNT + 1];
extern const char *const mdl_triggers[TRIGGER_COUNT + 1];
extern const char *const mdl_failbacks[FAILBACK_COUNT + 1];
extern const char *const mdl_runbook_triggers[RUNBOOK_ON_COUNT + 1];
extern const char *const mdl_step_kinds[STEP_COUNT + 1];
extern const char *const mdl_data_kinds[DATA_COUNT + 1];
extern const char *const mdl_ops[OP_COUNT + 1];
extern const char *const mdl_generators[GENERATOR_COUNT + 1];
extern const char *const mdl_cut_modes[CUT_MODE_COUNT + 1];
extern const char *const mdl_components[COMPONENT_COUNT + 1];
extern const char *const mdl_action_kinds[ACTION_COUNT + 1];
extern const char *const mdl_reactions[REACT_COUNT + 1];
extern const char *const mdl_reaction_docs[REACT_COUNT + 1];
extern const char *const mdl_metric_names[METRIC_COUNT + 1];
extern const char *const mdl_dc_roles[DC_ROLE_COUNT + 1];
extern const char *const mdl_roles[ROLE_COUNT + 1];
extern const char *const mdl_fault_kinds[FAULT_KINDS + 1];
extern const char *const mdl_event_kinds[EV_KIND_COUNT + 1];
extern const char *const mdl_failure_causes[FAIL_COUNT + 1];
extern const char *const mdl_failure_cause_docs[FAIL_COUNT + 1];
extern const char *const mdl_event_plurals[EV_KIND_COUNT + 1];
extern const char *const mdl_cause_names[CAUSE_COUNT + 1];

#endif /* MDL_KINDS_H */
