/* Learned orthonormal block transforms: matrix products in plain C.
 *
 * A learned transform is a fixed orthonormal matrix, so the forward map is a
 * matrix-vector product per block and the inverse is the product with the
 * transpose. Full (64x64): 4096 multiply-adds per block; separable (two 8x8):
 * 1024. Both are small next to the coefficient coding, so no BLAS: the loops
 * below run in one fixed order, which keeps the results identical from run to
 * run (they never feed shared encoder/decoder state, DESIGN section 5, but
 * golden decoder MD5s rely on a fixed order within one build).
 *
 * The built-in matrices come from `recimg train-transform --emit-c`
 * (rtx_builtin_klt.c, rtx_builtin_sep.c; the training command is recorded in
 * those files and in docs/TRANSFORMS.md). */
#include "rtx_learned.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    rtx_matrix mat;
} learned_state;

size_t rtx_kind_entries(rtx_kind kind)
{
    switch (kind) {
    case RTX_KIND_FULL: return 64 * 64;
    case RTX_KIND_SEPARABLE: return 2 * 8 * 8;
    }
    return 0;
}

/* max |(A A^T - I)_ij| for one n x n row-major matrix. */
static double square_defect(const double *a, int n)
{
    double worst = 0.0;
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            double s = 0.0, d;
            for (int k = 0; k < n; k++)
                s += a[i * n + k] * a[j * n + k];
            d = fabs(s - (i == j ? 1.0 : 0.0));
            if (!(d <= worst))   /* also catches NaN */
                worst = isnan(d) ? HUGE_VAL : d;
        }
    }
    return worst;
}

double rtx_matrix_orthonormality_error(const rtx_matrix *m)
{
    if (m->kind == RTX_KIND_FULL)
        return square_defect(m->m, 64);
    if (m->kind == RTX_KIND_SEPARABLE) {
        const double a = square_defect(m->m, 8), b = square_defect(m->m + 64, 8);
        return a > b ? a : b;
    }
    return HUGE_VAL;
}

/* Modified Gram-Schmidt on the rows of one n x n matrix. */
static int mgs_rows(double *a, int n)
{
    for (int i = 0; i < n; i++) {
        double *r = a + i * n, norm = 0.0;
        for (int j = 0; j < i; j++) {
            const double *q = a + j * n;
            double d = 0.0;
            for (int k = 0; k < n; k++)
                d += r[k] * q[k];
            for (int k = 0; k < n; k++)
                r[k] -= d * q[k];
        }
        for (int k = 0; k < n; k++)
            norm += r[k] * r[k];
        norm = sqrt(norm);
        if (!(norm > 0.5))   /* rows of a near-orthonormal matrix keep a norm near 1 */
            return -1;
        for (int k = 0; k < n; k++)
            r[k] /= norm;
    }
    return 0;
}

int rtx_matrix_orthonormalize(rtx_matrix *m)
{
    if (m->kind == RTX_KIND_FULL)
        return mgs_rows(m->m, 64);
    if (m->kind == RTX_KIND_SEPARABLE)
        return mgs_rows(m->m, 8) != 0 || mgs_rows(m->m + 64, 8) != 0 ? -1 : 0;
    return -1;
}

static void full_forward(recimg_transform *t, const double *in, double *out, size_t nblocks)
{
    const double *a = ((const learned_state *)t->impl)->mat.m;
    for (size_t b = 0; b < nblocks; b++) {
        double x[64];
        memcpy(x, in + b * 64, sizeof x);   /* in and out may alias */
        for (int k = 0; k < 64; k++) {
            const double *row = a + k * 64;
            double s = 0.0;
            for (int j = 0; j < 64; j++)
                s += row[j] * x[j];
            out[b * 64 + (size_t)k] = s;
        }
    }
}

static void full_inverse(recimg_transform *t, const double *in, double *out, size_t nblocks)
{
    const double *a = ((const learned_state *)t->impl)->mat.m;
    for (size_t b = 0; b < nblocks; b++) {
        double y[64], x[64];
        memcpy(y, in + b * 64, sizeof y);
        memset(x, 0, sizeof x);
        /* x = A^T y, accumulated row by row so the matrix is read in order. */
        for (int k = 0; k < 64; k++) {
            const double *row = a + k * 64;
            const double c = y[k];
            for (int j = 0; j < 64; j++)
                x[j] += row[j] * c;
        }
        memcpy(out + b * 64, x, sizeof x);
    }
}

static void sep_forward(recimg_transform *t, const double *in, double *out, size_t nblocks)
{
    const double *vm = ((const learned_state *)t->impl)->mat.m, *hm = vm + 64;
    for (size_t b = 0; b < nblocks; b++) {
        double x[64], tmp[64];
        memcpy(x, in + b * 64, sizeof x);
        /* tmp[v][x] = sum_y V[v][y] X[y][x] (columns) */
        for (int v = 0; v < 8; v++)
            for (int c = 0; c < 8; c++) {
                double s = 0.0;
                for (int y = 0; y < 8; y++)
                    s += vm[v * 8 + y] * x[y * 8 + c];
                tmp[v * 8 + c] = s;
            }
        /* Y[v][u] = sum_x H[u][x] tmp[v][x] (rows) */
        for (int v = 0; v < 8; v++)
            for (int u = 0; u < 8; u++) {
                double s = 0.0;
                for (int c = 0; c < 8; c++)
                    s += hm[u * 8 + c] * tmp[v * 8 + c];
                out[b * 64 + (size_t)(v * 8 + u)] = s;
            }
    }
}

static void sep_inverse(recimg_transform *t, const double *in, double *out, size_t nblocks)
{
    const double *vm = ((const learned_state *)t->impl)->mat.m, *hm = vm + 64;
    for (size_t b = 0; b < nblocks; b++) {
        double y[64], tmp[64];
        memcpy(y, in + b * 64, sizeof y);
        /* tmp[v][x] = sum_u H[u][x] Y[v][u] */
        for (int v = 0; v < 8; v++)
            for (int c = 0; c < 8; c++) {
                double s = 0.0;
                for (int u = 0; u < 8; u++)
                    s += hm[u * 8 + c] * y[v * 8 + u];
                tmp[v * 8 + c] = s;
            }
        /* X[y][x] = sum_v V[v][y] tmp[v][x] */
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++) {
                double s = 0.0;
                for (int v = 0; v < 8; v++)
                    s += vm[v * 8 + r] * tmp[v * 8 + c];
                out[b * 64 + (size_t)(r * 8 + c)] = s;
            }
    }
}

static void learned_destroy(recimg_transform *t)
{
    free(t->impl);
    free(t);
}

int rtx_matrix_transform_create(const rtx_matrix *m, uint32_t id, const char *name,
                                recimg_transform **out)
{
    recimg_transform *t;
    learned_state *s;

    *out = NULL;
    if (m->kind != RTX_KIND_FULL && m->kind != RTX_KIND_SEPARABLE)
        return -1;
    t = (recimg_transform *)calloc(1, sizeof *t);
    s = (learned_state *)calloc(1, sizeof *s);
    if (!t || !s) {
        free(t);
        free(s);
        return -2;
    }
    s->mat.kind = m->kind;
    memcpy(s->mat.m, m->m, rtx_kind_entries(m->kind) * sizeof(double));
    t->id = id;
    t->name = name;
    t->forward = m->kind == RTX_KIND_FULL ? full_forward : sep_forward;
    t->inverse = m->kind == RTX_KIND_FULL ? full_inverse : sep_inverse;
    t->destroy = learned_destroy;
    t->impl = s;
    *out = t;
    return 0;
}

int rtx_learned_id_supported(uint32_t id)
{
    return id == RTX_TRANSFORM_LEARNED_KLT || id == RTX_TRANSFORM_LEARNED_SEP ||
           id == RTX_TRANSFORM_LEARNED_RD;
}

int rtx_learned_builtin_matrix(uint32_t id, rtx_matrix *out)
{
    memset(out, 0, sizeof *out);
    if (id == RTX_TRANSFORM_LEARNED_KLT) {
        out->kind = RTX_KIND_FULL;
        memcpy(out->m, rtx_builtin_klt_entries(), 4096 * sizeof(double));
        return 0;
    }
    if (id == RTX_TRANSFORM_LEARNED_RD) {
        out->kind = RTX_KIND_FULL;
        memcpy(out->m, rtx_builtin_rd_entries(), 4096 * sizeof(double));
        return 0;
    }
    if (id == RTX_TRANSFORM_LEARNED_SEP) {
        out->kind = RTX_KIND_SEPARABLE;
        memcpy(out->m, rtx_builtin_sep_entries(), 128 * sizeof(double));
        return 0;
    }
    return -1;
}

int rtx_learned_create(uint32_t id, recimg_transform **out)
{
    rtx_matrix *m;
    int rc;

    *out = NULL;
    if (!rtx_learned_id_supported(id))
        return -1;
    m = (rtx_matrix *)malloc(sizeof *m);
    if (!m)
        return -2;
    rtx_learned_builtin_matrix(id, m);
    rc = rtx_matrix_transform_create(m, id, id == RTX_TRANSFORM_LEARNED_KLT ? "learned-klt"
                                          : id == RTX_TRANSFORM_LEARNED_RD ? "learned-rd" : "learned-sep",
                                     out);
    free(m);
    return rc;
}
