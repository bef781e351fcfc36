/* rec/rec_rc.c - carry-propagating binary range coder.
 *
 * Design: the LZMA range coder (Martin 1979 range coding, carry handled by
 * holding back a cache byte and a run of pending 0xFF bytes), extended with
 * frequency-interval symbols of at most 16 bits of total.  Two departures
 * from LZMA, both to save bytes: the constant leading zero byte is never
 * written, and the flush picks the number in the final interval with the most
 * trailing zero bytes and drops up to four of them; the decoder supplies
 * zeros past the end (REC_RC_FLUSH_ALLOWANCE) so it reads the same number.
 */
#include "rec_rc.h"
#include "rec_math.h"
#include "rec_rc_internal.h"

#include <stdlib.h>
#include <string.h>

#define TOP (1u << 24)

void rec_rc_bit_model_init(rec_rc_bit_model *m)
{
    m->p = 32768u;
}

int rec_rc_encoder_init(rec_rc_encoder *e)
{
    memset(e, 0, sizeof(*e));
    e->range = 0xFFFFFFFFu;
    e->pending = 1;
    e->cap = 256;
    e->buf = malloc(e->cap);
    if (!e->buf) {
        e->cap = 0;
        e->oom = 1;
        return -1;
    }
    return 0;
}

static void put_byte(rec_rc_encoder *e, uint8_t b)
{
    if (!e->started) {
        /* The first byte is the initial cache, always 0: the interval never
         * leaves [0, 2^32), so no carry can reach it. */
        e->started = 1;
        return;
    }
    if (e->size == e->cap) {
        size_t ncap;
        uint8_t *nb;
        if (e->oom)
            return;
        ncap = e->cap ? e->cap * 2 : 256;
        if (ncap < e->cap) {
            e->oom = 1;
            return;
        }
        nb = realloc(e->buf, ncap);
        if (!nb) {
            e->oom = 1;
            return;
        }
        e->buf = nb;
        e->cap = ncap;
    }
    e->buf[e->size++] = b;
}

static void shift_low(rec_rc_encoder *e)
{
    if ((uint32_t)e->low < 0xFF000000u || (e->low >> 32) != 0) {
        const uint8_t carry = (uint8_t)(e->low >> 32);
        uint8_t temp = e->cache;
        do {
            put_byte(e, (uint8_t)(temp + carry));
            temp = 0xFF;
        } while (--e->pending != 0);
        e->cache = (uint8_t)(e->low >> 24);
    }
    e->pending++;
    e->low = (e->low & 0x00FFFFFFu) << 8;
}

static void enc_normalize(rec_rc_encoder *e)
{
    while (e->range < TOP) {
        e->range <<= 8;
        shift_low(e);
    }
}

void rec_rc_enc_normalize(rec_rc_encoder *e)   /* rec_rc_internal.h */
{
    enc_normalize(e);
}

static void log_push(rec_rc_log *log, uint32_t a, uint32_t b, uint32_t total_bits)
{
    if (log->n == log->cap) {
        size_t ncap;
        rec_rc_log_op *no;
        if (log->oom)
            return;
        ncap = log->cap ? log->cap * 2 : 256;
        no = ncap < log->cap || ncap > (size_t)-1 / sizeof *no ? NULL : realloc(log->ops, ncap * sizeof *no);
        if (!no) {
            log->oom = 1;
            return;
        }
        log->ops = no;
        log->cap = ncap;
    }
    log->ops[log->n].a = a;
    log->ops[log->n].b = b;
    log->ops[log->n].total_bits = total_bits;
    log->n++;
}

static void enc_bit_bound(rec_rc_encoder *e, uint32_t p0, int bit)
{
    const uint32_t bound = (e->range >> 16) * p0;
    if (e->log)
        log_push(e->log, p0, bit != 0, 0);
    if (!bit) {
        e->range = bound;
    } else {
        e->low += bound;
        e->range -= bound;
    }
    enc_normalize(e);
}

void rec_rc_encode_bit(rec_rc_encoder *e, rec_rc_bit_model *m, int bit)
{
    enc_bit_bound(e, m->p, bit);
    if (!bit)
        m->p = (uint16_t)(m->p + ((65536u - m->p) >> REC_RC_MODEL_SHIFT));
    else
        m->p = (uint16_t)(m->p - (m->p >> REC_RC_MODEL_SHIFT));
}

void rec_rc_encode_bit_p(rec_rc_encoder *e, uint32_t p0_16, int bit)
{
    if (p0_16 < 1)
        p0_16 = 1;
    if (p0_16 > 65535)
        p0_16 = 65535;
    enc_bit_bound(e, p0_16, bit);
}

void rec_rc_encode_freq(rec_rc_encoder *e, uint32_t cum, uint32_t freq, unsigned total_bits)
{
    uint32_t r;
    if (total_bits < 1 || total_bits > 16 || freq < 1 || cum > (1u << total_bits) ||
        freq > (1u << total_bits) - cum) {
        e->oom = 1; /* invalid call: the stream is unusable */
        return;
    }
    if (e->log)
        log_push(e->log, cum, freq, total_bits);
    r = e->range >> total_bits;
    e->low += (uint64_t)r * cum;
    e->range = r * freq;
    enc_normalize(e);
}

void rec_rc_encode_bits(rec_rc_encoder *e, uint32_t value, unsigned nbits)
{
    if (nbits == 0)
        return;
    if (nbits > 16) {
        e->oom = 1;
        return;
    }
    rec_rc_encode_freq(e, value & ((1u << nbits) - 1u), 1, nbits);
}

size_t rec_rc_encoder_bytes(const rec_rc_encoder *e)
{
    return e->size + (size_t)e->pending;
}

double rec_rc_encoder_cost_bits(const rec_rc_encoder *e)
{
    /* shift_low has run once per byte: the bytes written (the first, always zero, is
       dropped and not counted in size) plus the pending ones, less the initial pending 1 */
    const uint64_t shifts = (e->started ? (uint64_t)e->size + 1u : 0u) + e->pending - 1u;
    if (e->oom)
        return -1.0;
    return 8.0 * (double)shifts + 32.0 - rec_log((double)e->range) / 0.69314718055994530942;
}

uint64_t rec_rc_encoder_cost_bits_floor(const rec_rc_encoder *e)
{
    /* leading zero bits of a nonzero byte (index 0 unused) */
    static const uint8_t lz8[256] = {
        8, 7, 6, 6, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
        2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    const uint64_t shifts = (e->started ? (uint64_t)e->size + 1u : 0u) + e->pending - 1u;
    uint32_t r = e->range;
    unsigned lz = 0;
    while (r != 0 && r < TOP) {   /* never between operations (normalized): range >= 2^24 */
        r <<= 8;
        lz += 8;
    }
    return 8u * shifts + lz + lz8[r >> 24];
}

void rec_rc_encoder_reset(rec_rc_encoder *e)
{
    e->low = 0;
    e->range = 0xFFFFFFFFu;
    e->cache = 0;
    e->pending = 1;
    e->started = 0;
    e->size = 0;
    if (e->buf)
        e->oom = 0;
}

int rec_rc_encoder_finish(rec_rc_encoder *e, uint8_t **out, size_t *out_size)
{
    const uint64_t hi = e->low + e->range; /* exclusive end of the interval */
    unsigned k, i, stripped = 0;
    *out = NULL;
    *out_size = 0;
    /* Shortest prefix: the smallest multiple of 2^(32-8k) that lies in
     * [low, low + range); k = 4 always works (v = low). */
    for (k = 1; k <= 4; k++) {
        const uint64_t mask = (k == 4) ? 0 : ((uint64_t)1 << (32 - 8 * k)) - 1;
        const uint64_t v = (e->low + mask) & ~mask;
        if (v < hi) {
            e->low = v;
            break;
        }
    }
    for (i = 0; i < 5; i++)
        shift_low(e);
    if (e->oom) {
        rec_rc_encoder_free(e);
        return -1;
    }
    while (stripped < REC_RC_FLUSH_ALLOWANCE && e->size > 0 && e->buf[e->size - 1] == 0) {
        e->size--;
        stripped++;
    }
    *out = e->buf;
    *out_size = e->size;
    if (e->size == 0) {
        free(e->buf);
        *out = NULL;
    }
    e->buf = NULL;
    e->size = e->cap = 0;
    return 0;
}

void rec_rc_encoder_free(rec_rc_encoder *e)
{
    free(e->buf);
    e->buf = NULL;
    e->size = e->cap = 0;
}

void rec_rc_log_init(rec_rc_log *log)
{
    memset(log, 0, sizeof *log);
}

void rec_rc_log_clear(rec_rc_log *log)
{
    log->n = 0;
    log->oom = 0;
}

void rec_rc_log_free(rec_rc_log *log)
{
    free(log->ops);
    rec_rc_log_init(log);
}

void rec_rc_encoder_set_log(rec_rc_encoder *e, rec_rc_log *log)
{
    e->log = log;
}

int rec_rc_log_replay(rec_rc_encoder *e, const rec_rc_log *log)
{
    rec_rc_log *own = e->log;
    if (log->oom)
        return -1;
    e->log = NULL;   /* the operations were validated when recorded */
    for (size_t i = 0; i < log->n; i++) {
        const rec_rc_log_op *o = &log->ops[i];
        if (o->total_bits == 0)
            enc_bit_bound(e, o->a, (int)o->b);
        else
            rec_rc_encode_freq(e, o->a, o->b, o->total_bits);
    }
    e->log = own;
    return 0;
}

/* ---- decoder ------------------------------------------------------------ */

static uint32_t next_byte(rec_rc_decoder *d)
{
    if (d->pos < d->size)
        return d->data[d->pos++];
    if (d->overread < (size_t)-1)
        d->overread++;
    if (d->overread > REC_RC_FLUSH_ALLOWANCE)
        d->error = 1;
    return 0;
}

void rec_rc_decoder_init(rec_rc_decoder *d, const uint8_t *data, size_t size)
{
    int i;
    memset(d, 0, sizeof(*d));
    d->data = data;
    d->size = data ? size : 0;
    d->range = 0xFFFFFFFFu;
    for (i = 0; i < 4; i++)
        d->code = (d->code << 8) | next_byte(d);
    if (d->code >= d->range) {
        d->error = 1;
        d->code = d->range - 1;
    }
}

static void dec_normalize(rec_rc_decoder *d)
{
    while (d->range < TOP) {
        d->range <<= 8;
        d->code = (d->code << 8) | next_byte(d);
    }
}

void rec_rc_dec_normalize(rec_rc_decoder *d)   /* rec_rc_internal.h */
{
    dec_normalize(d);
}

static int dec_bit_bound(rec_rc_decoder *d, uint32_t p0)
{
    const uint32_t bound = (d->range >> 16) * p0;
    int bit;
    if (d->code < bound) {
        d->range = bound;
        bit = 0;
    } else {
        d->code -= bound;
        d->range -= bound;
        bit = 1;
    }
    dec_normalize(d);
    return bit;
}

int rec_rc_decode_bit(rec_rc_decoder *d, rec_rc_bit_model *m)
{
    const int bit = dec_bit_bound(d, m->p);
    if (!bit)
        m->p = (uint16_t)(m->p + ((65536u - m->p) >> REC_RC_MODEL_SHIFT));
    else
        m->p = (uint16_t)(m->p - (m->p >> REC_RC_MODEL_SHIFT));
    return bit;
}

int rec_rc_decode_bit_p(rec_rc_decoder *d, uint32_t p0_16)
{
    if (p0_16 < 1)
        p0_16 = 1;
    if (p0_16 > 65535)
        p0_16 = 65535;
    return dec_bit_bound(d, p0_16);
}

uint32_t rec_rc_decode_target(rec_rc_decoder *d, unsigned total_bits)
{
    uint32_t r, t;
    if (total_bits < 1 || total_bits > 16) {
        d->error = 1;
        return 0;
    }
    r = d->range >> total_bits;
    t = d->code / r;
    if (t >= (1u << total_bits)) {
        d->error = 1;
        t = (1u << total_bits) - 1;
    }
    return t;
}

void rec_rc_decode_consume(rec_rc_decoder *d, uint32_t cum, uint32_t freq, unsigned total_bits)
{
    uint32_t r, lo;
    if (total_bits < 1 || total_bits > 16 || freq < 1 || cum > (1u << total_bits) ||
        freq > (1u << total_bits) - cum) {
        d->error = 1;
        return;
    }
    r = d->range >> total_bits;
    lo = r * cum;
    if (d->code < lo) {
        d->error = 1;
        d->code = lo;
    }
    d->code -= lo;
    d->range = r * freq;
    if (d->code >= d->range) {
        d->error = 1;
        d->code = d->range - 1;
    }
    dec_normalize(d);
}

uint32_t rec_rc_decode_bits(rec_rc_decoder *d, unsigned nbits)
{
    uint32_t v;
    if (nbits == 0)
        return 0;
    if (nbits > 16) {
        d->error = 1;
        return 0;
    }
    v = rec_rc_decode_target(d, nbits);
    rec_rc_decode_consume(d, v, 1, nbits);
    return v;
}

int rec_rc_decoder_error(const rec_rc_decoder *d)
{
    return d->error;
}

/* ---- helpers ------------------------------------------------------------ */

void rec_rc_encode_cdf(rec_rc_encoder *e, const uint32_t *cdf, unsigned nsym, unsigned total_bits,
                       unsigned sym)
{
    if (sym >= nsym) {
        e->oom = 1;
        return;
    }
    rec_rc_encode_freq(e, cdf[sym], cdf[sym + 1] - cdf[sym], total_bits);
}

unsigned rec_rc_decode_cdf(rec_rc_decoder *d, const uint32_t *cdf, unsigned nsym,
                           unsigned total_bits)
{
    uint32_t t;
    unsigned lo = 0, hi = nsym;
    if (nsym == 0) {
        d->error = 1;
        return 0;
    }
    t = rec_rc_decode_target(d, total_bits);
    /* largest s in [0, nsym) with cdf[s] <= t */
    while (hi - lo > 1) {
        const unsigned mid = lo + (hi - lo) / 2;
        if (cdf[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    rec_rc_decode_consume(d, cdf[lo], cdf[lo + 1] - cdf[lo], total_bits);
    return lo;
}

void rec_rc_uint_model_init(rec_rc_uint_model *m)
{
    int i;
    for (i = 0; i < 64; i++)
        rec_rc_bit_model_init(&m->len[i]);
}

static void enc_prefix_bit(rec_rc_encoder *e, rec_rc_uint_model *m, unsigned i, int bit)
{
    if (m)
        rec_rc_encode_bit(e, &m->len[i], bit);
    else
        rec_rc_encode_bit_p(e, 32768u, bit);
}

static int dec_prefix_bit(rec_rc_decoder *d, rec_rc_uint_model *m, unsigned i)
{
    return m ? rec_rc_decode_bit(d, &m->len[i]) : rec_rc_decode_bit_p(d, 32768u);
}

void rec_rc_encode_uint_escape(rec_rc_encoder *e, rec_rc_uint_model *m, uint64_t value)
{
    uint64_t n;
    unsigned len = 0, i;
    if (value > UINT64_MAX - 1)
        value = UINT64_MAX - 1;
    n = value + 1;
    while (len < 63 && (n >> (len + 1)) != 0)
        len++;
    for (i = 0; i < len; i++)
        enc_prefix_bit(e, m, i, 1);
    if (len < 63)
        enc_prefix_bit(e, m, len, 0);
    /* mantissa: the len bits below the leading 1, high chunk first */
    i = len;
    while (i > 0) {
        const unsigned c = i > 16 ? 16 : i;
        i -= c;
        rec_rc_encode_bits(e, (uint32_t)(n >> i) & ((1u << c) - 1u), c);
    }
}

uint64_t rec_rc_decode_uint_escape(rec_rc_decoder *d, rec_rc_uint_model *m)
{
    unsigned len = 0, i;
    uint64_t n = 1;
    while (len < 63 && dec_prefix_bit(d, m, len))
        len++;
    i = len;
    while (i > 0) {
        const unsigned c = i > 16 ? 16 : i;
        i -= c;
        n = (n << c) | rec_rc_decode_bits(d, c);
    }
    return n - 1;
}
