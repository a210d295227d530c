/* flow.c -- the request flow's own state: built on a world (the clients'
 * timeouts, the traffic's streams, the protections, the DNS
 * answers, the gateways' addresses), and freed. */
#include "flow_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

int flow_init(w_world *w)
{
    struct w_flow *fl = sim_calloc(1, sizeof *fl);
    if (!fl)
        return SIM_ENOMEM;
    w->flow = fl;
    int rc = traffic_init(w);
    if (rc)
        return rc;
    fl->client_latency = w->st->entry.client_latency;
    fl->timeout_lane = req_timeout_lane_create(w);
    if (!fl->timeout_lane)
        return SIM_ENOMEM;
    if ((rc = prot_init(w)) || (rc = dns_init(w)))
        return rc;
    if (w->st->entry.kind == ENTRY_GATEWAY && (rc = gateway_init(w)))
        return rc;
    route_refresh(w);
    return SIM_OK;
}

void flow_fini(w_world *w)
{
    if (!w->flow)
        return;
    dns_fini(w);
    gateway_fini(w);
    prot_fini(w);
    sim_choice_fini(&w->flow->type_choice);
    req_free_all(w);
    sim_free(w->flow);
    w->flow = NULL;
}
