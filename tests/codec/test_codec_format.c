/* The .rec container as hostile input: every header field out of range, every
 * truncation, trailing bytes, wrong magic and version, absurd dimensions, and
 * random payload corruption with a recomputed CRC (so the coefficient decoder
 * itself sees garbage) must give a clean status, never a crash or a hang.
 * Offsets follow docs/FORMAT.md. */
#include "codec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HDR = 56 };

static uint8_t *file;
static size_t file_size;

/* Sets byte or field at off to value (width bytes), fixes the CRC, decodes. */
static recimg_status mutate(size_t off, int width, uint64_t value)
{
    uint8_t *f = malloc(file_size);
    recimg_status st;
    memcpy(f, file, file_size);
    for (int i = 0; i < width; i++)
        f[off + (size_t)i] = (uint8_t)(value >> (8 * i));
    ct_fix_crc(f, file_size);
    st = ct_decode_status(f, file_size);
    free(f);
    return st;
}

/* 400 random payload corruptions of file with a valid CRC (the coefficient decoder
 * sees garbage): each decodes to some image or is rejected as corrupt. */
static void corrupt_payload(uint64_t *rs, const char *what)
{
    int ok_after_corruption = 0, rejected = 0;
    for (int it = 0; it < 400; it++) {
        uint8_t *f = malloc(file_size);
        recimg_status st;
        int flips;
        memcpy(f, file, file_size);
        *rs = *rs * 6364136223846793005ULL + 1442695040888963407ULL;
        flips = 1 + (int)((*rs >> 60) & 3);
        for (int k = 0; k < flips; k++) {
            *rs = *rs * 6364136223846793005ULL + 1442695040888963407ULL;
            f[HDR + (size_t)((*rs >> 33) % (file_size - HDR - 4))] ^= (uint8_t)(1u << ((*rs >> 20) & 7));
        }
        ct_fix_crc(f, file_size);
        st = ct_decode_status(f, file_size);
        CHECK(st == RECIMG_OK || st == RECIMG_ERR_CORRUPT);
        if (st == RECIMG_OK) ok_after_corruption++; else rejected++;
        free(f);
    }
    printf("%s payload corruption: %d decoded to some image, %d rejected as corrupt\n", what,
           ok_after_corruption, rejected);
    CHECK(rejected > 0);   /* the decoder's checks are reached */
}

int main(void)
{
    recimg_image img;
    recimg_encoder_params p;
    recimg_encoder *e = NULL;
    uint64_t rs = 99;

    CHECK(ct_make_image(&img, 37, 29, 3, 5) == 0);
    recimg_encoder_params_default(&p);
    p.quality = 60;
    p.round_block_gain = 0;   /* context model v1 (prior id 1); v5 below */
    p.round_deadzone = 0;     /* version-1 files (the offsets above, HDR = 56); the deadzone's
                                 version 2: test_codec_header_rules, test_codec_round_deadzone */
    CHECK(recimg_encoder_create(&p, &e) == RECIMG_OK);
    CHECK(recimg_encode(e, &img, &file, &file_size, NULL) == RECIMG_OK);
    if (!file)
        return ct_finish("test_codec_format");
    CHECK(ct_decode_status(file, file_size) == RECIMG_OK);

    /* every field out of range */
    CHECK(mutate(0, 1, 0x88) == RECIMG_ERR_BAD_MAGIC);
    CHECK(mutate(3, 1, 'X') == RECIMG_ERR_BAD_MAGIC);
    CHECK(mutate(8, 2, 3) == RECIMG_ERR_BAD_VERSION);
    CHECK(mutate(8, 2, 2) == RECIMG_ERR_CORRUPT);                  /* version 2 needs flags2 */
    CHECK(mutate(8, 2, 0) == RECIMG_ERR_BAD_VERSION);
    CHECK(mutate(10, 2, 57) == RECIMG_ERR_CORRUPT);
    CHECK(mutate(12, 4, 0) == RECIMG_ERR_CORRUPT);                 /* width 0 */
    CHECK(mutate(16, 4, 0) == RECIMG_ERR_CORRUPT);                 /* height 0 */
    CHECK(mutate(12, 4, 0xFFFFFFFFu) == RECIMG_ERR_LIMIT);         /* absurd width */
    CHECK(mutate(16, 4, (uint32_t)1 << 30) == RECIMG_ERR_LIMIT);   /* 37 x 2^30 > 2^28 pixels */
    CHECK(mutate(20, 1, 0) == RECIMG_ERR_CORRUPT);                 /* color */
    CHECK(mutate(20, 1, 3) == RECIMG_ERR_CORRUPT);
    CHECK(mutate(21, 1, 2) == RECIMG_ERR_CORRUPT);                 /* subsampling */
    CHECK(mutate(22, 1, 0) == RECIMG_ERR_CORRUPT);                 /* transform 0 */
    CHECK(mutate(22, 1, 200) == RECIMG_ERR_UNSUPPORTED);           /* unknown transform */
    CHECK(mutate(23, 1, 2) == RECIMG_ERR_CORRUPT);                 /* mode */
    CHECK(mutate(24, 1, 1) == RECIMG_ERR_CORRUPT);                 /* sampler in round mode */
    CHECK(mutate(24, 1, 9) == RECIMG_ERR_CORRUPT);
    CHECK(mutate(25, 1, 0) == RECIMG_ERR_CORRUPT);                 /* prior */
    CHECK(mutate(25, 1, 2) == RECIMG_ERR_CORRUPT);                 /* prior v2 is rec mode only */
    CHECK(mutate(25, 1, 3) == RECIMG_ERR_CORRUPT);                 /* so is v3 */
    CHECK(mutate(25, 1, 4) == RECIMG_ERR_CORRUPT);                 /* and v4 */
    CHECK(mutate(26, 1, 9) == RECIMG_ERR_CORRUPT);                 /* matrix */
    CHECK(mutate(27, 1, 1) == RECIMG_ERR_CORRUPT);                 /* flags */
    CHECK(mutate(27, 1, 2) == RECIMG_ERR_CORRUPT);                 /* far-bin flag: rec uq only */
    CHECK(mutate(27, 1, 0x08) == RECIMG_ERR_CORRUPT);              /* short-chain revision: rec only */
    CHECK(mutate(27, 1, 0x20) == RECIMG_ERR_CORRUPT);              /* block dither stream: rec uq only */
    CHECK(mutate(27, 1, 0x80) == RECIMG_ERR_CORRUPT);
    CHECK(mutate(28, 4, 0) == RECIMG_ERR_CORRUPT);                 /* step */
    CHECK(mutate(28, 4, 0xFFFFFFFFu) == RECIMG_ERR_CORRUPT);
    CHECK(mutate(32, 2, 0) == RECIMG_ERR_CORRUPT);                 /* chroma step */
    CHECK(mutate(34, 2, 10001) == RECIMG_ERR_CORRUPT);             /* quality */
    CHECK(mutate(36, 4, 1) == RECIMG_ERR_CORRUPT);                 /* zero-bit tau in round mode */
    CHECK(mutate(48, 8, UINT64_MAX) == RECIMG_ERR_TRUNCATED);      /* payload size */
    CHECK(mutate(48, 8, 0) == RECIMG_ERR_CORRUPT);                 /* too short a payload */
    CHECK(mutate(40, 8, 12345) == RECIMG_OK);                      /* any seed is valid */
    {   /* a round payload relabelled as REC with each sampler (block included), and the
           first id past the last: decoded as some image or rejected as corrupt */
        for (uint8_t sid = RECIMG_SAMPLER_LRQ; sid <= RECIMG_SAMPLER_BLOCK + 1; sid++) {
            uint8_t *f = malloc(file_size);
            recimg_status st;
            memcpy(f, file, file_size);
            f[23] = 1;
            f[24] = sid;
            ct_fix_crc(f, file_size);
            st = ct_decode_status(f, file_size);
            CHECK(sid <= RECIMG_SAMPLER_BLOCK ? (st == RECIMG_OK || st == RECIMG_ERR_CORRUPT)
                                             : st == RECIMG_ERR_CORRUPT);
            free(f);
        }
    }
    {   /* a uq REC file with rec_block_flag = 1 (--effort 2) carries prior id 4; ids 1, 2 and 3
           (v1, v2, v3) are valid headers, 5 is not */
        uint8_t *round_file = file, *rec_file = NULL;
        const size_t round_size = file_size;
        size_t rec_size = 0;
        recimg_encoder *er = NULL;
        p.mode = RECIMG_MODE_REC;
        p.rec_block_flag = 1;
        CHECK(recimg_encoder_create(&p, &er) == RECIMG_OK);
        CHECK(er && recimg_encode(er, &img, &rec_file, &rec_size, NULL) == RECIMG_OK);
        recimg_encoder_free(er);
        p.mode = RECIMG_MODE_ROUND;
        p.rec_block_flag = 0;
        if (rec_file && rec_size > HDR) {
            file = rec_file;
            file_size = rec_size;
            CHECK(rec_file[25] == 4);
            CHECK(ct_decode_status(file, file_size) == RECIMG_OK);
            {   /* v1, v2 and v3 read the v4 payload with another model: some image or corrupt */
                const recimg_status s1 = mutate(25, 1, 1), s2 = mutate(25, 1, 2), s3 = mutate(25, 1, 3);
                CHECK(s1 == RECIMG_OK || s1 == RECIMG_ERR_CORRUPT);
                CHECK(s2 == RECIMG_OK || s2 == RECIMG_ERR_CORRUPT);
                CHECK(s3 == RECIMG_OK || s3 == RECIMG_ERR_CORRUPT);
            }
            CHECK(mutate(25, 1, 5) == RECIMG_ERR_CORRUPT);
            CHECK(mutate(25, 1, 0) == RECIMG_ERR_CORRUPT);
            /* uq (the default sampler) files carry flags 0x01 (closed-form bin coder),
               0x02 (far-bin reconstruction, decoder only: without it the payload decodes)
               0x04 (skip-energy table at the payload's start), 0x08 (short-chain
               revision), 0x20 (block dither stream) and 0x40 (reconstruction table
               after the skip-energy table); without 0x01 or 0x08 the payload is read
               by another coder, without 0x20 with other dithers, without 0x04 or 0x40
               a table is read as something else: some image or corrupt; unknown bits
               are errors */
            CHECK(rec_file[24] == RECIMG_SAMPLER_UQ && rec_file[27] == 0x6F);
            CHECK(mutate(27, 1, 0x6D) == RECIMG_OK);
            for (uint64_t fl = 0; fl < 15; fl++) {
                const recimg_status s0 = mutate(27, 1, fl), s1 = mutate(27, 1, fl | 0x20);
                const recimg_status s2 = mutate(27, 1, fl | 0x40), s3 = mutate(27, 1, fl | 0x60);
                CHECK(s2 == RECIMG_OK || s2 == RECIMG_ERR_CORRUPT);
                CHECK(s3 == RECIMG_OK || s3 == RECIMG_ERR_CORRUPT);
                CHECK(s0 == RECIMG_OK || s0 == RECIMG_ERR_CORRUPT);
                CHECK(s1 == RECIMG_OK || s1 == RECIMG_ERR_CORRUPT);
            }
            CHECK(mutate(27, 1, 0x10) == RECIMG_ERR_CORRUPT);
            CHECK(mutate(27, 1, 0x1F) == RECIMG_ERR_CORRUPT);
            CHECK(mutate(27, 1, 0x80) == RECIMG_ERR_CORRUPT);
            {   /* flags 0x02 and 0x20 are defined for uq only */
                uint8_t *f = malloc(file_size);
                memcpy(f, file, file_size);
                f[24] = RECIMG_SAMPLER_LRQ;
                ct_fix_crc(f, file_size);
                CHECK(ct_decode_status(f, file_size) == RECIMG_ERR_CORRUPT);
                f[27] = 0x21;
                ct_fix_crc(f, file_size);
                CHECK(ct_decode_status(f, file_size) == RECIMG_ERR_CORRUPT);
                f[27] = 0x01;
                ct_fix_crc(f, file_size);
                {
                    const recimg_status sl = ct_decode_status(f, file_size);
                    CHECK(sl == RECIMG_OK || sl == RECIMG_ERR_CORRUPT);   /* a uq payload read as lrq */
                }
                free(f);
            }
            file = round_file;
            file_size = round_size;
        }
        recimg_free(rec_file);
    }
    /* CRC */
    {
        uint8_t *f = malloc(file_size);
        memcpy(f, file, file_size);
        f[HDR + 3] ^= 0x10;
        CHECK(ct_decode_status(f, file_size) == RECIMG_ERR_CHECKSUM);
        free(f);
    }
    /* every truncation, and a trailing byte */
    for (size_t n = 0; n < file_size; n++) {
        const recimg_status st = ct_decode_status(file, n);
        CHECK(st == RECIMG_ERR_TRUNCATED || (n == 0 && st == RECIMG_ERR_BAD_MAGIC));
    }
    {
        uint8_t *f = malloc(file_size + 1);
        memcpy(f, file, file_size);
        f[file_size] = 0;
        CHECK(ct_decode_status(f, file_size + 1) == RECIMG_ERR_CORRUPT);
        free(f);
    }
    CHECK(ct_decode_status((const uint8_t *)"hello, world: not an image at all", 33) == RECIMG_ERR_BAD_MAGIC);
    corrupt_payload(&rs, "round v1");
    {   /* the rounding baseline's context model v5 (prior id 5, round mode only): its
           payload read as v1 is some image or corrupt, as REC it is corrupt (v5 is no REC
           prior id), and it takes the same random corruption */
        uint8_t *v1_file = file, *v5_file = NULL;
        const size_t v1_size = file_size;
        size_t v5_size = 0;
        recimg_encoder *e5 = NULL;
        p.round_block_gain = 1;
        CHECK(recimg_encoder_create(&p, &e5) == RECIMG_OK);
        CHECK(e5 && recimg_encode(e5, &img, &v5_file, &v5_size, NULL) == RECIMG_OK);
        recimg_encoder_free(e5);
        if (v5_file && v5_size > HDR) {
            recimg_status s1;
            file = v5_file;
            file_size = v5_size;
            CHECK(v5_file[23] == 0 && v5_file[25] == 5 && v5_file[27] == v1_file[27]);   /* the same flags */
            CHECK(ct_decode_status(file, file_size) == RECIMG_OK);
            s1 = mutate(25, 1, 1);
            CHECK(s1 == RECIMG_OK || s1 == RECIMG_ERR_CORRUPT);
            CHECK(mutate(25, 1, 4) == RECIMG_ERR_CORRUPT);
            CHECK(mutate(25, 1, 6) == RECIMG_ERR_CORRUPT);
            CHECK(mutate(27, 1, 0x08) == RECIMG_ERR_CORRUPT);
            {   /* relabelled as REC (uq): prior id 5 is round mode's only */
                uint8_t *f = malloc(file_size);
                memcpy(f, file, file_size);
                f[23] = 1;
                f[24] = RECIMG_SAMPLER_UQ;
                ct_fix_crc(f, file_size);
                CHECK(ct_decode_status(f, file_size) == RECIMG_ERR_CORRUPT);
                free(f);
            }
            corrupt_payload(&rs, "round v5");
            {   /* every truncation */
                size_t bad = 0;
                for (size_t n = 0; n < file_size; n++) {
                    const recimg_status st = ct_decode_status(file, n);
                    bad += !(st == RECIMG_ERR_TRUNCATED || (n == 0 && st == RECIMG_ERR_BAD_MAGIC));
                }
                CHECK(bad == 0);
            }
        }
        file = v1_file;
        file_size = v1_size;
        recimg_free(v5_file);
    }
    recimg_free(file);
    recimg_encoder_free(e);
    free(img.pixels);
    return ct_finish("test_codec_format");
}
