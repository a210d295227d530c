/* view.c -- capturing a world into its read-only view. */
#include "mdl_view.h"

#include <string.h>

#include "measure.h"
#include "sim_alloc.h"
#include "sim_status.h"
#include "world.h"
#include "world_event.h"

/* The view holds every copy a group can have. */
_Static_assert(W_MAX_COPIES <= MDL_VIEW_COPIES, "a view's group holds every copy");

/* Arrays are sized once: the world's places never change in number. */
static int sized(void **p, int *n, int want, size_t size)
{
    if (*p && *n == want)
        return SIM_OK;
    sim_free(*p);
    *p = sim_calloc((size_t)want + 1, size);
    *n = want;
    return *p ? SIM_OK : SIM_ENOMEM;
}

static int has_name(const mdl_names *names, const char *name)
{
    for (size_t i = 0; i < names->n; i++)
        if (!strcmp(names->v[i], name))
            return 1;
    return 0;
}

static void capture_places(const w_world *w, mdl_view *v)
{
    for (int c = 0; c < v->n_cities; c++) {
        const geo_city *city = MDL_ITEM(w->geo->cities, geo_city, (size_t)c);
        v->cities[c] = (mdl_view_city){city->name, city->lon, city->lat};
    }
    for (int i = 0; i < w->n_dcs; i++) {
        const w_dc *d = &w->dcs[i];
        int entry = 0;
        for (int k = 0; k < w->n_entry_dcs; k++)
            entry |= w->entry_dcs[k] == i;
        v->dcs[i] = (mdl_view_dc){
            .name = d->geo->name, .city = d->city, .used = d->used, .powered = d->powered,
            .isolated = d->isolated, .entry = entry, .entry_up = entry && d->entry_up,
            .registry = w->st->registry.head.present && has_name(&w->st->registry.datacenters, d->geo->name),
            .alarm = d->alarm, .drained = d->drained,
            .batteries_left_s = d->alarm && d->powered && d->batteries_out > sim_now(w->e)
                                    ? sim_time_to_seconds(d->batteries_out - sim_now(w->e)) : 0,
        };
    }
    for (int k = 0; k < w->n_links; k++) {
        const w_linkdir *l = &w->links[k];
        v->links[k] = (mdl_view_link){
            .from = l->from, .to = l->to, .up = l->up, .detour = l->detour, .via = l->detour ? l->via : 0,
            .latency_s = sim_time_to_seconds(l->latency), .loss = l->loss, .messages = l->messages, .bytes = l->bytes,
        };
    }
}

static void capture_services(const w_world *w, mdl_view *v)
{
    for (int u = 0; u < w->n_units; u++) {
        const w_unit *unit = &w->units[u];
        v->units[u] = (mdl_view_unit){
            .name = unit->def->name, .kind = unit->kind, .shards_lo = unit->def->shards.lo,
            .shards_hi = unit->def->shards.hi, .home = unit->home ? unit->home->index : -1,
            .switching = unit->switching,
        };
        measure_unit_last(w, u, &v->units[u].offered, &v->units[u].failed, v->units[u].by_cause);
    }
    for (int c = 0; c < w->n_cells; c++) {
        const w_cell *cell = w->cells[c];
        int up = 0;
        for (int s = 0; s < cell->n_servers; s++)
            up += cell->servers[s].up;
        v->cells[c] = (mdl_view_cell){
            .unit = cell->unit->index, .dc = cell->dc->index, .active = cell->active, .standby = cell->def->standby,
            .servers = cell->n_servers, .servers_up = up, .in_rotation = cell->n_rotation, .busy = cell->busy_now,
            .queued = cell->queued_now,
        };
    }
}

static void capture_groups(const w_world *w, mdl_view *v)
{
    for (int gi = 0; gi < w->n_groups; gi++) {
        const w_group *g = w->groups[gi];
        mdl_view_group *o = &v->groups[gi];
        *o = (mdl_view_group){
            .database = g->db->def->name, .shards_lo = g->def->shards.lo, .shards_hi = g->def->shards.hi,
            .primary = g->primary, .n_copies = g->n_nodes, .promoting = g->promoting,
            .write_forbidden = g->write_forbidden, .lsn = g->lsn,
        };
        for (int n = 0; n < g->n_nodes && n < MDL_VIEW_COPIES; n++)
            o->copies[n] = (mdl_view_copy){
                g->nodes[n].dc->index, g->nodes[n].up, g->nodes[n].is_failover, g->nodes[n].recovering,
                g->nodes[n].cut_off,
                g->nodes[n].cut_off && g->lsn > g->nodes[n].received_frozen ? g->lsn - g->nodes[n].received_frozen : 0};
    }
}

int mdl_view_capture(const mdl_world *w, mdl_view *v)
{
    int rc = sized((void **)&v->cities, &v->n_cities, (int)w->geo->cities.n, sizeof *v->cities);
    if (!rc)
        rc = sized((void **)&v->dcs, &v->n_dcs, w->n_dcs, sizeof *v->dcs);
    if (!rc)
        rc = sized((void **)&v->links, &v->n_links, w->n_links, sizeof *v->links);
    if (!rc)
        rc = sized((void **)&v->units, &v->n_units, w->n_units, sizeof *v->units);
    if (!rc)
        rc = sized((void **)&v->cells, &v->n_cells, w->n_cells, sizeof *v->cells);
    if (!rc)
        rc = sized((void **)&v->groups, &v->n_groups, w->n_groups, sizeof *v->groups);
    size_t events = world_events_count(w);
    if (!rc && sim_grow((void **)&v->events, &v->cap_events, events + 1, sizeof *v->events))
        rc = SIM_ENOMEM;
    if (rc) {
        mdl_view_free(v);
        return SIM_ENOMEM;
    }
    v->now = sim_now(w->e);
    v->generation = w->generation;
    v->scale = w->scale;
    v->registry_up = w->registry_up;
    capture_places(w, v);
    capture_services(w, v);
    capture_groups(w, v);
    v->has_last = measure_last_interval(w, &v->last);
    if (v->n_events > events) /* another world's log: start again */
        v->n_events = 0;
    for (size_t i = v->n_events; i < events; i++)
        v->events[i] = *world_events_row(w, i);
    v->n_events = events;
    return SIM_OK;
}

void mdl_view_free(mdl_view *v)
{
    sim_free(v->cities);
    sim_free(v->dcs);
    sim_free(v->links);
    sim_free(v->units);
    sim_free(v->cells);
    sim_free(v->groups);
    sim_free(v->events);
    memset(v, 0, sizeof *v);
}
