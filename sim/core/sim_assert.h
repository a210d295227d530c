/* sim_assert.h -- assertions for bugs (broken invariants, API misuse), never
 * for bad input. They stay on in release builds: a simulator that silently
 * continues past a broken invariant produces wrong numbers, which is worse
 * than stopping. O(n) checks go under SIM_DEBUG. */
#ifndef SIM_ASSERT_H
#define SIM_ASSERT_H

/* Prints the expression and where it failed, then aborts. */
_Noreturn void sim__assert_fail(const char *expr, const char *file, const char *func, int line);

#define SIM_ASSERT(x) \
    ((x) ? (void)0 : sim__assert_fail(#x, __FILE__, __func__, __LINE__))

#ifdef SIM_DEBUG
#define SIM_DEBUG_ASSERT(x) SIM_ASSERT(x)
#else
#define SIM_DEBUG_ASSERT(x) ((void)0)
#endif

#endif /* SIM_ASSERT_H */
