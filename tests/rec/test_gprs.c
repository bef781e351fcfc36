/* tests/rec/test_gprs.c - global greedy Poisson rejection sampling: exactness on pooled PIT,
 * bit-exact round trip (decoder given s and the key only), runtime law E[steps] = 2^D_inf
 * on fixed targets, code length against KL and D_CS, argument errors and step cap.
 * In the channel setting E[2^D_inf] is infinite; the cap (2^26) is never reached by these
 * seeds, and run_case fails if it is, since dropping capped items would bias the PIT. */
#include "test_gprs_common.h"

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    run_global_families(S_GPRS);
    check_runtime_law(S_GPRS, 0.0, 0.5, 20000, 31);  /* sup r = 2 */
    check_runtime_law(S_GPRS, 1.0, 0.3, 20000, 32);  /* sup r = 5.8 */
    check_runtime_law(S_GPRS, 2.0, 0.5, 20000, 33);  /* sup r = 28.8 */
    check_arguments(S_GPRS);
    return rec_test_finish("test_gprs");
}
