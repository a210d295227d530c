/* sc_strip.c -- the window's strip of charts, scrolling with the clock
 * (the last five minutes up to now), and the timeline of the whole run
 * under it: the faults as bands, detections, switches, promotions and
 * actions as ticks, a cursor at now, and the part not simulated yet pale. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_kinds.h"
#include "sc_scene.h"
#include "sim_alloc.h"
#include "vz_chart.h"
#include "vz_palette.h"
#include "vz_text.h"

/* The charts show this much of the past. */
#define STRIP_SECONDS 300.0
#define MAX_LINES 6

typedef struct strip_data {
    double *x, *ok, *p99, *offered, *served, *type_ok[MAX_LINES];
    size_t n;
} strip_data;

static void strip_free(strip_data *d)
{
    sim_free(d->x), sim_free(d->ok), sim_free(d->p99), sim_free(d->offered), sim_free(d->served);
    for (int i = 0; i < MAX_LINES; i++)
        sim_free(d->type_ok[i]);
}

/* The series points inside [t - STRIP_SECONDS, t], at their interval's
 * start in run time. */
static int strip_collect(const sc_input *in, int n_types, strip_data *d)
{
    memset(d, 0, sizeof *d);
    const mdl_series_point *p = in->rec->series;
    size_t n = in->rec->n_series;
    double warm = sim_time_to_seconds(mdl_film_about(in->film)->warmup);
    double now = sim_time_to_seconds(in->t), from = now - STRIP_SECONDS;
    size_t first = n, last = 0;
    /* An interval shows once it has ended by now: a live run may have
     * recorded the one under way (it simulates a little ahead). */
    double interval = n > 1 ? p[1].t - p[0].t : 1;
    for (size_t i = 0; i < n; i++) {
        double x = warm + p[i].t;
        if (x >= from - 1 && x + interval <= now + 1e-9) {
            first = first < i ? first : i;
            last = i + 1;
        }
    }
    if (first >= last)
        return 0;
    size_t m = last - first;
    d->x = sim_calloc(m, sizeof *d->x), d->ok = sim_calloc(m, sizeof *d->ok);
    d->p99 = sim_calloc(m, sizeof *d->p99), d->offered = sim_calloc(m, sizeof *d->offered);
    d->served = sim_calloc(m, sizeof *d->served);
    int fine = d->x && d->ok && d->p99 && d->offered && d->served;
    for (int k = 0; k < n_types; k++)
        fine &= (d->type_ok[k] = sim_calloc(m, sizeof *d->type_ok[k])) != NULL;
    if (!fine) {
        strip_free(d);
        return 0;
    }
    for (size_t i = first; i < last; i++) {
        const mdl_series_point *q = &p[i];
        size_t j = d->n++;
        d->x[j] = warm + q->t;
        d->ok[j] = q->offered > 0 ? 100 * q->succeeded / q->offered : NAN;
        d->p99[j] = q->succeeded > 0 ? q->p99 : NAN;
        d->offered[j] = q->offered;
        d->served[j] = q->succeeded;
        for (int k = 0; k < n_types; k++)
            d->type_ok[k][j] = q->type_offered[k] > 0 ? 100 * q->type_succeeded[k] / q->type_offered[k] : NAN;
    }
    return 1;
}

/* The faults of the film as bands over [from, to] of the run. */
static size_t fault_bands(const sc_record *r, sim_time end, double from, double to, vz_band *out, size_t max)
{
    const mdl_film_mark *m = r->marks;
    size_t n = r->n_marks, k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        double a = sim_time_to_seconds(m[i].from), b = sim_time_to_seconds(m[i].to >= 0 ? m[i].to : end);
        if (b < from || a > to)
            continue;
        out[k++] = (vz_band){fmax(a, from), fmin(b, to), m[i].kind, VZ_BAND_FAULT};
    }
    return k;
}

void sc_draw_charts(cairo_t *cr, double x, double y, double w, double h, const sc_input *in)
{
    int n_types = in->n_types < MAX_LINES - 1 ? in->n_types : MAX_LINES - 1;
    double now = sim_time_to_seconds(in->t), from = now - STRIP_SECONDS;
    strip_data d;
    int have = strip_collect(in, n_types, &d);
    vz_band bands[16];
    size_t nb = fault_bands(in->rec, in->end, from, now, bands, 16);
    vz_chart c = {0};
    c.x_min = from, c.x_max = now > from + 1 ? now : from + 1;
    c.origin_clock = sc_start_clock(in->film);
    c.bands = bands, c.n_bands = nb;
    c.y_min = NAN, c.y_max = NAN;
    double cw = w / 3;
    /* Success: overall first (drawn on top), then each request type. */
    vz_series s1[MAX_LINES];
    size_t n1 = 0;
    if (have) {
        s1[n1++] = (vz_series){"all", 7, d.x, d.ok, d.n, 0};
        for (int k = 0; k < n_types; k++)
            s1[n1++] = (vz_series){in->types[k], k < 4 ? k + 1 : k + 2, d.x, d.type_ok[k], d.n, 1};
    }
    c.title = "success";
    c.y_label = "% of offered";
    c.y_format = VZ_Y_PERCENT;
    c.y_min = 0, c.y_max = 100;
    c.series = s1, c.n_series = n1;
    c.first_on_top = 1;
    vz_chart_draw(cr, &c, x, y, cw - 6, h);
    vz_series s2[1] = {{"p99", 0, d.x, d.p99, d.n, 0}};
    c.title = "latency p99";
    c.y_label = "seconds";
    c.y_format = VZ_Y_SECONDS;
    c.y_min = 0, c.y_max = NAN;
    c.series = s2, c.n_series = have ? 1 : 0;
    c.first_on_top = 0;
    vz_chart_draw(cr, &c, x + cw, y, cw - 6, h);
    vz_series s3[2] = {{"offered", 7, d.x, d.offered, d.n, 1}, {"served", 2, d.x, d.served, d.n, 0}};
    c.title = "offered and served";
    c.y_label = "requests/s";
    c.y_format = VZ_Y_NUMBER;
    c.series = s3, c.n_series = have ? 2 : 0;
    vz_chart_draw(cr, &c, x + 2 * cw, y, cw - 6, h);
    if (have)
        strip_free(&d);
}

/* An event's tick on the timeline: its colour and row, or -1 when the
 * timeline does not show it. */
static int tick_of(int kind, int *row)
{
    switch (kind) {
    case EV_FAULT: *row = 0; return 0;      /* vermillion */
    case EV_DETECT: *row = 1; return 1;     /* blue */
    case EV_SWITCH: *row = 1; return 2;     /* green */
    case EV_PROMOTE: *row = 1; return 4;    /* purple */
    case EV_ACTION: *row = 2; return 7;     /* black: the operator */
    case EV_RECOVERED: *row = 2; return 2;
    default: return -1;
    }
}

void sc_draw_timeline(cairo_t *cr, double x, double y, double w, double h, const sc_input *in)
{
    double end = sim_time_to_seconds(in->end);
    if (end <= 0)
        end = 1;
    double px = x + 60, pw = w - 70;
#define TX(s) (px + pw * (s) / end)
    cairo_set_source_rgb(cr, 0.97, 0.97, 0.97);
    cairo_rectangle(cr, px, y, pw, h);
    cairo_fill(cr);
    vz_font(cr, 10, 1);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, x, y + h / 2, "timeline", VZ_LEFT, VZ_MIDDLE);
    /* Faults. */
    const mdl_film_mark *m = in->rec->marks;
    size_t nm = in->rec->n_marks;
    for (size_t i = 0; i < nm; i++) {
        double a = sim_time_to_seconds(m[i].from), b = m[i].to >= 0 ? sim_time_to_seconds(m[i].to) : end;
        vz_set_colour(cr, 0, 0.28);
        cairo_rectangle(cr, TX(a), y + 2, fmax(2, TX(b) - TX(a)), h * 0.4);
        cairo_fill(cr);
        vz_font(cr, 9, 0);
        vz_set(cr, vz_band_text, 1);
        vz_text(cr, TX(a) + 3, y + 2 + h * 0.2, m[i].label[0] ? m[i].label : m[i].kind, VZ_LEFT, VZ_MIDDLE);
    }
    /* Events so far. */
    const mdl_event_row *e = in->rec->events;
    size_t ne = in->rec->n_events;
    for (size_t i = 0; i < ne && e[i].t <= in->t; i++) {
        int row, colour = tick_of(e[i].kind, &row);
        if (colour < 0)
            continue;
        double ex = TX(sim_time_to_seconds(e[i].t));
        vz_set_colour(cr, colour, 0.9);
        cairo_rectangle(cr, ex - 1, y + h * 0.45 + row * h * 0.18, 2, h * 0.16);
        cairo_fill(cr);
    }
    /* Not simulated yet. */
    double edge = sim_time_to_seconds(in->edge);
    if (edge < end) {
        cairo_set_source_rgba(cr, 1, 1, 1, 0.6);
        cairo_rectangle(cr, TX(edge), y, px + pw - TX(edge), h);
        cairo_fill(cr);
    }
    /* Clock ticks every few minutes. */
    vz_font(cr, 9, 0);
    vz_set(cr, vz_axis, 1);
    double step = end > 7200 ? 1800 : end > 1800 ? 300 : end > 600 ? 120 : 60;
    while (end / step > 40) /* a long run: fewer, wider ticks */
        step *= 2;
    for (double s = 0; s <= end; s += step) {
        char clock[16];
        sc_clock(in->film, (sim_time)(s * SIM_SEC), clock, sizeof clock);
        cairo_rectangle(cr, TX(s), y + h, 1, 3);
        cairo_fill(cr);
        vz_text(cr, TX(s), y + h + 11, clock, VZ_CENTRE, VZ_MIDDLE);
    }
    /* Now. */
    double cx = TX(sim_time_to_seconds(in->t));
    cairo_set_source_rgb(cr, 0, 0.45, 0.7);
    cairo_rectangle(cr, cx - 1.5, y - 3, 3, h + 6);
    cairo_fill(cr);
#undef TX
}
