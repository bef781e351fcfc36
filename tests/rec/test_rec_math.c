/* rec_math accuracy against long double libm references: exp, expm1, log
 * within 2 ulp (log1p 2.5); Phi and Phi_c within 8 ulp for |x| <= 38 (the ulp of
 * a subnormal result being 2^-1074) and a relative 1e-15 while the result
 * is above 1e-290; log_Phi relative 4e-15; Phi_inv within a relative 1e-14
 * plus the effect of 4 ulp of p, for p in [1e-300, 1 - 1e-6]; special
 * values. */
#include "rec_math.h"
#include "rec_test_util.h"

#include <float.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* error of a against the reference r in units of the double ulp at r */
static double ulps(double a, long double r)
{
    int e;
    long double ulp;
    if (r == 0)
        return a == 0 ? 0 : 1e300;
    (void)frexpl(r, &e);
    ulp = ldexpl(1.0L, (e - 53) < -1074 ? -1074 : e - 53);
    return (double)(fabsl((long double)a - r) / ulp);
}

static double relerr(double a, long double r)
{
    return (double)(fabsl((long double)a - r) / fabsl(r));
}

static long double Phi_c_ref(long double x)
{
    return 0.5L * erfcl(x / sqrtl(2.0L));
}

static uint64_t st = 88172645463325252ull;
static double rnd(double lo, double hi)
{
    st ^= st << 13;
    st ^= st >> 7;
    st ^= st << 17;
    return lo + (hi - lo) * ((double)(st >> 11) / 9007199254740992.0);
}

typedef struct {
    const char *name;
    double max;
    double at;
} worst;

static void track(worst *w, double err, double x)
{
    if (err > w->max) {
        w->max = err;
        w->at = x;
    }
}

static void report(const worst *w, double limit)
{
    printf("  %-22s max error %.3g at x = %.17g (limit %g)\n", w->name, w->max, w->at, limit);
    if (!(w->max <= limit)) {
        fprintf(stderr, "%s: error %.3g above %g\n", w->name, w->max, limit);
        failures++;
    }
}

static void test_elementary(void)
{
    worst we = {"exp (ulp)", 0, 0}, wm = {"expm1 (ulp)", 0, 0}, wl = {"log (ulp)", 0, 0},
          wp = {"log1p (ulp)", 0, 0};
    int i;
    for (i = 0; i < 400000; i++) {
        const double x = (i & 1) ? rnd(-745, 709.7) : rnd(-2, 2);
        const double xm = (i & 1) ? rnd(-40, 709) : rnd(-1, 1) * pow(2, -rnd(0, 60));
        const double y = exp(rnd(-744, 709));
        const double z = (i & 1) ? rnd(-1, 1e6) : rnd(-1, 1) * pow(2, -rnd(0, 60));
        const long double re = expl((long double)x);
        if (re > (long double)DBL_MIN)
            track(&we, ulps(rec_exp(x), re), x);
        track(&wm, ulps(rec_expm1(xm), expm1l((long double)xm)), xm);
        track(&wl, ulps(rec_log(y), logl((long double)y)), y);
        track(&wp, ulps(rec_log1p(z), log1pl((long double)z)), z);
    }
    for (i = -50; i <= 50; i++) { /* near 1 and near powers of two */
        const double y = 1.0 + i * DBL_EPSILON;
        track(&wl, ulps(rec_log(y), logl((long double)y)), y);
    }
    report(&we, 2);
    report(&wm, 2);
    report(&wl, 2);
    report(&wp, 2.5);
    /* subnormal range of exp, and log of subnormals: relative */
    CHECK(ulps(rec_exp(-740.0), expl(-740.0L)) <= 1); /* subnormal: ulp = 2^-1074 */
    CHECK(relerr(rec_log(4.9406564584124654e-324), logl(4.9406564584124654e-324L)) < 1e-15);
    CHECK(rec_exp(0) == 1.0 && rec_log(1) == 0 && rec_expm1(0) == 0 && rec_log1p(0) == 0);
    CHECK(isinf(rec_exp(710)) && rec_exp(-746) == 0 && rec_expm1(-50) == -1.0);
    CHECK(isnan(rec_log(-1)) && isinf(rec_log(0)) && rec_log(0) < 0);
    CHECK(isinf(rec_log1p(-1)) && isnan(rec_log1p(-2)) && isnan(rec_exp((double)NAN)));
}

static void test_phi(void)
{
    worst wb = {"Phi_c (ulp)", 0, 0}, wb2 = {"Phi (ulp)", 0, 0},
          wt = {"Phi_c normal (rel)", 0, 0}, wi = {"Phi_inv (err/limit)", 0, 0},
          wlp = {"log_Phi (rel)", 0, 0};
    int i;
    for (i = 0; i < 300000; i++) {
        const double x = (i % 3 == 0) ? rnd(-3, 3) : rnd(-38, 38);
        const long double rc = Phi_c_ref((long double)x);
        const long double rp = Phi_c_ref(-(long double)x);
        track(&wb, ulps(rec_Phi_c(x), rc), x);
        track(&wb2, ulps(rec_Phi(x), rp), x);
        if (rc > 1e-290L)
            track(&wt, relerr(rec_Phi_c(x), rc), x);
        if (x < 37) /* beyond, log Phi = -Phi_c(x) is subnormal */
            track(&wlp, relerr(rec_log_Phi(x), x > 0 ? log1pl(-rc) : logl(rp)), x);
    }
    for (i = 0; i < 200000; i++) {
        const double p = (i & 1) ? rnd(1e-6, 1 - 1e-6) : pow(10, -rnd(0, 300));
        const double x = rec_Phi_inv(p);
        /* reference: two long double Newton steps on Phi(x) = p from x */
        const long double pl = (long double)p;
        long double z = (long double)x;
        int k;
        for (k = 0; k < 2; k++)
            z -= (Phi_c_ref(-z) - pl) / (expl(-z * z / 2) / sqrtl(2 * 3.14159265358979323846264L));
        /* relative 1e-14, plus what 2 ulp of p are worth (ill-conditioned
         * near the median, where x is tiny) */
        track(&wi, (double)(fabsl((long double)x - z) / (1e-14L * fabsl(z) +
                                          4.5e-16L * pl / (expl(-z * z / 2) * 0.3989422804L))),
              p);
    }
    report(&wb, 8);
    report(&wb2, 8);
    report(&wt, 1e-15);
    report(&wlp, 4e-15);
    report(&wi, 1);
    CHECK(rec_Phi(0) == 0.5 && rec_Phi_c(0) == 0.5 && rec_Phi_inv(0.5) == 0);
    CHECK(isinf(rec_Phi_inv(0)) && isinf(rec_Phi_inv(1)) && isnan(rec_Phi_inv(1.5)));
    CHECK(rec_Phi(-38) > 0 && rec_Phi_c(38) > 0 && rec_Phi_c(41) == 0 && rec_Phi(41) == 1);
    CHECK(relerr(rec_log_Phi(-100), logl(Phi_c_ref(100.0L))) < 1e-15);
    /* the paired evaluation is bit-identical to two single ones */
    for (i = 0; i < 200000; i++) {
        const double a = (i % 5 == 0) ? rnd(-45, 45) : rnd(-12.5, 12.5);
        const double b = (i % 7 == 0) ? 0.0 : (i % 11 == 0) ? a : rnd(-13, 13);
        double pa, pb;
        const double sa = rec_Phi(a), sb = rec_Phi(b);
        rec_Phi_pair(a, b, &pa, &pb);
        if (memcmp(&pa, &sa, sizeof pa) != 0 || memcmp(&pb, &sb, sizeof pb) != 0) {
            fprintf(stderr, "rec_Phi_pair(%.17g, %.17g) differs from rec_Phi\n", a, b);
            failures++;
            break;
        }
    }
    for (i = 0; i < 200000; i++) {
        const double a = (i % 9 == 0) ? 0.0 : exp(rnd(-745, 709)), b = (i % 13 == 0) ? -1.0 : exp(rnd(-40, 40));
        double la, lb;
        const double sa = rec_log(a), sb = rec_log(b);
        rec_log_pair(a, b, &la, &lb);
        if (memcmp(&la, &sa, sizeof la) != 0 || memcmp(&lb, &sb, sizeof lb) != 0) {
            if (!(isnan(la) && isnan(sa) && isnan(lb) == isnan(sb))) {
                fprintf(stderr, "rec_log_pair(%.17g, %.17g) differs from rec_log\n", a, b);
                failures++;
                break;
            }
        }
    }
    /* symmetry is exact by construction */
    CHECK(rec_Phi(-1.5) == rec_Phi_c(1.5));
}

/* rec_exp_x2 (SSE2 where built) against rec_exp bit for bit: the codec's edge range,
 * the whole domain, the ends of the vector path (-708, 709) and their neighbours, ties
 * of round_int (x * 64 / ln 2 near n + 1/2), signed zeros, subnormal and huge results,
 * infinities and NaN, each value in both lanes and next to a value of the other kind. */
static int exp_x2_same(double a, double b)
{
    const double x[2] = {a, b};
    double o[2];
    const double ea = rec_exp(a), eb = rec_exp(b);
    rec_exp_x2(x, o);
    if ((memcmp(&o[0], &ea, sizeof ea) != 0 && !(isnan(o[0]) && isnan(ea))) ||
        (memcmp(&o[1], &eb, sizeof eb) != 0 && !(isnan(o[1]) && isnan(eb)))) {
        fprintf(stderr, "rec_exp_x2(%.17g, %.17g) differs from rec_exp\n", a, b);
        return 0;
    }
    return 1;
}

static void test_exp_x2(void)
{
    static const double special[] = {0.0, -0.0, 1e-300, -1e-300, 5e-324, -708.0, 709.0,
                                     -745.2, -745.3, -746.0, 709.78, 709.8, 710.0, -1e9, 1e9,
                                     1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0, 1.0, -1.0, -12.0, -24.5};
    const int ns = (int)(sizeof special / sizeof special[0]);
    int i, j, ok = 1;
    for (i = 0; i < ns && ok; i++)
        for (j = 0; j < ns && ok; j++)
            ok = exp_x2_same(special[i], special[j]);
    for (i = 0; i < 64 && ok; i++) {   /* the ends of the vector path, ulp by ulp */
        const double lo = nextafter(-708.0, i < 32 ? -800.0 : 0.0);
        const double hi = nextafter(709.0, i < 32 ? 800.0 : 0.0);
        ok = exp_x2_same(i % 2 ? lo : -708.0, i % 3 ? hi : 709.0) && exp_x2_same(lo, rnd(-30, 1)) &&
             exp_x2_same(rnd(-30, 1), hi);
    }
    for (i = -65400; i <= 65400 && ok; i += 7) {   /* round_int ties and their neighbours */
        const double c = ((double)i + 0.5) * (0.69314718055994530942 / 64.0);
        ok = exp_x2_same(c, nextafter(c, 0.0)) && exp_x2_same(nextafter(c, 1e9), -c);
    }
    for (i = 0; i < 1000000 && ok; i++) {
        const double a = i % 3 == 0 ? rnd(-750, 712) : rnd(-40, 2);
        const double b = i % 5 == 0 ? rnd(-750, 712) : i % 7 == 0 ? special[i % ns] : rnd(-40, 2);
        ok = exp_x2_same(a, b);
    }
    CHECK(ok);
    {
        double xo[2] = {-1.5, 0.25}, e0 = rec_exp(-1.5), e1 = rec_exp(0.25);
        rec_exp_x2(xo, xo);   /* in place */
        CHECK(xo[0] == e0 && xo[1] == e1);
    }
}

/* rec_exp_mul_log(a, q) against rec_exp(a * rec_log(q)) bit for bit (the codec's
 * in-block gain uses a = 0.15 on ratios of sums), over a wide range of q, special
 * values and several a. */
static void test_exp_mul_log(void)
{
    static const double as[] = {0.15, -0.15, 1.0, 0.5, 3.0, -40.0, 0.0};
    static const double qs[] = {1.0, 0.0, -1.0, 5e-324, 1e-310, 1e308, 1.0 / 0.0, 0.0 / 0.0, 2.0, 0.5};
    int i, j, ok = 1;
    for (i = 0; i < 300000 && ok; i++) {
        const double a = as[i % 7];
        const double q = i % 11 == 0 ? qs[(i / 11) % 10] : exp(rnd(-700, 700)) * (i % 3 ? 1.0 : rnd(0.5, 2));
        const double r = rec_exp_mul_log(a, q), w = rec_exp(a * rec_log(q));
        if (memcmp(&r, &w, sizeof r) != 0 && !(isnan(r) && isnan(w))) {
            fprintf(stderr, "rec_exp_mul_log(%.17g, %.17g) = %.17g, rec_exp(a rec_log(q)) = %.17g\n", a, q, r, w);
            ok = 0;
        }
        for (j = 0; j < 1 && i < 2000; j++) {   /* ratios near 1, as in the gain */
            const double q2 = (rnd(0, 50) + 1.0) / (rnd(0, 50) + 1.0);
            const double r2 = rec_exp_mul_log(0.15, q2), w2 = rec_exp(0.15 * rec_log(q2));
            if (memcmp(&r2, &w2, sizeof r2) != 0)
                ok = 0;
        }
    }
    CHECK(ok);
}

int main(void)
{
    test_exp_mul_log();
    test_elementary();
    test_phi();
    test_exp_x2();
    return rec_test_finish("test_rec_math");
}
