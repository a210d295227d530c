/* flt_timeline.c -- the fault timeline: the scenario's faults resolved in
 * this stage and scheduled to start and to end (random ones drawn by
 * flt_random.c), each applied by its kind's function. A fault whose target
 * this stage does not have is said in events.csv, so a stage spared by a
 * fault shows why. */
#include <math.h>
#include <stdio.h>

#include "flt_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

static void on_fault_end(sim_engine *e, void *subject, void *object);

/* Applies or ends a fault; kinds that tell their own story (power) write
 * their own events, the others get one here. */
static void apply(w_fault *f, int on)
{
    flt_apply[f->kind](f, on);
    if (mdl_fault_kind_table[f->kind].flags & FLT_OWN_EVENTS)
        return;
    const char *name = mdl_fault_kinds[f->kind], *label = f->target.label;
    if (on)
        world_event(f->w, EV_FAULT, label, "%s: %s", name, label);
    else
        world_event(f->w, EV_REPAIR, label, "%s ended: %s", name, label);
}

static void on_fault_start(sim_engine *e, void *subject, void *object)
{
    (void)object;
    w_fault *f = subject;
    w_world *w = f->w;
    sim_time now = sim_now(e);
    if (f->unmatched) {
        world_event(w, EV_UNMATCHED, "-", "%s: nothing in this stage matches its target", mdl_fault_kinds[f->kind]);
        return;
    }
    if (f->random_class >= 0) {
        /* A random failure of one component: draw its repair time. */
        double s = sim_dist_sample(&f->mttr, &f->rng);
        f->end = now + (s > 0 ? (sim_time)(s * 1e9) : 0);
    }
    w_note n = note_of(NOTE_FAULT);
    n.fault = f->kind;
    n.label = f->target.label;
    n.from = now;
    n.to = f->end;
    note_publish(w, &n);
    apply(f, 1);
    if (f->end != SIM_TIME_NEVER)
        sim_event_post(e, f->end > now ? f->end : now, on_fault_end, f, NULL);
}

/* The gap until a random component's next failure (exponential, MTBF). */
static sim_time next_failure(w_fault *f) { return (sim_time)(-log(sim_rng_uniform_pos(&f->rng)) * (double)f->mtbf); }

static void on_fault_end(sim_engine *e, void *subject, void *object)
{
    (void)object;
    w_fault *f = subject;
    apply(f, 0);
    if (f->random_class >= 0) /* the next failure of the same component */
        sim_event_post(e, sim_now(e) + next_failure(f), on_fault_start, f, NULL);
}

w_fault *flt_new(w_world *w)
{
    struct w_faults *fs = w->faults;
    if (sim_grow((void **)&fs->list, &fs->cap, fs->n + 1, sizeof *fs->list))
        return NULL;
    w_fault *f = &fs->list[fs->n];
    memset(f, 0, sizeof *f);
    f->dark = sim_calloc((size_t)w->n_dcs, 1);
    if (!f->dark)
        return NULL;
    fs->n++;
    f->w = w;
    f->random_class = -1;
    return f;
}

int flt_share_of(int n, double percent)
{
    int k = (int)ceil(percent / 100 * n - 1e-9);
    return k < 1 ? 1 : k > n ? n : k;
}

int faults_init(w_world *w)
{
    const scenario *sc = w->sc;
    w->faults = sim_calloc(1, sizeof *w->faults);
    if (!w->faults)
        return SIM_ENOMEM;
    struct w_faults *fs = w->faults;
    for (size_t i = 0; i < sc->faults.n; i++) {
        const scn_fault *d = MDL_ITEM(sc->faults, scn_fault, i);
        w_fault *f = flt_new(w);
        if (!f)
            return SIM_ENOMEM;
        f->def = d;
        f->kind = d->kind;
        f->start = mdl_clock_to_run(sc, d->at);
        if (d->permanent)
            f->end = SIM_TIME_NEVER;
        else if (d->until) {
            sim_time until;
            const char *why;
            sim_time_parse_clock(d->until->text, &until, &why);
            f->end = mdl_clock_to_run(sc, until);
        } else
            f->end = f->start + d->duration;
        if (target_resolve(w, &d->target, d->kind, &f->target) &&
            !(mdl_fault_kind_table[d->kind].flags & FLT_ANYWHERE))
            f->unmatched = 1;
    }
    size_t scheduled = fs->n;
    for (size_t i = 0; i < sc->random_faults.n; i++)
        if (flt_random_add(w, MDL_ITEM(sc->random_faults, scn_random, i), i))
            return SIM_ENOMEM;
    for (size_t i = 0; i < fs->n; i++) {
        w_fault *f = &fs->list[i];
        sim_time at = i < scheduled ? f->start : next_failure(f);
        if (!sim_event_post(w->e, at, on_fault_start, f, NULL))
            return SIM_ENOMEM;
    }
    return SIM_OK;
}

void faults_fini(w_world *w)
{
    if (!w->faults)
        return;
    for (size_t i = 0; i < w->faults->n; i++)
        sim_free(w->faults->list[i].dark);
    sim_free(w->faults->list);
    sim_free(w->faults);
    w->faults = NULL;
}
