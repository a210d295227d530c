/* incidents.c -- what the faults cost, measured against the scenario's
 * SLO: the success ratio over a sliding window of `window`, healthy at or
 * above `ratio`. An incident opens when a fault starts (faults starting
 * before it has recovered join it) and recovers when the ratio is back
 * above the SLO and stays there for `hold`: its RTO runs from the first
 * fault's start to that moment. A run that ends first reports "not
 * recovered, > X s"; an incident that never broke the SLO has RTO 0. Each
 * incident also counts its failed requests, users and units affected,
 * detection and switch times, and lost writes with their RPO. Crossings of
 * the SLO and recoveries are events too, so the story says when users felt
 * it. Then the scenario's verdicts, into summary.json and junit.xml. */
#include <math.h>
#include <stdio.h>

#include "cfg_value.h"
#include "flt.h"
#include "mdl_check.h"
#include "sim_alloc.h"
#include "sim_file.h"

typedef struct incident {
    sim_time start, faults_end;  /* faults_end: SIM_TIME_NEVER while one is permanent */
    sim_time broke;              /* first interval below the SLO, or -1 */
    sim_time healthy_since;      /* start of the current healthy stretch, or -1 */
    sim_time recovered;          /* -1 while not */
    sim_time detect, switched;   /* first detection / switch or promotion, or -1 */
    int open;
    uint64_t failed, users, lost, parked;
    sim_time rpo;
    uint8_t *user_bits;
    uint8_t unit_hit[256];
} incident;

struct w_incidents {
    incident *list;
    size_t n, cap;
    uint64_t *succ, *fail;       /* the last `span` intervals */
    int span, at;
    sim_time below;              /* time below the SLO in the measured part */
    int below_now;               /* the last measured window was below the SLO */
};

static struct w_incidents *state(w_world *w)
{
    if (!w->incidents) {
        w->incidents = sim_calloc(1, sizeof *w->incidents);
        if (!w->incidents)
            return NULL;
        struct w_incidents *s = w->incidents;
        int span = (int)((w->sc->slo.window + w->interval - 1) / w->interval);
        s->span = span < 1 ? 1 : span;
        s->succ = sim_calloc((size_t)s->span, sizeof *s->succ);
        s->fail = sim_calloc((size_t)s->span, sizeof *s->fail);
    }
    return w->incidents;
}

static incident *open_incident(w_world *w)
{
    struct w_incidents *s = state(w);
    if (!s)
        return NULL;
    for (size_t i = s->n; i-- > 0;)
        if (s->list[i].open)
            return &s->list[i];
    return NULL;
}

void incidents_note_fault(w_world *w, sim_time start, sim_time end)
{
    struct w_incidents *s = state(w);
    if (!s)
        return;
    incident *in = open_incident(w);
    if (in) { /* overlapping before recovery: one incident */
        if (end > in->faults_end || end == SIM_TIME_NEVER)
            in->faults_end = end;
        return;
    }
    if (sim_grow((void **)&s->list, &s->cap, s->n + 1, sizeof *s->list))
        return;
    in = &s->list[s->n++];
    memset(in, 0, sizeof *in);
    in->start = start;
    in->faults_end = end;
    in->broke = in->healthy_since = in->recovered = in->detect = in->switched = -1;
    in->open = 1;
    in->user_bits = sim_calloc((size_t)(w->users / 8) + 1, 1);
}

void incidents_note_data(w_world *w, uint64_t writes, sim_time rpo, int parked)
{
    struct w_incidents *s = state(w);
    if (!s || s->n == 0)
        return;
    incident *in = open_incident(w);
    if (!in)
        in = &s->list[s->n - 1];
    if (parked) { /* at risk, not lost: no RPO unless they are lost later */
        in->parked += writes;
        return;
    }
    in->lost += writes;
    if (rpo > in->rpo)
        in->rpo = rpo;
}

void incidents_note_failure(w_world *w, const w_req *r)
{
    incident *in = open_incident(w);
    if (!in)
        return;
    in->failed++;
    if (in->user_bits) {
        uint8_t bit = (uint8_t)(1u << (r->uid & 7));
        if (!(in->user_bits[r->uid >> 3] & bit)) {
            in->user_bits[r->uid >> 3] |= bit;
            in->users++;
        }
    }
    in->unit_hit[r->unit] = 1;
}

void incidents_on_event(w_world *w, const char *kind)
{
    incident *in = w->incidents ? open_incident(w) : NULL;
    if (!in)
        return;
    sim_time now = sim_now(w->e);
    if (!strcmp(kind, "detect") && in->detect < 0)
        in->detect = now;
    if ((!strcmp(kind, "switch") || !strcmp(kind, "promote")) && in->switched < 0)
        in->switched = now;
}

void incidents_record_interval(w_world *w, sim_time start, uint64_t succeeded, uint64_t failed)
{
    struct w_incidents *s = state(w);
    if (!s || !s->succ)
        return;
    s->succ[s->at] = succeeded;
    s->fail[s->at] = failed;
    s->at = (s->at + 1) % s->span;
    uint64_t ok = 0, bad = 0;
    for (int i = 0; i < s->span; i++) {
        ok += s->succ[i];
        bad += s->fail[i];
    }
    double ratio = ok + bad ? (double)ok / (double)(ok + bad) * 100 : 100;
    int healthy = ratio >= w->sc->slo.ratio;
    sim_time end = sim_now(w->e);
    int measured = start >= w->warmup && start < w->end;
    if (!healthy && measured)
        s->below += end - start;
    /* Crossings of the SLO, so the story says when users felt it, faults
     * or not (an overloaded stage breaks it with no fault at all). */
    if (measured && healthy == s->below_now) {
        char slo[32], win[SIM_TIME_TEXT_MAX];
        snprintf(slo, sizeof slo, "%g%%", w->sc->slo.ratio);
        sim_time_format_duration(w->sc->slo.window, win, sizeof win);
        if (healthy)
            world_event(w, "slo", "SLO", "the success ratio over %s is back at or above %s", win, slo);
        else
            world_event(w, "slo", "SLO", "the success ratio over %s fell below %s (%.2f%%)", win, slo, ratio);
        s->below_now = !healthy;
    }
    incident *in = open_incident(w);
    if (!in)
        return;
    if (!healthy) {
        if (in->broke < 0)
            in->broke = start;
        in->healthy_since = -1;
        return;
    }
    if (in->healthy_since < 0)
        in->healthy_since = start;
    int faults_over = in->faults_end != SIM_TIME_NEVER && end >= in->faults_end;
    if (in->broke >= 0 && end - in->healthy_since >= w->sc->slo.hold) {
        in->recovered = in->healthy_since;
        in->open = 0;
        char hold[SIM_TIME_TEXT_MAX];
        sim_time_format_duration(w->sc->slo.hold, hold, sizeof hold);
        world_event(w, "recovered", "incident", "recovered: the SLO has held for %s; RTO %.0f s from the first fault",
                    hold, sim_time_to_seconds(in->recovered - in->start));
    } else if (in->broke < 0 && faults_over && end - in->healthy_since >= w->sc->slo.hold) {
        in->recovered = in->start; /* never broke the SLO */
        in->open = 0;
    }
}

void incidents_fini(w_world *w)
{
    struct w_incidents *s = w->incidents;
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        sim_free(s->list[i].user_bits);
    sim_free(s->list);
    sim_free(s->succ);
    sim_free(s->fail);
    sim_free(s);
    w->incidents = NULL;
}

/* ==== Results ==== */

size_t mdl_world_incidents(const mdl_world *w) { return w->incidents ? w->incidents->n : 0; }

void mdl_world_incident(const mdl_world *w, size_t i, mdl_incident *out)
{
    const incident *in = &w->incidents->list[i];
    memset(out, 0, sizeof *out);
    out->start = in->start;
    out->recovered = in->recovered >= 0;
    out->broke_slo = in->broke >= 0;
    sim_time end = w->end > in->start ? w->end : in->start;
    out->rto = in->recovered >= 0 ? sim_time_to_seconds(in->recovered - in->start) : sim_time_to_seconds(end - in->start);
    out->impact = in->broke >= 0 ? sim_time_to_seconds(in->broke - in->start) : -1;
    out->detect = in->detect >= 0 ? sim_time_to_seconds(in->detect - in->start) : -1;
    out->switched = in->switched >= 0 ? sim_time_to_seconds(in->switched - in->start) : -1;
    out->failed = (double)in->failed / w->scale;
    out->users = (double)in->users / w->scale;
    int units = 0, hit = 0;
    for (int u = 0; u < w->n_units; u++)
        if (w->units[u].kind == UNIT_RZONE) {
            units++;
            hit += in->unit_hit[u];
        }
    out->unit_share = units ? (double)hit / units : 0;
    out->lost_writes = (double)in->lost / w->scale;
    out->parked_writes = (double)in->parked / w->scale;
    out->rpo = sim_time_to_seconds(in->rpo);
}

double mdl_world_seconds_below_slo(const mdl_world *w)
{
    return w->incidents ? sim_time_to_seconds(w->incidents->below) : 0;
}

/* The value a verdict judges, in its metric's unit. */
static double verdict_value(const mdl_world *w, int metric, int *unrecovered)
{
    mdl_headline h;
    mdl_world_headline(w, &h);
    *unrecovered = 0;
    switch (metric) {
    case METRIC_AVAILABILITY: return h.availability * 100;
    case METRIC_LOST_WRITES: return (double)w->lost_writes / w->scale;
    case METRIC_RTO: {
        double worst = 0;
        for (size_t i = 0; i < mdl_world_incidents(w); i++) {
            mdl_incident in;
            mdl_world_incident(w, i, &in);
            if (!in.recovered)
                *unrecovered = 1;
            if (in.rto > worst)
                worst = in.rto;
        }
        return worst;
    }
    case METRIC_P99: return h.p99;
    case METRIC_USERS_AFFECTED: return h.users_share * 100;
    case METRIC_SECONDS_BELOW_SLO: return mdl_world_seconds_below_slo(w);
    case METRIC_STALE_READS: {
        uint64_t stale = 0;
        for (int d = 0; d < w->n_dbs; d++)
            for (int g = 0; g < w->dbs[d].n_groups; g++)
                stale += w->dbs[d].groups[g].stale_reads;
        return (double)stale / w->scale;
    }
    default: return (double)w->conflicts / w->scale;
    }
}

int mdl_world_verdicts(const mdl_world *w, mdl_verdict *out, int max)
{
    const scenario *sc = w->sc;
    int n = 0;
    for (size_t i = 0; i < sc->verdicts.n && n < max; i++) {
        const scn_verdict *v = (const scn_verdict *)sc->verdicts.items + i;
        int applies = v->stages.n == 0;
        for (size_t k = 0; k < v->stages.n; k++)
            applies |= !strcmp(v->stages.v[k], w->st->name);
        if (!applies)
            continue;
        mdl_verdict *o = &out[n++];
        memset(o, 0, sizeof *o);
        o->metric = v->metric;
        o->at_least = v->at_least != NULL;
        const char *why;
        mdl_verdict_bound(v->metric, v->at_least ? v->at_least : v->at_most, &o->bound, &why);
        snprintf(o->bound_text, sizeof o->bound_text, "%s", (v->at_least ? v->at_least : v->at_most)->text);
        int unrecovered;
        o->value = verdict_value(w, v->metric, &unrecovered);
        o->unrecovered = unrecovered;
        o->pass = !unrecovered && (o->at_least ? o->value >= o->bound : o->value <= o->bound);
    }
    return n;
}

/* Writes the incidents, seconds below the SLO and verdicts into summary.json. */
void world_summary_extra(w_world *w, FILE *f)
{
    char clock[SIM_TIME_TEXT_MAX], num[64];
    fprintf(f, ",\n  \"seconds_below_slo\": %s", cfg_format_real(mdl_world_seconds_below_slo(w), num, sizeof num));
    fputs(",\n  \"incidents\": [", f);
    for (size_t i = 0; i < mdl_world_incidents(w); i++) {
        mdl_incident in;
        mdl_world_incident(w, i, &in);
        world_clock(w, in.start, clock, sizeof clock);
        fprintf(f, "%s\n    {\"start\": \"%s\", \"recovered\": %s, \"broke_slo\": %s", i ? "," : "", clock,
                in.recovered ? "true" : "false", in.broke_slo ? "true" : "false");
        fprintf(f, ", \"rto_s\": %s", cfg_format_real(in.rto, num, sizeof num));
        fprintf(f, ", \"slo_broken_after_s\": %s", in.impact >= 0 ? cfg_format_real(in.impact, num, sizeof num) : "null");
        fprintf(f, ", \"detect_s\": %s", in.detect >= 0 ? cfg_format_real(in.detect, num, sizeof num) : "null");
        fprintf(f, ", \"switch_s\": %s", in.switched >= 0 ? cfg_format_real(in.switched, num, sizeof num) : "null");
        fprintf(f, ", \"failed\": %s", cfg_format_real(in.failed, num, sizeof num));
        fprintf(f, ", \"users_affected\": %s", cfg_format_real(in.users, num, sizeof num));
        fprintf(f, ", \"unit_share_affected\": %s", cfg_format_real(in.unit_share, num, sizeof num));
        fprintf(f, ", \"lost_writes\": %s", cfg_format_real(in.lost_writes, num, sizeof num));
        fprintf(f, ", \"parked_writes\": %s", cfg_format_real(in.parked_writes, num, sizeof num));
        fprintf(f, ", \"rpo_s\": %s}", cfg_format_real(in.rpo, num, sizeof num));
    }
    fputs(mdl_world_incidents(w) ? "\n  ]" : "]", f);
    mdl_verdict v[64];
    int n = mdl_world_verdicts(w, v, 64);
    fputs(",\n  \"verdicts\": [", f);
    for (int i = 0; i < n; i++) {
        fprintf(f, "%s\n    {\"expect\": \"%s\", \"%s\": ", i ? "," : "", mdl_metric_names[v[i].metric],
                v[i].at_least ? "at_least" : "at_most");
        fprintf(f, "%s", cfg_format_real(v[i].bound, num, sizeof num));
        fprintf(f, ", \"value\": %s", v[i].unrecovered ? "null" : cfg_format_real(v[i].value, num, sizeof num));
        fprintf(f, ", \"pass\": %s}", v[i].pass ? "true" : "false");
    }
    fputs(n ? "\n  ]" : "]", f);
}

void world_write_junit(w_world *w, FILE *f)
{
    mdl_verdict v[64];
    int n = mdl_world_verdicts(w, v, 64), failures = 0;
    for (int i = 0; i < n; i++)
        failures += !v[i].pass;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuite name=\"%s/%s\" tests=\"%d\" failures=\"%d\">\n", w->sc->name, w->st->name, n, failures);
    for (int i = 0; i < n; i++) {
        char num[64];
        fprintf(f, "  <testcase classname=\"%s.%s\" name=\"%s %s %s\"", w->sc->name, w->st->name,
                mdl_metric_names[v[i].metric], v[i].at_least ? "at least" : "at most", v[i].bound_text);
        if (v[i].pass) {
            fputs("/>\n", f);
            continue;
        }
        fprintf(f, ">\n    <failure message=\"%s is %s\"/>\n  </testcase>\n", mdl_metric_names[v[i].metric],
                v[i].unrecovered ? "not recovered by the end of the run" : cfg_format_real(v[i].value, num, sizeof num));
    }
    fprintf(f, "</testsuite>\n");
}
