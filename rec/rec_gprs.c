/* rec/rec_gprs.c - global greedy Poisson rejection sampling and the GPRS stretch function.
 *
 * Paper: G. Flamich, "Greedy Poisson Rejection Sampling", NeurIPS 2023 (global variant,
 * Algorithm 1).  Shared proposals X_1, X_2, ... ~ P = N(0,1); encoder-only arrival times
 * T_n = E_1 + ... + E_n, E_i ~ Exp(1).  The first n with T_n < sigma(r(X_n)) is accepted and
 * X_n ~ Q exactly; E[n] = sup r = exp(D_inf).  Coded: the index n with a Zeta-type code
 * whose exponent 1 + 1/(I + 1) depends only on I = -log2 s (decoder-known).
 *
 * Stretch function (DESIGN 3.2): sigma(h) = int_0^h d eta / g(eta),
 * g(eta) = w_Q(eta) - eta w_P(eta), with g(0) = 1, g' = -w_P, g convex and decreasing.
 * sigma has no closed form and costs a quadrature, so the accept test T < sigma(h) is
 * decided by bounds wherever possible:
 *   1. h <= sigma(h): T < h accepts;
 *   2. the tangent at 0, g >= 1 - eta, gives sigma(h) <= -log(1 - h) for h < 1;
 *   3. otherwise g is evaluated at h and on [eta_i, eta_i+1] pieces: the chord lies above a
 *      convex g (a lower bound on the integral of 1/g, the logarithmic mean in closed form)
 *      and the two end tangents lie below it (an upper bound).  The piece with the widest
 *      bracket is split (arithmetically in eta, geometrically in t = ln(sup r / eta) near
 *      the singular end), up to DECIDE_POINTS points, until T lies outside [lower, upper];
 *   4. only if that fails (0.35% of coefficients of gprs-bnb at I = 1), sigma(h) itself by
 *      adaptive Gauss-Kronrod G7/K15 in u = t^(-1/2) to 1e-11 relative, and T < sigma(h).
 * g is computed as a difference of Phi values away from the mode (where t = ln(sup r / eta)
 * >= 0.02 the cancellation between w_Q and eta w_P costs under two digits); close to it
 * (t < 0.02 with a narrow level set) as
 * eta * int p(x) expm1(t - a (x - x*)^2) dx over the level set by 10-point Gauss-Legendre
 * quadrature (the integrand is smooth there).  Only the encoder evaluates sigma, but it
 * uses rec_math anyway so that encoders agree across builds.
 */
#include <math.h> /* isfinite, INFINITY, NAN, and sqrt (correctly rounded by IEEE 754) */
#include <stddef.h>

#include "rec.h"
#include "rec_rs_internal.h"

#define INV_SQRT_2PI 0.39894228040143267794
#define LN2 0.69314718055994530942

rec_status rec_rs_target_init(rec_rs_target *t, double mu, double s)
{
    double one_minus_s2;

    if (t == NULL || !isfinite(mu) || !isfinite(s) || !(s > 0.0))
        return REC_ERR_INVALID_ARG;
    if (s >= 1.0)
        return REC_ERR_UNBOUNDED;
    one_minus_s2 = (1.0 - s) * (1.0 + s); /* exact-ish for s near 1 */
    t->mu = mu;
    t->s = s;
    t->a = one_minus_s2 / (2.0 * s * s);
    t->xs = mu / one_minus_s2;
    t->sxs = s * t->xs;
    t->dinf = -rec_log(s) + 0.5 * mu * t->xs;
    if (!isfinite(t->a) || !(t->a > 0.0) || !isfinite(t->xs) || !isfinite(t->dinf) ||
        t->dinf > 1e300)
        return REC_ERR_INVALID_ARG;
    return REC_OK;
}

double rec_rs_log_r(const rec_rs_target *t, double x)
{
    const double d = x - t->xs;
    return t->dinf - t->a * d * d;
}

/* N(0,1) mass of c +- d (d > 0) with two interleaved Phi evaluations, in the accurate
 * tail: Phi_c(lo) - Phi_c(hi) = Phi(-lo) - Phi(-hi) right of 0, Phi(hi) - Phi(lo) left of
 * it, 1 - Phi(lo) - Phi(-hi) across it. */
static double mass_sym(double c, double d)
{
    const double lo = c - d, hi = c + d;
    double a, b;
    if (lo >= 0.0) {
        rec_Phi_pair(-lo, -hi, &a, &b);
        return a - b;
    }
    if (hi <= 0.0) {
        rec_Phi_pair(hi, lo, &a, &b);
        return a - b;
    }
    rec_Phi_pair(lo, -hi, &a, &b);
    return 1.0 - a - b;
}

static double normal_pdf(double x)
{
    return INV_SQRT_2PI * rec_exp(-0.5 * x * x);
}

/* 10-point Gauss-Legendre on [-1, 1]: positive nodes and weights. */
static const double gl_x[5] = {0.1488743389816312108848260, 0.4333953941292471907992659,
                               0.6794095682990244062343274, 0.8650633666889845107320967,
                               0.9739065285171717200779640};
static const double gl_w[5] = {0.2955242247147528701738930, 0.2692667193099963550912269,
                               0.2190863625159820439955349, 0.1494513491505805931457763,
                               0.0666713443086881375935688};

void rec_rs_level(const rec_rs_target *t, double tlev, double eta, double *g, double *wp)
{
    double delta;

    if (!(tlev > 0.0)) { /* at or above the mode: empty level set */
        *g = 0.0;
        *wp = 0.0;
        return;
    }
    delta = sqrt(tlev / t->a);
    if (tlev < 0.02 && delta <= 1.0) {
        /* g = eta * delta * int_{-1}^{1} p(x* + delta v) expm1(t (1 - v^2)) dv */
        double sg = 0.0, sw = 0.0;
        int i;
        for (i = 0; i < 5; i++) {
            const double v = gl_x[i];
            const double pp = normal_pdf(t->xs + delta * v) + normal_pdf(t->xs - delta * v);
            sw += gl_w[i] * pp;
            sg += gl_w[i] * pp * rec_expm1(tlev * (1.0 - v * v));
        }
        *wp = delta * sw;
        *g = eta * delta * sg;
        return;
    }
    {
        const double dq = delta / t->s;
        const double w_p = mass_sym(t->xs, delta);
        const double w_q = mass_sym(t->sxs, dq);
        *wp = w_p;
        *g = w_q - eta * w_p;
    }
}

/* integral over a piece of length len of 1 / (linear function from A to B), A, B > 0:
 * len / logmean(A, B). */
static double piece_integral(double len, double A, double B)
{
    double r;
    if (!(len > 0.0))
        return 0.0;
    if (!(A > 0.0) || !(B > 0.0))
        return (double)INFINITY;
    r = B / A;
    if (r > 0.999 && r < 1.001) {
        /* log(r)/(r - 1) = 1 - d/2 + d^2/3 - ..., d = r - 1; avoids 0/0 */
        const double d = r - 1.0;
        return len / A * (1.0 - d / 2.0 + d * d / 3.0 - d * d * d / 4.0);
    }
    return len * rec_log(r) / (B - A);
}

typedef struct {
    double eta, t, g, w; /* level, t = D - ln eta, g(eta), w_P(eta) = -g'(eta) */
} level_point;

#define MAX_POINTS 16

/* Lower bound of int 1/g over [p0.eta, p1.eta]: the chord lies above a convex g. */
static double piece_lower(const level_point *p0, const level_point *p1)
{
    return piece_integral(p1->eta - p0->eta, p0->g, p1->g);
}

/* Upper bound: the end tangents g >= p0.g - p0.w (eta - p0.eta) and
 * g >= p1.g + p1.w (p1.eta - eta) lie below g; they cross at ec with value vc. */
static double piece_upper(const level_point *p0, const level_point *p1, double lo)
{
    double ec, vc, hi;

    if (p0->w - p1->w > 1e-300 * (p0->w + 1.0)) {
        ec = (p0->g - p1->g + p0->w * p0->eta - p1->w * p1->eta) / (p0->w - p1->w);
        if (ec < p0->eta)
            ec = p0->eta;
        if (ec > p1->eta)
            ec = p1->eta;
    } else {
        ec = p1->eta;
    }
    vc = p0->g - p0->w * (ec - p0->eta);
    if (!(vc > 0.0))
        return (double)INFINITY;
    hi = piece_integral(ec - p0->eta, p0->g, vc) + piece_integral(p1->eta - ec, vc, p1->g);
    return hi < lo ? lo : hi; /* rounding only */
}

static void piece_bounds(const level_point *p0, const level_point *p1, double *lo, double *hi)
{
    *lo = piece_lower(p0, p1);
    *hi = piece_upper(p0, p1, *lo);
}

/* Splits the piece [p0, p1]: arithmetic midpoint in eta, or geometric mean in t when both
 * ends are close to the mode (the integrand of sigma is singular there). */
static void split_point(const rec_rs_target *t, const level_point *p0, const level_point *p1,
                        level_point *m)
{
    if (p1->t < 1.0 && p0->t > 4.0 * p1->t && isfinite(p0->t)) {
        m->t = sqrt(p0->t * p1->t);
        m->eta = rec_exp(t->dinf - m->t);
    } else {
        m->eta = 0.5 * (p0->eta + p1->eta);
        m->t = t->dinf - rec_log(m->eta);
    }
    rec_rs_level(t, m->t, m->eta, &m->g, &m->w);
}

/* Decides T < sigma(h) by refining convexity bounds, at most max_points level points.
 * Returns 1 (accept), 0 (reject) or -1 (undecided). */
static int bounds_decide(const rec_rs_target *t, double h, double log_h, double T,
                         int max_points, rec_rs_stats *stats)
{
    level_point pts[MAX_POINTS];
    double plo[MAX_POINTS], phi[MAX_POINTS];
    int n = 2, i;

    if (max_points > MAX_POINTS)
        max_points = MAX_POINTS;
    pts[0].eta = 0.0;
    pts[0].t = (double)INFINITY;
    pts[0].g = 1.0;
    pts[0].w = 1.0;
    pts[1].eta = h;
    pts[1].t = t->dinf - log_h;
    rec_rs_level(t, pts[1].t, h, &pts[1].g, &pts[1].w);
    if (stats != NULL)
        stats->level_evals++;
    if (!(pts[1].g > 0.0)) /* g underflowed: h is within rounding of sup r, sigma = inf */
        return 1;
    plo[0] = piece_lower(&pts[0], &pts[1]); /* accept on the lower bound alone if it can */
    if (T < plo[0])
        return 1;
    phi[0] = piece_upper(&pts[0], &pts[1], plo[0]);
    for (;;) {
        int worst = 0;
        double wgap = -1.0, L = 0.0, U = 0.0;
        for (i = 0; i + 1 < n; i++) {
            const double gap = phi[i] - plo[i];
            L += plo[i];
            U += phi[i];
            if (gap > wgap) {
                wgap = gap;
                worst = i;
            }
        }
        if (T < L)
            return 1;
        if (T >= U)
            return 0;
        if (n >= max_points)
            return -1;
        for (i = n; i > worst + 1; i--) {
            pts[i] = pts[i - 1];
            plo[i] = plo[i - 1];
            phi[i] = phi[i - 1];
        }
        split_point(t, &pts[worst], &pts[worst + 2], &pts[worst + 1]);
        if (stats != NULL)
            stats->level_evals++;
        n++;
        piece_bounds(&pts[worst], &pts[worst + 1], &plo[worst], &phi[worst]);
        piece_bounds(&pts[worst + 1], &pts[worst + 2], &plo[worst + 1], &phi[worst + 1]);
    }
}

/* ---- sigma by adaptive Gauss-Kronrod quadrature ------------------------------------------
 * sigma(h) = int_{t_h}^inf eta(t) / g(eta(t)) dt with eta(t) = exp(D - t), t_h = D - ln h.
 * Substituting t = 1/u^2 makes the integrand 2 u^-3 eta / g bounded and smooth: near the
 * mode (t -> 0) g ~ t^(3/2), so the t-integrand's t^(-3/2) singularity becomes a constant,
 * and for t -> inf it vanishes with all derivatives.  Levels below exp(-40) h (t > t_h + 40)
 * add less than exp(-40) h < 1e-17 sigma(h) and are left out. */

static const double gk_x[8] = {0.991455371120812639206854697526329,
                               0.949107912342758524526189684047851,
                               0.864864423359769072789712788640926,
                               0.741531185599394439863864773280788,
                               0.586087235467691130294144845693013,
                               0.405845151377397166906606412076961,
                               0.207784955007898467600689403773245, 0.0};
static const double gk_wk[8] = {0.022935322010529224963732008058970,
                                0.063092092629978553290700663189204,
                                0.104790010322250183839876322541518,
                                0.140653259715525918745189590510238,
                                0.169004726639267902826583426598550,
                                0.190350578064785409913256402421014,
                                0.204432940075298892414161999234649,
                                0.209482141084727828012999174891714};
static const double gk_wg[4] = {0.129484966168869693270611432679082,
                                0.279705391489276667901467771423780,
                                0.381830050505118944950369775488975,
                                0.417959183673469387755102040816327};

static double sigma_integrand(const rec_rs_target *t, double u, rec_rs_stats *stats)
{
    const double tl = 1.0 / (u * u);
    const double eta = rec_exp(t->dinf - tl);
    double g, w;
    rec_rs_level(t, tl, eta, &g, &w);
    if (stats != NULL)
        stats->level_evals++;
    if (!(g > 0.0))
        return (double)INFINITY;
    return 2.0 * tl / u * eta / g;
}

/* K15 estimate and |K15 - G7| error estimate on [a, b]. */
static double gk15(const rec_rs_target *t, double a, double b, double *err, rec_rs_stats *stats)
{
    const double c = 0.5 * (a + b), hw = 0.5 * (b - a);
    double k = 0.0, g = 0.0;
    int i;
    for (i = 0; i < 8; i++) {
        double f = sigma_integrand(t, c + hw * gk_x[i], stats);
        if (i < 7)
            f += sigma_integrand(t, c - hw * gk_x[i], stats);
        k += gk_wk[i] * f;
        if (i & 1)
            g += gk_wg[i >> 1] * f;
    }
    *err = hw * (k - g) < 0.0 ? -hw * (k - g) : hw * (k - g);
    return hw * k;
}

#define GK_MAX_PANELS 64

static double sigma_quad(const rec_rs_target *t, double log_h, double rel_tol,
                         rec_rs_stats *stats)
{
    double pa[GK_MAX_PANELS], pb[GK_MAX_PANELS], pv[GK_MAX_PANELS], pe[GK_MAX_PANELS];
    const double th = t->dinf - log_h;
    int n = 1, i;
    double total, err;

    if (!(th > 0.0))
        return (double)INFINITY;
    pa[0] = 1.0 / sqrt(th + 40.0);
    pb[0] = 1.0 / sqrt(th);
    pv[0] = gk15(t, pa[0], pb[0], &pe[0], stats);
    for (;;) {
        int worst = 0;
        total = err = 0.0;
        for (i = 0; i < n; i++) {
            total += pv[i];
            err += pe[i];
            if (pe[i] > pe[worst])
                worst = i;
        }
        if (!isfinite(total))
            return (double)INFINITY;
        if (err <= rel_tol * total || n >= GK_MAX_PANELS)
            return total;
        {
            const double m = 0.5 * (pa[worst] + pb[worst]);
            pa[n] = m;
            pb[n] = pb[worst];
            pb[worst] = m;
            pv[worst] = gk15(t, pa[worst], pb[worst], &pe[worst], stats);
            pv[n] = gk15(t, pa[n], pb[n], &pe[n], stats);
            n++;
        }
    }
}

/* Bound refinements tried before the quadrature: each costs one level evaluation, the
 * quadrature about 30 or more. */
#define DECIDE_POINTS 6

int rec_rs_gprs_accept(const rec_rs_target *t, double T, double log_h, rec_rs_stats *stats)
{
    double h;
    int d;

    if (stats != NULL)
        stats->tests++;
    if (log_h >= 700.0) /* h beyond any time the samplers reach: T < h <= sigma(h) */
        return 1;
    h = rec_exp(log_h);
    if (T < h) {
        if (stats != NULL)
            stats->cheap++;
        return 1;
    }
    if (h < 1.0 && T >= -rec_log1p(-h)) {
        if (stats != NULL)
            stats->cheap++;
        return 0;
    }
    d = bounds_decide(t, h, log_h, T, DECIDE_POINTS, stats);
    if (d >= 0)
        return d;
    if (stats != NULL)
        stats->quads++;
    return T < sigma_quad(t, log_h, 1e-11, stats);
}

double rec_rs_stretch(const rec_rs_target *t, double h, double rel_tol)
{
    double log_h;
    if (!(h > 0.0))
        return 0.0;
    if (rel_tol < 1e-13)
        rel_tol = 1e-13;
    log_h = rec_log(h);
    if (log_h >= t->dinf)
        return (double)INFINITY;
    return sigma_quad(t, log_h, rel_tol, NULL);
}

double rec_gprs_stretch(double mu, double s, double h, double rel_tol)
{
    rec_rs_target t;
    if (rec_rs_target_init(&t, mu, s) != REC_OK || h != h)
        return (double)NAN;
    return rec_rs_stretch(&t, h, rel_tol);
}

/* ---- global GPRS ------------------------------------------------------------------------ */

static double gprs_beta(double s)
{
    const double info_bits = -rec_log(s) / LN2;
    return 1.0 / (info_bits + 1.0);
}

rec_status rec_gprs_encode(double mu, double s, const rec_key *key, uint64_t max_steps,
                           rec_rc_encoder *enc, rec_rs_result *out)
{
    rec_rs_target t;
    rec_status st;
    uint64_t seed, n;
    double T = 0.0;

    if (key == NULL || out == NULL || max_steps == 0)
        return REC_ERR_INVALID_ARG;
    st = rec_rs_target_init(&t, mu, s);
    if (st != REC_OK)
        return st;
    seed = rec_key_u64(key, 0);
    for (n = 1; n <= max_steps; n++) {
        const double x = rec_prng_normal(seed, REC_RS_STREAM_X, n);
        T += rec_prng_exponential(seed, REC_RS_STREAM_T, n);
        if (rec_rs_gprs_accept(&t, T, rec_rs_log_r(&t, x), NULL)) {
            out->x = x;
            out->steps = n;
            out->code = n;
            if (enc != NULL)
                rec_rs_zeta_encode(enc, gprs_beta(s), n);
            return REC_OK;
        }
    }
    out->steps = max_steps;
    out->code = 0;
    out->x = 0.0;
    return REC_ERR_STEP_CAP;
}

rec_status rec_gprs_decode(double s, const rec_key *key, rec_rc_decoder *dec, double *x)
{
    return rec_rs_global_decode(s, gprs_beta, key, dec, x);
}
