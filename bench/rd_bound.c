/* bench/rd_bound.c: scalar rate-distortion maths for one Laplace coefficient; contracts
 * in rd_bound.h.
 *
 * Closed forms used (Laplace(0, 1), so y beyond a threshold a is a + Exp(1)):
 *   an Exp(1) truncated to [0, w] has mean 1 - w q / (1 - q) and variance
 *   1 - w^2 q / (1 - q)^2, q = e^-w (independent of where the cell starts);
 *   the deadzone family's entropy is h2(1 - e^-t) plus e^-t times one sign bit and the
 *   geometric index of ratio e^-s; its distortion is E[y^2; |y| < t] = 2 - (t^2 + 2t + 2)
 *   e^-t plus e^-t times the truncated variance at width s.
 * The Gaussian channel: the posterior of y given X = x is a two-piece mixture of
 * truncated normals, N(x - sigma^2, sigma^2) on y > 0 and N(x + sigma^2, sigma^2) on
 * y < 0, with weights e^(sigma^2/2 -+ x) Phi(+-(x -+ sigma^2) / sigma); the density of X
 * is half their sum.
 * Blahut-Arimoto (Blahut 1972) in its dual form gives a certificate: for any output
 * weights q, lambda(x) = 1 / sum_y q(y) e^(-beta d(x, y)) and c(y) = sum_x p(x) lambda(x)
 * e^(-beta d(x, y)), the line R = -beta D + sum p ln lambda - ln max c lies under R(D)
 * everywhere (dual feasibility after dividing lambda by max c), and at the channel
 * q(y) e^(-beta d) lambda(x) the same expression without the max c is at least its
 * mutual information. */
#include "rd_bound.h"

#include <math.h>
#include <stdlib.h>

#define LN2 0.69314718055994530942
#define PI 3.14159265358979323846
#define EULER_E 2.71828182845904523536
#define GMAX 60.0   /* quantizer cells are formed up to |y| = GMAX; the tails beyond join the end cells */

/* mean of Exp(1) truncated to [0, w] */
static double tmean(double w)
{
    double omq;
    if (isinf(w))
        return 1.0;
    if (w < 1e-4)
        return w / 2.0 - w * w / 12.0;
    omq = -expm1(-w);
    return 1.0 - w * exp(-w) / omq;
}

/* variance of Exp(1) truncated to [0, w] */
static double tvar(double w)
{
    double omq;
    if (isinf(w))
        return 1.0;
    if (w < 1e-3)
        return w * w / 12.0 - w * w * w * w / 720.0;
    omq = -expm1(-w);
    return 1.0 - w * w * exp(-w) / (omq * omq);
}

void rdb_laplace_cell(double lo, double hi, double *mass, double *mean, double *var)
{
    double m, mu, v;
    if (lo >= 0.0) {
        const double w = hi - lo;
        m = 0.5 * exp(-lo) * (isinf(w) ? 1.0 : -expm1(-w));
        mu = lo + tmean(w);
        v = tvar(w);
    } else if (hi <= 0.0) {
        const double w = hi - lo;
        m = 0.5 * exp(hi) * (isinf(w) ? 1.0 : -expm1(-w));
        mu = hi - tmean(w);
        v = tvar(w);
    } else {
        const double mp = 0.5 * (isinf(hi) ? 1.0 : -expm1(-hi)), mn = 0.5 * (isinf(lo) ? 1.0 : -expm1(lo));
        const double up = tmean(hi), un = tmean(-lo);
        const double e2 = mp * (tvar(hi) + up * up) + mn * (tvar(-lo) + un * un);
        m = mp + mn;
        mu = (mp * up - mn * un) / m;
        v = e2 / m - mu * mu;
        if (v < 0.0)
            v = 0.0;
    }
    if (!(m >= 1e-300)) {
        *mass = 0.0;
        *mean = 0.0;
        *var = 0.0;
        return;
    }
    *mass = m;
    *mean = mu;
    *var = v;
}

rdb_point rdb_ecsq(double s, double t)
{
    const double e = exp(-t), p0 = -expm1(-t), q = exp(-s), omq = -expm1(-s);
    rdb_point r;
    double h = e * (t + LN2 - log(omq) + s * q / omq);
    if (p0 > 0.0)
        h -= p0 * log(p0);
    r.R = h / LN2;
    r.D = (2.0 - (t * t + 2.0 * t + 2.0) * e) + e * tvar(s);
    return r;
}

static double ecsq_J(double lambda, double ls, double ratio)
{
    const double s = exp(ls);
    const rdb_point p = rdb_ecsq(s, ratio * s);
    return p.R + lambda * p.D;
}

void rdb_ecsq_opt(double lambda, double *s_out, double *t_out, rdb_point *p)
{
    double bl = 0.0, br = 0.5, bJ = HUGE_VAL, stl = 0.05, str = 0.05;
    for (double ls = -9.2; ls <= 4.61; ls += 0.1)
        for (double r = 0.0; r <= 40.0; r += 0.1) {
            const double J = ecsq_J(lambda, ls, r);
            if (J < bJ) {
                bJ = J;
                bl = ls;
                br = r;
            }
        }
    /* pattern search: coordinate moves, halving the steps when none improves */
    while (stl > 1e-11 || str > 1e-11) {
        int moved = 0;
        for (int k = 0; k < 4; k++) {
            const double nl = bl + (k == 0 ? stl : k == 1 ? -stl : 0.0);
            double nr = br + (k == 2 ? str : k == 3 ? -str : 0.0);
            double J;
            if (nr < 0.0)
                nr = 0.0;
            J = ecsq_J(lambda, nl, nr);
            if (J < bJ) {
                bJ = J;
                bl = nl;
                br = nr;
                moved = 1;
            }
        }
        if (!moved) {
            stl *= 0.5;
            str *= 0.5;
        }
    }
    *s_out = exp(bl);
    *t_out = br * *s_out;
    *p = rdb_ecsq(*s_out, *t_out);
}

/* ---- general ECSQ refinement (Chou, Lookabaugh, Gray 1989, in one dimension) ---- */

/* The cells of the entropy-penalised nearest-neighbour encoder: point k (y ascending)
 * costs (x - y_k)^2 + c_k; the regions are the lower envelope of the lines
 * -2 y_k x + y_k^2 + c_k. Writes the live points' indices to live[] and the n - 1
 * boundaries between consecutive live points to edge[]; returns the live count. */
static int envelope(const double *y, const double *c, int n, int *live, double *edge)
{
    int m = 0;
    for (int k = 0; k < n; k++) {
        const double a = -2.0 * y[k], b = y[k] * y[k] + c[k];
        if (isinf(c[k]))
            continue;
        while (m > 0) {
            const int j = live[m - 1];
            const double aj = -2.0 * y[j], bj = y[j] * y[j] + c[j];
            const double x = (b - bj) / (aj - a);   /* where line k gets below line j */
            if (m > 1 && x <= edge[m - 2]) {
                m--;   /* line j is nowhere the lowest */
                continue;
            }
            edge[m - 1] = x;
            break;
        }
        live[m++] = k;
    }
    return m;
}

double rdb_ecsq_free_refine(double lambda, double s, double t, int iters)
{
    int per = (int)ceil((GMAX - t) / s) + 1, n, *live;
    double *y, *c, *edge, best = HUGE_VAL;
    if (per < 1)
        per = 1;
    n = 2 * per + 1;
    y = malloc(sizeof *y * (size_t)n);
    c = malloc(sizeof *c * (size_t)n);
    edge = malloc(sizeof *edge * (size_t)n);
    live = malloc(sizeof *live * (size_t)n);
    if (!y || !c || !edge || !live) {
        free(y); free(c); free(edge); free(live);
        return HUGE_VAL;
    }
    /* start: the deadzone family's cells, centroids and code lengths */
    for (int k = 0; k < n; k++) {
        const int j = k - per;
        double lo, hi, m, mu, v;
        if (j == 0) {
            lo = -t;
            hi = t;
        } else {
            const double a = t + (double)(abs(j) - 1) * s, z = abs(j) == per ? HUGE_VAL : a + s;
            lo = j > 0 ? a : -z;
            hi = j > 0 ? z : -a;
        }
        rdb_laplace_cell(lo, hi, &m, &mu, &v);
        y[k] = mu;
        c[k] = m > 0.0 ? -log2(m) / lambda : HUGE_VAL;
    }
    for (int it = 0; it <= iters; it++) {
        const int m = envelope(y, c, n, live, edge);
        double R = 0.0, D = 0.0, J;
        for (int k = 0; k < n; k++)
            c[k] = HUGE_VAL;
        for (int i = 0; i < m; i++) {
            const double lo = i == 0 ? -HUGE_VAL : edge[i - 1], hi = i == m - 1 ? HUGE_VAL : edge[i];
            double ms, mu, v;
            rdb_laplace_cell(lo, hi, &ms, &mu, &v);
            if (ms <= 0.0)
                continue;
            R -= ms * log2(ms);
            D += ms * v;
            y[live[i]] = mu;
            c[live[i]] = -log2(ms) / lambda;
        }
        J = R + lambda * D;
        if (J < best)
            best = J;
    }
    free(y); free(c); free(edge); free(live);
    return best;
}

/* ---- offset quantizers, uq ---- */

static double move_edge(double e, double d)
{
    return e >= 0.0 ? e + d : e - d;
}

rdb_point rdb_offset_quant(double s, double u, double d)
{
    const double k0 = floor(-GMAX / s + u + 0.5), k1 = ceil(GMAX / s + u - 0.5);
    rdb_point r = {0.0, 0.0};
    for (double k = k0; k <= k1; k += 1.0) {
        const double lo = k == k0 ? -HUGE_VAL : move_edge(s * (k - u - 0.5), d);
        const double hi = k == k1 ? HUGE_VAL : move_edge(s * (k + 1.0 - u - 0.5), d);
        double m, mu, v;
        rdb_laplace_cell(lo, hi, &m, &mu, &v);
        if (m <= 0.0)
            continue;
        r.R -= m * log2(m);
        r.D += m * v;
    }
    return r;
}

rdb_point rdb_uq(double s, double d, int nu)
{
    rdb_point r = {0.0, 0.0};
    for (int j = 0; j < nu; j++) {
        const rdb_point p = rdb_offset_quant(s, (j + 0.5) / nu - 0.5, d);
        r.R += p.R;
        r.D += p.D;
    }
    r.R /= nu;
    r.D /= nu;
    return r;
}

double rdb_codec_dz_uq_d(double s)
{
    double dn;
    if (!(s > 1.0))
        return 0.0;
    dn = 0.05 * pow(s, 1.6);
    if (dn > 2.0)
        dn = 2.0;
    return s * dn;
}

double rdb_round_dz_t(double s)
{
    double d = 0.04 * s;
    if (d > 1.0)
        d = 1.0;
    return s * (0.5 + d);
}

/* ---- Gaussian channel ---- */

/* ln Phi(a), accurate in the lower tail */
static double log_Phi(double a)
{
    if (a < -20.0) {
        const double r = 1.0 / (a * a);
        return -0.5 * a * a - log(-a) - 0.5 * log(2.0 * PI) + log1p(-r + 3.0 * r * r - 15.0 * r * r * r);
    }
    return log(0.5 * erfc(-a / sqrt(2.0)));
}

/* phi(a) / Phi(a) */
static double mills(double a)
{
    return exp(-0.5 * a * a - 0.5 * log(2.0 * PI) - log_Phi(a));
}

void rdb_gauss_posterior(double x, double sg, double *lnf, double *yhat)
{
    const double s2 = sg * sg;
    const double ap = (x - s2) / sg, an = -(x + s2) / sg;
    const double lwp = 0.5 * s2 - x + log_Phi(ap), lwn = 0.5 * s2 + x + log_Phi(an);
    const double mx = lwp > lwn ? lwp : lwn;
    const double wp = exp(lwp - mx), wn = exp(lwn - mx);
    const double mp = (x - s2) + sg * mills(ap), mn = (x + s2) - sg * mills(an);
    *yhat = (wp * mp + wn * mn) / (wp + wn);
    *lnf = log(0.5) + mx + log(wp + wn);
}

/* f(x) ln f(x) and f(x) E[y | x]^2 for the Gaussian channel */
static void gauss_terms(double x, double sg, double *flnf, double *fy2)
{
    double lf, yh;
    rdb_gauss_posterior(x, sg, &lf, &yh);
    const double f = exp(lf);
    *flnf = f * lf;
    *fy2 = f * yh * yh;
}

void rdb_gauss_realised(double y, double sigma, double *kl_bits, double *dist)
{
    /* E over X ~ N(y, sigma^2), Simpson over x in y +- 8 sigma, step at most min(sigma, 1) / 4
       (the posterior varies on the scale of the prior, 1, and of the noise) */
    const double hx0 = (sigma < 1.0 ? sigma : 1.0) / 4.0;
    int n = (int)ceil(16.0 * sigma / hx0);
    double hx, el = 0.0, ed = 0.0, ws = 0.0;
    if (n % 2)
        n++;
    hx = 16.0 * sigma / n;
    for (int i = 0; i <= n; i++) {
        const double x = y - 8.0 * sigma + i * hx, z = (x - y) / sigma;
        const double w = ((i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0)) * exp(-0.5 * z * z);
        double lf, yh;
        rdb_gauss_posterior(x, sigma, &lf, &yh);
        el += w * lf;
        ed += w * (y - yh) * (y - yh);
        ws += w;
    }
    el /= ws;
    ed /= ws;
    *kl_bits = (-0.5 * log(2.0 * PI * EULER_E * sigma * sigma) - el) / LN2;
    *dist = ed;
}

rdb_point rdb_gauss_channel(double sigma)
{
    const double hx0 = (sigma < 1.0 ? sigma : 1.0) / 12.0;
    const double L = 50.0 + sigma * sigma + 12.0 * sigma;
    int n = (int)ceil(L / hx0);
    double hx, s1 = 0.0, s2 = 0.0, hX, mmse;
    rdb_point r;
    if (n % 2)
        n++;
    hx = L / n;
    for (int i = 0; i <= n; i++) {
        const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        double a, b;
        gauss_terms(i * hx, sigma, &a, &b);
        s1 += w * a;
        s2 += w * b;
    }
    s1 *= hx / 3.0;
    s2 *= hx / 3.0;
    hX = -2.0 * s1;                     /* f is even */
    mmse = 2.0 - 2.0 * s2;
    r.R = (hX - 0.5 * log(2.0 * PI * EULER_E * sigma * sigma)) / LN2;
    r.D = mmse;
    return r;
}

double rdb_slb_laplace(double D)
{
    return log2(2.0 * EULER_E) - 0.5 * log2(2.0 * PI * EULER_E * D);
}

/* ---- Blahut-Arimoto ---- */

void rdb_ba_grid(int source, double beta, double *h, double *L)
{
    double hh = sqrt(1.0 / (2.0 * beta)) / 16.0;
    *h = hh < 0.05 ? hh : 0.05;
    *L = source == RDB_SRC_GAUSS ? 9.0 : 30.0;
}

/* The grid source of both R(D) solvers: x_i = (i - M) h, i = 0 .. n - 1, and p_i the
   source's mass of [x_i - h/2, x_i + h/2], renormalised over the grid (x may be NULL). */
static void source_grid(int source, double h, int M, int n, double *x, double *p)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        const double xi = (i - M) * h, lo = xi - 0.5 * h, hi = xi + 0.5 * h;
        double m, mu, v;
        if (source == RDB_SRC_GAUSS)
            m = lo >= 0.0 ? 0.5 * (erfc(lo / sqrt(2.0)) - erfc(hi / sqrt(2.0)))
                          : 0.5 * (erfc(-hi / sqrt(2.0)) - erfc(-lo / sqrt(2.0)));
        else
            rdb_laplace_cell(lo, hi, &m, &mu, &v);
        if (x)
            x[i] = xi;
        p[i] = m;
        sum += m;
    }
    for (int i = 0; i < n; i++)
        p[i] /= sum;
}

/* A solver's result: the certified point from the slope beta, the distortion D, the
   dual's sum of p ln lambda (sl, nats) and the certificate's gap (nats). */
static void fill_result(rdb_ba_result *out, double beta, double D, double sl, double gap, double h,
                        double L, int iters, int n)
{
    out->beta = beta;
    out->D = D;
    out->R_upper = (-beta * D + sl) / LN2;
    out->R_lower = out->R_upper - gap / LN2;
    out->gap_bits = gap / LN2;
    out->h = h;
    out->L = L;
    out->iters = iters;
    out->n = n;
}

/* out[i] = sum_{|m| <= W} in[i + m] k[|m|] (zero outside [0, n)) */
static void conv(const double *in, const double *k, int W, int n, double *out)
{
    for (int i = 0; i < n; i++) {
        const int a = i - W < 0 ? 0 : i - W, b = i + W >= n ? n - 1 : i + W;
        double acc = 0.0;
        for (int j = a; j <= b; j++)
            acc += in[j] * k[j > i ? j - i : i - j];
        out[i] = acc;
    }
}

int rdb_blahut_arimoto(int source, double beta, double h, double L, double tol_nats, int maxit,
                       rdb_ba_result *out)
{
    const int M = (int)ceil(L / h), n = 2 * M + 1;
    int W = (int)ceil(sqrt(80.0 / beta) / h), it;
    double *p, *q, *lam, *cc, *k, *tmp, gap = HUGE_VAL, relax = 1.0, prev_gap = HUGE_VAL;
    if (!(beta > 0.0) || !(h > 0.0) || !(L > h) || n > 4000001)
        return -1;
    if (W > n - 1)
        W = n - 1;
    p = malloc(sizeof *p * (size_t)n);
    q = malloc(sizeof *q * (size_t)n);
    lam = malloc(sizeof *lam * (size_t)n);
    cc = malloc(sizeof *cc * (size_t)n);
    tmp = malloc(sizeof *tmp * (size_t)n);
    k = malloc(sizeof *k * (size_t)(W + 1));
    if (!p || !q || !lam || !cc || !tmp || !k) {
        free(p); free(q); free(lam); free(cc); free(tmp); free(k);
        return -1;
    }
    source_grid(source, h, M, n, NULL, p);
    for (int i = 0; i < n; i++)
        q[i] = p[i] > 1e-280 ? p[i] : 1e-280;
    for (int m = 0; m <= W; m++)
        k[m] = exp(-beta * (m * h) * (m * h));
    for (it = 0; it < maxit; it++) {
        double cmax = 0.0, sq = 0.0;
        conv(q, k, W, n, lam);               /* Z(x) */
        for (int i = 0; i < n; i++) {
            lam[i] = 1.0 / lam[i];
            tmp[i] = p[i] * lam[i];
        }
        conv(tmp, k, W, n, cc);              /* c(y) */
        for (int j = 0; j < n; j++)
            if (cc[j] > cmax)
                cmax = cc[j];
        /* the certificate's gap: lambda'(x) = lambda(x) g(x), g(x) = min(1, 1 / max c
           over the kernel's window around x), is dual feasible; it costs -sum p ln g,
           which ignores where c exceeds 1 only on far tails of negligible mass */
        gap = 0.0;
        if (cmax > 1.0)
            for (int i = 0; i < n; i++) {
                const int a = i - W < 0 ? 0 : i - W, b = i + W >= n ? n - 1 : i + W;
                double wm = 1.0;
                for (int j = a; j <= b; j++)
                    if (cc[j] > wm)
                        wm = cc[j];
                gap += p[i] * log(wm);
            }
        if (gap <= tol_nats)
            break;
        /* over-relaxation: q <- q c^relax, renormalised; relax grows while the gap falls
           and falls back to 1 when it rises (any q gives valid bounds) */
        if (gap < prev_gap) {
            relax = relax * 1.05 < 3.0 ? relax * 1.05 : 3.0;
        } else
            relax = 1.0;
        prev_gap = gap;
        for (int j = 0; j < n; j++) {
            q[j] *= relax == 1.0 ? cc[j] : pow(cc[j], relax);
            sq += q[j];
        }
        for (int j = 0; j < n; j++) {
            q[j] /= sq;
            if (q[j] < 1e-280)
                q[j] = 1e-280;
        }
    }
    {   /* D of the channel q(y) e^(-beta d) lambda(x) and the bounds, from the last q */
        double D = 0.0, sl = 0.0;
        for (int i = 0; i < n; i++) {
            const int a = i - W < 0 ? 0 : i - W, b = i + W >= n ? n - 1 : i + W;
            double acc = 0.0;
            for (int j = a; j <= b; j++) {
                const int m = j > i ? j - i : i - j;
                acc += q[j] * k[m] * (m * h) * (m * h);
            }
            D += p[i] * lam[i] * acc;
            if (p[i] > 0.0)
                sl += p[i] * log(lam[i]);
        }
        fill_result(out, beta, D, sl, gap, h, L, it, n);
    }
    free(p); free(q); free(lam); free(cc); free(tmp); free(k);
    return 0;
}

/* ---- curves ---- */

double rdb_curve_rate(const rdb_curve *c, double D)
{
    int lo = 0, hi = c->n - 1;
    double f;
    if (c->n < 2 || !(D >= c->D[0]) || !(D <= c->D[c->n - 1]))
        return -1.0;
    while (hi - lo > 1) {
        const int mid = (lo + hi) / 2;
        if (c->D[mid] <= D)
            lo = mid;
        else
            hi = mid;
    }
    f = (log(D) - log(c->D[lo])) / (log(c->D[hi]) - log(c->D[lo]));
    return c->R[lo] + f * (c->R[hi] - c->R[lo]);
}

double rdb_curve_tangent_lower(const rdb_curve *c, double D)
{
    double best = 0.0;
    if (!c->Rlo || !c->slope)
        return -1.0;
    for (int k = 0; k < c->n; k++) {
        const double v = c->Rlo[k] + c->slope[k] * (D - c->D[k]);
        if (v > best)
            best = v;
    }
    return best;
}

void rdb_curve_free(rdb_curve *c)
{
    free(c->D);
    free(c->R);
    free(c->Rlo);
    free(c->slope);
    c->D = c->R = c->Rlo = c->slope = NULL;
    c->n = 0;
}

/* ---- R(D) with free output atoms (the "mapping" form of Rose 1994) ----
 * For a fixed beta, min over output distributions q of -sum_x p(x) ln sum_y q(y)
 * e^(-beta d(x, y)) is the RD Lagrangian; for squared error it is the maximum-likelihood
 * mixing distribution of a Gaussian-kernel mixture, whose solution is discrete. EM on
 * atoms with free positions (w_k <- sum_x p r_k(x), y_k <- the r_k-weighted mean of x)
 * does not suffer BA's slow decay at the grid neighbours of each atom; atoms that meet
 * are merged, and an atom is added where the certificate c(y) peaks above 1 (vertex
 * exchange), so the support is complete. The bounds are those of the BA certificate,
 * c(y) evaluated on the source grid and at every atom. */

typedef struct {
    double *y, *w;
    int m, cap;
} atoms;

static void atoms_sort(atoms *a)
{
    for (int i = 1; i < a->m; i++) {   /* insertion sort: atoms stay nearly sorted */
        const double yy = a->y[i], ww = a->w[i];
        int j = i - 1;
        while (j >= 0 && a->y[j] > yy) {
            a->y[j + 1] = a->y[j];
            a->w[j + 1] = a->w[j];
            j--;
        }
        a->y[j + 1] = yy;
        a->w[j + 1] = ww;
    }
}

/* Z(x_i) for every source point (atoms sorted; window R in x) */
static void atoms_Z(const atoms *a, const double *x, int n, double beta, double Rw, double *Z)
{
    int lo = 0;
    for (int i = 0; i < n; i++) {
        double acc = 0.0;
        while (lo < a->m && a->y[lo] < x[i] - Rw)
            lo++;
        for (int k = lo; k < a->m && a->y[k] <= x[i] + Rw; k++) {
            const double d = x[i] - a->y[k];
            acc += a->w[k] * exp(-beta * d * d);
        }
        Z[i] = acc > 1e-300 ? acc : 1e-300;
    }
}

/* c(y) = sum_x p(x) e^(-beta (x - y)^2) / Z(x), x sorted */
static double cert_c(double y, const double *x, const double *pz, int n, double beta, double Rw, double h, double x0)
{
    int a = (int)floor((y - Rw - x0) / h), b = (int)ceil((y + Rw - x0) / h);
    double acc = 0.0;
    if (a < 0) a = 0;
    if (b > n - 1) b = n - 1;
    for (int i = a; i <= b; i++) {
        const double d = x[i] - y;
        acc += pz[i] * exp(-beta * d * d);
    }
    return acc;
}

int rdb_rd_atoms(int source, double beta, double h, double L, double tol_nats, int maxit, rdb_ba_result *out)
{
    const int M = (int)ceil(L / h), n = 2 * M + 1;
    const double Rw = sqrt(80.0 / beta);
    double *x, *p, *Z, *pz, *W, *S, *cy, gap = HUGE_VAL;
    atoms a = {NULL, NULL, 0, 0};
    int it = 0;
    if (!(beta > 0.0) || !(h > 0.0) || !(L > h) || n > 4000001)
        return -1;
    x = malloc(sizeof *x * (size_t)n);
    p = malloc(sizeof *p * (size_t)n);
    Z = malloc(sizeof *Z * (size_t)n);
    pz = malloc(sizeof *pz * (size_t)n);
    cy = malloc(sizeof *cy * (size_t)n);
    {
        const double sp = 0.25 / sqrt(beta);   /* initial atom spacing */
        a.cap = 2 * (int)ceil(L / sp) + 64;
    }
    a.y = malloc(sizeof *a.y * (size_t)a.cap);
    a.w = malloc(sizeof *a.w * (size_t)a.cap);
    W = malloc(sizeof *W * (size_t)a.cap);
    S = malloc(sizeof *S * (size_t)a.cap);
    if (!x || !p || !Z || !pz || !cy || !a.y || !a.w || !W || !S) {
        free(x); free(p); free(Z); free(pz); free(cy); free(a.y); free(a.w); free(W); free(S);
        return -1;
    }
    source_grid(source, h, M, n, x, p);
    {   /* atoms on a lattice over the source's range, weights from p */
        const double sp = 0.25 / sqrt(beta);
        const int K = (int)floor(L / sp);
        double sw = 0.0;
        for (int k = -K; k <= K; k++) {
            const double yk = k * sp;
            double m, mu, v;
            if (source == RDB_SRC_GAUSS)
                m = exp(-0.5 * yk * yk);
            else
                rdb_laplace_cell(yk - 0.5 * sp, yk + 0.5 * sp, &m, &mu, &v);
            a.y[a.m] = yk;
            a.w[a.m] = m > 1e-200 ? m : 1e-200;
            sw += a.w[a.m];
            a.m++;
        }
        for (int k = 0; k < a.m; k++)
            a.w[k] /= sw;
    }
    for (it = 0; it < maxit; it++) {
        /* E and M steps */
        int lo = 0;
        atoms_Z(&a, x, n, beta, Rw, Z);
        for (int k = 0; k < a.m; k++)
            W[k] = S[k] = 0.0;
        for (int i = 0; i < n; i++) {
            const double f = p[i] / Z[i];
            while (lo < a.m && a.y[lo] < x[i] - Rw)
                lo++;
            for (int k = lo; k < a.m && a.y[k] <= x[i] + Rw; k++) {
                const double d = x[i] - a.y[k], r = f * a.w[k] * exp(-beta * d * d);
                W[k] += r;
                S[k] += r * x[i];
            }
        }
        {
            int m2 = 0;
            for (int k = 0; k < a.m; k++) {
                if (!(W[k] > 1e-250))
                    continue;   /* an atom nobody uses is dropped */
                a.y[m2] = S[k] / W[k];
                a.w[m2] = W[k];
                m2++;
            }
            a.m = m2;
        }
        atoms_sort(&a);
        {   /* merge atoms that met (within 1e-5 / sqrt(beta)) */
            int m2 = 0;
            for (int k = 0; k < a.m; k++) {
                if (m2 > 0 && a.y[k] - a.y[m2 - 1] < 1e-5 / sqrt(beta)) {
                    const double ww = a.w[m2 - 1] + a.w[k];
                    a.y[m2 - 1] = (a.w[m2 - 1] * a.y[m2 - 1] + a.w[k] * a.y[k]) / ww;
                    a.w[m2 - 1] = ww;
                    continue;
                }
                a.y[m2] = a.y[k];
                a.w[m2] = a.w[k];
                m2++;
            }
            a.m = m2;
        }
        if (it % 20 == 19 || it == maxit - 1) {   /* certificate, and vertex exchange */
            double cmax = 0.0, ymax = 0.0;
            atoms_Z(&a, x, n, beta, Rw, Z);
            for (int i = 0; i < n; i++)
                pz[i] = p[i] / Z[i];
            for (int j = 0; j < n; j++) {
                cy[j] = cert_c(x[j], x, pz, n, beta, Rw, h, x[0]);
                if (cy[j] > cmax) {
                    cmax = cy[j];
                    ymax = x[j];
                }
            }
            for (int k = 0; k < a.m; k++) {
                const double c = cert_c(a.y[k], x, pz, n, beta, Rw, h, x[0]);
                if (c > cmax) {
                    cmax = c;
                    ymax = a.y[k];
                }
            }
            gap = 0.0;
            if (cmax > 1.0)
                for (int i = 0; i < n; i++) {
                    const int aa = i - (int)ceil(Rw / h) < 0 ? 0 : i - (int)ceil(Rw / h);
                    const int bb = i + (int)ceil(Rw / h) >= n ? n - 1 : i + (int)ceil(Rw / h);
                    double wm = 1.0;
                    for (int j = aa; j <= bb; j++)
                        if (cy[j] > wm)
                            wm = cy[j];
                    gap += p[i] * log(wm);
                }
            if (gap <= tol_nats || it == maxit - 1)
                break;   /* the atoms just certified are the result */
            if (cmax > 1.0 + 1e-12 && a.m + 2 <= a.cap) {
                /* vertex exchange: move weight t to the symmetric pair of atoms at +-ymax,
                   t by bisection on the derivative of the convex objective
                   F(t) = -sum p ln((1 - t) Z + t kk), kk = (k(x, ymax) + k(x, -ymax)) / 2 */
                double tl = -700.0, th = 0.0;   /* ln t */
                for (int i = 0; i < n; i++) {
                    const double d1 = x[i] - ymax, d2 = x[i] + ymax;
                    pz[i] = 0.5 * (exp(-beta * d1 * d1) + exp(-beta * d2 * d2));   /* kk */
                }
                for (int r = 0; r < 80; r++) {
                    const double tm = exp(0.5 * (tl + th));
                    double der = 0.0;
                    for (int i = 0; i < n; i++)
                        der -= p[i] * (pz[i] - Z[i]) / ((1.0 - tm) * Z[i] + tm * pz[i]);
                    if (der < 0.0)
                        tl = 0.5 * (tl + th);
                    else
                        th = 0.5 * (tl + th);
                }
                {
                    const double tt = exp(tl);
                    for (int k = 0; k < a.m; k++)
                        a.w[k] *= 1.0 - tt;
                    a.y[a.m] = ymax;
                    a.w[a.m++] = 0.5 * tt;
                    if (ymax != 0.0) {
                        a.y[a.m] = -ymax;
                        a.w[a.m++] = 0.5 * tt;
                    } else
                        a.w[a.m - 1] = tt;
                    atoms_sort(&a);
                }
            }
        }
    }
    {
        double D = 0.0, sl = 0.0;
        int lo = 0;
        atoms_Z(&a, x, n, beta, Rw, Z);
        for (int i = 0; i < n; i++) {
            double acc = 0.0;
            while (lo < a.m && a.y[lo] < x[i] - Rw)
                lo++;
            for (int k = lo; k < a.m && a.y[k] <= x[i] + Rw; k++) {
                const double d = x[i] - a.y[k];
                acc += a.w[k] * exp(-beta * d * d) * d * d;
            }
            D += p[i] * acc / Z[i];
            sl -= p[i] * log(Z[i]);
        }
        fill_result(out, beta, D, sl, gap, h, L, it, a.m);
    }
    free(x); free(p); free(Z); free(pz); free(cy); free(a.y); free(a.w); free(W); free(S);
    return 0;
}
