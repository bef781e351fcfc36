/* Header flag 0x08, the short-chain coding revision (docs/FORMAT.md; codec_rec.c
 * block_gain, rec/rec_fast.h, rec_quant.c revision FAST), through the public API,
 * for uq, lrq, block and gprs-bnb (its lrq fallback) on synthetic RGB 4:2:0 and gray
 * images at low and high quality, with the closed-form coder (flags 0x01) and with
 * the window coder (rec_legacy_bin_coder = 1: the gain table alone):
 *  - the default encoder sets 0x08 in rec mode and rec_fast_chain = 0 leaves it out
 *    (the rest of the flag byte the same); encoding twice gives the same bytes;
 *  - both round trip: the decoded pixels are the same with threads 1 and 2 and on a
 *    second decode, and the revision costs at most 0.3 dB and 3% of the size against
 *    the file without it (same channel, slightly different priors);
 *  - the bit is read: a file with 0x08 cleared (CRC fixed) decodes to different pixels
 *    or fails cleanly, and so does a file without it with 0x08 set;
 *  - 0x08 in a round-mode file is corrupt, and 0x10 is an unknown bit. */
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* fast: -1 = the encoder's default, else rec_fast_chain */
static recimg_status encode(const recimg_image *img, recimg_mode mode, recimg_sampler s, double q,
                            int legacy, int fast, uint8_t **out, size_t *size)
{
    recimg_encoder_params p;
    recimg_encoder_params_default(&p);
    p.recon_table = 0;   /* flag 0x40 has its own test (test_codec_recon_table) */
    p.mode = mode;
    p.sampler = s;
    p.quality = q;
    p.rec_legacy_bin_coder = legacy;
    if (fast >= 0)
        p.rec_fast_chain = fast;
    return ct_encode(&p, img, out, size, NULL);
}

static void check(const recimg_image *img, recimg_sampler s, double q, int legacy, const char *name)
{
    uint8_t *f[2] = {NULL, NULL}, *again = NULL, *dflt = NULL;
    size_t n[2] = {0, 0}, na = 0, nd = 0;
    double psnr[2] = {0, 0};
    recimg_image ref[2];
    int ok = 1;
    for (int fast = 0; fast < 2; fast++) {
        if (encode(img, RECIMG_MODE_REC, s, q, legacy, fast, &f[fast], &n[fast]) != RECIMG_OK || n[fast] < 60) {
            fprintf(stderr, "%s: encode failed (fast %d)\n", name, fast);
            CHECK(0);
            ok = 0;
            continue;
        }
        CHECK(ct_decode_stable(f[fast], n[fast], &ref[fast]) == RECIMG_OK);
        psnr[fast] = ct_psnr(img, &ref[fast]);
    }
    if (!ok)
        goto done;
    CHECK(f[1][27] == (f[0][27] | 0x08) && !(f[0][27] & 0x08));
    CHECK((f[0][27] & 0x01) == (legacy ? 0 : 0x01));
    CHECK(encode(img, RECIMG_MODE_REC, s, q, legacy, 1, &again, &na) == RECIMG_OK);
    CHECK(again && na == n[1] && memcmp(again, f[1], na) == 0);
    CHECK(encode(img, RECIMG_MODE_REC, s, q, legacy, -1, &dflt, &nd) == RECIMG_OK);
    CHECK(dflt && nd == n[1] && memcmp(dflt, f[1], nd) == 0);   /* the default is 0x08 */
    printf("%-28s with 0x08 %6zu B %.3f dB, without %6zu B %.3f dB\n", name, n[1], psnr[1], n[0], psnr[0]);
    CHECK(psnr[1] > psnr[0] - 0.3);
    CHECK((double)n[1] < 1.03 * (double)n[0] + 64.0);
    CHECK(ct_differs_with_flags(f[1], n[1], (uint8_t)(f[1][27] & ~0x08), &ref[1]));
    CHECK(ct_differs_with_flags(f[0], n[0], (uint8_t)(f[0][27] | 0x08), &ref[0]));
    {
        recimg_image x;
        uint8_t *g = malloc(n[1]);
        CHECK(g != NULL);
        if (g) {
            memcpy(g, f[1], n[1]);
            ct_set_flags(g, n[1], (uint8_t)(f[1][27] | 0x10));
            CHECK(ct_decode(g, n[1], 1, &x) == RECIMG_ERR_CORRUPT);
            free(g);
        }
    }
    recimg_free(ref[0].pixels);
    recimg_free(ref[1].pixels);
done:
    recimg_free(f[0]);
    recimg_free(f[1]);
    recimg_free(again);
    recimg_free(dflt);
}

int main(void)
{
    recimg_image rgb, gray;
    CHECK(ct_make_image(&rgb, 96, 64, 3, 51) == 0);
    CHECK(ct_make_image(&gray, 72, 56, 1, 52) == 0);
    check(&rgb, RECIMG_SAMPLER_UQ, 40, 0, "uq rgb q40");
    check(&rgb, RECIMG_SAMPLER_UQ, 95, 0, "uq rgb q95");
    check(&gray, RECIMG_SAMPLER_UQ, 15, 0, "uq gray q15");
    check(&rgb, RECIMG_SAMPLER_UQ, 60, 1, "uq rgb q60 window coder");
    check(&rgb, RECIMG_SAMPLER_LRQ, 70, 0, "lrq rgb q70");
    check(&gray, RECIMG_SAMPLER_LRQ, 95, 1, "lrq gray q95 window coder");
    check(&rgb, RECIMG_SAMPLER_BLOCK, 80, 0, "block rgb q80");
    check(&gray, RECIMG_SAMPLER_GPRS_BNB, 75, 0, "gprs-bnb gray q75");
    {
        /* flag 0x08 in round mode is corrupt, and the round encoder never sets it */
        uint8_t *f = NULL;
        size_t n = 0;
        recimg_image x;
        CHECK(encode(&gray, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 50, 0, 1, &f, &n) == RECIMG_OK);
        CHECK(n > 28 && f[27] == 0);
        if (f) {
            ct_set_flags(f, n, 0x08);
            CHECK(ct_decode(f, n, 1, &x) == RECIMG_ERR_CORRUPT);
        }
        recimg_free(f);
    }
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_fast_chain");
}
