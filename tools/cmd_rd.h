/* tools/cmd_rd.h: the `recimg rd` subcommand (issue 6), used by tools/recimg.c. */
#ifndef RECIMG_TOOLS_CMD_RD_H
#define RECIMG_TOOLS_CMD_RD_H

#ifdef __cplusplus
extern "C" {
#endif

/* `recimg rd --images DIR -o OUTDIR [--codecs LIST] [--points N] [--threads N]
 *            [--shard i/n] [--bpp-range LO,HI] [--quiet]`
 * `recimg rd --merge -o OUTDIR SHARD_DIR...`
 * Rate-distortion-perception sweep of every codec configuration over the images of DIR;
 * writes results.csv, results.json (CompressAI format), BD-rate tables, gnuplot plots and
 * report.html into OUTDIR (a --shard run writes only results.csv and crops, for --merge).
 * argv[0] is "rd". Returns the exit status: 0 ok, 1 on any error (message on stderr; a
 * usage error ends with "Try 'recimg rd --help'."). */
int tool_cmd_rd(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* RECIMG_TOOLS_CMD_RD_H */
