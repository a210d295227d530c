/* batch_db.c -- runs.sqlite, the one store of a batch (its tables are in
 * batch.h). Each run's row and its series are committed in a transaction
 * of their own, in WAL mode, so a batch killed at any moment (kill -9)
 * leaves whole rows only, and a resumed batch skips them. Nothing is
 * buffered. Every value is bound; the only text written into SQL is column
 * names, checked against [A-Za-z_][A-Za-z0-9_]* and double-quoted.
 * It neither runs nor summarises anything: batch.c and batch_summary.c do. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "batch.h"
#include "sim_alloc.h"

/* Workers of one batch, a merge and a reader may wait on one another's
 * write lock; a commit takes milliseconds, so 10 s means something hangs. */
#define BUSY_TIMEOUT_MS 10000
#define MAX_IDENT 64

struct batch_db {
    sqlite3 *h;
    sqlite3_stmt *put_run;    /* NULL when opened read-only */
    sqlite3_stmt *put_series; /* NULL read-only or without a series table */
    size_t n_params, n_figures;
    char **meta; /* key, value, key, value, ...: the meta table as read */
    size_t n_meta;
};

#define SERIES_COLS "\"run\",\"t\",\"offered\",\"succeeded\",\"failed\",\"p50\",\"p99\",\"lost_writes\""

/* Writes a one-line message (callers show it after "dcsim: "); returns -1. */
static int fail(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t size, const char *fmt, ...)
{
    if (!err || !size)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    for (char *p = err; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return -1;
}

/* ==== SQL text: a growing buffer; out of memory is remembered, told once ==== */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->oom || sim_grow((void **)&b->p, &b->cap, b->len + n + 1, 1)) {
        b->oom = 1;
        return;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

/* Column i of runs (i < N_COLUMNS(s)) and its declared type (NULL: none). */
#define N_COLUMNS(s) (8 + (s)->n_params + (s)->n_figures)
static const char *column(const batch_schema *s, size_t i, const char **type)
{
    static const char *const fixed[8][2] = {{"run", "INTEGER PRIMARY KEY"}, {"stage", "TEXT"}, {"seed", "INTEGER"},
                                            {"point", "TEXT"}, {"faults", "TEXT"}, {"status", "TEXT"},
                                            {"reason", "TEXT"}, {"wall_s", "REAL"}};
    size_t np = s->n_params;
    if (i < 4 || (i >= 4 + np && i < 8 + np)) {
        *type = fixed[i < 4 ? i : i - np][1];
        return fixed[i < 4 ? i : i - np][0];
    }
    *type = i < 4 + np ? NULL : "REAL"; /* a parameter has none: a number stays REAL, text TEXT */
    return i < 4 + np ? s->params[i - 4] : s->figures[i - 8 - np];
}

/* The column list of runs: names quoted, with their types when typed. */
static void sb_columns(sbuf *b, const batch_schema *s, int typed)
{
    for (size_t i = 0; i < N_COLUMNS(s); i++) {
        const char *type, *name = column(s, i, &type);
        sb_add(b, i ? ",\"" : "\"");
        sb_add(b, name);
        sb_add(b, "\"");
        if (typed && type) {
            sb_add(b, " ");
            sb_add(b, type);
        }
    }
}

/* Column names are the only text written into SQL: each must be an
 * identifier (ASCII, whatever the locale), and distinct from every other
 * (SQLite ignores their case). */
static int check_columns(const batch_schema *s, char *err, size_t en)
{
    static const char ident[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789";
    for (size_t i = 0; i < N_COLUMNS(s); i++) {
        const char *type, *name = column(s, i, &type);
        size_t n = name ? strspn(name, ident) : 0;
        if (!n || name[n] || n > MAX_IDENT || (name[0] >= '0' && name[0] <= '9'))
            return fail(err, en, "\"%s\" cannot name a column of runs (want [A-Za-z_][A-Za-z0-9_]*, at most %d)",
                        name ? name : "(null)", MAX_IDENT);
        for (size_t j = 0; j < i; j++)
            if (!strcasecmp(name, column(s, j, &type)))
                return fail(err, en, "column \"%s\" would appear twice in runs", name);
    }
    return 0;
}

/* ==== Connections ==== */

static int exec(sqlite3 *h, const char *sql) { return sqlite3_exec(h, sql, NULL, NULL, NULL); }

/* Opens path and reads its schema once: a file that is not SQLite opens
 * without complaint, and only the first read tells. */
static int connect(const char *path, int flags, sqlite3 **out, char *err, size_t en)
{
    sqlite3 *h = NULL;
    *out = NULL;
    int rc = sqlite3_open_v2(path, &h, flags, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
        rc = exec(h, "SELECT count(*) FROM sqlite_master");
    }
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_NOTADB)
            fail(err, en, "%s is not a dcsim batch database (%s)", path, sqlite3_errstr(rc));
        else
            fail(err, en, "%s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        sqlite3_close(h);
        return -1;
    }
    *out = h;
    return 0;
}

/* Switching a file to WAL needs it alone for a moment, and SQLite answers
 * SQLITE_BUSY at once rather than call the busy handler (it could
 * deadlock there); two workers opening one new file meet this, so wait. */
static int set_wal(sqlite3 *h)
{
    int rc;
    for (int waited = 0; (rc = exec(h, "PRAGMA journal_mode=WAL")) == SQLITE_BUSY && waited < BUSY_TIMEOUT_MS;
         waited += 10)
        sqlite3_sleep(10);
    return rc;
}

/* Whether schema ("main" or "shard": a constant, never input) has the
 * table, or any table at all when table is NULL. */
static int has_table(sqlite3 *h, const char *schema, const char *table)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s.sqlite_master WHERE type='table' AND (?1 IS NULL OR name=?1)", schema);
    sqlite3_stmt *st = NULL;
    int yes = sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
              sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

/* Reads meta into db->meta; a database without runs, meta or a digest is
 * not one of ours. */
static int load_meta(batch_db *db, const char *path, char *err, size_t en)
{
    if (!has_table(db->h, "main", "runs") || !has_table(db->h, "main", "meta"))
        return fail(err, en, "%s is not a dcsim batch database (no runs or meta table)", path);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, "SELECT \"key\", \"value\" FROM \"meta\"", -1, &st, NULL);
    size_t cap = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        const char *k = (const char *)sqlite3_column_text(st, 0), *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v) /* a NULL value is an absent key */
            continue;
        char *kc = NULL, *vc = NULL;
        if (sim_grow((void **)&db->meta, &cap, db->n_meta + 2, sizeof *db->meta) || !(kc = sim_strdup(k)) ||
            !(vc = sim_strdup(v))) {
            sim_free(kc);
            rc = SQLITE_NOMEM;
            break;
        }
        db->meta[db->n_meta++] = kc;
        db->meta[db->n_meta++] = vc;
    }
    if (rc != SQLITE_DONE) {
        fail(err, en, "%s: %s", path, rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db->h));
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_finalize(st);
    if (!batch_db_meta(db, "digest"))
        return fail(err, en, "%s is not a dcsim batch database (no digest in meta)", path);
    return 0;
}

/* The tables and meta of a new database, inside the caller's transaction. */
static int create_tables(sqlite3 *h, const batch_schema *s)
{
    sbuf b = {0};
    sb_add(&b, "CREATE TABLE \"meta\"(\"key\" TEXT PRIMARY KEY, \"value\" TEXT);CREATE TABLE \"runs\"(");
    sb_columns(&b, s, 1);
    sb_add(&b, ");");
    if (s->series)
        sb_add(&b, "CREATE TABLE \"series\"(\"run\" INTEGER, \"t\" REAL, \"offered\", \"succeeded\", \"failed\", "
                   "\"p50\", \"p99\", \"lost_writes\", PRIMARY KEY (\"run\", \"t\"));");
    char runs[32];
    snprintf(runs, sizeof runs, "%lld", (long long)s->runs);
    sbuf params = {0}, figures = {0};
    sb_add(&params, "");
    sb_add(&figures, "");
    for (size_t i = 0; i < s->n_params; i++)
        sb_add(&params, i ? "," : ""), sb_add(&params, s->params[i]);
    for (size_t i = 0; i < s->n_figures; i++)
        sb_add(&figures, i ? "," : ""), sb_add(&figures, s->figures[i]);
    const char *meta[][2] = {{"digest", s->digest}, {"name", s->name},        {"kind", s->kind},
                             {"runs", runs},        {"params", params.p},     {"figures", figures.p},
                             {"rank_by", s->rank_by}};
    int rc = b.oom || params.oom || figures.oom ? SQLITE_NOMEM : exec(h, b.p);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(h, "INSERT INTO \"meta\"(\"key\", \"value\") VALUES (?1, ?2)", -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof meta / sizeof meta[0]; i++) {
        if (!meta[i][1]) /* rank_by unless exploring: absent, so batch_db_meta says NULL */
            continue;
        sqlite3_bind_text(st, 1, meta[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, meta[i][1], -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st) : sqlite3_errcode(h);
    }
    sqlite3_finalize(st);
    sim_free(b.p);
    sim_free(params.p);
    sim_free(figures.p);
    return rc;
}

static int prepare_puts(batch_db *db, const batch_schema *s)
{
    sbuf b = {0};
    sb_add(&b, "INSERT OR IGNORE INTO \"runs\"(");
    sb_columns(&b, s, 0);
    sb_add(&b, ") VALUES (?");
    for (size_t i = 1; i < N_COLUMNS(s); i++)
        sb_add(&b, ",?");
    sb_add(&b, ")");
    int rc = b.oom ? SQLITE_NOMEM : sqlite3_prepare_v2(db->h, b.p, -1, &db->put_run, NULL);
    sim_free(b.p);
    if (rc == SQLITE_OK && has_table(db->h, "main", "series"))
        rc = sqlite3_prepare_v2(db->h, "INSERT OR IGNORE INTO \"series\" VALUES (?,?,?,?,?,?,?,?)", -1,
                                &db->put_series, NULL);
    return rc;
}

int batch_db_open(const char *path, const batch_schema *s, batch_db **out, char *err, size_t en)
{
    *out = NULL;
    if (!s->digest)
        return fail(err, en, "%s: the sweep has no digest", path);
    if (check_columns(s, err, en))
        return -1;
    batch_db *db = sim_calloc(1, sizeof *db);
    if (!db)
        return fail(err, en, "out of memory");
    db->n_params = s->n_params;
    db->n_figures = s->n_figures;
    if (connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db->h, err, en))
        goto bad;
    /* Checked and created under the write lock: two processes opening a
     * new file at once create it once. */
    int rc = exec(db->h, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK && !has_table(db->h, "main", "meta")) {
        /* Never add our tables to another program's database. */
        if (has_table(db->h, "main", NULL)) {
            exec(db->h, "ROLLBACK");
            fail(err, en, "%s is not a dcsim batch database (it holds other tables)", path);
            goto bad;
        }
        rc = create_tables(db->h, s);
    }
    if (rc == SQLITE_OK)
        rc = exec(db->h, "COMMIT");
    /* WAL (set once the file is known to be ours): readers (summary, a
     * curious user) never block the workers; with synchronous=NORMAL a
     * commit survives the process being killed, and power loss may take
     * the last few commits, never part of a row. */
    if (rc == SQLITE_OK)
        rc = set_wal(db->h);
    if (rc == SQLITE_OK)
        rc = exec(db->h, "PRAGMA synchronous=NORMAL");
    if (rc != SQLITE_OK) {
        fail(err, en, "%s: %s", path, rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db->h));
        if (!sqlite3_get_autocommit(db->h))
            exec(db->h, "ROLLBACK");
        goto bad;
    }
    if (load_meta(db, path, err, en))
        goto bad;
    if (strcmp(batch_db_meta(db, "digest"), s->digest)) {
        fail(err, en, "%s holds the runs of another sweep (its files or its plan changed): "
                      "use another --out, or remove it", path);
        goto bad;
    }
    if ((rc = prepare_puts(db, s)) != SQLITE_OK) {
        fail(err, en, "%s: %s", path, rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(db->h));
        goto bad;
    }
    *out = db;
    return 0;
bad:
    batch_db_close(db);
    return -1;
}

int batch_db_done(batch_db *db, unsigned char *done, int64_t n_runs, char *err, size_t en)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, "SELECT \"run\" FROM \"runs\"", -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 run = sqlite3_column_int64(st, 0);
        if (run >= 0 && run < n_runs) /* rows of runs past the plan cannot be, but never write past done */
            done[run] = 1;
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        fail(err, en, "reading runs: %s", sqlite3_errmsg(db->h));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int batch_db_forget_failed(batch_db *db, int64_t *forgotten, char *err, size_t en)
{
    /* One transaction: a kill between the two deletes leaves both or neither. */
    const char *sql = "BEGIN IMMEDIATE;"
                      "DELETE FROM \"series\" WHERE \"run\" IN (SELECT \"run\" FROM \"runs\" WHERE \"status\" != 'ok');"
                      "DELETE FROM \"runs\" WHERE \"status\" != 'ok';";
    const char *no_series = "BEGIN IMMEDIATE; DELETE FROM \"runs\" WHERE \"status\" != 'ok';";
    char *msg = NULL;
    int has_series = sqlite3_exec(db->h, "SELECT 1 FROM \"series\" LIMIT 0", NULL, NULL, NULL) == SQLITE_OK;
    if (sqlite3_exec(db->h, has_series ? sql : no_series, NULL, NULL, &msg) != SQLITE_OK) {
        fail(err, en, "forgetting the failed runs: %s", msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    *forgotten = sqlite3_changes(db->h);
    if (sqlite3_exec(db->h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        fail(err, en, "forgetting the failed runs: %s", msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

/* NAN means "not a number": NULL, said here rather than left to SQLite. */
static int bind_real(sqlite3_stmt *st, int i, double v)
{
    return isnan(v) ? sqlite3_bind_null(st, i) : sqlite3_bind_double(st, i, v);
}

static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
    return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT); /* NULL binds NULL */
}

static int bind_run(batch_db *db, const batch_result *r)
{
    sqlite3_stmt *st = db->put_run;
    int i = 1, rc = sqlite3_bind_int64(st, i++, r->run);
    rc = rc ? rc : bind_text(st, i++, r->stage);
    /* seed INTEGER is signed: a seed past 2^63 keeps its 64 bits, read back as negative. */
    rc = rc ? rc : sqlite3_bind_int64(st, i++, (sqlite3_int64)r->seed);
    rc = rc ? rc : bind_text(st, i++, r->point);
    for (size_t p = 0; p < db->n_params && !rc; p++) {
        if (r->param_value && !isnan(r->param_value[p]))
            rc = sqlite3_bind_double(st, i++, r->param_value[p]);
        else
            rc = bind_text(st, i++, r->param_text ? r->param_text[p] : NULL);
    }
    rc = rc ? rc : bind_text(st, i++, r->faults);
    rc = rc ? rc : bind_text(st, i++, r->status);
    rc = rc ? rc : bind_text(st, i++, r->reason);
    rc = rc ? rc : bind_real(st, i++, r->wall_s);
    for (size_t f = 0; f < db->n_figures && !rc; f++)
        rc = bind_real(st, i++, r->figures ? r->figures[f] : NAN);
    return rc;
}

static int put_series(batch_db *db, const batch_result *r)
{
    sqlite3_stmt *st = db->put_series;
    int rc = SQLITE_OK;
    for (size_t k = 0; k < r->n_series && rc == SQLITE_OK; k++) {
        const batch_series_point *s = &r->series[k];
        const double v[7] = {s->t, s->offered, s->succeeded, s->failed, s->p50, s->p99, s->lost_writes};
        rc = sqlite3_bind_int64(st, 1, r->run);
        for (int c = 0; c < 7 && rc == SQLITE_OK; c++)
            rc = bind_real(st, 2 + c, v[c]);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db->h);
        sqlite3_reset(st);
    }
    return rc;
}

int batch_db_put(batch_db *db, const batch_result *r, char *err, size_t en)
{
    if (!db->put_run)
        return fail(err, en, "run %lld: the database is open read-only", (long long)r->run);
    int rc = bind_run(db, r);
    /* One transaction per run: a kill leaves the row whole or absent, and
     * the lock is held for one row, so workers take turns. */
    if (rc == SQLITE_OK)
        rc = exec(db->h, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK)
        rc = sqlite3_step(db->put_run) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db->h);
    /* A run already there keeps its series too. Series are kept only
     * when the sweep asked (the table exists). */
    if (rc == SQLITE_OK && sqlite3_changes(db->h) > 0 && db->put_series)
        rc = put_series(db, r);
    if (rc == SQLITE_OK)
        rc = exec(db->h, "COMMIT");
    if (rc != SQLITE_OK)
        fail(err, en, "storing run %lld: %s", (long long)r->run, sqlite3_errmsg(db->h));
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(db->h))
        exec(db->h, "ROLLBACK");
    sqlite3_reset(db->put_run);
    sqlite3_clear_bindings(db->put_run);
    return rc == SQLITE_OK ? 0 : -1;
}

void batch_db_close(batch_db *db)
{
    if (!db)
        return;
    sqlite3_finalize(db->put_run);
    sqlite3_finalize(db->put_series);
    sqlite3_close(db->h); /* the last writer out folds the WAL back into the file */
    for (size_t i = 0; i < db->n_meta; i++)
        sim_free(db->meta[i]);
    sim_free(db->meta);
    sim_free(db);
}

batch_db *batch_db_open_existing(const char *path, char *err, size_t en)
{
    batch_db *db = sim_calloc(1, sizeof *db);
    if (!db) {
        fail(err, en, "out of memory");
        return NULL;
    }
    if (connect(path, SQLITE_OPEN_READONLY, &db->h, err, en) || load_meta(db, path, err, en)) {
        batch_db_close(db);
        return NULL;
    }
    return db;
}

const char *batch_db_meta(batch_db *db, const char *key)
{
    for (size_t i = 0; i + 1 < db->n_meta; i += 2)
        if (!strcmp(db->meta[i], key))
            return db->meta[i + 1];
    return NULL;
}

struct sqlite3 *batch_db_handle(batch_db *db) { return db->h; }

/* ==== Merge ==== */

/* Splits a comma-separated meta value in place; "" has no items. */
static const char **split(char *s, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    const char **items = sim_malloc(cap * sizeof *items);
    *n = 0;
    if (!items || !*s)
        return items;
    for (char *tok = s;; tok++) {
        items[(*n)++] = tok;
        if (!(tok = strchr(tok, ',')))
            break;
        *tok = '\0';
    }
    return items;
}

/* Copies one attached shard into main, in one transaction. */
static int merge_one(batch_db *into, const char *shard, const char *cols, FILE *report, char *err, size_t en)
{
    sqlite3 *h = into->h;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, "ATTACH DATABASE ?1 AS \"shard\"", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_bind_text(st, 1, shard, -1, SQLITE_STATIC)) == SQLITE_OK)
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(h);
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_OK)
        return fail(err, en, "%s: %s", shard, sqlite3_errmsg(h));
    sqlite3_int64 total = 0, added = 0;
    sbuf b = {0};
    sb_add(&b, "INSERT OR IGNORE INTO main.\"runs\"(");
    sb_add(&b, cols);
    sb_add(&b, ") SELECT ");
    sb_add(&b, cols);
    sb_add(&b, " FROM \"shard\".\"runs\"");
    rc = b.oom ? SQLITE_NOMEM : exec(h, "BEGIN IMMEDIATE");
    if (rc == SQLITE_OK && (rc = sqlite3_prepare_v2(h, "SELECT count(*) FROM \"shard\".\"runs\"", -1, &st, NULL)) ==
                               SQLITE_OK)
        rc = sqlite3_step(st) == SQLITE_ROW ? (total = sqlite3_column_int64(st, 0), SQLITE_OK) : sqlite3_errcode(h);
    sqlite3_finalize(st);
    if (rc == SQLITE_OK && (rc = exec(h, b.p)) == SQLITE_OK)
        added = sqlite3_changes(h);
    if (rc == SQLITE_OK && has_table(h, "shard", "series") && has_table(h, "main", "series"))
        rc = exec(h, "INSERT OR IGNORE INTO main.\"series\"(" SERIES_COLS ") SELECT " SERIES_COLS
                     " FROM \"shard\".\"series\"");
    if (rc == SQLITE_OK)
        rc = exec(h, "COMMIT");
    if (rc != SQLITE_OK) {
        fail(err, en, "merging %s: %s", shard, rc == SQLITE_NOMEM ? "out of memory" : sqlite3_errmsg(h));
        if (!sqlite3_get_autocommit(h))
            exec(h, "ROLLBACK");
    }
    sim_free(b.p);
    exec(h, "DETACH DATABASE \"shard\"");
    if (rc == SQLITE_OK && report)
        fprintf(report, "merged %lld runs from %s (%lld already there)\n", (long long)added, shard,
                (long long)(total - added));
    return rc == SQLITE_OK ? 0 : -1;
}

int batch_db_merge(const char *into, const char *const *shards, size_t n, FILE *report, char *err, size_t en)
{
    if (n == 0)
        return fail(err, en, "no shard to merge");
    batch_db *first = batch_db_open_existing(shards[0], err, en), *dst = NULL;
    if (!first)
        return -1;
    /* Every shard is checked before anything is written: a stray one
     * leaves `into` as it was. */
    const char *digest = batch_db_meta(first, "digest");
    for (size_t i = 1; i < n; i++) {
        batch_db *o = batch_db_open_existing(shards[i], err, en);
        int same = o && !strcmp(batch_db_meta(o, "digest"), digest);
        if (o && !same)
            fail(err, en, "%s holds the runs of another sweep than %s: merge the shards of one batch only", shards[i],
                 shards[0]);
        batch_db_close(o);
        if (!same) {
            batch_db_close(first);
            return -1;
        }
    }
    /* `into` gets the first shard's schema, rebuilt from its meta, so a
     * merged file is one batch_db_open would have made. */
    const char *pm = batch_db_meta(first, "params"), *fm = batch_db_meta(first, "figures");
    const char *rm = batch_db_meta(first, "runs");
    char *ptext = sim_strdup(pm ? pm : ""), *ftext = sim_strdup(fm ? fm : "");
    batch_schema s = {.digest = digest,
                      .name = batch_db_meta(first, "name"),
                      .kind = batch_db_meta(first, "kind"),
                      .runs = rm ? strtoll(rm, NULL, 10) : 0,
                      .rank_by = batch_db_meta(first, "rank_by"),
                      .series = has_table(first->h, "main", "series")};
    const char **params = ptext ? split(ptext, &s.n_params) : NULL;
    const char **figures = ftext ? split(ftext, &s.n_figures) : NULL;
    s.params = params;
    s.figures = figures;
    int rc = params && figures ? batch_db_open(into, &s, &dst, err, en) : fail(err, en, "out of memory");
    /* Closed before the shards are attached: the last connection to a WAL
     * file out folds and removes its -wal and -shm. */
    batch_db_close(first);
    sbuf cols = {0};
    if (rc == 0) {
        sb_columns(&cols, &s, 0);
        if (cols.oom)
            rc = fail(err, en, "out of memory");
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = merge_one(dst, shards[i], cols.p, report, err, en);
    sim_free(cols.p);
    batch_db_close(dst);
    sim_free(params);
    sim_free(figures);
    sim_free(ptext);
    sim_free(ftext);
    return rc;
}

/* ==== Export and check ==== */

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its
 * quotes doubled. */
static void csv_field(FILE *out, const char *s, size_t len)
{
    if (!s || (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) && !memchr(s, '\r', len))) {
        fwrite(s ? s : "", 1, s ? len : 0, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

int batch_db_export_csv(const char *path, FILE *out, char *err, size_t en)
{
    batch_db *db = batch_db_open_existing(path, err, en);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, "SELECT * FROM \"runs\" ORDER BY \"run\"", -1, &st, NULL);
    int nc = rc == SQLITE_OK ? sqlite3_column_count(st) : 0;
    for (int c = 0; c < nc; c++) {
        const char *name = sqlite3_column_name(st, c);
        if (c)
            fputc(',', out);
        csv_field(out, name, name ? strlen(name) : 0);
    }
    if (rc == SQLITE_OK)
        fputs("\r\n", out); /* RFC 4180's line break */
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        for (int c = 0; c < nc; c++) {
            if (c)
                fputc(',', out);
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_NULL:
                break;
            case SQLITE_INTEGER:
                fprintf(out, "%lld", (long long)sqlite3_column_int64(st, c));
                break;
            case SQLITE_FLOAT: /* 17 digits: read back, the same double */
                fprintf(out, "%.17g", sqlite3_column_double(st, c));
                break;
            default: /* text; a blob cannot be put there, but is written as its bytes */
                csv_field(out, (const char *)sqlite3_column_text(st, c), (size_t)sqlite3_column_bytes(st, c));
            }
        }
        fputs("\r\n", out);
    }
    if (rc != SQLITE_DONE)
        fail(err, en, "%s: %s", path, sqlite3_errmsg(db->h));
    sqlite3_finalize(st);
    batch_db_close(db);
    if (rc == SQLITE_DONE && (fflush(out) || ferror(out)))
        return fail(err, en, "writing the CSV of %s failed", path);
    return rc == SQLITE_DONE ? 0 : -1;
}

int batch_db_check(const char *path, char *err, size_t en)
{
    sqlite3 *h = NULL;
    if (connect(path, SQLITE_OPEN_READONLY, &h, err, en))
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *first = (const char *)sqlite3_column_text(st, 0);
        rc = first && !strcmp(first, "ok") ? 0 : fail(err, en, "%s: integrity check: %s", path, first ? first : "?");
    } else {
        rc = fail(err, en, "%s: integrity check: %s", path, sqlite3_errmsg(h));
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return rc;
}
