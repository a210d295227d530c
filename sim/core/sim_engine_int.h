/* sim_engine_int.h -- the engine's private layout, shared only by the engine,
 * its queue structures (sim_queue_*.h) and its timer lanes (sim_timer.c).
 * Nothing outside sim/core includes it, but the engine's test, which
 * looks into the radix heap's table of functions.
 *
 * Every pending event owns a slot. A slot's state word holds the sequence
 * number of the event in it (48 bits; sequence numbers start at 1 and never
 * repeat) and its owner: 0 for the main queue, lane index + 1 for a lane.
 * An id is (low 32 bits of the sequence number, slot + 1). When the event
 * runs or is cancelled the word is cleared and the slot freed at once: a
 * copy of the event left behind (a tombstone in the radix heap or a lane)
 * is recognised as dead because its sequence number no longer matches, and
 * never can again. What the event carries (sim__event) is stored by each
 * structure as suits it: beside the heap and the calendar in a per-slot
 * array, by value in lanes, and by value in the radix heap's buckets, but
 * for an event with an id, whose entry there stands in for it (its
 * payload per slot). A posted event (no id) owns no slot. */
#ifndef SIM_ENGINE_INT_H
#define SIM_ENGINE_INT_H
#include <stddef.h>
#include <stdint.h>

#include "sim_assert.h"
#include "sim_engine.h"

/* What running an event needs. fn == NULL marks a lane's proxy: the stand-in
 * for the lane's head on the main queue, with subject = the lane. (Timer
 * lanes have none: the engine compares their heads with the queue.) */
typedef struct sim__event {
    sim_time t;         /* due time */
    uint64_t seq;       /* scheduling order: breaks ties between equal times */
    sim_event_fn *fn;
    void *subject, *object;
} sim__event;

#define SEQ_BITS 48
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)
#define SEQ_LIMIT SEQ_MASK /* a run may schedule this many events */

#define EV_NONE UINT32_MAX /* no slot */

/* ---- 4-ary heap: 16-byte entries, payload per slot, positions for cancel */
typedef struct heap_entry {
    sim_time t;
    uint32_t slot;
    uint32_t unused;
} heap_entry;

typedef struct heap4 {
    heap_entry *h;      /* root at h[0]; children of i at 4i+1..4i+4 */
    void *raw;          /* the allocation h points into (aligned by hand) */
    uint32_t *pos;      /* pos[slot]: index of the slot's entry in h */
    sim__event *rec;    /* rec[slot]: the event */
    size_t n, cap;
} heap4;

/* ---- calendar queue: sorted bucket lists threaded through the slots */
typedef struct calendar {
    uint32_t *bucket;   /* first slot of each bucket's list, EV_NONE if empty */
    uint32_t *next, *prev; /* per slot: neighbours in its bucket */
    sim__event *rec;    /* rec[slot]: the event */
    uint64_t mask;      /* buckets - 1 (a power of two) */
    int width;          /* log2 of nanoseconds per bucket */
    int64_t cur;        /* day (t >> width) the scan stands at */
    size_t n;
    size_t grow_at, shrink_at;
    int resizing;
} calendar;

/* An event stored by value with its slot, in lanes: live while its slot
 * still holds its sequence number. */
typedef struct queued_event {
    sim__event ev;
    uint32_t slot;
} queued_event;

/* ---- radix heap: events by value in buckets keyed on t XOR last,
 * RADIX_DIGIT_BITS a level: bucket (level L, digit d) holds the events
 * whose highest digit differing from `last` is L, and whose digit L is d.
 * An entry is the event in 32 bytes, its function named by an index
 * packed under its sequence number (key = seq << RADIX_FN_BITS | index;
 * keys order as sequence numbers do, as no two are equal): a posted
 * event, a lane's proxy (index RADIX_FN_PROXY), or the stand-in of an
 * event that has an id (RADIX_FN_SLOT, object = its slot; the event
 * itself in rec[slot]). Each entry is moved two or three times on its
 * way through the buckets: with the function's address it was 40 bytes
 * (48 with the slot, before), and 32 made the PGO build 2-10% faster on
 * bench e2e (unit) and 4-7% on the default scenario's other stages
 * (paired runs, 2026-12-07). The lookup that gives a function its index
 * is a probe or two in a table of a few hundred bytes (radix_fn_index). */
#define RADIX_FN_BITS 16
#define RADIX_FN_MASK ((UINT64_C(1) << RADIX_FN_BITS) - 1)
#define RADIX_FN_PROXY 0
#define RADIX_FN_SLOT 1
_Static_assert(SEQ_BITS + RADIX_FN_BITS <= 64, "a key holds a sequence number and an index");
typedef struct radix_entry {
    sim_time t;
    uint64_t key;
    void *subject, *object;
} radix_entry;
void sim__slot_event(sim_engine *e, void *subject, void *object);

/* A bucket is a stack of 4 KB chunks, every one full but the top. They
 * come from one pool, last freed first out: a bucket being spread frees
 * its chunks as it reads them, and the buckets it spreads into write
 * into them while they are still in the cache. Arrays per bucket, grown
 * by doubling, were copied as they grew and passed between buckets: on
 * bench hold at N = 100,000 (4 MB of events) they came to hold 110 MB,
 * and a fifth of a 10 M-event run went to growing them. */
#define RADIX_CHUNK_ENTRIES 127 /* 16 + 127 * 32 = 4080 bytes */
typedef struct radix_chunk {
    struct radix_chunk *next; /* the older (full) chunk below, or the next free one */
    uint64_t unused;
    radix_entry a[RADIX_CHUNK_ENTRIES];
} radix_chunk;
_Static_assert(sizeof(radix_chunk) <= 4096, "a chunk is a page at most");

typedef struct radix_bucket {
    radix_chunk *top;   /* NULL when empty */
    size_t fill;        /* entries in top; RADIX_CHUNK_ENTRIES when empty,
                         * so a full top and no top take one test */
    sim_time min;       /* <= every entry's time, and one entry's (maybe a
                         * tombstone's): kept as entries come, so finding
                         * the next event reads no bucket twice;
                         * SIM_TIME_NEVER when empty */
} radix_bucket;

/* The run: the earliest events, sorted, read from head. */
typedef struct radix_run {
    radix_entry *a;
    size_t n, cap;
} radix_run;

/* 16-way digits: measured against 2-, 4-, 8- and 64-way on the hold model
 * (bench engine), fewer moves than binary digits and fewer write streams
 * than 64-way ones. */
#define RADIX_DIGIT_BITS 4
#define RADIX_WAYS (1u << RADIX_DIGIT_BITS)
#define RADIX_LEVELS ((64 + RADIX_DIGIT_BITS - 1) / RADIX_DIGIT_BITS)
#define RADIX_BUCKETS (RADIX_LEVELS * RADIX_WAYS)

typedef struct radix {
    radix_run now;      /* the run: events in [last, run_max] */
    size_t head;
    sim_time run_max;   /* the latest time the run may hold */
    /* Events posted into the run's span after it was sorted: a binary
     * heap beside it, taken from whenever its top comes first. */
    radix_run late;
    int took_late;      /* radix_peek() returned late's top */
    radix_bucket b[RADIX_BUCKETS];
    uint64_t digits[RADIX_LEVELS]; /* bit d of level L: bucket (L, d) may hold entries */
    uint64_t levels;    /* bit L: level L may hold entries */
    sim_time last;      /* the key the buckets are relative to; <= now */
    radix_chunk *free_chunks; /* the pool */
    size_t n_free_chunks;
    sim__event *rec;    /* rec[slot]: an event with an id, by its stand-in */
    /* The functions of posted events, by index (fns[RADIX_FN_PROXY] is
     * NULL), and an open-addressed table of their indices by address
     * (0: empty; proxies and stand-ins are never looked up). */
    sim_event_fn **fns;
    size_t n_fns, cap_fns;
    uint16_t *fn_table;
    unsigned fn_table_bits;
    size_t live, dead;  /* entries pending / cancelled but still stored */
} radix;

/* ---- lanes */

#define LANE_RING_START 64 /* entries; rings double as needed */

/* A zeroed lane of `size` bytes and its first ring (*ring) of entries of
 * `entry_size`; NULL, with nothing allocated, when out of memory. */
void *sim__lane_alloc(size_t size, size_t entry_size, void **ring);

/* Lanes store their events by value in time order, so they stream
 * through the cache. Cancelled events stay as tombstones until the head
 * passes them, or until they outnumber the live ones and the ring is
 * compacted (ids name slots, not positions, so compaction keeps them). */
struct sim_lane {
    sim_engine *engine;
    sim_time delay;
    sim_time last;      /* latest time scheduled, for the in-order check */
    queued_event *ring; /* cap entries, a power of two */
    uint64_t cap, head, tail; /* the ring holds [head, tail), positions mod cap */
    uint64_t live, dead;
    uint32_t index;     /* in the engine's lane table */
    int armed;          /* a proxy for the head (maybe since cancelled) is queued */
};

/* ---- timer lanes (sim_timer.c) */

/* A start on a timer lane: live while its timer still holds seq. The
 * function, the object and the subject (the timer's record) are the
 * lane's, so an entry is 24 bytes: the 48 of a full event cost about 5%
 * of bench hold+cancel's rate at N = 100,000, in cache traffic. (Moving t
 * into the timer instead, for 16, cost more: the records doubled.) */
typedef struct timer_entry {
    sim_time t;
    uint64_t seq;
    sim_timer *timer;
} timer_entry;

struct sim_timer_lane {
    sim_engine *engine;
    sim_time delay;
    sim_event_fn *fn;
    void *object;
    size_t offset;      /* of the timer in its record */
    timer_entry *ring;  /* cap entries, a power of two; holds [head, tail) */
    uint64_t cap, head, tail;
    int armed;          /* first_t and first_seq hold its head (maybe since cancelled) */
    sim_time first_t;
    uint64_t first_seq;
    sim_timer_lane *next; /* in the engine's list */
};

/* The engine's earliest armed timer lane (e->timer_first) is due before
 * anything on the main queue: 1 with *ev set to its head if that is still
 * live, else 0 (the lane now shows its next live start, to be compared
 * again). */
int sim__timer_lane_take(sim_engine *e, sim_timer_lane *lane, sim__event *ev);
void sim__timer_lane_free(sim_timer_lane *lane);
/* Its live starts, counted by reading the ring and the timers. */
uint64_t sim__timer_lane_pending(const sim_timer_lane *lane);

struct sim_engine {
    sim_time now;
    uint64_t seq;       /* next scheduling sequence number */
    uint64_t seed;
    sim_queue_kind kind;
    uint64_t *slots;    /* per slot: owner << 48 | sequence number, 0 when free */
    uint32_t *free_stack; /* free slots, the most recently freed on top */
    size_t slots_cap, n_free;
    heap4 heap;
    calendar cal;
    radix rdx;
    sim_lane **lanes;
    size_t n_lanes, lanes_cap;
    sim_timer_lane *timer_lanes; /* a list */
    sim_timer_lane *timer_first; /* the armed one with the earliest head, or NULL */
    uint64_t fired, pending; /* pending: on the main queue and lanes, not timer lanes */
    int stop;           /* asked to stop, or a schedule failed */
    int status;         /* SIM_OK or SIM_ENOMEM */
    sim_hook_fn *hook;
    void *hook_context;
    uint64_t hook_every, hook_countdown;
};

/* (t, seq) order. */
static inline int ev_before(const sim__event *a, const sim__event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static inline int radix_before(const radix_entry *a, const radix_entry *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

/* Per-slot arrays of a structure follow the slot table's growth. */
int sim__heap4_reserve_slots(heap4 *q, size_t slots);
int sim__calendar_reserve_slots(calendar *q, size_t slots);


/* ---- slot helpers shared by the engine and the structures */

/* The slot's event has run or was cancelled: free it for the next one. */
static inline void slot_free(sim_engine *e, uint32_t slot)
{
    e->slots[slot] = 0;
    e->free_stack[e->n_free++] = slot;
}

static inline int queued_live(const sim_engine *e, const queued_event *x)
{
    return (e->slots[x->slot] & SEQ_MASK) == x->ev.seq;
}

/* The radix heap also holds posted events and proxies, which have no slot
 * and are live until taken. */
static inline uint32_t radix_entry_slot(const radix_entry *x)
{
    return (x->key & RADIX_FN_MASK) == RADIX_FN_SLOT ? (uint32_t)(uintptr_t)x->object : EV_NONE;
}

static inline int radix_entry_live(const sim_engine *e, const radix_entry *x)
{
    uint32_t slot = radix_entry_slot(x);
    return slot == EV_NONE || (e->slots[slot] & SEQ_MASK) == x->key >> RADIX_FN_BITS;
}

/* ---- engine services for the timer lanes */

static inline uint64_t sim__next_seq(sim_engine *e)
{
    SIM_ASSERT(e->seq < SEQ_LIMIT);
    return e->seq++;
}

/* Puts ev on the main queue with no id (as sim_event_post); 1, or 0 (and
 * the run stops with SIM_ENOMEM) when out of memory. */
int sim__queue_post(sim_engine *e, const sim__event *ev);
/* Stops the run with SIM_ENOMEM; returns 0. */
sim_event_id sim__fail_nomem(sim_engine *e);

#endif /* SIM_ENGINE_INT_H */
