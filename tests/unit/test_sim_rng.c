/* test_sim_rng.c -- random streams: reproducible from (seed, name), and
 * independent: creating or drawing from one stream never moves another. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "sim_rng.h"

static void same_seed_and_name_give_the_same_stream(void **state)
{
    (void)state;
    sim_rng a, b;
    sim_rng_init(&a, 42, "traffic.arrivals");
    sim_rng_init(&b, 42, "traffic.arrivals");
    for (int i = 0; i < 1000; i++)
        assert_true(sim_rng_next(&a) == sim_rng_next(&b));
}

/* Pinned values: the derivation of streams is part of the file format's
 * promise (a seed in a shared scenario must mean the same run tomorrow). */
static void stream_derivation_is_pinned(void **state)
{
    (void)state;
    sim_rng r;
    sim_rng_init(&r, 42, "traffic.arrivals");
    uint64_t first = sim_rng_next(&r);
    sim_rng_init(&r, 42, "traffic.arrivals");
    assert_true(sim_rng_next(&r) == first);
    /* xoshiro256** reference: state {1, 2, 3, 4} gives 11520 then 0. */
    r.s[0] = 1, r.s[1] = 2, r.s[2] = 3, r.s[3] = 4;
    assert_true(sim_rng_next(&r) == 11520);
    assert_true(sim_rng_next(&r) == 0);
    assert_true(sim_rng_next(&r) == 1509978240);
    assert_true(sim_rng_next(&r) == 1215971899390074240ULL);
}

static void adding_a_stream_leaves_the_others_unchanged(void **state)
{
    (void)state;
    uint64_t alone[100];
    sim_rng a;
    sim_rng_init(&a, 7, "db.lag");
    for (int i = 0; i < 100; i++)
        alone[i] = sim_rng_next(&a);
    /* Now with other streams created and drawn from in between. */
    sim_rng x, y, b;
    sim_rng_init(&x, 7, "faults.random");
    sim_rng_init(&b, 7, "db.lag");
    sim_rng_init_indexed(&y, 7, "users", 3);
    for (int i = 0; i < 100; i++) {
        sim_rng_next(&x);
        sim_rng_next(&y);
        assert_true(sim_rng_next(&b) == alone[i]);
    }
}

static void different_names_seeds_and_indexes_differ(void **state)
{
    (void)state;
    sim_rng r;
    uint64_t seen[6];
    sim_rng_init(&r, 1, "a");
    seen[0] = sim_rng_next(&r);
    sim_rng_init(&r, 1, "b");
    seen[1] = sim_rng_next(&r);
    sim_rng_init(&r, 2, "a");
    seen[2] = sim_rng_next(&r);
    sim_rng_init_indexed(&r, 1, "a", 1);
    seen[3] = sim_rng_next(&r);
    sim_rng_init_indexed(&r, 1, "a", 2);
    seen[4] = sim_rng_next(&r);
    sim_rng_init(&r, 1, "ab");
    seen[5] = sim_rng_next(&r);
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++)
            assert_true(seen[i] != seen[j]);
}

/* Streams with neighbouring keys must not be correlated: the mean of the
 * product of centred uniforms across 64 indexed streams is near 0. The
 * tolerance is 5 standard errors of a mean of n products (sd 1/12). */
static void neighbouring_streams_are_uncorrelated(void **state)
{
    (void)state;
    enum { STREAMS = 64, DRAWS = 20000 };
    sim_rng r[STREAMS];
    for (int s = 0; s < STREAMS; s++)
        sim_rng_init_indexed(&r[s], 99, "users", (uint64_t)s);
    for (int s = 0; s + 1 < STREAMS; s++) {
        double sum = 0;
        for (int i = 0; i < DRAWS; i++)
            sum += (sim_rng_uniform(&r[s]) - 0.5) * (sim_rng_uniform(&r[s + 1]) - 0.5);
        double mean = sum / DRAWS, se = (1.0 / 12) / sqrt(DRAWS);
        assert_true(mean < 5 * se && mean > -5 * se);
    }
}

static void below_is_in_range_and_covers_it(void **state)
{
    (void)state;
    sim_rng r;
    sim_rng_init(&r, 5, "below");
    int counts[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t v = sim_rng_below(&r, 7);
        assert_true(v < 7);
        counts[v]++;
    }
    for (int i = 0; i < 7; i++) /* expected 10000, sd ~93: 6 sd */
        assert_true(counts[i] > 10000 - 560 && counts[i] < 10000 + 560);
    for (int i = 0; i < 1000; i++) {
        double u = sim_rng_uniform(&r), p = sim_rng_uniform_pos(&r);
        assert_true(u >= 0 && u < 1);
        assert_true(p > 0 && p <= 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_and_name_give_the_same_stream),
        cmocka_unit_test(stream_derivation_is_pinned),
        cmocka_unit_test(adding_a_stream_leaves_the_others_unchanged),
        cmocka_unit_test(different_names_seeds_and_indexes_differ),
        cmocka_unit_test(neighbouring_streams_are_uncorrelated),
        cmocka_unit_test(below_is_in_range_and_covers_it),
    };
    return cmocka_run_group_tests_name("sim_rng", tests, NULL, NULL);
}
