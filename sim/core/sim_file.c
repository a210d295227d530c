/* sim_file.c -- atomic file publication and mkdir -p. */
#include "sim_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_status.h"

int sim_file_open(sim_file *sf, const char *path)
{
    sf->f = NULL;
    if (strlen(path) + 16 >= sizeof sf->path)
        return SIM_EIO;
    snprintf(sf->path, sizeof sf->path, "%s", path);
    snprintf(sf->tmp, sizeof sf->tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(sf->tmp);
    if (fd < 0)
        return SIM_EIO;
    sf->f = fdopen(fd, "w");
    if (!sf->f) {
        close(fd);
        unlink(sf->tmp);
        return SIM_EIO;
    }
    /* mkstemp makes 0600 files; results are for everyone to read. */
    fchmod(fd, 0644);
    return SIM_OK;
}

int sim_file_commit(sim_file *sf)
{
    int ok = sf->f && fflush(sf->f) == 0 && !ferror(sf->f) && fsync(fileno(sf->f)) == 0;
    if (sf->f && fclose(sf->f) != 0)
        ok = 0;
    sf->f = NULL;
    if (ok && rename(sf->tmp, sf->path) == 0)
        return SIM_OK;
    unlink(sf->tmp);
    return SIM_EIO;
}

void sim_file_abort(sim_file *sf)
{
    if (sf->f)
        fclose(sf->f);
    sf->f = NULL;
    unlink(sf->tmp);
}

int sim_mkdirs(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf)
        return SIM_EIO;
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return SIM_EIO;
            buf[i] = c;
        }
    }
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? SIM_OK : SIM_EIO;
}
