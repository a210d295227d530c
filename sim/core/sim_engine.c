/* sim_engine.c -- the event loop, the slot table and the lanes. The main
 * queue's structure is chosen at creation; its hot path is inlined from
 * sim_queue_*.h, and the run loop is compiled once per structure so that
 * none pays for the others. */
#include "sim_engine.h"

#include <string.h>

#include "sim_alloc.h"
#include "sim_assert.h"
#include "sim_engine_int.h"
#include "sim_queue_calendar.h"
#include "sim_queue_heap4.h"
#include "sim_queue_radix.h"
#include "sim_status.h"

#define MAX_LANES 65535 /* owner numbers fit the 16 bits above the sequence */
/* Tombstones on a lane are swept out once they outnumber the live events
 * three to one and exceed this, so a lane's memory follows its pending
 * events, not the events scheduled over its delay. */
#define LANE_SWEEP_MIN 4096

/* ==== Slots ==== */

static int slots_grow(sim_engine *e)
{
    size_t old_cap = e->slots_cap, cap = old_cap ? old_cap * 2 : 1024;
    if (cap >= EV_NONE)
        return SIM_ENOMEM;
    uint64_t *slots = sim_realloc(e->slots, cap * sizeof *slots);
    if (!slots)
        return SIM_ENOMEM;
    e->slots = slots;
    uint32_t *stack = sim_realloc(e->free_stack, cap * sizeof *stack);
    if (!stack)
        return SIM_ENOMEM;
    e->free_stack = stack;
    int rc = SIM_OK;
    if (e->kind == SIM_QUEUE_RADIX) {
        sim__event *rec = sim_realloc(e->rdx.rec, cap * sizeof *rec);
        if (!rec)
            return SIM_ENOMEM;
        e->rdx.rec = rec;
    } else if (e->kind == SIM_QUEUE_HEAP4)
        rc = sim__heap4_reserve_slots(&e->heap, cap);
    else if (e->kind == SIM_QUEUE_CALENDAR)
        rc = sim__calendar_reserve_slots(&e->cal, cap);
    if (rc)
        return rc;
    /* Stack the new slots so the lowest is handed out first. */
    for (size_t i = cap; i-- > old_cap;) {
        slots[i] = 0;
        stack[e->n_free++] = (uint32_t)i;
    }
    e->slots_cap = cap;
    return SIM_OK;
}

/* A free slot, now holding event `seq` of `owner` (lane index + 1, or 0
 * for the main queue); EV_NONE when out of memory. */
static inline uint32_t slot_alloc(sim_engine *e, uint64_t owner, uint64_t seq)
{
    if (e->n_free == 0 && slots_grow(e))
        return EV_NONE;
    uint32_t slot = e->free_stack[--e->n_free];
    e->slots[slot] = owner << SEQ_BITS | seq;
    return slot;
}

static inline sim_event_id make_id(uint32_t slot, uint64_t seq)
{
    return (seq & 0xffffffffu) << 32 | (slot + 1u);
}

/* What the radix heap's table of functions names by the stand-in's index
 * (RADIX_FN_SLOT); never read, as the run loop takes the event from
 * rec[slot]: a place-holder that says so if it ever runs. */
void sim__slot_event(sim_engine *e, void *subject, void *object)
{
    (void)e, (void)subject, (void)object;
    SIM_ASSERT(!"a radix stand-in ran");
}

sim_event_id sim__fail_nomem(sim_engine *e)
{
    e->status = SIM_ENOMEM;
    e->stop = 1;
    return 0;
}

/* ==== The main queue, whichever structure it is ==== */

/* Puts ev on the main queue; returns its id, or 0 when out of memory.
 * Without want_id it returns 1 for success, and the radix heap stores the
 * event with no slot (EV_NONE): nothing can cancel it, and its run saves
 * the slot's allocation and the store into a cold line of the slot table
 * that freeing it costs. Inline always, as radix_insert() is: the event
 * is built in registers by its caller. */
static inline __attribute__((always_inline)) sim_event_id queue_insert(sim_engine *e, const sim__event *ev,
                                                                       const int want_id)
{
    if (e->kind == SIM_QUEUE_RADIX && !want_id) {
        uint64_t fn = ev->fn ? radix_fn_index(&e->rdx, ev->fn) : RADIX_FN_PROXY;
        if ((ev->fn && !fn) ||
            radix_insert(&e->rdx, &(radix_entry){ev->t, ev->seq << RADIX_FN_BITS | fn, ev->subject, ev->object}))
            return sim__fail_nomem(e);
        return 1;
    }
    if (e->kind == SIM_QUEUE_HEAP4 && sim__heap4_reserve(&e->heap))
        return sim__fail_nomem(e);
    uint32_t slot = slot_alloc(e, 0, ev->seq);
    if (slot == EV_NONE)
        return sim__fail_nomem(e);
    switch (e->kind) {
    case SIM_QUEUE_RADIX:
        e->rdx.rec[slot] = *ev;
        if (radix_insert(&e->rdx, &(radix_entry){ev->t, ev->seq << RADIX_FN_BITS | RADIX_FN_SLOT, NULL,
                                                 (void *)(uintptr_t)slot})) {
            slot_free(e, slot);
            return sim__fail_nomem(e);
        }
        break;
    case SIM_QUEUE_HEAP4:
        e->heap.rec[slot] = *ev;
        heap4_push(&e->heap, slot);
        break;
    default:
        e->cal.rec[slot] = *ev;
        cal_insert(&e->cal, slot);
        break;
    }
    return make_id(slot, ev->seq);
}

/* The earliest live event (maybe a lane proxy) into *ev, and its slot;
 * 0 if there is none. An event due after `limit` may be given without
 * being made ready to take. */
static inline int queue_peek(sim_engine *e, sim_time limit, uint32_t *slot, sim__event *ev,
                             const sim_queue_kind kind)
{
    const sim__event *rec;
    if (kind == SIM_QUEUE_RADIX) {
        const radix_entry *x = radix_peek(e, limit);
        if (!x)
            return 0;
        *slot = radix_entry_slot(x);
        if (*slot == EV_NONE) {
            *ev = (sim__event){x->t, x->key >> RADIX_FN_BITS, e->rdx.fns[x->key & RADIX_FN_MASK], x->subject,
                               x->object};
            return 1;
        }
        rec = &e->rdx.rec[*slot];
    } else {
        rec = kind == SIM_QUEUE_HEAP4 ? heap4_peek(&e->heap, slot) : cal_peek(&e->cal, slot);
        if (!rec)
            return 0;
    }
    *ev = *rec;
    return 1;
}

int sim__queue_post(sim_engine *e, const sim__event *ev) { return queue_insert(e, ev, 0) != 0; }

/* Takes the event queue_peek() returned (due at or before its limit). */
static inline void queue_pop(sim_engine *e, uint32_t slot, const sim_queue_kind kind)
{
    if (kind == SIM_QUEUE_RADIX) {
        radix_pop(&e->rdx);
        if (slot == EV_NONE) /* posted: it has no slot */
            return;
    } else if (kind == SIM_QUEUE_HEAP4) {
        heap4_pop(&e->heap);
    } else {
        cal_remove(&e->cal, slot);
    }
    slot_free(e, slot);
}

/* Takes a pending main-queue event off the queue. */
static void queue_cancel(sim_engine *e, uint32_t slot)
{
    slot_free(e, slot);
    switch (e->kind) {
    case SIM_QUEUE_RADIX: radix_cancelled(e); break; /* leaves a tombstone */
    case SIM_QUEUE_HEAP4: heap4_remove(&e->heap, slot); break;
    default: cal_remove(&e->cal, slot); break;
    }
}

/* ==== Lifecycle ==== */

sim_engine *sim_engine_create(uint64_t seed)
{
    return sim_engine_create_with(seed, SIM_QUEUE_DEFAULT);
}

sim_engine *sim_engine_create_with(uint64_t seed, sim_queue_kind kind)
{
    SIM_ASSERT(kind >= 0 && kind < SIM_QUEUE_KINDS);
    sim_engine *e = sim_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->seed = seed;
    e->kind = kind;
    e->seq = 1; /* 0 marks a free slot */
    int rc = kind == SIM_QUEUE_RADIX  ? sim__radix_init(&e->rdx)
             : kind == SIM_QUEUE_HEAP4 ? sim__heap4_init(&e->heap)
                                       : sim__calendar_init(&e->cal);
    if (rc || slots_grow(e)) {
        sim_engine_destroy(e);
        return NULL;
    }
    return e;
}

void sim_engine_destroy(sim_engine *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_lanes; i++) {
        sim_free(e->lanes[i]->ring);
        sim_free(e->lanes[i]);
    }
    sim_free(e->lanes);
    while (e->timer_lanes) {
        sim_timer_lane *next = e->timer_lanes->next;
        sim__timer_lane_free(e->timer_lanes);
        e->timer_lanes = next;
    }
    if (e->kind == SIM_QUEUE_RADIX)
        sim__radix_fini(&e->rdx);
    else if (e->kind == SIM_QUEUE_HEAP4)
        sim__heap4_fini(&e->heap);
    else
        sim__calendar_fini(&e->cal);
    sim_free(e->slots);
    sim_free(e->free_stack);
    sim_free(e);
}

/* ==== Scheduling ==== */

/* sim_event_schedule() and sim_event_post(): 0 when out of memory. */
static inline sim_event_id schedule(sim_engine *e, sim_time at, sim_event_fn *fn, void *subject,
                                    void *object, const int want_id)
{
    SIM_ASSERT(fn != NULL);
    SIM_ASSERT(at >= e->now);
    sim__event ev = {at, sim__next_seq(e), fn, subject, object};
    sim_event_id id = queue_insert(e, &ev, want_id);
    if (id)
        e->pending++;
    return id;
}

sim_event_id sim_event_schedule(sim_engine *e, sim_time at, sim_event_fn *fn, void *subject,
                                void *object)
{
    return schedule(e, at, fn, subject, object, 1);
}

int sim_event_post(sim_engine *e, sim_time at, sim_event_fn *fn, void *subject, void *object)
{
    return schedule(e, at, fn, subject, object, 0) != 0;
}

int sim_event_pending(const sim_engine *e, sim_event_id id)
{
    uint32_t slot = (uint32_t)id - 1u;
    if (id == 0 || slot >= e->slots_cap)
        return 0;
    uint64_t word = e->slots[slot];
    return word != 0 && (word & 0xffffffffu) == id >> 32;
}

static int lane_arm(sim_engine *e, sim_lane *lane, const queued_event *head);
static queued_event *lane_first_live(sim_engine *e, sim_lane *lane);
static void lane_sweep(sim_engine *e, sim_lane *lane);

int sim_event_cancel(sim_engine *e, sim_event_id id)
{
    if (!sim_event_pending(e, id))
        return 0;
    e->pending--;
    uint32_t slot = (uint32_t)id - 1u;
    uint64_t owner = e->slots[slot] >> SEQ_BITS;
    if (owner == 0) {
        queue_cancel(e, slot);
        return 1;
    }
    sim_lane *lane = e->lanes[owner - 1];
    /* Its copy on the lane is a tombstone now. The lane's proxy may stand
     * for it; it is left to fire and find the next live event then, which
     * costs far less than moving it at every cancel (a lane of timeouts
     * loses its head at almost every request). */
    slot_free(e, slot);
    lane->live--;
    lane->dead++;
    if (lane->dead > lane->live && lane->dead > LANE_SWEEP_MIN)
        lane_sweep(e, lane);
    return 1;
}

/* ==== Lanes ==== */

void *sim__lane_alloc(size_t size, size_t entry_size, void **ring)
{
    void *lane = sim_calloc(1, size);
    *ring = lane ? sim_malloc(LANE_RING_START * entry_size) : NULL;
    if (!*ring) {
        sim_free(lane);
        return NULL;
    }
    return lane;
}

sim_lane *sim_lane_create(sim_engine *e, sim_time delay)
{
    SIM_ASSERT(delay >= 0);
    if (e->n_lanes >= MAX_LANES)
        return NULL;
    if (sim_grow((void **)&e->lanes, &e->lanes_cap, e->n_lanes + 1, sizeof *e->lanes))
        return NULL;
    void *ring;
    sim_lane *lane = sim__lane_alloc(sizeof *lane, sizeof *lane->ring, &ring);
    if (!lane)
        return NULL;
    lane->ring = ring;
    lane->cap = LANE_RING_START;
    lane->engine = e;
    lane->delay = delay;
    lane->last = -1;
    lane->index = (uint32_t)e->n_lanes;
    e->lanes[e->n_lanes++] = lane;
    return lane;
}

static int lane_grow(sim_lane *lane)
{
    uint64_t cap = lane->cap * 2;
    queued_event *ring = sim_malloc(cap * sizeof *ring);
    if (!ring)
        return SIM_ENOMEM;
    for (uint64_t p = lane->head; p < lane->tail; p++)
        ring[p & (cap - 1)] = lane->ring[p & (lane->cap - 1)];
    sim_free(lane->ring);
    lane->ring = ring;
    lane->cap = cap;
    return SIM_OK;
}

/* The ring is full: sweep out the tombstones, and grow if that leaves it
 * more than a quarter full, so a sweep scans at most 4/3 entries per push
 * since the last. */
static int lane_make_room(sim_engine *e, sim_lane *lane)
{
    lane_sweep(e, lane);
    if (4 * (lane->tail - lane->head) > lane->cap)
        return lane_grow(lane);
    return SIM_OK;
}

/* Removes every tombstone, keeping the order of the live events (ids name
 * slots, not positions: moving events keeps them valid). */
static void lane_sweep(sim_engine *e, sim_lane *lane)
{
    const uint64_t mask = lane->cap - 1;
    uint64_t to = lane->head;
    for (uint64_t p = lane->head; p < lane->tail; p++) {
        queued_event *x = &lane->ring[p & mask];
        if (queued_live(e, x)) {
            if (to != p)
                lane->ring[to & mask] = *x;
            to++;
        }
    }
    lane->tail = to;
    lane->dead = 0;
}

/* Puts a proxy for `head` on the main queue. */
static int lane_arm(sim_engine *e, sim_lane *lane, const queued_event *head)
{
    sim__event proxy = {head->ev.t, head->ev.seq, NULL, lane, NULL};
    lane->armed = queue_insert(e, &proxy, 0) != 0;
    return lane->armed;
}

sim_event_id sim_lane_schedule_at(sim_lane *lane, sim_time at, sim_event_fn *fn, void *subject,
                                  void *object)
{
    sim_engine *e = lane->engine;
    SIM_ASSERT(fn != NULL);
    SIM_ASSERT(at >= e->now && at >= lane->last);
    if (lane->tail - lane->head == lane->cap && lane_make_room(e, lane))
        return sim__fail_nomem(e);
    uint64_t seq = sim__next_seq(e);
    uint32_t slot = slot_alloc(e, lane->index + 1u, seq);
    if (slot == EV_NONE)
        return sim__fail_nomem(e);
    queued_event *x = &lane->ring[lane->tail++ & (lane->cap - 1)];
    *x = (queued_event){{at, seq, fn, subject, object}, slot};
    lane->last = at;
    lane->live++;
    e->pending++;
    /* Unarmed means no live event was left, so this one is the head. */
    if (!lane->armed && !lane_arm(e, lane, x))
        return 0;
    return make_id(slot, seq);
}

sim_event_id sim_lane_schedule(sim_lane *lane, sim_event_fn *fn, void *subject, void *object)
{
    return sim_lane_schedule_at(lane, lane->engine->now + lane->delay, fn, subject, object);
}

sim_time sim_lane_delay(const sim_lane *lane) { return lane->delay; }
sim_time sim_lane_last(const sim_lane *lane) { return lane->last; }

/* Drops tombstones at the lane's head; returns its first live event. */
static queued_event *lane_first_live(sim_engine *e, sim_lane *lane)
{
    const uint64_t mask = lane->cap - 1;
    while (lane->head < lane->tail) {
        queued_event *x = &lane->ring[lane->head & mask];
        if (queued_live(e, x))
            return x;
        lane->dead--;
        lane->head++;
    }
    return NULL;
}

/* A lane's proxy was taken: 1 with *ev set to the lane's head if that is
 * still the event the proxy stood for, else 0; either way a proxy for the
 * next live event is queued (as sim__timer_lane_take() does for timers). */
static inline int lane_take(sim_engine *e, sim_lane *lane, sim__event *ev)
{
    queued_event *head = lane_first_live(e, lane);
    lane->armed = 0;
    if (!head)
        return 0;
    if (head->ev.seq != ev->seq) { /* that one was cancelled */
        lane_arm(e, lane, head);
        return 0;
    }
    *ev = head->ev;
    lane->head++;
    slot_free(e, head->slot);
    lane->live--;
    queued_event *next = lane_first_live(e, lane);
    if (next)
        lane_arm(e, lane, next);
    return 1;
}

/* ==== Running ==== */

static inline __attribute__((always_inline)) int
run_loop(sim_engine *e, sim_time limit, uint64_t budget, const sim_queue_kind kind)
{
    uint64_t ran = 0;
    while (!e->stop) {
        if (ran >= budget)
            return SIM_STOP_BUDGET;
        /* The earliest timer lane's head runs first if it is due before
         * the queue's top; the queue is peeked no further than that head,
         * so the radix heap's base never passes a time still to run. */
        sim_timer_lane *timers = e->timer_first;
        if (timers && timers->first_t > limit)
            timers = NULL;
        sim__event ev;
        int top = 0;
        uint32_t slot = EV_NONE;
        if (!timers || kind != SIM_QUEUE_RADIX || radix_lower_bound(&e->rdx) <= timers->first_t)
            top = queue_peek(e, timers ? timers->first_t : limit, &slot, &ev, kind);
        if (timers && (!top || ev.t > timers->first_t ||
                       (ev.t == timers->first_t && ev.seq > timers->first_seq))) {
            if (!sim__timer_lane_take(e, timers, &ev))
                continue; /* its head was cancelled: compare the next */
            e->now = ev.t;
        } else {
            if (!top) {
                if (e->status)
                    break;
                if (limit != SIM_TIME_NEVER && limit > e->now)
                    e->now = limit;
                return SIM_STOP_EMPTY;
            }
            if (ev.t > limit) {
                e->now = limit;
                return SIM_STOP_TIME;
            }
            queue_pop(e, slot, kind);
            /* Time moves to every item taken, even a proxy whose event was
             * cancelled: the radix heap needs now >= its base. */
            e->now = ev.t;
            if (!ev.fn && !lane_take(e, ev.subject, &ev))
                continue;
            e->pending--; /* timer starts are not counted in it */
        }
        ev.fn(e, ev.subject, ev.object);
        ran++;
        e->fired++;
        if (e->hook && --e->hook_countdown == 0) {
            e->hook_countdown = e->hook_every;
            e->hook(e, e->hook_context);
        }
    }
    return e->status ? e->status : SIM_STOP_ASKED;
}

int sim_engine_run_until(sim_engine *e, sim_time t_limit, uint64_t max_events)
{
    if (e->status)
        return e->status;
    SIM_ASSERT(t_limit >= e->now);
    e->stop = 0;
    switch (e->kind) {
    case SIM_QUEUE_RADIX: return run_loop(e, t_limit, max_events, SIM_QUEUE_RADIX);
    case SIM_QUEUE_HEAP4: return run_loop(e, t_limit, max_events, SIM_QUEUE_HEAP4);
    default: return run_loop(e, t_limit, max_events, SIM_QUEUE_CALENDAR);
    }
}

void sim_engine_stop(sim_engine *e) { e->stop = 1; }

void sim_engine_set_hook(sim_engine *e, sim_hook_fn *hook, void *context, uint64_t every)
{
    SIM_ASSERT(!hook || every > 0);
    e->hook = hook;
    e->hook_context = context;
    e->hook_every = every;
    e->hook_countdown = every;
}

/* ==== Queries ==== */

sim_time sim_now(const sim_engine *e) { return e->now; }
uint64_t sim_engine_seed(const sim_engine *e) { return e->seed; }
sim_queue_kind sim_engine_queue_kind(const sim_engine *e) { return e->kind; }
uint64_t sim_engine_events_fired(const sim_engine *e) { return e->fired; }
uint64_t sim_engine_events_pending(const sim_engine *e)
{
    uint64_t n = e->pending;
    for (const sim_timer_lane *lane = e->timer_lanes; lane; lane = lane->next)
        n += sim__timer_lane_pending(lane);
    return n;
}

sim_time sim_engine_next_time(sim_engine *e)
{
    /* Peeking with limit = now never moves the radix heap's base past now.
     * A lane's proxy or a timer lane's head whose event was cancelled makes
     * this an early bound. */
    uint32_t slot;
    sim__event top;
    sim_time t = queue_peek(e, e->now, &slot, &top, e->kind) ? top.t : SIM_TIME_NEVER;
    const sim_timer_lane *timers = e->timer_first;
    return timers && timers->first_t < t ? timers->first_t : t;
}

static const char *const kind_names[SIM_QUEUE_KINDS] = {"radix", "heap4", "calendar"};

const char *sim_queue_kind_name(sim_queue_kind kind) { return kind_names[kind]; }

int sim_queue_kind_parse(const char *name)
{
    for (int k = 0; k < SIM_QUEUE_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}
