/* rpt.h -- the comparison report: what it is drawn from, and the call that
 * writes it. The program runs the stages, captures each run into plain
 * data (rpt_capture), and hands them here; the report never touches a
 * running world. Writes, under one directory:
 *   report.html   self-contained (inline SVG and CSS, no script)
 *   report.pdf    the same content, paginated
 *   charts/NAME.svg and .png   each chart on its own
 *   junit.xml     every stage's verdicts, a test case each
 * Every file appears whole or not at all, and the same runs give the same
 * bytes. */
#ifndef RPT_H
#define RPT_H
#include <stddef.h>
#include <stdint.h>

#include "mdl_config.h"
#include "mdl_world.h"

/* One stage run with one seed. */
typedef struct rpt_run {
    uint64_t seed;
    double wall_seconds;
    mdl_headline h;
    mdl_incident *incidents;
    size_t n_incidents;
    mdl_verdict *verdicts;
    int n_verdicts;
    /* Captured for the first replicate only (the charts and the story). */
    mdl_series_point *series;
    size_t n_series;
    mdl_event_row *events;
    size_t n_events;
    int n_dcs;
    char dc_names[MDL_SERIES_DCS][32];
    int n_warnings;             /* scale rounding that moved a capacity by more than 5% */
    char warnings[MDL_MAX_WARNINGS][MDL_WARNING_LEN];
} rpt_run;

typedef struct rpt_stage {
    const char *name;
    size_t index;               /* in the config's stages */
    int colour;                 /* palette index */
    rpt_run *runs;              /* replicates; runs[0] has the detail */
    int n_runs;
} rpt_stage;

typedef struct rpt_input {
    const mdl_config *cfg;
    double scale;
    const char *version;
    rpt_stage *stages;
    int n_stages;
} rpt_input;

/* Copies what the report needs out of a finished world; with detail, the
 * series and the events too. 0 or SIM_ENOMEM. */
int rpt_capture(rpt_run *run, const mdl_world *w, int detail);
void rpt_run_free(rpt_run *run);

/* Writes the report into dir (created). 0, or SIM_EIO / SIM_ENOMEM. */
int rpt_write(const rpt_input *in, const char *dir);

#endif /* RPT_H */
