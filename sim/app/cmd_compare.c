/* cmd_compare.c -- `dcsim compare`: the scenario on each stage (and each
 * replicate seed), the runs spread over the machine's cores, then the
 * headline table on the terminal and the report in
 * results/<scenario>/report.html. Each run is a world of its own, built,
 * run and captured by one worker thread, so running them side by side
 * gives exactly what running them one by one gives. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "mdl_files.h"
#include "mdl_world.h"
#include "rpt.h"
#include "rpt_table.h"
#include "sim_alloc.h"
#include "sim_file.h"
#include "sim_status.h"

static const char *const usage =
    "usage: dcsim compare SCENARIO [--stages a,b,...] [--seed N] [--scale F] [--out DIR]\n"
    "                               [--replicates K] [--jobs N] [--trace FILE] [--check]\n"
    "                               [--max-output BYTES] [--max-memory BYTES]\n"
    "\n"
    "Runs the scenario on each stage (side by side on the machine's cores), prints\n"
    "the headline table and writes results/<scenario>/: each stage's results,\n"
    "report.html, report.pdf, charts/ and junit.xml (see results/README.md).\n"
    "  --stages a,b     these of the scenario's stages (default: all)\n"
    "  --seed N         replaces the scenario's seed\n"
    "  --scale F        the fraction of users and capacity simulated (default: the\n"
    "                   scenario's scale, else 0.05); counts are given at full scale;\n"
    "                   a scale too small to keep every capacity is refused\n"
    "  --replicates K   every stage runs seeds N, N+1, ... N+K-1; the table gives\n"
    "                   means with 95% confidence intervals\n"
    "  --jobs N         runs at once (default: the number of cores)\n"
    "  --out DIR        writes under DIR instead of results/\n"
    "  --trace FILE     records each stage's run (the first seed's) for `dcsim replay`,\n"
    "                   one file per stage: t.trace -> t.unit.trace\n"
    "  --check          exits 3 when a verdict fails (every output is kept)\n"
    "  --max-output BYTES, --max-memory BYTES\n"
    "                   refuse runs whose time series or memory may pass this\n"
    "                   (default 8G and 16G; k M G T)\n"
    "The scenario's folder is written whole and replaces the previous one (with\n"
    "any stage folder in it) only when complete.\n";

typedef struct job {
    size_t stage;               /* in the config */
    int slot;                   /* in the report's stages */
    int replicate;
    uint64_t seed;
    char dir[8400];
    double fraction;            /* done, for the progress bar (under the lock) */
    int done, rc;
    char error[1200];
    char warnings[MDL_MAX_WARNINGS][MDL_WARNING_LEN];
    int n_warnings;
    rpt_run *out;
} job;

typedef struct pool {
    const mdl_config *cfg;
    const app_run_args *args;
    const char *command_line;
    const app_set *set;         /* the scenario's folder being written */
    job *jobs;
    int n_jobs, next;
    pthread_mutex_t lock;
} pool;

typedef struct progress_ctx {
    pool *p;
    job *j;
} progress_ctx;

static int on_progress(double fraction, void *context)
{
    progress_ctx *c = context;
    pthread_mutex_lock(&c->p->lock);
    c->j->fraction = fraction;
    pthread_mutex_unlock(&c->p->lock);
    return app_interrupted(); /* a signal stops every run */
}

/* The failed write of this thread, named where it would have stood. */
static void io_failure(pool *p, job *j)
{
    char why[1024];
    app_io_failure(p->set, why, sizeof why);
    snprintf(j->error, sizeof j->error, "stage %.128s: %.1024s", p->cfg->stages[j->stage]->name, why);
    j->rc = EXIT_RUN_FAILED;
}

/* Builds, runs, writes and captures one run. */
static void run_job(pool *p, job *j)
{
    if (app_interrupted())
        return;
    sim_io_error_clear();
    char series[8500];
    snprintf(series, sizeof series, "%s/timeseries.csv", j->dir);
    if (sim_mkdirs(j->dir)) {
        io_failure(p, j);
        return;
    }
    mdl_run_options opt = {p->args->scale, j->seed, 1, SIM_QUEUE_DEFAULT, series};
    mdl_world *w;
    char err[4400] = "";
    int rc = mdl_world_create(p->cfg, j->stage, &opt, &w, err, sizeof err);
    if (rc == SIM_EIO) {
        io_failure(p, j);
        return;
    }
    if (rc) {
        snprintf(j->error, sizeof j->error, "stage %s: %s", p->cfg->stages[j->stage]->name, err[0] ? err : sim_strerror(rc));
        j->rc = rc == SIM_EINPUT ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
        return;
    }
    for (int i = 0; mdl_world_warning(w, i)[0] && j->n_warnings < MDL_MAX_WARNINGS; i++)
        snprintf(j->warnings[j->n_warnings++], sizeof j->warnings[0], "%s", mdl_world_warning(w, i));
    progress_ctx pc = {p, j};
    double t0 = app_wall_seconds();
    char trace_err[4600] = "";
    if (p->args->trace && j->replicate == 0) {
        char trace[4400];
        const char *name = p->cfg->stages[j->stage]->name;
        app_trace_path(p->args->trace, name, 0, trace, sizeof trace);
        rc = app_run_traced(w, p->cfg, j->stage, trace, on_progress, &pc, trace_err, sizeof trace_err);
    } else {
        rc = mdl_world_run(w, 0, on_progress, &pc);
    }
    double wall = app_wall_seconds() - t0;
    if (trace_err[0] && rc != SIM_EINTR) {
        snprintf(j->error, sizeof j->error, "stage %.128s: cannot write the trace: %.1024s",
                 p->cfg->stages[j->stage]->name, trace_err);
        j->rc = EXIT_RUN_FAILED;
    } else if (rc == SIM_EINTR) {
        /* said once, by the command */
    } else if (rc == SIM_EIO) {
        io_failure(p, j);
    } else if (rc < 0) {
        snprintf(j->error, sizeof j->error, "stage %s: the run failed: %s (seed %llu)", p->cfg->stages[j->stage]->name,
                 sim_strerror(rc), (unsigned long long)j->seed);
        j->rc = EXIT_RUN_FAILED;
    } else if (mdl_world_write(w, j->dir, wall, p->command_line)) {
        io_failure(p, j);
    } else if (rpt_capture(j->out, w, j->replicate == 0)) {
        snprintf(j->error, sizeof j->error, "out of memory keeping stage %s's results", p->cfg->stages[j->stage]->name);
        j->rc = EXIT_RUN_FAILED;
    } else {
        j->out->wall_seconds = wall;
    }
    mdl_world_destroy(w);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        int k = p->next < p->n_jobs ? p->next++ : -1;
        pthread_mutex_unlock(&p->lock);
        if (k < 0)
            return NULL;
        run_job(p, &p->jobs[k]);
        pthread_mutex_lock(&p->lock);
        p->jobs[k].fraction = 1;
        p->jobs[k].done = 1;
        pthread_mutex_unlock(&p->lock);
    }
}

/* ==== Progress ==== */

static void draw_progress(pool *p, const rpt_input *in, double started)
{
    double total = 0, by_stage[RPT_MAX_STAGES] = {0};
    int done = 0;
    pthread_mutex_lock(&p->lock);
    for (int k = 0; k < p->n_jobs; k++) {
        total += p->jobs[k].fraction;
        by_stage[p->jobs[k].slot] += p->jobs[k].fraction;
        done += p->jobs[k].done;
    }
    pthread_mutex_unlock(&p->lock);
    double f = total / p->n_jobs, elapsed = app_wall_seconds() - started;
    char left[32] = "";
    if (f > 0.02 && done < p->n_jobs) {
        double s = elapsed / f - elapsed;
        snprintf(left, sizeof left, "  %d:%02d left", (int)(s / 60), (int)fmod(s, 60));
    }
    fprintf(stderr, "\r  [%-30.*s] %3d%% ", (int)(f * 30), "##############################", (int)(f * 100));
    for (int s = 0; s < in->n_stages; s++)
        fprintf(stderr, " %s %3d%%", in->stages[s].name, (int)(by_stage[s] / in->stages[s].n_runs * 100));
    fprintf(stderr, "%s ", left);
    fflush(stderr);
}

/* ==== The terminal's table ==== */

static void print_table(const rpt_input *in)
{
    static rpt_row rows[RPT_MAX_ROWS];
    int n = rpt_table(in, rows);
    int w[RPT_MAX_STAGES];
    for (int s = 0; s < in->n_stages; s++) {
        w[s] = (int)strlen(in->stages[s].name);
        for (int r = 0; r < n; r++) {
            int len = (int)strlen(rows[r].cell[s]) + (rows[r].best[s] ? 2 : 0);
            w[s] = len > w[s] ? len : w[s];
        }
    }
    printf("\n  %-40s", "");
    for (int s = 0; s < in->n_stages; s++)
        printf("  %*s", w[s], in->stages[s].name);
    printf("\n");
    for (int r = 0; r < n; r++) {
        char label[128];
        snprintf(label, sizeof label, "%.60s%s%.60s", rows[r].label, rows[r].verdict ? ": " : "",
                 rows[r].verdict ? rows[r].definition : "");
        printf("  %-40.40s", label);
        for (int s = 0; s < in->n_stages; s++) {
            char cell[128];
            snprintf(cell, sizeof cell, "%.112s%s", rows[r].cell[s], rows[r].best[s] ? " *" : "");
            /* Pad by characters, not bytes: a +- takes two bytes of UTF-8. */
            int extra = strstr(cell, "\u00b1") ? 1 : 0;
            printf("  %*s", w[s] + extra, cell);
        }
        printf("\n");
    }
    puts("  (* the best of a row and any that noise cannot tell from it: with one run, closer than the least\n"
         "   difference its definition states; with replicates, an overlapping 95% interval. \u2014: does not exist)");
}

/* ==== The command ==== */

/* Picks the stages named by --stages, or all; returns how many, -1 on error. */
static int pick_stages(const mdl_config *cfg, const char *list, size_t *picked)
{
    if (!list) {
        for (size_t i = 0; i < cfg->n_stages && i < RPT_MAX_STAGES; i++)
            picked[i] = i;
        return (int)(cfg->n_stages < RPT_MAX_STAGES ? cfg->n_stages : RPT_MAX_STAGES);
    }
    if (!list[0]) {
        fprintf(stderr, "dcsim: --stages: expected stage names such as pure,unit, got \"\"\n");
        return -1;
    }
    if (list[strlen(list) - 1] == ',') {
        fprintf(stderr, "dcsim: --stages: an empty name in \"%s\"\n", list);
        return -1;
    }
    int n = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 0) {
            fprintf(stderr, "dcsim: --stages: an empty name in \"%s\"\n", list);
            return -1;
        }
        size_t i = 0;
        while (i < cfg->n_stages && !(strlen(cfg->stages[i]->name) == len && !strncmp(cfg->stages[i]->name, p, len)))
            i++;
        if (i == cfg->n_stages || n == RPT_MAX_STAGES) {
            fprintf(stderr, "dcsim: --stages: the scenario has no stage named \"%.*s\" (it has:", (int)len, p);
            for (size_t k = 0; k < cfg->n_stages; k++)
                fprintf(stderr, " %s", cfg->stages[k]->name);
            fprintf(stderr, ")\n");
            return -1;
        }
        for (int k = 0; k < n; k++)
            if (picked[k] == i) {
                fprintf(stderr, "dcsim: --stages: %s is named twice (each stage runs once)\n", cfg->stages[i]->name);
                return -1;
            }
        picked[n++] = i;
        p += len + (p[len] == ',');
    }
    return n;
}

int cmd_compare(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return EXIT_DONE;
    }
    app_run_args a = {0};
    int rc = app_parse_run_options(argc, argv, 1, &a, "compare");
    if (rc)
        return rc;
    if (a.stage)
        return app_usage_error("compare", "compare takes --stages a,b (run takes --stage)");
    mdl_config *cfg;
    if ((rc = app_load_scenario(a.scenario, &a.scale, APP_DEFAULT_SCALE, &cfg)))
        return rc;
    size_t picked[RPT_MAX_STAGES];
    int n_stages = pick_stages(cfg, a.stages, picked);
    if (n_stages <= 0 || app_check_scale(cfg, a.scale, picked, n_stages)) {
        mdl_config_free(cfg);
        return EXIT_BAD_INPUT;
    }
    int replicates = a.replicates > 0 ? a.replicates : 1;
    uint64_t seed = a.seed_set ? a.seed : (uint64_t)cfg->scn->seed;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int n_jobs = n_stages * replicates;
    int workers = a.jobs > 0 ? a.jobs : cores > 0 ? (int)cores : 1;
    if (workers > n_jobs)
        workers = n_jobs;
    if ((rc = app_check_limits(cfg, a.scale, picked, n_stages, replicates, workers, &a))) {
        mdl_config_free(cfg);
        return rc;
    }
    char command_line[1024] = "";
    app_join_argv(command_line, sizeof command_line, argc, argv, "compare");

    /* The scenario's folder is one set: written aside, then swapped in. */
    app_catch_signals();
    app_out out;
    app_set set;
    if ((rc = app_out_open(&out, a.out, cfg->scn->name))) {
        mdl_config_free(cfg);
        return rc;
    }
    if ((rc = app_set_begin(&out, &set, NULL))) {
        app_out_close(&out);
        mdl_config_free(cfg);
        return rc;
    }

    /* The report's stages and the jobs feeding them. */
    rpt_stage stages[RPT_MAX_STAGES];
    job *jobs = sim_calloc((size_t)n_jobs, sizeof *jobs);
    rpt_run *runs = sim_calloc((size_t)n_jobs, sizeof *runs);
    if (!jobs || !runs) {
        sim_free(jobs);
        sim_free(runs);
        app_set_abort(&set);
        app_out_close(&out);
        mdl_config_free(cfg);
        fprintf(stderr, "dcsim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    for (int s = 0; s < n_stages; s++) {
        const char *name = cfg->stages[picked[s]]->name;
        stages[s] = (rpt_stage){name, picked[s], s, &runs[s * replicates], replicates};
        for (int r = 0; r < replicates; r++) {
            job *j = &jobs[s * replicates + r];
            j->stage = picked[s];
            j->slot = s;
            j->replicate = r;
            j->seed = seed + (uint64_t)r;
            j->out = &runs[s * replicates + r];
            snprintf(j->dir, sizeof j->dir, "%s/%s", set.staging, name);
            if (r > 0) {
                size_t len = strlen(j->dir);
                snprintf(j->dir + len, sizeof j->dir - len, "/seed-%llu", (unsigned long long)j->seed);
            }
        }
    }
    rpt_input in = {cfg, a.scale, DCSIM_VERSION, stages, n_stages};

    printf("dcsim compare %s: %d stage%s x %d seed%s (from %llu), scale %g, %d at once\n", cfg->scn->name, n_stages,
           n_stages == 1 ? "" : "s", replicates, replicates == 1 ? "" : "s", (unsigned long long)seed, a.scale, workers);
    fflush(stdout);
    pool p = {cfg, &a, command_line, &set, jobs, n_jobs, 0, PTHREAD_MUTEX_INITIALIZER};
    pthread_t threads[256];
    int started = 0;
    double t0 = app_wall_seconds();
    for (int i = 0; i < workers; i++)
        started += pthread_create(&threads[started], NULL, worker, &p) == 0;
    if (started == 0) /* no threads to be had: run here */
        worker(&p);
    int tty = isatty(STDERR_FILENO);
    for (;;) {
        pthread_mutex_lock(&p.lock);
        int done = 0;
        for (int k = 0; k < n_jobs; k++)
            done += jobs[k].done;
        pthread_mutex_unlock(&p.lock);
        if (done == n_jobs)
            break;
        if (tty)
            draw_progress(&p, &in, t0);
        struct timespec pause = {0, 200 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (tty)
        fprintf(stderr, "\r%*s\r", 100 + 12 * n_stages, "");
    double wall = app_wall_seconds() - t0;

    int failed_rc = EXIT_DONE, verdicts_failed = 0;
    if (app_interrupted()) {
        failed_rc = app_interrupted_exit("the comparison stopped; its partial results removed, the previous ones kept");
    } else {
        for (int k = 0; k < n_jobs; k++) {
            if (jobs[k].rc) {
                fprintf(stderr, "dcsim: %s\n", jobs[k].error);
                if (failed_rc == EXIT_DONE || jobs[k].rc == EXIT_RUN_FAILED)
                    failed_rc = jobs[k].rc;
            }
            if (jobs[k].replicate == 0)
                for (int i = 0; i < jobs[k].n_warnings; i++)
                    fprintf(stderr, "dcsim: warning: stage %s: %s\n", stages[jobs[k].slot].name, jobs[k].warnings[i]);
            for (int v = 0; !jobs[k].rc && v < runs[k].n_verdicts; v++)
                verdicts_failed |= !runs[k].verdicts[v].pass;
        }
    }
    if (failed_rc == EXIT_DONE) {
        print_table(&in);
        sim_io_error_clear();
        rc = rpt_write(&in, set.staging);
        if (rc == SIM_EIO) {
            app_io_error(&set, "the report");
            failed_rc = EXIT_RUN_FAILED;
        } else if (rc) {
            fprintf(stderr, "dcsim: cannot write the report into %s: %s\n", set.final, sim_strerror(rc));
            failed_rc = EXIT_RUN_FAILED;
        } else if (app_interrupted()) {
            failed_rc = app_interrupted_exit("the report was not put in place; the previous results kept");
        } else if ((failed_rc = app_set_commit(&set)) == EXIT_DONE) {
            /* The process's peak: the runs side by side, their charts and the report. */
            struct rusage ru;
            getrusage(RUSAGE_SELF, &ru);
            printf("\n  %d run%s in %.1f s of wall time, peak memory %.0f MB\n"
                   "  report: %s/report.html (and report.pdf, charts/)\n",
                   n_jobs, n_jobs == 1 ? "" : "s", wall, (double)ru.ru_maxrss / 1024, set.final);
        }
    }
    if (failed_rc != EXIT_DONE)
        app_set_abort(&set); /* a failed commit has removed it already: nothing to do then */
    app_out_close(&out);
    for (int k = 0; k < n_jobs; k++)
        rpt_run_free(&runs[k]);
    sim_free(runs);
    sim_free(jobs);
    mdl_config_free(cfg);
    if (failed_rc != EXIT_DONE)
        return failed_rc;
    return verdicts_failed && a.check ? EXIT_VERDICT_FAILED : EXIT_DONE;
}
