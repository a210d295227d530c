/* rpt_story.c -- events.csv retold: grouped by moment and kind. */
#include "rpt_story.h"

#include <stdio.h>
#include <string.h>

#include "mdl_files.h"

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
