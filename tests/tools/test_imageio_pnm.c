/* tests/tools/test_imageio_pnm.c: binary PGM/PPM output and input round trip, 16-bit
 * and odd maxval with rounding, header comments, malformed headers, ASCII refusal,
 * extension/channel mismatch, magic bytes win over the file name; imageio_read's direct
 * path for 8-bit files gives what imageio_decode gives; atomic whole-file writes and
 * imageio_same_file. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imageio.h"
#include "tools_test_util.h"

static void roundtrip(int ch)
{
    imageio_image a, b;
    char err[512];
    const char *p = tt_path(ch == 3 ? "rt.ppm" : "rt.PGM");
    CHECK(tt_make_image(&a, 23, 11, ch, 99) == 0);
    CHECK(imageio_write(p, &a, err, sizeof(err)) == 0);
    CHECK(imageio_read(p, IMAGEIO_ALPHA_REFUSE, &b, err, sizeof(err)) == 0);
    CHECK(b.width == 23 && b.height == 11 && b.channels == ch && b.source_bit_depth == 8);
    CHECK(b.pixels != NULL && memcmp(a.pixels, b.pixels, 23 * 11 * (size_t)ch) == 0);
    imageio_image_free(&b);
    /* wrong extension for the channel count: refused, nothing written */
    CHECK(imageio_write(tt_path(ch == 3 ? "wrong.pgm" : "wrong.ppm"), &a, err, sizeof(err)) == -1);
    CHECK(!tt_file_exists(tt_path(ch == 3 ? "wrong.pgm" : "wrong.ppm")));
    imageio_image_free(&a);
}

static int expect_decode_fail(const char *bytes, size_t n, const char *what)
{
    imageio_image img;
    char err[512] = "";
    const int rc = imageio_decode((const uint8_t *)bytes, n, "case.pnm", IMAGEIO_ALPHA_REFUSE,
                                  &img, err, sizeof(err));
    if (rc != -1 || img.pixels != NULL || strstr(err, "case.pnm") == NULL) {
        fprintf(stderr, "malformed PNM case '%s' not refused cleanly (rc %d, '%s')\n", what, rc,
                err);
        return 1;
    }
    if (strstr(err, what) == NULL) {
        fprintf(stderr, "case '%s': message '%s'\n", what, err);
        return 1;
    }
    return 0;
}

/* imageio_read of a file holding the bytes d[0..n) gives what imageio_decode gives
 * for the same bytes (width, height, channels, depth, every pixel), or the same failure:
 * the file read's direct PGM/PPM path (maxval 255, header in the first 256 bytes)
 * against the general one, and the fallbacks (long header, other maxval, truncated). */
static int read_equals_decode(const char *name, const uint8_t *d, size_t n)
{
    imageio_image a, b;
    char err[512], err2[512];
    int rd, dc, ok = 1;
    const char *p = tt_path(name);
    if (tt_write_bytes(p, d, n) != 0)
        return 0;
    rd = imageio_read(p, IMAGEIO_ALPHA_REFUSE, &a, err, sizeof(err));
    dc = imageio_decode(d, n, p, IMAGEIO_ALPHA_REFUSE, &b, err2, sizeof(err2));
    if (rd != dc)
        ok = 0;
    else if (rd != 0)
        ok = strcmp(err, err2) == 0;
    else
        ok = a.width == b.width && a.height == b.height && a.channels == b.channels &&
             a.source_bit_depth == b.source_bit_depth &&
             memcmp(a.pixels, b.pixels, (size_t)a.width * a.height * (size_t)a.channels) == 0;
    if (rd == 0)
        imageio_image_free(&a);
    if (dc == 0)
        imageio_image_free(&b);
    return ok;
}

/* A PGM/PPM file: header "P<magic>\n" + comment line of pad '#'-led bytes (none when pad
 * is 0) + "<w> <h>\n<maxval>\n", then nraster bytes (pattern) of raster and trailing data. */
static size_t make_pnm(uint8_t *buf, char magic, size_t pad, unsigned w, unsigned h, unsigned maxval,
                       size_t nraster)
{
    size_t n = 0;
    buf[n++] = 'P';
    buf[n++] = (uint8_t)magic;
    buf[n++] = '\n';
    if (pad > 0) {
        buf[n++] = '#';
        for (size_t i = 1; i + 1 < pad; i++)
            buf[n++] = 'c';
        buf[n++] = '\n';
    }
    n += (size_t)sprintf((char *)buf + n, "%u %u\n%u\n", w, h, maxval);
    for (size_t i = 0; i < nraster; i++)
        buf[n + i] = (uint8_t)(i * 7 + 3);
    return n + nraster;
}

int main(void)
{
    imageio_image img;
    char err[512];
    roundtrip(3);
    roundtrip(1);

    /* 16-bit PGM, maxval 65535: values reduce by rounding. */
    {
        static const uint8_t px[] = {0x00, 0x00, 0x00, 0x80, 0x7f, 0x80, 0x80, 0x80, 0xff, 0xff};
        char buf[64];
        const int hl = snprintf(buf, sizeof(buf), "P5\n# comment line\n5 1 # trailing\n65535\n");
        memcpy(buf + hl, px, sizeof(px));
        CHECK(imageio_decode((const uint8_t *)buf, (size_t)hl + sizeof(px), "p16.pgm",
                             IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == 0);
        CHECK(img.width == 5 && img.height == 1 && img.channels == 1 && img.source_bit_depth == 16);
        if (img.pixels != NULL) {
            /* 0, 128 -> 0 (0.498), 0x7f80 = 32640 -> 127.0, 0x8080 = 32896 -> 128, 65535 -> 255 */
            CHECK(img.pixels[0] == 0 && img.pixels[1] == 0 && img.pixels[2] == 127 &&
                  img.pixels[3] == 128 && img.pixels[4] == 255);
        }
        imageio_image_free(&img);
    }
    /* maxval 1000 (two bytes per sample) and maxval 3 (one byte). */
    {
        static const uint8_t raw[] = {'P', '6', ' ', '1', ' ', '1', ' ', '1', '0', '0', '0', '\n',
                                      0x00, 0x02, 0x01, 0xf4, 0x03, 0xe8};   /* 2, 500, 1000 */
        CHECK(imageio_decode(raw, sizeof(raw), "m1000.ppm", IMAGEIO_ALPHA_REFUSE, &img, err,
                             sizeof(err)) == 0);
        CHECK(img.channels == 3 && img.source_bit_depth == 10);
        if (img.pixels != NULL)   /* 0.51 -> 1, 127.5 -> 128 (half up), 255 */
            CHECK(img.pixels[0] == 1 && img.pixels[1] == 128 && img.pixels[2] == 255);
        imageio_image_free(&img);
    }
    {
        static const uint8_t raw[] = {'P', '5', '\t', '4', '\r', '1', '\n', '3', ' ', 0, 1, 2, 3};
        CHECK(imageio_decode(raw, sizeof(raw), "m3.pgm", IMAGEIO_ALPHA_REFUSE, &img, err,
                             sizeof(err)) == 0);
        if (img.pixels != NULL)
            CHECK(img.pixels[0] == 0 && img.pixels[1] == 85 && img.pixels[2] == 170 &&
                  img.pixels[3] == 255);
        CHECK(img.source_bit_depth == 2);
        imageio_image_free(&img);
    }
    /* Magic bytes decide, not the name: a PPM saved as .png still reads. */
    {
        static const uint8_t raw[] = {'P', '6', '\n', '1', ' ', '1', '\n', '2', '5', '5', '\n', 1, 2, 3};
        CHECK(tt_write_bytes(tt_path("really_ppm.png"), raw, sizeof(raw)) == 0);
        CHECK(imageio_read(tt_path("really_ppm.png"), IMAGEIO_ALPHA_REFUSE, &img, err,
                           sizeof(err)) == 0);
        CHECK(img.channels == 3 && img.pixels != NULL && img.pixels[2] == 3);
        imageio_image_free(&img);
    }
    CHECK(expect_decode_fail("P6\n2 2\n255\n\x01\x02", 14, "truncated") == 0);
    CHECK(expect_decode_fail("P5\n2 2\n0\n\x01\x02\x03\x04", 13, "maxval") == 0);
    CHECK(expect_decode_fail("P5\n1 1\n70000\n\x01\x02", 15, "maxval") == 0);
    CHECK(expect_decode_fail("P5\n0 5\n255\n", 11, "dimensions") == 0);
    CHECK(expect_decode_fail("P6\n100000 100000\n255\n", 21, "dimensions") == 0);
    CHECK(expect_decode_fail("P6\n60000 60000\n255\n", 19, "dimensions") == 0);
    CHECK(expect_decode_fail("P6\n99999999999 1\n255\n", 21, "malformed") == 0);
    CHECK(expect_decode_fail("P6\n2", 4, "malformed") == 0);
    CHECK(expect_decode_fail("P6\nx 2 255\n", 11, "malformed") == 0);
    CHECK(expect_decode_fail("P3\n1 1\n255\n1 2 3\n", 17, "binary") == 0);
    CHECK(expect_decode_fail("P2\n1 1\n255\n1\n", 13, "binary") == 0);
    /* imageio_read's direct path for 8-bit PGM/PPM files against the general decode */
    {
        static uint8_t buf[4096];
        CHECK(read_equals_decode("d1.ppm", buf, make_pnm(buf, '6', 0, 7, 5, 255, 7 * 5 * 3)));
        CHECK(read_equals_decode("d2.ppm", buf, make_pnm(buf, '6', 0, 7, 5, 255, 7 * 5 * 3 + 9)));   /* trailing */
        CHECK(read_equals_decode("d3.pgm", buf, make_pnm(buf, '5', 0, 33, 40, 255, 33 * 40)));
        CHECK(read_equals_decode("d4.ppm", buf, make_pnm(buf, '6', 0, 1, 1, 255, 3)));
        CHECK(read_equals_decode("d5.ppm", buf, make_pnm(buf, '6', 300, 9, 9, 255, 9 * 9 * 3)));   /* long header */
        CHECK(read_equals_decode("d6.ppm", buf, make_pnm(buf, '6', 0, 4, 3, 1000, 4 * 3 * 6)));    /* 2-byte samples */
        CHECK(read_equals_decode("d7.ppm", buf, make_pnm(buf, '6', 0, 7, 5, 255, 7 * 5 * 3 - 1))); /* truncated */
        CHECK(read_equals_decode("d8.ppm", buf, make_pnm(buf, '6', 0, 7, 5, 255, 0)));
        /* a header field cut by the end of the first 256 bytes: "P6\n" (3) + comment up to
           byte 253, then the width 100 at bytes 253..255 and 254..256 */
        CHECK(read_equals_decode("d9.ppm", buf, make_pnm(buf, '6', 250, 100, 2, 255, 100 * 2 * 3)));
        CHECK(read_equals_decode("d10.ppm", buf, make_pnm(buf, '6', 251, 100, 2, 255, 100 * 2 * 3)));
        /* the raster starting exactly at byte 256, and one byte later */
        CHECK(read_equals_decode("d11.ppm", buf, make_pnm(buf, '6', 256 - 3 - 9, 10, 10, 255, 300)));
        CHECK(read_equals_decode("d12.ppm", buf, make_pnm(buf, '6', 256 - 3 - 8, 10, 10, 255, 300)));
        CHECK(read_equals_decode("d13.ppm", buf, make_pnm(buf, '6', 0, 0, 5, 255, 30)));   /* bad dimensions */
    }
    /* Whole-file helpers: atomic write (new file and overwrite), read back, same_file. */
    {
        char a[700], b[700], l[700], err2[512];
        uint8_t *d;
        size_t n;
        snprintf(a, sizeof(a), "%s", tt_path("blob.rec"));
        snprintf(b, sizeof(b), "%s", tt_path("other.rec"));
        snprintf(l, sizeof(l), "%s", tt_path("link.rec"));
        CHECK(imageio_write_file_atomic(a, "first version", 13, err2, sizeof(err2)) == 0);
        CHECK(imageio_write_file_atomic(a, "second", 6, err2, sizeof(err2)) == 0);
        CHECK(imageio_read_file(a, 100, &d, &n, err2, sizeof(err2)) == 0);
        CHECK(n == 6 && d != NULL && memcmp(d, "second", 6) == 0);
        free(d);
        CHECK(imageio_write_file_atomic(b, "", 0, err2, sizeof(err2)) == 0);
        CHECK(imageio_read_file(b, 100, &d, &n, err2, sizeof(err2)) == 0 && n == 0 && d != NULL);
        free(d);
        CHECK(link(a, l) == 0);
        CHECK(imageio_same_file(a, a) == 1);
        CHECK(imageio_same_file(a, l) == 1);   /* a hard link is the same file */
        CHECK(imageio_same_file(a, b) == 0);
        CHECK(imageio_same_file(a, tt_path("nothing.rec")) == 0);
        CHECK(imageio_write_file_atomic(tt_path("nodir/x.rec"), "x", 1, err2, sizeof(err2)) == -1);
        CHECK(strstr(err2, "nodir/x.rec") != NULL);
    }
    CHECK(tt_count_temporaries() == 0);
    return tt_finish("test_imageio_pnm");
}
