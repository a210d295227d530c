/* bench_view.c -- `dcsim bench view`: how fast the window draws, and how
 * fast the simulation runs while it draws. The default scenario at its
 * default scale plays live on its own thread, asked for 1000x, while this
 * thread draws 1920x1080 frames headless as fast as it can (cairo alone,
 * as the window does before its texture copy); then the same stretch of
 * simulated time runs again with nothing drawn. Figures: frames per
 * second, each frame's draw time (median and p99), the simulation's
 * real-time factor while drawing and alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_view.h"
#include "mdl_config.h"
#include "sim_status.h"

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int bench_view(const char *scenario_path, int width, int height, double seconds)
{
    mdl_config *cfg;
    size_t stage_index;
    double scale = 0;
    int rc = app_scenario_stage(scenario_path, NULL, &scale, &cfg, &stage_index);
    if (rc)
        return rc;
    mdl_run_options opt = {.scale = scale};
    sc_player *p;
    char err[512] = "";
    if (sc_player_live(cfg, stage_index, &opt, 0, 1, &p, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        mdl_config_free(cfg);
        return EXIT_RUN_FAILED;
    }
    char machine[256];
    app_describe_machine(machine, sizeof machine);
    printf("bench view: %s, stage %s, scale %g, %dx%d, asked 1000x, %.0f s of wall time\n%s\n", cfg->scn->name,
           cfg->stages[stage_index]->name, scale, width, height, seconds, machine);
    /* Start where the scenario's action is: its first planned fault. */
    const mdl_film_mark *m;
    sim_time from = mdl_film_marks(sc_player_film(p), &m) ? m[0].from - 30 * SIM_SEC : 0;
    sc_player_ui(p)->speed = 1000;
    sc_player_seek(p, from > 0 ? from : 0);
    sc_player_settle(p);
    sim_time sim_start = sc_player_edge(p);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    int cap = 100000, n = 0;
    double *draw = malloc(sizeof *draw * (size_t)cap);
    double t0 = app_wall_seconds(), last = t0;
    while (draw && n < cap && last - t0 < seconds && !sc_player_finished(p)) {
        double now = app_wall_seconds();
        sc_player_tick(p, now - last);
        last = now;
        cairo_t *cr = cairo_create(s);
        sc_player_draw(p, cr, width, height, NULL);
        cairo_destroy(cr);
        cairo_surface_flush(s);
        draw[n++] = app_wall_seconds() - now;
    }
    double wall = app_wall_seconds() - t0;
    sim_time sim_end = sc_player_edge(p);
    double drawn_rtf = sim_time_to_seconds(sim_end - sim_start) / wall;
    cairo_surface_destroy(s);
    sc_player_destroy(p);
    /* The same stretch with nothing drawn. */
    mdl_world *w;
    double alone_rtf = 0;
    if (mdl_world_create(cfg, stage_index, &opt, &w, err, sizeof err) == 0) {
        mdl_world_run(w, sim_start, NULL, NULL);
        double a0 = app_wall_seconds();
        mdl_world_run(w, sim_end, NULL, NULL);
        double aw = app_wall_seconds() - a0;
        alone_rtf = aw > 0 ? sim_time_to_seconds(sim_end - sim_start) / aw : 0;
        mdl_world_destroy(w);
    }
    if (n > 0) {
        qsort(draw, (size_t)n, sizeof *draw, by_value);
        printf("frames drawn        %d in %.2f s: %.1f frames/s\n", n, wall, n / wall);
        printf("draw time per frame median %.1f ms, p99 %.1f ms\n", draw[n / 2] * 1e3, draw[(size_t)(n * 0.99)] * 1e3);
    }
    printf("simulated %.0f s: %.1fx real time while drawing, %.1fx alone (the window shows the speed reached)\n",
           sim_time_to_seconds(sim_end - sim_start), drawn_rtf, alone_rtf);
    free(draw);
    mdl_config_free(cfg);
    return n > 0 ? EXIT_DONE : EXIT_RUN_FAILED;
}
