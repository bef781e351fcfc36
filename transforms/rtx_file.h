/* Learned-transform files (.rtx) and the compact record a .rec file embeds.
 * docs/TRANSFORMS.md is the normative description; summary:
 *
 * .rtx, version 1 (little-endian):
 *   offset size field
 *   0      8    magic 0x89 'R' 'T' 'X' 0x0D 0x0A 0x1A 0x0A
 *   8      2    version = 1
 *   10     2    header size = 32
 *   12     1    kind: 1 full (64x64), 2 separable (vertical 8x8, horizontal 8x8)
 *   13     1    method: 1 klt, 2 separable klt, 3 rd (informational)
 *   14     2    matrix rows: 64 (full) or 16 (separable: V's 8 rows then H's 8)
 *   16     2    matrix columns: 64 (full) or 8 (separable)
 *   18     6    reserved, 0
 *   24     8    training blocks (informational)
 *   32     8n   n = rows*cols entries, IEEE-754 binary64, row-major
 *   32+8n  512  64 coefficient variances on the training set (binary64, raster order)
 *   end-4  4    CRC-32 (zlib polynomial) of all preceding bytes
 * Checked on load, in this order: size, magic, version, header size, kind,
 * method, dimensions matching the kind, reserved bytes, exact file size,
 * CRC-32, every entry finite with |entry| <= 1, variances finite and >= 0,
 * and orthonormality (max |A A^T - I| <= 1e-6).
 *
 * Embedded record (inside a .rec whose transform id is RTX_TRANSFORM_EMBEDDED):
 *   0  1  kind (1 full, 2 separable)
 *   1  1  fraction bits = 14
 *   2  2  reserved, 0
 *   4  2n entries as int16 little-endian, value = entry / 2^14, same order as .rtx
 * Encoder and decoder build the transform from these bytes only: dequantize,
 * check the orthonormality defect is below 2^-8, then Gram-Schmidt the rows
 * (rtx_matrix_orthonormalize), so both sides hold the same matrix. */
#ifndef TRANSFORMS_RTX_FILE_H
#define TRANSFORMS_RTX_FILE_H

#include "rtx_learned.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RTX_FILE_VERSION 1
#define RTX_FILE_HEADER_SIZE 32
#define RTX_FILE_MAX_SIZE (RTX_FILE_HEADER_SIZE + 8 * 4096 + 8 * 64 + 4)
#define RTX_EMBED_FRAC_BITS 14
#define RTX_EMBED_MAX_SIZE (4 + 2 * 4096)

typedef enum {
    RTX_METHOD_KLT = 1,        /* 64-point KLT of the patch covariance */
    RTX_METHOD_SEPARABLE = 2,  /* 8-point KLTs of columns and rows */
    RTX_METHOD_RD = 3          /* refined on the codec's objective (reserved) */
} rtx_method;

typedef enum {
    RTX_FILE_OK = 0,
    RTX_FILE_ERR_INVALID_ARGUMENT = 1,
    RTX_FILE_ERR_NOMEM = 2,
    RTX_FILE_ERR_BAD_MAGIC = 3,
    RTX_FILE_ERR_BAD_VERSION = 4,
    RTX_FILE_ERR_TRUNCATED = 5,
    RTX_FILE_ERR_CORRUPT = 6,          /* a field out of range; the message says which */
    RTX_FILE_ERR_CHECKSUM = 7,
    RTX_FILE_ERR_NOT_ORTHONORMAL = 8
} rtx_file_status;

/* Static description of a status; never NULL. */
const char *rtx_file_strerror(rtx_file_status st);

/* The contents of a .rtx file. */
typedef struct {
    rtx_matrix matrix;
    rtx_method method;
    uint64_t samples;        /* training blocks */
    double variance[64];     /* per coefficient position (raster), training set */
} rtx_file;

/* Size in bytes of the .rtx encoding of a kind (0 for an unknown kind). */
size_t rtx_file_size(rtx_kind kind);

/* Serialises f into a malloc'd buffer (caller frees). Validates f like the
 * parser does (an invalid f is RTX_FILE_ERR_INVALID_ARGUMENT) so that no
 * unreadable file is ever written. */
rtx_file_status rtx_file_serialize(const rtx_file *f, uint8_t **out, size_t *out_size);

/* Parses and validates .rtx bytes into *out. On failure err (if not NULL)
 * receives a one-line message naming the failed check, *out is zeroed.
 * Untrusted input is fine: nothing is allocated and every read is bounded. */
rtx_file_status rtx_file_parse(const uint8_t *data, size_t size, rtx_file *out,
                               char *err, size_t err_size);

/* Size of the embedded record for a kind: 4 + 2 * entries (0 if unknown). */
size_t rtx_embed_size(rtx_kind kind);

/* Writes the embedded record of m (16-bit fixed point, rounded to nearest)
 * into buf, which has room for RTX_EMBED_MAX_SIZE bytes; *size receives its
 * length. -1 when m has an unknown kind or an entry outside [-2, 2). */
int rtx_embed_write(const rtx_matrix *m, uint8_t *buf, size_t *size);

/* Validates an embedded record without allocating: length, kind, fraction
 * bits, reserved bytes and an orthonormality defect of at most 2^-8 (computed
 * exactly in integers). 0 when valid, -1 otherwise; rtx_embed_read accepts
 * exactly the records this accepts. */
int rtx_embed_check(const uint8_t *rec, size_t size);

/* Parses an embedded record into the matrix both sides use (dequantized and
 * re-orthonormalised). 0 on success; -1 on an invalid record (length, kind,
 * fraction bits, reserved bytes, or a defect above 2^-8), with a message in
 * err when err is not NULL. */
int rtx_embed_read(const uint8_t *rec, size_t size, rtx_matrix *out, char *err, size_t err_size);

/* Creates the transform of an embedded record (id RTX_TRANSFORM_EMBEDDED).
 * Returns 0, -1 on an invalid record, -2 on out of memory. */
int rtx_embed_create(const uint8_t *rec, size_t size, recimg_transform **out);

/* The transform id under which this build already knows the matrix of a
 * .rtx file: RTX_TRANSFORM_DCT8 when it is the DCT (full Kronecker form or
 * separable), a built-in learned id when it equals that built-in's matrix
 * (every entry within 1e-12), else 0 (also for invalid bytes). The encoder
 * then names the id instead of embedding 260 or 8196 bytes: an embedded
 * record is written only where it is needed. */
uint32_t rtx_known_id_of_rtx(const uint8_t *rtx, size_t rtx_size);

/* Convenience for the encoder: parses .rtx bytes and writes the embedded
 * record into buf (room for RTX_EMBED_MAX_SIZE bytes). Returns the
 * rtx_file_parse status (err explains a failure). */
rtx_file_status rtx_embed_from_rtx(const uint8_t *rtx, size_t rtx_size, uint8_t *buf,
                                   size_t *size, char *err, size_t err_size);

#ifdef __cplusplus
}
#endif
#endif
