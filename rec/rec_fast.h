/* rec/rec_fast.h - short-latency, table-driven approximations for values that
 * encoder and decoder share (issue 8, .rec header flag 0x08).
 *
 * rec_math.h gives exp and log to a few ulp through ~15 dependent floating-point
 * operations each. Where a shared value only has to be identical on both sides and
 * close to the mathematical one, a table look-up with a short correction shortens
 * the per-coefficient dependency chain. Everything here uses only IEEE-754 double
 * +, -, *, integer operations on the bits and tables that are either exact
 * constants (rec_fast_tables.inc) or filled by rec_math, so results are identical
 * on every compiler and flag set (DESIGN 5). */
#ifndef REC_REC_FAST_H
#define REC_REC_FAST_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* e^(-a) for a >= 0, relative error below 1e-12 (tests/rec/test_rec_fast.c).
 * Definition (exact, the format depends on it): for 0 <= a < 16, with
 * q = (int)(a * 64 + 0.5) and d = a - q * (1/64) (exact), the table value
 * T[q] = exp(-q/64) correctly rounded, times the degree-4 Taylor polynomial of
 * e^(-d), p = 1 + d (-1 + d (1/2 + d (-1/6 + d (1/24)))) evaluated in this order:
 * T[q] * p. Any other a (a >= 16, negative, NaN) returns rec_exp(-a).
 * Strictly decreasing in a at spacings of 1e-10 and more (tested), as the codec's
 * bin counts need. Thread-safe, no state. (The bin coder uses the same body inline,
 * rec_fast_internal.h.) */
double rec_exp_neg_fast(double a);

/* ln t, short and table-less, for positive normal t (the rounding baseline's context
 * model v5 computes one per AC value on both sides; docs/FORMAT.md "Context model v5").
 * Definition (exact, the format depends on it): with t = m 2^e, m in [1/2, 1) (for a
 * positive normal t read from the bits: e = biased exponent - 1022, m = the mantissa
 * with exponent field 0x3FE; any other t: C's frexp, exact), then m = 2m and e = e - 1
 * if m < sqrt(1/2) (the double 0.70710678118654752440), z = (m - 1) / (m + 1),
 * z2 = z * z, the result is
 *   e * ln2 + 2 z (1 + z2 (1/3 + z2 (1/5 + z2 / 7)))
 * evaluated in this order, ln2 the double 0.69314718055994530942 and 1/3, 1/5 the
 * doubles 1.0 / 3.0 and 0.2. That is 2 atanh(z) to z^7 with |z| <= 0.1716: absolute
 * error below 1e-7 over (0, 1] (tests/rec/test_rec_fast.c). IEEE +, -, *, / and integer
 * operations on the bits only; thread-safe, no state. */
static inline double rec_ln_fast(double t)
{
    int e;
    double m, z, z2;
    uint64_t bits;
    memcpy(&bits, &t, sizeof bits);
    if (t > 0.0 && (bits >> 52) - 1u < 0x7FEu) {   /* positive normal: frexp's m and e from the bits */
        e = (int)(bits >> 52) - 1022;
        bits = (bits & 0x000FFFFFFFFFFFFFull) | 0x3FE0000000000000ull;
        memcpy(&m, &bits, sizeof m);
    } else {
        m = frexp(t, &e);
    }
    if (m < 0.70710678118654752440) {
        m *= 2.0;
        e--;
    }
    z = (m - 1.0) / (m + 1.0);
    z2 = z * z;
    return (double)e * 0.69314718055994530942 + 2.0 * z * (1.0 + z2 * (1.0 / 3.0 + z2 * (0.2 + z2 / 7.0)));
}

/* Powers q^a of a positive ratio q = num / den without a division, log or exp:
 * with num = 2^en (1 + fn/64 + ...) and den = 2^ed (1 + fd/64 + ...) (fn, fd the top 6
 * mantissa bits), q^a ~ P[clamp(en - ed)] * (M[fn] * Minv[fd]), where P[e] = 2^(a e)
 * for |e| <= REC_POW_TABLE_EMAX (the exponent difference clamped to that range),
 * M[f] = m_f^a and Minv[f] = m_f^-a with m_f the geometric midpoint of
 * [1 + f/64, 1 + (f + 1)/64]. Relative error at most about 2 * a / 128 (0.23% for
 * a = 0.15) for ratios inside the clamp. The tables are filled by rec_pow_table_init
 * from rec_exp / rec_log (rec_math), so they are identical everywhere. */
#define REC_POW_TABLE_EMAX 63
#define REC_POW_TABLE_MBITS 6
typedef struct {
    double p[2 * REC_POW_TABLE_EMAX + 1];     /* P[e + EMAX] */
    double m[1 << REC_POW_TABLE_MBITS];       /* M[f] */
    double minv[1 << REC_POW_TABLE_MBITS];    /* Minv[f] */
} rec_pow_table;

/* Fills t for exponent a (finite; the codec uses 0.15). About 250 rec_exp/rec_log. */
void rec_pow_table_init(rec_pow_table *t, double a);

/* (num / den)^a as defined above, for positive normal finite num and den (the bits
 * of other values are read the same way: the result is then finite but meaningless).
 * Inline: it sits on the codec's per-coefficient chain. */
static inline double rec_pow_table_ratio(const rec_pow_table *t, double num, double den)
{
    uint64_t bn, bd;
    int e;
    memcpy(&bn, &num, sizeof bn);
    memcpy(&bd, &den, sizeof bd);
    e = (int)((bn >> 52) & 0x7ff) - (int)((bd >> 52) & 0x7ff);
    e = e < -REC_POW_TABLE_EMAX ? -REC_POW_TABLE_EMAX : e > REC_POW_TABLE_EMAX ? REC_POW_TABLE_EMAX : e;
    return t->p[e + REC_POW_TABLE_EMAX]
           * (t->m[(bn >> (52 - REC_POW_TABLE_MBITS)) & ((1u << REC_POW_TABLE_MBITS) - 1)]
              * t->minv[(bd >> (52 - REC_POW_TABLE_MBITS)) & ((1u << REC_POW_TABLE_MBITS) - 1)]);
}

#endif
