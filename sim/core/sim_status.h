/* sim_status.h -- status codes shared by every dcsim module.
 * As in libuv, 0 is success and negative values are errors; bugs are not
 * statuses (they are SIM_ASSERT failures). main() maps statuses to exit codes. */
#ifndef SIM_STATUS_H
#define SIM_STATUS_H

enum {
    SIM_OK = 0,
    SIM_ENOMEM = -1,   /* an allocation failed */
    SIM_EINPUT = -2,   /* bad input: a file, a value, a command-line option */
    SIM_EIO = -3,      /* a file could not be read or written */
    SIM_ELIMIT = -4,   /* input asks for more than the configured limits allow */
    SIM_EVERDICT = -5, /* a run completed but a verdict failed */
    SIM_EINTR = -6,    /* stopped by a signal (SIGINT, SIGTERM) */
};

/* A short English phrase for a status ("out of memory"); never NULL. */
const char *sim_strerror(int status);

#endif /* SIM_STATUS_H */
