/* test_operator.c -- the operator's seat: a trainee takes over the
 * stage's reactions (they wait, and an alert says what is due, once), and
 * acts by hand with mdl_world_act, each act taking the time the stage's
 * runbook step takes; bad acts are refused and change nothing; the same
 * acts at the same times give the same run; and a scenario's `training:`
 * section. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "../validation/three_dc.h" /* (its folder is not on this test's include path) */

/* ==== Worlds ==== */

/* The unit lives in A with its standby in B; A goes dark for good at
 * 10 s. The registry (in C) misses 3 heartbeats of 1 s: the switch is due
 * at about 13 s. The stage's runbook says switching a unit by hand takes
 * 30 s. Gateways route by unit. */
static char *unit_text(void)
{
    return three_dc_stage("{datacenter: A, pool: app, servers: 4}, {datacenter: B, pool: app, servers: 4, standby: true}",
                          "groups: [{primary: C}]",
                          "{kind: gateway, datacenters: [A, B], connect_timeout: 200ms, routing: by-unit, client_latency: 0s}",
                          "    registry: {datacenters: [C], heartbeat: 1s, threshold: 3, push_delay: 1s}\n"
                          "    unit_switch: {trigger: automatic, push_delay: 1s}\n"
                          "    runbooks: [{name: by-hand, on: script, steps: [{do: switch-units, duration: 30s}]}]\n",
                          "duration: 90s\n" THREE_DC_WRITES
                          "faults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, permanent: true}\n");
}

/* Three groups with primaries in A and replicas in B, promoted by hand (no
 * runbook pages: the database's own stand-in would); A goes dark for good
 * at 10 s. The stage's script runbook says a promotion takes 20 s. */
static char *groups_text(void)
{
    return three_dc_stage("{datacenter: B, pool: app, servers: 4}",
                          "replication: {mode: async, shipping: 0s, applying: 0s}, promotion: {mode: manual}, groups: ["
                          "{shards: 00-32, primary: A, replicas: [B]}, {shards: 33-65, primary: A, replicas: [B]}, "
                          "{shards: 66-99, primary: A, replicas: [B]}]",
                          "{kind: vip, datacenters: [B], client_latency: 0s}",
                          "    runbooks: [{name: by-hand, on: script, steps: [{do: promote, duration: 20s}]}]\n",
                          "duration: 200s\n" THREE_DC_WRITES
                          "faults:\n  - {at: \"00:00:10\", kind: power, target: {datacenter: A}, generator: fails, permanent: true}\n");
}

static mdl_world *world_of(char *text, unsigned takes, mdl_config **cfg)
{
    *cfg = tiny_load(text);
    free(text);
    mdl_world *w = tiny_world(*cfg, 1, 21);
    mdl_world_set_operator(w, takes);
    return w;
}

static int count_events(const mdl_world *w, const char *kind)
{
    int n = 0;
    for (size_t i = 0; i < mdl_world_events(w); i++)
        n += !strcmp(mdl_event_kinds[mdl_world_event(w, i)->kind], kind);
    return n;
}

static double event_with(const mdl_world *w, const char *kind, const char *text_part)
{
    for (size_t i = 0; i < mdl_world_events(w); i++) {
        const mdl_event_row *row = mdl_world_event(w, i);
        if (!strcmp(mdl_event_kinds[row->kind], kind) && strstr(row->text, text_part))
            return sim_time_to_seconds(row->t);
    }
    return -1;
}

static double last_failure(const mdl_world *w)
{
    const mdl_series *s = mdl_world_series(w);
    double last = -1;
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].failed > 0)
            last = s->p[i].t;
    return last;
}

static void act(mdl_world *w, int kind, const char *target)
{
    mdl_act a = {kind, target, NULL};
    char err[160];
    int rc = mdl_world_act(w, &a, err, sizeof err);
    if (rc)
        fail_msg("%s %s refused: %s", mdl_action_kinds[kind], target, err);
}

#define UNIT_SWITCH (1u << REACT_UNIT_SWITCH)

/* ==== Reactions taken over ==== */

/* Taken over, the unit switch never happens by itself: its unit stays in
 * the dark building to the end, and one alert says so, though the
 * registry keeps hearing of cells change (every building's power and the
 * links). Left to the stage, it switches at about 14 s. */
static void a_unit_switch_taken_over_waits_and_alerts_once(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = world_of(unit_text(), UNIT_SWITCH, &cfg);
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    double alert = event_time(w, "alert", 0);
    for (size_t i = 0; i < mdl_world_events(w); i++)
        if (mdl_world_event(w, i)->kind == EV_ALERT)
            print_message("taken over: alert at %.2f s: %s\n", alert, mdl_world_event(w, i)->text);
    assert_int_equal(count_events(w, "alert"), 1);
    assert_true(alert > 12 && alert < 13.5);
    assert_true(event_with(w, "alert", "the unit switch is yours") == alert);
    assert_int_equal(count_events(w, "switch"), 0);
    assert_true(last_failure(w) >= 89);
    mdl_world_destroy(w);
    mdl_config_free(cfg);

    w = world_of(unit_text(), 0, &cfg); /* not taken: the stage switches */
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    assert_int_equal(count_events(w, "alert"), 0);
    assert_true(event_time(w, "switch", 0) > 13 && event_time(w, "switch", 0) < 15);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* The trainee switches the unit at 20 s: the runbook's 30 s of hands,
 * done at 50 s; the switch then pushes the mapping in 1 s, and failures
 * stop within the client's 1 s timeout after. */
static void a_switch_unit_act_completes_after_the_steps_duration(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = world_of(unit_text(), UNIT_SWITCH, &cfg);
    assert_int_equal(mdl_world_run(w, 20 * SIM_SEC, NULL, NULL), 1);
    size_t before = mdl_world_events(w);
    act(w, ACTION_SWITCH_UNIT, "u");
    assert_int_equal(mdl_world_events(w), before + 1);
    const mdl_event_row *row = mdl_world_event(w, before);
    print_message("%s\n", row->text);
    assert_string_equal(mdl_event_kinds[row->kind], "action");
    assert_string_equal(row->text, "the trainee starts: switch-unit u (about 30s)");
    assert_int_equal(row->t, 20 * SIM_SEC);
    /* The same act again while it is under way is refused. */
    mdl_act again = {ACTION_SWITCH_UNIT, "u", NULL};
    char err[160];
    assert_int_equal(mdl_world_act(w, &again, err, sizeof err), SIM_EINPUT);
    print_message("again: %s\n", err);
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    double done = event_with(w, "action", "the trainee has done"), switched = event_time(w, "switch", 0);
    print_message("done at %.2f s, switched at %.2f s, last failure at %.0f s\n", done, switched, last_failure(w));
    assert_true(fabs(done - 50) < 1e-9);
    assert_true(switched >= 51 && switched < 51.2);
    assert_true(last_failure(w) < switched + 2);
    assert_int_equal(count_events(w, "alert"), 1);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* Promotion taken over: each lost group alerts once. The trainee promotes
 * db/0-32 by its shards at 60 s (done at 80 s), then db/40 (the group
 * holding shard 40) and "db" (whatever group is still lost) at 100 s. */
static void the_trainee_promotes_groups_by_name(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = world_of(groups_text(), 1u << REACT_PROMOTION, &cfg);
    assert_int_equal(mdl_world_run(w, 60 * SIM_SEC, NULL, NULL), 1);
    assert_int_equal(count_events(w, "alert"), 3);
    assert_int_equal(count_events(w, "promote"), 0);
    act(w, ACTION_PROMOTE, "db/0-32");
    assert_int_equal(mdl_world_run(w, 100 * SIM_SEC, NULL, NULL), 1);
    assert_int_equal(count_events(w, "promote"), 1);
    assert_true(fabs(event_with(w, "promote", "db 00-32") - 80) < 1e-9);
    act(w, ACTION_PROMOTE, "db/40");
    char err[160];
    mdl_act whole = {ACTION_PROMOTE, "db", NULL}; /* the other lost one (33-65 is under way, but lost still) */
    assert_int_equal(mdl_world_act(w, &whole, err, sizeof err), 0);
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    print_message("promoted at %.0f, %.0f, %.0f s\n", event_time(w, "promote", 0), event_time(w, "promote", 1),
                  event_time(w, "promote", 2));
    assert_true(fabs(event_with(w, "promote", "db 33-65") - 120) < 1e-9);
    assert_true(fabs(event_with(w, "promote", "db 66-99") - 120) < 1e-9);
    assert_int_equal(count_events(w, "promote"), 3);
    assert_int_equal(count_events(w, "alert"), 3);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* The same rows, word for word. */
static int same_events(const mdl_world *a, const mdl_world *b)
{
    if (mdl_world_events(a) != mdl_world_events(b))
        return 0;
    for (size_t i = 0; i < mdl_world_events(a); i++) {
        const mdl_event_row *x = mdl_world_event(a, i), *y = mdl_world_event(b, i);
        if (x->t != y->t || x->kind != y->kind || strcmp(x->target, y->target) || strcmp(x->text, y->text)) {
            print_message("row %zu differs: %.3f %s %s / %.3f %s %s\n", i, sim_time_to_seconds(x->t), x->target, x->text,
                          sim_time_to_seconds(y->t), y->target, y->text);
            return 0;
        }
    }
    return 1;
}

/* Every reaction taken over, on the shipped scenarios in every stage: no
 * unit moves, no copy is promoted or elected, no failover, no request type
 * shed, no runbook runs (none of these scenarios scripts an action); the
 * trainee is alerted instead, once for each thing. */
static void with_every_reaction_taken_the_stages_only_alert(void **state)
{
    (void)state;
    const char *files[] = {"scenarios/double11-idc-power-loss.yaml", "scenarios/db-primary-crash.yaml"};
    const char *never[] = {"switch", "promote", "forbid", "handover", "rollback", "degrade", "runbook"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        mdl_config *cfg;
        mdl_errors errs;
        int total = 0;
        assert_int_equal(mdl_config_load(files[f], &cfg, &errs), 0);
        for (size_t s = 0; s < cfg->n_stages; s++) {
            mdl_world *w;
            mdl_run_options opt = {0.001, 1, 1, SIM_QUEUE_DEFAULT, NULL};
            char err[256];
            assert_int_equal(mdl_world_create(cfg, s, &opt, &w, err, sizeof err), 0);
            mdl_world_set_operator(w, MDL_REACT_ALL);
            assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
            int alerts = 0;
            for (size_t i = 0; i < mdl_world_events(w); i++) {
                const mdl_event_row *row = mdl_world_event(w, i);
                for (size_t k = 0; k < sizeof never / sizeof *never; k++)
                    if (!strcmp(mdl_event_kinds[row->kind], never[k]))
                        fail_msg("%s, %s: %s %s", files[f], cfg->stages[s]->name, never[k], row->text);
                if (row->kind == EV_ALERT) {
                    print_message("%s, %s: %.0f s %s: %s\n", files[f], cfg->stages[s]->name, sim_time_to_seconds(row->t),
                                  row->target, row->text);
                    for (size_t j = 0; j < i; j++) /* once for each thing */
                        if (mdl_world_event(w, j)->kind == EV_ALERT && !strcmp(mdl_world_event(w, j)->target, row->target) &&
                            !strcmp(mdl_world_event(w, j)->text, row->text))
                            fail_msg("alerted twice: %s", row->text);
                    alerts++;
                }
            }
            print_message("%s, %s: %d alerts\n", files[f], cfg->stages[s]->name, alerts);
            total += alerts;
            mdl_world_destroy(w);
        }
        assert_true(total > 0); /* (pure has nothing automatic to take) */
        mdl_config_free(cfg);
    }
}

/* ==== Refusals ==== */

static void bad_acts_are_refused_and_change_nothing(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_world *w = world_of(groups_text(), 1u << REACT_PROMOTION, &cfg);
    assert_int_equal(mdl_world_run(w, 60 * SIM_SEC, NULL, NULL), 1);
    const struct {
        int kind;
        const char *target;
    } bad[] = {
        {ACTION_PROMOTE, "nosuch/1"}, {ACTION_PROMOTE, "db/0-5"},   {ACTION_PROMOTE, "db/x"},
        {ACTION_SWITCH_UNIT, "zz"},   {ACTION_FAILBACK, "u"},       {ACTION_DRAIN, "Q"},
        {ACTION_DRAIN, "B"},          {ACTION_UNDRAIN, "B"},        {ACTION_DEGRADE, "nope"},
        {ACTION_RESTORE, "w"},        {ACTION_RUNBOOK, "no-such"},  {ACTION_ROLLBACK, ""},
        {ACTION_PROMOTE, ""},         {ACTION_COUNT, "u"},
    };
    size_t before = mdl_world_events(w);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mdl_act a = {bad[i].kind, bad[i].target, NULL};
        char err[160] = "";
        assert_int_equal(mdl_world_act(w, &a, err, sizeof err), SIM_EINPUT);
        print_message("%s %s: %s\n", bad[i].kind < ACTION_COUNT ? mdl_action_kinds[bad[i].kind] : "?", bad[i].target, err);
        assert_true(err[0] != 0);
    }
    assert_int_equal(mdl_world_events(w), before);
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);

    /* The whole run is the run without them. */
    mdl_config *cfg2;
    mdl_world *w2 = world_of(groups_text(), 1u << REACT_PROMOTION, &cfg2);
    assert_int_equal(mdl_world_run(w2, 0, NULL, NULL), 0);
    assert_true(same_events(w, w2));
    mdl_world_destroy(w2);
    mdl_config_free(cfg2);
    mdl_world_destroy(w);
    mdl_config_free(cfg);
}

/* ==== Determinism ==== */

/* Runs the groups world with the trainee's acts at 30 s and at `second`
 * s; the run as its events and its series. */
static mdl_world *acted_run(double second, mdl_config **cfg)
{
    mdl_world *w = world_of(groups_text(), MDL_REACT_ALL, cfg);
    assert_int_equal(mdl_world_run(w, 30 * SIM_SEC, NULL, NULL), 1);
    act(w, ACTION_PROMOTE, "db/5");
    act(w, ACTION_DEGRADE, "w");
    assert_int_equal(mdl_world_run(w, (sim_time)(second * 1e9), NULL, NULL), 1);
    act(w, ACTION_PROMOTE, "db");
    act(w, ACTION_RESTORE, "w");
    assert_int_equal(mdl_world_run(w, 0, NULL, NULL), 0);
    return w;
}

static int same_run(const mdl_world *a, const mdl_world *b)
{
    if (!same_events(a, b))
        return 0;
    const mdl_series *sa = mdl_world_series(a), *sb = mdl_world_series(b);
    return sa->n == sb->n && !memcmp(sa->p, sb->p, sa->n * sizeof *sa->p);
}

static void the_same_acts_at_the_same_times_give_the_same_run(void **state)
{
    (void)state;
    mdl_config *c1, *c2, *c3;
    mdl_world *a = acted_run(70, &c1), *b = acted_run(70, &c2), *c = acted_run(90, &c3);
    assert_true(same_run(a, b));
    assert_false(same_run(a, c));
    assert_int_equal(count_events(a, "promote"), 3);
    mdl_world_destroy(a);
    mdl_world_destroy(b);
    mdl_world_destroy(c);
    mdl_config_free(c1);
    mdl_config_free(c2);
    mdl_config_free(c3);
}

/* ==== The scenario's training section ==== */

static char *training_text(const char *takes)
{
    char rest[1024];
    snprintf(rest, sizeof rest, "duration: 30s\n%straining:\n  brief: A goes dark.\n  decide: When to switch.\n%s",
             THREE_DC_WRITES, takes);
    return three_dc("{datacenter: A, pool: app, servers: 4}", "groups: [{primary: C}]",
                    "{kind: vip, datacenters: [A], client_latency: 0s}", rest);
}

static void a_training_section_loads_and_a_bad_reaction_is_located(void **state)
{
    (void)state;
    char *text = training_text("  takes: [unit-switch, rollback]\n");
    mdl_config *cfg = tiny_load(text);
    free(text);
    const scn_training *t = &cfg->scn->training;
    assert_true(t->head.present);
    assert_string_equal(t->brief, "A goes dark.");
    assert_string_equal(t->decide, "When to switch.");
    assert_int_equal(mdl_training_takes(cfg->scn), (1u << REACT_UNIT_SWITCH) | (1u << REACT_ROLLBACK));
    mdl_config_free(cfg);

    text = training_text(""); /* takes nothing named: all */
    cfg = tiny_load(text);
    free(text);
    assert_int_equal(mdl_training_takes(cfg->scn), MDL_REACT_ALL);
    mdl_config_free(cfg);

    text = training_text("  takes: [unit-switch, promotoin]\n");
    mdl_errors errs;
    assert_int_equal(mdl_config_load_text("train.yaml", text, strlen(text), &cfg, &errs), SIM_EINPUT);
    /* Where it stands: the line of `takes:`, the column of the bad name. */
    int line = 1;
    const char *at = strstr(text, "promotoin");
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    const char *bol = at;
    while (bol > text && bol[-1] != '\n')
        bol--;
    char got[700];
    cfg_error_format(&errs.e[0], got, sizeof got);
    print_message("%s\n", got);
    assert_int_equal(errs.n, 1);
    assert_string_equal(errs.e[0].file, "train.yaml");
    assert_int_equal(errs.e[0].line, line);
    assert_int_equal(errs.e[0].col, (int)(at - bol) + 1);
    assert_string_equal(errs.e[0].key, "training.takes[1]");
    assert_non_null(strstr(errs.e[0].msg, "did you mean \"promotion\""));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_unit_switch_taken_over_waits_and_alerts_once),
        cmocka_unit_test(a_switch_unit_act_completes_after_the_steps_duration),
        cmocka_unit_test(the_trainee_promotes_groups_by_name),
        cmocka_unit_test(with_every_reaction_taken_the_stages_only_alert),
        cmocka_unit_test(bad_acts_are_refused_and_change_nothing),
        cmocka_unit_test(the_same_acts_at_the_same_times_give_the_same_run),
        cmocka_unit_test(a_training_section_loads_and_a_bad_reaction_is_located),
    };
    return cmocka_run_group_tests_name("operator", tests, NULL, NULL);
}
