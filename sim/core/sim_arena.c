/* sim_arena.c -- chunks of at least 64 KiB, bumped. */
#include "sim_arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sim_alloc.h"

struct sim_arena_chunk {
    sim_arena_chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

#define CHUNK_MIN (64 * 1024)

void sim_arena_init(sim_arena *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
}

void sim_arena_fini(sim_arena *a)
{
    sim_arena_chunk *c = a->head;
    while (c) {
        sim_arena_chunk *next = c->next;
        sim_free(c);
        c = next;
    }
    a->head = NULL;
    a->used = 0;
}

void *sim_arena_alloc(sim_arena *a, size_t size)
{
    size_t need = (size + 15) & ~(size_t)15;
    if (need < size || (a->limit && a->used + need > a->limit))
        return NULL;
    sim_arena_chunk *c = a->head;
    if (!c || c->size - c->used < need) {
        size_t chunk = need > CHUNK_MIN ? need : CHUNK_MIN;
        if (chunk > SIZE_MAX - sizeof *c)
            return NULL;
        c = sim_malloc(sizeof *c + chunk);
        if (!c)
            return NULL;
        c->size = chunk;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += need;
    a->used += need;
    memset(p, 0, size);
    return p;
}

char *sim_arena_strndup(sim_arena *a, const char *s, size_t len)
{
    char *copy = sim_arena_alloc(a, len + 1);
    if (copy) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

char *sim_arena_strdup(sim_arena *a, const char *s) { return sim_arena_strndup(a, s, strlen(s)); }

char *sim_arena_printf(sim_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = sim_arena_alloc(a, (size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
