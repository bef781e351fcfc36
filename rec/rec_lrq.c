/* rec/rec_lrq.c - layered randomized quantization with exact Gaussian noise
 * (DESIGN.md 3.4; the layered construction of Hegazy & Li, "Randomized
 * quantization with exact error distribution", 2022).
 *
 * N(0, sigma^2) is a mixture of uniforms on its superlevel sets [-W, W],
 * with W = sigma * chi_3 (Maxwell).  Shared draws per key:
 *   draw 0:  u = U_a - 1/2 (dither), U_b for chi^2_2 = -2 log U_b;
 *   draws 1, 2, ...: Marsaglia polar pairs (v1, v2) until 0 < s < 1, giving
 *            a squared normal v1^2 (-2 log s) / s;
 *   W = sigma * sqrt(chi^2_2 + N^2), step 2W.
 * K = floor(y / (2W) + u + 1/2), X = 2W (K - u): X - y ~ N(0, sigma^2)
 * exactly, independent of y.  K is coded with the prior's bin pmf.
 */
#include "rec.h"

#include <math.h> /* isfinite, sqrt (IEEE correctly rounded) */

static int64_t floor_i64(double v)
{
    int64_t i = (int64_t)v;
    if ((double)i > v)
        i--;
    return i;
}

rec_status rec_lrq_draws(double sigma, const rec_key *key, rec_quant_draws *out)
{
    uint64_t r[2], r4[4];
    double chi2, ub;
    uint64_t j;
    if (!key || !out || !(sigma > 0) || !isfinite(sigma) || key->index >= REC_KEY_INDEX_LIMIT)
        return REC_ERR_INVALID_ARG;
    /* draws 0 and 1 together: the first polar attempt succeeds with
     * probability pi/4 */
    rec_prng_u64x4(key->seed, key->stream, key->index * REC_KEY_DRAWS, r4);
    out->u = rec_prng_bits_to_uniform(r4[0]) - 0.5;
    ub = rec_prng_bits_to_uniform(r4[1]);
    r[0] = r4[2];
    r[1] = r4[3];
    for (j = 1; j < REC_KEY_DRAWS; j++) {
        double v1, v2, s;
        if (j > 1)
            rec_key_u64x2(key, j, r);
        v1 = 2.0 * rec_prng_bits_to_uniform(r[0]) - 1.0;
        v2 = 2.0 * rec_prng_bits_to_uniform(r[1]) - 1.0;
        s = v1 * v1 + v2 * v2;
        if (s < 1.0 && s > 0) {
            double lub, ls;
            rec_log_pair(ub, s, &lub, &ls);
            chi2 = -2.0 * lub;
            chi2 += (v1 * v1) * (-2.0 * ls / s);
            out->half_width = sigma * sqrt(chi2);
            out->step = 2.0 * out->half_width;
            return REC_OK;
        }
    }
    return REC_ERR_STEP_CAP; /* probability (1 - pi/4)^65535: never */
}

rec_status rec_lrq_encode_rev(rec_quant_rev rev, double y, double sigma, const rec_prior *prior,
                              const rec_key *key, rec_rc_encoder *enc, rec_quant_result *out)
{
    rec_status st;
    double v;
    if (!out || !enc || !isfinite(y))
        return REC_ERR_INVALID_ARG;
    st = rec_lrq_draws(sigma, key, &out->draws);
    if (st != REC_OK)
        return st;
    v = y / out->draws.step + out->draws.u + 0.5;
    if (!(v < 4e15 && v > -4e15))
        return REC_ERR_INVALID_ARG;
    out->k = floor_i64(v);
    out->x = out->draws.step * ((double)out->k - out->draws.u);
    out->edges.known = 0;
    if (rev == REC_QUANT_REV_CLOSED)
        return rec_quant_code_bin_cf(enc, out->k, out->draws.step, out->draws.u, prior, &out->edges);
    if (rev == REC_QUANT_REV_FAST)
        return rec_quant_code_bin_fast(enc, out->k, out->draws.step, out->draws.u, prior, &out->edges);
    return rec_quant_code_bin(enc, out->k, out->draws.step, out->draws.u, prior);
}

rec_status rec_lrq_decode_rev(rec_quant_rev rev, double sigma, const rec_prior *prior,
                              const rec_key *key, rec_rc_decoder *dec, rec_quant_result *out)
{
    rec_status st;
    if (!out || !dec)
        return REC_ERR_INVALID_ARG;
    st = rec_lrq_draws(sigma, key, &out->draws);
    if (st != REC_OK)
        return st;
    out->edges.known = 0;
    st = rev == REC_QUANT_REV_CLOSED
        ? rec_quant_decode_bin_cf(dec, out->draws.step, out->draws.u, prior, &out->k, &out->edges)
        : rev == REC_QUANT_REV_FAST
        ? rec_quant_decode_bin_fast(dec, out->draws.step, out->draws.u, prior, &out->k, &out->edges)
        : rec_quant_decode_bin(dec, out->draws.step, out->draws.u, prior, &out->k);
    out->x = out->draws.step * ((double)out->k - out->draws.u);
    return st;
}

rec_status rec_lrq_encode(double y, double sigma, const rec_prior *prior, const rec_key *key,
                          rec_rc_encoder *enc, rec_quant_result *out)
{
    return rec_lrq_encode_rev(REC_QUANT_REV_WINDOW, y, sigma, prior, key, enc, out);
}

rec_status rec_lrq_decode(double sigma, const rec_prior *prior, const rec_key *key,
                          rec_rc_decoder *dec, rec_quant_result *out)
{
    return rec_lrq_decode_rev(REC_QUANT_REV_WINDOW, sigma, prior, key, dec, out);
}
