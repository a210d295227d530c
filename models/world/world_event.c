/* world_event.c -- the rows of events.csv, kept in memory. */
#include "world_event.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "sim_alloc.h"

struct w_events {
    mdl_event_row *rows;
    size_t n, cap;
};

void world_event(w_world *w, int kind, const char *target, const char *fmt, ...)
{
    if (!w->events) {
        w->events = sim_calloc(1, sizeof *w->events);
        if (!w->events)
            return;
    }
    struct w_events *ev = w->events;
    if (sim_grow((void **)&ev->rows, &ev->cap, ev->n + 1, sizeof *ev->rows))
        return;
    mdl_event_row *row = &ev->rows[ev->n++];
    row->t = sim_now(w->e);
    row->kind = kind;
    snprintf(row->target, sizeof row->target, "%s", target ? target : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(row->text, sizeof row->text, fmt, ap);
    va_end(ap);
    /* A copy: a listener that records a row of its own may move the rows. */
    mdl_event_row told = *row;
    w_note n = note_of(NOTE_EVENT);
    n.event = &told;
    note_publish(w, &n);
}

size_t world_events_count(const w_world *w) { return w->events ? w->events->n : 0; }

const mdl_event_row *world_events_row(const w_world *w, size_t i)
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

double world_real_count(const w_world *w, uint64_t n) { return round((double)n / w->scale); }
