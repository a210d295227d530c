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
int cmd_view(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_batch(int argc, char **argv);
/* A file whose kind is sweep; and checking one (cmd_batch.c). */
int app_is_sweep(const char *path);
int app_validate_sweep(const char *path);
/* One run of dcsim bench e2e (bench_e2e.c): its own world, built, run and
 * destroyed, so that repeated runs start alike. */
typedef struct bench_e2e_result {
    double requests_per_s;      /* simulated requests (attempts) per second of wall time */
    double events_per_s;
    double events_per_request;
    double realtime_factor;     /* simulated seconds per second of wall time */
    double peak_rss_mb;         /* the process's peak so far, not this run's alone */
    double attempts, events;
} bench_e2e_result;
/* Fills *out; returns an exit code, having said why on stderr if not EXIT_DONE. */
int bench_e2e(const char *stage_name, double scale, double window_s, int queue, bench_e2e_result *out);
/* dcsim bench view (bench_view.c): frames drawn headless while the run plays. */
int bench_view(const char *scenario, int width, int height, double seconds);

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
    const char *trace;          /* --trace FILE, or NULL */
    int trace_per_stage;        /* several stages traced: one file each (app_trace_path) */
    double scale;               /* 0: the command's default */
    uint64_t seed;
    int seed_set;
    int check;
    int replicates;
    int jobs;
    double max_output;          /* bytes; 0: the default */
    double max_memory;          /* bytes; 0: the default */
} app_run_args;

/* More simulated requests than this are refused up front (use --scale). */
#define APP_MAX_REQUESTS 4e9
/* The scale of run and compare when neither --scale nor the scenario gives
 * one. The default comparison (four stages, 21 minutes of Double-11) takes
 * about 56 s of wall time on two cores at it, well under the two minutes
 * the README promises; the shipped stages keep every capacity from 0.0196
 * up (a database primary's five workers are the limit), and the headline
 * agrees from 0.02 to 0.1 within the noise between seeds
 * (tests/validation/test_scale.c). */
#define APP_DEFAULT_SCALE 0.05

struct mdl_config;
struct mdl_headline;
int app_parse_run_options(int argc, char **argv, int first, app_run_args *a, const char *command);
/* A seed: digits only, 0 to 2^64 - 1. 0, or -1. */
int app_parse_seed(const char *text, uint64_t *out);
/* Loads any dcsim file, printing every error: EXIT_DONE with *cfg, else
 * EXIT_BAD_INPUT (bad input) or EXIT_RUN_FAILED (out of memory). */
int app_load_config(const char *path, struct mdl_config **cfg);
/* A scenario and one of its stages (by name, of the scenario's or of
 * models/stages/, or a path; NULL: the scenario's last, its most evolved),
 * with the scale settled and checked. Returns an exit code. */
int app_scenario_stage(const char *scenario_path, const char *stage_ref, double *scale, struct mdl_config **cfg,
                       size_t *index);
/* Loads a scenario and settles the scale: --scale if given, else the
 * scenario's own, else `default_scale`. */
int app_load_scenario(const char *path, double *scale, double default_scale, struct mdl_config **cfg);
/* The same checks on a config loaded already. */
int app_check_scenario(const char *path, double *scale, double default_scale, const struct mdl_config *cfg);
/* Refuses a scale at which one of the stages listed (indexes into the
 * config's) cannot keep the totals of its capacities, naming the smallest
 * scale that can. Returns an exit code. */
int app_check_scale(const struct mdl_config *cfg, double scale, const size_t *stages, int n_stages);
/* Refuses runs whose time series or memory would pass the limits
 * (--max-output, --max-memory), with the estimates: the stages listed
 * (indexes into the config's), each `copies` times (replicates),
 * `parallel` at once. Returns an exit code. */
int app_check_limits(const struct mdl_config *cfg, double scale, const size_t *stages, int n_stages, int copies,
                     int parallel, const app_run_args *a);
/* ==== Results that appear whole (app_results.c) ==== */

/* The output folder of one scenario: OUT/<scenario>, locked while this
 * command writes under it; leftovers of killed runs cleaned. */
typedef struct app_out {
    char out[4096];
    char scenario[256];
    char dir[4096];             /* OUT/<scenario> */
    int lock_fd;
} app_out;

/* One set of results: written into `staging`, then swapped in at `final`. */
typedef struct app_set {
    char final[8192];
    char staging[8192];
    char old[8192];
} app_set;

/* Checks --out, creates it, takes the scenario's lock (waiting for another
 * dcsim), cleans leftovers. Prints why not; returns an exit code. */
int app_out_open(app_out *o, const char *out, const char *scenario);
void app_out_close(app_out *o);
/* A set: a stage's folder (stage), or the scenario's whole folder (NULL). */
int app_set_begin(app_out *o, app_set *s, const char *stage);
int app_set_commit(app_set *s);
void app_set_abort(app_set *s);
/* "cannot write FILE: reason" for this thread's failed write (sim_file.h),
 * naming the file where it would have stood; app_io_error prints it as
 * "dcsim: what: ...". */
void app_io_failure(const app_set *s, char *buf, size_t size);
void app_io_error(const app_set *s, const char *what);

/* SIGINT and SIGTERM set a flag the runs check; the command then stops,
 * removes what it was writing and exits 128 + the signal. */
void app_catch_signals(void);
int app_interrupted(void);
/* Prints what was interrupted and returns the exit code (130, 143). */
int app_interrupted_exit(const char *what);

/* Runs one stage and writes its results, whole, into o's stage folder. */
int app_run_stage(const struct mdl_config *cfg, size_t stage_index, const app_run_args *a, uint64_t seed,
                  int seed_set, app_out *o, const char *command_line, int show, struct mdl_headline *h);

/* ==== --trace (cmd_run.c) ==== */

/* The trace of one stage: `trace` itself when only one stage is traced,
 * else with ".STAGE" before its extension (t.trace -> t.unit.trace). */
void app_trace_path(const char *trace, const char *stage_name, int only_one, char *out, size_t size);
/* Runs w to its end as mdl_world_run(w, 0, ...) does, but in slices of
 * 100 ms of simulated time, recording a view after each, and saves the
 * film at trace_path (whole or not at all) once the run has ended. The
 * run is the same, slice or not: capturing draws nothing and changes
 * nothing. Returns what mdl_world_run returns, or SIM_EIO / SIM_ENOMEM
 * with why in err. */
struct w_world;
int app_run_traced(struct w_world *w, const struct mdl_config *cfg, size_t stage_index, const char *trace_path,
                   int (*progress)(double fraction, void *context), void *context, char *err, size_t err_size);

/* ==== --set and --variant (app_settings.c) ==== */

/* Takes `--set KEY=VALUE` or `--variant NAME:KEY=VALUE` (option) for the
 * loads that follow. Returns an exit code. */
int app_settings_option(const char *command, const char *option, const char *value);
/* What the command line set, for mdl_config_load_options, with only_stage. */
struct mdl_load_options;
const struct mdl_load_options *app_settings(const char *only_stage);

/* "dcsim <argv...>" for meta.json. */
void app_join_argv(char *buf, size_t size, int argc, char **argv, const char *command);

#endif /* APP_H */
