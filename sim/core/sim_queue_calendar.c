/* sim_queue_calendar.c -- the calendar queue's storage and resizing (its
 * hot path is inline in sim_queue_calendar.h). */
#include "sim_queue_calendar.h"

#include <string.h>

#include "sim_alloc.h"
#include "sim_status.h"

#define MIN_BUCKETS 16
#define WIDTH_SAMPLE 25 /* Brown's sample of the earliest events */

static void set_thresholds(calendar *q)
{
    uint64_t buckets = q->mask + 1;
    q->grow_at = (size_t)(2 * buckets);
    q->shrink_at = buckets > MIN_BUCKETS ? (size_t)(buckets / 2) : 0;
}

int sim__calendar_init(calendar *q)
{
    memset(q, 0, sizeof *q);
    q->bucket = sim_malloc(MIN_BUCKETS * sizeof *q->bucket);
    if (!q->bucket)
        return SIM_ENOMEM;
    memset(q->bucket, 0xff, MIN_BUCKETS * sizeof *q->bucket);
    q->mask = MIN_BUCKETS - 1;
    q->width = 20; /* about 1 ms: a guess, replaced at the first resize */
    set_thresholds(q);
    return SIM_OK;
}

void sim__calendar_fini(calendar *q)
{
    sim_free(q->bucket);
    sim_free(q->next);
    sim_free(q->prev);
    sim_free(q->rec);
    memset(q, 0, sizeof *q);
}

int sim__calendar_reserve_slots(calendar *q, size_t slots)
{
    uint32_t *next = sim_realloc(q->next, slots * sizeof *next);
    if (!next)
        return SIM_ENOMEM;
    q->next = next;
    uint32_t *prev = sim_realloc(q->prev, slots * sizeof *prev);
    if (!prev)
        return SIM_ENOMEM;
    q->prev = prev;
    sim__event *rec = sim_realloc(q->rec, slots * sizeof *rec);
    if (!rec)
        return SIM_ENOMEM;
    q->rec = rec;
    return SIM_OK;
}

/* log2 of the power of two nearest above x (x >= 1). */
static int ceil_log2(uint64_t x)
{
    int k = 0;
    while (k < 62 && ((uint64_t)1 << k) < x)
        k++;
    return k;
}

/* Brown's width: three times the mean gap between the earliest events,
 * leaving out gaps more than twice the first mean (a far-off straggler). */
static int estimate_width(const sim_time *t, int n, int old)
{
    if (n < 2)
        return old;
    double sum = 0;
    for (int i = 1; i < n; i++)
        sum += (double)(t[i] - t[i - 1]);
    double mean = sum / (n - 1), kept = 0;
    int count = 0;
    for (int i = 1; i < n; i++) {
        double gap = (double)(t[i] - t[i - 1]);
        if (gap <= 2 * mean) {
            kept += gap;
            count++;
        }
    }
    double width = count && kept > 0 ? 3 * kept / count : 3 * mean;
    if (width < 1)
        width = 1;
    return ceil_log2((uint64_t)width);
}

int sim__calendar_resize(calendar *q, uint64_t buckets)
{
    if (buckets < MIN_BUCKETS)
        buckets = MIN_BUCKETS;
    uint32_t *fresh = sim_malloc(buckets * sizeof *fresh);
    if (!fresh) {
        q->grow_at *= 2; /* try again later rather than on every insert */
        return SIM_ENOMEM;
    }
    memset(fresh, 0xff, buckets * sizeof *fresh);
    q->resizing = 1;

    /* Take out the earliest events to measure the gaps between them. */
    uint32_t sample[WIDTH_SAMPLE];
    sim_time times[WIDTH_SAMPLE];
    int n_sample = 0;
    while (n_sample < WIDTH_SAMPLE && q->n > 0) {
        uint32_t s = cal_peek_slot(q);
        cal_unlink(q, s);
        q->n--;
        sample[n_sample] = s;
        times[n_sample++] = q->rec[s].t;
    }
    int width = estimate_width(times, n_sample, q->width);

    /* Move every event into the new ring. */
    uint32_t *old = q->bucket;
    uint64_t old_buckets = q->mask + 1;
    q->bucket = fresh;
    q->mask = buckets - 1;
    q->width = width;
    q->cur = n_sample ? cal_day(q, times[0]) : 0;
    for (uint64_t b = 0; b < old_buckets; b++) {
        uint32_t s = old[b];
        while (s != EV_NONE) {
            uint32_t next = q->next[s];
            cal_link(q, s);
            s = next;
        }
    }
    for (int i = 0; i < n_sample; i++) {
        cal_link(q, sample[i]);
        q->n++;
    }
    sim_free(old);
    set_thresholds(q);
    q->resizing = 0;
    return SIM_OK;
}
