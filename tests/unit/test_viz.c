/* test_viz.c -- the charting module: ticks at round values and round clock
 * times; Student's t; and a chart written as PNG and read back: the stage
 * colours are inside the plot area and the fault band is where the fault
 * was, nowhere else. The report's charts from a synthetic run: a power
 * loss's band splits where the building went dark, marks a few pixels
 * apart merge with a count, every mark of an SVG has a <title>, each stage
 * has a chart of success per request type, and the captions are filled. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mdl_config.h"
#include "rpt_charts.h"
#include "rpt_story.h"
#include "sim_alloc.h"
#include "sim_stats.h"
#include "vz_chart.h"
#include "vz_palette.h"
#include "vz_surface.h"
#include "vz_ticks.h"

static void linear_ticks_fall_on_round_values(void **state)
{
    (void)state;
    double t[64], step;
    size_t n = vz_ticks_linear(0, 544000, 5, t, 64, &step);
    assert_true(step == 100000 || step == 200000);
    for (size_t i = 0; i < n; i++)
        assert_true(fmod(t[i], step) == 0);
    n = vz_ticks_linear(99, 100, 5, t, 64, &step);
    assert_true(fabs(step - 0.2) < 1e-12 || fabs(step - 0.25) < 1e-12);
    assert_true(fabs(t[0] - 99) < 1e-9 && fabs(t[n - 1] - 100) < 1e-9);
    n = vz_ticks_log(0.01, 10, t, 64);
    assert_true(n == 4 * 3 - 2 || n == 4); /* 0.01 .. 10, with 2 and 5 when few decades */
    assert_true(fabs(t[0] - 0.01) < 1e-12);
}

static void clock_ticks_fall_on_round_clock_times(void **state)
{
    (void)state;
    /* Measured from 23:59:00 for 21 minutes: ticks at whole minutes of the
     * clock, labelled as clock times across midnight. */
    double origin = 23 * 3600 + 59 * 60, t[64], step;
    size_t n = vz_ticks_time(0, 21 * 60, origin, 8, t, 64, &step);
    assert_true(n >= 4 && n <= 9);
    for (size_t i = 0; i < n; i++)
        assert_true(fmod(origin + t[i], step) == 0);
    char buf[32];
    vz_format_clock(origin, 60, 300, buf, sizeof buf);
    assert_string_equal(buf, "00:00");
    vz_format_clock(origin, 50, 10, buf, sizeof buf);
    assert_string_equal(buf, "23:59:50");
    vz_format_clock(0, 3 * 86400, 86400, buf, sizeof buf);
    assert_string_equal(buf, "day 3");
    /* Odd origins still give round labels. */
    n = vz_ticks_time(0, 600, 37, 6, t, 64, &step);
    for (size_t i = 0; i < n; i++)
        assert_true(fmod(37 + t[i], step) == 0);
}

static void numbers_read_well(void **state)
{
    (void)state;
    char buf[32];
    vz_format_number(1500, 500, buf, sizeof buf);
    assert_string_equal(buf, "1.5k");
    vz_format_number(200000, 100000, buf, sizeof buf);
    assert_string_equal(buf, "200k");
    vz_format_number(99.5, 0.5, buf, sizeof buf);
    assert_string_equal(buf, "99.5");
    vz_format_count(1234567, buf, sizeof buf);
    assert_string_equal(buf, "1.2 M");
    vz_format_count(44150, buf, sizeof buf);
    assert_string_equal(buf, "44,150");
}

static void students_t_matches_the_table(void **state)
{
    (void)state;
    assert_true(fabs(sim_t975(1) - 12.706) < 1e-3);
    assert_true(fabs(sim_t975(9) - 2.262) < 1e-3);
    /* Beyond the table, the expansion: 40, 60 and 120 degrees of freedom. */
    assert_true(fabs(sim_t975(40) - 2.0211) < 2e-4);
    assert_true(fabs(sim_t975(60) - 2.0003) < 2e-4);
    assert_true(fabs(sim_t975(120) - 1.9799) < 2e-4);
    double x[] = {1, 2, 3, 4, 5}, mean, half;
    sim_mean_ci95(x, 5, &mean, &half);
    assert_true(fabs(mean - 3) < 1e-12);
    assert_true(fabs(half - 2.776 * sqrt(2.5) / sqrt(5)) < 1e-3);
}

/* ==== A chart, drawn and read back ==== */

static double xs[601], ys0[601], ys1[601];

static void draw(cairo_t *cr, double w, double h, const void *ctx) { vz_chart_draw(cr, ctx, 0, 0, w, h); }

static int near(uint32_t px, vz_rgb c, int tolerance)
{
    int r = (int)(px >> 16 & 255), g = (int)(px >> 8 & 255), b = (int)(px & 255);
    return abs(r - (int)(c.r * 255)) <= tolerance && abs(g - (int)(c.g * 255)) <= tolerance &&
           abs(b - (int)(c.b * 255)) <= tolerance;
}

static void a_png_chart_shows_the_stage_colours_and_the_fault_band_where_the_fault_was(void **state)
{
    (void)state;
    for (int i = 0; i <= 600; i++) {
        xs[i] = i;
        ys0[i] = 100 - 20 * (i > 250 && i < 400); /* stage 0 dips in the fault */
        ys1[i] = 100;
    }
    vz_series series[] = {{"pure", 0, xs, ys0, 601, 0}, {"unit", 1, xs, ys1, 601, 0}};
    vz_band band = {200, 300, "power: HZ-A", VZ_BAND_FAULT};
    vz_chart c = {.title = "Success ratio", .y_label = "successful / offered", .y_format = VZ_Y_PERCENT,
                  .y_min = 0, .y_max = 100, .x_min = 0, .x_max = 600, .origin_clock = 86340,
                  .series = series, .n_series = 2, .bands = &band, .n_bands = 1};
    char path[] = "/tmp/dcsim-test-chart-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(vz_write_png(path, 900, 320, draw, &c), 0);
    cairo_surface_t *img = cairo_image_surface_create_from_png(path);
    unlink(path);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(img), 900);
    cairo_surface_flush(img);
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
#define PX(x, y) (*(const uint32_t *)(data + (size_t)(y) * (size_t)stride + (size_t)(x) * 4))
    /* The same layout the drawing used. */
    cairo_t *probe = cairo_create(img);
    vz_plot_area a;
    vz_chart_layout(probe, &c, 900, 320, &a);
    cairo_destroy(probe);
    /* Both stage colours appear inside the plot area. */
    int seen[2] = {0, 0};
    for (int y = (int)a.y; y < (int)(a.y + a.h); y++)
        for (int x = (int)a.x + 1; x < (int)(a.x + a.w); x++)
            for (int s = 0; s < 2; s++)
                seen[s] += near(PX(x, y), vz_colour(s), 40);
    assert_true(seen[0] > 50 && seen[1] > 50);
    /* The band: tinted between x = 200 and 300 (in the middle of the plot
     * height, away from the lines), white well outside it. */
    int ymid = (int)(a.y + a.h * 0.5);
    int inside = 0, outside = 0;
    for (double x = 205; x <= 295; x += 5) {
        uint32_t px = PX((int)vz_chart_x(&c, &a, x), ymid);
        inside += (px & 0xffffff) != 0xffffff && (px >> 16 & 255) < 250;
    }
    for (double x = 20; x <= 580; x += 5) {
        if (x > 185 && x < 315)
            continue;
        int dx = (int)vz_chart_x(&c, &a, x);
        uint32_t px = PX(dx, ymid);
        /* Grid lines are allowed; the band's tint is not. */
        outside += (px & 0xffffff) != 0xffffff && !near(px, vz_grid, 12);
    }
    assert_int_equal(inside, 19);
    assert_int_equal(outside, 0);
#undef PX
    cairo_surface_destroy(img);
}

static void svg_for_html_has_prefixed_ids_and_no_xml_declaration(void **state)
{
    (void)state;
    for (int i = 0; i <= 600; i++) {
        xs[i] = i;
        ys1[i] = 50;
    }
    vz_series s = {"unit", 1, xs, ys1, 601, 0};
    vz_chart c = {.title = "t", .y_min = NAN, .y_max = NAN, .x_max = 600, .series = &s, .n_series = 1};
    char *svg;
    assert_int_equal(vz_svg_string(&svg, 400, 200, draw, &c, "c7-"), 0);
    assert_true(strncmp(svg, "<svg", 4) == 0);
    assert_null(strstr(svg, "<?xml"));
    for (const char *p = strstr(svg, "id=\""); p; p = strstr(p + 1, "id=\""))
        assert_true(strncmp(p + 4, "c7-", 3) == 0);
    for (const char *p = strstr(svg, "href=\"#"); p; p = strstr(p + 1, "href=\"#"))
        assert_true(strncmp(p + 7, "c7-", 3) == 0);
    sim_free(svg);
}

/* ==== Band phases, mark groups and tooltips in vz_chart ==== */

/* Mean brightness (0..255) of the pixels in a column band of the plot. */
static double brightness(cairo_surface_t *img, int x0, int x1, int y0, int y1)
{
    const unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    double sum = 0;
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++, n++) {
            uint32_t px = *(const uint32_t *)(data + (size_t)y * (size_t)stride + (size_t)x * 4);
            sum += ((px >> 16 & 255) + (px >> 8 & 255) + (px & 255)) / 3.0;
        }
    return n ? sum / n : 0;
}

/* On batteries is light and hatched, dark a deeper tint, and each phase
 * has its tooltip in the SVG. */
static void a_band_on_batteries_is_lighter_than_dark(void **state)
{
    (void)state;
    for (int i = 0; i <= 600; i++) {
        xs[i] = i;
        ys1[i] = 100;
    }
    vz_series s = {"unit", 1, xs, ys1, 601, 0};
    vz_band bands[] = {{100, 300, "power: HZ-A, on batteries", VZ_BAND_BATTERY}, {300, 500, "HZ-A dark", VZ_BAND_DARK}};
    vz_chart c = {.title = "t", .y_min = 0, .y_max = 200, .x_max = 600, .series = &s, .n_series = 1,
                  .bands = bands, .n_bands = 2};
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 900, 320);
    cairo_t *cr = cairo_create(img);
    vz_chart_draw(cr, &c, 0, 0, 900, 320);
    vz_plot_area a;
    vz_chart_layout(cr, &c, 900, 320, &a);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    int y0 = (int)(a.y + a.h * 0.6), y1 = (int)(a.y + a.h * 0.9); /* under the line at 100 of 200 */
    double battery = brightness(img, (int)vz_chart_x(&c, &a, 150), (int)vz_chart_x(&c, &a, 250), y0, y1);
    double dark = brightness(img, (int)vz_chart_x(&c, &a, 350), (int)vz_chart_x(&c, &a, 450), y0, y1);
    double clear = brightness(img, (int)vz_chart_x(&c, &a, 530), (int)vz_chart_x(&c, &a, 590), y0, y1);
    assert_true(clear > 250);
    assert_true(battery < clear - 3);   /* hatched: something is there */
    assert_true(battery > dark + 15);   /* but far lighter than dark */
    cairo_surface_destroy(img);
    char *svg;
    assert_int_equal(vz_svg_string(&svg, 900, 320, draw, &c, "p-"), 0);
    assert_non_null(strstr(svg, "<title>power: HZ-A, on batteries, 00:01:40 to 00:05:00</title>"));
    assert_non_null(strstr(svg, "<title>HZ-A dark, 00:05:00 to 00:08:20</title>"));
    sim_free(svg);
}

/* Five marks of one stage within two pixels, and one far away: one group
 * reading "detected, switched, promoted 3", and the far one alone. */
static void marks_a_few_pixels_apart_merge_with_a_count(void **state)
{
    (void)state;
    vz_mark marks[] = {
        {300.0, 2, VZ_MARK_PROMOTE, "00:05:00 mature, promote: core 00-09"},
        {300.5, 2, VZ_MARK_DETECT, "00:05:00 mature, detect: HZ-A"},
        {301.0, 2, VZ_MARK_PROMOTE, "00:05:01 mature, promote: core 10-19"},
        {301.5, 2, VZ_MARK_SWITCH, "00:05:01 mature, switch: RZ01"},
        {302.0, 2, VZ_MARK_PROMOTE, "00:05:02 mature, promote: global"},
        {500.0, 2, VZ_MARK_DETECT, "00:08:20 mature, detect: SH-A"},
        {301.0, 0, VZ_MARK_DETECT, "00:05:01 pure, detect: HZ-A"}, /* another row */
    };
    vz_chart c = {.title = "t", .y_min = NAN, .y_max = NAN, .x_max = 600, .marks = marks, .n_marks = 7};
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
    cairo_t *cr = cairo_create(img);
    vz_mark_group g[8];
    size_t n = vz_chart_mark_groups(cr, &c, 1200, 400, g, 8);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    assert_int_equal(n, 3);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (g[i].n == 5) {
            assert_int_equal(g[i].count[VZ_MARK_DETECT], 1);
            assert_int_equal(g[i].count[VZ_MARK_SWITCH], 1);
            assert_int_equal(g[i].count[VZ_MARK_PROMOTE], 3);
            found++;
        } else {
            assert_int_equal(g[i].n, 1);
        }
    }
    assert_int_equal(found, 1);
    /* In the SVG, the group has one tooltip naming all five, in time order. */
    char *svg;
    assert_int_equal(vz_svg_string(&svg, 1200, 400, draw, &c, "m-"), 0);
    const char *tip = strstr(svg, "<title>5 events: 1 detected 1 switched 3 promoted\n");
    assert_non_null(tip);
    const char *a = strstr(tip, "core 00-09"), *b = strstr(tip, "detect: HZ-A"), *e = strstr(tip, "global");
    assert_true(a && b && e && a < b && b < e);
    assert_non_null(strstr(svg, "<title>00:08:20 mature, detect: SH-A</title>"));
    assert_non_null(strstr(svg, "<title>00:05:01 pure, detect: HZ-A</title>"));
    sim_free(svg);
}

/* The written SVG file carries the tooltips too, after the drawing and
 * escaped, and still ends with </svg>. */
static void an_svg_file_mark_has_a_title(void **state)
{
    (void)state;
    vz_mark mark = {120, 1, VZ_MARK_SWITCH, "00:02:00 naive, switch: core <00-09> & \"global\""};
    vz_note note = {60, "1", "1. 00:01:00: HZ-A lost utility power"};
    vz_chart c = {.title = "t", .y_min = NAN, .y_max = NAN, .x_max = 600, .marks = &mark, .n_marks = 1,
                  .notes = &note, .n_notes = 1};
    char path[] = "/tmp/dcsim-test-svg-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(vz_write_svg(path, 600, 300, draw, &c), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    unlink(path);
    text[n] = 0;
    const char *tips = strstr(text, "<g class=\"tips\">");
    assert_non_null(tips);
    assert_non_null(strstr(tips, "<title>00:02:00 naive, switch: core &lt;00-09&gt; &amp; &quot;global&quot;</title>"));
    assert_non_null(strstr(tips, "<title>1. 00:01:00: HZ-A lost utility power</title>"));
    assert_non_null(strstr(tips, "</g>\n</svg>"));
}

/* ==== The report's charts from a synthetic run ==== */

/* A small scenario: from 00:00:00, ten seconds of warm-up and fifteen
 * minutes measured; HZ-A loses utility power at 00:01:00 (run time 60 s:
 * run time counts from the start of the warm-up; x = 50 s into the
 * measured part) with no generator. */
static const char scenario_text[] =
    "dcsim: 1\nkind: scenario\nname: viz-test\nstages: [pure]\nstart: \"00:00:00\"\nwarmup: 10s\nduration: 15m\n"
    "seed: 1\nscale: 0.01\ninterval: 1s\n"
    "traffic:\n  users: 1M\n  curve:\n    points:\n      - {at: \"00:00:00\", rate: 10k/s}\n"
    "  types:\n"
    "    - {name: pay, share: 60%, priority: 1, calls: [{data: user, op: write}]}\n"
    "    - {name: query, share: 40%, priority: 3, calls: [{data: user, op: read}]}\n"
    "faults:\n  - {at: \"00:01:00\", kind: power, target: {datacenter: HZ-A}, generator: fails, duration: 2h}\n"
    "captions:\n"
    "  - {at: \"00:00:30\", text: \"Half a minute in: {time}\"}\n"
    "  - {on: detect, text: \"Detected {detect} s after the impact\"}\n"
    "  - {on: promote, text: \"{lost} writes lost at {target}\"}\n";

typedef struct fixture {
    mdl_config *cfg;
    rpt_run run;
    rpt_stage stage;
    rpt_input in;
    mdl_event_row events[8];
    mdl_incident incident;
    mdl_series_point series[911];
} fixture;

static void event(fixture *fx, double t, int kind, const char *target, const char *text)
{
    mdl_event_row *e = &fx->events[fx->run.n_events++];
    e->t = (sim_time)(t * SIM_SEC);
    e->kind = kind;
    snprintf(e->target, sizeof e->target, "%s", target);
    snprintf(e->text, sizeof e->text, "%s", text);
}

static int setup_report(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    mdl_errors errs;
    if (!fx || mdl_config_load_text("scenarios/viz-test.yaml", scenario_text, strlen(scenario_text), &fx->cfg, &errs)) {
        mdl_errors_print(stderr, &errs);
        free(fx);
        return -1;
    }
    /* Batteries for ten minutes: dark at run time 660 s (x = 650); then
     * detected, switched and three promotions within two seconds. */
    fx->run.events = fx->events;
    event(fx, 60, EV_FAULT, "HZ-A", "HZ-A lost utility power and its generator failed to start");
    event(fx, 660, EV_DARK, "HZ-A", "HZ-A went dark (its batteries ran out)");
    event(fx, 665, EV_DETECT, "HZ-A", "dead servers in HZ-A detected");
    event(fx, 665.5, EV_SWITCH, "core 00-09", "core 00-09 switched to SH-A");
    event(fx, 666, EV_PROMOTE, "core 00-09", "core 00-09: promoted the copy in SH-A");
    event(fx, 666, EV_PROMOTE, "core 10-19", "core 10-19: promoted the copy in SH-A");
    event(fx, 666.5, EV_PROMOTE, "global", "global: promoted the copy in SH-A");
    fx->incident = (mdl_incident){.start = 60 * SIM_SEC, .broke_slo = 1, .impact = 600, .detect = 4.5,
                                  .switched = 5, .rto = 40, .recovered = 1, .lost_writes = 1200, .rpo = 0.5};
    fx->run.incidents = &fx->incident;
    fx->run.n_incidents = 1;
    /* Per second: pay always succeeds; query is shed from x = 700. */
    for (int i = 0; i < 911; i++) {
        mdl_series_point *p = &fx->series[i];
        p->t = i - 10;
        p->offered = 100;
        p->type_offered[0] = 60;
        p->type_succeeded[0] = 60;
        p->type_offered[1] = 40;
        p->type_succeeded[1] = p->t >= 700 ? 0 : 40;
        p->by_cause[FAIL_SHED] = p->t >= 700 ? 40 : 0;
        p->succeeded = p->type_succeeded[0] + p->type_succeeded[1];
        p->cross_dc_calls = p->t >= 660 ? 25 : 5;
    }
    fx->run.series = fx->series;
    fx->run.n_series = 911;
    fx->run.n_dcs = 1;
    snprintf(fx->run.dc_names[0], sizeof fx->run.dc_names[0], "HZ-A");
    fx->stage = (rpt_stage){.name = "pure", .index = 0, .colour = 0, .runs = &fx->run, .n_runs = 1};
    fx->in = (rpt_input){.cfg = fx->cfg, .scale = 0.01, .version = "test", .stages = &fx->stage, .n_stages = 1};
    *state = fx;
    return 0;
}

static int teardown_report(void **state)
{
    fixture *fx = *state;
    mdl_config_free(fx->cfg);
    free(fx);
    return 0;
}

static const rpt_chart *chart_named(const rpt_charts *cs, const char *file)
{
    for (int i = 0; i < cs->n; i++)
        if (!strcmp(cs->chart[i].file, file))
            return &cs->chart[i];
    return NULL;
}

static void the_power_band_splits_where_the_building_went_dark(void **state)
{
    fixture *fx = *state;
    rpt_charts cs;
    assert_int_equal(rpt_charts_build(&fx->in, &cs), 0);
    const rpt_chart *ch = chart_named(&cs, "success-ratio");
    assert_non_null(ch);
    assert_int_equal(ch->c.n_bands, 2);
    const vz_band *b = ch->c.bands;
    assert_int_equal(b[0].phase, VZ_BAND_BATTERY);
    assert_true(fabs(b[0].x0 - 50) < 1e-9 && fabs(b[0].x1 - 650) < 1e-9);
    assert_string_equal(b[0].label, "power: HZ-A, on batteries");
    assert_int_equal(b[1].phase, VZ_BAND_DARK);
    assert_true(fabs(b[1].x0 - 650) < 1e-9 && fabs(b[1].x1 - (50 + 7200)) < 1e-9);
    assert_string_equal(b[1].label, "HZ-A dark");
    rpt_charts_free(&cs);
}

/* Without a dark event, the building rode on its batteries to the end. */
static void without_a_dark_event_the_band_stays_on_batteries(void **state)
{
    fixture *fx = *state;
    fx->events[1].kind = EV_REPAIR; /* no longer dark */
    rpt_charts cs;
    assert_int_equal(rpt_charts_build(&fx->in, &cs), 0);
    const rpt_chart *ch = chart_named(&cs, "success-ratio");
    assert_int_equal(ch->c.n_bands, 1);
    assert_int_equal(ch->c.bands[0].phase, VZ_BAND_BATTERY);
    rpt_charts_free(&cs);
    fx->events[1].kind = EV_DARK;
}

static void the_marks_of_a_burst_merge_and_carry_what_where_when(void **state)
{
    fixture *fx = *state;
    rpt_charts cs;
    assert_int_equal(rpt_charts_build(&fx->in, &cs), 0);
    const rpt_chart *ch = chart_named(&cs, "success-ratio");
    assert_int_equal(ch->c.n_marks, 5);
    assert_string_equal(ch->c.marks[0].title, "00:11:05 pure, detect: dead servers in HZ-A detected");
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 8, 8);
    cairo_t *cr = cairo_create(img);
    vz_mark_group g[8];
    size_t n = vz_chart_mark_groups(cr, &ch->c, ch->w, ch->h, g, 8);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    assert_int_equal(n, 1);
    assert_int_equal(g[0].n, 5);
    assert_int_equal(g[0].count[VZ_MARK_PROMOTE], 3);
    char *svg;
    assert_int_equal(vz_svg_string(&svg, ch->w, ch->h, rpt_chart_draw, ch, "s-"), 0);
    assert_non_null(strstr(svg, "00:11:06 pure, promote: core 10-19: promoted the copy in SH-A"));
    sim_free(svg);
    rpt_charts_free(&cs);
}

/* A chart per stage of success per request type: pay holds at 100% while
 * query, shed, falls to 0; failures by cause show the shedding; the
 * cross-datacenter calls have a line per stage. */
static void each_stage_has_success_per_request_type_and_failures_by_cause(void **state)
{
    fixture *fx = *state;
    rpt_charts cs;
    assert_int_equal(rpt_charts_build(&fx->in, &cs), 0);
    const rpt_chart *ch = chart_named(&cs, "type-success-pure");
    assert_non_null(ch);
    assert_true(ch->small && ch->place == RPT_OVER_TIME);
    assert_int_equal(ch->c.n_series, 2);
    assert_string_equal(ch->c.series[0].name, "pay (priority 1)");
    assert_string_equal(ch->c.series[1].name, "query (priority 3)");
    const vz_series *pay = &ch->c.series[0], *query = &ch->c.series[1];
    assert_int_equal(pay->n, 901);
    assert_true(pay->x[800] == 800 && pay->y[800] == 100 && query->y[800] == 0 && query->y[100] == 100);
    assert_int_equal(ch->c.n_marks, 5); /* the stage's own */
    ch = chart_named(&cs, "failures-pure");
    assert_non_null(ch);
    assert_true(ch->c.stacked && ch->c.n_series == FAIL_COUNT);
    assert_true(ch->c.series[FAIL_SHED].y[800] == 40 && ch->c.series[FAIL_FAULT].y[800] == 0);
    ch = chart_named(&cs, "cross-dc-calls");
    assert_non_null(ch);
    assert_int_equal(ch->c.n_series, 1);
    assert_true(ch->c.series[0].y[700] == 25);
    ch = chart_named(&cs, "dc-share-pure");
    assert_true(ch && ch->place == RPT_IN_STAGE && ch->stage == 0);
    rpt_charts_free(&cs);
}

/* Captions: at their clock time or at the first event of their kind,
 * placeholders filled from the incident; numbered notes on the charts. */
static void captions_are_told_when_the_run_reached_them(void **state)
{
    fixture *fx = *state;
    rpt_caption_hit hit;
    assert_int_equal(rpt_caption(&fx->run, fx->cfg->scn, 0, &hit), 1);
    assert_string_equal(hit.clock, "00:00:30");
    assert_string_equal(hit.text, "Half a minute in: 00:00:30");
    assert_int_equal(rpt_caption(&fx->run, fx->cfg->scn, 1, &hit), 1);
    assert_string_equal(hit.clock, "00:11:05");
    assert_string_equal(hit.text, "Detected 4.5 s after the impact");
    assert_int_equal(rpt_caption(&fx->run, fx->cfg->scn, 2, &hit), 1);
    assert_string_equal(hit.text, "1,200 writes lost at core 00-09");
    assert_int_equal(hit.more, 0); /* the promotions of one second are one moment */
    rpt_caption_line lines[4];
    assert_int_equal(rpt_caption_lines(&fx->in, 1, lines, 4), 1);
    assert_string_equal(lines[0].stages, ""); /* the only stage: every stage */
    rpt_charts cs;
    assert_int_equal(rpt_charts_build(&fx->in, &cs), 0);
    const rpt_chart *ch = chart_named(&cs, "success-ratio");
    assert_int_equal(ch->c.n_notes, 3);
    assert_string_equal(ch->c.notes[1].label, "2");
    assert_string_equal(ch->c.notes[1].title, "2. 00:11:05: Detected 4.5 s after the impact");
    assert_true(fabs(ch->c.notes[0].x - 20) < 1e-9); /* 00:00:30, 20 s into the measured part */
    rpt_charts_free(&cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linear_ticks_fall_on_round_values),
        cmocka_unit_test(clock_ticks_fall_on_round_clock_times),
        cmocka_unit_test(numbers_read_well),
        cmocka_unit_test(students_t_matches_the_table),
        cmocka_unit_test(a_png_chart_shows_the_stage_colours_and_the_fault_band_where_the_fault_was),
        cmocka_unit_test(svg_for_html_has_prefixed_ids_and_no_xml_declaration),
        cmocka_unit_test(a_band_on_batteries_is_lighter_than_dark),
        cmocka_unit_test(marks_a_few_pixels_apart_merge_with_a_count),
        cmocka_unit_test(an_svg_file_mark_has_a_title),
        cmocka_unit_test_setup_teardown(the_power_band_splits_where_the_building_went_dark, setup_report, teardown_report),
        cmocka_unit_test_setup_teardown(without_a_dark_event_the_band_stays_on_batteries, setup_report, teardown_report),
        cmocka_unit_test_setup_teardown(the_marks_of_a_burst_merge_and_carry_what_where_when, setup_report, teardown_report),
        cmocka_unit_test_setup_teardown(each_stage_has_success_per_request_type_and_failures_by_cause, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(captions_are_told_when_the_run_reached_them, setup_report, teardown_report),
    };
    return cmocka_run_group_tests_name("viz", tests, NULL, NULL);
}
