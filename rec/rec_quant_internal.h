/* Test hooks of the CLOSED bin coder (rec_quant.c), not part of the public API:
 * they expose the counts and the decoder's search so that tests can check every
 * target of every window (tests/rec/test_rec_quant_cf.c). */
#ifndef REC_REC_QUANT_INTERNAL_H
#define REC_REC_QUANT_INTERNAL_H

#include "rec.h"

#include <stdint.h>

/* 1 and the window [k_lo, k_hi] if the CLOSED coder covers (step, u, prior);
   0 if it falls back to the WINDOW coder. */
int rec_quant_cf_window(double step, double u, const rec_prior *prior, int64_t *k_lo, int64_t *k_hi);
/* The cumulative count of edge k, k_lo <= k <= k_hi + 1, out of 2^16 (0 if not covered);
   fast = 1: revision FAST's counts (rec_exp_neg_fast), 0: CLOSED's. */
uint32_t rec_quant_cf_cum(double step, double u, const rec_prior *prior, int64_t k, int fast);
/* The bin the decoder picks for target t, 1 <= t < 2^16 - 1 (INT64_MIN if not
   covered or t is an escape target); *probes (may be NULL) = edges evaluated; fast as above. */
int64_t rec_quant_cf_locate(double step, double u, const rec_prior *prior, uint32_t t, int *probes,
                            int fast);

#endif
