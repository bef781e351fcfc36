/* recimg: a lossy image codec built on relative entropy coding (REC).
 *
 * Public API (installed as <recimg.h>). One encoder object compresses 8-bit
 * gray or RGB images into .rec files (docs/FORMAT.md); one decoder object turns
 * .rec bytes back into pixels. Objects are opaque, created from a params struct
 * that a *_default() function fills and that create validates.
 *
 * Thread safety: distinct objects may be used from distinct threads at once;
 * one object must not be used by two threads at once. Object creation plans
 * FFTW transforms, which FFTW does not allow concurrently: create objects from
 * one thread at a time.
 *
 * Ownership: buffers returned by the library are released with recimg_free().
 * Every function returning recimg_status leaves its outputs zeroed/NULL on
 * failure. */
#ifndef CODEC_RECIMG_H
#define CODEC_RECIMG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RECIMG_VERSION_MAJOR 0
#define RECIMG_VERSION_MINOR 1
#define RECIMG_VERSION_PATCH 0

/* Status codes. 0 is success; the set is stable (new codes are only appended). */
typedef enum {
    RECIMG_OK = 0,
    RECIMG_ERR_INVALID_ARGUMENT = 1, /* a NULL pointer, an out-of-range parameter */
    RECIMG_ERR_OUT_OF_MEMORY = 2,
    RECIMG_ERR_UNSUPPORTED = 3,      /* valid request this build does not implement */
    RECIMG_ERR_BAD_MAGIC = 4,        /* not a .rec file */
    RECIMG_ERR_BAD_VERSION = 5,      /* a .rec version this build cannot read */
    RECIMG_ERR_TRUNCATED = 6,        /* the data ends before the file does */
    RECIMG_ERR_CORRUPT = 7,          /* a header field or the payload is invalid */
    RECIMG_ERR_CHECKSUM = 8,         /* CRC-32 mismatch */
    RECIMG_ERR_LIMIT = 9,            /* image or input larger than the configured limit */
    RECIMG_ERR_INTERNAL = 10,        /* a library bug or an FFTW failure */
    RECIMG_ERR_SAMPLER_LIMIT = 11    /* encoder: a REC rejection sampler (gprs-bnb, gprs, pfr)
                                        reached its step cap on a coefficient; the input is
                                        valid, another sampler (uq, lrq) can encode it */
} recimg_status;

/* A static, human-readable description of a status ("unknown status" for
 * values outside the enum). Never NULL. */
const char *recimg_strerror(recimg_status status);

/* The library version as "MAJOR.MINOR.PATCH". */
const char *recimg_version_string(void);

/* Coding mode of the coefficient stage (stored in the file). */
typedef enum {
    RECIMG_MODE_ROUND = 0,  /* deterministic uniform quantization + entropy coding */
    RECIMG_MODE_REC = 1     /* relative entropy coding (channel simulation) */
} recimg_mode;

/* Channel simulator for RECIMG_MODE_REC (stored in the file; NONE in round mode). */
typedef enum {
    RECIMG_SAMPLER_NONE = 0,
    RECIMG_SAMPLER_LRQ = 1,       /* layered randomized quantizer (exact Gaussian) */
    RECIMG_SAMPLER_GPRS_BNB = 2,  /* branch-and-bound greedy Poisson rejection sampling */
    RECIMG_SAMPLER_GPRS = 3,      /* global GPRS */
    RECIMG_SAMPLER_PFR = 4,       /* Poisson functional representation */
    RECIMG_SAMPLER_UQ = 5,        /* universal (dithered) quantization, uniform noise */
    RECIMG_SAMPLER_BLOCK = 6      /* fixed-budget block simulator (approximate) */
} recimg_sampler;

/* Chroma handling for RGB input (gray input always has one plane). */
typedef enum {
    RECIMG_CHROMA_420 = 0,
    RECIMG_CHROMA_444 = 1
} recimg_chroma;

/* How the decoder reconstructs coefficients. */
typedef enum {
    RECIMG_DECODE_DEFAULT = 0,  /* MMSE */
    RECIMG_DECODE_MMSE = 1,     /* round: bin conditional mean under the prior;
                                   rec: E[y | K, W], the prior's mean on [X - W, X + W] */
    RECIMG_DECODE_CENTER = 2,   /* round: bin centre; rec: X (the centre of [X - W, X + W]),
                                   prior mean for zero-bit coefficients */
    RECIMG_DECODE_SAMPLE = 3,   /* rec: the simulated sample X itself (zero-bit coefficients:
                                   a private draw from the prior); round: a private draw from
                                   the prior inside the bin */
    RECIMG_DECODE_REALISM = 4   /* knob A (recimg_decoder_params.realism): rec:
                                   (1-A) MMSE + A rho X with rho = sqrt(v / (v + sigma^2));
                                   round: (1-A) MMSE + A (a private draw inside the bin) */
} recimg_decode_mode;

/* An 8-bit image, interleaved, row-major, rows packed (stride = width*channels). */
typedef struct {
    uint32_t width, height;
    uint32_t channels;    /* 1 = gray, 3 = RGB */
    uint8_t *pixels;      /* width*height*channels bytes */
} recimg_image;

/* recimg_encoder_params.matrix_id: the mode's default step matrix (see there). */
#define RECIMG_MATRIX_DEFAULT 255u

/* Default limits. */
#define RECIMG_DEFAULT_MAX_PIXELS ((uint64_t)1 << 28)
#define RECIMG_DEFAULT_MAX_INPUT_SIZE ((uint64_t)1 << 31)

/* Valid ranges; tools query these rather than hard-coding them. */
void recimg_quality_range(double *min_quality, double *max_quality);   /* 0, 100 */
void recimg_realism_range(double *min_realism, double *max_realism);   /* 0, 1 */

/* ------------------------------------------------------------------ encoder */

typedef struct {
    recimg_mode mode;        /* default RECIMG_MODE_ROUND */
    double quality;          /* 0 (smallest) .. 100 (best); default 75. Non-integers allowed. */
    recimg_chroma chroma;    /* default RECIMG_CHROMA_420 */
    recimg_sampler sampler;  /* REC only (NONE = the default sampler, uq); must be NONE in round mode */
    uint32_t transform_id;   /* default 1 (orthonormal DCT-II); 2 learned KLT, 3 learned
                                separable, 4 custom (transform_file), 5 learned rd
                                (sparsity-refined DCT); docs/TRANSFORMS.md */
    uint64_t seed;           /* shared-randomness seed stored in the file (REC); default fixed */
    int threads;             /* 0 = automatic; output bytes never depend on it */
    uint64_t max_pixels;     /* refuse larger images; default RECIMG_DEFAULT_MAX_PIXELS */
    /* Step matrix and chroma step. matrix_id: 0 flat, 1 gentle slope (16 + 2(u+v))/16,
       2 JPEG Annex K luminance shape, or RECIMG_MATRIX_DEFAULT (the default) = the
       mode's: the flat matrix 0 when the file gets the mode's deadzone (rec: the deadzone
       uq, i.e. sampler uq, rec_uq_deadzone 1 and the closed-form coder; round:
       round_deadzone 1), matrix 1 otherwise (since session 9; docs/REC_CODEC.md "Flat
       matrix defaults (session 9)"). With matrix 0, explicit or by default, the step of a
       quality is multiplied by 25/16 (round) or 23/16 (rec), so that a quality keeps about
       matrix 1's rate. chroma_step_scale: the chroma step multiplier, 0.25..16, or 0 = the
       default for the file's matrix: round 0.85 with matrix 1 or 2, 0.60 with matrix 0;
       rec 0.65 with matrix 1 or 2, 0.55 with matrix 0. So matrix_id 1 gives the files of
       before session 9 and matrix_id 0 those of the default. The file stores the resolved
       matrix, step and chroma step; no decoder depends on these rules. */
    uint32_t matrix_id;
    double chroma_step_scale;
    /* REC: zero-bit rule threshold tau in bits (0..16; 0 = code every
       coefficient; -1 = the sampler's measured default: 0.12 (uq, gprs-bnb, gprs, pfr),
       lrq 0.15, block 0.16);
       coefficients whose predicted channel information is below tau are
       reconstructed from the prior at zero bits. */
    double rec_zero_bits;
    /* REC, experiments: 1 = code bin indices with the original window coder
       (header flags 0, as every file before the closed-form coder); 0 (default)
       = the closed-form coder (flags bit 0x01, docs/FORMAT.md). */
    int rec_legacy_bin_coder;
    /* learned-transform: with transform_id 4, the bytes of a .rtx transform file
       (docs/TRANSFORMS.md). recimg_encoder_create validates them
       (RECIMG_ERR_INVALID_ARGUMENT when invalid; recimg_transform_file_check says
       why) and keeps its own copy; every .rec then carries the matrix in 16-bit
       fixed point, unless the matrix is one this build knows (the DCT or a
       built-in learned transform), which the file then names by its id.
       Must be NULL/0 for every other transform id. */
    const uint8_t *transform_file;
    size_t transform_file_size;
    /* REC with sampler uq: 1 (default) = header flag 0x02, the decoder reconstructs
       bins away from the prior mean under a wider Laplace (docs/FORMAT.md); 0 =
       without it, as files made before it. The payload is the same either way.
       Ignored by the other samplers and in round mode. */
    int rec_uq_far_bin;
    /* REC: 1 (default) = header flag 0x04, the payload starts with the skip-energy
       table (8 bytes), which tells the sample and realism decoders how much energy
       the luma coefficients the zero-bit rule skipped had, per band group
       (docs/FORMAT.md); 0 = without it, as files made before it. The plane streams
       are the same either way. Ignored in round mode. */
    int rec_skip_energy;
    /* REC: 1 (default) = header flag 0x08, the short-chain coding revision (issue 8,
       docs/FORMAT.md and docs/SPEED.md "Speed pass 8"): the in-block gain from a table
       on the bits of its two sums, and the closed-form bin coder's edge exponentials
       from a table, in place of rec_exp / rec_log. Different bits, the same rate and
       quality within noise, fewer instructions. 0 = without it, as files made before
       it. Ignored in round mode. */
    int rec_fast_chain;
    /* REC with sampler uq: 1 = context model v4 (header prior id 4): after each luma
       block's DC the encoder codes a level that scales the block's AC prior scales by
       1, 0.7 or 2, chosen by trying each (docs/REC_CODEC.md "Block flag": about 0.5-0.9
       point of BD-rate, for about 2.5x the encoder's instructions; `recimg compress
       --effort 2`); 0 (default) = v3 (prior id 3), the fast encoder. Ignored by the
       other samplers (the recimg command refuses --effort 2 with them) and in round
       mode. */
    int rec_block_flag;
    /* Round mode: 1 (default) = context model v5 (header prior id 5): the rounding
       baseline's AC prior scales times the in-block gain of REC's context model v3, from
       the block's AC indices coded so far (docs/FORMAT.md "Payload of the round mode";
       about 0.8% less rate on TRAIN, docs/REC_CODEC.md); 0 = v1 (prior id 1), as files
       made before it. Ignored in rec mode. */
    int round_block_gain;
    /* Round mode: 1 (default since session 8) = header flags2 bit 0x800 (a version-2
       file), the AC cells with a prior-adaptive deadzone that the decoder knows
       (docs/REC_CODEC.md "Decoder-aware deadzone"; about 2% less rate on all 8 test
       images, like for like with REC's default deadzone uq); 0 = plain rounding, version-1
       files as before. Ignored in rec mode. */
    int round_deadzone;
    /* Both modes: 1 (default) = header flag 0x40, the payload carries the reconstruction table
       (5 to 41 bytes after the skip-energy table): per class of coded coefficient
       (plane, band group, cell type) a bias the encoder measured, which the mmse and
       realism decoders add to their estimate, clamped into the coefficient's cell
       (docs/FORMAT.md, docs/REC_CODEC.md "Reconstruction table"); 0 = without it,
       as files made before it. The plane streams are the same either way;
       centre and sample decoding ignore it. */
    int recon_table;
    /* REC with sampler uq: 1 (default) = header flag 0x20, the block dither stream
       (issue 8, docs/FORMAT.md and docs/SPEED.md "Speed pass 11"): each coded
       coefficient's dither comes from one Philox block per 8x8 block and a SplitMix64
       sub-stream instead of a Philox block of its own. Different bits, the same rate
       and quality within noise, fewer instructions. 0 = without it, as files made
       before it. Ignored by the other samplers and in round mode. */
    int rec_block_dither;
    /* REC with sampler uq: 1 (default) = header flags2 bit 0x400 (a version-2 file), the
       deadzone uq (docs/FORMAT.md, docs/REC_CODEC.md "Deadzone uq"): each AC coefficient
       with a small prior scale b is quantized with a deadzone d(b) that both sides know
       (still an exact channel with shared randomness), and the context model learns from
       the cell's second moment. Different bits; on TRAIN 3 points of BD-rate. 0 = without
       it, as files made before it. Ignored by the other samplers, in round mode and with
       rec_legacy_bin_coder. */
    int rec_uq_deadzone;
    /* With rec_uq_deadzone: 1 = header flags2 bit 0x1000, decoder only (the payload is the
       same): the sample and realism decoders draw a deadzone-coded AC coefficient from its
       prior restricted to its cell with their private randomness instead of using the
       cell's centre (docs/FORMAT.md, docs/REC_CODEC.md "Deadzone uq"); mmse and center
       decoding are unchanged. 0 (default) = without it: on TRAIN the draws lowered DCT-W1
       a little but cost 0.5-1 dB of PSNR and raised SWD at A = 1. Ignored wherever the file
       does not get flags2 bit 0x400. */
    int rec_uq_dz_draw;
    /* With rec_uq_deadzone: 1 (default) = header flags2 bit 0x2000, the deadzone's d and
       tail from a table on the prior scale b (docs/FORMAT.md "Deadzone", docs/SPEED.md
       "Speed pass 16"): fewer instructions per coded coefficient, d within 2% of the
       0x400 rule's. Different bits. 0 = the 0x400 rule, as files made before it. */
    int rec_dz_fast_rule;
} recimg_encoder_params;

/* Per-encode figures, filled by recimg_encode when a pointer is given. */
typedef struct {
    uint64_t bytes;          /* whole file */
    uint64_t payload_bytes;  /* coefficient payload */
    double kl_bits;          /* REC: sum over coded coefficients of KL(Q || P_X) of the simulated
                                channels, P_X the sample's marginal under the Laplace prior
                                (numerical), bits; 0 in round mode. Computing it costs time:
                                pass stats = NULL when not needed. */
    uint64_t coded, skipped; /* REC: coefficients coded / reconstructed at zero bits */
    double payload_bits;     /* 8 * payload_bytes */
    double step;             /* global step (round) or noise level (rec) actually used */
    /* REC block sampler (approximate, docs/REC_CODEC.md): groups of low-information
       coefficients simulated jointly, groups the encoder sent through uq instead,
       the raw index bits of the simulated groups, and the retained fraction
       sum (X - m)(y - m) / sum (y - m)^2 over the coefficients of the simulated groups
       that had index bits (m the prior mean; 1 for an unbiased channel, smaller when
       the samples lean towards the prior; a group without index bits decodes to a
       prior draw and is left out; 0 when there is none). */
    uint64_t block_groups, block_escapes;
    double block_index_bits;
    double block_retained;
} recimg_encode_stats;

/* Fills p with defaults. p must not be NULL. */
void recimg_encoder_params_default(recimg_encoder_params *p);

typedef struct recimg_encoder recimg_encoder;

/* Validates p and creates an encoder. RECIMG_ERR_INVALID_ARGUMENT on an
 * out-of-range field; RECIMG_ERR_UNSUPPORTED for a mode, sampler or transform
 * this build does not implement. */
recimg_status recimg_encoder_create(const recimg_encoder_params *p, recimg_encoder **out);

/* Changes the quality of an existing encoder (used by rate control). */
recimg_status recimg_encoder_set_quality(recimg_encoder *enc, double quality);

/* Compresses img. On success *out is a recimg_free()-able buffer of *out_size
 * bytes holding a complete .rec file; stats (may be NULL) receives figures.
 * Images of 1..2^32-1 pixels per side are accepted up to max_pixels. */
recimg_status recimg_encode(recimg_encoder *enc, const recimg_image *img,
                            uint8_t **out, size_t *out_size, recimg_encode_stats *stats);

/* Releases an encoder; NULL is a no-op. */
void recimg_encoder_free(recimg_encoder *enc);

/* ------------------------------------------------------------------ decoder */

typedef struct {
    recimg_decode_mode decode;  /* default RECIMG_DECODE_DEFAULT (MMSE) */
    double realism;             /* A in [0,1] for RECIMG_DECODE_REALISM; default 1 */
    uint64_t private_seed;      /* decoder-private randomness (realism sampling) */
    int threads;                /* 0 = automatic; output never depends on it */
    uint64_t max_pixels;        /* default RECIMG_DEFAULT_MAX_PIXELS */
    uint64_t max_input_size;    /* default RECIMG_DEFAULT_MAX_INPUT_SIZE bytes */
} recimg_decoder_params;

void recimg_decoder_params_default(recimg_decoder_params *p);

typedef struct recimg_decoder recimg_decoder;

recimg_status recimg_decoder_create(const recimg_decoder_params *p, recimg_decoder **out);

/* Decodes a whole .rec file. On success out->pixels is a recimg_free()-able
 * buffer. The header is validated (every field, limits, CRC-32) before any
 * allocation sized by it. */
recimg_status recimg_decode(recimg_decoder *dec, const uint8_t *data, size_t size,
                            recimg_image *out);

void recimg_decoder_free(recimg_decoder *dec);

/* ------------------------------------------------------------------ info */

/* The header fields of a .rec file (docs/FORMAT.md). */
typedef struct {
    uint32_t version;
    uint32_t width, height;
    uint32_t channels;        /* 1 or 3 */
    recimg_chroma chroma;     /* meaningful when channels == 3 */
    uint32_t transform_id;
    recimg_mode mode;
    recimg_sampler sampler;
    uint32_t matrix_id;       /* per-band step matrix */
    uint32_t step_code;       /* global step (round) / noise level (rec) in 1/1024 units */
    uint32_t chroma_scale_code; /* chroma step multiplier in 1/256 units */
    double quality;           /* informational: the quality the encoder was asked for */
    double rec_zero_bits;     /* REC zero-bit rule threshold (bits) */
    uint64_t seed;
    uint64_t payload_size;
    uint32_t crc32;
    uint32_t flags;           /* header flags (docs/FORMAT.md: byte 27 in bits 0..7, version 2's
                                 flags2 in bits 8..31) */
    uint32_t prior_id;        /* context model: 1, 2, 3 or 4 (docs/FORMAT.md byte 25) */
} recimg_info;

/* Parses and validates the header and checks the CRC; allocates nothing. */
recimg_status recimg_read_info(const uint8_t *data, size_t size, recimg_info *info);

/* learned-transform: validates the bytes of a .rtx transform file (for
 * recimg_encoder_params.transform_file). RECIMG_OK when usable; otherwise
 * RECIMG_ERR_CORRUPT (or INVALID_ARGUMENT for NULL data) and, when msg is not
 * NULL, a one-line reason in msg (msg_size bytes, NUL-terminated). */
recimg_status recimg_transform_file_check(const uint8_t *data, size_t size, char *msg,
                                          size_t msg_size);

/* Releases a buffer returned by the library; NULL is a no-op. */
void recimg_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
