/* Check helpers shared by the tests/rec programs: a non-fatal CHECK (and
 * CHECKF, with a message) that counts failures (so one run reports every broken property) and
 * the common ending of main. Header-only; each test is a single C file. */
#ifndef TESTS_REC_REC_TEST_UTIL_H
#define TESTS_REC_REC_TEST_UTIL_H

#include <stdio.h>

static int failures;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                              \
        }                                                                            \
    } while (0)

/* CHECK with a printf-style explanation printed after the condition. */
#define CHECKF(cond, ...)                                                              \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);  \
            fprintf(stderr, __VA_ARGS__);                                              \
            fprintf(stderr, "\n");                                                     \
            failures++;                                                                \
        }                                                                              \
    } while (0)

/* Prints "NAME: ok" or "NAME: N failure(s)" and returns main's exit status. */
static int rec_test_finish(const char *name)
{
    if (failures) {
        fprintf(stderr, "%s: %d failure(s)\n", name, failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

#endif
