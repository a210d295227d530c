/* rec_release.c -- blue-green release: the green group's error rate is
 * watched over a rolling window of the measures' intervals; past the
 * threshold (with enough requests in the window) its traffic goes back to
 * blue after the rollback delay. Without a green group the release went
 * everywhere, and so does a rollback (by hand). A trainee who took the
 * rollback over is alerted instead, once while the group keeps failing. */
#include <string.h>

#include "rec_int.h"
#include "sim_status.h"

int rec_release_init(w_world *w)
{
    const stg_blue_green *bg = &w->st->blue_green;
    if (!bg->head.present)
        return SIM_OK;
    return sim_window_init(&w->recovery->green, bg->window, w->sc->interval);
}

static void on_rolled_back(sim_engine *e, void *subject, void *object)
{
    (void)e;
    (void)subject;
    w_world *w = object;
    int green = 0;
    for (int c = 0; c < w->n_cells; c++)
        for (int s = 0; s < w->cells[c]->n_servers; s++)
            green |= w->cells[c]->servers[s].green;
    for (int c = 0; c < w->n_cells; c++)
        for (int s = 0; s < w->cells[c]->n_servers; s++) {
            w_server *sv = &w->cells[c]->servers[s];
            if (sv->green || !green) {
                sv->error_rate = 0;
                sv->slowdown = 1;
            }
        }
    rec_op_settle(w, REACT_ROLLBACK, "green");
    world_event(w, EV_ROLLBACK, green ? "green" : "all",
                green ? "the green group is back on the old release" : "every server is back on the old release");
}

void rec_rollback_now(w_world *w, const char *why)
{
    if (w->recovery->rolling_back)
        return;
    w->recovery->rolling_back = 1;
    if (!strcmp(why, "automatic")) /* the operator's action has its own row */
        world_event(w, EV_DETECT, "green", "the green group fails too often: rolling back");
    sim_event_post(w->e, sim_now(w->e) + w->st->blue_green.rollback_delay, on_rolled_back, NULL, w);
}

void rec_on_tick_release(w_world *w, const w_note *n, void *context)
{
    (void)context;
    struct w_recovery *rc = w->recovery;
    const stg_blue_green *bg = &w->st->blue_green;
    uint64_t requests = w->green_requests, errors = w->green_errors;
    w->green_requests = w->green_errors = 0;
    if (!bg->head.present)
        return;
    sim_window_add(&rc->green, n->from, requests, errors);
    if (rc->rolling_back)
        return;
    sim_window_sum(&rc->green, n->from, &requests, &errors);
    int failing = (double)requests >= (double)bg->min_requests * w->scale && requests > 0 &&
                  (double)errors > bg->error_threshold / 100 * (double)requests;
    if (!failing) {
        rec_op_settle(w, REACT_ROLLBACK, "green"); /* a new rise alerts again */
        return;
    }
    if (!rec_op_takes(w, REACT_ROLLBACK)) {
        rec_rollback_now(w, "automatic");
        return;
    }
    if (rec_op_alerted(w, REACT_ROLLBACK, "green"))
        return;
    world_event(w, EV_DETECT, "green", "the green group fails too often");
    rec_op_alert(w, REACT_ROLLBACK, "green", "the green group fails %.1f%% of its requests (over %.1f%%): rolling back is yours (rollback)",
                 100.0 * (double)errors / (double)requests, bg->error_threshold);
}
