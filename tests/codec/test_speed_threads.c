/* test_speed_threads: the output never depends on the thread count (recimg.h,
 * issue 8). For RGB 4:2:0, RGB 4:4:4 and gray synthetic images, in round mode and
 * in REC mode with every sampler the build supports, encoding with threads
 * 1, 2, 3 and 0 (all cores) must give identical bytes, and decoding that file with
 * threads 1, 2, 3 and 0 in every decode mode must give identical pixels. Threads
 * must also not change the decoder's rejection of a truncated file. */
#include "recimg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                  \
            fprintf(stderr, "\n");                         \
            failures++;                                    \
        }                                                  \
    } while (0)

static const int thread_counts[] = {1, 2, 3, 0};
#define NTHREADS ((int)(sizeof thread_counts / sizeof thread_counts[0]))

/* A picture with edges, gradients and texture (fixed xorshift noise). */
static recimg_image make_image(uint32_t w, uint32_t h, uint32_t channels)
{
    recimg_image img;
    uint32_t s = 0x12345678u;
    img.width = w;
    img.height = h;
    img.channels = channels;
    img.pixels = (uint8_t *)malloc((size_t)w * h * channels);
    if (!img.pixels) {
        fprintf(stderr, "FAIL: out of memory\n");
        exit(1);
    }
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            for (uint32_t c = 0; c < channels; c++) {
                int v = (int)((x * (3 + c) + y * (5 - c)) & 255);
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                if ((x / 16 + y / 16) % 2)
                    v = 255 - v;
                v += (int)(s % 41) - 20;
                img.pixels[((size_t)y * w + x) * channels + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
    }
    return img;
}

static int encode(const recimg_image *img, recimg_mode mode, recimg_sampler sampler,
                  recimg_chroma chroma, int threads, uint8_t **out, size_t *size)
{
    recimg_encoder_params p;
    recimg_encoder *enc = NULL;
    recimg_status st;
    recimg_encoder_params_default(&p);
    p.mode = mode;
    p.sampler = sampler;
    p.chroma = chroma;
    p.quality = 60;
    p.threads = threads;
    st = recimg_encoder_create(&p, &enc);
    if (st == RECIMG_ERR_UNSUPPORTED)
        return 1;
    if (st != RECIMG_OK)
        return -1;
    st = recimg_encode(enc, img, out, size, NULL);
    recimg_encoder_free(enc);
    return st == RECIMG_OK ? 0 : -1;
}

static recimg_status decode(const uint8_t *buf, size_t size, recimg_decode_mode mode, int threads,
                            recimg_image *out)
{
    recimg_decoder_params p;
    recimg_decoder *dec = NULL;
    recimg_status st;
    recimg_decoder_params_default(&p);
    p.decode = mode;
    p.realism = 0.5;
    p.private_seed = 7;
    p.threads = threads;
    st = recimg_decoder_create(&p, &dec);
    if (st != RECIMG_OK)
        return st;
    st = recimg_decode(dec, buf, size, out);
    recimg_decoder_free(dec);
    return st;
}

static void check_config(const recimg_image *img, recimg_mode mode, recimg_sampler sampler,
                         recimg_chroma chroma, const char *name)
{
    uint8_t *ref = NULL;
    size_t ref_size = 0;
    static const recimg_decode_mode modes[] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER,
                                               RECIMG_DECODE_SAMPLE, RECIMG_DECODE_REALISM};
    const int rc = encode(img, mode, sampler, chroma, 1, &ref, &ref_size);
    if (rc == 1)
        return;   /* sampler not in this build: nothing to compare */
    CHECK(rc == 0, "%s: encode with 1 thread failed", name);
    if (rc != 0)
        return;
    for (int t = 1; t < NTHREADS; t++) {
        uint8_t *buf = NULL;
        size_t size = 0;
        CHECK(encode(img, mode, sampler, chroma, thread_counts[t], &buf, &size) == 0,
              "%s: encode with %d threads failed", name, thread_counts[t]);
        CHECK(buf && size == ref_size && memcmp(buf, ref, size) == 0,
              "%s: encoded bytes differ with %d threads", name, thread_counts[t]);
        recimg_free(buf);
    }
    for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        recimg_image a;
        const recimg_status st = decode(ref, ref_size, modes[m], 1, &a);
        if (st == RECIMG_ERR_UNSUPPORTED)
            continue;   /* e.g. sampling decoders of one mode */
        CHECK(st == RECIMG_OK, "%s: decode mode %d with 1 thread: %s", name, (int)modes[m],
              recimg_strerror(st));
        if (st != RECIMG_OK)
            continue;
        for (int t = 1; t < NTHREADS; t++) {
            recimg_image b;
            const recimg_status sb = decode(ref, ref_size, modes[m], thread_counts[t], &b);
            CHECK(sb == RECIMG_OK && b.width == a.width && b.height == a.height &&
                      b.channels == a.channels &&
                      memcmp(a.pixels, b.pixels, (size_t)a.width * a.height * a.channels) == 0,
                  "%s: decode mode %d differs with %d threads", name, (int)modes[m], thread_counts[t]);
            recimg_free(b.pixels);
        }
        recimg_free(a.pixels);
    }
    /* a truncated file fails the same way whatever the thread count */
    for (int t = 0; t < NTHREADS; t++) {
        recimg_image c;
        CHECK(decode(ref, ref_size - 1, RECIMG_DECODE_MMSE, thread_counts[t], &c) != RECIMG_OK,
              "%s: truncated file accepted with %d threads", name, thread_counts[t]);
        CHECK(c.pixels == NULL, "%s: output left after a failed decode", name);
    }
    recimg_free(ref);
}

int main(void)
{
    static const struct {
        recimg_mode mode;
        recimg_sampler sampler;
        const char *name;
    } cfg[] = {
        {RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, "round"},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_NONE, "rec-default"},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ, "rec-lrq"},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, "rec-uq"},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB, "rec-gprs-bnb"},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS, "rec-gprs"},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_PFR, "rec-pfr"},
        {RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK, "rec-block"},
    };
    recimg_image rgb = make_image(83, 61, 3), gray = make_image(70, 45, 1);
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s rgb 420", cfg[i].name);
        check_config(&rgb, cfg[i].mode, cfg[i].sampler, RECIMG_CHROMA_420, name);
        snprintf(name, sizeof name, "%s rgb 444", cfg[i].name);
        check_config(&rgb, cfg[i].mode, cfg[i].sampler, RECIMG_CHROMA_444, name);
        snprintf(name, sizeof name, "%s gray", cfg[i].name);
        check_config(&gray, cfg[i].mode, cfg[i].sampler, RECIMG_CHROMA_420, name);
    }
    free(rgb.pixels);
    free(gray.pixels);
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("test_speed_threads: identical output for threads 1, 2, 3, 0\n");
    return 0;
}
