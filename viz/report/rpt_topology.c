/* rpt_topology.c -- drawing a stage's places and what stands in them. */
#include "rpt_topology.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_config.h"
#include "vz_palette.h"
#include "vz_text.h"

#define MAX_LINES 24
#define LINE 14.0
#define BOX_W 190.0
#define GAP 70.0

typedef struct dc_box {
    const char *name, *city;
    char lines[MAX_LINES][72];
    int dashed[MAX_LINES];      /* a standby cell */
    int n;
} dc_box;

static int names_has(const mdl_names *n, const char *s)
{
    for (size_t i = 0; i < n->n; i++)
        if (!strcmp(n->v[i], s))
            return 1;
    return 0;
}

static void add_line(dc_box *b, int dashed, const char *text)
{
    if (b->n == MAX_LINES)
        return;
    snprintf(b->lines[b->n], sizeof b->lines[b->n], "%s", text);
    b->dashed[b->n++] = dashed;
}

static void describe(const stage *st, const char *dc, dc_box *b)
{
    memset(b, 0, sizeof *b);
    b->name = dc;
    if (names_has(&st->entry.datacenters, dc))
        add_line(b, 0, st->entry.kind == ENTRY_DNS       ? "entry (DNS)"
                       : st->entry.kind == ENTRY_GATEWAY ? "entry (gateway)"
                                                         : "entry (VIP)");
    if (st->registry.head.present && names_has(&st->registry.datacenters, dc))
        add_line(b, 0, "registry");
    for (size_t u = 0; u < st->units.n; u++) {
        const stg_unit *unit = MDL_ITEM(st->units, stg_unit, u);
        if (unit->kind != UNIT_RZONE && unit->datacenter && !strcmp(unit->datacenter, dc))
            add_line(b, 0, unit->kind == UNIT_GZONE ? "GZone (global data)" : "CZone (read copies)");
        for (size_t c = 0; c < unit->cells.n; c++) {
            const stg_cell *cell = MDL_ITEM(unit->cells, stg_cell, c);
            if (strcmp(cell->datacenter, dc))
                continue;
            char text[72];
            snprintf(text, sizeof text, "%s%s: %lld servers", unit->name, cell->standby ? " standby" : "",
                     (long long)cell->servers);
            add_line(b, cell->standby, text);
        }
    }
    for (size_t d = 0; d < st->databases.n; d++) {
        const stg_database *db = MDL_ITEM(st->databases, stg_database, d);
        long long primaries = 0, replicas = 0, failovers = 0;
        for (size_t g = 0; g < db->groups.n; g++) {
            const stg_group *grp = MDL_ITEM(db->groups, stg_group, g);
            primaries += grp->primary && !strcmp(grp->primary, dc);
            replicas += names_has(&grp->replicas, dc);
            failovers += grp->failover && !strcmp(grp->failover, dc);
        }
        char what[72];
        size_t at = (size_t)snprintf(what, sizeof what, "%s:", db->name);
        if (primaries)
            at += (size_t)snprintf(what + at, sizeof what - at, " %lld primar%s", primaries, primaries == 1 ? "y" : "ies");
        if (replicas && at < sizeof what)
            at += (size_t)snprintf(what + at, sizeof what - at, "%s %lld cop%s", primaries ? "," : "", replicas, replicas == 1 ? "y" : "ies");
        if (failovers && at < sizeof what)
            snprintf(what + at, sizeof what - at, "%s %lld failover", primaries || replicas ? "," : "", failovers);
        if (primaries || replicas || failovers)
            add_line(b, 0, what);
    }
}

typedef struct layout {
    dc_box boxes[16];
    int n_boxes;
    const char *cities[8];
    int n_cities;
    int city_of[16];
    int row_of[16];             /* position within its city */
    double box_h[16];
} layout;

static void lay_out(const rpt_topology *t, layout *L)
{
    memset(L, 0, sizeof *L);
    for (size_t i = 0; i < t->st->datacenters.n && L->n_boxes < 16; i++) {
        const char *dc = t->st->datacenters.v[i];
        const geo_dc *g = mdl_geo_dc(t->geo, dc);
        dc_box *b = &L->boxes[L->n_boxes];
        describe(t->st, dc, b);
        b->city = g ? g->city : "";
        int c = 0;
        while (c < L->n_cities && strcmp(L->cities[c], b->city))
            c++;
        if (c == L->n_cities && L->n_cities < 8)
            L->cities[L->n_cities++] = b->city;
        int row = 0;
        for (int k = 0; k < L->n_boxes; k++)
            row += L->city_of[k] == c;
        L->city_of[L->n_boxes] = c;
        L->row_of[L->n_boxes] = row;
        L->box_h[L->n_boxes] = 26 + b->n * LINE + 6;
        L->n_boxes++;
    }
}

static double column_height(const layout *L, int c)
{
    double h = 0;
    for (int k = 0; k < L->n_boxes; k++)
        if (L->city_of[k] == c)
            h += L->box_h[k] + 10;
    return h;
}

double rpt_topology_height(cairo_t *cr, const rpt_topology *t, double w)
{
    (void)cr;
    (void)w;
    layout L;
    lay_out(t, &L);
    double h = 0;
    for (int c = 0; c < L.n_cities; c++)
        h = fmax(h, column_height(&L, c));
    return 34 + h + 4;
}

/* The lowest one-way latency between two places (cities or datacenters). */
static double link_latency(const geography *g, const char *a, const char *b)
{
    double best = INFINITY;
    for (size_t i = 0; i < g->links.n; i++) {
        const geo_link *l = MDL_ITEM(g->links, geo_link, i);
        if (l->between.n != 2)
            continue;
        int match = (!strcmp(l->between.v[0], a) && !strcmp(l->between.v[1], b)) ||
                    (!strcmp(l->between.v[0], b) && !strcmp(l->between.v[1], a));
        for (size_t p = 0; match && p < l->paths.n; p++)
            best = fmin(best, sim_time_to_seconds(MDL_ITEM(l->paths, geo_path, p)->latency));
    }
    return best;
}

void rpt_topology_draw(cairo_t *cr, double w, double h, const void *topology)
{
    const rpt_topology *t = topology;
    layout L;
    lay_out(t, &L);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, w, h);
    cairo_fill(cr);
    double col_w = BOX_W + GAP;
    double x0 = fmax(10, (w - (L.n_cities * col_w - GAP)) / 2);
    /* Links between neighbouring city columns, with their latency. */
    vz_font(cr, 11, 0);
    for (int c = 0; c + 1 < L.n_cities; c++)
        for (int d = c + 1; d < L.n_cities; d++) {
            double lat = link_latency(t->geo, L.cities[c], L.cities[d]);
            if (!isfinite(lat))
                continue;
            double xa = x0 + c * col_w + BOX_W, xb = x0 + d * col_w, y = 34 + 22 + (d - c - 1) * 18;
            vz_set(cr, vz_axis, 1);
            cairo_set_line_width(cr, 1.2);
            cairo_move_to(cr, xa, y);
            cairo_line_to(cr, xb, y);
            cairo_stroke(cr);
            if (d == c + 1) {
                char buf[32];
                snprintf(buf, sizeof buf, "%.3g ms", lat * 1e3);
                vz_set(cr, vz_ink, 1);
                vz_text(cr, (xa + xb) / 2, y - 3, buf, VZ_CENTRE, VZ_BASELINE);
            }
        }
    for (int c = 0; c < L.n_cities; c++) {
        vz_font(cr, 13, 1);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, x0 + c * col_w + BOX_W / 2, 8, L.cities[c], VZ_CENTRE, VZ_TOP);
    }
    double y_at[8];
    for (int c = 0; c < 8; c++)
        y_at[c] = 34;
    for (int k = 0; k < L.n_boxes; k++) {
        const dc_box *b = &L.boxes[k];
        int c = L.city_of[k];
        double bx = x0 + c * col_w, by = y_at[c], bh = L.box_h[k];
        y_at[c] += bh + 10;
        cairo_set_line_width(cr, 1.5);
        cairo_rectangle(cr, bx + 0.5, by + 0.5, BOX_W, bh);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        vz_set_colour(cr, t->colour, 1);
        cairo_stroke(cr);
        vz_font(cr, 12, 1);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, bx + 8, by + 6, b->name, VZ_LEFT, VZ_TOP);
        vz_font(cr, 11, 0);
        for (int i = 0; i < b->n; i++) {
            double ly = by + 26 + i * LINE;
            if (b->dashed[i]) { /* standby: greyed */
                vz_set(cr, vz_axis, 1);
            } else {
                vz_set(cr, vz_ink, 1);
            }
            vz_text(cr, bx + 8, ly, b->lines[i], VZ_LEFT, VZ_TOP);
        }
    }
}
