/* film.c -- a run recorded as a film: recording views as keyframes and
 * deltas, seeking, and the trace file (sim_trace.h blocks) both ways.
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

#include "cfg.h"
#include "film_int.h"
#include "mdl_config.h"
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
#define MAX_TYPES 4096

/* ==== Creating and recording ==== */

static char *keep_name(mdl_film *f, const char *s)
{
    if (sim_grow((void **)&f->names, &f->cap_names, f->n_names + 1, sizeof *f->names))
        return NULL;
    char *copy = sim_strdup(s ? s : "");
    if (copy)
        f->names[f->n_names++] = copy;
    return copy;
}

/* The film's arrays of places, sized as the counts in f->places say. */
static int alloc_places(mdl_film *f)
{
    mdl_view *p = &f->places;
    p->cities = sim_calloc((size_t)p->n_cities + 1, sizeof *p->cities);
    p->dcs = sim_calloc((size_t)p->n_dcs + 1, sizeof *p->dcs);
    p->links = sim_calloc((size_t)p->n_links + 1, sizeof *p->links);
    p->units = sim_calloc((size_t)p->n_units + 1, sizeof *p->units);
    p->cells = sim_calloc((size_t)p->n_cells + 1, sizeof *p->cells);
    p->groups = sim_calloc((size_t)p->n_groups + 1, sizeof *p->groups);
    return p->cities && p->dcs && p->links && p->units && p->cells && p->groups ? SIM_OK : SIM_ENOMEM;
}

/* The buffers a film needs once its places and frame size are known. */
static int alloc_frames(mdl_film *f)
{
    f->frame_size = film__frame_size(&f->places);
    f->prev = sim_calloc(f->frame_size + 1, 1);
    f->scratch = sim_calloc(f->frame_size + 1, 1);
    f->cur = sim_calloc(f->frame_size + 1, 1);
    f->cur_i = SIZE_MAX;
    return f->prev && f->scratch && f->cur ? SIM_OK : SIM_ENOMEM;
}

static mdl_film *film_new(void)
{
    mdl_film *f = sim_calloc(1, sizeof *f);
    if (f)
        f->cur_i = SIZE_MAX;
    return f;
}

static int set_info(mdl_film *f, const mdl_film_info *info)
{
    f->info = *info;
    f->scenario = sim_strdup(info->scenario ? info->scenario : "");
    f->stage = sim_strdup(info->stage ? info->stage : "");
    f->start_clock = sim_strdup(info->start_clock ? info->start_clock : "");
    f->info.scenario = f->scenario;
    f->info.stage = f->stage;
    f->info.start_clock = f->start_clock;
    int n = info->types && info->n_types > 0 ? info->n_types : 0;
    f->info.n_types = 0;
    f->types = sim_calloc((size_t)n + 1, sizeof *f->types);
    f->info.types = (const char *const *)f->types;
    if (!f->scenario || !f->stage || !f->start_clock || !f->types)
        return SIM_ENOMEM;
    for (int i = 0; i < n; i++) {
        if (!(f->types[i] = sim_strdup(info->types[i] ? info->types[i] : "")))
            return SIM_ENOMEM;
        f->info.n_types = i + 1;
    }
    return SIM_OK;
}

int mdl_film_create(const mdl_view *first, const mdl_film_info *info, mdl_film **out)
{
    *out = NULL;
    mdl_film *f = film_new();
    if (!f)
        return SIM_ENOMEM;
    mdl_view *p = &f->places;
    p->n_cities = first->n_cities;
    p->n_dcs = first->n_dcs;
    p->n_links = first->n_links;
    p->n_units = first->n_units;
    p->n_cells = first->n_cells;
    p->n_groups = first->n_groups;
    int rc = set_info(f, info);
    if (!rc)
        rc = alloc_places(f);
    for (int i = 0; !rc && i < p->n_cities; i++) {
        const mdl_view_city *c = &first->cities[i];
        p->cities[i] = (mdl_view_city){keep_name(f, c->name), c->lon, c->lat};
        rc = p->cities[i].name ? SIM_OK : SIM_ENOMEM;
    }
    for (int i = 0; !rc && i < p->n_dcs; i++) {
        const mdl_view_dc *d = &first->dcs[i];
        p->dcs[i] = (mdl_view_dc){.name = keep_name(f, d->name), .city = d->city, .used = d->used};
        rc = p->dcs[i].name ? SIM_OK : SIM_ENOMEM;
    }
    for (int i = 0; !rc && i < p->n_links; i++)
        p->links[i] = (mdl_view_link){.from = first->links[i].from, .to = first->links[i].to};
    for (int i = 0; !rc && i < p->n_units; i++) {
        const mdl_view_unit *u = &first->units[i];
        p->units[i] = (mdl_view_unit){.name = keep_name(f, u->name), .kind = u->kind, .shards_lo = u->shards_lo,
                                      .shards_hi = u->shards_hi};
        rc = p->units[i].name ? SIM_OK : SIM_ENOMEM;
    }
    for (int i = 0; !rc && i < p->n_cells; i++) {
        const mdl_view_cell *c = &first->cells[i];
        p->cells[i] = (mdl_view_cell){.unit = c->unit, .dc = c->dc, .standby = c->standby, .servers = c->servers};
    }
    for (int i = 0; !rc && i < p->n_groups; i++) {
        const mdl_view_group *g = &first->groups[i];
        mdl_view_group *o = &p->groups[i];
        *o = (mdl_view_group){.database = keep_name(f, g->database), .shards_lo = g->shards_lo,
                              .shards_hi = g->shards_hi,
                              .n_copies = g->n_copies < MDL_VIEW_COPIES ? g->n_copies : MDL_VIEW_COPIES};
        for (int k = 0; k < o->n_copies; k++)
            o->copies[k] = (mdl_view_copy){.dc = g->copies[k].dc, .failover = g->copies[k].failover};
        rc = o->database ? SIM_OK : SIM_ENOMEM;
    }
    if (!rc)
        rc = alloc_frames(f);
    if (!rc)
        rc = mdl_film_record(f, first);
    if (rc) {
        mdl_film_destroy(f);
        return SIM_ENOMEM;
    }
    *out = f;
    return SIM_OK;
}

void mdl_film_destroy(mdl_film *f)
{
    if (!f)
        return;
    sim_free(f->scenario);
    sim_free(f->stage);
    sim_free(f->start_clock);
    for (int i = 0; f->types && i < f->info.n_types; i++)
        sim_free(f->types[i]);
    sim_free(f->types);
    for (size_t i = 0; i < f->n_names; i++)
        sim_free(f->names[i]);
    sim_free(f->names);
    sim_free(f->places.cities);
    sim_free(f->places.dcs);
    sim_free(f->places.links);
    sim_free(f->places.units);
    sim_free(f->places.cells);
    sim_free(f->places.groups);
    sim_free(f->data);
    sim_free(f->frames);
    sim_free(f->prev);
    sim_free(f->scratch);
    sim_free(f->cur);
    sim_free(f->series);
    sim_free(f->series_at);
    sim_free(f->events);
    sim_free(f->marks);
    sim_free(f->captions);
    sim_free(f);
}

int mdl_film_add_mark(mdl_film *f, const mdl_film_mark *m)
{
    if (sim_grow((void **)&f->marks, &f->cap_marks, f->n_marks + 1, sizeof *f->marks))
        return SIM_ENOMEM;
    f->marks[f->n_marks] = *m;
    f->marks[f->n_marks].kind[sizeof m->kind - 1] = '\0';
    f->marks[f->n_marks].label[sizeof m->label - 1] = '\0';
    f->n_marks++;
    return SIM_OK;
}

int mdl_film_add_caption(mdl_film *f, const mdl_film_caption *c)
{
    if (sim_grow((void **)&f->captions, &f->cap_captions, f->n_captions + 1, sizeof *f->captions))
        return SIM_ENOMEM;
    f->captions[f->n_captions] = *c;
    f->captions[f->n_captions].text[sizeof c->text - 1] = '\0';
    f->n_captions++;
    return SIM_OK;
}

/* A fault's target as the scenario writes it: "SH-A", "link HZ-SH", "unit RZ01". */
static void target_label(const scn_target *t, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define ADD(...) (n += (size_t)snprintf(buf + n, n < size ? size - n : 0, __VA_ARGS__), n = n < size ? n : size - 1)
    if (t->datacenter)
        ADD("%s%s", n ? " " : "", t->datacenter);
    if (t->city)
        ADD("%s%s", n ? " " : "", t->city);
    if (t->unit)
        ADD("%sunit %s", n ? " " : "", t->unit);
    if (t->unit_of_shard >= 0)
        ADD("%sunit of shard %lld", n ? " " : "", (long long)t->unit_of_shard);
    if (t->role)
        ADD("%s%s", n ? " " : "", t->role);
    if (t->link.n == 2)
        ADD("%slink %s-%s", n ? " " : "", t->link.v[0], t->link.v[1]);
    if (t->path)
        ADD("%spath %s", n ? " " : "", t->path);
    if (t->pool)
        ADD("%spool %s", n ? " " : "", t->pool);
    if (t->database)
        ADD("%sdatabase %s", n ? " " : "", t->database);
    if (t->shard >= 0)
        ADD("%sshard %lld", n ? " " : "", (long long)t->shard);
#undef ADD
}

int mdl_film_plan(mdl_film *f, const mdl_config *cfg)
{
    const scenario *sc = cfg->scn;
    for (size_t i = 0; sc && i < sc->faults.n; i++) {
        const scn_fault *d = MDL_ITEM(sc->faults, scn_fault, i);
        mdl_film_mark m = {.from = mdl_clock_to_run(sc, d->at), .to = -1};
        sim_time until;
        const char *why;
        if (d->permanent)
            m.to = -1;
        else if (d->until && d->until->text && !sim_time_parse_clock(d->until->text, &until, &why))
            m.to = mdl_clock_to_run(sc, until);
        else if (!d->until)
            m.to = m.from + d->duration;
        snprintf(m.kind, sizeof m.kind, "%s", mdl_fault_kinds[d->kind]);
        target_label(&d->target, m.label, sizeof m.label);
        if (mdl_film_add_mark(f, &m))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

int mdl_film_plan_captions(mdl_film *f, const mdl_config *cfg)
{
    const scenario *sc = cfg->scn;
    for (size_t i = 0; sc && i < sc->captions.n; i++) {
        const scn_caption *c = MDL_ITEM(sc->captions, scn_caption, i);
        sim_time at;
        const char *why;
        if (!c->at || !c->at->text || sim_time_parse_clock(c->at->text, &at, &why))
            continue; /* shown on an event: the window's, as it happens */
        mdl_film_caption cap = {.from = mdl_clock_to_run(sc, at)};
        cap.to = cap.from + c->show_for;
        /* {time} is its own clock; the other placeholders tell of events
         * and belong to captions shown `on` one. */
        const char *text = c->text ? c->text : "", *mark = strstr(text, "{time}");
        char clock[SIM_TIME_TEXT_MAX];
        sim_time_format_clock(at, clock, sizeof clock);
        if (mark)
            snprintf(cap.text, sizeof cap.text, "%.*s%s%s", (int)(mark - text), text, clock, mark + 6);
        else
            snprintf(cap.text, sizeof cap.text, "%s", text);
        if (mdl_film_add_caption(f, &cap))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

int mdl_film_start(const mdl_world *w, const mdl_config *cfg, size_t stage_index, const mdl_view *first,
                   mdl_film **out)
{
    const scenario *sc = cfg->scn;
    const char *types[MAX_TYPES];
    int n_types = 0;
    for (size_t i = 0; i < sc->traffic.types.n && n_types < MAX_TYPES; i++)
        types[n_types++] = MDL_ITEM(sc->traffic.types, scn_type, i)->name;
    char clock[SIM_TIME_TEXT_MAX];
    sim_time_format_clock(sc->start, clock, sizeof clock);
    mdl_film_info info = {
        .scenario = sc->name, .stage = stage_index < cfg->n_stages ? cfg->stages[stage_index]->name : "",
        .start_clock = clock, .seed = mdl_world_seed(w), .scale = mdl_world_scale(w), .warmup = sc->warmup,
        .end = mdl_world_end(w), .types = types, .n_types = n_types,
    };
    int rc = mdl_film_create(first, &info, out);
    if (!rc && ((rc = mdl_film_plan(*out, cfg)) || (rc = mdl_film_plan_captions(*out, cfg)))) {
        mdl_film_destroy(*out);
        *out = NULL;
    }
    return rc;
}

static int same_places(const mdl_film *f, const mdl_view *v)
{
    const mdl_view *p = &f->places;
    if (v->n_cities != p->n_cities || v->n_dcs != p->n_dcs || v->n_links != p->n_links ||
        v->n_units != p->n_units || v->n_cells != p->n_cells || v->n_groups != p->n_groups)
        return 0;
    for (int i = 0; i < v->n_groups; i++)
        if ((v->groups[i].n_copies < MDL_VIEW_COPIES ? v->groups[i].n_copies : MDL_VIEW_COPIES) !=
            p->groups[i].n_copies)
            return 0;
    return 1;
}

/* Appends frame bytes to data and indexes them. */
static int add_frame(mdl_film *f, sim_time t, int key, const uint8_t *bytes, size_t len)
{
    if (sim_grow((void **)&f->frames, &f->cap_frames, f->n_frames + 1, sizeof *f->frames) ||
        (f->n_data + len > f->cap_data && sim_grow((void **)&f->data, &f->cap_data, f->n_data + len, 1)))
        return SIM_ENOMEM;
    if (len)
        memcpy(f->data + f->n_data, bytes, len);
    size_t keyframe = key ? f->n_frames : f->frames[f->n_frames - 1].keyframe;
    f->frames[f->n_frames++] = (film_frame){t, f->n_data, (uint32_t)len, (uint32_t)key, keyframe};
    f->n_data += len;
    return SIM_OK;
}

static int add_point(mdl_film *f, sim_time at, const mdl_series_point *p)
{
    if (sim_grow((void **)&f->series, &f->cap_series, f->n_series + 1, sizeof *f->series) ||
        sim_grow((void **)&f->series_at, &f->cap_series_at, f->n_series + 1, sizeof *f->series_at))
        return SIM_ENOMEM;
    f->series[f->n_series] = *p;
    f->series_at[f->n_series++] = at;
    f->other_bytes += film__point_bytes();
    return SIM_OK;
}

static int add_event(mdl_film *f, const mdl_event_row *e)
{
    if (sim_grow((void **)&f->events, &f->cap_events, f->n_events + 1, sizeof *f->events))
        return SIM_ENOMEM;
    f->events[f->n_events++] = *e;
    f->other_bytes += 16 + strlen(e->target) + 4 + strlen(e->text);
    return SIM_OK;
}

int mdl_film_record(mdl_film *f, const mdl_view *v)
{
    if (!same_places(f, v))
        return SIM_EINPUT;
    if (f->n_frames && v->now <= f->frames[f->n_frames - 1].t)
        return SIM_OK;
    film__encode(v, f->scratch);
    int rc;
    if (!f->n_frames) {
        rc = add_frame(f, v->now, 1, f->scratch, f->frame_size);
    } else {
        const film_frame *last = &f->frames[f->n_frames - 1];
        const film_frame *key = &f->frames[last->keyframe];
        if (f->n_frames - last->keyframe >= FILM_KEY_EVERY || v->now - key->t >= FILM_KEY_SPAN) {
            rc = add_frame(f, v->now, 1, f->scratch, f->frame_size);
        } else {
            sim_tbuf d = {0};
            film__delta(f->scratch, f->prev, f->frame_size, &d);
            rc = d.failed || d.n > UINT32_MAX ? SIM_ENOMEM : add_frame(f, v->now, 0, d.p, d.n);
            sim_tbuf_free(&d);
        }
    }
    if (rc)
        return rc;
    uint8_t *t = f->prev;
    f->prev = f->scratch;
    f->scratch = t;
    if (v->has_last && (!f->n_series || f->series[f->n_series - 1].t != v->last.t))
        if ((rc = add_point(f, v->now, &v->last)))
            return rc;
    for (size_t i = f->n_events; i < v->n_events; i++)
        if ((rc = add_event(f, &v->events[i])))
            return rc;
    return SIM_OK;
}

/* ==== Queries ==== */

const mdl_film_info *mdl_film_about(const mdl_film *f) { return &f->info; }

int mdl_film_types(const mdl_film *f, const char ***out)
{
    *out = (const char **)f->types;
    return f->info.n_types;
}
size_t mdl_film_frames(const mdl_film *f) { return f->n_frames; }

sim_time mdl_film_frame_time(const mdl_film *f, size_t i)
{
    SIM_ASSERT(i < f->n_frames);
    return f->frames[i].t;
}

size_t mdl_film_marks(const mdl_film *f, const mdl_film_mark **out)
{
    *out = f->marks;
    return f->n_marks;
}

size_t mdl_film_captions(const mdl_film *f, const mdl_film_caption **out)
{
    *out = f->captions;
    return f->n_captions;
}

size_t mdl_film_series(const mdl_film *f, const mdl_series_point **out)
{
    *out = f->series;
    return f->n_series;
}

size_t mdl_film_events(const mdl_film *f, const mdl_event_row **out)
{
    *out = f->events;
    return f->n_events;
}

size_t mdl_film_bytes(const mdl_film *f) { return f->n_data + f->n_frames * 11 + f->other_bytes; }

size_t mdl_film_frame_at(const mdl_film *f, sim_time t)
{
    size_t lo = 0, hi = f->n_frames; /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->frames[mid].t <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* ==== Seeking ==== */

/* Makes f->cur frame i: from the frame decoded last when it lies between
 * i's keyframe and i (stepping forward costs one delta), else from the
 * keyframe. The frames were checked when recorded or loaded. */
static void decode_frame(mdl_film *f, size_t i)
{
    size_t from = f->frames[i].keyframe;
    if (f->cur_i != SIZE_MAX && f->cur_i <= i && f->cur_i >= from) {
        from = f->cur_i + 1;
    } else {
        memcpy(f->cur, f->data + f->frames[from].off, f->frame_size);
        from++;
    }
    for (size_t k = from; k <= i; k++)
        film__undelta(f->data + f->frames[k].off, f->frames[k].len, f->cur, f->frame_size);
    f->cur_i = i;
}

static int sized(void **p, int *n, int want, size_t size)
{
    if (*p && *n == want)
        return SIM_OK;
    sim_free(*p);
    *p = sim_calloc((size_t)want + 1, size);
    *n = want;
    return *p ? SIM_OK : SIM_ENOMEM;
}

int mdl_film_view_at(mdl_film *f, sim_time t, mdl_view *out)
{
    const mdl_view *p = &f->places;
    int rc = sized((void **)&out->cities, &out->n_cities, p->n_cities, sizeof *p->cities);
    if (!rc)
        rc = sized((void **)&out->dcs, &out->n_dcs, p->n_dcs, sizeof *p->dcs);
    if (!rc)
        rc = sized((void **)&out->links, &out->n_links, p->n_links, sizeof *p->links);
    if (!rc)
        rc = sized((void **)&out->units, &out->n_units, p->n_units, sizeof *p->units);
    if (!rc)
        rc = sized((void **)&out->cells, &out->n_cells, p->n_cells, sizeof *p->cells);
    if (!rc)
        rc = sized((void **)&out->groups, &out->n_groups, p->n_groups, sizeof *p->groups);
    size_t i = mdl_film_frame_at(f, t);
    sim_time now = f->frames[i].t;
    size_t n_events = 0;
    for (size_t k = 0; k < f->n_events; k++)
        n_events += f->events[k].t <= now;
    if (!rc && sim_grow((void **)&out->events, &out->cap_events, n_events + 1, sizeof *out->events))
        rc = SIM_ENOMEM;
    if (rc) {
        mdl_view_free(out);
        return SIM_ENOMEM;
    }
    decode_frame(f, i);
    memcpy(out->cities, p->cities, (size_t)p->n_cities * sizeof *p->cities);
    memcpy(out->dcs, p->dcs, (size_t)p->n_dcs * sizeof *p->dcs);
    memcpy(out->links, p->links, (size_t)p->n_links * sizeof *p->links);
    memcpy(out->units, p->units, (size_t)p->n_units * sizeof *p->units);
    memcpy(out->cells, p->cells, (size_t)p->n_cells * sizeof *p->cells);
    memcpy(out->groups, p->groups, (size_t)p->n_groups * sizeof *p->groups);
    film__decode(f->cur, out);
    out->now = now;
    /* The last point recorded at or before the frame. */
    size_t lo = 0, hi = f->n_series;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->series_at[mid] <= now)
            lo = mid + 1;
        else
            hi = mid;
    }
    out->has_last = lo > 0;
    if (lo > 0)
        out->last = f->series[lo - 1];
    else
        memset(&out->last, 0, sizeof out->last);
    out->n_events = 0;
    for (size_t k = 0; k < f->n_events; k++)
        if (f->events[k].t <= now)
            out->events[out->n_events++] = f->events[k];
    return SIM_OK;
}

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
    const char *kept = keep_name(ld->f, buf);
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
    if (set_info(f, &info))
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
    if (alloc_places(f))
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
    if (alloc_frames(f))
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
        if (add_frame(f, t, key, bytes, (size_t)len))
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
        if (add_point(f, at, &pt))
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
        if (add_event(f, &e))
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
    loader ld = {.f = film_new(), .name = name, .err = err, .err_size = err_size};
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
