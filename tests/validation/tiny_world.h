/* tiny_world.h -- building small hand-made worlds for tests: a scenario
 * with one stage written inline on a one- or two-datacenter geography. */
#ifndef TINY_WORLD_H
#define TINY_WORLD_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_config.h"
#include "mdl_world.h"
#include "sim_status.h"
#include "world.h"

/* The text with its first `from` replaced by `to` (the text is freed);
 * aborts when `from` is not in it. */
static inline char *tiny_replace(char *text, const char *from, const char *to)
{
    char *at = strstr(text, from);
    if (!at) {
        fprintf(stderr, "tiny_replace: \"%s\" is not in:\n%s\n", from, text);
        abort();
    }
    size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    free(text);
    return out;
}

/* Loads a scenario from text; fails the test on error. */
static inline mdl_config *tiny_load(const char *text)
{
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_text("tiny.yaml", text, strlen(text), &cfg, &errs);
    if (rc) {
        mdl_errors_print(stderr, &errs);
        fprintf(stderr, "in:\n%s\n", text);
        abort();
    }
    return cfg;
}

static inline mdl_world *tiny_world(const mdl_config *cfg, double scale, uint64_t seed)
{
    mdl_run_options opt = {scale, seed, 1, SIM_QUEUE_DEFAULT, 0};
    mdl_world *w;
    char err[256];
    if (mdl_world_create(cfg, 0, &opt, &w, err, sizeof err)) {
        fprintf(stderr, "world: %s\n", err);
        abort();
    }
    return w;
}

/* A one-datacenter world: one pool of `servers` servers with `workers`
 * workers each, exponential service of mean `service`, Poisson arrivals
 * at `rate`, no network delays, no timeouts that matter. */
static inline char *tiny_queue_text(int servers, int workers, const char *service, const char *rate,
                                    const char *warmup, const char *duration)
{
    char *buf = malloc(4096);
    snprintf(buf, 4096,
             "dcsim: 1\nkind: scenario\nname: tiny\n"
             "stages:\n"
             "  - dcsim: 1\n    kind: stage\n    name: tiny\n"
             "    geography:\n      dcsim: 1\n      kind: geography\n      name: one\n"
             "      cities: [{name: C, lon: 0, lat: 0}]\n"
             "      datacenters: [{name: D, city: C, internal_latency: 0s, racks: 10000, servers_per_rack: 1000}]\n"
             "    datacenters: [D]\n"
             "    entry: {kind: vip, datacenters: [D], client_latency: 0s}\n"
             "    balancer: {kind: hardware}\n"
             "    pools:\n      - name: app\n        workers: %d\n        queue_limit: 1000000000\n"
             "        service_time: {job: {exponential: {mean: %s}}}\n"
             "    units:\n      - name: u\n        cells: [{datacenter: D, pool: app, servers: %d}]\n"
             "    databases:\n      - {name: db, holds: [user, global], groups: [{primary: D}]}\n"
             "start: \"00:00:00\"\nwarmup: %s\nduration: %s\n"
             "traffic:\n  users: 1M\n"
             "  curve: {points: [{at: \"00:00:00\", rate: %s}]}\n"
             "  types: [{name: job, share: 100%%}]\n"
             "  client: {timeout: 600s, retries: 0}\n",
             workers, service, servers, warmup, duration, rate);
    return buf;
}

static inline w_cell *tiny_cell(mdl_world *w) { return w->cells[0]; }

#endif /* TINY_WORLD_H */
