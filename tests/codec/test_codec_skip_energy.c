/* The skip-energy table (header flag 0x04, docs/FORMAT.md "Payload of the rec mode";
 * codec_rec.c): per band group one signed byte q, the sample and realism decoders
 * scale the luma plane's skipped coefficients' private draws by 2^(q / 16).
 *  - the helpers: band groups of the zigzag indices, the encoder's byte from its sums
 *    (bias, clamps), the decoder's factor;
 *  - inside the REC stage (a synthetic plane, prior id 3's rules): the encoder's sum
 *    of |y| per group is over exactly the skipped coefficients; the decoder scales
 *    exactly those draws by the group's factor (the coded coefficients and MMSE are
 *    untouched); with the encoder's own bytes the draws' mean |x| per group comes out
 *    at 2^(-1/4) times the skipped coefficients' mean |y| (statistical, 3000+ draws);
 *  - through the API, for uq with every combination of flags 0x01 and 0x02 and for
 *    lrq, RGB 4:2:0 and gray: the default encoder sets 0x04; the file is the one made
 *    without the table (rec_skip_energy = 0) with the table inserted at the payload's
 *    start (8 bytes) and the header's flag and payload size changed;
 *    mmse and centre decode to the same pixels as without it, sample and realism do
 *    not (unless the table is set to zeros); threads 1 and 2 agree;
 *  - hostile input (CRC recomputed, so only the table rule can refuse): a table byte
 *    outside [-96, 96] is RECIMG_ERR_CORRUPT, +-96 decode; a payload shorter than the
 *    table is corrupt; flag 0x04 in a round-mode file is corrupt. */
#include "codec_ctx.h"
#include "codec_rec.h"
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BW = 12, BH = 10, NCOEF = BW * BH * 64 };

/* The header size of a file (56 in version 1, 60 in version 2: the deadzone uq's flags2). */
static size_t hdr_of(const uint8_t *f)
{
    return (size_t)(f[10] | f[11] << 8);
}

static void helpers(void)
{
    int last = 0;
    CHECK(recimg_skip_group(0) == 0 && recimg_skip_group(64) == 0);
    CHECK(recimg_skip_group(1) == 0 && recimg_skip_group(5) == 0 && recimg_skip_group(6) == 1);
    CHECK(recimg_skip_group(14) == 1 && recimg_skip_group(15) == 2 && recimg_skip_group(35) == 4);
    CHECK(recimg_skip_group(36) == 5 && recimg_skip_group(54) == 6 && recimg_skip_group(55) == 7);
    CHECK(recimg_skip_group(63) == RECIMG_SKIP_GROUPS - 1);
    for (int zz = 1; zz < 64; zz++) {   /* contiguous, non-decreasing, all groups used */
        const int g = recimg_skip_group(zz);
        CHECK(g == last || g == last + 1);
        last = g;
    }
    CHECK(last == RECIMG_SKIP_GROUPS - 1);
    /* the encoder's byte: 16 log2(num / den) - 4, rounded and clamped */
    CHECK(recimg_skip_q(1.0, 1.0) == -4);
    CHECK(recimg_skip_q(2.0, 1.0) == 12);
    CHECK(recimg_skip_q(1.0, 4.0) == -36);
    CHECK(recimg_skip_q(0.0, 1.0) == -RECIMG_SKIP_Q_MAX);
    CHECK(recimg_skip_q(5.0, 0.0) == 0);
    CHECK(recimg_skip_q(1e30, 1.0) == RECIMG_SKIP_Q_MAX);
    CHECK(recimg_skip_q(1.0, 1e30) == -RECIMG_SKIP_Q_MAX);
    CHECK(fabs(recimg_skip_scale(0) - 1.0) < 1e-15);
    CHECK(fabs(recimg_skip_scale(16) - 2.0) < 1e-14);
    CHECK(fabs(recimg_skip_scale(-96) - 1.0 / 64.0) < 1e-16);
    CHECK(fabs(recimg_skip_scale(-4) - pow(2.0, -0.25)) < 1e-15);
}

static void params(recimg_rec_plane_params *pp, const double *sigma, int skip_energy)
{
    memset(pp, 0, sizeof *pp);
    pp->sampler = RECIMG_SAMPLER_UQ;
    pp->seed = 99;
    pp->plane = 0;
    pp->skip_bits = 0.12;
    pp->sigma = sigma;
    pp->stat_weight = 1.5;
    pp->quant_rev = REC_QUANT_REV_CLOSED;
    pp->skip_draw_wide = 1;
    pp->block_gain = 1;
    pp->uq_far_bin = 1;
    pp->skip_energy = skip_energy;
    for (int g = 0; g < RECIMG_SKIP_GROUPS; g++)
        pp->skip_scale[g] = 1.0;
}

static int decode_plane(const uint8_t *buf, size_t size, const recimg_rec_plane_params *pp,
                        recimg_decode_mode mode, double *out)
{
    rec_rc_decoder dec;
    recimg_ctx *cd = NULL;
    recimg_rec_recon recon = {mode, 1.0, 5};
    recimg_status st;
    rec_rc_decoder_init(&dec, buf, size);
    if (recimg_ctx_create(BW, RECIMG_CTX_CONTINUOUS, &cd) != RECIMG_OK)
        return -1;
    st = recimg_rec_decode_plane(&dec, cd, out, BW, BH, pp, &recon);
    recimg_ctx_free(cd);
    return st == RECIMG_OK ? 0 : -1;
}

static int zz_of_raster[64];

static void stage(void)
{
    static double coef[NCOEF], plain[NCOEF], scaled[NCOEF], own[NCOEF], m0[NCOEF], m1[NCOEF];
    double sigma[64], num[RECIMG_SKIP_GROUPS] = {0}, absx[RECIMG_SKIP_GROUPS] = {0};
    double absy[RECIMG_SKIP_GROUPS] = {0};
    int cnt[RECIMG_SKIP_GROUPS] = {0}, checked = 0;
    uint64_t skipped = 0;
    recimg_rec_plane_params pp;
    recimg_rec_stats rs;
    rec_rc_encoder enc;
    recimg_ctx *ce = NULL;
    uint8_t *buf = NULL;
    size_t size = 0;
    for (int zz = 0; zz < 64; zz++)
        zz_of_raster[recimg_zigzag[zz]] = zz;
    for (int k = 0; k < 64; k++)
        sigma[k] = 3.0 + 0.5 * (k % 8 + k / 8);
    ct_laplace_coefficients(coef, NCOEF, 1234, 60.0);
    params(&pp, sigma, 1);
    memset(&rs, 0, sizeof rs);
    CHECK(rec_rc_encoder_init(&enc) == 0);
    CHECK(recimg_ctx_create(BW, RECIMG_CTX_CONTINUOUS, &ce) == RECIMG_OK);
    CHECK(recimg_rec_encode_plane(&enc, ce, coef, BW, BH, &pp, &rs) == RECIMG_OK);
    CHECK(rec_rc_encoder_finish(&enc, &buf, &size) == 0);
    recimg_ctx_free(ce);
    CHECK(rs.skipped > 3000 && rs.coded > 500);
    /* sample decodes: the table off, all factors 1, factors 2^(g - 3), the encoder's own */
    {
        recimg_rec_plane_params off, one, var, mine;
        params(&off, sigma, 0);
        params(&one, sigma, 1);
        params(&var, sigma, 1);
        params(&mine, sigma, 1);
        for (int g = 0; g < RECIMG_SKIP_GROUPS; g++) {
            var.skip_scale[g] = pow(2.0, g - 3.0);
            mine.skip_scale[g] = recimg_skip_scale(recimg_skip_q(rs.skip_num[g], rs.skip_den[g]));
        }
        CHECK(decode_plane(buf, size, &off, RECIMG_DECODE_SAMPLE, plain) == 0);
        CHECK(decode_plane(buf, size, &one, RECIMG_DECODE_SAMPLE, scaled) == 0);
        CHECK(memcmp(plain, scaled, sizeof plain) == 0);   /* factor 1 = no table */
        CHECK(decode_plane(buf, size, &var, RECIMG_DECODE_SAMPLE, scaled) == 0);
        CHECK(decode_plane(buf, size, &mine, RECIMG_DECODE_SAMPLE, own) == 0);
        CHECK(decode_plane(buf, size, &off, RECIMG_DECODE_MMSE, m0) == 0);
        CHECK(decode_plane(buf, size, &var, RECIMG_DECODE_MMSE, m1) == 0);
        CHECK(memcmp(m0, m1, sizeof m0) == 0);   /* MMSE never sees the table */
        for (int i = 0; i < NCOEF; i++) {
            const int zz = zz_of_raster[i % 64];
            const int g = recimg_skip_group(zz);
            if (plain[i] == scaled[i])
                continue;   /* coded (or factor 1 in group 3: those are checked below) */
            CHECK(zz > 0 && g != 3);
            CHECK(fabs(scaled[i] - var.skip_scale[g] * plain[i]) <= 1e-9 * fabs(scaled[i]));
            CHECK(m0[i] == 0.0);   /* a skipped AC coefficient's MMSE is the prior mean */
            skipped++;
            num[g] += fabs(coef[i]);
            absx[g] += fabs(own[i]);
            absy[g] += fabs(coef[i]);
            cnt[g]++;
        }
        /* group 3's factor is 1; its skipped coefficients are those whose MMSE is 0 */
        for (int i = 0; i < NCOEF; i++) {
            const int zz = zz_of_raster[i % 64];
            if (recimg_skip_group(zz) == 3 && zz > 0 && m0[i] == 0.0) {
                skipped++;
                num[3] += fabs(coef[i]);
                absx[3] += fabs(own[i]);
                absy[3] += fabs(coef[i]);
                cnt[3]++;
            }
        }
    }
    CHECK(skipped == rs.skipped);
    for (int g = 0; g < RECIMG_SKIP_GROUPS; g++) {
        CHECK(fabs(num[g] - rs.skip_num[g]) <= 1e-9 * rs.skip_num[g]);
        CHECK((cnt[g] > 0) == (rs.skip_den[g] > 0.0));
        if (cnt[g] >= 300) {   /* mean |draw| against 2^(-1/4) mean |y| (sd of the ratio ~6%) */
            const double r = absx[g] / absy[g] / pow(2.0, -0.25);
            printf("group %d: %5d skipped, byte %4d, mean|x| / (0.84 mean|y|) = %.3f\n", g, cnt[g],
                   recimg_skip_q(rs.skip_num[g], rs.skip_den[g]), r);
            CHECK(r > 0.8 && r < 1.25);
            checked++;
        }
    }
    CHECK(checked >= 4);
    free(buf);
}

/* ---------------------------------------------------------------- files */

static recimg_status encode(const recimg_image *img, recimg_mode mode, recimg_sampler s, int legacy,
                            int far_bin, int skip_energy, uint8_t **out, size_t *size)
{
    recimg_encoder_params p;
    recimg_encoder_params_default(&p);
    p.recon_table = 0;   /* flag 0x40 has its own test (test_codec_recon_table) */
    p.mode = mode;
    p.sampler = s;
    p.quality = 25;
    p.rec_legacy_bin_coder = legacy;
    p.rec_uq_far_bin = far_bin;
    if (skip_energy >= 0)
        p.rec_skip_energy = skip_energy;
    return ct_encode(&p, img, out, size, NULL);
}

/* Decoded pixels (malloc'd by the codec; recimg_free) or NULL with *st set. */
static uint8_t *decode(const uint8_t *f, size_t n, recimg_decode_mode mode, int threads, recimg_status *st)
{
    recimg_decoder_params p;
    recimg_decoder *d = NULL;
    recimg_image out;
    recimg_decoder_params_default(&p);
    p.decode = mode;
    p.realism = 0.5;
    p.threads = threads;
    *st = recimg_decoder_create(&p, &d);
    if (*st == RECIMG_OK)
        *st = recimg_decode(d, f, n, &out);
    recimg_decoder_free(d);
    if (*st != RECIMG_OK)
        return NULL;
    return out.pixels;
}

static recimg_status decode_status(const uint8_t *f, size_t n)
{
    recimg_status st;
    uint8_t *px = decode(f, n, RECIMG_DECODE_SAMPLE, 1, &st);
    recimg_free(px);
    return st;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

static void file_pair(const recimg_image *img, recimg_sampler s, int legacy, int far_bin, const char *name)
{
    const size_t table = RECIMG_SKIP_GROUPS;
    const size_t npx = (size_t)img->width * img->height * img->channels;
    /* 0x08: the short-chain revision, on by default; the table leaves its streams alone too */
    /* 0x20: uq's block dither stream, on by default */
    const uint8_t base = (uint8_t)((legacy ? 0 : 0x01) | (s == RECIMG_SAMPLER_UQ && far_bin ? 0x02 : 0) | 0x08 |
                                   (s == RECIMG_SAMPLER_UQ ? 0x20 : 0));
    uint8_t *a = NULL, *z = NULL, *d = NULL;
    size_t na = 0, nz = 0, nd = 0;
    int nonzero = 0;
    CHECK(encode(img, RECIMG_MODE_REC, s, legacy, far_bin, 1, &a, &na) == RECIMG_OK);
    CHECK(encode(img, RECIMG_MODE_REC, s, legacy, far_bin, 0, &z, &nz) == RECIMG_OK);
    CHECK(encode(img, RECIMG_MODE_REC, s, legacy, far_bin, -1, &d, &nd) == RECIMG_OK);   /* default */
    CHECK(a && d && na == nd && memcmp(a, d, na) == 0);   /* the default writes the table */
    if (!a || !z || na != nz + table || nz < hdr_of(z) + 8) {
        CHECK(!"files with and without the table differ by more than the table");
        goto done;
    }
    const size_t HDR = hdr_of(a);
    CHECK(a[27] == (base | 0x04) && z[27] == base);
    CHECK(get64(a + 48) == get64(z + 48) + table);
    CHECK(memcmp(a, z, 27) == 0 && memcmp(a + 28, z + 28, 20) == 0);   /* header but flags, size */
    CHECK(memcmp(a + HDR + table, z + HDR, nz - HDR - 4) == 0);        /* the same streams */
    for (size_t j = 0; j < table; j++) {
        const int q = a[HDR + j] < 128 ? a[HDR + j] : a[HDR + j] - 256;
        CHECK(q >= -RECIMG_SKIP_Q_MAX && q <= RECIMG_SKIP_Q_MAX);
        nonzero += q != 0;
    }
    CHECK(nonzero > 0);
    {
        const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER, RECIMG_DECODE_SAMPLE,
                                             RECIMG_DECODE_REALISM};
        for (int m = 0; m < 4; m++) {
            recimg_status s1, s2, s3;
            uint8_t *p1 = decode(a, na, modes[m], 1, &s1), *p2 = decode(z, nz, modes[m], 1, &s2);
            uint8_t *p3 = decode(a, na, modes[m], 2, &s3);
            CHECK(s1 == RECIMG_OK && s2 == RECIMG_OK && s3 == RECIMG_OK);
            if (p1 && p2 && p3) {
                const int same = memcmp(p1, p2, npx) == 0;
                CHECK(same == (modes[m] == RECIMG_DECODE_MMSE || modes[m] == RECIMG_DECODE_CENTER));
                CHECK(memcmp(p1, p3, npx) == 0);   /* threads */
            }
            recimg_free(p1);
            recimg_free(p2);
            recimg_free(p3);
        }
    }
    {   /* a table of zeros (factor 1) decodes like no table at all, in every mode */
        uint8_t *f = malloc(na);
        CHECK(f != NULL);
        if (f) {
            recimg_status s1, s2;
            uint8_t *p1, *p2;
            memcpy(f, a, na);
            memset(f + HDR, 0, table);
            ct_fix_crc(f, na);
            p1 = decode(f, na, RECIMG_DECODE_SAMPLE, 1, &s1);
            p2 = decode(z, nz, RECIMG_DECODE_SAMPLE, 1, &s2);
            CHECK(p1 && p2 && memcmp(p1, p2, npx) == 0);
            recimg_free(p1);
            recimg_free(p2);
        }
        free(f);
    }
    {   /* table bytes: +-96 decode, anything beyond is corrupt (first and last byte) */
        uint8_t *f = malloc(na);
        const int bad[4] = {97, -97, 127, -128};
        CHECK(f != NULL);
        for (size_t j = 0; f && j < table; j += table - 1) {
            memcpy(f, a, na);
            f[HDR + j] = 96;
            ct_fix_crc(f, na);
            CHECK(decode_status(f, na) == RECIMG_OK);
            f[HDR + j] = (uint8_t)(int8_t)-96;
            ct_fix_crc(f, na);
            CHECK(decode_status(f, na) == RECIMG_OK);
            for (int b = 0; b < 4; b++) {
                f[HDR + j] = (uint8_t)(int8_t)bad[b];
                ct_fix_crc(f, na);
                CHECK(decode_status(f, na) == RECIMG_ERR_CORRUPT);
            }
        }
        /* a payload that ends inside the table: size field, file size and CRC consistent */
        if (f) {
            for (size_t keep = 0; keep < table + 8; keep += 5) {
                memcpy(f, a, HDR + keep);
                for (int i = 0; i < 8; i++) f[48 + i] = (uint8_t)((uint64_t)keep >> (8 * i));
                ct_fix_crc(f, HDR + keep + 4);
                CHECK(decode_status(f, HDR + keep + 4) == RECIMG_ERR_CORRUPT);
            }
        }
        free(f);
    }
    printf("%-26s flags 0x%02x: %zu B with the table, %zu B without\n", name, a[27], na, nz);
done:
    recimg_free(a);
    recimg_free(z);
    recimg_free(d);
}

int main(void)
{
    recimg_image rgb, gray;
    helpers();
    stage();
    CHECK(ct_make_image(&rgb, 96, 72, 3, 51) == 0);
    CHECK(ct_make_image(&gray, 80, 56, 1, 52) == 0);
    for (int legacy = 0; legacy < 2; legacy++)
        for (int far_bin = 0; far_bin < 2; far_bin++) {
            char name[64];
            snprintf(name, sizeof name, "uq rgb%s%s", legacy ? " window" : "", far_bin ? " far-bin" : "");
            file_pair(&rgb, RECIMG_SAMPLER_UQ, legacy, far_bin, name);
        }
    file_pair(&gray, RECIMG_SAMPLER_UQ, 0, 1, "uq gray far-bin");
    file_pair(&rgb, RECIMG_SAMPLER_LRQ, 0, 0, "lrq rgb");
    file_pair(&gray, RECIMG_SAMPLER_LRQ, 1, 0, "lrq gray window");
    {   /* flag 0x04 in a round-mode file is corrupt (the encoder never sets it there) */
        uint8_t *f = NULL;
        size_t n = 0;
        CHECK(encode(&gray, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 0, 1, 1, &f, &n) == RECIMG_OK);
        CHECK(f && n > 28 && f[27] == 0);
        if (f) {
            CHECK(decode_status(f, n) == RECIMG_OK);
            f[27] = 0x04;
            ct_fix_crc(f, n);
            CHECK(decode_status(f, n) == RECIMG_ERR_CORRUPT);
        }
        recimg_free(f);
    }
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_skip_energy");
}
