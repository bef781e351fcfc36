/* tests/tools/tools_test_util.h: tiny helpers shared by the tools tests. */
#ifndef RECIMG_TESTS_TOOLS_TOOLS_TEST_UTIL_H
#define RECIMG_TESTS_TOOLS_TOOLS_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "imageio.h"

extern int tt_failures;

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            tt_fail(__FILE__, __LINE__, #cond);                                           \
        }                                                                                 \
    } while (0)

void tt_fail(const char *file, int line, const char *what);
/* Prints a summary line and returns the exit status for main. */
int tt_finish(const char *name);
/* A fresh private directory for this test's files (under $TMPDIR or /tmp); "" on failure. */
const char *tt_tmpdir(void);
/* tt_tmpdir() + "/" + name in a static rotating buffer. */
const char *tt_path(const char *name);
int tt_write_bytes(const char *path, const void *data, size_t size);
int tt_file_exists(const char *path);
/* Number of entries in the tmp dir whose name contains ".tmp-" (leftover temporaries). */
int tt_count_temporaries(void);
/* Deterministic pseudo-random photograph-like test image (smooth gradients + texture). */
int tt_make_image(imageio_image *img, uint32_t w, uint32_t h, int channels, uint64_t seed);
uint64_t tt_rand(uint64_t *state);
/* Sends stderr to a file in the tmp dir until tt_stderr_end; returns the saved descriptor
 * for tt_stderr_end, or -1 on failure. */
int tt_stderr_begin(void);
/* Restores stderr, copies what was written meanwhile into buf (NUL-terminated, at most
 * size - 1 bytes; "" if begin failed) and echoes it to the restored stderr for the log. */
void tt_stderr_end(int saved, char *buf, size_t size);

#endif
