/* rec/rec_math.h - deterministic elementary functions for shared paths.
 *
 * Everything the encoder and the decoder both compute must be bit-identical
 * on every build (DESIGN.md section 5).  libm gives no such promise, so these
 * functions are built from IEEE-754 + - * / and sqrt only (and exact bit
 * manipulation of the exponent), with fixed evaluation orders and fixed
 * iteration counts.  Compile with -ffp-contract=off (the project does).
 *
 * Accuracy (tested against long double references in tests/rec/test_rec_math):
 * exp, expm1, log within 2 ulp, log1p within 2.5 ulp; Phi and Phi_c within
 * 8 ulp for |x| <= 38 (measured 4.5; relative 1e-15 while the result is a
 * normal number; Phi(-38) ~ 3e-316 is subnormal, where the ulp is 2^-1074);
 * Phi_inv within a relative 1e-14 plus the effect of 4 ulp of p, for p in
 * [1e-300, 1).
 * All functions are pure and thread-safe.  NaN in gives NaN out.
 */
#ifndef REC_REC_MATH_H
#define REC_REC_MATH_H

#ifdef __cplusplus
extern "C" {
#endif

double rec_exp(double x);
/* out[i] = rec_exp(x[i]) bit for bit, both computed together (SSE2 where built);
 * x and out may be the same array. */
void rec_exp_x2(const double x[2], double out[2]);
double rec_expm1(double x);
/* log(x): -inf at 0, NaN for x < 0. */
double rec_log(double x);
/* *la = rec_log(a), *lb = rec_log(b), bit-identical, computed together. */
void rec_log_pair(double a, double b, double *la, double *lb);
/* rec_exp(a * rec_log(q)) bit for bit (q^a for q > 0), in one call. */
double rec_exp_mul_log(double a, double q);
/* log(1 + x): -inf at -1, NaN for x < -1. */
double rec_log1p(double x);
/* Standard normal CDF and its upper tail 1 - Phi(x), each accurate in the
 * tail where it is small. */
double rec_Phi(double x);
double rec_Phi_c(double x);
/* log Phi(x), accurate for very negative x (no underflow: about -x^2/2). */
double rec_log_Phi(double x);
/* Standard normal density. */
double rec_phi(double x);
/* Mills ratio Phi_c(x) / phi(x) for x >= 0 (NaN for x < 0). */
double rec_mills(double x);
/* *pa = rec_Phi(a), *pb = rec_Phi(b), bit-identical, computed together
 * (faster than two calls: the two evaluations overlap in the CPU). */
void rec_Phi_pair(double a, double b, double *pa, double *pb);
/* Inverse of rec_Phi on (0, 1): -inf at 0, +inf at 1, NaN outside. */
double rec_Phi_inv(double p);

#ifdef __cplusplus
}
#endif

#endif /* REC_REC_MATH_H */
