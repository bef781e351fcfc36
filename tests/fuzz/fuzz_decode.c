/* tests/fuzz/fuzz_decode.c: arbitrary bytes as a .rec file.
 *
 * Invariants: recimg_read_info and recimg_decode never crash, hang or leak;
 * on failure the output image is empty; on success the image has the size and
 * channel count the header declares (read_info agrees), and a second decode,
 * with another thread count, gives the same pixels (the decoder is a function
 * of the bytes). The decode mode is picked from the last byte (the CRC's, so
 * it costs the fuzzer nothing to vary). */
#include "fuzz_common.h"

#include "recimg.h"

#include <string.h>

static recimg_status decode(const uint8_t *data, size_t size, recimg_decode_mode mode,
                            int threads, recimg_image *out)
{
    recimg_decoder_params p;
    recimg_decoder *dec = NULL;
    recimg_status st;
    recimg_decoder_params_default(&p);
    p.decode = mode;
    p.realism = 0.5;
    p.threads = threads;
    p.max_pixels = FUZZ_MAX_PIXELS;
    p.max_input_size = (uint64_t)1 << 24;
    FUZZ_CHECK(recimg_decoder_create(&p, &dec) == RECIMG_OK);
    st = recimg_decode(dec, data, size, out);
    recimg_decoder_free(dec);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    recimg_info info;
    recimg_image a, b;
    recimg_status st_info, st;
    const recimg_decode_mode mode =
        size ? (recimg_decode_mode)(data[size - 1] % 5) : RECIMG_DECODE_DEFAULT;

    st_info = recimg_read_info(data, size, &info);
    FUZZ_CHECK(recimg_strerror(st_info) != NULL);
    st = decode(data, size, mode, 1, &a);
    FUZZ_CHECK(strcmp(recimg_strerror(st), "unknown status") != 0);
    if (st != RECIMG_OK) {
        FUZZ_CHECK(a.pixels == NULL && a.width == 0 && a.height == 0);
        return 0;
    }
    /* a file the decoder accepts has a valid header */
    FUZZ_CHECK(st_info == RECIMG_OK);
    FUZZ_CHECK(a.pixels != NULL);
    FUZZ_CHECK(a.width == info.width && a.height == info.height);
    FUZZ_CHECK(a.channels == info.channels);
    FUZZ_CHECK((uint64_t)a.width * a.height <= FUZZ_MAX_PIXELS);
    st = decode(data, size, mode, 2, &b);
    FUZZ_CHECK(st == RECIMG_OK);
    FUZZ_CHECK(b.width == a.width && b.height == a.height && b.channels == a.channels);
    FUZZ_CHECK(memcmp(a.pixels, b.pixels, (size_t)a.width * a.height * a.channels) == 0);
    recimg_free(a.pixels);
    recimg_free(b.pixels);
    return 0;
}
