/* test_sim_dist.c -- distributions, with fixed seeds. Light tails are
 * checked by mean and variance; heavy tails (Pareto with shape <= 4,
 * lognormal with sigma > 1) and shapes without closed-form moments by the
 * Kolmogorov-Smirnov statistic. Every tolerance comes from the statistic's
 * standard error at a false-failure probability of 1e-4 for the whole
 * program, split evenly over its checks (Bonferroni), and is never below 4
 * standard errors: a correct generator fails a run far less than once in a
 * thousand, whatever the seed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim_dist.h"
#include "sim_status.h"

#define CHECKS 64 /* an upper bound on the checks in this program */
#define N 200000  /* draws per check */

static double z_tolerance(void)
{
    double z = sim_normal_quantile(1 - 1e-4 / (2.0 * CHECKS));
    return z > 4 ? z : 4;
}

static double ks_tolerance(size_t n)
{
    /* P(sqrt(n) D > x) ~ 2 exp(-2 x^2) (Kolmogorov's limit). */
    double alpha = 1e-4 / CHECKS;
    return sqrt(-log(alpha / 2) / 2) / sqrt((double)n);
}

/* Mean and variance of n draws against the truth. mu4 is the fourth
 * central moment, which gives the variance's standard error. */
static void check_moments(const char *what, const double *x, size_t n, double mean,
                          double var, double mu4)
{
    double s = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    double m = s / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    double v = ss / (double)(n - 1);
    double se_mean = sqrt(var / (double)n), se_var = sqrt((mu4 - var * var) / (double)n);
    double z = z_tolerance();
    if (fabs(m - mean) > z * se_mean)
        fail_msg("%s: mean %.6g, expected %.6g +- %.3g", what, m, mean, z * se_mean);
    if (fabs(v - var) > z * se_var)
        fail_msg("%s: variance %.6g, expected %.6g +- %.3g", what, v, var, z * se_var);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Largest gap between the empirical CDF and cdf(x, d). */
static void check_ks(const char *what, double *x, size_t n, double (*cdf)(double, const sim_dist *),
                     const sim_dist *d)
{
    qsort(x, n, sizeof *x, cmp);
    double dmax = 0;
    for (size_t i = 0; i < n; i++) {
        double f = cdf(x[i], d);
        double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
        if (lo > dmax)
            dmax = lo;
        if (hi > dmax)
            dmax = hi;
    }
    if (dmax > ks_tolerance(n))
        fail_msg("%s: KS distance %.5f above %.5f", what, dmax, ks_tolerance(n));
}

static double *draws(const sim_dist *d, const char *stream)
{
    double *x = malloc(N * sizeof *x);
    sim_rng r;
    sim_rng_init(&r, 2024, stream);
    for (size_t i = 0; i < N; i++)
        x[i] = sim_dist_sample(d, &r);
    return x;
}

static double cdf_of(double x, const sim_dist *d)
{
    switch (d->kind) {
    case SIM_DIST_EXPONENTIAL: return x <= 0 ? 0 : 1 - exp(-x / d->a);
    case SIM_DIST_LOGNORMAL: return x <= 0 ? 0 : sim_normal_cdf((log(x) - d->a) / d->b);
    case SIM_DIST_WEIBULL: return x <= 0 ? 0 : 1 - exp(-pow(x / d->b, d->a));
    case SIM_DIST_PARETO: return x < d->b ? 0 : 1 - pow(d->b / x, d->a);
    case SIM_DIST_NORMAL: return sim_normal_cdf((x - d->a) / d->b);
    case SIM_DIST_UNIFORM: return x < d->a ? 0 : x >= d->b ? 1 : (x - d->a) / (d->b - d->a);
    default: return x >= d->a;
    }
}

/* ==== Light tails: moments ==== */

static void uniform_has_its_moments(void **state)
{
    (void)state;
    sim_dist d = {SIM_DIST_UNIFORM, 2, 5};
    double *x = draws(&d, "uniform"), w = 3;
    check_moments("uniform", x, N, 3.5, w * w / 12, w * w * w * w / 80);
    check_ks("uniform", x, N, cdf_of, &d);
    free(x);
}

static void exponential_has_its_moments(void **state)
{
    (void)state;
    sim_dist d = {SIM_DIST_EXPONENTIAL, 0.25, 0};
    double *x = draws(&d, "exponential"), m = 0.25;
    check_moments("exponential", x, N, m, m * m, 9 * m * m * m * m);
    check_ks("exponential", x, N, cdf_of, &d);
    free(x);
}

static void normal_has_its_moments(void **state)
{
    (void)state;
    sim_dist d = {SIM_DIST_NORMAL, -3, 2};
    double *x = draws(&d, "normal");
    check_moments("normal", x, N, -3, 4, 3 * 16);
    check_ks("normal", x, N, cdf_of, &d);
    free(x);
}

/* The ziggurat's seams: its layers' edges, the wedges between them and
 * the curve, and the tail past R = 3.44 (drawn by a method of its own).
 * Each band's share of draws, on both sides, against the truth: a
 * binomial with its own standard error. */
static void normal_tails_and_bands_have_their_share(void **state)
{
    (void)state;
    enum { DRAWS = 4000000 };
    static const double edge[] = {0.5, 1, 2, 3, 3.442619855899, 4, 4.5};
    enum { EDGES = sizeof edge / sizeof edge[0] };
    uint64_t below[EDGES] = {0}, above[EDGES] = {0};
    sim_rng r;
    sim_rng_init(&r, 2024, "normal.tails");
    for (size_t i = 0; i < DRAWS; i++) {
        double x = sim_rand_normal(&r, 0, 1);
        for (int k = 0; k < EDGES; k++) {
            below[k] += x < -edge[k];
            above[k] += x > edge[k];
        }
    }
    for (int k = 0; k < EDGES; k++) {
        double p = 1 - sim_normal_cdf(edge[k]), se = sqrt(p * (1 - p) * DRAWS);
        double want = p * DRAWS, z = z_tolerance();
        if (fabs((double)below[k] - want) > z * se || fabs((double)above[k] - want) > z * se)
            fail_msg("beyond +-%.3f: %llu below, %llu above, expected %.1f +- %.1f each", edge[k],
                     (unsigned long long)below[k], (unsigned long long)above[k], want, z * se);
    }
}

static void lognormal_with_small_sigma_has_its_moments(void **state)
{
    (void)state;
    double mu = 1, s2 = 0.25;
    sim_dist d = {SIM_DIST_LOGNORMAL, mu, sqrt(s2)};
    double *x = draws(&d, "lognormal.light");
    double w = exp(s2), mean = exp(mu + s2 / 2), var = (w - 1) * exp(2 * mu + s2);
    /* Fourth central moment of a lognormal: var^2 (w^4 + 2w^3 + 3w^2 - 3). */
    double mu4 = var * var * (w * w * w * w + 2 * w * w * w + 3 * w * w - 3);
    check_moments("lognormal sigma 0.5", x, N, mean, var, mu4);
    check_ks("lognormal sigma 0.5", x, N, cdf_of, &d);
    free(x);
}

static void poisson_has_its_moments_on_both_methods(void **state)
{
    (void)state;
    const double means[] = {0.3, 3, 9.5, 10, 50, 5000};
    for (size_t k = 0; k < sizeof means / sizeof means[0]; k++) {
        double lam = means[k];
        sim_rng r;
        sim_rng_init_indexed(&r, 2024, "poisson", k);
        double *x = malloc(N * sizeof *x);
        for (size_t i = 0; i < N; i++)
            x[i] = (double)sim_rand_poisson(&r, lam);
        char what[64];
        snprintf(what, sizeof what, "poisson mean %g", lam);
        check_moments(what, x, N, lam, lam, lam * (1 + 3 * lam));
        /* And the whole shape, on the integers (conservative for discrete). */
        qsort(x, N, sizeof *x, cmp);
        double dmax = 0, pmf = exp(-lam), cdf = 0;
        size_t i = 0;
        if (lam < 100) {
            for (int v = 0; v < 400 && i < N; v++) {
                cdf += pmf;
                pmf *= lam / (v + 1);
                while (i < N && x[i] <= v)
                    i++;
                double gap = fabs((double)i / N - cdf);
                if (gap > dmax)
                    dmax = gap;
            }
            if (dmax > ks_tolerance(N))
                fail_msg("%s: CDF distance %.5f", what, dmax);
        }
        free(x);
    }
}

/* ==== Heavy tails and shapes: Kolmogorov-Smirnov ==== */

static void heavy_and_shaped_distributions_fit_their_cdf(void **state)
{
    (void)state;
    const sim_dist cases[] = {
        {SIM_DIST_PARETO, 1.5, 2},    /* infinite variance */
        {SIM_DIST_PARETO, 4, 0.01},
        {SIM_DIST_LOGNORMAL, -5, 1.6}, /* sigma > 1 */
        {SIM_DIST_WEIBULL, 0.7, 3},
        {SIM_DIST_WEIBULL, 2.5, 0.5},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char what[64];
        snprintf(what, sizeof what, "%s(%g, %g)", sim_dist_kind_name(cases[k].kind), cases[k].a,
                 cases[k].b);
        double *x = draws(&cases[k], what);
        check_ks(what, x, N, cdf_of, &cases[k]);
        free(x);
    }
}

/* ==== Lognormal from mean and p99 ==== */

static void lognormal_from_mean_and_p99_hits_both(void **state)
{
    (void)state;
    double mu, sigma;
    const char *why;
    assert_int_equal(sim_lognormal_from_mean_p99(0.005, 0.040, &mu, &sigma, &why), SIM_OK);
    sim_dist d = {SIM_DIST_LOGNORMAL, mu, sigma};
    assert_true(fabs(sim_dist_mean(&d) - 0.005) < 1e-12);
    assert_true(fabs(sim_dist_quantile(&d, 0.99) - 0.040) < 1e-12);
    /* The smaller sigma of the two solutions. */
    double z = SIM_Z99, other = z + sqrt(z * z - 2 * log(8.0));
    assert_true(sigma < other);
    /* And samples agree: the share above p99 is 1% (binomial se 0.022%). */
    double *x = draws(&d, "lognormal.p99");
    size_t above = 0;
    for (size_t i = 0; i < N; i++)
        above += x[i] > 0.040;
    double share = (double)above / N, se = sqrt(0.01 * 0.99 / N);
    assert_true(fabs(share - 0.01) < z_tolerance() * se);
    free(x);
}

static void lognormal_from_impossible_ratios_is_refused(void **state)
{
    (void)state;
    double mu, sigma;
    const char *why;
    assert_int_equal(sim_lognormal_from_mean_p99(0.005, 0.005, &mu, &sigma, &why), SIM_EINPUT);
    assert_string_equal(why, "p99 must be greater than the mean");
    assert_int_equal(sim_lognormal_from_mean_p99(1, 15, &mu, &sigma, &why), SIM_EINPUT);
    assert_string_equal(why, "no lognormal has p99/mean above 14.97");
    assert_int_equal(sim_lognormal_from_mean_p99(1, 14.9, &mu, &sigma, &why), SIM_OK);
    assert_int_equal(sim_lognormal_from_mean_p99(-1, 2, &mu, &sigma, &why), SIM_EINPUT);
    assert_string_equal(why, "mean and p99 must be positive");
}

/* ==== Choice by weights ==== */

static void choice_draws_each_index_by_its_weight(void **state)
{
    (void)state;
    const double w[] = {5, 0, 1, 3.5, 0.5, 10};
    const size_t n = sizeof w / sizeof w[0];
    double sum = 20;
    sim_choice c;
    assert_int_equal(sim_choice_init(&c, w, n), SIM_OK);
    sim_rng r;
    sim_rng_init(&r, 3, "choice");
    size_t counts[6] = {0};
    for (size_t i = 0; i < N; i++)
        counts[sim_choice_draw(&c, &r)]++;
    for (size_t i = 0; i < n; i++) {
        double p = w[i] / sum, se = sqrt(p * (1 - p) / N);
        double share = (double)counts[i] / N;
        if (fabs(share - p) > z_tolerance() * se + 1e-12)
            fail_msg("index %zu: share %.5f, weight %.5f", i, share, p);
    }
    assert_int_equal(counts[1], 0);
    sim_choice_fini(&c);
    const double bad[] = {1, -1};
    assert_int_equal(sim_choice_init(&c, bad, 2), SIM_EINPUT);
    const double zero[] = {0, 0};
    assert_int_equal(sim_choice_init(&c, zero, 2), SIM_EINPUT);
    assert_int_equal(sim_choice_init(&c, w, 0), SIM_EINPUT);
}

/* ==== The normal quantile itself ==== */

static void normal_quantile_matches_known_values(void **state)
{
    (void)state;
    /* From Python's statistics.NormalDist().inv_cdf. */
    assert_true(fabs(sim_normal_quantile(0.99) - 2.3263478740408408) < 1e-12);
    assert_true(fabs(sim_normal_quantile(0.5)) < 1e-15);
    assert_true(fabs(sim_normal_quantile(0.975) - 1.959963984540054) < 1e-12);
    assert_true(fabs(sim_normal_quantile(1e-6) + 4.753424308822899) < 1e-9);
    assert_true(fabs(sim_normal_quantile(0.02) + 2.053748910631823) < 1e-12);
    for (double p = 0.001; p < 1; p += 0.01)
        assert_true(fabs(sim_normal_cdf(sim_normal_quantile(p)) - p) < 1e-14);
}

static void distribution_values_name_and_describe_themselves(void **state)
{
    (void)state;
    for (int k = 0; k <= SIM_DIST_PARETO; k++)
        assert_int_equal(sim_dist_kind_parse(sim_dist_kind_name((sim_dist_kind)k)), k);
    assert_int_equal(sim_dist_kind_parse("gamma"), -1);
    sim_dist p = {SIM_DIST_PARETO, 1, 1};
    assert_true(isinf(sim_dist_mean(&p)));
    sim_dist wb = {SIM_DIST_WEIBULL, 1, 2}; /* an exponential of mean 2 */
    assert_true(fabs(sim_dist_mean(&wb) - 2) < 1e-12);
    sim_dist c = {SIM_DIST_CONSTANT, 7, 0};
    sim_rng r;
    sim_rng_init(&r, 1, "c");
    assert_true(sim_dist_sample(&c, &r) == 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uniform_has_its_moments),
        cmocka_unit_test(exponential_has_its_moments),
        cmocka_unit_test(normal_has_its_moments),
        cmocka_unit_test(normal_tails_and_bands_have_their_share),
        cmocka_unit_test(lognormal_with_small_sigma_has_its_moments),
        cmocka_unit_test(poisson_has_its_moments_on_both_methods),
        cmocka_unit_test(heavy_and_shaped_distributions_fit_their_cdf),
        cmocka_unit_test(lognormal_from_mean_and_p99_hits_both),
        cmocka_unit_test(lognormal_from_impossible_ratios_is_refused),
        cmocka_unit_test(choice_draws_each_index_by_its_weight),
        cmocka_unit_test(normal_quantile_matches_known_values),
        cmocka_unit_test(distribution_values_name_and_describe_themselves),
    };
    return cmocka_run_group_tests_name("sim_dist", tests, NULL, NULL);
}
