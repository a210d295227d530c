/* rpt_charts.h -- the report's charts as chart descriptions. Over time,
 * every stage overlaid (a colour each): success ratio, p99 latency (log),
 * offered and served throughput, cross-datacenter database calls and
 * cumulative lost writes; and a small chart per stage, two abreast: the
 * success ratio of each request type, and failures by cause (stacked).
 * In each stage's section: its share of traffic per datacenter (stacked).
 * Faults of the scenario's timeline are bands, split into their phases
 * where the runs tell them (a building on batteries, then dark);
 * detections, switches and promotions are marks (each with what, where
 * and when for the SVG's tooltip); the scenario's captions are numbered
 * notes at the moments the stages reached them. Built once, drawn into
 * HTML, PDF and PNG alike. */
#ifndef RPT_CHARTS_H
#define RPT_CHARTS_H
#include "rpt.h"
#include "vz_chart.h"

/* Where a chart goes in the report. */
enum { RPT_OVER_TIME, RPT_IN_STAGE };

typedef struct rpt_chart {
    char file[48];              /* charts/<file>.png and .svg */
    char caption[768];          /* of a run of small charts, the first one's is the run's */
    double w, h;                /* size in pixels */
    int place;                  /* RPT_OVER_TIME, RPT_IN_STAGE */
    int stage;                  /* RPT_IN_STAGE and small charts: the stage's index; else -1 */
    int small;                  /* one of a set of small charts, one per stage, shown two abreast */
    vz_chart c;
} rpt_chart;

typedef struct rpt_charts {
    rpt_chart *chart;           /* in the order the report shows them */
    int n;
    size_t cap;
    /* Storage the charts borrow. */
    void **blocks;
    size_t n_blocks, cap_blocks;
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
