/* rpt_story.h -- the story of a run in plain words, from its events: one
 * line per moment ("00:01:00  HZ-A lost utility power ..."), events of
 * one kind at the same second told once ("7 promotions: core 00-09, ...");
 * and the scenario's captions as each stage's run reached them. */
#ifndef RPT_STORY_H
#define RPT_STORY_H
#include "rpt.h"

typedef struct rpt_story_line {
    char clock[64];
    char kind[24];
    char text[640];
} rpt_story_line;

/* Fills up to max lines; returns how many; *untold gets the events left
 * out past max. */
size_t rpt_story(const rpt_run *run, const scenario *sc, rpt_story_line *lines, size_t max, size_t *untold);

/* The clock time of run time t: "00:01:04", or "day 3 17:22:22" for runs
 * longer than a day. */
void rpt_clock(const scenario *sc, sim_time t, char *buf, size_t n);

/* ==== Captions ==== */

/* A caption of the scenario as one stage's run reached it. */
typedef struct rpt_caption_hit {
    sim_time t;                 /* run time */
    char clock[64];
    char text[320];             /* its placeholders filled in */
    size_t more;                /* later moments with an event of its `on:` kind, not told */
} rpt_caption_hit;

/* When the run reached caption i of the scenario and what it said then:
 * at its clock time (within the run), or at the first event of its `on:`
 * kind. Returns 1, or 0 when the run never reached it. The placeholders:
 * {time} the clock time; {target} the event's; {detect}, {switch} and
 * {rto} the seconds the incident under way took, counted from its impact
 * as the report's table counts them; {lost} and {rpo} its lost writes and
 * RPO (seconds). */
int rpt_caption(const rpt_run *run, const scenario *sc, size_t i, rpt_caption_hit *out);

/* A line of the report's "what happens when": the stages that reached a
 * caption at the same second, saying the same, told together. */
typedef struct rpt_caption_line {
    sim_time t;                 /* run time */
    char clock[64];             /* "" when these stages never reached it */
    char stages[256];           /* "naive, unit"; "" for every stage */
    char text[320];
    size_t more;
} rpt_caption_line;

/* The lines of caption i, in the order of the stages; returns how many
 * (at most max). */
size_t rpt_caption_lines(const rpt_input *in, size_t i, rpt_caption_line *lines, size_t max);

/* What shows caption i: "at 23:59:00" or "on the first detect". */
void rpt_caption_trigger(const scenario *sc, size_t i, char *buf, size_t n);

#endif /* RPT_STORY_H */
