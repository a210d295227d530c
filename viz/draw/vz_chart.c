/* vz_chart.c -- drawing a time chart: layout (measured text decides the
 * margins), grid and ticks, fault bands, the lines or stacked areas, the
 * event marks under the plot, and the legend under the title. */
#include "vz_chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vz_palette.h"
#include "vz_text.h"
#include "vz_ticks.h"

#define PAD 10.0
#define TITLE_SIZE 15.0
#define LABEL_SIZE 12.0
#define SMALL_SIZE 11.0
#define LEGEND_ROW 18.0
#define MARK_ROW 12.0
#define MAX_TICKS 64

static const char *const mark_names[VZ_MARK_KINDS] = {"detected", "switched", "promoted"};

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

/* ==== Layout ==== */

typedef struct layout {
    vz_plot_area a;
    double ticks[MAX_TICKS], step;
    size_t n_ticks;
    double legend_y;            /* top of the legend */
    int legend_rows;
    int mark_rows;              /* one row of marks per colour used */
    int mark_colour[VZ_PALETTE_SIZE];
} layout;

static int legend_entry_width(cairo_t *cr, const char *name, double *w)
{
    *w = 24 + vz_text_width(cr, name) + 16;
    return 0;
}

/* Lays out the legend entries in rows within width; returns the rows. */
static int legend_rows(cairo_t *cr, const vz_chart *c, double width)
{
    vz_font(cr, LABEL_SIZE, 0);
    double x = 0, w;
    int rows = 1;
    size_t n = c->n_series + (c->n_bands > 0) + (c->n_marks > 0 ? VZ_MARK_KINDS : 0);
    for (size_t i = 0; i < n; i++) {
        const char *name = i < c->n_series ? c->series[i].name
                           : i == c->n_series && c->n_bands ? "fault"
                                                            : mark_names[i - c->n_series - (c->n_bands > 0)];
        legend_entry_width(cr, name, &w);
        if (x > 0 && x + w > width) {
            rows++;
            x = 0;
        }
        x += w;
    }
    return c->n_series || c->n_bands ? rows : 0;
}

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
        int k = c->marks[i].colour % VZ_PALETTE_SIZE;
        if (L->mark_colour[k] < 0)
            L->mark_colour[k] = L->mark_rows++;
    }
    double top = PAD + TITLE_SIZE + 6;
    L->legend_y = top;
    L->legend_rows = legend_rows(cr, c, w - 2 * PAD);
    top += L->legend_rows * LEGEND_ROW + 6;
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

/* ==== Parts ==== */

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

static void draw_legend(cairo_t *cr, const vz_chart *c, const layout *L, double x0, double width)
{
    vz_font(cr, LABEL_SIZE, 0);
    double x = 0, y = L->legend_y + LEGEND_ROW / 2;
    size_t n = c->n_series + (c->n_bands > 0) + (c->n_marks > 0 ? VZ_MARK_KINDS : 0);
    for (size_t i = 0; i < n; i++) {
        int is_series = i < c->n_series, is_band = !is_series && i == c->n_series && c->n_bands;
        const char *name = is_series ? c->series[i].name : is_band ? "fault" : mark_names[i - c->n_series - (c->n_bands > 0)];
        double w;
        legend_entry_width(cr, name, &w);
        if (x > 0 && x + w > width) {
            x = 0;
            y += LEGEND_ROW;
        }
        double sx = x0 + x;
        if (is_series) {
            const vz_series *s = &c->series[i];
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
        } else if (is_band) {
            vz_set(cr, vz_band_fill, 0.22);
            cairo_rectangle(cr, sx, y - 6, 18, 12);
            cairo_fill(cr);
        } else {
            vz_set(cr, vz_axis, 1);
            draw_mark_shape(cr, (int)(i - c->n_series - (c->n_bands > 0)), sx + 9, y, 4.5);
            cairo_fill(cr);
        }
        vz_set(cr, vz_ink, 1);
        vz_text(cr, sx + 24, y, name, VZ_LEFT, VZ_MIDDLE);
        x += w;
    }
}

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

static void draw_bands(cairo_t *cr, const vz_chart *c, const layout *L)
{
    const vz_plot_area *a = &L->a;
    double row_end[3] = {-1e9, -1e9, -1e9};
    vz_font(cr, SMALL_SIZE, 0);
    for (size_t i = 0; i < c->n_bands; i++) {
        double x0 = fmax(c->x_min, c->bands[i].x0), x1 = fmin(c->x_max, c->bands[i].x1);
        if (x1 < x0)
            continue;
        double px0 = vz_chart_x(c, a, x0), px1 = fmax(vz_chart_x(c, a, x1), px0 + 1.5);
        if (!c->stacked) { /* over stacked areas a fill would read as a change of colour */
            vz_set(cr, vz_band_fill, 0.18);
            cairo_rectangle(cr, px0, a->y, px1 - px0, a->h);
            cairo_fill(cr);
        } else if (px1 < a->x + a->w - 1) {
            vz_set(cr, vz_band_fill, 0.8);
            cairo_set_line_width(cr, 1);
            cairo_move_to(cr, floor(px1) + 0.5, a->y);
            cairo_line_to(cr, floor(px1) + 0.5, a->y + a->h);
            cairo_stroke(cr);
        }
        vz_set(cr, vz_band_fill, 0.8);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, floor(px0) + 0.5, a->y);
        cairo_line_to(cr, floor(px0) + 0.5, a->y + a->h);
        cairo_stroke(cr);
        if (!c->bands[i].label)
            continue;
        /* The label at the band's top, in the first row where it fits. */
        double tw = vz_text_width(cr, c->bands[i].label);
        double lx = px0 + 4;
        if (lx + tw > a->x + a->w)
            lx = a->x + a->w - tw - 2;
        for (int r = 0; r < 3; r++)
            if (lx > row_end[r] + 6) {
                vz_set(cr, vz_band_text, 1);
                vz_text(cr, lx, a->y + 4 + r * (SMALL_SIZE + 3), c->bands[i].label, VZ_LEFT, VZ_TOP);
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
    for (size_t s = 0; s < c->n_series; s++) {
        const vz_series *sr = &c->series[s];
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

static void draw_marks(cairo_t *cr, const vz_chart *c, const layout *L)
{
    const vz_plot_area *a = &L->a;
    for (size_t i = 0; i < c->n_marks; i++) {
        const vz_mark *m = &c->marks[i];
        if (m->x < c->x_min || m->x > c->x_max)
            continue;
        int row = L->mark_colour[m->colour % VZ_PALETTE_SIZE];
        double y = a->y + a->h + 4 + row * MARK_ROW + MARK_ROW / 2;
        draw_mark_shape(cr, m->kind, vz_chart_x(c, a, m->x), y, 4);
        vz_set_colour(cr, m->colour, 1);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, 0.8);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
        cairo_stroke(cr);
    }
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
    } else {
        draw_bands(cr, c, &L);
        draw_lines(cr, c, &L);
    }
    draw_marks(cr, c, &L);
    cairo_restore(cr);
}
