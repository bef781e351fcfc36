/* tests/rec/test_index.c - the Zeta-type index code of pfr and gprs (rec_index.c).
 *
 * Round trip of hand-picked and random indices up to 2^62 for several exponents; the bits
 * actually written for indices drawn from the code's own law P(K >= k) = k^-beta are within
 * 0.5% + 0.01 bit of the ideal -log2 P(K = k) (the 16-bit probability quantization and the
 * raw low bits cost little); the ideal length matches the law; a stream of 0xff bytes
 * (octave > 62) decodes to 0, never hangs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "rec.h"
#include "rec_rs_internal.h"
#include "rec_test_util.h"

#define NK 4000

int main(void)
{
    static const double betas[] = {0.02, 0.1, 0.3, 0.65, 1.0, 3.0};
    static uint64_t ks[NK];
    size_t bi, i;

    for (bi = 0; bi < sizeof betas / sizeof betas[0]; bi++) {
        const double beta = betas[bi];
        rec_rc_encoder enc;
        rec_rc_decoder dec;
        uint8_t *buf = NULL;
        size_t size = 0, bad = 0, n = 0;
        double ideal = 0.0, bits;

        /* hand-picked: small values, octave edges, the largest octave */
        for (i = 1; i <= 300; i++)
            ks[n++] = i;
        for (i = 1; i < 63; i++) {
            ks[n++] = ((uint64_t)1 << i) - 1;
            ks[n++] = (uint64_t)1 << i;
            ks[n++] = ((uint64_t)1 << i) + 1;
        }
        ks[n++] = UINT64_MAX >> 1; /* 2^63 - 1: octave 62 */
        /* drawn from the law: K = floor(U^(-1/beta)), clamped to octave 62 */
        while (n < NK) {
            const double u = rec_prng_uniform(42, (uint64_t)bi, n);
            const double k = floor(pow(u, -1.0 / beta));
            ks[n++] = k >= 4.6e18 ? (uint64_t)4.6e18 : (uint64_t)k;
        }
        CHECKF(rec_rc_encoder_init(&enc) == 0, "init");
        for (i = 0; i < n; i++)
            rec_rs_zeta_encode(&enc, beta, ks[i]);
        CHECKF(rec_rc_encoder_finish(&enc, &buf, &size) == 0, "finish");
        rec_rc_decoder_init(&dec, buf, size);
        for (i = 0; i < n; i++)
            if (rec_rs_zeta_decode(&dec, beta) != ks[i])
                bad++;
        CHECKF(bad == 0 && !rec_rc_decoder_error(&dec), "beta %g: %zu indices decoded wrongly",
               beta, bad);
        free(buf);

        /* code length on the law's own draws only */
        CHECKF(rec_rc_encoder_init(&enc) == 0, "init");
        for (i = 0; i < 20000; i++) {
            const double u = rec_prng_uniform(43, (uint64_t)bi, i);
            const double kd = floor(pow(u, -1.0 / beta));
            const uint64_t k = kd >= 4.6e18 ? (uint64_t)4.6e18 : (uint64_t)kd;
            rec_rs_zeta_encode(&enc, beta, k);
            ideal += rec_rs_zeta_bits(beta, k);
        }
        CHECKF(rec_rc_encoder_finish(&enc, &buf, &size) == 0, "finish");
        bits = 8.0 * (double)size / 20000.0;
        ideal /= 20000.0;
        printf("beta=%-5g bits written/index %.4f, ideal %.4f (+%.2f%%)\n", beta, bits, ideal,
               100.0 * (bits / ideal - 1.0));
        CHECKF(bits <= ideal * 1.005 + 0.01 && bits >= ideal * 0.99 - 0.01,
               "beta %g: %.4f bits written vs ideal %.4f", beta, bits, ideal);
        free(buf);
    }
    /* ideal length of k = 1 is -log2(1 - 2^-beta) */
    CHECKF(fabs(rec_rs_zeta_bits(0.5, 1) + log2(1.0 - pow(2.0, -0.5))) < 1e-12, "zeta bits k=1");
    {
        static const uint8_t ones[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                         0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
        rec_rc_decoder dec;
        rec_rc_decoder_init(&dec, ones, sizeof ones);
        CHECKF(rec_rs_zeta_decode(&dec, 0.02) == 0, "octave > 62 must decode to 0");
    }
    return rec_test_finish("test_index");
}
