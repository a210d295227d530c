/* req.h -- the request path's functions shared between req.c (client,
 * entry, server), route.c (where requests go) and db.c (database calls). */
#ifndef REQ_H
#define REQ_H
#include "world_int.h"

enum { CALL_OK = 0, CALL_LOST = -1 }; /* else a failure measure (M_...) */

void req_start_attempt(w_world *w, w_req *r);
/* The lane of the client's timeouts (timer r->timeout runs on_timeout). */
sim_timer_lane *req_timeout_lane_create(w_world *w);
void req_next_call(w_world *w, w_req *r);
/* The call in progress ended: CALL_OK, CALL_LOST or a failure cause. */
void req_call_done(w_world *w, w_req *r, int cause);
void req_work_lost(w_world *w, w_req *r);
void req_server_down(w_world *w, w_server *sv);

/* Where requests go (route.c). route_refresh recomputes the spread
 * weights after cells change. */
void route_refresh(w_world *w);
int route_entry_dc(w_world *w, const w_req *r);
w_cell *route_cell(w_world *w, const w_req *r);
w_server *route_server(w_world *w, w_cell *cell);

/* Database calls (db.c). db_call_abandoned: a call waiting at a copy
 * that died: the server waits for the attempt's deadline. */
void db_call(w_world *w, w_req *r);
void db_call_abandoned(w_world *w, w_req *r);

#endif /* REQ_H */
