/* test_speed_planes: the row-wise colour conversion and chroma resampling of
 * codec_planes.c are bit-identical to the per-pixel reference below (the
 * original formulation: every chroma sample computed from its pixels, every
 * output pixel upsampled on its own). Random images and random planes, odd and
 * tiny sizes, gray, 4:4:4 and 4:2:0. Issue 8: every fast path keeps a portable
 * reference and a bit-exact test against it. */
#include "codec_planes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* ---- reference (per pixel) ------------------------------------------------ */

static void ref_from_image(recimg_planes *pl, const recimg_image *img)
{
    const size_t w = img->width, h = img->height;
    for (size_t y = 0; y < h; y++) {
        for (size_t x = 0; x < w; x++) {
            if (pl->nplanes == 1) {
                pl->p[0].data[y * pl->p[0].stride + x] = (double)img->pixels[y * w + x] - 128.0;
                continue;
            }
            {
                const uint8_t *px = img->pixels + (y * w + x) * 3;
                const double r = px[0], g = px[1], b = px[2];
                pl->p[0].data[y * pl->p[0].stride + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128.0;
                if (!pl->subsampled) {
                    pl->p[1].data[y * pl->p[1].stride + x] = -0.168735892 * r - 0.331264108 * g + 0.5 * b;
                    pl->p[2].data[y * pl->p[2].stride + x] = 0.5 * r - 0.418687589 * g - 0.081312411 * b;
                }
            }
        }
    }
    if (pl->nplanes == 3 && pl->subsampled) {
        for (size_t cy = 0; cy < pl->p[1].height; cy++) {
            for (size_t cx = 0; cx < pl->p[1].width; cx++) {
                double cb = 0.0, cr = 0.0;
                for (size_t dy = 0; dy < 2; dy++) {
                    for (size_t dx = 0; dx < 2; dx++) {
                        size_t x = 2 * cx + dx, y = 2 * cy + dy;
                        const uint8_t *px;
                        if (x >= w) x = w - 1;
                        if (y >= h) y = h - 1;
                        px = img->pixels + (y * w + x) * 3;
                        cb += -0.168735892 * px[0] - 0.331264108 * px[1] + 0.5 * px[2];
                        cr += 0.5 * px[0] - 0.418687589 * px[1] - 0.081312411 * px[2];
                    }
                }
                pl->p[1].data[cy * pl->p[1].stride + cx] = 0.25 * cb;
                pl->p[2].data[cy * pl->p[2].stride + cx] = 0.25 * cr;
            }
        }
    }
}

static uint8_t ref_clamp_round(double v)
{
    if (!(v > 0.0)) return 0;
    if (v >= 255.0) return 255;
    return (uint8_t)floor(v + 0.5);
}

static double ref_chroma_at(const recimg_plane *c, size_t x, size_t y)
{
    const size_t cx = x / 2, cy = y / 2;
    const size_t nx = (x & 1) ? (cx + 1 < c->width ? cx + 1 : cx) : (cx > 0 ? cx - 1 : 0);
    const size_t ny = (y & 1) ? (cy + 1 < c->height ? cy + 1 : cy) : (cy > 0 ? cy - 1 : 0);
    const double *r0 = c->data + cy * c->stride, *r1 = c->data + ny * c->stride;
    const double a = 0.75 * r0[cx] + 0.25 * r0[nx];
    const double b = 0.75 * r1[cx] + 0.25 * r1[nx];
    return 0.75 * a + 0.25 * b;
}

static void ref_to_image(const recimg_planes *pl, recimg_image *out)
{
    const size_t w = out->width, h = out->height;
    for (size_t y = 0; y < h; y++) {
        for (size_t x = 0; x < w; x++) {
            const double yy = pl->p[0].data[y * pl->p[0].stride + x] + 128.0;
            double cb, cr;
            uint8_t *px;
            if (pl->nplanes == 1) {
                out->pixels[y * w + x] = ref_clamp_round(yy);
                continue;
            }
            px = out->pixels + (y * w + x) * 3;
            if (pl->subsampled) {
                cb = ref_chroma_at(&pl->p[1], x, y);
                cr = ref_chroma_at(&pl->p[2], x, y);
            } else {
                cb = pl->p[1].data[y * pl->p[1].stride + x];
                cr = pl->p[2].data[y * pl->p[2].stride + x];
            }
            px[0] = ref_clamp_round(yy + 1.402 * cr);
            px[1] = ref_clamp_round(yy - 0.344136286 * cb - 0.714136286 * cr);
            px[2] = ref_clamp_round(yy + 1.772 * cb);
        }
    }
}

/* ---- comparison ----------------------------------------------------------- */

static int failures = 0;

static void check(int cond, const char *what, uint32_t w, uint32_t h, int ch, int sub)
{
    if (!cond) {
        fprintf(stderr, "FAIL %s: %ux%u channels %d subsampled %d\n", what, w, h, ch, sub);
        failures++;
    }
}

static void one_case(uint32_t w, uint32_t h, int ch, int sub)
{
    recimg_planes a, b;
    recimg_image img, oa, ob;
    const size_t n = (size_t)w * h * (size_t)ch;
    img.width = oa.width = ob.width = w;
    img.height = oa.height = ob.height = h;
    img.channels = oa.channels = ob.channels = (uint32_t)ch;
    img.pixels = (uint8_t *)malloc(n);
    oa.pixels = (uint8_t *)malloc(n);
    ob.pixels = (uint8_t *)malloc(n);
    if (!img.pixels || !oa.pixels || !ob.pixels ||
        recimg_planes_alloc(&a, w, h, ch, sub) != RECIMG_OK) {
        fprintf(stderr, "FAIL: out of memory\n");
        exit(1);
    }
    if (recimg_planes_alloc(&b, w, h, ch, sub) != RECIMG_OK) {
        fprintf(stderr, "FAIL: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        img.pixels[i] = (uint8_t)(rnd() & 255);
    /* forward: compare the meaningful samples (padding is shared code) */
    recimg_planes_from_image(&a, &img);
    ref_from_image(&b, &img);
    for (int p = 0; p < a.nplanes; p++)
        for (size_t y = 0; y < a.p[p].height; y++)
            check(memcmp(a.p[p].data + y * a.p[p].stride, b.p[p].data + y * b.p[p].stride,
                         a.p[p].width * sizeof(double)) == 0,
                  "from_image", w, h, ch, sub);
    /* inverse on noisy planes that reach beyond 0..255 (clamping) and land on .5 */
    for (int p = 0; p < a.nplanes; p++) {
        const size_t m = a.p[p].stride * (size_t)a.p[p].bh * 8;
        for (size_t i = 0; i < m; i++) {
            const uint32_t r = rnd();
            a.p[p].data[i] = (r & 7) == 0 ? (double)((int)(r >> 8) % 400 - 200) + 0.5
                                          : ((double)(r >> 8) / 16777216.0 - 0.5) * 400.0;
        }
    }
    recimg_planes_to_image(&a, &oa);
    ref_to_image(&a, &ob);
    check(memcmp(oa.pixels, ob.pixels, n) == 0, "to_image", w, h, ch, sub);
    /* again with zero chroma: every colour channel is then the luma sample itself, so the
       luma samples on .5 test the rounding of ties on the colour paths too */
    if (a.nplanes == 3) {
        for (int p = 1; p < 3; p++)
            memset(a.p[p].data, 0, a.p[p].stride * (size_t)a.p[p].bh * 8 * sizeof(double));
        recimg_planes_to_image(&a, &oa);
        ref_to_image(&a, &ob);
        check(memcmp(oa.pixels, ob.pixels, n) == 0, "to_image zero chroma", w, h, ch, sub);
    }
    recimg_planes_free(&a);
    recimg_planes_free(&b);
    free(img.pixels);
    free(oa.pixels);
    free(ob.pixels);
}

/* The encoder's blocks forms (recimg_plane_blocks_from_image,
 * recimg_chroma_blocks_from_image: conversion straight into 8x8 blocks) against
 * the rows form scattered into blocks here, padding included, for the whole plane
 * and for bands of one and of three block rows. */
static void scatter(const double *rows, size_t stride, uint32_t bw, uint32_t nbrows, double *blocks)
{
    for (uint32_t by = 0; by < nbrows; by++)
        for (uint32_t bx = 0; bx < bw; bx++)
            for (size_t y = 0; y < 8; y++)
                for (size_t x = 0; x < 8; x++)
                    blocks[((size_t)by * bw + bx) * 64 + y * 8 + x] = rows[(by * 8 + y) * stride + bx * 8 + x];
}

static void blocks_case(uint32_t w, uint32_t h, int ch, int sub)
{
    recimg_planes pl;
    recimg_image img;
    const size_t n = (size_t)w * h * (size_t)ch;
    double *rows[3], *want[3], *got[3];
    img.width = w;
    img.height = h;
    img.channels = (uint32_t)ch;
    img.pixels = (uint8_t *)malloc(n);
    recimg_planes_init(&pl, w, h, ch, sub);
    for (int p = 0; p < pl.nplanes; p++) {
        const size_t m = pl.p[p].stride * (size_t)pl.p[p].bh * 8;
        rows[p] = (double *)malloc(m * sizeof(double));
        want[p] = (double *)malloc(m * sizeof(double));
        got[p] = (double *)malloc(m * sizeof(double));
        if (!rows[p] || !want[p] || !got[p]) {
            fprintf(stderr, "FAIL: out of memory\n");
            exit(1);
        }
    }
    if (!img.pixels) {
        fprintf(stderr, "FAIL: out of memory\n");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        img.pixels[i] = (uint8_t)(rnd() & 255);
    for (int p = 0; p < pl.nplanes; p++) {
        recimg_plane_rows_from_image(&pl, p, &img, 0, pl.p[p].bh * 8, rows[p]);
        scatter(rows[p], pl.p[p].stride, pl.p[p].bw, pl.p[p].bh, want[p]);
    }
    for (int b = 0; b < 3; b++) {
        static const uint32_t bands[3] = {0, 1, 3};   /* block rows per call; 0: the whole plane */
        for (int p = 0; p < pl.nplanes; p++) {
            const recimg_plane *q = &pl.p[p];
            const uint32_t step = bands[b] && bands[b] < q->bh ? bands[b] : q->bh;
            if (sub && p == 2)
                break;   /* 4:2:0 chroma: both planes from one call below */
            for (uint32_t by0 = 0; by0 < q->bh; by0 += step) {
                const uint32_t by1 = q->bh - by0 < step ? q->bh : by0 + step;
                const size_t at = (size_t)by0 * q->bw * 64;
                /* fill first, so that a sample left unwritten shows */
                for (size_t i = 0; i < (size_t)(by1 - by0) * q->bw * 64; i++)
                    got[p][at + i] = -1e300;
                if (sub && p == 1)
                    recimg_chroma_blocks_from_image(&pl, &img, by0, by1, got[1] + at, got[2] + at);
                else
                    recimg_plane_blocks_from_image(&pl, p, &img, by0, by1, got[p] + at);
            }
        }
        for (int p = 0; p < pl.nplanes; p++)
            check(memcmp(got[p], want[p], pl.p[p].stride * (size_t)pl.p[p].bh * 8 * sizeof(double)) == 0,
                  b == 0 ? "blocks_from_image" : "blocks_from_image (bands)", w, h, ch, sub);
    }
    for (int p = 0; p < pl.nplanes; p++) {
        free(rows[p]);
        free(want[p]);
        free(got[p]);
    }
    free(img.pixels);
}

/* Every 8-bit colour (2^24) through the encoder's table-driven conversion against
 * the expressions of the reference: luma and 4:4:4 chroma per pixel, and 4:2:0
 * chroma of 2x2 blocks of one colour (the box mean's per-pixel terms). One image
 * per red value: 256 x 256 pixels of (r, g, b) for 4:4:4, each doubled in both
 * directions for 4:2:0. */
static void all_colours(void)
{
    const uint32_t n = 65536;
    recimg_planes p444, p420;
    recimg_image a, b;
    double *row = (double *)malloc((size_t)n * sizeof(double));
    double *cb = (double *)malloc((size_t)n * sizeof(double));
    double *cr = (double *)malloc((size_t)n * sizeof(double));
    int bad = 0;
    a.width = n;
    a.height = 1;
    a.channels = 3;
    b.width = 2 * n;
    b.height = 2;
    b.channels = 3;
    a.pixels = (uint8_t *)malloc((size_t)n * 3);
    b.pixels = (uint8_t *)malloc((size_t)n * 12);
    if (!row || !cb || !cr || !a.pixels || !b.pixels) {
        fprintf(stderr, "FAIL: out of memory\n");
        exit(1);
    }
    recimg_planes_init(&p444, a.width, a.height, 3, 0);
    recimg_planes_init(&p420, b.width, b.height, 3, 1);
    for (uint32_t r = 0; r < 256 && !bad; r++) {
        for (uint32_t i = 0; i < n; i++) {
            const uint8_t px[3] = {(uint8_t)r, (uint8_t)(i >> 8), (uint8_t)i};
            memcpy(a.pixels + (size_t)i * 3, px, 3);
            for (int k = 0; k < 4; k++)
                memcpy(b.pixels + ((size_t)(k >> 1) * 2 * n + 2 * (size_t)i + (size_t)(k & 1)) * 3, px, 3);
        }
        for (int pl = 0; pl < 3; pl++) {
            recimg_plane_rows_from_image(&p444, pl, &a, 0, 1, row);
            for (uint32_t i = 0; i < n && !bad; i++) {
                const double rr = r, g = (double)(i >> 8), bb = (double)(i & 255);
                const double want = pl == 0   ? 0.299 * rr + 0.587 * g + 0.114 * bb - 128.0
                                    : pl == 1 ? -0.168735892 * rr - 0.331264108 * g + 0.5 * bb
                                              : 0.5 * rr - 0.418687589 * g - 0.081312411 * bb;
                if (memcmp(&row[i], &want, sizeof want) != 0) {
                    fprintf(stderr, "FAIL all_colours 4:4:4 plane %d at (%u, %u, %u): %.17g, want %.17g\n",
                            pl, r, i >> 8, i & 255, row[i], want);
                    bad = 1;
                }
            }
        }
        recimg_chroma_rows_from_image(&p420, &b, 0, 1, cb, cr);
        for (uint32_t i = 0; i < n && !bad; i++) {
            const double rr = r, g = (double)(i >> 8), bb = (double)(i & 255);
            double wb = 0.0, wr = 0.0;
            for (int k = 0; k < 4; k++) {
                wb += -0.168735892 * rr - 0.331264108 * g + 0.5 * bb;
                wr += 0.5 * rr - 0.418687589 * g - 0.081312411 * bb;
            }
            wb *= 0.25;
            wr *= 0.25;
            if (memcmp(&cb[i], &wb, sizeof wb) != 0 || memcmp(&cr[i], &wr, sizeof wr) != 0) {
                fprintf(stderr, "FAIL all_colours 4:2:0 at (%u, %u, %u)\n", r, i >> 8, i & 255);
                bad = 1;
            }
        }
    }
    failures += bad;
    free(row);
    free(cb);
    free(cr);
    free(a.pixels);
    free(b.pixels);
}

int main(void)
{
    static const uint32_t sizes[][2] = {{1, 1}, {1, 2}, {2, 1}, {2, 2}, {3, 3}, {7, 13},
                                        {9, 8}, {16, 16}, {17, 33}, {64, 5}, {5, 64}, {123, 77}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        one_case(sizes[s][0], sizes[s][1], 1, 0);
        one_case(sizes[s][0], sizes[s][1], 3, 0);
        one_case(sizes[s][0], sizes[s][1], 3, 1);
        blocks_case(sizes[s][0], sizes[s][1], 1, 0);
        blocks_case(sizes[s][0], sizes[s][1], 3, 0);
        blocks_case(sizes[s][0], sizes[s][1], 3, 1);
    }
    for (int t = 0; t < 40; t++)
        one_case(1 + rnd() % 97, 1 + rnd() % 97, 3, 1);
    for (int t = 0; t < 40; t++)
        blocks_case(1 + rnd() % 97, 1 + rnd() % 97, 3, 1 - (t & 1));
    all_colours();
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("test_speed_planes: fast colour/chroma paths bit-identical to the reference\n");
    return 0;
}
