/* vz_chart.h -- a time chart: lines (or stacked areas) over a clock-time
 * axis, with fault windows as labelled bands and events as marks along
 * the axis, a legend and round ticks. One description, drawn by the same
 * code on any cairo surface: SVG for the report, PNG, PDF. The chart
 * borrows every array it is given. */
#ifndef VZ_CHART_H
#define VZ_CHART_H
#include <cairo.h>
#include <stddef.h>

typedef enum { VZ_Y_NUMBER, VZ_Y_PERCENT, VZ_Y_SECONDS } vz_y_format;

typedef struct vz_series {
    const char *name;
    int colour;                 /* palette index */
    const double *x, *y;        /* NaN in y breaks the line */
    size_t n;
    int dashed;
} vz_series;

typedef struct vz_band {
    double x0, x1;              /* clipped to the axis */
    const char *label;
} vz_band;

enum { VZ_MARK_DETECT, VZ_MARK_SWITCH, VZ_MARK_PROMOTE, VZ_MARK_KINDS };

typedef struct vz_mark {
    double x;
    int colour;                 /* the stage's */
    int kind;                   /* VZ_MARK_* */
} vz_mark;

typedef struct vz_chart {
    const char *title;
    const char *y_label;        /* the unit, "requests/s" */
    vz_y_format y_format;
    int y_log;                  /* log scale (values <= 0 are left out) */
    double y_min, y_max;        /* NaN: from the data */
    double x_min, x_max;        /* seconds after the origin */
    double origin_clock;        /* clock time of x = 0, seconds after a midnight */
    const vz_series *series;
    size_t n_series;
    int stacked;                /* series are stacked areas (shares) */
    const vz_band *bands;
    size_t n_bands;
    const vz_mark *marks;
    size_t n_marks;
} vz_chart;

/* Draws the chart into the rectangle (x, y, w, h) of cr. */
void vz_chart_draw(cairo_t *cr, const vz_chart *c, double x, double y, double w, double h);

/* Where the plot area falls when the chart is drawn at (0, 0, w, h): for
 * tests and for anything drawn over a chart. Needs a cairo context for
 * text measurement (any surface). */
typedef struct vz_plot_area {
    double x, y, w, h;
    double y_lo, y_hi;          /* the y range shown */
} vz_plot_area;
void vz_chart_layout(cairo_t *cr, const vz_chart *c, double w, double h, vz_plot_area *out);
/* The device x of a data x in that plot area. */
double vz_chart_x(const vz_chart *c, const vz_plot_area *a, double x);

#endif /* VZ_CHART_H */
