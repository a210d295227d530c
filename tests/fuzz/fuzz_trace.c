/* fuzz_trace.c -- libFuzzer harness over the trace loader: any bytes as a
 * film. A film that loads is then seeked through (every frame, then back
 * to the first), which must not crash: the loader promises that a film it
 * accepts can be drawn at any moment. Built with -DDCSIM_FUZZ=ON and
 * clang; .ci/run runs it for 60 seconds from tests/fuzz/trace_corpus/. */
#include <stdint.h>
#include <stdlib.h>

#include "mdl_film.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_film *f;
    char err[512];
    if (mdl_film_load_bytes(data, size, "fuzz.trace", &f, err, sizeof err) != 0)
        return 0;
    mdl_view v = {0};
    for (size_t i = 0; i < mdl_film_frames(f); i++)
        if (mdl_film_view_at(f, mdl_film_frame_time(f, i), &v))
            abort();
    if (mdl_film_view_at(f, INT64_MIN, &v))
        abort();
    mdl_view_free(&v);
    mdl_film_destroy(f);
    return 0;
}
