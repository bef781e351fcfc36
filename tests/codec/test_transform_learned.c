/* Learned transforms (issue 5): the built-in matrices are orthonormal with a
 * DC-like band 0; forward/inverse invert each other (also in place and across
 * batches); the separable kind equals its Kronecker expansion; .rtx files and
 * embedded records survive a round trip, and malformed ones are rejected with
 * a status and a message; the codec round-trips images with every transform
 * (built-in ids 2, 3 and 5, embedded full and separable matrices) in round and
 * REC mode, and rejects a damaged embedded record. */
#include "codec_test_util.h"
#include "rtx_file.h"
#include "rtx_learned.h"
#include "rtx_transform.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 11;
}

static double urand(uint64_t *s)
{
    return (double)lcg(s) / 9007199254740992.0;   /* [0, 1) */
}

/* forward then inverse on random blocks, in place and out of place. */
static void check_inverse(recimg_transform *t)
{
    enum { N = 300 };
    double *in = malloc(N * 64 * sizeof(double)), *y = malloc(N * 64 * sizeof(double));
    double *back = malloc(N * 64 * sizeof(double));
    double maxerr = 0.0, maxenergy = 0.0;
    uint64_t s = 777;
    CHECK(in && y && back);
    if (!in || !y || !back)
        goto out;
    for (int i = 0; i < N * 64; i++)
        in[i] = urand(&s) * 255.0 - 128.0;
    t->forward(t, in, y, N);
    t->inverse(t, y, back, N);
    for (int b = 0; b < N; b++) {
        double ex = 0.0, ey = 0.0;
        for (int k = 0; k < 64; k++) {
            const double e = fabs(back[b * 64 + k] - in[b * 64 + k]);
            if (e > maxerr) maxerr = e;
            ex += in[b * 64 + k] * in[b * 64 + k];
            ey += y[b * 64 + k] * y[b * 64 + k];
        }
        if (fabs(ex - ey) / ex > maxenergy) maxenergy = fabs(ex - ey) / ex;
    }
    CHECK(maxerr < 1e-9);
    CHECK(maxenergy < 1e-12);
    /* in place gives the same numbers */
    memcpy(back, in, N * 64 * sizeof(double));
    t->forward(t, back, back, N);
    CHECK(memcmp(back, y, N * 64 * sizeof(double)) == 0);
    t->inverse(t, back, back, N);
    maxerr = 0.0;
    for (int i = 0; i < N * 64; i++)
        if (fabs(back[i] - in[i]) > maxerr) maxerr = fabs(back[i] - in[i]);
    CHECK(maxerr < 1e-9);
out:
    free(in);
    free(y);
    free(back);
}

static void test_builtins(void)
{
    rtx_matrix *m = malloc(sizeof *m);
    recimg_transform *t = NULL;
    CHECK(m != NULL);
    if (!m)
        return;
    static const uint32_t ids[3] = {RTX_TRANSFORM_LEARNED_KLT, RTX_TRANSFORM_LEARNED_SEP,
                                    RTX_TRANSFORM_LEARNED_RD};
    for (int i = 0; i < 3; i++) {
        const uint32_t id = ids[i];
        double dc = 0.0;
        CHECK(rtx_transform_id_supported(id));
        CHECK(rtx_learned_builtin_matrix(id, m) == 0);
        CHECK(rtx_matrix_orthonormality_error(m) < 1e-12);
        /* band 0 is the DC-like vector (positive mean): the context model's DC prediction relies on it */
        if (m->kind == RTX_KIND_FULL) {
            for (int j = 0; j < 64; j++) dc += m->m[j] / 8.0;
        } else {
            double a = 0.0, b = 0.0;
            for (int j = 0; j < 8; j++) { a += m->m[j]; b += m->m[64 + j]; }
            dc = a * b / 8.0;
        }
        CHECK(dc > 0.99);
        CHECK(rtx_transform_create(id, &t) == 0 && t && t->id == id);
        if (t)
            check_inverse(t);
        rtx_transform_destroy(t);
        t = NULL;
    }
    CHECK(rtx_learned_builtin_matrix(RTX_TRANSFORM_DCT8, m) == -1);
    CHECK(rtx_transform_create(RTX_TRANSFORM_EMBEDDED, &t) == -1 && t == NULL);   /* needs a record */
    CHECK(!rtx_transform_id_supported(RTX_TRANSFORM_EMBEDDED));
    free(m);
}

/* The separable kind computes exactly the map of its 64x64 Kronecker expansion. */
static void test_separable_is_kronecker(void)
{
    rtx_matrix *sep = malloc(sizeof *sep), *full = malloc(sizeof *full);
    recimg_transform *ts = NULL, *tf = NULL;
    double x[64 * 3], ys[64 * 3], yf[64 * 3], maxd = 0.0;
    uint64_t s = 99;
    CHECK(sep && full);
    if (!sep || !full)
        goto out;
    CHECK(rtx_learned_builtin_matrix(RTX_TRANSFORM_LEARNED_SEP, sep) == 0);
    full->kind = RTX_KIND_FULL;
    for (int v = 0; v < 8; v++)
        for (int u = 0; u < 8; u++)
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++)
                    full->m[(v * 8 + u) * 64 + r * 8 + c] = sep->m[v * 8 + r] * sep->m[64 + u * 8 + c];
    CHECK(rtx_matrix_orthonormality_error(full) < 1e-12);
    CHECK(rtx_matrix_transform_create(sep, 50, "s", &ts) == 0);
    CHECK(rtx_matrix_transform_create(full, 51, "f", &tf) == 0);
    if (!ts || !tf)
        goto out;
    for (int i = 0; i < 64 * 3; i++)
        x[i] = urand(&s) * 200.0 - 100.0;
    ts->forward(ts, x, ys, 3);
    tf->forward(tf, x, yf, 3);
    for (int i = 0; i < 64 * 3; i++)
        if (fabs(ys[i] - yf[i]) > maxd) maxd = fabs(ys[i] - yf[i]);
    CHECK(maxd < 1e-9);
    ts->inverse(ts, ys, ys, 3);
    tf->inverse(tf, yf, yf, 3);
    maxd = 0.0;
    for (int i = 0; i < 64 * 3; i++)
        if (fabs(ys[i] - yf[i]) > maxd) maxd = fabs(ys[i] - yf[i]);
    CHECK(maxd < 1e-9);
out:
    rtx_transform_destroy(ts);
    rtx_transform_destroy(tf);
    free(sep);
    free(full);
}

/* .rtx bytes of a built-in matrix; with rotate, two of its rows turned by a
 * Givens rotation (still orthonormal, but no longer a matrix the build knows). */
static int make_rtx(uint32_t id, int rotate, uint8_t **bytes, size_t *size)
{
    rtx_file *f = calloc(1, sizeof *f);
    rtx_file_status st;
    if (!f)
        return -1;
    rtx_learned_builtin_matrix(id, &f->matrix);
    if (rotate) {
        const int n = f->matrix.kind == RTX_KIND_FULL ? 64 : 8, r1 = n == 64 ? 10 : 5, r2 = r1 + 1;
        const double c = cos(0.3), sn = sin(0.3);
        for (int j = 0; j < n; j++) {
            const double a = f->matrix.m[r1 * n + j], b = f->matrix.m[r2 * n + j];
            f->matrix.m[r1 * n + j] = c * a + sn * b;
            f->matrix.m[r2 * n + j] = -sn * a + c * b;
        }
    }
    f->method = id == RTX_TRANSFORM_LEARNED_KLT ? RTX_METHOD_KLT : RTX_METHOD_SEPARABLE;
    f->samples = 1234;
    for (int k = 0; k < 64; k++)
        f->variance[k] = 1000.0 / (k + 1);
    st = rtx_file_serialize(f, bytes, size);
    free(f);
    return st == RTX_FILE_OK ? 0 : -1;
}

static int builtin_rtx(uint32_t id, uint8_t **bytes, size_t *size)
{
    return make_rtx(id, 0, bytes, size);
}

/* A .rtx file that holds a known matrix is named by its id: no embedded record. */
static void test_known_matrices(void)
{
    static const uint32_t ids[3] = {RTX_TRANSFORM_LEARNED_KLT, RTX_TRANSFORM_LEARNED_SEP,
                                    RTX_TRANSFORM_LEARNED_RD};
    rtx_file *f = calloc(1, sizeof *f);
    uint8_t *b = NULL;
    size_t n = 0;
    const double pi = 3.14159265358979323846;
    CHECK(f != NULL);
    if (!f)
        return;
    for (int i = 0; i < 3; i++) {
        CHECK(make_rtx(ids[i], 0, &b, &n) == 0);
        CHECK(rtx_known_id_of_rtx(b, n) == ids[i]);
        free(b);
        CHECK(make_rtx(ids[i], 1, &b, &n) == 0);
        CHECK(rtx_known_id_of_rtx(b, n) == 0);
        CHECK(rtx_known_id_of_rtx(b, n - 1) == 0);   /* invalid bytes */
        free(b);
        b = NULL;
    }
    /* the DCT written as a separable .rtx */
    f->matrix.kind = RTX_KIND_SEPARABLE;
    f->method = RTX_METHOD_SEPARABLE;
    for (int k = 0; k < 8; k++)
        for (int j = 0; j < 8; j++)
            f->matrix.m[k * 8 + j] = f->matrix.m[64 + k * 8 + j] =
                (k == 0 ? sqrt(0.125) : 0.5) * cos(pi * (2.0 * j + 1.0) * k / 16.0);
    CHECK(rtx_file_serialize(f, &b, &n) == RTX_FILE_OK);
    CHECK(rtx_known_id_of_rtx(b, n) == RTX_TRANSFORM_DCT8);
    {
        recimg_encoder_params p;
        recimg_encoder *enc = NULL;
        recimg_image img;
        uint8_t *data = NULL;
        size_t size = 0;
        recimg_info info;
        recimg_encoder_params_default(&p);
        p.transform_id = 4;
        p.transform_file = b;
        p.transform_file_size = n;
        CHECK(ct_make_image(&img, 24, 16, 3, 9) == 0);
        CHECK(recimg_encoder_create(&p, &enc) == RECIMG_OK);
        CHECK(recimg_encode(enc, &img, &data, &size, NULL) == RECIMG_OK);
        CHECK(recimg_read_info(data, size, &info) == RECIMG_OK && info.transform_id == RTX_TRANSFORM_DCT8);
        /* no embedded record: the header is the base header of the default round file,
           version 2 (flags2 0x800, the round deadzone): 60 bytes */
        CHECK(data && (data[8] | data[9] << 8) == 2 && (data[10] | data[11] << 8) == 60);
        recimg_free(data);
        recimg_encoder_free(enc);
        free(img.pixels);
    }
    free(b);
    free(f);
}

static void fix_crc(uint8_t *b, size_t n)
{
    const uint32_t c = (uint32_t)crc32(crc32(0L, Z_NULL, 0), b, (uInt)(n - 4));
    b[n - 4] = (uint8_t)c;
    b[n - 3] = (uint8_t)(c >> 8);
    b[n - 2] = (uint8_t)(c >> 16);
    b[n - 1] = (uint8_t)(c >> 24);
}

/* Expects parse to fail with status want and a non-empty message. */
static void expect_bad(const uint8_t *b, size_t n, rtx_file_status want, rtx_file *f)
{
    char err[256] = "";
    const rtx_file_status st = rtx_file_parse(b, n, f, err, sizeof err);
    CHECK(st == want);
    CHECK(err[0] != '\0');
    CHECK(strcmp(rtx_file_strerror(st), "unknown status") != 0);
    if (st != want)
        fprintf(stderr, "  got status %d (%s), wanted %d\n", (int)st, err, (int)want);
}

static void test_rtx_files(void)
{
    uint8_t *b = NULL, *m = NULL;
    size_t n = 0;
    rtx_file *f = calloc(1, sizeof *f);
    rtx_matrix *orig = malloc(sizeof *orig);
    char err[256];
    CHECK(f && orig);
    if (!f || !orig)
        goto out;
    for (uint32_t id = RTX_TRANSFORM_LEARNED_KLT; id <= RTX_TRANSFORM_LEARNED_SEP; id++) {
        CHECK(builtin_rtx(id, &b, &n) == 0);
        if (!b)
            continue;
        CHECK(n == rtx_file_size(id == RTX_TRANSFORM_LEARNED_KLT ? RTX_KIND_FULL : RTX_KIND_SEPARABLE));
        rtx_learned_builtin_matrix(id, orig);
        CHECK(rtx_file_parse(b, n, f, err, sizeof err) == RTX_FILE_OK);
        CHECK(f->matrix.kind == orig->kind && f->samples == 1234 && f->variance[3] == 250.0);
        CHECK(memcmp(f->matrix.m, orig->m, rtx_kind_entries(orig->kind) * sizeof(double)) == 0);

        /* every proper prefix is rejected */
        for (size_t len = 0; len < n; len += (len < 64 ? 1 : 97)) {
            const rtx_file_status st = rtx_file_parse(b, len, f, err, sizeof err);
            CHECK(st == RTX_FILE_ERR_TRUNCATED || (len == 0 && st == RTX_FILE_ERR_BAD_MAGIC));
        }
        m = malloc(n + 1);
        CHECK(m != NULL);
        if (!m)
            break;
        /* one extra byte */
        memcpy(m, b, n);
        m[n] = 0;
        expect_bad(m, n + 1, RTX_FILE_ERR_CORRUPT, f);
        /* magic, version, header size, kind, method, dims, reserved */
        memcpy(m, b, n); m[1] = 'X'; expect_bad(m, n, RTX_FILE_ERR_BAD_MAGIC, f);
        memcpy(m, b, n); m[8] = 2; expect_bad(m, n, RTX_FILE_ERR_BAD_VERSION, f);
        memcpy(m, b, n); m[10] = 33; expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        memcpy(m, b, n); m[12] = 3; expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        memcpy(m, b, n); m[12] = m[12] == 1 ? 2 : 1; expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        memcpy(m, b, n); m[13] = 0; expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        memcpy(m, b, n); m[14] = 63; expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        memcpy(m, b, n); m[20] = 1; expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        /* a flipped bit anywhere after the header fields fails the CRC */
        for (size_t pos = 24; pos < n; pos += 131) {
            memcpy(m, b, n);
            m[pos] ^= 0x10;
            expect_bad(m, n, RTX_FILE_ERR_CHECKSUM, f);
        }
        /* valid CRC, but a matrix entry changed: not orthonormal */
        memcpy(m, b, n);
        m[32 + 8 * 5 + 6] ^= 0x01;   /* a low-order exponent bit of entry 5 */
        fix_crc(m, n);
        expect_bad(m, n, RTX_FILE_ERR_NOT_ORTHONORMAL, f);
        /* valid CRC, NaN entry */
        memcpy(m, b, n);
        memset(m + 32 + 8 * 7, 0xFF, 8);
        fix_crc(m, n);
        expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        /* valid CRC, negative variance */
        memcpy(m, b, n);
        m[n - 4 - 1] |= 0x80;
        fix_crc(m, n);
        expect_bad(m, n, RTX_FILE_ERR_CORRUPT, f);
        free(m);
        m = NULL;
        free(b);
        b = NULL;
    }
    /* random damage (1-4 bytes, CRC fixed half of the time) never crashes, and a
       file that still parses is orthonormal */
    CHECK(builtin_rtx(RTX_TRANSFORM_LEARNED_SEP, &b, &n) == 0);
    m = b ? malloc(n) : NULL;
    if (m) {
        uint64_t s = 4242;
        int accepted = 0;
        for (int it = 0; it < 3000; it++) {
            const int flips = 1 + (int)(lcg(&s) % 4);
            rtx_file_status st;
            memcpy(m, b, n);
            for (int k = 0; k < flips; k++)
                m[lcg(&s) % n] ^= (uint8_t)(1 + lcg(&s) % 255);
            if (lcg(&s) & 1)
                fix_crc(m, n);
            err[0] = '\0';
            st = rtx_file_parse(m, n, f, err, sizeof err);
            if (st == RTX_FILE_OK) {
                accepted++;
                CHECK(rtx_matrix_orthonormality_error(&f->matrix) <= 1e-6);
            } else {
                CHECK(err[0] != '\0');
            }
        }
        printf("random damage: %d of 3000 damaged files still valid (header/variance bytes)\n", accepted);
    }
    free(m);
    m = NULL;
    free(b);
    b = NULL;
    /* the writer refuses a matrix it could not read back */
    rtx_learned_builtin_matrix(RTX_TRANSFORM_LEARNED_SEP, &f->matrix);
    f->method = RTX_METHOD_SEPARABLE;
    f->matrix.m[3] += 0.01;
    CHECK(rtx_file_serialize(f, &b, &n) == RTX_FILE_ERR_INVALID_ARGUMENT && b == NULL);
out:
    free(b);
    free(m);
    free(f);
    free(orig);
}

static void test_embedded_records(void)
{
    uint8_t rec[RTX_EMBED_MAX_SIZE], bad[RTX_EMBED_MAX_SIZE];
    size_t n = 0;
    rtx_matrix *a = malloc(sizeof *a), *back = malloc(sizeof *back);
    recimg_transform *t = NULL;
    CHECK(a && back);
    if (!a || !back)
        goto out;
    for (uint32_t id = RTX_TRANSFORM_LEARNED_KLT; id <= RTX_TRANSFORM_LEARNED_SEP; id++) {
        double maxd = 0.0;
        rtx_learned_builtin_matrix(id, a);
        CHECK(rtx_embed_write(a, rec, &n) == 0 && n == rtx_embed_size(a->kind));
        CHECK(rtx_embed_check(rec, n) == 0);
        CHECK(rtx_embed_read(rec, n, back, NULL, 0) == 0);
        CHECK(rtx_matrix_orthonormality_error(back) < 1e-12);
        for (size_t i = 0; i < rtx_kind_entries(a->kind); i++)
            if (fabs(back->m[i] - a->m[i]) > maxd) maxd = fabs(back->m[i] - a->m[i]);
        CHECK(maxd < 2e-4);   /* 16-bit rounding, then Gram-Schmidt */
        CHECK(rtx_embed_create(rec, n, &t) == 0 && t && t->id == RTX_TRANSFORM_EMBEDDED);
        if (t)
            check_inverse(t);
        rtx_transform_destroy(t);
        t = NULL;
        /* malformed records */
        CHECK(rtx_embed_check(rec, n - 1) != 0);
        CHECK(rtx_embed_check(rec, 3) != 0);
        memcpy(bad, rec, n); bad[0] = 7; CHECK(rtx_embed_check(bad, n) != 0);
        memcpy(bad, rec, n); bad[1] = 15; CHECK(rtx_embed_check(bad, n) != 0);
        memcpy(bad, rec, n); bad[3] = 1; CHECK(rtx_embed_check(bad, n) != 0);
        memcpy(bad, rec, n); bad[4 + 2 * 9 + 1] ^= 0x40; CHECK(rtx_embed_check(bad, n) != 0);
        CHECK(rtx_embed_read(bad, n, back, NULL, 0) != 0);
        CHECK(rtx_embed_create(bad, n, &t) == -1 && t == NULL);
        memset(bad, 0, n); bad[0] = rec[0]; bad[1] = RTX_EMBED_FRAC_BITS;   /* all-zero matrix */
        CHECK(rtx_embed_check(bad, n) != 0);
    }
out:
    free(a);
    free(back);
}

/* Encode/decode an image with every transform in round and REC mode. */
static void test_codec_roundtrips(void)
{
    uint8_t *full_rtx = NULL, *sep_rtx = NULL;
    size_t full_n = 0, sep_n = 0;
    recimg_image img[2];
    char msg[256];
    CHECK(make_rtx(RTX_TRANSFORM_LEARNED_KLT, 1, &full_rtx, &full_n) == 0);
    CHECK(make_rtx(RTX_TRANSFORM_LEARNED_SEP, 1, &sep_rtx, &sep_n) == 0);
    CHECK(ct_make_image(&img[0], 75, 53, 3, 5) == 0);
    CHECK(ct_make_image(&img[1], 40, 33, 1, 6) == 0);
    CHECK(recimg_transform_file_check(full_rtx, full_n, msg, sizeof msg) == RECIMG_OK);
    CHECK(recimg_transform_file_check(sep_rtx, 10, msg, sizeof msg) == RECIMG_ERR_CORRUPT && msg[0]);

    for (int mode = 0; mode < 2; mode++)
        for (int ti = 0; ti < 6; ti++)
            for (int im = 0; im < 2; im++) {
                recimg_encoder_params p;
                recimg_encoder *enc = NULL;
                recimg_decoder_params dp;
                recimg_decoder *dec = NULL;
                recimg_image out1, out2;
                recimg_info info;
                uint8_t *data = NULL;
                size_t size = 0;
                recimg_status st;
                recimg_encoder_params_default(&p);
                recimg_decoder_params_default(&dp);
                memset(&out1, 0, sizeof out1);
                memset(&out2, 0, sizeof out2);
                p.mode = mode ? RECIMG_MODE_REC : RECIMG_MODE_ROUND;
                p.quality = 85;
                p.transform_id = ti < 3 ? (uint32_t)(ti + 1) : ti == 5 ? (uint32_t)RTX_TRANSFORM_LEARNED_RD : 4u;
                if (ti == 3) { p.transform_file = full_rtx; p.transform_file_size = full_n; }
                if (ti == 4) { p.transform_file = sep_rtx; p.transform_file_size = sep_n; }
                st = recimg_encoder_create(&p, &enc);
                CHECK(st == RECIMG_OK);
                if (st != RECIMG_OK) {
                    fprintf(stderr, "  encoder_create mode %d transform %d: %s\n", mode, ti,
                            recimg_strerror(st));
                    continue;
                }
                CHECK(recimg_decoder_create(&dp, &dec) == RECIMG_OK);
                CHECK(recimg_encode(enc, &img[im], &data, &size, NULL) == RECIMG_OK);
                CHECK(recimg_decode(dec, data, size, &out1) == RECIMG_OK);
                CHECK(out1.pixels && ct_psnr(&img[im], &out1) > 30.0);
                CHECK(recimg_read_info(data, size, &info) == RECIMG_OK && info.transform_id == p.transform_id);
                if ((ti == 3 || ti == 4) && data) {
                    const size_t e = rtx_embed_size(ti == 3 ? RTX_KIND_FULL : RTX_KIND_SEPARABLE);
                    uint8_t *m = malloc(size);
                    const int base = data[8] == 2 ? 60 : 56;   /* version 2: flags2 (deadzone uq) */
                    CHECK((data[10] | data[11] << 8) == base + (int)e);
                    if (m) {
                        /* damaged record: CRC error; same damage with a fixed CRC: corrupt */
                        memcpy(m, data, size);
                        m[base + 4 + 2 * 17 + 1] ^= 0x20;   /* high byte: entry changes by 0.5 */
                        CHECK(recimg_decode(dec, m, size, &out2) == RECIMG_ERR_CHECKSUM);
                        fix_crc(m, size);
                        CHECK(recimg_decode(dec, m, size, &out2) == RECIMG_ERR_CORRUPT && !out2.pixels);
                        /* every truncation fails cleanly */
                        for (size_t len = 0; len < size; len += 1 + len / 3) {
                            const recimg_status ts = recimg_decode(dec, data, len, &out2);
                            CHECK(ts != RECIMG_OK && !out2.pixels);
                        }
                        /* header size that disagrees with the transform id */
                        memcpy(m, data, size);
                        m[22] = 1;
                        fix_crc(m, size);
                        CHECK(recimg_decode(dec, m, size, &out2) == RECIMG_ERR_CORRUPT);
                        free(m);
                    }
                }
                /* the same decoder again (after other transforms) gives the same pixels */
                CHECK(recimg_decode(dec, data, size, &out2) == RECIMG_OK);
                CHECK(out1.pixels && out2.pixels &&
                      memcmp(out1.pixels, out2.pixels, (size_t)out1.width * out1.height * out1.channels) == 0);
                recimg_free(out1.pixels);
                recimg_free(out2.pixels);
                recimg_free(data);
                recimg_encoder_free(enc);
                recimg_decoder_free(dec);
            }

    /* parameter contracts */
    {
        recimg_encoder_params p;
        recimg_encoder *enc = NULL;
        recimg_encoder_params_default(&p);
        p.transform_id = 4;   /* no file */
        CHECK(recimg_encoder_create(&p, &enc) == RECIMG_ERR_INVALID_ARGUMENT && !enc);
        p.transform_id = 2;   /* a file with a built-in id */
        p.transform_file = sep_rtx;
        p.transform_file_size = sep_n;
        CHECK(recimg_encoder_create(&p, &enc) == RECIMG_ERR_INVALID_ARGUMENT && !enc);
        p.transform_id = 4;   /* an invalid file */
        p.transform_file_size = sep_n - 1;
        CHECK(recimg_encoder_create(&p, &enc) == RECIMG_ERR_INVALID_ARGUMENT && !enc);
        p.transform_id = 9;
        p.transform_file = NULL;
        p.transform_file_size = 0;
        CHECK(recimg_encoder_create(&p, &enc) == RECIMG_ERR_UNSUPPORTED && !enc);
    }
    free(img[0].pixels);
    free(img[1].pixels);
    free(full_rtx);
    free(sep_rtx);
}

int main(void)
{
    test_builtins();
    test_separable_is_kronecker();
    test_rtx_files();
    test_embedded_records();
    test_known_matrices();
    test_codec_roundtrips();
    return ct_finish("test_transform_learned");
}
