/* rpt_table.c -- the headline rows: what each measure is, its value per
 * stage (mean +/- 95% half-width over replicates), and which is best. */
#include "rpt_table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_files.h"
#include "sim_stats.h"
#include "vz_ticks.h"

enum { LOWER_IS_BETTER = -1, HIGHER_IS_BETTER = 1 };

typedef double getter_fn(const rpt_run *r);
typedef void format_fn(double v, char *buf, size_t n);

typedef struct measure {
    const char *label, *definition;
    getter_fn *get;
    format_fn *format;
    int better;
    /* Values within this fraction of the best are marked best too (one
     * seed cannot tell 550,680/s from 550,320/s apart). Not availability:
     * in percent, 99.0 lies within 1% of 99.99. */
    double tie;
} measure;

/* ==== Getters ==== */

static double get_availability(const rpt_run *r) { return r->h.availability * 100; }
static double get_nines(const rpt_run *r) { return r->h.nines; }
static double get_below_slo(const rpt_run *r) { return r->h.seconds_below_slo; }
static double get_lost(const rpt_run *r) { return r->h.lost_writes; }
static double get_rpo(const rpt_run *r) { return r->h.rpo; }
static double get_at_risk(const rpt_run *r) { return r->h.at_risk_writes; }
static double get_users(const rpt_run *r) { return r->h.users_affected; }
static double get_p50(const rpt_run *r) { return r->h.peak_p50; }
static double get_p99(const rpt_run *r) { return r->h.peak_p99; }
static double get_p999(const rpt_run *r) { return r->h.peak_p999; }
static double get_served(const rpt_run *r) { return r->h.peak_served; }
static double get_cost(const rpt_run *r) { return r->h.cost; }

/* An incident the RTO row tells of: it broke the SLO, or it had not
 * recovered when the run ended (as summary.json and the rto verdict say). */
static int told(const mdl_incident *in) { return in->broke_slo || !in->recovered; }

/* The worst incident's RTO (0 when no incident is told of). */
static double get_rto(const rpt_run *r)
{
    double worst = 0;
    for (size_t i = 0; i < r->n_incidents; i++)
        if (told(&r->incidents[i]) && r->incidents[i].rto > worst)
            worst = r->incidents[i].rto;
    return worst;
}

/* ==== Formats ==== */

static void fmt_percent(double v, char *b, size_t n) { snprintf(b, n, "%.4f%%", v); }
static void fmt_nines(double v, char *b, size_t n)
{
    if (isinf(v))
        snprintf(b, n, "no failure");
    else
        snprintf(b, n, "%.2f", v);
}
static void fmt_seconds(double v, char *b, size_t n)
{
    if (v >= 100 || v == 0)
        snprintf(b, n, "%.0f s", v);
    else
        snprintf(b, n, "%.3g s", v);
}
static void fmt_ms(double v, char *b, size_t n)
{
    if (v >= 1)
        snprintf(b, n, "%.2f s", v);
    else
        snprintf(b, n, "%.1f ms", v * 1e3);
}
static void fmt_count(double v, char *b, size_t n) { vz_format_count(v, b, n); }
static void fmt_rate(double v, char *b, size_t n)
{
    char c[48];
    vz_format_count(v, c, sizeof c);
    snprintf(b, n, "%s/s", c);
}
static void fmt_money(double v, char *b, size_t n)
{
    char c[48];
    vz_format_count(v, c, sizeof c);
    snprintf(b, n, "$%s", c);
}

static const measure measures[] = {
    {"Availability", "successful / offered requests over the measured run (real-world counts)", get_availability, fmt_percent, HIGHER_IS_BETTER, 0},
    {"Nines", "-log10(1 - availability)", get_nines, fmt_nines, HIGHER_IS_BETTER, 0.01},
    {"Seconds below the SLO", "seconds in which the success ratio over the SLO window was below the SLO", get_below_slo, fmt_seconds, LOWER_IS_BETTER, 0.01},
    {"RTO", "per incident: from the first fault until the success ratio is back above the SLO and holds there; the worst is compared", get_rto, fmt_seconds, LOWER_IS_BETTER, 0.01},
    {"Lost writes", "acknowledged writes that no surviving copy had when a replica was promoted", get_lost, fmt_count, LOWER_IS_BETTER, 0.01},
    {"RPO", "the age of the oldest lost write", get_rpo, fmt_seconds, LOWER_IS_BETTER, 0.01},
    {"Writes at risk", "acknowledged writes a failover parked on a primary that had not come back by the end: lost if it never does", get_at_risk, fmt_count, LOWER_IS_BETTER, 0.01},
    {"Users affected", "distinct users with at least one failed request (the blast radius)", get_users, fmt_count, LOWER_IS_BETTER, 0.01},
    {"Latency p50 at the peak", "median latency of successful requests over the busiest minute of offered load", get_p50, fmt_ms, LOWER_IS_BETTER, 0.01},
    {"Latency p99 at the peak", "99th percentile over the busiest minute", get_p99, fmt_ms, LOWER_IS_BETTER, 0.01},
    {"Latency p99.9 at the peak", "99.9th percentile over the busiest minute", get_p999, fmt_ms, LOWER_IS_BETTER, 0.01},
    {"Peak throughput served", "successful requests per second in the best interval", get_served, fmt_rate, HIGHER_IS_BETTER, 0.01},
    {"Cost", "servers x cost per server-hour plus datacenters x cost per hour, for the run's length", get_cost, fmt_money, LOWER_IS_BETTER, 0.01},
};

void rpt_format_metric(int metric, double value, char *buf, size_t n)
{
    switch (metric) {
    case METRIC_AVAILABILITY:
    case METRIC_USERS_AFFECTED: snprintf(buf, n, "%.4f%%", value); break;
    case METRIC_RTO:
    case METRIC_P99:
    case METRIC_SECONDS_BELOW_SLO: fmt_seconds(value, buf, n); break;
    default: vz_format_count(value, buf, n); break; /* counts: 218,180 */
    }
}

/* ==== Rows ==== */

/* The RTO cell of a single run: every incident told of. */
static void rto_cell(const rpt_run *r, char *b, size_t n)
{
    size_t at = 0, shown = 0;
    b[0] = 0;
    for (size_t i = 0; i < r->n_incidents && at < n; i++) {
        const mdl_incident *in = &r->incidents[i];
        if (!told(in))
            continue;
        if (shown == 3) {
            snprintf(b + at, n - at, "; ...");
            break;
        }
        char v[48];
        fmt_seconds(in->rto, v, sizeof v);
        at += (size_t)snprintf(b + at, n - at, "%s%s%s", shown ? "; " : "", in->recovered ? "" : "not recovered, > ", v);
        shown++;
    }
    if (!shown)
        snprintf(b, n, "no incident");
}

static void measure_row(const rpt_input *in, const measure *m, rpt_row *row)
{
    memset(row, 0, sizeof *row);
    snprintf(row->label, sizeof row->label, "%s", m->label);
    snprintf(row->definition, sizeof row->definition, "%s", m->definition);
    double means[RPT_MAX_STAGES];
    for (int s = 0; s < in->n_stages && s < RPT_MAX_STAGES; s++) {
        const rpt_stage *st = &in->stages[s];
        double x[1024];
        int n = st->n_runs < 1024 ? st->n_runs : 1024;
        for (int k = 0; k < n; k++)
            x[k] = m->get(&st->runs[k]);
        double mean, half;
        sim_mean_ci95(x, (size_t)n, &mean, &half);
        means[s] = mean;
        char v[48], h[48];
        if (m->get == get_rto && n == 1) {
            rto_cell(&st->runs[0], row->cell[s], sizeof row->cell[s]);
        } else if (m->get == get_users && n == 1) {
            m->format(mean, v, sizeof v);
            snprintf(row->cell[s], sizeof row->cell[s], "%s (%.2f%%)", v, st->runs[0].h.users_share * 100);
        } else if (n > 1 && isfinite(half)) {
            m->format(mean, v, sizeof v);
            m->format(half, h, sizeof h);
            snprintf(row->cell[s], sizeof row->cell[s], "%s \u00b1 %s", v, h);
        } else {
            m->format(mean, v, sizeof v);
            snprintf(row->cell[s], sizeof row->cell[s], "%s", v);
        }
        if (m->get == get_rto) { /* say how many never recovered */
            int unrecovered = 0;
            for (int k = 0; k < n; k++)
                for (size_t i = 0; i < st->runs[k].n_incidents; i++)
                    unrecovered += !st->runs[k].incidents[i].recovered;
            if (n > 1 && unrecovered) {
                size_t len = strlen(row->cell[s]);
                snprintf(row->cell[s] + len, sizeof row->cell[s] - len, " (%d not recovered)", unrecovered);
            }
        }
    }
    /* The best, and every value within the measure's tie of it. Nothing is
     * marked when all are that close. */
    double best = m->better > 0 ? -INFINITY : INFINITY;
    for (int s = 0; s < in->n_stages && s < RPT_MAX_STAGES; s++) {
        double v = isnan(means[s]) ? (m->better > 0 ? -INFINITY : INFINITY) : means[s];
        if (m->better > 0 ? v > best : v < best)
            best = v;
    }
    double tolerance = isfinite(best) ? fabs(best) * m->tie : 0;
    int marked = 0, stages = in->n_stages < RPT_MAX_STAGES ? in->n_stages : RPT_MAX_STAGES;
    for (int s = 0; s < stages; s++) {
        row->best[s] = !isnan(means[s]) && fabs(means[s] - best) <= tolerance;
        marked += row->best[s];
    }
    if (marked == stages)
        memset(row->best, 0, sizeof row->best);
}

/* A verdict as a label: "availability at least 99.9%". */
static void verdict_label(const mdl_verdict *v, char *b, size_t n)
{
    snprintf(b, n, "%s %s %s", mdl_metric_names[v->metric], v->at_least ? "at least" : "at most", v->bound_text);
}

static void verdict_rows(const rpt_input *in, rpt_row *rows, int *n_rows)
{
    /* Every distinct verdict of any stage, in the order first met. */
    for (int s = 0; s < in->n_stages && s < RPT_MAX_STAGES; s++) {
        const rpt_run *r0 = &in->stages[s].runs[0];
        for (int i = 0; i < r0->n_verdicts; i++) {
            char label[64];
            verdict_label(&r0->verdicts[i], label, sizeof label);
            int k = 0;
            while (k < *n_rows && !(rows[k].verdict && !strcmp(rows[k].definition, label)))
                k++;
            if (k == *n_rows) {
                if (*n_rows == RPT_MAX_ROWS)
                    return;
                rpt_row *row = &rows[(*n_rows)++];
                memset(row, 0, sizeof *row);
                row->verdict = 1;
                snprintf(row->label, sizeof row->label, "Verdict");
                snprintf(row->definition, sizeof row->definition, "%s", label);
                for (int j = 0; j < RPT_MAX_STAGES; j++) {
                    row->pass[j] = -1;
                    snprintf(row->cell[j], sizeof row->cell[j], "not judged");
                }
            }
        }
    }
    for (int k = 0; k < *n_rows; k++) {
        rpt_row *row = &rows[k];
        if (!row->verdict)
            continue;
        for (int s = 0; s < in->n_stages && s < RPT_MAX_STAGES; s++) {
            const rpt_stage *st = &in->stages[s];
            int judged = 0, passed = 0;
            const mdl_verdict *first_fail = NULL;
            for (int r = 0; r < st->n_runs; r++)
                for (int i = 0; i < st->runs[r].n_verdicts; i++) {
                    char label[64];
                    verdict_label(&st->runs[r].verdicts[i], label, sizeof label);
                    if (strcmp(label, row->definition))
                        continue;
                    judged++;
                    passed += st->runs[r].verdicts[i].pass;
                    if (!st->runs[r].verdicts[i].pass && !first_fail)
                        first_fail = &st->runs[r].verdicts[i];
                }
            if (!judged)
                continue;
            row->pass[s] = passed == judged;
            char got[48] = "";
            if (first_fail && first_fail->unrecovered)
                snprintf(got, sizeof got, "not recovered");
            else if (first_fail)
                rpt_format_metric(first_fail->metric, first_fail->value, got, sizeof got);
            if (judged == 1)
                snprintf(row->cell[s], sizeof row->cell[s], passed ? "pass" : "fail (got %s)", got);
            else
                snprintf(row->cell[s], sizeof row->cell[s], "%s: %d of %d passed", passed == judged ? "pass" : "fail",
                         passed, judged);
        }
    }
}

int rpt_table(const rpt_input *in, rpt_row *rows)
{
    int n = 0;
    for (size_t i = 0; i < sizeof measures / sizeof *measures; i++)
        measure_row(in, &measures[i], &rows[n++]);
    verdict_rows(in, rows, &n);
    return n;
}
