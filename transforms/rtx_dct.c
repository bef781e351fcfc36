/* Orthonormal 8x8 DCT-II and its inverse (DCT-III) through FFTW.
 *
 * FFTW's REDFT10 computes the unnormalized DCT-II Y_k = 2 sum_n x_n cos(pi (n+1/2) k / N)
 * and REDFT01 the unnormalized DCT-III x_n = Y_0 + 2 sum_{k>=1} Y_k cos(pi (n+1/2) k / N).
 * The orthonormal pair is X_k = c_k Y_k / sqrt(2N) with c_0 = 1/sqrt(2), c_k = 1, and
 * its inverse feeds REDFT01 with X_0 / sqrt(N) and X_k / sqrt(2N); the 2-D transforms
 * apply those factors per axis. One plan per direction, batched over BATCH blocks with
 * fftw_plan_many_r2r (rank 2, 8x8, distance 64), FFTW_ESTIMATE, on fftw_malloc'd buffers
 * owned by the object, created once when the object is created. */
#include "rtx_transform.h"
#include "rtx_learned.h"   /* learned-transform (issue 5): built-in learned ids */

#include <fftw3.h>
#if defined(__SSE2__) && !defined(RECIMG_NO_SIMD)
#include <emmintrin.h>
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { BATCH = 256 };

typedef struct {
    fftw_plan fwd, inv;
    double *buf_in, *buf_out;       /* BATCH * 64 doubles each, fftw_malloc'd */
    _Alignas(16) double scale_fwd[64];   /* per-coefficient orthonormalisation factors */
    _Alignas(16) double scale_inv[64];
} dct_state;

/* FFTW may apply a plan to other arrays than it was planned on (fftw_execute_r2r)
 * when their alignment is equivalent (fftw_alignment_of); it then runs the same
 * codelets, so the results are bit-identical. For full batches the caller's arrays
 * take the place of the object's input buffer (forward) or output buffer (inverse),
 * which saves a copy of every coefficient (speed, issue 8); the last partial batch
 * and misaligned arrays go through the buffers. r2r plans preserve their input
 * (FFTW's default for r2r), so the forward transform only reads the caller's input
 * before the scaled result is written over it (the codec transforms in place). */
static int same_alignment(const double *a, const double *planned)
{
    return fftw_alignment_of((double *)(uintptr_t)a) == fftw_alignment_of((double *)(uintptr_t)planned);
}

/* out[b * 64 + k] = in[b * 64 + k] * scale[k] for n blocks: one product per
 * coefficient. Speed (issue 8): the SSE2 form multiplies two coefficients per
 * instruction, lane for lane the scalar product (the same bits), with the block
 * loop unrolled; the scalar loop is the reference and the -DRECIMG_NO_SIMD twin. */
static void scale_blocks(const double *restrict in, const double *restrict scale, double *restrict out,
                         size_t n)
{
    for (size_t b = 0; b < n; b++, in += 64, out += 64) {
#if defined(__SSE2__) && !defined(RECIMG_NO_SIMD)
        for (int k = 0; k < 64; k += 8) {
            _mm_storeu_pd(out + k, _mm_mul_pd(_mm_loadu_pd(in + k), _mm_load_pd(scale + k)));
            _mm_storeu_pd(out + k + 2, _mm_mul_pd(_mm_loadu_pd(in + k + 2), _mm_load_pd(scale + k + 2)));
            _mm_storeu_pd(out + k + 4, _mm_mul_pd(_mm_loadu_pd(in + k + 4), _mm_load_pd(scale + k + 4)));
            _mm_storeu_pd(out + k + 6, _mm_mul_pd(_mm_loadu_pd(in + k + 6), _mm_load_pd(scale + k + 6)));
        }
#else
        for (int k = 0; k < 64; k++)
            out[k] = in[k] * scale[k];
#endif
    }
}

static void dct_forward(recimg_transform *t, const double *in, double *out, size_t nblocks)
{
    dct_state *s = (dct_state *)t->impl;
    while (nblocks > 0) {
        const size_t n = nblocks < BATCH ? nblocks : BATCH;
        if (n == BATCH && same_alignment(in, s->buf_in)) {
            fftw_execute_r2r(s->fwd, (double *)(uintptr_t)in, s->buf_out);
        } else {
            memcpy(s->buf_in, in, n * 64 * sizeof(double));
            if (n < BATCH)  /* keep unused blocks defined; their output is discarded */
                memset(s->buf_in + n * 64, 0, (BATCH - n) * 64 * sizeof(double));
            fftw_execute(s->fwd);
        }
        scale_blocks(s->buf_out, s->scale_fwd, out, n);
        in += n * 64;
        out += n * 64;
        nblocks -= n;
    }
}

static void dct_inverse(recimg_transform *t, const double *in, double *out, size_t nblocks)
{
    dct_state *s = (dct_state *)t->impl;
    while (nblocks > 0) {
        const size_t n = nblocks < BATCH ? nblocks : BATCH;
        scale_blocks(in, s->scale_inv, s->buf_in, n);
        if (n < BATCH)
            memset(s->buf_in + n * 64, 0, (BATCH - n) * 64 * sizeof(double));
        if (n == BATCH && same_alignment(out, s->buf_out)) {
            fftw_execute_r2r(s->inv, s->buf_in, out);
        } else {
            fftw_execute(s->inv);
            memcpy(out, s->buf_out, n * 64 * sizeof(double));
        }
        in += n * 64;
        out += n * 64;
        nblocks -= n;
    }
}

static void dct_destroy(recimg_transform *t)
{
    dct_state *s = (dct_state *)t->impl;
    if (s) {
        if (s->fwd) fftw_destroy_plan(s->fwd);
        if (s->inv) fftw_destroy_plan(s->inv);
        fftw_free(s->buf_in);
        fftw_free(s->buf_out);
        free(s);
    }
    free(t);
}

int rtx_dct8_create(recimg_transform **out)
{
    return rtx_dct8_create_dirs(RTX_DIR_BOTH, out);
}

int rtx_dct8_create_dirs(int dirs, recimg_transform **out)
{
    /* 1/sqrt(16) = 0.25 and 1/sqrt(8) are the per-axis factors; sqrt(1/2) is c_0. */
    static const double inv_sqrt8 = 0.35355339059327376220;   /* 1/sqrt(8)  */
    static const double inv_sqrt16 = 0.25;                    /* 1/sqrt(16) */
    static const double c0 = 0.70710678118654752440;          /* 1/sqrt(2)  */
    const int n[2] = {8, 8};
    const fftw_r2r_kind kf[2] = {FFTW_REDFT10, FFTW_REDFT10};
    const fftw_r2r_kind ki[2] = {FFTW_REDFT01, FFTW_REDFT01};
    recimg_transform *t;
    dct_state *s;

    *out = NULL;
    if (dirs < RTX_DIR_FORWARD || dirs > RTX_DIR_BOTH)
        return -1;
    t = (recimg_transform *)calloc(1, sizeof *t);
    s = (dct_state *)calloc(1, sizeof *s);
    if (!t || !s) {
        free(t);
        free(s);
        return -2;
    }
    t->id = RTX_TRANSFORM_DCT8;
    t->name = "dct8";
    t->forward = (dirs & RTX_DIR_FORWARD) ? dct_forward : NULL;
    t->inverse = (dirs & RTX_DIR_INVERSE) ? dct_inverse : NULL;
    t->destroy = dct_destroy;
    t->impl = s;
    s->buf_in = (double *)fftw_malloc(BATCH * 64 * sizeof(double));
    s->buf_out = (double *)fftw_malloc(BATCH * 64 * sizeof(double));
    if (!s->buf_in || !s->buf_out) {
        dct_destroy(t);
        return -2;
    }
    /* only the plans asked for (speed, issue 8: a plan costs about 0.1 M instructions
       even when FFTW's planner is already set up, and the codec's encoder only
       transforms forward, its decoder only backward) */
    if (dirs & RTX_DIR_FORWARD)
        s->fwd = fftw_plan_many_r2r(2, n, BATCH, s->buf_in, NULL, 1, 64, s->buf_out, NULL, 1, 64,
                                    kf, FFTW_ESTIMATE);
    if (dirs & RTX_DIR_INVERSE)
        s->inv = fftw_plan_many_r2r(2, n, BATCH, s->buf_in, NULL, 1, 64, s->buf_out, NULL, 1, 64,
                                    ki, FFTW_ESTIMATE);
    if (((dirs & RTX_DIR_FORWARD) && !s->fwd) || ((dirs & RTX_DIR_INVERSE) && !s->inv)) {
        dct_destroy(t);
        return -2;
    }
    for (int v = 0; v < 8; v++) {
        for (int u = 0; u < 8; u++) {
            const double fu = (u == 0 ? c0 : 1.0) * inv_sqrt16;
            const double fv = (v == 0 ? c0 : 1.0) * inv_sqrt16;
            const double iu = u == 0 ? inv_sqrt8 : inv_sqrt16;
            const double iv = v == 0 ? inv_sqrt8 : inv_sqrt16;
            s->scale_fwd[v * 8 + u] = fu * fv;
            s->scale_inv[v * 8 + u] = iu * iv;
        }
    }
    *out = t;
    return 0;
}

int rtx_transform_id_supported(uint32_t id)
{
    return id == RTX_TRANSFORM_DCT8 || rtx_learned_id_supported(id);   /* learned-transform */
}

int rtx_transform_create(uint32_t id, recimg_transform **out)
{
    return rtx_transform_create_dirs(id, RTX_DIR_BOTH, out);
}

int rtx_transform_create_dirs(uint32_t id, int dirs, recimg_transform **out)
{
    *out = NULL;
    if (dirs < RTX_DIR_FORWARD || dirs > RTX_DIR_BOTH)
        return -1;
    if (id == RTX_TRANSFORM_DCT8)
        return rtx_dct8_create_dirs(dirs, out);
    if (rtx_learned_id_supported(id))   /* learned-transform (issue 5) */
        return rtx_learned_create(id, out);
    return -1;
}

void rtx_transform_destroy(recimg_transform *t)
{
    if (t)
        t->destroy(t);
}
