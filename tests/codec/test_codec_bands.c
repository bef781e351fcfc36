/* test_codec_bands: the codec works in bands of block rows (issue 7, bounded
 * memory), and the band height must not change a byte or a pixel. For gray,
 * 4:2:0 and 4:4:4 synthetic images of awkward sizes (odd, one block wide, a
 * single row, taller than many bands), in round mode and REC mode with the uq,
 * lrq, gprs-bnb and block samplers, encoding with bands of 2, 4 and 6 luma block rows
 * and with the built-in choice must give the bytes of one band holding the
 * whole image (the whole-plane pipeline), and decoding that file with each band
 * height, every decode mode and 1 or 3 threads must give its pixels. 4:2:0 with
 * 2-row bands is where the upsampling's row of context crosses every band
 * boundary. The committed golden files (decoder MD5s pinned by
 * test_codec_golden at the built-in band height) must decode the same with
 * 2-row bands. Corrupt streams must be rejected the same way at every band
 * height. Internal entry points: recimg_encode_bands / recimg_decode_bands. */
#include "codec_internal.h"
#include "codec_test_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CODEC_GOLDEN_DIR
#define CODEC_GOLDEN_DIR "tests/codec/data"
#endif

#define WHOLE ((uint32_t)1 << 30)   /* one band holds any test image */
static const uint32_t bands[] = {2, 4, 6, 0};
#define NBANDS (sizeof bands / sizeof bands[0])

static const recimg_decode_mode modes[] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER,
                                           RECIMG_DECODE_SAMPLE, RECIMG_DECODE_REALISM};

static int same_image(const recimg_image *a, const recimg_image *b)
{
    const size_t n = (size_t)a->width * a->height * a->channels;
    return a->width == b->width && a->height == b->height && a->channels == b->channels &&
           a->pixels && b->pixels && memcmp(a->pixels, b->pixels, n) == 0;
}

static recimg_status decode_with(const uint8_t *data, size_t size, recimg_decode_mode mode,
                                 int threads, uint32_t band, recimg_image *out)
{
    recimg_decoder_params dp;
    recimg_decoder *dec = NULL;
    recimg_status st;
    recimg_decoder_params_default(&dp);
    dp.decode = mode;
    dp.realism = 0.5;
    dp.private_seed = 7;
    dp.threads = threads;
    st = recimg_decoder_create(&dp, &dec);
    if (st == RECIMG_OK)
        st = recimg_decode_bands(dec, data, size, band, out);
    recimg_decoder_free(dec);
    return st;
}

static void check_file(const uint8_t *data, size_t size, const char *what)
{
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        recimg_image ref;
        if (decode_with(data, size, modes[m], 1, WHOLE, &ref) != RECIMG_OK) {
            fprintf(stderr, "FAIL %s: whole-image decode (mode %d)\n", what, (int)modes[m]);
            CHECK(0);
            continue;
        }
        for (size_t b = 0; b < NBANDS; b++) {
            for (int threads = 1; threads <= 3; threads += 2) {
                recimg_image out;
                const recimg_status st = decode_with(data, size, modes[m], threads, bands[b], &out);
                if (st != RECIMG_OK || !same_image(&ref, &out)) {
                    fprintf(stderr, "FAIL %s: decode mode %d, bands of %u, %d threads differs\n", what,
                            (int)modes[m], (unsigned)bands[b], threads);
                    CHECK(0);
                }
                recimg_free(out.pixels);
            }
        }
        recimg_free(ref.pixels);
    }
}

static void one_case(uint32_t w, uint32_t h, uint32_t channels, recimg_chroma chroma,
                     recimg_mode mode, recimg_sampler sampler, double quality, uint64_t seed)
{
    recimg_image img;
    recimg_encoder_params p;
    recimg_encoder *enc = NULL;
    uint8_t *ref = NULL;
    size_t ref_size = 0;
    char what[160];
    snprintf(what, sizeof what, "%ux%u ch%u %s mode %d sampler %d q%.0f", (unsigned)w, (unsigned)h,
             (unsigned)channels, chroma == RECIMG_CHROMA_420 ? "420" : "444", (int)mode, (int)sampler,
             quality);
    if (ct_make_image(&img, w, h, channels, seed) != 0) {
        CHECK(0);
        return;
    }
    recimg_encoder_params_default(&p);
    p.mode = mode;
    p.sampler = sampler;
    p.chroma = chroma;
    p.quality = quality;
    p.threads = 2;
    CHECK(recimg_encoder_create(&p, &enc) == RECIMG_OK);
    if (enc && recimg_encode_bands(enc, &img, WHOLE, &ref, &ref_size, NULL) == RECIMG_OK) {
        for (size_t b = 0; b < NBANDS; b++) {
            uint8_t *out = NULL;
            size_t size = 0;
            const recimg_status st = recimg_encode_bands(enc, &img, bands[b], &out, &size, NULL);
            if (st != RECIMG_OK || size != ref_size || memcmp(out, ref, size) != 0) {
                fprintf(stderr, "FAIL %s: encoding with bands of %u differs\n", what, (unsigned)bands[b]);
                CHECK(0);
            }
            recimg_free(out);
        }
        check_file(ref, ref_size, what);
        if (ref_size > 80) {
            /* a payload cut short: every band height rejects it */
            for (size_t b = 0; b < NBANDS; b++) {
                recimg_image out;
                recimg_decoder *dec = NULL;
                recimg_decoder_params dp;
                uint8_t *cut = (uint8_t *)malloc(ref_size);
                recimg_decoder_params_default(&dp);
                if (!cut || recimg_decoder_create(&dp, &dec) != RECIMG_OK) {
                    CHECK(0);
                } else {
                    /* the container checks the CRC and length: flip payload bits instead */
                    memcpy(cut, ref, ref_size);
                    cut[ref_size - 3] ^= 0x5a;
                    const recimg_status a = recimg_decode_bands(dec, cut, ref_size, WHOLE, &out);
                    recimg_free(out.pixels);
                    const recimg_status c = recimg_decode_bands(dec, cut, ref_size, bands[b], &out);
                    recimg_free(out.pixels);
                    CHECK(a == c);
                }
                recimg_decoder_free(dec);
                free(cut);
            }
        }
    } else {
        fprintf(stderr, "FAIL %s: whole-image encode\n", what);
        CHECK(0);
    }
    recimg_free(ref);
    recimg_encoder_free(enc);
    free(img.pixels);
}

/* Every committed golden file decodes the same with 2-row bands. */
static void goldens(void)
{
    DIR *d = opendir(CODEC_GOLDEN_DIR);
    struct dirent *e;
    int n = 0;
    CHECK(d != NULL);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[1024];
        FILE *f;
        uint8_t *buf;
        long len;
        if (!strstr(e->d_name, ".rec"))
            continue;
        snprintf(path, sizeof path, "%s/%s", CODEC_GOLDEN_DIR, e->d_name);
        f = fopen(path, "rb");
        if (!f) {
            CHECK(0);
            continue;
        }
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        fseek(f, 0, SEEK_SET);
        buf = (uint8_t *)malloc(len > 0 ? (size_t)len : 1);
        if (buf && len > 0 && fread(buf, 1, (size_t)len, f) == (size_t)len)
            check_file(buf, (size_t)len, e->d_name);
        else
            CHECK(0);
        free(buf);
        fclose(f);
        n++;
    }
    closedir(d);
    CHECK(n >= 10);
}

int main(void)
{
    /* odd sizes; 4:2:0 heights where chroma has one more block row than half the luma's */
    static const uint32_t sizes[][2] = {{37, 203}, {8, 131}, {70, 8}, {19, 1}, {1, 97}, {44, 150}};
    uint64_t seed = 11;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++, seed++) {
        const uint32_t w = sizes[s][0], h = sizes[s][1];
        one_case(w, h, 3, RECIMG_CHROMA_420, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 40, seed);
        one_case(w, h, 3, RECIMG_CHROMA_444, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 85, seed);
        one_case(w, h, 1, RECIMG_CHROMA_420, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 10, seed);
        one_case(w, h, 3, RECIMG_CHROMA_420, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 60, seed);
    }
    one_case(41, 120, 3, RECIMG_CHROMA_444, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ, 70, 31);
    one_case(33, 90, 1, RECIMG_CHROMA_420, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB, 50, 32);
    one_case(24, 70, 3, RECIMG_CHROMA_420, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB, 30, 33);
    one_case(52, 110, 3, RECIMG_CHROMA_420, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK, 40, 34);
    one_case(29, 77, 1, RECIMG_CHROMA_420, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK, 75, 35);
    goldens();
    return ct_finish("test_codec_bands");
}
