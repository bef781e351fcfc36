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
 *            window's inner boundaries 0 < j < n, S = 2^16 - 2 - n, and
 *            C(0) = 1, C(n) = 2^16 - 1: every bin gets at least one count
 *            (the floor), each escape exactly one.
 *   buckets  windows with more than 256 bins are split into at most 256
 *            buckets of 2^b bins; the bucket is coded with the formula above
 *            and the bin inside it with the conditional counts
 *            r + floor((2^16 - m) (G(e_r) - G(e_0)) / (G(e_m) - G(e_0))),
 *            recursively.
 * Monotonicity of the counts rests on rec_Phi being monotone at the spacing
 * of bin edges; steps below 1e-9 prior scales (never met in practice; lrq
 * reaches them with probability < 1e-25) use a flat code instead: the
 * signed distance to the bin of the prior mean, Elias-gamma coded.
 * The decoder locates a symbol by searching the same counts (hint + gallop).
 *
 * That is revision WINDOW.  Revision CLOSED (the second half of this file,
 * header flags bit 0 of .rec files) gives every edge a closed-form count for
 * Laplace priors and falls back to WINDOW for what it does not cover.
 */
#include "rec.h"
#include "rec_fast.h"
#include "rec_fast_internal.h" /* rec_fast_exp_neg_body; REC_HINTLOG_INIT */
#include "rec_quant_internal.h"
#include "rec_rc_internal.h" /* rec_rc_encode_freq16 etc. */

#include <math.h> /* isfinite, sqrt (IEEE correctly rounded) */
#include <string.h>

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

/* edge_cdf at k0 and k1 together (bit-identical to two calls) */
static void edge_cdf_pair(const binctx *c, int64_t k0, int64_t k1, double *g0, double *g1)
{
    if (c->laplace) {
        *g0 = edge_cdf(c, k0);
        *g1 = edge_cdf(c, k1);
    } else {
        const double z0 = (c->step * (((double)k0 - c->u) - 0.5) - c->mean) * c->inv_scale;
        const double z1 = (c->step * (((double)k1 - c->u) - 0.5) - c->mean) * c->inv_scale;
        rec_Phi_pair(z0, z1, g0, g1);
    }
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

/* level_edge at r and r + 1 together */
static void level_edge_pair(const binctx *c, const level *L, int64_t r, double *g0, double *g1)
{
    if (r > 0 && r + 1 < L->nsym) {
        edge_cdf_pair(c, L->a + (r << L->b), L->a + ((r + 1) << L->b), g0, g1);
    } else {
        *g0 = level_edge(c, L, r);
        *g1 = level_edge(c, L, r + 1);
    }
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
        double g0, g1;
        uint32_t c0, c1;
        level next;
        level_edge_pair(c, &L, r, &g0, &g1);
        c0 = level_cum(&L, r, g0);
        c1 = level_cum(&L, r + 1, g1);
        rec_rc_encode_freq(e, c0, c1 - c0, TOTAL_BITS);
        if (L.b == 0)
            return;
        level_child(c, &L, r, g0, g1, &next);
        L = next;
    }
}

/* ---- decoder search -----------------------------------------------------
 * The decoder needs the symbol j with cum(j) <= t < cum(j + 1).  The counts
 * are monotone, so any search finds the same j; a hint (from an approximate
 * inverse CDF) followed by galloping and bisection costs about two CDF
 * evaluations when the hint is right, log2(n) at worst. */
typedef struct window window;
static double top_edge(const binctx *c, const window *w, int64_t j);
static void top_edge_pair(const binctx *c, const window *w, int64_t j, double *g0, double *g1);
static uint32_t top_cum(const window *w, int64_t j, double g);

static double src_edge(const binctx *c, const level *L, const window *w, int64_t j)
{
    return L ? level_edge(c, L, j) : top_edge(c, w, j);
}

static uint32_t src_cum(const level *L, const window *w, int64_t j, double g)
{
    return L ? level_cum(L, j, g) : top_cum(w, j, g);
}

/* Requires cum(0) <= t < cum(n), glo = edge(0), ghi = edge(n). */
static int64_t gallop(const binctx *c, const level *L, const window *w, int64_t n, uint32_t t,
                      int64_t hint, double glo, double ghi, double *g0, double *g1)
{
    int64_t lo = 0, hi = n, step;
    int up = 0, down = 0;
    if (hint > 0 && hint + 1 < n) {
        /* the usual case, a right hint: both of its edges at once */
        double gh0, gh1;
        if (L)
            level_edge_pair(c, L, hint, &gh0, &gh1);
        else
            top_edge_pair(c, w, hint, &gh0, &gh1);
        if (src_cum(L, w, hint, gh0) <= t) {
            if (src_cum(L, w, hint + 1, gh1) > t) {
                *g0 = gh0;
                *g1 = gh1;
                return hint;
            }
            lo = hint + 1;
            glo = gh1;
            up = 1;
        } else {
            hi = hint;
            ghi = gh0;
            down = 1;
        }
    } else if (hint > 0 && hint < n) {
        const double g = src_edge(c, L, w, hint);
        if (src_cum(L, w, hint, g) <= t) {
            lo = hint;
            glo = g;
            up = 1;
        } else {
            hi = hint;
            ghi = g;
            down = 1;
        }
    }
    if (up) {
        for (step = 1; lo + step < hi; step <<= 1) {
            const double gp = src_edge(c, L, w, lo + step);
            if (src_cum(L, w, lo + step, gp) > t) {
                hi = lo + step;
                ghi = gp;
                break;
            }
            lo += step;
            glo = gp;
        }
    } else if (down) {
        for (step = 1; hi - step > lo; step <<= 1) {
            const double gp = src_edge(c, L, w, hi - step);
            if (src_cum(L, w, hi - step, gp) <= t) {
                lo = hi - step;
                glo = gp;
                break;
            }
            hi -= step;
            ghi = gp;
        }
    }
    while (hi - lo > 1) {
        const int64_t mid = lo + (hi - lo) / 2;
        const double g = src_edge(c, L, w, mid);
        if (src_cum(L, w, mid, g) <= t) {
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
        const int64_t hint = (int64_t)(((uint64_t)t * (uint64_t)L.nsym) >> TOTAL_BITS);
        const int64_t r = gallop(c, &L, NULL, L.nsym, t, hint, L.ga, L.gm, &g0, &g1);
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

struct window {
    int64_t k_lo, n;
    int b;
    int64_t nsym;
    uint32_t s;
};

static uint32_t top_cum(const window *w, int64_t j, double g)
{
    /* boundary j in [0, nsym]; the outer boundaries are fixed so that each
     * escape has exactly one count whatever the CDF values */
    if (j <= 0)
        return 1u;
    if (j >= w->nsym)
        return TOTAL - 1u;
    return 1u + (uint32_t)j + (uint32_t)(w->s * g);
}

static double top_edge(const binctx *c, const window *w, int64_t j)
{
    int64_t k = w->k_lo + (j << w->b);
    if (j >= w->nsym)
        k = w->k_lo + w->n;
    return edge_cdf(c, k);
}

/* Natural log of x (normal, > 0) to about 8e-6 absolute, for search hints only:
 * x = 2^e (1 + j/256 + r) with j the top 8 mantissa bits and 0 <= r < 1/256,
 * log x ~ e ln2 + log(1 + j/256) + r / (1 + j/256) from a table (rec_fast_tables.inc).
 * No division: in the decoder the hint sits between the range decoder's target and
 * the candidate's counts (speed, issue 8); the hint only decides where the search
 * starts, never its result. */
static const double hint_log_tab[256][2] = REC_HINTLOG_INIT;

static double hint_log(double x)
{
    uint64_t b;
    double m;
    int e, j;
    memcpy(&b, &x, sizeof b);
    e = (int)((b >> 52) & 0x7FF) - 1023;
    j = (int)((b >> 44) & 0xFF);
    b = (b & 0x00000FFFFFFFFFFFu) | 0x3FF0000000000000u;   /* 1 + r */
    memcpy(&m, &b, sizeof m);
    return (double)e * 0.69314718055994530942 + hint_log_tab[j][0] + (m - 1.0) * hint_log_tab[j][1];
}

/* Approximate symbol for target t: invert 1 + j + S G(e_j) ~ t ignoring j,
 * with a cheap inverse CDF (Abramowitz & Stegun 26.2.23 for the Gaussian,
 * |error| < 4.5e-4, with hint_log).  Only a search hint: any value gives the
 * same result. */
static int64_t top_hint(const binctx *c, const window *w, uint32_t t)
{
    double g = ((double)t - 1.0) / (double)w->s, z, q;
    int64_t j;
    if (!(g > 1e-300))
        g = 1e-300;
    if (g > 1.0 - 1e-16)
        g = 1.0 - 1e-16;
    q = g < 0.5 ? g : 1.0 - g;
    if (c->laplace) {
        z = -hint_log(2.0 * q);
    } else {
        const double r = sqrt(-2.0 * hint_log(q));
        z = r - (2.515517 + r * (0.802853 + r * 0.010328)) /
                    (1.0 + r * (1.432788 + r * (0.189269 + r * 0.001308)));
    }
    if (g < 0.5)
        z = -z;
    j = (bin_of(c, c->mean + z / c->inv_scale) - w->k_lo) >> w->b;
    return j < 0 ? 0 : j >= w->nsym ? w->nsym - 1 : j;
}

/* top_edge at j and j + 1 together */
static void top_edge_pair(const binctx *c, const window *w, int64_t j, double *g0, double *g1)
{
    int64_t k0 = w->k_lo + (j << w->b), k1 = w->k_lo + ((j + 1) << w->b);
    if (j >= w->nsym)
        k0 = w->k_lo + w->n;
    if (j + 1 >= w->nsym)
        k1 = w->k_lo + w->n;
    edge_cdf_pair(c, k0, k1, g0, g1);
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
    if (!((fabs(prior->mean) + cw) / step < 4.0 * MAX_REL))
        return REC_ERR_INVALID_ARG; /* window beyond exact integer bin indices */
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
        rec_rc_encode_freq(enc, 0, 1, TOTAL_BITS);
        rec_rc_encode_uint_escape(enc, NULL, (uint64_t)(w.k_lo - 1 - k));
    } else if (k >= w.k_lo + w.n) {
        rec_rc_encode_freq(enc, TOTAL - 1u, 1, TOTAL_BITS);
        rec_rc_encode_uint_escape(enc, NULL, (uint64_t)(k - (w.k_lo + w.n)));
    } else {
        const int64_t j = (k - w.k_lo) >> w.b;
        /* CDF values are needed for interior boundaries and for buckets */
        const int need0 = j > 0 || w.b > 0, need1 = j + 1 < w.nsym || w.b > 0;
        double g0 = 0.0, g1 = 1.0;
        uint32_t c0, c1;
        if (need0 && need1)
            top_edge_pair(&c, &w, j, &g0, &g1);
        else if (need0)
            g0 = top_edge(&c, &w, j);
        else if (need1)
            g1 = top_edge(&c, &w, j + 1);
        c0 = top_cum(&w, j, g0);
        c1 = top_cum(&w, j + 1, g1);
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
        if (t < 1u) {
            rec_rc_decode_consume(dec, 0, 1, TOTAL_BITS);
            k = w.k_lo - 1 - (int64_t)(rec_rc_decode_uint_escape(dec, NULL) & (((uint64_t)1 << 53) - 1));
        } else if (t >= TOTAL - 1u) {
            rec_rc_decode_consume(dec, TOTAL - 1u, 1, TOTAL_BITS);
            k = w.k_lo + w.n + (int64_t)(rec_rc_decode_uint_escape(dec, NULL) & (((uint64_t)1 << 53) - 1));
        } else {
            /* edge CDFs of the whole window matter only to bucket levels, and only
               when the symbol found is the first or last bucket: -1 marks "not
               evaluated" (top_cum ignores g at the outer boundaries; the search
               only carries these values) */
            double glo, ghi;
            const int64_t lo =
                gallop(&c, NULL, &w, w.nsym, t, top_hint(&c, &w, t), -1.0, -1.0, &glo, &ghi);
            const uint32_t c0 = top_cum(&w, lo, glo), c1 = top_cum(&w, lo + 1, ghi);
            rec_rc_decode_consume(dec, c0, c1 - c0, TOTAL_BITS);
            if (w.b > 0) {
                level L;
                int64_t a = w.k_lo + (lo << w.b), m = (int64_t)1 << w.b;
                if (glo < 0.0)
                    glo = top_edge(&c, &w, 0);
                if (ghi < 0.0)
                    ghi = top_edge(&c, &w, w.nsym);
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

/* ---- revision CLOSED: closed-form counts for a Laplace prior ---------------
 *
 * Why: the window coder above spends most of its time building its window,
 * its buckets and (decoder) searching them, and the codec then recomputes the
 * same edge exponentials for its feedback.  Here every count is a closed-form
 * function of one edge, so coding a bin costs the exponentials of its two
 * edges, which the caller gets back (rec_quant_edges).
 *
 * Model, identical in encoder and decoder.  Standardized edge of bin k (its
 * lower edge; k + 1 gives the upper one):
 *     z(k) = (step * ((k - u) - 1/2) - mean) * (1 / scale)
 *     E(k) = rec_exp(-|z(k)|),   F(k) = E(k) / 2 if z(k) < 0, else 1 - E(k) / 2
 * (the Laplace CDF).  Window: with m = mean / step + u + 1/2 and
 * w = CF_C * scale / step, k_lo = floor(m - w), k_hi = floor(m + w),
 * n = k_hi - k_lo + 1 bins (mean +- CF_C scales: outside it the Laplace
 * mass is 2^-18.3 and every bin gets its one floor count anyway).  Counts out
 * of T = 2^16, S = T - 2 - n:
 *     cum(k_lo) = 1,  cum(k_hi + 1) = T - 1,
 *     cum(k) = 1 + (k - k_lo) + floor(S F(k))    for k_lo < k <= k_hi,
 * [0, 1) escapes below the window, [T - 1, T) above (the distance to the
 * window follows, Elias-gamma coded, as in the window coder).  F is
 * non-decreasing in k (IEEE operations are monotone, rec_exp is accurate to
 * a few ulp and consecutive z differ by step / scale > 1/43 here), so every
 * bin has at least one count and the counts partition [0, T).
 * Decoder: target t in [1, T - 1) is inverted approximately, F ~ (t - 1/2) /
 * (T - 2) (the floor counts spread like F), through the Laplace quantile with a
 * cheap log; the candidate's two counts are then checked, and a wrong
 * candidate is followed by one step of +-1 and bisection over the remaining
 * bins, all with the same cum(), so the result is the encoder's bin for any t.
 * Not covered (the WINDOW coder is used instead, decided from the same
 * inputs): Gaussian priors, w >= (REC_QUANT_CF_NMAX - 2) / 2, |m| >= 2^40,
 * step or scale outside (2^-60, 2^60).
 * A prior that is a mixture of Laplace densities fits the same scheme: F(k)
 * becomes the weighted sum of the components' CDFs (one rec_exp each) and the
 * inversion only needs to be a good guess. */
#define CF_C 12.0
#define CF_MREL ((double)((int64_t)1 << 40))
#define CF_HUGE ((double)((int64_t)1 << 60))
#define CF_TINY (1.0 / CF_HUGE)

typedef struct {
    double step, u, mean, inv_scale;
    double m, bs;          /* mean / step + u + 1/2 and scale / step (decoder's guess) */
    int64_t k_lo, k_hi;
    uint32_t s;
    int fast;              /* revision FAST: E(k) from rec_exp_neg_fast */
    double tail;           /* every E(k) times tail (1: the plain Laplace; the deadzone
                              uq's g-prior (1 - tail) delta_mean + tail Laplace otherwise) */
} cfctx;

/* 1: covered (ctx filled); 0: use the WINDOW coder */
static inline int cf_setup(cfctx *c, double step, double u, const rec_prior *prior, int fast)
{
    double inv_step, m, w, bs;
    /* the comparisons also refuse NaN and infinities (a NaN or infinite u or mean
       makes m NaN or infinite below); with step and scale in (2^-60, 2^60) and
       |m| < 2^40 every z(k) of the window is finite, so the counts never see a
       NaN (the WINDOW coder handles the rest) */
    if (!prior || prior->family != REC_PRIOR_LAPLACE || !(step > CF_TINY && step < CF_HUGE) ||
        !(prior->scale > CF_TINY && prior->scale < CF_HUGE))
        return 0;
    inv_step = 1.0 / step;
    bs = prior->scale * inv_step;
    w = CF_C * bs;
    m = prior->mean * inv_step + u + 0.5;
    if (!(w < 0.5 * (REC_QUANT_CF_NMAX - 2)) || !(m < CF_MREL && m > -CF_MREL))
        return 0;
    c->step = step;
    c->u = u;
    c->mean = prior->mean;
    c->inv_scale = 1.0 / prior->scale;
    c->m = m;
    c->bs = bs;
    c->k_lo = floor_i64(m - w);
    c->k_hi = floor_i64(m + w);
    c->s = TOTAL - 2u - (uint32_t)(c->k_hi - c->k_lo + 1);
    c->fast = fast;
    c->tail = 1.0;
    return 1;
}

/* E(k) (see above) and the count of edge k for k_lo < k <= k_hi */
static uint32_t cf_cum(const cfctx *c, int64_t k, double *e)
{
    const double z = (c->step * (((double)k - c->u) - 0.5) - c->mean) * c->inv_scale;
    double f;
    if (c->fast)
        *e = rec_fast_exp_neg_body(fabs(z));   /* = z < 0 ? -z : z here: +-0 give 1 alike */
    else
        *e = rec_exp(z < 0 ? z : -z);
    if (c->tail != 1.0)
        *e *= c->tail;
    f = z < 0 ? 0.5 * *e : 1.0 - 0.5 * *e;
    return 1u + (uint32_t)(k - c->k_lo) + (uint32_t)((double)c->s * f);
}

/* cf_cum of the edges k and k + 1 together, with their E in e[0], e[1]: the same
   expressions, the two exponentials in one rec_exp_x2 (bit for bit rec_exp; speed) */
static inline void cf_cum_pair(const cfctx *c, int64_t k, uint32_t cum[2], double e[2], double tail)
{
    const double z0 = (c->step * (((double)k - c->u) - 0.5) - c->mean) * c->inv_scale;
    const double z1 = (c->step * (((double)(k + 1) - c->u) - 0.5) - c->mean) * c->inv_scale;
    double a[2], f0, f1;
    if (c->fast) {
        e[0] = rec_fast_exp_neg_body(fabs(z0));   /* as in cf_cum */
        e[1] = rec_fast_exp_neg_body(fabs(z1));
    } else {
        a[0] = z0 < 0 ? z0 : -z0;
        a[1] = z1 < 0 ? z1 : -z1;
        rec_exp_x2(a, e);
    }
    if (tail != 1.0) {   /* the deadzone uq; a constant 1 on the plain paths folds this away */
        e[0] *= tail;
        e[1] *= tail;
    }
    f0 = z0 < 0 ? 0.5 * e[0] : 1.0 - 0.5 * e[0];
    f1 = z1 < 0 ? 0.5 * e[1] : 1.0 - 0.5 * e[1];
    cum[0] = 1u + (uint32_t)(k - c->k_lo) + (uint32_t)((double)c->s * f0);
    cum[1] = 1u + (uint32_t)(k + 1 - c->k_lo) + (uint32_t)((double)c->s * f1);
}

/* cf_cum_pair for a bin k inside the window [k_lo, k_hi], as the coder uses it: the
   window's two end bins reach down to the escapes' single counts (1 and T - 1). The edge
   exponentials are given at the window's ends too (feedback). */
static inline void cf_window_pair(const cfctx *c, int64_t k, uint32_t cum[2], double e[2], double tail)
{
    cf_cum_pair(c, k, cum, e, tail);
    if (k == c->k_lo)
        cum[0] = 1u;
    if (k == c->k_hi)
        cum[1] = TOTAL - 1u;
}

/* Codes bin k inside the window and gives its edge exponentials (cf_window_pair). */
static inline void cf_encode_in_window(rec_rc_encoder *enc, const cfctx *c, int64_t k, double tail,
                                       rec_quant_edges *ed)
{
    uint32_t cum[2];
    double e[2];
    cf_window_pair(c, k, cum, e, tail);
    rec_rc_encode_freq16(enc, cum[0], cum[1] - cum[0]);
    ed->e_lo = e[0];
    ed->e_hi = e[1];
    ed->known = 1;
}

static double cf_edge_exp(const cfctx *c, int64_t k)
{
    double e;
    (void)cf_cum(c, k, &e);
    return e;
}

static inline rec_status code_bin_cf(rec_rc_encoder *enc, int64_t k, double step, double u,
                                     const rec_prior *prior, rec_quant_edges *edges, int fast, double tail)
{
    cfctx c;
    rec_quant_edges ed = {0, 0.0, 0.0};
    if (!enc)
        return REC_ERR_INVALID_ARG;
    if (edges)
        *edges = ed;
    if (!cf_setup(&c, step, u, prior, fast))
        return tail == 1.0 ? rec_quant_code_bin(enc, k, step, u, prior) : REC_ERR_INVALID_ARG;
    c.tail = tail;
    if (k < c.k_lo) {
        if (k < -((int64_t)1 << 52))
            return REC_ERR_INVALID_ARG;
        rec_rc_encode_freq(enc, 0, 1, TOTAL_BITS);
        rec_rc_encode_uint_escape(enc, NULL, (uint64_t)(c.k_lo - 1 - k));
    } else if (k > c.k_hi) {
        if (k > ((int64_t)1 << 52))
            return REC_ERR_INVALID_ARG;
        rec_rc_encode_freq(enc, TOTAL - 1u, 1, TOTAL_BITS);
        rec_rc_encode_uint_escape(enc, NULL, (uint64_t)(k - c.k_hi - 1));
    } else {
        cf_encode_in_window(enc, &c, k, tail, &ed);
        if (edges)
            *edges = ed;
    }
    return enc->oom ? REC_ERR_NOMEM : REC_OK;
}

rec_status rec_quant_code_bin_cf(rec_rc_encoder *enc, int64_t k, double step, double u,
                                 const rec_prior *prior, rec_quant_edges *edges)
{
    return code_bin_cf(enc, k, step, u, prior, edges, 0, 1.0);
}

rec_status rec_quant_code_bin_fast(rec_rc_encoder *enc, int64_t k, double step, double u,
                                   const rec_prior *prior, rec_quant_edges *edges)
{
    return code_bin_cf(enc, k, step, u, prior, edges, 1, 1.0);
}

/* The standardized Laplace quantile z(t) of F = (t - 1/2) / (T - 2) at t = 64 i
   (rec_fast_tables.inc, rec/gen_rec_fast_tables.py), for cf_hint. */
static const double hint_z_tab[1025] = REC_HINTZ_INIT;
#define HINT_Z_LO 1024u   /* cf_hint interpolates hint_z_tab for HINT_Z_LO <= t < T - HINT_Z_LO */

/* Candidate bin for target t (1 <= t < T - 1), clamped to the window: the
   bin holding the Laplace quantile at F = (t - 1/2) / (T - 2).  A guess only.
   Away from the tails the quantile is interpolated linearly in hint_z_tab (error
   below 6e-4, a small fraction of a bin; speed, issue 8: no log); in the tails,
   where it curves, it comes from hint_log. */
static inline int64_t cf_hint_body(const cfctx *c, uint32_t t, double tail)
{
    double z, v;
    if (tail != 1.0) {   /* deadzone: the quantile of the g-prior (a guess too) */
        const double g = ((double)t - 0.5) * (1.0 / (double)(TOTAL - 2u));
        const double ht = 0.5 * tail;
        z = g < ht ? hint_log(g / ht) : g > 1.0 - ht ? -hint_log((1.0 - g) / ht) : 0.0;
    } else if (t >= HINT_Z_LO && t < TOTAL - HINT_Z_LO) {
        const uint32_t i = t >> 6;
        const double z0 = hint_z_tab[i];
        z = z0 + (hint_z_tab[i + 1] - z0) * ((double)(t & 63u) * (1.0 / 64.0));
    } else {
        const double g = ((double)t - 0.5) * (1.0 / (double)(TOTAL - 2u));
        z = g < 0.5 ? hint_log(2.0 * g) : -hint_log(2.0 * (1.0 - g));
    }
    v = c->m + z * c->bs;
    if (!(v > (double)c->k_lo))
        return c->k_lo;
    if (!(v < (double)c->k_hi))
        return c->k_hi;
    return floor_i64(v);   /* in [k_lo, k_hi - 1]: k_lo < v < k_hi, both exact doubles (|k| < 2^41) */
}

/* cf_hint out of line (the general decoders: inlined there, it pushed cf_find out of
   line, docs/SPEED.md "Speed pass 11"); the unit-step decoder takes the body inline. */
static int64_t cf_hint(const cfctx *c, uint32_t t)
{
    return cf_hint_body(c, t, c->tail);
}

/* An edge seen by the decoder's search: its count, and E if computed
   (edges at the window's ends have fixed counts and need no E for them). */
typedef struct {
    int64_t k;
    uint32_t cum;
    int known;
    double e;
} cfedge;

static void cf_probe(const cfctx *c, int64_t k, cfedge *out)
{
    out->k = k;
    out->known = k > c->k_lo && k <= c->k_hi;
    out->e = 0.0;
    out->cum = out->known ? cf_cum(c, k, &out->e) : k <= c->k_lo ? 1u : TOTAL - 1u;
}

/* Narrows cum(lo) <= t < cum(hi) with a probe at k (lo < k < hi); returns
   1 if the probe became the lower end. */
static int cf_narrow(const cfctx *c, uint32_t t, int64_t k, cfedge *lo, cfedge *hi)
{
    cfedge p;
    cf_probe(c, k, &p);
    if (p.cum <= t) {
        *lo = p;
        return 1;
    }
    *hi = p;
    return 0;
}

/* The bin for target t (1 <= t < T - 1): on return cum(lo->k) <= t < cum(hi->k),
   hi->k = lo->k + 1.  Probes: the candidate's two edges, then the next edge on
   the side the target lies, then bisection; each probe costs one rec_exp.
   *probes (if not NULL) counts them (tests). */
static void cf_locate(const cfctx *c, uint32_t t, cfedge *lo, cfedge *hi, int *probes)
{
    const int64_t h = cf_hint(c, t);
    int up = 1, n = 0;
    cf_probe(c, c->k_lo, lo);
    cf_probe(c, c->k_hi + 1, hi);
    if (h > lo->k) {
        up = cf_narrow(c, t, h, lo, hi);
        n++;
    }
    if (up && h + 1 < hi->k) {
        up = cf_narrow(c, t, h + 1, lo, hi);
        n++;
    }
    if (hi->k - lo->k > 1) {
        (void)cf_narrow(c, t, up ? lo->k + 1 : hi->k - 1, lo, hi);
        n++;
    }
    while (hi->k - lo->k > 1) {
        (void)cf_narrow(c, t, lo->k + (hi->k - lo->k) / 2, lo, hi);
        n++;
    }
    if (probes)
        *probes = n;
}

/* The decoder's bin for target t (1 <= t < T - 1) with its counts [*c0, *c1)
   and edge exponentials.  The usual case costs two rec_exp: the candidate holds
   the target (the counts partition [1, T - 1), so it is the only bin that
   does); otherwise the general search, cf_locate. */
static inline int64_t cf_find(const cfctx *c, uint32_t t, uint32_t *c0, uint32_t *c1, rec_quant_edges *ed,
                       int *probes, int hint_inline, double tail)
{
    const int64_t h = hint_inline ? cf_hint_body(c, t, tail) : cf_hint(c, t);
    cfedge lo, hi;
    uint32_t cum[2];
    double e[2];
    ed->known = 1;
    /* cf_hint keeps h in [k_lo, k_hi]; E is wanted at the window's ends too. Both
       edges at once: the candidate is nearly always right (docs/SPEED.md) */
    cf_window_pair(c, h, cum, e, tail);
    if (cum[0] <= t && t < cum[1]) {
        *c0 = cum[0];
        *c1 = cum[1];
        ed->e_lo = e[0];
        ed->e_hi = e[1];
        if (probes)
            *probes = 2;
        return h;
    }
    cf_locate(c, t, &lo, &hi, probes);
    *c0 = lo.cum;
    *c1 = hi.cum;
    ed->e_lo = lo.known ? lo.e : cf_edge_exp(c, lo.k);
    ed->e_hi = hi.known ? hi.e : cf_edge_exp(c, hi.k);
    if (probes)
        *probes += 2 + !lo.known + !hi.known;   /* the fast path's tries, the ends' E */
    return lo.k;
}

/* ---- test hooks (rec_quant_internal.h) ---- */
int rec_quant_cf_window(double step, double u, const rec_prior *prior, int64_t *k_lo, int64_t *k_hi)
{
    cfctx c;
    if (!cf_setup(&c, step, u, prior, 0))   /* the window does not depend on the revision */
        return 0;
    *k_lo = c.k_lo;
    *k_hi = c.k_hi;
    return 1;
}

uint32_t rec_quant_cf_cum(double step, double u, const rec_prior *prior, int64_t k, int fast)
{
    cfctx c;
    cfedge e;
    if (!cf_setup(&c, step, u, prior, fast))
        return 0;
    cf_probe(&c, k, &e);
    return e.cum;
}

int64_t rec_quant_cf_locate(double step, double u, const rec_prior *prior, uint32_t t, int *probes,
                            int fast)
{
    cfctx c;
    uint32_t c0, c1;
    rec_quant_edges ed;
    if (!cf_setup(&c, step, u, prior, fast) || t < 1u || t >= TOTAL - 1u)
        return INT64_MIN;
    return cf_find(&c, t, &c0, &c1, &ed, probes, 0, c.tail);
}

static inline rec_status decode_bin_cf(rec_rc_decoder *dec, double step, double u,
                                       const rec_prior *prior, int64_t *k_out, rec_quant_edges *edges,
                                       int fast, int hint_inline, double tail)
{
    cfctx c;
    int64_t k;
    uint32_t t;
    rec_quant_edges ed = {0, 0.0, 0.0};
    if (!dec || !k_out)
        return REC_ERR_INVALID_ARG;
    if (edges)
        *edges = ed;
    if (!cf_setup(&c, step, u, prior, fast))
        return tail == 1.0 ? rec_quant_decode_bin(dec, step, u, prior, k_out) : REC_ERR_INVALID_ARG;
    c.tail = tail;
    t = rec_rc_decode_target16(dec);
    if (t < 1u) {
        rec_rc_decode_consume(dec, 0, 1, TOTAL_BITS);
        k = c.k_lo - 1 - (int64_t)(rec_rc_decode_uint_escape(dec, NULL) & (((uint64_t)1 << 53) - 1));
    } else if (t >= TOTAL - 1u) {
        rec_rc_decode_consume(dec, TOTAL - 1u, 1, TOTAL_BITS);
        k = c.k_hi + 1 + (int64_t)(rec_rc_decode_uint_escape(dec, NULL) & (((uint64_t)1 << 53) - 1));
    } else {
        uint32_t c0, c1;
        k = cf_find(&c, t, &c0, &c1, &ed, NULL, hint_inline, tail);
        rec_rc_decode_consume16(dec, c0, c1 - c0);
    }
    if (edges)
        *edges = ed;
    *k_out = k;
    return dec->error ? REC_ERR_CORRUPT : REC_OK;   /* rec_rc_decoder_error, without the call */
}

rec_status rec_quant_decode_bin_cf(rec_rc_decoder *dec, double step, double u,
                                   const rec_prior *prior, int64_t *k_out, rec_quant_edges *edges)
{
    return decode_bin_cf(dec, step, u, prior, k_out, edges, 0, 0, 1.0);
}

rec_status rec_quant_decode_bin_fast(rec_rc_decoder *dec, double step, double u,
                                     const rec_prior *prior, int64_t *k_out, rec_quant_edges *edges)
{
    return decode_bin_cf(dec, step, u, prior, k_out, edges, 1, 0, 1.0);
}

/* ---- uq at the unit step, revision FAST, in one call (speed, issue 8) -----------
 *
 * The codec's default path (uq, header flags 0x01 | 0x08 | 0x20) went through four
 * calls per coded coefficient (rec_uq_encode_dither -> uq_encode_draws ->
 * rec_quant_code_bin_fast -> the coder), each re-checking its arguments, and the
 * coder divided by the step every time.  These are the same steps in one body with
 * the step a compile-time constant (so 1 / step is folded: the same IEEE quotient)
 * and every check kept, so the results are those of rec_uq_encode_dither /
 * rec_uq_decode_dither with REC_QUANT_REV_FAST bit for bit (tests/rec/
 * test_rec_quant_cf.c compares them on random inputs). */
#define UQ_UNIT_STEP REC_UQ_UNIT_STEP

/* The unit-step encoder with the window's common case written out (code_bin_cf's
   steps in its order, revision FAST, the step a constant): gcc would not inline
   code_bin_cf here once the deadzone's twin (a variable tail) was added, and called
   it costs more than the folded step saves. Bins outside the window and priors the
   closed form does not cover go through code_bin_cf, which repeats the set-up. */
static inline rec_status unit_encode_fast(rec_rc_encoder *enc, double g, double u, double mean, double scale,
                                        double tail, rec_quant_result *out)
{
    rec_prior prior;
    cfctx c;
    double v;
    int64_t k;
    if (!out || !enc || !isfinite(g) || !(u > -0.5 && u < 0.5))
        return REC_ERR_INVALID_ARG;
    out->draws.u = u;
    out->draws.step = UQ_UNIT_STEP;
    out->draws.half_width = 0.5 * UQ_UNIT_STEP;
    v = g / UQ_UNIT_STEP + u + 0.5;
    if (!(v < 4e15 && v > -4e15))
        return REC_ERR_INVALID_ARG;
    k = floor_i64(v);
    out->k = k;
    out->x = UQ_UNIT_STEP * ((double)k - u);
    out->edges.known = 0;
    prior.family = REC_PRIOR_LAPLACE;
    prior.mean = mean;
    prior.scale = scale;
    if (!cf_setup(&c, UQ_UNIT_STEP, u, &prior, 1) || k < c.k_lo || k > c.k_hi)
        return code_bin_cf(enc, k, UQ_UNIT_STEP, u, &prior, &out->edges, 1, tail);
    c.tail = tail;
    cf_encode_in_window(enc, &c, k, tail, &out->edges);
    return enc->oom ? REC_ERR_NOMEM : REC_OK;
}

rec_status rec_uq_unit_encode_fast(rec_rc_encoder *enc, double y, double u, double mean, double scale,
                                   rec_quant_result *out)
{
    return unit_encode_fast(enc, y, u, mean, scale, 1.0, out);
}

rec_status rec_uq_unit_encode_fast_tail(rec_rc_encoder *enc, double g, double u, double mean, double scale,
                                        double tail, rec_quant_result *out)
{
    if (!(tail > 0.0 && tail <= 1.0))
        return REC_ERR_INVALID_ARG;
    return unit_encode_fast(enc, g, u, mean, scale, tail, out);
}

static inline rec_status unit_decode_fast(rec_rc_decoder *dec, double u, double mean, double scale, double tail,
                                          rec_quant_result *out)
{
    rec_prior prior;
    rec_status st;
    if (!out || !dec || !(u > -0.5 && u < 0.5))
        return REC_ERR_INVALID_ARG;
    out->draws.u = u;
    out->draws.step = UQ_UNIT_STEP;
    out->draws.half_width = 0.5 * UQ_UNIT_STEP;
    out->edges.known = 0;
    prior.family = REC_PRIOR_LAPLACE;
    prior.mean = mean;
    prior.scale = scale;
    st = decode_bin_cf(dec, UQ_UNIT_STEP, u, &prior, &out->k, &out->edges, 1, 1, tail);
    out->x = UQ_UNIT_STEP * ((double)out->k - u);
    return st;
}

rec_status rec_uq_unit_decode_fast(rec_rc_decoder *dec, double u, double mean, double scale,
                                   rec_quant_result *out)
{
    return unit_decode_fast(dec, u, mean, scale, 1.0, out);
}

rec_status rec_uq_unit_decode_fast_tail(rec_rc_decoder *dec, double u, double mean, double scale, double tail,
                                        rec_quant_result *out)
{
    if (!(tail > 0.0 && tail <= 1.0))
        return REC_ERR_INVALID_ARG;
    return unit_decode_fast(dec, u, mean, scale, tail, out);
}

rec_status rec_quant_code_bin_tail(rec_rc_encoder *enc, int64_t k, double step, double u,
                                   const rec_prior *prior, int fast, double tail, rec_quant_edges *edges)
{
    if (!(tail > 0.0 && tail <= 1.0))
        return REC_ERR_INVALID_ARG;
    return code_bin_cf(enc, k, step, u, prior, edges, fast != 0, tail);
}

rec_status rec_quant_decode_bin_tail(rec_rc_decoder *dec, double step, double u, const rec_prior *prior,
                                     int fast, double tail, int64_t *k_out, rec_quant_edges *edges)
{
    if (!(tail > 0.0 && tail <= 1.0))
        return REC_ERR_INVALID_ARG;
    return decode_bin_cf(dec, step, u, prior, k_out, edges, fast != 0, 0, tail);
}
