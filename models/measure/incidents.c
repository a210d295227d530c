/* incidents.c -- what the faults cost, and what the stage's own overload
 * costs, measured against the scenario's SLO: the success ratio over a
 * sliding window of `window`, healthy at or above `ratio`.
 *
 * An incident opens when a fault starts (faults starting before it has
 * recovered join it), or when the stage's own failures (overload and
 * shedding by design) break the SLO before any fault has hurt: a database
 * at its connection limit on the ramp, a degradation switch at the peak.
 * Each failed request is charged to one open incident by its cause:
 * overload and shedding to the stage's own incident while one is open,
 * else to a fault's that hurts (survivors overloaded after a failover,
 * connections held by calls to a dead primary, are the fault's doing);
 * faults and switching to the fault's. A fault hurts from its first
 * failure or its building going dark; overload that comes while a fault
 * is open but quiet waits one SLO window to see whether the fault's own
 * failures follow (a client times out later than a pool refuses) before
 * it is called the stage's own.
 * Each incident judges the SLO on the failures charged to it, so a fault
 * that strikes a service already overloaded is still seen when it starts
 * to hurt, and a stage's own shedding is not taken for the outage.
 *
 * The phases an SRE reads: time to impact (the fault to the first SLO
 * break it causes, dated back to the first interval whose own ratio was
 * below the SLO: the battery ride-through), time to detect and to switch
 * (from the impact), and RTO, from the impact to service restored: the
 * start of the stretch of intervals that each met the SLO and from which
 * the SLO then held for `hold` (not when the trailing window has filled
 * up again). A run that ends first reports "not recovered, > X s"; an
 * incident that never broke the SLO has RTO 0. Crossings of the SLO and
 * recoveries are events too. The incidents hear the faults, the lost
 * writes, the events and the measures' ticks on the notification table. */
#include <math.h>
#include <stdio.h>

#include "meas_int.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "world_event.h"

typedef struct incident {
    sim_time start, faults_end;  /* faults_end: SIM_TIME_NEVER while one is permanent */
    int no_fault;                /* opened by an SLO break with no fault */
    sim_time broke;              /* the impact: the SLO's first break, dated back; -1 */
    sim_time healthy_since;      /* start of the current healthy stretch of the window, or -1 */
    sim_time good_since;         /* start of the current run of intervals meeting the SLO, or -1 */
    sim_time bad_since;          /* start of the current run of intervals below it, or -1 */
    sim_time recovered;          /* service restored, or -1 while not */
    sim_time detect, switched;   /* first detection / switch or promotion, or -1 */
    int open;
    int hurt;                    /* it has failed a request, or its building went dark */
    sim_window slo;              /* successes and the failures charged to it */
    uint64_t charged_now;        /* failures charged to it in the current interval */
    uint64_t failed, lost, parked;
    uint64_t by_cause[FAIL_COUNT];
    sim_time rpo;
    uint8_t *user_bits;
    uint8_t unit_hit[UINT8_MAX + 1]; /* by unit index (a request keeps it in 8 bits) */
} incident;

struct meas_incidents {
    incident *list;
    size_t n, cap;
    sim_window slo;              /* successes and failures over the SLO's window */
    sim_time below;              /* time below the SLO in the measured part */
    int below_now;               /* the last measured window was below the SLO */
    sim_window own;              /* successes and own failures no own incident took */
    uint64_t own_now;            /* failures this interval that no incident took */
    uint64_t own_pending[FAIL_COUNT]; /* since the own window broke, waiting for a fault to own them */
    sim_time own_bad_since;      /* start of the current run of intervals they put below the SLO, or -1 */
    sim_time good_since;         /* start of the current run of intervals meeting the SLO, or -1 */
    int healthy;                 /* the whole run's window meets the SLO */
};

int incidents_init(w_world *w)
{
    meas_incidents *s = sim_calloc(1, sizeof *s);
    w->measure->incidents = s;
    if (!s)
        return SIM_ENOMEM;
    s->own_bad_since = s->good_since = -1;
    if (sim_window_init(&s->own, w->sc->slo.window, w->sc->interval))
        return SIM_ENOMEM;
    return sim_window_init(&s->slo, w->sc->slo.window, w->sc->interval);
}

/* The latest open incident of the faults (own = 0) or the stage's own
 * (own = 1), or NULL. */
static incident *open_of(w_world *w, int own)
{
    meas_incidents *s = w->measure->incidents;
    for (size_t i = s->n; i-- > 0;)
        if (s->list[i].open && s->list[i].no_fault == own)
            return &s->list[i];
    return NULL;
}

/* The open incident a fault's event or lost write belongs to: the
 * faults', else the stage's own. */
static incident *open_incident(w_world *w)
{
    incident *in = open_of(w, 0);
    return in ? in : open_of(w, 1);
}

static incident *new_incident(w_world *w, sim_time start, sim_time faults_end, int no_fault)
{
    meas_incidents *s = w->measure->incidents;
    if (sim_grow((void **)&s->list, &s->cap, s->n + 1, sizeof *s->list))
        return NULL;
    incident *in = &s->list[s->n];
    memset(in, 0, sizeof *in);
    if (sim_window_init(&in->slo, w->sc->slo.window, w->sc->interval))
        return NULL;
    in->user_bits = sim_calloc((size_t)(w->users / 8) + 1, 1);
    if (!in->user_bits) {
        sim_window_fini(&in->slo);
        return NULL;
    }
    s->n++;
    in->start = start;
    in->faults_end = faults_end;
    in->no_fault = no_fault;
    in->broke = in->healthy_since = in->good_since = in->bad_since = -1;
    in->recovered = in->detect = in->switched = -1;
    in->open = 1;
    return in;
}

void incidents_on_fault(w_world *w, const w_note *note, void *context)
{
    (void)context;
    sim_time start = note->from, end = note->to;
    incident *in = open_of(w, 0);
    if (in) { /* overlapping before recovery: one incident */
        if (end > in->faults_end || end == SIM_TIME_NEVER)
            in->faults_end = end;
        return;
    }
    if (!new_incident(w, start, end, 0)) {
        w->status = SIM_ENOMEM;
        sim_engine_stop(w->e);
    }
}

void incidents_on_writes_lost(w_world *w, const w_note *note, void *context)
{
    (void)context;
    meas_incidents *s = w->measure->incidents;
    if (s->n == 0)
        return;
    incident *in = open_incident(w);
    if (!in)
        in = &s->list[s->n - 1];
    if (note->parked) { /* at risk, not lost: no RPO unless they are lost later */
        in->parked += note->count;
        return;
    }
    in->lost += note->count;
    if (note->age > in->rpo)
        in->rpo = note->age;
}

void incidents_note_failure(w_world *w, uint64_t uid, int unit, int cause)
{
    incident *in;
    if (cause == FAIL_OVERLOAD || cause == FAIL_SHED) {
        in = open_of(w, 1);
        if (!in) {
            in = open_of(w, 0);
            if (in && !in->hurt)
                in = NULL; /* the fault has not hurt yet: judged at the tick */
        }
    } else {
        in = open_incident(w);
        if (in)
            in->hurt = 1;
    }
    if (!in) { /* judged at the tick: the stage's own, or a fault's that begins to hurt */
        w->measure->incidents->own_now++;
        w->measure->incidents->own_pending[cause]++;
        return;
    }
    in->failed++;
    in->charged_now++;
    in->by_cause[cause]++;
    meas_mark_user(w, in->user_bits, uid); /* counted when asked, as metrics_user_failed's */
    in->unit_hit[unit] = 1;
}

void incidents_on_event(w_world *w, const w_note *note, void *context)
{
    (void)context;
    incident *in = open_incident(w);
    if (!in)
        return;
    sim_time now = sim_now(w->e);
    int kind = note->event->kind;
    if (kind == EV_DARK)
        in->hurt = 1;
    if (kind == EV_DETECT && in->detect < 0)
        in->detect = now;
    if ((kind == EV_SWITCH || kind == EV_PROMOTE) && in->switched < 0)
        in->switched = now;
}

/* Does an interval with these counts meet the SLO by itself? */
static int interval_good(const w_world *w, uint64_t ok, uint64_t bad)
{
    return ok + bad == 0 || (double)ok / (double)(ok + bad) * 100 >= w->sc->slo.ratio;
}

static double window_ratio(sim_window *win, sim_time at, uint64_t ok, uint64_t bad)
{
    sim_window_add(win, at, ok, bad);
    sim_window_sum(win, at, &ok, &bad);
    return ok + bad ? (double)ok / (double)(ok + bad) * 100 : 100;
}

/* The interval [start, end) ended: the incident's impact, judged on its
 * own failures, and its recovery, which needs the whole service back too
 * (a stage whose overload ends because its building went dark has not
 * recovered). */
static void incident_tick(w_world *w, incident *in, sim_time start, sim_time end, uint64_t ok)
{
    uint64_t bad = in->charged_now;
    in->charged_now = 0;
    if (interval_good(w, ok, bad)) {
        in->bad_since = -1;
        if (in->good_since < 0)
            in->good_since = start;
    } else {
        in->good_since = -1;
        if (in->bad_since < 0)
            in->bad_since = start;
    }
    int own_healthy = window_ratio(&in->slo, start, ok, bad) >= w->sc->slo.ratio;
    if (!own_healthy && in->broke < 0) { /* the impact: when its failures began, not when the window noticed */
        in->broke = in->bad_since >= 0 ? in->bad_since : start;
        if (in->broke < in->start)
            in->broke = in->start;
    }
    meas_incidents *s = w->measure->incidents;
    if (!own_healthy || !s->healthy) {
        in->healthy_since = -1;
        return;
    }
    if (in->healthy_since < 0)
        in->healthy_since = start;
    if (end - in->healthy_since < w->sc->slo.hold)
        return;
    int faults_over = in->faults_end != SIM_TIME_NEVER && end >= in->faults_end;
    if (in->broke >= 0) {
        /* Restored when the failures stopped: the run of good intervals
         * (its own and the whole service's) the healthy window began in,
         * if it began earlier. */
        sim_time good = in->good_since > s->good_since ? in->good_since : s->good_since;
        if (in->good_since < 0 || s->good_since < 0)
            good = -1;
        in->recovered = good >= 0 && good < in->healthy_since ? good : in->healthy_since;
        if (in->recovered < in->broke)
            in->recovered = in->broke;
        in->open = 0;
        char hold[SIM_TIME_TEXT_MAX];
        sim_time_format_duration(w->sc->slo.hold, hold, sizeof hold);
        world_event(w, EV_RECOVERED, "incident", "recovered: failures stopped %.0f s after the impact and the SLO held for %s",
                    sim_time_to_seconds(in->recovered - in->broke), hold);
    } else if (faults_over) {
        in->recovered = in->start; /* never broke the SLO */
        in->open = 0;
    }
}

/* Crossings of the whole run's SLO, so the story says when users felt it,
 * faults or not. */
static void slo_crossing(w_world *w, int healthy, double ratio)
{
    meas_incidents *s = w->measure->incidents;
    if (healthy != s->below_now)
        return;
    char slo[32], win[SIM_TIME_TEXT_MAX];
    snprintf(slo, sizeof slo, "%g%%", w->sc->slo.ratio);
    sim_time_format_duration(w->sc->slo.window, win, sizeof win);
    if (healthy)
        world_event(w, EV_SLO, "SLO", "the success ratio over %s is back at or above %s", win, slo);
    else
        world_event(w, EV_SLO, "SLO", "the success ratio over %s fell below %s (%.2f%%)", win, slo, ratio);
    s->below_now = !healthy;
}

/* The main cause of an incident's failures so far, or -1. */
static int main_cause(const incident *in)
{
    int best = -1;
    for (int c = 0; c < FAIL_COUNT; c++)
        if (in->by_cause[c] && (best < 0 || in->by_cause[c] > in->by_cause[best]))
            best = c;
    return best;
}

/* Failures no incident took when they came, given to one now (the users
 * they hit are not told apart). */
static void charge_pending(w_world *w, incident *in)
{
    meas_incidents *s = w->measure->incidents;
    for (int c = 0; c < FAIL_COUNT; c++) {
        in->failed += s->own_pending[c];
        in->charged_now += s->own_pending[c];
        in->by_cause[c] += s->own_pending[c];
    }
    memset(s->own_pending, 0, sizeof s->own_pending);
}

/* The stage's own failures that no incident took broke the SLO: its own
 * incident, from the first interval of the break. */
static void open_own_incident(w_world *w, sim_time start)
{
    meas_incidents *s = w->measure->incidents;
    sim_time from = s->own_bad_since >= 0 ? s->own_bad_since : start;
    incident *in = new_incident(w, from, from, 1);
    if (!in) {
        w->status = SIM_ENOMEM;
        sim_engine_stop(w->e);
        return;
    }
    charge_pending(w, in);
    int cause = main_cause(in);
    static const char *const own_words[FAIL_COUNT] = {"overload", "failures", "shedding", "switching"};
    world_event(w, EV_SLO, "SLO", "the SLO broke with no fault hurting: the stage's own %s",
                cause >= 0 ? own_words[cause] : "failures");
}

/* The own failures no incident took this interval: given to a fault
 * that has begun to hurt, or, when they break the SLO by themselves and
 * no fault owns them within a window, the stage's own incident. */
static void own_tick(w_world *w, sim_time start, uint64_t succeeded, int measured)
{
    meas_incidents *s = w->measure->incidents;
    uint64_t own = s->own_now;
    s->own_now = 0;
    if (interval_good(w, succeeded, own))
        s->own_bad_since = -1;
    else if (s->own_bad_since < 0)
        s->own_bad_since = start;
    int healthy = window_ratio(&s->own, start, succeeded, own) >= w->sc->slo.ratio;
    incident *fault = open_of(w, 0);
    if (fault && fault->hurt) { /* they were the fault's */
        charge_pending(w, fault);
        sim_window_clear(&s->own);
        s->own_bad_since = -1;
        return;
    }
    if (healthy) { /* too few to break the SLO: nobody's incident */
        memset(s->own_pending, 0, sizeof s->own_pending);
        return;
    }
    int waited = !fault || (s->own_bad_since >= 0 && start + w->sc->interval - s->own_bad_since >= w->sc->slo.window);
    if (measured && waited && !open_of(w, 1))
        open_own_incident(w, start);
}

/* An interval ended: the SLO over its window, its crossings, a break the
 * stage's own failures make, and each open incident's own judgement. */
void incidents_on_tick(w_world *w, const w_note *note, void *context)
{
    (void)context;
    meas_incidents *s = w->measure->incidents;
    sim_time start = note->from, end = sim_now(w->e);
    if (interval_good(w, note->succeeded, note->failed)) {
        if (s->good_since < 0)
            s->good_since = start;
    } else
        s->good_since = -1;
    double ratio = window_ratio(&s->slo, start, note->succeeded, note->failed);
    int healthy = s->healthy = ratio >= w->sc->slo.ratio;
    int measured = start >= w->warmup && start < w->end;
    if (!healthy && measured)
        s->below += end - start;
    if (measured)
        slo_crossing(w, healthy, ratio);
    own_tick(w, start, note->succeeded, measured);
    for (size_t i = 0; i < s->n; i++)
        if (s->list[i].open)
            incident_tick(w, &s->list[i], start, end, note->succeeded);
}

void incidents_fini(w_world *w)
{
    meas_incidents *s = w->measure->incidents;
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        sim_free(s->list[i].user_bits);
        sim_window_fini(&s->list[i].slo);
    }
    sim_free(s->list);
    sim_window_fini(&s->slo);
    sim_window_fini(&s->own);
    sim_free(s);
    w->measure->incidents = NULL;
}

/* ==== Results ==== */

size_t measure_incidents(const w_world *w) { return w->measure->incidents->n; }

void measure_incident(const w_world *w, size_t i, mdl_incident *out)
{
    const incident *in = &w->measure->incidents->list[i];
    memset(out, 0, sizeof *out);
    out->start = in->start;
    out->no_fault = in->no_fault;
    out->recovered = in->recovered >= 0;
    out->broke_slo = in->broke >= 0;
    sim_time end = w->end > in->start ? w->end : in->start;
    sim_time impact = in->broke >= 0 ? in->broke : in->start;
    out->impact = in->broke >= 0 ? sim_time_to_seconds(in->broke - in->start) : -1;
    if (in->broke < 0)
        out->rto = 0;
    else
        out->rto = sim_time_to_seconds((in->recovered >= 0 ? in->recovered : (end > impact ? end : impact)) - impact);
    out->detect = in->detect >= 0 ? sim_time_to_seconds(in->detect - impact) : NAN;
    out->switched = in->switched >= 0 ? sim_time_to_seconds(in->switched - impact) : NAN;
    out->cause = main_cause(in);
    for (int c = 0; c < FAIL_COUNT; c++)
        out->by_cause[c] = (double)in->by_cause[c] / w->scale;
    out->failed = (double)in->failed / w->scale;
    out->users = (double)meas_bits_set(in->user_bits, (uint64_t)w->users) / w->scale;
    int units = 0, hit = 0;
    for (int u = 0; u < w->n_units; u++)
        if (w->units[u].kind == UNIT_RZONE) {
            units++;
            hit += in->unit_hit[u];
        }
    out->unit_share = units ? (double)hit / units : 0;
    out->lost_writes = (double)in->lost / w->scale;
    out->parked_writes = (double)in->parked / w->scale;
    out->rpo = sim_time_to_seconds(in->rpo);
}

double measure_seconds_below_slo(const w_world *w)
{
    return sim_time_to_seconds(w->measure->incidents->below);
}
