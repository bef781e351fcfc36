/* rec/rec_index.c - codes for the outputs of the rejection samplers, through rec_rc.
 *
 * 1. Index code for pfr and gprs (a Zeta-type code).  The selected index K >= 1 is coded
 *    with the discrete Pareto law P(K >= k) = k^-beta, which behaves like the Zeta law
 *    P(K = k) ~ k^-(1 + beta) used in the literature (Li & El Gamal 2018: exponent
 *    1 + 1/(I + log2(e)/e + 1) for PFR; Flamich 2023: 1 + 1/(I + 1) for GPRS) and has a
 *    convenient binary decomposition: the octave b = floor(log2 K) is geometric,
 *    P(K >= 2^(b+1) | K >= 2^b) = 2^-beta for every b, so it is coded in unary with one fixed
 *    probability; the bits under the leading one are coded by binary splitting with the
 *    exact conditional probabilities expm1(-beta ln(mid/lo)) / expm1(-beta ln(hi/lo)) for
 *    the first REC_RS_ZETA_MODEL_BITS of them and raw below (there the law is flat to
 *    within 2^-8 relative, costing < 0.001 bit).  beta comes from the decoder-known s only.
 *
 * 2. Heap-path model for gprs-bnb.  At each node the decoder knows the node interval
 *    (lo, hi), its sample X and s.  Two binary decisions per node:
 *    - stop (accept here) or continue: adaptive bit models in contexts of the information
 *      bucket of s, the node interval's shape (depth for the unbounded intervals of the
 *      first steps, else the half-octave of width / s: acceptance happens when the interval
 *      has shrunk to about the width of Q) and the centrality of the sample under the
 *      prior of the mode (min(P_left, P_right) of the direction model, 4 buckets: a sample
 *      far out in the mode's likely range is rarely accepted).
 *    - direction: the mode x* of r is left or right of X.  In the Gaussian channel setting
 *      (and in the codec, whose P is the marginal of the sample) mu ~ N(0, 1 - s^2), hence
 *      x* = mu / (1 - s^2) ~ N(0, 1 / (1 - s^2)); the bit is coded with the probability of
 *      that prior restricted to (lo, hi), a fixed (non-adaptive) probability computed with
 *      rec_Phi on z = x sqrt(1 - s^2), floored at REC_RS_DIR_PMIN / 65536.
 *    The path thus costs about the information of x*'s location down to the width of Q.
 */
#include <math.h> /* isfinite */
#include <stddef.h>
#include <string.h> /* memcpy */

#include "rec.h"
#include "rec_rs_internal.h"

#define LN2 0.69314718055994530942

static uint32_t quantize_p0(double p0, uint32_t pmin)
{
    double q = p0 * 65536.0 + 0.5;
    uint32_t v;
    if (!(q >= (double)pmin))
        return pmin;
    if (q > (double)(65536u - pmin))
        return 65536u - pmin;
    v = (uint32_t)q;
    return v;
}

static unsigned octave_of(uint64_t k)
{
    unsigned b = 0;
    while (k >> 1) {
        k >>= 1;
        b++;
    }
    return b;
}

/* P(stop at this octave) = 1 - 2^-beta */
static uint32_t octave_p0(double beta)
{
    return quantize_p0(-rec_expm1(-beta * LN2), 16u);
}

/* P(K < mid | lo <= K < hi) under P(K >= k) = k^-beta */
static uint32_t split_p0(double beta, double lo, double mid, double hi)
{
    const double num = rec_expm1(-beta * rec_log1p((mid - lo) / lo));
    const double den = rec_expm1(-beta * rec_log1p((hi - lo) / lo));
    return quantize_p0(den != 0.0 ? num / den : 0.5, 16u);
}

void rec_rs_zeta_encode(rec_rc_encoder *enc, double beta, uint64_t k)
{
    const unsigned b = octave_of(k);
    const uint32_t p_oct = octave_p0(beta);
    uint64_t lo, span;
    unsigned j, left;

    for (j = 0; j < b; j++)
        rec_rc_encode_bit_p(enc, p_oct, 1);
    rec_rc_encode_bit_p(enc, p_oct, 0);
    lo = (uint64_t)1 << b;
    span = lo; /* [lo, lo + span) */
    left = b;
    for (j = 0; j < REC_RS_ZETA_MODEL_BITS && left > 0; j++, left--) {
        const uint64_t half = span >> 1;
        const int bit = k >= lo + half;
        rec_rc_encode_bit_p(enc, split_p0(beta, (double)lo, (double)(lo + half),
                                          (double)(lo + span)), bit);
        if (bit)
            lo += half;
        span = half;
    }
    while (left > 0) {
        const unsigned nb = left > 16 ? 16 : left;
        left -= nb;
        rec_rc_encode_bits(enc, (uint32_t)((k >> left) & (((uint64_t)1 << nb) - 1)), nb);
    }
}

uint64_t rec_rs_zeta_decode(rec_rc_decoder *dec, double beta)
{
    const uint32_t p_oct = octave_p0(beta);
    uint64_t lo, span, k;
    unsigned b = 0, j, left;

    while (rec_rc_decode_bit_p(dec, p_oct)) {
        if (++b > 62 || rec_rc_decoder_error(dec))
            return 0;
    }
    lo = (uint64_t)1 << b;
    span = lo;
    left = b;
    for (j = 0; j < REC_RS_ZETA_MODEL_BITS && left > 0; j++, left--) {
        const uint64_t half = span >> 1;
        if (rec_rc_decode_bit_p(dec, split_p0(beta, (double)lo, (double)(lo + half),
                                              (double)(lo + span))))
            lo += half;
        span = half;
    }
    k = lo;
    while (left > 0) {
        const unsigned nb = left > 16 ? 16 : left;
        left -= nb;
        k |= (uint64_t)rec_rc_decode_bits(dec, nb) << left;
    }
    return k;
}

double rec_rs_zeta_bits(double beta, uint64_t k)
{
    /* -log2(k^-beta - (k+1)^-beta) */
    const double lk = rec_log((double)k);
    const double m = -rec_expm1(-beta * rec_log1p(1.0 / (double)k));
    return (beta * lk - rec_log(m)) / LN2;
}

/* ---- heap-path model -------------------------------------------------------------------- */

unsigned rec_rs_path_ibucket(double s)
{
    /* I = -log2 s against 0.25, 0.75, 1.5, 3, 6 bits, compared on s (no logarithm) */
    if (s > 0.84089641525371454) /* 2^-0.25 */
        return 0;
    if (s > 0.59460355750136053) /* 2^-0.75 */
        return 1;
    if (s > 0.35355339059327376) /* 2^-1.5 */
        return 2;
    if (s > 0.125)
        return 3;
    if (s > 0.015625)
        return 4;
    return 5;
}

/* floor(2 log2 v) for finite v > 0, from the IEEE-754 bits (exact, no libm): the exponent,
 * plus one when the mantissa is at least sqrt(2). */
static int half_octave(double v)
{
    uint64_t b;
    int e;
    double m;
    memcpy(&b, &v, sizeof b);
    e = (int)((b >> 52) & 0x7ff);
    if (e == 0) /* subnormal: far below every bucket */
        return -2100;
    b = (b & ~((uint64_t)0x7ff << 52)) | ((uint64_t)1023 << 52); /* mantissa in [1, 2) */
    memcpy(&m, &b, sizeof m);
    return 2 * (e - 1023) + (m >= 1.4142135623730951);
}

unsigned rec_rs_path_stop_ctx(unsigned depth, double lo, double hi, double s, uint32_t dir_p0)
{
    const uint32_t q = dir_p0 < 32768u ? dir_p0 : 65536u - dir_p0; /* in [0, 32768] */
    const unsigned qb = q < 1311u ? 0 : q < 6554u ? 1 : q < 16384u ? 2 : 3; /* .02 .1 .25 */
    unsigned wb;

    if (!isfinite(lo) && !isfinite(hi)) {
        wb = 0;
    } else if (!isfinite(lo) || !isfinite(hi)) {
        wb = 1 + (depth - 1 < 4 ? depth - 1 : 4); /* depth >= 1 here: 1..5 */
    } else {
        const double r = (hi - lo) / s;
        int b = r > 0.0 && isfinite(r) ? half_octave(r) : -11;
        if (b < -11)
            b = -11;
        if (b > 10)
            b = 10;
        wb = (unsigned)(6 + (b + 11)); /* 6..27 */
    }
    return wb * 4 + qb;
}

/* N(0,1) mass between two points given their z values and tail masses F = Phi(z),
 * G = 1 - Phi(z), using whichever tail is accurate. */
static double tail_mass(double lo_z, double lo_F, double lo_G, double hi_z, double hi_F,
                        double hi_G)
{
    if (lo_z >= 0.0)
        return lo_G - hi_G;
    if (hi_z <= 0.0)
        return hi_F - lo_F;
    return 1.0 - lo_F - hi_G;
}

uint32_t rec_rs_path_dir_p0(double lo_z, double lo_F, double lo_G, double x_z, double x_F,
                            double x_G, double hi_z, double hi_F, double hi_G)
{
    double ml = tail_mass(lo_z, lo_F, lo_G, x_z, x_F, x_G);
    double mr = tail_mass(x_z, x_F, x_G, hi_z, hi_F, hi_G);
    if (ml < 0.0)
        ml = 0.0;
    if (mr < 0.0)
        mr = 0.0;
    if (!(ml + mr > 0.0))
        return 32768u;
    return quantize_p0(ml / (ml + mr), REC_RS_DIR_PMIN);
}

rec_status rec_rs_global_decode(double s, double (*beta_of)(double s), const rec_key *key,
                                rec_rc_decoder *dec, double *x)
{
    rec_rs_target t;
    rec_status st;
    uint64_t k;

    if (key == NULL || dec == NULL || x == NULL)
        return REC_ERR_INVALID_ARG;
    st = rec_rs_target_init(&t, 0.0, s);
    if (st != REC_OK)
        return st;
    k = rec_rs_zeta_decode(dec, beta_of(s));
    if (k == 0 || rec_rc_decoder_error(dec))
        return REC_ERR_CORRUPT;
    *x = rec_prng_normal(rec_key_u64(key, 0), REC_RS_STREAM_X, k);
    return REC_OK;
}
