/* cmd_batch.c -- `dcsim batch`: a sweep's runs on every core (or over MPI
 * ranks, or one shard of a job array), each row committed to runs.sqlite
 * as it ends, so a killed batch resumes where it stood; and the tools
 * around it: merge, export, summary. */
#include <dirent.h>
#include <sqlite3.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "batch.h"
#include "batch_exec.h"
#include "batch_mpi.h"
#include "mdl_sweep.h"
#include "sim_alloc.h"
#include "sim_hash.h"
#include "sim_status.h"

static const char usage[] =
    "usage: dcsim batch SWEEP.yaml [-j N] [--out DIR] [--scale F] [--shard K/N] [--time-limit SECONDS]\n"
    "                              [--retry-failed]\n"
    "       dcsim batch merge DIR [SHARD.sqlite...]\n"
    "       dcsim batch export DIR|RUNS.sqlite --csv [FILE]\n"
    "       dcsim batch summary DIR|RUNS.sqlite\n\n"
    "Runs every combination of a sweep's parameters, stages and seeds (or an\n"
    "exploration's drawn fault timelines), each in a worker process of its own,\n"
    "-j at once (default: every core), into DIR/runs.sqlite (default DIR:\n"
    "results/batch/<sweep name>). A run that crashes or passes its time bound is\n"
    "recorded as such and the batch goes on. Run the same command again after a\n"
    "kill and it skips the runs done (--retry-failed: runs that failed, crashed or\n"
    "timed out run again too). Under mpirun (built with -DDCSIM_MPI=ON)\n"
    "rank 0 hands out runs and writes; --shard K/N runs every Nth run from the\n"
    "Kth (1-based) into DIR/runs.shard-K-of-N.sqlite, for job arrays; merge\n"
    "gathers the shards into DIR/runs.sqlite.\n\n"
    "When every run is done it prints the summary (mean and 95% interval per\n"
    "stage and point) and writes DIR/report/; an exploration also writes its\n"
    "worst runs as scenarios in DIR/worst/, each reproducing its run exactly.\n\n"
    "exit codes: 0 every run ok, 1 some runs failed (their rows say why) or\n"
    "the batch could not go on, 2 bad input, 130/143 interrupted (resumable).\n";

typedef struct batch_args {
    const char *sweep;
    const char *out;
    double scale;
    int jobs;
    int shard_k, shard_n;
    double time_limit;
    int retry_failed;
} batch_args;

static int parse_args(int argc, char **argv, batch_args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if ((!strcmp(arg, "-j") || !strcmp(arg, "--jobs")) && value) {
            long k = strtol(value, &end, 10);
            if (*end || k < 1 || k > 256)
                return app_usage_error("batch", "%s: expected 1 to 256, got \"%s\"", arg, value);
            a->jobs = (int)k;
            i++;
        } else if (!strcmp(arg, "--out") && value) {
            a->out = value;
            i++;
        } else if (!strcmp(arg, "--retry-failed")) {
            a->retry_failed = 1;
        } else if (!strcmp(arg, "--scale") && value) {
            a->scale = strtod(value, &end);
            if (*end || !(a->scale > 0) || a->scale > 1)
                return app_usage_error("batch", "--scale: expected a fraction in (0, 1], got \"%s\"", value);
            i++;
        } else if (!strcmp(arg, "--time-limit") && value) {
            a->time_limit = strtod(value, &end);
            if (*end || !(a->time_limit > 0))
                return app_usage_error("batch", "--time-limit: expected seconds, got \"%s\"", value);
            i++;
        } else if (!strcmp(arg, "--shard") && value) {
            int k = 0, n = 0;
            char extra;
            if (sscanf(value, "%d/%d%c", &k, &n, &extra) != 2 || n < 1 || k < 1 || k > n || n > 1000000)
                return app_usage_error("batch", "--shard: expected K/N with 1 <= K <= N (such as 3/8), got \"%s\"",
                                       value);
            a->shard_k = k;
            a->shard_n = n;
            i++;
        } else if (arg[0] == '-') {
            return app_usage_error("batch", "unknown or incomplete option \"%s\"", arg);
        } else if (!a->sweep) {
            a->sweep = arg;
        } else {
            return app_usage_error("batch", "one sweep at a time (got \"%s\" too)", arg);
        }
    }
    if (!a->sweep)
        return app_usage_error("batch", "which sweep? (dcsim batch SWEEP.yaml)");
    return EXIT_DONE;
}

static int make_dirs(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0777) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0777) && errno != EEXIST ? -1 : 0;
}

/* ==== Progress ==== */

typedef struct progress {
    int tty;
    int64_t total, done, failed, start_done;
    double started, last;
} progress;

static void show_progress(progress *pg, int final)
{
    double now = app_wall_seconds();
    if (!final && now - pg->last < (pg->tty ? 0.2 : 10))
        return;
    pg->last = now;
    double rate = (double)(pg->done - pg->start_done) / (now - pg->started + 1e-9);
    double eta = rate > 0 ? (double)(pg->total - pg->done) / rate : 0;
    char eta_text[32];
    snprintf(eta_text, sizeof eta_text, "%d:%02d", (int)(eta / 60), (int)fmod(eta, 60));
    if (pg->tty) {
        char bar[31];
        int fill = pg->total ? (int)(30 * pg->done / pg->total) : 30;
        for (int i = 0; i < 30; i++)
            bar[i] = i < fill ? '#' : '-';
        bar[30] = '\0';
        fprintf(stderr, "\r  [%s] %lld/%lld runs  %.2f runs/s  ETA %s  %lld failed ", bar, (long long)pg->done,
                (long long)pg->total, rate, eta_text, (long long)pg->failed);
        if (final)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "dcsim batch: %lld/%lld runs, %.2f runs/s, ETA %s, %lld failed\n", (long long)pg->done,
                (long long)pg->total, rate, eta_text, (long long)pg->failed);
    }
}

/* ==== Storing ==== */

typedef struct store {
    batch_db *db;
    progress *pg;
    int failed_io;
} store;

static int store_row(void *context, batch_row *row)
{
    store *st = context;
    char err[512];
    if (batch_db_put(st->db, &row->r, err, sizeof err)) {
        fprintf(stderr, "\ndcsim: cannot store run %lld: %s\n", (long long)row->r.run, err);
        st->failed_io = 1;
        return -1;
    }
    st->pg->done++;
    if (strcmp(row->r.status, "ok")) {
        st->pg->failed++;
        fprintf(stderr, "%sdcsim: run %lld (%s, seed %llu%s%s) %s: %s\n", st->pg->tty ? "\n" : "",
                (long long)row->r.run, row->r.stage, (unsigned long long)row->r.seed, row->r.point[0] ? ", " : "",
                row->r.point, row->r.status, row->r.reason ? row->r.reason : "");
    }
    show_progress(st->pg, 0);
    return 0;
}

/* The runs of the local pool: -j at once, until every one is stored. */
static int run_local(const batch_plan *plan, const int64_t *todo, int64_t n, int jobs, store *st)
{
    batch_pool *pool = batch_pool_create(plan, jobs);
    batch_row *row = malloc(sizeof *row);
    if (!pool || !row) {
        batch_pool_destroy(pool);
        free(row);
        fprintf(stderr, "dcsim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    int64_t next = 0;
    int rc = EXIT_DONE;
    while ((next < n || batch_pool_busy(pool)) && !st->failed_io) {
        while (next < n && batch_pool_busy(pool) < jobs && !app_interrupted()) {
            if (batch_pool_start(pool, todo[next])) {
                fprintf(stderr, "dcsim: cannot start a worker process: %s\n", strerror(errno));
                rc = EXIT_RUN_FAILED;
                break;
            }
            next++;
        }
        if (rc || app_interrupted())
            break;
        int got = batch_pool_wait(pool, row, 1.0);
        if (got == 1) {
            store_row(st, row);
            batch_row_free(row);
        } else if (got == -1) {
            fprintf(stderr, "dcsim: waiting for the workers: %s\n", strerror(errno));
            rc = EXIT_RUN_FAILED;
            break;
        }
        show_progress(st->pg, 0);
    }
    batch_pool_destroy(pool);
    free(row);
    return st->failed_io ? EXIT_RUN_FAILED : rc;
}

/* ==== The batch ==== */

/* A parameter's column must not be one of the row's own. */
static int check_columns(const mdl_sweep *s)
{
    const char *names[BATCH_MAX_FIGURES + 8] = {"run", "stage", "seed", "point", "faults", "status", "reason", "wall_s"};
    size_t n = 8 + batch_figure_names(names + 8);
    int bad = 0;
    for (size_t p = 0; p < s->n_params; p++)
        for (size_t i = 0; i < n; i++)
            if (!strcasecmp(s->params[p].name, names[i])) {
                const cfg_node *at = s->params[p].key_node;
                fprintf(stderr, "%s:%d:%d: error: parameters[%zu]: its column \"%s\" is one of the row's own in "
                                "runs.sqlite; give it a name:\n",
                        s->path, at ? at->line : 1, at ? at->col : 1, p, s->params[p].name);
                bad = 1;
                break;
            }
    return bad ? EXIT_BAD_INPUT : EXIT_DONE;
}

static int load_sweep(const char *path, mdl_sweep **s, int quiet)
{
    mdl_errors errs;
    int rc = mdl_sweep_load(path, s, &errs);
    if (rc == SIM_ENOMEM) {
        fprintf(stderr, "dcsim: out of memory loading %s\n", path);
        return EXIT_RUN_FAILED;
    }
    if (rc) {
        if (!quiet)
            mdl_errors_print(stderr, &errs);
        return EXIT_BAD_INPUT;
    }
    if ((rc = check_columns(*s))) {
        mdl_sweep_free(*s);
        *s = NULL;
    }
    return rc;
}

int app_validate_sweep(const char *path)
{
    mdl_sweep *s;
    int rc = load_sweep(path, &s, 0);
    if (rc)
        return rc;
    const char *stages = s->n_stages == 1 ? "stage" : "stages";
    if (s->exploring)
        printf("%s: valid sweep (%lld runs: %zu timelines x %zu %s)\n", path, (long long)s->runs, s->n_seeds,
               s->n_stages, stages);
    else
        printf("%s: valid sweep (%lld runs: %lld points x %zu %s x %zu seeds)\n", path, (long long)s->runs,
               (long long)(s->runs / (int64_t)(s->n_stages * s->n_seeds)), s->n_stages, stages, s->n_seeds);
    mdl_sweep_free(s);
    return EXIT_DONE;
}

/* The scale, settled as run settles it, and checked on the first run's
 * config (the limits on requests, the capacities it keeps). */
static int settle_scale(const mdl_sweep *s, double *scale)
{
    if (*scale <= 0 && s->scale > 0)
        *scale = s->scale;
    mdl_sweep_job job;
    mdl_errors errs;
    int rc = mdl_sweep_job_load(s, 0, &job, &errs);
    if (rc) {
        mdl_errors_print(stderr, &errs);
        mdl_sweep_job_free(&job);
        return EXIT_BAD_INPUT;
    }
    rc = app_check_scenario(s->scenario_path, scale, APP_DEFAULT_SCALE, job.cfg);
    size_t first = 0;
    if (!rc)
        rc = app_check_scale(job.cfg, *scale, &first, 1);
    mdl_sweep_job_free(&job);
    return rc;
}

static int run_batch(int argc, char **argv)
{
    batch_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    batch_mpi mpi;
    batch_mpi_begin(&mpi, &argc, &argv);
    app_catch_signals();
    mdl_sweep *s = NULL;
    rc = load_sweep(a.sweep, &s, mpi.rank != 0);
    double scale = a.scale;
    if (!rc)
        rc = settle_scale(s, &scale);
    if (rc) {
        mdl_sweep_free(s);
        return batch_mpi_end(&mpi, rc);
    }
    const char *names[BATCH_MAX_FIGURES];
    batch_plan plan = {s, scale, a.time_limit > 0 ? a.time_limit : sim_time_to_seconds(s->def->time_limit),
                       s->def->series, batch_figure_names(names)};
    if (mpi.rank != 0) { /* a worker rank: runs what rank 0 hands out */
        rc = batch_mpi_work(&mpi, &plan);
        mdl_sweep_free(s);
        return batch_mpi_end(&mpi, rc);
    }
    char dir[4096], db_path[4400];
    if (a.out)
        snprintf(dir, sizeof dir, "%s", a.out);
    else
        snprintf(dir, sizeof dir, "results/batch/%s", s->def->name);
    if (a.shard_n)
        snprintf(db_path, sizeof db_path, "%s/runs.shard-%d-of-%d.sqlite", dir, a.shard_k, a.shard_n);
    else
        snprintf(db_path, sizeof db_path, "%s/runs.sqlite", dir);
    if (make_dirs(dir)) {
        fprintf(stderr, "dcsim: cannot create %s: %s\n", dir, strerror(errno));
        mdl_sweep_free(s);
        return batch_mpi_end(&mpi, EXIT_RUN_FAILED);
    }
    /* What the rows are computed from: the sweep and its files, and what
     * the command line changes in every run. */
    char extra[128];
    snprintf(extra, sizeof extra, "scale=%.17g series=%d", scale, plan.series);
    char digest[32];
    snprintf(digest, sizeof digest, "%016llx",
             (unsigned long long)sim_hash_mix(sim_hash_bytes(extra, strlen(extra), s->digest)));
    const char *params[MDL_SWEEP_MAX_PARAMS];
    for (size_t i = 0; i < s->n_params; i++)
        params[i] = s->params[i].name;
    batch_schema schema = {digest, s->def->name, s->exploring ? "explore" : "sweep", s->runs, params, s->n_params,
                           names, plan.n_figures,
                           s->exploring ? mdl_rank_columns[s->def->explore.rank_by] : NULL, plan.series};
    batch_db *db;
    char err[1024];
    if (batch_db_open(db_path, &schema, &db, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        mdl_sweep_free(s);
        return batch_mpi_end(&mpi, EXIT_BAD_INPUT);
    }
    int64_t forgotten = 0;
    if (a.retry_failed && batch_db_forget_failed(db, &forgotten, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        batch_db_close(db);
        mdl_sweep_free(s);
        return batch_mpi_end(&mpi, EXIT_RUN_FAILED);
    }
    if (forgotten)
        printf("dcsim batch: %lld runs that did not end ok run again\n", (long long)forgotten);
    unsigned char *done = sim_calloc((size_t)s->runs + 1, 1);
    int64_t *todo = sim_calloc((size_t)s->runs + 1, sizeof *todo);
    if (!done || !todo || batch_db_done(db, done, s->runs, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", done && todo ? err : "out of memory");
        sim_free(done);
        sim_free(todo);
        batch_db_close(db);
        mdl_sweep_free(s);
        return batch_mpi_end(&mpi, EXIT_RUN_FAILED);
    }
    int64_t n_todo = 0, mine = 0, already = 0;
    for (int64_t r = 0; r < s->runs; r++) {
        if (a.shard_n && r % a.shard_n != a.shard_k - 1)
            continue;
        mine++;
        if (done[r])
            already++;
        else
            todo[n_todo++] = r;
    }
    int jobs = a.jobs ? a.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1)
        jobs = 1;
    progress pg = {isatty(STDERR_FILENO), mine, already, 0, already, app_wall_seconds(), 0};
    printf("dcsim batch %s: %lld runs", s->def->name, (long long)mine);
    if (a.shard_n)
        printf(" (shard %d of %d, of %lld)", a.shard_k, a.shard_n, (long long)s->runs);
    printf(", scale %g; %lld done already\n", scale, (long long)already);
    if (mpi.size <= 1)
        printf("  %d worker%s; results in %s\n", jobs, jobs == 1 ? "" : "s", db_path);
    else
        printf("  %d worker ranks; results in %s\n", mpi.size - 1, db_path);
    fflush(stdout);
    store st = {db, &pg, 0};
    double t0 = app_wall_seconds();
    if (mpi.size > 1)
        rc = batch_mpi_serve(&mpi, &plan, todo, n_todo, store_row, &st);
    else
        rc = run_local(&plan, todo, n_todo, jobs, &st);
    double wall = app_wall_seconds() - t0;
    show_progress(&pg, 1);
    batch_db_close(db);
    sim_free(done);
    sim_free(todo);
    if (app_interrupted()) {
        mdl_sweep_free(s);
        return batch_mpi_end(&mpi, app_interrupted_exit("the batch stopped; run the same command to resume"));
    }
    int64_t ran = pg.done - already;
    printf("  %lld runs in %.1f s of wall time (%.2f runs/s), %lld failed\n", (long long)ran, wall,
           wall > 0 ? (double)ran / wall : 0, (long long)pg.failed);
    if (!rc && pg.done == mine && !a.shard_n) {
        char report[4200];
        snprintf(report, sizeof report, "%s/report", dir);
        rc = batch_summary(db_path, stdout, report);
        if (!rc && s->exploring)
            rc = batch_write_worst(s, &plan, db_path, dir);
    } else if (!rc && a.shard_n) {
        printf("  shard done; when every shard is: dcsim batch merge %s\n", dir);
    }
    mdl_sweep_free(s);
    if (!rc && pg.failed)
        rc = EXIT_RUN_FAILED;
    return batch_mpi_end(&mpi, rc);
}

/* ==== merge, export, summary ==== */

int app_is_sweep(const char *path)
{
    cfg_doc *doc;
    cfg_error err;
    if (cfg_load_file(path, NULL, &doc, &err))
        return 0;
    const cfg_node *kind = doc->root && doc->root->kind == CFG_MAP ? cfg_map_get(doc->root, "kind") : NULL;
    int yes = kind && kind->kind == CFG_SCALAR && !strcmp(kind->text, "sweep");
    cfg_doc_free(doc);
    return yes;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The shard databases of a folder, sorted (malloc'd names). */
static size_t list_shards(const char *dir, char ***out)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "runs.shard-", 11) || len < 18 || strcmp(e->d_name + len - 7, ".sqlite"))
            continue;
        char **more = realloc(*out, (n + 1) * sizeof *more);
        char *path = malloc(strlen(dir) + len + 2);
        if (!more || !path) {
            free(path);
            if (more)
                *out = more;
            break;
        }
        *out = more;
        sprintf(path, "%s/%s", dir, e->d_name);
        (*out)[n++] = path;
    }
    closedir(d);
    if (n)
        qsort(*out, n, sizeof **out, by_name);
    return n;
}

/* DIR/runs.sqlite for a folder, else the path itself. */
static void db_of(const char *arg, char *out, size_t size)
{
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(out, size, "%s/runs.sqlite", arg);
    else
        snprintf(out, size, "%s", arg);
}

/* Says how many of the sweep's runs the merged database lacks: shards
 * not run yet, or of another split. */
static int report_missing(const char *db_path, const char *dir)
{
    char err[1024];
    batch_db *db = batch_db_open_existing(db_path, err, sizeof err);
    if (!db) {
        fprintf(stderr, "dcsim: %s\n", err);
        return EXIT_RUN_FAILED;
    }
    const char *runs = batch_db_meta(db, "runs");
    long long total = runs ? atoll(runs) : 0, have = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(batch_db_handle(db), "SELECT count(*) FROM runs", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            have = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    batch_db_close(db);
    if (have < total)
        printf("%lld of %lld runs are in it; %lld missing: run the sweep again with --out %s to run them\n", have,
               total, total - have, dir);
    else
        printf("all %lld runs are in it\n", total);
    return EXIT_DONE;
}

static int cmd_merge(int argc, char **argv)
{
    if (argc < 2)
        return app_usage_error("batch merge", "which folder? (dcsim batch merge DIR [SHARD.sqlite...])");
    char into[4200];
    snprintf(into, sizeof into, "%s/runs.sqlite", argv[1]);
    const char **shards = sim_calloc((size_t)argc + 1, sizeof *shards);
    char **owned = NULL;
    size_t n = 0;
    if (!shards)
        return EXIT_RUN_FAILED;
    if (argc > 2) {
        for (int i = 2; i < argc; i++)
            shards[n++] = argv[i];
    } else { /* every runs.shard-*.sqlite of the folder, in name order */
        char pattern[4200];
        snprintf(pattern, sizeof pattern, "%s", argv[1]);
        n = list_shards(pattern, &owned);
        for (size_t i = 0; i < n; i++)
            shards[i] = owned[i];
    }
    int rc = EXIT_DONE;
    char err[1024];
    if (n == 0) {
        fprintf(stderr, "dcsim: no shards in %s (runs.shard-K-of-N.sqlite)\n", argv[1]);
        rc = EXIT_BAD_INPUT;
    } else if (batch_db_merge(into, shards, n, stdout, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        rc = EXIT_BAD_INPUT;
    } else {
        printf("merged %zu shards into %s\n", n, into);
        rc = report_missing(into, argv[1]);
    }
    for (size_t i = 0; owned && i < n; i++)
        free(owned[i]);
    free(owned);
    sim_free(shards);
    return rc;
}

static int cmd_export(int argc, char **argv)
{
    const char *where = NULL, *file = NULL;
    int csv = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--csv")) {
            csv = 1;
            if (i + 1 < argc && argv[i + 1][0] != '-' && where)
                file = argv[++i];
        } else if (!where) {
            where = argv[i];
        } else if (csv && !file) {
            file = argv[i];
        } else {
            return app_usage_error("batch export", "unexpected \"%s\"", argv[i]);
        }
    }
    if (!where || !csv)
        return app_usage_error("batch export", "dcsim batch export DIR|RUNS.sqlite --csv [FILE]");
    char db[4200];
    db_of(where, db, sizeof db);
    FILE *out = stdout;
    char tmp[4300];
    if (file) {
        snprintf(tmp, sizeof tmp, "%s.partial", file);
        out = fopen(tmp, "w");
        if (!out) {
            fprintf(stderr, "dcsim: cannot write %s: %s\n", file, strerror(errno));
            return EXIT_RUN_FAILED;
        }
    }
    char err[1024] = "";
    int rc = batch_db_export_csv(db, out, err, sizeof err);
    if (file) {
        rc |= fclose(out) != 0;
        if (rc || rename(tmp, file)) {
            remove(tmp);
            if (err[0])
                fprintf(stderr, "dcsim: %s\n", err);
            else
                fprintf(stderr, "dcsim: cannot write %s: %s\n", file, strerror(errno));
            return EXIT_RUN_FAILED;
        }
    } else if (rc) {
        fprintf(stderr, "dcsim: %s\n", err);
    }
    return rc ? EXIT_BAD_INPUT : EXIT_DONE;
}

static int cmd_summary(int argc, char **argv)
{
    if (argc != 2)
        return app_usage_error("batch summary", "dcsim batch summary DIR|RUNS.sqlite");
    char db[4200], report[4300];
    db_of(argv[1], db, sizeof db);
    snprintf(report, sizeof report, "%.*s/report", (int)(strrchr(db, '/') ? strrchr(db, '/') - db : 1),
             strrchr(db, '/') ? db : ".");
    return batch_summary(db, stdout, report);
}

int cmd_batch(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_DONE;
    }
    if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
        fputs(usage, stdout);
        return EXIT_DONE;
    }
    if (!strcmp(argv[1], "merge"))
        return cmd_merge(argc - 1, argv + 1);
    if (!strcmp(argv[1], "export"))
        return cmd_export(argc - 1, argv + 1);
    if (!strcmp(argv[1], "summary"))
        return cmd_summary(argc - 1, argv + 1);
    return run_batch(argc, argv);
}
