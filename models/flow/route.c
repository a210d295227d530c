/* route.c -- where a request goes: which entry point the user's DNS
 * answer names, which cell serves it, which server the balancer picks.
 * By-unit routing sends each user to the cell of the unit owning their
 * shard; spread routing spreads users over the entry points by the cells'
 * shares and serves them where they land. A user's choices are a hash of
 * the user id, so a user sticks to one place while nothing changes. */
#include "flow_int.h"
#include "sim_hash.h"

/* Salts of the user hashes, one per choice, so choices do not correlate. */
enum { SALT_SPREAD_CELL = 3 };

static int pick(const double *cum, int n, double u)
{
    double total = n ? cum[n - 1] : 0;
    if (total <= 0)
        return -1;
    double x = u * total;
    for (int i = 0; i < n; i++)
        if (x < cum[i])
            return i;
    return n - 1;
}

/* Recomputes the spread weights from which cells are active. */
void route_refresh(w_world *w)
{
    for (int u = 0; u < w->n_units; u++) {
        w_unit *unit = &w->units[u];
        double acc = 0;
        for (int c = 0; c < unit->n_cells && c < W_MAX_SPREAD_CELLS; c++) {
            w_cell *cell = unit->cells[c];
            acc += cell->active ? cell->share : 0;
            unit->cell_cum[c] = acc;
        }
        acc = 0;
        for (int i = 0; i < w->n_entry_dcs; i++) {
            for (int c = 0; c < unit->n_cells; c++)
                if (unit->cells[c]->active && unit->cells[c]->dc->index == w->entry_dcs[i])
                    acc += unit->cells[c]->share;
            unit->entry_cum[i] = acc;
        }
    }
}

int route_entry_dc(w_world *w, const w_req *r)
{
    if (w->st->entry.kind == ENTRY_VIP)
        return w->entry_dcs[0];
    return dns_entry(w, r);
}

w_cell *route_cell(w_world *w, const w_req *r)
{
    const w_unit *unit = &w->units[r->unit];
    if (unit->wrong) /* a wrong switch sends it to another unit's cell */
        return unit->wrong;
    if (w->st->entry.routing == ROUTE_BY_UNIT)
        return unit->home && unit->home->active ? unit->home : NULL;
    for (int c = 0; c < unit->n_cells; c++)
        if (unit->cells[c]->active && unit->cells[c]->dc->index == r->entry_dc)
            return unit->cells[c];
    int c = pick(unit->cell_cum, unit->n_cells < W_MAX_SPREAD_CELLS ? unit->n_cells : W_MAX_SPREAD_CELLS,
                 sim_hash_unit(r->uid, SALT_SPREAD_CELL));
    return c < 0 ? NULL : unit->cells[c];
}

w_server *route_server(w_world *w, w_cell *cell)
{
    (void)w;
    if (cell->n_rotation == 0)
        return NULL;
    if (cell->rr >= cell->n_rotation)
        cell->rr = 0;
    return &cell->servers[cell->rotation[cell->rr++]];
}
