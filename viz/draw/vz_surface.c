/* vz_surface.c -- cairo surfaces for PNG, SVG and PDF, written through
 * streams so that files are published atomically and SVG can go to memory. */
#include "vz_surface.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <stdio.h>
#include <string.h>

#include "sim_alloc.h"
#include "sim_file.h"
#include "sim_status.h"

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int length)
{
    return fwrite(data, 1, length, closure) == length ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

typedef struct membuf {
    char *p;
    size_t n, cap;
    int failed;
} membuf;

static cairo_status_t to_memory(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *m = closure;
    if (sim_grow((void **)&m->p, &m->cap, m->n + length + 1, 1)) {
        m->failed = 1;
        return CAIRO_STATUS_NO_MEMORY;
    }
    memcpy(m->p + m->n, data, length);
    m->n += length;
    m->p[m->n] = 0;
    return CAIRO_STATUS_SUCCESS;
}

static void render(cairo_surface_t *s, double w, double h, vz_draw_fn *draw, const void *context)
{
    cairo_t *cr = cairo_create(s);
    draw(cr, w, h, context);
    cairo_destroy(cr);
}

int vz_write_png(const char *path, double w, double h, vz_draw_fn *draw, const void *context)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return SIM_ENOMEM;
    }
    render(s, w, h, draw, context);
    sim_file f;
    int rc = sim_file_open(&f, path);
    if (!rc) {
        if (cairo_surface_write_to_png_stream(s, to_file, f.f) != CAIRO_STATUS_SUCCESS) {
            sim_file_abort(&f);
            rc = SIM_EIO;
        } else {
            rc = sim_file_commit(&f);
        }
    }
    cairo_surface_destroy(s);
    return rc;
}

int vz_write_svg(const char *path, double w, double h, vz_draw_fn *draw, const void *context)
{
    sim_file f;
    int rc = sim_file_open(&f, path);
    if (rc)
        return rc;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_file, f.f, w, h);
    render(s, w, h, draw, context);
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    if (bad) {
        sim_file_abort(&f);
        return SIM_EIO;
    }
    return sim_file_commit(&f);
}

/* Copies src to dst, putting prefix after every id=", href="# and url(#. */
static int prefix_ids(const char *src, const char *prefix, membuf *dst)
{
    static const char *const keys[] = {"id=\"", "href=\"#", "url(#"};
    const char *p = src;
    size_t plen = strlen(prefix);
    while (*p) {
        size_t k = 0, klen = 0;
        for (k = 0; k < 3; k++) {
            klen = strlen(keys[k]);
            if (!strncmp(p, keys[k], klen))
                break;
        }
        if (k < 3) {
            if (to_memory(dst, (const unsigned char *)p, (unsigned)klen) ||
                to_memory(dst, (const unsigned char *)prefix, (unsigned)plen))
                return SIM_ENOMEM;
            p += klen;
        } else {
            if (to_memory(dst, (const unsigned char *)p, 1))
                return SIM_ENOMEM;
            p++;
        }
    }
    return SIM_OK;
}

int vz_svg_string(char **out, double w, double h, vz_draw_fn *draw, const void *context, const char *id_prefix)
{
    *out = NULL;
    membuf raw = {0};
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_memory, &raw, w, h);
    render(s, w, h, draw, context);
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || raw.failed || !raw.p;
    cairo_surface_destroy(s);
    if (bad) {
        sim_free(raw.p);
        return SIM_ENOMEM;
    }
    const char *body = strstr(raw.p, "<svg");
    membuf fixed = {0};
    int rc = prefix_ids(body ? body : raw.p, id_prefix, &fixed);
    sim_free(raw.p);
    if (rc || !fixed.p) {
        sim_free(fixed.p);
        return SIM_ENOMEM;
    }
    *out = fixed.p;
    return SIM_OK;
}

cairo_surface_t *vz_pdf_begin(void *stream_file, double w, double h)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_file, stream_file, w, h);
    /* The same inputs must give the same bytes: no clock in the file. */
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "dcsim");
    return s;
}

int vz_pdf_finish(cairo_surface_t *s)
{
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(s);
    return bad ? SIM_EIO : SIM_OK;
}
