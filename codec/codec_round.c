/* Rounding baseline: q = round(y / step), coded under the context model's
 * Laplace prior (see codec_ctx.h).
 *
 * With t = exp(-1/(2b)) (b the Laplace scale in step units) the bin masses
 * are P(q = 0) = 1 - t and P(|q| = n) = t^(2n-1) (1 - t^2) for n >= 1, split
 * evenly between the signs. So a value is coded exactly under the prior as
 *   zero flag with P(0) = 1 - t; sign (one equiprobable bit);
 *   n - 1 as a geometric variable of ratio t^2: with r chosen so that
 *   tr = t^(2*2^r) <= 1/2, the high part (n-1) >> r in unary with stop
 *   probability 1 - tr, and the low r bits raw (a Golomb code whose unary
 *   part matches the prior; the raw bits cost a little over the prior).
 * The unary part is capped at UNARY_CAP; beyond it an Elias-gamma escape.
 * The DC index is coded as its residual from the MED prediction of the
 * neighbouring DC indices, under a prior from the DC context cells.
 *
 * MMSE reconstruction of a nonzero bin n (step units): the Laplace density on
 * [n - 1/2, n + 1/2] is exponential with scale b, whose mean is
 * n - 1/2 + b - 1/(e^(1/b) - 1) = n - 1/2 + b - t^2 / (1 - t^2).
 * Sample / realism reconstruction draws inside the bin with the decoder's
 * private randomness (inverse CDF of a truncated exponential); the draws
 * never feed back into the context model. Nonzero bins and DC draw from the
 * context prior. Zero AC bins of bands with at least 90% zeros draw from a
 * Laplace whose scale is the smaller of the context's and a per-band scale
 * fitted from the whole plane's index counts, so that the density
 * is continuous at the bin edge (zero_bin_scale): the context Laplace overestimates the energy inside the
 * zero bin several-fold at low rates (astronaut 0.15 bpp: DCT-W1 1.24 with
 * the context prior, 0.35 with the fit; docs/REC_CODEC.md). Bounded memory
 * (issue 7): the counts come from a first decoding pass over the plane's
 * stream that keeps nothing else (recimg_round_decode_begin); the second pass
 * then draws every coefficient as it decodes it, so a drawing decode costs
 * the entropy decoding of the plane twice and no plane-sized buffer.
 * With header flags2 0x800 the AC cells carry a prior-adaptive deadzone that the
 * decoder knows (dz_setup below): the zero flag, the cells' reconstruction and draws,
 * and what the contexts learn follow the deadzone cells. With flags2 0x4000 as well
 * (which the encoder writes with 0x800) the zero cells' fitted draw scale is fitted for
 * the wider zero cell (zero_bin_scale); decoder-only, the streams are the same. */
#include "codec_round.h"
#include "codec_gain.h"
#include "codec_format.h"
#include "codec_internal.h"
#include "rec_fast.h"
#include "rec_math.h"
#include "rec_prng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { UNARY_CAP = 24, MAX_RICE = 20 };

static uint32_t prob16(double p0)
{
    const double v = p0 * 65536.0 + 0.5;
    if (!(v >= 2.0)) return 2;
    if (v >= 65534.0) return 65534;
    return (uint32_t)v;
}

/* Rice parameter r and the stop probability of the unary part for ratio t^2. */
static int rice_param(double t, double *tr)
{
    double x = t * t;
    int r = 0;
    while (x > 0.5 && r < MAX_RICE) {
        x = x * x;
        r++;
    }
    *tr = x;
    return r;
}

static void put_value(rec_rc_encoder *e, int32_t s, double t, double tz)
{
    uint32_t n, hp;
    double tr;
    int r;
    uint32_t pstop;

    rec_rc_encode_bit_p(e, prob16(1.0 - tz), s != 0);
    if (s == 0)
        return;
    rec_rc_encode_bits(e, s < 0, 1);
    n = (uint32_t)(s < 0 ? -(int64_t)s : s) - 1;
    r = rice_param(t, &tr);
    hp = n >> r;
    pstop = prob16(1.0 - tr);
    for (uint32_t j = 0; j < hp && j < UNARY_CAP; j++)
        rec_rc_encode_bit_p(e, pstop, 1);
    if (hp < UNARY_CAP)
        rec_rc_encode_bit_p(e, pstop, 0);
    else
        rec_rc_encode_uint_escape(e, NULL, hp - UNARY_CAP);
    if (r > 16) {
        rec_rc_encode_bits(e, (n & ((1u << r) - 1)) >> 16, (unsigned)r - 16);
        rec_rc_encode_bits(e, n & 0xFFFFu, 16);
    } else {
        rec_rc_encode_bits(e, n & ((1u << r) - 1), (unsigned)r);
    }
}

/* Returns 0 and the value, or -1 for a value beyond RECIMG_ROUND_MAX_INDEX. */
static int get_value(rec_rc_decoder *d, double t, double tz, int32_t *out)
{
    uint64_t hp = 0, n;
    double tr;
    int r, neg;
    uint32_t pstop, low;

    *out = 0;
    if (!rec_rc_decode_bit_p(d, prob16(1.0 - tz)))
        return 0;
    neg = (int)rec_rc_decode_bits(d, 1);
    r = rice_param(t, &tr);
    pstop = prob16(1.0 - tr);
    while (hp < UNARY_CAP && rec_rc_decode_bit_p(d, pstop))
        hp++;
    if (hp == UNARY_CAP) {
        const uint64_t extra = rec_rc_decode_uint_escape(d, NULL);
        if (extra > (uint64_t)RECIMG_ROUND_MAX_INDEX)
            return -1;
        hp += extra;
    }
    if (r > 16) {
        low = rec_rc_decode_bits(d, (unsigned)r - 16) << 16;
        low |= rec_rc_decode_bits(d, 16);
    } else {
        low = rec_rc_decode_bits(d, (unsigned)r);
    }
    if (hp > ((uint64_t)RECIMG_ROUND_MAX_INDEX >> r))
        return -1;
    n = (hp << r) + low + 1;
    if (n > (uint64_t)RECIMG_ROUND_MAX_INDEX)
        return -1;
    *out = neg ? -(int32_t)n : (int32_t)n;
    return 0;
}

static uint32_t mag_q16(int32_t s)
{
    const uint64_t a = (uint64_t)(s < 0 ? -(int64_t)s : s) << 16;
    return a > RECIMG_CTX_MAG_MAX ? RECIMG_CTX_MAG_MAX : (uint32_t)a;
}

/* ---- Context model v5 (prior id 5): the in-block gain of the AC priors, REC's
 * context model v3 idea (codec_gain.h; the factor always from the table, as REC's with
 * header flag 0x08). Per block, over the AC indices coded so far (zigzag order),
 * E = sum |s| and S = sum m0, m0 the context model's predicted mean magnitude E|q|
 * (step units); every AC value is coded (and reconstructed) under the Laplace of scale
 * b = b0 * g, b0 = -1/(2 ln t0) the scale of the model's prediction t0 and
 * g = ((E + C) / (S + C))^beta, i.e. t = exp(-1/(2b)) = t0^(1/g) = exp(ln t0 / g).
 * Computed as t = rec_exp_neg_fast(-rec_ln_fast(t0) * h), h = ((S + C) / (E + C))^beta
 * = 1/g from the table (speed pass 13, issue 8: exact rec_log and rec_exp per AC value
 * were a third of the round codec's instructions). The DC has no gain; the cells
 * keep learning |s| (the gain scales only the prediction) and S sums m0, so the gain
 * cannot feed on itself. Chosen on TRAIN (docs/REC_CODEC.md "The rounding baseline's
 * context model v5"): first moments (the statistic the discrete model itself keeps)
 * beat REC's sums of squares, and scaling b beat scaling m0. */
#define ROUND_GAIN_BETA 0.35
#define ROUND_GAIN_C 1.0
#define ROUND_GAIN_T_MIN (1.0 / 1048576.0)   /* the gained t's floor (2^-20) */
#define ROUND_GAIN_T_MAX (1.0 - 1.0 / 1073741824.0)   /* and ceiling (1 - 2^-30) */

void recimg_round_model_init(recimg_round_model *m, uint32_t prior_id, uint32_t flags)
{
    m->gain = prior_id == RECIMG_PRIOR_LAPLACE_CTX5;
    m->deadzone = (flags & RECIMG_FLAG_ROUND_DEADZONE) != 0;
    m->dz_draw = m->deadzone && (flags & RECIMG_FLAG_ROUND_DZ_DRAW) != 0;
    if (m->gain)
        rec_pow_table_init(&m->table, ROUND_GAIN_BETA);
}

/* The gain state holds the INVERSE factor: gain_add passes the sums swapped (E into
 * the state's b2, S into its e2), so its g is h = ((S + C) / (E + C))^beta = 1/g
 * (the table read with numerator S + C and denominator E + C). */

/* The block's empty gain state (copied into every block). */
static void gain_start(const recimg_round_model *m, recimg_gain *g)
{
    recimg_gain_reset(g, m->gain ? &m->table : NULL, ROUND_GAIN_BETA, ROUND_GAIN_C);
}

/* The prior an AC value is coded under: out = p with the block's gain (for v1 a copy
 * of p). */
static void gained_prior(const recimg_round_model *m, const recimg_gain *g, const recimg_ctx_pred *p,
                         recimg_ctx_pred *out)
{
    double x, t;
    *out = *p;
    if (!m->gain)
        return;
    x = -rec_ln_fast(p->t) * g->g;   /* -ln t0 / g: t0 in (0, 1), so x >= 0 */
    if (!(x < 16.0)) {               /* e^-16 is below the floor (and NaN goes there) */
        out->t = ROUND_GAIN_T_MIN;
        return;
    }
    t = rec_exp_neg_fast(x);
    if (!(t >= ROUND_GAIN_T_MIN)) t = ROUND_GAIN_T_MIN;
    if (t > ROUND_GAIN_T_MAX) t = ROUND_GAIN_T_MAX;
    out->t = t;
}

/* After AC value s (its magnitude statistic a: |s|, or with the deadzone what the
 * contexts are fed), coded under the gain of prediction p (before the gain). */
static void gain_add(const recimg_round_model *m, recimg_gain *g, const recimg_ctx_pred *p, double a)
{
    if (m->gain)
        recimg_gain_add(g, p->m, a, ROUND_GAIN_BETA, ROUND_GAIN_C);   /* swapped: 1/g */
}

/* ---- Deadzone (header flags2 0x800, docs/FORMAT.md "Payload of the round mode"): the
 * quantizer's AC cells, in step units, are [-(1/2 + d), 1/2 + d] for q = 0 and
 * [k - 1/2 + d, k + 1/2 + d] for |q| = k >= 1 (the zero cell widens by 2d, every other
 * cell moves outward by d), with d known to the decoder from the value's coding prior:
 * d = min(1, ROUND_DZ_A / b) = min(1, 2 ROUND_DZ_A x), x = -ln t = 1/(2b). Under the
 * Laplace of scale b, P(q != 0) = e^(-(1/2 + d)/b) = e^(-x (1 + 2d)) = tz and the cells
 * beyond keep the geometric ratio t^2, so only the zero flag's probability changes; the
 * MMSE value of a nonzero cell is the Laplace mean on it (the plain offset plus d).
 * A deadzone widens the zero cell where the prior says a value is probably small: those
 * values cost nearly nothing (P(0) near 1) at the price of the distortion of a wider
 * zero cell. Chosen on TRAIN over d = A b^-p (docs/REC_CODEC.md "Decoder-aware deadzone
 * (session 7)"): p = 1 with A = 0.04; the toy's rate-distortion optimum (a larger d at
 * small b) and the uq deadzone's rule lose there. The contexts learn dz_fed, not |q|:
 * fed the deadzone's smaller indices, the model's scales shrink, d grows, and the
 * coder collapses (+1.8% instead of -1.4% on TRAIN). */
#define ROUND_DZ_A 0.04

/* One AC value's deadzone: d (step units), the zero flag's tz and x = -ln t. */
typedef struct {
    double d, tz, x;
} dz_cell;

/* The deadzone of a value coded under the Laplace of t (the coding t, after v5's gain);
 * d = 0, tz = t without the flag. e^-16 is below tz's floor 2^-20, so an exponent of 16
 * or more takes the floor without an exponential. */
static void dz_setup(const recimg_round_model *m, double t, dz_cell *c)
{
    double x, dd, a, z;
    c->tz = t;
    c->d = 0.0;
    c->x = 0.0;
    if (!m->deadzone)
        return;
    x = -rec_ln_fast(t);   /* 1 / (2b) >= 0: t in [2^-20, 1 - 2^-30] */
    dd = 2.0 * ROUND_DZ_A * x;
    if (!(dd < RECIMG_ROUND_DZ_MAX)) dd = RECIMG_ROUND_DZ_MAX;
    if (!(dd > 0.0)) dd = 0.0;
    a = x * (1.0 + 2.0 * dd);
    z = a < 16.0 ? rec_exp_neg_fast(a) : ROUND_GAIN_T_MIN;
    if (!(z >= ROUND_GAIN_T_MIN)) z = ROUND_GAIN_T_MIN;
    if (z > t) z = t;
    c->d = dd;
    c->tz = z;
    c->x = x;
}

/* What the contexts (and v5's gain sum E) learn from deadzone value s: the plain
 * rounding index's expected magnitude on s's cell, E[|round(y)| | cell], under the
 * coding Laplace (the statistic the discrete model predicts, E|q|): for the zero cell
 * P(|y| > 1/2 | |y| <= 1/2 + d) = (t - tz) / (1 - tz); for |s| = k >= 1 (d <= 1, so the
 * cell holds plain bins k and k + 1) k + P(y > k + 1/2 | cell) =
 * k + (e^(-(1 - d)/b) - t^2) / (1 - t^2), clamped to [k, k + 1]. */
static double dz_fed(double t, const dz_cell *c, int32_t s)
{
    double w, a, e, f;
    if (s == 0) {
        f = (t - c->tz) / (1.0 - c->tz);
        return f > 0.0 ? f : 0.0;
    }
    w = t * t;
    a = c->x * 2.0 * (1.0 - c->d);   /* (1 - d) / b; e^-16 < 2^-23: no exponential */
    e = a < 16.0 ? rec_exp_neg_fast(a) : 0.0;
    f = (e - w) / (1.0 - w);
    if (!(f > 0.0)) f = 0.0;
    if (f > 1.0) f = 1.0;
    return (s < 0 ? -(double)s : (double)s) + f;
}

/* A nonnegative magnitude (step units) as the context model's 16.16, saturated. */
static uint32_t mag_q16_d(double a)
{
    const double v = a * 65536.0 + 0.5;
    return v >= (double)RECIMG_CTX_MAG_MAX ? RECIMG_CTX_MAG_MAX : (uint32_t)v;
}

/* Index of y: plain rounding (half away from zero) for d = 0, else the deadzone cells
 * (dz_setup): 0 for |y| < (1/2 + d) step, else sign(y) round(|y| / step - d). */
static int32_t quantize(double y, double step, double d)
{
    double q = y / step;
    if (d > 0.0) {
        const double a = (q < 0 ? -q : q) - d;
        const double k = a < 0.5 ? 0.0 : floor(a + 0.5);
        q = q < 0 ? -k : k;
    } else
        q = q < 0 ? -floor(-q + 0.5) : floor(q + 0.5);
    if (q > RECIMG_ROUND_MAX_INDEX / 2) q = RECIMG_ROUND_MAX_INDEX / 2;
    if (q < -(RECIMG_ROUND_MAX_INDEX / 2)) q = -(RECIMG_ROUND_MAX_INDEX / 2);
    return (int32_t)q;
}

/* Reconstruction table (header flag 0x40, codec_recon.h). Encoder: adds index s's
 * folded error (y_rel: y in step units minus the DC prediction for zz = 0) of the
 * table-less MMSE estimate (recon's, with rec_ln_fast: the table's choice needs
 * no more, and rec_log was a third of the table's cost in the round encoder, issue 8) to its class (plane, band group,
 * |s| = 1 or more: ru's class of zz plus the cell type) in the direction sign(s), with
 * unit step_k (ru's step_k^2 by zigzag index). */
static void recon_table_add(recimg_recon_acc *acc, const recimg_recon_units *ru, const recimg_ctx_pred *p, int zz,
                            int32_t s, double y_rel, double d)
{
    double a, b, t2, off;
    if (s == 0)
        return;
    a = (s < 0 ? -(double)s : (double)s) + d;
    b = -0.5 / rec_ln_fast(p->t);
    t2 = p->t * p->t;
    off = -0.5 + b - t2 / (1.0 - t2);
    if (off > 0.0) off = 0.0;
    if (off < -0.5) off = -0.5;
    recimg_recon_acc_add_zz(acc, ru, zz, s > 1 || s < -1, (s < 0 ? -y_rel : y_rel) - (a + off));
}

recimg_status recimg_round_encode_rows(rec_rc_encoder *enc, recimg_ctx *ctx, const double *coef,
                                       uint32_t bw, uint32_t by0, uint32_t by1, const double step[64],
                                       recimg_recon_acc *acc, int chroma, const recimg_round_model *m)
{
    recimg_ctx_pred p, pg;
    recimg_gain gain, gain_empty;
    recimg_recon_units ru;   /* the table's classes and step^2 by zigzag index */
    const int deadzone = m->deadzone;   /* read once: the loop stores through ctx */
    gain_start(m, &gain_empty);
    if (acc)
        recimg_recon_units_prepare(&ru, chroma, step);
    for (uint32_t by = by0; by < by1; by++) {
        for (uint32_t bx = 0; bx < bw; bx++, coef += 64) {
            int32_t dc, pred, s;
            recimg_ctx_begin_block(ctx, bx, by);
            dc = quantize(coef[0], step[0], 0.0);
            pred = recimg_ctx_dc_predict(ctx);
            s = dc - pred;
            recimg_ctx_predict(ctx, 0, &p);
            put_value(enc, s, p.t, p.t);
            if (acc)   /* decoder-only side information */
                recon_table_add(acc, &ru, &p, 0, s, coef[0] / step[0] - (double)pred, 0.0);
            recimg_ctx_update(ctx, 0, &p, mag_q16(s));
            recimg_ctx_dc_record(ctx, dc);
            gain = gain_empty;
            for (int zz = 1; zz < 64; zz++) {
                const int k = recimg_zigzag[zz];
                recimg_ctx_predict(ctx, zz, &p);
                gained_prior(m, &gain, &p, &pg);
                if (deadzone) {
                    dz_cell c;
                    double a;
                    dz_setup(m, pg.t, &c);
                    s = quantize(coef[k], step[k], c.d);
                    put_value(enc, s, pg.t, c.tz);
                    if (acc)   /* the decoder's MMSE estimate: under the gained prior */
                        recon_table_add(acc, &ru, &pg, zz, s, coef[k] / step[k], c.d);
                    a = dz_fed(pg.t, &c, s);
                    gain_add(m, &gain, &p, a);
                    recimg_ctx_update(ctx, zz, &p, mag_q16_d(a));
                } else {
                    s = quantize(coef[k], step[k], 0.0);
                    put_value(enc, s, pg.t, pg.t);
                    if (acc)
                        recon_table_add(acc, &ru, &pg, zz, s, coef[k] / step[k], 0.0);
                    gain_add(m, &gain, &p, s < 0 ? -(double)s : (double)s);
                    recimg_ctx_update(ctx, zz, &p, mag_q16(s));
                }
            }
            recimg_ctx_end_block(ctx);
        }
    }
    return RECIMG_OK;
}

/* Reconstruction of residual s relative to a centre, in step units (d: the value's
 * deadzone, dz_setup; the cell of a nonzero s is then [|s| - 1/2 + d, |s| + 1/2 + d]). */
static double recon(const recimg_ctx *ctx, const recimg_ctx_pred *p, int32_t s, int center, double d)
{
    double a, b, t2, off;
    if (s == 0)
        return 0.0;
    a = (s < 0 ? -(double)s : (double)s) + d;
    if (!center) {
        b = recimg_ctx_scale(ctx, p);
        t2 = p->t * p->t;
        off = -0.5 + b - t2 / (1.0 - t2);
        if (off > 0.0) off = 0.0;      /* guards rounding at huge b */
        if (off < -0.5) off = -0.5;
        a += off;
    }
    return s < 0 ? -a : a;
}

/* A draw of a Laplace of scale b (step units) restricted to bin s (with deadzone d:
 * its cell, dz_setup), from a private uniform u in (0, 1): inverse CDF of the
 * exponential on [lo, lo + L]. */
static double draw_in_bin(double b, int32_t s, double u, double d)
{
    double lo, L, x;
    int neg;
    if (s == 0) {
        neg = u < 0.5;
        u = neg ? 2.0 * u : 2.0 * u - 1.0;
        lo = 0.0;
        L = 0.5 + d;
    } else {
        neg = s < 0;
        lo = (neg ? -(double)s : (double)s) - 0.5 + d;
        L = 1.0;
    }
    if (!(u > 0.0)) u = 1e-300;
    if (!(b > 1e-300)) {
        x = lo;
    } else {
        /* x = lo - b log(1 - u (1 - e^(-L/b))) */
        x = lo - b * rec_log1p(u * rec_expm1(-L / b));
        if (x > lo + L) x = lo + L;
        if (x < lo) x = lo;
    }
    return neg ? -x : x;
}

static int draws(const recimg_round_recon *rr)
{
    return rr->mode == RECIMG_DECODE_SAMPLE || (rr->mode == RECIMG_DECODE_REALISM && rr->realism > 0.0);
}

/* The MMSE estimate of index s (step units), with the reconstruction table's
 * correction when the file has one: |estimate| + c clamped into the bin
 * [|s| - 1/2 + d, |s| + 1/2 + d], the sign of s kept (zz = index mod 64). */
static double recon_mmse(const recimg_ctx *ctx, const recimg_ctx_pred *p, int32_t s,
                         const recimg_round_recon *rr, uint64_t index, double d)
{
    const double v = recon(ctx, p, s, 0, d);
    double c, n;
    if (!rr->recon_zz || s == 0)
        return v;
    c = rr->recon_zz[index % 64u][s > 1 || s < -1];
    if (c == 0.0)
        return v;
    n = (s < 0 ? -(double)s : (double)s) + d;
    return s < 0 ? -recimg_recon_apply(-v, 1.0, c, n - 0.5, n + 0.5)
                 : recimg_recon_apply(v, 1.0, c, n - 0.5, n + 0.5);
}

static double reconstruct(const recimg_ctx *ctx, const recimg_ctx_pred *p, int32_t s,
                          const recimg_round_recon *rr, uint64_t index, double dz)
{
    double u, d;
    if (rr->mode == RECIMG_DECODE_CENTER)
        return recon(ctx, p, s, 1, dz);
    if (!draws(rr))
        return recon_mmse(ctx, p, s, rr, index, dz);
    u = rec_prng_uniform(rr->private_seed, 2000u + rr->plane, index);
    d = draw_in_bin(recimg_ctx_scale(ctx, p), s, u, dz);
    if (rr->mode == RECIMG_DECODE_SAMPLE)
        return d;
    return (1.0 - rr->realism) * recon_mmse(ctx, p, s, rr, index, dz) + rr->realism * d;
}

/* Scale c (step units) of the Laplace that the zero bin's draws use for one
 * AC band, from the plane's decoded index counts: n0 zeros, n1 indices with
 * |q| = 1, n2 with |q| = 2, for a zero bin of half-width h (1/2; see below for
 * the deadzone). A Laplace fitted to the zero fraction alone
 * overestimates the energy inside the zero bin 2-5x at low rates (the bands'
 * distributions are heavier-tailed than Laplace: most of the mass sits far
 * inside the bin). Instead c makes the density of |y| continuous at the
 * bin edge: the restricted Laplace with mass n0 on [0, 1/2] has edge density
 * n0 (2x / (e^x - 1)) with x = 1/(2c), and the edge density seen from
 * outside is n1 lam / (1 - e^-lam), the first bin's exponential slope lam =
 * ln(n1 / n2) (pseudo-counts keep empty bins finite; the factor is clamped
 * to [1, 3]). The equation is solved for x by bisection (monotone).
 *
 * Deadzone (flags2 0x800): the zero cell is [0, h], h = 1/2 + d, and the first cell
 * starts at h and is still one step wide. The restricted Laplace's edge density is
 * then n0 (y / h) / (e^y - 1), y = h / c, so y / (e^y - 1) = r h and c = h / y (the
 * same equation for h = 1/2, y = x, evaluated in the old form there, so files without
 * flags2 0x4000 decode exactly as before). Without flags2 0x4000 the fit takes h = 1/2
 * on 0x800 files too (session 7: too small a scale for the wider cell, drawn on all of
 * it). With it (ROUND_DZ_DRAW_ZF, recimg_round_decode_begin) h = 1/2 + the band's mean
 * zero-cell d, for bands under 99% zeros only: in sparser bands the few nonzero indices
 * are outliers (edges) whose density, carried across the wider cell, overstates its
 * energy (TRAIN, docs/REC_CODEC.md "Realism decoding with the deadzone"). */
#define ROUND_DZ_DRAW_ZF 0.99
static double zero_bin_scale(double n0, double n1, double n2, double h)
{
    double r, lam, f, lo = 1e-6, hi = 200.0;
    if (n0 < 1.0)
        return 1e300;
    if (n1 + n2 < 1.0)
        return 0.0;   /* no evidence of energy at this step: no draw (the MMSE value 0) */
    lam = rec_log((n1 + 0.5) / (n2 + 0.5));
    f = lam > 1e-9 ? lam / -rec_expm1(-lam) : 1.0;
    if (f < 1.0) f = 1.0;
    if (f > 3.0) f = 3.0;
    r = f * (n1 + 0.1) / n0;
    if (h == 0.5) {   /* the plain zero bin (and the deadzone without flags2 0x4000) */
        if (r >= 2.0)
            return 1e300;
        for (int it = 0; it < 60; it++) {
            const double x = 0.5 * (lo + hi);
            if (2.0 * x / rec_expm1(x) > r) lo = x; else hi = x;
        }
        return 1.0 / (lo + hi);   /* c = 1 / (2x), x = (lo + hi) / 2 */
    }
    r *= h;
    if (r >= 1.0)
        return 1e300;
    for (int it = 0; it < 60; it++) {
        const double y = 0.5 * (lo + hi);
        if (y / rec_expm1(y) > r) lo = y; else hi = y;
    }
    return 2.0 * h / (lo + hi);   /* c = h / y, y = (lo + hi) / 2 */
}

/* Decodes block rows [by0, by1) (the next rows of the plane's stream). coef
 * NULL: only the index counts of each zigzag band are collected into cnt (the
 * first pass of a drawing decode). Otherwise zero AC bins of a drawing decode
 * draw from min(context scale, bfit[zz]). */
static recimg_status decode_rows(rec_rc_decoder *dec, recimg_ctx *ctx, double *coef, uint32_t bw,
                                 uint32_t by0, uint32_t by1, const double step[64],
                                 const recimg_round_model *m, const recimg_round_recon *rr,
                                 const double *bfit, double (*cnt)[64])
{
    recimg_ctx_pred p, p0;
    recimg_gain gain, gain_empty;
    uint64_t block = (uint64_t)by0 * bw;
    const int deadzone = m->deadzone;   /* read once: the loop stores through ctx */
    gain_start(m, &gain_empty);
    for (uint32_t by = by0; by < by1; by++) {
        for (uint32_t bx = 0; bx < bw; bx++, block++) {
            int32_t pred, s;
            int64_t dc;
            recimg_ctx_begin_block(ctx, bx, by);
            pred = recimg_ctx_dc_predict(ctx);
            recimg_ctx_predict(ctx, 0, &p);
            if (get_value(dec, p.t, p.t, &s) != 0) return RECIMG_ERR_CORRUPT;
            dc = (int64_t)pred + s;
            if (dc > RECIMG_ROUND_MAX_INDEX || dc < -RECIMG_ROUND_MAX_INDEX) return RECIMG_ERR_CORRUPT;
            if (coef)
                coef[0] = ((double)pred + reconstruct(ctx, &p, s, rr, block * 64, 0.0)) * step[0];
            recimg_ctx_update(ctx, 0, &p, mag_q16(s));
            recimg_ctx_dc_record(ctx, (int32_t)dc);
            gain = gain_empty;
            for (int zz = 1; zz < 64; zz++) {
                const int k = recimg_zigzag[zz];
                const uint64_t idx = block * 64 + (uint64_t)zz;
                double dz;
                uint32_t mag;
                recimg_ctx_predict(ctx, zz, &p0);
                gained_prior(m, &gain, &p0, &p);
                if (deadzone) {
                    dz_cell c;
                    double fa;
                    dz_setup(m, p.t, &c);
                    if (get_value(dec, p.t, c.tz, &s) != 0) return RECIMG_ERR_CORRUPT;
                    fa = dz_fed(p.t, &c, s);
                    gain_add(m, &gain, &p0, fa);
                    mag = mag_q16_d(fa);
                    dz = c.d;
                } else {
                    dz = 0.0;
                    if (get_value(dec, p.t, p.t, &s) != 0) return RECIMG_ERR_CORRUPT;
                    gain_add(m, &gain, &p0, s < 0 ? -(double)s : (double)s);
                    mag = mag_q16(s);
                }
                if (cnt) {
                    if (s == 0) {
                        cnt[0][zz] += 1.0;
                        cnt[3][zz] += dz;   /* the zero cells' d (0 without the deadzone) */
                    }
                    else if (s == 1 || s == -1) cnt[1][zz] += 1.0;
                    else if (s == 2 || s == -2) cnt[2][zz] += 1.0;
                } else if (bfit && s == 0) {
                    /* Zero bins: the context's Laplace overestimates near-empty bands at
                     * low rates (its cells are shared with busy regions), so the in-bin
                     * draw uses min(context scale, the band's fitted scale). The zero
                     * bin's MMSE value is 0 under any symmetric prior. The scale passes
                     * through float as it always has (the draws' golden MD5s). */
                    double b = (double)(float)recimg_ctx_scale(ctx, &p), d;
                    if (bfit[zz] < b) b = bfit[zz];
                    d = draw_in_bin(b, 0, rec_prng_uniform(rr->private_seed, 2000u + rr->plane, idx), dz);
                    coef[k] = (rr->mode == RECIMG_DECODE_SAMPLE ? d : rr->realism * d) * step[k];
                } else {
                    coef[k] = reconstruct(ctx, &p, s, rr, idx, dz) * step[k];
                }
                recimg_ctx_update(ctx, zz, &p, mag);
            }
            recimg_ctx_end_block(ctx);
            if (coef)
                coef += 64;
        }
        if (rec_rc_decoder_error(dec)) return RECIMG_ERR_CORRUPT;
    }
    return RECIMG_OK;
}

recimg_status recimg_round_decode_begin(recimg_round_dec_state *ds, const recimg_round_model *m,
                                        const recimg_round_recon *rr, const uint8_t *stream,
                                        size_t size, uint32_t bw, uint32_t bh)
{
    double cnt[4][64];   /* per band: zeros, |q| = 1, |q| = 2, the zeros' sum of d */
    rec_rc_decoder d;
    recimg_ctx *ctx = NULL;
    recimg_status st;
    const double nblocks = (double)bw * (double)bh;
    ds->model = *m;
    ds->rr = *rr;
    ds->fitted = 0;
    if (!draws(rr))
        return RECIMG_OK;
    /* First pass: the whole plane's indices, counted, not kept. */
    memset(cnt, 0, sizeof cnt);
    FORWARD_IF_ERROR(recimg_ctx_create(bw, RECIMG_CTX_DISCRETE, &ctx));
    rec_rc_decoder_init(&d, stream, size);
    st = decode_rows(&d, ctx, NULL, bw, 0, bh, NULL, &ds->model, rr, NULL, cnt);
    recimg_ctx_free(ctx);
    FORWARD_IF_ERROR(st);
    for (int zz = 1; zz < 64; zz++) {
        double h = 0.5;   /* the zero cell's half-width (step units) that the fit assumes */
        if (cnt[0][zz] < 0.9 * nblocks) {   /* busy bands (under 90% zeros): the context alone */
            ds->bfit[zz] = 1e300;
            continue;
        }
        if (ds->model.dz_draw && cnt[0][zz] < ROUND_DZ_DRAW_ZF * nblocks)   /* flags2 0x4000 */
            h = 0.5 + cnt[3][zz] / cnt[0][zz];   /* n0 >= 0.9 nblocks > 0 */
        ds->bfit[zz] = zero_bin_scale(cnt[0][zz], cnt[1][zz], cnt[2][zz], h);
    }
    ds->bfit[0] = 1e300;
    ds->fitted = 1;
    return RECIMG_OK;
}

recimg_status recimg_round_decode_rows(rec_rc_decoder *dec, recimg_ctx *ctx, double *coef,
                                       uint32_t bw, uint32_t by0, uint32_t by1,
                                       const double step[64], const recimg_round_dec_state *ds)
{
    return decode_rows(dec, ctx, coef, bw, by0, by1, step, &ds->model, &ds->rr,
                       ds->fitted ? ds->bfit : NULL, NULL);
}
