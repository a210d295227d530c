/* main.c -- the dcsim program: finds the subcommand and runs it. Only this
 * file and the subcommands decide exit codes. */
#include <stdio.h>
#include <string.h>

#include "app.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"compare", cmd_compare, "the scenario on every stage, side by side, and the report: compare SCENARIO"},
    {"view", cmd_view, "the scenario live in a window; the trainee may act: view SCENARIO [--operator]"},
    {"replay", cmd_replay, "a recorded run (--trace) in the same window: replay TRACE"},
    {"run", cmd_run, "run a scenario on its stages: run SCENARIO [--stage S] [--scale F]"},
    {"batch", cmd_batch, "sweeps and explorations over many runs, into SQLite: batch SWEEP.yaml [-j N]"},
    {"validate", cmd_validate, "check files, reporting every error: validate FILE..."},
    {"show", cmd_show, "a file resolved and normalised: show FILE"},
    {"bench", cmd_bench, "measure speed: bench engine | bench e2e"},
    {"reference", cmd_reference, "the file keys' reference as Markdown: reference models|scenarios"},
};

static void print_help(FILE *out)
{
    fprintf(out,
            "dcsim %s -- a discrete-event simulator and chaos testbed for\n"
            "multi-datacenter, active-active architectures.\n\n"
            "usage: dcsim COMMAND [options]   (dcsim COMMAND --help for its options)\n\n"
            "commands:\n",
            DCSIM_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nexit codes: 0 done, 1 the run failed, 2 bad input or usage,\n"
                 "3 a verdict failed under --check\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return EXIT_BAD_INPUT;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return EXIT_DONE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("dcsim %s\n", DCSIM_VERSION);
        return EXIT_DONE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "dcsim: unknown command \"%s\" (see: dcsim --help)\n", argv[1]);
    return EXIT_BAD_INPUT;
}
