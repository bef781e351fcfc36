/* codec/codec_deadzone.c - the deadzone uq's rule and cell maths (codec_deadzone.h).
 *
 * The rule d(b) follows a one-coefficient study (Laplace(b) source and prior, step D,
 * MMSE decoding, J = D + lambda R at lambda = 2 ln 2 D^2 / 12): the best deadzone falls
 * fast with b / D (0.86 D at b = 0.18 D, 0.56 at 0.25, 0.32 at 0.35, 0.18 at 0.5, 0.10
 * at 0.7, 0.06 at 1), i.e. about 0.06 (b / D)^-1.6. On TRAIN the scale 0.03 .. 0.06 and
 * the exponent 1.2 .. 1.6 were within 0.1 point of each other (docs/REC_CODEC.md
 * "Deadzone uq"); 0.05 and 1.6 are the chosen constants, no deadzone from b = D on (the
 * deadzone is below 0.05 D there and changed nothing measurable). The rule and the
 * cell are inline in codec_deadzone.h; this file holds the second moment. */
#include "codec_deadzone.h"

#include "rec_math.h"

/* The fast rule's table (codec_deadzone.h; flags2 0x2000) */
const double recimg_dz_fast_tab[RECIMG_DZ_FAST_N][2] = {
#include "codec_dz_table.inc"
};

/* For t ~ Exp(scale b) truncated to [0, L], q = e^(-L / b): E[t] and E[t^2]. */
static double trunc_m1(double L, double b, double q)
{
    return b - L * (q / (1.0 - q));
}

static double trunc_m2(double L, double b, double q)
{
    return 2.0 * b * b - (L * L + 2.0 * b * L) * (q / (1.0 - q));
}

/* one-sided cell lo >= 0; q = e^(-(hi - lo) / b) */
static double one_sided_m2(double lo, double hi, double b, double q)
{
    const double L = hi - lo;
    return lo * lo + 2.0 * lo * trunc_m1(L, b, q) + trunc_m2(L, b, q);
}

double recimg_dz_second_moment(double lo, double hi, double b, int known, double e_lo, double e_hi)
{
    if (!known) {
        e_lo = rec_exp(-(lo < 0.0 ? -lo : lo) / b);
        e_hi = rec_exp(-(hi < 0.0 ? -hi : hi) / b);
    }
    if (lo >= 0.0)
        return one_sided_m2(lo, hi, b, e_lo > 1e-300 ? e_hi / e_lo : rec_exp(-(hi - lo) / b));
    if (hi <= 0.0)
        return one_sided_m2(-hi, -lo, b, e_hi > 1e-300 ? e_lo / e_hi : rec_exp(-(hi - lo) / b));
    {   /* the cell holds 0: the two halves by their masses (1 - e_hi) / 2 and (1 - e_lo) / 2 */
        const double pp = 1.0 - e_hi, pn = 1.0 - e_lo;
        return (pp * trunc_m2(hi, b, e_hi) + pn * trunc_m2(-lo, b, e_lo)) / (pp + pn);
    }
}
