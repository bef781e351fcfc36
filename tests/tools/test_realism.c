/* tests/tools/test_realism.c: the realism measures (docs/METRICS.md) are exactly 0 on
 * identical images and grow with blur and with added noise, on a colour photograph and a
 * gray texture (the values are printed for the record); tiny images work; mismatched
 * inputs are refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageio.h"
#include "metrics.h"
#include "tools_test_util.h"

/* Box blur of radius r (separable, edge clamped). */
static int blur(const imageio_image *src, int r, imageio_image *dst)
{
    const int w = (int)src->width, h = (int)src->height, ch = src->channels;
    double *tmp;
    int x, y, c, k;
    if (imageio_image_alloc(dst, src->width, src->height, ch) != 0)
        return -1;
    tmp = malloc(sizeof(double) * (size_t)w * (size_t)h * (size_t)ch);
    if (tmp == NULL)
        return -1;
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
            for (c = 0; c < ch; c++) {
                double s = 0;
                for (k = -r; k <= r; k++) {
                    int xx = x + k;
                    xx = xx < 0 ? 0 : xx >= w ? w - 1 : xx;
                    s += src->pixels[((size_t)y * (size_t)w + (size_t)xx) * (size_t)ch + (size_t)c];
                }
                tmp[((size_t)y * (size_t)w + (size_t)x) * (size_t)ch + (size_t)c] = s / (2 * r + 1);
            }
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
            for (c = 0; c < ch; c++) {
                double s = 0;
                for (k = -r; k <= r; k++) {
                    int yy = y + k;
                    yy = yy < 0 ? 0 : yy >= h ? h - 1 : yy;
                    s += tmp[((size_t)yy * (size_t)w + (size_t)x) * (size_t)ch + (size_t)c];
                }
                dst->pixels[((size_t)y * (size_t)w + (size_t)x) * (size_t)ch + (size_t)c] =
                    (uint8_t)(s / (2 * r + 1) + 0.5);
            }
    free(tmp);
    return 0;
}

/* Adds approximately Gaussian noise (sum of 4 uniforms) of standard deviation sigma. */
static int add_noise(const imageio_image *src, double sigma, uint64_t seed, imageio_image *dst)
{
    const size_t n = (size_t)src->width * src->height * (size_t)src->channels;
    size_t i;
    if (imageio_image_alloc(dst, src->width, src->height, src->channels) != 0)
        return -1;
    for (i = 0; i < n; i++) {
        double u = 0;
        int k;
        long v;
        for (k = 0; k < 4; k++)
            u += (double)(tt_rand(&seed) >> 11) / 9007199254740992.0 - 0.5;
        v = lround(src->pixels[i] + sigma * u * sqrt(3.0));   /* var of the sum: 4/12 */
        dst->pixels[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
    }
    return 0;
}

static void check_image(const imageio_image *img, const char *label)
{
    imageio_image b1, b2, n1, n2;
    metrics_realism_result r0, rb1, rb2, rn1, rn2;
    int k;

    CHECK(metrics_realism(img, img, &r0) == 0);
    CHECK(r0.dct_w1 == 0.0 && r0.swd == 0.0);
    CHECK(r0.swd_levels >= 1 && r0.swd_levels <= METRICS_SWD_MAX_LEVELS);
    for (k = 0; k < r0.swd_levels; k++)
        CHECK(r0.swd_level[k] == 0.0);

    CHECK(blur(img, 1, &b1) == 0 && blur(img, 3, &b2) == 0);
    CHECK(add_noise(img, 4.0, 11, &n1) == 0 && add_noise(img, 16.0, 12, &n2) == 0);
    CHECK(metrics_realism(img, &b1, &rb1) == 0 && metrics_realism(img, &b2, &rb2) == 0);
    CHECK(metrics_realism(img, &n1, &rn1) == 0 && metrics_realism(img, &n2, &rn2) == 0);
    printf("%s: dct_w1 blur r1 %.4f r3 %.4f | noise s4 %.4f s16 %.4f\n", label, rb1.dct_w1,
           rb2.dct_w1, rn1.dct_w1, rn2.dct_w1);
    printf("%s: swd    blur r1 %.4f r3 %.4f | noise s4 %.4f s16 %.4f\n", label, rb1.swd, rb2.swd,
           rn1.swd, rn2.swd);
    CHECK(rb1.dct_w1 > 0.0 && rb2.dct_w1 > rb1.dct_w1);
    CHECK(rn1.dct_w1 > 0.0 && rn2.dct_w1 > rn1.dct_w1);
    CHECK(rb1.swd > 0.0 && rb2.swd > rb1.swd);
    CHECK(rn1.swd > 0.0 && rn2.swd > rn1.swd);
    /* The finest pyramid level reacts most to blur and noise. */
    CHECK(rb2.swd_level[0] > rb1.swd_level[0] && rn2.swd_level[0] > rn1.swd_level[0]);
    /* Deterministic: the same call gives the same numbers. */
    CHECK(metrics_realism(img, &n2, &r0) == 0);
    CHECK(r0.dct_w1 == rn2.dct_w1 && r0.swd == rn2.swd);
    imageio_image_free(&b1);
    imageio_image_free(&b2);
    imageio_image_free(&n1);
    imageio_image_free(&n2);
}

int main(int argc, char **argv)
{
    imageio_image img, other;
    metrics_realism_result r;
    char path[1024], err[512];
    if (argc > 1) {
        snprintf(path, sizeof(path), "%s/chelsea.png", argv[1]);
        if (imageio_read(path, IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == 0) {
            check_image(&img, "chelsea");
            imageio_image_free(&img);
        } else {
            CHECK(!"cannot read chelsea.png");
        }
        snprintf(path, sizeof(path), "%s/gravel.png", argv[1]);
        if (imageio_read(path, IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == 0) {
            check_image(&img, "gravel");
            imageio_image_free(&img);
        } else {
            CHECK(!"cannot read gravel.png");
        }
    }
    /* Tiny images still work (one pyramid level, one padded DCT block). */
    CHECK(tt_make_image(&img, 5, 3, 3, 1) == 0);
    CHECK(tt_make_image(&other, 5, 3, 3, 2) == 0);
    CHECK(metrics_realism(&img, &img, &r) == 0);
    CHECK(r.dct_w1 == 0.0 && r.swd == 0.0 && r.swd_levels == 1);
    CHECK(metrics_realism(&img, &other, &r) == 0);
    CHECK(r.dct_w1 > 0.0 && r.swd > 0.0 && isfinite(r.dct_w1) && isfinite(r.swd));
    imageio_image_free(&other);
    CHECK(tt_make_image(&other, 5, 4, 3, 2) == 0);
    CHECK(metrics_realism(&img, &other, &r) == -1);
    imageio_image_free(&img);
    imageio_image_free(&other);
    return tt_finish("test_realism");
}
