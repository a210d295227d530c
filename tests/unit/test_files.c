/* test_files.c -- the file formats: every error class gives its pinned
 * message (tests/bad_yaml/, first line of each file); limits refuse
 * hostile input fast; every shipped file validates, shows idempotently and
 * says where each figure comes from; the references are up to date;
 * overrides, anchors and unit values behave. Runs from the project root. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cfg_value.h"
#include "mdl_config.h"
#include "sim_status.h"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The .yaml files of a directory, sorted. */
static size_t list_yaml(const char *dir, char **out, size_t max)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 5 && !strcmp(e->d_name + len - 5, ".yaml")) {
            out[n] = malloc(strlen(dir) + len + 2);
            sprintf(out[n++], "%s/%s", dir, e->d_name);
        }
    }
    closedir(d);
    qsort(out, n, sizeof *out, cmp_str);
    return n;
}

/* ==== Every error class ==== */

static void each_bad_file_gives_its_pinned_first_error(void **state)
{
    (void)state;
    char *files[128];
    size_t n = list_yaml("tests/bad_yaml", files, 128);
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        char *text = read_all(files[i], NULL);
        assert_non_null(text);
        assert_true(strncmp(text, "# expect: ", 10) == 0);
        char *expect = text + 10;
        expect[strcspn(expect, "\n")] = '\0';
        mdl_config *cfg = NULL;
        mdl_errors errs;
        int rc = mdl_config_load(files[i], &cfg, &errs);
        if (rc != SIM_EINPUT && rc != SIM_ELIMIT)
            fail_msg("%s: loading returned %d, not an input error", files[i], rc);
        assert_null(cfg);
        assert_true(errs.n >= 1);
        char got[1024];
        cfg_error_format(&errs.e[0], got, sizeof got);
        if (strcmp(got, expect) != 0)
            fail_msg("%s:\n  expected: %s\n  got:      %s", files[i], expect, got);
        free(text);
        free(files[i]);
    }
}

/* Many mistakes in one file are all reported, up to the cap. */
static void every_error_of_a_file_is_reported(void **state)
{
    (void)state;
    const char *text =
        "dcsim: 1\nkind: geography\nname: g\n"
        "cities: [{name: A, lon: 500, lat: 0}, {name: B, lon: 0, lat: -100}]\n"
        "datacenters:\n"
        "  - {name: D1, city: C, racks: 0}\n"
        "  - {name: D2, city: A, power: {ups: soon}}\n"
        "links: [{between: [D1, D9], paths: []}]\n"
        "colour: blue\n";
    mdl_config *cfg;
    mdl_errors errs;
    assert_int_equal(mdl_config_load_text("many.yaml", text, strlen(text), &cfg, &errs), SIM_EINPUT);
    assert_true(errs.total >= 5);
    char line[512];
    cfg_error_format(&errs.e[0], line, sizeof line);
    assert_string_equal(line, "many.yaml:4:25: error: cities[0].lon: 500 is too large (allowed: -180 to 180)");
    /* 25 unknown keys: 20 kept, all counted. */
    char big[4096] = "dcsim: 1\nkind: geography\nname: g\ncities: []\ndatacenters: []\n";
    for (int i = 0; i < 25; i++)
        sprintf(big + strlen(big), "extra%d: 1\n", i);
    assert_int_equal(mdl_config_load_text("big.yaml", big, strlen(big), &cfg, &errs), SIM_EINPUT);
    assert_int_equal(errs.n, MDL_MAX_ERRORS);
    assert_int_equal(errs.total, 25);
}

/* ==== Limits ==== */

static void limits_refuse_hostile_input_before_allocating(void **state)
{
    (void)state;
    cfg_limits lim = cfg_default_limits;
    cfg_doc *doc;
    cfg_error err;
    /* Too large a file. */
    lim.max_bytes = 100;
    char text[256];
    memset(text, ' ', sizeof text);
    assert_int_equal(cfg_load_string("big.yaml", text, sizeof text, &lim, &doc, &err), SIM_ELIMIT);
    assert_string_equal(err.msg, "file too large (256 bytes, at most 100)");
    /* Too long a scalar. */
    lim = cfg_default_limits;
    lim.max_scalar = 10;
    const char *longv = "a: 12345678901\n";
    assert_int_equal(cfg_load_string("long.yaml", longv, strlen(longv), &lim, &doc, &err), SIM_ELIMIT);
    assert_string_equal(err.msg, "value too long");
    /* Too many nodes. */
    lim = cfg_default_limits;
    lim.max_nodes = 5;
    const char *many = "[1, 2, 3, 4, 5, 6]";
    assert_int_equal(cfg_load_string("many.yaml", many, strlen(many), &lim, &doc, &err), SIM_ELIMIT);
    assert_string_equal(err.msg, "too many values in one file");
    /* A NUL inside a value. */
    const char nul[] = "a: \"x\\0y\"\n";
    assert_int_equal(cfg_load_string("nul.yaml", nul, sizeof nul - 1, NULL, &doc, &err), SIM_EINPUT);
    /* Billion laughs (9^9 expanded): refused, and quickly, by the default limits. */
    char *laughs = read_all("tests/bad_yaml/billion-laughs.yaml", NULL);
    assert_int_equal(cfg_load_string("laughs.yaml", laughs, strlen(laughs), NULL, &doc, &err), SIM_ELIMIT);
    free(laughs);
}

/* ==== Anchors, aliases, merge keys, comments ==== */

static void anchors_aliases_and_merge_keys_work(void **state)
{
    (void)state;
    const char *text =
        "base: &b {x: 1, y: 2}   # source: a test\n"
        "copy: *b\n"
        "merged:\n"
        "  <<: *b\n"
        "  y: 3\n"
        "# assumed: the next value\n"
        "z: 4\n";
    cfg_doc *doc;
    cfg_error err;
    assert_int_equal(cfg_load_string("a.yaml", text, strlen(text), NULL, &doc, &err), SIM_OK);
    const cfg_node *copy = cfg_map_get(doc->root, "copy");
    assert_string_equal(cfg_map_get(copy, "y")->text, "2");
    const cfg_node *merged = cfg_map_get(doc->root, "merged");
    assert_int_equal(merged->n, 2);
    assert_string_equal(cfg_map_get(merged, "y")->text, "3");
    assert_string_equal(cfg_map_get(merged, "x")->text, "1");
    assert_string_equal(cfg_map_get(doc->root, "base")->comment, "source: a test");
    assert_string_equal(cfg_map_get(doc->root, "z")->comment, "assumed: the next value");
    /* An alias is the anchored node itself, comment included. */
    assert_ptr_equal(cfg_map_get(doc->root, "copy"), cfg_map_get(doc->root, "base"));
    cfg_doc_free(doc);
}

/* Found by the fuzzer: a lone carriage return inside a comment is a line
 * break to YAML, so comments must be cut there and printed without it. */
static void show_survives_odd_line_breaks(void **state)
{
    (void)state;
    const char *text = "dcsim: 1\rkind: geography  # a\r  # b\r\nname: g  # c\xc2\x85\ncities: []\ndatacenters: []\n";
    mdl_config *cfg, *again;
    mdl_errors errs;
    int rc = mdl_config_load_text("cr.yaml", text, strlen(text), &cfg, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    char *shown = NULL;
    size_t len;
    FILE *f = open_memstream(&shown, &len);
    mdl_config_print(f, cfg);
    fclose(f);
    rc = mdl_config_load_text("shown.yaml", shown, len, &again, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    assert_string_equal(again->geos[0]->name, "g");
    free(shown);
    mdl_config_free(cfg);
    mdl_config_free(again);
}

/* A description may hold, written escaped, characters YAML will not read
 * raw (DEL, NEL, the line separator); show writes them escaped again, so
 * its output loads back to the same text. */
static void show_escapes_what_yaml_cannot_read_raw(void **state)
{
    (void)state;
    const char *text = "dcsim: 1\nkind: geography\nname: g\n"
                       "description: \"del\\x7f nel\\x85 sep\\u2028 bom\\ufeff caf\xc3\xa9\"\n"
                       "cities: []\ndatacenters: []\n";
    mdl_config *cfg, *again;
    mdl_errors errs;
    assert_int_equal(mdl_config_load_text("esc.yaml", text, strlen(text), &cfg, &errs), SIM_OK);
    const char *want = "del\x7f nel\xc2\x85 sep\xe2\x80\xa8 bom\xef\xbb\xbf caf\xc3\xa9";
    assert_string_equal(cfg->geos[0]->description, want);
    char *shown = NULL;
    size_t len;
    FILE *f = open_memstream(&shown, &len);
    mdl_config_print(f, cfg);
    fclose(f);
    int rc = mdl_config_load_text("shown.yaml", shown, len, &again, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    assert_string_equal(again->geos[0]->description, want);
    free(shown);
    mdl_config_free(cfg);
    mdl_config_free(again);
}

/* ==== Shipped files ==== */

static size_t shipped(char **files)
{
    size_t n = list_yaml("models/stages", files, 32);
    n += list_yaml("scenarios", files + n, 32);
    return n;
}

static void every_shipped_file_validates(void **state)
{
    (void)state;
    char *files[64];
    size_t n = shipped(files);
    assert_true(n >= 6);
    for (size_t i = 0; i < n; i++) {
        mdl_config *cfg;
        mdl_errors errs;
        int rc = mdl_config_load(files[i], &cfg, &errs);
        if (rc) {
            mdl_errors_print(stderr, &errs);
            fail_msg("%s does not validate", files[i]);
        }
        mdl_config_free(cfg);
        free(files[i]);
    }
}

static char *show_text(const mdl_config *cfg, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    mdl_config_print(f, cfg);
    fclose(f);
    return buf;
}

static void show_is_a_fixed_point_on_every_shipped_file(void **state)
{
    (void)state;
    char *files[64];
    size_t n = shipped(files);
    for (size_t i = 0; i < n; i++) {
        mdl_config *cfg, *again;
        mdl_errors errs;
        assert_int_equal(mdl_config_load(files[i], &cfg, &errs), SIM_OK);
        size_t len1, len2;
        char *first = show_text(cfg, &len1);
        int rc = mdl_config_load_text("shown.yaml", first, len1, &again, &errs);
        if (rc) {
            mdl_errors_print(stderr, &errs);
            fail_msg("show of %s does not load back", files[i]);
        }
        char *second = show_text(again, &len2);
        if (len1 != len2 || memcmp(first, second, len1) != 0)
            fail_msg("show of show of %s differs", files[i]);
        /* The shown scenario loses no assumption. */
        assert_int_equal(again->n_assumptions, cfg->n_assumptions);
        free(first);
        free(second);
        mdl_config_free(cfg);
        mdl_config_free(again);
        free(files[i]);
    }
}

/* Walks a mapping with its schema: every figure's node must carry a
 * source:, derived: or assumed: comment. */
static int unsourced(const char *file, const mdl_schema *s, const cfg_node *n, const char *path)
{
    int bad = 0;
    if (!n || n->kind != CFG_MAP)
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        const mdl_field *f = mdl_schema_field(s, n->keys[i]->text);
        const cfg_node *v = n->items[i];
        char sub[256];
        snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", n->keys[i]->text);
        if (!f)
            continue;
        if (f->type == MDL_STRUCT) {
            bad += unsourced(file, f->sub, v, sub);
        } else if (f->type == MDL_LIST && v->kind == CFG_SEQ) {
            for (size_t j = 0; j < v->n; j++)
                bad += unsourced(file, f->sub, v->items[j], sub);
        } else if (f->type == MDL_DICT && v->kind == CFG_MAP && (f->flags & MDL_FIGURE)) {
            for (size_t j = 0; j < v->n; j++) {
                const char *c = v->items[j]->comment;
                if (!c || !(strstr(c, "source:") == c || strstr(c, "assumed:") == c || strstr(c, "derived:") == c)) {
                    fprintf(stderr, "%s:%d: %s.%s has no source\n", file, v->items[j]->line, sub, v->keys[j]->text);
                    bad++;
                }
            }
        } else if (f->flags & MDL_FIGURE) {
            const char *c = v->comment;
            if (!c || !(strstr(c, "source:") == c || strstr(c, "assumed:") == c || strstr(c, "derived:") == c)) {
                fprintf(stderr, "%s:%d: %s has no source\n", file, v->line, sub);
                bad++;
            }
        }
    }
    return bad;
}

static void every_figure_in_a_shipped_file_says_where_it_comes_from(void **state)
{
    (void)state;
    char *files[64];
    size_t n = shipped(files);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        cfg_doc *doc;
        cfg_error err;
        assert_int_equal(cfg_load_file(files[i], NULL, &doc, &err), SIM_OK);
        const cfg_node *kind = cfg_map_get(doc->root, "kind");
        const mdl_schema *s = !strcmp(kind->text, "geography") ? &mdl_geography_schema
                              : !strcmp(kind->text, "stage")   ? &mdl_stage_schema
                                                               : &mdl_scenario_schema;
        bad += unsourced(files[i], s, doc->root, "");
        cfg_doc_free(doc);
        free(files[i]);
    }
    assert_int_equal(bad, 0);
}

static void assumptions_are_collected_with_their_reasons(void **state)
{
    (void)state;
    mdl_config *cfg;
    mdl_errors errs;
    assert_int_equal(mdl_config_load("scenarios/double11-idc-power-loss.yaml", &cfg, &errs), SIM_OK);
    assert_true(cfg->n_assumptions > 50);
    int found = 0;
    for (size_t i = 0; i < cfg->n_assumptions; i++)
        if (!strcmp(cfg->assumptions[i].key, "slo.ratio")) {
            assert_string_equal(cfg->assumptions[i].value, "99.9%");
            assert_string_equal(cfg->assumptions[i].reason, "three nines over a window, the usual payment SLO");
            found = 1;
        }
    assert_true(found);
    mdl_config_free(cfg);
}

/* ==== References ==== */

static void check_reference(const char *readme, int kind)
{
    size_t len;
    char *text = read_all(readme, &len);
    assert_non_null(text);
    const char *marker = strstr(text, "do not edit below this line -->\n");
    assert_non_null(marker);
    marker += strlen("do not edit below this line -->\n");
    char *gen = NULL;
    size_t gen_len;
    FILE *f = open_memstream(&gen, &gen_len);
    mdl_reference(f, kind);
    fclose(f);
    if (strcmp(marker, gen) != 0)
        fail_msg("%s is out of date: run dcsim reference and paste it under the marker", readme);
    free(gen);
    free(text);
}

static void the_references_match_the_schemas(void **state)
{
    (void)state;
    check_reference("models/README.md", MDL_FILE_STAGE);
    check_reference("scenarios/README.md", MDL_FILE_SCENARIO);
}

/* ==== Overrides ==== */

static void overrides_change_the_named_stages_only(void **state)
{
    (void)state;
    const char *text =
        "dcsim: 1\nkind: scenario\nname: o\nstages: [naive, unit]\nstart: \"23:59:00\"\nduration: 1m\n"
        "traffic:\n  types:\n"
        "    - {name: pay, share: 30%, calls: [{data: user, op: write}]}\n"
        "    - {name: order, share: 25%, calls: [{data: user, op: write}]}\n"
        "    - {name: query, share: 35%, calls: [{data: user, op: read}]}\n"
        "    - {name: login, share: 10%, calls: [{data: global, op: read}]}\n"
        "overrides:\n"
        "  - {stages: [naive], key: databases.core.replication.mode, value: semi-sync}\n"
        "  - {key: pools.app.workers, value: 16}\n"
        "  - {stages: [unit], key: units.RZ01.cells.HZ-A.servers, value: 300}\n"
        "  - {stages: [naive], key: pools.app.service_time.pay, value: {exponential: {mean: 2ms}}}\n";
    mdl_config *cfg;
    mdl_errors errs;
    int rc = mdl_config_load_text("scenarios/o.yaml", text, strlen(text), &cfg, &errs);
    if (rc)
        mdl_errors_print(stderr, &errs);
    assert_int_equal(rc, SIM_OK);
    const stage *naive = cfg->stages[0], *unit = cfg->stages[1];
    assert_int_equal(mdl_stage_database(naive, "core")->replication.mode, REPL_SEMI_SYNC);
    assert_int_equal(mdl_stage_database(unit, "core")->replication.mode, REPL_QUORUM);
    assert_int_equal(mdl_stage_pool(naive, "app")->workers, 16);
    assert_int_equal(mdl_stage_pool(unit, "app")->workers, 16);
    const stg_unit *rz = mdl_stage_unit(unit, "RZ01");
    assert_int_equal(((const stg_cell *)rz->cells.items)[0].servers, 300);
    const mdl_dict *st = &mdl_stage_pool(naive, "app")->service_time;
    for (size_t i = 0; i < st->n; i++)
        if (!strcmp(st->keys[i], "pay"))
            assert_true(fabs(sim_dist_mean(&((const mdl_dist *)st->values)[i].d) - 0.002) < 1e-12);
    mdl_config_free(cfg);
}

/* ==== Unit values ==== */

static void unit_values_round_trip_exactly(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v = (double)(x % 1000000007) / pow(10, (double)(x % 9));
        char buf[CFG_VALUE_TEXT_MAX];
        double back;
        const char *why;
        assert_int_equal(cfg_parse_rate(cfg_format_rate(v, buf, sizeof buf), &back, &why), SIM_OK);
        assert_true(back == v);
        assert_int_equal(cfg_parse_bandwidth(cfg_format_bandwidth(v, buf, sizeof buf), &back, &why), SIM_OK);
        assert_true(back == v);
        assert_int_equal(cfg_parse_percent(cfg_format_percent(v, buf, sizeof buf), &back, &why), SIM_OK);
        assert_true(back == v);
        assert_int_equal(cfg_parse_size(cfg_format_size(v, buf, sizeof buf), &back, &why), SIM_OK);
        assert_true(back == v);
        assert_int_equal(cfg_parse_count(cfg_format_count(v, buf, sizeof buf), &back, &why), SIM_OK);
        assert_true(back == v);
    }
    char buf[CFG_VALUE_TEXT_MAX];
    assert_string_equal(cfg_format_rate(544000, buf, sizeof buf), "544k/s");
    assert_string_equal(cfg_format_bandwidth(1e10, buf, sizeof buf), "10Gbit/s");
    assert_string_equal(cfg_format_real(500, buf, sizeof buf), "500");
    assert_string_equal(cfg_format_percent(99.99, buf, sizeof buf), "99.99%");
    double v;
    const char *why;
    assert_int_equal(cfg_parse_rate("90/min", &v, &why), SIM_OK);
    assert_true(v == 1.5);
    assert_int_equal(cfg_parse_bandwidth("1.5GB/s", &v, &why), SIM_OK);
    assert_true(v == 12e9);
    assert_int_equal(cfg_parse_size("4KiB", &v, &why), SIM_OK);
    assert_true(v == 4096);
    assert_int_equal(cfg_parse_rate("544k", &v, &why), SIM_EINPUT);
    assert_string_equal(why, "expected a rate such as 544k/s, 90/min or 5/h");
    assert_int_equal(cfg_parse_count("1e3k", &v, &why), SIM_EINPUT);
    assert_string_equal(why, "use either an exponent or a unit prefix, not both");
    assert_int_equal(cfg_edit_distance("partiton", "partition"), 1);
    assert_int_equal(cfg_edit_distance("kidn", "kind"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_bad_file_gives_its_pinned_first_error),
        cmocka_unit_test(every_error_of_a_file_is_reported),
        cmocka_unit_test(limits_refuse_hostile_input_before_allocating),
        cmocka_unit_test(anchors_aliases_and_merge_keys_work),
        cmocka_unit_test(show_survives_odd_line_breaks),
        cmocka_unit_test(show_escapes_what_yaml_cannot_read_raw),
        cmocka_unit_test(every_shipped_file_validates),
        cmocka_unit_test(show_is_a_fixed_point_on_every_shipped_file),
        cmocka_unit_test(every_figure_in_a_shipped_file_says_where_it_comes_from),
        cmocka_unit_test(assumptions_are_collected_with_their_reasons),
        cmocka_unit_test(the_references_match_the_schemas),
        cmocka_unit_test(overrides_change_the_named_stages_only),
        cmocka_unit_test(unit_values_round_trip_exactly),
    };
    return cmocka_run_group_tests_name("files", tests, NULL, NULL);
}
