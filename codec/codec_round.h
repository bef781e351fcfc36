/* The rounding baseline's coefficient stage: deterministic uniform
 * quantization (encoder only) and range coding of each bin index with the
 * probability the context model's Laplace prior gives that bin; the decoder
 * reconstructs at the bin's conditional mean under the prior (MMSE) or at
 * its centre. */
#ifndef CODEC_CODEC_ROUND_H
#define CODEC_CODEC_ROUND_H

#include "codec_ctx.h"
#include "codec_recon.h"
#include "rec_fast.h"
#include "rec_rc.h"
#include "recimg.h"

#include <stddef.h>
#include <stdint.h>

/* The deadzone's largest d (step units, header flags2 0x800): a zero AC cell is at most
   [-(1/2 + RECIMG_ROUND_DZ_MAX), 1/2 + RECIMG_ROUND_DZ_MAX] steps wide. */
#define RECIMG_ROUND_DZ_MAX 1.0

/* Largest |bin index| a stream may carry; larger decoded values are corrupt. */
#define RECIMG_ROUND_MAX_INDEX ((int32_t)1 << 22)

/* The rounding baseline's context model, from the header's prior id: 1 = v1 (the
 * context model's prediction as it is), 5 = v5 (v1 with the in-block gain of the AC
 * predictions, codec_round.c). */
typedef struct {
    int gain;             /* prior id 5 */
    int deadzone;         /* header flag 0x800: the AC cells' prior-adaptive deadzone */
    int dz_draw;          /* header flag 0x4000 (with 0x800): the zero cell's draw scale is
                             fitted for the deadzone's wider zero cell (codec_round.c) */
    rec_pow_table table;  /* the gain's factor (codec_round.c), filled for prior id 5 */
} recimg_round_model;

/* Fills m for prior id 1 or 5 (any other id: as 1; the header parser refuses them) and
   the header flags (RECIMG_FLAG_ROUND_DEADZONE; other bits are ignored). */
void recimg_round_model_init(recimg_round_model *m, uint32_t prior_id, uint32_t flags);

/* Codes block rows [by0, by1) of a plane of bw blocks across: the next rows
 * after those of the previous call on the same enc and ctx (a plane is coded
 * by calls over consecutive row ranges from row 0; ctx is a fresh DISCRETE
 * model for this plane at the first). coef holds the (by1 - by0) * bw blocks'
 * 64 coefficients each in raster order (v*8 + u); step[k] is the step of
 * raster band k; m the context model (recimg_round_model_init).
 * acc (may be NULL; header flag 0x40): the reconstruction table's sums of this plane
 * (chroma: a Cb or Cr plane) get every nonzero index's folded error. */
recimg_status recimg_round_encode_rows(rec_rc_encoder *enc, recimg_ctx *ctx, const double *coef,
                                       uint32_t bw, uint32_t by0, uint32_t by1,
                                       const double step[64], recimg_recon_acc *acc, int chroma,
                                       const recimg_round_model *m);

/* How the decoder reconstructs a bin (all modes decode the same indices). */
typedef struct {
    recimg_decode_mode mode;   /* MMSE/DEFAULT: conditional mean; CENTER: bin centre;
                                  SAMPLE: a draw from the prior inside the bin;
                                  REALISM: (1 - A) * mean + A * draw */
    double realism;            /* A */
    uint64_t private_seed;     /* decoder-private randomness for the draws */
    uint32_t plane;            /* PRNG stream offset */
    const double (*recon_zz)[2];   /* header flag 0x40: the plane's corrections by [zz][t]
                                      (recimg_recon_table_expand; t = |s| >= 2), added to MMSE's
                                      and REALISM's mean of nonzero bins; NULL: none */
} recimg_round_recon;

/* Decoding state of one plane carried across recimg_round_decode_rows calls. */
typedef struct {
    recimg_round_model model;
    recimg_round_recon rr;
    int fitted;                /* sample/realism: zero-bin scales fitted (bfit) */
    double bfit[64];           /* per zigzag band: upper limit of the zero bin's draw scale */
} recimg_round_dec_state;

/* Starts decoding a plane of bw x bh blocks whose stream is stream[0..size).
 * For the modes that draw (sample, realism > 0) this runs a first pass over
 * the whole stream, with a model of its own, that keeps only per-band index
 * counts, and fits the zero-bin scales from them (bounded memory at the cost
 * of decoding the plane twice; the other modes cost nothing here). Returns
 * RECIMG_ERR_CORRUPT when that pass finds the stream corrupt. */
recimg_status recimg_round_decode_begin(recimg_round_dec_state *ds, const recimg_round_model *m,
                                        const recimg_round_recon *rr, const uint8_t *stream,
                                        size_t size, uint32_t bw, uint32_t bh);

/* Inverse of recimg_round_encode_rows: decodes block rows [by0, by1) (the
 * rows after those of the previous call) and writes the reconstructed
 * coefficients of their blocks to coef. Returns RECIMG_ERR_CORRUPT on an
 * impossible value or a range-decoder error. */
recimg_status recimg_round_decode_rows(rec_rc_decoder *dec, recimg_ctx *ctx, double *coef,
                                       uint32_t bw, uint32_t by0, uint32_t by1,
                                       const double step[64], const recimg_round_dec_state *ds);

#endif
