/* Reconstruction table (header flag 0x40): encoder-measured bias corrections of the
 * mmse / realism estimates of coded coefficients, for both modes.
 *
 * Why: both decoders estimate a coded coefficient by the mean of the context model's
 * Laplace prior on its known cell (round: the bin of q; rec: [X - W, X + W]). The
 * context scale fits the bulk of a cell and is causal; where the prior's shape is
 * wrong for a band (textures: the high bands' values sit mid-bin while a small b puts
 * the mean at the bin's inner edge) the estimate is biased by up to 0.4 step, and
 * grass at round quality 60 reconstructs 2.2 dB worse than its bin centres (TRAIN;
 * docs/REC_CODEC.md "Reconstruction table"). Decoder-only, non-causal rescaling of b
 * (neighbouring blocks on all sides, the whole block's coded energy) moved REC's
 * MSE by under 0.1%. The encoder knows y, so it measures the mean folded error of each
 * class (36: luma / chroma x DC + 8 band groups x 2 cell types) and sends the ones
 * worth their byte: a 5-byte mask of present classes and one signed byte each.
 *
 * The choice is the encoder's own: per class the weighted least-squares correction
 * c = sum u^2 d / sum u^2, quantized to q = round(128 c) (clamped to +-127), kept
 * when its squared-error reduction 2 c' sr - c'^2 su (c' = q / 128, sample units^2)
 * exceeds 8 bits at the slope lambda = lambda_factor * su / n (D + lambda R, the
 * uniform quantizer's slope 2 ln 2 D per bit with D = sigma^2 or step^2 / 12). */
#include "codec_recon.h"
#include "codec_ctx.h"
#include "codec_rec.h"
#include "codec_internal.h"

#include <math.h>
#include <string.h>

/* 0 for DC, then the skip-energy table's groups plus 1 (zigzag 1-5, 6-14, 15-20, 21-27,
   28-35, 36-44, 45-54, 55-63); tests/codec/test_codec_recon_table checks it against
   recimg_skip_group */
const unsigned char recimg_recon_group_of_zz[64] = {
    0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5,
    5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8};

int recimg_recon_group(int zz)
{
    return zz == 0 ? 0 : 1 + recimg_skip_group(zz);
}

int recimg_recon_table_expand(const recimg_recon_table *t, int chroma, double zc[64][2])
{
    int n = 0;
    for (int zz = 0; zz < 64; zz++)
        for (int far = 0; far < 2; far++)
            zc[zz][far] = t->c[recimg_recon_class(chroma, zz, far)];
    for (int c = 0; c < RECIMG_RECON_CLASSES / 2; c++)
        n += t->c[(chroma ? RECIMG_RECON_CLASSES / 2 : 0) + c] != 0.0;
    return n;
}

void recimg_recon_units_prepare(recimg_recon_units *ru, int chroma, const double unit[64])
{
    for (int zz = 0; zz < 64; zz++) {
        const double u = unit[recimg_zigzag[zz]];
        ru->u2[zz] = u * u;
        ru->cls[zz] = recimg_recon_class(chroma, zz, 0);
    }
}

void recimg_recon_acc_merge(recimg_recon_acc *a, const recimg_recon_acc *b)
{
    for (int c = 0; c < RECIMG_RECON_CLASSES; c++) {
        a->n[c] += b->n[c];
        a->sr[c] += b->sr[c];
        a->su[c] += b->su[c];
    }
}

size_t recimg_recon_table_write(const recimg_recon_acc *acc, double lambda_factor, uint8_t *out)
{
    size_t at = RECIMG_RECON_MASK_BYTES;
    memset(out, 0, RECIMG_RECON_MASK_BYTES);
    for (int c = 0; c < RECIMG_RECON_CLASSES; c++) {
        double q, cq, gain, lambda;
        if (!(acc->su[c] > 0.0) || acc->n[c] == 0)
            continue;
        q = floor(RECIMG_RECON_Q_SCALE * (acc->sr[c] / acc->su[c]) + 0.5);
        if (q > RECIMG_RECON_Q_MAX)
            q = RECIMG_RECON_Q_MAX;
        if (q < -RECIMG_RECON_Q_MAX)
            q = -RECIMG_RECON_Q_MAX;
        if (!(q != 0.0))
            continue;
        cq = q / RECIMG_RECON_Q_SCALE;
        gain = 2.0 * cq * acc->sr[c] - cq * cq * acc->su[c];
        lambda = lambda_factor * acc->su[c] / (double)acc->n[c];
        if (!(gain > 8.0 * lambda))
            continue;
        out[c / 8] |= (uint8_t)(1u << (c % 8));
        out[at++] = (uint8_t)(int8_t)q;
    }
    return at;
}

recimg_status recimg_recon_table_parse(const uint8_t *data, size_t size, int nplanes,
                                       recimg_recon_table *t, size_t *used)
{
    size_t at = RECIMG_RECON_MASK_BYTES;
    memset(t, 0, sizeof *t);
    *used = 0;
    RETURN_IF(size < RECIMG_RECON_MASK_BYTES, RECIMG_ERR_CORRUPT);
    RETURN_IF((data[RECIMG_RECON_MASK_BYTES - 1] & 0xF0u) != 0, RECIMG_ERR_CORRUPT);   /* bits 36..39 */
    for (int c = 0; c < RECIMG_RECON_CLASSES; c++) {
        int q;
        if (!(data[c / 8] & (1u << (c % 8))))
            continue;
        RETURN_IF(nplanes == 1 && c >= RECIMG_RECON_CLASSES / 2, RECIMG_ERR_CORRUPT);
        RETURN_IF(at >= size, RECIMG_ERR_CORRUPT);
        q = data[at] < 128 ? (int)data[at] : (int)data[at] - 256;
        RETURN_IF(q == 0 || q < -RECIMG_RECON_Q_MAX, RECIMG_ERR_CORRUPT);
        t->c[c] = (double)q / RECIMG_RECON_Q_SCALE;
        at++;
    }
    *used = at;
    return RECIMG_OK;
}
