/* test_batch_db.c -- runs.sqlite (sim/app/batch_db.c): the tables and meta
 * a new file gets; a run stored once, whatever is put again; NAN as NULL;
 * a file of another sweep, or no database at all, refused untouched;
 * shards merged into their union; the CSV export's quoting; rows that
 * survive a writer killed with SIGKILL; two writers on one file. Files
 * live in a mkdtemp directory, removed after each test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "batch.h"
#include "sim_alloc.h"

typedef struct fixture {
    char dir[64];
    char path[128]; /* scratch: the last file named by at() */
    const char *figures[BATCH_MAX_FIGURES];
    const char *params[2];
    batch_schema s;
    char err[512];
} fixture;

static int setup(void **st)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_batch_db.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->params[0] = "ups";
    f->params[1] = "users";
    f->s = (batch_schema){.digest = "d1", .name = "ups-sweep", .kind = "sweep", .runs = 10,
                          .params = f->params, .n_params = 2, .figures = f->figures,
                          .n_figures = batch_figure_names(f->figures), .series = 1};
    *st = f;
    return 0;
}

static int teardown(void **st)
{
    fixture *f = *st;
    DIR *d = opendir(f->dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        char p[400];
        snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(f->dir);
    free(f);
    return 0;
}

static const char *at(fixture *f, const char *name)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    return f->path;
}

/* A run's row: figures[i] = run + i, param ups in seconds, users as text. */
typedef struct row {
    double figures[BATCH_MAX_FIGURES], values[2];
    const char *texts[2];
    batch_series_point series[2];
    batch_result r;
} row;

static void make_row(row *w, int64_t run, const char *status)
{
    memset(w, 0, sizeof *w);
    for (int i = 0; i < BATCH_MAX_FIGURES; i++)
        w->figures[i] = (double)run + i;
    w->texts[0] = "5m";
    w->texts[1] = "100M";
    w->values[0] = 300;
    w->values[1] = NAN;
    w->series[0] = (batch_series_point){.t = 0, .offered = 10, .succeeded = 9, .failed = 1};
    w->series[1] = (batch_series_point){.t = 10, .offered = 20, .succeeded = 20, .p99 = NAN};
    w->r = (batch_result){.run = run, .stage = "pure", .seed = 1000 + (uint64_t)run, .point = "ups=5m users=100M",
                          .param_text = w->texts, .param_value = w->values, .status = status,
                          .reason = strcmp(status, "ok") ? "why" : NULL, .wall_s = 0.25,
                          .figures = w->figures, .series = w->series, .n_series = 2};
}

static void put_runs(fixture *f, const char *file, int64_t from, int64_t to, const char *status)
{
    batch_db *db = NULL;
    assert_int_equal(batch_db_open(at(f, file), &f->s, &db, f->err, sizeof f->err), 0);
    row w;
    for (int64_t run = from; run < to; run++) {
        make_row(&w, run, status);
        assert_int_equal(batch_db_put(db, &w.r, f->err, sizeof f->err), 0);
    }
    batch_db_close(db);
}

static long long query_int(batch_db *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(batch_db_handle(db), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static batch_db *reopen(fixture *f, const char *file)
{
    batch_db *db = batch_db_open_existing(at(f, file), f->err, sizeof f->err);
    assert_non_null(db);
    return db;
}

static void open_creates_tables_and_meta(void **st)
{
    fixture *f = *st;
    put_runs(f, "a.sqlite", 0, 0, "ok");
    batch_db *db = reopen(f, "a.sqlite");
    assert_string_equal(batch_db_meta(db, "digest"), "d1");
    assert_string_equal(batch_db_meta(db, "name"), "ups-sweep");
    assert_string_equal(batch_db_meta(db, "kind"), "sweep");
    assert_string_equal(batch_db_meta(db, "runs"), "10");
    assert_string_equal(batch_db_meta(db, "params"), "ups,users");
    assert_memory_equal(batch_db_meta(db, "figures"), "availability,nines,", 19);
    assert_null(batch_db_meta(db, "rank_by"));
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('runs','meta','series')"), 3);
    /* run, stage, seed, point, 2 params, faults, status, reason, wall_s, figures */
    assert_int_equal(query_int(db, "SELECT count(*) FROM pragma_table_info('runs')"), 10 + (long long)f->s.n_figures);
    assert_int_equal(query_int(db, "SELECT cid FROM pragma_table_info('runs') WHERE name='faults'"), 6);
    assert_int_equal(query_int(db, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'"), 1);
    batch_db_close(db);
    /* Without series: no series table. */
    f->s.series = 0;
    put_runs(f, "b.sqlite", 0, 1, "ok");
    db = reopen(f, "b.sqlite");
    assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name='series'"), 0);
    batch_db_close(db);
}

static void put_then_done_marks_only_stored_runs(void **st)
{
    fixture *f = *st;
    put_runs(f, "a.sqlite", 3, 4, "ok");
    put_runs(f, "a.sqlite", 7, 8, "failed");
    batch_db *db = NULL;
    assert_int_equal(batch_db_open(at(f, "a.sqlite"), &f->s, &db, f->err, sizeof f->err), 0);
    unsigned char done[10] = {0};
    assert_int_equal(batch_db_done(db, done, 10, f->err, sizeof f->err), 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(done[i], i == 3 || i == 7);
    batch_db_close(db);
}

static void a_run_put_twice_keeps_its_first_row(void **st)
{
    fixture *f = *st;
    put_runs(f, "a.sqlite", 1, 2, "ok");
    put_runs(f, "a.sqlite", 1, 2, "failed");
    batch_db *db = reopen(f, "a.sqlite");
    assert_int_equal(query_int(db, "SELECT count(*) FROM runs"), 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM runs WHERE status='ok' AND reason IS NULL"), 1);
    assert_int_equal(query_int(db, "SELECT count(*) FROM series WHERE run=1"), 2);
    batch_db_close(db);
}

static void nan_is_null_and_a_text_param_stays_text(void **st)
{
    fixture *f = *st;
    batch_db *db = NULL;
    assert_int_equal(batch_db_open(at(f, "a.sqlite"), &f->s, &db, f->err, sizeof f->err), 0);
    row w;
    make_row(&w, 0, "failed");
    w.figures[BATCH_rto_s] = NAN;
    assert_int_equal(batch_db_put(db, &w.r, f->err, sizeof f->err), 0);
    batch_db_close(db);
    db = reopen(f, "a.sqlite");
    assert_int_equal(query_int(db, "SELECT rto_s IS NULL FROM runs"), 1);
    assert_int_equal(query_int(db, "SELECT typeof(availability)='real' AND availability=0 FROM runs"), 1);
    assert_int_equal(query_int(db, "SELECT typeof(ups)='real' AND ups=300 FROM runs"), 1);
    assert_int_equal(query_int(db, "SELECT typeof(users)='text' AND users='100M' FROM runs"), 1);
    assert_int_equal(query_int(db, "SELECT seed FROM runs"), 1000);
    assert_int_equal(query_int(db, "SELECT count(*) FROM series WHERE t=10 AND p99 IS NULL"), 1);
    batch_db_close(db);
}

static void another_digest_is_refused(void **st)
{
    fixture *f = *st;
    put_runs(f, "a.sqlite", 0, 2, "ok");
    f->s.digest = "d2";
    batch_db *db = NULL;
    assert_int_equal(batch_db_open(at(f, "a.sqlite"), &f->s, &db, f->err, sizeof f->err), -1);
    assert_null(db);
    char want[300];
    snprintf(want, sizeof want,
             "%s holds the runs of another sweep (its files or its plan changed): use another --out, or remove it",
             f->path);
    assert_string_equal(f->err, want);
}

static void merge_gives_the_union_once(void **st)
{
    fixture *f = *st;
    put_runs(f, "a.sqlite", 0, 5, "ok");
    put_runs(f, "b.sqlite", 3, 8, "failed"); /* 3 and 4 in both: a's rows stay */
    char a[128], b[128], into[128];
    snprintf(a, sizeof a, "%s", at(f, "a.sqlite"));
    snprintf(b, sizeof b, "%s", at(f, "b.sqlite"));
    snprintf(into, sizeof into, "%s", at(f, "all.sqlite"));
    const char *shards[] = {a, b};
    char *text = NULL;
    size_t len = 0;
    FILE *report = open_memstream(&text, &len);
    assert_int_equal(batch_db_merge(into, shards, 2, report, f->err, sizeof f->err), 0);
    fclose(report);
    char want[600];
    snprintf(want, sizeof want, "merged 5 runs from %s (0 already there)\nmerged 3 runs from %s (2 already there)\n", a,
             b);
    assert_string_equal(text, want);
    free(text);
    /* Again: nothing new. */
    assert_int_equal(batch_db_merge(into, shards, 2, NULL, f->err, sizeof f->err), 0);
    batch_db *db = reopen(f, "all.sqlite");
    assert_string_equal(batch_db_meta(db, "digest"), "d1");
    assert_string_equal(batch_db_meta(db, "params"), "ups,users");
    assert_int_equal(query_int(db, "SELECT count(*) FROM runs"), 8);
    assert_int_equal(query_int(db, "SELECT count(DISTINCT run) FROM runs WHERE run BETWEEN 0 AND 7"), 8);
    assert_int_equal(query_int(db, "SELECT count(*) FROM runs WHERE status='ok'"), 5);
    assert_int_equal(query_int(db, "SELECT count(*) FROM series"), 16);
    batch_db_close(db);
    assert_int_equal(batch_db_check(into, f->err, sizeof f->err), 0);
}

static void merge_refuses_a_shard_of_another_sweep(void **st)
{
    fixture *f = *st;
    put_runs(f, "a.sqlite", 0, 2, "ok");
    f->s.digest = "d2";
    put_runs(f, "b.sqlite", 2, 4, "ok");
    char a[128], b[128], into[128];
    snprintf(a, sizeof a, "%s", at(f, "a.sqlite"));
    snprintf(b, sizeof b, "%s", at(f, "b.sqlite"));
    snprintf(into, sizeof into, "%s", at(f, "all.sqlite"));
    const char *shards[] = {a, b};
    assert_int_equal(batch_db_merge(into, shards, 2, NULL, f->err, sizeof f->err), -1);
    assert_non_null(strstr(f->err, "holds the runs of another sweep"));
    assert_int_equal(access(into, F_OK), -1); /* checked before anything was written */
}

static void export_csv_quotes_and_leaves_nulls_empty(void **st)
{
    fixture *f = *st;
    f->s.n_figures = 2; /* availability, nines */
    batch_db *db = NULL;
    assert_int_equal(batch_db_open(at(f, "a.sqlite"), &f->s, &db, f->err, sizeof f->err), 0);
    row w;
    make_row(&w, 1, "failed");
    w.r.point = "ups=5m, users=\"100M\"";
    w.r.reason = "refused:\nline two";
    w.r.wall_s = 0.1;
    w.figures[1] = NAN;
    assert_int_equal(batch_db_put(db, &w.r, f->err, sizeof f->err), 0);
    make_row(&w, 0, "ok");
    assert_int_equal(batch_db_put(db, &w.r, f->err, sizeof f->err), 0);
    batch_db_close(db);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_int_equal(batch_db_export_csv(at(f, "a.sqlite"), out, f->err, sizeof f->err), 0);
    fclose(out);
    assert_string_equal(text,
                        "run,stage,seed,point,ups,users,faults,status,reason,wall_s,availability,nines\r\n"
                        "0,pure,1000,ups=5m users=100M,300,100M,,ok,,0.25,0,1\r\n"
                        "1,pure,1001,\"ups=5m, users=\"\"100M\"\"\",300,100M,,failed,\"refused:\nline two\","
                        "0.10000000000000001,1,\r\n");
    free(text);
}

static void a_file_that_is_not_a_database_is_refused(void **st)
{
    fixture *f = *st;
    const char junk[] = "run,stage\n0,pure\n this is a CSV, not SQLite; long enough to have a header's size ......"
                        "................................................................................\n";
    FILE *fp = fopen(at(f, "x.sqlite"), "wb");
    fputs(junk, fp);
    fclose(fp);
    batch_db *db = NULL;
    assert_int_equal(batch_db_open(f->path, &f->s, &db, f->err, sizeof f->err), -1);
    assert_non_null(strstr(f->err, "is not a dcsim batch database"));
    assert_null(batch_db_open_existing(f->path, f->err, sizeof f->err));
    assert_int_equal(batch_db_check(f->path, f->err, sizeof f->err), -1);
    assert_int_equal(batch_db_export_csv(f->path, stdout, f->err, sizeof f->err), -1);
    char back[sizeof junk] = {0};
    fp = fopen(f->path, "rb");
    assert_int_equal(fread(back, 1, sizeof back, fp), sizeof junk - 1);
    fclose(fp);
    assert_string_equal(back, junk);
    /* Another program's SQLite database gets no tables of ours. */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(at(f, "other.sqlite"), &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(batch_db_open(f->path, &f->s, &db, f->err, sizeof f->err), -1);
    assert_non_null(strstr(f->err, "is not a dcsim batch database"));
    assert_null(batch_db_open_existing(f->path, f->err, sizeof f->err));
    assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK); /* still in its own journal mode */
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "delete");
    sqlite3_finalize(q);
    sqlite3_close(h);
    /* And a file that is not there is not made by reading it. */
    assert_null(batch_db_open_existing(at(f, "none.sqlite"), f->err, sizeof f->err));
    assert_int_equal(access(f->path, F_OK), -1);
}

static void rows_survive_a_writer_killed_mid_batch(void **st)
{
    fixture *f = *st;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* the worker: three runs, then SIGKILL with the file open */
        batch_db *db = NULL;
        if (batch_db_open(at(f, "a.sqlite"), &f->s, &db, f->err, sizeof f->err))
            _exit(1);
        row w;
        for (int run = 0; run < 3; run++) {
            make_row(&w, run, "ok");
            if (batch_db_put(db, &w.r, f->err, sizeof f->err))
                _exit(1);
        }
        kill(getpid(), SIGKILL);
        _exit(2);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    batch_db *db = reopen(f, "a.sqlite");
    assert_int_equal(query_int(db, "SELECT count(*) FROM runs"), 3);
    batch_db_close(db);
    assert_int_equal(batch_db_check(f->path, f->err, sizeof f->err), 0);
    /* The resumed batch sees them done and adds the rest. */
    put_runs(f, "a.sqlite", 0, 10, "ok");
    db = reopen(f, "a.sqlite");
    assert_int_equal(query_int(db, "SELECT count(*) FROM runs"), 10);
    batch_db_close(db);
}

/* Two processes on one new file: both create it (once), and their runs
 * interleave, each waiting its turn for the write lock. */
static void two_writers_take_turns(void **st)
{
    fixture *f = *st;
    pid_t pid[2];
    for (int k = 0; k < 2; k++) {
        pid[k] = fork();
        assert_true(pid[k] >= 0);
        if (pid[k] == 0) {
            batch_db *db = NULL;
            row w;
            if (batch_db_open(at(f, "a.sqlite"), &f->s, &db, f->err, sizeof f->err))
                fprintf(stderr, "writer %d: %s\n", k, f->err), _exit(1);
            for (int run = k; run < 200; run += 2) {
                make_row(&w, run, "ok");
                if (batch_db_put(db, &w.r, f->err, sizeof f->err))
                    fprintf(stderr, "writer %d: %s\n", k, f->err), _exit(2);
            }
            batch_db_close(db);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int status = -1;
        assert_int_equal(waitpid(pid[k], &status, 0), pid[k]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    batch_db *db = reopen(f, "a.sqlite");
    assert_int_equal(query_int(db, "SELECT count(*) FROM runs"), 200);
    assert_int_equal(query_int(db, "SELECT count(*) FROM meta WHERE key='digest'"), 1);
    batch_db_close(db);
}

/* Out of memory at each of our allocations in turn (SQLite's own are not
 * ours to fail): a clean -1 saying so, never a crash or a leak. Stops when
 * a pass makes fewer allocations than the one set to fail. */
static void each_failed_allocation_is_a_clean_error(void **st)
{
    fixture *f = *st;
    put_runs(f, "a.sqlite", 0, 3, "ok");
    char a[128], into[128];
    snprintf(a, sizeof a, "%s", at(f, "a.sqlite"));
    const char *shards[] = {a};
    FILE *null = fopen("/dev/null", "w");
    long nth = 1, made = 0;
    for (;; nth++) {
        snprintf(into, sizeof into, "%s/m%ld.sqlite", f->dir, nth);
        batch_db *db = NULL;
        row w;
        make_row(&w, 5, "ok");
        long before = sim_alloc_count();
        sim_alloc_fail_at(nth);
        int rc = batch_db_open(a, &f->s, &db, f->err, sizeof f->err);
        rc = rc ? rc : batch_db_put(db, &w.r, f->err, sizeof f->err);
        batch_db_close(db);
        rc = rc ? rc : batch_db_merge(into, shards, 1, NULL, f->err, sizeof f->err);
        rc = rc ? rc : batch_db_export_csv(a, null, f->err, sizeof f->err);
        sim_alloc_fail_at(0);
        made = sim_alloc_count() - before;
        if (made < nth) {
            assert_int_equal(rc, 0);
            break;
        }
        assert_int_equal(rc, -1);
        assert_non_null(strstr(f->err, "out of memory"));
    }
    fclose(null);
    assert_true(nth > 20); /* the loop did go through them */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_creates_tables_and_meta, setup, teardown),
        cmocka_unit_test_setup_teardown(put_then_done_marks_only_stored_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(a_run_put_twice_keeps_its_first_row, setup, teardown),
        cmocka_unit_test_setup_teardown(nan_is_null_and_a_text_param_stays_text, setup, teardown),
        cmocka_unit_test_setup_teardown(another_digest_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_gives_the_union_once, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_refuses_a_shard_of_another_sweep, setup, teardown),
        cmocka_unit_test_setup_teardown(export_csv_quotes_and_leaves_nulls_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(a_file_that_is_not_a_database_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_survive_a_writer_killed_mid_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(two_writers_take_turns, setup, teardown),
        cmocka_unit_test_setup_teardown(each_failed_allocation_is_a_clean_error, setup, teardown),
    };
    return cmocka_run_group_tests_name("batch_db", tests, NULL, NULL);
}
