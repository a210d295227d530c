/* session_returns.c -- connections given back at their own times: FIFO
 * rings by lag, and a heap for the rest (session_returns.h). */
#include "session_returns.h"

#include <string.h>

#include "sim_alloc.h"

static int lane_push(return_lane *l, sim_time at)
{
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? 2 * l->cap : 64;
        sim_time *ring = sim_malloc(cap * sizeof *ring);
        if (!ring)
            return -1;
        for (uint32_t k = 0; k < l->n; k++)
            ring[k] = l->at[(l->head + k) & (l->cap - 1)];
        sim_free(l->at);
        l->at = ring;
        l->head = 0;
        l->cap = cap;
    }
    l->at[(l->head + l->n++) & (l->cap - 1)] = at;
    return 0;
}

static int heap_push(session_returns *q, sim_time at)
{
    if (sim_grow((void **)&q->heap, &q->heap_cap, q->heap_n + 1, sizeof *q->heap))
        return -1;
    size_t k = q->heap_n++;
    while (k > 0 && q->heap[(k - 1) / 2] > at) {
        q->heap[k] = q->heap[(k - 1) / 2];
        k = (k - 1) / 2;
    }
    q->heap[k] = at;
    return 0;
}

static void heap_pop(session_returns *q)
{
    sim_time x = q->heap[--q->heap_n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= q->heap_n)
            break;
        if (c + 1 < q->heap_n && q->heap[c + 1] < q->heap[c])
            c++;
        if (q->heap[c] >= x)
            break;
        q->heap[i] = q->heap[c];
        i = c;
    }
    q->heap[i] = x;
}

int session_returns_add(session_returns *q, sim_time now, sim_time lag)
{
    if (now + lag < q->first)
        q->first = now + lag;
    /* The lane of this lag, or an empty one, which takes this lag. */
    return_lane *free_lane = NULL;
    for (int i = 0; i < RETURN_LANES; i++) {
        return_lane *l = &q->lane[i];
        if (l->n > 0 && l->lag == lag)
            return lane_push(l, now + lag);
        if (l->n == 0 && !free_lane)
            free_lane = l;
    }
    if (free_lane) {
        free_lane->lag = lag;
        return lane_push(free_lane, now + lag);
    }
    return heap_push(q, now + lag);
}

unsigned session_returns_take_due(session_returns *q, sim_time now)
{
    /* Most calls find none due: they read one time, not every ring's head
     * (2.4% of bench e2e's instructions went to reading them). */
    if (now < q->first)
        return 0;
    unsigned taken = 0;
    sim_time first = SIM_TIME_NEVER;
    for (int i = 0; i < RETURN_LANES; i++) {
        return_lane *l = &q->lane[i];
        while (l->n > 0 && l->at[l->head] <= now) {
            l->head = (l->head + 1) & (l->cap - 1);
            l->n--;
            taken++;
        }
        if (l->n > 0 && l->at[l->head] < first)
            first = l->at[l->head];
    }
    while (q->heap_n > 0 && q->heap[0] <= now) {
        heap_pop(q);
        taken++;
    }
    if (q->heap_n > 0 && q->heap[0] < first)
        first = q->heap[0];
    q->first = first;
    return taken;
}

void session_returns_free(session_returns *q)
{
    for (int i = 0; i < RETURN_LANES; i++)
        sim_free(q->lane[i].at);
    sim_free(q->heap);
    memset(q, 0, sizeof *q);
}
