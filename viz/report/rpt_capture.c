/* rpt_capture.c -- copying a finished run into the report's plain data:
 * its results, and its places and events through the world's view. */
#include <stdio.h>
#include <string.h>

#include "mdl_view.h"
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
    mdl_verdict verdicts[MDL_MAX_VERDICTS];
    run->n_verdicts = mdl_world_verdicts(w, verdicts, MDL_MAX_VERDICTS);
    run->verdicts = sim_calloc((size_t)run->n_verdicts + 1, sizeof *run->verdicts);
    if (!run->incidents || !run->verdicts)
        goto oom;
    for (size_t i = 0; i < run->n_incidents; i++)
        mdl_world_incident(w, i, &run->incidents[i]);
    memcpy(run->verdicts, verdicts, (size_t)run->n_verdicts * sizeof *verdicts);
    for (int i = 0; mdl_world_warning(w, i)[0] && run->n_warnings < MDL_MAX_WARNINGS; i++)
        snprintf(run->warnings[run->n_warnings++], sizeof run->warnings[0], "%s", mdl_world_warning(w, i));
    /* The places and the event log, through the world's read-only view. */
    mdl_view v = {0};
    if (mdl_view_capture(w, &v))
        goto oom;
    run->n_dcs = v.n_dcs < MDL_SERIES_DCS ? v.n_dcs : MDL_SERIES_DCS;
    for (int d = 0; d < run->n_dcs; d++)
        snprintf(run->dc_names[d], sizeof run->dc_names[d], "%s", v.dcs[d].name);
    if (detail) {
        /* The view's event log is handed over, not copied. */
        run->events = v.events;
        run->n_events = v.n_events;
        v.events = NULL;
    }
    mdl_view_free(&v);
    if (!detail)
        return SIM_OK;
    const mdl_series *s = mdl_world_series(w);
    run->n_series = s->n;
    run->series = sim_calloc(s->n + 1, sizeof *run->series);
    if (!run->series)
        goto oom;
    memcpy(run->series, s->p, s->n * sizeof *s->p);
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
