/* Colour conversion, chroma subsampling, padding and cropping.
 *
 * Planes hold level-shifted samples as doubles (Y - 128, Cb - 128, Cr - 128,
 * full-range BT.601) padded by edge replication to whole 8x8 blocks. 4:2:0
 * chroma is the 2x2 box mean of the (edge-replicated) full-resolution chroma;
 * the decoder upsamples it with the triangle ("fancy") filter, centred as the
 * box filter implies. The decoder's arithmetic here is + - * only, with
 * floor() for rounding, so its pixels are identical across builds. */
#ifndef CODEC_CODEC_PLANES_H
#define CODEC_CODEC_PLANES_H

#include "recimg.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t width, height;    /* meaningful samples */
    uint32_t bw, bh;           /* blocks across and down (ceil(dim / 8)) */
    size_t stride;             /* bw * 8 */
    double *data;              /* stride * bh * 8 samples, padded */
} recimg_plane;

typedef struct {
    int nplanes;               /* 1 or 3 */
    int subsampled;            /* 4:2:0 chroma */
    recimg_plane p[3];
} recimg_planes;

/* Allocates planes for an image of the given size (checked arithmetic). */
recimg_status recimg_planes_alloc(recimg_planes *pl, uint32_t width, uint32_t height,
                                  int nplanes, int subsampled);
void recimg_planes_free(recimg_planes *pl);

/* Encoder: fills allocated planes from an 8-bit gray or RGB image and pads. */
void recimg_planes_from_image(recimg_planes *pl, const recimg_image *img);

/* Decoder: converts planes (already reconstructed) to 8-bit pixels, cropping.
 * out->pixels must hold width*height*channels bytes. */
void recimg_planes_to_image(const recimg_planes *pl, recimg_image *out);

/* Gathers the plane's 8x8 blocks in raster order into blocks (bw*bh*64). */
void recimg_plane_to_blocks(const recimg_plane *p, double *blocks);
/* Scatters blocks back into the plane. */
void recimg_plane_from_blocks(recimg_plane *p, const double *blocks);

#endif
