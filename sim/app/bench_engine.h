/* bench_engine.h -- the engine's three benchmark workloads (hold,
 * hold+cancel, mix), run on the engine API exactly as models use it. */
#ifndef BENCH_ENGINE_H
#define BENCH_ENGINE_H
#include <stdint.h>

#include "sim_engine.h"

typedef enum bench_workload { BENCH_HOLD, BENCH_HOLD_CANCEL, BENCH_MIX } bench_workload;

typedef struct bench_config {
    bench_workload workload;
    uint64_t pending;        /* N: chains, each with one pending event */
    uint64_t events;         /* events to fire in the timed loop */
    sim_queue_kind queue;
    int use_lanes;           /* constant-delay events on lanes (else the main queue) */
    uint64_t seed;
} bench_config;

typedef struct bench_result {
    double events_per_second; /* fired events / seconds of the timed loop */
    double setup_seconds;
    uint64_t fired;
    double sim_seconds;       /* simulated time reached */
} bench_result;

/* Runs one repetition. Returns 0, or SIM_ENOMEM. */
int bench_engine_run(const bench_config *config, bench_result *result);
const char *bench_workload_name(bench_workload w);

#endif /* BENCH_ENGINE_H */
