/* vz_chart.c -- drawing a time chart: layout (measured text decides the
 * margins), grid and ticks, fault bands by phase, the lines or stacked
 * areas, the event marks under the plot (grouped where they would touch),
 * the numbered notes over it, and the legend under the title. Bands, mark
 * groups and notes leave tooltips (vz_tip) for the SVGs. */
#include "vz_chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_alloc.h"
#include "vz_palette.h"
#include "vz_surface.h"
#include "vz_text.h"
#include "vz_ticks.h"

#define PAD 10.0
#define TITLE_SIZE 15.0
#define LABEL_SIZE 12.0
#define SMALL_SIZE 11.0
#define COUNT_SIZE 9.5          /* a mark group's counts, a note's number */
#define LEGEND_ROW 18.0
#define MARK_ROW 12.0
#define MARK_R 4.0              /* a mark's glyph: its half width */
#define GROUP_GAP 3.0           /* marks or notes closer than this to a group join it */
#define NOTE_ROW 20.0           /* the row of notes over the plot */
#define NOTE_H 14.0
#define STRIP 7.0               /* the band phases' strip over stacked areas */
#define HATCH 7.0               /* hatch line spacing */
#define MAX_TICKS 64
#define MAX_LEGEND 48
#define TIP_MAX 4096
#define TIP_LINES 12            /* a group's tooltip lists this many, then counts the rest */

static const char *const mark_names[VZ_MARK_KINDS] = {"detected", "switched", "promoted"};
static const char *const phase_names[VZ_BAND_PHASES] = {"fault", "on batteries", "on generator", "dark"};

static int in_axis(const vz_chart *c, double x) { return x >= c->x_min && x <= c->x_max; }
static int phase_of(const vz_band *b) { return b->phase >= 0 && b->phase < VZ_BAND_PHASES ? b->phase : VZ_BAND_FAULT; }
static int kind_of(const vz_mark *m) { return m->kind >= 0 && m->kind < VZ_MARK_KINDS ? m->kind : VZ_MARK_PROMOTE; }

/* ==== Ranges and labels ==== */

static void data_range(const vz_chart *c, double *lo, double *hi)
{
    double mn = INFINITY, mx = -INFINITY;
    if (c->stacked) {
        mn = 0;
        for (size_t i = 0; c->n_series && i < c->series[0].n; i++) {
            double sum = 0;
            for (size_t s = 0; s < c->n_series; s++)
                if (i < c->series[s].n && isfinite(c->series[s].y[i]))
                    sum += c->series[s].y[i];
            mx = fmax(mx, sum);
        }
    } else {
        for (size_t s = 0; s < c->n_series; s++)
            for (size_t i = 0; i < c->series[s].n; i++) {
                double v = c->series[s].y[i], x = c->series[s].x[i];
                if (!isfinite(v) || x < c->x_min || x > c->x_max || (c->y_log && v <= 0))
                    continue;
                mn = fmin(mn, v);
                mx = fmax(mx, v);
            }
    }
    if (!isfinite(mn) || !isfinite(mx)) { /* nothing to show */
        mn = c->y_log ? 1e-3 : 0;
        mx = c->y_log ? 1 : 1;
    }
    if (!c->y_log && mn > 0)
        mn = 0; /* counts and rates read best from zero */
    if (mx <= mn)
        mx = mn + (c->y_log ? mn * 9 : 1);
    *lo = isnan(c->y_min) ? mn : c->y_min;
    *hi = isnan(c->y_max) ? mx : c->y_max;
}

static void y_ticks(const vz_chart *c, double *lo, double *hi, double *ticks, size_t *n, double *step)
{
    data_range(c, lo, hi);
    if (c->y_log) {
        *lo = pow(10, floor(log10(*lo)));
        *hi = pow(10, ceil(log10(*hi)));
        *n = vz_ticks_log(*lo, *hi, ticks, MAX_TICKS);
        *step = 0;
        return;
    }
    *n = vz_ticks_linear(*lo, *hi, 5, ticks, MAX_TICKS, step);
    if (isnan(c->y_max) && *n > 0 && ticks[*n - 1] < *hi - 1e-12) { /* end on a tick */
        double top = ticks[*n - 1] + *step;
        if (*n < MAX_TICKS)
            ticks[(*n)++] = top;
        *hi = top;
    }
}

static void y_label_text(const vz_chart *c, double v, double step, char *buf, size_t n)
{
    switch (c->y_format) {
    case VZ_Y_PERCENT: {
        char num[32];
        vz_format_number(v, step, num, sizeof num);
        snprintf(buf, n, "%s%%", num);
        break;
    }
    case VZ_Y_SECONDS:
        if (v >= 1)
            snprintf(buf, n, "%g s", v);
        else if (v >= 1e-3)
            snprintf(buf, n, "%g ms", v * 1e3);
        else
            snprintf(buf, n, "%g us", v * 1e6);
        break;
    default:
        vz_format_number(v, step > 0 ? step : v, buf, n);
        break;
    }
}

/* ==== The legend ==== */

/* The legend names the series, then only what this chart shows: the band
 * phases, the kinds of mark and the notes within the time axis. */
enum { LEG_SERIES, LEG_BAND, LEG_MARK, LEG_NOTE };

typedef struct legend_entry {
    int what, index;
    const char *name;
} legend_entry;

static size_t legend_entries(const vz_chart *c, legend_entry *e)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_series && n < MAX_LEGEND; i++)
        e[n++] = (legend_entry){LEG_SERIES, (int)i, c->series[i].name};
    int phase[VZ_BAND_PHASES] = {0}, kind[VZ_MARK_KINDS] = {0}, notes = 0;
    for (size_t i = 0; i < c->n_bands; i++)
        if (c->bands[i].x1 >= c->x_min && c->bands[i].x0 <= c->x_max)
            phase[phase_of(&c->bands[i])] = 1;
    for (size_t i = 0; i < c->n_marks; i++)
        if (in_axis(c, c->marks[i].x))
            kind[kind_of(&c->marks[i])] = 1;
    for (size_t i = 0; i < c->n_notes; i++)
        notes |= in_axis(c, c->notes[i].x);
    for (int p = 0; p < VZ_BAND_PHASES; p++)
        if (phase[p] && n < MAX_LEGEND)
            e[n++] = (legend_entry){LEG_BAND, p, phase_names[p]};
    for (int k = 0; k < VZ_MARK_KINDS; k++)
        if (kind[k] && n < MAX_LEGEND)
            e[n++] = (legend_entry){LEG_MARK, k, mark_names[k]};
    if (notes && n < MAX_LEGEND)
        e[n++] = (legend_entry){LEG_NOTE, 0, "caption"};
    return n;
}

static double legend_entry_width(cairo_t *cr, const char *name) { return 24 + vz_text_width(cr, name) + 16; }

/* Lays out the legend entries in rows within width; returns the rows. */
static int legend_rows(cairo_t *cr, const vz_chart *c, double width)
{
    legend_entry e[MAX_LEGEND];
    size_t n = legend_entries(c, e);
    vz_font(cr, LABEL_SIZE, 0);
    double x = 0;
    int rows = 1;
    for (size_t i = 0; i < n; i++) {
        double w = legend_entry_width(cr, e[i].name);
        if (x > 0 && x + w > width) {
            rows++;
            x = 0;
        }
        x += w;
    }
    return n ? rows : 0;
}

/* ==== Layout ==== */

typedef struct layout {
    vz_plot_area a;
    double ticks[MAX_TICKS], step;
    size_t n_ticks;
    double legend_y;            /* top of the legend */
    int legend_rows;
    int notes;                  /* a row of notes over the plot */
    int mark_rows;              /* one row of marks per colour used */
    int mark_colour[VZ_PALETTE_SIZE];
} layout;

static void do_layout(cairo_t *cr, const vz_chart *c, double w, double h, layout *L)
{
    memset(L, 0, sizeof *L);
    y_ticks(c, &L->a.y_lo, &L->a.y_hi, L->ticks, &L->n_ticks, &L->step);
    vz_font(cr, LABEL_SIZE, 0);
    double label_w = 0;
    for (size_t i = 0; i < L->n_ticks; i++) {
        char buf[48];
        y_label_text(c, L->ticks[i], L->step, buf, sizeof buf);
        label_w = fmax(label_w, vz_text_width(cr, buf));
    }
    for (int i = 0; i < VZ_PALETTE_SIZE; i++)
        L->mark_colour[i] = -1;
    for (size_t i = 0; i < c->n_marks; i++) {
        int k = ((c->marks[i].colour % VZ_PALETTE_SIZE) + VZ_PALETTE_SIZE) % VZ_PALETTE_SIZE;
        if (L->mark_colour[k] < 0)
            L->mark_colour[k] = L->mark_rows++;
    }
    for (size_t i = 0; i < c->n_notes; i++)
        L->notes |= in_axis(c, c->notes[i].x);
    double top = PAD + TITLE_SIZE + 6;
    L->legend_y = top;
    L->legend_rows = legend_rows(cr, c, w - 2 * PAD);
    top += L->legend_rows * LEGEND_ROW + 6 + (L->notes ? NOTE_ROW : 0);
    double left = PAD + LABEL_SIZE + 6 + label_w + 8;
    double bottom = PAD + LABEL_SIZE + 8 + L->mark_rows * MARK_ROW + (L->mark_rows ? 4 : 0);
    L->a.x = left;
    L->a.y = top;
    L->a.w = fmax(10, w - left - PAD - 8);
    L->a.h = fmax(10, h - top - bottom);
}

void vz_chart_layout(cairo_t *cr, const vz_chart *c, double w, double h, vz_plot_area *out)
{
    layout L;
    do_layout(cr, c, w, h, &L);
    *out = L.a;
}

double vz_chart_x(const vz_chart *c, const vz_plot_area *a, double x)
{
    double span = c->x_max > c->x_min ? c->x_max - c->x_min : 1;
    return a->x + (x - c->x_min) / span * a->w;
}

static double map_y(const vz_chart *c, const vz_plot_area *a, double v)
{
    double f;
    if (c->y_log)
        f = (log10(v) - log10(a->y_lo)) / (log10(a->y_hi) - log10(a->y_lo));
    else
        f = (v - a->y_lo) / (a->y_hi - a->y_lo);
    return a->y + a->h - f * a->h;
}

static int mark_row(const layout *L, const vz_mark *m)
{
    return L->mark_colour[((m->colour % VZ_PALETTE_SIZE) + VZ_PALETTE_SIZE) % VZ_PALETTE_SIZE];
}

static double mark_row_y(const layout *L, int row) { return L->a.y + L->a.h + 4 + row * MARK_ROW + MARK_ROW / 2; }

/* ==== Shapes ==== */

static void draw_mark_shape(cairo_t *cr, int kind, double x, double y, double r)
{
    switch (kind) {
    case VZ_MARK_DETECT:
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r, y + r * 0.8);
        cairo_line_to(cr, x - r, y + r * 0.8);
        cairo_close_path(cr);
        break;
    case VZ_MARK_SWITCH:
        cairo_rectangle(cr, x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
        break;
    default:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    }
}

/* Diagonal lines over (x, y, w, h), rising (/) or falling (\); anchored
 * to the surface, not the rectangle, so that neighbouring stretches of
 * one phase join up. */
static void hatch(cairo_t *cr, double x, double y, double w, double h, int rising)
{
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    for (double u = floor((x - h) / HATCH) * HATCH; u <= x + w; u += HATCH) {
        cairo_move_to(cr, u, rising ? y + h : y);
        cairo_line_to(cr, u + h, rising ? y : y + h);
    }
    cairo_set_line_width(cr, 1);
    vz_set(cr, vz_band_fill, 0.5);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* A stretch of a band in its phase's style: the fault as a tint, the
 * building on batteries or generator light and hatched (nothing has failed
 * yet), dark as a deeper tint. */
static void fill_phase(cairo_t *cr, int phase, double x, double y, double w, double h)
{
    static const double tint[VZ_BAND_PHASES] = {0.18, 0.06, 0.06, 0.36};
    vz_set(cr, vz_band_fill, tint[phase]);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    if (phase == VZ_BAND_BATTERY || phase == VZ_BAND_GENERATOR)
        hatch(cr, x, y, w, h, phase == VZ_BAND_BATTERY);
}

/* A note's tag: its label in white on a dark rounded box, left edge at x. */
static double note_tag_width(cairo_t *cr, const char *label)
{
    vz_font(cr, COUNT_SIZE, 1);
    return fmax(NOTE_H, vz_text_width(cr, label) + 8);
}

static void draw_note_tag(cairo_t *cr, double x, double y, const char *label)
{
    double w = note_tag_width(cr, label), r = 3;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + NOTE_H - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + NOTE_H - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr);
    vz_set(cr, vz_axis, 1);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    vz_text(cr, x + w / 2, y + NOTE_H / 2, label, VZ_CENTRE, VZ_MIDDLE);
}

static void draw_legend(cairo_t *cr, const vz_chart *c, const layout *L, double x0, double width)
{
    legend_entry e[MAX_LEGEND];
    size_t n = legend_entries(c, e);
    double x = 0, y = L->legend_y + LEGEND_ROW / 2;
    for (size_t i = 0; i < n; i++) {
        vz_font(cr, LABEL_SIZE, 0);
        double w = legend_entry_width(cr, e[i].name);
        if (x > 0 && x + w > width) {
            x = 0;
            y += LEGEND_ROW;
        }
        double sx = x0 + x;
        if (e[i].what == LEG_SERIES) {
            const vz_series *s = &c->series[e[i].index];
            vz_set_colour(cr, s->colour, 1);
            if (c->stacked) {
                cairo_rectangle(cr, sx, y - 5, 18, 10);
                cairo_fill(cr);
            } else {
                cairo_set_line_width(cr, 2.5);
                if (s->dashed) {
                    double dash[] = {5, 3};
                    cairo_set_dash(cr, dash, 2, 0);
                }
                cairo_move_to(cr, sx, y);
                cairo_line_to(cr, sx + 18, y);
                cairo_stroke(cr);
                cairo_set_dash(cr, NULL, 0, 0);
            }
        } else if (e[i].what == LEG_BAND) {
            fill_phase(cr, e[i].index, sx, y - 6, 18, 12);
            vz_set(cr, vz_band_fill, 0.8);
            cairo_set_line_width(cr, 1);
            cairo_rectangle(cr, sx + 0.5, y - 5.5, 17, 11);
            cairo_stroke(cr);
        } else if (e[i].what == LEG_MARK) {
            vz_set(cr, vz_axis, 1);
            draw_mark_shape(cr, e[i].index, sx + 9, y, 4.5);
            cairo_fill(cr);
        } else {
            draw_note_tag(cr, sx + 2, y - NOTE_H / 2, "n");
        }
        vz_font(cr, LABEL_SIZE, 0);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, sx + 24, y, e[i].name, VZ_LEFT, VZ_MIDDLE);
        x += w;
    }
}

/* ==== Parts ==== */

static void draw_grid_and_axes(cairo_t *cr, const vz_chart *c, const layout *L)
{
    const vz_plot_area *a = &L->a;
    cairo_set_line_width(cr, 1);
    vz_font(cr, LABEL_SIZE, 0);
    for (size_t i = 0; i < L->n_ticks; i++) {
        double y = floor(map_y(c, a, L->ticks[i])) + 0.5;
        vz_set(cr, vz_grid, 1);
        cairo_move_to(cr, a->x, y);
        cairo_line_to(cr, a->x + a->w, y);
        cairo_stroke(cr);
        char buf[48];
        y_label_text(c, L->ticks[i], L->step, buf, sizeof buf);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, a->x - 6, y, buf, VZ_RIGHT, VZ_MIDDLE);
    }
    /* Time ticks, labels kept apart. */
    double xt[MAX_TICKS], xstep;
    size_t nx = vz_ticks_time(c->x_min, c->x_max, c->origin_clock, (int)fmax(2, a->w / 110), xt, MAX_TICKS, &xstep);
    double last_end = -1e9, label_y = a->y + a->h + 6 + L->mark_rows * MARK_ROW + (L->mark_rows ? 4 : 0);
    for (size_t i = 0; i < nx; i++) {
        double x = floor(vz_chart_x(c, a, xt[i])) + 0.5;
        vz_set(cr, vz_grid, 0.7);
        cairo_move_to(cr, x, a->y);
        cairo_line_to(cr, x, a->y + a->h);
        cairo_stroke(cr);
        vz_set(cr, vz_axis, 1);
        cairo_move_to(cr, x, a->y + a->h);
        cairo_line_to(cr, x, a->y + a->h + 4);
        cairo_stroke(cr);
        char buf[48];
        vz_format_clock(c->origin_clock, xt[i], xstep, buf, sizeof buf);
        double tw = vz_text_width(cr, buf);
        if (x - tw / 2 > last_end + 8 && x + tw / 2 <= a->x + a->w + PAD) {
            vz_set(cr, vz_ink, 1);
            vz_text(cr, x, label_y, buf, VZ_CENTRE, VZ_TOP);
            last_end = x + tw / 2;
        }
    }
    vz_set(cr, vz_axis, 1);
    cairo_move_to(cr, a->x + 0.5, a->y);
    cairo_line_to(cr, a->x + 0.5, a->y + a->h + 0.5);
    cairo_line_to(cr, a->x + a->w, a->y + a->h + 0.5);
    cairo_stroke(cr);
    /* The unit, up the left side. */
    if (c->y_label) {
        cairo_save(cr);
        cairo_translate(cr, PAD + LABEL_SIZE, a->y + a->h / 2);
        cairo_rotate(cr, -M_PI / 2);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, 0, 0, c->y_label, VZ_CENTRE, VZ_BASELINE);
        cairo_restore(cr);
    }
}

/* "power: HZ-A, on batteries, 00:01:00 to 00:11:00" */
static void band_tip(cairo_t *cr, const vz_chart *c, const vz_band *b, double x, double y, double w, double h)
{
    char from[32], to[32], tip[320];
    vz_format_clock(c->origin_clock, b->x0, 1, from, sizeof from);
    vz_format_clock(c->origin_clock, b->x1, 1, to, sizeof to);
    snprintf(tip, sizeof tip, "%s, %s to %s%s", b->label ? b->label : phase_names[phase_of(b)], from, to,
             b->x1 > c->x_max ? " (after the end)" : "");
    vz_tip(cr, x, y, w, h, tip);
}

static void draw_bands(cairo_t *cr, const vz_chart *c, const layout *L)
{
    const vz_plot_area *a = &L->a;
    double row_end[3] = {-1e9, -1e9, -1e9};
    for (size_t i = 0; i < c->n_bands; i++) {
        const vz_band *b = &c->bands[i];
        double x0 = fmax(c->x_min, b->x0), x1 = fmin(c->x_max, b->x1);
        if (x1 < x0)
            continue;
        double px0 = vz_chart_x(c, a, x0), px1 = fmax(vz_chart_x(c, a, x1), px0 + 1.5);
        if (!c->stacked) {
            fill_phase(cr, phase_of(b), px0, a->y, px1 - px0, a->h);
        } else {
            /* Over stacked areas a fill would read as a change of colour:
             * the phase goes in a strip along the top, the edges down. */
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_rectangle(cr, px0, a->y, px1 - px0, STRIP);
            cairo_fill(cr);
            fill_phase(cr, phase_of(b), px0, a->y, px1 - px0, STRIP);
            vz_set(cr, vz_band_fill, 0.8);
            cairo_set_line_width(cr, 1);
            cairo_move_to(cr, px0, a->y + STRIP + 0.5);
            cairo_line_to(cr, px1, a->y + STRIP + 0.5);
            cairo_stroke(cr);
            if (px1 < a->x + a->w - 1) {
                vz_set(cr, vz_band_fill, 0.8);
                cairo_set_line_width(cr, 1);
                cairo_move_to(cr, floor(px1) + 0.5, a->y);
                cairo_line_to(cr, floor(px1) + 0.5, a->y + a->h);
                cairo_stroke(cr);
            }
        }
        vz_set(cr, vz_band_fill, 0.8);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, floor(px0) + 0.5, a->y);
        cairo_line_to(cr, floor(px0) + 0.5, a->y + a->h);
        cairo_stroke(cr);
        band_tip(cr, c, b, px0, a->y, px1 - px0, a->h);
        if (!b->label)
            continue;
        /* The label at the band's top, in the first row where it fits. */
        vz_font(cr, SMALL_SIZE, 0);
        double tw = vz_text_width(cr, b->label), top = a->y + 4 + (c->stacked ? STRIP : 0);
        double lx = px0 + 4;
        if (lx + tw > a->x + a->w)
            lx = a->x + a->w - tw - 2;
        for (int r = 0; r < 3; r++)
            if (lx > row_end[r] + 6) {
                if (c->stacked) { /* over coloured areas: on a white ground */
                    cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
                    cairo_rectangle(cr, lx - 2, top + r * (SMALL_SIZE + 3) - 1, tw + 4, SMALL_SIZE + 3);
                    cairo_fill(cr);
                }
                vz_set(cr, vz_band_text, 1);
                vz_text(cr, lx, top + r * (SMALL_SIZE + 3), b->label, VZ_LEFT, VZ_TOP);
                row_end[r] = lx + tw;
                break;
            }
    }
}

static void draw_lines(cairo_t *cr, const vz_chart *c, const layout *L)
{
    const vz_plot_area *a = &L->a;
    cairo_save(cr);
    cairo_rectangle(cr, a->x, a->y - 2, a->w + 1, a->h + 3);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_width(cr, 1.8);
    for (size_t k = 0; k < c->n_series; k++) {
        const vz_series *sr = &c->series[c->first_on_top ? c->n_series - 1 - k : k];
        int pen = 0;
        for (size_t i = 0; i < sr->n; i++) {
            double v = sr->y[i];
            if (!isfinite(v) || (c->y_log && v <= 0)) {
                pen = 0;
                continue;
            }
            double px = vz_chart_x(c, a, sr->x[i]), py = map_y(c, a, v);
            if (pen)
                cairo_line_to(cr, px, py);
            else
                cairo_move_to(cr, px, py);
            pen = 1;
        }
        vz_set_colour(cr, sr->colour, 0.95);
        if (sr->dashed) {
            double dash[] = {6, 4};
            cairo_set_dash(cr, dash, 2, 0);
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_restore(cr);
}

static void draw_stacked(cairo_t *cr, const vz_chart *c, const layout *L)
{
    const vz_plot_area *a = &L->a;
    if (c->n_series == 0)
        return;
    size_t n = c->series[0].n;
    const double *x = c->series[0].x;
    cairo_save(cr);
    cairo_rectangle(cr, a->x, a->y, a->w, a->h);
    cairo_clip(cr);
    /* Each layer: its top edge left to right, the layer below right to left. */
    for (size_t s = 0; s < c->n_series; s++) {
        for (size_t i = 0; i < n; i++) {
            double top = 0;
            for (size_t k = 0; k <= s; k++)
                top += isfinite(c->series[k].y[i]) ? c->series[k].y[i] : 0;
            double px = vz_chart_x(c, a, x[i]), py = map_y(c, a, top);
            if (i == 0)
                cairo_move_to(cr, px, py);
            else
                cairo_line_to(cr, px, py);
        }
        for (size_t j = n; j-- > 0;) {
            double below = 0;
            for (size_t k = 0; k < s; k++)
                below += isfinite(c->series[k].y[j]) ? c->series[k].y[j] : 0;
            cairo_line_to(cr, vz_chart_x(c, a, x[j]), map_y(c, a, below));
        }
        cairo_close_path(cr);
        vz_set_colour(cr, c->series[s].colour, 0.85);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

/* ==== Marks and notes, grouped ==== */

typedef struct keyed {
    int row;
    double x;
    size_t i;
} keyed;

static int by_row_then_x(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i; /* ties in the order given: the same bytes every time */
}

/* The marks (of_marks) or the notes within the time axis, by row then x;
 * NULL with *n = 0 when there are none or no memory (then none is drawn). */
static keyed *sorted(const vz_chart *c, const layout *L, int of_marks, size_t *n)
{
    size_t total = of_marks ? c->n_marks : c->n_notes;
    keyed *k = total ? sim_malloc(total * sizeof *k) : NULL;
    *n = 0;
    if (!k)
        return NULL;
    for (size_t i = 0; i < total; i++) {
        double x = of_marks ? c->marks[i].x : c->notes[i].x;
        if (in_axis(c, x))
            k[(*n)++] = (keyed){of_marks ? mark_row(L, &c->marks[i]) : 0, x, i};
    }
    qsort(k, *n, sizeof *k, by_row_then_x);
    return k;
}

static void count_text(int count, char *buf, size_t n) { snprintf(buf, n, "%d", count); }

/* Where a group's glyphs end: each kind present, then its count. */
static double group_right(cairo_t *cr, const vz_mark_group *g)
{
    double x = g->x - MARK_R;
    vz_font(cr, COUNT_SIZE, 1);
    for (int k = 0; k < VZ_MARK_KINDS; k++) {
        if (!g->count[k])
            continue;
        x += 2 * MARK_R + 1;
        if (g->count[k] > 1) {
            char num[16];
            count_text(g->count[k], num, sizeof num);
            x += vz_text_width(cr, num) + 1;
        }
        x += 2;
    }
    return x;
}

typedef struct mgroup {
    vz_mark_group g;
    size_t from, to;            /* its marks: k[from..to) of the sorted list */
} mgroup;

/* Groups the sorted marks k[0..n) into out (room for n); returns how many. */
static size_t group_marks(cairo_t *cr, const vz_chart *c, const layout *L, const keyed *k, size_t n, mgroup *out)
{
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        double px = vz_chart_x(c, &L->a, k[i].x);
        mgroup *g = ng ? &out[ng - 1] : NULL;
        if (!g || g->g.row != k[i].row || px > g->g.right + GROUP_GAP) {
            g = &out[ng++];
            memset(g, 0, sizeof *g);
            g->g.x = px;
            g->g.y = mark_row_y(L, k[i].row);
            g->g.row = k[i].row;
            g->from = i;
        }
        g->g.n++;
        g->g.count[kind_of(&c->marks[k[i].i])]++;
        g->to = i + 1;
        g->g.right = group_right(cr, &g->g);
    }
    return ng;
}

/* Appends a line to a tooltip, within its size. */
static void tip_line(char *tip, size_t *at, const char *text)
{
    if (*at >= TIP_MAX - 1)
        return;
    *at += (size_t)snprintf(tip + *at, TIP_MAX - *at, "%s%s", *at ? "\n" : "", text);
    if (*at > TIP_MAX - 1)
        *at = TIP_MAX - 1;
}

/* Every mark of the group: what, where, when (its title, else its kind
 * and clock time), the first TIP_LINES of them. */
static void mark_group_tip(const vz_chart *c, const mgroup *g, const keyed *k, char *tip)
{
    size_t at = 0;
    tip[0] = 0;
    if (g->g.n > 1) {
        char head[160];
        size_t h = (size_t)snprintf(head, sizeof head, "%zu events:", g->g.n);
        for (int kind = 0; kind < VZ_MARK_KINDS; kind++)
            if (g->g.count[kind] && h < sizeof head)
                h += (size_t)snprintf(head + h, sizeof head - h, " %d %s", g->g.count[kind], mark_names[kind]);
        tip_line(tip, &at, head);
    }
    for (size_t i = g->from; i < g->to; i++) {
        if (i - g->from == TIP_LINES) {
            char more[64];
            snprintf(more, sizeof more, "... and %zu more", g->to - i);
            tip_line(tip, &at, more);
            break;
        }
        const vz_mark *m = &c->marks[k[i].i];
        char line[128], clock[32];
        if (!m->title) {
            vz_format_clock(c->origin_clock, m->x, 1, clock, sizeof clock);
            snprintf(line, sizeof line, "%s at %s", mark_names[kind_of(m)], clock);
        }
        tip_line(tip, &at, m->title ? m->title : line);
    }
}

static void draw_mark_group(cairo_t *cr, const vz_chart *c, const mgroup *g, const keyed *k, char *tip)
{
    int colour = c->marks[k[g->from].i].colour;
    double x = g->g.x - MARK_R, y = g->g.y;
    for (int kind = 0; kind < VZ_MARK_KINDS; kind++) {
        if (!g->g.count[kind])
            continue;
        draw_mark_shape(cr, kind, x + MARK_R, y, MARK_R);
        vz_set_colour(cr, colour, 1);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, 0.8);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
        cairo_stroke(cr);
        x += 2 * MARK_R + 1;
        if (g->g.count[kind] > 1) {
            char num[16];
            count_text(g->g.count[kind], num, sizeof num);
            vz_font(cr, COUNT_SIZE, 1);
            vz_set(cr, vz_ink, 1);
            vz_text(cr, x, y, num, VZ_LEFT, VZ_MIDDLE);
            x += vz_text_width(cr, num) + 1;
        }
        x += 2;
    }
    mark_group_tip(c, g, k, tip);
    vz_tip(cr, g->g.x - MARK_R - 1, y - MARK_ROW / 2, g->g.right - g->g.x + MARK_R + 2, MARK_ROW, tip);
}

/* The groups with their place in the sorted marks; NULL when none. */
static mgroup *mark_groups(cairo_t *cr, const vz_chart *c, const layout *L, keyed **k, size_t *ng)
{
    size_t n;
    *k = sorted(c, L, 1, &n);
    mgroup *g = n ? sim_malloc(n * sizeof *g) : NULL;
    *ng = g ? group_marks(cr, c, L, *k, n, g) : 0;
    return g;
}

static void draw_marks(cairo_t *cr, const vz_chart *c, const layout *L)
{
    keyed *k;
    size_t ng;
    mgroup *g = mark_groups(cr, c, L, &k, &ng);
    char *tip = g ? sim_malloc(TIP_MAX) : NULL;
    for (size_t i = 0; tip && i < ng; i++)
        draw_mark_group(cr, c, &g[i], k, tip);
    sim_free(tip);
    sim_free(g);
    sim_free(k);
}

size_t vz_chart_mark_groups(cairo_t *cr, const vz_chart *c, double w, double h, vz_mark_group *out, size_t max)
{
    layout L;
    do_layout(cr, c, w, h, &L);
    keyed *k;
    size_t ng;
    mgroup *g = mark_groups(cr, c, &L, &k, &ng);
    for (size_t i = 0; i < ng && i < max; i++)
        out[i] = g[i].g;
    sim_free(g);
    sim_free(k);
    return ng;
}

/* Labels in reading order: numbers by value ("3" before "10"), others
 * as text after them. */
static int label_order(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    char *ea, *eb;
    long na = strtol(a, &ea, 10), nb = strtol(b, &eb, 10);
    int num_a = ea != a && !*ea, num_b = eb != b && !*eb;
    if (num_a && num_b && na != nb)
        return na < nb ? -1 : 1;
    if (num_a != num_b)
        return num_a ? -1 : 1;
    return strcmp(a, b);
}

/* The tag of notes k[i..j): their labels, each once and in order
 * ("3,4,5"), or the first and the last ("3…9") when that would make a
 * long tag. */
static void note_label(const vz_chart *c, const keyed *k, size_t i, size_t j, char *buf, size_t n)
{
    const char *labels[32];
    size_t nl = 0;
    for (size_t m = i; m < j && nl < sizeof labels / sizeof *labels; m++) {
        const char *l = c->notes[k[m].i].label ? c->notes[k[m].i].label : "";
        int seen = 0; /* a caption several stages reached at moments apart */
        for (size_t p = 0; p < nl && !seen; p++)
            seen = !strcmp(labels[p], l);
        if (!seen)
            labels[nl++] = l;
    }
    qsort(labels, nl, sizeof *labels, label_order);
    size_t at = 0;
    buf[0] = 0;
    for (size_t p = 0; p < nl && at < n; p++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s", p ? "," : "", labels[p]);
    if (at > 12)
        snprintf(buf, n, "%s\u2026%s", labels[0], labels[nl - 1]);
}

/* Notes k[i..) that go on one tag: each falls on the tag of those before it. */
static size_t note_group_end(cairo_t *cr, const vz_chart *c, const layout *L, const keyed *k, size_t n, size_t i)
{
    double left = vz_chart_x(c, &L->a, k[i].x) - NOTE_H / 2;
    size_t j = i + 1;
    char label[64];
    for (; j < n; j++) {
        note_label(c, k, i, j, label, sizeof label);
        if (vz_chart_x(c, &L->a, k[j].x) > left + note_tag_width(cr, label) + GROUP_GAP)
            break;
    }
    return j;
}

/* The notes: with tags 0, a dotted line down the plot at each one's moment
 * (drawn under the lines); with tags 1, the tags over the plot with their
 * tooltips. */
static void draw_notes(cairo_t *cr, const vz_chart *c, const layout *L, int tags)
{
    size_t n;
    keyed *k = sorted(c, L, 0, &n);
    char *tip = k ? sim_malloc(TIP_MAX) : NULL;
    double y = L->a.y - NOTE_ROW + 2;
    for (size_t i = 0, j; tip && i < n; i = j) {
        j = note_group_end(cr, c, L, k, n, i);
        if (!tags) {
            cairo_save(cr);
            double dash[] = {2, 3};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_set_line_width(cr, 1);
            vz_set(cr, vz_axis, 0.55);
            for (size_t m = i; m < j; m++) {
                double px = floor(vz_chart_x(c, &L->a, k[m].x)) + 0.5;
                cairo_move_to(cr, px, y + NOTE_H);
                cairo_line_to(cr, px, L->a.y + L->a.h);
            }
            cairo_stroke(cr);
            cairo_restore(cr);
            continue;
        }
        char label[64];
        size_t at = 0;
        tip[0] = 0;
        note_label(c, k, i, j, label, sizeof label);
        for (size_t m = i; m < j; m++) {
            const vz_note *nt = &c->notes[k[m].i];
            tip_line(tip, &at, nt->title ? nt->title : nt->label ? nt->label : "");
        }
        double left = vz_chart_x(c, &L->a, k[i].x) - NOTE_H / 2;
        draw_note_tag(cr, left, y, label);
        vz_tip(cr, left, y, note_tag_width(cr, label), NOTE_H, tip);
    }
    sim_free(tip);
    sim_free(k);
}

void vz_chart_draw(cairo_t *cr, const vz_chart *c, double x, double y, double w, double h)
{
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    layout L;
    do_layout(cr, c, w, h, &L);
    vz_font(cr, TITLE_SIZE, 1);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, PAD, PAD, c->title ? c->title : "", VZ_LEFT, VZ_TOP);
    draw_legend(cr, c, &L, PAD, w - 2 * PAD);
    draw_grid_and_axes(cr, c, &L);
    if (c->stacked) { /* opaque areas: the bands go over them */
        draw_stacked(cr, c, &L);
        draw_bands(cr, c, &L);
        draw_notes(cr, c, &L, 0);
    } else {
        draw_bands(cr, c, &L);
        draw_notes(cr, c, &L, 0);
        draw_lines(cr, c, &L);
    }
    draw_notes(cr, c, &L, 1);
    draw_marks(cr, c, &L);
    cairo_restore(cr);
}
