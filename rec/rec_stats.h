/* rec/rec_stats.h - statistics for testing and studying simulators (not on
 * any shared path; may use libm).
 *
 * rec_stats_ks_uniform: Kolmogorov-Smirnov statistic sqrt(n) * D of values
 *   that should be Unif(0, 1) (pooled PIT values).  Sorts u in place.
 *   sqrt(n) D < 1.63 is the 1% acceptance level for large n.
 * rec_moments: running mean / variance (Welford).
 * rec_stats_dcs_gauss_bits: channel simulation divergence D_CS[Q || P] in
 *   bits for Q = N(mu, s^2), P = N(0, 1), s < 1 (DESIGN.md 3.6), computed by
 *   quadrature of -int_0^M w_P(h) log w_P(h) dh (w_P(h) = P(r(Z) >= h)).
 * rec_stats_kl_gauss_bits: KL(Q || P) in bits.
 */
#ifndef REC_REC_STATS_H
#define REC_REC_STATS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

double rec_stats_ks_uniform(double *u, size_t n);

typedef struct {
    double n, mean, m2;
} rec_moments;

void rec_moments_init(rec_moments *m);
void rec_moments_add(rec_moments *m, double x);
double rec_moments_var(const rec_moments *m); /* sample variance (n - 1) */

double rec_stats_kl_gauss_bits(double mu, double s);
double rec_stats_dcs_gauss_bits(double mu, double s);

/* Median of v (sorted in place); 0 for n == 0. */
double rec_stats_median(double *v, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* REC_REC_STATS_H */
