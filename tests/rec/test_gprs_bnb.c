/* tests/rec/test_gprs_bnb.c - branch-and-bound GPRS: exactness, bit-exact round trip,
 * runtime law against DESIGN 3.2, code length, argument errors.
 *
 * Edge cases: s = 0.999 (channel setting at I = 0.0014 bits: r nearly flat, its mode far
 * out), |mu| = 8 prior standard deviations with s = 0.5 (Q entirely in P's far tail:
 * tests the tail-mass bookkeeping of the node intervals), KL ~ 0 (mu = 0, s = 0.999:
 * KL = 5e-7 nats). */
#define TEST_GPRS_BNB_ONLY 1 /* the global samplers' helpers are not used here */
#include "test_gprs_common.h"

/* DESIGN 3.2 table, Gaussian channel setting: mean steps of BnB GPRS. */
static void check_steps(double info, double want, size_t n)
{
    const target_family f = {"channel (steps law)", 1, info, 0.0, 0.0, 0};
    const case_result r = run_case(S_BNB, &f, n, 777, 64, 0);
    const double se = r.sd_steps / sqrt((double)n);
    printf("  steps law I=%.2f: mean %.3f +- %.3f (SE), DESIGN %.2f, ratio %.4f\n", info,
           r.mean_steps, se, want, r.mean_steps / want);
    CHECKF(fabs(r.mean_steps / want - 1.0) < 0.05, "I=%.2f: mean steps %.3f not within 5%% of %.2f",
           info, r.mean_steps, want);
    CHECKF(se < 0.01 * want, "I=%.2f: too few trials to resolve 5%% (SE %.3f)", info, se);
}

/* Unstandardized entry points: prior N(m, v_p), target N(mu_q, s_q^2), all three samplers;
 * the decoder gets m, v_p, s_q and the key.  Also checks x = m + sqrt(v_p) x_std. */
static void check_gauss_entry_points(void)
{
    const double m = 3.0, v_p = 4.0, mu_q = 4.0, s_q = 1.0; /* mu = 0.5, s = 0.5 */
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    rec_gprs_bnb_model model;
    uint8_t *buf = NULL;
    size_t size = 0;
    double xe[3][50];
    int k, i;

    CHECKF(rec_rc_encoder_init(&enc) == 0, "init");
    rec_gprs_bnb_model_init(&model);
    for (k = 0; k < 3; k++)
        for (i = 0; i < 50; i++) {
            const rec_key key = {9, (uint64_t)k, (uint64_t)i};
            rec_rs_result r, rs;
            CHECKF(rec_rs_encode_gauss((rec_rs_sampler)k, m, v_p, mu_q, s_q, &key, 1u << 20,
                                       &model, &enc, &r) == REC_OK,
                   "gauss encode");
            xe[k][i] = r.x;
            /* the same item standardized, not coded: same sample */
            if (k == 0)
                CHECKF(rec_pfr_encode(0.5, 0.5, &key, 1u << 20, NULL, &rs) == REC_OK &&
                           r.x == m + 2.0 * rs.x,
                       "gauss entry point does not map the standardized sample");
        }
    CHECKF(rec_rc_encoder_finish(&enc, &buf, &size) == 0, "finish");
    rec_rc_decoder_init(&dec, buf, size);
    rec_gprs_bnb_model_init(&model);
    for (k = 0; k < 3; k++)
        for (i = 0; i < 50; i++) {
            const rec_key key = {9, (uint64_t)k, (uint64_t)i};
            double x = 0.0;
            CHECKF(rec_rs_decode_gauss((rec_rs_sampler)k, m, v_p, s_q, &key, &model, &dec, &x) ==
                           REC_OK &&
                       x == xe[k][i],
                   "gauss round trip sampler %d item %d", k, i);
        }
    free(buf);
    {
        const rec_key key = {9, 0, 0};
        rec_rs_result r;
        CHECKF(rec_rs_encode_gauss(REC_RS_GPRS_BNB, m, 0.0, mu_q, s_q, &key, 10, &model, NULL,
                                   &r) == REC_ERR_INVALID_ARG,
               "v_p = 0 accepted");
        CHECKF(rec_rs_encode_gauss(REC_RS_GPRS_BNB, m, v_p, mu_q, 2.0, &key, 10, &model, NULL,
                                   &r) == REC_ERR_UNBOUNDED,
               "s_q = sqrt(v_p) must be unbounded");
    }
}

int main(void)
{
    static const target_family fam[] = {
        {"channel I=0.1", 1, 0.1, 0, 0, 0},
        {"channel I=1", 1, 1.0, 0, 0, 0},
        {"channel I=4", 1, 4.0, 0, 0, 0},
        {"channel s=0.999", 1, 0.0014434168696687, 0, 0, 0}, /* -log2(0.999) */
        {"|mu|=8 s=0.5", 0, 0, 8.0, 0.5, 1},
        {"|mu|=8 s=0.05", 0, 0, 8.0, 0.05, 1},
        {"KL~0 mu=0 s=0.999", 0, 0, 0.0, 0.999, 0},
    };
    size_t i;

    setvbuf(stdout, NULL, _IONBF, 0);
    for (i = 0; i < sizeof fam / sizeof fam[0]; i++)
        (void)run_case(S_BNB, &fam[i], 20000, 1000 + i, 1000, 1);
    check_steps(0.95, 2.06, 20000);
    check_steps(6.05, 7.93, 8000);
    check_steps(12.0, 16.13, 4000);
    check_arguments(S_BNB);
    check_gauss_entry_points();
    return rec_test_finish("test_gprs_bnb");
}
