/* prot.h -- the protections a flash-sale system lives by: admission
 * control and rate limits at the entry, degradation switches that shed
 * request types, circuit breakers on database calls, a retry budget; and
 * the errors a bad release injects. Each follows the stage's file. */
#ifndef PROT_H
#define PROT_H
#include "world_int.h"

int prot_init(w_world *w);
void prot_fini(w_world *w);

/* At the entry: 0 to admit, else the failure measure (M_SHED,
 * M_RATE_LIMITED, M_REFUSED). */
int prot_admit(w_world *w, const w_req *r);
/* Requests admitted and not yet done (admission control counts them). */
void prot_in_flight(w_world *w, int delta);
/* A client is about to retry: does the budget allow it? */
int prot_retry_allowed(w_world *w);
void prot_note_attempt(w_world *w, int is_retry);
/* Circuit breaker of a cell's calls to a shard group. */
int prot_breaker_allows(w_world *w, const w_cell *cell, const w_group *g);
void prot_breaker_record(w_world *w, const w_cell *cell, const w_group *g, int ok);
/* A bad release on the serving server fails this request. */
int prot_injected_error(w_world *w, const w_req *r);
/* Once a second: degradation switches follow the success ratio. */
void prot_tick(w_world *w, uint64_t offered, uint64_t succeeded);
/* An operator's degradation switch. */
void prot_set_shed(w_world *w, int type, int shed);
/* Is request type t shed now? */
int prot_is_shed(const w_world *w, int type);

#endif /* PROT_H */
