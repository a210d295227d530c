/* sim_window.c -- rolling windows of buckets with a running total. */
#include "sim_window.h"

#include <string.h>

#include "sim_alloc.h"
#include "sim_assert.h"
#include "sim_status.h"

int sim_window_init(sim_window *w, sim_time window, sim_time interval)
{
    memset(w, 0, sizeof *w);
    SIM_ASSERT(window > 0 && interval > 0);
    int64_t n = (window + interval - 1) / interval;
    w->interval = interval;
    w->n = n > 0 && n < INT32_MAX ? (int)n : 1;
    w->bucket = sim_calloc((size_t)w->n, sizeof *w->bucket);
    w->until = interval;
    return w->bucket ? SIM_OK : SIM_ENOMEM;
}

void sim_window_fini(sim_window *w)
{
    sim_free(w->bucket);
    w->bucket = NULL;
}

/* Every bucket that falls out of the window as it moves to t's interval
 * leaves the total and is emptied; a jump past the whole window empties
 * all. (Time never goes backwards: t is past the open interval's end.) */
void sim__window_advance(sim_window *w, sim_time t)
{
    int64_t k = t / w->interval;
    if (k - w->now >= w->n) {
        sim_window_clear(w);
    } else {
        for (int64_t i = w->now; i < k; i++) {
            w->at = w->at + 1 == w->n ? 0 : w->at + 1;
            w->total[0] -= w->bucket[w->at][0];
            w->total[1] -= w->bucket[w->at][1];
            w->bucket[w->at][0] = w->bucket[w->at][1] = 0;
        }
    }
    w->now = k;
    w->until = (k + 1) * w->interval;
}

void sim_window_clear(sim_window *w)
{
    memset(w->bucket, 0, (size_t)w->n * sizeof *w->bucket);
    w->total[0] = w->total[1] = 0;
}
