/* sim_escape.c -- markup-safe and JSON-safe text. */
#include "sim_escape.h"

void sim_escape_markup(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f); break;
        }
}

uint32_t sim_utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) {
        *s += 1;
        return 0xFFFD;
    }
    c &= n == 0 ? 0x7F : n == 1 ? 0x1F : n == 2 ? 0x0F : 0x07;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) { /* cut short (a NUL ends it too) */
            *s += 1;
            return 0xFFFD;
        }
        c = c << 6 | (p[i] & 0x3F);
    }
    /* Overlong forms, surrogates and past U+10FFFF are not UTF-8. */
    static const uint32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (c < least[n] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
        *s += 1;
        return 0xFFFD;
    }
    *s += n + 1;
    return c;
}

void sim_escape_json(FILE *f, const char *s)
{
    fputc('"', f);
    while (s && *s) {
        const char *from = s;
        uint32_t c = sim_utf8_next(&s);
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", (char)c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 0x20 || c == 0x2028 || c == 0x2029 || (c == 0xFFFD && s - from == 1))
            /* Also the line separators (JavaScript reads them as line ends)
             * and a byte that was not UTF-8 (as U+FFFD). */
            fprintf(f, "\\u%04x", (unsigned)c);
        else
            fwrite(from, 1, (size_t)(s - from), f);
    }
    fputc('"', f);
}
