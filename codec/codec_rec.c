/* REC mode (issue 4): channel simulation in place of quantization.
 *
 * For coefficient y of band k (noise sd sigma_k, all statistics in units of
 * sigma_k) the context model (CONTINUOUS kind) predicts a Laplace prior of y,
 * scale b, mean 0 (AC) or the MED prediction of the neighbouring DC
 * estimates (DC). The sampler then simulates the channel X = y + noise with
 * randomness keyed by (seed, plane, block * 64 + zz):
 *   lrq  layered randomized quantizer (DESIGN 3.4): noise N(0, sigma^2) exactly;
 *   uq   universal quantizer (DESIGN 3.3) with step sigma*sqrt(12): uniform noise
 *        of variance sigma^2 exactly;
 *   gprs-bnb, gprs, pfr  rejection samplers (rec_rs_encode_gauss): noise
 *        N(0, sigma^2) exactly; a coded flag sends targets they cannot handle
 *        cheaply (gprs-bnb: |mu| > BNB_FAR; pfr: D_inf > RS_DINF_CAP bits, gprs:
 *        RS_DINF_CAP_GPRS)
 *        to lrq instead (run_sampler);
 *   block  (APPROXIMATE) low-information AC coefficients of one 8x8 block are
 *        grouped and simulated jointly by the fixed-budget simulator (DESIGN 3.5;
 *        the "block" section below), the others go through uq.
 * uq and lrq code the bin index K with the prior's pmf of the bins (rec_quant_code_bin)
 * and reveal that y lies in [X - W, X + W], W the bin's half width.
 *
 * Zero-bit rule (DESIGN 7): the decoder knows b and sigma before reading, hence
 * the channel's information I = 1/2 log2(1 + 2 b^2 / sigma^2). A coefficient
 * with I < tau (tau in the header) is not coded: the decoder reconstructs it
 * from the prior (its mean for MMSE, a private draw for sample/realism).
 * Every RECIMG_CTX_EXPLORE_PERIOD-th skipped visit of a context cell is coded
 * anyway so the cell keeps learning (guards the collapse of DESIGN 8).
 *
 * Context feedback (shared state) uses only quantities both sides know and
 * that carry little channel noise (DESIGN 8, "damp them"): the activity is
 * |e| with e = E[y | K, W] - mean in sigma units, and the cell statistic is
 * w e^2, so the cell's scale is b = sqrt(mean(w e^2) / 2). w = 2 (prior id 1)
 * makes the shrunk E[y | code] roughly variance-matched; w = 1.5 (prior id 2,
 * what the encoder writes) gives a sharper Laplace, which codes and skips
 * better: the cells' distributions are heavier-tailed than one Laplace, so
 * the variance-matched scale is too wide in the bulk (docs/REC_CODEC.md,
 * "Diagnosis": feeding even the true y^2 makes BD-rate worse). Measured on four
 * testimages (uq, tau 0.25, bench_round --mode rec --anchor round): BD-rate
 * +16.0% against +16.8% for the unbiased (X - mean)^2 - 1 and +19.6% for a
 * blend; matching the first moment (b = mean |e|) is more robust at tau near
 * 0 (+14.8% at tau 0.01, where the others exceed +30%) but worse at the
 * chosen tau. Exploration every 256th skipped visit (16: +6 points worse).
 * Reconstructions that use private randomness never feed back.
 *
 * uq files carry header flag 0x02: the decoder reconstructs bins away from the
 * prior mean under a wider Laplace (far_bin_estimate below); reconstruction only,
 * the bitstream and everything fed back are those of a file without the flag.
 *
 * uq files with flags2 0x400 (the default since session 7) code every AC coefficient
 * with b < sqrt(12) through the deadzone uq (codec_deadzone.h; dz_encode / dz_decode
 * below): still an exact channel, its y-cell replaces [X - W, X + W] everywhere, and
 * the contexts learn from the cell's second moment w E[y^2 | cell] instead of w e^2
 * (with w e^2 the wide zero cells shrink the contexts and the rule collapses;
 * docs/REC_CODEC.md "Deadzone uq"). */
#include "codec_rec.h"
#include "codec_deadzone.h"
#include "codec_gain.h"
#include "codec_internal.h"
#include "rec_math.h"

#include <math.h>
#include <stdlib.h>

#define SQRT12 REC_UQ_UNIT_STEP   /* 3.46410161513775458705, rec.h */
#define DC_UNITS 16.0      /* DC estimates are recorded in 1/16 sigma units */
#define DC_LIMIT 4194304.0 /* |recorded DC| bound */

int recimg_rec_sampler_supported(recimg_sampler s)
{
    return s == RECIMG_SAMPLER_LRQ || s == RECIMG_SAMPLER_UQ || s == RECIMG_SAMPLER_GPRS_BNB
        || s == RECIMG_SAMPLER_GPRS || s == RECIMG_SAMPLER_PFR || s == RECIMG_SAMPLER_BLOCK;
}

/* Mean of an exponential density of scale b on [0, L] (L > 0): b - L / (e^(L/b) - 1). */
static double exp_trunc_mean(double L, double b)
{
    const double r = L / b;
    if (r > 700.0)
        return b;
    if (r < 1e-8)
        return 0.5 * L;
    return b - L / rec_expm1(r);
}

double recimg_laplace_trunc_mean(double lo, double hi, double b)
{
    if (!(hi > lo))
        return 0.5 * (lo + hi);
    if (lo >= 0.0)
        return lo + exp_trunc_mean(hi - lo, b);
    if (hi <= 0.0)
        return hi - exp_trunc_mean(hi - lo, b);
    {
        /* straddles 0, closed form with two exponentials (A = e^(-hi/b) - 1,
           B = e^(lo/b) - 1): the integrals of x e^(-|x|/b) and e^(-|x|/b) over
           [lo, hi] are b ((b - lo)(1 + B) - (b + hi)(1 + A)) and -b (A + B). */
        const double A = rec_expm1(-hi / b), B = rec_expm1(lo / b);
        const double mass = -(A + B);
        if (!(mass > 0.0))
            return 0.5 * (lo + hi);
        return (-(lo + hi) + (b - lo) * B - (b + hi) * A) / mass;
    }
}

/* The body of recimg_laplace_trunc_mean_edges, static so that feedback can take it
 * inline (speed, issue 8; the same code, so the same bits). */
static inline double trunc_mean_edges(double lo, double hi, double b, double e_lo, double e_hi)
{
    if (!(hi > lo))
        return 0.5 * (lo + hi);
    if (lo >= 0.0) {
        /* e^(L/b) - 1 = (e_lo - e_hi) / e_hi with e_lo = e^(-lo/b), e_hi = e^(-hi/b) */
        const double d = e_lo - e_hi;
        if (!(d > 1e-300 && d > 1e-8 * e_lo))
            return recimg_laplace_trunc_mean(lo, hi, b);   /* underflow or a sliver */
        return lo + (b - (hi - lo) * e_hi / d);
    }
    if (hi <= 0.0) {
        /* mirrored: e_lo = e^(lo/b) < e_hi = e^(hi/b) */
        const double d = e_hi - e_lo;
        if (!(d > 1e-300 && d > 1e-8 * e_hi))
            return recimg_laplace_trunc_mean(lo, hi, b);
        return hi - (b - (hi - lo) * e_lo / d);
    }
    {
        /* straddles 0: A = e^(-hi/b) - 1, B = e^(lo/b) - 1 as in recimg_laplace_trunc_mean */
        const double A = e_hi - 1.0, B = e_lo - 1.0;
        const double mass = -(A + B);
        if (!(mass > 1e-8))
            return recimg_laplace_trunc_mean(lo, hi, b);
        return (-(lo + hi) + (b - lo) * B - (b + hi) * A) / mass;
    }
}

double recimg_laplace_trunc_mean_edges(double lo, double hi, double b, double e_lo, double e_hi)
{
    return trunc_mean_edges(lo, hi, b, e_lo, e_hi);
}

static uint32_t mag_q16(double v)
{
    /* |v| (fabs: exact; the same value as v < 0 ? -v : v, which gives -0 for -0, and -0 and
       +0 both convert to 0 below) */
    const double a = fabs(v) * 65536.0;
    if (!(a < (double)RECIMG_CTX_MAG_MAX))
        return RECIMG_CTX_MAG_MAX;
    return (uint32_t)a;
}

static int32_t stat_q16(double x2m1)
{
    const double v = x2m1 * 65536.0;
    if (!(v < (double)RECIMG_CTX_MAG_MAX))
        return (int32_t)RECIMG_CTX_MAG_MAX;
    if (!(v > -(double)RECIMG_CTX_MAG_MAX))
        return -(int32_t)RECIMG_CTX_MAG_MAX;
    return (int32_t)v;
}

static int32_t dc_record(double est_sigma_units)
{
    double v = est_sigma_units * DC_UNITS;
    if (!(v < DC_LIMIT)) v = DC_LIMIT;
    if (!(v > -DC_LIMIT)) v = -DC_LIMIT;
    return (int32_t)(v < 0 ? -floor(-v + 0.5) : floor(v + 0.5));
}

/* Skip threshold on b^2 (sigma units): I < tau  <=>  b^2 < (4^tau - 1) / 2. */
static double skip_threshold(double tau)
{
    if (!(tau > 0.0))
        return -1.0;
    return 0.5 * rec_expm1(tau * 1.3862943611198906188);   /* ln 4 */
}

/* In-block gain (prior id 3, pp->block_gain). The context model predicts each
 * scale from neighbouring blocks and the two lower-frequency neighbours only;
 * how the block's earlier coefficients came out against their predictions is
 * further evidence (a block whose low bands exceed their predictions tends to
 * carry an edge or texture in its high bands too). Per block, both sides sum
 * over the AC coefficients coded in place so far (zigzag order) E = sum e^2,
 * e = E[y | code] - mean, and S = sum b0^2, b0 the context model's scale
 * before the gain; every AC coefficient's scale becomes
 *   b = b0 * exp(GAIN_BETA * log((E + GAIN_C) / (S + GAIN_C)))
 * before the zero-bit rule and the coding. Skipped coefficients and block
 * sampler group members add nothing; the DC is left alone. The context cells
 * keep learning from e (the gain only scales their prediction), and S uses b0,
 * so the gain cannot feed on itself. rec_exp/rec_log only: lock-step; the
 * factor is recomputed only when the sums change (speed).
 * Header flag 0x08 (pp->fast_chain; issue 8, docs/SPEED.md "Speed pass 8"): the
 * factor is rec_pow_table_ratio(GAIN_BETA table, E + C, S + C) instead, from the
 * exponent and top mantissa bits of the two sums (no division, log or exp; within
 * 0.23% of the exact power): rec_log and rec_exp were ~126 instructions and ~30
 * dependent operations between one coded coefficient and the next one's scale.
 * Chosen on TRAIN (docs/REC_CODEC.md, "Context model v3"): at tau 0.08, beta
 * 0.08 / 0.13 / 0.2 / 0.3 (C = 2) gave BD-rate +6.67% / +6.51% / +6.57% / +7.38%
 * against rounding (v2: +7.41%); with tau 0.12 beta 0.15, C = 1 +6.07%. Most of
 * the gain is in the zero-bit rule: applying it to the coding only (the rule
 * on b0) gave +7.20%. */
#define GAIN_BETA 0.15
#define GAIN_C 1.0

/* The sums and the factor: codec/codec_gain.h (shared with the rounding baseline's
 * prior id 5); here with REC's beta and C. */
typedef recimg_gain block_gain_state;

/* Fresh sums for a block (the factor of empty sums, 1 up to rounding). The row loops
 * evaluate it once and copy the state into every block (the same g). With
 * pp->fast_chain the plane state's table is filled at the plane's first rows. */
static void block_gain_init(block_gain_state *bg, const recimg_rec_plane_params *pp,
                            recimg_rec_plane_state *ps)
{
    if (pp->fast_chain && !ps->gain_table_ready) {
        rec_pow_table_init(&ps->gain_table, GAIN_BETA);
        ps->gain_table_ready = 1;
    }
    recimg_gain_reset(bg, pp->fast_chain ? &ps->gain_table : NULL, GAIN_BETA, GAIN_C);
}

/* Everything both sides compute for one coefficient before the code. */
typedef struct {
    recimg_ctx_pred pred;
    double b;        /* prior scale, sigma units */
    double b0;       /* the context model's scale before the in-block gain */
    double mean;     /* prior mean, sigma units */
    int skip;
    double w;        /* weight of the cell statistic w e^2 (pp->stat_weight) */
    rec_prior prior; /* the sampler's prior and key (coded coefficients only) */
    rec_key key;
    double u;        /* header flag 0x20 (pp->block_dither): the uq dither, coded only */
    recimg_dz dz;    /* flags2 0x400 (pp->uq_deadzone): the deadzone (d = 0, tail = 1: none) */
} coef_setup;

/* Header flag 0x20 (pp->block_dither, sampler uq; issue 8, docs/SPEED.md "Speed pass
 * 11"): the dither of coefficient zz of block `block` (raster block number in the
 * plane) is item zz of the sub-stream of the block's key (rec_prng.h), minus 1/2:
 *   K_b = rec_prng_u64(seed, plane, block * 64 * REC_KEY_DRAWS)
 *   u   = rec_prng_stream_uniform(K_b, zz) - 1/2
 * K_b is the Philox block that coefficient 0's own draw 0 would use (no other draw
 * of a uq file uses that counter once the flag is set). One Philox call per block
 * instead of one per coded coefficient (~90 instructions each); keyed by seed,
 * plane, block and zz only, so every --threads N and band height gives the same
 * bits. Without the flag: u = rec_key_uniform(key, 0) - 1/2 (rec_uq_draws). */
static inline uint64_t block_dither_key(const recimg_rec_plane_params *pp, uint64_t block)
{
    return pp->block_dither ? rec_prng_u64(pp->seed, pp->plane, block * 64u * REC_KEY_DRAWS) : 0u;
}

/* Prediction and zero-bit rule of AC coefficient zz (1..63; the context model of the
 * CONTINUOUS kind, which the row functions check): cs->pred, cs->b, cs->b0, cs->mean. g is the in-block gain's factor, 1 without the gain (x 1 is
 * exact). Returns 1 when the coefficient is skipped. Every coefficient, coded or not,
 * comes through here, so it is kept to the prediction, one product and the rule (speed,
 * issue 8, docs/SPEED.md "Speed pass 10"; the same operations as before, the same bits). */
static inline int ac_predict_skip(recimg_ctx *ctx, int zz, double thr, double g, coef_setup *cs)
{
    const double b0 = recimg_ctx_predict_ac(ctx, zz, &cs->pred);
    const double b = b0 * g;
    cs->b = b;
    cs->b0 = b0;
    cs->mean = 0.0;   /* skipped ones too: the block flag's tries measure their error from it */
    return b * b < thr && !recimg_ctx_explore(ctx, &cs->pred);
}

/* A skip run's first coded coefficient: cs takes the fields ac_predict_skip set in t. */
static inline void adopt_prediction(coef_setup *cs, const coef_setup *t)
{
    cs->pred = t->pred;
    cs->b = t->b;
    cs->b0 = t->b0;
    cs->mean = t->mean;
}

/* The part of setup_coef a coded coefficient adds: its weight, prior, key and (flag
 * 0x20) dither; dkey = block_dither_key(pp, block). */
static inline void setup_coef_coded(const recimg_rec_plane_params *pp, uint64_t block, uint64_t dkey, int zz,
                                    coef_setup *cs)
{
    cs->skip = 0;
    cs->w = pp->stat_weight;
    cs->prior.family = REC_PRIOR_LAPLACE;
    cs->prior.mean = cs->mean;
    cs->prior.scale = cs->b;
    if (pp->uq_deadzone && zz != 0) {   /* flags2 0x400 (sampler uq): the deadzone of an AC coefficient */
        if (pp->dz_fast_rule)   /* flags2 0x2000: the table */
            recimg_dz_rule_fast(cs->b, &cs->dz);
        else
            recimg_dz_rule(cs->b, &cs->dz);
    } else {
        cs->dz.d = 0.0;
        cs->dz.tail = 1.0;
    }
    if (pp->block_dither) {   /* the key is not used (uq_encode / uq_decode, sampler uq only) */
        cs->u = rec_prng_stream_uniform(dkey, (uint32_t)zz) - 0.5;
        return;
    }
    cs->key.seed = pp->seed;
    cs->key.stream = pp->plane;
    cs->key.index = block * 64 + (uint64_t)zz;
}

/* Deadzone uq (flags2 0x400, codec_deadzone.h): the dither of a coded coefficient. */
static double dz_dither(const recimg_rec_plane_params *pp, const coef_setup *cs)
{
    return pp->block_dither ? cs->u
                            : rec_prng_uniform(cs->key.seed, cs->key.stream, cs->key.index * REC_KEY_DRAWS) - 0.5;
}

/* After the bin k of g: r->x and r->draws.half_width become the y-cell's centre and
 * half width, so that everything downstream (feedback, far-bin, table, output) works
 * on the y-cell; r->edges already hold its edge exponentials. */
static inline void dz_result(const coef_setup *cs, double u, int64_t k, rec_quant_result *r)
{
    double lo, hi;
    recimg_dz_cell(k, u, cs->dz.d, &lo, &hi);
    r->k = k;
    r->draws.u = u;
    r->draws.step = SQRT12;
    r->x = 0.5 * (lo + hi);
    r->draws.half_width = 0.5 * (hi - lo);
}

/* The default deadzone path (flags 0x20 and revision FAST): dz_encode / dz_decode in
 * one call of the unit-step coder (rec_uq_unit_encode_fast_tail, the step folded), inline
 * in the row loops (speed, issue 8, docs/SPEED.md "Speed pass 16"; the same bits). */
static inline rec_status dz_encode_unit(const coef_setup *cs, double y, rec_rc_encoder *enc, rec_quant_result *r)
{
    const rec_status st = rec_uq_unit_encode_fast_tail(enc, recimg_dz_compand(y, cs->dz.d), cs->u, cs->mean, cs->b,
                                                       cs->dz.tail, r);
    if (st == REC_OK)   /* r->k is set */
        dz_result(cs, cs->u, r->k, r);
    return st;
}

static inline rec_status dz_decode_unit(const coef_setup *cs, rec_rc_decoder *dec, rec_quant_result *r)
{
    const rec_status st = rec_uq_unit_decode_fast_tail(dec, cs->u, cs->mean, cs->b, cs->dz.tail, r);
    if (st == REC_OK)
        dz_result(cs, cs->u, r->k, r);
    return st;
}

static rec_status dz_encode(const recimg_rec_plane_params *pp, const coef_setup *cs, double y,
                            rec_rc_encoder *enc, rec_quant_result *r)
{
    const double u = dz_dither(pp, cs);
    const double g = recimg_dz_compand(y, cs->dz.d);
    const double v = g / SQRT12 + u + 0.5;
    int64_t k;
    rec_status st;
    if (!(v < 4e15 && v > -4e15))
        return REC_ERR_INVALID_ARG;
    k = (int64_t)floor(v);
    st = rec_quant_code_bin_tail(enc, k, SQRT12, u, &cs->prior, pp->quant_rev == REC_QUANT_REV_FAST, cs->dz.tail,
                                 &r->edges);
    dz_result(cs, u, k, r);
    return st;
}

static rec_status dz_decode(const recimg_rec_plane_params *pp, const coef_setup *cs, rec_rc_decoder *dec,
                            rec_quant_result *r)
{
    const double u = dz_dither(pp, cs);
    int64_t k = 0;
    rec_status st;
    st = rec_quant_decode_bin_tail(dec, SQRT12, u, &cs->prior,
                                                    pp->quant_rev == REC_QUANT_REV_FAST, cs->dz.tail, &k,
                                                    &r->edges);
    dz_result(cs, u, k, r);
    return st;
}

/* uq coding of a coefficient set up by setup_coef: its key's dither, or with header
 * flag 0x20 the block stream's (cs->u). */
static inline rec_status uq_encode(const recimg_rec_plane_params *pp, const coef_setup *cs, double y,
                                   rec_rc_encoder *enc, rec_quant_result *r)
{
    r->edges.known = 0;
    if (cs->dz.d > 0.0)
        return pp->block_dither && pp->quant_rev == REC_QUANT_REV_FAST ? dz_encode_unit(cs, y, enc, r)
                                                                       : dz_encode(pp, cs, y, enc, r);
    if (pp->block_dither && pp->quant_rev == REC_QUANT_REV_FAST)   /* the default: one call, the same bits */
        return rec_uq_unit_encode_fast(enc, y, cs->u, cs->mean, cs->b, r);
    return pp->block_dither ? rec_uq_encode_dither(pp->quant_rev, y, SQRT12, cs->u, &cs->prior, enc, r)
                            : rec_uq_encode_rev(pp->quant_rev, y, SQRT12, &cs->prior, &cs->key, enc, r);
}

static inline rec_status uq_decode(const recimg_rec_plane_params *pp, const coef_setup *cs,
                                   rec_rc_decoder *dec, rec_quant_result *r)
{
    r->edges.known = 0;
    if (cs->dz.d > 0.0)
        return pp->block_dither && pp->quant_rev == REC_QUANT_REV_FAST ? dz_decode_unit(cs, dec, r)
                                                                       : dz_decode(pp, cs, dec, r);
    if (pp->block_dither && pp->quant_rev == REC_QUANT_REV_FAST)
        return rec_uq_unit_decode_fast(dec, cs->u, cs->mean, cs->b, r);
    return pp->block_dither ? rec_uq_decode_dither(pp->quant_rev, SQRT12, cs->u, &cs->prior, dec, r)
                            : rec_uq_decode_rev(pp->quant_rev, SQRT12, &cs->prior, &cs->key, dec, r);
}

/* The one place that derives everything shared about coefficient zz of block
 * `block` from the context: the encoder and the decoder both call it (or, for runs
 * of AC coefficients, ac_predict_skip and setup_coef_coded, the same two halves), so
 * the prior and the randomness key cannot drift apart between the two sides. */
static inline void setup_coef(recimg_ctx *ctx, int zz, double thr, const recimg_rec_plane_params *pp,
                       uint64_t block, uint64_t dkey, const block_gain_state *bg, coef_setup *cs)
{
    if (zz != 0) {
        cs->skip = ac_predict_skip(ctx, zz, thr, pp->block_gain ? bg->g : 1.0, cs);
        if (cs->skip)
            return;   /* a skipped coefficient needs b only: no prior, no key */
    } else {
        recimg_ctx_predict(ctx, zz, &cs->pred);
        cs->b = recimg_ctx_scale(ctx, &cs->pred);
        cs->b0 = cs->b;
        cs->mean = (double)recimg_ctx_dc_predict(ctx) / DC_UNITS;
    }
    setup_coef_coded(pp, block, dkey, zz, cs);
}

/* After an AC coefficient coded in place: add it to the block's gain sums. */
static inline void block_gain_add(block_gain_state *bg, int zz, const coef_setup *cs, double mmse)
{
    if (zz == 0)
        return;
    recimg_gain_add(bg, (mmse - cs->mean) * (mmse - cs->mean), cs->b0 * cs->b0, GAIN_BETA, GAIN_C);
}

/* Deadzone uq (flags2 0x400): the statistic's E[y^2 | y-cell] (codec_deadzone.h), out of
 * feedback's inline body. */
static double dz_second_moment(const coef_setup *cs, double lo, double hi, const rec_quant_edges *ed)
{
    return ed ? recimg_dz_second_moment(lo, hi, cs->b, ed->known, ed->e_lo, ed->e_hi)
              : recimg_dz_second_moment(lo, hi, cs->b, 0, 0.0, 0.0);
}

/* Shared feedback after a coded coefficient: x, hw (bin half width) in sigma units;
 * hw < 0 means no bin is known (rejection samplers): E[y | X] under the Gaussian of the
 * prior's variance v = 2 b^2, mean + v / (v + 1) (X - mean). ed (may be NULL): the bin
 * coder's edge exponentials (closed-form coder), which make E[y | K, W] free of
 * further exponentials. */
static inline void feedback(recimg_ctx *ctx, int zz, const coef_setup *cs, double x, double hw,
                     const rec_quant_edges *ed, double *mmse)
{
    const double v = 2.0 * cs->b * cs->b;
    const double lo = x - hw - cs->mean, hi = x + hw - cs->mean;
    const double e = hw < 0.0 ? cs->mean + v / (v + 1.0) * (x - cs->mean)
                     : ed && ed->known
                         ? cs->mean + trunc_mean_edges(lo, hi, cs->b, ed->e_lo, ed->e_hi)
                         : cs->mean + recimg_laplace_trunc_mean(lo, hi, cs->b);
    *mmse = e;
    /* mag_q16 and stat_q16 saturate, and every caller is under the row functions' check of
       the CONTINUOUS kind */
    recimg_ctx_update_in_range(ctx, zz, &cs->pred, mag_q16(e - cs->mean),
                               stat_q16(cs->dz.d > 0.0 ? cs->w * dz_second_moment(cs, lo, hi, ed)
                                                       : cs->w * (e - cs->mean) * (e - cs->mean)),
                               1);
    if (zz == 0)
        recimg_ctx_dc_record(ctx, dc_record(e));
}

/* Far-bin reconstruction (header flag 0x02, uq files): the decoder's estimate of y
 * for a coded coefficient whose bin [X - W, X + W] does not hold the prior mean is
 * the mean of the Laplace of scale max(b, FAR_BIN_SCALE) (sigma units) on the bin
 * instead of scale b. The context model's b fits the bulk of a cell; a value in a
 * bin away from the mean is mostly one of the rare large ones (edges) the cell's
 * Laplace under-predicts, and with b << W the prior's mean sits at the bin's inner
 * edge + b, biased towards the mean (docs/REC_CODEC.md, "Prior-adaptive uq step
 * and far-bin reconstruction": TRAIN scale 0.7 / 1 / 1.3 measured, 1 kept). Only
 * the reconstruction changes: the fed-back e stays the prior's (feeding this
 * estimate back lost). A prior-adaptive uq step (a coarser step instead of the
 * skip for low-information coefficients) was measured too and lost under context
 * model v3 (same section). */
#define FAR_BIN_SCALE 1.0

static double far_bin_estimate(const coef_setup *cs, double x, double hw, double mmse)
{
    const double lo = x - hw - cs->mean, hi = x + hw - cs->mean;
    if (!(cs->b < FAR_BIN_SCALE) || !(hw >= 0.0) || !(lo > 0.0 || hi < 0.0))
        return mmse;
    return cs->mean + recimg_laplace_trunc_mean(lo, hi, FAR_BIN_SCALE);
}

/* Reconstruction table (header flag 0x40, codec_recon.h; docs/REC_CODEC.md
 * "Reconstruction table"): for a coefficient coded in place with a bin [X - W, X + W]
 * (hw >= 0), its class (plane, band group, whether the bin holds the prior mean) and
 * the direction sign(X - mean) (+1 at 0). The encoder adds the folded error of the
 * estimate the decoder would output without the table (far-bin estimate included);
 * the decoder adds the class's correction in that direction, clamped into the bin.
 * Reconstruction only: the fed-back e and the in-block gain's sums never see it. */
static int recon_class(const recimg_rec_plane_params *pp, const coef_setup *cs, int zz, double x,
                       double hw, double *sign)
{
    const double lo = x - hw - cs->mean, hi = x + hw - cs->mean;
    *sign = x - cs->mean >= 0.0 ? 1.0 : -1.0;
    return recimg_recon_class(pp->plane > 0, zz, lo > 0.0 || hi < 0.0);
}

/* The encoder's far-bin estimate for the table's sums: far_bin_estimate's value (a far
 * bin is always in recimg_laplace_trunc_mean's one-sided branches, lo + or hi -
 * exp_trunc_mean(hi - lo, FAR_BIN_SCALE)) with the width taken as 2 hw, whose
 * exp_trunc_mean is kept for the last hw (uq's is constant). It can differ from the
 * decoder's estimate in the last bits (hi - lo is 2 hw rounded); the table is the
 * encoder's choice and needs no more, and rec_expm1 per far bin was most of the table's
 * cost in the encoder (issue 8). */
typedef struct {
    double hw, etm;   /* hw < 0: empty */
} far_cache;

static double far_estimate_cached(const coef_setup *cs, double lo, double hi, double hw, double mmse,
                                  far_cache *fc)
{   /* lo, hi: the bin's edges relative to the mean, known far (lo > 0 or hi < 0) */
    if (!(cs->b < FAR_BIN_SCALE) || !(hw > 0.0))
        return mmse;
    if (hw != fc->hw) {
        fc->hw = hw;
        fc->etm = exp_trunc_mean(2.0 * hw, FAR_BIN_SCALE);
    }
    return cs->mean + (lo >= 0.0 ? lo + fc->etm : hi - fc->etm);
}

/* acc: the running sums (encode_rows keeps them in a local copy of stats->recon while it
 * runs, so that the stores cannot alias its other data; the same additions in the same
 * order). ru: the plane's classes and sigma_k^2 by zigzag index (recon_class's class and
 * the product recimg_recon_acc_add would form); the folded error sign * (y - est) with
 * sign = +-1 is d or -d, the same double. */
static void recon_table_add(const recimg_rec_plane_params *pp, const recimg_recon_units *ru, const coef_setup *cs,
                            int zz, double x, double hw, double y, double mmse, far_cache *fc,
                            recimg_recon_acc *acc)
{
    const double lo = x - hw - cs->mean, hi = x + hw - cs->mean;
    const int far = lo > 0.0 || hi < 0.0;
    const double est = far && pp->uq_far_bin ? far_estimate_cached(cs, lo, hi, hw, mmse, fc) : mmse;
    const double d = y - est;
    recimg_recon_acc_add_zz(acc, ru, zz, far, x - cs->mean >= 0.0 ? d : -d);
}

/* Decoder: the corrected estimate (pp->recon_zz non-NULL). */
static double recon_table_apply(const recimg_rec_plane_params *pp, const coef_setup *cs, int zz, double x,
                                double hw, double est)
{
    const double lo = x - hw - cs->mean, hi = x + hw - cs->mean;
    const double c = pp->recon_zz[zz][lo > 0.0 || hi < 0.0];
    if (c == 0.0)
        return est;
    return recimg_recon_apply(est, x - cs->mean >= 0.0 ? 1.0 : -1.0, c, x - hw, x + hw);
}

/* Step cap of the rejection samplers (gprs-bnb also stops at depth 111). */
#define RS_MAX_STEPS ((uint64_t)1 << 20)
/* gprs-bnb handles standardized targets |mu| <= BNB_FAR; beyond, lrq (flagged) */
#define BNB_FAR 6.0
/* pfr and gprs examine on average 2^Dinf proposals, Dinf = -log2 s + mu^2 / (2 (1 - s^2))
   / ln 2 (DESIGN 2). Targets with Dinf > RS_DINF_CAP bits take the flagged lrq path, so
   an item costs at most ~2^RS_DINF_CAP proposals on average and RS_MAX_STEPS is 2^8
   times that mean. 12 bits measured in docs/REC_CODEC.md (encode time). gprs's number
   of proposals has a polynomial tail (near the mode of r its acceptance rate falls like
   1/time): under context model v2 astronaut (quality 50) hit RS_MAX_STEPS on a target of
   Dinf = 11.5 bits and, with a 10-bit cap, gravel (0.25 bpp) on one of 9.6 bits, so gprs
   sends targets above RS_DINF_CAP_GPRS = 8 bits (2^12 times the mean before the step cap)
   to lrq. A lower failure rate, not a guarantee. Encoder-only: the far flag tells the
   decoder, so files made with another cap decode unchanged. */
#define RS_DINF_CAP 12.0
#define RS_DINF_CAP_GPRS 8.0

typedef recimg_rec_plane_state bnb_state;   /* gprs-bnb's adaptive models, per plane */

void recimg_rec_plane_state_init(recimg_rec_plane_state *ps)
{
    rec_gprs_bnb_model_init(&ps->bnb);
    rec_rc_bit_model_init(&ps->far);
    rec_rc_bit_model_init(&ps->group_escape);
    ps->gain_table_ready = 0;
    for (int i = 0; i < 2; i++)
        for (int n = 0; n < 3; n++)
            rec_rc_bit_model_init(&ps->flag[i][n]);
}

/* Encoder-only rule: does the target y need the lrq fallback? Depends on y and
 * the prior only, never on the shared randomness, so it cannot bias the sample
 * (both branches simulate N(y, 1) exactly). libm is fine: the result is coded. */
static int target_is_far(recimg_sampler s, double y, double mean, double vp)
{
    const double d = y - mean;
    if (s == RECIMG_SAMPLER_GPRS_BNB)
        return d * d > BNB_FAR * BNB_FAR * vp;
    {
        /* standardized: s^2 = 1 / vp, mu^2 = d^2 / vp; mu^2 / (2 (1 - s^2)) = d^2 / (2 (vp - 1)) */
        const double dinf_nats = 0.5 * log(vp) + d * d / (2.0 * (vp - 1.0));
        const double cap = s == RECIMG_SAMPLER_GPRS ? RS_DINF_CAP_GPRS : RS_DINF_CAP;
        return !(dinf_nats <= cap * 0.69314718055994530942);
    }
}

/* Runs the sampler; r->x is the sample and r->draws.half_width the bin's half
 * width (-1 for the rejection samplers, which reveal no bin). gprs-bnb, gprs and
 * pfr simulate the same Gaussian channel N(y, 1) against the Gaussian prior of X
 * with the Laplace prior's mean and variance plus the noise (v + 1): exact for
 * any prior. The decoder never sees y: it reads the far flag, then the code. */
static rec_status run_sampler(int encode, recimg_sampler s, rec_quant_rev rev, double y,
                              const rec_prior *prior, const rec_key *key, rec_rc_encoder *enc,
                              rec_rc_decoder *dec, bnb_state *model, rec_quant_result *r)
{
    r->edges.known = 0;
    if (s == RECIMG_SAMPLER_GPRS_BNB || s == RECIMG_SAMPLER_GPRS || s == RECIMG_SAMPLER_PFR) {
        const double vp = 2.0 * prior->scale * prior->scale + 1.0;
        const rec_rs_sampler rs = s == RECIMG_SAMPLER_GPRS_BNB ? REC_RS_GPRS_BNB
                                  : s == RECIMG_SAMPLER_GPRS   ? REC_RS_GPRS
                                                               : REC_RS_PFR;
        rec_status st;
        int far;
        /* A target far in the tail of the Gaussian prior of X can exceed the
           branch-and-bound depth cap (gprs-bnb) or need about 2^Dinf proposals
           (pfr, gprs). The encoder decides by target_is_far; a flag (adaptive bit)
           tells the decoder; far targets use lrq. */
        if (encode) {
            far = target_is_far(s, y, prior->mean, vp);
            rec_rc_encode_bit(enc, &model->far, far);
        } else {
            far = rec_rc_decode_bit(dec, &model->far);
        }
        if (far)
            return encode ? rec_lrq_encode_rev(rev, y, 1.0, prior, key, enc, r)
                          : rec_lrq_decode_rev(rev, 1.0, prior, key, dec, r);
        r->k = 0;
        r->draws.u = 0.0;
        r->draws.step = 0.0;
        r->draws.half_width = -1.0;
        if (encode) {
            rec_rs_result rr;
            st = rec_rs_encode_gauss(rs, prior->mean, vp, y, 1.0, key, RS_MAX_STEPS,
                                     &model->bnb, enc, &rr);
            r->x = rr.x;
        } else {
            st = rec_rs_decode_gauss(rs, prior->mean, vp, 1.0, key, &model->bnb, dec, &r->x);
        }
        return st;
    }
    if (s == RECIMG_SAMPLER_UQ || s == RECIMG_SAMPLER_BLOCK)   /* block: the coefficients outside groups */
        return encode ? rec_uq_encode_rev(rev, y, SQRT12, prior, key, enc, r)
                      : rec_uq_decode_rev(rev, SQRT12, prior, key, dec, r);
    return encode ? rec_lrq_encode_rev(rev, y, 1.0, prior, key, enc, r)
                  : rec_lrq_decode_rev(rev, 1.0, prior, key, dec, r);
}

/* ---- encoder-only statistics: KL(Q || P_X) of one coded coefficient, in bits.
 * libm is fine here: nothing below feeds the file or shared state. Units: sigma.
 * P_X is the marginal of the sample, the Laplace(0, b) prior of y convolved
 * with the channel noise; the expectation over Q is a 64-point midpoint rule. */

/* log of the Laplace(0, b) probability of [lo, hi], lo < hi: the one-sided cells in closed
 * form (-|edge nearest 0| / b + log(1/2 (1 - e^(-(hi - lo) / b)))), so that a cell far out in
 * the tail keeps its full self-information instead of underflowing (a floor of -690.8 nats
 * before session 8) */
static double laplace_log_mass(double lo, double hi, double b)
{
    if (lo >= 0.0)
        return -lo / b + log(-0.5 * expm1(-(hi - lo) / b));
    if (hi <= 0.0)
        return hi / b + log(-0.5 * expm1(-(hi - lo) / b));
    return log1p(-0.5 * exp(lo / b) - 0.5 * exp(-hi / b));
}

/* log erfc(z), stable for large z */
static double log_erfc(double z)
{
    if (z < 5.0)
        return log(erfc(z));
    {
        const double z2 = z * z;
        return -z2 - log(z) - 0.5723649429247001 + log1p(-0.5 / z2 + 0.75 / (z2 * z2));
    }
}

/* log density of Laplace(0, b) convolved with N(0, 1) at x */
static double laplace_gauss_log_pdf(double x, double b)
{
    const double ib = 1.0 / b;
    const double t1 = 0.5 * ib * ib - x * ib + log_erfc((ib - x) * 0.70710678118654752440);
    const double t2 = 0.5 * ib * ib + x * ib + log_erfc((ib + x) * 0.70710678118654752440);
    const double mx = t1 > t2 ? t1 : t2;
    return -log(4.0 * b) + mx + log(exp(t1 - mx) + exp(t2 - mx));
}

static double kl_bits_of(recimg_sampler s, double d, double b)
{
    enum { N = 64 };
    double kl = 0.0;
    if (s == RECIMG_SAMPLER_UQ) {
        /* q = 1/D on [d - D/2, d + D/2]; p_X(x) = P_y([x - D/2, x + D/2]) / D */
        for (int i = 0; i < N; i++) {
            const double x = d + SQRT12 * (((double)i + 0.5) / N - 0.5);
            kl -= laplace_log_mass(x - 0.5 * SQRT12, x + 0.5 * SQRT12, b);
        }
        return kl / N / 0.69314718055994530942;
    }
    if (b < 0.02) {   /* the prior is nearly a point: P_X ~ N(0, 1 + 2 b^2) */
        const double v = 2.0 * b * b;
        return 0.5 * (log1p(v) + (1.0 + d * d) / (v + 1.0) - 1.0) / 0.69314718055994530942;
    }
    {
        /* E_Q[log q - log p_X] with Q = N(d, 1), midpoint rule on d +- 8 */
        double wsum = 0.0;
        for (int i = 0; i < N; i++) {
            const double z = 16.0 * (((double)i + 0.5) / N - 0.5);
            const double w = exp(-0.5 * z * z);
            const double logq = -0.5 * z * z - 0.91893853320467274178;
            kl += w * (logq - laplace_gauss_log_pdf(d + z, b));
            wsum += w;
        }
        return kl / wsum / 0.69314718055994530942;
    }
}

/* The deadzone uq's channel (flags2 0x400, AC, prior mean 0) given y is the bin of g(y)
 * at the dither: its KL is the expected self-information of the y-cell,
 * E_u[-log2 P_y(cell(y, u))]. As u runs over its range, the lower edge l of g's bin runs
 * uniformly over (g - D, g], and the y-cell is [l + d, l + D + d] for l >= 0,
 * [l - d, l + D - d] for l <= -D and [l - d, l + D + d] between (codec_deadzone.h
 * recimg_dz_cell): it jumps at l = 0 and l = -D, so a rule over the whole range errs by up
 * to the jump / 2N (session 7's 64-point rule over u: up to several bits on one coefficient
 * with a small b). Split there: the outer pieces are linear in l (one point at the middle is
 * exact), the middle one smooth (codec_rec.h, RECIMG_KL_DZ_POINTS). */
double recimg_rec_kl_bits_dz(double y, double b, double d)
{
    const double g = recimg_dz_compand(y, d);
    const double a0 = g - SQRT12, a1 = g;   /* the range of l */
    double nats = 0.0, s0, s1;
    if (a1 > 0.0) {   /* l >= 0 */
        const double l0 = a0 > 0.0 ? a0 : 0.0, m = 0.5 * (l0 + a1);
        nats -= (a1 - l0) * laplace_log_mass(m + d, m + SQRT12 + d, b);
    }
    if (a0 < -SQRT12) {   /* l <= -D */
        const double l1 = a1 < -SQRT12 ? a1 : -SQRT12, m = 0.5 * (a0 + l1);
        nats -= (l1 - a0) * laplace_log_mass(m - d, m + SQRT12 - d, b);
    }
    s0 = a0 > -SQRT12 ? a0 : -SQRT12;   /* -D < l < 0: the cell holds 0 */
    s1 = a1 < 0.0 ? a1 : 0.0;
    if (s1 > s0) {
        const double w = (s1 - s0) / RECIMG_KL_DZ_POINTS;
        for (int i = 0; i < RECIMG_KL_DZ_POINTS; i++) {
            const double l = s0 + w * ((double)i + 0.5);
            nats -= w * laplace_log_mass(l - d, l + SQRT12 + d, b);
        }
    }
    return nats / SQRT12 / 0.69314718055994530942;
}

/* want_kl: a coefficient coded in place adds its KL, and to the test's trace if one is set. */
static void kl_add(recimg_rec_stats *stats, uint64_t block, int k, double b, double d, double kl)
{
    stats->kl_bits += kl;
    if (stats->trace) {
        recimg_rec_coef_trace *t = &stats->trace[block * 64 + (uint64_t)k];
        t->coded = 1;
        t->b = b;
        t->d = d;
        t->kl_bits = kl;
    }
}

/* ---- block sampler: groups of low-information coefficients (DESIGN 3.5, 7) ----
 *
 * With --sampler block, the coefficients of one 8x8 block whose expected
 * information I = 1/2 log2(1 + 2 b^2) (sigma units; the same quantity as the
 * zero-bit rule's, known to the decoder before it reads anything) lies in
 * [tau, GROUP_I_HI) are not coded one by one. In zigzag order each such
 * coefficient (never the DC) joins the block's open group, with the prior
 * (mean, b) predicted when its turn comes; a group is simulated ("flushed")
 * as soon as the next member would lift its summed I above GROUP_KAPPA bits,
 * and at the end of the block. All other coded coefficients go through uq
 * in place, exactly as with --sampler uq.
 *
 * What a group simulates, for its d members (sigma units): the target
 * Q = prod N(y_i, 1), the Gaussian channel; the prior the candidates come
 * from is P = prod N(m_i, 2 b_i^2 + 1), the Gaussian with the mean and the
 * variance of the sample's marginal under the Laplace(m_i, b_i) prior (as
 * for the rejection samplers in run_sampler). rec_block_encode draws
 * N = 2^B candidates from P, B = floor(sum I + 1/2) + GROUP_T (t = 0: the
 * budget is the group's expected information rounded; a group with
 * sum I < 1/2 costs no index bits and decodes to the shared candidate 0, a
 * prior draw), and sends the importance-selected index in B raw bits. APPROXIMATE (DESIGN 3.5): the
 * sample is biased towards the prior when the group's KL nears B; the
 * encoder reports the retained fraction sum (X - m)(y - m) / sum (y - m)^2
 * (recimg_rec_stats). A group whose actual KL(Q || P) exceeds
 * B + GROUP_ESCAPE_BITS (an outlier the prior did not expect) would come out
 * close to a prior draw; the encoder sends such a group through uq instead,
 * member by member, and says so with one adaptive bit per group (the rule
 * depends on y and the priors only, never on the shared randomness).
 *
 * Lock-step: the grouping, B and the priors are functions of decoded data
 * only; a pending member records no activity (like a skipped one) until its
 * group is flushed, then every member is fed back in zigzag order with the
 * selected candidate (E[y | X] under the Gaussian of the prior's variance, as
 * for the rejection samplers) - the decoder does the same at the same point.
 * The decoder's MMSE reconstruction of a simulated member discounts X by the
 * share of the group's information its index could carry (group_shrink).
 * Candidates use the PRNG stream GROUP_STREAM + plane, index
 * block * 64 + zz of the first member (rec_block's index * 2^32 + j layout
 * then never meets the per-coefficient draws of stream plane). */
/* Constants of sampler id 6 (docs/FORMAT.md); chosen on TRAIN (docs/REC_CODEC.md,
   "block"): I_hi 0.25 / 0.4 / 0.5 / 1 bits gave +8.8% / +9.5% / +10.3% / +15% BD-rate
   against rounding, t = 1 and ceil budgets cost more, the escape margin 0.5 / 2 / 4 /
   never +9.6% / +8.8% / +9.2% / +10.7%. */
#define GROUP_I_HI 0.25
#define GROUP_KAPPA 8.0
#define GROUP_T 0u
#define GROUP_ESCAPE_BITS 2.0
#define GROUP_STREAM 3000u
#define GROUP_MAX_BLOCKS ((uint64_t)1 << 26)   /* block * 64 + zz < 2^32 (rec_block's key limit) */

typedef struct {
    int zz[63];
    coef_setup cs[63];
    double y[63];          /* encoder: the targets, sigma units */
    double inf[63];        /* the members' I, bits */
    int n;
    double info;           /* sum of the members' I, bits */
    rec_rc_bit_model escape;
} coef_group;

static void group_init(coef_group *g)
{
    g->n = 0;
    g->info = 0.0;
    rec_rc_bit_model_init(&g->escape);
}

/* Expected information of a coded coefficient, bits (rec_math: shared). */
static double coef_info_bits(double b)
{
    return 0.5 * rec_log1p(2.0 * b * b) / 0.69314718055994530942;
}

/* 1 if coefficient zz with setup cs joins a group (block sampler only). */
static int group_wants(const recimg_rec_plane_params *pp, int zz, const coef_setup *cs, double *info)
{
    if (pp->sampler != RECIMG_SAMPLER_BLOCK || zz == 0)
        return 0;
    *info = coef_info_bits(cs->b);
    return *info < (pp->group_info_hi > 0.0 ? pp->group_info_hi : GROUP_I_HI);
}

static unsigned group_kappa(const coef_group *g)
{
    return (unsigned)floor(g->info + 0.5);
}

static void group_prior_key(const coef_group *g, const recimg_rec_plane_params *pp, uint64_t block,
                            double *pm, double *ps, rec_key *key)
{
    for (int i = 0; i < g->n; i++) {
        pm[i] = g->cs[i].mean;
        ps[i] = sqrt(2.0 * g->cs[i].b * g->cs[i].b + 1.0);
    }
    key->seed = pp->seed;
    key->stream = (uint64_t)pp->plane + GROUP_STREAM;
    key->index = block * 64 + (uint64_t)g->zz[0];
}

/* E[y | X] of a simulated member i: mean + c (X - mean). A channel of I bits
 * whose X has the prior marginal's variance v + 1 has c = sqrt((1 - 2^(-2 I)) v / (v + 1))
 * (= v / (v + 1) for the exact channel). The group's index carries B bits for
 * sum I bits of target, so each member is given I_eff = I min(1, B / sum I): a
 * group with no index bits reconstructs at the prior mean. Decoder-known (rec_math). */
static double group_shrink(const coef_group *g, int i, unsigned bits)
{
    const double v = 2.0 * g->cs[i].b * g->cs[i].b;
    double f = g->info > 0.0 ? (double)bits / g->info : 0.0;
    if (f > 1.0)
        f = 1.0;
    return sqrt(-rec_expm1(-2.0 * 0.69314718055994530942 * g->inf[i] * f) * v / (v + 1.0));
}

/* Feedback of member i: sample x, bin half width hw (< 0: simulated by the group,
 * whose index had `bits` bits); *mmse receives the decoder's E[y | code]. A
 * simulated member feeds back the exact channel's E[y | X] (mean + v / (v + 1)
 * (X - mean)) but reconstructs with group_shrink: on TRAIN feeding back the
 * shrunk estimate instead starves the contexts of groups without index bits
 * (BD-rate +9.33% against +8.72%), while reconstructing with v / (v + 1) costs
 * 0.1 point (+8.82%). */
static void group_member_feedback(recimg_ctx *ctx, const coef_group *g, int i, double x, double hw,
                                  const rec_quant_edges *ed, unsigned bits, double *mmse)
{
    const coef_setup *cs = &g->cs[i];
    if (hw >= 0.0) {
        feedback(ctx, g->zz[i], cs, x, hw, ed, mmse);
        return;
    }
    feedback(ctx, g->zz[i], cs, x, -1.0, NULL, mmse);
    *mmse = cs->mean + group_shrink(g, i, bits) * (x - cs->mean);
}

/* Encoder: simulate the open group (or escape it to uq), feed every member back. */
static recimg_status group_encode(rec_rc_encoder *enc, recimg_ctx *ctx, coef_group *g,
                                  const recimg_rec_plane_params *pp, uint64_t block,
                                  recimg_rec_stats *stats)
{
    double qm[63], qs[63], pm[63], ps[63], x[63], hw[63], kl = 0.0, mmse;
    rec_quant_edges ed[63];
    const unsigned kappa = group_kappa(g);
    rec_key key;
    int escape;
    RETURN_IF(block >= GROUP_MAX_BLOCKS, RECIMG_ERR_LIMIT);
    group_prior_key(g, pp, block, pm, ps, &key);
    for (int i = 0; i < g->n; i++) {   /* KL(Q || P) in nats; libm: the decision is coded */
        const double mu = (g->y[i] - pm[i]) / ps[i], s = 1.0 / ps[i];
        qm[i] = g->y[i];
        qs[i] = 1.0;
        kl += -log(s) + 0.5 * (s * s + mu * mu - 1.0);
    }
    escape = !(kl / 0.69314718055994530942 <= (double)(kappa + GROUP_T) + GROUP_ESCAPE_BITS);
    rec_rc_encode_bit(enc, &g->escape, escape);
    if (escape) {
        for (int i = 0; i < g->n; i++) {
            rec_quant_result r;   /* the member's own prior and key, as if coded in place */
            RETURN_IF(rec_uq_encode_rev(pp->quant_rev, g->y[i], SQRT12, &g->cs[i].prior, &g->cs[i].key,
                                        enc, &r) != REC_OK,
                      RECIMG_ERR_INTERNAL);
            x[i] = r.x;
            hw[i] = r.draws.half_width;
            ed[i] = r.edges;
        }
        stats->group_escapes++;
    } else {
        const rec_status st = rec_block_encode((size_t)g->n, qm, qs, pm, ps, kappa, GROUP_T, &key, enc, x, NULL);
        RETURN_IF(st == REC_ERR_NOMEM, RECIMG_ERR_OUT_OF_MEMORY);
        RETURN_IF(st != REC_OK, RECIMG_ERR_INTERNAL);
        for (int i = 0; i < g->n; i++) {
            const double d = g->y[i] - pm[i];
            hw[i] = -1.0;
            ed[i].known = 0;
            if (kappa + GROUP_T > 0) {   /* without index bits X is a prior draw: nothing to measure */
                stats->group_dot += (x[i] - pm[i]) * d;
                stats->group_norm2 += d * d;
            }
        }
        stats->groups++;
        stats->group_bits += (double)(kappa + GROUP_T);
    }
    for (int i = 0; i < g->n; i++) {
        group_member_feedback(ctx, g, i, x[i], hw[i], &ed[i], kappa + GROUP_T, &mmse);
        if (pp->want_kl)
            stats->kl_bits += kl_bits_of(escape ? RECIMG_SAMPLER_UQ : RECIMG_SAMPLER_LRQ,
                                         g->y[i] - g->cs[i].mean, g->cs[i].b);
        stats->coded++;
    }
    g->n = 0;
    g->info = 0.0;
    return RECIMG_OK;
}

/* Adds a member; flushes first when it would lift the group above GROUP_KAPPA bits. */
static recimg_status group_add_encode(rec_rc_encoder *enc, recimg_ctx *ctx, coef_group *g, int zz,
                                      const coef_setup *cs, double y, double info,
                                      const recimg_rec_plane_params *pp, uint64_t block,
                                      recimg_rec_stats *stats)
{
    if (g->n > 0 && g->info + info > GROUP_KAPPA)
        FORWARD_IF_ERROR(group_encode(enc, ctx, g, pp, block, stats));
    g->zz[g->n] = zz;
    g->cs[g->n] = *cs;
    g->y[g->n] = y;
    g->inf[g->n] = info;
    g->info += info;
    g->n++;
    return RECIMG_OK;
}

typedef struct {
    double rb;          /* sqrt(2.0 / pp->stat_weight) */
    double f[64];       /* SKIP_DRAW_FLOOR / pp->sigma[k] */
    int group[64];      /* recimg_skip_group(zz) */
} skip_energy_prep;
static void skip_energy_prepare(const recimg_rec_plane_params *pp, skip_energy_prep *sp);
static void skip_energy_add_prep(const skip_energy_prep *sp, const recimg_rec_plane_params *pp,
                                 double b, int k, int zz, double coef, recimg_rec_stats *stats);

/* ---- block flag (prior id 4; docs/REC_CODEC.md "Block flag", docs/FORMAT.md) ----
 *
 * The zero-bit rule decides from the predicted scale alone, and the in-block gain
 * corrects that prediction only with what the block's coded coefficients showed. What
 * only the encoder sees stays unused: whether the block's skipped coefficients hold
 * large values (an edge; the loss located in "Diagnosis and context model v2") that
 * are worth their bits, or whether its coded ones cost more than they bring. A flag
 * per COEFFICIENT costs more than it recovers (the hybrid measured there); prior id 4
 * sends one level per luma BLOCK: after the DC, a level l in {0, 1, 2} is coded, and
 * the block's AC prior scales are multiplied by flag_mult[l] = 1, 0.7, 2 (after the
 * in-block gain, before the zero-bit rule and the coding; the gain's sums keep b0).
 * Coded coefficients stay exact uq channels: the level changes which coefficients
 * are coded and the prior they are coded under, nothing else.
 * Code: an adaptive bit (l != 0), then if set (l == 2), each with a model per number
 * n (0..2) of the left and above blocks whose level is not 0.
 * Encoder: codes the rest of the block with each level on a scratch range coder,
 * rolling the context model back after each try (recimg_ctx_snap; the winner's try is
 * then adopted, not coded again: block_flag_encode), and keeps the
 * lowest D + lambda R: D the MMSE decoder's squared error over the AC coefficients
 * (sample units, far-bin estimate included), R the try's bits plus the level's under
 * the current models, lambda = FLAG_LAMBDA sigma_0^2 (FLAG_LAMBDA_FLAT with the flat
 * matrix; sigma_0 the plane's DC noise
 * sd). The level is coded, so the decoder needs none of this; rec_math only, so the
 * bytes are the same on every build.
 * Chosen on TRAIN with a scratch build (bench/diagnostics/rdflag_hooks.patch;
 * docs/REC_CODEC.md "Block flag"): BD-rate against round* +5.93% without, levels
 * {1, 2} +5.53%, {1, 0.7} +5.99%, {1, 0.7, 2} +4.81% (lambda 3 / 5: +5.11% / +5.22%),
 * {1, 0.5, 2} +5.15%, {1, 0.7, 2, 0.4} +4.87%; chroma planes too +4.80% (not worth
 * their encoder time). */
#define FLAG_ZZ 1          /* the level is coded before this zigzag index (the first AC: the
                              skip runs of the row functions start after it) */
#define FLAG_LEVELS 3
#define FLAG_LAMBDA 4.0
/* With the flat matrix 0 (rec mode's default with the deadzone uq since session 9) every
 * band's noise is sigma_0 and sigma_0 is 23/16 of matrix 1's at the same quality, so
 * FLAG_LAMBDA sigma_0^2 would weigh rate about twice as heavily as the tuned slope did; uq's
 * own slope 2 ln 2 sigma^2 per bit takes its place there. TRAIN against round* with its
 * deadzone (docs/REC_CODEC.md "Encoder parameters under the deadzone (session 8)"), lambda /
 * sigma_0^2 = 1 / 1.4 / 2 / 4: +2.86% / +2.27% / +2.19% / +3.77% (mean curves), per image
 * +1.04% / +0.84% / +1.22% / +3.26%; on matrix 1 1.4 loses (+6.20% against +4.21% at 4). */
#define FLAG_LAMBDA_FLAT 1.3862943611198906
static const double flag_mult[FLAG_LEVELS] = {1.0, 0.7, 2.0};

static void block_gain_set_mult(block_gain_state *bg, double mult)
{
    bg->mult = mult;
    bg->g *= mult;   /* g was computed with mult 1 (nothing coded since the block began) */
}

/* Encoder: bits of level l under the current models. */
static double flag_level_bits(const recimg_rec_plane_state *ps, int n, int l)
{
    const double p0 = (double)ps->flag[0][n].p / 65536.0;
    double nats = -rec_log(l != 0 ? 1.0 - p0 : p0);
    if (l != 0) {
        const double p1 = (double)ps->flag[1][n].p / 65536.0;
        nats -= rec_log(l == 2 ? 1.0 - p1 : p1);
    }
    return nats / 0.69314718055994530942;
}

/* Encoder work space of the tries (recimg_rec_encode_rows). A try that runs to the
 * end keeps what the coding of its level would leave (kept[l]): the coder operations
 * (log), the model's changes (snap, undone: recimg_ctx_snap_redo puts them back) and
 * what the statistics need, so that the winner is adopted instead of coded again. */
typedef struct {
    rec_rc_encoder scratch;
    rec_rc_log log[FLAG_LEVELS];
    recimg_ctx_snap snap[FLAG_LEVELS];
    int kept[FLAG_LEVELS];
    int prev;   /* the previous block's level: tried first */
    uint8_t skip[FLAG_LEVELS][64];                     /* by zz: skipped */
    double b[FLAG_LEVELS][64], dm[FLAG_LEVELS][64];    /* by zz: cs.b, y - cs.mean */
    double dzd[FLAG_LEVELS][64];                       /* by zz: cs.dz.d (deadzone uq) */
    int rcls[FLAG_LEVELS][64];                         /* recon_table: class and folded error */
    double rerr[FLAG_LEVELS][64];
} flag_work;

/* Encoder: D and R (bits) of coding zz = FLAG_ZZ..63 of the block blk (64 raster
 * coefficients, sample units) with level l (bg: the gain state with its multiplier
 * set) on the scratch coder. *coded: how many coefficients were coded. The try stops
 * early (*bits = -1) once D + lambda R is known to exceed bound: both only grow, and
 * R is at least rec_rc_encoder_cost_bits_floor; the model is then restored. A try that
 * runs to the end is kept in fw (flag_work) and leaves the model as its coding would
 * (the caller undoes it with fw->snap[l]). */
static recimg_status flag_try(recimg_ctx *ctx, const recimg_rec_plane_params *pp, const double *blk,
                              uint64_t block, block_gain_state bg, double thr, double lambda, double bound,
                              flag_work *fw, int l, double *d, double *bits, int *coded)
{
    recimg_ctx_snap *snap = &fw->snap[l];
    rec_rc_encoder *scratch = &fw->scratch;
    recimg_status st = RECIMG_OK;
    int stopped = 0;
    *d = 0.0;
    *coded = 0;
    recimg_ctx_snap_begin(ctx, snap);
    rec_rc_encoder_reset(scratch);
    rec_rc_log_clear(&fw->log[l]);
    rec_rc_encoder_set_log(scratch, &fw->log[l]);
    const uint64_t dkey = block_dither_key(pp, block);
    for (int zz = FLAG_ZZ; zz < 64; zz++) {
        const int k = recimg_zigzag[zz];
        const double y = blk[k] / pp->sigma[k];
        recimg_ctx_pred p;
        coef_setup cs;
        rec_quant_result r;
        double mmse, est;
        recimg_ctx_predict(ctx, zz, &p);   /* the cells setup_coef and feedback will change */
        recimg_ctx_snap_note(ctx, snap, &p);
        setup_coef(ctx, zz, thr, pp, block, dkey, &bg, &cs);
        fw->skip[l][zz] = (uint8_t)cs.skip;
        fw->b[l][zz] = cs.b;
        fw->dm[l][zz] = y - cs.mean;
        fw->dzd[l][zz] = cs.skip ? 0.0 : cs.dz.d;
        if (cs.skip) {
            *d += (y - cs.mean) * (y - cs.mean) * pp->sigma[k] * pp->sigma[k];
        } else {
            if (uq_encode(pp, &cs, y, scratch, &r) != REC_OK) {
                st = RECIMG_ERR_INTERNAL;
                break;
            }
            feedback(ctx, zz, &cs, r.x, r.draws.half_width, &r.edges, &mmse);
            block_gain_add(&bg, zz, &cs, mmse);
            est = pp->uq_far_bin ? far_bin_estimate(&cs, r.x, r.draws.half_width, mmse) : mmse;
            *d += (est - y) * (est - y) * pp->sigma[k] * pp->sigma[k];
            if (pp->recon_table) {   /* what recon_table_add would add, for flag_adopt */
                double sign;
                fw->rcls[l][zz] = recon_class(pp, &cs, zz, r.x, r.draws.half_width, &sign);
                fw->rerr[l][zz] = sign * (y - est);
            }
            ++*coded;
        }
        if (*d + lambda * (double)rec_rc_encoder_cost_bits_floor(scratch) > bound) {
            stopped = 1;
            break;
        }
    }
    rec_rc_encoder_set_log(scratch, NULL);
    fw->kept[l] = st == RECIMG_OK && !stopped;
    if (!fw->kept[l])
        recimg_ctx_snap_restore(ctx, snap);
    *bits = stopped ? -1.0 : rec_rc_encoder_cost_bits(scratch);
    if (st == RECIMG_OK && !stopped && *bits < 0.0)
        st = RECIMG_ERR_OUT_OF_MEMORY;
    return st;
}

/* Encoder: the rest of the block as the kept try of level l coded it: its coder
 * operations on enc, its model (put back unless in_place), the statistics the coding
 * loop would add. */
static recimg_status flag_adopt(rec_rc_encoder *enc, recimg_ctx *ctx, flag_work *fw, int l, int in_place,
                                const recimg_rec_plane_params *pp, const double *blk, uint64_t block,
                                const skip_energy_prep *sep, recimg_rec_stats *stats)
{
    RETURN_IF(rec_rc_log_replay(enc, &fw->log[l]) != 0, RECIMG_ERR_OUT_OF_MEMORY);
    if (!in_place)
        recimg_ctx_snap_redo(ctx, &fw->snap[l]);
    for (int zz = FLAG_ZZ; zz < 64; zz++) {
        const int k = recimg_zigzag[zz];
        if (fw->skip[l][zz]) {
            stats->skipped++;
            if (pp->skip_energy)
                skip_energy_add_prep(sep, pp, fw->b[l][zz], k, zz, blk[k], stats);
        } else {
            if (pp->want_kl)
                kl_add(stats, block, k, fw->b[l][zz], fw->dzd[l][zz],
                       fw->dzd[l][zz] > 0.0 ? recimg_rec_kl_bits_dz(fw->dm[l][zz], fw->b[l][zz], fw->dzd[l][zz])
                                            : kl_bits_of(RECIMG_SAMPLER_UQ, fw->dm[l][zz], fw->b[l][zz]));
            if (pp->recon_table)
                recimg_recon_acc_add(&stats->recon, fw->rcls[l][zz], pp->sigma[k], fw->rerr[l][zz]);
            stats->coded++;
        }
    }
    return RECIMG_OK;
}

/* Encoder, at zz = FLAG_ZZ of a block of a plane with pp->block_flag: chooses the
 * level (the lowest J = D + lambda R + lambda (the level's bits), the lowest level on
 * a tie), codes it and applies its multiplier to bg. Speed: a level whose try codes
 * nothing tells the tries of the levels with smaller multipliers (smaller scales, the
 * same predictions and exploration counters): they code nothing either and have its
 * D and R exactly, so only the level's bits differ. A try stops as soon as it cannot
 * beat the best J so far (with a margin for rounding); the level with the lowest J
 * never stops, whatever the order of the tries, so the choice is the one full tries
 * would make. The previous block's level is tried first (it is often the winner, and
 * a low best J early stops the others sooner), then 0.7, 1 and 2 as yet unknown.
 * When the winner's try ran to the end (always, unless the shortcut gave its J), the
 * rest of the block is adopted from it (flag_adopt; *done = 1): a try's coder
 * operations, model updates and statistics are those of coding the block (the same
 * calls in the same order; the coder's operations do not depend on its state), so the
 * file is the same bytes as coding the block again would give. Otherwise *done = 0
 * and the caller codes the block. */
static recimg_status block_flag_encode(rec_rc_encoder *enc, recimg_ctx *ctx, recimg_rec_plane_state *ps,
                                       const recimg_rec_plane_params *pp, const double *blk, uint64_t block,
                                       double thr, flag_work *fw, block_gain_state *bg,
                                       const skip_energy_prep *sep, recimg_rec_stats *stats, int *done)
{
    static const int pref[FLAG_LEVELS] = {1, 0, 2};   /* flag_mult 0.7, 1, 2 */
    const int n = recimg_ctx_flag_neighbours(ctx);
    const double lambda = (pp->flat_matrix ? FLAG_LAMBDA_FLAT : FLAG_LAMBDA) * pp->sigma[0] * pp->sigma[0];
    double j[FLAG_LEVELS], best = 1e300;
    int known[FLAG_LEVELS] = {0, 0, 0}, lev = 0, placed = -1, left = FLAG_LEVELS;
    *done = 0;
    for (int l = 0; l < FLAG_LEVELS; l++)
        fw->kept[l] = 0;
    while (left > 0) {
        int l = fw->prev, coded;
        block_gain_state t = *bg;
        double fb, d, bits;
        if (known[l])
            for (int m = 0; m < FLAG_LEVELS; m++)
                if (!known[l = pref[m]])
                    break;
        fb = lambda * flag_level_bits(ps, n, l);
        if (placed >= 0) {   /* the previous try's model out of the way */
            recimg_ctx_snap_undo(ctx, &fw->snap[placed]);
            placed = -1;
        }
        block_gain_set_mult(&t, flag_mult[l]);
        FORWARD_IF_ERROR(flag_try(ctx, pp, blk, block, t, thr, lambda, (best - fb) + 1e-9 * best + 1e-6 * lambda,
                                  fw, l, &d, &bits, &coded));
        if (fw->kept[l])
            placed = l;
        j[l] = bits < 0.0 ? 1e300 : (d + lambda * bits) + fb;
        known[l] = 1;
        left--;
        if (j[l] < best)
            best = j[l];
        if (coded == 0 && bits >= 0.0)   /* nothing coded: nor at smaller multipliers */
            for (int m = 0; m < FLAG_LEVELS; m++)
                if (!known[m] && flag_mult[m] <= flag_mult[l]) {
                    j[m] = (d + lambda * bits) + lambda * flag_level_bits(ps, n, m);
                    known[m] = 1;
                    left--;
                }
    }
    for (int l = 1; l < FLAG_LEVELS; l++)
        if (j[l] < j[lev])
            lev = l;
    if (placed >= 0 && placed != lev) {
        recimg_ctx_snap_undo(ctx, &fw->snap[placed]);
        placed = -1;
    }
    rec_rc_encode_bit(enc, &ps->flag[0][n], lev != 0);
    if (lev != 0)
        rec_rc_encode_bit(enc, &ps->flag[1][n], lev == 2);
    recimg_ctx_flag_record(ctx, lev);
    block_gain_set_mult(bg, flag_mult[lev]);
    stats->block_levels[lev]++;
    fw->prev = lev;
    if (fw->kept[lev]) {
        FORWARD_IF_ERROR(flag_adopt(enc, ctx, fw, lev, placed == lev, pp, blk, block, sep, stats));
        *done = 1;
    }
    return RECIMG_OK;
}

/* Decoder twin of block_flag_encode: reads the level and applies it. */
static void block_flag_decode(rec_rc_decoder *dec, recimg_ctx *ctx, recimg_rec_plane_state *ps,
                              block_gain_state *bg)
{
    const int n = recimg_ctx_flag_neighbours(ctx);
    int lev = rec_rc_decode_bit(dec, &ps->flag[0][n]);
    if (lev != 0)
        lev += rec_rc_decode_bit(dec, &ps->flag[1][n]);
    recimg_ctx_flag_record(ctx, lev);
    block_gain_set_mult(bg, flag_mult[lev]);
}

/* Runs of skipped coefficients (speed, issue 8, docs/SPEED.md "Speed pass 10"). From AC
 * index zz on, the coefficients up to the first that the zero-bit rule codes: returns its
 * zigzag index, with cs as setup_coef leaves it for an AC coefficient but the coded half
 * (setup_coef_coded) still to do, or 64 when the rest of the block is skipped. A skipped
 * coefficient changes neither the gain factor nor another coefficient's prediction (only
 * its own cell's exploration counter), so g is read once per run and the loop keeps its
 * few values in registers; the calls are those of coefficient-by-coefficient coding in the
 * same order, hence the same bits. Encoder: counts the skipped coefficients and adds their
 * skip-energy shares as the coding loop did. */
static inline int encode_skip_run(recimg_ctx *ctx, int zz, double thr, double g, const skip_energy_prep *sep,
                                  const recimg_rec_plane_params *pp, const double *coef,
                                  recimg_rec_stats *stats, coef_setup *cs)
{
    const int se = pp->skip_energy;
    uint64_t n = 0;
    for (; zz < 64; zz++) {
        coef_setup t;
        if (!ac_predict_skip(ctx, zz, thr, g, &t)) {
            adopt_prediction(cs, &t);
            break;
        }
        recimg_ctx_record_skip(ctx, zz);
        n++;
        if (se) {   /* decoder-only side information */
            const int k = ctx->zk[zz];
            skip_energy_add_prep(sep, pp, t.b, k, zz, coef[k], stats);
        }
    }
    stats->skipped += n;
    return zz;
}

static recimg_status encode_rows(rec_rc_encoder *enc, recimg_ctx *ctx, bnb_state *bnb, const double *coef,
                                 uint32_t bw, uint32_t by0, uint32_t by1, const recimg_rec_plane_params *pp,
                                 recimg_rec_stats *stats, flag_work *fw)
{
    const double thr = skip_threshold(pp->skip_bits);
    uint64_t block = (uint64_t)by0 * bw;
    coef_group grp;            /* block sampler: the open group of the current block */
    group_init(&grp);
    block_gain_state bg_empty;
    block_gain_init(&bg_empty, pp, bnb);
    skip_energy_prep sep;
    skip_energy_prepare(pp, &sep);
    far_cache fcache = {-1.0, 0.0};   /* recon_table: the far-bin estimate's last hw */
    recimg_recon_acc racc = stats->recon;   /* recon_table: the sums, back in stats at the end */
    recimg_recon_units runits;                /* ... and the plane's classes and units */
    /* the zigzag index at which the block flag is coded, none without it */
    const int flag_zz = pp->block_flag ? FLAG_ZZ : 64;
    RETURN_IF(ctx->kind != RECIMG_CTX_CONTINUOUS, RECIMG_ERR_INTERNAL);   /* ac_predict_skip */
    grp.escape = bnb->group_escape;   /* adaptive across the plane's bands */
    if (pp->recon_table)
        recimg_recon_units_prepare(&runits, pp->plane > 0, pp->sigma);
    for (uint32_t by = by0; by < by1; by++) {
        for (uint32_t bx = 0; bx < bw; bx++, coef += 64, block++) {
            block_gain_state bg = bg_empty;
            const uint64_t dkey = block_dither_key(pp, block);
            recimg_ctx_begin_block(ctx, bx, by);
            for (int zz = 0; zz < 64; zz++) {
                int k = ctx->zk[zz];   /* = recimg_zigzag[zz], without the GOT load */
                double y;
                coef_setup cs;
                rec_quant_result r;
                double mmse, info;
                if (zz == flag_zz) {
                    int done;
                    stats->recon = racc;   /* flag_adopt adds the adopted try's coefficients */
                    FORWARD_IF_ERROR(block_flag_encode(enc, ctx, bnb, pp, coef, block, thr, fw, &bg, &sep,
                                                       stats, &done));
                    racc = stats->recon;
                    if (done)   /* the winning try's coding adopted */
                        break;
                }
                if (zz != 0) {   /* the skipped ones up to the next coded coefficient */
                    zz = encode_skip_run(ctx, zz, thr, pp->block_gain ? bg.g : 1.0, &sep, pp, coef, stats, &cs);
                    if (zz == 64)
                        break;
                    k = ctx->zk[zz];
                    setup_coef_coded(pp, block, dkey, zz, &cs);
                } else {
                    setup_coef(ctx, zz, thr, pp, block, dkey, &bg, &cs);
                }
                y = coef[k] / pp->sigma[k];   /* sigma units */
                if (group_wants(pp, zz, &cs, &info)) {
                    FORWARD_IF_ERROR(group_add_encode(enc, ctx, &grp, zz, &cs, y, info, pp, block, stats));
                    continue;
                }
                {
                    const rec_status rst = pp->block_dither || pp->uq_deadzone
                                               ? uq_encode(pp, &cs, y, enc, &r)
                                               : run_sampler(1, pp->sampler, pp->quant_rev, y, &cs.prior,
                                                             &cs.key, enc, NULL, bnb, &r);
                    /* a rejection sampler's step cap: a limit of the sampler, not a bug
                       and not a missing feature */
                    RETURN_IF(rst == REC_ERR_STEP_CAP, RECIMG_ERR_SAMPLER_LIMIT);
                    RETURN_IF(rst != REC_OK, RECIMG_ERR_INTERNAL);
                }
                feedback(ctx, zz, &cs, r.x, r.draws.half_width, &r.edges, &mmse);
                block_gain_add(&bg, zz, &cs, mmse);
                if (pp->recon_table && r.draws.half_width >= 0.0)   /* decoder-only side information */
                    recon_table_add(pp, &runits, &cs, zz, r.x, r.draws.half_width, y, mmse, &fcache, &racc);
                if (pp->want_kl)
                    kl_add(stats, block, k, cs.b, cs.dz.d,
                           cs.dz.d > 0.0 ? recimg_rec_kl_bits_dz(y - cs.mean, cs.b, cs.dz.d)
                                         : kl_bits_of(pp->sampler == RECIMG_SAMPLER_BLOCK ? RECIMG_SAMPLER_UQ
                                                                                        : pp->sampler,
                                                      y - cs.mean, cs.b));
                stats->coded++;
            }
            if (grp.n > 0)
                FORWARD_IF_ERROR(group_encode(enc, ctx, &grp, pp, block, stats));
            recimg_ctx_end_block(ctx);
        }
    }
    stats->recon = racc;
    bnb->group_escape = grp.escape;
    return RECIMG_OK;
}

recimg_status recimg_rec_encode_rows(rec_rc_encoder *enc, recimg_ctx *ctx, bnb_state *bnb,
                                     const double *coef, uint32_t bw, uint32_t by0, uint32_t by1,
                                     const recimg_rec_plane_params *pp, recimg_rec_stats *stats)
{
    flag_work *fw;   /* block flag: the encoder's tries */
    recimg_status st = RECIMG_ERR_OUT_OF_MEMORY;
    RETURN_IF(pp->block_dither && pp->sampler != RECIMG_SAMPLER_UQ, RECIMG_ERR_INTERNAL);
    if (!pp->block_flag)
        return encode_rows(enc, ctx, bnb, coef, bw, by0, by1, pp, stats, NULL);
    RETURN_IF(pp->sampler != RECIMG_SAMPLER_UQ || !pp->block_gain, RECIMG_ERR_INTERNAL);
    fw = malloc(sizeof *fw);
    RETURN_IF(!fw, RECIMG_ERR_OUT_OF_MEMORY);
    for (int l = 0; l < FLAG_LEVELS; l++)
        rec_rc_log_init(&fw->log[l]);
    fw->prev = 1;
    if (rec_rc_encoder_init(&fw->scratch) == 0)
        st = encode_rows(enc, ctx, bnb, coef, bw, by0, by1, pp, stats, fw);
    rec_rc_encoder_free(&fw->scratch);
    for (int l = 0; l < FLAG_LEVELS; l++)
        rec_rc_log_free(&fw->log[l]);
    free(fw);
    return st;
}

/* Laplace(0, b) draw from a private uniform u in (0, 1). */
static double laplace_draw(double b, double u)
{
    return u < 0.5 ? b * rec_log(2.0 * u) : -b * rec_log(2.0 * (1.0 - u));
}

double recimg_dz_draw(double lo, double hi, double b, double u)
{
    double x;
    if (!(hi > lo))
        return 0.5 * (lo + hi);
    if (!(b > 1e-300))   /* no spread: the cell's point nearest 0 */
        return lo >= 0.0 ? lo : (hi <= 0.0 ? hi : 0.0);
    if (!(u > 0.0))
        u = 1e-300;
    if (!(u < 1.0))
        u = 1.0 - 0x1p-53;
    if (lo >= 0.0) {          /* exponential on [lo, hi]: lo - b ln(1 - u (1 - e^(-L/b))) */
        x = lo - b * rec_log1p(u * rec_expm1(-(hi - lo) / b));
    } else if (hi <= 0.0) {   /* mirrored, measured down from hi, so that x rises with u */
        x = hi + b * rec_log1p((1.0 - u) * rec_expm1(-(hi - lo) / b));
    } else {
        /* straddles 0: [lo, 0) has mass mn, [0, hi] mass mp (both times b / 2); t = the
           uniform's position in (-mn, mp), the side by its sign */
        const double mn = -rec_expm1(lo / b), mp = -rec_expm1(-hi / b);
        const double t = u * (mn + mp) - mn;
        x = t < 0.0 ? b * rec_log1p(t) : -b * rec_log1p(-t);
    }
    if (!(x >= lo))
        x = lo;
    if (!(x <= hi))
        x = hi;
    return x;
}

/* Scale of the decoder's estimate of y's distribution for the private draws and the
 * realism shrink factor (decoder only; never feeds the context): b * sqrt(2 / w).
 * The context statistic w e^2 matches the second moment 2 b^2 for w = 2 (prior id 1:
 * factor exactly 1); prior id 2's w = 1.5 sharpens the coding prior on purpose
 * (docs/REC_CODEC.md), which is right for coding but too narrow for drawing y. */
static double realism_b(const recimg_rec_plane_params *pp, double b)
{
    return b * sqrt(2.0 / pp->stat_weight);
}

/* Scale of a skipped coefficient's private draw (sample and realism decoding; decoder
 * only, never fed back): b_s = b_r unless pp->skip_draw_wide (luma plane of prior id 2
 * on), then b_s = sqrt((SKIP_DRAW_MULT b_r)^2 + (SKIP_DRAW_FLOOR / sigma_k)^2), sigma_k in
 * sample units. The zero-bit rule
 * skips exactly the coefficients whose predicted b is small, and their y is wider than
 * Laplace(b_r): in the encoder (TRAIN, luma, quality 5-40) the mean |y| of skipped
 * coefficients was 1-2.5 b_r where b is near the skip threshold and 5-30 b_r where b is
 * 100x smaller, about one grey level whatever sigma (an image's fine texture, which
 * the zero-bit rule drops and the context never sees, since a skipped coefficient
 * records nothing). Drawn from Laplace(b_r) the decoded high bands lacked energy
 * (DCT-W1 at 1 bpp above the rounding baseline's); sqrt(2) and one grey level were
 * chosen on TRAIN (docs/REC_CODEC.md, "Realism decoding of skipped coefficients"). */
#define SKIP_DRAW_MULT 1.4142135623730951   /* sqrt(2) */
#define SKIP_DRAW_FLOOR 1.0                 /* grey levels */
static double skip_draw_b(const recimg_rec_plane_params *pp, double b, int k)
{
    const double br = realism_b(pp, b);
    double m, f;
    if (!pp->skip_draw_wide)
        return br;
    m = SKIP_DRAW_MULT * br;
    f = SKIP_DRAW_FLOOR / pp->sigma[k];
    return sqrt(m * m + f * f);
}

/* Skip-energy table (header flag 0x04; docs/REC_CODEC.md, "Skip-energy table"). The
 * rule b_s above is a guess from the context's scale, and under context model v3 it is
 * wrong both ways (TRAIN's high bands under-filled, the held-out textures' over-filled
 * 2-4.5x in sd at 0.15 bpp): a skipped coefficient's context scale is what the
 * zero-bit rule found too small to code, not a measurement of its energy. The encoder
 * knows that energy, so it sends it, as audio codecs do for noise substitution: per
 * band group of the luma plane one byte, 16 log2 of the factor the decoder applies to
 * its draws' scale. MMSE decoding and everything the contexts see are untouched, so the
 * plane streams are those of a file without the table. The encoder matches the mean
 * |y| of the group's skipped coefficients (sample units) to the mean |draw| (E|Laplace(b)|
 * = b), times 2^(SKIP_Q_BIAS / 16) = 0.84. Chosen on TRAIN (realism A = 1, DCT-W1 / SWD
 * at 0.15 / 0.5 / 1 bpp; docs/REC_CODEC.md): matching the mean square gave DCT-W1 0.234 /
 * 0.119 / 0.082 (without the table 0.254 / 0.129 / 0.075), the mean |y| 0.190 / 0.107 /
 * 0.075, with the factor 0.84 0.185 / 0.106 / 0.074 and 0.71 0.198 / 0.122 / 0.081: the
 * skipped coefficients are heavier-tailed than the Laplace draws, so a draw of the
 * right mean square puts too much mass at middling values. A chroma row (Cb and Cr,
 * same rule) left DCT-W1 (luma) alone and raised SWD (RGB) at every rate (0.0657 /
 * 0.0287 / 0.0185 against 0.0634 / 0.0269 / 0.0179 luma only), so chroma draws keep
 * b_s. Band groups: zigzag 1-5, 6-14, 15-20, 21-27, 28-35, 36-44, 45-54, 55-63 (finer
 * where most is skipped). */
#define SKIP_Q_BIAS (-4.0)
static const int skip_group_start[RECIMG_SKIP_GROUPS + 1] = {1, 6, 15, 21, 28, 36, 45, 55, 64};

int recimg_skip_group(int zz)
{
    int g = 0;
    if (zz < 1 || zz > 63)
        return 0;
    while (zz >= skip_group_start[g + 1])
        g++;
    return g;
}

int recimg_skip_q(double num, double den)
{
    double q;
    if (!(den > 0.0))
        return 0;
    if (!(num > 0.0))
        return -RECIMG_SKIP_Q_MAX;
    q = RECIMG_SKIP_Q_PER_LOG2 * (rec_log(num) - rec_log(den)) / 0.69314718055994530942 + SKIP_Q_BIAS;
    if (!(q < RECIMG_SKIP_Q_MAX))
        return RECIMG_SKIP_Q_MAX;
    if (!(q > -RECIMG_SKIP_Q_MAX))
        return -RECIMG_SKIP_Q_MAX;
    return (int)floor(q + 0.5);
}

double recimg_skip_scale(int q)
{
    return rec_exp((double)q * (0.69314718055994530942 / RECIMG_SKIP_Q_PER_LOG2));
}

/* Encoder: a skipped coefficient's share of its band group's sums (coef in sample units):
 * |coef| and skip_draw_b(pp, b, k) * sigma_k. Speed (issue 8; the encoder adds every
 * skipped coefficient): the per-plane constants, each coefficient's band group, sqrt(2 / w)
 * of realism_b and SKIP_DRAW_FLOOR / sigma_k of skip_draw_b, are computed once per row
 * call (skip_energy_prep), and skip_draw_b's operations are repeated on those same values,
 * so the same numbers are added in the same order. */

static void skip_energy_prepare(const recimg_rec_plane_params *pp, skip_energy_prep *sp)
{
    sp->rb = sqrt(2.0 / pp->stat_weight);
    for (int i = 0; i < 64; i++) {
        sp->f[i] = SKIP_DRAW_FLOOR / pp->sigma[i];
        sp->group[i] = recimg_skip_group(i);
    }
}

static void skip_energy_add_prep(const skip_energy_prep *sp, const recimg_rec_plane_params *pp,
                                 double b, int k, int zz, double coef, recimg_rec_stats *stats)
{
    const int g = sp->group[zz];
    const double br = b * sp->rb;
    double bs = br;
    if (pp->skip_draw_wide) {
        const double m = SKIP_DRAW_MULT * br, f = sp->f[k];
        bs = sqrt(m * m + f * f);
    }
    stats->skip_num[g] += fabs(coef);
    stats->skip_den[g] += bs * pp->sigma[k];
}

/* Decoder: the scale of a skipped coefficient's private draw, table factor included. */
static double skip_draw_scale(const recimg_rec_plane_params *pp, double b, int k, int zz)
{
    const double bs = skip_draw_b(pp, b, k);
    return pp->skip_energy ? bs * pp->skip_scale[recimg_skip_group(zz)] : bs;
}

/* What coded_output needs of recimg_rec_recon, read once per row call (speed, issue 8: the
 * row loop's stores of doubles could alias the struct's realism weight). */
typedef struct {
    int x_out;   /* sample and center decoding: X itself (center: the centre of [X - W, X + W]) */
    double A;    /* realism weight, 0 otherwise */
} coded_recon;

static coded_recon coded_recon_of(const recimg_rec_recon *recon)
{
    coded_recon cr;
    cr.x_out = recon->mode == RECIMG_DECODE_SAMPLE || recon->mode == RECIMG_DECODE_CENTER;
    cr.A = recon->mode == RECIMG_DECODE_REALISM ? recon->realism : 0.0;
    return cr;
}

/* Decoder reconstruction of a coded coefficient from its sample x and E[y | code]
 * (sigma units), by the decode mode (DESIGN 4). */
static inline double coded_output(coded_recon cr, const recimg_rec_plane_params *pp,
                                  const coef_setup *cs, double x, double mmse)
{
    const double A = cr.A;
    if (cr.x_out)
        return x;
    if (A > 0.0) {
        const double br = realism_b(pp, cs->b);
        const double v = 2.0 * br * br;
        const double rho = sqrt(v / (v + 1.0));
        return cs->mean + (1.0 - A) * (mmse - cs->mean) + A * rho * (x - cs->mean);
    }
    return mmse;
}

/* Flags2 0x1000 (pp->uq_dz_draw, decoder only; sample decoding and realism with A > 0): the
 * output of a deadzone-coded AC coefficient (cs->dz.d > 0) in its y-cell [x - hw, x + hw]:
 * a draw of Laplace(mean, b_r) restricted to the cell (recimg_dz_draw; b_r = realism_b, the
 * scale of the realism shrink factor) from the coefficient's private uniform, the stream a
 * skipped coefficient would use (a coefficient is coded or skipped, never both), mixed with
 * the MMSE estimate as mean + (1 - A) e + A draw (A = 1 for sample decoding). Never fed back.
 * Measured on TRAIN (docs/REC_CODEC.md "Deadzone uq"): every cell, not the zero cell alone
 * (alone it raised DCT-W1: it took energy out of the zero cells and left the other cells'
 * shrunk rho X), and b_r rather than b or the skipped draws' b_s (b_s over-fills). */
static double dz_draw_output(const recimg_rec_plane_params *pp, const coef_setup *cs, int zz, double A,
                             double x, double hw, double mmse, uint64_t private_seed, uint64_t block)
{
    const double u = rec_prng_uniform(private_seed, 1000u + pp->plane, block * 64 + (uint64_t)zz);
    const double d = recimg_dz_draw(x - hw - cs->mean, x + hw - cs->mean, realism_b(pp, cs->b), u);
    return cs->mean + (1.0 - A) * (mmse - cs->mean) + A * d;
}

/* Decoder twin of group_encode: writes every member's reconstruction into coef. */
static recimg_status group_decode(rec_rc_decoder *dec, recimg_ctx *ctx, coef_group *g,
                                  const recimg_rec_plane_params *pp, uint64_t block,
                                  const recimg_rec_recon *recon, double *coef)
{
    double pm[63], ps[63], x[63], hw[63], mmse;
    rec_quant_edges ed[63];
    rec_key key;
    RETURN_IF(block >= GROUP_MAX_BLOCKS, RECIMG_ERR_LIMIT);
    group_prior_key(g, pp, block, pm, ps, &key);
    if (rec_rc_decode_bit(dec, &g->escape)) {
        for (int i = 0; i < g->n; i++) {
            rec_quant_result r;
            RETURN_IF(rec_uq_decode_rev(pp->quant_rev, SQRT12, &g->cs[i].prior, &g->cs[i].key, dec,
                                        &r) != REC_OK,
                      RECIMG_ERR_CORRUPT);
            x[i] = r.x;
            hw[i] = r.draws.half_width;
            ed[i] = r.edges;
        }
    } else {
        RETURN_IF(rec_block_decode((size_t)g->n, pm, ps, group_kappa(g), GROUP_T, &key, dec, x) != REC_OK,
                  RECIMG_ERR_CORRUPT);
        for (int i = 0; i < g->n; i++) {
            hw[i] = -1.0;
            ed[i].known = 0;
        }
    }
    for (int i = 0; i < g->n; i++) {
        const int k = recimg_zigzag[g->zz[i]];
        RETURN_IF(!(x[i] < 1e12 && x[i] > -1e12), RECIMG_ERR_CORRUPT);
        group_member_feedback(ctx, g, i, x[i], hw[i], &ed[i], group_kappa(g) + GROUP_T, &mmse);
        coef[k] = coded_output(coded_recon_of(recon), pp, &g->cs[i], x[i], mmse) * pp->sigma[k];
    }
    g->n = 0;
    g->info = 0.0;
    return RECIMG_OK;
}

static recimg_status group_add_decode(rec_rc_decoder *dec, recimg_ctx *ctx, coef_group *g, int zz,
                                      const coef_setup *cs, double info,
                                      const recimg_rec_plane_params *pp, uint64_t block,
                                      const recimg_rec_recon *recon, double *coef)
{
    if (g->n > 0 && g->info + info > GROUP_KAPPA)
        FORWARD_IF_ERROR(group_decode(dec, ctx, g, pp, block, recon, coef));
    g->zz[g->n] = zz;
    g->cs[g->n] = *cs;
    g->inf[g->n] = info;
    g->info += info;
    g->n++;
    return RECIMG_OK;
}

/* Decoder twin of encode_skip_run: with private_draws, writes each skipped coefficient's
 * reconstruction into coef (sample units), A times a draw from its private uniform (A: the
 * realism weight, 1 for sample decoding); without, a skipped coefficient's output is 0 * sigma_k
 * = +0 (sigma_k finite and >= 0), which the caller stores for the whole block before its first
 * coefficient (speed, issue 8: the same bits, no store per skipped coefficient). */
static inline int decode_skip_run(recimg_ctx *ctx, int zz, double thr, double g,
                                  const recimg_rec_plane_params *pp, const recimg_rec_recon *recon,
                                  int private_draws, double A, uint64_t block, double *coef, coef_setup *cs)
{
    for (; zz < 64; zz++) {
        coef_setup t;
        if (!ac_predict_skip(ctx, zz, thr, g, &t)) {
            adopt_prediction(cs, &t);
            break;
        }
        recimg_ctx_record_skip(ctx, zz);
        if (private_draws) {
            const int k = ctx->zk[zz];
            const double u = rec_prng_uniform(recon->private_seed, 1000u + pp->plane, block * 64 + (uint64_t)zz);
            const double out = A * laplace_draw(skip_draw_scale(pp, t.b, k, zz), u);
            coef[k] = out * pp->sigma[k];
        }
    }
    return zz;
}

recimg_status recimg_rec_decode_rows(rec_rc_decoder *dec, recimg_ctx *ctx, bnb_state *bnb,
                                     double *coef, uint32_t bw, uint32_t by0, uint32_t by1,
                                     const recimg_rec_plane_params *pp,
                                     const recimg_rec_recon *recon)
{
    const double thr = skip_threshold(pp->skip_bits);
    const double A = recon->mode == RECIMG_DECODE_REALISM ? recon->realism : 0.0;
    const int sample = recon->mode == RECIMG_DECODE_SAMPLE;
    const int private_draws = sample || (recon->mode == RECIMG_DECODE_REALISM && A > 0.0);
    const coded_recon crec = coded_recon_of(recon);
    uint64_t block = (uint64_t)by0 * bw;
    const int flag_zz = pp->block_flag ? FLAG_ZZ : 64;   /* as in encode_rows */
    RETURN_IF(pp->block_flag && (pp->sampler != RECIMG_SAMPLER_UQ || !pp->block_gain), RECIMG_ERR_INTERNAL);
    RETURN_IF(ctx->kind != RECIMG_CTX_CONTINUOUS, RECIMG_ERR_INTERNAL);   /* ac_predict_skip */
    RETURN_IF(pp->block_dither && pp->sampler != RECIMG_SAMPLER_UQ, RECIMG_ERR_INTERNAL);
    coef_group grp;
    group_init(&grp);
    block_gain_state bg_empty;
    block_gain_init(&bg_empty, pp, bnb);
    grp.escape = bnb->group_escape;   /* adaptive across the plane's bands */
    for (uint32_t by = by0; by < by1; by++) {
        for (uint32_t bx = 0; bx < bw; bx++, coef += 64, block++) {
            block_gain_state bg = bg_empty;
            const uint64_t dkey = block_dither_key(pp, block);
            recimg_ctx_begin_block(ctx, bx, by);
            if (!private_draws)   /* every skipped coefficient's output (decode_skip_run) */
                for (int i = 0; i < 64; i++)
                    coef[i] = 0.0;
            for (int zz = 0; zz < 64; zz++) {
                int k;
                coef_setup cs;
                rec_quant_result r;
                double mmse, info;
                if (zz == flag_zz)
                    block_flag_decode(dec, ctx, bnb, &bg);
                if (zz != 0) {   /* the skipped ones up to the next coded coefficient */
                    zz = decode_skip_run(ctx, zz, thr, pp->block_gain ? bg.g : 1.0, pp, recon, private_draws,
                                         sample ? 1.0 : A, block, coef, &cs);
                    if (zz == 64)
                        break;
                    setup_coef_coded(pp, block, dkey, zz, &cs);
                } else {
                    setup_coef(ctx, zz, thr, pp, block, dkey, &bg, &cs);
                }
                k = ctx->zk[zz];   /* = recimg_zigzag[zz] */
                if (group_wants(pp, zz, &cs, &info)) {
                    FORWARD_IF_ERROR(group_add_decode(dec, ctx, &grp, zz, &cs, info, pp, block, recon, coef));
                    continue;
                }
                RETURN_IF((pp->block_dither || pp->uq_deadzone ? uq_decode(pp, &cs, dec, &r)
                                            : run_sampler(0, pp->sampler, pp->quant_rev, 0.0, &cs.prior, &cs.key,
                                                          NULL, dec, bnb, &r)) != REC_OK,
                          RECIMG_ERR_CORRUPT);
                {
                    /* locals: no reloads after the context update's stores (speed, issue 8) */
                    const double x = r.x, hw = r.draws.half_width;
                    RETURN_IF(!(x < 1e12 && x > -1e12), RECIMG_ERR_CORRUPT);
                    feedback(ctx, zz, &cs, x, hw, &r.edges, &mmse);
                    block_gain_add(&bg, zz, &cs, mmse);   /* shared state: the fed-back e */
                    if (pp->uq_far_bin)   /* reconstruction only */
                        mmse = far_bin_estimate(&cs, x, hw, mmse);
                    if (pp->recon_zz && hw >= 0.0)   /* reconstruction only */
                        mmse = recon_table_apply(pp, &cs, zz, x, hw, mmse);
                    coef[k] = (pp->uq_dz_draw && private_draws && cs.dz.d > 0.0
                                   ? dz_draw_output(pp, &cs, zz, sample ? 1.0 : A, x, hw, mmse,
                                                    recon->private_seed, block)
                                   : coded_output(crec, pp, &cs, x, mmse)) * pp->sigma[k];
                }
            }
            if (grp.n > 0)
                FORWARD_IF_ERROR(group_decode(dec, ctx, &grp, pp, block, recon, coef));
            recimg_ctx_end_block(ctx);
        }
        RETURN_IF(rec_rc_decoder_error(dec), RECIMG_ERR_CORRUPT);
    }
    RETURN_IF(rec_rc_decoder_error(dec), RECIMG_ERR_CORRUPT);
    bnb->group_escape = grp.escape;
    return RECIMG_OK;
}

/* Whole-plane forms (tests): one call over every block row with fresh state. */
recimg_status recimg_rec_encode_plane(rec_rc_encoder *enc, recimg_ctx *ctx, const double *coef,
                                      uint32_t bw, uint32_t bh, const recimg_rec_plane_params *pp,
                                      recimg_rec_stats *stats)
{
    recimg_rec_plane_state ps;
    recimg_rec_plane_state_init(&ps);
    return recimg_rec_encode_rows(enc, ctx, &ps, coef, bw, 0, bh, pp, stats);
}

recimg_status recimg_rec_decode_plane(rec_rc_decoder *dec, recimg_ctx *ctx, double *coef,
                                      uint32_t bw, uint32_t bh, const recimg_rec_plane_params *pp,
                                      const recimg_rec_recon *recon)
{
    recimg_rec_plane_state ps;
    recimg_rec_plane_state_init(&ps);
    return recimg_rec_decode_rows(dec, ctx, &ps, coef, bw, 0, bh, pp, recon);
}
