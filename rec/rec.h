/* rec/rec.h - public umbrella header of the rec library (channel simulation).
 *
 * rec depends on nothing else in recimg and can be used on its own.  It
 * provides, each in its own header included here:
 *   rec_rc.h    binary range coder (adaptive/fixed bits, frequency symbols)
 *   rec_math.h  deterministic exp/log/expm1/log1p/Phi/Phi_inv (+ - * / sqrt only)
 *   rec_prng.h  counter-based PRNG keyed by (seed, stream, index)
 *   rec_fast.h  table-driven e^(-a) and ratio powers (short dependency chains)
 * and, declared below, the channel simulators:
 *   uq     universal (dithered) quantization, uniform noise, exact
 *   lrq    layered randomized quantization, Gaussian noise, exact, O(1)
 *   block  fixed-budget simulator for a vector of Gaussians, APPROXIMATE
 *   pfr, gprs, gprs-bnb   rejection samplers (section "rejection samplers")
 *
 * Conventions for every simulator (see docs/REC.md):
 *   - encode(target, prior, key, range encoder) -> sample (+ diagnostics);
 *     decode(prior, key, range decoder) -> the same sample, bit for bit.
 *     The decoder is never given the target.
 *   - All shared values are computed with rec_math and rec_prng only, so
 *     encoder and decoder agree across compilers and optimisation levels.
 *   - Errors are returned as rec_status; nothing asserts on input.
 *   - Functions are reentrant; no global mutable state.
 */
#ifndef REC_REC_H
#define REC_REC_H

#include <stddef.h>
#include <stdint.h>

#include "rec_fast.h"
#include "rec_math.h"
#include "rec_prng.h"
#include "rec_rc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes.  Values are stable (they may be stored or compared by
 * callers); new codes are only ever appended. */
typedef enum {
    REC_OK = 0,
    REC_ERR_INVALID_ARG = 1,  /* NULL pointer, non-finite or out-of-range parameter */
    REC_ERR_STEP_CAP = 2,     /* the simulator hit its cap on steps/proposals */
    REC_ERR_NOMEM = 3,        /* an allocation failed */
    REC_ERR_CORRUPT = 4,      /* the range decoder reported a corrupt or short stream */
    REC_ERR_UNBOUNDED = 5,    /* target not dominated by the prior (s >= 1) */
    REC_ERR_UNSUPPORTED = 6   /* a feature or sampler that is not available */
} rec_status;

/* A static English description of a status; never NULL (unknown codes give
 * "unknown status"). */
const char *rec_strerror(rec_status status);

/* Key of the randomness shared by encoder and decoder for one coded item
 * (one coefficient, one block).  Simulators draw their shared randomness
 * from rec_prng with PRNG index  index * REC_KEY_DRAWS + j  (j = 0, 1, ...,
 * j < REC_KEY_DRAWS) in the given stream, so distinct items of one stream
 * never share a draw.  index must be below REC_KEY_INDEX_LIMIT. */
typedef struct {
    uint64_t seed;
    uint64_t stream;
    uint64_t index;
} rec_key;

#define REC_KEY_DRAWS ((uint64_t)1 << 16)
#define REC_KEY_INDEX_LIMIT ((uint64_t)1 << 48)

/* Draw j of a key as 64 random bits / a uniform in (0, 1).  j must be below
 * REC_KEY_DRAWS (it is reduced modulo REC_KEY_DRAWS otherwise). */
uint64_t rec_key_u64(const rec_key *key, uint64_t j);
double rec_key_uniform(const rec_key *key, uint64_t j);
/* Both 64-bit halves of the Philox block of draw j (out[0] == rec_key_u64). */
void rec_key_u64x2(const rec_key *key, uint64_t j, uint64_t out[2]);

/* ======================================================================
 * Scalar quantizer simulators (uq, lrq)
 * ====================================================================== */

/* Prior of the source value y (NOT of the sample X): the decoder's model of
 * y before it reads the code.  Gaussian: N(mean, scale^2); Laplace: density
 * exp(-|y - mean| / scale) / (2 scale).  scale must be finite and > 0. */
typedef enum { REC_PRIOR_GAUSSIAN = 0, REC_PRIOR_LAPLACE = 1 } rec_prior_family;

typedef struct {
    rec_prior_family family;
    double mean;
    double scale;
} rec_prior;

/* Shared draws of one quantizer coefficient, identical in encoder and
 * decoder (they depend only on the key and the noise parameter).
 * uq:  u in (-1/2, 1/2), step = delta, half_width = delta / 2.
 * lrq: u in (-1/2, 1/2), half_width = W = sigma * chi_3, step = 2W.
 * After coding, y lies in [x - half_width, x + half_width] (closed, up to
 * rounding of x), which an MMSE decoder may use. */
typedef struct {
    double u;
    double half_width;
    double step;
} rec_quant_draws;

/* Revision of the bin coder (rec_quant.c).
 * WINDOW (0): the original exact-pmf coder (window, buckets, search).
 * CLOSED (1): closed-form integer CDF of the Laplace prior (rec_quant_code_bin_cf);
 *             different bits, about the same rate, far fewer instructions.
 * FAST (2):   CLOSED with every edge exponential from rec_exp_neg_fast (rec_fast.h)
 *             instead of rec_exp: a shorter dependency chain, different bits
 *             (.rec header flag 0x08 with 0x01). */
typedef enum { REC_QUANT_REV_WINDOW = 0, REC_QUANT_REV_CLOSED = 1, REC_QUANT_REV_FAST = 2 } rec_quant_rev;

/* The prior's tail exponentials at the coded bin's two edges, as the CLOSED
 * coder computed them for its counts: with z the standardized edge
 * (edge - mean) / scale of a Laplace prior, e = rec_exp(-|z|) (revision FAST:
 * rec_exp_neg_fast(|z|)).  `known` is 0
 * when the coder did not compute them (revision WINDOW, a Gaussian prior, an
 * escaped bin, or the coder's fallback to WINDOW); a caller then computes what
 * it needs itself.  Encoder and decoder always agree on every field. */
typedef struct {
    int known;
    double e_lo, e_hi;    /* lower edge, upper edge */
} rec_quant_edges;

/* Result of one quantizer encode/decode. */
typedef struct {
    double x;              /* the sample: x = step * (k - u) */
    int64_t k;             /* the bin index coded */
    rec_quant_draws draws;
    rec_quant_edges edges; /* filled by the *_rev functions (known = 0 otherwise) */
} rec_quant_result;

/* uq: universal (dithered) quantization with step delta > 0.
 * x - y ~ Unif(-delta/2, delta/2) exactly, independent of y.
 * K = round(y / delta + u) is coded with the pmf of y's prior discretized at
 * offset u (exact integer CDF, floor of one count per bin, escape for
 * tails).  Encode returns REC_ERR_INVALID_ARG for non-finite y, delta <= 0
 * or non-finite, a bad prior, or key->index >= REC_KEY_INDEX_LIMIT, and
 * REC_ERR_NOMEM if the range encoder has failed.  Decode returns the same x
 * and k as the encoder, or REC_ERR_CORRUPT when the decoder's sticky error
 * is set afterwards. */
rec_status rec_uq_draws(double delta, const rec_key *key, rec_quant_draws *out);
rec_status rec_uq_encode(double y, double delta, const rec_prior *prior, const rec_key *key,
                         rec_rc_encoder *enc, rec_quant_result *out);
rec_status rec_uq_decode(double delta, const rec_prior *prior, const rec_key *key,
                         rec_rc_decoder *dec, rec_quant_result *out);

/* lrq: layered randomized quantization with Gaussian noise N(0, sigma^2).
 * x - y ~ N(0, sigma^2) exactly, independent of y.  Shared W = sigma * chi_3
 * and u; step 2W; K = round(y / (2W) + u).  K is coded with the pmf of y's
 * prior over the bins of width 2W at offset u.  Same errors as uq (sigma in
 * place of delta). */
rec_status rec_lrq_draws(double sigma, const rec_key *key, rec_quant_draws *out);
rec_status rec_lrq_encode(double y, double sigma, const rec_prior *prior, const rec_key *key,
                          rec_rc_encoder *enc, rec_quant_result *out);
rec_status rec_lrq_decode(double sigma, const rec_prior *prior, const rec_key *key,
                          rec_rc_decoder *dec, rec_quant_result *out);

/* Low level, for codecs that draw once and code separately: code bin k of
 * width `step` at offset u under the prior (what uq and lrq call).  Decode
 * returns the bin index. */
rec_status rec_quant_code_bin(rec_rc_encoder *enc, int64_t k, double step, double u,
                              const rec_prior *prior);
rec_status rec_quant_decode_bin(rec_rc_decoder *dec, double step, double u,
                                const rec_prior *prior, int64_t *k);

/* Revision CLOSED of the two above (rec_quant.c, "closed-form coder"): for a
 * Laplace prior every bin edge's cumulative count is a closed-form function of
 * the prior CDF at that edge alone, so the encoder evaluates two exponentials
 * and the decoder inverts the CDF analytically and checks the candidate with
 * the same counts.  Priors it does not cover (Gaussian; windows that could
 * exceed REC_QUANT_CF_NMAX bins, i.e. steps below about 1/42 of the scale) are
 * coded exactly as
 * by rec_quant_code_bin (revision WINDOW), which both sides decide from
 * (step, u, prior) alone.  *edges receives the coded bin's edge exponentials
 * (see rec_quant_edges); it may be NULL.  Same errors as the WINDOW coder. */
#define REC_QUANT_CF_NMAX 1024
rec_status rec_quant_code_bin_cf(rec_rc_encoder *enc, int64_t k, double step, double u,
                                 const rec_prior *prior, rec_quant_edges *edges);
rec_status rec_quant_decode_bin_cf(rec_rc_decoder *dec, double step, double u,
                                   const rec_prior *prior, int64_t *k, rec_quant_edges *edges);
/* Revision FAST: rec_quant_code_bin_cf / _decode_bin_cf with E(k) =
 * rec_exp_neg_fast(|z(k)|) (rec_fast.h) in place of rec_exp(-|z(k)|); everything
 * else (window, counts, escapes, fallback to WINDOW) as CLOSED. */
rec_status rec_quant_code_bin_fast(rec_rc_encoder *enc, int64_t k, double step, double u,
                                   const rec_prior *prior, rec_quant_edges *edges);
rec_status rec_quant_decode_bin_fast(rec_rc_decoder *dec, double step, double u,
                                     const rec_prior *prior, int64_t *k, rec_quant_edges *edges);

/* The closed-form coder (fast = 0: revision CLOSED, 1: FAST) for the deadzone uq
 * (.rec flags2 0x400, codec/codec_deadzone.h): the bin of g = mean + sign(y - mean)
 * max(0, |y - mean| - d) under g's prior (1 - tail) delta_mean + tail Laplace(mean,
 * scale), tail = e^(-d / scale) in (0, 1]: every edge exponential E(k) of the coder
 * is tail * E(k) (the y-cell edge's), everything else as rec_quant_code_bin_cf /
 * _fast; edges->e_lo, e_hi are those products. tail = 1 is exactly the plain coder.
 * A prior the closed form does not cover is REC_ERR_INVALID_ARG unless tail = 1. */
rec_status rec_quant_code_bin_tail(rec_rc_encoder *enc, int64_t k, double step, double u,
                                   const rec_prior *prior, int fast, double tail, rec_quant_edges *edges);
rec_status rec_quant_decode_bin_tail(rec_rc_decoder *dec, double step, double u, const rec_prior *prior,
                                     int fast, double tail, int64_t *k_out, rec_quant_edges *edges);

/* uq and lrq with a chosen coder revision (rec_uq_encode etc. are revision
 * WINDOW); out->edges as for rec_quant_code_bin_cf. */
rec_status rec_uq_encode_rev(rec_quant_rev rev, double y, double delta, const rec_prior *prior,
                             const rec_key *key, rec_rc_encoder *enc, rec_quant_result *out);
rec_status rec_uq_decode_rev(rec_quant_rev rev, double delta, const rec_prior *prior,
                             const rec_key *key, rec_rc_decoder *dec, rec_quant_result *out);
/* uq with the dither given instead of drawn from a key (header flag 0x20 of .rec
 * files draws it from a per-block sub-stream, rec_prng.h): u must lie in
 * (-1/2, 1/2) and be shared by both sides; otherwise exactly rec_uq_encode_rev /
 * rec_uq_decode_rev (which are these with u = rec_uq_draws' u), the same errors
 * (REC_ERR_INVALID_ARG also for u outside (-1/2, 1/2) or NaN). */
rec_status rec_uq_encode_dither(rec_quant_rev rev, double y, double delta, double u, const rec_prior *prior,
                                rec_rc_encoder *enc, rec_quant_result *out);
rec_status rec_uq_decode_dither(rec_quant_rev rev, double delta, double u, const rec_prior *prior,
                                rec_rc_decoder *dec, rec_quant_result *out);
/* uq at the unit step REC_UQ_UNIT_STEP = sqrt(12) (noise of variance 1), coder revision
 * FAST, the dither u given, under the Laplace prior (mean, scale): exactly
 * rec_uq_encode_dither / rec_uq_decode_dither(REC_QUANT_REV_FAST, ..., REC_UQ_UNIT_STEP,
 * u, &prior {REC_PRIOR_LAPLACE, mean, scale}, ...): the same bytes, the same *out and
 * the same errors, in one call with the step's reciprocal folded (speed, issue 8: the
 * .rec codec's default uq path). */
#define REC_UQ_UNIT_STEP 3.46410161513775458705
rec_status rec_uq_unit_encode_fast(rec_rc_encoder *enc, double y, double u, double mean, double scale,
                                   rec_quant_result *out);
rec_status rec_uq_unit_decode_fast(rec_rc_decoder *dec, double u, double mean, double scale,
                                   rec_quant_result *out);
/* The deadzone uq's twins of the two above (speed, issue 8): g (the companded value,
 * codec/codec_deadzone.h) coded with the bin coder's factor tail in (0, 1]; exactly
 * rec_quant_code_bin_tail(enc, floor(g / REC_UQ_UNIT_STEP + u + 1/2), REC_UQ_UNIT_STEP,
 * u, &prior, 1, tail, &out->edges) / rec_quant_decode_bin_tail(dec, REC_UQ_UNIT_STEP, u,
 * &prior, 1, tail, &out->k, &out->edges) (the same bytes, k and edges), with *out's
 * other fields as rec_uq_unit_encode_fast / _decode_fast fill them (x and draws of the
 * bin of g, not of the y-cell: the caller forms the cell) and their argument checks
 * besides; tail outside (0, 1] or NaN is REC_ERR_INVALID_ARG. tail = 1 is exactly
 * rec_uq_unit_encode_fast / _decode_fast. */
rec_status rec_uq_unit_encode_fast_tail(rec_rc_encoder *enc, double g, double u, double mean, double scale,
                                        double tail, rec_quant_result *out);
rec_status rec_uq_unit_decode_fast_tail(rec_rc_decoder *dec, double u, double mean, double scale, double tail,
                                        rec_quant_result *out);
rec_status rec_lrq_encode_rev(rec_quant_rev rev, double y, double sigma, const rec_prior *prior,
                              const rec_key *key, rec_rc_encoder *enc, rec_quant_result *out);
rec_status rec_lrq_decode_rev(rec_quant_rev rev, double sigma, const rec_prior *prior,
                              const rec_key *key, rec_rc_decoder *dec, rec_quant_result *out);

/* ======================================================================
 * block: fixed-budget simulator for a vector of Gaussians  -- APPROXIMATE
 * ====================================================================== */

/* Minimal random coding (MIRACLE, Havasi et al. 2019; DESIGN.md 3.5):
 * N = 2^(kappa + t) shared candidates are drawn from the product prior
 * P = prod N(p_mean[i], p_sd[i]^2); the encoder picks candidate n with
 * probability proportional to the density ratio dQ/dP at it (Gumbel-max
 * with encoder-private noise) and sends n in kappa + t raw bits.
 * Q = prod N(q_mean[i], q_sd[i]^2).
 *
 * NOT EXACT: the sample follows Q only as N -> infinity.  With
 * KL(Q || P) near kappa bits the selected sample is biased towards the prior;
 * e.g. d = 64, Q = N(mu, I), KL = 16 bits, t = 0 keeps about 84% of the
 * mean along mu (measured by `recimg sim --sampler block`, see docs/REC.md).
 * Callers must report it as approximate.
 *
 * Limits: 1 <= d <= REC_BLOCK_MAX_DIM, kappa + t <= REC_BLOCK_MAX_LOG2N,
 * key->index < 2^32 (the block's draws use PRNG indices index * 2^32 + j).
 * Cost: N * d normal draws to encode, d to decode.
 */
#define REC_BLOCK_MAX_DIM 256u
#define REC_BLOCK_MAX_LOG2N 24u

typedef struct {
    uint64_t index;     /* candidate chosen */
    unsigned log2_n;    /* kappa + t: bits written */
    double kl_bits;     /* KL(Q || P) of the block */
} rec_block_info;

rec_status rec_block_encode(size_t d, const double *q_mean, const double *q_sd,
                            const double *p_mean, const double *p_sd, unsigned kappa,
                            unsigned t, const rec_key *key, rec_rc_encoder *enc, double *x_out,
                            rec_block_info *info);
/* Reads kappa + t bits and regenerates the chosen candidate into x_out. */
rec_status rec_block_decode(size_t d, const double *p_mean, const double *p_sd, unsigned kappa,
                            unsigned t, const rec_key *key, rec_rc_decoder *dec, double *x_out);

/* ======================================================================
 * Rejection samplers (pfr, gprs, gprs-bnb)
 * Owned by the rec-rs helper: declarations go between the markers below.
 * ====================================================================== */
/* BEGIN rejection samplers (rec-rs) */
#define REC_HAVE_REJECTION_SAMPLERS 1
/* Exact channel simulators that select one of many shared proposals (docs/REC.md):
 *   pfr       Poisson functional representation (Li & El Gamal 2018), global bound;
 *             code: the index K of the selected proposal.
 *   gprs      global greedy Poisson rejection sampling (Flamich 2023); code: index N.
 *   gprs-bnb  branch-and-bound GPRS, split on sample (Flamich 2023); code: the heap path.
 * They work in standardized coordinates: prior P = N(0,1), target Q = N(mu, s^2).
 * In the codec P is the Gaussian marginal of the sample, so s^2 = sigma^2 / (v + sigma^2)
 * is known to the decoder (it depends only on the prior scale and the channel noise);
 * mu is not.  Code parameters depend only on s:  pfr and gprs code the index with a
 * Zeta-type code whose exponent is set from I = -log2 s (the mutual information of the
 * Gaussian channel, DESIGN 2); gprs-bnb codes its path with an adaptive model (below).
 *
 * Randomness: an item's draws come from rec_prng keyed by rec_key_u64(key, 0), so any
 * number of proposals is available per key and the key's own draws 1.. are unused.
 *
 * Runtime: pfr and gprs examine on average exp(D_inf) proposals, D_inf = -ln s +
 * mu^2 / (2 (1 - s^2)) (unbounded in mu: use the step cap); gprs-bnb draws about
 * 1.34 I + 1 samples in the Gaussian channel setting and at most 111 on any target.
 *
 * Common errors: REC_ERR_INVALID_ARG for NULL pointers, non-finite mu or s, s <= 0, a
 * target whose geometry overflows double, or max_steps == 0; REC_ERR_UNBOUNDED for finite
 * s >= 1 (the density ratio is unbounded: no rejection sampler terminates);
 * REC_ERR_STEP_CAP when the encoder needs more than max_steps proposals (gprs-bnb: also
 * beyond depth 110), in which case nothing has been written to enc; REC_ERR_CORRUPT from a
 * decoder whose range decoder reports an error or that reads an impossible code.  An
 * allocation failure inside enc surfaces at rec_rc_encoder_finish.  Encoders accept
 * enc == NULL (simulate only, nothing coded; gprs-bnb then also accepts model == NULL).
 */
typedef struct {
    double x;        /* the sample (standardized unless the entry point says otherwise) */
    uint64_t steps;  /* proposals examined (pfr) or samples drawn (gprs, gprs-bnb) */
    uint64_t code;   /* the index K >= 1 (pfr, gprs) or heap index H >= 1 (gprs-bnb) */
} rec_rs_result;

/* pfr: selects K = argmin_k T_k / r(X_k) over shared X_k ~ N(0,1); stops once
 * T_n / sup r exceeds the best ratio.  E[steps] = exp(D_inf).  Zeta exponent
 * 1 + 1/(I + log2(e)/e + 1).  Decode returns the standardized sample in *x. */
rec_status rec_pfr_encode(double mu, double s, const rec_key *key, uint64_t max_steps,
                          rec_rc_encoder *enc, rec_rs_result *out);
rec_status rec_pfr_decode(double s, const rec_key *key, rec_rc_decoder *dec, double *x);

/* gprs: accepts the first shared X_n ~ N(0,1) with T_n < sigma(r(X_n)), sigma the stretch
 * function (computed by bounds and adaptive quadrature).  E[steps] = exp(D_inf).
 * Zeta exponent 1 + 1/(I + 1). */
rec_status rec_gprs_encode(double mu, double s, const rec_key *key, uint64_t max_steps,
                           rec_rc_encoder *enc, rec_rs_result *out);
rec_status rec_gprs_decode(double s, const rec_key *key, rec_rc_decoder *dec, double *x);

/* gprs-bnb path model: adaptive stop/continue bits in contexts of (I bucket, depth, width
 * of the node interval relative to s, centrality of the sample); the direction bits use a fixed probability from
 * the channel-setting prior of the mode, x* ~ N(0, 1/(1 - s^2)).  Encoder and decoder
 * each keep one model, initialised identically and fed the same sequence of items; a
 * codec may keep one per band or one per image.  Plain data: copy or memset-free reuse
 * after rec_gprs_bnb_model_init. */
#define REC_BNB_IBUCKETS 6
#define REC_BNB_STOP_CTX 112
typedef struct {
    rec_rc_bit_model stop[REC_BNB_IBUCKETS][REC_BNB_STOP_CTX];
} rec_gprs_bnb_model;

void rec_gprs_bnb_model_init(rec_gprs_bnb_model *m);

/* gprs-bnb: B = R, T = 0; repeat: T += Exp(1)/P(B), X ~ P|B (node-keyed inverse CDF);
 * accept if T < sigma(r(X)), else keep the side of X that holds the mode.  The decoder
 * replays the path and needs neither sigma nor mu.  max_steps caps the samples drawn
 * (the depth cap 111 applies in any case).  model may not be NULL when coding.
 * out->code is the heap index modulo 2^64 (exact below depth 64). */
rec_status rec_gprs_bnb_encode(double mu, double s, const rec_key *key, uint64_t max_steps,
                               rec_gprs_bnb_model *model, rec_rc_encoder *enc,
                               rec_rs_result *out);
rec_status rec_gprs_bnb_decode(double s, const rec_key *key, rec_gprs_bnb_model *model,
                               rec_rc_decoder *dec, double *x);

/* Unstandardized entry points: prior N(m, v_p) (v_p > 0), target N(mu_q, s_q^2).  They
 * standardize with s = s_q / sqrt(v_p) and mu = (mu_q - m) / sqrt(v_p) and return
 * x = m + sqrt(v_p) * x_std (out->x / *x unstandardized).  The decoder computes s the
 * same way, so it must be given the same m, v_p and s_q bits as the encoder. */
typedef enum { REC_RS_PFR = 0, REC_RS_GPRS = 1, REC_RS_GPRS_BNB = 2 } rec_rs_sampler;

rec_status rec_rs_encode_gauss(rec_rs_sampler sampler, double m, double v_p, double mu_q,
                               double s_q, const rec_key *key, uint64_t max_steps,
                               rec_gprs_bnb_model *model, rec_rc_encoder *enc,
                               rec_rs_result *out);
rec_status rec_rs_decode_gauss(rec_rs_sampler sampler, double m, double v_p, double s_q,
                               const rec_key *key, rec_gprs_bnb_model *model,
                               rec_rc_decoder *dec, double *x);

/* The GPRS stretch function sigma(h) for the standardized target (mu, s), to relative
 * accuracy rel_tol (clamped to >= 1e-13); +inf for h >= sup r, NaN on invalid input.
 * For tools and tests; the encoders decide T < sigma(h) without computing it in full. */
double rec_gprs_stretch(double mu, double s, double h, double rel_tol);
/* END rejection samplers (rec-rs) */

#ifdef __cplusplus
}
#endif

#endif /* REC_REC_H */
