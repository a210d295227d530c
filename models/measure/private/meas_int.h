/* meas_int.h -- the measures' own state (private to measure/). */
#ifndef MEAS_INT_H
#define MEAS_INT_H
#include <stdio.h>

#include "measure.h"
#include "sim_hist.h"
#include "sim_window.h"

/* Counters of one phase or interval, per unit and per request type. */
typedef struct meas_counts {
    uint64_t *c;                /* [unit][type][measure] */
    sim_hist *lat;              /* [unit][type] */
} meas_counts;

typedef struct meas_incidents meas_incidents;

/* A user's bit to set in a bitmap, once its byte is in the cache. */
typedef struct meas_mark {
    uint8_t *byte;              /* NULL: none */
    uint8_t bit;
} meas_mark;
#define MEAS_MARKS 16           /* a power of two */

struct w_measure {
    meas_counts now;            /* the current interval */
    meas_counts total;          /* the whole measured run */
    meas_counts warm;           /* the warm-up */
    sim_hist peak_lat;          /* of the successes born in the busiest minute of offered load */
    uint64_t peak_offered, peak_succeeded; /* user requests born in it, and those that succeeded */
    sim_time peak_from, peak_to;
    sim_time interval;
    sim_time interval_start;
    uint8_t *users_failed;      /* bitmap over the simulated population */
    mdl_series *series;         /* what the run recorded, interval by interval */
    size_t series_merge, series_pending;
    mdl_series_point series_acc;
    mdl_series_point last;      /* the last interval's, exactly */
    int has_last;
    uint64_t *last_c;           /* the last interval's counters, [unit][type][measure] */
    double last_per;            /* turns them into real-world per second */
    FILE *csv;                  /* timeseries.csv being written, or NULL */
    char csv_path[4096];
    sim_hist scratch_hist, scratch_hist2;
    meas_incidents *incidents;
    meas_mark marks[MEAS_MARKS]; /* users' bits on their way (meas_mark_user) */
    uint32_t n_marks;
};

static inline size_t meas_slot(const w_world *w, int unit, int type)
{
    return (size_t)unit * (size_t)w->n_types + (size_t)type;
}

/* Sets uid's bit in a users' bitmap (w->users bits) by the time the run
 * returns. */
void meas_mark_user(w_world *w, uint8_t *bits, uint64_t uid);

/* The bits set in a bitmap of n_bits bits (users/8 + 1 bytes, as the
 * users' bitmaps are allocated). */
uint64_t meas_bits_set(const uint8_t *bits, uint64_t n_bits);

/* The sum of one measure over every unit and type. */
double meas_sum(const w_world *w, const meas_counts *c, int m);

/* The in-memory series (series.c): one point an interval, merged two by
 * two when full so long runs stay bounded. */
int series_init(w_world *w);
void series_fini(w_world *w);
void series_push(w_world *w, const mdl_series_point *p);

/* The interval tick (interval.c): posts the first. */
int interval_start(w_world *w);

int incidents_init(w_world *w);
void incidents_fini(w_world *w);

#endif /* MEAS_INT_H */
