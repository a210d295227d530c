/* recovery.h -- what the stage's control plane does when something fails,
 * as its file says: health-check or registry detection of dead servers and
 * their removal from rotation, the global balancer's checks of the entry
 * points, a shard group's promotion (by hand, by election, or through the
 * failover layer) with its lost and parked writes, the unit traffic switch,
 * blue-green rollback; and the operator's actions, scripted in the
 * scenario. It hears the world's notes and acts through the world's state,
 * the flow's routing and the engine's time. */
#ifndef RECOVERY_H
#define RECOVERY_H
#include "note.h"
#include "world.h"

/* Its own state (detection and human streams, what the entry checks know,
 * the green group's window). 0, or SIM_ENOMEM. */
int recovery_init(w_world *w);
/* Posts the operator's actions that have a time (after the faults are
 * posted, so that at equal times faults come first). 0, or SIM_ENOMEM. */
int rec_actions_start(w_world *w);
void recovery_fini(w_world *w);
/* The trainee's act (mdl_world_act, rec_operator.c): kind ACTION_...,
 * target and to as mdl_act says. 0, or SIM_EINPUT with a message in err
 * and nothing changed. */
int rec_operator_act(w_world *w, int kind, const char *target, const char *to, char *err, size_t err_size);

/* ==== Listeners (subscribed where the world is assembled) ==== */

/* Servers (rec_servers.c): detection of the dead, rotation of the living. */
void rec_on_server_down(w_world *w, const w_note *n, void *context);
void rec_on_server_up(w_world *w, const w_note *n, void *context);
void rec_on_registry_servers(w_world *w, const w_note *n, void *context);
/* Entry points (rec_entry.c): the global balancer's health checks. */
void rec_on_entry_changed(w_world *w, const w_note *n, void *context);
/* Shard groups (rec_db.c). */
void rec_on_dbnode_lost(w_world *w, const w_note *n, void *context);
void rec_on_dbnode_back(w_world *w, const w_note *n, void *context);
void rec_on_power_alarm(w_world *w, const w_note *n, void *context);
void rec_on_dbnode_reach(w_world *w, const w_note *n, void *context);
void rec_on_links_groups(w_world *w, const w_note *n, void *context);
/* Units (rec_unit.c): a cell changed, or every cell may have. */
void rec_on_cell_changed(w_world *w, const w_note *n, void *context);
void rec_on_every_cell(w_world *w, const w_note *n, void *context);
/* Blue-green (rec_release.c): the green group's interval. */
void rec_on_tick_release(w_world *w, const w_note *n, void *context);
/* Actions (rec_actions.c): an event that actions wait `on`. */
void rec_on_event_actions(w_world *w, const w_note *n, void *context);

#endif /* RECOVERY_H */
