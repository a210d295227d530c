/* vz_text.c -- placing and wrapping text with cairo's toy text API (enough
 * for labels and paragraphs; glyphs become paths in SVG and PDF). */
#include "vz_text.h"

#include <stdio.h>
#include <string.h>

void vz_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double vz_text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    return ext.x_advance;
}

void vz_text(cairo_t *cr, double x, double y, const char *text, int align, int valign)
{
    cairo_font_extents_t fe;
    cairo_font_extents(cr, &fe);
    double w = vz_text_width(cr, text);
    double dx = align == VZ_CENTRE ? -w / 2 : align == VZ_RIGHT ? -w : 0;
    double dy = valign == VZ_MIDDLE ? (fe.ascent - fe.descent) / 2 : valign == VZ_TOP ? fe.ascent : 0;
    cairo_move_to(cr, x + dx, y + dy);
    cairo_show_text(cr, text);
}

double vz_text_wrapped(cairo_t *cr, double x, double y, double width, double line_height, const char *text)
{
    char line[1024] = "";
    const char *p = text;
    while (*p) {
        /* The next word, with the space before it. */
        const char *end = p;
        while (*end == ' ')
            end++;
        while (*end && *end != ' ' && *end != '\n')
            end++;
        char trial[1024];
        size_t len = strlen(line), add = (size_t)(end - p);
        if (len + add >= sizeof trial)
            add = sizeof trial - len - 1;
        memcpy(trial, line, len);
        memcpy(trial + len, p, add);
        trial[len + add] = 0;
        const char *word = trial + len;
        if (len > 0 && vz_text_width(cr, trial) > width) {
            vz_text(cr, x, y, line, VZ_LEFT, VZ_BASELINE);
            y += line_height;
            while (*word == ' ')
                word++;
            snprintf(line, sizeof line, "%s", word);
        } else {
            snprintf(line, sizeof line, "%s", len == 0 ? trial + strspn(trial, " ") : trial);
        }
        p = end;
        if (*p == '\n') {
            vz_text(cr, x, y, line, VZ_LEFT, VZ_BASELINE);
            y += line_height;
            line[0] = 0;
            p++;
        }
    }
    if (line[0]) {
        vz_text(cr, x, y, line, VZ_LEFT, VZ_BASELINE);
        y += line_height;
    }
    return y;
}
