/* batch_exec.c -- running a sweep's runs, each in a process of its own: a
 * run that crashes or passes its time bound is recorded as such and the
 * batch goes on. A worker process loads the run's config, runs it and
 * writes its figures down a pipe as text; the parent (the only writer of
 * runs.sqlite) reads them back. The same text crosses MPI unchanged. */
#define _GNU_SOURCE /* prctl's PR_SET_PDEATHSIG */
#include "batch_exec.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "mdl_world.h"
#include "sim_status.h"

/* ==== One run, in this process ==== */

typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->p ? t->p + t->n : NULL, t->p ? t->cap - t->n : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if (t->p && t->n + (size_t)n < t->cap) {
            t->n += (size_t)n;
            return;
        }
        size_t cap = (t->cap ? t->cap * 2 : 4096) + (size_t)n;
        char *p = realloc(t->p, cap);
        if (!p)
            return;
        t->p = p;
        t->cap = cap;
    }
}

/* A field's value on one line: tabs and newlines would break the text. */
static void clean(char *s)
{
    for (; *s; s++)
        if (*s == '\t' || *s == '\n' || *s == '\r')
            *s = ' ';
}

/* The incident whose phases stand for the run: an unrecovered one first,
 * then the longest RTO. */
static int worst_incident(const mdl_world *w, mdl_incident *out)
{
    size_t n = mdl_world_incidents(w);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        mdl_incident in;
        mdl_world_incident(w, i, &in);
        int open = !in.recovered && in.broke_slo, worst_open = found && !out->recovered && out->broke_slo;
        if (!found || (open && !worst_open) || (open == worst_open && in.rto > out->rto)) {
            *out = in;
            found = 1;
        }
    }
    return found;
}

static void figures(const mdl_world *w, double *f)
{
    mdl_headline h;
    mdl_world_headline(w, &h);
    double fixed[BATCH_FIXED_FIGURES] = {
        h.availability, h.nines, h.offered, h.succeeded, h.failed, h.retries, h.p50, h.p90, h.p99, h.p999,
        h.peak_p99, h.peak_availability, h.users_affected, h.users_share, h.promotions, h.lost_writes, h.rpo,
        h.at_risk_writes, h.stale_reads, h.conflicting_writes, h.seconds_below_slo, h.cost, h.events_per_request};
    memcpy(f, fixed, sizeof fixed);
    size_t n = mdl_world_incidents(w);
    int unrecovered = 0;
    for (size_t i = 0; i < n; i++) {
        mdl_incident in;
        mdl_world_incident(w, i, &in);
        /* One that never broke the SLO has nothing to recover from,
         * though its fault may outlast the run. */
        unrecovered += !in.recovered && in.broke_slo;
    }
    f[BATCH_incidents] = (double)n;
    f[BATCH_not_recovered] = unrecovered;
    mdl_incident worst;
    int any = worst_incident(w, &worst);
    f[BATCH_time_to_impact_s] = any && worst.impact >= 0 ? worst.impact : NAN;
    f[BATCH_detect_s] = any ? worst.detect : NAN;
    f[BATCH_switch_s] = any ? worst.switched : NAN;
    f[BATCH_rto_s] = any ? worst.rto : NAN;
    mdl_verdict v[MDL_MAX_VERDICTS];
    int nv = mdl_world_verdicts(w, v, MDL_MAX_VERDICTS), failed = 0;
    for (int i = 0; i < nv; i++)
        failed += !v[i].pass;
    f[BATCH_verdicts] = nv;
    f[BATCH_verdicts_failed] = failed;
    for (int c = 0; c < FAIL_COUNT && BATCH_FIXED_FIGURES + c < BATCH_MAX_FIGURES; c++)
        f[BATCH_FIXED_FIGURES + c] = h.by_cause[c];
}

char *batch_run_here(const batch_plan *p, int64_t r)
{
    text t = {0};
    mdl_sweep_job job;
    mdl_errors errs;
    int rc = mdl_sweep_job_load(p->sweep, r, &job, &errs);
    if (job.faults[0]) {
        clean(job.faults);
        put(&t, "faults\t%s\n", job.faults);
    }
    if (rc) {
        char why[600] = "out of memory loading the run";
        if (rc != SIM_ENOMEM && errs.n > 0) {
            cfg_error_format(&errs.e[0], why, sizeof why);
            clean(why);
        }
        put(&t, "status\tfailed\nreason\t%s\n", why);
        mdl_sweep_job_free(&job);
        return t.p;
    }
    mdl_sweep_run run;
    mdl_sweep_describe(p->sweep, r, &run);
    mdl_run_options opt = {p->scale, run.seed, 1, SIM_QUEUE_DEFAULT, NULL};
    mdl_world *w = NULL;
    char err[600] = "";
    rc = mdl_world_create(job.cfg, 0, &opt, &w, err, sizeof err);
    if (rc == 0)
        rc = mdl_world_run(w, 0, NULL, NULL);
    if (rc < 0) {
        if (!err[0])
            snprintf(err, sizeof err, "%s", sim_strerror(rc));
        clean(err);
        put(&t, "status\tfailed\nreason\t%s\n", err);
    } else {
        double f[BATCH_MAX_FIGURES];
        figures(w, f);
        put(&t, "status\tok\n");
        for (size_t i = 0; i < p->n_figures; i++)
            put(&t, "figure\t%zu\t%.17g\n", i, f[i]);
        const mdl_series *s = mdl_world_series(w);
        for (size_t i = 0; p->series && i < s->n; i++) {
            const mdl_series_point *q = &s->p[i];
            put(&t, "series\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\n", q->t, q->offered, q->succeeded,
                q->failed, q->p50, q->p99, q->lost_writes);
        }
    }
    mdl_world_destroy(w);
    mdl_sweep_job_free(&job);
    put(&t, "end\n");
    return t.p;
}

/* ==== Reading a run's text back ==== */

void batch_row_init(batch_row *row, const batch_plan *p, int64_t r)
{
    memset(row, 0, sizeof *row);
    mdl_sweep_describe(p->sweep, r, &row->run);
    for (size_t i = 0; i < BATCH_MAX_FIGURES; i++)
        row->figures[i] = NAN;
    for (size_t k = 0; k < p->sweep->n_params; k++) {
        const mdl_sweep_value *v = &p->sweep->params[k].values[row->run.value[k]];
        row->param_text[k] = v->text;
        row->param_value[k] = v->number;
    }
    row->r = (batch_result){.run = r, .stage = row->run.stage, .seed = row->run.seed, .point = row->run.point,
                            .param_text = row->param_text, .param_value = row->param_value,
                            .figures = row->figures, .status = "failed"};
}

void batch_row_parse(batch_row *row, const batch_plan *p, const char *msg)
{
    int ended = 0;
    for (const char *line = msg; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char buf[20000];
        if (len >= sizeof buf)
            len = sizeof buf - 1;
        memcpy(buf, line, len);
        buf[len] = '\0';
        char *tab = strchr(buf, '\t');
        char *value = tab ? tab + 1 : buf + len;
        if (tab)
            *tab = '\0';
        if (!strcmp(buf, "status")) {
            snprintf(row->status, sizeof row->status, "%s", value);
        } else if (!strcmp(buf, "reason")) {
            snprintf(row->reason, sizeof row->reason, "%s", value);
        } else if (!strcmp(buf, "faults")) {
            snprintf(row->faults, sizeof row->faults, "%s", value);
        } else if (!strcmp(buf, "figure")) {
            char *end;
            unsigned long i = strtoul(value, &end, 10);
            if (*end == '\t' && i < p->n_figures)
                row->figures[i] = strtod(end + 1, NULL);
        } else if (!strcmp(buf, "series")) {
            batch_series_point q;
            if (sscanf(value, "%lf\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf", &q.t, &q.offered, &q.succeeded, &q.failed, &q.p50,
                       &q.p99, &q.lost_writes) == 7) {
                batch_series_point *more = realloc(row->series, (row->n_series + 1) * sizeof *more);
                if (more) {
                    row->series = more;
                    row->series[row->n_series++] = q;
                }
            }
        } else if (!strcmp(buf, "end")) {
            ended = 1;
        }
        line = nl ? nl + 1 : NULL;
    }
    if (!strcmp(row->status, "ok") && !ended) {
        snprintf(row->status, sizeof row->status, "failed");
        snprintf(row->reason, sizeof row->reason, "its results were cut short");
    }
    row->r.status = row->status[0] ? row->status : "failed";
    row->r.reason = row->reason[0] ? row->reason : strcmp(row->r.status, "ok") ? "no results" : NULL;
    row->r.faults = row->faults[0] ? row->faults : NULL;
    row->r.series = row->series;
    row->r.n_series = row->n_series;
}

void batch_row_free(batch_row *row)
{
    free(row->series);
    row->series = NULL;
}

/* ==== Worker processes ==== */

struct batch_pool {
    const batch_plan *plan;
    int size;
    struct slot {
        pid_t pid;
        int fd;
        int64_t run;
        double started;
        text out;
    } *slots;
};

batch_pool *batch_pool_create(const batch_plan *p, int size)
{
    batch_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->slots = calloc((size_t)size, sizeof *pool->slots);
    if (!pool->slots) {
        free(pool);
        return NULL;
    }
    pool->plan = p;
    pool->size = size;
    for (int i = 0; i < size; i++)
        pool->slots[i].pid = 0;
    return pool;
}

int batch_pool_busy(const batch_pool *pool)
{
    int n = 0;
    for (int i = 0; i < pool->size; i++)
        n += pool->slots[i].pid > 0;
    return n;
}

int batch_pool_start(batch_pool *pool, int64_t r)
{
    int i = 0;
    while (i < pool->size && pool->slots[i].pid > 0)
        i++;
    if (i == pool->size)
        return -1;
    int fds[2];
    if (pipe(fds))
        return -1;
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        /* The worker: dies with its parent, so a killed batch leaves no
         * orphans computing for nobody. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) /* it died before the line above */
            _exit(5);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        close(fds[0]);
        char *msg = batch_run_here(pool->plan, r);
        size_t n = msg ? strlen(msg) : 0, done = 0;
        while (done < n) {
            ssize_t k = write(fds[1], msg + done, n - done);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                _exit(3);
            done += (size_t)k;
        }
        _exit(msg ? 0 : 4);
    }
    close(fds[1]);
    struct slot *s = &pool->slots[i];
    *s = (struct slot){pid, fds[0], r, app_wall_seconds(), {0}};
    return 0;
}

static void finish(batch_pool *pool, struct slot *s, int status, int timed_out, batch_row *row)
{
    batch_row_init(row, pool->plan, s->run);
    if (s->out.p)
        batch_row_parse(row, pool->plan, s->out.p);
    if (timed_out) {
        snprintf(row->status, sizeof row->status, "timeout");
        snprintf(row->reason, sizeof row->reason, "stopped past its time bound of %g s", pool->plan->time_limit);
    } else if (WIFSIGNALED(status)) {
        snprintf(row->status, sizeof row->status, "crashed");
        snprintf(row->reason, sizeof row->reason, "killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(row->status, sizeof row->status, "failed");
        snprintf(row->reason, sizeof row->reason, "its process exited with %d",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    row->r.status = row->status;
    row->r.reason = strcmp(row->status, "ok") ? (row->reason[0] ? row->reason : "no results") : NULL;
    row->r.wall_s = app_wall_seconds() - s->started;
    free(s->out.p);
    close(s->fd);
    s->out = (text){0};
    s->pid = 0;
}

int batch_pool_wait(batch_pool *pool, batch_row *row, double max_wait)
{
    double deadline = app_wall_seconds() + max_wait;
    for (;;) {
        struct pollfd pfd[256];
        int map[256], n = 0;
        double now = app_wall_seconds(), soonest = deadline;
        for (int i = 0; i < pool->size && n < 256; i++) {
            struct slot *s = &pool->slots[i];
            if (s->pid <= 0)
                continue;
            double limit = s->started + pool->plan->time_limit;
            if (now >= limit) { /* past its bound: stopped, recorded */
                kill(s->pid, SIGKILL);
                int status;
                while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
                    ;
                finish(pool, s, status, 1, row);
                return 1;
            }
            if (limit < soonest)
                soonest = limit;
            pfd[n] = (struct pollfd){s->fd, POLLIN, 0};
            map[n++] = i;
        }
        if (n == 0)
            return 0;
        int ms = (int)((soonest - now) * 1000) + 1;
        int k = poll(pfd, (nfds_t)n, ms < 0 ? 0 : ms);
        if (k < 0 && errno != EINTR)
            return -1;
        if (k < 0 || app_interrupted())
            return app_interrupted() ? -2 : 0;
        for (int j = 0; j < n; j++) {
            if (!(pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            struct slot *s = &pool->slots[map[j]];
            char buf[65536];
            ssize_t got = read(s->fd, buf, sizeof buf);
            if (got > 0) {
                put(&s->out, "%.*s", (int)got, buf);
                continue;
            }
            if (got < 0 && errno == EINTR)
                continue;
            int status;
            while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
                ;
            finish(pool, s, status, 0, row);
            return 1;
        }
        if (app_wall_seconds() >= deadline)
            return 0;
    }
}

void batch_pool_destroy(batch_pool *pool)
{
    if (!pool)
        return;
    for (int i = 0; i < pool->size; i++) {
        struct slot *s = &pool->slots[i];
        if (s->pid > 0) {
            kill(s->pid, SIGKILL);
            while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
                ;
            close(s->fd);
            free(s->out.p);
        }
    }
    free(pool->slots);
    free(pool);
}
