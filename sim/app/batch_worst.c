/* batch_worst.c -- an exploration's worst runs, written as scenarios: the
 * base scenario with the run's drawn timeline, its one stage inline, its
 * seed and scale, so `dcsim run FILE` reproduces the run's figures
 * exactly. Ranked from runs.sqlite by the sweep's measure (the worst
 * first; equal ones by run). */
#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "batch_exec.h"

/* Empties and removes a folder of our own making (files only). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[4900];
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            remove(path);
        }
    closedir(d);
    rmdir(dir);
}

static int write_one(const mdl_sweep *s, const batch_plan *p, int64_t r, int k, double value, const char *dir,
                     const char *final_dir, char *name, size_t name_size)
{
    mdl_sweep_job job;
    mdl_errors errs;
    if (mdl_sweep_job_load(s, r, &job, &errs)) {
        mdl_errors_print(stderr, &errs);
        mdl_sweep_job_free(&job);
        return EXIT_RUN_FAILED;
    }
    mdl_sweep_run run;
    mdl_sweep_describe(s, r, &run);
    scenario *sc = job.cfg->scn;
    char title[200];
    snprintf(title, sizeof title, "%s-worst-%d", s->def->name, k);
    sc->name = title;
    sc->seed = (int64_t)run.seed;
    sc->scale = p->scale;
    char description[400];
    snprintf(description, sizeof description, "Run %lld of sweep %s (stage %s, seed %llu): %s = %.6g, the %d%s worst.",
             (long long)r, s->def->name, run.stage, (unsigned long long)run.seed,
             mdl_rank_names[s->def->explore.rank_by], value, k, k == 1 ? "st" : k == 2 ? "nd" : k == 3 ? "rd" : "th");
    sc->description = description;
    char base[300];
    snprintf(base, sizeof base, "%d-run%lld-%s.yaml", k, (long long)r, run.stage);
    snprintf(name, name_size, "%s/%s", dir, base);
    FILE *f = fopen(name, "w");
    if (!f) {
        fprintf(stderr, "dcsim: cannot write %s: %s\n", name, strerror(errno));
        mdl_sweep_job_free(&job);
        return EXIT_RUN_FAILED;
    }
    fprintf(f, "# Written by dcsim batch %s: run %lld, drawn from seed %llu.\n# Replay it: dcsim run %s/%s\n",
            s->path, (long long)r, (unsigned long long)run.seed, final_dir, base);
    mdl_config_print(f, job.cfg);
    int bad = ferror(f) | (fclose(f) != 0);
    mdl_sweep_job_free(&job);
    if (bad) {
        fprintf(stderr, "dcsim: cannot write %s\n", name);
        return EXIT_RUN_FAILED;
    }
    return EXIT_DONE;
}

int batch_write_worst(const mdl_sweep *s, const batch_plan *p, const char *db_path, const char *dir)
{
    const swp_explore *x = &s->def->explore;
    const char *column = mdl_rank_columns[x->rank_by];
    sqlite3 *db;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "dcsim: cannot read %s: %s\n", db_path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return EXIT_RUN_FAILED;
    }
    /* The worst first: lowest availability, else highest; an unrecovered
     * incident is worse than any RTO; between equals, more users hit. */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT run, \"%s\" FROM runs WHERE status = 'ok' AND \"%s\" IS NOT NULL ORDER BY %s\"%s\" %s, "
             "users_affected DESC, run LIMIT %lld",
             column, column, x->rank_by == RANK_RTO ? "not_recovered > 0 DESC, " : "", column,
             x->rank_by == RANK_AVAILABILITY ? "ASC" : "DESC", (long long)x->worst);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "dcsim: %s: %s\n", db_path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return EXIT_RUN_FAILED;
    }
    char final[4300], staging[4400];
    snprintf(final, sizeof final, "%s/worst", dir);
    snprintf(staging, sizeof staging, "%s/worst.partial", dir);
    remove_dir(staging);
    int rc = mkdir(staging, 0777) ? EXIT_RUN_FAILED : EXIT_DONE;
    printf("\n  the worst runs by %s:\n", mdl_rank_names[x->rank_by]);
    for (int k = 1; !rc && sqlite3_step(st) == SQLITE_ROW; k++) {
        int64_t r = sqlite3_column_int64(st, 0);
        double value = sqlite3_column_double(st, 1);
        char name[4700];
        rc = write_one(s, p, r, k, value, staging, final, name, sizeof name);
        mdl_sweep_run run;
        mdl_sweep_describe(s, r, &run);
        if (!rc)
            printf("  %2d. run %lld (%s, seed %llu): %s %.6g -> %s/%s\n", k, (long long)r, run.stage,
                   (unsigned long long)run.seed, column, value, final, strrchr(name, '/') + 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (!rc) {
        remove_dir(final);
        if (rename(staging, final)) {
            fprintf(stderr, "dcsim: cannot put %s in place: %s\n", final, strerror(errno));
            rc = EXIT_RUN_FAILED;
        }
    }
    if (rc)
        remove_dir(staging);
    return rc;
}
