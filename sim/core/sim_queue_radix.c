/* sim_queue_radix.c -- the radix heap's storage, spreading and sweeping
 * (its hot path is inline in sim_queue_radix.h). */
#include "sim_queue_radix.h"

#include <string.h>

#include "sim_alloc.h"
#include "sim_status.h"

/* Buckets this small are sorted straight into the run rather than spread
 * over lower levels. */
#ifndef RUN_SORT_MAX
#define RUN_SORT_MAX 128
#endif
/* The most groups a bucket's counting pass sorts its entries into (two
 * digits), and the size of bucket it uses two digits for: below it, 16
 * groups (and 17 counters to clear and sum, not 257) are enough, which
 * kept hold at N = 1000 from losing a tenth or more. */
#define RUN_GROUPS (RADIX_WAYS * RADIX_WAYS)
#ifndef RUN_TWO_DIGITS_MIN
#define RUN_TWO_DIGITS_MIN 32
#endif

static void bucket_clear(radix_bucket *b)
{
    b->top = NULL;
    b->fill = RADIX_CHUNK_ENTRIES;
    b->min = SIM_TIME_NEVER;
}

#define FN_TABLE_START_BITS 4

int sim__radix_init(radix *q)
{
    memset(q, 0, sizeof *q);
    for (unsigned i = 0; i < RADIX_BUCKETS; i++)
        bucket_clear(&q->b[i]);
    q->cap_fns = 16; /* grown as functions come, as the table is */
    q->fns = sim_malloc(q->cap_fns * sizeof *q->fns);
    q->fn_table_bits = FN_TABLE_START_BITS;
    q->fn_table = sim_calloc((size_t)1 << q->fn_table_bits, sizeof *q->fn_table);
    if (!q->fns || !q->fn_table)
        return SIM_ENOMEM;
    q->fns[RADIX_FN_PROXY] = NULL;
    q->fns[RADIX_FN_SLOT] = sim__slot_event;
    q->n_fns = 2;
    return SIM_OK;
}

/* Puts index i into the table by its function's address. */
static void fn_table_put(uint16_t *table, unsigned bits, sim_event_fn *fn, unsigned i)
{
    const uint64_t mask = ((uint64_t)1 << bits) - 1;
    uint64_t h = radix_fn_hash(fn, bits);
    while (table[h])
        h = (h + 1) & mask;
    table[h] = (uint16_t)i;
}

uint64_t sim__radix_add_fn(radix *q, sim_event_fn *fn)
{
    if (q->n_fns > RADIX_FN_MASK)
        return 0;
    if (q->n_fns == q->cap_fns && sim_grow((void **)&q->fns, &q->cap_fns, q->n_fns + 1, sizeof *q->fns))
        return 0;
    /* At most half full, so probes stay short. */
    if (2 * (q->n_fns + 1) > (size_t)1 << q->fn_table_bits) {
        unsigned bits = q->fn_table_bits + 1;
        uint16_t *table = sim_calloc((size_t)1 << bits, sizeof *table);
        if (!table)
            return 0;
        for (size_t i = RADIX_FN_SLOT + 1; i < q->n_fns; i++)
            fn_table_put(table, bits, q->fns[i], (unsigned)i);
        sim_free(q->fn_table);
        q->fn_table = table;
        q->fn_table_bits = bits;
    }
    size_t i = q->n_fns++;
    q->fns[i] = fn;
    fn_table_put(q->fn_table, q->fn_table_bits, fn, (unsigned)i);
    return i;
}

static void free_chain(radix_chunk *c)
{
    while (c) {
        radix_chunk *next = c->next;
        sim_free(c);
        c = next;
    }
}

void sim__radix_fini(radix *q)
{
    sim_free(q->rec);
    sim_free(q->fns);
    sim_free(q->fn_table);
    sim_free(q->now.a);
    sim_free(q->late.a);
    for (unsigned i = 0; i < RADIX_BUCKETS; i++)
        free_chain(q->b[i].top);
    free_chain(q->free_chunks);
    memset(q, 0, sizeof *q);
}

int sim__radix_new_chunk(radix *q, radix_bucket *b)
{
    radix_chunk *c = q->free_chunks;
    if (c) {
        q->free_chunks = c->next;
        q->n_free_chunks--;
    } else if (!(c = sim_malloc(sizeof *c))) {
        return SIM_ENOMEM;
    }
    c->next = b->top;
    b->top = c;
    b->fill = 0;
    return SIM_OK;
}

/* Gives a read chunk back to the pool, which keeps no more than the queue
 * could fill again (else a burst would leave its room behind, and a
 * year-long run keep gigabytes for 28 events). */
static void chunk_release(radix *q, radix_chunk *c)
{
    if (q->n_free_chunks > (q->live + q->dead) / RADIX_CHUNK_ENTRIES + 64) {
        sim_free(c);
        return;
    }
    c->next = q->free_chunks;
    q->free_chunks = c;
    q->n_free_chunks++;
}

int sim__radix_grow_run(radix_run *r)
{
    size_t cap = r->cap ? r->cap * 2 : 64;
    radix_entry *a = sim_realloc(r->a, cap * sizeof *a);
    if (!a)
        return SIM_ENOMEM;
    r->a = a;
    r->cap = cap;
    return SIM_OK;
}

/* Entries in chunk c of bucket b. */
static size_t chunk_entries(const radix_bucket *b, const radix_chunk *c)
{
    return c == b->top ? b->fill : RADIX_CHUNK_ENTRIES;
}

/* Marks bucket k empty in the bitmaps. */
static void mark_empty(radix *q, unsigned k)
{
    unsigned level = k / RADIX_WAYS;
    q->digits[level] &= ~((uint64_t)1 << (k % RADIX_WAYS));
    if (q->digits[level] == 0)
        q->levels &= ~((uint64_t)1 << level);
}

/* Empties bucket k, its chunks back to the pool. */
static void bucket_drop(radix *q, unsigned k)
{
    radix_chunk *c = q->b[k].top;
    while (c) {
        radix_chunk *next = c->next;
        chunk_release(q, c);
        c = next;
    }
    bucket_clear(&q->b[k]);
    mark_empty(q, k);
}

/* Drops bucket k's tombstones in place: live entries are copied down
 * over read ones, chunk after chunk (a write never passes the read), the
 * chunk written last becomes the top and those left empty go back to the
 * pool. Needs no memory, so a sweep cannot fail. */
static void bucket_compact(sim_engine *e, unsigned k)
{
    radix *q = &e->rdx;
    radix_bucket *b = &q->b[k];
    radix_chunk *wc = b->top, *wprev = NULL;
    size_t w = 0;
    for (radix_chunk *c = b->top; c; c = c->next) {
        size_t n = chunk_entries(b, c);
        for (size_t i = 0; i < n; i++) {
            if (!radix_entry_live(e, &c->a[i])) {
                q->dead--;
                continue;
            }
            if (w == RADIX_CHUNK_ENTRIES) {
                wprev = wc;
                wc = wc->next;
                w = 0;
            }
            wc->a[w++] = c->a[i];
        }
    }
    if (!wc)
        return;
    /* Release the chunks past the written ones. */
    radix_chunk *rest = wc->next;
    wc->next = NULL;
    while (rest) {
        radix_chunk *next = rest->next;
        chunk_release(q, rest);
        rest = next;
    }
    if (w == 0 && !wprev) {
        bucket_drop(q, k);
        return;
    }
    if (wprev) {
        /* The partly written chunk goes on top (the top and those below it are full). */
        wprev->next = NULL;
        wc->next = b->top;
        b->top = wc;
    }
    b->fill = w;
}

void sim__radix_sweep(sim_engine *e)
{
    radix *q = &e->rdx;
    /* The run keeps its order. */
    radix_run *z = &q->now;
    size_t kept = q->head;
    for (size_t k = q->head; k < z->n; k++) {
        if (radix_entry_live(e, &z->a[k]))
            z->a[kept++] = z->a[k];
        else
            q->dead--;
    }
    z->n = kept;
    /* The late heap: its live entries, heap-ordered again (bottom-up). */
    radix_run *h = &q->late;
    kept = 0;
    for (size_t k = 0; k < h->n; k++) {
        if (radix_entry_live(e, &h->a[k]))
            h->a[kept++] = h->a[k];
        else
            q->dead--;
    }
    h->n = kept;
    for (size_t k = kept / 2; k-- > 0;) {
        radix_entry x = h->a[k];
        radix_late_sift(h, k, &x);
    }
    for (unsigned k = 0; k < RADIX_BUCKETS; k++)
        if (q->b[k].top)
            bucket_compact(e, k);
}

/* Equal times run in scheduling order: sorts a run whose entries all tie
 * at `last` (rarely more than one) by sequence number. */
static void run_sort_ties(radix_run *z)
{
    for (size_t i = 1; i < z->n; i++) {
        radix_entry x = z->a[i];
        size_t j = i;
        for (; j > 0 && z->a[j - 1].key > x.key; j--)
            z->a[j] = z->a[j - 1];
        z->a[j] = x;
    }
}

int sim__radix_dissolve(radix *q)
{
    radix_run *z = &q->now, *h = &q->late;
    int rc = SIM_OK;
    size_t n = 0;
    for (size_t k = q->head; k < z->n; k++) {
        const radix_entry *x = &z->a[k];
        if (x->t == q->last)
            z->a[n++] = *x; /* the run's first, in order */
        else if (radix_put(q, radix_bucket_of(q->last, x->t), x))
            rc = SIM_ENOMEM;
    }
    q->head = 0;
    z->n = n;
    for (size_t k = 0; k < h->n; k++) {
        const radix_entry *x = &h->a[k];
        if (x->t == q->last ? radix_run_append(z, x) : radix_put(q, radix_bucket_of(q->last, x->t), x))
            rc = SIM_ENOMEM;
    }
    h->n = 0;
    run_sort_ties(z); /* the heap's ties at `last` among the run's */
    q->run_max = q->last;
    return rc;
}

/* The earliest live entry of bucket b, or NULL (every entry a tombstone). */
static radix_entry *earliest_live(sim_engine *e, const radix_bucket *b)
{
    radix_entry *m = NULL;
    for (radix_chunk *c = b->top; c; c = c->next) {
        size_t n = chunk_entries(b, c);
        for (size_t i = 0; i < n; i++)
            if ((!m || radix_before(&c->a[i], m)) && radix_entry_live(e, &c->a[i]))
                m = &c->a[i];
    }
    return m;
}

/* Bucket k's entries, if no more than `max`; else max + 1. */
static size_t bucket_size_upto(const radix_bucket *b, size_t max)
{
    size_t n = b->fill;
    for (const radix_chunk *c = b->top->next; c && n <= max; c = c->next)
        n += RADIX_CHUNK_ENTRIES;
    return n;
}

/* Bucket k (level L, up to RUN_SORT_MAX entries) becomes the run: a
 * counting pass on digits L - 1 and L - 2 places its entries in 256
 * ordered groups (16 on digit L - 1 alone when it holds fewer than
 * RUN_TWO_DIGITS_MIN, or L is 1), and an insertion sort then puts each
 * group in order. With 16 groups a bucket of 100 left about 6 entries a
 * group, and the insertion sort's moves and mispredicted branches took a
 * tenth of bench hold's time at N = 100,000 (perf); with 256, most groups
 * hold one entry or none. Done here, the bucket's entries are moved once
 * more, not spread into level L - 1 first (a move each) and sorted from
 * there; tombstones stay behind. */
static int bucket_to_run(sim_engine *e, unsigned k, size_t n)
{
    radix *q = &e->rdx;
    radix_run *z = &q->now;
    radix_bucket *b = &q->b[k];
    /* A run that once grew large (a burst of ties) gives its room back. */
    if (z->cap > 2 * (q->live + 64) && z->cap > n) {
        sim_free(z->a);
        z->a = NULL;
        z->cap = 0;
    }
    while (z->cap < n)
        if (sim__radix_grow_run(z))
            return SIM_ENOMEM;
    unsigned level = k / RADIX_WAYS;
    unsigned digits = level >= 2 && n >= RUN_TWO_DIGITS_MIN ? 2 : 1;
    unsigned shift = level ? (level - digits) * RADIX_DIGIT_BITS : 0;
    size_t groups = (size_t)1 << (digits * RADIX_DIGIT_BITS);
    uint64_t mask = level ? groups - 1 : 0; /* level 0: all tie in time */
    uint32_t at[RUN_GROUPS + 1];
    memset(at, 0, (groups + 1) * sizeof at[0]);
    sim_time top = q->last;
    for (radix_chunk *c = b->top; c; c = c->next) {
        size_t m = chunk_entries(b, c);
        for (size_t i = 0; i < m; i++) {
            const radix_entry *x = &c->a[i];
            if (q->dead && !radix_entry_live(e, x))
                continue;
            at[((uint64_t)x->t >> shift & mask) + 1]++;
            if (x->t > top)
                top = x->t;
        }
    }
    for (size_t d = 1; d <= groups; d++)
        at[d] += at[d - 1];
    size_t live = at[groups];
    radix_entry *a = z->a;
    for (radix_chunk *c = b->top; c; c = c->next) {
        size_t m = chunk_entries(b, c);
        for (size_t i = 0; i < m; i++) {
            const radix_entry *x = &c->a[i];
            if (q->dead && !radix_entry_live(e, x)) {
                q->dead--;
                continue;
            }
            a[at[(uint64_t)x->t >> shift & mask]++] = *x;
        }
    }
    for (size_t i = 1; i < live; i++) {
        if (!radix_before(&a[i], &a[i - 1]))
            continue;
        radix_entry x = a[i];
        size_t j = i;
        do {
            a[j] = a[j - 1];
            j--;
        } while (j > 0 && radix_before(&x, &a[j - 1]));
        a[j] = x;
    }
    z->n = live;
    q->run_max = top;
    bucket_drop(q, k);
    return SIM_OK;
}

/* Moves `last` to bucket k's minimum and lets its events fall into lower
 * levels (those at the new last into the run); tombstones are dropped. */
static int bucket_spread(sim_engine *e, unsigned k)
{
    radix *q = &e->rdx;
    radix_bucket taken = q->b[k];
    /* Taken out first: its entries never land in it. */
    bucket_clear(&q->b[k]);
    mark_empty(q, k);
    sim_time last = q->last = taken.min;
    int rc = SIM_OK;
    for (radix_chunk *c = taken.top; c;) {
        size_t n = chunk_entries(&taken, c);
        for (size_t i = 0; i < n && rc == SIM_OK; i++) {
            const radix_entry *x = &c->a[i];
            if (q->dead && !radix_entry_live(e, x)) {
                q->dead--;
                continue;
            }
            rc = x->t == last ? radix_run_append(&q->now, x) : radix_put(q, radix_bucket_of(last, x->t), x);
        }
        radix_chunk *next = c->next;
        chunk_release(q, c); /* the next chunk's puts may write into it */
        c = next;
    }
    if (rc)
        return SIM_ENOMEM;
    q->run_max = last;
    run_sort_ties(&q->now);
    return SIM_OK;
}

radix_entry *sim__radix_advance(sim_engine *e, sim_time limit)
{
    radix *q = &e->rdx;
    while (q->levels) {
        unsigned level = (unsigned)__builtin_ctzll(q->levels);
        unsigned k = level * RADIX_WAYS + (unsigned)__builtin_ctzll(q->digits[level]);
        radix_bucket *b = &q->b[k];
        if (q->dead || b->min > limit) {
            /* The earliest live entry itself: to be returned, or its time
             * (the kept minimum may be a tombstone's, and `last` must
             * never pass a live event). */
            radix_entry *m = earliest_live(e, b);
            if (!m) {
                bucket_compact(e, k); /* empties it */
                continue;
            }
            b->min = m->t; /* tighter, for radix_lower_bound() */
            if (m->t > limit)
                return m;
        }
        q->last = b->min;
        size_t n = bucket_size_upto(b, RUN_SORT_MAX);
        int rc = n <= RUN_SORT_MAX ? bucket_to_run(e, k, n) : bucket_spread(e, k);
        if (rc) {
            e->status = SIM_ENOMEM;
            e->stop = 1;
        }
        /* The new run's first events, which radix_pop() asks for no
         * earlier than this. */
        for (size_t i = 1; i < q->now.n && i <= RADIX_PREFETCH_AHEAD; i++)
            radix_prefetch_subject(&q->now.a[i]);
        return NULL;
    }
    return NULL;
}
