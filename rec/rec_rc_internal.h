/* rec/rec_rc_internal.h - inline fast paths of the range coder (rec_rc.c) for the
 * hot callers inside rec/ (rec_quant.c's closed-form bin coder; speed, issue 8).
 * Not installed, not part of the API.
 *
 * rec_rc_encode_freq16, rec_rc_decode_target16 and rec_rc_decode_consume16 are
 * rec_rc_encode_freq, rec_rc_decode_target and rec_rc_decode_consume with
 * total_bits = 16: the same arithmetic on the same state, without the call, and with
 * every case the inline part does not handle (an operation log attached, an invalid
 * interval, a target or code out of range) handed to the public function, which
 * then does exactly what it always did. So the coded bytes and the decoder's state
 * and sticky error are the same either way (tests/rec/test_rec_rc.c compares the
 * two paths on random operations). */
#ifndef REC_REC_RC_INTERNAL_H
#define REC_REC_RC_INTERNAL_H

#include "rec_rc.h"

#define REC_RC_TOP (1u << 24)

/* rec_rc.c's renormalization loops (while range < 2^24: shift a byte out / in) */
void rec_rc_enc_normalize(rec_rc_encoder *e);
void rec_rc_dec_normalize(rec_rc_decoder *d);

static inline void rec_rc_encode_freq16(rec_rc_encoder *e, uint32_t cum, uint32_t freq)
{
    uint32_t r;
    if (e->log || freq < 1u || cum >= 65536u || freq > 65536u - cum) {
        rec_rc_encode_freq(e, cum, freq, 16);
        return;
    }
    r = e->range >> 16;
    e->low += (uint64_t)r * cum;
    e->range = r * freq;
    if (e->range < REC_RC_TOP)
        rec_rc_enc_normalize(e);
}

static inline uint32_t rec_rc_decode_target16(rec_rc_decoder *d)
{
    const uint32_t t = d->code / (d->range >> 16);
    return t < 65536u ? t : rec_rc_decode_target(d, 16);   /* sets the error, clamps */
}

static inline void rec_rc_decode_consume16(rec_rc_decoder *d, uint32_t cum, uint32_t freq)
{
    const uint32_t r = d->range >> 16;
    if (freq < 1u || cum >= 65536u || freq > 65536u - cum || d->code < r * cum ||
        d->code - r * cum >= r * freq) {
        rec_rc_decode_consume(d, cum, freq, 16);
        return;
    }
    d->code -= r * cum;
    d->range = r * freq;
    if (d->range < REC_RC_TOP)
        rec_rc_dec_normalize(d);
}

#endif /* REC_REC_RC_INTERNAL_H */
