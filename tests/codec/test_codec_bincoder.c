/* The two REC bin coder revisions through the public API (docs/FORMAT.md, "Bin
 * coder revisions"): for uq, lrq, block and pfr (lrq fallback) on synthetic RGB
 * 4:2:0 and gray images at low and high quality,
 *  - the default encoder writes flags 0x01 (closed-form coder) and
 *    rec_legacy_bin_coder = 1 writes flags 0 (window coder);
 *  - both round trip: the decoded pixels of a file are the same with threads 1
 *    and 2 and on a second decode (determinism), and the two revisions give
 *    the same decoded image quality within 0.3 dB and sizes within 3% (they
 *    code the same samples; only the integer CDF and the feedback's rounding differ);
 *  - the flag byte is checked: flags 0x01 in a round-mode file and unknown
 *    flag bits are refused as corrupt (CRC recomputed, so only the rule can refuse);
 *  - a closed-form file whose flag is cleared (CRC fixed) decodes to different
 *    pixels or fails cleanly: the bit really selects the coder.
 * uq runs twice: with rec_uq_far_bin = 0 (flags 0x01 / 0) and with the default
 * far-bin reconstruction (flag 0x02 on top: 0x03 / 0x02), so both coders are
 * checked in combination with it. Files are made without the skip-energy table
 * (flag 0x04; tests/codec/test_codec_skip_energy.c checks it with both). */
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static recimg_status encode(const recimg_image *img, recimg_mode mode, recimg_sampler s, double q,
                            int legacy, int far_bin, uint8_t **out, size_t *size)
{
    recimg_encoder_params p;
    recimg_encoder_params_default(&p);
    p.recon_table = 0;   /* flag 0x40 has its own test (test_codec_recon_table) */
    p.mode = mode;
    p.sampler = s;
    p.quality = q;
    p.rec_legacy_bin_coder = legacy;
    p.rec_uq_far_bin = far_bin;
    p.rec_skip_energy = 0;   /* flag 0x04 and its combinations: test_codec_skip_energy */
    p.rec_fast_chain = 0;    /* flag 0x08 and its combinations: test_codec_fast_chain */
    p.rec_block_dither = 0;  /* flag 0x20: test_codec_block_dither */
    p.rec_uq_deadzone = 0;   /* flags2 0x400 (needs the closed-form coder): test_codec_uq_deadzone */
    return ct_encode(&p, img, out, size, NULL);
}

static void check(const recimg_image *img, recimg_sampler s, double q, int far_bin, const char *name)
{
    const uint8_t aflag = s == RECIMG_SAMPLER_UQ && far_bin ? 0x02 : 0;
    uint8_t *f[2] = {NULL, NULL};
    size_t n[2] = {0, 0};
    double psnr[2] = {0, 0};
    for (int legacy = 0; legacy < 2; legacy++) {
        recimg_image a;
        if (encode(img, RECIMG_MODE_REC, s, q, legacy, far_bin, &f[legacy], &n[legacy]) != RECIMG_OK) {
            fprintf(stderr, "%s: encode failed (legacy %d)\n", name, legacy);
            CHECK(0);
            return;
        }
        CHECK(n[legacy] > 28 && f[legacy][27] == ((legacy ? 0 : 1) | aflag));
        CHECK(ct_decode_stable(f[legacy], n[legacy], &a) == RECIMG_OK);
        psnr[legacy] = ct_psnr(img, &a);
        recimg_free(a.pixels);
    }
    printf("%-24s closed-form %6zu B %.3f dB, window %6zu B %.3f dB\n", name, n[0], psnr[0], n[1],
           psnr[1]);
    CHECK(fabs(psnr[0] - psnr[1]) < 0.3);
    CHECK(fabs((double)n[0] - (double)n[1]) < 0.03 * (double)n[1] + 64.0);
    {
        /* the flag selects the coder: the closed-form bytes read by the window coder */
        recimg_image a, x;
        uint8_t *g = malloc(n[0]);
        CHECK(g != NULL);
        if (g) {
            memcpy(g, f[0], n[0]);
            ct_set_flags(g, n[0], aflag);
            if (ct_decode(g, n[0], 1, &x) == RECIMG_OK) {
                CHECK(ct_decode(f[0], n[0], 1, &a) == RECIMG_OK);
                CHECK(!ct_same_pixels(&a, &x));
                recimg_free(a.pixels);
                recimg_free(x.pixels);
            }
            /* unknown flag bits are refused */
            memcpy(g, f[0], n[0]);
            ct_set_flags(g, n[0], 0x81);
            CHECK(ct_decode(g, n[0], 1, &x) == RECIMG_ERR_CORRUPT);
            ct_set_flags(g, n[0], 0x10);
            CHECK(ct_decode(g, n[0], 1, &x) == RECIMG_ERR_CORRUPT);
            free(g);
        }
    }
    recimg_free(f[0]);
    recimg_free(f[1]);
}

int main(void)
{
    recimg_image rgb, gray;
    CHECK(ct_make_image(&rgb, 96, 64, 3, 41) == 0);
    CHECK(ct_make_image(&gray, 72, 56, 1, 42) == 0);
    check(&rgb, RECIMG_SAMPLER_UQ, 40, 0, "uq rgb q40");
    check(&rgb, RECIMG_SAMPLER_UQ, 40, 1, "uq rgb q40 far-bin");
    check(&rgb, RECIMG_SAMPLER_UQ, 95, 0, "uq rgb q95");
    check(&rgb, RECIMG_SAMPLER_UQ, 95, 1, "uq rgb q95 far-bin");
    check(&gray, RECIMG_SAMPLER_UQ, 15, 0, "uq gray q15");
    check(&gray, RECIMG_SAMPLER_UQ, 15, 1, "uq gray q15 far-bin");
    check(&rgb, RECIMG_SAMPLER_LRQ, 70, 1, "lrq rgb q70");
    check(&gray, RECIMG_SAMPLER_LRQ, 95, 1, "lrq gray q95");
    check(&rgb, RECIMG_SAMPLER_BLOCK, 80, 1, "block rgb q80");
    check(&gray, RECIMG_SAMPLER_PFR, 75, 1, "pfr gray q75");
    {
        /* flags 0x01 in round mode is corrupt */
        uint8_t *f = NULL;
        size_t n = 0;
        recimg_image x;
        CHECK(encode(&gray, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 50, 0, 1, &f, &n) == RECIMG_OK);
        CHECK(n > 28 && f[27] == 0);
        if (f) {
            ct_set_flags(f, n, 0x01);
            CHECK(ct_decode(f, n, 1, &x) == RECIMG_ERR_CORRUPT);
        }
        recimg_free(f);
    }
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_bincoder");
}
