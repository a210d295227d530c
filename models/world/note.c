/* note.c -- the notification table. */
#include "note.h"

#include "sim_status.h"
#include "world.h"

w_note note_of(int kind)
{
    return (w_note){.kind = kind, .dc = -1, .cell = -1, .server = -1, .unit = -1, .group = -1, .node = -1, .fault = -1};
}

int note_subscribe(w_world *w, int kind, w_listener *fn, void *context)
{
    w_notes *t = &w->notes;
    if (t->n[kind] == W_MAX_LISTENERS)
        return SIM_ELIMIT;
    t->to[kind][t->n[kind]].fn = fn;
    t->to[kind][t->n[kind]++].context = context;
    return SIM_OK;
}

void note_publish(w_world *w, const w_note *n)
{
    w->generation++;
    const w_notes *t = &w->notes;
    for (int i = 0; i < t->n[n->kind]; i++)
        t->to[n->kind][i].fn(w, n, t->to[n->kind][i].context);
}

/* The shorthands: a note of `kind` with one or two fields set. */
#define TELL(n, set) \
    do {             \
        w_note n = note_of(kind); \
        set;                      \
        note_publish(w, &n);      \
    } while (0)

void note_tell(w_world *w, int kind) { TELL(n, (void)0); }
void note_tell_dc(w_world *w, int kind, int dc) { TELL(n, n.dc = dc); }
void note_tell_cell(w_world *w, int kind, int cell) { TELL(n, n.cell = cell); }
void note_tell_server(w_world *w, int kind, int cell, int server) { TELL(n, (n.cell = cell, n.server = server)); }
void note_tell_dbnode(w_world *w, int kind, int gid, int node) { TELL(n, (n.group = gid, n.node = node)); }
void note_tell_unit(w_world *w, int kind, int unit) { TELL(n, n.unit = unit); }
