/* tests/codec: small helpers shared by the codec tests (checks, MD5, synthetic
 * images, PSNR). */
#ifndef TESTS_CODEC_CODEC_TEST_UTIL_H
#define TESTS_CODEC_CODEC_TEST_UTIL_H

#include "recimg.h"

#include <stddef.h>
#include <stdint.h>

extern int ct_failures;

#define CHECK(cond)                                        \
    do {                                                   \
        if (!(cond))                                       \
            ct_fail(__FILE__, __LINE__, #cond);            \
    } while (0)

void ct_fail(const char *file, int line, const char *what);
/* Prints a summary line; returns the exit status for main. */
int ct_finish(const char *name);

/* MD5 (RFC 1321) of data as 32 lowercase hex digits plus NUL. */
void ct_md5_hex(const void *data, size_t size, char hex[33]);

/* A deterministic photograph-like image (smooth gradients, edges, texture);
 * pixels are malloc'd (free with free()). Returns 0 or -1. */
int ct_make_image(recimg_image *img, uint32_t w, uint32_t h, uint32_t channels, uint64_t seed);

/* n synthetic DCT coefficients in raster blocks of 64: Laplace-like values
 * (inverse CDF of an LCG's uniforms, starting from state seed) scaled by
 * scale / (1 + k) for band k, so low frequencies are large. Deterministic. */
void ct_laplace_coefficients(double *coef, int n, uint64_t seed, double scale);

/* sqrt(n) times the Kolmogorov-Smirnov distance of v[0..n) from Unif(0, 1), for the
 * probability-integral-transform checks of the channel tests (sorts v; 1.63 is the 1%
 * critical value for large n). */
double ct_ks_uniform(double *v, size_t n);

/* PSNR in dB over all samples (99 when identical). */
double ct_psnr(const recimg_image *a, const recimg_image *b);

/* Rewrites a .rec file's CRC-32 (its last 4 bytes, little-endian, over everything before
 * them) after a test changed its bytes, so that only the decoder's other rules can refuse it. */
void ct_fix_crc(uint8_t *file, size_t size);

/* Sets a .rec file's header flag byte (offset 27) and rewrites its CRC (ct_fix_crc). */
void ct_set_flags(uint8_t *file, size_t size, uint8_t flags);

/* A malloc'd copy (free with free()) of a version 1 or 2 .rec file whose header flags2
 * (docs/FORMAT.md, version 2 only) is `flags2`: version 2 with the 4-byte field at offset
 * 56 when flags2 != 0, version 1 without it when flags2 == 0; the header size and the CRC
 * follow. *out_size receives the new size; NULL when the input is not a version 1 or 2
 * file of at least 60 bytes or memory runs out. */
uint8_t *ct_with_flags2(const uint8_t *file, size_t size, uint32_t flags2, size_t *out_size);

/* Decodes a .rec file in decode mode `mode` (realism knob A = realism) with `threads`
 * threads, the other decoder parameters at their defaults, into *out (pixels with
 * recimg_free; cleared when decoding fails); returns the decoder's status. */
recimg_status ct_decode_mode(const uint8_t *file, size_t size, recimg_decode_mode mode, double realism,
                             int threads, recimg_image *out);

/* ct_decode_mode with the default decode mode and realism knob. */
recimg_status ct_decode(const uint8_t *file, size_t size, int threads, recimg_image *out);

/* ct_decode_mode, then the MD5 of the pixels into hex ("" when decoding fails). */
recimg_status ct_decode_md5(const uint8_t *file, size_t size, recimg_decode_mode mode, double realism,
                            int threads, char hex[33]);

/* Decodes with one thread into *ref (pixels with recimg_free), then again with two threads
 * and with one, and checks that both give ref's pixels (the output depends neither on the
 * thread count nor on the run). Returns the status of the first decode. */
recimg_status ct_decode_stable(const uint8_t *file, size_t size, recimg_image *ref);

/* 1 when a and b have the same size, channel count and pixels. */
int ct_same_pixels(const recimg_image *a, const recimg_image *b);

/* Decodes a copy of the file with flag byte `flags` (ct_set_flags) on one thread: 1 when
 * that decodes to pixels other than ref's or is refused, 0 when it decodes to ref's pixels
 * (the flag changed nothing). A refusal must be RECIMG_ERR_CORRUPT (checked). */
int ct_differs_with_flags(const uint8_t *file, size_t size, uint8_t flags, const recimg_image *ref);

/* Decodes a .rec file with the default decoder parameters and returns the status; an
 * image on success and no image on failure are checked (RECIMG_ERR_INTERNAL otherwise). */
recimg_status ct_decode_status(const uint8_t *file, size_t size);

/* Creates an encoder with p, encodes img into *data (recimg_free) and *size, and
 * frees the encoder; st (may be NULL) receives the encoder's statistics. */
recimg_status ct_encode(const recimg_encoder_params *p, const recimg_image *img, uint8_t **data,
                        size_t *size, recimg_encode_stats *st);

/* Encodes with p and decodes with default decoder params. Returns RECIMG_OK or
 * the first failing status; *bytes receives the file size. */
recimg_status ct_roundtrip(const recimg_image *img, const recimg_encoder_params *p,
                           recimg_image *out, size_t *bytes);

#endif
