/* dc.c -- a datacenter's power and isolation: dark (everything inside
 * stops at once: servers, balancers, database copies, the registry
 * replica), light again (servers after their boot time, copies after
 * crash recovery), cut off from every other place or joined again. Each
 * change is told: the cells and copies inside, the registry, the entry. */
#include <stdint.h>

#include "net.h"
#include "note.h"
#include "world_event.h"
#include "world_state.h"

static void on_server_booted(sim_engine *e, void *subject, void *object);
static void on_db_recovered(sim_engine *e, void *subject, void *object);

void dc_dark(w_world *w, int dc, const char *why)
{
    w_dc *d = &w->dcs[dc];
    if (d->dark++ > 0)
        return;
    d->powered = 0;
    net_refresh(w);
    d->epoch++;
    world_event(w, EV_DARK, d->geo->name, "%s went dark (%s)", d->geo->name, why);
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        if (cell->dc != d)
            continue;
        for (int s = 0; s < cell->n_servers; s++) {
            cell->servers[s].booted = 0;
            server_refresh(w, &cell->servers[s]);
        }
        note_tell_cell(w, NOTE_CELL_CHANGED, cell->index);
    }
    for (int g = 0; g < w->n_groups; g++) {
        w_group *grp = w->groups[g];
        for (int n = 0; n < grp->n_nodes; n++)
            if (grp->nodes[n].dc == d) {
                grp->nodes[n].recovering = 1;
                dbnode_refresh(w, grp, n);
            }
    }
    registry_refresh(w);
    note_tell_dc(w, NOTE_ENTRY_CHANGED, dc);
}

void dc_light(w_world *w, int dc)
{
    w_dc *d = &w->dcs[dc];
    if (d->dark == 0 || --d->dark > 0)
        return;
    d->powered = 1;
    net_refresh(w);
    world_event(w, EV_POWER, d->geo->name, "power is back in %s", d->geo->name);
    /* Servers boot, databases recover; balancers and the registry answer. */
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        if (cell->dc == d)
            sim_event_post(w->e, sim_now(w->e) + cell->pool->def->boot, on_server_booted, cell, w);
    }
    for (int g = 0; g < w->n_groups; g++) {
        w_group *grp = w->groups[g];
        for (int n = 0; n < grp->n_nodes; n++)
            if (grp->nodes[n].dc == d)
                sim_event_post(w->e, sim_now(w->e) + grp->db->def->recovery, on_db_recovered, grp,
                               (void *)(intptr_t)(n + 1) /* node + 1 */);
    }
    registry_refresh(w);
    note_tell_dc(w, NOTE_ENTRY_CHANGED, dc);
}

static void on_server_booted(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_cell *cell = subject;
    w_world *w = object;
    if (!cell->dc->powered)
        return; /* dark again before it finished */
    for (int s = 0; s < cell->n_servers; s++) {
        cell->servers[s].booted = 1;
        server_refresh(w, &cell->servers[s]);
    }
    world_event(w, EV_BOOT, cell->dc->geo->name, "%s's servers in %s are up again", cell->unit->def->name,
                cell->dc->geo->name);
    note_tell_cell(w, NOTE_CELL_CHANGED, cell->index);
}

static void on_db_recovered(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_group *g = subject;
    int n = (int)(intptr_t)object - 1;
    if (!g->nodes[n].dc->powered)
        return;
    g->nodes[n].recovering = 0;
    dbnode_refresh(g->db->world, g, n);
}

void dc_isolate(w_world *w, int dc, int mode, int on)
{
    w_dc *d = &w->dcs[dc];
    d->isolated = on ? (mode == REJECT_FAST ? W_REFUSED : W_DROPPED) : W_OPEN;
    net_refresh(w);
    registry_refresh(w);
    note_tell_dc(w, NOTE_ENTRY_CHANGED, dc);
    for (int c = 0; c < w->n_cells; c++)
        if (w->cells[c]->dc == d)
            note_tell_cell(w, NOTE_CELL_CHANGED, w->cells[c]->index);
    for (int g = 0; g < w->n_groups; g++) {
        w_group *grp = w->groups[g];
        for (int n = 0; n < grp->n_nodes; n++)
            if (grp->nodes[n].dc == d)
                dbnode_refresh(w, grp, n);
    }
}

void dc_power_alarm(w_world *w, int dc, int on, sim_time runs_out)
{
    w_dc *d = &w->dcs[dc];
    if (d->alarm == !!on)
        return;
    d->alarm = !!on;
    d->batteries_out = on ? runs_out : 0;
    note_tell_dc(w, NOTE_POWER_ALARM, dc);
}
