/* rec_operator.c -- the operator's seat: a trainee in the live window
 * takes over some of the stage's own reactions (w->operator_takes, bits
 * 1 << REACT_...) and acts by hand.
 *
 * A reaction taken over does not act by itself: where it would have
 * started, its file calls rec_op_alert, which tells the trainee what needs
 * deciding as an `alert` event, once while that situation lasts (a
 * situation is a reaction and the thing it is about: "unit-switch RZ01";
 * it is settled when the thing is dealt with, by the trainee or by
 * itself, and a new loss alerts again).
 *
 * The trainee's acts take real time: the matching step of the stage's
 * runbooks (the time the stage's own engineers are modelled to take),
 * drawn from the operator's own random stream so that acting disturbs no
 * other stream; when the stage has no such step, the mechanism's own
 * timing, which the mechanism then applies itself. When the time is up
 * the act is done by rec_act, the code the scripted actions use. An act
 * is refused (SIM_EINPUT, nothing changed, nothing told) when its target
 * is unknown or it has nothing to do. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec_int.h"
#include "sim_alloc.h"
#include "sim_status.h"

/* ==== Alerts ==== */

int rec_op_takes(const w_world *w, int reaction) { return (int)((w->operator_takes >> reaction) & 1u); }

static int find_alert(const struct w_recovery *rc, int reaction, const char *subject)
{
    for (int i = 0; i < rc->n_alerts; i++)
        if (rc->alerts[i].reaction == reaction && !strcmp(rc->alerts[i].subject, subject))
            return i;
    return -1;
}

int rec_op_alerted(const w_world *w, int reaction, const char *subject)
{
    return find_alert(w->recovery, reaction, subject) >= 0;
}

void rec_op_alert(w_world *w, int reaction, const char *subject, const char *fmt, ...)
{
    struct w_recovery *rc = w->recovery;
    if (find_alert(rc, reaction, subject) >= 0)
        return; /* told already, and not settled since */
    if (rc->n_alerts < REC_MAX_ALERTS) { /* past the table, each is told (never silently dropped) */
        rc->alerts[rc->n_alerts].reaction = reaction;
        snprintf(rc->alerts[rc->n_alerts].subject, sizeof rc->alerts[rc->n_alerts].subject, "%s", subject);
        rc->n_alerts++;
    }
    char text[224];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    world_event(w, EV_ALERT, subject, "%s", text);
}

void rec_op_settle(w_world *w, int reaction, const char *subject)
{
    struct w_recovery *rc = w->recovery;
    int i = find_alert(rc, reaction, subject);
    if (i >= 0)
        rc->alerts[i] = rc->alerts[--rc->n_alerts];
}

/* ==== Acts ==== */

struct rec_op_act {
    struct rec_op_act *next;
    int kind;                   /* ACTION_... */
    w_target t;                 /* resolved when started */
    const char *to, *type, *runbook; /* the world's own strings */
    char label[128];
};

/* The first step of `kind` in the stage's runbooks, or NULL. */
static const stg_step *step_of(const w_world *w, int kind)
{
    const mdl_list *rbs = &w->st->runbooks;
    for (size_t i = 0; i < rbs->n; i++) {
        const stg_runbook *rb = MDL_ITEM(*rbs, stg_runbook, i);
        for (size_t s = 0; s < rb->steps.n; s++)
            if (MDL_ITEM(rb->steps, stg_step, s)->kind == kind)
                return MDL_ITEM(rb->steps, stg_step, s);
    }
    return NULL;
}

static int step_kind(int act)
{
    switch (act) {
    case ACTION_PROMOTE: return STEP_PROMOTE;
    case ACTION_SWITCH_UNIT: return STEP_SWITCH_UNITS;
    case ACTION_DRAIN:
    case ACTION_UNDRAIN: return STEP_DRAIN;
    case ACTION_FAILBACK: return STEP_FAIL_BACK;
    default: return -1;
    }
}

/* How long the act takes: *wait before it is done (the trainee's hands),
 * *told the time it is announced with (the wait, or the time the
 * mechanism itself then takes). */
static void act_time(w_world *w, const struct rec_op_act *a, sim_time *wait, sim_time *told)
{
    int sk = step_kind(a->kind);
    const stg_step *st = sk >= 0 ? step_of(w, sk) : NULL;
    *wait = *told = 0;
    if (st) { /* as long as the stage's own engineers take for one item */
        *wait = *told = rec_sample(&st->duration.d, &w->recovery->operator_rng);
        return;
    }
    /* No such step in the stage: the mechanism's own timing. */
    switch (a->kind) {
    case ACTION_PROMOTE:
        /* What the stage's own promotion takes once decided: the failover
         * layer's switch, or the election (the lease has run out by the
         * time anyone decides); a manual promotion's time is all human
         * (paging, diagnosis), which the trainee has spent already. */
        for (int i = 0; i < a->t.n_groups; i++) {
            const stg_database *db = a->t.groups[i]->db->def;
            sim_time t = db->failover.head.present        ? db->failover.switch_delay
                         : db->promotion.mode == PROMOTE_AUTOMATIC ? db->promotion.election
                                                                   : 0;
            if (t > *wait)
                *wait = t;
        }
        *told = *wait;
        return;
    case ACTION_ROLLBACK:
        /* rec_rollback_now waits the rollback delay itself. */
        *told = w->st->blue_green.rollback_delay;
        return;
    case ACTION_SWITCH_UNIT:
    case ACTION_FAILBACK:
        /* The switch itself forbids writes, waits for catch-up and pushes
         * the mapping: at least the push delay. */
        *told = w->st->unit_switch.push_delay;
        return;
    default:
        /* A drain is a routing change, shedding a switch, a runbook runs
         * its own phases: at once. */
        return;
    }
}

static void on_act_due(sim_engine *e, void *subject, void *object)
{
    (void)e;
    w_world *w = object;
    struct rec_op_act *a = subject;
    struct w_recovery *rc = w->recovery;
    rec_act(w, a->kind, &a->t, a->to, a->type, a->runbook, "by the trainee");
    world_event(w, EV_ACTION, a->label, "the trainee has done: %s %s", mdl_action_kinds[a->kind], a->label);
    for (struct rec_op_act **p = &rc->acts; *p; p = &(*p)->next)
        if (*p == a) {
            *p = a->next;
            break;
        }
    sim_free(a);
}

static int refuse(char *err, size_t err_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int refuse(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && err_size)
        vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    return SIM_EINPUT;
}

static w_unit *unit_named(w_world *w, const char *name)
{
    for (int u = 0; u < w->n_units; u++)
        if (!strcmp(w->units[u].def->name, name))
            return &w->units[u];
    return NULL;
}

static w_db *db_named(w_world *w, const char *name, size_t len)
{
    for (int d = 0; d < w->n_dbs; d++)
        if (strlen(w->dbs[d].def->name) == len && !strncmp(w->dbs[d].def->name, name, len))
            return &w->dbs[d];
    return NULL;
}

/* "core", "core/7", "core/0-9" or "core 00-09": the groups meant. */
static int resolve_groups(w_world *w, const char *target, struct rec_op_act *a, char *err, size_t err_size)
{
    size_t len = strcspn(target, "/ ");
    w_db *db = db_named(w, target, len);
    if (!db)
        return refuse(err, err_size, "no database named \"%.*s\" in this stage", (int)len, target);
    const char *rest = target[len] ? target + len + 1 : NULL;
    if (!rest || !*rest) { /* its groups whose primary is lost, or its one group */
        for (int g = 0; g < db->n_groups; g++)
            if (db->n_groups == 1 || rec_group_lost(w, &db->groups[g]))
                target_add_group(&a->t, &db->groups[g], -1);
        if (a->t.n_groups == 0)
            return refuse(err, err_size, "no group of %s has lost its primary", db->def->name);
    } else {
        char *end;
        long lo = strtol(rest, &end, 10), hi = lo;
        int range = *end == '-';
        if (range)
            hi = strtol(end + 1, &end, 10);
        if (*end || end == rest || lo < 0 || hi < lo)
            return refuse(err, err_size, "write a group as %s/N or %s/LO-HI, not \"%s\"", db->def->name,
                          db->def->name, target);
        for (int g = 0; g < db->n_groups; g++) {
            const mdl_shards *s = &db->groups[g].def->shards;
            if (range ? s->lo == lo && s->hi == hi : s->lo <= lo && lo <= s->hi)
                target_add_group(&a->t, &db->groups[g], -1);
        }
        if (a->t.n_groups == 0)
            return refuse(err, err_size, "%s has no group %s %s", db->def->name, range ? "of shards" : "holding shard",
                          rest);
    }
    for (int i = 0; i < a->t.n_groups; i++) {
        char name[96];
        group_name(a->t.groups[i], name, sizeof name);
        if (!rec_group_promotable(w, a->t.groups[i]))
            return refuse(err, err_size, "%s has no live copy to promote", name);
        if (i == 0)
            snprintf(a->label, sizeof a->label, "%s", name);
    }
    if (a->t.n_groups > 1)
        snprintf(a->label, sizeof a->label, "%s (%d groups)", db->def->name, a->t.n_groups);
    return SIM_OK;
}

static int resolve_dc(w_world *w, const char *target, struct rec_op_act *a, char *err, size_t err_size)
{
    int dc = world_dc_index(w, target);
    if (dc < 0)
        return refuse(err, err_size, "no datacenter named \"%s\"", target);
    const w_dc *d = &w->dcs[dc];
    if (!d->used)
        return refuse(err, err_size, "this stage does not use %s", target);
    if (a->kind == ACTION_DRAIN) {
        if (d->drained)
            return refuse(err, err_size, "%s is drained already", target);
        int elsewhere = 0;
        for (int c = 0; c < w->n_cells && !elsewhere; c++)
            elsewhere = w->cells[c]->dc != d && w->cells[c]->dc->used;
        if (!elsewhere)
            return refuse(err, err_size, "no other datacenter could take %s's traffic", target);
    } else if (!d->drained)
        return refuse(err, err_size, "%s is not drained", target);
    a->t.dcs[a->t.n_dcs++] = dc;
    snprintf(a->label, sizeof a->label, "%s", d->geo->name);
    return SIM_OK;
}

static int resolve(w_world *w, const char *target, const char *to, struct rec_op_act *a, char *err, size_t err_size)
{
    switch (a->kind) {
    case ACTION_SWITCH_UNIT:
    case ACTION_FAILBACK: {
        w_unit *u = unit_named(w, target);
        if (!u)
            return refuse(err, err_size, "no unit named \"%s\" in this stage", target);
        if (to) {
            int dc = world_dc_index(w, to);
            if (dc < 0)
                return refuse(err, err_size, "no datacenter named \"%s\"", to);
            a->to = w->dcs[dc].geo->name;
        }
        if (u->switching)
            return refuse(err, err_size, "%s is moving already", u->def->name);
        w_cell *cell = rec_switch_cell(u, a->kind, a->to);
        if (!cell || cell == u->home)
            return refuse(err, err_size, a->kind == ACTION_FAILBACK ? "%s is at home already" : "%s has no other cell%s%s",
                          u->def->name, a->to ? " in " : " to move to", a->to ? a->to : "");
        a->t.unit = u;
        snprintf(a->label, sizeof a->label, "%s", u->def->name);
        return SIM_OK;
    }
    case ACTION_PROMOTE:
        return resolve_groups(w, target, a, err, err_size);
    case ACTION_DRAIN:
    case ACTION_UNDRAIN:
        return resolve_dc(w, target, a, err, err_size);
    case ACTION_DEGRADE:
    case ACTION_RESTORE:
        for (int ty = 0; ty < w->n_types; ty++)
            if (!strcmp(w->types[ty]->name, target)) {
                if (prot_is_shed(w, ty) == (a->kind == ACTION_DEGRADE))
                    return refuse(err, err_size, "%s is %s already", target,
                                  a->kind == ACTION_DEGRADE ? "shed" : "admitted");
                a->type = w->types[ty]->name;
                snprintf(a->label, sizeof a->label, "%s", a->type);
                return SIM_OK;
            }
        return refuse(err, err_size, "no request type named \"%s\"", target);
    case ACTION_RUNBOOK: {
        const mdl_list *rbs = &w->st->runbooks;
        for (size_t i = 0; i < rbs->n; i++) {
            const stg_runbook *rb = MDL_ITEM(*rbs, stg_runbook, i);
            if (strcmp(rb->name, target))
                continue;
            if (rec_runbook_running(w, rb->name))
                return refuse(err, err_size, "runbook %s is under way already", rb->name);
            a->runbook = rb->name;
            snprintf(a->label, sizeof a->label, "%s", rb->name);
            return SIM_OK;
        }
        return refuse(err, err_size, "this stage has no runbook named \"%s\"", target);
    }
    case ACTION_ROLLBACK: {
        int bad = 0;
        for (int c = 0; c < w->n_cells && !bad; c++)
            for (int s = 0; s < w->cells[c]->n_servers && !bad; s++)
                bad = w->cells[c]->servers[s].error_rate > 0 || w->cells[c]->servers[s].slowdown > 1;
        if (w->recovery->rolling_back || !bad)
            return refuse(err, err_size, "there is no release to roll back");
        snprintf(a->label, sizeof a->label, "%s", "release");
        return SIM_OK;
    }
    default:
        return refuse(err, err_size, "no such action");
    }
}

int rec_operator_act(w_world *w, int kind, const char *target, const char *to, char *err, size_t err_size)
{
    struct w_recovery *rc = w->recovery;
    if (err && err_size)
        err[0] = 0;
    if (kind < 0 || kind >= ACTION_COUNT)
        return refuse(err, err_size, "no such action");
    if (!target)
        target = "";
    if (!*target && kind != ACTION_ROLLBACK)
        return refuse(err, err_size, "%s needs a target", mdl_action_kinds[kind]);
    struct rec_op_act *a = sim_calloc(1, sizeof *a);
    if (!a)
        return SIM_ENOMEM;
    a->kind = kind;
    a->t.path = -1;
    int status = resolve(w, target, to && *to ? to : NULL, a, err, err_size);
    for (struct rec_op_act *p = rc->acts; status == SIM_OK && p; p = p->next)
        if (p->kind == kind && !strcmp(p->label, a->label))
            status = refuse(err, err_size, "%s %s is under way already", mdl_action_kinds[kind], a->label);
    if (status) {
        sim_free(a);
        return status;
    }
    snprintf(a->t.label, sizeof a->t.label, "%s", a->label);
    sim_time wait, told;
    act_time(w, a, &wait, &told);
    if (!sim_event_post(w->e, sim_now(w->e) + wait, on_act_due, a, w)) {
        sim_free(a);
        return SIM_ENOMEM;
    }
    a->next = rc->acts;
    rc->acts = a;
    char took[SIM_TIME_TEXT_MAX + 16];
    if (told > 0) {
        char d[SIM_TIME_TEXT_MAX];
        sim_time unit = told >= 10 * SIM_SEC ? SIM_SEC : SIM_MS; /* "about 2m10s", "about 1.5s" */
        sim_time_format_duration((told + unit / 2) / unit * unit, d, sizeof d);
        snprintf(took, sizeof took, "about %s", d);
    } else
        snprintf(took, sizeof took, "at once");
    world_event(w, EV_ACTION, a->label, "the trainee starts: %s %s (%s)", mdl_action_kinds[kind], a->label, took);
    return SIM_OK;
}

void rec_operator_fini(w_world *w)
{
    struct w_recovery *rc = w->recovery;
    while (rc->acts) {
        struct rec_op_act *a = rc->acts;
        rc->acts = a->next;
        sim_free(a);
    }
}
