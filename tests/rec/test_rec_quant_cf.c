/* The CLOSED bin coder (rec_quant_code_bin_cf, rec_quant.c): for many
 * (scale, step, mean, offset) cases, including the extremes of its window,
 *  - the counts: cum(k_lo) = 1, cum(k_hi + 1) = 2^16 - 1, strictly increasing
 *    (every bin has a count);
 *  - the decoder's search, EXHAUSTIVELY over every target 1 .. 2^16 - 2: the bin
 *    it returns is the one whose counts hold the target (so the decoder reaches
 *    the encoder's symbol whatever the target);
 *  - bit-exact round trips through the range coder of every bin of a window plus
 *    escapes on both sides, with identical edge exponentials on both sides and
 *    equal to rec_exp(-|z|) of the edges;
 *  - the fallback to the WINDOW coder (Gaussian prior, windows too wide) round
 *    trips and reports no edges;
 *  - uq and lrq with revision CLOSED round trip, and a truncated stream sets the
 *    decoder's error.
 * Everything runs twice: revision CLOSED (rec_exp) and revision FAST (the same
 * counts with E from rec_exp_neg_fast, .rec flag 0x08; its edges must equal
 * rec_exp_neg_fast(|z|)). */
#include "rec.h"
#include "rec_math.h"
#include "rec_quant_internal.h"
#include "rec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T 65536u

typedef struct {
    double scale, step, mean, u;
} cfcase;

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static double rnd(void)   /* deterministic uniform in [0, 1) (xorshift64*) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717u) >> 11) * (1.0 / 9007199254740992.0);
}

static long total_probes, total_targets, max_probes;
static int fast;   /* 0: revision CLOSED, 1: revision FAST */

static rec_status code_bin(rec_rc_encoder *enc, int64_t k, double step, double u, const rec_prior *pr,
                           rec_quant_edges *ed)
{
    return fast ? rec_quant_code_bin_fast(enc, k, step, u, pr, ed) : rec_quant_code_bin_cf(enc, k, step, u, pr, ed);
}

static rec_status decode_bin(rec_rc_decoder *dec, double step, double u, const rec_prior *pr, int64_t *k,
                             rec_quant_edges *ed)
{
    return fast ? rec_quant_decode_bin_fast(dec, step, u, pr, k, ed)
                : rec_quant_decode_bin_cf(dec, step, u, pr, k, ed);
}

/* the revision's E of a standardized edge z */
static double edge_exp(double z)
{
    return fast ? rec_exp_neg_fast(fabs(z)) : rec_exp(-fabs(z));
}

/* counts and exhaustive target inversion of one case; returns 1 if covered */
static int check_case(const cfcase *cc)
{
    const rec_prior pr = {REC_PRIOR_LAPLACE, cc->mean, cc->scale};
    int64_t klo, khi, k;
    uint32_t prev, t;
    int bad = 0;
    if (!rec_quant_cf_window(cc->step, cc->u, &pr, &klo, &khi))
        return 0;
    CHECKF(khi >= klo && khi - klo + 1 <= REC_QUANT_CF_NMAX, "window %lld..%lld", (long long)klo,
           (long long)khi);
    CHECK(rec_quant_cf_cum(cc->step, cc->u, &pr, klo, fast) == 1u);
    CHECK(rec_quant_cf_cum(cc->step, cc->u, &pr, khi + 1, fast) == T - 1u);
    prev = 1u;
    for (k = klo + 1; k <= khi + 1; k++) {
        const uint32_t c = rec_quant_cf_cum(cc->step, cc->u, &pr, k, fast);
        if (!(c > prev)) {
            CHECKF(c > prev, "counts not increasing at k = %lld (b %g step %g mean %g u %g)",
                   (long long)k, cc->scale, cc->step, cc->mean, cc->u);
            return 1;
        }
        prev = c;
    }
    for (t = 1; t < T - 1u; t++) {
        int probes = 0;
        const int64_t kk = rec_quant_cf_locate(cc->step, cc->u, &pr, t, &probes, fast);
        const uint32_t c0 = rec_quant_cf_cum(cc->step, cc->u, &pr, kk, fast);
        const uint32_t c1 = rec_quant_cf_cum(cc->step, cc->u, &pr, kk + 1, fast);
        if (!(kk >= klo && kk <= khi && c0 <= t && t < c1)) {
            if (bad++ < 3)
                CHECKF(0, "target %u -> bin %lld [%u, %u) (b %g step %g mean %g u %g)", t,
                       (long long)kk, c0, c1, cc->scale, cc->step, cc->mean, cc->u);
        }
        /* expected cost: weight each target (= each unit of probability) once */
        total_probes += probes;
        total_targets++;
        if (probes > max_probes)
            max_probes = probes;
    }
    return 1;
}

static void exhaustive(void)
{
    static const double scales[] = {1e-9, 1e-3, 0.05, 0.29, 0.5, 1.0, 3.0, 12.0, 60.0, 140.0};
    static const double steps[] = {3.46410161513775458705, 1.0, 2.6};
    static const double means[] = {0.0, 0.37, -5.25, 1234.5, -3.0e9};
    static const double us[] = {-0.49999999999, -0.2, 0.0, 0.31, 0.49999999999};
    int covered = 0, cases = 0;
    for (size_t a = 0; a < sizeof scales / sizeof *scales; a++)
        for (size_t b = 0; b < sizeof steps / sizeof *steps; b++) {
            /* a few mean/u pairs per (scale, step), cycling through the lists */
            for (int r = 0; r < 3; r++) {
                const cfcase cc = {scales[a], steps[b], means[(a + b + 2 * r) % 5], us[(a + 3 * b + r) % 5]};
                covered += check_case(&cc);
                cases++;
            }
        }
    /* random cases: log-uniform scale in [1e-4, 200], lrq-like steps, any offset */
    for (int i = 0; i < 40; i++) {
        const cfcase cc = {1e-4 * pow(2e6, rnd()), 0.2 + 6.0 * rnd(), (rnd() - 0.5) * 200.0,
                           rnd() - 0.5};
        covered += check_case(&cc);
        cases++;
    }
    /* the limits of the window: just inside and just outside REC_QUANT_CF_NMAX bins */
    {
        const double w_max = 0.5 * (REC_QUANT_CF_NMAX - 2) / 12.0;   /* scale / step */
        const cfcase in = {w_max * 0.999999, 1.0, 0.5, 0.25}, out = {w_max * 1.000001, 1.0, 0.5, 0.25};
        CHECK(check_case(&in) == 1);
        CHECK(check_case(&out) == 0);
        cases += 2;
        covered++;
    }
    CHECKF(covered >= cases * 3 / 4, "only %d of %d cases covered", covered, cases);
    printf("exhaustive (%s): %d cases (%d covered), %ld targets, mean %.3f probes per target, max %ld\n",
           fast ? "FAST" : "CLOSED", cases, covered, total_targets, (double)total_probes / (double)total_targets, max_probes);
}

/* encode every bin of the window and escapes, decode, compare */
static void round_trip_bins(double scale, double step, double mean, double u)
{
    const rec_prior pr = {REC_PRIOR_LAPLACE, mean, scale};
    int64_t klo = 0, khi = -1, k;
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf = NULL;
    size_t size = 0;
    int ok = 1, n = 0;
    const int covered = rec_quant_cf_window(step, u, &pr, &klo, &khi);
    if (!covered) {   /* fallback: some bins around the mean */
        klo = (int64_t)floor(mean / step) - 20;
        khi = klo + 40;
    }
    CHECK(rec_rc_encoder_init(&enc) == 0);
    for (k = klo - 70; k <= khi + 70; k++) {
        rec_quant_edges ed;
        ok &= code_bin(&enc, k, step, u, &pr, &ed) == REC_OK;
        ok &= ed.known == (covered && k >= klo && k <= khi);
        if (ed.known) {
            const double z0 = (step * (((double)k - u) - 0.5) - mean) * (1.0 / scale);
            const double z1 = (step * (((double)(k + 1) - u) - 0.5) - mean) * (1.0 / scale);
            ok &= ed.e_lo == edge_exp(z0) && ed.e_hi == edge_exp(z1);
        }
        n++;
    }
    CHECK(code_bin(&enc, (int64_t)1 << 40, step, u, &pr, NULL) == REC_OK);
    CHECK(code_bin(&enc, -((int64_t)1 << 40), step, u, &pr, NULL) == REC_OK);
    CHECK(rec_rc_encoder_finish(&enc, &buf, &size) == 0);
    rec_rc_decoder_init(&dec, buf, size);
    for (k = klo - 70; k <= khi + 70; k++) {
        rec_quant_edges ed, ee;
        int64_t got = 0;
        const int known = covered && k >= klo && k <= khi;
        ok &= decode_bin(&dec, step, u, &pr, &got, &ed) == REC_OK;
        ok &= got == k && ed.known == known;
        if (known) {   /* the same values the encoder returns */
            rec_rc_encoder e2;
            CHECK(rec_rc_encoder_init(&e2) == 0);
            (void)code_bin(&e2, k, step, u, &pr, &ee);
            rec_rc_encoder_free(&e2);
            ok &= memcmp(&ed.e_lo, &ee.e_lo, sizeof(double)) == 0 &&
                  memcmp(&ed.e_hi, &ee.e_hi, sizeof(double)) == 0;
        }
    }
    {
        int64_t got = 0;
        CHECK(decode_bin(&dec, step, u, &pr, &got, NULL) == REC_OK && got == (int64_t)1 << 40);
        CHECK(decode_bin(&dec, step, u, &pr, &got, NULL) == REC_OK &&
              got == -((int64_t)1 << 40));
    }
    CHECKF(ok, "round trip (%s; b %g step %g mean %g u %g, %d bins, covered %d)", fast ? "FAST" : "CLOSED",
           scale, step, mean, u, n, covered);
    /* truncated: the decoder must flag an error once it reads past the end; only
       meaningful when every bin costs bits (a dominant bin decodes from the zeros
       read past the end at almost no cost, as with any range coder) */
    if (size > 8 && scale >= 20.0 * step) {
        int flagged = 0;
        rec_rc_decoder_init(&dec, buf, size / 2);
        for (k = klo - 70; k <= khi + 70 && !flagged; k++) {
            int64_t got;
            flagged = decode_bin(&dec, step, u, &pr, &got, NULL) == REC_ERR_CORRUPT;
        }
        for (int i = 0; i < 40 && !flagged; i++) {   /* reads zeros past the end */
            int64_t got;
            flagged = decode_bin(&dec, step, u, &pr, &got, NULL) == REC_ERR_CORRUPT;
        }
        CHECKF(flagged, "truncated stream not flagged (b %g step %g)", scale, step);
    }
    free(buf);
}

static void fallback(void)
{
    /* Gaussian prior: the WINDOW coder, no edges */
    const rec_prior g = {REC_PRIOR_GAUSSIAN, 0.5, 2.0};
    int64_t a, b;
    CHECK(!rec_quant_cf_window(1.0, 0.1, &g, &a, &b));
    round_trip_bins(1000.0, 1.0, 3.0, 0.2);   /* too wide: WINDOW coder */
    {
        /* outside the covered domain: a tiny scale (1 / scale would overflow), huge steps */
        const rec_prior tiny = {REC_PRIOR_LAPLACE, 0.0, 1e-310}, big = {REC_PRIOR_LAPLACE, 0.0, 1e200};
        CHECK(!rec_quant_cf_window(1.0, 0.0, &tiny, &a, &b));
        CHECK(!rec_quant_cf_window(1e200, 0.0, &big, &a, &b));
        /* NaN and infinite mean or offset */
        {
            const double inf = 1e308 * 10.0;
            const rec_prior pinf = {REC_PRIOR_LAPLACE, inf, 1.0}, pnan = {REC_PRIOR_LAPLACE, inf - inf, 1.0};
            const rec_prior ok = {REC_PRIOR_LAPLACE, 0.0, 1.0};
            CHECK(!rec_quant_cf_window(1.0, 0.0, &pinf, &a, &b));
            CHECK(!rec_quant_cf_window(1.0, 0.0, &pnan, &a, &b));
            CHECK(!rec_quant_cf_window(1.0, inf, &ok, &a, &b));
            CHECK(!rec_quant_cf_window(1.0, inf - inf, &ok, &a, &b));
            CHECK(!rec_quant_cf_window(1.0, -inf, &pinf, &a, &b));
            CHECK(rec_quant_cf_window(1.0, 0.0, &ok, &a, &b));
        }
    }
}

/* uq and lrq through the *_rev entry points: decoder never sees y */
static void samplers(void)
{
    enum { M = 3000 };
    static double xs[M];
    static int64_t ks[M];
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf;
    size_t size;
    int ok = 1;
    const rec_quant_rev rev = fast ? REC_QUANT_REV_FAST : REC_QUANT_REV_CLOSED;
    for (int which = 0; which < 2; which++) {
        CHECK(rec_rc_encoder_init(&enc) == 0);
        for (int i = 0; i < M; i++) {
            const rec_key key = {77, 5, (uint64_t)i};
            const rec_prior pr = {REC_PRIOR_LAPLACE, (i % 7) - 3.0, 0.05 + 0.01 * (i % 500)};
            const double e = rec_prng_exponential(99, 1, (uint64_t)i);
            const double y = pr.mean + pr.scale * ((i & 1) ? e : -e) * (i % 97 == 0 ? 30.0 : 1.0);
            rec_quant_result r;
            ok &= (which ? rec_lrq_encode_rev(rev, y, 1.0, &pr, &key, &enc, &r)
                         : rec_uq_encode_rev(rev, y, 3.46410161513775458705, &pr,
                                             &key, &enc, &r)) == REC_OK;
            xs[i] = r.x;
            ks[i] = r.k;
        }
        CHECK(rec_rc_encoder_finish(&enc, &buf, &size) == 0);
        rec_rc_decoder_init(&dec, buf, size);
        for (int i = 0; i < M; i++) {
            const rec_key key = {77, 5, (uint64_t)i};
            const rec_prior pr = {REC_PRIOR_LAPLACE, (i % 7) - 3.0, 0.05 + 0.01 * (i % 500)};
            rec_quant_result r;
            ok &= (which ? rec_lrq_decode_rev(rev, 1.0, &pr, &key, &dec, &r)
                         : rec_uq_decode_rev(rev, 3.46410161513775458705, &pr,
                                             &key, &dec, &r)) == REC_OK;
            ok &= r.k == ks[i] && memcmp(&r.x, &xs[i], sizeof(double)) == 0;
        }
        free(buf);
        CHECKF(ok, "%s rev %s round trip", which ? "lrq" : "uq", fast ? "FAST" : "CLOSED");
    }
}


/* The unit-step entry points (rec_uq_unit_encode_fast / _decode_fast, the codec's
   default uq path) against rec_uq_encode_dither / _decode_dither with revision FAST
   and step REC_UQ_UNIT_STEP: the same status, result and bytes for every input,
   including the cases the closed form hands to the window coder, escapes and
   invalid arguments (speed, issue 8). */
static int same_result(const rec_quant_result *a, const rec_quant_result *b)
{
    return a->k == b->k && memcmp(&a->x, &b->x, sizeof a->x) == 0 &&
           memcmp(&a->draws, &b->draws, sizeof a->draws) == 0 && a->edges.known == b->edges.known &&
           memcmp(&a->edges.e_lo, &b->edges.e_lo, sizeof(double)) == 0 &&
           memcmp(&a->edges.e_hi, &b->edges.e_hi, sizeof(double)) == 0;
}

static void unit_case(int i, double *y, double *u, rec_prior *pr)
{
    const double nan = 0.0 / 0.0, inf = 1.0 / 0.0;
    const double e = rec_prng_exponential(5, 2, (uint64_t)i);
    const int kind = i % 23;
    pr->family = REC_PRIOR_LAPLACE;
    pr->mean = kind == 1 ? 1e5 * (rnd() - 0.5) : kind < 8 ? 40.0 * (rnd() - 0.5) : 0.0;
    pr->scale = exp(-4.0 + 9.0 * rnd());   /* 0.018 .. 148: both fallbacks to the window coder */
    if (kind == 2)
        pr->scale = 3000.0 * rnd() + 1e-3;
    *u = rnd() - 0.5;
    if (kind == 3)
        *u = i & 1 ? 0.49999999999999994 : -0.49999999999999994;
    *y = pr->mean + pr->scale * ((i & 1) ? e : -e) * (i % 31 == 0 ? 40.0 : 1.0);
    if (kind == 4) {   /* y within 8 ulps of a bin edge: K must come from y / step exactly */
        const double k = floor(20.0 * rnd()) - 10.0;
        *y = REC_UQ_UNIT_STEP * ((k - 0.5) - *u);
        for (int s = (i / 23) % 17 - 8; s != 0; s += s > 0 ? -1 : 1)
            *y = nextafter(*y, s > 0 ? inf : -inf);
    }
    if (i % 211 == 0) {   /* invalid arguments, each refused alike */
        switch ((i / 211) % 7) {
        case 0: *y = nan; break;
        case 1: *u = 0.5; break;
        case 2: *u = nan; break;
        case 3: pr->scale = 0.0; break;
        case 4: pr->scale = inf; break;
        case 5: pr->mean = nan; break;
        default: *y = 1e17; break;
        }
    }
}

static void unit_step(void)
{
    enum { M = 20000 };
    rec_rc_encoder ea, eb;
    rec_rc_decoder da, db;
    uint8_t *ba = NULL, *bb = NULL;
    size_t sa = 0, sb = 0;
    int ok = 1, okd = 1;
    rec_quant_result ra, rb;
    rng_state = 0x1234567u;
    CHECK(rec_rc_encoder_init(&ea) == 0 && rec_rc_encoder_init(&eb) == 0);
    for (int i = 0; i < M; i++) {
        double y, u;
        rec_prior pr;
        rec_status sa_, sb_;
        unit_case(i, &y, &u, &pr);
        memset(&ra, 0, sizeof ra);
        memset(&rb, 0, sizeof rb);
        sa_ = rec_uq_encode_dither(REC_QUANT_REV_FAST, y, REC_UQ_UNIT_STEP, u, &pr, &ea, &ra);
        sb_ = rec_uq_unit_encode_fast(&eb, y, u, pr.mean, pr.scale, &rb);
        if (sa_ != sb_ || (sa_ == REC_OK && !same_result(&ra, &rb))) {
            if (ok)
                fprintf(stderr, "unit encode %d: status %d / %d, k %lld / %lld (y %g u %g mean %g b %g)\n", i,
                        (int)sa_, (int)sb_, (long long)ra.k, (long long)rb.k, y, u, pr.mean, pr.scale);
            ok = 0;
        }
    }
    CHECKF(ok, "unit-step encoder differs from rec_uq_encode_dither");
    CHECK(rec_rc_encoder_finish(&ea, &ba, &sa) == 0);
    CHECK(rec_rc_encoder_finish(&eb, &bb, &sb) == 0);
    CHECKF(ba && bb && sa == sb && memcmp(ba, bb, sa) == 0, "unit-step encoder bytes differ (%zu / %zu)", sa, sb);
    rec_rc_decoder_init(&da, ba, sa);
    rec_rc_decoder_init(&db, ba, sa);
    rng_state = 0x1234567u;
    for (int i = 0; i < M; i++) {
        double y, u;
        rec_prior pr;
        rec_status sa_, sb_;
        unit_case(i, &y, &u, &pr);
        memset(&ra, 0, sizeof ra);
        memset(&rb, 0, sizeof rb);
        if (!isfinite(y) || fabs(y) > 1e16)
            continue;   /* the encoder refused it: nothing was coded */
        sa_ = rec_uq_decode_dither(REC_QUANT_REV_FAST, REC_UQ_UNIT_STEP, u, &pr, &da, &ra);
        sb_ = rec_uq_unit_decode_fast(&db, u, pr.mean, pr.scale, &rb);
        if (sa_ != sb_ || (sa_ == REC_OK && !same_result(&ra, &rb))) {
            if (okd)
                fprintf(stderr, "unit decode %d: status %d / %d, k %lld / %lld\n", i, (int)sa_, (int)sb_,
                        (long long)ra.k, (long long)rb.k);
            okd = 0;
        }
    }
    CHECKF(okd, "unit-step decoder differs from rec_uq_decode_dither");
    free(ba);
    free(bb);
    /* NULL arguments */
    CHECK(rec_uq_unit_encode_fast(NULL, 0.0, 0.0, 0.0, 1.0, &ra) == REC_ERR_INVALID_ARG);
    CHECK(rec_uq_unit_decode_fast(NULL, 0.0, 0.0, 1.0, &ra) == REC_ERR_INVALID_ARG);
}

/* The deadzone twins (rec_uq_unit_encode_fast_tail / _decode_fast_tail, the codec's
   default deadzone path) against their contract in rec.h: floor(g / step + u + 1/2)
   coded by rec_quant_code_bin_tail (revision FAST, step REC_UQ_UNIT_STEP) and decoded by
   rec_quant_decode_bin_tail, after the unit-step functions' argument checks: the same
   status, k, edges and bytes, x and draws of the bin of g, for the cases of unit_step
   with tails from 1 down to e^-600 and invalid tails (speed, issue 8). */
static double tail_case(int i)
{
    switch (i % 7) {
    case 0: return 1.0;
    case 1: return 1e-261;                 /* about e^-600, the deadzone rule's smallest */
    case 2: return i % 211 == 2 ? 0.0 : 0.999999;
    case 3: return i % 211 == 3 ? 1.5 : exp(-20.0 * rnd());
    case 4: return i % 211 == 4 ? 0.0 / 0.0 : nextafter(1.0, 0.0);
    default: return rnd() * 0.999 + 1e-3;
    }
}

static rec_status ref_tail_encode(rec_rc_encoder *enc, double g, double u, const rec_prior *pr, double tail,
                                  rec_quant_result *out)
{
    double v;
    if (!(tail > 0.0 && tail <= 1.0) || !isfinite(g) || !(u > -0.5 && u < 0.5))
        return REC_ERR_INVALID_ARG;
    v = g / REC_UQ_UNIT_STEP + u + 0.5;
    if (!(v < 4e15 && v > -4e15))
        return REC_ERR_INVALID_ARG;
    out->k = (int64_t)floor(v);
    out->x = REC_UQ_UNIT_STEP * ((double)out->k - u);
    out->draws.u = u;
    out->draws.step = REC_UQ_UNIT_STEP;
    out->draws.half_width = 0.5 * REC_UQ_UNIT_STEP;
    return rec_quant_code_bin_tail(enc, out->k, REC_UQ_UNIT_STEP, u, pr, 1, tail, &out->edges);
}

static rec_status ref_tail_decode(rec_rc_decoder *dec, double u, const rec_prior *pr, double tail,
                                  rec_quant_result *out)
{
    rec_status st;
    if (!(tail > 0.0 && tail <= 1.0) || !(u > -0.5 && u < 0.5))
        return REC_ERR_INVALID_ARG;
    out->draws.u = u;
    out->draws.step = REC_UQ_UNIT_STEP;
    out->draws.half_width = 0.5 * REC_UQ_UNIT_STEP;
    st = rec_quant_decode_bin_tail(dec, REC_UQ_UNIT_STEP, u, pr, 1, tail, &out->k, &out->edges);
    out->x = REC_UQ_UNIT_STEP * ((double)out->k - u);
    return st;
}

static void unit_step_tail(void)
{
    enum { M = 20000 };
    rec_rc_encoder ea, eb;
    rec_rc_decoder da, db;
    uint8_t *ba = NULL, *bb = NULL;
    size_t sa = 0, sb = 0;
    int ok = 1, okd = 1, coded = 0;
    rec_quant_result ra, rb;
    static unsigned char enc_ok[M];
    rng_state = 0x7654321u;
    CHECK(rec_rc_encoder_init(&ea) == 0 && rec_rc_encoder_init(&eb) == 0);
    for (int i = 0; i < M; i++) {
        double y, u, tail;
        rec_prior pr;
        rec_status sa_, sb_;
        unit_case(i, &y, &u, &pr);
        tail = tail_case(i);
        memset(&ra, 0, sizeof ra);
        memset(&rb, 0, sizeof rb);
        sa_ = ref_tail_encode(&ea, y, u, &pr, tail, &ra);
        sb_ = rec_uq_unit_encode_fast_tail(&eb, y, u, pr.mean, pr.scale, tail, &rb);
        enc_ok[i] = sa_ == REC_OK;
        coded += sa_ == REC_OK;
        if (sa_ != sb_ || (sa_ == REC_OK && !same_result(&ra, &rb))) {
            if (ok)
                fprintf(stderr, "tail encode %d: status %d / %d, k %lld / %lld (y %g u %g mean %g b %g tail %g)\n",
                        i, (int)sa_, (int)sb_, (long long)ra.k, (long long)rb.k, y, u, pr.mean, pr.scale, tail);
            ok = 0;
        }
    }
    CHECKF(ok, "deadzone unit-step encoder differs from rec_quant_code_bin_tail");
    CHECKF(coded > M / 2, "only %d of %d cases coded", coded, M);
    CHECK(rec_rc_encoder_finish(&ea, &ba, &sa) == 0);
    CHECK(rec_rc_encoder_finish(&eb, &bb, &sb) == 0);
    CHECKF(ba && bb && sa == sb && memcmp(ba, bb, sa) == 0, "deadzone unit-step bytes differ (%zu / %zu)", sa, sb);
    rec_rc_decoder_init(&da, ba, sa);
    rec_rc_decoder_init(&db, ba, sa);
    rng_state = 0x7654321u;
    for (int i = 0; i < M; i++) {
        double y, u, tail;
        rec_prior pr;
        rec_status sa_, sb_;
        unit_case(i, &y, &u, &pr);
        tail = tail_case(i);
        memset(&ra, 0, sizeof ra);
        memset(&rb, 0, sizeof rb);
        if (!enc_ok[i])
            continue;   /* the encoder refused it: nothing was coded */
        sa_ = ref_tail_decode(&da, u, &pr, tail, &ra);
        sb_ = rec_uq_unit_decode_fast_tail(&db, u, pr.mean, pr.scale, tail, &rb);
        if (sa_ != sb_ || (sa_ == REC_OK && !same_result(&ra, &rb))) {
            if (okd)
                fprintf(stderr, "tail decode %d: status %d / %d, k %lld / %lld\n", i, (int)sa_, (int)sb_,
                        (long long)ra.k, (long long)rb.k);
            okd = 0;
        }
    }
    CHECKF(okd, "deadzone unit-step decoder differs from rec_quant_decode_bin_tail");
    free(ba);
    free(bb);
    CHECK(rec_uq_unit_encode_fast_tail(NULL, 0.0, 0.0, 0.0, 1.0, 0.5, &ra) == REC_ERR_INVALID_ARG);
    CHECK(rec_uq_unit_decode_fast_tail(NULL, 0.0, 0.0, 1.0, 0.5, &ra) == REC_ERR_INVALID_ARG);
}

int main(void)
{
    for (fast = 0; fast < 2; fast++) {
        total_probes = total_targets = max_probes = 0;
        rng_state = 0x9E3779B97F4A7C15u;
        exhaustive();
        round_trip_bins(0.3, 3.46410161513775458705, 0.0, 0.1);
        round_trip_bins(25.0, 1.0, -17.3, -0.4);
        round_trip_bins(1e-7, 1.0, 2.5, 0.0);   /* edges underflow to 0 */
        round_trip_bins(2.0, 0.7, 1e6, 0.33);
        fallback();
        samplers();
    }
    unit_step();
    unit_step_tail();
    return rec_test_finish("test_rec_quant_cf");
}
