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
    sim_time hop = SIM_TIME_NEVER; /* the shortest inside a building the stage uses */
    for (int i = 0; i < w->n_dcs; i++)
        if (w->dcs[i].used && w->dcs[i].geo->internal_latency < hop)
            hop = w->dcs[i].geo->internal_latency;
    fl->client_shift = fl->client_latency + (hop == SIM_TIME_NEVER ? 0 : hop);
    if (fl->client_shift > w->sc->traffic.client.timeout) {
        /* a timeout shorter than the way to the entry: no shift */
        fl->client_shift = 0;
    }
    fl->returns = sim_calloc((size_t)w->n_groups + 1, sizeof *fl->returns);
    if (!fl->returns)
        return SIM_ENOMEM;
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
    if (w->flow->returns)
        for (int g = 0; g < w->n_groups; g++)
            session_returns_free(&w->flow->returns[g]);
    sim_free(w->flow->returns);
    sim_free(w->flow);
    w->flow = NULL;
}
