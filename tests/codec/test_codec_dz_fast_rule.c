/* The deadzone uq's fast rule (flags2 0x2000 with 0x400; codec/codec_deadzone.h
 * recimg_dz_rule_fast, docs/FORMAT.md "Deadzone", docs/SPEED.md "Speed pass 16"):
 *  - the table codec/codec_dz_table.inc is, bit for bit, its definition: entry i =
 *    (o << M) + m holds {d / b_i, tail} of recimg_dz_rule(b_i), b_i = sqrt(12) r_i,
 *    r_i = 2^(o - 9) (1 + (m + 1/2) / 2^M);
 *  - the bucket of every r is the one whose [2^E (1 + m / 2^M), 2^E (1 + (m + 1) / 2^M))
 *    holds it (checked at both ends of every bucket), r < 2^-9 takes bucket 0;
 *  - the rule: none for r >= 1 (b >= sqrt(12)), 0, negative, NaN or infinite b, exactly
 *    as recimg_dz_rule; otherwise d = tab[i][0] b > 0 within 5% of recimg_dz_rule's d and
 *    tail = tab[i][1] = e^(-d / b) up to rounding, in (0, 1).
 *   test_codec_dz_fast_rule --print    prints codec_dz_table.inc from the definition */
#include "codec_deadzone.h"
#include "codec_test_util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define D 3.46410161513775458705

static void entry(int i, double *b_i, double out[2])
{
    const int o = i >> RECIMG_DZ_FAST_MBITS, m = i & ((1 << RECIMG_DZ_FAST_MBITS) - 1);
    const double r = ldexp(1.0 + ((double)m + 0.5) / (double)(1 << RECIMG_DZ_FAST_MBITS),
                           o - RECIMG_DZ_FAST_OCTAVES);
    recimg_dz z;
    *b_i = RECIMG_DZ_STEP * r;
    recimg_dz_rule(*b_i, &z);
    out[0] = z.d / *b_i;
    out[1] = z.tail;
}

static void table(void)
{
    int same = 1;
    for (int i = 0; i < RECIMG_DZ_FAST_N; i++) {
        double b, e[2];
        entry(i, &b, e);
        if (memcmp(e, recimg_dz_fast_tab[i], sizeof e) != 0) {
            if (same)
                fprintf(stderr, "entry %d: %a %a, table %a %a\n", i, e[0], e[1], recimg_dz_fast_tab[i][0],
                        recimg_dz_fast_tab[i][1]);
            same = 0;
        }
        /* monotone: the rule's d / b falls with b */
        if (i > 0)
            CHECK(recimg_dz_fast_tab[i][0] <= recimg_dz_fast_tab[i - 1][0] &&
                  recimg_dz_fast_tab[i][1] >= recimg_dz_fast_tab[i - 1][1]);
    }
    CHECK(same);
}

/* r at the ends of bucket i and its neighbours: rule_fast uses entry i */
static void buckets(void)
{
    for (int i = 0; i < RECIMG_DZ_FAST_N; i++) {
        const int o = i >> RECIMG_DZ_FAST_MBITS, m = i & ((1 << RECIMG_DZ_FAST_MBITS) - 1);
        const double lo = ldexp(1.0 + (double)m / (double)(1 << RECIMG_DZ_FAST_MBITS), o - RECIMG_DZ_FAST_OCTAVES);
        const double hi = ldexp(1.0 + (double)(m + 1) / (double)(1 << RECIMG_DZ_FAST_MBITS),
                                o - RECIMG_DZ_FAST_OCTAVES);
        const double rs[3] = {lo, 0.5 * (lo + hi), nextafter(hi, 0.0)};
        for (int j = 0; j < 3; j++) {
            /* b with b (1 / sqrt(12)) == rs[j]: search the neighbouring doubles */
            double b = rs[j] * D;
            recimg_dz z;
            for (int t = 0; t < 8 && b * (1.0 / D) != rs[j]; t++)
                b = nextafter(b, b * (1.0 / D) < rs[j] ? 2.0 * D : 0.0);
            if (b * (1.0 / D) != rs[j])
                continue;   /* no such b: the bucket's end is not reachable */
            recimg_dz_rule_fast(b, &z);
            CHECK(z.d == recimg_dz_fast_tab[i][0] * b && z.tail == recimg_dz_fast_tab[i][1]);
        }
    }
    {   /* below the table: bucket 0 */
        static const double small[] = {0x1p-10, 1e-5, 1e-300};
        for (size_t j = 0; j < sizeof small / sizeof *small; j++) {
            recimg_dz z;
            recimg_dz_rule_fast(small[j], &z);
            CHECK(z.d == recimg_dz_fast_tab[0][0] * small[j] && z.tail == recimg_dz_fast_tab[0][1]);
        }
    }
}

static void rule(void)
{
    static const double none[] = {0.0, -1.0, D, 4.0, 1e300, (double)INFINITY, -(double)INFINITY, (double)NAN};
    recimg_dz z, w;
    double worst = 0.0;
    for (size_t j = 0; j < sizeof none / sizeof *none; j++) {
        recimg_dz_rule_fast(none[j], &z);
        recimg_dz_rule(none[j], &w);
        CHECK(z.d == 0.0 && z.tail == 1.0 && w.d == 0.0 && w.tail == 1.0);
    }
    recimg_dz_rule_fast(0.99999 * D, &z);
    CHECK(z.d > 0.0 && z.tail < 1.0);
    for (double b = 1e-4; b < D; b *= 1.0037) {
        double rel;
        recimg_dz_rule_fast(b, &z);
        recimg_dz_rule(b, &w);
        CHECK(z.d > 0.0 && z.tail > 0.0 && z.tail < 1.0);
        rel = fabs(z.d / w.d - 1.0);
        worst = rel > worst ? rel : worst;
        CHECK(rel < 0.05);
        /* tail = e^(-d / b) of the fast d, up to rounding */
        CHECK(fabs(z.tail - exp(-z.d / b)) <= 1e-9 * z.tail + 1e-300);
    }
    printf("fast rule: d within %.2f%% of the 0x400 rule over b in [1e-4, sqrt(12))\n", 100.0 * worst);
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--print")) {
        printf("/* codec/codec_dz_table.inc: the deadzone uq's fast rule (flags2 0x2000),\n"
               " * {d / b_i, tail} of recimg_dz_rule(b_i) (codec_deadzone.h); printed by\n"
               " * tests/codec/test_codec_dz_fast_rule --print, which checks it. */\n");
        for (int i = 0; i < RECIMG_DZ_FAST_N; i++) {
            double b, e[2];
            entry(i, &b, e);
            printf("{%a, %a},\n", e[0], e[1]);
        }
        return 0;
    }
    table();
    buckets();
    rule();
    return ct_finish("test_codec_dz_fast_rule");
}
