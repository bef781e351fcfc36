/* tools/bdrate.c: Bjontegaard delta rate and delta quality (G. Bjontegaard, "Calculation of
 * average PSNR differences between RD-curves", VCEG-M33, 2001), the classic variant: a
 * least-squares cubic polynomial through each curve (exact when a curve has 4 points),
 * integrated over the overlap of the two curves' ranges. The fit is done on an abscissa
 * centred and scaled to [-1, 1] so the 4x4 normal equations stay well conditioned.
 */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>

struct cubic {
    double c[4];          /* value = c0 + c1 t + c2 t^2 + c3 t^3, t = (u - centre) / scale */
    double centre, scale;
    double lo, hi;        /* range of the abscissa u covered by the points */
};

/* Solves the 4x4 system a x = b by Gaussian elimination with partial pivoting. */
static int solve4(double a[4][4], double b[4], double x[4])
{
    int i, j, k;
    for (i = 0; i < 4; i++) {
        int p = i;
        for (j = i + 1; j < 4; j++)
            if (fabs(a[j][i]) > fabs(a[p][i]))
                p = j;
        if (!(fabs(a[p][i]) > 1e-12))
            return -1;
        if (p != i) {
            for (k = 0; k < 4; k++) {
                const double t = a[i][k];
                a[i][k] = a[p][k];
                a[p][k] = t;
            }
            {
                const double t = b[i];
                b[i] = b[p];
                b[p] = t;
            }
        }
        for (j = i + 1; j < 4; j++) {
            const double f = a[j][i] / a[i][i];
            for (k = i; k < 4; k++)
                a[j][k] -= f * a[i][k];
            b[j] -= f * b[i];
        }
    }
    for (i = 3; i >= 0; i--) {
        double s = b[i];
        for (k = i + 1; k < 4; k++)
            s -= a[i][k] * x[k];
        x[i] = s / a[i][i];
    }
    return 0;
}

/* Least-squares cubic v(u) through n points. -1 if fewer than 4 distinct abscissae or
 * non-finite values. */
static int fit_cubic(const double *u, const double *v, size_t n, struct cubic *f)
{
    double a[4][4] = {{0}}, b[4] = {0};
    size_t i, distinct = 0, j;
    int r, c;

    if (n < 4)
        return -1;
    f->lo = f->hi = u[0];
    for (i = 0; i < n; i++) {
        if (!isfinite(u[i]) || !isfinite(v[i]))
            return -1;
        if (u[i] < f->lo)
            f->lo = u[i];
        if (u[i] > f->hi)
            f->hi = u[i];
        for (j = 0; j < i; j++)
            if (u[j] == u[i])
                break;
        if (j == i)
            distinct++;
    }
    if (distinct < 4)
        return -1;
    f->centre = 0.5 * (f->lo + f->hi);
    f->scale = 0.5 * (f->hi - f->lo);
    for (i = 0; i < n; i++) {
        const double t = (u[i] - f->centre) / f->scale;
        double pw[7];
        pw[0] = 1.0;
        for (r = 1; r < 7; r++)
            pw[r] = pw[r - 1] * t;
        for (r = 0; r < 4; r++) {
            for (c = 0; c < 4; c++)
                a[r][c] += pw[r + c];
            b[r] += pw[r] * v[i];
        }
    }
    return solve4(a, b, f->c);
}

/* Mean of the fitted cubic over u in [lo, hi]. */
static double cubic_mean(const struct cubic *f, double lo, double hi)
{
    const double ta = (lo - f->centre) / f->scale, tb = (hi - f->centre) / f->scale;
    double ia = 0.0, ib = 0.0;
    int k;
    for (k = 3; k >= 0; k--) {   /* antiderivative: sum of c_k t^(k+1) / (k+1) */
        ia += f->c[k] * pow(ta, k + 1) / (k + 1);
        ib += f->c[k] * pow(tb, k + 1) / (k + 1);
    }
    return (ib - ia) / (tb - ta);
}

/* Fits v(u) for both curves and returns mean(v_b) - mean(v_a) over the common u range. */
static int bd_delta(const double *u_a, const double *v_a, size_t n_a, const double *u_b,
                    const double *v_b, size_t n_b, double *delta)
{
    struct cubic fa, fb;
    double lo, hi;
    if (fit_cubic(u_a, v_a, n_a, &fa) != 0 || fit_cubic(u_b, v_b, n_b, &fb) != 0)
        return -1;
    lo = fa.lo > fb.lo ? fa.lo : fb.lo;
    hi = fa.hi < fb.hi ? fa.hi : fb.hi;
    if (!(hi > lo))
        return -1;
    *delta = cubic_mean(&fb, lo, hi) - cubic_mean(&fa, lo, hi);
    return 0;
}

/* 1 if quality rises strictly with rate (the curve is invertible, as the method assumes;
 * a saturating or noisy curve makes the cubic of ln(rate) in quality explode). */
static int monotone(const double *rate, const double *quality, size_t n)
{
    size_t i, j;
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            if (rate[i] < rate[j] && !(quality[i] < quality[j]))
                return 0;
    return 1;
}

/* ln of each rate in a malloc'd array; NULL if a rate is not positive and finite. */
static double *log_rates(const double *rate, size_t n)
{
    double *l;
    size_t i;
    if (rate == NULL || n == 0)
        return NULL;
    l = malloc(sizeof(double) * n);
    if (l == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        if (!(rate[i] > 0.0) || !isfinite(rate[i])) {
            free(l);
            return NULL;
        }
        l[i] = log(rate[i]);
    }
    return l;
}

int metrics_bd_rate(const double *rate_a, const double *quality_a, size_t n_a,
                    const double *rate_b, const double *quality_b, size_t n_b,
                    double *percent)
{
    double *la, *lb, d;
    int rc = -1;
    if (quality_a == NULL || quality_b == NULL || percent == NULL || rate_a == NULL ||
        rate_b == NULL || !monotone(rate_a, quality_a, n_a) || !monotone(rate_b, quality_b, n_b))
        return -1;
    la = log_rates(rate_a, n_a);
    lb = log_rates(rate_b, n_b);
    if (la != NULL && lb != NULL && bd_delta(quality_a, la, n_a, quality_b, lb, n_b, &d) == 0) {
        *percent = 100.0 * expm1(d);
        rc = 0;
    }
    free(la);
    free(lb);
    return rc;
}

int metrics_bd_quality(const double *rate_a, const double *quality_a, size_t n_a,
                       const double *rate_b, const double *quality_b, size_t n_b,
                       double *delta)
{
    double *la, *lb;
    int rc = -1;
    if (quality_a == NULL || quality_b == NULL || delta == NULL || rate_a == NULL ||
        rate_b == NULL || !monotone(rate_a, quality_a, n_a) || !monotone(rate_b, quality_b, n_b))
        return -1;
    la = log_rates(rate_a, n_a);
    lb = log_rates(rate_b, n_b);
    if (la != NULL && lb != NULL && bd_delta(la, quality_a, n_a, lb, quality_b, n_b, delta) == 0)
        rc = 0;
    free(la);
    free(lb);
    return rc;
}
