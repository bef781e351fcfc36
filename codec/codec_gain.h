/* In-block gain of the AC prior scales, shared by the two coding modes.
 *
 * The context model (codec_ctx.h) predicts each coefficient's prior from the
 * neighbouring blocks and the two lower-frequency neighbours only. How the
 * block's earlier AC coefficients came out against their predictions is more
 * evidence: per block both sides keep two sums, reset at the block's start,
 * E (what the coded values gave) and S (what the model predicted for them),
 * and scale the next AC prediction by the factor
 *   g = ((E + C) / (S + C))^beta.
 * REC mode (prior ids 3 and 4, codec_rec.c) sums e^2 and b0^2 (sigma units)
 * and scales the Laplace scale b; the rounding baseline (prior id 5,
 * codec_round.c) sums |q| and the predicted mean magnitude m0 (step units)
 * and also scales b, passing the sums swapped so that its factor is 1/g
 * (it computes t = exp(ln t0 / g) as a product, speed pass 13). The factor is either exact, rec_exp(beta rec_log(ratio))
 * (rec_exp_mul_log), or read from a rec_pow_table on the bits of the two sums
 * (rec_pow_table_ratio, within 0.23% of the exact power for beta 0.15): both
 * rec_math only, so encoder and decoder get the same bits everywhere (DESIGN
 * section 5). docs/FORMAT.md "Payload of the rec mode" / "Payload of the round
 * mode" give the exact arithmetic. */
#ifndef CODEC_CODEC_GAIN_H
#define CODEC_CODEC_GAIN_H

#include "rec_fast.h"
#include "rec_math.h"

typedef struct {
    double e2, b2;   /* E and S above */
    double mult;     /* a further multiplier of the factor (REC's block level, prior id 4; 1 otherwise:
                        x 1 is exact) */
    double g;        /* the factor ((E + C) / (S + C))^beta times mult */
    const rec_pow_table *pt;   /* the factor from this table (filled for beta); NULL: exact */
} recimg_gain;

/* Recomputes g from the sums (beta and c as the mode defines them). */
static inline void recimg_gain_update(recimg_gain *bg, double beta, double c)
{
    if (bg->pt)
        bg->g = rec_pow_table_ratio(bg->pt, bg->e2 + c, bg->b2 + c);
    else
        bg->g = rec_exp_mul_log(beta, (bg->e2 + c) / (bg->b2 + c));   /* = rec_exp(beta * rec_log(.)) */
    bg->g *= bg->mult;
}

/* Empty sums, multiplier 1, the factor from pt (NULL: exact); g is then the factor of
 * empty sums (1 up to rounding). A coding loop evaluates this once per plane and
 * copies the state into every block. */
static inline void recimg_gain_reset(recimg_gain *bg, const rec_pow_table *pt, double beta, double c)
{
    bg->e2 = 0.0;
    bg->b2 = 0.0;
    bg->mult = 1.0;
    bg->pt = pt;
    recimg_gain_update(bg, beta, c);
}

/* One AC coefficient coded: what it gave (e) and what was predicted (b), each added to
 * its sum (REC adds squares, round first moments: the caller passes them), then g. */
static inline void recimg_gain_add(recimg_gain *bg, double e, double b, double beta, double c)
{
    bg->e2 += e;
    bg->b2 += b;
    recimg_gain_update(bg, beta, c);
}

#endif
