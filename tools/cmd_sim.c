/* tools/cmd_sim.c - `recimg sim`: channel-simulation study tool.
 *
 * Runs a sampler of the rec library in the Gaussian channel setting of
 * DESIGN.md section 2: s = 2^-I, mu ~ N(0, 1 - s^2), Q = N(mu, s^2),
 * P = N(0, 1), so the average KL is exactly I bits.  Every trial is range
 * coded into one stream, the stream is decoded (the decoder never sees mu)
 * and the decoded samples are checked bit for bit against the encoder's.
 * Reported: steps, bits actually written per coefficient, KL, D_CS computed
 * numerically, the sampler's bound, sqrt(n) D of the pooled PIT, timings.
 *
 * uq/lrq map the channel onto a quantizer: y = mu with prior
 * N(0, 1 - s^2); lrq adds N(0, s^2) exactly (X = Q's sample); uq adds
 * uniform noise of the same variance (step s sqrt(12)), so its PIT is that
 * of the uniform noise.  block groups d = floor(kappa / I) coefficients per
 * block (1..256) and is APPROXIMATE: its KS and mean_shrink show the bias.
 *
 * The sampler table (`samplers`) is the one place that lists samplers.
 */
#define _POSIX_C_SOURCE 200809L

#include "rec.h"
#include "rec_stats.h"
#include "tool_args.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int tool_cmd_sim(int argc, char **argv);

/* Ends a usage error (bad or missing option; its message is already printed) with the
 * --help hint; returns 1, the exit status of every recimg error. */
static int usage_fail(void)
{
    fputs("Try 'recimg sim --help'.\n", stderr);
    return 1;
}

#define STREAM_KEYS 1u
#define STREAM_MU 2u
#define DCS_SUBSAMPLE 200

typedef struct {
    double info_bits;
    long trials;
    uint64_t seed;
    uint64_t max_steps;
    unsigned kappa, t_extra;
} sim_params;

typedef struct {
    long trials;         /* coefficients simulated */
    long capped;         /* trials that hit max_steps (excluded from the statistics) */
    double mean_steps, median_steps;
    double mean_code_bits; /* bytes written * 8 / coded trials */
    double kl_bits, dcs_bits, bound_bits;
    double ks_stat;
    double mean_shrink;  /* sum x mu / sum mu^2: 1 for an unbiased simulator */
    double ns_enc, ns_dec;
    int roundtrip_ok;
} sim_result;

typedef int (*sim_fn)(const char *name, const sim_params *p, sim_result *r, char *err,
                      size_t errn);

typedef struct {
    const char *name;
    sim_fn run;
    int exact;
} sampler_entry;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double channel_mu(const sim_params *p, long i)
{
    const double s = pow(2.0, -p->info_bits);
    return sqrt(1.0 - s * s) * rec_prng_normal(p->seed, STREAM_MU, (uint64_t)i);
}

/* Channel-average D_CS: I + the mean of D_CS - KL over the first
 * DCS_SUBSAMPLE trials' targets (the gap varies little with mu, so this has
 * far less sampling noise than averaging D_CS itself); cached per (I, seed). */
static double channel_dcs(const sim_params *p)
{
    static double cached_i = -1, cached_v;
    static uint64_t cached_seed;
    const double s = pow(2.0, -p->info_bits);
    long i, n = p->trials < DCS_SUBSAMPLE ? p->trials : DCS_SUBSAMPLE;
    double sum = 0;
    if (cached_i == p->info_bits && cached_seed == p->seed)
        return cached_v;
    for (i = 0; i < n; i++)
        sum += rec_stats_dcs_gauss_bits(channel_mu(p, i), s) -
               rec_stats_kl_gauss_bits(channel_mu(p, i), s);
    cached_i = p->info_bits;
    cached_seed = p->seed;
    cached_v = n > 0 ? p->info_bits + sum / (double)n : (double)NAN;
    return cached_v;
}

static int alloc_arrays(long n, double **a, double **b, double **c, char *err, size_t errn)
{
    *a = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    *b = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    *c = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    if (!*a || !*b || !*c) {
        free(*a);
        free(*b);
        free(*c);
        snprintf(err, errn, "out of memory for %ld trials", n);
        return -1;
    }
    return 0;
}

/* ---- uq / lrq ----------------------------------------------------------- */

static int run_quant(const char *name, const sim_params *p, sim_result *r, char *err, size_t errn)
{
    const int lrq = !strcmp(name, "lrq");
    const double s = pow(2.0, -p->info_bits);
    const double noise = lrq ? s : s * sqrt(12.0);
    const rec_prior prior = {REC_PRIOR_GAUSSIAN, 0.0, sqrt(1.0 - s * s)};
    double *xs, *mus, *pit, t0, sxm = 0, smm = 0;
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf;
    size_t size;
    long i;
    if (alloc_arrays(p->trials, &xs, &mus, &pit, err, errn))
        return -1;
    if (rec_rc_encoder_init(&enc)) {
        snprintf(err, errn, "out of memory");
        free(xs), free(mus), free(pit);
        return -1;
    }
    for (i = 0; i < p->trials; i++)
        mus[i] = channel_mu(p, i);
    t0 = now_s();
    for (i = 0; i < p->trials; i++) {
        const rec_key key = {p->seed, STREAM_KEYS, (uint64_t)i};
        rec_quant_result q;
        const rec_status st = lrq ? rec_lrq_encode(mus[i], noise, &prior, &key, &enc, &q)
                                  : rec_uq_encode(mus[i], noise, &prior, &key, &enc, &q);
        if (st != REC_OK) {
            snprintf(err, errn, "%s encode failed at trial %ld: %s", name, i, rec_strerror(st));
            rec_rc_encoder_free(&enc);
            free(xs), free(mus), free(pit);
            return -1;
        }
        xs[i] = q.x;
    }
    r->ns_enc = (now_s() - t0) * 1e9 / (double)p->trials;
    if (rec_rc_encoder_finish(&enc, &buf, &size)) {
        snprintf(err, errn, "out of memory finishing the stream");
        free(xs), free(mus), free(pit);
        return -1;
    }
    r->roundtrip_ok = 1;
    rec_rc_decoder_init(&dec, buf, size);
    t0 = now_s();
    for (i = 0; i < p->trials; i++) {
        const rec_key key = {p->seed, STREAM_KEYS, (uint64_t)i};
        rec_quant_result q;
        const rec_status st = lrq ? rec_lrq_decode(noise, &prior, &key, &dec, &q)
                                  : rec_uq_decode(noise, &prior, &key, &dec, &q);
        if (st != REC_OK || memcmp(&q.x, &xs[i], sizeof(double)) != 0)
            r->roundtrip_ok = 0;
        pit[i] = lrq ? 0.5 * erfc(-(q.x - mus[i]) / (s * sqrt(2.0))) : (q.x - mus[i]) / noise + 0.5;
        sxm += q.x * mus[i];
        smm += mus[i] * mus[i];
    }
    r->ns_dec = (now_s() - t0) * 1e9 / (double)p->trials;
    free(buf);
    r->trials = p->trials;
    r->capped = 0;
    r->mean_steps = r->median_steps = 1;
    r->mean_code_bits = 8.0 * (double)size / (double)p->trials;
    r->kl_bits = p->info_bits;
    r->dcs_bits = channel_dcs(p);
    r->bound_bits = (double)NAN; /* no closed-form bound; see docs/REC.md */
    r->ks_stat = rec_stats_ks_uniform(pit, (size_t)p->trials);
    r->mean_shrink = smm > 0 ? sxm / smm : (double)NAN;
    free(xs), free(mus), free(pit);
    return 0;
}

/* ---- block (approximate) ----------------------------------------------- */

static int run_block(const char *name, const sim_params *p, sim_result *r, char *err, size_t errn)
{
    const double s = pow(2.0, -p->info_bits);
    long d = (long)floor((double)p->kappa / p->info_bits), nblocks, b, i, n;
    double *xs, *mus, *pit, t0, sxm = 0, smm = 0;
    double qs[REC_BLOCK_MAX_DIM], pm[REC_BLOCK_MAX_DIM], ps[REC_BLOCK_MAX_DIM];
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf;
    size_t size;
    (void)name;
    if (d < 1)
        d = 1;
    if (d > (long)REC_BLOCK_MAX_DIM)
        d = REC_BLOCK_MAX_DIM;
    nblocks = (p->trials + d - 1) / d;
    n = nblocks * d;
    if (alloc_arrays(n, &xs, &mus, &pit, err, errn))
        return -1;
    for (i = 0; i < d; i++) {
        qs[i] = s;
        pm[i] = 0;
        ps[i] = 1;
    }
    for (i = 0; i < n; i++)
        mus[i] = channel_mu(p, i);
    if (rec_rc_encoder_init(&enc)) {
        snprintf(err, errn, "out of memory");
        free(xs), free(mus), free(pit);
        return -1;
    }
    t0 = now_s();
    for (b = 0; b < nblocks; b++) {
        const rec_key key = {p->seed, STREAM_KEYS, (uint64_t)b};
        const rec_status st = rec_block_encode((size_t)d, mus + b * d, qs, pm, ps, p->kappa,
                                               p->t_extra, &key, &enc, xs + b * d, NULL);
        if (st != REC_OK) {
            snprintf(err, errn, "block encode failed at block %ld: %s", b, rec_strerror(st));
            rec_rc_encoder_free(&enc);
            free(xs), free(mus), free(pit);
            return -1;
        }
    }
    r->ns_enc = (now_s() - t0) * 1e9 / (double)n;
    if (rec_rc_encoder_finish(&enc, &buf, &size)) {
        snprintf(err, errn, "out of memory finishing the stream");
        free(xs), free(mus), free(pit);
        return -1;
    }
    r->roundtrip_ok = 1;
    rec_rc_decoder_init(&dec, buf, size);
    t0 = now_s();
    for (b = 0; b < nblocks; b++) {
        const rec_key key = {p->seed, STREAM_KEYS, (uint64_t)b};
        double x[REC_BLOCK_MAX_DIM];
        if (rec_block_decode((size_t)d, pm, ps, p->kappa, p->t_extra, &key, &dec, x) != REC_OK ||
            memcmp(x, xs + b * d, sizeof(double) * (size_t)d) != 0)
            r->roundtrip_ok = 0;
    }
    r->ns_dec = (now_s() - t0) * 1e9 / (double)n;
    free(buf);
    for (i = 0; i < n; i++) {
        pit[i] = 0.5 * erfc(-(xs[i] - mus[i]) / (s * sqrt(2.0)));
        sxm += xs[i] * mus[i];
        smm += mus[i] * mus[i];
    }
    r->trials = n;
    r->capped = 0;
    r->mean_steps = r->median_steps = ldexp(1.0, (int)(p->kappa + p->t_extra));
    r->mean_code_bits = 8.0 * (double)size / (double)n;
    r->kl_bits = p->info_bits;
    r->dcs_bits = channel_dcs(p);
    r->bound_bits = (double)(p->kappa + p->t_extra) / (double)d;
    r->ks_stat = rec_stats_ks_uniform(pit, (size_t)n);
    r->mean_shrink = smm > 0 ? sxm / smm : (double)NAN;
    free(xs), free(mus), free(pit);
    return 0;
}

/* ---- rejection samplers (rec-rs) --------------------------------------- */
#ifdef REC_HAVE_REJECTION_SAMPLERS
enum { RS_PFR, RS_GPRS, RS_BNB };

static int run_rs(const char *name, const sim_params *p, sim_result *r, char *err, size_t errn)
{
    const int which = !strcmp(name, "pfr") ? RS_PFR : !strcmp(name, "gprs") ? RS_GPRS : RS_BNB;
    const double s = pow(2.0, -p->info_bits), info = p->info_bits;
    double *xs, *mus, *steps, *pit, t0, sxm = 0, smm = 0, ssum = 0;
    unsigned char *capped;
    rec_gprs_bnb_model model;
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    uint8_t *buf;
    size_t size;
    long i, n = 0;
    if (alloc_arrays(p->trials, &xs, &mus, &steps, err, errn))
        return -1;
    pit = malloc(sizeof(double) * (size_t)p->trials);
    capped = calloc((size_t)p->trials, 1);
    if (!pit || !capped || rec_rc_encoder_init(&enc)) {
        snprintf(err, errn, "out of memory");
        free(xs), free(mus), free(steps), free(pit), free(capped);
        return -1;
    }
    for (i = 0; i < p->trials; i++)
        mus[i] = channel_mu(p, i);
    rec_gprs_bnb_model_init(&model);
    r->capped = 0;
    t0 = now_s();
    for (i = 0; i < p->trials; i++) {
        const rec_key key = {p->seed, STREAM_KEYS, (uint64_t)i};
        rec_rs_result res;
        rec_status st;
        memset(&res, 0, sizeof res);
        st = which == RS_PFR    ? rec_pfr_encode(mus[i], s, &key, p->max_steps, &enc, &res)
             : which == RS_GPRS ? rec_gprs_encode(mus[i], s, &key, p->max_steps, &enc, &res)
                                : rec_gprs_bnb_encode(mus[i], s, &key, p->max_steps, &model, &enc, &res);
        if (st == REC_ERR_STEP_CAP) {
            capped[i] = 1;
            r->capped++;
            steps[i] = (double)p->max_steps;
            continue;
        }
        if (st != REC_OK) {
            snprintf(err, errn, "%s encode failed at trial %ld: %s", name, i, rec_strerror(st));
            rec_rc_encoder_free(&enc);
            free(xs), free(mus), free(steps), free(pit), free(capped);
            return -1;
        }
        xs[i] = res.x;
        steps[i] = (double)res.steps;
        ssum += steps[i];
    }
    r->ns_enc = (now_s() - t0) * 1e9 / (double)p->trials;
    if (rec_rc_encoder_finish(&enc, &buf, &size)) {
        snprintf(err, errn, "out of memory finishing the stream");
        free(xs), free(mus), free(steps), free(pit), free(capped);
        return -1;
    }
    r->roundtrip_ok = 1;
    rec_gprs_bnb_model_init(&model);
    rec_rc_decoder_init(&dec, buf, size);
    t0 = now_s();
    for (i = 0; i < p->trials; i++) {
        const rec_key key = {p->seed, STREAM_KEYS, (uint64_t)i};
        double x = 0;
        rec_status st;
        if (capped[i])
            continue;
        st = which == RS_PFR    ? rec_pfr_decode(s, &key, &dec, &x)
             : which == RS_GPRS ? rec_gprs_decode(s, &key, &dec, &x)
                                : rec_gprs_bnb_decode(s, &key, &model, &dec, &x);
        if (st != REC_OK || memcmp(&x, &xs[i], sizeof x) != 0)
            r->roundtrip_ok = 0;
        pit[n++] = 0.5 * erfc(-(x - mus[i]) / (s * sqrt(2.0)));
        sxm += x * mus[i];
        smm += mus[i] * mus[i];
    }
    r->ns_dec = n > 0 ? (now_s() - t0) * 1e9 / (double)n : (double)NAN;
    free(buf);
    r->trials = p->trials;
    r->mean_steps = n > 0 ? ssum / (double)n : (double)NAN; /* over trials that finished */
    r->median_steps = rec_stats_median(steps, (size_t)p->trials); /* capped count as the cap */
    r->mean_code_bits = n > 0 ? 8.0 * (double)size / (double)n : (double)NAN;
    r->kl_bits = info;
    r->dcs_bits = channel_dcs(p);
    r->bound_bits = which == RS_GPRS ? info + log2(info + 2.0) + 3.0 : info + log2(info + 1.0) + 4.0;
    r->ks_stat = rec_stats_ks_uniform(pit, (size_t)n);
    r->mean_shrink = smm > 0 ? sxm / smm : (double)NAN;
    free(xs), free(mus), free(steps), free(pit), free(capped);
    return 0;
}
#endif

/* The one list of samplers. */
static const sampler_entry samplers[] = {
#ifdef REC_HAVE_REJECTION_SAMPLERS
    {"pfr", run_rs, 1},
    {"gprs", run_rs, 1},
    {"gprs-bnb", run_rs, 1},
#endif
    {"uq", run_quant, 1},
    {"lrq", run_quant, 1},
    {"block", run_block, 0},
};
#define NSAMPLERS (sizeof(samplers) / sizeof(samplers[0]))

static const char *known_names[] = {"pfr", "gprs", "gprs-bnb", "uq", "lrq", "block"};

static const sampler_entry *find_sampler(const char *name)
{
    size_t i;
    for (i = 0; i < NSAMPLERS; i++)
        if (!strcmp(samplers[i].name, name))
            return &samplers[i];
    return NULL;
}

/* ---- output --------------------------------------------------------------- */

static void json_num(FILE *f, const char *key, double v, int last)
{
    if (isfinite(v))
        fprintf(f, "\"%s\": %.6g%s", key, v, last ? "" : ", ");
    else
        fprintf(f, "\"%s\": null%s", key, last ? "" : ", ");
}

static void print_result(FILE *f, const sampler_entry *e, const sim_params *p, const sim_result *r,
                         int json)
{
    if (json) {
        fprintf(f, "{\"sampler\": \"%s\", \"exact\": %s, ", e->name, e->exact ? "true" : "false");
        json_num(f, "info_bits", p->info_bits, 0);
        fprintf(f, "\"trials\": %ld, \"capped\": %ld, \"max_steps\": %llu, ", r->trials, r->capped,
                (unsigned long long)p->max_steps);
        json_num(f, "mean_steps", r->mean_steps, 0);
        json_num(f, "median_steps", r->median_steps, 0);
        json_num(f, "mean_code_bits", r->mean_code_bits, 0);
        json_num(f, "kl_bits", r->kl_bits, 0);
        json_num(f, "dcs_bits", r->dcs_bits, 0);
        json_num(f, "bound_bits", r->bound_bits, 0);
        json_num(f, "ks_stat", r->ks_stat, 0);
        json_num(f, "mean_shrink", r->mean_shrink, 0);
        json_num(f, "ns_per_sample", r->ns_enc, 0);
        json_num(f, "ns_per_decode", r->ns_dec, 0);
        fprintf(f, "\"roundtrip_ok\": %s}\n", r->roundtrip_ok ? "true" : "false");
    } else {
        fprintf(f, "sampler         %s%s\n", e->name, e->exact ? "" : " (APPROXIMATE)");
        fprintf(f, "info_bits       %g\n", p->info_bits);
        fprintf(f, "trials          %ld (capped at %llu steps: %ld)\n", r->trials,
                (unsigned long long)p->max_steps, r->capped);
        fprintf(f, "mean_steps      %.4g\nmedian_steps    %.4g\n", r->mean_steps, r->median_steps);
        fprintf(f, "mean_code_bits  %.4f   (bits written by the range coder / coefficient)\n",
                r->mean_code_bits);
        fprintf(f, "kl_bits         %.4f\ndcs_bits        %.4f\n", r->kl_bits, r->dcs_bits);
        fprintf(f, "bound_bits      %.4f\n", r->bound_bits);
        fprintf(f, "ks_stat         %.3f   (sqrt(n) D of pooled PIT; < 1.63 at 1%%)\n", r->ks_stat);
        fprintf(f, "mean_shrink     %.4f   (1 = unbiased)\n", r->mean_shrink);
        fprintf(f, "ns_per_sample   %.1f (encode)  %.1f (decode)\n", r->ns_enc, r->ns_dec);
        fprintf(f, "roundtrip       %s\n", r->roundtrip_ok ? "bit-exact" : "MISMATCH");
    }
}

static void csv_num(FILE *f, double v, const char *sep)
{
    if (isfinite(v))
        fprintf(f, "%.6g%s", v, sep);
    else
        fprintf(f, "%s", sep); /* empty field */
}

static void csv_row(FILE *f, const sampler_entry *e, const sim_params *p, const sim_result *r)
{
    fprintf(f, "%s,%d,", e->name, e->exact);
    csv_num(f, p->info_bits, ",");
    fprintf(f, "%ld,%ld,", r->trials, r->capped);
    csv_num(f, r->mean_steps, ",");
    csv_num(f, r->median_steps, ",");
    csv_num(f, r->mean_code_bits, ",");
    csv_num(f, r->kl_bits, ",");
    csv_num(f, r->dcs_bits, ",");
    csv_num(f, r->bound_bits, ",");
    csv_num(f, r->ks_stat, ",");
    csv_num(f, r->mean_shrink, ",");
    csv_num(f, r->ns_enc, ",");
    csv_num(f, r->ns_dec, ",");
    fprintf(f, "%d\n", r->roundtrip_ok);
}

static const char gnuplot_script[] =
    "set datafile separator ','\n"
    "set key top left\n"
    "set grid\n"
    "set xlabel 'information I (bits)'\n"
    "csv = '%s/sweep.csv'\n"
    "col(name, c) = (strcol(1) eq name) ? column(c) : 1/0\n"
    "do for [fmt in 'svg png'] {\n"
    "  if (fmt eq 'svg') { set terminal svg size 900,600 dynamic } else { set terminal png size 900,600 }\n"
    "  set output sprintf('%s/code_bits.%%s.tmp', fmt)\n"
    "  set ylabel 'bits per coefficient'\n"
    "  set logscale y\n"
    "  set title 'Code length written by the range coder, Gaussian channel (DESIGN 2)'\n"
    "  plot csv using 3:(col('lrq', 9)) with lines dt 2 lw 2 lc rgb 'black' title 'KL = I', \\\n"
    "       csv using 3:(col('lrq', 10)) with lines dt 3 lw 2 lc rgb 'gray40' title 'D_{CS}', \\\n"
    "       csv using 3:(col('pfr', 11)) with lines dt 4 lc rgb 'red' title 'bound: I + log_2(I+1) + 4', \\\n"
    "       csv using 3:(col('gprs', 11)) with lines dt 4 lc rgb 'blue' title 'bound: I + log_2(I+2) + 3', \\\n"
    "       for [s in 'pfr gprs gprs-bnb uq lrq block'] csv using 3:(col(s, 8)) with linespoints title s\n"
    "  set output\n"
    "  set output sprintf('%s/steps.%%s.tmp', fmt)\n"
    "  set ylabel 'steps (samples drawn) per coefficient or block'\n"
    "  set title 'Runtime: mean and median steps'\n"
    "  plot for [s in 'pfr gprs gprs-bnb'] csv using 3:(col(s, 6)) with linespoints title s.' mean', \\\n"
    "       for [s in 'pfr gprs gprs-bnb'] csv using 3:(col(s, 7)) with linespoints dt 2 title s.' median', \\\n"
    "       csv using 3:(2**column(3)) with lines dt 3 lc rgb 'black' title '2^I'\n"
    "  set output\n"
    "  unset logscale y\n"
    "  set output sprintf('%s/overhead.%%s.tmp', fmt)\n"
    "  set ylabel 'bits per coefficient minus I'\n"
    "  set title 'Overhead over the information: code length - I, and D_{CS} - I'\n"
    "  set yrange [0:*]\n"
    "  plot csv using 3:(col('lrq', 10) - column(3)) with lines dt 3 lw 2 lc rgb 'gray40' title 'D_{CS} - I', \\\n"
    "       for [s in 'pfr gprs gprs-bnb uq lrq block'] csv using 3:(col(s, 8) - column(3)) with linespoints title s\n"
    "  set output\n"
    "  set autoscale y\n"
    "}\n";

static int path_ok_for_gnuplot(const char *s)
{
    return strchr(s, '\'') == NULL && strchr(s, '"') == NULL && strchr(s, '\n') == NULL &&
           strchr(s, '%') == NULL;
}

static int run_sweep(const char *dir, const sim_params *base, int explicit_trials)
{
    static const double infos[] = {0.1, 0.25, 0.5, 1, 2, 3, 4, 6, 8, 10, 12};
    char csv_tmp[4096], csv[4096], gp[4096], gp_tmp[4096], cmd[8400], from[4096], to[4096];
    const char *outs[6] = {"code_bits.svg", "code_bits.png", "steps.svg",
                           "steps.png",     "overhead.svg",  "overhead.png"};
    FILE *f;
    size_t si, ii;
    int k;
    struct stat stt;
    if (!path_ok_for_gnuplot(dir) || strlen(dir) > 3000) {
        fprintf(stderr, "recimg sim: output directory name must not contain quotes or %%\n");
        return 1;
    }
    if (stat(dir, &stt) != 0) {
        if (mkdir(dir, 0777) != 0) {
            fprintf(stderr, "recimg sim: cannot create %s: %s\n", dir, strerror(errno));
            return 1;
        }
    } else if (!S_ISDIR(stt.st_mode)) {
        fprintf(stderr, "recimg sim: %s is not a directory\n", dir);
        return 1;
    }
    snprintf(csv, sizeof csv, "%s/sweep.csv", dir);
    snprintf(csv_tmp, sizeof csv_tmp, "%s/sweep.csv.tmp", dir);
    f = fopen(csv_tmp, "w");
    if (!f) {
        fprintf(stderr, "recimg sim: cannot write %s: %s\n", csv_tmp, strerror(errno));
        return 1;
    }
    fprintf(f, "sampler,exact,info_bits,trials,capped,mean_steps,median_steps,mean_code_bits,"
               "kl_bits,dcs_bits,bound_bits,ks_stat,mean_shrink,ns_per_sample,ns_per_decode,"
               "roundtrip_ok\n");
    for (si = 0; si < NSAMPLERS; si++) {
        for (ii = 0; ii < sizeof(infos) / sizeof(infos[0]); ii++) {
            sim_params p = *base;
            sim_result r;
            char err[256];
            memset(&r, 0, sizeof r);
            p.info_bits = infos[ii];
            if (!explicit_trials)
                p.trials = 1000;
            if (samplers[si].run(samplers[si].name, &p, &r, err, sizeof err) != 0) {
                fprintf(stderr, "recimg sim: %s\n", err);
                fclose(f);
                remove(csv_tmp);
                return 1;
            }
            csv_row(f, &samplers[si], &p, &r);
            fflush(f);
            fprintf(stderr, "  %-8s I=%-5g bits %.3f  steps mean %.4g median %.4g  ks %.2f%s\n",
                    samplers[si].name, p.info_bits, r.mean_code_bits, r.mean_steps, r.median_steps,
                    r.ks_stat, r.capped ? "  (some capped)" : "");
        }
    }
    if (fclose(f) != 0 || rename(csv_tmp, csv) != 0) {
        fprintf(stderr, "recimg sim: cannot write %s\n", csv);
        remove(csv_tmp);
        return 1;
    }
    snprintf(gp, sizeof gp, "%s/plots.gp", dir);
    snprintf(gp_tmp, sizeof gp_tmp, "%s/plots.gp.tmp", dir);
    f = fopen(gp_tmp, "w");
    if (!f) {
        fprintf(stderr, "recimg sim: cannot write %s\n", gp_tmp);
        return 1;
    }
    fprintf(f, gnuplot_script, dir, dir, dir, dir);
    if (fclose(f) != 0 || rename(gp_tmp, gp) != 0) {
        fprintf(stderr, "recimg sim: cannot write %s\n", gp);
        remove(gp_tmp);
        return 1;
    }
    snprintf(cmd, sizeof cmd, "gnuplot '%s' 2>&1", gp);
    if (system(cmd) != 0) {
        fprintf(stderr, "recimg sim: gnuplot failed on %s (is gnuplot installed? scripts/deps.sh)\n",
                gp);
        for (k = 0; k < 6; k++) {
            snprintf(from, sizeof from, "%s/%s.tmp", dir, outs[k]);
            remove(from);
        }
        return 1;
    }
    for (k = 0; k < 6; k++) {
        snprintf(from, sizeof from, "%s/%s.tmp", dir, outs[k]);
        snprintf(to, sizeof to, "%s/%s", dir, outs[k]);
        if (rename(from, to) != 0) {
            fprintf(stderr, "recimg sim: gnuplot did not produce %s\n", to);
            return 1;
        }
    }
    printf("wrote %s and %s/{code_bits,steps,overhead}.{svg,png} (gnuplot script %s)\n", csv, dir,
           gp);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: recimg sim --sampler NAME --info-bits I [--trials N] [--seed S] [--json]\n"
            "                  [--max-steps M] [--kappa K] [--t T]\n"
            "       recimg sim --sweep -o DIR [--trials N] [--seed S] [--max-steps M]\n"
            "Gaussian channel setting: s = 2^-I, mu ~ N(0, 1 - s^2), Q = N(mu, s^2), P = N(0, 1).\n"
            "NAME: pfr, gprs, gprs-bnb, uq, lrq, block (block is approximate).\n"
            "Defaults: trials 10000 (sweep: 1000), seed 1, max-steps 1048576 (pfr/gprs have\n"
            "infinite mean runtime over the channel: trials hitting the cap are counted and\n"
            "excluded), kappa 12, t 0 (block: kappa/I coefficients per block, 2^(kappa+t)\n"
            "candidates).  I in (0, 30].\n"
            "--sweep runs every sampler at I = 0.1 ... 12 bits and writes DIR/sweep.csv and\n"
            "DIR/{code_bits,steps,overhead}.{svg,png} (gnuplot) plus the script DIR/plots.gp.\n");
}

int tool_cmd_sim(int argc, char **argv)
{
    sim_params p;
    const char *name = NULL, *outdir = NULL;
    int json = 0, sweep = 0, have_info = 0, explicit_trials = 0, i;
    unsigned long long v;
    p.info_bits = 0;
    p.trials = 10000;
    p.seed = 1;
    p.max_steps = (uint64_t)1 << 20;
    p.kappa = 12;
    p.t_extra = 0;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--sweep")) {
            sweep = 1;
        } else if (!val) {
            fprintf(stderr, "recimg sim: %s needs a value (or is unknown)\n", a);
            usage(stderr);
            return usage_fail();
        } else if (!strcmp(a, "--sampler")) {
            name = val, i++;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            outdir = val, i++;
        } else if (!strcmp(a, "--info-bits")) {
            if (tool_parse_double(val, 0.0, 30.0, &p.info_bits) || !(p.info_bits > 0)) {
                fprintf(stderr, "recimg sim: --info-bits must be a number in (0, 30]\n");
                return usage_fail();
            }
            have_info = 1, i++;
        } else if (!strcmp(a, "--trials")) {
            if (tool_parse_u64(val, &v) || v < 1 || v > 100000000) {
                fprintf(stderr, "recimg sim: --trials must be in [1, 1e8]\n");
                return usage_fail();
            }
            p.trials = (long)v, explicit_trials = 1, i++;
        } else if (!strcmp(a, "--seed")) {
            if (tool_parse_u64(val, &v)) {
                fprintf(stderr, "recimg sim: --seed must be a non-negative integer\n");
                return usage_fail();
            }
            p.seed = v, i++;
        } else if (!strcmp(a, "--max-steps")) {
            if (tool_parse_u64(val, &v) || v < 1) {
                fprintf(stderr, "recimg sim: --max-steps must be a positive integer\n");
                return usage_fail();
            }
            p.max_steps = v, i++;
        } else if (!strcmp(a, "--kappa") || !strcmp(a, "--t")) {
            if (tool_parse_u64(val, &v) || v > REC_BLOCK_MAX_LOG2N) {
                fprintf(stderr, "recimg sim: %s must be in [0, %u]\n", a, REC_BLOCK_MAX_LOG2N);
                return usage_fail();
            }
            if (a[2] == 'k')
                p.kappa = (unsigned)v;
            else
                p.t_extra = (unsigned)v;
            i++;
        } else {
            fprintf(stderr, "recimg sim: unknown option %s\n", a);
            usage(stderr);
            return usage_fail();
        }
    }
    if (p.kappa + p.t_extra > REC_BLOCK_MAX_LOG2N) {
        fprintf(stderr, "recimg sim: kappa + t must be at most %u\n", REC_BLOCK_MAX_LOG2N);
        return usage_fail();
    }
    if (sweep) {
        if (!outdir) {
            fprintf(stderr, "recimg sim: --sweep needs -o DIR\n");
            return usage_fail();
        }
        return run_sweep(outdir, &p, explicit_trials);
    }
    if (!name || !have_info) {
        fprintf(stderr, "recimg sim: --sampler and --info-bits are required\n");
        usage(stderr);
        return usage_fail();
    }
    {
        const sampler_entry *e = find_sampler(name);
        sim_result r;
        char err[256];
        size_t k;
        if (!e) {
            for (k = 0; k < sizeof(known_names) / sizeof(known_names[0]); k++)
                if (!strcmp(known_names[k], name)) {
                    fprintf(stderr, "recimg sim: sampler %s is not built into this binary\n", name);
                    return 1;
                }
            fprintf(stderr, "recimg sim: unknown sampler '%s'\n", name);
            usage(stderr);
            return usage_fail();
        }
        memset(&r, 0, sizeof r);
        if (e->run(e->name, &p, &r, err, sizeof err) != 0) {
            fprintf(stderr, "recimg sim: %s\n", err);
            return 1;
        }
        print_result(stdout, e, &p, &r, json);
        return r.roundtrip_ok ? 0 : 1;
    }
}
