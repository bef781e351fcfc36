/* REC mode's coefficient stage: every coefficient y gets the posterior
 * Q = N(y, sigma^2) (or the uniform channel of the same variance for uq), the
 * shared context model gives the prior of y, and a channel simulator from rec/
 * draws the sample X with randomness keyed by the file's seed. */
#ifndef CODEC_CODEC_REC_H
#define CODEC_CODEC_REC_H

#include "codec_ctx.h"
#include "codec_recon.h"
#include "rec.h"
#include "recimg.h"

#include <stdint.h>

/* Skip-energy table (header flag 0x04, docs/FORMAT.md): the zigzag indices 1..63 fall
 * into RECIMG_SKIP_GROUPS band groups; per group the file carries one signed byte q in
 * [-RECIMG_SKIP_Q_MAX, RECIMG_SKIP_Q_MAX]: the sample and realism decoders multiply the
 * scale of the luma plane's skipped-coefficient draws in that group by
 * 2^(q / RECIMG_SKIP_Q_PER_LOG2). */
#define RECIMG_SKIP_GROUPS 8
#define RECIMG_SKIP_Q_MAX 96
#define RECIMG_SKIP_Q_PER_LOG2 16.0

/* Band group of zigzag index zz (1..63; 0 for zz = 0, which is never skipped). */
int recimg_skip_group(int zz);

/* A draw of Laplace(0, b) restricted to [lo, hi] (lo < hi, b > 0; sigma units) by the inverse
 * CDF of a uniform u in (0, 1), with rec_math only (the decoder's pixels must not depend on
 * the build): the deadzone uq's decoder-private draw in its y-cell (flags2 0x1000,
 * docs/FORMAT.md). The result lies in [lo, hi] and is non-decreasing in u. */
double recimg_dz_draw(double lo, double hi, double b, double u);

typedef struct {
    recimg_sampler sampler;     /* LRQ, UQ, GPRS_BNB, GPRS, PFR or BLOCK (recimg_rec_sampler_supported) */
    uint64_t seed;              /* shared randomness (from the file) */
    uint32_t plane;             /* PRNG stream */
    double skip_bits;           /* zero-bit rule threshold tau (bits); 0 = off */
    const double *sigma;        /* [64] channel noise sd per raster band */
    int want_kl;                /* encoder: compute stats->kl_bits (costly) */
    double group_info_hi;       /* block sampler: I_hi in bits (tests and experiments);
                                   0 = the format's value (codec_rec.c GROUP_I_HI) */
    double stat_weight;         /* w of the context cell statistic w e^2 (codec_rec.c):
                                   2 for prior id 1, 1.5 for prior ids 2 and 3 (docs/FORMAT.md) */
    rec_quant_rev quant_rev;    /* bin coder of uq / lrq: WINDOW (header flags 0), CLOSED
                                   (flags bit 0x01) or FAST (0x01 with 0x08); positional
                                   initializers that stop before it get WINDOW */
    int skip_draw_wide;         /* decoder only: a skipped coefficient's private draw (sample,
                                   realism) is Laplace(b_r) if 0 (prior id 1, chroma planes,
                                   initializers that stop before it), Laplace(b_s) if 1, b_s =
                                   sqrt(2 b_r^2 + (1 / sigma_k)^2) (luma plane of prior id 2 on;
                                   codec_rec.c skip_draw_b, docs/FORMAT.md) */
    int block_gain;             /* 1 (prior id 3): AC prior scales times the in-block gain
                                   (codec_rec.c, block_gain); 0 (prior ids 1, 2, initializers
                                   that stop before it): none */
    int uq_far_bin;             /* header flag 0x02 (uq only), decoder only: bins that do not
                                   hold the prior mean are reconstructed under the Laplace
                                   scale max(b, 1) (codec_rec.c far_bin_estimate); 0 in
                                   initializers that stop before it */
    int skip_energy;            /* header flag 0x04, luma plane. Encoder: accumulate
                                   stats->skip_num/den. Decoder: a skipped coefficient's
                                   private draw is scaled by skip_scale[recimg_skip_group(zz)].
                                   0 in initializers that stop before it (draws unscaled). */
    double skip_scale[RECIMG_SKIP_GROUPS];   /* decoder, skip_energy only: recimg_skip_scale(q) */
    int fast_chain;             /* header flag 0x08: the in-block gain (block_gain) from
                                   rec_pow_table instead of rec_exp(beta rec_log(.)) (codec_rec.c);
                                   the bin coder's part of the flag is quant_rev = FAST.
                                   0 in initializers that stop before it */
    int block_flag;             /* 1 (prior id 4, luma plane, sampler uq): every block codes a
                                   level after its DC that scales its AC prior scales
                                   (codec_rec.c, "block flag"); 0 in initializers that stop
                                   before it. Needs block_gain. */
    int recon_table;            /* header flag 0x40. Encoder: accumulate stats->recon from every
                                   coefficient coded in place with a bin. 0 in initializers that
                                   stop before it */
    const double (*recon_zz)[2];   /* decoder (flag 0x40): the plane's corrections by [zz][cell
                                      type] (recimg_recon_table_expand) added to those
                                      coefficients' mmse / realism estimate (codec_rec.c
                                      recon_table_apply); NULL: none (no flag, or no entry for
                                      the plane's classes) */
    int block_dither;           /* header flag 0x20 (sampler uq): each coded coefficient's dither
                                   from its block's sub-stream (codec_rec.c block_dither_key,
                                   rec_prng_stream_uniform) instead of its own key's draw 0;
                                   0 in initializers that stop before it */
    int uq_deadzone;            /* flags2 0x400 (sampler uq): the deadzone uq of the AC
                                   coefficients (codec_deadzone.h); 0 in initializers that
                                   stop before it */
    int uq_dz_draw;             /* flags2 0x1000 (with uq_deadzone), decoder only: the sample and
                                   realism output of a deadzone-coded AC coefficient is a draw
                                   of its prior restricted to its y-cell from the decoder's
                                   private randomness (codec_rec.c dz_draw_output); 0 in
                                   initializers that stop before it */
    int dz_fast_rule;           /* flags2 0x2000 (with uq_deadzone): d and tail by
                                   recimg_dz_rule_fast instead of recimg_dz_rule; 0 in
                                   initializers that stop before it */
    int flat_matrix;            /* encoder, block_flag only: 1 when the header's step matrix is
                                   the flat matrix 0, whose level choice takes uq's slope
                                   lambda = 2 ln 2 sigma_0^2 (codec_rec.c FLAG_LAMBDA_FLAT); 0
                                   (also in initializers that stop before it) = FLAG_LAMBDA */
} recimg_rec_plane_params;

/* Tests (tests/codec/test_codec_rec_exact.c): what the encoder used for one coefficient
   coded in place (not one of the block sampler's groups), so that a test can check the
   decoded sample against that coefficient's channel; see recimg_rec_stats.trace. */
typedef struct {
    int coded;                  /* 1 once written: the fields below are set */
    double b, d;                /* prior scale and deadzone d (0: none; flags2 0x400), sigma units */
    double kl_bits;             /* the coefficient's share of kl_bits */
} recimg_rec_coef_trace;

typedef struct {
    double kl_bits;             /* sum over coded coefficients of KL(Q || P_X), P_X the Laplace prior
                                   convolved with the channel noise (numerical; want_kl only) */
    uint64_t coded, skipped;    /* coefficients coded / sent at zero bits */
    int want_kl;                /* input: compute kl_bits */
    /* block sampler: groups simulated jointly, groups sent through uq instead, the
       bits of the groups' indices, and over the coefficients of simulated groups with
       index bits sum (X - m)(y - m) and sum (y - m)^2 (their ratio is the retained
       fraction) */
    uint64_t groups, group_escapes;
    double group_bits, group_dot, group_norm2;
    /* skip_energy only, per band group: sum of |y| (sample units) over the skipped
       coefficients and sum of the scales b_s (sample units; E|draw| = b_s) of their
       draws without the table */
    double skip_num[RECIMG_SKIP_GROUPS], skip_den[RECIMG_SKIP_GROUPS];
    uint64_t block_levels[3];   /* block_flag only: blocks coded at each level */
    recimg_recon_acc recon;     /* recon_table only: the reconstruction table's sums */
    recimg_rec_coef_trace *trace;   /* tests, encoder with want_kl: NULL (the codec's own
                                       callers), or one entry per coefficient of the plane,
                                       trace[block * 64 + k] for raster block `block` of the
                                       plane and raster index k, written for every coefficient
                                       coded in place; the others are left as they were */
} recimg_rec_stats;

/* The encoder's table byte for one band group from its sums (rec_math only, so the
 * bytes do not depend on the compiler): round(RECIMG_SKIP_Q_PER_LOG2 log2(num / den)
 * + SKIP_Q_BIAS) (codec_rec.c) clamped to +-RECIMG_SKIP_Q_MAX; 0 when den is 0 (no
 * skipped coefficient). */
int recimg_skip_q(double num, double den);

/* The decoder's factor on the draws' scale for table byte q: 2^(q / RECIMG_SKIP_Q_PER_LOG2). */
double recimg_skip_scale(int q);

/* True if this build implements the sampler in the codec. */
int recimg_rec_sampler_supported(recimg_sampler s);

/* Adaptive state of one plane's coding beyond the context model (gprs-bnb's
 * path model and far-target flag, the block sampler's group escape flag),
 * carried across the calls for its rows. */
typedef struct {
    rec_gprs_bnb_model bnb;
    rec_rc_bit_model far;
    rec_rc_bit_model group_escape;
    int gain_table_ready;       /* gain_table filled (fast_chain planes, at their first rows) */
    rec_pow_table gain_table;   /* (ratio)^GAIN_BETA for the in-block gain (codec_rec.c) */
    rec_rc_bit_model flag[2][3];   /* block flag: [bit of the level][neighbours flagged] */
} recimg_rec_plane_state;

/* Fresh state for a plane (before its first rows). */
void recimg_rec_plane_state_init(recimg_rec_plane_state *ps);

/* Codes block rows [by0, by1) of a plane bw blocks across: the rows after
 * those of the previous call with the same enc, ctx and ps (a plane is coded
 * by calls over consecutive row ranges from row 0, ctx a fresh CONTINUOUS
 * model and ps fresh at the first). coef holds the rows' (by1 - by0) * bw
 * blocks, 64 raster-order coefficients each. stats accumulate. */
recimg_status recimg_rec_encode_rows(rec_rc_encoder *enc, recimg_ctx *ctx,
                                     recimg_rec_plane_state *ps, const double *coef, uint32_t bw,
                                     uint32_t by0, uint32_t by1,
                                     const recimg_rec_plane_params *pp, recimg_rec_stats *stats);

/* Decoder-side reconstruction choice. */
typedef struct {
    recimg_decode_mode mode;    /* MMSE (also DEFAULT/CENTER), SAMPLE or REALISM */
    double realism;             /* A in [0, 1] for REALISM */
    uint64_t private_seed;      /* decoder-private randomness (noise substitution) */
} recimg_rec_recon;

/* Inverse of recimg_rec_encode_rows: decodes block rows [by0, by1) into coef
 * (same layout). RECIMG_ERR_CORRUPT on an impossible code or a range-decoder
 * error. */
recimg_status recimg_rec_decode_rows(rec_rc_decoder *dec, recimg_ctx *ctx,
                                     recimg_rec_plane_state *ps, double *coef, uint32_t bw,
                                     uint32_t by0, uint32_t by1, const recimg_rec_plane_params *pp,
                                     const recimg_rec_recon *recon);

/* Whole-plane forms of the two above (fresh state, rows 0..bh). */
recimg_status recimg_rec_encode_plane(rec_rc_encoder *enc, recimg_ctx *ctx, const double *coef,
                                      uint32_t bw, uint32_t bh, const recimg_rec_plane_params *pp,
                                      recimg_rec_stats *stats);
recimg_status recimg_rec_decode_plane(rec_rc_decoder *dec, recimg_ctx *ctx, double *coef,
                                      uint32_t bw, uint32_t bh, const recimg_rec_plane_params *pp,
                                      const recimg_rec_recon *recon);

/* --stats' information of a deadzone uq coefficient (flags2 0x400; codec_rec.c
 * kl_bits_dz), in bits: E_u[-log2 P(y-cell)] under the prior Laplace(0, b), y and d in
 * sigma units (y relative to the prior mean), the dither u uniform. Exported for the test
 * against an independent integral (tests/codec/test_codec_rec_exact.c). The y-cell jumps
 * where an edge of g's bin crosses 0, so the average over the bin's lower edge l
 * (uniform on (g - D, g]) is split there: on l >= 0 and l <= -D, -ln P is linear in l and
 * the piece's midpoint is exact; on the piece -D < l < 0 (the cell holds 0) the rule is a
 * RECIMG_KL_DZ_POINTS-point midpoint rule, whose error is at most L^3 max|f''| / (24 N^2 D)
 * nats for a piece of length L (f = -ln P(l)). libm; encoder statistics only. */
#define RECIMG_KL_DZ_POINTS 64
double recimg_rec_kl_bits_dz(double y, double b, double d);

/* Mean of the Laplace(0, b) density truncated to [lo, hi] (lo < hi); uses rec_math. */
double recimg_laplace_trunc_mean(double lo, double hi, double b);
/* The same from the edge exponentials e_lo = e^(-|lo|/b), e_hi = e^(-|hi|/b) (the
 * closed-form bin coder's rec_quant_edges): no exponential of its own unless the
 * bin is a sliver or the exponentials underflowed (then recimg_laplace_trunc_mean). */
double recimg_laplace_trunc_mean_edges(double lo, double hi, double b, double e_lo, double e_hi);

#endif
