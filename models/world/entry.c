/* entry.c -- a datacenter's entry point (its balancer): down while any
 * fault holds it, answering users when its building is powered and not
 * cut off. */
#include "note.h"
#include "world_state.h"

void entry_set(w_world *w, int dc, int up)
{
    w_dc *d = &w->dcs[dc];
    d->entry_faults += up ? -1 : 1;
    if (d->entry_faults < 0)
        d->entry_faults = 0;
    d->entry_up = d->entry_faults == 0;
    note_tell_dc(w, NOTE_ENTRY_CHANGED, dc);
}

int entry_answers(const w_world *w, int dc)
{
    const w_dc *d = &w->dcs[dc];
    return d->powered && d->entry_up && !d->isolated;
}
