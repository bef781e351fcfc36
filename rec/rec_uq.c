/* rec/rec_uq.c - universal (dithered) quantization (Ziv 1985; DESIGN.md 3.3).
 *
 * Shared dither u ~ Unif(-1/2, 1/2) from draw 0 of the key (first 64 bits);
 * K = round(y / delta + u) = floor(y / delta + u + 1/2); X = delta (K - u).
 * X - y ~ Unif(-delta/2, delta/2) exactly and independently of y.  K is
 * range coded with the prior's exact bin pmf at offset u (rec_quant.c), by the
 * window coder or (the *_rev functions with REC_QUANT_REV_CLOSED) the
 * closed-form coder.  The *_dither functions take u from the caller instead
 * (a per-block sub-stream, header flag 0x20; rec_prng.h).
 */
#include "rec.h"

#include <math.h> /* isfinite only */

static int64_t floor_i64(double v)
{
    int64_t i = (int64_t)v;
    if ((double)i > v)
        i--;
    return i;
}

rec_status rec_uq_draws(double delta, const rec_key *key, rec_quant_draws *out)
{
    if (!key || !out || !(delta > 0) || !isfinite(delta) || key->index >= REC_KEY_INDEX_LIMIT)
        return REC_ERR_INVALID_ARG;
    out->u = rec_prng_uniform(key->seed, key->stream, key->index * REC_KEY_DRAWS) - 0.5;   /* rec_key_uniform(key, 0) */
    out->step = delta;
    out->half_width = 0.5 * delta;
    return REC_OK;
}

/* The coding once the draws are known (both entry points below). */
static rec_status uq_encode_draws(rec_quant_rev rev, double y, const rec_prior *prior,
                                  rec_rc_encoder *enc, rec_quant_result *out)
{
    const double delta = out->draws.step;
    const double v = y / delta + out->draws.u + 0.5;
    if (!(v < 4e15 && v > -4e15))
        return REC_ERR_INVALID_ARG;
    out->k = floor_i64(v);
    out->x = delta * ((double)out->k - out->draws.u);
    out->edges.known = 0;
    if (rev == REC_QUANT_REV_CLOSED)
        return rec_quant_code_bin_cf(enc, out->k, delta, out->draws.u, prior, &out->edges);
    if (rev == REC_QUANT_REV_FAST)
        return rec_quant_code_bin_fast(enc, out->k, delta, out->draws.u, prior, &out->edges);
    return rec_quant_code_bin(enc, out->k, delta, out->draws.u, prior);
}

static rec_status uq_decode_draws(rec_quant_rev rev, const rec_prior *prior, rec_rc_decoder *dec,
                                  rec_quant_result *out)
{
    const double delta = out->draws.step;
    rec_status st;
    out->edges.known = 0;
    st = rev == REC_QUANT_REV_CLOSED
        ? rec_quant_decode_bin_cf(dec, delta, out->draws.u, prior, &out->k, &out->edges)
        : rev == REC_QUANT_REV_FAST
        ? rec_quant_decode_bin_fast(dec, delta, out->draws.u, prior, &out->k, &out->edges)
        : rec_quant_decode_bin(dec, delta, out->draws.u, prior, &out->k);
    out->x = delta * ((double)out->k - out->draws.u);
    return st;
}

rec_status rec_uq_encode_rev(rec_quant_rev rev, double y, double delta, const rec_prior *prior,
                             const rec_key *key, rec_rc_encoder *enc, rec_quant_result *out)
{
    rec_status st;
    if (!out || !enc || !isfinite(y))
        return REC_ERR_INVALID_ARG;
    st = rec_uq_draws(delta, key, &out->draws);
    if (st != REC_OK)
        return st;
    return uq_encode_draws(rev, y, prior, enc, out);
}

rec_status rec_uq_decode_rev(rec_quant_rev rev, double delta, const rec_prior *prior,
                             const rec_key *key, rec_rc_decoder *dec, rec_quant_result *out)
{
    rec_status st;
    if (!out || !dec)
        return REC_ERR_INVALID_ARG;
    st = rec_uq_draws(delta, key, &out->draws);
    if (st != REC_OK)
        return st;
    return uq_decode_draws(rev, prior, dec, out);
}

/* the draws of a given dither: those of rec_uq_draws with u in place of the key's */
static rec_status dither_draws(double delta, double u, rec_quant_draws *out)
{
    if (!(delta > 0) || !isfinite(delta) || !(u > -0.5 && u < 0.5))
        return REC_ERR_INVALID_ARG;
    out->u = u;
    out->step = delta;
    out->half_width = 0.5 * delta;
    return REC_OK;
}

rec_status rec_uq_encode_dither(rec_quant_rev rev, double y, double delta, double u, const rec_prior *prior,
                                rec_rc_encoder *enc, rec_quant_result *out)
{
    rec_status st;
    if (!out || !enc || !isfinite(y))
        return REC_ERR_INVALID_ARG;
    st = dither_draws(delta, u, &out->draws);
    if (st != REC_OK)
        return st;
    return uq_encode_draws(rev, y, prior, enc, out);
}

rec_status rec_uq_decode_dither(rec_quant_rev rev, double delta, double u, const rec_prior *prior,
                                rec_rc_decoder *dec, rec_quant_result *out)
{
    rec_status st;
    if (!out || !dec)
        return REC_ERR_INVALID_ARG;
    st = dither_draws(delta, u, &out->draws);
    if (st != REC_OK)
        return st;
    return uq_decode_draws(rev, prior, dec, out);
}

rec_status rec_uq_encode(double y, double delta, const rec_prior *prior, const rec_key *key,
                         rec_rc_encoder *enc, rec_quant_result *out)
{
    return rec_uq_encode_rev(REC_QUANT_REV_WINDOW, y, delta, prior, key, enc, out);
}

rec_status rec_uq_decode(double delta, const rec_prior *prior, const rec_key *key,
                         rec_rc_decoder *dec, rec_quant_result *out)
{
    return rec_uq_decode_rev(REC_QUANT_REV_WINDOW, delta, prior, key, dec, out);
}
