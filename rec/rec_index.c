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
 *      bucket of s and the node interval's shape: depth for the unbounded intervals of the
 *      first steps, else the half-octave of width / s.  Acceptance happens when the
 *      interval has shrunk to about the width of Q, so width / s is the natural predictor.
 *    - direction: the mode x* of r is left or right of X.  In the Gaussian channel setting
 *      (and in the codec, whose P is the marginal of the sample) mu ~ N(0, 1 - s^2), hence
 *      x* = mu / (1 - s^2) ~ N(0, 1 / (1 - s^2)); the bit is coded with the probability of
 *      that prior restricted to (lo, hi), a fixed (non-adaptive) probability computed with
 *      rec_Phi on z = x sqrt(1 - s^2), floored at REC_RS_DIR_PMIN / 65536.
 *    The path thus costs about the information of x*'s location down to the width of Q.
 */
#include <math.h> /* isfinite */
#include <stddef.h>

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
    const double info_bits = -rec_log(s) / LN2;
    if (info_bits < 0.25)
        return 0;
    if (info_bits < 0.75)
        return 1;
    if (info_bits < 1.5)
        return 2;
    if (info_bits < 3.0)
        return 3;
    if (info_bits < 6.0)
        return 4;
    return 5;
}

unsigned rec_rs_path_stop_ctx(unsigned depth, double lo, double hi, double s)
{
    double r;
    int b;

    if (!isfinite(lo) && !isfinite(hi))
        return 0;
    if (!isfinite(lo) || !isfinite(hi))
        return 1 + (depth - 1 < 4 ? depth - 1 : 4); /* depth >= 1 here: 1..5 */
    r = (hi - lo) / s;
    if (!(r > 0.0))
        return 6;
    r = 2.0 * rec_log(r) / LN2; /* half-octaves */
    if (r < -11.0)
        b = -11;
    else if (r >= 11.0)
        b = 10;
    else {
        b = (int)(r + 11.0) - 11; /* floor for r >= -11 */
    }
    return (unsigned)(6 + (b + 11)); /* 6..27 */
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
