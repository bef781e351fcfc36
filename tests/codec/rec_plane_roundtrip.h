/* One plane through the REC stage and back, for the codec-level exactness tests
 * (test_codec_rec_exact, test_codec_rec_exact_dz): recimg_rec_encode_plane with fresh
 * contexts (its statistics into *stats), then recimg_rec_decode_plane of the bytes into
 * out. Every plane coefficient must be coded (no zero-bit skips): the tests compare each
 * decoded value with its channel's law. */
#ifndef TESTS_CODEC_REC_PLANE_ROUNDTRIP_H
#define TESTS_CODEC_REC_PLANE_ROUNDTRIP_H

#include "codec_ctx.h"
#include "codec_rec.h"
#include "codec_test_util.h"
#include "rec.h"

#include <stdlib.h>

static inline void rec_plane_roundtrip(const double *coef, double *out, uint32_t bw, uint32_t bh,
                                       const recimg_rec_plane_params *pp, recimg_rec_stats *stats,
                                       const recimg_rec_recon *recon)
{
    rec_rc_encoder enc;
    rec_rc_decoder dec;
    recimg_ctx *ce = NULL, *cd = NULL;
    uint8_t *buf = NULL;
    size_t size = 0;
    CHECK(rec_rc_encoder_init(&enc) == 0);
    CHECK(recimg_ctx_create(bw, RECIMG_CTX_CONTINUOUS, &ce) == RECIMG_OK);
    CHECK(recimg_ctx_create(bw, RECIMG_CTX_CONTINUOUS, &cd) == RECIMG_OK);
    CHECK(recimg_rec_encode_plane(&enc, ce, coef, bw, bh, pp, stats) == RECIMG_OK);
    CHECK(stats->coded == (uint64_t)bw * bh * 64u && stats->skipped == 0);
    CHECK(rec_rc_encoder_finish(&enc, &buf, &size) == 0);
    rec_rc_decoder_init(&dec, buf, size);
    CHECK(recimg_rec_decode_plane(&dec, cd, out, bw, bh, pp, recon) == RECIMG_OK);
    free(buf);
    recimg_ctx_free(ce);
    recimg_ctx_free(cd);
}

#endif
