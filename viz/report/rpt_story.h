/* rpt_story.h -- the story of a run in plain words, from its events: one
 * line per moment ("00:01:00  HZ-A lost utility power ..."), events of
 * one kind at the same second told once ("7 promotions: core 00-09, ..."). */
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

#endif /* RPT_STORY_H */
