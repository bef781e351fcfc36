/* bench/uq_step_study.c - numerical study for the prior-adaptive uq step
 * (issue 4, docs/REC_CODEC.md "Prior-adaptive uq step").
 *
 * One coefficient, units of the channel noise sd sigma. The coding prior is
 * Laplace(0, b); the true source is (1 - p) Laplace(0, b) + p Laplace(0, c):
 * p = 0 is the matched model, p > 0 adds the rare large values (edges) that
 * the context model's b under-predicts. For each scheme the operational rate
 * R (bits) and MMSE distortion D (decoder: mean of the PRIOR on the bin, as the
 * codec does) are computed, and the Lagrangian J = D + lambda R:
 *   skip       R = 0, D = E[y^2]
 *   uq(D)      dithered step D: K = round(y / D + U), U ~ Unif(-1/2, 1/2)
 *              (averaged over NU offsets), bin pmf from the prior; the codec's
 *              coder gives every bin of its window at least 1/65536 and
 *              escapes outside, modelled as a cost of at most
 *              16 + 2 log2(1 + |k|) bits per bin
 *   round(s)   deterministic rounding with step s, centroid (prior) decoding
 * lambda = 2 ln 2 sigma^2 per bit is the slope -dD/dR of uq at its normal step
 * sqrt(12) in the high-rate limit (D = step^2 / 12, R = h - log2 step).
 * The table lists, per b: the information I = 1/2 log2(1 + 2 b^2), J of the
 * landed rule (uq at sqrt 12 if I >= tau = 0.08 else skip), the best step
 * (grid over 0.5 .. 64 x sqrt 12, or skip) and its J, in units of lambda
 * (bits-equivalent per coefficient).
 *
 * Build: with the tree (target uq_step_study: build/bench/uq_step_study), or alone:
 *        cc -O2 -std=c11 -Itools -Ibench -o uq_step_study bench/uq_step_study.c
 *           bench/bench_args.c tools/tool_args.c -lm
 * Run:   uq_step_study [p c]   (default: p = 0, 0.01, 0.03 with c = 2)
 *        uq_step_study curve b p c   (R, D, J against the step for one b)
 * A bad command line is refused with exit status 1 and the usage text.
 * Not part of the codec: libm throughout. */
#include "bench_args.h"
#include "tool_args.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NU 128
#define SQRT12 3.46410161513775458705

/* moments n = 0, 1, 2 of Laplace(0, b) on [a, z], 0 <= a <= z (closed form) */
static void pos_moments(double a, double z, double b, double m[3])
{
    const double ea = exp(-a / b), ez = exp(-z / b);
    m[0] = 0.5 * (ea - ez);
    m[1] = 0.5 * ((a + b) * ea - (z + b) * ez);
    m[2] = 0.5 * ((a * a + 2 * b * a + 2 * b * b) * ea - (z * z + 2 * b * z + 2 * b * b) * ez);
}

/* moments 0, 1, 2 of Laplace(0, b) on [lo, hi] */
static void lap_moments(double lo, double hi, double b, double m[3])
{
    double t[3];
    m[0] = m[1] = m[2] = 0;
    if (hi > 0) {
        pos_moments(lo > 0 ? lo : 0, hi, b, t);
        m[0] += t[0]; m[1] += t[1]; m[2] += t[2];
    }
    if (lo < 0) {
        pos_moments(hi < 0 ? -hi : 0, -lo, b, t);
        m[0] += t[0]; m[1] -= t[1]; m[2] += t[2];
    }
}

/* mean of Laplace(0, b) on [lo, hi] and its mass */
static double ltrunc_mean(double lo, double hi, double b, double *mass)
{
    double m[3];
    lap_moments(lo, hi, b, m);
    *mass = m[0];
    return m[0] > 1e-300 ? m[1] / m[0] : (lo > 0 ? lo : hi < 0 ? hi : 0.0);
}

/* moments of the true source (mixture) on [lo, hi] */
static void true_moments(double lo, double hi, double b, double p, double c,
                         double *mass, double *m1, double *m2)
{
    double a[3], o[3] = {0, 0, 0};
    lap_moments(lo, hi, b, a);
    if (p > 0)
        lap_moments(lo, hi, c, o);
    *mass = (1 - p) * a[0] + p * o[0];
    *m1 = (1 - p) * a[1] + p * o[1];
    *m2 = (1 - p) * a[2] + p * o[2];
}

/* rate and distortion of a quantizer with step D at offsets u (n offsets) */
static void rd_quant(double D, double b, double p, double c, const double *us, int n,
                     double *R, double *Dist)
{
    const double lim = 40.0 * (b > c ? b : c) + D;
    double r = 0, d = 0;
    for (int j = 0; j < n; j++) {
        const double u = us[j];
        const long k0 = (long)floor(-lim / D + u + 0.5) - 1, k1 = (long)floor(lim / D + u + 0.5) + 1;
        for (long k = k0; k <= k1; k++) {
            const double lo = D * ((double)k - u - 0.5), hi = lo + D;
            double pm, tm, m1, m2, cost;
            const double e = ltrunc_mean(lo, hi, b, &pm);
            true_moments(lo, hi, b, p, c, &tm, &m1, &m2);
            if (tm < 1e-300)
                continue;
            cost = pm > 1e-300 ? -log2(pm) : 1e9;
            {
                const double cap = 16.0 + 2.0 * log2(1.0 + fabs((double)k));
                if (cost > cap)
                    cost = cap;
            }
            r += tm * cost;
            d += m2 - 2 * e * m1 + e * e * tm;
        }
    }
    *R = r / n;
    *Dist = d / n;
}

static void table(double p, double c, double lambda)
{
    double us[NU], u0 = 0.0;
    const double tau = 0.08;
    printf("\np = %.3f, c = %.1f sigma, lambda = %.3f sigma^2/bit (J in bits-equivalent = J / lambda)\n",
           p, c, lambda);
    printf("| b/sigma | I bits | skip J | uq sqrt12 J | landed rule J | best step/sqrt12 | best J | gain vs landed | round(sqrt12) J |\n");
    printf("|---|---|---|---|---|---|---|---|---|\n");
    for (int j = 0; j < NU; j++)
        us[j] = (j + 0.5) / NU - 0.5;
    for (double b = 0.02; b < 2.01; b *= 1.4142135623730951) {
        const double I = 0.5 * log2(1 + 2 * b * b);
        const double Ey2 = (1 - p) * 2 * b * b + p * 2 * c * c;
        double R, Dd, Jn, Jskip = Ey2 / lambda, Jbest = Jskip, fbest = 0, Jland, Jround;
        rd_quant(SQRT12, b, p, c, us, NU, &R, &Dd);
        Jn = (Dd + lambda * R) / lambda;
        Jland = I >= tau ? Jn : Jskip;
        for (double f = 0.5; f <= 64.0; f *= 1.0905077326652577) {   /* 2^(1/8) */
            double Rf, Df, J;
            rd_quant(SQRT12 * f, b, p, c, us, NU, &Rf, &Df);
            J = (Df + lambda * Rf) / lambda;
            if (J < Jbest) {
                Jbest = J;
                fbest = f;
            }
        }
        rd_quant(SQRT12, b, p, c, &u0, 1, &R, &Dd);
        Jround = (Dd + lambda * R) / lambda;
        if (fbest > 0)
            printf("| %.3f | %.4f | %.4f | %.4f | %.4f | %.2f | %.4f | %.4f | %.4f |\n", b, I, Jskip, Jn, Jland,
                   fbest, Jbest, Jland - Jbest, Jround);
        else
            printf("| %.3f | %.4f | %.4f | %.4f | %.4f | skip | %.4f | %.4f | %.4f |\n", b, I, Jskip, Jn, Jland,
                   Jbest, Jland - Jbest, Jround);
    }
}

/* J(step) / lambda, R and D for one b: the shape of the trade-off */
static void curve(double b, double p, double c, double lambda)
{
    double us[NU];
    const double Ey2 = (1 - p) * 2 * b * b + p * 2 * c * c;
    for (int j = 0; j < NU; j++)
        us[j] = (j + 0.5) / NU - 0.5;
    printf("\nb = %.3f, p = %.3f, c = %.1f: skip R = 0, D = %.5f, J = %.5f\n", b, p, c, Ey2, Ey2 / lambda);
    printf("| step/sqrt12 | R bits | D | J/lambda | (D_skip - D) / R, sigma^2 per bit |\n|---|---|---|---|---|\n");
    for (double f = 0.5; f <= 64.0; f *= 2.0) {
        double R, D;
        rd_quant(SQRT12 * f, b, p, c, us, NU, &R, &D);
        printf("| %.2f | %.5f | %.5f | %.5f | %.3f |\n", f, R, D, (D + lambda * R) / lambda,
               R > 0 ? (Ey2 - D) / R : 0.0);
    }
}

static const char usage_text[] =
    "usage: uq_step_study [P C]        (default: P = 0, 0.01, 0.03 with C = 2)\n"
    "       uq_step_study curve B P C\n"
    "  P (share of the wide Laplace) in 0..1; B, C (Laplace scales, sigma units) in (0, 1000]\n";

/* A Laplace scale in sigma units: (0, 1000]. 0 and *out set, or -1. */
static int parse_scale(const char *s, double *out)
{
    double v;
    if (tool_parse_double(s, 0.0, 1000.0, &v) || !(v > 0.0))
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    const double lambda = 2.0 * log(2.0);
    double b, p, c;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
    if (argc == 5 && !strcmp(argv[1], "curve")) {
        if (parse_scale(argv[2], &b) || tool_parse_double(argv[3], 0.0, 1.0, &p) || parse_scale(argv[4], &c))
            return bench_usage_error(usage_text, "uq_step_study: curve B P C needs B, C in (0, 1000] and P in "
                                     "0..1, not '%s %s %s'", argv[2], argv[3], argv[4]);
        curve(b, p, c, lambda);
        return 0;
    }
    if (argc == 3) {
        if (tool_parse_double(argv[1], 0.0, 1.0, &p) || parse_scale(argv[2], &c))
            return bench_usage_error(usage_text, "uq_step_study: P C needs P in 0..1 and C in (0, 1000], "
                                     "not '%s %s'", argv[1], argv[2]);
        table(p, c, lambda);
        return 0;
    }
    if (argc != 1)
        return bench_usage_error(usage_text, "uq_step_study: unexpected arguments (%d given)", argc - 1);
    table(0.0, 2.0, lambda);
    table(0.01, 2.0, lambda);
    table(0.03, 2.0, lambda);
    return 0;
}
