/* Round trip on the photographs of testimages/ (read through the tools' image
 * I/O, PNG and JPEG): the decoded image keeps the input's size, PSNR rises
 * with quality and bpp falls as quality falls, in 4:2:0, 4:4:4 and gray.
 * argv[1] is the testimages directory. */
#include "codec_test_util.h"
#include "imageio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void run(const char *dir, const char *name, recimg_chroma chroma)
{
    static const double q[] = {15, 40, 70, 90};
    char path[1024];
    imageio_image in;
    recimg_image img;
    char err[512];
    double prev_psnr = 0.0, prev_bpp = 0.0;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (imageio_read(path, IMAGEIO_ALPHA_REFUSE, &in, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(!"cannot read test image");
        return;
    }
    img.width = in.width;
    img.height = in.height;
    img.channels = (uint32_t)in.channels;
    img.pixels = in.pixels;
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        recimg_encoder_params p;
        recimg_image out;
        size_t bytes;
        double psnr, bpp;
        recimg_encoder_params_default(&p);
        p.quality = q[i];
        p.chroma = chroma;
        CHECK(ct_roundtrip(&img, &p, &out, &bytes) == RECIMG_OK);
        CHECK(out.width == img.width && out.height == img.height && out.channels == img.channels);
        if (!out.pixels)
            continue;
        psnr = ct_psnr(&img, &out);
        bpp = 8.0 * (double)bytes / ((double)img.width * img.height);
        printf("%-22s %s q %4.0f: %.4f bpp, PSNR %.2f dB\n", name,
               img.channels == 1 ? "gray" : chroma == RECIMG_CHROMA_420 ? "420 " : "444 ", q[i], bpp, psnr);
        CHECK(psnr > prev_psnr + 0.1);
        CHECK(bpp > prev_bpp);
        CHECK(psnr > 24.0);
        prev_psnr = psnr;
        prev_bpp = bpp;
        recimg_free(out.pixels);
    }
    imageio_image_free(&in);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "testimages";
    run(dir, "astronaut.png", RECIMG_CHROMA_420);
    run(dir, "coffee.png", RECIMG_CHROMA_444);
    run(dir, "grass.png", RECIMG_CHROMA_420);
    run(dir, "rocket.jpg", RECIMG_CHROMA_420);
    return ct_finish("test_codec_photos");
}
