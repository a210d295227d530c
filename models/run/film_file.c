/* film_file.c -- a film as a trace file (sim_trace.h blocks), both ways.
 *
 * The trace's blocks: HEAD (what the film is of, the counts of everything
 * after, the places' static fields), MARKS, CAPTIONS, then FRAMES, SERIES
 * and EVENTS in pieces of about a megabyte. The loader checks the counts
 * against HEAD, every index against the places, and replays every frame
 * once, so a film that loads can be drawn at any moment without a check. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "film_int.h"
#include "sim_alloc.h"
#include "sim_assert.h"
#include "sim_status.h"
#include "sim_trace.h"

enum { BLOCK_HEAD = 1, BLOCK_MARKS, BLOCK_CAPTIONS, BLOCK_FRAMES, BLOCK_SERIES, BLOCK_EVENTS };

/* A block's payload is cut after about this much. */
#define PIECE (1u << 20)
/* Names and counts a loaded film may hold: far above any geography's, far
 * below what could exhaust memory. */
#define MAX_NAME 1024
#define MAX_PLACES (1 << 20)

/* ==== Saving ==== */

static void put_head(const mdl_film *f, sim_tbuf *b)
{
    const mdl_view *p = &f->places;
    sim_tbuf_u32(b, FAIL_COUNT);
    sim_tbuf_u32(b, MDL_SERIES_DCS);
    sim_tbuf_u32(b, MDL_SERIES_TYPES);
    sim_tbuf_u32(b, MDL_VIEW_COPIES);
    sim_tbuf_str(b, f->info.scenario);
    sim_tbuf_str(b, f->info.stage);
    sim_tbuf_str(b, f->info.start_clock);
    sim_tbuf_u64(b, f->info.seed);
    sim_tbuf_f64(b, f->info.scale);
    sim_tbuf_i64(b, f->info.warmup);
    sim_tbuf_i64(b, f->info.end);
    sim_tbuf_u32(b, (uint32_t)f->info.n_types);
    for (int i = 0; i < f->info.n_types; i++)
        sim_tbuf_str(b, f->types[i]);
    sim_tbuf_u64(b, f->n_frames);
    sim_tbuf_u64(b, f->n_series);
    sim_tbuf_u64(b, f->n_events);
    sim_tbuf_u64(b, f->n_marks);
    sim_tbuf_u64(b, f->n_captions);
    sim_tbuf_u64(b, f->frame_size);
    sim_tbuf_u32(b, (uint32_t)p->n_cities);
    for (int i = 0; i < p->n_cities; i++) {
        sim_tbuf_str(b, p->cities[i].name);
        sim_tbuf_f64(b, p->cities[i].lon);
        sim_tbuf_f64(b, p->cities[i].lat);
    }
    sim_tbuf_u32(b, (uint32_t)p->n_dcs);
    for (int i = 0; i < p->n_dcs; i++) {
        sim_tbuf_str(b, p->dcs[i].name);
        sim_tbuf_u32(b, (uint32_t)p->dcs[i].city);
        sim_tbuf_u32(b, (uint32_t)p->dcs[i].used);
    }
    sim_tbuf_u32(b, (uint32_t)p->n_links);
    for (int i = 0; i < p->n_links; i++) {
        sim_tbuf_u32(b, (uint32_t)p->links[i].from);
        sim_tbuf_u32(b, (uint32_t)p->links[i].to);
    }
    sim_tbuf_u32(b, (uint32_t)p->n_units);
    for (int i = 0; i < p->n_units; i++) {
        sim_tbuf_str(b, p->units[i].name);
        sim_tbuf_u32(b, (uint32_t)p->units[i].kind);
        sim_tbuf_u32(b, (uint32_t)p->units[i].shards_lo);
        sim_tbuf_u32(b, (uint32_t)p->units[i].shards_hi);
    }
    sim_tbuf_u32(b, (uint32_t)p->n_cells);
    for (int i = 0; i < p->n_cells; i++) {
        sim_tbuf_u32(b, (uint32_t)p->cells[i].unit);
        sim_tbuf_u32(b, (uint32_t)p->cells[i].dc);
        sim_tbuf_u32(b, (uint32_t)p->cells[i].standby);
        sim_tbuf_u32(b, (uint32_t)p->cells[i].servers);
    }
    sim_tbuf_u32(b, (uint32_t)p->n_groups);
    for (int i = 0; i < p->n_groups; i++) {
        const mdl_view_group *g = &p->groups[i];
        sim_tbuf_str(b, g->database);
        sim_tbuf_u32(b, (uint32_t)g->shards_lo);
        sim_tbuf_u32(b, (uint32_t)g->shards_hi);
        sim_tbuf_u32(b, (uint32_t)g->n_copies);
        for (int k = 0; k < g->n_copies; k++) {
            sim_tbuf_u32(b, (uint32_t)g->copies[k].dc);
            sim_tbuf_u32(b, (uint32_t)g->copies[k].failover);
        }
    }
}

/* Writes b as a block when it has grown to a piece (or `last`), then empties it. */
static int flush(sim_trace_writer *w, uint32_t type, sim_tbuf *b, int last)
{
    if (b->failed)
        return SIM_ENOMEM;
    if (b->n < PIECE && !(last && b->n))
        return SIM_OK;
    int rc = sim_trace_block(w, type, b->p, b->n);
    b->n = 0;
    return rc;
}

static int write_film(const mdl_film *f, sim_trace_writer *w, sim_tbuf *b)
{
    put_head(f, b);
    int rc = flush(w, BLOCK_HEAD, b, 1);
    sim_tbuf_u32(b, (uint32_t)f->n_marks);
    for (size_t i = 0; i < f->n_marks; i++) {
        sim_tbuf_i64(b, f->marks[i].from);
        sim_tbuf_i64(b, f->marks[i].to);
        sim_tbuf_str(b, f->marks[i].kind);
        sim_tbuf_str(b, f->marks[i].label);
    }
    if (!rc)
        rc = flush(w, BLOCK_MARKS, b, 1);
    sim_tbuf_u32(b, (uint32_t)f->n_captions);
    for (size_t i = 0; i < f->n_captions; i++) {
        sim_tbuf_i64(b, f->captions[i].from);
        sim_tbuf_i64(b, f->captions[i].to);
        sim_tbuf_str(b, f->captions[i].text);
    }
    if (!rc)
        rc = flush(w, BLOCK_CAPTIONS, b, 1);
    for (size_t i = 0; !rc && i < f->n_frames; i++) {
        const film_frame *fr = &f->frames[i];
        sim_tbuf_i64(b, fr->t);
        sim_tbuf_u8(b, (uint8_t)fr->key);
        sim_tbuf_varint(b, fr->len);
        sim_tbuf_bytes(b, f->data + fr->off, fr->len);
        rc = flush(w, BLOCK_FRAMES, b, i + 1 == f->n_frames);
    }
    for (size_t i = 0; !rc && i < f->n_series; i++) {
        film__put_point(b, f->series_at[i], &f->series[i]);
        rc = flush(w, BLOCK_SERIES, b, i + 1 == f->n_series);
    }
    for (size_t i = 0; !rc && i < f->n_events; i++) {
        film__put_event(b, &f->events[i]);
        rc = flush(w, BLOCK_EVENTS, b, i + 1 == f->n_events);
    }
    return rc;
}

int mdl_film_save(const mdl_film *f, const char *path, char *err, size_t err_size)
{
    sim_trace_writer w;
    if (sim_trace_open(&w, path, MDL_FILM_VERSION, err, err_size))
        return SIM_EIO;
    sim_tbuf b = {0};
    int rc = write_film(f, &w, &b);
    sim_tbuf_free(&b);
    if (rc) {
        int code = w.failed ? w.failed : EIO;
        sim_trace_abort(&w);
        snprintf(err, err_size, "%s: %s", path, rc == SIM_ENOMEM ? "out of memory" : strerror(code));
        return rc == SIM_ENOMEM ? SIM_ENOMEM : SIM_EIO;
    }
    return sim_trace_close(&w, err, err_size);
}

/* ==== Loading ==== */

typedef struct loader {
    mdl_film *f;
    const char *name;
    char *err;
    size_t err_size;
    uint64_t want_frames, want_series, want_events, want_marks, want_captions;
    int have_head, have_marks, have_captions;
    mdl_view scratch;           /* a frame decoded, to check it */
} loader;

static int refuse(loader *ld, size_t block, const char *fmt, const char *what)
{
    char why[256];
    snprintf(why, sizeof why, fmt, what);
    snprintf(ld->err, ld->err_size, "%s: block %zu: %s", ld->name, block, why);
    return SIM_EINPUT;
}

/* A name of at most MAX_NAME bytes, kept by the film; NULL (c->bad) if not. */
static const char *get_name(loader *ld, sim_tcur *c, int *nomem)
{
    char buf[MAX_NAME + 1];
    sim_tcur_str(c, buf, sizeof buf);
    if (c->bad)
        return NULL;
    const char *kept = film__keep_name(ld->f, buf);
    if (!kept)
        *nomem = 1, c->bad = 1;
    return kept;
}

/* A count of things each taking at least `least` bytes of what remains:
 * no count read from the file can ask for more memory than the file has. */
static int get_count(sim_tcur *c, size_t least, int *out)
{
    uint32_t n = sim_tcur_u32(c);
    if (c->bad || n > MAX_PLACES || (size_t)n > sim_tcur_left(c) / least) {
        c->bad = 1;
        return -1;
    }
    *out = (int)n;
    return 0;
}

static int is_place(const mdl_view *p, int x) { return x >= 0 ? x < p->n_dcs : -1 - x < p->n_cities; }

static int read_head(loader *ld, size_t block, const uint8_t *payload, size_t size)
{
    mdl_film *f = ld->f;
    mdl_view *p = &f->places;
    sim_tcur c = sim_tcur_of(payload, size);
    uint32_t fails = sim_tcur_u32(&c), dcs = sim_tcur_u32(&c), types = sim_tcur_u32(&c), copies = sim_tcur_u32(&c);
    if (!c.bad && (fails != FAIL_COUNT || dcs != MDL_SERIES_DCS || types != MDL_SERIES_TYPES || copies != MDL_VIEW_COPIES))
        return refuse(ld, block, "%s", "written by a dcsim with other numbers of failure causes or series");
    int nomem = 0;
    char text[3][MAX_NAME + 1];
    for (int i = 0; i < 3; i++)
        sim_tcur_str(&c, text[i], sizeof text[i]);
    mdl_film_info info = {.scenario = text[0], .stage = text[1], .start_clock = text[2]};
    info.seed = sim_tcur_u64(&c);
    info.scale = sim_tcur_f64(&c);
    info.warmup = sim_tcur_i64(&c);
    info.end = sim_tcur_i64(&c);
    /* A run of more than a year, or a negative one, is a lie: the window
     * would draw its timeline to it. */
    const sim_time year = (sim_time)366 * 86400 * SIM_SEC;
    if (c.bad || !isfinite(info.scale) || info.end < 0 || info.end > year || info.warmup < 0 || info.warmup > year)
        return refuse(ld, block, "%s", "a bad header");
    if (film__set_info(f, &info))
        return SIM_ENOMEM;
    int n_types;
    if (get_count(&c, 4, &n_types) || n_types > MAX_TYPES)
        return refuse(ld, block, "%s", "a bad count of request types");
    sim_free(f->types);
    if (!(f->types = sim_calloc((size_t)n_types + 1, sizeof *f->types)))
        return SIM_ENOMEM;
    f->info.types = (const char *const *)f->types;
    for (int i = 0; i < n_types; i++) {
        char name[MAX_NAME + 1];
        sim_tcur_str(&c, name, sizeof name);
        if (c.bad)
            return refuse(ld, block, "%s", "a bad request type");
        if (!(f->types[i] = sim_strdup(name)))
            return SIM_ENOMEM;
        f->info.n_types = i + 1;
    }
    ld->want_frames = sim_tcur_u64(&c);
    ld->want_series = sim_tcur_u64(&c);
    ld->want_events = sim_tcur_u64(&c);
    ld->want_marks = sim_tcur_u64(&c);
    ld->want_captions = sim_tcur_u64(&c);
    uint64_t frame_size = sim_tcur_u64(&c);
    /* The places: each count bounded by the bytes left, then allocated. */
    if (get_count(&c, 20, &p->n_cities))
        return refuse(ld, block, "%s", "a bad count of cities");
    p->n_dcs = p->n_links = p->n_units = p->n_cells = p->n_groups = 0;
    if (film__alloc_places(f))
        return SIM_ENOMEM;
    for (int i = 0; i < p->n_cities && !c.bad; i++) {
        p->cities[i].name = get_name(ld, &c, &nomem);
        p->cities[i].lon = sim_tcur_f64(&c);
        p->cities[i].lat = sim_tcur_f64(&c);
        if (!isfinite(p->cities[i].lon) || !isfinite(p->cities[i].lat))
            c.bad = 1;
    }
#define REALLOC_PLACES(arr, n, least)                                                                         \
    do {                                                                                                      \
        if (c.bad || get_count(&c, least, &p->n))                                                             \
            return nomem ? SIM_ENOMEM : refuse(ld, block, "%s", "bad places");                                \
        sim_free(p->arr);                                                                                     \
        if (!(p->arr = sim_calloc((size_t)p->n + 1, sizeof *p->arr)))                                         \
            return SIM_ENOMEM;                                                                                \
    } while (0)
    REALLOC_PLACES(dcs, n_dcs, 12);
    for (int i = 0; i < p->n_dcs && !c.bad; i++) {
        p->dcs[i].name = get_name(ld, &c, &nomem);
        p->dcs[i].city = (int)sim_tcur_u32(&c);
        p->dcs[i].used = (int)sim_tcur_u32(&c);
        if (p->dcs[i].city < 0 || p->dcs[i].city >= p->n_cities)
            c.bad = 1;
    }
    REALLOC_PLACES(links, n_links, 8);
    for (int i = 0; i < p->n_links && !c.bad; i++) {
        p->links[i].from = (int)sim_tcur_u32(&c);
        p->links[i].to = (int)sim_tcur_u32(&c);
        if (!is_place(p, p->links[i].from) || !is_place(p, p->links[i].to))
            c.bad = 1;
    }
    REALLOC_PLACES(units, n_units, 16);
    for (int i = 0; i < p->n_units && !c.bad; i++) {
        p->units[i].name = get_name(ld, &c, &nomem);
        p->units[i].kind = (int)sim_tcur_u32(&c);
        p->units[i].shards_lo = (int)sim_tcur_u32(&c);
        p->units[i].shards_hi = (int)sim_tcur_u32(&c);
        if (p->units[i].kind < 0 || p->units[i].kind >= UNIT_KIND_COUNT)
            c.bad = 1;
    }
    REALLOC_PLACES(cells, n_cells, 16);
    for (int i = 0; i < p->n_cells && !c.bad; i++) {
        mdl_view_cell *cell = &p->cells[i];
        cell->unit = (int)sim_tcur_u32(&c);
        cell->dc = (int)sim_tcur_u32(&c);
        cell->standby = (int)sim_tcur_u32(&c);
        cell->servers = (int)sim_tcur_u32(&c);
        if (cell->unit < 0 || cell->unit >= p->n_units || cell->dc < 0 || cell->dc >= p->n_dcs)
            c.bad = 1;
    }
    REALLOC_PLACES(groups, n_groups, 16);
    for (int i = 0; i < p->n_groups && !c.bad; i++) {
        mdl_view_group *g = &p->groups[i];
        g->database = get_name(ld, &c, &nomem);
        g->shards_lo = (int)sim_tcur_u32(&c);
        g->shards_hi = (int)sim_tcur_u32(&c);
        g->n_copies = (int)sim_tcur_u32(&c);
        if (g->n_copies < 0 || g->n_copies > MDL_VIEW_COPIES) {
            c.bad = 1;
            break;
        }
        for (int k = 0; k < g->n_copies; k++) {
            g->copies[k].dc = (int)sim_tcur_u32(&c);
            g->copies[k].failover = (int)sim_tcur_u32(&c);
            if (g->copies[k].dc < 0 || g->copies[k].dc >= p->n_dcs)
                c.bad = 1;
        }
    }
#undef REALLOC_PLACES
    if (nomem)
        return SIM_ENOMEM;
    if (c.bad || sim_tcur_left(&c))
        return refuse(ld, block, "%s", "bad places");
    if (film__alloc_frames(f))
        return SIM_ENOMEM;
    if (frame_size != f->frame_size)
        return refuse(ld, block, "%s", "a frame size that does not match the places");
    return SIM_OK;
}

static int read_marks(loader *ld, size_t block, const uint8_t *payload, size_t size, int captions)
{
    mdl_film *f = ld->f;
    sim_tcur c = sim_tcur_of(payload, size);
    int n;
    if (get_count(&c, captions ? 20 : 24, &n) || (uint64_t)n != (captions ? ld->want_captions : ld->want_marks))
        return refuse(ld, block, "%s", captions ? "a bad count of captions" : "a bad count of marks");
    for (int i = 0; i < n && !c.bad; i++) {
        int rc;
        if (captions) {
            mdl_film_caption cap = {0};
            cap.from = sim_tcur_i64(&c);
            cap.to = sim_tcur_i64(&c);
            sim_tcur_str(&c, cap.text, sizeof cap.text);
            rc = c.bad ? SIM_OK : mdl_film_add_caption(f, &cap);
        } else {
            mdl_film_mark m = {0};
            m.from = sim_tcur_i64(&c);
            m.to = sim_tcur_i64(&c);
            sim_tcur_str(&c, m.kind, sizeof m.kind);
            sim_tcur_str(&c, m.label, sizeof m.label);
            rc = c.bad ? SIM_OK : mdl_film_add_mark(f, &m);
        }
        if (rc)
            return rc;
    }
    if (c.bad || sim_tcur_left(&c))
        return refuse(ld, block, "%s", captions ? "bad captions" : "bad marks");
    return SIM_OK;
}

/* Frames: each replayed on the one before and decoded, so a film that
 * loads holds only frames that decode to usable views. */
static int read_frames(loader *ld, size_t block, const uint8_t *payload, size_t size)
{
    mdl_film *f = ld->f;
    sim_tcur c = sim_tcur_of(payload, size);
    while (sim_tcur_left(&c)) {
        sim_time t = sim_tcur_i64(&c);
        uint8_t key = sim_tcur_u8(&c);
        uint64_t len = sim_tcur_varint(&c);
        const uint8_t *bytes = c.bad || len > sim_tcur_left(&c) ? NULL : sim_tcur_bytes(&c, (size_t)len);
        if (!bytes || key > 1 || (key && len != f->frame_size) || (!f->n_frames && !key))
            return refuse(ld, block, "%s", "a bad frame");
        if (f->n_frames >= ld->want_frames)
            return refuse(ld, block, "%s", "more frames than the header says");
        if (f->n_frames && t <= f->frames[f->n_frames - 1].t)
            return refuse(ld, block, "%s", "frames out of order");
        if (key)
            memcpy(f->prev, bytes, f->frame_size);
        else if (film__undelta(bytes, (size_t)len, f->prev, f->frame_size))
            return refuse(ld, block, "%s", "a frame's changes run past its end");
        film__decode(f->prev, &ld->scratch);
        const char *why = film__check_frame(&ld->scratch);
        if (why)
            return refuse(ld, block, "a frame with %s", why);
        if (film__add_frame(f, t, key, bytes, (size_t)len))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

static int read_series(loader *ld, size_t block, const uint8_t *payload, size_t size)
{
    mdl_film *f = ld->f;
    sim_tcur c = sim_tcur_of(payload, size);
    while (sim_tcur_left(&c)) {
        sim_time at;
        mdl_series_point pt;
        if (film__get_point(&c, &at, &pt))
            return refuse(ld, block, "%s", "a bad series point");
        if (f->n_series >= ld->want_series)
            return refuse(ld, block, "%s", "more series points than the header says");
        if (f->n_series && at < f->series_at[f->n_series - 1])
            return refuse(ld, block, "%s", "series points out of order");
        if (film__add_point(f, at, &pt))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

static int read_events(loader *ld, size_t block, const uint8_t *payload, size_t size)
{
    mdl_film *f = ld->f;
    sim_tcur c = sim_tcur_of(payload, size);
    while (sim_tcur_left(&c)) {
        mdl_event_row e;
        if (film__get_event(&c, &e))
            return refuse(ld, block, "%s", "a bad event row");
        if (f->n_events >= ld->want_events)
            return refuse(ld, block, "%s", "more event rows than the header says");
        if (film__add_event(f, &e))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

/* Sizes the scratch view like the places, for decoding frames to check. */
static int scratch_view(loader *ld)
{
    const mdl_view *p = &ld->f->places;
    mdl_view *s = &ld->scratch;
    *s = *p;
    s->cities = NULL, s->dcs = NULL, s->links = NULL, s->units = NULL, s->cells = NULL, s->groups = NULL;
    s->events = NULL, s->n_events = s->cap_events = 0;
    s->dcs = sim_calloc((size_t)p->n_dcs + 1, sizeof *s->dcs);
    s->links = sim_calloc((size_t)p->n_links + 1, sizeof *s->links);
    s->units = sim_calloc((size_t)p->n_units + 1, sizeof *s->units);
    s->cells = sim_calloc((size_t)p->n_cells + 1, sizeof *s->cells);
    s->groups = sim_calloc((size_t)p->n_groups + 1, sizeof *s->groups);
    if (!s->dcs || !s->links || !s->units || !s->cells || !s->groups)
        return SIM_ENOMEM;
    memcpy(s->groups, p->groups, (size_t)p->n_groups * sizeof *p->groups); /* the copies' counts */
    return SIM_OK;
}

static int load(loader *ld, const void *bytes, size_t size)
{
    sim_trace_reader r;
    int rc = sim_trace_read_begin(&r, bytes, size, ld->name, MDL_FILM_VERSION, ld->err, ld->err_size);
    uint32_t type;
    const uint8_t *payload;
    size_t len;
    while (!rc && (rc = sim_trace_read_next(&r, &type, &payload, &len, ld->err, ld->err_size)) == 1) {
        size_t block = r.block - 1;
        if (!ld->have_head && type != BLOCK_HEAD)
            return refuse(ld, block, "%s", "the header is not the first block");
        switch (type) {
        case BLOCK_HEAD:
            if (ld->have_head)
                return refuse(ld, block, "%s", "a second header");
            ld->have_head = 1;
            rc = read_head(ld, block, payload, len);
            if (!rc)
                rc = scratch_view(ld);
            break;
        case BLOCK_MARKS:
        case BLOCK_CAPTIONS: {
            int *have = type == BLOCK_MARKS ? &ld->have_marks : &ld->have_captions;
            if (*have)
                return refuse(ld, block, "%s", "marks or captions twice");
            *have = 1;
            rc = read_marks(ld, block, payload, len, type == BLOCK_CAPTIONS);
            break;
        }
        case BLOCK_FRAMES:
            rc = read_frames(ld, block, payload, len);
            break;
        case BLOCK_SERIES:
            rc = read_series(ld, block, payload, len);
            break;
        case BLOCK_EVENTS:
            rc = read_events(ld, block, payload, len);
            break;
        default: /* a later version's block this one need not read */
            break;
        }
    }
    if (rc)
        return rc;
    mdl_film *f = ld->f;
    if (!ld->have_head || !ld->have_marks || !ld->have_captions || f->n_frames == 0 ||
        f->n_frames != ld->want_frames || f->n_series != ld->want_series || f->n_events != ld->want_events) {
        snprintf(ld->err, ld->err_size, "%s: %s", ld->name,
                 !ld->have_head ? "no header" : f->n_frames == 0 ? "no frames"
                                                : "fewer frames, series points, events, marks or captions than the header says");
        return SIM_EINPUT;
    }
    return SIM_OK;
}

int mdl_film_load_bytes(const void *bytes, size_t size, const char *name, mdl_film **out, char *err,
                        size_t err_size)
{
    *out = NULL;
    char dummy[8];
    if (!err || !err_size)
        err = dummy, err_size = sizeof dummy;
    err[0] = '\0';
    loader ld = {.f = film__new(), .name = name, .err = err, .err_size = err_size};
    if (!ld.f)
        return SIM_ENOMEM;
    int rc = load(&ld, bytes, size);
    mdl_view_free(&ld.scratch);
    if (rc) {
        if (rc == SIM_ENOMEM)
            snprintf(err, err_size, "%s: out of memory", name);
        mdl_film_destroy(ld.f);
        return rc;
    }
    *out = ld.f;
    return SIM_OK;
}

int mdl_film_load(const char *path, mdl_film **out, char *err, size_t err_size)
{
    *out = NULL;
    FILE *in = sim_open_regular(path);
    if (!in) {
        snprintf(err, err_size, "%s: %s", path, sim_open_error(errno));
        return SIM_EIO;
    }
    struct stat st;
    uint8_t *bytes = NULL;
    size_t size = 0;
    int rc = SIM_OK;
    if (fstat(fileno(in), &st) != 0) {
        rc = SIM_EIO;
    } else {
        size = (size_t)st.st_size;
        bytes = sim_malloc(size + 1);
        if (!bytes)
            rc = SIM_ENOMEM;
        else if (fread(bytes, 1, size, in) != size)
            rc = SIM_EIO;
    }
    if (rc == SIM_EIO)
        snprintf(err, err_size, "%s: %s", path, strerror(errno ? errno : EIO));
    else if (rc == SIM_ENOMEM)
        snprintf(err, err_size, "%s: out of memory (%zu bytes)", path, size);
    fclose(in);
    if (!rc)
        rc = mdl_film_load_bytes(bytes, size, path, out, err, err_size);
    sim_free(bytes);
    return rc;
}
