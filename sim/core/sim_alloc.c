/* sim_alloc.c -- malloc with a fault-injection hook for tests. */
#include "sim_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim_status.h"

/* Per thread: compare runs worlds side by side, and a test arming the
 * hook means its own thread's allocations. */
static _Thread_local long fail_countdown; /* 0: disarmed */
static _Thread_local long alloc_count;

static int injected_failure(void)
{
    alloc_count++;
    if (fail_countdown > 0 && --fail_countdown == 0)
        return 1;
    return 0;
}

void *sim_malloc(size_t size)
{
    return injected_failure() ? NULL : malloc(size ? size : 1);
}

void *sim_calloc(size_t count, size_t size)
{
    return injected_failure() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *sim_realloc(void *ptr, size_t size)
{
    return injected_failure() ? NULL : realloc(ptr, size ? size : 1);
}

void sim_free(void *ptr) { free(ptr); }

char *sim_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = sim_malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

int sim_grow(void **array, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return SIM_OK;
    size_t new_cap = *cap ? *cap : 16;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2 / elem_size)
            return SIM_ENOMEM;
        new_cap *= 2;
    }
    void *grown = sim_realloc(*array, new_cap * elem_size);
    if (!grown)
        return SIM_ENOMEM;
    *array = grown;
    *cap = new_cap;
    return SIM_OK;
}

void sim_alloc_fail_at(long nth) { fail_countdown = nth; }
long sim_alloc_count(void) { return alloc_count; }
