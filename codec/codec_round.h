/* The rounding baseline's coefficient stage: deterministic uniform
 * quantization (encoder only) and range coding of each bin index with the
 * probability the context model's Laplace prior gives that bin; the decoder
 * reconstructs at the bin's conditional mean under the prior (MMSE) or at
 * its centre. */
#ifndef CODEC_CODEC_ROUND_H
#define CODEC_CODEC_ROUND_H

#include "codec_ctx.h"
#include "rec_rc.h"
#include "recimg.h"

#include <stdint.h>

/* Largest |bin index| a stream may carry; larger decoded values are corrupt. */
#define RECIMG_ROUND_MAX_INDEX ((int32_t)1 << 22)

/* Codes the nblocks = bw*bh blocks of one plane. coef holds each block's 64
 * coefficients in raster order (v*8 + u); step[k] is the step of raster band k.
 * ctx is a fresh DISCRETE model for this plane. */
recimg_status recimg_round_encode_plane(rec_rc_encoder *enc, recimg_ctx *ctx, const double *coef,
                                        uint32_t bw, uint32_t bh, const double step[64]);

/* How the decoder reconstructs a bin (all modes decode the same indices). */
typedef struct {
    recimg_decode_mode mode;   /* MMSE/DEFAULT: conditional mean; CENTER: bin centre;
                                  SAMPLE: a draw from the prior inside the bin;
                                  REALISM: (1 - A) * mean + A * draw */
    double realism;            /* A */
    uint64_t private_seed;     /* decoder-private randomness for the draws */
    uint32_t plane;            /* PRNG stream offset */
} recimg_round_recon;

/* Inverse: writes reconstructed coefficients to coef. Returns
 * RECIMG_ERR_CORRUPT on an impossible value or a range-decoder error. */
recimg_status recimg_round_decode_plane(rec_rc_decoder *dec, recimg_ctx *ctx, double *coef,
                                        uint32_t bw, uint32_t bh, const double step[64],
                                        const recimg_round_recon *rr);

#endif
