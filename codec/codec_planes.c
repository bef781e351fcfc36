/* Colour conversion, subsampling, padding (see codec_planes.h). */
#include "codec_planes.h"
#include "codec_internal.h"

#include <math.h>
#include <pthread.h>
#if defined(__SSE2__) && !defined(RECIMG_NO_SIMD)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

static void plane_geometry(recimg_plane *p, uint32_t w, uint32_t h)
{
    p->width = w;
    p->height = h;
    p->bw = (uint32_t)(((uint64_t)w + 7) / 8);
    p->bh = (uint32_t)(((uint64_t)h + 7) / 8);
    p->stride = (size_t)p->bw * 8;
    p->data = NULL;
}

void recimg_planes_init(recimg_planes *pl, uint32_t width, uint32_t height, int nplanes,
                        int subsampled)
{
    memset(pl, 0, sizeof *pl);
    pl->nplanes = nplanes;
    pl->subsampled = nplanes == 3 && subsampled;
    for (int i = 0; i < nplanes; i++) {
        const uint32_t w = (i > 0 && pl->subsampled) ? (uint32_t)(((uint64_t)width + 1) / 2) : width;
        const uint32_t h = (i > 0 && pl->subsampled) ? (uint32_t)(((uint64_t)height + 1) / 2) : height;
        plane_geometry(&pl->p[i], w, h);
    }
}

recimg_status recimg_planes_alloc(recimg_planes *pl, uint32_t width, uint32_t height,
                                  int nplanes, int subsampled)
{
    recimg_planes_init(pl, width, height, nplanes, subsampled);
    for (int i = 0; i < nplanes; i++) {
        recimg_plane *p = &pl->p[i];
        size_t n;
        if (recimg_size_mul3(p->stride, (size_t)p->bh * 8, sizeof(double), &n) != 0) {
            recimg_planes_free(pl);
            return RECIMG_ERR_LIMIT;
        }
        p->data = (double *)malloc(n);
        if (!p->data) {
            recimg_planes_free(pl);
            return RECIMG_ERR_OUT_OF_MEMORY;
        }
    }
    return RECIMG_OK;
}

void recimg_planes_free(recimg_planes *pl)
{
    for (int i = 0; i < 3; i++) {
        free(pl->p[i].data);
        pl->p[i].data = NULL;
    }
}

/* Full-range BT.601 of one 8-bit pixel, by the expressions
 *   Y - 128 = 0.299 r + 0.587 g + 0.114 b - 128
 *   Cb = -0.168735892 r - 0.331264108 g + 0.5 b
 *   Cr = 0.5 r - 0.418687589 g - 0.081312411 b
 * evaluated left to right in double. The 4:2:0 box mean sums Cb and Cr of the
 * four pixels from 0.0, in the order (0,0), (0,1), (1,0), (1,1), then scales
 * by 0.25 (the per-pixel reference in tests/codec/test_speed_planes.c).
 *
 * Speed (issue 8): each product of a constant and an 8-bit sample is a table
 * entry filled by the same multiplication, and a - c*v is written a + (-c)*v,
 * which IEEE arithmetic defines as the same operation; so a sample costs three
 * loads and the same additions in the same order, with the same bits (checked
 * over all 2^24 colours by test_speed_planes). The chroma tables hold (Cb, Cr)
 * term pairs side by side so that both sums can run as one two-lane vector. */
typedef struct {
    double v[2];   /* (Cb term, Cr term) */
} cpair;

static struct {
    double y[3][256];                /* 0.299 v, 0.587 v, 0.114 v */
    _Alignas(16) cpair c[3][256];    /* r: (-0.168735892 v, 0.5 v), g: (-0.331264108 v,
                                        -0.418687589 v), b: (0.5 v, -0.081312411 v) */
} ctab;
static pthread_once_t ctab_once = PTHREAD_ONCE_INIT;

static void ctab_fill(void)
{
    for (int i = 0; i < 256; i++) {
        const double v = (double)i;
        ctab.y[0][i] = 0.299 * v;
        ctab.y[1][i] = 0.587 * v;
        ctab.y[2][i] = 0.114 * v;
        ctab.c[0][i].v[0] = -0.168735892 * v;
        ctab.c[0][i].v[1] = 0.5 * v;
        ctab.c[1][i].v[0] = -0.331264108 * v;
        ctab.c[1][i].v[1] = -0.418687589 * v;
        ctab.c[2][i].v[0] = 0.5 * v;
        ctab.c[2][i].v[1] = -0.081312411 * v;
    }
}

/* Every encoder entry point below calls this first (once per call, not per row). */
static void ctab_init(void)
{
    pthread_once(&ctab_once, ctab_fill);
}

static double y_of(const uint8_t *px)
{
    return ctab.y[0][px[0]] + ctab.y[1][px[1]] + ctab.y[2][px[2]] - 128.0;
}

static double cb_of(const uint8_t *px)
{
    return ctab.c[0][px[0]].v[0] + ctab.c[1][px[1]].v[0] + ctab.c[2][px[2]].v[0];
}

static double cr_of(const uint8_t *px)
{
    return ctab.c[0][px[0]].v[1] + ctab.c[1][px[1]].v[1] + ctab.c[2][px[2]].v[1];
}

/* The 4:2:0 box mean of one 2x2 group (pixels q[0..3]: (0,0), (0,1), (1,0),
 * (1,1)) into cb and cr. The scalar sums start from 0.0 as the reference does;
 * the vector form starts from the first pixel's term instead, the same bits:
 * 0.0 + t == t for every t but -0.0, and no term is -0.0 (Cb's last product
 * 0.5 b and Cr's first 0.5 r are +0.0 or positive, and a round-to-nearest sum is
 * -0.0 only when both addends are). */
static inline void box420(const uint8_t *const q[4], double *cb, double *cr)
{
    const cpair *tr = ctab.c[0], *tg = ctab.c[1], *tb = ctab.c[2];
#if defined(__SSE2__) && !defined(RECIMG_NO_SIMD)
    __m128d acc = _mm_add_pd(_mm_add_pd(_mm_load_pd(tr[q[0][0]].v), _mm_load_pd(tg[q[0][1]].v)),
                             _mm_load_pd(tb[q[0][2]].v));
    for (int k = 1; k < 4; k++)
        acc = _mm_add_pd(acc, _mm_add_pd(_mm_add_pd(_mm_load_pd(tr[q[k][0]].v), _mm_load_pd(tg[q[k][1]].v)),
                                         _mm_load_pd(tb[q[k][2]].v)));
    acc = _mm_mul_pd(acc, _mm_set1_pd(0.25));
    _mm_storel_pd(cb, acc);
    _mm_storeh_pd(cr, acc);
#else
    double b = 0.0, r = 0.0;
    for (int k = 0; k < 4; k++) {
        const double *pr = tr[q[k][0]].v, *pg = tg[q[k][1]].v, *pb = tb[q[k][2]].v;
        b += pr[0] + pg[0] + pb[0];
        r += pr[1] + pg[1] + pb[1];
    }
    *cb = 0.25 * b;
    *cr = 0.25 * r;
#endif
}

/* 4:2:0 chroma row y (< height) of Cb (into cb unless NULL) and Cr (into cr unless
 * NULL): the 2x2 box mean; odd edges replicate the last pixel. Both at once share
 * the pixels' loads (the encoder codes Cb and Cr in one job). */
static void chroma420_row(const recimg_planes *pl, const recimg_image *img, size_t y, double *cb,
                          double *cr)
{
    const size_t w = img->width, h = img->height, cw = pl->p[1].width;
    const size_t y0 = 2 * y, y1 = 2 * y + 1 < h ? 2 * y + 1 : h - 1;
    const uint8_t *r0 = img->pixels + y0 * w * 3, *r1 = img->pixels + y1 * w * 3;
    for (size_t cx = 0; cx < cw; cx++) {
        const size_t x0 = 2 * cx, x1 = 2 * cx + 1 < w ? 2 * cx + 1 : w - 1;
        const uint8_t *q[4];
        double sb, sr;
        q[0] = r0 + x0 * 3;
        q[1] = r0 + x1 * 3;
        q[2] = r1 + x0 * 3;
        q[3] = r1 + x1 * 3;
        box420(q, &sb, &sr);
        if (cb)
            cb[cx] = sb;
        if (cr)
            cr[cx] = sr;
    }
}

/* One meaningful row (width samples) of plane i at plane row y (< height). */
static void row_from_image(const recimg_planes *pl, int i, const recimg_image *img, size_t y,
                           double *out)
{
    const size_t w = img->width;
    if (pl->nplanes == 1) {
        const uint8_t *px = img->pixels + y * w;
        for (size_t x = 0; x < w; x++)
            out[x] = (double)px[x] - 128.0;
        return;
    }
    if (i == 0 || !pl->subsampled) {
        const uint8_t *px = img->pixels + y * w * 3;
        if (i == 0) {
            for (size_t x = 0; x < w; x++, px += 3)
                out[x] = y_of(px);
        } else if (i == 1) {
            for (size_t x = 0; x < w; x++, px += 3)
                out[x] = cb_of(px);
        } else {
            for (size_t x = 0; x < w; x++, px += 3)
                out[x] = cr_of(px);
        }
        return;
    }
    if (i == 1)
        chroma420_row(pl, img, y, out, NULL);
    else
        chroma420_row(pl, img, y, NULL, out);
}

/* Row y of a band starting at y0: padding rows (y >= height) replicate the last
 * meaningful row (1 returned when done so), padding columns the last sample. */
static int pad_row_down(const recimg_plane *p, uint32_t y, uint32_t y0, double *row)
{
    if (y >= p->height && y > y0) {
        memcpy(row, row - p->stride, p->stride * sizeof(double));
        return 1;
    }
    return 0;
}

static void pad_row_right(const recimg_plane *p, double *row)
{
    for (size_t x = p->width; x < p->stride; x++)
        row[x] = row[p->width - 1];
}

void recimg_plane_rows_from_image(const recimg_planes *pl, int i, const recimg_image *img,
                                  uint32_t y0, uint32_t y1, double *rows)
{
    ctab_init();
    const recimg_plane *p = &pl->p[i];
    for (uint32_t y = y0; y < y1; y++) {
        double *row = rows + (size_t)(y - y0) * p->stride;
        if (pad_row_down(p, y, y0, row))
            continue;
        row_from_image(pl, i, img, y < p->height ? y : p->height - 1, row);
        pad_row_right(p, row);
    }
}

void recimg_chroma_rows_from_image(const recimg_planes *pl, const recimg_image *img, uint32_t y0,
                                   uint32_t y1, double *cb_rows, double *cr_rows)
{
    ctab_init();
    const recimg_plane *p = &pl->p[1];
    for (uint32_t y = y0; y < y1; y++) {
        double *cb = cb_rows + (size_t)(y - y0) * p->stride, *cr = cr_rows + (size_t)(y - y0) * p->stride;
        if (pad_row_down(p, y, y0, cb) && pad_row_down(p, y, y0, cr))
            continue;
        chroma420_row(pl, img, y < p->height ? y : p->height - 1, cb, cr);
        pad_row_right(p, cb);
        pad_row_right(p, cr);
    }
}

/* ---- encoder, straight into blocks ----
 *
 * Speed (issue 8): the blocks forms convert each image row straight into the
 * 8-sample rows of its blocks (no row buffer and no second pass to scatter it),
 * in runs of 8 samples that the compiler unrolls. Every sample is the same
 * expression as in the row forms above (y_of, cb_of, cr_of, the 4:2:0 box mean
 * of chroma420_row), so the blocks hold the same bits as the rows form scattered
 * into blocks (test_speed_planes compares the two on random images). */

/* n (1..8) luma / 4:4:4 chroma / gray samples of the pixels px (channels
 * interleaved) into dst; k selects the expression: 0 Y, 1 Cb, 2 Cr, 3 gray. */
static inline void run_samples(int k, const uint8_t *px, size_t n, double *dst)
{
    switch (k) {
    case 0:
        for (size_t x = 0; x < n; x++)
            dst[x] = y_of(px + 3 * x);
        break;
    case 1:
        for (size_t x = 0; x < n; x++)
            dst[x] = cb_of(px + 3 * x);
        break;
    case 2:
        for (size_t x = 0; x < n; x++)
            dst[x] = cr_of(px + 3 * x);
        break;
    default:
        for (size_t x = 0; x < n; x++)
            dst[x] = (double)px[x] - 128.0;
        break;
    }
}

/* n (1..8) 4:2:0 chroma samples from chroma column cx0 of the pixel rows r0 and
 * r1 (image width w) into cb and cr; odd edges replicate the last pixel. */
static inline void run420(const uint8_t *r0, const uint8_t *r1, size_t w, size_t cx0, size_t n,
                          double *cb, double *cr)
{
    for (size_t c = 0; c < n; c++) {
        const size_t x0 = 2 * (cx0 + c), x1 = x0 + 1 < w ? x0 + 1 : w - 1;
        const uint8_t *q[4];
        q[0] = r0 + x0 * 3;
        q[1] = r0 + x1 * 3;
        q[2] = r1 + x0 * 3;
        q[3] = r1 + x1 * 3;
        box420(q, cb + c, cr + c);
    }
}

/* The same for 8 samples whose pixels are all inside the row (2 cx0 + 16 <= w). */
static inline void run420_8(const uint8_t *r0, const uint8_t *r1, size_t cx0, double *cb, double *cr)
{
    for (size_t c = 0; c < 8; c++) {
        const size_t x0 = 2 * (cx0 + c);
        const uint8_t *q[4];
        q[0] = r0 + x0 * 3;
        q[1] = q[0] + 3;
        q[2] = r1 + x0 * 3;
        q[3] = q[2] + 3;
        box420(q, cb + c, cr + c);
    }
}

/* Padding columns of a plane's last block: the last meaningful sample (the
 * last block always holds it). n meaningful samples at seg[0..n). */
static void pad_segment(double *seg, size_t n)
{
    for (size_t x = n; x < 8; x++)
        seg[x] = seg[n - 1];
}

/* Plane row y (< height) of plane i (not 4:2:0 chroma) into the blocks at dst
 * (the row's first 8-sample run; the next block's run is 64 doubles on). */
static void row_to_blocks(const recimg_planes *pl, int i, const recimg_image *img, size_t y, double *dst)
{
    const size_t w = img->width;
    const int k = pl->nplanes == 1 ? 3 : i;
    const size_t ch = pl->nplanes == 1 ? 1 : 3;
    const uint8_t *px = img->pixels + y * w * ch;
    size_t x = 0;
    for (; x + 8 <= w; x += 8, dst += 64)
        run_samples(k, px + x * ch, 8, dst);
    if (x < w) {
        run_samples(k, px + x * ch, w - x, dst);
        pad_segment(dst, w - x);
    }
}

/* 4:2:0 chroma row y (< height) of both planes into their blocks. */
static void row420_to_blocks(const recimg_planes *pl, const recimg_image *img, size_t y, double *cb,
                             double *cr)
{
    const size_t w = img->width, h = img->height, cw = pl->p[1].width;
    const size_t y0 = 2 * y, y1 = 2 * y + 1 < h ? 2 * y + 1 : h - 1;
    const uint8_t *r0 = img->pixels + y0 * w * 3, *r1 = img->pixels + y1 * w * 3;
    size_t cx = 0;
    for (; 2 * cx + 16 <= w; cx += 8, cb += 64, cr += 64)
        run420_8(r0, r1, cx, cb, cr);
    if (cx < cw) {
        run420(r0, r1, w, cx, cw - cx, cb, cr);
        pad_segment(cb, cw - cx);
        pad_segment(cr, cw - cx);
    }
}

/* Padding row (>= height, never the first of a block row): a copy of the row
 * above in every block. dst as for row_to_blocks. */
static void pad_row_blocks(uint32_t bw, double *dst)
{
    for (uint32_t bx = 0; bx < bw; bx++, dst += 64)
        memcpy(dst, dst - 8, 8 * sizeof(double));
}

void recimg_plane_blocks_from_image(const recimg_planes *pl, int i, const recimg_image *img,
                                    uint32_t by0, uint32_t by1, double *blocks)
{
    ctab_init();
    const recimg_plane *p = &pl->p[i];
    for (uint32_t y = by0 * 8; y < by1 * 8; y++) {
        double *dst = blocks + (size_t)(y / 8 - by0) * p->bw * 64 + (size_t)(y % 8) * 8;
        if (y < p->height)
            row_to_blocks(pl, i, img, y, dst);
        else
            pad_row_blocks(p->bw, dst);
    }
}

void recimg_chroma_blocks_from_image(const recimg_planes *pl, const recimg_image *img, uint32_t by0,
                                     uint32_t by1, double *cb_blocks, double *cr_blocks)
{
    ctab_init();
    const recimg_plane *p = &pl->p[1];
    for (uint32_t y = by0 * 8; y < by1 * 8; y++) {
        const size_t at = (size_t)(y / 8 - by0) * p->bw * 64 + (size_t)(y % 8) * 8;
        if (y < p->height) {
            row420_to_blocks(pl, img, y, cb_blocks + at, cr_blocks + at);
        } else {
            pad_row_blocks(p->bw, cb_blocks + at);
            pad_row_blocks(p->bw, cr_blocks + at);
        }
    }
}

void recimg_planes_from_image(recimg_planes *pl, const recimg_image *img)
{
    for (int i = 0; i < pl->nplanes; i++)
        recimg_plane_rows_from_image(pl, i, img, 0, pl->p[i].bh * 8, pl->p[i].data);
}

static uint8_t clamp_round(double v)
{
    /* floor(v + 0.5) is exact in IEEE arithmetic, so identical across builds;
       for 0 < v < 255 the conversion's truncation is that floor. Written as two
       selects (NaN fails v > 0.0 and maps to 0; v >= 255 gives 255.5 -> 255) so
       that the colour loops have no branches (speed, issue 8). */
    const double lo = v > 0.0 ? v : 0.0;
    const double c = lo < 255.0 ? lo : 255.0;
    return (uint8_t)(int)(c + 0.5);
}

/* Triangle-filter ("fancy", as libjpeg) 2x upsampling. The output sample at
 * full-resolution x sits at chroma coordinate (x - 0.5) / 2, so its two
 * nearest chroma samples get weights 3/4 and 1/4, first along the row, then
 * down the column; edges replicate. hrow_up fills the horizontal pass of one
 * chroma row for a whole output row (width w): hup_one is the rule for one
 * sample, used at the edges; the interior runs the same expression without
 * the index tests. */
static double hup_one(const double *c, size_t cw, size_t x)
{
    const size_t cx = x / 2;
    const size_t nx = (x & 1) ? (cx + 1 < cw ? cx + 1 : cx) : (cx > 0 ? cx - 1 : 0);
    return 0.75 * c[cx] + 0.25 * c[nx];
}

static void hrow_up(const double *restrict c, size_t cw, size_t w, double *restrict out)
{
    const size_t edge = 2 * cw - 2;   /* x >= edge: the last chroma sample's outputs */
    for (size_t x = 0; x < 2 && x < w; x++)
        out[x] = hup_one(c, cw, x);
    for (size_t cx = 1; cx + 1 < cw; cx++) {
        out[2 * cx] = 0.75 * c[cx] + 0.25 * c[cx - 1];
        out[2 * cx + 1] = 0.75 * c[cx] + 0.25 * c[cx + 1];
    }
    for (size_t x = edge > 2 ? edge : 2; x < w; x++)
        out[x] = hup_one(c, cw, x);
}

#if defined(__SSE2__) && !defined(RECIMG_NO_SIMD)
/* Two pixels of rgb_row / rgb_row_v at once, lane for lane the scalar
 * expressions: the products and sums in the same order, and clamp_round as
 * MAXPD(v, 0) (= v > 0 ? v : 0, NaN included), MINPD(., 255) (= . < 255 ? . : 255),
 * + 0.5 and a truncating conversion. Each pixel goes out as the four bytes
 * R G B 0 (one store each; speed, issue 8), the second at px + 3: its fourth
 * byte lands on the next pixel's R, which the caller writes afterwards, so the
 * caller keeps a third pixel after the pair. */
static void rgb2(__m128d yy, __m128d cb, __m128d cr, uint8_t *px)
{
    const __m128d zero = _mm_setzero_pd(), top = _mm_set1_pd(255.0), half = _mm_set1_pd(0.5);
    const __m128d r = _mm_add_pd(yy, _mm_mul_pd(_mm_set1_pd(1.402), cr));
    const __m128d g = _mm_sub_pd(_mm_sub_pd(yy, _mm_mul_pd(_mm_set1_pd(0.344136286), cb)),
                                 _mm_mul_pd(_mm_set1_pd(0.714136286), cr));
    const __m128d b = _mm_add_pd(yy, _mm_mul_pd(_mm_set1_pd(1.772), cb));
    const __m128i ri = _mm_cvttpd_epi32(_mm_add_pd(_mm_min_pd(_mm_max_pd(r, zero), top), half));
    const __m128i gi = _mm_cvttpd_epi32(_mm_add_pd(_mm_min_pd(_mm_max_pd(g, zero), top), half));
    const __m128i bi = _mm_cvttpd_epi32(_mm_add_pd(_mm_min_pd(_mm_max_pd(b, zero), top), half));
    const __m128i v = _mm_or_si128(_mm_or_si128(ri, _mm_slli_epi32(gi, 8)), _mm_slli_epi32(bi, 16));
    /* SSE2 means x86: little-endian, so a lane's bytes are R G B 0 in memory order */
    const uint32_t p0 = (uint32_t)_mm_cvtsi128_si32(v), p1 = (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(v, 4));
    memcpy(px, &p0, 4);
    memcpy(px + 3, &p1, 4);
}
#define RGB_SIMD 1
#else
#define RGB_SIMD 0
#endif

static void rgb_row(const double *restrict py, const double *restrict cb, const double *restrict cr,
                    size_t w, uint8_t *restrict px)
{
    size_t x = 0;
#if RGB_SIMD
    for (; x + 2 < w; x += 2, px += 6)   /* a pixel after the pair: see rgb2 */
        rgb2(_mm_add_pd(_mm_loadu_pd(py + x), _mm_set1_pd(128.0)), _mm_loadu_pd(cb + x),
             _mm_loadu_pd(cr + x), px);
#endif
    for (; x < w; x++, px += 3) {
        const double yy = py[x] + 128.0;
        px[0] = clamp_round(yy + 1.402 * cr[x]);
        px[1] = clamp_round(yy - 0.344136286 * cb[x] - 0.714136286 * cr[x]);
        px[2] = clamp_round(yy + 1.772 * cb[x]);
    }
}

/* rgb_row with the vertical pass of the upsampling fused in: Cb = 3/4 b0 + 1/4 b1
 * and Cr = 3/4 r0 + 1/4 r1 of the horizontal passes, the same expressions (and
 * hence the same bits) as a separate pass through a row buffer. */
static void rgb_row_v(const double *restrict py, const double *restrict b0, const double *restrict b1,
                      const double *restrict r0, const double *restrict r1, size_t w,
                      uint8_t *restrict px)
{
    size_t x = 0;
#if RGB_SIMD
    const __m128d q3 = _mm_set1_pd(0.75), q1 = _mm_set1_pd(0.25);
    for (; x + 2 < w; x += 2, px += 6)   /* a pixel after the pair: see rgb2 */
        rgb2(_mm_add_pd(_mm_loadu_pd(py + x), _mm_set1_pd(128.0)),
             _mm_add_pd(_mm_mul_pd(q3, _mm_loadu_pd(b0 + x)), _mm_mul_pd(q1, _mm_loadu_pd(b1 + x))),
             _mm_add_pd(_mm_mul_pd(q3, _mm_loadu_pd(r0 + x)), _mm_mul_pd(q1, _mm_loadu_pd(r1 + x))), px);
#endif
    for (; x < w; x++, px += 3) {
        const double yy = py[x] + 128.0;
        const double cb = 0.75 * b0[x] + 0.25 * b1[x], cr = 0.75 * r0[x] + 0.25 * r1[x];
        px[0] = clamp_round(yy + 1.402 * cr);
        px[1] = clamp_round(yy - 0.344136286 * cb - 0.714136286 * cr);
        px[2] = clamp_round(yy + 1.772 * cb);
    }
}

size_t recimg_rows_scratch_size(const recimg_planes *pl, uint32_t width)
{
    return pl->nplanes == 3 && pl->subsampled ? 6 * (size_t)width : 1;
}

void recimg_rows_to_image(const recimg_planes *pl, const double *const win[3],
                          const uint32_t first[3], uint32_t y0, uint32_t y1, recimg_image *out,
                          double *scratch)
{
    const size_t w = out->width;
#define PLANE_ROW(i, r) (win[i] + (size_t)((r) - first[i]) * pl->p[i].stride)
    if (pl->nplanes == 1) {
        for (uint32_t y = y0; y < y1; y++) {
            const double *py = PLANE_ROW(0, y);
            uint8_t *px = out->pixels + (size_t)y * w;
            for (size_t x = 0; x < w; x++)
                px[x] = clamp_round(py[x] + 128.0);
        }
        return;
    }
    if (!pl->subsampled) {
        for (uint32_t y = y0; y < y1; y++)
            rgb_row(PLANE_ROW(0, y), PLANE_ROW(1, y), PLANE_ROW(2, y), w,
                    out->pixels + (size_t)y * w * 3);
        return;
    }
    {
        /* Horizontal passes of the chroma rows, kept for the current and the
           neighbouring row (6 rows of w doubles: Cb and Cr, rows cy-1, cy, cy+1
           through a ring indexed by chroma row mod 3), then the vertical pass
           fused into the colour conversion (rgb_row_v). The ring starts empty at every call: a band boundary only
           recomputes a row or two. */
        const recimg_plane *pb = &pl->p[1], *pr = &pl->p[2];
        double *hb[3], *hr[3];
        long have[3] = {-1, -1, -1};
        for (int i = 0; i < 3; i++) {
            hb[i] = scratch + (size_t)(2 * i) * w;
            hr[i] = scratch + (size_t)(2 * i + 1) * w;
        }
        for (uint32_t y = y0; y < y1; y++) {
            const uint32_t cy = y / 2;
            const uint32_t ny = (y & 1) ? (cy + 1 < pb->height ? cy + 1 : cy) : (cy > 0 ? cy - 1 : 0);
            const uint32_t rows[2] = {cy, ny};
            for (int k = 0; k < 2; k++) {
                const uint32_t r = rows[k], slot = r % 3;
                if (have[slot] != (long)r) {
                    hrow_up(PLANE_ROW(1, r), pb->width, w, hb[slot]);
                    hrow_up(PLANE_ROW(2, r), pr->width, w, hr[slot]);
                    have[slot] = (long)r;
                }
            }
            rgb_row_v(PLANE_ROW(0, y), hb[cy % 3], hb[ny % 3], hr[cy % 3], hr[ny % 3], w,
                      out->pixels + (size_t)y * w * 3);
        }
    }
#undef PLANE_ROW
}

recimg_status recimg_planes_to_image(const recimg_planes *pl, recimg_image *out)
{
    const double *win[3] = {NULL, NULL, NULL};
    const uint32_t first[3] = {0, 0, 0};
    double *scratch;
    size_t n;
    RETURN_IF(recimg_size_mul3(recimg_rows_scratch_size(pl, out->width), sizeof(double), 1, &n) != 0,
              RECIMG_ERR_LIMIT);
    scratch = (double *)malloc(n);
    RETURN_IF(!scratch, RECIMG_ERR_OUT_OF_MEMORY);
    for (int i = 0; i < pl->nplanes; i++)
        win[i] = pl->p[i].data;
    recimg_rows_to_image(pl, win, first, 0, out->height, out, scratch);
    free(scratch);
    return RECIMG_OK;
}

void recimg_rows_from_blocks(double *rows, size_t stride, uint32_t bw, uint32_t nbrows,
                             const double *blocks)
{
    for (size_t by = 0; by < nbrows; by++)
        for (size_t bx = 0; bx < bw; bx++, blocks += 64)
            for (size_t y = 0; y < 8; y++)
                memcpy(rows + (by * 8 + y) * stride + bx * 8, blocks + y * 8, 8 * sizeof(double));
}
