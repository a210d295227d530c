/* mdl_film.h -- a run recorded as a film: what the window needs to redraw
 * any moment of it. Frames are views of the world (mdl_view.h) at known
 * times, kept as a keyframe now and then and, between keyframes, as the
 * bytes that changed since the frame before; beside them the series
 * points (one per interval), the event log, and what is known before the
 * run starts (the places' names, the planned faults, the captions).
 *
 * The live window records into a film as the run goes, so it can seek
 * backwards; `--trace FILE` saves the film (sim_trace.h blocks:
 * checksummed, versioned); `dcsim replay` loads it. A film is one
 * thread's: callers that share it hold their own lock. */
#ifndef MDL_FILM_H
#define MDL_FILM_H
#include <stddef.h>
#include <stdint.h>

#include "mdl_results.h"
#include "mdl_view.h"
#include "sim_time.h"

/* The trace format's version; a reader refuses a newer one. */
#define MDL_FILM_VERSION 1

/* What a film is of. Strings are copied. */
typedef struct mdl_film_info {
    const char *scenario;       /* the scenario's name */
    const char *stage;          /* the stage's name */
    const char *start_clock;    /* the wall clock of run time 0 ("23:40:00") */
    uint64_t seed;
    double scale;
    sim_time warmup;            /* run time where the measured part starts */
    sim_time end;               /* run time where the scenario ends */
    const char *const *types;   /* the request types' names (copied), n_types of them */
    int n_types;
} mdl_film_info;

/* A fault the scenario plans, for the timeline: run times, to < 0 when it
 * has no planned end. */
typedef struct mdl_film_mark {
    sim_time from, to;
    char kind[32];              /* the fault's kind ("power", "link-cut") */
    char label[96];             /* its target as written */
} mdl_film_mark;

/* A caption of the scenario: shown from `from` to `to` (run times). */
typedef struct mdl_film_caption {
    sim_time from, to;
    char text[224];
} mdl_film_caption;

typedef struct mdl_film mdl_film;

/* A film whose places are those of `first` (names are copied; every frame
 * after must have the same numbers of places). 0, or SIM_ENOMEM. */
int mdl_film_create(const mdl_view *first, const mdl_film_info *info, mdl_film **out);
void mdl_film_destroy(mdl_film *f);
int mdl_film_add_mark(mdl_film *f, const mdl_film_mark *m);
int mdl_film_add_caption(mdl_film *f, const mdl_film_caption *c);

/* Appends a frame at v->now (later than the last frame, else ignored),
 * with the events of v->events the film has not seen and v->last when it
 * is a new interval. 0, SIM_EINPUT (places differ in number), SIM_ENOMEM. */
int mdl_film_record(mdl_film *f, const mdl_view *v);

const mdl_film_info *mdl_film_about(const mdl_film *f);
/* The request types' names (the charts' lines): how many, *out the names. */
int mdl_film_types(const mdl_film *f, const char ***out);
/* Adds the scenario's planned faults as marks (cfg->scn's faults, with
 * their run times). 0, or SIM_ENOMEM. */
struct mdl_config;
int mdl_film_plan(mdl_film *f, const struct mdl_config *cfg);
/* Adds the scenario's captions that have a fixed `at:` (text as written,
 * shown for their show_for); captions shown on an event are left to
 * whoever sees the event. 0, or SIM_ENOMEM. */
int mdl_film_plan_captions(mdl_film *f, const struct mdl_config *cfg);
/* A film of stage `stage_index` of cfg run as w, from its first view:
 * mdl_film_create with the info filled from the scenario and the world,
 * then mdl_film_plan and mdl_film_plan_captions. 0, or SIM_ENOMEM. */
int mdl_film_start(const mdl_world *w, const struct mdl_config *cfg, size_t stage_index, const mdl_view *first,
                   mdl_film **out);
size_t mdl_film_frames(const mdl_film *f);
sim_time mdl_film_frame_time(const mdl_film *f, size_t i);
/* The index of the latest frame at or before t (0 when t is before the first). */
size_t mdl_film_frame_at(const mdl_film *f, sim_time t);
size_t mdl_film_marks(const mdl_film *f, const mdl_film_mark **out);
size_t mdl_film_captions(const mdl_film *f, const mdl_film_caption **out);
/* Every series point and event row recorded (the caller cuts at its t). */
size_t mdl_film_series(const mdl_film *f, const mdl_series_point **out);
size_t mdl_film_events(const mdl_film *f, const mdl_event_row **out);

/* The world as the latest frame at or before t showed it (the first frame
 * when t is before it): places, state, v->last (the last interval ended by
 * then) and v->events (the rows up to then). Names point into the film.
 * `out` is reused from call to call as mdl_view_capture reuses it; going
 * forward one frame at a time costs one frame's changes. 0, or SIM_ENOMEM. */
int mdl_film_view_at(mdl_film *f, sim_time t, mdl_view *out);

/* Writes the film to `path` whole or not at all. 0, or SIM_EIO with the
 * reason in err ("path: ..."). */
int mdl_film_save(const mdl_film *f, const char *path, char *err, size_t err_size);
/* Reads a film; a truncated, corrupt, foreign or newer file is refused
 * with why in err ("path: truncated at byte N: ..."): SIM_EINPUT, or
 * SIM_ENOMEM / SIM_EIO. Never trusts a count or length it reads. */
int mdl_film_load(const char *path, mdl_film **out, char *err, size_t err_size);
/* The same from bytes in memory (the fuzz harness); `name` stands for the
 * path in messages. */
int mdl_film_load_bytes(const void *bytes, size_t size, const char *name, mdl_film **out, char *err,
                        size_t err_size);

/* Bytes the film holds (frames, series, events): the trace's size within
 * a few percent. */
size_t mdl_film_bytes(const mdl_film *f);

#endif /* MDL_FILM_H */
