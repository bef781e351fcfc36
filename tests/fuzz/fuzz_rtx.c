/* tests/fuzz/fuzz_rtx.c: arbitrary bytes as a .rtx transform file (docs/TRANSFORMS.md),
 * the file `recimg compress --transform FILE.rtx` reads from the user.
 *
 * Invariants: recimg_transform_file_check never crashes and fills a one-line,
 * NUL-terminated message when it refuses; the encoder accepts exactly the files
 * the check accepts; with an accepted file a small image (gray and colour)
 * encodes, the .rec (which embeds the matrix, or names a known one) decodes to
 * the input's size, and encoding twice gives the same bytes. */
#include "fuzz_common.h"

#include "recimg.h"

#include <string.h>

static void round_trip(const recimg_encoder_params *p, uint32_t channels)
{
    recimg_encoder *enc = NULL;
    recimg_decoder_params dp;
    recimg_decoder *dec = NULL;
    recimg_image img, out;
    uint8_t *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    uint8_t px[24 * 17 * 3];

    for (size_t i = 0; i < sizeof px; i++)
        px[i] = (uint8_t)((i * 37u + (i / 72u) * 11u) & 255u);
    img.width = 24;
    img.height = 17;
    img.channels = channels;
    img.pixels = px;
    FUZZ_CHECK(recimg_encoder_create(p, &enc) == RECIMG_OK);
    FUZZ_CHECK(recimg_encode(enc, &img, &a, &na, NULL) == RECIMG_OK);
    FUZZ_CHECK(recimg_encode(enc, &img, &b, &nb, NULL) == RECIMG_OK);
    FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
    recimg_decoder_params_default(&dp);
    FUZZ_CHECK(recimg_decoder_create(&dp, &dec) == RECIMG_OK);
    FUZZ_CHECK(recimg_decode(dec, a, na, &out) == RECIMG_OK);
    FUZZ_CHECK(out.width == img.width && out.height == img.height && out.channels == channels);
    recimg_free(out.pixels);
    recimg_decoder_free(dec);
    recimg_free(a);
    recimg_free(b);
    recimg_encoder_free(enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[256];
    recimg_encoder_params p;
    recimg_encoder *enc = NULL;
    recimg_status st, st_create;

    memset(msg, 'x', sizeof msg);
    st = recimg_transform_file_check(data, size, msg, sizeof msg);
    recimg_encoder_params_default(&p);
    p.transform_id = 4;
    p.transform_file = data;
    p.transform_file_size = size;
    st_create = recimg_encoder_create(&p, &enc);
    recimg_encoder_free(enc);
    if (st != RECIMG_OK) {
        FUZZ_CHECK(memchr(msg, '\0', sizeof msg) != NULL);
        FUZZ_CHECK(msg[0] != '\0' && strchr(msg, '\n') == NULL);
        FUZZ_CHECK(st_create != RECIMG_OK);
        return 0;
    }
    FUZZ_CHECK(st_create == RECIMG_OK);
    round_trip(&p, 1);
    round_trip(&p, 3);
    p.mode = RECIMG_MODE_REC;
    if (recimg_encoder_create(&p, &enc) == RECIMG_OK) {
        recimg_encoder_free(enc);
        round_trip(&p, 3);
    }
    return 0;
}
