/* vz_palette.h -- colours. The qualitative palette is Okabe and Ito's
 * (2008), distinguishable with every common colour-vision deficiency;
 * stages take its colours in a fixed order, so a stage keeps its colour
 * across every chart of a report. */
#ifndef VZ_PALETTE_H
#define VZ_PALETTE_H
#include <cairo.h>

typedef struct vz_rgb {
    double r, g, b;
} vz_rgb;

#define VZ_PALETTE_SIZE 8

/* Colour i of the qualitative palette (wraps around). */
vz_rgb vz_colour(int i);
/* The colour as "#rrggbb" (for HTML). */
void vz_colour_hex(int i, char buf[8]);
void vz_set_colour(cairo_t *cr, int i, double alpha);

/* Greys for text, axes, grid and fault bands. */
extern const vz_rgb vz_ink, vz_axis, vz_grid, vz_band_fill, vz_band_text;
void vz_set(cairo_t *cr, vz_rgb c, double alpha);

#endif /* VZ_PALETTE_H */
