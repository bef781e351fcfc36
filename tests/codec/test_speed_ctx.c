/* test_speed_ctx: the context model's neighbour-block activity buckets
 * (recimg_ctx_begin_block, nbq by zigzag index) equal bucket(floor(s / 6)) of the weighted sum
 * s = 2 left + 2 above + above-left + above-right, computed here with the
 * division and a log2 loop, as the model did before the division-free form
 * (speed, issue 8). Every s below 2^25, every 6 * 2^k + d for |d| <= 8, the
 * largest s, and random s up to 6 * 2^30 (each activity <= 2^30). */
#include "codec_ctx.h"

#include <stdio.h>
#include <stdlib.h>

static uint64_t rng_state = 0x243F6A8885A308D3u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* log2-spaced buckets of a 16.16 magnitude (codec_ctx.h): 0 for 0, 1 below 2^12,
 * then floor(log2 x) - 10, at most NB - 1 */
static int ref_bucket(uint64_t x)
{
    int e = -1;
    if (x == 0)
        return 0;
    if (x < 4096)
        return 1;
    while (x > 1) {
        x >>= 1;
        e++;
    }
    e = e + 1 - 10;
    return e < RECIMG_CTX_NB - 1 ? e : RECIMG_CTX_NB - 1;
}

static recimg_ctx *ctx;
static uint64_t batch[64];
static int nbatch, failures;

/* Puts the 64 sums of batch into the neighbours of interior block (1, 1) and checks nbq. */
static void flush(void)
{
    if (nbatch == 0)
        return;
    ctx->row = 1;   /* block row 1 is current: begin_block swaps nothing */
    for (int k = 0; k < 64; k++) {
        const uint64_t s = batch[k < nbatch ? k : 0];
        const uint64_t l = s / 6, rem = s - 4 * l;
        ctx->cur[k] = (uint32_t)l;                   /* left: block 0 of the current row */
        ctx->prev[64 + k] = (uint32_t)l;             /* above */
        ctx->prev[k] = (uint32_t)(rem / 2);          /* above-left */
        ctx->prev[128 + k] = (uint32_t)(rem - rem / 2);   /* above-right */
    }
    /* every slot of the neighbour blocks may be nonzero (the model skips the others) */
    ctx->mcur[0] = ctx->mprev[0] = ctx->mprev[1] = ctx->mprev[2] = ~(uint64_t)0;
    recimg_ctx_begin_block(ctx, 1, 1);
    for (int zz = 0; zz < 64; zz++) {   /* nbq is by zigzag index */
        const int k = recimg_zigzag[zz];
        const int want = ref_bucket(batch[k < nbatch ? k : 0] / 6) * RECIMG_CTX_NB;
        if (ctx->nbq[zz] != want && failures++ < 10)
            fprintf(stderr, "FAIL s = %llu: nbq %d, want %d\n", (unsigned long long)batch[k],
                    ctx->nbq[k], want);
    }
    nbatch = 0;
}

static void check_sum(uint64_t s)
{
    batch[nbatch++] = s;
    if (nbatch == 64)
        flush();
}

int main(void)
{
    const uint64_t smax = (uint64_t)6 << 30;
    if (recimg_ctx_create(3, RECIMG_CTX_CONTINUOUS, &ctx) != RECIMG_OK) {
        fprintf(stderr, "FAIL: recimg_ctx_create\n");
        return 1;
    }
    for (uint64_t s = 0; s < ((uint64_t)1 << 25); s++)
        check_sum(s);
    for (int k = 0; k <= 30; k++)
        for (int d = -8; d <= 8; d++) {
            const int64_t s = (int64_t)6 * ((int64_t)1 << k) + d;
            if (s >= 0 && (uint64_t)s <= smax)
                check_sum((uint64_t)s);
        }
    check_sum(smax);
    for (int i = 0; i < 1000000; i++)
        check_sum(rnd() % (smax + 1));
    flush();
    recimg_ctx_free(ctx);
    if (failures) {
        fprintf(stderr, "%d failure(s)\n", failures);
        return 1;
    }
    printf("test_speed_ctx: neighbour-block buckets equal bucket(s / 6) (2^25 + 1 M sums)\n");
    return 0;
}
