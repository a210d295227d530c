/* vz_text.h -- text on a cairo surface: one face (DejaVu Sans, installed
 * with cairo's fontconfig on Debian), measured before it is placed so
 * labels can be kept apart; wrapping for paragraphs in the PDF. */
#ifndef VZ_TEXT_H
#define VZ_TEXT_H
#include <cairo.h>

enum { VZ_LEFT = 0, VZ_CENTRE = 1, VZ_RIGHT = 2 };
enum { VZ_BASELINE = 0, VZ_MIDDLE = 1, VZ_TOP = 2 };

void vz_font(cairo_t *cr, double size, int bold);
/* The width text would take in the current font. */
double vz_text_width(cairo_t *cr, const char *text);
/* Draws text with its anchor at (x, y). */
void vz_text(cairo_t *cr, double x, double y, const char *text, int align, int valign);
/* Draws text wrapped to width from (x, y) (the first baseline); returns
 * the y below the last line. line_height in the font's units. */
double vz_text_wrapped(cairo_t *cr, double x, double y, double width, double line_height, const char *text);

#endif /* VZ_TEXT_H */
