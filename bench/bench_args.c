/* bench/bench_args.c: command-line values of the bench programs; contracts in
 * bench_args.h. */
#include "bench_args.h"

#include "tool_args.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* One item of a list: the characters before the next ',' (or the end), as a word. */
static int parse_item(const char *s, size_t len, double lo, double hi, int integer, double *out)
{
    char word[64];
    unsigned long long u;
    if (len == 0 || len >= sizeof word)
        return -1;
    memcpy(word, s, len);
    word[len] = '\0';
    if (!integer)
        return tool_parse_double(word, lo, hi, out);
    if (tool_parse_u64(word, &u) || !((double)u >= lo && (double)u <= hi))
        return -1;
    *out = (double)u;
    return 0;
}

int bench_parse_list(const char *s, double lo, double hi, int integer, double *v, int max)
{
    int n = 0;
    for (;;) {
        const char *comma = strchr(s, ',');
        const size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (n == max || parse_item(s, len, lo, hi, integer, &v[n]))
            return -1;
        n++;
        if (!comma)
            return n;
        s = comma + 1;
    }
}

int bench_parse_int(const char *s, int lo, int hi, int *out)
{
    unsigned long long u;
    if (tool_parse_u64(s, &u) || u < (unsigned long long)lo || u > (unsigned long long)hi)
        return -1;
    *out = (int)u;
    return 0;
}

int bench_word(const char *s, const char *const *words, int n)
{
    for (int k = 0; k < n; k++)
        if (!strcmp(s, words[k]))
            return k;
    return -1;
}

int bench_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage, stderr);
    return 1;
}

int bench_next_arg(const char *prog, const char *usage, int argc, char **argv, int *i,
                   const char **paths, int *nimg, int max, const char **name, const char **value)
{
    const char *a = argv[*i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
        fputs(usage, stdout);
        return BENCH_ARG_HELP;
    }
    if (a[0] != '-') {
        if (*nimg == max) {
            bench_usage_error(usage, "%s: too many images (at most %d)", prog, max);
            return BENCH_ARG_ERROR;
        }
        paths[(*nimg)++] = a;
        return BENCH_ARG_IMAGE;
    }
    if (*i + 1 >= argc) {
        bench_usage_error(usage, "%s: unknown option %s, or it needs a value", prog, a);
        return BENCH_ARG_ERROR;
    }
    *name = a;
    *value = argv[++*i];
    return BENCH_ARG_OPTION;
}
