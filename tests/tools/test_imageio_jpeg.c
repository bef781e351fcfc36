/* tests/tools/test_imageio_jpeg.c: JPEG input (libjpeg API) on a real file and on files
 * made by the libjpeg-turbo reference encoder (tools/jpegref.c), gray and colour; the
 * reference decoder agrees with imageio; truncated JPEG is an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageio.h"
#include "jpegref.h"
#include "metrics.h"
#include "tools_test_util.h"

static void test_real_jpeg(const char *dir)
{
    char path[1024], err[512];
    imageio_image img, png;
    snprintf(path, sizeof(path), "%s/rocket.jpg", dir);
    if (imageio_read(path, IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(!"reading rocket.jpg failed");
        return;
    }
    CHECK(img.width == 640 && img.height == 427 && img.channels == 3);
    CHECK(img.source_bit_depth == 8);
    /* rocket.png is the lossless decode of rocket.jpg made by netpbm's jpegtopnm (also
     * libjpeg-turbo, accurate IDCT, fancy upsampling): the decodes agree exactly. */
    snprintf(path, sizeof(path), "%s/rocket.png", dir);
    CHECK(imageio_read(path, IMAGEIO_ALPHA_REFUSE, &png, err, sizeof(err)) == 0);
    CHECK(png.width == 640 && png.height == 427 && png.channels == 3);
    CHECK(png.pixels != NULL && memcmp(png.pixels, img.pixels, 640 * 427 * 3) == 0);
    imageio_image_free(&img);
    imageio_image_free(&png);
}

static void test_encoded(int channels, int chroma, int quality)
{
    imageio_image src, a, b;
    metrics_result m;
    uint8_t *jpg = NULL;
    size_t size = 0;
    char err[512];
    const char *p = tt_path(channels == 1 ? "g.jpg" : "c.jpg");

    CHECK(tt_make_image(&src, 61, 35, channels, 7) == 0);
    if (tool_jpeg_encode(&src, quality, chroma, &jpg, &size, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(!"encode failed");
        imageio_image_free(&src);
        return;
    }
    CHECK(size > 100);
    CHECK(tt_write_bytes(p, jpg, size) == 0);
    CHECK(imageio_read(p, IMAGEIO_ALPHA_REFUSE, &a, err, sizeof(err)) == 0);
    CHECK(tool_jpeg_decode(jpg, size, &b, err, sizeof(err)) == 0);
    CHECK(a.width == 61 && a.height == 35 && a.channels == channels);
    CHECK(b.width == 61 && b.height == 35 && b.channels == channels);
    if (a.pixels != NULL && b.pixels != NULL) {
        /* Same library, same IDCT and upsampling: identical pixels. */
        CHECK(memcmp(a.pixels, b.pixels, 61 * 35 * (size_t)channels) == 0);
        CHECK(metrics_compare(&src, &a, &m) == 0);
        printf("jpeg ch=%d chroma=%d q=%d: %zu bytes, PSNR %.2f dB\n", channels, chroma,
               quality, size, m.psnr_rgb);
        CHECK(m.psnr_rgb > 20.0);   /* the synthetic image carries +-15 noise */
    }
    /* Truncated: both readers refuse it (libjpeg would otherwise pad with gray). */
    imageio_image_free(&a);
    imageio_image_free(&b);
    CHECK(imageio_decode(jpg, size / 2, "half.jpg", IMAGEIO_ALPHA_REFUSE, &a, err,
                         sizeof(err)) == -1);
    CHECK(strstr(err, "half.jpg") != NULL && strstr(err, "truncated") != NULL);
    CHECK(a.pixels == NULL);
    CHECK(tool_jpeg_decode(jpg, size / 2, &b, err, sizeof(err)) == -1 || b.pixels == NULL);
    imageio_image_free(&b);
    free(jpg);
    imageio_image_free(&src);
}

int main(int argc, char **argv)
{
    imageio_image img;
    uint8_t *jpg;
    size_t size;
    char err[256];
    if (argc > 1)
        test_real_jpeg(argv[1]);
    test_encoded(3, 420, 90);
    test_encoded(3, 444, 50);
    test_encoded(1, 420, 75);
    /* Quality increases the size. */
    CHECK(tt_make_image(&img, 64, 64, 3, 3) == 0);
    {
        size_t s10, s90;
        CHECK(tool_jpeg_encode(&img, 10, 420, &jpg, &s10, err, sizeof(err)) == 0);
        free(jpg);
        CHECK(tool_jpeg_encode(&img, 90, 420, &jpg, &s90, err, sizeof(err)) == 0);
        free(jpg);
        CHECK(s10 < s90);
    }
    CHECK(tool_jpeg_encode(&img, 0, 420, &jpg, &size, err, sizeof(err)) == -1);
    CHECK(tool_jpeg_encode(&img, 50, 422, &jpg, &size, err, sizeof(err)) == -1);
    imageio_image_free(&img);
    return tt_finish("test_imageio_jpeg");
}
