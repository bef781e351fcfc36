/* REC mode through the public API on real photographs (argv[1] = testimages):
 * every sampler (lrq, uq, gprs-bnb, gprs, pfr, block) and decode mode (mmse, center, sample, realism)
 * round-trips with the input's size; bpp falls and PSNR rises with quality;
 * MMSE beats sample decoding; encoding twice gives identical bytes and another
 * seed other bytes; the zero-bit rule cuts the rate; a corrupted REC payload
 * (CRC recomputed so the simulator's decoder sees it) is rejected or decoded,
 * never a crash or a hang. */
#include "codec_test_util.h"
#include "imageio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static recimg_image crop(const imageio_image *in, uint32_t x0, uint32_t y0, uint32_t w, uint32_t h)
{
    recimg_image out;
    const size_t c = (size_t)in->channels;
    out.width = w;
    out.height = h;
    out.channels = (uint32_t)in->channels;
    out.pixels = malloc((size_t)w * h * c);
    for (uint32_t y = 0; y < h && out.pixels; y++)
        memcpy(out.pixels + (size_t)y * w * c, in->pixels + ((size_t)(y0 + y) * in->width + x0) * c, w * c);
    return out;
}

static void rec_params(recimg_encoder_params *p, recimg_sampler s, double q, uint64_t seed)
{
    recimg_encoder_params_default(p);
    p->recon_table = 0;   /* header flag 0x40 has its own test (test_codec_recon_table) */
    p->mode = RECIMG_MODE_REC;
    p->sampler = s;
    p->quality = q;
    p->seed = seed;
}

static recimg_status encode(const recimg_image *img, recimg_sampler s, double q, double zero_bits,
                            uint64_t seed, uint8_t **data, size_t *size, recimg_encode_stats *st)
{
    recimg_encoder_params p;
    rec_params(&p, s, q, seed);
    p.rec_zero_bits = zero_bits;
    return ct_encode(&p, img, data, size, st);
}

/* uq with the far-bin flag (header flag 0x02) or without it (rec_uq_far_bin = 0), and
   context model v4 (prior id 4, rec_block_flag = 1) or v3 (0, the default) */
static recimg_status encode_uq(const recimg_image *img, double q, uint64_t seed, int far_bin, int block_flag,
                               uint8_t **data, size_t *size)
{
    recimg_encoder_params p;
    rec_params(&p, RECIMG_SAMPLER_UQ, q, seed);
    p.rec_uq_far_bin = far_bin;
    p.rec_block_flag = block_flag;
    return ct_encode(&p, img, data, size, NULL);
}

/* Decoded pixels (malloc'd, caller frees) or NULL; realism A = 0.5. */
static uint8_t *decode_pixels(const uint8_t *data, size_t size, recimg_decode_mode mode, size_t *n)
{
    recimg_decoder_params dp;
    recimg_decoder *d = NULL;
    recimg_image out;
    uint8_t *px = NULL;
    recimg_decoder_params_default(&dp);
    dp.decode = mode;
    dp.realism = 0.5;
    if (recimg_decoder_create(&dp, &d) != RECIMG_OK)
        return NULL;
    if (recimg_decode(d, data, size, &out) == RECIMG_OK) {
        px = out.pixels;
        *n = (size_t)out.width * out.height * out.channels;
    }
    recimg_decoder_free(d);
    return px;
}

static double decode_psnr(const recimg_image *img, const uint8_t *data, size_t size,
                          recimg_decode_mode mode, double realism)
{
    recimg_decoder_params dp;
    recimg_decoder *d = NULL;
    recimg_image out;
    double psnr = -1.0;
    recimg_decoder_params_default(&dp);
    dp.decode = mode;
    dp.realism = realism;
    if (recimg_decoder_create(&dp, &d) != RECIMG_OK)
        return -1.0;
    if (recimg_decode(d, data, size, &out) == RECIMG_OK) {
        CHECK(out.width == img->width && out.height == img->height && out.channels == img->channels);
        psnr = ct_psnr(img, &out);
        recimg_free(out.pixels);
    }
    recimg_decoder_free(d);
    return psnr;
}

/* Flips single bits of the payload of a (CRC recomputed so the simulator's decoder
 * sees them) and truncates it: every decode must succeed or say CORRUPT. */
static void corrupt_payloads(const uint8_t *a, size_t na, const char *label)
{
    uint64_t rs = 5;
    int rejected = 0, decoded = 0;
    size_t hs;
    if (!a)
        return;
    hs = (size_t)(a[10] | a[11] << 8);   /* 56, or 60 in version 2 */
    for (int it = 0; it < 64; it++) {
        uint8_t *f = malloc(na);
        size_t nf = na;
        recimg_decoder_params dp;
        recimg_decoder *d = NULL;
        recimg_image out;
        recimg_status st;
        memcpy(f, a, na);
        rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
        if (it < 60) {
            f[hs + (size_t)((rs >> 33) % (na - hs - 4))] ^= (uint8_t)(1u << ((rs >> 20) & 7));
        } else {   /* cut the last plane's stream short: payload size and CRC made consistent */
            const size_t cut = (size_t)(it - 59) * (na - hs - 4) / 5;
            const uint64_t payload = (uint64_t)(na - hs - 4 - cut);
            memmove(f + hs + payload, f + na - 4, 4);
            nf = na - cut;
            for (int i = 0; i < 8; i++) f[48 + i] = (uint8_t)(payload >> (8 * i));
        }
        ct_fix_crc(f, nf);
        recimg_decoder_params_default(&dp);
        dp.decode = (recimg_decode_mode)(it % 5);
        CHECK(recimg_decoder_create(&dp, &d) == RECIMG_OK);
        st = recimg_decode(d, f, nf, &out);
        CHECK(st == RECIMG_OK || st == RECIMG_ERR_CORRUPT);
        if (st == RECIMG_OK) { decoded++; recimg_free(out.pixels); } else rejected++;
        if (it >= 60)
            CHECK(st == RECIMG_ERR_CORRUPT);   /* a stream cut by a fifth or more cannot decode */
        recimg_decoder_free(d);
        free(f);
    }
    printf("corrupted %s payloads: %d decoded to some image, %d rejected\n", label, decoded, rejected);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "testimages";
    static const recimg_sampler samplers[6] = {RECIMG_SAMPLER_LRQ, RECIMG_SAMPLER_UQ, RECIMG_SAMPLER_GPRS_BNB,
                                               RECIMG_SAMPLER_GPRS, RECIMG_SAMPLER_PFR, RECIMG_SAMPLER_BLOCK};
    static const char *const sampler_names[6] = {"lrq", "uq ", "bnb", "gprs", "pfr", "block"};
    static const double q[3] = {20, 50, 85};
    char path[1024], err[512];
    imageio_image in;
    recimg_image img;

    snprintf(path, sizeof path, "%s/astronaut.png", dir);
    if (imageio_read(path, IMAGEIO_ALPHA_REFUSE, &in, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(!"cannot read astronaut.png");
        return ct_finish("test_codec_rec");
    }
    img = crop(&in, 128, 96, 200, 136);    /* the face and the flag: detail and flat areas */
    imageio_image_free(&in);
    CHECK(img.pixels != NULL);

    for (int si = 0; si < 6; si++) {
        double prev_psnr = 0.0, prev_bpp = 0.0;
        for (int qi = 0; qi < 3; qi++) {
            uint8_t *data = NULL;
            size_t size = 0;
            recimg_encode_stats st;
            double pm, pc, ps, pr, bpp;
            CHECK(encode(&img, samplers[si], q[qi], -1.0, 7, &data, &size, &st) == RECIMG_OK);
            if (!data)
                continue;
            bpp = 8.0 * (double)size / ((double)img.width * img.height);
            pm = decode_psnr(&img, data, size, RECIMG_DECODE_MMSE, 0.0);
            pc = decode_psnr(&img, data, size, RECIMG_DECODE_CENTER, 0.0);
            ps = decode_psnr(&img, data, size, RECIMG_DECODE_SAMPLE, 0.0);
            pr = decode_psnr(&img, data, size, RECIMG_DECODE_REALISM, 0.5);
            printf("%s q %2.0f: %.4f bpp, kl %.0f bits, payload %.0f bits, coded %llu skipped %llu; "
                   "PSNR mmse %.2f center %.2f sample %.2f realism(0.5) %.2f\n",
                   sampler_names[si], q[qi], bpp, st.kl_bits,
                   st.payload_bits, (unsigned long long)st.coded, (unsigned long long)st.skipped, pm, pc, ps, pr);
            CHECK(pm > 20.0 && pc > 18.0 && ps > 18.0 && pr > 18.0);
            CHECK(pm > ps);                 /* MMSE beats the noisy sample */
            CHECK(pm >= pr - 0.05);          /* realism trades distortion away */
            CHECK(pm > prev_psnr);
            CHECK(bpp > prev_bpp);
            CHECK(st.kl_bits > 0.0 && st.coded > 0);
            prev_psnr = pm;
            prev_bpp = bpp;
            recimg_free(data);
        }
    }

    {   /* determinism, seeds, and the zero-bit rule */
        uint8_t *a = NULL, *b = NULL, *c = NULL, *z = NULL;
        size_t na = 0, nb = 0, nc = 0, nz = 0;
        recimg_encode_stats sa, sz;
        CHECK(encode(&img, RECIMG_SAMPLER_LRQ, 50, -1.0, 11, &a, &na, &sa) == RECIMG_OK);
        CHECK(encode(&img, RECIMG_SAMPLER_LRQ, 50, -1.0, 11, &b, &nb, NULL) == RECIMG_OK);
        CHECK(encode(&img, RECIMG_SAMPLER_LRQ, 50, -1.0, 12, &c, &nc, NULL) == RECIMG_OK);
        CHECK(encode(&img, RECIMG_SAMPLER_LRQ, 50, 0.0, 11, &z, &nz, &sz) == RECIMG_OK);
        CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
        CHECK(c && !(na == nc && memcmp(a, c, na) == 0));
        CHECK(sz.skipped == 0 && sa.skipped > 0);
        CHECK(nz > na);   /* coding every coefficient costs more */
        corrupt_payloads(a, na, "lrq");
        recimg_free(a);
        recimg_free(b);
        recimg_free(c);
        recimg_free(z);
    }
    {   /* block: determinism, groups formed, corrupted payloads */
        uint8_t *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        recimg_encode_stats sa;
        CHECK(encode(&img, RECIMG_SAMPLER_BLOCK, 70, -1.0, 11, &a, &na, &sa) == RECIMG_OK);
        CHECK(encode(&img, RECIMG_SAMPLER_BLOCK, 70, -1.0, 11, &b, &nb, NULL) == RECIMG_OK);
        CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
        printf("block q 70: %llu groups simulated (%.0f index bits), %llu sent through uq, retained %.3f\n",
               (unsigned long long)sa.block_groups, sa.block_index_bits,
               (unsigned long long)sa.block_escapes, sa.block_retained);
        CHECK(sa.block_groups > 0 && sa.block_index_bits > 0.0);
        corrupt_payloads(a, na, "block");
        recimg_free(a);
        recimg_free(b);
    }
    for (int qi = 0; qi < 3; qi++) {
        /* uq far-bin reconstruction (header flag 0x02, the default): under context model
           v3 (prior id 3) the payload is the one the encoder writes without it
           (rec_uq_far_bin = 0), so the two files differ in the flag byte and the CRC only;
           centre and sample decode to the same pixels, mmse and realism differ, and mmse
           is better on this crop. (Under v4, rec_block_flag = 1, the encoder's choice of each
           block's level measures the decoder's reconstruction, far-bin estimate included,
           so there the payload depends on the flag: checked below.) */
        uint8_t *a = NULL, *b = NULL, *z = NULL, *a4 = NULL, *z4 = NULL;
        size_t na = 0, nb = 0, nz = 0, na4 = 0, nz4 = 0;
        CHECK(encode_uq(&img, q[qi], 11, 1, 0, &a, &na) == RECIMG_OK);
        CHECK(encode_uq(&img, q[qi], 11, 1, 0, &b, &nb) == RECIMG_OK);
        CHECK(encode_uq(&img, q[qi], 11, 0, 0, &z, &nz) == RECIMG_OK);
        CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
        CHECK(a && a[25] == 3 && z && z[25] == 3);
        /* v4 (rec_block_flag = 1, --effort 2): prior id 4 with and without the flag, both
           decode; its payload goes through the corruption checks */
        CHECK(encode_uq(&img, q[qi], 11, 1, 1, &a4, &na4) == RECIMG_OK);
        CHECK(encode_uq(&img, q[qi], 11, 0, 1, &z4, &nz4) == RECIMG_OK);
        if (a4 && z4 && na4 > 60 && nz4 > 60) {
            const double p4 = decode_psnr(&img, a4, na4, RECIMG_DECODE_MMSE, 0.0);
            const double pz4 = decode_psnr(&img, z4, nz4, RECIMG_DECODE_MMSE, 0.0);
            CHECK(a4[25] == 4 && z4[25] == 4 && a4[27] == 0x2F && z4[27] == 0x2D);
            printf("uq q %2.0f, prior id 4: %zu bytes, mmse PSNR %.4f dB with the far-bin flag; %zu bytes, "
                   "%.4f dB without\n", q[qi], na4, p4, nz4, pz4);
            CHECK(p4 > 20.0 && pz4 > 20.0);
            if (qi == 1)
                corrupt_payloads(a4, na4, "uq (prior id 4)");
        } else {
            CHECK(!"uq files of prior id 4");
        }
        recimg_free(a4);
        recimg_free(z4);
        if (a && z && na > 60 && nz == na) {
            const recimg_decode_mode modes[4] = {RECIMG_DECODE_MMSE, RECIMG_DECODE_CENTER,
                                                 RECIMG_DECODE_SAMPLE, RECIMG_DECODE_REALISM};
            double pa, pz;
            /* closed-form coder (0x01), skip-energy table (0x04), short-chain revision (0x08),
               block dither stream (0x20) in both */
            CHECK(a[27] == 0x2F && z[27] == 0x2D);
            CHECK(memcmp(a, z, 27) == 0 && memcmp(a + 28, z + 28, na - 32) == 0);
            for (int m = 0; m < 4; m++) {
                size_t n1 = 0, n2 = 0;
                uint8_t *p1 = decode_pixels(a, na, modes[m], &n1), *p2 = decode_pixels(z, nz, modes[m], &n2);
                const int same = p1 && p2 && n1 == n2 && memcmp(p1, p2, n1) == 0;
                CHECK(p1 && p2);
                CHECK(same == (modes[m] == RECIMG_DECODE_CENTER || modes[m] == RECIMG_DECODE_SAMPLE));
                free(p1);
                free(p2);
            }
            pa = decode_psnr(&img, a, na, RECIMG_DECODE_MMSE, 0.0);
            pz = decode_psnr(&img, z, nz, RECIMG_DECODE_MMSE, 0.0);
            printf("uq q %2.0f: mmse PSNR %.4f dB with the far-bin flag, %.4f dB without\n", q[qi], pa, pz);
            CHECK(pa > pz);
            if (qi == 1)
                corrupt_payloads(a, na, "uq (far-bin flag)");
        } else {
            CHECK(!"uq files with and without the far-bin flag differ in size");
        }
        recimg_free(a);
        recimg_free(b);
        recimg_free(z);
    }
    free(img.pixels);
    return ct_finish("test_codec_rec");
}
