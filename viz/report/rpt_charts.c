/* rpt_charts.c -- turning the captured runs into chart descriptions: the
 * parts every time chart shares (the fault bands by phase, the marks, the
 * captions as notes), then the charts in the order the report shows them. */
#include "rpt_charts.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mdl_config.h"
#include "mdl_files.h"
#include "rpt_story.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "vz_ticks.h"

#define SMALL_W 600.0           /* a small chart, one per stage, two abreast */
#define SMALL_H 320.0
#define MARK_TITLE 400          /* what, where, when of a mark */

/* ==== Storage the charts borrow, freed with them ==== */

static void *new_block(rpt_charts *cs, size_t bytes)
{
    void *p = sim_calloc(1, bytes ? bytes : 1);
    if (!p || sim_grow((void **)&cs->blocks, &cs->cap_blocks, cs->n_blocks + 1, sizeof *cs->blocks)) {
        sim_free(p);
        cs->failed = 1;
        return NULL;
    }
    cs->blocks[cs->n_blocks++] = p;
    return p;
}

static double *new_array(rpt_charts *cs, size_t n) { return new_block(cs, (n + 1) * sizeof(double)); }

/* A formatted string kept with the charts; NULL without memory. */
static char *new_text(rpt_charts *cs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = len >= 0 ? new_block(cs, (size_t)len + 1) : NULL;
    if (p) {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)len + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

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

/* ==== The shared parts: the time axis, bands, marks and notes ==== */

typedef struct common {
    vz_band *bands;
    size_t n_bands;
    vz_mark *marks;             /* every stage's, stage after stage */
    size_t n_marks;
    size_t *stage_marks;        /* stage s's are marks[stage_marks[s] .. stage_marks[s + 1]) */
    vz_note *notes;             /* every stage's, stages alike told once */
    size_t n_notes;
    vz_note **stage_notes;      /* one stage's */
    size_t *n_stage_notes;
    double x_min, x_max, origin;
    sim_time warmup;
} common;

/* A run time as the charts' x: seconds into the measured part. */
static double to_x(const common *co, sim_time t) { return sim_time_to_seconds(t - co->warmup); }

/* The fault's window in run time: from its start to its end, or the end
 * of the run when it has none. */
static void fault_window(const scenario *sc, const scn_fault *f, sim_time *t0, sim_time *t1)
{
    *t0 = mdl_clock_to_run(sc, f->at);
    *t1 = sc->warmup + sc->duration;
    if (f->until) {
        sim_time clock;
        const char *why;
        if (!sim_time_parse_clock(f->until->text, &clock, &why))
            *t1 = mdl_clock_to_run(sc, clock);
    } else if (!f->permanent) {
        *t1 = *t0 + f->duration;
    }
}

/* What the runs tell of the buildings a fault struck: the datacenters the
 * fault events at its start name, and when the first of them went dark. */
typedef struct struck {
    char names[160];            /* "HZ-A", "HZ-A, HZ-B"; "" when the stages disagree or none was struck */
    const geo_dc *dc;           /* the first struck, in the geography (its batteries and generator) */
    sim_time dark, lit;         /* the earliest stage to go dark: when, and light again; -1: never */
} struck;

static int struck_at(const rpt_run *r, sim_time t0, const char *dc)
{
    for (size_t e = 0; e < r->n_events; e++)
        if (r->events[e].kind == EV_FAULT && r->events[e].t == t0 && !strcmp(r->events[e].target, dc))
            return 1;
    return 0;
}

/* One stage's run: the first building struck at t0 to go dark before t1,
 * and when power came back to one of them after that. */
static void stage_dark(const rpt_run *r, sim_time t0, sim_time t1, sim_time *dark, sim_time *lit)
{
    *dark = *lit = -1;
    for (size_t e = 0; e < r->n_events; e++) {
        const mdl_event_row *ev = &r->events[e];
        if (ev->kind == EV_DARK && *dark < 0 && ev->t >= t0 && ev->t < t1 && struck_at(r, t0, ev->target))
            *dark = ev->t;
        else if (ev->kind == EV_POWER && *dark >= 0 && *lit < 0 && ev->t <= t1 && struck_at(r, t0, ev->target))
            *lit = ev->t;
    }
}

/* Every stage stands on the same geography, so the stages agree on the
 * buildings unless a role resolved differently; the earliest to go dark
 * dates the phases, as the band is the same on every chart. */
static void find_struck(const rpt_input *in, sim_time t0, sim_time t1, struck *out)
{
    memset(out, 0, sizeof *out);
    out->dark = out->lit = -1;
    int any = 0, agree = 1;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        const geography *g = in->cfg->stage_geos[in->stages[s].index];
        char names[sizeof out->names] = "";
        size_t at = 0;
        for (size_t e = 0; e < r->n_events; e++) {
            const mdl_event_row *ev = &r->events[e];
            const geo_dc *dc = ev->kind == EV_FAULT && ev->t == t0 ? mdl_geo_dc(g, ev->target) : NULL;
            if (!dc || at >= sizeof names) /* a fault of links or data, told in its own words */
                continue;
            at += (size_t)snprintf(names + at, sizeof names - at, "%s%s", at ? ", " : "", ev->target);
            if (!out->dc)
                out->dc = dc;
        }
        if (!at) /* not struck here: the target is not this stage's */
            continue;
        if (any && strcmp(names, out->names))
            agree = 0;
        if (!any)
            snprintf(out->names, sizeof out->names, "%s", names);
        any = 1;
        sim_time dark, lit;
        stage_dark(r, t0, t1, &dark, &lit);
        if (dark >= 0 && (out->dark < 0 || dark < out->dark)) {
            out->dark = dark;
            out->lit = lit;
        }
    }
    if (!agree)
        out->names[0] = 0;
}

static void add_band(rpt_charts *cs, common *co, double x0, double x1, int phase, char *label)
{
    if (!label) {
        cs->failed = 1;
        return;
    }
    if (x1 > x0 || (phase == VZ_BAND_FAULT && x1 >= x0)) /* a phase that never came is not drawn */
        co->bands[co->n_bands++] = (vz_band){x0, x1, label, phase};
}

/* The fault's band, in phases where the runs tell them. A building that
 * lost utility power rides on its batteries (nothing fails yet), goes dark
 * when they run out, and is carried by its generator if it starts; drawn
 * as one band from the start, the fault would seem to hurt from there. */
static void add_fault_bands(const rpt_input *in, rpt_charts *cs, common *co, const scn_fault *f)
{
    sim_time t0, t1;
    fault_window(in->cfg->scn, f, &t0, &t1);
    double x0 = to_x(co, t0), x1 = to_x(co, t1);
    char target[96], where[300];
    rpt_target_text(&f->target, target, sizeof target);
    struck st;
    find_struck(in, t0, t1, &st);
    if (st.names[0] && strcmp(st.names, target)) /* the role as the stages resolved it */
        snprintf(where, sizeof where, "%s (%s)", target, st.names);
    else
        snprintf(where, sizeof where, "%s", target);
    const char *kind = mdl_fault_kinds[f->kind], *building = st.names[0] ? st.names : target;
    int power = f->kind == FAULT_POWER || (f->kind == FAULT_FEED && st.dark >= 0); /* a building's only feed */
    if (!power || (st.dark < 0 && !st.dc)) {
        add_band(cs, co, x0, x1, VZ_BAND_FAULT, new_text(cs, "%s: %s", kind, where));
        return;
    }
    double xd = x1, xl = x1; /* dark, and carried by the generator */
    if (st.dark >= 0) {
        xd = to_x(co, st.dark);
        xl = st.lit >= 0 ? to_x(co, st.lit) : x1;
    } else if (f->generator != GENERATOR_FAILS && st.dc->power.generator_start <= st.dc->power.ups) {
        /* Never dark: the generator took over before the batteries ran out. */
        xd = xl = fmin(x1, x0 + sim_time_to_seconds(st.dc->power.generator_start));
    } /* else the run ended on batteries */
    add_band(cs, co, x0, xd, VZ_BAND_BATTERY, new_text(cs, "%s: %s, on batteries", kind, where));
    add_band(cs, co, xd, xl, VZ_BAND_DARK, new_text(cs, "%s dark", building));
    add_band(cs, co, xl, x1, VZ_BAND_GENERATOR, new_text(cs, "%s on generator", building));
}

static int mark_kind(int event_kind)
{
    return event_kind == EV_DETECT ? VZ_MARK_DETECT : event_kind == EV_SWITCH ? VZ_MARK_SWITCH
                                                  : event_kind == EV_PROMOTE || event_kind == EV_HANDOVER ? VZ_MARK_PROMOTE
                                                                                                        : -1;
}

/* Detections, switches and promotions of every stage, each titled with
 * what, where and when: "00:11:24 naive, detect: the global balancer ...". */
static int build_marks(const rpt_input *in, rpt_charts *cs, common *co)
{
    size_t n = 0;
    for (int s = 0; s < in->n_stages; s++)
        n += in->stages[s].runs[0].n_events;
    co->marks = new_block(cs, (n + 1) * sizeof *co->marks);
    co->stage_marks = new_block(cs, ((size_t)in->n_stages + 1) * sizeof *co->stage_marks);
    if (!co->marks || !co->stage_marks)
        return SIM_ENOMEM;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        co->stage_marks[s] = co->n_marks;
        size_t k = 0;
        for (size_t i = 0; i < r->n_events; i++)
            k += mark_kind(r->events[i].kind) >= 0;
        char *titles = new_block(cs, k * MARK_TITLE + 1);
        if (!titles)
            return SIM_ENOMEM;
        for (size_t i = 0; i < r->n_events; i++) {
            const mdl_event_row *ev = &r->events[i];
            int kind = mark_kind(ev->kind);
            if (kind < 0)
                continue;
            char clock[64], *title = titles;
            titles += MARK_TITLE;
            rpt_clock(in->cfg->scn, ev->t, clock, sizeof clock);
            snprintf(title, MARK_TITLE, "%s %s, %s: %s%s%s%s", clock, in->stages[s].name, mdl_event_kinds[ev->kind],
                     ev->text, strstr(ev->text, ev->target) ? "" : " [", strstr(ev->text, ev->target) ? "" : ev->target,
                     strstr(ev->text, ev->target) ? "" : "]");
            co->marks[co->n_marks++] = (vz_mark){to_x(co, ev->t), in->stages[s].colour, kind, title};
        }
    }
    co->stage_marks[in->n_stages] = co->n_marks;
    return SIM_OK;
}

/* The scenario's captions as numbered notes, numbered as the report's
 * "what happens when" lists them: on the overlaid charts a note per moment
 * (the stages that reached a caption alike, once), on a stage's own
 * charts that stage's. */
static int build_notes(const rpt_input *in, rpt_charts *cs, common *co)
{
    const scenario *sc = in->cfg->scn;
    size_t nc = sc->captions.n, ns = (size_t)in->n_stages;
    co->notes = new_block(cs, (nc * ns + 1) * sizeof *co->notes);
    co->stage_notes = new_block(cs, (ns + 1) * sizeof *co->stage_notes);
    co->n_stage_notes = new_block(cs, (ns + 1) * sizeof *co->n_stage_notes);
    rpt_caption_line *lines = new_block(cs, (ns + 1) * sizeof *lines);
    if (!co->notes || !co->stage_notes || !co->n_stage_notes || !lines)
        return SIM_ENOMEM;
    for (size_t s = 0; s < ns; s++)
        if (!(co->stage_notes[s] = new_block(cs, (nc + 1) * sizeof **co->stage_notes)))
            return SIM_ENOMEM;
    for (size_t i = 0; i < nc; i++) {
        char *label = new_text(cs, "%zu", i + 1);
        size_t n = rpt_caption_lines(in, i, lines, ns);
        for (size_t l = 0; label && l < n; l++) {
            const rpt_caption_line *L = &lines[l];
            if (!L->clock[0])
                continue;
            char *title = new_text(cs, "%s. %s%s%s%s: %s", label, L->clock, L->stages[0] ? " (" : "", L->stages,
                                   L->stages[0] ? ")" : "", L->text);
            co->notes[co->n_notes++] = (vz_note){to_x(co, L->t), label, title};
        }
        for (size_t s = 0; label && s < ns; s++) {
            rpt_caption_hit hit;
            if (rpt_caption(&in->stages[s].runs[0], sc, i, &hit))
                co->stage_notes[s][co->n_stage_notes[s]++] =
                    (vz_note){to_x(co, hit.t), label, new_text(cs, "%s. %s: %s", label, hit.clock, hit.text)};
        }
    }
    return cs->failed ? SIM_ENOMEM : SIM_OK;
}

static int build_common(const rpt_input *in, rpt_charts *cs, common *co)
{
    const scenario *sc = in->cfg->scn;
    co->warmup = sc->warmup;
    co->x_min = 0;
    co->x_max = sim_time_to_seconds(sc->duration);
    co->origin = fmod(sim_time_to_seconds(sc->start + sc->warmup), 86400);
    co->bands = new_block(cs, (3 * sc->faults.n + 1) * sizeof *co->bands); /* up to three phases each */
    if (!co->bands)
        return SIM_ENOMEM;
    for (size_t i = 0; i < sc->faults.n; i++)
        add_fault_bands(in, cs, co, MDL_ITEM(sc->faults, scn_fault, i));
    if (cs->failed || build_marks(in, cs, co) || build_notes(in, cs, co))
        return SIM_ENOMEM;
    return SIM_OK;
}

/* A chart over the common time axis with every band, mark and note; NULL
 * without memory. Later calls may move earlier charts. */
static rpt_chart *add_chart(rpt_charts *cs, const common *co, const char *file, const char *title,
                            const char *y_label, double w, double h)
{
    if (!title || sim_grow((void **)&cs->chart, &cs->cap, (size_t)cs->n + 1, sizeof *cs->chart)) {
        cs->failed = 1;
        return NULL;
    }
    rpt_chart *ch = &cs->chart[cs->n++];
    memset(ch, 0, sizeof *ch);
    snprintf(ch->file, sizeof ch->file, "%s", file);
    ch->w = w;
    ch->h = h;
    ch->place = RPT_OVER_TIME;
    ch->stage = -1;
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
    ch->c.notes = co->notes;
    ch->c.n_notes = co->n_notes;
    return ch;
}

/* A chart of one stage: only its marks and its notes. */
static rpt_chart *add_stage_chart(rpt_charts *cs, const common *co, const rpt_input *in, int s, const char *kind,
                                  const char *what, const char *y_label, double w, double h)
{
    char file[48];
    snprintf(file, sizeof file, "%s-%s", kind, in->stages[s].name);
    rpt_chart *ch = add_chart(cs, co, file, new_text(cs, "%s: %s", in->stages[s].name, what), y_label, w, h);
    if (!ch)
        return NULL;
    ch->stage = s;
    ch->c.marks = co->marks + co->stage_marks[s];
    ch->c.n_marks = co->stage_marks[s + 1] - co->stage_marks[s];
    ch->c.notes = co->stage_notes[s];
    ch->c.n_notes = co->n_stage_notes[s];
    return ch;
}

/* The x of the run's measured points (t >= 0), and how many. */
static double *measured_x(rpt_charts *cs, const rpt_run *r, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < r->n_series; i++)
        *n += r->series[i].t >= 0;
    double *x = new_array(cs, *n);
    for (size_t i = 0, k = 0; x && i < r->n_series; i++)
        if (r->series[i].t >= 0)
            x[k++] = r->series[i].t;
    return x;
}

/* value(r, point, k) for each point of the measured part (as measured_x):
 * a line of a per-type, per-cause or per-datacenter chart. */
typedef double indexed_value(const rpt_run *r, const mdl_series_point *p, int k);
static double *measured_y(rpt_charts *cs, const rpt_run *r, size_t n, indexed_value *value, int k)
{
    double *y = new_array(cs, n);
    for (size_t i = 0, j = 0; y && i < r->n_series; i++)
        if (r->series[i].t >= 0)
            y[j++] = value(r, &r->series[i], k);
    return y;
}

static double v_type_success(const rpt_run *r, const mdl_series_point *p, int type)
{
    (void)r;
    return p->type_offered[type] > 0 ? p->type_succeeded[type] / p->type_offered[type] * 100 : NAN;
}
static double v_cause(const rpt_run *r, const mdl_series_point *p, int cause)
{
    (void)r;
    return p->by_cause[cause];
}
static double v_dc_share(const rpt_run *r, const mdl_series_point *p, int dc)
{
    double total = 0;
    for (int e = 0; e < r->n_dcs; e++)
        total += p->dc_served[e];
    return total > 0 ? p->dc_served[dc] / total * 100 : NAN;
}

/* A success ratio's axis: from 0 unless every value stays high, then zoomed. */
static double ratio_floor(double lowest) { return lowest >= 99 ? 99 : lowest >= 90 ? 90 : 0; }

typedef double point_value(const mdl_series_point *p);
static double v_success(const mdl_series_point *p) { return p->offered > 0 ? p->succeeded / p->offered * 100 : NAN; }
static double v_p99(const mdl_series_point *p) { return p->succeeded > 0 && p->p99 > 0 ? p->p99 : NAN; }
static double v_served(const mdl_series_point *p) { return p->succeeded; }
static double v_offered(const mdl_series_point *p) { return p->offered; }
static double v_lost(const mdl_series_point *p) { return p->lost_writes; }
static double v_cross_dc(const mdl_series_point *p) { return p->cross_dc_calls; }

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

/* ==== The charts ==== */

#define WIDE_W 1200.0           /* a chart across the page */
#define WIDE_H 400.0

static int success_chart(const rpt_input *in, rpt_charts *cs, const common *co)
{
    vz_series *ss = stage_lines(in, cs, v_success, NULL, 0);
    rpt_chart *ch = ss ? add_chart(cs, co, "success-ratio", "Success ratio", "successful / offered", WIDE_W, WIDE_H) : NULL;
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
    ch->c.y_min = ratio_floor(lowest);
    int phased = 0;
    for (size_t i = 0; i < co->n_bands; i++)
        phased |= co->bands[i].phase != VZ_BAND_FAULT;
    snprintf(ch->caption, sizeof ch->caption, "Requests answered successfully out of those offered, per time-series interval.%s%s",
             phased ? " A fault's band is hatched while a building rides on its batteries or generator (nothing has "
                      "failed yet), and darker once the building has gone dark."
                    : "",
             co->n_notes ? " The numbered tags are the scenario's captions (What happens when)." : "");
    return SIM_OK;
}

/* Each stage's success ratio per request type, a small chart each: a
 * degradation switch shedding one type while the others hold shows as
 * that type's line falling alone. A type keeps its colour in every one. */
static int type_charts(const rpt_input *in, rpt_charts *cs, const common *co)
{
    static const int colours[MDL_SERIES_TYPES] = {7, 0, 5, 4, 2, 1, 3, 6};
    const scenario *sc = in->cfg->scn;
    size_t nt = sc->traffic.types.n < MDL_SERIES_TYPES ? sc->traffic.types.n : MDL_SERIES_TYPES;
    /* Most important first, in the legend and on top where lines overlap
     * (a stable sort: the scenario's order among equals). */
    size_t order[MDL_SERIES_TYPES];
    for (size_t i = 0; i < nt; i++) {
        size_t j = i;
        for (; j > 0 && MDL_ITEM(sc->traffic.types, scn_type, order[j - 1])->priority >
                            MDL_ITEM(sc->traffic.types, scn_type, i)->priority; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    int first = cs->n;
    double lowest = 100;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        size_t n;
        double *x = measured_x(cs, r, &n);
        vz_series *lines = new_block(cs, (nt + 1) * sizeof *lines);
        if (!x || !lines)
            return SIM_ENOMEM;
        for (size_t o = 0; o < nt; o++) {
            size_t ty = order[o];
            const scn_type *type = MDL_ITEM(sc->traffic.types, scn_type, ty);
            double *y = measured_y(cs, r, n, v_type_success, (int)ty);
            char *name = new_text(cs, "%s (priority %lld)", type->name, (long long)type->priority);
            if (!y || !name)
                return SIM_ENOMEM;
            for (size_t k = 0; k < n; k++)
                if (isfinite(y[k]))
                    lowest = fmin(lowest, y[k]);
            lines[o] = (vz_series){name, colours[ty], x, y, n, 0}; /* a type keeps its colour */
        }
        rpt_chart *ch = add_stage_chart(cs, co, in, s, "type-success", "success ratio per request type",
                                        "successful / offered", SMALL_W, SMALL_H);
        if (!ch)
            return SIM_ENOMEM;
        ch->small = 1;
        ch->c.series = lines;
        ch->c.n_series = nt;
        ch->c.first_on_top = 1;
        ch->c.y_format = VZ_Y_PERCENT;
        ch->c.y_max = 100;
    }
    for (int c = first; c < cs->n; c++) /* one scale for all, so they compare */
        cs->chart[c].c.y_min = ratio_floor(lowest);
    if (cs->n > first)
        snprintf(cs->chart[first].caption, sizeof cs->chart[first].caption,
                 "Each stage's success ratio per request type, per interval; a degradation switch sheds the types "
                 "with the highest priority number first, so a shed type falls while the others hold.");
    return SIM_OK;
}

/* Each stage's failures per second by cause, stacked, a small chart
 * each: the stage's own overload and shedding apart from the fault's
 * doing and from switching. Each has its own scale. */
static int cause_charts(const rpt_input *in, rpt_charts *cs, const common *co)
{
    static const int colours[FAIL_COUNT] = {3, 0, 5, 4}; /* overload, fault, shed, switching */
    int first = cs->n;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        size_t n;
        double *x = measured_x(cs, r, &n);
        vz_series *layers = new_block(cs, (FAIL_COUNT + 1) * sizeof *layers);
        if (!x || !layers)
            return SIM_ENOMEM;
        for (int cause = 0; cause < FAIL_COUNT; cause++) {
            double *y = measured_y(cs, r, n, v_cause, cause);
            if (!y)
                return SIM_ENOMEM;
            layers[cause] = (vz_series){mdl_failure_causes[cause], colours[cause], x, y, n, 0};
        }
        rpt_chart *ch = add_stage_chart(cs, co, in, s, "failures", "failures by cause", "failures/s", SMALL_W, SMALL_H);
        if (!ch)
            return SIM_ENOMEM;
        ch->small = 1;
        ch->c.series = layers;
        ch->c.n_series = FAIL_COUNT;
        ch->c.stacked = 1;
    }
    if (cs->n > first) {
        rpt_chart *ch = &cs->chart[first];
        size_t at = (size_t)snprintf(ch->caption, sizeof ch->caption,
                                     "Each stage's failed requests per second by cause, stacked; each chart has its own scale. ");
        for (int c = 0; c < FAIL_COUNT && at < sizeof ch->caption; c++)
            at += (size_t)snprintf(ch->caption + at, sizeof ch->caption - at, "%s%s: %s", c ? "; " : "",
                                   mdl_failure_causes[c], mdl_failure_cause_docs[c]);
        if (at < sizeof ch->caption)
            snprintf(ch->caption + at, sizeof ch->caption - at, ". The strip along the top shows the fault's phases.");
    }
    return SIM_OK;
}

static int latency_chart(const rpt_input *in, rpt_charts *cs, const common *co)
{
    vz_series *ss = stage_lines(in, cs, v_p99, NULL, 0);
    rpt_chart *ch = ss ? add_chart(cs, co, "p99-latency", "p99 latency (log scale)", "seconds", WIDE_W, WIDE_H) : NULL;
    if (!ch)
        return SIM_ENOMEM;
    ch->c.series = ss;
    ch->c.n_series = (size_t)in->n_stages;
    ch->c.y_format = VZ_Y_SECONDS;
    ch->c.y_log = 1;
    snprintf(ch->caption, sizeof ch->caption, "The 99th percentile of the latency of requests answered in each interval; gaps where nothing succeeded.");
    return SIM_OK;
}

/* The offered load is the same for every stage (shared arrivals): drawn
 * once, dashed. */
static int throughput_chart(const rpt_input *in, rpt_charts *cs, const common *co)
{
    vz_series *ss = stage_lines(in, cs, v_served, NULL, 1);
    vz_series *offered = ss ? stage_lines(in, cs, v_offered, NULL, 0) : NULL;
    rpt_chart *ch = offered ? add_chart(cs, co, "throughput", "Offered and served throughput", "requests/s", WIDE_W, WIDE_H) : NULL;
    if (!ch)
        return SIM_ENOMEM;
    ss[in->n_stages] = offered[0];
    ss[in->n_stages].name = "offered";
    ss[in->n_stages].colour = 7;
    ss[in->n_stages].dashed = 1;
    ch->c.series = ss;
    ch->c.n_series = (size_t)in->n_stages + 1;
    snprintf(ch->caption, sizeof ch->caption, "Offered load (the same users and arrivals for every stage) and successful requests per second.");
    return SIM_OK;
}

static int cross_dc_chart(const rpt_input *in, rpt_charts *cs, const common *co)
{
    vz_series *ss = stage_lines(in, cs, v_cross_dc, NULL, 0);
    rpt_chart *ch = ss ? add_chart(cs, co, "cross-dc-calls", "Cross-datacenter database calls", "calls/s", WIDE_W, 340) : NULL;
    if (!ch)
        return SIM_ENOMEM;
    ch->c.series = ss;
    ch->c.n_series = (size_t)in->n_stages;
    snprintf(ch->caption, sizeof ch->caption,
             "Database calls per second that left the datacenter they were made in: each one pays the latency "
             "between buildings, and a failover that moves primaries away from their callers shows as a rise.");
    return SIM_OK;
}

static int lost_writes_chart(const rpt_input *in, rpt_charts *cs, const common *co)
{
    vz_series *ss = stage_lines(in, cs, v_lost, total_lost, 0);
    rpt_chart *ch = ss ? add_chart(cs, co, "lost-writes", "Lost writes (cumulative)", "writes", WIDE_W, WIDE_H) : NULL;
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
    return SIM_OK;
}

/* Share of traffic per datacenter, a stacked chart in each stage's
 * section; a datacenter keeps its colour in every one. */
static int dc_share_charts(const rpt_input *in, rpt_charts *cs, const common *co)
{
    static const int dc_colours[] = {5, 3, 2, 6, 4, 1, 0, 7};
    const char *dc_seen[64];
    int n_seen = 0;
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_run *r = &in->stages[s].runs[0];
        vz_series *layers = new_block(cs, (size_t)(r->n_dcs + 1) * sizeof *layers);
        size_t n;
        double *x = measured_x(cs, r, &n);
        if (!layers || !x)
            return SIM_ENOMEM;
        for (int d = 0; d < r->n_dcs; d++) {
            int g = 0;
            while (g < n_seen && strcmp(dc_seen[g], r->dc_names[d]))
                g++;
            if (g == n_seen && n_seen < 64)
                dc_seen[n_seen++] = r->dc_names[d];
            double *y = measured_y(cs, r, n, v_dc_share, d);
            if (!y)
                return SIM_ENOMEM;
            layers[d] = (vz_series){r->dc_names[d], dc_colours[g % 8], x, y, n, 0};
        }
        rpt_chart *ch = add_stage_chart(cs, co, in, s, "dc-share", "share of requests served per datacenter", "share", WIDE_W, 260);
        if (!ch)
            return SIM_ENOMEM;
        ch->place = RPT_IN_STAGE;
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
    return SIM_OK;
}

int rpt_charts_build(const rpt_input *in, rpt_charts *cs)
{
    memset(cs, 0, sizeof *cs);
    common co = {0};
    if (build_common(in, cs, &co))
        return SIM_ENOMEM;
    /* In the order the report shows them. */
    int (*const build[])(const rpt_input *, rpt_charts *, const common *) = {
        success_chart, type_charts, cause_charts, latency_chart, throughput_chart,
        cross_dc_chart, lost_writes_chart, dc_share_charts,
    };
    for (size_t i = 0; i < sizeof build / sizeof *build; i++)
        if (build[i](in, cs, &co))
            return SIM_ENOMEM;
    return cs->failed ? SIM_ENOMEM : SIM_OK;
}

void rpt_charts_free(rpt_charts *cs)
{
    for (size_t i = 0; i < cs->n_blocks; i++)
        sim_free(cs->blocks[i]);
    sim_free(cs->blocks);
    sim_free(cs->chart);
    memset(cs, 0, sizeof *cs);
}

void rpt_chart_draw(cairo_t *cr, double w, double h, const void *chart)
{
    const rpt_chart *ch = chart;
    vz_chart_draw(cr, &ch->c, 0, 0, w, h);
}
