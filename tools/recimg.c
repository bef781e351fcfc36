/* recimg: the command-line tool (compress, decompress, info; compare and sim
 * are dispatched to tools/cmd_compare.c and tools/cmd_sim.c).
 *
 * Conventions (README.md, Usage): errors go to stderr naming the file; exit status
 * 1 for every error (usage errors, bad input, I/O), as cjpeg/cwebp do; output
 * files are written atomically (temporary file + rename) and the input is never
 * overwritten. Uses only the public API <recimg.h> and the tools' image I/O. */
#define _POSIX_C_SOURCE 200809L

#include "cmd_compare.h"
#include "cmd_rd.h"
#include "imageio.h"
#include "recimg.h"
#include "tool_args.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef RECIMG_HAVE_CMD_SIM
int tool_cmd_sim(int argc, char **argv);
#endif
#ifdef RECIMG_HAVE_CMD_TRAIN  /* learned-transform (issue 5): tools/cmd_train.c */
int tool_cmd_train(int argc, char **argv);
#endif

enum { EXIT_FAIL = 1 };
#define BPP_TOLERANCE 0.03
#define MAX_RC_ITERATIONS 24

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: recimg <command> [options]\n"
        "\n"
        "commands:\n"
        "  compress IN.png|IN.jpg|IN.ppm -o OUT.rec [options]   (-o or --output)\n"
        "      --mode round|rec        coefficient coding (default round)\n"
        "      --quality Q, -q Q       0..100 (default 75)\n"
        "      --bpp B                 rate control: bisect the quality to within +-3%% of B bits/pixel\n"
        "      --chroma 420|444        chroma subsampling for colour input (default 420)\n"
        "      --sampler NAME          REC only: uq (default) | lrq | gprs-bnb | gprs | pfr | block (approximate)\n"
        "      --seed N                shared-randomness seed stored in the file\n"
        "      --zero-bits T           REC zero-bit rule: coefficients predicted to carry < T bits\n"
        "                              are rebuilt from the prior at no cost (0..16, 0 = off;\n"
        "                              default 0.12; lrq 0.15, block 0.16; needs --mode rec)\n"
        "      --effort 1|2            REC encoder effort: 1 (default) fast; 2 also codes a level per\n"
        "                              luma block chosen by trial encodes (context model v4;\n"
        "                              --sampler uq only; about 1-1.5%% fewer bits at\n"
        "                              equal PSNR for about 2.5x the encoder's instructions;\n"
        "                              needs --mode rec)\n"
        "      --deadzone 0|1          cells with a prior-adaptive deadzone the decoder knows:\n"
        "                              default 1 in both modes; REC uq: BD-rate against rounding\n"
        "                              about 4.6 points lower, about 26%% more instructions;\n"
        "                              round: about 2%% fewer bits for about 30%% more\n"
        "                              instructions (0: plain rounding, version-1 files);\n"
        "                              not with other samplers\n"
        "      --dz-draw 0|1           REC uq with its deadzone: 1 makes the sample and realism\n"
        "                              decoders draw each deadzone cell from its prior with\n"
        "                              private randomness (same payload; default 0: on TRAIN\n"
        "                              lower DCT-W1 but 0.5-1 dB lower PSNR and higher SWD)\n"
        "      --alpha refuse|drop     what to do with an alpha channel (default refuse)\n"
        "      --threads N             worker threads (default 0 = all cores; output never depends on it)\n"
        "      --matrix 0|1|2          step matrix: 0 flat, 1 gentle slope, 2 JPEG shape (default 0\n"
        "                              with the deadzone, else 1); with 0 a quality's step is\n"
        "                              x25/16 (round) or x23/16 (rec) to keep about matrix 1's rate;\n"
        "                              --matrix 1 gives the default files of before session 9\n"
        "      --chroma-step X         chroma step multiplier 0.25..16 (default with matrix 0:\n"
        "                              0.6, rec 0.55; with matrix 1 or 2: 0.85, rec 0.65)\n"
        "      --transform T           dct (default), learned (64-point KLT), learned-sep (separable),\n"
        "                              learned-rd (sparsity-refined DCT), or FILE.rtx from\n"
        "                              train-transform (embedded in the .rec)\n"
        "      --max-pixels N          refuse larger images (default 2^28)\n"
        "      --stats                 print one JSON object with the figures on stdout\n");
    /* two strings: ISO C's minimum supported string length is 4095 */
    fprintf(f,
        "  decompress IN.rec -o OUT.png|OUT.ppm|OUT.pgm [options]\n"
        "      --decode mmse|center|sample|realism   reconstruction (default mmse)\n"
        "      --realism A             0..1, used by --decode realism only (default 1)\n"
        "      --threads N, --stats\n"
        "      --max-pixels N          refuse larger images (default 2^28)\n"
        "      --max-input-size BYTES  refuse larger files (default 2^31)\n"
        "  info IN.rec [--json] [--max-pixels N] [--max-input-size BYTES]   print the header fields\n"
        "  compare REF TEST [--json] [--alpha drop|refuse]\n"
        "                              PSNR (RGB, Y), SSIM, MS-SSIM and realism measures\n"
#ifdef RECIMG_HAVE_CMD_SIM
        "  sim ...                     channel-simulation experiments (recimg sim --help)\n"
#endif
#ifdef RECIMG_HAVE_CMD_RD
        "  rd ...                      rate-distortion(-perception) benchmark (recimg rd --help)\n"
#endif
#ifdef RECIMG_HAVE_CMD_TRAIN  /* learned-transform (issue 5) */
        "  train-transform --images DIR|FILE [--images ...] -o T.rtx [--kind klt|separable|rd]\n"
        "      [--stride N] [--order variance|dct] [--emit-c FILE.c]   learn a block transform\n"
        "      rd only: [--init dct|klt] [--threshold T] [--iterations N]\n"
#endif
        "  --help, --version\n"
        "\n"
        "Exit status: 0 success, 1 any error, usage errors included (the message names the\n"
        "file or the option).\n");
}

/* Prints "recimg: MSG" with every %s in msg replaced by arg and the --help hint;
 * returns EXIT_FAIL (usage errors exit 1 like every other error). */
static int usage_error(const char *msg, const char *arg)
{
    fputs("recimg: ", stderr);
    for (const char *m = msg; *m; m++) {
        if (m[0] == '%' && m[1] == 's') {
            fputs(arg, stderr);
            m++;
        } else if (m[0] == '%' && m[1] == '%') {
            fputc('%', stderr);
            m++;
        } else {
            fputc(*m, stderr);
        }
    }
    fputs("\nTry 'recimg --help'.\n", stderr);
    return EXIT_FAIL;
}

/* What next_arg found (internal codes, never exit statuses). */
enum { ARG_ERROR = -1, ARG_CONSUMED = 0, ARG_OPTION = 1 };

/* The options of compress and decompress that take a value (NULL-terminated): an
 * option not listed is reported as unknown even when it is the last word, rather
 * than as one that lacks its value. */
static const char *const compress_valued[] = {
    "-o", "--output", "--quality", "-q", "--bpp", "--mode", "--chroma", "--sampler", "--seed",
    "--max-pixels", "--zero-bits", "--effort", "--threads", "--alpha", "--matrix", "--chroma-step",
    "--transform", "--deadzone", "--dz-draw", NULL};
static const char *const decompress_valued[] = {
    "-o", "--output", "--decode", "--realism", "--threads", "--max-pixels", "--max-input-size", NULL};

/* One step of the compress/decompress option loop over argv[*i]: "--stats" sets *stats;
 * a word that does not start with '-' (or is "-") is the input file (*in; a second one
 * is a usage error); an option of valued (the command's list above) takes the next word
 * as its value (*value, *i advanced past it); any other option is unknown. Returns
 * ARG_CONSUMED, ARG_OPTION for the caller to interpret, or ARG_ERROR after printing
 * the error. */
static int next_arg(const char *cmd, const char *const *valued, int argc, char **argv, int *i,
                    const char **in, int *stats, const char **value)
{
    const char *a = argv[*i];
    char msg[96];
    int known = 0;
    if (!strcmp(a, "--stats")) {
        *stats = 1;
        return ARG_CONSUMED;
    }
    if (a[0] != '-' || !strcmp(a, "-")) {
        if (*in) {
            snprintf(msg, sizeof msg, "%s: unexpected argument '%%s' (the output is named with -o)", cmd);
            usage_error(msg, a);
            return ARG_ERROR;
        }
        *in = a;
        return ARG_CONSUMED;
    }
    for (const char *const *k = valued; *k && !known; k++)
        known = !strcmp(a, *k);
    if (!known) {
        snprintf(msg, sizeof msg, "%s: unknown option '%%s'", cmd);
        usage_error(msg, a);
        return ARG_ERROR;
    }
    if (*i + 1 >= argc) {
        snprintf(msg, sizeof msg, "%s: option '%%s' needs a value", cmd);
        usage_error(msg, a);
        return ARG_ERROR;
    }
    *value = argv[++*i];
    return ARG_OPTION;
}

/* File names: "" cannot be opened, and "-" would read as standard input or output,
 * which the tool does not do. Returns 0, or EXIT_FAIL after printing the error. */
static int check_file_name(const char *cmd, const char *name)
{
    char msg[128];
    if (name[0] == '\0') {
        snprintf(msg, sizeof msg, "%s: empty file name%%s", cmd);
        return usage_error(msg, "");
    }
    if (!strcmp(name, "-")) {
        snprintf(msg, sizeof msg, "%s: '%%s' (standard input/output) is not supported; name a file", cmd);
        return usage_error(msg, name);
    }
    return 0;
}

/* The image-format extension path ends in (".png", ...; any case), or NULL. compress
 * refuses such an output name: it would get .rec bytes under an image's name (the
 * mirror of decompress refusing .jpg or .rec, tools/imageio.c). */
static const char *image_extension(const char *path)
{
    static const char *const exts[] = {".png", ".jpg", ".jpeg", ".ppm", ".pgm", ".pnm", ".jxl",
                                       ".webp", ".avif", ".gif", ".bmp", ".tif", ".tiff"};
    const size_t n = strlen(path);
    for (size_t k = 0; k < sizeof exts / sizeof *exts; k++) {
        const size_t m = strlen(exts[k]);
        size_t i = 0;
        while (i < m && n >= m && tolower((unsigned char)path[n - m + i]) == exts[k][i])
            i++;
        if (i == m)
            return exts[k];
    }
    return NULL;
}

/* A positive limit (pixels or bytes). */
static int parse_limit(const char *s, unsigned long long *out)
{
    return tool_parse_u64(s, out) || *out == 0 ? -1 : 0;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Opens a --stats object: {"input": IN, "output": OUT */
static void json_files(FILE *f, const char *in, const char *out)
{
    fputs("{\"input\": ", f);
    json_string(f, in);
    fputs(", \"output\": ", f);
    json_string(f, out);
}

static const char *mode_name(recimg_mode m)
{
    return m == RECIMG_MODE_REC ? "rec" : "round";
}

static const char *sampler_names[] = {"none", "lrq", "gprs-bnb", "gprs", "pfr", "uq", "block"};

static const char *sampler_name(recimg_sampler s)
{
    return (unsigned)s < sizeof sampler_names / sizeof *sampler_names ? sampler_names[s] : "unknown";
}

/* Transform ids of the .rec header (recimg.h, transform_id): the --transform name and
 * what `info` prints. Id 4 has no name: it is chosen by giving a .rtx file. */
static const struct {
    uint32_t id;
    const char *name;
    const char *description;
} transforms[] = {{1, "dct", "DCT-II 8x8"},
                  {2, "learned", "learned KLT 64"},
                  {3, "learned-sep", "learned separable"},
                  {4, NULL, "embedded matrix"},
                  {5, "learned-rd", "learned rd"}};

static const char *transform_description(uint32_t id)
{
    for (size_t k = 0; k < sizeof transforms / sizeof *transforms; k++)
        if (transforms[k].id == id)
            return transforms[k].description;
    return "unknown";
}

/* ------------------------------------------------------------- compress */

typedef struct {
    uint8_t *data;
    size_t size;
    recimg_encode_stats st;
    double quality;
    double ms;
} encode_result;

static recimg_status encode_at(recimg_encoder *enc, const recimg_image *img, double q,
                               int want_stats, encode_result *r)
{
    recimg_status st;
    double t0;
    recimg_free(r->data);
    r->data = NULL;
    st = recimg_encoder_set_quality(enc, q);
    if (st != RECIMG_OK)
        return st;
    t0 = now_ms();
    /* the REC statistics (KL) cost time: only ask for them when printed */
    memset(&r->st, 0, sizeof r->st);
    st = recimg_encode(enc, img, &r->data, &r->size, want_stats ? &r->st : NULL);
    r->ms = now_ms() - t0;
    r->quality = q;
    return st;
}

static double bpp_of(size_t bytes, const recimg_image *img)
{
    return 8.0 * (double)bytes / ((double)img->width * (double)img->height);
}

/* Bisection on quality (bpp rises with quality): keeps the best result seen. */
static recimg_status rate_control(recimg_encoder *enc, const recimg_image *img, double target,
                                  int want_stats, encode_result *best, int *iterations, int *reached)
{
    double lo, hi;
    encode_result cur;
    recimg_status st;
    memset(&cur, 0, sizeof cur);
    recimg_quality_range(&lo, &hi);
    *reached = 0;
    *iterations = 0;
    for (int it = 0; it < MAX_RC_ITERATIONS; it++) {
        const double q = it == 0 ? 50.0 : 0.5 * (lo + hi);
        double bpp, err;
        st = encode_at(enc, img, q, 0, &cur);
        if (st != RECIMG_OK) {
            recimg_free(cur.data);
            return st;
        }
        ++*iterations;
        bpp = bpp_of(cur.size, img);
        err = fabs(bpp / target - 1.0);
        if (!best->data || err < fabs(bpp_of(best->size, img) / target - 1.0)) {
            recimg_free(best->data);
            *best = cur;
            cur.data = NULL;
        }
        if (err <= BPP_TOLERANCE) {
            *reached = 1;
            break;
        }
        if (bpp < target)
            lo = q;
        else
            hi = q;
        if (hi - lo < 1e-4)
            break;
    }
    recimg_free(cur.data);
    if (want_stats && best->data) {   /* figures of the chosen file */
        const double q = best->quality;
        st = encode_at(enc, img, q, 1, best);
        if (st != RECIMG_OK)
            return st;
    }
    return RECIMG_OK;
}

static int cmd_compress(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    const char *rtx_path = NULL;   /* learned-transform: --transform FILE.rtx */
    recimg_encoder_params p;
    int stats = 0, have_q = 0, have_bpp = 0, iterations = 0, reached = 1, effort = 0, deadzone = -1, dz_draw = -1;
    double target_bpp = 0.0, t_start;
    imageio_alpha alpha = IMAGEIO_ALPHA_REFUSE;
    imageio_image img;
    recimg_image rimg;
    recimg_encoder *enc = NULL;
    recimg_status st;
    encode_result res;
    char err[512];
    double qmin, qmax;

    recimg_encoder_params_default(&p);
    recimg_quality_range(&qmin, &qmax);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        unsigned long long u;
        const int r = next_arg("compress", compress_valued, argc, argv, &i, &in, &stats, &v);
        if (r != ARG_OPTION) {
            if (r == ARG_ERROR)
                return EXIT_FAIL;
            continue;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (out)   /* two outputs: the first would be silently dropped */
                return usage_error("compress: more than one output (-o) given%s", "");
            out = v;
        } else if (!strcmp(a, "--quality") || !strcmp(a, "-q")) {
            if (tool_parse_double(v, qmin, qmax, &p.quality))
                return usage_error("compress: --quality must be a number in 0..100, not '%s'", v);
            have_q = 1;
        } else if (!strcmp(a, "--bpp")) {
            if (tool_parse_double(v, 1e-4, 64.0, &target_bpp))
                return usage_error("compress: --bpp must be a number in (0, 64], not '%s'", v);
            have_bpp = 1;
        } else if (!strcmp(a, "--mode")) {
            if (!strcmp(v, "round")) p.mode = RECIMG_MODE_ROUND;
            else if (!strcmp(v, "rec")) p.mode = RECIMG_MODE_REC;
            else return usage_error("compress: --mode must be round or rec, not '%s'", v);
        } else if (!strcmp(a, "--chroma")) {
            if (!strcmp(v, "420")) p.chroma = RECIMG_CHROMA_420;
            else if (!strcmp(v, "444")) p.chroma = RECIMG_CHROMA_444;
            else return usage_error("compress: --chroma must be 420 or 444, not '%s'", v);
        } else if (!strcmp(a, "--sampler")) {
            unsigned k;
            for (k = 1; k < sizeof sampler_names / sizeof *sampler_names; k++)
                if (!strcmp(v, sampler_names[k]))
                    break;
            if (k == sizeof sampler_names / sizeof *sampler_names)
                return usage_error("compress: unknown sampler '%s'", v);
            p.sampler = (recimg_sampler)k;
        } else if (!strcmp(a, "--seed")) {
            if (tool_parse_u64(v, &u))
                return usage_error("compress: --seed must be a non-negative integer, not '%s'", v);
            p.seed = u;
        } else if (!strcmp(a, "--max-pixels")) {
            if (parse_limit(v, &u))
                return usage_error("compress: --max-pixels must be a positive integer, not '%s'", v);
            p.max_pixels = u;
        } else if (!strcmp(a, "--zero-bits")) {
            if (tool_parse_double(v, 0.0, 16.0, &p.rec_zero_bits))
                return usage_error("compress: --zero-bits must be a number in 0..16, not '%s'", v);
        } else if (!strcmp(a, "--effort")) {
            if (tool_parse_u64(v, &u) || u < 1 || u > 2)
                return usage_error("compress: --effort must be 1 or 2, not '%s'", v);
            effort = (int)u;
            p.rec_block_flag = effort == 2;
        } else if (!strcmp(a, "--deadzone")) {
            if (tool_parse_u64(v, &u) || u > 1)
                return usage_error("compress: --deadzone must be 0 or 1, not '%s'", v);
            deadzone = (int)u;
        } else if (!strcmp(a, "--dz-draw")) {
            if (tool_parse_u64(v, &u) || u > 1)
                return usage_error("compress: --dz-draw must be 0 or 1, not '%s'", v);
            dz_draw = (int)u;
        } else if (!strcmp(a, "--threads")) {
            if (tool_parse_u64(v, &u) || u > 1024)
                return usage_error("compress: --threads must be an integer in 0..1024, not '%s'", v);
            p.threads = (int)u;
        } else if (!strcmp(a, "--alpha")) {
            if (!strcmp(v, "drop")) alpha = IMAGEIO_ALPHA_DROP;
            else if (!strcmp(v, "refuse")) alpha = IMAGEIO_ALPHA_REFUSE;
            else return usage_error("compress: --alpha must be drop or refuse, not '%s'", v);
        } else if (!strcmp(a, "--matrix")) {
            if (tool_parse_u64(v, &u) || u > 2)
                return usage_error("compress: --matrix must be 0, 1 or 2, not '%s'", v);
            p.matrix_id = (uint32_t)u;
        } else if (!strcmp(a, "--chroma-step")) {
            if (tool_parse_double(v, 0.25, 16.0, &p.chroma_step_scale))
                return usage_error("compress: --chroma-step must be in 0.25..16, not '%s'", v);
        } else if (!strcmp(a, "--transform")) {   /* learned-transform (issue 5) */
            size_t k;
            for (k = 0; k < sizeof transforms / sizeof *transforms; k++)
                if (transforms[k].name && !strcmp(v, transforms[k].name))
                    break;
            if (k < sizeof transforms / sizeof *transforms)
                p.transform_id = transforms[k].id;
            else
                rtx_path = v;   /* a .rtx file, embedded in the .rec (id 4) */
        } else {
            return usage_error("compress: unknown option '%s'", a);
        }
    }
    if (!in)
        return usage_error("compress: no input file%s", "");
    if (!out)
        return usage_error("compress: no output file (-o OUT.rec)%s", "");
    if (check_file_name("compress", in) || check_file_name("compress", out))
        return EXIT_FAIL;
    if (have_q && have_bpp)
        return usage_error("compress: give --quality or --bpp, not both%s", "");
    if (p.mode == RECIMG_MODE_ROUND && p.sampler != RECIMG_SAMPLER_NONE)
        return usage_error("compress: --sampler needs --mode rec%s", "");
    if (p.mode == RECIMG_MODE_ROUND && p.rec_zero_bits != -1.0)   /* the rounding mode ignored it */
        return usage_error("compress: --zero-bits needs --mode rec%s", "");
    if (p.mode == RECIMG_MODE_ROUND && effort)
        return usage_error("compress: --effort needs --mode rec%s", "");
    if (effort == 2 && p.sampler != RECIMG_SAMPLER_NONE && p.sampler != RECIMG_SAMPLER_UQ)
        return usage_error("compress: --effort 2 needs --sampler uq (the other samplers have no block levels)%s", "");
    if (deadzone == 1 && p.mode == RECIMG_MODE_REC && p.sampler != RECIMG_SAMPLER_NONE &&
        p.sampler != RECIMG_SAMPLER_UQ)
        return usage_error("compress: --deadzone 1 needs --sampler uq in rec mode (the other samplers have none)%s", "");
    if (deadzone >= 0) {   /* each mode's own switch; the other mode ignores it */
        p.round_deadzone = p.mode == RECIMG_MODE_ROUND ? deadzone : p.round_deadzone;
        p.rec_uq_deadzone = p.mode == RECIMG_MODE_REC ? deadzone : p.rec_uq_deadzone;
    }
    if (dz_draw >= 0 && p.mode != RECIMG_MODE_REC)
        return usage_error("compress: --dz-draw needs --mode rec%s", "");
    if (dz_draw == 1 && (deadzone == 0 || (p.sampler != RECIMG_SAMPLER_NONE && p.sampler != RECIMG_SAMPLER_UQ)))
        return usage_error("compress: --dz-draw 1 needs the deadzone uq (--sampler uq, not --deadzone 0)%s", "");
    if (dz_draw >= 0)
        p.rec_uq_dz_draw = dz_draw;
    if (imageio_same_file(in, out)) {
        fprintf(stderr, "recimg: %s: refusing to overwrite the input file\n", out);
        return EXIT_FAIL;
    }
    if (image_extension(out)) {
        fprintf(stderr, "recimg: %s: compress writes .rec files, not %s; name the output .rec\n", out,
                image_extension(out) + 1);
        return EXIT_FAIL;
    }

    if (rtx_path) {   /* learned-transform: read and validate the .rtx file */
        uint8_t *rtx = NULL;
        size_t rtx_size = 0;
        char why[256];
        if (imageio_read_file(rtx_path, (size_t)1 << 20, &rtx, &rtx_size, err, sizeof err) != 0) {
            fprintf(stderr, "recimg: %s (--transform takes dct, learned, learned-sep, learned-rd"
                            " or a .rtx file)\n", err);
            return EXIT_FAIL;
        }
        if (recimg_transform_file_check(rtx, rtx_size, why, sizeof why) != RECIMG_OK) {
            fprintf(stderr, "recimg: %s: invalid transform file: %s\n", rtx_path, why);
            free(rtx);
            return EXIT_FAIL;
        }
        p.transform_id = 4;
        p.transform_file = rtx;
        p.transform_file_size = rtx_size;
        st = recimg_encoder_create(&p, &enc);
        free(rtx);   /* the encoder keeps its own copy */
        p.transform_file = NULL;
    } else {
        st = recimg_encoder_create(&p, &enc);
    }
    if (st != RECIMG_OK) {
        fprintf(stderr, "recimg: cannot create the encoder (%s mode): %s\n", mode_name(p.mode),
                recimg_strerror(st));
        return EXIT_FAIL;
    }
    if (imageio_read(in, alpha, &img, err, sizeof err) != 0) {
        fprintf(stderr, "recimg: %s\n", err);
        recimg_encoder_free(enc);
        return EXIT_FAIL;
    }
    rimg.width = img.width;
    rimg.height = img.height;
    rimg.channels = (uint32_t)img.channels;
    rimg.pixels = img.pixels;
    memset(&res, 0, sizeof res);
    t_start = now_ms();
    if (have_bpp)
        st = rate_control(enc, &rimg, target_bpp, stats, &res, &iterations, &reached);
    else
        st = encode_at(enc, &rimg, p.quality, stats, &res);
    if (st == RECIMG_OK && !reached) {
        fprintf(stderr, "recimg: %s: cannot reach %.4g bpp within 3%% (closest: %.4g bpp at quality %.3f)\n",
                in, target_bpp, bpp_of(res.size, &rimg), res.quality);
        recimg_free(res.data);
        recimg_encoder_free(enc);
        imageio_image_free(&img);
        return EXIT_FAIL;
    }
    if (st != RECIMG_OK) {
        fprintf(stderr, "recimg: %s: encoding failed: %s\n", in, recimg_strerror(st));
        recimg_encoder_free(enc);
        imageio_image_free(&img);
        return EXIT_FAIL;
    }
    if (imageio_write_file_atomic(out, res.data, res.size, err, sizeof err) != 0) {
        fprintf(stderr, "recimg: %s\n", err);
        recimg_free(res.data);
        recimg_encoder_free(enc);
        imageio_image_free(&img);
        return EXIT_FAIL;
    }
    if (stats) {
        recimg_info fi;
        double fi_zero_bits = 0.0;
        if (recimg_read_info(res.data, res.size, &fi) == RECIMG_OK) {
            p.sampler = fi.sampler;   /* the sampler and threshold actually used (defaults resolved) */
            fi_zero_bits = fi.rec_zero_bits;
        }
        json_files(stdout, in, out);
        printf(", \"width\": %u, \"height\": %u, \"channels\": %u, \"bytes\": %zu, \"bpp\": %.6f"
               ", \"mode\": \"%s\", \"sampler\": \"%s\", \"quality\": %.4f, \"chroma\": \"%s\""
               ", \"step\": %.6f, \"payload_bytes\": %llu, \"payload_bits\": %.0f, \"kl_bits\": %.3f"
               ", \"encode_ms\": %.3f, \"total_ms\": %.3f",
               rimg.width, rimg.height, rimg.channels, res.size, bpp_of(res.size, &rimg),
               mode_name(p.mode), sampler_name(p.sampler), res.quality,
               rimg.channels == 1 ? "gray" : (p.chroma == RECIMG_CHROMA_444 ? "444" : "420"),
               res.st.step, (unsigned long long)res.st.payload_bytes, res.st.payload_bits,
               res.st.kl_bits, res.ms, now_ms() - t_start);
        if (p.mode == RECIMG_MODE_REC)
            printf(", \"zero_bits\": %.4f, \"coded\": %llu, \"skipped\": %llu, \"overhead\": %.4f",
                   fi_zero_bits, (unsigned long long)res.st.coded, (unsigned long long)res.st.skipped,
                   res.st.kl_bits > 0 ? res.st.payload_bits / res.st.kl_bits - 1.0 : 0.0);
        if (p.mode == RECIMG_MODE_REC && p.sampler == RECIMG_SAMPLER_BLOCK)
            printf(", \"block_groups\": %llu, \"block_escapes\": %llu, \"block_index_bits\": %.0f"
                   ", \"block_retained\": %.4f",
                   (unsigned long long)res.st.block_groups, (unsigned long long)res.st.block_escapes,
                   res.st.block_index_bits, res.st.block_retained);
        if (have_bpp)
            printf(", \"target_bpp\": %.6f, \"rate_control_iterations\": %d", target_bpp, iterations);
        printf("}\n");
    }
    recimg_free(res.data);
    recimg_encoder_free(enc);
    imageio_image_free(&img);
    return 0;
}

/* ----------------------------------------------------------- decompress */

static int cmd_decompress(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    recimg_decoder_params p;
    recimg_decoder *dec = NULL;
    recimg_image rimg;
    imageio_image img;
    uint8_t *data = NULL;
    size_t size = 0;
    int stats = 0;
    recimg_status st;
    char err[512];
    double t0, ms;

    recimg_decoder_params_default(&p);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        unsigned long long u;
        const int r = next_arg("decompress", decompress_valued, argc, argv, &i, &in, &stats, &v);
        if (r != ARG_OPTION) {
            if (r == ARG_ERROR)
                return EXIT_FAIL;
            continue;
        }
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (out)   /* two outputs: the first would be silently dropped */
                return usage_error("decompress: more than one output (-o) given%s", "");
            out = v;
        } else if (!strcmp(a, "--decode")) {
            if (!strcmp(v, "mmse")) p.decode = RECIMG_DECODE_MMSE;
            else if (!strcmp(v, "center")) p.decode = RECIMG_DECODE_CENTER;
            else if (!strcmp(v, "sample")) p.decode = RECIMG_DECODE_SAMPLE;
            else if (!strcmp(v, "realism")) p.decode = RECIMG_DECODE_REALISM;
            else return usage_error("decompress: --decode must be mmse, center, sample or realism, not '%s'", v);
        } else if (!strcmp(a, "--realism")) {
            double lo, hi;
            recimg_realism_range(&lo, &hi);
            if (tool_parse_double(v, lo, hi, &p.realism))
                return usage_error("decompress: --realism must be a number in 0..1, not '%s'", v);
        } else if (!strcmp(a, "--threads")) {
            if (tool_parse_u64(v, &u) || u > 1024)
                return usage_error("decompress: --threads must be an integer in 0..1024, not '%s'", v);
            p.threads = (int)u;
        } else if (!strcmp(a, "--max-pixels")) {
            if (parse_limit(v, &u))
                return usage_error("decompress: --max-pixels must be a positive integer, not '%s'", v);
            p.max_pixels = u;
        } else if (!strcmp(a, "--max-input-size")) {
            if (parse_limit(v, &u))
                return usage_error("decompress: --max-input-size must be a positive integer, not '%s'", v);
            p.max_input_size = u;
        } else {
            return usage_error("decompress: unknown option '%s'", a);
        }
    }
    if (!in)
        return usage_error("decompress: no input file%s", "");
    if (!out)
        return usage_error("decompress: no output file (-o OUT.png)%s", "");
    if (check_file_name("decompress", in) || check_file_name("decompress", out))
        return EXIT_FAIL;
    if (imageio_same_file(in, out)) {
        fprintf(stderr, "recimg: %s: refusing to overwrite the input file\n", out);
        return EXIT_FAIL;
    }
    if (imageio_check_output_name(out, err, sizeof err) != 0) {   /* before the decode */
        fprintf(stderr, "recimg: %s\n", err);
        return EXIT_FAIL;
    }
    if (imageio_read_file(in, p.max_input_size > SIZE_MAX ? SIZE_MAX : (size_t)p.max_input_size, &data,
                          &size, err, sizeof err) != 0) {
        fprintf(stderr, "recimg: %s\n", err);
        return EXIT_FAIL;
    }
    st = recimg_decoder_create(&p, &dec);
    if (st == RECIMG_OK) {
        t0 = now_ms();
        st = recimg_decode(dec, data, size, &rimg);
        ms = now_ms() - t0;
    }
    recimg_decoder_free(dec);
    free(data);
    if (st != RECIMG_OK) {
        fprintf(stderr, "recimg: %s: %s\n", in, recimg_strerror(st));
        return EXIT_FAIL;
    }
    img.width = rimg.width;
    img.height = rimg.height;
    img.channels = (int)rimg.channels;
    img.source_bit_depth = 8;
    img.pixels = rimg.pixels;
    if (imageio_write(out, &img, err, sizeof err) != 0) {
        fprintf(stderr, "recimg: %s\n", err);
        recimg_free(rimg.pixels);
        return EXIT_FAIL;
    }
    if (stats) {
        json_files(stdout, in, out);
        printf(", \"width\": %u, \"height\": %u, \"channels\": %u, \"bytes\": %zu, \"bpp\": %.6f"
               ", \"decode_ms\": %.3f}\n",
               rimg.width, rimg.height, rimg.channels, size, bpp_of(size, &rimg), ms);
    }
    recimg_free(rimg.pixels);
    return 0;
}

/* ----------------------------------------------------------------- info */

static int cmd_info(int argc, char **argv)
{
    const char *in = NULL;
    int json = 0;
    unsigned long long max_pixels = 0, max_input = RECIMG_DEFAULT_MAX_INPUT_SIZE;
    uint8_t *data = NULL;
    size_t size = 0;
    recimg_info info;
    recimg_status st;
    char err[512];

    for (int i = 1; i < argc; i++) {
        unsigned long long u;
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--max-pixels") || !strcmp(argv[i], "--max-input-size")) {
            if (i + 1 >= argc || parse_limit(argv[i + 1], &u))
                return usage_error("info: %s needs a positive integer", argv[i]);
            if (!strcmp(argv[i], "--max-pixels"))
                max_pixels = u;
            else
                max_input = u;
            i++;
        }
        else if (argv[i][0] == '-' && strcmp(argv[i], "-"))
            return usage_error("info: unknown option '%s'", argv[i]);
        else if (in)
            return usage_error("info: unexpected argument '%s'", argv[i]);
        else
            in = argv[i];
    }
    if (!in)
        return usage_error("info: no input file%s", "");
    if (check_file_name("info", in))
        return EXIT_FAIL;
    if (imageio_read_file(in, max_input > SIZE_MAX ? SIZE_MAX : (size_t)max_input, &data, &size, err,
                          sizeof err) != 0) {
        fprintf(stderr, "recimg: %s\n", err);
        return EXIT_FAIL;
    }
    st = recimg_read_info(data, size, &info);
    free(data);
    /* info reports any well-formed header; with --max-pixels it also applies the limit */
    if (st == RECIMG_OK && max_pixels && (unsigned long long)info.width * info.height > max_pixels)
        st = RECIMG_ERR_LIMIT;
    if (st != RECIMG_OK) {
        fprintf(stderr, "recimg: %s: %s\n", in, recimg_strerror(st));
        return EXIT_FAIL;
    }
    {
        const char *chroma = info.channels == 1 ? "gray" : (info.chroma == RECIMG_CHROMA_420 ? "420" : "444");
        const double bpp = 8.0 * (double)size / ((double)info.width * info.height);
        if (json) {
            printf("{\"file\": ");
            json_string(stdout, in);
            printf(", \"version\": %u, \"width\": %u, \"height\": %u, \"channels\": %u, \"chroma\": \"%s\""
                   ", \"transform\": %u, \"mode\": \"%s\", \"sampler\": \"%s\", \"matrix\": %u"
                   ", \"step\": %.6f, \"chroma_step\": %.6f, \"quality\": %.2f, \"zero_bits\": %.4f, \"seed\": %llu"
                   ", \"flags\": %u, \"prior_id\": %u, \"payload_bytes\": %llu, \"bytes\": %zu, \"bpp\": %.6f, \"crc32\": \"%08x\"}\n",
                   info.version, info.width, info.height, info.channels, chroma, info.transform_id,
                   mode_name(info.mode), sampler_name(info.sampler), info.matrix_id,
                   info.step_code / 1024.0, info.chroma_scale_code / 256.0, info.quality,
                   info.rec_zero_bits, (unsigned long long)info.seed, info.flags, info.prior_id,
                   (unsigned long long)info.payload_size, size, bpp,
                   info.crc32);
        } else {
            printf("%s: .rec version %u\n", in, info.version);
            printf("  size        %u x %u, %s\n", info.width, info.height,
                   info.channels == 1 ? "gray" : (info.chroma == RECIMG_CHROMA_420 ? "YCbCr 4:2:0" : "YCbCr 4:4:4"));
            printf("  transform   %u (%s)\n", info.transform_id, transform_description(info.transform_id));
            printf("  mode        %s, sampler %s", mode_name(info.mode), sampler_name(info.sampler));
            if (info.mode == RECIMG_MODE_REC)
                printf(", zero-bit threshold %.4f bits", info.rec_zero_bits);
            if (info.flags & 0x400u)   /* flags2 (version 2) */
                printf((info.flags & 0x2000u) ? ", deadzone uq (fast rule)" : ", deadzone uq");
            if (info.flags & 0x1000u)
                printf(", private draws in the deadzone cells");
            if (info.flags & 0x800u)
                printf(", deadzone rounding%s", info.flags & 0x4000u ? " (zero-cell draw fit)" : "");
            if (info.flags & 0x02u)
                printf(", far-bin reconstruction");
            if (info.flags & 0x04u)
                printf(", skip-energy table");
            if (info.flags & 0x40u)
                printf(", reconstruction table");
            printf("\n");
            printf("  model       context model v%u (prior id %u)%s%s%s\n", info.prior_id, info.prior_id,
                   info.mode != RECIMG_MODE_REC ? ""
                   : (info.flags & 0x01u) ? ", closed-form bin coder" : ", window bin coder",
                   info.flags & 0x08u ? ", short-chain revision" : "",
                   info.flags & 0x20u ? ", block dither stream" : "");
            printf("  step        %.4f (matrix %u, chroma x%.3f), quality %.2f\n", info.step_code / 1024.0,
                   info.matrix_id, info.chroma_scale_code / 256.0, info.quality);
            printf("  seed        %llu\n", (unsigned long long)info.seed);
            printf("  payload     %llu bytes; file %zu bytes, %.4f bpp; CRC-32 %08x (ok)\n",
                   (unsigned long long)info.payload_size, size, bpp, info.crc32);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_FAIL;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("recimg %s\n", recimg_version_string());
        return 0;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            if (!strcmp(argv[1], "compare") || !strcmp(argv[1], "sim") || !strcmp(argv[1], "rd"))
                break;   /* these print their own help */
            usage(stdout);
            return 0;
        }
    }
    if (!strcmp(argv[1], "compress"))
        return cmd_compress(argc - 1, argv + 1);
    if (!strcmp(argv[1], "decompress"))
        return cmd_decompress(argc - 1, argv + 1);
    if (!strcmp(argv[1], "info"))
        return cmd_info(argc - 1, argv + 1);
    if (!strcmp(argv[1], "compare"))
        return tool_cmd_compare(argc - 1, argv + 1);
#ifdef RECIMG_HAVE_CMD_SIM
    if (!strcmp(argv[1], "sim"))
        return tool_cmd_sim(argc - 1, argv + 1);
#endif
#ifdef RECIMG_HAVE_CMD_TRAIN  /* learned-transform (issue 5) */
    if (!strcmp(argv[1], "train-transform"))
        return tool_cmd_train(argc - 1, argv + 1);
#endif
#ifdef RECIMG_HAVE_CMD_RD
    if (!strcmp(argv[1], "rd"))
        return tool_cmd_rd(argc - 1, argv + 1);
#endif
    return usage_error("unknown command '%s'", argv[1]);
}
