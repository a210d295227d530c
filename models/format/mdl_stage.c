/* mdl_stage.c -- the stage file's schema: an architecture on the shared
 * geography. The C code never tests a stage's name: everything a stage
 * does follows from these values. */
#include "mdl_fields.h"
#include "mdl_files.h"

#define ST stg_check
static const mdl_field check_fields[] = {
    FR("interval", MDL_DURATION, interval, FIG, "10s", 0.001, 3600, "time between checks", "10s"),
    FR("threshold", MDL_INT, threshold, FIG, "3", 1, 100, "consecutive failed checks to declare a target dead", "3"),
    FR("timeout", MDL_DURATION, timeout, FIG, "4s", 0.001, 600, "a check fails when no answer comes within this", "4s"),
    FEND,
};
#undef ST
static const mdl_schema check_schema = {"health_check", sizeof(stg_check), check_fields, "Periodic health checks."};

#define ST stg_entry
static const mdl_field entry_fields[] = {
    FE("kind", kind, REQ, NULL, mdl_entry_kinds, "vip: one hardware virtual IP in one datacenter; dns: a global balancer answering DNS with the healthy entry points; gateway: gateways in every listed datacenter accept any user and route by the unit rules the registry pushes, and clients hold several gateway addresses", "gateway"),
    F("datacenters", MDL_NAMES, datacenters, REQ, NULL, "where the entry points stand", "[HZ-A, SH-A]"),
    FR("ttl", MDL_DURATION, ttl, FIG, "30s", 0, 86400, "dns: clients keep an answer this long, even when it has gone bad", "30s"),
    FS("health_check", health_check, 0, check_schema, "dns: how the global balancer checks each entry point"),
    FR("endpoints", MDL_INT, endpoints, FIG, "2", 1, 64, "gateway: addresses a client holds, its unit's datacenters first (cells in order), then the other gateways", "2"),
    FR("connect_timeout", MDL_DURATION, connect_timeout, FIG, "1s", 0.001, 600, "gateway: a client that gets no answer from an address within this moves to its next one (a refusal moves it at once); it then tries the dead address last until the others fail", "1s"),
    FE("routing", routing, 0, "spread", mdl_routings, "by-unit: each user is sent to the datacenter of the unit owning their shard; spread: users are spread over the entry points and served where they land", "by-unit"),
    FR("max_in_flight", MDL_INT, max_in_flight, FIG, "0", 0, 1e12, "admission control: requests in progress beyond this are refused (0: none)", "2M"),
    FR("rate_limit", MDL_RATE, rate_limit, FIG, "0/s", 0, 1e12, "requests admitted per second in all (0: none)", "700k/s"),
    FD("type_limits", type_limits, FIG, MDL_RATE, "rate limits per request type", "{query: 200k/s}"),
    FR("client_latency", MDL_DURATION, client_latency, FIG, "10ms", 0, 10, "one-way latency from a user to the entry", "10ms"),
    FEND,
};
#undef ST
static const mdl_schema entry_schema = {"entry", sizeof(stg_entry), entry_fields, "How users' requests come in."};

#define ST stg_balancer
static const mdl_field balancer_fields[] = {
    FE("kind", kind, 0, "software", mdl_balancer_kinds, "hardware: one appliance per entry; software: one per datacenter", "software"),
    FE("membership", membership, 0, "health-check", mdl_memberships, "how a dead server leaves rotation: the balancer's own health checks, or the registry's heartbeats and push", "registry"),
    FS("health_check", health_check, 0, check_schema, "health-check membership: the balancer's checks of each server"),
    FR("capacity", MDL_RATE, capacity, FIG, "0/s", 0, 1e12, "requests per second one balancer passes (0: unlimited)", "2M/s"),
    FEND,
};
#undef ST
static const mdl_schema balancer_schema = {"balancer", sizeof(stg_balancer), balancer_fields, "The load balancers in front of the service pools."};

#define ST stg_registry
static const mdl_field registry_fields[] = {
    F("datacenters", MDL_NAMES, datacenters, REQ, NULL, "where its replicas stand; with all of them down nothing is detected or pushed", "[HZ-A, SH-A]"),
    FR("heartbeat", MDL_DURATION, heartbeat, FIG, "5s", 0.001, 3600, "servers and databases report this often", "5s"),
    FR("threshold", MDL_INT, threshold, FIG, "3", 1, 100, "missed heartbeats to declare a target dead", "3"),
    FR("push_delay", MDL_DURATION, push_delay, FIG, "2s", 0, 3600, "from a decision until every client and gateway knows it", "2s"),
    FEND,
};
#undef ST
static const mdl_schema registry_schema = {"registry", sizeof(stg_registry), registry_fields, "The configuration center: registration, health by heartbeat, and pushing new routing."};

#define ST stg_pool
static const mdl_field pool_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "the pool's name, used by cells", "app"),
    FR("workers", MDL_INT, workers, FIG, "32", 1, 100000, "requests one server works on at once", "32"),
    FR("queue_limit", MDL_INT, queue_limit, FIG, "256", 0, 1e9, "requests one server holds waiting; beyond it they are refused (queue full)", "256"),
    F("drop_expired", MDL_BOOL, drop_expired, FIG, "false", "skip waiting work whose client has already given up (else it still takes a worker)", "true"),
    FD("service_time", service_time, REQ | FIG, MDL_DIST, "time a worker spends on each request type, without its database calls", "{pay: {lognormal: {mean: 8ms, p99: 40ms}}}"),
    FR("boot", MDL_DURATION, boot, FIG, "3m", 0, 86400, "from power back to serving", "3m"),
    FEND,
};
#undef ST
static const mdl_schema pool_schema = {"pool", sizeof(stg_pool), pool_fields, "A kind of application server: how it works, not where it stands (cells say that)."};

#define ST stg_cell
static const mdl_field cell_fields[] = {
    F("datacenter", MDL_NAME, datacenter, REQ, NULL, "where the cell stands", "HZ-A"),
    F("pool", MDL_NAME, pool, REQ, NULL, "which pool its servers belong to", "app"),
    FR("servers", MDL_INT, servers, REQ | FIG, NULL, 1, 1e7, "servers in the cell", "400"),
    FR("share", MDL_PERCENT, share, FIG, "100%", 0, 100, "its part of the unit's traffic while active (shares of active cells are normalised)", "50%"),
    F("standby", MDL_BOOL, standby, 0, "false", "takes traffic only after a unit switch", "true"),
    FR("green", MDL_PERCENT, green, FIG, "0%", 0, 100, "percent of its servers in the green group (the new release)", "2%"),
    FEND,
};
#undef ST
static const mdl_schema cell_schema = {"cell", sizeof(stg_cell), cell_fields, "Where a unit's servers stand."};

#define ST stg_unit
static const mdl_field unit_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "the unit's name", "RZ01"),
    FE("kind", kind, 0, "rzone", mdl_unit_kinds, "rzone: owns user shards; gzone: holds the global data's writer; czone: holds a city's read copy of global data", "rzone"),
    F("shards", MDL_SHARDS, shards, 0, "00-99", "rzone: the user shards it owns (the user id's third- and second-to-last digits)", "00-19"),
    F("datacenter", MDL_NAME, datacenter, 0, NULL, "gzone, czone: where it stands", "HZ-A"),
    FL("cells", cells, 0, cell_schema, "rzone: where its servers stand"),
    FEND,
};
#undef ST
static const mdl_schema unit_schema = {"unit", sizeof(stg_unit), unit_fields, "A logical unit (zone)."};

#define ST stg_replication
static const mdl_field replication_fields[] = {
    FE("mode", mode, 0, "async", mdl_replication_modes, "async: the primary commits alone, replicas receive and apply behind it; semi-sync: waits for one replica to have received it, falling back to async when none has within the timeout, and back to semi-sync once a replica is reachable again; sync: waits for every replica; quorum: waits for a majority of all copies", "quorum"),
    {"shipping", MDL_DIST, offsetof(ST, shipping), FIG, "0s", 0, 0, NULL, NULL, 0, "async and semi-sync: how long a batch takes to reach a replica's relay log beyond the network's delay, drawn per replica every second (what was acknowledged and never received is lost when it is promoted)", "{lognormal: {mean: 20ms, p99: 200ms}}"},
    {"applying", MDL_DIST, offsetof(ST, applying), FIG, "100ms", 0, 0, NULL, NULL, 0, "async and semi-sync: how far a replica's applier runs behind what it received, drawn per replica every second (reads there are that stale; a promotion first applies it all)", "{lognormal: {mean: 1s, p99: 5s}}"},
    FR("timeout", MDL_DURATION, timeout, FIG, "10s", 0, 3600, "semi-sync: commits wait this long for an acknowledgement, then the primary continues asynchronously", "10s"),
    FR("batch", MDL_DURATION, batch, FIG, "1ms", 0.0001, 10, "the primary ships its changes this often", "1ms"),
    FEND,
};
#undef ST
static const mdl_schema replication_schema = {"replication", sizeof(stg_replication), replication_fields, "How writes reach a shard's copies."};

#define ST stg_promotion
static const mdl_field promotion_fields[] = {
    FE("mode", mode, 0, "manual", mdl_promotion_modes, "none: wait for the primary's repair; manual: a human promotes a replica; automatic: the copies elect a leader once the lease expires", "automatic"),
    FR("detect", MDL_DURATION, detect, FIG, "30s", 0, 3600, "manual: monitoring notices the primary is gone and pages", "30s"),
    {"response", MDL_DIST, offsetof(ST, response), FIG, "15m", 0, 0, NULL, NULL, 0, "manual: paging, diagnosis and action", "{lognormal: {mean: 15m, p99: 45m}}"},
    FR("lease", MDL_DURATION, lease, FIG, "10s", 0, 3600, "automatic: the leader's lease", "10s"),
    FR("election", MDL_DURATION, election, FIG, "2s", 0, 3600, "automatic: electing a new leader once the lease is gone", "2s"),
    F("follow_unit", MDL_BOOL, follow_unit, 0, "false", "user data: when a unit switch moves the unit owning the group's shards, the leader is handed to the copy in the unit's new datacenter (a primary zone), so writes stay inside the unit", "true"),
    FR("handover", MDL_DURATION, handover, FIG, "1s", 0, 3600, "follow_unit: handing the lease to a copy that has caught up; the group takes no writes meanwhile", "1s"),
    FEND,
};
#undef ST
static const mdl_schema promotion_schema = {"promotion", sizeof(stg_promotion), promotion_fields, "How a replica becomes primary when the primary is lost."};

#define ST stg_failover
static const mdl_field failover_fields[] = {
    FR("detect", MDL_DURATION, detect, FIG, "30s", 0, 3600, "from the primary's loss to the decision to fail over", "30s"),
    FR("switch", MDL_DURATION, switch_delay, FIG, "60s", 0, 3600, "moving the shard's reads and writes to the failover database", "60s"),
    FEND,
};
#undef ST
static const mdl_schema failover_schema = {"failover", sizeof(stg_failover), failover_fields, "The failover-database layer: when a shard's primary is lost, its reads and writes move to a dedicated failover database; writes not yet copied there are parked, at risk until the old primary returns."};

#define ST stg_group
static const mdl_field group_fields[] = {
    F("shards", MDL_SHARDS, shards, 0, "00-99", "the shards this group of copies holds (global data: any)", "00-19"),
    F("primary", MDL_NAME, primary, REQ, NULL, "the datacenter of the primary", "HZ-A"),
    F("replicas", MDL_NAMES, replicas, 0, NULL, "the datacenters of the replicas", "[HZ-B, SH-A]"),
    F("failover", MDL_NAME, failover, 0, NULL, "the datacenter of the failover database (with a failover layer)", "SH-A"),
    FEND,
};
#undef ST
static const mdl_schema group_schema = {"group", sizeof(stg_group), group_fields, "A shard group: one primary and its copies."};

#define ST stg_database
static const mdl_field database_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "the database's name", "core"),
    F("holds", MDL_NAMES, holds, REQ, NULL, "what data it holds: user (sharded by user id), global, or both", "[user]"),
    FE("reads", reads, 0, "primary", mdl_reads, "where reads go: the primary, or the nearest copy in the caller's city (possibly stale)", "nearest"),
    FR("connections", MDL_INT, connections, FIG, "4000", 1, 1e9, "sessions one primary accepts at once; more get \"no connection\"", "4000"),
    FR("workers", MDL_INT, workers, FIG, "128", 1, 1e7, "queries one primary executes at once", "128"),
    {"read", MDL_DIST, offsetof(ST, read), FIG, "1ms", 0, 0, NULL, NULL, 0, "service time of a read", "{lognormal: {mean: 1ms, p99: 6ms}}"},
    {"write", MDL_DIST, offsetof(ST, write), FIG, "3ms", 0, 0, NULL, NULL, 0, "service time of a write, before replication", "{lognormal: {mean: 3ms, p99: 15ms}}"},
    FR("recovery", MDL_DURATION, recovery, FIG, "5m", 0, 86400, "crash recovery once power is back", "5m"),
    FS("replication", replication, 0, replication_schema, "how writes reach the copies"),
    FS("promotion", promotion, 0, promotion_schema, "how a copy takes over"),
    FS("failover", failover, OPT, failover_schema, "the failover-database layer, if the stage has one"),
    FL("groups", groups, REQ, group_schema, "its shard groups"),
    FEND,
};
#undef ST
static const mdl_schema database_schema = {"database", sizeof(stg_database), database_fields, "A database: shard groups, where their copies stand, and how they fail over."};

#define ST stg_unit_switch
static const mdl_field switch_fields[] = {
    FE("trigger", trigger, 0, "automatic", mdl_triggers, "automatic: on the registry's detection; manual: after a human's response", "automatic"),
    {"response", MDL_DIST, offsetof(ST, response), FIG, "5m", 0, 0, NULL, NULL, 0, "manual: the human's response", "{lognormal: {mean: 5m, p99: 20m}}"},
    F("write_forbid", MDL_BOOL, write_forbid, FIG, "true", "forbid writes to the moving shards until the switch is done", "true"),
    FR("catch_up_bound", MDL_DURATION, catch_up_bound, FIG, "10s", 0, 3600, "wait at most this long for the target's copies to catch up", "10s"),
    FR("push_delay", MDL_DURATION, push_delay, FIG, "3s", 0, 3600, "pushing the new mapping to every gateway", "3s"),
    FE("failback", failback, 0, "none", mdl_failbacks, "once a unit's own cell is healthy again: none (it stays where it moved), automatic (after failback_hold, by the same switch), runbook (a unit-back runbook's fail-back step)", "automatic"),
    FR("failback_hold", MDL_DURATION, failback_hold, FIG, "5m", 0, 86400, "the unit's own cell healthy this long before it fails back (no flapping)", "5m"),
    FEND,
};
#undef ST
static const mdl_schema switch_schema = {"unit_switch", sizeof(stg_unit_switch), switch_fields, "The unit traffic switch: moving a unit's users to its standby cell (forbid writes, wait for catch-up, push the new mapping; stale-routed requests are forwarded)."};

#define ST stg_step
static const mdl_field step_fields[] = {
    FE("do", kind, REQ, NULL, mdl_step_kinds, "promote: each group whose primary is lost gets its most complete replica promoted; switch-units: each unit whose home is lost or alarmed moves to its standby cell; drain: each alarmed datacenter's traffic moves to the others; fail-back: each moved unit whose own cell is healthy again goes home", "promote"),
    {"duration", MDL_DIST, offsetof(ST, duration), FIG, "0s", 0, 0, NULL, NULL, 0, "each item's time", "{lognormal: {mean: 2m, p99: 6m}}"},
    FR("parallel", MDL_INT, parallel, FIG, "1", 1, 1000, "items worked on at once (one DBA: 1; k DBAs: k)", "1"),
    FEND,
};
#undef ST
static const mdl_schema step_schema = {"step", sizeof(stg_step), step_fields, "A runbook's step, done for each of its items."};

#define DIST_PHASE(key, member, doc, ex) {key, MDL_DIST, offsetof(ST, member), FIG, "0s", 0, 0, NULL, NULL, 0, doc, ex}
#define ST stg_runbook
static const mdl_field runbook_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "the runbook's name, for the story and scenario actions", "promote-replicas"),
    FE("on", on, REQ, NULL, mdl_runbook_triggers, "what pages: primary-lost (a database primary lost, its promotion manual), unit-lost (a unit's home cell gone, its switch manual), power-alarm (a datacenter on batteries with its generator failed), unit-back (a moved unit's own cell healthy for unit_switch.failback_hold), script (only a scenario action starts it)", "primary-lost"),
    FR("page", MDL_DURATION, page, FIG, "30s", 0, 86400, "from what pages to the page: monitoring's detection", "30s"),
    FR("after", MDL_DURATION, after, FIG, "0s", 0, 86400, "power-alarm: the policy acts only after this long on batteries", "2m"),
    DIST_PHASE("acknowledge", acknowledge, "from the page to an engineer on it", "{lognormal: {mean: 3m, p99: 10m}}"),
    DIST_PHASE("diagnose", diagnose, "finding what is wrong", "{lognormal: {mean: 8m, p99: 25m}}"),
    DIST_PHASE("repair", repair, "trying the obvious repair first (a restart in place); if what paged is gone by then, the runbook ends", "5m"),
    DIST_PHASE("decide", decide, "deciding to fail over (and being allowed to)", "2m"),
    FL("steps", steps, 0, step_schema, "what is done, in order"),
    DIST_PHASE("verify", verify, "checking the result before closing", "3m"),
    FEND,
};
#undef ST
#undef DIST_PHASE
static const mdl_schema runbook_schema = {"runbook", sizeof(stg_runbook), runbook_fields, "Manual recovery as people run it: page, acknowledge, diagnose, the obvious repair first, decide, the steps (each item in turn, or some at once), verify. A stage's manual promotion or manual unit switch follows the runbook its trigger names; without one, promotion.detect and promotion.response stand for it."};

#define ST stg_blue_green
static const mdl_field bg_fields[] = {
    FR("error_threshold", MDL_PERCENT, error_threshold, FIG, "1%", 0, 100, "roll back when the green group fails more than this", "1%"),
    FR("window", MDL_DURATION, window, FIG, "30s", 0.001, 3600, "over this window", "30s"),
    FR("min_requests", MDL_INT, min_requests, FIG, "100", 1, 1e9, "and at least this many requests in it", "100"),
    FR("rollback_delay", MDL_DURATION, rollback_delay, FIG, "60s", 0, 3600, "moving the green group's traffic back to blue", "60s"),
    FEND,
};
#undef ST
static const mdl_schema bg_schema = {"blue_green", sizeof(stg_blue_green), bg_fields, "Blue-green release: a green group gets the new release first and is rolled back on its error rate."};

#define ST stg_breaker
static const mdl_field breaker_fields[] = {
    FR("error_threshold", MDL_PERCENT, error_threshold, FIG, "50%", 0, 100, "open when more calls than this fail", "50%"),
    FR("window", MDL_DURATION, window, FIG, "10s", 0.001, 3600, "over this window", "10s"),
    FR("min_requests", MDL_INT, min_requests, FIG, "20", 1, 1e9, "with at least this many calls", "20"),
    FR("open_for", MDL_DURATION, open_for, FIG, "5s", 0.001, 3600, "fail calls fast this long, then let one through to test", "5s"),
    FEND,
};
#undef ST
static const mdl_schema breaker_schema = {"breaker", sizeof(stg_breaker), breaker_fields, "Circuit breakers on calls from a pool to a database."};

#define ST stg_degradation
static const mdl_field degradation_fields[] = {
    F("shed", MDL_NAMES, shed, 0, NULL, "request types to shed, first first", "[query, login]"),
    FR("success_below", MDL_PERCENT, success_below, FIG, "95%", 0, 100, "shed the next type when the share of admitted requests not failing by overload stays below this (failures of faults, which shedding cannot cure, do not count)", "95%"),
    FR("after", MDL_DURATION, after, FIG, "10s", 0.001, 3600, "for this long", "10s"),
    FR("restore_after", MDL_DURATION, restore_after, FIG, "60s", 0.001, 86400, "restore one type after this long healthy", "60s"),
    FEND,
};
#undef ST
static const mdl_schema degradation_schema = {"degradation", sizeof(stg_degradation), degradation_fields, "Degradation switches: shedding non-essential request types under stress."};

#define ST stg_retry_budget
static const mdl_field budget_fields[] = {
    FR("ratio", MDL_PERCENT, ratio, FIG, "10%", 0, 1000, "retries at most this share of first attempts", "10%"),
    FR("window", MDL_DURATION, window, FIG, "10s", 0.001, 3600, "over this window", "10s"),
    FEND,
};
#undef ST
static const mdl_schema budget_schema = {"retry_budget", sizeof(stg_retry_budget), budget_fields, "A retry budget in the client SDK."};

#define ST stg_protections
static const mdl_field protection_fields[] = {
    FS("breaker", breaker, OPT, breaker_schema, "circuit breakers on database calls"),
    FS("degradation", degradation, OPT, degradation_schema, "degradation switches"),
    FS("retry_budget", retry_budget, OPT, budget_schema, "a cap on client retries"),
    FEND,
};
#undef ST
static const mdl_schema protection_schema = {"protections", sizeof(stg_protections), protection_fields, "The protections a flash-sale system lives by (admission and rate limits are on the entry)."};

#define ST stg_cost
static const mdl_field cost_fields[] = {
    FR("server_hour", MDL_REAL, server_hour, FIG, "0.5", 0, 1e6, "cost of one server for one hour", "0.5"),
    FR("datacenter_hour", MDL_REAL, datacenter_hour, FIG, "500", 0, 1e9, "cost of one datacenter in use for one hour", "500"),
    F("currency", MDL_NAME, currency, 0, "USD", "the unit of the costs", "USD"),
    FEND,
};
#undef ST
static const mdl_schema cost_schema = {"cost", sizeof(stg_cost), cost_fields, "What the architecture costs to run."};

#define ST stage
static const mdl_field stage_fields[] = {
    FR("dcsim", MDL_INT, dcsim, REQ, NULL, 1, 1, "the file format's version", "1"),
    FE("kind", kind, REQ, NULL, mdl_file_kinds, "what the file is", "stage"),
    F("name", MDL_NAME, name, REQ, NULL, "the stage's name", "unit"),
    F("description", MDL_TEXT, description, 0, NULL, "what the architecture is, for people", "RZones, a GZone and CZones"),
    {"geography", MDL_NODE, offsetof(ST, geography), REQ, NULL, 0, 0, NULL, NULL, 0, "the geography it stands on: a path relative to this file, or the geography itself", "geography.yaml"},
    F("datacenters", MDL_NAMES, datacenters, REQ, NULL, "the datacenters of the geography it uses (and pays for)", "[HZ-A, HZ-B]"),
    FS("entry", entry, REQ, entry_schema, "how requests come in"),
    FS("balancer", balancer, 0, balancer_schema, "the load balancers"),
    FS("registry", registry, OPT, registry_schema, "the configuration center, if the stage has one"),
    FL("pools", pools, REQ, pool_schema, "the kinds of application server"),
    FL("units", units, REQ, unit_schema, "the units and their cells"),
    FL("databases", databases, REQ, database_schema, "the databases"),
    FS("unit_switch", unit_switch, OPT, switch_schema, "the unit traffic switch, if the stage has one"),
    FL("runbooks", runbooks, 0, runbook_schema, "manual recovery, step by step"),
    FS("blue_green", blue_green, OPT, bg_schema, "blue-green release, if the stage has it"),
    FS("protections", protections, 0, protection_schema, "protections"),
    FS("cost", cost, 0, cost_schema, "costs"),
    FEND,
};
#undef ST
const mdl_schema mdl_stage_schema = {"stage", sizeof(stage), stage_fields,
    "An architecture stage (`models/stages/*.yaml`): which datacenters it uses, and on them its units, pools, databases and the mechanisms of its control plane."};
