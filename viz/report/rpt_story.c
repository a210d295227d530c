/* rpt_story.c -- events.csv retold: grouped by moment and kind; and the
 * scenario's captions as each stage's run reached them. */
#include "rpt_story.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mdl_config.h"
#include "mdl_files.h"
#include "sim_alloc.h"
#include "vz_ticks.h"

void rpt_clock(const scenario *sc, sim_time t, char *buf, size_t n)
{
    const sim_time day = 86400 * SIM_SEC;
    sim_time at = sc->start + t;
    at -= at % SIM_SEC; /* whole seconds read better in a story */
    char clock[24];
    sim_time_format_clock(at % day, clock, sizeof clock);
    if (sc->warmup + sc->duration >= day)
        snprintf(buf, n, "day %lld %s", (long long)(at / day), clock);
    else
        snprintf(buf, n, "%s", clock);
}

size_t rpt_story(const rpt_run *run, const scenario *sc, rpt_story_line *lines, size_t max, size_t *untold)
{
    size_t n = 0;
    *untold = 0;
    for (size_t i = 0; i < run->n_events;) {
        /* The group: same kind within the same second. */
        size_t j = i + 1;
        sim_time sec = run->events[i].t / SIM_SEC;
        while (j < run->n_events && run->events[j].kind == run->events[i].kind &&
               run->events[j].t / SIM_SEC == sec)
            j++;
        if (n == max) {
            *untold += j - i;
            i = j;
            continue;
        }
        rpt_story_line *L = &lines[n++];
        rpt_clock(sc, run->events[i].t, L->clock, sizeof L->clock);
        snprintf(L->kind, sizeof L->kind, "%s", mdl_event_kinds[run->events[i].kind]);
        if (j - i == 1) {
            snprintf(L->text, sizeof L->text, "%s", run->events[i].text);
        } else {
            size_t at = (size_t)snprintf(L->text, sizeof L->text, "%zu %s: ", j - i, mdl_event_plurals[run->events[i].kind]);
            for (size_t k = i; k < j && at < sizeof L->text; k++) {
                int seen = 0; /* each target once: "HZ-A, RZ01", not "HZ-A, HZ-A, RZ01" */
                for (size_t p = i; p < k && !seen; p++)
                    seen = !strcmp(run->events[p].target, run->events[k].target);
                if (!seen)
                    at += (size_t)snprintf(L->text + at, sizeof L->text - at, "%s%s", k > i ? ", " : "",
                                           run->events[k].target);
            }
            if (at < sizeof L->text)
                snprintf(L->text + at, sizeof L->text - at, " (the first: %s)", run->events[i].text);
        }
        i = j;
    }
    return n;
}

/* ==== Captions ==== */

static int event_kind(const char *name)
{
    for (int k = 0; k < EV_KIND_COUNT; k++)
        if (!strcmp(mdl_event_kinds[k], name))
            return k;
    return -1;
}

/* The run time of an `at:` caption; -1 when it names no clock time. */
static sim_time caption_at(const scenario *sc, const scn_caption *c)
{
    sim_time clock;
    const char *why;
    if (!c->at || !c->at->text || sim_time_parse_clock(c->at->text, &clock, &why))
        return -1;
    return mdl_clock_to_run(sc, clock);
}

/* The incident under way at run time t: the last one to start by then. */
static const mdl_incident *incident_at(const rpt_run *run, sim_time t)
{
    const mdl_incident *found = NULL;
    for (size_t i = 0; i < run->n_incidents; i++)
        if (run->incidents[i].start <= t)
            found = &run->incidents[i];
    return found;
}

/* Seconds as a caption says them: "0", "4.5", "22", "-30" (a detection
 * or switch before the impact, as summary.json has it); "n/a" for none. */
static void seconds_text(double v, char *buf, size_t n)
{
    if (!isfinite(v))
        snprintf(buf, n, "n/a");
    else if (v == 0)
        snprintf(buf, n, "0");
    else
        snprintf(buf, n, "%.*f", fabs(v) < 10 ? 1 : 0, v);
}

/* The value of placeholder name (len bytes); 0 when it is none of ours. */
static int placeholder(const char *name, size_t len, const mdl_incident *in, const char *clock, const char *target,
                       char *val, size_t n)
{
#define IS(s) (len == sizeof(s) - 1 && !strncmp(name, s, len))
    if (IS("time"))
        snprintf(val, n, "%s", clock);
    else if (IS("target"))
        snprintf(val, n, "%s", target);
    else if (IS("detect"))
        seconds_text(in ? in->detect : NAN, val, n);
    else if (IS("switch"))
        seconds_text(in ? in->switched : NAN, val, n);
    else if (IS("rpo"))
        seconds_text(in ? in->rpo : NAN, val, n);
    else if (IS("lost"))
        vz_format_count(in ? in->lost_writes : 0, val, n);
    else if (IS("rto")) {
        char s[32];
        seconds_text(in ? in->rto : NAN, s, sizeof s);
        snprintf(val, n, "%s%s", in && !in->recovered ? "> " : "", s);
    } else
        return 0;
#undef IS
    return 1;
}

/* The caption's text with its placeholders filled; unknown ones stay. */
static void fill(const char *tmpl, const rpt_run *run, sim_time t, const char *clock, const char *target, char *out,
                 size_t n)
{
    const mdl_incident *in = incident_at(run, t);
    size_t at = 0;
    for (const char *p = tmpl; *p && at + 1 < n;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        char val[128];
        if (close && placeholder(p + 1, (size_t)(close - p - 1), in, clock, target, val, sizeof val)) {
            at += (size_t)snprintf(out + at, n - at, "%s", val);
            p = close + 1;
        } else {
            out[at++] = *p++;
        }
    }
    out[at < n ? at : n - 1] = 0;
}

int rpt_caption(const rpt_run *run, const scenario *sc, size_t i, rpt_caption_hit *out)
{
    const scn_caption *c = MDL_ITEM(sc->captions, scn_caption, i);
    memset(out, 0, sizeof *out);
    const char *target = "";
    if (c->on) {
        int kind = event_kind(c->on);
        size_t first = run->n_events;
        sim_time last = 0;
        for (size_t e = 0; e < run->n_events; e++) {
            if (run->events[e].kind != kind)
                continue;
            if (first == run->n_events)
                first = e;
            else if (run->events[e].t / SIM_SEC != last / SIM_SEC)
                out->more++; /* a later moment; events of one second are one, as in the story */
            last = run->events[e].t;
        }
        if (first == run->n_events)
            return 0;
        out->t = run->events[first].t;
        target = run->events[first].target;
    } else {
        out->t = caption_at(sc, c);
        if (out->t < 0 || out->t > sc->warmup + sc->duration)
            return 0;
    }
    rpt_clock(sc, out->t, out->clock, sizeof out->clock);
    fill(c->text, run, out->t, out->clock, target, out->text, sizeof out->text);
    return 1;
}

static int same_hit(int reached_a, const rpt_caption_hit *a, int reached_b, const rpt_caption_hit *b)
{
    if (!reached_a || !reached_b)
        return reached_a == reached_b;
    return a->t / SIM_SEC == b->t / SIM_SEC && a->more == b->more && !strcmp(a->text, b->text);
}

size_t rpt_caption_lines(const rpt_input *in, size_t i, rpt_caption_line *lines, size_t max)
{
    int ns = in->n_stages;
    rpt_caption_hit *hit = sim_calloc((size_t)ns + 1, sizeof *hit);
    int *reached = sim_calloc((size_t)ns + 1, sizeof *reached), *told = sim_calloc((size_t)ns + 1, sizeof *told);
    size_t n = 0;
    for (int s = 0; hit && reached && told && s < ns; s++)
        reached[s] = rpt_caption(&in->stages[s].runs[0], in->cfg->scn, i, &hit[s]);
    for (int s = 0; hit && reached && told && s < ns && n < max; s++) {
        if (told[s])
            continue;
        rpt_caption_line *L = &lines[n++];
        memset(L, 0, sizeof *L);
        if (reached[s]) {
            L->t = hit[s].t;
            snprintf(L->clock, sizeof L->clock, "%s", hit[s].clock);
            snprintf(L->text, sizeof L->text, "%s", hit[s].text);
            L->more = hit[s].more;
        }
        size_t at = 0;
        int together = 0;
        for (int o = s; o < ns; o++)
            if (!told[o] && same_hit(reached[s], &hit[s], reached[o], &hit[o])) {
                told[o] = 1;
                together++;
                if (at < sizeof L->stages)
                    at += (size_t)snprintf(L->stages + at, sizeof L->stages - at, "%s%s", at ? ", " : "",
                                           in->stages[o].name);
            }
        if (together == ns) /* every stage alike: no need to name them */
            L->stages[0] = 0;
    }
    sim_free(hit);
    sim_free(reached);
    sim_free(told);
    return n;
}

void rpt_caption_trigger(const scenario *sc, size_t i, char *buf, size_t n)
{
    const scn_caption *c = MDL_ITEM(sc->captions, scn_caption, i);
    if (c->on)
        snprintf(buf, n, "at the first %s event", c->on);
    else
        snprintf(buf, n, "at %s", c->at && c->at->text ? c->at->text : "?");
}
