/* world_scale.c -- a stage's capacities at a scale, in whole units that
 * keep their totals (world_scale.h says why). Two kinds of capacity:
 *
 * - kept by speed: a cell's servers (and their workers) and a database
 *   primary's workers. The count becomes a whole number near the scaled
 *   one and the service times are divided by what is left over, so units
 *   x speed is exactly the scaled total. Speed keeps the total, not how a
 *   pool queues, so a pool must stay big enough to queue as the stage's:
 *   a cell at least one whole server (whose workers are then within a
 *   factor 1.41 of a real server's), a database primary at least
 *   SCALE_LEAST_WORKERS workers.
 * - kept by rounding: connection limits and the entry's max_in_flight. No
 *   speed makes up a limit on how many at once, so the rounding must stay
 *   within 5% (certain from ten units on).
 *
 * Everything is a pure function of the stage and the scale: the same
 * inputs build the same world. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim_alloc.h"
#include "sim_status.h"
#include "world_scale.h"

/* How far a rounding may move a limit, or a speed a service time, before
 * it is no longer the stage's: a limit is refused past it, a speed or a
 * queue warned about. */
#define SCALE_TOLERANCE 0.05
/* A limit of this many units or more rounds within SCALE_TOLERANCE. */
#define SCALE_LIMIT_UNITS (0.5 / SCALE_TOLERANCE)
/* The fewest workers a database primary keeps (or all it has, if fewer).
 * Measured on the default scenario's unit stage, whose primaries run at
 * about half load at the peak: one worker (scale 0.005) puts p99 at the
 * peak 13% above scale 0.1's, two 5%, three 4%, four 1%, five agree. */
#define SCALE_LEAST_WORKERS 5

void world_warn(w_world *w, const char *fmt, ...)
{
    if (w->n_warnings >= MDL_MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->warnings[w->n_warnings++], sizeof w->warnings[0], fmt, ap);
    va_end(ap);
}

/* ==== Counts ==== */

/* Of floor(x) and ceil(x), at least 1, the one whose leftover speed x / n
 * is nearer 1 by ratio (1.4 -> 1 at 1.4x, 1.45 -> 2 at 0.725x). */
static double nearest_by_ratio(double x)
{
    double lo = floor(x), hi = ceil(x);
    if (lo < 1)
        return 1;
    return x * x <= lo * hi ? lo : hi;
}

/* A limit at a scale: rounded, at least 1. */
static double scaled_limit(double full, double scale)
{
    double n = round(full * scale);
    return n < 1 ? 1 : n;
}

static int moved_past_tolerance(double got, double exact)
{
    return exact > 0 && fabs(got - exact) > SCALE_TOLERANCE * exact * (1 + 1e-9);
}

/* The distribution of k x X: the same draws give k times the value. */
static sim_dist dist_times(sim_dist d, double k)
{
    switch (d.kind) {
    case SIM_DIST_CONSTANT:
    case SIM_DIST_EXPONENTIAL: d.a *= k; break;
    case SIM_DIST_UNIFORM:
    case SIM_DIST_NORMAL: d.a *= k, d.b *= k; break;
    case SIM_DIST_LOGNORMAL: d.a += log(k); break;
    case SIM_DIST_WEIBULL:
    case SIM_DIST_PARETO: d.b *= k; break;
    }
    return d;
}

/* ==== What a stage holds that scales ==== */

enum keep { KEPT_BY_SPEED, KEPT_BY_ROUNDING };

typedef struct capacity {
    enum keep keep;
    double full;                /* at scale 1 */
    double least;               /* kept by speed: the fewest units that still queue as the stage's */
    char what[160];             /* "database core's workers per primary" */
    const char *why;            /* why fewer than `least` will not do */
} capacity;

static const char *const why_server = "a server with fewer workers queues more than the stage's";
static const char *const why_workers = "so few workers queue where the stage's many do not: at half load one "
                                       "makes every other query wait";

/* Calls fn on every capacity of the stage until it returns nonzero; returns that. */
static int each_capacity(const stage *st, int (*fn)(const capacity *c, void *context), void *context)
{
    capacity c;
    int rc = 0;
    for (size_t u = 0; rc == 0 && u < st->units.n; u++) {
        const stg_unit *unit = MDL_ITEM(st->units, stg_unit, u);
        for (size_t k = 0; rc == 0 && k < unit->cells.n; k++) {
            const stg_cell *cell = MDL_ITEM(unit->cells, stg_cell, k);
            c = (capacity){KEPT_BY_SPEED, (double)cell->servers, 1, "", why_server};
            snprintf(c.what, sizeof c.what, "unit %s's servers in %s", unit->name, cell->datacenter);
            rc = fn(&c, context);
        }
    }
    for (size_t d = 0; rc == 0 && d < st->databases.n; d++) {
        const stg_database *db = MDL_ITEM(st->databases, stg_database, d);
        double least = db->workers < SCALE_LEAST_WORKERS ? (double)db->workers : SCALE_LEAST_WORKERS;
        c = (capacity){KEPT_BY_SPEED, (double)db->workers, least, "", why_workers};
        snprintf(c.what, sizeof c.what, "database %s's workers per primary", db->name);
        if ((rc = fn(&c, context)))
            break;
        c = (capacity){KEPT_BY_ROUNDING, (double)db->connections, 0, "", NULL};
        snprintf(c.what, sizeof c.what, "database %s's connections per primary", db->name);
        rc = fn(&c, context);
    }
    if (rc == 0 && st->entry.max_in_flight > 0) {
        c = (capacity){KEPT_BY_ROUNDING, (double)st->entry.max_in_flight, 0, "the entry's max_in_flight", NULL};
        rc = fn(&c, context);
    }
    return rc;
}

static double smallest_for(const capacity *c)
{
    return (c->keep == KEPT_BY_SPEED ? c->least : SCALE_LIMIT_UNITS) / c->full;
}

static int kept_at(const capacity *c, double scale)
{
    double exact = c->full * scale;
    if (c->keep == KEPT_BY_SPEED)
        return exact >= c->least * (1 - 1e-9);
    return !moved_past_tolerance(scaled_limit(c->full, scale), exact);
}

static int note_smallest(const capacity *c, void *context)
{
    double *smallest = context;
    if (smallest_for(c) > *smallest)
        *smallest = smallest_for(c);
    return 0;
}

double world_scale_smallest(const stage *st)
{
    double smallest = 0;
    each_capacity(st, note_smallest, &smallest);
    return smallest;
}

/* x rounded up to three significant digits, so that the scale a message
 * names is itself one that keeps every capacity. */
static double up_to_3_digits(double x)
{
    if (!(x > 0))
        return x;
    double unit = pow(10, floor(log10(x)) - 2);
    return ceil(x / unit - 1e-6) * unit;
}

typedef struct first_lost {
    double scale;
    int found;
    capacity c;
} first_lost;

static int find_lost(const capacity *c, void *context)
{
    first_lost *f = context;
    if (kept_at(c, f->scale))
        return 0;
    f->c = *c;
    f->found = 1;
    return 1;
}

int world_scale_check(const stage *st, double scale, char *why, size_t why_size)
{
    first_lost f = {scale, 0, {0}};
    if (!each_capacity(st, find_lost, &f))
        return SIM_OK;
    const capacity *c = &f.c;
    double exact = c->full * scale, smallest = up_to_3_digits(world_scale_smallest(st));
    if (c->keep == KEPT_BY_SPEED)
        snprintf(why, why_size, "stage %s at scale %g: %s would be %.3g, under %g (%s); every capacity keeps its "
                 "total from scale %g up", st->name, scale, c->what, exact, c->least, c->why, smallest);
    else
        snprintf(why, why_size,
                 "stage %s at scale %g: %s would be %.3g, a limit rounding to %.0f (speed cannot make up a limit); "
                 "every capacity keeps its total from scale %g up",
                 st->name, scale, c->what, exact, scaled_limit(c->full, scale), smallest);
    return SIM_EINPUT;
}

/* ==== Sizing the world ==== */

/* A cell's servers, workers and queue per server, and the speed that makes
 * up the rounding: servers x workers x speed is the cell's scaled workers. */
typedef struct cell_size {
    double servers, workers, queue, speed;
} cell_size;

/* The servers stay near the scaled count (faults and the green group take
 * shares of them); their workers absorb the rest, then the speed. */
static cell_size size_cell(double servers, double workers, double queue_limit)
{
    double slots = servers * workers; /* the real workers the cell stands for */
    double ns[2] = {floor(servers), ceil(servers)};
    cell_size best = {1, 1, 0, slots};
    double best_off = INFINITY;
    for (int i = 0; i < 2; i++) {
        double n = ns[i] < 1 ? 1 : ns[i];
        double ks[2] = {floor(slots / n), ceil(slots / n)};
        for (int j = 0; j < 2; j++) {
            double k = ks[j] < 1 ? 1 : ks[j];
            double off = fabs(log(slots / (n * k)));
            if (off < best_off - 1e-12) {
                best_off = off;
                best = (cell_size){n, k, 0, slots / (n * k)};
            }
        }
    }
    /* Each server holds the queue of the real servers it stands for. */
    best.queue = round(queue_limit * servers / best.servers);
    return best;
}

int world_scale_cell(w_world *w, w_cell *cell)
{
    const w_pool *pool = cell->pool;
    double exact = (double)cell->def->servers * w->scale;
    cell_size z = size_cell(exact, (double)pool->workers, (double)pool->queue_limit);
    if (w->capacities_rounded) /* whole servers as the stage builds them, more capacity than the scale's */
        z = (cell_size){scaled_limit((double)cell->def->servers, w->scale), (double)pool->workers,
                        (double)pool->queue_limit, 1};
    cell->n_servers = (int)z.servers;
    cell->sized = *pool;
    cell->sized.workers = (int)z.workers;
    cell->sized.queue_limit = (int)z.queue;
    cell->sized.service = sim_calloc((size_t)w->n_types, sizeof *cell->sized.service);
    if (!cell->sized.service)
        return SIM_ENOMEM;
    for (int t = 0; t < w->n_types; t++)
        cell->sized.service[t] = z.speed == 1 ? pool->service[t] : dist_times(pool->service[t], 1 / z.speed);
    cell->pool = &cell->sized;
    if (w->capacities_rounded) {
        if (moved_past_tolerance(z.servers, exact))
            world_warn(w, "scale: unit %s, cell in %s: %.3g servers at this scale, rounded to %.0f",
                       cell->unit->def->name, cell->dc->geo->name, exact, z.servers);
        return SIM_OK;
    }
    if (moved_past_tolerance(z.speed, 1))
        world_warn(w, "scale: unit %s, cell in %s: %.3g servers of %d workers at this scale, %.0f of %.0f at %.3gx "
                   "speed", cell->unit->def->name, cell->dc->geo->name, exact, pool->workers, z.servers, z.workers,
                   z.speed);
    if (moved_past_tolerance(z.servers * z.queue, exact * (double)pool->queue_limit))
        world_warn(w, "scale: unit %s, cell in %s: a queue of %.3g at this scale, %.0f", cell->unit->def->name,
                   cell->dc->geo->name, exact * (double)pool->queue_limit, z.servers * z.queue);
    return SIM_OK;
}

void world_scale_db(w_world *w, w_db *db)
{
    double exact = (double)db->def->workers * w->scale;
    double workers = nearest_by_ratio(exact), speed = exact / workers;
    if (w->capacities_rounded)
        speed = 1, workers = scaled_limit((double)db->def->workers, w->scale);
    double connections = scaled_limit((double)db->def->connections, w->scale);
    for (int g = 0; g < db->n_groups; g++) {
        db->groups[g].workers = (int)workers;
        db->groups[g].connections = (int)connections;
    }
    /* One service time serves every copy (flow applies it to replicas'
     * reads too), so a copy's reads run at the primary's speed. */
    db->read = speed == 1 ? db->def->read.d : dist_times(db->def->read.d, 1 / speed);
    db->write = speed == 1 ? db->def->write.d : dist_times(db->def->write.d, 1 / speed);
    if (w->capacities_rounded && moved_past_tolerance(workers, exact))
        world_warn(w, "scale: database %s: %.3g workers per primary at this scale, rounded to %.0f", db->def->name,
                   exact, workers);
    if (moved_past_tolerance(speed, 1))
        world_warn(w, "scale: database %s: %.3g workers per primary at this scale, %.0f at %.3gx speed (its copies' "
                   "reads too)", db->def->name, exact, workers, speed);
    if (moved_past_tolerance(connections, (double)db->def->connections * w->scale))
        world_warn(w, "scale: database %s: %.3g connections per primary at this scale, rounded to %.0f",
                   db->def->name, (double)db->def->connections * w->scale, connections);
}
