/* rec/rec_prng.h - counter-based PRNG for randomness shared by encoder and
 * decoder.
 *
 * Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011): a keyed bijection of a 128-bit counter, integer only.
 * Key = seed (64 bits); counter = (index, stream) as four 32-bit words
 * (index low, index high, stream low, stream high).  Any draw can be
 * computed on its own, in any order, on any thread, and is the same on
 * every platform.  The floating-point conversions use rec_math only.
 * Known-answer vectors: tests/rec/test_rec_prng.c.
 */
#ifndef REC_REC_PRNG_H
#define REC_REC_PRNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The raw Philox-4x32-10 block: out = Philox(key, ctr). */
void rec_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* 64 random bits: words 0 and 1 of the block (word 1 high). */
uint64_t rec_prng_u64(uint64_t seed, uint64_t stream, uint64_t index);

/* Both 64-bit halves of the block (words 0|1 and 2|3). */
void rec_prng_u64x2(uint64_t seed, uint64_t stream, uint64_t index, uint64_t out[2]);

/* The blocks of index and index + 1: out[0..1] as rec_prng_u64x2(index),
 * out[2..3] as rec_prng_u64x2(index + 1); faster than two calls. */
void rec_prng_u64x4(uint64_t seed, uint64_t stream, uint64_t index, uint64_t out[4]);

/* Uniform in the open interval (0, 1): (top 52 bits + 1/2) / 2^52, so
 * every value is exact and lies in [2^-53, 1 - 2^-53]. */
double rec_prng_uniform(uint64_t seed, uint64_t stream, uint64_t index);
/* Converts 64 random bits the same way. */
double rec_prng_bits_to_uniform(uint64_t bits);

/* Exp(1): -log(u). */
double rec_prng_exponential(uint64_t seed, uint64_t stream, uint64_t index);

/* N(0, 1) by inverse CDF: rec_Phi_inv(u). */
double rec_prng_normal(uint64_t seed, uint64_t stream, uint64_t index);

/* N(0, 1) restricted to (lo, hi) by inverse CDF (lo < hi; either may be
 * infinite).  Works in whichever tail keeps precision, so intervals far
 * out (e.g. (30, inf)) are handled.  The result lies in [lo, hi] (it is
 * clamped there against rounding); lo >= hi or NaN gives NaN. */
double rec_prng_normal_interval(uint64_t seed, uint64_t stream, uint64_t index, double lo,
                                double hi);
/* The same transformation applied to a given uniform u in (0, 1). */
double rec_normal_interval_from_uniform(double u, double lo, double hi);

/* ---- keyed sub-streams (header flag 0x20 of .rec files; issue 8) ----------
 * One Philox block gives a 64-bit key (e.g. per 8x8 block of coefficients);
 * item j of the key's sub-stream is SplitMix64's output j (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
 * mix constants of Stafford's variant 13, as in Vigna's splitmix64.c):
 *     z = key + (j + 1) * 0x9E3779B97F4A7C15 (mod 2^64)
 *     z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
 *     z = (z ^ (z >> 27)) * 0x94D049BB133111EB
 *     bits = z ^ (z >> 31)
 * i.e. the j-th output of splitmix64 seeded with key.  Integer only (the same
 * bits everywhere), about a dozen instructions against a Philox call's ~90,
 * and each item computable on its own (any order, any thread).  The mix is a
 * bijection of 64 bits, so the items of one key are distinct; SplitMix64
 * passes BigCrush.  Known answers: tests/rec/test_rec_prng_stream.c. */
static inline uint64_t rec_prng_stream_u64(uint64_t key, uint32_t j)
{
    uint64_t z = key + ((uint64_t)j + 1u) * 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Item j as a uniform in (0, 1), converted as rec_prng_bits_to_uniform. */
static inline double rec_prng_stream_uniform(uint64_t key, uint32_t j)
{
    return ((double)(rec_prng_stream_u64(key, j) >> 12) + 0.5) * (1.0 / 4503599627370496.0);
}

#ifdef __cplusplus
}
#endif

#endif /* REC_REC_PRNG_H */
