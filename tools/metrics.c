/* tools/metrics.c: PSNR, SSIM and MS-SSIM.
 *
 * SSIM follows Wang, Bovik, Sheikh & Simoncelli (IEEE TIP 2004) as in their reference
 * ssim.m: an 11x11 Gaussian window with sigma 1.5 (normalized to sum 1), C1 = (0.01 L)^2,
 * C2 = (0.03 L)^2, L = 255, local statistics over the 'valid' window positions only (no
 * padding), the score being the mean of the SSIM map. It is computed on luma
 * Y = 0.299 R + 0.587 G + 0.114 B kept in double (no rounding). Unlike ssim.m, there is no
 * automatic pre-downsampling of large images (like scikit-image and most codec papers).
 *
 * MS-SSIM follows Wang, Simoncelli & Bovik (Asilomar 2003) as in their msssim.m: at scales
 * j = 1..M the mean contrast-structure term cs_j, at the last scale the mean SSIM; the
 * result is prod_{j<M} cs_j^{w_j} * ssim_M^{w_M} with w = (0.0448, 0.2856, 0.3001, 0.2363,
 * 0.1333). Between scales the image is averaged over 2x2 blocks (the last row/column of an
 * odd size is mirrored, msssim.m's 'symmetric' padding) and subsampled by 2.
 * Small images (docs/METRICS.md): M is the largest number <= 5 of scales whose smallest
 * still holds an 11x11 window, with the first M weights renormalized to sum 1 when M < 5; an image
 * below 11 pixels on a side uses one scale and a window cut to the largest odd size that
 * fits (the Gaussian is truncated and renormalized). Negative cs or SSIM values (possible for
 * anticorrelated images) are clamped to 0 before the fractional powers, as pytorch-msssim does,
 * so the result is always a real number in [0, 1].
 */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SSIM_WIN 11
#define SSIM_SIGMA 1.5
#define SSIM_K1 0.01
#define SSIM_K2 0.03
#define SSIM_L 255.0
#define MS_SSIM_SCALES 5

static const double ms_ssim_weights[MS_SSIM_SCALES] = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

double metrics_psnr_from_mse(double mse)
{
    if (mse <= 0.0)
        return HUGE_VAL;
    return 10.0 * log10(SSIM_L * SSIM_L / mse);
}

int metrics_ms_ssim_scales(unsigned width, unsigned height)
{
    int m = 0;
    while (m < MS_SSIM_SCALES && width >= SSIM_WIN && height >= SSIM_WIN) {
        m++;
        width = (width + 1) / 2;
        height = (height + 1) / 2;
    }
    return m < 1 ? 1 : m;
}

/* Normalized Gaussian taps, truncated to k (odd, <= SSIM_WIN) around the centre. */
static void gauss_taps(int k, double *g)
{
    double sum = 0.0;
    int i;
    for (i = 0; i < k; i++) {
        const double d = (double)(i - k / 2);
        g[i] = exp(-d * d / (2.0 * SSIM_SIGMA * SSIM_SIGMA));
        sum += g[i];
    }
    for (i = 0; i < k; i++)
        g[i] /= sum;
}

static int odd_window(size_t n)
{
    size_t k = n < SSIM_WIN ? n : SSIM_WIN;
    if (k % 2 == 0)
        k--;
    return (int)k;
}

/* Horizontal Gaussian pass of the five signals x, y, x^2, y^2, xy over row r into
 * dst[5][ow]. */
static void hor_row(const double *x, const double *y, size_t w, size_t r, const double *gx,
                    int kx, size_t ow, double *dst)
{
    const double *xr = x + r * w, *yr = y + r * w;
    size_t c;
    int k;
    for (c = 0; c < ow; c++) {
        double a = 0, b = 0, aa = 0, bb = 0, ab = 0;
        for (k = 0; k < kx; k++) {
            const double xv = xr[c + (size_t)k], yv = yr[c + (size_t)k], g = gx[k];
            a += g * xv;
            b += g * yv;
            aa += g * xv * xv;
            bb += g * yv * yv;
            ab += g * xv * yv;
        }
        dst[c] = a;
        dst[ow + c] = b;
        dst[2 * ow + c] = aa;
        dst[3 * ow + c] = bb;
        dst[4 * ow + c] = ab;
    }
}

/* Mean SSIM and mean cs over the valid window positions of two w x h planes.
 * The horizontal pass is kept for the ky most recent rows only (a ring of ky rows), so the
 * memory is O(width), not O(image). 0 ok, -1 out of memory. */
static int ssim_plane(const double *x, const double *y, size_t w, size_t h, double *mean_ssim,
                      double *mean_cs)
{
    const double c1 = (SSIM_K1 * SSIM_L) * (SSIM_K1 * SSIM_L);
    const double c2 = (SSIM_K2 * SSIM_L) * (SSIM_K2 * SSIM_L);
    const int kx = odd_window(w), ky = odd_window(h);
    const size_t ow = w - (size_t)kx + 1, oh = h - (size_t)ky + 1;
    const size_t row_len = 5 * ow;
    double gx[SSIM_WIN], gy[SSIM_WIN], col[5];
    double *ring;
    double sum_ssim = 0.0, sum_cs = 0.0;
    size_t r, c;
    int k, s;

    gauss_taps(kx, gx);
    gauss_taps(ky, gy);
    ring = malloc(sizeof(double) * row_len * (size_t)ky);
    if (ring == NULL)
        return -1;
    for (k = 0; k < ky - 1; k++)
        hor_row(x, y, w, (size_t)k, gx, kx, ow, ring + (size_t)k * row_len);
    for (r = 0; r < oh; r++) {
        const size_t newest = r + (size_t)ky - 1;
        hor_row(x, y, w, newest, gx, kx, ow, ring + (newest % (size_t)ky) * row_len);
        for (c = 0; c < ow; c++) {
            double mx, my, sxx, syy, sxy, cs;
            for (s = 0; s < 5; s++) {
                double acc = 0.0;
                for (k = 0; k < ky; k++)
                    acc += gy[k] * ring[((r + (size_t)k) % (size_t)ky) * row_len +
                                        (size_t)s * ow + c];
                col[s] = acc;
            }
            mx = col[0];
            my = col[1];
            sxx = col[2] - mx * mx;
            syy = col[3] - my * my;
            sxy = col[4] - mx * my;
            cs = (2.0 * sxy + c2) / (sxx + syy + c2);
            sum_cs += cs;
            sum_ssim += cs * (2.0 * mx * my + c1) / (mx * mx + my * my + c1);
        }
    }
    free(ring);
    *mean_ssim = sum_ssim / (double)(ow * oh);
    *mean_cs = sum_cs / (double)(ow * oh);
    return 0;
}

/* 2x2 average and subsample (msssim.m): out is ceil(w/2) x ceil(h/2). */
static void downsample2(const double *in, size_t w, size_t h, double *out)
{
    const size_t ow = (w + 1) / 2, oh = (h + 1) / 2;
    size_t r, c;
    for (r = 0; r < oh; r++) {
        const size_t r0 = 2 * r, r1 = 2 * r + 1 < h ? 2 * r + 1 : h - 1;
        for (c = 0; c < ow; c++) {
            const size_t c0 = 2 * c, c1 = 2 * c + 1 < w ? 2 * c + 1 : w - 1;
            out[r * ow + c] =
                0.25 * (in[r0 * w + c0] + in[r0 * w + c1] + in[r1 * w + c0] + in[r1 * w + c1]);
        }
    }
}

static double clamp0(double v)
{
    return v > 0.0 ? v : 0.0;
}

int metrics_compare(const imageio_image *ref, const imageio_image *test, metrics_result *out)
{
    size_t n, i, w, h;
    double *x = NULL, *y = NULL, *x2 = NULL, *y2 = NULL;
    double se = 0.0, se_y = 0.0, ssim1 = 0.0, cs, weight_sum = 0.0, ms = 1.0;
    int scales, j, rc = -1;

    if (ref == NULL || test == NULL || out == NULL || ref->pixels == NULL ||
        test->pixels == NULL || ref->width != test->width || ref->height != test->height ||
        ref->channels != test->channels || (ref->channels != 1 && ref->channels != 3) ||
        ref->width == 0 || ref->height == 0)
        return -1;
    w = ref->width;
    h = ref->height;
    n = w * h;
    for (i = 0; i < n * (size_t)ref->channels; i++) {
        const double d = (double)ref->pixels[i] - (double)test->pixels[i];
        se += d * d;
    }
    out->psnr_rgb = metrics_psnr_from_mse(se / (double)(n * (size_t)ref->channels));

    x = malloc(sizeof(double) * n);
    y = malloc(sizeof(double) * n);
    x2 = malloc(sizeof(double) * ((w + 1) / 2) * ((h + 1) / 2));
    y2 = malloc(sizeof(double) * ((w + 1) / 2) * ((h + 1) / 2));
    if (x == NULL || y == NULL || x2 == NULL || y2 == NULL)
        goto done;
    imageio_luma(ref, x);
    imageio_luma(test, y);
    for (i = 0; i < n; i++) {
        const double d = x[i] - y[i];
        se_y += d * d;
    }
    out->psnr_y = metrics_psnr_from_mse(se_y / (double)n);

    scales = metrics_ms_ssim_scales((unsigned)w, (unsigned)h);
    /* With all five scales the published weights are used as they are (they sum to
     * 1.0001); with fewer, the first ones are renormalized to sum 1. */
    for (j = 0; j < scales; j++)
        weight_sum += ms_ssim_weights[j];
    if (scales == MS_SSIM_SCALES)
        weight_sum = 1.0;
    for (j = 0; j < scales; j++) {
        double s;
        double *t;
        if (ssim_plane(x, y, w, h, &s, &cs) != 0)
            goto done;
        if (j == 0)
            ssim1 = s;
        if (j == scales - 1) {
            ms *= pow(clamp0(s), ms_ssim_weights[j] / weight_sum);
            break;
        }
        ms *= pow(clamp0(cs), ms_ssim_weights[j] / weight_sum);
        downsample2(x, w, h, x2);
        downsample2(y, w, h, y2);
        w = (w + 1) / 2;
        h = (h + 1) / 2;
        t = x; x = x2; x2 = t;   /* x2/y2 keep at least the size the next level needs */
        t = y; y = y2; y2 = t;
    }
    out->ssim = ssim1;
    out->ms_ssim = ms;
    rc = 0;
done:
    free(x);
    free(y);
    free(x2);
    free(y2);
    return rc;
}
