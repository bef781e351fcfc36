/* bench/png_level.c: chooses the zlib level of imageio's PNG output by measurement.
 * For each level 1..9 it encodes every image given on the command line (the decoded
 * pixels, as `recimg decompress` would write them) and prints the total size relative to
 * level 9 and the encode time per megapixel (median of --reps runs, wall clock).
 *
 *   png_level [--reps N] IMAGE...
 *
 * Never part of ctest.
 * A bad command line (a value that is not a whole number in range, an unknown word or
 * option, too many images) is refused before any image is read: message, usage text, exit 1. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_args.h"
#include "imageio.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char usage_text[] = "usage: png_level [--reps 1..99] IMAGE...   (at most 64 images)\n";

int main(int argc, char **argv)
{
    imageio_image imgs[64];
    const char *paths[64];
    int nimg = 0, reps = 3, i, level, r;
    double mpix = 0.0, size_at[10] = {0}, ms_at[10] = {0};
    char err[512];

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            if (bench_parse_int(argv[++i], 1, 99, &reps) != 0)
                return bench_usage_error(usage_text, "png_level: --reps must be an integer in 1..99, not '%s'",
                                         argv[i]);
        } else if (argv[i][0] == '-') {
            return bench_usage_error(usage_text, "png_level: unknown option %s, or it needs a value", argv[i]);
        } else if (nimg == 64) {
            return bench_usage_error(usage_text, "png_level: too many images (at most 64)");
        } else {
            paths[nimg++] = argv[i];
        }
    }
    if (nimg == 0)
        return bench_usage_error(usage_text, "png_level: no IMAGE given");
    for (i = 0; i < nimg; i++) {   /* read only once the whole command line is known to be good */
        if (imageio_read(paths[i], IMAGEIO_ALPHA_DROP, &imgs[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "png_level: %s\n", err);
            return 1;
        }
        mpix += (double)imgs[i].width * imgs[i].height / 1e6;
    }
    for (level = 1; level <= 9; level++) {
        for (i = 0; i < nimg; i++) {
            double t[99];
            size_t size = 0;
            for (r = 0; r < reps; r++) {
                uint8_t *data;
                const double t0 = now_ms();
                if (imageio_encode_png(&imgs[i], level, &data, &size, err, sizeof(err)) != 0) {
                    fprintf(stderr, "png_level: %s\n", err);
                    return 1;
                }
                t[r] = now_ms() - t0;
                free(data);
            }
            qsort(t, (size_t)reps, sizeof(double), cmp_double);
            size_at[level] += (double)size;
            ms_at[level] += t[reps / 2];
        }
    }
    printf("level  total_bytes  size_vs_level9  encode_ms_per_Mpx\n");
    for (level = 1; level <= 9; level++)
        printf("%5d  %11.0f  %13.4f  %17.1f\n", level, size_at[level],
               size_at[level] / size_at[9], ms_at[level] / mpix);
    for (i = 0; i < nimg; i++)
        imageio_image_free(&imgs[i]);
    return 0;
}
