/* sim_rng.c -- deriving independent streams from (seed, name, index). */
#include "sim_rng.h"

#include <string.h>

#include "sim_hash.h"

/* SplitMix64 (Steele, Lea, Flood 2014): the seeding generator the
 * xoshiro authors recommend; it turns any 64-bit key into well-mixed state. */
static uint64_t splitmix64(uint64_t *x)
{
    return sim_hash_mix(*x += SIM_HASH_GOLDEN);
}

uint64_t sim_rng_hash(const char *name)
{
    uint64_t h = sim_hash_str(name);
    return splitmix64(&h);
}

void sim_rng_init_indexed(sim_rng *r, uint64_t seed, const char *name, uint64_t index)
{
    /* Each part of the key passes through its own mixing round, so that
     * (seed, name, index) and (seed', name', index') collide only by chance. */
    uint64_t x = seed;
    uint64_t key = splitmix64(&x) ^ sim_rng_hash(name);
    x = key;
    key = splitmix64(&x) ^ (index * 0xd1b54a32d192ed03ULL);
    x = key;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)
        r->s[0] = 1; /* the one state xoshiro cannot leave */
}

void sim_rng_init(sim_rng *r, uint64_t seed, const char *name)
{
    sim_rng_init_indexed(r, seed, name, 0);
}
