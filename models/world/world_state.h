/* world_state.h -- how power, crashes, isolation, partitions, entry
 * points and the registry change. Power faults and crashes are counted
 * (a datacenter dark for two reasons lights when both are gone; a server
 * crashed by two faults is up when both end); isolation and partitions
 * are set and cleared. Each change is applied and told on the notification
 * table (note.h); faults call these, and recovery hears what follows.
 * Queries on the same state are here too. */
#ifndef WORLD_STATE_H
#define WORLD_STATE_H
#include "world.h"

/* Something a route, a reach, a copy's life or a group's primary depends
 * on changed: what was worked out from them (db_call.c's caches) is
 * stale. net_refresh(), dbnode_refresh() and promotions call it. */
static inline void world_topology_changed(w_world *w) { w->topology++; }

/* ==== Places (dc.c) ==== */

/* A datacenter goes dark (everything inside stops at once: servers,
 * balancers, database copies, the registry replica) or its last reason to
 * be dark ends (servers come back after their boot time, copies after
 * crash recovery). `why` is for the story. */
void dc_dark(w_world *w, int dc, const char *why);
void dc_light(w_world *w, int dc);
/* A datacenter on batteries with no generator coming raises its power
 * alarm (its batteries run out at `runs_out`), or clears it when utility
 * power is back: told as NOTE_POWER_ALARM. */
void dc_power_alarm(w_world *w, int dc, int on, sim_time runs_out);
/* A datacenter cut off from every other place (mode: DROP_SILENTLY or
 * REJECT_FAST), or joined again. */
void dc_isolate(w_world *w, int dc, int mode, int on);

/* ==== Links (link.c) ==== */

/* After a link's paths, cuts, latency, loss or bandwidth changed: every
 * link's active path and detour follow (a cut link's traffic may start or
 * stop detouring, told as a reroute event). */
void link_update(w_world *w);
/* Tells the links' change (NOTE_LINKS_CHANGED), once the faults that
 * changed them are applied. */
void link_changed(w_world *w);

/* ==== Components (server.c, cell.c, dbnode.c, entry.c, registry.c) ==== */

/* A server's own crash begins (on) or ends: it is up when powered, booted
 * and not crashed. */
void server_crash(w_world *w, w_server *sv, int on);
/* Re-evaluates a server after its power or boot changed. */
void server_refresh(w_world *w, w_server *sv);
/* Does a cell have a server able to serve, heard by the registry (when the
 * stage has one)? */
int cell_alive(const w_world *w, const w_cell *c);

/* A database copy's own crash begins or ends. */
void dbnode_crash(w_world *w, w_group *g, int node, int on);
/* Re-evaluates a copy after its power, recovery or reachability changed. */
void dbnode_refresh(w_world *w, w_group *g, int node);
/* A shard group's name for the story: "core 00-09", or "global". */
const char *group_name(const w_group *g, char *buf, size_t n);

/* A fault on a datacenter's entry point (its balancer) begins (up = 0) or ends. */
void entry_set(w_world *w, int dc, int up);
/* Does the entry point answer users: powered, its balancer up, not cut off? */
int entry_answers(const w_world *w, int dc);

/* The registry answers where a majority of its replicas stands; re-evaluated
 * after anything that may move the majority. */
void registry_refresh(w_world *w);
/* Does datacenter dc reach a majority of the registry's replicas? */
int registry_hears(const w_world *w, int dc);

#endif /* WORLD_STATE_H */
