/* sim_status.c -- status phrases and the assertion handler. */
#include "sim_status.h"

#include <stdio.h>
#include <stdlib.h>

#include "sim_assert.h"

const char *sim_strerror(int status)
{
    switch (status) {
    case SIM_OK: return "success";
    case SIM_ENOMEM: return "out of memory";
    case SIM_EINPUT: return "bad input";
    case SIM_EIO: return "input/output error";
    case SIM_ELIMIT: return "input exceeds a limit";
    case SIM_EVERDICT: return "a verdict failed";
    case SIM_EINTR: return "interrupted";
    default: return "unknown error";
    }
}

void sim__assert_fail(const char *expr, const char *file, const char *func, int line)
{
    fprintf(stderr, "dcsim: internal error: assertion \"%s\" failed in %s() at %s:%d\n",
            expr, func, file, line);
    fflush(stderr);
    abort();
}
