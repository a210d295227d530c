/* film.c -- a run recorded as a film: recording views as keyframes and
 * deltas, planning its marks and captions, and seeking in it. The trace
 * file, both ways, is film_file.c's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "film_int.h"
#include "mdl_config.h"
#include "sim_alloc.h"
#include "sim_assert.h"
#include "sim_status.h"
#include "sim_trace.h"

/* ==== Creating and recording ==== */

char *film__keep_name(mdl_film *f, const char *s)
{
    if (sim_grow((void **)&f->names, &f->cap_names, f->n_names + 1, sizeof *f->names))
        return NULL;
    char *copy = sim_strdup(s ? s : "");
    if (copy)
        f->names[f->n_names++] = copy;
    return copy;
}

/* The film's arrays of places, sized as the counts in f->places say. */
int film__alloc_places(mdl_film *f)
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
int film__alloc_frames(mdl_film *f)
{
    f->frame_size = film__frame_size(&f->places);
    f->prev = sim_calloc(f->frame_size + 1, 1);
    f->scratch = sim_calloc(f->frame_size + 1, 1);
    f->cur = sim_calloc(f->frame_size + 1, 1);
    f->cur_i = SIZE_MAX;
    return f->prev && f->scratch && f->cur ? SIM_OK : SIM_ENOMEM;
}

mdl_film *film__new(void)
{
    mdl_film *f = sim_calloc(1, sizeof *f);
    if (f)
        f->cur_i = SIZE_MAX;
    return f;
}

int film__set_info(mdl_film *f, const mdl_film_info *info)
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
    mdl_film *f = film__new();
    if (!f)
        return SIM_ENOMEM;
    mdl_view *p = &f->places;
    p->n_cities = first->n_cities;
    p->n_dcs = first->n_dcs;
    p->n_links = first->n_links;
    p->n_units = first->n_units;
    p->n_cells = first->n_cells;
    p->n_groups = first->n_groups;
    int rc = film__set_info(f, info);
    if (!rc)
        rc = film__alloc_places(f);
    for (int i = 0; !rc && i < p->n_cities; i++) {
        const mdl_view_city *c = &first->cities[i];
        p->cities[i] = (mdl_view_city){film__keep_name(f, c->name), c->lon, c->lat};
        rc = p->cities[i].name ? SIM_OK : SIM_ENOMEM;
    }
    for (int i = 0; !rc && i < p->n_dcs; i++) {
        const mdl_view_dc *d = &first->dcs[i];
        p->dcs[i] = (mdl_view_dc){.name = film__keep_name(f, d->name), .city = d->city, .used = d->used};
        rc = p->dcs[i].name ? SIM_OK : SIM_ENOMEM;
    }
    for (int i = 0; !rc && i < p->n_links; i++)
        p->links[i] = (mdl_view_link){.from = first->links[i].from, .to = first->links[i].to};
    for (int i = 0; !rc && i < p->n_units; i++) {
        const mdl_view_unit *u = &first->units[i];
        p->units[i] = (mdl_view_unit){.name = film__keep_name(f, u->name), .kind = u->kind, .shards_lo = u->shards_lo,
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
        *o = (mdl_view_group){.database = film__keep_name(f, g->database), .shards_lo = g->shards_lo,
                              .shards_hi = g->shards_hi,
                              .n_copies = g->n_copies < MDL_VIEW_COPIES ? g->n_copies : MDL_VIEW_COPIES};
        for (int k = 0; k < o->n_copies; k++)
            o->copies[k] = (mdl_view_copy){.dc = g->copies[k].dc, .failover = g->copies[k].failover};
        rc = o->database ? SIM_OK : SIM_ENOMEM;
    }
    if (!rc)
        rc = film__alloc_frames(f);
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
int film__add_frame(mdl_film *f, sim_time t, int key, const uint8_t *bytes, size_t len)
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

int film__add_point(mdl_film *f, sim_time at, const mdl_series_point *p)
{
    if (sim_grow((void **)&f->series, &f->cap_series, f->n_series + 1, sizeof *f->series) ||
        sim_grow((void **)&f->series_at, &f->cap_series_at, f->n_series + 1, sizeof *f->series_at))
        return SIM_ENOMEM;
    f->series[f->n_series] = *p;
    f->series_at[f->n_series++] = at;
    f->other_bytes += film__point_bytes();
    return SIM_OK;
}

int film__add_event(mdl_film *f, const mdl_event_row *e)
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
        rc = film__add_frame(f, v->now, 1, f->scratch, f->frame_size);
    } else {
        const film_frame *last = &f->frames[f->n_frames - 1];
        const film_frame *key = &f->frames[last->keyframe];
        if (f->n_frames - last->keyframe >= FILM_KEY_EVERY || v->now - key->t >= FILM_KEY_SPAN) {
            rc = film__add_frame(f, v->now, 1, f->scratch, f->frame_size);
        } else {
            sim_tbuf d = {0};
            film__delta(f->scratch, f->prev, f->frame_size, &d);
            rc = d.failed || d.n > UINT32_MAX ? SIM_ENOMEM : film__add_frame(f, v->now, 0, d.p, d.n);
            sim_tbuf_free(&d);
        }
    }
    if (rc)
        return rc;
    uint8_t *t = f->prev;
    f->prev = f->scratch;
    f->scratch = t;
    if (v->has_last && (!f->n_series || f->series[f->n_series - 1].t != v->last.t))
        if ((rc = film__add_point(f, v->now, &v->last)))
            return rc;
    for (size_t i = f->n_events; i < v->n_events; i++)
        if ((rc = film__add_event(f, &v->events[i])))
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

