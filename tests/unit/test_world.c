/* test_world.c -- the world model's mechanisms on small hand-built worlds:
 * a link of constant latency adds exactly its latency, and so do the hops
 * inside a building (in five events a request); a saturated link
 * serves exactly its bandwidth; more concurrency than a connection limit
 * gives "no connection" failures; a tripped breaker fails fast; a retry
 * budget bounds the load a slow database sees; degradation sheds the
 * lowest-priority types; a breaker's window and blue-green's are as long as
 * their files say, whatever the interval; runs are deterministic and seeds
 * matter. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "session_returns.h"
#include "meas_int.h"
#include "sim_file.h"
#include "tiny_world.h"

/* Two datacenters, A (the entry) and B (the only cell), joined by one link. */
static char *two_dc_text(const char *link, const char *pool, const char *db, const char *extra,
                         const char *traffic)
{
    char *buf = malloc(8192);
    snprintf(buf, 8192,
             "dcsim: 1\nkind: scenario\nname: two\n"
             "stages:\n"
             "  - dcsim: 1\n    kind: stage\n    name: two\n"
             "    geography:\n      dcsim: 1\n      kind: geography\n      name: two\n"
             "      cities: [{name: C, lon: 0, lat: 0}]\n"
             "      datacenters: [{name: A, city: C, internal_latency: 0s}, {name: B, city: C, internal_latency: 0s}]\n"
             "      links: [{between: [A, B], %s}]\n"
             "    datacenters: [A, B]\n"
             "    entry: {kind: vip, datacenters: [A], client_latency: 0s}\n"
             "    pools: [{name: app, %s}]\n"
             "    units: [{name: u, cells: [{datacenter: B, pool: app, servers: 1}]}]\n"
             "    databases: [{name: db, holds: [user, global], %s, groups: [{primary: B}]}]\n"
             "%s"
             "start: \"00:00:00\"\nwarmup: 0s\nduration: 100s\n"
             "traffic:\n  users: 1M\n%s",
             link, pool, db, extra, traffic);
    return buf;
}

static void run_all(mdl_world *w) { assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0); }

/* Most of the run's requests succeeded, and every success took `ns`. */
static void every_success_took(const mdl_world *w, double ns)
{
    mdl_headline h;
    mdl_world_headline(w, &h);
    assert_true(h.succeeded > 900);
    sim_hist all;
    sim_hist_clear(&all);
    for (int t = 0; t < w->n_types; t++)
        sim_hist_merge(&all, &w->measure->total.lat[t]);
    if (all.sum_ns != ns * (double)all.total)
        fail_msg("successes took %.1f ns on average, not %.1f", all.sum_ns / (double)all.total, ns);
}

/* Runs the scenario `text` for 100 s: every success took `ns`, and the
 * run cost at most five events an attempt, beside its own (a tick a
 * second). */
static void takes_exactly_in_five_events(const char *text, double ns)
{
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 5);
    run_all(w);
    every_success_took(w, ns);
    double attempts = mdl_world_attempts(w), fired = (double)sim_engine_events_fired(mdl_world_engine(w));
    print_message("%.0f attempts, %.0f events: %.2f a request\n", attempts, fired, fired / attempts);
    assert_true(fired <= 5 * attempts + 200);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void a_link_of_constant_latency_adds_exactly_its_latency(void **state)
{
    (void)state;
    char *text = two_dc_text("paths: [{latency: 5ms, bandwidth: 100Tbit/s}]",
                             "workers: 1000, service_time: {job: 1ms}", "read: 1ms",
                             "",
                             "  curve: {points: [{at: \"00:00:00\", rate: 10/s}]}\n"
                             "  types: [{name: job, share: 100%}]\n");
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 3);
    run_all(w);
    /* 5 ms out, 1 ms of service, 5 ms back: every request takes 11 ms. */
    every_success_took(w, 11e6);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

/* Inside one building, every hop counts in a request's latency though the
 * model takes the user's way to the entry and a call's hops inside the
 * building without an event of their own (models/README.md, "A request's
 * events"): 10 ms to the entry, 0.25 ms to the server, 1 ms of service,
 * two calls of 0.25 + 1 + 0.25 ms, 0.25 ms back through the entry and 10 ms
 * to the user is 24.5 ms exactly, in five events (arrival, end of service,
 * end of each call, the answer at real time) where it took nine. */
static void hops_inside_a_building_count_in_latency_and_cost_no_events(void **state)
{
    (void)state;
    const char *text =
        "dcsim: 1\nkind: scenario\nname: hops\n"
        "stages:\n"
        "  - dcsim: 1\n    kind: stage\n    name: hops\n"
        "    geography:\n      dcsim: 1\n      kind: geography\n      name: one\n"
        "      cities: [{name: C, lon: 0, lat: 0}]\n"
        "      datacenters: [{name: A, city: C, internal_latency: 250us}]\n"
        "    datacenters: [A]\n"
        "    entry: {kind: vip, datacenters: [A], client_latency: 10ms}\n"
        "    pools: [{name: app, workers: 1000, service_time: {job: 1ms}}]\n"
        "    units: [{name: u, cells: [{datacenter: A, pool: app, servers: 1}]}]\n"
        "    databases: [{name: db, holds: [user, global], read: 1ms, groups: [{primary: A}]}]\n"
        "start: \"00:00:00\"\nwarmup: 0s\nduration: 100s\n"
        "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 10/s}]}\n"
        "  types: [{name: job, share: 100%, calls: [{data: user, op: read}, {data: global, op: read}]}]\n";
    takes_exactly_in_five_events(text, 24.5e6);
}

/* A quorum write's commit waits for its copy's round trip, then its answer
 * crosses the building: the wait counts as a hop skipped does (the
 * request's work runs ahead of real time by it), so a write and a read
 * cost one event each, the answer one more, and the latency is exact: 10
 * ms to the entry, 0.25 to the server, 1 of service, 0.25 + 1 ms of write
 * + 2 + 2 ms to the nearer copy (B; the majority of three is two) and
 * back + 0.25, then 0.25 + 1 + 0.25 for the read, 0.25 to the entry and 10
 * to the user: 28.5 ms. */
static void a_quorum_commit_waits_in_latency_and_costs_no_event(void **state)
{
    (void)state;
    const char *text =
        "dcsim: 1\nkind: scenario\nname: quorum\n"
        "stages:\n"
        "  - dcsim: 1\n    kind: stage\n    name: quorum\n"
        "    geography:\n      dcsim: 1\n      kind: geography\n      name: two\n"
        "      cities: [{name: C, lon: 0, lat: 0}]\n"
        "      datacenters: [{name: A, city: C, internal_latency: 250us}, {name: B, city: C, internal_latency: 250us},\n"
        "                    {name: D, city: C, internal_latency: 250us}]\n"
        "      links: [{between: [A, B], paths: [{latency: 2ms, bandwidth: 100Tbit/s}]},\n"
        "              {between: [A, D], paths: [{latency: 5ms, bandwidth: 100Tbit/s}]},\n"
        "              {between: [B, D], paths: [{latency: 5ms, bandwidth: 100Tbit/s}]}]\n"
        "    datacenters: [A, B, D]\n"
        "    entry: {kind: vip, datacenters: [A], client_latency: 10ms}\n"
        "    pools: [{name: app, workers: 1000, service_time: {job: 1ms}}]\n"
        "    units: [{name: u, cells: [{datacenter: A, pool: app, servers: 1}]}]\n"
        "    databases: [{name: db, holds: [user, global], read: 1ms, write: 1ms,\n"
        "                 replication: {mode: quorum}, groups: [{primary: A, replicas: [B, D]}]}]\n"
        "start: \"00:00:00\"\nwarmup: 0s\nduration: 100s\n"
        "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 10/s}]}\n"
        "  types: [{name: job, share: 100%, calls: [{data: user, op: write}, {data: user, op: read}]}]\n";
    takes_exactly_in_five_events(text, 28.5e6);
}

/* Connections given back at their own times (session_returns.c): lags
 * of seven kinds, more than its FIFO lanes, so some go to its heap, added
 * as time moves on; at every moment it must give back exactly the returns
 * due by then, counted against the list of every one added. */
static void connection_returns_come_back_exactly_when_due(void **state)
{
    (void)state;
    enum { ADDS = 5000 };
    static sim_time at[ADDS];
    static const sim_time lags[] = {500, 3500, 4000, 250, 7000, 1200, 90};
    session_returns q = {0};
    size_t added = 0, taken = 0;
    sim_time now = 0;
    for (int i = 0; i < ADDS; i++) {
        now += 37 + (i % 5) * 11;
        size_t due = 0;
        for (size_t k = 0; k < added; k++)
            due += at[k] <= now;
        taken += session_returns_take_due(&q, now);
        assert_int_equal(taken, due);
        sim_time lag = lags[(i * 7 + i / 13) % 7];
        at[added++] = now + lag;
        assert_int_equal(session_returns_add(&q, now, lag), 0);
    }
    taken += session_returns_take_due(&q, now + 10000);
    assert_int_equal(taken, ADDS);
    assert_int_equal(session_returns_take_due(&q, now + 20000), 0);
    session_returns_free(&q);
}

static void a_saturated_link_serves_exactly_its_bandwidth(void **state)
{
    (void)state;
    /* 8 Mbit/s carries 1 MB/s: 100 requests of 10 kB a second, of 300 offered. */
    char *text = two_dc_text("paths: [{latency: 1ms, bandwidth: 8Mbit/s}], buffer: 100ms",
                             "workers: 1000, service_time: {job: 1ms}", "read: 1ms", "",
                             "  curve: {points: [{at: \"00:00:00\", rate: 300/s}]}\n"
                             "  types: [{name: job, share: 100%, request_size: 10kB}]\n"
                             "  client: {timeout: 10s, retries: 0}\n");
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 4);
    run_all(w);
    double served = (double)w->cells[0]->arrived / 100;
    print_message("saturated link: %.2f requests/s arrived (bandwidth allows 100/s)\n", served);
    assert_true(fabs(served - 100) < 0.5);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

static const char *one_read =
    "  types: [{name: job, share: 100%, calls: [{data: user, op: read}]}]\n";

static void more_concurrency_than_the_connection_limit_gives_no_connection(void **state)
{
    (void)state;
    char traffic[512];
    snprintf(traffic, sizeof traffic, "  curve: {points: [{at: \"00:00:00\", rate: 200/s}]}\n%s"
             "  client: {timeout: 10s, retries: 0}\n", one_read);
    char *text = two_dc_text("paths: [{latency: 100us}]", "workers: 1000, service_time: {job: 1ms}",
                             "connections: 5, workers: 5, read: 100ms", "", traffic);
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 5);
    run_all(w);
    mdl_headline h;
    mdl_world_headline(w, &h);
    /* 200/s x 100 ms = 20 calls want to be in flight; 5 may. */
    w_group *g = &w->dbs[0].groups[0];
    assert_int_equal(g->max_sessions, 5);
    assert_true(h.by_reason[2] > 0.5 * h.offered); /* no_connection */
    assert_true(h.succeeded > 0.2 * h.offered && h.succeeded < 0.3 * h.offered);
    /* Every failure is the stage's own overload: nothing broke. */
    assert_true(fabs(h.by_cause[FAIL_OVERLOAD] - h.failed) < 1e-6 && h.by_cause[FAIL_FAULT] == 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

/* 200 reads a second, each holding its connection for its 10 ms read and
 * the two 1 ms hops inside B it skipped (given back late, through
 * session_returns), with `connections` allowed: the most ever in use, and
 * the reads refused. */
static int peak_connections(int connections, double *refused)
{
    char traffic[512], db[128];
    snprintf(traffic, sizeof traffic, "  curve: {points: [{at: \"00:00:00\", rate: 200/s}]}\n%s"
             "  client: {timeout: 10s, retries: 0}\n", one_read);
    snprintf(db, sizeof db, "connections: %d, workers: 1000, read: 10ms", connections);
    char *text = two_dc_text("paths: [{latency: 100us}]", "workers: 1000, service_time: {job: 1ms}", db, "", traffic);
    text = tiny_replace(text, "{name: B, city: C, internal_latency: 0s}", "{name: B, city: C, internal_latency: 1ms}");
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 6);
    run_all(w);
    mdl_headline h;
    mdl_world_headline(w, &h);
    *refused = h.by_reason[2]; /* no_connection */
    int peak = w->dbs[0].groups[0].max_sessions;
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
    return peak;
}

/* Connections given back late are counted when the count could decide
 * (db_call.c takes the returns due only at the most ever used): about
 * 2.4 in use on average, a peak of a few more, never refused with room
 * to spare; the peak is the true one, as a limit one below it refuses
 * and a limit at it does not. */
static void connections_given_back_late_are_counted_before_the_limit_decides(void **state)
{
    (void)state;
    double refused;
    int peak = peak_connections(40, &refused);
    print_message("late returns: peak %d connections in use, %.0f refused with 40 allowed\n", peak, refused);
    assert_true(refused == 0);
    assert_true(peak >= 4 && peak <= 20);
    double at_peak, below;
    assert_int_equal(peak_connections(peak, &at_peak), peak);
    assert_int_equal(peak_connections(peak - 1, &below), peak - 1);
    print_message("late returns: %.0f refused with %d allowed, %.0f with %d\n", at_peak, peak, below, peak - 1);
    assert_true(at_peak == 0);
    assert_true(below > 0);
}

static void a_tripped_breaker_fails_fast(void **state)
{
    (void)state;
    char traffic[512];
    snprintf(traffic, sizeof traffic, "  curve: {points: [{at: \"00:00:00\", rate: 200/s}]}\n%s"
             "  client: {timeout: 10s, retries: 0}\n", one_read);
    const char *breaker = "    protections: {breaker: {error_threshold: 50%, window: 10s, min_requests: 20, open_for: 5s}}\n";
    /* The same overloaded database as above, now behind a breaker. */
    char *text = two_dc_text("paths: [{latency: 100us}]", "workers: 1000, service_time: {job: 1ms}",
                             "connections: 5, workers: 5, read: 100ms", breaker, traffic);
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 5);
    run_all(w);
    mdl_headline h;
    mdl_world_headline(w, &h);
    w_group *g = &w->dbs[0].groups[0];
    print_message("breaker: %.0f failed fast of %.0f offered; the database saw %llu calls\n",
                  h.by_reason[7], h.offered, (unsigned long long)g->calls_arrived);
    assert_true(h.by_reason[7] > 0.5 * h.offered); /* breaker_open */
    /* The breaker opened on an overloaded database: its failures are overload. */
    assert_true(fabs(h.by_cause[FAIL_OVERLOAD] - h.failed) < 1e-6);
    /* Open most of the time, it lets through far fewer calls than arrive. */
    assert_true((double)g->calls_arrived < 0.35 * h.offered);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

/* Users affected are set a few failures late (metrics.c): whenever a run
 * returns, every user who has failed is counted. Every attempt times out,
 * 20 a second among 100M simulated users: the failed users are as many as
 * the failures (two of the same user: one chance in 50,000);
 * counts are at full scale, ten for each. */
static void every_failed_user_counts_whenever_the_run_returns(void **state)
{
    (void)state;
    char traffic[512];
    snprintf(traffic, sizeof traffic, "  curve: {points: [{at: \"00:00:00\", rate: 200/s}]}\n%s"
             "  client: {timeout: 100ms, retries: 0}\n", one_read);
    char *text = two_dc_text("paths: [{latency: 100us}]", "workers: 1000, service_time: {job: 1ms}",
                             "connections: 100000, workers: 100000, read: 1s", "", traffic);
    char *users = strstr(text, "users: 1M");
    assert_non_null(users);
    memcpy(users, "users: 1G", 9); /* then scaled to 100M */
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 0.1, 7);
    for (int second = 1; second <= 3; second++) {
        assert_int_equal(mdl_world_run(w, second * SIM_SEC, NULL, NULL), 1);
        mdl_headline h;
        mdl_world_headline(w, &h);
        assert_true(h.failed > 100 * second); /* counted at full scale: 200/s */
        if (h.users_affected < h.failed - 10 || h.users_affected > h.failed) /* one user of slack */
            fail_msg("after %d s: %.0f users affected by %.0f failures", second, h.users_affected, h.failed);
    }
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

/* A database so slow that every attempt times out; clients retry 3 times. */
static double calls_per_request(const char *budget)
{
    char traffic[512];
    snprintf(traffic, sizeof traffic, "  curve: {points: [{at: \"00:00:00\", rate: 100/s}]}\n%s"
             "  client: {timeout: 100ms, retries: 3, backoff: 10ms, jitter: 0%%}\n", one_read);
    char *text = two_dc_text("paths: [{latency: 100us}]", "workers: 1000, service_time: {job: 1ms}",
                             "connections: 100000, workers: 100000, read: 1s", budget, traffic);
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 6);
    run_all(w);
    mdl_headline h;
    mdl_world_headline(w, &h);
    double ratio = (double)w->dbs[0].groups[0].calls_arrived / h.offered;
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
    return ratio;
}

static void a_retry_budget_bounds_the_load_a_slow_database_sees(void **state)
{
    (void)state;
    double without = calls_per_request("");
    double with = calls_per_request("    protections: {retry_budget: {ratio: 10%, window: 10s}}\n");
    print_message("calls per request: %.2f without a budget, %.2f with a 10%% budget\n", without, with);
    assert_true(without > 3.9);          /* every attempt: 1 + 3 retries */
    assert_true(with < 1.11 && with > 1.05); /* retries held to 10% of first tries */
}

/* 400 reads/s of 100 ms need 40 database workers; 25 serve 250/s, and a
 * backlog of calls whose clients gave up keeps the database busy. */
static double degradation_run(const char *protections, double *pay_success)
{
    const char *traffic =
        "  curve: {points: [{at: \"00:00:00\", rate: 400/s}]}\n"
        "  types: [{name: pay, share: 50%, calls: [{data: user, op: read}]},\n"
        "          {name: query, share: 50%, priority: 3, calls: [{data: user, op: read}]}]\n"
        "  client: {timeout: 2s, retries: 0}\n";
    char *text = two_dc_text("paths: [{latency: 100us}]", "workers: 1000, service_time: {pay: 1ms, query: 1ms}",
                             "connections: 100000, workers: 25, read: 100ms", protections, traffic);
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 8);
    run_all(w);
    mdl_headline h;
    mdl_world_headline(w, &h);
    *pay_success = (double)w->measure->total.c[0 * M_COUNT + M_SUCCEEDED] / (double)w->measure->total.c[0 * M_COUNT + M_OFFERED];
    print_message("degradation %s: shed %.0f of %.0f, availability %.3f, pay %.3f\n",
                  protections[0] ? "on" : "off", h.by_reason[CAUSE_SHED], h.offered, h.availability, *pay_success);
    double shed_share = h.by_reason[CAUSE_SHED] / h.offered;
    /* Shed by design, told apart from the overload that made it shed. */
    assert_true(fabs(h.by_cause[FAIL_SHED] - h.by_reason[CAUSE_SHED]) < 1e-6);
    assert_true(fabs(h.by_cause[FAIL_OVERLOAD] + h.by_cause[FAIL_SHED] - h.failed) < 1e-6);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
    return shed_share;
}

static void degradation_sheds_the_listed_types_first(void **state)
{
    (void)state;
    double pay_off, pay_on;
    assert_true(degradation_run("", &pay_off) == 0);
    double shed = degradation_run(
        "    protections: {degradation: {shed: [query], success_below: 95%, after: 5s, restore_after: 600s}}\n",
        &pay_on);
    /* Without it the backlog takes everything down; with it query is shed
     * (about half of the load, from seconds after the start) and pay
     * recovers once the backlog drains. */
    assert_true(pay_off < 0.2);
    assert_true(shed > 0.4 && shed < 0.5);
    assert_true(pay_on > 0.5);
}

/* ==== Determinism ==== */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    buf[got] = '\0';
    fclose(f);
    return buf;
}

/* A database that holds its one connection 10 s per call: at one call a
 * second, nine in ten fail at once with "no connection". A breaker needing
 * 100 calls in its window can open only if its window holds more than 100
 * seconds of calls: with a 120 s window it opens, with 60 s it cannot.
 * (Windows were once cut at 63 s, and the first never opened.) */
static double breaker_failures(const char *window)
{
    char traffic[512];
    snprintf(traffic, sizeof traffic, "  curve: {points: [{at: \"00:00:00\", rate: 1/s}]}\n%s"
             "  client: {timeout: 30s, retries: 0}\n", one_read);
    char breaker[256];
    snprintf(breaker, sizeof breaker,
             "    protections: {breaker: {error_threshold: 50%%, window: %s, min_requests: 100, open_for: 5s}}\n", window);
    char *text = two_dc_text("paths: [{latency: 100us}]", "workers: 1000, service_time: {job: 1ms}",
                             "connections: 1, workers: 1, read: 10s", breaker, traffic);
    char *longer = strstr(text, "duration: 100s");
    memcpy(longer, "duration: 300s", 14);
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 11);
    run_all(w);
    mdl_headline h;
    mdl_world_headline(w, &h);
    print_message("breaker window %s: %.0f of %.0f failed fast, %.0f without a connection\n", window,
                  h.by_reason[CAUSE_BREAKER_OPEN], h.offered, h.by_reason[CAUSE_NO_CONNECTION]);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
    return h.by_reason[CAUSE_BREAKER_OPEN];
}

static void a_breaker_counts_a_window_longer_than_a_minute(void **state)
{
    (void)state;
    assert_true(breaker_failures("120s") > 10);
    assert_true(breaker_failures("60s") == 0);
}

/* Blue-green over a 60 s window judged at 10 s intervals: half the servers
 * are green; at 00:05:00 a release failing every request reaches them. The
 * window holds six intervals, so the green group's error rate passes 50%
 * with the fourth bad interval (the third at the earliest, by chance):
 * detection between 30 and 40 s after the release. (Read as one call a
 * second over a ring of seconds, the window held stale intervals of up to
 * five minutes and detection came minutes late.) */
static void blue_green_judges_its_window_in_intervals(void **state)
{
    (void)state;
    const char *text =
        "dcsim: 1\nkind: scenario\nname: bg\n"
        "stages:\n"
        "  - dcsim: 1\n    kind: stage\n    name: bg\n"
        "    geography:\n      dcsim: 1\n      kind: geography\n      name: one\n"
        "      cities: [{name: C, lon: 0, lat: 0}]\n"
        "      datacenters: [{name: A, city: C, internal_latency: 0s}]\n"
        "    datacenters: [A]\n"
        "    entry: {kind: vip, datacenters: [A], client_latency: 0s}\n"
        "    pools: [{name: app, workers: 1000, service_time: {job: 1ms}}]\n"
        "    units: [{name: u, cells: [{datacenter: A, pool: app, servers: 10, green: 50%}]}]\n"
        "    databases: [{name: db, holds: [user, global], groups: [{primary: A}]}]\n"
        "    blue_green: {error_threshold: 50%, window: 60s, min_requests: 100, rollback_delay: 10s}\n"
        "start: \"00:00:00\"\nwarmup: 0s\nduration: 600s\ninterval: 10s\n"
        "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 100/s}]}\n"
        "  types: [{name: job, share: 100%}]\n  client: {timeout: 10s, retries: 0}\n"
        "faults:\n  - {at: \"00:05:00\", kind: bad-release, target: {pool: app}, error_rate: 100%, permanent: true}\n";
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 12);
    run_all(w);
    double detected = -1, rolled_back = -1;
    for (size_t i = 0; i < mdl_world_events(w); i++) {
        const mdl_event_row *row = mdl_world_event(w, i);
        if (row->kind == EV_DETECT && detected < 0)
            detected = sim_time_to_seconds(row->t);
        if (row->kind == EV_ROLLBACK)
            rolled_back = sim_time_to_seconds(row->t);
    }
    print_message("blue-green at 10 s intervals: release at 300 s, detected at %.0f s, rolled back at %.0f s\n",
                  detected, rolled_back);
    assert_true(detected >= 330 && detected <= 340);
    assert_true(rolled_back == detected + 10);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void run_to(const char *dir, uint64_t seed)
{
    char *text = read_file("scenarios/double11-idc-power-loss.yaml");
    char *d = strstr(text, "duration: 21m");
    assert_non_null(d);
    memcpy(d, "duration: 3m ", 13);
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_text("scenarios/double11-idc-power-loss.yaml", text, strlen(text), &cfg, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    for (size_t s = 0; s < cfg->n_stages; s++) {
        mdl_world *w;
        char err[256], sub[512], series[600];
        snprintf(sub, sizeof sub, "%s/%s", dir, cfg->stages[s]->name);
        assert_int_equal(sim_mkdirs(sub), SIM_OK);
        snprintf(series, sizeof series, "%s/timeseries.csv", sub);
        mdl_run_options opt = {0.002, seed, 1, SIM_QUEUE_DEFAULT, series};
        assert_int_equal(mdl_world_create(cfg, s, &opt, &w, err, sizeof err), SIM_OK);
        assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
        assert_int_equal(mdl_world_write(w, sub, 1.0, "test"), SIM_OK);
        mdl_world_destroy(w);
    }
    mdl_config_free(cfg);
    free(text);
}

static int same_file(const char *a, const char *b)
{
    char *x = read_file(a), *y = read_file(b);
    int same = strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

static void same_seed_same_bytes_other_seed_other_results(void **state)
{
    (void)state;
    char base[] = "/tmp/dcsim-det-XXXXXX";
    assert_non_null(mkdtemp(base));
    char a[600], b[600], c[600];
    snprintf(a, sizeof a, "%s/a", base);
    snprintf(b, sizeof b, "%s/b", base);
    snprintf(c, sizeof c, "%s/c", base);
    run_to(a, 11);
    run_to(b, 11);
    run_to(c, 12);
    const char *stages[] = {"pure", "naive", "mature", "unit"};
    const char *files[] = {"summary.json", "timeseries.csv", "events.csv"};
    for (int s = 0; s < 4; s++)
        for (int f = 0; f < 3; f++) {
            char pa[700], pb[700], pc[700];
            snprintf(pa, sizeof pa, "%s/%s/%s", a, stages[s], files[f]);
            snprintf(pb, sizeof pb, "%s/%s/%s", b, stages[s], files[f]);
            snprintf(pc, sizeof pc, "%s/%s/%s", c, stages[s], files[f]);
            if (!same_file(pa, pb))
                fail_msg("%s differs between two runs with the same seed", pa);
            if (f < 2 && same_file(pa, pc))
                fail_msg("%s is the same with another seed", pa);
        }
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_link_of_constant_latency_adds_exactly_its_latency),
        cmocka_unit_test(every_failed_user_counts_whenever_the_run_returns),
        cmocka_unit_test(a_saturated_link_serves_exactly_its_bandwidth),
        cmocka_unit_test(hops_inside_a_building_count_in_latency_and_cost_no_events),
        cmocka_unit_test(a_quorum_commit_waits_in_latency_and_costs_no_event),
        cmocka_unit_test(connection_returns_come_back_exactly_when_due),
        cmocka_unit_test(more_concurrency_than_the_connection_limit_gives_no_connection),
        cmocka_unit_test(connections_given_back_late_are_counted_before_the_limit_decides),
        cmocka_unit_test(a_tripped_breaker_fails_fast),
        cmocka_unit_test(a_retry_budget_bounds_the_load_a_slow_database_sees),
        cmocka_unit_test(degradation_sheds_the_listed_types_first),
        cmocka_unit_test(a_breaker_counts_a_window_longer_than_a_minute),
        cmocka_unit_test(blue_green_judges_its_window_in_intervals),
        cmocka_unit_test(same_seed_same_bytes_other_seed_other_results),
    };
    return cmocka_run_group_tests_name("world", tests, NULL, NULL);
}
