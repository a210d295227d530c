/* test_mechanisms.c -- the mechanisms operators run, each against a
 * hand-worked case on the three-datacenter world: in-band routing through
 * gateways (clients move to their next address after the connect timeout
 * and remember it; a unit switch takes effect at the registry's push, not
 * when DNS caches expire); leaders that follow their unit; semi-synchronous
 * replication falling back to asynchronous and resuming; runbooks, their
 * phases and per-item steps; the power alarm and a policy acting on it; a
 * breaker trip; degradation that sheds only for overload; a detour that
 * loads the links it rides; a unit failing back home after the hold; a
 * quorum's commit and a read from the nearest copy following the copies
 * and links as they change. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "three_dc.h"

/* Cells in A and B sharing the users, the database in C; the gateway in A
 * dies at 10 s for good. */
static mdl_world *gateway_a_dies(const char *users, mdl_config **cfg)
{
    char rest[2048];
    snprintf(rest, sizeof rest,
             "duration: 40s\n"
             "traffic:\n  users: %s\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}]}\n"
             "  types: [{name: w, share: 100%%, calls: [{data: user, op: write}]}]\n"
             "  client: {timeout: 1s, retries: 0}\n"
             "faults:\n  - {at: \"00:00:10\", kind: balancer, target: {datacenter: A}, permanent: true}\n",
             users);
    char *text = three_dc("{datacenter: A, pool: app, servers: 4, share: 50%}, {datacenter: B, pool: app, servers: 4, share: 50%}",
                          "groups: [{primary: C}]",
                          "{kind: gateway, datacenters: [A, B], endpoints: 2, connect_timeout: 200ms, routing: spread, client_latency: 0s}",
                          rest);
    return run_text(text, cfg);
}

/* Half the users hold A's gateway first. With a million users nearly every
 * request is its user's first since the fault: it waits the 200 ms connect
 * timeout, then B's gateway serves it well inside the 1 s timeout. Nothing
 * fails, and the slowest requests take 200 ms more. With a hundred users
 * each learns at its first request and goes to B straight from then on. */
static void gateway_clients_move_to_their_next_address_after_the_connect_timeout(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = gateway_a_dies("1M", &cfg);
    const mdl_series *s = mdl_world_series(w);
    for (size_t i = 0; i < s->n; i++) {
        const mdl_series_point *p = &s->p[i];
        assert_true(p->failed == 0);
        if (p->t < 9)
            assert_true(p->p99 < 0.05);
        if (p->t >= 11 && p->t < 39) {
            assert_true(p->p99 >= 0.2 && p->p99 < 0.25);
            assert_true(p->succeeded > 900);
        }
    }
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    w = gateway_a_dies("100", &cfg);
    s = mdl_world_series(w);
    for (size_t i = 0; i < s->n; i++) {
        const mdl_series_point *p = &s->p[i];
        assert_true(p->failed == 0);
        if (p->t >= 12 && p->t < 39) /* every user has had a request since 10 s */
            assert_true(p->p99 < 0.05);
    }
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* The unit lives in A with its standby in B; A goes dark for good at 10 s.
 * The registry (in C) misses 3 heartbeats of 1 s, the switch pushes the
 * new mapping in 1 s: switched by 14 s. */
static mdl_world *unit_home_goes_dark(const char *entry, mdl_config **cfg)
{
    const char *rest = "duration: 70s\n" THREE_DC_WRITES
                       "faults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, permanent: true}\n";
    char *text = three_dc_stage("{datacenter: A, pool: app, servers: 4}, {datacenter: B, pool: app, servers: 4, standby: true}",
                                "groups: [{primary: C}]", entry,
                                "    registry: {datacenters: [C], heartbeat: 1s, threshold: 3, push_delay: 1s}\n"
                                "    unit_switch: {trigger: automatic, push_delay: 1s}\n",
                                rest);
    return run_text(text, cfg);
}

static double last_failure(const mdl_world *w)
{
    const mdl_series *s = mdl_world_series(w);
    double last = -1;
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].failed > 0)
            last = s->p[i].t;
    return last;
}

/* Through DNS (TTL 30 s) users keep the dead answer until their cache
 * expires: failures go on until the switch plus up to the TTL. Through
 * gateways the clients' connect timeout takes them to B, whose gateway
 * routes by the pushed mapping: failures stop at the switch plus the
 * client's 1 s timeout. */
static void a_gateway_switch_does_not_wait_for_the_dns_ttl(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = unit_home_goes_dark("{kind: gateway, datacenters: [A, B], connect_timeout: 200ms, routing: by-unit, client_latency: 0s}", &cfg);
    double switched = event_time(w, "switch", 0), last = last_failure(w);
    print_message("gateway: switched at %.2f s, last failure in the interval at %.0f s\n", switched, last);
    assert_true(switched >= 12 && switched <= 14.01);
    assert_true(last >= 10 && last <= switched + 1);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    w = unit_home_goes_dark("{kind: dns, datacenters: [A, B], ttl: 30s, routing: by-unit, client_latency: 0s, "
                            "health_check: {interval: 2s, threshold: 2, timeout: 1s}}",
                            &cfg);
    double dns_switched = event_time(w, "switch", 0), dns_last = last_failure(w);
    print_message("dns: switched at %.2f s, last failure in the interval at %.0f s (TTL 30 s)\n", dns_switched, dns_last);
    assert_true(dns_last >= dns_switched + 0.9 * 30 - 1);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* A unit in A (standby in B) and its group's copies in A (leader), C and B,
 * majority quorum; A goes dark for good at 10 s. The copies elect C after
 * the 2 s lease and 1 s election (C is listed first of the equals); the
 * registry finds the cell gone by 13 s; the switch waits for the live
 * leader and, when the leader follows its unit, hands it to B (catch-up of
 * about a millisecond and the 500 ms handover) while writes are
 * forbidden, then pushes the mapping in 1 s. */
static mdl_world *unit_with_a_quorum_group(const char *follow, const char *dark, const char *failback, mdl_config **cfg)
{
    char rest[2048], switch_keys[512];
    snprintf(rest, sizeof rest,
             "duration: 90s\n%sfaults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, %s}\n",
             THREE_DC_WRITES, dark);
    snprintf(switch_keys, sizeof switch_keys,
             "    registry: {datacenters: [C], heartbeat: 1s, threshold: 3, push_delay: 1s}\n"
             "    unit_switch: {trigger: automatic, push_delay: 1s, %s}\n",
             failback);
    char db[512];
    snprintf(db, sizeof db,
             "replication: {mode: quorum}, promotion: {mode: automatic, lease: 2s, election: 1s, follow_unit: %s, handover: 500ms}, "
             "groups: [{primary: A, replicas: [C, B]}]",
             follow);
    char *text = three_dc_stage("{datacenter: A, pool: app, servers: 4}, {datacenter: B, pool: app, servers: 4, standby: true}", db,
                                "{kind: gateway, datacenters: [A, B], connect_timeout: 200ms, routing: by-unit, client_latency: 0s}",
                                switch_keys, rest);
    return run_text(text, cfg);
}

/* Mean of one figure of the series points (its offset in
 * mdl_series_point) over [from, to) of run time. */
static double series_mean(const mdl_world *w, double from, double to, size_t figure)
{
    const mdl_series *s = mdl_world_series(w);
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].t >= from && s->p[i].t < to) {
            sum += *(const double *)((const char *)&s->p[i] + figure);
            n++;
        }
    return n ? sum / n : 0;
}

/* Mean cross-datacenter calls per second over [from, to) of run time. */
static double cross_dc_calls(const mdl_world *w, double from, double to)
{
    return series_mean(w, from, to, offsetof(mdl_series_point, cross_dc_calls));
}

static void leaders_follow_their_unit_and_nothing_acknowledged_is_lost(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = unit_with_a_quorum_group("true", "permanent: true", "failback: none", &cfg);
    double promoted = event_time(w, "promote", 0), handed = event_time(w, "handover", 0),
           switched = event_time(w, "switch", 0);
    print_message("follows: elected at %.3f s, handed over at %.3f s, switched at %.3f s; cross-DC calls/s before %.0f, "
                  "after %.0f; %.0f writes lost\n",
                  promoted, handed, switched, cross_dc_calls(w, 0, 9), cross_dc_calls(w, switched + 1, 90),
                  (double)w->lost_writes);
    assert_true(fabs(promoted - 13) < 1e-6);
    /* The switch looks for a live leader every 100 ms; then the catch-up
     * (about 1 ms) and the 500 ms handover; at its next look, the push. */
    assert_true(handed >= promoted + 0.5 && handed <= promoted + 0.5 + 0.1 + 0.01);
    assert_true(switched >= handed + 1 && switched <= handed + 1 + 0.1 + 1e-6);
    assert_true(cross_dc_calls(w, 0, 9) == 0);
    assert_true(cross_dc_calls(w, switched + 1, 90) == 0);
    assert_int_equal(w->lost_writes, 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* Without it the leader stays in C and every write crosses cities. */
    w = unit_with_a_quorum_group("false", "permanent: true", "failback: none", &cfg);
    switched = event_time(w, "switch", 0);
    print_message("stays: switched at %.3f s, cross-DC calls/s after %.0f\n", switched, cross_dc_calls(w, switched + 1, 90));
    assert_true(event_time(w, "handover", 0) < 0);
    assert_true(cross_dc_calls(w, switched + 1, 90) > 900);
    assert_int_equal(w->lost_writes, 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* The app and the primary in A, a semi-synchronous replica in B (10 s
 * timeout); B is cut off from 10 s to 40 s; the primary dies for good at
 * `death` and a human promotes B at once. Clients wait up to 15 s. */
static mdl_world *semi_sync_cut(const char *death, mdl_config **cfg)
{
    char rest[2048];
    snprintf(rest, sizeof rest,
             "duration: 60s\n"
             "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}]}\n"
             "  types: [{name: w, share: 100%%, calls: [{data: user, op: write}]}]\n"
             "  client: {timeout: 15s, retries: 0}\n"
             "faults:\n"
             "  - {at: \"00:00:10\", kind: isolate, target: {datacenter: B}, duration: 30s}\n"
             "  - {at: \"%s\", kind: db-primary, target: {database: db}, permanent: true}\n",
             death);
    char *text = three_dc("{datacenter: A, pool: app, servers: 20}", /* workers for 10 s of waiting commits */
                          "replication: {mode: semi-sync, timeout: 10s, shipping: 0s, applying: 0s}, "
                          "promotion: {mode: manual, detect: 0s, response: 0s}, groups: [{primary: A, replicas: [B]}]",
                          "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    return run_text(text, cfg);
}

/* From 10 s no replica acknowledges: commits wait for the timeout, and at
 * 20 s the primary continues asynchronously (the waiting commits then
 * complete). B received nothing after 10 s: promoted at 30 s it lacks
 * every write acknowledged since, 20 s at 1000/s, RPO 20 s. Promoted at
 * 50 s instead, after B was back at 40 s and semi-sync resumed, it lacks
 * none. */
static void semi_sync_falls_back_after_the_timeout_and_resumes(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = semi_sync_cut("00:00:30", &cfg);
    double fell_back = event_time(w, "replication", 0), lost = (double)w->lost_writes;
    const mdl_series *s = mdl_world_series(w);
    double slowest = 0; /* the waiting commits all answer at 20 s */
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].t >= 10 && s->p[i].t < 21 && s->p[i].p99 > slowest)
            slowest = s->p[i].p99;
    print_message("semi-sync cut at 10 s: fell back at %.3f s, slowest commit %.2f s; primary lost at 30 s: %.0f lost "
                  "(rate x 20 s = 20000), RPO %.3f s\n",
                  fell_back, slowest, lost, sim_time_to_seconds(w->rpo));
    assert_true(fell_back >= 20 && fell_back < 20.01);
    assert_true(slowest > 9 && slowest <= 10.01);
    assert_true(fabs(lost - 20000) < 5 * sqrt(20000));
    assert_true(fabs(sim_time_to_seconds(w->rpo) - 20) < 0.01);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    w = semi_sync_cut("00:00:50", &cfg);
    double resumed = event_time(w, "replication", 1);
    print_message("semi-sync: resumed at %.3f s; primary lost at 50 s: %.0f lost\n", resumed, (double)w->lost_writes);
    assert_true(resumed >= 40 && resumed < 40.01);
    assert_int_equal(w->lost_writes, 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* Three groups with primaries in A and replicas in B, promoted by hand
 * following a runbook: paged 30 s after A goes dark at 10 s,
 * acknowledged 60 s later, diagnosed in 120 s, the obvious repair tried
 * for 60 s, the decision in 30 s: steps from 310 s; each promotion takes
 * 45 s, `parallel` at once; verified in 30 s. A dark for `dark` only. */
static mdl_world *runbook_world(const char *parallel, const char *dark, mdl_config **cfg)
{
    char rest[2048], stage_keys[1024];
    snprintf(rest, sizeof rest,
             "duration: 600s\n%s"
             "faults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, %s}\n",
             THREE_DC_WRITES, dark);
    snprintf(stage_keys, sizeof stage_keys,
             "    runbooks:\n"
             "      - {name: promote-replicas, on: primary-lost, page: 30s, acknowledge: 60s, diagnose: 120s, repair: 60s,\n"
             "         decide: 30s, steps: [{do: promote, duration: 45s, parallel: %s}], verify: 30s}\n",
             parallel);
    char *text = three_dc_stage("{datacenter: B, pool: app, servers: 4}",
                                "replication: {mode: async, shipping: 0s, applying: 0s}, promotion: {mode: manual}, groups: ["
                                "{shards: 00-32, primary: A, replicas: [B]}, {shards: 33-65, primary: A, replicas: [B]}, "
                                "{shards: 66-99, primary: A, replicas: [B]}]",
                                "{kind: vip, datacenters: [B], client_latency: 0s}", stage_keys, rest);
    return run_text(text, cfg);
}

static double event_with(const mdl_world *w, const char *kind, const char *text_part)
{
    for (size_t i = 0; i < mdl_world_events(w); i++) {
        const mdl_event_row *row = mdl_world_event(w, i);
        if (!strcmp(mdl_event_kinds[row->kind], kind) && strstr(row->text, text_part))
            return sim_time_to_seconds(row->t);
    }
    return -1;
}

static void a_runbook_runs_its_phases_and_promotes_one_group_after_another(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = runbook_world("1", "permanent: true", &cfg);
    double paged = event_time(w, "detect", 0), p1 = event_time(w, "promote", 0), p2 = event_time(w, "promote", 1),
           p3 = event_time(w, "promote", 2), done = event_with(w, "runbook", "verified");
    print_message("one DBA: paged %.0f s, promotions at %.0f, %.0f, %.0f s, verified %.0f s\n", paged, p1, p2, p3, done);
    assert_true(fabs(paged - 40) < 1e-9);
    assert_true(fabs(event_with(w, "runbook", "acknowledges") - 100) < 1e-9);
    assert_true(fabs(event_with(w, "runbook", "did not help") - 280) < 1e-9);
    assert_true(fabs(p1 - 355) < 1e-9 && fabs(p2 - 400) < 1e-9 && fabs(p3 - 445) < 1e-9);
    assert_true(fabs(done - 475) < 1e-9);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    w = runbook_world("3", "permanent: true", &cfg); /* three DBAs */
    p1 = event_time(w, "promote", 0);
    p3 = event_time(w, "promote", 2);
    print_message("three DBAs: promotions at %.0f and %.0f s\n", p1, p3);
    assert_true(fabs(p1 - 355) < 1e-9 && fabs(p3 - 355) < 1e-9);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* A runbook whose steps cannot clear what paged (drain, for lost
     * primaries) ends after one pass instead of looping. */
    char *text = three_dc_stage("{datacenter: B, pool: app, servers: 4}",
                                "replication: {mode: async}, promotion: {mode: manual}, groups: [{primary: A, replicas: [B]}]",
                                "{kind: vip, datacenters: [B], client_latency: 0s}",
                                "    runbooks: [{name: wrong-tool, on: primary-lost, page: 10s, steps: [{do: drain}]}]\n",
                                "duration: 60s\n" THREE_DC_WRITES
                                "faults:\n  - {at: \"00:00:10\", kind: db-primary, target: {database: db}, permanent: true}\n");
    w = run_text(text, &cfg);
    print_message("a runbook that cannot help: done at %.0f s\n", event_with(w, "runbook", "done"));
    assert_true(fabs(event_with(w, "runbook", "done") - 20) < 1e-9);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    w = runbook_world("1", "duration: 200s", &cfg); /* power back at 210 s, before the repair ends */
    print_message("back at 210 s: closed at %.0f s, %s promotion\n", event_with(w, "runbook", "nothing to do"),
                  event_time(w, "promote", 0) < 0 ? "no" : "a");
    assert_true(fabs(event_with(w, "runbook", "nothing to do") - 280) < 1e-9);
    assert_true(event_time(w, "promote", 0) < 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* A unit at home in A (standby in B, gateways, a registry in C); A loses
 * utility power at 10 s, its generator fails, its batteries last 10 min.
 * With a policy runbook the on-call is paged 30 s after the alarm,
 * acknowledges 60 s later, and the policy moves the unit once A has been
 * 2 min on batteries: at 130 s. */
static mdl_world *on_batteries(const char *fault, const char *runbooks, mdl_config **cfg)
{
    char rest[2048];
    snprintf(rest, sizeof rest, "duration: 800s\n%sfaults:\n  - {at: \"00:00:10\", target: {datacenter: A}, %s}\n",
             THREE_DC_WRITES, fault);
    char stage_keys[1024];
    snprintf(stage_keys, sizeof stage_keys,
             "    registry: {datacenters: [C], heartbeat: 1s, threshold: 3, push_delay: 1s}\n"
             "    unit_switch: {trigger: automatic, push_delay: 1s}\n%s",
             runbooks);
    char *text = three_dc_stage("{datacenter: A, pool: app, servers: 4}, {datacenter: B, pool: app, servers: 4, standby: true}",
                                "groups: [{primary: C}]",
                                "{kind: gateway, datacenters: [A, B], connect_timeout: 200ms, routing: by-unit, client_latency: 0s}",
                                stage_keys, rest);
    /* A has batteries for 10 minutes (the text's first "ups: 0s" is A's). */
    return run_text(tiny_replace(text, "ups: 0s", "ups: 10m"), cfg);
}

/* Failed requests per second summed over [from, to) of run time. */
static double failed_in(const mdl_world *w, double from, double to)
{
    const mdl_series *s = mdl_world_series(w);
    double sum = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].t >= from && s->p[i].t < to)
            sum += s->p[i].failed;
    return sum;
}

static void a_power_alarm_policy_moves_the_unit_before_the_batteries_run_out(void **state)
{
    (void)state;
    mdl_config *cfg;
    const char *utility = "kind: power, generator: fails, duration: 700s";
    mdl_world *w = on_batteries(utility,
                                "    runbooks: [{name: leave-on-batteries, on: power-alarm, page: 30s, acknowledge: 60s, after: 2m,"
                                " steps: [{do: switch-units}]}]\n",
                                &cfg);
    double paged = event_time(w, "detect", 0), switched = event_time(w, "switch", 0), dark = event_time(w, "dark", 0);
    print_message("policy: paged %.0f s, unit switched %.2f s, A dark %.0f s; failed requests %.0f before the switch, %.0f "
                  "after it\n",
                  paged, switched, dark, failed_in(w, 0, 130), failed_in(w, switched + 1, 800));
    assert_true(fabs(paged - 40) < 1e-9);
    assert_true(switched >= 131 && switched < 131.2); /* 130 s, then the push */
    assert_true(fabs(dark - 610) < 1e-9);
    assert_true(failed_in(w, 0, 130) == 0);
    assert_true(failed_in(w, switched + 1, 800) == 0); /* A going dark hurts nobody */
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* Without a policy nothing moves until A is dark. */
    w = on_batteries(utility, "", &cfg);
    print_message("no policy: first switch %.1f s, failed at the dark %.0f\n", event_time(w, "switch", 0),
                  failed_in(w, 610, 640));
    assert_true(event_time(w, "switch", 0) > 610);
    assert_true(failed_in(w, 0, 610) == 0 && failed_in(w, 610, 640) > 1000);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* A breaker trip: dark at once whatever the batteries. */
    w = on_batteries("kind: breaker, duration: 60s", "", &cfg);
    print_message("breaker: dark %.0f s, failed in the first 5 s %.0f\n", event_time(w, "dark", 0), failed_in(w, 10, 15));
    assert_true(fabs(event_time(w, "dark", 0) - 10) < 1e-9);
    assert_true(failed_in(w, 10, 15) > 1000);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* Half the shards lose their primary for good at 10 s (no promotion):
 * their reads and writes fail, half of all requests, for a fault shedding
 * the reads cannot cure. Degradation (shed reads below 95% for 5 s) must not
 * shed. */
static void degradation_does_not_shed_for_a_dead_shard(void **state)
{
    (void)state;
    char rest[2048];
    snprintf(rest, sizeof rest,
             "duration: 60s\n"
             "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}]}\n"
             "  types: [{name: w, share: 50%%, calls: [{data: user, op: write}]}, {name: q, share: 50%%, calls: [{data: user, op: read}]}]\n"
             "  client: {timeout: 1s, retries: 0}\n"
             "faults:\n  - {at: \"00:00:10\", kind: db-primary, target: {database: db, shard: \"10\"}, permanent: true}\n");
    char *text = three_dc_stage("{datacenter: A, pool: app, servers: 4}",
                                "promotion: {mode: none}, groups: [{shards: 00-49, primary: A}, {shards: 50-99, primary: A}]",
                                "{kind: vip, datacenters: [A], client_latency: 0s}",
                                "    protections: {degradation: {shed: [q], success_below: 95%, after: 5s, restore_after: 60s}}\n", rest);
    mdl_config *cfg;
    mdl_world *w = run_text(tiny_replace(text, "service_time: {w: 1ms}", "service_time: {w: 1ms, q: 1ms}"), &cfg);
    print_message("dead shard: %.0f failed/s after the fault, degradation %s\n", failed_in(w, 20, 30) / 10,
                  event_time(w, "degrade", 0) < 0 ? "did not shed" : "shed");
    assert_true(failed_in(w, 20, 30) / 10 > 200);
    assert_true(event_time(w, "degrade", 0) < 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* Cells in A and C share the users; the database is in B. Each call
 * carries 10 kB, so C's own calls load the B~C link (60 Mbit/s) to 67%:
 * 500/s x 80 kbit. When A~B is cut at 20 s, A's calls go round through C
 * and join that link's queue: 1000/s x 80 kbit is 133% of it, the queue
 * fills its 100 ms buffer and a quarter of what it is offered is
 * dropped. */
static void a_detour_loads_the_links_it_rides(void **state)
{
    (void)state;
    const char *rest = "duration: 60s\n"
                       "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}]}\n"
                       "  types: [{name: w, share: 100%, request_size: 10kB, response_size: 1kB, calls: [{data: user, op: write}]}]\n"
                       "  client: {timeout: 1s, retries: 0}\n"
                       "faults:\n  - {at: \"00:00:20\", kind: link-cut, target: {link: [X, Y]}, duration: 20s}\n";
    char *text = three_dc("{datacenter: A, pool: app, servers: 4, share: 50%}, {datacenter: C, pool: app, servers: 4, share: 50%}",
                          "groups: [{primary: B}]",
                          "{kind: dns, datacenters: [A, C], ttl: 0s, client_latency: 0s}", rest);
    text = tiny_replace(text, "{between: [Y, Z], paths: [{latency: 1ms}]}", "{between: [Y, Z], paths: [{latency: 1ms, bandwidth: 60Mbit/s}]}");
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    double before = failed_in(w, 5, 20) / 15, during = failed_in(w, 22, 40) / 18, after = failed_in(w, 42, 60) / 18;
    print_message("detour: failed/s before %.0f, during the cut %.0f (about a quarter of 1000), after %.0f\n", before,
                  during, after);
    assert_true(before == 0 && after == 0);
    assert_true(during > 150 && during < 350);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* A is dark from 10 s to 40 s only. Its cell is healthy again at 40 s
 * (servers and copies back at once here); after the 20 s hold the unit
 * goes home by the same switch: writes forbidden, the leader handed back
 * to A (500 ms), the push (1 s): home by about 61.6 s, and nothing lost. */
static void a_unit_fails_back_home_after_the_hold(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = unit_with_a_quorum_group("true", "duration: 30s", "failback: automatic, failback_hold: 20s", &cfg);
    double away = event_time(w, "switch", 0), home = event_time(w, "switch", 1), back_handover = event_time(w, "handover", 1);
    print_message("failback: moved at %.2f s, leader handed back at %.2f s, home at %.2f s; failed after %.0f; %.0f lost\n", away,
                  back_handover, home, failed_in(w, home + 1, 90), (double)w->lost_writes);
    assert_true(away > 14 && away < 15);
    assert_true(back_handover >= 60.5 && back_handover < 60.7);
    assert_true(home >= back_handover + 1 && home < back_handover + 1.11);
    assert_true(failed_in(w, home + 1, 90) == 0);
    assert_true(cross_dc_calls(w, home + 1, 90) == 0);
    assert_int_equal(w->lost_writes, 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* Back after 4 s, while the unit is still moving to B: it goes to B,
     * then home after the hold counted from 14 s. */
    w = unit_with_a_quorum_group("true", "duration: 4s", "failback: automatic, failback_hold: 20s", &cfg);
    double moved = event_time(w, "switch", 0), again = event_time(w, "switch", 1);
    print_message("back during the switch: moved at %.2f s, home at %.2f s\n", moved, again);
    assert_true(moved > 14 && moved < 15);
    assert_true(again > moved + 20 - 1 && again < moved + 22);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* Without failback it stays in B. */
    w = unit_with_a_quorum_group("true", "duration: 30s", "failback: none", &cfg);
    assert_true(event_time(w, "switch", 1) < 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* Mean of the intervals' median latencies over [from, to) of run time, in ms. */
static double p50_ms(const mdl_world *w, double from, double to)
{
    return 1e3 * series_mean(w, from, to, offsetof(mdl_series_point, p50));
}

/* The app and the leader in A, followers in B (1 ms each way) and C
 * (2 ms), a majority quorum: a write takes the service (1 ms), the write
 * (1 ms) and the round trip to the nearer follower (B, 2 ms): 4 ms. B's
 * copy crashes from 10 s to 30 s: C's round trip, 6 ms; from 20 s A~C is
 * 5 ms slower each way: 16 ms; when B is back, 4 ms again. The commit's
 * wait is remembered between topology changes (db_call.c): a copy's
 * crash, its return and a link's latency must each be seen. */
static void quorum_commits_wait_for_the_nearer_follower_as_copies_and_links_change(void **state)
{
    (void)state;
    const char *rest = "duration: 40s\n" THREE_DC_WRITES
                       "faults:\n"
                       "  - {at: \"00:00:10\", kind: db-replica, target: {database: db}, duration: 20s}\n"
                       "  - {at: \"00:00:20\", kind: latency, target: {link: [X, Z]}, latency: 5ms, permanent: true}\n";
    char *text = three_dc("{datacenter: A, pool: app, servers: 4}",
                          "replication: {mode: quorum}, promotion: {mode: none}, groups: [{primary: A, replicas: [B, C]}]",
                          "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    text = tiny_replace(text, "{between: [X, Z], paths: [{latency: 1ms}]}", "{between: [X, Z], paths: [{latency: 2ms}]}");
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    double before = p50_ms(w, 1, 10), b_down = p50_ms(w, 11, 20), c_slow = p50_ms(w, 21, 30), b_back = p50_ms(w, 31, 40);
    print_message("quorum: p50 %.2f ms, B down %.2f, A~C slower too %.2f, B back %.2f (4, 6, 16, 4)\n", before, b_down,
                  c_slow, b_back);
    assert_true(fabs(before - 4) < 0.1);
    assert_true(fabs(b_down - 6) < 0.1);
    assert_true(fabs(c_slow - 16) < 0.1);
    assert_true(fabs(b_back - 4) < 0.1);
    assert_true(failed_in(w, 0, 40) == 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* The app in A reads from the nearest copy: the leader in B and a replica
 * in C are both 1 ms away, and the leader wins the tie (service 1 ms,
 * read 1 ms, round trip 2 ms: 4 ms). From 10 s A~B is 5 ms slower each
 * way: C is nearer (4 ms still). From 20 s C's copy is down for good:
 * back to B, 14 ms. The nearest copy is remembered between topology
 * changes (db_call.c): a stale one would read from a far or dead copy. */
static void reads_go_to_the_nearest_live_copy_as_links_and_copies_change(void **state)
{
    (void)state;
    const char *rest = "duration: 30s\n" THREE_DC_READS
                       "faults:\n"
                       "  - {at: \"00:00:10\", kind: latency, target: {link: [X, Y]}, latency: 5ms, permanent: true}\n"
                       "  - {at: \"00:00:20\", kind: db-replica, target: {database: db}, permanent: true}\n";
    char *text = three_dc("{datacenter: A, pool: app, servers: 4}",
                          "reads: nearest, replication: {mode: async}, promotion: {mode: none}, "
                          "groups: [{primary: B, replicas: [C]}]",
                          "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    double before = p50_ms(w, 1, 10), b_slow = p50_ms(w, 11, 20), c_down = p50_ms(w, 21, 30);
    print_message("nearest: p50 %.2f ms, A~B slower %.2f, C down %.2f (4, 4, 14); %.0f failed\n", before, b_slow,
                  c_down, failed_in(w, 0, 30));
    assert_true(fabs(before - 4) < 0.1);
    assert_true(fabs(b_slow - 4) < 0.1);
    assert_true(fabs(c_down - 14) < 0.1);
    assert_true(failed_in(w, 21, 30) == 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gateway_clients_move_to_their_next_address_after_the_connect_timeout),
        cmocka_unit_test(a_gateway_switch_does_not_wait_for_the_dns_ttl),
        cmocka_unit_test(leaders_follow_their_unit_and_nothing_acknowledged_is_lost),
        cmocka_unit_test(semi_sync_falls_back_after_the_timeout_and_resumes),
        cmocka_unit_test(a_runbook_runs_its_phases_and_promotes_one_group_after_another),
        cmocka_unit_test(a_power_alarm_policy_moves_the_unit_before_the_batteries_run_out),
        cmocka_unit_test(degradation_does_not_shed_for_a_dead_shard),
        cmocka_unit_test(a_detour_loads_the_links_it_rides),
        cmocka_unit_test(a_unit_fails_back_home_after_the_hold),
        cmocka_unit_test(quorum_commits_wait_for_the_nearer_follower_as_copies_and_links_change),
        cmocka_unit_test(reads_go_to_the_nearest_live_copy_as_links_and_copies_change),
    };
    return cmocka_run_group_tests_name("mechanisms", tests, NULL, NULL);
}
