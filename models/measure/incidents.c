/* incidents.c -- what the faults cost, measured against the scenario's
 * SLO: the success ratio over a sliding window of `window`, healthy at or
 * above `ratio`. An incident opens when a fault starts (faults starting
 * before it has recovered join it) and recovers when the ratio is back
 * above the SLO and stays there for `hold`: its RTO runs from the first
 * fault's start to that moment. A run that ends first reports "not
 * recovered, > X s"; an incident that never broke the SLO has RTO 0. Each
 * incident also counts its failed requests, users and units affected,
 * detection and switch times, and lost writes with their RPO. Crossings of
 * the SLO and recoveries are events too, so the story says when users felt
 * it. The incidents hear the faults, the lost writes, the events and the
 * measures' ticks on the notification table. */
#include <math.h>
#include <stdio.h>

#include "meas_int.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "world_event.h"

typedef struct incident {
    sim_time start, faults_end;  /* faults_end: SIM_TIME_NEVER while one is permanent */
    sim_time broke;              /* first interval below the SLO, or -1 */
    sim_time healthy_since;      /* start of the current healthy stretch, or -1 */
    sim_time recovered;          /* -1 while not */
    sim_time detect, switched;   /* first detection / switch or promotion, or -1 */
    int open;
    uint64_t failed, users, lost, parked;
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
};

int incidents_init(w_world *w)
{
    meas_incidents *s = sim_calloc(1, sizeof *s);
    w->measure->incidents = s;
    if (!s)
        return SIM_ENOMEM;
    return sim_window_init(&s->slo, w->sc->slo.window, w->sc->interval);
}

static incident *open_incident(w_world *w)
{
    meas_incidents *s = w->measure->incidents;
    for (size_t i = s->n; i-- > 0;)
        if (s->list[i].open)
            return &s->list[i];
    return NULL;
}

void incidents_on_fault(w_world *w, const w_note *note, void *context)
{
    (void)context;
    sim_time start = note->from, end = note->to;
    meas_incidents *s = w->measure->incidents;
    incident *in = open_incident(w);
    if (in) { /* overlapping before recovery: one incident */
        if (end > in->faults_end || end == SIM_TIME_NEVER)
            in->faults_end = end;
        return;
    }
    if (sim_grow((void **)&s->list, &s->cap, s->n + 1, sizeof *s->list))
        return;
    in = &s->list[s->n++];
    memset(in, 0, sizeof *in);
    in->start = start;
    in->faults_end = end;
    in->broke = in->healthy_since = in->recovered = in->detect = in->switched = -1;
    in->open = 1;
    in->user_bits = sim_calloc((size_t)(w->users / 8) + 1, 1);
}

void incidents_on_writes_lost(w_world *w, const w_note *note, void *context)
{
    (void)context;
    uint64_t writes = note->count;
    sim_time rpo = note->age;
    int parked = note->parked;
    meas_incidents *s = w->measure->incidents;
    if (s->n == 0)
        return;
    incident *in = open_incident(w);
    if (!in)
        in = &s->list[s->n - 1];
    if (parked) { /* at risk, not lost: no RPO unless they are lost later */
        in->parked += writes;
        return;
    }
    in->lost += writes;
    if (rpo > in->rpo)
        in->rpo = rpo;
}

void incidents_note_failure(w_world *w, uint64_t uid, int unit)
{
    incident *in = open_incident(w);
    if (!in)
        return;
    in->failed++;
    if (in->user_bits) {
        uint8_t bit = (uint8_t)(1u << (uid & 7));
        if (!(in->user_bits[uid >> 3] & bit)) {
            in->user_bits[uid >> 3] |= bit;
            in->users++;
        }
    }
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
    if (kind == EV_DETECT && in->detect < 0)
        in->detect = now;
    if ((kind == EV_SWITCH || kind == EV_PROMOTE) && in->switched < 0)
        in->switched = now;
}

/* An interval ended: the SLO over its window, its crossings, and whether
 * the open incident broke it or has recovered. */
void incidents_on_tick(w_world *w, const w_note *note, void *context)
{
    (void)context;
    meas_incidents *s = w->measure->incidents;
    sim_time start = note->from;
    uint64_t ok, bad;
    sim_window_add(&s->slo, start, note->succeeded, note->failed);
    sim_window_sum(&s->slo, start, &ok, &bad);
    double ratio = ok + bad ? (double)ok / (double)(ok + bad) * 100 : 100;
    int healthy = ratio >= w->sc->slo.ratio;
    sim_time end = sim_now(w->e);
    int measured = start >= w->warmup && start < w->end;
    if (!healthy && measured)
        s->below += end - start;
    /* Crossings of the SLO, so the story says when users felt it, faults
     * or not (an overloaded stage breaks it with no fault at all). */
    if (measured && healthy == s->below_now) {
        char slo[32], win[SIM_TIME_TEXT_MAX];
        snprintf(slo, sizeof slo, "%g%%", w->sc->slo.ratio);
        sim_time_format_duration(w->sc->slo.window, win, sizeof win);
        if (healthy)
            world_event(w, EV_SLO, "SLO", "the success ratio over %s is back at or above %s", win, slo);
        else
            world_event(w, EV_SLO, "SLO", "the success ratio over %s fell below %s (%.2f%%)", win, slo, ratio);
        s->below_now = !healthy;
    }
    incident *in = open_incident(w);
    if (!in)
        return;
    if (!healthy) {
        if (in->broke < 0)
            in->broke = start;
        in->healthy_since = -1;
        return;
    }
    if (in->healthy_since < 0)
        in->healthy_since = start;
    int faults_over = in->faults_end != SIM_TIME_NEVER && end >= in->faults_end;
    if (in->broke >= 0 && end - in->healthy_since >= w->sc->slo.hold) {
        in->recovered = in->healthy_since;
        in->open = 0;
        char hold[SIM_TIME_TEXT_MAX];
        sim_time_format_duration(w->sc->slo.hold, hold, sizeof hold);
        world_event(w, EV_RECOVERED, "incident", "recovered: the SLO has held for %s; RTO %.0f s from the first fault",
                    hold, sim_time_to_seconds(in->recovered - in->start));
    } else if (in->broke < 0 && faults_over && end - in->healthy_since >= w->sc->slo.hold) {
        in->recovered = in->start; /* never broke the SLO */
        in->open = 0;
    }
}

void incidents_fini(w_world *w)
{
    meas_incidents *s = w->measure->incidents;
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        sim_free(s->list[i].user_bits);
    sim_free(s->list);
    sim_window_fini(&s->slo);
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
    out->recovered = in->recovered >= 0;
    out->broke_slo = in->broke >= 0;
    sim_time end = w->end > in->start ? w->end : in->start;
    out->rto = in->recovered >= 0 ? sim_time_to_seconds(in->recovered - in->start) : sim_time_to_seconds(end - in->start);
    out->impact = in->broke >= 0 ? sim_time_to_seconds(in->broke - in->start) : -1;
    out->detect = in->detect >= 0 ? sim_time_to_seconds(in->detect - in->start) : -1;
    out->switched = in->switched >= 0 ? sim_time_to_seconds(in->switched - in->start) : -1;
    out->failed = (double)in->failed / w->scale;
    out->users = (double)in->users / w->scale;
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

