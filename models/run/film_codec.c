/* film_codec.c -- a view's dynamic fields as a flat run of little-endian
 * bytes, and back. One listing of the fields (walk_*) serves sizing,
 * encoding and decoding, so the three cannot disagree; a field added to
 * mdl_view.h must be added here too (the size checks below say so). */
#include <math.h>
#include <string.h>

#include "film_int.h"
#include "sim_trace.h"

/* A new field in a view's struct changes its size: record it below (and
 * bump MDL_FILM_VERSION when a field changes meaning), then the size here.
 * x86-64 and aarch64 LP64 layouts. */
_Static_assert(sizeof(mdl_view) == 160 + sizeof(mdl_series_point), "mdl_view changed: record the new field in film_codec.c");
_Static_assert(sizeof(mdl_view_dc) == 56, "mdl_view_dc changed: record the new field in film_codec.c");
_Static_assert(sizeof(mdl_view_link) == 56, "mdl_view_link changed: record the new field in film_codec.c");
_Static_assert(sizeof(mdl_view_unit) == 48 + 8 * FAIL_COUNT, "mdl_view_unit changed: record the new field in film_codec.c");
_Static_assert(sizeof(mdl_view_cell) == 36, "mdl_view_cell changed: record the new field in film_codec.c");
_Static_assert(sizeof(mdl_view_copy) == 32, "mdl_view_copy changed: record the new field in film_codec.c");
_Static_assert(sizeof(mdl_view_group) == 40 + MDL_VIEW_COPIES * sizeof(mdl_view_copy),
               "mdl_view_group changed: record the new field in film_codec.c");

enum { COUNT, PUT, GET };

typedef struct walk {
    int mode;
    uint8_t *p;
    size_t n;                   /* bytes walked */
} walk;

static void wi(walk *w, int *x)
{
    if (w->mode == PUT)
        sim_put_le32(w->p + w->n, (uint32_t)*x);
    else if (w->mode == GET)
        *x = (int)(int32_t)sim_le32(w->p + w->n);
    w->n += 4;
}

static void wu(walk *w, uint64_t *x)
{
    if (w->mode == PUT)
        sim_put_le64(w->p + w->n, *x);
    else if (w->mode == GET)
        *x = sim_le64(w->p + w->n);
    w->n += 8;
}

static void wd(walk *w, double *x)
{
    uint64_t bits = 0;
    if (w->mode == PUT)
        memcpy(&bits, x, 8);
    wu(w, &bits);
    if (w->mode == GET)
        memcpy(x, &bits, 8);
}

/* The dynamic fields; the static ones (names, where things stand, what a
 * group's copies are) are the film's header. In PUT and COUNT modes the
 * view is only read. */
static void walk_view(walk *w, mdl_view *v)
{
    wu(w, &v->generation);
    wd(w, &v->scale);
    wi(w, &v->registry_up);
    for (int i = 0; i < v->n_dcs; i++) {
        mdl_view_dc *d = &v->dcs[i];
        wi(w, &d->powered);
        wi(w, &d->isolated);
        wi(w, &d->entry);
        wi(w, &d->entry_up);
        wi(w, &d->registry);
        wi(w, &d->alarm);
        wd(w, &d->batteries_left_s);
        wi(w, &d->drained);
    }
    for (int i = 0; i < v->n_links; i++) {
        mdl_view_link *l = &v->links[i];
        wi(w, &l->up);
        wi(w, &l->detour);
        wi(w, &l->via);
        wd(w, &l->latency_s);
        wd(w, &l->loss);
        wu(w, &l->messages);
        wu(w, &l->bytes);
    }
    for (int i = 0; i < v->n_units; i++) {
        mdl_view_unit *u = &v->units[i];
        wi(w, &u->home);
        wi(w, &u->switching);
        wd(w, &u->offered);
        wd(w, &u->failed);
        for (int k = 0; k < FAIL_COUNT; k++)
            wd(w, &u->by_cause[k]);
    }
    for (int i = 0; i < v->n_cells; i++) {
        mdl_view_cell *c = &v->cells[i];
        wi(w, &c->active);
        wi(w, &c->servers_up);
        wi(w, &c->in_rotation);
        wi(w, &c->busy);
        wi(w, &c->queued);
    }
    for (int i = 0; i < v->n_groups; i++) {
        mdl_view_group *g = &v->groups[i];
        wi(w, &g->primary);
        wi(w, &g->promoting);
        wi(w, &g->write_forbidden);
        wu(w, &g->lsn);
        for (int k = 0; k < g->n_copies && k < MDL_VIEW_COPIES; k++) {
            mdl_view_copy *c = &g->copies[k];
            wi(w, &c->up);
            wi(w, &c->recovering);
            wi(w, &c->cut_off);
            wu(w, &c->behind);
        }
    }
}

size_t film__frame_size(const mdl_view *places)
{
    walk w = {COUNT, NULL, 0};
    walk_view(&w, (mdl_view *)places);
    return w.n;
}

void film__encode(const mdl_view *v, uint8_t *out)
{
    walk w = {PUT, out, 0};
    walk_view(&w, (mdl_view *)v);
}

void film__decode(const uint8_t *in, mdl_view *v)
{
    walk w = {GET, (uint8_t *)in, 0};
    walk_view(&w, v);
}

/* A place of a link: a datacenter's index, or -1 - a city's. */
static int is_place(const mdl_view *v, int p) { return p >= 0 ? p < v->n_dcs : -1 - p < v->n_cities; }

const char *film__check_frame(const mdl_view *v)
{
    if (!isfinite(v->scale))
        return "a scale that is not a number";
    for (int i = 0; i < v->n_dcs; i++)
        if (v->dcs[i].isolated < 0 || v->dcs[i].isolated > 2 || !isfinite(v->dcs[i].batteries_left_s))
            return "a datacenter's state out of range";
    for (int i = 0; i < v->n_links; i++) {
        const mdl_view_link *l = &v->links[i];
        if ((l->detour && !is_place(v, l->via)) || !isfinite(l->latency_s) || !isfinite(l->loss))
            return "a link's state out of range";
    }
    for (int i = 0; i < v->n_units; i++)
        if (v->units[i].home < -1 || v->units[i].home >= v->n_cells)
            return "a unit's home cell out of range";
    for (int i = 0; i < v->n_groups; i++)
        if (v->groups[i].primary < -1 || v->groups[i].primary >= v->groups[i].n_copies)
            return "a group's primary out of range";
    return NULL;
}

/* ==== Deltas ==== */

void film__delta(const uint8_t *cur, const uint8_t *prev, size_t size, sim_tbuf *b)
{
    size_t i = 0;
    while (i < size) {
        size_t j = i;
        while (j < size && cur[j] == prev[j])
            j++;
        if (j == size)
            break; /* the rest is unchanged: said by ending */
        /* A literal run goes on through short zero runs: a run of fewer
         * than three unchanged bytes costs more to skip than to copy. */
        size_t k = j;
        while (k < size) {
            if (cur[k] != prev[k]) {
                k++;
                continue;
            }
            size_t z = k;
            while (z < size && cur[z] == prev[z] && z - k < 3)
                z++;
            if (z - k >= 3 || z == size)
                break;
            k = z;
        }
        sim_tbuf_varint(b, j - i);
        sim_tbuf_varint(b, k - j);
        for (size_t x = j; x < k; x++)
            sim_tbuf_u8(b, cur[x] ^ prev[x]);
        i = k;
    }
}

int film__undelta(const uint8_t *delta, size_t len, uint8_t *buf, size_t size)
{
    sim_tcur c = sim_tcur_of(delta, len);
    size_t pos = 0;
    while (sim_tcur_left(&c) > 0) {
        uint64_t skip = sim_tcur_varint(&c), lit = sim_tcur_varint(&c);
        if (c.bad || skip > size - pos || lit > size - pos - skip)
            return -1;
        pos += (size_t)skip;
        const uint8_t *p = sim_tcur_bytes(&c, (size_t)lit);
        if (!p)
            return -1;
        for (size_t x = 0; x < lit; x++)
            buf[pos + x] ^= p[x];
        pos += (size_t)lit;
    }
    return 0;
}

/* ==== Series points and event rows ==== */

/* The doubles of a series point, in order. */
static void point_fields(mdl_series_point *p, double **f, size_t *n)
{
    size_t k = 0;
    f[k++] = &p->t;
    f[k++] = &p->offered;
    f[k++] = &p->succeeded;
    f[k++] = &p->failed;
    f[k++] = &p->p50;
    f[k++] = &p->p99;
    f[k++] = &p->retries;
    f[k++] = &p->lost_writes;
    for (int i = 0; i < MDL_SERIES_DCS; i++)
        f[k++] = &p->dc_served[i];
    for (int i = 0; i < FAIL_COUNT; i++)
        f[k++] = &p->by_cause[i];
    f[k++] = &p->cross_dc_calls;
    for (int i = 0; i < MDL_SERIES_TYPES; i++)
        f[k++] = &p->type_offered[i];
    for (int i = 0; i < MDL_SERIES_TYPES; i++)
        f[k++] = &p->type_succeeded[i];
    *n = k;
}

#define POINT_DOUBLES (9 + MDL_SERIES_DCS + FAIL_COUNT + 2 * MDL_SERIES_TYPES)
_Static_assert(sizeof(mdl_series_point) == 8 * POINT_DOUBLES,
               "mdl_series_point changed: record the new field in film_codec.c");

size_t film__point_bytes(void) { return 8 + 8 * POINT_DOUBLES; }

void film__put_point(sim_tbuf *b, sim_time at, const mdl_series_point *p)
{
    double *f[POINT_DOUBLES];
    size_t n;
    point_fields((mdl_series_point *)p, f, &n);
    sim_tbuf_i64(b, at);
    for (size_t i = 0; i < n; i++)
        sim_tbuf_f64(b, *f[i]);
}

int film__get_point(sim_tcur *c, sim_time *at, mdl_series_point *p)
{
    double *f[POINT_DOUBLES];
    size_t n;
    point_fields(p, f, &n);
    *at = sim_tcur_i64(c);
    int finite = 1;
    for (size_t i = 0; i < n; i++) {
        *f[i] = sim_tcur_f64(c);
        finite &= isfinite(*f[i]);
    }
    return c->bad || !finite ? -1 : 0;
}

void film__put_event(sim_tbuf *b, const mdl_event_row *e)
{
    sim_tbuf_i64(b, e->t);
    sim_tbuf_u32(b, (uint32_t)e->kind);
    sim_tbuf_str(b, e->target);
    sim_tbuf_str(b, e->text);
}

int film__get_event(sim_tcur *c, mdl_event_row *e)
{
    memset(e, 0, sizeof *e);
    e->t = sim_tcur_i64(c);
    uint32_t kind = sim_tcur_u32(c);
    sim_tcur_str(c, e->target, sizeof e->target);
    sim_tcur_str(c, e->text, sizeof e->text);
    if (c->bad || kind >= EV_KIND_COUNT)
        return -1;
    e->kind = (int)kind;
    return 0;
}
