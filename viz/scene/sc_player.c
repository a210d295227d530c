/* sc_player.c -- the window's clock over a film, live or recorded. The
 * simulating thread runs the world in slices and records a frame after
 * each; it hands frames over without waiting while the window draws
 * (a few wait in a ring), and the window draws whatever was recorded. */
#include "sc_player.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mdl_config.h"
#include "mdl_kinds.h"
#include "sim_alloc.h"
#include "sim_status.h"

#define PENDING 8
#define MAX_ACTS 16

typedef struct act_request {
    int kind;
    char target[96];
} act_request;

struct sc_player {
    mdl_film *film;
    mdl_world *w;               /* NULL for a replay */
    const mdl_config *cfg;
    int threaded;
    pthread_t thread;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t wake;
    /* Under mu. */
    sim_time t, edge, end, target, seek_to;
    sim_time last;              /* where the run stops: the drain's end (a replay: its last frame) */
    int quit, done, status;     /* status: the run's error, if it failed */
    act_request acts[MAX_ACTS];
    int n_acts;
    void (*call)(mdl_world *w, void *context); /* sc_player_with_world's, waiting */
    void *call_context;
    pthread_cond_t called;
    sc_ui ui;
    mdl_view at, before;        /* the window's, from the film */
    mdl_view draw_at, draw_before; /* the frame being drawn, outside the lock */
    /* The film's growing parts, copied for the frame being drawn. */
    mdl_series_point *series;
    size_t n_series, cap_series;
    mdl_event_row *events;
    size_t n_events, cap_events;
    mdl_film_mark *marks;
    size_t n_marks, cap_marks;
    mdl_film_caption *captions;
    size_t n_captions, cap_captions;
    pthread_mutex_t draw_mu;    /* one frame drawn at a time */
    double reach_wall, reached;
    sim_time reach_edge;
    /* The simulating thread's. */
    mdl_view pending[PENDING];
    int n_pending;
    unsigned char *caption_fired;
    size_t events_seen;
    const char **types;
    int n_types;
};

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ==== Captions that wait `on` an event ==== */

/* When the SLO first broke by `by` (-1: not yet). */
static sim_time first_break(const mdl_event_row *e, size_t n, sim_time by)
{
    for (size_t i = 0; i < n && e[i].t <= by; i++)
        if (e[i].kind == EV_SLO && strstr(e[i].text, "below"))
            return e[i].t;
    return -1;
}

/* The caption's text with {target}, {time}, {detect}, {switch}, {lost},
 * {rpo} filled as far as the run knows them at the moment it shows. */
static void fill_caption(sc_player *p, const scn_caption *c, const mdl_event_row *row, char *out, size_t size)
{
    const mdl_event_row *e;
    size_t n = mdl_film_events(p->film, &e);
    sim_time impact = first_break(e, n, row->t);
    if (impact < 0) {
        const mdl_film_mark *m;
        if (mdl_film_marks(p->film, &m))
            impact = m[0].from;
    }
    mdl_headline h;
    mdl_world_headline(p->w, &h);
    size_t at = 0;
    for (const char *s = c->text; *s && at + 1 < size;) {
        char value[96] = "";
        int known = 1;
        if (!strncmp(s, "{target}", 8))
            snprintf(value, sizeof value, "%s", row->target), s += 8;
        else if (!strncmp(s, "{time}", 6))
            sc_clock(p->film, row->t, value, sizeof value), s += 6;
        else if (!strncmp(s, "{detect}", 8) || !strncmp(s, "{switch}", 8)) {
            if (impact >= 0)
                snprintf(value, sizeof value, "%.0f", sim_time_to_seconds(row->t - impact));
            else
                known = 0;
            s += 8;
        } else if (!strncmp(s, "{lost}", 6))
            snprintf(value, sizeof value, "%.0f", h.lost_writes), s += 6;
        else if (!strncmp(s, "{rpo}", 5))
            snprintf(value, sizeof value, "%.1f", h.rpo), s += 5;
        else if (!strncmp(s, "{rto}", 5))
            known = 0, s += 5;
        else {
            out[at++] = *s++;
            continue;
        }
        if (!known)
            snprintf(value, sizeof value, "?");
        at += (size_t)snprintf(out + at, size - at, "%s", value);
        if (at >= size)
            at = size - 1;
    }
    out[at] = 0;
}

/* Captions at a fixed clock are in the film from its start
 * (mdl_film_start); those `on` an event of the log show from the first
 * such event. */
static void captions_at_start(sc_player *p)
{
    const scenario *sc = p->cfg->scn;
    for (size_t i = 0; i < sc->captions.n; i++)
        p->caption_fired[i] = MDL_ITEM(sc->captions, scn_caption, i)->at != NULL;
}

static void captions_on_events(sc_player *p)
{
    const scenario *sc = p->cfg->scn;
    const mdl_event_row *e;
    size_t n = mdl_film_events(p->film, &e);
    for (; p->events_seen < n; p->events_seen++) {
        const mdl_event_row *row = &e[p->events_seen];
        for (size_t i = 0; i < sc->captions.n; i++) {
            const scn_caption *c = MDL_ITEM(sc->captions, scn_caption, i);
            if (p->caption_fired[i] || !c->on || strcmp(c->on, mdl_event_kinds[row->kind]))
                continue;
            p->caption_fired[i] = 1;
            mdl_film_caption fc = {0};
            fc.from = row->t;
            fc.to = row->t + c->show_for;
            fill_caption(p, c, row, fc.text, sizeof fc.text);
            mdl_film_add_caption(p->film, &fc);
        }
    }
}

/* ==== The simulating side ==== */

/* Records what waits in the ring; mu held. */
static void flush_pending(sc_player *p)
{
    for (int i = 0; i < p->n_pending; i++) {
        mdl_film_record(p->film, &p->pending[i]);
        p->edge = p->pending[i].now;
    }
    p->n_pending = 0;
    captions_on_events(p);
}

static void run_acts(sc_player *p); /* the operator's (sc_operator.c would be larger; kept here) */

/* One slice of the run up to `until`; returns 1 when the run has ended. */
static int run_slice(sc_player *p, sim_time until)
{
    int rc = mdl_world_run(p->w, until, NULL, NULL);
    mdl_view *v = &p->pending[p->n_pending];
    if (mdl_view_capture(p->w, v) == SIM_OK)
        p->n_pending++;
    if (rc < 0)
        p->status = rc; /* read under mu once the slice is handed over */
    return rc != 1;
}

/* The slice: short enough for smooth frames at the speed asked, long
 * enough that the engine runs in bulk. */
static sim_time slice_for(double speed)
{
    double s = speed / 60;
    s = s < 0.05 ? 0.05 : s > 2 ? 2 : s;
    return (sim_time)(s * SIM_SEC);
}

static void *simulate(void *arg)
{
    sc_player *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->quit) {
        if (p->call) {
            p->call(p->w, p->call_context);
            p->call = NULL;
            pthread_cond_broadcast(&p->called);
            continue;
        }
        if (p->n_acts) {
            pthread_mutex_unlock(&p->mu);
            run_acts(p);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        if (!p->done && p->edge < p->target) {
            sim_time target = p->target, slice = slice_for(p->ui.speed);
            sim_time at = p->edge;
            pthread_mutex_unlock(&p->mu);
            /* Slices while the window draws: their frames wait in the ring
             * and are handed over at the first moment the lock is free, so
             * the simulation only waits when the ring is full. */
            int ended = 0;
            for (;;) {
                sim_time until = at + slice < target ? at + slice : target;
                ended = run_slice(p, until);
                at = until;
                if (ended || p->n_pending == PENDING || at >= target) {
                    pthread_mutex_lock(&p->mu);
                    break;
                }
                if (!pthread_mutex_trylock(&p->mu))
                    break;
            }
            flush_pending(p);
            p->done |= ended;
            continue;
        }
        pthread_cond_wait(&p->wake, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Not threaded: simulate up to the target now, on the caller's thread. */
static void catch_up(sc_player *p)
{
    while (p->w && !p->done && p->edge < p->target) {
        if (p->n_acts)
            run_acts(p);
        sim_time until = p->edge + slice_for(p->ui.speed);
        if (until > p->target)
            until = p->target;
        int ended = run_slice(p, until);
        flush_pending(p);
        p->done |= ended;
    }
    if (p->n_acts)
        run_acts(p);
}

/* ==== Creating ==== */

static sc_player *player_new(void)
{
    sc_player *p = sim_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->called, NULL);
    pthread_mutex_init(&p->draw_mu, NULL);
    p->ui.speed = 1;
    p->ui.focus_kind = p->ui.select_kind = p->ui.hover_kind = VZ_HIT_NONE;
    return p;
}

int sc_player_live(const mdl_config *cfg, size_t stage_index, const mdl_run_options *opt, unsigned takes, int threaded,
                   sc_player **out, char *err, size_t err_size)
{
    sc_player *p = player_new();
    if (!p)
        return SIM_ENOMEM;
    p->cfg = cfg;
    int rc = mdl_world_create(cfg, stage_index, opt, &p->w, err, err_size);
    if (rc) {
        sc_player_destroy(p);
        return rc;
    }
    p->caption_fired = sim_calloc(cfg->scn->captions.n + 1, 1);
    if (!p->caption_fired || mdl_view_capture(p->w, &p->pending[0])) {
        sc_player_destroy(p);
        return SIM_ENOMEM;
    }
    mdl_world_set_operator(p->w, takes);
    if ((rc = mdl_film_start(p->w, cfg, stage_index, &p->pending[0], &p->film))) {
        sc_player_destroy(p);
        return rc;
    }
    captions_at_start(p);
    p->n_pending = 1;
    flush_pending(p);
    p->n_types = mdl_world_types(p->w);
    p->types = sim_calloc((size_t)p->n_types + 1, sizeof *p->types);
    for (int i = 0; p->types && i < p->n_types; i++)
        p->types[i] = mdl_world_type(p->w, i);
    p->end = mdl_world_end(p->w);
    p->last = mdl_world_drain_end(p->w);
    p->ui.live = 1;
    p->threaded = threaded;
    p->target = 0;
    if (threaded) {
        if (pthread_create(&p->thread, NULL, simulate, p)) {
            sc_player_destroy(p);
            snprintf(err, err_size, "cannot start the simulating thread");
            return SIM_ENOMEM;
        }
        p->started = 1;
    }
    *out = p;
    return SIM_OK;
}

int sc_player_replay(mdl_film *film, sc_player **out)
{
    sc_player *p = player_new();
    if (!p)
        return SIM_ENOMEM;
    p->film = film;
    size_t n = mdl_film_frames(film);
    p->edge = n ? mdl_film_frame_time(film, n - 1) : 0;
    p->end = mdl_film_about(film)->end;
    if (p->end < p->edge)
        p->end = p->edge;
    p->last = p->edge;
    p->done = 1;
    p->n_types = mdl_film_types(film, &p->types);
    *out = p;
    return SIM_OK;
}

void sc_player_destroy(sc_player *p)
{
    if (!p)
        return;
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->quit = 1;
        pthread_cond_signal(&p->wake);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
    }
    for (int i = 0; i < PENDING; i++)
        mdl_view_free(&p->pending[i]);
    mdl_view_free(&p->at);
    mdl_view_free(&p->before);
    mdl_view_free(&p->draw_at);
    mdl_view_free(&p->draw_before);
    sim_free(p->series), sim_free(p->events), sim_free(p->marks), sim_free(p->captions);
    pthread_mutex_destroy(&p->draw_mu);
    mdl_film_destroy(p->film);
    if (p->w)
        mdl_world_destroy(p->w);
    if (p->w || p->cfg)
        sim_free(p->types);
    sim_free(p->caption_fired);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->called);
    sim_free(p);
}

/* ==== The clock ==== */

static void ask(sc_player *p, sim_time target)
{
    if (target > p->last)
        target = p->last; /* the drain after the end */
    if (target > p->target) {
        p->target = target;
        pthread_cond_signal(&p->wake);
    }
}

void sc_player_tick(sc_player *p, double real_seconds)
{
    pthread_mutex_lock(&p->mu);
    double now = wall_now();
    if (!p->ui.paused)
        p->t += (sim_time)(real_seconds * p->ui.speed * SIM_SEC);
    if (p->seek_to > p->t)
        p->t = p->seek_to;
    double ahead = fmax(0.2, p->ui.speed * 0.12);
    int behind = p->t > p->edge && !p->done;
    if (p->t > p->edge)
        p->t = p->edge;
    if (p->seek_to && (p->t >= p->seek_to || p->done))
        p->seek_to = 0;
    /* Ask a little ahead, so the next frame finds its moment recorded; in
     * the operator's seat only a little, so an act lands near the moment
     * the trainee sees. */
    if (p->ui.operator_seat)
        ahead = 0.2;
    p->ui.in_past = p->w && !p->done && p->edge - p->t > (sim_time)((ahead + 2) * SIM_SEC);
    if (p->w)
        ask(p, (p->seek_to > p->t ? p->seek_to : p->t) + (sim_time)(ahead * SIM_SEC));
    /* What the run reaches while the clock waits on it. */
    if (p->reach_wall == 0 || now - p->reach_wall > 0.5) {
        if (p->reach_wall > 0 && behind)
            p->reached = sim_time_to_seconds(p->edge - p->reach_edge) / (now - p->reach_wall);
        else if (!behind)
            p->reached = 0;
        p->reach_wall = now;
        p->reach_edge = p->edge;
    }
    p->ui.reached = p->reached;
    pthread_mutex_unlock(&p->mu);
    if (!p->threaded && p->w) {
        catch_up(p);
        pthread_mutex_lock(&p->mu);
        if (p->seek_to && p->seek_to <= p->edge)
            p->t = p->seek_to, p->seek_to = 0;
        pthread_mutex_unlock(&p->mu);
    }
}

void sc_player_seek(sc_player *p, sim_time t)
{
    pthread_mutex_lock(&p->mu);
    sim_time last = p->last;
    t = t < 0 ? 0 : t > last ? last : t;
    if (t <= p->edge) {
        p->t = t;
        p->seek_to = 0;
    } else {
        p->seek_to = t;
        p->t = p->edge;
        ask(p, t);
    }
    pthread_mutex_unlock(&p->mu);
    if (!p->threaded)
        sc_player_tick(p, 0);
}

int sc_player_jump(sc_player *p, int dir)
{
    pthread_mutex_lock(&p->mu);
    const mdl_event_row *e;
    size_t n = mdl_film_events(p->film, &e);
    sim_time to = -1;
    for (size_t i = 0; i < n; i++) {
        size_t k = dir > 0 ? i : n - 1 - i;
        if (dir > 0 ? e[k].t > p->t : e[k].t < p->t - SIM_SEC / 2) {
            to = e[k].t;
            break;
        }
    }
    const mdl_film_mark *m;
    size_t nm = mdl_film_marks(p->film, &m);
    for (size_t i = 0; i < nm; i++) /* a planned fault not reached yet */
        if (dir > 0 && m[i].from > p->t && (to < 0 || m[i].from < to))
            to = m[i].from;
    pthread_mutex_unlock(&p->mu);
    if (to < 0)
        return 0;
    sc_player_seek(p, to);
    return 1;
}

void sc_player_step_frame(sc_player *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = mdl_film_frames(p->film);
    sim_time next = -1;
    size_t lo = 0, hi = n; /* the first frame after the clock */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (mdl_film_frame_time(p->film, mid) <= p->t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n)
        next = mdl_film_frame_time(p->film, lo);
    else if (p->w)
        next = p->t + slice_for(0);
    pthread_mutex_unlock(&p->mu);
    if (next >= 0)
        sc_player_seek(p, next);
}

void sc_player_settle(sc_player *p)
{
    for (;;) {
        pthread_mutex_lock(&p->mu);
        int ready = p->done || (p->seek_to == 0 && p->edge >= p->t && p->edge >= p->target) || !p->w;
        pthread_mutex_unlock(&p->mu);
        if (ready)
            return;
        if (!p->threaded) {
            catch_up(p);
            sc_player_tick(p, 0);
        } else {
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
            sc_player_tick(p, 0);
        }
    }
}

sim_time sc_player_time(const sc_player *p) { return p->t; }
sim_time sc_player_end(const sc_player *p) { return p->end; }
sc_ui *sc_player_ui(sc_player *p) { return &p->ui; }
mdl_film *sc_player_film(sc_player *p) { return p->film; }
mdl_world *sc_player_world(sc_player *p) { return p->w; }

sim_time sc_player_edge(sc_player *p)
{
    pthread_mutex_lock(&p->mu);
    sim_time e = p->edge;
    pthread_mutex_unlock(&p->mu);
    return e;
}

int sc_player_finished(sc_player *p)
{
    pthread_mutex_lock(&p->mu);
    int d = p->done;
    pthread_mutex_unlock(&p->mu);
    return d;
}

double sc_player_reached(sc_player *p)
{
    pthread_mutex_lock(&p->mu);
    double r = p->reached;
    pthread_mutex_unlock(&p->mu);
    return r;
}

/* Copies the first n items of src into *dst (grown as needed), from
 * *have on: the film only ever appends. Marks and captions are copied
 * whole (few, and a caption may be added anywhere in time). */
static int copy_tail(void **dst, size_t *have, size_t *cap, const void *src, size_t n, size_t size, int whole)
{
    if (n > *cap && sim_grow(dst, cap, n, size))
        return -1;
    size_t from = whole || *have > n ? 0 : *have;
    if (n > from)
        memcpy((char *)*dst + from * size, (const char *)src + from * size, (n - from) * size);
    *have = n;
    return 0;
}

/* A deep copy of a view into dst (whose arrays are reused). */
static int copy_view(mdl_view *dst, const mdl_view *src)
{
#define COPY(field, count)                                                                                   \
    do {                                                                                                     \
        size_t cap = dst->count > 0 ? (size_t)dst->count : 0;                                               \
        if ((size_t)src->count > cap || !dst->field) {                                                       \
            sim_free(dst->field);                                                                            \
            dst->field = sim_calloc((size_t)src->count + 1, sizeof *dst->field);                             \
            if (!dst->field)                                                                                 \
                return -1;                                                                                   \
        }                                                                                                    \
        memcpy(dst->field, src->field, (size_t)src->count * sizeof *dst->field);                             \
    } while (0)
    COPY(cities, n_cities);
    COPY(dcs, n_dcs);
    COPY(links, n_links);
    COPY(units, n_units);
    COPY(cells, n_cells);
    COPY(groups, n_groups);
#undef COPY
    if (src->n_events > dst->cap_events && sim_grow((void **)&dst->events, &dst->cap_events, src->n_events + 1,
                                                    sizeof *dst->events))
        return -1;
    if (src->n_events)
        memcpy(dst->events, src->events, src->n_events * sizeof *dst->events);
    mdl_view_city *c = dst->cities;
    mdl_view_dc *d = dst->dcs;
    mdl_view_link *l = dst->links;
    mdl_view_unit *u = dst->units;
    mdl_view_cell *ce = dst->cells;
    mdl_view_group *g = dst->groups;
    mdl_event_row *e = dst->events;
    size_t cap_events = dst->cap_events;
    *dst = *src;
    dst->cities = c, dst->dcs = d, dst->links = l, dst->units = u, dst->cells = ce, dst->groups = g;
    dst->events = e, dst->cap_events = cap_events;
    return 0;
}

void sc_player_draw(sc_player *p, cairo_t *cr, double W, double H, sc_layout *L)
{
    pthread_mutex_lock(&p->draw_mu);
    /* Under the lock only what must be: the two views decoded and copied,
     * and what the film gained since the last frame; the drawing itself
     * goes on while the simulating thread records. */
    pthread_mutex_lock(&p->mu);
    /* Rates come from the frame a second before (or, when frames are
     * further apart at high speed, the frame before). */
    size_t i = mdl_film_frame_at(p->film, p->t);
    sim_time at = mdl_film_frame_time(p->film, i), back = at - SIM_SEC;
    if (i > 0 && mdl_film_frame_at(p->film, back) == i)
        back = mdl_film_frame_time(p->film, i - 1);
    int ok = mdl_film_view_at(p->film, back, &p->before) == SIM_OK &&
             copy_view(&p->draw_before, &p->before) == 0 && mdl_film_view_at(p->film, p->t, &p->at) == SIM_OK &&
             copy_view(&p->draw_at, &p->at) == 0;
    const mdl_series_point *s;
    const mdl_event_row *e;
    const mdl_film_mark *m;
    const mdl_film_caption *c;
    size_t ns = mdl_film_series(p->film, &s), ne = mdl_film_events(p->film, &e);
    size_t nm = mdl_film_marks(p->film, &m), nc = mdl_film_captions(p->film, &c);
    ok = ok && !copy_tail((void **)&p->series, &p->n_series, &p->cap_series, s, ns, sizeof *s, 0) &&
         !copy_tail((void **)&p->events, &p->n_events, &p->cap_events, e, ne, sizeof *e, 0) &&
         !copy_tail((void **)&p->marks, &p->n_marks, &p->cap_marks, m, nm, sizeof *m, 1) &&
         !copy_tail((void **)&p->captions, &p->n_captions, &p->cap_captions, c, nc, sizeof *c, 1);
    sc_ui ui = p->ui;
    sim_time t = p->t, edge = p->edge;
    pthread_mutex_unlock(&p->mu);
    if (ok) {
        sc_record rec = {p->series, p->n_series, p->events, p->n_events, p->marks, p->n_marks, p->captions,
                         p->n_captions};
        sc_input in = {p->film, &rec, &p->draw_at, &p->draw_before, t, edge, p->end, p->types, p->n_types, &ui};
        sc_draw(cr, W, H, &in, L);
    }
    pthread_mutex_unlock(&p->draw_mu);
}

/* ==== The operator's seat ==== */

void sc_player_with_world(sc_player *p, void (*fn)(mdl_world *w, void *context), void *context)
{
    if (!p->started) {
        fn(p->w, context);
        return;
    }
    pthread_mutex_lock(&p->mu);
    while (p->call) /* another caller's first */
        pthread_cond_wait(&p->called, &p->mu);
    p->call = fn;
    p->call_context = context;
    pthread_cond_signal(&p->wake);
    while (p->call == fn && p->call_context == context)
        pthread_cond_wait(&p->called, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void sc_player_act(sc_player *p, int what, const char *target)
{
    pthread_mutex_lock(&p->mu);
    if (!p->w)
        snprintf(p->ui.status, sizeof p->ui.status, "a replay cannot be changed: act in a live run (dcsim view)");
    else if (p->ui.in_past || p->edge - p->t > 2 * SIM_SEC)
        snprintf(p->ui.status, sizeof p->ui.status, "you are looking at the past: press End to return live, then act");
    else if (p->done)
        snprintf(p->ui.status, sizeof p->ui.status, "the run has ended");
    else if (p->n_acts == MAX_ACTS)
        snprintf(p->ui.status, sizeof p->ui.status, "too many actions waiting");
    else {
        act_request *a = &p->acts[p->n_acts++];
        a->kind = what;
        snprintf(a->target, sizeof a->target, "%s", target ? target : "");
        pthread_cond_signal(&p->wake);
    }
    pthread_mutex_unlock(&p->mu);
    if (!p->threaded)
        catch_up(p);
}

static void run_acts(sc_player *p)
{
    pthread_mutex_lock(&p->mu);
    act_request acts[MAX_ACTS];
    int n = p->n_acts;
    memcpy(acts, p->acts, sizeof acts);
    p->n_acts = 0;
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < n; i++) {
        char err[256] = "";
        mdl_act act = {acts[i].kind, acts[i].target, NULL};
        int rc = mdl_world_act(p->w, &act, err, sizeof err);
        pthread_mutex_lock(&p->mu);
        if (rc)
            snprintf(p->ui.status, sizeof p->ui.status, "%s", err);
        else
            snprintf(p->ui.status, sizeof p->ui.status, "%s %s: started (see the log)", mdl_action_kinds[acts[i].kind],
                     acts[i].target);
        pthread_mutex_unlock(&p->mu);
    }
}

int sc_player_failed(sc_player *p)
{
    pthread_mutex_lock(&p->mu);
    int s = p->status;
    pthread_mutex_unlock(&p->mu);
    return s;
}

void sc_player_stop(sc_player *p)
{
    if (p->started) {
        pthread_mutex_lock(&p->mu);
        p->quit = 1;
        pthread_cond_signal(&p->wake);
        pthread_mutex_unlock(&p->mu);
        pthread_join(p->thread, NULL);
        p->started = 0;
    }
    if (p->w) { /* what waits in the ring, and the acts asked before the end */
        pthread_mutex_lock(&p->mu);
        flush_pending(p);
        pthread_mutex_unlock(&p->mu);
        run_acts(p);
    }
}

void sc_player_say(sc_player *p, const char *text)
{
    pthread_mutex_lock(&p->mu);
    snprintf(p->ui.status, sizeof p->ui.status, "%s", text);
    pthread_mutex_unlock(&p->mu);
}

void sc_player_set_speed(sc_player *p, double speed, int paused)
{
    pthread_mutex_lock(&p->mu);
    p->ui.speed = speed < 0.1 ? 0.1 : speed > 1000 ? 1000 : speed;
    p->ui.paused = paused;
    pthread_mutex_unlock(&p->mu);
}

int sc_player_name_of(sc_player *p, int kind, int index, char *buf, size_t size, int *city)
{
    pthread_mutex_lock(&p->mu);
    int ok = mdl_film_view_at(p->film, p->t, &p->at) == SIM_OK;
    const mdl_view *v = &p->at;
    buf[0] = 0;
    if (ok && kind == VZ_HIT_UNIT && index >= 0 && index < v->n_units)
        snprintf(buf, size, "%s", v->units[index].name);
    else if (ok && kind == VZ_HIT_CELL && index >= 0 && index < v->n_cells)
        snprintf(buf, size, "%s", v->units[v->cells[index].unit].name);
    else if (ok && kind == VZ_HIT_DC && index >= 0 && index < v->n_dcs) {
        snprintf(buf, size, "%s", v->dcs[index].name);
        if (city)
            *city = v->dcs[index].city;
    } else if (ok && kind == VZ_HIT_GROUP && index >= 0 && index < v->n_groups)
        snprintf(buf, size, "%s/%d-%d", v->groups[index].database, v->groups[index].shards_lo,
                 v->groups[index].shards_hi);
    pthread_mutex_unlock(&p->mu);
    return buf[0] ? 0 : -1;
}
