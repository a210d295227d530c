/* test_batch_summary.c -- `dcsim batch summary` (sim/app/batch_summary.c)
 * on a runs.sqlite built here by hand: two stages, ups at 1m, 5m and 10m,
 * three seeds. The means and 95% intervals are recomputed here with the
 * textbook formula (mean, s / sqrt(n), t(0.975, n - 1) from a table) and
 * must be what the table prints; a run with an incident never recovered
 * counts as such and is left out of the RTO; a crashed run counts as
 * failed and gives no values. The report's charts are real PNG and SVG
 * files, and two summaries of one database are byte for byte the same.
 * Missing, foreign and non-database files exit 2; an unwritable report
 * directory, or any allocation failing, exits 1. Files live in a mkdtemp
 * directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "batch.h"
#include "sim_alloc.h"
#include "sim_file.h"

#define NS 2                    /* stages */
#define NU 3                    /* ups values */
#define NK 3                    /* seeds */

static const char *const stages[NS] = {"mature", "unit"};
static const char *const ups_text[NU] = {"1m", "5m", "10m"};
static const double ups_s[NU] = {60, 300, 600};

/* The figures of run (s, u, k); NaN is stored as NULL. */
static double avail(int s, int u, int k) { return 0.9990 - 0.0002 * u - 0.0001 * s + 0.00003 * k * k; }
static double rto(int s, int u, int k) { return 40 + 20 * u + 5 * s + 3 * k * k; }
static double lost(int s, int u, int k) { return 10 * u + s + 2 * k; }
static double p99(int s, int u, int k) { return 0.050 + 0.010 * u + 0.002 * k + 0.001 * s; }
static int unrecovered(int s, int u, int k) { return s == 0 && u == 1 && k == 1; }
static int crashed(int s, int u, int k) { return s == 1 && u == 2 && k == 2; }

typedef struct fixture {
    char dir[64];
    char db[128];
    char path[256];
} fixture;

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_batch_summary.XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof f->db, "%s/runs.sqlite", f->dir);
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    sim_remove_tree(f->dir);
    free(f);
    return 0;
}

static const char *at(fixture *f, const char *name)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    return f->path;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

/* A database as batch.h lays it out, with the parameter columns given
 * ("ups REAL, users REAL") and meta's params ("ups,users"). */
static sqlite3 *new_db(const char *path, const char *name, int64_t runs, const char *param_cols, const char *params)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    exec(db, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)");
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO meta VALUES ('digest', 'x'), ('name', '%s'), ('kind', 'sweep'), ('runs', '%lld'), "
             "('params', '%s'), ('figures', 'availability,rto_s,not_recovered,incidents,lost_writes,p99_s')",
             name, (long long)runs, params);
    exec(db, sql);
    snprintf(sql, sizeof sql,
             "CREATE TABLE runs(run INTEGER PRIMARY KEY, stage TEXT, seed INTEGER, point TEXT, %s%sfaults TEXT, "
             "status TEXT, reason TEXT, wall_s REAL, availability REAL, rto_s REAL, not_recovered REAL, "
             "incidents REAL, lost_writes REAL, p99_s REAL)",
             param_cols, param_cols[0] ? ", " : "");
    exec(db, sql);
    return db;
}

/* One run: cols names the parameter columns ("ups, users") and params
 * gives their values as SQL literals ("300, 1e7", "'east'"). */
static void put(sqlite3 *db, int run, const char *stage, int seed, const char *point, const char *cols,
                const char *params, const char *status, double a, double r, int unrec, double l, double p)
{
    char sql[1024], v[5][32];
    const double x[5] = {a, r, l, p, unrec};
    for (int i = 0; i < 5; i++)
        if (isnan(x[i]))
            snprintf(v[i], sizeof v[i], "NULL");
        else
            snprintf(v[i], sizeof v[i], "%.17g", x[i]);
    snprintf(sql, sizeof sql,
             "INSERT INTO runs(run, stage, seed, point, %s, status, reason, wall_s, availability, rto_s, "
             "not_recovered, incidents, lost_writes, p99_s) VALUES (%d, '%s', %d, '%s', %s, '%s', %s, 1.5, %s, %s, "
             "%s, 1, %s, %s)",
             cols, run, stage, seed, point, params, status, strcmp(status, "ok") ? "'killed by signal 9'" : "NULL",
             v[0], v[1], v[4], v[2], v[3]);
    exec(db, sql);
}

/* The sweep of the file's opening comment. */
static void make_sweep(const char *path)
{
    sqlite3 *db = new_db(path, "ups-minutes", NS * NU * NK, "ups REAL", "ups");
    int run = 0;
    for (int s = 0; s < NS; s++)
        for (int u = 0; u < NU; u++)
            for (int k = 0; k < NK; k++) {
                char point[32], param[32];
                snprintf(point, sizeof point, "ups=%s", ups_text[u]);
                snprintf(param, sizeof param, "%g", ups_s[u]);
                if (crashed(s, u, k))
                    put(db, run++, stages[s], k + 1, point, "ups", param, "crashed", NAN, NAN, 0, NAN, NAN);
                else
                    put(db, run++, stages[s], k + 1, point, "ups", param, "ok", avail(s, u, k),
                        unrecovered(s, u, k) ? 999 : rto(s, u, k), unrecovered(s, u, k), lost(s, u, k), p99(s, u, k));
            }
    sqlite3_close(db);
}

/* The summary's text in a malloc'd string, and its exit code. */
static char *summarise(const char *db, const char *report, int *rc)
{
    FILE *out = tmpfile();
    assert_non_null(out);
    *rc = batch_summary(db, out, report);
    long n = ftell(out);
    char *text = calloc(1, (size_t)n + 1);
    rewind(out);
    assert_int_equal(fread(text, 1, (size_t)n, out), (size_t)n);
    fclose(out);
    return text;
}

/* The summary as a separate run of dcsim would make it: in a child
 * process, so that process-wide counters (cairo numbers its SVG surfaces)
 * start where they did for the other. Returns the exit code. */
static int summarise_apart(const char *db, const char *report)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *out = fopen("/dev/null", "w");
        _exit(batch_summary(db, out, report));
    }
    int status = 0;
    assert_true(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* The textbook mean and "mean ± half" in fmt, x scaled. */
static void expect_cell(const double *x, int n, const char *fmt, char *buf, size_t size)
{
    static const double t975[] = {NAN, 12.706, 4.303};
    double sum = 0, ss = 0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    double m = sum / n;
    for (int i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    double half = t975[n - 1] * sqrt(ss / (n - 1)) / sqrt(n);
    char a[40], b[40];
    snprintf(a, sizeof a, fmt, m);
    snprintf(b, sizeof b, fmt, half);
    snprintf(buf, size, "%s \u00b1 %s", a, b);
}

/* The table's line of a stage at a point. */
static const char *line_of(const char *text, const char *stage, const char *point, char *line, size_t size)
{
    for (const char *p = text; *p;) {
        size_t len = strcspn(p, "\n");
        snprintf(line, size, "%.*s", (int)len, p);
        char want[64];
        snprintf(want, sizeof want, " %s ", point);
        if (!strncmp(line, stage, strlen(stage)) && strstr(line, want))
            return line;
        p += len + (p[len] == '\n');
    }
    fail_msg("no line for %s %s in:\n%s", stage, point, text);
    return NULL;
}

static void table_holds_the_textbook_means_and_intervals(void **st)
{
    fixture *f = *st;
    make_sweep(f->db);
    int rc;
    char *text = summarise(f->db, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(text, "ups-minutes: 18 of 18 runs (1 failed)"));
    assert_non_null(strstr(text, "failed: run 17 (unit, ups=10m) crashed: killed by signal 9"));
    for (int s = 0; s < NS; s++)
        for (int u = 0; u < NU; u++) {
            double a[NK], r[NK], l[NK], p[NK];
            int n = 0, nr = 0, unrec = 0;
            for (int k = 0; k < NK; k++) {
                if (crashed(s, u, k))
                    continue;
                a[n] = avail(s, u, k) * 100;
                l[n] = lost(s, u, k);
                p[n++] = p99(s, u, k) * 1000;
                if (unrecovered(s, u, k))
                    unrec++;
                else
                    r[nr++] = rto(s, u, k);
            }
            char line[512], point[32], cell[128];
            snprintf(point, sizeof point, "ups=%s", ups_text[u]);
            line_of(text, stages[s], point, line, sizeof line);
            expect_cell(a, n, "%.4f%%", cell, sizeof cell);
            assert_non_null(strstr(line, cell));
            expect_cell(r, nr, "%.1f s", cell, sizeof cell);
            assert_non_null(strstr(line, cell));
            expect_cell(l, n, "%.1f", cell, sizeof cell);
            assert_non_null(strstr(line, cell));
            expect_cell(p, n, "%.1f ms", cell, sizeof cell);
            assert_non_null(strstr(line, cell));
            snprintf(cell, sizeof cell, "%d of %d not recovered", unrec, n);
            assert_non_null(strstr(line, cell));
            int ok = -1, failed = -1; /* the two columns after the point */
            assert_int_equal(sscanf(strstr(line, point) + strlen(point), "%d %d", &ok, &failed), 2);
            assert_int_equal(ok, n);
            assert_int_equal(failed, NK - n);
        }
    /* The worked case: mature at 5m, seed 2 never recovered. */
    char line[512];
    line_of(text, "mature", "ups=5m", line, sizeof line);
    assert_non_null(strstr(line, "1 of 3 not recovered"));
    free(text);
}

static int is_png(const char *path)
{
    static const unsigned char sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    unsigned char head[24];
    FILE *fp = fopen(path, "rb");
    size_t n = fp ? fread(head, 1, sizeof head, fp) : 0;
    if (fp)
        fclose(fp);
    uint32_t w = (uint32_t)head[16] << 24 | (uint32_t)head[17] << 16 | (uint32_t)head[18] << 8 | head[19];
    return n == sizeof head && !memcmp(head, sig, sizeof sig) && w >= 400;
}

static char *slurp(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    *size = 0;
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *p = calloc(1, (size_t)n + 1);
    *size = fread(p, 1, (size_t)n, fp);
    fclose(fp);
    return p;
}

static int is_svg(const char *path)
{
    size_t n;
    char *p = slurp(path, &n);
    int ok = p && !strncmp(p, "<?xml", 5) && strstr(p, "<svg") && n > 8 && !strcmp(p + n - 7, "</svg>\n");
    free(p);
    return ok;
}

static int same_bytes(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    char *pa = slurp(a, &na), *pb = slurp(b, &nb);
    int same = pa && pb && na == nb && !memcmp(pa, pb, na);
    free(pa);
    free(pb);
    return same;
}

static const char *const files[] = {
    "summary.html", "charts/availability-vs-ups.png", "charts/availability-vs-ups.svg", "charts/rto-vs-ups.png",
    "charts/rto-vs-ups.svg", "charts/lost_writes-vs-ups.png", "charts/lost_writes-vs-ups.svg",
    "charts/p99-vs-ups.png", "charts/p99-vs-ups.svg"};

static void report_has_valid_charts_and_same_bytes_twice(void **st)
{
    fixture *f = *st;
    make_sweep(f->db);
    char one[128], two[128], a[256], b[256];
    snprintf(one, sizeof one, "%s/one", f->dir);
    snprintf(two, sizeof two, "%s/two", f->dir);
    int rc;
    assert_int_equal(summarise_apart(f->db, one), 0);
    assert_int_equal(summarise_apart(f->db, two), 0);
    char *text = summarise(f->db, two, &rc); /* again over the same files: the same bytes as the first */
    assert_int_equal(rc, 0);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(a, sizeof a, "%s/%s", one, files[i]);
        snprintf(b, sizeof b, "%s/%s", two, files[i]);
        if (strstr(a, ".png"))
            assert_true(is_png(a));
        if (strstr(a, ".svg"))
            assert_true(is_svg(a));
        if (!same_bytes(a, b))
            fail_msg("%s differs between two summaries", files[i]);
    }
    /* The HTML holds the table's cells and the charts inline. */
    size_t n;
    snprintf(a, sizeof a, "%s/summary.html", one);
    char *html = slurp(a, &n), line[512];
    line_of(text, "mature", "ups=5m", line, sizeof line);
    assert_non_null(strstr(html, "1 of 3 not recovered"));
    char *pct = strstr(line, "%");
    *pct = 0; /* the availability's mean, as printed */
    assert_non_null(strstr(html, strrchr(line, ' ') + 1));
    assert_non_null(strstr(html, "<figure id=\"p99-vs-ups\">\n<svg"));
    assert_null(strstr(html, "<script"));
    free(html);
    free(text);
}

/* Text values (or two parameters, one line per stage and other value, or
 * averaged past six lines) still give a chart per measure. */
static void other_layouts_give_charts(void **st)
{
    fixture *f = *st;
    sqlite3 *db = new_db(f->db, "regions", 12, "region TEXT", "region");
    static const char *const region[] = {"east", "west", "north"};
    for (int run = 0; run < 12; run++) {
        char point[32], param[32];
        snprintf(point, sizeof point, "region=%s", region[run / 2 % 3]);
        snprintf(param, sizeof param, "'%s'", region[run / 2 % 3]);
        put(db, run, stages[run / 6], run, point, "region", param, "ok", 0.99 + run * 1e-4, 30 + run, 0, run, 0.1);
    }
    sqlite3_close(db);
    int rc;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/regions", f->dir);
    free(summarise(f->db, dir, &rc));
    assert_int_equal(rc, 0);
    assert_true(is_png(at(f, "regions/charts/availability-by-point.png")));
    assert_true(is_svg(at(f, "regions/charts/p99-by-point.svg")));

    for (int users = 3; users <= 4; users++) { /* 2 x 3 lines apart; 2 x 4 averaged */
        char path[160];
        snprintf(path, sizeof path, "%s/two-%d.sqlite", f->dir, users);
        db = new_db(path, "ups-users", 2 * 3 * users * 2, "ups REAL, users REAL", "ups,users");
        int run = 0;
        for (int s = 0; s < 2; s++)
            for (int u = 0; u < 3; u++)
                for (int m = 0; m < users; m++)
                    for (int k = 0; k < 2; k++) {
                        char point[64], param[64];
                        snprintf(point, sizeof point, "ups=%s users=%dM", ups_text[u], 10 * (m + 1));
                        snprintf(param, sizeof param, "%g, %g", ups_s[u], 1e7 * (m + 1));
                        put(db, run++, stages[s], k, point, "ups, users", param, "ok", avail(s, u, k) - m * 1e-4, rto(s, u, k) + m * 10,
                            0, lost(s, u, k) * (m + 1), p99(s, u, k));
                    }
        sqlite3_close(db);
        snprintf(dir, sizeof dir, "%s/two-%d", f->dir, users);
        free(summarise(path, dir, &rc));
        assert_int_equal(rc, 0);
        assert_true(is_png(at(f, users == 3 ? "two-3/charts/availability-vs-ups.png" : "two-4/charts/rto-vs-users.png")));
    }
}

static void bad_databases_exit_2_and_unwritable_reports_1(void **st)
{
    fixture *f = *st;
    int rc;
    free(summarise(at(f, "none.sqlite"), NULL, &rc));
    assert_int_equal(rc, 2);
    FILE *fp = fopen(at(f, "text.sqlite"), "w");
    fputs("not a database, just text long enough to have a header of sorts\n", fp);
    fclose(fp);
    free(summarise(f->path, NULL, &rc));
    assert_int_equal(rc, 2);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(at(f, "other.sqlite"), &db), SQLITE_OK);
    exec(db, "CREATE TABLE t(x)");
    sqlite3_close(db);
    free(summarise(f->path, NULL, &rc));
    assert_int_equal(rc, 2);
    free(summarise(f->dir, NULL, &rc)); /* a directory */
    assert_int_equal(rc, 2);

    make_sweep(f->db);
    char report[160];
    snprintf(report, sizeof report, "%s/runs.sqlite/report", f->dir); /* under a file: cannot be made */
    free(summarise(f->db, report, &rc));
    assert_int_equal(rc, 1);
}

/* Allocations of ours failed in turn: exit 1 with a message, nothing
 * leaked (the sanitizer pass checks), never a crash. Every one of the
 * table's; the report's (each of which draws every chart) by a stride
 * that keeps the test quick yet reaches each of its stages. */
static void out_of_memory_exits_1(void **st)
{
    fixture *f = *st;
    make_sweep(f->db);
    FILE *null = fopen("/dev/null", "w");
    char report[160];
    snprintf(report, sizeof report, "%s/report", f->dir);
    for (int with_report = 0; with_report <= 1; with_report++) {
        const char *dir = with_report ? report : NULL;
        long before = sim_alloc_count();
        assert_int_equal(batch_summary(f->db, null, dir), 0);
        long n = sim_alloc_count() - before, stride = with_report ? n / 8 + 1 : 1; /* each report syncs nine files */
        for (long nth = 1; nth <= n; nth += stride) {
            sim_alloc_fail_at(nth);
            int rc = batch_summary(f->db, null, dir);
            sim_alloc_fail_at(0);
            if (rc != 0 && rc != 1)
                fail_msg("allocation %ld of %ld failed: exit %d", nth, n, rc);
        }
    }
    fclose(null);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(table_holds_the_textbook_means_and_intervals, setup, teardown),
        cmocka_unit_test_setup_teardown(report_has_valid_charts_and_same_bytes_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(other_layouts_give_charts, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_databases_exit_2_and_unwritable_reports_1, setup, teardown),
        cmocka_unit_test_setup_teardown(out_of_memory_exits_1, setup, teardown),
    };
    return cmocka_run_group_tests_name("batch_summary", tests, NULL, NULL);
}
