/* rpt_table.c -- the headline rows: what each measure is, its value per
 * stage (mean +/- 95% half-width over replicates), and which is best. */
#include "rpt_table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_files.h"
#include "sim_stats.h"
#include "vz_ticks.h"

enum { LOWER_IS_BETTER = -1, HIGHER_IS_BETTER = 1, NOT_RANKED = 0 };

typedef double getter_fn(const rpt_run *r);
typedef void format_fn(double v, char *buf, size_t n);

typedef struct measure {
    const char *label, *definition;
    getter_fn *get;             /* NAN: the value does not exist for this run */
    format_fn *format;
    int better;
    /* The least difference one run can tell from noise: max(abs, rel x
     * |best|). Replicates use their confidence intervals instead. */
    double min_abs, min_rel;
    /* Latency of the successful requests: ranked only among stages whose
     * availability at the peak is within a point of the best. */
    int among_served;
} measure;

/* ==== Getters ==== */

/* Below this share of the peak served, a stage's latency describes almost
 * nothing and is not shown. */
#define SERVED_ALMOST_NOTHING 0.01
/* Stages whose availability at the peak is this far below the best are
 * not compared on latency (a stage that fails its slow requests looks fast). */
#define LATENCY_COMPARABLE_POINTS 1.0

static double get_availability(const rpt_run *r) { return r->h.availability * 100; }
static double get_nines(const rpt_run *r) { return r->h.nines; }
static double get_below_slo(const rpt_run *r) { return r->h.seconds_below_slo; }
/* Lost writes and RPO exist where a copy was promoted (or writes were lost
 * some other way): a stage with nothing to lose does not win "0 lost". */
static int data_at_stake(const rpt_run *r)
{
    return r->h.promotions > 0 || r->h.lost_writes > 0 || r->h.at_risk_writes > 0;
}
static double get_lost(const rpt_run *r) { return data_at_stake(r) ? r->h.lost_writes : NAN; }
static double get_rpo(const rpt_run *r) { return data_at_stake(r) ? r->h.rpo : NAN; }
static double get_at_risk(const rpt_run *r) { return r->h.at_risk_writes; }
static double get_users(const rpt_run *r) { return r->h.users_affected; }
static int served_something(const rpt_run *r) { return r->h.peak_availability >= SERVED_ALMOST_NOTHING; }
static double get_p50(const rpt_run *r) { return served_something(r) ? r->h.peak_p50 : NAN; }
static double get_p99(const rpt_run *r) { return served_something(r) ? r->h.peak_p99 : NAN; }
static double get_p999(const rpt_run *r) { return served_something(r) ? r->h.peak_p999 : NAN; }
static double get_served(const rpt_run *r) { return r->h.peak_served; }
static double get_cost(const rpt_run *r) { return r->h.cost; }

/* An incident the RTO row tells of: it broke the SLO, or its fault was
 * still on when the run ended (a cut of the run during a battery
 * ride-through: no impact yet, which the row says). */
static int told(const mdl_incident *in) { return in->broke_slo || !in->recovered; }

/* Did every incident that broke the SLO recover? (One that never broke it
 * lost no service to restore.) */
static int all_recovered(const rpt_run *r)
{
    for (size_t i = 0; i < r->n_incidents; i++)
        if (r->incidents[i].broke_slo && !r->incidents[i].recovered)
            return 0;
    return 1;
}

/* The worst incident's RTO (impact to restored; 0 when no incident is
 * told of); NAN when one never recovered: a run that did not recover has
 * no RTO to average. */
static double get_rto(const rpt_run *r)
{
    if (!all_recovered(r))
        return NAN;
    double worst = 0;
    for (size_t i = 0; i < r->n_incidents; i++)
        if (told(&r->incidents[i]) && r->incidents[i].rto > worst)
            worst = r->incidents[i].rto;
    return worst;
}

/* The incident whose phases the table shows: the fault's that hurt most
 * (the most failures), else the first of the faults; NULL without one. */
static const mdl_incident *main_fault_incident(const rpt_run *r)
{
    const mdl_incident *best = NULL;
    for (size_t i = 0; i < r->n_incidents; i++) {
        const mdl_incident *in = &r->incidents[i];
        if (in->no_fault)
            continue;
        if (!best || in->failed > best->failed)
            best = in;
    }
    return best;
}

static double get_to_impact(const rpt_run *r)
{
    const mdl_incident *in = main_fault_incident(r);
    return in && in->broke_slo ? in->impact : NAN;
}
static double get_detect(const rpt_run *r)
{
    const mdl_incident *in = main_fault_incident(r);
    return in && in->broke_slo ? in->detect : NAN;
}
static double get_switch(const rpt_run *r)
{
    const mdl_incident *in = main_fault_incident(r);
    return in && in->broke_slo ? in->switched : NAN;
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
    if (fabs(v) >= 100 || v == 0)
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
    {"Availability", "successful / offered requests over the measured run (real-world counts); one run tells apart 0.01 points", get_availability, fmt_percent, HIGHER_IS_BETTER, 0.01, 0, 0},
    {"Nines", "-log10(1 - availability); one run tells apart 0.1", get_nines, fmt_nines, HIGHER_IS_BETTER, 0.1, 0, 0},
    {"Seconds below the SLO", "seconds in which the success ratio over the SLO window was below the SLO; one run tells apart 5 s or 10%", get_below_slo, fmt_seconds, LOWER_IS_BETTER, 5, 0.1, 0},
    {"Time to impact", "the main fault's incident: from the fault to the first SLO break it caused (a battery ride-through, retries hiding a loss)", get_to_impact, fmt_seconds, NOT_RANKED, 0, 0, 0},
    {"Time to detect", "from the impact to the first detection (negative: before users felt it); - when nothing was detected", get_detect, fmt_seconds, LOWER_IS_BETTER, 5, 0.1, 0},
    {"Time to switch", "from the impact to the first switch or promotion; - when nothing switched", get_switch, fmt_seconds, LOWER_IS_BETTER, 5, 0.1, 0},
    {"RTO", "per incident: from the impact (the SLO's first break) to service restored (failures stopped, then the SLO held for its hold); the worst is compared; one run tells apart 5 s or 10%", get_rto, fmt_seconds, LOWER_IS_BETTER, 5, 0.1, 0},
    {"Lost writes", "acknowledged writes that no surviving copy had when a replica was promoted; - when nothing was promoted", get_lost, fmt_count, LOWER_IS_BETTER, 1, 0.1, 0},
    {"RPO", "the age of the oldest lost write; - when nothing was promoted", get_rpo, fmt_seconds, LOWER_IS_BETTER, 0.5, 0.1, 0},
    {"Writes at risk", "acknowledged writes a failover parked on a primary that had not come back by the end: lost if it never does", get_at_risk, fmt_count, LOWER_IS_BETTER, 1, 0.1, 0},
    {"Users affected", "distinct users with at least one failed request (the blast radius); one run tells apart 10%", get_users, fmt_count, LOWER_IS_BETTER, 1, 0.1, 0},
    {"Served at the peak", "user requests born in the busiest minute of offered load that succeeded, per second, each once (retries of a backlog are not more service)", get_served, fmt_rate, HIGHER_IS_BETTER, 0, 0.01, 0},
    {"Latency p50 at the peak", "median latency of the successful requests born in the busiest minute; ranked among stages within a point of the best availability at the peak; one run tells apart 5%", get_p50, fmt_ms, LOWER_IS_BETTER, 0, 0.05, 1},
    {"Latency p99 at the peak", "99th percentile of the same successful requests", get_p99, fmt_ms, LOWER_IS_BETTER, 0, 0.05, 1},
    {"Latency p99.9 at the peak", "99.9th percentile of the same successful requests", get_p999, fmt_ms, LOWER_IS_BETTER, 0, 0.05, 1},
    {"Cost", "servers x cost per server-hour plus datacenters x cost per hour, for the run's length", get_cost, fmt_money, LOWER_IS_BETTER, 0, 0.01, 0},
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

/* The RTO cell of a single run: every incident told of, the stage's own
 * (no fault) named as such. */
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
        const char *own = in->no_fault ? (in->cause == FAIL_SHED ? "own shedding " : "own overload ") : "";
        if (!in->broke_slo)
            at += (size_t)snprintf(b + at, n - at, "%s%sno SLO break (fault on at the end)", shown ? "; " : "", own);
        else
            at += (size_t)snprintf(b + at, n - at, "%s%s%s%s", shown ? "; " : "", own,
                                   in->recovered ? "" : "not recovered, > ", v);
        shown++;
    }
    if (!shown)
        snprintf(b, n, "no incident");
}

/* Failures by cause of a run: "fault 20.5 M, shed 37.7 M", largest first. */
static void causes_cell(const rpt_stage *st, char *b, size_t n)
{
    double sum[FAIL_COUNT] = {0};
    for (int k = 0; k < st->n_runs; k++)
        for (int c = 0; c < FAIL_COUNT; c++)
            sum[c] += st->runs[k].h.by_cause[c] / st->n_runs;
    int order[FAIL_COUNT];
    for (int c = 0; c < FAIL_COUNT; c++)
        order[c] = c;
    for (int i = 1; i < FAIL_COUNT; i++) /* largest first; ties keep their order */
        for (int j = i; j > 0 && sum[order[j]] > sum[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    size_t at = 0;
    b[0] = 0;
    for (int i = 0; i < FAIL_COUNT && at < n; i++) {
        if (sum[order[i]] <= 0)
            continue;
        char v[48];
        vz_format_count(sum[order[i]], v, sizeof v);
        at += (size_t)snprintf(b + at, n - at, "%s%s %s", at ? ", " : "", mdl_failure_causes[order[i]], v);
    }
    if (!at)
        snprintf(b, n, "none");
}

/* The values of a measure over a stage's runs that exist; how many. */
static int values(const measure *m, const rpt_stage *st, double *x, int max)
{
    int n = 0;
    for (int k = 0; k < st->n_runs && n < max; k++) {
        double v = m->get(&st->runs[k]);
        if (!isnan(v))
            x[n++] = v;
    }
    return n;
}

static void value_cell(const measure *m, const rpt_stage *st, int n, double mean, double half, char *b, size_t size)
{
    char v[48], h[48];
    if (m->get == get_rto && st->n_runs == 1) {
        rto_cell(&st->runs[0], b, size);
    } else if (n == 0) {
        snprintf(b, size, "\u2014"); /* the value does not exist */
    } else if (m->get == get_users && st->n_runs == 1) {
        m->format(mean, v, sizeof v);
        snprintf(b, size, "%s (%.2f%%)", v, st->runs[0].h.users_share * 100);
    } else if (n > 1 && isfinite(half)) {
        m->format(mean, v, sizeof v);
        m->format(half, h, sizeof h);
        snprintf(b, size, "%s \u00b1 %s", v, h);
    } else {
        m->format(mean, v, sizeof v);
        snprintf(b, size, "%s", v);
    }
    if (m->get == get_rto && st->n_runs > 1) { /* runs that never recovered are not averaged */
        int unrecovered = 0;
        for (int k = 0; k < st->n_runs; k++)
            unrecovered += !all_recovered(&st->runs[k]);
        size_t len = strlen(b);
        if (unrecovered == st->n_runs)
            snprintf(b, size, "not recovered (%d of %d)", unrecovered, st->n_runs);
        else if (unrecovered)
            snprintf(b + len, size - len, " (%d of %d not recovered)", unrecovered, st->n_runs);
    }
}

/* The best availability at the peak among the stages. */
static double best_peak_availability(const rpt_input *in, int stages)
{
    double best = 0;
    for (int s = 0; s < stages; s++)
        for (int k = 0; k < in->stages[s].n_runs; k++)
            if (in->stages[s].runs[k].h.peak_availability > best)
                best = in->stages[s].runs[k].h.peak_availability;
    return best;
}

/* Marks the best value and those noise cannot tell from it: with
 * replicates, intervals that overlap the best's; with one run, values
 * within the measure's least difference. Nothing is marked when every
 * ranked stage is marked, or when fewer than two are ranked. */
static void mark_best(const rpt_input *in, const measure *m, const double *mean, const double *half,
                      const int *ranked, rpt_row *row, int stages)
{
    int best = -1;
    for (int s = 0; s < stages; s++)
        if (ranked[s] && (best < 0 || (m->better > 0 ? mean[s] > mean[best] : mean[s] < mean[best])))
            best = s;
    if (best < 0)
        return;
    int marked = 0, n_ranked = 0;
    for (int s = 0; s < stages; s++) {
        if (!ranked[s])
            continue;
        n_ranked++;
        double gap = fabs(mean[s] - mean[best]);
        int replicated = isfinite(half[s]) && isfinite(half[best]) && in->stages[s].n_runs > 1;
        double noise = replicated ? half[s] + half[best] : fmax(m->min_abs, m->min_rel * fabs(mean[best]));
        row->best[s] = gap <= noise;
        marked += row->best[s];
    }
    if (marked == n_ranked || n_ranked < 2)
        memset(row->best, 0, sizeof row->best);
}

static void measure_row(const rpt_input *in, const measure *m, rpt_row *row)
{
    memset(row, 0, sizeof *row);
    snprintf(row->label, sizeof row->label, "%s", m->label);
    snprintf(row->definition, sizeof row->definition, "%s", m->definition);
    int stages = in->n_stages < RPT_MAX_STAGES ? in->n_stages : RPT_MAX_STAGES;
    double mean[RPT_MAX_STAGES], half[RPT_MAX_STAGES];
    int ranked[RPT_MAX_STAGES];
    double best_peak = best_peak_availability(in, stages);
    for (int s = 0; s < stages; s++) {
        const rpt_stage *st = &in->stages[s];
        double x[1024];
        int n = values(m, st, x, 1024);
        mean[s] = half[s] = NAN;
        if (n)
            sim_mean_ci95(x, (size_t)n, &mean[s], &half[s]);
        value_cell(m, st, n, mean[s], half[s], row->cell[s], sizeof row->cell[s]);
        ranked[s] = n > 0 && m->better != NOT_RANKED;
        if (m->among_served && ranked[s])
            ranked[s] = (best_peak - st->runs[0].h.peak_availability) * 100 <= LATENCY_COMPARABLE_POINTS;
    }
    mark_best(in, m, mean, half, ranked, row, stages);
}

/* The failures-by-cause row: not ranked, it says why. */
static void causes_row(const rpt_input *in, rpt_row *row)
{
    memset(row, 0, sizeof *row);
    snprintf(row->label, sizeof row->label, "Failures by cause");
    snprintf(row->definition, sizeof row->definition,
             "failed requests by what they say about the stage: overload, fault, shed (by design), switching");
    for (int s = 0; s < in->n_stages && s < RPT_MAX_STAGES; s++)
        causes_cell(&in->stages[s], row->cell[s], sizeof row->cell[s]);
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
    for (size_t i = 0; i < sizeof measures / sizeof *measures; i++) {
        measure_row(in, &measures[i], &rows[n++]);
        if (measures[i].get == get_below_slo)
            causes_row(in, &rows[n++]);
    }
    verdict_rows(in, rows, &n);
    return n;
}
