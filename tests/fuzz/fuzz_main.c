/* tests/fuzz/fuzz_main.c: a plain main() for the fuzz targets, so their corpora
 * run as ordinary tests under any compiler (libFuzzer is clang-only).
 *
 *   fuzz_X_driver PATH...   each PATH is a file or a directory (its regular files,
 *                           in name order, not recursive); every file is passed
 *                           once to LLVMFuzzerTestOneInput.
 *
 * Exits 0 after running at least one input; 1 if a path cannot be read or no
 * input was found (an empty corpus would otherwise pass silently). A target that
 * finds a bug aborts, which fails the test. */
#define _POSIX_C_SOURCE 200809L

#include "fuzz_common.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0;
    if (!f) {
        fprintf(stderr, "fuzz_main: %s: %s\n", path, strerror(errno));
        return -1;
    }
    for (;;) {
        size_t n;
        if (size == cap) {
            uint8_t *nb;
            cap = cap ? 2 * cap : 4096;
            nb = (uint8_t *)realloc(buf, cap);
            if (!nb) {
                fprintf(stderr, "fuzz_main: %s: out of memory\n", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        n = fread(buf + size, 1, cap - size, f);
        size += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "fuzz_main: %s: read error\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    /* libFuzzer passes an exact-size heap buffer: do the same so ASan sees any
     * read past the end. */
    {
        uint8_t *exact = (uint8_t *)malloc(size ? size : 1);
        if (!exact) {
            free(buf);
            return -1;
        }
        if (size)
            memcpy(exact, buf, size);
        free(buf);
        LLVMFuzzerTestOneInput(exact, size);
        free(exact);
    }
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every regular file of dir in name order; returns the count or -1. */
static long run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    long count = 0;
    if (!d) {
        fprintf(stderr, "fuzz_main: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn;
            cap = cap ? 2 * cap : 64;
            nn = (char **)realloc(names, cap * sizeof *names);
            if (!nn) {
                count = -1;   /* out of memory: fail rather than run part of the corpus */
                break;
            }
            names = nn;
        }
        names[n] = (char *)malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n]) {
            count = -1;
            break;
        }
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (count < 0)
        fprintf(stderr, "fuzz_main: %s: out of memory listing the directory\n", dir);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (count >= 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(names[i]) != 0)
                count = -1;
            else
                count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    long total = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        long k;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "fuzz_main: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        k = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : (run_file(argv[i]) == 0 ? 1 : -1);
        if (k < 0)
            return 1;
        total += k;
    }
    printf("%s: %ld inputs ran without a failure\n", argv[0], total);
    if (total == 0) {
        fprintf(stderr, "fuzz_main: no input found\n");
        return 1;
    }
    return 0;
}
