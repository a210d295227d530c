/* server.c -- an application server's state: up when its building has
 * power, it has booted since, and no crash of its own holds it down. Going
 * down bumps its epoch (work in flight on it is lost) and is told, as is
 * coming back; what follows (its queue lost, detection, rotation) is for
 * the listeners. */
#include "note.h"
#include "world_state.h"

void server_refresh(w_world *w, w_server *sv)
{
    int want = sv->cell->dc->powered && sv->crashed == 0 && sv->booted;
    if (want == sv->up)
        return;
    int index = (int)(sv - sv->cell->servers);
    if (!want) {
        sv->up = 0;
        sv->epoch++;
        sv->down_since = sim_now(w->e);
        note_tell_server(w, NOTE_SERVER_DOWN, sv->cell->index, index);
    } else {
        sv->up = 1;
        note_tell_server(w, NOTE_SERVER_UP, sv->cell->index, index);
    }
}

void server_crash(w_world *w, w_server *sv, int on)
{
    sv->crashed += on ? 1 : -1;
    if (sv->crashed < 0)
        sv->crashed = 0;
    server_refresh(w, sv);
    note_tell_cell(w, NOTE_CELL_CHANGED, sv->cell->index);
}
