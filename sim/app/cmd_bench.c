/* cmd_bench.c -- `dcsim bench`: how fast the engine (and, later, the whole
 * simulator) runs on this machine. A benchmark, never a test: it prints
 * figures and asserts nothing about them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "bench_engine.h"
#include "sim_status.h"

static const char *const usage =
    "usage: dcsim bench engine [--queue radix|heap4|calendar] [--no-lanes] [--candidates]\n"
    "                          [--events N] [--reps K] [--peer PATH]\n"
    "\n"
    "Runs the hold, hold+cancel and mix workloads at N = 1,000 and 100,000\n"
    "pending events and prints the median events fired per second of K runs,\n"
    "with their range; ratios are the median (and range) of each run's own.\n"
    "  --queue Q       the main queue's structure (default: the engine's default)\n"
    "  --no-lanes      schedule constant-delay events on the main queue too\n"
    "  --candidates    every structure, with and without lanes, one block each\n"
    "  --events N      events fired per run (default 10000000)\n"
    "  --reps K        repetitions: the median and the range are printed (default 5)\n"
    "  --peer PATH     also run a peer hold harness (bench-peers/c/hold_bheap)\n"
    "                  at the same N and events, interleaved, and print ratios\n"
    "  --workload W    only hold, hold+cancel or mix (for profiling)\n"
    "  --pending N     only this N (for profiling)\n"
    "\n"
    "usage: dcsim bench e2e [--stage S] [--scale F] [--window SECONDS] [--queue Q]\n"
    "                       [--reps K] [--peer PATH]\n"
    "\n"
    "Runs the shipped Double-11 scenario on the unit stage (or S) at 1:1 (or\n"
    "F) over two minutes (or SECONDS) around the midnight peak, and prints the\n"
    "simulated requests per second of wall time, the real-time factor, events\n"
    "per request, events per second and the peak resident memory.\n"
    "  --reps K        repetitions, each on a fresh world: every run's line, then the\n"
    "                  median and range of requests/s and events/s (default 1)\n"
    "  --peer PATH     after each run, the peer hold harness at N = 100,000 and\n"
    "                  10,000,000 events, and the ratio requests/s / its events/s\n";

/* The most repetitions: the runs' figures are kept in arrays this long. */
enum { MAX_REPS = 64 };

typedef struct bench_options {
    uint64_t events;
    int reps;
    const char *peer;
    int only_workload;   /* -1: all */
    uint64_t only_n;     /* 0: both sizes */
} bench_options;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs the peer harness once; returns its in-loop events/s, or -1. */
static double run_peer(const char *path, uint64_t n, uint64_t events)
{
    char command[1024];
    snprintf(command, sizeof command, "'%s' %llu %llu 2>/dev/null", path, (unsigned long long)n,
             (unsigned long long)events);
    FILE *p = popen(command, "r");
    if (!p)
        return -1;
    char line[1024];
    double eps = -1;
    while (fgets(line, sizeof line, p)) {
        const char *at = strstr(line, "events_per_s=");
        if (at)
            eps = strtod(at + strlen("events_per_s="), NULL);
    }
    pclose(p);
    return eps > 0 ? eps : -1; /* 0 or unreadable: did not run */
}

/* A measure over runs: the median and the range. */
typedef struct spread {
    double median, lo, hi;
} spread;

/* The spread of v[0..n); sorts v in place. */
static spread spread_of(double *v, int n)
{
    spread s = {median(v, n), v[0], v[n - 1]};
    return s;
}

/* a[r] / b[r] for each run r: the ratio of two workloads run back to back,
 * so a slow spell of the machine falls on both. */
static spread ratio_spread(const double *a, const double *b, int n)
{
    double r[MAX_REPS];
    for (int i = 0; i < n; i++)
        r[i] = a[i] / b[i];
    return spread_of(r, n);
}

/* --reps K, for engine and e2e alike. */
static int parse_reps(const char *value, int *reps)
{
    char *end;
    long k = strtol(value, &end, 10);
    if (*end || k < 1 || k > MAX_REPS)
        return app_usage_error("bench", "--reps: expected 1 to %d, got \"%s\"", MAX_REPS, value);
    *reps = (int)k;
    return EXIT_DONE;
}

/* One block: for each N, the three workloads (and the peer) run in turn,
 * rep after rep, so that a slow spell on a shared machine falls on all of
 * them alike and the ratios stay fair. Each line gives the median and the
 * range of the runs; the ratios are medians of the runs' own ratios, with
 * their range, so that a noisy machine shows as a wide range rather than
 * as a different figure. */
static int run_block(sim_queue_kind queue, int lanes, const bench_options *opt)
{
    static const uint64_t sizes[] = {1000, 100000};
    enum { W = 3 };
    printf("engine: %s queue, constant delays %s; median (and range) of %d runs of %llu events\n",
           sim_queue_kind_name(queue), lanes ? "on lanes" : "on the main queue", opt->reps,
           (unsigned long long)opt->events);
    for (size_t s = 0; s < 2; s++) {
        if (opt->only_n && sizes[s] != opt->only_n)
            continue;
        double ours[W][MAX_REPS], peer[MAX_REPS];
        int ran[W] = {0};
        int peer_ok = opt->peer != NULL && (opt->only_workload < 0 || opt->only_workload == 0);
        for (int r = 0; r < opt->reps; r++) {
            for (int w = 0; w < W; w++) {
                if (opt->only_workload >= 0 && w != opt->only_workload)
                    continue;
                bench_config cfg = {(bench_workload)w, sizes[s], opt->events, queue, lanes,
                                    (uint64_t)r + 1};
                bench_result res;
                if (bench_engine_run(&cfg, &res)) {
                    fprintf(stderr, "dcsim: bench: %s\n", sim_strerror(SIM_ENOMEM));
                    return EXIT_RUN_FAILED;
                }
                ours[w][r] = res.events_per_second;
                ran[w] = 1;
                if (w == BENCH_HOLD && peer_ok &&
                    (peer[r] = run_peer(opt->peer, sizes[s], opt->events)) < 0)
                    peer_ok = 0;
            }
        }
        if (opt->peer && !peer_ok)
            fprintf(stderr, "dcsim: bench: the peer %s did not run\n", opt->peer);
        /* Ratios first: spread_of() sorts the rates it is given. */
        spread vs_peer = {0}, vs_hold = {0};
        if (peer_ok)
            vs_peer = ratio_spread(ours[BENCH_HOLD], peer, opt->reps);
        if (ran[BENCH_HOLD] && ran[BENCH_HOLD_CANCEL])
            vs_hold = ratio_spread(ours[BENCH_HOLD_CANCEL], ours[BENCH_HOLD], opt->reps);
        for (int w = 0; w < W; w++) {
            if (!ran[w])
                continue;
            spread m = spread_of(ours[w], opt->reps);
            printf("%s N=%llu: %.2f M events/s (%.2f-%.2f)", bench_workload_name((bench_workload)w),
                   (unsigned long long)sizes[s], m.median / 1e6, m.lo / 1e6, m.hi / 1e6);
            if (w == BENCH_HOLD && peer_ok) {
                spread p = spread_of(peer, opt->reps);
                printf("   (plain C binary heap %.2f M events/s: %.2fx, %.2f-%.2fx)", p.median / 1e6,
                       vs_peer.median, vs_peer.lo, vs_peer.hi);
            }
            if (w == BENCH_HOLD_CANCEL && vs_hold.median > 0)
                printf("   (%.2fx hold, %.2f-%.2fx)", vs_hold.median, vs_hold.lo, vs_hold.hi);
            printf("\n");
        }
    }
    fflush(stdout);
    return EXIT_DONE;
}

/* ==== bench e2e ==== */

typedef struct e2e_options {
    const char *stage_name;
    double scale, window;
    int queue;
    int reps;
    const char *peer;
} e2e_options;

/* The peer's size: the engine bench's larger N and its default events, so
 * that the heap's figure can be read against bench engine's too. */
#define E2E_PEER_N 100000
#define E2E_PEER_EVENTS 10000000

static void print_e2e_run(const e2e_options *o, const bench_e2e_result *r)
{
    printf("e2e %s %s (%s queue): %.2f M simulated requests/s of wall time, %.2fx real time, "
           "%.1f events/request, %.1f M events/s, peak RSS %.0f MB\n",
           o->stage_name, o->scale == 1 ? "1:1" : "scaled", sim_queue_kind_name((sim_queue_kind)o->queue),
           r->requests_per_s / 1e6, r->realtime_factor, r->events_per_request, r->events_per_s / 1e6,
           r->peak_rss_mb);
}

/* The peer's events/s; -1, having said so, if it did not run. */
static double run_e2e_peer(const char *path, uint64_t n, uint64_t events)
{
    double eps = run_peer(path, n, events);
    if (eps < 0)
        fprintf(stderr, "dcsim: bench e2e: the peer %s did not run\n", path);
    return eps;
}

static void print_peer_run(double requests_per_s, double peer_eps)
{
    printf("  plain C binary heap N=%d, %d events: %.2f M events/s; "
           "simulated requests/s over heap events/s: %.3fx\n",
           E2E_PEER_N, E2E_PEER_EVENTS, peer_eps / 1e6, requests_per_s / peer_eps);
}

/* The medians, with the range of the runs (sorting the arrays). The ratio is the median of the
 * runs' own ratios (each e2e run over the peer run right after it), so
 * that a slow spell of the machine shows as a wide range. */
static void print_e2e_medians(const e2e_options *o, double *requests, double *events, double *peer)
{
    spread vs_peer = {0};
    if (o->peer)
        vs_peer = ratio_spread(requests, peer, o->reps); /* before spread_of() sorts them */
    spread q = spread_of(requests, o->reps), e = spread_of(events, o->reps);
    printf("e2e median of %d runs: %.2f M simulated requests/s (%.2f-%.2f), %.1f M events/s (%.1f-%.1f)\n",
           o->reps, q.median / 1e6, q.lo / 1e6, q.hi / 1e6, e.median / 1e6, e.lo / 1e6, e.hi / 1e6);
    if (!o->peer)
        return;
    spread p = spread_of(peer, o->reps);
    printf("plain C binary heap median: %.2f M events/s (%.2f-%.2f); "
           "simulated requests/s over heap events/s: %.3fx (%.3f-%.3fx)\n",
           p.median / 1e6, p.lo / 1e6, p.hi / 1e6, vs_peer.median, vs_peer.lo, vs_peer.hi);
}

/* The runs: each on a fresh world, each followed by the peer if any. */
static int run_e2e(const e2e_options *o)
{
    double requests[MAX_REPS], events[MAX_REPS], peer[MAX_REPS];
    /* A tiny run finds a peer that cannot run before the first e2e run
     * (a minute or so at the defaults) rather than after it. */
    if (o->peer && run_e2e_peer(o->peer, 1000, 1000) < 0)
        return EXIT_RUN_FAILED;
    char machine[512];
    app_describe_machine(machine, sizeof machine);
    printf("%s\n", machine);
    for (int r = 0; r < o->reps; r++) {
        bench_e2e_result res;
        int rc = bench_e2e(o->stage_name, o->scale, o->window, o->queue, &res);
        if (rc)
            return rc;
        print_e2e_run(o, &res);
        requests[r] = res.requests_per_s;
        events[r] = res.events_per_s;
        if (o->peer) {
            if ((peer[r] = run_e2e_peer(o->peer, E2E_PEER_N, E2E_PEER_EVENTS)) < 0)
                return EXIT_RUN_FAILED;
            print_peer_run(requests[r], peer[r]);
        }
        fflush(stdout);
    }
    if (o->reps > 1)
        print_e2e_medians(o, requests, events, peer);
    return EXIT_DONE;
}

static int cmd_bench_e2e(int argc, char **argv)
{
    e2e_options o = {"unit", 1, 120, SIM_QUEUE_DEFAULT, 1, NULL};
    for (int i = 2; i < argc; i++) {
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(argv[i], "--stage") && value) {
            o.stage_name = value;
            i++;
        } else if (!strcmp(argv[i], "--scale") && value) {
            o.scale = strtod(value, &end);
            if (*end || !(o.scale > 0) || o.scale > 1)
                return app_usage_error("bench", "--scale: expected a fraction in (0, 1], got \"%s\"", value);
            i++;
        } else if (!strcmp(argv[i], "--queue") && value) {
            if ((o.queue = sim_queue_kind_parse(value)) < 0)
                return app_usage_error("bench", "--queue: unknown structure \"%s\" (known: radix, heap4, calendar)", value);
            i++;
        } else if (!strcmp(argv[i], "--window") && value) {
            o.window = strtod(value, &end);
            if (*end || !(o.window >= 1) || o.window > 3600)
                return app_usage_error("bench", "--window: expected 1 to 3600 seconds, got \"%s\"", value);
            i++;
        } else if (!strcmp(argv[i], "--reps") && value) {
            if (parse_reps(value, &o.reps))
                return EXIT_BAD_INPUT;
            i++;
        } else if (!strcmp(argv[i], "--peer") && value) {
            o.peer = value;
            i++;
        } else {
            return app_usage_error("bench", "unknown or incomplete option \"%s\"", argv[i]);
        }
    }
    return run_e2e(&o);
}

int cmd_bench(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_DONE;
    }
    if (strcmp(argv[1], "e2e") == 0)
        return cmd_bench_e2e(argc, argv);
    if (strcmp(argv[1], "view") == 0) {
        const char *scenario = "scenarios/double11-idc-power-loss.yaml";
        int w = 1920, h = 1080;
        double seconds = 10;
        for (int i = 2; i < argc; i++) {
            const char *value = i + 1 < argc ? argv[i + 1] : NULL;
            char *end;
            if (!strcmp(argv[i], "--scenario") && value)
                scenario = value, i++;
            else if (!strcmp(argv[i], "--seconds") && value) {
                seconds = strtod(value, &end);
                if (*end || !(seconds >= 1 && seconds <= 600))
                    return app_usage_error("bench", "--seconds: expected 1 to 600, got \"%s\"", value);
                i++;
            } else
                return app_usage_error("bench", "unknown or incomplete option \"%s\"", argv[i]);
        }
        return bench_view(scenario, w, h, seconds);
    }
    if (strcmp(argv[1], "engine") != 0)
        return app_usage_error("bench", "unknown benchmark \"%s\" (known: engine, e2e, view)", argv[1]);
    bench_options opt = {10000000, 5, NULL, -1, 0};
    int queue = SIM_QUEUE_DEFAULT, lanes = 1, candidates = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-lanes") == 0) {
            lanes = 0;
        } else if (strcmp(a, "--candidates") == 0) {
            candidates = 1;
        } else if (strcmp(a, "--queue") == 0 && value) {
            if ((queue = sim_queue_kind_parse(value)) < 0)
                return app_usage_error("bench", "--queue: unknown structure \"%s\" (known: radix, heap4, calendar)", value);
            i++;
        } else if (strcmp(a, "--events") == 0 && value) {
            char *end;
            opt.events = strtoull(value, &end, 10);
            if (*end || opt.events == 0)
                return app_usage_error("bench", "--events: expected a positive integer, got \"%s\"", value);
            i++;
        } else if (strcmp(a, "--reps") == 0 && value) {
            if (parse_reps(value, &opt.reps))
                return EXIT_BAD_INPUT;
            i++;
        } else if (strcmp(a, "--workload") == 0 && value) {
            opt.only_workload = -1;
            for (int w = 0; w < 3; w++)
                if (strcmp(value, bench_workload_name((bench_workload)w)) == 0)
                    opt.only_workload = w;
            if (opt.only_workload < 0)
                return app_usage_error("bench", "--workload: unknown \"%s\" (known: hold, hold+cancel, mix)", value);
            i++;
        } else if (strcmp(a, "--pending") == 0 && value) {
            opt.only_n = strtoull(value, NULL, 10);
            if (opt.only_n != 1000 && opt.only_n != 100000)
                return app_usage_error("bench", "--pending: expected 1000 or 100000, got \"%s\"", value);
            i++;
        } else if (strcmp(a, "--peer") == 0 && value) {
            opt.peer = value;
            i++;
        } else {
            return app_usage_error("bench", "unknown or incomplete option \"%s\"", a);
        }
    }
    char machine[512];
    app_describe_machine(machine, sizeof machine);
    printf("%s\n", machine);
    if (!candidates)
        return run_block((sim_queue_kind)queue, lanes, &opt);
    for (int k = 0; k < SIM_QUEUE_KINDS; k++)
        for (int l = 1; l >= 0; l--) {
            int rc = run_block((sim_queue_kind)k, l, &opt);
            if (rc)
                return rc;
        }
    return EXIT_DONE;
}
