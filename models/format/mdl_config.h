/* mdl_config.h -- a scenario with everything it stands on: its stages
 * (overrides applied) and their geography, loaded, checked and resolved.
 * Also loads a lone geography or stage file, for `dcsim validate`.
 *
 * Loading reports every error it finds (up to MDL_MAX_ERRORS), each at its
 * file, line and column; a config with errors is never returned. */
#ifndef MDL_CONFIG_H
#define MDL_CONFIG_H
#include <stdio.h>

#include "mdl_files.h"

/* What was set on a stage beyond its own file, in the order applied. */
typedef struct mdl_applied {
    const char *key;            /* the key path */
    const char *value;          /* as written, on one line */
    const char *from;           /* "overrides[2]", "variant unit-async", "--set", a sweep's file */
} mdl_applied;

typedef struct mdl_config {
    sim_arena arena;            /* owns the structs and strings below */
    cfg_doc **docs;             /* every file read (kept for locations) */
    size_t n_docs, cap_docs;
    int kind;                   /* what the top file was: MDL_FILE_GEOGRAPHY, _STAGE or _SCENARIO */
    const char *path;           /* the top file */
    scenario *scn;              /* NULL unless a scenario was loaded */
    stage **stages;             /* the stages, in the scenario's order */
    const char **stage_paths;   /* where each came from ("(inline)" if written inline) */
    geography **stage_geos;     /* each stage's geography */
    const char **stage_bases;   /* a variant's stage, else NULL */
    mdl_applied **stage_applied; /* per stage: what overrides, variants and settings set */
    size_t *n_stage_applied;
    size_t n_stages;
    geography **geos;           /* distinct geographies read */
    const char **geo_paths;
    size_t n_geos;
    mdl_assumption *assumptions; /* every `assumed:` value, in the order read */
    size_t n_assumptions;
} mdl_config;

typedef struct mdl_errors {
    cfg_error e[MDL_MAX_ERRORS];
    int n;                      /* kept */
    int total;                  /* found */
} mdl_errors;

/* Loads any dcsim file (its `kind:` decides), with what it refers to.
 * Returns 0 and *out, SIM_EINPUT / SIM_ELIMIT / SIM_EIO with errs filled,
 * or SIM_ENOMEM. */
int mdl_config_load(const char *path, mdl_config **out, mdl_errors *errs);
/* Loads a scenario with one stage in place of its `stages:` list: a name
 * (models/stages/), a path (relative to the scenario, or absolute), or
 * one of the scenario's variants. */
int mdl_config_load_with_stage(const char *path, const char *stage_ref, mdl_config **out, mdl_errors *errs);

/* A value set by its key path from outside the scenario: a sweep's
 * parameter, --set, a --variant's setting. */
typedef struct mdl_setting {
    const char *key;
    const cfg_node *key_node;   /* where the key was written, or NULL */
    const cfg_node *value;
    const char *file;           /* what key_node and value are in, for messages ("--set") */
} mdl_setting;

/* A variant given on the command line (--variant NAME:PATH=VALUE). */
typedef struct mdl_variant_spec {
    const char *name;
    const char *stage;          /* NULL: the stage NAME starts with ("unit-async": unit) */
    const mdl_setting *set;
    size_t n_set;
} mdl_variant_spec;

typedef struct mdl_load_options {
    const char *only_stage;     /* as mdl_config_load_with_stage, or NULL */
    const mdl_setting *settings; /* set on every stage (and the scenario) after everything else */
    size_t n_settings;
    const mdl_variant_spec *variants; /* after the scenario's own */
    size_t n_variants;
} mdl_load_options;

/* Loads a scenario with settings and variants from outside it. */
int mdl_config_load_options(const char *path, const mdl_load_options *opt, mdl_config **out, mdl_errors *errs);
/* The same, with the top file's text given (its name stands in messages
 * and anchors relative paths). For the fuzzer and for tests. */
int mdl_config_load_text(const char *name, const char *text, size_t len, mdl_config **out,
                         mdl_errors *errs);
void mdl_config_free(mdl_config *cfg);

/* Writes the loaded file resolved and normalised: a scenario with its
 * stages and their geography inline, defaults filled, values canonical,
 * comments kept. Loading what it writes and printing again gives the same
 * text. */
void mdl_config_print(FILE *out, const mdl_config *cfg);

/* Prints each error as file:line:col: error: key: msg, with the offending
 * line echoed when the file can be read. */
void mdl_errors_print(FILE *out, const mdl_errors *errs);

/* ==== Lookups on loaded structs ==== */

const geo_dc *mdl_geo_dc(const geography *g, const char *name);
const geo_city *mdl_geo_city(const geography *g, const char *name);
const stg_pool *mdl_stage_pool(const stage *s, const char *name);
const stg_unit *mdl_stage_unit(const stage *s, const char *name);
const stg_database *mdl_stage_database(const stage *s, const char *name);
int mdl_stage_uses_dc(const stage *s, const char *dc);
/* The database holding user (DATA_USER) or global data. */
const stg_database *mdl_stage_data_home(const stage *s, int data);
const scn_type *mdl_scenario_type(const scenario *sc, const char *name);
/* The reactions the scenario's trainee takes over (`training.takes`), as
 * bits 1 << REACT_... for mdl_world_set_operator: every one when
 * it names none. Whether there is a trainee at all is the program's call
 * (sc->training.head.present says the scenario has a training section). */
unsigned mdl_training_takes(const scenario *sc);

/* Scenario clock time (after midnight) to run time (0 = the start of the
 * warm-up): the nearer reading, within 12 hours before or after the start
 * (a run starting at 23:58 reaches 00:20 the next day; a spike at 00:00 of
 * a run starting at 00:04 is in the past). */
sim_time mdl_clock_to_run(const scenario *sc, sim_time clock);

/* ==== The traffic curve (mdl_curve.c) ==== */

/* The offered rate (real-world requests per second) at run time t. */
double mdl_curve_rate(const scenario *sc, sim_time t);
/* The step of a grid over the run fine enough to read the curve on: a
 * second, or the run over 20,000 for long runs. */
sim_time mdl_curve_step(const scenario *sc);
/* The start of the busiest minute of offered load in the measured part. */
sim_time mdl_curve_busiest_minute(const scenario *sc);
/* Simulated requests the scenario implies at a scale (first attempts). */
double mdl_scenario_requests(const mdl_config *cfg, double scale);

/* ==== What a run will take (mdl_estimate.c) ==== */

typedef struct mdl_estimate {
    double series_bytes;        /* timeseries.csv, at most */
    double in_flight;           /* requests held at once, at worst */
    double memory_bytes;        /* at worst */
} mdl_estimate;
/* Estimates stage `stage` of the config at a scale, from the files alone. */
void mdl_estimate_run(const mdl_config *cfg, size_t stage_index, double scale, mdl_estimate *out);

#endif /* MDL_CONFIG_H */
