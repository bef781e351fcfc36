/* tests/fuzz/fuzz_common.h: what every fuzz target shares.
 *
 * Each target defines LLVMFuzzerTestOneInput. Built with clang and
 * -fsanitize=fuzzer (RECIMG_BUILD_FUZZERS=ON) it becomes a libFuzzer binary;
 * linked with fuzz_main.c it becomes a plain program that runs a corpus
 * directory once, so the committed corpora are ordinary ctest cases under gcc.
 *
 * A target states its invariants with FUZZ_CHECK: a violated invariant aborts,
 * which libFuzzer (and ctest) report as a crash, with the input saved. */
#ifndef TESTS_FUZZ_FUZZ_COMMON_H
#define TESTS_FUZZ_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                         \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, __LINE__, \
                    #cond);                                                      \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Pixel limit the targets give the decoders: far below the default 2^28 so one
 * input never takes more than a fraction of a second (a tiny header may declare
 * a large image whose decode is legitimately slow); the default limit's own
 * checks are exercised by tests/bad and tests/codec. */
#define FUZZ_MAX_PIXELS ((uint64_t)1 << 14)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
