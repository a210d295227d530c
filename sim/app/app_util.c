/* app_util.c -- wall clock, machine description, usage errors and
 * loading a file with every error printed. */
#include "app.h"

#include "mdl_config.h"
#include "sim_status.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

double app_wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown CPU");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            const char *colon = strchr(line, ':');
            if (colon) {
                colon++;
                while (*colon == ' ' || *colon == '\t')
                    colon++;
                snprintf(buf, size, "%s", colon);
                buf[strcspn(buf, "\n")] = '\0';
            }
            break;
        }
    }
    fclose(f);
}

void app_describe_machine(char *buf, size_t size)
{
    char cpu[256];
    struct utsname u;
    cpu_model(cpu, sizeof cpu);
    if (uname(&u) != 0)
        strcpy(u.sysname, "?"), strcpy(u.release, "?");
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(buf, size, "machine: %s, %ld cores, %s %s, gcc %s, %s build", cpu, cores, u.sysname,
             u.release, __VERSION__,
#ifdef NDEBUG
             "release"
#else
             "debug"
#endif
    );
}

int app_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "dcsim: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see: dcsim %s --help)\n", command);
    return EXIT_BAD_INPUT;
}

void app_join_argv(char *buf, size_t size, int argc, char **argv, const char *command)
{
    size_t at = (size_t)snprintf(buf, size, "dcsim %s", command);
    for (int i = 1; i < argc && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, " %s", argv[i]);
}

int app_parse_seed(const char *text, uint64_t *out)
{
    /* Digits only: strtoull would take "", " 1", "-1" (as 2^64 - 1) and
     * saturate past the range without a word. */
    if (!text[0] || strspn(text, "0123456789") != strlen(text))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(text, NULL, 10);
    if (errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

int app_load_config(const char *path, mdl_config **cfg)
{
    mdl_errors errs;
    int rc = mdl_config_load_options(path, app_settings(NULL), cfg, &errs);
    if (rc == SIM_ENOMEM) {
        fprintf(stderr, "dcsim: out of memory loading %s\n", path);
        return EXIT_RUN_FAILED;
    }
    if (rc) {
        mdl_errors_print(stderr, &errs);
        return EXIT_BAD_INPUT;
    }
    return EXIT_DONE;
}
