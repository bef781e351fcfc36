/* Encoder pins: the MD5 of the .rec bytes that today's encoder writes for a few fixed
 * synthetic images and settings, one per default path (round, rec with every sampler,
 * --effort 2) and round's plain rounding (--deadzone 0), each with one thread and with two;
 * and the same default paths with an explicit step matrix 1 (`--matrix 1`), whose files
 * are the defaults of before session 9 (their MD5s are the pins of 55a9974's defaults:
 * the flat matrix 0 became the default then and these rows must not move).
 *
 * test_codec_golden pins the decoding of committed files; nothing there notices an
 * encoder whose bytes change by accident, for example a value left unset on one path
 * (docs/SPEED.md "Speed pass 10" met one that every other test passed). A speed change
 * that claims "same bytes" must leave this table alone. A deliberate encoder change
 * (new defaults, a new format revision) updates the table in the same commit and says
 * why in its message:
 *
 *   test_codec_encoder_pins            check
 *   test_codec_encoder_pins --print    print the table as today's encoder makes it */
#include "codec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name;
    uint32_t w, h, channels;
    uint64_t image_seed;
    double quality;
    recimg_mode mode;
    recimg_sampler sampler;
    int variant;           /* bit 0: rec mode rec_block_flag = 1 (recimg compress --effort 2);
                              round mode round_deadzone = 0 (--deadzone 0: plain rounding,
                              version-1 files, the default until session 8); bit 1: step
                              matrix 1 (--matrix 1, the default until session 9) */
    const char *md5;
} pin;

static const pin table[] = {
    {"round_rgb420_q50", 64, 48, 3, 61, 50, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 0,
     "5681191f1bcdb7ce21857c39c7deb85d"},
    {"round_gray_q85", 56, 40, 1, 62, 85, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 0,
     "71a9e6b7cb3f4502ce486ed1200f1748"},
    {"round_plain_rgb420_q50", 64, 48, 3, 61, 50, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 1,
     "ab0862a86518e4c2134d3e0123fab24e"},
    {"rec_uq_rgb420_q40", 64, 48, 3, 63, 40, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 0,
     "b85687ca4bc42613c74e1c0a7107e1bd"},
    {"rec_uq_gray_q70", 56, 40, 1, 64, 70, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 0,
     "8ab2c966f029fcd1f9e52ef92b289b21"},
    {"rec_uq_effort2_rgb420_q40", 64, 48, 3, 65, 40, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 1,
     "196e517fe77b0f0955530a0046412cd8"},
    {"rec_lrq_rgb420_q70", 48, 40, 3, 66, 70, RECIMG_MODE_REC, RECIMG_SAMPLER_LRQ, 0,
     "39b5915c558845a4558de64d6b773b1b"},
    {"rec_block_rgb420_q80", 48, 40, 3, 67, 80, RECIMG_MODE_REC, RECIMG_SAMPLER_BLOCK, 0,
     "03425580136d7f9a8cb889992c679e5e"},
    {"rec_gprs_bnb_gray_q60", 40, 32, 1, 68, 60, RECIMG_MODE_REC, RECIMG_SAMPLER_GPRS_BNB, 0,
     "85d8e976a0eae3e9515f75698c84b0ae"},
    {"rec_pfr_gray_q60", 40, 32, 1, 69, 60, RECIMG_MODE_REC, RECIMG_SAMPLER_PFR, 0,
     "40efced61e4f7eb5a95eaeaf5a1b6410"},
    {"round_m1_rgb420_q50", 64, 48, 3, 61, 50, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 2,
     "d67fccc6a2c1aca77d22228de9fff7ee"},
    {"round_m1_gray_q85", 56, 40, 1, 62, 85, RECIMG_MODE_ROUND, RECIMG_SAMPLER_NONE, 2,
     "054cead287a38e45b69acc1f0f48a572"},
    {"rec_uq_m1_rgb420_q40", 64, 48, 3, 63, 40, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 2,
     "aa0f022afd3f2bebfd8d5031ac9b9d9d"},
    {"rec_uq_m1_gray_q70", 56, 40, 1, 64, 70, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 2,
     "def35407575bdbc962bb1e23ddc61439"},
    {"rec_uq_effort2_m1_rgb420_q40", 64, 48, 3, 65, 40, RECIMG_MODE_REC, RECIMG_SAMPLER_UQ, 3,
     "35ac1f1cb55f6c50112d0415795842b0"},
};

/* The MD5 of the file that the default encoder, set as the row says, writes with the
 * given thread count; "" when encoding fails. */
static void encode_md5(const pin *r, int threads, char hex[33])
{
    recimg_encoder_params p;
    recimg_image img;
    uint8_t *data = NULL;
    size_t size = 0;

    hex[0] = '\0';
    if (ct_make_image(&img, r->w, r->h, r->channels, r->image_seed) != 0)
        return;
    recimg_encoder_params_default(&p);
    p.quality = r->quality;
    p.mode = r->mode;
    p.sampler = r->sampler;
    if (r->mode == RECIMG_MODE_REC)
        p.rec_block_flag = r->variant & 1;
    else if (r->variant & 1)
        p.round_deadzone = 0;
    if (r->variant & 2)
        p.matrix_id = 1;
    p.threads = threads;
    if (ct_encode(&p, &img, &data, &size, NULL) == RECIMG_OK)
        ct_md5_hex(data, size, hex);
    recimg_free(data);
    free(img.pixels);
}

int main(int argc, char **argv)
{
    const int print = argc > 1 && !strcmp(argv[1], "--print");
    for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
        const pin *r = &table[i];
        char one[33], two[33];
        encode_md5(r, 1, one);
        encode_md5(r, 2, two);
        if (print) {
            printf("%-28s %s\n", r->name, one);
            continue;
        }
        CHECK(one[0] != '\0');
        CHECK(!strcmp(one, two));   /* bytes never depend on the thread count */
        if (strcmp(one, r->md5)) {
            printf("%s: encoder bytes changed: MD5 %s, pinned %s\n", r->name, one, r->md5);
            CHECK(!"encoder bytes as pinned");
        }
    }
    return print ? 0 : ct_finish("test_codec_encoder_pins");
}
