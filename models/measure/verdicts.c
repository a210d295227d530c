/* verdicts.c -- the scenario's verdicts judged on this run: each measure
 * against its bound, for the stages it names. */
#include <stdio.h>
#include <string.h>

#include "mdl_check.h"
#include "meas_int.h"

/* The value a verdict judges, in its metric's unit. */
static double verdict_value(const w_world *w, int metric, int *unrecovered)
{
    mdl_headline h;
    measure_headline(w, &h);
    *unrecovered = 0;
    switch (metric) {
    case METRIC_AVAILABILITY: return h.availability * 100;
    case METRIC_LOST_WRITES: return h.lost_writes;
    case METRIC_RTO: {
        double worst = 0;
        for (size_t i = 0; i < measure_incidents(w); i++) {
            mdl_incident in;
            measure_incident(w, i, &in);
            if (in.broke_slo && !in.recovered) /* no SLO break: no service to restore */
                *unrecovered = 1;
            if (in.rto > worst)
                worst = in.rto;
        }
        return worst;
    }
    case METRIC_P99: return h.p99;
    case METRIC_USERS_AFFECTED: return h.users_share * 100;
    case METRIC_SECONDS_BELOW_SLO: return measure_seconds_below_slo(w);
    case METRIC_STALE_READS: return h.stale_reads;
    default: return h.conflicting_writes;
    }
}

int measure_verdicts(const w_world *w, mdl_verdict *out, int max)
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

