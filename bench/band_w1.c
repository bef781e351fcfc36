/* band_w1: the per-band terms of the DCT-W1 realism measure (docs/METRICS.md), a
 * diagnostic for realism decoding: which DCT bands of decoded images carry too little or
 * too much energy against the originals.
 *
 *   band_w1 REF TEST [REF TEST ...]
 *
 * For each band, in zigzag order, the mean over the image pairs of W1_k / max(sd_ref, 1)
 * (the band's term of dct_w1, whose mean over the 64 bands is dct_w1) and of
 * sd_test / max(sd_ref, 1) (below 1: too little energy); then the same grouped by zigzag
 * ranges (w1: the range's share of dct_w1, i.e. its sum / 64; sd_ratio: its mean), and
 * dct_w1. Never part of ctest. A bad command line gets the usage text and exit status 1. */
#include "bench_args.h"
#include "imageio.h"
#include "metrics.h"

#include <stdio.h>
#include <string.h>

static const int zigzag[64] = {
    0,  1,  8,  16, 9,  2,  3,  10, 17, 24, 32, 25, 18, 11, 4,  5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6,  7,  14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

/* zigzag ranges of the summary: [range_lo[i], range_lo[i + 1]) */
static const int range_lo[] = {0, 1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 64};

static const char usage_text[] = "usage: band_w1 REF TEST [REF TEST ...]\n";

int main(int argc, char **argv)
{
    double w1_sum[64] = {0}, ratio_sum[64] = {0}, total = 0.0;
    int zz, i, pairs;

    for (i = 1; i < argc; i++) {   /* no options: a word starting with '-' is not a path here */
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (argv[i][0] == '-')
            return bench_usage_error(usage_text, "band_w1: unknown option %s", argv[i]);
    }
    if (argc < 3 || argc % 2 != 1)
        return bench_usage_error(usage_text, "band_w1: REF and TEST images come in pairs (%d given)", argc - 1);
    pairs = (argc - 1) / 2;
    for (i = 0; i < pairs; i++) {
        imageio_image ref = {0}, test = {0};
        char err[512];
        double w1[64], ratio[64];
        int bad = imageio_read(argv[1 + 2 * i], IMAGEIO_ALPHA_DROP, &ref, err, sizeof err) != 0 ||
                  imageio_read(argv[2 + 2 * i], IMAGEIO_ALPHA_DROP, &test, err, sizeof err) != 0;
        if (bad)
            fprintf(stderr, "band_w1: %s\n", err);
        else if (metrics_dct_w1_bands(&ref, &test, w1, ratio) != 0) {
            fprintf(stderr, "band_w1: %s and %s differ in size or channels (or out of memory)\n",
                    argv[1 + 2 * i], argv[2 + 2 * i]);
            bad = 1;
        }
        imageio_image_free(&ref);
        imageio_image_free(&test);
        if (bad)
            return 1;
        for (zz = 0; zz < 64; zz++) {
            w1_sum[zz] += w1[zigzag[zz]];
            ratio_sum[zz] += ratio[zigzag[zz]];
        }
    }
    printf("zz raster w1 sd_ratio   (mean over %d image pair(s))\n", pairs);
    for (zz = 0; zz < 64; zz++) {
        printf("%d %d %.5f %.4f\n", zz, zigzag[zz], w1_sum[zz] / pairs, ratio_sum[zz] / pairs);
        total += w1_sum[zz] / pairs;
    }
    printf("zz_range w1_share sd_ratio\n");
    for (i = 0; i + 1 < (int)(sizeof range_lo / sizeof range_lo[0]); i++) {
        double w = 0.0, r = 0.0;
        for (zz = range_lo[i]; zz < range_lo[i + 1]; zz++) {
            w += w1_sum[zz] / pairs;
            r += ratio_sum[zz] / pairs;
        }
        printf("%d-%d %.4f %.3f\n", range_lo[i], range_lo[i + 1] - 1, w / 64.0,
               r / (range_lo[i + 1] - range_lo[i]));
    }
    printf("dct_w1 %.4f\n", total / 64.0);
    return 0;
}
