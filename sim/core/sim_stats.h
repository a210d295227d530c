/* sim_stats.h -- summary statistics over replicates: the mean and the
 * half-width of its 95% confidence interval by Student's t. Not for
 * per-event use (histograms are in sim_hist.h). */
#ifndef SIM_STATS_H
#define SIM_STATS_H
#include <stddef.h>

/* The 0.975 quantile of Student's t with df degrees of freedom (df >= 1):
 * exact to the table's four digits up to 30, a Cornish-Fisher expansion
 * (error below 1e-4) beyond. */
double sim_t975(size_t df);

/* Mean of x[0..n) and the half-width of its 95% confidence interval
 * (0 when n < 2). Infinite or NaN values make both NaN. */
void sim_mean_ci95(const double *x, size_t n, double *mean, double *half_width);

#endif /* SIM_STATS_H */
