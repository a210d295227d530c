/* bench_e2e.c -- `dcsim bench e2e`: the whole simulator's speed. The
 * shipped Double-11 scenario on one stage (the unit stage by default) at
 * 1:1 scale, over a fixed two minutes around the midnight peak
 * (00:04:30 to 00:06:30, after 10 s of warm-up), without its fault. */
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

int bench_e2e(const char *stage_name, double scale, double window_s, int queue)
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
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_text(path, text, strlen(text), &cfg, &errs);
    free(text);
    if (rc) {
        mdl_errors_print(stderr, &errs);
        return EXIT_BAD_INPUT;
    }
    mdl_run_options opt = {scale, 0, 0, (sim_queue_kind)queue, 0};
    mdl_world *w;
    char err[256];
    if ((rc = mdl_world_create(cfg, 0, &opt, &w, err, sizeof err))) {
        fprintf(stderr, "dcsim: bench e2e: %s\n", err);
        mdl_config_free(cfg);
        return EXIT_RUN_FAILED;
    }
    double t0 = app_wall_seconds();
    rc = mdl_world_run(w, mdl_world_end(w), NULL, NULL);
    double wall = app_wall_seconds() - t0;
    if (rc < 0) {
        fprintf(stderr, "dcsim: bench e2e: the run failed: %s\n", sim_strerror(rc));
        mdl_world_destroy(w);
        mdl_config_free(cfg);
        return EXIT_RUN_FAILED;
    }
    mdl_headline h;
    mdl_world_headline(w, &h);
    double events = (double)sim_engine_events_fired(mdl_world_engine(w));
    double attempts = mdl_world_attempts(w);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    char machine[512];
    app_describe_machine(machine, sizeof machine);
    printf("%s\n", machine);
    printf("e2e %s %s (%s queue): %.2f M simulated requests/s of wall time, %.2fx real time, "
           "%.1f events/request, %.1f M events/s, peak RSS %.0f MB\n",
           stage_name, scale == 1 ? "1:1" : "scaled", sim_queue_kind_name((sim_queue_kind)queue), attempts / wall / 1e6,
           sim_time_to_seconds(mdl_world_end(w)) / wall, events / attempts, events / wall / 1e6,
           (double)ru.ru_maxrss / 1024);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
    return EXIT_DONE;
}
