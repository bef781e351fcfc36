/* Helpers for the codec tests (see codec_test_util.h). */
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

int ct_failures = 0;

void ct_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    ct_failures++;
}

int ct_finish(const char *name)
{
    if (ct_failures) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, ct_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

/* ---- MD5, RFC 1321 ---- */
static uint32_t rotl(uint32_t x, int c)
{
    return (x << c) | (x >> (32 - c));
}

static void md5_block(uint32_t h[4], const uint8_t *p)
{
    static const uint32_t k[64] = {
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
    static const int r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                              5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                              4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                              6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
    uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
               (uint32_t)p[4 * i + 3] << 24;
    for (int i = 0; i < 64; i++) {
        uint32_t f;
        int g;
        if (i < 16) { f = (b & c) | (~b & d); g = i; }
        else if (i < 32) { f = (d & b) | (~d & c); g = (5 * i + 1) & 15; }
        else if (i < 48) { f = b ^ c ^ d; g = (3 * i + 5) & 15; }
        else { f = c ^ (b | ~d); g = (7 * i) & 15; }
        f = f + a + k[i] + w[g];
        a = d;
        d = c;
        c = b;
        b = b + rotl(f, r[i]);
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
}

void ct_md5_hex(const void *data, size_t size, char hex[33])
{
    uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    const uint8_t *p = (const uint8_t *)data;
    uint8_t tail[128];
    size_t n = size, rest;
    const uint64_t bits = (uint64_t)size * 8;
    while (n >= 64) {
        md5_block(h, p);
        p += 64;
        n -= 64;
    }
    memset(tail, 0, sizeof tail);
    if (n) memcpy(tail, p, n);
    tail[n] = 0x80;
    rest = n < 56 ? 64 : 128;
    for (int i = 0; i < 8; i++)
        tail[rest - 8 + (size_t)i] = (uint8_t)(bits >> (8 * i));
    md5_block(h, tail);
    if (rest == 128)
        md5_block(h, tail + 64);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned)((h[i / 4] >> (8 * (i % 4))) & 0xff));
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

void ct_laplace_coefficients(double *coef, int n, uint64_t seed, double scale)
{
    uint64_t st = seed;
    for (int i = 0; i < n; i++) {
        const int k = i % 64;
        double u;
        st = st * 6364136223846793005ULL + 1442695040888963407ULL;
        u = ((double)(st >> 11) + 0.5) / 9007199254740992.0;
        coef[i] = (u < 0.5 ? log(2.0 * u) : -log(2.0 * (1.0 - u))) * scale / (1.0 + k);
    }
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ct_ks_uniform(double *v, size_t n)
{
    double dmax = 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 0; i < n; i++) {
        const double lo = v[i] - (double)i / (double)n, hi = (double)(i + 1) / (double)n - v[i];
        if (lo > dmax) dmax = lo;
        if (hi > dmax) dmax = hi;
    }
    return sqrt((double)n) * dmax;
}

int ct_make_image(recimg_image *img, uint32_t w, uint32_t h, uint32_t channels, uint64_t seed)
{
    uint64_t s = seed * 2654435761u + 88172645463325252u;
    memset(img, 0, sizeof *img);
    img->pixels = (uint8_t *)malloc((size_t)w * h * channels);
    if (!img->pixels)
        return -1;
    img->width = w;
    img->height = h;
    img->channels = channels;
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            for (uint32_t c = 0; c < channels; c++) {
                double v = 128.0 + 60.0 * sin(0.05 * x + 0.9 * c) * cos(0.037 * y + 0.3 * c);
                v += (x * 3 + y * 5) % 97 < 48 ? 20.0 : -20.0;          /* edges */
                v += (double)(next_rand(&s) % 21) - 10.0;                 /* texture */
                img->pixels[((size_t)y * w + x) * channels + c] =
                    (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
    }
    return 0;
}

double ct_psnr(const recimg_image *a, const recimg_image *b)
{
    const size_t n = (size_t)a->width * a->height * a->channels;
    double se = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double d = (double)a->pixels[i] - (double)b->pixels[i];
        se += d * d;
    }
    if (se == 0.0)
        return 99.0;
    return 10.0 * log10(255.0 * 255.0 * (double)n / se);
}

recimg_status ct_encode(const recimg_encoder_params *p, const recimg_image *img, uint8_t **data,
                        size_t *size, recimg_encode_stats *st)
{
    recimg_encoder *e = NULL;
    recimg_status r = recimg_encoder_create(p, &e);
    if (r == RECIMG_OK)
        r = recimg_encode(e, img, data, size, st);
    recimg_encoder_free(e);
    return r;
}

recimg_status ct_roundtrip(const recimg_image *img, const recimg_encoder_params *p,
                           recimg_image *out, size_t *bytes)
{
    recimg_decoder *dec = NULL;
    recimg_decoder_params dp;
    uint8_t *data = NULL;
    size_t size = 0;
    recimg_status st;
    memset(out, 0, sizeof *out);
    *bytes = 0;
    recimg_decoder_params_default(&dp);
    st = ct_encode(p, img, &data, &size, NULL);
    if (st == RECIMG_OK)
        st = recimg_decoder_create(&dp, &dec);
    if (st == RECIMG_OK)
        st = recimg_decode(dec, data, size, out);
    *bytes = size;
    recimg_free(data);
    recimg_decoder_free(dec);
    return st;
}

void ct_fix_crc(uint8_t *file, size_t size)
{
    const uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), file, (uInt)(size - 4));
    for (int i = 0; i < 4; i++)
        file[size - 4 + i] = (uint8_t)(crc >> (8 * i));
}

uint8_t *ct_with_flags2(const uint8_t *file, size_t size, uint32_t flags2, size_t *out_size)
{
    size_t old_base, new_base, n;
    unsigned version, header_size;
    uint8_t *f;
    *out_size = 0;
    if (size < 60)
        return NULL;
    version = file[8] | (unsigned)file[9] << 8;
    if (version != 1 && version != 2)
        return NULL;
    old_base = version == 2 ? 60 : 56;
    new_base = flags2 ? 60 : 56;
    n = size - old_base + new_base;
    f = malloc(n);
    if (!f)
        return NULL;
    memcpy(f, file, 56);
    memcpy(f + new_base, file + old_base, size - old_base);
    header_size = (file[10] | (unsigned)file[11] << 8) - (unsigned)old_base + (unsigned)new_base;
    f[8] = flags2 ? 2 : 1;
    f[9] = 0;
    f[10] = (uint8_t)header_size;
    f[11] = (uint8_t)(header_size >> 8);
    for (int i = 0; flags2 && i < 4; i++)
        f[56 + i] = (uint8_t)(flags2 >> (8 * i));
    ct_fix_crc(f, n);
    *out_size = n;
    return f;
}

recimg_status ct_decode_status(const uint8_t *file, size_t size)
{
    recimg_decoder_params dp;
    recimg_decoder *d = NULL;
    recimg_image out;
    recimg_status st;
    recimg_decoder_params_default(&dp);
    if (recimg_decoder_create(&dp, &d) != RECIMG_OK)
        return RECIMG_ERR_INTERNAL;
    memset(&out, 0xA5, sizeof out);   /* the decoder must clear it on failure */
    st = recimg_decode(d, file, size, &out);
    if (st == RECIMG_OK) {
        if (!out.pixels)
            st = RECIMG_ERR_INTERNAL;
        recimg_free(out.pixels);
    } else if (out.pixels) {
        st = RECIMG_ERR_INTERNAL;   /* outputs must be empty on failure */
    }
    recimg_decoder_free(d);
    return st;
}

void ct_set_flags(uint8_t *file, size_t size, uint8_t flags)
{
    file[27] = flags;
    ct_fix_crc(file, size);
}

recimg_status ct_decode_mode(const uint8_t *file, size_t size, recimg_decode_mode mode, double realism,
                             int threads, recimg_image *out)
{
    recimg_decoder_params p;
    recimg_decoder *d = NULL;
    recimg_status st;
    memset(out, 0, sizeof *out);
    recimg_decoder_params_default(&p);
    p.decode = mode;
    p.realism = realism;
    p.threads = threads;
    st = recimg_decoder_create(&p, &d);
    if (st == RECIMG_OK)
        st = recimg_decode(d, file, size, out);
    recimg_decoder_free(d);
    return st;
}

recimg_status ct_decode(const uint8_t *file, size_t size, int threads, recimg_image *out)
{
    recimg_decoder_params p;
    recimg_decoder_params_default(&p);
    return ct_decode_mode(file, size, p.decode, p.realism, threads, out);
}

recimg_status ct_decode_md5(const uint8_t *file, size_t size, recimg_decode_mode mode, double realism,
                            int threads, char hex[33])
{
    recimg_image out;
    const recimg_status st = ct_decode_mode(file, size, mode, realism, threads, &out);
    hex[0] = '\0';
    if (st == RECIMG_OK) {
        ct_md5_hex(out.pixels, (size_t)out.width * out.height * out.channels, hex);
        recimg_free(out.pixels);
    }
    return st;
}

int ct_same_pixels(const recimg_image *a, const recimg_image *b)
{
    return a->width == b->width && a->height == b->height && a->channels == b->channels &&
           memcmp(a->pixels, b->pixels, (size_t)a->width * a->height * a->channels) == 0;
}

int ct_differs_with_flags(const uint8_t *file, size_t size, uint8_t flags, const recimg_image *ref)
{
    recimg_image x;
    recimg_status st;
    int differs = 1;
    uint8_t *g = malloc(size);
    if (!g)
        return 0;
    memcpy(g, file, size);
    ct_set_flags(g, size, flags);
    st = ct_decode(g, size, 1, &x);
    if (st == RECIMG_OK) {
        differs = !ct_same_pixels(ref, &x);
        recimg_free(x.pixels);
    } else {
        CHECK(st == RECIMG_ERR_CORRUPT);
    }
    free(g);
    return differs;
}

recimg_status ct_decode_stable(const uint8_t *file, size_t size, recimg_image *ref)
{
    recimg_image b, c;
    const recimg_status st = ct_decode(file, size, 1, ref);
    if (st != RECIMG_OK)
        return st;
    CHECK(ct_decode(file, size, 2, &b) == RECIMG_OK);
    CHECK(ct_decode(file, size, 1, &c) == RECIMG_OK);
    CHECK(ct_same_pixels(ref, &b) && ct_same_pixels(ref, &c));
    recimg_free(b.pixels);
    recimg_free(c.pixels);
    return st;
}
