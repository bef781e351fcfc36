/* bench/bench_rec.c - throughput of the rec samplers (never part of ctest).
 *
 * For each sampler and I in {1, 8} bits (Gaussian channel setting, DESIGN.md
 * section 2), encodes n coefficients into one range-coded stream and decodes
 * them again, repeats, and prints the median coefficients per second on one
 * core for encode and decode.  Usage: bench_rec [--repeats R] [--scale F]
 * (F multiplies the number of coefficients per run; default 1).
 * bench_rec --block-bias T BLOCKS instead measures the bias of the block
 * simulator in the setting of DESIGN.md 3.5 (d = 64, KL = 16 bits).  Times are
 * process CPU time (CLOCK_PROCESS_CPUTIME_ID), so other load on a shared
 * machine inflates them less than wall time would. A bad command line gets a
 * message, the usage text and exit status 1.
 */
#define _POSIX_C_SOURCE 200809L

#include "rec.h"
#include "rec_stats.h"

#include "bench_args.h"
#include "tool_args.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: the machine is shared */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef enum { S_UQ, S_LRQ, S_BLOCK, S_PFR, S_GPRS, S_BNB } sampler_id;

typedef struct {
    const char *name;
    sampler_id id;
    long n; /* coefficients per run at scale 1 */
} entry;

static const entry entries[] = {
    {"uq", S_UQ, 400000},
    {"lrq", S_LRQ, 400000},
    {"block(k=12)", S_BLOCK, 2000},
#ifdef REC_HAVE_REJECTION_SAMPLERS
    {"pfr", S_PFR, 20000},
    {"gprs", S_GPRS, 20000},
    {"gprs-bnb", S_BNB, 100000},
#endif
};

/* One run: returns 0 and the encode/decode seconds, or -1 on failure. */
static int run(const entry *e, double info, long n, uint64_t seed, double *t_enc, double *t_dec)
{
    const double s = pow(2.0, -info);
    const rec_prior prior = {REC_PRIOR_GAUSSIAN, 0.0, sqrt(1.0 - s * s)};
    double *mu = malloc(sizeof(double) * (size_t)n), *x = malloc(sizeof(double) * (size_t)n);
    double qs[REC_BLOCK_MAX_DIM], pm[REC_BLOCK_MAX_DIM], ps[REC_BLOCK_MAX_DIM];
    long i, d = 1, ok = 1;
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf;
    size_t size;
    double t0;
#ifdef REC_HAVE_REJECTION_SAMPLERS
    rec_gprs_bnb_model model;
    rec_gprs_bnb_model_init(&model);
#endif
    if (!mu || !x || rec_rc_encoder_init(&enc)) {
        free(mu), free(x);
        return -1;
    }
    for (i = 0; i < n; i++)
        mu[i] = prior.scale * rec_prng_normal(seed, 2, (uint64_t)i);
    if (e->id == S_BLOCK) {
        d = (long)floor(12.0 / info);
        if (d < 1)
            d = 1;
        n -= n % d;
        for (i = 0; i < d; i++)
            qs[i] = s, pm[i] = 0, ps[i] = 1;
    }
    t0 = now_s();
    for (i = 0; i < n && ok; i += d) {
        const rec_key key = {seed, 1, (uint64_t)(i / d)};
        rec_quant_result q;
        switch (e->id) {
        case S_UQ: ok = rec_uq_encode(mu[i], s * sqrt(12.0), &prior, &key, &enc, &q) == REC_OK; x[i] = q.x; break;
        case S_LRQ: ok = rec_lrq_encode(mu[i], s, &prior, &key, &enc, &q) == REC_OK; x[i] = q.x; break;
        case S_BLOCK: ok = rec_block_encode((size_t)d, mu + i, qs, pm, ps, 12, 0, &key, &enc, x + i, NULL) == REC_OK; break;
#ifdef REC_HAVE_REJECTION_SAMPLERS
        case S_PFR:
        case S_GPRS:
        case S_BNB: {
            rec_rs_result r;
            const rec_status st = e->id == S_PFR ? rec_pfr_encode(mu[i], s, &key, (uint64_t)1 << 20, &enc, &r)
                                  : e->id == S_GPRS ? rec_gprs_encode(mu[i], s, &key, (uint64_t)1 << 20, &enc, &r)
                                  : rec_gprs_bnb_encode(mu[i], s, &key, (uint64_t)1 << 20, &model, &enc, &r);
            /* pfr/gprs have infinite mean runtime over the channel: a
             * capped coefficient is skipped (NaN marks it for the decoder) */
            ok = st == REC_OK || st == REC_ERR_STEP_CAP;
            x[i] = st == REC_OK ? r.x : (double)NAN;
            break;
        }
#endif
        default: ok = 0; break;
        }
    }
    *t_enc = now_s() - t0;
    if (!ok || rec_rc_encoder_finish(&enc, &buf, &size)) {
        rec_rc_encoder_free(&enc);
        free(mu), free(x);
        return -1;
    }
#ifdef REC_HAVE_REJECTION_SAMPLERS
    rec_gprs_bnb_model_init(&model);
#endif
    rec_rc_decoder_init(&dec, buf, size);
    t0 = now_s();
    for (i = 0; i < n && ok; i += d) {
        const rec_key key = {seed, 1, (uint64_t)(i / d)};
        rec_quant_result q;
        double xb[REC_BLOCK_MAX_DIM];
        if (x[i] != x[i])
            continue; /* capped at encode */
        switch (e->id) {
        case S_UQ: ok = rec_uq_decode(s * sqrt(12.0), &prior, &key, &dec, &q) == REC_OK && q.x == x[i]; break;
        case S_LRQ: ok = rec_lrq_decode(s, &prior, &key, &dec, &q) == REC_OK && q.x == x[i]; break;
        case S_BLOCK: ok = rec_block_decode((size_t)d, pm, ps, 12, 0, &key, &dec, xb) == REC_OK && xb[0] == x[i]; break;
#ifdef REC_HAVE_REJECTION_SAMPLERS
        case S_PFR: ok = rec_pfr_decode(s, &key, &dec, xb) == REC_OK && xb[0] == x[i]; break;
        case S_GPRS: ok = rec_gprs_decode(s, &key, &dec, xb) == REC_OK && xb[0] == x[i]; break;
        case S_BNB: ok = rec_gprs_bnb_decode(s, &key, &model, &dec, xb) == REC_OK && xb[0] == x[i]; break;
#endif
        default: ok = 0; break;
        }
    }
    *t_dec = now_s() - t0;
    free(buf);
    free(mu), free(x);
    return ok ? 0 : -1;
}

/* Bias study of the block simulator (DESIGN.md 3.5): d = 64, P = N(0, I),
 * Q = N(mu, I) with KL = 16 bits, kappa = 16, extra bits t; prints the mean
 * fraction of |mu| kept along mu by the selected sample (1 = unbiased). */
static int block_bias(unsigned t, int nblocks)
{
    enum { D = 64 };
    double qm[D], qs[D], pm[D], ps[D], x[D], sum = 0, sum2 = 0, mean;
    const double norm = sqrt(2.0 * 16.0 * log(2.0));
    rec_rc_encoder enc;
    int b, i;
    for (i = 0; i < D; i++) {
        qm[i] = norm / 8.0 * ((i & 1) ? 1 : -1);
        qs[i] = 1, pm[i] = 0, ps[i] = 1;
    }
    if (rec_rc_encoder_init(&enc))
        return 1;
    for (b = 0; b < nblocks; b++) {
        const rec_key key = {77, 1, (uint64_t)b};
        double proj = 0;
        if (rec_block_encode(D, qm, qs, pm, ps, 16, t, &key, &enc, x, NULL) != REC_OK) {
            rec_rc_encoder_free(&enc);
            return 1;
        }
        for (i = 0; i < D; i++)
            proj += x[i] * qm[i];
        proj /= norm * norm;
        sum += proj;
        sum2 += proj * proj;
    }
    rec_rc_encoder_free(&enc);
    mean = sum / nblocks;
    printf("block d=64 KL=16 bits kappa=16 t=%u: kept %.3f +- %.3f (SE) of the mean along mu over %d blocks\n",
           t, mean, sqrt((sum2 / nblocks - mean * mean) / nblocks), nblocks);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const char usage_text[] =
    "usage: bench_rec [--repeats 1..99] [--scale F]   (F in (0, 100], default 1)\n"
    "       bench_rec --block-bias T BLOCKS             (T in 0..8, BLOCKS in 1..100000)\n";

int main(int argc, char **argv)
{
    int repeats = 5, i;
    double scale = 1.0;
    size_t k;
    for (i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(usage_text, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--repeats") && v) {
            if (bench_parse_int(v, 1, 99, &repeats))
                return bench_usage_error(usage_text, "bench_rec: --repeats must be an integer in 1..99, not '%s'", v);
            i++;
        } else if (!strcmp(argv[i], "--scale") && v) {
            if (tool_parse_double(v, 0.0, 100.0, &scale) || !(scale > 0.0))
                return bench_usage_error(usage_text, "bench_rec: --scale must be a number in (0, 100], not '%s'", v);
            i++;
        } else if (!strcmp(argv[i], "--block-bias") && i + 2 < argc) {
            int t, nb;
            if (bench_parse_int(argv[i + 1], 0, 8, &t) || bench_parse_int(argv[i + 2], 1, 100000, &nb))
                return bench_usage_error(usage_text, "bench_rec: --block-bias T BLOCKS with T in 0..8 and BLOCKS "
                                         "in 1..100000, not '%s %s'", argv[i + 1], argv[i + 2]);
            if (i + 3 < argc)
                return bench_usage_error(usage_text, "bench_rec: --block-bias takes no other option");
            return block_bias((unsigned)t, nb);
        } else {
            return bench_usage_error(usage_text, "bench_rec: unknown option %s, or it needs a value", argv[i]);
        }
    }
    printf("%-12s %5s %10s %14s %14s\n", "sampler", "I", "coefs/run", "encode coef/s", "decode coef/s");
    for (k = 0; k < sizeof(entries) / sizeof(entries[0]); k++) {
        static const double infos[2] = {1.0, 8.0};
        int j;
        for (j = 0; j < 2; j++) {
            double te[99], td[99];
            const long n = (long)(entries[k].n * scale) > 0 ? (long)(entries[k].n * scale) : 1;
            int r;
            for (r = 0; r < repeats; r++) {
                if (run(&entries[k], infos[j], n, 1000 + (uint64_t)r, &te[r], &td[r]) != 0) {
                    fprintf(stderr, "bench_rec: %s failed (round trip or error)\n", entries[k].name);
                    return 1;
                }
            }
            qsort(te, (size_t)repeats, sizeof(double), cmp);
            qsort(td, (size_t)repeats, sizeof(double), cmp);
            printf("%-12s %5g %10ld %14.4g %14.4g\n", entries[k].name, infos[j], n,
                   (double)n / te[repeats / 2], (double)n / td[repeats / 2]);
            fflush(stdout);
        }
    }
    return 0;
}
