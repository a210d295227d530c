/* flt_human.c -- human faults: a bad release (failing a share of requests,
 * or slower) reaching the green group, or, where a stage has no green
 * group, every server of the cells it targets; and a wrong switch, sending
 * a unit's traffic to another unit's cell. */
#include "flt_int.h"

void flt_bad_release(w_fault *f, int on)
{
    w_world *w = f->w;
    const w_target *t = &f->target;
    int green = 0;
    for (int c = 0; c < w->n_cells; c++)
        for (int s = 0; s < w->cells[c]->n_servers; s++)
            green |= w->cells[c]->servers[s].green;
    for (int c = 0; c < w->n_cells; c++) {
        w_cell *cell = w->cells[c];
        int hit = t->n_cells == 0;
        for (int i = 0; i < t->n_cells; i++)
            hit |= t->cells[i] == cell;
        for (int s = 0; hit && s < cell->n_servers; s++)
            if (cell->servers[s].green || !green) {
                cell->servers[s].error_rate = on ? f->def->error_rate / 100 : 0;
                cell->servers[s].slowdown = on ? f->def->slowdown : 1;
            }
    }
}

void flt_wrong_switch(w_fault *f, int on)
{
    w_world *w = f->w;
    w_unit *to = NULL;
    for (int u = 0; u < w->n_units; u++)
        if (f->def->to_unit && !strcmp(w->units[u].def->name, f->def->to_unit))
            to = &w->units[u];
    if (f->target.unit && to)
        f->target.unit->wrong = on ? to->home : NULL;
}
