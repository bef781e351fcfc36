/* tools/jpegref.c: libjpeg-turbo (TurboJPEG API) encode and decode for the reference
 * curves. Contracts in jpegref.h. The TurboJPEG API does its own setjmp-based error
 * handling and reports failures through return codes and tjGetErrorStr2.
 */
#include "jpegref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

int tool_jpeg_encode(const imageio_image *img, int quality, int chroma, uint8_t **jpeg,
                     size_t *size, char *err, size_t err_size)
{
    tjhandle tj;
    unsigned char *buf = NULL;
    unsigned long len = 0;
    int subsamp, pf, rc;

    *jpeg = NULL;
    *size = 0;
    if (img == NULL || img->pixels == NULL || img->width == 0 || img->height == 0 ||
        img->width > IMAGEIO_MAX_DIM || img->height > IMAGEIO_MAX_DIM ||
        (img->channels != 1 && img->channels != 3) || quality < 1 || quality > 100 ||
        (chroma != 420 && chroma != 444)) {
        imageio_set_error(err, err_size, "jpeg encode: invalid arguments");
        return -1;
    }
    if (img->channels == 1) {
        subsamp = TJSAMP_GRAY;
        pf = TJPF_GRAY;
    } else {
        subsamp = chroma == 420 ? TJSAMP_420 : TJSAMP_444;
        pf = TJPF_RGB;
    }
    tj = tjInitCompress();
    if (tj == NULL) {
        imageio_set_error(err, err_size, "jpeg encode: %s", tjGetErrorStr2(NULL));
        return -1;
    }
    rc = tjCompress2(tj, img->pixels, (int)img->width, 0, (int)img->height, pf, &buf, &len,
                     subsamp, quality, TJFLAG_ACCURATEDCT);
    if (rc != 0) {
        imageio_set_error(err, err_size, "jpeg encode: %s", tjGetErrorStr2(tj));
        tjFree(buf);
        tjDestroy(tj);
        return -1;
    }
    tjDestroy(tj);
    /* Hand over a malloc'd copy so callers free() it like every other buffer here. */
    *jpeg = malloc(len);
    if (*jpeg == NULL) {
        tjFree(buf);
        imageio_set_error(err, err_size, "jpeg encode: out of memory");
        return -1;
    }
    memcpy(*jpeg, buf, len);
    *size = len;
    tjFree(buf);
    return 0;
}

int tool_jpeg_decode(const uint8_t *jpeg, size_t size, imageio_image *out, char *err,
                     size_t err_size)
{
    tjhandle tj;
    int w, h, subsamp, colorspace, channels;

    memset(out, 0, sizeof(*out));
    if (jpeg == NULL || size == 0 || size > (size_t)0x7fffffff) {
        imageio_set_error(err, err_size, "jpeg decode: invalid arguments");
        return -1;
    }
    tj = tjInitDecompress();
    if (tj == NULL) {
        imageio_set_error(err, err_size, "jpeg decode: %s", tjGetErrorStr2(NULL));
        return -1;
    }
    if (tjDecompressHeader3(tj, jpeg, (unsigned long)size, &w, &h, &subsamp, &colorspace) != 0) {
        imageio_set_error(err, err_size, "jpeg decode: %s", tjGetErrorStr2(tj));
        tjDestroy(tj);
        return -1;
    }
    channels = colorspace == TJCS_GRAY ? 1 : 3;
    if (w <= 0 || h <= 0 || imageio_image_alloc(out, (uint32_t)w, (uint32_t)h, channels) != 0) {
        imageio_set_error(err, err_size,
                          "jpeg decode: dimensions %dx%d outside the limits or out of memory", w,
                          h);
        tjDestroy(tj);
        return -1;
    }
    if (tjDecompress2(tj, jpeg, (unsigned long)size, out->pixels, w, 0, h,
                      channels == 1 ? TJPF_GRAY : TJPF_RGB,
                      TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING) != 0) {
        imageio_set_error(err, err_size, "jpeg decode: %s", tjGetErrorStr2(tj));
        imageio_image_free(out);
        tjDestroy(tj);
        return -1;
    }
    tjDestroy(tj);
    return 0;
}
