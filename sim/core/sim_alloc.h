/* sim_alloc.h -- the one allocator every dcsim module uses.
 * A thin layer over malloc that lets tests fail the Nth allocation, so that
 * out-of-memory paths are exercised (Lua's test allocator, SQLite's fault
 * injection). All functions are thread-safe as long as the fault injection
 * is only armed from single-threaded tests. */
#ifndef SIM_ALLOC_H
#define SIM_ALLOC_H
#include <stddef.h>

/* Like malloc/calloc/realloc/free; return NULL on failure (or injected
 * failure). sim_malloc's and sim_realloc's blocks of 2 MiB or more are
 * sim_malloc_huge's; sim_calloc's of 4 MiB or more ask for huge pages
 * inside them (their pages zeroed by the kernel when first touched,
 * so untouched parts cost no memory). */
void *sim_malloc(size_t size);
void *sim_calloc(size_t count, size_t size);
void *sim_realloc(void *ptr, size_t size);
void sim_free(void *ptr);

/* A block aligned to 2 MiB and asked to be backed by 2 MiB pages (where
 * the system offers them: fewer TLB misses for records read at random);
 * its size is rounded up to 2 MiB. Freed by sim_free. */
void *sim_malloc_huge(size_t size);

/* Returns a copy of s made with sim_malloc, or NULL. */
char *sim_strdup(const char *s);

/* Grows *array (of *cap elements of elem_size bytes) to hold at least need
 * elements, doubling; returns 0, or SIM_ENOMEM leaving *array unchanged. */
int sim_grow(void **array, size_t *cap, size_t need, size_t elem_size);

/* Test hook: the nth allocation from now (1 = the next one) fails, and every
 * one after it succeeds again. 0 disarms. */
void sim_alloc_fail_at(long nth);
/* Number of allocations made since the process started (tests count them). */
long sim_alloc_count(void);

#endif /* SIM_ALLOC_H */
