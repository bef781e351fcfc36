/* rec/rec_pfr.c - Poisson functional representation with the global bound.
 *
 * Paper: C. T. Li and A. El Gamal, "Strong functional representation lemma and
 * applications to coding theorems", IEEE Trans. IT 2018.  Shared proposals X_k ~ P = N(0,1);
 * encoder-only arrival times T_k = E_1 + ... + E_k, E_i ~ Exp(1).  The selected index is
 * K = argmin_k T_k / r(X_k), and X_K ~ Q exactly.  The search stops at the first n with
 * T_n / sup r > min_{k<n} T_k / r(X_k): no later proposal can beat the best ratio.  The
 * proposals examined number exp(D_inf) on average (1 + rho (sup r - 1) given the minimal
 * ratio rho ~ Exp(1)).  Ratios are compared in the log domain, so huge sup r is harmless.
 * Coded: K with the Zeta-type code of rec_index.c, exponent 1 + 1/(I + log2(e)/e + 1),
 * I = -log2 s (decoder-known), the choice of Li & El Gamal with I the channel's information.
 */
#include <math.h> /* isfinite */
#include <stddef.h>

#include "rec.h"
#include "rec_rs_internal.h"

#define LN2 0.69314718055994530942
#define LOG2E_OVER_E 0.53073379381861982 /* log2(e) / e */

static double pfr_beta(double s)
{
    const double info_bits = -rec_log(s) / LN2;
    return 1.0 / (info_bits + LOG2E_OVER_E + 1.0);
}

rec_status rec_pfr_encode(double mu, double s, const rec_key *key, uint64_t max_steps,
                          rec_rc_encoder *enc, rec_rs_result *out)
{
    rec_rs_target t;
    rec_status st;
    uint64_t seed, n, best_k = 0;
    double T = 0.0, best = (double)INFINITY, best_x = 0.0;

    if (key == NULL || out == NULL || max_steps == 0)
        return REC_ERR_INVALID_ARG;
    st = rec_rs_target_init(&t, mu, s);
    if (st != REC_OK)
        return st;
    seed = rec_key_u64(key, 0);
    for (n = 1;; n++) {
        double log_t, score, x;
        T += rec_prng_exponential(seed, REC_RS_STREAM_T, n);
        log_t = rec_log(T);
        if (log_t - t.dinf > best) /* T_n / sup r > best ratio: K is final */
            break;
        if (n > max_steps) {
            out->steps = max_steps;
            out->code = 0;
            out->x = 0.0;
            return REC_ERR_STEP_CAP;
        }
        x = rec_prng_normal(seed, REC_RS_STREAM_X, n);
        score = log_t - rec_rs_log_r(&t, x);
        if (score < best) {
            best = score;
            best_k = n;
            best_x = x;
        }
    }
    out->x = best_x;
    out->steps = n - 1;
    out->code = best_k;
    if (enc != NULL)
        rec_rs_zeta_encode(enc, pfr_beta(s), best_k);
    return REC_OK;
}

rec_status rec_pfr_decode(double s, const rec_key *key, rec_rc_decoder *dec, double *x)
{
    return rec_rs_global_decode(s, pfr_beta, key, dec, x);
}
