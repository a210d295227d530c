/* mdl_junit.h -- the one JUnit XML writer: a run's junit.xml (a suite of
 * its verdicts) and a comparison's (a suite per stage), so that CI systems
 * read a scenario's verdicts as tests. Every name and message escaped;
 * elements indented two spaces a level. */
#ifndef MDL_JUNIT_H
#define MDL_JUNIT_H
#include <stdio.h>

typedef struct mdl_junit {
    FILE *f;
    int depth;
    int suites[4];              /* per open level: 1 testsuites, 0 testsuite */
} mdl_junit;

/* Starts a document (the XML declaration). */
void mdl_junit_open(mdl_junit *j, FILE *f);
/* <testsuites> and <testsuite>, closed by mdl_junit_close. */
void mdl_junit_suites(mdl_junit *j, const char *name, int tests, int failures);
void mdl_junit_suite(mdl_junit *j, const char *name, int tests, int failures);
void mdl_junit_close(mdl_junit *j);
/* One test case; failure: its message, or NULL when it passed. */
void mdl_junit_case(mdl_junit *j, const char *classname, const char *name, const char *failure);

#endif /* MDL_JUNIT_H */
