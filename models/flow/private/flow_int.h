/* flow_int.h -- the request flow's own state and its files' shared
 * functions (private to flow/): req.c (client, entry, server), route.c
 * and route_dns.c (where requests go), db_call.c (database calls), prot.c
 * (protections), traffic.c (arrivals). */
#ifndef FLOW_INT_H
#define FLOW_INT_H
#include "flow.h"
#include "measure.h"
#include "net.h"
#include "session_returns.h"
#include "sim_rng.h"

typedef struct w_req w_req;

enum req_state { RQ_NEW, RQ_ENTRY, RQ_QUEUED, RQ_SERVING, RQ_CALLING, RQ_DB_QUEUED, RQ_DB_EXEC, RQ_DONE };

/* One attempt of a user's request. Owned by its client until the client
 * has its answer or gave up, and by its work until the work ends; freed
 * when both are done.
 *
 * 128 bytes, two cache lines, the records aligned to them (req_alloc): a
 * record is touched at moments far apart (its start, its timeout three
 * seconds on, its turn in a queue), each a cache miss per line, so what
 * the client needs (the timeout and what a retry copies) shares the first
 * line with the timer the timeout lane reads; the work's state is the
 * second. */
struct w_req {
    /* The first line: the queue link, the client and the attempt. */
    w_req *next;                /* queue link, or the free list */
    uint64_t uid;
    sim_time born;              /* the user's first attempt */
    sim_time deadline;          /* the client gives up then (the attempt
                                 * started one timeout before) */
    sim_time arrived;           /* at the server (for waiting times) */
    sim_timer timeout;          /* the record outlives it: requests come from a free list */
    uint16_t type;
    uint8_t shard;
    uint8_t unit;
    uint8_t attempt;            /* 0 for the first */
    uint8_t call;               /* the call in progress */
    uint8_t entry_dc, cell_dc;
    uint8_t client_done, work_done, held_session, admitted, conflict;
    uint8_t lost;               /* no answer will come: a fault lost its work */
    uint8_t endpoint;           /* gateway: which of the user's addresses it is trying */
    uint8_t first_last;         /* gateway: the user's app tries its first address last */
    /* The second line: the work. */
    sim_time lag;               /* how far its work runs ahead of real time: the
                                 * hops inside the building its calls skipped */
    sim_time call_lag;          /* those skipped while it holds its connection */
    sim_time carry_lag;         /* call_lag handed to its next call (db_call.c) */
    w_server *server;
    w_group *group;             /* the call in progress */
    uint32_t server_epoch;
    uint32_t node_epoch;
    int32_t node;               /* which copy serves the call */
    int32_t late_failure;       /* req_call_done's argument, run at real time */
    uint32_t cell;              /* index of the serving cell */
    uint8_t state;
};
_Static_assert(sizeof(w_req) == 128, "a request is two cache lines");

/* A queue of requests (a server's or a primary's waiting line), first in
 * first out through their `next` links. */
static inline void reqq_push(w_req **head, w_req **tail, w_req *r)
{
    r->next = NULL;
    if (*tail)
        (*tail)->next = r;
    else
        *head = r;
    *tail = r;
}

static inline w_req *reqq_pop(w_req **head, w_req **tail)
{
    w_req *r = *head;
    *head = r->next;
    if (!*head)
        *tail = NULL;
    /* The next in line is read when a worker frees again, its record cold
     * by then (pure's queued requests were an eighth of its time, on this
     * one load): ask for it now. */
    __builtin_prefetch(*head);
    return r;
}


typedef struct flow_prot flow_prot;
typedef struct flow_dns flow_dns;
typedef struct flow_gateway flow_gateway;

struct w_flow {
    /* Request records, from a free list. */
    w_req *free_reqs;
    void **req_blocks;          /* each a 2 MiB page of records (req.c) */
    size_t n_req_blocks, cap_req_blocks;
    uint64_t in_flight;
    /* Arrivals, named independently of the stage: every stage of a
     * scenario sees the same users and the same arrivals. */
    sim_choice type_choice;
    sim_rng arrivals_rng, users_rng, types_rng, retry_rng;
    /* The next arrival, the one pending at a time: on a lane of its own
     * (traffic.c). */
    sim_timer_lane *arrival_lane;
    sim_timer arrival;
    sim_timer_lane *timeout_lane; /* the client's timeout */
    sim_time client_latency;
    /* A user's request is created when it reaches its entry, this long
     * after the user sent it (the way there: client latency and the
     * shortest hop inside a building), so the trip costs no event. */
    sim_time client_shift;
    session_returns *returns;   /* per group (by gid) */
    flow_prot *prot;
    flow_dns *dns;
    flow_gateway *gateway;
};

/* A request's measure, counted for its unit, type and birth. */
static inline void req_count(w_world *w, const w_req *r, int measure)
{
    metrics_req(w, r->unit, r->type, r->born, measure);
}

/* ==== req.c ==== */

/* A failure: its immediate reason (a measure, M_...) and its cause
 * (FAIL_..., what it says about the stage), packed in one int so that the
 * request's paths pass one value. */
#define FAILURE(reason, cause) ((reason) | ((cause) << 8))
#define FAILURE_REASON(f) ((f) & 0xff)
#define FAILURE_CAUSE(f) ((f) >> 8)

enum { CALL_OK = 0, CALL_LOST = -1 }; /* else a FAILURE(...) */

w_req *req_alloc(w_world *w);
void req_release(w_world *w, w_req *r);
void req_free_all(w_world *w);
void req_start_attempt(w_world *w, w_req *r);
/* The lane of the client's timeouts (timer r->timeout runs on_timeout). */
sim_timer_lane *req_timeout_lane_create(w_world *w);
void req_next_call(w_world *w, w_req *r);
/* The call in progress ended: CALL_OK, CALL_LOST or a FAILURE(...). */
void req_call_done(w_world *w, w_req *r, int failure);
void req_work_lost(w_world *w, w_req *r);

/* ==== route.c, route_dns.c, route_gateway.c ==== */

int route_entry_dc(w_world *w, const w_req *r);
w_cell *route_cell(w_world *w, const w_req *r);
w_server *route_server(w_world *w, w_cell *cell);
int dns_init(w_world *w);
void dns_fini(w_world *w);
/* The entry point a user whose cache was filled at its last refresh was told. */
int dns_entry(w_world *w, const w_req *r);
int gateway_init(w_world *w);
void gateway_fini(w_world *w);
/* The attempt starts at the user's first address, in the order its app
 * knows at the start. */
void gateway_begin(const w_world *w, w_req *r);
/* The datacenter of the k-th address the attempt tries (from 0), or -1
 * past the last. */
int gateway_endpoint(const w_world *w, const w_req *r, int k);
/* The k-th address answered, or gave none: the app remembers its first
 * address failing (and tries it last) until it answers again. */
void gateway_learn(w_world *w, const w_req *r, int k, int answered);

/* ==== db_call.c ==== */

/* The request's current call: to the primary (or the nearest copy for
 * reads where the database allows it). */
void db_call(w_world *w, w_req *r);
/* A call waiting at a copy that died: the server waits for the attempt's
 * deadline. */
void db_call_abandoned(w_world *w, w_req *r);

/* ==== prot.c ==== */

int prot_init(w_world *w);
void prot_fini(w_world *w);
/* At the entry: 0 to admit, else the FAILURE(...): shed by degradation
 * or refused by admission control (by design), or rate limited (overload). */
int prot_admit(w_world *w, const w_req *r);
/* Requests admitted and not yet done (admission control counts them). */
void prot_in_flight(w_world *w, int delta);
/* A client is about to retry: does the budget allow it? */
int prot_retry_allowed(w_world *w);
void prot_note_attempt(w_world *w, int is_retry);
/* Circuit breaker of a cell's calls to a shard group. */
int prot_breaker_allows(w_world *w, const w_cell *cell, const w_group *g);
/* A call's outcome: CALL_OK, or the FAILURE(...) it met (an open breaker
 * fails its calls with the cause that opened it). */
void prot_breaker_record(w_world *w, const w_cell *cell, const w_group *g, int failure);
/* The failure an open breaker gives its calls. */
int prot_breaker_failure(w_world *w, const w_cell *cell, const w_group *g);
/* A bad release on the serving server fails this request. */
int prot_injected_error(w_world *w, const w_req *r);

/* ==== traffic.c ==== */

int traffic_init(w_world *w);

#endif /* FLOW_INT_H */
