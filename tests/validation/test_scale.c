/* test_scale.c -- scale: the shipped Double-11 scenario on the unit stage,
 * over 20 s at the peak, gives the same availability and p99 at scale 0.1
 * and at 1:1.
 *
 * Tolerance: at 1:1 the window holds about 11 million requests and at 0.1
 * about 1.1 million, so the sampling error of p99 is well below 0.5%; the
 * histogram adds at most 0.8%. What scale changes is discreteness: every
 * cell and database keeps its load per server and per worker, but counts
 * round (25.6 database workers become 26 at 0.1, 1.6% more capacity). The
 * p99 may therefore differ by a few percent, and we allow 5%; availability
 * (100% at the peak without faults) must agree within 0.01 points. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_peak_looks_the_same_at_scale_0_1_and_1),
    };
    return cmocka_run_group_tests_name("scale", tests, NULL, NULL);
}
