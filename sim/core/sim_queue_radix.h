/* sim_queue_radix.h -- the radix-heap candidate for the main queue (after
 * Ahuja, Mehlhorn, Orlin and Tarjan, 1990, with 16-way digits). It relies on
 * what a simulation guarantees: nothing is scheduled before the last event
 * taken. An event lands in the bucket of the highest 4-bit digit in which
 * its time differs from `last`, by its value in that digit: inserting
 * appends to one bucket (a stack of 4 KB chunks from a shared pool).
 * Taking reads the run (a sorted array of the earliest events) from the
 * front; when it is empty, the lowest non-empty bucket (found by two bit
 * scans) holds the earliest event: `last` moves to it, and the bucket is
 * sorted into the run when it holds no more than RUN_SORT_MAX, or else its
 * events fall into lower levels. An event moves at most once a level, in
 * practice two or three times, always sequentially. An event posted
 * inside the run's span (due before its last) goes on a small binary heap
 * beside it, the late heap, and is taken from there when it comes first;
 * should that heap grow past RADIX_LATE_MAX, the run is dissolved back
 * into the buckets. Events are stored by value (32 bytes, the function
 * by its index in a small table), so running one touches no other
 * memory, except an event with an id, whose entry stands in for it
 * (rec[slot] holds it). Cancel is O(1): the slot is freed and the entry
 * becomes a tombstone, dropped when reached; when tombstones outnumber
 * live events (and exceed 4096) every bucket is swept, so garbage never
 * more than doubles the work or the memory. */
#ifndef SIM_QUEUE_RADIX_H
#define SIM_QUEUE_RADIX_H
#include "sim_engine_int.h"
#include "sim_prefetch.h"

int sim__radix_init(radix *q);
void sim__radix_fini(radix *q);
/* Puts a new chunk on top of bucket b; 0 or SIM_ENOMEM. */
int sim__radix_new_chunk(radix *q, radix_bucket *b);
/* Doubles the run's room; 0 or SIM_ENOMEM. */
int sim__radix_grow_run(radix_run *r);
/* The `now` bucket is empty: finds the earliest live event. If it is due
 * after `limit`, returns it where it lies (to be looked at, not taken);
 * else moves `last` to it, spreads its bucket, and returns NULL (the `now`
 * bucket then holds it). */
radix_entry *sim__radix_advance(sim_engine *e, sim_time limit);
/* Drops every tombstone. */
void sim__radix_sweep(sim_engine *e);
/* The late heap reached RADIX_LATE_MAX: puts the run and the late heap
 * back into the buckets (all lie at or after `last`; those at `last` stay
 * in the run), and shrinks the run's span to `last`. 0 or SIM_ENOMEM. */
int sim__radix_dissolve(radix *q);
/* Gives fn (not yet known) its index: 0 when out of memory or indices. */
uint64_t sim__radix_add_fn(radix *q, sim_event_fn *fn);

/* fn's slot in the table of 1 << bits (Fibonacci hashing). */
static inline uint64_t radix_fn_hash(sim_event_fn *fn, unsigned bits)
{
    return (uint64_t)(uintptr_t)fn * UINT64_C(0x9E3779B97F4A7C15) >> (64 - bits);
}

/* fn's index, given it the first time: 0 when that fails. The table is
 * at most half full and a few hundred bytes, so this is a probe or two in
 * the first-level cache. */
static inline uint64_t radix_fn_index(radix *q, sim_event_fn *fn)
{
    const uint64_t mask = ((uint64_t)1 << q->fn_table_bits) - 1;
    for (uint64_t h = radix_fn_hash(fn, q->fn_table_bits);; h = (h + 1) & mask) {
        unsigned i = q->fn_table[h];
        if (i == 0)
            return sim__radix_add_fn(q, fn);
        if (q->fns[i] == fn)
            return i;
    }
}

/* The late heap's bound. Events land on it while the run lasts: at most
 * 48 at once in the default scenario's pure stage and 154 in its unit
 * stage (scale 0.02). A run that spans a far event (a repair hours away,
 * sorted in during a quiet moment) would send it every event until then,
 * a binary heap of thousands instead of the buckets, were the run not
 * dissolved at this size; naive's run, across a second's tick, is
 * dissolved once. */
#define RADIX_LATE_MAX 1024

/* The bucket for time t relative to last (t > last). */
static inline unsigned radix_bucket_of(sim_time last, sim_time t)
{
    uint64_t x = (uint64_t)(t ^ last);
    unsigned level = (unsigned)(63 - __builtin_clzll(x)) / RADIX_DIGIT_BITS;
    return level * RADIX_WAYS + (unsigned)((uint64_t)t >> (level * RADIX_DIGIT_BITS) & (RADIX_WAYS - 1));
}

/* Appends x to bucket k; 0 or -1. */
static inline __attribute__((always_inline)) int radix_put(radix *q, unsigned k, const radix_entry *x)
{
    radix_bucket *b = &q->b[k];
    if (b->fill == RADIX_CHUNK_ENTRIES) {
        /* A full top, or none: an empty bucket takes its first entry
         * here, so the bitmaps are marked here only, not on every put
         * (7% of bench hold's instructions at N = 100,000). They are
         * cleared only with the bucket (bucket_clear, mark_empty). */
        if (sim__radix_new_chunk(q, b))
            return -1;
        q->digits[k / RADIX_WAYS] |= (uint64_t)1 << (k % RADIX_WAYS);
        q->levels |= (uint64_t)1 << (k / RADIX_WAYS);
    }
    if (x->t < b->min)
        b->min = x->t;
    radix_entry *slot = &b->top->a[b->fill++];
    *slot = *x;
    /* Each bucket's end is a write stream of its own, too many for the
     * hardware to follow: ask for the line two entries on (hold at
     * N = 100,000 gained 15%, hold+cancel 30%). Integer arithmetic, as the
     * address may lie past the chunk. */
    __builtin_prefetch((const void *)((uintptr_t)slot + 3 * sizeof *slot), 1);
    return 0;
}

/* Appends x to the run, unsorted (the caller sorts); 0 or -1. */
static inline int radix_run_append(radix_run *r, const radix_entry *x)
{
    if (r->n == r->cap && sim__radix_grow_run(r))
        return -1;
    r->a[r->n++] = *x;
    return 0;
}

/* Heap order on late: its top is its earliest (time, then sequence). */
static inline void radix_late_push(radix_run *h, const radix_entry *x)
{
    size_t j = h->n++;
    while (j > 0) {
        size_t up = (j - 1) / 2;
        if (!radix_before(x, &h->a[up]))
            break;
        h->a[j] = h->a[up];
        j = up;
    }
    h->a[j] = *x;
}

/* Moves entry x down from slot j of the heap h (of n entries) to its place. */
static inline void radix_late_sift(radix_run *h, size_t j, const radix_entry *x)
{
    size_t n = h->n;
    for (;;) {
        size_t c = 2 * j + 1;
        if (c >= n)
            break;
        if (c + 1 < n && radix_before(&h->a[c + 1], &h->a[c]))
            c++;
        if (!radix_before(&h->a[c], x))
            break;
        h->a[j] = h->a[c];
        j = c;
    }
    h->a[j] = *x;
}

static inline void radix_late_pop(radix_run *h)
{
    if (--h->n > 0) {
        radix_entry x = h->a[h->n];
        radix_late_sift(h, 0, &x);
    }
}

/* Inline always: out of line, the event came by memory, written by the
 * caller as 8-byte fields and read back 16 bytes at a time, a
 * store-forwarding stall on every post (a third of the insert's time on
 * the naive stage). */
static inline __attribute__((always_inline)) int radix_insert(radix *q, const radix_entry *ev)
{
    radix_entry x = *ev;
    q->live++;
    if (ev->t > q->run_max || (q->head == q->now.n && q->late.n == 0)) {
        int rc = ev->t > q->last ? radix_put(q, radix_bucket_of(q->last, ev->t), &x)
                                 : radix_run_append(&q->now, &x);
        if (rc)
            q->live--;
        return rc;
    }
    /* Within the run's span, which it usually is (the run holds up to
     * RUN_SORT_MAX events, and a service or a hop inside a building is
     * shorter than that): onto the late heap. Sorted into the run it
     * landed 46 entries deep on average (the default scenario's naive
     * stage at scale 0.02), and moving them was a tenth of that stage. */
    radix_run *h = &q->late;
    if (h->n == RADIX_LATE_MAX) {
        int rc = sim__radix_dissolve(q);
        if (!rc)
            rc = ev->t > q->last ? radix_put(q, radix_bucket_of(q->last, ev->t), &x)
                                 : radix_run_append(&q->now, &x);
        if (rc)
            q->live--;
        return rc;
    }
    if (h->n == h->cap && sim__radix_grow_run(h)) {
        q->live--;
        return -1;
    }
    radix_late_push(h, &x);
    return 0;
}

/* The earliest live event, or NULL; an event due after `limit` may be
 * returned without being moved to the front (do not take it then). */
static inline radix_entry *radix_peek(sim_engine *e, sim_time limit)
{
    radix *q = &e->rdx;
    for (;;) {
        radix_run *z = &q->now, *h = &q->late;
        radix_entry *x = NULL;
        while (q->head < z->n) {
            x = &z->a[q->head];
            if (q->dead == 0 || radix_entry_live(e, x))
                break;
            x = NULL;
            q->head++; /* a tombstone */
            q->dead--;
        }
        while (h->n && q->dead && !radix_entry_live(e, &h->a[0])) {
            radix_late_pop(h);
            q->dead--;
        }
        q->took_late = h->n && (!x || radix_before(&h->a[0], x));
        if (q->took_late)
            return &h->a[0];
        if (x)
            return x;
        z->n = 0;
        q->head = 0;
        q->run_max = q->last;
        if (q->live == 0 && q->dead == 0)
            return NULL;
        radix_entry *beyond = sim__radix_advance(e, limit);
        if (beyond || e->status)
            return beyond;
        if (q->live == 0 && q->dead == 0)
            return NULL;
    }
}

/* No live event is due before this (the run's head, or the lowest
 * bucket's kept minimum, either maybe a tombstone's): cheap, to tell that
 * a timer lane's head comes first without looking for the earliest. */
static inline sim_time radix_lower_bound(const radix *q)
{
    if (q->late.n && (q->head == q->now.n || q->late.a[0].t < q->now.a[q->head].t))
        return q->late.a[0].t;
    if (q->head < q->now.n)
        return q->now.a[q->head].t;
    if (!q->levels)
        return SIM_TIME_NEVER;
    unsigned level = (unsigned)__builtin_ctzll(q->levels);
    return q->b[level * RADIX_WAYS + (unsigned)__builtin_ctzll(q->digits[level])].min;
}

/* Asks for both lines of an event's subject (a request is two, and its
 * events read both). */
static inline void radix_prefetch_subject(const radix_entry *x)
{
    uintptr_t subject = (uintptr_t)x->subject; /* maybe NULL: no pointer arithmetic */
    sim_prefetch((const void *)subject);
    sim_prefetch((const void *)(subject + 64));
}

/* Takes the event radix_peek() returned, and asks for the subject of one
 * still to come (a model's record, a request's, touched last long ago):
 * its cache miss then overlaps the events between instead of stalling
 * its own. From the run, the one RADIX_PREFETCH_AHEAD on (the first few
 * of a new run are asked for when it is made: sim__radix_advance); from
 * the late heap, its new top, one event ahead, the most a heap knows.
 * The late heap's and a run's first events went unasked before, 39% of
 * the naive stage's events (scale 0.05): asking made pure and naive 4-12%
 * faster and unit 4% (paired runs, no PGO, 2026-12-07). */
#define RADIX_PREFETCH_AHEAD 4
static inline void radix_pop(radix *q)
{
    q->live--;
    if (q->took_late) {
        radix_late_pop(&q->late);
        if (q->late.n)
            radix_prefetch_subject(&q->late.a[0]);
        return;
    }
    q->head++;
    if (q->head + RADIX_PREFETCH_AHEAD < q->now.n)
        radix_prefetch_subject(&q->now.a[q->head + RADIX_PREFETCH_AHEAD]);
}

/* An event on the radix heap was cancelled (its slot already freed). */
static inline void radix_cancelled(sim_engine *e)
{
    radix *q = &e->rdx;
    q->live--;
    q->dead++;
    if (q->dead > q->live && q->dead > 4096)
        sim__radix_sweep(e);
}

#endif /* SIM_QUEUE_RADIX_H */
