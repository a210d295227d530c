/* sim_escape.h -- text into formats that give some characters a meaning:
 * markup (HTML and XML: the five characters that could be read as markup,
 * written as entities) and JSON strings. Every writer of results and
 * reports escapes through these, so no name can break a file. */
#ifndef SIM_ESCAPE_H
#define SIM_ESCAPE_H
#include <stdio.h>

#include <stdint.h>

/* The next character of UTF-8 text at *s, advancing past it; an invalid
 * or cut sequence is U+FFFD, one byte long. */
uint32_t sim_utf8_next(const char **s);

/* Writes s with < > & " ' as entities (NULL writes nothing). */
void sim_escape_markup(FILE *f, const char *s);
/* Writes s as a JSON string, quotes included: always valid UTF-8 (a byte
 * that is not, such as from a file name, becomes U+FFFD). */
void sim_escape_json(FILE *f, const char *s);

#endif /* SIM_ESCAPE_H */
