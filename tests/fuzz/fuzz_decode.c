/* tests/fuzz/fuzz_decode.c: arbitrary bytes as a .rec file.
 *
 * Invariants: recimg_read_info and recimg_decode never crash, hang or leak;
 * on failure the output image is empty; on success the image has the size and
 * channel count the header declares (read_info agrees), and a second decode,
 * with another thread count, gives the same pixels (the decoder is a function
 * of the bytes). The decode mode is picked from the last byte (the CRC's, so
 * it costs the fuzzer nothing to vary).
 *
 * The CRC would stop almost every mutation at the checksum, so each input is
 * also decoded a second time "repaired": payload size set to what the length
 * and the header-size field imply, and the CRC recomputed. That copy reaches the header fields' checks
 * and the payload decoders with arbitrary contents. */
#include "fuzz_common.h"

#include "recimg.h"

#include <string.h>
#include <zlib.h>

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

static void check_one(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_one(data, size);
    /* header size field at offset 10: 56 (60 in version 2), plus E with an embedded transform */
    const size_t hs = size >= 12 ? (size_t)data[10] | (size_t)data[11] << 8 : 0;
    if (hs >= 56 && size >= hs + 4 && size <= ((size_t)1 << 24)) {
        uint8_t *fixed = (uint8_t *)malloc(size);
        const uint64_t payload = size - hs - 4;
        uLong crc;
        FUZZ_CHECK(fixed != NULL);
        memcpy(fixed, data, size);
        for (int i = 0; i < 8; i++)
            fixed[48 + i] = (uint8_t)(payload >> (8 * i));
        crc = crc32(crc32(0L, Z_NULL, 0), fixed, (uInt)(size - 4));
        for (int i = 0; i < 4; i++)
            fixed[size - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
        if (memcmp(fixed, data, size) != 0)
            check_one(fixed, size);
        free(fixed);
    }
    return 0;
}

static void check_one(const uint8_t *data, size_t size)
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
        return;
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
}
