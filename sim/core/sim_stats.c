/* sim_stats.c -- means and confidence intervals over replicates. */
#include "sim_stats.h"

#include <math.h>

double sim_t975(size_t df)
{
    /* t(0.975, df) for df = 1..30 (any statistics table). */
    static const double table[30] = {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df == 0)
        return NAN;
    if (df <= 30)
        return table[df - 1];
    /* Cornish-Fisher around the normal quantile z = 1.959964. */
    const double z = 1.959963984540054, n = (double)df;
    double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
    return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

void sim_mean_ci95(const double *x, size_t n, double *mean, double *half_width)
{
    *mean = NAN;
    *half_width = NAN;
    if (n == 0)
        return;
    /* Two passes: the values are few and differences small (nines). */
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    double m = sum / (double)n;
    *mean = m;
    if (!isfinite(m))
        return;
    if (n < 2) {
        *half_width = 0;
        return;
    }
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    double sd = sqrt(ss / (double)(n - 1));
    *half_width = sim_t975(n - 1) * sd / sqrt((double)n);
}
