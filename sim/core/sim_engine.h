/* sim_engine.h -- the discrete-event engine: a clock, a queue of pending
 * events and the loop that runs them. It knows callbacks and times and
 * nothing of datacenters. Events due at the same time run in the order they
 * were scheduled, so equal inputs give equal runs.
 *
 * Two ways to schedule:
 *  - sim_event_schedule(): any absolute time; cancel is O(log n) or O(1)
 *    depending on the queue structure chosen at creation. An event nothing
 *    will cancel is cheaper posted (sim_event_post()), with no id.
 *  - lanes: a FIFO for events whose times never decrease, such as every
 *    event scheduled with one constant delay (a link's latency, a client's
 *    timeout). Scheduling and cancelling on a lane are O(1); the engine
 *    merges each lane with the main queue by its head. A lane event is
 *    named by an id; a timer lane's by a timer kept in its owner's record
 *    (sim_timer), whose cancel touches nothing but that record.
 * The engine never owns or frees an event's subject or object. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H
#include <stddef.h>
#include <stdint.h>

#include "sim_time.h"

typedef struct sim_engine sim_engine;
typedef struct sim_lane sim_lane;
typedef uint64_t sim_event_id; /* 0 never names an event */
typedef void sim_event_fn(sim_engine *e, void *subject, void *object);
/* Called every `every` fired events; may call sim_engine_stop(). */
typedef void sim_hook_fn(sim_engine *e, void *context);

/* The structure of the main queue. Both keep the same contract; the
 * default is the one `dcsim bench engine` measured fastest on the mix. */
typedef enum sim_queue_kind {
    SIM_QUEUE_RADIX,    /* radix heap, events by value, O(1) cancel by tombstone */
    SIM_QUEUE_HEAP4,    /* 4-ary heap of 16-byte entries, positions kept for cancel */
    SIM_QUEUE_CALENDAR, /* calendar queue (Brown 1988), resizing, O(1) unlink */
    SIM_QUEUE_KINDS,
    SIM_QUEUE_DEFAULT = SIM_QUEUE_RADIX,
} sim_queue_kind;

/* Why sim_engine_run_until() returned (non-negative), or a negative status. */
typedef enum sim_stop_reason {
    SIM_STOP_TIME = 0,   /* every event due at or before the limit has run; now = limit */
    SIM_STOP_BUDGET = 1, /* the event budget is spent */
    SIM_STOP_EMPTY = 2,  /* no event is pending; now = limit if finite */
    SIM_STOP_ASKED = 3,  /* a callback or the hook called sim_engine_stop() */
} sim_stop_reason;

#define SIM_NO_BUDGET UINT64_MAX

/* ==== Lifecycle ==== */

/* A new engine at time 0. seed is kept for the model's random streams.
 * Returns NULL when out of memory. */
sim_engine *sim_engine_create(uint64_t seed);
sim_engine *sim_engine_create_with(uint64_t seed, sim_queue_kind kind);
/* Frees the engine, its lanes and every pending event (not their subjects). */
void sim_engine_destroy(sim_engine *e);

/* ==== Scheduling ==== */

/* Schedules fn(e, subject, object) at absolute time `at` (>= sim_now(e)).
 * Returns its id, or 0 when out of memory (the run then stops with
 * SIM_ENOMEM at the next event). */
sim_event_id sim_event_schedule(sim_engine *e, sim_time at, sim_event_fn *fn,
                                void *subject, void *object);
/* Schedules as sim_event_schedule() does, but names the event by no id,
 * so nothing can cancel it; in exchange it costs less (the radix heap
 * keeps no slot for it). 1, or 0 when out of memory, as also when the
 * radix heap would name more than 65,534 distinct functions of posted
 * events (it keeps an index of each). */
int sim_event_post(sim_engine *e, sim_time at, sim_event_fn *fn, void *subject, void *object);
/* Cancels a pending event. Returns 1 if it was pending, 0 if it had already
 * run, had been cancelled, or id is 0. */
int sim_event_cancel(sim_engine *e, sim_event_id id);
/* 1 if the event is pending (scheduled, not run, not cancelled). */
int sim_event_pending(const sim_engine *e, sim_event_id id);

/* A new lane for events `delay` after the moment they are scheduled (owned
 * by the engine, freed with it). NULL when out of memory. */
sim_lane *sim_lane_create(sim_engine *e, sim_time delay);
/* Schedules fn at now + the lane's delay. Returns its id, or 0 on no memory. */
sim_event_id sim_lane_schedule(sim_lane *lane, sim_event_fn *fn, void *subject, void *object);
/* Schedules fn at `at`, which must be >= now and >= every time already
 * scheduled on this lane (a link's in-order deliveries). */
sim_event_id sim_lane_schedule_at(sim_lane *lane, sim_time at, sim_event_fn *fn,
                                  void *subject, void *object);
sim_time sim_lane_delay(const sim_lane *lane);
/* The latest time scheduled on the lane so far (or -1 before the first). */
sim_time sim_lane_last(const sim_lane *lane);

/* Timers: for the event almost every request schedules and almost always
 * cancels (its timeout). A timer lives inside its owner's record; a timer
 * lane gives all its timers one delay, one function and one object, and
 * passes the record holding the timer as the subject (found from the
 * timer's offset in it, as offsetof gives). Starting a timer appends 24
 * bytes to the lane; cancelling it is one store into the record the caller
 * is already touching, with no lookup elsewhere. The lane finds a
 * cancelled start dead when it reaches it, by reading the timer: so the
 * record must stay allocated (it may be reused, or zeroed) until strictly
 * after start + delay for every lane it was started on, even if it
 * was restarted on a lane of shorter delay and has run since; records from
 * a free list qualify. A zeroed timer is idle: zeroing a pending one
 * cancels it. */
typedef struct sim_timer_lane sim_timer_lane;
typedef struct sim_timer {
    uint64_t seq; /* the pending start's sequence number; 0 when idle */
} sim_timer;
/* A lane whose timers run fn(e, record, object) `delay` after their start,
 * where record = (char *)timer - timer_offset. Owned by the engine; NULL
 * when out of memory. */
sim_timer_lane *sim_timer_lane_create(sim_engine *e, sim_time delay, sim_event_fn *fn,
                                      void *object, size_t timer_offset);
/* Starts t (idle or not: a pending start is cancelled first) to run at
 * now + the lane's delay. 1, or 0 on no memory: the run then stops with
 * SIM_ENOMEM, and whether t still counts as pending is unspecified. */
int sim_timer_start(sim_timer_lane *lane, sim_timer *t);
/* Starts t to run at `at`, no earlier than now nor than the last start
 * made on the lane, cancelled or not (its delay ignored): for a source
 * that keeps one event pending at a time, each after the last
 * (arrivals), which then never enters the main queue. Returns as
 * sim_timer_start(). */
int sim_timer_start_at(sim_timer_lane *lane, sim_timer *t, sim_time at);
/* Cancels t's pending start: 1 if there was one, 0 if idle (never started,
 * run, or cancelled already). It touches nothing but t: the lane finds the
 * start dead when it reaches it. */
static inline int sim_timer_cancel(sim_timer *t)
{
    int was = t->seq != 0;
    t->seq = 0;
    return was;
}
static inline int sim_timer_pending(const sim_timer *t) { return t->seq != 0; }

/* ==== Running ==== */

/* Runs events in (time, scheduling order) until the next one is due after
 * t_limit, max_events have run (SIM_NO_BUDGET: no limit), the queue is
 * empty, or sim_engine_stop() is called. Returns a sim_stop_reason, or
 * SIM_ENOMEM if scheduling failed. */
int sim_engine_run_until(sim_engine *e, sim_time t_limit, uint64_t max_events);
/* Asks the running loop to return after the current event. */
void sim_engine_stop(sim_engine *e);
/* Calls hook(e, context) every `every` fired events (every > 0); NULL removes it. */
void sim_engine_set_hook(sim_engine *e, sim_hook_fn *hook, void *context, uint64_t every);

/* ==== Queries ==== */

sim_time sim_now(const sim_engine *e);
uint64_t sim_engine_seed(const sim_engine *e);
sim_queue_kind sim_engine_queue_kind(const sim_engine *e);
/* Events run since creation (cancelled events never count). */
uint64_t sim_engine_events_fired(const sim_engine *e);
/* Events scheduled and neither run nor cancelled. Timer starts are not
 * counted as they come and go (that would put a read of the timer on every
 * start's path) but when asked, by reading each timer lane and the timers
 * still in it: for tests and reports, not for every event, and only while
 * those timers' records are allocated (as the lanes' own contract asks). */
uint64_t sim_engine_events_pending(const sim_engine *e);
/* The time of the next pending event (or earlier, when an event at the
 * head of a lane was cancelled), or SIM_TIME_NEVER. */
sim_time sim_engine_next_time(sim_engine *e);
/* Name of a queue structure ("radix", "heap4", "calendar"); parse returns -1
 * if unknown. */
const char *sim_queue_kind_name(sim_queue_kind kind);
int sim_queue_kind_parse(const char *name);

#endif /* SIM_ENGINE_H */
