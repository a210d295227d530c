/* rpt_write.c -- the report's files, each published whole: the charts as
 * PNG and SVG, report.html, report.pdf and junit.xml. */
#include <stdio.h>
#include <string.h>

#include "mdl_files.h"
#include "rpt.h"
#include "mdl_junit.h"
#include "rpt_charts.h"
#include "rpt_html.h"
#include "rpt_pdf.h"
#include "rpt_table.h"
#include "sim_file.h"
#include "sim_status.h"
#include "vz_surface.h"

/* Every verdict of every stage and replicate, a test case each. */
static void junit(FILE *f, const rpt_input *in)
{
    const char *scn = in->cfg->scn->name;
    int tests = 0, failures = 0;
    for (int s = 0; s < in->n_stages; s++)
        for (int r = 0; r < in->stages[s].n_runs; r++)
            for (int v = 0; v < in->stages[s].runs[r].n_verdicts; v++) {
                tests++;
                failures += !in->stages[s].runs[r].verdicts[v].pass;
            }
    mdl_junit j;
    mdl_junit_open(&j, f);
    mdl_junit_suites(&j, scn, tests, failures);
    for (int s = 0; s < in->n_stages; s++) {
        const rpt_stage *st = &in->stages[s];
        int t = 0, fl = 0;
        for (int r = 0; r < st->n_runs; r++)
            for (int v = 0; v < st->runs[r].n_verdicts; v++) {
                t++;
                fl += !st->runs[r].verdicts[v].pass;
            }
        char classname[256];
        snprintf(classname, sizeof classname, "%s.%s", scn, st->name);
        mdl_junit_suite(&j, st->name, t, fl);
        for (int r = 0; r < st->n_runs; r++)
            for (int v = 0; v < st->runs[r].n_verdicts; v++) {
                const mdl_verdict *vd = &st->runs[r].verdicts[v];
                char name[128], got[48], failure[64];
                snprintf(name, sizeof name, "%s %s %s", mdl_metric_names[vd->metric], vd->at_least ? "at least" : "at most",
                         vd->bound_text);
                if (st->n_runs > 1) {
                    size_t len = strlen(name);
                    snprintf(name + len, sizeof name - len, " (seed %llu)", (unsigned long long)st->runs[r].seed);
                }
                if (vd->unrecovered)
                    snprintf(got, sizeof got, "not recovered");
                else
                    rpt_format_metric(vd->metric, vd->value, got, sizeof got);
                snprintf(failure, sizeof failure, "got %s", got);
                mdl_junit_case(&j, classname, name, vd->pass ? NULL : failure);
            }
        mdl_junit_close(&j);
    }
    mdl_junit_close(&j);
}

typedef int writer_fn(FILE *f, const rpt_input *in, const rpt_charts *charts);

static int junit_writer(FILE *f, const rpt_input *in, const rpt_charts *charts)
{
    (void)charts;
    junit(f, in);
    return SIM_OK;
}

static int publish(const char *path, writer_fn *write, const rpt_input *in, const rpt_charts *charts)
{
    sim_file sf;
    int rc = sim_file_open(&sf, path);
    if (rc)
        return rc;
    rc = write(sf.f, in, charts);
    if (rc) {
        sim_file_abort(&sf);
        return rc;
    }
    return sim_file_commit(&sf); /* checks every write */
}

int rpt_write(const rpt_input *in, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/charts", dir);
    int rc = sim_mkdirs(path);
    if (rc)
        return rc;
    rpt_charts charts;
    rc = rpt_charts_build(in, &charts);
    for (int c = 0; !rc && c < charts.n; c++) {
        const rpt_chart *ch = &charts.chart[c];
        snprintf(path, sizeof path, "%s/charts/%s.png", dir, ch->file);
        rc = vz_write_png(path, ch->w, ch->h, rpt_chart_draw, ch);
        snprintf(path, sizeof path, "%s/charts/%s.svg", dir, ch->file);
        if (!rc)
            rc = vz_write_svg(path, ch->w, ch->h, rpt_chart_draw, ch);
    }
    snprintf(path, sizeof path, "%s/report.html", dir);
    if (!rc)
        rc = publish(path, rpt_write_html, in, &charts);
    snprintf(path, sizeof path, "%s/report.pdf", dir);
    if (!rc)
        rc = publish(path, rpt_write_pdf, in, &charts);
    snprintf(path, sizeof path, "%s/junit.xml", dir);
    if (!rc)
        rc = publish(path, junit_writer, in, &charts);
    rpt_charts_free(&charts);
    return rc;
}
