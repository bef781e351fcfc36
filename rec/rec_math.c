/* rec/rec_math.c - deterministic exp, log, Phi and friends.
 *
 * Design: classic argument reduction + polynomial evaluation, with all
 * polynomials fixed (Taylor series of known functions, or generated tables)
 * and evaluated by Horner in a fixed order, so results depend only on IEEE
 * double arithmetic.  No libm call anywhere in this file.
 *   exp:       x = (64 m + j) ln2/64 + r (Cody-Waite split), |r| <= ln2/128,
 *              e^x = 2^m (T_j + T_j (e^r - 1)) with the table T_j = 2^(j/64)
 *              held as hi + lo doubles, e^r - 1 by Taylor to degree 6.
 *   expm1:     Taylor to degree 14 for |x| <= ln2/2, else from x = k ln2 + r.
 *   log:       x = 2^e m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(f),
 *              f = (m - 1)/(m + 1), odd series to f^23.
 *   log1p:     2 atanh(x / (2 + x)) near 0, else log(u) * x / (u - 1) with
 *              u = 1 + x (Goldberg's correction).
 *   Phi_c:     phi(x) R(x) with R the Mills ratio: piecewise Taylor tables on
 *              [0, 12) (rec/gen_rec_math_tables.py), continued fraction above.
 *              phi(x) uses x = xh + xl with xh exactly squarable, so that
 *              exp(-x^2/2) keeps full relative accuracy out to x = 38.
 *   Phi_inv:   Abramowitz & Stegun 26.2.23 start, two Halley steps on Phi_c.
 */
#include "rec_math.h"

#include <math.h> /* sqrt only: IEEE-754 correctly rounded */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && !defined(RECIMG_NO_SIMD)
#include <emmintrin.h>
#endif

#include "rec_math_tables.inc"

static const double LN2_HI = 6.93147180369123816490e-01; /* low 21 bits zero */
static const double LN2_LO = 1.90821492927058770002e-10;
static const double INV_LN2 = 1.44269504088896338700e+00;
static const double INV_SQRT_2PI = 0.398942280401432677939946059934;
static const double LOG_SQRT_2PI = 0.918938533204672741780329736406;

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static uint64_t to_bits(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* 2^k for k in [-1022, 1023] */
static double pow2i(int k)
{
    return from_bits((uint64_t)(k + 1023) << 52);
}

static int isnan_(double x)
{
    return x != x;
}

/* Nearest integer of v, |v| < 2^30. */
static int round_int(double v)
{
    return (int)(v >= 0 ? v + 0.5 : v - 0.5);
}

/* e^r - 1 for |r| <= 0.35: Taylor series to degree 14, Horner. */
static double expm1_poly(double r)
{
    double p = 1.0 / 87178291200.0;     /* 1/14! */
    p = 1.0 / 6227020800.0 + r * p;     /* 1/13! */
    p = 1.0 / 479001600.0 + r * p;
    p = 1.0 / 39916800.0 + r * p;
    p = 1.0 / 3628800.0 + r * p;
    p = 1.0 / 362880.0 + r * p;
    p = 1.0 / 40320.0 + r * p;
    p = 1.0 / 5040.0 + r * p;
    p = 1.0 / 720.0 + r * p;
    p = 1.0 / 120.0 + r * p;
    p = 1.0 / 24.0 + r * p;
    p = 1.0 / 6.0 + r * p;
    p = 0.5 + r * p;
    return r + (r * r) * p;
}

/* Multiplies y (in [0.5, 4)) by 2^k for k in [-1082, 2046], rounding once
 * (into a subnormal if need be). */
static double scale2(double y, int k)
{
    if (k > 1023)
        return (y * pow2i(1023)) * pow2i(k - 1023);
    if (k < -1022) {
        if (k < -1082)
            return 0.0;
        return (y * pow2i(k + 60)) * pow2i(-60); /* first product exact */
    }
    return y * pow2i(k);
}

static inline double exp_body(double x)
{
    int k, j;
    double r, p, t;
    if (isnan_(x))
        return x;
    if (x > 709.782712893384)
        return 1.0 / 0.0;
    if (x < -745.2)
        return 0.0;
    /* x = (64 m + j) ln2/64 + r, |r| <= ln2/128: e^x = 2^m 2^(j/64) e^r */
    k = round_int(x * INV_LN2_64);
    r = (x - k * LN2_64_HI) - k * LN2_64_LO; /* first difference exact */
    j = ((k % 64) + 64) % 64;
    p = 1.0 / 720.0;
    p = 1.0 / 120.0 + r * p;
    p = 1.0 / 24.0 + r * p;
    p = 1.0 / 6.0 + r * p;
    p = 0.5 + r * p;
    p = r + (r * r) * p; /* e^r - 1 to degree 6 */
    t = exp_tab[j][0];
    return scale2(t + (exp_tab[j][1] + t * p), (k - j) / 64);
}

double rec_exp(double x)
{
    return exp_body(x);
}

#if defined(__SSE2__) && !defined(RECIMG_NO_SIMD)
/* rec_exp of two arguments in the two lanes of SSE2 vectors (speed, issue 8: the
 * closed-form bin coder evaluates the exponentials of a bin's two edges
 * together). Lane for lane the operations of rec_exp: the products, sums and
 * differences are the same IEEE operations (MULPD/ADDPD/SUBPD round each lane
 * as MULSD/ADDSD/SUBSD do), round_int's v + 1/2 or v - 1/2 picks its half by the
 * same v >= 0 and truncates (CVTTPD2DQ as the (int) conversion), j = k mod 64
 * and (k - j) / 64 are k & 63 and the arithmetic shift k >> 6 of the same k, and
 * scale2's normal case is one product with 2^m built from its exponent bits.
 * Only arguments in [-708, 709] take this path (there 2^m is a normal number,
 * m in [-1022, 1022]: scale2's other cases never occur); anything else (NaN,
 * infinities, under- and overflow) goes to rec_exp per lane. rec_exp stays the
 * reference and the -DRECIMG_NO_SIMD twin; test_rec_math compares the two. */
void rec_exp_x2(const double x[2], double out[2])
{
    const __m128d v = _mm_loadu_pd(x);
    const __m128d in = _mm_and_pd(_mm_cmpge_pd(v, _mm_set1_pd(-708.0)),
                                  _mm_cmple_pd(v, _mm_set1_pd(709.0)));
    __m128d w, kd, r, p, t, tl;
    __m128i k, e;
    int j0, j1;
    if (_mm_movemask_pd(in) != 3) {
        out[0] = rec_exp(x[0]);
        out[1] = rec_exp(x[1]);
        return;
    }
    w = _mm_mul_pd(v, _mm_set1_pd(INV_LN2_64));
    /* round_int: w + 1/2 where w >= 0, else w - 1/2, then truncation */
    {
        const __m128d ge = _mm_cmpge_pd(w, _mm_setzero_pd());
        const __m128d half = _mm_or_pd(_mm_and_pd(ge, _mm_set1_pd(0.5)),
                                       _mm_andnot_pd(ge, _mm_set1_pd(-0.5)));
        k = _mm_cvttpd_epi32(_mm_add_pd(w, half));
    }
    kd = _mm_cvtepi32_pd(k);
    r = _mm_sub_pd(_mm_sub_pd(v, _mm_mul_pd(kd, _mm_set1_pd(LN2_64_HI))),
                   _mm_mul_pd(kd, _mm_set1_pd(LN2_64_LO)));
    p = _mm_set1_pd(1.0 / 720.0);
    p = _mm_add_pd(_mm_set1_pd(1.0 / 120.0), _mm_mul_pd(r, p));
    p = _mm_add_pd(_mm_set1_pd(1.0 / 24.0), _mm_mul_pd(r, p));
    p = _mm_add_pd(_mm_set1_pd(1.0 / 6.0), _mm_mul_pd(r, p));
    p = _mm_add_pd(_mm_set1_pd(0.5), _mm_mul_pd(r, p));
    p = _mm_add_pd(r, _mm_mul_pd(_mm_mul_pd(r, r), p));
    j0 = _mm_cvtsi128_si32(k) & 63;
    j1 = _mm_cvtsi128_si32(_mm_shuffle_epi32(k, 1)) & 63;
    {
        const __m128d a = _mm_loadu_pd(exp_tab[j0]), b = _mm_loadu_pd(exp_tab[j1]);
        t = _mm_unpacklo_pd(a, b);
        tl = _mm_unpackhi_pd(a, b);
    }
    /* 2^m, m = k >> 6, as the bits (m + 1023) << 52 of each 64-bit lane */
    e = _mm_add_epi32(_mm_srai_epi32(k, 6), _mm_set1_epi32(1023));
    e = _mm_slli_epi64(_mm_unpacklo_epi32(e, _mm_setzero_si128()), 52);
    _mm_storeu_pd(out, _mm_mul_pd(_mm_add_pd(t, _mm_add_pd(tl, _mm_mul_pd(t, p))),
                                  _mm_castsi128_pd(e)));
}
#else
void rec_exp_x2(const double x[2], double out[2])
{
    out[0] = rec_exp(x[0]);
    out[1] = rec_exp(x[1]);
}
#endif

double rec_expm1(double x)
{
    int k;
    double r, p, t;
    if (isnan_(x))
        return x;
    if (x > -0.34657359027997264 && x < 0.34657359027997264)
        return expm1_poly(x);
    if (x > 709.782712893384)
        return 1.0 / 0.0;
    if (x < -38.0)
        return -1.0; /* e^x < 2^-54: -1 + e^x rounds to -1 */
    k = round_int(x * INV_LN2);
    r = (x - k * LN2_HI) - k * LN2_LO;
    p = expm1_poly(r);
    if (k > 60)
        return scale2(1.0 + p, k); /* the -1 is below half an ulp */
    t = pow2i(k);
    return (t - 1.0) + t * p;
}

/* 2 atanh(f) = log((1 + f)/(1 - f)) for |f| <= 0.1716: odd series to f^23. */
static double log_series(double f)
{
    const double s = f * f;
    double p = 2.0 / 23.0;
    p = 2.0 / 21.0 + s * p;
    p = 2.0 / 19.0 + s * p;
    p = 2.0 / 17.0 + s * p;
    p = 2.0 / 15.0 + s * p;
    p = 2.0 / 13.0 + s * p;
    p = 2.0 / 11.0 + s * p;
    p = 2.0 / 9.0 + s * p;
    p = 2.0 / 7.0 + s * p;
    p = 2.0 / 5.0 + s * p;
    p = 2.0 / 3.0 + s * p;
    return 2.0 * f + f * s * p;
}

static inline double log_body(double x)
{
    uint64_t b;
    int e;
    double m, lm;
    if (isnan_(x) || x < 0)
        return 0.0 / 0.0 + (x - x);
    if (x == 0)
        return -1.0 / 0.0;
    if (x > 1.7976931348623157e308)
        return x; /* +inf */
    e = 0;
    if (x < 2.2250738585072014e-308) { /* subnormal: scale into the normal range */
        x *= 18014398509481984.0;      /* 2^54 */
        e = -54;
    }
    b = to_bits(x);
    e += (int)((b >> 52) & 0x7FF) - 1023;
    m = from_bits((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull); /* [1, 2) */
    if (m > 1.4142135623730951) {
        m *= 0.5;
        e += 1;
    }
    lm = log_series((m - 1.0) / (m + 1.0)); /* m - 1 is exact (Sterbenz) */
    return e * LN2_HI + (e * LN2_LO + lm);
}

double rec_log(double x)
{
    return log_body(x);
}

/* One function with both bodies inlined (speed, issue 8: the codec's in-block
 * gain evaluates it for every coded coefficient): the same operations as the two
 * calls, so the same bits (test_rec_math compares them). */
double rec_exp_mul_log(double a, double q)
{
    return exp_body(a * log_body(q));
}

double rec_log1p(double x)
{
    double u;
    if (isnan_(x))
        return x;
    if (x < -1.0)
        return 0.0 / 0.0 + (x - x);
    if (x == -1.0)
        return -1.0 / 0.0;
    if (x > 1.7976931348623157e308)
        return x;
    if (x > -0.2928932188134524 && x < 0.4142135623730951) {
        /* 1 + x in [sqrt(1/2), sqrt(2)): log(1 + x) = 2 atanh(x / (2 + x)) */
        return log_series(x / (2.0 + x));
    }
    u = 1.0 + x;
    return rec_log(u) * (x / (u - 1.0));
}

/* exp(-x^2/2) with full relative accuracy: x = xh + xl where xh has 24
 * significant bits (so xh^2 is exact), and x^2 = xh^2 + xl (x + xh). */
static double exp_half_sq(double x)
{
    const double xh = (double)(float)x;
    const double d = -0.5 * ((x - xh) * (x + xh)); /* |d| < 1e-4 for |x| <= 40 */
    const double ed = 1.0 + d * (1.0 + d * (0.5 + d * (1.0 / 6.0)));
    if (x > 40.0 || x < -40.0)
        return rec_exp(-0.5 * x * x);
    return rec_exp(-0.5 * (xh * xh)) * ed;
}

double rec_phi(double x)
{
    if (isnan_(x))
        return x;
    return INV_SQRT_2PI * exp_half_sq(x);
}

double rec_mills(double x)
{
    if (isnan_(x) || x < 0)
        return 0.0 / 0.0 + (x - x);
    if (x < 12.0) {
        const int i = (int)(x * 4.0);
        const double t = x - (0.25 * i + 0.125);
        const double *c = mills_coef[i];
        double p = c[MILLS_DEGREE];
        int n;
        for (n = MILLS_DEGREE - 1; n >= 0; n--)
            p = c[n] + t * p;
        return p;
    } else {
        /* continued fraction R = 1/(x + 1/(x + 2/(x + 3/(x + ...)))) */
        double f = x;
        int n;
        if (x > 1e150)
            return 1.0 / x;
        for (n = 40; n >= 1; n--)
            f = x + n / f;
        return 1.0 / f;
    }
}

double rec_Phi_c(double x)
{
    if (isnan_(x))
        return x;
    if (x == 0)
        return 0.5;
    if (x < 0)
        return 1.0 - rec_Phi_c(-x);
    if (x > 40.0)
        return 0.0; /* below the smallest subnormal */
    return (INV_SQRT_2PI * rec_mills(x)) * exp_half_sq(x);
}

double rec_Phi(double x)
{
    if (isnan_(x))
        return x;
    if (x < 0)
        return rec_Phi_c(-x);
    return 1.0 - rec_Phi_c(x);
}

double rec_log_Phi(double x)
{
    if (isnan_(x))
        return x;
    if (x < -5.0) {
        const double z = -x;
        return (-0.5 * z * z - LOG_SQRT_2PI) + rec_log(rec_mills(z));
    }
    if (x > 0)
        return rec_log1p(-rec_Phi_c(x));
    return rec_log(rec_Phi_c(-x));
}

double rec_Phi_inv(double p)
{
    double q, t, z;
    int i, neg;
    if (isnan_(p) || p < 0 || p > 1)
        return 0.0 / 0.0 + (p - p);
    if (p == 0)
        return -1.0 / 0.0;
    if (p == 1)
        return 1.0 / 0.0;
    neg = p < 0.5;
    q = neg ? p : 1.0 - p; /* exact for p >= 0.5 */
    if (q == 0.5)
        return 0.0;
    /* Abramowitz & Stegun 26.2.23: |error| < 4.5e-4 for 0 < q <= 1/2 */
    t = sqrt(-2.0 * rec_log(q));
    z = t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
    if (z < 0)
        z = 0;
    /* Halley on f(z) = Phi_c(z) - q: f' = -phi, f'' = z phi */
    for (i = 0; i < 3; i++) {
        const double u = (rec_Phi_c(z) - q) / rec_phi(z); /* = -f/f' */
        z = z + u / (1.0 - 0.5 * z * u);
    }
    return neg ? -z : z;
}

/* ---- two evaluations at once ---------------------------------------------
 * rec_Phi_pair performs, for each of its two arguments, exactly the
 * operations of rec_Phi in the same order (so the results are bit-identical),
 * but interleaved, so that the two long dependency chains (Mills polynomial,
 * exp polynomial) overlap in the CPU.  Arguments off the common path
 * (|x| >= 12, 0, NaN) fall back to rec_Phi. */
static int phi_fast(double x)
{
    return (x > 0 && x < 12.0) || (x < 0 && x > -12.0);
}

void rec_Phi_pair(double a, double b, double *pa, double *pb)
{
    double xa, xb, ta, tb, qa, qb, ha, hb, da, db, ea, eb, ya, yb, ra, rb, sa, sb, ca, cb;
    const double *cfa, *cfb;
    int ia, ib, ka, kb, ja, jb, n;
    if (!phi_fast(a) || !phi_fast(b)) {
        *pa = rec_Phi(a);
        *pb = rec_Phi(b);
        return;
    }
    xa = a < 0 ? -a : a;
    xb = b < 0 ? -b : b;
    /* rec_mills */
    ia = (int)(xa * 4.0);
    ib = (int)(xb * 4.0);
    ta = xa - (0.25 * ia + 0.125);
    tb = xb - (0.25 * ib + 0.125);
    cfa = mills_coef[ia];
    cfb = mills_coef[ib];
    qa = cfa[MILLS_DEGREE];
    qb = cfb[MILLS_DEGREE];
    for (n = MILLS_DEGREE - 1; n >= 0; n--) {
        qa = cfa[n] + ta * qa;
        qb = cfb[n] + tb * qb;
    }
    /* exp_half_sq */
    ha = (double)(float)xa;
    hb = (double)(float)xb;
    da = -0.5 * ((xa - ha) * (xa + ha));
    db = -0.5 * ((xb - hb) * (xb + hb));
    ea = 1.0 + da * (1.0 + da * (0.5 + da * (1.0 / 6.0)));
    eb = 1.0 + db * (1.0 + db * (0.5 + db * (1.0 / 6.0)));
    /* rec_exp of -0.5 h^2, in (-72, 0]: the general path */
    ya = -0.5 * (ha * ha);
    yb = -0.5 * (hb * hb);
    ka = round_int(ya * INV_LN2_64);
    kb = round_int(yb * INV_LN2_64);
    ra = (ya - ka * LN2_64_HI) - ka * LN2_64_LO;
    rb = (yb - kb * LN2_64_HI) - kb * LN2_64_LO;
    ja = ((ka % 64) + 64) % 64;
    jb = ((kb % 64) + 64) % 64;
    sa = 1.0 / 720.0;
    sb = 1.0 / 720.0;
    sa = 1.0 / 120.0 + ra * sa;
    sb = 1.0 / 120.0 + rb * sb;
    sa = 1.0 / 24.0 + ra * sa;
    sb = 1.0 / 24.0 + rb * sb;
    sa = 1.0 / 6.0 + ra * sa;
    sb = 1.0 / 6.0 + rb * sb;
    sa = 0.5 + ra * sa;
    sb = 0.5 + rb * sb;
    sa = ra + (ra * ra) * sa;
    sb = rb + (rb * rb) * sb;
    ca = exp_tab[ja][0];
    cb = exp_tab[jb][0];
    ca = scale2(ca + (exp_tab[ja][1] + ca * sa), (ka - ja) / 64) * ea;
    cb = scale2(cb + (exp_tab[jb][1] + cb * sb), (kb - jb) / 64) * eb;
    /* rec_Phi_c = (INV_SQRT_2PI * R) * exp_half_sq; rec_Phi by the sign */
    ca = (INV_SQRT_2PI * qa) * ca;
    cb = (INV_SQRT_2PI * qb) * cb;
    *pa = a < 0 ? ca : 1.0 - ca;
    *pb = b < 0 ? cb : 1.0 - cb;
}

/* rec_log of two arguments, bit-identical, interleaved (see rec_Phi_pair).
 * Positive normal finite arguments take the common path. */
void rec_log_pair(double a, double b, double *la, double *lb)
{
    uint64_t ba, bb;
    int ea, eb;
    double ma, mb, fa, fb, sa, sb, pa, pb;
    if (!(a >= 2.2250738585072014e-308 && a <= 1.7976931348623157e308) ||
        !(b >= 2.2250738585072014e-308 && b <= 1.7976931348623157e308)) {
        *la = rec_log(a);
        *lb = rec_log(b);
        return;
    }
    ba = to_bits(a);
    bb = to_bits(b);
    ea = (int)((ba >> 52) & 0x7FF) - 1023;
    eb = (int)((bb >> 52) & 0x7FF) - 1023;
    ma = from_bits((ba & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
    mb = from_bits((bb & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
    if (ma > 1.4142135623730951) {
        ma *= 0.5;
        ea += 1;
    }
    if (mb > 1.4142135623730951) {
        mb *= 0.5;
        eb += 1;
    }
    fa = (ma - 1.0) / (ma + 1.0);
    fb = (mb - 1.0) / (mb + 1.0);
    /* log_series, interleaved */
    sa = fa * fa;
    sb = fb * fb;
    pa = 2.0 / 23.0;
    pb = 2.0 / 23.0;
    pa = 2.0 / 21.0 + sa * pa;
    pb = 2.0 / 21.0 + sb * pb;
    pa = 2.0 / 19.0 + sa * pa;
    pb = 2.0 / 19.0 + sb * pb;
    pa = 2.0 / 17.0 + sa * pa;
    pb = 2.0 / 17.0 + sb * pb;
    pa = 2.0 / 15.0 + sa * pa;
    pb = 2.0 / 15.0 + sb * pb;
    pa = 2.0 / 13.0 + sa * pa;
    pb = 2.0 / 13.0 + sb * pb;
    pa = 2.0 / 11.0 + sa * pa;
    pb = 2.0 / 11.0 + sb * pb;
    pa = 2.0 / 9.0 + sa * pa;
    pb = 2.0 / 9.0 + sb * pb;
    pa = 2.0 / 7.0 + sa * pa;
    pb = 2.0 / 7.0 + sb * pb;
    pa = 2.0 / 5.0 + sa * pa;
    pb = 2.0 / 5.0 + sb * pb;
    pa = 2.0 / 3.0 + sa * pa;
    pb = 2.0 / 3.0 + sb * pb;
    pa = 2.0 * fa + fa * sa * pa;
    pb = 2.0 * fb + fb * sb * pb;
    *la = ea * LN2_HI + (ea * LN2_LO + pa);
    *lb = eb * LN2_HI + (eb * LN2_LO + pb);
}
