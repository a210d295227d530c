/* batch_mpi.h -- a batch spread over MPI ranks: rank 0 hands out runs and
 * writes every row; the other ranks run them, each in a worker process
 * of its own (batch_exec.h). Without -DDCSIM_MPI=ON, or outside mpirun,
 * there is one rank and none of this talks. */
#ifndef BATCH_MPI_H
#define BATCH_MPI_H
#include "batch_exec.h"

typedef struct batch_mpi {
    int rank, size;
    int active;                 /* MPI was initialised here */
    int served;                 /* the workers were dismissed */
} batch_mpi;

/* Joins the MPI job when started by mpirun (and built with MPI). */
void batch_mpi_begin(batch_mpi *m, int *argc, char ***argv);
/* Dismisses what is still waiting and leaves the job; returns rc. */
int batch_mpi_end(batch_mpi *m, int rc);
/* A worker rank: runs what rank 0 sends until told to stop. With plan
 * NULL (this rank could not load the sweep) every run comes back failed. */
int batch_mpi_work(batch_mpi *m, const batch_plan *plan);
/* Rank 0: hands out the runs in todo and stores each row as it comes. */
typedef int batch_store_fn(void *context, batch_row *row);
int batch_mpi_serve(batch_mpi *m, const batch_plan *plan, const int64_t *todo, int64_t n, batch_store_fn *store,
                    void *context);

#endif /* BATCH_MPI_H */
