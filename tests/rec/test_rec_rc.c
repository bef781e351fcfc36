/* Range coder: known-answer bytes for a fixed symbol sequence, round trips
 * of random symbols including edge frequencies and long carry chains, and
 * the sticky error on truncated or garbage input. */
#include "rec_rc.h"
#include "rec_rc_internal.h"
#include "rec_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t sm_state;
static uint64_t splitmix(void)
{
    uint64_t z = (sm_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* The fixed sequence: every kind of call, with extreme probabilities. */
static void kat_encode(rec_rc_encoder *e)
{
    rec_rc_bit_model m;
    rec_rc_uint_model um;
    static const uint32_t cdf[5] = {0, 1, 30000, 65535, 65536};
    int i;
    rec_rc_bit_model_init(&m);
    rec_rc_uint_model_init(&um);
    for (i = 0; i < 40; i++)
        rec_rc_encode_bit(e, &m, (i % 7) == 3);
    rec_rc_encode_bit_p(e, 1, 1);
    rec_rc_encode_bit_p(e, 65535, 0);
    rec_rc_encode_bit_p(e, 1, 0);
    rec_rc_encode_bit_p(e, 65535, 1);
    for (i = 0; i < 8; i++)
        rec_rc_encode_cdf(e, cdf, 4, 16, (unsigned)(i % 4));
    rec_rc_encode_freq(e, 5, 3, 3);
    rec_rc_encode_bits(e, 0xBEEF, 16);
    rec_rc_encode_bits(e, 1, 1);
    rec_rc_encode_uint_escape(e, &um, 0);
    rec_rc_encode_uint_escape(e, &um, 1000);
    rec_rc_encode_uint_escape(e, NULL, UINT64_MAX - 1);
    rec_rc_encode_uint_escape(e, &um, 123456789012345ull);
}

static int kat_decode(rec_rc_decoder *d)
{
    rec_rc_bit_model m;
    rec_rc_uint_model um;
    static const uint32_t cdf[5] = {0, 1, 30000, 65535, 65536};
    int i, ok = 1;
    uint32_t t;
    rec_rc_bit_model_init(&m);
    rec_rc_uint_model_init(&um);
    for (i = 0; i < 40; i++)
        ok &= rec_rc_decode_bit(d, &m) == ((i % 7) == 3);
    ok &= rec_rc_decode_bit_p(d, 1) == 1;
    ok &= rec_rc_decode_bit_p(d, 65535) == 0;
    ok &= rec_rc_decode_bit_p(d, 1) == 0;
    ok &= rec_rc_decode_bit_p(d, 65535) == 1;
    for (i = 0; i < 8; i++)
        ok &= rec_rc_decode_cdf(d, cdf, 4, 16) == (unsigned)(i % 4);
    t = rec_rc_decode_target(d, 3);
    ok &= t >= 5 && t < 8;
    rec_rc_decode_consume(d, 5, 3, 3);
    ok &= rec_rc_decode_bits(d, 16) == 0xBEEF;
    ok &= rec_rc_decode_bits(d, 1) == 1;
    ok &= rec_rc_decode_uint_escape(d, &um) == 0;
    ok &= rec_rc_decode_uint_escape(d, &um) == 1000;
    ok &= rec_rc_decode_uint_escape(d, NULL) == UINT64_MAX - 1;
    ok &= rec_rc_decode_uint_escape(d, &um) == 123456789012345ull;
    ok &= !rec_rc_decoder_error(d);
    return ok;
}

/* Expected bytes of kat_encode, committed; regenerate with --print only
 * after an intentional format change. */
static const uint8_t kat_bytes[] = {
#include "test_rec_rc_kat.inc"
};

static void test_kat(int print)
{
    rec_rc_encoder e;
    rec_rc_decoder d;
    uint8_t *buf;
    size_t n, i;
    CHECK(rec_rc_encoder_init(&e) == 0);
    kat_encode(&e);
    CHECK(rec_rc_encoder_finish(&e, &buf, &n) == 0);
    if (print) {
        for (i = 0; i < n; i++)
            printf("0x%02x,%s", buf[i], (i % 12 == 11) ? "\n" : " ");
        printf("\n");
    }
    CHECK(n == sizeof(kat_bytes));
    CHECK(n == sizeof(kat_bytes) && memcmp(buf, kat_bytes, n) == 0);
    rec_rc_decoder_init(&d, kat_bytes, sizeof(kat_bytes));
    CHECK(kat_decode(&d));
    free(buf);
    rec_rc_encoder_free(&e);
}

enum { OP_BIT, OP_BITP, OP_FREQ, OP_RAW, OP_ESC, OP_COUNT };
typedef struct {
    int op;
    uint32_t a, b, c; /* bit/p0 | cum,freq,tb | value,nbits */
    uint64_t v;
} op_t;

/* Random operation mix; `skew` picks extreme probabilities and frequencies
 * often, which maximises carries and normalisation shifts. */
static void make_ops(op_t *ops, size_t n, int skew)
{
    size_t i;
    for (i = 0; i < n; i++) {
        op_t *o = &ops[i];
        const uint64_t r = splitmix();
        o->op = (int)(r % OP_COUNT);
        switch (o->op) {
        case OP_BIT:
            o->a = (uint32_t)((r >> 8) % 100 < 85); /* biased so the model adapts */
            break;
        case OP_BITP:
            o->b = skew ? ((r >> 8) & 1 ? 1u : 65535u) : (uint32_t)((r >> 8) % 65535u) + 1u;
            o->a = (uint32_t)((r >> 40) & 1);
            break;
        case OP_FREQ: {
            const unsigned tb = 1u + (unsigned)((r >> 8) % 16u);
            const uint32_t tot = 1u << tb;
            uint32_t freq = skew ? 1u + (uint32_t)((r >> 20) % 2u) : 1u + (uint32_t)((r >> 20) % tot);
            uint32_t cum;
            if (freq > tot)
                freq = tot;
            cum = (uint32_t)((r >> 40) % (tot - freq + 1u));
            if (skew && (r >> 63))
                cum = tot - freq; /* topmost symbol */
            o->a = cum;
            o->b = freq;
            o->c = tb;
            break;
        }
        case OP_RAW:
            o->c = (unsigned)((r >> 8) % 17u);
            o->a = (uint32_t)(r >> 32) & ((1u << o->c) - 1u);
            break;
        default:
            o->v = splitmix() >> (splitmix() % 64);
            if (o->v == UINT64_MAX)
                o->v--;
            break;
        }
    }
}

static int roundtrip(const op_t *ops, size_t n, size_t *bytes)
{
    rec_rc_encoder e;
    rec_rc_decoder d;
    rec_rc_bit_model me, md;
    rec_rc_uint_model ue, ud;
    uint8_t *buf;
    size_t sz, i;
    int ok = 1;
    if (rec_rc_encoder_init(&e) != 0)
        return 0;
    rec_rc_bit_model_init(&me);
    rec_rc_uint_model_init(&ue);
    for (i = 0; i < n; i++) {
        const op_t *o = &ops[i];
        switch (o->op) {
        case OP_BIT: rec_rc_encode_bit(&e, &me, (int)o->a); break;
        case OP_BITP: rec_rc_encode_bit_p(&e, o->b, (int)o->a); break;
        case OP_FREQ: rec_rc_encode_freq(&e, o->a, o->b, o->c); break;
        case OP_RAW: rec_rc_encode_bits(&e, o->a, o->c); break;
        default: rec_rc_encode_uint_escape(&e, (i & 1) ? &ue : NULL, o->v); break;
        }
    }
    if (rec_rc_encoder_finish(&e, &buf, &sz) != 0)
        return 0;
    *bytes = sz;
    rec_rc_decoder_init(&d, buf, sz);
    rec_rc_bit_model_init(&md);
    rec_rc_uint_model_init(&ud);
    for (i = 0; i < n && ok; i++) {
        const op_t *o = &ops[i];
        switch (o->op) {
        case OP_BIT: ok = rec_rc_decode_bit(&d, &md) == (int)o->a; break;
        case OP_BITP: ok = rec_rc_decode_bit_p(&d, o->b) == (int)o->a; break;
        case OP_FREQ: {
            const uint32_t t = rec_rc_decode_target(&d, o->c);
            ok = t >= o->a && t < o->a + o->b;
            rec_rc_decode_consume(&d, o->a, o->b, o->c);
            break;
        }
        case OP_RAW: ok = rec_rc_decode_bits(&d, o->c) == o->a; break;
        default: ok = rec_rc_decode_uint_escape(&d, (i & 1) ? &ud : NULL) == o->v; break;
        }
        if (!ok)
            fprintf(stderr, "mismatch at op %zu (kind %d)\n", i, o->op);
    }
    ok = ok && !rec_rc_decoder_error(&d) && me.p == md.p;
    free(buf);
    return ok;
}

static void test_random(void)
{
    size_t lens[] = {0, 1, 2, 3, 5, 17, 100, 1000, 20000};
    size_t li;
    int rep, skew;
    op_t *ops = malloc(sizeof(op_t) * 20000);
    CHECK(ops != NULL);
    if (!ops)
        return;
    sm_state = 12345;
    for (skew = 0; skew < 2; skew++)
        for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
            for (rep = 0; rep < 20; rep++) {
                size_t bytes;
                make_ops(ops, lens[li], skew);
                CHECK(roundtrip(ops, lens[li], &bytes));
                if (lens[li] == 0)
                    CHECK(bytes == 0);
            }
    free(ops);
}

/* Long carry chains: an interval that sits just below a byte boundary for
 * many symbols produces runs of pending 0xFF bytes. */
static void test_carry_chains(void)
{
    op_t ops[3000];
    size_t i, bytes;
    for (i = 0; i < 3000; i++) {
        ops[i].op = OP_FREQ;
        ops[i].c = 16;
        ops[i].b = 1;
        ops[i].a = (i % 500 == 499) ? 0 : 65535; /* top symbol, then a drop */
    }
    CHECK(roundtrip(ops, 3000, &bytes));
    for (i = 0; i < 3000; i++) {
        ops[i].op = OP_BITP;
        ops[i].b = 65535;
        ops[i].a = (i % 300) != 7;
    }
    CHECK(roundtrip(ops, 3000, &bytes));
}

/* Compression sanity: 10000 bits with P(0) = 0.9 coded adaptively cost
 * close to the entropy (0.469 bits/bit) and at most 1.1x it. */
static void test_efficiency(void)
{
    rec_rc_encoder e;
    rec_rc_bit_model m;
    uint8_t *buf;
    size_t sz;
    int i;
    sm_state = 99;
    CHECK(rec_rc_encoder_init(&e) == 0);
    rec_rc_bit_model_init(&m);
    for (i = 0; i < 10000; i++)
        rec_rc_encode_bit(&e, &m, splitmix() % 10 == 0);
    CHECK(rec_rc_encoder_finish(&e, &buf, &sz) == 0);
    CHECK(sz * 8 < 4690 * 1.1 && sz * 8 > 4690 * 0.9);
    free(buf);
    /* fixed probability: 16-bit symbols uniformly: exactly 2 bytes each + tail */
    CHECK(rec_rc_encoder_init(&e) == 0);
    for (i = 0; i < 1000; i++)
        rec_rc_encode_bits(&e, (uint32_t)splitmix() & 0xFFFF, 16);
    CHECK(rec_rc_encoder_finish(&e, &buf, &sz) == 0);
    CHECK(sz >= 2000 && sz <= 2004);
    free(buf);
}

static void test_errors(void)
{
    rec_rc_encoder e;
    rec_rc_decoder d;
    uint8_t *buf;
    size_t sz, i;
    uint8_t garbage[64];
    int errors = 0;
    sm_state = 7;
    CHECK(rec_rc_encoder_init(&e) == 0);
    for (i = 0; i < 4000; i++)
        rec_rc_encode_bits(&e, (uint32_t)splitmix(), 8);
    CHECK(rec_rc_encoder_finish(&e, &buf, &sz) == 0);
    /* truncated to half: decoding everything must hit the error */
    rec_rc_decoder_init(&d, buf, sz / 2);
    for (i = 0; i < 4000; i++)
        (void)rec_rc_decode_bits(&d, 8);
    CHECK(rec_rc_decoder_error(&d));
    free(buf);
    /* invalid encoder calls poison the stream */
    CHECK(rec_rc_encoder_init(&e) == 0);
    rec_rc_encode_freq(&e, 0, 0, 8);
    CHECK(rec_rc_encoder_finish(&e, &buf, &sz) == -1);
    rec_rc_encoder_free(&e);
    CHECK(rec_rc_encoder_init(&e) == 0);
    rec_rc_encode_freq(&e, 250, 10, 8);
    CHECK(rec_rc_encoder_finish(&e, &buf, &sz) == -1);
    rec_rc_encoder_free(&e);
    /* invalid decoder calls set the error, never crash */
    rec_rc_decoder_init(&d, NULL, 0);
    (void)rec_rc_decode_target(&d, 17);
    CHECK(rec_rc_decoder_error(&d));
    rec_rc_decoder_init(&d, NULL, 0);
    CHECK(rec_rc_decode_cdf(&d, NULL, 0, 8) == 0 && rec_rc_decoder_error(&d));
    /* all-0xFF input is impossible for the encoder */
    memset(garbage, 0xFF, sizeof(garbage));
    rec_rc_decoder_init(&d, garbage, sizeof(garbage));
    CHECK(rec_rc_decoder_error(&d));
    /* random garbage: decoding many symbols eventually errors or at least
     * stays in range; count how often the error fires (must be > 0) */
    for (i = 0; i < 200; i++) {
        size_t j;
        static const uint32_t cdf[4] = {0, 100, 30000, 65536};
        for (j = 0; j < sizeof(garbage); j++)
            garbage[j] = (uint8_t)splitmix();
        rec_rc_decoder_init(&d, garbage, sizeof(garbage));
        for (j = 0; j < 2000; j++)
            CHECK(rec_rc_decode_cdf(&d, cdf, 3, 16) < 3);
        errors += rec_rc_decoder_error(&d);
    }
    CHECK(errors == 200); /* reads far past the end every time */
}

/* Codes ops[from, to) on e with the models given (as roundtrip's encoder does). */
static void apply_ops(rec_rc_encoder *e, const op_t *ops, size_t from, size_t to, rec_rc_bit_model *m,
                      rec_rc_uint_model *u)
{
    for (size_t i = from; i < to; i++) {
        const op_t *o = &ops[i];
        switch (o->op) {
        case OP_BIT: rec_rc_encode_bit(e, m, (int)o->a); break;
        case OP_BITP: rec_rc_encode_bit_p(e, o->b, (int)o->a); break;
        case OP_FREQ: rec_rc_encode_freq(e, o->a, o->b, o->c); break;
        case OP_RAW: rec_rc_encode_bits(e, o->a, o->c); break;
        default: rec_rc_encode_uint_escape(e, (i & 1) ? u : NULL, o->v); break;
        }
    }
}

/* rec_rc_log: the suffix of a random operation mix coded on a scratch encoder (in
 * another state: reset after other operations) with a record, then replayed on the
 * encoder holding the prefix, gives the bytes of coding everything directly; the
 * replay does not extend the target's own record; a record without its first
 * operation gives different bytes. */
static void test_log_replay(void)
{
    int same = 0, runs = 0, differs = 0;
    for (int t = 0; t < 24; t++) {
        const size_t n = 50 + (size_t)(splitmix() % 3000u), m = (size_t)(splitmix() % n);
        op_t *ops = malloc(n * sizeof *ops), *junk = malloc(64 * sizeof *junk);
        rec_rc_encoder a, b, s;
        rec_rc_bit_model ma, mb, mj;
        rec_rc_uint_model ua, ub, uj;
        rec_rc_log log, own;
        uint8_t *ba = NULL, *bb = NULL;
        size_t na = 0, nb = 0;
        if (!ops || !junk || rec_rc_encoder_init(&a) != 0 || rec_rc_encoder_init(&b) != 0 ||
            rec_rc_encoder_init(&s) != 0) {
            CHECK(0);
            return;
        }
        make_ops(ops, n, t & 1);
        make_ops(junk, 64, 1);
        rec_rc_bit_model_init(&ma);
        rec_rc_bit_model_init(&mb);
        rec_rc_bit_model_init(&mj);
        rec_rc_uint_model_init(&ua);
        rec_rc_uint_model_init(&ub);
        rec_rc_uint_model_init(&uj);
        rec_rc_log_init(&log);
        rec_rc_log_init(&own);
        apply_ops(&a, ops, 0, n, &ma, &ua);
        apply_ops(&b, ops, 0, m, &mb, &ub);
        apply_ops(&s, junk, 0, 64, &mj, &uj);
        rec_rc_encoder_reset(&s);
        rec_rc_encoder_set_log(&s, &log);
        apply_ops(&s, ops, m, n, &mb, &ub);
        rec_rc_encoder_set_log(&s, NULL);
        CHECK(log.n >= n - m);   /* an escape is several operations */
        if (t % 3 == 0 && log.n > 0) {   /* a record one operation short */
            rec_rc_encoder c = b;
            uint8_t *bc = NULL;
            size_t nc = 0;
            rec_rc_log cut = log;
            c.buf = malloc(b.cap);
            CHECK(c.buf != NULL);
            if (c.buf) {
                memcpy(c.buf, b.buf, b.size);
                cut.ops++;   /* the first operation dropped */
                cut.n--;
                CHECK(rec_rc_log_replay(&c, &cut) == 0);
                CHECK(rec_rc_encoder_finish(&c, &bc, &nc) == 0);
                CHECK(rec_rc_encoder_finish(&a, &ba, &na) == 0);
                differs += nc != na || (na > 0 && memcmp(ba, bc, na) != 0);
                free(bc);
                free(ba);
                ba = NULL;
                rec_rc_encoder_free(&a);
                CHECK(rec_rc_encoder_init(&a) == 0);
                rec_rc_bit_model_init(&ma);
                rec_rc_uint_model_init(&ua);
                apply_ops(&a, ops, 0, n, &ma, &ua);
            }
        }
        rec_rc_encoder_set_log(&b, &own);
        CHECK(rec_rc_log_replay(&b, &log) == 0);
        CHECK(own.n == 0);
        rec_rc_encoder_set_log(&b, NULL);
        CHECK(rec_rc_encoder_finish(&a, &ba, &na) == 0);
        CHECK(rec_rc_encoder_finish(&b, &bb, &nb) == 0);
        same += na == nb && (na == 0 || memcmp(ba, bb, na) == 0);
        runs++;
        free(ba);
        free(bb);
        rec_rc_encoder_free(&a);
        rec_rc_encoder_free(&b);
        rec_rc_encoder_free(&s);
        rec_rc_log_free(&log);
        rec_rc_log_free(&own);
        rec_rc_log_free(&log);   /* safe twice */
        free(ops);
        free(junk);
    }
    printf("log replay: %d of %d runs identical, %d of 8 records without their first op differ\n", same,
           runs, differs);
    CHECK(same == runs && runs == 24);
    CHECK(differs == 8);
}

/* rec_rc_encoder_cost_bits_floor: within one bit below rec_rc_encoder_cost_bits after
 * every operation of random mixes (skewed ones too), and never decreasing. */
static void test_cost_floor(void)
{
    int bad = 0, ops_checked = 0;
    for (int t = 0; t < 8; t++) {
        const size_t n = 4000;
        op_t *ops = malloc(n * sizeof *ops);
        rec_rc_encoder e;
        rec_rc_bit_model m;
        rec_rc_uint_model u;
        uint64_t last = 0;
        if (!ops || rec_rc_encoder_init(&e) != 0) {
            CHECK(0);
            free(ops);
            return;
        }
        make_ops(ops, n, t & 1);
        rec_rc_bit_model_init(&m);
        rec_rc_uint_model_init(&u);
        for (size_t i = 0; i < n; i++) {
            uint64_t f;
            double c;
            apply_ops(&e, ops, i, i + 1, &m, &u);
            f = rec_rc_encoder_cost_bits_floor(&e);
            c = rec_rc_encoder_cost_bits(&e);
            bad += !((double)f <= c && c <= (double)f + 1.0 && f >= last);
            last = f;
            ops_checked++;
        }
        rec_rc_encoder_free(&e);
        free(ops);
    }
    printf("cost floor: %d operations, %d outside [floor, floor + 1] or decreasing\n", ops_checked, bad);
    CHECK(bad == 0 && ops_checked == 32000);
}

/* rec_rc_internal.h's inline 16-bit paths against the public functions: the same
 * random symbols (some invalid: freq 0, past the total) coded through each give the
 * same bytes, with and without an operation log; decoding valid streams and random
 * bytes (errors) step by step through each gives the same targets, states and sticky
 * errors after every operation. */
static void test_inline16(void)
{
    enum { N = 20000 };
    static uint32_t cum[N], freq[N];
    for (int round = 0; round < 3; round++) {
        rec_rc_encoder a, b;
        rec_rc_log log;
        uint8_t *ba = NULL, *bb = NULL;
        size_t na = 0, nb = 0;
        int ra, rb;
        sm_state = 0x1234u + (uint64_t)round;
        for (int i = 0; i < N; i++) {
            const uint32_t f = (uint32_t)(splitmix() % (i % 3 == 0 ? 64u : 40000u));   /* 0: invalid */
            cum[i] = (uint32_t)(splitmix() % 65536u);
            freq[i] = f;
            if (round < 2 && (f == 0 || cum[i] + f > 65536u)) {   /* rounds 0, 1: valid only */
                freq[i] = 1 + f % 64u;
                cum[i] = cum[i] > 65536u - freq[i] ? 65536u - freq[i] : cum[i];
            }
        }
        CHECK(rec_rc_encoder_init(&a) == 0 && rec_rc_encoder_init(&b) == 0);
        rec_rc_log_init(&log);
        if (round == 1)
            rec_rc_encoder_set_log(&a, &log);   /* the inline path hands logged ones over */
        for (int i = 0; i < N; i++) {
            rec_rc_encode_freq16(&a, cum[i], freq[i]);
            rec_rc_encode_freq(&b, cum[i], freq[i], 16);
        }
        rec_rc_encoder_set_log(&a, NULL);
        ra = rec_rc_encoder_finish(&a, &ba, &na);
        rb = rec_rc_encoder_finish(&b, &bb, &nb);
        CHECK(ra == rb && na == nb && (ra != 0 || memcmp(ba, bb, na) == 0));
        CHECK((round < 2) == (ra == 0));   /* round 2 made invalid calls: both failed */
        if (round == 1)
            CHECK(log.n == (size_t)N);
        rec_rc_log_free(&log);
        for (int pass = 0; pass < 2 && round < 2; pass++) {
            /* pass 0: the valid stream; pass 1: random bytes (targets and consumes that
               do not match: error paths) */
            uint8_t *junk = malloc(na + 1);
            const uint8_t *src = ba;
            rec_rc_decoder da, db;
            int same = 1;
            CHECK(junk != NULL);
            if (!junk)
                break;
            if (pass == 1) {
                for (size_t i = 0; i < na + 1; i++)
                    junk[i] = (uint8_t)splitmix();
                src = junk;
            }
            rec_rc_decoder_init(&da, src, na);
            rec_rc_decoder_init(&db, src, na);
            for (int i = 0; i < N && same; i++) {
                const uint32_t ta = rec_rc_decode_target16(&da), tb = rec_rc_decode_target(&db, 16);
                uint32_t c = cum[i], f = freq[i];
                if (pass == 1 && i % 2)   /* the symbol the target names, roughly */
                    c = ta > 65535u - f ? 65536u - f : ta;
                rec_rc_decode_consume16(&da, c, f);
                rec_rc_decode_consume(&db, c, f, 16);
                same = ta == tb && da.code == db.code && da.range == db.range && da.pos == db.pos &&
                       da.overread == db.overread && da.error == db.error;
                if (pass == 0)
                    same = same && ta >= cum[i] && ta < cum[i] + freq[i] && !da.error;
            }
            CHECKF(same, "round %d pass %d", round, pass);
            if (pass == 1)
                CHECK(da.error);   /* random bytes broke the stream (so the error paths ran) */
            free(junk);
        }
        free(ba);
        free(bb);
    }
}

int main(int argc, char **argv)
{
    const int print = argc > 1 && strcmp(argv[1], "--print") == 0;
    test_kat(print);
    if (!print) {
        test_random();
        test_carry_chains();
        test_efficiency();
        test_errors();
        test_log_replay();
        test_cost_floor();
        test_inline16();
    }
    return rec_test_finish("test_rec_rc");
}
