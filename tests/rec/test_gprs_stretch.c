/* tests/rec/test_gprs_stretch.c - the GPRS stretch function sigma and the accept test.
 *
 * sigma(h) = int_0^h d eta / (w_Q(eta) - eta w_P(eta)) is checked against an independent
 * reference: adaptive Simpson in u = (ln(sup r / eta))^(-1/2) with long-double erfc (libm),
 * to 1e-9 relative.  The accept test T < sigma(h) (bounds first, quadrature when they do
 * not decide) must agree with the reference whenever T is more than 1e-9 relative away
 * from sigma(h); T is placed at 1e-2 .. 1e-7 relative distances on both sides so that the
 * cheap bounds, the convexity bounds and the quadrature branch are all exercised.  Also
 * h <= sigma(h) <= h / g(h) and monotonicity (DESIGN 3.2). */
#include <math.h>
#include <stdio.h>

#include "rec.h"
#include "rec_rs_internal.h"
#include "rec_test_util.h"

static double ref_mu, ref_s;

static long double ref_mass(long double lo, long double hi)
{
    return 0.5L * (erfcl(-hi / sqrtl(2.0L)) - erfcl(-lo / sqrtl(2.0L)));
}

/* g at eta = exp(D - t), straightforward long-double formula */
static long double ref_g(long double t)
{
    const long double s = (long double)ref_s, mu = (long double)ref_mu, om = 1.0L - s * s;
    const long double a = om / (2.0L * s * s), xs = mu / om;
    const long double D = -logl(s) + mu * xs / 2.0L, d = sqrtl(t / a);
    const long double eta = expl(D - t);
    return ref_mass(s * xs - d / s, s * xs + d / s) - eta * ref_mass(xs - d, xs + d);
}

static long double ref_f(long double u)
{
    const long double s = (long double)ref_s, mu = (long double)ref_mu, om = 1.0L - s * s;
    const long double D = -logl(s) + mu * mu / (2.0L * om);
    long double t;
    if (u <= 1e-3L)
        return 0.0L;
    t = 1.0L / (u * u);
    return 2.0L / (u * u * u) * expl(D - t) / ref_g(t);
}

static long double simpson(long double a, long double b, long double fa, long double fm,
                           long double fb, long double whole, long double eps, int depth)
{
    const long double m = (a + b) / 2, lm = (a + m) / 2, rm = (m + b) / 2;
    const long double flm = ref_f(lm), frm = ref_f(rm);
    const long double l = (m - a) / 6 * (fa + 4 * flm + fm), r = (b - m) / 6 * (fm + 4 * frm + fb);
    if (depth <= 0 || fabsl(l + r - whole) <= 15 * eps)
        return l + r + (l + r - whole) / 15;
    return simpson(a, m, fa, flm, fm, l, eps / 2, depth - 1) +
           simpson(m, b, fm, frm, fb, r, eps / 2, depth - 1);
}

static double ref_sigma(double mu, double s, double h)
{
    const double D = -log(s) + mu * mu / (2.0 * (1.0 - s * s));
    const long double uh = 1.0L / sqrtl((long double)D - logl((long double)h));
    long double fa, fm, fb;
    ref_mu = mu;
    ref_s = s;
    fa = ref_f(0.0L);
    fm = ref_f(uh / 2);
    fb = ref_f(uh);
    return (double)simpson(0.0L, uh, fa, fm, fb, uh / 6 * (fa + 4 * fm + fb), 1e-12L * (long double)h, 22);
}

int main(void)
{
    static const double targets[][2] = {{0.0, 0.5}, {1.0, 0.5}, {0.3, 0.1}, {-1.5, 0.25},
                                        {0.02, 0.95}, {0.2, 0.03}};
    static const double hfrac[] = {0.01, 0.1, 0.5, 0.9, 0.99, 0.9999};
    static const double rel[] = {1e-2, 1e-4, 1e-6, 1e-7};
    size_t i, j, k;
    unsigned long decisions = 0;
    rec_rs_stats stats = {0, 0, 0, 0};

    setvbuf(stdout, NULL, _IONBF, 0);
    for (i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        const double mu = targets[i][0], s = targets[i][1];
        rec_rs_target t;
        double prev = 0.0, M;
        CHECKF(rec_rs_target_init(&t, mu, s) == REC_OK, "target");
        M = exp(t.dinf);
        for (j = 0; j < sizeof hfrac / sizeof hfrac[0]; j++) {
            const double h = hfrac[j] * M;
            const double sig = rec_gprs_stretch(mu, s, h, 1e-12);
            const double ref = ref_sigma(mu, s, h);
            double g, w;
            rec_rs_level(&t, t.dinf - log(h), h, &g, &w);
            printf("mu=%5.2f s=%5.3f h/M=%-7g sigma=%.12g ref=%.12g rel=%.1e\n", mu, s,
                   hfrac[j], sig, ref, fabs(sig - ref) / ref);
            CHECKF(fabs(sig - ref) <= 1e-9 * ref, "sigma(%g) = %.15g, reference %.15g", h, sig,
                   ref);
            CHECKF(sig >= h * (1 - 1e-12) && sig <= h / g * (1 + 1e-12),
                   "bounds h <= sigma <= h/g violated at h=%g", h);
            CHECKF(sig > prev, "sigma not increasing");
            prev = sig;
            for (k = 0; k < sizeof rel / sizeof rel[0]; k++) {
                const double lo = ref * (1 - rel[k]), hi = ref * (1 + rel[k]);
                CHECKF(rec_rs_gprs_accept(&t, lo, log(h), &stats) == 1,
                       "T = sigma(1 - %g) not accepted (mu=%g s=%g h=%g)", rel[k], mu, s, h);
                CHECKF(rec_rs_gprs_accept(&t, hi, log(h), &stats) == 0,
                       "T = sigma(1 + %g) not rejected (mu=%g s=%g h=%g)", rel[k], mu, s, h);
                decisions += 2;
            }
        }
        CHECKF(isinf(rec_gprs_stretch(mu, s, M * 1.0000001, 1e-9)), "sigma(h >= sup r) = inf");
    }
    CHECKF(stats.quads > 0 && stats.cheap < stats.tests, "quadrature branch never exercised");
    printf("%lu decisions: %llu cheap, %llu level evaluations, %llu by quadrature\n", decisions,
           (unsigned long long)stats.cheap, (unsigned long long)stats.level_evals,
           (unsigned long long)stats.quads);
    CHECKF(isnan(rec_gprs_stretch(0.0, 1.0, 1.0, 1e-9)), "s = 1 must give NaN");
    return rec_test_finish("test_gprs_stretch");
}
