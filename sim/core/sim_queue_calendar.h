/* sim_queue_calendar.h -- the calendar-queue candidate for the main queue
 * (R. Brown, CACM 1988): a ring of buckets, each a day of `width`
 * nanoseconds and holding a sorted list; a year is the whole ring. The
 * scan walks the virtual bucket number t / width forward; with a width near
 * three times the mean gap between events, insert and pop are O(1) on
 * average and unlinking (cancel) is O(1) always. Widths are powers of two,
 * so t / width is a shift. Resizing, in sim_queue_calendar.c, doubles or
 * halves the ring as the count crosses 2x or 1/2x and re-estimates the
 * width from the earliest events. */
#ifndef SIM_QUEUE_CALENDAR_H
#define SIM_QUEUE_CALENDAR_H
#include "sim_engine_int.h"

int sim__calendar_init(calendar *q);
void sim__calendar_fini(calendar *q);
/* Rebuilds with `buckets` buckets and a fresh width; 0 or SIM_ENOMEM (the
 * queue is then unchanged and keeps working, just less evenly spread). */
int sim__calendar_resize(calendar *q, uint64_t buckets);

static inline int64_t cal_day(const calendar *q, sim_time t) { return t >> q->width; }

/* Links `slot` (its payload already in rec[slot]) into its day's bucket,
 * after every event that comes before it. */
static inline void cal_link(calendar *q, uint32_t slot)
{
    const sim__event *ev = &q->rec[slot];
    const int64_t day = cal_day(q, ev->t);
    uint32_t *head = &q->bucket[(uint64_t)day & q->mask];
    uint32_t cur = *head, prev = EV_NONE;
    while (cur != EV_NONE && ev_before(&q->rec[cur], ev)) {
        prev = cur;
        cur = q->next[cur];
    }
    q->next[slot] = cur;
    q->prev[slot] = prev;
    if (prev == EV_NONE)
        *head = slot;
    else
        q->next[prev] = slot;
    if (cur != EV_NONE)
        q->prev[cur] = slot;
    if (day < q->cur) /* earlier than where a peek left the scan */
        q->cur = day;
}

static inline void cal_unlink(calendar *q, uint32_t slot)
{
    uint32_t prev = q->prev[slot], next = q->next[slot];
    if (prev == EV_NONE)
        q->bucket[(uint64_t)cal_day(q, q->rec[slot].t) & q->mask] = next;
    else
        q->next[prev] = next;
    if (next != EV_NONE)
        q->prev[next] = prev;
}

static inline void cal_insert(calendar *q, uint32_t slot)
{
    cal_link(q, slot);
    if (++q->n > q->grow_at && !q->resizing)
        sim__calendar_resize(q, (q->mask + 1) * 2);
}

static inline void cal_remove(calendar *q, uint32_t slot)
{
    cal_unlink(q, slot);
    if (--q->n < q->shrink_at && !q->resizing)
        sim__calendar_resize(q, (q->mask + 1) / 2);
}

/* The earliest slot, or EV_NONE. Moves the scan forward to its day, which
 * is safe: nothing pending is earlier. */
static inline uint32_t cal_peek_slot(calendar *q)
{
    if (q->n == 0)
        return EV_NONE;
    const int64_t end = q->cur + (int64_t)q->mask + 1;
    for (int64_t day = q->cur; day < end; day++) {
        uint32_t s = q->bucket[(uint64_t)day & q->mask];
        if (s != EV_NONE && cal_day(q, q->rec[s].t) == day) {
            q->cur = day;
            return s;
        }
    }
    /* A sparse year: take the earliest head directly. */
    uint32_t best = EV_NONE;
    for (uint64_t b = 0; b <= q->mask; b++) {
        uint32_t s = q->bucket[b];
        if (s != EV_NONE && (best == EV_NONE || ev_before(&q->rec[s], &q->rec[best])))
            best = s;
    }
    q->cur = cal_day(q, q->rec[best].t);
    return best;
}

static inline sim__event *cal_peek(calendar *q, uint32_t *slot)
{
    *slot = cal_peek_slot(q);
    return *slot == EV_NONE ? NULL : &q->rec[*slot];
}

#endif /* SIM_QUEUE_CALENDAR_H */
