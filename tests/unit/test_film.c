/* test_film.c -- the film: a small world recorded in slices, saved and
 * loaded, gives back at any moment the view captured then; a trace cut
 * anywhere, altered anywhere, foreign or newer is refused with a message,
 * never a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "film_int.h"
#include "mdl_film.h"
#include "mdl_view.h"
#include "sim_status.h"
#include "sim_trace.h"
#include "three_dc.h"

/* A 20 s run: A dark from 00:00:05 to 00:00:12, a caption at 00:00:06. */
static char *world_text(void)
{
    const char *rest = "duration: 20s\n" THREE_DC_WRITES
                       "faults:\n  - {at: \"00:00:05\", kind: power, target: {datacenter: A}, generator: fails, duration: 7s}\n"
                       "captions:\n  - {at: \"00:00:06\", text: \"A is dark\", show_for: 4s}\n"
                       "  - {on: detect, text: \"detected\"}\n";
    return three_dc_stage("{datacenter: A, pool: app, servers: 4}, {datacenter: B, pool: app, servers: 4, standby: true}",
                          "groups: [{primary: A, replicas: [B]}]", "{kind: gateway, datacenters: [A, B], connect_timeout: 200ms, routing: by-unit, client_latency: 0s}",
                          "    registry: {datacenters: [C], heartbeat: 1s, threshold: 3, push_delay: 1s}\n"
                          "    unit_switch: {trigger: automatic, push_delay: 1s}\n",
                          rest);
}

/* A deep copy of a view's arrays (names stay borrowed). */
static mdl_view copy_view(const mdl_view *v)
{
    mdl_view c = *v;
#define DUP(arr, n)                                                                                                    \
    c.arr = malloc(((size_t)(n) + 1) * sizeof *v->arr);                                                                \
    memcpy(c.arr, v->arr, (size_t)(n) * sizeof *v->arr)
    DUP(cities, v->n_cities);
    DUP(dcs, v->n_dcs);
    DUP(links, v->n_links);
    DUP(units, v->n_units);
    DUP(cells, v->n_cells);
    DUP(groups, v->n_groups);
    DUP(events, v->n_events);
#undef DUP
    return c;
}

static void free_copy(mdl_view *c)
{
    free(c->cities), free(c->dcs), free(c->links), free(c->units), free(c->cells), free(c->groups), free(c->events);
}

#define EQ_I(a, b, f) assert_int_equal((a).f, (b).f)
#define EQ_D(a, b, f) assert_true((a).f == (b).f)
#define EQ_S(a, b, f) assert_string_equal((a).f, (b).f)

/* Every field of two views, one by one. `last_point` is the series point
 * the film should show (the one recorded at or before the frame). */
static void assert_same_view(const mdl_view *want, const mdl_view *got, const mdl_series_point *last_point)
{
    EQ_I(*want, *got, now);
    EQ_I(*want, *got, generation);
    EQ_D(*want, *got, scale);
    EQ_I(*want, *got, registry_up);
    assert_int_equal(want->n_cities, got->n_cities);
    for (int i = 0; i < want->n_cities; i++) {
        EQ_S(want->cities[i], got->cities[i], name);
        EQ_D(want->cities[i], got->cities[i], lon);
        EQ_D(want->cities[i], got->cities[i], lat);
    }
    assert_int_equal(want->n_dcs, got->n_dcs);
    for (int i = 0; i < want->n_dcs; i++) {
        const mdl_view_dc *a = &want->dcs[i], *b = &got->dcs[i];
        EQ_S(*a, *b, name), EQ_I(*a, *b, city), EQ_I(*a, *b, used), EQ_I(*a, *b, powered), EQ_I(*a, *b, isolated);
        EQ_I(*a, *b, entry), EQ_I(*a, *b, entry_up), EQ_I(*a, *b, registry), EQ_I(*a, *b, alarm);
        EQ_D(*a, *b, batteries_left_s), EQ_I(*a, *b, drained);
    }
    assert_int_equal(want->n_links, got->n_links);
    for (int i = 0; i < want->n_links; i++) {
        const mdl_view_link *a = &want->links[i], *b = &got->links[i];
        EQ_I(*a, *b, from), EQ_I(*a, *b, to), EQ_I(*a, *b, up), EQ_I(*a, *b, detour), EQ_I(*a, *b, via);
        EQ_D(*a, *b, latency_s), EQ_D(*a, *b, loss), EQ_I(*a, *b, messages), EQ_I(*a, *b, bytes);
    }
    assert_int_equal(want->n_units, got->n_units);
    for (int i = 0; i < want->n_units; i++) {
        const mdl_view_unit *a = &want->units[i], *b = &got->units[i];
        EQ_S(*a, *b, name), EQ_I(*a, *b, kind), EQ_I(*a, *b, shards_lo), EQ_I(*a, *b, shards_hi);
        EQ_I(*a, *b, home), EQ_I(*a, *b, switching), EQ_D(*a, *b, offered), EQ_D(*a, *b, failed);
        for (int k = 0; k < FAIL_COUNT; k++)
            EQ_D(*a, *b, by_cause[k]);
    }
    assert_int_equal(want->n_cells, got->n_cells);
    for (int i = 0; i < want->n_cells; i++) {
        const mdl_view_cell *a = &want->cells[i], *b = &got->cells[i];
        EQ_I(*a, *b, unit), EQ_I(*a, *b, dc), EQ_I(*a, *b, active), EQ_I(*a, *b, standby), EQ_I(*a, *b, servers);
        EQ_I(*a, *b, servers_up), EQ_I(*a, *b, in_rotation), EQ_I(*a, *b, busy), EQ_I(*a, *b, queued);
    }
    assert_int_equal(want->n_groups, got->n_groups);
    for (int i = 0; i < want->n_groups; i++) {
        const mdl_view_group *a = &want->groups[i], *b = &got->groups[i];
        EQ_S(*a, *b, database), EQ_I(*a, *b, shards_lo), EQ_I(*a, *b, shards_hi), EQ_I(*a, *b, primary);
        EQ_I(*a, *b, n_copies), EQ_I(*a, *b, promoting), EQ_I(*a, *b, write_forbidden), EQ_I(*a, *b, lsn);
        for (int k = 0; k < a->n_copies; k++) {
            const mdl_view_copy *x = &a->copies[k], *y = &b->copies[k];
            EQ_I(*x, *y, dc), EQ_I(*x, *y, up), EQ_I(*x, *y, failover), EQ_I(*x, *y, recovering);
            EQ_I(*x, *y, cut_off), EQ_I(*x, *y, behind);
        }
    }
    assert_int_equal(got->has_last, last_point != NULL);
    if (last_point)
        assert_memory_equal(&got->last, last_point, sizeof *last_point);
    assert_int_equal(want->n_events, got->n_events);
    for (size_t i = 0; i < want->n_events; i++) {
        EQ_I(want->events[i], got->events[i], t), EQ_I(want->events[i], got->events[i], kind);
        EQ_S(want->events[i], got->events[i], target), EQ_S(want->events[i], got->events[i], text);
    }
}

/* The recorded run, shared by the tests: every view captured, the film,
 * the trace's bytes. */
static struct {
    mdl_view *views;
    mdl_series_point *last;     /* the series point each view should show */
    int *has_last;
    size_t n;
    mdl_film *film;
    mdl_config *cfg;            /* the copies' names point into it: kept until the end */
    uint8_t *bytes;
    size_t size;
    char path[64];
} rec;

static int record_world(void **state)
{
    (void)state;
    char *text = world_text();
    mdl_config *cfg = tiny_load(text);
    free(text);
    mdl_world *w = tiny_world(cfg, 1, 21);
    mdl_view v = {0};
    assert_int_equal(mdl_view_capture(w, &v), 0);
    assert_int_equal(mdl_film_start(w, cfg, 0, &v, &rec.film), 0);
    size_t cap = 512;
    rec.views = malloc(cap * sizeof *rec.views);
    rec.last = malloc(cap * sizeof *rec.last);
    rec.has_last = malloc(cap * sizeof *rec.has_last);
    mdl_series_point last = {0};
    int has_last = 0;
    rec.views[0] = copy_view(&v), rec.has_last[0] = 0, rec.n = 1;
    for (sim_time t = 100 * SIM_MS;; t += 100 * SIM_MS) {
        int rc = mdl_world_run(w, t, NULL, NULL);
        assert_true(rc >= 0);
        assert_int_equal(mdl_view_capture(w, &v), 0);
        assert_int_equal(mdl_film_record(rec.film, &v), 0);
        if (v.has_last)
            last = v.last, has_last = 1;
        assert_true(rec.n < cap);
        rec.last[rec.n] = last, rec.has_last[rec.n] = has_last;
        rec.views[rec.n++] = copy_view(&v);
        if (rc == 0)
            break;
    }
    mdl_view_free(&v);
    mdl_world_destroy(w);
    rec.cfg = cfg;
    snprintf(rec.path, sizeof rec.path, "/tmp/test_film_%d.trace", (int)getpid());
    char err[256];
    assert_int_equal(mdl_film_save(rec.film, rec.path, err, sizeof err), 0);
    FILE *f = fopen(rec.path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    rec.size = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    rec.bytes = malloc(rec.size);
    assert_int_equal(fread(rec.bytes, 1, rec.size, f), rec.size);
    fclose(f);
    /* The fuzzer's seed (tests/fuzz/trace_corpus/) is this trace:
     * DCSIM_FILM_SEED=tests/fuzz/trace_corpus/three_dc.trace test_film */
    const char *seed = getenv("DCSIM_FILM_SEED");
    FILE *out = seed ? fopen(seed, "wb") : NULL;
    if (out) {
        fwrite(rec.bytes, 1, rec.size, out);
        fclose(out);
    }
    return 0;
}

static int forget_world(void **state)
{
    (void)state;
    for (size_t i = 0; i < rec.n; i++)
        free_copy(&rec.views[i]);
    free(rec.views), free(rec.last), free(rec.has_last), free(rec.bytes);
    mdl_film_destroy(rec.film);
    mdl_config_free(rec.cfg);
    unlink(rec.path);
    return 0;
}

/* Every frame of a film against the view captured then: in order (one
 * delta a step), backwards, and jumping about. */
static void check_film(mdl_film *f)
{
    assert_int_equal(mdl_film_frames(f), rec.n);
    mdl_view out = {0};
    for (size_t i = 0; i < rec.n; i++) {
        assert_int_equal(mdl_film_view_at(f, rec.views[i].now, &out), 0);
        assert_same_view(&rec.views[i], &out, rec.has_last[i] ? &rec.last[i] : NULL);
    }
    for (size_t i = rec.n; i-- > 0;) {
        /* between two frames: the earlier */
        assert_int_equal(mdl_film_view_at(f, rec.views[i].now + 50 * SIM_MS, &out), 0);
        assert_same_view(&rec.views[i], &out, rec.has_last[i] ? &rec.last[i] : NULL);
    }
    for (size_t k = 0; k < 300; k++) {
        size_t i = (k * 7919) % rec.n;
        assert_int_equal(mdl_film_view_at(f, rec.views[i].now, &out), 0);
        assert_same_view(&rec.views[i], &out, rec.has_last[i] ? &rec.last[i] : NULL);
    }
    assert_int_equal(mdl_film_view_at(f, -SIM_SEC, &out), 0); /* before the first: the first */
    assert_same_view(&rec.views[0], &out, NULL);
    mdl_view_free(&out);
}

static void recorded_film_gives_back_every_view(void **state)
{
    (void)state;
    assert_true(rec.n > 200);
    assert_true(rec.views[rec.n - 1].n_events > 0); /* the fault and what followed */
    check_film(rec.film);
}

static void loaded_film_gives_back_every_view(void **state)
{
    (void)state;
    mdl_film *f;
    char err[512] = "";
    assert_int_equal(mdl_film_load(rec.path, &f, err, sizeof err), 0);
    check_film(f);
    const mdl_film_info *a = mdl_film_about(rec.film), *b = mdl_film_about(f);
    assert_string_equal(a->scenario, b->scenario);
    assert_string_equal(b->stage, "f");
    assert_string_equal(b->start_clock, "00:00:00");
    assert_int_equal(a->seed, b->seed);
    assert_true(a->scale == b->scale);
    assert_int_equal(a->warmup, b->warmup);
    assert_int_equal(a->end, b->end);
    const char **types;
    assert_int_equal(mdl_film_types(f, &types), 1);
    assert_string_equal(types[0], "w");
    const mdl_film_mark *m;
    assert_int_equal(mdl_film_marks(f, &m), 1);
    assert_int_equal(m[0].from, 5 * SIM_SEC);
    assert_int_equal(m[0].to, 12 * SIM_SEC);
    assert_string_equal(m[0].kind, "power");
    assert_string_equal(m[0].label, "A");
    const mdl_film_caption *c;
    assert_int_equal(mdl_film_captions(f, &c), 1); /* the one on an event is not planned */
    assert_int_equal(c[0].from, 6 * SIM_SEC);
    assert_int_equal(c[0].to, 10 * SIM_SEC);
    assert_string_equal(c[0].text, "A is dark");
    const mdl_series_point *s1, *s2;
    assert_int_equal(mdl_film_series(f, &s2), mdl_film_series(rec.film, &s1));
    const mdl_event_row *e1, *e2;
    assert_int_equal(mdl_film_events(f, &e2), mdl_film_events(rec.film, &e1));
    /* mdl_film_bytes is the trace's size within a few percent */
    double ratio = (double)mdl_film_bytes(f) / (double)rec.size;
    assert_true(ratio > 0.95 && ratio < 1.05);
    mdl_film_destroy(f);
}

static void expect_refused(const void *bytes, size_t size, const char *message)
{
    mdl_film *f = (mdl_film *)1;
    char err[512] = "";
    int rc = mdl_film_load_bytes(bytes, size, "t.trace", &f, err, sizeof err);
    if (rc != SIM_EINPUT)
        fail_msg("%zu bytes: expected SIM_EINPUT, got %d (%s)", size, rc, err);
    assert_null(f);
    assert_true(!strncmp(err, "t.trace: ", 9));
    if (message && !strstr(err, message))
        fail_msg("expected \"%s\" in \"%s\"", message, err);
}

static void cut_anywhere_is_refused(void **state)
{
    (void)state;
    for (size_t cut = 0; cut < rec.size; cut += cut < 8192 ? 1 : 61)
        expect_refused(rec.bytes, cut, cut == 0 ? "not a dcsim trace" : "truncated");
    expect_refused(rec.bytes, 5, "t.trace: truncated at byte 5");
    expect_refused(rec.bytes, rec.size - 12, "t.trace: truncated: no closing block");
    expect_refused(rec.bytes, rec.size - 1, "t.trace: truncated at byte");
}

static void altered_anywhere_is_refused(void **state)
{
    (void)state;
    uint8_t *copy = malloc(rec.size);
    for (size_t at = 0; at < rec.size; at += at < 4096 ? 1 : 37) {
        memcpy(copy, rec.bytes, rec.size);
        copy[at] ^= (uint8_t)(1u << (at % 8));
        expect_refused(copy, rec.size, NULL);
    }
    /* a payload byte: its block's checksum */
    memcpy(copy, rec.bytes, rec.size);
    copy[12 + 8 + 3] ^= 0x40;
    expect_refused(copy, rec.size, "t.trace: block 0 at byte 12: checksum mismatch");
    /* something after the closing block */
    uint8_t *longer = malloc(rec.size + 1);
    memcpy(longer, rec.bytes, rec.size);
    longer[rec.size] = 0;
    expect_refused(longer, rec.size + 1, NULL);
    free(longer);
    free(copy);
}

static void foreign_and_newer_are_refused(void **state)
{
    (void)state;
    expect_refused("hello, world\n", 13, "t.trace: not a dcsim trace");
    expect_refused("dcsim: 1\nkind: scenario\n", 24, "t.trace: not a dcsim trace");
    uint8_t *copy = malloc(rec.size);
    memcpy(copy, rec.bytes, rec.size);
    sim_put_le32(copy + 8, MDL_FILM_VERSION + 1);
    char want[128];
    snprintf(want, sizeof want, "t.trace: version %d is newer than this dcsim reads (%d)", MDL_FILM_VERSION + 1,
             MDL_FILM_VERSION);
    expect_refused(copy, rec.size, want);
    free(copy);
    mdl_film *f;
    char err[512];
    assert_int_equal(mdl_film_load("/nonexistent/t.trace", &f, err, sizeof err), SIM_EIO);
    assert_non_null(strstr(err, "/nonexistent/t.trace: "));
}

/* Blocks whose checksums hold but whose contents lie: caught by meaning. */
static void lies_with_good_checksums_are_refused(void **state)
{
    (void)state;
    char path[80], err[512];
    snprintf(path, sizeof path, "/tmp/test_film_lie_%d.trace", (int)getpid());
    mdl_film *f;
    /* a cell in a datacenter that does not exist */
    assert_int_equal(mdl_film_load_bytes(rec.bytes, rec.size, "t", &f, err, sizeof err), 0);
    f->places.cells[0].dc = 99;
    assert_int_equal(mdl_film_save(f, path, err, sizeof err), 0);
    mdl_film_destroy(f);
    mdl_film *g = NULL;
    assert_int_equal(mdl_film_load(path, &g, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, "bad places"));
    /* a unit whose home is a cell that does not exist, in a frame */
    assert_int_equal(mdl_film_load_bytes(rec.bytes, rec.size, "t", &f, err, sizeof err), 0);
    mdl_view v = {0};
    assert_int_equal(mdl_film_view_at(f, SIM_TIME_NEVER, &v), 0);
    v.units[0].home = 1000;
    v.now += SIM_SEC;
    assert_int_equal(mdl_film_record(f, &v), 0);
    assert_int_equal(mdl_film_save(f, path, err, sizeof err), 0);
    mdl_film_destroy(f);
    assert_int_equal(mdl_film_load(path, &g, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, "home cell out of range"));
    /* an event of a kind that does not exist */
    assert_int_equal(mdl_film_load_bytes(rec.bytes, rec.size, "t", &f, err, sizeof err), 0);
    v.units[0].home = -1;
    v.now += SIM_SEC;
    assert_true(v.cap_events > f->n_events);
    v.events[f->n_events] = v.events[0];
    v.events[f->n_events].kind = EV_KIND_COUNT;
    v.n_events = f->n_events + 1;
    assert_int_equal(mdl_film_record(f, &v), 0);
    assert_int_equal(mdl_film_save(f, path, err, sizeof err), 0);
    mdl_film_destroy(f);
    assert_int_equal(mdl_film_load(path, &g, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, "bad event row"));
    mdl_view_free(&v);
    unlink(path);
}

/* The container alone: blocks in, blocks out. */
static void trace_blocks_round_trip(void **state)
{
    (void)state;
    assert_int_equal(sim_crc32(0, "123456789", 9), 0xcbf43926u);
    char path[80], err[256];
    snprintf(path, sizeof path, "/tmp/test_trace_%d.bin", (int)getpid());
    sim_trace_writer w;
    assert_int_equal(sim_trace_open(&w, path, 3, err, sizeof err), 0);
    assert_int_equal(sim_trace_block(&w, 7, "abc", 3), 0);
    assert_int_equal(sim_trace_block(&w, 8, "", 0), 0);
    assert_int_equal(sim_trace_close(&w, err, sizeof err), 0);
    FILE *f = fopen(path, "rb");
    uint8_t buf[128];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    unlink(path);
    assert_int_equal(n, 12 + 15 + 12 + 12);
    sim_trace_reader r;
    assert_int_equal(sim_trace_read_begin(&r, buf, n, "x", 3, err, sizeof err), 0);
    uint32_t type;
    const uint8_t *p;
    size_t len;
    assert_int_equal(sim_trace_read_next(&r, &type, &p, &len, err, sizeof err), 1);
    assert_int_equal(type, 7);
    assert_int_equal(len, 3);
    assert_memory_equal(p, "abc", 3);
    assert_int_equal(sim_trace_read_next(&r, &type, &p, &len, err, sizeof err), 1);
    assert_int_equal(type, 8);
    assert_int_equal(len, 0);
    assert_int_equal(sim_trace_read_next(&r, &type, &p, &len, err, sizeof err), 0);
    assert_int_equal(sim_trace_read_begin(&r, buf, n, "x", 2, err, sizeof err), SIM_EINPUT);
    assert_string_equal(err, "x: version 3 is newer than this dcsim reads (2)");
    /* a length beyond what remains */
    sim_put_le32(buf + 16, 0xfffffff0u);
    assert_int_equal(sim_trace_read_begin(&r, buf, n, "x", 3, err, sizeof err), 0);
    assert_int_equal(sim_trace_read_next(&r, &type, &p, &len, err, sizeof err), SIM_EINPUT);
    assert_non_null(strstr(err, "x: truncated at byte 51: block 0 at byte 12 needs"));
    /* an unwritable place: nothing left behind, the reason given */
    assert_int_equal(sim_trace_open(&w, "/nonexistent/dir/t.trace", 1, err, sizeof err), SIM_EIO);
    assert_non_null(strstr(err, "/nonexistent/dir/t.trace: "));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trace_blocks_round_trip),
        cmocka_unit_test(recorded_film_gives_back_every_view),
        cmocka_unit_test(loaded_film_gives_back_every_view),
        cmocka_unit_test(cut_anywhere_is_refused),
        cmocka_unit_test(altered_anywhere_is_refused),
        cmocka_unit_test(foreign_and_newer_are_refused),
        cmocka_unit_test(lies_with_good_checksums_are_refused),
    };
    return cmocka_run_group_tests(tests, record_world, forget_world);
}
