/* Header flags2 bit 0x800, the rounding baseline's decoder-aware deadzone
 * (docs/FORMAT.md "Payload of the round mode", codec_round.c).
 *
 * Through the round stage itself (recimg_round_encode_rows / _decode_begin / _decode_rows)
 * on a plane of synthetic Laplace-like coefficients, for context models v1 and v5, with
 * and without the deadzone:
 *  - lock-step: the decoder reads back every value (no corrupt stream, no decoder error)
 *    and each reconstruction lies in the coefficient's own cell: `center` within 1/2 step
 *    of y for a nonzero value and, for a zero, |y| <= (1/2 + RECIMG_ROUND_DZ_MAX) steps
 *    (1/2 without the deadzone); `mmse`, `sample` and `realism` within one step of y for
 *    a nonzero value (the cell is one step wide) and in the zero cell for a zero;
 *  - the deadzone acts: some |y| beyond 1/2 step decode to 0 with it (none without), the
 *    DC is not affected (its `center` output is the same with and without), and the
 *    stream is shorter.
 * Through the public API on synthetic RGB 4:2:0 and gray images:
 *  - round_deadzone = 1 (the default since session 8) writes a version 2 file whose flags2
 *    is 0x8 (0x800) and whose byte 27 is that of the plain file; round_deadzone = 0 a
 *    version 1 file; encoding twice gives the same bytes; rec mode never sets it;
 *  - every decode mode (mmse, center, sample, realism A = 1 and 0.5) gives the same pixels
 *    with threads 1 and 2 and on a second decode; the mmse PSNR stays within 1.5 dB of the
 *    plain file's (a decoder out of step would be far off) and the files total fewer bytes;
 *  - the bit is read: the file with flags2 cleared decodes to other pixels (or is refused
 *    as corrupt), and 0x800 on a rec-mode file is corrupt;
 *  - flags2 0x4000 (written with 0x800 since session 8: the zero cells' draw scale fitted
 *    for the deadzone) is decoder-only: the same stream (stage) and the same mmse and centre
 *    output as 0x800 alone, other sample / realism output (some of the stage's and the
 *    files' draws differ), draws still inside their cells (stage); 0x4000 without 0x800 is
 *    corrupt. The header rules over prior id,
 *    sampler and flags are in test_codec_header_rules.c. */
#include "codec_ctx.h"
#include "codec_round.h"
#include "codec_format.h"
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BW = 6, BH = 5, NCOEF = BW * BH * 64 };

static const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER, RECIMG_DECODE_SAMPLE,
                                            RECIMG_DECODE_REALISM};

/* Encodes coef with the round stage; returns the stream (malloc'd) and its size. */
static uint8_t *stage_encode(const double *coef, const double step[64], const recimg_round_model *m, size_t *size)
{
    rec_rc_encoder enc;
    recimg_ctx *ctx = NULL;
    uint8_t *buf = NULL;
    CHECK(rec_rc_encoder_init(&enc) == 0);
    CHECK(recimg_ctx_create(BW, RECIMG_CTX_DISCRETE, &ctx) == RECIMG_OK);
    /* two calls over consecutive row ranges, as the codec's bands do */
    CHECK(recimg_round_encode_rows(&enc, ctx, coef, BW, 0, 2, step, NULL, 0, m) == RECIMG_OK);
    CHECK(recimg_round_encode_rows(&enc, ctx, coef + 2 * BW * 64, BW, 2, BH, step, NULL, 0, m) == RECIMG_OK);
    CHECK(rec_rc_encoder_finish(&enc, &buf, size) == 0);
    recimg_ctx_free(ctx);
    return buf;
}

static void stage_decode(const uint8_t *buf, size_t size, const double step[64], const recimg_round_model *m,
                         recimg_decode_mode mode, double realism, double *out)
{
    rec_rc_decoder dec;
    recimg_ctx *ctx = NULL;
    recimg_round_recon rr = {mode, realism, 12345u, 0, NULL};
    recimg_round_dec_state ds;
    CHECK(recimg_round_decode_begin(&ds, m, &rr, buf, size, BW, BH) == RECIMG_OK);
    CHECK(recimg_ctx_create(BW, RECIMG_CTX_DISCRETE, &ctx) == RECIMG_OK);
    rec_rc_decoder_init(&dec, buf, size);
    CHECK(recimg_round_decode_rows(&dec, ctx, out, BW, 0, 3, step, &ds) == RECIMG_OK);
    CHECK(recimg_round_decode_rows(&dec, ctx, out + 3 * BW * 64, BW, 3, BH, step, &ds) == RECIMG_OK);
    CHECK(!rec_rc_decoder_error(&dec));
    recimg_ctx_free(ctx);
}

static void stage(uint32_t prior_id)
{
    static double coef[NCOEF], out[3][4][NCOEF];
    double step[64];
    size_t size[3] = {0, 0, 0};
    int beyond[3] = {0, 0, 0};
    uint8_t *stream[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 64; k++)
        step[k] = 3.0 + 0.4 * (double)(k % 8 + k / 8);
    ct_laplace_coefficients(coef, NCOEF, 91, 60.0);
    for (int dz = 0; dz < 3; dz++) {   /* plain, 0x800, 0x800 | 0x4000 */
        recimg_round_model m;
        uint8_t *buf;
        const double zmax = 0.5 + (dz ? RECIMG_ROUND_DZ_MAX : 0.0);
        recimg_round_model_init(&m, prior_id, dz == 0 ? 0u : dz == 1 ? RECIMG_FLAG_ROUND_DEADZONE
                                                                    : RECIMG_FLAG_ROUND_DEADZONE | RECIMG_FLAG_ROUND_DZ_DRAW);
        CHECK(m.deadzone == (dz > 0) && m.dz_draw == (dz == 2));
        buf = stage_encode(coef, step, &m, &size[dz]);
        for (int i = 0; i < 4; i++)
            stage_decode(buf, size[dz], step, &m, modes[i], 0.5, out[dz][i]);
        for (int i = 0; i < 4; i++) {   /* out[dz][1]: center, whose 0 is the index 0 */
            int bad = 0;
            for (int j = 0; j < NCOEF; j++) {
                const double st = step[j % 64], y = coef[j] / st, x = out[dz][i][j] / st;
                const int zero_c = out[dz][1][j] == 0.0;   /* the index is 0 */
                if (i == 1) {
                    if (x == 0.0 ? !(fabs(y) <= zmax + 1e-9) : !(fabs(x - y) <= 0.5 + 1e-9))
                        bad++;
                    if (x == 0.0 && fabs(y) > 0.5 && j % 64 != 0)
                        beyond[dz]++;
                } else if (j % 64 != 0 && zero_c) {
                    if (!(fabs(x) <= zmax + 1e-9))
                        bad++;
                } else if (j % 64 != 0 && !(fabs(x - y) <= 1.0 + 1e-9)) {
                    bad++;
                }
            }
            if (bad)
                fprintf(stderr, "prior %u deadzone %d mode %d: %d values outside their cell\n", (unsigned)prior_id,
                        dz, (int)modes[i], bad);
            CHECK(bad == 0);
        }
        stream[dz] = buf;
    }
    for (int b = 0; b < BW * BH; b++)   /* the DC index and its centre do not change */
        CHECK(out[0][1][b * 64] == out[1][1][b * 64]);
    printf("stage prior %u: %zu B plain, %zu B deadzone; |y| > 1/2 step coded as 0: %d plain, %d deadzone\n",
           (unsigned)prior_id, size[0], size[1], beyond[0], beyond[1]);
    CHECK(beyond[0] == 0 && beyond[1] > 0);
    CHECK(size[1] < size[0]);
    /* 0x4000 is decoder-only: the same stream, the same mmse and centre values; the
       drawing modes differ (this plane has bands of 90-99% zeros, where it acts) */
    CHECK(size[2] == size[1] && stream[1] && stream[2] && memcmp(stream[1], stream[2], size[1]) == 0);
    CHECK(memcmp(out[2][0], out[1][0], sizeof out[1][0]) == 0 && memcmp(out[2][1], out[1][1], sizeof out[1][1]) == 0);
    CHECK(memcmp(out[2][2], out[1][2], sizeof out[1][2]) != 0 && memcmp(out[2][3], out[1][3], sizeof out[1][3]) != 0);
    for (int dz = 0; dz < 3; dz++)
        free(stream[dz]);
}

/* dz -1: the default; matrix: the step matrix (RECIMG_MATRIX_DEFAULT: the mode's) */
static recimg_status encode(const recimg_image *img, recimg_mode mode, double q, int dz, uint32_t matrix,
                            uint8_t **out, size_t *n)
{
    recimg_encoder_params p;
    recimg_encoder_params_default(&p);
    p.mode = mode;
    p.matrix_id = matrix;
    p.sampler = mode == RECIMG_MODE_REC ? RECIMG_SAMPLER_UQ : RECIMG_SAMPLER_NONE;
    p.quality = q;
    if (dz >= 0)
        p.round_deadzone = dz;
    return ct_encode(&p, img, out, n, NULL);
}

static double total_bytes[2], total_psnr[2];
static int draw_differs;   /* sample / realism decodes that 0x4000 changed */
static int nconf;

static void api(const recimg_image *img, double q, const char *name)
{
    uint8_t *f[2] = {NULL, NULL}, *again = NULL, *dflt = NULL, *flat = NULL, *cleared = NULL;
    size_t n[2] = {0, 0}, na = 0, nd = 0, nf = 0, nc = 0;
    recimg_image ref[2];
    memset(ref, 0, sizeof ref);
    /* the deadzone against plain rounding at the same steps: both on matrix 1 (by default
       the deadzone comes with the flat matrix 0 since session 9, plain rounding without) */
    for (int dz = 0; dz < 2; dz++) {
        CHECK(encode(img, RECIMG_MODE_ROUND, q, dz, 1, &f[dz], &n[dz]) == RECIMG_OK && n[dz] > 60);
        if (!f[dz] || n[dz] <= 60)
            goto done;
        for (int i = 0; i < 5; i++) {
            recimg_image a, b, c;
            const recimg_decode_mode md = i < 4 ? modes[i] : RECIMG_DECODE_REALISM;
            const double A = i < 4 ? 1.0 : 0.5;
            CHECK(ct_decode_mode(f[dz], n[dz], md, A, 1, &a) == RECIMG_OK);
            CHECK(ct_decode_mode(f[dz], n[dz], md, A, 2, &b) == RECIMG_OK);
            CHECK(ct_decode_mode(f[dz], n[dz], md, A, 1, &c) == RECIMG_OK);
            CHECK(ct_same_pixels(&a, &b) && ct_same_pixels(&a, &c));
            if (i == 0)
                ref[dz] = a;
            else
                recimg_free(a.pixels);
            recimg_free(b.pixels);
            recimg_free(c.pixels);
        }
    }
    /* version 1 without, version 2 with flags2 = 0x8; the same byte 27 and prior id */
    CHECK(f[0][8] == 1 && f[1][8] == 2 && n[1] > 64);
    CHECK(f[1][56] == 0x48 && f[1][57] == 0 && f[1][58] == 0 && f[1][59] == 0);   /* 0x800 | 0x4000 */
    CHECK(f[1][27] == f[0][27] && f[1][25] == f[0][25] && f[1][25] == 5);
    CHECK(encode(img, RECIMG_MODE_ROUND, q, 1, 1, &again, &na) == RECIMG_OK);
    CHECK(again && na == n[1] && memcmp(again, f[1], na) == 0);
    /* the default is with it, on the flat matrix (the same file as an explicit matrix 0) */
    CHECK(encode(img, RECIMG_MODE_ROUND, q, -1, RECIMG_MATRIX_DEFAULT, &dflt, &nd) == RECIMG_OK);
    CHECK(encode(img, RECIMG_MODE_ROUND, q, 1, 0, &flat, &nf) == RECIMG_OK);
    CHECK(dflt && flat && nd == nf && memcmp(dflt, flat, nd) == 0 && nd > 60 && dflt[26] == 0);
    CHECK(dflt && nd > 60 && dflt[8] == 2 && dflt[56] == 0x48);
    {
        const double p0 = ct_psnr(img, &ref[0]), p1 = ct_psnr(img, &ref[1]);
        printf("%-16s deadzone %6zu B %.3f dB, plain %6zu B %.3f dB\n", name, n[1], p1, n[0], p0);
        CHECK(p1 > p0 - 1.5);
        total_bytes[0] += (double)n[0];
        total_bytes[1] += (double)n[1];
        total_psnr[0] += p0;
        total_psnr[1] += p1;
        nconf++;
    }
    {   /* 0x4000 (decoder only): the file with flags2 0x800 alone (as session 7 wrote) decodes
           to the same mmse and centre pixels; sample and realism may differ (counted: main
           checks that some do); 0x4000 without 0x800 is corrupt */
        size_t n8 = 0, n40 = 0;
        uint8_t *f8 = ct_with_flags2(f[1], n[1], 0x08u, &n8), *f40 = ct_with_flags2(f[1], n[1], 0x40u, &n40);
        CHECK(f8 != NULL && f40 != NULL);
        if (f8) {
            for (int i = 0; i < 4; i++) {
                recimg_image a, b;
                CHECK(ct_decode_mode(f[1], n[1], modes[i], 1.0, 1, &a) == RECIMG_OK);
                CHECK(ct_decode_mode(f8, n8, modes[i], 1.0, 1, &b) == RECIMG_OK);
                if (modes[i] == RECIMG_DECODE_MMSE || modes[i] == RECIMG_DECODE_CENTER)
                    CHECK(ct_same_pixels(&a, &b));
                else
                    draw_differs += !ct_same_pixels(&a, &b);
                recimg_free(a.pixels);
                recimg_free(b.pixels);
            }
        }
        if (f40) {
            recimg_image x;
            CHECK(ct_decode(f40, n40, 1, &x) == RECIMG_ERR_CORRUPT);
        }
        free(f8);
        free(f40);
    }
    /* the bit is read: without it the same payload decodes differently or is refused */
    cleared = ct_with_flags2(f[1], n[1], 0u, &nc);
    CHECK(cleared != NULL);
    if (cleared) {
        recimg_image x;
        const recimg_status st = ct_decode(cleared, nc, 1, &x);
        CHECK(st == RECIMG_OK || st == RECIMG_ERR_CORRUPT);
        if (st == RECIMG_OK) {
            CHECK(!ct_same_pixels(&x, &ref[1]));
            recimg_free(x.pixels);
        }
    }
done:
    free(cleared);
    recimg_free(ref[0].pixels);
    recimg_free(ref[1].pixels);
    recimg_free(f[0]);
    recimg_free(f[1]);
    recimg_free(again);
    recimg_free(dflt);
    recimg_free(flat);
}

/* rec mode: round_deadzone is ignored, and 0x800 on a rec file is corrupt */
static void rec_mode(const recimg_image *img)
{
    uint8_t *f = NULL, *g = NULL;
    size_t n = 0, ng = 0;
    recimg_image x;
    CHECK(encode(img, RECIMG_MODE_REC, 50, 1, RECIMG_MATRIX_DEFAULT, &f, &n) == RECIMG_OK);
    CHECK(f && n > 60 && (f[8] == 1 || (f[8] == 2 && !(f[56] & 0x08))));   /* never 0x800 */
    if (f && n > 60) {
        const uint32_t old2 = f[8] == 2 ? (uint32_t)f[56] | (uint32_t)f[57] << 8 | (uint32_t)f[58] << 16 : 0u;
        g = ct_with_flags2(f, n, old2 | 0x8u, &ng);
        CHECK(g != NULL);
        if (g)
            CHECK(ct_decode(g, ng, 1, &x) == RECIMG_ERR_CORRUPT);
    }
    free(g);
    recimg_free(f);
}

int main(void)
{
    recimg_image rgb, gray;
    stage(RECIMG_PRIOR_LAPLACE_CTX1);
    stage(RECIMG_PRIOR_LAPLACE_CTX5);
    CHECK(ct_make_image(&rgb, 96, 64, 3, 71) == 0);
    CHECK(ct_make_image(&gray, 72, 56, 1, 72) == 0);
    api(&rgb, 20, "rgb q20");
    api(&rgb, 75, "rgb q75");
    api(&gray, 40, "gray q40");
    api(&gray, 95, "gray q95");
    printf("totals: deadzone %.0f B, mean %.3f dB; plain %.0f B, mean %.3f dB\n", total_bytes[1],
           total_psnr[1] / nconf, total_bytes[0], total_psnr[0] / nconf);
    CHECK(nconf == 4 && total_bytes[1] < total_bytes[0]);
    printf("flags2 0x4000: %d of 8 sample / realism decodes differ from 0x800 alone\n", draw_differs);
    CHECK(draw_differs > 0);
    rec_mode(&rgb);
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_round_deadzone");
}
