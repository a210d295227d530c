/* mdl_errors.c -- printing a load's errors, each at its place, with the
 * offending line echoed. */
#include <stdio.h>
#include <string.h>

#include "mdl_config.h"
#include "sim_file.h"

/* The text of line `line` of `file`, or NULL. */
static int echo_line(FILE *out, const char *file, int line)
{
    FILE *f = sim_open_regular(file); /* never wait on a FIFO to echo a line */
    if (!f)
        return 0;
    char buf[512];
    int at = 1, shown = 0;
    while (fgets(buf, sizeof buf, f)) {
        size_t len = strlen(buf);
        if (at == line) {
            buf[strcspn(buf, "\r\n")] = '\0';
            fprintf(out, "    >>> %s\n", buf);
            shown = 1;
            break;
        }
        if (len && buf[len - 1] == '\n')
            at++;
    }
    fclose(f);
    return shown;
}

void mdl_errors_print(FILE *out, const mdl_errors *errs)
{
    for (int i = 0; i < errs->n; i++) {
        char line[1024];
        cfg_error_format(&errs->e[i], line, sizeof line);
        fprintf(out, "%s\n", line);
        echo_line(out, errs->e[i].file, errs->e[i].line);
    }
    if (errs->total > errs->n)
        fprintf(out, "... and %d more errors\n", errs->total - errs->n);
}
