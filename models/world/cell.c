/* cell.c -- whether a cell can serve: a server of it up, in a building
 * with power, not cut off, and (with a registry) heard by the registry. */
#include "world_state.h"

int cell_alive(const w_world *w, const w_cell *c)
{
    if (!c->dc->powered || c->dc->isolated)
        return 0;
    /* With a registry, alive means heard: a cell cut off from its majority
     * is gone as far as routing is concerned. */
    if (w->st->registry.head.present && !registry_hears(w, c->dc->index))
        return 0;
    for (int s = 0; s < c->n_servers; s++)
        if (c->servers[s].up)
            return 1;
    return 0;
}
