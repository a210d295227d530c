/* test_faults.c -- each fault kind moves the metrics the way it must, on
 * small hand-built worlds: losing the only datacenter gives zero success
 * until repair; a majority quorum loses no acknowledged write when any one
 * datacenter dies; asynchronous replication loses about write rate x its
 * shipping delay, and a promoted replica first applies its relay log; a DNS switch cannot finish before the TTL; a manual
 * promotion cannot finish before the human's response; faults end when they
 * say; RTO for an unrecovered run, for overlapping faults and for a fault
 * that never breaks the SLO; and random failures of a series/parallel
 * arrangement match the closed-form steady-state availability. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "mdl_view.h"
#include "note.h"
#include "world_event.h"
#include "three_dc.h"

static void losing_the_only_datacenter_gives_zero_success_until_repair(void **state)
{
    (void)state;
    char rest[2048];
    snprintf(rest, sizeof rest, "duration: 60s\n%sfaults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, duration: 20s}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: A, pool: app, servers: 4}",
                          "groups: [{primary: A}]", "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    const mdl_series *s = mdl_world_series(w);
    for (size_t i = 0; i < s->n; i++) {
        double t = s->p[i].t;
        if (t >= 10 && t < 30) /* dark: nothing succeeds */
            assert_true(s->p[i].succeeded == 0);
        if (t >= 31) /* power, servers and database back at once */
            assert_true(s->p[i].succeeded > 900);
        if (t < 9)
            assert_true(s->p[i].succeeded > 900);
    }
    assert_true(fabs(event_time(w, "repair", 0) - 30) < 1e-9); /* it ends when it says */
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void a_majority_quorum_loses_no_acknowledged_write_when_any_datacenter_dies(void **state)
{
    (void)state;
    const char *victims[] = {"A", "B", "C"};
    for (int v = 0; v < 3; v++) {
        char rest[2048];
        snprintf(rest, sizeof rest,
                 "duration: 60s\n%sfaults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: %s}, generator: fails, duration: 30s}\n",
                 THREE_DC_WRITES, victims[v]);
        char *text = three_dc("{datacenter: A, pool: app, servers: 4, share: 34%}, {datacenter: B, pool: app, servers: 4, share: 33%}, {datacenter: C, pool: app, servers: 4, share: 33%}",
                              "replication: {mode: quorum}, promotion: {mode: automatic, lease: 2s, election: 1s}, groups: [{primary: A, replicas: [B, C]}]",
                              "{kind: dns, datacenters: [A, B, C], ttl: 5s, client_latency: 0s}", rest);
        mdl_config *cfg;
        mdl_world *w = run_text(text, &cfg);
        mdl_headline h;
        mdl_world_headline(w, &h);
        print_message("quorum, %s dies: %.0f writes lost, %.0f requests failed of %.0f\n", victims[v],
                      (double)w->lost_writes, h.failed, h.offered);
        assert_int_equal(w->lost_writes, 0);
        if (v == 0) /* the leader's death: a new leader after lease + election */
            assert_true(fabs(event_time(w, "promote", 0) - 13) < 1e-6);
        mdl_world_destroy(w);
        mdl_config_free(cfg);
    }
}

/* Five copies 2 + 2 + 1 over three cities, the leader's city lost whole:
 * a write was acknowledged once two followers had it, and the nearest two
 * are in the leader's own city and the next; the survivors still hold it. */
static void a_majority_quorum_loses_nothing_when_the_leaders_city_dies(void **state)
{
    (void)state;
    char *text = malloc(8192);
    snprintf(text, 8192,
             "dcsim: 1\nkind: scenario\nname: q5\n"
             "stages:\n"
             "  - dcsim: 1\n    kind: stage\n    name: q5\n"
             "    geography:\n      dcsim: 1\n      kind: geography\n      name: five\n"
             "      cities: [{name: X, lon: 0, lat: 0}, {name: Y, lon: 1, lat: 1}, {name: Z, lon: 2, lat: 2}]\n"
             "      datacenters:\n"
             "        - {name: A1, city: X, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: A2, city: X, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: B1, city: Y, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: B2, city: Y, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: C, city: Z, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "      links:\n"
             "        - {between: [A1, A2], paths: [{latency: 250us}]}\n"
             "        - {between: [B1, B2], paths: [{latency: 250us}]}\n"
             "        - {between: [X, Y], paths: [{latency: 1500us}]}\n"
             "        - {between: [Y, Z], paths: [{latency: 4ms}]}\n"
             "        - {between: [X, Z], paths: [{latency: 5ms}]}\n"
             "    datacenters: [A1, A2, B1, B2, C]\n"
             "    entry: {kind: vip, datacenters: [B1], client_latency: 0s}\n"
             "    pools: [{name: app, workers: 1000, boot: 0s, service_time: {w: 1ms}}]\n"
             "    units: [{name: u, cells: [{datacenter: B1, pool: app, servers: 4}]}]\n"
             "    databases: [{name: db, holds: [user, global], connections: 100000, workers: 10000, read: 1ms, write: 1ms, recovery: 0s,\n"
             "                 replication: {mode: quorum}, promotion: {mode: automatic, lease: 2s, election: 1s},\n"
             "                 groups: [{primary: A1, replicas: [A2, B1, B2, C]}]}]\n"
             "start: \"00:00:00\"\nwarmup: 0s\nduration: 30s\n"
             "slo: {ratio: 99%%, window: 2s, hold: 5s}\n"
             "%sfaults:\n  - {at: \"00:00:10\", kind: power, target: {city: X}, generator: fails, permanent: true}\n",
             THREE_DC_WRITES);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    print_message("quorum 2+2+1, the leader's city dies: %.0f writes lost, promoted at %.1f s\n",
                  (double)w->lost_writes, event_time(w, "promote", 0));
    assert_int_equal(w->lost_writes, 0);
    assert_true(fabs(event_time(w, "promote", 0) - 13) < 1e-6);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* Shipping 1 s and applying 3 s behind it, constant: when the primary
 * dies at 20 s the replica's relay log holds the writes up to 1 s plus
 * 1 ms of network before; it applies them all (3 s) before it takes over.
 * Lost: what was acknowledged and never received, rate x (shipping +
 * network), not rate x (shipping + applying); the RPO is that span. */
static void async_replication_loses_rate_times_shipping_and_promotes_after_applying(void **state)
{
    (void)state;
    char rest[2048];
    snprintf(rest, sizeof rest, "duration: 40s\n%sfaults:\n  - {at: \"00:00:20\", kind: db-primary, target: {database: db}, permanent: true}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: B, pool: app, servers: 4}",
                          "replication: {mode: async, shipping: 1s, applying: 3s}, promotion: {mode: manual, detect: 0s, response: 0s}, groups: [{primary: A, replicas: [B]}]",
                          "{kind: vip, datacenters: [B], client_latency: 0s}", rest);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    /* 1000 writes/s, each acknowledged at once: about 1001 lost, Poisson
     * sd about 32. */
    double lost = (double)w->lost_writes, promoted = event_time(w, "promote", 0);
    print_message("async, shipping 1 s, applying 3 s: %.0f writes lost (rate x shipping = 1001), RPO %.3f s, promoted at %.3f s\n",
                  lost, sim_time_to_seconds(w->rpo), promoted);
    assert_true(fabs(lost - 1001) < 5 * sqrt(1001));
    assert_true(fabs(sim_time_to_seconds(w->rpo) - 1.001) < 0.01);
    assert_true(fabs(promoted - 23) < 1e-6);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void a_dns_switch_cannot_finish_before_the_ttl(void **state)
{
    (void)state;
    char rest[2048];
    snprintf(rest, sizeof rest,
             "duration: 120s\n%sfaults:\n  - {at: \"00:00:10\", kind: balancer, target: {datacenter: A}, permanent: true}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: A, pool: app, servers: 4, share: 50%}, {datacenter: B, pool: app, servers: 4, share: 50%}",
                          "groups: [{primary: C}]",
                          "{kind: dns, datacenters: [A, B], ttl: 30s, client_latency: 0s, health_check: {interval: 2s, threshold: 2, timeout: 1s}}",
                          rest);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    double detected = event_time(w, "detect", 0);
    const mdl_series *s = mdl_world_series(w);
    double last_failure = -1;
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].failed > 0)
            last_failure = s->p[i].t;
    print_message("dns: detected at %.1f s, last failure at %.1f s (TTL 30 s)\n", detected, last_failure);
    /* Detection takes 3 to 5 s; clients then keep the old answer for up to
     * the TTL, and a failure is counted at the client's 1 s timeout. */
    assert_true(detected >= 13 && detected <= 15);
    assert_true(last_failure >= detected + 0.9 * 30 - 1);
    assert_true(last_failure <= detected + 30 + 1 + 1);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void a_manual_promotion_cannot_finish_before_the_human_response(void **state)
{
    (void)state;
    char rest[2048];
    snprintf(rest, sizeof rest, "duration: 200s\n%sfaults:\n  - {at: \"00:00:10\", kind: db-primary, target: {database: db}, permanent: true}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: B, pool: app, servers: 4}",
                          "replication: {mode: async, applying: 10ms}, promotion: {mode: manual, detect: 10s, response: {uniform: {min: 100s, max: 150s}}}, groups: [{primary: A, replicas: [B]}]",
                          "{kind: vip, datacenters: [B], client_latency: 0s}", rest);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    double promoted = event_time(w, "promote", 0), paged = event_time(w, "detect", 0);
    print_message("manual: paged at %.1f s, promoted at %.1f s\n", paged, promoted);
    assert_true(fabs(paged - 20) < 1e-9);
    assert_true(promoted >= 20 + 100 && promoted <= 20 + 150);
    mdl_incident in;
    mdl_world_incident(w, 0, &in);
    assert_true(in.recovered && in.rto >= 110);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* The failover layer moves a lost primary to the failover database; when
 * that database dies in turn there is no failover database left, and the
 * stage's manual promotion takes over: a human is paged at once and
 * promotes the replica after the response time. */
static void a_lost_failover_database_falls_back_to_promotion(void **state)
{
    (void)state;
    char rest[2048];
    snprintf(rest, sizeof rest,
             "duration: 100s\n%sfaults:\n"
             "  - {at: \"00:00:10\", kind: db-primary, target: {database: db}, permanent: true}\n"
             "  - {at: \"00:00:40\", kind: power, target: {datacenter: C}, generator: fails, permanent: true}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: B, pool: app, servers: 4}",
                          "replication: {mode: async, applying: 10ms}, promotion: {mode: manual, detect: 30s, response: 20s}, "
                          "failover: {detect: 5s, switch: 5s}, groups: [{primary: A, replicas: [B], failover: C}]",
                          "{kind: vip, datacenters: [B], client_latency: 0s}", rest);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    double moved = event_time(w, "switch", 0), promoted = event_time(w, "promote", 0);
    print_message("failover to C at %.1f s; C lost at 40 s; promoted by hand at %.1f s\n", moved, promoted);
    assert_true(fabs(moved - 20) < 1e-9);
    /* The layer gives up at 40 + 5 + 5 s, the human answers 20 s later. */
    assert_true(fabs(promoted - 70) < 1e-9);
    int detected_at_50 = 0; /* the page, once */
    for (size_t i = 0; i < mdl_world_events(w); i++) {
        const mdl_event_row *row = mdl_world_event(w, i);
        detected_at_50 += row->kind == EV_DETECT && row->t == 50 * SIM_SEC;
    }
    assert_int_equal(detected_at_50, 1);
    const mdl_series *s = mdl_world_series(w);
    for (size_t i = 0; i < s->n; i++) {
        if (s->p[i].t >= 41 && s->p[i].t < 69)
            assert_true(s->p[i].succeeded == 0);
        if (s->p[i].t >= 72)
            assert_true(s->p[i].succeeded > 900);
    }
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* The phases of an incident, worked by hand: writes at 1000/s, clients
 * that give up after 1 s without retrying, 1 s intervals, an SLO of 99%
 * over 2 s held for 5 s. The requests in flight when the building goes
 * dark fail within the interval of the fault (nothing succeeds in it: the
 * rest are waiting for their timeout), so the impact is the fault's
 * interval. Service is restored when failures stop: the requests born in
 * the last second of the outage time out in the second after it, so the
 * first interval with none starts 1 s after the repair, not when the 2 s
 * window has filled up again. */
static void incident_phases_run_from_the_impact_to_when_failures_stopped(void **state)
{
    (void)state;
    /* Unrecovered: a permanent loss of the only datacenter. */
    char rest[2048];
    snprintf(rest, sizeof rest, "duration: 60s\n%sfaults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, permanent: true}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: A, pool: app, servers: 4}", "groups: [{primary: A}]",
                          "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    mdl_incident in;
    assert_int_equal(mdl_world_incidents(w), 1);
    mdl_world_incident(w, 0, &in);
    print_message("unrecovered: impact after %.3f s, RTO > %.3f s\n", in.impact, in.rto);
    assert_false(in.recovered);
    assert_false(in.no_fault);
    assert_true(fabs(in.impact) < 1e-9);   /* time to impact: none, nothing on batteries */
    assert_true(fabs(in.rto - 50) < 1e-9); /* "not recovered, > 50 s": 10 s to the end at 60 s */
    assert_int_equal(in.cause, FAIL_FAULT);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* Overlapping: the second fault starts before the first recovered.
     * Failures from 10 s to 21 s and from 22 s to 33 s; restored at 33 s. */
    snprintf(rest, sizeof rest,
             "duration: 80s\n%sfaults:\n"
             "  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, duration: 10s}\n"
             "  - {at: \"00:00:22\", kind: power, target: {datacenter: A}, generator: fails, duration: 10s}\n",
             THREE_DC_WRITES);
    text = three_dc("{datacenter: A, pool: app, servers: 4}", "groups: [{primary: A}]",
                    "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    w = run_text(text, &cfg);
    assert_int_equal(mdl_world_incidents(w), 1);
    mdl_world_incident(w, 0, &in);
    print_message("overlapping: one incident, impact after %.3f s, RTO %.3f s\n", in.impact, in.rto);
    assert_true(in.recovered);
    assert_true(fabs(in.impact) < 1e-9);
    assert_true(fabs(in.rto - 23) < 1e-9); /* from 10 s to 33 s */
    /* events.csv tells it: the SLO over its 2 s window broken at each
     * fault and back after each (the short stretch between them is
     * healthy again), each told at the end of its interval; recovered
     * once the window has held for 5 s, and dated back to 33 s. */
    int crossings = 0;
    while (event_time(w, "slo", crossings) >= 0)
        crossings++;
    double broke = event_time(w, "slo", 0), back = event_time(w, "slo", crossings - 1);
    print_message("overlapping: %d SLO crossings, first at %.1f s, last at %.1f s, recovered event at %.1f s\n",
                  crossings, broke, back, event_time(w, "recovered", 0));
    assert_int_equal(crossings, 4);
    assert_true(fabs(broke - 12) < 1e-6);
    assert_true(fabs(back - 35) < 1e-6);     /* the window [33, 35) is clean */
    assert_true(fabs(event_time(w, "recovered", 0) - 39) < 1e-6); /* healthy since 34, held 5 s */
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    /* Harmless: one of two power feeds. */
    snprintf(rest, sizeof rest, "duration: 60s\n%sfaults:\n  - {at: \"00:00:10\", kind: feed, target: {datacenter: A}, duration: 10s}\n",
             THREE_DC_WRITES);
    text = three_dc("{datacenter: A, pool: app, servers: 4}", "groups: [{primary: A}]",
                    "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    w = run_text(text, &cfg);
    mdl_world_incident(w, 0, &in);
    assert_true(in.recovered && !in.broke_slo && in.rto == 0 && in.impact < 0);
    assert_true(event_time(w, "slo", 0) < 0 && event_time(w, "recovered", 0) < 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* Batteries ride through: the time to impact is the ride-through, and
 * the RTO does not count the time on batteries. */
static void batteries_are_time_to_impact_not_rto(void **state)
{
    (void)state;
    char rest[2048];
    snprintf(rest, sizeof rest,
             "duration: 90s\n%sfaults:\n"
             "  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, duration: 40s}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: A, pool: app, servers: 4}", "groups: [{primary: A}]",
                          "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    /* Batteries of 30 s in A: dark at 40 s, power back at 50 s. */
    char *at = strstr(text, "{name: A, city: X, internal_latency: 0s, power: {ups: 0s");
    assert_non_null(at);
    size_t head = (size_t)(strstr(at, "ups: 0s") - text) + strlen("ups: ");
    char *fixed = malloc(strlen(text) + 2);
    memcpy(fixed, text, head);
    fixed[head] = '3'; /* "ups: 0s" becomes "ups: 30s" */
    strcpy(fixed + head + 1, text + head);
    free(text);
    mdl_config *cfg;
    mdl_world *w = run_text(fixed, &cfg);
    mdl_incident in;
    mdl_world_incident(w, 0, &in);
    print_message("batteries: impact after %.3f s, RTO %.3f s\n", in.impact, in.rto);
    assert_true(fabs(in.impact - 30) < 1e-9); /* dark at 40 s */
    assert_true(fabs(in.rto - 11) < 1e-9);    /* power back at 50 s, failures stop at 51 s */
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* A stage overloaded with no fault at all has its own incident, with
 * overload as its cause; a fault that follows is an incident of its own. */
static void an_slo_break_with_no_fault_is_the_stages_own_incident(void **state)
{
    (void)state;
    /* 4 servers x 1 worker at 1 ms: 4,000/s of capacity, then 8,000/s. */
    const char *rest =
        "duration: 60s\n"
        "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}, {at: \"00:00:10\", rate: 1000/s}, {at: \"00:00:11\", rate: 8000/s}, {at: \"00:00:20\", rate: 8000/s}, {at: \"00:00:21\", rate: 1000/s}]}\n"
        "  types: [{name: w, share: 100%, calls: [{data: user, op: write}]}]\n"
        "  client: {timeout: 1s, retries: 0}\n"
        "faults:\n  - {at: \"00:00:40\", kind: power, target: {datacenter: A}, generator: fails, duration: 5s}\n";
    char *text = three_dc("{datacenter: A, pool: app, servers: 4}", "groups: [{primary: A}]",
                          "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    char *one = strstr(text, "workers: 1000");
    assert_non_null(one);
    memcpy(one, "workers:    1", 13);
    mdl_config *cfg;
    mdl_world *w = run_text(text, &cfg);
    assert_int_equal(mdl_world_incidents(w), 2);
    mdl_incident own, fault;
    mdl_world_incident(w, 0, &own);
    mdl_world_incident(w, 1, &fault);
    print_message("own: start %.1f s, cause %d, RTO %.1f s, failed %.0f; fault: start %.1f s, cause %d, RTO %.1f s\n",
                  sim_time_to_seconds(own.start), own.cause, own.rto, own.failed, sim_time_to_seconds(fault.start),
                  fault.cause, fault.rto);
    assert_true(own.no_fault && own.broke_slo && own.recovered);
    assert_int_equal(own.cause, FAIL_OVERLOAD);
    assert_true(sim_time_to_seconds(own.start) >= 10 && sim_time_to_seconds(own.start) <= 13);
    assert_true(own.rto >= 8 && own.rto <= 13);
    assert_true(!fault.no_fault && fault.broke_slo && fault.recovered);
    assert_int_equal(fault.cause, FAIL_FAULT);
    assert_true(fabs(sim_time_to_seconds(fault.start) - 40) < 1e-9);
    assert_true(own.by_cause[FAIL_FAULT] == 0 && fault.by_cause[FAIL_OVERLOAD] == 0);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void random_failures_match_the_closed_form_availability(void **state)
{
    (void)state;
    /* A balancer in series with two servers in parallel. Exponential up
     * and down times: A = MTBF / (MTBF + MTTR) each; the system is up when
     * the balancer is and at least one server is:
     *   A = A_lb (1 - (1 - A_s)^2) = (500/505)(1 - (10/110)^2) = 0.981917.
     * Tolerance: the time average of a two-state Markov process over T has
     * variance about 2 A (1 - A) tau / T, tau = 1/(1/MTBF + 1/MTTR); with
     * the servers' tau = 9.1 h and the system's 1 - A = 0.018 over 200
     * years (1.75 million hours) the standard error is 4.3e-4: we allow 6
     * of them (0.0026). */
    const char *rest =
        "duration: 1752000h\ninterval: 24h\n"
        "traffic:\n  users: 1k\n  curve: {points: [{at: \"00:00:00\", rate: 0/s}]}\n"
        "  types: [{name: w, share: 100%}]\n"
        "random_faults:\n"
        "  - {component: server, mtbf: 100h, mttr: {exponential: {mean: 10h}}}\n"
        "  - {component: balancer, mtbf: 500h, mttr: {exponential: {mean: 5h}}}\n";
    char *text = three_dc("{datacenter: A, pool: app, servers: 2}", "groups: [{primary: A}]",
                          "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 99);
    free(text);
    uint64_t up = 0, samples = 0;
    w_cell *cell = w->cells[0];
    for (sim_time t = 10 * SIM_MIN; t <= mdl_world_end(w); t += 10 * SIM_MIN) {
        assert_true(mdl_world_run(w, t, NULL, NULL) >= 0);
        int servers = cell->servers[0].up + cell->servers[1].up;
        up += w->dcs[0].entry_up && servers > 0;
        samples++;
    }
    double a = (double)up / (double)samples, theory = 500.0 / 505 * (1 - (10.0 / 110) * (10.0 / 110));
    print_message("random failures: availability %.5f, closed form %.5f\n", a, theory);
    assert_true(fabs(a - theory) < 0.0026);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* ==== The notification table and the view ==== */

typedef struct heard {
    int notes[NOTE_KIND_COUNT];
} heard;

static void count_note(w_world *w, const w_note *n, void *context)
{
    (void)w;
    ((heard *)context)->notes[n->kind]++;
}

/* A with the cells' 4 servers, the leader of a quorum group with copies in
 * B and C; users enter at B. A goes dark at 10 s for 30 s. */
static mdl_world *dark_a(mdl_config **cfg)
{
    char rest[2048];
    snprintf(rest, sizeof rest,
             "duration: 60s\n%sfaults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, duration: 30s}\n",
             THREE_DC_WRITES);
    char *text = three_dc("{datacenter: A, pool: app, servers: 4, share: 50%}, {datacenter: B, pool: app, servers: 4, share: 50%}",
                          "replication: {mode: quorum}, promotion: {mode: automatic, lease: 2s, election: 1s}, groups: [{primary: A, replicas: [B, C]}]",
                          "{kind: dns, datacenters: [A, B], ttl: 5s, client_latency: 0s}", rest);
    *cfg = tiny_load(text);
    free(text);
    return tiny_world(*cfg, 1, 21);
}

static void a_dark_datacenter_tells_each_server_and_copy_once(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = dark_a(&cfg);
    heard h = {{0}};
    for (int k = 0; k < NOTE_KIND_COUNT; k++)
        assert_int_equal(note_subscribe(w, k, count_note, &h), 0);
    assert_int_equal(mdl_world_run(w, 20 * SIM_SEC, NULL, NULL), 1);
    /* Dark: A's four servers went down, its one copy was lost, its cell and
     * its entry point were told; the quorum group elected a new leader. */
    assert_int_equal(h.notes[NOTE_SERVER_DOWN], 4);
    assert_int_equal(h.notes[NOTE_SERVER_UP], 0);
    assert_int_equal(h.notes[NOTE_DBNODE_LOST], 1);
    assert_int_equal(h.notes[NOTE_CELL_CHANGED], 1);
    assert_int_equal(h.notes[NOTE_ENTRY_CHANGED], 1);
    assert_int_equal(h.notes[NOTE_FAULT], 1);
    assert_int_equal(h.notes[NOTE_WRITES_LOST], 1); /* the promotion, losing none */
    assert_int_equal(h.notes[NOTE_TICK], 20);
    assert_true(h.notes[NOTE_EVENT] == (int)mdl_world_events(w));
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    /* Light again at 40 s: the servers boot, the copy recovers. */
    assert_int_equal(h.notes[NOTE_SERVER_UP], 4);
    assert_int_equal(h.notes[NOTE_DBNODE_BACK], 1);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void the_view_shows_the_world_as_it_stands(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = dark_a(&cfg);
    mdl_view v = {0};
    assert_int_equal(mdl_view_capture(w, &v), 0);
    uint64_t before = v.generation;
    assert_int_equal(v.n_dcs, 3);
    assert_string_equal(v.dcs[0].name, "A");
    assert_true(v.dcs[0].powered && v.dcs[0].entry && v.dcs[0].entry_up && !v.dcs[2].entry);
    assert_int_equal(v.n_groups, 1);
    assert_string_equal(v.dcs[v.groups[0].copies[v.groups[0].primary].dc].name, "A");
    assert_int_equal(v.n_cells, 2);
    assert_int_equal(v.cells[0].servers_up, 4);
    assert_int_equal(v.units[0].home, 0);
    assert_int_equal(v.n_links, 6);
    assert_false(v.has_last);

    assert_int_equal(mdl_world_run(w, 20 * SIM_SEC, NULL, NULL), 1);
    assert_int_equal(mdl_view_capture(w, &v), 0);
    assert_true(v.generation > before);
    assert_true(v.now == 20 * SIM_SEC);
    /* A is dark: its servers are down, the leader is elected elsewhere. */
    assert_false(v.dcs[0].powered);
    assert_int_equal(v.cells[0].servers_up, 0);
    assert_int_equal(v.cells[1].servers_up, 4);
    int leader = v.groups[0].copies[v.groups[0].primary].dc;
    assert_true(leader == 1 || leader == 2);
    assert_false(v.groups[0].copies[0].up);
    /* The last interval's measures and the log so far, as the world has them. */
    assert_true(v.has_last && v.last.t == 19 && v.last.offered > 900);
    assert_int_equal(v.n_events, mdl_world_events(w));
    int dark = 0;
    for (size_t i = 0; i < v.n_events; i++)
        dark += v.events[i].kind == EV_DARK;
    assert_int_equal(dark, 1);

    /* Capturing changes nothing: the same run without a view ends alike. */
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    mdl_headline seen, unseen;
    mdl_world_headline(w, &seen);
    mdl_config *cfg2;
    mdl_world *w2 = dark_a(&cfg2);
    assert_int_equal(mdl_world_run(w2, 0, NULL, NULL), 0);
    mdl_world_headline(w2, &unseen);
    assert_true(memcmp(&seen, &unseen, sizeof seen) == 0);
    assert_int_equal(mdl_world_events(w), mdl_world_events(w2));
    mdl_view_free(&v);
    mdl_world_destroy(w);
    mdl_world_destroy(w2);
    mdl_config_free(cfg);
    mdl_config_free(cfg2);
}

/* ==== Every fault kind, against the same small world ==== */

enum { MORE_FAILED, SLOWER, UNHARMED };

typedef struct kind_case {
    const char *fault;          /* the fault's keys after at/kind */
    const char *kind;
    int expect;
    double by;                  /* MORE_FAILED: failures/s more; SLOWER: p99 seconds more */
} kind_case;

/* Two units (u in A, v in B), each with a standby cell in the other
 * building; the users' database has its primaries in A and B and async
 * copies in C; a registry in all three. Half the requests write, half read. */
static char *kind_world(const kind_case *k)
{
    char *buf = malloc(16384);
    snprintf(buf, 16384,
             "dcsim: 1\nkind: scenario\nname: k\n"
             "stages:\n"
             "  - dcsim: 1\n    kind: stage\n    name: k\n"
             "    geography:\n      dcsim: 1\n      kind: geography\n      name: three\n"
             "      cities: [{name: X, lon: 0, lat: 0}, {name: Y, lon: 1, lat: 1}, {name: Z, lon: 2, lat: 2}]\n"
             "      datacenters:\n"
             "        - {name: A, city: X, internal_latency: 0s, power: {ups: 0s, generator_start: 0s, feeds: 2}}\n"
             "        - {name: B, city: Y, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: C, city: Z, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "      links:\n"
             "        - {between: [X, Y], paths: [{name: short, latency: 1ms}, {name: long, latency: 10ms}]}\n"
             "        - {between: [Y, Z], paths: [{latency: 1ms}]}\n"
             "        - {between: [X, Z], paths: [{latency: 1ms}]}\n"
             "    datacenters: [A, B, C]\n"
             "    entry: {kind: dns, datacenters: [A, B], ttl: 5s, client_latency: 0s, routing: by-unit, health_check: {interval: 2s, threshold: 2, timeout: 1s}}\n"
             "    balancer: {kind: software, membership: health-check, health_check: {interval: 1s, threshold: 2, timeout: 500ms}}\n"
             "    registry: {datacenters: [A, B, C], heartbeat: 1s, threshold: 2, push_delay: 1s}\n"
             "    pools: [{name: app, workers: 100, boot: 0s, service_time: {w: 1ms, r: 1ms}}]\n"
             "    units:\n"
             "      - {name: u, kind: rzone, shards: 00-49, cells: [{datacenter: A, pool: app, servers: 4}, {datacenter: B, pool: app, servers: 4, standby: true}]}\n"
             "      - {name: v, kind: rzone, shards: 50-99, cells: [{datacenter: B, pool: app, servers: 4}, {datacenter: A, pool: app, servers: 4, standby: true}]}\n"
             "    databases: [{name: db, holds: [user, global], connections: 100000, workers: 10000, read: 1ms, write: 1ms, recovery: 0s,\n"
             "                 replication: {mode: async, applying: 10ms}, promotion: {mode: automatic, lease: 2s, election: 1s},\n"
             "                 groups: [{shards: 00-49, primary: B, replicas: [C]}, {shards: 50-99, primary: A, replicas: [C]}]}]\n"
             "start: \"00:00:00\"\nwarmup: 0s\nduration: 40s\n"
             "slo: {ratio: 99%%, window: 2s, hold: 5s}\n"
             "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}]}\n"
             "  types: [{name: w, share: 50%%, calls: [{data: user, op: write}]}, {name: r, share: 50%%, calls: [{data: user, op: read}]}]\n"
             "  client: {timeout: 1s, retries: 0}\n"
             "faults:\n  - {at: \"00:00:10\", kind: %s, %s, duration: 20s}\n",
             k->kind, k->fault);
    return buf;
}

static void window_means(const mdl_series *s, double from, double to, double *failed, double *p99)
{
    double f = 0, p = 0;
    int n = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].t >= from && s->p[i].t < to) {
            f += s->p[i].failed;
            p += s->p[i].p99;
            n++;
        }
    *failed = n ? f / n : 0;
    *p99 = n ? p / n : 0;
}

static void every_fault_kind_moves_the_metrics_the_way_it_must(void **state)
{
    (void)state;
    const kind_case cases[] = {
        {"target: {datacenter: A}, generator: fails", "power", MORE_FAILED, 100},
        {"target: {datacenter: A}", "breaker", MORE_FAILED, 100},
        {"target: {datacenter: A}", "feed", UNHARMED, 0}, /* A has two feeds */
        {"target: {datacenter: B}, share: 100%", "racks", MORE_FAILED, 100},
        {"target: {link: [X, Y]}", "link-cut", SLOWER, 0.0015}, /* round through Z: 1 ms more each way */
        {"target: {link: [X, Y], path: short}", "path-cut", SLOWER, 0.015},
        {"target: {datacenter: B}", "isolate", MORE_FAILED, 100},
        {"target: {city: X}, groups: [[X], [Y, Z]]", "partition", MORE_FAILED, 10},
        {"target: {link: [X, Y]}, latency: 50ms", "latency", SLOWER, 0.09},
        {"target: {link: [X, Y]}, loss: 30%", "loss", SLOWER, 0.1},
        {"target: {link: [X, Y]}, bandwidth: 0.0001%", "bandwidth", MORE_FAILED, 10},
        {"target: {pool: app, datacenter: A}, share: 100%", "pool-share", MORE_FAILED, 10},
        {"target: {datacenter: A}", "balancer", MORE_FAILED, 10},
        {"target: {shard: 10}", "db-primary", MORE_FAILED, 10},
        {"target: {shard: 10}", "db-replica", UNHARMED, 0}, /* async: nobody waits for it */
        {"target: {role: registry}", "registry", UNHARMED, 0}, /* alone, it breaks nothing */
        {"target: {shard: 10}, slowdown: 100", "gray", SLOWER, 0.05},
        {"target: {pool: app}, error_rate: 20%", "bad-release", MORE_FAILED, 150},
        {"target: {unit: u}, to_unit: v", "wrong-switch", MORE_FAILED, 100},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const kind_case *k = &cases[i];
        char *text = kind_world(k);
        mdl_config *cfg = tiny_load(text);
        mdl_world *w = tiny_world(cfg, 1, 5);
        free(text);
        assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
        double f0, p0, f1, p1;
        window_means(mdl_world_series(w), 2, 10, &f0, &p0);
        window_means(mdl_world_series(w), 12, 30, &f1, &p1);
        print_message("%-12s before: %7.1f failed/s, p99 %6.1f ms; during: %7.1f failed/s, p99 %6.1f ms\n",
                      k->kind, f0, p0 * 1e3, f1, p1 * 1e3);
        assert_true(f0 == 0);
        if (k->expect == MORE_FAILED)
            assert_true(f1 >= f0 + k->by);
        else if (k->expect == SLOWER)
            assert_true(p1 >= p0 + k->by);
        else
            assert_true(f1 == 0 && p1 < p0 * 1.5 + 0.002);
        /* Every fault ends when it says: a repair row at 30 s. */
        if (k->expect != UNHARMED || strcmp(k->kind, "feed") != 0)
            assert_true(fabs(event_time(w, "repair", 0) - 30) < 1e-9 || !strcmp(k->kind, "power"));
        mdl_world_destroy(w);
        mdl_config_free(cfg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(losing_the_only_datacenter_gives_zero_success_until_repair),
        cmocka_unit_test(a_majority_quorum_loses_no_acknowledged_write_when_any_datacenter_dies),
        cmocka_unit_test(a_majority_quorum_loses_nothing_when_the_leaders_city_dies),
        cmocka_unit_test(async_replication_loses_rate_times_shipping_and_promotes_after_applying),
        cmocka_unit_test(a_dns_switch_cannot_finish_before_the_ttl),
        cmocka_unit_test(a_manual_promotion_cannot_finish_before_the_human_response),
        cmocka_unit_test(a_lost_failover_database_falls_back_to_promotion),
        cmocka_unit_test(incident_phases_run_from_the_impact_to_when_failures_stopped),
        cmocka_unit_test(batteries_are_time_to_impact_not_rto),
        cmocka_unit_test(an_slo_break_with_no_fault_is_the_stages_own_incident),
        cmocka_unit_test(every_fault_kind_moves_the_metrics_the_way_it_must),
        cmocka_unit_test(random_failures_match_the_closed_form_availability),
        cmocka_unit_test(a_dark_datacenter_tells_each_server_and_copy_once),
        cmocka_unit_test(the_view_shows_the_world_as_it_stands),
    };
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
