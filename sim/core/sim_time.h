/* sim_time.h -- simulated time: integer nanoseconds, and the text forms
 * users write and read. Integer time makes equal times exactly equal (ties
 * are then broken by scheduling order) and never drifts, however long a run.
 * Durations are written like Go's: "250ms", "30s", "1h02m03.5s"; clock times
 * like "23:59:30" (time of day; a run's clock wraps past midnight). */
#ifndef SIM_TIME_H
#define SIM_TIME_H
#include <stddef.h>
#include <stdint.h>

typedef int64_t sim_time; /* nanoseconds */

#define SIM_NS ((sim_time)1)
#define SIM_US ((sim_time)1000)
#define SIM_MS ((sim_time)1000000)
#define SIM_SEC ((sim_time)1000000000)
#define SIM_MIN (60 * SIM_SEC)
#define SIM_HOUR (60 * SIM_MIN)
#define SIM_DAY (24 * SIM_HOUR)
#define SIM_TIME_NEVER INT64_MAX /* later than any event */

/* Longest text sim_time_format_duration / _clock write, with the NUL. */
#define SIM_TIME_TEXT_MAX 48

/* Seconds as a double (for statistics and display, never for ordering). */
static inline double sim_time_to_seconds(sim_time t) { return (double)t / 1e9; }

/* Nearest nanosecond to s seconds, saturating at +-SIM_TIME_NEVER. */
sim_time sim_time_from_seconds(double s);

/* Parses a duration: one or more <decimal><unit> parts with units in
 * decreasing order, each at most once (units: d h m s ms us ns), optionally
 * preceded by '-'. "1h02m03.5s", "250ms", "0.5s". Exact (no floating point).
 * Returns 0 and sets *out, or SIM_EINPUT and sets *why to a short reason. */
int sim_time_parse_duration(const char *text, sim_time *out, const char **why);

/* Writes the canonical form of a duration ("0s", "250ms", "1.5us", "1m30s",
 * "1h02m03.5s"); parsing it gives back t exactly. Returns the length. */
size_t sim_time_format_duration(sim_time t, char *buf, size_t size);

/* Parses a clock time "HH:MM", "HH:MM:SS" or "HH:MM:SS.fff" (00:00 to
 * 23:59:59.999999999) into nanoseconds after midnight. Returns 0 or
 * SIM_EINPUT with *why set. */
int sim_time_parse_clock(const char *text, sim_time *out, const char **why);

/* Writes the time of day of t (nanoseconds after some midnight, any sign:
 * it wraps at 24 h) as "HH:MM:SS", adding ".mmm" when t is not a whole
 * second. Returns the length. */
size_t sim_time_format_clock(sim_time t, char *buf, size_t size);

#endif /* SIM_TIME_H */
