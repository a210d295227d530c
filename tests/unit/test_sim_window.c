/* test_sim_window.c -- the rolling window: counts inside the window are
 * summed, counts older than it fall out bucket by bucket, a long gap empties
 * it, and any sequence of adds agrees with a brute-force count over the
 * same buckets -- for a 10 s window of 1 s buckets and for a 600 s window
 * of 10 s buckets (longer than the 63 s the old per-second rings allowed). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "sim_rng.h"
#include "sim_window.h"

#define S(x) ((sim_time)(x) * SIM_SEC)

static void counts_inside_the_window_are_summed(void **state)
{
    (void)state;
    sim_window w;
    assert_int_equal(sim_window_init(&w, S(10), S(1)), 0);
    assert_int_equal(w.n, 10);
    for (int s = 0; s < 10; s++)
        sim_window_add(&w, S(s) + SIM_MS, 1, s % 2);
    uint64_t a, b;
    sim_window_sum(&w, S(9) + 500 * SIM_MS, &a, &b);
    assert_int_equal(a, 10);
    assert_int_equal(b, 5);
    /* One second later the first second has left the window. */
    sim_window_sum(&w, S(10), &a, &b);
    assert_int_equal(a, 9);
    assert_int_equal(b, 5);
    sim_window_fini(&w);
}

static void a_gap_longer_than_the_window_empties_it(void **state)
{
    (void)state;
    sim_window w;
    assert_int_equal(sim_window_init(&w, S(10), S(1)), 0);
    sim_window_add(&w, S(3), 7, 7);
    uint64_t a, b;
    sim_window_sum(&w, S(12), &a, &b);
    assert_int_equal(a, 7); /* second 3 is inside (3..12] */
    sim_window_sum(&w, S(13), &a, &b);
    assert_int_equal(a, 0);
    sim_window_add(&w, S(500), 2, 1);
    sim_window_sum(&w, S(500), &a, &b);
    assert_int_equal(a, 2);
    assert_int_equal(b, 1);
    sim_window_clear(&w);
    sim_window_sum(&w, S(501), &a, &b);
    assert_int_equal(a + b, 0);
    sim_window_fini(&w);
}

static void a_600s_window_at_a_10s_interval_counts_the_last_600s(void **state)
{
    (void)state;
    sim_window w;
    assert_int_equal(sim_window_init(&w, S(600), S(10)), 0);
    assert_int_equal(w.n, 60);
    /* One call a second, every fifth one failing, for 20 minutes. */
    for (int s = 0; s < 1200; s++) {
        sim_window_add(&w, S(s), 1, s % 5 == 0);
        uint64_t a, b;
        sim_window_sum(&w, S(s), &a, &b);
        /* The window ends with the bucket of s and holds 60 buckets of 10 s:
         * the calls from the start of bucket (s/10 - 59) through s. */
        int from = (s / 10 - 59) * 10;
        if (from < 0)
            from = 0;
        uint64_t want_a = (uint64_t)(s - from + 1), want_b = 0;
        for (int k = from; k <= s; k++)
            want_b += k % 5 == 0;
        assert_int_equal(a, want_a);
        assert_int_equal(b, want_b);
    }
    sim_window_fini(&w);
}

/* Random adds and reads against a brute-force count over the same buckets. */
static void check_against_brute_force(sim_time window, sim_time interval, uint64_t seed)
{
    enum { N = 20000 };
    sim_time *t = malloc(N * sizeof *t);
    uint64_t *x = malloc(N * sizeof *x);
    sim_window w;
    assert_int_equal(sim_window_init(&w, window, interval), 0);
    sim_rng r;
    sim_rng_init(&r, seed, "window");
    sim_time now = 0;
    int64_t n = (window + interval - 1) / interval;
    for (int i = 0; i < N; i++) {
        /* Mostly small steps, now and then a long silence. */
        double u = sim_rng_uniform(&r);
        now += u < 0.01 ? (sim_time)(sim_rng_uniform(&r) * 3 * (double)window) : (sim_time)(u * (double)interval / 3);
        t[i] = now;
        x[i] = sim_rng_next(&r) % 5;
        sim_window_add(&w, now, x[i], 1);
        if (i % 7)
            continue;
        uint64_t a, b, want_a = 0, want_b = 0;
        sim_window_sum(&w, now, &a, &b);
        int64_t last = now / interval;
        for (int k = i; k >= 0 && t[k] / interval > last - n; k--) {
            want_a += x[k];
            want_b++;
        }
        assert_int_equal(a, want_a);
        assert_int_equal(b, want_b);
    }
    sim_window_fini(&w);
    free(t);
    free(x);
}

static void random_adds_agree_with_a_brute_force_count(void **state)
{
    (void)state;
    check_against_brute_force(S(10), S(1), 1);
    check_against_brute_force(S(600), S(10), 2);
    check_against_brute_force(S(30), 2500 * SIM_MS, 3);
    check_against_brute_force(500 * SIM_MS, S(1), 4); /* shorter than a bucket: one bucket */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_inside_the_window_are_summed),
        cmocka_unit_test(a_gap_longer_than_the_window_empties_it),
        cmocka_unit_test(a_600s_window_at_a_10s_interval_counts_the_last_600s),
        cmocka_unit_test(random_adds_agree_with_a_brute_force_count),
    };
    return cmocka_run_group_tests_name("sim_window", tests, NULL, NULL);
}
