/* tools/tool_args.c: numeric option values of the recimg command; contracts in
 * tool_args.h. */
#include "tool_args.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int tool_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;
    const char *c;
    if (!(isdigit((unsigned char)s[0]) || s[0] == '.' || s[0] == '-' || s[0] == '+'))
        return -1;
    for (c = s; *c; c++)   /* decimal only: strtod would also read "0x1p-2" as hex */
        if (!(isdigit((unsigned char)*c) || *c == '.' || *c == '-' || *c == '+' || *c == 'e' || *c == 'E'))
            return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end != '\0' || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

int tool_parse_u64(const char *s, unsigned long long *out)
{
    char *end;
    unsigned long long v;
    if (!isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end != '\0')
        return -1;
    *out = v;
    return 0;
}
