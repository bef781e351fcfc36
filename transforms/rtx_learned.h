/* Learned orthonormal 8x8 block transforms (issue 5): a full 64x64 matrix (a
 * KLT of 8x8 patches) or a separable pair of 8x8 matrices (an 8-point KLT of
 * columns and one of rows), behind the recimg_transform interface of
 * rtx_transform.h, plus the built-in transforms trained on the TRAIN split of
 * testimages/ and the compact 16-bit form a .rec file embeds
 * (docs/TRANSFORMS.md).
 *
 * Coefficient layout. A transformed block is still 64 coefficients indexed by
 * a raster position k = v*8 + u, because the codec's context model predicts a
 * band's scale from the same band in neighbouring blocks and from the in-block
 * neighbours (u-1, v) and (u, v-1), and codes bands in zigzag order:
 *   - full: row k of the matrix is the basis vector of position k; the trainer
 *     puts the basis vector with the i-th largest variance at zigzag position i,
 *     so position 0 is the DC-like vector and variance falls along the coding
 *     order, as it does for the DCT;
 *   - separable: coefficient (u, v) = sum_{y,x} V[v][y] H[u][x] X[y][x], with V
 *     the vertical and H the horizontal 8-point basis (rows by decreasing
 *     variance), so (u, v) keep their meaning of horizontal/vertical order.
 *
 * Determinism: like the DCT, these transforms only produce the encoder's
 * coefficients and the decoder's pixels (DESIGN section 5). The products are
 * plain C loops in a fixed order, so one build gives identical numbers on every
 * run and thread count. */
#ifndef TRANSFORMS_RTX_LEARNED_H
#define TRANSFORMS_RTX_LEARNED_H

#include "rtx_transform.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    RTX_KIND_FULL = 1,       /* one 64x64 matrix A: y = A x */
    RTX_KIND_SEPARABLE = 2   /* vertical V (8x8) then horizontal H (8x8): Y = V X H^T */
} rtx_kind;

/* Number of matrix entries stored for a kind: 4096 (full), 128 (separable:
 * V's 64 entries, row-major, then H's 64); 0 for an unknown kind. */
size_t rtx_kind_entries(rtx_kind kind);

/* A learned transform's matrices. m holds rtx_kind_entries(kind) doubles,
 * row-major; each row is one basis vector over the block's pixels (full: pixel
 * index y*8 + x; separable: the 8 samples of a column (V) or a row (H)). */
typedef struct {
    rtx_kind kind;
    double m[64 * 64];
} rtx_matrix;

/* Largest |(A A^T - I)_ij| over the matrix (separable: over V and H); the
 * orthonormality defect. Returns a huge value for an unknown kind or a
 * non-finite entry. */
double rtx_matrix_orthonormality_error(const rtx_matrix *m);

/* Replaces the rows of each matrix by their modified Gram-Schmidt
 * orthonormalisation (rows processed in order 0, 1, ...). Returns 0, or -1 when
 * a row becomes (numerically) dependent on the previous ones. Used on matrices
 * read back from 16-bit fixed point so that the inverse (the transpose) is an
 * exact inverse to double precision. */
int rtx_matrix_orthonormalize(rtx_matrix *m);

/* Creates a recimg_transform computing y = A x (forward) and x = A^T y
 * (inverse) with the given matrix (copied), storing id and name (a static
 * string) in the object. Returns 0, -1 on an invalid kind, -2 on out of
 * memory; *out is NULL on failure. The matrix should be orthonormal (the
 * inverse is the transpose); this function does not check it. */
int rtx_matrix_transform_create(const rtx_matrix *m, uint32_t id, const char *name,
                                recimg_transform **out);

/* Built-in learned transforms (RTX_TRANSFORM_LEARNED_KLT, _LEARNED_SEP, _LEARNED_RD).
 * rtx_learned_id_supported returns 1 for those ids; rtx_learned_create has the
 * return codes of rtx_transform_create. rtx_learned_builtin_matrix copies the
 * matrix of a built-in id into *out and returns 0 (-1 for other ids). */
int rtx_learned_id_supported(uint32_t id);
int rtx_learned_create(uint32_t id, recimg_transform **out);
int rtx_learned_builtin_matrix(uint32_t id, rtx_matrix *out);

/* Generated data (transforms/rtx_builtin_klt.c, rtx_builtin_sep.c, rtx_builtin_rd.c), written by
 * `recimg train-transform ... --emit-c`: the entries (4096, 128, 4096), row-major as in
 * rtx_matrix. Functions rather than global arrays, so that a program linking these
 * objects twice (a test linking the object library and the shared library) has no
 * duplicate global data (AddressSanitizer's ODR check). */
const double *rtx_builtin_klt_entries(void);
const double *rtx_builtin_sep_entries(void);
const double *rtx_builtin_rd_entries(void);

#ifdef __cplusplus
}
#endif
#endif
