/* film_int.h -- the film's layout, shared by film.c (recording, seeking,
 * saving, loading) and film_codec.c (a view's fields to bytes and back). */
#ifndef FILM_INT_H
#define FILM_INT_H
#include <stddef.h>
#include <stdint.h>

#include "mdl_film.h"
#include "sim_trace.h"

/* A keyframe at least every this many frames, or this much simulated time. */
#define FILM_KEY_EVERY 64
#define FILM_KEY_SPAN (30 * SIM_SEC)

typedef struct film_frame {
    sim_time t;
    size_t off;                 /* into data */
    uint32_t len;
    uint32_t key;               /* 1: the bytes are the frame; 0: the XOR with the one before, zero runs skipped */
    size_t keyframe;            /* index of the keyframe it is decoded from */
} film_frame;

struct mdl_film {
    mdl_film_info info;         /* strings point to the owned copies below */
    char *scenario, *stage, *start_clock;
    char **types;               /* the request types' names, info.n_types of them */
    /* The places with their static fields (dynamic ones zero); names owned. */
    mdl_view places;
    char **names;
    size_t n_names, cap_names;
    size_t frame_size;          /* bytes of a frame's dynamic fields */

    uint8_t *data;              /* every frame's bytes, one after another */
    size_t n_data, cap_data;
    film_frame *frames;
    size_t n_frames, cap_frames;
    uint8_t *prev, *scratch;    /* recording: the last frame, and the one being made */

    uint8_t *cur;               /* seeking: the frame cur_i, decoded */
    size_t cur_i;               /* SIZE_MAX: none */

    mdl_series_point *series;
    sim_time *series_at;        /* the frame time each point was recorded at */
    size_t n_series, cap_series, cap_series_at;
    mdl_event_row *events;
    size_t n_events, cap_events;
    size_t other_bytes;         /* what the series and events take in a trace */

    mdl_film_mark *marks;
    size_t n_marks, cap_marks;
    mdl_film_caption *captions;
    size_t n_captions, cap_captions;
};

/* ==== film_codec.c ==== */

/* Bytes of a frame of views with these places. */
size_t film__frame_size(const mdl_view *places);
/* A view's dynamic fields into `out` (frame_size bytes), and back. */
void film__encode(const mdl_view *v, uint8_t *out);
void film__decode(const uint8_t *in, mdl_view *v);
/* NULL when a decoded view's dynamic fields are usable (indexes in range,
 * geometry finite); else what is wrong. */
const char *film__check_frame(const mdl_view *v);

/* The XOR of cur and prev (size bytes) with zero runs skipped, appended to b. */
void film__delta(const uint8_t *cur, const uint8_t *prev, size_t size, sim_tbuf *b);
/* Applies a delta to buf in place. 0, or -1 when it does not fit. */
int film__undelta(const uint8_t *delta, size_t len, uint8_t *buf, size_t size);

/* A series point and an event row, encoded and decoded (decode: 0, or -1). */
void film__put_point(sim_tbuf *b, sim_time at, const mdl_series_point *p);
int film__get_point(sim_tcur *c, sim_time *at, mdl_series_point *p);
void film__put_event(sim_tbuf *b, const mdl_event_row *e);
int film__get_event(sim_tcur *c, mdl_event_row *e);
size_t film__point_bytes(void);

/* Request types a film keeps at most (a loaded one too). */
#define MAX_TYPES 4096

/* Shared by recording (film.c) and the trace file (film_file.c). */
char *film__keep_name(mdl_film *f, const char *s);
int film__alloc_places(mdl_film *f);
int film__alloc_frames(mdl_film *f);
mdl_film *film__new(void);
int film__set_info(mdl_film *f, const mdl_film_info *info);
int film__add_frame(mdl_film *f, sim_time t, int key, const uint8_t *bytes, size_t len);
int film__add_point(mdl_film *f, sim_time at, const mdl_series_point *p);
int film__add_event(mdl_film *f, const mdl_event_row *e);

#endif /* FILM_INT_H */
