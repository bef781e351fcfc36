/* The reconstruction table (header flag 0x40, docs/FORMAT.md "Reconstruction table";
 * codec_recon.c): per class of coded coefficient a bias q / 128 (units: sigma_k in rec
 * mode, the step in round mode) that the mmse and realism decoders add to their estimate,
 * clamped into the coefficient's cell.
 *  - helpers: the class map, the encoder's choice (sign, quantization, clamp at +-127,
 *    the 8-bit rate rule), write / parse round trip, every parse refusal (payload shorter
 *    than the mask or than its entries, reserved mask bits, entry 0 or -128, a chroma
 *    class in a one-plane image), recimg_recon_apply's clamp;
 *  - through the API, round mode (the default deadzone and plain rounding) and rec mode (uq
 *    with the default flags, lrq), RGB 4:2:0 and gray: the file with the table is the file without it with the table inserted
 *    after the skip-energy table and the flag and payload size changed (the streams are
 *    the same bytes); the table has entries; centre, sample and realism with A = 1 decode
 *    to the same pixels, mmse and realism with A = 0.5 to other pixels, and mmse's PSNR
 *    against the source is higher; the
 *    encoder's bytes and every decode mode agree for 1 and 2 threads; rewriting the
 *    table's entries to others changes mmse only; mmse's PSNR is that of 8-bit pixels,
 *    so each case sits where the table's gain exceeds what the output's rounding moves
 *    (at high rates it may not: gray round q75 and q85 with the deadzone gain +0.007 and
 *    +0.008 dB before the rounding and lose 0.012 and 0.002 dB after it);
 *  - the round stage in the coefficient domain (no rounding), context models v1 and v5,
 *    plain and with the deadzone (flags2 0x800): the table lowers the MMSE decode's
 *    squared error by at least the encoder's predicted gain (stage_exact);
 *  - the default encoder writes the table in both modes (the same bytes as recon_table = 1);
 *  - hostile input (CRC recomputed, so only the table rules can refuse): a reserved mask
 *    bit, an entry 0 or -128, a payload that ends inside the table. */
#include "codec_recon.h"
#include "codec_round.h"
#include "codec_format.h"
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The header size of a file (56 in version 1, 60 in version 2: the deadzone uq's flags2). */
static size_t hdr_of(const uint8_t *f)
{
    return (size_t)(f[10] | f[11] << 8);
}

static void helpers(void)
{
    recimg_recon_acc acc;
    recimg_recon_table t;
    uint8_t buf[RECIMG_RECON_MASK_BYTES + RECIMG_RECON_CLASSES], bad[8];
    size_t n, used;
    CHECK(recimg_recon_group(0) == 0 && recimg_recon_group(1) == 1 && recimg_recon_group(5) == 1);
    CHECK(recimg_recon_group(6) == 2 && recimg_recon_group(55) == 8 && recimg_recon_group(63) == 8);
    CHECK(recimg_recon_class(0, 0, 0) == 0 && recimg_recon_class(0, 0, 1) == 1);
    CHECK(recimg_recon_class(0, 63, 1) == 17 && recimg_recon_class(1, 0, 0) == 18);
    CHECK(recimg_recon_class(1, 63, 1) == RECIMG_RECON_CLASSES - 1);
    for (int zz = 0; zz < 64; zz++)   /* the lookup table is the skip-energy groups + 1 */
        CHECK(recimg_recon_group_of_zz[zz] == recimg_recon_group(zz));
    {   /* the decoder's expansion by zigzag index and cell type */
        static double zc[64][2];
        memset(&t, 0, sizeof t);
        t.c[recimg_recon_class(1, 40, 1)] = 0.5;
        CHECK(recimg_recon_table_expand(&t, 0, zc) == 0);
        CHECK(recimg_recon_table_expand(&t, 1, zc) == 1);
        for (int zz = 0; zz < 64; zz++)
            CHECK(zc[zz][0] == 0.0 && zc[zz][1] == (recimg_recon_group(zz) == recimg_recon_group(40) ? 0.5 : 0.0));
    }
    /* the choice: 1000 coefficients of unit 2 with mean error +0.25 -> q = 32; one class
       with error -3 -> clamped to -127; a class whose gain is below 8 bits -> absent */
    memset(&acc, 0, sizeof acc);
    for (int i = 0; i < 1000; i++) {
        recimg_recon_acc_add(&acc, 5, 2.0, i % 2 ? 0.5 : 0.0);
        recimg_recon_acc_add(&acc, 20, 1.0, -3.0);
    }
    for (int i = 0; i < 10; i++)
        recimg_recon_acc_add(&acc, 7, 1.0, 0.1);   /* gain 10 * 0.01 << 8 * lambda */
    n = recimg_recon_table_write(&acc, 2.0 * 0.69314718055994530942, buf);
    CHECK(n == RECIMG_RECON_MASK_BYTES + 2);
    CHECK(buf[0] == 0x20 && buf[1] == 0 && buf[2] == 0x10 && buf[3] == 0 && buf[4] == 0);
    CHECK(buf[5] == 32 && buf[6] == (uint8_t)(int8_t)-127);
    CHECK(recimg_recon_table_parse(buf, n, 3, &t, &used) == RECIMG_OK && used == n);
    CHECK(t.c[5] == 0.25 && t.c[20] == -127.0 / 128.0 && t.c[7] == 0.0 && t.c[0] == 0.0);
    /* a one-plane image has no chroma class; the table must say so */
    CHECK(recimg_recon_table_parse(buf, n, 1, &t, &used) == RECIMG_ERR_CORRUPT);
    /* refusals */
    CHECK(recimg_recon_table_parse(buf, 4, 3, &t, &used) == RECIMG_ERR_CORRUPT);       /* inside the mask */
    CHECK(recimg_recon_table_parse(buf, n - 1, 3, &t, &used) == RECIMG_ERR_CORRUPT);   /* inside the entries */
    memcpy(bad, buf, n);
    bad[4] = 0x10;   /* bit 36: reserved */
    CHECK(recimg_recon_table_parse(bad, n, 3, &t, &used) == RECIMG_ERR_CORRUPT);
    memcpy(bad, buf, n);
    bad[5] = 0;
    CHECK(recimg_recon_table_parse(bad, n, 3, &t, &used) == RECIMG_ERR_CORRUPT);
    bad[5] = 0x80;   /* -128 */
    CHECK(recimg_recon_table_parse(bad, n, 3, &t, &used) == RECIMG_ERR_CORRUPT);
    bad[5] = 0x7F;
    CHECK(recimg_recon_table_parse(bad, n, 3, &t, &used) == RECIMG_OK && t.c[5] == 127.0 / 128.0);
    memset(bad, 0, sizeof bad);   /* an empty table: the mask alone */
    CHECK(recimg_recon_table_parse(bad, 5, 1, &t, &used) == RECIMG_OK && used == 5);
    /* apply: est + sign c, clamped */
    CHECK(recimg_recon_apply(1.0, 1.0, 0.25, 0.5, 1.5) == 1.25);
    CHECK(recimg_recon_apply(1.0, -1.0, 0.25, 0.5, 1.5) == 0.75);
    CHECK(recimg_recon_apply(1.4, 1.0, 0.25, 0.5, 1.5) == 1.5);
    CHECK(recimg_recon_apply(0.6, -1.0, 0.25, 0.5, 1.5) == 0.5);
}

/* ---------------------------------------------------------------- files */

static int round_plain;   /* 1: round_deadzone = 0 (plain rounding, version-1 files) */

static recimg_status encode(const recimg_image *img, recimg_mode mode, recimg_sampler s, double q, int table,
                            int threads, uint8_t **out, size_t *size)
{
    recimg_encoder_params p;
    recimg_encoder_params_default(&p);
    if (round_plain)
        p.round_deadzone = 0;
    p.mode = mode;
    p.sampler = s;
    p.quality = q;
    p.threads = threads;
    if (table >= 0)   /* -1: the default */
        p.recon_table = table;
    return ct_encode(&p, img, out, size, NULL);
}

/* Decoded image (pixels malloc'd by the codec; recimg_free) or no pixels with *st set. */
static double realism_a = 0.5;   /* the realism decodes' A */

static recimg_image decode(const uint8_t *f, size_t n, recimg_decode_mode mode, int threads, recimg_status *st)
{
    recimg_image out;
    *st = ct_decode_mode(f, n, mode, realism_a, threads, &out);
    return out;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void file_pair(const recimg_image *img, recimg_mode mode, recimg_sampler s, double q, const char *name)
{
    const size_t npx = (size_t)img->width * img->height * img->channels;
    uint8_t *a = NULL, *z = NULL, *a2 = NULL;
    size_t na = 0, nz = 0, na2 = 0, se, nt, entries = 0;
    CHECK(encode(img, mode, s, q, 1, 1, &a, &na) == RECIMG_OK);
    CHECK(encode(img, mode, s, q, 0, 1, &z, &nz) == RECIMG_OK);
    CHECK(encode(img, mode, s, q, 1, 2, &a2, &na2) == RECIMG_OK);
    CHECK(a && a2 && na == na2 && memcmp(a, a2, na) == 0);   /* the encoder's threads */
    {   /* the default: the table, in both modes */
        uint8_t *d = NULL;
        size_t nd = 0;
        CHECK(encode(img, mode, s, q, -1, 1, &d, &nd) == RECIMG_OK);
        CHECK(d && nd == na && memcmp(a, d, na) == 0);
        recimg_free(d);
    }
    if (!a || !z || na <= nz + RECIMG_RECON_MASK_BYTES - 1 || nz < hdr_of(z) + 8) {
        CHECK(!"files with and without the table differ by more than a table");
        goto done;
    }
    const size_t HDR = hdr_of(a);
    CHECK(a[27] == (z[27] | 0x40) && !(z[27] & 0x40));
    se = (z[27] & 0x04) ? 8 : 0;   /* the skip-energy table comes first */
    nt = na - nz;
    for (int c = 0; c < RECIMG_RECON_CLASSES; c++)
        entries += (a[HDR + se + (size_t)c / 8] >> (c % 8)) & 1u;
    CHECK(nt == RECIMG_RECON_MASK_BYTES + entries);
    CHECK(entries > 0);   /* these images' tables are not empty: the mmse rows below test something */
    CHECK(get64(a + 48) == get64(z + 48) + nt);
    CHECK(memcmp(a, z, 27) == 0 && memcmp(a + 28, z + 28, 20) == 0);    /* header but flags, size */
    CHECK(memcmp(a + HDR, z + HDR, se) == 0);                            /* the skip-energy table */
    CHECK(memcmp(a + HDR + se + nt, z + HDR + se, nz - HDR - se - 4) == 0);   /* the same streams */
    {
        const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER, RECIMG_DECODE_SAMPLE,
                                             RECIMG_DECODE_REALISM};
        for (int m = 0; m < 4; m++) {
            recimg_status s1, s2, s3;
            recimg_image p1 = decode(a, na, modes[m], 1, &s1), p2 = decode(z, nz, modes[m], 1, &s2);
            recimg_image p3 = decode(a, na, modes[m], 2, &s3);
            CHECK(s1 == RECIMG_OK && s2 == RECIMG_OK && s3 == RECIMG_OK);
            if (p1.pixels && p2.pixels && p3.pixels) {
                const int same = memcmp(p1.pixels, p2.pixels, npx) == 0;
                CHECK(same == (modes[m] == RECIMG_DECODE_CENTER || modes[m] == RECIMG_DECODE_SAMPLE));
                CHECK(memcmp(p1.pixels, p3.pixels, npx) == 0);   /* threads */
                if (modes[m] == RECIMG_DECODE_MMSE) {
                    const double with = ct_psnr(img, &p1), without = ct_psnr(img, &p2);
                    printf("%-22s mmse PSNR %.4f dB with the table, %.4f without (%zu entries, %zu B)\n", name,
                           with, without, entries, nt);
                    CHECK(with > without);
                }
            }
            recimg_free(p1.pixels);
            recimg_free(p2.pixels);
            recimg_free(p3.pixels);
        }
    }
    {   /* realism with A = 1 (the default A) never uses the mmse estimate */
        recimg_status s1, s2;
        recimg_image p1, p2;
        realism_a = 1.0;
        p1 = decode(a, na, RECIMG_DECODE_REALISM, 1, &s1);
        p2 = decode(z, nz, RECIMG_DECODE_REALISM, 1, &s2);
        realism_a = 0.5;
        CHECK(s1 == RECIMG_OK && s2 == RECIMG_OK && p1.pixels && p2.pixels &&
              memcmp(p1.pixels, p2.pixels, npx) == 0);
        recimg_free(p1.pixels);
        recimg_free(p2.pixels);
    }
    {   /* other entries: mmse changes, centre does not; hostile tables are refused */
        uint8_t *f = malloc(na);
        CHECK(f != NULL);
        if (f) {
            recimg_status s1, s2;
            recimg_image p1, p2;
            const size_t e0 = HDR + se + RECIMG_RECON_MASK_BYTES;   /* the first entry */
            memcpy(f, a, na);
            f[e0] = (uint8_t)(f[e0] == 100 ? 99 : 100);
            ct_fix_crc(f, na);
            p1 = decode(f, na, RECIMG_DECODE_MMSE, 1, &s1);
            p2 = decode(a, na, RECIMG_DECODE_MMSE, 1, &s2);
            CHECK(s1 == RECIMG_OK && s2 == RECIMG_OK && p1.pixels && p2.pixels &&
                  memcmp(p1.pixels, p2.pixels, npx) != 0);
            recimg_free(p1.pixels);
            recimg_free(p2.pixels);
            p1 = decode(f, na, RECIMG_DECODE_CENTER, 1, &s1);
            p2 = decode(a, na, RECIMG_DECODE_CENTER, 1, &s2);
            CHECK(s1 == RECIMG_OK && s2 == RECIMG_OK && p1.pixels && p2.pixels &&
                  memcmp(p1.pixels, p2.pixels, npx) == 0);
            recimg_free(p1.pixels);
            recimg_free(p2.pixels);
            f[e0] = 0;
            ct_fix_crc(f, na);
            CHECK(ct_decode_status(f, na) == RECIMG_ERR_CORRUPT);
            f[e0] = 0x80;
            ct_fix_crc(f, na);
            CHECK(ct_decode_status(f, na) == RECIMG_ERR_CORRUPT);
            memcpy(f, a, na);
            f[HDR + se + 4] |= 0x80;   /* bit 39: reserved */
            ct_fix_crc(f, na);
            CHECK(ct_decode_status(f, na) == RECIMG_ERR_CORRUPT);
            /* a payload that ends inside the table: size field, file size and CRC consistent */
            for (size_t keep = se; keep < se + nt; keep++) {
                memcpy(f, a, HDR + keep);
                for (int i = 0; i < 8; i++) f[48 + i] = (uint8_t)((uint64_t)keep >> (8 * i));
                ct_fix_crc(f, HDR + keep + 4);
                CHECK(ct_decode_status(f, HDR + keep + 4) == RECIMG_ERR_CORRUPT);
            }
        }
        free(f);
    }
done:
    recimg_free(a);
    recimg_free(z);
    recimg_free(a2);
}

/* ---------------------------------------------------------------- round stage, exact */

enum { SBW = 12, SBH = 10, SN = SBW * SBH * 64 };

/* The table's claim where it is defined, in the coefficient domain (no 8-bit rounding):
 * round stage (recimg_round_encode_rows / _decode_rows), context model v1 and v5, plain
 * and with the deadzone (flags2 0x800, whose nonzero cells move out by d and whose table
 * clamps into the moved cell). The coefficients: every band Laplace, but the odd zigzag
 * bands' magnitudes spread uniformly over their nonzero bins (a texture's mid-bin values,
 * which the context Laplace puts at the cell's inner edge), so classes have a bias worth
 * their byte. With the table the MMSE decode's squared error must fall by at least the
 * encoder's own predicted gain, sum over the kept classes of 2 c sr - c^2 su (the clamp
 * into the cell can only add to it, the true value lying in the cell), and only coded
 * nonzero values may move. The file-level rows below measure 8-bit pixels instead, where
 * the output's rounding adds its own fluctuation (see file_pair's cases). */
static void stage_exact(uint32_t prior_id, int dz)
{
    static double coef[SN], out[2][SN];
    double step[64], zc[64][2], gain = 0.0, e0 = 0.0, e1 = 0.0;
    uint8_t tbuf[RECIMG_RECON_MASK_BYTES + RECIMG_RECON_CLASSES], *buf = NULL;
    size_t size = 0, used = 0, nt;
    int entries = 0, moved_zero = 0;
    recimg_recon_acc acc;
    recimg_recon_table t;
    recimg_round_model m;
    rec_rc_encoder enc;
    recimg_ctx *ctx = NULL;
    uint64_t st = 977u + prior_id * 10u + (uint64_t)dz;
    for (int k = 0; k < 64; k++)
        step[k] = 2.0 + 0.3 * (double)(k % 8 + k / 8);
    ct_laplace_coefficients(coef, SN, 4242, 40.0);
    for (int j = 0; j < SN; j++) {
        const int zz_odd = j % 2;   /* raster index parity: half the bands */
        double u;
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        u = ((double)(st >> 11) + 0.5) / 9007199254740992.0;
        if (zz_odd && j % 64 != 0 && fabs(coef[j]) > 0.5 * step[j % 64])   /* mid-bin spread */
            coef[j] = (coef[j] < 0 ? -1.0 : 1.0) * step[j % 64] * (floor(fabs(coef[j]) / step[j % 64] + 0.5) + u - 0.5);
    }
    recimg_round_model_init(&m, prior_id, dz ? RECIMG_FLAG_ROUND_DEADZONE : 0u);
    memset(&acc, 0, sizeof acc);
    CHECK(rec_rc_encoder_init(&enc) == 0);
    CHECK(recimg_ctx_create(SBW, RECIMG_CTX_DISCRETE, &ctx) == RECIMG_OK);
    CHECK(recimg_round_encode_rows(&enc, ctx, coef, SBW, 0, SBH, step, &acc, 0, &m) == RECIMG_OK);
    CHECK(rec_rc_encoder_finish(&enc, &buf, &size) == 0);
    recimg_ctx_free(ctx);
    nt = recimg_recon_table_write(&acc, 2.0 * 0.69314718055994530942 / 12.0, tbuf);   /* round's slope */
    CHECK(recimg_recon_table_parse(tbuf, nt, 1, &t, &used) == RECIMG_OK && used == nt);
    for (int c = 0; c < RECIMG_RECON_CLASSES; c++)
        if (t.c[c] != 0.0) {
            entries++;
            gain += 2.0 * t.c[c] * acc.sr[c] - t.c[c] * t.c[c] * acc.su[c];
        }
    CHECK(recimg_recon_table_expand(&t, 0, zc) == entries);   /* one plane: all luma classes */
    for (int w = 0; w < 2; w++) {
        rec_rc_decoder dec;
        recimg_round_recon rr = {RECIMG_DECODE_MMSE, 1.0, 1u, 0, w ? (const double (*)[2])zc : NULL};
        recimg_round_dec_state ds;
        CHECK(recimg_round_decode_begin(&ds, &m, &rr, buf, size, SBW, SBH) == RECIMG_OK);
        CHECK(recimg_ctx_create(SBW, RECIMG_CTX_DISCRETE, &ctx) == RECIMG_OK);
        rec_rc_decoder_init(&dec, buf, size);
        CHECK(recimg_round_decode_rows(&dec, ctx, out[w], SBW, 0, SBH, step, &ds) == RECIMG_OK);
        CHECK(!rec_rc_decoder_error(&dec));
        recimg_ctx_free(ctx);
    }
    for (int j = 0; j < SN; j++) {
        e0 += (out[0][j] - coef[j]) * (out[0][j] - coef[j]);
        e1 += (out[1][j] - coef[j]) * (out[1][j] - coef[j]);
        if (out[1][j] != out[0][j] && out[0][j] == 0.0 && j % 64 != 0)
            moved_zero++;   /* an AC zero (MMSE value 0) never moves */
    }
    printf("stage prior %u deadzone %d: %d entries, coefficient SSE %.3f without the table, %.3f with "
           "(-%.9f; the encoder predicted -%.9f)\n", (unsigned)prior_id, dz, entries, e0, e1, e0 - e1, gain);
    CHECK(entries > 0);   /* not vacuous */
    CHECK(moved_zero == 0);
    /* the decoder's estimate takes b from rec_log where the encoder's sums took it from
       rec_ln_fast: the prediction is exact to about 1e-8 of itself (measured), hence 1e-6 */
    CHECK(gain > 0.0 && e1 < e0 && e0 - e1 >= gain * (1.0 - 1e-6));
    free(buf);
}

int main(void)
{
    recimg_image rgb, gray;
    helpers();
    for (int dz = 0; dz < 2; dz++) {
        stage_exact(1, dz);
        stage_exact(5, dz);
    }
    CHECK(ct_make_image(&rgb, 128, 96, 3, 36) == 0);
    CHECK(ct_make_image(&gray, 96, 96, 1, 37) == 0);
    file_pair(&rgb, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 60, "round rgb420 q60");
    /* gray round at q50, not q85 as until session 8: there the table's gain (+0.0081 dB
       in the unrounded output with the deadzone default, +0.0071 dB plain) is below the
       fluctuation that the output's 8-bit rounding adds (the 8-bit gain was -0.0023 dB
       with the deadzone, +0.0242 dB plain); q50: +0.037 dB unrounded, +0.056 dB 8-bit.
       stage_exact above checks the table in the coefficient domain. */
    file_pair(&gray, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 50, "round gray q50");
    round_plain = 1;   /* plain rounding (--deadzone 0): +0.056 dB unrounded, +0.048 dB 8-bit */
    file_pair(&gray, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 50, "round plain gray q50");
    round_plain = 0;
    file_pair(&rgb, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 70, "rec uq rgb420 q70");
    file_pair(&gray, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ, 60, "rec lrq gray q60");
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_recon_table");
}
