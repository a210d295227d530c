/* test_scale_capacity.c -- every capacity of the shipped stages keeps its
 * total at a small scale: a cell's servers x workers x speed, a database
 * primary's workers x speed, are the full-scale figure times the scale
 * (within 1%), and a connection limit rounds within the 5% the check
 * allows (exactly where the scale makes whole numbers). Scales the check
 * refuses are refused by name, with the smallest scale that is not; a
 * world built at one anyway (tests, benchmarks) still keeps its totals
 * and says so. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "tiny_world.h"

static const char *const stages[] = {"pure", "naive", "mature", "unit"};

/* The default scenario on one of the shipped stages. */
static mdl_config *load_stage(const char *name)
{
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_with_stage("scenarios/double11-idc-power-loss.yaml", name, &cfg, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    return cfg;
}

/* How much faster than the stage's figure a service time runs. */
static double speed(const sim_dist *stage_dist, const sim_dist *world_dist)
{
    return sim_dist_mean(stage_dist) / sim_dist_mean(world_dist);
}

static void assert_within(double got, double want, double tolerance, const char *what, double scale)
{
    if (fabs(got - want) > tolerance * want)
        fail_msg("%s at scale %g: %g, expected %g within %.0f%%", what, scale, got, want, tolerance * 100);
}

static void check_cells(const mdl_world *w, double scale)
{
    for (int c = 0; c < w->n_cells; c++) {
        const w_cell *cell = w->cells[c];
        const stg_pool *def = cell->pool->def;
        const sim_dist *full = &((const mdl_dist *)def->service_time.values)[0].d;
        int t = -1;
        for (int k = 0; k < w->n_types; k++)
            if (!strcmp(w->types[k]->name, def->service_time.keys[0]))
                t = k;
        assert_true(t >= 0);
        double got = cell->n_servers * cell->pool->workers * speed(full, &cell->pool->service[t]);
        double want = (double)cell->def->servers * (double)def->workers * scale;
        assert_within(got, want, 0.01, "a cell's servers x workers x speed", scale);
        /* The queue is the real servers' queues. */
        double queue = (double)cell->def->servers * (double)def->queue_limit * scale;
        assert_within((double)cell->n_servers * cell->pool->queue_limit, queue, 0.05, "a cell's queue", scale);
    }
}

static void check_databases(const mdl_world *w, double scale)
{
    for (int d = 0; d < w->n_dbs; d++) {
        const w_db *db = &w->dbs[d];
        for (int g = 0; g < db->n_groups; g++) {
            const w_group *gr = &db->groups[g];
            double want = (double)db->def->workers * scale;
            assert_within(gr->workers * speed(&db->def->read.d, &db->read), want, 0.01, "a primary's workers (reads)",
                          scale);
            assert_within(gr->workers * speed(&db->def->write.d, &db->write), want, 0.01,
                          "a primary's workers (writes)", scale);
            double connections = (double)db->def->connections * scale;
            int exact_here = fabs(connections - round(connections)) < 1e-9;
            assert_within(gr->connections, connections, exact_here ? 1e-12 : 0.05, "a primary's connections", scale);
        }
    }
}

static void every_capacity_keeps_its_total(void **state)
{
    (void)state;
    /* The smallest the check allows, the ones people use, and awkward ones. */
    const double scales[] = {0.0196, 0.02, 0.0213, 0.037, 0.05, 0.1, 0.333};
    for (size_t s = 0; s < sizeof stages / sizeof *stages; s++) {
        mdl_config *cfg = load_stage(stages[s]);
        for (size_t k = 0; k < sizeof scales / sizeof *scales; k++) {
            char why[512] = "";
            assert_int_equal(mdl_world_check_scale(cfg, 0, scales[k], why, sizeof why), SIM_OK);
            mdl_world *w = tiny_world(cfg, scales[k], 1);
            check_cells(w, scales[k]);
            check_databases(w, scales[k]);
            for (int i = 0; mdl_world_warning(w, i)[0]; i++)
                print_message("%s at %g: %s\n", stages[s], scales[k], mdl_world_warning(w, i));
            mdl_world_destroy(w);
        }
        mdl_config_free(cfg);
    }
}

static void at_scale_1_nothing_moves(void **state)
{
    (void)state;
    for (size_t s = 0; s < sizeof stages / sizeof *stages; s++) {
        mdl_config *cfg = load_stage(stages[s]);
        mdl_world *w = tiny_world(cfg, 1, 1);
        assert_string_equal(mdl_world_warning(w, 0), "");
        for (int c = 0; c < w->n_cells; c++) {
            assert_int_equal(w->cells[c]->n_servers, w->cells[c]->def->servers);
            assert_int_equal(w->cells[c]->pool->workers, w->cells[c]->pool->def->workers);
            assert_int_equal(w->cells[c]->pool->queue_limit, w->cells[c]->pool->def->queue_limit);
            for (int p = 0; p < w->n_pools; p++)
                if (w->pools[p].def == w->cells[c]->pool->def)
                    assert_memory_equal(w->cells[c]->pool->service, w->pools[p].service, sizeof(sim_dist) * w->n_types);
        }
        for (int d = 0; d < w->n_dbs; d++) {
            assert_memory_equal(&w->dbs[d].read, &w->dbs[d].def->read.d, sizeof(sim_dist));
            assert_int_equal(w->dbs[d].groups[0].workers, w->dbs[d].def->workers);
            assert_int_equal(w->dbs[d].groups[0].connections, w->dbs[d].def->connections);
        }
        mdl_world_destroy(w);
        mdl_config_free(cfg);
    }
}

/* Built below the smallest scale anyway: 1.25 servers of 8 workers are one
 * server of 10, 1.28 database workers one worker 1.28 times as fast. */
static void the_unit_stage_built_at_0_005(void **state)
{
    (void)state;
    mdl_config *cfg = load_stage("unit");
    mdl_world *w = tiny_world(cfg, 0.005, 1);
    assert_non_null(strstr(mdl_world_warning(w, 0), "from scale 0.0196 up"));
    for (int c = 0; c < w->n_cells; c++) {
        assert_int_equal(w->cells[c]->n_servers, 1);
        assert_int_equal(w->cells[c]->pool->workers, 10);
        assert_int_equal(w->cells[c]->pool->queue_limit, 80);
    }
    assert_int_equal(w->user_db->groups[0].workers, 1);
    assert_int_equal(w->user_db->groups[0].connections, 10);
    assert_true(fabs(speed(&w->user_db->def->write.d, &w->user_db->write) - 1.28) < 1e-9);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

static void too_small_a_scale_is_refused_naming_the_smallest(void **state)
{
    (void)state;
    mdl_config *cfg = load_stage("unit");
    char why[512] = "";
    /* 1.28 database workers: one worker makes queries wait where 256 do not. */
    assert_int_equal(mdl_world_check_scale(cfg, 0, 0.005, why, sizeof why), SIM_EINPUT);
    print_message("%s\n", why);
    assert_non_null(strstr(why, "stage unit at scale 0.005: database core's workers per primary would be 1.28, "
                                "under 5"));
    assert_non_null(strstr(why, "from scale 0.0196 up"));
    /* Half a server of a cell. */
    assert_int_equal(mdl_world_check_scale(cfg, 0, 0.002, why, sizeof why), SIM_EINPUT);
    assert_non_null(strstr(why, "unit RZ01's servers in HZ-A would be 0.5, under 1"));
    assert_int_equal(mdl_world_check_scale(cfg, 0, 0.0196, why, sizeof why), SIM_OK);
    assert_int_equal(mdl_world_check_scale(cfg, 0, 0.0195, why, sizeof why), SIM_EINPUT);
    mdl_config_free(cfg);
}

/* A limit only rounds: 300 connections at 0.025 are 7.5, and 8 would be
 * 7% more; at 0.02 they are 6 exactly. */
static void a_limit_that_rounds_too_far_is_refused(void **state)
{
    (void)state;
    FILE *f = fopen("scenarios/double11-idc-power-loss.yaml", "rb");
    assert_non_null(f);
    char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 200, f);
    fclose(f);
    text[n] = '\0';
    char *list = strstr(text, "stages: [pure, naive, mature, unit]");
    assert_non_null(list);
    memcpy(list, "stages: [unit]                     ", 35);
    strcat(text, "\noverrides:\n  - {key: databases.core.connections, value: 300}\n");
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_text("scenarios/limit.yaml", text, strlen(text), &cfg, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    char why[512] = "";
    assert_int_equal(mdl_world_check_scale(cfg, 0, 0.02, why, sizeof why), SIM_OK);
    assert_int_equal(mdl_world_check_scale(cfg, 0, 0.025, why, sizeof why), SIM_EINPUT);
    print_message("%s\n", why);
    assert_non_null(strstr(why, "database core's connections per primary would be 7.5, a limit rounding to 8"));
    assert_non_null(strstr(why, "from scale 0.0334 up"));
    mdl_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_capacity_keeps_its_total),
        cmocka_unit_test(at_scale_1_nothing_moves),
        cmocka_unit_test(the_unit_stage_built_at_0_005),
        cmocka_unit_test(too_small_a_scale_is_refused_naming_the_smallest),
        cmocka_unit_test(a_limit_that_rounds_too_far_is_refused),
    };
    return cmocka_run_group_tests_name("scale capacity", tests, NULL, NULL);
}
