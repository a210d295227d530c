/* app_view.h -- what `dcsim view`, `dcsim replay` and `dcsim bench view`
 * share: their options, the headless frames, and the operator's seat
 * (which reactions the trainee takes, and the trainee's incident beside
 * the automatic stage's). */
#ifndef APP_VIEW_H
#define APP_VIEW_H
#include <stdint.h>

#include "mdl_world.h"
#include "sc_player.h"

typedef struct app_view_args {
    const char *input;          /* the scenario, or the trace */
    const char *stage;
    uint64_t seed;
    int seed_set;
    double scale;               /* 0: the scenario's, else the default */
    double speed;               /* 0: the default */
    int operator_seat;
    const char *takes;          /* --operator's list, or NULL: the scenario's */
    const char *trace;
    const char *out;            /* --out DIR (results/) */
    const char *frames, *video, *snapshots;
    int fps, width, height;
    int hit_boxes;              /* frames: also where each thing lies (.hits.tsv) */
    const char *from, *to;
} app_view_args;

/* Parses view's and replay's options from argv[first]: 0, -1 after --help,
 * or EXIT_BAD_INPUT. */
int app_view_parse(int argc, char **argv, int first, app_view_args *a, const char *command);
/* Draws the player's run into PNG files or a video. Returns an exit code. */
int app_view_frames(sc_player *p, const app_view_args *a);

/* The reactions the trainee takes: `list` ("unit-switch,promotion"; "all"),
 * else the scenario's training section, else all. Returns an exit code. */
int app_operator_takes(const struct mdl_config *cfg, const char *list, unsigned *takes);

/* The operator's seat. Prepare: takes the output folder and starts the
 * trainee's results set (opt->series_path points into it). Open: starts
 * the automatic stage's run on the same seed in the background, for the
 * comparison the window's `c` shows. Close: finishes the trainee's run,
 * prints the trainee's incident beside the stage's, and writes both with
 * the trainee's results under OUT/<scenario>/<stage>-trainee/. Discard:
 * leaves nothing behind. Each returns an exit code (open: 0 or SIM_ENOMEM). */
typedef struct app_seat app_seat;
int app_seat_prepare(app_seat **out, const char *out_dir, const struct mdl_config *cfg, size_t stage_index,
                     mdl_run_options *opt);
int app_seat_open(app_seat *s, sc_player *p, const mdl_run_options *opt);
int app_seat_close(app_seat *s);
void app_seat_discard(app_seat *s);

#endif /* APP_VIEW_H */
