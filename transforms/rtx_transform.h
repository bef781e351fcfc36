/* 8x8 block transforms behind one interface.
 *
 * The codec never calls FFTW or a learned matrix directly: it holds a
 * recimg_transform and calls forward/inverse on batches of 8x8 blocks. A block
 * is 64 doubles in row-major order (sample [y*8 + x]); a transformed block is
 * 64 coefficients in row-major frequency order (coefficient [v*8 + u], u the
 * horizontal frequency). Transforms are orthonormal so that a squared error in
 * the coefficient domain equals the squared error in pixels, which is what lets
 * the codec pick steps and channel noise per band without a weighting.
 *
 * Determinism (DESIGN section 5): transform outputs only feed the encoder's
 * choice of coefficients and the decoder's pixels, never state shared between
 * encoder and decoder, so FFTW is allowed here. Plans use FFTW_ESTIMATE on
 * buffers the transform owns, so the same build computes the same numbers on
 * every run. */
#ifndef TRANSFORMS_RTX_TRANSFORM_H
#define TRANSFORMS_RTX_TRANSFORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Transform ids as stored in the .rec header (docs/FORMAT.md). 0 is never valid. */
enum {
    RTX_TRANSFORM_DCT8 = 1,         /* orthonormal 8x8 DCT-II (FFTW REDFT10/REDFT01) */
    /* learned-transform (issue 5): rtx_learned.h, docs/TRANSFORMS.md */
    RTX_TRANSFORM_LEARNED_KLT = 2,  /* built-in 64-point KLT (rtx_builtin_klt.c) */
    RTX_TRANSFORM_LEARNED_SEP = 3,  /* built-in separable 8-point KLT (rtx_builtin_sep.c) */
    RTX_TRANSFORM_EMBEDDED = 4,     /* matrix carried in the .rec file: rtx_embed_create(),
                                       not creatable from the id alone */
    RTX_TRANSFORM_LEARNED_RD = 5    /* built-in DCT refined by sparse-orthonormal-transform
                                       iterations (rtx_builtin_rd.c) */
    /* end learned-transform */
};

typedef struct recimg_transform recimg_transform;

/* A transform object. Not thread-safe: one object per thread (an encoder or
 * decoder object owns one). nblocks may be any count,
 * including 0; the implementation splits it into batches internally. in and out
 * may be the same pointer (in-place); otherwise they must not overlap. */
struct recimg_transform {
    uint32_t id;                      /* RTX_TRANSFORM_* as stored in files */
    const char *name;                 /* short human-readable name */
    void (*forward)(recimg_transform *t, const double *in, double *out, size_t nblocks);
    void (*inverse)(recimg_transform *t, const double *in, double *out, size_t nblocks);
    void (*destroy)(recimg_transform *t);
    void *impl;                       /* implementation state */
};

/* Creates the transform with the given id. Returns 0 and sets *out on success,
 * -1 on an unknown id (*out = NULL), -2 when memory or an FFTW plan could not
 * be obtained. Plan creation is not thread-safe in FFTW: create transform
 * objects from one thread at a time. */
int rtx_transform_create(uint32_t id, recimg_transform **out);

/* Directions a transform object provides (rtx_transform_create_dirs). */
enum {
    RTX_DIR_FORWARD = 1,
    RTX_DIR_INVERSE = 2,
    RTX_DIR_BOTH = 3
};

/* Like rtx_transform_create, but only the directions in dirs (RTX_DIR_FORWARD,
 * RTX_DIR_INVERSE or RTX_DIR_BOTH; anything else returns -1) are guaranteed:
 * the FFTW DCT then sets the other function pointer to NULL and makes only the
 * plans it needs (speed, issue 8: planning costs about 0.1 M instructions a
 * plan). Other transforms provide both directions whatever dirs says. */
int rtx_transform_create_dirs(uint32_t id, int dirs, recimg_transform **out);

/* Releases a transform; NULL is a no-op. */
void rtx_transform_destroy(recimg_transform *t);

/* 1 if id names a transform this build implements, else 0. */
int rtx_transform_id_supported(uint32_t id);

/* Creates the FFTW-backed orthonormal DCT-II; same return codes as
 * rtx_transform_create. */
int rtx_dct8_create(recimg_transform **out);
/* The same with only the directions in dirs (a valid RTX_DIR_* value; the
 * other function pointer is NULL). */
int rtx_dct8_create_dirs(int dirs, recimg_transform **out);

#ifdef __cplusplus
}
#endif
#endif
