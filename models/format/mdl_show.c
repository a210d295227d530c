/* mdl_show.c -- `dcsim show`: a loaded file written back resolved and
 * normalised, with what it refers to written inline. */
#include <string.h>

#include "mdl_config.h"

typedef struct show_ctx {
    const mdl_config *cfg;
    size_t stage;               /* the stage being printed */
} show_ctx;

static int stage_hook(FILE *out, const mdl_field *f, const void *v, int indent, void *context)
{
    (void)v;
    show_ctx *sc = context;
    if (strcmp(f->key, "geography") != 0)
        return 0;
    fputs("geography:\n", out);
    mdl_schema_print(out, &mdl_geography_schema, sc->cfg->stage_geos[sc->stage], indent + 2);
    return 1;
}

static int scenario_hook(FILE *out, const mdl_field *f, const void *v, int indent, void *context)
{
    (void)v;
    show_ctx *sc = context;
    /* Variants are among the stages, and what overrides and settings set
     * is in the values: written again, they would be applied twice (over
     * a later setting), and the output would not run as its input. */
    if (strcmp(f->key, "variants") == 0 || strcmp(f->key, "overrides") == 0)
        return 1;
    if (strcmp(f->key, "stages") != 0)
        return 0;
    fputs("stages:\n", out);
    for (size_t i = 0; i < sc->cfg->n_stages; i++) {
        sc->stage = i;
        mdl_schema_print_item(out, &mdl_stage_schema, sc->cfg->stages[i], indent + 2, stage_hook, sc);
    }
    return 1;
}

void mdl_config_print(FILE *out, const mdl_config *cfg)
{
    show_ctx ctx = {cfg, 0};
    switch (cfg->kind) {
    case 0:
        mdl_schema_print(out, &mdl_geography_schema, cfg->geos[0], 0);
        break;
    case 1:
        mdl_schema_print_hooked(out, &mdl_stage_schema, cfg->stages[0], 0, stage_hook, &ctx);
        break;
    default: {
        /* `stages` is printed even when the file left it to the default. */
        scenario copy = *cfg->scn;
        static const cfg_node placeholder = {.kind = CFG_SEQ};
        if (!copy.stages)
            copy.stages = &placeholder;
        mdl_schema_print_hooked(out, &mdl_scenario_schema, &copy, 0, scenario_hook, &ctx);
        break;
    }
    }
}
