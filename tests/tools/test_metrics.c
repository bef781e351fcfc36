/* tests/tools/test_metrics.c: PSNR, SSIM and MS-SSIM on cases with a known answer:
 * identical images, a known MSE, constant images (closed-form SSIM), a shifted photograph
 * (MS-SSIM < 1), small images and the number of MS-SSIM scales, mismatched inputs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageio.h"
#include "metrics.h"
#include "tools_test_util.h"

static int near(double a, double b, double tol)
{
    return fabs(a - b) <= tol;
}

static void fill(imageio_image *img, uint8_t v)
{
    memset(img->pixels, v, (size_t)img->width * img->height * (size_t)img->channels);
}

int main(int argc, char **argv)
{
    imageio_image a, b;
    metrics_result m;
    size_t i, n;
    int ch;

    /* Identical -> infinite PSNR, SSIM and MS-SSIM exactly 1. */
    for (ch = 1; ch <= 3; ch += 2) {
        CHECK(tt_make_image(&a, 200, 190, ch, 1) == 0);
        CHECK(tt_make_image(&b, 200, 190, ch, 1) == 0);
        CHECK(metrics_compare(&a, &b, &m) == 0);
        CHECK(isinf(m.psnr_rgb) && m.psnr_rgb > 0 && isinf(m.psnr_y) && m.psnr_y > 0);
        CHECK(near(m.ssim, 1.0, 1e-12) && near(m.ms_ssim, 1.0, 1e-12));

        /* Known MSE: every sample off by exactly +-5 -> MSE 25 -> 34.1514 dB. For RGB
         * the same offset on all three channels moves Y by exactly 5 too. */
        n = (size_t)a.width * a.height;
        for (i = 0; i < n; i++) {
            int c;
            for (c = 0; c < ch; c++) {
                a.pixels[i * (size_t)ch + (size_t)c] = (uint8_t)(100 + (i % 50));
                b.pixels[i * (size_t)ch + (size_t)c] = (uint8_t)(100 + (i % 50) + ((i / 7) % 2 ? 5 : -5));
            }
        }
        CHECK(metrics_compare(&a, &b, &m) == 0);
        CHECK(near(m.psnr_rgb, 10.0 * log10(65025.0 / 25.0), 1e-9));
        CHECK(near(m.psnr_y, 10.0 * log10(65025.0 / 25.0), 1e-6));
        CHECK(near(metrics_psnr_from_mse(25.0), 34.15140352195873, 1e-9));
        CHECK(m.ssim < 1.0 && m.ms_ssim < 1.0);

        /* Constant images: sigma = 0 so cs = 1 and SSIM is the luminance term
         * (2ab + C1) / (a^2 + b^2 + C1); MS-SSIM is that to the power 0.1333 (the last
         * scale's weight; all cs factors are 1). */
        fill(&a, 100);
        fill(&b, 110);
        CHECK(metrics_compare(&a, &b, &m) == 0);
        {
            const double c1 = (0.01 * 255) * (0.01 * 255);
            const double l = (2.0 * 100 * 110 + c1) / (100.0 * 100 + 110.0 * 110 + c1);
            CHECK(near(m.ssim, l, 1e-12));
            CHECK(near(m.ms_ssim, pow(l, 0.1333), 1e-12));
            CHECK(near(m.psnr_rgb, 10.0 * log10(65025.0 / 100.0), 1e-9));
        }
        imageio_image_free(&a);
        imageio_image_free(&b);
    }

    /* MS-SSIM scales: 5 needs 11 pixels at the 5th scale (sides >= 161 with ceil halving). */
    CHECK(metrics_ms_ssim_scales(512, 512) == 5);
    CHECK(metrics_ms_ssim_scales(161, 400) == 5);
    CHECK(metrics_ms_ssim_scales(160, 400) == 4);
    CHECK(metrics_ms_ssim_scales(100, 100) == 4);
    CHECK(metrics_ms_ssim_scales(21, 21) == 2);
    CHECK(metrics_ms_ssim_scales(11, 11) == 1);
    CHECK(metrics_ms_ssim_scales(7, 3) == 1);
    CHECK(metrics_ms_ssim_scales(1, 1) == 1);

    /* Small images still give finite scores in [0, 1]; 1x1 works. */
    {
        static const uint32_t sz[][2] = {{1, 1}, {7, 13}, {9, 8}, {11, 11}, {30, 12}};
        size_t k;
        for (k = 0; k < sizeof(sz) / sizeof(sz[0]); k++) {
            CHECK(tt_make_image(&a, sz[k][0], sz[k][1], 3, 3) == 0);
            CHECK(tt_make_image(&b, sz[k][0], sz[k][1], 3, 4) == 0);
            CHECK(metrics_compare(&a, &b, &m) == 0);
            CHECK(isfinite(m.psnr_rgb) && isfinite(m.ssim) && isfinite(m.ms_ssim));
            CHECK(m.ssim <= 1.0 && m.ssim >= -1.0 && m.ms_ssim >= 0.0 && m.ms_ssim <= 1.0);
            CHECK(metrics_compare(&a, &a, &m) == 0);
            CHECK(near(m.ssim, 1.0, 1e-12) && near(m.ms_ssim, 1.0, 1e-12));
            imageio_image_free(&a);
            imageio_image_free(&b);
        }
    }

    /* A real photograph shifted by 2 pixels: MS-SSIM clearly below 1, and a bigger shift
     * scores lower; SSIM penalises a shift more than MS-SSIM does. */
    if (argc > 1) {
        char path[1024], err[512];
        imageio_image photo, s2, s6;
        metrics_result m2, m6;
        uint32_t x, y;
        snprintf(path, sizeof(path), "%s/astronaut.png", argv[1]);
        CHECK(imageio_read(path, IMAGEIO_ALPHA_REFUSE, &photo, err, sizeof(err)) == 0);
        CHECK(imageio_image_alloc(&s2, photo.width, photo.height, 3) == 0);
        CHECK(imageio_image_alloc(&s6, photo.width, photo.height, 3) == 0);
        if (photo.pixels != NULL && s2.pixels != NULL && s6.pixels != NULL) {
            for (y = 0; y < photo.height; y++)
                for (x = 0; x < photo.width; x++) {
                    const uint32_t x2 = x + 2 < photo.width ? x + 2 : photo.width - 1;
                    const uint32_t x6 = x + 6 < photo.width ? x + 6 : photo.width - 1;
                    memcpy(s2.pixels + ((size_t)y * photo.width + x) * 3,
                           photo.pixels + ((size_t)y * photo.width + x2) * 3, 3);
                    memcpy(s6.pixels + ((size_t)y * photo.width + x) * 3,
                           photo.pixels + ((size_t)y * photo.width + x6) * 3, 3);
                }
            CHECK(metrics_compare(&photo, &s2, &m2) == 0);
            CHECK(metrics_compare(&photo, &s6, &m6) == 0);
            printf("astronaut shifted 2 px: PSNR %.3f SSIM %.4f MS-SSIM %.4f\n", m2.psnr_rgb,
                   m2.ssim, m2.ms_ssim);
            printf("astronaut shifted 6 px: PSNR %.3f SSIM %.4f MS-SSIM %.4f\n", m6.psnr_rgb,
                   m6.ssim, m6.ms_ssim);
            CHECK(m2.ms_ssim < 0.99 && m2.ms_ssim > 0.3);
            CHECK(m6.ms_ssim < m2.ms_ssim && m6.ssim < m2.ssim && m6.psnr_rgb < m2.psnr_rgb);
            CHECK(m2.ssim < m2.ms_ssim);
        }
        imageio_image_free(&photo);
        imageio_image_free(&s2);
        imageio_image_free(&s6);
    }

    /* Mismatched inputs are refused. */
    CHECK(tt_make_image(&a, 20, 20, 3, 1) == 0);
    CHECK(tt_make_image(&b, 20, 21, 3, 1) == 0);
    CHECK(metrics_compare(&a, &b, &m) == -1);
    imageio_image_free(&b);
    CHECK(tt_make_image(&b, 20, 20, 1, 1) == 0);
    CHECK(metrics_compare(&a, &b, &m) == -1);
    CHECK(metrics_compare(&a, NULL, &m) == -1);
    imageio_image_free(&a);
    imageio_image_free(&b);
    return tt_finish("test_metrics");
}
