/* bench/rd_bound.h: scalar rate-distortion maths for one Laplace coefficient (issue 4,
 * docs/REC_CODEC.md "What any REC stage could gain (session 9)"): operational points of
 * the quantizers the codecs use or could use, the Gaussian channel at its information,
 * and R(D) by Blahut-Arimoto. Used by bench/bench_rd_bound.c and tests/tools/
 * test_rd_bound.c; not part of the codec (libm throughout, nothing here is shared state).
 *
 * Units: the source is Laplace(0, 1) (scale b = 1, variance 2) unless said; every rate
 * and distortion scales with b (R unchanged, D times b^2, a step s stands for s / b).
 * Rates in bits, distortion = mean squared error, reconstruction = the conditional mean
 * of the source given everything the decoder knows (MMSE). */
#ifndef RECIMG_BENCH_RD_BOUND_H
#define RECIMG_BENCH_RD_BOUND_H

/* One operational point: rate R (bits) and distortion D. */
typedef struct {
    double R, D;
} rdb_point;

/* Mass, mean and variance of Laplace(0, 1) restricted to [lo, hi] (lo < hi; either may
 * be infinite). A cell of mass below 1e-300 reports mass 0, mean and variance 0. */
void rdb_laplace_cell(double lo, double hi, double *mass, double *mean, double *var);

/* The deadzone family (uniform-threshold quantizer): zero cell [-t, t], then cells of
 * width s on either side; centroid reconstruction; rate = the index entropy. Closed
 * form, s > 0, t >= 0. t = s / 2 is plain rounding. */
rdb_point rdb_ecsq(double s, double t);

/* The minimiser of J = R + lambda D over the deadzone family (lambda > 0, bits per unit
 * distortion): a coarse grid over (ln s, t / s) and a pattern search from its best cell.
 * *s, *t and *p set. */
void rdb_ecsq_opt(double lambda, double *s, double *t, rdb_point *p);

/* A general entropy-constrained scalar quantizer refined from a start (the Chou-
 * Lookabaugh-Gray iteration: thresholds from the reconstruction points and code lengths,
 * then centroids and -log2 of the masses), symmetric cells up to |y| <= 60, for
 * J = R + lambda D. Starts from the deadzone family at (s, t); returns J after iters
 * iterations (never above the start's J). The check that the deadzone family is optimal
 * ECSQ: free thresholds and reconstruction points should find nothing lower. */
double rdb_ecsq_free_refine(double lambda, double s, double t, int iters);

/* Quantizer with a fixed offset u in [-1/2, 1/2) and a deadzone d >= 0, the shape of
 * the codec's uq and deadzone uq: g = sign(y) max(0, |y| - d), K = round(g / s + u);
 * the y-cell of K is g's cell [s (K - u - 1/2), s (K - u + 1/2)] with every edge >= 0
 * moved up by d and every edge < 0 moved down by d; centroid of the y-cell; rate H[K]
 * at this u. d = 0, u = 0 is plain rounding. */
rdb_point rdb_offset_quant(double s, double u, double d);

/* Subtractive-dither universal quantization (uq) and its deadzone form: the average of
 * rdb_offset_quant over u uniform on [-1/2, 1/2) (nu midpoints): rate H[K | U], decoder
 * E[y | K, U]. */
rdb_point rdb_uq(double s, double d, int nu);

/* The codec's deadzone uq rule (codec/codec_deadzone.h, the 0x400 formula; the default
 * table rule 0x2000 is within 2% of it) at step s for a Laplace(0, 1) prior: the codec's
 * step is sqrt(12) sigma and its r = b / step = 1 / s, so d = s min(2, 0.05 s^1.6) for
 * s > 1 and 0 for s <= 1 (the 600 b cap never binds at s < 10^4). */
double rdb_codec_dz_uq_d(double s);

/* The rounding baseline's deadzone (codec/codec_round.c dz_setup, flags2 0x800, AC
 * values) at step s for a Laplace(0, 1) prior: b in step units is 1 / s, d = min(1,
 * 0.04 s) steps, so the zero cell's half-width is t = s (1/2 + d). (The codec's gain
 * floors on t are not modelled.) */
double rdb_round_dz_t(double s);

/* The Gaussian channel X = y + N(0, sigma^2) with y ~ Laplace(0, 1): R = I(y; X) in bits
 * and D = the MMSE of the exact posterior mean E[y | X] (closed-form posterior, Simpson
 * over x). The "zero-overhead Gaussian REC" point. */
rdb_point rdb_gauss_channel(double sigma);

/* The posterior of the Gaussian channel at X = x: ln of the density of X (*lnf) and
 * E[y | X = x] (*yhat). */
void rdb_gauss_posterior(double x, double sigma, double *lnf, double *yhat);

/* The Gaussian channel for one realised y (not drawn from the prior): its KL in bits,
 * KL(N(y, sigma^2) || the law of X under the prior) = E[ln p(X | y) - ln f(X)] / ln 2, and
 * its expected squared error E[(y - E[y | X])^2], both over X ~ N(y, sigma^2) (Simpson
 * over y +- 8 sigma). What a REC stage at its KL would be charged for this y. */
void rdb_gauss_realised(double y, double sigma, double *kl_bits, double *dist);

/* The Shannon lower bound of Laplace(0, 1): h(Y) - 1/2 log2(2 pi e D), h = log2(2 e). */
double rdb_slb_laplace(double D);

/* Blahut-Arimoto on a grid. Source RDB_SRC_LAPLACE (Laplace(0, 1)) or RDB_SRC_GAUSS
 * (N(0, 1)), discretised to point masses at x_i = i h, |x_i| <= L, the masses of
 * [x_i - h/2, x_i + h/2] renormalised; reproduction alphabet = the same grid; squared
 * error. beta > 0 is minus the slope dR/dD in nats. Iterates (with an over-relaxed update
 * q <- q c^relax, renormalised) until the gap ln max_y c(y) <= tol_nats or maxit. Out:
 * D of the induced channel; R_upper = -beta D + sum p ln lambda (>= I of that channel, so
 * >= R(D)); R_lower = R_upper - gap (a dual-feasible point: R(D') >= R_lower + ... for
 * every D', and R(D) >= R_lower at D). Both in bits, for the GRID source. Returns 0, or -1
 * on out of memory or a bad argument. */
enum { RDB_SRC_LAPLACE = 0, RDB_SRC_GAUSS = 1 };
typedef struct {
    double beta, D, R_upper, R_lower, gap_bits, h, L;
    int iters, n;
} rdb_ba_result;
int rdb_blahut_arimoto(int source, double beta, double h, double L, double tol_nats, int maxit,
                       rdb_ba_result *out);

/* The same problem with free output atoms (EM on atom positions and weights, merging,
 * and an atom added where the certificate peaks), the same certificate and result
 * fields (n = the number of atoms). Converges far faster than rdb_blahut_arimoto when the
 * optimal output is discrete (low rates). */
int rdb_rd_atoms(int source, double beta, double h, double L, double tol_nats, int maxit, rdb_ba_result *out);

/* The grid rule used for the R(D) curves: h = min(0.05, sqrt(1 / (2 beta)) / 16) and
 * L = 30 (Laplace) or 9 (Gauss). */
void rdb_ba_grid(int source, double beta, double *h, double *L);

/* A tabulated curve of points with D increasing and R decreasing (one rate per D), for
 * rate-at-equal-distortion look-ups. */
typedef struct {
    int n;
    double *D, *R;       /* n points */
    double *Rlo;         /* optional lower values (BA: R_lower), or NULL */
    double *slope;       /* optional dR/dD in bits (BA: -beta / ln 2) for tangent bounds, or NULL */
} rdb_curve;

/* R at distortion D by linear interpolation in ln D (D inside the table), -1 outside. */
double rdb_curve_rate(const rdb_curve *c, double D);

/* For a BA curve: the largest tangent lower bound max_k [Rlo_k + slope_k (D - D_k)]
 * (the dual bound of every solved slope), and 0 below 0. */
double rdb_curve_tangent_lower(const rdb_curve *c, double D);

void rdb_curve_free(rdb_curve *c);

#endif
