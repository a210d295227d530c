/* vz_ticks.c -- round tick values and their labels. */
#include "vz_ticks.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t vz_ticks_linear(double lo, double hi, int target, double *out, size_t max, double *step)
{
    if (!(hi > lo)) {
        hi = lo + 1;
    }
    if (target < 2)
        target = 2;
    double raw = (hi - lo) / target;
    double mag = pow(10, floor(log10(raw)));
    double s = mag;
    static const double nice[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
        if (nice[i] * mag >= raw) {
            s = nice[i] * mag;
            break;
        }
    *step = s;
    size_t n = 0;
    /* Multiples of s; the small epsilon keeps 0.3 = 3 x 0.1 in. */
    for (double k = ceil(lo / s - 1e-9); n < max && k * s <= hi + s * 1e-9; k++)
        out[n++] = fabs(k * s) < s * 1e-9 ? 0 : k * s;
    return n;
}

size_t vz_ticks_log(double lo, double hi, double *out, size_t max)
{
    size_t n = 0;
    if (!(lo > 0) || !(hi > lo))
        return 0;
    int d0 = (int)floor(log10(lo)), d1 = (int)ceil(log10(hi));
    int fine = d1 - d0 < 3;
    for (int d = d0; d <= d1 && n < max; d++) {
        static const double subs[] = {1, 2, 5};
        for (int i = 0; i < (fine ? 3 : 1) && n < max; i++) {
            double v = subs[i] * pow(10, d);
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9))
                out[n++] = v;
        }
    }
    return n;
}

size_t vz_ticks_time(double lo, double hi, double origin_clock, int target, double *out, size_t max,
                     double *step)
{
    static const double ladder[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
                                    10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400,
                                    30 * 86400, 61 * 86400, 91 * 86400};
    double span = hi - lo, s = ladder[sizeof ladder / sizeof *ladder - 1];
    for (size_t i = 0; i < sizeof ladder / sizeof *ladder; i++)
        if (span / ladder[i] <= target) {
            s = ladder[i];
            break;
        }
    *step = s;
    size_t n = 0;
    /* Round in clock time: the first multiple of s at or after lo. */
    double first = ceil((origin_clock + lo) / s - 1e-9) * s - origin_clock;
    for (double x = first; n < max && x <= hi + 1e-9; x += s)
        out[n++] = x;
    return n;
}

void vz_format_clock(double origin_clock, double x, double step, char *buf, size_t n)
{
    double t = origin_clock + x;
    long long total = (long long)floor(t + 0.5);
    long long day = total / 86400, sec = total % 86400;
    int h = (int)(sec / 3600), m = (int)(sec / 60 % 60), s = (int)(sec % 60);
    if (step >= 86400)
        snprintf(buf, n, "day %lld", day);
    else if (step >= 3600) /* hours apart: the axis spans many, say which day */
        snprintf(buf, n, "day %lld %02d:%02d", day, h, m);
    else if (step >= 60)
        snprintf(buf, n, "%02d:%02d", h, m);
    else
        snprintf(buf, n, "%02d:%02d:%02d", h, m, s);
}

void vz_format_number(double v, double step, char *buf, size_t n)
{
    static const char *const suffix[] = {"", "k", "M", "G", "T"};
    int k = 0;
    double scaled = v, s = step > 0 ? step : fabs(v);
    while (fabs(scaled) >= 1000 && k < 4) {
        scaled /= 1000;
        s /= 1000;
        k++;
    }
    int decimals = 0;
    if (s > 0 && s < 1)
        decimals = (int)ceil(-log10(s) - 1e-9);
    if (s > 0 && fmod(s * pow(10, decimals), 1) > 1e-6) /* 2.5 */
        decimals++;
    if (decimals > 6)
        decimals = 6;
    if (fabs(scaled) < 1e-12)
        scaled = 0;
    snprintf(buf, n, "%.*f%s", decimals, scaled, suffix[k]);
}

void vz_format_count(double v, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "-");
        return;
    }
    if (fabs(v) >= 1e6) {
        snprintf(buf, n, "%.1f M", v / 1e6);
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t len = strlen(digits), at = 0;
    if (v < 0 && at + 1 < n)
        buf[at++] = '-';
    for (size_t i = 0; i < len && at + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[at++] = ',';
        buf[at++] = digits[i];
    }
    buf[at] = 0;
}
