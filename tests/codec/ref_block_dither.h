/* The reference of header flag 0x20's dither (docs/FORMAT.md), written out independently
 * of the codec for the exactness tests (test_codec_rec_exact, test_codec_rec_exact_dz):
 * Philox through rec_prng_u64, then SplitMix64 spelled out here. The codec's
 * block_dither_key / rec_prng_stream_uniform must match it. */
#ifndef TESTS_CODEC_REF_BLOCK_DITHER_H
#define TESTS_CODEC_REF_BLOCK_DITHER_H

#include "rec_prng.h"

#include <stdint.h>

/* The dither in [-1/2, 1/2) of coefficient zz (zigzag) of block `block` of a plane. */
static inline double ref_block_dither(uint64_t seed, uint64_t plane, uint64_t block, int zz)
{
    uint64_t z = rec_prng_u64(seed, plane, block * 64u * 65536u);
    z += (uint64_t)(zz + 1) * 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return ((double)(z >> 12) + 0.5) / 4503599627370496.0 - 0.5;
}

#endif
