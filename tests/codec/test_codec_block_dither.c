/* Header flag 0x20, the block dither stream (docs/FORMAT.md; codec_rec.c
 * block_dither_key, rec/rec_prng.h rec_prng_stream_u64), through the public API, on
 * synthetic RGB 4:2:0 and gray images at low and high quality, with the default coder
 * (0x01 | 0x08), the window coder and prior id 4 (rec_block_flag = 1):
 *  - the default encoder sets 0x20 for sampler uq and rec_block_dither = 0 leaves it
 *    out (the rest of the flag byte the same); encoding twice gives the same bytes;
 *    the encoder never sets it for lrq, block or gprs-bnb;
 *  - both round trip: the decoded pixels are the same with threads 1 and 2 and on a
 *    second decode; over the six configurations the files with the flag (the same
 *    channel with other dithers) total within 3% of the size of those without and
 *    their mean PSNR is within 0.15 dB (one small file alone moves by up to ~10% and
 *    0.25 dB with its dithers, either way; the RD check proper is the BD-rate run in
 *    docs/SPEED.md "Speed pass 11");
 *  - the bit is read: a file with 0x20 cleared (CRC fixed) decodes to different pixels
 *    or fails cleanly, and so does a file without it with 0x20 set;
 *  - 0x20 in a round-mode file or with a sampler other than uq is corrupt.
 * The dithers themselves are checked against the format's definition written out in
 * tests/codec/ref_block_dither.h, used by test_codec_rec_exact(_dz), which also check the
 * channel's exactness. */
#include "codec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* bd: -1 = the encoder's default, else rec_block_dither */
static recimg_status encode(const recimg_image *img, recimg_mode mode, recimg_sampler s, double q, int legacy,
                            int v4, int bd, uint8_t **out, size_t *size)
{
    recimg_encoder_params p;
    recimg_encoder_params_default(&p);
    p.mode = mode;
    p.sampler = s;
    p.quality = q;
    p.rec_legacy_bin_coder = legacy;
    p.rec_block_flag = v4;
    if (bd >= 0)
        p.rec_block_dither = bd;
    return ct_encode(&p, img, out, size, NULL);
}

static double total_bytes[2], total_psnr[2];

static void check(const recimg_image *img, double q, int legacy, int v4, const char *name)
{
    uint8_t *f[2] = {NULL, NULL}, *again = NULL, *dflt = NULL;
    size_t n[2] = {0, 0}, na = 0, nd = 0;
    double psnr[2] = {0, 0};
    recimg_image ref[2];
    int ok = 1;
    for (int bd = 0; bd < 2; bd++) {
        if (encode(img, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, q, legacy, v4, bd, &f[bd], &n[bd]) != RECIMG_OK ||
            n[bd] < 60) {
            fprintf(stderr, "%s: encode failed (bd %d)\n", name, bd);
            CHECK(0);
            ok = 0;
            continue;
        }
        CHECK(ct_decode_stable(f[bd], n[bd], &ref[bd]) == RECIMG_OK);
        psnr[bd] = ct_psnr(img, &ref[bd]);
    }
    if (!ok)
        goto done;
    CHECK(f[1][27] == (f[0][27] | 0x20) && !(f[0][27] & 0x20));
    CHECK(f[1][25] == (v4 ? 4 : 3));
    CHECK(encode(img, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, q, legacy, v4, 1, &again, &na) == RECIMG_OK);
    CHECK(again && na == n[1] && memcmp(again, f[1], na) == 0);
    CHECK(encode(img, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, q, legacy, v4, -1, &dflt, &nd) == RECIMG_OK);
    CHECK(dflt && nd == n[1] && memcmp(dflt, f[1], nd) == 0);   /* the default is 0x20 */
    printf("%-30s with 0x20 %6zu B %.3f dB, without %6zu B %.3f dB\n", name, n[1], psnr[1], n[0], psnr[0]);
    for (int bd = 0; bd < 2; bd++) {
        total_bytes[bd] += (double)n[bd];
        total_psnr[bd] += psnr[bd];
    }
    CHECK(ct_differs_with_flags(f[1], n[1], (uint8_t)(f[1][27] & ~0x20), &ref[1]));
    CHECK(ct_differs_with_flags(f[0], n[0], (uint8_t)(f[0][27] | 0x20), &ref[0]));
    recimg_free(ref[0].pixels);
    recimg_free(ref[1].pixels);
done:
    recimg_free(f[0]);
    recimg_free(f[1]);
    recimg_free(again);
    recimg_free(dflt);
}

/* other samplers: the encoder leaves 0x20 out even when asked, and 0x20 is corrupt there */
static void other_sampler(const recimg_image *img, recimg_mode mode, recimg_sampler s, double q)
{
    uint8_t *f = NULL;
    size_t n = 0;
    recimg_image x;
    CHECK(encode(img, mode, s, q, 0, 0, 1, &f, &n) == RECIMG_OK);
    CHECK(f && n > 28 && !(f[27] & 0x20));
    if (f && n > 28) {
        ct_set_flags(f, n, (uint8_t)(f[27] | 0x20));
        CHECK(ct_decode(f, n, 1, &x) == RECIMG_ERR_CORRUPT);
    }
    recimg_free(f);
}

int main(void)
{
    recimg_image rgb, gray;
    CHECK(ct_make_image(&rgb, 96, 64, 3, 61) == 0);
    CHECK(ct_make_image(&gray, 72, 56, 1, 62) == 0);
    check(&rgb, 40, 0, 0, "uq rgb q40");
    check(&rgb, 95, 0, 0, "uq rgb q95");
    check(&gray, 15, 0, 0, "uq gray q15");
    check(&rgb, 60, 1, 0, "uq rgb q60 window coder");
    check(&rgb, 50, 0, 1, "uq rgb q50 prior id 4");
    check(&gray, 80, 1, 1, "uq gray q80 prior id 4 window");
    printf("totals: with 0x20 %.0f B, mean %.3f dB; without %.0f B, mean %.3f dB\n", total_bytes[1],
           total_psnr[1] / 6.0, total_bytes[0], total_psnr[0] / 6.0);
    CHECK(total_bytes[1] < 1.03 * total_bytes[0] && total_bytes[0] < 1.03 * total_bytes[1]);
    CHECK(total_psnr[1] / 6.0 > total_psnr[0] / 6.0 - 0.15 && total_psnr[0] / 6.0 > total_psnr[1] / 6.0 - 0.15);
    other_sampler(&rgb, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ, 70);
    other_sampler(&rgb, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK, 80);
    other_sampler(&gray, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB, 75);
    other_sampler(&gray, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 50);
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_block_dither");
}
