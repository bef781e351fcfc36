/* tools/metrics.h: full-reference quality and realism measures for the recimg tools, and
 * the Bjontegaard BD-rate between rate-distortion curves. Formulas, constants and the
 * handling of small images are written out in docs/METRICS.md. Tools-only: nothing here
 * is on the codec's encode/decode path, so libm is used freely.
 *
 * All functions are thread-safe and allocate only temporary memory.
 */
#ifndef RECIMG_TOOLS_METRICS_H
#define RECIMG_TOOLS_METRICS_H

#include <stddef.h>

#include "imageio.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    double psnr_rgb;   /* dB over all samples of all channels; +INFINITY when identical */
    double psnr_y;     /* dB over luma Y = .299R + .587G + .114B (unrounded); +INFINITY if equal */
    double ssim;       /* SSIM of Y: Gaussian 11x11 window, sigma 1.5, K1 .01, K2 .03, L 255 */
    double ms_ssim;    /* MS-SSIM of Y, 5 scales, weights .0448 .2856 .3001 .2363 .1333 */
} metrics_result;

/* Computes PSNR (RGB and Y), SSIM and MS-SSIM of test against ref. The images must have
 * the same width, height and channel count (1 or 3). Returns 0, or -1 on mismatched or
 * invalid images or out of memory (then *out is unspecified). */
int metrics_compare(const imageio_image *ref, const imageio_image *test, metrics_result *out);

/* Number of MS-SSIM scales used for a width x height image: 5 when the smallest scale
 * is still at least 11 pixels on each side (both sides >= 176), fewer for smaller images,
 * and at least 1 (docs/METRICS.md, "Small images"). */
int metrics_ms_ssim_scales(unsigned width, unsigned height);

/* PSNR in dB for a mean squared error on 8-bit samples: 10 log10(255^2 / mse);
 * +INFINITY for mse == 0. */
double metrics_psnr_from_mse(double mse);

/* ---- Realism measures (issue 6; docs/METRICS.md "Realism measures") ----------------- */

#define METRICS_SWD_MAX_LEVELS 4

typedef struct {
    /* (a) mean over the 64 bands of the 8x8 DCT of Y of W1(band of test, band of ref)
     * divided by max(std of the ref band, 1). 0 for identical images. */
    double dct_w1;
    /* (b) sliced Wasserstein distance between 7x7 patch descriptors at the levels of a
     * Laplacian pyramid, patches taken at the same positions in both images; swd is the
     * mean over the levels used. 0 for identical images. */
    double swd;
    double swd_level[METRICS_SWD_MAX_LEVELS];
    int swd_levels;    /* number of pyramid levels used (1..METRICS_SWD_MAX_LEVELS) */
} metrics_realism_result;

/* Computes the realism measures of test against ref (same size and channels). The
 * random patch positions and projection directions come from a fixed seed, so results
 * are reproducible. Returns 0, or -1 on mismatched images or out of memory. */
int metrics_realism(const imageio_image *ref, const imageio_image *test,
                    metrics_realism_result *out);

/* The per-band terms of dct_w1 (a diagnostic; bench/band_w1.c): for each band k = v*8 + u
 * of the 8x8 DCT of luma, w1[k] = W1_k / max(std of the ref band, 1), so dct_w1 is the mean
 * of w1, and sd_ratio[k] = std of the test band / max(std of the ref band, 1) (below 1: the
 * test band carries less energy than the reference's). Returns 0, or -1 on NULL arguments,
 * mismatched images or out of memory. */
int metrics_dct_w1_bands(const imageio_image *ref, const imageio_image *test,
                         double w1[64], double sd_ratio[64]);

/* ---- Bjontegaard delta rate ---------------------------------------------------------- */

/* BD-rate of curve B (the tested codec) against curve A (the anchor), in percent:
 * negative means B needs fewer bits for the same quality. Each curve is given as n >= 4
 * points (rate > 0, quality), in any order; quality is PSNR in dB or any quality in which
 * the curves are roughly cubic in log-rate (e.g. MS-SSIM in dB, -10 log10(1 - ms_ssim)).
 * Method (Bjontegaard, VCEG-M33): least-squares cubic fit of ln(rate) as a function of
 * quality for each curve, both integrated over the overlap of their quality ranges;
 * BD-rate = 100 * (exp(mean difference) - 1). Returns 0, or -1 when a curve has fewer than
 * 4 points, a rate <= 0 or a non-finite value, fewer than 4 distinct qualities, quality that
 * does not rise strictly with rate (the method assumes an invertible curve; equal points,
 * e.g. a codec clamped at its lowest quality, are allowed), or the quality ranges do not
 * overlap. */
int metrics_bd_rate(const double *rate_a, const double *quality_a, size_t n_a,
                    const double *rate_b, const double *quality_b, size_t n_b,
                    double *percent);

/* BD-PSNR (the quality difference at equal rate) of B against A, in quality units:
 * cubic fits of quality as a function of ln(rate), integrated over the overlap of the
 * log-rate ranges. Positive means B is better. Same conditions as metrics_bd_rate. */
int metrics_bd_quality(const double *rate_a, const double *quality_a, size_t n_a,
                       const double *rate_b, const double *quality_b, size_t n_b,
                       double *delta);

#ifdef __cplusplus
}
#endif

#endif /* RECIMG_TOOLS_METRICS_H */
