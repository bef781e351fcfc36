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
        for (size_t x = 0; x < w; x++) {
            const uint8_t *px = img->pixels + (y * w + x) * 3;
            const double r = px[0], g = px[1], b = px[2];
            pl->p[0].data[y * pl->p[0].stride + x] = 0.299 * r + 0.587 * g + 0.114 * b - 128.0;
            if (!pl->subsampled) {
                pl->p[1].data[y * pl->p[1].stride + x] = -0.168735892 * r - 0.331264108 * g + 0.5 * b;
                pl->p[2].data[y * pl->p[2].stride + x] = 0.5 * r - 0.418687589 * g - 0.081312411 * b;
            }
        }
    }
    if (pl->subsampled) {
        /* 2x2 box mean; odd edges replicate the last pixel. */
        for (size_t cy = 0; cy < pl->p[1].height; cy++) {
            for (size_t cx = 0; cx < pl->p[1].width; cx++) {
                double cb = 0.0, cr = 0.0;
                for (size_t dy = 0; dy < 2; dy++) {
                    for (size_t dx = 0; dx < 2; dx++) {
                        size_t x = 2 * cx + dx, y = 2 * cy + dy;
                        const uint8_t *px;
                        if (x >= w) x = w - 1;
                        if (y >= h) y = h - 1;
                        px = img->pixels + (y * w + x) * 3;
                        cb += -0.168735892 * px[0] - 0.331264108 * px[1] + 0.5 * px[2];
                        cr += 0.5 * px[0] - 0.418687589 * px[1] - 0.081312411 * px[2];
                    }
                }
                pl->p[1].data[cy * pl->p[1].stride + cx] = 0.25 * cb;
                pl->p[2].data[cy * pl->p[2].stride + cx] = 0.25 * cr;
            }
        }
    }
    for (int i = 0; i < 3; i++)
        plane_pad(&pl->p[i]);
}

static uint8_t clamp_round(double v)
{
    /* floor(v + 0.5) is exact in IEEE arithmetic, so identical across builds. */
    if (!(v > 0.0)) return 0;      /* also maps NaN to 0 */
    if (v >= 255.0) return 255;
    return (uint8_t)floor(v + 0.5);
}

/* Triangle-filter 2x upsampling of one chroma row pair position: the output
 * sample at full-resolution x sits at chroma coordinate (x - 0.5) / 2, so
 * its two nearest chroma samples get weights 3/4 and 1/4 (libjpeg's "fancy"
 * upsampling). Edges replicate. */
static double chroma_at(const recimg_plane *c, size_t x, size_t y)
{
    const size_t cx = x / 2, cy = y / 2;
    const size_t nx = (x & 1) ? (cx + 1 < c->width ? cx + 1 : cx) : (cx > 0 ? cx - 1 : 0);
    const size_t ny = (y & 1) ? (cy + 1 < c->height ? cy + 1 : cy) : (cy > 0 ? cy - 1 : 0);
    const double *r0 = c->data + cy * c->stride, *r1 = c->data + ny * c->stride;
    const double a = 0.75 * r0[cx] + 0.25 * r0[nx];
    const double b = 0.75 * r1[cx] + 0.25 * r1[nx];
    return 0.75 * a + 0.25 * b;
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
    for (size_t y = 0; y < h; y++) {
        for (size_t x = 0; x < w; x++) {
            const double yy = pl->p[0].data[y * pl->p[0].stride + x] + 128.0;
            double cb, cr;
            uint8_t *px = out->pixels + (y * w + x) * 3;
            if (pl->subsampled) {
                cb = chroma_at(&pl->p[1], x, y);
                cr = chroma_at(&pl->p[2], x, y);
            } else {
                cb = pl->p[1].data[y * pl->p[1].stride + x];
                cr = pl->p[2].data[y * pl->p[2].stride + x];
            }
            px[0] = clamp_round(yy + 1.402 * cr);
            px[1] = clamp_round(yy - 0.344136286 * cb - 0.714136286 * cr);
            px[2] = clamp_round(yy + 1.772 * cb);
        }
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
