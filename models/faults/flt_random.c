/* flt_random.c -- random failures of a class of component, by MTBF and
 * MTTR: one fault record per component of the class in this stage, each
 * failing after an exponential time and repaired after a drawn one, for
 * ever. Each component has its own stream, so components fail apart. */
#include <stdio.h>

#include "flt_int.h"
#include "sim_status.h"

int flt_random_add(w_world *w, const scn_random *rf, size_t index)
{
    int count = 0;
    switch (rf->component) {
    case COMPONENT_SERVER:
        for (int c = 0; c < w->n_cells; c++)
            count += w->cells[c]->n_servers;
        break;
    case COMPONENT_DATACENTER:
        for (int d = 0; d < w->n_dcs; d++)
            count += w->dcs[d].used;
        break;
    case COMPONENT_LINK: count = w->n_links / 2; break;
    case COMPONENT_DATABASE: count = w->n_groups; break;
    case COMPONENT_BALANCER: count = w->n_entry_dcs; break;
    default: count = (int)w->st->registry.datacenters.n; break;
    }
    /* Fault records move as the list grows: schedule after building all. */
    for (int k = 0; k < count; k++) {
        w_fault *f = flt_new(w);
        if (!f)
            return SIM_ENOMEM;
        f->random_class = rf->component;
        f->component = k;
        f->mtbf = rf->mtbf;
        f->mttr = rf->mttr.d;
        f->end = 0;
        char name[64];
        snprintf(name, sizeof name, "random.%zu", index);
        sim_rng_init_indexed(&f->rng, w->seed, name, (uint64_t)k);
        /* Resolve the component into a target. */
        w_target *t = &f->target;
        memset(t, 0, sizeof *t);
        t->path = -1;
        int seen = 0;
        switch (rf->component) {
        case COMPONENT_SERVER:
            f->kind = FAULT_SERVER;
            for (int c = 0; c < w->n_cells; c++) {
                if (k < seen + w->cells[c]->n_servers) {
                    /* One server: f->component is its index in the cell. */
                    t->cells[t->n_cells++] = w->cells[c];
                    f->component = k - seen;
                    snprintf(t->label, sizeof t->label, "server %d of %s@%s", k - seen,
                             w->cells[c]->unit->def->name, w->cells[c]->dc->geo->name);
                    break;
                }
                seen += w->cells[c]->n_servers;
            }
            break;
        case COMPONENT_DATACENTER:
            f->kind = FAULT_POWER;
            for (int d = 0; d < w->n_dcs; d++)
                if (w->dcs[d].used && seen++ == k) {
                    t->dcs[t->n_dcs++] = d;
                    snprintf(t->label, sizeof t->label, "%s", w->dcs[d].geo->name);
                }
            break;
        case COMPONENT_LINK:
            f->kind = FAULT_LINK_CUT;
            t->links[0] = &w->links[2 * k];
            t->links[1] = &w->links[2 * k + 1];
            snprintf(t->label, sizeof t->label, "%s~%s", w->links[2 * k].geo->between.v[0], w->links[2 * k].geo->between.v[1]);
            break;
        case COMPONENT_DATABASE:
            f->kind = FAULT_DB_PRIMARY;
            for (int d = 0; d < w->n_dbs; d++)
                for (int g = 0; g < w->dbs[d].n_groups; g++)
                    if (seen++ == k) {
                        target_add_group(t, &w->dbs[d].groups[g], -1);
                        snprintf(t->label, sizeof t->label, "%s shards %02d-%02d", w->dbs[d].def->name,
                                 w->dbs[d].groups[g].def->shards.lo, w->dbs[d].groups[g].def->shards.hi);
                    }
            break;
        case COMPONENT_BALANCER:
            f->kind = FAULT_BALANCER;
            t->dcs[t->n_dcs++] = w->entry_dcs[k];
            snprintf(t->label, sizeof t->label, "the balancer of %s", w->dcs[w->entry_dcs[k]].geo->name);
            break;
        default:
            f->kind = FAULT_REGISTRY;
            t->dcs[t->n_dcs++] = world_dc_index(w, w->st->registry.datacenters.v[k]);
            snprintf(t->label, sizeof t->label, "the registry in %s", w->st->registry.datacenters.v[k]);
            break;
        }
    }
    return SIM_OK;
}

