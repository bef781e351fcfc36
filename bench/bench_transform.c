/* bench_transform: BD-rate of learned block transforms against the DCT (issue 5).
 *
 *   bench_transform [--q LIST] [--mode round|rec] [--sampler NAME] [--chroma 420|444]
 *                   [--matrix N] [--test T]... IMAGE...
 *
 * For every image, every quality in LIST (default 20,35,50,65,80,90) and every
 * transform (the anchor dct, then each --test T: learned, learned-sep, learned-rd, or a
 * FILE.rtx embedded in the .rec), it encodes, decodes and measures bpp (whole
 * file) and PSNR over RGB (gray images: the one channel). It prints every
 * point, then per test transform the BD-rate against the DCT (metrics_bd_rate,
 * negative = fewer bits for the same PSNR) per image and their mean, and the
 * BD-rate of the mean curves. --mode rec without --sampler uses lrq (not the
 * codec's default sampler), as in the docs/TRANSFORMS.md figures. Use it on
 * HELD-OUT images only (testimages/README.md): the built-in learned transforms
 * were trained on the TRAIN split.
 *
 * Never part of ctest. Prints "unsupported" and exits 1 when the codec build
 * does not implement the requested mode.
 * A bad command line (a value that is not a whole number in range, an unknown word or
 * option, too many images) is refused before any image is read: message, usage text, exit 1. */
#define _POSIX_C_SOURCE 200809L

#include "imageio.h"
#include "metrics.h"
#include "recimg.h"

#include "bench_args.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAXQ = 16, MAXIMG = 32, MAXT = 8 };

typedef struct {
    const char *name;
    uint32_t id;
    uint8_t *rtx;        /* FILE.rtx bytes, or NULL */
    size_t rtx_size;
} transform_spec;

typedef struct { double bpp, psnr; } point;

static int spec_from_arg(const char *arg, transform_spec *t, char *err, size_t n)
{
    memset(t, 0, sizeof *t);
    t->name = arg;
    if (!strcmp(arg, "dct")) { t->id = 1; return 0; }
    if (!strcmp(arg, "learned")) { t->id = 2; return 0; }
    if (!strcmp(arg, "learned-sep")) { t->id = 3; return 0; }
    if (!strcmp(arg, "learned-rd")) { t->id = 5; return 0; }
    t->id = 4;
    return imageio_read_file(arg, (size_t)1 << 20, &t->rtx, &t->rtx_size, err, n);
}

static recimg_status run_point(const imageio_image *img, const recimg_encoder_params *base,
                               const transform_spec *t, double q, point *pt)
{
    recimg_encoder_params p = *base;
    recimg_encoder *enc = NULL;
    recimg_decoder_params dp;
    recimg_decoder *dec = NULL;
    recimg_image ri, out;
    uint8_t *data = NULL;
    size_t size = 0;
    imageio_image dimg;
    metrics_result m;
    recimg_status st;

    p.quality = q;
    p.transform_id = t->id;
    p.transform_file = t->rtx;
    p.transform_file_size = t->rtx_size;
    recimg_decoder_params_default(&dp);
    memset(&out, 0, sizeof out);
    ri.width = img->width;
    ri.height = img->height;
    ri.channels = (uint32_t)img->channels;
    ri.pixels = img->pixels;
    st = recimg_encoder_create(&p, &enc);
    if (st == RECIMG_OK)
        st = recimg_decoder_create(&dp, &dec);
    if (st == RECIMG_OK)
        st = recimg_encode(enc, &ri, &data, &size, NULL);
    if (st == RECIMG_OK)
        st = recimg_decode(dec, data, size, &out);
    if (st == RECIMG_OK) {
        dimg.width = out.width;
        dimg.height = out.height;
        dimg.channels = (int)out.channels;
        dimg.source_bit_depth = 8;
        dimg.pixels = out.pixels;
        if (metrics_compare(img, &dimg, &m) != 0)
            st = RECIMG_ERR_INTERNAL;
        pt->bpp = 8.0 * (double)size / ((double)img->width * img->height);
        pt->psnr = m.psnr_rgb;
    }
    recimg_free(data);
    recimg_free(out.pixels);
    recimg_encoder_free(enc);
    recimg_decoder_free(dec);
    return st;
}

static const char usage_text[] =
    "usage: bench_transform [--q LIST (4..16 qualities)] [--mode round|rec] [--sampler NAME]\n"
    "         [--chroma 420|444] [--matrix 0|1|2] --test T [--test T]... IMAGE...\n"
    "  NAME: lrq, gprs-bnb, gprs, pfr, uq or block; T: learned, learned-sep, learned-rd, dct or FILE.rtx\n";

int main(int argc, char **argv)
{
    double qs[MAXQ] = {20, 35, 50, 65, 80, 90};
    int nq = 6, nimg = 0, nt = 1;
    const char *files[MAXIMG];
    transform_spec ts[MAXT];
    static point pts[MAXIMG][MAXT][MAXQ];
    recimg_encoder_params base;
    char err[512];
    static const char *const samplers[] = {"none", "lrq", "gprs-bnb", "gprs", "pfr", "uq", "block"};
    static const char *const modes[] = {"round", "rec"}, *const chromas[] = {"420", "444"};
    double qmin, qmax;

    recimg_quality_range(&qmin, &qmax);
    recimg_encoder_params_default(&base);
    spec_from_arg("dct", &ts[0], err, sizeof err);
    for (int i = 1; i < argc; i++) {
        const char *a = NULL, *v = NULL;
        int k;
        const int r = bench_next_arg("bench_transform", usage_text, argc, argv, &i, files, &nimg, MAXIMG, &a, &v);
        if (r != BENCH_ARG_OPTION) {
            if (r == BENCH_ARG_IMAGE)
                continue;
            return r == BENCH_ARG_HELP ? 0 : 1;
        }
        if (!strcmp(a, "--q")) {
            if ((nq = bench_parse_list(v, qmin, qmax, 0, qs, MAXQ)) < 0)
                return bench_usage_error(usage_text, "bench_transform: --q must be 1..%d comma-separated qualities "
                                         "in %g..%g, not '%s'", MAXQ, qmin, qmax, v);
        } else if (!strcmp(a, "--mode")) {
            if ((k = bench_word(v, modes, 2)) < 0)
                return bench_usage_error(usage_text, "bench_transform: --mode must be round or rec, not '%s'", v);
            base.mode = k ? RECIMG_MODE_REC : RECIMG_MODE_ROUND;
        } else if (!strcmp(a, "--sampler")) {
            if ((k = bench_word(v, samplers, (int)(sizeof samplers / sizeof *samplers))) < 1)
                return bench_usage_error(usage_text, "bench_transform: unknown sampler %s", v);
            base.sampler = (recimg_sampler)k;
        } else if (!strcmp(a, "--chroma")) {
            if ((k = bench_word(v, chromas, 2)) < 0)
                return bench_usage_error(usage_text, "bench_transform: --chroma must be 420 or 444, not '%s'", v);
            base.chroma = k ? RECIMG_CHROMA_444 : RECIMG_CHROMA_420;
        } else if (!strcmp(a, "--matrix")) {
            if (bench_parse_int(v, 0, 2, &k))
                return bench_usage_error(usage_text, "bench_transform: --matrix must be 0, 1 or 2, not '%s'", v);
            base.matrix_id = (uint32_t)k;
        } else if (!strcmp(a, "--test")) {
            if (nt == MAXT)
                return bench_usage_error(usage_text, "bench_transform: too many --test transforms (at most %d)",
                                         MAXT - 1);
            if (spec_from_arg(v, &ts[nt], err, sizeof err) != 0) {
                fprintf(stderr, "bench_transform: %s\n", err);
                return 1;
            }
            nt++;
        } else {
            return bench_usage_error(usage_text, "bench_transform: unknown option %s", a);
        }
    }
    if (nimg == 0)
        return bench_usage_error(usage_text, "bench_transform: no IMAGE given");
    if (nq < 4)
        return bench_usage_error(usage_text, "bench_transform: --q needs at least 4 qualities (for the BD-rate)");
    if (nt < 2)
        return bench_usage_error(usage_text, "bench_transform: no --test transform given");
    if (base.mode == RECIMG_MODE_REC && base.sampler == RECIMG_SAMPLER_NONE)
        base.sampler = RECIMG_SAMPLER_LRQ;

    printf("%-24s %-14s %6s %9s %9s\n", "image", "transform", "q", "bpp", "psnr_rgb");
    for (int f = 0; f < nimg; f++) {
        imageio_image img;
        const char *base_name = strrchr(files[f], '/') ? strrchr(files[f], '/') + 1 : files[f];
        if (imageio_read(files[f], IMAGEIO_ALPHA_DROP, &img, err, sizeof err)) {
            fprintf(stderr, "bench_transform: %s\n", err);
            return 1;
        }
        for (int t = 0; t < nt; t++)
            for (int i = 0; i < nq; i++) {
                const recimg_status st = run_point(&img, &base, &ts[t], qs[i], &pts[f][t][i]);
                if (st != RECIMG_OK) {
                    fprintf(stderr, "bench_transform: %s with %s, mode %s: %s\n", files[f], ts[t].name,
                            base.mode == RECIMG_MODE_REC ? "rec" : "round", recimg_strerror(st));
                    return 1;
                }
                printf("%-24s %-14s %6.1f %9.4f %9.3f\n", base_name, ts[t].name, qs[i],
                       pts[f][t][i].bpp, pts[f][t][i].psnr);
            }
        imageio_image_free(&img);
    }
    printf("\nBD-rate against dct (PSNR-RGB, negative = fewer bits), mode %s%s%s:\n",
           base.mode == RECIMG_MODE_REC ? "rec" : "round",
           base.mode == RECIMG_MODE_REC ? ", sampler " : "",
           base.mode == RECIMG_MODE_REC ? samplers[base.sampler] : "");
    for (int t = 1; t < nt; t++) {
        double sum = 0.0, mean_a[MAXQ], mean_ap[MAXQ], mean_b[MAXQ], mean_bp[MAXQ], bd;
        int nbd = 0;
        printf("  %s:\n", ts[t].name);
        for (int i = 0; i < nq; i++)
            mean_a[i] = mean_ap[i] = mean_b[i] = mean_bp[i] = 0.0;
        for (int f = 0; f < nimg; f++) {
            double ra[MAXQ], pa[MAXQ], rb[MAXQ], pb[MAXQ];
            for (int i = 0; i < nq; i++) {
                ra[i] = pts[f][0][i].bpp; pa[i] = pts[f][0][i].psnr;
                rb[i] = pts[f][t][i].bpp; pb[i] = pts[f][t][i].psnr;
                mean_a[i] += ra[i] / nimg; mean_ap[i] += pa[i] / nimg;
                mean_b[i] += rb[i] / nimg; mean_bp[i] += pb[i] / nimg;
            }
            if (metrics_bd_rate(ra, pa, (size_t)nq, rb, pb, (size_t)nq, &bd) == 0) {
                printf("    %-24s %+7.2f%%\n", files[f], bd);
                sum += bd;
                nbd++;
            } else {
                printf("    %-24s (BD-rate undefined: curves do not overlap or are not monotonic)\n", files[f]);
            }
        }
        if (nbd > 0)
            printf("    mean of per-image BD-rates   %+7.2f%% (%d images)\n", sum / nbd, nbd);
        if (metrics_bd_rate(mean_a, mean_ap, (size_t)nq, mean_b, mean_bp, (size_t)nq, &bd) == 0)
            printf("    BD-rate of the mean curves   %+7.2f%%\n", bd);
    }
    for (int t = 0; t < nt; t++)
        free(ts[t].rtx);
    return 0;
}
