/* flow.h -- the request flow: the offered load (users and request types
 * arriving by the scenario's curve), where each request goes (its entry
 * point, by DNS answers or a VIP; its unit's cell; a server), each attempt
 * through the entry, the balancer, a server and its database calls and
 * back, the client's timeouts and retries, and the protections of the
 * entry and the calls. What the rooms above and the assembly use. */
#ifndef FLOW_H
#define FLOW_H
#include "note.h"
#include "world.h"

/* Builds the flow's own state (the timeout lane, streams, protections, the DNS
 * answers) on a built world. 0, or SIM_ENOMEM. */
int flow_init(w_world *w);
/* Posts the first arrival (after the measures' first tick is posted). */
int traffic_start(w_world *w);
void flow_fini(w_world *w);

/* Recomputes the spread weights after cells' activity or shares changed. */
void route_refresh(w_world *w);

/* The global balancer's answers (route_dns.c): entry point i (of the
 * stage's entry points) answered again or no longer; each user keeps the
 * answer cached until their TTL runs out. */
void dns_answer_entry(w_world *w, int i, int answered);
/* Is entry point i answered now? */
int dns_answers_entry(const w_world *w, int i);

/* Degradation (prot.c): an operator sheds request type t, or restores it. */
void prot_set_shed(w_world *w, int type, int shed);
/* Request type `type` is shed now (by degradation or by hand). */
int prot_is_shed(const w_world *w, int type);

/* ==== Listeners (subscribed where the world is assembled) ==== */

/* A server went down: its queue and its work are lost. */
void req_on_server_down(w_world *w, const w_note *n, void *context);
/* A primary went down: the calls waiting at it will never be answered. */
void db_on_dbnode_lost(w_world *w, const w_note *n, void *context);
/* A unit moved: the DNS answers say so from now on. */
void dns_on_unit_home(w_world *w, const w_note *n, void *context);
/* An interval ended: degradation switches follow the success ratio. */
void prot_on_tick(w_world *w, const w_note *n, void *context);

#endif /* FLOW_H */
