/* fuzz_loader.c -- libFuzzer harness over the loader: any bytes as a dcsim
 * file (stages it names are read from models/stages/, so run it from the
 * project's root). A valid input is also printed back by `show`'s printer
 * and loaded again, which must succeed. Built with -DDCSIM_FUZZ=ON and
 * clang; .ci/run runs it for 60 seconds over the shipped files and the bad
 * files of tests/bad_yaml/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "mdl_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_config *cfg;
    mdl_errors errs;
    if (mdl_config_load_text("fuzz.yaml", (const char *)data, size, &cfg, &errs) != 0)
        return 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f) {
        mdl_config_print(f, cfg);
        fclose(f);
        mdl_config *again;
        if (mdl_config_load_text("shown.yaml", text, len, &again, &errs) != 0)
            abort(); /* show must write what it reads */
        mdl_config_free(again);
    }
    free(text);
    mdl_config_free(cfg);
    return 0;
}
