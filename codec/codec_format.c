/* .rec container versions 1 and 2: writer and validating parser (layout in
 * codec_format.h and docs/FORMAT.md). The parser checks every field as soon as
 * it is read and the CRC before the payload is touched; it allocates nothing,
 * so the limits it enforces precede every allocation a header controls. */
#include "codec_format.h"
#include "codec_internal.h"
#include "rtx_file.h"   /* learned-transform: embedded transform record sizes */

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

const uint8_t recimg_magic[8] = {0x89, 'R', 'E', 'C', 'I', 'M', 'G', 0x0A};

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {   /* zlib takes uInt lengths */
        const uInt chunk = n > 0x40000000u ? 0x40000000u : (uInt)n;
        c = crc32(c, p, chunk);
        p += chunk;
        n -= chunk;
    }
    return (uint32_t)c;
}

int recimg_matrix_id_valid(uint32_t id)
{
    return id <= 2;
}

recimg_status recimg_format_write(const recimg_header *h, const uint8_t *payload,
                                  size_t payload_size, uint8_t **out, size_t *out_size)
{
    uint8_t *buf;
    size_t total;
    /* version 2 exactly when a flag of bits 8..31 is set, so files without one keep
       version 1's layout byte for byte */
    const uint32_t flags2 = (h->flags & RECIMG_FLAGS2_MASK) >> 8;
    const size_t base = flags2 ? RECIMG_HEADER_SIZE2 : RECIMG_HEADER_SIZE;
    /* learned-transform: an embedded transform record extends the header */
    const size_t hs = base + (size_t)h->tx_embed_size;

    *out = NULL;
    *out_size = 0;
    RETURN_IF((h->transform_id == RTX_TRANSFORM_EMBEDDED) != (h->tx_embed_size != 0),
              RECIMG_ERR_INTERNAL);
    RETURN_IF(payload_size > SIZE_MAX - hs - RECIMG_TRAILER_SIZE, RECIMG_ERR_LIMIT);
    total = hs + payload_size + RECIMG_TRAILER_SIZE;
    buf = (uint8_t *)malloc(total);
    RETURN_IF(!buf, RECIMG_ERR_OUT_OF_MEMORY);
    memcpy(buf, recimg_magic, 8);
    recimg_store_u16(buf + 8, flags2 ? RECIMG_FORMAT_VERSION2 : RECIMG_FORMAT_VERSION);
    recimg_store_u16(buf + 10, (uint32_t)hs);
    recimg_store_u32(buf + 12, h->width);
    recimg_store_u32(buf + 16, h->height);
    buf[20] = (uint8_t)h->color;
    buf[21] = (uint8_t)h->subsampling;
    buf[22] = (uint8_t)h->transform_id;
    buf[23] = (uint8_t)h->mode;
    buf[24] = (uint8_t)h->sampler;
    buf[25] = (uint8_t)h->prior_id;
    buf[26] = (uint8_t)h->matrix_id;
    buf[27] = (uint8_t)h->flags;
    recimg_store_u32(buf + 28, h->step_code);
    recimg_store_u16(buf + 32, h->chroma_scale_code);
    recimg_store_u16(buf + 34, h->quality_code);
    recimg_store_u32(buf + 36, h->skip_code);
    recimg_store_u64(buf + 40, h->seed);
    recimg_store_u64(buf + 48, (uint64_t)payload_size);
    if (flags2)
        recimg_store_u32(buf + RECIMG_HEADER_SIZE, flags2);
    if (h->tx_embed_size)   /* learned-transform */
        memcpy(buf + base, h->tx_embed, h->tx_embed_size);
    if (payload_size)
        memcpy(buf + hs, payload, payload_size);
    recimg_store_u32(buf + hs + payload_size, crc32_of(buf, hs + payload_size));
    *out = buf;
    *out_size = total;
    return RECIMG_OK;
}

recimg_status recimg_format_parse(const uint8_t *data, size_t size, uint64_t max_pixels,
                                  recimg_header *h, const uint8_t **payload, uint32_t *crc)
{
    recimg_reader r;
    uint32_t version, header_size, base, stored_crc;

    memset(h, 0, sizeof *h);
    *payload = NULL;
    *crc = 0;
    RETURN_IF(!data && size, RECIMG_ERR_INVALID_ARGUMENT);
    /* A prefix of the magic is a truncated file; anything else is not ours. */
    if (size < 8) {
        RETURN_IF(size == 0 || memcmp(data, recimg_magic, size) != 0, RECIMG_ERR_BAD_MAGIC);
        return RECIMG_ERR_TRUNCATED;
    }
    RETURN_IF(memcmp(data, recimg_magic, 8) != 0, RECIMG_ERR_BAD_MAGIC);
    recimg_reader_init(&r, data + 8, size - 8);
    version = recimg_reader_u16(&r);
    RETURN_IF(r.err, RECIMG_ERR_TRUNCATED);
    RETURN_IF(version != RECIMG_FORMAT_VERSION && version != RECIMG_FORMAT_VERSION2,
              RECIMG_ERR_BAD_VERSION);
    h->version = version;
    base = version == RECIMG_FORMAT_VERSION2 ? RECIMG_HEADER_SIZE2 : RECIMG_HEADER_SIZE;
    header_size = recimg_reader_u16(&r);
    RETURN_IF(r.err, RECIMG_ERR_TRUNCATED);
    /* learned-transform: the base header, or it plus an embedded transform record
       (transform id 4) */
    RETURN_IF(header_size != base &&
              header_size != base + rtx_embed_size(RTX_KIND_SEPARABLE) &&
              header_size != base + rtx_embed_size(RTX_KIND_FULL), RECIMG_ERR_CORRUPT);
    RETURN_IF(size < header_size, RECIMG_ERR_TRUNCATED);

    h->width = recimg_reader_u32(&r);
    h->height = recimg_reader_u32(&r);
    RETURN_IF(h->width == 0 || h->height == 0, RECIMG_ERR_CORRUPT);
    RETURN_IF(h->width > RECIMG_MAX_SIDE || h->height > RECIMG_MAX_SIDE, RECIMG_ERR_LIMIT);
    RETURN_IF((uint64_t)h->width * h->height > max_pixels, RECIMG_ERR_LIMIT);
    h->color = recimg_reader_u8(&r);
    RETURN_IF(h->color != 1 && h->color != 2, RECIMG_ERR_CORRUPT);
    h->subsampling = recimg_reader_u8(&r);
    RETURN_IF(h->subsampling > 1 || (h->color == 1 && h->subsampling != 0), RECIMG_ERR_CORRUPT);
    h->transform_id = recimg_reader_u8(&r);
    RETURN_IF(h->transform_id == 0, RECIMG_ERR_CORRUPT);
    /* learned-transform: the header carries a record exactly when the id says so */
    RETURN_IF((h->transform_id == RTX_TRANSFORM_EMBEDDED) != (header_size != base),
              RECIMG_ERR_CORRUPT);
    h->mode = recimg_reader_u8(&r);
    RETURN_IF(h->mode > RECIMG_MODE_REC, RECIMG_ERR_CORRUPT);
    h->sampler = recimg_reader_u8(&r);
    RETURN_IF(h->sampler > RECIMG_SAMPLER_BLOCK, RECIMG_ERR_CORRUPT);
    RETURN_IF(h->mode == RECIMG_MODE_ROUND && h->sampler != RECIMG_SAMPLER_NONE, RECIMG_ERR_CORRUPT);
    RETURN_IF(h->mode == RECIMG_MODE_REC && h->sampler == RECIMG_SAMPLER_NONE, RECIMG_ERR_CORRUPT);
    h->prior_id = recimg_reader_u8(&r);
    RETURN_IF(h->prior_id != RECIMG_PRIOR_LAPLACE_CTX1 &&
              !((h->prior_id == RECIMG_PRIOR_LAPLACE_CTX2 || h->prior_id == RECIMG_PRIOR_LAPLACE_CTX3 ||
                 h->prior_id == RECIMG_PRIOR_LAPLACE_CTX4) &&
                h->mode == RECIMG_MODE_REC) &&
              !(h->prior_id == RECIMG_PRIOR_LAPLACE_CTX5 && h->mode == RECIMG_MODE_ROUND),
              RECIMG_ERR_CORRUPT);
    /* v4's block level exists for sampler uq only */
    RETURN_IF(h->prior_id == RECIMG_PRIOR_LAPLACE_CTX4 &&
              !(h->mode == RECIMG_MODE_REC && h->sampler == RECIMG_SAMPLER_UQ), RECIMG_ERR_CORRUPT);
    h->matrix_id = recimg_reader_u8(&r);
    RETURN_IF(!recimg_matrix_id_valid(h->matrix_id), RECIMG_ERR_CORRUPT);
    h->flags = recimg_reader_u8(&r);
    /* unknown bits are errors; the closed-form bin coder, the skip-energy table and the
       short-chain revision exist in rec mode only, the far-bin reconstruction with
       sampler uq only */
    RETURN_IF((h->flags & ~(RECIMG_FLAG_CLOSED_CDF | RECIMG_FLAG_UQ_FAR_BIN | RECIMG_FLAG_SKIP_ENERGY
                            | RECIMG_FLAG_FAST_CHAIN | RECIMG_FLAG_RECON_TABLE
                            | RECIMG_FLAG_BLOCK_DITHER)) != 0,
              RECIMG_ERR_CORRUPT);
    RETURN_IF((h->flags & (RECIMG_FLAG_CLOSED_CDF | RECIMG_FLAG_SKIP_ENERGY | RECIMG_FLAG_FAST_CHAIN))
                  && h->mode != RECIMG_MODE_REC,
              RECIMG_ERR_CORRUPT);
    RETURN_IF((h->flags & RECIMG_FLAG_UQ_FAR_BIN) &&
              !(h->mode == RECIMG_MODE_REC && h->sampler == RECIMG_SAMPLER_UQ), RECIMG_ERR_CORRUPT);
    /* the block dither stream (0x20, issue 8) replaces the draws of sampler uq only */
    RETURN_IF((h->flags & RECIMG_FLAG_BLOCK_DITHER) &&
              !(h->mode == RECIMG_MODE_REC && h->sampler == RECIMG_SAMPLER_UQ), RECIMG_ERR_CORRUPT);
    h->step_code = recimg_reader_u32(&r);
    RETURN_IF(h->step_code < RECIMG_STEP_CODE_MIN || h->step_code > RECIMG_STEP_CODE_MAX,
              RECIMG_ERR_CORRUPT);
    h->chroma_scale_code = recimg_reader_u16(&r);
    RETURN_IF(h->chroma_scale_code < RECIMG_CHROMA_SCALE_MIN ||
              h->chroma_scale_code > RECIMG_CHROMA_SCALE_MAX, RECIMG_ERR_CORRUPT);
    h->quality_code = recimg_reader_u16(&r);
    RETURN_IF(h->quality_code > 10000, RECIMG_ERR_CORRUPT);
    h->skip_code = recimg_reader_u32(&r);
    RETURN_IF(h->skip_code > RECIMG_SKIP_CODE_MAX, RECIMG_ERR_CORRUPT);
    RETURN_IF(h->mode == RECIMG_MODE_ROUND && h->skip_code != 0, RECIMG_ERR_CORRUPT);
    h->seed = recimg_reader_u64(&r);
    h->payload_size = recimg_reader_u64(&r);
    if (version == RECIMG_FORMAT_VERSION2) {
        /* flags2: version 2 exists to carry it, so it is never 0; unknown bits are errors */
        const uint32_t flags2 = recimg_reader_u32(&r);
        RETURN_IF(r.err, RECIMG_ERR_TRUNCATED);
        RETURN_IF(flags2 == 0 || flags2 > (RECIMG_FLAGS2_MASK >> 8) ||
                  ((flags2 << 8) & ~RECIMG_FLAGS2_KNOWN) != 0, RECIMG_ERR_CORRUPT);
        h->flags |= flags2 << 8;
        /* the deadzone uq (0x400): sampler uq, coded by the closed-form coder (0x01) */
        RETURN_IF((h->flags & RECIMG_FLAG_UQ_DEADZONE) &&
                  !(h->mode == RECIMG_MODE_REC && h->sampler == RECIMG_SAMPLER_UQ &&
                    (h->flags & RECIMG_FLAG_CLOSED_CDF)),
                  RECIMG_ERR_CORRUPT);
        /* the draws in the deadzone uq's cells (0x1000) exist with it only */
        RETURN_IF((h->flags & RECIMG_FLAG_UQ_DZ_DRAW) && !(h->flags & RECIMG_FLAG_UQ_DEADZONE),
                  RECIMG_ERR_CORRUPT);
        /* the deadzone uq's fast rule (0x2000) is a revision of 0x400's rule */
        RETURN_IF((h->flags & RECIMG_FLAG_DZ_FAST_RULE) && !(h->flags & RECIMG_FLAG_UQ_DEADZONE),
                  RECIMG_ERR_CORRUPT);
        /* the round deadzone (0x800) exists in round mode only */
        RETURN_IF((h->flags & RECIMG_FLAG_ROUND_DEADZONE) && h->mode != RECIMG_MODE_ROUND,
                  RECIMG_ERR_CORRUPT);
        /* its zero cells' draw scale (0x4000, decoder only) exists with 0x800 only */
        RETURN_IF((h->flags & RECIMG_FLAG_ROUND_DZ_DRAW) && !(h->flags & RECIMG_FLAG_ROUND_DEADZONE),
                  RECIMG_ERR_CORRUPT);
    }
    RETURN_IF(r.err, RECIMG_ERR_TRUNCATED);
    /* The total size must be exactly header + payload + CRC. */
    if (h->payload_size > (uint64_t)(size - header_size) ||
        size - header_size - (size_t)h->payload_size < RECIMG_TRAILER_SIZE)
        return RECIMG_ERR_TRUNCATED;
    RETURN_IF(size - header_size - (size_t)h->payload_size != RECIMG_TRAILER_SIZE,
              RECIMG_ERR_CORRUPT);
    recimg_reader_init(&r, data + header_size + h->payload_size, RECIMG_TRAILER_SIZE);
    stored_crc = recimg_reader_u32(&r);
    RETURN_IF(stored_crc != crc32_of(data, header_size + (size_t)h->payload_size),
              RECIMG_ERR_CHECKSUM);
    if (header_size != base) {   /* learned-transform: the embedded record */
        h->tx_embed = data + base;
        h->tx_embed_size = header_size - base;
        RETURN_IF(rtx_embed_check(h->tx_embed, h->tx_embed_size) != 0, RECIMG_ERR_CORRUPT);
    }
    *payload = data + header_size;
    *crc = stored_crc;
    return RECIMG_OK;
}
