/* tests/fuzz/fuzz_imageio.c: arbitrary bytes as an image file (PNG, JPEG or
 * PGM/PPM, chosen by the magic bytes) through the tools' image reader
 * imageio_decode, the same code `recimg compress` reads its input with.
 *
 * Invariants: never a crash, hang or leak; on failure an empty image and a
 * non-empty message naming the input; on success 1 or 3 channels, dimensions
 * within the documented limits, and the same pixels from a second decode. With
 * alpha refused the decode either fails or gives exactly the alpha-dropped
 * result (refusing alpha never changes pixels). */
#include "fuzz_common.h"

#include "imageio.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    imageio_image a, b;
    char err[512];
    size_t bytes;

    err[0] = '\0';
    if (imageio_decode(data, size, "fuzz-input", IMAGEIO_ALPHA_DROP, &a, err, sizeof err) != 0) {
        FUZZ_CHECK(a.pixels == NULL && a.width == 0 && a.height == 0);
        FUZZ_CHECK(strstr(err, "fuzz-input") != NULL);
        return 0;
    }
    FUZZ_CHECK(a.pixels != NULL);
    FUZZ_CHECK(a.channels == 1 || a.channels == 3);
    FUZZ_CHECK(a.width >= 1 && a.height >= 1);
    FUZZ_CHECK(a.width <= IMAGEIO_MAX_DIM && a.height <= IMAGEIO_MAX_DIM);
    FUZZ_CHECK((uint64_t)a.width * a.height <= IMAGEIO_MAX_PIXELS);
    FUZZ_CHECK(a.source_bit_depth >= 1 && a.source_bit_depth <= 16);
    bytes = (size_t)a.width * a.height * (size_t)a.channels;
    if (imageio_decode(data, size, "fuzz-input", IMAGEIO_ALPHA_REFUSE, &b, err, sizeof err) == 0) {
        FUZZ_CHECK(b.width == a.width && b.height == a.height && b.channels == a.channels);
        FUZZ_CHECK(memcmp(a.pixels, b.pixels, bytes) == 0);
        imageio_image_free(&b);
    } else {
        FUZZ_CHECK(b.pixels == NULL);
        FUZZ_CHECK(strstr(err, "fuzz-input") != NULL);
    }
    imageio_image_free(&a);
    return 0;
}
