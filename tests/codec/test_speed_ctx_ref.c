/* test_speed_ctx_ref: the context model (codec_ctx.c, with its speed-ups: cached cell
 * means, per-block neighbour buckets, nonzero masks, ...) against a plain reference
 * written here from the model's definition (codec_ctx.h): every prediction recomputes
 * the neighbour activities with the edge rules, the weighted mean by division, the
 * buckets by a log2 loop and both backed-off means from the integer statistics.
 * Random planes (several widths, both kinds, magnitudes from 0 to beyond
 * RECIMG_CTX_MAG_MAX, signed statistics, skipped and coded coefficients, long enough
 * runs for the statistics to halve) are driven through both; every prediction (cells,
 * m and t bit for bit), every exploration decision and every DC prediction must agree.
 * Speed work on the model must keep this test passing unchanged (issue 8). */
#include "codec_ctx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NB = RECIMG_CTX_NB, NCOARSE = RECIMG_CTX_NCOARSE, NFINE = RECIMG_CTX_NFINE };

/* ---- the reference model ---------------------------------------------------------- */

typedef struct {
    int64_t sum;
    uint32_t count, skips;
} ref_cell;

typedef struct {
    recimg_ctx_kind kind;
    uint32_t bw, bx, by;
    uint32_t *mag;     /* every block's 64 recorded activities, whole plane (bw * bh * 64) */
    int32_t *dc;       /* every block's recorded DC index */
    ref_cell fine[NFINE], coarse[NCOARSE];
    double centre[NB];
} ref_ctx;

/* 0 for 0, 1 below 2^12, floor(log2 x) - 10 up to NB - 1 */
static int ref_bucket(uint64_t x)
{
    int e = 0;
    if (x == 0)
        return 0;
    if (x < 4096)
        return 1;
    while (x >= 2) {
        x /= 2;
        e++;
    }
    return e - 10 < NB - 1 ? e - 10 : NB - 1;
}

static void ref_init(ref_ctx *r, recimg_ctx_kind kind, uint32_t bw, uint32_t bh)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->bw = bw;
    r->mag = (uint32_t *)calloc((size_t)bw * bh * 64, sizeof(uint32_t));
    r->dc = (int32_t *)calloc((size_t)bw * bh, sizeof(int32_t));
    r->centre[0] = 0.0;
    r->centre[1] = 0.04;
    for (int i = 2; i < NB; i++)
        r->centre[i] = 0.0625 * (double)(1u << (i - 2)) * 1.4142135623730951;
}

static uint32_t *ref_block(ref_ctx *r, uint32_t bx, uint32_t by)
{
    return r->mag + ((size_t)by * r->bw + bx) * 64;
}

static void ref_predict(ref_ctx *r, int zz, recimg_ctx_pred *out)
{
    const int k = recimg_zigzag[zz], u = k % 8, v = k / 8;
    const uint32_t bx = r->bx, by = r->by;
    const int has_l = bx > 0, has_a = by > 0, has_ar = by > 0 && bx + 1 < r->bw;
    const uint32_t *cur = ref_block(r, bx, by);
    uint64_t l = 0, a = 0, al, ar, in;
    int bn, bi;
    uint32_t ci, coi, fi;
    double mc, m;

    /* neighbour blocks, same band: a missing left or above takes the other's value,
       a missing above-left the mean of the halves, a missing above-right the above */
    if (has_l) l = ref_block(r, bx - 1, by)[k];
    if (has_a) a = ref_block(r, bx, by - 1)[k];
    if (!has_l) l = a;
    if (!has_a) a = l;
    al = has_l && has_a ? ref_block(r, bx - 1, by - 1)[k] : l / 2 + a / 2;
    ar = has_ar ? ref_block(r, bx + 1, by - 1)[k] : a;
    bn = ref_bucket((2 * l + 2 * a + al + ar) / 6);
    if (zz == 0) {   /* DC: half the sum of the two DC gradients, each saturated */
        in = 0;
        if (has_l && has_a) {
            const int64_t dl = r->dc[(size_t)by * r->bw + bx - 1];
            const int64_t da = r->dc[(size_t)(by - 1) * r->bw + bx];
            const int64_t dal = r->dc[(size_t)(by - 1) * r->bw + bx - 1];
            uint64_t g1 = (uint64_t)llabs(dl - dal) << 16, g2 = (uint64_t)llabs(da - dal) << 16;
            if (g1 > RECIMG_CTX_MAG_MAX) g1 = RECIMG_CTX_MAG_MAX;
            if (g2 > RECIMG_CTX_MAG_MAX) g2 = RECIMG_CTX_MAG_MAX;
            in = (g1 + g2) / 2;
        }
    } else if (u > 0 && v > 0) {
        in = ((uint64_t)cur[k - 1] + cur[k - 8]) / 2;
    } else {
        in = u > 0 ? cur[k - 1] : cur[k - 8];
    }
    bi = ref_bucket(in);
    ci = (uint32_t)(bn * NB + bi);
    coi = (zz == 0 ? NB * NB : 0) + ci;
    fi = (uint32_t)zz * NB * NB + ci;
    out->coarse = coi;
    out->fine = fi;
    mc = 0.6 * r->centre[bn] + 0.4 * r->centre[bi] + 0.02;
    if (r->kind == RECIMG_CTX_CONTINUOUS)
        mc = 2.0 * mc * mc;
    mc = ((double)r->coarse[coi].sum / 65536.0 + 2.0 * mc) / ((double)r->coarse[coi].count + 2.0);
    if (r->kind == RECIMG_CTX_CONTINUOUS && mc < 1.0 / 65536.0)
        mc = 1.0 / 65536.0;
    m = ((double)r->fine[fi].sum / 65536.0 + 6.0 * mc) / ((double)r->fine[fi].count + 6.0);
    if (r->kind == RECIMG_CTX_CONTINUOUS) {
        if (m < 1.0 / 65536.0)
            m = 1.0 / 65536.0;
        out->m = sqrt(0.5 * m);
        out->t = 0.0;
    } else {
        if (m < 1.0 / 4096.0)
            m = 1.0 / 4096.0;
        out->m = m;
        out->t = 2.0 * m / (1.0 + sqrt(1.0 + 4.0 * m * m));
    }
}

static void ref_add(ref_cell *c, int32_t stat, uint32_t limit)
{
    c->sum += stat;
    if (++c->count >= limit) {
        c->sum /= 2;
        c->count /= 2;
    }
}

static void ref_update_stat(ref_ctx *r, int zz, const recimg_ctx_pred *p, uint32_t mag, int32_t stat)
{
    const int32_t lim = (int32_t)RECIMG_CTX_MAG_MAX;
    ref_block(r, r->bx, r->by)[recimg_zigzag[zz]] = mag < RECIMG_CTX_MAG_MAX ? mag : RECIMG_CTX_MAG_MAX;
    stat = stat > lim ? lim : stat < -lim ? -lim : stat;
    ref_add(&r->fine[p->fine], stat, 256);
    ref_add(&r->coarse[p->coarse], stat, 4096);
}

static int ref_explore(ref_ctx *r, const recimg_ctx_pred *p)
{
    return r->fine[p->fine].skips++ % RECIMG_CTX_EXPLORE_PERIOD == RECIMG_CTX_EXPLORE_PERIOD - 1;
}

static int32_t ref_dc_predict(const ref_ctx *r)
{
    const uint32_t bx = r->bx, by = r->by, w = r->bw;
    int32_t l, a, al;
    if (bx == 0 && by == 0)
        return 0;
    if (by == 0)
        return r->dc[(size_t)by * w + bx - 1];
    if (bx == 0)
        return r->dc[(size_t)(by - 1) * w + bx];
    l = r->dc[(size_t)by * w + bx - 1];
    a = r->dc[(size_t)(by - 1) * w + bx];
    al = r->dc[(size_t)(by - 1) * w + bx - 1];
    if (al >= (l > a ? l : a))
        return l < a ? l : a;
    if (al <= (l < a ? l : a))
        return l > a ? l : a;
    return l + a - al;
}

/* ---- the random drive --------------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* magnitudes spread over every bucket, with many zeros and the saturation edges */
static uint32_t rnd_mag(void)
{
    const uint32_t r = (uint32_t)(rnd() % 100);
    if (r < 30)
        return 0;
    if (r < 35)
        return (uint32_t)(rnd() % 8192);
    if (r < 38)
        return RECIMG_CTX_MAG_MAX - 2 + (uint32_t)(rnd() % 4);
    if (r < 39)
        return UINT32_MAX - (uint32_t)(rnd() % 3);
    return (uint32_t)(rnd() >> (64 - 1 - (int)(rnd() % 31)));   /* log-uniform up to 2^31 */
}

static int32_t rnd_stat(uint32_t mag)
{
    const uint32_t r = (uint32_t)(rnd() % 100);
    if (r < 2)
        return INT32_MIN + (int32_t)(rnd() % 3);
    if (r < 4)
        return INT32_MAX - (int32_t)(rnd() % 3);
    if (r < 10)
        return -(int32_t)(rnd() % 70000);
    return (int32_t)((uint64_t)(mag & 0x7FFFFFFFu) * (1 + rnd() % 3) / 2 % 0x7FFFFFFF);
}

static int failures;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond) && failures++ < 10) {                                                  \
            fprintf(stderr, "FAIL: " __VA_ARGS__);                                         \
            fprintf(stderr, "\n");                                                         \
        }                                                                                  \
    } while (0)

/* One plane of bw x bh blocks; skip_pct: share of AC coefficients that take the skip path. */
static void run_plane(recimg_ctx_kind kind, uint32_t bw, uint32_t bh, int skip_pct, int zero_pct)
{
    recimg_ctx *c;
    ref_ctx *r = (ref_ctx *)malloc(sizeof *r);
    if (!r || recimg_ctx_create(bw, kind, &c) != RECIMG_OK) {
        CHECK(0, "create %u", bw);
        free(r);
        return;
    }
    ref_init(r, kind, bw, bh);
    for (uint32_t by = 0; by < bh; by++)
        for (uint32_t bx = 0; bx < bw; bx++) {
            recimg_ctx_begin_block(c, bx, by);
            r->bx = bx;
            r->by = by;
            CHECK(recimg_ctx_dc_predict(c) == ref_dc_predict(r), "dc_predict block %u,%u", bx, by);
            for (int zz = 0; zz < 64; zz++) {
                recimg_ctx_pred p, q;
                uint32_t mag;
                int32_t stat;
                recimg_ctx_predict(c, zz, &p);
                ref_predict(r, zz, &q);
                CHECK(p.fine == q.fine && p.coarse == q.coarse && memcmp(&p.m, &q.m, sizeof p.m) == 0
                          && memcmp(&p.t, &q.t, sizeof p.t) == 0,
                      "kind %d bw %u block %u,%u zz %d: fine %u/%u coarse %u/%u m %.17g/%.17g "
                      "t %.17g/%.17g", (int)kind, bw, bx, by, zz, p.fine, q.fine, p.coarse, q.coarse,
                      p.m, q.m, p.t, q.t);
                if (zz != 0 && kind == RECIMG_CTX_CONTINUOUS) {
                    /* the REC loops' form (codec_rec.c ac_predict_skip): no DC / kind checks */
                    recimg_ctx_pred a;
                    const double m = recimg_ctx_predict_ac(c, zz, &a);
                    CHECK(a.fine == q.fine && a.coarse == q.coarse && memcmp(&a.m, &q.m, sizeof a.m) == 0
                              && memcmp(&m, &q.m, sizeof m) == 0,
                          "predict_ac bw %u block %u,%u zz %d: fine %u/%u coarse %u/%u m %.17g/%.17g", bw, bx,
                          by, zz, a.fine, q.fine, a.coarse, q.coarse, a.m, q.m);
                }
                if (zz != 0 && (int)(rnd() % 100) < skip_pct) {
                    const int e1 = recimg_ctx_explore(c, &p), e2 = ref_explore(r, &q);
                    CHECK(e1 == e2, "explore block %u,%u zz %d", bx, by, zz);
                    if (!e1) {
                        recimg_ctx_record_skip(c, zz);
                        continue;
                    }
                }
                mag = (int)(rnd() % 100) < zero_pct ? 0 : rnd_mag();
                stat = rnd_stat(mag);
                if (rnd() % 4 == 0 && kind == RECIMG_CTX_DISCRETE) {
                    recimg_ctx_update(c, zz, &p, mag);
                    mag = mag < RECIMG_CTX_MAG_MAX ? mag : RECIMG_CTX_MAG_MAX;
                    ref_update_stat(r, zz, &q, mag, (int32_t)mag);
                } else {
                    recimg_ctx_update_stat(c, zz, &p, mag, stat);
                    ref_update_stat(r, zz, &q, mag, stat);
                }
                if (zz == 0) {
                    /* DC indices within the +-2^22 both coding modes clamp to (codec_ctx.h) */
                    const uint64_t pick = rnd() % 8;
                    const int32_t dc = pick == 0   ? (int32_t)(rnd() % ((1u << 23) + 1)) - (1 << 22)
                                       : pick == 1 ? (rnd() % 2 ? 1 : -1) * (1 << 22)
                                                   : (int32_t)(rnd() % 4001) - 2000;
                    recimg_ctx_dc_record(c, dc);
                    r->dc[(size_t)by * bw + bx] = dc;
                }
            }
            recimg_ctx_end_block(c);
        }
    recimg_ctx_free(c);
    free(r->mag);
    free(r->dc);
    free(r);
}

int main(void)
{
    static const uint32_t widths[] = {1, 2, 3, 5, 17};
    for (int kind = 0; kind < 2; kind++)
        for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
            const uint32_t bw = widths[i], bh = 1200 / bw + 2;
            run_plane((recimg_ctx_kind)kind, bw, bh, 0, 0);     /* every coefficient coded */
            run_plane((recimg_ctx_kind)kind, bw, bh, 70, 20);   /* mostly skipped, as in REC */
            run_plane((recimg_ctx_kind)kind, bw, bh, 97, 60);   /* sparse: long zero runs */
            run_plane((recimg_ctx_kind)kind, bw, bh, 10, 97);   /* few cells: statistics halve */
        }
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("test_speed_ctx_ref: context model equals the plain reference (predictions bit for bit)\n");
    return 0;
}
