/* app_limits.c -- refusing, before it starts, a run that would fill the
 * disk with its time series or the memory with requests in flight, with
 * the estimate in the message (mdl_estimate_run). Both limits can be moved
 * by a flag. */
#include <stdio.h>

#include "app.h"
#include "mdl_config.h"

/* timeseries.csv a command may write, and memory its runs may take at worst. */
#define DEFAULT_MAX_OUTPUT 8e9
#define DEFAULT_MAX_MEMORY 16e9

/* "2.3 TB", "840 MB": three figures and a unit. */
static const char *human(double v, const char *unit, char *buf, size_t size)
{
    static const char *const prefix[] = {"", "k", "M", "G", "T", "P", "E"};
    int k = 0;
    while (v >= 1000 && k < 6) {
        v /= 1000;
        k++;
    }
    snprintf(buf, size, "%.3g %s%s", v, prefix[k], unit);
    return buf;
}

int app_check_limits(const mdl_config *cfg, double scale, const size_t *stages, int n_stages, int copies,
                     int parallel, const app_run_args *a)
{
    double max_output = a->max_output > 0 ? a->max_output : DEFAULT_MAX_OUTPUT;
    double max_memory = a->max_memory > 0 ? a->max_memory : DEFAULT_MAX_MEMORY;
    double series = 0, memory = 0, in_flight = 0;
    for (int k = 0; k < n_stages; k++) {
        mdl_estimate e;
        mdl_estimate_run(cfg, stages[k], scale, &e);
        series += e.series_bytes * copies;
        if (e.memory_bytes > memory) {
            memory = e.memory_bytes;
            in_flight = e.in_flight;
        }
    }
    memory *= parallel;
    char got[32], limit[32];
    if (series > max_output) {
        fprintf(stderr,
                "%s:1:1: error: the time series would take about %s (timeseries.csv, every %g s of %g s), past the "
                "limit of %s; give --max-output with more, a longer interval, or timeseries: totals\n",
                cfg->path, human(series, "B", got, sizeof got), sim_time_to_seconds(cfg->scn->interval),
                sim_time_to_seconds(cfg->scn->warmup + cfg->scn->duration), human(max_output, "B", limit, sizeof limit));
        return EXIT_BAD_INPUT;
    }
    if (memory > max_memory) {
        char n[32];
        fprintf(stderr,
                "%s:1:1: error: the run may hold up to %s requests at once (the peak rate at scale %g for the "
                "clients' whole patience), about %s of memory, past the limit of %s; use a smaller --scale, or "
                "give --max-memory with more\n",
                cfg->path, (snprintf(n, sizeof n, "%.3g", in_flight), n), scale, human(memory, "B", got, sizeof got),
                human(max_memory, "B", limit, sizeof limit));
        return EXIT_BAD_INPUT;
    }
    return EXIT_DONE;
}
