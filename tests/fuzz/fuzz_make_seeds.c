/* tests/fuzz/fuzz_make_seeds.c: writes the seed corpora of the fuzz targets
 * (tests/fuzz/corpus/, committed). Run by hand after a format change:
 *   fuzz_make_seeds tests/fuzz/corpus [SEPARABLE.rtx]
 * decode/: small valid .rec files across colour, chroma, matrix, quality and
 *   odd sizes, round and REC mode (each sampler the build has), the built-in
 *   transforms and an embedded one (from the .rtx given), plus a header-only and
 *   a CRC-broken copy;
 * imageio/: 8-bit gray and RGB PNG, baseline JPEG (gray, 4:2:0, 4:4:4), binary
 *   PGM/PPM including 16-bit (the PNG kinds of every bit depth and palette
 *   come from tests/codec/codec_make_inputs, see corpus/README.md);
 * roundtrip/: parameter/pixel byte strings (layout in fuzz_roundtrip.c), one
 *   per pattern and flag combination. */
#include "imageio.h"
#include "jpegref.h"
#include "recimg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void put_file(const char *dir, const char *sub, const char *name, const void *p, size_t n)
{
    char path[2048];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
    f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "fuzz_make_seeds: cannot write %s\n", path);
        failures++;
    }
}

/* A small photograph-like test card: ramps, an edge and some texture. */
static void card(imageio_image *img, uint32_t w, uint32_t h, int c)
{
    uint32_t s = 12345;
    if (imageio_image_alloc(img, w, h, c) != 0) {
        failures++;
        return;
    }
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (int k = 0; k < c; k++) {
                s = s * 1103515245u + 12345u;
                img->pixels[((size_t)y * w + x) * (size_t)c + (size_t)k] =
                    (uint8_t)((x * 200u / w + (y > h / 2 ? 40u : 0u) + 30u * (uint32_t)k +
                               (s >> 28)) & 255u);
            }
}

static const uint8_t *rtx_data;
static size_t rtx_size;

/* mode_tx: 0 round + DCT; 1..5 round with that transform id (4 = embedded
 * rtx_data); 100 + s: REC mode with sampler s (DCT). */
static void rec_seed(const char *dir, const char *name, uint32_t w, uint32_t h, int c,
                     double q, recimg_chroma chroma, uint32_t matrix, double cstep, int mode_tx)
{
    imageio_image img;
    recimg_image r;
    recimg_encoder_params p;
    recimg_encoder *e = NULL;
    uint8_t *out = NULL;
    size_t n = 0;
    card(&img, w, h, c);
    r.width = w;
    r.height = h;
    r.channels = (uint32_t)c;
    r.pixels = img.pixels;
    recimg_encoder_params_default(&p);
    p.quality = q;
    p.chroma = chroma;
    p.matrix_id = matrix;
    p.chroma_step_scale = cstep;
    p.rec_block_flag = strstr(name, "_v4_") != NULL;   /* context model v4 (--effort 2) */
    p.round_block_gain = strstr(name, "_v5_") != NULL;   /* round mode's context model v5 */
    p.recon_table = strstr(name, "_rt_") != NULL;      /* header flag 0x40 */
    /* version-2 files (flags2; docs/FORMAT.md): the deadzones only for the "_dz" names,
       so that the seeds committed before them regenerate as they were */
    p.rec_uq_deadzone = strstr(name, "_dz") != NULL;               /* flags2 0x400 */
    p.rec_dz_fast_rule = strstr(name, "_dzf") != NULL;             /* flags2 0x2000 */
    p.rec_uq_dz_draw = strstr(name, "_dzd") != NULL;               /* flags2 0x1000 */
    p.round_deadzone = strstr(name, "_dz") != NULL;                /* flags2 0x800 (0x4000 with it) */
    if (mode_tx >= 100) {
        p.mode = RECIMG_MODE_REC;
        p.sampler = (recimg_sampler)(mode_tx - 100);
    } else if (mode_tx > 0) {
        p.transform_id = (uint32_t)mode_tx;
        if (mode_tx == 4) {
            p.transform_file = rtx_data;
            p.transform_file_size = rtx_size;
        }
    }
    if (mode_tx == 4 && !rtx_data) {
        fprintf(stderr, "fuzz_make_seeds: %s skipped (no .rtx given)\n", name);
    } else if (recimg_encoder_create(&p, &e) != RECIMG_OK || recimg_encode(e, &r, &out, &n, NULL) != RECIMG_OK) {
        fprintf(stderr, "fuzz_make_seeds: cannot encode %s\n", name);
        failures++;
    } else {
        put_file(dir, "decode", name, out, n);
        if (!strcmp(name, "rgb_37x29_q75.rec")) {
            put_file(dir, "decode", "header_only.rec", out, 56);
            out[n - 1] ^= 0x5a;
            put_file(dir, "decode", "bad_crc.rec", out, n);
        }
    }
    recimg_free(out);
    recimg_encoder_free(e);
    imageio_image_free(&img);
}

static void image_seeds(const char *dir)
{
    imageio_image g, c;
    uint8_t *buf = NULL;
    size_t n = 0;
    char err[256];
    card(&g, 19, 11, 1);
    card(&c, 21, 17, 3);
    if (imageio_encode_png(&g, 6, &buf, &n, err, sizeof err) == 0) put_file(dir, "imageio", "gray8.png", buf, n);
    else failures++;
    free(buf);
    if (imageio_encode_png(&c, 6, &buf, &n, err, sizeof err) == 0) put_file(dir, "imageio", "rgb8.png", buf, n);
    else failures++;
    free(buf);
    if (tool_jpeg_encode(&g, 80, 420, &buf, &n, err, sizeof err) == 0) put_file(dir, "imageio", "gray.jpg", buf, n);
    else failures++;
    free(buf);
    if (tool_jpeg_encode(&c, 75, 420, &buf, &n, err, sizeof err) == 0) put_file(dir, "imageio", "rgb420.jpg", buf, n);
    else failures++;
    free(buf);
    if (tool_jpeg_encode(&c, 90, 444, &buf, &n, err, sizeof err) == 0) put_file(dir, "imageio", "rgb444.jpg", buf, n);
    else failures++;
    free(buf);
    {   /* binary PPM, PGM and a 16-bit PGM with maxval 1000 */
        char hdr[64];
        size_t hn = (size_t)snprintf(hdr, sizeof hdr, "P6\n# seed\n%u %u\n255\n", c.width, c.height);
        size_t pn = (size_t)c.width * c.height * 3;
        uint8_t *f = malloc(hn + 2 * pn);
        if (!f) { failures++; return; }
        memcpy(f, hdr, hn);
        memcpy(f + hn, c.pixels, pn);
        put_file(dir, "imageio", "rgb.ppm", f, hn + pn);
        hn = (size_t)snprintf(hdr, sizeof hdr, "P5 %u %u 255\n", g.width, g.height);
        pn = (size_t)g.width * g.height;
        memcpy(f, hdr, hn);
        memcpy(f + hn, g.pixels, pn);
        put_file(dir, "imageio", "gray.pgm", f, hn + pn);
        hn = (size_t)snprintf(hdr, sizeof hdr, "P5\n%u %u\n1000\n", g.width, g.height);
        memcpy(f, hdr, hn);
        for (size_t i = 0; i < pn; i++) {
            const unsigned v = g.pixels[i] * 1000u / 255u;
            f[hn + 2 * i] = (uint8_t)(v >> 8);
            f[hn + 2 * i + 1] = (uint8_t)v;
        }
        put_file(dir, "imageio", "gray16.pgm", f, hn + 2 * pn);
        free(f);
    }
    imageio_image_free(&g);
    imageio_image_free(&c);
}

static void roundtrip_seeds(const char *dir)
{
    /* w, w/h 9th bits, h, flags, quality lo/hi, sampler/chroma-step/decode, seed[8], pixels */
    static const struct { const char *name; uint8_t b[24]; } s[] = {
        {"gray_1x1", {0, 0, 0, 0x00, 0xff, 0x7f, 0, 1, 2, 3, 4, 5, 6, 7, 8, 200}},
        {"gray_raw_q100", {36, 0, 22, 0x00, 0xff, 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 1, 50, 200, 3, 90}},
        {"rgb420_ramp", {40, 0, 30, 0x11, 0x00, 0xc0, 0x00, 9, 9, 9, 9, 9, 9, 9, 9, 7, 8, 9}},
        {"rgb444_checker_q100", {15, 0, 17, 0x33, 0xff, 0xff, 0x00, 1, 1, 1, 1, 1, 1, 1, 1, 0}},
        {"rgb444_tiles_m2", {63, 0, 8, 0x2b, 0x00, 0x80, 0x28, 5, 0, 0, 0, 0, 0, 0, 0, 10, 240, 3, 77}},
        {"gray_noise_q0", {70, 0, 5, 0x40, 0x00, 0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 42}},
        {"rgb_noise_wide", {0, 1, 3, 0x51, 0x34, 0x12, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 99, 98}},
        {"rgb_tall_m1", {2, 2, 9, 0x25, 0x00, 0x90, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4}},
        {"rec_lrq", {30, 0, 20, 0x91, 0x00, 0x80, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3}},
        {"rec_default_sample", {30, 0, 20, 0x90, 0x00, 0x80, 0x87, 8, 7, 6, 5, 4, 3, 2, 1, 5}},
        {"rec_gprs_bnb_realism", {16, 0, 16, 0xa3, 0x00, 0x80, 0xc2, 0, 0, 0, 0, 0, 0, 0, 1, 200}},
        {"rec_uq", {23, 0, 9, 0x80, 0x00, 0xa0, 0x05, 3, 0, 0, 0, 0, 0, 0, 0, 60, 61}},
        {"round_v5_rgb420", {40, 0, 30, 0x11, 0x00, 0xc0, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 7, 8, 9}},
        {"round_v5_gray_sample", {36, 0, 22, 0x20, 0x00, 0x60, 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 1, 50, 200, 3, 90}},
        {"rec_block_realism", {31, 0, 24, 0x91, 0x00, 0xd0, 0xc6, 4, 4, 0, 0, 0, 0, 0, 0, 9, 17, 33}},
        /* byte 1 bit 4: the reconstruction table (flag 0x40), round and rec (uq, realism) */
        {"round_rt_ramp", {40, 0x10, 30, 0x11, 0x00, 0xe0, 0x00, 9, 9, 9, 9, 9, 9, 9, 9, 7, 8, 9}},
        {"rec_rt_uq_realism", {33, 0x10, 25, 0x91, 0x00, 0xe0, 0xc5, 3, 0, 0, 0, 0, 0, 0, 0, 60, 61}},
    };
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        size_t n = 24;
        while (n > 16 && s[i].b[n - 1] == 0)
            n--;
        put_file(dir, "roundtrip", s[i].name, s[i].b, n);
    }
}

int main(int argc, char **argv)
{
    static uint8_t rtx_buf[1 << 16];
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: fuzz_make_seeds CORPUS_DIR [SEPARABLE.rtx]\n");
        return 2;
    }
    if (argc == 3) {
        FILE *f = fopen(argv[2], "rb");
        rtx_size = f ? fread(rtx_buf, 1, sizeof rtx_buf, f) : 0;
        if (f)
            fclose(f);
        rtx_data = rtx_size ? rtx_buf : NULL;
    }
    rec_seed(argv[1], "gray_8x8_q50.rec", 8, 8, 1, 50, RECIMG_CHROMA_420, 0, 0, 0);
    rec_seed(argv[1], "gray_1x1_q0.rec", 1, 1, 1, 0, RECIMG_CHROMA_420, 0, 0, 0);
    rec_seed(argv[1], "gray_3x70_q100.rec", 3, 70, 1, 100, RECIMG_CHROMA_420, 0, 0, 0);
    rec_seed(argv[1], "rgb_37x29_q75.rec", 37, 29, 3, 75, RECIMG_CHROMA_420, 0, 0, 0);
    rec_seed(argv[1], "rgb_20x13_444_m2.rec", 20, 13, 3, 95, RECIMG_CHROMA_444, 2, 2.0, 0);
    rec_seed(argv[1], "rgb_64x9_m1_q30.rec", 64, 9, 3, 30, RECIMG_CHROMA_420, 1, 0.5, 0);
    rec_seed(argv[1], "tx2_klt_rgb.rec", 19, 17, 3, 70, RECIMG_CHROMA_420, 1, 0, 2);
    rec_seed(argv[1], "tx3_sep_gray.rec", 23, 9, 1, 60, RECIMG_CHROMA_420, 1, 0, 3);
    rec_seed(argv[1], "tx5_rd_rgb444.rec", 16, 16, 3, 80, RECIMG_CHROMA_444, 1, 0, 5);
    rec_seed(argv[1], "tx4_embedded_sep.rec", 16, 11, 3, 70, RECIMG_CHROMA_420, 1, 0, 4);
    for (int s = 1; s <= 6; s++) {   /* REC mode: every sampler this build has */
        char name[64];
        recimg_encoder_params p;
        recimg_encoder *e = NULL;
        recimg_encoder_params_default(&p);
        p.mode = RECIMG_MODE_REC;
        p.sampler = (recimg_sampler)s;
        if (recimg_encoder_create(&p, &e) != RECIMG_OK)
            continue;
        recimg_encoder_free(e);
        snprintf(name, sizeof name, "rec_sampler%d_rgb.rec", s);
        rec_seed(argv[1], name, 21, 14, 3, 60, RECIMG_CHROMA_420, 1, 0, 100 + s);
        snprintf(name, sizeof name, "rec_sampler%d_gray_q95.rec", s);
        rec_seed(argv[1], name, 9, 12, 1, 95, RECIMG_CHROMA_420, 1, 0, 100 + s);
    }
    /* The closed-form bin coder (header flags bit 0, the encoder's default since
       docs/SPEED.md "Speed pass 5b"; the rec_sampler* seeds above were committed
       before it and carry flags 0): uq, lrq and block at a high quality, where the
       coded bins are wide and many */
    rec_seed(argv[1], "rec_cf_uq_rgb_q90.rec", 24, 16, 3, 90, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_cf_lrq_gray_q90.rec", 16, 16, 1, 90, RECIMG_CHROMA_420, 1, 0, 100 + 1);
    rec_seed(argv[1], "rec_cf_block_rgb_q70.rec", 24, 16, 3, 70, RECIMG_CHROMA_420, 1, 0, 100 + 6);
    /* The skip-energy table (header flags bit 2, the encoder's default since
       docs/REC_CODEC.md "Skip-energy table"; the seeds above were committed before it
       and carry no table): colour (luma and chroma rows) and gray (luma row only) */
    rec_seed(argv[1], "rec_se_uq_rgb_q40.rec", 24, 16, 3, 40, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_se_lrq_gray_q60.rec", 16, 16, 1, 60, RECIMG_CHROMA_420, 1, 0, 100 + 1);
    /* The short-chain revision (header flags bit 3, the encoder's default since
       docs/SPEED.md "Speed pass 8"; the seeds above were committed before it): the
       table-driven in-block gain and edge exponentials, uq (flags 0x0F), lrq (0x0D, gray)
       and block (0x0D) at qualities where many bins are coded */
    rec_seed(argv[1], "rec_fc_uq_rgb_q85.rec", 24, 16, 3, 85, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_fc_lrq_gray_q80.rec", 16, 16, 1, 80, RECIMG_CHROMA_420, 1, 0, 100 + 1);
    rec_seed(argv[1], "rec_fc_block_rgb_q70.rec", 24, 16, 3, 70, RECIMG_CHROMA_420, 1, 0, 100 + 6);
    /* The rounding baseline's context model v5 (header prior id 5, the in-block gain,
       docs/FORMAT.md "Payload of the round mode"; round_block_gain = 1 for the "_v5_"
       names, the round seeds above carry prior id 1): colour and gray, low and high rate */
    rec_seed(argv[1], "round_v5_rgb_q75.rec", 37, 29, 3, 75, RECIMG_CHROMA_420, 1, 0, 0);
    rec_seed(argv[1], "round_v5_gray_q20.rec", 24, 24, 1, 20, RECIMG_CHROMA_420, 1, 0, 0);
    rec_seed(argv[1], "round_v5_rgb444_q95.rec", 20, 13, 3, 95, RECIMG_CHROMA_444, 2, 2.0, 0);
    /* Context model v4 (header prior id 4, a coded level per luma block, docs/REC_CODEC.md
       "Block flag"; rec_block_flag = 1 for the "_v4_" names): colour and gray, with flag 0x08 */
    rec_seed(argv[1], "rec_v4_uq_rgb_q50.rec", 32, 24, 3, 50, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_v4_uq_gray_q30.rec", 24, 24, 1, 30, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    /* The reconstruction table (header flag 0x40, docs/REC_CODEC.md "Reconstruction
       table"; the "_rt_" names): round mode (flags 0x40) and rec uq with the default
       flags (0x4F), at qualities where the table has entries */
    rec_seed(argv[1], "round_rt_rgb_q75.rec", 128, 64, 3, 75, RECIMG_CHROMA_420, 1, 0, 0);
    rec_seed(argv[1], "rec_rt_uq_rgb_q60.rec", 64, 64, 3, 60, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    /* The block dither stream (header flags bit 5, uq, the encoder's default since
       docs/SPEED.md "Speed pass 11"; the seeds above were committed before it): uq with
       flags 0x2F in colour at a high quality, and with prior id 4 in gray */
    rec_seed(argv[1], "rec_bd_uq_rgb_q85.rec", 24, 16, 3, 85, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_bd_v4_uq_gray_q40.rec", 24, 24, 1, 40, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    /* Version-2 files (header flags2 at offset 56, docs/FORMAT.md; the encoder's defaults
       since sessions 7 and 8): the deadzone uq with its table rule (flags2 0x2400) in colour
       and gray with prior id 4, with the private draws (0x3400), the plain deadzone rule
       (0x400), and round mode's deadzone with its zero-cell draw (0x4800) */
    rec_seed(argv[1], "rec_dzf_uq_rgb_q60.rec", 32, 24, 3, 60, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_dzf_v4_uq_gray_q40.rec", 24, 24, 1, 40, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_dzf_dzd_uq_rgb_q30.rec", 24, 16, 3, 30, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "rec_dz_uq_gray_q85.rec", 16, 16, 1, 85, RECIMG_CHROMA_420, 1, 0, 100 + 5);
    rec_seed(argv[1], "round_dz_v5_rt_rgb_q50.rec", 37, 29, 3, 50, RECIMG_CHROMA_420, 1, 0, 0);
    rec_seed(argv[1], "round_dz_gray_q85.rec", 24, 24, 1, 85, RECIMG_CHROMA_420, 1, 0, 0);
    image_seeds(argv[1]);
    roundtrip_seeds(argv[1]);
    return failures ? 1 : 0;
}
