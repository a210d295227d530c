/* vz_chart.h -- a time chart: lines (or stacked areas) over a clock-time
 * axis, with fault windows as labelled bands, events as marks along the
 * axis, numbered notes over the plot, a legend and round ticks. One
 * description, drawn by the same code on any cairo surface: SVG for the
 * report, PNG, PDF. On the SVGs of vz_surface, every band, mark group and
 * note carries a tooltip. The chart borrows every array it is given. */
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

/* What a stretch of a fault band says. A fault hurts from its start
 * (FAULT, solid); a building that lost utility power first rides on its
 * batteries, or later its generator (hatched and light: the fault is
 * there, nothing has failed yet), and only then goes dark (solid, darker). */
enum { VZ_BAND_FAULT, VZ_BAND_BATTERY, VZ_BAND_GENERATOR, VZ_BAND_DARK, VZ_BAND_PHASES };

typedef struct vz_band {
    double x0, x1;              /* clipped to the axis */
    const char *label;          /* NULL: none */
    int phase;                  /* VZ_BAND_* */
} vz_band;

enum { VZ_MARK_DETECT, VZ_MARK_SWITCH, VZ_MARK_PROMOTE, VZ_MARK_KINDS };

typedef struct vz_mark {
    double x;
    int colour;                 /* the stage's: a row of marks per colour */
    int kind;                   /* VZ_MARK_* */
    const char *title;          /* what, where, when: its tooltip (NULL: none) */
} vz_mark;

/* A numbered note at a moment: a caption of the scenario, told in full
 * elsewhere (the report's "what happens when"); a tag over the plot and a
 * dotted line down it. */
typedef struct vz_note {
    double x;
    const char *label;          /* short: "3" */
    const char *title;          /* its tooltip (NULL: none) */
} vz_note;

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
    int first_on_top;           /* lines drawn last to first, so that where they overlap the first shows */
    const vz_band *bands;
    size_t n_bands;
    const vz_mark *marks;
    size_t n_marks;
    const vz_note *notes;
    size_t n_notes;
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

/* Marks of one row close enough to touch are drawn as one group, so that
 * a burst of detections reads as one: each kind present once, in the
 * order detect, switch, promote, followed by how many when more than one.
 * A mark joins the group before it when it falls within that group's
 * drawing (and a few pixels). */
typedef struct vz_mark_group {
    double x, y;                /* the centre of its first glyph (device, chart at (0, 0)) */
    double right;               /* where its drawing ends */
    int row;
    size_t n;                   /* marks in it */
    int count[VZ_MARK_KINDS];
} vz_mark_group;
/* The groups, in drawing order, as when the chart is drawn at (0, 0, w,
 * h): fills up to max of out and returns how many there are. Marks
 * outside the time axis are in none. */
size_t vz_chart_mark_groups(cairo_t *cr, const vz_chart *c, double w, double h, vz_mark_group *out, size_t max);

#endif /* VZ_CHART_H */
