/* tests/fuzz/fuzz_roundtrip.c: the bytes choose an image and the encoder's
 * parameters; the image is encoded and decoded.
 *
 * Input layout (missing bytes read as 0):
 *   0..2   width and height: 1..64 in round mode, 1..40 in REC mode (whose
 *          samplers cost more per coefficient; keeps the fuzzer fast)
 *   1      bits 2-3 transform: DCT, learned KLT, learned separable, learned rd
 *          (ids 1, 2, 3, 5; the embedded id 4 is fuzz_rtx's); bit 4 the
 *          reconstruction table (recon_table, header flag 0x40)
 *   3      bit 0 colour (else gray), bit 1 4:4:4 (else 4:2:0), bits 2-3 step
 *          matrix (3 reads as 0), bits 4-6 pixel pattern, bit 7 REC mode
 *   4..5   quality = v / 65535 * 100 (so 0 and 100 exactly are reachable)
 *   6      bits 0-2 sampler (REC mode; 7 reads as the default; round mode: bit 0
 *          round_block_gain, context model v1 or v5), bits 3-5 chroma step
 *          multiplier (0 default, k: 2^(k-3)), bits 6-7 decode mode
 *   7..14  seed of the shared randomness
 *   15..   pixel material
 *
 * Invariants: a valid image with valid parameters always encodes (the only
 * accepted refusals are RECIMG_ERR_UNSUPPORTED for a mode or sampler this build
 * does not have, and RECIMG_ERR_SAMPLER_LIMIT for the rejection samplers
 * gprs-bnb, gprs and pfr, whose step cap is a documented limit); encoding twice, with the same object or a new one with
 * another thread count, gives the same bytes; recimg_read_info reports what
 * was asked; the file decodes to an image of the input's size, the same from
 * two decodes; and in round mode at quality >= 97 with the flat matrix (global
 * step 1/4) the pixels are close to the input (a bound from the step: the
 * reconstruction stays within one step of each coefficient). */
#include "fuzz_common.h"

#include "recimg.h"

#include <string.h>

static uint8_t byte_at(const uint8_t *data, size_t size, size_t i)
{
    return i < size ? data[i] : 0;
}

/* Fills w*h*c pixels from the material in one of eight patterns: raw bytes,
 * smooth ramps with small noise, flat 8x8-unaligned tiles, a 0/255 checker
 * (every AC coefficient large), and PRNG noise keyed by the material. */
static void make_pixels(uint8_t *px, uint32_t w, uint32_t h, uint32_t c, int pattern,
                        const uint8_t *m, size_t n)
{
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i < n; i++)
        s = (s ^ m[i]) * 0x100000001b3u;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            for (uint32_t k = 0; k < c; k++) {
                const size_t i = ((size_t)y * w + x) * c + k;
                const uint8_t r = n ? m[i % n] : 128;
                uint32_t v;
                switch (pattern) {
                case 0: v = r; break;
                case 1: v = (x * 255u / w + y * 127u / h + (r & 7) + 40 * k) & 255u; break;
                case 2: v = n ? m[((y / 11) * 31 + (x / 13) * 7 + k) % n] : 0; break;
                case 3: v = ((x ^ y) & 1) ? 255u : (r & 1u); break;
                default:
                    s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                    v = pattern == 4 ? (uint32_t)(s >> 56)
                                     : (r + (uint32_t)(s >> 61)) & 255u;
                    break;
                }
                px[i] = (uint8_t)v;
            }
        }
    }
}

static recimg_status encode(const recimg_encoder_params *p, const recimg_image *img,
                            int twice, uint8_t **out, size_t *size)
{
    recimg_encoder *enc = NULL;
    recimg_status st = recimg_encoder_create(p, &enc);
    *out = NULL;
    *size = 0;
    if (st != RECIMG_OK)
        return st;
    st = recimg_encode(enc, img, out, size, NULL);
    if (st == RECIMG_OK && twice) {   /* the same object again */
        uint8_t *again = NULL;
        size_t again_size = 0;
        FUZZ_CHECK(recimg_encode(enc, img, &again, &again_size, NULL) == RECIMG_OK);
        FUZZ_CHECK(again_size == *size && memcmp(again, *out, *size) == 0);
        recimg_free(again);
    }
    recimg_encoder_free(enc);
    return st;
}

static recimg_status decode(const uint8_t *file, size_t size, recimg_decode_mode mode,
                            int threads, recimg_image *out)
{
    recimg_decoder_params p;
    recimg_decoder *dec = NULL;
    recimg_status st;
    recimg_decoder_params_default(&p);
    p.decode = mode;
    p.realism = 0.5;
    p.threads = threads;
    FUZZ_CHECK(recimg_decoder_create(&p, &dec) == RECIMG_OK);
    st = recimg_decode(dec, file, size, out);
    recimg_decoder_free(dec);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER,
                                                RECIMG_DECODE_SAMPLE, RECIMG_DECODE_REALISM};
    const uint8_t b1 = byte_at(data, size, 1), b3 = byte_at(data, size, 3);
    const uint8_t b6 = byte_at(data, size, 6);
    recimg_encoder_params p;
    recimg_image img, out, out2;
    recimg_info info;
    uint8_t *file = NULL, *file2 = NULL;
    size_t file_size = 0, file2_size = 0, npix;
    recimg_status st;
    unsigned matrix, cs;
    recimg_decode_mode dmode;

    const uint32_t side = (b3 & 0x80u) ? 40u : 64u;
    img.width = 1u + ((uint32_t)byte_at(data, size, 0) | (uint32_t)(b1 & 1u) << 8) % side;
    img.height = 1u + ((uint32_t)byte_at(data, size, 2) | (uint32_t)(b1 & 2u) << 7) % side;
    img.channels = (b3 & 1u) ? 3u : 1u;
    npix = (size_t)img.width * img.height * img.channels;
    img.pixels = (uint8_t *)malloc(npix);
    FUZZ_CHECK(img.pixels != NULL);
    make_pixels(img.pixels, img.width, img.height, img.channels, (b3 >> 4) & 7,
                size > 15 ? data + 15 : NULL, size > 15 ? size - 15 : 0);

    recimg_encoder_params_default(&p);
    p.chroma = (b3 & 2u) ? RECIMG_CHROMA_444 : RECIMG_CHROMA_420;
    {
        static const uint32_t transforms[4] = {1, 2, 3, 5};
        p.transform_id = transforms[(b1 >> 2) & 3u];
    }
    p.recon_table = (b1 >> 4) & 1u;
    matrix = (b3 >> 2) & 3u;
    p.matrix_id = matrix == 3 ? RECIMG_MATRIX_DEFAULT : matrix;   /* 3: the mode's (0 or 1) */
    p.mode = (b3 & 0x80u) ? RECIMG_MODE_REC : RECIMG_MODE_ROUND;
    p.quality = (double)((uint32_t)byte_at(data, size, 4) | (uint32_t)byte_at(data, size, 5) << 8)
                / 65535.0 * 100.0;
    if (p.quality > 100.0)
        p.quality = 100.0;
    p.sampler = RECIMG_SAMPLER_NONE;
    if (p.mode == RECIMG_MODE_REC && (b6 & 7u) != 7u)
        p.sampler = (recimg_sampler)(b6 & 7u);
    if (p.mode == RECIMG_MODE_ROUND)
        p.round_block_gain = (int)(b6 & 1u);
    cs = (b6 >> 3) & 7u;
    p.chroma_step_scale = cs == 0 ? 0.0 : (double)(1u << (cs - 1)) / 4.0;   /* 0.25 .. 16 */
    dmode = modes[b6 >> 6];
    p.seed = 0;
    for (int i = 0; i < 8; i++)
        p.seed |= (uint64_t)byte_at(data, size, 7 + (size_t)i) << (8 * i);
    p.threads = 1;

    st = encode(&p, &img, 1, &file, &file_size);
    if (st == RECIMG_ERR_UNSUPPORTED) {
        /* round mode is always available */
        FUZZ_CHECK(p.mode == RECIMG_MODE_REC);
        free(img.pixels);
        return 0;
    }
    if (st == RECIMG_ERR_SAMPLER_LIMIT) {
        /* only the rejection samplers have a step cap */
        FUZZ_CHECK(p.mode == RECIMG_MODE_REC &&
                   (p.sampler == RECIMG_SAMPLER_GPRS_BNB || p.sampler == RECIMG_SAMPLER_GPRS ||
                    p.sampler == RECIMG_SAMPLER_PFR));
        free(img.pixels);
        return 0;
    }
    FUZZ_CHECK(st == RECIMG_OK);
    FUZZ_CHECK(file != NULL && file_size > 0);
    p.threads = 2;
    FUZZ_CHECK(encode(&p, &img, 0, &file2, &file2_size) == RECIMG_OK);
    FUZZ_CHECK(file2_size == file_size && memcmp(file, file2, file_size) == 0);
    recimg_free(file2);

    FUZZ_CHECK(recimg_read_info(file, file_size, &info) == RECIMG_OK);
    FUZZ_CHECK(info.width == img.width && info.height == img.height);
    FUZZ_CHECK(info.channels == img.channels);
    FUZZ_CHECK(info.mode == p.mode && info.seed == p.seed);
    FUZZ_CHECK(p.matrix_id == RECIMG_MATRIX_DEFAULT ? info.matrix_id <= 1u : info.matrix_id == p.matrix_id);
    FUZZ_CHECK(info.transform_id == p.transform_id);
    if (p.sampler != RECIMG_SAMPLER_NONE)
        FUZZ_CHECK(info.sampler == p.sampler);
    if (p.mode == RECIMG_MODE_ROUND)
        FUZZ_CHECK(info.prior_id == (p.round_block_gain ? 5u : 1u));
    if (img.channels == 3)
        FUZZ_CHECK(info.chroma == p.chroma);

    FUZZ_CHECK(decode(file, file_size, RECIMG_DECODE_DEFAULT, 1, &out) == RECIMG_OK);
    FUZZ_CHECK(out.width == img.width && out.height == img.height && out.channels == img.channels);
    FUZZ_CHECK(decode(file, file_size, RECIMG_DECODE_DEFAULT, 2, &out2) == RECIMG_OK);
    FUZZ_CHECK(memcmp(out.pixels, out2.pixels, npix) == 0);
    recimg_free(out2.pixels);
    /* another reconstruction: must work, except that a build may lack a sampling
       decoder for a mode (reported as unsupported, never as corrupt) */
    st = decode(file, file_size, dmode, 1, &out2);
    FUZZ_CHECK(st == RECIMG_OK || (st == RECIMG_ERR_UNSUPPORTED &&
                                   (dmode == RECIMG_DECODE_SAMPLE || dmode == RECIMG_DECODE_REALISM)));
    if (st == RECIMG_OK)
        FUZZ_CHECK(out2.width == img.width && out2.height == img.height);
    recimg_free(out2.pixels);

    /* a flat step of at most 492/1024 (quality 97 and up on matrix 0 before its step factor
       of session 9) */
    if (p.mode == RECIMG_MODE_ROUND && info.step_code <= 492u && info.matrix_id == 0 &&
        p.transform_id == 1 &&
        (img.channels == 1 || (p.chroma == RECIMG_CHROMA_444 && p.chroma_step_scale == 0.0))) {
        /* step 1/4: per coefficient error <= 1/4, per sample <= 64 * 1/4 * 1/4 = 4
           (orthonormal 8x8 DCT basis amplitude <= 1/4), plus rounding; colour adds
           the YCbCr -> RGB gains (<= 1 + 1.772). */
        const int bound = img.channels == 1 ? 5 : 16;
        for (size_t i = 0; i < npix; i++) {
            const int d = (int)out.pixels[i] - (int)img.pixels[i];
            FUZZ_CHECK(d <= bound && d >= -bound);
        }
    }
    recimg_free(out.pixels);
    recimg_free(file);
    free(img.pixels);
    return 0;
}
