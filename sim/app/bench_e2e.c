/* bench_e2e.c -- `dcsim bench e2e`: the whole simulator's speed. The
 * shipped Double-11 scenario on one stage (the unit stage by default) at
 * 1:1 scale, over a fixed two minutes around the midnight peak
 * (00:04:30 to 00:06:30, after 10 s of warm-up), without its fault.
 * One call is one run and only measures; cmd_bench.c repeats the runs
 * (--reps), interleaves the peer harness (--peer) and prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "app.h"
#include "mdl_world.h"
#include "sim_status.h"

#ifndef DCSIM_SOURCE_DIR
#define DCSIM_SOURCE_DIR "."
#endif

static char *read_scenario(const char **path)
{
    static const char *const tries[] = {"scenarios/double11-idc-power-loss.yaml",
                                        DCSIM_SOURCE_DIR "/scenarios/double11-idc-power-loss.yaml"};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(tries[i], "rb");
        if (!f)
            continue;
        char *text = calloc(1, 1 << 20);
        size_t n = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
        fclose(f);
        if (!text)
            return NULL;
        text[n] = '\0';
        *path = tries[i];
        return text;
    }
    return NULL;
}

/* Replaces the first `from` in *text by `to`. */
static int patch(char **text, const char *from, const char *to)
{
    char *p = strstr(*text, from);
    if (!p)
        return -1;
    size_t head = (size_t)(p - *text), n = strlen(from), m = strlen(to), len = strlen(*text);
    char *out = malloc(len - n + m + 1);
    if (!out)
        return -1;
    memcpy(out, *text, head);
    memcpy(out + head, to, m);
    strcpy(out + head + m, p + n);
    free(*text);
    *text = out;
    return 0;
}

/* The scenario cut down to the measured window: the stage, the start
 * just before the peak, a short warm-up and the window's length. */
static int load_config(const char *stage_name, double window_s, mdl_config **cfg)
{
    const char *path;
    char *text = read_scenario(&path);
    if (!text) {
        fprintf(stderr, "dcsim: bench e2e: cannot find scenarios/double11-idc-power-loss.yaml\n");
        return EXIT_BAD_INPUT;
    }
    char stages[64], duration[64];
    snprintf(stages, sizeof stages, "stages: [%s]", stage_name);
    snprintf(duration, sizeof duration, "duration: %gs", window_s);
    char *faults = strstr(text, "\nfaults:");
    if (faults)
        faults[1] = '\0'; /* the window is after the fault's time: drop it and what follows */
    if (patch(&text, "stages: [pure, naive, mature, unit]", stages) ||
        patch(&text, "start: \"23:58:30\"", "start: \"00:04:20\"") || patch(&text, "warmup: 30s", "warmup: 10s") ||
        patch(&text, "duration: 21m", duration)) {
        fprintf(stderr, "dcsim: bench e2e: %s is not the shipped scenario\n", path);
        free(text);
        return EXIT_BAD_INPUT;
    }
    mdl_errors errs;
    int rc = mdl_config_load_text(path, text, strlen(text), cfg, &errs);
    free(text);
    if (rc) {
        mdl_errors_print(stderr, &errs);
        return EXIT_BAD_INPUT;
    }
    return EXIT_DONE;
}

/* Runs the world to its end; only the run itself is timed, not building it. */
static int measure(mdl_world *w, bench_e2e_result *out)
{
    double t0 = app_wall_seconds();
    int rc = mdl_world_run(w, mdl_world_end(w), NULL, NULL);
    double wall = app_wall_seconds() - t0;
    if (rc < 0) {
        fprintf(stderr, "dcsim: bench e2e: the run failed: %s\n", sim_strerror(rc));
        return EXIT_RUN_FAILED;
    }
    out->events = (double)sim_engine_events_fired(mdl_world_engine(w));
    out->attempts = mdl_world_attempts(w);
    out->requests_per_s = out->attempts / wall;
    out->events_per_s = out->events / wall;
    out->events_per_request = out->events / out->attempts;
    out->realtime_factor = sim_time_to_seconds(mdl_world_end(w)) / wall;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru); /* the process's peak so far: the runs are alike, so one world's */
    out->peak_rss_mb = (double)ru.ru_maxrss / 1024;
    return EXIT_DONE;
}

int bench_e2e(const char *stage_name, double scale, double window_s, int queue, bench_e2e_result *out)
{
    mdl_config *cfg;
    int rc = load_config(stage_name, window_s, &cfg);
    if (rc)
        return rc;
    mdl_run_options opt = {scale, 0, 0, (sim_queue_kind)queue, 0};
    mdl_world *w;
    char err[256];
    if (mdl_world_create(cfg, 0, &opt, &w, err, sizeof err)) {
        fprintf(stderr, "dcsim: bench e2e: %s\n", err);
        mdl_config_free(cfg);
        return EXIT_RUN_FAILED;
    }
    rc = measure(w, out);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    return rc;
}
