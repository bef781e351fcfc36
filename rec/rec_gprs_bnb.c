/* rec/rec_gprs_bnb.c - branch-and-bound greedy Poisson rejection sampling (split on sample).
 *
 * Paper: G. Flamich, "Greedy Poisson Rejection Sampling", NeurIPS 2023, the branch-and-bound
 * variant for unimodal density ratios on R (DESIGN 3.2):
 *     B = R, T = 0, H = 1
 *     loop: T += Exp(1) / P(B);  X ~ P|B;  if T < sigma(r(X)) return (H, X)
 *           if X < x*: B = B & (X, inf), H = 2H + 1   else B = B & (-inf, X), H = 2H
 * X ~ Q exactly.  The stretch function sigma and the accept test are those of rec_gprs.c.
 *
 * Shared randomness: one Philox block rec_prng_u64x2(item_seed, REC_RS_STREAM_X, H) per heap
 * node H; its first word gives the uniform whose inverse-CDF image under P restricted to
 * the node interval is the node's sample, its second word the encoder's Exp(1) increment
 * (independent of the first, as the algorithm requires).  Hence the decoder, replaying the path, draws the very same X at every node.  Node intervals
 * are carried as tail masses (F = Phi(x), G = 1 - Phi(x)) of their ends, and every draw
 * works in whichever tail is accurate, so deep right-tail nodes keep full precision.
 *
 * Coded: the heap path through the model of rec_index.c (per node a stop bit, adaptive in
 * contexts of information bucket, depth, width / s and centrality of the sample; then a
 * direction bit with the probability of the channel-setting prior of the mode).  Encoder
 * and decoder compute the contexts from the same node data.  Depth is capped at
 * REC_RS_BNB_MAX_DEPTH = 110: the encoder reports REC_ERR_STEP_CAP beyond it (in the
 * channel setting the depth is about 1.34 I; |mu| = 8 prior sd at s = 0.5 needs about
 * 35 +- 8), the decoder REC_ERR_CORRUPT.
 */
#include <math.h> /* isfinite, INFINITY, sqrt (correctly rounded by IEEE 754) */
#include <stddef.h>

#include "rec.h"
#include "rec_rs_internal.h"

#define DBL_MIN_NORMAL 2.2250738585072014e-308

/* Lower-tail N(0,1) quantile for p in (0, 1/2]: Acklam's rational approximation (relative
 * error < 1.2e-9) and one Halley step on rec_Phi, which brings it to full double accuracy.
 * About 5x cheaper than rec_Phi_inv (two Halley steps from a cruder start), and built only
 * from rec_math and IEEE arithmetic, so encoder and decoder agree bit for bit. */
static double lower_quantile(double p)
{
    static const double a[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                -2.759285104469687e+02, 1.383577518672690e+02,
                                -3.066479806614716e+01, 2.506628277459239e+00};
    static const double b[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                -1.556989798598866e+02, 6.680131188771972e+01,
                                -1.328068155288572e+01};
    static const double c[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                -2.400758277161838e+00, -2.549732539343734e+00,
                                4.374664141464968e+00, 2.938163982698783e+00};
    static const double d[4] = {7.784695709041462e-03, 3.224671290700398e-01,
                                2.445134137142996e+00, 3.754408661907416e+00};
    double x, e, u;

    if (p < 0.02425) {
        const double q = sqrt(-2.0 * rec_log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else {
        const double q = p - 0.5, r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    }
    /* Halley: x -= u / (1 + x u / 2), u = (Phi(x) - p) / phi(x) */
    e = rec_Phi(x) - p;
    u = e / rec_phi(x);
    if (u == u && u - u == 0.0) /* finite */
        x = x - u / (1.0 + 0.5 * x * u);
    return x;
}

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
    w->lo.x = w->lo.z = -(double)INFINITY;
    w->lo.F = w->lo.zF = 0.0;
    w->lo.G = w->lo.zG = 1.0;
    w->hi.x = w->hi.z = (double)INFINITY;
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
        e->x = -lower_quantile(gt);
        e->G = gt;
        e->F = 1.0 - gt;
    } else {
        if (!(ft > DBL_MIN_NORMAL))
            ft = DBL_MIN_NORMAL;
        e->x = lower_quantile(ft);
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

/* Heap index of up to 127 bits (depth <= REC_RS_BNB_MAX_DEPTH < 119).  Node H draws from
 * PRNG stream REC_RS_STREAM_X ^ (H_hi << 8) at index H_lo: injective in H, and the low
 * byte of the stream stays that of REC_RS_STREAM_X. */
typedef struct {
    uint64_t hi, lo;
} heap_index;

static void heap_child(heap_index *h, int right)
{
    h->hi = (h->hi << 1) | (h->lo >> 63);
    h->lo = (h->lo << 1) | (uint64_t)(right != 0);
}

static void node_bits(uint64_t seed, const heap_index *h, uint64_t bits[2])
{
    rec_prng_u64x2(seed, REC_RS_STREAM_X ^ (h->hi << 8), h->lo, bits);
}

rec_status rec_gprs_bnb_encode(double mu, double s, const rec_key *key, uint64_t max_steps,
                               rec_gprs_bnb_model *model, rec_rc_encoder *enc,
                               rec_rs_result *out)
{
    rec_rs_target t;
    rec_status st;
    walker w;
    heap_index h = {0, 1};
    uint64_t seed;
    unsigned depth, ib, final_depth;
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
        uint64_t bits[2];
        if ((uint64_t)depth >= max_steps || depth > REC_RS_BNB_MAX_DEPTH) {
            out->steps = depth;
            out->code = 0;
            out->x = 0.0;
            return REC_ERR_STEP_CAP;
        }
        node_bits(seed, &h, bits);
        T += -rec_log(rec_prng_bits_to_uniform(bits[1])) / mass;
        walker_sample(&w, mass, rec_prng_bits_to_uniform(bits[0]), &e);
        if (coding) {
            dir_p0[depth] = walker_dir_p0(&w, &e);
            stop_ctx[depth] =
                (unsigned char)rec_rs_path_stop_ctx(depth, w.lo.x, w.hi.x, s, dir_p0[depth]);
        }
        if (rec_rs_gprs_accept(&t, T, rec_rs_log_r(&t, e.x), NULL))
            break;
        dir[depth] = e.x < t.xs; /* 1: the mode is right of X, keep (X, hi) */
        if (dir[depth])
            w.lo = e;
        else
            w.hi = e;
        heap_child(&h, dir[depth]);
    }
    final_depth = depth;
    out->x = e.x;
    out->steps = (uint64_t)final_depth + 1;
    out->code = h.lo;
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
    heap_index h = {0, 1};
    uint64_t seed;
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
        uint64_t bits[2];
        uint32_t p0;
        int right;
        node_bits(seed, &h, bits);
        walker_sample(&w, mass, rec_prng_bits_to_uniform(bits[0]), &e);
        p0 = walker_dir_p0(&w, &e);
        if (rec_rc_decode_bit(dec,
                              &model->stop[ib][rec_rs_path_stop_ctx(depth, w.lo.x, w.hi.x, s, p0)])) {
            if (rec_rc_decoder_error(dec))
                return REC_ERR_CORRUPT;
            *x = e.x;
            return REC_OK;
        }
        if (rec_rc_decoder_error(dec) || depth == REC_RS_BNB_MAX_DEPTH)
            break;
        right = rec_rc_decode_bit_p(dec, p0);
        if (right)
            w.lo = e;
        else
            w.hi = e;
        heap_child(&h, right);
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
