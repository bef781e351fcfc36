/* tests/rec/test_gprs_golden.c - golden digests of the rejection samplers' DECODER output.
 *
 * The three streams below were written once by the encoders (pfr, gprs, gprs-bnb; 40 items
 * each: s cycling over 0.9, 0.5, 0.2, 0.05, mu = sqrt(1 - s^2) rec_prng_normal(77, k, i),
 * key {2024, k, i}).  They are fixtures, not expectations: the test decodes them with s and
 * the keys only and compares an FNV-1a digest of the decoded doubles' bits with the value
 * recorded when they were made.  Any change of the decoders' arithmetic (rec_math, the
 * quantile, the path model, compiler flags) that moves a single bit shows up here
 * (DESIGN 5: golden decoder output, never golden encoder bytes).  Checked identical under
 * gcc -O2, gcc -O0 and clang -O2. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rec.h"

static const uint8_t stream0[22] = {
    0x0b, 0x8f, 0x2e, 0x5f, 0xc7, 0xbc, 0x0e, 0x7e, 0x11, 0x98, 0xe5, 0x7c, 0x2e, 0x6d, 0x9f,
    0xec, 0x4d, 0x9c, 0x3a, 0xe4, 0x07, 0x96
};
static const uint8_t stream1[23] = {
    0x34, 0x7f, 0xd7, 0x12, 0xc4, 0x81, 0xd5, 0x5e, 0xbf, 0xb0, 0xa7, 0x86, 0x21, 0xa2, 0x60,
    0x93, 0x54, 0xbd, 0xdf, 0xcf, 0x91, 0x30, 0xe0
};
static const uint8_t stream2[24] = {
    0x92, 0xd5, 0x97, 0x5d, 0x5c, 0x7e, 0x16, 0x2a, 0xab, 0x26, 0x92, 0xa0, 0x6c, 0x1d, 0x36,
    0xb4, 0x40, 0xb4, 0x81, 0x8d, 0x36, 0x00, 0xe1, 0x9a
};

static const uint64_t golden[3] = {UINT64_C(0x94331b567f6b4287), UINT64_C(0x5e7eeb64dc11437a),
                                   UINT64_C(0xc1960f50e6ccf9c6)};

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

int main(void)
{
    static const double ss[4] = {0.9, 0.5, 0.2, 0.05};
    const uint8_t *streams[3] = {stream0, stream1, stream2};
    const size_t sizes[3] = {sizeof stream0, sizeof stream1, sizeof stream2};
    int k, i, failures = 0;

    for (k = 0; k < 3; k++) {
        rec_rc_decoder dec;
        rec_gprs_bnb_model model;
        uint64_t h = UINT64_C(0xcbf29ce484222325);
        rec_rc_decoder_init(&dec, streams[k], sizes[k]);
        rec_gprs_bnb_model_init(&model);
        for (i = 0; i < 40; i++) {
            const rec_key key = {2024, (uint64_t)k, (uint64_t)i};
            double x = 0.0;
            rec_status st = k == 0   ? rec_pfr_decode(ss[i % 4], &key, &dec, &x)
                            : k == 1 ? rec_gprs_decode(ss[i % 4], &key, &dec, &x)
                                     : rec_gprs_bnb_decode(ss[i % 4], &key, &model, &dec, &x);
            if (st != REC_OK) {
                printf("FAIL sampler %d item %d: %s\n", k, i, rec_strerror(st));
                failures++;
            }
            h = fnv1a(h, &x, sizeof x);
        }
        printf("sampler %d: digest 0x%016llx (golden 0x%016llx)\n", k, (unsigned long long)h,
               (unsigned long long)golden[k]);
        if (h != golden[k] || rec_rc_decoder_error(&dec)) {
            printf("FAIL sampler %d: decoder output changed\n", k);
            failures++;
        }
    }
    if (failures)
        return 1;
    printf("all golden decoder digests match\n");
    return 0;
}
