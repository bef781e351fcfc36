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
