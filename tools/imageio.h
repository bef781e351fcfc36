/* tools/imageio.h: image and file I/O for the recimg tools (never used by the codec
 * library itself). Wraps libpng and libjpeg-turbo, in the spirit of libwebp's imageio/.
 *
 * Input: PNG of every kind (bit depth 1, 2, 4, 8, 16; gray, gray+alpha, RGB, RGBA,
 * palette; interlaced or not), JPEG (gray or YCbCr/RGB; CMYK is refused), binary
 * PGM/PPM (P5/P6, maxval 1..65535). The format is chosen by the file's first bytes, never
 * by its name. Every image comes back as 8-bit gray (1 channel) or 8-bit RGB (3 channels).
 *
 * Bit depth: samples deeper than 8 bits are reduced to 8 bits by ROUNDING,
 * v8 = round(v * 255 / maxval) (libpng's png_set_scale_16 for PNG, the same formula for
 * PGM/PPM), never by truncation to the high byte. Output is always 8-bit, so a 16-bit
 * input comes back out as an 8-bit PNG. Samples of 1, 2 or 4 bits are scaled up to the
 * full 0..255 range (libpng's png_set_expand).
 *
 * Alpha (an alpha channel, or a tRNS chunk that makes some colours transparent) is refused
 * with a message unless the caller passes IMAGEIO_ALPHA_DROP, which discards it: colour
 * values are kept as stored, not composited onto a background.
 *
 * Limits, checked before anything is allocated from header values: width and height
 * 1..IMAGEIO_MAX_DIM, width*height <= IMAGEIO_MAX_PIXELS, files up to IMAGEIO_MAX_FILE_BYTES.
 * Errors never abort the process: every failure returns -1 with a NUL-terminated message
 * in err that names the file. err may be NULL or err_size 0 when the caller does not want
 * the message. Functions are thread-safe (no global state).
 *
 * Output is atomic: data go to a new temporary file in the destination's directory, which
 * is flushed with fsync and then renamed over the destination; on any failure the
 * temporary file is removed and the destination is untouched. A destination that exists
 * as a character device or FIFO (/dev/null, a named pipe) is written directly instead (a
 * rename would replace the device node); any other existing non-regular destination (a
 * directory) is an error.
 */
#ifndef RECIMG_TOOLS_IMAGEIO_H
#define RECIMG_TOOLS_IMAGEIO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IMAGEIO_MAX_DIM 65535u                 /* largest width or height accepted */
#define IMAGEIO_MAX_PIXELS (1u << 28)          /* largest width*height accepted (268 Mpx) */
#define IMAGEIO_MAX_FILE_BYTES ((size_t)1 << 30) /* largest image file read (1 GiB) */

/* zlib level used for PNG output; chosen by measurement (docs/METRICS.md, "PNG zlib level";
 * bench/png_level.c). */
#define IMAGEIO_PNG_ZLIB_LEVEL 6

typedef struct {
    uint32_t width, height;
    int channels;            /* 1 = gray, 3 = RGB (alpha already refused or dropped) */
    int source_bit_depth;    /* bit depth of the file read (1..16); informational */
    uint8_t *pixels;         /* width*height*channels bytes, row-major, interleaved; malloc'd */
} imageio_image;

typedef enum { IMAGEIO_ALPHA_REFUSE = 0, IMAGEIO_ALPHA_DROP = 1 } imageio_alpha;

/* Reads an image file (PNG, JPEG, or binary PGM/PPM, chosen by its magic bytes) into *out.
 * Returns 0 on success, the caller then owns out->pixels (free with imageio_image_free);
 * -1 on failure with *out zeroed and a message naming `path` in err. */
int imageio_read(const char *path, imageio_alpha alpha, imageio_image *out, char *err,
                 size_t err_size);

/* The same as imageio_read for bytes already in memory (fuzzing, .rec tools, tests).
 * `name` is used only in messages. Never reads outside data[0..size). */
int imageio_decode(const uint8_t *data, size_t size, const char *name, imageio_alpha alpha,
                   imageio_image *out, char *err, size_t err_size);

/* Writes img as PNG, or as binary PPM (P6) / PGM (P5) when the path ends in .ppm / .pgm
 * (case-insensitive; a .ppm needs 3 channels, a .pgm 1 channel). A name ending in another
 * image format's extension (.jpg, .jpeg, .jxl, .webp, .avif, .gif, .bmp, .tif, .tiff) or in
 * .rec is refused, nothing written. Atomic, see above.
 * img must have 1 or 3 channels and nonzero dimensions within the limits.
 * Returns 0 on success, -1 with a message naming `path` otherwise. */
int imageio_write(const char *path, const imageio_image *img, char *err, size_t err_size);

/* The name check imageio_write starts with: -1 (message in err) when path ends in the
 * extension of a format it does not write (.jpg, .webp, .rec, ...; any case), else 0.
 * Callers use it to refuse such a name before any expensive work. */
int imageio_check_output_name(const char *path, char *err, size_t err_size);

/* Encodes img (1 or 3 channels) as an 8-bit PNG in memory with the given zlib level
 * (0..9). 0 ok: *data is malloc'd (caller frees), *size its length; -1 with a message. */
int imageio_encode_png(const imageio_image *img, int zlib_level, uint8_t **data, size_t *size,
                       char *err, size_t err_size);

/* Frees img->pixels and zeroes *img. NULL and an already freed image are no-ops. */
void imageio_image_free(imageio_image *img);

/* Allocates a zero-filled width x height x channels image (channels 1 or 3), within the
 * limits above. Returns 0, or -1 (bad arguments or out of memory) with *img zeroed. */
int imageio_image_alloc(imageio_image *img, uint32_t width, uint32_t height, int channels);

/* Reads a whole file into a malloc'd buffer (*data, *size; the caller frees *data).
 * Fails (-1, message naming path) if the file cannot be read or holds more than max_size
 * bytes. An empty file succeeds with *size 0 and a non-NULL *data. */
int imageio_read_file(const char *path, size_t max_size, uint8_t **data, size_t *size,
                      char *err, size_t err_size);

/* Writes size bytes atomically to path (temporary file + fsync + rename). 0 or -1. */
int imageio_write_file_atomic(const char *path, const void *data, size_t size, char *err,
                              size_t err_size);

/* Writes two files as one step: both go to temporary files that are written and synced
 * first, and only then renamed into place (path_b first), so any failure before the
 * renames (unwritable directory, full disk, a signal) leaves both destinations as they
 * were. Only a failing rename of path_a after path_b's can leave path_b replaced alone.
 * 0 or -1 with a message naming the file. */
int imageio_write_file_pair_atomic(const char *path_a, const void *data_a, size_t size_a,
                                   const char *path_b, const void *data_b, size_t size_b,
                                   char *err, size_t err_size);

/* 1 if a and b name the same existing file (same device and inode), 0 otherwise
 * (including when either does not exist). Used to refuse overwriting an input. */
int imageio_same_file(const char *a, const char *b);

/* Converts an image to its luma plane Y = 0.299 R + 0.587 G + 0.114 B (full-range BT.601),
 * kept in double without rounding; for a gray image Y is the gray value. y must hold
 * width*height doubles. */
void imageio_luma(const imageio_image *img, double *y);

/* Formats a message (printf-style) into err, truncated to err_size bytes and always
 * terminated; does nothing when err is NULL or err_size is 0. The tools' helpers
 * (imageio, jpegref) fill their err arguments this way. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void imageio_set_error(char *err, size_t err_size, const char *fmt, ...);

#ifdef __cplusplus
}
#endif

#endif /* RECIMG_TOOLS_IMAGEIO_H */
