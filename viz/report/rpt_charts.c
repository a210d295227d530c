/* rpt_charts.c -- turning the captured runs into chart descriptions. */
#include "rpt_charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_files.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "vz_ticks.h"


/* Storage the charts borrow, freed with them. */
static void *new_block(rpt_charts *cs, size_t bytes)
{
    if (cs->n_blocks == (int)(sizeof cs->blocks / sizeof *cs->blocks)) {
        cs->failed = 1;
        return NULL;
    }
    void *p = sim_calloc(1, bytes ? bytes : 1);
    if (!p) {
        cs->failed = 1;
        return NULL;
    }
    cs->blocks[cs->n_blocks++] = p;
    return p;
}

static double *new_array(rpt_charts *cs, size_t n) { return new_block(cs, (n + 1) * sizeof(double)); }

void rpt_target_text(const void *target, char *buf, size_t n)
{
    const scn_target *t = target;
    size_t at = 0;
    buf[0] = 0;
#define ADD(...) at += (size_t)snprintf(buf + (at < n ? at : n), at < n ? n - at : 0, __VA_ARGS__)
    if (t->datacenter)
        ADD("%s%s", at ? " " : "", t->datacenter);
    if (t->city)
        ADD("%s%s", at ? " " : "", t->city);
    if (t->unit)
        ADD("%sunit %s", at ? " " : "", t->unit);
    if (t->unit_of_shard >= 0)
        ADD("%sunit of shard %02lld", at ? " " : "", (long long)t->unit_of_shard);
    if (t->role)
        ADD("%s%s", at ? " " : "", t->role);
    if (t->link.n == 2)
        ADD("%s%s-%s", at ? " " : "", t->link.v[0], t->link.v[1]);
    if (t->path)
        ADD(" (%s path)", t->path);
    if (t->pool)
        ADD("%spool %s", at ? " " : "", t->pool);
    if (t->database)
        ADD("%sdatabase %s", at ? " " : "", t->database);
    if (t->shard >= 0)
        ADD("%sshard %02lld", at ? " " : "", (long long)t->shard);
#undef ADD
    if (!buf[0])
        snprintf(buf, n, "everything");
}

/* ==== The shared parts: bands, marks, the time axis ==== */

typedef struct common {
    vz_band *bands;
    size_t n_bands;
    vz_mark *marks;
    size_t n_marks;
    double x_min, x_max, origin;
} common;

static int build_common(const rpt_input *in, rpt_charts *cs, common *co)
{
    const scenario *sc = in->cfg->scn;
    sim_time warmup = sc->warmup;
    co->x_min = 0;
    co->x_max = sim_time_to_seconds(sc->duration);
    co->origin = fmod(sim_time_to_seconds(sc->start + warmup), 86400);
    co->bands = new_block(cs, (sc->faults.n + 1) * sizeof *co->bands);
    if (!co->bands)
        return SIM_ENOMEM;
    for (size_t i = 0; i < sc->faults.n; i++) {
        const scn_fault *f = MDL_ITEM(sc->faults, scn_fault, i);
        double x0 = sim_time_to_seconds(mdl_clock_to_run(sc, f->at) - warmup), x1 = co->x_max;
        if (f->until) {
            sim_time clock;
            const char *why;
            if (!sim_time_parse_clock(f->until->text, &clock, &why))
                x1 = sim_time_to_seconds(mdl_clock_to_run(sc, clock) - warmup);
        } else if (!f->permanent) {
            x1 = x0 + sim_time_to_seconds(f->duration);
        }
        char target[96], *label = new_block(cs, 160);
        if (!label)
            return SIM_ENOMEM;
        rpt_target_text(&f->target, target, sizeof target);
        snprintf(label, 160, "%s: %s", mdl_fault_kinds[f->kind], target);
        co->bands[co->n_bands++] = (vz_band){x0, x1, label};
    }
    size_t marks = 0;
    for (int s = 0; s < in->n_stages; s++)
        marks += in->stages[s].runs[0].n_events;
    co->marks = new_block(cs, (marks + 1) * sizeof *co->marks);
    if (!co->marks)
        return SIM_ENOMEM;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        for (size_t i = 0; i < r->n_events; i++) {
            int k = r->events[i].kind;
            int kind = k == EV_DETECT ? VZ_MARK_DETECT : k == EV_SWITCH ? VZ_MARK_SWITCH : k == EV_PROMOTE ? VZ_MARK_PROMOTE : -1;
            if (kind >= 0)
                co->marks[co->n_marks++] = (vz_mark){sim_time_to_seconds(r->events[i].t - warmup),
                                                     in->stages[s].colour, kind};
        }
    }
    return SIM_OK;
}

static rpt_chart *add_chart(rpt_charts *cs, const common *co, const char *file, const char *title,
                            const char *y_label, double w, double h)
{
    if (cs->n == RPT_MAX_CHARTS)
        return NULL;
    rpt_chart *ch = &cs->chart[cs->n++];
    memset(ch, 0, sizeof *ch);
    snprintf(ch->file, sizeof ch->file, "%s", file);
    ch->w = w;
    ch->h = h;
    ch->c.title = title;
    ch->c.y_label = y_label;
    ch->c.y_min = ch->c.y_max = NAN;
    ch->c.x_min = co->x_min;
    ch->c.x_max = co->x_max;
    ch->c.origin_clock = co->origin;
    ch->c.bands = co->bands;
    ch->c.n_bands = co->n_bands;
    ch->c.marks = co->marks;
    ch->c.n_marks = co->n_marks;
    return ch;
}

typedef double point_value(const mdl_series_point *p);
static double v_success(const mdl_series_point *p) { return p->offered > 0 ? p->succeeded / p->offered * 100 : NAN; }
static double v_p99(const mdl_series_point *p) { return p->succeeded > 0 && p->p99 > 0 ? p->p99 : NAN; }
static double v_served(const mdl_series_point *p) { return p->succeeded; }
static double v_offered(const mdl_series_point *p) { return p->offered; }
static double v_lost(const mdl_series_point *p) { return p->lost_writes; }

typedef double run_value(const rpt_run *r);
static double total_lost(const rpt_run *r) { return r->h.lost_writes; }

/* One line per stage: value(point) over the measured part; with `total`,
 * a cumulative line that ends with a step to the run's total at the right
 * edge when the run counted more after the window closed (a promotion while
 * it settles its last requests: a human paged late). */
static vz_series *stage_lines(const rpt_input *in, rpt_charts *cs, point_value *value, run_value *total,
                              int extra)
{
    vz_series *ss = new_block(cs, (size_t)(in->n_stages + extra + 1) * sizeof *ss);
    if (!ss)
        return NULL;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        /* one spare point, for the step to the total */
        double *x = new_array(cs, r->n_series + 1), *y = new_array(cs, r->n_series + 1);
        if (!x || !y)
            return NULL;
        size_t n = 0;
        for (size_t i = 0; i < r->n_series; i++) {
            if (r->series[i].t < 0)
                continue;
            x[n] = r->series[i].t;
            y[n++] = value(&r->series[i]);
        }
        if (total && n > 0 && total(r) > y[n - 1]) {
            x[n] = x[n - 1];
            y[n] = total(r);
            n++;
        }
        ss[s] = (vz_series){in->stages[s].name, in->stages[s].colour, x, y, n, 0};
    }
    return ss;
}

int rpt_charts_build(const rpt_input *in, rpt_charts *cs)
{
    memset(cs, 0, sizeof *cs);
    common co = {0};
    if (build_common(in, cs, &co))
        return SIM_ENOMEM;
    const double W = 1200, H = 400;

    /* Success ratio: from 0 unless every stage stays high, then zoomed. */
    vz_series *ss = stage_lines(in, cs, v_success, NULL, 0);
    rpt_chart *ch = ss ? add_chart(cs, &co, "success-ratio", "Success ratio", "successful / offered", W, H) : NULL;
    if (!ch)
        return SIM_ENOMEM;
    double lowest = 100;
    for (int s = 0; s < in->n_stages; s++)
        for (size_t i = 0; i < ss[s].n; i++)
            if (isfinite(ss[s].y[i]))
                lowest = fmin(lowest, ss[s].y[i]);
    ch->c.series = ss;
    ch->c.n_series = (size_t)in->n_stages;
    ch->c.y_format = VZ_Y_PERCENT;
    ch->c.y_max = 100;
    ch->c.y_min = lowest >= 99 ? 99 : lowest >= 90 ? 90 : 0;
    snprintf(ch->caption, sizeof ch->caption, "Requests answered successfully out of those offered, per %s interval.",
             "time-series");

    ss = stage_lines(in, cs, v_p99, NULL, 0);
    ch = ss ? add_chart(cs, &co, "p99-latency", "p99 latency (log scale)", "seconds", W, H) : NULL;
    if (!ch)
        return SIM_ENOMEM;
    ch->c.series = ss;
    ch->c.n_series = (size_t)in->n_stages;
    ch->c.y_format = VZ_Y_SECONDS;
    ch->c.y_log = 1;
    snprintf(ch->caption, sizeof ch->caption, "The 99th percentile of the latency of requests answered in each interval; gaps where nothing succeeded.");

    /* Throughput: the offered load is the same for every stage (shared
     * arrivals), drawn once, dashed. */
    ss = stage_lines(in, cs, v_served, NULL, 1);
    vz_series *offered = ss ? stage_lines(in, cs, v_offered, NULL, 0) : NULL;
    ch = offered ? add_chart(cs, &co, "throughput", "Offered and served throughput", "requests/s", W, H) : NULL;
    if (!ch)
        return SIM_ENOMEM;
    ss[in->n_stages] = offered[0];
    ss[in->n_stages].name = "offered";
    ss[in->n_stages].colour = 7;
    ss[in->n_stages].dashed = 1;
    ch->c.series = ss;
    ch->c.n_series = (size_t)in->n_stages + 1;
    snprintf(ch->caption, sizeof ch->caption, "Offered load (the same users and arrivals for every stage) and successful requests per second.");

    ss = stage_lines(in, cs, v_lost, total_lost, 0);
    ch = ss ? add_chart(cs, &co, "lost-writes", "Lost writes (cumulative)", "writes", W, H) : NULL;
    if (!ch)
        return SIM_ENOMEM;
    ch->c.series = ss;
    ch->c.n_series = (size_t)in->n_stages;
    char late[512] = "";
    size_t late_len = 0;
    for (int s = 0; s < in->n_stages && late_len < sizeof late - 1; s++) {
        const vz_series *line = &ss[s];
        if (line->n < 2 || line->x[line->n - 1] != line->x[line->n - 2])
            continue;
        char num[64];
        vz_format_count(line->y[line->n - 1] - line->y[line->n - 2], num, sizeof num);
        late_len += (size_t)snprintf(late + late_len, sizeof late - late_len, "%s%s %s",
                                     late_len ? ", " : "", in->stages[s].name, num);
    }
    double most = 0;
    for (int s = 0; s < in->n_stages; s++)
        for (size_t i = 0; i < ss[s].n; i++)
            most = fmax(most, ss[s].y[i]);
    if (most < 10) /* whole writes: no axis of fractions */
        ch->c.y_max = 10;
    if (late_len)
        snprintf(ch->caption, sizeof ch->caption,
                 "Acknowledged writes lost when replicas were promoted, added up over the run. "
                 "Lost by promotions after the window closed, while the run settled its last requests, "
                 "and drawn at the right edge: %s.", late);
    else
        snprintf(ch->caption, sizeof ch->caption, "Acknowledged writes lost when replicas were promoted, added up over the run.");

    /* Share of traffic per datacenter, a small stacked chart per stage; a
     * datacenter keeps its colour in every one. */
    static const int dc_colours[] = {5, 3, 2, 6, 4, 1, 0, 7};
    const char *dc_seen[64];
    int n_seen = 0;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        vz_series *layers = new_block(cs, (size_t)(r->n_dcs + 1) * sizeof *layers);
        char *file = new_block(cs, 48), *title = new_block(cs, 96);
        if (!layers || !file || !title)
            return SIM_ENOMEM;
        size_t n = 0;
        for (size_t i = 0; i < r->n_series; i++)
            n += r->series[i].t >= 0;
        double *x = new_array(cs, n);
        if (!x)
            return SIM_ENOMEM;
        for (size_t i = 0, k = 0; i < r->n_series; i++)
            if (r->series[i].t >= 0)
                x[k++] = r->series[i].t;
        for (int d = 0; d < r->n_dcs; d++) {
            int g = 0;
            while (g < n_seen && strcmp(dc_seen[g], r->dc_names[d]))
                g++;
            if (g == n_seen && n_seen < 64)
                dc_seen[n_seen++] = r->dc_names[d];
            double *y = new_array(cs, n);
            if (!y)
                return SIM_ENOMEM;
            for (size_t i = 0, k = 0; i < r->n_series; i++) {
                if (r->series[i].t < 0)
                    continue;
                double total = 0;
                for (int e = 0; e < r->n_dcs; e++)
                    total += r->series[i].dc_served[e];
                y[k++] = total > 0 ? r->series[i].dc_served[d] / total * 100 : NAN;
            }
            layers[d] = (vz_series){r->dc_names[d], dc_colours[g % 8], x, y, n, 0};
        }
        snprintf(file, 48, "dc-share-%s", in->stages[s].name);
        snprintf(title, 96, "%s: share of requests served per datacenter", in->stages[s].name);
        ch = add_chart(cs, &co, file, title, "share", W, 260);
        if (!ch)
            return SIM_ENOMEM;
        ch->c.series = layers;
        ch->c.n_series = (size_t)r->n_dcs;
        ch->c.stacked = 1;
        ch->c.y_format = VZ_Y_PERCENT;
        ch->c.y_min = 0;
        ch->c.y_max = 100;
        ch->c.marks = NULL;
        ch->c.n_marks = 0;
        snprintf(ch->caption, sizeof ch->caption, "Where %s's successful requests were served; a datacenter keeps its colour in every stage.",
                 in->stages[s].name);
    }
    return cs->failed ? SIM_ENOMEM : SIM_OK;
}

void rpt_charts_free(rpt_charts *cs)
{
    for (int i = 0; i < cs->n_blocks; i++)
        sim_free(cs->blocks[i]);
    cs->n_blocks = 0;
    cs->n = 0;
}

void rpt_chart_draw(cairo_t *cr, double w, double h, const void *chart)
{
    const rpt_chart *ch = chart;
    vz_chart_draw(cr, &ch->c, 0, 0, w, h);
}
