/* mdl_lookup.c -- finding things by name in loaded files, and reading a
 * scenario's clock times as run times. */
#include <string.h>

#include "mdl_config.h"

#define FIND_BY_NAME(type, list, field)                                  \
    for (size_t i = 0; i < (list).n; i++) {                             \
        const type *x = (const type *)(list).items + i;                 \
        if (x->field && strcmp(x->field, name) == 0)                    \
            return x;                                                   \
    }                                                                   \
    return NULL

const geo_dc *mdl_geo_dc(const geography *g, const char *name) { FIND_BY_NAME(geo_dc, g->datacenters, name); }
const geo_city *mdl_geo_city(const geography *g, const char *name) { FIND_BY_NAME(geo_city, g->cities, name); }
const stg_pool *mdl_stage_pool(const stage *s, const char *name) { FIND_BY_NAME(stg_pool, s->pools, name); }
const stg_unit *mdl_stage_unit(const stage *s, const char *name) { FIND_BY_NAME(stg_unit, s->units, name); }
const stg_database *mdl_stage_database(const stage *s, const char *name) { FIND_BY_NAME(stg_database, s->databases, name); }
const scn_type *mdl_scenario_type(const scenario *sc, const char *name) { FIND_BY_NAME(scn_type, sc->traffic.types, name); }

unsigned mdl_training_takes(const scenario *sc)
{
    const mdl_names *t = &sc->training.takes;
    unsigned takes = 0;
    for (size_t i = 0; i < t->n; i++)
        for (int r = 0; r < REACT_COUNT; r++)
            if (strcmp(t->v[i], mdl_reactions[r]) == 0)
                takes |= 1u << r;
    return t->n ? takes : MDL_REACT_ALL;
}

int mdl_stage_uses_dc(const stage *s, const char *dc)
{
    for (size_t i = 0; i < s->datacenters.n; i++)
        if (strcmp(s->datacenters.v[i], dc) == 0)
            return 1;
    return 0;
}

const stg_database *mdl_stage_data_home(const stage *s, int data)
{
    const char *want = data == DATA_USER ? "user" : "global";
    for (size_t i = 0; i < s->databases.n; i++) {
        const stg_database *d = (const stg_database *)s->databases.items + i;
        for (size_t j = 0; j < d->holds.n; j++)
            if (strcmp(d->holds.v[j], want) == 0)
                return d;
    }
    return NULL;
}

sim_time mdl_clock_to_run(const scenario *sc, sim_time clock)
{
    /* The nearer reading of a time of day: within 12 hours either way. */
    sim_time t = clock - sc->start;
    if (t < -SIM_DAY / 2)
        t += SIM_DAY;
    else if (t >= SIM_DAY / 2)
        t -= SIM_DAY;
    return t;
}
