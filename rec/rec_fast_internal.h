/* rec/rec_fast_internal.h - the body of rec_exp_neg_fast (rec_fast.h) for the files of
 * rec/ that call it on a hot path (rec_quant.c's bin coder) and for rec_fast.c.
 * Not installed, not part of the API. The table is static: each including file has its
 * own copy (8 KB), so the library exports no data symbol (rec is linked into both
 * librecimg and the recimg command; an exported table there is an ODR violation for
 * ASan). */
#ifndef REC_REC_FAST_INTERNAL_H
#define REC_REC_FAST_INTERNAL_H

#include "rec_math.h"

#include "rec_fast_tables.inc"

static const double rec_fast_exptab[1025] = REC_EXPTAB_NEG_INIT;

/* rec_exp_neg_fast's definition (rec_fast.h), inline */
static inline double rec_fast_exp_neg_body(double a)
{
    int q;
    double d, p;
    if (!(a >= 0.0 && a < 16.0))
        return rec_exp(-a);
    q = (int)(a * 64.0 + 0.5);           /* 0 .. 1024 */
    d = a - (double)q * (1.0 / 64.0);    /* exact, |d| <= 1/128 */
    p = 1.0 / 24.0;
    p = -1.0 / 6.0 + d * p;
    p = 0.5 + d * p;
    p = -1.0 + d * p;
    p = 1.0 + d * p;
    return rec_fast_exptab[q] * p;
}

#endif
