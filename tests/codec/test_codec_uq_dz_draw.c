/* The deadzone uq's private draws in its cells (flags2 0x1000, docs/FORMAT.md "Payload of
 * the rec mode", docs/REC_CODEC.md "Deadzone uq"):
 *  - recimg_dz_draw against the Laplace(0, b) restricted to [lo, hi], written out here with
 *    libm: on cells that straddle 0 (the wide zero cells), lie on either side, sit far out
 *    in the tail, are much narrower or much wider than b, 20000 draws each from
 *    rec_prng_uniform with a fixed seed lie in the cell, and their restricted-CDF values pass
 *    a Kolmogorov-Smirnov test (sqrt(n) D < 1.63, the 1% level); on the cells at least 3 b
 *    wide the same draws fail it against the scale 1.1 b and 0.9 b (the test can see a
 *    wrong scale); the draw rises with u, and the extreme uniforms stay in the cell;
 *  - the codec's plane (recimg_rec_encode_plane / decode_plane, uq with the deadzone and
 *    the short-chain coder): with the flag, mmse, center and realism A = 0 decode to the same
 *    values as without; sample decoding moves the deadzone-coded coefficients (and only
 *    they differ from center among the coded ones), each draw lies in its cell (the centre X
 *    from center decoding: a cell that does not hold 0 is [X - D/2, X + D/2] with the sign
 *    of X, D = sqrt(12) sigma), realism A = 1 gives the sample draws there, and the
 *    draws change with the private seed only;
 *  - files (recimg_encode, rec_uq_dz_draw = 1): flags2 0x1000 with 0x400, the payload of
 *    the file without it, the same bytes with 1 and 2 encoder threads, every decode mode the
 *    same with 1 and 2 decoder threads, mmse, center and realism A = 0 as without the flag,
 *    sample and realism A = 1 not. */
#include "codec_ctx.h"
#include "codec_rec.h"
#include "codec_test_util.h"
#include "rec_prng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D_UNIT 3.46410161513775458705   /* sqrt(12) */

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* P(Y <= x | lo <= Y <= hi) for Y ~ Laplace(0, b), by the exponential pieces on each side
 * of 0 (expm1: no cancellation for narrow cells or far tails). */
static double restricted_cdf(double x, double lo, double hi, double b)
{
    if (x <= lo)
        return 0.0;
    if (x >= hi)
        return 1.0;
    if (lo >= 0.0)   /* mass from lo: 1 - e^(-(x - lo) / b), relative to the cell's */
        return expm1(-(x - lo) / b) / expm1(-(hi - lo) / b);
    if (hi <= 0.0)   /* mirrored: the mass above x, measured down from hi */
        return 1.0 - expm1((x - hi) / b) / expm1((lo - hi) / b);
    {
        const double mn = -expm1(lo / b), mp = -expm1(-hi / b);   /* [lo, 0) and [0, hi] */
        const double below = x < 0.0 ? mn + expm1(x / b) : mn - expm1(-x / b);
        return below / (mn + mp);
    }
}

/* sqrt(n) times the KS distance of the sorted values v[0..n) under the restricted CDF */
static double ks_stat(const double *v, size_t n, double lo, double hi, double b)
{
    double dmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        const double f = restricted_cdf(v[i], lo, hi, b);
        const double a = f - (double)i / (double)n, c = (double)(i + 1) / (double)n - f;
        if (a > dmax) dmax = a;
        if (c > dmax) dmax = c;
    }
    return sqrt((double)n) * dmax;
}

static void draw_distribution(void)
{
    /* lo, hi, b (sigma units): zero cells as the deadzone makes them (width D + 2 d), cells
       on either side, far tail, narrow and wide against b */
    static const double cells[][3] = {
        {-5.2, 8.1, 0.3},  {-10.1, 3.3, 1.2}, {-0.2, 6.8, 0.5},  {-3.1, 0.05, 0.8}, {2.0, 5.46, 0.4},
        {-9.0, -5.54, 0.9}, {40.0, 43.46, 0.5}, {-60.0, -56.54, 1.0}, {0.5, 3.96, 30.0}, {-1.0, 2.46, 3.0},
        {-12.0, 12.0, 2.5}, {0.0, 3.46, 0.05}};
    enum { N = 20000 };
    double *v = malloc(sizeof(double) * N);
    CHECK(v != NULL);
    if (!v)
        return;
    for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
        const double lo = cells[c][0], hi = cells[c][1], b = cells[c][2];
        int inside = 1;
        double ks, ks_wide, ks_narrow;
        for (int i = 0; i < N; i++) {
            v[i] = recimg_dz_draw(lo, hi, b, rec_prng_uniform(20261129u, 77u + c, (uint64_t)i));
            inside &= v[i] >= lo && v[i] <= hi;
        }
        CHECK(inside);
        qsort(v, N, sizeof *v, cmp_double);
        ks = ks_stat(v, N, lo, hi, b);
        ks_wide = ks_stat(v, N, lo, hi, 1.1 * b);
        ks_narrow = ks_stat(v, N, lo, hi, 0.9 * b);
        printf("cell [%g, %g], b %g: sqrt(n) D = %.3f (scale x1.1: %.3f, x0.9: %.3f)\n", lo, hi, b, ks, ks_wide,
               ks_narrow);
        CHECK(ks < 1.63);
        if (hi - lo >= 3.0 * b)   /* the scale matters: a wrong one must be seen */
            CHECK(ks_wide > 1.63 && ks_narrow > 1.63);
        {   /* the inverse CDF rises with u; the extreme uniforms stay inside */
            double prev = lo;
            int rising = 1;
            for (int i = 0; i < 1000; i++) {
                const double x = recimg_dz_draw(lo, hi, b, (i + 0.5) / 1000.0);
                rising &= x >= prev;
                prev = x;
            }
            CHECK(rising);
            for (int e = 0; e < 4; e++) {
                static const double us[4] = {1e-300, 0x1p-53, 1.0 - 0x1p-53, 0.5};
                const double x = recimg_dz_draw(lo, hi, b, us[e]);
                CHECK(x >= lo && x <= hi);
            }
        }
    }
    /* degenerate inputs: no spread gives the cell's point nearest 0 */
    CHECK(recimg_dz_draw(-2.0, 3.0, 0.0, 0.3) == 0.0);
    CHECK(recimg_dz_draw(1.5, 3.0, 1e-310, 0.3) == 1.5);
    CHECK(recimg_dz_draw(-4.0, -1.0, 0.0, 0.7) == -1.0);
    free(v);
}

enum { BW = 8, BH = 12, NCOEF = BW * BH * 64 };

/* Encodes the plane with the deadzone uq (flag 0x400) and decodes it with uq_dz_draw = draw
 * in decode mode `mode` (realism knob A, private seed ps) into out. */
static int plane_decode(const double *coef, const double *sigma, int draw, recimg_decode_mode mode, double A,
                        uint64_t ps, double *out)
{
    recimg_rec_plane_params pp;
    recimg_rec_stats rs;
    recimg_rec_recon recon;
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    recimg_ctx *ce = NULL, *cd = NULL;
    uint8_t *buf = NULL;
    size_t size = 0;
    int ok = 1;
    memset(&pp, 0, sizeof pp);
    pp.sampler = RECIMG_SAMPLER_UQ;
    pp.seed = 12345u;
    pp.skip_bits = 0.12;
    pp.sigma = sigma;
    pp.stat_weight = 1.5;
    pp.quant_rev = REC_QUANT_REV_FAST;
    pp.skip_draw_wide = 1;
    pp.block_gain = 1;
    pp.uq_far_bin = 1;
    pp.fast_chain = 1;
    pp.block_dither = 1;
    pp.uq_deadzone = 1;
    for (int g = 0; g < RECIMG_SKIP_GROUPS; g++)
        pp.skip_scale[g] = 1.0;
    memset(&rs, 0, sizeof rs);
    recon.mode = mode;
    recon.realism = A;
    recon.private_seed = ps;
    ok &= rec_rc_encoder_init(&enc) == 0;
    ok &= recimg_ctx_create(BW, RECIMG_CTX_CONTINUOUS, &ce) == RECIMG_OK;
    ok &= recimg_ctx_create(BW, RECIMG_CTX_CONTINUOUS, &cd) == RECIMG_OK;
    ok = ok && recimg_rec_encode_plane(&enc, ce, coef, BW, BH, &pp, &rs) == RECIMG_OK;
    ok = ok && rec_rc_encoder_finish(&enc, &buf, &size) == 0;
    if (ok) {
        pp.uq_dz_draw = draw;
        rec_rc_decoder_init(&dec, buf, size);
        ok = recimg_rec_decode_plane(&dec, cd, out, BW, BH, &pp, &recon) == RECIMG_OK;
    }
    free(buf);
    recimg_ctx_free(ce);
    recimg_ctx_free(cd);
    return ok;
}

static int same(const double *a, const double *b)
{
    return memcmp(a, b, sizeof(double) * NCOEF) == 0;
}

static void plane(void)
{
    static double coef[NCOEF], sigma[64], c0[NCOEF], c1[NCOEF], m0[NCOEF], m1[NCOEF], r0[NCOEF], r1[NCOEF],
        s0[NCOEF], s1[NCOEF], s2[NCOEF], s1b[NCOEF], a1[NCOEF];
    int drawn = 0, far = 0, zero_cells = 0, moved_plain = 0, bad = 0, same_seed = 1, other_seed = 0, a1_same = 1;
    for (int k = 0; k < 64; k++)
        sigma[k] = 2.0 + 0.25 * (k % 8);
    ct_laplace_coefficients(coef, NCOEF, 31, 30.0);   /* large at low frequency */
    CHECK(plane_decode(coef, sigma, 0, RECIMG_DECODE_CENTER, 0.0, 7, c0));
    CHECK(plane_decode(coef, sigma, 1, RECIMG_DECODE_CENTER, 0.0, 7, c1));
    CHECK(plane_decode(coef, sigma, 0, RECIMG_DECODE_MMSE, 0.0, 7, m0));
    CHECK(plane_decode(coef, sigma, 1, RECIMG_DECODE_MMSE, 0.0, 7, m1));
    CHECK(plane_decode(coef, sigma, 0, RECIMG_DECODE_REALISM, 0.0, 7, r0));
    CHECK(plane_decode(coef, sigma, 1, RECIMG_DECODE_REALISM, 0.0, 7, r1));
    CHECK(same(c0, c1) && same(m0, m1) && same(r0, r1) && same(r1, m1));   /* unchanged: mmse, center, A = 0 */
    CHECK(plane_decode(coef, sigma, 0, RECIMG_DECODE_SAMPLE, 0.0, 7, s0));
    CHECK(plane_decode(coef, sigma, 1, RECIMG_DECODE_SAMPLE, 0.0, 7, s1));
    CHECK(plane_decode(coef, sigma, 1, RECIMG_DECODE_SAMPLE, 0.0, 7, s1b));
    CHECK(plane_decode(coef, sigma, 1, RECIMG_DECODE_SAMPLE, 0.0, 8, s2));
    CHECK(plane_decode(coef, sigma, 1, RECIMG_DECODE_REALISM, 1.0, 7, a1));
    CHECK(same(s1, s1b));   /* deterministic */
    for (int i = 0; i < NCOEF; i++) {
        const int k = i % 64;
        const double sg = sigma[k], x = c1[i] / sg, s = s1[i] / sg, y = coef[i] / sg;
        if (c1[i] == 0.0)
            continue;   /* skipped (AC prior mean 0): its private draw is not this test's */
        if (s0[i] != c0[i])
            moved_plain++;   /* without the flag, sample decoding of a coded coefficient is X */
        if (s == x)
            continue;   /* coded without a deadzone (or the DC): X, as before */
        drawn++;
        a1_same &= a1[i] == s1[i];
        same_seed &= s1[i] == s1b[i];
        other_seed += s2[i] != s1[i];
        if (fabs(x) > 0.5 * D_UNIT + 1e-9) {   /* a cell that does not hold 0: [X - D/2, X + D/2] */
            far++;
            if (!(fabs(s - x) <= 0.5 * D_UNIT * (1.0 + 1e-12) && (s > 0.0) == (x > 0.0) &&
                  fabs(y - x) <= 0.5 * D_UNIT * (1.0 + 1e-12)))
                bad++;
        } else {   /* the zero cell: centre X in [-D/2, D/2], half width D/2 + d, d <= 2 D */
            zero_cells++;
            if (!(fabs(s - x) <= 2.5 * D_UNIT && fabs(y - x) <= 2.5 * D_UNIT))
                bad++;
        }
    }
    printf("plane: %d coefficients drawn in their cells (%d cells away from 0, %d zero cells), %d outside\n", drawn,
           far, zero_cells, bad);
    CHECK(moved_plain == 0);
    CHECK(drawn > 300 && far > 30 && zero_cells > 100);
    CHECK(bad == 0);
    CHECK(a1_same && same_seed);
    CHECK(other_seed > drawn * 9 / 10);
}

static uint8_t *encode(const recimg_image *img, int draw, int threads, size_t *n)
{
    recimg_encoder_params p;
    uint8_t *data = NULL;
    recimg_encoder_params_default(&p);
    p.mode = RECIMG_MODE_REC;
    p.sampler = RECIMG_SAMPLER_UQ;
    p.quality = 30;
    p.threads = threads;
    p.rec_uq_dz_draw = draw;
    *n = 0;
    if (ct_encode(&p, img, &data, n, NULL) != RECIMG_OK) {
        recimg_free(data);
        return NULL;
    }
    return data;
}

static void files(void)
{
    recimg_image img;
    size_t n = 0, n2 = 0, n0 = 0;
    uint8_t *f, *f2, *f0;
    static const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER, RECIMG_DECODE_SAMPLE,
                                                RECIMG_DECODE_REALISM};
    CHECK(ct_make_image(&img, 96, 80, 3, 2026) == 0);
    f = encode(&img, 1, 1, &n);
    f2 = encode(&img, 1, 2, &n2);
    f0 = encode(&img, 0, 1, &n0);
    CHECK(f && f2 && f0);
    if (f && f2 && f0) {
        /* 0x400 | 0x1000, with the deadzone's fast rule 0x2000 (the default since dzfast) */
        CHECK(f[8] == 2 && f[56] == 0x34 && f[57] == 0 && f[58] == 0 && f[59] == 0);
        CHECK(f0[8] == 2 && f0[56] == 0x24);
        CHECK(n2 == n && memcmp(f, f2, n) == 0);                              /* threads: same bytes */
        CHECK(n0 == n && memcmp(f, f0, 56) == 0 && memcmp(f + 57, f0 + 57, n - 61) == 0);   /* same payload */
        for (int m = 0; m < 4; m++) {
            for (int a = 0; a < (m == 3 ? 3 : 1); a++) {
                static const double As[3] = {0.0, 0.6, 1.0};
                char h1[33], h2[33], h0[33];
                CHECK(ct_decode_md5(f, n, modes[m], As[a], 1, h1) == RECIMG_OK);
                CHECK(ct_decode_md5(f, n, modes[m], As[a], 2, h2) == RECIMG_OK);
                CHECK(ct_decode_md5(f0, n0, modes[m], As[a], 1, h0) == RECIMG_OK);
                CHECK(h1[0] && strcmp(h1, h2) == 0);
                if (m < 2 || (m == 3 && a == 0))
                    CHECK(strcmp(h1, h0) == 0);   /* mmse, center, realism A = 0: as without */
                else
                    CHECK(strcmp(h1, h0) != 0);   /* sample, realism A > 0: the draws */
            }
        }
    }
    recimg_free(f);
    recimg_free(f2);
    recimg_free(f0);
    free(img.pixels);
}

int main(void)
{
    draw_distribution();
    plane();
    files();
    return ct_finish("test_codec_uq_dz_draw");
}
