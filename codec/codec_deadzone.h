/* Deadzone uq (issue 4; .rec flags2 bit 0x400, docs/FORMAT.md "Payload of the rec mode",
 * docs/REC_CODEC.md "Deadzone uq"). The uq channel of an AC coefficient with prior
 * Laplace(0, b) (sigma units, unit step D = sqrt(12)) quantizes, with the coefficient's
 * shared dither, g = sign(y) max(0, |y| - d) instead of y, and the bin of g is coded under
 * g's prior (1 - t) delta_0 + t Laplace(0, b), t = e^(-d / b). d = recimg_dz_rule(b) is
 * a function of b alone that both sides compute bit for bit (rec_math), so this is still
 * an exact channel with shared randomness and no side information: given the dither, y
 * lies in the y-cell of the coded bin, which is uq's cell with every edge at or above 0
 * moved up by d and every edge below 0 moved down by d (the cell holding 0 widens by 2d).
 * Why: uq's probability of a nonzero bin falls like b / D for small b, rounding's like
 * e^(-D / 2b); the deadzone gives uq rounding's behaviour there (a toy computation and the
 * TRAIN measurements are in docs/REC_CODEC.md). */
#ifndef CODEC_CODEC_DEADZONE_H
#define CODEC_CODEC_DEADZONE_H

#include "rec_fast.h"            /* rec_ln_fast */
#include "rec_fast_internal.h"   /* rec_fast_exp_neg_body: rec_exp_neg_fast inline */

#include <stdint.h>
#include <string.h>   /* memcpy */

/* The deadzone of an AC coefficient: d >= 0 (sigma units) and the bin coder's factor
 * tail = e^(-d / b) in (0, 1] (rec_quant_code_bin_tail). */
typedef struct {
    double d, tail;
} recimg_dz;

#define RECIMG_DZ_STEP 3.46410161513775458705   /* uq's unit step sqrt(12) */
#define RECIMG_DZ_A 0.05                        /* d / D = A (b / D)^-P ... */
#define RECIMG_DZ_P 1.6
#define RECIMG_DZ_DMAX 2.0                      /* ... at most DMAX ... */
#define RECIMG_DZ_RMAX 1.0                      /* ... and none from b / D = RMAX on */
#define RECIMG_DZ_MAX_RATIO 600.0               /* d / b at most this: tail stays a normal double */

/* The rule (docs/FORMAT.md): with r = b (1 / sqrt(12)), d = 0 and tail = 1 exactly when
 * r >= 1 (or b is not a positive number); otherwise
 * d = sqrt(12) min(2, 0.05 / e^(-1.6 (-ln r))) (= 0.05 r^-1.6), at most 600 b, and
 * tail = e^(-d / b), with rec_ln_fast and rec_exp_neg_fast (rec_fast.h; IEEE double in
 * this order). Inline, as are the two below, because the coder calls them once per
 * coded AC coefficient (issue 8); the arithmetic is the same in every caller. */
static inline void recimg_dz_rule(double b, recimg_dz *out)
{
    const double r = b * (1.0 / RECIMG_DZ_STEP);
    double dn, d;
    if (!(r > 0.0) || !(r < RECIMG_DZ_RMAX)) {
        out->d = 0.0;
        out->tail = 1.0;
        return;
    }
    /* r^-p = 1 / e^(-p (-ln r)), -ln r > 0: the short table-driven forms (rec_fast.h) */
    dn = RECIMG_DZ_A / rec_fast_exp_neg_body(RECIMG_DZ_P * -rec_ln_fast(r));
    if (dn > RECIMG_DZ_DMAX)
        dn = RECIMG_DZ_DMAX;
    d = dn * RECIMG_DZ_STEP;
    if (d > RECIMG_DZ_MAX_RATIO * b)
        d = RECIMG_DZ_MAX_RATIO * b;
    out->d = d;
    out->tail = rec_fast_exp_neg_body(d / b);
}

/* The fast rule (flags2 0x2000 with 0x400; issue 8, docs/SPEED.md "Speed pass 16",
 * docs/FORMAT.md "Deadzone"): the same r = b (1 / sqrt(12)) and the same "none" for
 * r >= 1 or b not a positive number; otherwise, with i the bucket of r (its exponent and
 * top RECIMG_DZ_FAST_MBITS mantissa bits, i = (bits(r) >> (52 - M)) - ((1023 - 9) << M),
 * 0 for r < 2^-9), d = recimg_dz_fast_tab[i][0] * b and tail = recimg_dz_fast_tab[i][1]:
 * the ratio d / b and e^(-d / b) of the rule above at the bucket's midpoint, so that d is
 * within a few percent of the rule's and tail = e^(-d / b) up to rounding. One product
 * and two loads instead of rec_ln_fast, two exponentials and three divisions. */
#define RECIMG_DZ_FAST_MBITS 6
#define RECIMG_DZ_FAST_OCTAVES 9   /* r in [2^-9, 1); below, bucket 0 (d / b = 600 there) */
#define RECIMG_DZ_FAST_N (RECIMG_DZ_FAST_OCTAVES << RECIMG_DZ_FAST_MBITS)

/* entry i = (o << M) + m, r_i = 2^(o - 9) (1 + (m + 1/2) / 2^M), b_i = sqrt(12) r_i
 * (IEEE product), {d, tail} = recimg_dz_rule(b_i): {d / b_i, tail}. codec_dz_table.inc,
 * printed by tests/codec/test_codec_dz_fast_rule --print, which checks it against this
 * definition. */
extern const double recimg_dz_fast_tab[RECIMG_DZ_FAST_N][2];

static inline void recimg_dz_rule_fast(double b, recimg_dz *out)
{
    const double r = b * (1.0 / RECIMG_DZ_STEP);
    uint64_t bits;
    int64_t i;
    if (!(r > 0.0) || !(r < RECIMG_DZ_RMAX)) {
        out->d = 0.0;
        out->tail = 1.0;
        return;
    }
    memcpy(&bits, &r, sizeof bits);
    i = (int64_t)(bits >> (52 - RECIMG_DZ_FAST_MBITS)) -
        (int64_t)((uint64_t)(1023 - RECIMG_DZ_FAST_OCTAVES) << RECIMG_DZ_FAST_MBITS);
    if (i < 0)
        i = 0;
    out->d = recimg_dz_fast_tab[i][0] * b;
    out->tail = recimg_dz_fast_tab[i][1];
}

/* g of y: sign(y) max(0, |y| - d). */
static inline double recimg_dz_compand(double y, double d)
{
    if (y > d)
        return y - d;
    if (y < -d)
        return y + d;
    return 0.0;
}

/* The y-cell [*lo, *hi] of uq bin k at dither u: the bin's edges as the bin coder forms
 * them, sqrt(12) ((k - u) - 1/2) and sqrt(12) ((k + 1 - u) - 1/2), each moved by +d if it
 * is >= 0 and by -d otherwise (the coder puts the point mass below an edge at 0). */
static inline void recimg_dz_cell(int64_t k, double u, double d, double *lo, double *hi)
{
    const double l = RECIMG_DZ_STEP * (((double)k - u) - 0.5);
    const double h = RECIMG_DZ_STEP * (((double)(k + 1) - u) - 0.5);
    *lo = l >= 0.0 ? l + d : l - d;
    *hi = h >= 0.0 ? h + d : h - d;
}

/* E[y^2 | y in [lo, hi]] under Laplace(0, b), lo < hi: the statistic the context model
 * learns from for a deadzone coefficient (its MMSE estimate's square would shrink the
 * contexts: the wide zero cell's mean is near 0). When known, e_lo = e^(-|lo| / b) and
 * e_hi = e^(-|hi| / b) are the bin coder's edge exponentials and no exponential is
 * computed unless one underflowed; otherwise rec_exp. rec_math only. */
double recimg_dz_second_moment(double lo, double hi, double b, int known, double e_lo, double e_hi);

#endif
