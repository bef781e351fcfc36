/* bench/bench_args.h: command-line values of the bench programs in bench/. Numbers
 * go through tools/tool_args.c, the parser of the recimg command, one value at a time
 * (lists too), so a bench program accepts or refuses a value as recimg would; every
 * error is refused with a message naming the program and the option, and exit status
 * 1, before any image is read. */
#ifndef RECIMG_BENCH_BENCH_ARGS_H
#define RECIMG_BENCH_BENCH_ARGS_H

#if defined(__GNUC__)
#define BENCH_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define BENCH_PRINTF_LIKE(f, a)
#endif

/* A comma-separated list of 1..max numbers, each one a whole word for tool_parse_double
 * in [lo, hi] (integer = 0) or for tool_parse_u64 and in [lo, hi] (integer = 1): an
 * empty item ("5,,6", "5,", ""), trailing junk ("5x"), an item of more than 63
 * characters and a (max+1)-th value are refused. Returns the count with v[0..count) set, or -1 (v may be partly written). */
int bench_parse_list(const char *s, double lo, double hi, int integer, double *v, int max);

/* An integer word (tool_parse_u64) in [lo, hi], 0 <= lo <= hi. 0 and *out set on
 * success; -1 (and *out untouched) otherwise. */
int bench_parse_int(const char *s, int lo, int hi, int *out);

/* The index of s among words[0..n), or -1 when it is none of them. */
int bench_word(const char *s, const char *const *words, int n);

/* Prints the message (printf format, a newline is added) and then usage to stderr;
 * returns 1, the exit status of every error of a bench program. */
int bench_usage_error(const char *usage, const char *fmt, ...) BENCH_PRINTF_LIKE(2, 3);

#endif
