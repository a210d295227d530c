/* sc_frame.c -- composing one frame of the window: the top bar, the map
 * and its inspector, the captions, the charts and the timeline, the
 * legend, and the help and results overlays. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_kinds.h"
#include "sc_scene.h"
#include "vz_palette.h"
#include "vz_text.h"

#define TOP_BAR 38.0
#define INSPECTOR_W 400.0
#define STRIP_H 210.0
#define TIMELINE_H 40.0
#define TIMELINE_LEFT 60.0  /* as sc_strip.c draws it */
#define TIMELINE_RIGHT 10.0

double sc_start_clock(const mdl_film *f)
{
    int h = 0, m = 0, s = 0;
    const char *c = mdl_film_about(f)->start_clock;
    if (!c || sscanf(c, "%d:%d:%d", &h, &m, &s) < 2)
        return 0;
    return h * 3600.0 + m * 60.0 + s;
}

void sc_clock(const mdl_film *f, sim_time t, char *buf, int size)
{
    long long s = (long long)floor(sc_start_clock(f) + sim_time_to_seconds(t));
    s = ((s % 86400) + 86400) % 86400;
    snprintf(buf, (size_t)size, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
}

sim_time sc_timeline_time(const sc_layout *l, double x)
{
    double f = (x - l->timeline_x - TIMELINE_LEFT) / (l->timeline_w - TIMELINE_LEFT - TIMELINE_RIGHT);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return (sim_time)(f * (double)l->timeline_end);
}

/* ==== The top bar ==== */

static void top_bar(cairo_t *cr, double W, const sc_input *in)
{
    const mdl_film_info *about = mdl_film_about(in->film);
    cairo_set_source_rgb(cr, 0.15, 0.17, 0.2);
    cairo_rectangle(cr, 0, 0, W, TOP_BAR);
    cairo_fill(cr);
    char clock[16], text[512];
    sc_clock(in->film, in->t, clock, sizeof clock);
    /* Since the first fault, and the Double-11 countdown to midnight. */
    char since[48] = "";
    sim_time first = -1; /* the earliest planned fault */
    for (size_t i = 0; i < in->rec->n_marks; i++)
        if (first < 0 || in->rec->marks[i].from < first)
            first = in->rec->marks[i].from;
    if (first >= 0 && in->t >= first) {
        long long s = (long long)sim_time_to_seconds(in->t - first);
        snprintf(since, sizeof since, "  (fault +%lld:%02lld)", s / 60, s % 60);
    }
    double at = fmod(sc_start_clock(in->film) + sim_time_to_seconds(in->t), 86400);
    double to_midnight = at >= 43200 ? 86400 - at : -at;
    char countdown[48];
    if (to_midnight > 0)
        snprintf(countdown, sizeof countdown, "Double-11 in %d:%02d", (int)to_midnight / 60, (int)to_midnight % 60);
    else
        snprintf(countdown, sizeof countdown, "Double-11 +%d:%02d", (int)-to_midnight / 60, (int)-to_midnight % 60);
    char speed[64];
    if (in->ui->reached > 0 && in->ui->reached < in->ui->speed * 0.9 && !in->ui->paused)
        snprintf(speed, sizeof speed, "%gx (reaching %.1fx)", in->ui->speed, in->ui->reached);
    else
        snprintf(speed, sizeof speed, "%gx", in->ui->speed);
    cairo_set_source_rgb(cr, 1, 1, 1);
    vz_font(cr, 15, 1);
    snprintf(text, sizeof text, "%s \xc2\xb7 %s", about->scenario, about->stage);
    vz_text(cr, 12, TOP_BAR / 2, text, VZ_LEFT, VZ_MIDDLE);
    double x = 24 + vz_text_width(cr, text);
    vz_font(cr, 17, 1);
    snprintf(text, sizeof text, "%s%s", clock, since);
    vz_text(cr, x, TOP_BAR / 2, text, VZ_LEFT, VZ_MIDDLE);
    x += vz_text_width(cr, text) + 24;
    vz_font(cr, 13, 0);
    snprintf(text, sizeof text, "%s   %s   %s   seed %llu   scale %g%s%s", countdown,
             in->ui->paused ? "paused" : "playing", speed,
             (unsigned long long)about->seed, about->scale, in->ui->live ? (in->ui->in_past ? "   in the past: End returns live" : "") : "   replay",
             in->ui->operator_seat ? "   OPERATOR SEAT" : "");
    vz_text(cr, x, TOP_BAR / 2, text, VZ_LEFT, VZ_MIDDLE);
    vz_font(cr, 12, 0);
    cairo_set_source_rgb(cr, 0.75, 0.8, 0.85);
    vz_text(cr, W - 12, TOP_BAR / 2, "h: help", VZ_RIGHT, VZ_MIDDLE);
}

/* ==== The inspector ==== */

typedef struct pen {
    cairo_t *cr;
    double x, y, w;
} pen;

static void line(pen *p, int bold, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(pen *p, int bold, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    vz_font(p->cr, bold ? 13 : 12, bold);
    vz_set(p->cr, vz_ink, 1);
    p->y = vz_text_wrapped(p->cr, p->x, p->y, p->w, bold ? 17 : 16, text) + 2;
}

static void causes_lines(pen *p, const double *by_cause, double failed)
{
    char rate[24];
    for (int c = 0; c < FAIL_COUNT; c++)
        if (by_cause[c] > 0.0005 * (failed > 0 ? failed : 1) && by_cause[c] > 0) {
            vz_rate_text(by_cause[c], rate, sizeof rate);
            line(p, 0, "   %s failed: %s", rate, mdl_failure_causes[c]);
        }
}

static void inspect_unit(pen *p, const sc_input *in, int u)
{
    const mdl_view *v = in->v;
    const mdl_view_unit *unit = &v->units[u];
    char a[24], b[24];
    line(p, 1, "unit %s (%s)", unit->name, mdl_unit_kinds[unit->kind]);
    if (unit->kind == UNIT_RZONE)
        line(p, 0, "user shards %d-%d", unit->shards_lo, unit->shards_hi);
    if (unit->home >= 0)
        line(p, 0, "traffic goes to its cell in %s%s", v->dcs[v->cells[unit->home].dc].name,
             unit->switching ? "; a switch is under way" : "");
    else
        line(p, 0, "no cell takes its traffic%s", unit->switching ? "; a switch is under way" : "");
    vz_rate_text(unit->offered, a, sizeof a);
    vz_rate_text(unit->failed, b, sizeof b);
    line(p, 0, "last second: %s offered, %s failed", a, b);
    causes_lines(p, unit->by_cause, unit->failed);
    for (int c = 0; c < v->n_cells; c++)
        if (v->cells[c].unit == u)
            line(p, 0, "cell in %s%s: %d/%d servers up, %d in rotation, %d busy, %d queued", v->dcs[v->cells[c].dc].name,
                 v->cells[c].standby ? " (standby)" : "", v->cells[c].servers_up, v->cells[c].servers,
                 v->cells[c].in_rotation, v->cells[c].busy, v->cells[c].queued);
    if (in->ui->operator_seat)
        line(p, 1, "[S] switch to its standby   [F] fail back home");
}

static void inspect_group(pen *p, const sc_input *in, int gi)
{
    const mdl_view *v = in->v;
    const mdl_view_group *g = &v->groups[gi];
    line(p, 1, "database %s, shards %d-%d", g->database, g->shards_lo, g->shards_hi);
    line(p, 0, "%llu commits acknowledged%s%s", (unsigned long long)g->lsn, g->promoting ? "; a promotion is under way" : "",
         g->write_forbidden ? "; writes forbidden by a unit switch" : "");
    if (g->primary < 0)
        line(p, 1, "no leader serves: writes fail");
    for (int n = 0; n < g->n_copies; n++) {
        const mdl_view_copy *cp = &g->copies[n];
        line(p, 0, "%s in %s: %s%s%s", g->primary == n ? "leader" : cp->failover ? "failover copy" : "replica",
             v->dcs[cp->dc].name, cp->up ? (cp->recovering ? "recovering" : "up") : "down",
             cp->cut_off ? ", cut off from the leader" : "", "");
        if (cp->cut_off && cp->behind)
            line(p, 0, "   lacks %llu commits", (unsigned long long)cp->behind);
    }
    if (in->ui->operator_seat)
        line(p, 1, "[P] promote a replica of this group");
}

static void inspect_dc(pen *p, const sc_input *in, int d)
{
    const mdl_view *v = in->v;
    const mdl_view_dc *dc = &v->dcs[d];
    line(p, 1, "datacenter %s, %s", dc->name, v->cities[dc->city].name);
    if (!dc->used) {
        line(p, 0, "this stage does not use it");
        return;
    }
    line(p, 0, "power: %s", !dc->powered ? "dark" : dc->alarm ? "on batteries, no generator coming" : "on");
    if (dc->alarm && dc->powered)
        line(p, 0, "batteries run out in %d:%02d", (int)dc->batteries_left_s / 60, (int)dc->batteries_left_s % 60);
    if (dc->isolated)
        line(p, 0, "cut off from the other datacenters (%s)", dc->isolated == 2 ? "refusing" : "dropping");
    if (dc->drained)
        line(p, 0, "drained: its traffic went to the others");
    if (dc->entry)
        line(p, 0, "entry point %s", dc->entry_up ? "answers" : "is down");
    int cells = 0, up = 0, servers = 0, leaders = 0, copies = 0, down = 0;
    for (int c = 0; c < v->n_cells; c++)
        if (v->cells[c].dc == d)
            cells++, servers += v->cells[c].servers, up += v->cells[c].servers_up;
    for (int gi = 0; gi < v->n_groups; gi++)
        for (int n = 0; n < v->groups[gi].n_copies; n++)
            if (v->groups[gi].copies[n].dc == d) {
                copies++;
                leaders += v->groups[gi].primary == n;
                down += !v->groups[gi].copies[n].up;
            }
    line(p, 0, "%d cells, %d/%d servers up", cells, up, servers);
    line(p, 0, "%d database copies (%d leaders, %d down)", copies, leaders, down);
    for (int u = 0; u < v->n_units; u++) {
        const mdl_view_unit *unit = &v->units[u];
        if (unit->home >= 0 && v->cells[unit->home].dc == d && vz_unit_main_cause(unit) >= 0) {
            char r[24];
            vz_rate_text(unit->failed, r, sizeof r);
            line(p, 0, "%s fails %s:", unit->name, r);
            causes_lines(p, unit->by_cause, unit->failed);
        }
    }
    if (in->ui->operator_seat)
        line(p, 1, dc->drained ? "[U] take traffic again" : "[D] drain: move its traffic away");
}

static void inspect_link(pen *p, const sc_input *in, int k)
{
    const mdl_view *v = in->v;
    const mdl_view_link *l = &v->links[k];
    char from[64], to[64];
    snprintf(from, sizeof from, "%s", l->from >= 0 ? v->dcs[l->from].name : v->cities[-1 - l->from].name);
    snprintf(to, sizeof to, "%s", l->to >= 0 ? v->dcs[l->to].name : v->cities[-1 - l->to].name);
    line(p, 1, "link %s \xe2\x86\x92 %s", from, to);
    line(p, 0, "%s, %.2f ms one way, %.1f%% lost", !l->up ? "down" : l->detour ? "cut: going round" : "up",
         l->latency_s * 1e3, l->loss * 100);
    if (in->before && v->now > in->before->now) {
        double dt = sim_time_to_seconds(v->now - in->before->now);
        char r[24];
        vz_rate_text((double)(l->messages - in->before->links[k].messages) / dt / v->scale, r, sizeof r);
        line(p, 0, "carries %s messages", r);
    }
}

static void inspect_overall(pen *p, const sc_input *in)
{
    const mdl_view *v = in->v;
    line(p, 1, "the whole system");
    if (v->has_last) {
        char a[24], b[24], c[24];
        vz_rate_text(v->last.offered, a, sizeof a);
        vz_rate_text(v->last.succeeded, b, sizeof b);
        vz_rate_text(v->last.failed, c, sizeof c);
        line(p, 0, "last second: %s offered, %s served, %s failed", a, b, c);
        causes_lines(p, v->last.by_cause, v->last.failed);
        if (v->last.succeeded > 0)
            line(p, 0, "p50 %.0f ms, p99 %.0f ms", v->last.p50 * 1e3, v->last.p99 * 1e3);
        if (v->last.lost_writes > 0)
            line(p, 0, "acknowledged writes lost so far: %.0f", v->last.lost_writes);
    }
    if (in->ui->operator_seat)
        line(p, 1, "[R] roll back the release   [1-9] shed / restore a request type");
}

/* The story so far: the latest rows of the event log. */
static void story(pen *p, const sc_input *in, double bottom)
{
    const mdl_view *v = in->v;
    p->y += 8;
    line(p, 1, "what happened");
    size_t from = v->n_events > 12 ? v->n_events - 12 : 0;
    /* From the newest back, as many as fit. */
    double y0 = p->y;
    size_t first = v->n_events;
    double need = 0;
    vz_font(p->cr, 11, 0);
    while (first > from) {
        double h = 16.0 * (1 + floor((vz_text_width(p->cr, v->events[first - 1].text) + 60) / p->w));
        if (y0 + need + h > bottom)
            break;
        need += h;
        first--;
    }
    for (size_t i = first; i < v->n_events; i++) {
        char clock[16], text[300];
        sc_clock(in->film, v->events[i].t, clock, sizeof clock);
        snprintf(text, sizeof text, "%s  %s", clock, v->events[i].text);
        vz_font(p->cr, 11, v->events[i].kind == EV_ACTION);
        if (v->events[i].kind == EV_FAULT)
            vz_set_colour(p->cr, 0, 1);
        else
            vz_set(p->cr, vz_ink, 1);
        p->y = vz_text_wrapped(p->cr, p->x, p->y, p->w, 14, text) + 2;
    }
}

static void inspector(cairo_t *cr, double x, double y, double w, double h, const sc_input *in)
{
    cairo_set_source_rgb(cr, 0.985, 0.985, 0.99);
    cairo_rectangle(cr, x, y, w, h);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.87);
    cairo_rectangle(cr, x, y, 1, h);
    cairo_fill(cr);
    pen p = {cr, x + 12, y + 20, w - 24};
    int kind = in->ui->select_kind, index = in->ui->select_index;
    if (in->ui->hover_kind != VZ_HIT_NONE)
        kind = in->ui->hover_kind, index = in->ui->hover_index;
    const mdl_view *v = in->v;
    switch (kind) {
    case VZ_HIT_CITY:
        line(&p, 1, "city %s", v->cities[index].name);
        for (int d = 0; d < v->n_dcs; d++)
            if (v->dcs[d].city == index)
                line(&p, 0, "%s: %s", v->dcs[d].name, !v->dcs[d].used ? "not used" : !v->dcs[d].powered ? "dark"
                                                       : v->dcs[d].isolated ? "cut off" : v->dcs[d].alarm ? "on batteries"
                                                                                                         : "up");
        line(&p, 0, "click to look inside");
        break;
    case VZ_HIT_DC: inspect_dc(&p, in, index); break;
    case VZ_HIT_CELL: inspect_unit(&p, in, v->cells[index].unit); break;
    case VZ_HIT_UNIT: inspect_unit(&p, in, index); break;
    case VZ_HIT_GROUP: inspect_group(&p, in, index); break;
    case VZ_HIT_LINK: inspect_link(&p, in, index); break;
    default: inspect_overall(&p, in); break;
    }
    if (in->ui->status[0]) {
        p.y += 6;
        vz_font(cr, 12, 1);
        vz_set_colour(cr, 1, 1);
        p.y = vz_text_wrapped(cr, p.x, p.y, p.w, 16, in->ui->status) + 2;
    }
    story(&p, in, y + h - 10);
}

/* ==== Captions, legend, overlays ==== */

static void captions(cairo_t *cr, double x, double y, double w, const sc_input *in)
{
    const mdl_film_caption *c = in->rec->captions;
    size_t n = in->rec->n_captions;
    double bottom = y;
    for (size_t i = n; i-- > 0;) {
        if (!(c[i].from <= in->t && in->t < c[i].to))
            continue;
        vz_font(cr, 17, 1);
        double tw = fmin(vz_text_width(cr, c[i].text), w - 80);
        int lines = (int)ceil(vz_text_width(cr, c[i].text) / (w - 80));
        double bh = 14 + 22.0 * lines;
        cairo_set_source_rgba(cr, 0.08, 0.08, 0.1, 0.82);
        cairo_rectangle(cr, x + (w - tw) / 2 - 14, bottom - bh, tw + 28, bh);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        vz_text_wrapped(cr, x + (w - tw) / 2, bottom - bh + 24, tw + 1, 22, c[i].text);
        bottom -= bh + 6;
    }
}

static void legend(cairo_t *cr, double x, double y)
{
    vz_font(cr, 10, 0);
    static const int states[] = {VZ_STATE_OK, VZ_STATE_WARN, VZ_STATE_BAD, VZ_STATE_DARK, VZ_STATE_SWITCHING,
                                 VZ_STATE_STANDBY};
    for (int i = 0; i < 6; i++) {
        vz_set_state(cr, states[i], states[i] == VZ_STATE_STANDBY ? 0.3 : 0.95);
        cairo_rectangle(cr, x, y - 5, 11, 10);
        cairo_fill(cr);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, x + 15, y, vz_state_names[states[i]], VZ_LEFT, VZ_MIDDLE);
        x += vz_text_width(cr, vz_state_names[states[i]]) + 28;
    }
    /* Copies: leader filled, replica hollow, failover square; links. */
    vz_set_state(cr, VZ_STATE_OK, 1);
    cairo_arc(cr, x + 5, y, 4.5, 0, 2 * M_PI);
    cairo_fill(cr);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, x + 13, y, "leader", VZ_LEFT, VZ_MIDDLE);
    x += 60;
    vz_set_state(cr, VZ_STATE_OK, 1);
    cairo_set_line_width(cr, 1.6);
    cairo_arc(cr, x + 5, y, 4, 0, 2 * M_PI);
    cairo_stroke(cr);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, x + 13, y, "replica", VZ_LEFT, VZ_MIDDLE);
    x += 62;
    vz_set_state(cr, VZ_STATE_OK, 1);
    cairo_rectangle(cr, x + 1, y - 4, 8, 8);
    cairo_stroke(cr);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, x + 13, y, "failover db", VZ_LEFT, VZ_MIDDLE);
    x += 80;
    vz_set_colour(cr, 5, 1);
    cairo_rectangle(cr, x, y - 1, 18, 2.5);
    cairo_fill(cr);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, x + 22, y, "link going round", VZ_LEFT, VZ_MIDDLE);
    x += 112;
    vz_set_state(cr, VZ_STATE_OK, 1);
    for (int i = 0; i < 3; i++) {
        cairo_arc(cr, x + 3 + i * 7, y, 2, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    vz_set(cr, vz_ink, 1);
    vz_text(cr, x + 24, y, "traffic", VZ_LEFT, VZ_MIDDLE);
}

static void panel(cairo_t *cr, double W, double H, double pw, double ph, const char *title, const char *text)
{
    double x = (W - pw) / 2, y = (H - ph) / 2;
    cairo_set_source_rgba(cr, 0, 0, 0, 0.35);
    cairo_rectangle(cr, 0, 0, W, H);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, x, y, pw, ph);
    cairo_fill(cr);
    vz_set(cr, vz_ink, 1);
    vz_font(cr, 17, 1);
    vz_text(cr, x + 20, y + 30, title, VZ_LEFT, VZ_MIDDLE);
    vz_font(cr, 13, 0);
    double ly = y + 60;
    const char *s = text;
    while (*s && ly < y + ph - 10) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf - 1 ? n : sizeof buf - 1), s);
        vz_text(cr, x + 20, ly, buf, VZ_LEFT, VZ_MIDDLE);
        ly += 20;
        s += n + (e ? 1 : 0);
    }
}

static const char help_text[] =
    "space      pause / play\n"
    "+ / -      faster / slower (0.1x to 1000x)\n"
    ". / ,      one second forward / back;  shift+.  one recorded frame forward\n"
    "n / b      jump to the next / previous fault or event\n"
    "Home/End   the start / now (live) or the end (replay)\n"
    "drag the timeline to seek, backwards too\n"
    "click      select; click a city or datacenter again to look inside\n"
    "Esc / Backspace   back out of the drill-down\n"
    "hover      what it is, its state and figures, why it fails\n"
    "operator seat: select a thing, then the key the inspector offers\n"
    "   S switch a unit  F fail back  P promote  D drain  U undrain\n"
    "   R roll back the release  1-9 shed / restore a request type\n"
    "c          your phases beside the automatic stage's (operator seat)\n"
    "q          quit";

void sc_draw(cairo_t *cr, double W, double H, const sc_input *in, sc_layout *out)
{
    sc_layout local;
    sc_layout *L = out ? out : &local;
    memset(L, 0, sizeof *L);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    top_bar(cr, W, in);
    double main_h = H - TOP_BAR - STRIP_H - TIMELINE_H - 30;
    double map_w = W - INSPECTOR_W;
    L->map_x = 10, L->map_y = TOP_BAR + 8, L->map_w = map_w - 20, L->map_h = main_h - 30;
    /* Link rates and where faults strike, from the view and the log. */
    const mdl_view *v = in->v;
    double rates[256] = {0}, flash[64] = {0};
    int faulted[64] = {0};
    if (in->before && in->before->n_links == v->n_links && v->now > in->before->now) {
        double dt = sim_time_to_seconds(v->now - in->before->now);
        for (int k = 0; k < v->n_links && k < 256; k++)
            rates[k] = (double)(v->links[k].messages - in->before->links[k].messages) / dt / (v->scale > 0 ? v->scale : 1);
    }
    for (size_t i = 0; i < v->n_events; i++) {
        const mdl_event_row *e = &v->events[i];
        if (e->kind != EV_FAULT && e->kind != EV_REPAIR)
            continue;
        for (int d = 0; d < v->n_dcs && d < 64; d++) {
            int hit = strstr(e->target, v->dcs[d].name) || strstr(e->target, v->cities[v->dcs[d].city].name);
            if (!hit)
                continue;
            if (e->kind == EV_FAULT) {
                faulted[d]++;
                double age = sim_time_to_seconds(in->t - e->t);
                flash[d] = fmax(flash[d], age < 6 ? 1 - age / 6 : 0);
            } else if (faulted[d] > 0)
                faulted[d]--;
        }
    }
    vz_map_input mi = {v, rates, flash, faulted, in->ui->focus_kind, in->ui->focus_index, in->ui->select_kind,
                       in->ui->select_index};
    vz_map_draw(cr, L->map_x, L->map_y, L->map_w, L->map_h, &mi, &L->hits);
    if (in->ui->focus_kind != VZ_HIT_NONE) {
        vz_font(cr, 11, 0);
        vz_set(cr, vz_axis, 1);
        vz_text(cr, L->map_x + L->map_w - 4, L->map_y + 10, "Esc: back out", VZ_RIGHT, VZ_MIDDLE);
    }
    legend(cr, L->map_x + 4, L->map_y + L->map_h + 14);
    captions(cr, L->map_x, L->map_y + L->map_h - 8, L->map_w, in);
    inspector(cr, map_w, TOP_BAR, INSPECTOR_W, main_h, in);
    double strip_y = TOP_BAR + main_h + 4;
    sc_draw_charts(cr, 10, strip_y, W - 20, STRIP_H - 8, in);
    L->timeline_x = 10, L->timeline_y = strip_y + STRIP_H, L->timeline_w = W - 20, L->timeline_h = TIMELINE_H - 16;
    L->timeline_end = in->end;
    sc_draw_timeline(cr, L->timeline_x, L->timeline_y, L->timeline_w, L->timeline_h, in);
    if (in->ui->result_text)
        panel(cr, W, H, fmin(W - 80, 1100), fmin(H - 80, 560), "your incident beside the automatic stage's",
              in->ui->result_text);
    else if (in->ui->help)
        panel(cr, W, H, 720, 360, "keys and mouse", help_text);
}
