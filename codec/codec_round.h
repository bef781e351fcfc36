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

/* Inverse: writes reconstructed coefficients to coef. center != 0 selects bin
 * centres instead of conditional means. Returns RECIMG_ERR_CORRUPT on an
 * impossible value or a range-decoder error. */
recimg_status recimg_round_decode_plane(rec_rc_decoder *dec, recimg_ctx *ctx, double *coef,
                                        uint32_t bw, uint32_t bh, const double step[64],
                                        int center);

#endif
