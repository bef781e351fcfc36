/* Colour conversion, subsampling, padding (see codec_planes.h). */
#include "codec_planes.h"
#include "codec_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static recimg_status plane_alloc(recimg_plane *p, uint32_t w, uint32_t h)
{
    size_t n;
    p->width = w;
    p->height = h;
    p->bw = (w + 7) / 8;
    p->bh = (h + 7) / 8;
    p->stride = (size_t)p->bw * 8;
    RETURN_IF(recimg_size_mul3(p->stride, (size_t)p->bh * 8, sizeof(double), &n) != 0,
              RECIMG_ERR_LIMIT);
    p->data = (double *)malloc(n);
    RETURN_IF(!p->data, RECIMG_ERR_OUT_OF_MEMORY);
    return RECIMG_OK;
}

recimg_status recimg_planes_alloc(recimg_planes *pl, uint32_t width, uint32_t height,
                                  int nplanes, int subsampled)
{
    memset(pl, 0, sizeof *pl);
    pl->nplanes = nplanes;
    pl->subsampled = nplanes == 3 && subsampled;
    for (int i = 0; i < nplanes; i++) {
        const uint32_t w = (i > 0 && pl->subsampled) ? (width + 1) / 2 : width;
        const uint32_t h = (i > 0 && pl->subsampled) ? (height + 1) / 2 : height;
        const recimg_status st = plane_alloc(&pl->p[i], w, h);
        if (st != RECIMG_OK) {
            recimg_planes_free(pl);
            return st;
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

/* Replicates the last meaningful column and row into the padding. */
static void plane_pad(recimg_plane *p)
{
    const size_t ph = (size_t)p->bh * 8;
    for (size_t y = 0; y < p->height; y++) {
        double *row = p->data + y * p->stride;
        for (size_t x = p->width; x < p->stride; x++)
            row[x] = row[p->width - 1];
    }
    for (size_t y = p->height; y < ph; y++)
        memcpy(p->data + y * p->stride, p->data + (size_t)(p->height - 1) * p->stride,
               p->stride * sizeof(double));
}

/* Full-range BT.601 chroma of one pixel; the 4:2:0 box mean sums these. */
static double cb_of(double r, double g, double b)
{
    return -0.168735892 * r - 0.331264108 * g + 0.5 * b;
}

static double cr_of(double r, double g, double b)
{
    return 0.5 * r - 0.418687589 * g - 0.081312411 * b;
}

void recimg_planes_from_image(recimg_planes *pl, const recimg_image *img)
{
    const size_t w = img->width, h = img->height;
    if (pl->nplanes == 1) {
        recimg_plane *p = &pl->p[0];
        for (size_t y = 0; y < h; y++)
            for (size_t x = 0; x < w; x++)
                p->data[y * p->stride + x] = (double)img->pixels[y * w + x] - 128.0;
        plane_pad(p);
        return;
    }
    for (size_t y = 0; y < h; y++) {
        const uint8_t *px = img->pixels + y * w * 3;
        double *py = pl->p[0].data + y * pl->p[0].stride;
        for (size_t x = 0; x < w; x++, px += 3) {
            const double r = px[0], g = px[1], b = px[2];
            py[x] = 0.299 * r + 0.587 * g + 0.114 * b - 128.0;
        }
        if (!pl->subsampled) {
            double *pb = pl->p[1].data + y * pl->p[1].stride, *pr = pl->p[2].data + y * pl->p[2].stride;
            px = img->pixels + y * w * 3;
            for (size_t x = 0; x < w; x++, px += 3) {
                const double r = px[0], g = px[1], b = px[2];
                pb[x] = cb_of(r, g, b);
                pr[x] = cr_of(r, g, b);
            }
        }
    }
    if (pl->subsampled) {
        /* 2x2 box mean; odd edges replicate the last pixel. The sums run in the
           order (0,0), (0,1), (1,0), (1,1) from 0.0, as the decoder-independent
           reference does (tests/codec/test_speed_planes.c). */
        for (size_t cy = 0; cy < pl->p[1].height; cy++) {
            const size_t y0 = 2 * cy, y1 = 2 * cy + 1 < h ? 2 * cy + 1 : h - 1;
            const uint8_t *r0 = img->pixels + y0 * w * 3, *r1 = img->pixels + y1 * w * 3;
            double *pb = pl->p[1].data + cy * pl->p[1].stride, *pr = pl->p[2].data + cy * pl->p[2].stride;
            for (size_t cx = 0; cx < pl->p[1].width; cx++) {
                const size_t x0 = 2 * cx, x1 = 2 * cx + 1 < w ? 2 * cx + 1 : w - 1;
                const uint8_t *q[4];
                double cb = 0.0, cr = 0.0;
                q[0] = r0 + x0 * 3;
                q[1] = r0 + x1 * 3;
                q[2] = r1 + x0 * 3;
                q[3] = r1 + x1 * 3;
                for (int k = 0; k < 4; k++) {
                    const double r = q[k][0], g = q[k][1], b = q[k][2];
                    cb += cb_of(r, g, b);
                    cr += cr_of(r, g, b);
                }
                pb[cx] = 0.25 * cb;
                pr[cx] = 0.25 * cr;
            }
        }
    }
    for (int i = 0; i < 3; i++)
        plane_pad(&pl->p[i]);
}

static uint8_t clamp_round(double v)
{
    /* floor(v + 0.5) is exact in IEEE arithmetic, so identical across builds;
       for 0 < v < 255 the conversion's truncation is that floor. */
    if (!(v > 0.0)) return 0;      /* also maps NaN to 0 */
    if (v >= 255.0) return 255;
    return (uint8_t)(v + 0.5);
}

/* Triangle-filter ("fancy", as libjpeg) 2x upsampling. The output sample at
 * full-resolution x sits at chroma coordinate (x - 0.5) / 2, so its two
 * nearest chroma samples get weights 3/4 and 1/4, first along the row, then
 * down the column; edges replicate. hrow_up fills the horizontal pass of one
 * chroma row for a whole output row (width w). */
static void hrow_up(const double *c, size_t cw, size_t w, double *out)
{
    for (size_t x = 0; x < w; x++) {
        const size_t cx = x / 2;
        const size_t nx = (x & 1) ? (cx + 1 < cw ? cx + 1 : cx) : (cx > 0 ? cx - 1 : 0);
        out[x] = 0.75 * c[cx] + 0.25 * c[nx];
    }
}

static void rgb_row(const double *py, const double *cb, const double *cr, size_t w, uint8_t *px)
{
    for (size_t x = 0; x < w; x++, px += 3) {
        const double yy = py[x] + 128.0;
        px[0] = clamp_round(yy + 1.402 * cr[x]);
        px[1] = clamp_round(yy - 0.344136286 * cb[x] - 0.714136286 * cr[x]);
        px[2] = clamp_round(yy + 1.772 * cb[x]);
    }
}

void recimg_planes_to_image(const recimg_planes *pl, recimg_image *out)
{
    const size_t w = out->width, h = out->height;
    if (pl->nplanes == 1) {
        for (size_t y = 0; y < h; y++)
            for (size_t x = 0; x < w; x++)
                out->pixels[y * w + x] = clamp_round(pl->p[0].data[y * pl->p[0].stride + x] + 128.0);
        return;
    }
    if (!pl->subsampled) {
        for (size_t y = 0; y < h; y++)
            rgb_row(pl->p[0].data + y * pl->p[0].stride, pl->p[1].data + y * pl->p[1].stride,
                    pl->p[2].data + y * pl->p[2].stride, w, out->pixels + y * w * 3);
        return;
    }
    {
        /* Horizontal passes of the chroma rows, kept for the current and the
           neighbouring row (6 rows of w doubles: Cb and Cr, rows cy-1, cy, cy+1
           through a ring indexed by chroma row mod 3). The plane stride bounds
           w, so the planes' own padding guarantees nothing here: the scratch
           is allocated. */
        const recimg_plane *pb = &pl->p[1], *pr = &pl->p[2];
        double *scratch = (double *)malloc(8 * w * sizeof(double));
        double *hb[3], *hr[3], *vb, *vr;
        long have[3] = {-1, -1, -1};
        if (!scratch) {
            /* no memory for the fast path: the slow per-pixel reference */
            for (size_t y = 0; y < h; y++) {
                for (size_t x = 0; x < w; x++) {
                    const size_t cx = x / 2, cy = y / 2;
                    const size_t nx = (x & 1) ? (cx + 1 < pb->width ? cx + 1 : cx) : (cx > 0 ? cx - 1 : 0);
                    const size_t ny = (y & 1) ? (cy + 1 < pb->height ? cy + 1 : cy) : (cy > 0 ? cy - 1 : 0);
                    double b2[1], r2[1];
                    const double ab = 0.75 * pb->data[cy * pb->stride + cx] + 0.25 * pb->data[cy * pb->stride + nx];
                    const double bb = 0.75 * pb->data[ny * pb->stride + cx] + 0.25 * pb->data[ny * pb->stride + nx];
                    const double ar = 0.75 * pr->data[cy * pr->stride + cx] + 0.25 * pr->data[cy * pr->stride + nx];
                    const double br = 0.75 * pr->data[ny * pr->stride + cx] + 0.25 * pr->data[ny * pr->stride + nx];
                    b2[0] = 0.75 * ab + 0.25 * bb;
                    r2[0] = 0.75 * ar + 0.25 * br;
                    rgb_row(pl->p[0].data + y * pl->p[0].stride + x, b2, r2, 1, out->pixels + (y * w + x) * 3);
                }
            }
            return;
        }
        for (int i = 0; i < 3; i++) {
            hb[i] = scratch + (size_t)(2 * i) * w;
            hr[i] = scratch + (size_t)(2 * i + 1) * w;
        }
        vb = scratch + 6 * w;
        vr = scratch + 7 * w;
        for (size_t y = 0; y < h; y++) {
            const size_t cy = y / 2;
            const size_t ny = (y & 1) ? (cy + 1 < pb->height ? cy + 1 : cy) : (cy > 0 ? cy - 1 : 0);
            const size_t rows[2] = {cy, ny};
            for (int k = 0; k < 2; k++) {
                const size_t r = rows[k], slot = r % 3;
                if (have[slot] != (long)r) {
                    hrow_up(pb->data + r * pb->stride, pb->width, w, hb[slot]);
                    hrow_up(pr->data + r * pr->stride, pr->width, w, hr[slot]);
                    have[slot] = (long)r;
                }
            }
            {
                const double *b0 = hb[cy % 3], *b1 = hb[ny % 3], *r0 = hr[cy % 3], *r1 = hr[ny % 3];
                for (size_t x = 0; x < w; x++) {
                    vb[x] = 0.75 * b0[x] + 0.25 * b1[x];
                    vr[x] = 0.75 * r0[x] + 0.25 * r1[x];
                }
            }
            rgb_row(pl->p[0].data + y * pl->p[0].stride, vb, vr, w, out->pixels + y * w * 3);
        }
        free(scratch);
    }
}

void recimg_plane_to_blocks(const recimg_plane *p, double *blocks)
{
    for (size_t by = 0; by < p->bh; by++)
        for (size_t bx = 0; bx < p->bw; bx++, blocks += 64)
            for (size_t y = 0; y < 8; y++)
                memcpy(blocks + y * 8, p->data + (by * 8 + y) * p->stride + bx * 8,
                       8 * sizeof(double));
}

void recimg_plane_from_blocks(recimg_plane *p, const double *blocks)
{
    for (size_t by = 0; by < p->bh; by++)
        for (size_t bx = 0; bx < p->bw; bx++, blocks += 64)
            for (size_t y = 0; y < 8; y++)
                memcpy(p->data + (by * 8 + y) * p->stride + bx * 8, blocks + y * 8,
                       8 * sizeof(double));
}
