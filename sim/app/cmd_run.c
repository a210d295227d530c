/* cmd_run.c -- `dcsim run`: one scenario on each of its stages (or one),
 * writing results/<scenario>/<stage>/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cfg_value.h"
#include "mdl_film.h"
#include "mdl_view.h"
#include "mdl_world.h"
#include "rpt_table.h"
#include "sim_status.h"

static const char *const usage =
    "usage: dcsim run SCENARIO [--stage S] [--seed N] [--scale F] [--out DIR] [--trace FILE] [--check]\n"
    "                          [--max-output BYTES] [--max-memory BYTES]\n"
    "\n"
    "Runs the scenario on every stage it names (or on --stage S: a name of the\n"
    "scenario's stages or of models/stages/, or a stage file's path) and writes\n"
    "results/<scenario>/<stage>/: summary.json, timeseries.csv, events.csv,\n"
    "junit.xml, meta.json (see results/README.md), each stage's set whole.\n"
    "  --seed N    replaces the scenario's seed\n"
    "  --scale F   simulates the fraction F of the users with F of every\n"
    "              replicated resource (default: the scenario's scale, else\n"
    "              0.05); counts are given at full scale; a scale too small\n"
    "              to keep every capacity is refused, naming the smallest that does\n"
    "  --out DIR   writes under DIR instead of results/\n"
    "  --trace FILE  records the run for `dcsim replay` in FILE (with several\n"
    "              stages, one file each: t.trace -> t.unit.trace)\n"
    "  --check     exits 3 when a verdict fails (every output is kept)\n"
    "  --max-output BYTES, --max-memory BYTES\n"
    "              refuse a run whose time series or memory may pass this\n"
    "              (default 8G and 16G; k M G T)\n";

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
        } else if ((!strcmp(arg, "--set") || !strcmp(arg, "--variant")) && value) {
            int rc = app_settings_option(command, arg, value);
            if (rc)
                return rc;
            i++;
        } else if (!strcmp(arg, "--trace") && value) {
            if (!value[0])
                return app_usage_error(command, "--trace: expected a file name, got \"\"");
            a->trace = value;
            i++;
        } else if (!strcmp(arg, "--seed") && value) {
            if (app_parse_seed(value, &a->seed))
                return app_usage_error(command, "--seed: expected a whole number from 0 to %llu, got \"%s\"",
                                       (unsigned long long)UINT64_MAX, value);
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
        } else if ((!strcmp(arg, "--max-output") || !strcmp(arg, "--max-memory")) && value) {
            double bytes;
            const char *why;
            if (cfg_parse_count(value, &bytes, &why) || !(bytes > 0))
                return app_usage_error(command, "%s: expected a number of bytes such as 20G, got \"%s\"", arg, value);
            *(!strcmp(arg, "--max-output") ? &a->max_output : &a->max_memory) = bytes;
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

int app_load_scenario(const char *path, double *scale_io, double default_scale, mdl_config **cfg)
{
    int rc = app_load_config(path, cfg);
    if (rc == EXIT_DONE && (rc = app_check_scenario(path, scale_io, default_scale, *cfg))) {
        mdl_config_free(*cfg);
        *cfg = NULL;
    }
    return rc;
}

int app_check_scenario(const char *path, double *scale_io, double default_scale, const mdl_config *cfg)
{
    if (cfg->kind != MDL_FILE_SCENARIO) {
        fprintf(stderr, "%s:1:1: error: kind: expected a scenario (this is a %s file)\n", path,
                mdl_file_kinds[cfg->kind]);
        return EXIT_BAD_INPUT;
    }
    double scale = *scale_io > 0 ? *scale_io : cfg->scn->scale > 0 ? cfg->scn->scale : default_scale;
    *scale_io = scale;
    double requests = mdl_scenario_requests(cfg, scale);
    if (requests > APP_MAX_REQUESTS) {
        fprintf(stderr,
                "%s:1:1: error: traffic: the scenario implies %.3g simulated requests at scale %g "
                "(at most %.3g); use a smaller --scale\n",
                path, requests, scale, APP_MAX_REQUESTS);
        return EXIT_BAD_INPUT;
    }
    return EXIT_DONE;
}

int app_check_scale(const mdl_config *cfg, double scale, const size_t *stages, int n_stages)
{
    for (int i = 0; i < n_stages; i++) {
        char why[512];
        if (!mdl_world_check_scale(cfg, stages[i], scale, why, sizeof why))
            continue;
        if (cfg->scn->approximate_capacities) { /* the run's warnings say it again */
            fprintf(stderr, "dcsim: warning: %s; capacities rounded, as the scenario's approximate_capacities "
                    "allows\n", why);
            continue;
        }
        fprintf(stderr, "dcsim: %s\n", why);
        return EXIT_BAD_INPUT;
    }
    return EXIT_DONE;
}

/* The stage index named by --stage among the scenario's, or -1. */
static int find_stage(const mdl_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_stages; i++)
        if (!strcmp(cfg->stages[i]->name, name))
            return (int)i;
    return -1;
}

/* A stage the scenario does not name (a name in models/stages/, or a path):
 * the scenario loaded again with that stage in place of its list. */
static int load_other_stage(const char *scenario_path, const char *stage_ref, double *scale, mdl_config **cfg)
{
    char absolute[4096];
    const char *ref = stage_ref;
    /* A path is the user's, relative to here, not to the scenario. */
    if ((strchr(stage_ref, '/') || strstr(stage_ref, ".yaml")) && realpath(stage_ref, absolute))
        ref = absolute;
    mdl_errors errs;
    int rc = mdl_config_load_options(scenario_path, app_settings(ref), cfg, &errs);
    if (rc == SIM_ENOMEM) {
        fprintf(stderr, "dcsim: out of memory loading %s\n", scenario_path);
        return EXIT_RUN_FAILED;
    }
    if (rc) {
        mdl_errors_print(stderr, &errs);
        return EXIT_BAD_INPUT;
    }
    if ((rc = app_check_scenario(scenario_path, scale, APP_DEFAULT_SCALE, *cfg))) {
        mdl_config_free(*cfg);
        *cfg = NULL;
    }
    return rc;
}

int app_scenario_stage(const char *scenario_path, const char *stage_ref, double *scale, mdl_config **cfg,
                       size_t *index)
{
    int rc = app_load_scenario(scenario_path, scale, APP_DEFAULT_SCALE, cfg);
    if (rc)
        return rc;
    int at = stage_ref ? find_stage(*cfg, stage_ref) : (*cfg)->n_stages ? (int)(*cfg)->n_stages - 1 : -1;
    if (at < 0 && stage_ref) {
        mdl_config_free(*cfg);
        *cfg = NULL;
        if ((rc = load_other_stage(scenario_path, stage_ref, scale, cfg)))
            return rc;
        at = 0;
    }
    *index = (size_t)at;
    return app_check_scale(*cfg, *scale, index, 1);
}

void app_trace_path(const char *trace, const char *stage_name, int only_one, char *out, size_t size)
{
    if (only_one) {
        snprintf(out, size, "%s", trace);
        return;
    }
    const char *slash = strrchr(trace, '/'), *dot = strrchr(trace, '.');
    const char *base = slash ? slash + 1 : trace;
    if (!dot || dot <= base) /* no extension (a leading dot is a hidden file's name) */
        snprintf(out, size, "%s.%s", trace, stage_name);
    else
        snprintf(out, size, "%.*s.%s%s", (int)(dot - trace), trace, stage_name, dot);
}

/* The slice between two views of a trace: 10 frames a second of simulated time. */
#define TRACE_SLICE (100 * SIM_MS)

int app_run_traced(mdl_world *w, const mdl_config *cfg, size_t stage_index, const char *trace_path,
                   int (*progress)(double fraction, void *context), void *context, char *err, size_t err_size)
{
    mdl_view v = {0};
    mdl_film *film = NULL;
    int rc = mdl_view_capture(w, &v);
    if (!rc)
        rc = mdl_film_start(w, cfg, stage_index, &v, &film);
    sim_time end = mdl_world_end(w), t = 0;
    while (!rc) {
        t += TRACE_SLICE;
        rc = mdl_world_run(w, t, progress, context);
        if (rc < 0)
            break;
        int ended = rc == 0;
        if ((rc = mdl_view_capture(w, &v)) || (rc = mdl_film_record(film, &v)))
            break;
        if (ended)
            break;
        if (progress && progress(end > 0 && t < end ? (double)t / (double)end : 0.999, context)) {
            rc = SIM_EINTR;
            break;
        }
    }
    if (rc == SIM_ENOMEM)
        snprintf(err, err_size, "out of memory recording the trace %s", trace_path);
    if (!rc)
        rc = mdl_film_save(film, trace_path, err, err_size);
    mdl_film_destroy(film);
    mdl_view_free(&v);
    return rc;
}

/* Shows and stops a run's progress: the bar on a terminal, a signal anywhere. */
static int run_progress(double fraction, void *context)
{
    if (app_interrupted())
        return 1;
    if (context)
        show_progress(fraction, context);
    return 0;
}

int app_run_stage(const mdl_config *cfg, size_t si, const app_run_args *a, uint64_t seed,
                  int seed_set, app_out *o, const char *command_line, int show, mdl_headline *h)
{
    const char *name = cfg->stages[si]->name;
    app_set set;
    int rc = app_set_begin(o, &set, name);
    if (rc)
        return rc;
    char series[8400];
    snprintf(series, sizeof series, "%s/timeseries.csv", set.staging);
    mdl_run_options opt = {a->scale, seed, seed_set, SIM_QUEUE_DEFAULT, series};
    mdl_world *w;
    char err[4400] = "";
    rc = mdl_world_create(cfg, si, &opt, &w, err, sizeof err);
    if (rc) {
        if (rc == SIM_EIO)
            app_io_error(&set, name);
        else
            fprintf(stderr, "dcsim: stage %s: %s\n", name, err[0] ? err : sim_strerror(rc));
        app_set_abort(&set);
        return rc == SIM_EINPUT ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    for (int i = 0; mdl_world_warning(w, i)[0]; i++)
        if (show)
            fprintf(stderr, "dcsim: warning: stage %s: %s\n", name, mdl_world_warning(w, i));
    double t0 = app_wall_seconds();
    progress_line pl = {name, -1};
    int tty = show && isatty(STDERR_FILENO);
    char trace[4400], trace_err[4600] = "";
    if (a->trace) {
        app_trace_path(a->trace, name, !a->trace_per_stage, trace, sizeof trace);
        rc = app_run_traced(w, cfg, si, trace, run_progress, tty ? &pl : NULL, trace_err, sizeof trace_err);
    } else {
        rc = mdl_world_run(w, 0, run_progress, tty ? &pl : NULL);
    }
    if (tty)
        fprintf(stderr, "\r%70s\r", "");
    if (trace_err[0] && rc != SIM_EINTR) {
        fprintf(stderr, "dcsim: stage %s: cannot write the trace: %s\n", name, trace_err);
        mdl_world_destroy(w);
        app_set_abort(&set);
        return EXIT_RUN_FAILED;
    }
    if (rc == SIM_EINTR) {
        mdl_world_destroy(w);
        app_set_abort(&set);
        char what[512];
        snprintf(what, sizeof what, "stage %s stopped; its partial results removed", name);
        return app_interrupted_exit(what);
    }
    if (rc == SIM_EIO) {
        app_io_error(&set, name);
        mdl_world_destroy(w);
        app_set_abort(&set);
        return EXIT_RUN_FAILED;
    }
    if (rc < 0) {
        fprintf(stderr, "dcsim: stage %s: the run failed: %s (seed %llu)\n", name, sim_strerror(rc),
                (unsigned long long)mdl_world_seed(w));
        mdl_world_destroy(w);
        app_set_abort(&set);
        return EXIT_RUN_FAILED;
    }
    double wall = app_wall_seconds() - t0;
    if (mdl_world_write(w, set.staging, wall, command_line)) {
        app_io_error(&set, name);
        mdl_world_destroy(w);
        app_set_abort(&set);
        return EXIT_RUN_FAILED;
    }
    if (app_interrupted()) { /* a signal while writing: the previous set stays */
        mdl_world_destroy(w);
        app_set_abort(&set);
        char what[512];
        snprintf(what, sizeof what, "stage %s's results were not put in place", name);
        return app_interrupted_exit(what);
    }
    if ((rc = app_set_commit(&set))) {
        mdl_world_destroy(w);
        return rc;
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
    if (a.stages || a.replicates || a.jobs)
        return app_usage_error("run", "run takes --stage S; --stages, --replicates and --jobs are compare's");
    mdl_config *cfg;
    if ((rc = app_load_scenario(a.scenario, &a.scale, APP_DEFAULT_SCALE, &cfg)))
        return rc;
    int only = -1;
    if (a.stage && (only = find_stage(cfg, a.stage)) < 0) {
        mdl_config_free(cfg);
        if ((rc = load_other_stage(a.scenario, a.stage, &a.scale, &cfg)))
            return rc;
        only = 0;
    }
    size_t chosen[RPT_MAX_STAGES];
    int n_chosen = 0;
    for (size_t s = 0; s < cfg->n_stages && n_chosen < RPT_MAX_STAGES; s++)
        if (only < 0 || (size_t)only == s)
            chosen[n_chosen++] = s;
    if ((rc = app_check_scale(cfg, a.scale, chosen, n_chosen)) ||
        (rc = app_check_limits(cfg, a.scale, chosen, n_chosen, 1, 1, &a)))
        return mdl_config_free(cfg), rc;
    double scale = a.scale;
    a.trace_per_stage = n_chosen > 1;
    app_catch_signals();
    app_out out;
    if ((rc = app_out_open(&out, a.out, cfg->scn->name))) {
        mdl_config_free(cfg);
        return rc;
    }
    char command_line[1024] = "";
    app_join_argv(command_line, sizeof command_line, argc, argv, "run");
    printf("dcsim run %s: scale %g, seed %llu\n", cfg->scn->name, scale,
           (unsigned long long)(a.seed_set ? a.seed : (uint64_t)cfg->scn->seed));
    int verdicts_failed = 0;
    for (size_t s = 0; s < cfg->n_stages && (rc == EXIT_DONE || rc == EXIT_VERDICT_FAILED); s++) {
        if (only >= 0 && (int)s != only)
            continue;
        mdl_headline h;
        rc = app_run_stage(cfg, s, &a, a.seed, a.seed_set, &out, command_line, 1, &h);
        if (rc == EXIT_DONE || rc == EXIT_VERDICT_FAILED) {
            verdicts_failed |= rc == EXIT_VERDICT_FAILED;
            print_line(cfg->stages[s]->name, &h);
            printf("           -> %s/%s/\n", out.dir, cfg->stages[s]->name);
        }
    }
    app_out_close(&out);
    mdl_config_free(cfg);
    if (rc == EXIT_VERDICT_FAILED || (rc == EXIT_DONE && verdicts_failed))
        return a.check ? EXIT_VERDICT_FAILED : EXIT_DONE;
    return rc;
}
