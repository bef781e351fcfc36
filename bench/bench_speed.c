/* bench/bench_speed.c: codec throughput through the library APIs (issue 8).
 *
 * For every image and target rate (default about 0.5 and 1.5 bpp) it tunes the
 * quality of each configuration to land near the target (bisection, chosen once per
 * image and rate), then times encode and decode in the same run for:
 *   - libjpeg-turbo through the TurboJPEG API (tools/jpegref.h; 4:2:0, integer quality),
 *   - recimg round mode,
 *   - recimg REC mode with every sampler this build supports (others are listed as
 *     unsupported, never silently dropped),
 * each recimg configuration at every --threads value given (default 1 and 2).
 * Each time is the median of --reps runs. Two clocks are kept: process CPU time
 * (CLOCK_PROCESS_CPUTIME_ID; the robust figure for one thread on a shared, loaded
 * machine) and wall time (the only meaningful figure for several threads). Ratios to
 * libjpeg-turbo are taken within the same image and rate, in the same run.
 *
 *   bench_speed [--reps R] [--bpp "0.5,1.5"] [--threads "1,2"] [--search N] IMAGE...
 *   bench_speed --slice-cost "64,128,256" [--bpp "0.5,1.5"] IMAGE...
 *
 * --slice-cost estimates the rate cost of independent horizontal slices of S pixel rows
 * (the design proposed for --threads: each slice with its own coder state and freshly
 * reset context model, no prediction across slice edges): it encodes every strip of S
 * rows as a separate image at the quality tuned for the whole image and compares the
 * summed payloads with the whole image's payload (headers excluded; the per-slice length
 * field a real slice format would add is not counted).
 *
 * Prints one row per (image, rate, configuration, threads) and a summary per
 * (rate, configuration, threads) over all images: total megapixels / total median time.
 * Never part of ctest.
 * A bad command line (a value that is not a whole number in range, an unknown word or
 * option, too many images) is refused before any image is read: message, usage text, exit 1. */
#define _POSIX_C_SOURCE 200809L

#include "imageio.h"
#include "jpegref.h"
#include "metrics.h"
#include "recimg.h"

#include "bench_args.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAXLIST = 8, MAXREPS = 99, MAXCFG = 8, MAXIMG = 64 };

typedef struct {
    double cpu_ms, wall_ms;
} duration;

static duration clock_now(void)
{
    struct timespec c, w;
    duration d;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c);
    clock_gettime(CLOCK_MONOTONIC, &w);
    d.cpu_ms = (double)c.tv_sec * 1e3 + (double)c.tv_nsec / 1e6;
    d.wall_ms = (double)w.tv_sec * 1e3 + (double)w.tv_nsec / 1e6;
    return d;
}

static duration clock_since(duration t0)
{
    const duration t1 = clock_now();
    duration d;
    d.cpu_ms = t1.cpu_ms - t0.cpu_ms;
    d.wall_ms = t1.wall_ms - t0.wall_ms;
    return d;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* A codec configuration under test. */
typedef struct {
    const char *name;
    int jpeg;                 /* 1 = libjpeg-turbo */
    recimg_mode mode;
    recimg_sampler sampler;
} config;

static const config all_configs[] = {
    {"libjpeg-turbo", 1, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE},
    {"round", 0, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE},
    {"rec-lrq", 0, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ},
    {"rec-uq", 0, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ},
    {"rec-gprs-bnb", 0, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB},
    {"rec-gprs", 0, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS},
    {"rec-pfr", 0, RECIMG_MODE_REC, RECIMG_SAMPLER_PFR},
    {"rec-block", 0, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK},
};
#define NCFG ((int)(sizeof all_configs / sizeof all_configs[0]))

/* One encode at a quality; returns 0 and the file in *out (caller frees with free()
   for JPEG, recimg_free for recimg). */
static int encode_once(const config *c, const imageio_image *img, double quality, int threads,
                       uint8_t **out, size_t *size)
{
    char err[256];
    if (c->jpeg) {
        int q = (int)quality;
        if (q < 1) q = 1;
        if (q > 100) q = 100;
        if (tool_jpeg_encode(img, q, 420, out, size, err, sizeof err) != 0) {
            fprintf(stderr, "bench_speed: jpeg encode: %s\n", err);
            return -1;
        }
        return 0;
    } else {
        recimg_encoder_params p;
        recimg_encoder *enc = NULL;
        recimg_image ri;
        recimg_status st;
        recimg_encoder_params_default(&p);
        p.mode = c->mode;
        p.sampler = c->sampler;
        p.quality = quality;
        p.threads = threads;
        st = recimg_encoder_create(&p, &enc);
        if (st != RECIMG_OK)
            return st == RECIMG_ERR_UNSUPPORTED ? 1 : -1;
        ri.width = img->width;
        ri.height = img->height;
        ri.channels = (uint32_t)img->channels;
        ri.pixels = img->pixels;
        st = recimg_encode(enc, &ri, out, size, NULL);
        recimg_encoder_free(enc);
        if (st != RECIMG_OK) {
            fprintf(stderr, "bench_speed: %s encode: %s\n", c->name, recimg_strerror(st));
            return -1;
        }
        return 0;
    }
}

static void free_file(const config *c, uint8_t *buf)
{
    if (c->jpeg)
        free(buf);
    else
        recimg_free(buf);
}

static int decode_once(const config *c, const uint8_t *buf, size_t size, int threads,
                       imageio_image *out)
{
    char err[256];
    memset(out, 0, sizeof *out);
    if (c->jpeg) {
        if (tool_jpeg_decode(buf, size, out, err, sizeof err) != 0) {
            fprintf(stderr, "bench_speed: jpeg decode: %s\n", err);
            return -1;
        }
        return 0;
    } else {
        recimg_decoder_params p;
        recimg_decoder *dec = NULL;
        recimg_image ri;
        recimg_status st;
        recimg_decoder_params_default(&p);
        p.threads = threads;
        if (recimg_decoder_create(&p, &dec) != RECIMG_OK)
            return -1;
        st = recimg_decode(dec, buf, size, &ri);
        recimg_decoder_free(dec);
        if (st != RECIMG_OK) {
            fprintf(stderr, "bench_speed: %s decode: %s\n", c->name, recimg_strerror(st));
            return -1;
        }
        out->width = ri.width;
        out->height = ri.height;
        out->channels = (int)ri.channels;
        out->source_bit_depth = 8;
        out->pixels = ri.pixels;   /* released with recimg_free below */
        return 0;
    }
}

static void free_decoded(const config *c, imageio_image *img)
{
    if (c->jpeg)
        imageio_image_free(img);
    else
        recimg_free(img->pixels);
    img->pixels = NULL;
}

/* Quality whose bpp is closest to target: bisection on [lo, hi] (integers for JPEG).
   Returns 0 ok, 1 unsupported, -1 error. */
static int find_quality(const config *c, const imageio_image *img, double target, int steps,
                        double *quality, double *bpp)
{
    const double px = (double)img->width * img->height;
    double lo = c->jpeg ? 1.0 : 0.0, hi = 100.0, best_q = -1.0, best_err = 1e300, best_bpp = 0;
    for (int i = 0; i < steps; i++) {
        double q = 0.5 * (lo + hi), b;
        uint8_t *buf = NULL;
        size_t size = 0;
        int rc;
        if (c->jpeg)
            q = floor(q + 0.5);
        rc = encode_once(c, img, q, 1, &buf, &size);
        if (rc != 0)
            return rc;
        free_file(c, buf);
        b = 8.0 * (double)size / px;
        if (fabs(b - target) < best_err) {
            best_err = fabs(b - target);
            best_q = q;
            best_bpp = b;
        }
        if (b > target)
            hi = q;
        else
            lo = q;
        if (c->jpeg && hi - lo <= 1.0)
            break;
    }
    *quality = best_q;
    *bpp = best_bpp;
    return 0;
}

typedef struct {
    int valid;
    double quality, bpp, psnr;
    double enc_cpu, enc_wall, dec_cpu, dec_wall;   /* medians, ms */
} result;

static int time_config(const config *c, const imageio_image *img, double quality, int threads,
                       int reps, result *r)
{
    double ec[MAXREPS], ew[MAXREPS], dc[MAXREPS], dw[MAXREPS];
    uint8_t *buf = NULL;
    size_t size = 0;
    for (int k = 0; k < reps; k++) {
        duration t0 = clock_now(), d;
        if (buf)
            free_file(c, buf);
        buf = NULL;
        if (encode_once(c, img, quality, threads, &buf, &size) != 0)
            return -1;
        d = clock_since(t0);
        ec[k] = d.cpu_ms;
        ew[k] = d.wall_ms;
    }
    for (int k = 0; k < reps; k++) {
        imageio_image out;
        duration t0 = clock_now(), d;
        if (decode_once(c, buf, size, threads, &out) != 0) {
            free_file(c, buf);
            return -1;
        }
        d = clock_since(t0);
        dc[k] = d.cpu_ms;
        dw[k] = d.wall_ms;
        if (k == 0) {
            metrics_result m;
            r->psnr = metrics_compare(img, &out, &m) == 0 ? m.psnr_rgb : (double)NAN;
        }
        free_decoded(c, &out);
    }
    free_file(c, buf);
    r->valid = 1;
    r->quality = quality;
    r->bpp = 8.0 * (double)size / ((double)img->width * img->height);
    r->enc_cpu = median(ec, reps);
    r->enc_wall = median(ew, reps);
    r->dec_cpu = median(dc, reps);
    r->dec_wall = median(dw, reps);
    return 0;
}

/* Payload bytes of the whole image and of its strips of rows rows, same encoder. */
static int slice_cost(const config *c, const imageio_image *img, double quality, uint32_t rows,
                      double *whole, double *sliced)
{
    recimg_encoder_params p;
    recimg_encoder *enc = NULL;
    recimg_encode_stats st;
    recimg_image ri;
    uint8_t *buf = NULL;
    size_t size = 0;
    recimg_encoder_params_default(&p);
    p.mode = c->mode;
    p.sampler = c->sampler;
    p.quality = quality;
    if (recimg_encoder_create(&p, &enc) != RECIMG_OK)
        return -1;
    ri.width = img->width;
    ri.height = img->height;
    ri.channels = (uint32_t)img->channels;
    ri.pixels = img->pixels;
    if (recimg_encode(enc, &ri, &buf, &size, &st) != RECIMG_OK)
        goto fail;
    recimg_free(buf);
    *whole = (double)st.payload_bytes;
    *sliced = 0.0;
    for (uint32_t y = 0; y < img->height; y += rows) {
        ri.height = img->height - y < rows ? img->height - y : rows;
        ri.pixels = img->pixels + (size_t)y * img->width * (size_t)img->channels;
        if (recimg_encode(enc, &ri, &buf, &size, &st) != RECIMG_OK)
            goto fail;
        recimg_free(buf);
        *sliced += (double)st.payload_bytes;
    }
    recimg_encoder_free(enc);
    return 0;
fail:
    recimg_encoder_free(enc);
    return -1;
}

static int run_slice_cost(const char *const *paths, int nimg, const double *targets, int ntargets,
                          const double *rows, int nrows, int search)
{
    printf("# slice cost: payload of independent strips of S rows / whole-image payload - 1 (%%)\n");
    printf("%-22s %5s %-8s %7s %6s", "image", "bpp*", "config", "quality", "bpp");
    for (int r = 0; r < nrows; r++)
        printf("  S=%-5d", (int)rows[r]);
    printf("\n");
    for (int ii = 0; ii < nimg; ii++) {
        imageio_image img;
        char err[512];
        const char *base = strrchr(paths[ii], '/') ? strrchr(paths[ii], '/') + 1 : paths[ii];
        if (imageio_read(paths[ii], IMAGEIO_ALPHA_DROP, &img, err, sizeof err) != 0) {
            fprintf(stderr, "bench_speed: %s\n", err);
            return 1;
        }
        for (int ti = 0; ti < ntargets; ti++) {
            for (int ci = 1; ci < 4; ci++) {   /* round, rec-lrq, rec-uq */
                double q, b, whole, sliced;
                if (find_quality(&all_configs[ci], &img, targets[ti], search, &q, &b) != 0)
                    continue;
                printf("%-22s %5.2f %-8s %7.2f %6.3f", base, targets[ti], all_configs[ci].name, q, b);
                for (int r = 0; r < nrows; r++) {
                    if (slice_cost(&all_configs[ci], &img, q, (uint32_t)rows[r], &whole, &sliced) != 0) {
                        imageio_image_free(&img);
                        return 1;
                    }
                    printf("  %+6.2f%%", 100.0 * (sliced / whole - 1.0));
                }
                printf("\n");
                fflush(stdout);
            }
        }
        imageio_image_free(&img);
    }
    return 0;
}

static const char usage_text[] =
    "usage: bench_speed [--reps 1..99] [--bpp \"0.5,1.5\"] [--threads \"1,2\"] [--search 1..30] IMAGE...\n"
    "       bench_speed --slice-cost \"64,128,256\" [--bpp \"0.5,1.5\"] [--search 1..30] IMAGE...\n"
    "  lists: 1..8 comma-separated values; bpp in 0.0001..64, threads 0..1024 (0 = all cores),\n"
    "  slice rows 8..65536\n";

int main(int argc, char **argv)
{
    double targets[MAXLIST] = {0.5, 1.5}, thr_list[MAXLIST] = {1, 2};
    double slice_rows[MAXLIST];
    int ntargets = 2, nthreads = 2, reps = 5, search = 9, nimg = 0, nslice = 0;
    const char *paths[MAXIMG];
    /* totals[target][config][threads]: megapixels and summed median times */
    static double tot_mp[MAXLIST][NCFG][MAXLIST], tot[4][MAXLIST][NCFG][MAXLIST];
    static double tot_bpp[MAXLIST][NCFG][MAXLIST], tot_psnr[MAXLIST][NCFG][MAXLIST];
    static int tot_n[MAXLIST][NCFG][MAXLIST], unsupported[NCFG];

    for (int i = 1; i < argc; i++) {
        const char *a = NULL, *v = NULL;
        const int r = bench_next_arg("bench_speed", usage_text, argc, argv, &i, paths, &nimg, MAXIMG, &a, &v);
        if (r != BENCH_ARG_OPTION) {
            if (r == BENCH_ARG_IMAGE)
                continue;
            return r == BENCH_ARG_HELP ? 0 : 1;
        }
        if (!strcmp(a, "--reps")) {
            if (bench_parse_int(v, 1, MAXREPS, &reps))
                return bench_usage_error(usage_text, "bench_speed: --reps must be an integer in 1..%d, not '%s'",
                                         MAXREPS, v);
        } else if (!strcmp(a, "--bpp")) {
            if ((ntargets = bench_parse_list(v, 1e-4, 64.0, 0, targets, MAXLIST)) < 0)
                return bench_usage_error(usage_text, "bench_speed: --bpp must be 1..%d comma-separated rates in "
                                         "0.0001..64, not '%s'", MAXLIST, v);
        } else if (!strcmp(a, "--threads")) {
            if ((nthreads = bench_parse_list(v, 0.0, 1024.0, 1, thr_list, MAXLIST)) < 0)
                return bench_usage_error(usage_text, "bench_speed: --threads must be 1..%d comma-separated "
                                         "integers in 0..1024, not '%s'", MAXLIST, v);
        } else if (!strcmp(a, "--slice-cost")) {
            if ((nslice = bench_parse_list(v, 8.0, 65536.0, 1, slice_rows, MAXLIST)) < 0)
                return bench_usage_error(usage_text, "bench_speed: --slice-cost must be 1..%d comma-separated "
                                         "integers in 8..65536, not '%s'", MAXLIST, v);
        } else if (!strcmp(a, "--search")) {
            if (bench_parse_int(v, 1, 30, &search))
                return bench_usage_error(usage_text, "bench_speed: --search must be an integer in 1..30, not '%s'",
                                         v);
        } else {
            return bench_usage_error(usage_text, "bench_speed: unknown option %s", a);
        }
    }
    if (nimg == 0)
        return bench_usage_error(usage_text, "bench_speed: no IMAGE given");
    if (nslice > 0)
        return run_slice_cost(paths, nimg, targets, ntargets, slice_rows, nslice, search);

    printf("# bench_speed: reps=%d (medians), times in ms, MP/s = megapixels per second of "
           "CPU time (cpu) or wall time (wall); x_jpeg = time / libjpeg-turbo's time, same image and rate\n",
           reps);
    printf("%-22s %5s %-13s %3s %7s %6s %6s %8s %8s %8s %8s %7s %7s\n", "image", "bpp*", "config",
           "thr", "quality", "bpp", "psnr", "enc_cpu", "enc_wall", "dec_cpu", "dec_wall",
           "encx_jp", "decx_jp");
    for (int ii = 0; ii < nimg; ii++) {
        imageio_image img;
        char err[512];
        const char *base = strrchr(paths[ii], '/') ? strrchr(paths[ii], '/') + 1 : paths[ii];
        double mp;
        if (imageio_read(paths[ii], IMAGEIO_ALPHA_DROP, &img, err, sizeof err) != 0) {
            fprintf(stderr, "bench_speed: %s\n", err);
            return 1;
        }
        mp = (double)img.width * img.height / 1e6;
        for (int ti = 0; ti < ntargets; ti++) {
            result jp = {0};
            for (int ci = 0; ci < NCFG; ci++) {
                const config *c = &all_configs[ci];
                double q, b;
                int rc;
                if (unsupported[ci])
                    continue;
                rc = find_quality(c, &img, targets[ti], search, &q, &b);
                if (rc == 1) {
                    unsupported[ci] = 1;
                    continue;
                }
                if (rc != 0) {
                    imageio_image_free(&img);
                    return 1;
                }
                for (int hi = 0; hi < (c->jpeg ? 1 : nthreads); hi++) {
                    result r = {0};
                    const int th = c->jpeg ? 1 : (int)thr_list[hi];
                    if (time_config(c, &img, q, th, reps, &r) != 0) {
                        imageio_image_free(&img);
                        return 1;
                    }
                    if (c->jpeg)
                        jp = r;
                    printf("%-22s %5.2f %-13s %3d %7.2f %6.3f %6.2f %8.2f %8.2f %8.2f %8.2f %7.2f %7.2f\n",
                           base, targets[ti], c->name, th, r.quality, r.bpp, r.psnr, r.enc_cpu,
                           r.enc_wall, r.dec_cpu, r.dec_wall, r.enc_cpu / jp.enc_cpu,
                           r.dec_cpu / jp.dec_cpu);
                    fflush(stdout);
                    tot_mp[ti][ci][hi] += mp;
                    tot[0][ti][ci][hi] += r.enc_cpu;
                    tot[1][ti][ci][hi] += r.enc_wall;
                    tot[2][ti][ci][hi] += r.dec_cpu;
                    tot[3][ti][ci][hi] += r.dec_wall;
                    tot_bpp[ti][ci][hi] += r.bpp;
                    tot_psnr[ti][ci][hi] += r.psnr;
                    tot_n[ti][ci][hi]++;
                }
            }
        }
        imageio_image_free(&img);
    }

    printf("\n# summary over %d image(s): MP/s = total megapixels / total median time; "
           "x_jpeg = total time / libjpeg-turbo's total time (cpu clocks)\n", nimg);
    printf("%5s %-13s %3s %6s %6s %10s %10s %10s %10s %7s %7s\n", "bpp*", "config", "thr", "bpp",
           "psnr", "encMPs_cpu", "encMPs_wal", "decMPs_cpu", "decMPs_wal", "enc_xjp", "dec_xjp");
    for (int ti = 0; ti < ntargets; ti++) {
        for (int ci = 0; ci < NCFG; ci++) {
            const config *c = &all_configs[ci];
            for (int hi = 0; hi < (c->jpeg ? 1 : nthreads); hi++) {
                const double m = tot_mp[ti][ci][hi];
                const int n = tot_n[ti][ci][hi];
                if (n == 0)
                    continue;
                printf("%5.2f %-13s %3d %6.3f %6.2f %10.2f %10.2f %10.2f %10.2f %7.2f %7.2f\n",
                       targets[ti], c->name, c->jpeg ? 1 : (int)thr_list[hi],
                       tot_bpp[ti][ci][hi] / n, tot_psnr[ti][ci][hi] / n,
                       1e3 * m / tot[0][ti][ci][hi], 1e3 * m / tot[1][ti][ci][hi],
                       1e3 * m / tot[2][ti][ci][hi], 1e3 * m / tot[3][ti][ci][hi],
                       tot[0][ti][ci][hi] / tot[0][ti][0][0], tot[2][ti][ci][hi] / tot[2][ti][0][0]);
            }
        }
    }
    for (int ci = 0; ci < NCFG; ci++)
        if (unsupported[ci])
            printf("# %s: not supported by this build (recimg_encoder_create: %s)\n",
                   all_configs[ci].name, recimg_strerror(RECIMG_ERR_UNSUPPORTED));
    return 0;
}
