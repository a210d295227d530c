/* test_sim_engine.c -- the event queue's contract, on every candidate
 * structure: time order, FIFO ties (across the main queue and lanes),
 * cancel before, at and after firing and twice, the run loop's stop
 * conditions, the hook, out-of-memory, and a long randomized comparison
 * against a reference that simply sorts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sim_alloc.h"
#include "sim_engine.h"
#include "sim_queue_radix.h" /* the function table's inside */
#include "sim_status.h"

/* ==== A log of what ran ==== */

#define LOG_MAX 200000

typedef struct run_log {
    int n;
    intptr_t tag[LOG_MAX];
    sim_time at[LOG_MAX];
} run_log;

static run_log *the_log;

static void record(sim_engine *e, void *subject, void *object)
{
    (void)object;
    assert_true(the_log->n < LOG_MAX);
    the_log->tag[the_log->n] = (intptr_t)subject;
    the_log->at[the_log->n++] = sim_now(e);
}

typedef struct fixture {
    sim_engine *e;
    run_log log;
    sim_queue_kind kind;
} fixture;

static int setup_kind(void **state, sim_queue_kind kind)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->kind = kind;
    f->e = sim_engine_create_with(42, kind);
    the_log = &f->log;
    *state = f;
    return f->e ? 0 : -1;
}
static int setup_radix(void **state) { return setup_kind(state, SIM_QUEUE_RADIX); }
static int setup_heap4(void **state) { return setup_kind(state, SIM_QUEUE_HEAP4); }
static int setup_calendar(void **state) { return setup_kind(state, SIM_QUEUE_CALENDAR); }

static int teardown(void **state)
{
    fixture *f = *state;
    sim_engine_destroy(f->e);
    free(f);
    return 0;
}

#define TAG(x) ((void *)(intptr_t)(x))

/* ==== Ordering ==== */

static void events_run_in_time_order(void **state)
{
    fixture *f = *state;
    uint64_t x = 12345;
    for (int i = 0; i < 5000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        sim_event_schedule(f->e, (sim_time)(x >> 40), record, TAG(i), NULL);
    }
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_STOP_EMPTY);
    assert_int_equal(f->log.n, 5000);
    for (int i = 1; i < f->log.n; i++)
        assert_true(f->log.at[i - 1] <= f->log.at[i]);
}

static void same_time_events_run_in_schedule_order(void **state)
{
    fixture *f = *state;
    sim_lane *lane = sim_lane_create(f->e, 100);
    assert_non_null(lane);
    /* Interleave main-queue (with and without ids) and lane events due at
     * exactly t = 100. */
    for (int i = 0; i < 60; i++) {
        if (i % 3 == 1)
            sim_lane_schedule(lane, record, TAG(i), NULL);
        else if (i % 3 == 2)
            sim_event_post(f->e, 100, record, TAG(i), NULL);
        else
            sim_event_schedule(f->e, 100, record, TAG(i), NULL);
    }
    assert_int_equal(sim_engine_events_pending(f->e), 60);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 60);
    for (int i = 0; i < 60; i++)
        assert_int_equal(f->log.tag[i], i);
}

/* Posts 3000 events between now and t = 1023, ties among them, a tenth
 * of them due now; tags count up in posting order. */
static void post_a_crowd(sim_engine *e, void *subject, void *object)
{
    record(e, subject, object);
    uint64_t x = 99;
    for (int i = 0; i < 3000; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        sim_time at = i % 10 == 0 ? sim_now(e) : sim_now(e) + 1 + (sim_time)(x >> 33) % 254;
        sim_event_post(e, at, record, TAG(100 + i), NULL);
    }
}

/* The radix heap sorts a small bucket into its run, here [768, 1023];
 * events posted inside the run's span go beside it, and past a bound
 * (far fewer than 3000) the run is put back into its buckets. Every way,
 * time order and posting order for ties. */
static void a_crowd_posted_inside_the_next_events_span_keeps_order(void **state)
{
    fixture *f = *state;
    sim_event_schedule(f->e, 768, post_a_crowd, TAG(0), NULL);
    sim_event_schedule(f->e, 1023, record, TAG(1), NULL);
    sim_event_schedule(f->e, 900, record, TAG(2), NULL);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_STOP_EMPTY);
    assert_int_equal(f->log.n, 3003);
    for (int i = 1; i < f->log.n; i++) {
        assert_true(f->log.at[i - 1] <= f->log.at[i]);
        if (f->log.at[i - 1] == f->log.at[i])
            assert_true(f->log.tag[i - 1] < f->log.tag[i]);
    }
}

/* An event scheduled for now, from a callback, runs after events already
 * due now. */
static void schedule_now(sim_engine *e, void *subject, void *object)
{
    record(e, subject, object);
    if ((intptr_t)subject == 1)
        sim_event_schedule(e, sim_now(e), record, TAG(3), NULL);
}

static void events_scheduled_for_now_run_after_those_already_due(void **state)
{
    fixture *f = *state;
    sim_event_schedule(f->e, 10, schedule_now, TAG(1), NULL);
    sim_event_schedule(f->e, 10, record, TAG(2), NULL);
    sim_event_schedule(f->e, 11, record, TAG(4), NULL);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(f->log.tag[i], i + 1);
}

/* Forty event functions, each leaving its number beside the subject's
 * tag: the radix heap names a posted event's function by an index in a
 * table it grows as functions come (16 places at first), so this checks
 * that every event still runs its own function across the growths. */
#define FORTY(X)                                                                                      \
    X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16) X(17) \
    X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31) X(32) X(33)   \
    X(34) X(35) X(36) X(37) X(38) X(39)
#define NUMBERED(i)                                                      \
    static void numbered_##i(sim_engine *e, void *subject, void *object) \
    {                                                                    \
        record(e, TAG((intptr_t)subject * 64 + i), object);              \
    }
FORTY(NUMBERED)
#define LISTED(i) numbered_##i,
static sim_event_fn *const numbered[] = {FORTY(LISTED)};
#define N_NUMBERED (int)(sizeof numbered / sizeof numbered[0])

static void each_event_runs_its_own_function_among_many(void **state)
{
    fixture *f = *state;
    enum { N = 3000, SPAN = 500 };
    sim_lane *lane = sim_lane_create(f->e, SPAN);
    assert_non_null(lane);
    /* Times in a scrambled order with ties; every third event on a lane
     * (its proxy has no function of its own), the rest posted or
     * scheduled; the functions in an order of their own. */
    static sim_time due[N];
    for (int i = 0; i < N; i++) {
        sim_event_fn *fn = numbered[(i * 7 + i / 11) % N_NUMBERED];
        if (i % 3 == 2) {
            assert_true(sim_lane_schedule(lane, fn, TAG(i), NULL) != 0);
            due[i] = SPAN;
        } else {
            due[i] = (sim_time)(i * 37 % SPAN);
            if (i % 3 == 0)
                assert_true(sim_event_post(f->e, due[i], fn, TAG(i), NULL));
            else
                assert_true(sim_event_schedule(f->e, due[i], fn, TAG(i), NULL) != 0);
        }
    }
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_STOP_EMPTY);
    assert_int_equal(f->log.n, N);
    /* Expected: by time, then in scheduling order (i). */
    int k = 0;
    for (sim_time t = 0; t <= SPAN; t++)
        for (int i = 0; i < N; i++)
            if (due[i] == t) {
                assert_int_equal(f->log.at[k], t);
                assert_int_equal(f->log.tag[k], (intptr_t)i * 64 + (i * 7 + i / 11) % N_NUMBERED);
                k++;
            }
    assert_int_equal(k, N);
}

/* The same table looked at from inside, with made-up addresses that all
 * hash to its last place at every size it grows through (so each probe
 * wraps round to the first), more than its first room for functions
 * holds: each must get an index of its own, find it again, and the
 * table must name it back. */
static void event_functions_hashed_alike_keep_their_own_indices(void **state)
{
    (void)state;
    enum { N = 100, BITS = 8 }; /* 100 functions fill a table of 2^8 to 40% */
    radix *q = calloc(1, sizeof *q);
    assert_non_null(q);
    assert_int_equal(sim__radix_init(q), SIM_OK);
    sim_event_fn *fn[N];
    int n = 0;
    for (uintptr_t address = 16; n < N; address += 16) {
        sim_event_fn *candidate = (sim_event_fn *)address;
        if (radix_fn_hash(candidate, BITS) == (1u << BITS) - 1)
            fn[n++] = candidate; /* so also alike in fewer bits */
    }
    uint64_t index[N];
    for (int i = 0; i < N; i++) {
        index[i] = radix_fn_index(q, fn[i]);
        assert_true(index[i] > RADIX_FN_SLOT);
        for (int j = 0; j < i; j++)
            assert_true(index[j] != index[i]);
    }
    assert_int_equal(q->fn_table_bits, BITS);
    for (int i = 0; i < N; i++) {
        assert_int_equal(radix_fn_index(q, fn[i]), index[i]);
        assert_ptr_equal(q->fns[index[i]], fn[i]);
    }
    sim__radix_fini(q);
    free(q);
}

/* ==== Cancel ==== */

static void cancel_before_running_prevents_it(void **state)
{
    fixture *f = *state;
    sim_event_id a = sim_event_schedule(f->e, 5, record, TAG(1), NULL);
    sim_event_id b = sim_event_schedule(f->e, 6, record, TAG(2), NULL);
    assert_true(sim_event_pending(f->e, a));
    assert_int_equal(sim_engine_events_pending(f->e), 2);
    assert_int_equal(sim_event_cancel(f->e, a), 1);
    assert_false(sim_event_pending(f->e, a));
    assert_int_equal(sim_engine_events_pending(f->e), 1);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 1);
    assert_int_equal(f->log.tag[0], 2);
    assert_false(sim_event_pending(f->e, b));
}

static sim_event_id victim;

static void cancel_victim(sim_engine *e, void *subject, void *object)
{
    record(e, subject, object);
    assert_int_equal(sim_event_cancel(e, victim), 1);
}

static void cancel_at_the_same_time_prevents_it(void **state)
{
    fixture *f = *state;
    sim_event_schedule(f->e, 7, cancel_victim, TAG(1), NULL);
    victim = sim_event_schedule(f->e, 7, record, TAG(2), NULL);
    sim_event_schedule(f->e, 7, record, TAG(3), NULL);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 2);
    assert_int_equal(f->log.tag[0], 1);
    assert_int_equal(f->log.tag[1], 3);
}

static sim_event_id self_id;

static void cancel_self(sim_engine *e, void *subject, void *object)
{
    record(e, subject, object);
    assert_int_equal(sim_event_cancel(e, self_id), 0); /* already running */
}

static void cancel_while_or_after_running_returns_zero(void **state)
{
    fixture *f = *state;
    self_id = sim_event_schedule(f->e, 3, cancel_self, TAG(1), NULL);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 1);
    assert_int_equal(sim_event_cancel(f->e, self_id), 0);
    /* The slot is reused by a new event; the old id must not name it. */
    sim_event_id fresh = sim_event_schedule(f->e, 4, record, TAG(2), NULL);
    assert_int_equal(sim_event_cancel(f->e, self_id), 0);
    assert_true(sim_event_pending(f->e, fresh));
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 2);
}

static void cancel_twice_returns_zero_the_second_time(void **state)
{
    fixture *f = *state;
    sim_lane *lane = sim_lane_create(f->e, 50);
    sim_event_id a = sim_event_schedule(f->e, 5, record, TAG(1), NULL);
    sim_event_id b = sim_lane_schedule(lane, record, TAG(2), NULL);
    assert_int_equal(sim_event_cancel(f->e, a), 1);
    assert_int_equal(sim_event_cancel(f->e, a), 0);
    assert_int_equal(sim_event_cancel(f->e, b), 1);
    assert_int_equal(sim_event_cancel(f->e, b), 0);
    assert_int_equal(sim_event_cancel(f->e, 0), 0);
    assert_int_equal(sim_event_cancel(f->e, 0xffffffffffffULL), 0);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_STOP_EMPTY);
    assert_int_equal(f->log.n, 0);
    assert_int_equal(sim_engine_events_pending(f->e), 0);
}

/* Cancelling a lane's head, its middle and its tail, and so many events
 * that the lane sweeps its tombstones: the survivors run, in order. */
static void lane_cancels_anywhere_keep_order(void **state)
{
    fixture *f = *state;
    sim_lane *lane = sim_lane_create(f->e, 1000);
    enum { N = 20000 };
    static sim_event_id ids[N];
    for (int i = 0; i < N; i++) {
        ids[i] = sim_lane_schedule_at(lane, 1000 + i / 4, record, TAG(i), NULL);
        if (i % 4 == 0)
            sim_event_schedule(f->e, 1000 + i / 4, record, TAG(-i - 1), NULL);
    }
    for (int i = 0; i < N; i++)
        if (i % 5 != 0 || i == 0)
            assert_int_equal(sim_event_cancel(f->e, ids[i]), 1);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    int lane_runs = 0;
    sim_time last = 0;
    intptr_t last_tag = -1;
    for (int i = 0; i < f->log.n; i++) {
        assert_true(f->log.at[i] >= last);
        last = f->log.at[i];
        if (f->log.tag[i] >= 0) {
            assert_true(f->log.tag[i] % 5 == 0 && f->log.tag[i] != 0);
            assert_true(f->log.tag[i] > last_tag);
            last_tag = f->log.tag[i];
            lane_runs++;
        }
    }
    assert_int_equal(lane_runs, N / 5 - 1);
    assert_int_equal(sim_engine_events_pending(f->e), 0);
}

/* A record holding a timer, as a request holds its timeout. */
typedef struct timed {
    intptr_t tag;
    sim_timer timer;
} timed;

static int timed_object; /* the timer lanes' object, checked when they run */

/* A timer lane's function: logs the tag of the record it was given. */
static void record_timed(sim_engine *e, void *subject, void *object)
{
    assert_ptr_equal(object, &timed_object);
    record(e, TAG(((timed *)subject)->tag), object);
}

/* Records idle and tagged by their index. */
static void tag_records(timed *r, int n)
{
    memset(r, 0, (size_t)n * sizeof *r);
    for (int i = 0; i < n; i++)
        r[i].tag = i;
}

static sim_timer_lane *timed_lane(sim_engine *e, sim_time delay)
{
    return sim_timer_lane_create(e, delay, record_timed, &timed_object, offsetof(timed, timer));
}

/* A timer runs once at start + the lane's delay unless cancelled, given
 * its record; cancel says whether it was pending; a restart replaces the
 * pending start; after running it is idle. Ties with events on the main
 * queue and on a lane of the same delay run in scheduling order. */
static void a_timer_runs_once_unless_cancelled_or_restarted(void **state)
{
    fixture *f = *state;
    sim_timer_lane *lane = timed_lane(f->e, 100);
    sim_lane *events = sim_lane_create(f->e, 100);
    timed a = {.tag = 1}, b = {.tag = 2}, c = {.tag = 3};
    assert_false(sim_timer_pending(&a.timer));
    assert_int_equal(sim_timer_cancel(&a.timer), 0);
    assert_int_equal(sim_timer_start(lane, &a.timer), 1);
    assert_int_equal(sim_timer_start(lane, &b.timer), 1);
    sim_lane_schedule(events, record, TAG(6), NULL);    /* ties with a: after it */
    assert_int_equal(sim_timer_start(lane, &c.timer), 1);
    sim_event_schedule(f->e, 100, record, TAG(5), NULL); /* after both */
    assert_true(sim_timer_pending(&a.timer) && sim_timer_pending(&b.timer));
    assert_int_equal(sim_timer_cancel(&b.timer), 1);
    assert_int_equal(sim_timer_cancel(&b.timer), 0);
    assert_int_equal(sim_engine_events_pending(f->e), 4);
    sim_engine_run_until(f->e, 50, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 0);
    c.tag = 4;
    assert_int_equal(sim_timer_start(lane, &c.timer), 1); /* now due at 150 */
    assert_int_equal(sim_engine_events_pending(f->e), 4);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    const intptr_t tags[] = {1, 6, 5, 4};
    const sim_time at[] = {100, 100, 100, 150};
    assert_int_equal(f->log.n, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(f->log.tag[i], tags[i]);
        assert_int_equal(f->log.at[i], at[i]);
    }
    assert_false(sim_timer_pending(&a.timer) || sim_timer_pending(&c.timer));
    assert_int_equal(sim_timer_cancel(&a.timer), 0);
    assert_int_equal(sim_engine_events_pending(f->e), 0);
}

/* A source that keeps one event pending, each at a chosen time no
 * earlier than the last (as the traffic's arrivals): on its own timer
 * lane (sim_timer_start_at) or posted on the main queue. */
typedef struct source {
    sim_timer timer;
    int fired, use_lane;
    sim_timer_lane *lane;
} source;

static void source_fire(sim_engine *e, void *subject, void *object)
{
    (void)object;
    source *s = subject;
    record(e, TAG(1000 + s->fired), NULL);
    int n = s->fired++;
    if (n == 200)
        return;
    static const sim_time posts[] = {0, 10, 10, 20, 0}, gaps[] = {0, 10, 10, 20};
    sim_event_post(e, sim_now(e) + posts[n % 5], record, TAG(n), NULL);
    sim_time at = sim_now(e) + gaps[n % 4];
    if (s->use_lane)
        assert_int_equal(sim_timer_start_at(s->lane, &s->timer, at), 1);
    else
        sim_event_post(e, at, source_fire, s, NULL);
    if (n % 3 == 0) /* scheduled after the source's next, at its time: runs after it */
        sim_event_post(e, at, record, TAG(500 + n), NULL);
}

static void run_source(sim_engine *e, int use_lane)
{
    source s = {.use_lane = use_lane};
    s.lane = sim_timer_lane_create(e, 0, source_fire, NULL, offsetof(source, timer));
    assert_non_null(s.lane);
    for (int i = 0; i < 40; i++) /* others on the queue, ties with the source among them */
        sim_event_post(e, 5 * i, record, TAG(-1 - i), NULL);
    if (use_lane)
        assert_int_equal(sim_timer_start_at(s.lane, &s.timer, 0), 1);
    else
        sim_event_post(e, 0, source_fire, &s, NULL);
    sim_engine_run_until(e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(s.fired, 201);
    assert_false(sim_timer_pending(&s.timer));
}

/* A source on a timer lane runs exactly as posted on the main queue:
 * the same events in the same order, ties with the queue's broken by
 * scheduling order either way, starts at now included. */
static void a_timer_started_at_a_time_runs_as_if_posted(void **state)
{
    fixture *f = *state;
    run_source(f->e, 1);
    run_log *on_lane = malloc(sizeof *on_lane);
    assert_non_null(on_lane);
    memcpy(on_lane, &f->log, sizeof *on_lane);
    sim_engine *posted = sim_engine_create_with(42, f->kind);
    assert_non_null(posted);
    f->log.n = 0;
    run_source(posted, 0);
    assert_int_equal(f->log.n, on_lane->n);
    assert_int_equal(f->log.n, 201 + 200 + 67 + 40);
    for (int i = 0; i < f->log.n; i++) {
        assert_int_equal(f->log.tag[i], on_lane->tag[i]);
        assert_int_equal(f->log.at[i], on_lane->at[i]);
    }
    sim_engine_destroy(posted);
    free(on_lane);
}

/* Timer starts are counted when asked (not as they come and go): the
 * count follows a start superseded on another lane, a timer zeroed (which
 * cancels it) and a timer that ran. */
static void pending_timer_starts_are_counted_when_asked(void **state)
{
    fixture *f = *state;
    sim_timer_lane *slow = timed_lane(f->e, 100), *fast = timed_lane(f->e, 50);
    timed a = {.tag = 1}, b = {.tag = 2}, c = {.tag = 3};
    sim_timer_start(slow, &a.timer);
    sim_timer_start(slow, &b.timer);
    assert_int_equal(sim_engine_events_pending(f->e), 2);
    sim_timer_start(fast, &a.timer); /* its start on the slow lane is dead */
    assert_int_equal(sim_engine_events_pending(f->e), 2);
    memset(&b.timer, 0, sizeof b.timer);
    assert_false(sim_timer_pending(&b.timer));
    assert_int_equal(sim_engine_events_pending(f->e), 1);
    sim_timer_start(slow, &c.timer);
    sim_event_post(f->e, 70, record, TAG(4), NULL);
    assert_int_equal(sim_engine_events_pending(f->e), 3);
    sim_engine_run_until(f->e, 60, SIM_NO_BUDGET);
    assert_int_equal(sim_engine_events_pending(f->e), 2);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(sim_engine_events_pending(f->e), 0);
    const intptr_t tags[] = {1, 4, 3};
    const sim_time at[] = {50, 70, 100};
    assert_int_equal(f->log.n, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(f->log.tag[i], tags[i]);
        assert_int_equal(f->log.at[i], at[i]);
    }
}

/* Timeouts as requests use them: a million started and all but a few
 * cancelled, the lane's memory stays bounded by what is pending. */
static void cancelled_timers_do_not_pile_up(void **state)
{
    fixture *f = *state;
    sim_timer_lane *lane = timed_lane(f->e, 1000000);
    enum { CHAINS = 64 };
    static timed t[CHAINS];
    memset(t, 0, sizeof t);
    long allocations = sim_alloc_count();
    for (int i = 0; i < 1000000; i++) {
        t[i % CHAINS].tag = i;
        sim_timer_start(lane, &t[i % CHAINS].timer);
        if (i % 1000 == 0)
            sim_engine_run_until(f->e, sim_now(f->e) + 10, SIM_NO_BUDGET);
    }
    assert_int_equal(sim_engine_events_pending(f->e), CHAINS);
    /* The ring (64 entries at first) grew at most twice: the sweeps at
     * full ring found 64 live starts every time. */
    assert_true(sim_alloc_count() - allocations <= 4);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, CHAINS);
    for (int i = 0; i < CHAINS; i++)
        assert_int_equal(f->log.tag[i], 1000000 - CHAINS + i);
}

/* A ring whose head has moved on wraps around its end before it fills;
 * growing it then must keep every start, in order (64 entries at first:
 * 32 run, 65 more wrap and grow it). */
static void a_wrapped_timer_ring_grows_in_order(void **state)
{
    fixture *f = *state;
    sim_timer_lane *lane = timed_lane(f->e, 1000);
    static timed r[97];
    tag_records(r, 97);
    for (int i = 0; i < 32; i++)
        sim_timer_start(lane, &r[i].timer);
    sim_engine_run_until(f->e, 1000, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 32);
    for (int i = 32; i < 97; i++) {
        if (i == 72) /* 40 starts from position 32 of 64: wrapped */
            assert_int_equal(sim_engine_events_pending(f->e), 40);
        sim_timer_start(lane, &r[i].timer);
    }
    assert_int_equal(sim_engine_events_pending(f->e), 65);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 97);
    for (int i = 0; i < 97; i++) {
        assert_int_equal(f->log.tag[i], i);
        assert_int_equal(f->log.at[i], i < 32 ? 1000 : 2000);
    }
}

/* Starts at given times run at them, not at the lane's delay, also those
 * made when the ring was full (swept of cancelled starts, then grown),
 * in order; the cancelled ones never. */
static void timers_started_at_times_fill_the_ring_in_order(void **state)
{
    fixture *f = *state;
    sim_timer_lane *lane = timed_lane(f->e, 1000);
    static timed r[150];
    tag_records(r, 150);
    for (int i = 0; i < 150; i++) {
        assert_int_equal(sim_timer_start_at(lane, &r[i].timer, 10 + 3 * i), 1);
        if (i % 5 == 0)
            assert_int_equal(sim_timer_cancel(&r[i].timer), 1);
    }
    assert_int_equal(sim_engine_events_pending(f->e), 120);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 120);
    for (int i = 0, k = 0; i < 150; i++) {
        if (i % 5 == 0)
            continue;
        assert_int_equal(f->log.tag[k], i);
        assert_int_equal(f->log.at[k], 10 + 3 * i);
        k++;
    }
}

/* A pending timer restarted on another timer lane runs there, once, at
 * the new lane's delay; sim_engine_next_time() sees posted events and
 * timer lanes' heads. */
static void a_timer_restarted_on_another_lane_runs_there_once(void **state)
{
    fixture *f = *state;
    sim_timer_lane *slow = timed_lane(f->e, 300), *fast = timed_lane(f->e, 50);
    timed a = {.tag = 1};
    sim_timer_start(slow, &a.timer);
    assert_int_equal(sim_engine_next_time(f->e), 300);
    sim_event_post(f->e, 200, record, TAG(2), NULL);
    assert_int_equal(sim_engine_next_time(f->e), 200);
    sim_engine_run_until(f->e, 20, SIM_NO_BUDGET);
    sim_timer_start(fast, &a.timer); /* due at 70 now, not 300 */
    assert_int_equal(sim_engine_events_pending(f->e), 2);
    assert_int_equal(sim_engine_next_time(f->e), 70);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(f->log.n, 2);
    assert_int_equal(f->log.tag[0], 1);
    assert_int_equal(f->log.at[0], 70);
    assert_int_equal(f->log.tag[1], 2);
    assert_int_equal(f->log.at[1], 200);
    assert_false(sim_timer_pending(&a.timer));
    assert_int_equal(sim_engine_events_pending(f->e), 0);
}

/* ==== The run loop ==== */

static void run_until_runs_events_at_the_limit_and_stops_there(void **state)
{
    fixture *f = *state;
    sim_event_schedule(f->e, 10, record, TAG(1), NULL);
    sim_event_schedule(f->e, 20, record, TAG(2), NULL);
    sim_event_schedule(f->e, 21, record, TAG(3), NULL);
    assert_int_equal(sim_engine_run_until(f->e, 20, SIM_NO_BUDGET), SIM_STOP_TIME);
    assert_int_equal(f->log.n, 2);
    assert_int_equal(sim_now(f->e), 20);
    assert_int_equal(sim_engine_next_time(f->e), 21);
    /* Scheduling now, after a stop short of the next event, is allowed. */
    sim_event_schedule(f->e, 20, record, TAG(4), NULL);
    assert_int_equal(sim_engine_run_until(f->e, 100, SIM_NO_BUDGET), SIM_STOP_EMPTY);
    assert_int_equal(sim_now(f->e), 100);
    assert_int_equal(f->log.n, 4);
    assert_int_equal(f->log.tag[2], 4);
    assert_int_equal(f->log.tag[3], 3);
    assert_int_equal(sim_engine_next_time(f->e), SIM_TIME_NEVER);
}

static void run_until_stops_after_the_event_budget(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 10; i++)
        sim_event_schedule(f->e, i, record, TAG(i), NULL);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, 3), SIM_STOP_BUDGET);
    assert_int_equal(f->log.n, 3);
    assert_int_equal(sim_now(f->e), 2);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, 3), SIM_STOP_BUDGET);
    assert_int_equal(f->log.n, 6);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, 100), SIM_STOP_EMPTY);
    assert_int_equal(f->log.n, 10);
    assert_int_equal(sim_engine_events_fired(f->e), 10);
}

static void stop_from_callback(sim_engine *e, void *subject, void *object)
{
    record(e, subject, object);
    sim_engine_stop(e);
}

static void a_callback_can_stop_the_run(void **state)
{
    fixture *f = *state;
    sim_event_schedule(f->e, 1, record, TAG(1), NULL);
    sim_event_schedule(f->e, 2, stop_from_callback, TAG(2), NULL);
    sim_event_schedule(f->e, 3, record, TAG(3), NULL);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_STOP_ASKED);
    assert_int_equal(f->log.n, 2);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_STOP_EMPTY);
    assert_int_equal(f->log.n, 3);
}

static int hook_calls;

static void count_hook(sim_engine *e, void *context)
{
    (void)context;
    hook_calls++;
    if (sim_engine_events_fired(e) == 40)
        sim_engine_stop(e);
}

static void the_hook_runs_every_n_events_and_may_stop(void **state)
{
    fixture *f = *state;
    hook_calls = 0;
    for (int i = 0; i < 100; i++)
        sim_event_schedule(f->e, i, record, TAG(i), NULL);
    sim_engine_set_hook(f->e, count_hook, NULL, 10);
    assert_int_equal(sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_STOP_ASKED);
    assert_int_equal(hook_calls, 4);
    assert_int_equal(f->log.n, 40);
    sim_engine_set_hook(f->e, NULL, NULL, 0);
    sim_engine_run_until(f->e, SIM_TIME_NEVER, SIM_NO_BUDGET);
    assert_int_equal(hook_calls, 4);
    assert_int_equal(f->log.n, 100);
}

/* ==== Against a reference ==== */

typedef struct ref_event {
    sim_time t;
    uint64_t order; /* scheduling order */
    int tag;
    int cancelled, fired;
    sim_event_id id;
    sim_timer timer; /* used instead of id for half the lane events */
    int is_timer;
    int posted;      /* on the main queue with no id: never cancelled */
} ref_event;

static ref_event *ref;
static int ref_n;
static sim_lane *ref_lanes[3];
static sim_timer_lane *ref_timer_lanes[3]; /* with the same delays */
static uint64_t rng_state;
/* Times up to a minute ahead and two cancels in three actions: buckets
 * of thousands of entries on many levels, and tombstones enough to be
 * swept (more than the live events, and more than 4096). */
static int ref_wide;

static uint64_t next_rand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void random_action(sim_engine *e, void *subject, void *object);

/* A timer lane passes the record: the action wants its index. */
static void random_timer_action(sim_engine *e, void *subject, void *object)
{
    random_action(e, TAG((ref_event *)subject - ref), object);
}

/* Schedules one random event (main queue or a lane); all go through here
 * so the reference knows the scheduling order. */
static void schedule_random(sim_engine *e)
{
    if (ref_n >= 60000)
        return;
    ref_event *r = &ref[ref_n];
    r->tag = ref_n;
    r->order = (uint64_t)ref_n;
    uint64_t pick = next_rand() % 10;
    if (ref_wide && (pick == 1 || pick == 2))
        pick += 3; /* fewer on lanes: more for the main queue to sweep */
    if (pick < 3) {
        sim_lane *lane = ref_lanes[pick];
        r->t = sim_now(e) + sim_lane_delay(lane);
        if (r->t < sim_lane_last(lane))
            r->t = sim_lane_last(lane);
        if (next_rand() % 2) { /* on the timer lane of the same delay */
            r->t = sim_now(e) + sim_lane_delay(lane);
            r->is_timer = 1;
            r->id = (sim_event_id)sim_timer_start(ref_timer_lanes[pick], &r->timer);
        } else {
            r->id = sim_lane_schedule_at(lane, r->t, random_action, TAG(ref_n), NULL);
        }
    } else {
        /* Many exact ties: times on a coarse grid, sometimes now. */
        r->t = sim_now(e) + (pick == 3 ? 0 : (sim_time)(next_rand() % 64) * 1000);
        if (ref_wide && pick != 3) {
            sim_time ahead = (sim_time)(next_rand() & ((UINT64_C(1) << (next_rand() % 36)) - 1));
            r->t = sim_now(e) + (pick < 6 ? ahead / 1000 * 1000 : ahead);
        }
        r->posted = next_rand() % (ref_wide ? 8 : 3) == 0;
        if (r->posted)
            assert_int_equal(sim_event_post(e, r->t, random_action, TAG(ref_n), NULL), 1);
        else
            r->id = sim_event_schedule(e, r->t, random_action, TAG(ref_n), NULL);
    }
    assert_true(r->id != 0 || r->posted);
    ref_n++;
}

static void random_action(sim_engine *e, void *subject, void *object)
{
    record(e, subject, object);
    ref_event *me = &ref[(intptr_t)subject];
    assert_false(me->cancelled);
    assert_false(me->fired);
    me->fired = 1;
    int children = (int)(next_rand() % 3);
    for (int i = 0; i < children; i++)
        schedule_random(e);
    if (ref_n > 0 && next_rand() % 3 < (ref_wide ? 2u : 1u)) {
        ref_event *victim_ref = &ref[next_rand() % (uint64_t)ref_n];
        if (victim_ref->posted)
            return; /* nothing names it */
        int pending = !victim_ref->cancelled && !victim_ref->fired && victim_ref != me;
        int was = victim_ref->is_timer ? sim_timer_cancel(&victim_ref->timer) : sim_event_cancel(e, victim_ref->id);
        assert_int_equal(was, pending);
        if (pending)
            victim_ref->cancelled = 1;
    }
}

static int by_time_then_order(const void *a, const void *b)
{
    const ref_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void run_against_the_reference(fixture *f, int wide)
{
    ref = calloc(60000, sizeof *ref);
    assert_non_null(ref);
    ref_n = 0;
    rng_state = 0x853c49e6748fea9bULL + (uint64_t)f->kind;
    ref_wide = wide;
    for (int i = 0; i < 3; i++) {
        ref_lanes[i] = sim_lane_create(f->e, (sim_time)(i + 1) * 7000);
        ref_timer_lanes[i] = sim_timer_lane_create(f->e, (sim_time)(i + 1) * 7000, random_timer_action,
                                                   NULL, offsetof(ref_event, timer));
    }
    for (int i = 0; i < (wide ? 20000 : 500); i++)
        schedule_random(f->e);
    for (int i = 0; wide && i < ref_n; i++) {
        if (i % 8 == 0 || ref[i].posted)
            continue;
        assert_int_equal(ref[i].is_timer ? sim_timer_cancel(&ref[i].timer) : sim_event_cancel(f->e, ref[i].id), 1);
        ref[i].cancelled = 1;
    }
    /* Run in slices, as the live view does, to exercise the stop paths. */
    sim_time limit = 0;
    int rc;
    do {
        limit += wide ? (sim_time)(next_rand() & ((UINT64_C(1) << (next_rand() % 32)) - 1)) + 1 : 3000;
        rc = sim_engine_run_until(f->e, limit, 1 + next_rand() % 50);
        assert_true(rc >= 0);
        if (rc == SIM_STOP_BUDGET)
            limit = sim_now(f->e);
    } while (rc != SIM_STOP_EMPTY);
    /* Everything not cancelled ran, exactly in (time, scheduling) order. */
    ref_event *sorted = malloc((size_t)ref_n * sizeof *sorted);
    int n = 0;
    for (int i = 0; i < ref_n; i++)
        if (!ref[i].cancelled)
            sorted[n++] = ref[i];
    qsort(sorted, (size_t)n, sizeof *sorted, by_time_then_order);
    assert_int_equal(f->log.n, n);
    for (int i = 0; i < n; i++) {
        if (f->log.tag[i] != sorted[i].tag)
            fail_msg("position %d: ran %ld, reference %d", i, (long)f->log.tag[i], sorted[i].tag);
        assert_int_equal(f->log.at[i], sorted[i].t);
    }
    assert_int_equal(sim_engine_events_pending(f->e), 0);
    free(sorted);
    free(ref);
}

static void random_schedules_and_cancels_match_a_sorting_reference(void **state)
{
    run_against_the_reference(*state, 0);
}

static void far_and_near_times_with_many_cancels_match_a_sorting_reference(void **state)
{
    run_against_the_reference(*state, 1);
}

/* ==== Out of memory ==== */

static void nop(sim_engine *e, void *subject, void *object) { (void)e, (void)subject, (void)object; }

static void every_failed_allocation_is_a_clean_status(void **state)
{
    fixture *f = *state;
    /* Fail the k-th allocation for every k a small run makes. */
    for (long k = 1; k < 400; k++) {
        f->log.n = 0;
        sim_alloc_fail_at(k);
        sim_engine *e = sim_engine_create_with(1, f->kind);
        int failed = e == NULL;
        if (e) {
            sim_lane *lane = sim_lane_create(e, 5);
            sim_timer_lane *timers_lane = sim_timer_lane_create(e, 5, nop, NULL, offsetof(timed, timer));
            static timed timers[3000];
            memset(timers, 0, sizeof timers);
            for (int i = 0; i < 3000 && !failed; i++) {
                sim_event_id id = timers_lane && i % 4 == 1 ? (sim_event_id)sim_timer_start(timers_lane, &timers[i].timer)
                                  : lane && i % 2 ? sim_lane_schedule(lane, nop, NULL, NULL)
                                  : i % 4 == 2    ? (sim_event_id)sim_event_post(e, i, numbered[i / 4 % N_NUMBERED], NULL, NULL)
                                                  : sim_event_schedule(e, i, nop, NULL, NULL);
                if (id == 0)
                    failed = 1;
                else if (i % 3 == 0 && i % 4 == 1)
                    sim_timer_cancel(&timers[i].timer);
                else if (i % 3 == 0 && i % 4 != 2)
                    sim_event_cancel(e, id);
            }
            int rc = sim_engine_run_until(e, SIM_TIME_NEVER, SIM_NO_BUDGET);
            if (failed)
                assert_int_equal(rc, SIM_ENOMEM);
            else
                assert_true(rc == SIM_STOP_EMPTY || rc == SIM_ENOMEM);
        }
        sim_engine_destroy(e);
    }
    sim_alloc_fail_at(0);
}

/* The radix heap names at most 65,534 functions of posted events (16-bit
 * indices, two reserved): made-up addresses take them all, and a post
 * with a function of its own then fails cleanly. */
static void a_post_past_the_last_function_index_is_out_of_memory(void **state)
{
    (void)state;
    sim_engine *e = sim_engine_create_with(1, SIM_QUEUE_RADIX);
    assert_non_null(e);
    for (uintptr_t k = 1; k <= RADIX_FN_MASK - RADIX_FN_SLOT; k++)
        assert_int_equal(radix_fn_index(&e->rdx, (sim_event_fn *)(16 * k)), k + RADIX_FN_SLOT);
    assert_int_equal(sim_event_post(e, 1, nop, NULL, NULL), 0);
    assert_int_equal(sim_engine_run_until(e, SIM_TIME_NEVER, SIM_NO_BUDGET), SIM_ENOMEM);
    sim_engine_destroy(e);
}

/* ==== Large blocks (sim_alloc.c places them on 2 MiB pages) ==== */

static int aligned_2mib(const void *p) { return (uintptr_t)p % ((uintptr_t)2 << 20) == 0; }

static void large_blocks_are_aligned_and_keep_their_contents_as_they_grow(void **state)
{
    (void)state;
    const size_t mib = (size_t)1 << 20;
    unsigned char *huge = sim_malloc_huge(1);
    assert_non_null(huge);
    assert_true(aligned_2mib(huge));
    huge[2 * mib - 1] = 7; /* rounded up to a whole page */
    sim_free(huge);

    /* From the heap to a huge block, and from one huge block to a larger. */
    size_t sizes[] = {mib, 3 * mib, 9 * mib, 5 * mib, 4096};
    unsigned char *a = NULL;
    size_t filled = 0;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        a = sim_realloc(a, sizes[k]);
        assert_non_null(a);
        if (sizes[k] >= 2 * mib)
            assert_true(aligned_2mib(a));
        size_t kept = filled < sizes[k] ? filled : sizes[k];
        for (size_t i = 0; i < kept; i += 4093)
            assert_int_equal(a[i], (unsigned char)(i * 31 + 1));
        for (size_t i = 0; i < sizes[k]; i += 4093)
            a[i] = (unsigned char)(i * 31 + 1);
        filled = sizes[k];
    }
    sim_free(a);

    unsigned char *z = sim_calloc(5 * mib, 1);
    assert_non_null(z);
    for (size_t i = 0; i < 5 * mib; i += 4099)
        assert_int_equal(z[i], 0);
    sim_free(z);
    volatile size_t too_many = SIZE_MAX / 2; /* volatile: GCC warns of a constant overflow */
    assert_null(sim_calloc(too_many, 4));    /* the product overflows */

    sim_alloc_fail_at(1);
    assert_null(sim_malloc_huge(4 * mib));
    sim_alloc_fail_at(1);
    assert_null(sim_malloc(4 * mib));
    unsigned char *b = sim_malloc(4 * mib);
    assert_non_null(b);
    sim_alloc_fail_at(1);
    assert_null(sim_realloc(b, 8 * mib)); /* b is kept */
    b[4 * mib - 1] = 1;
    sim_free(b);
}

#define FOR_EACH_QUEUE(test)                                              \
    cmocka_unit_test_setup_teardown(test, setup_radix, teardown),        \
        cmocka_unit_test_setup_teardown(test, setup_heap4, teardown),    \
        cmocka_unit_test_setup_teardown(test, setup_calendar, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        FOR_EACH_QUEUE(events_run_in_time_order),
        FOR_EACH_QUEUE(same_time_events_run_in_schedule_order),
        FOR_EACH_QUEUE(a_crowd_posted_inside_the_next_events_span_keeps_order),
        FOR_EACH_QUEUE(events_scheduled_for_now_run_after_those_already_due),
        FOR_EACH_QUEUE(each_event_runs_its_own_function_among_many),
        cmocka_unit_test(event_functions_hashed_alike_keep_their_own_indices),
        FOR_EACH_QUEUE(cancel_before_running_prevents_it),
        FOR_EACH_QUEUE(cancel_at_the_same_time_prevents_it),
        FOR_EACH_QUEUE(cancel_while_or_after_running_returns_zero),
        FOR_EACH_QUEUE(cancel_twice_returns_zero_the_second_time),
        FOR_EACH_QUEUE(lane_cancels_anywhere_keep_order),
        FOR_EACH_QUEUE(a_timer_runs_once_unless_cancelled_or_restarted),
        FOR_EACH_QUEUE(a_timer_started_at_a_time_runs_as_if_posted),
        FOR_EACH_QUEUE(pending_timer_starts_are_counted_when_asked),
        FOR_EACH_QUEUE(cancelled_timers_do_not_pile_up),
        FOR_EACH_QUEUE(a_wrapped_timer_ring_grows_in_order),
        FOR_EACH_QUEUE(timers_started_at_times_fill_the_ring_in_order),
        FOR_EACH_QUEUE(a_timer_restarted_on_another_lane_runs_there_once),
        FOR_EACH_QUEUE(run_until_runs_events_at_the_limit_and_stops_there),
        FOR_EACH_QUEUE(run_until_stops_after_the_event_budget),
        FOR_EACH_QUEUE(a_callback_can_stop_the_run),
        FOR_EACH_QUEUE(the_hook_runs_every_n_events_and_may_stop),
        FOR_EACH_QUEUE(random_schedules_and_cancels_match_a_sorting_reference),
        FOR_EACH_QUEUE(far_and_near_times_with_many_cancels_match_a_sorting_reference),
        FOR_EACH_QUEUE(every_failed_allocation_is_a_clean_status),
        cmocka_unit_test(a_post_past_the_last_function_index_is_out_of_memory),
        cmocka_unit_test(large_blocks_are_aligned_and_keep_their_contents_as_they_grow),
    };
    return cmocka_run_group_tests_name("sim_engine", tests, NULL, NULL);
}
