/* tools/jpegref.h: the libjpeg-turbo reference codec used by bench/ and `recimg rd`
 * (TurboJPEG API). Baseline JPEG with libjpeg-turbo's default (standard) Huffman tables
 * and accurate integer DCT, quality scaling of the standard IJG tables: exactly what
 * `cjpeg -quality Q -sample 2x2` produces. Gray images are coded as gray JPEG.
 */
#ifndef RECIMG_TOOLS_JPEGREF_H
#define RECIMG_TOOLS_JPEGREF_H

#include <stddef.h>
#include <stdint.h>

#include "imageio.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Encodes img (1 or 3 channels) at quality 1..100 with chroma subsampling 420 or 444
 * (ignored for gray). On success returns 0 and a malloc'd buffer in *jpeg / *size that the
 * caller frees with free(); -1 with a message in err otherwise. Thread-safe. */
int tool_jpeg_encode(const imageio_image *img, int quality, int chroma, uint8_t **jpeg,
                     size_t *size, char *err, size_t err_size);

/* Decodes a JPEG from memory with the TurboJPEG API into 8-bit RGB (or gray for a gray
 * JPEG). 0 ok (caller frees with imageio_image_free), -1 with a message otherwise. The
 * same limits as imageio apply; warnings such as a truncated stream are errors. */
int tool_jpeg_decode(const uint8_t *jpeg, size_t size, imageio_image *out, char *err,
                     size_t err_size);

#ifdef __cplusplus
}
#endif

#endif /* RECIMG_TOOLS_JPEGREF_H */
