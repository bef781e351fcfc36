/* rec/rec_prng.c - Philox-4x32-10 and the distributions built on it.
 *
 * Philox round: (L0, R0, L1, R1) -> (hi(M1*L1) ^ R0 ^ k0, lo(M1*L1),
 * hi(M0*L0) ^ R1 ^ k1, lo(M0*L0)), key bumped by the Weyl constants between
 * rounds.  Constants from the Random123 reference.
 */
#include "rec_prng.h"

#include "rec_math.h"

#if defined(__SSE2__) && defined(__x86_64__) && !defined(RECIMG_NO_SIMD)
#include <emmintrin.h>
#endif

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

/* One Philox round on (c0, c1, c2, c3) with key (k0, k1), then the key bump. */
#define PHILOX_ROUND(c0, c1, c2, c3, k0, k1)                                  \
    do {                                                                      \
        const uint64_t p0_ = (uint64_t)PHILOX_M0 * (c0);                      \
        const uint64_t p1_ = (uint64_t)PHILOX_M1 * (c2);                      \
        (c0) = (uint32_t)(p1_ >> 32) ^ (c1) ^ (k0);                           \
        (c1) = (uint32_t)p1_;                                                 \
        (c2) = (uint32_t)(p0_ >> 32) ^ (c3) ^ (k1);                           \
        (c3) = (uint32_t)p0_;                                                 \
        (k0) += PHILOX_W0;                                                    \
        (k1) += PHILOX_W1;                                                    \
    } while (0)

/* Philox-4x32-10 on scalars, rounds unrolled (speed, issue 8: the loop and the
 * array round trips of rec_philox4x32 cost a fifth of a draw). Same arithmetic,
 * same bits as rec_philox4x32 (checked by the known-answer tests). */
static void philox10(uint32_t *c0, uint32_t *c1, uint32_t *c2, uint32_t *c3, uint32_t k0, uint32_t k1)
{
    uint32_t a0 = *c0, a1 = *c1, a2 = *c2, a3 = *c3;
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    PHILOX_ROUND(a0, a1, a2, a3, k0, k1);
    *c0 = a0;
    *c1 = a1;
    *c2 = a2;
    *c3 = a3;
}

#if defined(__SSE2__) && defined(__x86_64__) && !defined(RECIMG_NO_SIMD)
#define PHILOX_SIMD 1
#else
#define PHILOX_SIMD 0
#endif

#if PHILOX_SIMD
/* Philox-4x32-10 of one block in one SSE2 register (speed, issue 8: about half
 * the instructions of philox10). Lanes (c0, c1, c2, c3); PMULUDQ forms both
 * 32x32 -> 64 bit products M0 c0 (lanes 0-1) and M1 c2 (lanes 2-3) at once,
 * PSHUFD reverses the four halves into (hi(M1 c2), lo(M1 c2), hi(M0 c0),
 * lo(M0 c0)), and the 64-bit right shift of the old state puts c1 and c3 into
 * lanes 0 and 2 (zeros above) for the XOR with them and the key (k0, 0, k1, 0).
 * Integer operations only: the same bits as philox10, which stays the
 * reference (rec_philox4x32) and the twin built with -DRECIMG_NO_SIMD;
 * tests/rec/test_rec_prng.c compares the two on random counters and keys. */
static __m128i philox10_sse2(__m128i s, uint32_t k0, uint32_t k1)
{
    const __m128i m = _mm_set_epi32(0, (int)PHILOX_M1, 0, (int)PHILOX_M0);
    const __m128i w = _mm_set_epi32(0, (int)PHILOX_W1, 0, (int)PHILOX_W0);
    __m128i k = _mm_set_epi32(0, (int)k1, 0, (int)k0);
    int r;
    for (r = 0; r < 10; r++) {
        /* the shifted old state and the key first: the product may then overwrite s
           (fewer register copies) */
        const __m128i t = _mm_xor_si128(_mm_srli_epi64(s, 32), k);
        s = _mm_xor_si128(_mm_shuffle_epi32(_mm_mul_epu32(s, m), 0x1B), t);
        k = _mm_add_epi32(k, w);
    }
    return s;
}

/* The counter (index, stream) as lanes (index low, index high, stream low, stream high). */
static __m128i philox_ctr(uint64_t stream, uint64_t index)
{
    return _mm_set_epi64x((long long)stream, (long long)index);
}
#endif

void rec_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    philox10(&c0, &c1, &c2, &c3, key[0], key[1]);
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

void rec_prng_u64x4(uint64_t seed, uint64_t stream, uint64_t index, uint64_t out[4])
{
    /* two Philox blocks (counters index and index + 1) in one loop: the two
     * dependency chains interleave, which nearly halves the cost per block */
    const uint64_t i1 = index + 1;
    uint32_t a0 = (uint32_t)index, a1 = (uint32_t)(index >> 32);
    uint32_t b0 = (uint32_t)i1, b1 = (uint32_t)(i1 >> 32);
    uint32_t a2 = (uint32_t)stream, a3 = (uint32_t)(stream >> 32), b2 = a2, b3 = a3;
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    int r;
    for (r = 0; r < 10; r++) {
        const uint64_t pa0 = (uint64_t)PHILOX_M0 * a0, pa1 = (uint64_t)PHILOX_M1 * a2;
        const uint64_t pb0 = (uint64_t)PHILOX_M0 * b0, pb1 = (uint64_t)PHILOX_M1 * b2;
        const uint32_t na0 = (uint32_t)(pa1 >> 32) ^ a1 ^ k0, na2 = (uint32_t)(pa0 >> 32) ^ a3 ^ k1;
        const uint32_t nb0 = (uint32_t)(pb1 >> 32) ^ b1 ^ k0, nb2 = (uint32_t)(pb0 >> 32) ^ b3 ^ k1;
        a1 = (uint32_t)pa1;
        a3 = (uint32_t)pa0;
        b1 = (uint32_t)pb1;
        b3 = (uint32_t)pb0;
        a0 = na0;
        a2 = na2;
        b0 = nb0;
        b2 = nb2;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = (uint64_t)a0 | ((uint64_t)a1 << 32);
    out[1] = (uint64_t)a2 | ((uint64_t)a3 << 32);
    out[2] = (uint64_t)b0 | ((uint64_t)b1 << 32);
    out[3] = (uint64_t)b2 | ((uint64_t)b3 << 32);
}

void rec_prng_u64x2(uint64_t seed, uint64_t stream, uint64_t index, uint64_t out[2])
{
#if PHILOX_SIMD
    _mm_storeu_si128((__m128i *)(void *)out,
                     philox10_sse2(philox_ctr(stream, index), (uint32_t)seed, (uint32_t)(seed >> 32)));
#else
    uint32_t c0 = (uint32_t)index, c1 = (uint32_t)(index >> 32);
    uint32_t c2 = (uint32_t)stream, c3 = (uint32_t)(stream >> 32);
    philox10(&c0, &c1, &c2, &c3, (uint32_t)seed, (uint32_t)(seed >> 32));
    out[0] = (uint64_t)c0 | ((uint64_t)c1 << 32);
    out[1] = (uint64_t)c2 | ((uint64_t)c3 << 32);
#endif
}

uint64_t rec_prng_u64(uint64_t seed, uint64_t stream, uint64_t index)
{
#if PHILOX_SIMD
    return (uint64_t)_mm_cvtsi128_si64(
        philox10_sse2(philox_ctr(stream, index), (uint32_t)seed, (uint32_t)(seed >> 32)));
#else
    uint32_t c0 = (uint32_t)index, c1 = (uint32_t)(index >> 32);
    uint32_t c2 = (uint32_t)stream, c3 = (uint32_t)(stream >> 32);
    philox10(&c0, &c1, &c2, &c3, (uint32_t)seed, (uint32_t)(seed >> 32));
    return (uint64_t)c0 | ((uint64_t)c1 << 32);
#endif
}

double rec_prng_bits_to_uniform(uint64_t bits)
{
    return ((double)(bits >> 12) + 0.5) * (1.0 / 4503599627370496.0);
}

double rec_prng_uniform(uint64_t seed, uint64_t stream, uint64_t index)
{
    return rec_prng_bits_to_uniform(rec_prng_u64(seed, stream, index));
}

double rec_prng_exponential(uint64_t seed, uint64_t stream, uint64_t index)
{
    return -rec_log(rec_prng_uniform(seed, stream, index));
}

double rec_prng_normal(uint64_t seed, uint64_t stream, uint64_t index)
{
    return rec_Phi_inv(rec_prng_uniform(seed, stream, index));
}

double rec_normal_interval_from_uniform(double u, double lo, double hi)
{
    double x;
    if (!(lo < hi) || u != u)
        return 0.0 / 0.0;
    if (lo >= 0) {
        /* right of 0: work with upper tails, which keep their precision */
        const double a = rec_Phi_c(lo), b = rec_Phi_c(hi);
        const double t = a - u * (a - b);
        x = -rec_Phi_inv(t);
    } else if (hi <= 0) {
        const double a = rec_Phi(lo), b = rec_Phi(hi);
        x = rec_Phi_inv(a + u * (b - a));
    } else {
        const double a = rec_Phi(lo), b = rec_Phi(hi);
        const double t = a + u * (b - a);
        x = t < 0.5 ? rec_Phi_inv(t) : -rec_Phi_inv(1.0 - t);
    }
    if (!(x > lo))
        x = lo;
    if (!(x < hi))
        x = hi;
    return x;
}

double rec_prng_normal_interval(uint64_t seed, uint64_t stream, uint64_t index, double lo,
                                double hi)
{
    return rec_normal_interval_from_uniform(rec_prng_uniform(seed, stream, index), lo, hi);
}
