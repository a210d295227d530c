/* test_queueing.c -- the simulator against queueing theory, where theory
 * has closed forms: one pool fed Poisson arrivals with exponential service
 * agrees with M/M/1 and, with c workers, with Erlang C (mean wait and the
 * probability of waiting) within 2%; Little's law holds with L measured as
 * the time integral of the number in the system; throughput equals the
 * offered load below saturation.
 *
 * Run length. After a warm-up of 200 relaxation times, the measured part
 * is cut into 20 batches; the batch means give a confidence interval for
 * the mean wait. For M/M/1 at rho = 0.5 (mu = 1000/s) the integrated
 * autocorrelation of waits makes the variance of the mean over T seconds
 * about 2 * Var(W) * tau / T with tau = 1 / (mu (1 - sqrt(rho))^2) ~ 12 ms
 * (Var(W) = rho (2 - rho) / (mu - lambda)^2 = 3e-6 s^2): for a 99.9%
 * half-width (3.88 standard errors) of 1% of Wq = 1 ms that asks
 * T = 2 x 3e-6 x 0.012 x (3.88 / 1e-5)^2 ~ 11,000 s. We run 16,000 s (8
 * million customers, about 6 s of CPU) and assert the batch-means
 * half-width is below 1.25%: the 2% check is then at least 6 standard
 * errors wide and cannot fail by chance. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "measure.h"
#include "tiny_world.h"

#define BATCHES 20
#define T_999_19 3.883 /* Student t, 19 degrees of freedom, two-sided 99.9% */

typedef struct batch_stats {
    double wait_mean[BATCHES], waited_share[BATCHES], in_system[BATCHES], sojourn[BATCHES];
    double throughput[BATCHES];
    double wait, waited, l, w_sojourn, lambda;
    double wait_halfwidth;
} batch_stats;

static void mean_ci(const double *x, int n, double *mean, double *half)
{
    double s = 0, ss = 0;
    for (int i = 0; i < n; i++)
        s += x[i];
    *mean = s / n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - *mean) * (x[i] - *mean);
    *half = T_999_19 * sqrt(ss / (n - 1) / n);
}

/* Runs the world's warm-up, then BATCHES batches of `batch` seconds. */
static void run_batches(mdl_world *w, double warmup_s, double batch_s, batch_stats *b)
{
    w_cell *c = tiny_cell(w);
    sim_time t = sim_time_from_seconds(warmup_s);
    assert_true(mdl_world_run(w, t, NULL, NULL) >= 0);
    for (int k = 0; k < BATCHES; k++) {
        metrics_cell_change(w, c);
        double wait0 = c->wait_sum, area0 = c->area_busy + c->area_queued;
        uint64_t started0 = c->started, waited0 = c->waited, arrived0 = c->arrived;
        double hist0 = c->sojourn_sum;
        uint64_t done0 = c->sojourn_n;
        t += sim_time_from_seconds(batch_s);
        assert_true(mdl_world_run(w, t, NULL, NULL) >= 0);
        metrics_cell_change(w, c);
        double n = (double)(c->started - started0);
        b->wait_mean[k] = (c->wait_sum - wait0) / n / 1e9;
        b->waited_share[k] = (double)(c->waited - waited0) / n;
        b->in_system[k] = (c->area_busy + c->area_queued - area0) / (batch_s * 1e9);
        b->sojourn[k] = (c->sojourn_sum - hist0) / (double)(c->sojourn_n - done0) / 1e9;
        b->throughput[k] = (double)(c->arrived - arrived0) / batch_s;
    }
    double half;
    mean_ci(b->wait_mean, BATCHES, &b->wait, &b->wait_halfwidth);
    mean_ci(b->waited_share, BATCHES, &b->waited, &half);
    mean_ci(b->in_system, BATCHES, &b->l, &half);
    mean_ci(b->sojourn, BATCHES, &b->w_sojourn, &half);
    mean_ci(b->throughput, BATCHES, &b->lambda, &half);
}

static double erlang_c(int c, double a)
{
    /* P(wait) = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k/k! + that) */
    double term = 1, sum = 1;
    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    double top = term * a / c * c / (c - a);
    return top / (sum + top);
}

static void check_pool(int workers, double lambda, double mu, double run_s)
{
    char rate[32], service[32];
    snprintf(rate, sizeof rate, "%g/s", lambda);
    snprintf(service, sizeof service, "%gms", 1000 / mu);
    double rho = lambda / (workers * mu);
    double tau = 1 / (mu * workers * (1 - sqrt(rho)) * (1 - sqrt(rho)));
    char *text = tiny_queue_text(1, workers, service, rate, "0s", "30000s");
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 7 + (uint64_t)workers);
    batch_stats b;
    run_batches(w, 200 * tau > 20 ? 200 * tau : 20, run_s / BATCHES, &b);
    double a = lambda / mu;
    double pw = workers == 1 ? rho : erlang_c(workers, a);
    double wq = pw / (workers * mu - lambda);
    print_message("M/M/%d rho %.2f: Wq %.6f s (theory %.6f, +-%.2f%%), P(wait) %.4f (theory %.4f), "
                  "L %.4f vs lambda W %.4f, throughput %.1f/s\n",
                  workers, rho, b.wait, wq, 100 * b.wait_halfwidth / wq, b.waited, pw, b.l,
                  b.lambda * b.w_sojourn, b.lambda);
    assert_true(b.wait_halfwidth < 0.0125 * wq);           /* the run is long enough */
    assert_true(fabs(b.wait - wq) < 0.02 * wq);            /* M/M/c mean wait */
    assert_true(fabs(b.waited - pw) < 0.02 * pw);          /* probability of waiting */
    assert_true(fabs(b.l - b.lambda * b.w_sojourn) < 0.01 * b.l); /* Little's law */
    /* Below saturation the pool serves what is offered: arrivals are Poisson,
     * so over run_s the count's sd is sqrt(lambda run_s); 5 sd. */
    assert_true(fabs(b.lambda - lambda) < 5 * sqrt(lambda * run_s) / run_s);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    free(text);
}

static void mm1_agrees_with_theory(void **state)
{
    (void)state;
    check_pool(1, 500, 1000, 16000);
}

static void mmc_agrees_with_erlang_c(void **state)
{
    (void)state;
    /* c = 4, a = 3, rho = 0.75: waits are burstier than tau suggests; a
     * first 4,000 s gave a batch-means half-width of 1.43%, so 1% needs
     * 1.43^2 = 2 times longer: 12,000 s, 36 million customers. */
    check_pool(4, 3000, 1000, 12000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mm1_agrees_with_theory),
        cmocka_unit_test(mmc_agrees_with_erlang_c),
    };
    return cmocka_run_group_tests_name("queueing", tests, NULL, NULL);
}
