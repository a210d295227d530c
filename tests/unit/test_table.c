/* test_table.c -- the headline table's honesty: a value that does not
 * exist is "—" and never marked; a mark means better by more than noise
 * (the least difference of one run, overlapping intervals of replicates);
 * latency is ranked only among stages that served the peak alike; the RTO
 * of replicates averages only the runs that recovered; failures are told
 * by cause. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rpt_table.h"

#define DASH "\u2014"

static rpt_row rows[RPT_MAX_ROWS];

static const rpt_row *row_of(const rpt_input *in, const char *label)
{
    int n = rpt_table(in, rows);
    for (int i = 0; i < n; i++)
        if (!strcmp(rows[i].label, label))
            return &rows[i];
    fail_msg("no row %s", label);
    return NULL;
}

/* Stages of one run each, with the headline given. */
static rpt_input one_run_each(rpt_run *runs, rpt_stage *stages, int n)
{
    for (int s = 0; s < n; s++)
        stages[s] = (rpt_stage){.name = "stage", .runs = &runs[s], .n_runs = 1};
    return (rpt_input){.stages = stages, .n_stages = n};
}

static void a_value_that_does_not_exist_is_a_dash_and_never_marked(void **state)
{
    (void)state;
    static rpt_run runs[3];
    memset(runs, 0, sizeof runs);
    /* Pure: nothing promoted, nothing lost: nothing to lose. Naive lost
     * some; unit promoted and lost none. */
    runs[1].h.promotions = 11;
    runs[1].h.lost_writes = 221250;
    runs[1].h.rpo = 2.1;
    runs[2].h.promotions = 5;
    rpt_stage stages[3];
    rpt_input in = one_run_each(runs, stages, 3);
    const rpt_row *lost = row_of(&in, "Lost writes");
    assert_string_equal(lost->cell[0], DASH);
    assert_false(lost->best[0]);
    assert_false(lost->best[1]);
    assert_true(lost->best[2]); /* 0 lost where something was at stake */
    const rpt_row *rpo = row_of(&in, "RPO");
    assert_string_equal(rpo->cell[0], DASH);
    assert_false(rpo->best[0]);
    assert_true(rpo->best[2]);
}

static void latency_is_ranked_only_among_stages_that_served_the_peak_alike(void **state)
{
    (void)state;
    static rpt_run runs[3];
    memset(runs, 0, sizeof runs);
    /* A stage that served 0.5% of its peak: its latency is nothing to show.
     * One at 97%: fast because it failed its slow requests, not ranked.
     * One at 100%: the only one ranked, so nothing is marked. */
    const double availability[3] = {0.005, 0.97, 1.0}, p99[3] = {0.010, 0.020, 0.060};
    for (int s = 0; s < 3; s++) {
        runs[s].h.peak_availability = availability[s];
        runs[s].h.peak_p50 = runs[s].h.peak_p99 = runs[s].h.peak_p999 = p99[s];
    }
    rpt_stage stages[3];
    rpt_input in = one_run_each(runs, stages, 3);
    const rpt_row *row = row_of(&in, "Latency p99 at the peak");
    assert_string_equal(row->cell[0], DASH);
    assert_string_equal(row->cell[1], "20.0 ms");
    assert_true(!row->best[0] && !row->best[1] && !row->best[2]);
    /* Two comparable stages (within a point), 5% apart or more: the faster marked. */
    runs[1].h.peak_availability = 0.995;
    runs[1].h.peak_p99 = 0.050;
    row = row_of(&in, "Latency p99 at the peak");
    assert_true(!row->best[0] && row->best[1] && !row->best[2]);
    /* Within 5%: noise, no mark. */
    runs[1].h.peak_p99 = 0.058;
    row = row_of(&in, "Latency p99 at the peak");
    assert_true(!row->best[1] && !row->best[2]);
}

static void one_run_marks_only_differences_above_the_least_one(void **state)
{
    (void)state;
    static rpt_run runs[3];
    memset(runs, 0, sizeof runs);
    /* 99.9999% and 99.9996% from one seed are one value; 99.0% is worse. */
    const double availability[3] = {0.999999, 0.999996, 0.99};
    for (int s = 0; s < 3; s++) {
        runs[s].h.availability = availability[s];
        runs[s].h.peak_served = 540000;
    }
    runs[2].h.peak_served = 400000;
    rpt_stage stages[3];
    rpt_input in = one_run_each(runs, stages, 3);
    const rpt_row *row = row_of(&in, "Availability");
    assert_true(row->best[0] && row->best[1] && !row->best[2]);
    row = row_of(&in, "Served at the peak");
    assert_true(row->best[0] && row->best[1] && !row->best[2]);
    /* All within noise: nothing marked. */
    runs[2].h.availability = 0.999995;
    row = row_of(&in, "Availability");
    assert_true(!row->best[0] && !row->best[1] && !row->best[2]);
}

static void replicates_mark_only_intervals_that_do_not_overlap(void **state)
{
    (void)state;
    /* Two stages of five runs each: means 99.90% and 99.80%. */
    static rpt_run a[5], b[5];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    const double spread_tight[5] = {-0.0002, -0.0001, 0, 0.0001, 0.0002};
    const double spread_wide[5] = {-0.004, -0.002, 0, 0.002, 0.004};
    for (int k = 0; k < 5; k++) {
        a[k].h.availability = 0.9990 + spread_tight[k] / 100;
        b[k].h.availability = 0.9980 + spread_tight[k] / 100;
    }
    rpt_stage stages[2] = {{.name = "a", .runs = a, .n_runs = 5}, {.name = "b", .runs = b, .n_runs = 5}};
    rpt_input in = {.stages = stages, .n_stages = 2};
    const rpt_row *row = row_of(&in, "Availability");
    assert_true(row->best[0] && !row->best[1]); /* tight intervals, apart */
    for (int k = 0; k < 5; k++) {
        a[k].h.availability = 0.9990 + spread_wide[k];
        b[k].h.availability = 0.9980 + spread_wide[k];
    }
    row = row_of(&in, "Availability");
    assert_true(!row->best[0] && !row->best[1]); /* overlapping: not told apart */
}

static void replicates_average_the_rto_of_the_runs_that_recovered(void **state)
{
    (void)state;
    static rpt_run runs[4];
    memset(runs, 0, sizeof runs);
    static mdl_incident in[4];
    const double rto[4] = {40, 50, 1140, 1140};
    for (int k = 0; k < 4; k++) {
        in[k] = (mdl_incident){.broke_slo = 1, .recovered = k < 2, .rto = rto[k], .cause = FAIL_FAULT};
        runs[k].incidents = &in[k];
        runs[k].n_incidents = 1;
    }
    rpt_stage one = {.name = "s", .runs = runs, .n_runs = 4};
    rpt_input input = {.stages = &one, .n_stages = 1};
    const rpt_row *row = row_of(&input, "RTO");
    print_message("RTO over 2 recovered and 2 not: %s\n", row->cell[0]);
    assert_non_null(strstr(row->cell[0], "45 s \u00b1"));
    assert_non_null(strstr(row->cell[0], "2 of 4 not recovered"));
    assert_null(strstr(row->cell[0], "1140"));
    in[0].recovered = in[1].recovered = 0;
    row = row_of(&input, "RTO");
    assert_string_equal(row->cell[0], "not recovered (4 of 4)");
}

static void one_run_tells_each_incident_the_stages_own_named(void **state)
{
    (void)state;
    static rpt_run runs[2];
    memset(runs, 0, sizeof runs);
    static mdl_incident pure[2], unit[1];
    pure[0] = (mdl_incident){.no_fault = 1, .broke_slo = 1, .recovered = 1, .rto = 659, .cause = FAIL_OVERLOAD};
    pure[1] = (mdl_incident){.broke_slo = 1, .recovered = 0, .rto = 538, .impact = 602, .cause = FAIL_FAULT};
    /* A run cut while the building rides on batteries: no impact yet. */
    unit[0] = (mdl_incident){.broke_slo = 0, .recovered = 0, .rto = 0, .impact = -1};
    runs[0].incidents = pure;
    runs[0].n_incidents = 2;
    runs[1].incidents = unit;
    runs[1].n_incidents = 1;
    rpt_stage stages[2];
    rpt_input in = one_run_each(runs, stages, 2);
    const rpt_row *row = row_of(&in, "RTO");
    assert_string_equal(row->cell[0], "own overload 659 s; not recovered, > 538 s");
    assert_string_equal(row->cell[1], "no SLO break (fault on at the end)");
    row = row_of(&in, "Time to impact");
    assert_string_equal(row->cell[0], "602 s");
    assert_string_equal(row->cell[1], DASH);
}

static void failures_are_told_by_cause_largest_first(void **state)
{
    (void)state;
    static rpt_run runs[2];
    memset(runs, 0, sizeof runs);
    runs[0].h.by_cause[FAIL_FAULT] = 20.5e6;
    runs[0].h.by_cause[FAIL_SHED] = 37.7e6;
    runs[0].h.by_cause[FAIL_OVERLOAD] = 2.5e6;
    rpt_stage stages[2];
    rpt_input in = one_run_each(runs, stages, 2);
    const rpt_row *row = row_of(&in, "Failures by cause");
    assert_string_equal(row->cell[0], "shed 37.7 M, fault 20.5 M, overload 2.5 M");
    assert_string_equal(row->cell[1], "none");
    assert_true(!row->best[0] && !row->best[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_value_that_does_not_exist_is_a_dash_and_never_marked),
        cmocka_unit_test(latency_is_ranked_only_among_stages_that_served_the_peak_alike),
        cmocka_unit_test(one_run_marks_only_differences_above_the_least_one),
        cmocka_unit_test(replicates_mark_only_intervals_that_do_not_overlap),
        cmocka_unit_test(replicates_average_the_rto_of_the_runs_that_recovered),
        cmocka_unit_test(one_run_tells_each_incident_the_stages_own_named),
        cmocka_unit_test(failures_are_told_by_cause_largest_first),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
