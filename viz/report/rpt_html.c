/* rpt_html.c -- report.html: one self-contained page (inline CSS and SVG,
 * no script, nothing fetched), readable on screen and printable. */
#include "rpt_html.h"
#include "sim_escape.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_files.h"
#include "rpt_story.h"
#include "rpt_table.h"
#include "rpt_topology.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "vz_palette.h"
#include "vz_surface.h"

#define STORY_MAX 80

static const char *const css =
    "body{font-family:'DejaVu Sans',Verdana,sans-serif;color:#222;margin:0 auto;max-width:1240px;padding:16px 20px;line-height:1.45}"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.3em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "h3{font-size:1.15em;margin-top:1.4em}p.desc{font-size:1.05em}"
    "table{border-collapse:collapse;margin:.6em 0}th,td{padding:4px 10px;border-bottom:1px solid #e2e2e2;text-align:left;vertical-align:top}"
    "table.headline td.v{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "table.headline th.stage{text-align:right}td.def{color:#666;font-size:.85em;max-width:30em}"
    "td.best{font-weight:bold;background:#eef6ee}td.best::after{content:' \\2605';color:#2a7a2a}"
    "td.pass{color:#1b6e1b}td.fail{color:#a01010;font-weight:bold}td.na{color:#888}"
    ".sw{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em;border-radius:2px}"
    "p.meta{color:#555;font-size:.9em}figure{margin:1em 0;break-inside:avoid}figure svg{width:100%;height:auto;display:block}"
    "figcaption{color:#555;font-size:.9em}ol.story{list-style:none;padding-left:0;font-size:.92em}"
    "ol.story li{margin:.15em 0}ol.story time{font-variant-numeric:tabular-nums;color:#444;display:inline-block;min-width:9.5em}"
    "ol.story .k{display:inline-block;min-width:6em;color:#777;font-size:.85em}"
    "table.assumptions{font-size:.85em}table.assumptions td.where{color:#777;white-space:nowrap}"
    "div.warn{border-left:4px solid #E69F00;background:#fff8e6;padding:2px 12px;font-size:.9em}"
    "div.multiples{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:0 18px}div.multiples figure{margin:.5em 0}"
    "p.caption{color:#555;font-size:.9em;margin-top:0}"
    "ol.captions{padding-left:1.6em}ol.captions>li{margin:.35em 0}ol.captions .on{color:#666;font-size:.9em}"
    "ol.captions ul{list-style:none;padding-left:0;margin:.1em 0}ol.captions time{font-variant-numeric:tabular-nums;color:#444;display:inline-block;min-width:6.5em}"
    "ol.captions .st{color:#555;font-size:.9em}ol.captions .na{color:#888}"
    "@media print{body{max-width:none;padding:0}h2{break-after:avoid}section.stage{break-before:page}}";

static void stage_header(FILE *f, const rpt_input *in, int s)
{
    char hex[8];
    vz_colour_hex(in->stages[s].colour, hex);
    fprintf(f, "<span class=\"sw\" style=\"background:%s\"></span>", hex);
    sim_escape_markup(f, in->stages[s].name);
}

static void headline(FILE *f, const rpt_input *in)
{
    static rpt_row rows[RPT_MAX_ROWS];
    int n = rpt_table(in, rows);
    fputs("<table class=\"headline\">\n<thead><tr><th>Measure</th><th>What it means</th>", f);
    for (int s = 0; s < in->n_stages; s++) {
        fputs("<th class=\"stage\">", f);
        stage_header(f, in, s);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (int r = 0; r < n; r++) {
        const rpt_row *row = &rows[r];
        fputs("<tr><td>", f);
        sim_escape_markup(f, row->label);
        fputs("</td><td class=\"def\">", f);
        sim_escape_markup(f, row->definition);
        fputs("</td>", f);
        for (int s = 0; s < in->n_stages; s++) {
            const char *cls = row->verdict ? (row->pass[s] < 0 ? "v na" : row->pass[s] ? "v pass" : "v fail")
                                           : row->best[s] ? "v best" : "v";
            fprintf(f, "<td class=\"%s\">", cls);
            sim_escape_markup(f, row->cell[s]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void meta_line(FILE *f, const rpt_input *in)
{
    const rpt_stage *st = &in->stages[0];
    fputs("<p class=\"meta\">", f);
    if (st->n_runs == 1) {
        fprintf(f, "Seed %llu", (unsigned long long)st->runs[0].seed);
    } else {
        fprintf(f, "%d replicates, seeds %llu to %llu; values are means &plusmn; the half-width of their 95%% confidence interval (Student's t); charts and stories show seed %llu",
                st->n_runs, (unsigned long long)st->runs[0].seed, (unsigned long long)st->runs[st->n_runs - 1].seed,
                (unsigned long long)st->runs[0].seed);
    }
    fprintf(f, " &middot; scale %g (a fraction %g of the users, with every capacity scaled alike; counts are given at full scale)", in->scale, in->scale);
    fputs(" &middot; dcsim ", f);
    sim_escape_markup(f, in->version);
    fputs(" &middot; the stages saw the same users and arrivals, so their differences are the architectures'. &#9733; marks the best value of a row and any that noise cannot tell from it (with one run, closer than the least difference the row's definition states; with replicates, an overlapping 95% interval); &mdash; is a value that does not exist (no lost writes to count where nothing was promoted, no latency where almost nothing succeeded).</p>\n", f);
    /* Rounding at a small scale changes what is simulated: say so here,
     * not only on the terminal. */
    int any = 0;
    for (int s = 0; s < in->n_stages; s++)
        any |= in->stages[s].runs[0].n_warnings > 0;
    if (!any)
        return;
    fputs("<div class=\"warn\"><p>At this scale some capacities round by more than 5%, so those stages are not quite the architecture described; a larger <code>--scale</code> avoids it:</p><ul>\n", f);
    for (int s = 0; s < in->n_stages; s++)
        for (int i = 0; i < in->stages[s].runs[0].n_warnings; i++) {
            fputs("<li>", f);
            sim_escape_markup(f, in->stages[s].name);
            fputs(": ", f);
            sim_escape_markup(f, in->stages[s].runs[0].warnings[i]);
            fputs("</li>\n", f);
        }
    fputs("</ul></div>\n", f);
}

/* Writes one drawing as inline SVG inside a figure. */
static int figure(FILE *f, vz_draw_fn *draw, const void *ctx, double w, double h, const char *id, const char *caption)
{
    char *svg;
    int rc = vz_svg_string(&svg, w, h, draw, ctx, id);
    if (rc)
        return rc;
    fprintf(f, "<figure id=\"%s\">\n", id);
    fputs(svg, f);
    sim_free(svg);
    if (caption) {
        fputs("<figcaption>", f);
        sim_escape_markup(f, caption);
        fputs("</figcaption>", f);
    }
    fputs("</figure>\n", f);
    return SIM_OK;
}

static int stage_section(FILE *f, const rpt_input *in, const rpt_charts *charts, int s)
{
    const rpt_stage *st = &in->stages[s];
    const stage *def = in->cfg->stages[st->index];
    fputs("<section class=\"stage\">\n<h3>", f);
    stage_header(f, in, s);
    fputs("</h3>\n<p>", f);
    sim_escape_markup(f, def->description);
    fputs("</p>\n", f);
    rpt_topology topo = {def, in->cfg->stage_geos[st->index], st->colour};
    cairo_surface_t *probe = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
    cairo_t *cr = cairo_create(probe);
    double h = rpt_topology_height(cr, &topo, 1200);
    cairo_destroy(cr);
    cairo_surface_destroy(probe);
    char id[64];
    snprintf(id, sizeof id, "topology-%s", st->name);
    int rc = figure(f, rpt_topology_draw, &topo, 1200, h, id, "Where everything stands: datacenters by city, and the one-way latency between neighbouring cities.");
    for (int c = 0; !rc && c < charts->n; c++)
        if (charts->chart[c].place == RPT_IN_STAGE && charts->chart[c].stage == s)
            rc = figure(f, rpt_chart_draw, &charts->chart[c], charts->chart[c].w, charts->chart[c].h,
                        charts->chart[c].file, charts->chart[c].caption);
    if (rc)
        return rc;
    static rpt_story_line lines[STORY_MAX];
    size_t untold;
    size_t n = rpt_story(&st->runs[0], in->cfg->scn, lines, STORY_MAX, &untold);
    fputs("<h4>What happened</h4>\n", f);
    if (n == 0)
        fputs("<p>Nothing: no fault, detection or switch in this run.</p>\n", f);
    else
        fputs("<ol class=\"story\">\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<li><time>", f);
        sim_escape_markup(f, lines[i].clock);
        fputs("</time> <span class=\"k\">", f);
        sim_escape_markup(f, lines[i].kind);
        fputs("</span> ", f);
        sim_escape_markup(f, lines[i].text);
        fputs("</li>\n", f);
    }
    if (n)
        fputs("</ol>\n", f);
    if (untold)
        fprintf(f, "<p>&hellip; and %zu more events in <code>%s/events.csv</code>.</p>\n", untold, st->name);
    fputs("</section>\n", f);
    return SIM_OK;
}

/* The charts over time, in order; a run of small charts (one per stage)
 * two abreast, with the run's caption once under it. */
static int over_time(FILE *f, const rpt_charts *charts)
{
    int rc = SIM_OK;
    for (int c = 0; !rc && c < charts->n;) {
        const rpt_chart *ch = &charts->chart[c];
        if (ch->place != RPT_OVER_TIME) {
            c++;
            continue;
        }
        if (!ch->small) {
            rc = figure(f, rpt_chart_draw, ch, ch->w, ch->h, ch->file, ch->caption);
            c++;
            continue;
        }
        fputs("<div class=\"multiples\">\n", f);
        int end = c;
        while (!rc && end < charts->n && charts->chart[end].small && charts->chart[end].place == RPT_OVER_TIME &&
               (end == c || !charts->chart[end].caption[0])) {
            const rpt_chart *m = &charts->chart[end++];
            rc = figure(f, rpt_chart_draw, m, m->w, m->h, m->file, NULL);
        }
        fputs("</div>\n", f);
        if (ch->caption[0]) {
            fputs("<p class=\"caption\">", f);
            sim_escape_markup(f, ch->caption);
            fputs("</p>\n", f);
        }
        c = end;
    }
    return rc;
}

/* The scenario's captions, numbered as the charts' tags: what each stage's
 * run said, and when (the stages alike told together). */
static void captions(FILE *f, const rpt_input *in)
{
    const scenario *sc = in->cfg->scn;
    if (sc->captions.n == 0)
        return;
    static rpt_caption_line lines[64];
    fputs("<section id=\"captions\">\n<h2>What happens when</h2>\n", f);
    fputs("<p>The scenario's captions, numbered as the tags on the charts, at the moment each stage's run reached them "
          "(the first time, when an event shows one). Times to detect and switch and the RTO count from the impact, "
          "the first break of the SLO, as in the table.</p>\n<ol class=\"captions\">\n", f);
    for (size_t i = 0; i < sc->captions.n; i++) {
        char trigger[96];
        rpt_caption_trigger(sc, i, trigger, sizeof trigger);
        fputs("<li><span class=\"on\">", f);
        sim_escape_markup(f, trigger);
        fputs("</span>\n<ul>\n", f);
        size_t n = rpt_caption_lines(in, i, lines, sizeof lines / sizeof *lines);
        for (size_t l = 0; l < n; l++) {
            const rpt_caption_line *L = &lines[l];
            fputs(L->clock[0] ? "<li>" : "<li class=\"na\">", f);
            if (L->clock[0]) {
                fputs("<time>", f);
                sim_escape_markup(f, L->clock);
                fputs("</time> ", f);
            }
            if (L->stages[0]) {
                fputs("<span class=\"st\">", f);
                sim_escape_markup(f, L->stages);
                fputs(":</span> ", f);
            }
            if (L->clock[0])
                sim_escape_markup(f, L->text);
            else
                fputs("never reached", f);
            if (L->more)
                fprintf(f, " <span class=\"st\">(and %zu more time%s)</span>", L->more, L->more == 1 ? "" : "s");
            fputs("</li>\n", f);
        }
        fputs("</ul></li>\n", f);
    }
    fputs("</ol>\n</section>\n", f);
}

/* What each stage ran with beyond its files: the scenario's overrides,
 * a variant's settings, --set (mdl_applied). Nothing when none. */
static void settings(FILE *f, const rpt_input *in)
{
    const mdl_config *c = in->cfg;
    int any = 0;
    for (int s = 0; s < in->n_stages; s++)
        any |= c->stage_applied && c->n_stage_applied[in->stages[s].index] > 0;
    if (!any)
        return;
    fputs("<section id=\"settings\">\n<h2>Set beyond the files</h2>\n"
          "<p>Values the scenario's overrides, a variant or the command line set on each stage, in the order "
          "applied (the last wins).</p>\n",
          f);
    fputs("<table class=\"assumptions\"><thead><tr><th>Stage</th><th>Key</th><th>Value</th><th>Set by</th></tr></thead><tbody>\n", f);
    for (int s = 0; s < in->n_stages; s++) {
        size_t si = in->stages[s].index;
        for (size_t i = 0; c->stage_applied && i < c->n_stage_applied[si]; i++) {
            const mdl_applied *a = &c->stage_applied[si][i];
            fputs("<tr><td class=\"where\">", f);
            sim_escape_markup(f, in->stages[s].name);
            if (c->stage_bases && c->stage_bases[si]) {
                fputs(" (a variant of ", f);
                sim_escape_markup(f, c->stage_bases[si]);
                fputs(")", f);
            }
            fputs("</td><td><code>", f);
            sim_escape_markup(f, a->key);
            fputs("</code></td><td>", f);
            sim_escape_markup(f, a->value);
            fputs("</td><td>", f);
            sim_escape_markup(f, a->from);
            fputs("</td></tr>\n", f);
        }
    }
    fputs("</tbody></table>\n</section>\n", f);
}

static void assumptions(FILE *f, const rpt_input *in)
{
    const mdl_config *c = in->cfg;
    fputs("<section id=\"assumptions\">\n<h2>Assumptions</h2>\n", f);
    fprintf(f, "<p>The %zu values the files mark <code>assumed:</code>, for which no published figure was found. "
               "The outcomes above rest on them as much as on the sourced values, which are not listed.</p>\n",
            c->n_assumptions);
    fputs("<table class=\"assumptions\"><thead><tr><th>Where</th><th>Key</th><th>Value</th><th>Why</th></tr></thead><tbody>\n", f);
    for (size_t i = 0; i < c->n_assumptions; i++) {
        const mdl_assumption *a = &c->assumptions[i];
        const char *file = strrchr(a->file, '/');
        fputs("<tr><td class=\"where\">", f);
        sim_escape_markup(f, file ? file + 1 : a->file);
        fprintf(f, ":%d</td><td><code>", a->line);
        sim_escape_markup(f, a->key);
        fputs("</code></td><td>", f);
        sim_escape_markup(f, a->value);
        fputs("</td><td>", f);
        sim_escape_markup(f, a->reason);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</section>\n", f);
}

int rpt_write_html(FILE *f, const rpt_input *in, const rpt_charts *charts)
{
    const scenario *sc = in->cfg->scn;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>dcsim: ", f);
    sim_escape_markup(f, sc->name);
    fputs(", stages compared</title>\n<style>", f);
    fputs(css, f);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>", f);
    sim_escape_markup(f, sc->name);
    fputs("</h1>\n<p class=\"desc\">", f);
    sim_escape_markup(f, sc->description ? sc->description : "");
    fputs("</p>\n</header>\n<section id=\"headline\">\n<h2>Stages compared</h2>\n", f);
    headline(f, in);
    meta_line(f, in);
    fputs("</section>\n", f);
    captions(f, in);
    fputs("<section id=\"charts\">\n<h2>Over time</h2>\n", f);
    if (sc->random_faults.n)
        fputs("<p>Random failures are not drawn as bands (each stage has its own); each stage's story lists them.</p>\n", f);
    int rc = over_time(f, charts);
    fputs("</section>\n<section id=\"stages\">\n<h2>Each stage</h2>\n", f);
    for (int s = 0; !rc && s < in->n_stages; s++)
        rc = stage_section(f, in, charts, s);
    fputs("</section>\n", f);
    settings(f, in);
    assumptions(f, in);
    /* The command line stays in each stage's meta.json: --jobs or --out
     * must not change a byte of the report. */
    fputs("<footer><p class=\"meta\">Written by dcsim ", f);
    sim_escape_markup(f, in->version);
    fputs(". Every figure here was computed from simulated requests.</p></footer>\n</body>\n</html>\n", f);
    return rc;
}
