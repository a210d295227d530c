/* world_event.h -- the rows of events.csv: every fault, detection, switch,
 * promotion, rollback, repair and protection that acted, with its time,
 * its target as this stage resolved it, and a sentence the story of the
 * run is told from. Recording a row publishes NOTE_EVENT. Kept in memory
 * (a run has few). */
#ifndef WORLD_EVENT_H
#define WORLD_EVENT_H
#include "world.h"

/* Records a row of kind EV_... (mdl_kinds.h) at the current time. */
void world_event(w_world *w, int kind, const char *target, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

size_t world_events_count(const w_world *w);
const mdl_event_row *world_events_row(const w_world *w, size_t i);
void world_events_free(w_world *w);

#endif /* WORLD_EVENT_H */
