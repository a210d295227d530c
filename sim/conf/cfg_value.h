/* cfg_value.h -- the text forms of the values dcsim's files hold, each
 * parsed exactly and printed in one canonical form that parses back to the
 * same value (so `dcsim show` is a fixed point). Durations and clock times
 * are in sim_time.h; the rest is here:
 *   counts      42, 600M, 1.5k, 6e8        (k M G T: powers of ten)
 *   reals       0.25, -3, 1e-9
 *   percentages 99.99%                     (kept in percent: 99.99)
 *   rates       544k/s, 90/min, 5/h        (kept per second)
 *   bandwidths  10Gbit/s, 400Mbit/s, 1.5GB/s (kept in bits per second)
 *   sizes       512B, 2kB, 4KiB, 1MB       (kept in bytes)
 *   booleans    true, false
 * Each parser returns 0, or SIM_EINPUT with *why a short phrase saying what
 * was expected. Values never depend on the locale. */
#ifndef CFG_VALUE_H
#define CFG_VALUE_H
#include <stddef.h>
#include <stdint.h>

int cfg_parse_real(const char *s, double *out, const char **why);
int cfg_parse_count(const char *s, double *out, const char **why);
int cfg_parse_int(const char *s, int64_t *out, const char **why);
int cfg_parse_percent(const char *s, double *percent, const char **why);
int cfg_parse_rate(const char *s, double *per_second, const char **why);
int cfg_parse_bandwidth(const char *s, double *bits_per_second, const char **why);
int cfg_parse_size(const char *s, double *bytes, const char **why);
int cfg_parse_bool(const char *s, int *out, const char **why);

/* Canonical forms; each returns buf. */
#define CFG_VALUE_TEXT_MAX 64
char *cfg_format_real(double v, char *buf, size_t size);  /* shortest exact */
char *cfg_format_count(double v, char *buf, size_t size); /* 600M */
char *cfg_format_percent(double percent, char *buf, size_t size);
char *cfg_format_rate(double per_second, char *buf, size_t size);
char *cfg_format_bandwidth(double bits_per_second, char *buf, size_t size);
char *cfg_format_size(double bytes, char *buf, size_t size);

/* Edit distance between two short words (for "did you mean"). */
int cfg_edit_distance(const char *a, const char *b);

#endif /* CFG_VALUE_H */
