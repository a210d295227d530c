/* sim_dist.h -- random variates from a stream, and a small value type that
 * names a distribution with its parameters (what a stage file's "service
 * time: lognormal, mean 5ms, p99 40ms" becomes). Inverse-transform where
 * the inverse is cheap and exact, rejection where it is not; every function
 * consumes draws from the stream it is given and from no other. */
#ifndef SIM_DIST_H
#define SIM_DIST_H
#include <stddef.h>
#include <stdint.h>

#include "sim_rng.h"

/* z such that P(N(0,1) <= z) = 0.99. */
#define SIM_Z99 2.3263478740408408

double sim_rand_uniform(sim_rng *r, double lo, double hi);  /* [lo, hi) */
double sim_rand_exponential(sim_rng *r, double mean);       /* mean > 0 */
double sim_rand_normal(sim_rng *r, double mean, double sd); /* ziggurat */
double sim_rand_lognormal(sim_rng *r, double mu, double sigma);
double sim_rand_weibull(sim_rng *r, double shape, double scale);
/* Pareto type I: P(X > x) = (scale / x)^shape for x >= scale. */
double sim_rand_pareto(sim_rng *r, double shape, double scale);
/* Poisson: inversion below mean 10, Hormann's PTRS (1993) above. */
uint64_t sim_rand_poisson(sim_rng *r, double mean);

/* The lognormal with this mean and 99th percentile, taking the smaller of
 * the two sigmas that fit (the other has an implausibly heavy tail). A
 * solution exists only for 1 < p99/mean <= exp(z99^2 / 2) (about 14.97);
 * otherwise returns SIM_EINPUT with *why set. */
int sim_lognormal_from_mean_p99(double mean, double p99, double *mu, double *sigma,
                                const char **why);

/* ==== A distribution as a value ==== */

typedef enum sim_dist_kind {
    SIM_DIST_CONSTANT,  /* a */
    SIM_DIST_UNIFORM,   /* [a, b) */
    SIM_DIST_EXPONENTIAL, /* mean a */
    SIM_DIST_NORMAL,    /* mean a, sd b */
    SIM_DIST_LOGNORMAL, /* mu a, sigma b (of the underlying normal) */
    SIM_DIST_WEIBULL,   /* shape a, scale b */
    SIM_DIST_PARETO,    /* shape a, scale b */
} sim_dist_kind;

typedef struct sim_dist {
    sim_dist_kind kind;
    double a, b;
} sim_dist;

double sim_dist_sample(const sim_dist *d, sim_rng *r);
/* The mean (INFINITY when it does not exist: Pareto with shape <= 1). */
double sim_dist_mean(const sim_dist *d);
/* The p-quantile, 0 < p < 1. */
double sim_dist_quantile(const sim_dist *d, double p);
/* "lognormal", "exponential", ...; parse returns -1 if unknown. */
const char *sim_dist_kind_name(sim_dist_kind kind);
int sim_dist_kind_parse(const char *name);

/* ==== Choice by weights: Walker's alias method, O(1) a draw ==== */

typedef struct sim_choice {
    size_t n;
    double *prob;     /* chance of keeping column i */
    uint32_t *alias;  /* where column i sends the rest */
} sim_choice;

/* Builds the table from n >= 1 non-negative weights with a positive sum.
 * Returns 0, SIM_EINPUT (bad weights) or SIM_ENOMEM. */
int sim_choice_init(sim_choice *c, const double *weights, size_t n);
void sim_choice_fini(sim_choice *c);
/* An index in [0, n), i with probability weights[i] / sum. */
size_t sim_choice_draw(const sim_choice *c, sim_rng *r);

/* Standard normal quantile (Acklam's rational approximation refined by one
 * Halley step: relative error below 1e-15). For thresholds and quantiles,
 * not for sampling. */
double sim_normal_quantile(double p);
/* Standard normal CDF. */
double sim_normal_cdf(double x);

#endif /* SIM_DIST_H */
