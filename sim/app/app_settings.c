/* app_settings.c -- `--set KEY=VALUE` and `--variant NAME:KEY=VALUE` on
 * run and compare: values of the stages, their geography or the scenario
 * set from the command line, checked by the loader like a scenario's own
 * overrides (mdl_load_options). A value is YAML: 5m, async, [a, b]. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "mdl_config.h"

#define MAX_SETTINGS 64

static mdl_setting settings[MAX_SETTINGS];
static size_t n_settings;
static mdl_setting variant_sets[MAX_SETTINGS];
static mdl_variant_spec variants[MAX_SETTINGS];
static size_t n_variant_sets, n_variants;
static cfg_doc *docs[2 * MAX_SETTINGS];
static size_t n_docs;
static mdl_load_options options;

static void free_docs(void)
{
    for (size_t i = 0; i < n_docs; i++)
        cfg_doc_free(docs[i]);
    n_docs = 0;
}

/* KEY=VALUE into s, the value parsed as YAML under `what`'s name. */
static int parse_setting(const char *command, const char *what, const char *text, mdl_setting *s)
{
    const char *eq = strchr(text, '=');
    if (!eq || eq == text || !eq[1])
        return app_usage_error(command, "%s: expected KEY=VALUE such as geography.datacenters[HZ-A].power.ups=5m, "
                               "got \"%s\"", what, text);
    if (n_docs == 0)
        atexit(free_docs);
    if (n_docs >= 2 * MAX_SETTINGS)
        return app_usage_error(command, "%s: at most %d settings", what, MAX_SETTINGS);
    cfg_doc *doc;
    cfg_error err;
    if (cfg_load_string(what, eq + 1, strlen(eq + 1), NULL, &doc, &err) || !doc->root) {
        if (doc && !doc->root)
            cfg_doc_free(doc);
        return app_usage_error(command, "%s: the value of \"%s\" is not YAML", what, text);
    }
    docs[n_docs++] = doc;
    char *key = strndup(text, (size_t)(eq - text));
    cfg_node *key_node = NULL;
    if (key) {
        /* The key stands as a node of its own, so messages point at it. */
        key_node = sim_arena_alloc(&doc->arena, sizeof *key_node);
        const char *kept = sim_arena_strdup(&doc->arena, key);
        if (key_node && kept)
            *key_node = (cfg_node){.kind = CFG_SCALAR, .line = 1, .col = 1, .text = kept, .plain = 1};
        free(key);
        *s = (mdl_setting){key_node ? key_node->text : NULL, key_node, doc->root, what};
    }
    if (!key || !key_node || !s->key) {
        fprintf(stderr, "dcsim: out of memory\n");
        return EXIT_RUN_FAILED;
    }
    return EXIT_DONE;
}

int app_settings_option(const char *command, const char *option, const char *value)
{
    if (!strcmp(option, "--set")) {
        if (n_settings >= MAX_SETTINGS)
            return app_usage_error(command, "--set: at most %d", MAX_SETTINGS);
        int rc = parse_setting(command, "--set", value, &settings[n_settings]);
        n_settings += rc == EXIT_DONE;
        return rc;
    }
    /* --variant NAME:KEY=VALUE; the same NAME again adds a setting. */
    const char *colon = strchr(value, ':');
    const char *eq = strchr(value, '=');
    if (!colon || colon == value || (eq && eq < colon))
        return app_usage_error(command, "--variant: expected NAME:KEY=VALUE such as "
                               "unit-async:databases[core].replication.mode=async, got \"%s\"", value);
    if (n_variant_sets >= MAX_SETTINGS)
        return app_usage_error(command, "--variant: at most %d settings", MAX_SETTINGS);
    size_t name_len = (size_t)(colon - value);
    size_t v = 0;
    while (v < n_variants && (strlen(variants[v].name) != name_len || strncmp(variants[v].name, value, name_len)))
        v++;
    if (v == n_variants) {
        char *name = strndup(value, name_len);
        if (!name)
            return EXIT_RUN_FAILED;
        /* The name becomes a results folder: one path component. */
        if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != name_len ||
            name[0] == '.') {
            int rc = app_usage_error(command, "--variant: \"%s\" is not a name (letters, digits, - _ .)", name);
            free(name);
            return rc;
        }
        variants[n_variants++] = (mdl_variant_spec){name, NULL, NULL, 0};
    }
    /* A variant's settings are contiguous: later ones move up. */
    size_t at = 0;
    for (size_t k = 0; k <= v; k++)
        at += variants[k].n_set;
    memmove(&variant_sets[at + 1], &variant_sets[at], (n_variant_sets - at) * sizeof *variant_sets);
    int rc = parse_setting(command, "--variant", colon + 1, &variant_sets[at]);
    if (rc) {
        memmove(&variant_sets[at], &variant_sets[at + 1], (n_variant_sets - at) * sizeof *variant_sets);
        return rc;
    }
    n_variant_sets++;
    variants[v].n_set++;
    size_t first = 0;
    for (size_t k = 0; k < n_variants; k++) {
        variants[k].set = &variant_sets[first];
        first += variants[k].n_set;
    }
    return EXIT_DONE;
}

const mdl_load_options *app_settings(const char *only_stage)
{
    options = (mdl_load_options){only_stage, settings, n_settings, variants, n_variants};
    return &options;
}
