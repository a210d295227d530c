/* sc_player.h -- the clock behind the window: it plays a film, live (a
 * world simulated as the clock asks, recorded into the film as it goes)
 * or recorded (a replay), at a speed, paused, stepping, seeking anywhere,
 * backwards too (a live run's past comes from its film). A live run may
 * simulate on its own thread, so that the frame never waits for the
 * simulation and the simulation never waits for the frame; the headless
 * frames and the tests run it on the caller's thread instead, so the same
 * seed gives the same frames. */
#ifndef SC_PLAYER_H
#define SC_PLAYER_H
#include <stddef.h>

#include "mdl_film.h"
#include "mdl_world.h"
#include "sc_scene.h"

typedef struct sc_player sc_player;

/* A live run of the config's stage `stage` with the options, the
 * reactions in `takes` handed to the trainee (mdl_world_set_operator),
 * `threaded`: simulated on its own thread. The player owns the world; its
 * film (created here) records it. 0, or an error with a message in err. */
int sc_player_live(const mdl_config *cfg, size_t stage, const mdl_run_options *opt, unsigned takes, int threaded,
                   sc_player **out, char *err, size_t err_size);

/* Runs fn(world, context) on the simulating thread between two slices and
 * waits for it (the world is never touched by two threads): the operator's
 * comparison reads the live run's incidents so. A replay: fn(NULL, ...). */
void sc_player_with_world(sc_player *p, void (*fn)(mdl_world *w, void *context), void *context);
/* A replay of a film (the player takes it). */
int sc_player_replay(mdl_film *film, sc_player **out);
void sc_player_destroy(sc_player *p);

/* Lets `real_seconds` of wall time pass: the clock moves by them times
 * the speed unless paused, no further than what is simulated; a live run
 * is asked to simulate a little ahead. */
void sc_player_tick(sc_player *p, double real_seconds);
/* Moves the clock to t (clamped to the run); past what is simulated, the
 * live run catches up. */
void sc_player_seek(sc_player *p, sim_time t);
/* The next (dir > 0) or previous event of the log from the clock, or a
 * fault; seeks there. 0 when there is none. */
int sc_player_jump(sc_player *p, int dir);
/* Steps one frame of the film forward (an event, or a slice of time). */
void sc_player_step_frame(sc_player *p);
/* Blocks until the live run has simulated up to the clock (tests, frames). */
void sc_player_settle(sc_player *p);

sim_time sc_player_time(const sc_player *p);
sim_time sc_player_edge(sc_player *p);
sim_time sc_player_end(const sc_player *p);
int sc_player_finished(sc_player *p);   /* the live run reached its end (a replay: always) */
sc_ui *sc_player_ui(sc_player *p);
mdl_film *sc_player_film(sc_player *p);
/* The live run's world (NULL for a replay); only while the player is
 * paused on the caller's thread or not threaded. */
mdl_world *sc_player_world(sc_player *p);

/* Draws the frame at the clock into cr (W x H); fills L (may be NULL). */
void sc_player_draw(sc_player *p, cairo_t *cr, double W, double H, sc_layout *L);

/* The operator's seat (live only): asks the run to act now, at the clock's
 * moment in the simulation (the act is queued to the simulating thread).
 * The answer lands in the ui's status. `what` is the act's kind
 * (mdl_action_kinds), `target` its target. */
void sc_player_act(sc_player *p, int what, const char *target);

/* The live run's error (negative status) when it failed, else 0. */
int sc_player_failed(sc_player *p);
/* Stops the simulating thread (the run stays where it is; what waits is
 * recorded and the acts asked are done), so the caller's thread may use
 * the world alone from then on. */
void sc_player_stop(sc_player *p);
/* The window's words in the status line, and its speed and pause, under
 * the player's lock (the simulating thread reads them). */
void sc_player_say(sc_player *p, const char *text);
void sc_player_set_speed(sc_player *p, double speed, int paused);
/* The name of a thing of the map at the clock (a unit, a cell's unit, a
 * datacenter with its city in *city, a group "db/LO-HI"): 0, or -1. */
int sc_player_name_of(sc_player *p, int kind, int index, char *buf, size_t size, int *city);

/* Wall seconds per simulated second the live run has reached lately
 * (0: not measured yet), for "reaching N x". */
double sc_player_reached(sc_player *p);

#endif /* SC_PLAYER_H */
