/* sim_queue_heap4.c -- the 4-ary heap's storage (its hot path is inline in
 * sim_queue_heap4.h). */
#include "sim_queue_heap4.h"

#include <string.h>

#include "sim_alloc.h"
#include "sim_status.h"

/* Entries live at h = aligned + 3, so the children of node i, at
 * 4i+1..4i+4, fall on aligned[4i+4..4i+7]: one 64-byte line. */
#define HEAP_OFFSET 3

static int heap4_resize(heap4 *q, size_t cap)
{
    void *raw = sim_malloc((cap + HEAP_OFFSET) * sizeof(heap_entry) + 64);
    if (!raw)
        return SIM_ENOMEM;
    uintptr_t aligned = ((uintptr_t)raw + 63) & ~(uintptr_t)63;
    heap_entry *h = (heap_entry *)aligned + HEAP_OFFSET;
    if (q->n)
        memcpy(h, q->h, q->n * sizeof *h);
    sim_free(q->raw);
    q->raw = raw;
    q->h = h;
    q->cap = cap;
    return SIM_OK;
}

int sim__heap4_init(heap4 *q)
{
    memset(q, 0, sizeof *q);
    return heap4_resize(q, 1024);
}

void sim__heap4_fini(heap4 *q)
{
    sim_free(q->raw);
    sim_free(q->pos);
    sim_free(q->rec);
    memset(q, 0, sizeof *q);
}

int sim__heap4_reserve(heap4 *q)
{
    if (q->n < q->cap)
        return SIM_OK;
    return heap4_resize(q, q->cap * 2);
}

int sim__heap4_reserve_slots(heap4 *q, size_t slots)
{
    uint32_t *pos = sim_realloc(q->pos, slots * sizeof *pos);
    if (!pos)
        return SIM_ENOMEM;
    q->pos = pos;
    sim__event *rec = sim_realloc(q->rec, slots * sizeof *rec);
    if (!rec)
        return SIM_ENOMEM;
    q->rec = rec;
    return SIM_OK;
}
