/* PRNG: Philox-4x32-10 known-answer vectors (Random123 reference values),
 * the (seed, stream, index) mapping pinned by committed values, and
 * distribution sanity (uniform moments, normal/exponential/interval draws). */
#include "rec.h"
#include "rec_test_util.h"

#include <math.h>
#include <stdio.h>

static void test_philox_kat(void)
{
    static const uint32_t ctr[3][4] = {{0, 0, 0, 0},
                                       {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
                                       {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}};
    static const uint32_t key[3][2] = {
        {0, 0}, {0xffffffffu, 0xffffffffu}, {0xa4093822u, 0x299f31d0u}};
    static const uint32_t want[3][4] = {{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u},
                                        {0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu},
                                        {0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}};
    int i, j;
    for (i = 0; i < 3; i++) {
        uint32_t out[4];
        rec_philox4x32(ctr[i], key[i], out);
        for (j = 0; j < 4; j++)
            CHECK(out[j] == want[i][j]);
    }
}

/* The mapping of (seed, stream, index) onto Philox, pinned. */
static void test_mapping(void)
{
    uint64_t o[2];
    uint32_t ctr[4] = {0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u};
    uint32_t key[2] = {0xa4093822u, 0x299f31d0u};
    uint32_t out[4];
    rec_philox4x32(ctr, key, out);
    rec_prng_u64x2(0x299f31d0a4093822ull, 0x0370734413198a2eull, 0x85a308d3243f6a88ull, o);
    CHECK(o[0] == ((uint64_t)out[1] << 32 | out[0]));
    CHECK(o[1] == ((uint64_t)out[3] << 32 | out[2]));
    CHECK(rec_prng_u64(0, 0, 0) == 0xe169c58d6627e8d5ull);
    {
        uint64_t a[2], b[2], c[4];
        rec_prng_u64x2(11, 22, 0xFFFFFFFFull, a);
        rec_prng_u64x2(11, 22, 0x100000000ull, b);
        rec_prng_u64x4(11, 22, 0xFFFFFFFFull, c);
        CHECK(c[0] == a[0] && c[1] == a[1] && c[2] == b[0] && c[3] == b[1]);
    }
    CHECK(rec_prng_uniform(0, 0, 0) == ((double)(0xe169c58d6627e8d5ull >> 12) + 0.5) / 4503599627370496.0);
    CHECK(rec_prng_bits_to_uniform(0) > 0 && rec_prng_bits_to_uniform(~0ull) < 1);
    {
        rec_key k = {5, 6, 7};
        CHECK(rec_key_u64(&k, 3) == rec_prng_u64(5, 6, 7 * REC_KEY_DRAWS + 3));
    }
}

static void test_distributions(void)
{
    const int n = 200000;
    double s1 = 0, s2 = 0, e1 = 0, g1 = 0, g2 = 0, g4 = 0;
    int i, inside = 1;
    for (i = 0; i < n; i++) {
        const double u = rec_prng_uniform(42, 1, (uint64_t)i);
        const double e = rec_prng_exponential(42, 2, (uint64_t)i);
        const double g = rec_prng_normal(42, 3, (uint64_t)i);
        const double t = rec_prng_normal_interval(42, 4, (uint64_t)i, 30.0, 1.0 / 0.0);
        const double t2 = rec_prng_normal_interval(42, 5, (uint64_t)i, -0.5, 0.25);
        s1 += u;
        s2 += u * u;
        e1 += e;
        g1 += g;
        g2 += g * g;
        g4 += g * g * g * g;
        inside &= u > 0 && u < 1 && e > 0 && t >= 30.0 && t < 31.5 && t2 >= -0.5 && t2 <= 0.25;
    }
    CHECK(inside);
    /* 5 standard errors */
    CHECK(fabs(s1 / n - 0.5) < 5 * sqrt(1.0 / 12 / n));
    CHECK(fabs(s2 / n - 1.0 / 3) < 5 * sqrt(4.0 / 45 / n));
    CHECK(fabs(e1 / n - 1.0) < 5 * sqrt(1.0 / n));
    CHECK(fabs(g1 / n) < 5 * sqrt(1.0 / n));
    CHECK(fabs(g2 / n - 1.0) < 5 * sqrt(2.0 / n));
    CHECK(fabs(g4 / n - 3.0) < 5 * sqrt(96.0 / n));
    /* interval draws: mean of N(0,1) | (30, inf) is mills^-1(30) ~ 30.0333 */
    {
        double m = 0;
        for (i = 0; i < 20000; i++)
            m += rec_prng_normal_interval(9, 9, (uint64_t)i, 30.0, 1.0 / 0.0);
        m /= 20000;
        CHECK(fabs(m - 1.0 / rec_mills(30.0)) < 5 * (1.0 / 30.0) / sqrt(20000.0));
    }
    CHECK(rec_prng_normal_interval(1, 1, 1, 1.0, 1.0) != rec_prng_normal_interval(1, 1, 1, 1.0, 1.0));
}

/* rec_prng_u64 / _u64x2 (the SSE2 Philox where built) against rec_philox4x32 (the plain C
 * reference, always scalar) on 2^20 pseudo-random (seed, stream, index) plus counters and
 * keys with all-ones and all-zero words: one differing bit fails. */
static void test_fast_matches_reference(void)
{
    uint64_t z = 0x9E3779B97F4A7C15ull;
    int i, bad = 0;
    for (i = 0; i < (1 << 20) + 16; i++) {
        uint64_t v[3], o2[2], o1;
        uint32_t ctr[4], key[2], out[4];
        int j;
        for (j = 0; j < 3; j++) {   /* splitmix64 */
            uint64_t x = (z += 0x9E3779B97F4A7C15ull);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
            v[j] = x ^ (x >> 31);
            if (i >= 1 << 20)   /* the last 16: every word all-ones or zero */
                v[j] = ((i >> j) & 1) ? ~0ull : ((i >> (j + 1)) & 1) ? 0xFFFFFFFFull : 0;
        }
        ctr[0] = (uint32_t)v[2];
        ctr[1] = (uint32_t)(v[2] >> 32);
        ctr[2] = (uint32_t)v[1];
        ctr[3] = (uint32_t)(v[1] >> 32);
        key[0] = (uint32_t)v[0];
        key[1] = (uint32_t)(v[0] >> 32);
        rec_philox4x32(ctr, key, out);
        rec_prng_u64x2(v[0], v[1], v[2], o2);
        o1 = rec_prng_u64(v[0], v[1], v[2]);
        bad += o1 != ((uint64_t)out[1] << 32 | out[0]);
        bad += o2[0] != o1 || o2[1] != ((uint64_t)out[3] << 32 | out[2]);
        bad += rec_prng_uniform(v[0], v[1], v[2]) != rec_prng_bits_to_uniform(o1);
    }
    CHECK(bad == 0);
}

int main(void)
{
    test_philox_kat();
    test_mapping();
    test_fast_matches_reference();
    test_distributions();
    return rec_test_finish("test_rec_prng");
}
