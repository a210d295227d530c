/* mdl_scenario.c -- the scenario file's schema: an experiment over stages. */
#include "mdl_fields.h"
#include "mdl_files.h"

#define ST scn_call
static const mdl_field call_fields[] = {
    FE("data", data, REQ, NULL, mdl_data_kinds, "user: the user's own shard; global: global data", "user"),
    FE("op", op, REQ, NULL, mdl_ops, "read or write", "write"),
    FEND,
};
#undef ST
static const mdl_schema call_schema = {"call", sizeof(scn_call), call_fields, "A database call a request makes."};

#define ST scn_type
static const mdl_field type_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "the request type's name; stages give its service time", "pay"),
    FR("share", MDL_PERCENT, share, REQ | FIG, NULL, 0, 100, "its part of all requests (shares must add up to 100%)", "35%"),
    FR("priority", MDL_INT, priority, 0, "1", 1, 100, "1 is most important; degradation sheds the highest numbers first", "1"),
    {"calls", MDL_LIST, offsetof(ST, calls), MDL_FLOW, NULL, 0, 0, &call_schema, NULL, 0, "the database calls it makes, in order", NULL},
    FR("request_size", MDL_SIZE, request_size, FIG, "2kB", 1, 1e9, "bytes of a request or a call", "2kB"),
    FR("response_size", MDL_SIZE, response_size, FIG, "4kB", 1, 1e9, "bytes of a response", "4kB"),
    FEND,
};
#undef ST
static const mdl_schema type_schema = {"type", sizeof(scn_type), type_fields, "A request type."};

#define ST scn_point
static const mdl_field point_fields[] = {
    F("at", MDL_CLOCK, at, REQ, NULL, "clock time", "00:00:00"),
    FR("rate", MDL_RATE, rate, REQ | FIG, NULL, 0, 1e9, "offered requests per second (lines between points)", "180k/s"),
    FEND,
};
#undef ST
static const mdl_schema point_schema = {"point", sizeof(scn_point), point_fields, "A point of the traffic curve."};

#define ST scn_curve
static const mdl_field curve_fields[] = {
    {"points", MDL_LIST, offsetof(ST, points), MDL_FLOW, NULL, 0, 0, &point_schema, NULL, 0, "the curve as points joined by lines (instead of the shape below)", NULL},
    FR("baseline", MDL_RATE, baseline, FIG, "50k/s", 0, 1e9, "offered load before the spike", "54k/s"),
    F("spike_at", MDL_CLOCK, spike_at, FIG, "00:00:00", "when the spike starts", "00:00:00"),
    FR("jump", MDL_REAL, jump, FIG, "3", 1, 1000, "multiple of the baseline right at the spike", "3"),
    FR("peak", MDL_RATE, peak, FIG, "500k/s", 0, 1e9, "the peak's offered load", "544k/s"),
    F("peak_at", MDL_CLOCK, peak_at, FIG, "00:05:00", "when the peak comes (rising in a straight line from the jump)", "00:05:22"),
    FR("decay", MDL_DURATION, decay, FIG, "30m", 1, 864000, "time constant of the fall after the peak", "30m"),
    FR("after", MDL_RATE, after, FIG, "150k/s", 0, 1e9, "the level it falls towards", "150k/s"),
    FEND,
};
#undef ST
static const mdl_schema curve_schema = {"curve", sizeof(scn_curve), curve_fields, "Offered load over time: points, or the Double-11 shape (baseline, a jump at the spike, a straight rise to the peak, an exponential fall)."};

#define ST scn_client
static const mdl_field client_fields[] = {
    FR("timeout", MDL_DURATION, timeout, FIG, "3s", 0.001, 600, "a client gives up on an attempt after this", "3s"),
    FR("retries", MDL_INT, retries, FIG, "2", 0, 20, "attempts after the first", "2"),
    FR("backoff", MDL_DURATION, backoff, FIG, "500ms", 0, 600, "wait before the first retry, doubling after", "500ms"),
    FR("backoff_max", MDL_DURATION, backoff_max, FIG, "10s", 0, 3600, "the longest wait", "10s"),
    FR("jitter", MDL_PERCENT, jitter, FIG, "50%", 0, 100, "each wait is varied by up to this much either way", "50%"),
    FEND,
};
#undef ST
static const mdl_schema client_schema = {"client", sizeof(scn_client), client_fields, "How clients wait and retry."};

#define ST scn_traffic
static const mdl_field traffic_fields[] = {
    FR("users", MDL_COUNT, users, FIG, "100M", 1, 1e10, "the user population requests are drawn from", "500M"),
    FS("curve", curve, 0, curve_schema, "offered load over time"),
    FL("types", types, REQ, type_schema, "the request mix"),
    FS("client", client, 0, client_schema, "client timeouts and retries"),
    FEND,
};
#undef ST
static const mdl_schema traffic_schema = {"traffic", sizeof(scn_traffic), traffic_fields, "The offered load. Every stage of a scenario sees the same users and arrivals."};

#define ST scn_target
static const mdl_field target_fields[] = {
    F("datacenter", MDL_NAME, datacenter, 0, NULL, "a datacenter by name, or a role each stage resolves: most-primaries, global-primary, registry, entry", "most-primaries"),
    F("city", MDL_NAME, city, 0, NULL, "a city", "Hangzhou"),
    F("unit", MDL_NAME, unit, 0, NULL, "a unit by name", "RZ01"),
    FR("unit-of-shard", MDL_INT, unit_of_shard, 0, "-1", -1, 99, "the unit owning this shard (in each stage)", "37"),
    F("role", MDL_NAME, role, 0, NULL, "a role: gzone-writer (the global data's primary), registry", "gzone-writer"),
    F("link", MDL_NAMES, link, 0, NULL, "a link: its two ends", "[HZ-A, SH-A]"),
    F("path", MDL_NAME, path, 0, NULL, "with link: one of its fiber paths, by name", "north"),
    F("pool", MDL_NAME, pool, 0, NULL, "a pool (with datacenter: its cell there)", "app"),
    F("database", MDL_NAME, database, 0, NULL, "a database (with shard: its group holding that shard)", "core"),
    FR("shard", MDL_INT, shard, 0, "-1", -1, 99, "the shard whose group is meant: in the database given, or alone in whichever database holds the users' data in each stage", "37"),
    FEND,
};
#undef ST
static const mdl_schema target_schema = {"target", sizeof(scn_target), target_fields, "What a fault or an action hits: a place of the geography, or a role each stage resolves for itself."};

#define ST scn_fault
static const mdl_field fault_fields[] = {
    F("at", MDL_CLOCK, at, REQ, NULL, "when it starts (clock time)", "00:01:00"),
    FE("kind", kind, REQ, NULL, mdl_fault_kinds, "what fails", "power"),
    {"target", MDL_STRUCT, offsetof(ST, target), REQ | MDL_FLOW, NULL, 0, 0, &target_schema, NULL, 0, "what it hits", NULL},
    FR("duration", MDL_DURATION, duration, FIG, "0s", 0, 1e8, "how long it lasts (or until, or permanent)", "30m"),
    {"until", MDL_NODE, offsetof(ST, until), 0, NULL, 0, 0, NULL, NULL, 0, "when it ends (clock time)", "00:20:00"},
    F("permanent", MDL_BOOL, permanent, 0, "false", "it never ends by itself", "true"),
    FE("generator", generator, 0, "by-probability", mdl_generators, "power: whether the generator starts", "fails"),
    FR("share", MDL_PERCENT, share, FIG, "100%", 0, 100, "racks, pool-share: the part affected", "30%"),
    FR("latency", MDL_DURATION, latency, FIG, "0s", 0, 600, "latency: added one-way latency", "20ms"),
    FR("jitter", MDL_DURATION, jitter, FIG, "0s", 0, 600, "latency: added jitter", "5ms"),
    FR("loss", MDL_PERCENT, loss, FIG, "0%", 0, 100, "loss: messages lost", "2%"),
    FR("bandwidth", MDL_PERCENT, bandwidth, FIG, "100%", 0, 100, "bandwidth: what is left", "10%"),
    FE("mode", mode, 0, "drop", mdl_cut_modes, "isolate, partition: drop messages silently (callers time out) or reject them fast", "reject"),
    {"groups", MDL_NODE, offsetof(ST, groups), 0, NULL, 0, 0, NULL, NULL, 0, "partition: the sides, lists of datacenters or cities", "[[Hangzhou], [Shanghai, Shenzhen]]"},
    FR("error_rate", MDL_PERCENT, error_rate, FIG, "0%", 0, 100, "bad-release: requests failing in the group that got it", "20%"),
    FR("slowdown", MDL_REAL, slowdown, FIG, "1", 1, 10000, "gray, bad-release: service time multiple", "10"),
    F("to_unit", MDL_NAME, to_unit, 0, NULL, "wrong-switch: the unit wrongly sent the target's traffic", "RZ03"),
    FEND,
};
#undef ST
static const mdl_schema fault_schema = {"fault", sizeof(scn_fault), fault_fields, "A fault on the timeline."};

#define ST scn_random
static const mdl_field random_fields[] = {
    FE("component", component, REQ, NULL, mdl_components, "the class of component failing at random", "server"),
    FR("mtbf", MDL_DURATION, mtbf, REQ | FIG, NULL, 1, 1e12, "mean time between failures of one component (exponential)", "730d"),
    {"mttr", MDL_DIST, offsetof(ST, mttr), REQ | FIG, NULL, 0, 0, NULL, NULL, 0, "time to repair", "{lognormal: {mean: 4h, p99: 24h}}"},
    FEND,
};
#undef ST
static const mdl_schema random_schema = {"random_fault", sizeof(scn_random), random_fields, "Random failures of a class of component, by MTBF and MTTR."};

#define ST scn_action
static const mdl_field action_fields[] = {
    {"at", MDL_NODE, offsetof(ST, at), 0, NULL, 0, 0, NULL, NULL, 0, "when (clock time), or use on", "00:03:00"},
    F("on", MDL_NAME, on, 0, NULL, "an event kind of events.csv that triggers it (the first after the start): fault, detect, switch, promote, rollback, repair", "detect"),
    FR("delay", MDL_DURATION, delay, FIG, "0s", 0, 1e8, "after the event", "2m"),
    FE("kind", kind, REQ, NULL, mdl_action_kinds, "the operator's action", "switch-unit"),
    {"target", MDL_STRUCT, offsetof(ST, target), MDL_FLOW, NULL, 0, 0, &target_schema, NULL, 0, "what it acts on", NULL},
    F("to", MDL_NAME, to, 0, NULL, "switch-unit, drain: the datacenter traffic moves to", "SH-A"),
    F("type", MDL_NAME, type, 0, NULL, "degrade, restore: the request type", "query"),
    F("runbook", MDL_NAME, runbook, 0, NULL, "runbook: the stage's runbook the operator starts (from its acknowledgement: they are on it)", "drain-on-batteries"),
    FEND,
};
#undef ST
static const mdl_schema action_schema = {"action", sizeof(scn_action), action_fields, "An operator's action, scripted."};

#define ST scn_caption
static const mdl_field caption_fields[] = {
    {"at", MDL_NODE, offsetof(ST, at), 0, NULL, 0, 0, NULL, NULL, 0, "when (clock time), or use on", "00:01:00"},
    F("on", MDL_NAME, on, 0, NULL, "an event kind that shows it", "detect"),
    F("text", MDL_TEXT, text, REQ, NULL, "the caption; {detect} {switch} {rto} {lost} {rpo} {target} {time} are filled in ({detect} and {switch} in seconds from the incident's impact, negative when before it, as summary.json has them)", "Detected {detect} s after the impact"),
    FR("show_for", MDL_DURATION, show_for, 0, "8s", 0.1, 3600, "how long it stays up", "8s"),
    FEND,
};
#undef ST
static const mdl_schema caption_schema = {"caption", sizeof(scn_caption), caption_fields, "A caption for the live view."};

#define ST scn_training
static const mdl_field training_fields[] = {
    F("brief", MDL_TEXT, brief, 0, NULL, "what the trainee will see, shown before the run starts", "HZ-A loses power at the peak; its batteries last 10 minutes"),
    F("decide", MDL_TEXT, decide, 0, NULL, "what the trainee is to decide", "When do you switch RZ01 and RZ02, and do you promote core before or after?"),
    F("takes", MDL_NAMES, takes, 0, NULL, "the stage's reactions handed to the trainee: unit-switch, promotion, failover, rollback, degradation, failback, runbooks (default: all); each then waits for the trainee's action, with an `alert` event when it is due", "[unit-switch, promotion]"),
    FEND,
};
#undef ST
static const mdl_schema training_schema = {"training", sizeof(scn_training), training_fields, "The live window's training: the trainee takes the operator's seat, and the stage's reactions it names wait for their decisions."};

#define ST scn_override
static const mdl_field override_fields[] = {
    F("stages", MDL_NAMES, stages, 0, NULL, "the stages it applies to (default: all)", "[naive]"),
    F("key", MDL_TEXT, key, REQ, NULL, "a key path: a stage key (databases[core].replication.mode), or one of the geography (geography.datacenters[HZ-A].power.ups) or of the scenario (traffic.curve.points[2].rate); list items by name, [name] or [index]", "databases[core].replication.mode"),
    {"value", MDL_NODE, offsetof(ST, value), REQ, NULL, 0, 0, NULL, NULL, 0, "the value to set, as it would be written in its file", "async"},
    FEND,
};
#undef ST
static const mdl_schema override_schema = {"override", sizeof(scn_override), override_fields, "A change to the stages, their geography or the scenario itself, for this scenario only (a scenario key applies to every stage)."};

#define ST scn_variant
static const mdl_field variant_fields[] = {
    F("name", MDL_NAME, name, REQ, NULL, "its name beside the stages' (results/<scenario>/<name>/)", "unit-async"),
    F("stage", MDL_NAME, stage, REQ, NULL, "the scenario's stage it starts from", "unit"),
    {"set", MDL_NODE, offsetof(ST, set), REQ, NULL, 0, 0, NULL, NULL, 0, "key paths of the stage or its geography, and their values (as in overrides)", "{\"databases[core].replication.mode\": async}"},
    FEND,
};
#undef ST
static const mdl_schema variant_schema = {"variant", sizeof(scn_variant), variant_fields, "A stage run again with settings of its own, as one more column beside the stages, with the same users and arrivals."};

#define ST scn_slo
static const mdl_field slo_fields[] = {
    FR("ratio", MDL_PERCENT, ratio, FIG, "99.9%", 0, 100, "successful / offered requests that count as healthy", "99.9%"),
    FR("window", MDL_DURATION, window, FIG, "10s", 0.001, 86400, "measured over this window", "10s"),
    FR("hold", MDL_DURATION, hold, FIG, "60s", 0, 86400, "recovered once healthy this long", "60s"),
    FEND,
};
#undef ST
static const mdl_schema slo_schema = {"slo", sizeof(scn_slo), slo_fields, "The service level: what recovered means, for RTO and seconds below the SLO."};

#define ST scn_verdict
static const mdl_field verdict_fields[] = {
    FE("expect", metric, REQ, NULL, mdl_metric_names, "the measure", "availability"),
    {"at_least", MDL_NODE, offsetof(ST, at_least), 0, NULL, 0, 0, NULL, NULL, 0, "it must be at least this", "99.99%"},
    {"at_most", MDL_NODE, offsetof(ST, at_most), 0, NULL, 0, 0, NULL, NULL, 0, "it must be at most this", "30s"},
    F("stages", MDL_NAMES, stages, 0, NULL, "the stages it applies to (default: all)", "[unit]"),
    FEND,
};
#undef ST
static const mdl_schema verdict_schema = {"verdict", sizeof(scn_verdict), verdict_fields, "What must hold, per stage: a steady-state hypothesis."};

#define ST scenario
static const mdl_field scenario_fields[] = {
    FR("dcsim", MDL_INT, dcsim, REQ, NULL, 1, 1, "the file format's version", "1"),
    FE("kind", kind, REQ, NULL, mdl_file_kinds, "what the file is", "scenario"),
    F("name", MDL_NAME, name, REQ, NULL, "the scenario's name", "double11-idc-power-loss"),
    F("description", MDL_TEXT, description, 0, NULL, "what it shows, for people", "A datacenter loses power at the peak"),
    {"stages", MDL_NODE, offsetof(ST, stages), 0, NULL, 0, 0, NULL, NULL, 0, "the stages it runs: names (looked up in models/stages/), paths, or stages written inline (default: pure, naive, mature, unit)", "[pure, naive, mature, unit]"},
    F("start", MDL_CLOCK, start, REQ, NULL, "the clock time the run starts at", "23:58:30"),
    FR("warmup", MDL_DURATION, warmup, 0, "30s", 0, 86400, "run first and measured apart, not in the headline figures", "30s"),
    FR("duration", MDL_DURATION, duration, REQ, NULL, 1, 6.3072e9, "the measured part of the run, after the warm-up (up to 200 years, for random failures)", "21m"),
    FR("seed", MDL_INT, seed, 0, "1", 0, 9e15, "the run's seed", "11"),
    FR("scale", MDL_REAL, scale, 0, "0", 0, 1, "the fraction of users it runs at unless the command line gives --scale (0: the command's default)", "1e-4"),
    F("approximate_capacities", MDL_TEXT, approximate_capacities, 0, NULL, "why this scenario may run below the smallest scale that keeps every capacity's total (capacities then round, with a warning in the results, instead of the scale being refused); for questions the capacities do not decide, such as a year of faults at a low load", "a year of faults at 10% of the peak: availability is decided by faults, not queues"),
    FE("timeseries", timeseries, 0, "full", mdl_timeseries_kinds, "the rows of timeseries.csv: full (every unit, request type and cell) or totals (the whole system only, for long runs)", "totals"),
    FR("interval", MDL_DURATION, interval, 0, "1s", 0.001, 86400, "the time-series interval", "1s"),
    FS("slo", slo, 0, slo_schema, "the service level"),
    FS("traffic", traffic, REQ, traffic_schema, "the offered load"),
    FL("faults", faults, 0, fault_schema, "the fault timeline"),
    FL("random_faults", random_faults, 0, random_schema, "random failures by MTBF and MTTR"),
    FL("actions", actions, 0, action_schema, "scripted operator actions"),
    FL("captions", captions, 0, caption_schema, "captions for the live view"),
    FS("training", training, OPT, training_schema, "the live window's trainee: what they see, decide, and which reactions they take over"),
    FL("overrides", overrides, 0, override_schema, "changes to the stages, their geography or the scenario, for this scenario"),
    FL("variants", variants, 0, variant_schema, "stages run again with settings of their own, beside the stages"),
    FL("verdicts", verdicts, 0, verdict_schema, "what must hold"),
    FEND,
};
#undef ST
const mdl_schema mdl_scenario_schema = {"scenario", sizeof(scenario), scenario_fields,
    "An experiment (`scenarios/*.yaml`): stages, traffic, a fault timeline, duration and seed."};
