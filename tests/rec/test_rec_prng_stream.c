/* The keyed sub-streams of rec_prng.h (rec_prng_stream_u64 / _uniform; header flag
 * 0x20 of .rec files draws every uq dither of an 8x8 block from one such stream):
 * - known answers: SplitMix64 (Vigna's splitmix64.c) seeded with 1234567 gives
 *   6457827717110365317, 3203168211198807973, 9817491932198370423,
 *   4593380528125082431, 16408922859458223821, and seeded with 0 first gives
 *   0xE220A8397B1DCDAF; item j of key K must be output j of splitmix64(K);
 * - a plain reference (the definition written out with 64-bit wraps, below) on
 *   random keys and every j < 64 and some large j, bit for bit;
 * - the uniform is rec_prng_bits_to_uniform of the bits;
 * - statistics over the codec's use (keys from rec_prng_u64(seed, plane, block * 2^22),
 *   items 0..63): Kolmogorov-Smirnov of all items and of each item index, means and
 *   the correlation of neighbouring items in a block and of the same item in
 *   neighbouring blocks. Fixed seeds: deterministic. */
#include "rec_prng.h"
#include "rec_test_util.h"

#include <math.h>
#include <stdlib.h>

static uint64_t ref_item(uint64_t key, uint32_t j)
{
    uint64_t s = key, z = 0;
    for (uint32_t i = 0; i <= j; i++)   /* splitmix64's state after j + 1 steps */
        s += 0x9E3779B97F4A7C15u;
    z = s;
    z ^= z >> 30;
    z *= 0xBF58476D1CE4E5B9u;
    z ^= z >> 27;
    z *= 0x94D049BB133111EBu;
    z ^= z >> 31;
    return z;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double ks_uniform(double *v, size_t n)
{
    double d = 0.0;
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 0; i < n; i++) {
        const double lo = v[i] - (double)i / (double)n, hi = (double)(i + 1) / (double)n - v[i];
        if (lo > d) d = lo;
        if (hi > d) d = hi;
    }
    return sqrt((double)n) * d;
}

enum { BLOCKS = 1 << 14 };

int main(void)
{
    static const uint64_t kat[5] = {6457827717110365317u, 3203168211198807973u, 9817491932198370423u,
                                    4593380528125082431u, 16408922859458223821u};
    for (uint32_t j = 0; j < 5; j++)
        CHECKF(rec_prng_stream_u64(1234567u, j) == kat[j], "item %u", (unsigned)j);
    CHECK(rec_prng_stream_u64(0u, 0) == 0xE220A8397B1DCDAFu);

    for (uint64_t i = 0; i < 2000; i++) {
        const uint64_t key = rec_prng_u64(0x5EEDu, 7u, i);
        for (uint32_t j = 0; j < 70; j++) {
            const uint32_t jj = j < 64 ? j : j * 1000003u;
            const uint64_t b = rec_prng_stream_u64(key, jj);
            CHECKF(j >= 64 || b == ref_item(key, jj), "key %llu item %u", (unsigned long long)key, (unsigned)jj);
            CHECK(rec_prng_stream_uniform(key, jj) == rec_prng_bits_to_uniform(b));
        }
    }
    /* large j against the reference too (its loop is long: a few only) */
    CHECK(rec_prng_stream_u64(42u, 1000000u) == ref_item(42u, 1000000u));

    {
        double *all = malloc(sizeof(double) * BLOCKS * 64);
        double *col = malloc(sizeof(double) * BLOCKS);
        double sxy_in = 0.0, sxy_across = 0.0, sum = 0.0;
        double ks_max = 0.0;
        CHECK(all && col);
        if (!all || !col)
            return rec_test_finish("test_rec_prng_stream");
        for (uint64_t b = 0; b < BLOCKS; b++) {
            const uint64_t key = rec_prng_u64(0x0123456789ABCDEFu, 0u, b * 64u * ((uint64_t)1 << 16));
            for (uint32_t j = 0; j < 64; j++)
                all[b * 64 + j] = rec_prng_stream_uniform(key, j);
        }
        for (size_t b = 0; b < BLOCKS; b++)
            for (size_t j = 0; j < 64; j++) {
                const double c = all[b * 64 + j] - 0.5;
                sum += c;
                if (j + 1 < 64)
                    sxy_in += c * (all[b * 64 + j + 1] - 0.5);
                if (b + 1 < BLOCKS)
                    sxy_across += c * (all[(b + 1) * 64 + j] - 0.5);
            }
        {
            /* Var(u - 1/2) = 1/12; correlations as sums over n pairs / (n / 12) */
            const double n = (double)BLOCKS * 64.0;
            const double r_in = sxy_in / ((double)BLOCKS * 63.0 / 12.0);
            const double r_across = sxy_across / ((double)(BLOCKS - 1) * 64.0 / 12.0);
            printf("mean %.5f, neighbour correlation in a block %.5f, across blocks %.5f\n",
                   0.5 + sum / n, r_in, r_across);
            CHECK(fabs(sum / n) < 4.0 * sqrt(1.0 / 12.0 / n));
            CHECK(fabs(r_in) < 4.0 / sqrt((double)BLOCKS * 63.0));
            CHECK(fabs(r_across) < 4.0 / sqrt((double)(BLOCKS - 1) * 64.0));
        }
        for (size_t j = 0; j < 64; j++) {
            double ks;
            for (size_t b = 0; b < BLOCKS; b++)
                col[b] = all[b * 64 + j];
            ks = ks_uniform(col, BLOCKS);
            if (ks > ks_max)
                ks_max = ks;
        }
        {
            const double ks = ks_uniform(all, (size_t)BLOCKS * 64);
            printf("KS sqrt(n) D: all items %.3f, worst of the 64 item indices %.3f\n", ks, ks_max);
            CHECK(ks < 1.63);       /* 1% level */
            CHECK(ks_max < 2.2);    /* the largest of 64 at the 1% level (1 - 0.01/64 quantile ~ 2.1) */
        }
        free(all);
        free(col);
    }
    return rec_test_finish("test_rec_prng_stream");
}
