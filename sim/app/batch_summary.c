/* batch_summary.c -- `dcsim batch summary`: reads runs.sqlite (read-only,
 * with the sqlite3 API directly, so that a batch still running can be
 * summarised), groups the runs by stage and parameter point in the order
 * they first appear, and prints per group the runs ok and failed, and the
 * mean and 95% interval of availability, RTO, lost writes and p99; then,
 * if asked, the report (viz/report/rpt_batch.c), which prints the same
 * cells. It never writes to the database. */
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "batch.h"
#include "rpt_batch.h"
#include "sim_alloc.h"
#include "sim_escape.h"
#include "sim_file.h"
#include "sim_stats.h"
#include "sim_status.h"

#define MAX_PARAMS 32
#define MAX_NOTES 10            /* failed runs told by name; the rest are counted */
#define DASH "\u2014"

typedef struct values {
    double *v;
    size_t n, cap;
} values;

typedef struct summary {
    const char *path;
    sqlite3 *db;
    char *name, *kind, *runs, *param_list; /* meta */
    char *params[MAX_PARAMS];
    char units[MAX_PARAMS][16];
    int unit_known[MAX_PARAMS];
    size_t n_params;
    char **stages;              /* by first appearance: the stage's colour */
    size_t n_stages, cap_stages;
    rpt_batch_group *groups;
    size_t n_groups, cap_groups;
    int64_t n_present, n_failed;
    char notes[MAX_NOTES + 1][320];
    size_t n_notes;
    /* The group being read. */
    values acc[RPT_BATCH_MEASURES];
    size_t ok, failed, unrecovered;
} summary;

/* Columns of the query, then one per parameter. */
enum { C_RUN, C_STAGE, C_POINT, C_STATUS, C_REASON, C_AVAIL, C_RTO, C_UNREC, C_LOST, C_P99, C_FIRST, C_PARAMS };

static char *dup_n(const char *text, size_t n)
{
    char *p = sim_malloc(n + 1);
    if (p) {
        memcpy(p, text, n);
        p[n] = 0;
    }
    return p;
}

static char *column_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return sim_strdup(t ? (const char *)t : "");
}

/* A meta value (NULL when absent). *bad becomes 1 when the table cannot
 * be read, 2 when there is no memory for the value. */
static char *meta_value(sqlite3 *db, const char *key, int *bad)
{
    sqlite3_stmt *st;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK) {
        *bad = *bad ? *bad : 1;
        return NULL;
    }
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL && !(v = column_text(st, 0)))
        *bad = 2;
    sqlite3_finalize(st);
    return v;
}

/* The unit a parameter's value was written in, from its text: "5m" is a
 * duration (stored in seconds), "30%" a percentage, "2k/s" a rate. The
 * database keeps no units (batch.h), so the text is all there is. */
static const char *unit_of(const char *text)
{
    char *end;
    size_t len = strlen(text);
    strtod(text, &end);
    if (end == text || !*end)
        return "";
    if (text[len - 1] == '%')
        return "%";
    if (len > 2 && !strcmp(text + len - 2, "/s"))
        return "per second";
    if (strchr("smhd", *end) && strspn(end, "0123456789.smhdin") == strlen(end))
        return "s";
    return "";
}

/* The value of parameter p as written in the point ("ups=5m users=100M"):
 * the token naming it, else the p-th when there is one per parameter. */
static char *written_value(const summary *s, const char *point, size_t p)
{
    const char *tok[MAX_PARAMS + 1];
    size_t len[MAX_PARAMS + 1], n = 0;
    for (const char *q = point; *q && n <= MAX_PARAMS;) {
        q += strspn(q, " ");
        size_t l = strcspn(q, " ");
        if (l)
            tok[n] = q, len[n++] = l;
        q += l;
    }
    size_t name = strlen(s->params[p]);
    for (size_t i = 0; i < n; i++)
        if (len[i] > name && !strncmp(tok[i], s->params[p], name) && tok[i][name] == '=')
            return dup_n(tok[i] + name + 1, len[i] - name - 1);
    if (n == s->n_params && memchr(tok[p], '=', len[p])) {
        const char *eq = memchr(tok[p], '=', len[p]);
        return dup_n(eq + 1, len[p] - (size_t)(eq + 1 - tok[p]));
    }
    return NULL;
}

/* ==== Groups ==== */

static int push(values *v, double x)
{
    if (sim_grow((void **)&v->v, &v->cap, v->n + 1, sizeof *v->v))
        return SIM_ENOMEM;
    v->v[v->n++] = x;
    return SIM_OK;
}

static int stage_index(summary *s, const char *stage)
{
    for (size_t i = 0; i < s->n_stages; i++)
        if (!strcmp(s->stages[i], stage))
            return (int)i;
    if (sim_grow((void **)&s->stages, &s->cap_stages, s->n_stages + 1, sizeof *s->stages) ||
        !(s->stages[s->n_stages] = sim_strdup(stage)))
        return -1;
    return (int)s->n_stages++;
}

/* A new group from its first run's row: the stage, the point and the
 * parameters' values (equal for every run of the group). */
static int start_group(summary *s, sqlite3_stmt *st)
{
    if (sim_grow((void **)&s->groups, &s->cap_groups, s->n_groups + 1, sizeof *s->groups))
        return SIM_ENOMEM;
    rpt_batch_group *g = &s->groups[s->n_groups++];
    memset(g, 0, sizeof *g);
    char *point = column_text(st, C_POINT), *stage = column_text(st, C_STAGE);
    double *param = sim_calloc(s->n_params + 1, sizeof *param);
    char **text = sim_calloc(s->n_params + 1, sizeof *text);
    g->point = point;
    g->param = param;
    g->param_text = (const char *const *)text;
    g->stage_index = stage ? stage_index(s, stage) : -1;
    sim_free(stage);
    if (!point || !param || !text || g->stage_index < 0)
        return SIM_ENOMEM;
    g->stage = s->stages[g->stage_index];
    for (size_t p = 0; p < s->n_params; p++) {
        int type = sqlite3_column_type(st, C_PARAMS + (int)p);
        param[p] = type == SQLITE_INTEGER || type == SQLITE_FLOAT ? sqlite3_column_double(st, C_PARAMS + (int)p) : NAN;
        text[p] = written_value(s, point, p);
        if (!text[p] && isfinite(param[p])) {
            char num[32];
            snprintf(num, sizeof num, "%g", param[p]);
            text[p] = sim_strdup(num);
        } else if (!text[p]) {
            text[p] = column_text(st, C_PARAMS + (int)p);
        }
        if (!text[p])
            return SIM_ENOMEM;
        if (!s->unit_known[p] && isfinite(param[p])) { /* the first numeric value tells the unit */
            snprintf(s->units[p], sizeof s->units[p], "%s", unit_of(text[p]));
            s->unit_known[p] = 1;
        }
    }
    s->ok = s->failed = s->unrecovered = 0;
    for (int m = 0; m < RPT_BATCH_MEASURES; m++)
        s->acc[m].n = 0;
    return SIM_OK;
}

/* One run into the group being read. A run that failed gives no values;
 * a run with an incident never recovered gives no RTO, only its count. */
static int add_run(summary *s, sqlite3_stmt *st)
{
    s->n_present++;
    const unsigned char *status = sqlite3_column_text(st, C_STATUS);
    if (!status || strcmp((const char *)status, "ok")) {
        s->failed++;
        s->n_failed++;
        if (s->n_notes < MAX_NOTES) {
            const unsigned char *why = sqlite3_column_text(st, C_REASON);
            const rpt_batch_group *g = &s->groups[s->n_groups - 1];
            snprintf(s->notes[s->n_notes++], sizeof s->notes[0], "run %lld (%s%s%s) %s%s%s",
                     (long long)sqlite3_column_int64(st, C_RUN), g->stage, g->point[0] ? ", " : "", g->point,
                     status ? (const char *)status : "no status", why ? ": " : "", why ? (const char *)why : "");
        }
        return SIM_OK;
    }
    s->ok++;
    static const int col[RPT_BATCH_MEASURES] = {C_AVAIL, C_RTO, C_LOST, C_P99};
    static const double scale[RPT_BATCH_MEASURES] = {100, 1, 1, 1000}; /* percent, s, writes, ms */
    int unrecovered = sqlite3_column_int64(st, C_UNREC) > 0;
    s->unrecovered += unrecovered;
    for (int m = 0; m < RPT_BATCH_MEASURES; m++) {
        if (sqlite3_column_type(st, col[m]) == SQLITE_NULL || (m == RPT_BATCH_RTO && unrecovered))
            continue;
        if (push(&s->acc[m], sqlite3_column_double(st, col[m]) * scale[m]))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

/* "99.9412% ± 0.0123%"; one value: no interval; none: a dash. */
static void stat_cell(const rpt_batch_stat *st, const char *fmt, char *buf)
{
    char v[32], h[32];
    if (st->n == 0) {
        snprintf(buf, RPT_BATCH_CELL, DASH);
        return;
    }
    snprintf(v, sizeof v, fmt, st->mean);
    if (isnan(st->half))
        snprintf(h, sizeof h, DASH);
    else
        snprintf(h, sizeof h, fmt, st->half);
    snprintf(buf, RPT_BATCH_CELL, "%s \u00b1 %s", v, h);
}

static void finish_group(summary *s)
{
    static const char *const fmt[RPT_BATCH_MEASURES] = {"%.4f%%", "%.1f s", "%.1f", "%.1f ms"};
    static const int col[RPT_BATCH_MEASURES] = {RPT_BATCH_COL_AVAILABILITY, RPT_BATCH_COL_RTO,
                                                RPT_BATCH_COL_LOST_WRITES, RPT_BATCH_COL_P99};
    rpt_batch_group *g = &s->groups[s->n_groups - 1];
    for (int m = 0; m < RPT_BATCH_MEASURES; m++) {
        rpt_batch_stat *st = &g->m[m];
        st->n = s->acc[m].n;
        sim_mean_ci95(s->acc[m].v, st->n, &st->mean, &st->half);
        if (st->n < 2)
            st->half = NAN; /* one run tells no interval */
        stat_cell(st, fmt[m], g->cell[col[m]]);
    }
    g->ok = s->ok;
    g->not_recovered = s->unrecovered;
    snprintf(g->cell[RPT_BATCH_COL_STAGE], RPT_BATCH_CELL, "%s", g->stage);
    snprintf(g->cell[RPT_BATCH_COL_POINT], RPT_BATCH_CELL, "%s", g->point[0] ? g->point : DASH);
    snprintf(g->cell[RPT_BATCH_COL_OK], RPT_BATCH_CELL, "%zu", s->ok);
    snprintf(g->cell[RPT_BATCH_COL_FAILED], RPT_BATCH_CELL, "%zu", s->failed);
    snprintf(g->cell[RPT_BATCH_COL_UNRECOVERED], RPT_BATCH_CELL, "%zu of %zu not recovered", s->unrecovered, s->ok);
}

/* ==== Reading ==== */

/* The sweep's meta values and its parameters' names. EXIT_DONE, or
 * EXIT_BAD_INPUT with why on stderr. */
static int read_meta(summary *s)
{
    int bad = 0;
    s->name = meta_value(s->db, "name", &bad);
    s->kind = meta_value(s->db, "kind", &bad);
    s->runs = meta_value(s->db, "runs", &bad);
    s->param_list = meta_value(s->db, "params", &bad);
    if (bad == 2) {
        fprintf(stderr, "dcsim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    if (bad || !s->name || !s->kind || !s->runs) {
        fprintf(stderr, "dcsim: %s: not a dcsim batch database (%s)\n", s->path,
                bad ? sqlite3_errmsg(s->db) : "its meta table lacks the sweep's name, kind or runs");
        return EXIT_BAD_INPUT;
    }
    for (char *p = s->param_list; p && *p;) {
        size_t len = strcspn(p, ",");
        int ok = len > 0 && s->n_params < MAX_PARAMS && (p[0] < '0' || p[0] > '9');
        for (size_t i = 0; i < len; i++)
            ok &= p[i] == '_' || (p[i] >= '0' && p[i] <= '9') || ((p[i] | 32) >= 'a' && (p[i] | 32) <= 'z');
        if (!ok) {
            fprintf(stderr, "dcsim: %s: meta params: \"%s\" is not a list of column names\n", s->path, s->param_list);
            return EXIT_BAD_INPUT;
        }
        s->params[s->n_params++] = p;
        p += len;
        if (*p)
            *p++ = 0;
    }
    return EXIT_DONE;
}

/* Reads every run, grouped: the window gives each run its group's first
 * run, so ordering by it brings a group's runs together, groups in the
 * order they first appear. */
static int read_runs(summary *s)
{
    char sql[4096];
    size_t at = (size_t)snprintf(sql, sizeof sql,
                                 "SELECT run, stage, point, status, reason, availability, rto_s, not_recovered, "
                                 "lost_writes, p99_s, MIN(run) OVER (PARTITION BY stage, point) AS first_run");
    for (size_t p = 0; p < s->n_params; p++)
        at += (size_t)snprintf(sql + at, sizeof sql - at, ", \"%s\"", s->params[p]);
    snprintf(sql + at, sizeof sql - at, " FROM runs ORDER BY first_run, run");
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "dcsim: %s: not a dcsim batch database (%s)\n", s->path, sqlite3_errmsg(s->db));
        return EXIT_BAD_INPUT;
    }
    int rc, status = SIM_OK, any = 0;
    sqlite3_int64 first = 0;
    while (status == SIM_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!any || sqlite3_column_int64(st, C_FIRST) != first) {
            if (any)
                finish_group(s);
            first = sqlite3_column_int64(st, C_FIRST);
            any = 1;
            status = start_group(s, st);
        }
        if (status == SIM_OK)
            status = add_run(s, st);
    }
    if (status == SIM_OK && any)
        finish_group(s);
    sqlite3_finalize(st);
    if (status != SIM_OK) {
        fprintf(stderr, "dcsim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "dcsim: %s: %s\n", s->path, sqlite3_errmsg(s->db));
        return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB ? EXIT_BAD_INPUT : EXIT_RUN_FAILED;
    }
    return EXIT_DONE;
}

/* ==== Printing ==== */

static size_t display_width(const char *s)
{
    size_t n = 0;
    while (*s) {
        sim_utf8_next(&s);
        n++;
    }
    return n;
}

static void print_row(FILE *out, const char *const *cell, const size_t *width)
{
    for (int k = 0; k < RPT_BATCH_COLUMNS; k++) {
        int pad = (int)(width[k] - display_width(cell[k]));
        int left = k <= RPT_BATCH_COL_POINT; /* names read from the left, numbers line up on the right */
        fprintf(out, "%s%*s%s%*s", k ? "  " : "", left ? 0 : pad, "", cell[k], k + 1 < RPT_BATCH_COLUMNS && left ? pad : 0, "");
    }
    fputc('\n', out);
}

static void print_table(FILE *out, const summary *s, const char *headline)
{
    size_t width[RPT_BATCH_COLUMNS];
    for (int k = 0; k < RPT_BATCH_COLUMNS; k++) {
        width[k] = display_width(rpt_batch_columns[k]);
        for (size_t g = 0; g < s->n_groups; g++)
            if (display_width(s->groups[g].cell[k]) > width[k])
                width[k] = display_width(s->groups[g].cell[k]);
    }
    fprintf(out, "%s\n\n", headline);
    print_row(out, rpt_batch_columns, width);
    for (size_t g = 0; g < s->n_groups; g++) {
        const char *cells[RPT_BATCH_COLUMNS];
        for (int k = 0; k < RPT_BATCH_COLUMNS; k++)
            cells[k] = s->groups[g].cell[k];
        print_row(out, cells, width);
    }
    if (s->n_groups)
        fputs("\nmean \u00b1 half-width of the 95% interval (Student's t) over the runs ok; RTO over the runs that recovered\n", out);
    for (size_t i = 0; i < s->n_notes; i++)
        fprintf(out, "failed: %s\n", s->notes[i]);
    if (s->n_failed > (int64_t)s->n_notes)
        fprintf(out, "failed: ... and %lld more\n", (long long)(s->n_failed - (int64_t)s->n_notes));
}

static int write_report(const summary *s, const char *dir, const char *headline)
{
    const char *units[MAX_PARAMS], *notes[MAX_NOTES];
    for (size_t p = 0; p < s->n_params; p++)
        units[p] = s->units[p];
    for (size_t i = 0; i < s->n_notes; i++)
        notes[i] = s->notes[i];
    rpt_batch b = {s->name, s->kind, headline, (const char *const *)s->params, units, s->n_params,
                   s->groups, s->n_groups, notes, s->n_notes};
    sim_io_error_clear();
    int rc = rpt_batch_write(&b, dir);
    if (rc == SIM_ENOMEM)
        fprintf(stderr, "dcsim: out of memory\n");
    else if (rc)
        fprintf(stderr, "dcsim: cannot write %s: %s\n", sim_io_error_path()[0] ? sim_io_error_path() : dir,
                strerror(sim_io_error_code() ? sim_io_error_code() : EIO));
    return rc ? EXIT_RUN_FAILED : EXIT_DONE;
}

static void free_summary(summary *s)
{
    for (size_t g = 0; g < s->n_groups; g++) {
        for (size_t p = 0; s->groups[g].param_text && p < s->n_params; p++)
            sim_free((void *)s->groups[g].param_text[p]);
        sim_free((void *)s->groups[g].param_text);
        sim_free((void *)s->groups[g].param);
        sim_free((void *)s->groups[g].point);
    }
    sim_free(s->groups);
    for (size_t i = 0; i < s->n_stages; i++)
        sim_free(s->stages[i]);
    sim_free(s->stages);
    for (int m = 0; m < RPT_BATCH_MEASURES; m++)
        sim_free(s->acc[m].v);
    sim_free(s->name);
    sim_free(s->kind);
    sim_free(s->runs);
    sim_free(s->param_list);
    sqlite3_close(s->db);
}

int batch_summary(const char *db_path, FILE *out, const char *report_dir)
{
    /* sqlite would say only "unable to open database file": ask first. */
    FILE *probe = sim_open_regular(db_path);
    if (!probe) {
        fprintf(stderr, "dcsim: %s: %s\n", db_path, sim_open_error(errno));
        return EXIT_BAD_INPUT;
    }
    fclose(probe);
    summary s = {.path = db_path};
    int rc = sqlite3_open_v2(db_path, &s.db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "dcsim: %s: %s\n", db_path, s.db ? sqlite3_errmsg(s.db) : "out of memory");
        sqlite3_close(s.db);
        return EXIT_BAD_INPUT;
    }
    sqlite3_busy_timeout(s.db, 5000); /* a batch writing its next row holds the lock briefly */
    rc = read_meta(&s);
    if (rc == EXIT_DONE)
        rc = read_runs(&s);
    if (rc == EXIT_DONE) {
        char headline[512];
        snprintf(headline, sizeof headline, "%s: %lld of %s runs (%lld failed)", s.name, (long long)s.n_present,
                 s.runs, (long long)s.n_failed);
        print_table(out, &s, headline);
        if (report_dir)
            rc = write_report(&s, report_dir, headline);
        if (rc == EXIT_DONE && report_dir)
            fprintf(out, "report: %s/summary.html\n", report_dir);
        if (rc == EXIT_DONE && (fflush(out) || ferror(out))) {
            fprintf(stderr, "dcsim: cannot write the summary: %s\n", strerror(errno));
            rc = EXIT_RUN_FAILED;
        }
    }
    free_summary(&s);
    return rc;
}
