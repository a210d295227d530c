/* mdl_junit.c -- JUnit XML, escaped. */
#include "mdl_junit.h"

#include "sim_assert.h"
#include "sim_escape.h"

static void indent(mdl_junit *j) { fprintf(j->f, "%*s", 2 * j->depth, ""); }

void mdl_junit_open(mdl_junit *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
}

static void open_suite(mdl_junit *j, int many, const char *name, int tests, int failures)
{
    SIM_ASSERT(j->depth < 4);
    indent(j);
    fprintf(j->f, "<%s name=\"", many ? "testsuites" : "testsuite");
    sim_escape_markup(j->f, name);
    fprintf(j->f, "\" tests=\"%d\" failures=\"%d\">\n", tests, failures);
    j->suites[j->depth++] = many;
}

void mdl_junit_suites(mdl_junit *j, const char *name, int tests, int failures)
{
    open_suite(j, 1, name, tests, failures);
}

void mdl_junit_suite(mdl_junit *j, const char *name, int tests, int failures)
{
    open_suite(j, 0, name, tests, failures);
}

void mdl_junit_close(mdl_junit *j)
{
    SIM_ASSERT(j->depth > 0);
    j->depth--;
    indent(j);
    fputs(j->suites[j->depth] ? "</testsuites>\n" : "</testsuite>\n", j->f);
}

void mdl_junit_case(mdl_junit *j, const char *classname, const char *name, const char *failure)
{
    indent(j);
    fputs("<testcase classname=\"", j->f);
    sim_escape_markup(j->f, classname);
    fputs("\" name=\"", j->f);
    sim_escape_markup(j->f, name);
    if (!failure) {
        fputs("\"/>\n", j->f);
        return;
    }
    fputs("\">\n", j->f);
    j->depth++;
    indent(j);
    fputs("<failure message=\"", j->f);
    sim_escape_markup(j->f, failure);
    fputs("\"/>\n", j->f);
    j->depth--;
    indent(j);
    fputs("</testcase>\n", j->f);
}
