/* output.c -- what a run leaves in results/<scenario>/<stage>/:
 * summary.json, timeseries.csv, events.csv and meta.json, each written
 * under a temporary name and renamed into place. Everything that may
 * differ between two runs of the same inputs (wall time, host, command
 * line) is in meta.json and nowhere else. results/README.md documents
 * every file and column. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg_value.h"
#include "sim_file.h"
#include "sim_rng.h"
#include "sim_status.h"
#include "world_events.h"
#include "world_int.h"

#define SCHEMA_VERSION 1

/* ==== JSON ==== */

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void json_number(FILE *f, double v)
{
    char buf[64];
    if (!isfinite(v))
        fputs("null", f);
    else
        fputs(cfg_format_real(v, buf, sizeof buf), f);
}

static void key(FILE *f, int indent, const char *k, int *first)
{
    fprintf(f, "%s\n%*s", *first ? "" : ",", indent, "");
    json_string(f, k);
    fputs(": ", f);
    *first = 0;
}

static void kv_num(FILE *f, int indent, const char *k, double v, int *first)
{
    key(f, indent, k, first);
    json_number(f, v);
}

static void kv_str(FILE *f, int indent, const char *k, const char *v, int *first)
{
    key(f, indent, k, first);
    json_string(f, v);
}

/* ==== The time series stream ==== */

int world_series_open(w_world *w)
{
    w->csv = tmpfile();
    if (!w->csv)
        return SIM_EIO;
    fputs("time,clock,unit,type,measure,value\n", w->csv);
    return SIM_OK;
}

/* ==== Files ==== */

static int publish_copy(FILE *src, const char *path)
{
    sim_file sf;
    if (sim_file_open(&sf, path))
        return SIM_EIO;
    rewind(src);
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, src)) > 0)
        if (fwrite(buf, 1, n, sf.f) != n) {
            sim_file_abort(&sf);
            return SIM_EIO;
        }
    return sim_file_commit(&sf);
}

static void write_summary(w_world *w, FILE *f)
{
    mdl_headline h;
    mdl_world_headline(w, &h);
    int first = 1, sub;
    char clock[SIM_TIME_TEXT_MAX];
    fputc('{', f);
    kv_num(f, 2, "schema_version", SCHEMA_VERSION, &first);
    kv_str(f, 2, "scenario", w->sc->name, &first);
    kv_str(f, 2, "stage", w->st->name, &first);
    kv_num(f, 2, "seed", (double)w->seed, &first);
    kv_num(f, 2, "scale", w->scale, &first);
    world_clock(w, w->warmup, clock, sizeof clock);
    kv_str(f, 2, "measured_from", clock, &first);
    world_clock(w, w->end, clock, sizeof clock);
    kv_str(f, 2, "measured_to", clock, &first);
    kv_num(f, 2, "duration_s", sim_time_to_seconds(w->sc->duration), &first);
    kv_num(f, 2, "warmup_s", sim_time_to_seconds(w->warmup), &first);

    key(f, 2, "requests", &first);
    fputc('{', f);
    sub = 1;
    kv_num(f, 4, "offered", h.offered, &sub);
    kv_num(f, 4, "succeeded", h.succeeded, &sub);
    kv_num(f, 4, "failed", h.failed, &sub);
    kv_num(f, 4, "retries", h.retries, &sub);
    fputs("\n  }", f);
    kv_num(f, 2, "availability", h.availability, &first);
    kv_num(f, 2, "nines", h.nines, &first);

    key(f, 2, "failures", &first);
    fputc('{', f);
    sub = 1;
    for (int i = 0; i < 9; i++)
        kv_num(f, 4, mdl_cause_names[i], h.by_cause[i], &sub);
    fputs("\n  }", f);

    key(f, 2, "latency_s", &first);
    fputc('{', f);
    sub = 1;
    kv_num(f, 4, "p50", h.p50, &sub);
    kv_num(f, 4, "p90", h.p90, &sub);
    kv_num(f, 4, "p99", h.p99, &sub);
    kv_num(f, 4, "p999", h.p999, &sub);
    fputs("\n  }", f);

    key(f, 2, "peak", &first);
    fputc('{', f);
    sub = 1;
    world_clock(w, w->peak_from, clock, sizeof clock);
    kv_str(f, 4, "busiest_minute_from", clock, &sub);
    kv_num(f, 4, "latency_p50_s", h.peak_p50, &sub);
    kv_num(f, 4, "latency_p99_s", h.peak_p99, &sub);
    kv_num(f, 4, "latency_p999_s", h.peak_p999, &sub);
    kv_num(f, 4, "served_per_s", h.peak_served, &sub);
    fputs("\n  }", f);

    key(f, 2, "users", &first);
    fputc('{', f);
    sub = 1;
    kv_num(f, 4, "population", w->sc->traffic.users, &sub);
    kv_num(f, 4, "affected", h.users_affected, &sub);
    kv_num(f, 4, "affected_share", h.users_share, &sub);
    fputs("\n  }", f);

    key(f, 2, "data", &first);
    fputc('{', f);
    sub = 1;
    kv_num(f, 4, "lost_writes", h.lost_writes, &sub);
    kv_num(f, 4, "rpo_s", h.rpo, &sub);
    kv_num(f, 4, "at_risk_writes", h.at_risk_writes, &sub);
    kv_num(f, 4, "stale_reads", h.stale_reads, &sub);
    kv_num(f, 4, "conflicting_writes", h.conflicting_writes, &sub);
    fputs("\n  }", f);

    key(f, 2, "utilisation", &first);
    fputc('{', f);
    sub = 1;
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        char name[160];
        snprintf(name, sizeof name, "%s@%s", cell->unit->def->name, cell->dc->geo->name);
        double workers = (double)cell->n_servers * cell->pool->workers;
        double ns = (double)(w->end - w->warmup);
        kv_num(f, 4, name, ns > 0 && workers > 0 ? cell->busy_total / ns / workers : 0, &sub);
    }
    fputs("\n  }", f);

    key(f, 2, "cost", &first);
    fputc('{', f);
    sub = 1;
    kv_num(f, 4, "run", h.cost, &sub);
    kv_str(f, 4, "currency", w->st->cost.currency, &sub);
    fputs("\n  }", f);
    world_summary_extra(w, f);
    fputs("\n}\n", f);
}

static void write_events(w_world *w, FILE *f)
{
    fputs("time,clock,kind,target,detail\n", f);
    for (size_t i = 0; i < world_events_count(w); i++) {
        const w_event_row *row = world_events_row(w, i);
        char clock[SIM_TIME_TEXT_MAX];
        world_clock(w, row->t, clock, sizeof clock);
        fprintf(f, "%.3f,%s,%s,\"%s\",\"", sim_time_to_seconds(row->t - w->warmup), clock, row->kind, row->target);
        for (const char *p = row->text; *p; p++)
            fputs(*p == '"' ? "\"\"" : (char[2]){*p, 0}, f);
        fputs("\"\n", f);
    }
}

/* A hash of everything the run read: the normalised config as `show`
 * prints it. */
static uint64_t inputs_hash(const w_world *w)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return 0;
    mdl_config_print(f, w->cfg);
    fclose(f);
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)buf[i];
        h *= 0x100000001b3ULL;
    }
    free(buf);
    return h;
}

static void write_meta(w_world *w, FILE *f, double wall, const char *command_line)
{
    int first = 1;
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    char hash[32];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)inputs_hash(w));
    fputc('{', f);
    kv_str(f, 2, "dcsim_version", DCSIM_VERSION_STRING, &first);
    kv_str(f, 2, "inputs_hash", hash, &first);
    kv_str(f, 2, "scenario_file", w->cfg->path, &first);
    kv_num(f, 2, "seed", (double)w->seed, &first);
    kv_num(f, 2, "scale", w->scale, &first);
    kv_num(f, 2, "wall_seconds", wall, &first);
    kv_num(f, 2, "events", (double)sim_engine_events_fired(w->e), &first);
    mdl_headline h;
    mdl_world_headline(w, &h);
    kv_num(f, 2, "events_per_request", h.events_per_request, &first);
    kv_str(f, 2, "host", host, &first);
    kv_str(f, 2, "command", command_line ? command_line : "", &first);
    key(f, 2, "warnings", &first);
    fputc('[', f);
    for (int i = 0; i < w->n_warnings; i++) {
        fputs(i ? ", " : "", f);
        json_string(f, w->warnings[i]);
    }
    fputs("]\n}\n", f);
}

typedef void writer_fn(w_world *w, FILE *f, double wall, const char *cmd);

static void summary_writer(w_world *w, FILE *f, double wall, const char *cmd) { (void)wall, (void)cmd; write_summary(w, f); }
static void events_writer(w_world *w, FILE *f, double wall, const char *cmd) { (void)wall, (void)cmd; write_events(w, f); }
static void junit_writer(w_world *w, FILE *f, double wall, const char *cmd) { (void)wall, (void)cmd; world_write_junit(w, f); }

static int publish(w_world *w, const char *dir, const char *name, writer_fn *fn, double wall,
                   const char *cmd)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sim_file sf;
    if (sim_file_open(&sf, path))
        return SIM_EIO;
    fn(w, sf.f, wall, cmd);
    return sim_file_commit(&sf);
}

int mdl_world_write(mdl_world *w, const char *dir, double wall_seconds, const char *command_line)
{
    if (sim_mkdirs(dir))
        return SIM_EIO;
    char path[4096];
    int rc = SIM_OK;
    if (w->csv) {
        fflush(w->csv);
        snprintf(path, sizeof path, "%s/timeseries.csv", dir);
        rc = publish_copy(w->csv, path);
    }
    if (!rc)
        rc = publish(w, dir, "events.csv", events_writer, wall_seconds, command_line);
    if (!rc)
        rc = publish(w, dir, "summary.json", summary_writer, wall_seconds, command_line);
    if (!rc)
        rc = publish(w, dir, "junit.xml", junit_writer, wall_seconds, command_line);
    if (!rc)
        rc = publish(w, dir, "meta.json", write_meta, wall_seconds, command_line);
    return rc;
}
