/* cmd_files.c -- `dcsim validate` (check files, report every error) and
 * `dcsim show` (a file resolved and normalised). */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "mdl_config.h"
#include "sim_status.h"

int cmd_validate(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs("usage: dcsim validate FILE...\n\n"
              "Checks geography, stage, scenario and sweep files with everything they refer to,\n"
              "and prints every error as file:line:col: error: key: message.\n"
              "Exit 0 when all are valid, 2 otherwise.\n",
              argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_DONE;
    }
    int worst = EXIT_DONE;
    for (int i = 1; i < argc; i++) {
        mdl_config *cfg = NULL;
        int rc = app_is_sweep(argv[i]) ? app_validate_sweep(argv[i]) : app_load_config(argv[i], &cfg);
        if (rc == EXIT_DONE && cfg) {
            if (cfg->kind == MDL_FILE_SCENARIO)
                printf("%s: valid scenario (%zu stages, %zu assumed values)\n", argv[i], cfg->n_stages,
                       cfg->n_assumptions);
            else
                printf("%s: valid %s (%zu assumed values)\n", argv[i], mdl_file_kinds[cfg->kind], cfg->n_assumptions);
        }
        mdl_config_free(cfg);
        if (rc > worst || (rc == EXIT_RUN_FAILED && worst == EXIT_DONE))
            worst = rc;
    }
    return worst;
}

int cmd_show(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0) {
        fputs("usage: dcsim show FILE\n\n"
              "Prints the file with the stages and geography it refers to written inline,\n"
              "defaults filled and values normalised, as YAML; what overrides and variants\n"
              "set is written into the values. Showing that output again\n"
              "prints the same text, and a run from it gives the same results.\n",
              argc != 2 ? stderr : stdout);
        return argc != 2 ? EXIT_BAD_INPUT : EXIT_DONE;
    }
    mdl_config *cfg = NULL;
    int rc = app_load_config(argv[1], &cfg);
    if (rc == EXIT_DONE) {
        printf("# %s, resolved by dcsim show\n", argv[1]);
        mdl_config_print(stdout, cfg);
        if (fflush(stdout) != 0)
            rc = EXIT_RUN_FAILED;
    }
    mdl_config_free(cfg);
    return rc;
}

int cmd_reference(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "models") != 0 && strcmp(argv[1], "scenarios") != 0)) {
        fputs("usage: dcsim reference models|scenarios\n\n"
              "Writes the reference of every key of the geography and stage files\n"
              "(models) or of scenario files (scenarios) as Markdown, from the same\n"
              "tables the loader checks files with. models/README.md and\n"
              "scenarios/README.md end with this text.\n",
              stderr);
        return EXIT_BAD_INPUT;
    }
    mdl_reference(stdout, strcmp(argv[1], "models") == 0 ? MDL_FILE_STAGE : MDL_FILE_SCENARIO);
    return fflush(stdout) ? EXIT_RUN_FAILED : EXIT_DONE;
}
