/* world_scale.h -- a stage's capacities at a scale, in whole units that keep
 * their totals. At scale F a cell of 250 servers is 1.25 servers and a
 * database primary's 256 workers are 5.12 at 0.02: rounding alone would
 * move their capacity (by a fifth for the cell). A count that rounds is
 * made up in speed (one server with the workers and queue of 1.25, five
 * database workers 1.024 times as fast), so a small F changes the noise,
 * not the answer. Speed cannot make up a limit (a connection limit only
 * rounds), nor how a pool queues (one database worker 1.28 times as fast
 * makes every other query wait where 256 make none wait): a scale that
 * needs either is refused, with the smallest scale that keeps every
 * capacity of the stage. What is still approximate (a speed or a queue
 * moved by more than 5%) is a warning of the run. */
#ifndef WORLD_SCALE_H
#define WORLD_SCALE_H
#include <stddef.h>

#include "world.h"

/* 0 when every capacity of stage st keeps its total at `scale`; else
 * SIM_EINPUT with a sentence in why (the capacity that cannot, and the
 * smallest scale from which every one can). */
int world_scale_check(const stage *st, double scale, char *why, size_t why_size);
/* The smallest scale from which every capacity of st keeps its total. */
double world_scale_smallest(const stage *st);

/* Sizes a cell at w's scale: its servers (cell->n_servers) and its own
 * copy of its pool's settings (cell->sized, where cell->pool then points):
 * workers and queue per server, and service times divided by the speed
 * that makes up the rounding. 0, or SIM_ENOMEM. */
int world_scale_cell(w_world *w, w_cell *cell);
/* Sizes a database's groups at w's scale: each primary's workers and
 * connections, and the database's service times (db->read, db->write)
 * divided by the speed that makes up the workers' rounding. */
void world_scale_db(w_world *w, w_db *db);

/* Adds a warning to the run (past MDL_MAX_WARNINGS, dropped). */
void world_warn(w_world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* WORLD_SCALE_H */
