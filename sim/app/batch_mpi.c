/* batch_mpi.c -- the MPI side of dcsim batch. Messages: a worker sends
 * its last run's results as text (empty the first time: "ready") with
 * tag RESULT; rank 0 answers with the next run's index, or -1 to stop,
 * with tag WORK. Rows do not depend on which rank ran them: a run is
 * computed from the sweep and its index alone. */
#include "batch_mpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"

#ifdef DCSIM_MPI
#include <mpi.h>

enum { TAG_RESULT = 1, TAG_WORK = 2 };

void batch_mpi_begin(batch_mpi *m, int *argc, char ***argv)
{
    memset(m, 0, sizeof *m);
    m->size = 1;
    /* Only under mpirun (or srun with PMIx): a plain run stays local. */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_RANK"))
        return;
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_SINGLE, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m->size);
    m->active = 1;
}

/* A worker's results: "run\tR\n", then the row as batch_row_parse reads it. */
static char *row_text(const batch_row *row, int64_t r)
{
    size_t cap = 65536 + row->n_series * 200;
    char *t = malloc(cap);
    if (!t)
        return NULL;
    size_t n = (size_t)snprintf(t, cap, "run\t%lld\nstatus\t%s\nwall\t%.17g\n", (long long)r, row->r.status,
                                row->r.wall_s);
    if (row->r.reason)
        n += (size_t)snprintf(t + n, cap - n, "reason\t%s\n", row->r.reason);
    if (row->r.faults)
        n += (size_t)snprintf(t + n, cap - n, "faults\t%s\n", row->r.faults);
    for (size_t i = 0; i < BATCH_MAX_FIGURES && n < cap; i++)
        n += (size_t)snprintf(t + n, cap - n, "figure\t%zu\t%.17g\n", i, row->figures[i]);
    for (size_t i = 0; i < row->n_series && n < cap; i++) {
        const batch_series_point *q = &row->series[i];
        n += (size_t)snprintf(t + n, cap - n, "series\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\t%.17g\n", q->t,
                              q->offered, q->succeeded, q->failed, q->p50, q->p99, q->lost_writes);
    }
    if (n < cap)
        snprintf(t + n, cap - n, "end\n");
    return t;
}

int batch_mpi_work(batch_mpi *m, const batch_plan *plan)
{
    batch_pool *pool = plan ? batch_pool_create(plan, 1) : NULL;
    batch_row *row = malloc(sizeof *row);
    char *out = NULL;
    m->served = 1;
    for (;;) {
        const char *msg = out ? out : "";
        MPI_Send(msg, (int)strlen(msg) + 1, MPI_CHAR, 0, TAG_RESULT, MPI_COMM_WORLD);
        free(out);
        out = NULL;
        long long r;
        MPI_Recv(&r, 1, MPI_LONG_LONG, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (r < 0)
            break;
        if (!pool || !row) { /* rank 0 loaded what this rank could not: nothing here can be trusted */
            fprintf(stderr, "dcsim: rank %d cannot run the sweep rank 0 runs; stopping the job\n", m->rank);
            MPI_Abort(MPI_COMM_WORLD, EXIT_RUN_FAILED);
        }
        int got = 0;
        if (batch_pool_start(pool, r) == 0)
            while ((got = batch_pool_wait(pool, row, 3600)) == 0)
                ;
        if (got == 1) {
            out = row_text(row, r);
            batch_row_free(row);
        } else { /* interrupted, or no process to run it in: not a result, run it next time */
            char buf[128];
            snprintf(buf, sizeof buf, "run\t%lld\nskipped\n", r);
            out = strdup(buf);
        }
    }
    batch_pool_destroy(pool);
    free(row);
    return EXIT_DONE;
}

int batch_mpi_serve(batch_mpi *m, const batch_plan *plan, const int64_t *todo, int64_t n, batch_store_fn *store,
                    void *context)
{
    batch_row *row = plan ? malloc(sizeof *row) : NULL;
    int64_t next = 0;
    int working = m->size - 1, rc = EXIT_DONE;
    m->served = 1;
    while (working > 0) {
        MPI_Status st;
        MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
        int len;
        MPI_Get_count(&st, MPI_CHAR, &len);
        char *msg = malloc((size_t)len + 1);
        MPI_Recv(msg, len, MPI_CHAR, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (msg)
            msg[len > 0 ? len - 1 : 0] = '\0';
        long long r = -1;
        if (msg && row && sscanf(msg, "run\t%lld", &r) == 1 && r >= 0 && !strstr(msg, "\nskipped\n")) {
            batch_row_init(row, plan, r);
            batch_row_parse(row, plan, msg);
            const char *wall = strstr(msg, "\nwall\t");
            row->r.wall_s = wall ? strtod(wall + 6, NULL) : 0;
            if (store(context, row))
                rc = EXIT_RUN_FAILED;
            batch_row_free(row);
        }
        free(msg);
        long long give = -1;
        if (next < n && !rc && !app_interrupted())
            give = todo[next++];
        else
            working--;
        MPI_Send(&give, 1, MPI_LONG_LONG, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
    }
    free(row);
    return rc;
}

int batch_mpi_end(batch_mpi *m, int rc)
{
    if (!m->active)
        return rc;
    if (!m->served && m->size > 1) {
        if (m->rank == 0)
            batch_mpi_serve(m, NULL, NULL, 0, NULL, NULL);
        else
            batch_mpi_work(m, NULL);
    }
    MPI_Finalize();
    m->active = 0;
    return rc;
}

#else /* no MPI in this build: one rank */

void batch_mpi_begin(batch_mpi *m, int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    memset(m, 0, sizeof *m);
    m->size = 1;
}

int batch_mpi_end(batch_mpi *m, int rc)
{
    (void)m;
    return rc;
}

int batch_mpi_work(batch_mpi *m, const batch_plan *plan)
{
    (void)m;
    (void)plan;
    return EXIT_DONE;
}

int batch_mpi_serve(batch_mpi *m, const batch_plan *plan, const int64_t *todo, int64_t n, batch_store_fn *store,
                    void *context)
{
    (void)m;
    (void)plan;
    (void)todo;
    (void)n;
    (void)store;
    (void)context;
    return EXIT_RUN_FAILED;
}
#endif
