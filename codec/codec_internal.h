/* Internal helpers shared by the codec's source files: error-propagation
 * macros, the one overflow-checked size helper, and the bounded little-endian
 * reader with a sticky error flag used to parse untrusted bytes. */
#ifndef CODEC_CODEC_INTERNAL_H
#define CODEC_CODEC_INTERNAL_H

#include "recimg.h"

#include <stddef.h>
#include <stdint.h>

/* Return err from the current function when cond holds. */
#define RETURN_IF(cond, err) do { if (cond) return (err); } while (0)
/* Evaluate a recimg_status expression; return it when it is not RECIMG_OK. */
#define FORWARD_IF_ERROR(expr) do { recimg_status st_ = (expr); if (st_ != RECIMG_OK) return st_; } while (0)

/* The one place size arithmetic is checked: *out = a * b * c, returning 0 on
 * success and -1 when the product does not fit in size_t (then *out = 0). */
int recimg_size_mul3(size_t a, size_t b, size_t c, size_t *out);

/* Bounded reader: every read past the end returns 0 and sets err, which stays
 * set; callers check err once after a group of reads. */
typedef struct {
    const uint8_t *data;
    size_t size;
    size_t pos;
    int err;
} recimg_reader;

void recimg_reader_init(recimg_reader *r, const uint8_t *data, size_t size);
uint32_t recimg_reader_u8(recimg_reader *r);
uint32_t recimg_reader_u16(recimg_reader *r);   /* little-endian */
uint32_t recimg_reader_u32(recimg_reader *r);
uint64_t recimg_reader_u64(recimg_reader *r);

/* Little-endian stores into a buffer the caller sized. */
void recimg_store_u16(uint8_t *p, uint32_t v);
void recimg_store_u32(uint8_t *p, uint32_t v);
void recimg_store_u64(uint8_t *p, uint64_t v);

/* recimg_encode / recimg_decode with bands of band_rows luma block rows (even,
 * >= 2; 4:2:0 chroma bands are half as tall; 0 = the built-in choice, what
 * recimg_encode / recimg_decode use). Bytes and pixels do not depend on it:
 * tests/codec/test_codec_bands.c checks that against one band holding the
 * whole image. RECIMG_ERR_INVALID_ARGUMENT for an odd band_rows. */
recimg_status recimg_encode_bands(recimg_encoder *enc, const recimg_image *img, uint32_t band_rows,
                                  uint8_t **out, size_t *out_size, recimg_encode_stats *stats);
recimg_status recimg_decode_bands(recimg_decoder *dec, const uint8_t *data, size_t size,
                                  uint32_t band_rows, recimg_image *out);

#endif
