/* tools/imageio.c: PNG (libpng), JPEG (libjpeg-turbo, libjpeg API) and PGM/PPM input,
 * PNG and PGM/PPM output, atomic file writes. Contracts in imageio.h.
 *
 * Error handling with setjmp/longjmp (both libpng and libjpeg report fatal errors by
 * calling a function that must not return): the setjmp sits in a small function whose
 * own local variables are never modified after the setjmp; every piece of state that
 * changes while the library runs (allocated rows, the output buffer) lives in a state
 * struct owned by the caller, so it is well defined after a longjmp (C11 7.13.2.1p3) and
 * the caller frees it on every path.
 *
 * Decoding always works from a memory buffer (the whole file is read first, bounded by
 * IMAGEIO_MAX_FILE_BYTES), so the same code serves files, fuzzers and tests, and a
 * truncated file is seen as a short buffer, never as a blocking read. One exception for
 * speed (issue 8): an 8-bit PGM/PPM regular file whose header ends in its first bytes has
 * its raster read straight into the pixel buffer (read_pnm8_direct); any other case, and
 * any failure there, takes the general path.
 */
#define _POSIX_C_SOURCE 200809L

#include "imageio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

/* Largest number of JPEG scans accepted: a hostile progressive JPEG can otherwise make
 * the decoder run for a very long time on a small file (libjpeg-turbo's djpeg -maxscan
 * uses the same idea). Real progressive files have about 10. */
#define JPEG_MAX_SCANS 500

void imageio_set_error(char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    if (err == NULL || err_size == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}

/* width*height*channels in bytes, checking the limits. 0 ok, -1 outside the limits. */
static int check_dims(uint32_t w, uint32_t h, int channels, size_t *bytes)
{
    if (w == 0 || h == 0 || w > IMAGEIO_MAX_DIM || h > IMAGEIO_MAX_DIM)
        return -1;
    if ((uint64_t)w * h > IMAGEIO_MAX_PIXELS)
        return -1;
    if (channels != 1 && channels != 3)
        return -1;
    *bytes = (size_t)w * h * (size_t)channels;   /* <= 2^28 * 3, fits in size_t */
    return 0;
}

void imageio_image_free(imageio_image *img)
{
    if (img == NULL)
        return;
    free(img->pixels);
    memset(img, 0, sizeof(*img));
}

int imageio_image_alloc(imageio_image *img, uint32_t width, uint32_t height, int channels)
{
    size_t bytes;
    if (img == NULL)
        return -1;
    memset(img, 0, sizeof(*img));
    if (check_dims(width, height, channels, &bytes) != 0)
        return -1;
    img->pixels = calloc(bytes, 1);
    if (img->pixels == NULL)
        return -1;
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->source_bit_depth = 8;
    return 0;
}

void imageio_luma(const imageio_image *img, double *y)
{
    const size_t n = (size_t)img->width * img->height;
    size_t i;
    if (img->channels == 1) {
        for (i = 0; i < n; i++)
            y[i] = img->pixels[i];
        return;
    }
    for (i = 0; i < n; i++) {
        const uint8_t *p = img->pixels + 3 * i;
        y[i] = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    }
}

/* ------------------------------------------------------------------------------------ */
/* PNG input                                                                              */

struct png_state {
    const uint8_t *data;
    size_t size, pos;
    const char *name;
    imageio_alpha alpha;
    char *err;
    size_t err_size;
    int err_set;               /* a message has already been written */
    png_structp png;
    png_infop info;
    uint8_t *rows_buf;         /* decoded rows, possibly with alpha (freed by the caller) */
    png_bytep *rows;
    imageio_image *out;
};

static void png_err_fn(png_structp png, png_const_charp msg)
{
    struct png_state *st = png_get_error_ptr(png);
    if (!st->err_set) {
        imageio_set_error(st->err, st->err_size, "%s: invalid PNG: %s", st->name, msg);
        st->err_set = 1;
    }
    png_longjmp(png, 1);
}

static void png_warn_fn(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;   /* warnings (e.g. a bad ancillary chunk) do not stop the decode */
}

static void png_read_fn(png_structp png, png_bytep dst, png_size_t len)
{
    struct png_state *st = png_get_io_ptr(png);
    if (len > st->size - st->pos) {
        if (!st->err_set) {
            imageio_set_error(st->err, st->err_size, "%s: invalid PNG: file is truncated",
                              st->name);
            st->err_set = 1;
        }
        png_longjmp(png, 1);
    }
    memcpy(dst, st->data + st->pos, len);
    st->pos += len;
}

/* Fails through the error path with a message of our own. */
static void png_fail(struct png_state *st, const char *msg)
{
    imageio_set_error(st->err, st->err_size, "%s: %s", st->name, msg);
    st->err_set = 1;
    png_longjmp(st->png, 1);
}

/* Everything that runs under libpng's setjmp. After a longjmp the function only returns:
 * no local is read again, and all state that must survive goes through st (owned by the
 * caller). */
static int png_decode_body(struct png_state *st)
{
    png_uint_32 w, h, y;
    int depth, ctype, interlace, channels, has_alpha;
    size_t rowbytes, bytes;

    if (setjmp(png_jmpbuf(st->png)))
        return -1;

    png_set_read_fn(st->png, st, png_read_fn);
    png_set_user_limits(st->png, IMAGEIO_MAX_DIM, IMAGEIO_MAX_DIM);
    png_set_chunk_malloc_max(st->png, (png_alloc_size_t)64 << 20);
    png_read_info(st->png, st->info);
    png_get_IHDR(st->png, st->info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
    if ((uint64_t)w * h > IMAGEIO_MAX_PIXELS)
        png_fail(st, "image too large (more pixels than the limit)");

    has_alpha = (ctype & PNG_COLOR_MASK_ALPHA) != 0 ||
                png_get_valid(st->png, st->info, PNG_INFO_tRNS) != 0;
    if (has_alpha && st->alpha != IMAGEIO_ALPHA_DROP)
        png_fail(st, "image has an alpha channel (or tRNS transparency); "
                     "not supported: use --alpha drop to discard it");

    /* Normalize to 8-bit gray or RGB (+ alpha) with libpng's transforms. */
    png_set_expand(st->png);   /* palette -> RGB, gray 1/2/4 -> 8, tRNS -> alpha */
    if (depth == 16)
        png_set_scale_16(st->png);   /* rounds: (v * 255 + 32895) >> 16 */
    if (has_alpha)
        png_set_strip_alpha(st->png);
    (void)png_set_interlace_handling(st->png);
    png_read_update_info(st->png, st->info);

    channels = png_get_channels(st->png, st->info);
    rowbytes = png_get_rowbytes(st->png, st->info);
    if ((channels != 1 && channels != 3) || png_get_bit_depth(st->png, st->info) != 8 ||
        rowbytes != (size_t)w * (size_t)channels)
        png_fail(st, "invalid PNG: unexpected layout after conversion");
    if (check_dims(w, h, channels, &bytes) != 0)
        png_fail(st, "image dimensions outside the supported limits");

    st->rows_buf = malloc(bytes);
    st->rows = malloc(sizeof(png_bytep) * (size_t)h);
    if (st->rows_buf == NULL || st->rows == NULL)
        png_fail(st, "out of memory");
    for (y = 0; y < h; y++)
        st->rows[y] = st->rows_buf + (size_t)y * rowbytes;
    png_read_image(st->png, st->rows);
    png_read_end(st->png, NULL);

    st->out->width = w;
    st->out->height = h;
    st->out->channels = channels;
    st->out->source_bit_depth = depth;
    st->out->pixels = st->rows_buf;
    st->rows_buf = NULL;   /* ownership moved to out */
    return 0;
}

static int decode_png(const uint8_t *data, size_t size, const char *name, imageio_alpha alpha,
                      imageio_image *out, char *err, size_t err_size)
{
    struct png_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.data = data;
    st.size = size;
    st.name = name;
    st.alpha = alpha;
    st.err = err;
    st.err_size = err_size;
    st.out = out;
    st.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &st, png_err_fn, png_warn_fn);
    if (st.png != NULL)
        st.info = png_create_info_struct(st.png);
    if (st.png == NULL || st.info == NULL) {
        png_destroy_read_struct(&st.png, &st.info, NULL);
        imageio_set_error(err, err_size, "%s: out of memory", name);
        return -1;
    }
    rc = png_decode_body(&st);
    png_destroy_read_struct(&st.png, &st.info, NULL);
    free(st.rows);
    free(st.rows_buf);
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        if (!st.err_set)
            imageio_set_error(err, err_size, "%s: invalid PNG", name);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* JPEG input                                                                             */

struct jpeg_state {
    struct jpeg_error_mgr pub;     /* first member: libjpeg hands us a pointer to it */
    struct jpeg_progress_mgr progress;
    jmp_buf jmp;
    const char *name;
    char *err;
    size_t err_size;
    int err_set;
    struct jpeg_decompress_struct cinfo;
    uint8_t *pixels;               /* output under construction (freed by the caller) */
    imageio_image *out;
};

static void jpeg_error_exit_fn(j_common_ptr cinfo)
{
    struct jpeg_state *st = (struct jpeg_state *)(void *)cinfo->err;
    char buf[JMSG_LENGTH_MAX];
    if (!st->err_set) {
        (*cinfo->err->format_message)(cinfo, buf);
        imageio_set_error(st->err, st->err_size, "%s: invalid JPEG: %s", st->name, buf);
        st->err_set = 1;
    }
    longjmp(st->jmp, 1);
}

/* Warnings are silent, except that data running out (a truncated file, which libjpeg
 * would otherwise fill with gray and accept) is an error. */
static void jpeg_emit_message_fn(j_common_ptr cinfo, int level)
{
    if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        struct jpeg_state *st = (struct jpeg_state *)(void *)cinfo->err;
        imageio_set_error(st->err, st->err_size, "%s: invalid JPEG: file is truncated", st->name);
        st->err_set = 1;
        longjmp(st->jmp, 1);
    }
}

static void jpeg_progress_fn(j_common_ptr cinfo)
{
    if (cinfo->is_decompressor) {
        struct jpeg_decompress_struct *d = (struct jpeg_decompress_struct *)(void *)cinfo;
        if (d->input_scan_number > JPEG_MAX_SCANS) {
            struct jpeg_state *st = (struct jpeg_state *)(void *)cinfo->err;
            imageio_set_error(st->err, st->err_size, "%s: invalid JPEG: more than %d scans",
                              st->name, JPEG_MAX_SCANS);
            st->err_set = 1;
            longjmp(st->jmp, 1);
        }
    }
}

static void jpeg_fail(struct jpeg_state *st, const char *msg)
{
    imageio_set_error(st->err, st->err_size, "%s: %s", st->name, msg);
    st->err_set = 1;
    longjmp(st->jmp, 1);
}

static int jpeg_decode_body(struct jpeg_state *st, const uint8_t *data, size_t size)
{
    struct jpeg_decompress_struct *c = &st->cinfo;
    size_t bytes, stride;
    int channels;

    if (setjmp(st->jmp))
        return -1;
    jpeg_create_decompress(c);
    c->progress = &st->progress;
    jpeg_mem_src(c, data, (unsigned long)size);
    (void)jpeg_read_header(c, TRUE);
    switch (c->jpeg_color_space) {
    case JCS_GRAYSCALE:
        c->out_color_space = JCS_GRAYSCALE;
        channels = 1;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        c->out_color_space = JCS_RGB;
        channels = 3;
        break;
    default:
        jpeg_fail(st, "JPEG colour space not supported (CMYK/YCCK or unknown)");
        return -1;   /* not reached */
    }
    if (check_dims(c->image_width, c->image_height, channels, &bytes) != 0)
        jpeg_fail(st, "image dimensions outside the supported limits");
    (void)jpeg_start_decompress(c);
    if (c->output_components != channels || c->output_width != c->image_width ||
        c->output_height != c->image_height)
        jpeg_fail(st, "invalid JPEG: unexpected output layout");
    st->pixels = malloc(bytes);
    if (st->pixels == NULL)
        jpeg_fail(st, "out of memory");
    stride = (size_t)c->output_width * (size_t)channels;
    while (c->output_scanline < c->output_height) {
        JSAMPROW row = st->pixels + (size_t)c->output_scanline * stride;
        (void)jpeg_read_scanlines(c, &row, 1);
    }
    (void)jpeg_finish_decompress(c);
    st->out->width = c->output_width;
    st->out->height = c->output_height;
    st->out->channels = channels;
    st->out->source_bit_depth = 8;
    st->out->pixels = st->pixels;
    st->pixels = NULL;
    return 0;
}

static int decode_jpeg(const uint8_t *data, size_t size, const char *name, imageio_image *out,
                       char *err, size_t err_size)
{
    struct jpeg_state *st;
    int rc;

    /* On the heap: jmp_buf plus the decompressor state is large, and the address must
     * stay valid for libjpeg's callbacks. */
    st = calloc(1, sizeof(*st));
    if (st == NULL) {
        imageio_set_error(err, err_size, "%s: out of memory", name);
        return -1;
    }
    st->name = name;
    st->err = err;
    st->err_size = err_size;
    st->out = out;
    st->cinfo.err = jpeg_std_error(&st->pub);
    st->pub.error_exit = jpeg_error_exit_fn;
    st->pub.emit_message = jpeg_emit_message_fn;
    st->progress.progress_monitor = jpeg_progress_fn;
    rc = jpeg_decode_body(st, data, size);
    jpeg_destroy_decompress(&st->cinfo);   /* safe on a partly created object */
    free(st->pixels);
    if (rc != 0) {
        memset(out, 0, sizeof(*out));
        if (!st->err_set)
            imageio_set_error(err, err_size, "%s: invalid JPEG", name);
    }
    free(st);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* PGM / PPM input (binary P5 / P6)                                                       */

/* Reads one unsigned decimal header field, skipping whitespace and '#' comments.
 * 0 ok, -1 malformed or larger than 2^31. */
static int pnm_field(const uint8_t *d, size_t size, size_t *pos, uint32_t *value)
{
    uint64_t v = 0;
    size_t p = *pos;
    int digits = 0;
    for (;;) {
        if (p >= size)
            return -1;
        if (d[p] == '#') {
            while (p < size && d[p] != '\n' && d[p] != '\r')
                p++;
        } else if (isspace(d[p])) {
            p++;
        } else {
            break;
        }
    }
    while (p < size && d[p] >= '0' && d[p] <= '9') {
        v = v * 10 + (uint64_t)(d[p] - '0');
        if (v > 0x7fffffffu)
            return -1;
        p++;
        digits++;
    }
    if (digits == 0)
        return -1;
    *value = (uint32_t)v;
    *pos = p;
    return 0;
}

/* owned: data is a malloc'd buffer the caller hands over (imageio_read); the samples are
 * converted in place (each output byte i is written after every input byte at or before
 * it was read: input sample i sits at pos + i * sample_bytes >= i) and the buffer becomes
 * out->pixels (as large as the file: the header's few bytes are not worth a shrinking
 * realloc, which may copy), so reading a PPM holds one raw-size buffer, not two (issue 7,
 * memory).
 * On failure the caller still owns data. */
static int decode_pnm(const uint8_t *data, size_t size, const char *name, imageio_image *out,
                      char *err, size_t err_size, uint8_t *owned)
{
    const int channels = data[1] == '6' ? 3 : 1;
    uint32_t w, h, maxval;
    size_t pos = 2, bytes, need, i;
    int sample_bytes, depth;

    if (pnm_field(data, size, &pos, &w) != 0 || pnm_field(data, size, &pos, &h) != 0 ||
        pnm_field(data, size, &pos, &maxval) != 0) {
        imageio_set_error(err, err_size, "%s: invalid PGM/PPM: malformed header", name);
        return -1;
    }
    if (pos >= size || !isspace(data[pos])) {
        imageio_set_error(err, err_size, "%s: invalid PGM/PPM: malformed header", name);
        return -1;
    }
    pos++;   /* exactly one whitespace byte before the raster */
    if (maxval == 0 || maxval > 65535) {
        imageio_set_error(err, err_size, "%s: invalid PGM/PPM: maxval %u not in 1..65535", name,
                          (unsigned)maxval);
        return -1;
    }
    if (check_dims(w, h, channels, &bytes) != 0) {
        imageio_set_error(err, err_size, "%s: image dimensions %ux%u outside the supported limits",
                          name, (unsigned)w, (unsigned)h);
        return -1;
    }
    sample_bytes = maxval > 255 ? 2 : 1;
    need = bytes * (size_t)sample_bytes;
    if (size - pos < need) {
        imageio_set_error(err, err_size, "%s: invalid PGM/PPM: file is truncated", name);
        return -1;
    }
    out->pixels = owned != NULL ? owned : malloc(bytes);
    if (out->pixels == NULL) {
        imageio_set_error(err, err_size, "%s: out of memory", name);
        return -1;
    }
    for (depth = 1; depth < 16 && (1u << depth) - 1 < maxval; depth++)
        ;
    if (maxval == 255) {
        /* The common case: every sample is already 0..255 and the scaling below
         * is the identity, so a copy gives the same pixels without a division
         * per sample (PPM input is how codec speed is measured). */
        memmove(out->pixels, data + pos, bytes);
    }
    for (i = maxval == 255 ? bytes : 0; i < bytes; i++) {
        const uint8_t *s = data + pos + i * (size_t)sample_bytes;
        uint32_t v = sample_bytes == 2 ? ((uint32_t)s[0] << 8 | s[1]) : s[0];
        if (v > maxval)
            v = maxval;   /* out-of-range samples saturate */
        /* round(v * 255 / maxval) in integers */
        out->pixels[i] = (uint8_t)((v * 255u * 2u + maxval) / (2u * maxval));
    }
    out->width = w;
    out->height = h;
    out->channels = channels;
    out->source_bit_depth = depth;
    return 0;
}

/* ------------------------------------------------------------------------------------ */

int imageio_decode(const uint8_t *data, size_t size, const char *name, imageio_alpha alpha,
                   imageio_image *out, char *err, size_t err_size)
{
    static const uint8_t png_sig[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof(*out));
    if (name == NULL)
        name = "(memory)";
    if (data == NULL && size != 0) {
        imageio_set_error(err, err_size, "%s: no data", name);
        return -1;
    }
    if (size >= 8 && memcmp(data, png_sig, 8) == 0)
        return decode_png(data, size, name, alpha, out, err, err_size);
    if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return decode_jpeg(data, size, name, out, err, err_size);
    if (size >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '6'))
        return decode_pnm(data, size, name, out, err, err_size, NULL);
    if (size >= 2 && data[0] == 'P' && data[1] >= '1' && data[1] <= '7') {
        imageio_set_error(err, err_size, "%s: only binary PGM (P5) and PPM (P6) are supported",
                          name);
        return -1;
    }
    imageio_set_error(err, err_size, "%s: not a PNG, JPEG, PGM or PPM image", name);
    return -1;
}

/* The common PGM/PPM case read without the general path's move of the raster to the
 * start of the file's buffer (speed, issue 8): a regular file whose header (P5/P6,
 * maxval 255) lies in its first HEAD_BYTES bytes gets its raster read straight into
 * the pixel buffer, which holds the same bytes as decode_pnm's. 1 when out is filled;
 * 0 when the file is anything else or anything fails (a header that does not end in
 * the first bytes, another maxval, a short read, no memory): nothing is kept and the
 * caller reads the file the general way, which then reports any error with its usual
 * message. Regular files only, so a read never blocks. */
enum { HEAD_BYTES = 256 };

static int read_pnm8_direct(const char *path, imageio_image *out)
{
    uint8_t head[HEAD_BYTES];
    struct stat st;
    uint32_t w, h, maxval;
    size_t n, pos = 2, bytes, k;
    int channels;
    uint8_t *pixels;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > (uint64_t)IMAGEIO_MAX_FILE_BYTES) {
        fclose(f);
        return 0;
    }
    n = fread(head, 1, sizeof head, f);
    if (n < 2 || head[0] != 'P' || (head[1] != '5' && head[1] != '6') ||
        pnm_field(head, n, &pos, &w) != 0 || pnm_field(head, n, &pos, &h) != 0 ||
        pnm_field(head, n, &pos, &maxval) != 0 || pos >= n || !isspace(head[pos]) || maxval != 255) {
        fclose(f);
        return 0;
    }
    pos++;
    channels = head[1] == '6' ? 3 : 1;
    if (check_dims(w, h, channels, &bytes) != 0 || (uint64_t)st.st_size - pos < (uint64_t)bytes ||
        (pixels = malloc(bytes)) == NULL) {
        fclose(f);
        return 0;
    }
    k = n - pos < bytes ? n - pos : bytes;
    memcpy(pixels, head + pos, k);
    if (k < bytes && fread(pixels + k, 1, bytes - k, f) != bytes - k) {
        free(pixels);
        fclose(f);
        return 0;
    }
    fclose(f);
    out->pixels = pixels;
    out->width = w;
    out->height = h;
    out->channels = channels;
    out->source_bit_depth = 8;
    return 1;
}

int imageio_read(const char *path, imageio_alpha alpha, imageio_image *out, char *err,
                 size_t err_size)
{
    uint8_t *data;
    size_t size;
    int rc;
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof(*out));
    if (path != NULL && read_pnm8_direct(path, out) == 1)
        return 0;
    if (imageio_read_file(path, IMAGEIO_MAX_FILE_BYTES, &data, &size, err, err_size) != 0)
        return -1;
    if (size >= 2 && data[0] == 'P' && (data[1] == '5' || data[1] == '6')) {
        /* PGM/PPM: the file's buffer becomes the pixels (no second raw-size buffer) */
        rc = decode_pnm(data, size, path, out, err, err_size, data);
        if (rc != 0)
            free(data);
        return rc;
    }
    rc = imageio_decode(data, size, path, alpha, out, err, err_size);
    free(data);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* Files                                                                                  */

int imageio_read_file(const char *path, size_t max_size, uint8_t **data, size_t *size,
                      char *err, size_t err_size)
{
    FILE *f;
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;

    *data = NULL;
    *size = 0;
    f = fopen(path, "rb");
    if (f == NULL) {
        imageio_set_error(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    {
        /* Refuse early what fstat already tells (a directory, an oversized regular file);
         * pipes and devices are read up to the limit. */
        struct stat st;
        if (fstat(fileno(f), &st) == 0) {
            if (S_ISDIR(st.st_mode)) {
                fclose(f);
                imageio_set_error(err, err_size, "%s: is a directory", path);
                return -1;
            }
            if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > (uint64_t)max_size) {
                fclose(f);
                imageio_set_error(err, err_size, "%s: file larger than the limit of %zu bytes",
                                  path, max_size);
                return -1;
            }
            /* A regular file is read into one buffer of its size (+1 to see it grow):
             * no chain of doubling reallocs, which would hold old and new at once. */
            if (S_ISREG(st.st_mode) && st.st_size > 0) {
                cap = (size_t)st.st_size + 1;
                buf = malloc(cap);
                if (buf == NULL) {
                    fclose(f);
                    imageio_set_error(err, err_size, "%s: out of memory", path);
                    return -1;
                }
            }
        }
    }
    for (;;) {
        size_t got;
        if (len == cap) {
            size_t ncap = cap == 0 ? 65536 : cap * 2;
            uint8_t *nb;
            if (cap > max_size)   /* already holds more than allowed + 1 */
                break;
            if (ncap > max_size + 1)
                ncap = max_size + 1;   /* one spare byte detects an oversized file */
            nb = realloc(buf, ncap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                imageio_set_error(err, err_size, "%s: out of memory", path);
                return -1;
            }
            buf = nb;
            cap = ncap;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > max_size)
            break;
        if (got == 0) {
            if (ferror(f)) {
                const int e = errno;
                free(buf);
                fclose(f);
                imageio_set_error(err, err_size, "%s: read error: %s", path, strerror(e));
                return -1;
            }
            break;
        }
    }
    fclose(f);
    if (len > max_size) {
        free(buf);
        imageio_set_error(err, err_size, "%s: file larger than the limit of %zu bytes", path,
                          max_size);
        return -1;
    }
    if (buf == NULL) {
        buf = malloc(1);
        if (buf == NULL) {
            imageio_set_error(err, err_size, "%s: out of memory", path);
            return -1;
        }
    }
    *data = buf;
    *size = len;
    return 0;
}

/* An open temporary file next to the destination.
 * Interruption (hardening, issue 7): from tmp_open to the end of tmp_commit or
 * tmp_abort the termination signals below are blocked, so SIGINT/SIGTERM/SIGHUP
 * /SIGQUIT during the write cannot kill the process with the temporary file
 * still on disk. A signal that arrived meanwhile is seen before the rename: the
 * temporary file is removed and the mask restored, which delivers the signal
 * (the process then dies as it would have, leaving neither a partial nor a new
 * destination). The mask is per thread (pthread_sigmask): `recimg rd --threads N` writes
 * from several threads, and a signal delivered to another, unblocked thread can still end
 * the process while a temporary file exists.
 * SIGKILL cannot be caught; it can leave a "DEST.tmp-*" file, never a partial
 * DEST.
 * A destination that already exists as a character device or a FIFO (-o /dev/null, a
 * named pipe) is written directly (path stays NULL): renaming a temporary over it would
 * replace the device node itself with a regular file (as root, /dev/null). Such a
 * stream cannot be made atomic. Any other existing non-regular destination (a
 * directory, a socket, a block device) is refused before anything is written. */
struct tmp_file {
    char *path;   /* the temporary's name; NULL when writing directly to a device/FIFO */
    int fd;
    sigset_t old_mask;
};

static void term_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
}

/* 1 if a termination signal is pending (blocked since tmp_open). */
static int term_signal_pending(void)
{
    sigset_t pending, term;
    int i;
    if (sigpending(&pending) != 0)
        return 0;
    term_signals(&term);
    for (i = 1; i < 32; i++)
        if (sigismember(&term, i) == 1 && sigismember(&pending, i) == 1)
            return 1;
    return 0;
}

static int tmp_open(const char *dest, struct tmp_file *t, char *err, size_t err_size)
{
    static const char hex[] = "0123456789abcdef";
    const size_t n = strlen(dest);
    int attempt;
    uint64_t x = (uint64_t)getpid() * 0x9e3779b97f4a7c15u ^ (uint64_t)time(NULL) ^
                 (uint64_t)(uintptr_t)t;

    sigset_t term;
    struct stat st;

    t->fd = -1;
    t->path = malloc(n + 32);
    if (t->path == NULL) {
        imageio_set_error(err, err_size, "%s: out of memory", dest);
        return -1;
    }
    term_signals(&term);
    pthread_sigmask(SIG_BLOCK, &term, &t->old_mask);
    if (stat(dest, &st) == 0 && !S_ISREG(st.st_mode)) {
        free(t->path);
        t->path = NULL;
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
            t->fd = open(dest, O_WRONLY);
            if (t->fd >= 0)
                return 0;
            imageio_set_error(err, err_size, "%s: cannot open: %s", dest, strerror(errno));
        } else {
            imageio_set_error(err, err_size, "%s: %s", dest,
                              S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
        }
        pthread_sigmask(SIG_SETMASK, &t->old_mask, NULL);
        return -1;
    }
    for (attempt = 0; attempt < 100; attempt++) {
        char suffix[18];
        int i;
        x += 0x9e3779b97f4a7c15u;
        x ^= x >> 31;
        x *= 0xbf58476d1ce4e5b9u;
        x ^= x >> 29;
        for (i = 0; i < 12; i++)
            suffix[i] = hex[(x >> (4 * i)) & 15];
        suffix[12] = '\0';
        memcpy(t->path, dest, n);
        snprintf(t->path + n, 32, ".tmp-%s", suffix);
        /* O_EXCL: never follow or reuse an existing name; 0666 minus the umask, like
         * any newly created file. */
        t->fd = open(t->path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (t->fd >= 0)
            return 0;
        if (errno != EEXIST)
            break;
    }
    imageio_set_error(err, err_size, "%s: cannot create temporary file %s: %s", dest, t->path,
                      strerror(errno));
    free(t->path);
    t->path = NULL;
    pthread_sigmask(SIG_SETMASK, &t->old_mask, NULL);
    return -1;
}

static void tmp_abort(struct tmp_file *t)
{
    if (t->fd >= 0)
        close(t->fd);
    if (t->path != NULL) {
        unlink(t->path);
        free(t->path);
    }
    t->fd = -1;
    t->path = NULL;
    pthread_sigmask(SIG_SETMASK, &t->old_mask, NULL);   /* a pending signal is delivered now */
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        const ssize_t k = write(fd, p, n > ((size_t)1 << 30) ? ((size_t)1 << 30) : n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* fsync and close the temporary; removes it on failure. */
static int tmp_finish(const char *dest, struct tmp_file *t, char *err, size_t err_size)
{
    /* a device or FIFO written directly has nothing to sync (fsync of /dev/null fails) */
    if (t->path != NULL && fsync(t->fd) != 0) {
        imageio_set_error(err, err_size, "%s: cannot write: %s", dest, strerror(errno));
        tmp_abort(t);
        return -1;
    }
    if (close(t->fd) != 0) {
        t->fd = -1;
        imageio_set_error(err, err_size, "%s: cannot write: %s", dest, strerror(errno));
        tmp_abort(t);
        return -1;
    }
    t->fd = -1;
    return 0;
}

/* Renames a finished temporary over the destination; removes it on failure. */
static int tmp_rename(const char *dest, struct tmp_file *t, char *err, size_t err_size)
{
    if (t->path == NULL) {   /* written directly: nothing to rename */
        pthread_sigmask(SIG_SETMASK, &t->old_mask, NULL);
        return 0;
    }
    if (term_signal_pending()) {
        imageio_set_error(err, err_size, "%s: interrupted by a signal; nothing written", dest);
        tmp_abort(t);
        return -1;
    }
    if (rename(t->path, dest) != 0) {
        imageio_set_error(err, err_size, "%s: cannot rename the temporary file into place: %s",
                          dest, strerror(errno));
        tmp_abort(t);
        return -1;
    }
    free(t->path);
    t->path = NULL;
    pthread_sigmask(SIG_SETMASK, &t->old_mask, NULL);
    return 0;
}

/* fsync, close and rename over the destination; removes the temporary on failure. */
static int tmp_commit(const char *dest, struct tmp_file *t, char *err, size_t err_size)
{
    if (tmp_finish(dest, t, err, err_size) != 0)
        return -1;
    return tmp_rename(dest, t, err, err_size);
}

int imageio_write_file_atomic(const char *path, const void *data, size_t size, char *err,
                              size_t err_size)
{
    struct tmp_file t;
    if (tmp_open(path, &t, err, err_size) != 0)
        return -1;
    if (write_all(t.fd, data, size) != 0) {
        imageio_set_error(err, err_size, "%s: cannot write: %s", path, strerror(errno));
        tmp_abort(&t);
        return -1;
    }
    return tmp_commit(path, &t, err, err_size);
}

int imageio_write_file_pair_atomic(const char *path_a, const void *data_a, size_t size_a,
                                   const char *path_b, const void *data_b, size_t size_b,
                                   char *err, size_t err_size)
{
    struct tmp_file a, b;
    /* Both temporaries are written and synced before either is renamed, so a failure
     * up to that point leaves both destinations untouched. The signal masks nest:
     * b is opened second and released first. */
    if (tmp_open(path_a, &a, err, err_size) != 0)
        return -1;
    if (write_all(a.fd, data_a, size_a) != 0) {
        imageio_set_error(err, err_size, "%s: cannot write: %s", path_a, strerror(errno));
        tmp_abort(&a);
        return -1;
    }
    if (tmp_finish(path_a, &a, err, err_size) != 0)
        return -1;
    if (tmp_open(path_b, &b, err, err_size) != 0) {
        tmp_abort(&a);
        return -1;
    }
    if (write_all(b.fd, data_b, size_b) != 0) {
        imageio_set_error(err, err_size, "%s: cannot write: %s", path_b, strerror(errno));
        tmp_abort(&b);
        tmp_abort(&a);
        return -1;
    }
    if (tmp_finish(path_b, &b, err, err_size) != 0) {
        tmp_abort(&a);
        return -1;
    }
    if (tmp_rename(path_b, &b, err, err_size) != 0) {
        tmp_abort(&a);
        return -1;
    }
    return tmp_rename(path_a, &a, err, err_size);
}

int imageio_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* ------------------------------------------------------------------------------------ */
/* Output                                                                                 */

/* Growable memory buffer that libpng writes into. */
struct png_out {
    int fd;                  /* >= 0: bytes go straight to this file, not to buf */
    int io_errno;            /* write() failure on fd */
    uint8_t *buf;
    size_t len, cap;
    int oom;
    const char *name;
    char *err;
    size_t err_size;
    int err_set;
};

static void png_write_fn(png_structp png, png_bytep src, png_size_t len)
{
    struct png_out *o = png_get_io_ptr(png);
    if (o->fd >= 0) {
        /* termination signals are blocked while the temporary exists (tmp_open): one
           that arrived stops the encoding here rather than after the whole image */
        if (term_signal_pending())
            png_error(png, "interrupted by a signal");
        if (write_all(o->fd, src, len) != 0) {
            o->io_errno = errno;
            png_error(png, strerror(o->io_errno));
        }
        return;
    }
    if (len > o->cap - o->len) {
        size_t ncap = o->cap ? o->cap : 65536;
        uint8_t *nb;
        while (ncap - o->len < len)
            ncap *= 2;
        nb = realloc(o->buf, ncap);
        if (nb == NULL) {
            o->oom = 1;
            png_error(png, "out of memory");
        }
        o->buf = nb;
        o->cap = ncap;
    }
    memcpy(o->buf + o->len, src, len);
    o->len += len;
}

static void png_flush_fn(png_structp png)
{
    (void)png;
}

static void png_write_err_fn(png_structp png, png_const_charp msg)
{
    struct png_out *o = png_get_error_ptr(png);
    if (!o->err_set) {
        imageio_set_error(o->err, o->err_size, "%s: cannot encode PNG: %s", o->name, msg);
        o->err_set = 1;
    }
    png_longjmp(png, 1);
}

static int png_encode_body(png_structp png, png_infop info, const imageio_image *img,
                           int level, struct png_out *o)
{
    uint32_t y;
    const size_t stride = (size_t)img->width * (size_t)img->channels;
    if (setjmp(png_jmpbuf(png)))
        return -1;
    png_set_write_fn(png, o, png_write_fn, png_flush_fn);
    png_set_compression_level(png, level);
    png_set_IHDR(png, info, img->width, img->height, 8,
                 img->channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (y = 0; y < img->height; y++)
        png_write_row(png, img->pixels + (size_t)y * stride);
    png_write_end(png, info);
    return 0;
}

/* To memory (*data, *size), or with fd >= 0 straight into that file (imageio_write: the
 * compressed PNG is never held in memory; data and size unused). */
static int encode_png(const imageio_image *img, const char *name, int level, int fd,
                      uint8_t **data, size_t *size, char *err, size_t err_size)
{
    struct png_out o;
    png_structp png;
    png_infop info = NULL;
    int rc;

    memset(&o, 0, sizeof(o));
    o.fd = fd;
    o.name = name;
    o.err = err;
    o.err_size = err_size;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &o, png_write_err_fn, png_warn_fn);
    if (png != NULL)
        info = png_create_info_struct(png);
    if (png == NULL || info == NULL) {
        png_destroy_write_struct(&png, &info);
        imageio_set_error(err, err_size, "%s: out of memory", name);
        return -1;
    }
    rc = png_encode_body(png, info, img, level, &o);
    png_destroy_write_struct(&png, &info);
    if (rc != 0) {
        free(o.buf);
        if (o.io_errno != 0)   /* a write error, reported as imageio_write_file_atomic does */
            imageio_set_error(err, err_size, "%s: cannot write: %s", name, strerror(o.io_errno));
        return -1;
    }
    if (fd < 0) {
        *data = o.buf;
        *size = o.len;
    }
    return 0;
}

int imageio_encode_png(const imageio_image *img, int zlib_level, uint8_t **data, size_t *size,
                       char *err, size_t err_size)
{
    size_t bytes;
    *data = NULL;
    *size = 0;
    if (img == NULL || img->pixels == NULL || zlib_level < 0 || zlib_level > 9 ||
        check_dims(img->width, img->height, img->channels, &bytes) != 0) {
        imageio_set_error(err, err_size, "PNG encode: invalid image or level");
        return -1;
    }
    return encode_png(img, "PNG encode", zlib_level, -1, data, size, err, err_size);
}

static int ends_with_ci(const char *s, const char *suffix)
{
    const size_t n = strlen(s), m = strlen(suffix);
    size_t i;
    if (n < m)
        return 0;
    for (i = 0; i < m; i++)
        if (tolower((unsigned char)s[n - m + i]) != tolower((unsigned char)suffix[i]))
            return 0;
    return 1;
}

int imageio_check_output_name(const char *path, char *err, size_t err_size)
{
    /* A name that asks for a format we do not write would otherwise get PNG
     * bytes under a misleading extension. */
    static const char *const other[] = {".jpg", ".jpeg", ".jxl", ".webp", ".avif", ".gif",
                                        ".bmp", ".tif", ".tiff", ".rec"};
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        if (ends_with_ci(path, other[i])) {
            imageio_set_error(err, err_size,
                              "%s: cannot write %s files; name the output .png, .ppm or .pgm",
                              path, other[i] + 1);
            return -1;
        }
    }
    return 0;
}

int imageio_write(const char *path, const imageio_image *img, char *err, size_t err_size)
{
    size_t bytes;
    struct tmp_file t;

    if (img == NULL || img->pixels == NULL ||
        check_dims(img->width, img->height, img->channels, &bytes) != 0) {
        imageio_set_error(err, err_size, "%s: cannot write: invalid image (dimensions or channels)",
                          path);
        return -1;
    }
    if (imageio_check_output_name(path, err, err_size) != 0)
        return -1;
    /* Straight into the temporary file: the image is written from img->pixels with no
     * second copy (PPM) and no compressed copy in memory (PNG), so writing holds no
     * buffer of the image's size beyond the caller's (issue 7, memory). */
    if (ends_with_ci(path, ".ppm") || ends_with_ci(path, ".pgm")) {
        const int want = ends_with_ci(path, ".ppm") ? 3 : 1;
        char header[64];
        int hl;
        if (img->channels != want) {
            imageio_set_error(err, err_size, "%s: a %s file needs a %s image", path,
                              want == 3 ? ".ppm" : ".pgm", want == 3 ? "RGB" : "gray");
            return -1;
        }
        hl = snprintf(header, sizeof(header), "P%c\n%u %u\n255\n", want == 3 ? '6' : '5',
                      (unsigned)img->width, (unsigned)img->height);
        if (tmp_open(path, &t, err, err_size) != 0)
            return -1;
        if (write_all(t.fd, (const uint8_t *)header, (size_t)hl) != 0 ||
            write_all(t.fd, img->pixels, bytes) != 0) {
            imageio_set_error(err, err_size, "%s: cannot write: %s", path, strerror(errno));
            tmp_abort(&t);
            return -1;
        }
        return tmp_commit(path, &t, err, err_size);
    }
    if (tmp_open(path, &t, err, err_size) != 0)
        return -1;
    if (encode_png(img, path, IMAGEIO_PNG_ZLIB_LEVEL, t.fd, NULL, NULL, err, err_size) != 0) {
        tmp_abort(&t);
        return -1;
    }
    return tmp_commit(path, &t, err, err_size);
}
