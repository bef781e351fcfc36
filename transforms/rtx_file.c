/* .rtx learned-transform files and the compact embedded record (layouts in
 * rtx_file.h and docs/TRANSFORMS.md).
 *
 * The parser treats its input as untrusted: it checks the length before each
 * read, every field as soon as it is read, the CRC-32 before it interprets the
 * matrix, and finally that the matrix is orthonormal, because the codec
 * inverts a learned transform by its transpose. Messages name the check that
 * failed. Doubles are stored as their IEEE-754 bit patterns, little-endian. */
#include "rtx_file.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const uint8_t rtx_magic[8] = {0x89, 'R', 'T', 'X', 0x0D, 0x0A, 0x1A, 0x0A};

/* Orthonormality tolerances: a .rtx stores doubles, so its defect is rounding
 * only; an embedded record is 16-bit, whose rounding (2^-15 per entry) gives a
 * defect of about 64 * 2 * 2^-15 = 2^-8 at worst. */
#define RTX_FILE_ORTHO_TOL 1e-6

const char *rtx_file_strerror(rtx_file_status st)
{
    switch (st) {
    case RTX_FILE_OK: return "success";
    case RTX_FILE_ERR_INVALID_ARGUMENT: return "invalid argument";
    case RTX_FILE_ERR_NOMEM: return "out of memory";
    case RTX_FILE_ERR_BAD_MAGIC: return "not a .rtx transform file (bad magic number)";
    case RTX_FILE_ERR_BAD_VERSION: return "unsupported .rtx version";
    case RTX_FILE_ERR_TRUNCATED: return "truncated .rtx file";
    case RTX_FILE_ERR_CORRUPT: return "corrupt .rtx file";
    case RTX_FILE_ERR_CHECKSUM: return "CRC-32 mismatch (corrupt .rtx file)";
    case RTX_FILE_ERR_NOT_ORTHONORMAL: return "transform matrix is not orthonormal";
    }
    return "unknown status";
}

/* Lets the compiler check the format strings (and accept the non-literal in vsnprintf). */
#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static void set_err(char *err, size_t n, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void set_err(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    if (!err || n == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    /* n is at most RTX_FILE_MAX_SIZE, far below zlib's uInt limit */
    return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

static uint32_t ld16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t ld32(const uint8_t *p) { return ld16(p) | ld16(p + 2) << 16; }
static uint64_t ld64(const uint8_t *p) { return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32; }
static void st16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void st32(uint8_t *p, uint32_t v) { st16(p, v & 0xFFFFu); st16(p + 2, v >> 16); }
static void st64(uint8_t *p, uint64_t v) { st32(p, (uint32_t)v); st32(p + 4, (uint32_t)(v >> 32)); }

static double ld_f64(const uint8_t *p)
{
    const uint64_t u = ld64(p);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

static void st_f64(uint8_t *p, double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    st64(p, u);
}

static void kind_dims(rtx_kind kind, uint32_t *rows, uint32_t *cols)
{
    *rows = kind == RTX_KIND_FULL ? 64u : 16u;
    *cols = kind == RTX_KIND_FULL ? 64u : 8u;
}

size_t rtx_file_size(rtx_kind kind)
{
    const size_t n = rtx_kind_entries(kind);
    return n ? RTX_FILE_HEADER_SIZE + 8 * n + 8 * 64 + 4 : 0;
}

/* Checks the contents shared by the writer and the parser. */
static rtx_file_status check_contents(const rtx_file *f, char *err, size_t err_size)
{
    const size_t n = rtx_kind_entries(f->matrix.kind);
    double defect;
    if (n == 0) {
        set_err(err, err_size, "unknown transform kind %d (expected 1 full or 2 separable)",
                (int)f->matrix.kind);
        return RTX_FILE_ERR_CORRUPT;
    }
    if (f->method < RTX_METHOD_KLT || f->method > RTX_METHOD_RD) {
        set_err(err, err_size, "unknown training method %d (expected 1..3)", (int)f->method);
        return RTX_FILE_ERR_CORRUPT;
    }
    for (size_t i = 0; i < n; i++) {
        const double v = f->matrix.m[i];
        if (!(v >= -1.0 && v <= 1.0)) {
            set_err(err, err_size, "matrix entry %zu is %g (must be finite, |a| <= 1)", i, v);
            return RTX_FILE_ERR_CORRUPT;
        }
    }
    for (int k = 0; k < 64; k++) {
        const double v = f->variance[k];
        if (!(v >= 0.0 && v <= 1e300)) {
            set_err(err, err_size, "variance %d is %g (must be finite, >= 0)", k, v);
            return RTX_FILE_ERR_CORRUPT;
        }
    }
    defect = rtx_matrix_orthonormality_error(&f->matrix);
    if (!(defect <= RTX_FILE_ORTHO_TOL)) {
        set_err(err, err_size, "matrix is not orthonormal: max |A A^T - I| = %.3g (limit %.0e)",
                defect, RTX_FILE_ORTHO_TOL);
        return RTX_FILE_ERR_NOT_ORTHONORMAL;
    }
    return RTX_FILE_OK;
}

rtx_file_status rtx_file_serialize(const rtx_file *f, uint8_t **out, size_t *out_size)
{
    uint8_t *buf, *p;
    size_t total, n;
    uint32_t rows, cols;

    if (!out || !out_size)
        return RTX_FILE_ERR_INVALID_ARGUMENT;
    *out = NULL;
    *out_size = 0;
    if (!f || check_contents(f, NULL, 0) != RTX_FILE_OK)
        return RTX_FILE_ERR_INVALID_ARGUMENT;
    n = rtx_kind_entries(f->matrix.kind);
    total = rtx_file_size(f->matrix.kind);
    buf = (uint8_t *)calloc(1, total);
    if (!buf)
        return RTX_FILE_ERR_NOMEM;
    kind_dims(f->matrix.kind, &rows, &cols);
    memcpy(buf, rtx_magic, 8);
    st16(buf + 8, RTX_FILE_VERSION);
    st16(buf + 10, RTX_FILE_HEADER_SIZE);
    buf[12] = (uint8_t)f->matrix.kind;
    buf[13] = (uint8_t)f->method;
    st16(buf + 14, rows);
    st16(buf + 16, cols);
    /* 18..23 reserved, zero from calloc */
    st64(buf + 24, f->samples);
    p = buf + RTX_FILE_HEADER_SIZE;
    for (size_t i = 0; i < n; i++, p += 8)
        st_f64(p, f->matrix.m[i]);
    for (int k = 0; k < 64; k++, p += 8)
        st_f64(p, f->variance[k]);
    st32(p, crc32_of(buf, total - 4));
    *out = buf;
    *out_size = total;
    return RTX_FILE_OK;
}

rtx_file_status rtx_file_parse(const uint8_t *data, size_t size, rtx_file *out,
                               char *err, size_t err_size)
{
    uint32_t version, header_size, kind, method, rows, cols, want_rows, want_cols;
    size_t n, total;
    const uint8_t *p;
    rtx_file_status st;

    if (err && err_size)
        err[0] = '\0';
    if (!out)
        return RTX_FILE_ERR_INVALID_ARGUMENT;
    memset(out, 0, sizeof *out);
    if (!data && size) {
        set_err(err, err_size, "no data");
        return RTX_FILE_ERR_INVALID_ARGUMENT;
    }
    if (size < 8) {
        if (size > 0 && memcmp(data, rtx_magic, size) == 0) {
            set_err(err, err_size, "file ends after %zu bytes, inside the magic number", size);
            return RTX_FILE_ERR_TRUNCATED;
        }
        set_err(err, err_size, "not a .rtx transform file (%zu bytes, bad magic number)", size);
        return RTX_FILE_ERR_BAD_MAGIC;
    }
    if (memcmp(data, rtx_magic, 8) != 0) {
        set_err(err, err_size, "not a .rtx transform file (bad magic number)");
        return RTX_FILE_ERR_BAD_MAGIC;
    }
    if (size < RTX_FILE_HEADER_SIZE) {
        set_err(err, err_size, "file ends after %zu bytes, inside the %d-byte header", size,
                RTX_FILE_HEADER_SIZE);
        return RTX_FILE_ERR_TRUNCATED;
    }
    version = ld16(data + 8);
    if (version != RTX_FILE_VERSION) {
        set_err(err, err_size, "version %u (this build reads version %d)", version, RTX_FILE_VERSION);
        return RTX_FILE_ERR_BAD_VERSION;
    }
    header_size = ld16(data + 10);
    if (header_size != RTX_FILE_HEADER_SIZE) {
        set_err(err, err_size, "header size %u (expected %d)", header_size, RTX_FILE_HEADER_SIZE);
        return RTX_FILE_ERR_CORRUPT;
    }
    kind = data[12];
    if (kind != RTX_KIND_FULL && kind != RTX_KIND_SEPARABLE) {
        set_err(err, err_size, "unknown transform kind %u (expected 1 full or 2 separable)", kind);
        return RTX_FILE_ERR_CORRUPT;
    }
    method = data[13];
    if (method < RTX_METHOD_KLT || method > RTX_METHOD_RD) {
        set_err(err, err_size, "unknown training method %u (expected 1..3)", method);
        return RTX_FILE_ERR_CORRUPT;
    }
    rows = ld16(data + 14);
    cols = ld16(data + 16);
    kind_dims((rtx_kind)kind, &want_rows, &want_cols);
    if (rows != want_rows || cols != want_cols) {
        set_err(err, err_size, "matrix is %ux%u, a kind-%u transform needs %ux%u", rows, cols, kind,
                want_rows, want_cols);
        return RTX_FILE_ERR_CORRUPT;
    }
    for (int i = 18; i < 24; i++) {
        if (data[i] != 0) {
            set_err(err, err_size, "reserved byte %d is %u (must be 0)", i, data[i]);
            return RTX_FILE_ERR_CORRUPT;
        }
    }
    total = rtx_file_size((rtx_kind)kind);
    if (size < total) {
        set_err(err, err_size, "file is %zu bytes, a kind-%u transform file is %zu", size, kind, total);
        return RTX_FILE_ERR_TRUNCATED;
    }
    if (size > total) {
        set_err(err, err_size, "file is %zu bytes, %zu more than a kind-%u transform file",
                size, size - total, kind);
        return RTX_FILE_ERR_CORRUPT;
    }
    if (ld32(data + total - 4) != crc32_of(data, total - 4)) {
        set_err(err, err_size, "CRC-32 mismatch (stored %08x, computed %08x)", ld32(data + total - 4),
                crc32_of(data, total - 4));
        return RTX_FILE_ERR_CHECKSUM;
    }
    out->matrix.kind = (rtx_kind)kind;
    out->method = (rtx_method)method;
    out->samples = ld64(data + 24);
    n = rtx_kind_entries((rtx_kind)kind);
    p = data + RTX_FILE_HEADER_SIZE;
    for (size_t i = 0; i < n; i++, p += 8)
        out->matrix.m[i] = ld_f64(p);
    for (int k = 0; k < 64; k++, p += 8)
        out->variance[k] = ld_f64(p);
    st = check_contents(out, err, err_size);
    if (st != RTX_FILE_OK)
        memset(out, 0, sizeof *out);
    return st;
}

/* ------------------------------------------------------------ embedded form */

size_t rtx_embed_size(rtx_kind kind)
{
    const size_t n = rtx_kind_entries(kind);
    return n ? 4 + 2 * n : 0;
}

int rtx_embed_write(const rtx_matrix *m, uint8_t *buf, size_t *size)
{
    const size_t n = rtx_kind_entries(m->kind);
    const double scale = (double)(1 << RTX_EMBED_FRAC_BITS);
    *size = 0;
    if (n == 0)
        return -1;
    buf[0] = (uint8_t)m->kind;
    buf[1] = RTX_EMBED_FRAC_BITS;
    buf[2] = 0;
    buf[3] = 0;
    for (size_t i = 0; i < n; i++) {
        const double q = floor(m->m[i] * scale + 0.5);
        if (!(q >= -32768.0 && q <= 32767.0))
            return -1;
        st16(buf + 4 + 2 * i, (uint32_t)(uint16_t)(int16_t)q);
    }
    *size = 4 + 2 * n;
    return 0;
}

/* Largest |<row i, row j> - delta_ij| of an n x n int16 matrix (stored little-
 * endian at q) in units of 2^-2F: integer arithmetic, exact. */
static int64_t embed_defect_units(const uint8_t *q, int n)
{
    const int64_t one = (int64_t)1 << (2 * RTX_EMBED_FRAC_BITS);
    int64_t worst = 0;
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++) {
            int64_t s = 0, d;
            for (int k = 0; k < n; k++)
                s += (int64_t)(int16_t)(uint16_t)ld16(q + 2 * (i * n + k)) *
                     (int64_t)(int16_t)(uint16_t)ld16(q + 2 * (j * n + k));
            d = s - (i == j ? one : 0);
            if (d < 0)
                d = -d;
            if (d > worst)
                worst = d;
        }
    return worst;
}

int rtx_embed_check(const uint8_t *rec, size_t size)
{
    int64_t limit, defect;
    if (!rec || size < 4 || (rec[0] != RTX_KIND_FULL && rec[0] != RTX_KIND_SEPARABLE) ||
        rec[1] != RTX_EMBED_FRAC_BITS || rec[2] != 0 || rec[3] != 0 ||
        size != rtx_embed_size((rtx_kind)rec[0]))
        return -1;
    limit = (int64_t)1 << (2 * RTX_EMBED_FRAC_BITS - 8);   /* 2^-8 */
    if (rec[0] == RTX_KIND_FULL)
        defect = embed_defect_units(rec + 4, 64);
    else {
        const int64_t a = embed_defect_units(rec + 4, 8), b = embed_defect_units(rec + 4 + 128, 8);
        defect = a > b ? a : b;
    }
    return defect <= limit ? 0 : -1;
}

int rtx_embed_read(const uint8_t *rec, size_t size, rtx_matrix *out, char *err, size_t err_size)
{
    size_t n;
    double defect;
    const double scale = (double)(1 << RTX_EMBED_FRAC_BITS);

    memset(out, 0, sizeof *out);
    if (!rec || size < 4) {
        set_err(err, err_size, "embedded transform record too short (%zu bytes)", size);
        return -1;
    }
    if (rec[0] != RTX_KIND_FULL && rec[0] != RTX_KIND_SEPARABLE) {
        set_err(err, err_size, "embedded transform: unknown kind %u", rec[0]);
        return -1;
    }
    if (rec[1] != RTX_EMBED_FRAC_BITS || rec[2] != 0 || rec[3] != 0) {
        set_err(err, err_size, "embedded transform: fraction bits %u / reserved %u %u (expected %d, 0, 0)",
                rec[1], rec[2], rec[3], RTX_EMBED_FRAC_BITS);
        return -1;
    }
    n = rtx_kind_entries((rtx_kind)rec[0]);
    if (size != 4 + 2 * n) {
        set_err(err, err_size, "embedded transform: %zu bytes, kind %u needs %zu", size, rec[0], 4 + 2 * n);
        return -1;
    }
    out->kind = (rtx_kind)rec[0];
    for (size_t i = 0; i < n; i++)
        out->m[i] = (double)(int16_t)(uint16_t)ld16(rec + 4 + 2 * i) / scale;
    defect = rtx_matrix_orthonormality_error(out);
    if (rtx_embed_check(rec, size) != 0 || rtx_matrix_orthonormalize(out) != 0) {
        set_err(err, err_size, "embedded transform is not orthonormal (max |A A^T - I| = %.3g)", defect);
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

int rtx_embed_create(const uint8_t *rec, size_t size, recimg_transform **out)
{
    rtx_matrix *m = (rtx_matrix *)malloc(sizeof *m);
    int rc;
    *out = NULL;
    if (!m)
        return -2;
    rc = rtx_embed_read(rec, size, m, NULL, 0);
    if (rc == 0)
        rc = rtx_matrix_transform_create(m, RTX_TRANSFORM_EMBEDDED, "embedded", out);
    free(m);
    return rc;
}

/* Orthonormal 8-point DCT-II, rows = frequencies. */
static void dct8_rows(double d[64])
{
    const double pi = 3.14159265358979323846;
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < 8; i++)
            d[k * 8 + i] = (k == 0 ? sqrt(0.125) : 0.5) * cos(pi * (2.0 * i + 1.0) * k / 16.0);
}

static int same_entries(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabs(a[i] - b[i]) <= 1e-12))
            return 0;
    return 1;
}

uint32_t rtx_known_id_of_rtx(const uint8_t *rtx, size_t rtx_size)
{
    static const uint32_t builtin[3] = {RTX_TRANSFORM_LEARNED_KLT, RTX_TRANSFORM_LEARNED_SEP,
                                        RTX_TRANSFORM_LEARNED_RD};
    rtx_file *f = (rtx_file *)malloc(sizeof *f);
    rtx_matrix *ref = (rtx_matrix *)malloc(sizeof *ref);
    uint32_t id = 0;
    if (f && ref && rtx_file_parse(rtx, rtx_size, f, NULL, 0) == RTX_FILE_OK) {
        const size_t n = rtx_kind_entries(f->matrix.kind);
        double d[64];
        dct8_rows(d);
        /* the DCT, separable or as its 64x64 Kronecker expansion */
        ref->kind = f->matrix.kind;
        if (ref->kind == RTX_KIND_SEPARABLE) {
            memcpy(ref->m, d, sizeof d);
            memcpy(ref->m + 64, d, sizeof d);
        } else {
            for (int v = 0; v < 8; v++)
                for (int u = 0; u < 8; u++)
                    for (int y = 0; y < 8; y++)
                        for (int x = 0; x < 8; x++)
                            ref->m[(v * 8 + u) * 64 + y * 8 + x] = d[v * 8 + y] * d[u * 8 + x];
        }
        if (same_entries(f->matrix.m, ref->m, n))
            id = RTX_TRANSFORM_DCT8;
        for (int i = 0; i < 3 && id == 0; i++)
            if (rtx_learned_builtin_matrix(builtin[i], ref) == 0 && ref->kind == f->matrix.kind &&
                same_entries(f->matrix.m, ref->m, n))
                id = builtin[i];
    }
    free(f);
    free(ref);
    return id;
}

rtx_file_status rtx_embed_from_rtx(const uint8_t *rtx, size_t rtx_size, uint8_t *buf,
                                   size_t *size, char *err, size_t err_size)
{
    rtx_file *f = (rtx_file *)malloc(sizeof *f);
    rtx_file_status st;
    *size = 0;
    if (!f)
        return RTX_FILE_ERR_NOMEM;
    st = rtx_file_parse(rtx, rtx_size, f, err, err_size);
    if (st == RTX_FILE_OK && rtx_embed_write(&f->matrix, buf, size) != 0) {
        set_err(err, err_size, "matrix cannot be stored in 16-bit fixed point");
        st = RTX_FILE_ERR_CORRUPT;
    }
    free(f);
    return st;
}
