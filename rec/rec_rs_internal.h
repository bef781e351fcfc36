/* rec/rec_rs_internal.h - internals shared by the rejection samplers (pfr, gprs, gprs-bnb).
 *
 * Not a public header: the public entry points are in rec.h ("rejection samplers").
 * Everything here works in standardized coordinates, prior P = N(0,1), target
 * Q = N(mu, s^2), 0 < s < 1 (DESIGN.md section 2):
 *   log r(x) = D - a (x - x*)^2,  a = (1/s^2 - 1)/2,  x* = mu / (1 - s^2),
 *   D = D_inf = -log s + mu^2 / (2 (1 - s^2))  (nats).
 * The superlevel set {r >= eta} with eta = e^(D - t), t >= 0, is x* +- sqrt(t/a).
 */
#ifndef REC_REC_RS_INTERNAL_H
#define REC_REC_RS_INTERNAL_H

#include <stdint.h>

#include "rec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PRNG streams of a rejection-sampler item.  Each item derives a private 64-bit seed from
 * draw 0 of its rec_key (rec_key_u64(key, 0)); proposal / heap node n then uses
 * rec_prng_*(item_seed, REC_RS_STREAM_X, n) for its shared sample and
 * rec_prng_*(item_seed, REC_RS_STREAM_T, n) for the encoder's arrival time.  The time
 * stream is independent of the sample stream, as the algorithms require. */
#define REC_RS_STREAM_X UINT64_C(0x7265632d72732d78) /* "rec-rs-x" */
#define REC_RS_STREAM_T UINT64_C(0x7265632d72732d74) /* "rec-rs-t" */

/* Deepest heap node of gprs-bnb (node keys take the heap index's bits above 64 into the
 * PRNG stream, which has room for 55 of them). */
#define REC_RS_BNB_MAX_DEPTH 110

typedef struct {
    double mu, s;
    double a;     /* (1/s^2 - 1)/2 */
    double xs;    /* x*, the mode of r */
    double sxs;   /* s * x*: centre of {r >= eta} in Q-standardized units */
    double dinf;  /* D_inf = log sup r, nats */
} rec_rs_target;

/* Fills t for N(mu, s^2) against N(0,1).  Returns REC_OK, REC_ERR_INVALID_ARG (non-finite
 * mu or s, s <= 0, or a target so extreme that a or D_inf overflow) or REC_ERR_UNBOUNDED
 * (finite s >= 1: r is unbounded and no rejection sampler terminates). */
rec_status rec_rs_target_init(rec_rs_target *t, double mu, double s);

/* log r(x) in nats. */
double rec_rs_log_r(const rec_rs_target *t, double x);

/* Level-set quantities at eta = exp(D_inf - t), t >= 0 (DESIGN 3.2):
 * wp = w_P(eta), g = w_Q(eta) - eta * w_P(eta) (computed without cancellation near the
 * mode). */
void rec_rs_level(const rec_rs_target *t, double tlev, double eta, double *g, double *wp);

/* Counters of the acceptance tests, for benchmarks and tests. */
typedef struct {
    uint64_t tests;      /* calls of rec_rs_gprs_accept */
    uint64_t cheap;      /* decided without any level-set evaluation */
    uint64_t level_evals; /* evaluations of g (each 4 Phi or one 10-point quadrature) */
    uint64_t quads;      /* decisions that needed sigma by quadrature */
} rec_rs_stats;

/* Decides T < sigma(h) for h = exp(log_h), sigma the GPRS stretch function.  Exact up to
 * the floating-point accuracy of g: cheap bounds first (h <= sigma(h), and
 * sigma(h) <= -log(1 - h) for h < 1), then two-sided bounds from the convexity of g
 * (chord above g, tangents below it), refined at a few points, and sigma(h) by adaptive
 * Gauss-Kronrod quadrature only when those do not decide.  stats may be NULL. */
int rec_rs_gprs_accept(const rec_rs_target *t, double T, double log_h, rec_rs_stats *stats);

/* sigma(h) itself to relative accuracy rel_tol (>= 1e-13) by the quadrature; for tests
 * and tools.  Returns +inf when h >= sup r. */
double rec_rs_stretch(const rec_rs_target *t, double h, double rel_tol);

/* ---- index and heap-path codes (rec_index.c) ------------------------------------------ */

/* Zeta-type code for an index k >= 1 with P(K >= k) = k^-beta (beta > 0): the octave
 * floor(log2 k) in unary with continuation probability 2^-beta, then the bits below the
 * leading one by binary splitting with the exact conditional probabilities (the first
 * REC_RS_ZETA_MODEL_BITS of them; the rest raw).  beta must be computed identically by
 * encoder and decoder.  Decode returns 0 and leaves the range decoder's error to the caller
 * on an impossible octave (> 62). */
#define REC_RS_ZETA_MODEL_BITS 8
void rec_rs_zeta_encode(rec_rc_encoder *enc, double beta, uint64_t k);
uint64_t rec_rs_zeta_decode(rec_rc_decoder *dec, double beta);
/* The decoder of both global samplers (pfr, gprs): their code is the index K of the
 * selected shared proposal X_K ~ P, Zeta-coded with exponent 1 + beta_of(s); the decoder
 * reads K and regenerates X_K from the key.  Validates s like the encoders do. */
rec_status rec_rs_global_decode(double s, double (*beta_of)(double s), const rec_key *key,
                                rec_rc_decoder *dec, double *x);
/* Ideal code length -log2 P(K = k) of that model (for tests). */
double rec_rs_zeta_bits(double beta, uint64_t k);

/* Contexts of the heap-path model of gprs-bnb; see rec_index.c for the rationale.
 * ibucket: from the decoder-known information -log2 s; stop context: from the depth, the
 * width of the node interval relative to s, and how central the sample is under the
 * prior of the mode (dir_p0 of the direction bit). */
unsigned rec_rs_path_ibucket(double s);
unsigned rec_rs_path_stop_ctx(unsigned depth, double lo, double hi, double s, uint32_t dir_p0);
/* Fixed probability (units of 2^-16) that the mode x* lies left of the node sample, i.e. the
 * path goes left (heap child 2H), under the channel-setting prior x* ~ N(0, 1/(1-s^2)),
 * given the z = x * sqrt(1 - s^2) tail masses (F = Phi, G = 1 - Phi) of the node interval
 * ends and of the sample.  Clamped to [REC_RS_DIR_PMIN, 65536 - REC_RS_DIR_PMIN]. */
#define REC_RS_DIR_PMIN 48u
uint32_t rec_rs_path_dir_p0(double lo_z, double lo_F, double lo_G, double x_z, double x_F,
                            double x_G, double hi_z, double hi_F, double hi_G);

#ifdef __cplusplus
}
#endif

#endif /* REC_REC_RS_INTERNAL_H */
