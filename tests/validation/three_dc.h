/* three_dc.h -- the hand-built world of the fault and mechanism tests:
 * three datacenters in three cities, a stage written inline around the
 * given cells, databases and entry, run whole; and reading its events. */
#ifndef THREE_DC_H
#define THREE_DC_H
#include <math.h>
#include <string.h>

#include "mdl_view.h"
#include "world_event.h"
#include "tiny_world.h"

/* Three datacenters A, B, C in three cities, 1 ms apart; cells and copies
 * as given, and any more stage keys (stage_rest, each line indented four
 * spaces). Every building without batteries, so power loss is immediate. */
static inline char *three_dc_stage(const char *cells, const char *db, const char *entry, const char *stage_rest,
                                   const char *scenario_rest)
{
    char *buf = malloc(16384);
    snprintf(buf, 16384,
             "dcsim: 1\nkind: scenario\nname: f\n"
             "stages:\n"
             "  - dcsim: 1\n    kind: stage\n    name: f\n"
             "    geography:\n      dcsim: 1\n      kind: geography\n      name: three\n"
             "      cities: [{name: X, lon: 0, lat: 0}, {name: Y, lon: 1, lat: 1}, {name: Z, lon: 2, lat: 2}]\n"
             "      datacenters:\n"
             "        - {name: A, city: X, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: B, city: Y, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "        - {name: C, city: Z, internal_latency: 0s, power: {ups: 0s, generator_start: 0s}}\n"
             "      links:\n"
             "        - {between: [X, Y], paths: [{latency: 1ms}]}\n"
             "        - {between: [Y, Z], paths: [{latency: 1ms}]}\n"
             "        - {between: [X, Z], paths: [{latency: 1ms}]}\n"
             "    datacenters: [A, B, C]\n"
             "    entry: %s\n"
             "    pools: [{name: app, workers: 1000, boot: 0s, service_time: {w: 1ms}}]\n"
             "    units: [{name: u, cells: [%s]}]\n"
             "    databases: [{name: db, holds: [user, global], connections: 100000, workers: 10000, read: 1ms, write: 1ms, recovery: 0s, %s}]\n"
             "%s"
             "start: \"00:00:00\"\nwarmup: 0s\n"
             "slo: {ratio: 99%%, window: 2s, hold: 5s}\n"
             "%s",
             entry, cells, db, stage_rest, scenario_rest);
    return buf;
}

static inline char *three_dc(const char *cells, const char *db, const char *entry, const char *scenario_rest)
{
    return three_dc_stage(cells, db, entry, "", scenario_rest);
}

/* The traffic of most of these worlds: 1000 writes a second. */
#define THREE_DC_WRITES \
    "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}]}\n" \
    "  types: [{name: w, share: 100%, calls: [{data: user, op: write}]}]\n" \
    "  client: {timeout: 1s, retries: 0}\n"

/* The same, reading. */
#define THREE_DC_READS \
    "traffic:\n  users: 1M\n  curve: {points: [{at: \"00:00:00\", rate: 1000/s}]}\n" \
    "  types: [{name: w, share: 100%, calls: [{data: user, op: read}]}]\n" \
    "  client: {timeout: 1s, retries: 0}\n"

static inline mdl_world *run_text(char *text, mdl_config **cfg_out)
{
    mdl_config *cfg = tiny_load(text);
    mdl_world *w = tiny_world(cfg, 1, 21);
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    *cfg_out = cfg;
    free(text);
    return w;
}

static inline double event_time(const mdl_world *w, const char *kind, int nth)
{
    for (size_t i = 0; i < mdl_world_events(w); i++) {
        const mdl_event_row *row = mdl_world_event(w, i);
        if (!strcmp(mdl_event_kinds[row->kind], kind) && nth-- == 0)
            return sim_time_to_seconds(row->t);
    }
    return -1;
}

#endif /* THREE_DC_H */
