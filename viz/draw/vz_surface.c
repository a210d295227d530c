/* vz_surface.c -- cairo surfaces for PNG, SVG and PDF, written through
 * streams so that files are published atomically and SVG can go to memory.
 * An SVG is made in memory first, so that the tooltips the drawing left
 * can be added before its closing tag. */
#include "vz_surface.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
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

static int append(membuf *m, const char *text)
{
    return to_memory(m, (const unsigned char *)text, (unsigned)strlen(text)) == CAIRO_STATUS_SUCCESS ? SIM_OK
                                                                                                    : SIM_ENOMEM;
}

static void render(cairo_surface_t *s, double w, double h, vz_draw_fn *draw, const void *context)
{
    cairo_t *cr = cairo_create(s);
    draw(cr, w, h, context);
    cairo_destroy(cr);
}

/* ==== Tooltips ==== */

/* The SVG surfaces made here carry a membuf of <rect><title> elements as
 * user data; vz_tip finds it there, so a drawing needs no other channel
 * to leave tooltips, and on other surfaces it finds nothing. */
static cairo_user_data_key_t tips_key;

static void append_escaped(membuf *m, const char *text)
{
    for (const char *p = text; *p && !m->failed; p++) {
        const char *e = *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;" : *p == '"' ? "&quot;" : *p == '\'' ? "&#39;" : NULL;
        if (e)
            append(m, e);
        else
            to_memory(m, (const unsigned char *)p, 1);
    }
}

void vz_tip(cairo_t *cr, double x, double y, double w, double h, const char *text)
{
    membuf *m = cairo_surface_get_user_data(cairo_get_target(cr), &tips_key);
    if (!m || !text || !text[0])
        return;
    double x0 = x, y0 = y, x1 = x + w, y1 = y + h;
    cairo_user_to_device(cr, &x0, &y0);
    cairo_user_to_device(cr, &x1, &y1);
    char head[192];
    /* fill-opacity 0, not fill none: an unpainted shape would not be pointed at. */
    snprintf(head, sizeof head, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" fill-opacity=\"0\"><title>",
             fmin(x0, x1), fmin(y0, y1), fabs(x1 - x0), fabs(y1 - y0));
    append(m, head);
    append_escaped(m, text);
    append(m, "</title></rect>\n");
}

/* The drawing as SVG text in *out (the caller frees it), its tooltips
 * added as the last group. */
static int render_svg(membuf *out, double w, double h, vz_draw_fn *draw, const void *context)
{
    membuf raw = {0}, tips = {0};
    memset(out, 0, sizeof *out);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_memory, &raw, w, h);
    cairo_surface_set_user_data(s, &tips_key, &tips, NULL);
    render(s, w, h, draw, context);
    cairo_surface_finish(s);
    int bad = cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || raw.failed || tips.failed || !raw.p;
    cairo_surface_destroy(s);
    char *end = bad ? NULL : strstr(raw.p, "</svg>");
    for (char *next = end; next; next = strstr(next + 1, "</svg>"))
        end = next;
    if (!bad && end) {
        to_memory(out, (const unsigned char *)raw.p, (unsigned)(end - raw.p));
        if (tips.p) {
            append(out, "<g class=\"tips\">\n");
            append(out, tips.p);
            append(out, "</g>\n");
        }
        append(out, end);
    }
    sim_free(raw.p);
    sim_free(tips.p);
    if (bad || !end || out->failed || !out->p) {
        sim_free(out->p);
        out->p = NULL;
        return SIM_ENOMEM; /* in memory, cairo fails for want of it */
    }
    return SIM_OK;
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
    membuf svg;
    int rc = render_svg(&svg, w, h, draw, context);
    if (rc)
        return rc;
    sim_file f;
    rc = sim_file_open(&f, path);
    if (!rc) {
        fwrite(svg.p, 1, svg.n, f.f);
        rc = sim_file_commit(&f); /* checks the write */
    }
    sim_free(svg.p);
    return rc;
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
    membuf raw;
    int bad = render_svg(&raw, w, h, draw, context);
    if (bad)
        return bad;
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
