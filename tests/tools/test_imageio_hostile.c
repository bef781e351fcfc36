/* tests/tools/test_imageio_hostile.c: hostile and broken input gives a clean error naming
 * the file, never a crash, and no image: truncated PNG and JPEG at many lengths, corrupted
 * bytes (fixed-seed mutations of small valid files), absurd dimensions in otherwise valid
 * headers (checked before allocation), not an image, empty file, missing file, directory.
 * Run under -DRECIMG_SANITIZE=ON to also catch memory errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageio.h"
#include "jpegref.h"
#include "tools_test_util.h"

static uint32_t crc_table[256];

static void crc_init(void)
{
    uint32_t n, c;
    int k;
    for (n = 0; n < 256; n++) {
        c = n;
        for (k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32_bytes(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    size_t i;
    for (i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 255] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* decode must fail with a message naming `name`, leaving no pixels. */
static int refused(const uint8_t *d, size_t n, const char *name)
{
    imageio_image img;
    char err[512] = "";
    const int rc = imageio_decode(d, n, name, IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err));
    if (rc == 0) {
        imageio_image_free(&img);
        return 0;
    }
    return rc == -1 && img.pixels == NULL && strstr(err, name) != NULL;
}

/* Decoding a mutated file may succeed (a flipped pixel byte in JPEG is still a JPEG) but
 * must not crash; when it succeeds the image must be consistent. */
static void decode_any(const uint8_t *d, size_t n)
{
    imageio_image img;
    char err[512];
    if (imageio_decode(d, n, "fuzz", IMAGEIO_ALPHA_DROP, &img, err, sizeof(err)) == 0) {
        size_t i, sum = 0;
        const size_t bytes = (size_t)img.width * img.height * (size_t)img.channels;
        CHECK(img.width >= 1 && img.height >= 1 && img.pixels != NULL);
        CHECK(img.channels == 1 || img.channels == 3);
        for (i = 0; i < bytes; i++)   /* touch every byte (sanitizers see overruns) */
            sum += img.pixels[i];
        (void)sum;
        imageio_image_free(&img);
    } else {
        CHECK(strstr(err, "fuzz") != NULL);
    }
}

static void mutate_many(const uint8_t *orig, size_t n, uint64_t seed, int iterations)
{
    uint8_t *buf = malloc(n);
    int it;
    if (buf == NULL)
        return;
    for (it = 0; it < iterations; it++) {
        int k;
        const int nmut = 1 + (int)(tt_rand(&seed) % 8);
        memcpy(buf, orig, n);
        for (k = 0; k < nmut; k++) {
            const size_t pos = (size_t)(tt_rand(&seed) % n);
            buf[pos] = (uint8_t)tt_rand(&seed);
        }
        decode_any(buf, n);
        decode_any(buf, (size_t)(tt_rand(&seed) % n));   /* and a truncation of it */
    }
    free(buf);
}

int main(void)
{
    imageio_image img;
    uint8_t *png = NULL, *jpg = NULL;
    size_t png_size = 0, jpg_size = 0, cut;
    char err[512];
    int ok;

    crc_init();
    /* A small valid PNG and JPEG to damage. */
    CHECK(tt_make_image(&img, 40, 30, 3, 5) == 0);
    CHECK(imageio_write(tt_path("v.png"), &img, err, sizeof(err)) == 0);
    /* a format we do not write is refused by name, and nothing appears */
    CHECK(imageio_write(tt_path("v.JPG"), &img, err, sizeof(err)) != 0);
    CHECK(strstr(err, "v.JPG") != NULL);
    CHECK(imageio_read_file(tt_path("v.JPG"), 1 << 20, &png, &png_size, err, sizeof(err)) != 0);
    free(png);
    png = NULL;
    CHECK(imageio_read_file(tt_path("v.png"), 1 << 20, &png, &png_size, err, sizeof(err)) == 0);
    CHECK(tool_jpeg_encode(&img, 80, 420, &jpg, &jpg_size, err, sizeof(err)) == 0);
    imageio_image_free(&img);
    if (png == NULL || jpg == NULL)
        return tt_finish("test_imageio_hostile");

    /* Every truncation of the PNG (the file needs its IEND) and of the JPEG (up to the
     * EOI marker) is refused. */
    ok = 1;
    for (cut = 0; cut < png_size; cut++)
        ok &= refused(png, cut, "cut.png");
    CHECK(ok);
    ok = 1;
    for (cut = 0; cut + 2 < jpg_size; cut++)
        ok &= refused(jpg, cut, "cut.jpg");
    CHECK(ok);

    /* A flipped bit in IDAT breaks its CRC: refused. */
    {
        uint8_t *bad = malloc(png_size);
        memcpy(bad, png, png_size);
        bad[png_size - 20] ^= 0x10;
        CHECK(refused(bad, png_size, "crc.png"));
        free(bad);
    }
    /* Absurd dimensions with a correct CRC: refused from the header, before allocating. */
    {
        static const uint32_t dims[][2] = {
            {0, 10}, {10, 0}, {0x7fffffffu, 1}, {70000, 70000}, {65535, 65535}, {1u << 20, 2}};
        size_t k;
        for (k = 0; k < sizeof(dims) / sizeof(dims[0]); k++) {
            uint8_t *bad = malloc(png_size);
            memcpy(bad, png, png_size);
            put32(bad + 16, dims[k][0]);   /* IHDR data starts at byte 16 */
            put32(bad + 20, dims[k][1]);
            put32(bad + 29, crc32_bytes(bad + 12, 17));
            CHECK(refused(bad, png_size, "dims.png"));
            free(bad);
        }
    }
    /* JPEG with absurd dimensions in its SOF (65500 x 65500, within JPEG's own limit but
     * over the pixel limit): refused before allocating. */
    {
        uint8_t *bad = malloc(jpg_size);
        size_t i;
        int found = 0;
        memcpy(bad, jpg, jpg_size);
        for (i = 2; i + 9 < jpg_size; i++)
            if (bad[i] == 0xff && bad[i + 1] == 0xc0) {   /* SOF0: FFC0 len(2) P(1) H(2) W(2) */
                bad[i + 5] = 0xff;
                bad[i + 6] = 0xdc;
                bad[i + 7] = 0xff;
                bad[i + 8] = 0xdc;
                found = 1;
                break;
            }
        CHECK(found);
        CHECK(refused(bad, jpg_size, "dims.jpg"));
        bad[i + 5] = 0;   /* height 0 + width 0 */
        bad[i + 6] = 0;
        CHECK(refused(bad, jpg_size, "dims.jpg"));
        free(bad);
    }
    /* Not an image, empty, magic only. */
    CHECK(refused((const uint8_t *)"hello, world\n", 13, "text.png"));
    CHECK(refused((const uint8_t *)"", 0, "empty.png"));
    CHECK(refused(png, 8, "sig.png"));
    CHECK(refused((const uint8_t *)"\xff\xd8\xff", 3, "soi.jpg"));
    CHECK(refused((const uint8_t *)"\xff\xd8\xff\xe0\x00\x10JFIF\x00garbage garbage", 25, "jfif.jpg"));
    /* File-level failures name the path. */
    CHECK(imageio_read(tt_path("missing.png"), IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == -1);
    CHECK(strstr(err, "missing.png") != NULL);
    CHECK(imageio_read(tt_tmpdir(), IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == -1);
    CHECK(strstr(err, tt_tmpdir()) != NULL && strstr(err, "directory") != NULL);
    CHECK(tt_write_bytes(tt_path("empty.png"), "", 0) == 0);
    CHECK(imageio_read(tt_path("empty.png"), IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == -1);
    CHECK(strstr(err, "empty.png") != NULL && img.pixels == NULL);
    /* read_file's size limit */
    {
        uint8_t *d;
        size_t n;
        CHECK(imageio_read_file(tt_path("v.png"), 10, &d, &n, err, sizeof(err)) == -1);
        CHECK(strstr(err, "limit") != NULL);
        CHECK(imageio_read_file(tt_path("v.png"), png_size, &d, &n, err, sizeof(err)) == 0);
        CHECK(n == png_size);
        free(d);
    }
    /* A NULL err buffer is allowed. */
    CHECK(imageio_decode(png, 5, "x", IMAGEIO_ALPHA_REFUSE, &img, NULL, 0) == -1);

    /* Fixed-seed random corruption: never a crash, errors always name the input. */
    mutate_many(png, png_size, 1, 1500);
    mutate_many(jpg, jpg_size, 2, 1500);
    free(png);
    free(jpg);
    return tt_finish("test_imageio_hostile");
}
