/* sim_queue_radix.c -- the radix heap's storage, spreading and sweeping
 * (its hot path is inline in sim_queue_radix.h). */
#include "sim_queue_radix.h"

#include <string.h>

#include "sim_alloc.h"
#include "sim_status.h"

/* Buckets this small are sorted straight into the run rather than spread
 * over lower levels. On bench e2e, 8, 16, 32 and 64 were alike within the
 * machine's noise, each better than no run at all (0.91 M requests/s). */
#ifndef RUN_SORT_MAX
#define RUN_SORT_MAX 32
#endif

int sim__radix_init(radix *q)
{
    memset(q, 0, sizeof *q);
    return SIM_OK;
}

void sim__radix_fini(radix *q)
{
    sim_free(q->rec);
    sim_free(q->now.a);
    for (unsigned i = 0; i < RADIX_BUCKETS; i++)
        sim_free(q->b[i].a);
    memset(q, 0, sizeof *q);
}

int sim__radix_grow(radix_bucket *b)
{
    size_t cap = b->cap ? b->cap * 2 : 16;
    radix_entry *a = sim_realloc(b->a, cap * sizeof *a);
    if (!a)
        return SIM_ENOMEM;
    b->a = a;
    b->cap = cap;
    return SIM_OK;
}

/* Removes the tombstones of bucket b from position `from` on, keeping the
 * order of the rest; 1 if it removed any. */
static int drop_dead(sim_engine *e, radix_bucket *b, size_t from)
{
    radix *q = &e->rdx;
    if (q->dead == 0) /* nothing to find: skip the per-entry slot lookups */
        return 0;
    size_t before = b->n;
    size_t kept = from;
    for (size_t k = from; k < b->n; k++) {
        if (radix_entry_live(e, &b->a[k])) {
            if (kept != k)
                b->a[kept] = b->a[k];
            kept++;
        } else {
            q->dead--;
        }
    }
    b->n = kept;
    return kept != before;
}

void sim__radix_sweep(sim_engine *e)
{
    radix *q = &e->rdx;
    drop_dead(e, &q->now, q->head);
    for (unsigned i = 0; i < RADIX_BUCKETS; i++)
        drop_dead(e, &q->b[i], 0);
}

/* An emptied array is kept for reuse only while it is not much larger than
 * the queue: else a burst would leave its room in each of the 1024 buckets
 * it passed through, and a year-long run kept gigabytes for 28 events. */
static int worth_keeping(const radix *q, size_t cap) { return cap <= 2 * (q->live + 64); }

/* Marks bucket k empty in the bitmaps. */
static void mark_empty(radix *q, unsigned k)
{
    unsigned level = k / RADIX_WAYS;
    q->digits[level] &= ~((uint64_t)1 << (k % RADIX_WAYS));
    if (q->digits[level] == 0)
        q->levels &= ~((uint64_t)1 << level);
}

radix_entry *sim__radix_advance(sim_engine *e, sim_time limit)
{
    radix *q = &e->rdx;
    while (q->levels) {
        unsigned level = (unsigned)__builtin_ctzll(q->levels);
        unsigned k = level * RADIX_WAYS + (unsigned)__builtin_ctzll(q->digits[level]);
        radix_bucket *b = &q->b[k];
        int dropped = drop_dead(e, b, 0);
        if (b->n == 0) {
            mark_empty(q, k);
            continue;
        }
        if (dropped || b->min > limit) {
            /* The earliest entry itself: to be returned, or its time
             * (the kept minimum may have been a tombstone's). */
            size_t m = 0;
            for (size_t i = 1; i < b->n; i++)
                if (ev_before(&b->a[i], &b->a[m]))
                    m = i;
            if (b->a[m].t > limit)
                return &b->a[m];
            b->min = b->a[m].t;
        }
        q->last = b->min;
        if (b->n <= RUN_SORT_MAX) {
            /* A small bucket becomes the run: swap the arrays, sort it. */
            radix_bucket run = q->now;
            q->now = *b;
            *b = run;
            b->n = 0;
            if (!worth_keeping(q, b->cap)) {
                sim_free(b->a);
                b->a = NULL;
                b->cap = 0;
            }
            mark_empty(q, k);
            radix_entry *a = q->now.a;
            sim_time top = a[0].t;
            for (size_t i = 1; i < q->now.n; i++) {
                radix_entry x = a[i];
                size_t j = i;
                while (j > 0 && ev_before(&x, &a[j - 1])) {
                    a[j] = a[j - 1];
                    j--;
                }
                a[j] = x;
                if (x.t > top)
                    top = x.t;
            }
            q->run_max = top;
            return NULL;
        }
        /* Move `last` to the earliest event and let the bucket's events
         * fall into lower levels (those at the new last into the run). The
         * bucket is taken out first, as its entries never land in it. */
        radix_bucket taken = *b;
        b->a = NULL;
        b->n = b->cap = 0;
        mark_empty(q, k);
        for (size_t i = 0; i < taken.n; i++) {
            if (radix_put(q, radix_bucket_of(q->last, taken.a[i].t), &taken.a[i])) {
                sim_free(taken.a);
                e->status = SIM_ENOMEM;
                e->stop = 1;
                return NULL;
            }
        }
        /* Give the array back, emptied, so its room is reused. */
        taken.n = 0;
        if (b->cap == 0 && worth_keeping(q, taken.cap))
            *b = taken;
        else
            sim_free(taken.a);
        q->run_max = q->last;
        /* Equal times run in scheduling order: sort the entries that tie at
         * the new last (rarely more than one) by sequence number. */
        radix_bucket *z = &q->now;
        for (size_t i = 1; i < z->n; i++) {
            radix_entry x = z->a[i];
            size_t j = i;
            while (j > 0 && z->a[j - 1].seq > x.seq) {
                z->a[j] = z->a[j - 1];
                j--;
            }
            z->a[j] = x;
        }
        return NULL;
    }
    return NULL;
}
