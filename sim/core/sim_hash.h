/* sim_hash.h -- the project's one hash: FNV-1a over bytes (a name into a
 * key) and the SplitMix64 finalizer (a 64-bit key into well-mixed bits).
 * Random streams, where a user lands, which racks a fault hits and the
 * fingerprint of a run's inputs all go through these two, so a key means
 * the same thing everywhere and nobody retypes the constants. */
#ifndef SIM_HASH_H
#define SIM_HASH_H
#include <stddef.h>
#include <stdint.h>

#define SIM_HASH_FNV_BASIS 0xcbf29ce484222325ULL
#define SIM_HASH_FNV_PRIME 0x100000001b3ULL
/* 2^64 / golden ratio: the step that spreads consecutive keys apart. */
#define SIM_HASH_GOLDEN 0x9e3779b97f4a7c15ULL

/* SplitMix64's output function (Steele, Lea, Flood 2014). */
static inline uint64_t sim_hash_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* FNV-1a of n bytes, continuing from h (SIM_HASH_FNV_BASIS to start). */
static inline uint64_t sim_hash_bytes(const void *p, size_t n, uint64_t h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * SIM_HASH_FNV_PRIME;
    return h;
}

/* FNV-1a of a string. */
static inline uint64_t sim_hash_str(const char *s)
{
    uint64_t h = SIM_HASH_FNV_BASIS;
    while (*s)
        h = (h ^ (unsigned char)*s++) * SIM_HASH_FNV_PRIME;
    return h;
}

/* A key and a salt into [0, 1): the same key and salt, the same number. */
static inline double sim_hash_unit(uint64_t key, uint64_t salt)
{
    return (double)(sim_hash_mix(key * SIM_HASH_GOLDEN + salt) >> 11) * 0x1.0p-53;
}

#endif /* SIM_HASH_H */
