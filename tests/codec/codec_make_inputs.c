/* Writes the inputs of test_codec_cli.sh:
 *   codec_make_inputs pngs DIR      PNGs of every kind the CLI must accept (gray 1/2/4/8/16-bit,
 *                                   RGB 8/16-bit, palette 4/8-bit, interlaced, RGBA, gray+alpha)
 *   codec_make_inputs bad IN.rec DIR   hostile .rec files derived from a valid one:
 *                                   truncated, corrupt (CRC mismatch), badmagic, absurd (huge
 *                                   dimensions with a valid CRC), badversion, empty */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { W = 37, H = 23 };

static int write_png(const char *dir, const char *name, int color_type, int depth, int interlace)
{
    char path[1024];
    FILE *f;
    png_structp png;
    png_infop info;
    int channels = color_type == PNG_COLOR_TYPE_GRAY ? 1 : color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                 : color_type == PNG_COLOR_TYPE_RGB ? 3 : color_type == PNG_COLOR_TYPE_RGBA ? 4 : 1;
    size_t rowbytes = ((size_t)W * (size_t)channels * (size_t)depth + 7) / 8;
    png_bytep rows[H];
    unsigned char *buf = calloc(H, rowbytes);

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || !buf) return -1;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    info = png_create_info_struct(png);
    if (setjmp(png_jmpbuf(png))) return -1;
    png_init_io(png, f);
    png_set_IHDR(png, info, W, H, depth, color_type,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        const int n = 1 << depth;
        for (int i = 0; i < n; i++) {
            pal[i].red = (png_byte)(i * 255 / (n - 1));
            pal[i].green = (png_byte)(255 - i * 255 / (n - 1));
            pal[i].blue = (png_byte)((i * 97) & 255);
        }
        png_set_PLTE(png, info, pal, n);
    }
    png_write_info(png, info);
    for (int y = 0; y < H; y++) {
        rows[y] = buf + (size_t)y * rowbytes;
        for (int x = 0; x < W; x++)
            for (int c = 0; c < channels; c++) {
                const unsigned v = (unsigned)((x * 7 + y * 11 + c * 40) % 256);
                const size_t s = (size_t)x * (size_t)channels + (size_t)c;
                if (depth == 16) {
                    rows[y][2 * s] = (png_byte)v;
                    rows[y][2 * s + 1] = (png_byte)(v * 3);
                } else if (depth == 8) {
                    rows[y][s] = (png_byte)v;
                } else {
                    const unsigned maxv = (1u << depth) - 1, per = 8u / (unsigned)depth;
                    const unsigned q = (v * maxv / 255) & maxv;
                    rows[y][s / per] |= (png_byte)(q << (8 - depth * (int)(s % per + 1)));
                }
            }
    }
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(f);
    free(buf);
    return 0;
}

static int write_file(const char *dir, const char *name, const unsigned char *d, size_t n)
{
    char path[1024];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f) return -1;
    if (n && fwrite(d, 1, n, f) != n) { fclose(f); return -1; }
    return fclose(f);
}

static void fix_crc(unsigned char *f, size_t n)
{
    const uLong c = crc32(crc32(0L, Z_NULL, 0), f, (uInt)(n - 4));
    for (int i = 0; i < 4; i++) f[n - 4 + (size_t)i] = (unsigned char)(c >> (8 * i));
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "pngs")) {
        const char *d = argv[2];
        int r = 0;
        r |= write_png(d, "gray1.png", PNG_COLOR_TYPE_GRAY, 1, 0);
        r |= write_png(d, "gray2.png", PNG_COLOR_TYPE_GRAY, 2, 0);
        r |= write_png(d, "gray4.png", PNG_COLOR_TYPE_GRAY, 4, 0);
        r |= write_png(d, "gray8.png", PNG_COLOR_TYPE_GRAY, 8, 0);
        r |= write_png(d, "gray16.png", PNG_COLOR_TYPE_GRAY, 16, 0);
        r |= write_png(d, "rgb8.png", PNG_COLOR_TYPE_RGB, 8, 0);
        r |= write_png(d, "rgb16.png", PNG_COLOR_TYPE_RGB, 16, 0);
        r |= write_png(d, "palette4.png", PNG_COLOR_TYPE_PALETTE, 4, 0);
        r |= write_png(d, "palette8.png", PNG_COLOR_TYPE_PALETTE, 8, 0);
        r |= write_png(d, "interlaced.png", PNG_COLOR_TYPE_RGB, 8, 1);
        r |= write_png(d, "interlaced16.png", PNG_COLOR_TYPE_GRAY, 16, 1);
        r |= write_png(d, "rgba.png", PNG_COLOR_TYPE_RGBA, 8, 0);
        r |= write_png(d, "grayalpha.png", PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0);
        return r ? 1 : 0;
    }
    if (argc == 4 && !strcmp(argv[1], "bad")) {
        FILE *f = fopen(argv[2], "rb");
        unsigned char *b, *m;
        long n;
        const char *d = argv[3];
        int r = 0;
        if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 64 || fseek(f, 0, SEEK_SET)) return 1;
        b = malloc((size_t)n);
        m = malloc((size_t)n);
        if (!b || !m || fread(b, 1, (size_t)n, f) != (size_t)n) return 1;
        fclose(f);
        r |= write_file(d, "truncated.rec", b, (size_t)n / 2);
        r |= write_file(d, "header_only.rec", b, 40);
        memcpy(m, b, (size_t)n);
        m[n / 2] ^= 0x55;
        r |= write_file(d, "corrupt.rec", m, (size_t)n);
        memcpy(m, b, (size_t)n);
        m[1] = 'X';
        r |= write_file(d, "badmagic.rec", m, (size_t)n);
        memcpy(m, b, (size_t)n);
        m[8] = 7;
        fix_crc(m, (size_t)n);
        r |= write_file(d, "badversion.rec", m, (size_t)n);
        memcpy(m, b, (size_t)n);
        m[12] = m[13] = m[14] = 0xFF; m[15] = 0x3F;     /* width 2^30 - 1 */
        m[16] = m[17] = m[18] = 0xFF; m[19] = 0x3F;     /* height 2^30 - 1 */
        fix_crc(m, (size_t)n);
        r |= write_file(d, "absurd.rec", m, (size_t)n);
        r |= write_file(d, "empty.rec", b, 0);
        free(b);
        free(m);
        return r ? 1 : 0;
    }
    fprintf(stderr, "usage: codec_make_inputs pngs DIR | bad IN.rec DIR\n");
    return 2;
}
