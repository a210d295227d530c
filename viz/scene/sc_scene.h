/* sc_scene.h -- one frame of the trainee's window, drawn with cairo alone
 * (so the window, the headless frames and the benchmark draw the same
 * pixels): the top bar (scenario, stage, clock, Double-11 countdown,
 * speed), the map with its drill-down, the inspector beside it, the
 * scenario's captions as subtitles, a strip of charts scrolling with the
 * clock, and the timeline of the whole run to seek on; a help overlay and
 * a legend. Everything it shows comes from a film (mdl_film.h) at one
 * moment, so a live run and its replay give the same frame. */
#ifndef SC_SCENE_H
#define SC_SCENE_H
#include <cairo.h>

#include "mdl_film.h"
#include "vz_map.h"

/* What the person at the window has chosen. */
typedef struct sc_ui {
    int paused;
    double speed;               /* simulated seconds per real second asked */
    double reached;             /* what the simulation reaches (0: not measured) */
    int live;                   /* the run is being simulated (not a replay) */
    int in_past;                /* live, but the clock was sent back before the run's edge */
    int focus_kind, focus_index; /* drill-down: VZ_HIT_NONE, VZ_HIT_CITY, VZ_HIT_DC */
    int select_kind, select_index; /* clicked (VZ_HIT_NONE: nothing) */
    int hover_kind, hover_index;   /* under the mouse */
    int help;                   /* the help overlay is shown */
    int operator_seat;          /* the trainee acts: the inspector offers actions */
    char status[256];           /* the last thing the window said ("promote core/3: started") */
    const char *result_text;    /* the trainee's phases beside the stage's, when asked (NULL: hidden) */
    /* The window's `c`: asks for result_text (the operator's seat sets it). */
    void (*on_compare)(void *context);
    void *compare_context;
} sc_ui;

/* What of the film a frame shows, copied out of it (a live film grows
 * on the simulating thread while the window draws). */
typedef struct sc_record {
    const mdl_series_point *series;
    size_t n_series;
    const mdl_event_row *events;
    size_t n_events;
    const mdl_film_mark *marks;
    size_t n_marks;
    const mdl_film_caption *captions;
    size_t n_captions;
} sc_record;

typedef struct sc_input {
    mdl_film *film;             /* its info only (fixed when it is made) */
    const sc_record *rec;
    const mdl_view *v;          /* the world at t */
    const mdl_view *before;     /* a second earlier (link rates), or NULL */
    sim_time t;
    sim_time edge;              /* simulated so far (the end of a replay) */
    sim_time end;               /* where the run ends */
    const char *const *types;   /* request type names, n_types of them */
    int n_types;
    sc_ui *ui;
} sc_input;

/* Where the parts fell, for the mouse. */
typedef struct sc_layout {
    double map_x, map_y, map_w, map_h;
    double timeline_x, timeline_y, timeline_w, timeline_h;
    sim_time timeline_end;
    vz_hits hits;               /* the map's */
} sc_layout;

/* Draws the frame on cr (W x H device pixels) and fills out (may be NULL). */
void sc_draw(cairo_t *cr, double W, double H, const sc_input *in, sc_layout *out);
/* The run time under x on the timeline (clamped to it). */
sim_time sc_timeline_time(const sc_layout *l, double x);
/* The strip of charts and the timeline (sc_strip.c). */
void sc_draw_charts(cairo_t *cr, double x, double y, double w, double h, const sc_input *in);
void sc_draw_timeline(cairo_t *cr, double x, double y, double w, double h, const sc_input *in);

/* The wall clock of run time t, "00:00:12" (the film's start clock plus t). */
void sc_clock(const mdl_film *f, sim_time t, char *buf, int size);
/* Seconds after midnight of the film's start clock. */
double sc_start_clock(const mdl_film *f);

#endif /* SC_SCENE_H */
