/* rec_int.h -- recovery's own state and its files' shared functions
 * (private to recovery/). */
#ifndef REC_INT_H
#define REC_INT_H
#include "flow.h"
#include "net.h"
#include "recovery.h"
#include "sim_rng.h"
#include "sim_window.h"
#include "target.h"
#include "world_event.h"
#include "world_state.h"

typedef struct rec_runbook rec_runbook; /* rec_runbook.c */

/* An open alert (rec_operator.c): a reaction the trainee took over, due
 * about a subject (a unit, a group, a datacenter, "green", a type). */
#define REC_MAX_ALERTS 128
/* The alert of a runbook paged on RUNBOOK_ON_... `on` (beside REACT_...). */
#define REC_ALERT_RUNBOOK(on) (REACT_COUNT + (on))
typedef struct rec_alert {
    int reaction;               /* REACT_... */
    char subject[64];
} rec_alert;

typedef struct rec_action {
    const scn_action *def;
    int on;                     /* the event kind it waits for (EV_...), or -1 */
    int fired;
} rec_action;

struct w_recovery {
    sim_rng detect_rng;         /* where in a check's period a failure falls */
    sim_rng human_rng;          /* how long people take */
    uint64_t entry_truth;       /* bit i: entry point i truly answers (what the checks will find) */
    sim_window green;           /* the green group's requests and errors */
    int rolling_back;
    rec_action *actions;
    size_t n_actions;
    rec_runbook *runbooks;
    int n_runbooks;
    /* The operator's seat (rec_operator.c). */
    sim_rng operator_rng;       /* how long the trainee's acts take */
    rec_alert alerts[REC_MAX_ALERTS];
    int n_alerts;
    struct rec_op_act *acts;    /* the trainee's acts under way */
};

/* Databases (rec_db.c): a copy lost or back; an operator's promotion. */
void rec_dbnode_lost(w_world *w, w_group *g, int node);
void rec_dbnode_back(w_world *w, w_group *g, int node);
void rec_group_check(w_world *w, w_group *g);
void rec_promote_now(w_world *w, w_group *g, const char *why);
/* A person promotes a group left to them (awaiting_human), once its best
 * replica has applied its relay log; `how` names them for the story. */
void rec_promote_by_human(w_world *w, w_group *g, const char *how);
/* A group whose leader follows its unit (promotion.follow_unit) starts
 * handing it to its copy in datacenter dc: 1 while the handover is under
 * way, 0 when the leader is there already or cannot go (no copy there,
 * no live leader). */
int rec_leader_follow(w_world *w, w_group *g, int dc);

/* Units (rec_unit.c). */
void rec_cell_changed(w_world *w, w_cell *c);
void rec_switch_unit(w_world *w, w_unit *u, w_cell *to, const char *why);
/* A live cell of the unit other than its home, or NULL. */
w_cell *rec_standby_of(const w_world *w, const w_unit *u);
/* The unit is away from its own cell, which is healthy again. */
int rec_unit_may_fail_back(const w_world *w, const w_unit *u);

/* Runbooks (rec_runbook.c). */
int rec_runbooks_init(w_world *w);
void rec_runbooks_fini(w_world *w);
/* Something that pages (RUNBOOK_ON_...; for a lost primary its database,
 * for a power alarm its datacenter, else -1, or -2 when the loss is known
 * already and the page goes out at once; `subject` what it is about, a
 * group, unit or datacenter): the runbooks it triggers start, or the one
 * under way takes it in. Returns how many it reached (0: no runbook
 * answers it). When the trainee took over the runbooks, none starts: the
 * trainee is alerted instead (and they still count as reached). */
int rec_runbook_page(w_world *w, int on, const w_db *db, int dc, const char *subject, const char *why);
/* The operator starts the stage's runbook `name`; 0 if it has none. */
int rec_runbook_script(w_world *w, const char *name);

/* Actions (rec_actions.c): a datacenter's traffic moved to the others,
 * or back (its units then fail back as their switch says). */
void rec_drain(w_world *w, int dc, const char *why);
void rec_undrain(w_world *w, int dc, const char *why);

/* Blue-green (rec_release.c). */
int rec_release_init(w_world *w);
void rec_rollback_now(w_world *w, const char *why);

/* The operator's seat (rec_operator.c). Whether the trainee took over
 * `reaction` (REACT_...). */
int rec_op_takes(const w_world *w, int reaction);
/* Tells the trainee what needs deciding about `subject` (an `alert`
 * event), once until rec_op_settle says the situation is over. */
void rec_op_alert(w_world *w, int reaction, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int rec_op_alerted(const w_world *w, int reaction, const char *subject);
void rec_op_settle(w_world *w, int reaction, const char *subject);
void rec_operator_fini(w_world *w);

/* An action, scripted or the trainee's (rec_actions.c), on a resolved
 * target: `to` a datacenter's name (switch-unit, failback), `type` a
 * request type (degrade, restore), `runbook` a runbook's name; `by` names
 * who for the story ("by the operator"). */
void rec_act(w_world *w, int kind, const w_target *t, const char *to, const char *type, const char *runbook,
             const char *by);
/* The cell a switch-unit (or failback) action moves unit u to: the one in
 * datacenter `to` if given, else one other than its home (failback: its
 * own); NULL if none. */
w_cell *rec_switch_cell(const w_unit *u, int kind, const char *to);
/* Group g's primary is lost (down, cut off, or none serves). */
int rec_group_lost(const w_world *w, const w_group *g);
/* Group g has a live copy other than its primary to promote. */
int rec_group_promotable(w_world *w, w_group *g);
/* The stage's runbook `name` is running. */
int rec_runbook_running(const w_world *w, const char *name);

/* A sample of a distribution of seconds as a duration (negative: 0). */
sim_time rec_sample(const sim_dist *d, sim_rng *r);

#endif /* REC_INT_H */
