/* rec/rec_fast.c - table-driven e^(-a) and ratio powers (rec_fast.h; issue 8).
 *
 * rec_exp_neg_fast: the closed-form bin coder of .rec flag 0x08 evaluates the
 * Laplace CDF at two bin edges per coded coefficient, and the range coder's counts,
 * the decoder's bin search and the context feedback all wait for them. rec_exp
 * reduces the argument by ln2/64 with a Cody-Waite split, rounds to an integer,
 * scales by 2^m and runs a degree-6 polynomial; here the argument range is
 * [0, 16), so a grid of 1/64 (1025 exact constants, 8 KB) and a degree-4
 * correction on |d| <= 1/128 reach 1e-12 relative with about half the dependent
 * operations and no scaling.
 *
 * rec_pow_table: the codec's in-block gain (num / den)^0.15 from exponent and
 * mantissa bits; see rec_fast.h. */
#include "rec_fast.h"

#include "rec_fast_internal.h"
#include "rec_math.h"

double rec_exp_neg_fast(double a)
{
    return rec_fast_exp_neg_body(a);
}

void rec_pow_table_init(rec_pow_table *t, double a)
{
    const int nm = 1 << REC_POW_TABLE_MBITS;
    for (int e = -REC_POW_TABLE_EMAX; e <= REC_POW_TABLE_EMAX; e++)
        t->p[e + REC_POW_TABLE_EMAX] = rec_exp(a * ((double)e * 0.69314718055994530942));
    for (int f = 0; f < nm; f++) {
        /* log of the geometric midpoint of [1 + f/nm, 1 + (f + 1)/nm] */
        const double lm = 0.5 * (rec_log(1.0 + (double)f / nm) + rec_log(1.0 + (double)(f + 1) / nm));
        t->m[f] = rec_exp(a * lm);
        t->minv[f] = rec_exp(-(a * lm));
    }
}
