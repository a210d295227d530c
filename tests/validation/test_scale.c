/* test_scale.c -- scale: the shipped Double-11 scenario on the unit stage
 * gives the same answers at a small scale as at a larger one.
 *
 * 1. Over 20 s at the peak, the same availability and p99 at scale 0.1
 *    and at 1:1. At 1:1 the window holds about 11 million requests and at
 *    0.1 about 1.1 million, so the sampling error of p99 is well below
 *    0.5%; the histogram adds at most 0.8%. Every cell and database keeps
 *    its load per server and per worker and its total capacity (counts
 *    that round make it up in speed: world_scale.h), but a pool of 26
 *    workers queues a little more than one of 256, so we allow 5% on p99;
 *    availability (100% at the peak without faults) must agree within 0.01
 *    points.
 * 2. The datacenter's power loss at the peak, with two-minute batteries:
 *    availability, seconds below the SLO and p99 at the peak at 0.02 agree
 *    with 0.1 within the seeds' 95% intervals (widened by the figures' own
 *    resolution: a second, two buckets of the histogram). At 0.005, which
 *    the program refuses (a database primary of 1.28 workers), a world
 *    built anyway keeps every total: availability and seconds below the
 *    SLO agree too (before totals were kept: 527 s below the SLO against
 *    51 s), but its one database worker makes queries wait where 256 do
 *    not, and p99 at the peak is 13-20% higher: that is why it is
 *    refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "sim_stats.h"
#include "tiny_world.h"

static char *peak_window_text(void)
{
    FILE *f = fopen("scenarios/double11-idc-power-loss.yaml", "rb");
    assert_non_null(f);
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[n] = '\0';
    /* The stage, the window, and no faults. */
    char *faults = strstr(text, "\nfaults:");
    assert_non_null(faults);
    faults[1] = '\0';
    char *p = strstr(text, "stages: [pure, naive, mature, unit]");
    memcpy(p, "stages: [unit]                     ", 35);
    p = strstr(text, "start: \"23:58:30\"");
    memcpy(p, "start: \"00:04:50\"", 17);
    p = strstr(text, "warmup: 30s");
    memcpy(p, "warmup: 10s", 11);
    p = strstr(text, "duration: 21m");
    memcpy(p, "duration: 20s", 13);
    return text;
}

static void run(double scale, mdl_headline *h)
{
    char *text = peak_window_text();
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_text("scenarios/scale.yaml", text, strlen(text), &cfg, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    mdl_world *w = tiny_world(cfg, scale, 11);
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    mdl_world_headline(w, h);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

static void the_peak_looks_the_same_at_scale_0_1_and_1(void **state)
{
    (void)state;
    mdl_headline small, full;
    run(0.1, &small);
    run(1.0, &full);
    print_message("scale 0.1: availability %.5f%%, p99 %.2f ms; scale 1: availability %.5f%%, p99 %.2f ms\n",
                  small.availability * 100, small.p99 * 1e3, full.availability * 100, full.p99 * 1e3);
    assert_true(full.offered > 1e7);
    assert_true(fabs(small.availability - full.availability) < 1e-4);
    assert_true(fabs(small.p99 - full.p99) < 0.05 * full.p99);
}

/* ==== The power loss at the peak, at small scales ==== */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char *text = calloc(1, 1 << 20);
    size_t n = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    text[n] = '\0';
    return text;
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *const fixture_files[] = {"geography.yaml", "unit.yaml", "scenario.yaml"};

/* The default scenario on the unit stage, its batteries two minutes long
 * (the geography, then the stage beside it, in dir): the datacenter goes
 * dark at 00:03, 2.5 minutes before the peak. The run: 00:01:00 to
 * 00:05:00, the fault, the switch, the recovery and the busiest minute. */
static mdl_config *load_power_loss(char *dir)
{
    assert_non_null(mkdtemp(dir));
    char *geo = tiny_replace(read_text("models/stages/geography.yaml"), "ups: 10m ", "ups: 2m ");
    char *unit = read_text("models/stages/unit.yaml");
    char *scn = read_text("scenarios/double11-idc-power-loss.yaml");
    scn = tiny_replace(scn, "start: \"23:58:30\"", "start: \"00:00:40\"");
    scn = tiny_replace(scn, "warmup: 30s", "warmup: 20s");
    scn = tiny_replace(scn, "duration: 21m", "duration: 4m");
    write_text(dir, fixture_files[0], geo);
    write_text(dir, fixture_files[1], unit);
    write_text(dir, fixture_files[2], scn);
    free(geo);
    free(unit);
    free(scn);
    char scn_path[512], stage_path[512];
    snprintf(scn_path, sizeof scn_path, "%s/scenario.yaml", dir);
    snprintf(stage_path, sizeof stage_path, "%s/unit.yaml", dir);
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_with_stage(scn_path, stage_path, &cfg, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    return cfg;
}

static void remove_fixture(const char *dir)
{
    for (size_t i = 0; i < sizeof fixture_files / sizeof *fixture_files; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, fixture_files[i]);
        unlink(path);
    }
    rmdir(dir);
}

#define SEEDS 3
static const double small_scales[] = {0.1, 0.02, 0.005}; /* the first is the reference */
#define N_SCALES (sizeof small_scales / sizeof *small_scales)
/* The figures that must agree with the reference's, a bit each. */
static const int compared[N_SCALES] = {0, 7, 3};

typedef struct scale_job {
    double scale;
    uint64_t seed;
    int rc;
    double figure[3];           /* availability, seconds below the SLO, p99 at the peak */
} scale_job;

static const char *const figure_names[3] = {"availability", "seconds below the SLO", "p99 at the peak (s)"};

typedef struct job_queue {
    const mdl_config *cfg;
    scale_job *jobs;
    int n, next;
    pthread_mutex_t lock;
} job_queue;

static void run_job(const mdl_config *cfg, scale_job *j)
{
    mdl_run_options opt = {j->scale, j->seed, 1, SIM_QUEUE_DEFAULT, NULL};
    mdl_world *w;
    char err[512];
    if ((j->rc = mdl_world_create(cfg, 0, &opt, &w, err, sizeof err)))
        return;
    j->rc = mdl_world_run(w, 0, NULL, NULL);
    mdl_headline h;
    mdl_world_headline(w, &h);
    j->figure[0] = h.availability;
    j->figure[1] = h.seconds_below_slo;
    j->figure[2] = h.peak_p99;
    mdl_world_destroy(w);
}

/* Two runs at a time (runs share nothing but the config). */
static void *worker(void *arg)
{
    job_queue *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        int i = q->next < q->n ? q->next++ : -1;
        pthread_mutex_unlock(&q->lock);
        if (i < 0)
            return NULL;
        run_job(q->cfg, &q->jobs[i]);
    }
}

/* What a figure can tell apart at best: a second below the SLO, two
 * buckets of the latency histogram (1/128 of an octave each). */
static double resolution(int figure, double value)
{
    return figure == 1 ? 1 : figure == 2 ? value * 2 * (exp2(1.0 / 128) - 1) : 0;
}

static void small_scales_agree_with_0_1_through_the_power_loss(void **state)
{
    (void)state;
    char dir[] = "/tmp/dcsim-scale-XXXXXX";
    mdl_config *cfg = load_power_loss(dir);
    scale_job jobs[N_SCALES * SEEDS];
    for (size_t k = 0; k < N_SCALES * SEEDS; k++) /* the long ones first */
        jobs[k] = (scale_job){small_scales[k / SEEDS], 1 + k % SEEDS, 0, {0}};
    job_queue q = {cfg, jobs, (int)(N_SCALES * SEEDS), 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker, &q), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    mdl_config_free(cfg);
    remove_fixture(dir);
    double mean[N_SCALES][3], half[N_SCALES][3];
    for (size_t s = 0; s < N_SCALES; s++)
        for (int f = 0; f < 3; f++) {
            double x[SEEDS];
            for (int k = 0; k < SEEDS; k++) {
                assert_int_equal(jobs[s * SEEDS + (size_t)k].rc, 0);
                x[k] = jobs[s * SEEDS + (size_t)k].figure[f];
            }
            sim_mean_ci95(x, SEEDS, &mean[s][f], &half[s][f]);
            print_message("scale %-5g %-22s %.6g +- %.3g (%.6g %.6g %.6g)\n", small_scales[s], figure_names[f],
                          mean[s][f], half[s][f], x[0], x[1], x[2]);
        }
    for (size_t s = 1; s < N_SCALES; s++)
        for (int f = 0; f < 3; f++) {
            if (!(compared[s] & 1 << f))
                continue;
            double allowed = half[s][f] + half[0][f] + resolution(f, mean[0][f]);
            if (fabs(mean[s][f] - mean[0][f]) > allowed)
                fail_msg("%s at scale %g: %.6g, at 0.1: %.6g (apart by more than the intervals' %.3g)",
                         figure_names[f], small_scales[s], mean[s][f], mean[0][f], allowed);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_peak_looks_the_same_at_scale_0_1_and_1),
        cmocka_unit_test(small_scales_agree_with_0_1_through_the_power_loss),
    };
    return cmocka_run_group_tests_name("scale", tests, NULL, NULL);
}
