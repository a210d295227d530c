/* sim_time.c -- parsing and printing durations and clock times, exactly. */
#include "sim_time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim_status.h"

sim_time sim_time_from_seconds(double s)
{
    double ns = s * 1e9;
    if (!(ns < 9.2e18))
        return ns != ns ? 0 : SIM_TIME_NEVER;
    if (ns <= -9.2e18)
        return -SIM_TIME_NEVER;
    return (sim_time)llround(ns);
}

struct unit { const char *name; sim_time ns; };

/* Longest names first, so "ms" is not read as "m" followed by "s". */
static const struct unit units[] = {
    {"ms", SIM_MS}, {"us", SIM_US}, {"ns", SIM_NS}, {"\xc2\xb5s", SIM_US},
    {"d", SIM_DAY}, {"h", SIM_HOUR}, {"m", SIM_MIN}, {"s", SIM_SEC},
};

static const struct unit *match_unit(const char *p, size_t *len)
{
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].name);
        if (strncmp(p, units[i].name, n) == 0) {
            *len = n;
            return &units[i];
        }
    }
    return NULL;
}

/* Reads "123.45" at *pp into whole part, fraction digits and their count. */
static int parse_decimal(const char **pp, uint64_t *whole_out, uint64_t *frac_out,
                         int *frac_digits, const char **why)
{
    const char *p = *pp;
    uint64_t whole = 0, frac = 0;
    int digits = 0, fd = 0;
    while (*p >= '0' && *p <= '9') {
        if (whole > (UINT64_MAX - 9) / 10) {
            *why = "number too large";
            return SIM_EINPUT;
        }
        whole = whole * 10 + (uint64_t)(*p++ - '0');
        digits++;
    }
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') {
            if (fd >= 18) { /* beyond any unit's nanosecond resolution */
                if (*p++ != '0') {
                    *why = "finer than one nanosecond";
                    return SIM_EINPUT;
                }
                continue;
            }
            frac = frac * 10 + (uint64_t)(*p++ - '0');
            fd++;
            digits++;
        }
    }
    if (digits == 0) {
        *why = "expected a number";
        return SIM_EINPUT;
    }
    *whole_out = whole;
    *frac_out = frac;
    *frac_digits = fd;
    *pp = p;
    return SIM_OK;
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

int sim_time_parse_duration(const char *text, sim_time *out, const char **why)
{
    const char *p = text;
    int negative = 0;
    if (*p == '-') {
        negative = 1;
        p++;
    } else if (*p == '+') {
        p++;
    }
    if (*p == '\0') {
        *why = "empty duration";
        return SIM_EINPUT;
    }
    sim_time total = 0, last_unit = SIM_TIME_NEVER;
    while (*p) {
        uint64_t whole, frac;
        int frac_digits;
        if (*p == ' ' || *p == '\t') {
            *why = "no spaces inside a duration (write 1h02m, not 1h 2m)";
            return SIM_EINPUT;
        }
        if (parse_decimal(&p, &whole, &frac, &frac_digits, why))
            return SIM_EINPUT;
        size_t len = 0;
        const struct unit *u = match_unit(p, &len);
        if (!u) {
            *why = *p ? "unknown unit (use d, h, m, s, ms, us or ns)"
                      : "missing unit (use d, h, m, s, ms, us or ns)";
            return SIM_EINPUT;
        }
        if (u->ns >= last_unit) {
            *why = "units must decrease (as in 1h02m03s) and appear once";
            return SIM_EINPUT;
        }
        last_unit = u->ns;
        p += len;
        if (whole > (uint64_t)(SIM_TIME_NEVER / u->ns)) {
            *why = "duration too large";
            return SIM_EINPUT;
        }
        sim_time part = (sim_time)whole * u->ns;
        /* frac / 10^frac_digits of the unit must be whole nanoseconds. Divide
         * both by their gcd first: the product is then below one unit, so it
         * cannot overflow. */
        if (frac) {
            uint64_t pow10 = 1;
            for (int i = 0; i < frac_digits; i++)
                pow10 *= 10;
            uint64_t g = gcd_u64((uint64_t)u->ns, pow10);
            if (frac % (pow10 / g) != 0) {
                *why = "finer than one nanosecond";
                return SIM_EINPUT;
            }
            part += (sim_time)(frac / (pow10 / g) * ((uint64_t)u->ns / g));
        }
        if (part > SIM_TIME_NEVER - total) {
            *why = "duration too large";
            return SIM_EINPUT;
        }
        total += part;
    }
    *out = negative ? -total : total;
    return SIM_OK;
}

/* Writes "<whole>[.<frac>]" where value = whole + frac/scale, trimming zeros. */
static size_t put_decimal(char *buf, size_t size, uint64_t value, uint64_t scale, int width)
{
    uint64_t whole = value / scale, frac = value % scale;
    int n = width ? snprintf(buf, size, "%0*llu", width, (unsigned long long)whole)
                  : snprintf(buf, size, "%llu", (unsigned long long)whole);
    if (frac) {
        char digits[24];
        int nd = 0;
        for (uint64_t s = scale; s > 1 && nd < 19; s /= 10)
            nd++;
        /* Digits by hand: scale <= 1e18, so nd <= 18 fits. */
        for (int i = nd - 1; i >= 0; i--, frac /= 10)
            digits[i] = (char)('0' + frac % 10);
        digits[nd] = '\0';
        while (nd > 0 && digits[nd - 1] == '0')
            digits[--nd] = '\0';
        n += snprintf(buf + ((size_t)n < size ? (size_t)n : size), (size_t)n < size ? size - (size_t)n : 0,
                      ".%s", digits);
    }
    return (size_t)n;
}

static size_t append(char *buf, size_t size, size_t at, const char *s)
{
    size_t n = strlen(s);
    if (at < size) {
        size_t room = size - at - 1;
        memcpy(buf + at, s, n < room ? n : room);
        buf[at + (n < room ? n : room)] = '\0';
    }
    return at + n;
}

size_t sim_time_format_duration(sim_time t, char *buf, size_t size)
{
    char part[40];
    size_t at = 0;
    if (size)
        buf[0] = '\0';
    uint64_t v = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    if (t < 0)
        at = append(buf, size, at, "-");
    if (v == 0)
        return append(buf, size, at, "0s");
    if (v < (uint64_t)SIM_SEC) {
        uint64_t scale = v >= (uint64_t)SIM_MS ? SIM_MS : v >= (uint64_t)SIM_US ? SIM_US : 1;
        const char *unit = scale == SIM_MS ? "ms" : scale == SIM_US ? "us" : "ns";
        put_decimal(part, sizeof part, v, scale, 0);
        at = append(buf, size, at, part);
        return append(buf, size, at, unit);
    }
    uint64_t hours = v / SIM_HOUR, minutes = v % SIM_HOUR / SIM_MIN, rest = v % SIM_MIN;
    int printed = 0;
    if (hours) {
        snprintf(part, sizeof part, "%lluh", (unsigned long long)hours);
        at = append(buf, size, at, part);
        printed = 1;
    }
    if (minutes || (printed && rest)) {
        snprintf(part, sizeof part, printed ? "%02llum" : "%llum", (unsigned long long)minutes);
        at = append(buf, size, at, part);
        printed = 1;
    }
    if (rest || !printed) {
        put_decimal(part, sizeof part, rest, SIM_SEC, printed ? 2 : 0);
        at = append(buf, size, at, part);
        at = append(buf, size, at, "s");
    }
    return at;
}

static int parse_2digits(const char **pp, int max, int *out)
{
    const char *p = *pp;
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
    int v = (p[0] - '0') * 10 + (p[1] - '0');
    if (v > max)
        return -1;
    *out = v;
    *pp = p + 2;
    return 0;
}

int sim_time_parse_clock(const char *text, sim_time *out, const char **why)
{
    const char *p = text;
    int h, m, s = 0;
    if (parse_2digits(&p, 23, &h) || *p++ != ':' || parse_2digits(&p, 59, &m)) {
        *why = "expected a clock time HH:MM[:SS[.fff]] from 00:00 to 23:59:59";
        return SIM_EINPUT;
    }
    sim_time frac = 0;
    if (*p == ':') {
        p++;
        if (parse_2digits(&p, 59, &s)) {
            *why = "expected seconds 00 to 59 after HH:MM:";
            return SIM_EINPUT;
        }
        if (*p == '.') {
            p++;
            sim_time scale = SIM_SEC / 10;
            if (*p < '0' || *p > '9') {
                *why = "expected digits after the decimal point";
                return SIM_EINPUT;
            }
            while (*p >= '0' && *p <= '9') {
                if (scale == 0) {
                    *why = "finer than one nanosecond";
                    return SIM_EINPUT;
                }
                frac += (*p++ - '0') * scale;
                scale /= 10;
            }
        }
    }
    if (*p) {
        *why = "unexpected text after the clock time";
        return SIM_EINPUT;
    }
    *out = h * SIM_HOUR + m * SIM_MIN + s * SIM_SEC + frac;
    return SIM_OK;
}

size_t sim_time_format_clock(sim_time t, char *buf, size_t size)
{
    sim_time day = t % SIM_DAY;
    if (day < 0)
        day += SIM_DAY;
    int h = (int)(day / SIM_HOUR), m = (int)(day % SIM_HOUR / SIM_MIN);
    sim_time rest = day % SIM_MIN;
    char secs[32];
    put_decimal(secs, sizeof secs, (uint64_t)rest, SIM_SEC, 2);
    int n = snprintf(buf, size, "%02d:%02d:%s", h, m, secs);
    return n < 0 ? 0 : (size_t)n;
}
