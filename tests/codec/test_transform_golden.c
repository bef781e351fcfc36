/* Golden MD5s of decoder output for fixed .rec files that use learned
 * transforms (built-in ids 2, 3, 5 and embedded full and separable matrices),
 * in round mode (REC mode's payload is pinned by the codec's own goldens; the
 * transform stage is the same), committed under tests/codec/data/golden_tx_*.rec.
 * A change in the learned matrices, their products, the embedded-record
 * decoding (dequantisation + Gram-Schmidt) or the header handling shows up
 * here. Never golden encoder bytes: the files are fixed, their decoding may not
 * change.
 *
 *   test_transform_golden DATA_DIR            check
 *   test_transform_golden --make DATA_DIR     (maintainers) write the .rec files
 *   test_transform_golden --print DATA_DIR    (maintainers) print the MD5 table */
#include "codec_test_util.h"
#include "rtx_file.h"
#include "rtx_learned.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *file;
    uint32_t transform;       /* 2, 3, 5, or 4 with the built-in `base` matrix rotated */
    uint32_t base;
    recimg_mode mode;
    uint32_t w, h, channels;
    double quality;
    uint64_t seed;            /* synthetic image seed */
    const char *md5;          /* decoder output, default (MMSE) decoding */
} golden;

static const golden table[] = {
    {"golden_tx_klt_rgb420_q50.rec", 2, 0, RECIMG_MODE_ROUND, 37, 29, 3, 50, 11,
     "39b2483678fb62aa762ec6744e4f112a"},
    {"golden_tx_sep_gray_q70.rec", 3, 0, RECIMG_MODE_ROUND, 33, 21, 1, 70, 12,
     "79e660e74be48913b62025396f4559c0"},
    {"golden_tx_rd_rgb420_q30.rec", 5, 0, RECIMG_MODE_ROUND, 40, 24, 3, 30, 13,
     "afc43a2380ab9660c24b4f7f4bb1761b"},
    {"golden_tx_embsep_rgb420_q60.rec", 4, 3, RECIMG_MODE_ROUND, 30, 30, 3, 60, 14,
     "eb1a102ade98f826801732d91f301c4f"},
    {"golden_tx_embfull_gray_q40.rec", 4, 2, RECIMG_MODE_ROUND, 24, 16, 1, 40, 15,
     "622ca88f57131e002f6921d31a6ca48b"},
};

enum { NGOLDEN = sizeof table / sizeof table[0] };

static int read_all(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;
    *data = NULL;
    if (!f) return -1;
    if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) { fclose(f); return -1; }
    *data = malloc((size_t)n + 1);
    if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(*data); *data = NULL; return -1; }
    fclose(f);
    *size = (size_t)n;
    return 0;
}

/* .rtx bytes of built-in `base` with rows turned by a Givens rotation (a matrix
 * the build does not know, so the encoder embeds it). */
static int rotated_rtx(uint32_t base, uint8_t **bytes, size_t *size)
{
    rtx_file *f = calloc(1, sizeof *f);
    int rc = -1;
    if (f && rtx_learned_builtin_matrix(base, &f->matrix) == 0) {
        const int n = f->matrix.kind == RTX_KIND_FULL ? 64 : 8, r1 = n == 64 ? 20 : 3, r2 = r1 + 1;
        const double c = cos(0.5), s = sin(0.5);
        for (int j = 0; j < n; j++) {
            const double a = f->matrix.m[r1 * n + j], b = f->matrix.m[r2 * n + j];
            f->matrix.m[r1 * n + j] = c * a + s * b;
            f->matrix.m[r2 * n + j] = -s * a + c * b;
        }
        f->method = n == 64 ? RTX_METHOD_KLT : RTX_METHOD_SEPARABLE;
        rc = rtx_file_serialize(f, bytes, size) == RTX_FILE_OK ? 0 : -1;
    }
    free(f);
    return rc;
}

static int make_file(const golden *g, const char *dir)
{
    recimg_encoder_params p;
    recimg_encoder *enc = NULL;
    recimg_image img;
    uint8_t *rtx = NULL, *data = NULL;
    size_t rtx_size = 0, size = 0;
    char path[1024];
    FILE *f;
    int rc = -1;
    recimg_encoder_params_default(&p);
    p.mode = g->mode;
    p.quality = g->quality;
    p.transform_id = g->transform;
    if (g->transform == 4) {
        if (rotated_rtx(g->base, &rtx, &rtx_size) != 0) return -1;
        p.transform_file = rtx;
        p.transform_file_size = rtx_size;
    }
    if (ct_make_image(&img, g->w, g->h, g->channels, g->seed) == 0 &&
        recimg_encoder_create(&p, &enc) == RECIMG_OK &&
        recimg_encode(enc, &img, &data, &size, NULL) == RECIMG_OK) {
        snprintf(path, sizeof path, "%s/%s", dir, g->file);
        f = fopen(path, "wb");
        if (f && fwrite(data, 1, size, f) == size)
            rc = 0;
        if (f) fclose(f);
    }
    recimg_free(data);
    recimg_encoder_free(enc);
    free(img.pixels);
    free(rtx);
    return rc;
}

static int decode_md5(const char *dir, const golden *g, char hex[33], uint32_t *transform)
{
    recimg_decoder_params dp;
    recimg_decoder *dec = NULL;
    recimg_image out;
    recimg_info info;
    uint8_t *data = NULL;
    size_t size = 0;
    char path[1024];
    int rc = -1;
    snprintf(path, sizeof path, "%s/%s", dir, g->file);
    memset(&out, 0, sizeof out);
    recimg_decoder_params_default(&dp);
    if (read_all(path, &data, &size) == 0 && recimg_read_info(data, size, &info) == RECIMG_OK &&
        recimg_decoder_create(&dp, &dec) == RECIMG_OK &&
        recimg_decode(dec, data, size, &out) == RECIMG_OK) {
        ct_md5_hex(out.pixels, (size_t)out.width * out.height * out.channels, hex);
        *transform = info.transform_id;
        rc = 0;
    }
    recimg_free(out.pixels);
    recimg_decoder_free(dec);
    free(data);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--make")) {
        for (int i = 0; i < NGOLDEN; i++)
            if (make_file(&table[i], argv[2]) != 0) {
                fprintf(stderr, "cannot write %s\n", table[i].file);
                return 1;
            }
        return 0;
    }
    if (argc == 3 && !strcmp(argv[1], "--print")) {
        for (int i = 0; i < NGOLDEN; i++) {
            char hex[33];
            uint32_t t = 0;
            if (decode_md5(argv[2], &table[i], hex, &t) != 0) {
                fprintf(stderr, "cannot decode %s\n", table[i].file);
                return 1;
            }
            printf("%s transform %u %s\n", table[i].file, t, hex);
        }
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: test_transform_golden [--make|--print] DATA_DIR\n");
        return 2;
    }
    for (int i = 0; i < NGOLDEN; i++) {
        char hex[33] = "";
        uint32_t t = 0;
        CHECK(decode_md5(argv[1], &table[i], hex, &t) == 0);
        CHECK(t == table[i].transform);
        CHECK(strcmp(hex, table[i].md5) == 0);
        if (strcmp(hex, table[i].md5) != 0)
            fprintf(stderr, "  %s: decoded MD5 %s, golden %s\n", table[i].file, hex, table[i].md5);
    }
    return ct_finish("test_transform_golden");
}
