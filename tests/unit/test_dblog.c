/* test_dblog.c -- a shard group's log counts lost writes exactly whatever
 * the lag and the write rate: a million writes in a quarter of a million
 * batches, more than the old fixed history of 65,536 held, answer as the
 * whole history would and keep no more than the lag's worth; and an
 * asynchronous replica five minutes behind a high write rate, promoted when
 * its primary dies, loses rate x lag writes (Poisson: mean lambda L, sd
 * sqrt(lambda L)) with an RPO of the lag, at any scale. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "dblog.h"
#include "tiny_world.h"

/* Two datacenters in two cities 1 ms apart: the users and their servers in
 * B, the database's primary in A and its asynchronous replica in B, its
 * shipping `lag` (what it never received is lost), promoted by a human at once when its primary dies at `loss`
 * (never when "never"). Writes only, at `rate`, each acknowledged when it
 * reaches the primary's log. */
static char *async_pair(const char *lag, const char *rate, const char *loss, const char *duration)
{
    char faults[256] = "";
    if (strcmp(loss, "never"))
        snprintf(faults, sizeof faults,
                 "faults:\n  - {at: \"%s\", kind: db-primary, target: {database: db}, permanent: true}\n", loss);
    char *buf = malloc(8192);
    snprintf(buf, 8192,
             "dcsim: 1\nkind: scenario\nname: lag\n"
             "stages:\n"
             "  - dcsim: 1\n    kind: stage\n    name: lag\n"
             "    geography:\n      dcsim: 1\n      kind: geography\n      name: two\n"
             "      cities: [{name: X, lon: 0, lat: 0}, {name: Y, lon: 1, lat: 1}]\n"
             "      datacenters:\n"
             "        - {name: A, city: X, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: B, city: Y, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "      links: [{between: [X, Y], paths: [{latency: 1ms}]}]\n"
             "    datacenters: [A, B]\n"
             "    entry: {kind: vip, datacenters: [B], client_latency: 0s}\n"
             "    pools: [{name: app, workers: 1000, boot: 0s, service_time: {w: 1ms}}]\n"
             "    units: [{name: u, cells: [{datacenter: B, pool: app, servers: 4}]}]\n"
             "    databases: [{name: db, holds: [user, global], connections: 100000, workers: 10000, read: 1ms,"
             " write: 1ms, recovery: 0s, replication: {mode: async, shipping: %s, applying: 0s, batch: 1ms},"
             " promotion: {mode: manual, detect: 0s, response: 0s}, groups: [{primary: A, replicas: [B]}]}]\n"
             "start: \"00:00:00\"\nwarmup: 0s\nduration: %s\n"
             "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: %s}]}\n"
             "  types: [{name: w, share: 100%%, calls: [{data: user, op: write}]}]\n"
             "  client: {timeout: 1s, retries: 0}\n"
             "%s",
             lag, duration, rate, faults);
    return buf;
}

/* The whole history, kept the simple way: every batch's (time, lsn). */
typedef struct history {
    w_lsn_mark *m;
    size_t n;
} history;

static uint64_t history_lsn_at(const history *h, sim_time t)
{
    uint64_t lsn = 0;
    for (size_t lo = 0, hi = h->n; lo < hi;) { /* the last batch begun by t */
        size_t mid = (lo + hi) / 2;
        if (h->m[mid].t <= t) {
            lsn = h->m[mid].lsn;
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lsn;
}

static sim_time history_commit_time(const history *h, uint64_t lsn)
{
    size_t lo = 0, hi = h->n; /* the first batch holding it */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (h->m[mid].lsn < lsn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < h->n ? h->m[lo].t : -1;
}

/* A million writes 0.4 ms apart, in 1 ms batches (three writes a batch,
 * 1.2 ms apart), a replica five minutes behind: the log keeps the lag's
 * worth of batches, well past 65,536, and answers what a copy had, how
 * many writes it lacks and the oldest one's age exactly as the whole
 * history does, anywhere a question can reach. */
static void a_million_writes_answer_as_the_whole_history(void **state)
{
    (void)state;
    char *text = async_pair("5m", "1/s", "never", "2000s");
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 7);
    w_group *g = w->groups[0];
    enum { N = 1000000 };
    const sim_time gap = 400 * SIM_US, batch = SIM_MS;
    history h = {malloc(N * sizeof *h.m), 0};
    dblog_restart(g, 0);
    for (uint64_t i = 0; i < N; i++) {
        sim_time t = (sim_time)i * gap;
        g->lsn = i + 1;
        dblog_mark(g, t);
        if (h.n > 0 && t < h.m[h.n - 1].t + batch)
            h.m[h.n - 1].lsn = i + 1;
        else
            h.m[h.n++] = (w_lsn_mark){t, i + 1};
    }
    sim_time now = (sim_time)(N - 1) * gap;
    /* Reach: the 5 min lag plus twice the longest delay (three 1 ms links). */
    sim_time reach = 300 * SIM_SEC + 2 * 3 * SIM_MS;
    print_message("%zu batches of %d writes; the log keeps %zu (ring of %zu)\n", h.n, N, g->n_marks, g->mark_cap);
    assert_int_equal(h.n, (N + 2) / 3);
    assert_true(g->n_marks > 65536);
    assert_true(g->n_marks <= (size_t)(reach / (3 * gap)) + 2); /* the lag's worth, no more */
    /* What a copy five minutes behind has (the batches begun by 100 s, of
     * three writes each), what it lacks, and the oldest lacking write's
     * age (its batch began 1.2 ms after the last the copy has). */
    sim_time behind = now - 300 * SIM_SEC;
    uint64_t had = dblog_lsn_at(g, behind), batches = (uint64_t)(behind / (3 * gap)) + 1;
    sim_time oldest = dblog_commit_time(g, had + 1);
    print_message("5 min behind: %llu writes lacking, the oldest %.4f s old\n",
                  (unsigned long long)(g->lsn - had), sim_time_to_seconds(now - oldest));
    assert_int_equal(had, 3 * batches);
    assert_int_equal(g->lsn - had, N - 3 * batches);
    assert_int_equal(oldest, (sim_time)batches * 3 * gap);
    assert_int_equal(had, history_lsn_at(&h, behind));
    assert_int_equal(oldest, history_commit_time(&h, had + 1));
    /* Anywhere in reach, on a batch's start or between. */
    for (sim_time t = now - reach; t <= now; t += 997 * SIM_US + 13) {
        uint64_t got = dblog_lsn_at(g, t);
        assert_int_equal(got, history_lsn_at(&h, t));
        if (got < g->lsn)
            assert_int_equal(dblog_commit_time(g, got + 1), history_commit_time(&h, got + 1));
    }
    free(h.m);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

/* The primary dies at 330 s with its replica 5 min (plus 1 ms of network)
 * behind, at 1000 writes a second: about 300,001 acknowledged writes lost,
 * sd about 548, whatever the scale (counted in real-world writes); the
 * oldest lost was committed 300.001 s before the loss, less at most the
 * batch that held what the replica had and the wait for the next write. */
static void a_replica_five_minutes_behind_loses_rate_times_lag(void **state)
{
    (void)state;
    const double scales[] = {1, 0.25};
    for (size_t k = 0; k < sizeof scales / sizeof *scales; k++) {
        char *text = async_pair("5m", "1000/s", "00:05:30", "340s");
        mdl_config *cfg = tiny_load(text);
        mdl_world *w = tiny_world(cfg, scales[k], 21);
        assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
        double lost = world_real_count(w, w->lost_writes), expect = 1000 * 300.001;
        double sd = sqrt(expect * scales[k]) / scales[k]; /* the simulated count's, in real writes */
        double rpo = sim_time_to_seconds(w->rpo);
        print_message("scale %g: %.0f writes lost (rate x lag = %.0f, sd %.0f), RPO %.4f s\n", scales[k], lost,
                      expect, sd, rpo);
        assert_true(fabs(lost - expect) < 5 * sd);
        assert_true(rpo <= 300.001 + 1e-9);
        assert_true(rpo > 300.001 - 0.02);
        mdl_world_destroy(w);
        mdl_config_free(cfg);
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_million_writes_answer_as_the_whole_history),
        cmocka_unit_test(a_replica_five_minutes_behind_loses_rate_times_lag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
