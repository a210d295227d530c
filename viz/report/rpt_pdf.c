/* rpt_pdf.c -- laying the report out on pages: a cursor moves down the
 * page and a new page starts when the next block does not fit. */
#include "rpt_pdf.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_files.h"
#include "rpt_story.h"
#include "rpt_table.h"
#include "rpt_topology.h"
#include "sim_status.h"
#include "vz_palette.h"
#include "vz_surface.h"
#include "vz_text.h"

#define PAGE_W 842.0            /* A4 landscape, points */
#define PAGE_H 595.0
#define MARGIN 36.0
#define BODY_W (PAGE_W - 2 * MARGIN)

typedef struct page {
    cairo_t *cr;
    double y;
    int number;
} page;

static void new_page(page *p)
{
    if (p->number > 0)
        cairo_show_page(p->cr);
    p->number++;
    p->y = MARGIN;
    vz_font(p->cr, 8, 0);
    vz_set(p->cr, vz_axis, 1);
    char buf[16];
    snprintf(buf, sizeof buf, "%d", p->number);
    vz_text(p->cr, PAGE_W - MARGIN, PAGE_H - MARGIN / 2, buf, VZ_RIGHT, VZ_BASELINE);
}

static void need(page *p, double h)
{
    if (p->y + h > PAGE_H - MARGIN)
        new_page(p);
}

static void heading(page *p, const char *text, double size)
{
    need(p, size * 3);
    p->y += size * 0.6;
    vz_font(p->cr, size, 1);
    vz_set(p->cr, vz_ink, 1);
    vz_text(p->cr, MARGIN, p->y, text, VZ_LEFT, VZ_TOP);
    p->y += size * 1.6;
}

/* Text wrapped to the body width less indent, starting indent in. */
static void indented(page *p, const char *text, double size, double indent, int bold)
{
    vz_font(p->cr, size, bold);
    vz_set(p->cr, vz_ink, 1);
    need(p, size * 2.6);
    p->y = vz_text_wrapped(p->cr, MARGIN + indent, p->y + size, BODY_W - indent, size * 1.35, text) - size + size * 0.5;
}

static void paragraph(page *p, const char *text, double size) { indented(p, text, size, 0, 0); }

/* How much a drawing made for w x h pixels is scaled: as wide as the body,
 * but no taller than half a page (less room for captions), so charts go
 * two to a page. */
static double drawing_scale(double w, double h) { return fmin(BODY_W / w, (PAGE_H - 2 * MARGIN - 60) / 2 / h); }

/* A drawing made for w x h pixels, scaled to the body width. */
static void drawing(page *p, vz_draw_fn *draw, const void *ctx, double w, double h)
{
    double k = drawing_scale(w, h);
    need(p, h * k + 8);
    cairo_save(p->cr);
    cairo_translate(p->cr, MARGIN + (BODY_W - w * k) / 2, p->y);
    cairo_scale(p->cr, k, k);
    draw(p->cr, w, h, ctx);
    cairo_restore(p->cr);
    p->y += h * k + 8;
}

/* A chart with its caption under it, kept on one page. */
static void figure(page *p, const rpt_chart *ch)
{
    need(p, ch->h * drawing_scale(ch->w, ch->h) + 8 + 24);
    drawing(p, rpt_chart_draw, ch, ch->w, ch->h);
    if (ch->caption[0]) {
        paragraph(p, ch->caption, 7.5);
        p->y += 6;
    }
}

/* Small charts two abreast, each half the body wide, the first one's
 * caption (the set's) under the row. */
static void figure_pair(page *p, const rpt_chart *a, const rpt_chart *b, const char *caption)
{
    double half = (BODY_W - 12) / 2, k = half / a->w, h = a->h * k;
    need(p, h + 8 + (caption ? 24 : 0));
    const rpt_chart *two[2] = {a, b};
    for (int i = 0; i < 2 && two[i]; i++) {
        cairo_save(p->cr);
        cairo_translate(p->cr, MARGIN + i * (half + 12), p->y);
        cairo_scale(p->cr, k, k);
        rpt_chart_draw(p->cr, two[i]->w, two[i]->h, two[i]);
        cairo_restore(p->cr);
    }
    p->y += h + 8;
    if (caption && caption[0]) {
        paragraph(p, caption, 7.5);
        p->y += 6;
    }
}

/* The charts over time; a run of small charts two to a row. */
static void over_time(page *p, const rpt_charts *charts)
{
    for (int c = 0; c < charts->n;) {
        const rpt_chart *ch = &charts->chart[c];
        if (ch->place != RPT_OVER_TIME) {
            c++;
        } else if (!ch->small) {
            figure(p, ch);
            c++;
        } else {
            int end = c + 1;
            while (end < charts->n && charts->chart[end].small && charts->chart[end].place == RPT_OVER_TIME &&
                   !charts->chart[end].caption[0])
                end++;
            for (int i = c; i < end; i += 2)
                figure_pair(p, &charts->chart[i], i + 1 < end ? &charts->chart[i + 1] : NULL,
                            i + 2 >= end ? ch->caption : NULL);
            c = end;
        }
    }
}

/* The scenario's captions, numbered as the charts' tags. */
static void captions(page *p, const rpt_input *in)
{
    const scenario *sc = in->cfg->scn;
    if (sc->captions.n == 0)
        return;
    static rpt_caption_line lines[64];
    heading(p, "What happens when", 13);
    paragraph(p, "The scenario's captions, numbered as the tags on the charts, at the moment each stage's run reached "
                 "them (the first time, when an event shows one). Times to detect and switch and the RTO count from "
                 "the impact, the first break of the SLO, as in the table.", 9);
    for (size_t i = 0; i < sc->captions.n; i++) {
        char trigger[96], line[800];
        rpt_caption_trigger(sc, i, trigger, sizeof trigger);
        snprintf(line, sizeof line, "%zu. %s", i + 1, trigger);
        indented(p, line, 9, 0, 1);
        size_t n = rpt_caption_lines(in, i, lines, sizeof lines / sizeof *lines);
        for (size_t l = 0; l < n; l++) {
            const rpt_caption_line *L = &lines[l];
            char more[48] = "";
            if (L->more)
                snprintf(more, sizeof more, " (and %zu more time%s)", L->more, L->more == 1 ? "" : "s");
            snprintf(line, sizeof line, "%.60s%s%.250s%s%.320s%s", L->clock, L->clock[0] ? "  " : "", L->stages,
                     L->stages[0] ? ": " : "", L->clock[0] ? L->text : "never reached", more);
            indented(p, line, 8.5, 14, 0);
        }
    }
}

static void table(page *p, const rpt_input *in)
{
    static rpt_row rows[RPT_MAX_ROWS];
    int n = rpt_table(in, rows);
    double label_w = 230, col_w = (BODY_W - label_w) / (in->n_stages ? in->n_stages : 1), row_h = 15;
    cairo_t *cr = p->cr;
    need(p, row_h * 2);
    vz_font(cr, 9, 1);
    vz_set(cr, vz_ink, 1);
    vz_text(cr, MARGIN, p->y + 10, "Measure", VZ_LEFT, VZ_BASELINE);
    for (int s = 0; s < in->n_stages; s++) {
        double x = MARGIN + label_w + (s + 1) * col_w - 4;
        vz_set_colour(cr, in->stages[s].colour, 1);
        cairo_rectangle(cr, x - vz_text_width(cr, in->stages[s].name) - 12, p->y + 3, 8, 8);
        cairo_fill(cr);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, x, p->y + 10, in->stages[s].name, VZ_RIGHT, VZ_BASELINE);
    }
    p->y += row_h;
    for (int r = 0; r < n; r++) {
        need(p, row_h);
        const rpt_row *row = &rows[r];
        vz_set(cr, vz_grid, 1);
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, MARGIN, p->y + 0.5);
        cairo_line_to(cr, MARGIN + BODY_W, p->y + 0.5);
        cairo_stroke(cr);
        char label[128];
        snprintf(label, sizeof label, "%.60s%s%.60s", row->label, row->verdict ? ": " : "", row->verdict ? row->definition : "");
        vz_font(cr, 9, 0);
        vz_set(cr, vz_ink, 1);
        vz_text(cr, MARGIN, p->y + 11, label, VZ_LEFT, VZ_BASELINE);
        for (int s = 0; s < in->n_stages; s++) {
            double x = MARGIN + label_w + (s + 1) * col_w - 4;
            int bold = row->best[s] || (row->verdict && row->pass[s] == 0);
            vz_font(cr, 9, bold);
            if (row->best[s]) {
                cairo_set_source_rgb(cr, 0.93, 0.965, 0.93);
                cairo_rectangle(cr, x - col_w + 8, p->y + 1, col_w - 4, row_h - 1);
                cairo_fill(cr);
            }
            if (row->verdict && row->pass[s] == 0)
                cairo_set_source_rgb(cr, 0.63, 0.06, 0.06);
            else if (row->verdict && row->pass[s] == 1)
                cairo_set_source_rgb(cr, 0.1, 0.43, 0.1);
            else
                vz_set(cr, vz_ink, 1);
            char cell[128];
            snprintf(cell, sizeof cell, "%s%s", row->cell[s], row->best[s] ? " *" : "");
            vz_text(cr, x, p->y + 11, cell, VZ_RIGHT, VZ_BASELINE);
        }
        p->y += row_h;
    }
    p->y += 6;
}

static void story(page *p, const rpt_input *in, int s)
{
    static rpt_story_line lines[200];
    size_t untold;
    size_t n = rpt_story(&in->stages[s].runs[0], in->cfg->scn, lines, 200, &untold);
    if (n == 0)
        paragraph(p, "Nothing happened: no fault, detection or switch in this run.", 9);
    for (size_t i = 0; i < n; i++) {
        char line[720];
        snprintf(line, sizeof line, "%.60s   %.600s", lines[i].clock, lines[i].text);
        paragraph(p, line, 8.5);
    }
    if (untold) {
        char more[96];
        snprintf(more, sizeof more, "... and %zu more events in events.csv.", untold);
        paragraph(p, more, 8.5);
    }
}

int rpt_write_pdf(FILE *f, const rpt_input *in, const rpt_charts *charts)
{
    cairo_surface_t *s = vz_pdf_begin(f, PAGE_W, PAGE_H);
    page p = {cairo_create(s), 0, 0};
    new_page(&p);
    const scenario *sc = in->cfg->scn;
    heading(&p, sc->name, 18);
    if (sc->description)
        paragraph(&p, sc->description, 10);
    heading(&p, "Stages compared", 13);
    table(&p, in);
    char meta[512];
    const rpt_stage *st0 = &in->stages[0];
    if (st0->n_runs > 1)
        snprintf(meta, sizeof meta, "%d replicates, seeds %llu to %llu (means \u00b1 95%% confidence half-widths); scale %g; dcsim %s. * marks the best of a row and any that noise cannot tell from it; \u2014 a value that does not exist.",
                 st0->n_runs, (unsigned long long)st0->runs[0].seed, (unsigned long long)st0->runs[st0->n_runs - 1].seed,
                 in->scale, in->version);
    else
        snprintf(meta, sizeof meta, "Seed %llu; scale %g; dcsim %s. * marks the best of a row and any that noise cannot tell from it; \u2014 a value that does not exist. The stages saw the same users and arrivals.",
                 (unsigned long long)st0->runs[0].seed, in->scale, in->version);
    paragraph(&p, meta, 9);
    for (int k = 0; k < in->n_stages; k++)
        for (int i = 0; i < in->stages[k].runs[0].n_warnings; i++) {
            char line[300];
            snprintf(line, sizeof line, "Scale rounding, %.40s: %.200s", in->stages[k].name, in->stages[k].runs[0].warnings[i]);
            paragraph(&p, line, 8);
        }
    captions(&p, in);
    new_page(&p);
    heading(&p, "Over time", 13);
    over_time(&p, charts);
    for (int k = 0; k < in->n_stages; k++) {
        const rpt_stage *st = &in->stages[k];
        const stage *def = in->cfg->stages[st->index];
        new_page(&p);
        heading(&p, st->name, 14);
        paragraph(&p, def->description, 9.5);
        rpt_topology topo = {def, in->cfg->stage_geos[st->index], st->colour};
        drawing(&p, rpt_topology_draw, &topo, 1200, rpt_topology_height(p.cr, &topo, 1200));
        for (int c = 0; c < charts->n; c++)
            if (charts->chart[c].place == RPT_IN_STAGE && charts->chart[c].stage == k)
                figure(&p, &charts->chart[c]);
        heading(&p, "What happened", 11);
        story(&p, in, k);
    }
    new_page(&p);
    heading(&p, "Assumptions", 13);
    for (size_t i = 0; i < in->cfg->n_assumptions; i++) {
        const mdl_assumption *a = &in->cfg->assumptions[i];
        const char *file = strrchr(a->file, '/');
        char line[768];
        snprintf(line, sizeof line, "%s:%d  %s = %s: %s", file ? file + 1 : a->file, a->line, a->key, a->value, a->reason);
        paragraph(&p, line, 8);
    }
    cairo_destroy(p.cr);
    return vz_pdf_finish(s);
}
