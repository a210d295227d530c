/* sim_prefetch.h -- asking for a cold line ahead of its use. */
#ifndef SIM_PREFETCH_H
#define SIM_PREFETCH_H

/* __builtin_prefetch, kept: GCC 12's dead-code pass at -O2 removed a plain
 * one whose address is loaded in a loop (the timer ring's scan had none
 * in the binary); an empty asm reading the address keeps it. */
static inline void sim_prefetch(const void *p)
{
    __asm__ volatile("" : : "r"(p));
    __builtin_prefetch(p);
}

/* The same, for a line about to be written. */
static inline void sim_prefetch_write(const void *p)
{
    __asm__ volatile("" : : "r"(p));
    __builtin_prefetch(p, 1);
}

#endif /* SIM_PREFETCH_H */
