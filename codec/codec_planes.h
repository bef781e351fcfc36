/* Colour conversion, chroma subsampling, padding and cropping.
 *
 * Planes hold level-shifted samples as doubles (Y - 128, Cb - 128, Cr - 128,
 * full-range BT.601) padded by edge replication to whole 8x8 blocks. 4:2:0
 * chroma is the 2x2 box mean of the (edge-replicated) full-resolution chroma;
 * the decoder upsamples it with the triangle ("fancy") filter, centred as the
 * box filter implies. The decoder's arithmetic here is + - * only, with
 * floor() for rounding, so its pixels are identical across builds.
 *
 * Bands (issue 7, bounded memory): the codec never holds a whole plane. The
 * encoder fills the blocks of one band of block rows at a time straight from the
 * caller's pixels (recimg_plane_blocks_from_image: the samples of
 * recimg_plane_rows_from_image in block layout); the decoder keeps a window of
 * each plane's rows (the current band plus the one row of context that 4:2:0
 * upsampling needs from the band above) and converts the output rows it can
 * (recimg_rows_to_image). Every sample and pixel is computed by the same
 * expression as in the whole-image forms, so the results do not depend on the
 * band height. */
#ifndef CODEC_CODEC_PLANES_H
#define CODEC_CODEC_PLANES_H

#include "recimg.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t width, height;    /* meaningful samples */
    uint32_t bw, bh;           /* blocks across and down (ceil(dim / 8)) */
    size_t stride;             /* bw * 8 */
    double *data;              /* stride * bh * 8 samples, padded (NULL for geometry only) */
} recimg_plane;

typedef struct {
    int nplanes;               /* 1 or 3 */
    int subsampled;            /* 4:2:0 chroma */
    recimg_plane p[3];
} recimg_planes;

/* Fills the geometry of the planes of an image (nothing allocated; data NULL).
 * Sides up to RECIMG_MAX_SIDE. */
void recimg_planes_init(recimg_planes *pl, uint32_t width, uint32_t height, int nplanes,
                        int subsampled);

/* ---- band forms (the codec's pipeline) ---- */

/* Encoder: writes rows [y0, y1) of plane i (padded coordinates, y1 <= bh * 8)
 * to rows ((y1 - y0) rows of stride doubles), colour-converted (and 4:2:0
 * downsampled) from the 8-bit gray or RGB image img, padded by edge
 * replication. */
void recimg_plane_rows_from_image(const recimg_planes *pl, int i, const recimg_image *img,
                                  uint32_t y0, uint32_t y1, double *rows);

/* The same for both 4:2:0 chroma planes at once (planes 1 and 2; subsampled). */
void recimg_chroma_rows_from_image(const recimg_planes *pl, const recimg_image *img, uint32_t y0,
                                   uint32_t y1, double *cb_rows, double *cr_rows);

/* Encoder, without a buffer of sample rows: the blocks of block rows [by0, by1)
 * of plane i (raster order, 64 samples each, the values of
 * recimg_plane_rows_from_image) straight from the image. */
void recimg_plane_blocks_from_image(const recimg_planes *pl, int i, const recimg_image *img,
                                    uint32_t by0, uint32_t by1, double *blocks);
/* The same for both 4:2:0 chroma planes at once. */
void recimg_chroma_blocks_from_image(const recimg_planes *pl, const recimg_image *img, uint32_t by0,
                                     uint32_t by1, double *cb_blocks, double *cr_blocks);

/* Scatters nbrows block rows of blocks (raster order, 64 samples each) into
 * sample rows (stride doubles apart, bw blocks across). */
void recimg_rows_from_blocks(double *rows, size_t stride, uint32_t bw, uint32_t nbrows,
                             const double *blocks);

/* Doubles of scratch recimg_rows_to_image needs for an image of this width. */
size_t recimg_rows_scratch_size(const recimg_planes *pl, uint32_t width);

/* Decoder: converts output rows [y0, y1) to 8-bit pixels in out (whole image,
 * width*height*channels bytes). Plane i's row r is read at win[i] + (r -
 * first[i]) * stride: the window must hold luma rows [y0, y1) and, for 4:2:0,
 * chroma rows y0/2 - 1 .. (y1 - 1)/2 + 1 clamped to the plane's meaningful
 * rows. scratch holds recimg_rows_scratch_size() doubles. */
void recimg_rows_to_image(const recimg_planes *pl, const double *const win[3],
                          const uint32_t first[3], uint32_t y0, uint32_t y1, recimg_image *out,
                          double *scratch);

/* ---- whole-image forms (the reference the band forms are tested against:
 *      tests/codec/test_speed_planes.c) ---- */

/* Allocates planes for an image of the given size (checked arithmetic). */
recimg_status recimg_planes_alloc(recimg_planes *pl, uint32_t width, uint32_t height,
                                  int nplanes, int subsampled);
void recimg_planes_free(recimg_planes *pl);

/* Encoder: fills allocated planes from an 8-bit gray or RGB image and pads. */
void recimg_planes_from_image(recimg_planes *pl, const recimg_image *img);

/* Decoder: converts planes (already reconstructed) to 8-bit pixels, cropping.
 * out->pixels must hold width*height*channels bytes. RECIMG_ERR_OUT_OF_MEMORY
 * when the upsampling scratch cannot be allocated. */
recimg_status recimg_planes_to_image(const recimg_planes *pl, recimg_image *out);

#endif
