/* tools/realism.c: two realism (distribution-matching) measures that need no neural
 * network; formulas in docs/METRICS.md, "Realism measures".
 *
 * (a) DCT band Wasserstein (dct_w1): the luma planes of both images are padded to a
 *     multiple of 8 by edge replication and cut into 8x8 blocks; each block gets the
 *     orthonormal 2-D DCT-II. For each of the 64 bands the values over all blocks form an
 *     empirical distribution; dct_w1 is the mean over bands of the 1-D Wasserstein-1
 *     distance between the test's and the reference's distribution, divided by
 *     max(std of the reference band, 1). Blur shrinks the AC distributions and noise widens
 *     them; both raise the score, while a distortion that only moves coefficients
 *     between blocks (keeping each band's histogram) does not.
 *
 * (b) Laplacian-pyramid sliced Wasserstein distance (swd), after Karras et al., "Progressive
 *     growing of GANs" (ICLR 2018), appendix D: a Laplacian pyramid of each image (5-tap
 *     binomial filter), at each level 7x7xC patches at SWD_PATCHES pseudo-random positions,
 *     THE SAME positions in both images (so identical images score exactly 0 and there is no
 *     sampling noise floor), each descriptor channel normalized by the reference's mean and
 *     std at that level, then SWD_DIRS random unit directions: project, sort, mean absolute
 *     difference. The level score is the mean over directions; swd is the mean over levels.
 *
 * The random positions and directions come from splitmix64 with a fixed seed: the measure
 * is a deterministic function of the two images. This is a tools-only metric, so libm is
 * used freely (not a lock-step path).
 */
#include "metrics.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SWD_PATCHES 2048
#define SWD_DIRS 64
#define SWD_PATCH 7
#define SWD_MIN_LEVEL_SIDE 16
#define REALISM_SEED 0x5265616c69736d31u   /* "Realism1" */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double uniform01(uint64_t *s)   /* in (0, 1) */
{
    return ((double)(splitmix64(s) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts a and b (n values each) and returns the 1-D Wasserstein-1 distance between
 * their empirical distributions: mean |a_(i) - b_(i)|. */
static double w1_sorted(double *a, double *b, size_t n)
{
    double s = 0.0;
    size_t i;
    qsort(a, n, sizeof(double), cmp_double);
    qsort(b, n, sizeof(double), cmp_double);
    for (i = 0; i < n; i++)
        s += fabs(a[i] - b[i]);
    return s / (double)n;
}

/* ---- (a) DCT band distance ----------------------------------------------------------- */

/* Population standard deviation of a[0..n-1]. */
static double band_sd(const double *a, size_t n)
{
    double mean = 0.0, var = 0.0;
    size_t i;
    for (i = 0; i < n; i++)
        mean += a[i];
    mean /= (double)n;
    for (i = 0; i < n; i++)
        var += (a[i] - mean) * (a[i] - mean);
    return sqrt(var / (double)n);
}

/* coefs[band * nblocks + block] for the padded luma plane. */
static void block_dct(const double *y, size_t w, size_t h, double *coefs, size_t nblocks)
{
    double basis[8][8];
    const size_t bw = (w + 7) / 8, bh = (h + 7) / 8;
    size_t bx, by;
    int u, v, i, j;
    const double pi = 3.14159265358979323846;

    for (u = 0; u < 8; u++)
        for (i = 0; i < 8; i++)
            basis[u][i] = (u == 0 ? sqrt(1.0 / 8.0) : sqrt(2.0 / 8.0)) *
                          cos(pi * (2 * i + 1) * u / 16.0);
    for (by = 0; by < bh; by++) {
        for (bx = 0; bx < bw; bx++) {
            double blk[8][8], tmp[8][8];
            const size_t b = by * bw + bx;
            for (j = 0; j < 8; j++) {
                size_t yy = by * 8 + (size_t)j, xx;
                if (yy >= h)
                    yy = h - 1;   /* edge replication */
                for (i = 0; i < 8; i++) {
                    xx = bx * 8 + (size_t)i;
                    if (xx >= w)
                        xx = w - 1;
                    blk[j][i] = y[yy * w + xx];
                }
            }
            for (j = 0; j < 8; j++)          /* rows: tmp[j][u] */
                for (u = 0; u < 8; u++) {
                    double s = 0.0;
                    for (i = 0; i < 8; i++)
                        s += basis[u][i] * blk[j][i];
                    tmp[j][u] = s;
                }
            for (v = 0; v < 8; v++)          /* columns */
                for (u = 0; u < 8; u++) {
                    double s = 0.0;
                    for (j = 0; j < 8; j++)
                        s += basis[v][j] * tmp[j][u];
                    coefs[(size_t)(v * 8 + u) * nblocks + b] = s;
                }
        }
    }
}

/* Per-band terms of dct_w1: w1[k] = W1_k / max(sd_k, 1) and sd_ratio[k] = std of the test
 * band / max(std of the reference band, 1), k the raster band index v*8 + u (either array
 * may be NULL); *out = the mean of w1 over the 64 bands. */
static int dct_w1(const double *yr, const double *yt, size_t w, size_t h, double *out,
                  double *w1, double *sd_ratio)
{
    const size_t nb = ((w + 7) / 8) * ((h + 7) / 8);
    double *cr = malloc(sizeof(double) * 64 * nb), *ct = malloc(sizeof(double) * 64 * nb);
    double total = 0.0;
    int band;
    if (cr == NULL || ct == NULL) {
        free(cr);
        free(ct);
        return -1;
    }
    block_dct(yr, w, h, cr, nb);
    block_dct(yt, w, h, ct, nb);
    for (band = 0; band < 64; band++) {
        double *a = cr + (size_t)band * nb, *b = ct + (size_t)band * nb;
        double sd = band_sd(a, nb), term;
        if (sd_ratio != NULL)
            sd_ratio[band] = band_sd(b, nb) / (sd > 1.0 ? sd : 1.0);
        term = w1_sorted(a, b, nb) / (sd > 1.0 ? sd : 1.0);
        if (w1 != NULL)
            w1[band] = term;
        total += term;
    }
    free(cr);
    free(ct);
    *out = total / 64.0;
    return 0;
}

/* ---- (b) Laplacian pyramid SWD ------------------------------------------------------- */

static const double binom5[5] = {1.0 / 16, 4.0 / 16, 6.0 / 16, 4.0 / 16, 1.0 / 16};

static size_t clampi(long v, size_t n)
{
    if (v < 0)
        return 0;
    if ((size_t)v >= n)
        return n - 1;
    return (size_t)v;
}

/* Blurs (5-tap binomial, edge clamp) and keeps even pixels: out is ceil(w/2) x ceil(h/2). */
static int reduce(const double *in, size_t w, size_t h, double *out)
{
    const size_t ow = (w + 1) / 2, oh = (h + 1) / 2;
    double *tmp = malloc(sizeof(double) * ow * h);
    size_t r, c;
    int k;
    if (tmp == NULL)
        return -1;
    for (r = 0; r < h; r++)
        for (c = 0; c < ow; c++) {
            double s = 0.0;
            for (k = -2; k <= 2; k++)
                s += binom5[k + 2] * in[r * w + clampi((long)(2 * c) + k, w)];
            tmp[r * ow + c] = s;
        }
    for (r = 0; r < oh; r++)
        for (c = 0; c < ow; c++) {
            double s = 0.0;
            for (k = -2; k <= 2; k++)
                s += binom5[k + 2] * tmp[clampi((long)(2 * r) + k, h) * ow + c];
            out[r * ow + c] = s;
        }
    free(tmp);
    return 0;
}

/* Upsamples a ceil(w/2) x ceil(h/2) plane to w x h (zero insertion + binomial filter x2,
 * i.e. linear-like interpolation with the pyramid's own kernel) and subtracts it from g,
 * leaving the Laplacian band in g. */
static void subtract_expand(double *g, size_t w, size_t h, const double *small)
{
    const size_t sw = (w + 1) / 2, sh = (h + 1) / 2;
    size_t r, c;
    for (r = 0; r < h; r++)
        for (c = 0; c < w; c++) {
            double s = 0.0;
            int dy, dx;
            for (dy = -2; dy <= 2; dy++) {
                const long rr = (long)r + dy;
                if (rr % 2 != 0)
                    continue;   /* only even positions carry a coarse sample */
                for (dx = -2; dx <= 2; dx++) {
                    const long cc = (long)c + dx;
                    if (cc % 2 != 0)
                        continue;
                    s += 4.0 * binom5[dy + 2] * binom5[dx + 2] *
                         small[clampi(rr / 2, sh) * sw + clampi(cc / 2, sw)];
                }
            }
            g[r * w + c] -= s;
        }
}

/* One pyramid per image: levels[k] is a malloc'd plane of C interleaved channels. */
struct pyramid {
    float *level[METRICS_SWD_MAX_LEVELS];   /* float: halves the memory of big images */
    size_t w[METRICS_SWD_MAX_LEVELS], h[METRICS_SWD_MAX_LEVELS];
    int nlevels, channels;
};

static void pyramid_free(struct pyramid *p)
{
    int k;
    for (k = 0; k < METRICS_SWD_MAX_LEVELS; k++)
        free(p->level[k]);
}

static int swd_level_count(size_t w, size_t h)
{
    int n = 1;
    while (n < METRICS_SWD_MAX_LEVELS && (w + 1) / 2 >= SWD_MIN_LEVEL_SIDE &&
           (h + 1) / 2 >= SWD_MIN_LEVEL_SIDE) {
        w = (w + 1) / 2;
        h = (h + 1) / 2;
        n++;
    }
    return n;
}

static int pyramid_build(const imageio_image *img, int nlevels, struct pyramid *p)
{
    const int ch = img->channels;
    size_t w = img->width, h = img->height, i;
    double *plane = NULL, *small = NULL;
    int k, c;

    memset(p, 0, sizeof(*p));
    p->nlevels = nlevels;
    p->channels = ch;
    for (k = 0; k < nlevels; k++) {
        p->w[k] = w;
        p->h[k] = h;
        p->level[k] = malloc(sizeof(float) * w * h * (size_t)ch);
        if (p->level[k] == NULL)
            goto fail;
        w = (w + 1) / 2;
        h = (h + 1) / 2;
    }
    /* Gaussian levels first (level[k] = G_k), then G_k - expand(G_{k+1}) per channel. */
    plane = malloc(sizeof(double) * p->w[0] * p->h[0]);
    small = malloc(sizeof(double) * ((p->w[0] + 1) / 2) * ((p->h[0] + 1) / 2));
    if (plane == NULL || small == NULL)
        goto fail;
    for (i = 0; i < p->w[0] * p->h[0] * (size_t)ch; i++)
        p->level[0][i] = (float)img->pixels[i];
    for (k = 0; k + 1 < nlevels; k++) {
        const size_t n = p->w[k] * p->h[k], ns = p->w[k + 1] * p->h[k + 1];
        for (c = 0; c < ch; c++) {
            for (i = 0; i < n; i++)
                plane[i] = (double)p->level[k][i * (size_t)ch + (size_t)c];
            if (reduce(plane, p->w[k], p->h[k], small) != 0)
                goto fail;
            for (i = 0; i < ns; i++)
                p->level[k + 1][i * (size_t)ch + (size_t)c] = (float)small[i];
            subtract_expand(plane, p->w[k], p->h[k], small);
            for (i = 0; i < n; i++)
                p->level[k][i * (size_t)ch + (size_t)c] = (float)plane[i];
        }
    }
    free(plane);
    free(small);
    return 0;
fail:
    free(plane);
    free(small);
    pyramid_free(p);
    return -1;
}

/* Fills desc[P][D] (D = 49 C) with 7x7 patches centred at the given positions, edge
 * clamped so any level size works. */
static void extract_patches(const float *lev, size_t w, size_t h, int ch, const size_t *px,
                            const size_t *py, size_t np, double *desc)
{
    const size_t d = (size_t)SWD_PATCH * SWD_PATCH * (size_t)ch;
    size_t p;
    for (p = 0; p < np; p++) {
        double *o = desc + p * d;
        int dy, dx, c;
        for (dy = 0; dy < SWD_PATCH; dy++) {
            const size_t yy = clampi((long)py[p] + dy - SWD_PATCH / 2, h);
            for (dx = 0; dx < SWD_PATCH; dx++) {
                const size_t xx = clampi((long)px[p] + dx - SWD_PATCH / 2, w);
                for (c = 0; c < ch; c++)
                    *o++ = (double)lev[(yy * w + xx) * (size_t)ch + (size_t)c];
            }
        }
    }
}

static int swd_all(const imageio_image *ref, const imageio_image *test,
                   metrics_realism_result *out)
{
    const int ch = ref->channels;
    const size_t d = (size_t)SWD_PATCH * SWD_PATCH * (size_t)ch;
    const int nlevels = swd_level_count(ref->width, ref->height);
    struct pyramid pr, pt;
    size_t *px = NULL, *py = NULL;
    double *dr = NULL, *dt = NULL, *dir = NULL, *projr = NULL, *projt = NULL;
    uint64_t rng = REALISM_SEED;
    int k, rc = -1;
    size_t i, j, q;

    if (pyramid_build(ref, nlevels, &pr) != 0)
        return -1;
    if (pyramid_build(test, nlevels, &pt) != 0) {
        pyramid_free(&pr);
        return -1;
    }
    px = malloc(sizeof(size_t) * SWD_PATCHES);
    py = malloc(sizeof(size_t) * SWD_PATCHES);
    dr = malloc(sizeof(double) * SWD_PATCHES * d);
    dt = malloc(sizeof(double) * SWD_PATCHES * d);
    dir = malloc(sizeof(double) * d);
    projr = malloc(sizeof(double) * SWD_PATCHES);
    projt = malloc(sizeof(double) * SWD_PATCHES);
    if (px == NULL || py == NULL || dr == NULL || dt == NULL || dir == NULL || projr == NULL ||
        projt == NULL)
        goto done;

    out->swd = 0.0;
    out->swd_levels = nlevels;
    for (k = 0; k < nlevels; k++) {
        const size_t w = pr.w[k], h = pr.h[k];
        double mean[3] = {0, 0, 0}, sd[3] = {0, 0, 0}, level_sum = 0.0;
        int c, t;
        for (i = 0; i < SWD_PATCHES; i++) {
            px[i] = (size_t)(uniform01(&rng) * (double)w);
            py[i] = (size_t)(uniform01(&rng) * (double)h);
            if (px[i] >= w)
                px[i] = w - 1;
            if (py[i] >= h)
                py[i] = h - 1;
        }
        extract_patches(pr.level[k], w, h, ch, px, py, SWD_PATCHES, dr);
        extract_patches(pt.level[k], w, h, ch, px, py, SWD_PATCHES, dt);
        /* Per-channel normalization with the reference's statistics (both sets alike,
         * so a global change of contrast or brightness still counts). */
        for (i = 0; i < SWD_PATCHES * d; i++)
            mean[i % (size_t)ch] += dr[i];
        for (c = 0; c < ch; c++)
            mean[c] /= (double)(SWD_PATCHES * d / (size_t)ch);
        for (i = 0; i < SWD_PATCHES * d; i++) {
            const double e = dr[i] - mean[i % (size_t)ch];
            sd[i % (size_t)ch] += e * e;
        }
        for (c = 0; c < ch; c++) {
            sd[c] = sqrt(sd[c] / (double)(SWD_PATCHES * d / (size_t)ch));
            if (sd[c] < 1.0)
                sd[c] = 1.0;   /* a flat level: do not blow up rounding noise */
        }
        for (i = 0; i < SWD_PATCHES * d; i++) {
            dr[i] = (dr[i] - mean[i % (size_t)ch]) / sd[i % (size_t)ch];
            dt[i] = (dt[i] - mean[i % (size_t)ch]) / sd[i % (size_t)ch];
        }
        for (t = 0; t < SWD_DIRS; t++) {
            double norm = 0.0;
            for (j = 0; j < d; j++) {   /* Gaussian direction by Box-Muller */
                const double u1 = uniform01(&rng), u2 = uniform01(&rng);
                dir[j] = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
                norm += dir[j] * dir[j];
            }
            norm = sqrt(norm);
            for (j = 0; j < d; j++)
                dir[j] /= norm;
            for (q = 0; q < SWD_PATCHES; q++) {
                double sr = 0.0, st = 0.0;
                const double *a = dr + q * d, *b = dt + q * d;
                for (j = 0; j < d; j++) {
                    sr += dir[j] * a[j];
                    st += dir[j] * b[j];
                }
                projr[q] = sr;
                projt[q] = st;
            }
            level_sum += w1_sorted(projr, projt, SWD_PATCHES);
        }
        out->swd_level[k] = level_sum / SWD_DIRS;
        out->swd += out->swd_level[k] / nlevels;
    }
    rc = 0;
done:
    free(px);
    free(py);
    free(dr);
    free(dt);
    free(dir);
    free(projr);
    free(projt);
    pyramid_free(&pr);
    pyramid_free(&pt);
    return rc;
}

/* Luma planes of two images of the same size and channel count; 0, or -1 on mismatch or
 * out of memory (nothing to free then). */
static int luma_pair(const imageio_image *ref, const imageio_image *test, double **yr,
                     double **yt)
{
    size_t n;
    if (ref == NULL || test == NULL || ref->pixels == NULL ||
        test->pixels == NULL || ref->width != test->width || ref->height != test->height ||
        ref->channels != test->channels || (ref->channels != 1 && ref->channels != 3) ||
        ref->width == 0 || ref->height == 0)
        return -1;
    n = (size_t)ref->width * ref->height;
    *yr = malloc(sizeof(double) * n);
    *yt = malloc(sizeof(double) * n);
    if (*yr == NULL || *yt == NULL) {
        free(*yr);
        free(*yt);
        return -1;
    }
    imageio_luma(ref, *yr);
    imageio_luma(test, *yt);
    return 0;
}

int metrics_realism(const imageio_image *ref, const imageio_image *test,
                    metrics_realism_result *out)
{
    double *yr, *yt;
    int rc;

    if (out == NULL || luma_pair(ref, test, &yr, &yt) != 0)
        return -1;
    memset(out, 0, sizeof(*out));
    rc = dct_w1(yr, yt, ref->width, ref->height, &out->dct_w1, NULL, NULL);
    free(yr);
    free(yt);
    if (rc != 0)
        return -1;
    return swd_all(ref, test, out);
}

int metrics_dct_w1_bands(const imageio_image *ref, const imageio_image *test,
                         double w1[64], double sd_ratio[64])
{
    double *yr, *yt, total;
    int rc;

    if (w1 == NULL || sd_ratio == NULL || luma_pair(ref, test, &yr, &yt) != 0)
        return -1;
    rc = dct_w1(yr, yt, ref->width, ref->height, &total, w1, sd_ratio);
    free(yr);
    free(yt);
    return rc;
}
