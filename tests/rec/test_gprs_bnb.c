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
    CHECK(fabs(r.mean_steps / want - 1.0) < 0.05, "I=%.2f: mean steps %.3f not within 5%% of %.2f",
          info, r.mean_steps, want);
    CHECK(se < 0.01 * want, "I=%.2f: too few trials to resolve 5%% (SE %.3f)", info, se);
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
    if (failures) {
        printf("%d failure(s)\n", failures);
        return 1;
    }
    printf("all gprs-bnb tests passed\n");
    return 0;
}
