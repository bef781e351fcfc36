/* Exactness of the deadzone uq channel inside the codec (flags2 0x400; DESIGN 6, issue 4
 * "Tests"; docs/REC_CODEC.md "Deadzone uq") and its --stats information (kl_bits).
 *
 * 1. Codec-level exactness. A fixed plane of coefficients y (sigma units; Laplace with scales
 *    from 8 at the DC down to 0.003 at zigzag 63, so that the prior scales b the context model
 *    learns span the whole deadzone range, d from 0 to 2 sqrt(12)) is coded through the
 *    codec's REC stage (recimg_rec_encode_plane, zero-bit rule off) under many seeds and
 *    decoded in sample mode. The channel of a coefficient with deadzone d: g = sign(y)
 *    max(0, |y| - d), the g-sample X_g = D (K - u) with X_g - g ~ Unif(-D/2, D/2) given y (D =
 *    sqrt(12)), and the output X = X_g in the cell holding 0 (|X_g| < D/2), X_g + d sign(X_g)
 *    otherwise (the y-cell's centre). X is increasing in X_g, so the PIT of X given y (and d)
 *    is w = (X_g - g) / D + 1/2 with X_g recovered from X and d: w must be Unif(0, 1). d is
 *    the encoder's (recimg_rec_stats.trace, a test-only record of each coded coefficient's b
 *    and d); the decoder recomputes it from its own contexts, so a decoder whose output used
 *    another d or dither would fail here. Kolmogorov-Smirnov (sqrt(n) D_n < 1.63, the 1% level)
 *    on: w of every coefficient; w of the deadzone coefficients with |y| <= d (g = 0); w folded
 *    by sign(g) (1/2 + sign(g) (w - 1/2)) of those with |y| > d, where a wrong d moves the
 *    output outwards or inwards on both signs alike (unfolded, the two shifts would cancel);
 *    plus the folded mean within 4 standard errors. Also: X is a y-cell centre (|X| < D/2 or
 *    |X| >= D/2 + d), and with header flag 0x20 X_g / D + u is an integer for the dither u of
 *    docs/FORMAT.md written out here. The decode is the channel's own sample: the test's
 *    parameters leave every later field (flags2 0x1000's draw inside the y-cell) at 0.
 *    Configurations: both closed-form coder revisions, the default parameters (flags 0x6F:
 *    in-block gain, block dither, fast chain), prior id 4's block level, and outliers (every
 *    16th coefficient x30 + 300: the coder's escapes, cells far in the prior's tail).
 * 2. kl_bits of a deadzone coefficient (recimg_rec_kl_bits_dz) against an independent
 *    integral: over the dither, in long double, with P of g's bin from g's prior (1 - t)
 *    delta_0 + t Laplace(0, b), t = e^(-d / b) (not from the y-cell's edges), adaptive Simpson
 *    on each piece between the dithers at which the bin's edges cross 0. Tolerance: the
 *    quadrature error bound of the codec's rule (codec_rec.h: the outer pieces are exact, the
 *    middle one a 64-point midpoint rule, error <= L^3 max|f''| / (24 N^2 D) with
 *    |f''| <= A / (b^2 (1 - A)^2), A = 1/2 e^((l - d) / b) + 1/2 e^(-(l + D + d) / b), whose
 *    maximum over a piece is at an end because A is convex), plus 1e-11 relative for rounding.
 *    Also at codec level: the trace's per-coefficient kl against the same reference, and their
 *    sum against stats.kl_bits.
 * 3. The claim that the coder can cost less than kl_bits (REC_CODEC.md "Deadzone uq"): for y
 *    drawn from the prior, the coder's expected cost, summed exactly over the bins at each of
 *    32 dithers (rec_quant_code_bin_tail on a scratch encoder, rec_rc_encoder_cost_bits), is
 *    at least the expected kl_bits (Gibbs' inequality: kl_bits of a deadzone coefficient is
 *    -log2 of the bin's probability under the coding prior) and exceeds it by less than 0.01
 *    bit (the 16-bit counts: the floors and the two escapes take at most n + 2 of the 2^16
 *    counts, n <= 72 window bins at these b, and each bin's count is floored once, so the
 *    loss is below 2 (n + 2) / 2^16 / ln 2 = 0.0033 bit; the rest is room for the range
 *    coder's rounding); for a y outside the deadzone of a coefficient with d / b > 20 the
 *    coder costs less (its floor of one count per bin caps a nonzero bin near 16 bits, and
 *    -log2 P of one is at least d / (b ln 2) > 28 bits). */
#include "codec_ctx.h"
#include "codec_deadzone.h"
#include "codec_rec.h"
#include "codec_test_util.h"
#include "rec_plane_roundtrip.h"
#include "ref_block_dither.h"
#include "rec.h"
#include "rec_prng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D 3.46410161513775458705
#define LN2 0.69314718055994530942

enum { BW = 4, BH = 4, NCOEF = BW * BH * 64, SEEDS = 32 };

/* ---- the reference of kl_bits for a deadzone coefficient (part 2) ---- */

/* -ln P(g in [l, l + D)) under g's prior (1 - t) delta_0 + t Laplace(0, b), ln t = -d / b */
static long double ref_nlp(long double l, long double b, long double d)
{
    const long double h = l + (long double)D;
    if (l > 0.0L)   /* t / 2 (e^(-l/b) - e^(-h/b)) */
        return d / b + l / b - logl(0.5L) - logl(-expm1l(-(long double)D / b));
    if (h <= 0.0L)
        return d / b - h / b - logl(0.5L) - logl(-expm1l(-(long double)D / b));
    /* (1 - t) + t (1 - e^(l/b) / 2 - e^(-h/b) / 2) */
    return -log1pl(-0.5L * expl((l - d) / b) - 0.5L * expl(-(h + d) / b));
}

/* g's bin's lower edge at dither u (the bin coder's, rec_quant.c): D (k - u - 1/2), k =
   floor(g / D + u + 1/2) */
static long double ref_lower_edge(long double g, long double u)
{
    const long double k = floorl(g / (long double)D + u + 0.5L);
    return (long double)D * (k - u - 0.5L);
}

static long double ref_f(long double g, long double b, long double d, long double u)
{
    return ref_nlp(ref_lower_edge(g, u), b, d);
}

static long double simpson_rec(long double g, long double b, long double d, long double a, long double c,
                               long double fa, long double fm, long double fc, long double whole,
                               long double tol, int depth)
{
    const long double m = 0.5L * (a + c), lm = 0.5L * (a + m), rm = 0.5L * (m + c);
    const long double flm = ref_f(g, b, d, lm), frm = ref_f(g, b, d, rm);
    const long double left = (m - a) / 6.0L * (fa + 4.0L * flm + fm);
    const long double right = (c - m) / 6.0L * (fm + 4.0L * frm + fc);
    if (depth <= 0 || fabsl(left + right - whole) <= 15.0L * tol)
        return left + right + (left + right - whole) / 15.0L;
    return simpson_rec(g, b, d, a, m, fa, flm, fm, left, 0.5L * tol, depth - 1) +
           simpson_rec(g, b, d, m, c, fm, frm, fc, right, 0.5L * tol, depth - 1);
}

static long double simpson(long double g, long double b, long double d, long double a, long double c)
{
    const long double fa = ref_f(g, b, d, a), fc = ref_f(g, b, d, c), fm = ref_f(g, b, d, 0.5L * (a + c));
    const long double whole = (c - a) / 6.0L * (fa + 4.0L * fm + fc);
    return simpson_rec(g, b, d, a, c, fa, fm, fc, whole, 1e-14L * (1.0L + fabsl(whole)), 40);
}

/* E_u[-log2 P(g's bin)], u over (-1/2, 1/2), integrated on either side of the dither at
   which g's bin changes (k steps: g / D + u + 1/2 an integer). The bin's edges
   D (k - u -+ 1/2) cross 0 only at u = +-1/2, so between these points the integrand is
   smooth. The pieces stop `off` short of the step (well above long double's rounding of its
   place) and of +-1/2 (where an edge is exactly 0, a measure-zero case the integrand takes
   for the bin below); *err: a bound on the reference's error in bits, the omitted slivers
   plus the Simpson tolerance. */
static double ref_kl_bits(double y, double b_in, double d_in, double *err)
{
    const long double b = (long double)b_in, d = (long double)d_in, yl = (long double)y;
    const long double g = yl > d ? yl - d : yl < -d ? yl + d : 0.0L;
    const long double s = g / (long double)D + 0.5L, off = 1e-17L + 1e-17L * fabsl(s);
    long double w = ceill(s - 0.5L) - s, acc, sliver = 0.0L;   /* the one step in (-1/2, 1/2], if inside */
    if (!(w > -0.5L + 2.0L * off && w < 0.5L - 2.0L * off))
        w = 0.5L;
    acc = simpson(g, b, d, -0.5L + off, w - off);
    sliver = off * (fabsl(ref_f(g, b, d, -0.5L + off)) + fabsl(ref_f(g, b, d, w - off)));
    if (w < 0.5L) {
        acc += simpson(g, b, d, w + off, 0.5L - off);
        sliver += off * (fabsl(ref_f(g, b, d, w + off)) + fabsl(ref_f(g, b, d, 0.5L - off)));
    }
    *err = (double)((sliver + 1e-13L * (1.0L + fabsl(acc))) / (long double)LN2);
    return (double)(acc / (long double)LN2);
}

/* The bound on the codec rule's error (codec_rec.h; in bits), plus rounding */
static double kl_tolerance(double y, double b, double d, double ref)
{
    const double g = recimg_dz_compand(y, d);
    const double s0 = g - D > -D ? g - D : -D, s1 = g < 0.0 ? g : 0.0;
    double tol = 1e-11 * (1.0 + fabs(ref));
    if (s1 > s0) {
        const double a0 = 0.5 * exp((s0 - d) / b) + 0.5 * exp(-(s0 + D + d) / b);
        const double a1 = 0.5 * exp((s1 - d) / b) + 0.5 * exp(-(s1 + D + d) / b);
        const double A = a0 > a1 ? a0 : a1, L = s1 - s0, N = RECIMG_KL_DZ_POINTS;
        tol += L * L * L * (A / (b * b * (1.0 - A) * (1.0 - A))) / (24.0 * N * N * D) / LN2;
    }
    return tol;
}

static int kl_case(double y, double b, double d, double *worst_ratio)
{
    double ref_err;
    const double got = recimg_rec_kl_bits_dz(y, b, d), want = ref_kl_bits(y, b, d, &ref_err);
    const double tol = kl_tolerance(y, b, d, want) + ref_err, err = fabs(got - want);
    if (err / tol > *worst_ratio)
        *worst_ratio = err / tol;
    if (!(err <= tol)) {
        printf("kl_bits_dz(y %.17g, b %.17g, d %.17g) = %.15g, reference %.15g (error %.3g > bound %.3g)\n", y, b,
               d, got, want, err, tol);
        return 0;
    }
    return 1;
}

static void kl_grid(void)
{
    static const double bs[] = {0.004, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2, 2.0, 3.0, 3.4};
    static const double ds[] = {0.01, 0.3, 1.0, 4.0};
    double worst = 0.0;
    int n = 0, bad = 0;
    for (size_t i = 0; i < sizeof bs / sizeof *bs; i++) {
        recimg_dz z;
        double dl[5];
        recimg_dz_rule(bs[i], &z);
        dl[0] = z.d;   /* the codec's rule, and other d */
        for (int j = 0; j < 4; j++)
            dl[j + 1] = ds[j] < 600.0 * bs[i] ? ds[j] : 600.0 * bs[i];
        for (int j = 0; j < 5; j++) {
            const double d = dl[j];
            if (!(d > 0.0))
                continue;
            for (int c = -30; c <= 30; c++) {   /* y through the deadzone, the cells near it and beyond */
                const double y = c * 0.173 * (d + D) / 5.0;
                bad += !kl_case(y, bs[i], d, &worst);
                n++;
            }
            {   /* far in the tail (the coder's escapes): far beyond exp's range in b units */
                static const double far[] = {40.0, 300.0, 2e3, 1e5};
                for (int f = 0; f < 4; f++) {
                    bad += !kl_case(far[f] * bs[i] + d, bs[i], d, &worst);
                    bad += !kl_case(-far[f] * bs[i] - d - 0.37, bs[i], d, &worst);
                    n += 2;
                }
            }
        }
    }
    printf("kl_bits_dz against the reference: %d cases, worst error / bound %.3g\n", n, worst);
    CHECK(bad == 0);
}

/* ---- part 3: the coder's cost against kl_bits ---- */

/* rec_quant_code_bin_tail's cost in bits of bin k at dither u (scratch encoder) */
static double bin_cost(rec_rc_encoder *e, int64_t k, double u, double b, double tail)
{
    rec_prior pr;
    pr.family = REC_PRIOR_LAPLACE;
    pr.mean = 0.0;
    pr.scale = b;
    rec_rc_encoder_reset(e);
    CHECK(rec_quant_code_bin_tail(e, k, D, u, &pr, 1, tail, NULL) == REC_OK);
    return rec_rc_encoder_cost_bits(e);
}

static void coder_claim(void)
{
    static const double bs[] = {0.1, 0.3, 0.7, 1.5, 3.0};
    rec_rc_encoder e;
    CHECK(rec_rc_encoder_init(&e) == 0);
    for (size_t i = 0; i < sizeof bs / sizeof *bs; i++) {
        const double b = bs[i];
        recimg_dz z;
        double cost = 0.0, ent = 0.0, far_cost = 0.0, far_kl;
        const int K = (int)ceil(45.0 * b / D) + 3;
        recimg_dz_rule(b, &z);
        for (int j = 0; j < 32; j++) {   /* dithers */
            const double u = ((double)j + 0.5) / 32.0 - 0.5;
            for (int k = -K; k <= K; k++) {
                /* g's bin k: [l, l + D), l = D (k - u - 1/2); its probability under g's prior */
                const long double l = (long double)D * ((long double)k - (long double)u - 0.5L);
                const double p = (double)expl(-ref_nlp(l, (long double)b, (long double)z.d));
                if (p < 1e-300)
                    continue;
                cost += p * bin_cost(&e, k, u, b, z.tail);
                ent += p * -log2(p);
            }
        }
        cost /= 32.0;
        ent /= 32.0;
        {   /* the same coefficient's kl_bits averaged over y from the prior: E_u H(K | u) = ent */
            /* a y outside the deadzone by 3 b: the coder's floor against -log2 P */
            const double y = z.d + 3.0 * b + 0.1;
            far_kl = recimg_rec_kl_bits_dz(y, b, z.d);
            for (int j = 0; j < 32; j++) {
                const double u = ((double)j + 0.5) / 32.0 - 0.5;
                const double g = recimg_dz_compand(y, z.d);
                far_cost += bin_cost(&e, (int64_t)floor(g / D + u + 0.5), u, b, z.tail) / 32.0;
            }
        }
        printf("coder vs kl_bits, b = %.2f (d = %.3f, -log2 t = %.1f): y from the prior: cost %.5f, kl %.5f bits; "
               "y = d + 3b + 0.1: cost %.2f, kl %.2f bits\n",
               b, z.d, z.d / b / LN2, cost, ent, far_cost, far_kl);
        CHECK(cost >= ent - 1e-9 && cost - ent < 0.01);
        if (z.d / b > 20.0)   /* a nonzero bin below the floor's 16 bits: the coder undercuts */
            CHECK(far_cost < far_kl);
    }
    rec_rc_encoder_free(&e);
}

/* ---- part 1: codec-level exactness ---- */

typedef struct {
    const char *name;
    rec_quant_rev rev;
    int defaults;   /* the default file's flags (0x6F): gain, fast chain with FAST, block dither */
    int block_flag; /* prior id 4 */
    int spikes;
    int fast_rule;  /* flags2 0x2000: d and the tail from the table on b (the uq default) */
} dz_config;

static int zz_of[64];   /* raster index -> zigzag index */

static void make_plane(double *coef, const double *sigma, int spikes)
{
    for (int zz = 0; zz < 64; zz++)
        zz_of[recimg_zigzag[zz]] = zz;
    for (int i = 0; i < NCOEF; i++) {
        const int k = i % 64, zz = zz_of[k];
        const double u = rec_prng_uniform(91, 7, (uint64_t)i);
        /* Laplace scale, sigma units, times a factor 1/4..4 log-uniform per coefficient: a
           scale mixture, heavier-tailed than the context model's Laplace, so that many values
           fall beyond their deadzone */
        const double s = 8.0 * pow(0.88, zz) * exp(2.0 * 2.772588722239781 * (rec_prng_uniform(91, 8, (uint64_t)i) - 0.5));
        coef[i] = sigma[k] * (u < 0.5 ? s * log(2.0 * u) : -s * log(2.0 * (1.0 - u)));
    }
    for (int i = 5; spikes && i < NCOEF; i += 16)
        coef[i] = 30.0 * coef[i] + (coef[i] < 0.0 ? -300.0 : 300.0);
}

static void run(const dz_config *c)
{
    double coef[NCOEF], out[NCOEF], sigma[64];
    recimg_rec_coef_trace *tr = malloc(sizeof *tr * NCOEF);
    double *w_all = malloc(sizeof(double) * NCOEF * SEEDS);
    double *w_in = malloc(sizeof(double) * NCOEF * SEEDS);
    double *w_out = malloc(sizeof(double) * NCOEF * SEEDS);
    size_t n_all = 0, n_in = 0, n_out = 0, n_far = 0, kl_n = 0;
    double fold_sum = 0.0, worst_cell = 0.0, worst_int = 0.0, kl_worst = 0.0, dmin = 1e300, dmax = 0.0;
    for (int k = 0; k < 64; k++)
        sigma[k] = 2.0 + 0.25 * (k % 8);
    make_plane(coef, sigma, c->spikes);
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        recimg_rec_plane_params pp;
        recimg_rec_stats rs;
        recimg_rec_recon recon = {RECIMG_DECODE_SAMPLE, 0.0, 0};
        double kl_sum = 0.0;
        memset(&pp, 0, sizeof pp);   /* every field the test does not name: 0 */
        pp.sampler = RECIMG_SAMPLER_UQ;
        pp.seed = seed * 1000003u + 17u;
        pp.plane = (uint32_t)(seed % 3);
        pp.sigma = sigma;
        pp.want_kl = 1;
        pp.stat_weight = 1.5;
        pp.quant_rev = c->rev;
        pp.block_gain = c->defaults || c->block_flag;
        pp.fast_chain = c->defaults && c->rev == REC_QUANT_REV_FAST;
        pp.block_dither = c->defaults;
        pp.uq_far_bin = c->defaults;      /* decoder, mmse only: the sample ignores it */
        pp.recon_table = c->defaults;     /* encoder sums; the decoder applies no table */
        pp.block_flag = c->block_flag;
        pp.uq_deadzone = 1;
        pp.dz_fast_rule = c->fast_rule;
        memset(&rs, 0, sizeof rs);
        for (int i = 0; i < NCOEF; i++)
            tr[i].coded = 0;
        rs.want_kl = 1;
        rs.trace = tr;
        rec_plane_roundtrip(coef, out, BW, BH, &pp, &rs, &recon);
        for (int i = 0; i < NCOEF; i++) {
            const int blk = i / 64, k = i % 64, zz = zz_of[k];
            const double y = coef[i] / sigma[k], x = out[i] / sigma[k], d = tr[i].d;
            double g = y, xg = x, w;
            CHECK(tr[i].coded == 1);
            if (!tr[i].coded)
                continue;
            kl_sum += tr[i].kl_bits;
            if (d > 0.0) {
                g = recimg_dz_compand(y, d);
                /* a y-cell centre: the zero cell's, or another moved out by d */
                if (fabs(x) >= 0.5 * D) {
                    const double gap = fabs(x) - (0.5 * D + d);
                    if (-gap > worst_cell)
                        worst_cell = -gap;
                    xg = x > 0.0 ? x - d : x + d;
                    n_far++;
                }
                if (d < dmin) dmin = d;
                if (d > dmax) dmax = d;
                if (seed == 0 && kl_n < 400) {   /* the trace's kl against the reference */
                    double ref_err;
                    const double ref = ref_kl_bits(y, tr[i].b, d, &ref_err);
                    const double err = fabs(tr[i].kl_bits - ref) / (kl_tolerance(y, tr[i].b, d, ref) + ref_err);
                    if (err > kl_worst)
                        kl_worst = err;
                    kl_n++;
                }
            }
            if (c->defaults) {   /* X_g / D + u on an integer: the dither is the file's */
                const double t = xg / D + ref_block_dither(pp.seed, pp.plane, (uint64_t)blk, zz);
                const double frac = fabs(t - floor(t + 0.5));
                if (frac > worst_int)
                    worst_int = frac;
            }
            w = (xg - g) / D + 0.5;
            w_all[n_all++] = w;
            if (d > 0.0 && g == 0.0)
                w_in[n_in++] = w;
            else if (d > 0.0) {
                const double wf = g > 0.0 ? w : 1.0 - w;
                w_out[n_out++] = wf;
                fold_sum += wf - 0.5;
            }
        }
        /* the trace adds up to --stats' kl_bits (the same terms, possibly another order) */
        CHECK(fabs(kl_sum - rs.kl_bits) <= 1e-9 * rs.kl_bits);
    }
    {
        const double fold_mean = fold_sum / (double)n_out, fold_se = sqrt(1.0 / 12.0 / (double)n_out);
        const double ks_all = ct_ks_uniform(w_all, n_all), ks_in = ct_ks_uniform(w_in, n_in);
        const double ks_out = ct_ks_uniform(w_out, n_out);
        printf("%s: n = %zu (deadzone: %zu with |y| <= d, %zu beyond, %zu outside the zero cell; d %.3g..%.3g); "
               "sqrt(n) D: all %.3f, |y| <= d %.3f, |y| > d folded %.3f; folded mean %.2f se; "
               "kl_bits vs reference (%zu): worst error / bound %.3g\n",
               c->name, n_all, n_in, n_out, n_far, dmin, dmax, ks_all, ks_in, ks_out, fold_mean / fold_se, kl_n,
               kl_worst);
        CHECK(n_in > 1000 && n_out > 1000 && n_far > 500 && dmax > 2.0 * D - 1e-9);
        CHECK(ks_all < 1.63);
        CHECK(ks_in < 1.63);
        CHECK(ks_out < 1.63);
        CHECK(fabs(fold_mean) < 4.0 * fold_se);
        CHECK(worst_cell < 1e-9);
        CHECK(worst_int < 1e-9);
        CHECK(kl_worst <= 1.0);
        CHECK(w_all[0] >= 0.0 && w_all[n_all - 1] <= 1.0);
    }
    free(tr);
    free(w_all);
    free(w_in);
    free(w_out);
}

int main(void)
{
    static const dz_config cfgs[] = {
        {"deadzone uq, defaults (flags 0x6F, block dither, short-chain coder, table rule)", REC_QUANT_REV_FAST, 1, 0, 0, 1},
        {"deadzone uq, defaults with the table rule, outliers", REC_QUANT_REV_FAST, 1, 0, 1, 1},
        {"deadzone uq, flags 0x6F with the formula rule (flags2 0x400 alone)", REC_QUANT_REV_FAST, 1, 0, 0, 0},
        {"deadzone uq, flags 0x6F with the formula rule, outliers", REC_QUANT_REV_FAST, 1, 0, 1, 0},
        {"deadzone uq, closed-form coder, key dithers", REC_QUANT_REV_CLOSED, 0, 0, 0, 0},
        {"deadzone uq, closed-form coder, key dithers, outliers", REC_QUANT_REV_CLOSED, 0, 0, 1, 0},
        {"deadzone uq, defaults with prior id 4's block level, outliers", REC_QUANT_REV_FAST, 1, 1, 1, 0},
        {"deadzone uq, defaults with prior id 4's block level and the table rule, outliers", REC_QUANT_REV_FAST, 1, 1, 1, 1},
    };
    kl_grid();
    coder_claim();
    for (size_t i = 0; i < sizeof cfgs / sizeof *cfgs; i++)
        run(&cfgs[i]);
    return ct_finish("test_codec_rec_exact_dz");
}
