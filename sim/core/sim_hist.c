/* sim_hist.c -- bucket arithmetic: bucket b holds [lo(b), lo(b+1)). The
 * first SIM_HIST_SUB buckets are linear, 1 us wide; then each octave
 * [2^k, 2^(k+1)) us splits into SIM_HIST_SUB equal parts. */
#include "sim_hist.h"

#include <string.h>

void sim_hist_clear(sim_hist *h) { memset(h, 0, sizeof *h); }

static inline uint32_t bucket_of(uint64_t us)
{
    if (us < SIM_HIST_SUB)
        return (uint32_t)us;
    int top = 63 - __builtin_clzll(us);       /* us in [2^top, 2^(top+1)) */
    int shift = top - 7;                       /* log2(SIM_HIST_SUB) = 7 */
    uint32_t b = (uint32_t)(shift + 1) * SIM_HIST_SUB + (uint32_t)((us >> shift) - SIM_HIST_SUB);
    return b < SIM_HIST_BUCKETS ? b : SIM_HIST_BUCKETS - 1;
}

/* The lower bound of bucket b in us (and its width). */
static inline double bucket_lo(uint32_t b, double *width)
{
    if (b < SIM_HIST_SUB) {
        *width = 1;
        return b;
    }
    uint32_t shift = b / SIM_HIST_SUB - 1, sub = b % SIM_HIST_SUB;
    *width = (double)(1ULL << shift);
    return (double)((uint64_t)(SIM_HIST_SUB + sub) << shift);
}

void sim_hist_add(sim_hist *h, sim_time value)
{
    if (value < 0)
        value = 0;
    h->count[bucket_of((uint64_t)value / 1000)]++;
    h->total++;
    h->sum_ns += (double)value;
}

void sim_hist_merge(sim_hist *dst, const sim_hist *src)
{
    for (uint32_t b = 0; b < SIM_HIST_BUCKETS; b++)
        dst->count[b] += src->count[b];
    dst->total += src->total;
    dst->sum_ns += src->sum_ns;
}

sim_time sim_hist_quantile(const sim_hist *h, double q)
{
    if (h->total == 0)
        return 0;
    /* The rank of the value wanted, 1-based: ceil(q * total). */
    uint64_t rank = (uint64_t)(q * (double)h->total);
    if ((double)rank < q * (double)h->total)
        rank++;
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (uint32_t b = 0; b < SIM_HIST_BUCKETS; b++) {
        seen += h->count[b];
        if (seen >= rank) {
            double width, lo = bucket_lo(b, &width);
            return (sim_time)((lo + width / 2) * 1000);
        }
    }
    return 0;
}

sim_time sim_hist_mean(const sim_hist *h)
{
    return h->total ? (sim_time)(h->sum_ns / (double)h->total) : 0;
}
