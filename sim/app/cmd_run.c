/* cmd_run.c -- `dcsim run`: one scenario on each of its stages (or one),
 * writing results/<scenario>/<stage>/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "mdl_world.h"
#include "rpt_table.h"
#include "sim_status.h"

static const char *const usage =
    "usage: dcsim run SCENARIO [--stage S] [--seed N] [--scale F] [--out DIR] [--check]\n"
    "\n"
    "Runs the scenario on every stage it names (or on --stage S: a name of the\n"
    "scenario's stages, or a path) and writes results/<scenario>/<stage>/:\n"
    "summary.json, timeseries.csv, events.csv, meta.json (see results/README.md).\n"
    "  --seed N    replaces the scenario's seed\n"
    "  --scale F   simulates the fraction F of the users with F of every\n"
    "              replicated resource (default 1)\n"
    "  --out DIR   writes under DIR instead of results/\n"
    "  --check     exits 3 when a verdict fails (every output is kept)\n";

typedef struct progress_line {
    const char *stage;
    int shown;
} progress_line;

static void show_progress(double fraction, void *context)
{
    progress_line *p = context;
    int pct = (int)(fraction * 100);
    if (pct == p->shown)
        return;
    p->shown = pct;
    fprintf(stderr, "\r  %-10s [%-40.*s] %3d%%", p->stage, pct * 40 / 100,
            "########################################", pct);
    fflush(stderr);
}

int app_parse_run_options(int argc, char **argv, int first, app_run_args *a, const char *command)
{
    a->scale = 0;
    a->out = "results";
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (!strcmp(arg, "--check")) {
            a->check = 1;
        } else if (!strcmp(arg, "--stage") && value) {
            a->stage = value;
            i++;
        } else if (!strcmp(arg, "--stages") && value) {
            a->stages = value;
            i++;
        } else if (!strcmp(arg, "--out") && value) {
            a->out = value;
            i++;
        } else if (!strcmp(arg, "--seed") && value) {
            a->seed = strtoull(value, &end, 10);
            if (*end || value[0] == '-')
                return app_usage_error(command, "--seed: expected a whole number, got \"%s\"", value);
            a->seed_set = 1;
            i++;
        } else if (!strcmp(arg, "--scale") && value) {
            a->scale = strtod(value, &end);
            if (*end || !(a->scale > 0) || a->scale > 1)
                return app_usage_error(command, "--scale: expected a fraction in (0, 1], got \"%s\"", value);
            i++;
        } else if (!strcmp(arg, "--replicates") && value) {
            long k = strtol(value, &end, 10);
            if (*end || k < 1 || k > 1000)
                return app_usage_error(command, "--replicates: expected 1 to 1000, got \"%s\"", value);
            a->replicates = (int)k;
            i++;
        } else if (!strcmp(arg, "--jobs") && value) {
            long k = strtol(value, &end, 10);
            if (*end || k < 1 || k > 256)
                return app_usage_error(command, "--jobs: expected 1 to 256, got \"%s\"", value);
            a->jobs = (int)k;
            i++;
        } else if (arg[0] == '-') {
            return app_usage_error(command, "unknown or incomplete option \"%s\"", arg);
        } else if (!a->scenario) {
            a->scenario = arg;
        } else {
            return app_usage_error(command, "one scenario at a time (got \"%s\" too)", arg);
        }
    }
    if (!a->scenario)
        return app_usage_error(command, "which scenario? (dcsim %s SCENARIO)", command);
    return EXIT_DONE;
}

/* results/<scenario>/<stage> */
void app_stage_dir(char *buf, size_t size, const char *out, const char *scenario_name,
                   const char *stage_name)
{
    snprintf(buf, size, "%s/%s/%s", out, scenario_name, stage_name);
}

int app_load_scenario(const char *path, double *scale_io, double default_scale, mdl_config **cfg)
{
    int rc = app_load_config(path, cfg);
    if (rc)
        return rc;
    if ((*cfg)->kind != MDL_FILE_SCENARIO) {
        fprintf(stderr, "%s:1:1: error: kind: expected a scenario (this is a %s file)\n", path,
                mdl_file_kinds[(*cfg)->kind]);
        mdl_config_free(*cfg);
        *cfg = NULL;
        return EXIT_BAD_INPUT;
    }
    double scale = *scale_io > 0 ? *scale_io : (*cfg)->scn->scale > 0 ? (*cfg)->scn->scale : default_scale;
    *scale_io = scale;
    double requests = mdl_scenario_requests(*cfg, scale);
    if (requests > APP_MAX_REQUESTS) {
        fprintf(stderr,
                "%s:1:1: error: traffic: the scenario implies %.3g simulated requests at scale %g "
                "(at most %.3g); use a smaller --scale\n",
                path, requests, scale, APP_MAX_REQUESTS);
        mdl_config_free(*cfg);
        *cfg = NULL;
        return EXIT_BAD_INPUT;
    }
    return EXIT_DONE;
}

/* The stage index named by --stage, or -1 with a message. */
static int find_stage(const mdl_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_stages; i++)
        if (!strcmp(cfg->stages[i]->name, name))
            return (int)i;
    fprintf(stderr, "dcsim: --stage: the scenario has no stage named \"%s\" (it has:", name);
    for (size_t i = 0; i < cfg->n_stages; i++)
        fprintf(stderr, " %s", cfg->stages[i]->name);
    fprintf(stderr, ")\n");
    return -1;
}

int app_run_stage(const mdl_config *cfg, size_t si, const app_run_args *a, uint64_t seed,
                  int seed_set, const char *dir, const char *command_line, int show, mdl_headline *h)
{
    mdl_run_options opt = {a->scale, seed, seed_set, SIM_QUEUE_DEFAULT, 1};
    mdl_world *w;
    char err[256] = "";
    int rc = mdl_world_create(cfg, si, &opt, &w, err, sizeof err);
    if (rc) {
        fprintf(stderr, "dcsim: stage %s: %s\n", cfg->stages[si]->name, err[0] ? err : sim_strerror(rc));
        return rc == SIM_ENOMEM ? EXIT_RUN_FAILED : EXIT_BAD_INPUT;
    }
    for (int i = 0; mdl_world_warning(w, i)[0]; i++)
        if (show)
            fprintf(stderr, "dcsim: warning: stage %s: %s\n", cfg->stages[si]->name, mdl_world_warning(w, i));
    double t0 = app_wall_seconds();
    progress_line pl = {cfg->stages[si]->name, -1};
    int tty = show && isatty(STDERR_FILENO);
    rc = mdl_world_run(w, 0, tty ? show_progress : NULL, &pl);
    if (tty)
        fprintf(stderr, "\r%70s\r", "");
    if (rc < 0) {
        fprintf(stderr, "dcsim: stage %s: the run failed: %s (seed %llu)\n", cfg->stages[si]->name,
                sim_strerror(rc), (unsigned long long)mdl_world_seed(w));
        mdl_world_destroy(w);
        return EXIT_RUN_FAILED;
    }
    double wall = app_wall_seconds() - t0;
    if (dir && mdl_world_write(w, dir, wall, command_line)) {
        fprintf(stderr, "dcsim: cannot write results into %s\n", dir);
        mdl_world_destroy(w);
        return EXIT_RUN_FAILED;
    }
    if (h)
        mdl_world_headline(w, h);
    mdl_verdict v[MDL_MAX_VERDICTS];
    int nv = mdl_world_verdicts(w, v, MDL_MAX_VERDICTS), failed = 0;
    for (int i = 0; i < nv; i++) {
        failed += !v[i].pass;
        if (show && !v[i].pass) {
            char got[48];
            rpt_format_metric(v[i].metric, v[i].value, got, sizeof got);
            printf("           verdict failed: %s %s %s (got %s)\n", mdl_metric_names[v[i].metric],
                   v[i].at_least ? "at least" : "at most", v[i].bound_text, v[i].unrecovered ? "not recovered" : got);
        }
    }
    mdl_world_destroy(w);
    return failed ? EXIT_VERDICT_FAILED : EXIT_DONE;
}

static void print_line(const char *stage_name, const mdl_headline *h)
{
    printf("  %-8s availability %9.5f%%  failed %10.0f  p99 %7.1f ms  peak p99 %7.1f ms  users affected %9.0f\n",
           stage_name, h->availability * 100, h->failed, h->p99 * 1e3, h->peak_p99 * 1e3, h->users_affected);
}

int cmd_run(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return EXIT_DONE;
    }
    app_run_args a = {0};
    int rc = app_parse_run_options(argc, argv, 1, &a, "run");
    if (rc)
        return rc;
    mdl_config *cfg;
    if ((rc = app_load_scenario(a.scenario, &a.scale, 1, &cfg)))
        return rc;
    double scale = a.scale;
    int only = -1;
    if (a.stage && (only = find_stage(cfg, a.stage)) < 0) {
        mdl_config_free(cfg);
        return EXIT_BAD_INPUT;
    }
    char command_line[1024] = "";
    app_join_argv(command_line, sizeof command_line, argc, argv, "run");
    printf("dcsim run %s: scale %g, seed %llu\n", cfg->scn->name, scale,
           (unsigned long long)(a.seed_set ? a.seed : (uint64_t)cfg->scn->seed));
    int verdicts_failed = 0;
    for (size_t s = 0; s < cfg->n_stages && (rc == EXIT_DONE || rc == EXIT_VERDICT_FAILED); s++) {
        if (only >= 0 && (int)s != only)
            continue;
        char dir[4096];
        app_stage_dir(dir, sizeof dir, a.out, cfg->scn->name, cfg->stages[s]->name);
        mdl_headline h;
        rc = app_run_stage(cfg, s, &a, a.seed, a.seed_set, dir, command_line, 1, &h);
        if (rc == EXIT_DONE || rc == EXIT_VERDICT_FAILED) {
            verdicts_failed |= rc == EXIT_VERDICT_FAILED;
            print_line(cfg->stages[s]->name, &h);
            printf("           -> %s/\n", dir);
        }
    }
    mdl_config_free(cfg);
    if (rc == EXIT_VERDICT_FAILED || (rc == EXIT_DONE && verdicts_failed))
        return a.check ? EXIT_VERDICT_FAILED : EXIT_DONE;
    return rc;
}
