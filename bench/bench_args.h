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

/* What bench_next_arg found at argv[*i]. */
enum { BENCH_ARG_HELP, BENCH_ARG_IMAGE, BENCH_ARG_OPTION, BENCH_ARG_ERROR };

/* One step of the argument loop of the bench programs that take IMAGE... and "--name
 * value" options, at argv[*i]:
 *  - "--help" or "-h": prints usage to stdout, BENCH_ARG_HELP (exit 0);
 *  - a word not starting with '-': paths[(*nimg)++] = it, BENCH_ARG_IMAGE;
 *  - an option followed by a value: *name and *value set, *i stepped over the value,
 *    BENCH_ARG_OPTION (the caller checks the name and the value);
 *  - a (max+1)-th image or an option without a value: refused through
 *    bench_usage_error with prog in the message, BENCH_ARG_ERROR (exit 1). */
int bench_next_arg(const char *prog, const char *usage, int argc, char **argv, int *i,
                   const char **paths, int *nimg, int max, const char **name, const char **value);

/* Prints the message (printf format, a newline is added) and then usage to stderr;
 * returns 1, the exit status of every error of a bench program. */
int bench_usage_error(const char *usage, const char *fmt, ...) BENCH_PRINTF_LIKE(2, 3);

#endif
