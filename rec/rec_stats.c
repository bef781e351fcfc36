/* rec/rec_stats.c - KS statistic, moments, KL and D_CS for Gaussians.
 * Study and test code only: uses libm freely (never on a shared path). */
#include "rec_stats.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double rec_stats_ks_uniform(double *u, size_t n)
{
    size_t i;
    double d = 0;
    if (n == 0)
        return 0;
    qsort(u, n, sizeof(double), cmp_double);
    for (i = 0; i < n; i++) {
        const double lo = u[i] - (double)i / (double)n;
        const double hi = (double)(i + 1) / (double)n - u[i];
        if (lo > d)
            d = lo;
        if (hi > d)
            d = hi;
    }
    return sqrt((double)n) * d;
}

double rec_stats_median(double *v, size_t n)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(double), cmp_double);
    return (n & 1) ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void rec_moments_init(rec_moments *m)
{
    m->n = m->mean = m->m2 = 0;
}

void rec_moments_add(rec_moments *m, double x)
{
    const double d = x - m->mean;
    m->n += 1;
    m->mean += d / m->n;
    m->m2 += d * (x - m->mean);
}

double rec_moments_var(const rec_moments *m)
{
    return m->n > 1 ? m->m2 / (m->n - 1) : 0;
}

double rec_stats_kl_gauss_bits(double mu, double s)
{
    return (-log(s) + 0.5 * (s * s + mu * mu - 1.0)) / log(2.0);
}

/* w_P(h) for h in (0, M]: P-mass of the interval x* +- Delta where
 * log r(x) = Dinf - a (x - x*)^2 >= log h. */
static double w_p(double h, double dinf, double a, double xs)
{
    const double t = dinf - log(h);
    double delta;
    if (t <= 0)
        return 0;
    delta = sqrt(t / a);
    return 0.5 * (erfc((xs - delta) / sqrt(2.0)) - erfc((xs + delta) / sqrt(2.0)));
}

double rec_stats_dcs_gauss_bits(double mu, double s)
{
    /* D_CS = -int_0^M w log w dh.  Substitute h = M e^{-y}: dh = h dy, so
     * D_CS = -int_0^inf M e^{-y} w(M e^{-y}) log w dy; w -> 1 as y -> inf
     * (log w -> 0), and near y = 0 w behaves like sqrt(y).  Integrate in
     * y = z^2 with composite Simpson on a fine grid. */
    const double a = 0.5 * (1.0 / (s * s) - 1.0);
    const double xs = mu / (1.0 - s * s);
    const double dinf = -log(s) + mu * mu / (2.0 * (1.0 - s * s));
    const double logm = dinf;
    const int n = 20000;
    const double zmax = sqrt(dinf + 60.0);
    double sum = 0;
    int i;
    if (!(s > 0 && s < 1))
        return (double)NAN;
    for (i = 0; i <= n; i++) {
        const double z = zmax * i / n;
        const double y = z * z;
        const double h = exp(logm - y);
        const double w = w_p(h, dinf, a, xs);
        const double f = (w > 0 && w < 1) ? -h * w * log(w) * 2.0 * z : 0.0;
        const double wt = (i == 0 || i == n) ? 1 : (i & 1) ? 4 : 2;
        sum += wt * f;
    }
    sum *= zmax / n / 3.0;
    return sum / log(2.0);
}
