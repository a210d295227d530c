/* sim_file.h -- files that appear whole or not at all: written under a
 * temporary name in the same directory, flushed, then renamed into place.
 * A run that fails part-way leaves no half-written result behind. Every
 * failure is remembered (per thread) with the file and the reason, so the
 * program can say "cannot write X: No space left on device". */
#ifndef SIM_FILE_H
#define SIM_FILE_H
#include <stdio.h>

typedef struct sim_file {
    FILE *f;                /* write here */
    char path[4096];        /* the final name */
    char tmp[4096];         /* the temporary name */
} sim_file;

/* Opens a temporary file beside `path`. 0, or SIM_EIO. */
int sim_file_open(sim_file *sf, const char *path);
/* Flushes, syncs and renames into place. 0, or SIM_EIO (temporary removed). */
int sim_file_commit(sim_file *sf);
/* Writing failed: removes the temporary file, and remembers the failure
 * with errno as the failed call left it. */
void sim_file_abort(sim_file *sf);

/* Remembers that writing `path` failed with errno `code` (0: EIO), unless a
 * failure is remembered already; sim_file does it for its own files. */
void sim_io_failed(const char *path, int code);
/* The first failure remembered on this thread ("" and 0 when none), and
 * forgetting it. */
const char *sim_io_error_path(void);
int sim_io_error_code(void);
void sim_io_error_clear(void);

/* Removes a directory and everything in it (rm -rf); 0, or SIM_EIO. */
int sim_remove_tree(const char *path);
/* Creates a directory and its parents (mkdir -p). 0, or SIM_EIO. */
int sim_mkdirs(const char *path);

/* Opens a regular file for reading, never blocking on a FIFO or a device
 * (opened without waiting, then refused unless it is a regular file).
 * NULL with errno set otherwise (EINVAL: not a regular file). */
FILE *sim_open_regular(const char *path);
/* The reason sim_open_regular failed, in words. */
const char *sim_open_error(int err);

#endif /* SIM_FILE_H */
