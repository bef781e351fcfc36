/* bench/bench_rd_bound.c - what any REC stage could gain over rounding, for one Laplace
 * coefficient and summed over an image's coefficients (issue 4, docs/REC_CODEC.md
 * "What any REC stage could gain (session 9)").
 *
 * The argument: for J = R + lambda D a stage that uses shared randomness U pays
 * E_U[R(U) + lambda D(U)] >= min_u [R(u) + lambda D(u)], and each fixed u is a
 * deterministic entropy-coded scalar quantizer; so a per-coefficient REC stage with
 * the same prior is at best the optimal ECSQ, and only a joint code of many
 * coefficients can go below it, by at most R_ECSQ(D) - R(D). This program puts numbers
 * on both sides: for a Laplace(0, 1) source (results scale with b) it tabulates, at a set
 * of rates, the distortion of the optimal ECSQ (the deadzone family, checked against a
 * free-threshold ECSQ), plain rounding, the rounding baseline's deadzone, dithered uq
 * (and its fixed offsets), the codec's deadzone uq, the Gaussian channel at its
 * information with the exact posterior mean, and R(D) (Blahut-Arimoto with a dual
 * certificate, and free output atoms at low rates); then, from a dump of the rounding
 * anchor's per-coefficient s / b (bench/diagnostics/rdbound_hooks.patch), the share of
 * rounding's rate that R(D), the optimal ECSQ or the Gaussian channel would save at each
 * coefficient's distortion.
 *
 * Build: with the tree (target bench_rd_bound: build/bench/bench_rd_bound).
 * Run:   bench_rd_bound                 the tables (a few minutes: R(D) is solved at
 *                                       40 slopes)
 *        bench_rd_bound prize DUMP...   one row per dump file of float32 s / b values
 *                                       (negative: a DC, coded without a deadzone)
 * A bad command line is refused with exit status 1 and the usage text.
 * Not part of the codec: libm throughout. */
#include "bench_args.h"
#include "rd_bound.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LN2 0.69314718055994530942
#define NU 128          /* dither midpoints for uq */
#define NLAMBDA 1200    /* ECSQ table: lambda = 0.01 .. 1e6 */
#define NSIGMA 260      /* Gaussian channel table: sigma = 0.004 .. 400 */

static const double rates[] = {0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0};
#define NRATES ((int)(sizeof rates / sizeof rates[0]))

/* ---- tables ---- */

static int curve_alloc(rdb_curve *c, int n, int with_bounds)
{
    c->n = n;
    c->D = malloc(sizeof *c->D * (size_t)n);
    c->R = malloc(sizeof *c->R * (size_t)n);
    c->Rlo = with_bounds ? malloc(sizeof *c->Rlo * (size_t)n) : NULL;
    c->slope = with_bounds ? malloc(sizeof *c->slope * (size_t)n) : NULL;
    return c->D && c->R && (!with_bounds || (c->Rlo && c->slope)) ? 0 : -1;
}

/* sort points by D ascending (insertion sort: small tables) */
static void curve_sort(rdb_curve *c)
{
    for (int i = 1; i < c->n; i++)
        for (int j = i; j > 0 && c->D[j] < c->D[j - 1]; j--) {
            double t;
            t = c->D[j]; c->D[j] = c->D[j - 1]; c->D[j - 1] = t;
            t = c->R[j]; c->R[j] = c->R[j - 1]; c->R[j - 1] = t;
            if (c->Rlo) { t = c->Rlo[j]; c->Rlo[j] = c->Rlo[j - 1]; c->Rlo[j - 1] = t; }
            if (c->slope) { t = c->slope[j]; c->slope[j] = c->slope[j - 1]; c->slope[j - 1] = t; }
        }
}

/* The optimal ECSQ over lambda (each point a Lagrangian optimum, hence on the lower
 * convex hull of the family). */
static int ecsq_table(rdb_curve *c)
{
    if (curve_alloc(c, NLAMBDA, 0))
        return -1;
    for (int i = 0; i < NLAMBDA; i++) {
        const double lambda = 0.01 * pow(1e8, (double)i / (NLAMBDA - 1));
        double s, t;
        rdb_point p;
        rdb_ecsq_opt(lambda, &s, &t, &p);
        c->D[i] = p.D;
        c->R[i] = p.R;
    }
    curve_sort(c);
    return 0;
}

static int gauss_table(rdb_curve *c)
{
    if (curve_alloc(c, NSIGMA, 0))
        return -1;
    for (int i = 0; i < NSIGMA; i++) {
        const double sg = 0.004 * pow(1e5, (double)i / (NSIGMA - 1));
        const rdb_point p = rdb_gauss_channel(sg);
        c->D[i] = p.D;
        c->R[i] = p.R;
    }
    curve_sort(c);
    return 0;
}

/* The codec's deadzone uq (0x400 rule) over its step s = 0.02 .. 300: each point its
 * (D, H[K | U]); D rises and R falls with s. */
static int dzuq_table(rdb_curve *c)
{
    enum { NDZ = 400 };
    if (curve_alloc(c, NDZ, 0))
        return -1;
    for (int i = 0; i < NDZ; i++) {
        const double st = 0.02 * pow(300.0 / 0.02, (double)i / (NDZ - 1));
        const rdb_point p = rdb_uq(st, rdb_codec_dz_uq_d(st), 64);
        c->D[i] = p.D;
        c->R[i] = p.R;
    }
    curve_sort(c);
    return 0;
}

/* R(D) of Laplace(0, 1) at NB slopes beta = 0.12 .. beta_max (log-spaced): free atoms at
 * low rates (beta < 2, discrete optimal output), grid Blahut-Arimoto above; every point
 * keeps its certificate line. Prints the points when verbose. The tables go to beta 400
 * (5 bits); the prize stops at 60 (3.9 bits), beyond which the Shannon lower bound and the
 * Gaussian channel bracket R(D) within 1e-4 bit (section 2 of the tables). */
static int rd_table(rdb_curve *c, int verbose, int NB, double beta_max)
{
    if (curve_alloc(c, NB, 1))
        return -1;
    if (verbose)
        printf("\n| beta | method | grid h | atoms or points | iterations | D | R upper | R lower | gap | SLB | R upper - SLB |\n"
               "|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < NB; i++) {
        const double beta = 0.12 * pow(beta_max / 0.12, (double)i / (NB - 1));
        double h, L;
        rdb_ba_result r;
        const int atoms = beta < 2.0;
        rdb_ba_grid(RDB_SRC_LAPLACE, beta, &h, &L);
        if ((atoms ? rdb_rd_atoms(RDB_SRC_LAPLACE, beta, h, L, 2e-6 * LN2, 3000, &r)
                   : rdb_blahut_arimoto(RDB_SRC_LAPLACE, beta, h, L, 2e-6 * LN2, 400, &r)))
            return -1;
        c->D[i] = r.D;
        c->R[i] = r.R_upper;
        c->Rlo[i] = r.R_lower;
        c->slope[i] = -beta / LN2;
        if (verbose) {
            printf("| %.4g | %s | %.4g | %d | %d | %.6g | %.6f | %.6f | %.2e | %.6f | %.6f |\n", beta,
                   atoms ? "atoms" : "grid BA", h, r.n, r.iters, r.D, r.R_upper, r.R_lower, r.gap_bits,
                   rdb_slb_laplace(r.D), r.R_upper - rdb_slb_laplace(r.D));
            fflush(stdout);
        }
    }
    curve_sort(c);
    return 0;
}

/* R(D) estimates at D: *up an achievable rate (the R(D) points' interpolation, or the
 * Gaussian channel's when lower or outside), *lo a lower bound (every certificate line,
 * the Shannon lower bound, 0). */
static void rd_at(const rdb_curve *rd, const rdb_curve *gs, double D, double *lo, double *up)
{
    double u = rdb_curve_rate(rd, D), g = rdb_curve_rate(gs, D), l;
    if (u < 0.0 || (g >= 0.0 && g < u))
        u = g;   /* -1 when D is outside both tables: the caller falls back on its own rate */
    l = rdb_curve_tangent_lower(rd, D);
    if (rdb_slb_laplace(D) > l)
        l = rdb_slb_laplace(D);
    if (l < 0.0)
        l = 0.0;
    *lo = l;
    *up = u;
}

/* ---- one-parameter schemes at a target rate ---- */

typedef rdb_point (*scheme_fn)(double param, double u);

static rdb_point sch_round(double s, double u) { (void)u; return rdb_ecsq(s, 0.5 * s); }
static rdb_point sch_round_dz(double s, double u) { (void)u; return rdb_ecsq(s, rdb_round_dz_t(s)); }
static rdb_point sch_uq(double s, double u) { (void)u; return rdb_uq(s, 0.0, NU); }
static rdb_point sch_dz_uq(double s, double u) { (void)u; return rdb_uq(s, rdb_codec_dz_uq_d(s), NU); }
static rdb_point sch_offset(double s, double u) { return rdb_offset_quant(s, u, 0.0); }
static rdb_point sch_gauss(double sg, double u) { (void)u; return rdb_gauss_channel(sg); }

/* the parameter in [lo, hi] (rate decreasing in it) at which the rate is R0 */
static double solve_rate(scheme_fn f, double u, double R0, double lo, double hi, rdb_point *p)
{
    double a = log(lo), b = log(hi);
    for (int i = 0; i < 60; i++) {
        const double m = 0.5 * (a + b);
        if (f(exp(m), u).R > R0)
            a = m;
        else
            b = m;
    }
    *p = f(exp(0.5 * (a + b)), u);
    return exp(0.5 * (a + b));
}

/* the ECSQ optimum at rate R0: lambda by bisection */
static void ecsq_at_rate(double R0, double *s, double *t, double *lambda, rdb_point *p)
{
    double a = log(0.005), b = log(5e6);
    for (int i = 0; i < 50; i++) {
        const double m = 0.5 * (a + b);
        rdb_ecsq_opt(exp(m), s, t, p);
        if (p->R < R0)
            a = m;
        else
            b = m;
    }
    *lambda = exp(0.5 * (a + b));
    rdb_ecsq_opt(*lambda, s, t, p);
}

static void row(const char *name, const char *param, rdb_point p, const rdb_curve *ec, double R0)
{
    const double re = rdb_curve_rate(ec, p.D);
    if (R0 > 0.0 && fabs(p.R - R0) > 1e-4 * R0)
        printf("| %s | cannot reach this rate (at s = %.4g: R %.5f) | - | - | - | - | - |\n", name,
               strtod(param + 2, NULL), p.R);
    else if (re > 0.0)
        printf("| %s | %s | %.5f | %.6f | %.3f | %+.5f | %+.2f%% |\n", name, param, p.R, p.D, 10.0 * log10(2.0 / p.D),
               p.R - re, 100.0 * (p.R - re) / re);
    else
        printf("| %s | %s | %.5f | %.6f | %.3f | - | - |\n", name, param, p.R, p.D, 10.0 * log10(2.0 / p.D));
}

static int tables(void)
{
    rdb_curve ec = {0}, gs = {0}, rd = {0};
    printf("# bench_rd_bound: one Laplace(0, 1) coefficient (variance 2; D scales with b^2, R does not).\n"
           "# Every decoder outputs the conditional mean given what it knows. dR vs ECSQ = the scheme's rate minus\n"
           "# the optimal ECSQ's rate at the scheme's distortion (ECSQ table: %d Lagrangian optima, interpolated in ln D).\n",
           NLAMBDA);
    if (ecsq_table(&ec) || gauss_table(&gs)) {
        fprintf(stderr, "bench_rd_bound: out of memory\n");
        return 1;
    }

    printf("\n## 1. Is the deadzone family the optimal ECSQ? (free thresholds and reconstruction points,\n"
           "## Chou-Lookabaugh-Gray iteration from the family's optimum, 300 iterations; J = R + lambda D)\n\n"
           "| lambda | s | t | R | J family | J free | J free - J family |\n|---|---|---|---|---|---|---|\n");
    for (double lambda = 0.05; lambda < 5e4; lambda *= 4.0) {
        double s, t;
        rdb_point p;
        double Jf;
        rdb_ecsq_opt(lambda, &s, &t, &p);
        Jf = rdb_ecsq_free_refine(lambda, s, t, 300);
        printf("| %.4g | %.5f | %.5f | %.5f | %.8f | %.8f | %.2e |\n", lambda, s, t, p.R, p.R + lambda * p.D, Jf,
               Jf - (p.R + lambda * p.D));
    }
    printf("\nFrom plain rounding at the same step (t = s/2) the free iteration must find the family's optimum or\n"
           "a worse local one:\n\n| lambda | J family opt | J free from rounding (300 it) |\n|---|---|---|\n");
    for (double lambda = 0.2; lambda < 5e4; lambda *= 16.0) {
        double s, t;
        rdb_point p;
        rdb_ecsq_opt(lambda, &s, &t, &p);
        printf("| %.4g | %.8f | %.8f |\n", lambda, p.R + lambda * p.D, rdb_ecsq_free_refine(lambda, s, 0.5 * s, 300));
    }

    printf("\n## 2. R(D) of Laplace(0, 1): certified points (grid source x_i = i h, |x| <= 30, the cell masses;\n"
           "## reproduction on the same grid; stop when the certificate gap <= 2e-6 bit or at the iteration cap)\n");
    if (rd_table(&rd, 1, 40, 400.0)) {
        fprintf(stderr, "bench_rd_bound: out of memory\n");
        return 1;
    }
    printf("\nThe Shannon lower bound h(Y) - 1/2 log2(2 pi e D) = log2(2e) - 1/2 log2(2 pi e D) is a bound (R lower >= SLB\n"
           "up to the grid) and tight at high rate. Checks against the Gaussian closed form: tests/tools/test_rd_bound.c.\n");

    printf("\n## 3. Schemes at equal rate\n");
    for (int r = 0; r < NRATES; r++) {
        const double R0 = rates[r];
        double s, t, lambda, lo, up, dlo, dhi;
        rdb_point p;
        char buf[96];
        printf("\n### R = %.2f bit\n\n| scheme | parameter | R | D | SNR dB | dR vs ECSQ (bit) | dR / R_ECSQ |\n"
               "|---|---|---|---|---|---|---|\n", R0);
        ecsq_at_rate(R0, &s, &t, &lambda, &p);
        snprintf(buf, sizeof buf, "s %.4f, t %.4f (t/s %.3f), lambda %.4g", s, t, t / s, lambda);
        row("optimal ECSQ (deadzone family)", buf, p, &ec, R0);
        s = solve_rate(sch_round, 0.0, R0, 1e-3, 200.0, &p);
        snprintf(buf, sizeof buf, "s %.4f", s);
        row("rounding, t = s/2", buf, p, &ec, R0);
        s = solve_rate(sch_round_dz, 0.0, R0, 1e-3, 200.0, &p);
        snprintf(buf, sizeof buf, "s %.4f, t/s %.3f", s, rdb_round_dz_t(s) / s);
        row("rounding baseline's deadzone (0x800)", buf, p, &ec, R0);
        s = solve_rate(sch_uq, 0.0, R0, 1e-3, 2000.0, &p);
        snprintf(buf, sizeof buf, "s %.4f", s);
        row("uq, dithered (H[K|U], E[y|K,U])", buf, p, &ec, R0);
        for (int k = 1; k <= 2; k++) {
            const double u = 0.25 * k;
            s = solve_rate(sch_offset, u, R0, 1e-3, 2000.0, &p);
            snprintf(buf, sizeof buf, "s %.4f", s);
            row(k == 1 ? "fixed offset u = 1/4" : "fixed offset u = 1/2 (midrise)", buf, p, &ec, R0);
        }
        s = solve_rate(sch_dz_uq, 0.0, R0, 1e-3, 2000.0, &p);
        snprintf(buf, sizeof buf, "s %.4f, d %.4f", s, rdb_codec_dz_uq_d(s));
        row("codec's deadzone uq (0x400 rule)", buf, p, &ec, R0);
        s = solve_rate(sch_gauss, 0.0, R0, 1e-3, 1000.0, &p);
        snprintf(buf, sizeof buf, "sigma %.4f", s);
        row("Gaussian channel at I(y;X), E[y|X]", buf, p, &ec, R0);
        /* R(D): the distortion at which the R(D) estimates reach R0 (bisection in D) */
        dlo = 1e-6;
        dhi = 2.0;
        for (int i = 0; i < 60; i++) {
            const double m = sqrt(dlo * dhi);
            rd_at(&rd, &gs, m, &lo, &up);
            if (up > R0)
                dlo = m;
            else
                dhi = m;
        }
        p.D = sqrt(dlo * dhi);
        rd_at(&rd, &gs, p.D, &lo, &up);
        p.R = up;
        snprintf(buf, sizeof buf, "R lower bound at this D %.5f", lo);
        row("R(D) (certified points, interpolated)", buf, p, &ec, 0.0);
    }

    printf("\n## 4. The averaging argument: uq at the step of the table's rate, J = R + lambda D with lambda the\n"
           "## optimal ECSQ's slope at that rate; J of the fixed offsets u, their mean (= uq's J exactly) and min\n\n"
           "| R target | s | lambda | J(u), u = -1/2, -3/8, ..., 3/8 | mean over u (uq) | min over u | J optimal ECSQ |\n"
           "|---|---|---|---|---|---|---|\n");
    for (int r = 0; r < NRATES; r++) {
        double s, t, lambda, mn = HUGE_VAL, mean = 0.0;
        rdb_point p, pe;
        ecsq_at_rate(rates[r], &s, &t, &lambda, &pe);
        s = solve_rate(sch_uq, 0.0, rates[r], 1e-3, 2000.0, &p);
        printf("| %.2f | %.4f | %.4g | ", rates[r], s, lambda);
        for (int k = 0; k < 8; k++) {
            const rdb_point q = rdb_offset_quant(s, -0.5 + k / 8.0, 0.0);
            const double J = q.R + lambda * q.D;
            printf("%s%.5f", k ? ", " : "", J);
        }
        for (int j = 0; j < NU; j++) {
            const rdb_point q = rdb_offset_quant(s, (j + 0.5) / NU - 0.5, 0.0);
            const double J = q.R + lambda * q.D;
            mean += J / NU;
            if (J < mn)
                mn = J;
        }
        printf(" | %.5f | %.5f | %.5f |\n", mean, mn, pe.R + lambda * pe.D);
    }
    rdb_curve_free(&ec);
    rdb_curve_free(&gs);
    rdb_curve_free(&rd);
    return 0;
}

/* ---- the image-level prize ---- */

/* classes of coefficients for the breakdown: DC, then AC by rounding's ideal rate */
#define NCLASS 7
static const char *const class_name[NCLASS] = {"DC", "AC R < 0.05", "AC 0.05-0.2", "AC 0.2-0.5", "AC 0.5-1",
                                               "AC 1-2", "AC R >= 2"};
static int class_of(int dc, double R)
{
    if (dc)
        return 0;
    return R < 0.05 ? 1 : R < 0.2 ? 2 : R < 0.5 ? 3 : R < 1.0 ? 4 : R < 2.0 ? 5 : 6;
}

typedef struct {
    double n, R, lo, hi, e, g, dz, hy;
} prize_sums;

static int prize(int nfiles, char **files)
{
    rdb_curve ec = {0}, gs = {0}, rd = {0}, dz = {0};
    prize_sums *sums = calloc((size_t)nfiles * NCLASS, sizeof *sums);
    if (!sums || ecsq_table(&ec) || gauss_table(&gs) || dzuq_table(&dz) || rd_table(&rd, 0, 34, 60.0)) {
        fprintf(stderr, "bench_rd_bound: out of memory\n");
        return 1;
    }
    printf("# bench_rd_bound prize: per dump, the rounding anchor's ideal rate under its priors (sum over coded\n"
           "# coefficients of the index entropy at s/b, with round's deadzone for AC), and the share of it that each\n"
           "# alternative would save at every coefficient's own distortion: R(D) (a range: [interpolated points,\n"
           "# certified lower bound]), the optimal ECSQ, the Gaussian channel at its information (negative = costs more),\n"
           "# the codec's deadzone uq (0x400 rule, H[K|U]; the zero-bit rule's skip not modelled), and the better of\n"
           "# rounding and the Gaussian channel per coefficient (the ideal hybrid)\n\n"
           "| dump | coefficients | DC | ideal bits | bits/coef | R(D) saves | optimal ECSQ saves | Gaussian channel saves | deadzone uq saves | hybrid saves | coefs below 0.001 bit: share of bits |\n"
           "|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int f = 0; f < nfiles; f++) {
        FILE *fp = fopen(files[f], "rb");
        float buf[4096];
        size_t got;
        double n = 0, ndc = 0, Rsum = 0, sav_lo = 0, sav_hi = 0, sav_e = 0, sav_g = 0, sav_dz = 0, sav_hy = 0, tiny = 0;
        prize_sums *cs = &sums[f * NCLASS];
        if (!fp) {
            fprintf(stderr, "bench_rd_bound: cannot open '%s'\n", files[f]);
            free(sums);
            return 1;
        }
        while ((got = fread(buf, sizeof buf[0], sizeof buf / sizeof buf[0], fp)) > 0)
            for (size_t i = 0; i < got; i++) {
                const int dc = buf[i] < 0.0f;
                const double x = fabs((double)buf[i]);
                rdb_point p;
                double lo, up, re, rg, rz;
                if (!(x > 0.0) || !isfinite(x)) {
                    fclose(fp);
                    fprintf(stderr, "bench_rd_bound: '%s' holds a bad value (%g)\n", files[f], (double)buf[i]);
                    free(sums);
                    return 1;
                }
                p = rdb_ecsq(x, dc ? 0.5 * x : rdb_round_dz_t(x));
                n += 1;
                ndc += dc;
                Rsum += p.R;
                if (p.R < 0.001)
                    tiny += p.R;
                rd_at(&rd, &gs, p.D, &lo, &up);
                if (up < 0.0 || up > p.R)
                    up = p.R;         /* rounding itself is achievable */
                if (lo > up)
                    lo = up;
                sav_lo += p.R - up;   /* R(D) <= up: the saving is at least this */
                sav_hi += p.R - lo;   /* and at most this */
                re = rdb_curve_rate(&ec, p.D);
                re = re >= 0.0 && re < p.R ? re : p.R;
                sav_e += p.R - re;
                rg = rdb_curve_rate(&gs, p.D);
                sav_g += rg >= 0.0 ? p.R - rg : 0.0;
                sav_hy += rg >= 0.0 && rg < p.R ? p.R - rg : 0.0;
                rz = rdb_curve_rate(&dz, p.D);
                sav_dz += rz >= 0.0 ? p.R - rz : 0.0;
                {
                    prize_sums *c = &cs[class_of(dc, p.R)];
                    c->n += 1;
                    c->R += p.R;
                    c->lo += p.R - up;
                    c->hi += p.R - lo;
                    c->e += p.R - re;
                    c->g += rg >= 0.0 ? p.R - rg : 0.0;
                    c->dz += rz >= 0.0 ? p.R - rz : 0.0;
                    c->hy += rg >= 0.0 && rg < p.R ? p.R - rg : 0.0;
                }
            }
        if (ferror(fp)) {
            fclose(fp);
            fprintf(stderr, "bench_rd_bound: read error on '%s'\n", files[f]);
            free(sums);
            return 1;
        }
        fclose(fp);
        if (n == 0) {
            fprintf(stderr, "bench_rd_bound: '%s' is empty\n", files[f]);
            free(sums);
            return 1;
        }
        printf("| %s | %.0f | %.0f | %.0f | %.4f | %.2f%% .. %.2f%% | %.2f%% | %+.2f%% | %+.2f%% | %.2f%% | %.3f%% |\n",
               files[f], n, ndc, Rsum, Rsum / n, 100.0 * sav_lo / Rsum, 100.0 * sav_hi / Rsum, 100.0 * sav_e / Rsum,
               100.0 * sav_g / Rsum, 100.0 * sav_dz / Rsum, 100.0 * sav_hy / Rsum, 100.0 * tiny / Rsum);
        fflush(stdout);
    }
    printf("\nBy class (rounding's ideal rate per coefficient, bits): share of the dump's ideal bits, and each\n"
           "alternative's saving as a share of the class's own bits\n\n"
           "| dump | class | coefficients | share of bits | R(D) saves | optimal ECSQ saves | Gaussian channel saves | deadzone uq saves |\n"
           "|---|---|---|---|---|---|---|---|\n");
    for (int f = 0; f < nfiles; f++) {
        double tot = 0.0;
        for (int k = 0; k < NCLASS; k++)
            tot += sums[f * NCLASS + k].R;
        for (int k = 0; k < NCLASS; k++) {
            const prize_sums *c = &sums[f * NCLASS + k];
            if (c->n == 0)
                continue;
            printf("| %s | %s | %.0f | %.2f%% | %.2f%% .. %.2f%% | %.2f%% | %+.2f%% | %+.2f%% |\n", files[f], class_name[k],
                   c->n, 100.0 * c->R / tot, 100.0 * c->lo / c->R, 100.0 * c->hi / c->R, 100.0 * c->e / c->R,
                   100.0 * c->g / c->R, 100.0 * c->dz / c->R);
        }
    }
    free(sums);
    rdb_curve_free(&ec);
    rdb_curve_free(&gs);
    rdb_curve_free(&rd);
    rdb_curve_free(&dz);
    return 0;
}

/* ---- the same sums with the coefficients' actual values ---- */

/* sigma of the Gaussian channel whose MMSE is D: the table's points with R replaced by
   ln sigma (both monotone in D) */
static int sigma_table(rdb_curve *c)
{
    if (curve_alloc(c, NSIGMA, 0))
        return -1;
    for (int i = 0; i < NSIGMA; i++) {
        const double sg = 0.004 * pow(1e5, (double)i / (NSIGMA - 1));
        c->D[i] = rdb_gauss_channel(sg).D;
        c->R[i] = log(sg);
    }
    curve_sort(c);
    return 0;
}

typedef struct {
    double n, Ri, Rr, Dr, Rg, Dg, Rgeq;
} real_sums;

/* One coefficient with its actual value y (units of b) and b (coefficient units): rounding's
   cost under the prior (-log2 of its cell's mass, no escape) and squared error from the
   cell's centroid; the Gaussian channel matched to rounding's expected distortion, at its
   realised KL, its expected squared error, and that rate moved to rounding's realised
   squared error along the channel's slope (first order). Only coefficients whose ideal
   rounding rate is at least 0.2 bit (most of the bits); the others count at their ideal
   values for both. */
static void realise(double x, int dc, double y, double bab, const rdb_curve *gs, const rdb_curve *sgc,
                    real_sums *a)
{
    const double t = dc ? 0.5 * x : rdb_round_dz_t(x), b2 = bab * bab;
    const rdb_point p = rdb_ecsq(x, t);
    double Rg_i = rdb_curve_rate(gs, p.D);
    a->n += 1;
    a->Ri += p.R;
    if (Rg_i < 0.0)
        Rg_i = p.R;
    if (p.R < 0.2) {
        a->Rr += p.R;
        a->Dr += p.D * b2;
        a->Rg += Rg_i;
        a->Dg += p.D * b2;
        a->Rgeq += Rg_i;
        return;
    }
    {
        const double ay = fabs(y);
        double lo, hi, m, mu, v, cost, dr, kl, dg, sg, slope;
        if (ay <= t) {
            lo = -t;
            hi = t;
        } else {
            const double k = floor((ay - t) / x);
            lo = t + k * x;
            hi = lo + x;
        }
        rdb_laplace_cell(lo, hi, &m, &mu, &v);
        if (m > 0.0) {
            if (lo > 0.0)
                mu = y < 0.0 ? -mu : mu;
            cost = -log2(ay <= t ? m : m);
        } else {   /* beyond double range: -log2 of the cell's mass from its exponent */
            cost = (lo / LN2) + 1.0 - log2(-expm1(-x));
            mu = y < 0.0 ? -(lo + 0.5 * x) : lo + 0.5 * x;
        }
        dr = (y - mu) * (y - mu);
        sg = exp(rdb_curve_rate(sgc, p.D));
        rdb_gauss_realised(y, sg, &kl, &dg);
        {
            const double e = 1e-3, r1 = rdb_curve_rate(gs, p.D * (1.0 - e)), r2 = rdb_curve_rate(gs, p.D * (1.0 + e));
            slope = (r1 >= 0.0 && r2 >= 0.0) ? (r2 - r1) / (2.0 * e * p.D) : 0.0;   /* dR/dD < 0 */
        }
        a->Rr += cost;
        a->Dr += dr * b2;
        a->Rg += kl;
        a->Dg += dg * b2;
        a->Rgeq += kl + slope * (dr - dg);
    }
}

static int realised(int npairs, char **files)
{
    rdb_curve gs = {0}, sgc = {0};
    if (gauss_table(&gs) || sigma_table(&sgc)) {
        fprintf(stderr, "bench_rd_bound: out of memory\n");
        return 1;
    }
    printf("# bench_rd_bound realised: the coefficients' actual values under their priors. Rounding: -log2 of\n"
           "# its cell's prior mass (an exact Laplace coder, no escape) and the error from the cell's centroid;\n"
           "# Gaussian channel (sigma matched to rounding's expected distortion): its realised KL and expected error;\n"
           "# coefficients with an ideal rounding rate under 0.2 bit at their ideal values for both.\n\n"
           "| dumps | class | coefficients | ideal bits | rounding realised bits (/ ideal) | rounding MSE realised / ideal | "
           "Gaussian realised KL bits vs rounding realised | Gaussian MSE vs rounding realised | Gaussian bits at rounding's realised MSE (first order) vs rounding |\n"
           "|---|---|---|---|---|---|---|---|---|\n");
    for (int f = 0; f < npairs; f++) {
        FILE *fx = fopen(files[2 * f], "rb"), *fy = fopen(files[2 * f + 1], "rb");
        real_sums a[2];
        double Di[2] = {0, 0};
        float vx, vy[2];
        memset(a, 0, sizeof a);
        if (!fx || !fy) {
            fprintf(stderr, "bench_rd_bound: cannot open '%s' or '%s'\n", files[2 * f], files[2 * f + 1]);
            if (fx) fclose(fx);
            if (fy) fclose(fy);
            return 1;
        }
        while (fread(&vx, sizeof vx, 1, fx) == 1) {
            const int dc = vx < 0.0f;
            const double x = fabs((double)vx);
            if (fread(vy, sizeof vy[0], 2, fy) != 2 || !(x > 0.0) || !isfinite(x) || !isfinite((double)vy[0]) ||
                !(vy[1] > 0.0f)) {
                fprintf(stderr, "bench_rd_bound: '%s' and '%s' do not match\n", files[2 * f], files[2 * f + 1]);
                fclose(fx);
                fclose(fy);
                return 1;
            }
            realise(x, dc, (double)vy[0], (double)vy[1], &gs, &sgc, &a[dc]);
            Di[dc] += rdb_ecsq(x, dc ? 0.5 * x : rdb_round_dz_t(x)).D * (double)vy[1] * (double)vy[1];
        }
        fclose(fx);
        fclose(fy);
        for (int k = 0; k < 3; k++) {
            real_sums t;
            double di;
            if (k < 2) {
                t = a[k];
                di = Di[k];
            } else {
                t.n = a[0].n + a[1].n; t.Ri = a[0].Ri + a[1].Ri; t.Rr = a[0].Rr + a[1].Rr; t.Dr = a[0].Dr + a[1].Dr;
                t.Rg = a[0].Rg + a[1].Rg; t.Dg = a[0].Dg + a[1].Dg; t.Rgeq = a[0].Rgeq + a[1].Rgeq;
                di = Di[0] + Di[1];
            }
            if (t.n == 0)
                continue;
            printf("| %s | %s | %.0f | %.0f | %.0f (%.3f) | %+.3f dB | %+.2f%% | %+.3f dB | %+.2f%% |\n", files[2 * f],
                   k == 0 ? "AC" : k == 1 ? "DC" : "all", t.n, t.Ri, t.Rr, t.Rr / t.Ri, 10.0 * log10(t.Dr / di),
                   100.0 * (t.Rg / t.Rr - 1.0), 10.0 * log10(t.Dg / t.Dr), 100.0 * (t.Rgeq / t.Rr - 1.0));
        }
        fflush(stdout);
    }
    rdb_curve_free(&gs);
    rdb_curve_free(&sgc);
    return 0;
}

static const char usage_text[] =
    "usage: bench_rd_bound                  the one-coefficient tables\n"
    "       bench_rd_bound prize DUMP...    the image-level prize, one row per dump of float32 s/b values\n"
    "       bench_rd_bound realised DUMP YDUMP [DUMP YDUMP...]   the same coefficients' actual values\n";

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        }
    if (argc == 1)
        return tables();
    if (!strcmp(argv[1], "prize")) {
        if (argc < 3)
            return bench_usage_error(usage_text, "bench_rd_bound: prize needs at least one DUMP file");
        return prize(argc - 2, argv + 2);
    }
    if (!strcmp(argv[1], "realised")) {
        if (argc < 4 || (argc - 2) % 2)
            return bench_usage_error(usage_text, "bench_rd_bound: realised needs pairs DUMP YDUMP");
        return realised((argc - 2) / 2, argv + 2);
    }
    return bench_usage_error(usage_text, "bench_rd_bound: unknown command '%s'", argv[1]);
}
