/* test_viz.c -- the charting module: ticks at round values and round clock
 * times; Student's t; and a chart written as PNG and read back: the stage
 * colours are inside the plot area and the fault band is where the fault
 * was, nowhere else. */
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

#include "rpt_table.h"
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
    vz_band band = {200, 300, "power: HZ-A"};
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

/* The best cell of a row is marked, with values within 1% of it (one
 * seed's noise), but not on the availability row, where 99.0% lies within
 * 1% of 99.99%; a row where every stage ties marks nothing. */
static void the_table_marks_the_best_and_its_ties_but_not_close_availabilities(void **state)
{
    (void)state;
    static rpt_run runs[3];
    const double availability[3] = {0.99, 0.9999, 0.5};
    const double served[3] = {550680, 550320, 400000};
    rpt_stage stages[3];
    for (int s = 0; s < 3; s++) {
        runs[s].h.availability = availability[s];
        runs[s].h.nines = -log10(1 - availability[s]);
        runs[s].h.peak_served = served[s];
        stages[s] = (rpt_stage){.name = "stage", .runs = &runs[s], .n_runs = 1};
    }
    rpt_input in = {.stages = stages, .n_stages = 3};
    static rpt_row rows[RPT_MAX_ROWS];
    int n = rpt_table(&in, rows);
    int checked = 0;
    for (int i = 0; i < n; i++) {
        const int *b = rows[i].best;
        if (!strcmp(rows[i].label, "Availability") || !strcmp(rows[i].label, "Nines")) {
            assert_true(!b[0] && b[1] && !b[2]);
            checked++;
        } else if (!strcmp(rows[i].label, "Peak throughput served")) {
            assert_true(b[0] && b[1] && !b[2]);
            checked++;
        } else if (!strcmp(rows[i].label, "Lost writes")) { /* all 0: a tie */
            assert_true(!b[0] && !b[1] && !b[2]);
            checked++;
        }
    }
    assert_int_equal(checked, 4);
}

/* An incident still open when the run ends is in the RTO row, as it is in
 * summary.json and the rto verdict, even before it broke the SLO (a cut of
 * the run that ends while a building runs on batteries). */
static void the_rto_row_tells_of_an_incident_open_at_the_end(void **state)
{
    (void)state;
    static rpt_run runs[2];
    static mdl_incident open = {.recovered = 0, .broke_slo = 0, .rto = 120};
    static mdl_incident healed = {.recovered = 1, .broke_slo = 0, .rto = 0};
    runs[0].incidents = &open;
    runs[0].n_incidents = 1;
    runs[1].incidents = &healed;
    runs[1].n_incidents = 1;
    rpt_stage stages[2] = {{.name = "a", .runs = &runs[0], .n_runs = 1}, {.name = "b", .runs = &runs[1], .n_runs = 1}};
    rpt_input in = {.stages = stages, .n_stages = 2};
    static rpt_row rows[RPT_MAX_ROWS];
    int n = rpt_table(&in, rows), found = 0;
    for (int i = 0; i < n; i++)
        if (!strcmp(rows[i].label, "RTO")) {
            assert_string_equal(rows[i].cell[0], "not recovered, > 120 s");
            assert_string_equal(rows[i].cell[1], "no incident");
            found = 1;
        }
    assert_true(found);
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
        cmocka_unit_test(the_table_marks_the_best_and_its_ties_but_not_close_availabilities),
        cmocka_unit_test(the_rto_row_tells_of_an_incident_open_at_the_end),
    };
    return cmocka_run_group_tests_name("viz", tests, NULL, NULL);
}
