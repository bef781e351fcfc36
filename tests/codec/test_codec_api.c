/* Public API contracts: parameter validation, REC reported as unsupported,
 * odd sizes (1x1, 7x13, 9x8, ...) in gray / 4:2:0 / 4:4:4, quality ordering
 * (PSNR rises and size falls), determinism of the encoder, decoder limits,
 * info fields, and NULL-safety of the free functions. */
#include "codec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_params(void)
{
    recimg_encoder_params p;
    recimg_decoder_params dp;
    recimg_encoder *e = (recimg_encoder *)&p;
    recimg_decoder *d = (recimg_decoder *)&dp;
    double lo, hi;

    recimg_quality_range(&lo, &hi);
    CHECK(lo == 0.0 && hi == 100.0);
    recimg_realism_range(&lo, &hi);
    CHECK(lo == 0.0 && hi == 1.0);

    recimg_encoder_params_default(&p);
    CHECK(p.mode == RECIMG_MODE_ROUND && p.quality >= 0 && p.quality <= 100);
    p.quality = 101;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT && e == NULL);
    p.quality = -0.5;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT);
    recimg_encoder_params_default(&p);
    p.chroma = (recimg_chroma)7;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT);
    recimg_encoder_params_default(&p);
    p.sampler = RECIMG_SAMPLER_LRQ;   /* a sampler in round mode */
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT);
    recimg_encoder_params_default(&p);
    p.transform_id = 77;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_UNSUPPORTED);
    recimg_encoder_params_default(&p);
    p.mode = RECIMG_MODE_REC;
    p.sampler = (recimg_sampler)(RECIMG_SAMPLER_BLOCK + 1);   /* no such sampler */
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT && e == NULL);
    p.sampler = RECIMG_SAMPLER_BLOCK;   /* every sampler id is in the codec */
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_OK && e != NULL);
    recimg_encoder_free(e);
    e = NULL;
    p.sampler = RECIMG_SAMPLER_LRQ;
    p.rec_zero_bits = -0.5;   /* only -1 (the sampler's default) or 0..16 */
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT);
    p.rec_zero_bits = 17.0;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT);
    p.rec_zero_bits = 0.5;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_OK && e != NULL);
    recimg_encoder_free(e);
    CHECK(recimg_encoder_create(NULL, &e) == RECIMG_ERR_INVALID_ARGUMENT);
    CHECK(recimg_encoder_create(&p, NULL) == RECIMG_ERR_INVALID_ARGUMENT);

    recimg_decoder_params_default(&dp);
    dp.realism = 1.5;
    CHECK(recimg_decoder_create(&dp, &d) == RECIMG_ERR_INVALID_ARGUMENT && d == NULL);
    recimg_decoder_params_default(&dp);
    dp.decode = (recimg_decode_mode)9;
    CHECK(recimg_decoder_create(&dp, &d) == RECIMG_ERR_INVALID_ARGUMENT);
    recimg_encoder_free(NULL);
    recimg_decoder_free(NULL);
    recimg_free(NULL);
    for (int s = 0; s <= 11; s++)
        CHECK(recimg_strerror((recimg_status)s) != NULL && strlen(recimg_strerror((recimg_status)s)) > 3);
    CHECK(strcmp(recimg_strerror((recimg_status)999), "unknown status") == 0);
    /* the step cap of the rejection samplers has its own message, not "not supported" */
    CHECK(strcmp(recimg_strerror(RECIMG_ERR_SAMPLER_LIMIT), recimg_strerror(RECIMG_ERR_UNSUPPORTED)) != 0);
    CHECK(strcmp(recimg_strerror(RECIMG_ERR_SAMPLER_LIMIT), "unknown status") != 0);
}

static void test_sizes(void)
{
    static const uint32_t sizes[][2] = {{1, 1}, {7, 13}, {9, 8}, {8, 8}, {17, 1}, {1, 17}, {16, 16}, {33, 21}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        for (int kind = 0; kind < 3; kind++) {   /* gray, 4:2:0, 4:4:4 */
            recimg_image img, out;
            recimg_encoder_params p;
            size_t bytes;
            const uint32_t ch = kind == 0 ? 1 : 3;
            CHECK(ct_make_image(&img, sizes[i][0], sizes[i][1], ch, i * 3 + (size_t)kind) == 0);
            recimg_encoder_params_default(&p);
            p.quality = 95;
            p.chroma = kind == 2 ? RECIMG_CHROMA_444 : RECIMG_CHROMA_420;
            CHECK(ct_roundtrip(&img, &p, &out, &bytes) == RECIMG_OK);
            CHECK(out.width == img.width && out.height == img.height && out.channels == ch);
            if (out.pixels) {
                const double psnr = ct_psnr(&img, &out);
                /* 4:2:0 loses chroma detail of the noisy synthetic image */
                if (psnr < (kind == 1 ? 24.0 : 30.0)) {
                    fprintf(stderr, "size %ux%u kind %d: PSNR %.2f\n", sizes[i][0], sizes[i][1], kind, psnr);
                    CHECK(!"PSNR too low");
                }
            }
            free(img.pixels);
            recimg_free(out.pixels);
        }
    }
}

static void test_quality_order(void)
{
    recimg_image img;
    double prev_psnr = 0.0;
    size_t prev_bytes = 0;
    static const double q[] = {5, 25, 50, 75, 95};
    CHECK(ct_make_image(&img, 96, 80, 3, 42) == 0);
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        recimg_encoder_params p;
        recimg_image out;
        size_t bytes;
        double psnr;
        recimg_encoder_params_default(&p);
        p.quality = q[i];
        CHECK(ct_roundtrip(&img, &p, &out, &bytes) == RECIMG_OK);
        psnr = out.pixels ? ct_psnr(&img, &out) : 0.0;
        printf("quality %5.1f: %6zu bytes, PSNR %.2f dB\n", q[i], bytes, psnr);
        CHECK(psnr > prev_psnr);
        CHECK(bytes > prev_bytes);
        prev_psnr = psnr;
        prev_bytes = bytes;
        recimg_free(out.pixels);
    }
    free(img.pixels);
}

static void test_determinism_and_limits(void)
{
    recimg_image img, out;
    recimg_encoder_params p;
    recimg_encoder *e = NULL;
    recimg_decoder_params dp;
    recimg_decoder *d = NULL;
    uint8_t *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    recimg_info info;
    recimg_encode_stats st;

    CHECK(ct_make_image(&img, 40, 24, 3, 7) == 0);
    recimg_encoder_params_default(&p);
    p.seed = 1234567;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_OK);
    CHECK(recimg_encode(e, &img, &a, &na, &st) == RECIMG_OK);
    CHECK(recimg_encode(e, &img, &b, &nb, NULL) == RECIMG_OK);
    CHECK(na == nb && a && b && memcmp(a, b, na) == 0);
    CHECK(st.bytes == na && st.payload_bytes + 64 == na);   /* version 2 (round deadzone): 60 + CRC */
    CHECK(recimg_read_info(a, na, &info) == RECIMG_OK);
    CHECK(info.width == 40 && info.height == 24 && info.channels == 3 && info.seed == 1234567);
    CHECK(info.mode == RECIMG_MODE_ROUND && info.chroma == RECIMG_CHROMA_420 && info.transform_id == 1);
    CHECK(info.quality == 75.0);
    /* encoder pixel limit */
    recimg_encoder_free(e);
    p.max_pixels = 40 * 24 - 1;
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_OK);
    recimg_free(b);
    b = NULL;
    CHECK(recimg_encode(e, &img, &b, &nb, NULL) == RECIMG_ERR_LIMIT && b == NULL);
    img.channels = 2;
    CHECK(recimg_encode(e, &img, &b, &nb, NULL) == RECIMG_ERR_INVALID_ARGUMENT);
    img.channels = 3;
    /* decoder limits */
    recimg_decoder_params_default(&dp);
    dp.max_pixels = 40 * 24 - 1;
    CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
    CHECK(recimg_decode(d, a, na, &out) == RECIMG_ERR_LIMIT && out.pixels == NULL);
    recimg_decoder_free(d);
    recimg_decoder_params_default(&dp);
    dp.max_input_size = na - 1;
    CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
    CHECK(recimg_decode(d, a, na, &out) == RECIMG_ERR_LIMIT);
    recimg_decoder_free(d);
    /* realism decoding of the rounding baseline: private draws inside the bins;
       a different private seed gives a different image, the same seed the same */
    {
        recimg_image r1, r2, r3;
        recimg_decoder_params_default(&dp);
        dp.decode = RECIMG_DECODE_REALISM;
        dp.realism = 1.0;
        CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
        CHECK(recimg_decode(d, a, na, &r1) == RECIMG_OK);
        CHECK(recimg_decode(d, a, na, &r2) == RECIMG_OK);
        recimg_decoder_free(d);
        dp.private_seed = 99;
        CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
        CHECK(recimg_decode(d, a, na, &r3) == RECIMG_OK);
        recimg_decoder_free(d);
        CHECK(r1.pixels && r2.pixels && r3.pixels);
        if (r1.pixels && r2.pixels && r3.pixels) {
            CHECK(memcmp(r1.pixels, r2.pixels, 40 * 24 * 3) == 0);
            CHECK(memcmp(r1.pixels, r3.pixels, 40 * 24 * 3) != 0);
            CHECK(ct_psnr(&img, &r1) > 20.0);
        }
        recimg_free(r1.pixels);
        recimg_free(r2.pixels);
        recimg_free(r3.pixels);
    }
    /* centre and MMSE reconstructions both decode, and differ */
    {
        recimg_image o1, o2;
        recimg_decoder_params_default(&dp);
        dp.decode = RECIMG_DECODE_CENTER;
        CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
        CHECK(recimg_decode(d, a, na, &o1) == RECIMG_OK);
        recimg_decoder_free(d);
        recimg_decoder_params_default(&dp);
        CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
        CHECK(recimg_decode(d, a, na, &o2) == RECIMG_OK);
        recimg_decoder_free(d);
        CHECK(o1.pixels && o2.pixels && memcmp(o1.pixels, o2.pixels, 40 * 24 * 3) != 0);
        recimg_free(o1.pixels);
        recimg_free(o2.pixels);
    }
    recimg_free(a);
    recimg_free(b);
    recimg_encoder_free(e);
    free(img.pixels);
}

/* The step defaults depend on the mode and the deadzone (codec_api.c, docs/REC_CODEC.md
   "Flat matrix defaults (session 9)"): with its deadzone (the default of either mode) the
   flat matrix 0, without it matrix 1; the chroma step's default follows the file's matrix:
   round 218 (0.85) with matrix 1, 154 (0.60) with matrix 0; rec 166 (0.65) with matrix 1,
   141 (0.55) with matrix 0. An explicit chroma step or matrix overrides either, so an
   explicit matrix 1 gives the defaults of before session 9 and an explicit matrix 0 the
   defaults of today. With matrix 0 (explicit or not) the step of a quality is 25/16
   (round) or 23/16 (rec) of matrix 1's. */
static void test_mode_step_defaults(void)
{
    static const struct {
        recimg_mode mode;
        recimg_sampler sampler;
        int deadzone;
        double chroma_step;
        uint32_t matrix;   /* the params' matrix_id */
        uint32_t code, matrix_out;
    } cases[] = {
        {RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 1, 0.0, RECIMG_MATRIX_DEFAULT, 154, 0},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_NONE, 1, 0.0, RECIMG_MATRIX_DEFAULT, 141, 0},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 1, 0.0, RECIMG_MATRIX_DEFAULT, 141, 0},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 0, 0.0, RECIMG_MATRIX_DEFAULT, 166, 1},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ, 1, 0.0, RECIMG_MATRIX_DEFAULT, 166, 1},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_NONE, 1, 0.85, RECIMG_MATRIX_DEFAULT, 218, 0},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_NONE, 1, 0.0, 1, 166, 1},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 0, 0.0, 0, 141, 0},
        {RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 0, 0.65, RECIMG_MATRIX_DEFAULT, 166, 1},
        {RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 0, 0.0, 0, 154, 0},
        {RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 1, 0.0, 1, 218, 1},
        {RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 0, 0.0, RECIMG_MATRIX_DEFAULT, 218, 1},
        {RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 1, 0.7, 1, 179, 1},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 1, 0.0, 2, 166, 2}};
    uint32_t step[sizeof cases / sizeof *cases];
    recimg_image img;
    CHECK(ct_make_image(&img, 24, 16, 3, 11) == 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        recimg_encoder_params p;
        recimg_encoder *e = NULL;
        uint8_t *a = NULL;
        size_t na = 0;
        recimg_info info;
        recimg_encoder_params_default(&p);
        CHECK(p.matrix_id == RECIMG_MATRIX_DEFAULT);
        p.mode = cases[i].mode;
        p.sampler = cases[i].sampler;
        p.rec_uq_deadzone = cases[i].deadzone;
        p.round_deadzone = cases[i].mode == RECIMG_MODE_ROUND && cases[i].deadzone;
        p.chroma_step_scale = cases[i].chroma_step;
        p.matrix_id = cases[i].matrix;
        p.quality = 40;
        step[i] = 0;
        CHECK(recimg_encoder_create(&p, &e) == RECIMG_OK);
        CHECK(e && recimg_encode(e, &img, &a, &na, NULL) == RECIMG_OK);
        CHECK(a && recimg_read_info(a, na, &info) == RECIMG_OK);
        CHECK(info.mode == cases[i].mode && info.chroma_scale_code == cases[i].code &&
              info.matrix_id == cases[i].matrix_out);
        step[i] = info.step_code;
        recimg_free(a);
        recimg_encoder_free(e);
    }
    /* quality 40: round step 8 * 50/40 = 10 (10240 / 1024) with matrix 1, x 25/16 with
       matrix 0; rec 0.5 of it with matrix 1 (and 2), 0.5 x 23/16 with matrix 0 */
    CHECK(step[10] == 10240 && step[11] == 10240 && step[12] == 10240);
    CHECK(step[0] == 16000 && step[9] == 16000);
    CHECK(step[3] == 5120 && step[4] == 5120 && step[6] == 5120 && step[13] == 5120);
    CHECK(step[1] == 7360 && step[2] == 7360 && step[5] == 7360 && step[7] == 7360);
    /* matrix ids other than 0..2 and the default are refused */
    {
        recimg_encoder_params p;
        recimg_encoder *e = NULL;
        recimg_encoder_params_default(&p);
        p.matrix_id = 3;
        CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT && e == NULL);
        p.matrix_id = RECIMG_MATRIX_DEFAULT - 1;
        CHECK(recimg_encoder_create(&p, &e) == RECIMG_ERR_INVALID_ARGUMENT && e == NULL);
    }
    free(img.pixels);
}

int main(void)
{
    test_params();
    test_mode_step_defaults();
    test_sizes();
    test_quality_order();
    test_determinism_and_limits();
    return ct_finish("test_codec_api");
}
