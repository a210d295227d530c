/* sim_hist.h -- a log-bucketed latency histogram (HDR style): values from
 * 1 us to about 73 minutes in buckets of 1/128 of an octave, so any
 * quantile it reports is within 0.8% of the true value (below 1 us, exact
 * to 1 us). Fixed size, no allocation after creation, mergeable. */
#ifndef SIM_HIST_H
#define SIM_HIST_H
#include <stdint.h>

#include "sim_time.h"

#define SIM_HIST_SUB 128                /* buckets per octave */
#define SIM_HIST_OCTAVES 32             /* 1 us .. 2^32 us */
#define SIM_HIST_BUCKETS (SIM_HIST_SUB * (SIM_HIST_OCTAVES + 1))

typedef struct sim_hist {
    uint64_t total;
    double sum_ns;                      /* for the mean */
    uint32_t count[SIM_HIST_BUCKETS];
} sim_hist;

void sim_hist_clear(sim_hist *h);
/* Records one value (negative values count as 0, huge ones in the last bucket). */
void sim_hist_add(sim_hist *h, sim_time value);
/* Adds every count of src to dst. */
void sim_hist_merge(sim_hist *dst, const sim_hist *src);
/* The q-quantile (0 <= q <= 1) as the midpoint of its bucket; 0 if empty. */
sim_time sim_hist_quantile(const sim_hist *h, double q);
sim_time sim_hist_mean(const sim_hist *h);

#endif /* SIM_HIST_H */
