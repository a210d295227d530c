/* mdl_dist.c -- duration distributions in files: each written form
 * (`{lognormal: {mean, p99}}`, a plain duration, ...) read into a sampler,
 * checked (a lognormal p99/mean past 14.97 has no fit), and printed back
 * the way it was written. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_value.h"
#include "mdl_schema_int.h"
#include "sim_alloc.h"
#include "sim_escape.h"
#include "sim_status.h"

enum dist_form {
    FORM_CONSTANT, FORM_EXPONENTIAL, FORM_LOGNORMAL_P99, FORM_LOGNORMAL_SIGMA, FORM_UNIFORM,
    FORM_NORMAL, FORM_WEIBULL, FORM_PARETO,
};

typedef struct dist_form_desc {
    const char *kind;
    const char *p0, *p1;  /* parameter names (p1 NULL if one) */
    int p0_time, p1_time; /* whether each parameter is a duration */
} dist_form_desc;

static const dist_form_desc forms[] = {
    [FORM_CONSTANT] = {"constant", "value", NULL, 1, 0},
    [FORM_EXPONENTIAL] = {"exponential", "mean", NULL, 1, 0},
    [FORM_LOGNORMAL_P99] = {"lognormal", "mean", "p99", 1, 1},
    [FORM_LOGNORMAL_SIGMA] = {"lognormal", "median", "sigma", 1, 0},
    [FORM_UNIFORM] = {"uniform", "min", "max", 1, 1},
    [FORM_NORMAL] = {"normal", "mean", "sd", 1, 1},
    [FORM_WEIBULL] = {"weibull", "shape", "scale", 0, 1},
    [FORM_PARETO] = {"pareto", "shape", "scale", 0, 1},
};
#define N_FORMS (sizeof forms / sizeof forms[0])

static int param_value(mdl_load *ld, const cfg_node *n, const char *path, int is_time,
                       double *out)
{
    const char *why;
    if (n->kind != CFG_SCALAR) {
        mdl_error(ld, n, path, "expected a %s", is_time ? "duration" : "number");
        return -1;
    }
    if (is_time) {
        sim_time t;
        if (sim_time_parse_duration(n->text, &t, &why)) {
            mdl_error(ld, n, path, "expected a duration such as 5ms (got \"%s\")", n->text);
            return -1;
        }
        *out = sim_time_to_seconds(t);
    } else if (cfg_parse_real(n->text, out, &why)) {
        mdl_error(ld, n, path, "%s (got \"%s\")", why, n->text);
        return -1;
    }
    return 0;
}

/* Turns the written parameters into a sim_dist, checking they make sense. */
int mdl__dist_build(mdl_dist *d, const char **why)
{
    double a = d->p[0], b = d->p[1];
    switch (d->form) {
    case FORM_CONSTANT:
        if (a < 0) { *why = "must not be negative"; return -1; }
        d->d = (sim_dist){SIM_DIST_CONSTANT, a, 0};
        return 0;
    case FORM_EXPONENTIAL:
        if (!(a > 0)) { *why = "mean must be positive"; return -1; }
        d->d = (sim_dist){SIM_DIST_EXPONENTIAL, a, 0};
        return 0;
    case FORM_LOGNORMAL_P99: {
        double mu, sigma;
        if (sim_lognormal_from_mean_p99(a, b, &mu, &sigma, why))
            return -1;
        d->d = (sim_dist){SIM_DIST_LOGNORMAL, mu, sigma};
        return 0;
    }
    case FORM_LOGNORMAL_SIGMA:
        if (!(a > 0) || !(b > 0) || b > 5) { *why = "median must be positive, sigma in (0, 5]"; return -1; }
        d->d = (sim_dist){SIM_DIST_LOGNORMAL, log(a), b};
        return 0;
    case FORM_UNIFORM:
        if (a < 0 || !(b > a)) { *why = "need 0 <= min < max"; return -1; }
        d->d = (sim_dist){SIM_DIST_UNIFORM, a, b};
        return 0;
    case FORM_NORMAL:
        if (a < 0 || b < 0) { *why = "mean and sd must not be negative"; return -1; }
        d->d = (sim_dist){SIM_DIST_NORMAL, a, b};
        return 0;
    case FORM_WEIBULL:
        if (!(a > 0.05) || !(b > 0)) { *why = "shape must be above 0.05, scale positive"; return -1; }
        d->d = (sim_dist){SIM_DIST_WEIBULL, a, b};
        return 0;
    default:
        if (!(a > 0.1) || !(b > 0)) { *why = "shape must be above 0.1, scale positive"; return -1; }
        d->d = (sim_dist){SIM_DIST_PARETO, a, b};
        return 0;
    }
}

int mdl__dist_load(mdl_load *ld, const cfg_node *n, const char *path, mdl_dist *out)
{
    const char *why;
    memset(out, 0, sizeof *out);
    if (n->kind == CFG_SCALAR) { /* a plain duration: a constant */
        sim_time t;
        if (sim_time_parse_duration(n->text, &t, &why)) {
            mdl_error(ld, n, path,
                      "expected a duration or a distribution such as {lognormal: {mean: 5ms, p99: 40ms}} (got \"%s\")",
                      n->text);
            return -1;
        }
        out->form = FORM_CONSTANT;
        out->p[0] = sim_time_to_seconds(t);
    } else if (n->kind != CFG_MAP || n->n != 1) {
        mdl_error(ld, n, path,
                  "expected a duration or a one-key mapping naming the distribution, such as {exponential: {mean: 5ms}}");
        return -1;
    } else {
        const char *kind = n->keys[0]->text;
        const cfg_node *params = n->items[0];
        int found = 0, form = -1;
        for (size_t f = 0; f < N_FORMS; f++) {
            if (strcmp(forms[f].kind, kind) != 0)
                continue;
            found = 1;
            if (f == FORM_CONSTANT && params->kind == CFG_SCALAR) {
                form = (int)f;
                break;
            }
            if (params->kind == CFG_MAP && cfg_map_get(params, forms[f].p0) &&
                (!forms[f].p1 || cfg_map_get(params, forms[f].p1))) {
                form = (int)f;
                break;
            }
        }
        const char *const kinds[] = {"constant", "exponential", "lognormal", "uniform",
                                     "normal", "weibull", "pareto"};
        if (!found) {
            const char *guess = mdl_did_you_mean(kind, kinds, 7);
            char known[160];
            mdl_known_list(known, sizeof known, kinds, 7);
            if (guess)
                mdl_error(ld, n->keys[0], path, "unknown distribution \"%s\" (did you mean \"%s\"?)", kind, guess);
            else
                mdl_error(ld, n->keys[0], path, "unknown distribution \"%s\" (%s)", kind, known);
            return -1;
        }
        if (form < 0) {
            const char *what = strcmp(kind, "lognormal") == 0 ? "{mean, p99} or {median, sigma}"
                               : strcmp(kind, "exponential") == 0 ? "{mean}"
                               : strcmp(kind, "uniform") == 0     ? "{min, max}"
                               : strcmp(kind, "normal") == 0      ? "{mean, sd}"
                               : strcmp(kind, "constant") == 0    ? "a duration"
                                                                  : "{shape, scale}";
            mdl_error(ld, params, path, "%s takes %s", kind, what);
            return -1;
        }
        out->form = form;
        if (form == FORM_CONSTANT) {
            if (param_value(ld, params, path, 1, &out->p[0]))
                return -1;
        } else {
            for (size_t i = 0; i < params->n; i++) {
                const char *k = params->keys[i]->text;
                if (strcmp(k, forms[form].p0) && (!forms[form].p1 || strcmp(k, forms[form].p1))) {
                    mdl_error(ld, params->keys[i], path, "%s takes %s%s%s, not \"%s\"", kind,
                              forms[form].p0, forms[form].p1 ? " and " : "",
                              forms[form].p1 ? forms[form].p1 : "", k);
                    return -1;
                }
            }
            if (param_value(ld, cfg_map_get(params, forms[form].p0), path, forms[form].p0_time,
                            &out->p[0]))
                return -1;
            if (forms[form].p1 && param_value(ld, cfg_map_get(params, forms[form].p1), path,
                                              forms[form].p1_time, &out->p[1]))
                return -1;
        }
    }
    if (mdl__dist_build(out, &why)) {
        mdl_error(ld, n, path, "%s", why);
        return -1;
    }
    return 0;
}

static void format_param(char *buf, size_t size, double v, int is_time)
{
    if (is_time)
        sim_time_format_duration(sim_time_from_seconds(v), buf, size);
    else
        cfg_format_real(v, buf, size);
}

void mdl__dist_print(FILE *out, const mdl_dist *d)
{
    char a[64], b[64];
    const dist_form_desc *f = &forms[d->form];
    format_param(a, sizeof a, d->p[0], f->p0_time);
    if (d->form == FORM_CONSTANT) {
        fputs(a, out);
        return;
    }
    if (!f->p1) {
        fprintf(out, "{%s: {%s: %s}}", f->kind, f->p0, a);
        return;
    }
    format_param(b, sizeof b, d->p[1], f->p1_time);
    fprintf(out, "{%s: {%s: %s, %s: %s}}", f->kind, f->p0, a, f->p1, b);
}

void mdl__dist_constant(mdl_dist *d, double seconds)
{
    const char *why;
    d->form = FORM_CONSTANT;
    d->p[0] = seconds;
    mdl__dist_build(d, &why); /* a constant always builds */
}
