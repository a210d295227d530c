/* vz_map.c -- drawing the map of a running world from its view. */
#include "vz_map.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_kinds.h"
#include "vz_palette.h"
#include "vz_text.h"

const char *const vz_state_names[VZ_STATES] = {"healthy", "degraded", "failing", "dark / down", "switching", "standby"};

/* Okabe-Ito hues for states, so the map reads for every colour vision:
 * bluish green, orange, vermillion, near black, yellow, grey. */
static const vz_rgb state_rgb[VZ_STATES] = {
    {0.00, 0.62, 0.45}, {0.90, 0.62, 0.00}, {0.84, 0.37, 0.00},
    {0.20, 0.20, 0.22}, {0.94, 0.89, 0.26}, {0.62, 0.62, 0.62},
};

void vz_set_state(cairo_t *cr, int state, double alpha) { vz_set(cr, state_rgb[state], alpha); }

void vz_hits_add(vz_hits *h, double x, double y, double w, double h_, int kind, int index)
{
    if (!h || h->n == (int)(sizeof h->v / sizeof h->v[0]))
        return;
    h->v[h->n++] = (vz_hit){x, y, w, h_, kind, index};
}

const vz_hit *vz_hits_at(const vz_hits *h, double x, double y)
{
    for (int i = h->n - 1; i >= 0; i--) {
        const vz_hit *b = &h->v[i];
        if (x >= b->x && x < b->x + b->w && y >= b->y && y < b->y + b->h)
            return b;
    }
    return NULL;
}

void vz_rate_text(double per_s, char *buf, int size)
{
    if (per_s >= 1e6)
        snprintf(buf, (size_t)size, "%.1fM/s", per_s / 1e6);
    else if (per_s >= 1e3)
        snprintf(buf, (size_t)size, "%.1fk/s", per_s / 1e3);
    else
        snprintf(buf, (size_t)size, "%.0f/s", per_s);
}

int vz_unit_main_cause(const mdl_view_unit *u)
{
    if (u->failed <= 0 || u->failed < 0.001 * u->offered)
        return -1;
    int best = -1;
    for (int c = 0; c < FAIL_COUNT; c++)
        if (u->by_cause[c] > 0 && (best < 0 || u->by_cause[c] > u->by_cause[best]))
            best = c;
    return best;
}

/* ==== Layout: where each city and datacenter stands ==== */

typedef struct box {
    double x, y, w, h;
    int shown;
} box;

typedef struct layout {
    box city[32], dc[64];
} layout;

static int dc_shown(const vz_map_input *in, int d)
{
    const mdl_view *v = in->v;
    if (in->focus_kind == VZ_HIT_DC)
        return d == in->focus_index;
    if (in->focus_kind == VZ_HIT_CITY)
        return v->dcs[d].city == in->focus_index;
    return 1;
}

/* Cities west to east, each as wide as the datacenters in it, the north
 * standing higher than the south; a city's datacenters side by side. */
static void lay_out(const vz_map_input *in, double x, double y, double w, double h, layout *L)
{
    const mdl_view *v = in->v;
    memset(L, 0, sizeof *L);
    int order[32], n = 0;
    double weight[32] = {0}, total = 0, lat_lo = 1e9, lat_hi = -1e9;
    for (int c = 0; c < v->n_cities && c < 32; c++) {
        for (int d = 0; d < v->n_dcs && d < 64; d++)
            if (v->dcs[d].city == c && dc_shown(in, d))
                weight[c] += v->dcs[d].used ? 1 : 0.45;
        if (weight[c] <= 0)
            continue;
        int at = n++;
        while (at > 0 && v->cities[order[at - 1]].lon > v->cities[c].lon) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = c;
        total += weight[c];
        lat_lo = fmin(lat_lo, v->cities[c].lat);
        lat_hi = fmax(lat_hi, v->cities[c].lat);
    }
    double gap = n > 1 ? fmin(40, w * 0.03) : 0;
    double band = in->focus_kind == VZ_HIT_DC ? 0 : fmin(90, h * 0.16); /* where links arc */
    y += band, h -= band;
    double cx = x, lift = n > 1 && lat_hi > lat_lo ? h * 0.12 : 0;
    for (int k = 0; k < n; k++) {
        int c = order[k];
        double cw = (w - gap * (n - 1)) * weight[c] / total;
        double north = lat_hi > lat_lo ? (v->cities[c].lat - lat_lo) / (lat_hi - lat_lo) : 1;
        double cy = y + lift * (1 - north);
        L->city[c] = (box){cx, cy, cw, h - lift, 1};
        /* Its datacenters, used ones wide, unused ones narrow. */
        double inner_x = cx + 8, inner_w = cw - 16, dx = inner_x;
        int m = 0;
        for (int d = 0; d < v->n_dcs && d < 64; d++)
            m += v->dcs[d].city == c && dc_shown(in, d);
        double dgap = m > 1 ? 10 : 0;
        for (int d = 0; d < v->n_dcs && d < 64; d++) {
            if (v->dcs[d].city != c || !dc_shown(in, d))
                continue;
            double dw = (inner_w - dgap * (m - 1)) * (v->dcs[d].used ? 1 : 0.45) / weight[c];
            L->dc[d] = (box){dx, cy + 26, dw, h - lift - 34, 1};
            dx += dw + dgap;
        }
        cx += cw + gap;
    }
}

/* ==== Links ==== */

static int link_end(const layout *L, int place, double *px, double *py)
{
    const box *b = place >= 0 ? (place < 64 ? &L->dc[place] : NULL) : (-1 - place < 32 ? &L->city[-1 - place] : NULL);
    if (!b || !b->shown)
        return 0;
    *px = b->x + b->w / 2;
    *py = b->y;
    return 1;
}

/* A point of the quadratic curve from p0 over c to p1. */
static void on_curve(double x0, double y0, double cx, double cy, double x1, double y1, double f, double *x, double *y)
{
    double a = (1 - f) * (1 - f), b = 2 * (1 - f) * f, c = f * f;
    *x = a * x0 + b * cx + c * x1;
    *y = a * y0 + b * cy + c * y1;
}

/* Links arc over the boxes, from the top of one to the top of the other,
 * the two directions at two heights; the farther apart, the higher. */
static void draw_links(cairo_t *cr, const vz_map_input *in, const layout *L, double top, vz_hits *hits)
{
    const mdl_view *v = in->v;
    double now = sim_time_to_seconds(v->now);
    for (int k = 0; k < v->n_links; k++) {
        const mdl_view_link *l = &v->links[k];
        double x0, y0, x1, y1;
        if (!link_end(L, l->from, &x0, &y0) || !link_end(L, l->to, &x1, &y1))
            continue;
        int east = x1 > x0;
        x0 += east ? 4 : -4, x1 += east ? -4 : 4;
        double span = fabs(x1 - x0);
        double cx = (x0 + x1) / 2, cy = fmin(y0, y1) - 18 - span * 0.12 - (east ? 0 : 14);
        if (cy < top + 4)
            cy = top + 4 + (east ? 14 : 0);
        double rate = in->link_rate ? in->link_rate[k] : 0;
        double width = 1.2 + 1.6 * log10(1 + rate / 100);
        /* A clean link loses a few in a hundred thousand; a fault's loss
         * is what shows. */
        int lossy = l->loss > 0.001;
        int state = !l->up ? VZ_STATE_BAD : lossy ? VZ_STATE_WARN : VZ_STATE_OK;
        cairo_save(cr);
        if (l->detour || !l->up) {
            double dash[] = {6, 4};
            cairo_set_dash(cr, dash, 2, 0);
        }
        if (l->detour)
            vz_set_colour(cr, 5, 0.9); /* sky blue: going round */
        else
            vz_set_state(cr, state, l->up ? 0.5 : 0.9);
        cairo_set_line_width(cr, width);
        cairo_move_to(cr, x0, y0);
        cairo_curve_to(cr, x0 + (cx - x0) * 2 / 3, y0 + (cy - y0) * 2 / 3, x1 + (cx - x1) * 2 / 3,
                       y1 + (cy - y1) * 2 / 3, x1, y1);
        cairo_stroke(cr);
        cairo_restore(cr);
        /* Traffic as dots moving from `from` to `to`, more of them for more
         * messages; their pace follows the simulated clock, so a frame is a
         * function of the moment alone. */
        if (l->up && rate > 0) {
            int n = (int)fmin(14, 1 + 2.5 * log10(1 + rate / 10));
            double phase = fmod(now * 0.35, 1.0);
            vz_set_state(cr, lossy ? VZ_STATE_WARN : VZ_STATE_OK, 0.95);
            for (int i = 0; i < n; i++) {
                double px, py;
                on_curve(x0, y0, cx, cy, x1, y1, fmod(phase + (double)i / n, 1.0), &px, &py);
                cairo_arc(cr, px, py, 1.6 + width * 0.35, 0, 2 * M_PI);
                cairo_fill(cr);
            }
        }
        double mx, my;
        on_curve(x0, y0, cx, cy, x1, y1, 0.5, &mx, &my);
        vz_hits_add(hits, mx - 7, my - 7, 14, 14, VZ_HIT_LINK, k);
    }
}

/* Requests as dots falling from the users (the top of the map) into
 * each datacenter that serves them: green for those served, vermillion
 * for those failing there, which stop halfway. Their number follows the
 * last second's counts on a log scale. */
static void draw_requests(cairo_t *cr, const vz_map_input *in, const layout *L, double top)
{
    const mdl_view *v = in->v;
    if (!v->has_last)
        return;
    double failed[64] = {0};
    for (int u = 0; u < v->n_units; u++) {
        const mdl_view_unit *unit = &v->units[u];
        int d = unit->home >= 0 ? v->cells[unit->home].dc : -1;
        for (int c = 0; d < 0 && c < v->n_cells; c++)
            if (v->cells[c].unit == u && !v->cells[c].standby)
                d = v->cells[c].dc;
        if (d >= 0 && d < 64)
            failed[d] += unit->failed;
    }
    double now = sim_time_to_seconds(v->now), ux = 0, n_shown = 0;
    for (int d = 0; d < v->n_dcs && d < 64; d++)
        if (L->dc[d].shown)
            ux += L->dc[d].x + L->dc[d].w / 2, n_shown++;
    if (n_shown == 0)
        return;
    ux /= n_shown;
    double uy = top + 8;
    vz_font(cr, 10, 1);
    vz_set(cr, vz_band_text, 1);
    vz_text(cr, ux, uy, "users", VZ_CENTRE, VZ_MIDDLE);
    for (int d = 0; d < v->n_dcs && d < 64; d++) {
        if (!L->dc[d].shown)
            continue;
        double served = d < MDL_SERIES_DCS ? v->last.dc_served[d] : 0;
        double x1 = L->dc[d].x + L->dc[d].w * 0.18, y1 = L->dc[d].y + 30;
        double x0 = ux, y0 = uy + 8;
        for (int kind = 0; kind < 2; kind++) {
            double rate = kind ? failed[d] : served;
            if (rate <= 0)
                continue;
            int n = (int)fmin(16, 1 + 2.5 * log10(1 + rate / 100));
            double reach = kind ? 0.55 : 1.0;
            vz_set_state(cr, kind ? VZ_STATE_BAD : VZ_STATE_OK, kind ? 0.95 : 0.55);
            for (int i = 0; i < n; i++) {
                double f = fmod(now * 0.5 + (double)i / n + kind * 0.37, 1.0) * reach;
                cairo_arc(cr, x0 + (x1 - x0) * f, y0 + (y1 - y0) * f, kind ? 2.6 : 2.0, 0, 2 * M_PI);
                cairo_fill(cr);
            }
        }
    }
}

/* ==== A datacenter ==== */

static int dc_state(const mdl_view_dc *d)
{
    if (!d->powered)
        return VZ_STATE_DARK;
    if (d->isolated)
        return VZ_STATE_BAD;
    if (d->alarm)
        return VZ_STATE_WARN;
    return VZ_STATE_OK;
}

static void power_badge(cairo_t *cr, const mdl_view_dc *d, double right, double y)
{
    char text[48];
    int state;
    if (!d->powered)
        snprintf(text, sizeof text, "dark"), state = VZ_STATE_DARK;
    else if (d->alarm)
        snprintf(text, sizeof text, "batteries %d:%02d", (int)d->batteries_left_s / 60, (int)d->batteries_left_s % 60),
            state = VZ_STATE_WARN;
    else if (d->isolated)
        snprintf(text, sizeof text, "cut off"), state = VZ_STATE_BAD;
    else if (d->drained)
        snprintf(text, sizeof text, "drained"), state = VZ_STATE_STANDBY;
    else
        snprintf(text, sizeof text, "utility power"), state = VZ_STATE_OK;
    vz_font(cr, 10, 1);
    double tw = vz_text_width(cr, text) + 10;
    vz_set_state(cr, state, 1);
    cairo_rectangle(cr, right - tw, y, tw, 15);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, state == VZ_STATE_SWITCHING || state == VZ_STATE_WARN ? 0 : 1,
                         state == VZ_STATE_SWITCHING || state == VZ_STATE_WARN ? 0 : 1,
                         state == VZ_STATE_SWITCHING || state == VZ_STATE_WARN ? 0 : 1);
    vz_text(cr, right - tw / 2, y + 7.5, text, VZ_CENTRE, VZ_MIDDLE);
}

/* A cell's state: where its unit's traffic goes and how it fares. */
static int cell_state(const mdl_view *v, int c)
{
    const mdl_view_cell *cell = &v->cells[c];
    const mdl_view_unit *u = &v->units[cell->unit];
    if (!v->dcs[cell->dc].powered || cell->servers_up == 0)
        return VZ_STATE_DARK;
    if (u->switching)
        return VZ_STATE_SWITCHING;
    int home = u->home == c || (u->home < 0 && cell->active);
    if (!home && !cell->active)
        return VZ_STATE_STANDBY;
    if (home && vz_unit_main_cause(u) >= 0)
        return u->failed > 0.2 * u->offered ? VZ_STATE_BAD : VZ_STATE_WARN;
    if (cell->servers_up < cell->servers)
        return VZ_STATE_WARN;
    return VZ_STATE_OK;
}

static void text_on(cairo_t *cr, int state)
{
    double k = state == VZ_STATE_SWITCHING || state == VZ_STATE_WARN || state == VZ_STATE_STANDBY ? 0 : 1;
    cairo_set_source_rgb(cr, k, k, k);
}

/* Chips: one per cell of the datacenter; `detail` adds its figures. */
static double draw_cells(cairo_t *cr, const vz_map_input *in, int d, double x, double y, double w, int detail,
                         vz_hits *hits)
{
    const mdl_view *v = in->v;
    int big = !detail && w > 200;
    double cx = x, cy = y, chip_h = detail ? 20 : big ? 22 : 16;
    vz_font(cr, detail ? 11 : big ? 11.5 : 9.5, 0);
    for (int c = 0; c < v->n_cells; c++) {
        const mdl_view_cell *cell = &v->cells[c];
        if (cell->dc != d)
            continue;
        const mdl_view_unit *u = &v->units[cell->unit];
        char text[160];
        if (detail)
            snprintf(text, sizeof text, "%s%s  %d/%d up, %d in rotation, %d busy, %d queued", u->name,
                     u->home == c ? " (home)" : cell->standby ? " (standby)" : "", cell->servers_up, cell->servers,
                     cell->in_rotation, cell->busy, cell->queued);
        else if (big)
            snprintf(text, sizeof text, "%s %d/%d", u->name, cell->servers_up, cell->servers);
        else
            snprintf(text, sizeof text, "%s", u->name);
        double cw = detail ? w : vz_text_width(cr, text) + 10;
        if (!detail && cx + cw > x + w)
            cx = x, cy += chip_h + 3;
        int state = cell_state(v, c);
        vz_set_state(cr, state, state == VZ_STATE_STANDBY ? 0.25 : 0.92);
        cairo_rectangle(cr, cx, cy, cw, chip_h);
        cairo_fill(cr);
        if (state == VZ_STATE_STANDBY) {
            double dash[] = {3, 2};
            cairo_save(cr);
            cairo_set_dash(cr, dash, 2, 0);
            vz_set(cr, vz_axis, 1);
            cairo_set_line_width(cr, 1);
            cairo_rectangle(cr, cx + 0.5, cy + 0.5, cw - 1, chip_h - 1);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        if ((in->select_kind == VZ_HIT_CELL && in->select_index == c) ||
            (in->select_kind == VZ_HIT_UNIT && in->select_index == cell->unit)) {
            cairo_set_source_rgb(cr, 0, 0.45, 0.7);
            cairo_set_line_width(cr, 2.5);
            cairo_rectangle(cr, cx - 1, cy - 1, cw + 2, chip_h + 2);
            cairo_stroke(cr);
        }
        text_on(cr, state);
        vz_text(cr, cx + 5, cy + chip_h / 2, text, VZ_LEFT, VZ_MIDDLE);
        vz_hits_add(hits, cx, cy, cw, chip_h, VZ_HIT_CELL, c);
        if (detail)
            cy += chip_h + 3;
        else
            cx += cw + 3;
    }
    return detail ? cy : cy + chip_h + 3;
}

/* A copy: the leader filled, replicas hollow, the failover database a
 * square; red when down, orange when cut off from its leader. */
static void draw_copy(cairo_t *cr, const mdl_view_group *g, int n, double x, double y, double r)
{
    const mdl_view_copy *cp = &g->copies[n];
    int state = !cp->up ? VZ_STATE_DARK : cp->recovering || cp->cut_off ? VZ_STATE_WARN
               : g->promoting || g->write_forbidden ? VZ_STATE_SWITCHING : VZ_STATE_OK;
    if (cp->failover)
        cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
    else
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    if (g->primary == n) {
        vz_set_state(cr, state, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
    } else {
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        vz_set_state(cr, state, 1);
        cairo_set_line_width(cr, 1.6);
        cairo_stroke(cr);
    }
    if (!cp->up) { /* a cross through a copy that is down */
        cairo_set_source_rgb(cr, 0.84, 0.37, 0.0);
        cairo_set_line_width(cr, 1.5);
        cairo_move_to(cr, x - r, y - r), cairo_line_to(cr, x + r, y + r);
        cairo_move_to(cr, x + r, y - r), cairo_line_to(cr, x - r, y + r);
        cairo_stroke(cr);
    }
}

static double draw_copies(cairo_t *cr, const vz_map_input *in, int d, double x, double y, double w, int detail,
                          vz_hits *hits)
{
    const mdl_view *v = in->v;
    double r = detail || w > 200 ? 5.5 : 4, step = 2 * r + 4, cx = x, cy = y + r;
    const char *db = NULL;
    vz_font(cr, detail || w > 200 ? 11 : 9.5, 0);
    for (int gi = 0; gi < v->n_groups; gi++) {
        const mdl_view_group *g = &v->groups[gi];
        for (int n = 0; n < g->n_copies; n++) {
            if (g->copies[n].dc != d)
                continue;
            if (!db || strcmp(db, g->database)) { /* each database on its own line */
                if (db)
                    cy += step + 2;
                db = g->database;
                vz_set(cr, vz_band_text, 1);
                vz_text(cr, x, cy, db, VZ_LEFT, VZ_MIDDLE);
                cx = x + vz_text_width(cr, db) + 6 + r;
            }
            if (detail) {
                char text[160];
                const mdl_view_copy *cp = &g->copies[n];
                snprintf(text, sizeof text, "%d-%d %s%s%s%s", g->shards_lo, g->shards_hi,
                         g->primary == n ? "leader" : cp->failover ? "failover" : "replica", cp->up ? "" : ", down",
                         cp->cut_off ? ", cut off" : "", g->promoting ? ", promoting" : "");
                double tw = vz_text_width(cr, text) + 2 * r + 14;
                if (cx + tw > x + w)
                    cx = x + 16 + r, cy += step + 2;
                draw_copy(cr, g, n, cx, cy, r);
                vz_set(cr, vz_ink, 1);
                vz_text(cr, cx + r + 4, cy, text, VZ_LEFT, VZ_MIDDLE);
                vz_hits_add(hits, cx - r, cy - r, tw, 2 * r, VZ_HIT_GROUP, gi);
                cx += tw;
            } else {
                if (cx + r > x + w)
                    cx = x + r, cy += step;
                draw_copy(cr, g, n, cx, cy, r);
                vz_hits_add(hits, cx - r, cy - r, 2 * r, 2 * r, VZ_HIT_GROUP, gi);
                if (in->select_kind == VZ_HIT_GROUP && in->select_index == gi) {
                    cairo_set_source_rgb(cr, 0, 0.45, 0.7);
                    cairo_set_line_width(cr, 2);
                    cairo_arc(cr, cx, cy, r + 3, 0, 2 * M_PI);
                    cairo_stroke(cr);
                }
                cx += step;
            }
        }
    }
    return db ? cy + r + 6 : y;
}

/* Where requests fail, why: each unit whose traffic goes here (or came
 * from here, when its home is gone) and fails, with the count. */
static double draw_causes(cairo_t *cr, const vz_map_input *in, int d, double x, double y, double w)
{
    const mdl_view *v = in->v;
    vz_font(cr, 10, 1);
    for (int u = 0; u < v->n_units; u++) {
        const mdl_view_unit *unit = &v->units[u];
        int cause = vz_unit_main_cause(unit);
        if (cause < 0)
            continue;
        int here = unit->home >= 0 ? v->cells[unit->home].dc == d : 0;
        if (unit->home < 0)
            for (int c = 0; c < v->n_cells; c++)
                here |= v->cells[c].unit == u && v->cells[c].dc == d && !v->cells[c].standby;
        if (!here)
            continue;
        char rate[24], text[128];
        vz_rate_text(unit->failed, rate, sizeof rate);
        snprintf(text, sizeof text, "%s fails %s: %s", unit->name, rate, mdl_failure_causes[cause]);
        double tw = fmin(vz_text_width(cr, text) + 10, w);
        vz_set_state(cr, VZ_STATE_BAD, 1);
        cairo_rectangle(cr, x, y, tw, 16);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_save(cr);
        cairo_rectangle(cr, x, y, tw, 16);
        cairo_clip(cr);
        vz_text(cr, x + 5, y + 8, text, VZ_LEFT, VZ_MIDDLE);
        cairo_restore(cr);
        y += 19;
    }
    return y;
}

static void draw_dc(cairo_t *cr, const vz_map_input *in, int d, const box *b, vz_hits *hits)
{
    const mdl_view_dc *dc = &in->v->dcs[d];
    int state = dc_state(dc);
    int detail = b->w > 520;
    cairo_save(cr);
    cairo_rectangle(cr, b->x, b->y, b->w, b->h);
    cairo_set_source_rgb(cr, dc->powered ? 1 : 0.86, dc->powered ? 1 : 0.86, dc->powered ? 1 : 0.88);
    cairo_fill_preserve(cr);
    double flash = in->dc_flash ? in->dc_flash[d] : 0;
    int faulted = in->dc_faulted ? in->dc_faulted[d] : 0;
    int selected = in->select_kind == VZ_HIT_DC && in->select_index == d;
    if (selected)
        cairo_set_source_rgb(cr, 0, 0.45, 0.7);
    else
        vz_set_state(cr, state, dc->used ? 1 : 0.4);
    cairo_set_line_width(cr, selected ? 3 : faulted ? 3 : 1.5);
    cairo_stroke(cr);
    if (flash > 0) { /* a fault strikes: a ring that fades */
        vz_set_state(cr, VZ_STATE_BAD, flash);
        cairo_set_line_width(cr, 2 + 8 * flash);
        cairo_rectangle(cr, b->x - 4 - 6 * flash, b->y - 4 - 6 * flash, b->w + 8 + 12 * flash, b->h + 8 + 12 * flash);
        cairo_stroke(cr);
    }
    vz_hits_add(hits, b->x, b->y, b->w, b->h, VZ_HIT_DC, d);
    cairo_rectangle(cr, b->x, b->y, b->w, b->h);
    cairo_clip(cr);
    vz_set(cr, dc->used ? vz_ink : vz_axis, 1);
    vz_font(cr, detail ? 15 : 12, 1);
    vz_text(cr, b->x + 6, b->y + 13, dc->name, VZ_LEFT, VZ_MIDDLE);
    if (!dc->used) {
        vz_font(cr, 9.5, 0);
        vz_text(cr, b->x + 6, b->y + 30, "not used", VZ_LEFT, VZ_MIDDLE);
        cairo_restore(cr);
        return;
    }
    power_badge(cr, dc, b->x + b->w - 4, b->y + 24);
    double y = b->y + 44;
    vz_font(cr, 9.5, 0);
    double bx = b->x + 6;
    if (dc->entry) {
        const char *t = dc->entry_up ? "entry" : "entry down";
        double tw = vz_text_width(cr, t) + 8;
        vz_set_state(cr, dc->entry_up && !dc->drained ? VZ_STATE_OK : VZ_STATE_BAD, 0.18);
        cairo_rectangle(cr, bx, y - 7, tw, 14);
        cairo_fill(cr);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, bx + 4, y, t, VZ_LEFT, VZ_MIDDLE);
        bx += tw + 4;
    }
    if (dc->registry) {
        const char *t = in->v->registry_up ? "registry" : "registry down";
        double tw = vz_text_width(cr, t) + 8;
        vz_set_state(cr, in->v->registry_up && dc->powered ? VZ_STATE_OK : VZ_STATE_BAD, 0.18);
        cairo_rectangle(cr, bx, y - 7, tw, 14);
        cairo_fill(cr);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, bx + 4, y, t, VZ_LEFT, VZ_MIDDLE);
    }
    y += 14;
    y = draw_cells(cr, in, d, b->x + 6, y, b->w - 12, detail, hits) + 6;
    y = draw_copies(cr, in, d, b->x + 6, y, b->w - 12, detail, hits) + 4;
    draw_causes(cr, in, d, b->x + 6, y, b->w - 12);
    cairo_restore(cr);
}

void vz_map_draw(cairo_t *cr, double x, double y, double w, double h, const vz_map_input *in, vz_hits *hits)
{
    const mdl_view *v = in->v;
    layout L;
    lay_out(in, x, y, w, h, &L);
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    for (int c = 0; c < v->n_cities && c < 32; c++) {
        const box *b = &L.city[c];
        if (!b->shown)
            continue;
        cairo_set_source_rgb(cr, 0.955, 0.96, 0.97);
        cairo_rectangle(cr, b->x, b->y, b->w, b->h);
        cairo_fill(cr);
        if (in->select_kind == VZ_HIT_CITY && in->select_index == c) {
            cairo_set_source_rgb(cr, 0, 0.45, 0.7);
            cairo_set_line_width(cr, 2);
            cairo_rectangle(cr, b->x, b->y, b->w, b->h);
            cairo_stroke(cr);
        }
        vz_set(cr, vz_band_text, 1);
        vz_font(cr, 13, 1);
        vz_text(cr, b->x + 8, b->y + 14, v->cities[c].name, VZ_LEFT, VZ_MIDDLE);
        vz_hits_add(hits, b->x, b->y, b->w, 24, VZ_HIT_CITY, c);
    }
    for (int d = 0; d < v->n_dcs && d < 64; d++)
        if (L.dc[d].shown)
            draw_dc(cr, in, d, &L.dc[d], hits);
    draw_links(cr, in, &L, y, hits);
    if (in->focus_kind == VZ_HIT_NONE)
        draw_requests(cr, in, &L, y);
    cairo_restore(cr);
}
