#include "recimg.h"
#include "imageio.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* bench/diagnostics/round_prior_encode.c (roundv3, session 6; not built by CMake): one
 * round-mode encode with round_block_gain GAIN (0 = context model v1, prior id 1; 1 = v5,
 * prior id 5), matrix 1, chroma step 0.7, one thread: the encoder side of the instruction
 * counts in docs/REC_CODEC.md "The rounding baseline's context model v5" (build and
 * commands there).
 * DEADZONE (optional, default 0; rounddz, session 7): round_deadzone, header flags2 0x800
 * (docs/REC_CODEC.md "Decoder-aware deadzone (session 7)").
 *   round_prior_encode IN.png OUT.rec QUALITY GAIN [DEADZONE] */
int main(int argc, char **argv)
{
    imageio_image im; char err[256]; recimg_encoder_params p; recimg_encoder *e = NULL;
    recimg_image r; uint8_t *out = NULL; size_t n = 0; FILE *f;
    if ((argc != 5 && argc != 6) || imageio_read(argv[1], IMAGEIO_ALPHA_REFUSE, &im, err, sizeof err)) {
        fprintf(stderr, "usage: round_prior_encode IN.png OUT.rec QUALITY GAIN [DEADZONE] (a readable image)\n");
        return 1;
    }
    recimg_encoder_params_default(&p);
    p.quality = atof(argv[3]); p.round_block_gain = atoi(argv[4]); p.threads = 1;
    p.round_deadzone = argc == 6 ? atoi(argv[5]) : 0;
    p.matrix_id = 1; p.chroma_step_scale = 0.7;
    r.width = im.width; r.height = im.height; r.channels = (uint32_t)im.channels; r.pixels = im.pixels;
    if (recimg_encoder_create(&p, &e) || recimg_encode(e, &r, &out, &n, NULL)) {
        fprintf(stderr, "round_prior_encode: encoding failed\n");
        return 1;
    }
    f = fopen(argv[2], "wb");
    if (!f || fwrite(out, 1, n, f) != n || fclose(f)) {
        fprintf(stderr, "round_prior_encode: cannot write %s\n", argv[2]);
        return 1;
    }
    printf("%zu bytes\n", n);
    return 0;
}
