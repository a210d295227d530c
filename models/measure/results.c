/* results.c -- what a run leaves in results/<scenario>/<stage>/:
 * summary.json, timeseries.csv, events.csv, junit.xml and meta.json, each
 * written under a temporary name and renamed into place. Everything that
 * may differ between two runs of the same inputs (wall time, host, command
 * line) is in meta.json and nowhere else. results/README.md documents
 * every file and column. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg_value.h"
#include "mdl_json.h"
#include "mdl_junit.h"
#include "meas_int.h"
#include "sim_file.h"
#include "sim_hash.h"
#include "sim_status.h"
#include "world_event.h"

#define SCHEMA_VERSION 2

/* ==== summary.json ==== */

static void write_incidents(w_world *w, mdl_json *j)
{
    char clock[SIM_TIME_TEXT_MAX];
    mdl_json_kv_number(j, "seconds_below_slo", measure_seconds_below_slo(w));
    mdl_json_key(j, "incidents");
    mdl_json_array(j, 0);
    for (size_t i = 0; i < measure_incidents(w); i++) {
        mdl_incident in;
        measure_incident(w, i, &in);
        world_clock(w, in.start, clock, sizeof clock);
        mdl_json_object(j, 1);
        mdl_json_kv_string(j, "start", clock);
        mdl_json_kv_string(j, "kind", in.no_fault ? "own" : "fault");
        mdl_json_key(j, "recovered");
        mdl_json_bool(j, in.recovered);
        mdl_json_key(j, "broke_slo");
        mdl_json_bool(j, in.broke_slo);
        /* Phases that never came are null; detection and switch count
         * from the impact (negative: before users felt it). */
        mdl_json_kv_number(j, "time_to_impact_s", in.impact >= 0 ? in.impact : NAN);
        mdl_json_kv_number(j, "detect_s", in.detect);
        mdl_json_kv_number(j, "switch_s", in.switched);
        mdl_json_kv_number(j, "rto_s", in.rto);
        mdl_json_kv_string(j, "cause", in.cause >= 0 ? mdl_failure_causes[in.cause] : "");
        mdl_json_key(j, "failures_by_cause");
        mdl_json_object(j, 0);
        for (int c = 0; c < FAIL_COUNT; c++)
            mdl_json_kv_number(j, mdl_failure_causes[c], in.by_cause[c]);
        mdl_json_close(j);
        mdl_json_kv_number(j, "failed", in.failed);
        mdl_json_kv_number(j, "users_affected", in.users);
        mdl_json_kv_number(j, "unit_share_affected", in.unit_share);
        mdl_json_kv_number(j, "lost_writes", in.lost_writes);
        mdl_json_kv_number(j, "parked_writes", in.parked_writes);
        mdl_json_kv_number(j, "rpo_s", in.rpo);
        mdl_json_close(j);
    }
    mdl_json_close(j);
    mdl_verdict v[MDL_MAX_VERDICTS];
    int n = measure_verdicts(w, v, MDL_MAX_VERDICTS);
    mdl_json_key(j, "verdicts");
    mdl_json_array(j, 0);
    for (int i = 0; i < n; i++) {
        mdl_json_object(j, 1);
        mdl_json_kv_string(j, "expect", mdl_metric_names[v[i].metric]);
        mdl_json_kv_number(j, v[i].at_least ? "at_least" : "at_most", v[i].bound);
        mdl_json_kv_number(j, "value", v[i].unrecovered ? NAN : v[i].value);
        mdl_json_key(j, "pass");
        mdl_json_bool(j, v[i].pass);
        mdl_json_close(j);
    }
    mdl_json_close(j);
}

/* What this stage ran with beyond its files: the scenario's overrides,
 * its variant's settings, a sweep's parameters (mdl_applied). */
static void write_settings(w_world *w, mdl_json *j)
{
    const mdl_config *c = w->cfg;
    size_t si = 0;
    while (si < c->n_stages && c->stages[si] != w->st)
        si++;
    if (si < c->n_stages && c->stage_bases && c->stage_bases[si])
        mdl_json_kv_string(j, "variant_of", c->stage_bases[si]);
    mdl_json_key(j, "overrides");
    mdl_json_array(j, 0);
    for (size_t i = 0; si < c->n_stages && c->stage_applied && i < c->n_stage_applied[si]; i++) {
        const mdl_applied *a = &c->stage_applied[si][i];
        mdl_json_object(j, 1);
        mdl_json_kv_string(j, "key", a->key);
        mdl_json_kv_string(j, "value", a->value);
        mdl_json_kv_string(j, "from", a->from);
        mdl_json_close(j);
    }
    mdl_json_close(j);
}

static void write_summary(w_world *w, FILE *f)
{
    mdl_headline h;
    measure_headline(w, &h);
    char clock[SIM_TIME_TEXT_MAX];
    mdl_json j;
    mdl_json_open(&j, f);
    mdl_json_kv_number(&j, "schema_version", SCHEMA_VERSION);
    mdl_json_kv_string(&j, "scenario", w->sc->name);
    mdl_json_kv_string(&j, "stage", w->st->name);
    mdl_json_kv_uint(&j, "seed", w->seed);
    mdl_json_kv_number(&j, "scale", w->scale);
    world_clock(w, w->warmup, clock, sizeof clock);
    mdl_json_kv_string(&j, "measured_from", clock);
    world_clock(w, w->end, clock, sizeof clock);
    mdl_json_kv_string(&j, "measured_to", clock);
    mdl_json_kv_number(&j, "duration_s", sim_time_to_seconds(w->sc->duration));
    mdl_json_kv_number(&j, "warmup_s", sim_time_to_seconds(w->warmup));
    write_settings(w, &j);

    mdl_json_key(&j, "requests");
    mdl_json_object(&j, 0);
    mdl_json_kv_number(&j, "offered", h.offered);
    mdl_json_kv_number(&j, "succeeded", h.succeeded);
    mdl_json_kv_number(&j, "failed", h.failed);
    mdl_json_kv_number(&j, "retries", h.retries);
    mdl_json_close(&j);
    mdl_json_kv_number(&j, "availability", h.availability);
    mdl_json_kv_number(&j, "nines", h.nines);

    mdl_json_key(&j, "failures_by_cause");
    mdl_json_object(&j, 0);
    for (int i = 0; i < FAIL_COUNT; i++)
        mdl_json_kv_number(&j, mdl_failure_causes[i], h.by_cause[i]);
    mdl_json_close(&j);
    mdl_json_key(&j, "failures");
    mdl_json_object(&j, 0);
    for (int i = 0; i < CAUSE_COUNT; i++)
        mdl_json_kv_number(&j, mdl_cause_names[i], h.by_reason[i]);
    mdl_json_close(&j);

    mdl_json_key(&j, "latency_s");
    mdl_json_object(&j, 0);
    mdl_json_kv_number(&j, "p50", h.p50);
    mdl_json_kv_number(&j, "p90", h.p90);
    mdl_json_kv_number(&j, "p99", h.p99);
    mdl_json_kv_number(&j, "p999", h.p999);
    mdl_json_close(&j);

    mdl_json_key(&j, "peak");
    mdl_json_object(&j, 0);
    world_clock(w, w->measure->peak_from, clock, sizeof clock);
    mdl_json_kv_string(&j, "busiest_minute_from", clock);
    mdl_json_kv_number(&j, "latency_p50_s", h.peak_p50);
    mdl_json_kv_number(&j, "latency_p99_s", h.peak_p99);
    mdl_json_kv_number(&j, "latency_p999_s", h.peak_p999);
    mdl_json_kv_number(&j, "offered_per_s", h.peak_offered);
    mdl_json_kv_number(&j, "served_per_s", h.peak_served);
    mdl_json_kv_number(&j, "availability", h.peak_availability);
    mdl_json_close(&j);

    mdl_json_key(&j, "users");
    mdl_json_object(&j, 0);
    mdl_json_kv_number(&j, "population", w->sc->traffic.users);
    mdl_json_kv_number(&j, "affected", h.users_affected);
    mdl_json_kv_number(&j, "affected_share", h.users_share);
    mdl_json_close(&j);

    mdl_json_key(&j, "data");
    mdl_json_object(&j, 0);
    mdl_json_kv_number(&j, "promotions", h.promotions);
    mdl_json_kv_number(&j, "lost_writes", h.lost_writes);
    mdl_json_kv_number(&j, "rpo_s", h.rpo);
    mdl_json_kv_number(&j, "at_risk_writes", h.at_risk_writes);
    mdl_json_kv_number(&j, "stale_reads", h.stale_reads);
    mdl_json_kv_number(&j, "conflicting_writes", h.conflicting_writes);
    mdl_json_close(&j);

    mdl_json_key(&j, "utilisation");
    mdl_json_object(&j, 0);
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        char name[160];
        snprintf(name, sizeof name, "%s@%s", cell->unit->def->name, cell->dc->geo->name);
        double workers = (double)cell->n_servers * cell->pool->workers;
        double ns = (double)(w->end - w->warmup);
        mdl_json_kv_number(&j, name, ns > 0 && workers > 0 ? cell->busy_total / ns / workers : 0);
    }
    mdl_json_close(&j);

    mdl_json_key(&j, "cost");
    mdl_json_object(&j, 0);
    mdl_json_kv_number(&j, "run", h.cost);
    mdl_json_kv_string(&j, "currency", w->st->cost.currency);
    mdl_json_close(&j);
    write_incidents(w, &j);
    mdl_json_close(&j);
}

/* ==== events.csv ==== */

static void write_events(w_world *w, FILE *f)
{
    fputs("time,clock,kind,target,detail\n", f);
    for (size_t i = 0; i < world_events_count(w); i++) {
        const mdl_event_row *row = world_events_row(w, i);
        char clock[SIM_TIME_TEXT_MAX];
        world_clock(w, row->t, clock, sizeof clock);
        fprintf(f, "%.3f,%s,%s,\"%s\",\"", sim_time_to_seconds(row->t - w->warmup), clock,
                mdl_event_kinds[row->kind], row->target);
        for (const char *p = row->text; *p; p++)
            fputs(*p == '"' ? "\"\"" : (char[2]){*p, 0}, f);
        fputs("\"\n", f);
    }
}

/* ==== junit.xml ==== */

static void write_junit(w_world *w, FILE *f)
{
    mdl_verdict v[MDL_MAX_VERDICTS];
    int n = measure_verdicts(w, v, MDL_MAX_VERDICTS), failures = 0;
    for (int i = 0; i < n; i++)
        failures += !v[i].pass;
    char suite[256], classname[256];
    snprintf(suite, sizeof suite, "%s/%s", w->sc->name, w->st->name);
    snprintf(classname, sizeof classname, "%s.%s", w->sc->name, w->st->name);
    mdl_junit j;
    mdl_junit_open(&j, f);
    mdl_junit_suite(&j, suite, n, failures);
    for (int i = 0; i < n; i++) {
        char name[128], failure[160], num[64];
        snprintf(name, sizeof name, "%s %s %s", mdl_metric_names[v[i].metric], v[i].at_least ? "at least" : "at most",
                 v[i].bound_text);
        snprintf(failure, sizeof failure, "%s is %s", mdl_metric_names[v[i].metric],
                 v[i].unrecovered ? "not recovered by the end of the run" : cfg_format_real(v[i].value, num, sizeof num));
        mdl_junit_case(&j, classname, name, v[i].pass ? NULL : failure);
    }
    mdl_junit_close(&j);
}

/* ==== meta.json ==== */

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
    uint64_t h = sim_hash_bytes(buf, len, SIM_HASH_FNV_BASIS);
    free(buf);
    return h;
}

static void write_meta(w_world *w, FILE *f, double wall, const char *command_line)
{
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    char hash[32];
    snprintf(hash, sizeof hash, "%016llx", (unsigned long long)inputs_hash(w));
    mdl_headline h;
    measure_headline(w, &h);
    mdl_json j;
    mdl_json_open(&j, f);
    mdl_json_kv_string(&j, "dcsim_version", DCSIM_VERSION_STRING);
    mdl_json_kv_string(&j, "inputs_hash", hash);
    mdl_json_kv_string(&j, "scenario_file", w->cfg->path);
    mdl_json_kv_uint(&j, "seed", w->seed);
    mdl_json_kv_number(&j, "scale", w->scale);
    mdl_json_kv_number(&j, "wall_seconds", wall);
    mdl_json_kv_number(&j, "events", (double)sim_engine_events_fired(w->e));
    mdl_json_kv_number(&j, "events_per_request", h.events_per_request);
    mdl_json_kv_string(&j, "host", host);
    mdl_json_kv_string(&j, "command", command_line ? command_line : "");
    mdl_json_key(&j, "warnings");
    mdl_json_array(&j, 1);
    for (int i = 0; i < w->n_warnings; i++)
        mdl_json_string(&j, w->warnings[i]);
    mdl_json_close(&j);
    mdl_json_close(&j);
}

/* ==== Publishing ==== */

typedef struct writing {
    w_world *w;
    double wall;
    const char *command_line;
} writing;

typedef void writer_fn(const writing *wr, FILE *f);

static void summary_writer(const writing *wr, FILE *f) { write_summary(wr->w, f); }
static void events_writer(const writing *wr, FILE *f) { write_events(wr->w, f); }
static void junit_writer(const writing *wr, FILE *f) { write_junit(wr->w, f); }
static void meta_writer(const writing *wr, FILE *f) { write_meta(wr->w, f, wr->wall, wr->command_line); }

/* timeseries.csv was written as the run went: flushed, synced, closed. */
static int finish_series(w_world *w)
{
    struct w_measure *m = w->measure;
    if (!m->csv)
        return SIM_OK;
    int ok = !ferror(m->csv) && fflush(m->csv) == 0 && fsync(fileno(m->csv)) == 0;
    int code = ok ? 0 : errno;
    if (fclose(m->csv) != 0 && ok) {
        ok = 0;
        code = errno;
    }
    m->csv = NULL;
    if (!ok)
        sim_io_failed(m->csv_path, code);
    return ok ? SIM_OK : SIM_EIO;
}

static int publish(const writing *wr, const char *dir, const char *name, writer_fn *fn)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    sim_file sf;
    if (sim_file_open(&sf, path))
        return SIM_EIO;
    fn(wr, sf.f);
    return sim_file_commit(&sf); /* checks every write */
}

int measure_write(w_world *w, const char *dir, double wall_seconds, const char *command_line)
{
    if (sim_mkdirs(dir))
        return SIM_EIO;
    writing wr = {w, wall_seconds, command_line};
    int rc = finish_series(w);
    if (!rc)
        rc = publish(&wr, dir, "events.csv", events_writer);
    if (!rc)
        rc = publish(&wr, dir, "summary.json", summary_writer);
    if (!rc)
        rc = publish(&wr, dir, "junit.xml", junit_writer);
    if (!rc)
        rc = publish(&wr, dir, "meta.json", meta_writer);
    return rc;
}
