/* vz_ticks.h -- where an axis puts its ticks and what it writes there:
 * round values (1, 2, 5 times a power of ten), decades on a log axis, and
 * round clock times (00:05:00, not 00:04:37) on a time axis. Pure
 * arithmetic: no drawing. */
#ifndef VZ_TICKS_H
#define VZ_TICKS_H
#include <stddef.h>

/* Ticks at multiples of a round step within [lo, hi], about `target` of
 * them. Returns how many were written (at most max); *step gets the step. */
size_t vz_ticks_linear(double lo, double hi, int target, double *out, size_t max, double *step);

/* Ticks at 1, 10, 100... within [lo, hi] (lo > 0); with fewer than three
 * decades also at 2 and 5 times them. */
size_t vz_ticks_log(double lo, double hi, double *out, size_t max);

/* Ticks for a time axis. x is seconds after an origin whose clock time is
 * origin_clock (seconds since a midnight); ticks fall on round clock times
 * (multiples of 1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3,
 * 6, 12 h; days) chosen for about `target` ticks. out gets x values. */
size_t vz_ticks_time(double lo, double hi, double origin_clock, int target, double *out, size_t max,
                     double *step);

/* The clock time origin_clock + x as a label fitting the step: "23:59:50"
 * (steps under a minute), "00:05", "day 3 12:00" (steps of hours), "day 3"
 * (steps of days); days count from the origin's midnight. */
void vz_format_clock(double origin_clock, double x, double step, char *buf, size_t n);

/* A tick value with the precision its step needs and SI suffixes from a
 * thousand up: "0.5", "250", "1.5k", "20M". */
void vz_format_number(double v, double step, char *buf, size_t n);

/* A count for text: "1,234,567" below a million, else "12.3 M". */
void vz_format_count(double v, char *buf, size_t n);

#endif /* VZ_TICKS_H */
