/* The .rec container, versions 1 and 2 (docs/FORMAT.md is the normative description).
 *
 *   offset size field
 *   0      8    magic 0x89 'R' 'E' 'C' 'I' 'M' 'G' 0x0A
 *   8      2    version (1, or 2 when a flag of bits 8..31 is set)
 *   10     2    header size (B; B + E with an embedded transform record; B = 56 in
 *                version 1, 60 in version 2)
 *   12     4    width   (1 .. 2^30)
 *   16     4    height  (1 .. 2^30)
 *   20     1    color: 1 gray (one plane), 2 YCbCr from RGB (three planes)
 *   21     1    subsampling: 0 none / 4:4:4, 1 4:2:0 (gray: 0)
 *   22     1    transform id (1 = orthonormal 8x8 DCT-II)
 *   23     1    mode (0 round, 1 rec)
 *   24     1    sampler id (0 in round mode)
 *   25     1    prior id (1 = Laplace context model v1; 2 = v2, rec mode only)
 *   26     1    step matrix id
 *   27     1    flags: bit 0 (0x01) closed-form bin coder (rec mode only); bit 1 (0x02) uq
 *                far-bin reconstruction (rec uq only); bit 2 (0x04) skip-energy table at
 *                the payload's start (rec mode only); others 0
 *   28     4    step code: global step in 1/1024 units
 *   32     2    chroma step multiplier in 1/256 units
 *   34     2    quality * 100 (informational)
 *   36     4    REC zero-bit threshold tau * 1024 (0 .. 16384); 0 in round mode
 *   40     8    seed
 *   48     8    payload size P
 *   56     4    version 2 only: flags2, the header flags' bits 8..31 (nonzero)
 *   B      E    transform id 4 only: embedded transform record (rtx_file.h), E = 260 or 8196
 *   B+E    P    payload (range-coded coefficients)   (E = 0 for other transform ids)
 *   B+E+P  4    CRC-32 (zlib) of bytes [0, B+E+P)
 * All integers little-endian. */
#ifndef CODEC_CODEC_FORMAT_H
#define CODEC_CODEC_FORMAT_H

#include "recimg.h"

#include <stddef.h>
#include <stdint.h>

#define RECIMG_FORMAT_VERSION 1     /* written when no flag of bits 8..31 is set */
#define RECIMG_FORMAT_VERSION2 2    /* the same plus flags2 at offset 56 */
#define RECIMG_HEADER_SIZE 56       /* version 1's base header */
#define RECIMG_HEADER_SIZE2 60      /* version 2's base header */
#define RECIMG_TRAILER_SIZE 4
#define RECIMG_MAX_SIDE ((uint32_t)1 << 30)
#define RECIMG_PRIOR_LAPLACE_CTX1 1   /* context model v1 (any mode) */
#define RECIMG_PRIOR_LAPLACE_CTX2 2   /* v2: rec mode only, REC cell statistic 1.5 e^2 */
#define RECIMG_PRIOR_LAPLACE_CTX3 3   /* v3: v2 plus the in-block gain of the REC prior scale */
#define RECIMG_PRIOR_LAPLACE_CTX4 4   /* v4: v3 plus a coded level per luma block (sampler uq only) */
#define RECIMG_PRIOR_LAPLACE_CTX5 5   /* v5: round mode only, v1 plus the in-block gain (codec_round.c) */
#define RECIMG_FLAG_CLOSED_CDF 0x01u   /* rec mode: bins coded by rec_quant_code_bin_cf */
#define RECIMG_FLAG_UQ_FAR_BIN 0x02u   /* rec mode, sampler uq: far-bin reconstruction (codec_rec.c) */
#define RECIMG_FLAG_SKIP_ENERGY 0x04u  /* rec mode: the payload starts with the skip-energy table
                                          (codec_rec.h, RECIMG_SKIP_GROUPS bytes) */
#define RECIMG_FLAG_FAST_CHAIN 0x08u   /* rec mode: the short-chain revision (codec_rec.c): the
                                          in-block gain from rec_pow_table, and with 0x01 the bin
                                          coder's edge exponentials from rec_exp_neg_fast */
#define RECIMG_FLAG_RECON_TABLE 0x40u  /* any mode: the payload holds the reconstruction table
                                          after the skip-energy table (codec_recon.h) */
#define RECIMG_FLAG_BLOCK_DITHER 0x20u /* rec mode, sampler uq: the dithers from one Philox block
                                          per 8x8 block and a SplitMix64 sub-stream (codec_rec.c,
                                          rec_prng.h rec_prng_stream_u64) */
#define RECIMG_FLAGS2_MASK 0xFFFFFF00u  /* the flags stored in version 2's flags2 field; a
                                          nonzero value selects version 2 */
#define RECIMG_FLAG_UQ_DEADZONE 0x400u /* flags2, rec mode, sampler uq, with 0x01: the deadzone uq of
                                          the AC coefficients (codec_deadzone.h) */
#define RECIMG_FLAG_ROUND_DEADZONE 0x800u  /* flags2, round mode: the AC cells with the
                                             prior-adaptive deadzone (codec_round.c) */
#define RECIMG_FLAG_UQ_DZ_DRAW 0x1000u  /* flags2, with 0x400 only, decoder only: the sample and
                                          realism output of a deadzone-coded AC coefficient is a
                                          private draw of its prior in its y-cell (codec_rec.c) */
#define RECIMG_FLAG_DZ_FAST_RULE 0x2000u  /* flags2, with 0x400: the deadzone uq's d and tail from
                                            a table on b (codec_deadzone.h recimg_dz_rule_fast) */
#define RECIMG_FLAG_ROUND_DZ_DRAW 0x4000u  /* flags2, round mode with 0x800: the sample /
                                            realism zero cell's fitted draw scale for the
                                            deadzone's cell (codec_round.c zero_bin_scale) */
#define RECIMG_FLAGS2_KNOWN (RECIMG_FLAG_UQ_DEADZONE | RECIMG_FLAG_ROUND_DEADZONE | \
                             RECIMG_FLAG_UQ_DZ_DRAW | RECIMG_FLAG_DZ_FAST_RULE | \
                             RECIMG_FLAG_ROUND_DZ_DRAW)   /* bits of RECIMG_FLAGS2_MASK a
                                                             decoder understands */
#define RECIMG_STEP_CODE_MIN 64u              /* step >= 1/16 */
#define RECIMG_STEP_CODE_MAX ((uint32_t)1 << 22) /* step <= 4096 */
#define RECIMG_CHROMA_SCALE_MIN 64u           /* 0.25 */
#define RECIMG_CHROMA_SCALE_MAX 4096u         /* 16 */
#define RECIMG_SKIP_CODE_MAX 16384u           /* tau <= 16 bits */

extern const uint8_t recimg_magic[8];

/* Fields as stored (see the table above). */
typedef struct {
    uint32_t width, height;
    uint32_t color;         /* 1 gray, 2 YCbCr */
    uint32_t subsampling;   /* 0 none, 1 4:2:0 */
    uint32_t transform_id;
    uint32_t mode;
    uint32_t sampler;
    uint32_t prior_id;
    uint32_t matrix_id;
    uint32_t flags;         /* RECIMG_FLAG_*: bits 0..7 are byte 27, bits 8..31 version 2's
                               flags2 (RECIMG_FLAGS2_MASK) */
    uint32_t version;       /* parse: the version read; write: ignored (derived from flags) */
    uint32_t step_code;
    uint32_t chroma_scale_code;
    uint32_t quality_code;
    uint32_t skip_code;     /* REC: zero-bit rule threshold in 1/1024 bits */
    uint64_t seed;
    uint64_t payload_size;
    /* learned-transform: transform id 4 only, the embedded transform record
       (transforms/rtx_file.h) stored at [56, 56 + size); the header size field is
       56 + size. The writer copies it; the parser points into the data. */
    const uint8_t *tx_embed;
    uint32_t tx_embed_size;
} recimg_header;

/* Serialises header + payload + CRC into a malloc'd buffer. */
recimg_status recimg_format_write(const recimg_header *h, const uint8_t *payload,
                                  size_t payload_size, uint8_t **out, size_t *out_size);

/* Parses and validates a whole file: magic, version, every field's range,
 * width*height against max_pixels, exact total size, CRC-32. On success
 * *payload points into data. Allocates nothing. */
recimg_status recimg_format_parse(const uint8_t *data, size_t size, uint64_t max_pixels,
                                  recimg_header *h, const uint8_t **payload, uint32_t *crc);

/* 1 if the matrix id is known. */
int recimg_matrix_id_valid(uint32_t id);

#endif
