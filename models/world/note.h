/* note.h -- the notification table: a change of the world's state is told
 * once, as a note, and heard by every listener subscribed to its kind, in
 * the order they subscribed. Rooms never call each other to say something
 * changed: a datacenter going dark publishes notes, and recovery, the
 * measures, the window and the trace recorder hear them. Every
 * subscription is made in one place, where the world is assembled
 * (models/run/world_assemble.c), so one list says who listens to what.
 *
 * Notes are rare (state changes, once an interval), never per request. */
#ifndef NOTE_H
#define NOTE_H
#include <stdint.h>

#include "mdl_results.h"
#include "sim_time.h"

/* X(ID, "name", what it tells (the fields it sets)). */
#define W_NOTE_KINDS(X)                                                                        \
    X(NOTE_SERVER_DOWN, "server-down", "a server went down (cell, server)")                  \
    X(NOTE_SERVER_UP, "server-up", "a server is up again (cell, server)")                    \
    X(NOTE_CELL_CHANGED, "cell-changed", "a cell's servers or reachability changed (cell)")  \
    X(NOTE_DBNODE_LOST, "dbnode-lost", "a database copy went down (group, node)")            \
    X(NOTE_DBNODE_BACK, "dbnode-back", "a database copy is up again (group, node)")          \
    X(NOTE_DBNODE_REACH, "dbnode-reach", "a live copy's reachability may have changed (group, node)") \
    X(NOTE_ENTRY_CHANGED, "entry-changed", "a datacenter's entry point may have changed (dc)") \
    X(NOTE_REGISTRY_CHANGED, "registry-changed", "the registry stopped or answers again")    \
    X(NOTE_LINKS_CHANGED, "links-changed", "a link's state changed: any path may have moved") \
    X(NOTE_POWER_ALARM, "power-alarm", "a datacenter's power alarm is raised or cleared (dc)") \
    X(NOTE_UNIT_HOME, "unit-home", "a unit's traffic moved to another cell (unit)")          \
    X(NOTE_FAULT, "fault", "a fault starts (fault: its kind, label: its target; from, to: its start and planned end)") \
    X(NOTE_WRITES_LOST, "writes-lost", "a promotion lost writes or a failover parked them (group, count, age, parked)") \
    X(NOTE_TICK, "tick", "an interval of the measures ended (from, to; offered, succeeded, failed, shed, overloaded)") \
    X(NOTE_EVENT, "event", "a row of events.csv was recorded (event)")
#define W_NOTE_ID(id, ...) id,
enum { W_NOTE_KINDS(W_NOTE_ID) NOTE_KIND_COUNT };

/* A note: the kind and the fields its kind sets (-1 / 0 otherwise).
 * Places and components by index, so a note means the same to a listener
 * inside the models and to the window outside them. */
typedef struct w_note {
    int kind;
    int dc, cell, server, unit, group, node; /* group: gid, among every group of the world */
    sim_time from, to;
    uint64_t count;
    sim_time age;
    int parked;
    uint64_t offered, succeeded, failed, shed, overloaded; /* overloaded: failures whose cause is overload */
    int fault;                  /* FAULT_... */
    const char *label;          /* what it concerned, as this stage resolved it */
    const mdl_event_row *event;
} w_note;

struct w_world;
typedef void w_listener(struct w_world *w, const w_note *n, void *context);

#define W_MAX_LISTENERS 16 /* per kind */

typedef struct w_notes {
    struct {
        w_listener *fn;
        void *context;
    } to[NOTE_KIND_COUNT][W_MAX_LISTENERS];
    int n[NOTE_KIND_COUNT];
} w_notes;

/* A note of `kind` with every field "not meant". */
w_note note_of(int kind);
/* fn(w, note, context) for every note of `kind`, after those subscribed
 * before. 0, or SIM_ELIMIT past W_MAX_LISTENERS. */
int note_subscribe(struct w_world *w, int kind, w_listener *fn, void *context);
/* Tells every listener of the note's kind, in order. */
void note_publish(struct w_world *w, const w_note *n);

/* Shorthands: a note about nothing in particular, a datacenter, a cell,
 * one server of a cell, one copy of a group (gid), a unit. */
void note_tell(struct w_world *w, int kind);
void note_tell_dc(struct w_world *w, int kind, int dc);
void note_tell_cell(struct w_world *w, int kind, int cell);
void note_tell_server(struct w_world *w, int kind, int cell, int server);
void note_tell_dbnode(struct w_world *w, int kind, int gid, int node);
void note_tell_unit(struct w_world *w, int kind, int unit);

#endif /* NOTE_H */
