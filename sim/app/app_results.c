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

/* Is `n` one of dcsim's hidden folders ".<name>.tmp-<pid>" or
 * ".<name>.old-<pid>"? Returns the length of <name> (its kind in *old),
 * or 0. Names never start with "." and pids are digits, so a scenario
 * "a" never takes "a.b"'s folders, and lock files never match. */
static size_t hidden_set(const char *n, int *old)
{
    if (n[0] != '.')
        return 0;
    size_t len = strlen(n), digits = 0;
    while (digits < len && n[len - 1 - digits] >= '0' && n[len - 1 - digits] <= '9')
        digits++;
    if (digits == 0 || len < digits + 6)
        return 0;
    const char *tag = n + len - digits - 5; /* ".tmp-" or ".old-" */
    if (strncmp(tag, ".tmp-", 5) && strncmp(tag, ".old-", 5))
        return 0;
    *old = tag[1] == 'o';
    return (size_t)(tag - n) - 1;
}

/* Leftovers of a killed run in folder `dir` (of sets named `name`, or of
 * any name when NULL), handled under the lock: a staging folder is
 * removed; an old set whose new one never took its place (killed between
 * the two renames of a swap) is put back, else removed. */
static void clean_leftovers(const char *dir, const char *name)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        const char *n = ent->d_name;
        int old;
        size_t len = hidden_set(n, &old);
        if (!len || (name && (strlen(name) != len || strncmp(n + 1, name, len))))
            continue;
        char path[8192], final[8192];
        snprintf(path, sizeof path, "%s/%s", dir, n);
        snprintf(final, sizeof final, "%s/%.*s", dir, (int)len, n + 1);
        struct stat st;
        if (old && stat(final, &st) != 0 && rename(path, final) == 0)
            continue;
        sim_remove_tree(path);
    }
    closedir(d);
}

/* Makes what was renamed reach the disk: the folder that holds it. */
static void sync_folder(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* A name that becomes a folder: one path component, not hidden. The
 * loader allows no other; checked again where the path is written. */
static int one_component(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/');
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
    if (!one_component(scenario)) {
        fprintf(stderr, "dcsim: the scenario's name \"%s\" is not a folder name\n", scenario);
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
        if (errno != EWOULDBLOCK) {
            fprintf(stderr, "dcsim: --out %s: cannot lock %s: %s\n", out, lock, strerror(errno));
            app_out_close(o);
            return EXIT_RUN_FAILED;
        }
        fprintf(stderr, "dcsim: waiting for another dcsim writing %s ...\n", o->dir);
        while (flock(o->lock_fd, LOCK_EX) != 0)
            if (errno != EINTR || app_interrupted()) {
                int code = errno;
                app_out_close(o);
                if (app_interrupted())
                    return app_interrupted_exit("nothing was written");
                fprintf(stderr, "dcsim: --out %s: cannot lock %s: %s\n", out, lock, strerror(code));
                return EXIT_RUN_FAILED;
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
    if (stage && !one_component(stage)) {
        fprintf(stderr, "dcsim: the stage's name \"%s\" is not a folder name\n", stage);
        return EXIT_BAD_INPUT;
    }
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
    sync_folder(s->staging);
    struct stat st;
    int swapped, code = 0;
    if (stat(s->final, &st) != 0) {
        swapped = rename(s->staging, s->final) == 0;
        code = errno;
    } else if (renameat2(AT_FDCWD, s->staging, AT_FDCWD, s->final, RENAME_EXCHANGE) == 0) {
        swapped = 1;
        sim_remove_tree(s->staging); /* now the old set */
    } else if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
        /* A file system without the exchange: the old set steps aside
         * first, so the folder is briefly absent but never mixed (a run
         * killed in between is put right by the next, which puts the old
         * set back). */
        swapped = 0;
        if (rename(s->final, s->old) != 0) {
            code = errno;
        } else if (rename(s->staging, s->final) != 0) {
            code = errno;
            rename(s->old, s->final); /* the previous set stays */
        } else {
            swapped = 1;
            sim_remove_tree(s->old);
        }
    } else {
        swapped = 0;
        code = errno;
    }
    if (!swapped) {
        fprintf(stderr, "dcsim: cannot put the results in place at %s: %s\n", s->final, strerror(code));
        app_set_abort(s);
        return EXIT_RUN_FAILED;
    }
    char parent[8192];
    snprintf(parent, sizeof parent, "%s", s->final);
    char *slash = strrchr(parent, '/');
    if (slash) {
        *slash = '\0';
        sync_folder(parent);
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
