/* sim_arena.h -- a bump allocator for data that lives as long as one thing
 * (a loaded file, a run): many small allocations, freed all at once. Not
 * for data that is freed piecemeal. */
#ifndef SIM_ARENA_H
#define SIM_ARENA_H
#include <stddef.h>

typedef struct sim_arena_chunk sim_arena_chunk;
typedef struct sim_arena {
    sim_arena_chunk *head;
    size_t used;       /* bytes handed out, for limits and reports */
    size_t limit;      /* 0: none; else allocations beyond it fail */
} sim_arena;

/* Zero-initialise a sim_arena, or call this. limit 0 means unlimited. */
void sim_arena_init(sim_arena *a, size_t limit);
/* Frees every chunk; the arena can be used again. */
void sim_arena_fini(sim_arena *a);
/* size bytes aligned for any type, zeroed; NULL when out of memory or over
 * the limit. */
void *sim_arena_alloc(sim_arena *a, size_t size);
/* A NUL-terminated copy of s[0..len); NULL on failure. */
char *sim_arena_strndup(sim_arena *a, const char *s, size_t len);
char *sim_arena_strdup(sim_arena *a, const char *s);
/* printf into the arena. */
char *sim_arena_printf(sim_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* SIM_ARENA_H */
