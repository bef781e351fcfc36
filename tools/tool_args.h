/* tools/tool_args.h: the numeric option values of every recimg subcommand (compress,
 * decompress, info, sim, train-transform) are read by these two functions, so that a
 * value is accepted or refused alike everywhere: the whole word must be the number. */
#ifndef RECIMG_TOOLS_TOOL_ARGS_H
#define RECIMG_TOOLS_TOOL_ARGS_H

/* A decimal number in [lo, hi]: the word starts with a digit, '.', '+' or '-' (strtod
 * would skip leading blanks), has nothing after the number ("5x" is refused), and is not
 * NaN. 0 and *out set on success; -1 (and *out untouched) otherwise. */
int tool_parse_double(const char *s, double lo, double hi, double *out);

/* A decimal integer that fits in unsigned long long: digits only (no blanks, no sign, no
 * "0x" hex and no leading-zero octal, which strtoull with base 0 would read). 0 and *out
 * set on success; -1 (and *out untouched) otherwise. */
int tool_parse_u64(const char *s, unsigned long long *out);

#endif
