/* sim_file.h -- files that appear whole or not at all: written under a
 * temporary name in the same directory, flushed, then renamed into place.
 * A run that fails part-way leaves no half-written result behind. */
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
/* Removes the temporary file without publishing it. */
void sim_file_abort(sim_file *sf);
/* Creates a directory and its parents (mkdir -p). 0, or SIM_EIO. */
int sim_mkdirs(const char *path);

#endif /* SIM_FILE_H */
