/* bench_round: a recimg configuration (the "test") against an anchor, on testimages/.
 *
 * By default the test is the rounding baseline and the anchor libjpeg-turbo at 4:2:0
 * (issue 2). With --mode rec the test is the REC codec; with --anchor round the
 * anchor is the rounding baseline (issue 4). For every image and quality it encodes,
 * decodes and measures bpp (whole file), PSNR over RGB and over Y, the DCT-W1
 * realism measure (tools/metrics.h, lower = closer to the original's statistics),
 * REC's overhead payload_bits / kl_bits - 1, and encode / decode wall time; it prints
 * per-quality means over the images for both, the BD-rate of the test against the
 * anchor (PSNR-RGB and PSNR-Y, Bjontegaard on the mean curves and the mean of the
 * per-image BD-rates), and the time per megapixel.
 *
 *   bench_round [--q "10,20,..."] [--jq "15,30,..."] [--chroma 420|444]
 *               [--matrix N] [--chroma-step X] [--reps N]
 *               [--mode round|rec] [--sampler uq|lrq|gprs-bnb|gprs|pfr|block] [--zero-bits T]
 *               [--decode mmse|center|sample|realism] [--realism A]
 *               [--anchor jpeg|round] [--anchor-decode mmse|center|sample|realism]
 *               [--anchor-realism A] [--anchor-matrix N] [--anchor-chroma-step X]
 *               [--zero-bits-q "T1,T2,..."] [--rate file|kl] [--effort 1|2]
 *               [--recon-table 0|1] [--anchor-recon-table 0|1] [--uq-deadzone 0|1]
 *               [--round-prior 1|5] [--anchor-round-prior 1|5]
 *               [--round-deadzone 0|1] [--anchor-round-deadzone 0|1] IMAGE...
 *
 * --matrix / --chroma-step set the test's step matrix and chroma multiplier,
 * --anchor-matrix / --anchor-chroma-step the rounding anchor's (with --anchor round), so
 * that both sides of a comparison can run at their own tuned setting. Without them each side
 * codes with the codec's defaults for its mode: since session 9 the flat matrix 0 with the
 * deadzone (round: chroma 0.6 and its step x 25/16; rec: chroma 0.55 and its noise x 23/16;
 * recimg.h matrix_id), so the round anchor is round's default; `--anchor-matrix 1
 * --anchor-chroma-step 0.7` gives round* of sessions 4-8. --zero-bits-q gives
 * the test one zero-bit threshold per --q quality (same count), for tuning a per-rate tau.
 * --rate kl charges a REC test's payload at its sum KL (kl_bits) instead of its bits: the
 * file's other bytes plus the information of the simulated channels, i.e. the rate the same
 * decoder would get if the REC stage had no coding overhead (an analysis bound, not a codec;
 * docs/REC_CODEC.md "What removing the overhead would give"). The anchor is never charged so.
 * --round-prior / --anchor-round-prior: the rounding baseline's context model (test in
 * round mode / anchor round), header prior id 1 (v1) or 5 (v5, with the in-block gain);
 * default the codec's (recimg_encoder_params.round_block_gain).
 * --round-deadzone / --anchor-round-deadzone: the rounding baseline's decoder-aware deadzone
 * (header flags2 0x800, recimg_encoder_params.round_deadzone; default the codec's).
 * --effort is recimg compress's: 2 sets the test's rec_block_flag (context model v4).
 * --recon-table / --anchor-recon-table set the test's / the anchor's recon_table (header flag
 * 0x40, the reconstruction table; default: the library's default).
 * --uq-deadzone sets the test's rec_uq_deadzone (flags2 0x400, the deadzone uq; default: the
 * library's default, 1); --dz-fast-rule its rec_dz_fast_rule (flags2 0x2000, the deadzone's
 * rule from a table; default: the library's default, 1).
 * --uq-dz-draw sets the test's rec_uq_dz_draw (flags2 0x1000 with 0x400: the sample / realism
 * decoders' private draws in the deadzone cells; default: the library's default, 0).
 *
 * Never part of ctest. Timing is wall-clock, median of --reps runs (default 3).
 * A bad command line (a value that is not a whole number in range, an unknown word or
 * option, too many images) is refused before any image is read: message, usage text, exit 1. */
#define _POSIX_C_SOURCE 200809L

#include "imageio.h"
#include "jpegref.h"
#include "metrics.h"
#include "recimg.h"

#include "bench_args.h"
#include "tool_args.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAXQ = 16, MAXIMG = 64 };

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

typedef struct { double bpp, psnr, psnr_y, w1, overhead, enc_ms, dec_ms; } point;

static recimg_decoder_params test_dp, anchor_dp;
static int rate_kl;   /* --rate kl */

static const char *const sampler_names[] = {"none", "lrq", "gprs-bnb", "gprs", "pfr", "uq", "block"};

/* RECIMG_SAMPLER_NONE for an unknown name */
static recimg_sampler sampler_of(const char *s)
{
    for (unsigned k = 1; k < sizeof sampler_names / sizeof *sampler_names; k++)
        if (!strcmp(s, sampler_names[k]))
            return (recimg_sampler)k;
    return RECIMG_SAMPLER_NONE;
}

/* " (name)" of a REC sampler; NONE is the library's default, uq */
static const char *sampler_label(recimg_sampler s)
{
    static char buf[32];
    snprintf(buf, sizeof buf, " (%s)", s == RECIMG_SAMPLER_NONE ? "uq" : sampler_names[s]);
    return buf;
}

static int decode_mode_of(const char *s, recimg_decode_mode *m)
{
    if (!strcmp(s, "mmse")) *m = RECIMG_DECODE_MMSE;
    else if (!strcmp(s, "center")) *m = RECIMG_DECODE_CENTER;
    else if (!strcmp(s, "sample")) *m = RECIMG_DECODE_SAMPLE;
    else if (!strcmp(s, "realism")) *m = RECIMG_DECODE_REALISM;
    else return -1;
    return 0;
}

static int run_rec(const imageio_image *img, double q, const recimg_encoder_params *base,
                   const recimg_decoder_params *dpp, int reps, point *pt)
{
    recimg_encoder_params p = *base;
    recimg_encoder *enc = NULL;
    recimg_decoder_params dp;
    recimg_decoder *dec = NULL;
    recimg_image ri = {img->width, img->height, (uint32_t)img->channels, img->pixels}, out;
    uint8_t *data = NULL;
    size_t size = 0;
    double te[16], td[16];
    imageio_image dimg;
    metrics_result m;
    metrics_realism_result rr;
    recimg_encode_stats es;
    p.quality = q;
    dp = *dpp;
    if (recimg_encoder_create(&p, &enc) || recimg_decoder_create(&dp, &dec))
        return -1;
    memset(&out, 0, sizeof out);
    for (int r = 0; r < reps; r++) {
        double t0;
        recimg_free(data);
        recimg_free(out.pixels);
        t0 = now_ms();
        if (recimg_encode(enc, &ri, &data, &size, NULL)) return -1;   /* timed without the KL stats */
        te[r] = now_ms() - t0;
        t0 = now_ms();
        if (recimg_decode(dec, data, size, &out)) return -1;
        td[r] = now_ms() - t0;
    }
    recimg_free(data);
    data = NULL;
    if (recimg_encode(enc, &ri, &data, &size, &es)) return -1;   /* same bytes, with the REC statistics */
    dimg.width = out.width;
    dimg.height = out.height;
    dimg.channels = (int)out.channels;
    dimg.source_bit_depth = 8;
    dimg.pixels = out.pixels;
    if (metrics_compare(img, &dimg, &m) || metrics_realism(img, &dimg, &rr)) return -1;
    pt->w1 = rr.dct_w1;
    pt->overhead = es.kl_bits > 0 ? es.payload_bits / es.kl_bits - 1.0 : 0.0;
    pt->bpp = 8.0 * (double)size / ((double)img->width * img->height);
    if (rate_kl && es.kl_bits > 0)
        pt->bpp -= (es.payload_bits - es.kl_bits) / ((double)img->width * img->height);
    pt->psnr = m.psnr_rgb;
    pt->psnr_y = m.psnr_y;
    pt->enc_ms = median(te, reps);
    pt->dec_ms = median(td, reps);
    recimg_free(data);
    recimg_free(out.pixels);
    recimg_encoder_free(enc);
    recimg_decoder_free(dec);
    return 0;
}

static int run_jpeg(const imageio_image *img, int q, int chroma, int reps, point *pt)
{
    uint8_t *jpg = NULL;
    size_t size = 0;
    imageio_image out;
    double te[16], td[16];
    metrics_result m;
    metrics_realism_result rr;
    char err[256];
    memset(&out, 0, sizeof out);
    for (int r = 0; r < reps; r++) {
        double t0;
        free(jpg);
        imageio_image_free(&out);
        t0 = now_ms();
        if (tool_jpeg_encode(img, q, chroma, &jpg, &size, err, sizeof err)) return -1;
        te[r] = now_ms() - t0;
        t0 = now_ms();
        if (tool_jpeg_decode(jpg, size, &out, err, sizeof err)) return -1;
        td[r] = now_ms() - t0;
    }
    if (metrics_compare(img, &out, &m) || metrics_realism(img, &out, &rr)) return -1;
    pt->w1 = rr.dct_w1;
    pt->overhead = 0.0;
    pt->bpp = 8.0 * (double)size / ((double)img->width * img->height);
    pt->psnr = m.psnr_rgb;
    pt->psnr_y = m.psnr_y;
    pt->enc_ms = median(te, reps);
    pt->dec_ms = median(td, reps);
    free(jpg);
    imageio_image_free(&out);
    return 0;
}

static const char usage_text[] =
    "usage: bench_round [--q LIST] [--jq LIST] [--chroma 420|444] [--matrix 0|1|2] [--chroma-step X]\n"
    "                   [--reps 1..16] [--mode round|rec] [--sampler uq|lrq|gprs-bnb|gprs|pfr|block]\n"
    "                   [--zero-bits T] [--zero-bits-q LIST] [--decode mmse|center|sample|realism]\n"
    "                   [--realism A] [--anchor jpeg|round] [--anchor-decode MODE] [--anchor-realism A]\n"
    "                   [--anchor-matrix 0|1|2] [--anchor-chroma-step X] [--rate file|kl] [--effort 1|2]\n"
    "                   [--recon-table 0|1] [--anchor-recon-table 0|1] [--uq-deadzone 0|1]\n"
    "                   [--uq-dz-draw 0|1] [--dz-fast-rule 0|1] [--round-prior 1|5] [--anchor-round-prior 1|5]\n"
    "                   [--round-deadzone 0|1] [--anchor-round-deadzone 0|1]\n"
    "                   IMAGE...\n"
    "  LIST: 4..16 comma-separated qualities (--zero-bits-q: one tau per --q quality)\n";

/* The command line, after parse_args. */
typedef struct {
    double rq[MAXQ], jq[MAXQ], tq[MAXQ];
    int ntq, nrq, njq, reps, nimg, chroma, anchor_round;
    const char *files[MAXIMG];
    const char *tname, *aname;
    recimg_encoder_params base, abase;
} options;

/* A step-matrix id (0 flat, 1 gentle slope, 2 JPEG shape; recimg.h). */
static int parse_matrix(const char *s, uint32_t *id)
{
    int v;
    if (bench_parse_int(s, 0, 2, &v))
        return -1;
    *id = (uint32_t)v;
    return 0;
}

/* A chroma step multiplier: 0 (the mode's default) or 0.25..16 (recimg.h). */
static int parse_chroma_step(const char *s, double *x)
{
    double v;
    if (tool_parse_double(s, 0.0, 16.0, &v) || (v != 0.0 && v < 0.25))
        return -1;
    *x = v;
    return 0;
}

/* A zero-bit threshold: -1 (the sampler's default) or 0..16 bits (recimg.h). */
static int parse_zero_bits(const char *s, double *t)
{
    double v;
    if (tool_parse_double(s, -1.0, 16.0, &v) || (v != -1.0 && v < 0.0))
        return -1;
    *t = v;
    return 0;
}

/* Fills o from argv. -1 on success; otherwise the exit status (0 after --help, 1 after
 * an error, reported on stderr with the usage text). Reads no file. */
static int parse_args(int argc, char **argv, options *o)
{
    static const char *const modes[] = {"round", "rec"}, *const anchors[] = {"jpeg", "round"};
    static const char *const chromas[] = {"420", "444"}, *const rates[] = {"file", "kl"};
    double qmin, qmax, amin, amax;
    recimg_quality_range(&qmin, &qmax);
    recimg_realism_range(&amin, &amax);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        const int anchor = !strncmp(a, "--anchor-", 9);   /* the anchor's twin of a test option */
        int k;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (a[0] != '-') {
            if (o->nimg == MAXIMG)
                return bench_usage_error(usage_text, "bench_round: too many images (at most %d)", MAXIMG);
            o->files[o->nimg++] = a;
            continue;
        }
        if (!v)
            return bench_usage_error(usage_text, "bench_round: unknown option %s, or it needs a value", a);
        i++;
        if (!strcmp(a, "--q") || !strcmp(a, "--jq")) {
            const int n = bench_parse_list(v, qmin, qmax, 0, !strcmp(a, "--q") ? o->rq : o->jq, MAXQ);
            if (n < 0)
                return bench_usage_error(usage_text, "bench_round: %s must be 1..%d comma-separated qualities "
                                         "in %g..%g, not '%s'", a, MAXQ, qmin, qmax, v);
            *(!strcmp(a, "--q") ? &o->nrq : &o->njq) = n;
        } else if (!strcmp(a, "--zero-bits-q")) {
            if ((o->ntq = bench_parse_list(v, 0.0, 16.0, 0, o->tq, MAXQ)) < 0)
                return bench_usage_error(usage_text, "bench_round: --zero-bits-q must be 1..%d comma-separated "
                                         "thresholds in 0..16, not '%s'", MAXQ, v);
        } else if (!strcmp(a, "--reps")) {
            if (bench_parse_int(v, 1, 16, &o->reps))
                return bench_usage_error(usage_text, "bench_round: --reps must be an integer in 1..16, not '%s'", v);
        } else if (!strcmp(a, "--chroma")) {
            if ((k = bench_word(v, chromas, 2)) < 0)
                return bench_usage_error(usage_text, "bench_round: --chroma must be 420 or 444, not '%s'", v);
            o->chroma = k ? 444 : 420;
        } else if (!strcmp(a, "--matrix") || !strcmp(a, "--anchor-matrix")) {
            if (parse_matrix(v, anchor ? &o->abase.matrix_id : &o->base.matrix_id))
                return bench_usage_error(usage_text, "bench_round: %s must be 0, 1 or 2, not '%s'", a, v);
        } else if (!strcmp(a, "--chroma-step") || !strcmp(a, "--anchor-chroma-step")) {
            if (parse_chroma_step(v, anchor ? &o->abase.chroma_step_scale : &o->base.chroma_step_scale))
                return bench_usage_error(usage_text, "bench_round: %s must be 0 (default) or in 0.25..16, "
                                         "not '%s'", a, v);
        } else if (!strcmp(a, "--mode")) {
            if ((k = bench_word(v, modes, 2)) < 0)
                return bench_usage_error(usage_text, "bench_round: --mode must be round or rec, not '%s'", v);
            o->base.mode = k ? RECIMG_MODE_REC : RECIMG_MODE_ROUND;
            if (o->base.mode == RECIMG_MODE_ROUND)
                o->base.sampler = RECIMG_SAMPLER_NONE;   /* a later --mode round undoes an earlier --sampler */
            o->tname = modes[k];
        } else if (!strcmp(a, "--sampler")) {
            o->base.sampler = sampler_of(v);
            if (o->base.sampler == RECIMG_SAMPLER_NONE)
                return bench_usage_error(usage_text, "bench_round: unknown sampler '%s'", v);
            if (o->base.mode != RECIMG_MODE_REC)
                return bench_usage_error(usage_text, "bench_round: --sampler after --mode rec");
        } else if (!strcmp(a, "--zero-bits")) {
            if (parse_zero_bits(v, &o->base.rec_zero_bits))
                return bench_usage_error(usage_text, "bench_round: --zero-bits must be -1 (default) or in 0..16, "
                                         "not '%s'", v);
        } else if (!strcmp(a, "--decode") || !strcmp(a, "--anchor-decode")) {
            if (decode_mode_of(v, anchor ? &anchor_dp.decode : &test_dp.decode))
                return bench_usage_error(usage_text, "bench_round: %s must be mmse, center, sample or realism, "
                                         "not '%s'", a, v);
        } else if (!strcmp(a, "--realism") || !strcmp(a, "--anchor-realism")) {
            if (tool_parse_double(v, amin, amax, anchor ? &anchor_dp.realism : &test_dp.realism))
                return bench_usage_error(usage_text, "bench_round: %s must be in %g..%g, not '%s'", a, amin,
                                         amax, v);
        } else if (!strcmp(a, "--round-prior") || !strcmp(a, "--anchor-round-prior")) {
            if (bench_parse_int(v, 1, 5, &k) || (k != 1 && k != 5))
                return bench_usage_error(usage_text, "bench_round: %s must be 1 or 5, not '%s'", a, v);
            (anchor ? &o->abase : &o->base)->round_block_gain = k == 5;
        } else if (!strcmp(a, "--round-deadzone") || !strcmp(a, "--anchor-round-deadzone")) {
            if (bench_parse_int(v, 0, 1, &k))
                return bench_usage_error(usage_text, "bench_round: %s must be 0 or 1, not '%s'", a, v);
            (anchor ? &o->abase : &o->base)->round_deadzone = k;
        } else if (!strcmp(a, "--effort")) {
            if (bench_parse_int(v, 1, 2, &k))
                return bench_usage_error(usage_text, "bench_round: --effort must be 1 or 2, not '%s'", v);
            o->base.rec_block_flag = k == 2;
        } else if (!strcmp(a, "--recon-table") || !strcmp(a, "--anchor-recon-table")) {
            if (bench_parse_int(v, 0, 1, anchor ? &o->abase.recon_table : &o->base.recon_table))
                return bench_usage_error(usage_text, "bench_round: %s must be 0 or 1, not '%s'", a, v);
        } else if (!strcmp(a, "--dz-fast-rule")) {
            if (bench_parse_int(v, 0, 1, &o->base.rec_dz_fast_rule))
                return bench_usage_error(usage_text, "bench_round: --dz-fast-rule must be 0 or 1, not '%s'", v);
        } else if (!strcmp(a, "--uq-deadzone")) {
            if (bench_parse_int(v, 0, 1, &o->base.rec_uq_deadzone))
                return bench_usage_error(usage_text, "bench_round: --uq-deadzone must be 0 or 1, not '%s'", v);
        } else if (!strcmp(a, "--uq-dz-draw")) {
            if (bench_parse_int(v, 0, 1, &o->base.rec_uq_dz_draw))
                return bench_usage_error(usage_text, "bench_round: --uq-dz-draw must be 0 or 1, not '%s'", v);
        } else if (!strcmp(a, "--rate")) {
            if ((k = bench_word(v, rates, 2)) < 0)
                return bench_usage_error(usage_text, "bench_round: --rate must be file or kl, not '%s'", v);
            rate_kl = k;
        } else if (!strcmp(a, "--anchor")) {
            if ((k = bench_word(v, anchors, 2)) < 0)
                return bench_usage_error(usage_text, "bench_round: --anchor must be jpeg or round, not '%s'", v);
            o->anchor_round = k;
            o->aname = anchors[k];
        } else {
            return bench_usage_error(usage_text, "bench_round: unknown option %s", a);
        }
    }
    if (o->nimg == 0)
        return bench_usage_error(usage_text, "bench_round: no IMAGE given");
    if (o->nrq < 4 || o->njq < 4)
        return bench_usage_error(usage_text, "bench_round: --q and --jq need at least 4 qualities each "
                                 "(for the BD-rate)");
    if (o->ntq && o->ntq != o->nrq)
        return bench_usage_error(usage_text, "bench_round: --zero-bits-q has %d thresholds for %d --q qualities",
                                 o->ntq, o->nrq);
    return -1;
}

int main(int argc, char **argv)
{
    static options opt = {.rq = {5, 10, 20, 35, 50, 65, 80}, .jq = {10, 25, 40, 55, 70, 85, 95},
                          .nrq = 7, .njq = 7, .reps = 3, .chroma = 420, .tname = "round", .aname = "jpeg"};
    static point rp[MAXIMG][MAXQ], jp[MAXIMG][MAXQ];
    double mpix = 0.0;
    int rc;
    recimg_encoder_params_default(&opt.base);
    recimg_encoder_params_default(&opt.abase);
    recimg_decoder_params_default(&test_dp);
    recimg_decoder_params_default(&anchor_dp);
    if ((rc = parse_args(argc, argv, &opt)) >= 0)
        return rc;
    const double *rq = opt.rq, *jq = opt.jq, *tq = opt.tq;
    const int ntq = opt.ntq, nrq = opt.nrq, njq = opt.njq, reps = opt.reps, nimg = opt.nimg, chroma = opt.chroma;
    const int anchor_round = opt.anchor_round;
    const char *const *files = opt.files, *tname = opt.tname, *aname = opt.aname;
    recimg_encoder_params base = opt.base, abase = opt.abase;
    base.chroma = chroma == 444 ? RECIMG_CHROMA_444 : RECIMG_CHROMA_420;
    abase.chroma = base.chroma;
    for (int f = 0; f < nimg; f++) {
        imageio_image img;
        char err[512];
        if (imageio_read(files[f], IMAGEIO_ALPHA_DROP, &img, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        mpix += (double)img.width * img.height / 1e6;
        for (int i = 0; i < nrq; i++) {
            if (ntq)
                base.rec_zero_bits = tq[i];
            if (run_rec(&img, rq[i], &base, &test_dp, reps, &rp[f][i])) { fprintf(stderr, "%s: recimg failed\n", files[f]); return 1; }
        }
        for (int i = 0; i < njq; i++) {
            const int r = anchor_round ? run_rec(&img, jq[i], &abase, &anchor_dp, reps, &jp[f][i])
                                       : run_jpeg(&img, (int)jq[i], chroma, reps, &jp[f][i]);
            if (r) { fprintf(stderr, "%s: anchor failed\n", files[f]); return 1; }
        }
        imageio_image_free(&img);
    }
    {
        double mr[MAXQ], mrp[MAXQ], mry[MAXQ], mj[MAXQ], mjp[MAXQ], mjy[MAXQ], mw, mo;
        double ret = 0, rdt = 0, jet = 0, jdt = 0, bd_rgb, bd_y, sum_rgb = 0, sum_y = 0;
        int nbd = 0;
        printf("images: %d (%.3f Mpixel total), chroma %d, timing median of %d runs\n", nimg, mpix, chroma, reps);
        printf("test: %s%s, anchor: %s\n", tname,
               base.mode == RECIMG_MODE_REC ? sampler_label(base.sampler) : "", aname);
        if (rate_kl)
            printf("test rate: the REC payload charged at its sum KL (--rate kl; an analysis bound, not a file size)\n");
        if (base.rec_block_flag)
            printf("test effort: 2 (uq: context model v4, a level per luma block)\n");
        if (base.mode == RECIMG_MODE_REC && base.sampler == RECIMG_SAMPLER_UQ)
            printf("test uq deadzone (flags2 0x400): %d, draws in its cells (flags2 0x1000): %d, fast rule "
                   "(flags2 0x2000): %d\n", base.rec_uq_deadzone, base.rec_uq_deadzone && base.rec_uq_dz_draw,
                   base.rec_uq_deadzone && base.rec_dz_fast_rule);
        printf("reconstruction table (flag 0x40): test %d, anchor %d\n", base.recon_table,
               anchor_round ? abase.recon_table : 0);
        printf("test: matrix %u, chroma step %g (255 / 0 = the mode's default), zero bits %g (-1 = default); "
               "anchor%s: matrix %u, chroma step %g\n", (unsigned)base.matrix_id, base.chroma_step_scale,
               base.rec_zero_bits, anchor_round ? "" : " (jpeg: unused)", (unsigned)abase.matrix_id,
               abase.chroma_step_scale);
        printf("round context model (prior id): test %s, anchor %s\n",
               base.mode == RECIMG_MODE_ROUND ? (base.round_block_gain ? "5" : "1") : "-",
               anchor_round ? (abase.round_block_gain ? "5" : "1") : "-");
        printf("round deadzone (flag 0x800): test %s, anchor %s\n",
               base.mode == RECIMG_MODE_ROUND ? (base.round_deadzone ? "1" : "0") : "-",
               anchor_round ? (abase.round_deadzone ? "1" : "0") : "-");
        if (ntq) {
            printf("test zero bits per quality:");
            for (int i = 0; i < ntq; i++)
                printf(" q%g:%g", rq[i], tq[i]);
            printf("\n");
        }
        printf("%-8s %8s %10s %10s %10s %10s %10s\n", "codec", "quality", "mean_bpp", "psnr_rgb", "psnr_y",
               "dct_w1", "overhead");
        for (int i = 0; i < nrq; i++) {
            mr[i] = mrp[i] = mry[i] = mw = mo = 0;
            for (int f = 0; f < nimg; f++) {
                mr[i] += rp[f][i].bpp / nimg; mrp[i] += rp[f][i].psnr / nimg; mry[i] += rp[f][i].psnr_y / nimg;
                mw += rp[f][i].w1 / nimg; mo += rp[f][i].overhead / nimg;
                ret += rp[f][i].enc_ms; rdt += rp[f][i].dec_ms;
            }
            printf("%-8s %8.1f %10.4f %10.3f %10.3f %10.4f %10.4f\n", tname, rq[i], mr[i], mrp[i], mry[i], mw, mo);
        }
        for (int i = 0; i < njq; i++) {
            mj[i] = mjp[i] = mjy[i] = mw = 0;
            for (int f = 0; f < nimg; f++) {
                mj[i] += jp[f][i].bpp / nimg; mjp[i] += jp[f][i].psnr / nimg; mjy[i] += jp[f][i].psnr_y / nimg;
                mw += jp[f][i].w1 / nimg;
                jet += jp[f][i].enc_ms; jdt += jp[f][i].dec_ms;
            }
            printf("%-8s %8.1f %10.4f %10.3f %10.3f %10.4f\n", aname, jq[i], mj[i], mjp[i], mjy[i], mw);
        }
        if (metrics_bd_rate(mj, mjp, (size_t)njq, mr, mrp, (size_t)nrq, &bd_rgb)) bd_rgb = (double)NAN;
        if (metrics_bd_rate(mj, mjy, (size_t)njq, mr, mry, (size_t)nrq, &bd_y)) bd_y = (double)NAN;
        printf("BD-rate of %s vs %s on mean curves: PSNR-RGB %+.2f%%, PSNR-Y %+.2f%%\n", tname, aname, bd_rgb, bd_y);
        for (int f = 0; f < nimg; f++) {
            double a[MAXQ], b[MAXQ], c[MAXQ], d[MAXQ], e[MAXQ], g[MAXQ], x, y;
            for (int i = 0; i < nrq; i++) { a[i] = rp[f][i].bpp; b[i] = rp[f][i].psnr; c[i] = rp[f][i].psnr_y; }
            for (int i = 0; i < njq; i++) { d[i] = jp[f][i].bpp; e[i] = jp[f][i].psnr; g[i] = jp[f][i].psnr_y; }
            if (!metrics_bd_rate(d, e, (size_t)njq, a, b, (size_t)nrq, &x) &&
                !metrics_bd_rate(d, g, (size_t)njq, a, c, (size_t)nrq, &y)) {
                printf("  %-40s BD-rate RGB %+7.2f%%  Y %+7.2f%%\n", files[f], x, y);
                sum_rgb += x; sum_y += y; nbd++;
            } else {
                printf("  %-40s BD-rate: curves do not overlap\n", files[f]);
            }
        }
        if (nbd)
            printf("mean per-image BD-rate: PSNR-RGB %+.2f%%, PSNR-Y %+.2f%% (%d images)\n", sum_rgb / nbd, sum_y / nbd, nbd);
        printf("time per megapixel (mean over qualities): %s encode %.1f ms, decode %.1f ms; "
               "%s encode %.1f ms, decode %.1f ms\n",
               tname, ret / nrq / mpix, rdt / nrq / mpix, aname, jet / njq / mpix, jdt / njq / mpix);
    }
    return 0;
}
