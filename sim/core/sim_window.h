/* sim_window.h -- a rolling window of two counts (calls and failures,
 * first attempts and retries, successes and failures): the counts of the
 * last `window` of simulated time, kept in buckets of one `interval`, the
 * bucket now being filled included. A circuit breaker, a retry budget,
 * blue-green's error rate and the SLO all read their window through this.
 *
 * The window holds ceil(window / interval) buckets and a running total,
 * so adding and reading cost O(1) (plus one step per bucket that expires),
 * whatever the window's length. Times given to it never go backwards, as
 * simulated time does not. */
#ifndef SIM_WINDOW_H
#define SIM_WINDOW_H
#include <stdint.h>

#include "sim_time.h"

typedef struct sim_window {
    sim_time interval;          /* a bucket's width */
    int n;                      /* buckets */
    uint64_t (*bucket)[2];      /* counts per bucket, ring */
    uint64_t total[2];          /* over the buckets in the window */
    int64_t now;                /* the interval number being filled */
    int at;                     /* its bucket */
    sim_time until;             /* where that interval ends */
} sim_window;

/* Buckets of `interval` covering `window` (both > 0). 0, or SIM_ENOMEM. */
int sim_window_init(sim_window *w, sim_time window, sim_time interval);
void sim_window_fini(sim_window *w);

/* Forgets every count (a breaker that closes starts afresh). */
void sim_window_clear(sim_window *w);
/* Moves the window to t's interval (the slow path of the two below). */
void sim__window_advance(sim_window *w, sim_time t);

/* Adds a and b to the counts at time t. Inline: a breaker adds at every
 * database call, and most adds fall in the interval already open. */
static inline void sim_window_add(sim_window *w, sim_time t, uint64_t a, uint64_t b)
{
    if (t >= w->until)
        sim__window_advance(w, t);
    w->bucket[w->at][0] += a;
    w->bucket[w->at][1] += b;
    w->total[0] += a;
    w->total[1] += b;
}

/* The counts over the window that ends with t's interval. */
static inline void sim_window_sum(sim_window *w, sim_time t, uint64_t *a, uint64_t *b)
{
    if (t >= w->until)
        sim__window_advance(w, t);
    *a = w->total[0];
    *b = w->total[1];
}

#endif /* SIM_WINDOW_H */
