/* sim_alloc.c -- malloc with a fault-injection hook for tests, and large
 * blocks on huge pages. */
#define _GNU_SOURCE /* madvise's MADV_HUGEPAGE, malloc_usable_size */
#include "sim_alloc.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

/* Why huge pages: a world at 1:1 holds hundreds of megabytes of records
 * (requests, timers, users' bits) that it reads at random, and on 4 KiB
 * pages nearly each such read also missed the TLB (a page walk, nested
 * under a hypervisor). Debian's kernels give 2 MiB pages only where asked
 * (THP "madvise"), so large blocks are aligned to them and ask; where the
 * system refuses, the pages stay small. Measured on bench e2e --stage
 * pure --window 60, two runs at once: these blocks alone 5-8% faster;
 * glibc's switch for every allocation (GLIBC_TUNABLES=
 * glibc.malloc.hugetlb=1) 7-14% on the build before them. */
#define HUGE_PAGE ((size_t)2 << 20)

static void *huge_block(size_t size)
{
    if (size > SIZE_MAX - HUGE_PAGE)
        return NULL;
    size_t rounded = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p;
    if (posix_memalign(&p, HUGE_PAGE, rounded))
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, rounded, MADV_HUGEPAGE); /* a hint: its failure changes nothing else */
#endif
    return p;
}

void *sim_malloc_huge(size_t size)
{
    return injected_failure() ? NULL : huge_block(size ? size : 1);
}

void *sim_malloc(size_t size)
{
    if (injected_failure())
        return NULL;
    return size >= HUGE_PAGE ? huge_block(size) : malloc(size ? size : 1);
}

/* Asks for huge pages on the 2 MiB pages inside [p, p + size). */
static void advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    uintptr_t from = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    uintptr_t to = ((uintptr_t)p + size) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (to > from)
        madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)p;
    (void)size;
#endif
}

void *sim_calloc(size_t count, size_t size)
{
    if (injected_failure())
        return NULL;
    if (count && size > SIZE_MAX / count)
        return NULL; /* (AddressSanitizer's calloc aborts on it rather than return NULL) */
    void *p = calloc(count ? count : 1, size ? size : 1);
    /* Not huge_block: calloc gets a large block zeroed by the kernel as
     * its pages are first touched, where clearing it here would make all
     * of it resident (the users' bits, 62.5 MB each at 1:1, mostly
     * untouched in a short run). */
    if (p && count * size >= 2 * HUGE_PAGE)
        advise_huge(p, count * size);
    return p;
}

void *sim_realloc(void *ptr, size_t size)
{
    if (injected_failure())
        return NULL;
    if (size < HUGE_PAGE)
        return realloc(ptr, size ? size : 1);
    size_t old = ptr ? malloc_usable_size(ptr) : 0;
    if ((uintptr_t)ptr % HUGE_PAGE == 0 && old >= size)
        return ptr; /* a huge block that holds it already */
    /* Not realloc: moving a block by remapping it breaks its huge pages
     * unless the new place has the same offset in a huge page. The arrays
     * that grow this large double, so the copy is paid once per size. */
    void *grown = huge_block(size);
    if (grown && ptr) {
        memcpy(grown, ptr, old < size ? old : size);
        free(ptr);
    }
    return grown;
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
