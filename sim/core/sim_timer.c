/* sim_timer.c -- timer lanes: a ring of starts in time order, whose first
 * live start the engine compares with the main queue's top. A
 * cancelled or restarted timer leaves its old start behind as a tombstone,
 * found dead (its timer no longer holds its seq) when the head reaches it
 * or when the ring fills and is swept. */
#include <stddef.h>

#include "sim_alloc.h"
#include "sim_assert.h"
#include "sim_engine.h"
#include "sim_engine_int.h"
#include "sim_prefetch.h"
#include "sim_status.h"

sim_timer_lane *sim_timer_lane_create(sim_engine *e, sim_time delay, sim_event_fn *fn,
                                      void *object, size_t timer_offset)
{
    SIM_ASSERT(delay >= 0 && fn != NULL);
    void *ring;
    sim_timer_lane *lane = sim__lane_alloc(sizeof *lane, sizeof *lane->ring, &ring);
    if (!lane)
        return NULL;
    *lane = (sim_timer_lane){.engine = e, .delay = delay, .fn = fn, .object = object,
                             .offset = timer_offset, .ring = ring, .cap = LANE_RING_START,
                             .next = e->timer_lanes};
    e->timer_lanes = lane; /* a list: nothing names a timer lane by number */
    return lane;
}

void sim__timer_lane_free(sim_timer_lane *lane)
{
    sim_free(lane->ring);
    sim_free(lane);
}

static inline int start_live(const timer_entry *x) { return x->timer->seq == x->seq; }

/* Telling a start live reads its timer, in a record (a request's) seldom
 * touched since it started: a cache miss each, one after another. Scans
 * ask for the timer PREFETCH_AHEAD starts on, so the misses overlap.
 * (Without sim_prefetch's asm the compiler dropped it: the pure stage at
 * scale 0.05 then spent 22% of its time waiting on timers.) */
#define PREFETCH_AHEAD 8
static inline void prefetch_timer(const timer_entry *ring, uint64_t mask, uint64_t p, uint64_t tail)
{
    if (p < tail)
        sim_prefetch(ring[p & mask].timer);
}

/* The ring is full: moves the live starts to the front, in order, and
 * doubles the ring if they fill more than a quarter of it, so a sweep
 * reads at most 4/3 entries per start since the last. */
static int make_room(sim_timer_lane *lane)
{
    const uint64_t mask = lane->cap - 1, tail = lane->tail;
    timer_entry *ring = lane->ring;
    uint64_t to = lane->head;
    for (uint64_t p = lane->head; p < tail; p++) {
        const timer_entry *x = &ring[p & mask];
        prefetch_timer(ring, mask, p + PREFETCH_AHEAD, tail);
        if (start_live(x)) {
            if (to != p)
                ring[to & mask] = *x;
            to++;
        }
    }
    lane->tail = to;
    if (4 * (lane->tail - lane->head) <= lane->cap)
        return SIM_OK;
    uint64_t cap = lane->cap * 2;
    timer_entry *grown = sim_malloc(cap * sizeof *grown);
    if (!grown)
        return SIM_ENOMEM;
    for (uint64_t p = lane->head; p < lane->tail; p++)
        grown[p & (cap - 1)] = ring[p & mask];
    sim_free(ring);
    lane->ring = grown;
    lane->cap = cap;
    return SIM_OK;
}

/* Drops the tombstones at the head; returns the first live start, or NULL. */
static timer_entry *first_live(sim_timer_lane *lane)
{
    const uint64_t mask = lane->cap - 1, tail = lane->tail;
    timer_entry *ring = lane->ring, *found = NULL;
    uint64_t head = lane->head;
    for (; head < tail; head++) {
        timer_entry *x = &ring[head & mask];
        prefetch_timer(ring, mask, head + PREFETCH_AHEAD, tail);
        if (start_live(x)) {
            found = x;
            break;
        }
    }
    lane->head = head;
    return found;
}

static inline int lane_before(const sim_timer_lane *a, const sim_timer_lane *b)
{
    return a->first_t < b->first_t || (a->first_t == b->first_t && a->first_seq < b->first_seq);
}

/* The lanes' heads are merged with the main queue by the engine itself,
 * which compares the earliest with the queue's top before each event. (A
 * proxy on the main queue, as plain lanes have, cost two queue operations
 * a timeout, and being due soon it was inserted near the front of the
 * radix heap's sorted run, moving the run: inserting it took 5-6% of the
 * pure stage, whose outage times out every request.) */
static void find_first(sim_engine *e)
{
    sim_timer_lane *first = NULL;
    for (sim_timer_lane *lane = e->timer_lanes; lane; lane = lane->next)
        if (lane->armed && (!first || lane_before(lane, first)))
            first = lane;
    e->timer_first = first;
}

/* Shows start x as the lane's head. Out of line: sim_timer_start() calls
 * it only on an empty lane. */
static __attribute__((noinline)) void arm(sim_engine *e, sim_timer_lane *lane, const timer_entry *x)
{
    lane->armed = 1;
    lane->first_t = x->t;
    lane->first_seq = x->seq;
    if (!e->timer_first || lane_before(lane, e->timer_first))
        e->timer_first = lane;
}

static int start(sim_timer_lane *lane, sim_timer *t, sim_time at);

/* A start when the ring is full: out of line, so that the usual start
 * saves no registers (it is about 30 instructions; with the sweep inlined
 * it saved six registers on every call, 4% of bench hold+cancel). */
static __attribute__((noinline)) int start_after_making_room(sim_timer_lane *lane, sim_timer *t, sim_time at)
{
    sim_timer_cancel(t); /* its old start, if pending, is swept out */
    if (make_room(lane)) {
        sim__fail_nomem(lane->engine);
        return 0;
    }
    return start(lane, t, at);
}

/* Writes the start and the timer, reading neither the timer (a pending
 * start is simply superseded: its seq no longer matches) nor any counter
 * that would depend on it: with the pending count kept here, the read of
 * each chain's cold record stood on the path of every start, and bench
 * hold+cancel at N = 100,000 ran 6% slower. */
static inline __attribute__((always_inline)) int start(sim_timer_lane *lane, sim_timer *t, sim_time at)
{
    if (lane->tail - lane->head == lane->cap)
        return start_after_making_room(lane, t, at);
    sim_engine *e = lane->engine;
    timer_entry *x = &lane->ring[lane->tail++ & (lane->cap - 1)];
    *x = (timer_entry){at, sim__next_seq(e), t};
    t->seq = x->seq;
    /* Unarmed means no live start was left, so this one is the head. */
    if (!lane->armed)
        arm(e, lane, x);
    return 1;
}

int sim_timer_start(sim_timer_lane *lane, sim_timer *t)
{
    return start(lane, t, lane->engine->now + lane->delay);
}

int sim_timer_start_at(sim_timer_lane *lane, sim_timer *t, sim_time at)
{
    SIM_ASSERT(at >= lane->engine->now);
    SIM_ASSERT(lane->tail == lane->head || at >= lane->ring[(lane->tail - 1) & (lane->cap - 1)].t);
    return start(lane, t, at);
}

/* O(starts in the ring): for sim_engine_events_pending(), not hot paths. */
uint64_t sim__timer_lane_pending(const sim_timer_lane *lane)
{
    const uint64_t mask = lane->cap - 1;
    uint64_t live = 0;
    for (uint64_t p = lane->head; p < lane->tail; p++)
        live += start_live(&lane->ring[p & mask]);
    return live;
}

int sim__timer_lane_take(sim_engine *e, sim_timer_lane *lane, sim__event *ev)
{
    timer_entry *head = first_live(lane);
    int taken = head && head->seq == lane->first_seq; /* else that start was cancelled */
    if (taken) {
        sim_timer *t = head->timer;
        *ev = (sim__event){head->t, head->seq, lane->fn, (char *)t - lane->offset, lane->object};
        t->seq = 0; /* idle again: it runs now */
        lane->head++;
        head = first_live(lane);
    }
    lane->armed = 0;
    e->timer_first = NULL;
    if (head)
        arm(e, lane, head);
    if (lane->next || e->timer_lanes != lane)
        find_first(e); /* of several lanes, the earliest may be another now */
    return taken;
}
