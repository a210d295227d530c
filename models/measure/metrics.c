/* metrics.c -- counting a request's measures as they happen: into the
 * current interval, and into the phase (warm-up or measured) its user's
 * request was born in; the users affected; the cells' time integrals. */
#include <string.h>

#include "meas_int.h"
#include "sim_prefetch.h"

#define MEAS_CAUSE_NAME(id, name) name,
#define MEAS_FAILURE_NAME(id, name, doc) "failed_" name,
const char *const meas_names[M_COUNT] = {
    "offered", "succeeded", "failed", MDL_CAUSES(MEAS_CAUSE_NAME)
    MDL_FAILURE_CAUSES(MEAS_FAILURE_NAME)
    "retries", "attempts", "cross_dc_calls", "stale_reads",
};

double meas_sum(const w_world *w, const meas_counts *c, int m)
{
    double s = 0;
    for (size_t i = 0; i < (size_t)w->n_units * (size_t)w->n_types; i++)
        s += (double)c->c[i * M_COUNT + (size_t)m];
    return s;
}

/* ==== Recording ==== */

static inline meas_counts *phase_of(w_world *w, sim_time born)
{
    return born >= w->warmup ? &w->measure->total : &w->measure->warm;
}

void metrics_req(w_world *w, int unit, int type, sim_time born, int measure)
{
    size_t s = meas_slot(w, unit, type) * M_COUNT + (size_t)measure;
    w->measure->now.c[s]++;
    phase_of(w, born)->c[s]++;
    if (measure == M_OFFERED && born >= w->measure->peak_from && born < w->measure->peak_to)
        w->measure->peak_offered++;
}

void metrics_success(w_world *w, int unit, int type, sim_time born, sim_time latency)
{
    struct w_measure *m = w->measure;
    size_t s = meas_slot(w, unit, type);
    meas_counts *phase = phase_of(w, born);
    m->now.c[s * M_COUNT + M_SUCCEEDED]++;
    phase->c[s * M_COUNT + M_SUCCEEDED]++;
    sim_hist_add(&m->now.lat[s], latency);
    sim_hist_add(&phase->lat[s], latency);
    if (born >= m->peak_from && born < m->peak_to) {
        sim_hist_add(&m->peak_lat, latency);
        m->peak_succeeded++;
    }
}

/* A user's bitmap (a bit for each of up to 500M users) misses the cache
 * at almost every failure: tested and counted there and then, each miss
 * stalled the run (three quarters of client_failed's 24% of the pure
 * stage, whose outage fails every request). So a mark asks for its byte
 * and is set MEAS_MARKS marks later, when the byte has come, or when the
 * run returns (measure_settle); the users are counted when asked
 * (meas_bits_set). The pure stage at scale 0.05 ran 15% faster. */
void meas_mark_user(w_world *w, uint8_t *bits, uint64_t uid)
{
    struct w_measure *m = w->measure;
    uint8_t *byte = bits + (uid >> 3);
    sim_prefetch_write(byte);
    meas_mark *due = &m->marks[m->n_marks++ & (MEAS_MARKS - 1)];
    if (due->byte)
        *due->byte |= due->bit;
    *due = (meas_mark){byte, (uint8_t)(1u << (uid & 7))};
}

void measure_settle(w_world *w)
{
    struct w_measure *m = w->measure;
    for (int i = 0; i < MEAS_MARKS; i++)
        if (m->marks[i].byte) {
            *m->marks[i].byte |= m->marks[i].bit;
            m->marks[i].byte = NULL;
        }
}

void metrics_user_failed(w_world *w, uint64_t uid) { meas_mark_user(w, w->measure->users_failed, uid); }

uint64_t meas_bits_set(const uint8_t *bits, uint64_t n_bits)
{
    uint64_t n = 0, bytes = n_bits / 8 + 1, i = 0;
    for (; i + 8 <= bytes; i += 8) {
        uint64_t word;
        memcpy(&word, bits + i, sizeof word);
        n += (uint64_t)__builtin_popcountll(word);
    }
    for (; i < bytes; i++)
        n += (uint64_t)__builtin_popcount(bits[i]);
    return n;
}

void metrics_cell_change(w_world *w, w_cell *c)
{
    sim_time now = sim_now(w->e);
    double dt = (double)(now - c->last_change);
    c->busy_integral += dt * c->busy_now;
    c->queue_integral += dt * c->queued_now;
    c->area_busy += dt * c->busy_now;
    c->area_queued += dt * c->queued_now;
    sim_time a = c->last_change > w->warmup ? c->last_change : w->warmup;
    sim_time b = now < w->end ? now : w->end;
    if (b > a)
        c->busy_total += (double)(b - a) * c->busy_now;
    c->last_change = now;
}
