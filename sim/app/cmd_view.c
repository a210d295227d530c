/* cmd_view.c -- `dcsim view` (a live run in the window, maybe in the
 * operator's seat), `dcsim replay` (a trace in the same window), and the
 * headless frames both can draw instead (PNG files, or a video through
 * ffmpeg). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "app_view.h"
#include "mdl_config.h"
#include "mdl_kinds.h"
#include "sc_player.h"
#include "sim_status.h"
#ifdef DCSIM_HAVE_WINDOW
#include "win_view.h"
#endif

static const char *const usage =
    "usage: dcsim view SCENARIO [--stage S] [--seed N] [--scale F] [--speed X]\n"
    "                           [--operator [REACTION,...]] [--trace FILE] [display options]\n"
    "       dcsim replay TRACE [--speed X] [display options]\n"
    "\n"
    "Runs the scenario on one stage (default: the scenario's last) in a window\n"
    "and shows it live: the map, the charts, the timeline, the captions. Space\n"
    "pauses, + and - change the speed, the timeline seeks (backwards too), h\n"
    "shows every key. `replay` plays a trace written with --trace.\n"
    "  --operator [LIST]  the trainee takes over the stage's automatic reactions\n"
    "              the scenario's training section names (or LIST, or all):\n"
    "              unit-switch, promotion, failover, rollback, degradation,\n"
    "              failback, runbooks; c shows your phases beside the stage's\n"
    "  --trace FILE       records the run for `dcsim replay`\n"
    "  --out DIR          the operator seat's results go under DIR (results/)\n"
    "display options:\n"
    "  --size WxH         the window or frame size (default 1600x900; frames 1920x1080)\n"
    "  --frames DIR       no window: writes PNG frames into DIR\n"
    "  --video FILE.mp4   no window: pipes the frames to ffmpeg\n"
    "  --fps N            frames per second of the frames or video (default 10)\n"
    "  --from T --to T    the part to draw, as clock times (23:59:00)\n"
    "  --hit-boxes        with --frames: where each thing lies, frame-N.hits.tsv\n"
    "  --snapshots DIR    the window's F12 writes its frame there (default .)\n";

static int parse_size(const char *s, int *w, int *h)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (*end != 'x')
        return -1;
    long b = strtol(end + 1, &end, 10);
    if (*end || a < 320 || b < 240 || a > 7680 || b > 4320)
        return -1;
    *w = (int)a, *h = (int)b;
    return 0;
}

/* A clock time of the film's day as run time: the first such moment at
 * or after the film's start. */
static int clock_to_run(const mdl_film *f, const char *text, sim_time *out)
{
    sim_time clock;
    const char *why;
    if (sim_time_parse_clock(text, &clock, &why))
        return -1;
    double start = sc_start_clock(f), at = sim_time_to_seconds(clock);
    double d = fmod(at - start + 86400 * 2, 86400);
    *out = (sim_time)(d * SIM_SEC);
    return 0;
}

int app_view_parse(int argc, char **argv, int first, app_view_args *a, const char *command)
{
    a->width = 0, a->height = 0, a->fps = 10, a->speed = 0;
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            fputs(usage, stdout);
            return -1;
        } else if (!strcmp(arg, "--operator")) {
            a->operator_seat = 1;
            if (value && value[0] != '-')
                a->takes = value, i++;
        } else if (!strcmp(arg, "--stage") && value)
            a->stage = value, i++;
        else if (!strcmp(arg, "--seed") && value) {
            if (app_parse_seed(value, &a->seed))
                return app_usage_error(command, "--seed takes a whole number, not \"%s\"", value);
            a->seed_set = 1, i++;
        } else if (!strcmp(arg, "--scale") && value) {
            a->scale = strtod(value, &end);
            if (*end || !(a->scale > 0 && a->scale <= 1))
                return app_usage_error(command, "--scale takes a fraction in (0, 1], not \"%s\"", value);
            i++;
        } else if (!strcmp(arg, "--speed") && value) {
            a->speed = strtod(value, &end);
            if (*end || !(a->speed >= 0.1 && a->speed <= 1000))
                return app_usage_error(command, "--speed takes 0.1 to 1000, not \"%s\"", value);
            i++;
        } else if (!strcmp(arg, "--trace") && value)
            a->trace = value, i++;
        else if (!strcmp(arg, "--out") && value)
            a->out = value, i++;
        else if (!strcmp(arg, "--frames") && value)
            a->frames = value, i++;
        else if (!strcmp(arg, "--video") && value)
            a->video = value, i++;
        else if (!strcmp(arg, "--hit-boxes"))
            a->hit_boxes = 1;
        else if (!strcmp(arg, "--snapshots") && value)
            a->snapshots = value, i++;
        else if (!strcmp(arg, "--fps") && value) {
            a->fps = (int)strtol(value, &end, 10);
            if (*end || a->fps < 1 || a->fps > 120)
                return app_usage_error(command, "--fps takes 1 to 120, not \"%s\"", value);
            i++;
        } else if (!strcmp(arg, "--size") && value) {
            if (parse_size(value, &a->width, &a->height))
                return app_usage_error(command, "--size takes WxH, from 320x240 to 7680x4320, not \"%s\"", value);
            i++;
        } else if (!strcmp(arg, "--from") && value)
            a->from = value, i++;
        else if (!strcmp(arg, "--to") && value)
            a->to = value, i++;
        else if (arg[0] == '-')
            return app_usage_error(command, "unknown option %s", arg);
        else if (!a->input)
            a->input = arg;
        else
            return app_usage_error(command, "one %s at a time (\"%s\" is one too many)",
                                   strcmp(command, "replay") ? "scenario" : "trace", arg);
    }
    if (!a->input)
        return app_usage_error(command, "which %s? (dcsim %s --help)", strcmp(command, "replay") ? "scenario" : "trace",
                               command);
    if (a->frames && a->video)
        return app_usage_error(command, "--frames or --video, not both");
    if (a->operator_seat && (a->frames || a->video))
        return app_usage_error(command, "--operator needs the window: nobody acts in --frames or --video");
    return 0;
}

/* ==== Headless frames ==== */

static const char *const hit_kinds[VZ_HIT_KINDS] = {"none", "city", "dc", "cell", "unit", "group", "link"};

/* What lies where in a frame, for tests and tools: kind, index, name,
 * x, y, w, h (pixels). */
static int write_hits(const char *path, sc_player *p, const sc_layout *L)
{
    mdl_view v = {0};
    if (mdl_film_view_at(sc_player_film(p), sc_player_time(p), &v))
        return -1;
    FILE *f = fopen(path, "w");
    if (!f) {
        mdl_view_free(&v);
        return -1;
    }
    fprintf(f, "kind\tindex\tname\tx\ty\tw\th\n");
    for (int i = 0; i < L->hits.n; i++) {
        const vz_hit *h = &L->hits.v[i];
        char name[160] = "";
        if (h->kind == VZ_HIT_CITY)
            snprintf(name, sizeof name, "%s", v.cities[h->index].name);
        else if (h->kind == VZ_HIT_DC)
            snprintf(name, sizeof name, "%s", v.dcs[h->index].name);
        else if (h->kind == VZ_HIT_CELL)
            snprintf(name, sizeof name, "%s@%s", v.units[v.cells[h->index].unit].name, v.dcs[v.cells[h->index].dc].name);
        else if (h->kind == VZ_HIT_GROUP)
            snprintf(name, sizeof name, "%s/%d-%d", v.groups[h->index].database, v.groups[h->index].shards_lo,
                     v.groups[h->index].shards_hi);
        fprintf(f, "%s\t%d\t%s\t%.0f\t%.0f\t%.0f\t%.0f\n", hit_kinds[h->kind], h->index, name, h->x, h->y, h->w,
                h->h);
    }
    fprintf(f, "timeline\t0\t-\t%.0f\t%.0f\t%.0f\t%.0f\n", L->timeline_x, L->timeline_y, L->timeline_w,
            L->timeline_h);
    mdl_view_free(&v);
    return fclose(f) ? -1 : 0;
}

typedef struct png_sink {
    FILE *f;
} png_sink;

static cairo_status_t to_pipe(void *closure, const unsigned char *data, unsigned int length)
{
    png_sink *s = closure;
    return fwrite(data, 1, length, s->f) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int app_view_frames(sc_player *p, const app_view_args *a)
{
    int W = a->width ? a->width : 1920, H = a->height ? a->height : 1080;
    mdl_film *film = sc_player_film(p);
    sim_time from = 0, to = sc_player_end(p);
    if (a->from && clock_to_run(film, a->from, &from))
        return app_usage_error("view", "--from takes a clock time (23:59:00), not \"%s\"", a->from);
    if (a->to && clock_to_run(film, a->to, &to))
        return app_usage_error("view", "--to takes a clock time (00:05:00), not \"%s\"", a->to);
    if (to < from)
        return app_usage_error("view", "--to must not come before --from");
    double speed = a->speed > 0 ? a->speed : 10;
    sim_time step = (sim_time)(speed / a->fps * SIM_SEC);
    long frames = (long)((to - from) / step) + 1;
    if (frames > 200000)
        return app_usage_error("view", "%ld frames is too many: raise --speed or narrow --from/--to", frames);
    FILE *pipe = NULL;
    if (a->video) {
        if (system("command -v ffmpeg >/dev/null 2>&1") != 0) {
            fprintf(stderr, "dcsim: --video needs ffmpeg, which is not installed: apt-get install ffmpeg "
                            "(or write PNG frames with --frames DIR)\n");
            return EXIT_BAD_INPUT;
        }
        char cmd[8192];
        snprintf(cmd, sizeof cmd,
                 "ffmpeg -loglevel error -y -f image2pipe -framerate %d -i - -c:v libx264 -pix_fmt yuv420p '%s'",
                 a->fps, a->video);
        if (strchr(a->video, '\'') || !(pipe = popen(cmd, "w"))) {
            fprintf(stderr, "dcsim: cannot start ffmpeg for %s\n", a->video);
            return EXIT_RUN_FAILED;
        }
    } else if (mkdir(a->frames, 0777) && errno != EEXIST) {
        fprintf(stderr, "dcsim: cannot create %s: %s\n", a->frames, strerror(errno));
        return EXIT_RUN_FAILED;
    }
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, H);
    sc_player_ui(p)->speed = speed;
    sc_player_ui(p)->paused = 1; /* the clock moves by seeking, frame by frame */
    int rc = EXIT_DONE;
    for (long k = 0; k < frames && rc == EXIT_DONE; k++) {
        if (app_interrupted()) {
            rc = EXIT_RUN_FAILED;
            break;
        }
        sc_player_seek(p, from + k * step);
        sc_player_settle(p);
        cairo_t *cr = cairo_create(s);
        static sc_layout L; /* large: its hit boxes */
        sc_player_draw(p, cr, W, H, &L);
        cairo_destroy(cr);
        if (a->hit_boxes && a->frames) {
            char path[4096];
            snprintf(path, sizeof path, "%s/frame-%06ld.hits.tsv", a->frames, k);
            if (write_hits(path, p, &L))
                fprintf(stderr, "dcsim: cannot write %s\n", path), rc = EXIT_RUN_FAILED;
        }
        if (pipe) {
            png_sink sink = {pipe};
            if (cairo_surface_write_to_png_stream(s, to_pipe, &sink) != CAIRO_STATUS_SUCCESS)
                rc = EXIT_RUN_FAILED;
        } else {
            char path[4096];
            snprintf(path, sizeof path, "%s/frame-%06ld.png", a->frames, k);
            if (cairo_surface_write_to_png(s, path) != CAIRO_STATUS_SUCCESS) {
                fprintf(stderr, "dcsim: cannot write %s\n", path);
                rc = EXIT_RUN_FAILED;
            }
        }
        if (k % 20 == 0 || k == frames - 1)
            fprintf(stderr, "\r  frames %ld/%ld", k + 1, frames);
    }
    fprintf(stderr, "\n");
    cairo_surface_destroy(s);
    if (pipe && pclose(pipe) != 0 && rc == EXIT_DONE) {
        fprintf(stderr, "dcsim: ffmpeg failed writing %s\n", a->video);
        rc = EXIT_RUN_FAILED;
    }
    if (rc == EXIT_DONE)
        printf("%ld frames of %dx%d written to %s\n", frames, W, H, a->video ? a->video : a->frames);
    return rc;
}

static int show(sc_player *p, const app_view_args *a)
{
    if (a->speed > 0)
        sc_player_ui(p)->speed = a->speed;
    if (a->frames || a->video)
        return app_view_frames(p, a);
#ifdef DCSIM_HAVE_WINDOW
    win_options o = {a->width ? a->width : 1600, a->height ? a->height : 900, a->snapshots, 60, app_interrupted};
    return win_view_run(p, &o) ? EXIT_RUN_FAILED : EXIT_DONE;
#else
    fprintf(stderr, "dcsim: this dcsim was built without the window (-DDCSIM_VIZ=OFF): use --frames DIR\n");
    return EXIT_BAD_INPUT;
#endif
}

int cmd_view(int argc, char **argv)
{
    app_view_args a = {0};
    int rc = app_view_parse(argc, argv, 1, &a, "view");
    if (rc)
        return rc < 0 ? EXIT_DONE : rc;
    mdl_config *cfg;
    size_t stage_index;
    double scale = a.scale;
    if ((rc = app_scenario_stage(a.input, a.stage, &scale, &cfg, &stage_index)))
        return rc;
    mdl_run_options opt = {.scale = scale, .seed = a.seed, .seed_set = a.seed_set};
    unsigned takes = 0;
    if (a.operator_seat && (rc = app_operator_takes(cfg, a.takes, &takes))) {
        mdl_config_free(cfg);
        return rc;
    }
    app_catch_signals();
    app_seat *seat = NULL;
    if (a.operator_seat && (rc = app_seat_prepare(&seat, a.out ? a.out : "results", cfg, stage_index, &opt))) {
        mdl_config_free(cfg);
        return rc;
    }
    sc_player *p;
    char err[512] = "";
    int threaded = !(a.frames || a.video);
    if ((rc = sc_player_live(cfg, stage_index, &opt, takes, threaded, &p, err, sizeof err))) {
        fprintf(stderr, "dcsim: %s\n", err[0] ? err : sim_strerror(rc));
        app_seat_discard(seat);
        mdl_config_free(cfg);
        return rc == SIM_ENOMEM ? EXIT_RUN_FAILED : EXIT_BAD_INPUT;
    }
    sc_player_ui(p)->operator_seat = a.operator_seat;
    if (seat) {
        if (cfg->scn->training.head.present && (cfg->scn->training.brief || cfg->scn->training.decide))
            snprintf(sc_player_ui(p)->status, sizeof sc_player_ui(p)->status, "%s %s",
                     cfg->scn->training.brief ? cfg->scn->training.brief : "",
                     cfg->scn->training.decide ? cfg->scn->training.decide : "");
        if (app_seat_open(seat, p, &opt)) {
            app_seat_discard(seat);
            sc_player_destroy(p);
            mdl_config_free(cfg);
            return EXIT_RUN_FAILED;
        }
    }
    rc = show(p, &a);
    if (seat && rc == EXIT_DONE)
        rc = app_seat_close(seat);
    else
        app_seat_discard(seat);
    if (rc == EXIT_DONE && !seat && app_interrupted())
        rc = app_interrupted_exit("view");
    if (rc == EXIT_DONE && sc_player_failed(p)) {
        fprintf(stderr, "dcsim: the run failed: %s\n", sim_strerror(sc_player_failed(p)));
        rc = EXIT_RUN_FAILED;
    }
    if (rc == EXIT_DONE && a.trace) {
        char why[512];
        if (mdl_film_save(sc_player_film(p), a.trace, why, sizeof why)) {
            fprintf(stderr, "dcsim: %s\n", why);
            rc = EXIT_RUN_FAILED;
        }
    }
    sc_player_destroy(p);
    mdl_config_free(cfg);
    return rc;
}

int cmd_replay(int argc, char **argv)
{
    app_view_args a = {0};
    int rc = app_view_parse(argc, argv, 1, &a, "replay");
    if (rc)
        return rc < 0 ? EXIT_DONE : rc;
    if (a.operator_seat || a.stage || a.seed_set || a.scale > 0 || a.trace)
        return app_usage_error("replay", "a replay plays what was recorded: --operator, --stage, --seed, --scale "
                                         "and --trace belong to view");
    mdl_film *film;
    char err[512];
    if ((rc = mdl_film_load(a.input, &film, err, sizeof err))) {
        fprintf(stderr, "dcsim: %s\n", err);
        return rc == SIM_EINPUT ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    app_catch_signals();
    sc_player *p;
    if (sc_player_replay(film, &p)) {
        mdl_film_destroy(film);
        return EXIT_RUN_FAILED;
    }
    rc = show(p, &a);
    sc_player_destroy(p);
    return rc;
}
