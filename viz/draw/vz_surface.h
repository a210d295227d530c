/* vz_surface.h -- one drawing, several formats: a drawing function is run
 * on a PNG, SVG or PDF surface of the size asked, and the file appears
 * whole or not at all (sim_file). SVG can also go to memory, to be inlined
 * in HTML. Outputs are deterministic: the PDF carries no creation date.
 * A drawing may leave tooltips (vz_tip): the SVGs made here carry them,
 * the other formats have no use for them. */
#ifndef VZ_SURFACE_H
#define VZ_SURFACE_H
#include <cairo.h>
#include <stddef.h>

typedef void vz_draw_fn(cairo_t *cr, double w, double h, const void *context);

/* Each returns 0, or SIM_EIO / SIM_ENOMEM. */
int vz_write_png(const char *path, double w, double h, vz_draw_fn *draw, const void *context);
int vz_write_svg(const char *path, double w, double h, vz_draw_fn *draw, const void *context);

/* The SVG text of the drawing in *out (NUL-terminated; the caller frees it
 * with sim_free), without its XML declaration, and with every id prefixed
 * by id_prefix so that several SVGs can share one HTML page. */
int vz_svg_string(char **out, double w, double h, vz_draw_fn *draw, const void *context, const char *id_prefix);

/* A tooltip: text shown when a reader points at the rectangle (x, y, w, h)
 * of the drawing (in cr's user space). cairo's SVG writes no <title>, so
 * the SVGs made here (vz_write_svg, vz_svg_string) end with a group of
 * invisible rectangles at the same places, each carrying its <title>, in
 * the order given; on any other surface this does nothing. The text is
 * copied. */
void vz_tip(cairo_t *cr, double x, double y, double w, double h, const char *text);

/* A PDF surface writing into an open stream; vz_pdf_finish closes it.
 * Pages are w x h points. */
cairo_surface_t *vz_pdf_begin(void *stream_file, double w, double h);
int vz_pdf_finish(cairo_surface_t *s);

#endif /* VZ_SURFACE_H */
