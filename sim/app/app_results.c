/* app_results.c -- a command's results appear whole or not at all. Each
 * set (a stage's folder for `run`, the scenario's folder for `compare`) is
 * written into a hidden staging folder beside it and then swapped in, so a
 * reader never sees a new timeseries.csv beside an old summary.json. One
 * dcsim at a time writes under a scenario's folder (a lock beside it; a
 * second one waits); whatever a killed run left behind is removed by the
 * next one, which holds the lock. SIGINT and SIGTERM stop a run at the
 * next check and its staging folder is removed. */
#define _GNU_SOURCE /* renameat2: swapping two folders in one step */
#include "app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_file.h"
#include "sim_status.h"

/* ==== Signals ==== */

static volatile sig_atomic_t caught;

static void on_signal(int sig) { caught = sig; }

void app_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a wait for the lock or a pause ends at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int app_interrupted(void) { return caught; }

int app_interrupted_exit(const char *what)
{
    int sig = caught;
    fprintf(stderr, "\ndcsim: interrupted by %s: %s\n", sig == SIGINT ? "SIGINT" : "SIGTERM", what);
    return 128 + sig;
}

/* ==== The output folder ==== */

/* Leftovers of a killed run, in folder `dir`: hidden staging and old
 * folders of `name` (NULL: of any name). Removed under the lock. */
static void clean_leftovers(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    size_t len = name ? strlen(name) : 0;
    while ((ent = readdir(d))) {
        const char *n = ent->d_name;
        if (n[0] != '.' || (!strstr(n, ".tmp-") && !strstr(n, ".old-")))
            continue;
        if (name && (strncmp(n + 1, name, len) != 0 || n[1 + len] != '.'))
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, n);
        sim_remove_tree(path);
    }
    closedir(d);
}

int app_out_open(app_out *o, const char *out, const char *scenario)
{
    memset(o, 0, sizeof *o);
    o->lock_fd = -1;
    if (!out[0]) {
        fprintf(stderr, "dcsim: --out: expected a folder, got \"\"\n");
        return EXIT_BAD_INPUT;
    }
    if (strlen(out) + strlen(scenario) + 64 > sizeof o->dir) {
        fprintf(stderr, "dcsim: --out: the folder's name is too long\n");
        return EXIT_BAD_INPUT;
    }
    snprintf(o->out, sizeof o->out, "%s", out);
    snprintf(o->scenario, sizeof o->scenario, "%s", scenario);
    snprintf(o->dir, sizeof o->dir, "%s/%s", out, scenario);
    sim_io_error_clear();
    char lock[4200];
    snprintf(lock, sizeof lock, "%s/.%s.lock", out, scenario);
    if (sim_mkdirs(out) || (o->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        const char *path = sim_io_error_code() ? sim_io_error_path() : lock;
        int code = sim_io_error_code() ? sim_io_error_code() : errno;
        fprintf(stderr, "dcsim: --out %s: cannot write there (%s: %s)\n", out, path, strerror(code));
        return EXIT_RUN_FAILED;
    }
    if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        fprintf(stderr, "dcsim: waiting for another dcsim writing %s ...\n", o->dir);
        while (flock(o->lock_fd, LOCK_EX) != 0)
            if (errno != EINTR || app_interrupted()) {
                app_out_close(o);
                return app_interrupted() ? app_interrupted_exit("nothing was written") : EXIT_RUN_FAILED;
            }
    }
    clean_leftovers(out, scenario);
    clean_leftovers(o->dir, NULL);
    return EXIT_DONE;
}

void app_out_close(app_out *o)
{
    if (o->lock_fd >= 0)
        close(o->lock_fd); /* releases the lock */
    o->lock_fd = -1;
}

/* ==== Sets ==== */

int app_set_begin(app_out *o, app_set *s, const char *stage)
{
    sim_io_error_clear();
    if (stage) {
        snprintf(s->final, sizeof s->final, "%s/%s", o->dir, stage);
        snprintf(s->staging, sizeof s->staging, "%s/.%s.tmp-%ld", o->dir, stage, (long)getpid());
        snprintf(s->old, sizeof s->old, "%s/.%s.old-%ld", o->dir, stage, (long)getpid());
    } else {
        snprintf(s->final, sizeof s->final, "%s", o->dir);
        snprintf(s->staging, sizeof s->staging, "%s/.%s.tmp-%ld", o->out, o->scenario, (long)getpid());
        snprintf(s->old, sizeof s->old, "%s/.%s.old-%ld", o->out, o->scenario, (long)getpid());
    }
    sim_remove_tree(s->staging);
    if (sim_mkdirs(s->staging)) {
        app_io_error(s, "cannot write the results");
        return EXIT_RUN_FAILED;
    }
    return EXIT_DONE;
}

int app_set_commit(app_set *s)
{
    struct stat st;
    int swapped;
    if (stat(s->final, &st) != 0) {
        swapped = rename(s->staging, s->final) == 0;
    } else if (renameat2(AT_FDCWD, s->staging, AT_FDCWD, s->final, RENAME_EXCHANGE) == 0) {
        swapped = 1;
        sim_remove_tree(s->staging); /* now the old set */
    } else {
        /* A file system without the exchange: the old set steps aside
         * first, so the folder is briefly absent but never mixed. */
        swapped = rename(s->final, s->old) == 0 && rename(s->staging, s->final) == 0;
        sim_remove_tree(s->old);
    }
    if (!swapped) {
        fprintf(stderr, "dcsim: cannot put the results in place at %s: %s\n", s->final, strerror(errno));
        app_set_abort(s);
        return EXIT_RUN_FAILED;
    }
    return EXIT_DONE;
}

void app_set_abort(app_set *s) { sim_remove_tree(s->staging); }

void app_io_failure(const app_set *s, char *buf, size_t size)
{
    /* Name the file where it will stand, not in the staging folder. */
    const char *path = sim_io_error_path();
    size_t len = strlen(s->staging);
    if (!strncmp(path, s->staging, len))
        snprintf(buf, size, "cannot write %s%s: ", s->final, path + len);
    else
        snprintf(buf, size, "cannot write %s: ", path[0] ? path : s->final);
    size_t at = strlen(buf);
    snprintf(buf + at, size - at, "%s", strerror(sim_io_error_code() ? sim_io_error_code() : EIO));
}

void app_io_error(const app_set *s, const char *what)
{
    char why[17000];
    app_io_failure(s, why, sizeof why);
    fprintf(stderr, "dcsim: %s: %s\n", what, why);
}
