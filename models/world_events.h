/* world_events.h -- events.csv rows, kept in memory (a run has few). */
#ifndef WORLD_EVENTS_H
#define WORLD_EVENTS_H
#include "world_int.h"

struct w_events {
    w_event_row *rows;
    size_t n, cap;
};

size_t world_events_count(const w_world *w);
const w_event_row *world_events_row(const w_world *w, size_t i);
void world_events_free(w_world *w);

#endif /* WORLD_EVENTS_H */
