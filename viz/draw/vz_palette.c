/* vz_palette.c -- the Okabe-Ito palette and the report's greys. */
#include "vz_palette.h"

#include <stdio.h>

/* Ordered so the first four (the four stages) stay apart in lightness as
 * well as hue: vermillion, blue, bluish green, orange; then reddish
 * purple, sky blue, yellow, black. */
static const vz_rgb palette[VZ_PALETTE_SIZE] = {
    {0xD5 / 255.0, 0x5E / 255.0, 0x00 / 255.0}, {0x00 / 255.0, 0x72 / 255.0, 0xB2 / 255.0},
    {0x00 / 255.0, 0x9E / 255.0, 0x73 / 255.0}, {0xE6 / 255.0, 0x9F / 255.0, 0x00 / 255.0},
    {0xCC / 255.0, 0x79 / 255.0, 0xA7 / 255.0}, {0x56 / 255.0, 0xB4 / 255.0, 0xE9 / 255.0},
    {0xF0 / 255.0, 0xE4 / 255.0, 0x42 / 255.0}, {0x00 / 255.0, 0x00 / 255.0, 0x00 / 255.0},
};

const vz_rgb vz_ink = {0.13, 0.13, 0.13};
const vz_rgb vz_axis = {0.35, 0.35, 0.35};
const vz_rgb vz_grid = {0.88, 0.88, 0.88};
const vz_rgb vz_band_fill = {0.55, 0.55, 0.60};
const vz_rgb vz_band_text = {0.30, 0.30, 0.34};

vz_rgb vz_colour(int i)
{
    int k = i % VZ_PALETTE_SIZE;
    return palette[k < 0 ? k + VZ_PALETTE_SIZE : k];
}

void vz_colour_hex(int i, char buf[8])
{
    vz_rgb c = vz_colour(i);
    snprintf(buf, 8, "#%02X%02X%02X", (int)(c.r * 255 + 0.5), (int)(c.g * 255 + 0.5), (int)(c.b * 255 + 0.5));
}

void vz_set(cairo_t *cr, vz_rgb c, double alpha) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }

void vz_set_colour(cairo_t *cr, int i, double alpha) { vz_set(cr, vz_colour(i), alpha); }
