/* rpt_capture.c -- copying a finished run into the report's plain data. */
#include <stdio.h>
#include <string.h>

#include "rpt.h"
#include "sim_alloc.h"
#include "sim_status.h"

int rpt_capture(rpt_run *run, const mdl_world *w, int detail)
{
    memset(run, 0, sizeof *run);
    run->seed = mdl_world_seed(w);
    mdl_world_headline(w, &run->h);
    run->n_incidents = mdl_world_incidents(w);
    run->incidents = sim_calloc(run->n_incidents + 1, sizeof *run->incidents);
    mdl_verdict v[64];
    run->n_verdicts = mdl_world_verdicts(w, v, 64);
    run->verdicts = sim_calloc((size_t)run->n_verdicts + 1, sizeof *run->verdicts);
    if (!run->incidents || !run->verdicts)
        goto oom;
    for (size_t i = 0; i < run->n_incidents; i++)
        mdl_world_incident(w, i, &run->incidents[i]);
    memcpy(run->verdicts, v, (size_t)run->n_verdicts * sizeof *v);
    run->n_dcs = mdl_world_datacenters(w);
    for (int d = 0; d < run->n_dcs; d++)
        snprintf(run->dc_names[d], sizeof run->dc_names[d], "%s", mdl_world_datacenter(w, d));
    for (int i = 0; mdl_world_warning(w, i)[0] && run->n_warnings < 8; i++)
        snprintf(run->warnings[run->n_warnings++], sizeof run->warnings[0], "%s", mdl_world_warning(w, i));
    if (!detail)
        return SIM_OK;
    const mdl_series *s = mdl_world_series(w);
    run->n_series = s->n;
    run->series = sim_calloc(s->n + 1, sizeof *run->series);
    run->n_events = mdl_world_events(w);
    run->events = sim_calloc(run->n_events + 1, sizeof *run->events);
    if (!run->series || !run->events)
        goto oom;
    memcpy(run->series, s->p, s->n * sizeof *s->p);
    for (size_t i = 0; i < run->n_events; i++)
        run->events[i] = *mdl_world_event(w, i);
    return SIM_OK;
oom:
    rpt_run_free(run);
    return SIM_ENOMEM;
}

void rpt_run_free(rpt_run *run)
{
    sim_free(run->incidents);
    sim_free(run->verdicts);
    sim_free(run->series);
    sim_free(run->events);
    memset(run, 0, sizeof *run);
}
