/* Golden MD5s of decoder output for fixed .rec files committed under
 * tests/codec/data/ (never golden encoder bytes: the encoder may change, the
 * decoding of a given file may not). Every decode mode of the rounding
 * baseline is pinned, so a change in the decoder's arithmetic, the context
 * model or the range coder shows up here.
 *
 *   test_codec_golden TESTIMAGES_DIR        check (the data dir is found next to this file)
 *   test_codec_golden --make DIR            (maintainers) write the .rec files from synthetic images
 *   test_codec_golden --print DIR           (maintainers) print the MD5 table for DIR */
#include "codec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CODEC_GOLDEN_DIR
#define CODEC_GOLDEN_DIR "tests/codec/data"
#endif

typedef struct {
    const char *file;
    uint32_t w, h, channels;
    recimg_chroma chroma;
    double quality;
    uint64_t seed;                 /* synthetic image seed */
    const char *md5_mmse, *md5_center;
} golden;

static const golden table[] = {
    {"golden_rgb420_q50.rec", 37, 23, 3, RECIMG_CHROMA_420, 50, 1,
     "620f3f4464d2292a5a02b9745055ed6e", "7e12a0bdbccffdc3c6a3971389cbf199"},
    {"golden_gray_q80.rec", 29, 17, 1, RECIMG_CHROMA_420, 80, 2,
     "0ccb3190727a256108c6bf9d4a2d6480", "44a2a18bde0368094c6b2948842bdd69"},
    {"golden_rgb444_q20.rec", 24, 40, 3, RECIMG_CHROMA_444, 20, 3,
     "49157f51ba088e9b1d3e353fe5fd5ccc", "d4407ada46aa3615acd03c53fab3ce7b"},
    {"golden_rgb420_1x1.rec", 1, 1, 3, RECIMG_CHROMA_420, 75, 4,
     "138ed229048fba8751a14fccb34957f8", "f669bc24182c96c844f143ee8773df6e"},
    {"golden_rgb420_q5.rec", 64, 48, 3, RECIMG_CHROMA_420, 5, 5,
     "23326bbffadf8ef189c1247754bb7230", "62b029298947a4aa517d5e75e964f061"},
    {"golden_rgb420_q97.rec", 96, 64, 3, RECIMG_CHROMA_420, 97, 6,
     "19494243271a09dc413abbd1dea3b60c", "470fedb8ddf4fbfc8e26bcae3667f2c4"},
};

static int read_all(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;
    *data = NULL;
    if (!f) return -1;
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) { fclose(f); return -1; }
    *data = malloc((size_t)n + 1);
    if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(*data); return -1; }
    fclose(f);
    *size = (size_t)n;
    return 0;
}

static int decode_md5(const uint8_t *data, size_t size, recimg_decode_mode mode, char hex[33])
{
    recimg_decoder_params dp;
    recimg_decoder *d = NULL;
    recimg_image out;
    recimg_decoder_params_default(&dp);
    dp.decode = mode;
    if (recimg_decoder_create(&dp, &d) != RECIMG_OK)
        return -1;
    if (recimg_decode(d, data, size, &out) != RECIMG_OK) {
        recimg_decoder_free(d);
        return -1;
    }
    ct_md5_hex(out.pixels, (size_t)out.width * out.height * out.channels, hex);
    recimg_free(out.pixels);
    recimg_decoder_free(d);
    return 0;
}

static int make(const char *dir)
{
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const golden *g = &table[i];
        recimg_image img;
        recimg_encoder_params p;
        recimg_encoder *e = NULL;
        uint8_t *data = NULL;
        size_t size = 0;
        char path[1024];
        FILE *f;
        if (ct_make_image(&img, g->w, g->h, g->channels, g->seed)) return 1;
        recimg_encoder_params_default(&p);
        p.quality = g->quality;
        p.chroma = g->chroma;
        if (recimg_encoder_create(&p, &e) || recimg_encode(e, &img, &data, &size, NULL)) return 1;
        snprintf(path, sizeof path, "%s/%s", dir, g->file);
        f = fopen(path, "wb");
        if (!f || fwrite(data, 1, size, f) != size || fclose(f)) return 1;
        recimg_free(data);
        recimg_encoder_free(e);
        free(img.pixels);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = CODEC_GOLDEN_DIR;
    int print = 0;
    if (argc == 3 && !strcmp(argv[1], "--make"))
        return make(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "--print")) {
        print = 1;
        dir = argv[2];
    }
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const golden *g = &table[i];
        char path[1024], mmse[33], center[33], again[33];
        uint8_t *data;
        size_t size;
        snprintf(path, sizeof path, "%s/%s", dir, g->file);
        if (read_all(path, &data, &size)) {
            fprintf(stderr, "cannot read %s\n", path);
            CHECK(!"golden file missing");
            continue;
        }
        CHECK(decode_md5(data, size, RECIMG_DECODE_MMSE, mmse) == 0);
        CHECK(decode_md5(data, size, RECIMG_DECODE_CENTER, center) == 0);
        CHECK(decode_md5(data, size, RECIMG_DECODE_DEFAULT, again) == 0);
        CHECK(strcmp(mmse, again) == 0);     /* the default is MMSE */
        if (print) {
            printf("    {\"%s\", %u, %u, %u, %s, %g, %llu,\n     \"%s\", \"%s\"},\n", g->file, g->w, g->h,
                   g->channels, g->chroma == RECIMG_CHROMA_420 ? "RECIMG_CHROMA_420" : "RECIMG_CHROMA_444",
                   g->quality, (unsigned long long)g->seed, mmse, center);
        } else {
            if (strcmp(mmse, g->md5_mmse) != 0) {
                fprintf(stderr, "%s mmse: got %s, want %s\n", g->file, mmse, g->md5_mmse);
                CHECK(!"MMSE decode differs from golden");
            }
            if (strcmp(center, g->md5_center) != 0) {
                fprintf(stderr, "%s center: got %s, want %s\n", g->file, center, g->md5_center);
                CHECK(!"centre decode differs from golden");
            }
        }
        free(data);
    }
    return print ? 0 : ct_finish("test_codec_golden");
}
