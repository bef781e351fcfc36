/* tests/bad/bad_make.c: generates malformed .rec files from one valid file.
 *
 *   bad_make VALID.rec OUTDIR     writes OUTDIR/<name>.rec for every case and a
 *                                 manifest OUTDIR/MANIFEST with one line per file:
 *                                 "<name> <expect> <keyword-regex>"
 *   bad_make ppm W H OUT.ppm|pgm  writes a W x H photograph-like binary PPM (PGM)
 *                                 (smooth ramps and texture; for the fault and
 *                                 memory tests, which need a large image)
 *
 * expect is "reject" (recimg decompress must exit 1 with a message naming the
 * file and matching the keyword, and leave no output) or "any" (a payload
 * mutated under a recomputed CRC: the coefficient decoder sees garbage and may
 * produce some image or reject it, but must not crash; exit 0 with an output
 * file or exit 1 without one).
 *
 * Cases (offsets from docs/FORMAT.md): the file truncated at every header field
 * boundary and inside payload and CRC; every header field set out of range with
 * the CRC recomputed (so the field check, not the CRC, must catch it);
 * dimensions whose product overflows 32 bits or exceeds the pixel limit;
 * absurd declared payload sizes; trailing bytes; CRC mismatches; bit flips in
 * the payload with the stored CRC (must fail the CRC); not a .rec at all. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

enum { TRAILER = 4 };

static size_t HDR = 56;   /* the input's header size: 56 (version 1) or 60 (version 2, flags2) */

static const char *out_dir;
static FILE *manifest;
static const uint8_t *valid;
static size_t valid_size;
static int count, failures;

static void put_le(uint8_t *p, int width, uint64_t v)
{
    for (int i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, int width)
{
    uint64_t v = 0;
    for (int i = 0; i < width; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void fix_crc(uint8_t *f, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, f, (uInt)(n - TRAILER));
    put_le(f + n - TRAILER, 4, (uint64_t)c);
}

static void emit(const char *name, const uint8_t *p, size_t n, const char *expect,
                 const char *keyword)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s.rec", out_dir, name);
    f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
        fprintf(stderr, "bad_make: cannot write %s\n", path);
        failures++;
        return;
    }
    fprintf(manifest, "%s %s %s\n", name, expect, keyword);
    count++;
}

/* A copy of the valid file with a field set (CRC recomputed unless keep_crc). */
static void field(const char *name, size_t off, int width, uint64_t value, const char *keyword)
{
    uint8_t *f = malloc(valid_size);
    if (!f) { failures++; return; }
    memcpy(f, valid, valid_size);
    put_le(f + off, width, value);
    fix_crc(f, valid_size);
    emit(name, f, valid_size, "reject", keyword);
    free(f);
}

/* Width and height together (for products). */
static void dims(const char *name, uint32_t w, uint32_t h, const char *keyword)
{
    uint8_t *f = malloc(valid_size);
    if (!f) { failures++; return; }
    memcpy(f, valid, valid_size);
    put_le(f + 12, 4, w);
    put_le(f + 16, 4, h);
    fix_crc(f, valid_size);
    emit(name, f, valid_size, "reject", keyword);
    free(f);
}

static int make_bad(const char *in, const char *dir)
{
    static const struct { size_t off; const char *field; } cut[] = {
        {1, "magic1"}, {4, "magic4"}, {7, "magic7"}, {8, "version"}, {9, "version1"},
        {10, "header_size"}, {11, "header_size1"}, {12, "width"}, {14, "width2"},
        {16, "height"}, {19, "height3"}, {20, "color"}, {21, "subsampling"},
        {22, "transform"}, {23, "mode"}, {24, "sampler"}, {25, "prior"}, {26, "matrix"},
        {27, "flags"}, {28, "step"}, {30, "step2"}, {32, "chroma_step"}, {34, "quality"},
        {36, "reserved"}, {40, "seed"}, {44, "seed4"}, {48, "payload_size"},
        {52, "payload_size4"}, {55, "payload_size7"}, {56, "payload"}};
    static const char *const K_TRUNC = "truncated";
    static const char *const K_CORRUPT = "corrupt";
    static const char *const K_LIMIT = "larger.than.the.configured.limit";
    FILE *f = fopen(in, "rb");
    uint8_t *buf;
    size_t n, payload;
    char name[128];

    if (!f) {
        fprintf(stderr, "bad_make: cannot open %s\n", in);
        return 1;
    }
    buf = malloc(1 << 24);
    n = buf ? fread(buf, 1, 1 << 24, f) : 0;
    fclose(f);
    if (buf && n >= 12)
        HDR = (size_t)get_le(buf + 10, 2);   /* a version-2 file (flags2, offset 56) is 60 bytes */
    if (!buf || (HDR != 56 && HDR != 60) || n < HDR + TRAILER + 2 || memcmp(buf + 1, "RECIMG", 6) != 0 ||
        get_le(buf + 48, 8) != n - HDR - TRAILER) {
        fprintf(stderr, "bad_make: %s is not a valid .rec file with a payload of 2+ bytes\n", in);
        free(buf);
        return 1;
    }
    valid = buf;
    valid_size = n;
    payload = n - HDR - TRAILER;
    out_dir = dir;
    snprintf(name, sizeof name, "%s/MANIFEST", dir);
    manifest = fopen(name, "w");
    if (!manifest) {
        fprintf(stderr, "bad_make: cannot write %s\n", name);
        free(buf);
        return 1;
    }

    /* --- truncation at every header field boundary, in payload and CRC */
    emit("trunc_empty", buf, 0, "reject", "not.a..rec.file");
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
        snprintf(name, sizeof name, "trunc_at_%zu_%s", cut[i].off, cut[i].field);
        emit(name, buf, cut[i].off, "reject", K_TRUNC);
    }
    emit("trunc_mid_payload", buf, HDR + payload / 2, "reject", K_TRUNC);
    emit("trunc_no_crc", buf, HDR + payload, "reject", K_TRUNC);
    emit("trunc_crc_1", buf, n - 3, "reject", K_TRUNC);
    emit("trunc_crc_3", buf, n - 1, "reject", K_TRUNC);

    /* --- every header field out of range (CRC recomputed) */
    for (int i = 0; i < 8; i++) {
        uint8_t *m = malloc(n);
        if (!m) { failures++; break; }
        memcpy(m, buf, n);
        m[i] ^= (uint8_t)(1u << (i % 8));
        snprintf(name, sizeof name, "magic_byte%d", i);
        emit(name, m, n, "reject", "not.a..rec.file");
        free(m);
    }
    field("version_0", 8, 2, 0, "unsupported..rec.version");
    if (HDR == 56) {
        field("version_2_without_flags2", 8, 2, 2, K_CORRUPT);   /* version 2 is 60 bytes + flags2 */
    } else {   /* a version-2 input: version 1 with 60 bytes, and bad flags2 */
        field("version_1_with_flags2", 8, 2, 1, K_CORRUPT);
        field("flags2_0", 56, 4, 0, K_CORRUPT);
        field("flags2_unknown_bit", 56, 4, get_le(buf + 56, 4) | 0x800000u, K_CORRUPT);
        field("flags2_top_bit", 56, 4, get_le(buf + 56, 4) | 0x80000000u, K_CORRUPT);
    }
    field("version_3", 8, 2, 3, "unsupported..rec.version");
    field("version_ffff", 8, 2, 0xffff, "unsupported..rec.version");
    field("header_size_0", 10, 2, 0, K_CORRUPT);
    field("header_size_55", 10, 2, 55, K_CORRUPT);
    field("header_size_57", 10, 2, 57, K_CORRUPT);
    field("header_size_ffff", 10, 2, 0xffff, K_CORRUPT);
    field("width_0", 12, 4, 0, K_CORRUPT);
    field("height_0", 16, 4, 0, K_CORRUPT);
    field("width_2p30plus1", 12, 4, (1u << 30) + 1, K_LIMIT);
    field("height_2p30plus1", 16, 4, (1u << 30) + 1, K_LIMIT);
    field("width_ffffffff", 12, 4, 0xffffffffu, K_LIMIT);
    field("height_ffffffff", 16, 4, 0xffffffffu, K_LIMIT);
    field("color_0", 20, 1, 0, K_CORRUPT);
    field("color_3", 20, 1, 3, K_CORRUPT);
    field("color_ff", 20, 1, 0xff, K_CORRUPT);
    field("subsampling_2", 21, 1, 2, K_CORRUPT);
    field("subsampling_ff", 21, 1, 0xff, K_CORRUPT);
    if (buf[20] == 1)
        field("subsampling_420_on_gray", 21, 1, 1, K_CORRUPT);
    field("transform_0", 22, 1, 0, K_CORRUPT);
    /* small ids are taken (1 DCT, 2..5 learned, 4 a matrix embedded in the payload) */
    field("transform_200", 22, 1, 200, "not.supported|corrupt");
    field("transform_ff", 22, 1, 0xff, "not.supported|corrupt");
    field("mode_2", 23, 1, 2, K_CORRUPT);
    field("mode_ff", 23, 1, 0xff, K_CORRUPT);
    field("sampler_7", 24, 1, 7, K_CORRUPT);
    field("sampler_ff", 24, 1, 0xff, K_CORRUPT);
    if (buf[23] == 0)
        field("sampler_in_round_mode", 24, 1, 1, K_CORRUPT);
    else
        field("rec_mode_without_sampler", 24, 1, 0, K_CORRUPT);
    field("prior_0", 25, 1, 0, K_CORRUPT);
    if (buf[23] == 0) {   /* prior ids 2, 3 and 4 (context models v2, v3, v4) exist in rec mode only */
        field("prior_2", 25, 1, 2, K_CORRUPT);
        field("prior_3", 25, 1, 3, K_CORRUPT);
        field("prior_4", 25, 1, 4, K_CORRUPT);
    } else if (buf[24] != 5) {   /* and v4 with sampler uq (id 5) only */
        field("prior_4", 25, 1, 4, K_CORRUPT);
    }
    if (buf[23] != 0)   /* prior id 5 (the rounding baseline's v5) exists in round mode only */
        field("prior_5", 25, 1, 5, K_CORRUPT);
    field("prior_6", 25, 1, 6, K_CORRUPT);
    field("matrix_3", 26, 1, 3, K_CORRUPT);
    field("matrix_ff", 26, 1, 0xff, K_CORRUPT);
    /* flags: bit 0 = the closed-form bin coder, rec mode only; unknown bits are errors */
    if (buf[23] == 0)
        field("flags_1_in_round_mode", 27, 1, 1, K_CORRUPT);
    field("flags_fc", 27, 1, 0xfc, K_CORRUPT);
    field("flags_80", 27, 1, 0x80, K_CORRUPT);
    field("step_0", 28, 4, 0, K_CORRUPT);
    field("step_63", 28, 4, 63, K_CORRUPT);
    field("step_2p22plus1", 28, 4, (1u << 22) + 1, K_CORRUPT);
    field("step_ffffffff", 28, 4, 0xffffffffu, K_CORRUPT);
    field("chroma_step_0", 32, 2, 0, K_CORRUPT);
    field("chroma_step_63", 32, 2, 63, K_CORRUPT);
    field("chroma_step_4097", 32, 2, 4097, K_CORRUPT);
    field("chroma_step_ffff", 32, 2, 0xffff, K_CORRUPT);
    field("quality_10001", 34, 2, 10001, K_CORRUPT);
    field("quality_ffff", 34, 2, 0xffff, K_CORRUPT);
    /* offset 36: REC zero-bit threshold code, 0..16384, and 0 in round mode */
    if (buf[23] == 0)
        field("skip_1_in_round_mode", 36, 4, 1, K_CORRUPT);
    field("skip_16385", 36, 4, 16385, K_CORRUPT);
    field("skip_80000000", 36, 4, 0x80000000u, K_CORRUPT);

    /* --- dimensions that overflow or exceed the pixel limit (2^28 by default) */
    dims("dims_2p30_x_2p30", 1u << 30, 1u << 30, K_LIMIT);          /* product 2^60 */
    dims("dims_65536_x_65536", 65536, 65536, K_LIMIT);              /* 2^32: wraps uint32 to 0 */
    dims("dims_65537_x_65535", 65537, 65535, K_LIMIT);              /* wraps to 2^32 - 1 + ... */
    dims("dims_2p28plus1_x_1", (1u << 28) + 1, 1, K_LIMIT);
    dims("dims_1_x_2p28plus1", 1, (1u << 28) + 1, K_LIMIT);
    dims("dims_16385_x_16384", 16385, 16384, K_LIMIT);              /* 2^28 + 16384 */

    /* --- absurd declared payload sizes; trailing bytes */
    {   /* transform 4 (embedded matrix) over a payload that holds none */
        uint8_t *m = malloc(n);
        if (m) {
            memcpy(m, buf, n);
            m[22] = 4;
            fix_crc(m, n);
            emit("mutant_transform_4", m, n, "any", "corrupt|truncated|not.supported");
            free(m);
        }
    }
    field("payload_size_0", 48, 8, 0, K_CORRUPT);
    field("payload_size_minus1", 48, 8, payload - 1, K_CORRUPT);
    field("payload_size_plus1", 48, 8, payload + 1, K_TRUNC);
    field("payload_size_2p32", 48, 8, (uint64_t)1 << 32, K_TRUNC);
    field("payload_size_2p63", 48, 8, (uint64_t)1 << 63, K_TRUNC);
    field("payload_size_max", 48, 8, UINT64_MAX, K_TRUNC);
    field("payload_size_max_minus59", 48, 8, UINT64_MAX - 59, K_TRUNC);   /* 56+P+4 wraps to 0 */
    {
        uint8_t *m = malloc(n + 1000);
        if (m) {
            memcpy(m, buf, n);
            memset(m + n, 0, 1000);
            emit("trailing_1_byte", m, n + 1, "reject", K_CORRUPT);
            emit("trailing_1000_bytes", m, n + 1000, "reject", K_CORRUPT);
            /* a second copy of the file appended */
            memcpy(m + n, buf, n < 1000 ? n : 1000);
            emit("trailing_second_file", m, n + (n < 1000 ? n : 1000), "reject", K_CORRUPT);
            free(m);
        } else {
            failures++;
        }
    }

    /* --- CRC mismatches: each CRC byte, the CRC zeroed, a header byte changed */
    for (int i = 0; i < 4; i++) {
        uint8_t *m = malloc(n);
        if (!m) { failures++; break; }
        memcpy(m, buf, n);
        m[n - 4 + (size_t)i] ^= 0x80;
        snprintf(name, sizeof name, "crc_byte%d", i);
        emit(name, m, n, "reject", "CRC-32.mismatch");
        if (i == 0) {
            memset(m + n - 4, 0, 4);
            emit("crc_zero", m, n, "reject", "CRC-32.mismatch");
            memcpy(m, buf, n);
            m[40] ^= 1;   /* seed: any value is valid, so only the CRC can catch it */
            emit("crc_seed_changed", m, n, "reject", "CRC-32.mismatch");
            memcpy(m, buf, n);
            m[34] ^= 1;   /* quality (informational) */
            emit("crc_quality_changed", m, n, "reject", "CRC-32.mismatch");
        }
        free(m);
    }

    /* --- payload bit flips with the stored CRC: the CRC must catch each one */
    for (int k = 0; k < 24; k++) {
        const size_t byte = k < 8 ? (size_t)k % payload : (size_t)(((uint64_t)k * 2654435761u) % payload);
        const int bit = (k * 3) & 7;
        uint8_t *m = malloc(n);
        if (!m) { failures++; break; }
        memcpy(m, buf, n);
        m[HDR + byte] ^= (uint8_t)(1u << bit);
        snprintf(name, sizeof name, "flip_payload_%zu_bit%d", byte, bit);
        emit(name, m, n, "reject", "CRC-32.mismatch");
        /* the same flip under a recomputed CRC: garbage for the coefficient decoder */
        fix_crc(m, n);
        snprintf(name, sizeof name, "mutant_payload_%zu_bit%d", byte, bit);
        emit(name, m, n, "any", "corrupt");
        free(m);
    }
    {   /* the payload replaced by zeros and by 0xff, CRC recomputed */
        uint8_t *m = malloc(n);
        if (m) {
            memcpy(m, buf, n);
            memset(m + HDR, 0, payload);
            fix_crc(m, n);
            emit("mutant_payload_zeros", m, n, "any", "corrupt");
            memset(m + HDR, 0xff, payload);
            fix_crc(m, n);
            emit("mutant_payload_ones", m, n, "any", "corrupt");
            free(m);
        } else {
            failures++;
        }
    }

    /* --- not a .rec file at all */
    emit("not_rec_text", (const uint8_t *)"hello, this is text, not a .rec file\n", 37, "reject",
         "not.a..rec.file");
    emit("not_rec_png_magic", (const uint8_t *)"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "reject",
         "not.a..rec.file");
    {
        uint8_t z[64];
        memset(z, 0, sizeof z);
        emit("not_rec_zeros", z, sizeof z, "reject", "not.a..rec.file");
    }

    fclose(manifest);
    free(buf);
    printf("bad_make: %d files (%s)\n", count, dir);
    return failures ? 1 : 0;
}

static int make_ppm(unsigned long w, unsigned long h, const char *out)
{
    const size_t len = strlen(out);
    const int gray = len > 4 && !strcmp(out + len - 4, ".pgm");
    FILE *f = fopen(out, "wb");
    unsigned char *row = malloc(w * 3);
    uint32_t s = 1;
    if (!f || !row || w == 0 || h == 0) {
        fprintf(stderr, "bad_make: cannot write %s\n", out);
        return 1;
    }
    fprintf(f, "%s\n%lu %lu\n255\n", gray ? "P5" : "P6", w, h);
    for (unsigned long y = 0; y < h; y++) {
        for (unsigned long x = 0; x < w; x++) {
            s = s * 1103515245u + 12345u;
            /* ramps with a few edges and a little texture: compresses like a photo */
            row[3 * x] = (unsigned char)((x * 255 / w + ((x / 97 + y / 61) & 1) * 40 + (s >> 29)) & 255);
            row[3 * x + 1] = (unsigned char)((y * 255 / h + (s >> 30)) & 255);
            row[3 * x + 2] = (unsigned char)(((x + y) * 127 / (w + h) + 64 + ((y / 33) & 1) * 30) & 255);
        }
        if (gray)
            for (unsigned long x = 0; x < w; x++)
                row[x] = (unsigned char)((row[3 * x] + row[3 * x + 1] + row[3 * x + 2]) / 3);
        if (fwrite(row, gray ? 1 : 3, w, f) != w) {
            fclose(f);
            free(row);
            return 1;
        }
    }
    free(row);
    return fclose(f) != 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "ppm"))
        return make_ppm(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10), argv[4]);
    if (argc == 3)
        return make_bad(argv[1], argv[2]);
    fprintf(stderr, "usage: bad_make VALID.rec OUTDIR | bad_make ppm W H OUT.ppm\n");
    return 2;
}
