/* sim_file.c -- atomic file publication and mkdir -p. */
#include "sim_file.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim_status.h"

/* The first write failure of this thread: threads write apart (compare). */
static _Thread_local struct {
    char path[4096];
    int code;
} io_error;

void sim_io_failed(const char *path, int code)
{
    if (io_error.code)
        return;
    snprintf(io_error.path, sizeof io_error.path, "%s", path);
    io_error.code = code ? code : EIO;
}

const char *sim_io_error_path(void) { return io_error.path; }
int sim_io_error_code(void) { return io_error.code; }

void sim_io_error_clear(void)
{
    io_error.path[0] = '\0';
    io_error.code = 0;
}

int sim_file_open(sim_file *sf, const char *path)
{
    sf->f = NULL;
    if (strlen(path) + 16 >= sizeof sf->path) {
        sim_io_failed(path, ENAMETOOLONG);
        return SIM_EIO;
    }
    snprintf(sf->path, sizeof sf->path, "%s", path);
    snprintf(sf->tmp, sizeof sf->tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(sf->tmp);
    if (fd < 0) {
        sim_io_failed(path, errno);
        return SIM_EIO;
    }
    sf->f = fdopen(fd, "w");
    if (!sf->f) {
        sim_io_failed(path, errno);
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
    /* A write that failed earlier left errno as it said (EIO when it says
     * nothing); flushing what is buffered fails the same way on a full disk. */
    int bad = !sf->f || ferror(sf->f);
    int code = bad ? (errno ? errno : EIO) : 0;
    int ok = !bad && fflush(sf->f) == 0 && fsync(fileno(sf->f)) == 0;
    if (!ok && !code)
        code = errno;
    if (sf->f && fclose(sf->f) != 0 && ok) {
        ok = 0;
        code = errno;
    }
    sf->f = NULL;
    if (ok && rename(sf->tmp, sf->path) == 0)
        return SIM_OK;
    sim_io_failed(sf->path, ok ? errno : code);
    unlink(sf->tmp);
    return SIM_EIO;
}

void sim_file_abort(sim_file *sf)
{
    sim_io_failed(sf->path, errno);
    if (sf->f)
        fclose(sf->f);
    sf->f = NULL;
    unlink(sf->tmp);
}

FILE *sim_open_regular(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f)
        close(fd);
    return f;
}

const char *sim_open_error(int err) { return err == EINVAL ? "not a regular file" : strerror(err); }

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int sim_remove_tree(const char *path)
{
    /* Depth first, not following links: the tree's own entries only. */
    int rc = nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc == 0 || errno == ENOENT ? SIM_OK : SIM_EIO;
}

int sim_mkdirs(const char *path)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf) {
        sim_io_failed(path, len ? ENAMETOOLONG : ENOENT);
        return SIM_EIO;
    }
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                sim_io_failed(buf, errno);
                return SIM_EIO;
            }
            buf[i] = c;
        }
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return SIM_OK;
    sim_io_failed(path, ENOTDIR);
    return SIM_EIO;
}
