/* rec/rec_block.c - fixed-budget block simulator (APPROXIMATE).
 *
 * Minimal random coding (Havasi, Peharz & Hernandez-Lobato, "Minimal random
 * code learning", ICLR 2019; DESIGN.md 3.5).  N = 2^(kappa+t) candidates
 * Z_n ~ N(0, I_d) in prior-standardized coordinates come from the shared
 * PRNG; the encoder scores log r(Z_n) = sum_i z_i^2/2 - (z_i - mu_i)^2/(2 s_i^2)
 * (constants dropped), adds Gumbel noise -log E_n from an encoder-only
 * stream, and sends the argmax n in kappa + t raw bits.  The selected
 * candidate is distributed as the self-normalized importance resampling of
 * Q from N prior samples: biased towards P unless N >> 2^KL.
 *
 * Candidate draws: pairs of normals by Box-Muller from one Philox block
 * (two 52-bit uniforms) at PRNG index key->index * 2^32 + n * ceil(d/2) + i,
 * stream key->stream; cos/sin by octant reduction and Taylor series (only
 * + - * /), log by rec_log.  Encoder-private Gumbel noise uses the stream
 * key->stream ^ GUMBEL_STREAM_XOR (its values never reach the decoder).
 */
#include "rec.h"

#include <math.h> /* isfinite, sqrt */
#include <stdlib.h>

#define GUMBEL_STREAM_XOR 0x6A09E667F3BCC909ull
static const double PI_4 = 0.78539816339744830962;

/* cos and sin of phi in [0, pi/4]: Taylor series to degree 20/19 */
static void sincos_small(double phi, double *c, double *s)
{
    const double x2 = phi * phi;
    double pc = 1.0 / 2432902008176640000.0; /* 1/20! */
    double ps = 1.0 / 121645100408832000.0;  /* 1/19! */
    pc = 1.0 / 6402373705728000.0 - x2 * pc; /* 1/18! */
    ps = 1.0 / 355687428096000.0 - x2 * ps;  /* 1/17! */
    pc = 1.0 / 20922789888000.0 - x2 * pc;
    ps = 1.0 / 1307674368000.0 - x2 * ps;
    pc = 1.0 / 87178291200.0 - x2 * pc;
    ps = 1.0 / 6227020800.0 - x2 * ps;
    pc = 1.0 / 479001600.0 - x2 * pc;
    ps = 1.0 / 39916800.0 - x2 * ps;
    pc = 1.0 / 3628800.0 - x2 * pc;
    ps = 1.0 / 362880.0 - x2 * ps;
    pc = 1.0 / 40320.0 - x2 * pc;
    ps = 1.0 / 5040.0 - x2 * ps;
    pc = 1.0 / 720.0 - x2 * pc;
    ps = 1.0 / 120.0 - x2 * ps;
    pc = 1.0 / 24.0 - x2 * pc;
    ps = 1.0 / 6.0 - x2 * ps;
    pc = 0.5 - x2 * pc;
    *c = 1.0 - x2 * pc;
    *s = phi - phi * x2 * ps;
}

/* cos and sin of 2 pi v, v in (0, 1), by octants */
static void sincos_2pi(double v, double *c, double *s)
{
    const double v8 = 8.0 * v;
    const int o = (int)v8;
    const double f = v8 - o;
    double c0, s0;
    sincos_small(((o & 1) ? 1.0 - f : f) * PI_4, &c0, &s0);
    switch (o & 7) {
    case 0: *c = c0; *s = s0; break;
    case 1: *c = s0; *s = c0; break;
    case 2: *c = -s0; *s = c0; break;
    case 3: *c = -c0; *s = s0; break;
    case 4: *c = -c0; *s = -s0; break;
    case 5: *c = -s0; *s = -c0; break;
    case 6: *c = s0; *s = -c0; break;
    default: *c = c0; *s = -s0; break;
    }
}

/* Candidate n's standardized coordinates into z[0..d). */
static void candidate(const rec_key *key, uint64_t n, size_t d, double *z)
{
    const uint64_t pairs = (d + 1) / 2;
    const uint64_t base = (key->index << 32) + n * pairs;
    size_t i;
    for (i = 0; i < d; i += 2) {
        uint64_t r[2];
        double rad, c, s;
        rec_prng_u64x2(key->seed, key->stream, base + i / 2, r);
        rad = sqrt(-2.0 * rec_log(rec_prng_bits_to_uniform(r[0])));
        sincos_2pi(rec_prng_bits_to_uniform(r[1]), &c, &s);
        z[i] = rad * c;
        if (i + 1 < d)
            z[i + 1] = rad * s;
    }
}

static rec_status check_common(size_t d, const double *p_mean, const double *p_sd, unsigned kappa,
                               unsigned t, const rec_key *key)
{
    size_t i;
    if (d < 1 || d > REC_BLOCK_MAX_DIM || !p_mean || !p_sd || !key ||
        kappa + t > REC_BLOCK_MAX_LOG2N || kappa > REC_BLOCK_MAX_LOG2N ||
        key->index >= ((uint64_t)1 << 32))
        return REC_ERR_INVALID_ARG;
    for (i = 0; i < d; i++)
        if (!isfinite(p_mean[i]) || !(p_sd[i] > 0) || !isfinite(p_sd[i]))
            return REC_ERR_INVALID_ARG;
    return REC_OK;
}

rec_status rec_block_encode(size_t d, const double *q_mean, const double *q_sd,
                            const double *p_mean, const double *p_sd, unsigned kappa,
                            unsigned t, const rec_key *key, rec_rc_encoder *enc, double *x_out,
                            rec_block_info *info)
{
    double mu[REC_BLOCK_MAX_DIM], a[REC_BLOCK_MAX_DIM], z[REC_BLOCK_MAX_DIM];
    double best = -1.0 / 0.0, kl = 0;
    uint64_t n, nbest = 0, count;
    unsigned bits, left;
    size_t i;
    rec_status st = check_common(d, p_mean, p_sd, kappa, t, key);
    if (st != REC_OK)
        return st;
    if (!q_mean || !q_sd || !enc || !x_out)
        return REC_ERR_INVALID_ARG;
    for (i = 0; i < d; i++) {
        double s;
        if (!isfinite(q_mean[i]) || !(q_sd[i] > 0) || !isfinite(q_sd[i]))
            return REC_ERR_INVALID_ARG;
        mu[i] = (q_mean[i] - p_mean[i]) / p_sd[i];
        s = q_sd[i] / p_sd[i];
        a[i] = 1.0 / (s * s);
        kl += -rec_log(s) + 0.5 * (s * s + mu[i] * mu[i] - 1.0);
    }
    bits = kappa + t;
    count = (uint64_t)1 << bits;
    for (n = 0; n < count; n++) {
        double score = 0;
        candidate(key, n, d, z);
        for (i = 0; i < d; i++) {
            const double dz = z[i] - mu[i];
            score += 0.5 * (z[i] * z[i] - a[i] * (dz * dz));
        }
        if (count > 1) /* Gumbel-max: argmax score - log E_n samples n ~ r */
            score -= rec_log(rec_prng_exponential(key->seed, key->stream ^ GUMBEL_STREAM_XOR,
                                                  (key->index << 32) + n));
        if (score > best) {
            best = score;
            nbest = n;
        }
    }
    left = bits;
    while (left > 0) {
        const unsigned c = left > 16 ? 16 : left;
        left -= c;
        rec_rc_encode_bits(enc, (uint32_t)(nbest >> left) & ((1u << c) - 1u), c);
    }
    candidate(key, nbest, d, z);
    for (i = 0; i < d; i++)
        x_out[i] = p_mean[i] + p_sd[i] * z[i];
    if (info) {
        info->index = nbest;
        info->log2_n = bits;
        info->kl_bits = kl / 0.69314718055994530942;
    }
    return enc->oom ? REC_ERR_NOMEM : REC_OK;
}

rec_status rec_block_decode(size_t d, const double *p_mean, const double *p_sd, unsigned kappa,
                            unsigned t, const rec_key *key, rec_rc_decoder *dec, double *x_out)
{
    double z[REC_BLOCK_MAX_DIM];
    uint64_t n = 0;
    unsigned left;
    size_t i;
    rec_status st = check_common(d, p_mean, p_sd, kappa, t, key);
    if (st != REC_OK)
        return st;
    if (!dec || !x_out)
        return REC_ERR_INVALID_ARG;
    left = kappa + t;
    while (left > 0) {
        const unsigned c = left > 16 ? 16 : left;
        left -= c;
        n = (n << c) | rec_rc_decode_bits(dec, c);
    }
    candidate(key, n, d, z);
    for (i = 0; i < d; i++)
        x_out[i] = p_mean[i] + p_sd[i] * z[i];
    return rec_rc_decoder_error(dec) ? REC_ERR_CORRUPT : REC_OK;
}
