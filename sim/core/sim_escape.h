/* sim_escape.h -- text into formats that give some characters a meaning:
 * markup (HTML and XML: the five characters that could be read as markup,
 * written as entities) and JSON strings. Every writer of results and
 * reports escapes through these, so no name can break a file. */
#ifndef SIM_ESCAPE_H
#define SIM_ESCAPE_H
#include <stdio.h>

/* Writes s with < > & " ' as entities (NULL writes nothing). */
void sim_escape_markup(FILE *f, const char *s);
/* Writes s as a JSON string, quotes included. */
void sim_escape_json(FILE *f, const char *s);

#endif /* SIM_ESCAPE_H */
