/* Public API: parameter validation, encoder and decoder objects, the pipeline
 * (planes -> blocks -> transform -> coefficient stage -> container) and its
 * inverse. The coefficient stage is the rounding baseline (codec_round.c);
 * REC mode is validated and stored but reported as unsupported until it exists. */
#include "codec_ctx.h"
#include "codec_format.h"
#include "codec_internal.h"
#include "codec_planes.h"
#include "codec_rec.h"
#include "codec_round.h"
#include "codec_threads.h"   /* speed: per-plane jobs */
#include "rec_rc.h"
#include "recimg.h"
#include "rtx_transform.h"
#include "rtx_file.h"        /* learned-transform: embedded transforms */

#include <math.h>
#include <stdio.h>    /* learned-transform: snprintf */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_SEED UINT64_C(0x7265636967736565)   /* "recigsee" */
/* The step matrix and chroma step by default (RECIMG_MATRIX_DEFAULT, chroma_step_scale 0;
   resolved in recimg_encode_bands). Since session 9 both modes default to the flat matrix 0
   when the file gets their deadzone (REC: the deadzone uq, flags2 0x400; round: its
   decoder-aware deadzone, 0x800), the defaults: in session 8 the flat matrix improved every
   one of the 8 test images on its own in either codec (docs/REC_CODEC.md "Encoder parameters
   under the deadzone (session 8)" and "Flat matrix defaults (session 9)"); without the
   deadzone (other samplers, --deadzone 0) they keep the gentle slope, matrix 1. */
#define DEFAULT_MATRIX_ID 1u
#define DEFAULT_DZ_MATRIX_ID 0u
/* The chroma step's default follows the file's matrix, so that an explicit matrix 1 gives
   the files of before session 9 and an explicit matrix 0 the defaults. Matrix 1 (or 2):
   round 0.85 x luma (218/256; measured in session 1), rec 0.65 (166/256 = 0.6484, tuned on
   TRAIN against the rounding baseline at its own best chroma step 0.7, docs/REC_CODEC.md
   "Session 4 levers"). Matrix 0: rec 0.55 (141/256 = 0.5508; session 8, TRAIN under the
   deadzone, "Encoder parameters under the deadzone (session 8)"), round 0.6 (154/256 =
   0.6016; round's best on TRAIN in the same sweep, s8_round_dz_m0_cC_qlow). */
#define DEFAULT_CHROMA_SCALE_CODE 218u
#define DEFAULT_REC_CHROMA_SCALE_CODE 166u
#define DEFAULT_FLAT_CHROMA_SCALE_CODE 154u
#define DEFAULT_REC_FLAT_CHROMA_SCALE_CODE 141u
/* REC defaults, chosen by measurement (docs/REC_CODEC.md): uq with tau = 0.08 bits
   (0.12 since context model v3, whose in-block gain sharpens the zero-bit rule)
   beat lrq (best tau 0.15) by about 10 points of BD-rate against the rounding baseline. */
#define DEFAULT_SAMPLER RECIMG_SAMPLER_UQ
#define DEFAULT_ZERO_BITS_UQ 0.12
#define DEFAULT_ZERO_BITS_LRQ 0.15
#define DEFAULT_ZERO_BITS_BLOCK 0.16   /* 0.08 until session 4 (retuned under v3, docs/REC_CODEC.md) */
/* REC: channel noise sd = REC_NOISE_FACTOR x the rounding step of the same quality */
#define REC_NOISE_FACTOR 0.5
/* With the flat matrix 0 (explicit or by default, either mode) the step of a quality is
   multiplied by a factor of the mode's, so that a quality's rate stays about where it was
   with matrix 1 at the same chroma default: the flat matrix's AC steps are finer than matrix
   1's (up to 2.75 x), so at the same step the rate rises. REC: 23/16 (session 8: on TRAIN the
   flat noise that gives matrix 1's rate is 1.27 x its DC noise at 0.16 bpp and 1.75 x at 2 bpp;
   23/16, an exact binary fraction, lies between). Round: ROUND_FLAT_FACTOR (session 9, the
   same measurement on TRAIN, docs/REC_CODEC.md "Flat matrix defaults (session 9)"). Either
   only relabels the points of the rate-distortion curve, not the curve; the file stores the
   resulting step code, so no decoder sees the factor. */
#define REC_FLAT_FACTOR (23.0 / 16.0)
#define ROUND_FLAT_FACTOR (25.0 / 16.0)

struct recimg_encoder {
    recimg_encoder_params p;
    recimg_transform *tx;
    recimg_transform *tx_more[2];   /* planes 1 and 2 when planes run on threads (4:2:0: [0] for both) */
    uint8_t *tx_embed;        /* learned-transform: record written into every .rec (id 4) */
    size_t tx_embed_size;
};

struct recimg_decoder {
    recimg_decoder_params p;
    recimg_transform *tx;
    recimg_transform *tx_more[2];   /* planes 1 and 2 when planes run on threads */
};

const char *recimg_strerror(recimg_status status)
{
    switch (status) {
    case RECIMG_OK: return "success";
    case RECIMG_ERR_INVALID_ARGUMENT: return "invalid argument";
    case RECIMG_ERR_OUT_OF_MEMORY: return "out of memory";
    case RECIMG_ERR_UNSUPPORTED: return "not supported by this build";
    case RECIMG_ERR_BAD_MAGIC: return "not a .rec file (bad magic number)";
    case RECIMG_ERR_BAD_VERSION: return "unsupported .rec version";
    case RECIMG_ERR_TRUNCATED: return "truncated .rec file";
    case RECIMG_ERR_CORRUPT: return "corrupt .rec file";
    case RECIMG_ERR_CHECKSUM: return "CRC-32 mismatch (corrupt .rec file)";
    case RECIMG_ERR_LIMIT: return "image larger than the configured limit";
    case RECIMG_ERR_INTERNAL: return "internal error";
    case RECIMG_ERR_SAMPLER_LIMIT:
        return "the REC sampler reached its step cap (try --sampler uq or lrq)";
    }
    return "unknown status";
}

const char *recimg_version_string(void)
{
    return "0.1.0";
}

void recimg_quality_range(double *min_quality, double *max_quality)
{
    if (min_quality) *min_quality = 0.0;
    if (max_quality) *max_quality = 100.0;
}

void recimg_realism_range(double *min_realism, double *max_realism)
{
    if (min_realism) *min_realism = 0.0;
    if (max_realism) *max_realism = 1.0;
}

void recimg_free(void *p)
{
    free(p);
}

/* ------------------------------------------------------------ step matrix */

/* Global step from quality, JPEG-like: 8 * 50/q below 50, 8 * (2 - q/50) above,
 * floored at 1/4. Encoder only: the file stores the resulting step code. */
static uint32_t step_code_from_quality(double q, double factor)
{
    double s, code;
    if (q < 50.0)
        s = 50.0 / (q < 0.5 ? 0.5 : q);
    else
        s = 2.0 - q / 50.0;
    s *= 8.0 * factor;
    if (s < 0.25)
        s = 0.25;
    code = floor(s * 1024.0 + 0.5);
    if (code < RECIMG_STEP_CODE_MIN) code = RECIMG_STEP_CODE_MIN;
    if (code > RECIMG_STEP_CODE_MAX) code = RECIMG_STEP_CODE_MAX;
    return (uint32_t)code;
}

/* Per-band step multipliers in 1/16 units (raster order). Matrix 0 is flat (the
 * default with either mode's deadzone since session 9, DEFAULT_DZ_MATRIX_ID);
 * 1 rises gently with frequency, (16 + 2(u+v))/16 (the default before: measured
 * better than flat by about 3% BD-rate on testimages without the deadzones, docs/FORMAT.md); 2 is the JPEG Annex K luminance table
 * normalised to a DC of 16. The steps are exact binary fractions times the
 * step code, so encoder and decoder compute identical steps. */
static void band_steps(uint32_t matrix_id, uint32_t step_code, uint32_t scale_code, double step[64])
{
    static const uint8_t annex_k[64] = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    for (int k = 0; k < 64; k++) {
        const int u = k & 7, v = k >> 3;
        uint32_t m16 = 16;
        if (matrix_id == 1)
            m16 = (uint32_t)(16 + 2 * (u + v));
        else if (matrix_id == 2)
            m16 = annex_k[k];
        step[k] = (double)step_code / 1024.0 * (double)m16 / 16.0 * (double)scale_code / 256.0;
    }
}

/* ---------------------------------------------------------------- encoder */

void recimg_encoder_params_default(recimg_encoder_params *p)
{
    memset(p, 0, sizeof *p);
    p->mode = RECIMG_MODE_ROUND;
    p->quality = 75.0;
    p->chroma = RECIMG_CHROMA_420;
    p->sampler = RECIMG_SAMPLER_NONE;
    p->transform_id = RTX_TRANSFORM_DCT8;
    p->seed = DEFAULT_SEED;
    p->threads = 0;
    p->max_pixels = RECIMG_DEFAULT_MAX_PIXELS;
    p->matrix_id = RECIMG_MATRIX_DEFAULT;   /* the mode's (recimg_encode_bands) */
    p->chroma_step_scale = 0.0;
    p->rec_zero_bits = -1.0;   /* the sampler's default */
    p->rec_uq_far_bin = 1;
    p->rec_skip_energy = 1;
    p->rec_fast_chain = 1;
    p->rec_block_dither = 1;
    p->rec_uq_deadzone = 1;
    p->rec_uq_dz_draw = 0;   /* opt-in: dominated on TRAIN (docs/REC_CODEC.md "Deadzone uq") */
    p->rec_dz_fast_rule = 1;
    p->round_block_gain = 1;   /* context model v5 (prior id 5), docs/REC_CODEC.md */
    p->round_deadzone = 1;   /* flags2 0x800, the decoder-aware deadzone (session 8: like REC's uq) */
    p->rec_block_flag = 0;
    p->recon_table = 1;
}

static recimg_status validate_encoder_params(const recimg_encoder_params *p)
{
    RETURN_IF(!(p->quality >= 0.0 && p->quality <= 100.0), RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->mode != RECIMG_MODE_ROUND && p->mode != RECIMG_MODE_REC, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->chroma != RECIMG_CHROMA_420 && p->chroma != RECIMG_CHROMA_444, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF((unsigned)p->sampler > RECIMG_SAMPLER_BLOCK, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->mode == RECIMG_MODE_ROUND && p->sampler != RECIMG_SAMPLER_NONE, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->threads < 0, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_legacy_bin_coder != 0 && p->rec_legacy_bin_coder != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->max_pixels == 0, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->matrix_id != RECIMG_MATRIX_DEFAULT && !recimg_matrix_id_valid(p->matrix_id),
              RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->chroma_step_scale != 0.0 &&
              !(p->chroma_step_scale >= 0.25 && p->chroma_step_scale <= 16.0), RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_zero_bits != -1.0 && !(p->rec_zero_bits >= 0.0 && p->rec_zero_bits <= 16.0),
              RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_uq_far_bin != 0 && p->rec_uq_far_bin != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_skip_energy != 0 && p->rec_skip_energy != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->round_block_gain != 0 && p->round_block_gain != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->round_deadzone != 0 && p->round_deadzone != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_fast_chain != 0 && p->rec_fast_chain != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_block_dither != 0 && p->rec_block_dither != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_uq_deadzone != 0 && p->rec_uq_deadzone != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_uq_dz_draw != 0 && p->rec_uq_dz_draw != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_dz_fast_rule != 0 && p->rec_dz_fast_rule != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->rec_block_flag != 0 && p->rec_block_flag != 1, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->recon_table != 0 && p->recon_table != 1, RECIMG_ERR_INVALID_ARGUMENT);
    /* learned-transform: id 4 takes its matrix from transform_file, other ids never do */
    RETURN_IF((p->transform_id == RTX_TRANSFORM_EMBEDDED) != (p->transform_file != NULL),
              RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->transform_id != RTX_TRANSFORM_EMBEDDED && !rtx_transform_id_supported(p->transform_id),
              RECIMG_ERR_UNSUPPORTED);
    RETURN_IF(p->mode == RECIMG_MODE_REC && p->sampler != RECIMG_SAMPLER_NONE &&
              !recimg_rec_sampler_supported(p->sampler), RECIMG_ERR_UNSUPPORTED);
    return RECIMG_OK;
}

/* A second transform object like t (same id, or the same embedded record) with
 * the directions dirs: transform objects hold scratch buffers, so each thread
 * needs its own. */
static recimg_status transform_like(const recimg_transform *t, const uint8_t *embed,
                                    size_t embed_size, int dirs, recimg_transform **out)
{
    int rc;
    *out = NULL;
    if (t->id == RTX_TRANSFORM_EMBEDDED)
        rc = rtx_embed_create(embed, embed_size, out);
    else
        rc = rtx_transform_create_dirs(t->id, dirs, out);
    RETURN_IF(rc == -2, RECIMG_ERR_OUT_OF_MEMORY);
    RETURN_IF(rc != 0, RECIMG_ERR_INTERNAL);
    return RECIMG_OK;
}

/* Last step of encoder creation: the per-plane transforms a threaded encode
 * uses (the FFTW plans are made here, at creation, never during encoding). The
 * encoder only transforms forward; with 4:2:0 one job codes both chroma planes,
 * which then share one object (speed, issue 8: fewer FFTW plans to make). */
static recimg_status encoder_finish(recimg_encoder *e, recimg_encoder **out)
{
    if (recimg_thread_count(e->p.threads, 3) > 1) {
        const int more = e->p.chroma == RECIMG_CHROMA_420 ? 1 : 2;
        for (int j = 0; j < more; j++) {
            const recimg_status st = transform_like(e->tx, e->tx_embed, e->tx_embed_size, RTX_DIR_FORWARD,
                                                    &e->tx_more[j]);
            if (st != RECIMG_OK) {
                recimg_encoder_free(e);
                return st;
            }
        }
    }
    *out = e;
    return RECIMG_OK;
}

recimg_status recimg_encoder_create(const recimg_encoder_params *p, recimg_encoder **out)
{
    recimg_encoder *e;
    RETURN_IF(!out, RECIMG_ERR_INVALID_ARGUMENT);
    *out = NULL;
    RETURN_IF(!p, RECIMG_ERR_INVALID_ARGUMENT);
    FORWARD_IF_ERROR(validate_encoder_params(p));
    e = (recimg_encoder *)calloc(1, sizeof *e);
    RETURN_IF(!e, RECIMG_ERR_OUT_OF_MEMORY);
    e->p = *p;
    if (p->transform_id == RTX_TRANSFORM_EMBEDDED) {
        /* learned-transform: the encoder builds its transform from the very record
           it embeds, as the decoder will, so both hold the same matrix; a file that
           holds a matrix this build knows is named by its id instead (no record). */
        int rc;
        const uint32_t known = rtx_known_id_of_rtx(p->transform_file, p->transform_file_size);
        if (known != 0) {
            e->p.transform_id = known;
            e->p.transform_file = NULL;
            e->p.transform_file_size = 0;
            if (rtx_transform_create_dirs(known, RTX_DIR_FORWARD, &e->tx) != 0) {
                free(e);
                return RECIMG_ERR_INTERNAL;
            }
            return encoder_finish(e, out);
        }
        e->p.transform_file = NULL;   /* the caller's buffer is not kept */
        e->p.transform_file_size = 0;
        e->tx_embed = (uint8_t *)malloc(RTX_EMBED_MAX_SIZE);
        if (!e->tx_embed) {
            free(e);
            return RECIMG_ERR_OUT_OF_MEMORY;
        }
        if (rtx_embed_from_rtx(p->transform_file, p->transform_file_size, e->tx_embed,
                               &e->tx_embed_size, NULL, 0) != RTX_FILE_OK) {
            free(e->tx_embed);
            free(e);
            return RECIMG_ERR_INVALID_ARGUMENT;
        }
        rc = rtx_embed_create(e->tx_embed, e->tx_embed_size, &e->tx);
        if (rc != 0) {
            free(e->tx_embed);
            free(e);
            return rc == -2 ? RECIMG_ERR_OUT_OF_MEMORY : RECIMG_ERR_INVALID_ARGUMENT;
        }
        return encoder_finish(e, out);
    }
    if (rtx_transform_create_dirs(p->transform_id, RTX_DIR_FORWARD, &e->tx) != 0) {
        free(e);
        return RECIMG_ERR_INTERNAL;
    }
    return encoder_finish(e, out);
}

/* learned-transform */
recimg_status recimg_transform_file_check(const uint8_t *data, size_t size, char *msg,
                                          size_t msg_size)
{
    uint8_t *rec;
    size_t rec_size;
    rtx_file_status st;
    recimg_transform *t = NULL;
    RETURN_IF(!data, RECIMG_ERR_INVALID_ARGUMENT);
    rec = (uint8_t *)malloc(RTX_EMBED_MAX_SIZE);
    RETURN_IF(!rec, RECIMG_ERR_OUT_OF_MEMORY);
    st = rtx_embed_from_rtx(data, size, rec, &rec_size, msg, msg_size);
    if (st == RTX_FILE_OK && rtx_embed_create(rec, rec_size, &t) != 0) {
        st = RTX_FILE_ERR_NOT_ORTHONORMAL;
        if (msg && msg_size)
            snprintf(msg, msg_size, "matrix is not orthonormal in 16-bit fixed point");
    }
    rtx_transform_destroy(t);
    free(rec);
    if (st == RTX_FILE_ERR_NOMEM)
        return RECIMG_ERR_OUT_OF_MEMORY;
    return st == RTX_FILE_OK ? RECIMG_OK : RECIMG_ERR_CORRUPT;
}

recimg_status recimg_encoder_set_quality(recimg_encoder *enc, double quality)
{
    RETURN_IF(!enc || !(quality >= 0.0 && quality <= 100.0), RECIMG_ERR_INVALID_ARGUMENT);
    enc->p.quality = quality;
    return RECIMG_OK;
}

void recimg_encoder_free(recimg_encoder *enc)
{
    if (!enc)
        return;
    rtx_transform_destroy(enc->tx);
    rtx_transform_destroy(enc->tx_more[0]);
    rtx_transform_destroy(enc->tx_more[1]);
    free(enc->tx_embed);   /* learned-transform */
    free(enc);
}

/* The chroma step code: the given multiplier, or the mode's default for the file's
   step matrix (DEFAULT_*CHROMA_SCALE_CODE). */
static uint32_t chroma_scale_code(const recimg_encoder_params *p, uint32_t matrix_id)
{
    if (p->chroma_step_scale == 0.0) {
        if (p->mode == RECIMG_MODE_REC)
            return matrix_id == 0 ? DEFAULT_REC_FLAT_CHROMA_SCALE_CODE : DEFAULT_REC_CHROMA_SCALE_CODE;
        return matrix_id == 0 ? DEFAULT_FLAT_CHROMA_SCALE_CODE : DEFAULT_CHROMA_SCALE_CODE;
    }
    return (uint32_t)floor(p->chroma_step_scale * 256.0 + 0.5);
}

/* REC plane parameters from the header; step[] holds the noise sd per band. */
static void rec_params(const recimg_header *h, uint32_t plane, const double *step,
                       recimg_rec_plane_params *pp)
{
    pp->want_kl = 0;
    pp->group_info_hi = 0.0;   /* the block sampler's format value */
    pp->sampler = (recimg_sampler)h->sampler;
    pp->seed = h->seed;
    pp->plane = plane;
    pp->skip_bits = (double)h->skip_code / 1024.0;
    pp->stat_weight = h->prior_id == RECIMG_PRIOR_LAPLACE_CTX1 ? 2.0 : 1.5;
    pp->block_gain = h->prior_id == RECIMG_PRIOR_LAPLACE_CTX3 || h->prior_id == RECIMG_PRIOR_LAPLACE_CTX4;
    /* prior id 4: a coded level per block of the luma plane (codec_rec.c, "block flag") */
    pp->block_flag = h->prior_id == RECIMG_PRIOR_LAPLACE_CTX4 && plane == 0;
    pp->quant_rev = (h->flags & RECIMG_FLAG_CLOSED_CDF)
                        ? ((h->flags & RECIMG_FLAG_FAST_CHAIN) ? REC_QUANT_REV_FAST : REC_QUANT_REV_CLOSED)
                        : REC_QUANT_REV_WINDOW;
    pp->fast_chain = (h->flags & RECIMG_FLAG_FAST_CHAIN) != 0;
    pp->block_dither = (h->flags & RECIMG_FLAG_BLOCK_DITHER) != 0;   /* sampler uq only (parser) */
    /* skipped draws of prior id 2 on: wider, with a floor, on the luma plane (codec_rec.c) */
    pp->skip_draw_wide = h->prior_id != RECIMG_PRIOR_LAPLACE_CTX1 && plane == 0;
    pp->uq_far_bin = (h->flags & RECIMG_FLAG_UQ_FAR_BIN) != 0;
    /* luma only; the decoder sets skip_scale from the file's table (decode_plane_start) */
    pp->skip_energy = (h->flags & RECIMG_FLAG_SKIP_ENERGY) != 0 && plane == 0;
    for (int g = 0; g < RECIMG_SKIP_GROUPS; g++)
        pp->skip_scale[g] = 1.0;
    pp->sigma = step;
    /* reconstruction table (codec_recon.h); the decoder points recon_t at the file's */
    pp->recon_table = (h->flags & RECIMG_FLAG_RECON_TABLE) != 0;
    pp->recon_zz = NULL;
    /* the deadzone uq of the AC coefficients (flags2 0x400; sampler uq, 0x01: parser) */
    pp->uq_deadzone = (h->flags & RECIMG_FLAG_UQ_DEADZONE) != 0;
    /* its decoder-private draws in the y-cells (flags2 0x1000; with 0x400 only: parser) */
    pp->uq_dz_draw = (h->flags & RECIMG_FLAG_UQ_DZ_DRAW) != 0;
    /* its fast rule (flags2 0x2000; only with 0x400: parser) */
    pp->dz_fast_rule = (h->flags & RECIMG_FLAG_DZ_FAST_RULE) != 0;
    /* encoder only: the block flag's slope (codec_rec.c FLAG_LAMBDA_FLAT) */
    pp->flat_matrix = h->matrix_id == 0;
}

/* Bands (issue 7, bounded memory): the codec never holds a whole plane, only
 * the caller's pixels (encoder) or the output pixels (decoder) and buffers of
 * a few block rows. The coding runs over the block rows in the same order as a
 * whole-plane pass, so bytes and pixels do not depend on how the rows are cut
 * (tests/codec/test_codec_bands.c).
 * - Chunks: coefficients are transformed and coded a chunk of whole block
 *   rows at a time, CHUNK_BLOCKS to twice as many blocks. A transform batch is
 *   256 blocks and a chunk's last batch is padded with zero blocks, so the
 *   height that pads least is chosen (chunk_rows). The encoder fills each
 *   chunk's blocks straight from the pixels (colour conversion row by row): it
 *   has no other buffer of samples.
 * - Bands (decoder): the planes' streams advance together a band of luma block
 *   rows at a time (4:2:0 chroma half as many: a band covers the same image
 *   rows in every plane), at least BAND_ROWS rows and BAND_MIN_BLOCKS luma
 *   blocks (thread start-up per band on narrow images), into windows of sample
 *   rows from which the output rows are converted; its height is chosen,
 *   like a chunk's, to pad little (default_band_rows).
 * At 40 MP (8000 x 5000) that is 4 luma block rows, and all these buffers
 * together come to under 0.1x the raw image (docs/SECURITY.md, "Memory"). */
#define CHUNK_BLOCKS 1024u
#define WINDOW_CONTEXT 8u     /* decoder: rows kept above a band (4:2:0 needs 1) */
#define BAND_ROWS 4u
#define BAND_MIN_BLOCKS 1024u

/* Blocks of padding in the last transform batch of n blocks. */
static uint64_t batch_padding(uint64_t n)
{
    return (256 - n % 256) % 256;
}

/* Luma block rows per band (even, so that 4:2:0 chroma gets half): at least
   BAND_ROWS and BAND_MIN_BLOCKS luma blocks; among up to twice that, the height
   whose chunks (one per plane and band) pad their last transform batch least. */
static uint32_t default_band_rows(uint32_t width, int subsampled)
{
    const uint64_t bw = ((uint64_t)width + 7) / 8, cbw = (((uint64_t)width + 1) / 2 + 7) / 8;
    uint64_t r0 = bw ? (BAND_MIN_BLOCKS + bw - 1) / bw : BAND_ROWS, best = 0;
    double best_waste = 2.0;
    if (r0 < BAND_ROWS)
        r0 = BAND_ROWS;
    r0 += r0 & 1;
    for (uint64_t r = r0; r <= 2 * r0; r += 2) {
        const uint64_t cn = subsampled ? r / 2 * cbw : r * bw;
        const double waste = (double)(batch_padding(r * bw) + 2 * batch_padding(cn)) / (double)(r * bw + 2 * cn);
        if (waste < best_waste) {
            best_waste = waste;
            best = r;
        }
    }
    return (uint32_t)best;
}

/* Block rows per chunk of plane i, never more than `band` (>= 1): at least
   CHUNK_BLOCKS blocks, and among up to twice that the height whose last
   transform batch pads least (a whole plane needs no more). */
static uint32_t chunk_rows(const recimg_planes *pl, int i, uint32_t band)
{
    const uint64_t bw = pl->p[i].bw, bh = pl->p[i].bh;
    const uint64_t r0 = (CHUNK_BLOCKS + bw - 1) / bw;
    uint64_t best = r0;
    if (r0 >= bh)
        best = bh;
    else
        for (uint64_t r = r0 + 1; r <= 2 * r0 && r < bh; r++)
            if (batch_padding(r * bw) * best < batch_padding(best * bw) * r)
                best = r;
    return best < band ? (uint32_t)best : band;
}

/* Buffers of plane i: sample rows for window_brows block rows plus extra_rows
 * (stride doubles each; none when rows is NULL), and the coefficients of
 * coef_brows block rows (block row counts capped at the plane's). */
static recimg_status plane_buffers(const recimg_planes *pl, int i, uint32_t window_brows,
                                   uint32_t extra_rows, uint32_t coef_brows, double **rows,
                                   double **coef)
{
    const recimg_plane *p = &pl->p[i];
    const uint32_t nc = coef_brows < p->bh ? coef_brows : p->bh;
    const uint32_t nw = window_brows < p->bh ? window_brows : p->bh;
    size_t n_rows, n_coef;
    double *r = NULL;
    if (rows)
        *rows = NULL;
    *coef = NULL;
    RETURN_IF(recimg_size_mul3(p->stride, (size_t)nw * 8 + extra_rows, sizeof(double), &n_rows) != 0 ||
              recimg_size_mul3((size_t)p->bw * nc, 64, sizeof(double), &n_coef) != 0, RECIMG_ERR_LIMIT);
    if (rows)
        r = (double *)malloc(n_rows);
    *coef = (double *)malloc(n_coef);
    if ((rows && !r) || !*coef) {
        free(r);
        free(*coef);
        *coef = NULL;
        return RECIMG_ERR_OUT_OF_MEMORY;
    }
    if (rows)
        *rows = r;
    return RECIMG_OK;
}

/* speed (issue 8): the payload holds one range-coder stream per plane, preceded by
   the u32 LE byte length of every stream but the last (docs/FORMAT.md). A plane's
   coding depends only on that plane (its own context model, PRNG stream = plane
   index), so planes are coded on up to `threads` threads with identical bytes for
   every thread count. Each plane's job walks its bands: colour conversion from the
   caller's pixels, transform (a transform object per thread: they hold scratch
   buffers), coding. */
typedef struct {
    const recimg_header *h;
    const recimg_image *img;
    recimg_planes pl;          /* geometry only */
    uint32_t band[3];          /* block rows per band */
    recimg_transform *tx[3];
    int want_kl;
    uint8_t *stream[3];
    size_t stream_size[3];
    recimg_rec_stats rs[3];
    recimg_recon_acc racc[3];  /* round mode, header flag 0x40: the table's sums per plane */
    recimg_status st[3];
} encode_jobs;

/* One plane's coder: its range coder, context model and REC state, and band
   buffers, alive across the bands. */
typedef struct {
    int i;                     /* plane index */
    rec_rc_encoder rc;
    int rc_live;
    recimg_ctx *ctx;
    recimg_rec_plane_params pp;
    recimg_rec_plane_state ps;
    recimg_round_model rm;   /* round mode: the context model of the header's prior id */
    double step[64];
    double *coef;              /* the band's blocks, filled straight from the pixels */
} plane_coder;

static recimg_status plane_coder_init(encode_jobs *jb, int i, plane_coder *c)
{
    const recimg_header *h = jb->h;
    memset(c, 0, sizeof *c);
    c->i = i;
    RETURN_IF(rec_rc_encoder_init(&c->rc) != 0, RECIMG_ERR_OUT_OF_MEMORY);
    c->rc_live = 1;
    band_steps(h->matrix_id, h->step_code, i == 0 ? 256u : h->chroma_scale_code, c->step);
    rec_params(h, (uint32_t)i, c->step, &c->pp);
    c->pp.want_kl = jb->want_kl;
    jb->rs[i].want_kl = jb->want_kl;
    recimg_rec_plane_state_init(&c->ps);
    recimg_round_model_init(&c->rm, h->prior_id, h->flags);
    FORWARD_IF_ERROR(recimg_ctx_create(jb->pl.p[i].bw, h->mode == RECIMG_MODE_REC ? RECIMG_CTX_CONTINUOUS
                                                                                 : RECIMG_CTX_DISCRETE,
                                       &c->ctx));
    return plane_buffers(&jb->pl, i, 0, 0, jb->band[i], NULL, &c->coef);
}

/* Transforms and codes the blocks of rows [by0, by1) already in c->coef. */
static recimg_status plane_coder_band(encode_jobs *jb, plane_coder *c, uint32_t by0, uint32_t by1)
{
    const recimg_plane *p = &jb->pl.p[c->i];
    recimg_transform *tx = jb->tx[c->i];
    tx->forward(tx, c->coef, c->coef, (size_t)p->bw * (by1 - by0));
    if (jb->h->mode == RECIMG_MODE_REC)
        return recimg_rec_encode_rows(&c->rc, c->ctx, &c->ps, c->coef, p->bw, by0, by1, &c->pp,
                                      &jb->rs[c->i]);
    return recimg_round_encode_rows(&c->rc, c->ctx, c->coef, p->bw, by0, by1, c->step,
                                    (jb->h->flags & RECIMG_FLAG_RECON_TABLE) ? &jb->racc[c->i] : NULL, c->i > 0,
                                    &c->rm);
}

/* Hands over the stream (status st so far) and releases the coder. */
static recimg_status plane_coder_finish(encode_jobs *jb, plane_coder *c, recimg_status st)
{
    free(c->coef);
    recimg_ctx_free(c->ctx);
    if (c->rc_live && st == RECIMG_OK &&
        rec_rc_encoder_finish(&c->rc, &jb->stream[c->i], &jb->stream_size[c->i]) != 0)
        st = RECIMG_ERR_OUT_OF_MEMORY;
    if (c->rc_live && st != RECIMG_OK)
        rec_rc_encoder_free(&c->rc);
    return st;
}

/* Job j codes plane j; with 4:2:0 job 1 codes both chroma planes, whose samples
   come from the same pixels (one conversion pass; the luma job is twice their
   work, so pairing them costs no parallelism). */
static void encode_plane_job(void *arg, int j)
{
    encode_jobs *jb = (encode_jobs *)arg;
    const int pair = j == 1 && jb->pl.subsampled;
    const int n = pair ? 2 : 1;
    const recimg_plane *p = &jb->pl.p[j];
    plane_coder c[2];
    recimg_status st = RECIMG_OK;
    int k;
    for (k = 0; k < n && st == RECIMG_OK; k++)
        st = plane_coder_init(jb, j + k, &c[k]);
    for (uint32_t by0 = 0; st == RECIMG_OK && by0 < p->bh; by0 += jb->band[j]) {
        const uint32_t by1 = p->bh - by0 < jb->band[j] ? p->bh : by0 + jb->band[j];
        if (pair)
            recimg_chroma_blocks_from_image(&jb->pl, jb->img, by0, by1, c[0].coef, c[1].coef);
        else
            recimg_plane_blocks_from_image(&jb->pl, j, jb->img, by0, by1, c[0].coef);
        for (int m = 0; m < n && st == RECIMG_OK; m++)
            st = plane_coder_band(jb, &c[m], by0, by1);
    }
    while (k-- > 0)   /* the coders initialised (also the one that failed) */
        jb->st[j + k] = plane_coder_finish(jb, &c[k], st);
}

static void put_u32le(uint8_t *b, size_t v)
{
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
    b[2] = (uint8_t)(v >> 16);
    b[3] = (uint8_t)(v >> 24);
}

/* Bytes of the skip-energy table at the payload's start (header flag 0x04): one
   byte per band group of the luma plane. */
static size_t skip_table_size(const recimg_header *h)
{
    return (h->flags & RECIMG_FLAG_SKIP_ENERGY) ? (size_t)RECIMG_SKIP_GROUPS : 0;
}

/* Writes the table from the luma plane's sums. */
static void put_skip_table(const encode_jobs *jb, uint8_t *out)
{
    for (int g = 0; g < RECIMG_SKIP_GROUPS; g++)
        out[g] = (uint8_t)(int8_t)recimg_skip_q(jb->rs[0].skip_num[g], jb->rs[0].skip_den[g]);
}

/* The reconstruction table (header flag 0x40) from the planes' sums, in plane order
   (the same bytes for any thread count); returns its size in bytes. */
static size_t put_recon_table(const encode_jobs *jb, uint8_t *out)
{
    recimg_recon_acc acc;
    memset(&acc, 0, sizeof acc);
    for (int i = 0; i < jb->pl.nplanes; i++)
        recimg_recon_acc_merge(&acc, jb->h->mode == RECIMG_MODE_REC ? &jb->rs[i].recon : &jb->racc[i]);
    /* the slope of D + lambda R per unit^2 and bit: uq's channel variance is sigma^2,
       rounding's step^2 / 12 (codec_recon.c) */
    return recimg_recon_table_write(&acc, jb->h->mode == RECIMG_MODE_REC ? 2.0 * 0.69314718055994530942
                                                                         : 2.0 * 0.69314718055994530942 / 12.0,
                                    out);
}

static recimg_status encode_planes(recimg_encoder *enc, const recimg_image *img, const recimg_header *h,
                                   uint32_t band_rows_luma, uint8_t **payload, size_t *payload_size,
                                   recimg_rec_stats *rs)
{
    encode_jobs jb;
    recimg_status st = RECIMG_OK;
    int nthreads;
    size_t skip_table, table, total, at, recon_size = 0;
    uint8_t recon[RECIMG_RECON_MASK_BYTES + RECIMG_RECON_CLASSES];
    uint8_t *out = NULL;
    memset(&jb, 0, sizeof jb);
    jb.h = h;
    jb.img = img;
    jb.want_kl = rs->want_kl;
    recimg_planes_init(&jb.pl, img->width, img->height, img->channels == 1 ? 1 : 3, h->subsampling == 1);
    skip_table = skip_table_size(h);
    table = skip_table + 4 * (size_t)(jb.pl.nplanes - 1);
    total = at = table;
    for (int i = 0; i < jb.pl.nplanes; i++)   /* the encoder's unit is the chunk (band 0: no limit) */
        jb.band[i] = chunk_rows(&jb.pl, i, band_rows_luma == 0 ? UINT32_MAX
                                           : i > 0 && jb.pl.subsampled ? band_rows_luma / 2 : band_rows_luma);
    nthreads = recimg_thread_count(enc->p.threads, jb.pl.nplanes);
    for (int i = 0; i < 3; i++)   /* the per-plane transforms exist whenever threads do */
        jb.tx[i] = i == 0 || nthreads == 1 ? enc->tx : enc->tx_more[i - 1];
    if (jb.pl.subsampled)         /* one job codes both chroma planes (encode_plane_job) */
        jb.tx[2] = jb.tx[1];
    recimg_run_jobs(nthreads, jb.pl.subsampled ? 2 : jb.pl.nplanes, encode_plane_job, &jb);
    if (h->flags & RECIMG_FLAG_RECON_TABLE) {   /* after the skip-energy table */
        recon_size = put_recon_table(&jb, recon);
        table += recon_size;
        total += recon_size;
        at += recon_size;
    }
    for (int i = 0; i < jb.pl.nplanes; i++) {   /* plane order: identical sums for any thread count */
        if (st == RECIMG_OK)
            st = jb.st[i];
        if (st == RECIMG_OK && i + 1 < jb.pl.nplanes && jb.stream_size[i] > UINT32_MAX)
            st = RECIMG_ERR_LIMIT;
        total += jb.stream_size[i];
        rs->kl_bits += jb.rs[i].kl_bits;
        rs->coded += jb.rs[i].coded;
        rs->skipped += jb.rs[i].skipped;
        rs->groups += jb.rs[i].groups;
        rs->group_escapes += jb.rs[i].group_escapes;
        rs->group_bits += jb.rs[i].group_bits;
        rs->group_dot += jb.rs[i].group_dot;
        rs->group_norm2 += jb.rs[i].group_norm2;
    }
    if (st == RECIMG_OK && !(out = (uint8_t *)malloc(total ? total : 1)))
        st = RECIMG_ERR_OUT_OF_MEMORY;
    if (st == RECIMG_OK && skip_table)
        put_skip_table(&jb, out);
    if (st == RECIMG_OK && recon_size)
        memcpy(out + skip_table, recon, recon_size);
    for (int i = 0; st == RECIMG_OK && i < jb.pl.nplanes; i++) {
        if (i + 1 < jb.pl.nplanes)
            put_u32le(out + skip_table + recon_size + 4 * (size_t)i, jb.stream_size[i]);
        if (jb.stream_size[i])
            memcpy(out + at, jb.stream[i], jb.stream_size[i]);
        at += jb.stream_size[i];
    }
    for (int i = 0; i < 3; i++)
        free(jb.stream[i]);
    FORWARD_IF_ERROR(st);
    *payload = out;
    *payload_size = total;
    return RECIMG_OK;
}

static recimg_status validate_image(const recimg_image *img, uint64_t max_pixels)
{
    RETURN_IF(!img || !img->pixels, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(img->width == 0 || img->height == 0, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(img->channels != 1 && img->channels != 3, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(img->width > RECIMG_MAX_SIDE || img->height > RECIMG_MAX_SIDE, RECIMG_ERR_LIMIT);
    RETURN_IF((uint64_t)img->width * img->height > max_pixels, RECIMG_ERR_LIMIT);
    return RECIMG_OK;
}

recimg_status recimg_encode(recimg_encoder *enc, const recimg_image *img,
                            uint8_t **out, size_t *out_size, recimg_encode_stats *stats)
{
    return recimg_encode_bands(enc, img, 0, out, out_size, stats);
}

recimg_status recimg_encode_bands(recimg_encoder *enc, const recimg_image *img, uint32_t band_rows,
                                  uint8_t **out, size_t *out_size, recimg_encode_stats *stats)
{
    recimg_header h;
    uint8_t *payload = NULL;
    size_t payload_size = 0;
    recimg_status st;
    recimg_rec_stats rs;

    memset(&rs, 0, sizeof rs);
    RETURN_IF(!out || !out_size, RECIMG_ERR_INVALID_ARGUMENT);
    *out = NULL;
    *out_size = 0;
    if (stats)
        memset(stats, 0, sizeof *stats);
    rs.want_kl = stats != NULL;
    RETURN_IF(!enc || band_rows == 1 || band_rows % 2 != 0, RECIMG_ERR_INVALID_ARGUMENT);
    FORWARD_IF_ERROR(validate_image(img, enc->p.max_pixels));

    memset(&h, 0, sizeof h);
    h.width = img->width;
    h.height = img->height;
    h.color = img->channels == 1 ? 1u : 2u;
    h.subsampling = (img->channels == 3 && enc->p.chroma == RECIMG_CHROMA_420) ? 1u : 0u;
    h.transform_id = enc->p.transform_id;
    h.tx_embed = enc->tx_embed;                     /* learned-transform */
    h.tx_embed_size = (uint32_t)enc->tx_embed_size;
    h.mode = (uint32_t)enc->p.mode;
    h.sampler = (uint32_t)enc->p.sampler;
    if (enc->p.mode == RECIMG_MODE_REC) {
        if (h.sampler == RECIMG_SAMPLER_NONE)
            h.sampler = DEFAULT_SAMPLER;
        double tau = enc->p.rec_zero_bits;
        if (tau < 0.0)
            tau = h.sampler == RECIMG_SAMPLER_LRQ     ? DEFAULT_ZERO_BITS_LRQ
                  : h.sampler == RECIMG_SAMPLER_BLOCK ? DEFAULT_ZERO_BITS_BLOCK
                                                      : DEFAULT_ZERO_BITS_UQ;
        h.skip_code = (uint32_t)floor(tau * 1024.0 + 0.5);
    }
    /* REC files use context model v3 (cell statistic 1.5 e^2 and the in-block gain,
       docs/REC_CODEC.md); uq files with rec_block_flag = 1 (--effort 2) v4 (v3 and a
       coded level per luma block, "Block flag"); the rounding baseline has no such
       statistic: it uses v1, or v5 (v1 with v3's in-block gain; round_block_gain = 1,
       the default) */
    h.prior_id = enc->p.mode != RECIMG_MODE_REC
                     ? (enc->p.round_block_gain ? RECIMG_PRIOR_LAPLACE_CTX5 : RECIMG_PRIOR_LAPLACE_CTX1)
                 : h.sampler == RECIMG_SAMPLER_UQ && enc->p.rec_block_flag ? RECIMG_PRIOR_LAPLACE_CTX4
                                                                          : RECIMG_PRIOR_LAPLACE_CTX3;
    /* REC files use the closed-form bin coder (issue 8, docs/SPEED.md "Speed pass 5b") */
    h.flags = enc->p.mode == RECIMG_MODE_REC && !enc->p.rec_legacy_bin_coder ? RECIMG_FLAG_CLOSED_CDF : 0u;
    /* uq files ask for the far-bin reconstruction (decoder only: the payload does not
       depend on it; codec_rec.c, docs/REC_CODEC.md "Prior-adaptive uq step and far-bin
       reconstruction") */
    if (enc->p.mode == RECIMG_MODE_REC && h.sampler == RECIMG_SAMPLER_UQ && enc->p.rec_uq_far_bin)
        h.flags |= RECIMG_FLAG_UQ_FAR_BIN;
    /* the skip-energy table for the sample/realism decoders (decoder-only side
       information; codec_rec.c, docs/REC_CODEC.md "Skip-energy table") */
    if (enc->p.mode == RECIMG_MODE_REC && enc->p.rec_skip_energy)
        h.flags |= RECIMG_FLAG_SKIP_ENERGY;
    /* the short-chain coding revision (issue 8, docs/SPEED.md "Speed pass 8") */
    if (enc->p.mode == RECIMG_MODE_REC && enc->p.rec_fast_chain)
        h.flags |= RECIMG_FLAG_FAST_CHAIN;
    /* the reconstruction table for the mmse / realism decoders of both modes, by
       default in both so that each codec is measured with its best reconstruction
       (decoder-only side information; codec_recon.c, docs/REC_CODEC.md
       "Reconstruction table") */
    if (enc->p.recon_table)
        h.flags |= RECIMG_FLAG_RECON_TABLE;
    /* round: the prior-adaptive deadzone of the AC cells (codec_round.c, docs/REC_CODEC.md
       "Decoder-aware deadzone") */
    if (enc->p.mode == RECIMG_MODE_ROUND && enc->p.round_deadzone)   /* and the zero cells'
           draw scale fitted for the deadzone (0x4000: sample / realism decoding only) */
        h.flags |= RECIMG_FLAG_ROUND_DEADZONE | RECIMG_FLAG_ROUND_DZ_DRAW;
    /* uq: the dithers from a per-block sub-stream (issue 8, docs/SPEED.md "Speed pass 11") */
    if (enc->p.mode == RECIMG_MODE_REC && h.sampler == RECIMG_SAMPLER_UQ && enc->p.rec_block_dither)
        h.flags |= RECIMG_FLAG_BLOCK_DITHER;
    /* uq: the deadzone uq (issue 4, docs/REC_CODEC.md "Deadzone uq"); flags2, so the file
       is version 2. It needs the closed-form coder (0x01) */
    if (enc->p.mode == RECIMG_MODE_REC && h.sampler == RECIMG_SAMPLER_UQ && enc->p.rec_uq_deadzone &&
        (h.flags & RECIMG_FLAG_CLOSED_CDF))
        h.flags |= RECIMG_FLAG_UQ_DEADZONE;
    /* its decoder-private draws in the y-cells (decoder only: the same payload) */
    if ((h.flags & RECIMG_FLAG_UQ_DEADZONE) && enc->p.rec_uq_dz_draw)
        h.flags |= RECIMG_FLAG_UQ_DZ_DRAW;
    /* its rule from a table on b (issue 8, docs/SPEED.md "Speed pass 16") */
    if ((h.flags & RECIMG_FLAG_UQ_DEADZONE) && enc->p.rec_dz_fast_rule)
        h.flags |= RECIMG_FLAG_DZ_FAST_RULE;
    /* the step matrix: the mode's default needs the flags above (the flat matrix with
       either mode's deadzone); then the step of the quality (times the mode's flat factor
       with matrix 0) and the chroma step (its default follows the matrix) */
    if (enc->p.matrix_id != RECIMG_MATRIX_DEFAULT)
        h.matrix_id = enc->p.matrix_id;
    else
        h.matrix_id = (h.flags & (RECIMG_FLAG_UQ_DEADZONE | RECIMG_FLAG_ROUND_DEADZONE)) ? DEFAULT_DZ_MATRIX_ID
                                                                                          : DEFAULT_MATRIX_ID;
    {
        double factor = enc->p.mode == RECIMG_MODE_REC ? REC_NOISE_FACTOR : 1.0;
        if (h.matrix_id == 0)
            factor *= enc->p.mode == RECIMG_MODE_REC ? REC_FLAT_FACTOR : ROUND_FLAT_FACTOR;
        h.step_code = step_code_from_quality(enc->p.quality, factor);
    }
    h.chroma_scale_code = chroma_scale_code(&enc->p, h.matrix_id);
    h.quality_code = (uint32_t)floor(enc->p.quality * 100.0 + 0.5);
    h.seed = enc->p.seed;

    FORWARD_IF_ERROR(encode_planes(enc, img, &h, band_rows, &payload, &payload_size, &rs));
    h.payload_size = payload_size;
    st = recimg_format_write(&h, payload, payload_size, out, out_size);
    free(payload);
    FORWARD_IF_ERROR(st);
    if (stats) {
        stats->bytes = *out_size;
        stats->payload_bytes = payload_size;
        stats->payload_bits = 8.0 * (double)payload_size;
        stats->kl_bits = rs.kl_bits;
        stats->coded = rs.coded;
        stats->skipped = rs.skipped;
        stats->block_groups = rs.groups;
        stats->block_escapes = rs.group_escapes;
        stats->block_index_bits = rs.group_bits;
        stats->block_retained = rs.group_norm2 > 0.0 ? rs.group_dot / rs.group_norm2 : 0.0;
        stats->step = (double)h.step_code / 1024.0;
    }
    return RECIMG_OK;
}

/* ---------------------------------------------------------------- decoder */

void recimg_decoder_params_default(recimg_decoder_params *p)
{
    memset(p, 0, sizeof *p);
    p->decode = RECIMG_DECODE_DEFAULT;
    p->realism = 1.0;
    p->private_seed = 0;
    p->threads = 0;
    p->max_pixels = RECIMG_DEFAULT_MAX_PIXELS;
    p->max_input_size = RECIMG_DEFAULT_MAX_INPUT_SIZE;
}

recimg_status recimg_decoder_create(const recimg_decoder_params *p, recimg_decoder **out)
{
    recimg_decoder *d;
    RETURN_IF(!out, RECIMG_ERR_INVALID_ARGUMENT);
    *out = NULL;
    RETURN_IF(!p, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF((unsigned)p->decode > RECIMG_DECODE_REALISM, RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(!(p->realism >= 0.0 && p->realism <= 1.0), RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF(p->threads < 0 || p->max_pixels == 0 || p->max_input_size == 0,
              RECIMG_ERR_INVALID_ARGUMENT);
    d = (recimg_decoder *)calloc(1, sizeof *d);
    RETURN_IF(!d, RECIMG_ERR_OUT_OF_MEMORY);
    d->p = *p;
    *out = d;
    return RECIMG_OK;
}

void recimg_decoder_free(recimg_decoder *dec)
{
    if (!dec)
        return;
    rtx_transform_destroy(dec->tx);
    rtx_transform_destroy(dec->tx_more[0]);
    rtx_transform_destroy(dec->tx_more[1]);
    free(dec);
}

/* Decoding side of the per-plane streams (see encode_planes). The planes'
   streams are advanced together one band at a time: each plane's job (on up to
   `threads` threads) decodes its block rows of the band, inverse-transforms them
   and appends them to its window of sample rows; then the calling thread
   converts every output row whose samples are all present. Above the band a
   window keeps the rows later output rows still need: for 4:2:0 the triangle
   filter reads the chroma row above, so the last chroma and luma row of a band
   wait for the next one. That context is one row; WINDOW_CONTEXT bounds it. */
typedef struct {
    const recimg_header *h;
    const recimg_decoder *dec;
    recimg_planes pl;             /* geometry only */
    uint32_t band[3];             /* block rows per band */
    uint32_t chunk[3];            /* block rows per chunk (<= band) */
    recimg_transform *tx[3];
    const uint8_t *stream[3];
    size_t stream_size[3];
    rec_rc_decoder rc[3];
    recimg_ctx *ctx[3];
    double step[3][64];
    recimg_rec_plane_params pp[3];
    recimg_rec_plane_state rps[3];
    recimg_round_dec_state rds[3];
    double *rows[3], *coef[3];
    uint32_t first[3], count[3];  /* window: plane rows [first, first + count) at rows[i] */
    uint32_t by0[3], by1[3];      /* block rows of the current band */
    int started[3];
    recimg_status st[3];
    int skip_q[RECIMG_SKIP_GROUPS];   /* header flag 0x04: the table (luma) */
    recimg_recon_table recon;         /* header flag 0x40: the reconstruction table */
    double recon_zz[3][64][2];        /* ... by plane, zigzag index and cell type */
} decode_jobs;

/* A plane's decoding state, made by its job at the first band (the round
   mode's drawing decodes run their counting pass here, in parallel). */
static recimg_status decode_plane_start(decode_jobs *jb, int i)
{
    const recimg_header *h = jb->h;
    const recimg_decoder *dec = jb->dec;
    const recimg_plane *p = &jb->pl.p[i];
    rec_rc_decoder_init(&jb->rc[i], jb->stream[i], jb->stream_size[i]);
    band_steps(h->matrix_id, h->step_code, i == 0 ? 256u : h->chroma_scale_code, jb->step[i]);
    FORWARD_IF_ERROR(recimg_ctx_create(p->bw, h->mode == RECIMG_MODE_REC ? RECIMG_CTX_CONTINUOUS
                                                                          : RECIMG_CTX_DISCRETE,
                                       &jb->ctx[i]));
    rec_params(h, (uint32_t)i, jb->step[i], &jb->pp[i]);
    if (jb->pp[i].skip_energy)
        for (int g = 0; g < RECIMG_SKIP_GROUPS; g++)
            jb->pp[i].skip_scale[g] = recimg_skip_scale(jb->skip_q[g]);
    /* flag 0x40: the plane's corrections, none when its classes have no entry */
    if ((h->flags & RECIMG_FLAG_RECON_TABLE) && recimg_recon_table_expand(&jb->recon, i > 0, jb->recon_zz[i]) > 0)
        jb->pp[i].recon_zz = (const double (*)[2])jb->recon_zz[i];
    recimg_rec_plane_state_init(&jb->rps[i]);
    if (h->mode != RECIMG_MODE_REC) {
        recimg_round_recon rr;
        recimg_round_model rm;
        recimg_round_model_init(&rm, h->prior_id, h->flags);
        rr.mode = dec->p.decode;
        rr.realism = dec->p.realism;
        rr.private_seed = dec->p.private_seed;
        rr.plane = (uint32_t)i;
        rr.recon_zz = jb->pp[i].recon_zz;
        FORWARD_IF_ERROR(recimg_round_decode_begin(&jb->rds[i], &rm, &rr, jb->stream[i], jb->stream_size[i],
                                                   p->bw, p->bh));
    }
    return RECIMG_OK;
}

static recimg_status decode_plane_band(decode_jobs *jb, int i)
{
    const recimg_plane *p = &jb->pl.p[i];
    const uint32_t by0 = jb->by0[i], by1 = jb->by1[i];
    recimg_transform *tx = jb->tx[i];
    if (!jb->started[i]) {
        FORWARD_IF_ERROR(decode_plane_start(jb, i));
        jb->started[i] = 1;
    }
    /* chunk by chunk; a chunk's rows follow the window's (first + count == c0 * 8) */
    for (uint32_t c0 = by0; c0 < by1; c0 += jb->chunk[i]) {
        const uint32_t c1 = by1 - c0 < jb->chunk[i] ? by1 : c0 + jb->chunk[i];
        if (jb->h->mode == RECIMG_MODE_REC) {
            recimg_rec_recon recon;
            recon.mode = jb->dec->p.decode;
            recon.realism = jb->dec->p.realism;
            recon.private_seed = jb->dec->p.private_seed;
            FORWARD_IF_ERROR(recimg_rec_decode_rows(&jb->rc[i], jb->ctx[i], &jb->rps[i], jb->coef[i], p->bw,
                                                    c0, c1, &jb->pp[i], &recon));
        } else {
            FORWARD_IF_ERROR(recimg_round_decode_rows(&jb->rc[i], jb->ctx[i], jb->coef[i], p->bw, c0, c1,
                                                      jb->step[i], &jb->rds[i]));
        }
        tx->inverse(tx, jb->coef[i], jb->coef[i], (size_t)p->bw * (c1 - c0));
        recimg_rows_from_blocks(jb->rows[i] + (size_t)jb->count[i] * p->stride, p->stride, p->bw, c1 - c0,
                                jb->coef[i]);
        jb->count[i] += (c1 - c0) * 8;
    }
    return RECIMG_OK;
}

static void decode_plane_job(void *arg, int i)
{
    decode_jobs *jb = (decode_jobs *)arg;
    jb->st[i] = decode_plane_band(jb, i);
}

/* Output rows [0, returned) have all their samples in the windows. */
static uint32_t rows_ready(const decode_jobs *jb)
{
    const recimg_planes *pl = &jb->pl;
    uint32_t avail[3], y = UINT32_MAX;
    for (int i = 0; i < pl->nplanes; i++) {
        const uint32_t end = jb->first[i] + jb->count[i];
        avail[i] = end < pl->p[i].height ? end : pl->p[i].height;
    }
    if (!pl->subsampled) {
        for (int i = 0; i < pl->nplanes; i++)
            y = avail[i] < y ? avail[i] : y;
        return y;
    }
    {
        /* output row y needs chroma rows y/2 and, for odd y, y/2 + 1 (clamped) */
        const uint32_t ca = avail[1] < avail[2] ? avail[1] : avail[2];
        const uint32_t yc = ca == pl->p[1].height ? pl->p[0].height : (ca > 0 ? 2 * ca - 1 : 0);
        return avail[0] < yc ? avail[0] : yc;
    }
}

/* Drops the window rows output rows y_done.. no longer need. */
static recimg_status slide_windows(decode_jobs *jb, uint32_t y_done)
{
    const recimg_planes *pl = &jb->pl;
    for (int i = 0; i < pl->nplanes; i++) {
        const uint32_t end = jb->first[i] + jb->count[i];
        uint32_t from = y_done, keep;
        if (i > 0 && pl->subsampled)   /* even y > 0 reads chroma row y/2 - 1 */
            from = y_done / 2 - (y_done % 2 == 0 && y_done > 0 ? 1 : 0);
        if (from < jb->first[i])
            return RECIMG_ERR_INTERNAL;
        if (from > end)
            from = end;
        keep = end - from;
        if (keep > WINDOW_CONTEXT)
            return RECIMG_ERR_INTERNAL;
        if (keep)
            memmove(jb->rows[i], jb->rows[i] + (size_t)(from - jb->first[i]) * pl->p[i].stride,
                    (size_t)keep * pl->p[i].stride * sizeof(double));
        jb->first[i] = from;
        jb->count[i] = keep;
    }
    return RECIMG_OK;
}

static recimg_status decode_bands(decode_jobs *jb, int nthreads, recimg_image *out, double *scratch)
{
    const recimg_planes *pl = &jb->pl;
    uint32_t nbands = 0, y_done = 0;
    for (int i = 0; i < pl->nplanes; i++) {
        const uint32_t nb = (pl->p[i].bh + jb->band[i] - 1) / jb->band[i];
        nbands = nb > nbands ? nb : nbands;
    }
    for (uint32_t k = 0; k < nbands; k++) {
        const double *win[3];
        uint32_t y_end;
        for (int i = 0; i < pl->nplanes; i++) {
            const uint64_t b0 = (uint64_t)k * jb->band[i], b1 = b0 + jb->band[i];
            jb->by0[i] = b0 < pl->p[i].bh ? (uint32_t)b0 : pl->p[i].bh;
            jb->by1[i] = b1 < pl->p[i].bh ? (uint32_t)b1 : pl->p[i].bh;
            if (jb->first[i] + jb->count[i] != jb->by0[i] * 8)
                return RECIMG_ERR_INTERNAL;
            win[i] = jb->rows[i];
        }
        recimg_run_jobs(nthreads, pl->nplanes, decode_plane_job, jb);
        for (int i = 0; i < pl->nplanes; i++)
            FORWARD_IF_ERROR(jb->st[i]);
        y_end = rows_ready(jb);
        if (y_end > y_done)
            recimg_rows_to_image(pl, win, jb->first, y_done, y_end, out, scratch);
        y_done = y_end > y_done ? y_end : y_done;
        FORWARD_IF_ERROR(slide_windows(jb, y_done));
    }
    RETURN_IF(y_done != out->height, RECIMG_ERR_INTERNAL);
    return RECIMG_OK;
}

/* Transforms of a decode: dec->tx for plane 0 (made by the caller), and when
   planes run on threads one more object per plane, like dec->tx. */
static recimg_status decoder_transforms(recimg_decoder *dec, const recimg_header *h, int nthreads,
                                        recimg_transform *tx[3])
{
    for (int j = 0; j < 2; j++) {
        recimg_transform *t = dec->tx_more[j];
        if (nthreads > 1 && (!t || t->id != dec->tx->id || t->id == RTX_TRANSFORM_EMBEDDED)) {
            rtx_transform_destroy(t);
            dec->tx_more[j] = NULL;
            FORWARD_IF_ERROR(transform_like(dec->tx, h->tx_embed, h->tx_embed_size, RTX_DIR_INVERSE,
                                            &dec->tx_more[j]));
        }
    }
    for (int i = 0; i < 3; i++)
        tx[i] = i == 0 || nthreads == 1 ? dec->tx : dec->tx_more[i - 1];
    return RECIMG_OK;
}

static recimg_status decode_planes(recimg_decoder *dec, const recimg_header *h, const uint8_t *payload,
                                   uint32_t band_rows_luma, recimg_image *out)
{
    decode_jobs jb;
    recimg_status st = RECIMG_OK;
    int nthreads;
    const size_t n = (size_t)h->payload_size;
    size_t skip_table, table, at, nscratch, recon_size = 0;
    double *scratch = NULL;
    memset(&jb, 0, sizeof jb);
    jb.h = h;
    jb.dec = dec;
    recimg_planes_init(&jb.pl, h->width, h->height, h->color == 1 ? 1 : 3, h->subsampling == 1);
    skip_table = skip_table_size(h);
    /* every stream length and table value is checked against the payload before
       anything is allocated */
    RETURN_IF(n < skip_table, RECIMG_ERR_CORRUPT);
    for (size_t j = 0; j < skip_table; j++) {
        const int q = payload[j] < 128 ? (int)payload[j] : (int)payload[j] - 256;
        RETURN_IF(q < -RECIMG_SKIP_Q_MAX || q > RECIMG_SKIP_Q_MAX, RECIMG_ERR_CORRUPT);
        jb.skip_q[j] = q;
    }
    if (h->flags & RECIMG_FLAG_RECON_TABLE)
        FORWARD_IF_ERROR(recimg_recon_table_parse(payload + skip_table, n - skip_table, jb.pl.nplanes,
                                                  &jb.recon, &recon_size));
    table = skip_table + recon_size + 4 * (size_t)(jb.pl.nplanes - 1);
    at = table;
    RETURN_IF(n < table, RECIMG_ERR_CORRUPT);
    for (int i = 0; i < jb.pl.nplanes; i++) {
        size_t len = n - at;
        if (i + 1 < jb.pl.nplanes) {
            const uint8_t *b = payload + skip_table + recon_size + 4 * (size_t)i;
            len = (size_t)b[0] | (size_t)b[1] << 8 | (size_t)b[2] << 16 | (size_t)b[3] << 24;
            RETURN_IF(len > n - at, RECIMG_ERR_CORRUPT);
        }
        jb.stream[i] = payload + at;
        jb.stream_size[i] = len;
        at += len;
        jb.band[i] = i > 0 && jb.pl.subsampled ? band_rows_luma / 2 : band_rows_luma;
        jb.chunk[i] = chunk_rows(&jb.pl, i, jb.band[i]);
    }
    nthreads = recimg_thread_count(dec->p.threads, jb.pl.nplanes);
    FORWARD_IF_ERROR(decoder_transforms(dec, h, nthreads, jb.tx));
    for (int i = 0; st == RECIMG_OK && i < jb.pl.nplanes; i++)
        st = plane_buffers(&jb.pl, i, jb.band[i], WINDOW_CONTEXT, jb.chunk[i], &jb.rows[i], &jb.coef[i]);
    if (st == RECIMG_OK) {
        nscratch = recimg_rows_scratch_size(&jb.pl, h->width);
        if (recimg_size_mul3(nscratch, sizeof(double), 1, &nscratch) != 0)
            st = RECIMG_ERR_LIMIT;
        else if (!(scratch = (double *)malloc(nscratch)))
            st = RECIMG_ERR_OUT_OF_MEMORY;
    }
    if (st == RECIMG_OK)
        st = decode_bands(&jb, nthreads, out, scratch);
    for (int i = 0; i < 3; i++) {
        recimg_ctx_free(jb.ctx[i]);
        free(jb.rows[i]);
        free(jb.coef[i]);
    }
    free(scratch);
    return st;
}

recimg_status recimg_decode(recimg_decoder *dec, const uint8_t *data, size_t size,
                            recimg_image *out)
{
    return recimg_decode_bands(dec, data, size, 0, out);
}

recimg_status recimg_decode_bands(recimg_decoder *dec, const uint8_t *data, size_t size,
                                  uint32_t band_rows, recimg_image *out)
{
    recimg_header h;
    const uint8_t *payload;
    uint32_t crc;
    size_t npix;
    recimg_status st;

    RETURN_IF(!out, RECIMG_ERR_INVALID_ARGUMENT);
    memset(out, 0, sizeof *out);
    RETURN_IF(!dec || (!data && size) || band_rows == 1 || band_rows % 2 != 0,
              RECIMG_ERR_INVALID_ARGUMENT);
    RETURN_IF((uint64_t)size > dec->p.max_input_size, RECIMG_ERR_LIMIT);
    FORWARD_IF_ERROR(recimg_format_parse(data, size, dec->p.max_pixels, &h, &payload, &crc));
    RETURN_IF(h.transform_id != RTX_TRANSFORM_EMBEDDED && !rtx_transform_id_supported(h.transform_id),
              RECIMG_ERR_UNSUPPORTED);
    RETURN_IF(h.mode == RECIMG_MODE_REC && !recimg_rec_sampler_supported((recimg_sampler)h.sampler),
              RECIMG_ERR_UNSUPPORTED);
    if (h.transform_id == RTX_TRANSFORM_EMBEDDED) {
        /* learned-transform: rebuilt from this file's record every time */
        int rc;
        rtx_transform_destroy(dec->tx);
        dec->tx = NULL;
        rc = rtx_embed_create(h.tx_embed, h.tx_embed_size, &dec->tx);
        RETURN_IF(rc == -2, RECIMG_ERR_OUT_OF_MEMORY);
        RETURN_IF(rc != 0, RECIMG_ERR_CORRUPT);
    } else if (!dec->tx || dec->tx->id != h.transform_id) {
        rtx_transform_destroy(dec->tx);
        dec->tx = NULL;
        RETURN_IF(rtx_transform_create_dirs(h.transform_id, RTX_DIR_INVERSE, &dec->tx) != 0,
                  RECIMG_ERR_INTERNAL);
    }
    RETURN_IF(recimg_size_mul3(h.width, h.height, h.color == 1 ? 1 : 3, &npix) != 0, RECIMG_ERR_LIMIT);
    out->pixels = (uint8_t *)malloc(npix ? npix : 1);
    RETURN_IF(!out->pixels, RECIMG_ERR_OUT_OF_MEMORY);
    out->width = h.width;
    out->height = h.height;
    out->channels = h.color == 1 ? 1u : 3u;
    st = decode_planes(dec, &h, payload,
                       band_rows ? band_rows : default_band_rows(h.width, h.subsampling == 1), out);
    if (st != RECIMG_OK) {
        free(out->pixels);
        memset(out, 0, sizeof *out);
    }
    return st;
}

/* ------------------------------------------------------------------- info */

recimg_status recimg_read_info(const uint8_t *data, size_t size, recimg_info *info)
{
    recimg_header h;
    const uint8_t *payload;
    uint32_t crc;
    RETURN_IF(!info, RECIMG_ERR_INVALID_ARGUMENT);
    memset(info, 0, sizeof *info);
    FORWARD_IF_ERROR(recimg_format_parse(data, size, UINT64_MAX, &h, &payload, &crc));
    info->version = h.version;
    info->width = h.width;
    info->height = h.height;
    info->channels = h.color == 1 ? 1u : 3u;
    info->chroma = h.subsampling ? RECIMG_CHROMA_420 : RECIMG_CHROMA_444;
    info->transform_id = h.transform_id;
    info->mode = (recimg_mode)h.mode;
    info->sampler = (recimg_sampler)h.sampler;
    info->matrix_id = h.matrix_id;
    info->step_code = h.step_code;
    info->chroma_scale_code = h.chroma_scale_code;
    info->quality = (double)h.quality_code / 100.0;
    info->rec_zero_bits = (double)h.skip_code / 1024.0;
    info->flags = h.flags;
    info->prior_id = h.prior_id;
    info->seed = h.seed;
    info->payload_size = h.payload_size;
    info->crc32 = crc;
    return RECIMG_OK;
}
