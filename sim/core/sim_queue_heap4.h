/* sim_queue_heap4.h -- the 4-ary heap candidate for the main queue.
 * Entries are 16 bytes (time, slot), so comparisons never leave the heap
 * array except to break a tie of equal times; a node's four children share
 * one cache line. pos[slot] follows every move, in its own dense array (4
 * bytes a slot), giving O(log n) cancel; the payload waits in rec[slot].
 * Included only by sim_engine.c: these are static inline so the run loop
 * compiles into one function. */
#ifndef SIM_QUEUE_HEAP4_H
#define SIM_QUEUE_HEAP4_H
#include "sim_engine_int.h"

int sim__heap4_init(heap4 *q);
void sim__heap4_fini(heap4 *q);
/* Makes room for one more entry; 0 or SIM_ENOMEM. */
int sim__heap4_reserve(heap4 *q);

static inline int heap4_less(const heap4 *q, heap_entry a, heap_entry b)
{
    return a.t < b.t || (a.t == b.t && q->rec[a.slot].seq < q->rec[b.slot].seq);
}

static inline void heap4_sift_up(heap4 *q, size_t i, heap_entry x)
{
    heap_entry *h = q->h;
    while (i > 0) {
        size_t parent = (i - 1) >> 2;
        if (!heap4_less(q, x, h[parent]))
            break;
        h[i] = h[parent];
        q->pos[h[i].slot] = (uint32_t)i;
        i = parent;
    }
    h[i] = x;
    q->pos[x.slot] = (uint32_t)i;
}

static inline void heap4_sift_down(heap4 *q, size_t i, heap_entry x)
{
    heap_entry *h = q->h;
    const size_t n = q->n;
    for (;;) {
        size_t c = 4 * i + 1, m;
        if (c + 3 < n) { /* a full node: a tournament of three comparisons */
            /* The grandchildren are four cache lines, one of which the next
             * step reads: ask for them now, while these compare. */
            size_t g = 4 * c + 1;
            if (g < n) {
                __builtin_prefetch(&h[g]);
                __builtin_prefetch(&h[g + 4]);
                __builtin_prefetch(&h[g + 8]);
                __builtin_prefetch(&h[g + 12]);
            }
            size_t m01 = heap4_less(q, h[c + 1], h[c]) ? c + 1 : c;
            size_t m23 = heap4_less(q, h[c + 3], h[c + 2]) ? c + 3 : c + 2;
            m = heap4_less(q, h[m23], h[m01]) ? m23 : m01;
        } else if (c < n) {
            m = c;
            for (size_t k = c + 1; k < n; k++)
                if (heap4_less(q, h[k], h[m]))
                    m = k;
        } else {
            break;
        }
        if (!heap4_less(q, h[m], x))
            break;
        h[i] = h[m];
        q->pos[h[i].slot] = (uint32_t)i;
        i = m;
    }
    h[i] = x;
    q->pos[x.slot] = (uint32_t)i;
}

/* Adds the event in `slot` (its payload already in rec[slot]); the caller
 * has reserved room. */
static inline void heap4_push(heap4 *q, uint32_t slot)
{
    heap_entry x = {q->rec[slot].t, slot, 0};
    heap4_sift_up(q, q->n++, x);
}

/* The earliest event, or NULL; its slot in *slot. */
static inline sim__event *heap4_peek(const heap4 *q, uint32_t *slot)
{
    if (q->n == 0)
        return NULL;
    *slot = q->h[0].slot;
    return &q->rec[*slot];
}

static inline void heap4_pop(heap4 *q)
{
    heap_entry last = q->h[--q->n];
    if (q->n > 0) {
        heap4_sift_down(q, 0, last);
        /* The next event's payload is a cache miss on a large queue: start
         * loading it now, to overlap with the callback about to run. */
        __builtin_prefetch(&q->rec[q->h[0].slot]);
    }
}

static inline void heap4_remove(heap4 *q, uint32_t slot)
{
    size_t i = q->pos[slot];
    heap_entry last = q->h[--q->n];
    if (i == q->n)
        return;
    if (i > 0 && heap4_less(q, last, q->h[(i - 1) >> 2]))
        heap4_sift_up(q, i, last);
    else
        heap4_sift_down(q, i, last);
}

#endif /* SIM_QUEUE_HEAP4_H */
