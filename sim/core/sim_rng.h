/* sim_rng.h -- random streams. xoshiro256** (Blackman and Vigna, 2018):
 * small, fast, 2^256 period, passes BigCrush. Every component draws from its
 * own stream, named: the stream's state is derived from (run seed, name
 * [, index]) alone, so adding a component or a draw elsewhere never changes
 * another component's numbers, and two stages of one scenario that name
 * their traffic streams alike see the same users and arrivals. */
#ifndef SIM_RNG_H
#define SIM_RNG_H
#include <stdint.h>

typedef struct sim_rng {
    uint64_t s[4];
} sim_rng;

/* The stream called `name` of run `seed`. */
void sim_rng_init(sim_rng *r, uint64_t seed, const char *name);
/* The index-th stream of the family `name` (per user, per replicate, ...). */
void sim_rng_init_indexed(sim_rng *r, uint64_t seed, const char *name, uint64_t index);
/* 64-bit FNV-1a of a string, mixed: the name part of a stream key. */
uint64_t sim_rng_hash(const char *name);

static inline uint64_t sim__rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* The next 64 random bits. */
static inline uint64_t sim_rng_next(sim_rng *r)
{
    uint64_t *s = r->s;
    const uint64_t result = sim__rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = sim__rotl(s[3], 45);
    return result;
}

/* Uniform on [0, 1), 53 bits. */
static inline double sim_rng_uniform(sim_rng *r)
{
    return (double)(sim_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform on (0, 1]: safe to take the logarithm of. */
static inline double sim_rng_uniform_pos(sim_rng *r)
{
    return (double)((sim_rng_next(r) >> 11) + 1) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0, without bias (Lemire 2019). */
static inline uint64_t sim_rng_below(sim_rng *r, uint64_t n)
{
    uint64_t x = sim_rng_next(r);
    __uint128_t m = (__uint128_t)x * n;
    uint64_t low = (uint64_t)m;
    if (low < n) {
        uint64_t threshold = -n % n;
        while (low < threshold) {
            x = sim_rng_next(r);
            m = (__uint128_t)x * n;
            low = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

#endif /* SIM_RNG_H */
