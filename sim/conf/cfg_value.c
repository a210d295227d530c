/* cfg_value.c -- exact parsing and canonical printing of unit values. */
#include "cfg_value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_status.h"

/* Scans a decimal number at s: [-+]digits[.digits][e[-+]digits]. Returns
 * its length, 0 if there is none. *has_exp tells whether it had an exponent. */
static size_t scan_number(const char *s, int *has_exp)
{
    size_t i = 0, digits = 0;
    *has_exp = 0;
    if (s[i] == '-' || s[i] == '+')
        i++;
    while (s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (s[i] == '.') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '-' || s[j] == '+')
            j++;
        if (s[j] >= '0' && s[j] <= '9') {
            while (s[j] >= '0' && s[j] <= '9')
                j++;
            *has_exp = 1;
            i = j;
        }
    }
    return i;
}

/* The number s[0..len) times 10^power10, rounded once (strtod does the
 * decimal-to-binary conversion exactly). */
static int to_double(const char *s, size_t len, int power10, int has_exp, double *out,
                     const char **why)
{
    char buf[96];
    if (len + 8 >= sizeof buf) {
        *why = "number too long";
        return SIM_EINPUT;
    }
    if (power10 && has_exp) {
        *why = "use either an exponent or a unit prefix, not both";
        return SIM_EINPUT;
    }
    memcpy(buf, s, len);
    if (power10)
        snprintf(buf + len, sizeof buf - len, "e%d", power10);
    else
        buf[len] = '\0';
    char *end;
    double v = strtod(buf, &end);
    if (*end || !isfinite(v)) {
        *why = "number out of range";
        return SIM_EINPUT;
    }
    *out = v;
    return SIM_OK;
}

int cfg_parse_real(const char *s, double *out, const char **why)
{
    int has_exp;
    size_t n = scan_number(s, &has_exp);
    if (n == 0 || s[n]) {
        *why = "expected a number";
        return SIM_EINPUT;
    }
    return to_double(s, n, 0, has_exp, out, why);
}

static int prefix_power(char c)
{
    switch (c) {
    case 'k': return 3;
    case 'M': return 6;
    case 'G': return 9;
    case 'T': return 12;
    default: return 0;
    }
}

int cfg_parse_count(const char *s, double *out, const char **why)
{
    int has_exp;
    size_t n = scan_number(s, &has_exp);
    int p = n ? prefix_power(s[n]) : 0;
    if (n == 0 || (p ? s[n + 1] : s[n])) {
        *why = "expected a number such as 42, 1.5k or 600M";
        return SIM_EINPUT;
    }
    return to_double(s, n, p, has_exp, out, why);
}

int cfg_parse_int(const char *s, int64_t *out, const char **why)
{
    double v;
    if (cfg_parse_count(s, &v, why))
        return SIM_EINPUT;
    if (v != floor(v) || fabs(v) > 9e15) {
        *why = "expected a whole number";
        return SIM_EINPUT;
    }
    *out = (int64_t)v;
    return SIM_OK;
}

int cfg_parse_percent(const char *s, double *percent, const char **why)
{
    int has_exp;
    size_t n = scan_number(s, &has_exp);
    if (n == 0 || s[n] != '%' || s[n + 1]) {
        *why = "expected a percentage such as 99.9%";
        return SIM_EINPUT;
    }
    return to_double(s, n, 0, has_exp, percent, why);
}

int cfg_parse_rate(const char *s, double *per_second, const char **why)
{
    int has_exp;
    size_t n = scan_number(s, &has_exp);
    const char *unit = s + n;
    int p = n ? prefix_power(*unit) : 0;
    if (p)
        unit++;
    double per = strcmp(unit, "/s") == 0 ? 1 : strcmp(unit, "/min") == 0 ? 60
                                            : strcmp(unit, "/h") == 0     ? 3600
                                                                          : 0;
    if (n == 0 || per == 0) {
        *why = "expected a rate such as 544k/s, 90/min or 5/h";
        return SIM_EINPUT;
    }
    double v;
    if (to_double(s, n, p, has_exp, &v, why))
        return SIM_EINPUT;
    *per_second = v / per;
    return SIM_OK;
}

int cfg_parse_bandwidth(const char *s, double *bps, const char **why)
{
    int has_exp;
    size_t n = scan_number(s, &has_exp);
    const char *unit = s + n;
    int p = n ? prefix_power(*unit) : 0;
    if (p)
        unit++;
    double factor = strcmp(unit, "bit/s") == 0 ? 1 : strcmp(unit, "B/s") == 0 ? 8 : 0;
    if (n == 0 || factor == 0) {
        *why = "expected a bandwidth such as 10Gbit/s or 1.5GB/s";
        return SIM_EINPUT;
    }
    double v;
    if (to_double(s, n, p, has_exp, &v, why))
        return SIM_EINPUT;
    *bps = v * factor;
    return SIM_OK;
}

int cfg_parse_size(const char *s, double *bytes, const char **why)
{
    int has_exp;
    size_t n = scan_number(s, &has_exp);
    const char *unit = s + n;
    double factor = 0;
    int p = 0;
    if (strcmp(unit, "B") == 0)
        factor = 1;
    else if (strcmp(unit, "KiB") == 0)
        factor = 1024;
    else if (strcmp(unit, "MiB") == 0)
        factor = 1024.0 * 1024;
    else if (strcmp(unit, "GiB") == 0)
        factor = 1024.0 * 1024 * 1024;
    else if ((p = prefix_power(*unit)) && strcmp(unit + 1, "B") == 0)
        factor = 1;
    if (n == 0 || factor == 0) {
        *why = "expected a size such as 512B, 2kB or 4KiB";
        return SIM_EINPUT;
    }
    double v;
    if (to_double(s, n, p, has_exp, &v, why))
        return SIM_EINPUT;
    *bytes = v * factor;
    return SIM_OK;
}

int cfg_parse_bool(const char *s, int *out, const char **why)
{
    if (strcmp(s, "true") == 0)
        *out = 1;
    else if (strcmp(s, "false") == 0)
        *out = 0;
    else {
        *why = "expected true or false";
        return SIM_EINPUT;
    }
    return SIM_OK;
}

/* ==== Printing ==== */

char *cfg_format_real(double v, char *buf, size_t size)
{
    if (v == 0) { /* and -0 */
        snprintf(buf, size, "0");
        return buf;
    }
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    /* %g writes 500 as 5e+02 at one digit: people read plain decimals, so
     * use them for every ordinary magnitude. */
    double mag = fabs(v);
    if (strchr(buf, 'e') && mag >= 1e-4 && mag < 1e16) {
        int decimals = prec - 1 - (int)floor(log10(mag));
        if (decimals < 0)
            decimals = 0;
        char plain[CFG_VALUE_TEXT_MAX];
        snprintf(plain, sizeof plain, "%.*f", decimals, v);
        if (strtod(plain, NULL) == v) {
            snprintf(buf, size, "%s", plain);
            return buf;
        }
    }
    /* Otherwise keep the exponent in the form the parser reads, no '+'. */
    char *plus = strchr(buf, '+');
    if (plus)
        memmove(plus, plus + 1, strlen(plus));
    return buf;
}

/* v as "<shortest>" + prefix + unit, taking the largest prefix that parses
 * back to exactly v; parse is the matching parser. */
static char *format_prefixed(double v, const char *unit, int allow_tera,
                             int (*parse)(const char *, double *, const char **), char *buf,
                             size_t size)
{
    static const char prefixes[] = {'T', 'G', 'M', 'k'};
    static const int powers[] = {12, 9, 6, 3};
    char num[CFG_VALUE_TEXT_MAX];
    for (int i = allow_tera ? 0 : 1; i < 4; i++) {
        double scaled = v / pow(10, powers[i]);
        if (fabs(scaled) < 1)
            continue;
        cfg_format_real(scaled, num, sizeof num);
        if (strchr(num, 'e'))
            continue;
        snprintf(buf, size, "%s%c%s", num, prefixes[i], unit);
        double back;
        const char *why;
        if (parse(buf, &back, &why) == SIM_OK && back == v)
            return buf;
    }
    cfg_format_real(v, num, sizeof num);
    snprintf(buf, size, "%s%s", num, unit);
    return buf;
}

static int parse_count_only(const char *s, double *v, const char **why)
{
    return cfg_parse_count(s, v, why);
}

char *cfg_format_count(double v, char *buf, size_t size)
{
    return format_prefixed(v, "", 1, parse_count_only, buf, size);
}

char *cfg_format_percent(double percent, char *buf, size_t size)
{
    char num[CFG_VALUE_TEXT_MAX];
    cfg_format_real(percent, num, sizeof num);
    snprintf(buf, size, "%s%%", num);
    return buf;
}

char *cfg_format_rate(double per_second, char *buf, size_t size)
{
    return format_prefixed(per_second, "/s", 0, cfg_parse_rate, buf, size);
}

char *cfg_format_bandwidth(double bps, char *buf, size_t size)
{
    return format_prefixed(bps, "bit/s", 1, cfg_parse_bandwidth, buf, size);
}

static int parse_size_decimal(const char *s, double *v, const char **why)
{
    return cfg_parse_size(s, v, why);
}

char *cfg_format_size(double bytes, char *buf, size_t size)
{
    return format_prefixed(bytes, "B", 1, parse_size_decimal, buf, size);
}

int cfg_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < best)
                best = d[i - 1][j - 1] + cost;
            /* a swap of neighbours counts as one edit */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}
