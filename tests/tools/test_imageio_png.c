/* tests/tools/test_imageio_png.c: PNG input of every bit depth and colour type,
 * interlaced or not, synthesised here with libpng; alpha refusal and dropping; 16-bit
 * reduction by rounding (all 65536 values); PNG output round trip and atomic writes. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imageio.h"
#include "tools_test_util.h"

struct spec {
    int color_type, depth, interlace, trns;
};

static int channels_of(int ct)
{
    switch (ct) {
    case PNG_COLOR_TYPE_GRAY: return 1;
    case PNG_COLOR_TYPE_GRAY_ALPHA: return 2;
    case PNG_COLOR_TYPE_RGB: return 3;
    case PNG_COLOR_TYPE_RGB_ALPHA: return 4;
    default: return 1;   /* palette index */
    }
}

/* Sample (x, y, c) of the synthetic image, in 0 .. 2^depth - 1. */
static unsigned sample(int x, int y, int c, int depth)
{
    const unsigned max = (1u << depth) - 1u;
    return (unsigned)(x * 7 + y * 13 + c * 29 + x * y) % (max + 1u);
}


/* Writes a PNG with libpng. Palette: entry i = (i*3, 255 - i, i*7 mod 256). */
static int write_png(const char *path, int w, int h, const struct spec *s)
{
    FILE *f = fopen(path, "wb");
    png_structp png;
    png_infop info;
    const int ch = channels_of(s->color_type);
    const size_t rowbytes = ((size_t)w * (size_t)ch * (size_t)s->depth + 7) / 8;
    unsigned char *buf;
    png_bytep *rows;
    png_color pal[256];
    png_byte trns[256];
    png_color_16 trns_color;
    int x, y, c, i;

    if (f == NULL)
        return -1;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    buf = calloc(rowbytes * (size_t)h, 1);
    rows = malloc(sizeof(png_bytep) * (size_t)h);
    if (setjmp(png_jmpbuf(png))) {   /* test code: our own writes cannot fail */
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, s->depth, s->color_type,
                 s->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (s->color_type == PNG_COLOR_TYPE_PALETTE) {
        const int n = 1 << s->depth;
        for (i = 0; i < n; i++) {
            pal[i].red = (png_byte)(i * 3);
            pal[i].green = (png_byte)(255 - i);
            pal[i].blue = (png_byte)((i * 7) & 255);
            trns[i] = (png_byte)(i == 1 ? 0 : 255);
        }
        png_set_PLTE(png, info, pal, n);
        if (s->trns)
            png_set_tRNS(png, info, trns, n, NULL);
    } else if (s->trns) {
        memset(&trns_color, 0, sizeof(trns_color));
        trns_color.gray = 1;
        trns_color.red = 1;
        png_set_tRNS(png, info, NULL, 0, &trns_color);
    }
    for (y = 0; y < h; y++) {
        unsigned char *r = buf + (size_t)y * rowbytes;
        rows[y] = r;
        for (x = 0; x < w; x++)
            for (c = 0; c < ch; c++) {
                const unsigned v = sample(x, y, c, s->depth);
                const size_t idx = (size_t)x * (size_t)ch + (size_t)c;
                if (s->depth == 16) {
                    r[2 * idx] = (unsigned char)(v >> 8);
                    r[2 * idx + 1] = (unsigned char)(v & 255);
                } else if (s->depth == 8) {
                    r[idx] = (unsigned char)v;
                } else {
                    const size_t bit = idx * (size_t)s->depth;
                    r[bit / 8] |= (unsigned char)(v << (8 - s->depth - (int)(bit % 8)));
                }
            }
    }
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(buf);
    free(rows);
    return fclose(f) == 0 ? 0 : -1;
}

static unsigned to8(unsigned v, int depth)
{
    const unsigned max = (1u << depth) - 1u;
    return (v * 255u * 2u + max) / (2u * max);   /* round(v * 255 / max) */
}

/* Reads the file back and checks every pixel against the synthetic samples. */
static void check_read(const char *path, int w, int h, const struct spec *s)
{
    imageio_image img;
    char err[512];
    const int ct = s->color_type;
    const int has_alpha = (ct & PNG_COLOR_MASK_ALPHA) != 0 || s->trns;
    const int out_ch = (ct == PNG_COLOR_TYPE_GRAY || ct == PNG_COLOR_TYPE_GRAY_ALPHA) ? 1 : 3;
    int x, y, c, bad = 0;

    if (has_alpha) {
        /* Refused by default, with a message naming the file and the problem. */
        err[0] = '\0';
        CHECK(imageio_read(path, IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == -1);
        CHECK(img.pixels == NULL);
        CHECK(strstr(err, path) != NULL);
        CHECK(strstr(err, "alpha") != NULL);
        CHECK(strstr(err, "--alpha drop") != NULL);
    }
    if (imageio_read(path, IMAGEIO_ALPHA_DROP, &img, err, sizeof(err)) != 0) {
        fprintf(stderr, "read failed: %s\n", err);
        CHECK(!"read of a valid PNG failed");
        return;
    }
    CHECK(img.width == (uint32_t)w && img.height == (uint32_t)h);
    CHECK(img.channels == out_ch);
    CHECK(img.source_bit_depth == s->depth);
    for (y = 0; y < h && img.channels == out_ch; y++)
        for (x = 0; x < w; x++)
            for (c = 0; c < out_ch; c++) {
                unsigned want;
                const unsigned got = img.pixels[((size_t)y * (size_t)w + (size_t)x) * (size_t)out_ch + (size_t)c];
                if (ct == PNG_COLOR_TYPE_PALETTE) {
                    const unsigned i = sample(x, y, 0, s->depth);
                    want = c == 0 ? (i * 3) & 255 : c == 1 ? 255 - i : (i * 7) & 255;
                } else {
                    want = to8(sample(x, y, c, s->depth), s->depth);
                }
                if (got != want && bad++ < 3)
                    fprintf(stderr, "%s: pixel (%d,%d,%d) = %u, want %u\n", path, x, y, c, got,
                            want);
            }
    CHECK(bad == 0);
    imageio_image_free(&img);
    CHECK(img.pixels == NULL);
}

static void test_all_kinds(void)
{
    static const struct { int ct; int depths[5]; } kinds[] = {
        {PNG_COLOR_TYPE_GRAY, {1, 2, 4, 8, 16}},
        {PNG_COLOR_TYPE_GRAY_ALPHA, {8, 16, 0, 0, 0}},
        {PNG_COLOR_TYPE_RGB, {8, 16, 0, 0, 0}},
        {PNG_COLOR_TYPE_RGB_ALPHA, {8, 16, 0, 0, 0}},
        {PNG_COLOR_TYPE_PALETTE, {1, 2, 4, 8, 0}},
    };
    static const int sizes[][2] = {{13, 7}, {1, 1}, {33, 20}};
    size_t k, d, z;
    int il, trns, count = 0;
    for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        for (d = 0; d < 5 && kinds[k].depths[d] != 0; d++)
            for (il = 0; il < 2; il++)
                for (trns = 0; trns < 2; trns++)
                    for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
                        struct spec s;
                        char name[64];
                        s.color_type = kinds[k].ct;
                        s.depth = kinds[k].depths[d];
                        s.interlace = il;
                        s.trns = trns;
                        /* tRNS is only allowed without an alpha channel */
                        if (trns && (s.color_type & PNG_COLOR_MASK_ALPHA))
                            continue;
                        snprintf(name, sizeof(name), "ct%d_d%d_i%d_t%d_%dx%d.png", s.color_type,
                                 s.depth, il, trns, sizes[z][0], sizes[z][1]);
                        if (write_png(tt_path(name), sizes[z][0], sizes[z][1], &s) != 0) {
                            CHECK(!"writing a synthetic PNG failed");
                            continue;
                        }
                        check_read(tt_path(name), sizes[z][0], sizes[z][1], &s);
                        count++;
                    }
    printf("checked %d synthetic PNG variants\n", count);
    CHECK(count == 156);
}

/* A 256x256 16-bit gray image holding every value 0..65535 once, row-major. */
static int write_ramp16(const char *path)
{
    FILE *f = fopen(path, "wb");
    png_structp png;
    png_infop info;
    unsigned char row[512];
    int y, x;
    if (f == NULL)
        return -1;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) {
        fclose(f);
        return -1;
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, 256, 256, 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (y = 0; y < 256; y++) {
        for (x = 0; x < 256; x++) {
            row[2 * x] = (unsigned char)y;
            row[2 * x + 1] = (unsigned char)x;
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    return fclose(f) == 0 ? 0 : -1;
}

/* Every 16-bit value once: reduction to 8 bits must be round(v / 257), not v >> 8. */
static void test_16bit_rounding(void)
{
    imageio_image img;
    char err[512];
    unsigned v, bad = 0, differs_from_truncation = 0;
    CHECK(write_ramp16(tt_path("ramp16.png")) == 0);
    if (imageio_read(tt_path("ramp16.png"), IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        CHECK(!"reading ramp16.png failed");
        return;
    }
    for (v = 0; v < 65536; v++) {
        const unsigned want = (2 * v + 257) / 514;   /* round(v / 257); no ties exist */
        if (img.pixels[v] != want)
            bad++;
        if (want != v >> 8)
            differs_from_truncation++;
    }
    CHECK(bad == 0);
    CHECK(differs_from_truncation == 16256);   /* the test can tell rounding from truncation */
    CHECK(img.source_bit_depth == 16);
    imageio_image_free(&img);
}

static void test_write_roundtrip(void)
{
    imageio_image a, b;
    char err[512];
    int ch;
    for (ch = 1; ch <= 3; ch += 2) {
        const char *p = tt_path(ch == 1 ? "out_gray.png" : "out_rgb.PNG");
        CHECK(tt_make_image(&a, 37, 19, ch, 42) == 0);
        CHECK(imageio_write(p, &a, err, sizeof(err)) == 0);
        CHECK(imageio_read(p, IMAGEIO_ALPHA_REFUSE, &b, err, sizeof(err)) == 0);
        CHECK(b.width == 37 && b.height == 19 && b.channels == ch);
        CHECK(b.pixels != NULL && memcmp(a.pixels, b.pixels, 37 * 19 * (size_t)ch) == 0);
        imageio_image_free(&a);
        imageio_image_free(&b);
    }
    /* Overwrite keeps atomicity: the old file is replaced whole, no temporaries remain. */
    CHECK(tt_make_image(&a, 8, 8, 3, 1) == 0);
    CHECK(imageio_write(tt_path("out_rgb.PNG"), &a, err, sizeof(err)) == 0);
    CHECK(imageio_read(tt_path("out_rgb.PNG"), IMAGEIO_ALPHA_REFUSE, &b, err, sizeof(err)) == 0);
    CHECK(b.width == 8 && b.height == 8);
    imageio_image_free(&b);
    /* Failure in a missing directory: clean error naming the file, nothing created. */
    CHECK(imageio_write(tt_path("no/such/dir/x.png"), &a, err, sizeof(err)) == -1);
    CHECK(strstr(err, "no/such/dir/x.png") != NULL);
    /* Invalid image: refused before anything is written. */
    a.channels = 2;
    CHECK(imageio_write(tt_path("bad.png"), &a, err, sizeof(err)) == -1);
    CHECK(!tt_file_exists(tt_path("bad.png")));
    a.channels = 3;
    imageio_image_free(&a);
    CHECK(tt_count_temporaries() == 0);
}

static void test_real_photo(const char *dir)
{
    char path[1024];
    imageio_image img;
    char err[512];
    snprintf(path, sizeof(path), "%s/astronaut.png", dir);
    CHECK(imageio_read(path, IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == 0);
    CHECK(img.width == 512 && img.height == 512 && img.channels == 3);
    imageio_image_free(&img);
    snprintf(path, sizeof(path), "%s/brick.png", dir);
    CHECK(imageio_read(path, IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) == 0);
    CHECK(img.width == 512 && img.height == 512 && img.channels == 1);
    imageio_image_free(&img);
}

int main(int argc, char **argv)
{
    test_all_kinds();
    test_16bit_rounding();
    test_write_roundtrip();
    if (argc > 1)
        test_real_photo(argv[1]);
    return tt_finish("test_imageio_png");
}
