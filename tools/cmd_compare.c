/* tools/cmd_compare.c: `recimg compare REF TEST [--json]`. Full-reference quality
 * (PSNR over RGB and Y, SSIM, MS-SSIM) and the realism measures of docs/METRICS.md.
 * JSON has no infinity: an infinite PSNR (identical images) is written as null.
 */
#include "cmd_compare.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "imageio.h"
#include "metrics.h"

/* Ends a usage error (its message is printed) with the --help hint; returns 1, the exit
 * status of every recimg error. */
static int usage_fail(void)
{
    fputs("Try 'recimg compare --help'.\n", stderr);
    return 1;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: recimg compare REF TEST [--json] [--alpha drop|refuse]\n"
               "  Compares TEST against the reference REF (PNG, JPEG, PGM or PPM, same size\n"
               "  and channel count) and prints PSNR-RGB, PSNR-Y, SSIM and MS-SSIM (on Y) and\n"
               "  the realism measures dct_w1 and swd (docs/METRICS.md).\n");
}

static void json_number(const char *key, double v, int comma)
{
    if (isfinite(v))
        printf("  \"%s\": %.6f%s\n", key, v, comma ? "," : "");
    else
        printf("  \"%s\": null%s\n", key, comma ? "," : "");
}

int tool_cmd_compare(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL};
    int npaths = 0, json = 0, i, k;
    imageio_alpha alpha = IMAGEIO_ALPHA_REFUSE;
    imageio_image ref, test;
    metrics_result m;
    metrics_realism_result r;
    char err[512];

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--alpha") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "drop") == 0) {
                alpha = IMAGEIO_ALPHA_DROP;
            } else if (strcmp(argv[i], "refuse") == 0) {
                alpha = IMAGEIO_ALPHA_REFUSE;
            } else {
                fprintf(stderr, "recimg compare: --alpha takes drop or refuse, not '%s'\n",
                        argv[i]);
                return usage_fail();
            }
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--alpha") == 0) {
            fprintf(stderr, "recimg compare: option '--alpha' needs a value (drop or refuse)\n");
            return usage_fail();
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "recimg compare: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return usage_fail();
        } else if (npaths < 2) {
            paths[npaths++] = argv[i];
        } else {
            fprintf(stderr, "recimg compare: too many arguments ('%s')\n", argv[i]);
            usage(stderr);
            return usage_fail();
        }
    }
    if (npaths != 2) {
        usage(stderr);
        return usage_fail();
    }
    if (imageio_read(paths[0], alpha, &ref, err, sizeof(err)) != 0) {
        fprintf(stderr, "recimg compare: %s\n", err);
        return 1;
    }
    if (imageio_read(paths[1], alpha, &test, err, sizeof(err)) != 0) {
        fprintf(stderr, "recimg compare: %s\n", err);
        imageio_image_free(&ref);
        return 1;
    }
    if (ref.width != test.width || ref.height != test.height || ref.channels != test.channels) {
        fprintf(stderr, "recimg compare: %s is %ux%u with %d channel(s) but %s is %ux%u with "
                        "%d channel(s); they must match\n",
                paths[1], (unsigned)test.width, (unsigned)test.height, test.channels, paths[0],
                (unsigned)ref.width, (unsigned)ref.height, ref.channels);
        imageio_image_free(&ref);
        imageio_image_free(&test);
        return 1;
    }
    if (metrics_compare(&ref, &test, &m) != 0 || metrics_realism(&ref, &test, &r) != 0) {
        fprintf(stderr, "recimg compare: %s: out of memory computing the metrics\n", paths[1]);
        imageio_image_free(&ref);
        imageio_image_free(&test);
        return 1;
    }
    if (json) {
        printf("{\n");
        printf("  \"width\": %u,\n  \"height\": %u,\n  \"channels\": %d,\n",
               (unsigned)ref.width, (unsigned)ref.height, ref.channels);
        json_number("psnr_rgb", m.psnr_rgb, 1);
        json_number("psnr_y", m.psnr_y, 1);
        json_number("ssim", m.ssim, 1);
        json_number("ms_ssim", m.ms_ssim, 1);
        printf("  \"ms_ssim_scales\": %d,\n", metrics_ms_ssim_scales(ref.width, ref.height));
        json_number("dct_w1", r.dct_w1, 1);
        json_number("swd", r.swd, 1);
        printf("  \"swd_levels\": [");
        for (k = 0; k < r.swd_levels; k++)
            printf("%s%.6f", k ? ", " : "", r.swd_level[k]);
        printf("]\n}\n");
    } else {
        printf("PSNR-RGB  %.4f dB\n", m.psnr_rgb);
        printf("PSNR-Y    %.4f dB\n", m.psnr_y);
        printf("SSIM      %.6f\n", m.ssim);
        printf("MS-SSIM   %.6f (%d scales)\n", m.ms_ssim,
               metrics_ms_ssim_scales(ref.width, ref.height));
        printf("DCT-W1    %.6f\n", r.dct_w1);
        printf("SWD       %.6f (%d levels)\n", r.swd, r.swd_levels);
    }
    imageio_image_free(&ref);
    imageio_image_free(&test);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "recimg compare: cannot write to standard output\n");
        return 1;
    }
    return 0;
}
