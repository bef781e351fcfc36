/* tests/rec/test_gprs_common.h - shared driver of the rejection-sampler tests
 * (test_pfr.c, test_gprs.c, test_gprs_bnb.c).
 *
 * run_case() encodes n targets through one range encoder, decodes them from the finished
 * bytes with only s and the key (never mu), checks the decoded samples bit for bit, and
 * tests exactness on the pooled PIT u = Phi((x - mu) / s): Kolmogorov-Smirnov
 * sqrt(n) D < 1.63 (1% level), mean and variance of z = (x - mu) / s within 4 standard
 * errors of 0 and 1 (DESIGN 6).  It also reports the bits actually written per item next
 * to the mean KL and D_CS of the targets.  Tests may use libm (nothing here is shared).
 */
#ifndef TESTS_REC_TEST_GPRS_COMMON_H
#define TESTS_REC_TEST_GPRS_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"
#include "rec_test_util.h"
#include "rec_stats.h"

enum { S_PFR = 0, S_GPRS = 1, S_BNB = 2 };

static const char *const sampler_name[] = {"pfr", "gprs", "gprs-bnb"};

/* A family of targets: item i gets (mu, s). */
typedef struct {
    const char *label;
    int channel;    /* 1: Gaussian channel setting s = 2^-info, mu ~ N(0, 1 - s^2) */
    double info;    /* bits, channel only */
    double mu, s;   /* fixed target (mu's sign alternates with i when alt_sign) */
    int alt_sign;
} target_family;

static void family_target(const target_family *f, uint64_t seed, size_t i, double *mu,
                          double *s)
{
    if (f->channel) {
        *s = pow(2.0, -f->info);
        /* mu from a stream of its own, independent of the samplers' randomness */
        *mu = sqrt(1.0 - *s * *s) * rec_prng_normal(seed ^ 0x5eedULL, 99, i);
    } else {
        *s = f->s;
        *mu = (f->alt_sign && (i & 1)) ? -f->mu : f->mu;
    }
}

typedef struct {
    double ks, zmean, zvar, mean_steps, sd_steps, bits_per_item, kl_bits, dcs_bits;
    size_t capped;
} case_result;

static rec_status sampler_encode(int kind, double mu, double s, const rec_key *key,
                                 uint64_t cap, rec_gprs_bnb_model *model, rec_rc_encoder *enc,
                                 rec_rs_result *res)
{
    switch (kind) {
    case S_PFR:
        return rec_pfr_encode(mu, s, key, cap, enc, res);
    case S_GPRS:
        return rec_gprs_encode(mu, s, key, cap, enc, res);
    default:
        return rec_gprs_bnb_encode(mu, s, key, cap, model, enc, res);
    }
}

static rec_status sampler_decode(int kind, double s, const rec_key *key,
                                 rec_gprs_bnb_model *model, rec_rc_decoder *dec, double *x)
{
    switch (kind) {
    case S_PFR:
        return rec_pfr_decode(s, key, dec, x);
    case S_GPRS:
        return rec_gprs_decode(s, key, dec, x);
    default:
        return rec_gprs_bnb_decode(s, key, model, dec, x);
    }
}

static double std_normal_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

/* Runs one family; returns the measurements and counts failures. */
static case_result run_case(int kind, const target_family *f, size_t n, uint64_t seed,
                            uint64_t cap, int check_exact)
{
    case_result r;
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    rec_gprs_bnb_model model;
    rec_moments zm, sm;
    double *x = malloc(n * sizeof *x), *mu = malloc(n * sizeof *mu),
           *s = malloc(n * sizeof *s), *u = malloc(n * sizeof *u);
    uint8_t *buf = NULL;
    size_t i, size = 0, bad = 0, dcs_n = 0, nok = 0;
    double kl = 0.0, dcs = 0.0;

    memset(&r, 0, sizeof r);
    if (x == NULL || mu == NULL || s == NULL || u == NULL || rec_rc_encoder_init(&enc) != 0) {
        CHECKF(0, "out of memory");
        free(x), free(mu), free(s), free(u);
        return r;
    }
    rec_gprs_bnb_model_init(&model);
    rec_moments_init(&zm);
    rec_moments_init(&sm);
    for (i = 0; i < n; i++) {
        const rec_key key = {seed, 3, i};
        rec_rs_result res;
        rec_status st;
        family_target(f, seed, i, &mu[i], &s[i]);
        st = sampler_encode(kind, mu[i], s[i], &key, cap, &model, &enc, &res);
        if (st == REC_ERR_STEP_CAP) {
            r.capped++;
            mu[i] = (double)NAN; /* not coded: the decoder skips it as well */
            continue;
        }
        CHECKF(st == REC_OK, "%s %s: encode item %zu: %s", sampler_name[kind], f->label, i,
               rec_strerror(st));
        x[i] = res.x;
        rec_moments_add(&sm, (double)res.steps);
        kl += rec_stats_kl_gauss_bits(mu[i], s[i]);
        if (i % 401 == 0) { /* D_CS by quadrature on a subsample (it is slow) */
            dcs += rec_stats_dcs_gauss_bits(mu[i], s[i]);
            dcs_n++;
        }
    }
    CHECKF(rec_rc_encoder_finish(&enc, &buf, &size) == 0, "encoder finish");
    rec_rc_decoder_init(&dec, buf, size);
    rec_gprs_bnb_model_init(&model);
    for (i = 0; i < n; i++) {
        const rec_key key = {seed, 3, i};
        double xd = 0.0, z;
        rec_status st;
        if (isnan(mu[i]))
            continue;
        /* the decoder gets s and the key only */
        st = sampler_decode(kind, s[i], &key, &model, &dec, &xd);
        if (st != REC_OK || memcmp(&xd, &x[i], sizeof xd) != 0)
            bad++;
        z = (xd - mu[i]) / s[i];
        u[nok++] = std_normal_cdf(z);
        rec_moments_add(&zm, z);
    }
    CHECKF(bad == 0, "%s %s: %zu items decoded differently", sampler_name[kind], f->label, bad);
    CHECKF(!rec_rc_decoder_error(&dec), "%s %s: range decoder error", sampler_name[kind],
           f->label);
    r.ks = rec_stats_ks_uniform(u, nok);
    r.zmean = zm.mean;
    r.zvar = rec_moments_var(&zm);
    r.mean_steps = sm.mean;
    r.sd_steps = sqrt(rec_moments_var(&sm));
    r.bits_per_item = nok ? 8.0 * (double)size / (double)nok : 0.0;
    r.kl_bits = nok ? kl / (double)nok : 0.0;
    r.dcs_bits = dcs_n ? dcs / (double)dcs_n : 0.0;
    printf("%-8s %-28s n=%zu ks=%.3f z_mean=%+.4f z_var=%.4f steps=%.3f (sd %.2f) "
           "bits/item=%.3f KL=%.3f D_CS~%.3f capped=%zu\n",
           sampler_name[kind], f->label, nok, r.ks, r.zmean, r.zvar, r.mean_steps, r.sd_steps,
           r.bits_per_item, r.kl_bits, r.dcs_bits, r.capped);
    if (check_exact) {
        const double se = 1.0 / sqrt((double)nok);
        CHECKF(r.capped == 0, "%s %s: %zu items hit the step cap", sampler_name[kind], f->label,
               r.capped);
        CHECKF(r.ks < 1.63, "%s %s: KS sqrt(n) D = %.3f", sampler_name[kind], f->label, r.ks);
        CHECKF(fabs(r.zmean) < 4.0 * se, "%s %s: z mean %.4f", sampler_name[kind], f->label,
               r.zmean);
        CHECKF(fabs(r.zvar - 1.0) < 4.0 * sqrt(2.0) * se, "%s %s: z variance %.4f",
               sampler_name[kind], f->label, r.zvar);
    }
    free(buf);
    free(x), free(mu), free(s), free(u);
    return r;
}

/* Argument checks common to all samplers: errors, never a hang. */
static void check_arguments(int kind)
{
    const rec_key key = {1, 2, 3};
    rec_rs_result res;
    rec_gprs_bnb_model model;
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf = NULL;
    size_t size = 0;
    double x = 0.0;
    const double bad_s[] = {1.0, 1.5, 0.0, -0.5, (double)NAN, (double)INFINITY};
    size_t i;

    rec_gprs_bnb_model_init(&model);
    CHECKF(rec_rc_encoder_init(&enc) == 0, "init");
    for (i = 0; i < sizeof bad_s / sizeof bad_s[0]; i++) {
        const rec_status want = (bad_s[i] >= 1.0 && isfinite(bad_s[i])) ? REC_ERR_UNBOUNDED
                                                                        : REC_ERR_INVALID_ARG;
        CHECKF(sampler_encode(kind, 0.1, bad_s[i], &key, 100, &model, &enc, &res) == want,
               "%s: s = %g not refused", sampler_name[kind], bad_s[i]);
    }
    CHECKF(sampler_encode(kind, (double)NAN, 0.5, &key, 100, &model, &enc, &res) == REC_ERR_INVALID_ARG,
           "%s: mu = NaN", sampler_name[kind]);
    CHECKF(sampler_encode(kind, (double)INFINITY, 0.5, &key, 100, &model, &enc, &res) ==
               REC_ERR_INVALID_ARG,
           "%s: mu = inf", sampler_name[kind]);
    CHECKF(sampler_encode(kind, 0.1, 0.5, NULL, 100, &model, &enc, &res) == REC_ERR_INVALID_ARG,
           "%s: NULL key", sampler_name[kind]);
    CHECKF(sampler_encode(kind, 0.1, 0.5, &key, 0, &model, &enc, &res) == REC_ERR_INVALID_ARG,
           "%s: max_steps 0", sampler_name[kind]);
    /* a target with sup r = e^40: the cap must stop the encoder, nothing is written */
    CHECKF(sampler_encode(kind, 8.0, 0.3, &key, 3, &model, &enc, &res) == REC_ERR_STEP_CAP,
           "%s: step cap not reported", sampler_name[kind]);
    CHECKF(rec_rc_encoder_finish(&enc, &buf, &size) == 0 && size == 0,
           "%s: refused calls wrote %zu bytes", sampler_name[kind], size);
    free(buf);
    /* decoders: bad s, and garbage / empty input terminate with an error or a value */
    CHECKF(sampler_decode(kind, 1.0, &key, &model, NULL, &x) != REC_OK, "%s: decode NULL dec",
           sampler_name[kind]);
    {
        static const uint8_t ones[64] = {
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
        int k;
        rec_rc_decoder_init(&dec, ones, sizeof ones);
        CHECKF(sampler_decode(kind, 1.0, &key, &model, &dec, &x) == REC_ERR_UNBOUNDED,
               "%s: decode s = 1", sampler_name[kind]);
        for (k = 0; k < 200; k++) {
            const rec_status st = sampler_decode(kind, 0.01, &key, &model, &dec, &x);
            if (st != REC_OK)
                break;
            CHECKF(isfinite(x), "%s: non-finite value from garbage", sampler_name[kind]);
        }
        /* reaching here means every call returned: no hang, values finite */
        rec_rc_decoder_init(&dec, NULL, 0);
        for (k = 0; k < 200; k++)
            if (sampler_decode(kind, 0.5, &key, &model, &dec, &x) != REC_OK)
                break;
    }
}

#ifndef TEST_GPRS_BNB_ONLY
/* Runtime law of the global samplers (pfr, gprs): E[steps] = sup r = exp(D_inf) for a fixed
 * target, checked to 4 standard errors. */
static void check_runtime_law(int kind, double mu, double s, size_t n, uint64_t seed)
{
    char label[64];
    target_family f;
    case_result r;
    const double dinf = -log(s) + mu * mu / (2.0 * (1.0 - s * s));
    const double want = exp(dinf);
    double se;

    snprintf(label, sizeof label, "law mu=%g s=%g", mu, s);
    f.label = label;
    f.channel = 0;
    f.info = 0.0;
    f.mu = mu;
    f.s = s;
    f.alt_sign = 1;
    r = run_case(kind, &f, n, seed, (uint64_t)1 << 30, 1);
    se = r.sd_steps / sqrt((double)n);
    printf("  runtime law %s mu=%g s=%g: mean steps %.3f +- %.3f (SE), 2^D_inf = %.3f, ratio %.4f\n",
           sampler_name[kind], mu, s, r.mean_steps, se, want, r.mean_steps / want);
    CHECKF(fabs(r.mean_steps - want) < 4.0 * se, "%s: mean steps %.3f vs 2^D_inf %.3f (SE %.3f)",
           sampler_name[kind], r.mean_steps, want, se);
}

/* The exactness families of the global samplers.  |mu| = 8 prior sd is out of reach for
 * them by their own runtime law: D_inf >= 32 nats, i.e. e^32 = 8e13 proposals per sample.
 * The far-mean case is therefore |mu| = 2.5 at s = 0.25 (sup r = 112, Q centred 2.5 prior
 * sd out), whose 20000 samples take 2.2 M proposals, under a second. */
static void run_global_families(int kind)
{
    static const target_family fam[] = {
        {"channel I=0.1", 1, 0.1, 0, 0, 0},
        {"channel I=1", 1, 1.0, 0, 0, 0},
        {"channel I=4", 1, 4.0, 0, 0, 0},
        {"channel s=0.999", 1, 0.0014434168696687, 0, 0, 0}, /* -log2(0.999) */
        {"|mu|=2.5 s=0.25", 0, 0, 2.5, 0.25, 1},
        {"KL~0 mu=0 s=0.999", 0, 0, 0.0, 0.999, 0},
    };
    size_t i;
    for (i = 0; i < sizeof fam / sizeof fam[0]; i++)
        (void)run_case(kind, &fam[i], 20000, 2000 + i, (uint64_t)1 << 26, 1);
}

#endif /* TEST_GPRS_BNB_ONLY */

#endif /* TESTS_REC_TEST_GPRS_COMMON_H */
