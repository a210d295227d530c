/* rpt_batch.c -- a batch's report: charts of each measure against each
 * numeric swept parameter (x the parameter's value, y the mean over seeds,
 * the 95% interval as error bars), or against the parameter points when no
 * parameter is a number, and summary.html holding the table and the charts
 * inline. vz_chart's x axis is clock time, so these charts draw their own
 * value axis, with the same fonts, palette, greys and round ticks
 * (vz_text, vz_palette, vz_ticks); vz_surface writes the files. */
#include "rpt_batch.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_alloc.h"
#include "sim_escape.h"
#include "sim_file.h"
#include "sim_status.h"
#include "vz_palette.h"
#include "vz_surface.h"
#include "vz_text.h"
#include "vz_ticks.h"

#define CHART_W 600.0          /* two abreast in the HTML, as the comparison report's small charts */
#define CHART_H 360.0
#define PAD 10.0
#define TITLE_SIZE 15.0
#define LABEL_SIZE 12.0
#define SMALL_SIZE 11.0
#define LEGEND_ROW 18.0
#define MAX_LINES 6             /* more lines than this cannot be told apart: they are averaged */
#define MAX_CATEGORIES 40       /* points on one chart without a numeric parameter */
#define MAX_TICKS 64
#define TEXT 160
#define SLANT (M_PI / 5)        /* category labels that do not fit across */

const char *const rpt_batch_columns[RPT_BATCH_COLUMNS] = {
    "stage", "point", "ok", "failed", "availability", "RTO", "recovery", "lost writes", "p99"};

static const char *const measure_file[RPT_BATCH_MEASURES] = {"availability", "rto", "lost_writes", "p99"};
static const char *const measure_title[RPT_BATCH_MEASURES] = {"Availability", "RTO", "Lost writes", "p99 latency"};
static const char *const measure_axis[RPT_BATCH_MEASURES] = {
    "availability (%)", "RTO of recovered runs (s)", "lost writes per run", "p99 latency (ms)"};
/* Dash patterns for the other parameters' combinations (on, off, ...). */
static const double dashes[MAX_LINES][4] = {{0}, {7, 4}, {2, 3}, {9, 3, 2, 3}, {4, 2}, {12, 4}};
static const int dash_len[MAX_LINES] = {0, 2, 2, 4, 2, 2};

typedef struct line {
    char name[TEXT];
    int colour, dash;
    double *y, *half;           /* n_x each; NaN y: no point there */
    double *ok, *unrecovered;   /* n_x each: runs there, and those never recovered (RTO charts mark them) */
} line;

typedef struct chart {
    char file[TEXT], title[TEXT], subtitle[2 * TEXT], x_label[TEXT];
    int measure, categories, log_x;
    double h;
    size_t n_x;
    double *x;                  /* numbers: the values, ascending; categories: 0, 1, ... */
    const char **x_text;        /* categories: the points as written */
    line *lines;
    size_t n_lines;
} chart;

/* ==== Building the charts ==== */

/* snprintf for labels, where a long name is cut rather than refused. */
static void put(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* "users=100M, db=mysql": the group's values of every parameter but skip. */
static void others_text(const rpt_batch *b, const rpt_batch_group *g, size_t skip, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = 0;
    for (size_t p = 0; p < b->n_params && at < n; p++)
        if (p != skip)
            at += (size_t)snprintf(buf + at, n - at, "%s%s=%s", at ? ", " : "", b->params[p], g->param_text[p]);
}

static const char *stage_name(const rpt_batch *b, int index)
{
    for (size_t i = 0; i < b->n_groups; i++)
        if (b->groups[i].stage_index == index)
            return b->groups[i].stage;
    return "";
}

/* Storage for n lines of the chart's n_x points, every y NaN. */
static int alloc_lines(chart *c, size_t n)
{
    c->lines = sim_calloc(n, sizeof *c->lines);
    double *v = c->lines ? sim_calloc(4 * n * c->n_x + 1, sizeof *v) : NULL;
    if (!v)
        return SIM_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        line *l = &c->lines[k];
        l->y = v + 4 * k * c->n_x;
        l->half = l->y + c->n_x;
        l->ok = l->half + c->n_x;
        l->unrecovered = l->ok + c->n_x;
        for (size_t i = 0; i < 2 * c->n_x; i++)
            l->y[i] = NAN;
    }
    c->n_lines = n;
    return SIM_OK;
}

/* Fills each line's points from the groups: line_of[g] and x_of[g] place
 * group g. Several groups at one place (the other parameters averaged)
 * give the mean of their means with equal weight, and an interval whose
 * half-width is sqrt(sum of half^2) / k -- independent runs' errors add in
 * quadrature; a group without a value is left out of the average. */
static int fill_points(const rpt_batch *b, chart *c, const size_t *line_of, const size_t *x_of)
{
    size_t cells = c->n_lines * c->n_x;
    double *acc = sim_calloc(3 * cells + 1, sizeof *acc); /* sum of means, sum of half^2, count */
    if (!acc)
        return SIM_ENOMEM;
    for (size_t g = 0; g < b->n_groups; g++) {
        const rpt_batch_stat *s = &b->groups[g].m[c->measure];
        size_t k = line_of[g] * c->n_x + x_of[g];
        c->lines[line_of[g]].ok[x_of[g]] += (double)b->groups[g].ok;
        c->lines[line_of[g]].unrecovered[x_of[g]] += (double)b->groups[g].not_recovered;
        if (isnan(s->mean))
            continue;
        acc[3 * k] += s->mean;
        acc[3 * k + 1] += s->half * s->half; /* NaN (one run) stays NaN: no interval */
        acc[3 * k + 2] += 1;
    }
    for (size_t k = 0; k < cells; k++)
        if (acc[3 * k + 2] > 0) {
            line *l = &c->lines[k / c->n_x];
            l->y[k % c->n_x] = acc[3 * k] / acc[3 * k + 2];
            l->half[k % c->n_x] = sqrt(acc[3 * k + 1]) / acc[3 * k + 2];
        }
    sim_free(acc);
    return SIM_OK;
}

/* The lines of a chart against parameter p: one per (stage, values of the
 * other parameters) when there are at most MAX_LINES, else one per stage
 * averaged over the others (said in the subtitle). Colour is the stage's;
 * the dash tells the other parameters' combination (one stage alone: its
 * colour does). */
static int numeric_lines(const rpt_batch *b, chart *c, size_t p, size_t *line_of, int n_stages)
{
    char keys[MAX_LINES + 1][TEXT], others[MAX_LINES + 1][TEXT], buf[TEXT];
    int key_stage[MAX_LINES + 1], key_other[MAX_LINES + 1];
    size_t n_keys = 0, n_others = 0;
    for (size_t g = 0; g < b->n_groups && n_keys <= MAX_LINES; g++) {
        const rpt_batch_group *gr = &b->groups[g];
        others_text(b, gr, p, buf, sizeof buf);
        size_t o = 0, k = 0;
        while (o < n_others && strcmp(others[o], buf))
            o++;
        if (o == n_others && n_others <= MAX_LINES)
            snprintf(others[n_others++], TEXT, "%s", buf);
        while (k < n_keys && !(key_stage[k] == gr->stage_index && key_other[k] == (int)o))
            k++;
        if (k == n_keys && n_keys <= MAX_LINES) {
            key_stage[n_keys] = gr->stage_index;
            key_other[n_keys] = (int)o;
            snprintf(keys[n_keys++], TEXT, "%s", buf);
        }
        line_of[g] = k;
    }
    if (n_keys > MAX_LINES) { /* one line per stage */
        for (size_t g = 0; g < b->n_groups; g++)
            line_of[g] = (size_t)b->groups[g].stage_index;
        if (alloc_lines(c, (size_t)n_stages))
            return SIM_ENOMEM;
        for (int s = 0; s < n_stages; s++) {
            snprintf(c->lines[s].name, TEXT, "%s", stage_name(b, s));
            c->lines[s].colour = s;
        }
        if (b->n_params > 1)
            snprintf(c->subtitle, sizeof c->subtitle, "A line per stage, averaged over the other parameters; bars: 95%% intervals.");
        return SIM_OK;
    }
    if (alloc_lines(c, n_keys))
        return SIM_ENOMEM;
    for (size_t k = 0; k < n_keys; k++) {
        line *l = &c->lines[k];
        const char *st = stage_name(b, key_stage[k]);
        if (!keys[k][0])
            put(l->name, TEXT, "%s", st);
        else if (n_stages == 1)
            put(l->name, TEXT, "%s", keys[k]);
        else
            put(l->name, TEXT, "%s, %s", st, keys[k]);
        l->colour = n_stages == 1 ? key_other[k] : key_stage[k];
        l->dash = n_stages == 1 ? 0 : key_other[k];
    }
    return SIM_OK;
}

static int build_numeric(const rpt_batch *b, chart *c, size_t p, int n_stages)
{
    double *v = sim_malloc((b->n_groups + 1) * sizeof *v);
    size_t *line_of = sim_malloc((b->n_groups + 1) * sizeof *line_of), *x_of = sim_malloc((b->n_groups + 1) * sizeof *x_of);
    int rc = v && line_of && x_of ? SIM_OK : SIM_ENOMEM;
    size_t n = 0;
    for (size_t g = 0; !rc && g < b->n_groups; g++)
        v[n++] = b->groups[g].param[p];
    if (!rc) {
        qsort(v, n, sizeof *v, by_value);
        size_t u = 0;
        for (size_t i = 0; i < n; i++)
            if (u == 0 || v[i] != v[u - 1])
                v[u++] = v[i];
        c->x = v;
        c->n_x = u;
        v = NULL;
        for (size_t g = 0; g < b->n_groups; g++) {
            double *at = bsearch(&b->groups[g].param[p], c->x, c->n_x, sizeof *c->x, by_value);
            x_of[g] = (size_t)(at - c->x);
        }
        c->log_x = c->n_x >= 3 && c->x[0] > 0 && c->x[c->n_x - 1] / c->x[0] >= 50; /* 1M, 10M, 100M */
        snprintf(c->subtitle, sizeof c->subtitle, "Means over the seeds; bars: 95%% confidence intervals (Student's t).");
        rc = numeric_lines(b, c, p, line_of, n_stages);
    }
    if (!rc)
        rc = fill_points(b, c, line_of, x_of);
    sim_free(v);
    sim_free(line_of);
    sim_free(x_of);
    return rc;
}

/* No numeric parameter: the points as categories, a dot per stage. */
static int build_categories(const rpt_batch *b, chart *c, int n_stages)
{
    size_t *line_of = sim_malloc((b->n_groups + 1) * sizeof *line_of), *x_of = sim_malloc((b->n_groups + 1) * sizeof *x_of);
    c->x_text = sim_calloc(MAX_CATEGORIES, sizeof *c->x_text);
    c->x = sim_calloc(MAX_CATEGORIES, sizeof *c->x);
    int rc = line_of && x_of && c->x_text && c->x ? SIM_OK : SIM_ENOMEM;
    for (size_t g = 0; !rc && g < b->n_groups; g++) {
        size_t i = 0;
        while (i < c->n_x && strcmp(c->x_text[i], b->groups[g].point))
            i++;
        if (i == c->n_x) {
            c->x[i] = (double)i;
            c->x_text[c->n_x++] = b->groups[g].point;
        }
        x_of[g] = i;
        line_of[g] = (size_t)b->groups[g].stage_index;
    }
    if (!rc)
        rc = alloc_lines(c, (size_t)n_stages);
    for (int s = 0; !rc && s < n_stages; s++) {
        snprintf(c->lines[s].name, TEXT, "%s", stage_name(b, s));
        c->lines[s].colour = s;
    }
    if (!rc)
        rc = fill_points(b, c, line_of, x_of);
    sim_free(line_of);
    sim_free(x_of);
    return rc;
}

/* A point where no run recovered, to be marked rather than left out. */
static int none_recovered_somewhere(const chart *c)
{
    for (size_t k = 0; k < c->n_lines; k++)
        for (size_t x = 0; x < c->n_x; x++)
            if (isnan(c->lines[k].y[x]) && c->lines[k].unrecovered[x] > 0)
                return 1;
    return 0;
}

static void free_chart(chart *c)
{
    if (c->lines)
        sim_free(c->lines[0].y);
    sim_free(c->lines);
    sim_free(c->x);
    sim_free(c->x_text);
}

/* ==== Drawing ==== */

typedef struct frame {
    double x, y, w, h;          /* the plot area */
    double y_lo, y_hi, y_step, x_lo, x_hi;
    double y_ticks[MAX_TICKS];
    size_t n_y_ticks;
    int rotate;                 /* category labels slanted */
} frame;

static double tx(const chart *c, const frame *f, double v)
{
    if (c->log_x)
        return f->x + (log10(v) - log10(f->x_lo)) / (log10(f->x_hi) - log10(f->x_lo)) * f->w;
    return f->x + (v - f->x_lo) / (f->x_hi - f->x_lo) * f->w;
}

static double ty(const frame *f, double v) { return f->y + f->h - (v - f->y_lo) / (f->y_hi - f->y_lo) * f->h; }

/* The y range: the means and their intervals, from zero for counts and
 * times (an interval reaching below zero is cut there: none of them can
 * be negative), and never past 100% for availability. */
static void y_axis(const chart *c, frame *f)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < c->n_lines; k++)
        for (size_t i = 0; i < c->n_x; i++) {
            double y = c->lines[k].y[i], h = isfinite(c->lines[k].half[i]) ? c->lines[k].half[i] : 0;
            if (isfinite(y)) {
                lo = fmin(lo, y - h);
                hi = fmax(hi, y + h);
            }
        }
    int avail = c->measure == RPT_BATCH_AVAILABILITY;
    if (!isfinite(lo))
        lo = 0, hi = avail ? 100 : 1;
    if (!avail)
        lo = 0;
    if (hi <= lo)
        hi = lo + (lo != 0 ? fabs(lo) * 0.01 : 1);
    double pad = (hi - lo) * 0.05;
    lo = lo == 0 ? 0 : lo - pad;
    hi += pad;
    vz_ticks_linear(lo, hi, 5, f->y_ticks, MAX_TICKS, &f->y_step);
    f->y_lo = floor(lo / f->y_step + 1e-9) * f->y_step;
    f->y_hi = ceil(hi / f->y_step - 1e-9) * f->y_step;
    if (avail && f->y_hi > 100)
        f->y_hi = 100;
    if (avail && f->y_lo >= f->y_hi)
        f->y_lo = f->y_hi - f->y_step;
    f->n_y_ticks = vz_ticks_linear(f->y_lo, f->y_hi, 5, f->y_ticks, MAX_TICKS, &f->y_step);
}

/* The x ticks: the parameter's values when few (*step 0), else round ones. */
static size_t x_ticks(const chart *c, const frame *f, double *t, double *step)
{
    *step = 0;
    if (c->categories || c->n_x <= 12) {
        memcpy(t, c->x, c->n_x * sizeof *t);
        return c->n_x;
    }
    if (c->log_x)
        return vz_ticks_log(f->x_lo, f->x_hi, t, MAX_TICKS);
    return vz_ticks_linear(f->x_lo, f->x_hi, 8, t, MAX_TICKS, step);
}

/* A round tick as its step needs; a parameter's own value in full ("1800",
 * "0.25"), or with a suffix when large ("100M"). */
static void x_label(const chart *c, size_t i, double v, double step, char *buf, size_t n)
{
    if (c->categories)
        put(buf, n, "%s", c->x_text[i][0] ? c->x_text[i] : "(no parameters)");
    else if (step > 0 || fabs(v) >= 1e4)
        vz_format_number(v, step, buf, n);
    else
        put(buf, n, "%g", v);
}

static double legend_width(cairo_t *cr, const line *l) { return 30 + vz_text_width(cr, l->name) + 16; }

static int legend_rows(cairo_t *cr, const chart *c, double width)
{
    int rows = 1;
    double x = 0;
    vz_font(cr, LABEL_SIZE, 0);
    for (size_t k = 0; k < c->n_lines; k++) {
        double w = legend_width(cr, &c->lines[k]);
        if (x > 0 && x + w > width)
            rows++, x = 0;
        x += w;
    }
    return rows;
}

/* Margins from measured text, so no label is cut or overlaps another. */
static void layout(cairo_t *cr, const chart *c, double w, double h, frame *f)
{
    memset(f, 0, sizeof *f);
    y_axis(c, f);
    if (c->categories) {
        f->x_lo = -0.5, f->x_hi = (double)c->n_x - 0.5;
    } else {
        double lo = c->log_x ? log10(c->x[0]) : c->x[0], hi = c->log_x ? log10(c->x[c->n_x - 1]) : c->x[c->n_x - 1];
        double pad = hi > lo ? (hi - lo) * 0.06 : fmax(fabs(lo) * 0.5, 1);
        f->x_lo = lo - pad, f->x_hi = hi + pad;
        if (c->log_x)
            f->x_lo = pow(10, f->x_lo), f->x_hi = pow(10, f->x_hi);
    }
    vz_font(cr, LABEL_SIZE, 0);
    double label_w = 0, bottom_labels = LABEL_SIZE + 4, widest = 0;
    for (size_t i = 0; i < f->n_y_ticks; i++) {
        char buf[48];
        vz_format_number(f->y_ticks[i], f->y_step, buf, sizeof buf);
        label_w = fmax(label_w, vz_text_width(cr, buf));
    }
    for (size_t i = 0; c->categories && i < c->n_x; i++) {
        char buf[TEXT];
        x_label(c, i, 0, 0, buf, sizeof buf);
        widest = fmax(widest, vz_text_width(cr, buf));
    }
    double top = PAD + TITLE_SIZE + 6 + SMALL_SIZE + 8;
    top += legend_rows(cr, c, w - 2 * PAD) * LEGEND_ROW + 14; /* the top tick's label stays clear of the legend */
    f->x = PAD + LABEL_SIZE + 8 + label_w + 8;
    f->w = fmax(10, w - f->x - PAD - 12);
    if (c->categories && widest > f->w / (double)c->n_x - 8) { /* slanted, down to the left */
        f->rotate = 1;
        bottom_labels = widest * sin(SLANT) + LABEL_SIZE + 4;
        /* The first label reaches left of its tick: the plot moves over. */
        double reach = widest * cos(SLANT) - f->w / (2.0 * (double)c->n_x) - (f->x - PAD);
        if (reach > 0)
            f->x += reach, f->w = fmax(10, f->w - reach);
    }
    f->y = top;
    f->h = fmax(10, h - top - (6 + bottom_labels + 6 + LABEL_SIZE + PAD));
}

static void draw_axes(cairo_t *cr, const chart *c, const frame *f)
{
    cairo_set_line_width(cr, 1);
    vz_font(cr, LABEL_SIZE, 0);
    for (size_t i = 0; i < f->n_y_ticks; i++) {
        double y = floor(ty(f, f->y_ticks[i])) + 0.5;
        char buf[48];
        vz_set(cr, vz_grid, 1);
        cairo_move_to(cr, f->x, y);
        cairo_line_to(cr, f->x + f->w, y);
        cairo_stroke(cr);
        vz_format_number(f->y_ticks[i], f->y_step, buf, sizeof buf);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, f->x - 6, y, buf, VZ_RIGHT, VZ_MIDDLE);
    }
    double t[MAX_TICKS], step, last_end = -1e9, base = f->y + f->h;
    size_t n = x_ticks(c, f, t, &step);
    for (size_t i = 0; i < n; i++) {
        double x = floor(tx(c, f, t[i])) + 0.5;
        char buf[TEXT];
        vz_set(cr, vz_axis, 1);
        cairo_move_to(cr, x, base);
        cairo_line_to(cr, x, base + 4);
        cairo_stroke(cr);
        x_label(c, i, t[i], step, buf, sizeof buf);
        double tw = vz_text_width(cr, buf);
        vz_set(cr, vz_ink, 1);
        if (f->rotate) {
            cairo_save(cr);
            cairo_translate(cr, x + 3, base + 8);
            cairo_rotate(cr, -SLANT);
            vz_text(cr, 0, 0, buf, VZ_RIGHT, VZ_MIDDLE);
            cairo_restore(cr);
        } else if (x - tw / 2 > last_end + 8) { /* a label that would touch the one before is left out */
            vz_text(cr, x, base + 6, buf, VZ_CENTRE, VZ_TOP);
            last_end = x + tw / 2;
        }
    }
    vz_set(cr, vz_axis, 1);
    cairo_move_to(cr, f->x + 0.5, f->y);
    cairo_line_to(cr, f->x + 0.5, base + 0.5);
    cairo_line_to(cr, f->x + f->w, base + 0.5);
    cairo_stroke(cr);
    vz_set(cr, vz_ink, 1);
    cairo_save(cr); /* the measure and its unit, up the left side */
    cairo_translate(cr, PAD + LABEL_SIZE, f->y + f->h / 2);
    cairo_rotate(cr, -M_PI / 2);
    vz_text(cr, 0, 0, measure_axis[c->measure], VZ_CENTRE, VZ_BASELINE);
    cairo_restore(cr);
}

static void draw_legend(cairo_t *cr, const chart *c, double y, double width)
{
    double x = 0;
    y += LEGEND_ROW / 2;
    vz_font(cr, LABEL_SIZE, 0);
    for (size_t k = 0; k < c->n_lines; k++) {
        const line *l = &c->lines[k];
        double w = legend_width(cr, l);
        if (x > 0 && x + w > width)
            x = 0, y += LEGEND_ROW;
        double sx = PAD + x;
        vz_set_colour(cr, l->colour, 1);
        cairo_set_line_width(cr, 2.2);
        cairo_set_dash(cr, dashes[l->dash % MAX_LINES], dash_len[l->dash % MAX_LINES], 0);
        cairo_move_to(cr, sx, y);
        cairo_line_to(cr, sx + 24, y);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_arc(cr, sx + 12, y, 3.5, 0, 2 * M_PI);
        cairo_fill(cr);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, sx + 30, y, l->name, VZ_LEFT, VZ_MIDDLE);
        x += w;
    }
}

/* Where no run recovered there is no RTO to draw, which must not read as
 * no data: an x at the top of the plot, in the line's colour. */
static void unrecovered_mark(cairo_t *cr, const chart *c, const line *l, size_t i, double x, double y)
{
    char tip[2 * TEXT], where[TEXT];
    cairo_move_to(cr, x - 4, y - 4);
    cairo_line_to(cr, x + 4, y + 4);
    cairo_move_to(cr, x + 4, y - 4);
    cairo_line_to(cr, x - 4, y + 4);
    vz_set_colour(cr, l->colour, 1);
    cairo_set_line_width(cr, 2);
    cairo_stroke(cr);
    x_label(c, i, c->x[i], 0, where, sizeof where);
    put(tip, sizeof tip, "%s at %s: not recovered (%.0f of %.0f runs)", l->name, where, l->unrecovered[i], l->ok[i]);
    vz_tip(cr, x - 5, y - 5, 10, 10, tip);
}

/* Lines (not between categories), then error bars, then dots, each line
 * nudged sideways a little so that bars at one x stay apart. */
static void draw_points(cairo_t *cr, const chart *c, const frame *f)
{
    double gap = f->w;
    for (size_t i = 1; i < c->n_x; i++)
        gap = fmin(gap, tx(c, f, c->x[i]) - tx(c, f, c->x[i - 1]));
    /* Categories have room to spare; along a numeric axis a nudge must not
     * read as another value. */
    double nudge = c->n_lines > 1 ? fmin(c->categories ? 14 : 5, 0.5 * gap / (double)c->n_lines) : 0;
    cairo_save(cr);
    cairo_rectangle(cr, f->x + 1, f->y - 4, f->w, f->h + 4);
    cairo_clip(cr);
    for (size_t k = 0; k < c->n_lines; k++) {
        const line *l = &c->lines[k];
        double dx = ((double)k - (double)(c->n_lines - 1) / 2) * nudge;
        int pen = 0;
        for (size_t i = 0; !c->categories && i < c->n_x; i++) {
            if (!isfinite(l->y[i])) {
                pen = 0;
                continue;
            }
            (pen ? cairo_line_to : cairo_move_to)(cr, tx(c, f, c->x[i]) + dx, ty(f, l->y[i]));
            pen = 1;
        }
        vz_set_colour(cr, l->colour, 0.95);
        cairo_set_line_width(cr, 1.8);
        cairo_set_dash(cr, dashes[l->dash % MAX_LINES], dash_len[l->dash % MAX_LINES], 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        for (size_t i = 0; i < c->n_x; i++) {
            if (!isfinite(l->y[i])) {
                if (c->measure == RPT_BATCH_RTO && l->unrecovered[i] > 0)
                    unrecovered_mark(cr, c, l, i, tx(c, f, c->x[i]) + dx, f->y + 6);
                continue;
            }
            double x = tx(c, f, c->x[i]) + dx, y = ty(f, l->y[i]), h = l->half[i];
            if (isfinite(h) && h > 0) {
                double y0 = ty(f, l->y[i] - h), y1 = ty(f, l->y[i] + h);
                cairo_move_to(cr, x, y0);
                cairo_line_to(cr, x, y1);
                cairo_move_to(cr, x - 4, y0);
                cairo_line_to(cr, x + 4, y0);
                cairo_move_to(cr, x - 4, y1);
                cairo_line_to(cr, x + 4, y1);
                vz_set_colour(cr, l->colour, 1);
                cairo_set_line_width(cr, 1.2);
                cairo_stroke(cr);
            }
            cairo_new_sub_path(cr);
            cairo_arc(cr, x, y, 3.5, 0, 2 * M_PI);
            vz_set_colour(cr, l->colour, 1);
            cairo_fill_preserve(cr);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 1);
            cairo_stroke(cr);
            char tip[2 * TEXT], where[TEXT];
            x_label(c, i, c->x[i], 0, where, sizeof where);
            char more[64] = "";
            if (c->measure == RPT_BATCH_RTO && l->unrecovered[i] > 0)
                put(more, sizeof more, "; %.0f of %.0f runs not recovered", l->unrecovered[i], l->ok[i]);
            if (isfinite(h))
                put(tip, sizeof tip, "%s at %s: %.6g \u00b1 %.3g%s", l->name, where, l->y[i], h, more);
            else
                put(tip, sizeof tip, "%s at %s: %.6g (one value)%s", l->name, where, l->y[i], more);
            vz_tip(cr, x - 5, y - 5, 10, 10, tip);
        }
    }
    cairo_restore(cr);
}

/* A vz_draw_fn drawing a chart. */
static void draw_chart(cairo_t *cr, double w, double h, const void *context)
{
    const chart *c = context;
    frame f;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    layout(cr, c, w, h, &f);
    vz_set(cr, vz_ink, 1);
    vz_font(cr, TITLE_SIZE, 1);
    vz_text(cr, PAD, PAD, c->title, VZ_LEFT, VZ_TOP);
    vz_font(cr, SMALL_SIZE, 0);
    vz_set(cr, vz_axis, 1);
    vz_text(cr, PAD, PAD + TITLE_SIZE + 6, c->subtitle, VZ_LEFT, VZ_TOP);
    draw_legend(cr, c, PAD + TITLE_SIZE + 6 + SMALL_SIZE + 8, w - 2 * PAD);
    draw_axes(cr, c, &f);
    vz_font(cr, LABEL_SIZE, 0);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, f.x + f.w / 2, h - PAD, c->x_label, VZ_CENTRE, VZ_BASELINE);
    draw_points(cr, c, &f);
}

/* ==== summary.html ==== */

static const char *const css =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#222;margin:0 auto;max-width:1240px;padding:16px 20px;line-height:1.45}"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{padding:4px 10px;border-bottom:1px solid #e2e2e2;text-align:right;white-space:nowrap}"
    "th.t,td.t{text-align:left}td{font-variant-numeric:tabular-nums}p.meta,figcaption{color:#555;font-size:.9em}"
    ".sw{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em;border-radius:2px}"
    "figure{margin:.5em 0;break-inside:avoid}figure svg{width:100%;height:auto;display:block}"
    "div.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 18px}";

static void html_table(FILE *f, const rpt_batch *b)
{
    fputs("<table>\n<thead><tr>", f);
    for (int k = 0; k < RPT_BATCH_COLUMNS; k++)
        fprintf(f, "<th%s>%s</th>", k <= RPT_BATCH_COL_POINT ? " class=\"t\"" : "", rpt_batch_columns[k]);
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t g = 0; g < b->n_groups; g++) {
        const rpt_batch_group *gr = &b->groups[g];
        char hex[8];
        vz_colour_hex(gr->stage_index, hex);
        fprintf(f, "<tr><td class=\"t\"><span class=\"sw\" style=\"background:%s\"></span>", hex);
        for (int k = 0; k < RPT_BATCH_COLUMNS; k++) {
            if (k)
                fputs(k == RPT_BATCH_COL_POINT ? "<td class=\"t\">" : "<td>", f);
            sim_escape_markup(f, gr->cell[k]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static int write_html(FILE *f, const rpt_batch *b, const chart *charts, size_t n, const char *why_none)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>dcsim batch: ", f);
    sim_escape_markup(f, b->name);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
    sim_escape_markup(f, b->name);
    fputs("</h1>\n<p class=\"meta\">", f);
    sim_escape_markup(f, b->headline);
    fputs(" &middot; ", f);
    sim_escape_markup(f, b->kind);
    fputs("</p>\n<h2>Each stage at each point</h2>\n", f);
    html_table(f, b);
    fputs("<p class=\"meta\">A row holds the runs of every seed of one stage at one parameter point. Values are means "
          "&plusmn; the half-width of their 95% confidence interval (Student's t) over the runs that were ok and gave a "
          "value; a row of one run has no interval; &mdash; is a value no run gave. The RTO averages only the runs that "
          "recovered from every incident; the others are counted as not recovered.</p>\n",
          f);
    if (b->n_notes)
        fputs("<ul>\n", f);
    for (size_t i = 0; i < b->n_notes; i++) {
        fputs("<li>", f);
        sim_escape_markup(f, b->notes[i]);
        fputs("</li>\n", f);
    }
    if (b->n_notes)
        fputs("</ul>\n", f);
    fputs("<h2>Charts</h2>\n", f);
    if (why_none) {
        fputs("<p>", f);
        sim_escape_markup(f, why_none);
        fputs("</p>\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        char *svg, id[TEXT + 2];
        if (i % RPT_BATCH_MEASURES == 0) { /* a parameter's four charts, two abreast */
            fputs(i ? "</div>\n<h3>" : "<h3>", f);
            if (charts[i].categories)
                fputs("At each point", f);
            else {
                fputs("Against ", f);
                sim_escape_markup(f, charts[i].x_label);
            }
            fputs("</h3>\n<div class=\"charts\">\n", f);
        }
        snprintf(id, sizeof id, "%s-", charts[i].file);
        int rc = vz_svg_string(&svg, CHART_W, charts[i].h, draw_chart, &charts[i], id);
        if (rc)
            return rc;
        fprintf(f, "<figure id=\"%s\">\n%s<figcaption>charts/%s.svg and .png</figcaption></figure>\n", charts[i].file,
                svg, charts[i].file);
        sim_free(svg);
    }
    fputs(n ? "</div>\n</body>\n</html>\n" : "</body>\n</html>\n", f);
    return SIM_OK;
}

/* ==== Writing ==== */

int rpt_batch_write(const rpt_batch *b, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/charts", dir);
    int rc = sim_mkdirs(path), n_stages = 0;
    for (size_t g = 0; g < b->n_groups; g++)
        n_stages = b->groups[g].stage_index + 1 > n_stages ? b->groups[g].stage_index + 1 : n_stages;
    /* Which parameters are numbers at every point. */
    size_t numeric[64], n_numeric = 0, n_points = 0;
    for (size_t p = 0; p < b->n_params && n_numeric < 64; p++) {
        int all = b->n_groups > 0;
        for (size_t g = 0; g < b->n_groups; g++)
            all &= isfinite(b->groups[g].param[p]);
        if (all)
            numeric[n_numeric++] = p;
    }
    for (size_t g = 0; g < b->n_groups; g++) { /* distinct points, for the charts without a number */
        size_t k = 0;
        while (k < g && strcmp(b->groups[k].point, b->groups[g].point))
            k++;
        n_points += k == g;
    }
    const char *why_none = NULL;
    size_t n = n_numeric ? n_numeric * RPT_BATCH_MEASURES : RPT_BATCH_MEASURES;
    if (b->n_groups == 0)
        why_none = "No run has finished yet: nothing to chart.", n = 0;
    else if (!n_numeric && n_points > MAX_CATEGORIES)
        why_none = "No parameter is a number, and there are too many points to chart one by one: see the table.", n = 0;
    else if (!n_numeric)
        why_none = "No parameter is a number, so each chart shows the points side by side.";
    chart *charts = sim_calloc(n + 1, sizeof *charts);
    if (!charts)
        rc = rc ? rc : SIM_ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        chart *c = &charts[i];
        c->measure = (int)(i % RPT_BATCH_MEASURES);
        c->h = CHART_H;
        if (n_numeric) {
            size_t p = numeric[i / RPT_BATCH_MEASURES];
            snprintf(c->file, sizeof c->file, "%s-vs-%s", measure_file[c->measure], b->params[p]);
            snprintf(c->title, sizeof c->title, "%s against %s", measure_title[c->measure], b->params[p]);
            if (b->param_units[p][0])
                snprintf(c->x_label, sizeof c->x_label, "%s (%s)", b->params[p], b->param_units[p]);
            else
                snprintf(c->x_label, sizeof c->x_label, "%s", b->params[p]);
            rc = build_numeric(b, c, p, n_stages);
        } else {
            c->categories = 1;
            c->h = CHART_H + 80; /* room for slanted labels */
            snprintf(c->file, sizeof c->file, "%s-by-point", measure_file[c->measure]);
            snprintf(c->title, sizeof c->title, "%s at each point", measure_title[c->measure]);
            snprintf(c->subtitle, sizeof c->subtitle, "Means over the seeds; bars: 95%% confidence intervals (Student's t).");
            snprintf(c->x_label, sizeof c->x_label, "parameter point");
            rc = build_categories(b, c, n_stages);
        }
        if (!rc && c->measure == RPT_BATCH_RTO && none_recovered_somewhere(c)) { /* what the x means */
            size_t len = strlen(c->subtitle);
            put(c->subtitle + len, sizeof c->subtitle - len, " \u00d7: none recovered.");
        }
        snprintf(path, sizeof path, "%s/charts/%s.png", dir, c->file);
        if (!rc)
            rc = vz_write_png(path, CHART_W, c->h, draw_chart, c);
        snprintf(path, sizeof path, "%s/charts/%s.svg", dir, c->file);
        if (!rc)
            rc = vz_write_svg(path, CHART_W, c->h, draw_chart, c);
    }
    sim_file sf;
    snprintf(path, sizeof path, "%s/summary.html", dir);
    if (!rc && !(rc = sim_file_open(&sf, path))) {
        rc = write_html(sf.f, b, charts, n, why_none);
        if (rc)
            sim_file_abort(&sf);
        else
            rc = sim_file_commit(&sf); /* checks every write */
    }
    for (size_t i = 0; charts && i < n; i++)
        free_chart(&charts[i]);
    sim_free(charts);
    return rc;
}
