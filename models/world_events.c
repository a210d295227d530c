/* world_events.c -- the rows of events.csv: every fault, detection,
 * switch, promotion, rollback, repair and protection that acted, with its
 * time, its target as this stage resolved it, and a sentence that the
 * report's story of the run is told from. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim_alloc.h"
#include "flt.h"
#include "world_events.h"

void world_event(w_world *w, const char *kind, const char *target, const char *fmt, ...)
{
    if (!w->events) {
        w->events = sim_calloc(1, sizeof *w->events);
        if (!w->events)
            return;
    }
    struct w_events *ev = w->events;
    if (sim_grow((void **)&ev->rows, &ev->cap, ev->n + 1, sizeof *ev->rows))
        return;
    w_event_row *row = &ev->rows[ev->n++];
    row->t = sim_now(w->e);
    snprintf(row->kind, sizeof row->kind, "%s", kind);
    snprintf(row->target, sizeof row->target, "%s", target ? target : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(row->text, sizeof row->text, fmt, ap);
    va_end(ap);
    if (w->on_event)
        w->on_event(row, w->on_event_context);
    faults_on_event(w, kind);
    incidents_on_event(w, kind);
}

size_t world_events_count(const w_world *w) { return w->events ? w->events->n : 0; }

const w_event_row *world_events_row(const w_world *w, size_t i)
{
    return w->events && i < w->events->n ? &w->events->rows[i] : NULL;
}

void world_events_free(w_world *w)
{
    if (w->events)
        sim_free(w->events->rows);
    sim_free(w->events);
    w->events = NULL;
}

void world_clock(const w_world *w, sim_time t, char *buf, size_t n)
{
    const sim_time day = 86400 * SIM_SEC;
    sim_time at = w->sc->start + t;
    if (w->warmup + w->sc->duration < day || n < 16) {
        sim_time_format_clock(at, buf, n);
        return;
    }
    int len = snprintf(buf, n, "day %lld ", (long long)(at / day));
    sim_time_format_clock(at % day, buf + len, n - (size_t)len);
}
