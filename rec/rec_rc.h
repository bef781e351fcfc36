/* rec/rec_rc.h - binary range coder shared by every coding mode of recimg.
 *
 * A carry-propagating range coder with a 32-bit range and a 64-bit low
 * register (the LZMA arrangement: pending 0xFF bytes are held back until a
 * carry is resolved).  Symbols are coded either as binary decisions with a
 * 16-bit probability of a 0 (adaptive or fixed) or as an interval
 * [cum, cum + freq) out of 2^total_bits with total_bits <= 16.
 *
 * Stream layout: the bytes are the big-endian digits of a number inside the
 * final interval.  The encoder never writes the constant leading zero byte
 * of the LZMA layout and ends the stream with the shortest tail that still
 * identifies the interval; the decoder reads zeros past the end, up to
 * REC_RC_FLUSH_ALLOWANCE bytes, and flags an error beyond that.
 *
 * Thread-safety: encoder and decoder objects are independent; one object
 * must not be used from two threads at once.  No global state.
 */
#ifndef REC_REC_RC_H
#define REC_REC_RC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes the decoder may read past the end of a valid stream (zeros). */
#define REC_RC_FLUSH_ALLOWANCE 4u

/* Adaptive binary model: p is the probability of a 0 in units of 2^-16,
 * always within [REC_RC_MODEL_MIN, 65536 - REC_RC_MODEL_MIN].  Update after
 * each coded bit moves p a fraction 2^-REC_RC_MODEL_SHIFT towards the
 * observed bit. */
typedef struct {
    uint16_t p;
} rec_rc_bit_model;

#define REC_RC_MODEL_SHIFT 4
#define REC_RC_MODEL_MIN 15u

/* A record of coding operations (rec_rc_encoder_set_log), to code them again on
 * another encoder with rec_rc_log_replay.  The coder's interval arithmetic does
 * not depend on its state beyond range and low, so a replay codes exactly what the
 * original calls would have coded on that encoder.  Fields private. */
typedef struct {
    uint32_t a, b;        /* bit: p0, bit; symbol: cum, freq */
    uint32_t total_bits;  /* 0: a bit with fixed p0 */
} rec_rc_log_op;
typedef struct rec_rc_log {
    rec_rc_log_op *ops;
    size_t n, cap;
    int oom;              /* sticky: an allocation failed (the record is short) */
} rec_rc_log;

/* Encoder state.  Visible so it can live on the stack; treat the fields as
 * private. */
typedef struct rec_rc_encoder {
    uint64_t low;
    uint32_t range;
    uint8_t cache;
    uint64_t pending;     /* cache byte + pending 0xFF bytes not yet written */
    int started;          /* the first (always zero) byte has been dropped */
    uint8_t *buf;
    size_t size, cap;
    int oom;              /* sticky: an allocation failed */
    rec_rc_log *log;      /* NULL, or where every coded operation is also recorded */
} rec_rc_encoder;

/* Decoder state.  Visible so it can live on the stack; treat the fields as
 * private. */
typedef struct rec_rc_decoder {
    uint32_t code;
    uint32_t range;
    const uint8_t *data;
    size_t size, pos;
    size_t overread;      /* bytes supplied as zeros past the end */
    int error;            /* sticky */
} rec_rc_decoder;

/* Sets p to 1/2. */
void rec_rc_bit_model_init(rec_rc_bit_model *m);

/* Prepares an empty encoder.  Returns 0, or -1 when the initial buffer
 * cannot be allocated (the encoder is then safe to free). */
int rec_rc_encoder_init(rec_rc_encoder *e);

/* Codes one bit with an adaptive model and updates the model. */
void rec_rc_encode_bit(rec_rc_encoder *e, rec_rc_bit_model *m, int bit);

/* Codes one bit with a fixed probability of a 0 of p0_16 / 65536.
 * p0_16 is clamped into [1, 65535]. */
void rec_rc_encode_bit_p(rec_rc_encoder *e, uint32_t p0_16, int bit);

/* Codes the symbol occupying [cum, cum + freq) of 2^total_bits.
 * Requires 1 <= total_bits <= 16, freq >= 1, cum + freq <= 2^total_bits;
 * a call violating this marks the encoder failed (finish returns -1). */
void rec_rc_encode_freq(rec_rc_encoder *e, uint32_t cum, uint32_t freq, unsigned total_bits);

/* Codes the low nbits bits of value with equal probabilities, nbits <= 16
 * (0 codes nothing). */
void rec_rc_encode_bits(rec_rc_encoder *e, uint32_t value, unsigned nbits);

/* Ends the stream.  On success returns 0 and hands over a malloc'd buffer
 * (*out, *out_size; *out may be NULL when *out_size is 0) that the caller
 * frees; the encoder then holds nothing.  Returns -1 when any allocation
 * failed or an invalid call was made; nothing is handed over then. */
int rec_rc_encoder_finish(rec_rc_encoder *e, uint8_t **out, size_t *out_size);

/* Bytes produced so far (the final size is at most this + 5).  Useful for
 * measuring code length incrementally. */
size_t rec_rc_encoder_bytes(const rec_rc_encoder *e);

/* Code length of everything encoded since init or the last reset, in bits with
 * the fraction the current interval implies: 8 per byte shifted out plus
 * log2(2^32 / range).  Computed with rec_log, so it is the same on every build.
 * For encoders that try a choice on a scratch encoder before coding it.
 * Negative after an allocation failure (the count would be short). */
double rec_rc_encoder_cost_bits(const rec_rc_encoder *e);

/* An integer lower bound of rec_rc_encoder_cost_bits, within one bit of it (8 per
 * byte shifted out plus the leading zero bits of the 32-bit range), without the
 * logarithm: for encoders that stop a try once it cannot win. Never decreases as
 * operations are coded. */
uint64_t rec_rc_encoder_cost_bits_floor(const rec_rc_encoder *e);

/* Empties an initialized encoder for reuse (as after init), keeping its
 * buffer; clears a sticky allocation failure only if a buffer is held. */
void rec_rc_encoder_reset(rec_rc_encoder *e);

/* Releases the buffer; safe after finish, after a failed init and twice. */
void rec_rc_encoder_free(rec_rc_encoder *e);

/* Operation records, for encoders that try a choice on a scratch encoder and then
 * keep the winning try instead of coding it again.  init: an empty record (no
 * allocation); clear: empties it (keeps its buffer, clears a failure); free:
 * releases it (safe twice).  set_log: from now on every operation coded on e
 * (bits of any kind, symbols, raw bits, the escape helper's) is also appended to
 * log; NULL stops recording (init starts with none).  replay: codes the recorded
 * operations on e, in order, as if the original calls had been made on it (e's
 * own record, if any, is not extended); returns 0, or -1 when the record is short
 * (an allocation failed while recording; nothing is coded then). */
void rec_rc_log_init(rec_rc_log *log);
void rec_rc_log_clear(rec_rc_log *log);
void rec_rc_log_free(rec_rc_log *log);
void rec_rc_encoder_set_log(rec_rc_encoder *e, rec_rc_log *log);
int rec_rc_log_replay(rec_rc_encoder *e, const rec_rc_log *log);

/* Starts decoding size bytes at data (data may be NULL when size is 0).
 * The buffer must outlive the decoder; it is never written. */
void rec_rc_decoder_init(rec_rc_decoder *d, const uint8_t *data, size_t size);

int rec_rc_decode_bit(rec_rc_decoder *d, rec_rc_bit_model *m);
int rec_rc_decode_bit_p(rec_rc_decoder *d, uint32_t p0_16);

/* Two-step symbol decode: rec_rc_decode_target returns a value in
 * [0, 2^total_bits); the caller finds the symbol whose [cum, cum + freq)
 * contains it and calls rec_rc_decode_consume with that interval.  A target
 * or interval inconsistent with the stream sets the sticky error. */
uint32_t rec_rc_decode_target(rec_rc_decoder *d, unsigned total_bits);
void rec_rc_decode_consume(rec_rc_decoder *d, uint32_t cum, uint32_t freq, unsigned total_bits);

/* Inverse of rec_rc_encode_bits (nbits <= 16). */
uint32_t rec_rc_decode_bits(rec_rc_decoder *d, unsigned nbits);

/* Nonzero once the decoder read more than REC_RC_FLUSH_ALLOWANCE bytes past
 * the end, was called with invalid arguments, or met an impossible state.
 * Decoded values are meaningless (but always in range) after an error. */
int rec_rc_decoder_error(const rec_rc_decoder *d);

/* ---- helpers built on the primitives ---------------------------------- */

/* Codes sym in [0, nsym) with a cumulative table cdf[0..nsym]:
 * cdf[0] = 0 < cdf[1] < ... < cdf[nsym] = 2^total_bits (every frequency
 * nonzero), total_bits <= 16.  The decoder finds the symbol by binary
 * search and returns it (always in [0, nsym), even on a corrupt stream;
 * with nsym == 0 it returns 0 and sets the error). */
void rec_rc_encode_cdf(rec_rc_encoder *e, const uint32_t *cdf, unsigned nsym, unsigned total_bits,
                       unsigned sym);
unsigned rec_rc_decode_cdf(rec_rc_decoder *d, const uint32_t *cdf, unsigned nsym,
                           unsigned total_bits);

/* Adaptive model for unbounded non-negative integers (tails, escapes):
 * Elias-gamma of value + 1, the length prefix coded in unary through one
 * adaptive bit model per position, the mantissa bits raw. */
typedef struct {
    rec_rc_bit_model len[64];
} rec_rc_uint_model;

void rec_rc_uint_model_init(rec_rc_uint_model *m);

/* Codes any value in [0, 2^64 - 2].  m may be NULL: the prefix bits are then
 * coded with probability 1/2 (a plain Elias-gamma code).  Values above
 * 2^64 - 2 are clamped (callers never need them). */
void rec_rc_encode_uint_escape(rec_rc_encoder *e, rec_rc_uint_model *m, uint64_t value);
/* Inverse; a corrupt stream yields some value and sets the error. */
uint64_t rec_rc_decode_uint_escape(rec_rc_decoder *d, rec_rc_uint_model *m);

#ifdef __cplusplus
}
#endif

#endif /* REC_REC_RC_H */
