/* Context model v4 (header prior id 4): a coded level per luma block that scales the
 * block's AC prior scales (codec_rec.c, "block flag"; docs/REC_CODEC.md "Block flag").
 *  - the context model's snapshot (recimg_ctx_snap), which the encoder's tries rely on:
 *    after a random run of predictions, explorations and updates over the rest of a
 *    block, restore gives back the model byte for byte (and without restore it differs);
 *    undo does the same and redo then gives the model of that try alone (the encoder keeps
 *    its winning try that way);
 *  - lock-step of the REC stage with the level on: a plane of synthetic coefficients with
 *    edges, zero-bit rule on; decoded at the bin centre, exactly the coefficients the
 *    encoder coded are nonzero and their error is uniform on the bin (KS, exact uq), every
 *    level occurs, the same stream read without the level decodes differently, and
 *    encoding twice gives the same bytes;
 *  - files: rec mode with uq writes prior id 3 by default and prior id 4 with
 *    rec_block_flag = 1, lrq and block keep 3, round 1, rec_block_flag 2 is refused; a
 *    prior-4 file decodes to the same pixels with 1 and 2 threads in every decode mode;
 *    prior id 4 in a header with sampler lrq, in round mode, and prior id 5 are refused
 *    as corrupt (CRC recomputed, so only the header rule can refuse). */
#include "codec_ctx.h"
#include "codec_rec.h"
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HDR = 56, BW = 12, BH = 10, NCOEF = BW * BH * 64 };

/* ------------------------------------------------------------ snapshot */

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* Codes zz = z0..63 of the current block with random statistics: what a try does. */
static void random_rest(recimg_ctx *c, int z0, uint64_t *s, recimg_ctx_snap *snap)
{
    for (int zz = z0; zz < 64; zz++) {
        recimg_ctx_pred p;
        recimg_ctx_predict(c, zz, &p);
        if (snap)
            recimg_ctx_snap_note(c, snap, &p);
        if (lcg(s) % 3 == 0) {
            (void)recimg_ctx_explore(c, &p);
            continue;
        }
        {
            const uint32_t mag = (uint32_t)(lcg(s) % 400000u);
            recimg_ctx_update_stat(c, zz, &p, mag, (int32_t)(mag / 2u));
        }
    }
}

static int same_model(const recimg_ctx *a, const recimg_ctx *b)
{
    return !memcmp(a->fine, b->fine, sizeof a->fine) && !memcmp(a->coarse, b->coarse, sizeof a->coarse)
           && !memcmp(a->cur, b->cur, (size_t)a->bw * 64 * sizeof *a->cur)
           && !memcmp(a->mcur, b->mcur, (size_t)a->bw * sizeof *a->mcur);
}

static void snapshot(void)
{
    recimg_ctx *c = NULL, *ref = NULL;
    uint64_t s = 12345;
    int checked = 0, differed = 0;
    CHECK(recimg_ctx_create(4, RECIMG_CTX_CONTINUOUS, &c) == RECIMG_OK);
    CHECK(recimg_ctx_create(4, RECIMG_CTX_CONTINUOUS, &ref) == RECIMG_OK);
    if (!c || !ref)
        return;
    for (uint32_t by = 0; by < 5; by++)
        for (uint32_t bx = 0; bx < 4; bx++) {
            const int z0 = 1 + (int)(lcg(&s) % 20);
            recimg_ctx_begin_block(c, bx, by);
            recimg_ctx_begin_block(ref, bx, by);
            {
                uint64_t s1 = s;   /* the same start of the block in both models */
                for (int zz = 0; zz < z0; zz++) {
                    recimg_ctx_pred p, q;
                    const uint32_t mag = (uint32_t)(lcg(&s1) % 200000u);
                    recimg_ctx_predict(c, zz, &p);
                    recimg_ctx_predict(ref, zz, &q);
                    recimg_ctx_update_stat(c, zz, &p, mag, (int32_t)mag);
                    recimg_ctx_update_stat(ref, zz, &q, mag, (int32_t)mag);
                }
                s = s1;
            }
            CHECK(same_model(c, ref));
            for (int t = 0; t < 3; t++) {   /* three tries, as the encoder's three levels */
                recimg_ctx_snap snap;
                recimg_ctx_snap_begin(c, &snap);
                random_rest(c, z0, &s, &snap);
                if (!same_model(c, ref))
                    differed++;
                recimg_ctx_snap_restore(c, &snap);
                CHECK(same_model(c, ref));
                checked++;
            }
            {
                uint64_t s2 = s;   /* then the real rest, the same in both */
                random_rest(c, z0, &s, NULL);
                random_rest(ref, z0, &s2, NULL);
            }
            recimg_ctx_end_block(c);
            recimg_ctx_end_block(ref);
        }
    printf("snapshot: %d tries restored, %d of them had changed the model\n", checked, differed);
    CHECK(checked == 60 && differed == checked);   /* the restore had something to undo */
    recimg_ctx_free(c);
    recimg_ctx_free(ref);
}

/* recimg_ctx_snap_undo / redo, as the encoder keeps its winning try: three tries
 * undone, then one of them redone; the model equals one that ran only that try (the
 * same random rest), which differs from the model before the redo. */
static void undo_redo(void)
{
    recimg_ctx *c = NULL, *ref = NULL;
    uint64_t s = 777;
    int checked = 0;
    CHECK(recimg_ctx_create(4, RECIMG_CTX_CONTINUOUS, &c) == RECIMG_OK);
    CHECK(recimg_ctx_create(4, RECIMG_CTX_CONTINUOUS, &ref) == RECIMG_OK);
    if (!c || !ref)
        return;
    for (uint32_t by = 0; by < 5; by++)
        for (uint32_t bx = 0; bx < 4; bx++) {
            const int z0 = 1 + (int)(lcg(&s) % 20);
            recimg_ctx_snap snap[3];
            uint64_t start[3];
            int w;
            recimg_ctx_begin_block(c, bx, by);
            recimg_ctx_begin_block(ref, bx, by);
            for (int t = 0; t < 3; t++) {
                start[t] = s;
                recimg_ctx_snap_begin(c, &snap[t]);
                random_rest(c, z0, &s, &snap[t]);
                if (t == 1) {   /* the encoder restores a stopped try */
                    recimg_ctx_snap_restore(c, &snap[t]);
                } else {
                    recimg_ctx_snap_undo(c, &snap[t]);
                }
                CHECK(same_model(c, ref));
            }
            w = (int)(lcg(&s) % 2) * 2;   /* try 0 or 2 wins */
            {
                uint64_t s1 = start[w];
                random_rest(ref, z0, &s1, NULL);
            }
            CHECK(!same_model(c, ref));   /* the redo has something to put back */
            recimg_ctx_snap_redo(c, &snap[w]);
            CHECK(same_model(c, ref));
            checked++;
            recimg_ctx_end_block(c);
            recimg_ctx_end_block(ref);
        }
    printf("undo/redo: %d blocks adopted a try\n", checked);
    CHECK(checked == 20);
    recimg_ctx_free(c);
    recimg_ctx_free(ref);
}

/* ------------------------------------------------------------ REC stage */

static void params(recimg_rec_plane_params *pp, const double *sigma, int flag)
{
    memset(pp, 0, sizeof *pp);
    pp->sampler = RECIMG_SAMPLER_UQ;
    pp->seed = 4242;
    pp->plane = 0;
    pp->skip_bits = 0.12;
    pp->sigma = sigma;
    pp->stat_weight = 1.5;
    pp->quant_rev = REC_QUANT_REV_CLOSED;
    pp->skip_draw_wide = 1;
    pp->block_gain = 1;
    pp->uq_far_bin = 1;
    pp->block_flag = flag;
    for (int g = 0; g < RECIMG_SKIP_GROUPS; g++)
        pp->skip_scale[g] = 1.0;
}

static int encode_plane(const double *coef, const recimg_rec_plane_params *pp, recimg_rec_stats *rs,
                        uint8_t **buf, size_t *size)
{
    rec_rc_encoder enc;
    recimg_ctx *ce = NULL;
    int ok;
    memset(rs, 0, sizeof *rs);
    if (rec_rc_encoder_init(&enc) != 0 || recimg_ctx_create(BW, RECIMG_CTX_CONTINUOUS, &ce) != RECIMG_OK)
        return -1;
    ok = recimg_rec_encode_plane(&enc, ce, coef, BW, BH, pp, rs) == RECIMG_OK;
    recimg_ctx_free(ce);
    if (rec_rc_encoder_finish(&enc, buf, size) != 0 || !ok) {
        rec_rc_encoder_free(&enc);
        return -1;
    }
    return 0;
}

static int decode_plane(const uint8_t *buf, size_t size, const recimg_rec_plane_params *pp, double *out)
{
    rec_rc_decoder dec;
    recimg_ctx *cd = NULL;
    recimg_rec_recon recon = {RECIMG_DECODE_CENTER, 0.0, 0};
    recimg_status st;
    rec_rc_decoder_init(&dec, buf, size);
    if (recimg_ctx_create(BW, RECIMG_CTX_CONTINUOUS, &cd) != RECIMG_OK)
        return -1;
    st = recimg_rec_decode_plane(&dec, cd, out, BW, BH, pp, &recon);
    recimg_ctx_free(cd);
    return st == RECIMG_OK ? 0 : -1;
}

static void stage(void)
{
    static double coef[NCOEF], out[NCOEF], out0[NCOEF], pit[NCOEF];
    double sigma[64], ks;
    recimg_rec_plane_params pp, pp0;
    recimg_rec_stats rs, rs2;
    uint8_t *buf = NULL, *buf2 = NULL;
    size_t size = 0, size2 = 0, n = 0;
    uint64_t nonzero = 0;
    int differs = 0;
    for (int k = 0; k < 64; k++)
        sigma[k] = 3.0 * (16.0 + 2.0 * (k % 8 + k / 8)) / 16.0;
    ct_laplace_coefficients(coef, NCOEF, 909, 60.0);
    /* edges: every 7th block gets large values in its high bands, some quiet blocks none */
    for (int b = 0; b < BW * BH; b++)
        for (int k = 20; k < 64; k++) {
            if (b % 7 == 3 && (k * 5 + b) % 9 == 0)
                coef[b * 64 + k] += (k % 2 ? -1.0 : 1.0) * 12.0 * sigma[k];
            if (b % 5 == 1)
                coef[b * 64 + k] *= 0.1;
        }
    params(&pp, sigma, 1);
    CHECK(encode_plane(coef, &pp, &rs, &buf, &size) == 0);
    CHECK(encode_plane(coef, &pp, &rs2, &buf2, &size2) == 0);
    CHECK(size == size2 && buf && buf2 && !memcmp(buf, buf2, size));   /* deterministic */
    free(buf2);
    printf("stage: %llu coded, %llu skipped, levels %llu / %llu / %llu, %zu bytes\n",
           (unsigned long long)rs.coded, (unsigned long long)rs.skipped,
           (unsigned long long)rs.block_levels[0], (unsigned long long)rs.block_levels[1],
           (unsigned long long)rs.block_levels[2], size);
    CHECK(rs.block_levels[0] + rs.block_levels[1] + rs.block_levels[2] == BW * BH);
    CHECK(rs.block_levels[0] > 0 && rs.block_levels[1] > 0 && rs.block_levels[2] > 0);
    CHECK(rs.skipped > 0 && rs.coded > 0);
    CHECK(decode_plane(buf, size, &pp, out) == 0);
    for (int i = 0; i < NCOEF; i++) {
        if (out[i] == 0.0)
            continue;   /* skipped: the prior mean 0 (a coded sample is 0 with probability 0) */
        nonzero++;
        pit[n++] = (out[i] - coef[i]) / (sigma[i % 64] * 3.46410161513775458705) + 0.5;
    }
    CHECK(nonzero == rs.coded);   /* the decoder coded exactly the encoder's coefficients */
    ks = ct_ks_uniform(pit, n);   /* sorts pit */
    printf("stage: coded error uniform on the bin: n = %zu, sqrt(n) D = %.3f\n", n, ks);
    CHECK(n > 1000 && ks < 1.63 && pit[0] >= 0.0 && pit[n - 1] <= 1.0);
    /* the levels are in the stream: read without them, the same bytes decode otherwise */
    params(&pp0, sigma, 0);
    if (decode_plane(buf, size, &pp0, out0) == 0)
        for (int i = 0; i < NCOEF; i++)
            differs |= out0[i] != out[i];
    else
        differs = 1;
    CHECK(differs);
    free(buf);
}

/* ------------------------------------------------------------ files */

static uint32_t prior_of(const recimg_image *img, recimg_mode mode, recimg_sampler s, int flag,
                         recimg_status *st, uint8_t **keep, size_t *keep_size)
{
    recimg_encoder_params p;
    recimg_info info;
    uint8_t *data = NULL;
    size_t size = 0;
    uint32_t id = 0;
    recimg_encoder_params_default(&p);
    p.mode = mode;
    p.sampler = s;
    p.quality = 35;
    if (flag >= 0)
        p.rec_block_flag = flag;
    *st = ct_encode(&p, img, &data, &size, NULL);
    if (*st != RECIMG_OK)
        return 0;
    if (recimg_read_info(data, size, &info) == RECIMG_OK)
        id = info.prior_id;
    if (keep) {
        *keep = data;
        *keep_size = size;
    } else {
        recimg_free(data);
    }
    return id;
}

static void files(void)
{
    static const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER, RECIMG_DECODE_SAMPLE,
                                                RECIMG_DECODE_REALISM};
    recimg_image img;
    recimg_status st;
    uint8_t *f4 = NULL, *flrq = NULL, *fround = NULL;
    size_t n4 = 0, nlrq = 0, nround = 0;
    if (ct_make_image(&img, 72, 56, 3, 77) != 0) {
        CHECK(0);
        return;
    }
    CHECK(prior_of(&img, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 1, &st, &f4, &n4) == 4 && st == RECIMG_OK);
    CHECK(prior_of(&img, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, -1, &st, NULL, NULL) == 3 && st == RECIMG_OK);
    CHECK(prior_of(&img, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 0, &st, NULL, NULL) == 3 && st == RECIMG_OK);
    CHECK(prior_of(&img, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ, 1, &st, &flrq, &nlrq) == 3 && st == RECIMG_OK);
    CHECK(prior_of(&img, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK, 1, &st, NULL, NULL) == 3 && st == RECIMG_OK);
    /* round mode: rec_block_flag is ignored; the default round model is v5 (prior id 5) */
    CHECK(prior_of(&img, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 1, &st, &fround, &nround) == 5 &&
          st == RECIMG_OK);
    (void)prior_of(&img, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 2, &st, NULL, NULL);
    CHECK(st == RECIMG_ERR_INVALID_ARGUMENT);
    if (f4) {
        for (int m = 0; m < 4; m++) {   /* every decode mode, 1 and 2 threads */
            char a[33], b[33];
            ct_decode_md5(f4, n4, modes[m], 0.7, 1, a);
            ct_decode_md5(f4, n4, modes[m], 0.7, 2, b);
            CHECK(a[0] && !strcmp(a, b));
        }
        CHECK(f4[25] == 4);
    }
    if (flrq && nlrq > HDR) {   /* prior id 4 with sampler lrq: corrupt */
        CHECK(flrq[25] == 3);
        flrq[25] = 4;
        ct_fix_crc(flrq, nlrq);
        CHECK(ct_decode_status(flrq, nlrq) == RECIMG_ERR_CORRUPT);
    }
    if (fround && nround > HDR) {   /* in round mode: corrupt */
        CHECK(fround[25] == 5);
        fround[25] = 4;
        ct_fix_crc(fround, nround);
        CHECK(ct_decode_status(fround, nround) == RECIMG_ERR_CORRUPT);
    }
    if (f4) {   /* an unknown prior id */
        f4[25] = 5;
        ct_fix_crc(f4, n4);
        CHECK(ct_decode_status(f4, n4) == RECIMG_ERR_CORRUPT);
        f4[25] = 4;
        ct_fix_crc(f4, n4);
        CHECK(ct_decode_status(f4, n4) == RECIMG_OK);
    }
    recimg_free(f4);
    recimg_free(flrq);
    recimg_free(fround);
    free(img.pixels);
}

int main(void)
{
    snapshot();
    undo_redo();
    stage();
    files();
    return ct_finish("test_codec_block_flag");
}
