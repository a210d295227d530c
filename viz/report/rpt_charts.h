/* rpt_charts.h -- the report's charts as chart descriptions: success
 * ratio, p99 latency (log), offered and served throughput, cumulative lost
 * writes (every stage overlaid, a colour each), and each stage's share of
 * traffic per datacenter (stacked, one small chart per stage). Fault
 * windows of the scenario's timeline are bands; detections, switches and
 * promotions are marks. Built once, drawn into HTML, PDF and PNG alike. */
#ifndef RPT_CHARTS_H
#define RPT_CHARTS_H
#include "rpt.h"
#include "vz_chart.h"

#define RPT_MAX_CHARTS 16

typedef struct rpt_chart {
    char file[48];              /* charts/<file>.png and .svg */
    char caption[768];
    double w, h;                /* size in pixels */
    vz_chart c;
} rpt_chart;

typedef struct rpt_charts {
    rpt_chart chart[RPT_MAX_CHARTS];
    int n;
    /* Storage the charts borrow. */
    void *blocks[256];
    int n_blocks;
    int failed;
} rpt_charts;

/* 0 or SIM_ENOMEM (then rpt_charts_free is still to be called). */
int rpt_charts_build(const rpt_input *in, rpt_charts *out);
void rpt_charts_free(rpt_charts *charts);

/* A fault's target in words: "most-primaries", "Hangzhou", "shard 37". */
void rpt_target_text(const void *scn_target, char *buf, size_t n);

/* A vz_draw_fn drawing a rpt_chart. */
void rpt_chart_draw(cairo_t *cr, double w, double h, const void *chart);

#endif /* RPT_CHARTS_H */
