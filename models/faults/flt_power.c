/* flt_power.c -- faults of power. Utility power lost at a datacenter: its
 * batteries (UPS) carry it for their ride-through, then its generator, if
 * it starts (as the fault says, or by its odds), else the building goes
 * dark; when utility power returns the building lights again. With no
 * generator coming the building raises its power alarm while on batteries.
 * A main breaker tripping darkens a building at once. One feed
 * lost where a building has several: the others carry it. A share of a
 * building's racks losing power: that share of its servers and copies. */
#include <stdint.h>
#include <stdio.h>

#include "flt_int.h"
#include "sim_hash.h"

static void on_dark(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_fault *f = subject;
    int dc = (int)(intptr_t)object - 1;
    if (f->dark[dc])
        return;
    f->dark[dc] = 1;
    dc_dark(f->w, dc, "its batteries ran out");
}

static void on_generator(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_fault *f = subject;
    int dc = (int)(intptr_t)object - 1;
    if (!f->dark[dc])
        return;
    f->dark[dc] = 0;
    world_event(f->w, EV_REPAIR, f->w->dcs[dc].geo->name, "%s's generator carries the load", f->w->dcs[dc].geo->name);
    dc_power_alarm(f->w, dc, 0, 0);
    dc_light(f->w, dc);
}

/* Utility power is lost at dc: batteries, then a generator or the dark. */
static void power_loss(w_fault *f, int dc)
{
    w_world *w = f->w;
    const geo_power *pw = &w->dcs[dc].geo->power;
    int starts;
    if (f->def && f->def->generator == GENERATOR_STARTS)
        starts = 1;
    else if (f->def && f->def->generator == GENERATOR_FAILS)
        starts = 0;
    else { /* by probability: drawn per building, the same in every stage */
        sim_rng r;
        sim_rng_init_indexed(&r, w->seed, "power.generator", sim_hash_str(w->dcs[dc].geo->name) ^ (uint64_t)f->start);
        starts = sim_rng_uniform(&r) * 100 >= pw->generator_failure;
    }
    char ups[SIM_TIME_TEXT_MAX], gen[SIM_TIME_TEXT_MAX];
    sim_time_format_duration(pw->ups, ups, sizeof ups);
    sim_time_format_duration(pw->generator_start, gen, sizeof gen);
    sim_time now = sim_now(w->e);
    if (starts && pw->generator_start <= pw->ups) {
        world_event(w, EV_FAULT, w->dcs[dc].geo->name, "%s lost utility power; its generator took over after %s",
                    w->dcs[dc].geo->name, gen);
        return;
    }
    world_event(w, EV_FAULT, w->dcs[dc].geo->name,
                starts ? "%s lost utility power; its batteries last %s, its generator needs %s"
                       : "%s lost utility power and its generator failed to start; its batteries last %s",
                w->dcs[dc].geo->name, ups, gen);
    /* No generator will come in time: the batteries' minutes are a warning
     * people can act on. */
    if (pw->ups > 0)
        dc_power_alarm(w, dc, 1, now + pw->ups);
    sim_event_post(w->e, now + pw->ups, on_dark, f, (void *)(intptr_t)(dc + 1));
    if (starts)
        sim_event_post(w->e, now + pw->generator_start, on_generator, f, (void *)(intptr_t)(dc + 1));
}

static void power_back(w_fault *f, int dc)
{
    w_world *w = f->w;
    world_event(w, EV_REPAIR, w->dcs[dc].geo->name, "utility power is back at %s", w->dcs[dc].geo->name);
    dc_power_alarm(w, dc, 0, 0);
    if (f->dark[dc]) {
        f->dark[dc] = 0;
        dc_light(w, dc);
    }
}

void flt_power(w_fault *f, int on)
{
    for (int i = 0; i < f->target.n_dcs; i++) {
        if (on)
            power_loss(f, f->target.dcs[i]);
        else
            power_back(f, f->target.dcs[i]);
    }
}

/* The main breaker trips below the batteries: nothing carries the load. */
void flt_breaker(w_fault *f, int on)
{
    w_world *w = f->w;
    for (int i = 0; i < f->target.n_dcs; i++) {
        int dc = f->target.dcs[i];
        const char *name = w->dcs[dc].geo->name;
        if (on && !f->dark[dc]) {
            world_event(w, EV_FAULT, name, "%s's main breaker tripped: dark at once, its batteries cannot carry it", name);
            f->dark[dc] = 1;
            dc_dark(w, dc, "its main breaker tripped");
        } else if (!on && f->dark[dc]) {
            world_event(w, EV_REPAIR, name, "%s's breaker is reset", name);
            f->dark[dc] = 0;
            dc_light(w, dc);
        }
    }
}

void flt_feed(w_fault *f, int on)
{
    w_world *w = f->w;
    for (int i = 0; i < f->target.n_dcs; i++) {
        const geo_dc *dc = w->dcs[f->target.dcs[i]].geo;
        if (dc->power.feeds > 1) {
            if (on)
                world_event(w, EV_FAULT, dc->name, "%s lost one of its %lld power feeds; the others carry it", dc->name,
                            (long long)dc->power.feeds);
            continue;
        }
        if (on) /* its only feed: as a loss of utility power */
            power_loss(f, f->target.dcs[i]);
        else
            power_back(f, f->target.dcs[i]);
    }
}

void flt_racks(w_fault *f, int on)
{
    w_world *w = f->w;
    const w_target *t = &f->target;
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        for (int i = 0; i < t->n_dcs; i++)
            if (cell->dc->index == t->dcs[i])
                for (int s = 0; s < flt_share_of(cell->n_servers, f->def->share); s++)
                    server_crash(w, &cell->servers[s], on);
    }
    /* Which copies stand in the racks hit: a hash of the group and copy,
     * the same in every stage. */
    for (int db = 0; db < w->n_dbs; db++)
        for (int g = 0; g < w->dbs[db].n_groups; g++) {
            w_group *grp = &w->dbs[db].groups[g];
            for (int n = 0; n < grp->n_nodes; n++)
                for (int i = 0; i < t->n_dcs; i++) {
                    uint64_t h = sim_hash_str(grp->db->def->name) ^ (uint64_t)(g * 31 + n);
                    if (grp->nodes[n].dc->index == t->dcs[i] && (double)(h % 10000) / 100 < f->def->share)
                        dbnode_crash(w, grp, n, on);
                }
        }
}
