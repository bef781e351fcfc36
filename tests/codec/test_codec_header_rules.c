/* docs/FORMAT.md's header rules for prior id (byte 25), sampler (byte 24) and flags
 * (byte 27), checked as a whole table rather than one mutation at a time:
 *  - headers: from a rec-mode file (uq, prior id 4, flags 0x2F) and a round-mode file,
 *    every prior id 0..6 x sampler id 0..7 x flag byte 0x00..0x7F and 0x80 (CRC
 *    recomputed, so only the header rules can refuse) is parsed by recimg_read_info,
 *    which must accept exactly what FORMAT.md allows and return RECIMG_ERR_CORRUPT for
 *    the rest. The expected answer is written here from the document's words: rec
 *    mode needs a sampler 1..6 and a prior id 1..4, prior id 4 needs sampler 5 (uq),
 *    flags 0x02 and 0x20 need sampler 5, bits above 0x08 other than 0x20 and 0x40 are
 *    errors, the other bits combine freely; round mode needs sampler 0, prior id 1 or 5
 *    (the rounding baseline's v5) and flags 0 or 0x40 (the reconstruction table, allowed
 *    in both modes).
 *  - files: context model v4 (rec_block_flag = 1) with each of the 64 combinations of
 *    the six flag bits the encoder can leave out or add (window coder 0x01, far-bin 0x02,
 *    skip-energy 0x04, short-chain 0x08, block dither 0x20, reconstruction table 0x40)
 *    writes prior id 4 and exactly those flags;
 *    each decodes in every decode mode to the same pixels with 1 and 2 threads, and its
 *    level is read: the same bytes with prior id 3 decode to other pixels or fail; so is
 *    flag 0x20: the bytes with the bit flipped decode to other pixels or fail.
 *  - round mode's context model v5 (round_block_gain = 1, prior id 5), with flags 0 and
 *    0x40: the same for its files against prior id 1.
 *  - version 2 (flags2 at offset 56, the header flags' bits 8..31): from the same two
 *    files, flags2 0, each single bit of 24, all 24, a value past them and the combinations
 *    of the defined bits 0x400, 0x800, 0x1000 and 0x4000, over prior id x
 *    sampler as above (byte 27 as the file has it), parsed by recimg_read_info: accepted
 *    exactly as flags2_valid says, with the flags reported as byte 27 | flags2 << 8 and
 *    version 2, refused as corrupt otherwise; version 2 without the field, version 1 with
 *    it, version 3, and every truncation of a version 2 header are refused. */
#include "codec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HDR = 56 };

static int enc_deadzone;   /* rec_uq_deadzone and round_deadzone of encode() (flags2 0x400 / 0x800);
                              0: version-1 files */
static int enc_dz_draw;    /* rec_uq_dz_draw of encode() (flags2 0x1000 with 0x400) */
static int enc_dz_fast;    /* rec_dz_fast_rule of encode() (flags2 0x2000 with 0x400) */

/* block_flag: rec_block_flag in rec mode, round_block_gain in round mode */
static uint8_t *encode(const recimg_image *img, recimg_mode mode, int block_flag, int legacy, int far_bin,
                       int skip_energy, int fast_chain, int recon_table, int block_dither, size_t *size)
{
    recimg_encoder_params p;
    uint8_t *data = NULL;
    recimg_encoder_params_default(&p);
    p.mode = mode;
    p.quality = 40;
    if (mode == RECIMG_MODE_REC) {
        p.sampler = RECIMG_SAMPLER_UQ;
        p.rec_block_flag = block_flag;
        p.rec_legacy_bin_coder = legacy;
        p.rec_uq_far_bin = far_bin;
        p.rec_skip_energy = skip_energy;
        p.rec_fast_chain = fast_chain;
    } else {
        p.round_block_gain = block_flag;
    }
    p.recon_table = recon_table;
    p.rec_block_dither = block_dither;
    p.rec_uq_deadzone = enc_deadzone;
    p.rec_dz_fast_rule = enc_dz_fast;
    p.round_deadzone = enc_deadzone;
    p.rec_uq_dz_draw = enc_dz_draw;
    *size = 0;
    if (ct_encode(&p, img, &data, size, NULL) != RECIMG_OK || *size <= HDR + 4) {
        recimg_free(data);
        return NULL;
    }
    return data;
}

/* FORMAT.md, bytes 24, 25, 27 */
static int header_valid(int mode, unsigned sampler, unsigned prior, unsigned flags)
{
    if (mode == 0)
        return sampler == 0 && (prior == 1 || prior == 5) && (flags & ~0x40u) == 0;
    if (sampler < 1 || sampler > 6 || prior < 1 || prior > 4)
        return 0;
    if (prior == 4 && sampler != 5)
        return 0;
    if ((flags & ~0x6Fu) != 0)
        return 0;
    if ((flags & 0x22u) && sampler != 5)
        return 0;
    return 1;
}

/* FORMAT.md, version 2's flags2 (the flags' bits 8..31; flags2 bit k is flag 0x100 << k);
 * every undefined bit is corrupt, and each defined one is valid only where its feature
 * exists (flags: byte 27; header_valid holds already):
 * 0x4 = 0x400, the deadzone uq: rec mode, sampler uq, with flag 0x01;
 * 0x8 = 0x800, the round deadzone: round mode only (any prior id and flag byte round mode
 * allows). They never meet (different modes);
 * 0x10 = 0x1000, the private draws in the deadzone uq's cells: only together with 0x400
 * (where 0x400 is valid);
 * 0x20 = 0x2000, the deadzone uq's fast rule: only together with 0x400 (0x24, and 0x34
 * with 0x1000);
 * 0x40 = 0x4000, the round deadzone's zero-cell draw scale: only together with 0x800
 * (where 0x800 is valid). */
static int flags2_valid(int mode, unsigned sampler, unsigned prior, unsigned flags, uint32_t flags2)
{
    (void)prior;
    if (flags2 == 0x4u || flags2 == 0x14u || flags2 == 0x24u || flags2 == 0x34u)
        return mode == 1 && sampler == 5 && (flags & 0x01u);
    if (flags2 == 0x8u || flags2 == 0x48u)
        return mode == 0;
    return 0;
}

static void version2_table(const uint8_t *file, size_t size, int mode)
{
    /* beyond the single bits: none, all, past them, and the pairs of the defined bits
       (0x1000 with 0x400 and with 0x800, 0x400 with 0x800; 0x2000 with each; 0x4000 with
       0x800, 0x400, 0x1000 and 0x2000) and the triples */
    static const uint32_t extra[17] = {0, 0xFFFFFFu, 0x1000000u, 0x14u, 0x18u, 0xCu, 0x1Cu,
                                       0x24u, 0x2Cu, 0x28u, 0x34u, 0x30u, 0x3Cu,
                                       0x48u, 0x44u, 0x50u, 0x60u};
    int accepted = 0, refused = 0, expected = 0;
    for (int k = 0; k < 24 + 17; k++) {
        const uint32_t flags2 = k < 24 ? 1u << k : extra[k - 24];
        size_t n = 0;
        uint8_t *f = ct_with_flags2(file, size, flags2 ? flags2 : 1u, &n);
        CHECK(f != NULL && n == size + 4);
        if (!f)
            continue;
        for (int i = 0; i < 4; i++)   /* flags2 == 0 cannot come from ct_with_flags2 */
            f[56 + i] = (uint8_t)(flags2 >> (8 * i));
        for (unsigned prior = 0; prior <= 6; prior++)
            for (unsigned sampler = 0; sampler <= 7; sampler++) {
                const unsigned flags = file[27];
                recimg_info info;
                recimg_status st;
                f[24] = (uint8_t)sampler;
                f[25] = (uint8_t)prior;
                ct_fix_crc(f, n);
                st = recimg_read_info(f, n, &info);
                if (header_valid(mode, sampler, prior, flags) && flags2_valid(mode, sampler, prior, flags, flags2)) {
                    expected++;
                    if (st == RECIMG_OK && info.version == 2 && info.flags == (flags | flags2 << 8)) {
                        accepted++;
                    } else {
                        fprintf(stderr, "version 2, mode %d sampler %u prior %u flags2 0x%x: refused (%s)\n",
                                mode, sampler, prior, (unsigned)flags2, recimg_strerror(st));
                        CHECK(0);
                    }
                } else {
                    refused++;
                    if (st != RECIMG_ERR_CORRUPT) {
                        fprintf(stderr, "version 2, mode %d sampler %u prior %u flags2 0x%x: %s, not corrupt\n",
                                mode, sampler, prior, (unsigned)flags2, recimg_strerror(st));
                        CHECK(0);
                    }
                }
            }
        free(f);
    }
    printf("mode %d, version 2: %d headers accepted, %d refused as corrupt\n", mode, accepted, refused);
    CHECK(accepted == expected && refused > 0);
    {   /* the version and the layout go together */
        uint8_t *f = malloc(size);
        size_t n2 = 0, nb = 0;
        uint8_t *f2 = ct_with_flags2(file, size, 1u, &n2);
        uint8_t *back = f2 ? ct_with_flags2(f2, n2, 0u, &nb) : NULL;
        CHECK(f != NULL && f2 != NULL && back != NULL);
        if (back)   /* the test helper's round trip gives the original bytes */
            CHECK(nb == size && memcmp(back, file, size) == 0);
        if (f) {
            memcpy(f, file, size);
            f[8] = 2;   /* version 2 in version 1's 56-byte layout */
            ct_fix_crc(f, size);
            CHECK(recimg_read_info(f, size, &(recimg_info){0}) == RECIMG_ERR_CORRUPT);
            f[10] = 60;   /* and claiming the 60-byte header over a payload that starts at 56 */
            ct_fix_crc(f, size);
            CHECK(recimg_read_info(f, size, &(recimg_info){0}) != RECIMG_OK);
            f[8] = 3;
            f[10] = 56;
            ct_fix_crc(f, size);
            CHECK(recimg_read_info(f, size, &(recimg_info){0}) == RECIMG_ERR_BAD_VERSION);
        }
        if (f2) {
            f2[8] = 1;   /* version 1 with a 60-byte header */
            ct_fix_crc(f2, n2);
            CHECK(recimg_read_info(f2, n2, &(recimg_info){0}) == RECIMG_ERR_CORRUPT);
            f2[8] = 2;
            ct_fix_crc(f2, n2);
            for (size_t cut = 0; cut < 60; cut++) {   /* every truncation through flags2 */
                const recimg_status st = recimg_read_info(f2, cut, &(recimg_info){0});
                if (!(st == RECIMG_ERR_TRUNCATED || (cut == 0 && st == RECIMG_ERR_BAD_MAGIC)))
                    fprintf(stderr, "cut %zu: %s\n", cut, recimg_strerror(st));
                CHECK(st == RECIMG_ERR_TRUNCATED || (cut == 0 && st == RECIMG_ERR_BAD_MAGIC));
            }
        }
        free(f);
        free(f2);
        free(back);
    }
}

static void header_table(const uint8_t *file, size_t size, int mode)
{
    uint8_t *f = malloc(size);
    int accepted = 0, refused = 0;
    if (!f) {
        CHECK(0);
        return;
    }
    for (unsigned prior = 0; prior <= 6; prior++)
        for (unsigned sampler = 0; sampler <= 7; sampler++)
            for (unsigned fl = 0; fl <= 0x80; fl++) {
                const unsigned flags = fl;   /* 0x00..0x7F and 0x80 */
                recimg_info info;
                recimg_status st;
                memcpy(f, file, size);
                f[24] = (uint8_t)sampler;
                f[25] = (uint8_t)prior;
                f[27] = (uint8_t)flags;
                ct_fix_crc(f, size);
                st = recimg_read_info(f, size, &info);
                if (header_valid(mode, sampler, prior, flags)) {
                    accepted++;
                    if (st != RECIMG_OK || info.prior_id != prior || info.flags != flags ||
                        (unsigned)info.sampler != sampler) {
                        fprintf(stderr, "mode %d sampler %u prior %u flags 0x%02x: refused (%s)\n", mode, sampler,
                                prior, flags, recimg_strerror(st));
                        CHECK(0);
                    }
                } else {
                    refused++;
                    if (st != RECIMG_ERR_CORRUPT) {
                        fprintf(stderr, "mode %d sampler %u prior %u flags 0x%02x: %s, not corrupt\n", mode,
                                sampler, prior, flags, recimg_strerror(st));
                        CHECK(0);
                    }
                }
            }
    printf("mode %d: %d headers accepted, %d refused as corrupt\n", mode, accepted, refused);
    /* the table is not vacuous: rec mode accepts 5 samplers x 3 priors x 8 flag bytes
       without 0x02 and 0x20 plus uq's 4 priors x 32, each with and without 0x40; round
       mode four headers (prior ids 1 and 5, flags 0 and 0x40) */
    CHECK(accepted == (mode ? 2 * (5 * 3 * 8 + 4 * 32) : 4));
    free(f);
}

static int decode_md5(const uint8_t *data, size_t size, recimg_decode_mode mode, int threads, char hex[33])
{
    const recimg_status st = ct_decode_md5(data, size, mode, 0.6, threads, hex);
    if (st != RECIMG_OK)
        return st == RECIMG_ERR_CORRUPT ? 1 : -1;
    return 0;
}

/* f decodes in every decode mode to the same pixels with 1 and 2 threads; ref: the MMSE MD5. */
static void decodes_alike(const uint8_t *f, size_t n, char ref[33])
{
    static const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER, RECIMG_DECODE_SAMPLE,
                                                RECIMG_DECODE_REALISM};
    for (int m = 0; m < 4; m++) {
        char a[33], b[33];
        CHECK(decode_md5(f, n, modes[m], 1, a) == 0);
        CHECK(decode_md5(f, n, modes[m], 2, b) == 0);
        CHECK(a[0] && !strcmp(a, b));
        if (m == 0)
            memcpy(ref, a, 33);
    }
}

/* The prior id's model is read: the same bytes under prior id `other` (f is changed)
 * decode to pixels other than ref (the MMSE MD5 under the file's own id), or fail. */
static void model_is_read(uint8_t *f, size_t n, uint8_t other, const char *ref)
{
    char c[33];
    int r;
    f[25] = other;
    ct_fix_crc(f, n);
    r = decode_md5(f, n, RECIMG_DECODE_MMSE, 1, c);
    CHECK(r == 1 || (r == 0 && strcmp(c, ref) != 0));
}

static void v4_flag_combinations(const recimg_image *img)
{
    for (unsigned w = 0; w < 64; w++) {
        const unsigned want = (w & 15u) | (w & 16u ? 0x20u : 0u) | (w & 32u ? 0x40u : 0u);
        size_t n = 0;
        uint8_t *f = encode(img, RECIMG_MODE_REC, 1, !(want & 1u), (want >> 1) & 1u, (want >> 2) & 1u,
                            (want >> 3) & 1u, (want >> 6) & 1u, (want >> 5) & 1u, &n);
        char ref[33] = "";
        CHECK(f != NULL);
        if (!f)
            continue;
        CHECK(f[23] == 1 && f[24] == 5 && f[25] == 4 && f[27] == want);
        decodes_alike(f, n, ref);
        model_is_read(f, n, 3, ref);   /* the level is read: under v3 another image or corrupt */
        f[25] = 4;
        {   /* flag 0x20 is read: the dithers differ with and without it */
            char c[33];
            int r;
            f[27] ^= 0x20u;
            ct_fix_crc(f, n);
            r = decode_md5(f, n, RECIMG_DECODE_MMSE, 1, c);
            CHECK(r == 1 || (r == 0 && strcmp(c, ref) != 0));
        }
        recimg_free(f);
    }
}

/* The deadzone uq (flags2 0x400), without and with its fast rule (0x2000, flags2 0x24):
 * with every combination of the byte-27 flags that has the closed-form coder (0x01) and
 * with prior ids 3 and 4, the encoder writes a version-2 file with flags2 0x400 (0x2400)
 * that decodes in every decode mode to the same pixels with 1 and 2 threads; the bits are
 * read (the same bytes as version 1 without them, and with the fast rule's bit flipped,
 * decode to other pixels or fail), and without 0x01 (the window coder) the encoder leaves
 * them out. The same bytes
 * with flags2 0x1000 as well (the private draws in the deadzone cells, decoder only; what
 * rec_uq_dz_draw = 1 writes, checked on one file) decode alike over threads too, to the
 * same mmse and center pixels and to other sample pixels. */
static void dz_draw_combination(const uint8_t *f, size_t n, const char *ref)
{
    size_t n2 = 0;
    uint8_t *f2 = ct_with_flags2(f, n, 0x10u | f[56], &n2);   /* 0x14, or 0x34 with the fast rule */
    char r2[33], a[33], b[33];
    CHECK(f2 != NULL && n2 == n);
    if (!f2)
        return;
    decodes_alike(f2, n2, r2);
    CHECK(!strcmp(r2, ref));
    CHECK(decode_md5(f, n, RECIMG_DECODE_CENTER, 1, a) == 0 && decode_md5(f2, n2, RECIMG_DECODE_CENTER, 1, b) == 0);
    CHECK(a[0] && !strcmp(a, b));
    CHECK(decode_md5(f, n, RECIMG_DECODE_SAMPLE, 1, a) == 0 && decode_md5(f2, n2, RECIMG_DECODE_SAMPLE, 1, b) == 0);
    CHECK(a[0] && strcmp(a, b) != 0);
    free(f2);
}

static void deadzone_combinations(const recimg_image *img, int fast)
{
    enc_deadzone = 1;
    enc_dz_fast = fast;
    for (unsigned w = 0; w < 64; w++) {
        const unsigned want = 0x01u | (w & 14u) | (w & 16u ? 0x20u : 0u) | (w & 32u ? 0x40u : 0u);
        const int v4 = (int)(w & 1u);
        size_t n = 0, n1 = 0;
        uint8_t *f = encode(img, RECIMG_MODE_REC, v4, 0, (want >> 1) & 1u, (want >> 2) & 1u, (want >> 3) & 1u,
                            (want >> 6) & 1u, (want >> 5) & 1u, &n);
        uint8_t *f1 = NULL;
        char ref[33] = "", c[33];
        int r;
        CHECK(f != NULL);
        if (!f)
            continue;
        CHECK(n > 64 && f[8] == 2 && f[10] == 60 && f[24] == 5 && f[25] == (v4 ? 4 : 3) && f[27] == want);
        CHECK(f[56] == (fast ? 0x24 : 0x04) && f[57] == 0 && f[58] == 0 && f[59] == 0);
        decodes_alike(f, n, ref);
        dz_draw_combination(f, n, ref);
        {   /* the fast rule's bit is read */
            uint8_t *g = malloc(n);
            CHECK(g != NULL);
            if (g) {
                memcpy(g, f, n);
                g[56] ^= 0x20u;
                ct_fix_crc(g, n);
                r = decode_md5(g, n, RECIMG_DECODE_MMSE, 1, c);
                CHECK(r == 1 || (r == 0 && strcmp(c, ref) != 0));
                free(g);
            }
        }
        f1 = ct_with_flags2(f, n, 0u, &n1);   /* the same payload as a version-1 file */
        CHECK(f1 != NULL && n1 == n - 4);
        if (f1) {
            r = decode_md5(f1, n1, RECIMG_DECODE_MMSE, 1, c);
            CHECK(r == 1 || (r == 0 && strcmp(c, ref) != 0));
        }
        recimg_free(f);
        free(f1);
    }
    {   /* the window coder (legacy): no deadzone, version 1 (rec_uq_dz_draw = 1 changes nothing) */
        size_t n = 0;
        uint8_t *f;
        enc_dz_draw = 1;
        f = encode(img, RECIMG_MODE_REC, 0, 1, 1, 1, 1, 1, 1, &n);
        CHECK(f && f[8] == 1 && f[10] == 56 && (f[27] & 0x01u) == 0);
        recimg_free(f);
    }
    {   /* rec_uq_dz_draw = 1 writes flags2 0x1000 with 0x400 and the same payload */
        size_t n = 0, n0 = 0;
        uint8_t *f = encode(img, RECIMG_MODE_REC, 0, 0, 1, 1, 1, 1, 1, &n);
        uint8_t *f0;
        enc_dz_draw = 0;
        f0 = encode(img, RECIMG_MODE_REC, 0, 0, 1, 1, 1, 1, 1, &n0);
        CHECK(f && f0 && n == n0 && f[8] == 2 && f[56] == (fast ? 0x34 : 0x14) && f0[56] == (fast ? 0x24 : 0x04));
        if (f && f0 && n == n0)
            CHECK(memcmp(f, f0, 56) == 0 && memcmp(f + 57, f0 + 57, n - 57 - 4) == 0);
        recimg_free(f);
        recimg_free(f0);
    }
    enc_deadzone = 0;
    enc_dz_fast = 0;
}

/* Round mode's context model v5 (round_block_gain = 1) writes prior id 5, without and
 * with the reconstruction table (flags 0 and 0x40, the round mode's flags); each file
 * decodes in every decode mode to the same pixels with 1 and 2 threads, and the gain is
 * read: the same bytes as prior id 1 decode to other pixels or fail, and v1's own file
 * is a different payload. */
static void round_v5(const recimg_image *img)
{
    for (int table = 0; table <= 1; table++) {
        size_t n = 0, n1 = 0;
        uint8_t *f = encode(img, RECIMG_MODE_ROUND, 1, 0, 0, 0, 0, table, 0, &n);
        uint8_t *f1 = encode(img, RECIMG_MODE_ROUND, 0, 0, 0, 0, 0, table, 0, &n1);
        char ref[33] = "";
        CHECK(f != NULL && f1 != NULL);
        if (f && f1) {
            CHECK(f[23] == 0 && f[24] == 0 && f[25] == 5 && f[27] == (table ? 0x40 : 0));
            CHECK(f1[25] == 1 && (n != n1 || memcmp(f + HDR, f1 + HDR, n - HDR) != 0));
            decodes_alike(f, n, ref);
            model_is_read(f, n, 1, ref);
        }
        recimg_free(f);
        recimg_free(f1);
    }
}

int main(void)
{
    recimg_image rgb, gray;
    uint8_t *rec = NULL, *round = NULL;
    size_t nrec = 0, nround = 0;
    CHECK(ct_make_image(&rgb, 64, 48, 3, 404) == 0);
    CHECK(ct_make_image(&gray, 56, 40, 1, 405) == 0);
    rec = encode(&rgb, RECIMG_MODE_REC, 1, 0, 1, 1, 1, 0, 1, &nrec);
    round = encode(&rgb, RECIMG_MODE_ROUND, 0, 0, 0, 0, 0, 0, 0, &nround);
    CHECK(rec && rec[23] == 1 && rec[24] == 5 && rec[25] == 4 && rec[27] == 0x2F);
    CHECK(round && round[23] == 0 && round[24] == 0 && round[25] == 1 && round[27] == 0);
    if (rec)
        header_table(rec, nrec, 1);
    if (round)
        header_table(round, nround, 0);
    if (rec)
        version2_table(rec, nrec, 1);
    if (round)
        version2_table(round, nround, 0);
    v4_flag_combinations(&rgb);
    v4_flag_combinations(&gray);
    for (int fast = 0; fast <= 1; fast++) {
        deadzone_combinations(&rgb, fast);
        deadzone_combinations(&gray, fast);
    }
    round_v5(&rgb);
    round_v5(&gray);
    recimg_free(rec);
    recimg_free(round);
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_header_rules");
}
