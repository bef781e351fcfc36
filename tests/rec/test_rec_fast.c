/* rec/rec_fast.h against plain references (libm in the test only):
 *  - the e^(-q/64) table: every entry within 1 ulp of libm's exp and 2 ulp of
 *    rec_exp (the generator rounds the exact value once);
 *  - rec_exp_neg_fast: relative error < 1e-12 against exp(-a) on 2^20 random a in
 *    [0, 16), on every grid point and either side of every rounding boundary
 *    (q + 1/2) / 64; strictly decreasing at spacing 1e-10 there; rec_exp(-a)
 *    outside [0, 16) (16 itself, negative, infinite, NaN);
 *  - rec_exp_neg_fast equal, bit for bit, to the definition in rec_fast.h
 *    written out here with the libm-rounded table (so a changed polynomial,
 *    grid or rounding rule fails);
 *  - rec_pow_table_ratio against pow(num / den, a): relative error within
 *    2 a / 128 (+ 1e-13) for ratios inside the clamp, the clamp itself, and the
 *    table entries against pow/exp;
 *  - rec_ln_fast: absolute error < 1e-7 against log(t) on 2^20 random t in (0, 1]
 *    (uniform and log-uniform down to e^-40) and equal, bit for bit, to its
 *    definition written out here with frexp (so a changed series, threshold or bit
 *    read fails), also for subnormal t. */
#include "rec.h"
#include "rec_fast.h"
#include "rec_math.h"
#include "rec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static double rnd(void)   /* deterministic uniform in [0, 1) (xorshift64*) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717u) >> 11) * (1.0 / 9007199254740992.0);
}

static double ulp_diff(double a, double b)
{
    return fabs(a - b) / (nextafter(fabs(b), 1e308 * 10.0) - fabs(b));
}

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/* the definition of rec_fast.h, spelled out, with the table from libm's exp */
static double reference_exp_neg(double a)
{
    int q;
    double d, p;
    if (!(a >= 0.0 && a < 16.0))
        return rec_exp(-a);
    q = (int)(a * 64.0 + 0.5);
    d = a - (double)q / 64.0;
    p = 1.0 + d * (-1.0 + d * (0.5 + d * (-1.0 / 6.0 + d * (1.0 / 24.0))));
    return exp(-(double)q / 64.0) * p;
}

static void table_entries(void)
{
    double worst_libm = 0.0, worst_rec = 0.0;
    for (int q = 0; q <= 1024; q++) {
        /* the entry itself: rec_exp_neg_fast at a grid point has d = 0, p = 1 */
        const double t = rec_exp_neg_fast((double)q / 64.0);
        const double ul = ulp_diff(t, exp(-(double)q / 64.0)), ur = ulp_diff(t, rec_exp(-(double)q / 64.0));
        worst_libm = ul > worst_libm ? ul : worst_libm;
        worst_rec = ur > worst_rec ? ur : worst_rec;
    }
    CHECKF(worst_libm <= 1.0, "table vs libm exp: %g ulp", worst_libm);
    CHECKF(worst_rec <= 2.0, "table vs rec_exp: %g ulp", worst_rec);
    printf("table: worst %.2f ulp from libm exp, %.2f ulp from rec_exp\n", worst_libm, worst_rec);
}

static void exp_neg(void)
{
    double worst = 0.0;
    int ok = 1, mono = 1, defn = 1;
    for (int i = 0; i < (1 << 20); i++) {
        const double a = 16.0 * rnd();
        const double f = rec_exp_neg_fast(a), r = exp(-a);
        const double rel = fabs(f - r) / r;
        worst = rel > worst ? rel : worst;
        defn &= same_bits(f, reference_exp_neg(a));
    }
    for (int q = 0; q <= 1024; q++) {
        /* the grid point and both sides of the boundary between segments q and q + 1 */
        const double pts[5] = {(double)q / 64.0, (q + 0.5) / 64.0, nextafter((q + 0.5) / 64.0, 0.0),
                               nextafter((q + 0.5) / 64.0, 100.0), (q + 0.5) / 64.0 - 1e-10};
        for (int j = 0; j < 5; j++) {
            const double a = pts[j];
            if (!(a >= 0.0))
                continue;
            {
                const double f = rec_exp_neg_fast(a), r = exp(-a);
                const double rel = fabs(f - r) / r;
                worst = rel > worst ? rel : worst;
                defn &= same_bits(f, reference_exp_neg(a));
                if (a + 1e-10 < 16.0)
                    mono &= rec_exp_neg_fast(a + 1e-10) < f;
            }
        }
    }
    ok &= worst < 1e-12;
    CHECKF(ok, "rec_exp_neg_fast: worst relative error %g", worst);
    CHECKF(mono, "rec_exp_neg_fast not strictly decreasing at spacing 1e-10");
    CHECKF(defn, "rec_exp_neg_fast differs from its definition (rec_fast.h)");
    /* outside [0, 16): rec_exp(-a), bit for bit */
    {
        const double inf = 1e308 * 10.0;
        const double out[] = {16.0, 16.5, 40.0, 745.0, 800.0, -0.0 - 1e-300, -1.0, -3.5, inf, -inf};
        for (size_t i = 0; i < sizeof out / sizeof *out; i++)
            CHECKF(same_bits(rec_exp_neg_fast(out[i]), rec_exp(-out[i])), "a = %g", out[i]);
        CHECK(isnan(rec_exp_neg_fast(inf - inf)));
        CHECK(rec_exp_neg_fast(0.0) == 1.0 && rec_exp_neg_fast(-0.0) == 1.0);
        CHECK(rec_exp_neg_fast(nextafter(16.0, 0.0)) > rec_exp_neg_fast(16.0));   /* across the table's end */
    }
    printf("rec_exp_neg_fast: worst relative error %.3g over 2^20 random a and 5 points per grid step\n",
           worst);
}

static void pow_table(void)
{
    const double as[] = {0.15, 0.5, -0.3};
    for (size_t ai = 0; ai < sizeof as / sizeof *as; ai++) {
        const double a = as[ai];
        const double bound = 2.0 * fabs(a) / 128.0 + 1e-13;
        rec_pow_table t, t2;
        double worst = 0.0;
        int ok = 1;
        rec_pow_table_init(&t, a);
        rec_pow_table_init(&t2, a);
        CHECK(memcmp(&t, &t2, sizeof t) == 0);
        for (int e = -REC_POW_TABLE_EMAX; e <= REC_POW_TABLE_EMAX; e++)
            ok &= fabs(t.p[e + REC_POW_TABLE_EMAX] / pow(2.0, a * e) - 1.0) < 1e-14;
        for (int f = 0; f < 64; f++) {
            const double m = sqrt((1.0 + f / 64.0) * (1.0 + (f + 1) / 64.0));
            ok &= fabs(t.m[f] / pow(m, a) - 1.0) < 1e-14 && fabs(t.minv[f] * pow(m, a) - 1.0) < 1e-14;
        }
        CHECKF(ok, "pow table entries (a = %g)", a);
        for (int i = 0; i < (1 << 18); i++) {
            /* num, den log-uniform over [1, 2^40] (the codec's sums plus 1) and below 1 */
            const double num = pow(2.0, 50.0 * rnd() - 10.0), den = pow(2.0, 50.0 * rnd() - 10.0);
            const double g = rec_pow_table_ratio(&t, num, den), r = pow(num / den, a);
            const double rel = fabs(g / r - 1.0);
            worst = rel > worst ? rel : worst;
        }
        CHECKF(worst <= bound, "rec_pow_table_ratio (a = %g): worst relative error %g > %g", a, worst, bound);
        /* equal sums: the mantissa factors cancel up to rounding */
        CHECK(fabs(rec_pow_table_ratio(&t, 1.0, 1.0) - 1.0) < 1e-15);
        CHECK(fabs(rec_pow_table_ratio(&t, 12345.678, 12345.678) - 1.0) < 1e-15);
        /* the clamp of the exponent difference at +-63 */
        CHECK(same_bits(rec_pow_table_ratio(&t, 0x1p100, 1.0), rec_pow_table_ratio(&t, 0x1p63, 1.0)));
        CHECK(same_bits(rec_pow_table_ratio(&t, 1.0, 0x1p200), rec_pow_table_ratio(&t, 1.0, 0x1p63)));
        CHECK(fabs(rec_pow_table_ratio(&t, 0x1p63, 1.0) / pow(2.0, 63.0 * a) - 1.0) <= bound);
        printf("rec_pow_table_ratio (a = %g): worst relative error %.3g (bound %.3g)\n", a, worst, bound);
    }
}

/* rec_ln_fast's definition (rec_fast.h) with frexp for every t */
static double reference_ln_fast(double t)
{
    int e;
    double m = frexp(t, &e), z, z2;
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e--;
    }
    z = (m - 1.0) / (m + 1.0);
    z2 = z * z;
    return (double)e * 0.69314718055994530942 + 2.0 * z * (1.0 + z2 * (1.0 / 3.0 + z2 * (0.2 + z2 / 7.0)));
}

static void ln_fast(void)
{
    double worst = 0.0;
    int defn = 1;
    for (int i = 0; i < (1 << 20); i++) {
        const double t = (i & 1) ? 1.0 - rnd() : exp(-40.0 * rnd());   /* (0, 1] */
        const double v = rec_ln_fast(t), err = fabs(v - log(t));
        if (err > worst) worst = err;
        if (!same_bits(v, reference_ln_fast(t))) defn = 0;
    }
    CHECKF(worst < 1e-7, "rec_ln_fast: worst absolute error %g", worst);
    CHECKF(defn, "rec_ln_fast differs from its definition (rec_fast.h)");
    CHECK(rec_ln_fast(1.0) == 0.0);
    CHECK(rec_ln_fast(0.5) == -0.69314718055994530942);
    CHECK(same_bits(rec_ln_fast(0x1p-1070), reference_ln_fast(0x1p-1070)));
    CHECK(same_bits(rec_ln_fast(0x1.8p-1050), reference_ln_fast(0x1.8p-1050)));
    CHECK(fabs(rec_ln_fast(0x1p-1070) - log(0x1p-1070)) < 1e-7);
    printf("rec_ln_fast: worst absolute error %.3g on (0, 1]\n", worst);
}

int main(void)
{
    table_entries();
    exp_neg();
    pow_table();
    ln_fast();
    return rec_test_finish("test_rec_fast");
}
