/* The deadzone uq (flags2 0x400; codec/codec_deadzone.h, docs/REC_CODEC.md "Deadzone uq"):
 *  - the rule: no deadzone from b = sqrt(12) on, d falls with b, d <= 2 sqrt(12), tail = e^(-d/b);
 *  - the channel is exact: for Laplace sources with outliers and uniform dithers, the bin of
 *    g = compand(y) coded by rec_quant_code_bin_tail (revisions CLOSED and FAST) decodes to
 *    the same bin with the same edge exponentials, y lies in the bin's y-cell, the
 *    exponentials are the y-cell edges' e^(-|edge| / b), and the g-sample D (K - u) minus g
 *    is uniform on (-D/2, D/2) (Kolmogorov-Smirnov, DESIGN 6); tail = 1 writes the plain
 *    coder's bytes;
 *  - the second moment recimg_dz_second_moment matches a numerical integral, with and
 *    without the coder's exponentials;
 *  - files: the default uq encoder writes version 2 with flags2 0x400; the bit changes the
 *    bits; the file decodes with 1 and 2 threads alike in every decode mode; mmse beats
 *    centre; --stats' kl_bits is positive; corrupted payloads are
 *    refused cleanly or decode, truncated ones are refused. */
#include "codec_deadzone.h"
#include "codec_test_util.h"
#include "rec.h"
#include "rec_prng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define D 3.46410161513775458705

static void rule(void)
{
    recimg_dz z;
    for (double b = 0.001; b < 10.0; b *= 1.05) {
        double want = 0.05 * pow(b / D, -1.6);   /* d / D = min(2, 0.05 (b / D)^-1.6), d <= 600 b */
        recimg_dz_rule(b, &z);
        if (b >= D) {
            CHECK(z.d == 0.0 && z.tail == 1.0);
            continue;
        }
        want = (want < 2.0 ? want : 2.0) * D;
        want = want < 600.0 * b ? want : 600.0 * b;
        /* rec_ln_fast's absolute error (1e-7) times p; rec_exp_neg_fast's relative 1e-12 */
        CHECK(z.d > 0.0 && fabs(z.d - want) <= 1e-6 * want);
        CHECK(z.tail > 0.0 && z.tail < 1.0 && fabs(z.tail - exp(-z.d / b)) <= 1e-11 * exp(-z.d / b) + 1e-300);
    }
    recimg_dz_rule(0.0, &z);
    CHECK(z.d == 0.0 && z.tail == 1.0);
    {   /* known answers, bit for bit (the format's arithmetic: rec_ln_fast, rec_exp_neg_fast) */
        static const double kat[][3] = {
            {0x1.47ae147ae147bp-7, 0x1.8p+2, 0x1.4dd4d0d12c071p-866},
            {0x1.999999999999ap-5, 0x1.bb67ae8584caap+2, 0x1.114b52215c58cp-200},
            {0x1.3333333333333p-2, 0x1.bb67ae8584caap+2, 0x1.9ad390f8e3e41p-34},
            {0x1.6666666666666p-1, 0x1.1e63fd13466bbp+1, 0x1.4f2767aa9996ap-5},
            {0x1p+0, 0x1.43b3c05fc23fbp+0, 0x1.212b30226424fp-2},
            {0x1.4p+1, 0x1.2ae21baeaf225p-2, 0x1.c794b775545acp-1},
            {0x1.b333333333333p+1, 0x1.6d7c1b42b7be3p-3, 0x1.e5d1b84201fccp-1},
        };
        for (size_t i = 0; i < sizeof kat / sizeof *kat; i++) {
            recimg_dz_rule(kat[i][0], &z);
            CHECK(z.d == kat[i][1] && z.tail == kat[i][2]);
        }
    }
    recimg_dz_rule((double)NAN, &z);
    CHECK(z.d == 0.0 && z.tail == 1.0);
    CHECK(recimg_dz_compand(2.0, 0.5) == 1.5 && recimg_dz_compand(-2.0, 0.5) == -1.5 &&
          recimg_dz_compand(0.5, 0.5) == 0.0 && recimg_dz_compand(-0.3, 0.5) == 0.0);
}

/* exactness of the channel, for one coder revision */
static void channel(int fast)
{
    enum { N = 20000 };
    double *pit = malloc(N * sizeof *pit);
    int64_t *ks = malloc(N * sizeof *ks);
    double *us = malloc(N * sizeof *us), *bs = malloc(N * sizeof *bs), *ys = malloc(N * sizeof *ys);
    rec_quant_edges *eds = malloc(N * sizeof *eds);
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf = NULL;
    size_t size = 0;
    int in_cell = 0, same = 0, exps = 0, active = 0, nonzero = 0;
    double ks_stat;
    CHECK(pit && ks && us && bs && ys && eds && rec_rc_encoder_init(&enc) == 0);
    if (!pit || !ks || !us || !bs || !ys || !eds)
        goto done;
    for (int i = 0; i < N; i++) {
        const double b = 0.05 * exp(4.5 * rec_prng_uniform(11, 1, (uint64_t)i));   /* 0.05 .. 4.5 */
        const double v = rec_prng_uniform(11, 2, (uint64_t)i);
        const double s = rec_prng_uniform(11, 3, (uint64_t)i) < 0.5 ? -1.0 : 1.0;
        /* Laplace(b), and 5% outliers of scale 3 (the codec's rare large values) */
        const double y = s * (rec_prng_uniform(11, 4, (uint64_t)i) < 0.05 ? 3.0 : b) * -log(v);
        const double u = rec_prng_uniform(11, 5, (uint64_t)i) - 0.5;
        const rec_prior prior = {REC_PRIOR_LAPLACE, 0.0, b};
        recimg_dz z;
        recimg_dz_rule(b, &z);
        bs[i] = b;
        ys[i] = y;
        us[i] = u;
        ks[i] = (int64_t)floor(recimg_dz_compand(y, z.d) / D + u + 0.5);
        CHECK(rec_quant_code_bin_tail(&enc, ks[i], D, u, &prior, fast, z.tail, &eds[i]) == REC_OK);
        active += z.d > 0.0;
    }
    CHECK(rec_rc_encoder_finish(&enc, &buf, &size) == 0);
    rec_rc_decoder_init(&dec, buf, size);
    for (int i = 0; i < N; i++) {
        const rec_prior prior = {REC_PRIOR_LAPLACE, 0.0, bs[i]};
        recimg_dz z;
        rec_quant_edges ed;
        int64_t k = 0;
        double lo, hi;
        recimg_dz_rule(bs[i], &z);
        CHECK(rec_quant_decode_bin_tail(&dec, D, us[i], &prior, fast, z.tail, &k, &ed) == REC_OK);
        same += k == ks[i] && ed.known == eds[i].known && (!ed.known || (ed.e_lo == eds[i].e_lo &&
                                                                         ed.e_hi == eds[i].e_hi));
        recimg_dz_cell(k, us[i], z.d, &lo, &hi);
        in_cell += ys[i] >= lo && ys[i] <= hi;
        nonzero += k != 0;
        if (ed.known) {   /* the coder's exponentials are the y-cell's (tail and FAST: within 1e-12 each) */
            const double el = exp(-fabs(lo) / bs[i]), eh = exp(-fabs(hi) / bs[i]);
            const double tol = 1e-11;
            exps += fabs(ed.e_lo - el) <= tol * el + 1e-300 && fabs(ed.e_hi - eh) <= tol * eh + 1e-300;
        } else {
            exps++;
        }
        {   /* the g-sample's noise, as a uniform PIT */
            const double xg = D * ((double)k - us[i]);
            const double n = xg - recimg_dz_compand(ys[i], z.d);
            pit[i] = n / D + 0.5;
        }
    }
    CHECK(!rec_rc_decoder_error(&dec));
    ks_stat = ct_ks_uniform(pit, N);   /* sorts pit */
    printf("channel (%s): %d of %d with a deadzone, %d nonzero bins, %zu bytes; same bin %d, in the y-cell %d, "
           "exponentials %d; KS sqrt(n) D = %.3f\n", fast ? "FAST" : "CLOSED", active, N, nonzero, size, same,
           in_cell, exps, ks_stat);
    CHECK(active > N / 3 && active < N && nonzero > N / 20);
    CHECK(same == N && in_cell == N && exps == N);
    CHECK(ks_stat < 1.63);
    CHECK(pit[0] >= 0.0 && pit[N - 1] <= 1.0);
    {   /* tail = 1 is the plain coder, byte for byte */
        rec_rc_encoder e1, e2;
        uint8_t *b1 = NULL, *b2 = NULL;
        size_t n1 = 0, n2 = 0;
        CHECK(rec_rc_encoder_init(&e1) == 0 && rec_rc_encoder_init(&e2) == 0);
        for (int i = 0; i < 2000; i++) {
            const rec_prior prior = {REC_PRIOR_LAPLACE, 0.0, bs[i]};
            const int64_t k = (int64_t)floor(ys[i] / D + us[i] + 0.5);
            CHECK(rec_quant_code_bin_tail(&e1, k, D, us[i], &prior, fast, 1.0, NULL) == REC_OK);
            CHECK((fast ? rec_quant_code_bin_fast : rec_quant_code_bin_cf)(&e2, k, D, us[i], &prior, NULL) ==
                  REC_OK);
        }
        CHECK(rec_rc_encoder_finish(&e1, &b1, &n1) == 0 && rec_rc_encoder_finish(&e2, &b2, &n2) == 0);
        CHECK(n1 == n2 && b1 && b2 && memcmp(b1, b2, n1) == 0);
        free(b1);
        free(b2);
    }
    {   /* bad tails and a prior the closed form does not cover are refused */
        const rec_prior prior = {REC_PRIOR_LAPLACE, 0.0, 1.0}, gauss = {REC_PRIOR_GAUSSIAN, 0.0, 1.0};
        rec_rc_encoder e;
        CHECK(rec_rc_encoder_init(&e) == 0);
        CHECK(rec_quant_code_bin_tail(&e, 0, D, 0.1, &prior, fast, 0.0, NULL) == REC_ERR_INVALID_ARG);
        CHECK(rec_quant_code_bin_tail(&e, 0, D, 0.1, &prior, fast, 1.5, NULL) == REC_ERR_INVALID_ARG);
        CHECK(rec_quant_code_bin_tail(&e, 0, D, 0.1, &prior, fast, (double)NAN, NULL) == REC_ERR_INVALID_ARG);
        CHECK(rec_quant_code_bin_tail(&e, 0, D, 0.1, &gauss, fast, 0.5, NULL) == REC_ERR_INVALID_ARG);
        rec_rc_encoder_free(&e);
    }
done:
    free(buf);
    free(pit);
    free(ks);
    free(us);
    free(bs);
    free(ys);
    free(eds);
}

/* E[y^2 | [lo, hi]] under Laplace(0, b) by the midpoint rule */
static double m2_numeric(double lo, double hi, double b)
{
    enum { M = 200000 };
    double num = 0.0, den = 0.0;
    for (int i = 0; i < M; i++) {
        const double y = lo + (hi - lo) * ((double)i + 0.5) / M;
        const double p = exp(-fabs(y) / b);
        num += y * y * p;
        den += p;
    }
    return num / den;
}

static void second_moment(void)
{
    static const double cells[][3] = {{-2.0, 3.0, 0.3}, {-0.4, 5.1, 0.8}, {1.2, 4.7, 0.5}, {-6.0, -2.5, 1.1},
                                      {7.0, 10.5, 0.2}, {-3.46, 0.2, 2.0}, {0.3, 3.76, 3.0}};
    for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
        const double lo = cells[i][0], hi = cells[i][1], b = cells[i][2];
        const double ref = m2_numeric(lo, hi, b);
        const double a = recimg_dz_second_moment(lo, hi, b, 0, 0.0, 0.0);
        const double e = recimg_dz_second_moment(lo, hi, b, 1, exp(-fabs(lo) / b), exp(-fabs(hi) / b));
        CHECK(fabs(a - ref) <= 1e-6 * ref && fabs(e - ref) <= 1e-6 * ref);
        CHECK(a >= lo * lo * (lo > 0) && a <= (fabs(lo) > fabs(hi) ? lo * lo : hi * hi));
    }
}

static uint8_t *encode(const recimg_image *img, double q, int deadzone, int threads, size_t *n, recimg_encode_stats *st)
{
    recimg_encoder_params p;
    uint8_t *data = NULL;
    recimg_encoder_params_default(&p);
    p.mode = RECIMG_MODE_REC;
    p.sampler = RECIMG_SAMPLER_UQ;
    p.quality = q;
    p.threads = threads;
    if (deadzone >= 0)
        p.rec_uq_deadzone = deadzone;
    *n = 0;
    if (ct_encode(&p, img, &data, n, st) != RECIMG_OK) {
        recimg_free(data);
        return NULL;
    }
    return data;
}

static void files(const recimg_image *img, const char *name)
{
    for (int qi = 0; qi < 2; qi++) {
        const double q = qi ? 60.0 : 20.0;
        size_t n = 0, n0 = 0, n2 = 0;
        recimg_encode_stats st;
        uint8_t *f = encode(img, q, -1, 1, &n, &st);          /* the default */
        uint8_t *f2 = encode(img, q, 1, 2, &n2, NULL);         /* 2 threads, asked for */
        uint8_t *f0 = encode(img, q, 0, 1, &n0, NULL);         /* without */
        recimg_image a, c;
        CHECK(f && f2 && f0);
        if (!f || !f2 || !f0)
            goto next;
        /* 0x2400: with the fast rule (the default since session 8; test_codec_dz_fast_rule) */
        CHECK(f[8] == 2 && f[10] == 60 && f[56] == 0x24 && f[57] == 0 && f[58] == 0 && f[59] == 0);
        CHECK(f0[8] == 1 && f0[10] == 56 && f0[27] == f[27]);
        CHECK(n2 == n && memcmp(f, f2, n) == 0);                             /* threads: same bytes */
        CHECK(n != n0 + 4 || memcmp(f + 60, f0 + 56, n0 - 56 - 4) != 0);     /* other bits */
        /* the deadzone channel's information is the cells' self-information under the prior
           (codec_rec.c kl_bits_dz), which the coder's floor of one count per bin can undercut
           on values far out in the prior's tail: finite and positive is what holds */
        CHECK(st.kl_bits > 0.0 && st.kl_bits < 1e9);
        printf("%s q%g: %zu bytes with the deadzone, %zu without; kl_bits %.0f, payload_bits %.0f\n", name, q, n,
               n0, st.kl_bits, st.payload_bits);
        CHECK(ct_decode_stable(f, n, &a) == RECIMG_OK);   /* mmse, threads 1, 2, 1 */
        {
            static const recimg_decode_mode modes[3] = {RECIMG_DECODE_CENTER, RECIMG_DECODE_SAMPLE,
                                                        RECIMG_DECODE_REALISM};
            for (int m = 0; m < 3; m++) {
                char h1[33], h2[33];
                CHECK(ct_decode_md5(f, n, modes[m], 0.6, 1, h1) == RECIMG_OK);
                CHECK(ct_decode_md5(f, n, modes[m], 0.6, 2, h2) == RECIMG_OK);
                CHECK(!strcmp(h1, h2));
            }
        }
        {   /* mmse is the better estimate than the cell centres */
            recimg_decoder_params dp;
            recimg_decoder *d = NULL;
            recimg_decoder_params_default(&dp);
            dp.decode = RECIMG_DECODE_CENTER;
            CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
            CHECK(recimg_decode(d, f, n, &c) == RECIMG_OK);
            CHECK(ct_psnr(img, &a) > ct_psnr(img, &c));
            printf("%s q%g: PSNR mmse %.3f dB, centre %.3f dB\n", name, q, ct_psnr(img, &a), ct_psnr(img, &c));
            recimg_free(c.pixels);
            recimg_decoder_free(d);
        }
        recimg_free(a.pixels);
        {   /* damaged payloads: decoded or refused as corrupt; truncated: refused */
            uint64_t rs = 9;
            uint8_t *g = malloc(n);
            CHECK(g != NULL);
            for (int it = 0; g && it < 48; it++) {
                recimg_status s;
                memcpy(g, f, n);
                rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
                g[60 + (size_t)((rs >> 33) % (n - 64))] ^= (uint8_t)(1u << ((rs >> 20) & 7));
                ct_fix_crc(g, n);
                s = ct_decode_status(g, n);
                CHECK(s == RECIMG_OK || s == RECIMG_ERR_CORRUPT);
            }
            for (int cut = 1; g && cut <= 4; cut++) {
                const size_t keep = (n - 64) * (size_t)(5 - cut) / 5;
                memcpy(g, f, 60 + keep);
                for (int i = 0; i < 8; i++)
                    g[48 + i] = (uint8_t)((uint64_t)keep >> (8 * i));
                ct_fix_crc(g, 60 + keep + 4);
                CHECK(ct_decode_status(g, 60 + keep + 4) == RECIMG_ERR_CORRUPT);
            }
            free(g);
        }
    next:
        recimg_free(f);
        recimg_free(f2);
        recimg_free(f0);
    }
}

int main(void)
{
    recimg_image rgb, gray;
    rule();
    channel(0);
    channel(1);
    second_moment();
    CHECK(ct_make_image(&rgb, 96, 64, 3, 501) == 0);
    CHECK(ct_make_image(&gray, 64, 56, 1, 502) == 0);
    files(&rgb, "rgb 96x64");
    files(&gray, "gray 64x56");
    free(rgb.pixels);
    free(gray.pixels);
    return ct_finish("test_codec_uq_deadzone");
}
