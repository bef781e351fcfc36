/* The prior / context model shared by every coding mode.
 *
 * For each coefficient the model predicts a zero-mean Laplace prior from
 * values already decoded: the same band in the left, above, above-left and
 * above-right blocks, and the lower-frequency neighbours (u-1,v) and (u,v-1) in
 * the same block. The two activities are bucketed (log2 scale) and each
 * (band, neighbour bucket, in-block bucket) cell keeps running statistics of
 * the magnitudes that actually occurred, backed off to a band-independent
 * cell while it has few samples. The cell's mean magnitude m (in units of the
 * coefficient's step) sets the Laplace scale:
 *   - DISCRETE kind (values recorded are rounded bin indices |q|): for a
 *     Laplace of scale b quantized with unit bins centred on integers,
 *     P(|q| >= n) = t^(2n-1) with t = exp(-1/(2b)), so E|q| = t / (1 - t^2);
 *     the model inverts that: t = 2m / (1 + sqrt(1 + 4 m^2)).
 *   - CONTINUOUS kind (REC mode): the statistics recorded are estimates of
 *     E[y^2] in step units (codec_rec.c records w E[y | code]^2, w = 2 or 1.5 by prior id), and
 *     the cell's mean v gives b = sqrt(v / 2); the neighbour activities use
 *     the damped magnitudes |E[y | code]|.
 * Everything the model computes is integer arithmetic or IEEE + - * / sqrt
 * on integers converted exactly to double (and rec_log for b in the discrete
 * kind), so encoder and decoder get identical numbers on every build
 * (DESIGN section 5).
 *
 * Usage per plane: create; for each block in raster order begin_block, then
 * for each coefficient in zigzag order predict, code, update; then end_block.
 * The DC coefficient (zigzag 0) is predicted from the neighbouring DC indices
 * (recimg_ctx_dc_predict) and its residual is modelled like an AC value. */
#ifndef CODEC_CODEC_CTX_H
#define CODEC_CODEC_CTX_H

#include "recimg.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* recimg_zigzag[i] = raster index (v*8 + u) of the i-th coefficient in zigzag order. */
extern const uint8_t recimg_zigzag[64];

typedef enum { RECIMG_CTX_DISCRETE = 0, RECIMG_CTX_CONTINUOUS = 1 } recimg_ctx_kind;

/* Magnitudes are recorded in 16.16 fixed point, step units, saturated here. */
#define RECIMG_CTX_MAG_MAX ((uint32_t)1 << 30)

typedef struct {
    uint32_t fine, coarse;  /* statistics cells, passed back to update */
    double m;               /* predicted mean magnitude, step units (> 0) */
    double t;               /* DISCRETE: exp(-1/(2b)), in (0, 1) */
} recimg_ctx_pred;

typedef struct recimg_ctx recimg_ctx;

/* ---- internal state, visible only so that the small per-coefficient helpers
 * at the end of this header inline into the coding loops (speed, issue 8).
 * Nothing outside codec_ctx.c and those helpers touches the fields. */
enum {
    RECIMG_CTX_NB = 12,                                  /* activity buckets */
    RECIMG_CTX_NCOARSE = 2 * RECIMG_CTX_NB * RECIMG_CTX_NB,   /* DC and AC halves */
    RECIMG_CTX_NFINE = 64 * RECIMG_CTX_NB * RECIMG_CTX_NB,
    RECIMG_CTX_FINE_LIMIT = 256,     /* halve a cell's statistics at this count: adapt */
    RECIMG_CTX_COARSE_LIMIT = 4096
};
/* prior weights of the backed-off means (in samples) */
#define RECIMG_CTX_FINE_PRIOR_WEIGHT 6.0
#define RECIMG_CTX_COARSE_PRIOR_WEIGHT 2.0

typedef struct {
    int64_t sum;     /* sum of recorded statistics, 16.16 (magnitudes, or variance estimates) */
    uint32_t count;
    uint32_t skips;  /* zero-bit rule: skipped visits, for the exploration schedule */
    /* (double)sum / 65536 and (double)count + the fine prior weight, as predict uses
       them: recomputed when sum and count change, not at every prediction (the same
       expressions, hence the same bits; speed, issue 8) */
    double sum_d, den_d;
} recimg_ctx_cell;

/* A coarse cell also caches its backed-off mean times the fine prior weight (the
 * term predict adds), which depends only on the cell's statistics and buckets:
 * recomputed when the statistics change instead of at every prediction (the same
 * expressions, hence the same bits). */
typedef struct {
    int64_t sum;
    uint32_t count;
    double wmean;
} recimg_ctx_coarse_cell;

struct recimg_ctx {
    recimg_ctx_kind kind;
    uint32_t bw;
    uint32_t bx, by;
    uint32_t row;            /* block row held in cur */
    uint32_t *prev, *cur;    /* bw*64 magnitudes of the previous / current block row */
    /* per block of prev / cur: bit k (raster index) set <=> magnitude k is nonzero;
       begin_block skips the positions clear in all four neighbour blocks (speed, issue 8) */
    uint64_t *mprev, *mcur;
    uint32_t *cb;            /* the current block's 64 magnitudes (cur + bx * 64) */
    uint64_t *cm;            /* and its mask (mcur + bx) */
    int32_t *dc_prev, *dc_cur;
    uint8_t *fl_prev, *fl_cur;   /* per block of the previous / current row: its block flag
                                    (recimg_ctx_flag_*; 0 where none was coded) */
    /* bucket(neighbour-block activity) * NB of each zigzag index of the current block:
       the neighbour blocks do not change while a block is coded, so begin_block
       computes all 64 at once instead of predict per coefficient (speed, issue 8) */
    uint8_t nbq[64];
    /* bucket(floor(s / 6)) * NB for the neighbour-block sum s (< 2^33) by bits 51..62 of the
       double s (its exponent and first fraction bit, on which the bucket depends alone;
       codec_ctx.c nbq_of_sum), filled by create (speed, issue 8) */
    uint8_t nbq_v[2112];
    /* recimg_ctx_bucket(floor(s / 2)) for the in-block sum s = a + b (a, b <= 2^30) by the
       biased exponent of the double s (recimg_ctx_inblock_bucket), filled by create */
    uint8_t ib_bucket[1056];
    /* per zigzag index: raster index k and its two in-block neighbours' raster indices
       (from in_off; filled by create, so predict needs no second table look-up);
       kz: the zigzag index of each raster index */
    uint8_t zk[64], zn0[64], zn1[64], kz[64];
    /* per zigzag index (AC): the mask bits of its two in-block neighbours; a block's
       magnitude k is nonzero exactly when bit k of its mask is set, so the in-block
       activity is 0 when (*cm & zn_mask[zz]) == 0 (speed, issue 8) */
    uint64_t zn_mask[64];
    recimg_ctx_cell fine[RECIMG_CTX_NFINE];
    recimg_ctx_coarse_cell coarse[RECIMG_CTX_NCOARSE];
    double bucket_centre[RECIMG_CTX_NB];
    double coarse_prior[RECIMG_CTX_NCOARSE];   /* prior weight times prior mean of each coarse cell */
};

/* The fine cell's statistics as doubles, the terms of the prediction's backed-off mean. */
static inline void recimg_ctx_cell_cache(recimg_ctx_cell *f)
{
    f->sum_d = (double)f->sum / 65536.0;
    f->den_d = (double)f->count + RECIMG_CTX_FINE_PRIOR_WEIGHT;
}

/* Backed-off mean of coarse cell idx from its statistics, with the CONTINUOUS kind's clamp
 * when continuous is nonzero (callers pass c->kind == RECIMG_CTX_CONTINUOUS, or a constant
 * where they know the kind). */
static inline double recimg_ctx_coarse_mean_k(const recimg_ctx *c, const recimg_ctx_coarse_cell *co,
                                              uint32_t idx, int continuous)
{
    double mc = ((double)co->sum / 65536.0 + c->coarse_prior[idx])
                / ((double)co->count + RECIMG_CTX_COARSE_PRIOR_WEIGHT);
    if (continuous && mc < 1.0 / 65536.0)
        mc = 1.0 / 65536.0;
    return mc;
}

/* Backed-off mean of coarse cell idx from its statistics (the kind's clamp included). */
static inline double recimg_ctx_coarse_mean(const recimg_ctx *c, const recimg_ctx_coarse_cell *co,
                                            uint32_t idx)
{
    return recimg_ctx_coarse_mean_k(c, co, idx, c->kind == RECIMG_CTX_CONTINUOUS);
}

/* A model for one plane of blocks_w blocks per row. */
recimg_status recimg_ctx_create(uint32_t blocks_w, recimg_ctx_kind kind, recimg_ctx **out);
void recimg_ctx_free(recimg_ctx *c);

/* Starts block (bx, by); blocks must come in raster order. */
void recimg_ctx_begin_block(recimg_ctx *c, uint32_t bx, uint32_t by);

/* Prediction for coefficient zz (zigzag index 0..63) of the current block:
 * recimg_ctx_predict. recimg_ctx_predict_general computes it for every zz and kind;
 * recimg_ctx_predict does the common case, an AC coefficient of the CONTINUOUS kind
 * (REC mode, 63 of every 64 calls there), inline in the coding loops with the same
 * expressions and sends the rest to the general function (speed, issue 8: the call
 * and the returned struct cost more than the work). tests/codec/test_speed_ctx_ref
 * checks both against a plain reference, bit for bit. */
void recimg_ctx_predict_general(const recimg_ctx *c, int zz, recimg_ctx_pred *out);

/* log2-spaced buckets of a 16.16 magnitude: 0 for 0, 1 below 4096 = 2^12, then
 * floor(log2 x) - 10 up to NB - 1. The binary exponent of (double)x (exact for
 * 32-bit x) is floor(log2 x): no search loop. */
static inline int recimg_ctx_bucket(uint32_t x)
{
    double d;
    uint64_t bits;
    if (x < 4096u)
        return x != 0;
    if (x >= 2097152u)
        return RECIMG_CTX_NB - 1;
    d = (double)x;
    memcpy(&bits, &d, sizeof bits);
    return (int)((bits >> 52) & 0x7FF) - 1023 - 10;
}

/* recimg_ctx_bucket((uint32_t)((a + b) / 2)) for two activities a, b <= RECIMG_CTX_MAG_MAX
 * (the in-block activity's bucket) by one table load (speed, issue 8): the bucket of
 * floor(s / 2) depends only on floor(log2 s) (0 for s <= 1; its thresholds 2 * 2^12 and
 * 2 * 2^21 are powers of two), the biased exponent of the exact double s, s <= 2^31. */
static inline int recimg_ctx_inblock_bucket(const recimg_ctx *c, uint32_t a, uint32_t b)
{
    const double d = (double)((uint64_t)a + b);
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return c->ib_bucket[bits >> 52];
}

/* The AC prediction of the CONTINUOUS kind (zz 1..63) without the checks for the DC and
 * the kind, for callers that know both (the REC coding loops); returns out->m, the
 * Laplace scale. recimg_ctx_predict gives the same bits for those calls. */
/* The cells of an AC prediction (zz 1..63, either kind): sets out->coarse (the coarse cell
 * of the bucket pair) and out->fine, and returns the mean of the fine cell shrunk toward
 * its coarse cell, the statistic both kinds turn into their Laplace parameters. */
static inline double recimg_ctx_ac_stat(const recimg_ctx *c, int zz, recimg_ctx_pred *out)
{
    const uint32_t ci = (*c->cm & c->zn_mask[zz]) == 0   /* both in-block neighbours 0: bucket 0 */
                            ? c->nbq[zz]
                            : (uint32_t)(c->nbq[zz] + recimg_ctx_inblock_bucket(c, c->cb[c->zn0[zz]],
                                                                                c->cb[c->zn1[zz]]));
    const uint32_t fi = (uint32_t)zz * (RECIMG_CTX_NB * RECIMG_CTX_NB) + ci;
    const recimg_ctx_cell *f = &c->fine[fi];
    out->coarse = ci;
    out->fine = fi;
    return (f->sum_d + c->coarse[ci].wmean) / f->den_d;
}

static inline double recimg_ctx_predict_ac(const recimg_ctx *c, int zz, recimg_ctx_pred *out)
{
    double m = recimg_ctx_ac_stat(c, zz, out);
    if (m < 1.0 / 65536.0)
        m = 1.0 / 65536.0;
    out->m = sqrt(0.5 * m);
    return out->m;
}

/* The AC prediction of the DISCRETE kind (zz 1..63; the round mode's 63 of every 64 calls):
 * recimg_ctx_predict_general's expressions for those, inline (speed, issue 8). With both
 * in-block neighbours 0 (the block's mask) the in-block bucket is bucket(0) = 0. */
static inline void recimg_ctx_predict_ac_discrete(const recimg_ctx *c, int zz, recimg_ctx_pred *out)
{
    double m = recimg_ctx_ac_stat(c, zz, out);
    if (m < 1.0 / 4096.0)
        m = 1.0 / 4096.0;
    out->m = m;
    out->t = 2.0 * m / (1.0 + sqrt(1.0 + 4.0 * m * m));
}

static inline void recimg_ctx_predict(const recimg_ctx *c, int zz, recimg_ctx_pred *out)
{
    if (zz == 0) {
        recimg_ctx_predict_general(c, zz, out);
        return;
    }
    if (c->kind == RECIMG_CTX_CONTINUOUS) {
        (void)recimg_ctx_predict_ac(c, zz, out);
        out->t = 0.0;
        return;
    }
    recimg_ctx_predict_ac_discrete(c, zz, out);
}

/* Laplace scale b (step units) of a prediction: -1/(2 log t) for DISCRETE
 * (recimg_ctx_scale_discrete, uses rec_log), m for CONTINUOUS. */
double recimg_ctx_scale_discrete(const recimg_ctx_pred *p);
static inline double recimg_ctx_scale(const recimg_ctx *c, const recimg_ctx_pred *p)
{
    return c->kind == RECIMG_CTX_CONTINUOUS ? p->m : recimg_ctx_scale_discrete(p);
}


/* recimg_ctx_update_stat for values already within the saturation bounds (mag_q16 <=
 * RECIMG_CTX_MAG_MAX, |stat_q16| <= RECIMG_CTX_MAG_MAX) and continuous = (c->kind ==
 * RECIMG_CTX_CONTINUOUS): the REC loops, whose values come saturated and whose kind is
 * checked once per row call, call it directly (speed, issue 8; the same stores). */
static inline void recimg_ctx_update_in_range(recimg_ctx *c, int zz, const recimg_ctx_pred *p,
                                              uint32_t mag_q16, int32_t stat_q16, int continuous)
{
    recimg_ctx_cell *f = &c->fine[p->fine];
    recimg_ctx_coarse_cell *co = &c->coarse[p->coarse];
    c->cb[c->zk[zz]] = mag_q16;
    *c->cm |= (uint64_t)(mag_q16 != 0) << c->zk[zz];   /* only nonzero: round mode records every coefficient */
    f->sum += stat_q16;
    if (++f->count >= RECIMG_CTX_FINE_LIMIT) {   /* halve: adapt */
        f->sum /= 2;      /* C division truncates toward zero on both sides alike */
        f->count /= 2;
    }
    recimg_ctx_cell_cache(f);
    co->sum += stat_q16;
    if (++co->count >= RECIMG_CTX_COARSE_LIMIT) {
        co->sum /= 2;
        co->count /= 2;
    }
    co->wmean = RECIMG_CTX_FINE_PRIOR_WEIGHT * recimg_ctx_coarse_mean_k(c, co, p->coarse, continuous);
}

/* General form: mag_q16 is the neighbour activity recorded for later
 * predictions, stat_q16 (signed, 16.16) the value added to the cell statistics;
 * both saturated at RECIMG_CTX_MAG_MAX. */
static inline void recimg_ctx_update_stat(recimg_ctx *c, int zz, const recimg_ctx_pred *p,
                                          uint32_t mag_q16, int32_t stat_q16)
{
    /* inline in the coding loops (speed, issue 8) */
    if (mag_q16 > RECIMG_CTX_MAG_MAX)
        mag_q16 = RECIMG_CTX_MAG_MAX;
    if (stat_q16 > (int32_t)RECIMG_CTX_MAG_MAX)
        stat_q16 = (int32_t)RECIMG_CTX_MAG_MAX;
    if (stat_q16 < -(int32_t)RECIMG_CTX_MAG_MAX)
        stat_q16 = -(int32_t)RECIMG_CTX_MAG_MAX;
    recimg_ctx_update_in_range(c, zz, p, mag_q16, stat_q16, c->kind == RECIMG_CTX_CONTINUOUS);
}

/* Records the decoded magnitude of coefficient zz (16.16, step units) and
 * updates the statistics of the cells in p with the same value (DISCRETE; the round
 * mode's every coefficient, inline, speed, issue 8). */
static inline void recimg_ctx_update(recimg_ctx *c, int zz, const recimg_ctx_pred *p, uint32_t mag_q16)
{
    if (mag_q16 > RECIMG_CTX_MAG_MAX)
        mag_q16 = RECIMG_CTX_MAG_MAX;
    /* in range: 0 <= (int32_t)mag_q16 <= RECIMG_CTX_MAG_MAX, recimg_ctx_update_stat's clamps */
    recimg_ctx_update_in_range(c, zz, p, mag_q16, (int32_t)mag_q16, c->kind == RECIMG_CTX_CONTINUOUS);
}

/* Zero-bit rule support. A skipped coefficient records activity 0 and leaves
 * the statistics alone; recimg_ctx_explore counts the cell's skipped visits and
 * returns 1 on every RECIMG_CTX_EXPLORE_PERIOD-th, when the coefficient is coded
 * anyway so that a cell whose prior is too narrow can still learn (otherwise a
 * skipped cell would never see data and stay skipped). */
#define RECIMG_CTX_EXPLORE_PERIOD 256u
static inline void recimg_ctx_record_skip(recimg_ctx *c, int zz)
{
    /* Nothing to store: recimg_ctx_begin_block zeroes the block's 64 activities, and
       each coefficient's slot is written at most once, by update for a coded one, so
       a skipped one's 0 is already in place (speed, issue 8). The call stays in the
       coding loops as the hook for a model that records more about skips. */
    (void)c;
    (void)zz;
}
static inline int recimg_ctx_explore(recimg_ctx *c, const recimg_ctx_pred *p)
{
    recimg_ctx_cell *f = &c->fine[p->fine];
    return (f->skips++ & (RECIMG_CTX_EXPLORE_PERIOD - 1)) == RECIMG_CTX_EXPLORE_PERIOD - 1;
}

/* DC: predicted DC index of the current block (MED of left, above,
 * above-left), and the record of the actual DC index once known. Recorded
 * indices must lie within +-2^22 (both coding modes clamp to that: DC_LIMIT in
 * codec_rec.c, RECIMG_ROUND_MAX_INDEX), so the MED's l + a - al cannot overflow. */
int32_t recimg_ctx_dc_predict(const recimg_ctx *c);
void recimg_ctx_dc_record(recimg_ctx *c, int32_t dc);

void recimg_ctx_end_block(recimg_ctx *c);

/* Per-block side information (prior id 4, codec_rec.c "block flag"). A block's flag
 * level is recorded once coded (recimg_ctx_flag_record; begin_block sets it to 0);
 * recimg_ctx_flag_neighbours returns how many of the left and above blocks have a
 * nonzero level (0..2), the context of the flag's coding. */
int recimg_ctx_flag_neighbours(const recimg_ctx *c);
void recimg_ctx_flag_record(recimg_ctx *c, int level);

/* Trial coding (encoder only): a snapshot of everything the coding of the rest of
 * the current block can change in the model, so that the encoder can code the rest
 * of a block one way, measure it and roll the model back. snap_begin saves the
 * block's activities; snap_note must be called with each prediction before it is used
 * (explore, update_stat), and saves the two cells it names; snap_restore puts every
 * saved value back (in reverse order, so a cell saved twice gets its first value). */
enum { RECIMG_CTX_SNAP_MAX = 64 };
typedef struct {
    uint32_t cb[64];
    uint64_t cm;
    int n;
    uint32_t fi[RECIMG_CTX_SNAP_MAX], ci[RECIMG_CTX_SNAP_MAX];
    recimg_ctx_cell f[RECIMG_CTX_SNAP_MAX];
    recimg_ctx_coarse_cell co[RECIMG_CTX_SNAP_MAX];
} recimg_ctx_snap;
void recimg_ctx_snap_begin(const recimg_ctx *c, recimg_ctx_snap *s);
void recimg_ctx_snap_note(const recimg_ctx *c, recimg_ctx_snap *s, const recimg_ctx_pred *p);
void recimg_ctx_snap_restore(recimg_ctx *c, const recimg_ctx_snap *s);
/* undo: as restore, but keeps the values it replaces in s; redo, called with the
 * model as undo left it (other tries in between undone or restored), puts them back:
 * the model is then as it was before the undo. Lets the encoder keep the winning
 * try's model instead of coding that try again (codec_rec.c, "block flag"). */
void recimg_ctx_snap_undo(recimg_ctx *c, recimg_ctx_snap *s);
void recimg_ctx_snap_redo(recimg_ctx *c, recimg_ctx_snap *s);

#endif
