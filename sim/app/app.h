/* app.h -- what the dcsim program's subcommands share: their entry points,
 * and small helpers for the command line and the wall clock. */
#ifndef APP_H
#define APP_H
#include <stdint.h>
#include <stdio.h>

/* Exit codes (DESIGN.md "The command line"). */
enum { EXIT_DONE = 0, EXIT_RUN_FAILED = 1, EXIT_BAD_INPUT = 2, EXIT_VERDICT_FAILED = 3 };

/* Each subcommand: argv[0] is its own name. Returns an exit code. */
int cmd_bench(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_reference(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_compare(int argc, char **argv);
/* dcsim bench e2e (bench_e2e.c). */
int bench_e2e(const char *stage_name, double scale, double window_s, int queue);

/* Seconds on a monotonic clock (read once per measurement, never per event). */
double app_wall_seconds(void);
/* Writes a one-line description of this machine and build into buf. */
void app_describe_machine(char *buf, size_t size);
/* Prints "dcsim: <message>" and the usage hint to stderr; returns EXIT_BAD_INPUT. */
int app_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Options shared by run and compare. */
typedef struct app_run_args {
    const char *scenario;
    const char *stage;          /* run --stage */
    const char *stages;         /* compare --stages a,b */
    const char *out;
    double scale;               /* 0: the command's default */
    uint64_t seed;
    int seed_set;
    int check;
    int replicates;
    int jobs;
} app_run_args;

/* More simulated requests than this are refused up front (use --scale). */
#define APP_MAX_REQUESTS 4e9

struct mdl_config;
struct mdl_headline;
int app_parse_run_options(int argc, char **argv, int first, app_run_args *a, const char *command);
/* Loads any dcsim file, printing every error: EXIT_DONE with *cfg, else
 * EXIT_BAD_INPUT (bad input) or EXIT_RUN_FAILED (out of memory). */
int app_load_config(const char *path, struct mdl_config **cfg);
/* Loads a scenario and settles the scale: --scale if given, else the
 * scenario's own, else `default_scale`. */
int app_load_scenario(const char *path, double *scale, double default_scale, struct mdl_config **cfg);
void app_stage_dir(char *buf, size_t size, const char *out, const char *scenario_name,
                   const char *stage_name);
/* Runs one stage and writes its results into dir (NULL: none). */
int app_run_stage(const struct mdl_config *cfg, size_t stage_index, const app_run_args *a, uint64_t seed,
                  int seed_set, const char *dir, const char *command_line, int show,
                  struct mdl_headline *h);
/* "dcsim <argv...>" for meta.json. */
void app_join_argv(char *buf, size_t size, int argc, char **argv, const char *command);

#endif /* APP_H */
