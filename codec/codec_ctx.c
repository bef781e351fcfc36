/* Context model: see codec_ctx.h for the design. */
#include "codec_ctx.h"
#include "codec_internal.h"
#include "rec_math.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const uint8_t recimg_zigzag[64] = {
     0,  1,  8, 16,  9,  2,  3, 10, 17, 24, 32, 25, 18, 11,  4,  5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13,  6,  7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

enum {
    NB = RECIMG_CTX_NB,
    NCOARSE = RECIMG_CTX_NCOARSE,
    NFINE = RECIMG_CTX_NFINE
};
#define FINE_PRIOR_WEIGHT RECIMG_CTX_FINE_PRIOR_WEIGHT
#define COARSE_PRIOR_WEIGHT RECIMG_CTX_COARSE_PRIOR_WEIGHT

typedef recimg_ctx_cell cell_stats;
typedef recimg_ctx_coarse_cell coarse_stats;

/* bucket((uint32_t)(s / 6)) without the division, for the neighbour-block activity
 * s = 2l + 2a + al + ar <= 6 * 2^30 (speed, issue 8; the same buckets, checked
 * against the quotient form in tests/codec/test_speed_ctx.c). floor(s / 6) is 0
 * for s < 6, below 4096 for s < 6 * 4096 and at least 2^21 for s >= 6 * 2^21.
 * Between, with s = m 2^e (1 <= m < 2, e the binary exponent of the exact
 * (double)s, s < 2^24), s / 6 = (m / 1.5) 2^(e - 2), so floor(log2(floor(s / 6))) =
 * floor(log2(s / 6)) is e - 2 when m >= 1.5, i.e. when the first fraction bit of
 * (double)s is set, and e - 3 otherwise. */
static int bucket_sixth(uint64_t s)
{
    double d;
    uint64_t bits;
    unsigned v;
    if (s < 6u * 4096u)
        return s >= 6u;
    if (s >= 6u * 2097152u)
        return NB - 1;
    d = (double)s;
    memcpy(&bits, &d, sizeof bits);
    v = (unsigned)(bits >> 51) & 0xFFFu;   /* 2 (e + 1023) + first fraction bit */
    return (int)(v >> 1) - 1023 - 3 + (int)(v & 1u) - 10;
}

/* bucket_sixth(s) * NB for s < 2^33 from the table nbq_v (speed, issue 8). With s = m 2^e,
 * 1 <= m < 2 (the double s is exact), bucket_sixth(s) depends only on e and whether m >= 1.5
 * (its comment): 0 below s = 6 = 1.5 * 2^2, 1 below 6 * 4096 = 1.5 * 2^14, NB - 1 from
 * 6 * 2^21 = 1.5 * 2^23 on, e - 2 or e - 3 between; so a table by bits 51..62 of the
 * double (v = 2 (e + 1023) + first fraction bit; v = 0 for s = 0) gives the same buckets
 * in one load. recimg_ctx_create fills it from bucket_sixth at each class's smallest s;
 * tests/codec/test_speed_ctx checks begin_block's buckets against the quotient form. */
static inline uint8_t nbq_of_sum(const recimg_ctx *c, uint64_t s)
{
    const double d = (double)s;
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return c->nbq_v[bits >> 51];
}

static void nbq_table_fill(recimg_ctx *c)
{
    memset(c->nbq_v, 0, sizeof c->nbq_v);   /* v = 0: s = 0; classes no integer s < 2^33 has: unused */
    for (int e = 0; e <= 32; e++)
        for (int fb = 0; fb <= 1; fb++) {
            /* the smallest integer of the class [2^e (1 + fb / 2), 2^(e + 1)) */
            const uint64_t lo = e == 0 ? (fb ? 0 : 1) : ((uint64_t)1 << e) + (uint64_t)fb * ((uint64_t)1 << (e - 1));
            if (lo != 0)
                c->nbq_v[2 * (e + 1023) + fb] = (uint8_t)(bucket_sixth(lo) * NB);
        }
}

/* recimg_ctx_inblock_bucket's table: for s in [2^e, 2^(e + 1)), floor(s / 2) lies in
 * [2^(e - 1), 2^e) (e >= 1; s = 1 gives 0), on which recimg_ctx_bucket is constant. Index 0
 * (s = 0) and every exponent above 31 (no s <= 2^31 has one) give 0. */
static void ib_table_fill(recimg_ctx *c)
{
    memset(c->ib_bucket, 0, sizeof c->ib_bucket);
    for (int e = 0; e <= 31; e++)
        c->ib_bucket[1023 + e] = (uint8_t)recimg_ctx_bucket((uint32_t)(((uint64_t)1 << e) / 2));
}

/* In-block neighbours of raster index k = v*8 + u (k > 0): the activity is the
 * mean of cur[k - in_off[k][0]] and cur[k - in_off[k][1]], i.e. of (u-1, v) and
 * (u, v-1), or twice the one that exists on the first row or column (the mean of
 * x and x is x). in_off[0] is unused (DC has its own rule). */
static const uint8_t in_off[64][2] = {
    {0, 0}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1},
    {8, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8},
    {8, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8},
    {8, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8},
    {8, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8},
    {8, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8},
    {8, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8},
    {8, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}, {1, 8}};

recimg_status recimg_ctx_create(uint32_t blocks_w, recimg_ctx_kind kind, recimg_ctx **out)
{
    recimg_ctx *c;
    size_t n;
    *out = NULL;
    RETURN_IF(blocks_w == 0, RECIMG_ERR_INVALID_ARGUMENT);
    c = (recimg_ctx *)calloc(1, sizeof *c);
    RETURN_IF(!c, RECIMG_ERR_OUT_OF_MEMORY);
    c->kind = kind;
    c->bw = blocks_w;
    c->row = 0;
    if (recimg_size_mul3(blocks_w, 64, sizeof(uint32_t), &n) != 0) {
        free(c);
        return RECIMG_ERR_LIMIT;
    }
    c->prev = (uint32_t *)calloc(1, n);
    c->cur = (uint32_t *)calloc(1, n);
    c->dc_prev = (int32_t *)calloc(blocks_w, sizeof(int32_t));
    c->dc_cur = (int32_t *)calloc(blocks_w, sizeof(int32_t));
    c->mprev = (uint64_t *)calloc(blocks_w, sizeof(uint64_t));
    c->mcur = (uint64_t *)calloc(blocks_w, sizeof(uint64_t));
    c->fl_prev = (uint8_t *)calloc(blocks_w, 1);
    c->fl_cur = (uint8_t *)calloc(blocks_w, 1);
    if (!c->prev || !c->cur || !c->dc_prev || !c->dc_cur || !c->mprev || !c->mcur || !c->fl_prev
        || !c->fl_cur) {
        recimg_ctx_free(c);
        return RECIMG_ERR_OUT_OF_MEMORY;
    }
    for (int zz = 0; zz < 64; zz++) {
        const int k = recimg_zigzag[zz];
        c->zk[zz] = (uint8_t)k;
        c->kz[k] = (uint8_t)zz;
        c->zn0[zz] = (uint8_t)(k - in_off[k][0]);   /* zz = 0: unused (DC rule) */
        c->zn1[zz] = (uint8_t)(k - in_off[k][1]);
        c->zn_mask[zz] = zz == 0 ? 0 : ((uint64_t)1 << c->zn0[zz]) | ((uint64_t)1 << c->zn1[zz]);
    }
    nbq_table_fill(c);
    ib_table_fill(c);
    for (uint32_t i = 0; i < NFINE; i++)
        recimg_ctx_cell_cache(&c->fine[i]);
    c->bucket_centre[0] = 0.0;
    c->bucket_centre[1] = 0.04;
    for (int i = 2; i < NB; i++)   /* geometric centre of [2^(i-6), 2^(i-5)) */
        c->bucket_centre[i] = 0.0625 * (double)(1u << (i - 2)) * 1.4142135623730951;
    for (uint32_t idx = 0; idx < NCOARSE; idx++) {
        const int bn = (int)(idx % (NB * NB)) / NB, bi = (int)(idx % NB);
        double mc = 0.6 * c->bucket_centre[bn] + 0.4 * c->bucket_centre[bi] + 0.02;
        if (kind == RECIMG_CTX_CONTINUOUS)
            mc = 2.0 * mc * mc;   /* statistics are E[y^2] estimates: see predict */
        c->coarse_prior[idx] = COARSE_PRIOR_WEIGHT * mc;
        c->coarse[idx].wmean = FINE_PRIOR_WEIGHT * recimg_ctx_coarse_mean(c, &c->coarse[idx], idx);
    }
    *out = c;
    return RECIMG_OK;
}

void recimg_ctx_free(recimg_ctx *c)
{
    if (!c)
        return;
    free(c->prev);
    free(c->cur);
    free(c->dc_prev);
    free(c->dc_cur);
    free(c->mprev);
    free(c->mcur);
    free(c->fl_prev);
    free(c->fl_cur);
    free(c);
}

static uint64_t edge_sum(const recimg_ctx *c, int k);

/* Index of the lowest set bit of x != 0 (de Bruijn multiplication: portable C, no
   compiler builtin). */
static int lowest_bit(uint64_t x)
{
    static const uint8_t pos[64] = {
         0,  1, 48,  2, 57, 49, 28,  3, 61, 58, 50, 42, 38, 29, 17,  4,
        62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12,  5,
        63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
        46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19,  9, 13,  8,  7,  6};
    return pos[((x & (0 - x)) * UINT64_C(0x03f79d71b4cb0a89)) >> 58];
}

void recimg_ctx_begin_block(recimg_ctx *c, uint32_t bx, uint32_t by)
{
    if (by != c->row) {   /* a new block row: the current row becomes the previous one */
        uint32_t *t = c->prev;
        int32_t *d = c->dc_prev;
        uint64_t *m = c->mprev;
        uint8_t *fl = c->fl_prev;
        c->fl_prev = c->fl_cur;
        c->fl_cur = fl;
        c->prev = c->cur;
        c->cur = t;
        c->dc_prev = c->dc_cur;
        c->dc_cur = d;
        c->mprev = c->mcur;
        c->mcur = m;
        c->row = by;
    }
    c->bx = bx;
    c->by = by;
    c->cb = c->cur + (size_t)bx * 64;
    c->cm = c->mcur + bx;
    memset(c->cb, 0, 64 * sizeof(uint32_t));
    *c->cm = 0;
    c->fl_cur[bx] = 0;
    {
        const int has_l = bx > 0, has_a = by > 0, has_ar = has_a && bx + 1 < c->bw;
        /* The neighbour-block buckets only where a neighbour block that exists may be
           nonzero (about 40% of the positions on photographs at ~1 bpp): elsewhere the
           sum is 0, also at the image edges, whose substitutes copy or halve existing
           neighbours (edge_sum), and bucket 0 (speed, issue 8). */
        uint64_t nz = (has_l ? c->mcur[bx - 1] : 0) | (has_a ? c->mprev[bx] : 0)
                      | (has_l && has_a ? c->mprev[bx - 1] : 0) | (has_ar ? c->mprev[bx + 1] : 0);
        memset(c->nbq, 0, sizeof c->nbq);
        if (has_l && has_ar) {   /* interior: all four neighbours exist */
            const uint32_t *nl = c->cur + ((size_t)bx - 1) * 64, *na = c->prev + (size_t)bx * 64;
            const uint32_t *nal = na - 64, *nar = na + 64;
            for (; nz; nz &= nz - 1) {
                const int k = lowest_bit(nz);
                /* weights 2,2,1,1 over 6; each term <= 2^30 so the sum fits in 64 bits */
                const uint64_t s = (uint64_t)2 * nl[k] + (uint64_t)2 * na[k] + nal[k] + nar[k];
                c->nbq[c->kz[k]] = nbq_of_sum(c, s);
            }
        } else {
            for (; nz; nz &= nz - 1) {
                const int k = lowest_bit(nz);
                c->nbq[c->kz[k]] = nbq_of_sum(c, edge_sum(c, k));
            }
        }
    }
}

static uint32_t sat_add(uint32_t a, uint32_t b)
{
    return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

static uint32_t abs_diff(int32_t a, int32_t b)
{
    const int64_t d = (int64_t)a - b;
    const uint64_t m = (uint64_t)(d < 0 ? -d : d) << 16;
    return m > RECIMG_CTX_MAG_MAX ? RECIMG_CTX_MAG_MAX : (uint32_t)m;
}

/* Neighbour-block activity 2l + 2a + al + ar of raster index k at the image
 * edges (a missing neighbour is replaced as below); kept out of line so the
 * interior path stays short. */
static uint64_t edge_sum(const recimg_ctx *c, int k)
{
    const int has_l = c->bx > 0, has_a = c->by > 0;
    const uint32_t *cur = c->cur + (size_t)c->bx * 64;
    uint32_t l = 0, a = 0, al, ar;
    if (has_l) l = cur[(ptrdiff_t)k - 64];
    if (has_a) a = c->prev[(size_t)c->bx * 64 + (size_t)k];
    if (!has_l) l = a;
    if (!has_a) a = l;
    al = (has_l && has_a) ? c->prev[((size_t)c->bx - 1) * 64 + (size_t)k] : (l / 2 + a / 2);
    ar = (has_a && c->bx + 1 < c->bw) ? c->prev[((size_t)c->bx + 1) * 64 + (size_t)k] : a;
    return (uint64_t)2 * l + (uint64_t)2 * a + al + ar;
}

/* DC activity: local gradient of the DC indices. */
static uint32_t dc_activity(const recimg_ctx *c)
{
    if (c->bx > 0 && c->by > 0) {
        const int32_t *dl = c->dc_cur + c->bx - 1, *da = c->dc_prev + c->bx,
                      *dal = c->dc_prev + c->bx - 1;
        return sat_add(abs_diff(*dl, *dal), abs_diff(*da, *dal)) / 2;
    }
    return 0;
}

void recimg_ctx_predict_general(const recimg_ctx *c, int zz, recimg_ctx_pred *out)
{
    uint32_t in, ci, fi, coi;
    const cell_stats *f;
    double m;

    if (zz != 0) {
        in = (uint32_t)(((uint64_t)c->cb[c->zn0[zz]] + c->cb[c->zn1[zz]]) / 2);
    } else {
        in = dc_activity(c);
    }
    ci = (uint32_t)(c->nbq[zz] + recimg_ctx_bucket(in));
    coi = (zz == 0 ? NB * NB : 0) + ci;
    fi = (uint32_t)zz * (NB * NB) + ci;
    out->coarse = coi;
    out->fine = fi;
    f = &c->fine[fi];
    /* the coarse cell's backed-off mean is cached (recimg_ctx_coarse_mean): for CONTINUOUS the
       statistics are unbiased estimates of E[y^2] (step units) and the cell's variance
       v gives the Laplace scale sqrt(v / 2) */
    m = (f->sum_d + c->coarse[coi].wmean) / f->den_d;   /* see recimg_ctx_cell_cache, wmean */
    if (c->kind == RECIMG_CTX_CONTINUOUS) {
        if (m < 1.0 / 65536.0)
            m = 1.0 / 65536.0;
        out->m = sqrt(0.5 * m);
        out->t = 0.0;
        return;
    }
    if (m < 1.0 / 4096.0)
        m = 1.0 / 4096.0;
    out->m = m;
    out->t = 2.0 * m / (1.0 + sqrt(1.0 + 4.0 * m * m));
}

double recimg_ctx_scale_discrete(const recimg_ctx_pred *p)
{
    return -0.5 / rec_log(p->t);
}

int32_t recimg_ctx_dc_predict(const recimg_ctx *c)
{
    const int has_l = c->bx > 0, has_a = c->by > 0;
    int32_t l, a, al;
    if (!has_l && !has_a)
        return 0;
    if (!has_a)
        return c->dc_cur[c->bx - 1];
    if (!has_l)
        return c->dc_prev[c->bx];
    l = c->dc_cur[c->bx - 1];
    a = c->dc_prev[c->bx];
    al = c->dc_prev[c->bx - 1];
    /* median edge detector (LOCO-I) */
    if (al >= (l > a ? l : a))
        return l < a ? l : a;
    if (al <= (l < a ? l : a))
        return l > a ? l : a;
    return l + a - al;
}

void recimg_ctx_dc_record(recimg_ctx *c, int32_t dc)
{
    c->dc_cur[c->bx] = dc;
}

void recimg_ctx_end_block(recimg_ctx *c)
{
    (void)c;
}

int recimg_ctx_flag_neighbours(const recimg_ctx *c)
{
    return (c->bx > 0 && c->fl_cur[c->bx - 1] != 0) + (c->by > 0 && c->fl_prev[c->bx] != 0);
}

void recimg_ctx_flag_record(recimg_ctx *c, int level)
{
    c->fl_cur[c->bx] = (uint8_t)level;
}

void recimg_ctx_snap_begin(const recimg_ctx *c, recimg_ctx_snap *s)
{
    memcpy(s->cb, c->cb, sizeof s->cb);
    s->cm = *c->cm;
    s->n = 0;
}

void recimg_ctx_snap_note(const recimg_ctx *c, recimg_ctx_snap *s, const recimg_ctx_pred *p)
{
    if (s->n >= RECIMG_CTX_SNAP_MAX)   /* a block has 64 coefficients: cannot happen */
        return;
    s->fi[s->n] = p->fine;
    s->ci[s->n] = p->coarse;
    s->f[s->n] = c->fine[p->fine];
    s->co[s->n] = c->coarse[p->coarse];
    s->n++;
}

void recimg_ctx_snap_restore(recimg_ctx *c, const recimg_ctx_snap *s)
{
    for (int i = s->n - 1; i >= 0; i--) {
        c->fine[s->fi[i]] = s->f[i];
        c->coarse[s->ci[i]] = s->co[i];
    }
    memcpy(c->cb, s->cb, sizeof s->cb);
    *c->cm = s->cm;
}

/* Exchanges the block's activities and mask with the snapshot's. */
static void snap_swap_block(recimg_ctx *c, recimg_ctx_snap *s)
{
    uint32_t cb[64];
    const uint64_t cm = *c->cm;
    memcpy(cb, c->cb, sizeof cb);
    memcpy(c->cb, s->cb, sizeof cb);
    memcpy(s->cb, cb, sizeof cb);
    *c->cm = s->cm;
    s->cm = cm;
}

/* Exchanges each noted cell with its saved value, last note first (backward) or first
 * note first, then the block's activities and mask. Entry i holds the cells' values
 * before the i-th note's update: undo walks back and leaves entry i with the value the
 * model had after that update (the next entry's saved value if the same cell was noted
 * again, the try's final value otherwise); redo walks forward and leaves the cells as
 * undo found them. */
static void snap_exchange(recimg_ctx *c, recimg_ctx_snap *s, int backward)
{
    for (int k = 0; k < s->n; k++) {
        const int i = backward ? s->n - 1 - k : k;
        const recimg_ctx_cell f = c->fine[s->fi[i]];
        const recimg_ctx_coarse_cell co = c->coarse[s->ci[i]];
        c->fine[s->fi[i]] = s->f[i];
        c->coarse[s->ci[i]] = s->co[i];
        s->f[i] = f;
        s->co[i] = co;
    }
    snap_swap_block(c, s);
}

void recimg_ctx_snap_undo(recimg_ctx *c, recimg_ctx_snap *s)
{
    snap_exchange(c, s, 1);
}

void recimg_ctx_snap_redo(recimg_ctx *c, recimg_ctx_snap *s)
{
    snap_exchange(c, s, 0);
}
