/* Reconstruction table (header flag 0x40, docs/FORMAT.md "Reconstruction table",
 * docs/REC_CODEC.md "Reconstruction table"): per class of coded coefficient, a bias
 * measured by the encoder (which knows y) and added by the mmse / realism decoders of
 * both modes to their estimate, clamped into the coefficient's known cell. It changes
 * no coded symbol and no shared state (nothing is fed back to the context model). */
#ifndef CODEC_CODEC_RECON_H
#define CODEC_CODEC_RECON_H

#include "recimg.h"

#include <stddef.h>
#include <stdint.h>

/* Classes: 18 pc + 2 g + t, pc 0 for the luma (or gray) plane, 1 for both chroma
 * planes; g 0 for DC, 1 + recimg_skip_group(zz) for AC (zigzag 1-5, 6-14, 15-20,
 * 21-27, 28-35, 36-44, 45-54, 55-63); t the cell type (rec: 0 = the bin holds the
 * prior mean, 1 = it does not; round: 0 = |s| = 1, 1 = |s| >= 2). */
#define RECIMG_RECON_CLASSES 36
#define RECIMG_RECON_MASK_BYTES 5
/* table byte q: correction q / RECIMG_RECON_Q_SCALE units (sigma_k in rec mode, the
   band's step in round mode); q in -127..127, never 0 when present */
#define RECIMG_RECON_Q_SCALE 128.0
#define RECIMG_RECON_Q_MAX 127

/* The decoder's table: the correction of every class in units (0 when absent). */
typedef struct {
    double c[RECIMG_RECON_CLASSES];
} recimg_recon_table;

/* The encoder's sums for one plane: over the coded coefficients of each class,
 * the count n, sum u^2 d and sum u^2 with u the unit in sample units (sigma_k or
 * step_k) and d the folded error sign * (y - estimate) in units. The two sums are
 * formed coefficient by coefficient in coding order (the table's bytes depend on their
 * last bits); n is an integer (the double count it replaced was exact). */
typedef struct {
    double sr[RECIMG_RECON_CLASSES], su[RECIMG_RECON_CLASSES];
    uint64_t n[RECIMG_RECON_CLASSES];
} recimg_recon_acc;

/* Adds one coefficient's error to acc (encoder). */
static inline void recimg_recon_acc_add(recimg_recon_acc *acc, int cls, double unit, double folded_err)
{
    const double u2 = unit * unit;
    acc->n[cls]++;
    acc->sr[cls] += u2 * folded_err;
    acc->su[cls] += u2;
}

/* Encoder speed (issue 8): one plane's classes and units by zigzag index, so that the
 * hot loop neither forms the class nor squares the unit: u2[zz] = unit[k] * unit[k]
 * (k = recimg_zigzag[zz], the product recimg_recon_acc_add forms) and cls[zz] =
 * recimg_recon_class(chroma, zz, 0). */
typedef struct {
    double u2[64];
    int cls[64];
} recimg_recon_units;

void recimg_recon_units_prepare(recimg_recon_units *ru, int chroma, const double unit[64]);

/* recimg_recon_acc_add(acc, recimg_recon_class(chroma, zz, far), unit[k], folded_err)
 * with the same additions (far: 0 or 1). */
static inline void recimg_recon_acc_add_zz(recimg_recon_acc *acc, const recimg_recon_units *ru, int zz, int far,
                                           double folded_err)
{
    const int cls = ru->cls[zz] + far;
    acc->n[cls]++;
    acc->sr[cls] += ru->u2[zz] * folded_err;
    acc->su[cls] += ru->u2[zz];
}

/* Adds b's sums into a (plane order: the same sums whatever the thread count). */
void recimg_recon_acc_merge(recimg_recon_acc *a, const recimg_recon_acc *b);

/* Encoder: chooses the table from the sums (lambda_factor: the D + lambda R slope per
 * unit^2 and bit: 2 ln 2 in rec mode, 2 ln 2 / 12 in round mode) and writes it to out
 * (at most RECIMG_RECON_MASK_BYTES + RECIMG_RECON_CLASSES bytes); returns its size. */
size_t recimg_recon_table_write(const recimg_recon_acc *acc, double lambda_factor, uint8_t *out);

/* Decoder: parses the table at data[0, size) into t and its size into *used.
 * RECIMG_ERR_CORRUPT if it is truncated, has a reserved mask bit, a chroma class in a
 * one-plane image (nplanes 1), or a byte 0 or -128. */
recimg_status recimg_recon_table_parse(const uint8_t *data, size_t size, int nplanes,
                                       recimg_recon_table *t, size_t *used);

/* Applies correction c (units) to estimate est in the direction sign (+1 / -1) and
 * clamps the result into [lo, hi]: est + sign * c, then max(lo, min(hi, .)). */
static inline double recimg_recon_apply(double est, double sign, double c, double lo, double hi)
{
    double v = est + sign * c;
    if (v < lo)
        v = lo;
    if (v > hi)
        v = hi;
    return v;
}

/* Class group of zigzag index zz (0..63): 0 for DC, 1 + recimg_skip_group(zz) for AC. */
extern const unsigned char recimg_recon_group_of_zz[64];
int recimg_recon_group(int zz);

/* Class of a coded coefficient (chroma: plane > 0; zz 0..63; far: the cell type t above). */
static inline int recimg_recon_class(int chroma, int zz, int far)
{
    return 18 * (chroma ? 1 : 0) + 2 * (int)recimg_recon_group_of_zz[zz] + (far ? 1 : 0);
}

/* Decoder speed: the corrections of one plane kind (chroma 0 / 1) by zigzag index and
 * cell type, zc[zz][t] = t->c[recimg_recon_class(chroma, zz, t)]; returns how many of
 * the plane kind's classes have an entry (0: the plane needs no correction at all). */
int recimg_recon_table_expand(const recimg_recon_table *t, int chroma, double zc[64][2]);

#endif
