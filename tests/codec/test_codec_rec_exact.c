/* Exactness of the simulated channel inside the codec (DESIGN 6): for a fixed
 * plane of coefficients y, encoded and decoded through the codec's REC stage
 * (context model, zero-bit rule off) under many seeds, the decoded sample X
 * must satisfy X - y ~ N(0, sigma^2) for lrq, gprs-bnb, gprs and pfr and Unif(-D/2, D/2), D = sigma*sqrt(12),
 * for uq. Pooled PIT values go through a Kolmogorov-Smirnov test
 * (sqrt(n) D < 1.63, the 1% level), and the mean and variance of the
 * standardized error are checked. Fixed seeds: the test is deterministic.
 * The rejection samplers run twice more with every 16th coefficient made an
 * outlier (x30) so that their flagged lrq fallback (far targets) is mixed in:
 * the channel must stay exact through the switch.
 * Also: recimg_laplace_trunc_mean (the feedback's E[y | bin], closed form with
 * rec_expm1) and recimg_laplace_trunc_mean_edges (from the closed-form bin coder's
 * edge exponentials) against Simpson integration with libm, to 1e-9 of the bin width.
 * uq, lrq and pfr's lrq fallback run with both bin coder revisions; uq also with prior
 * id 4's in-block gain and block level (the level scales the priors, never the channel)
 * and with header flag 0x20's block dither stream. The deadzone uq (flags2 0x400, the
 * default) needs each coefficient's d, which depends on its prior scale: its codec-level
 * exactness test is test_codec_rec_exact_dz.c (the encoder's trace gives d). */
#include "codec_ctx.h"
#include "codec_rec.h"
#include "codec_test_util.h"
#include "rec_plane_roundtrip.h"
#include "ref_block_dither.h"
#include "rec_math.h"
#include "rec_prng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BW = 2, BH = 2, NCOEF = BW * BH * 64, SEEDS = 24 };

static void run(recimg_sampler s, rec_quant_rev rev, const char *name, int spikes, int flag, int dither)
{
    double coef[NCOEF], out[NCOEF], sigma[64];
    double *pit = malloc(sizeof(double) * NCOEF * SEEDS);
    double sum = 0.0, sum2 = 0.0;
    size_t n = 0;
    for (int k = 0; k < 64; k++)
        sigma[k] = 2.0 + 0.25 * (k % 8);
    ct_laplace_coefficients(coef, NCOEF, 77, 40.0);   /* large at low frequency */
    for (int i = 5; spikes && i < NCOEF; i += 16)
        coef[i] = 30.0 * coef[i] + (coef[i] < 0.0 ? -300.0 : 300.0);
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        /* revision FAST comes with its in-block gain table (flag 0x08); flag: prior id 4's
           in-block gain and block level; dither: the block dither stream (flag 0x20, uq) */
        recimg_rec_plane_params pp = {s, seed * 1000003u, 0, 0.0, sigma, 0, 0.0, 1.5, rev, 0,
                                      rev == REC_QUANT_REV_FAST || flag, 0, 0, {0}, rev == REC_QUANT_REV_FAST,
                                      flag, 0, NULL, dither, 0, 0, 0, 0};
        recimg_rec_stats rs;
        recimg_rec_recon recon = {RECIMG_DECODE_SAMPLE, 0.0, 0};
        memset(&rs, 0, sizeof rs);
        rec_plane_roundtrip(coef, out, BW, BH, &pp, &rs, &recon);
        if (dither) {
            /* the sample is X = D (K - u): X / D + u is an integer exactly when u is the
               reference dither (any other u leaves a fraction spread over (0, 1)) */
            double worst = 0.0;
            for (int b = 0; b < BW * BH; b++)
                for (int zz = 0; zz < 64; zz++) {
                    const int k = recimg_zigzag[zz];
                    const double t = out[b * 64 + k] / sigma[k] / 3.46410161513775458705 +
                                     ref_block_dither(pp.seed, pp.plane, (uint64_t)b, zz);
                    const double frac = fabs(t - floor(t + 0.5));
                    if (frac > worst)
                        worst = frac;
                }
            if (!(worst < 1e-9))
                fprintf(stderr, "%s, seed %llu: X / D + u_ref off an integer by %g\n", name,
                        (unsigned long long)seed, worst);
            CHECK(worst < 1e-9);
        }
        for (int i = 0; i < NCOEF; i++) {
            const double e = (out[i] - coef[i]) / sigma[i % 64];   /* standardized error */
            sum += e;
            sum2 += e * e;
            pit[n++] = s == RECIMG_SAMPLER_UQ ? e / 3.46410161513775458705 + 0.5 : rec_Phi(e);
        }
    }
    {
        const double mean = sum / (double)n, var = sum2 / (double)n - mean * mean;
        const double ks = ct_ks_uniform(pit, n);   /* sorts pit */
        printf("%s: n = %zu, sqrt(n) D = %.3f, mean %.4f, variance %.4f\n", name, n, ks, mean, var);
        CHECK(ks < 1.63);
        CHECK(fabs(mean) < 4.0 / sqrt((double)n));
        CHECK(fabs(var - 1.0) < 0.05);
        CHECK(pit[0] >= 0.0 && pit[n - 1] <= 1.0);
    }
    free(pit);
}

/* Simpson's rule for the integrals of t^p e^(-(|o + t| - d)/b) on [t0, t1] (no kink
 * inside): t is measured from the bin's lower edge o and d = min |x| over the bin, so
 * neither the magnitude of o nor a far tail costs precision. */
static double simpson(double o, double d, double t0, double t1, double b, int p)
{
    /* step at most b / 200: relative error below ~1e-11 */
    const int N = 2 * (int)ceil(100.0 * (t1 - t0) / b) + 4000;
    const double h = (t1 - t0) / N;
    double acc = 0.0;
    for (int i = 0; i <= N; i++) {
        const double t = t0 + h * i;
        const double f = (p ? t : 1.0) * exp(-(fabs(o + t) - d) / b);
        acc += f * (i == 0 || i == N ? 1.0 : (i % 2 ? 4.0 : 2.0));
    }
    return acc * h / 3.0;
}

static void trunc_mean_check(void)
{
    static const double bs[] = {0.2, 1.0, 3.0, 30.0, 1000.0};
    static const double hws[] = {0.01, 0.5, 1.7320508075688772, 5.0, 40.0};
    double worst = 0.0, worst_edges = 0.0;
    for (size_t i = 0; i < sizeof bs / sizeof bs[0]; i++)
        for (size_t j = 0; j < sizeof hws / sizeof hws[0]; j++)
            for (int c = -40; c <= 40; c++) {
                const double b = bs[i], hw = hws[j], x = c * 0.137 * (hw + b);
                const double lo = x - hw, hi = x + hw, w = hi - lo;
                double m0, m1, err;
                if (lo < 0.0 && hi > 0.0) {
                    m0 = simpson(lo, 0.0, 0.0, -lo, b, 0) + simpson(lo, 0.0, -lo, w, b, 0);
                    m1 = simpson(lo, 0.0, 0.0, -lo, b, 1) + simpson(lo, 0.0, -lo, w, b, 1);
                } else {
                    const double d = lo >= 0.0 ? lo : -hi;
                    m0 = simpson(lo, d, 0.0, w, b, 0);
                    m1 = simpson(lo, d, 0.0, w, b, 1);
                }
                /* |mean - reference| / bin width; lo + m1 / m0 is the reference mean */
                err = fabs((recimg_laplace_trunc_mean(lo, hi, b) - lo) - m1 / m0) / w;
                if (err > worst)
                    worst = err;
                if (!(err < 1e-9))
                    printf("trunc_mean: lo %.17g hi %.17g b %g: error / bin width %.3g\n", lo, hi, b, err);
                CHECK(err < 1e-9);
                {
                    /* from the closed-form coder's edge exponentials: as exact where that
                       coder runs (bins of at least 1/43 scale); narrower bins lose
                       digits in e_lo - e_hi (1e-16 / (w / b) relative) */
                    const double e_lo = rec_exp(-fabs(lo) / b), e_hi = rec_exp(-fabs(hi) / b);
                    const double tol = w / b >= 1.0 / 43.0 ? 1e-9 : 1e-5;
                    err = fabs((recimg_laplace_trunc_mean_edges(lo, hi, b, e_lo, e_hi) - lo) - m1 / m0) / w;
                    if (err > worst_edges)
                        worst_edges = err;
                    if (!(err < tol))
                        printf("trunc_mean_edges: lo %.17g hi %.17g b %g: error / bin width %.3g\n", lo,
                               hi, b, err);
                    CHECK(err < tol);
                }
            }
    printf("trunc_mean: worst |error| / bin width %.3g (from edge exponentials %.3g)\n", worst,
           worst_edges);
}

int main(void)
{
    trunc_mean_check();
    run(RECIMG_SAMPLER_LRQ, REC_QUANT_REV_WINDOW, "lrq", 0, 0, 0);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_WINDOW, "uq", 0, 0, 0);
    run(RECIMG_SAMPLER_LRQ, REC_QUANT_REV_CLOSED, "lrq (closed-form coder)", 0, 0, 0);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_CLOSED, "uq (closed-form coder)", 0, 0, 0);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_CLOSED, "uq (closed-form coder, outliers)", 1, 0, 0);
    run(RECIMG_SAMPLER_LRQ, REC_QUANT_REV_FAST, "lrq (short-chain revision, flag 0x08)", 0, 0, 0);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_FAST, "uq (short-chain revision, flag 0x08)", 0, 0, 0);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_FAST, "uq (short-chain revision, outliers)", 1, 0, 0);
    /* prior id 4: the in-block gain and the block level (codec_rec.c "block flag") */
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_CLOSED, "uq (closed-form coder, gain and block level)", 0, 1, 0);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_CLOSED, "uq (closed-form coder, gain and block level, outliers)", 1, 1, 0);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_FAST, "uq (short-chain revision, gain and block level, outliers)", 1, 1, 0);
    /* header flag 0x20: the dithers from the block stream (codec_rec.c block_dither_key) */
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_FAST, "uq (block dither stream, flag 0x20)", 0, 0, 1);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_FAST, "uq (block dither stream, outliers)", 1, 0, 1);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_WINDOW, "uq (block dither stream, window coder)", 0, 0, 1);
    run(RECIMG_SAMPLER_UQ, REC_QUANT_REV_FAST, "uq (block dither stream, gain and block level, outliers)", 1, 1, 1);
    run(RECIMG_SAMPLER_GPRS_BNB, REC_QUANT_REV_WINDOW, "gprs-bnb", 0, 0, 0);
    run(RECIMG_SAMPLER_GPRS, REC_QUANT_REV_WINDOW, "gprs", 0, 0, 0);
    run(RECIMG_SAMPLER_PFR, REC_QUANT_REV_WINDOW, "pfr", 0, 0, 0);
    run(RECIMG_SAMPLER_GPRS_BNB, REC_QUANT_REV_WINDOW, "gprs-bnb (outliers)", 1, 0, 0);
    run(RECIMG_SAMPLER_GPRS, REC_QUANT_REV_WINDOW, "gprs (outliers)", 1, 0, 0);
    run(RECIMG_SAMPLER_PFR, REC_QUANT_REV_WINDOW, "pfr (outliers)", 1, 0, 0);
    run(RECIMG_SAMPLER_PFR, REC_QUANT_REV_CLOSED, "pfr (outliers, closed-form coder)", 1, 0, 0);
    return ct_finish("test_codec_rec_exact");
}
