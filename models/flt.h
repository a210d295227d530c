/* flt.h -- faults and recovery, shared by flt_*.c and rec_*.c: what a
 * fault's target resolves to in this stage, and the primitives every
 * fault acts through (a datacenter going dark, a server or a database copy
 * going down, a link's state), each of which sets the recovery mechanisms
 * the stage's file describes in motion. Faults are ordinary engine events;
 * the engine knows nothing of them. */
#ifndef FLT_H
#define FLT_H
#include "world_int.h"

/* What a fault's target resolves to in this stage. */
typedef struct flt_target {
    int dcs[64];
    int n_dcs;
    w_cell *cells[256];
    int n_cells;
    w_group *groups[128];
    int nodes[128];             /* the copy meant in each group (-1: the primary) */
    int n_groups;
    w_unit *unit;
    w_linkdir *links[2];        /* both directions of a link */
    int path;                   /* a fiber path index, or -1 */
    char label[128];            /* for events.csv: "HZ-A (most primaries)" */
} flt_target;

/* ==== Resolution (flt_timeline.c) ==== */

/* Resolves a target for a fault of this kind; returns 0, or -1 when it
 * matches nothing in this stage (the fault then does nothing). */
int flt_resolve(w_world *w, const scn_target *t, int kind, flt_target *out);
int faults_init(w_world *w);
void faults_fini(w_world *w);
/* An event was recorded: start the actions waiting for its kind. */
void faults_on_event(w_world *w, const char *kind);

/* ==== Places (flt_place.c) ==== */

/* Counted: a datacenter is dark while any reason holds. */
void dc_dark(w_world *w, int dc, const char *why);
void dc_light(w_world *w, int dc);
void dc_isolate(w_world *w, int dc, int mode, int on);
void net_block(w_world *w, const int *side_a, int na, const int *side_b, int nb, int mode, int on);
void link_update(w_world *w, w_linkdir *ld);

/* ==== Components (flt_node.c) ==== */

/* A server loses or regains its own health (power is separate). */
void server_crash(w_world *w, w_server *sv, int on);
/* Re-evaluates a server's state after power or a crash changed. */
void server_refresh(w_world *w, w_server *sv);
void dbnode_crash(w_world *w, w_group *g, int node, int on);
void dbnode_refresh(w_world *w, w_group *g, int node);
void entry_set(w_world *w, int dc, int up);
void registry_refresh(w_world *w);
/* The registry hears datacenter dc: it reaches a majority of the replicas. */
int registry_hears(const w_world *w, int dc);

/* ==== Recovery (rec_*.c) ==== */

/* Detection: when a server's death reaches the balancer. */
sim_time rec_server_detection(w_world *w);
void rec_server_down(w_world *w, w_server *sv);
void rec_server_up(w_world *w, w_server *sv);
/* The global balancer's view: what it answers now, and what a user whose
 * cache was filled at time t was told. */
int rec_dns_entry(w_world *w, const w_req *r);
void rec_dns_init(w_world *w);
void rec_dns_fini(w_world *w);
void rec_entry_changed(w_world *w, int dc);
void rec_unit_home_changed(w_world *w, w_unit *u);
/* Databases: a copy was lost or came back. */
void rec_dbnode_lost(w_world *w, w_group *g, int node);
void rec_dbnode_back(w_world *w, w_group *g, int node);
void rec_promote_now(w_world *w, w_group *g, const char *why);
/* A quorum group checks that its leader still reaches a majority. */
void rec_group_check(w_world *w, w_group *g);
void rec_registry_changed(w_world *w);
/* Units: a cell died or came back; an operator's switch. */
void rec_cell_changed(w_world *w, w_cell *c);
void rec_switch_unit(w_world *w, w_unit *u, w_cell *to, const char *why);
/* Blue-green: the green group's results, each second. */
void rec_green_tick(w_world *w);
void rec_rollback_now(w_world *w, const char *why);
/* Does a cell have a server able to serve? */
int cell_alive(const w_world *w, const w_cell *c);

/* ==== Incidents and verdicts (incidents.c) ==== */

void incidents_record_interval(w_world *w, sim_time start, uint64_t succeeded, uint64_t failed);
void incidents_note_fault(w_world *w, sim_time start, sim_time end);
/* A promotion lost writes, or a failover parked them. */
void incidents_note_data(w_world *w, uint64_t writes, sim_time rpo, int parked);

#endif /* FLT_H */
