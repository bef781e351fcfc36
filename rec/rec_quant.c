/* rec/rec_quant.c - coding the bin index of a randomized quantizer with the
 * exact bin pmf of the source prior (shared by uq and lrq).
 *
 * Bin k of a quantizer with step D and offset u holds the source values
 * y in [D(k - u - 1/2), D(k - u + 1/2)), so P(K = k) = G(e(k + 1)) - G(e(k))
 * with G the prior CDF and e(k) = (D(k - u - 1/2) - mean) / scale the
 * standardized bin edge.  H[K | u] coded this way equals the information
 * the quantizer carries (DESIGN.md 3.3, 3.4).
 *
 * Integer model, identical in encoder and decoder and O(1) per symbol:
 *   window   bins k_lo..k_hi covering mean +- c*scale (c = 9 Gaussian,
 *            40 Laplace; tail mass < 2^-60), with one escape symbol below
 *            and one above; an escaped K is sent as its distance to the
 *            window, Elias-gamma coded.
 *   top      cumulative count C(j) = 1 + j + floor(S G(e(k_lo + j))) for the
 *            window's j-th boundary, S = 2^16 - 2 - n: every bin gets at least
 *            one count (the floor), the escapes at least one each.
 *   buckets  windows with more than 256 bins are split into at most 256
 *            buckets of 2^b bins; the bucket is coded with the formula above
 *            and the bin inside it with the conditional counts
 *            r + floor((2^16 - m) (G(e_r) - G(e_0)) / (G(e_m) - G(e_0))),
 *            recursively.
 * Monotonicity of the counts rests on rec_Phi being monotone at the spacing
 * of bin edges; steps below 1e-9 prior scales (never met in practice; lrq
 * reaches them with probability < 1e-25) use a flat code instead: the
 * signed distance to the bin of the prior mean, Elias-gamma coded.
 * The decoder locates a symbol by binary search over the same counts.
 */
#include "rec.h"

#include <math.h> /* isfinite only */

#define TOTAL_BITS 16
#define TOTAL (1u << TOTAL_BITS)
#define NMAX 256
#define MIN_STEP_REL 1e-9
#define MAX_REL ((double)((int64_t)1 << 50))

typedef struct {
    int laplace;
    double mean, inv_scale;
    double step, u;
} binctx;

/* standardized CDF of the prior at the lower edge of bin k */
static double edge_cdf(const binctx *c, int64_t k)
{
    const double z = (c->step * (((double)k - c->u) - 0.5) - c->mean) * c->inv_scale;
    if (c->laplace)
        return z < 0 ? 0.5 * rec_exp(z) : 1.0 - 0.5 * rec_exp(-z);
    return rec_Phi(z);
}

static int64_t floor_i64(double v)
{
    int64_t i = (int64_t)v;
    if ((double)i > v)
        i--;
    return i;
}

/* bin holding value v */
static int64_t bin_of(const binctx *c, double v)
{
    return floor_i64(v / c->step + c->u + 0.5);
}

/* ---- conditional levels ------------------------------------------------
 * Bins [a, a + m) with edge CDF values ga = G(e(a)), gm = G(e(a + m)).
 * Symbol r in [0, m): cumulative count cond_cum(r). */
typedef struct {
    int64_t a, m;
    int b;         /* bucket size 2^b (0: the symbols are bins) */
    int64_t nsym;  /* number of symbols at this level */
    double ga, gm;
    uint32_t s;
} level;

static void level_setup(level *L, int64_t a, int64_t m, double ga, double gm)
{
    L->a = a;
    L->m = m;
    L->ga = ga;
    L->gm = gm;
    L->b = 0;
    while ((m + ((int64_t)1 << L->b) - 1) >> L->b > NMAX)
        L->b++;
    L->nsym = (m + ((int64_t)1 << L->b) - 1) >> L->b;
    L->s = TOTAL - (uint32_t)L->nsym;
}

/* G at the lower edge of symbol r (r may equal nsym: the end) */
static double level_edge(const binctx *c, const level *L, int64_t r)
{
    int64_t k;
    if (r <= 0)
        return L->ga;
    if (r >= L->nsym)
        return L->gm;
    k = L->a + (r << L->b);
    return edge_cdf(c, k);
}

static uint32_t level_cum(const level *L, int64_t r, double g)
{
    const double d = L->gm - L->ga;
    double ratio;
    if (r <= 0)
        return 0;
    if (r >= L->nsym)
        return TOTAL;
    ratio = d > 0 ? (g - L->ga) / d : (double)r / (double)L->nsym;
    if (ratio > 1)
        ratio = 1;
    if (!(ratio >= 0))
        ratio = 0;
    return (uint32_t)r + (uint32_t)(L->s * ratio);
}

static void level_child(const binctx *c, const level *L, int64_t r, double g0, double g1, level *out)
{
    const int64_t a = L->a + (r << L->b);
    int64_t m = (int64_t)1 << L->b;
    if (a + m > L->a + L->m)
        m = L->a + L->m - a;
    (void)c;
    level_setup(out, a, m, g0, g1);
}

static void encode_levels(rec_rc_encoder *e, const binctx *c, level L, int64_t k)
{
    for (;;) {
        const int64_t r = (k - L.a) >> L.b;
        const double g0 = level_edge(c, &L, r), g1 = level_edge(c, &L, r + 1);
        const uint32_t c0 = level_cum(&L, r, g0), c1 = level_cum(&L, r + 1, g1);
        level next;
        rec_rc_encode_freq(e, c0, c1 - c0, TOTAL_BITS);
        if (L.b == 0)
            return;
        level_child(c, &L, r, g0, g1, &next);
        L = next;
    }
}

/* Finds r with cum(r) <= t < cum(r + 1); returns r and its edge CDFs. */
static int64_t search_level(const binctx *c, const level *L, uint32_t t, double *g0, double *g1)
{
    int64_t lo = 0, hi = L->nsym; /* cum(lo) <= t < cum(hi) */
    double glo = L->ga, ghi = L->gm;
    while (hi - lo > 1) {
        const int64_t mid = lo + (hi - lo) / 2;
        const double g = level_edge(c, L, mid);
        if (level_cum(L, mid, g) <= t) {
            lo = mid;
            glo = g;
        } else {
            hi = mid;
            ghi = g;
        }
    }
    *g0 = glo;
    *g1 = ghi;
    return lo;
}

static int64_t decode_levels(rec_rc_decoder *d, const binctx *c, level L)
{
    for (;;) {
        double g0, g1;
        const uint32_t t = rec_rc_decode_target(d, TOTAL_BITS);
        const int64_t r = search_level(c, &L, t, &g0, &g1);
        const uint32_t c0 = level_cum(&L, r, g0), c1 = level_cum(&L, r + 1, g1);
        level next;
        rec_rc_decode_consume(d, c0, c1 - c0, TOTAL_BITS);
        if (L.b == 0)
            return L.a + r;
        level_child(c, &L, r, g0, g1, &next);
        L = next;
    }
}

/* ---- top level: window plus two escapes -------------------------------- */

typedef struct {
    int64_t k_lo, n;
    int b;
    int64_t nsym;
    uint32_t s;
} window;

static uint32_t top_cum(const window *w, int64_t j, double g)
{
    /* boundary j in [0, nsym]: 1 + j + floor(S g) */
    return 1u + (uint32_t)j + (uint32_t)(w->s * g);
}

static double top_edge(const binctx *c, const window *w, int64_t j)
{
    int64_t k = w->k_lo + (j << w->b);
    if (j >= w->nsym)
        k = w->k_lo + w->n;
    return edge_cdf(c, k);
}

static rec_status setup(binctx *c, window *w, double step, double u, const rec_prior *prior)
{
    double cw;
    int64_t k_hi;
    if (!prior || !(step > 0) || !isfinite(step) || !isfinite(u) || !isfinite(prior->mean) ||
        !(prior->scale > 0) || !isfinite(prior->scale) ||
        (prior->family != REC_PRIOR_GAUSSIAN && prior->family != REC_PRIOR_LAPLACE))
        return REC_ERR_INVALID_ARG;
    c->laplace = prior->family == REC_PRIOR_LAPLACE;
    c->mean = prior->mean;
    c->inv_scale = 1.0 / prior->scale;
    c->step = step;
    c->u = u;
    if (!(prior->mean / step < MAX_REL && prior->mean / step > -MAX_REL) ||
        !(prior->scale / step < MAX_REL))
        return REC_ERR_INVALID_ARG;
    if (step < MIN_STEP_REL * prior->scale) {
        w->n = 0; /* flat code */
        return REC_OK;
    }
    cw = (c->laplace ? 40.0 : 9.0) * prior->scale;
    w->k_lo = bin_of(c, prior->mean - cw);
    k_hi = bin_of(c, prior->mean + cw);
    w->n = k_hi - w->k_lo + 1;
    w->b = 0;
    while ((w->n + ((int64_t)1 << w->b) - 1) >> w->b > NMAX)
        w->b++;
    w->nsym = (w->n + ((int64_t)1 << w->b) - 1) >> w->b;
    w->s = TOTAL - 2u - (uint32_t)w->nsym;
    return REC_OK;
}

static uint64_t zigzag(int64_t v)
{
    return v >= 0 ? (uint64_t)v << 1 : (((uint64_t)(-(v + 1))) << 1) | 1u;
}

static int64_t unzigzag(uint64_t z)
{
    return (z & 1) ? -(int64_t)(z >> 1) - 1 : (int64_t)(z >> 1);
}

rec_status rec_quant_code_bin(rec_rc_encoder *enc, int64_t k, double step, double u,
                              const rec_prior *prior)
{
    binctx c;
    window w;
    rec_status st;
    if (!enc)
        return REC_ERR_INVALID_ARG;
    st = setup(&c, &w, step, u, prior);
    if (st != REC_OK)
        return st;
    if (k > ((int64_t)1 << 52) || k < -((int64_t)1 << 52))
        return REC_ERR_INVALID_ARG;
    if (w.n == 0) {
        rec_rc_encode_uint_escape(enc, NULL, zigzag(k - bin_of(&c, prior->mean)));
    } else if (k < w.k_lo) {
        rec_rc_encode_freq(enc, 0, top_cum(&w, 0, top_edge(&c, &w, 0)), TOTAL_BITS);
        rec_rc_encode_uint_escape(enc, NULL, (uint64_t)(w.k_lo - 1 - k));
    } else if (k >= w.k_lo + w.n) {
        const uint32_t c1 = top_cum(&w, w.nsym, top_edge(&c, &w, w.nsym));
        rec_rc_encode_freq(enc, c1, TOTAL - c1, TOTAL_BITS);
        rec_rc_encode_uint_escape(enc, NULL, (uint64_t)(k - (w.k_lo + w.n)));
    } else {
        const int64_t j = (k - w.k_lo) >> w.b;
        const double g0 = top_edge(&c, &w, j), g1 = top_edge(&c, &w, j + 1);
        const uint32_t c0 = top_cum(&w, j, g0), c1 = top_cum(&w, j + 1, g1);
        rec_rc_encode_freq(enc, c0, c1 - c0, TOTAL_BITS);
        if (w.b > 0) {
            level L;
            int64_t a = w.k_lo + (j << w.b), m = (int64_t)1 << w.b;
            if (a + m > w.k_lo + w.n)
                m = w.k_lo + w.n - a;
            level_setup(&L, a, m, g0, g1);
            encode_levels(enc, &c, L, k);
        }
    }
    return enc->oom ? REC_ERR_NOMEM : REC_OK;
}

rec_status rec_quant_decode_bin(rec_rc_decoder *dec, double step, double u,
                                const rec_prior *prior, int64_t *k_out)
{
    binctx c;
    window w;
    rec_status st;
    int64_t k;
    if (!dec || !k_out)
        return REC_ERR_INVALID_ARG;
    st = setup(&c, &w, step, u, prior);
    if (st != REC_OK)
        return st;
    if (w.n == 0) {
        k = bin_of(&c, prior->mean) +
            unzigzag(rec_rc_decode_uint_escape(dec, NULL) & (((uint64_t)1 << 54) - 1));
    } else {
        const uint32_t t = rec_rc_decode_target(dec, TOTAL_BITS);
        const double gl = top_edge(&c, &w, 0), gh = top_edge(&c, &w, w.nsym);
        const uint32_t cl = top_cum(&w, 0, gl), ch = top_cum(&w, w.nsym, gh);
        if (t < cl) {
            rec_rc_decode_consume(dec, 0, cl, TOTAL_BITS);
            k = w.k_lo - 1 - (int64_t)(rec_rc_decode_uint_escape(dec, NULL) & (((uint64_t)1 << 53) - 1));
        } else if (t >= ch) {
            rec_rc_decode_consume(dec, ch, TOTAL - ch, TOTAL_BITS);
            k = w.k_lo + w.n + (int64_t)(rec_rc_decode_uint_escape(dec, NULL) & (((uint64_t)1 << 53) - 1));
        } else {
            int64_t lo = 0, hi = w.nsym;
            double glo = gl, ghi = gh;
            while (hi - lo > 1) {
                const int64_t mid = lo + (hi - lo) / 2;
                const double g = top_edge(&c, &w, mid);
                if (top_cum(&w, mid, g) <= t) {
                    lo = mid;
                    glo = g;
                } else {
                    hi = mid;
                    ghi = g;
                }
            }
            rec_rc_decode_consume(dec, top_cum(&w, lo, glo), top_cum(&w, lo + 1, ghi) - top_cum(&w, lo, glo),
                                  TOTAL_BITS);
            if (w.b > 0) {
                level L;
                int64_t a = w.k_lo + (lo << w.b), m = (int64_t)1 << w.b;
                if (a + m > w.k_lo + w.n)
                    m = w.k_lo + w.n - a;
                level_setup(&L, a, m, glo, ghi);
                k = decode_levels(dec, &c, L);
            } else {
                k = w.k_lo + lo;
            }
        }
    }
    *k_out = k;
    return rec_rc_decoder_error(dec) ? REC_ERR_CORRUPT : REC_OK;
}
