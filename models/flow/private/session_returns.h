/* session_returns.h -- the database connections of one group whose call ran
 * ahead of real time, each given back at its own time (db_call.c).
 *
 * A connection comes back at now + the hops (and commit waits) its call
 * skipped, and those take a few values only: a read's two hops, a write's
 * hops and its quorum's round trip, a write and a read together. Returns
 * with the same lag arrive in time order, so each such lag keeps a FIFO
 * ring, and taking the due ones reads a few ring heads. Other lags (a
 * round trip that changed with the network) go to a binary heap. A single
 * heap for all cost bench e2e a twentieth of its time in sifting. */
#ifndef SESSION_RETURNS_H
#define SESSION_RETURNS_H
#include <stddef.h>
#include <stdint.h>

#include "sim_engine.h"

enum { RETURN_LANES = 4 };

typedef struct return_lane {
    sim_time lag;               /* the lag of every time in it; its key */
    sim_time *at;               /* a ring of cap times, a power of two */
    uint32_t head, n, cap;
} return_lane;

typedef struct session_returns {
    return_lane lane[RETURN_LANES];
    sim_time *heap;             /* the rest: heap[0] the earliest */
    size_t heap_n, heap_cap;
    sim_time first;             /* none is due before this; 0 (zeroed) looks at all */
} session_returns;

/* Adds a return at now + lag; 0, or -1 when out of memory. */
int session_returns_add(session_returns *q, sim_time now, sim_time lag);
/* Takes every return due at or before now; returns how many. */
unsigned session_returns_take_due(session_returns *q, sim_time now);
void session_returns_free(session_returns *q);

#endif /* SESSION_RETURNS_H */
