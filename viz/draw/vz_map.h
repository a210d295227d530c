/* vz_map.h -- the map of a running world: cities where they lie (west to
 * east, north above south), datacenters as boxes inside their city with
 * their power state, the units' cells and the database copies standing in
 * each, the registry and the entry; links whose thickness follows their
 * traffic and whose colour is their health, with dots moving along them;
 * and, where requests fail, why. One drawing for the window, its frames
 * and the report, from a read-only view (mdl_view.h) on any cairo
 * surface. Colour means state, motion means traffic.
 *
 * Drawing leaves hit boxes behind (what lies where), so the window can
 * tell what the mouse is over and drill down: the map focused on one city
 * or one datacenter draws it over the whole area, with every figure. */
#ifndef VZ_MAP_H
#define VZ_MAP_H
#include <cairo.h>

#include "mdl_view.h"

enum { VZ_HIT_NONE, VZ_HIT_CITY, VZ_HIT_DC, VZ_HIT_CELL, VZ_HIT_UNIT, VZ_HIT_GROUP, VZ_HIT_LINK, VZ_HIT_KINDS };

typedef struct vz_hit {
    double x, y, w, h;
    int kind, index;
} vz_hit;

/* Hit boxes in drawing order: the last one containing a point is on top. */
typedef struct vz_hits {
    vz_hit v[1024];
    int n;
} vz_hits;

void vz_hits_add(vz_hits *h, double x, double y, double w, double h_, int kind, int index);
/* The topmost box at (x, y), or NULL. */
const vz_hit *vz_hits_at(const vz_hits *h, double x, double y);

typedef struct vz_map_input {
    const mdl_view *v;
    const double *link_rate;    /* per link: messages per second carried (real-world), or NULL */
    const double *dc_flash;     /* per datacenter: 1 as a fault strikes, fading to 0; or NULL */
    const int *dc_faulted;      /* per datacenter: a fault is on it now; or NULL */
    int focus_kind, focus_index; /* VZ_HIT_NONE (everything), VZ_HIT_CITY or VZ_HIT_DC */
    int select_kind, select_index; /* drawn highlighted */
} vz_map_input;

/* Draws the map into (x, y, w, h); hits (may be NULL) gets what lies where. */
void vz_map_draw(cairo_t *cr, double x, double y, double w, double h, const vz_map_input *in, vz_hits *hits);

/* The state colours, shared with the legend: healthy, degraded, failing,
 * dark, switching, standby. */
enum { VZ_STATE_OK, VZ_STATE_WARN, VZ_STATE_BAD, VZ_STATE_DARK, VZ_STATE_SWITCHING, VZ_STATE_STANDBY, VZ_STATES };
void vz_set_state(cairo_t *cr, int state, double alpha);
extern const char *const vz_state_names[VZ_STATES];

/* The cause of failures a unit suffers most in the last interval
 * (FAIL_...), or -1 when it has none worth telling (under 0.1% failed). */
int vz_unit_main_cause(const mdl_view_unit *u);
/* A count per second as "12.3k/s". */
void vz_rate_text(double per_s, char *buf, int size);

#endif /* VZ_MAP_H */
