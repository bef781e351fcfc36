/* rec/rec_gprs_bnb.c - branch-and-bound greedy Poisson rejection sampling (split on sample).
 *
 * Paper: G. Flamich, "Greedy Poisson Rejection Sampling", NeurIPS 2023, the branch-and-bound
 * variant for unimodal density ratios on R (DESIGN 3.2):
 *     B = R, T = 0, H = 1
 *     loop: T += Exp(1) / P(B);  X ~ P|B;  if T < sigma(r(X)) return (H, X)
 *           if X < x*: B = B & (X, inf), H = 2H + 1   else B = B & (-inf, X), H = 2H
 * X ~ Q exactly.  The stretch function sigma and the accept test are those of rec_gprs.c.
 *
 * Shared randomness: the sample of heap node H is the inverse-CDF image of
 * rec_prng_uniform(item_seed, REC_RS_STREAM_X, H) under P restricted to the node interval,
 * so the decoder, replaying the path, draws the very same X at every node.  Node intervals
 * are carried as tail masses (F = Phi(x), G = 1 - Phi(x)) of their ends, and every draw
 * works in whichever tail is accurate, so deep right-tail nodes keep full precision.
 * The arrival times use the independent stream REC_RS_STREAM_T (encoder only).
 *
 * Coded: the heap path through the model of rec_index.c (per node a stop bit, adaptive in
 * contexts of information bucket, depth and width / s; then a direction bit with the
 * probability of the channel-setting prior of the mode).  Encoder and decoder compute the
 * contexts from the same node data.  Depth is capped at REC_RS_BNB_MAX_DEPTH = 62 (a
 * heap index below 2^63): the encoder reports REC_ERR_STEP_CAP beyond it (in the channel
 * setting the depth is about 1.34 I, so this needs I of about 45 bits), the decoder
 * REC_ERR_CORRUPT.
 */
#include <math.h> /* isfinite, INFINITY, sqrt (correctly rounded by IEEE 754) */
#include <stddef.h>

#include "rec.h"
#include "rec_rs_internal.h"

#define DBL_MIN_NORMAL 2.2250738585072014e-308

typedef struct {
    double x, F, G;   /* point and its N(0,1) tail masses */
    double z, zF, zG; /* z = x sqrt(1 - s^2) and its tail masses (path model) */
} endpoint;

typedef struct {
    endpoint lo, hi;
    double c; /* sqrt(1 - s^2) */
    int with_z;
} walker;

static void walker_init(walker *w, double s, int with_z)
{
    w->lo.x = w->lo.z = -INFINITY;
    w->lo.F = w->lo.zF = 0.0;
    w->lo.G = w->lo.zG = 1.0;
    w->hi.x = w->hi.z = INFINITY;
    w->hi.F = w->hi.zF = 1.0;
    w->hi.G = w->hi.zG = 0.0;
    w->c = sqrt((1.0 - s) * (1.0 + s));
    w->with_z = with_z;
}

static double walker_mass(const walker *w)
{
    if (w->lo.x >= 0.0)
        return w->lo.G - w->hi.G;
    if (w->hi.x <= 0.0)
        return w->hi.F - w->lo.F;
    return 1.0 - w->lo.F - w->hi.G;
}

/* X ~ P restricted to the node interval, from the uniform u in (0, 1). */
static void walker_sample(const walker *w, double mass, double u, endpoint *e)
{
    double ft = 0.0, gt = 0.0;
    int upper;

    if (w->lo.x >= 0.0) {
        gt = w->lo.G - u * mass;
        upper = 1;
    } else if (w->hi.x <= 0.0) {
        ft = w->lo.F + u * mass;
        upper = 0;
    } else {
        ft = w->lo.F + u * mass;
        upper = ft > 0.5;
        if (upper)
            gt = w->hi.G + (1.0 - u) * mass;
    }
    if (upper) {
        if (!(gt > DBL_MIN_NORMAL))
            gt = DBL_MIN_NORMAL;
        e->x = -rec_Phi_inv(gt);
        e->G = gt;
        e->F = 1.0 - gt;
    } else {
        if (!(ft > DBL_MIN_NORMAL))
            ft = DBL_MIN_NORMAL;
        e->x = rec_Phi_inv(ft);
        e->F = ft;
        e->G = 1.0 - ft;
    }
    /* keep the point inside the interval despite rounding of Phi_inv */
    if (e->x < w->lo.x)
        e->x = w->lo.x;
    if (e->x > w->hi.x)
        e->x = w->hi.x;
    if (w->with_z) {
        e->z = e->x * w->c;
        if (e->z < 0.0) {
            e->zF = rec_Phi(e->z);
            e->zG = 1.0 - e->zF;
        } else {
            e->zG = rec_Phi_c(e->z);
            e->zF = 1.0 - e->zG;
        }
    } else {
        e->z = e->zF = e->zG = 0.0;
    }
}

static uint32_t walker_dir_p0(const walker *w, const endpoint *e)
{
    return rec_rs_path_dir_p0(w->lo.z, w->lo.zF, w->lo.zG, e->z, e->zF, e->zG, w->hi.z,
                              w->hi.zF, w->hi.zG);
}

void rec_gprs_bnb_model_init(rec_gprs_bnb_model *m)
{
    unsigned i, j;
    if (m == NULL)
        return;
    for (i = 0; i < REC_BNB_IBUCKETS; i++)
        for (j = 0; j < REC_BNB_STOP_CTX; j++)
            rec_rc_bit_model_init(&m->stop[i][j]);
}

rec_status rec_gprs_bnb_encode(double mu, double s, const rec_key *key, uint64_t max_steps,
                               rec_gprs_bnb_model *model, rec_rc_encoder *enc,
                               rec_rs_result *out)
{
    rec_rs_target t;
    rec_status st;
    walker w;
    uint64_t seed, h = 1;
    unsigned depth, ib = 0, final_depth;
    unsigned char stop_ctx[REC_RS_BNB_MAX_DEPTH + 1];
    unsigned char dir[REC_RS_BNB_MAX_DEPTH + 1];
    uint32_t dir_p0[REC_RS_BNB_MAX_DEPTH + 1];
    double T = 0.0;
    endpoint e;
    const int coding = enc != NULL;

    if (key == NULL || out == NULL || max_steps == 0 || (coding && model == NULL))
        return REC_ERR_INVALID_ARG;
    st = rec_rs_target_init(&t, mu, s);
    if (st != REC_OK)
        return st;
    seed = rec_key_u64(key, 0);
    walker_init(&w, s, coding);
    for (depth = 0;; depth++) {
        const double mass = walker_mass(&w);
        if ((uint64_t)depth >= max_steps || depth > REC_RS_BNB_MAX_DEPTH) {
            out->steps = depth;
            out->code = 0;
            out->x = 0.0;
            return REC_ERR_STEP_CAP;
        }
        T += rec_prng_exponential(seed, REC_RS_STREAM_T, h) / mass;
        walker_sample(&w, mass, rec_prng_uniform(seed, REC_RS_STREAM_X, h), &e);
        if (coding)
            stop_ctx[depth] = (unsigned char)rec_rs_path_stop_ctx(depth, w.lo.x, w.hi.x, s);
        if (rec_rs_gprs_accept(&t, T, rec_rs_log_r(&t, e.x), NULL))
            break;
        dir[depth] = e.x < t.xs; /* 1: the mode is right of X, keep (X, hi) */
        if (coding)
            dir_p0[depth] = walker_dir_p0(&w, &e);
        if (dir[depth]) {
            w.lo = e;
            h = 2 * h + 1;
        } else {
            w.hi = e;
            h = 2 * h;
        }
    }
    final_depth = depth;
    out->x = e.x;
    out->steps = (uint64_t)final_depth + 1;
    out->code = h;
    if (coding) {
        ib = rec_rs_path_ibucket(s);
        for (depth = 0; depth < final_depth; depth++) {
            rec_rc_encode_bit(enc, &model->stop[ib][stop_ctx[depth]], 0);
            rec_rc_encode_bit_p(enc, dir_p0[depth], dir[depth]);
        }
        rec_rc_encode_bit(enc, &model->stop[ib][stop_ctx[final_depth]], 1);
    }
    return REC_OK;
}

rec_status rec_gprs_bnb_decode(double s, const rec_key *key, rec_gprs_bnb_model *model,
                               rec_rc_decoder *dec, double *x)
{
    rec_rs_target t;
    rec_status st;
    walker w;
    uint64_t seed, h = 1;
    unsigned depth, ib;
    endpoint e;

    if (key == NULL || model == NULL || dec == NULL || x == NULL)
        return REC_ERR_INVALID_ARG;
    st = rec_rs_target_init(&t, 0.0, s);
    if (st != REC_OK)
        return st;
    seed = rec_key_u64(key, 0);
    ib = rec_rs_path_ibucket(s);
    walker_init(&w, s, 1);
    for (depth = 0; depth <= REC_RS_BNB_MAX_DEPTH; depth++) {
        const double mass = walker_mass(&w);
        unsigned ctx;
        walker_sample(&w, mass, rec_prng_uniform(seed, REC_RS_STREAM_X, h), &e);
        ctx = rec_rs_path_stop_ctx(depth, w.lo.x, w.hi.x, s);
        if (rec_rc_decode_bit(dec, &model->stop[ib][ctx])) {
            if (rec_rc_decoder_error(dec))
                return REC_ERR_CORRUPT;
            *x = e.x;
            return REC_OK;
        }
        if (rec_rc_decoder_error(dec) || depth == REC_RS_BNB_MAX_DEPTH)
            break;
        if (rec_rc_decode_bit_p(dec, walker_dir_p0(&w, &e))) {
            w.lo = e;
            h = 2 * h + 1;
        } else {
            w.hi = e;
            h = 2 * h;
        }
    }
    return REC_ERR_CORRUPT;
}

/* ---- unstandardized entry points -------------------------------------------------------- */

static rec_status standardize(double m, double v_p, double s_q, double *sd, double *s)
{
    if (!isfinite(m) || !isfinite(v_p) || !(v_p > 0.0) || !isfinite(s_q))
        return REC_ERR_INVALID_ARG;
    *sd = sqrt(v_p);
    *s = s_q / *sd;
    return REC_OK;
}

rec_status rec_rs_encode_gauss(rec_rs_sampler sampler, double m, double v_p, double mu_q,
                               double s_q, const rec_key *key, uint64_t max_steps,
                               rec_gprs_bnb_model *model, rec_rc_encoder *enc,
                               rec_rs_result *out)
{
    double sd, s, mu;
    rec_status st = standardize(m, v_p, s_q, &sd, &s);

    if (st != REC_OK || !isfinite(mu_q) || out == NULL)
        return REC_ERR_INVALID_ARG;
    mu = (mu_q - m) / sd;
    switch (sampler) {
    case REC_RS_PFR:
        st = rec_pfr_encode(mu, s, key, max_steps, enc, out);
        break;
    case REC_RS_GPRS:
        st = rec_gprs_encode(mu, s, key, max_steps, enc, out);
        break;
    case REC_RS_GPRS_BNB:
        st = rec_gprs_bnb_encode(mu, s, key, max_steps, model, enc, out);
        break;
    default:
        return REC_ERR_INVALID_ARG;
    }
    if (st == REC_OK)
        out->x = m + sd * out->x;
    return st;
}

rec_status rec_rs_decode_gauss(rec_rs_sampler sampler, double m, double v_p, double s_q,
                               const rec_key *key, rec_gprs_bnb_model *model,
                               rec_rc_decoder *dec, double *x)
{
    double sd, s, xs = 0.0;
    rec_status st = standardize(m, v_p, s_q, &sd, &s);

    if (st != REC_OK || x == NULL)
        return REC_ERR_INVALID_ARG;
    switch (sampler) {
    case REC_RS_PFR:
        st = rec_pfr_decode(s, key, dec, &xs);
        break;
    case REC_RS_GPRS:
        st = rec_gprs_decode(s, key, dec, &xs);
        break;
    case REC_RS_GPRS_BNB:
        st = rec_gprs_bnb_decode(s, key, model, dec, &xs);
        break;
    default:
        return REC_ERR_INVALID_ARG;
    }
    if (st == REC_OK)
        *x = m + sd * xs;
    return st;
}
