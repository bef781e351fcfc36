/* tools/cmd_compare.h: the `recimg compare` subcommand (used by tools/recimg.c). */
#ifndef RECIMG_TOOLS_CMD_COMPARE_H
#define RECIMG_TOOLS_CMD_COMPARE_H

#ifdef __cplusplus
extern "C" {
#endif

/* `recimg compare REF TEST [--json] [--alpha drop|refuse]`; argv[0] is "compare".
 * Prints PSNR (RGB, Y), SSIM, MS-SSIM and the realism measures of TEST against REF, as
 * text or as one JSON object on stdout. Returns the process exit status: 0 ok, 1 on any
 * error: a bad or mismatched input (message on stderr naming the file) or a usage error
 * (message ending with "Try 'recimg compare --help'."). */
int tool_cmd_compare(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* RECIMG_TOOLS_CMD_COMPARE_H */
