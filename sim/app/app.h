/* app.h -- what the dcsim program's subcommands share: their entry points,
 * and small helpers for the command line and the wall clock. */
#ifndef APP_H
#define APP_H
#include <stdio.h>

/* Exit codes (DESIGN.md "The command line"). */
enum { EXIT_DONE = 0, EXIT_RUN_FAILED = 1, EXIT_BAD_INPUT = 2, EXIT_VERDICT_FAILED = 3 };

/* Each subcommand: argv[0] is its own name. Returns an exit code. */
int cmd_bench(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_reference(int argc, char **argv);

/* Seconds on a monotonic clock (read once per measurement, never per event). */
double app_wall_seconds(void);
/* Writes a one-line description of this machine and build into buf. */
void app_describe_machine(char *buf, size_t size);
/* Prints "dcsim: <message>" and the usage hint to stderr; returns EXIT_BAD_INPUT. */
int app_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* APP_H */
