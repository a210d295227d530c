/* rec_entry.c -- the global balancer's health checks of the entry points:
 * when an entry point stops answering (or answers again), the checks find
 * it `threshold` failed checks later (or at the next check), and only then
 * does the balancer change its DNS answers (flow/route_dns.c), which users
 * then see as their cached answers expire. */
#include <stdint.h>

#include "rec_int.h"

static void on_gslb_check(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = subject;
    int i = (int)(intptr_t)object - 1;
    int dc = w->entry_dcs[i];
    int up = entry_answers(w, dc);
    if (up == dns_answers_entry(w, i))
        return;
    world_event(w, up ? EV_RESTORE : EV_DETECT, w->dcs[dc].geo->name,
                up ? "the global balancer answers with %s again" : "the global balancer stops answering with %s",
                w->dcs[dc].geo->name);
    dns_answer_entry(w, i, up);
}

void rec_on_entry_changed(w_world *w, const w_note *n, void *context)
{
    (void)context;
    struct w_recovery *rc = w->recovery;
    if (w->st->entry.kind != ENTRY_DNS)
        return;
    for (int i = 0; i < w->n_entry_dcs; i++) {
        if (w->entry_dcs[i] != n->dc)
            continue;
        int up = entry_answers(w, n->dc);
        uint64_t bit = 1ULL << i;
        if (up == !!(rc->entry_truth & bit))
            continue;
        rc->entry_truth = up ? rc->entry_truth | bit : rc->entry_truth & ~bit;
        const stg_check *hc = &w->st->entry.health_check;
        double u = sim_rng_uniform(&rc->detect_rng);
        sim_time delay = up ? hc->interval
                            : (sim_time)(u * (double)hc->interval) + (hc->threshold - 1) * hc->interval + hc->timeout;
        sim_event_post(w->e, sim_now(w->e) + delay, on_gslb_check, w, (void *)(intptr_t)(i + 1));
    }
}
