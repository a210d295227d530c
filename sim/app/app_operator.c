/* app_operator.c -- the operator's seat around the window: which of the
 * stage's reactions the trainee takes, the automatic stage's run on the
 * same seed (simulated in the background while the trainee plays), and
 * the trainee's incident beside it: on demand in the window (c), and at
 * the end printed and written with the trainee's results. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_view.h"
#include "mdl_config.h"
#include "mdl_kinds.h"
#include "sim_alloc.h"
#include "sim_status.h"

int app_operator_takes(const mdl_config *cfg, const char *list, unsigned *takes)
{
    if (!list) {
        *takes = mdl_training_takes(cfg->scn);
        return EXIT_DONE;
    }
    if (!strcmp(list, "all")) {
        *takes = MDL_REACT_ALL;
        return EXIT_DONE;
    }
    *takes = 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save, *name = strtok_r(buf, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        int k = mdl_enum_index(mdl_reactions, name);
        if (k < 0) {
            char known[512] = "";
            for (int i = 0; i < REACT_COUNT; i++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", i ? ", " : "", mdl_reactions[i]);
            return app_usage_error("view", "--operator: no reaction \"%s\" (known: %s, all)", name, known);
        }
        *takes |= 1u << k;
    }
    return EXIT_DONE;
}

/* ==== One run's incident, in phases ==== */

typedef struct phases {
    int have;                   /* an incident happened */
    double impact, detect, decide, switched, rto;
    int recovered;
    double lost, users, users_share, availability;
    int actions;
} phases;

/* The decision, in seconds from the impact: the trainee's first action
 * (`trainee`), or the stage's own first reaction (a switch, a promotion,
 * a write ban, a shed type, a rollback, a runbook's step). */
static double first_reaction(const mdl_world *w, sim_time from, int trainee)
{
    size_t n = mdl_world_events(w);
    for (size_t i = 0; i < n; i++) {
        const mdl_event_row *e = mdl_world_event(w, i);
        int k = e->kind;
        int counts = trainee ? k == EV_ACTION
                             : k == EV_ACTION || k == EV_SWITCH || k == EV_PROMOTE || k == EV_FORBID ||
                                   k == EV_DEGRADE || k == EV_ROLLBACK || k == EV_RUNBOOK;
        if (e->t >= from && counts)
            return sim_time_to_seconds(e->t - from);
    }
    return NAN;
}

static void phases_of(const mdl_world *w, int trainee, phases *out)
{
    memset(out, 0, sizeof *out);
    mdl_headline h;
    mdl_world_headline(w, &h);
    out->availability = h.availability;
    out->lost = h.lost_writes;
    out->users = h.users_affected;
    out->users_share = h.users_share;
    size_t n = mdl_world_events(w);
    for (size_t i = 0; i < n; i++) { /* an act: one row as it starts, one as it is done */
        const mdl_event_row *e = mdl_world_event(w, i);
        out->actions += e->kind == EV_ACTION && strncmp(e->text, "the trainee has done", 20) != 0;
    }
    if (!mdl_world_incidents(w))
        return;
    mdl_incident in;
    mdl_world_incident(w, 0, &in);
    out->have = 1;
    out->impact = in.impact;
    out->detect = in.detect;
    out->switched = in.switched;
    out->rto = in.rto;
    out->recovered = in.recovered;
    sim_time impact_at = in.start + (sim_time)(fmax(in.impact, 0) * SIM_SEC);
    out->decide = first_reaction(w, impact_at, trainee);
}

static void seconds(char *buf, size_t size, double s, int recovered)
{
    if (isnan(s))
        snprintf(buf, size, "-");
    else if (!recovered)
        snprintf(buf, size, "not recovered, > %.0f s", s);
    else
        snprintf(buf, size, "%.1f s", s);
}

static void comparison(char *out, size_t size, const phases *you, const phases *auto_, const char *stage_label,
                       int finished, int stage_ready)
{
    char a[64], b[64];
    size_t at = (size_t)snprintf(out, size, "%-26s %-28s %s%s\n", "", finished ? "you (trainee)" : "you, so far",
                                 stage_label, stage_ready ? " (automatic)" : " (automatic: still running...)");
#define ROW(label, fa, fb)                                                                                  \
    do {                                                                                                    \
        fa;                                                                                                 \
        fb;                                                                                                 \
        if (at < size)                                                                                      \
            at += (size_t)snprintf(out + at, size - at, "%-26s %-28s %s\n", label, a, b);                   \
    } while (0)
    ROW("an incident", snprintf(a, sizeof a, "%s", you->have ? "yes" : "none (yet)"),
        snprintf(b, sizeof b, "%s", auto_->have ? "yes" : "none"));
    ROW("time to impact", seconds(a, sizeof a, you->have ? you->impact : NAN, 1),
        seconds(b, sizeof b, auto_->have ? auto_->impact : NAN, 1));
    ROW("time to detect", seconds(a, sizeof a, you->have ? you->detect : NAN, 1),
        seconds(b, sizeof b, auto_->have ? auto_->detect : NAN, 1));
    ROW("time to decide", seconds(a, sizeof a, you->have ? you->decide : NAN, 1),
        seconds(b, sizeof b, auto_->have ? auto_->decide : NAN, 1));
    ROW("time to switch", seconds(a, sizeof a, you->have ? you->switched : NAN, 1),
        seconds(b, sizeof b, auto_->have ? auto_->switched : NAN, 1));
    ROW("RTO", seconds(a, sizeof a, you->have ? you->rto : NAN, you->recovered),
        seconds(b, sizeof b, auto_->have ? auto_->rto : NAN, auto_->recovered));
    ROW("acknowledged writes lost", snprintf(a, sizeof a, "%.0f", you->lost), snprintf(b, sizeof b, "%.0f", auto_->lost));
    ROW("users affected", snprintf(a, sizeof a, "%.0f (%.2f%%)", you->users, 100 * you->users_share),
        snprintf(b, sizeof b, "%.0f (%.2f%%)", auto_->users, 100 * auto_->users_share));
    ROW("availability", snprintf(a, sizeof a, "%.3f%%", 100 * you->availability),
        snprintf(b, sizeof b, "%.3f%%", 100 * auto_->availability));
    ROW("operator actions", snprintf(a, sizeof a, "%d", you->actions), snprintf(b, sizeof b, "%d", auto_->actions));
#undef ROW
    if (at < size)
        snprintf(out + at, size - at, "\nPhases from the first incident's impact (the SLO's first break), as summary.json.\n"
                                      "c or Esc closes this.");
}

/* ==== The seat ==== */

struct app_seat {
    app_out o;
    app_set set;                /* the trainee's results, written as the run goes */
    char series[8400];
    sc_player *p;
    const mdl_config *cfg;
    size_t stage;
    mdl_world *automatic;
    pthread_t thread;
    pthread_mutex_t mu;
    int ready, failed, started;
    volatile int stop;          /* the automatic run is no longer wanted */
    phases stage_phases;
    char text[4096];
};

/* The automatic run stops early when the seat closes without it. */
static int automatic_progress(double fraction, void *context)
{
    (void)fraction;
    const app_seat *s = context;
    return s->stop || app_interrupted();
}

static void *run_automatic(void *arg)
{
    app_seat *s = arg;
    int rc = mdl_world_run(s->automatic, 0, automatic_progress, s);
    pthread_mutex_lock(&s->mu);
    if (rc == 0)
        phases_of(s->automatic, 0, &s->stage_phases);
    s->failed = rc != 0;
    s->ready = 1;
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

typedef struct ask {
    app_seat *s;
    phases you;
} ask;

static void read_trainee(mdl_world *w, void *context)
{
    ask *a = context;
    phases_of(w, 1, &a->you);
}

static void on_compare(void *context)
{
    app_seat *s = context;
    sc_ui *ui = sc_player_ui(s->p);
    if (ui->result_text) {
        ui->result_text = NULL;
        return;
    }
    ask a = {s, {0}};
    sc_player_with_world(s->p, read_trainee, &a);
    pthread_mutex_lock(&s->mu);
    comparison(s->text, sizeof s->text, &a.you, &s->stage_phases, s->cfg->stages[s->stage]->name,
               sc_player_finished(s->p), s->ready);
    pthread_mutex_unlock(&s->mu);
    ui->result_text = s->text;
}

int app_seat_prepare(app_seat **out, const char *out_dir, const mdl_config *cfg, size_t stage_index,
                     mdl_run_options *opt)
{
    app_seat *s = sim_calloc(1, sizeof *s);
    if (!s)
        return EXIT_RUN_FAILED;
    s->cfg = cfg, s->stage = stage_index;
    pthread_mutex_init(&s->mu, NULL);
    char name[300];
    snprintf(name, sizeof name, "%s-trainee", cfg->stages[stage_index]->name);
    int rc = app_out_open(&s->o, out_dir, cfg->scn->name);
    if (rc) {
        sim_free(s);
        return rc;
    }
    if ((rc = app_set_begin(&s->o, &s->set, name))) {
        app_out_close(&s->o);
        sim_free(s);
        return rc;
    }
    snprintf(s->series, sizeof s->series, "%s/timeseries.csv", s->set.staging);
    opt->series_path = s->series;
    *out = s;
    return EXIT_DONE;
}

int app_seat_open(app_seat *s, sc_player *p, const mdl_run_options *opt)
{
    s->p = p;
    mdl_run_options o = *opt;
    o.series_path = NULL;
    char err[512];
    if (mdl_world_create(s->cfg, s->stage, &o, &s->automatic, err, sizeof err))
        return SIM_ENOMEM;
    if (pthread_create(&s->thread, NULL, run_automatic, s)) {
        mdl_world_destroy(s->automatic);
        s->automatic = NULL;
        return SIM_ENOMEM;
    }
    s->started = 1;
    sc_ui *ui = sc_player_ui(p);
    ui->on_compare = on_compare;
    ui->compare_context = s;
    return SIM_OK;
}

void app_seat_discard(app_seat *s)
{
    if (!s)
        return;
    s->stop = 1;
    if (s->started)
        pthread_join(s->thread, NULL);
    if (s->automatic)
        mdl_world_destroy(s->automatic);
    app_set_abort(&s->set);
    app_out_close(&s->o);
    pthread_mutex_destroy(&s->mu);
    sim_free(s);
}

static void finish(mdl_world *w, void *context)
{
    int *rc = context;
    *rc = mdl_world_run(w, 0, NULL, NULL);
}

int app_seat_close(app_seat *s)
{
    /* The window is gone: its simulating thread stops (doing what the
     * trainee asked last), and this thread alone finishes the run. */
    sc_player_stop(s->p);
    int rc = sc_player_failed(s->p);
    if (!rc && !app_interrupted()) {
        fprintf(stderr, "dcsim: finishing your run to its end (no more actions), and the automatic stage's...\n");
        sc_player_with_world(s->p, finish, &rc);
    }
    if (app_interrupted()) {
        app_seat_discard(s);
        return app_interrupted_exit("view");
    }
    pthread_join(s->thread, NULL);
    s->started = 0;
    ask a = {s, {0}};
    mdl_world *w = sc_player_world(s->p);
    read_trainee(w, &a);
    comparison(s->text, sizeof s->text, &a.you, &s->stage_phases, s->cfg->stages[s->stage]->name, 1, !s->failed);
    printf("%s\n", s->text);
    if (s->failed) {
        fprintf(stderr, "dcsim: the automatic stage's run failed: no comparison\n");
        rc = rc ? rc : -1;
    }
    if (rc) {
        app_seat_discard(s);
        return EXIT_RUN_FAILED;
    }
    /* The trainee's results beside the stage's: OUT/<scenario>/<stage>-trainee/. */
    char path[8500];
    snprintf(path, sizeof path, "%s/comparison.txt", s->set.staging);
    FILE *f = fopen(path, "w");
    int ok = f && fprintf(f, "%s\n", s->text) > 0;
    if (f)
        ok &= fclose(f) == 0;
    int code = EXIT_DONE;
    if (ok && mdl_world_write(w, s->set.staging, 0, "dcsim view --operator") == 0 && app_set_commit(&s->set) == 0)
        printf("your run's results: %s/%s-trainee/\n", s->o.dir, s->cfg->stages[s->stage]->name);
    else {
        app_io_error(&s->set, "the trainee's results");
        app_set_abort(&s->set);
        code = EXIT_RUN_FAILED;
    }
    app_out_close(&s->o);
    mdl_world_destroy(s->automatic);
    pthread_mutex_destroy(&s->mu);
    sim_free(s);
    return code;
}
