/* tools/cmd_rd.c: `recimg rd`, the rate-distortion-perception benchmark (issue 6).
 *
 * For every image of --images and every codec configuration it finds, per image, the
 * quality that lands closest to each target rate (targets log-spaced over --bpp-range, by
 * bisection on the quality), then decodes with every decode mode of that configuration and
 * records bpp, PSNR (RGB, Y), SSIM, MS-SSIM, the realism measures of docs/METRICS.md, the
 * encode/decode milliseconds and, where Debian's libjxl-devtools is installed, butteraugli
 * and ssimulacra. Because every codec is driven to the same target rates, points with the same
 * index are at matched bpp across codecs (within the bisection tolerance; the actual bpp is
 * recorded and used everywhere).
 *
 * Outputs (OUTDIR): results.csv (one row per image, codec and point), results.json (one
 * CompressAI-style object per codec, mean over images per point), results/<codec>.json
 * (CompressAI's one-codec file), bdrate.md (BD-rate tables), plots/ (gnuplot SVG and PNG),
 * crops/ (centre crops at the middle target rate), notes.txt (skipped configurations and
 * external tool versions), report.html. --shard i/n processes images i, i+n, ... and writes
 * only results.csv, crops/ and notes.txt; --merge combines shard directories and writes
 * everything (notes from the first shard).
 *
 * Codec names: jpeg (libjpeg-turbo, 4:2:0), round-DECODE (the rounding baseline) and
 * rec-SAMPLER-DECODE with DECODE in mmse, center, sample, realism and SAMPLER in lrq, uq,
 * gprs-bnb, gprs, pfr, block. A configuration this build of the codec does not support is
 * skipped with a note.
 */
#define _POSIX_C_SOURCE 200809L

#include "cmd_rd.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "imageio.h"
#include "jpegref.h"
#include "metrics.h"
#include "recimg.h"
#include "tool_args.h"

extern char **environ;

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

#define MAX_CODECS 32
#define MAX_POINTS 16
#define CROP_SIDE 160
#define BPP_TOLERANCE 0.02     /* bisection stops within +-2% of the target */
#define NAME_LEN 128

enum { KIND_JPEG, KIND_ROUND, KIND_REC };

typedef struct {
    char name[48];
    int kind;
    recimg_sampler sampler;
    recimg_decode_mode decode;
    int group;                  /* configurations of one group share their encodes */
    char description[160];
} codec_cfg;

typedef struct {
    int valid;
    char image[NAME_LEN];
    char codec[48];
    int point;
    double target, quality;
    unsigned width, height;
    double bytes, bpp, psnr_rgb, psnr_y, ssim, ms_ssim, dct_w1, swd, enc_ms, dec_ms;
    double butteraugli, butteraugli_3norm, ssimulacra;   /* NaN when not measured */
} rd_row;

typedef struct {
    char butteraugli[256];      /* path, "" when absent */
    char ssimulacra[256];
    char version[64];
} ext_tools;

/* Shared state of one run. */
typedef struct {
    codec_cfg cfg[MAX_CODECS];
    int ncfg, ngroups;
    char **images;              /* paths */
    char **names;               /* sanitized base names */
    int nimages;
    int npoints;
    double targets[MAX_POINTS];
    int crop_point;
    const char *outdir;
    int quiet, progress;
    ext_tools ext;
    rd_row *rows;               /* [image][cfg][point] */
    /* work distribution and bookkeeping, under lock */
    pthread_mutex_t lock;
    pthread_mutex_t codec_lock; /* FFTW planning inside create/free is not thread-safe */
    int next_job, jobs_total, points_done, points_total;
    int failed;
    char fail_msg[1024];
    int group_unsupported[MAX_CODECS];
    char group_note[MAX_CODECS][256];
    int cfg_unsupported[MAX_CODECS];     /* decode mode not available in this build */
    char cfg_note[MAX_CODECS][256];
    char tmpdir[1024];
} rd_run;

/* ---- small utilities ----------------------------------------------------------------- */

/* snprintf through vsnprintf: the same result, but without gcc's truncation guesses on
 * every path built here (all buffers are far larger than any path we accept). */
static int xfmt(char *buf, size_t n, const char *fmt, ...) PRINTF_LIKE(3, 4);

static int xfmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int k;
    va_start(ap, fmt);
    k = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return k;
}

typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (b->oom)
        return;
    va_start(ap, fmt);
    k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
        b->oom = 1;
        return;
    }
    if (b->n + (size_t)k + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 4096;
        char *np;
        while (ncap < b->n + (size_t)k + 1)
            ncap *= 2;
        np = realloc(b->p, ncap);
        if (np == NULL) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)k;
}

static void sb_html(sbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_printf(b, "&amp;"); break;
        case '<': sb_printf(b, "&lt;"); break;
        case '>': sb_printf(b, "&gt;"); break;
        case '"': sb_printf(b, "&quot;"); break;
        default: sb_printf(b, "%c", *s); break;
        }
    }
}

/* Writes a string buffer atomically to dir/name. 0 ok, -1 with a message on stderr. */
static int sb_save(sbuf *b, const char *dir, const char *name)
{
    char path[2048], err[1024];
    if (b->oom) {
        fprintf(stderr, "recimg rd: out of memory building %s\n", name);
        return -1;
    }
    xfmt(path, sizeof(path), "%s/%s", dir, name);
    if (imageio_write_file_atomic(path, b->p != NULL ? b->p : "", b->n, err, sizeof(err)) != 0) {
        fprintf(stderr, "recimg rd: %s\n", err);
        return -1;
    }
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int mkdir_p(const char *path)
{
    char tmp[1024];
    size_t i, n = strlen(path);
    if (n == 0 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == '\0') {
            const char c = tmp[i];
            tmp[i] = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            tmp[i] = c;
        }
    }
    return 0;
}

/* A run that fails before writing anything must not leave the output directory it made:
 * removes OUTDIR/crops and OUTDIR if they are empty (rmdir leaves anything else alone). */
static void remove_empty_outdir(const char *outdir)
{
    char crops[1200];
    xfmt(crops, sizeof(crops), "%s/crops", outdir);
    rmdir(crops);
    rmdir(outdir);
}

static int has_image_ext(const char *name)
{
    static const char *exts[] = {".png", ".jpg", ".jpeg", ".ppm", ".pgm"};
    const size_t n = strlen(name);
    size_t k, i;
    for (k = 0; k < sizeof(exts) / sizeof(exts[0]); k++) {
        const size_t m = strlen(exts[k]);
        if (n <= m)
            continue;
        for (i = 0; i < m; i++)
            if (tolower((unsigned char)name[n - m + i]) != exts[k][i])
                break;
        if (i == m)
            return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Base name without extension, restricted to [A-Za-z0-9._-] (used in file names, CSV, HTML). */
static void sanitize_name(const char *file, char *out, size_t n)
{
    const char *base = strrchr(file, '/');
    size_t i = 0;
    const char *dot;
    base = base != NULL ? base + 1 : file;
    dot = strrchr(base, '.');
    for (; *base && base != dot && i + 1 < n; base++)
        out[i++] = (isalnum((unsigned char)*base) || *base == '-' || *base == '_' || *base == '.')
                       ? *base : '_';
    out[i] = '\0';
}

/* Finds an executable in PATH. */
static int find_in_path(const char *exe, char *out, size_t n)
{
    const char *path = getenv("PATH");
    char buf[4096];
    char *tok, *save = NULL;
    if (path == NULL || strlen(path) >= sizeof(buf))
        return 0;
    strcpy(buf, path);
    for (tok = strtok_r(buf, ":", &save); tok != NULL; tok = strtok_r(NULL, ":", &save)) {
        xfmt(out, n, "%s/%s", tok, exe);
        if (access(out, X_OK) == 0)
            return 1;
    }
    out[0] = '\0';
    return 0;
}

/* Runs argv[0] (a path) with stdout captured into out (NUL-terminated), stderr to
 * /dev/null. Returns the exit status, or -1 if it could not run. */
static int run_capture(char *const argv[], char *out, size_t n)
{
    int fds[2], status = -1;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    size_t got = 0;
    if (pipe(fds) != 0)
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    for (;;) {
        ssize_t k;
        char sink[256];
        if (got + 1 < n)
            k = read(fds[0], out + got, n - 1 - got);
        else
            k = read(fds[0], sink, sizeof(sink));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        if (got + 1 < n)
            got += (size_t)k;
    }
    out[got] = '\0';
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- codec configurations ------------------------------------------------------------ */

static const struct {
    const char *name;
    recimg_sampler s;
    const char *what;
} samplers[] = {
    {"lrq", RECIMG_SAMPLER_LRQ, "layered randomized quantizer (exact Gaussian channel)"},
    {"uq", RECIMG_SAMPLER_UQ, "universal (dithered) quantization (uniform channel)"},
    {"gprs-bnb", RECIMG_SAMPLER_GPRS_BNB, "branch-and-bound GPRS"},
    {"gprs", RECIMG_SAMPLER_GPRS, "global GPRS"},
    {"pfr", RECIMG_SAMPLER_PFR, "Poisson functional representation"},
    {"block", RECIMG_SAMPLER_BLOCK, "fixed-budget block simulator (approximate)"},
};

static const struct {
    const char *name;
    recimg_decode_mode d;
} decodes[] = {
    {"mmse", RECIMG_DECODE_MMSE},
    {"center", RECIMG_DECODE_CENTER},
    {"sample", RECIMG_DECODE_SAMPLE},
    {"realism", RECIMG_DECODE_REALISM},
};

static const char *default_codecs =
    "jpeg,round-mmse,round-realism,rec-lrq-mmse,rec-lrq-realism,rec-uq-mmse,rec-uq-realism,"
    "rec-gprs-bnb-mmse,rec-gprs-bnb-realism";

/* Parses one codec name into c (group not set). 0 ok, -1 unknown. */
static int parse_codec(const char *name, codec_cfg *c)
{
    size_t k;
    memset(c, 0, sizeof(*c));
    if (strlen(name) >= sizeof(c->name))
        return -1;
    strcpy(c->name, name);
    if (strcmp(name, "jpeg") == 0) {
        c->kind = KIND_JPEG;
        xfmt(c->description, sizeof(c->description),
                 "libjpeg-turbo %s, baseline, 4:2:0, standard Huffman tables", "(TurboJPEG API)");
        return 0;
    }
    if (strncmp(name, "round-", 6) == 0) {
        c->kind = KIND_ROUND;
        c->sampler = RECIMG_SAMPLER_NONE;
        for (k = 0; k < sizeof(decodes) / sizeof(decodes[0]); k++)
            if (strcmp(name + 6, decodes[k].name) == 0) {
                c->decode = decodes[k].d;
                xfmt(c->description, sizeof(c->description),
                         "recimg rounding baseline, %s decoding", decodes[k].name);
                return 0;
            }
        return -1;
    }
    if (strncmp(name, "rec-", 4) == 0) {
        const char *dash = strrchr(name, '-');
        size_t slen;
        if (dash == NULL || dash <= name + 4)
            return -1;
        slen = (size_t)(dash - (name + 4));
        c->kind = KIND_REC;
        for (k = 0; k < sizeof(samplers) / sizeof(samplers[0]); k++)
            if (strlen(samplers[k].name) == slen && strncmp(name + 4, samplers[k].name, slen) == 0)
                break;
        if (k == sizeof(samplers) / sizeof(samplers[0]))
            return -1;
        c->sampler = samplers[k].s;
        {
            const size_t si = k;
            for (k = 0; k < sizeof(decodes) / sizeof(decodes[0]); k++)
                if (strcmp(dash + 1, decodes[k].name) == 0) {
                    c->decode = decodes[k].d;
                    xfmt(c->description, sizeof(c->description), "recimg REC, %s, %s decoding",
                             samplers[si].what, decodes[k].name);
                    return 0;
                }
        }
        return -1;
    }
    return -1;
}

/* Parses the comma-separated list and assigns groups. 0 ok, -1 with a message. */
static int parse_codec_list(const char *list, rd_run *run)
{
    char buf[1024];
    char *tok, *save = NULL;
    int i, j;
    if (strlen(list) >= sizeof(buf)) {
        fprintf(stderr, "recimg rd: --codecs list too long\n");
        return -1;
    }
    strcpy(buf, list);
    run->ncfg = 0;
    for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        if (run->ncfg == MAX_CODECS) {
            fprintf(stderr, "recimg rd: at most %d codecs\n", MAX_CODECS);
            return -1;
        }
        if (parse_codec(tok, &run->cfg[run->ncfg]) != 0) {
            fprintf(stderr, "recimg rd: unknown codec '%s' (jpeg, round-DECODE, "
                            "rec-SAMPLER-DECODE with DECODE mmse, center, sample, realism and "
                            "SAMPLER lrq, uq, gprs-bnb, gprs, pfr, block)\n", tok);
            return -1;
        }
        for (j = 0; j < run->ncfg; j++)
            if (strcmp(run->cfg[j].name, tok) == 0) {
                fprintf(stderr, "recimg rd: codec '%s' listed twice\n", tok);
                return -1;
            }
        run->ncfg++;
    }
    if (run->ncfg == 0) {
        fprintf(stderr, "recimg rd: --codecs is empty\n");
        return -1;
    }
    run->ngroups = 0;
    for (i = 0; i < run->ncfg; i++) {
        run->cfg[i].group = -1;
        for (j = 0; j < i; j++)
            if (run->cfg[j].kind == run->cfg[i].kind && run->cfg[j].sampler == run->cfg[i].sampler) {
                run->cfg[i].group = run->cfg[j].group;
                break;
            }
        if (run->cfg[i].group < 0)
            run->cfg[i].group = run->ngroups++;
    }
    return 0;
}

/* ---- encoding at a target rate ------------------------------------------------------- */

/* One encoder for a group: either recimg or libjpeg-turbo. */
typedef struct {
    int kind;
    recimg_encoder *enc;
    const imageio_image *img;
    recimg_image rimg;
} group_encoder;

/* Encodes at quality q. Returns 0 and the buffer (free with free_buf), -1 on failure. */
static int encode_at(group_encoder *g, double q, uint8_t **buf, size_t *size, double *ms,
                     char *err, size_t err_size)
{
    const double t0 = now_ms();
    *buf = NULL;
    *size = 0;
    if (g->kind == KIND_JPEG) {
        if (tool_jpeg_encode(g->img, (int)q, 420, buf, size, err, err_size) != 0)
            return -1;
    } else {
        recimg_status st = recimg_encoder_set_quality(g->enc, q);
        if (st == RECIMG_OK)
            st = recimg_encode(g->enc, &g->rimg, buf, size, NULL);
        if (st != RECIMG_OK) {
            xfmt(err, err_size, "encode: %s", recimg_strerror(st));
            return -1;
        }
    }
    *ms = now_ms() - t0;
    return 0;
}

static void free_buf(const group_encoder *g, uint8_t *buf)
{
    if (g->kind == KIND_JPEG)
        free(buf);
    else
        recimg_free(buf);
}

static double bpp_of(size_t bytes, const imageio_image *img)
{
    return 8.0 * (double)bytes / ((double)img->width * img->height);
}

/* Finds the quality whose rate is closest (in log ratio) to target; lo is a lower bound
 * for the quality (the previous point's). 0 ok, -1 on an encode failure. */
static int find_quality(group_encoder *g, double target, double qmin, double qmax, double lo,
                        double *q_out, char *err, size_t err_size)
{
    double hi = qmax, best_q = lo, best_d = HUGE_VAL;
    int it;
    const int integer = g->kind == KIND_JPEG;
    const int iters = integer ? 8 : 16;
    (void)qmin;
    for (it = 0; it < iters; it++) {
        double mid = it == 0 ? lo : it == 1 ? hi : 0.5 * (lo + hi), ms, b, d;
        uint8_t *buf;
        size_t size;
        if (integer)
            mid = floor(mid + 0.5);
        if (encode_at(g, mid, &buf, &size, &ms, err, err_size) != 0)
            return -1;
        free_buf(g, buf);
        b = bpp_of(size, g->img);
        d = fabs(log(b / target));
        if (d < best_d) {
            best_d = d;
            best_q = mid;
        }
        if (d < log1p(BPP_TOLERANCE))
            break;
        if (it == 0 && b >= target)
            break;   /* even the lowest quality is above the target */
        if (it == 1 && b <= target)
            break;   /* even the highest quality is below the target */
        if (it >= 2) {
            if (b < target)
                lo = mid;
            else
                hi = mid;
            if (integer && hi - lo <= 1.0)
                break;
        }
    }
    if (integer && hi - lo <= 1.0 && iters > 0) {
        /* integer qualities: check both neighbours of the crossing */
        const double cands[2] = {lo, hi};
        int k;
        for (k = 0; k < 2; k++) {
            double ms, d;
            uint8_t *buf;
            size_t size;
            if (encode_at(g, cands[k], &buf, &size, &ms, err, err_size) != 0)
                return -1;
            free_buf(g, buf);
            d = fabs(log(bpp_of(size, g->img) / target));
            if (d < best_d) {
                best_d = d;
                best_q = cands[k];
            }
        }
    }
    *q_out = best_q;
    return 0;
}

/* ---- measuring one decoded image ----------------------------------------------------- */

static double parse_first_double(const char *s)
{
    char *end;
    double v;
    while (*s && !(isdigit((unsigned char)*s) || *s == '-' || *s == '.'))
        s++;
    v = strtod(s, &end);
    return end == s ? (double)NAN : v;
}

static void external_scores(rd_run *run, const char *ref_png, const imageio_image *dec,
                            const char *tag, rd_row *row)
{
    char path[1200], out[512], err[512];
    row->butteraugli = row->butteraugli_3norm = row->ssimulacra = (double)NAN;
    if (run->ext.butteraugli[0] == '\0' && run->ext.ssimulacra[0] == '\0')
        return;
    xfmt(path, sizeof(path), "%s/%s.png", run->tmpdir, tag);
    if (imageio_write(path, dec, err, sizeof(err)) != 0)
        return;
    if (run->ext.butteraugli[0] != '\0') {
        char *argv[] = {run->ext.butteraugli, (char *)(uintptr_t)ref_png, path, NULL};
        if (run_capture(argv, out, sizeof(out)) == 0) {
            const char *n3 = strstr(out, "3-norm:");
            row->butteraugli = parse_first_double(out);
            if (n3 != NULL)
                row->butteraugli_3norm = parse_first_double(n3 + 7);
        }
    }
    if (run->ext.ssimulacra[0] != '\0') {
        char *argv[] = {run->ext.ssimulacra, (char *)(uintptr_t)ref_png, path, NULL};
        if (run_capture(argv, out, sizeof(out)) == 0)
            row->ssimulacra = parse_first_double(out);
    }
    unlink(path);
}

static int save_crop(rd_run *run, const imageio_image *img, const char *image, const char *what)
{
    imageio_image c;
    const uint32_t cw = img->width < CROP_SIDE ? img->width : CROP_SIDE;
    const uint32_t ch = img->height < CROP_SIDE ? img->height : CROP_SIDE;
    const uint32_t x0 = (img->width - cw) / 2, y0 = (img->height - ch) / 2;
    char path[2048], err[1024];
    uint32_t y;
    int rc;
    if (imageio_image_alloc(&c, cw, ch, img->channels) != 0)
        return -1;
    for (y = 0; y < ch; y++)
        memcpy(c.pixels + (size_t)y * cw * (size_t)img->channels,
               img->pixels + (((size_t)(y0 + y) * img->width) + x0) * (size_t)img->channels,
               (size_t)cw * (size_t)img->channels);
    xfmt(path, sizeof(path), "%s/crops/%s__%s.png", run->outdir, image, what);
    rc = imageio_write(path, &c, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "recimg rd: %s\n", err);
    imageio_image_free(&c);
    return rc;
}

static void fail_run(rd_run *run, const char *msg)
{
    pthread_mutex_lock(&run->lock);
    if (!run->failed) {
        run->failed = 1;
        xfmt(run->fail_msg, sizeof(run->fail_msg), "%s", msg);
    }
    pthread_mutex_unlock(&run->lock);
}

static void progress_tick(rd_run *run)
{
    pthread_mutex_lock(&run->lock);
    run->points_done++;
    if (run->progress) {
        const int width = 40;
        const int filled = run->points_total ? width * run->points_done / run->points_total : width;
        int i;
        fputc('\r', stderr);
        fputc('[', stderr);
        for (i = 0; i < width; i++)
            fputc(i < filled ? '#' : '.', stderr);
        fprintf(stderr, "] %d/%d points", run->points_done, run->points_total);
        if (run->points_done == run->points_total)
            fputc('\n', stderr);
        fflush(stderr);
    }
    pthread_mutex_unlock(&run->lock);
}

/* One job: image i, group gi. */
static void run_job(rd_run *run, int i, int gi)
{
    imageio_image img;
    group_encoder g;
    char err[1024], ref_png[1200], tag[256];
    double qmin = 1, qmax = 100, qlo;
    int first = -1, c, k, ncfg_in_group = 0;

    for (c = 0; c < run->ncfg; c++)
        if (run->cfg[c].group == gi) {
            if (first < 0)
                first = c;
            ncfg_in_group++;
        }
    if (imageio_read(run->images[i], IMAGEIO_ALPHA_REFUSE, &img, err, sizeof(err)) != 0) {
        fail_run(run, err);
        return;
    }
    memset(&g, 0, sizeof(g));
    g.kind = run->cfg[first].kind;
    g.img = &img;
    g.rimg.width = img.width;
    g.rimg.height = img.height;
    g.rimg.channels = (uint32_t)img.channels;
    g.rimg.pixels = img.pixels;
    if (g.kind != KIND_JPEG) {
        recimg_encoder_params p;
        recimg_status st;
        recimg_encoder_params_default(&p);
        p.mode = g.kind == KIND_REC ? RECIMG_MODE_REC : RECIMG_MODE_ROUND;
        p.sampler = run->cfg[first].sampler;
        p.threads = 1;
        pthread_mutex_lock(&run->codec_lock);
        st = recimg_encoder_create(&p, &g.enc);
        pthread_mutex_unlock(&run->codec_lock);
        if (st != RECIMG_OK) {
            pthread_mutex_lock(&run->lock);
            run->group_unsupported[gi] = 1;
            xfmt(run->group_note[gi], sizeof(run->group_note[gi]),
                     "encoder not available in this build: %s", recimg_strerror(st));
            pthread_mutex_unlock(&run->lock);
            imageio_image_free(&img);
            for (k = 0; k < run->npoints; k++)
                progress_tick(run);
            return;
        }
        recimg_quality_range(&qmin, &qmax);
    }
    xfmt(ref_png, sizeof(ref_png), "%s/%s__ref.png", run->tmpdir, run->names[i]);
    if (run->ext.butteraugli[0] || run->ext.ssimulacra[0]) {
        /* each job writes its own copy of the reference (jobs run concurrently) */
        xfmt(ref_png, sizeof(ref_png), "%s/%s__ref_g%d.png", run->tmpdir, run->names[i], gi);
        if (imageio_write(ref_png, &img, err, sizeof(err)) != 0) {
            fail_run(run, err);
            goto done;
        }
    }
    if (gi == run->cfg[0].group && save_crop(run, &img, run->names[i], "original") != 0) {
        fail_run(run, "cannot write a crop");
        goto done;
    }

    qlo = qmin;
    for (k = 0; k < run->npoints && !run->failed; k++) {
        double q, enc_ms;
        uint8_t *buf = NULL;
        size_t size = 0;
        if (find_quality(&g, run->targets[k], qmin, qmax, qlo, &q, err, sizeof(err)) != 0 ||
            encode_at(&g, q, &buf, &size, &enc_ms, err, sizeof(err)) != 0) {
            char msg[1400];
            xfmt(msg, sizeof(msg), "%s: %s: %s", run->images[i], run->cfg[first].name, err);
            fail_run(run, msg);
            break;
        }
        qlo = q;
        for (c = 0; c < run->ncfg; c++) {
            rd_row *row;
            imageio_image dec;
            metrics_result m;
            metrics_realism_result r;
            double t0, dec_ms = 0.0;
            if (run->cfg[c].group != gi || run->cfg_unsupported[c])
                continue;
            row = &run->rows[((size_t)i * (size_t)run->ncfg + (size_t)c) * (size_t)run->npoints + (size_t)k];
            memset(&dec, 0, sizeof(dec));
            t0 = now_ms();
            if (g.kind == KIND_JPEG) {
                if (tool_jpeg_decode(buf, size, &dec, err, sizeof(err)) != 0) {
                    fail_run(run, err);
                    break;
                }
            } else {
                recimg_decoder_params dp;
                recimg_decoder *d = NULL;
                recimg_image out;
                recimg_status st;
                recimg_decoder_params_default(&dp);
                dp.decode = run->cfg[c].decode;
                dp.realism = 1.0;
                dp.private_seed = 1;
                dp.threads = 1;
                pthread_mutex_lock(&run->codec_lock);
                st = recimg_decoder_create(&dp, &d);
                pthread_mutex_unlock(&run->codec_lock);
                t0 = now_ms();
                if (st == RECIMG_OK)
                    st = recimg_decode(d, buf, size, &out);
                dec_ms = now_ms() - t0;
                pthread_mutex_lock(&run->codec_lock);
                recimg_decoder_free(d);
                pthread_mutex_unlock(&run->codec_lock);
                if (st == RECIMG_ERR_UNSUPPORTED) {
                    /* a decode mode this build lacks: skip the configuration, note why */
                    pthread_mutex_lock(&run->lock);
                    run->cfg_unsupported[c] = 1;
                    xfmt(run->cfg_note[c], sizeof(run->cfg_note[c]),
                         "decoder not available in this build: %s", recimg_strerror(st));
                    pthread_mutex_unlock(&run->lock);
                    continue;
                }
                if (st != RECIMG_OK) {
                    char msg[1400];
                    xfmt(msg, sizeof(msg), "%s: %s: decode: %s", run->images[i],
                             run->cfg[c].name, recimg_strerror(st));
                    fail_run(run, msg);
                    break;
                }
                /* move into an imageio_image (malloc'd copy; recimg_free owns out) */
                if (imageio_image_alloc(&dec, out.width, out.height, (int)out.channels) != 0) {
                    recimg_free(out.pixels);
                    fail_run(run, "out of memory");
                    break;
                }
                memcpy(dec.pixels, out.pixels, (size_t)out.width * out.height * out.channels);
                recimg_free(out.pixels);
            }
            if (g.kind == KIND_JPEG)
                dec_ms = now_ms() - t0;
            if (metrics_compare(&img, &dec, &m) != 0 || metrics_realism(&img, &dec, &r) != 0) {
                char msg[1400];
                xfmt(msg, sizeof(msg), "%s: %s: decoded image does not match the input "
                                           "(size or channels) or out of memory",
                         run->images[i], run->cfg[c].name);
                imageio_image_free(&dec);
                fail_run(run, msg);
                break;
            }
            row->valid = 1;
            xfmt(row->image, sizeof(row->image), "%s", run->names[i]);
            xfmt(row->codec, sizeof(row->codec), "%s", run->cfg[c].name);
            row->point = k;
            row->target = run->targets[k];
            row->quality = q;
            row->width = img.width;
            row->height = img.height;
            row->bytes = (double)size;
            row->bpp = bpp_of(size, &img);
            row->psnr_rgb = m.psnr_rgb;
            row->psnr_y = m.psnr_y;
            row->ssim = m.ssim;
            row->ms_ssim = m.ms_ssim;
            row->dct_w1 = r.dct_w1;
            row->swd = r.swd;
            row->enc_ms = enc_ms;
            row->dec_ms = dec_ms;
            xfmt(tag, sizeof(tag), "%s__%s__%d", run->names[i], run->cfg[c].name, k);
            external_scores(run, ref_png, &dec, tag, row);
            if (k == run->crop_point && save_crop(run, &dec, run->names[i], run->cfg[c].name) != 0)
                fail_run(run, "cannot write a crop");
            imageio_image_free(&dec);
        }
        free_buf(&g, buf);
        progress_tick(run);
    }
done:
    if (run->ext.butteraugli[0] || run->ext.ssimulacra[0])
        unlink(ref_png);
    if (g.enc != NULL) {
        pthread_mutex_lock(&run->codec_lock);
        recimg_encoder_free(g.enc);
        pthread_mutex_unlock(&run->codec_lock);
    }
    imageio_image_free(&img);
    (void)ncfg_in_group;
}

static void *worker(void *arg)
{
    rd_run *run = arg;
    for (;;) {
        int job;
        pthread_mutex_lock(&run->lock);
        job = run->failed ? run->jobs_total : run->next_job++;
        pthread_mutex_unlock(&run->lock);
        if (job >= run->jobs_total)
            break;
        run_job(run, job / run->ngroups, job % run->ngroups);
    }
    return NULL;
}

/* ---- CSV ------------------------------------------------------------------------------ */

static const char *csv_header =
    "image,codec,point,target_bpp,quality,width,height,bytes,bpp,psnr_rgb,psnr_y,ssim,ms_ssim,"
    "dct_w1,swd,encode_ms,decode_ms,butteraugli,butteraugli_3norm,ssimulacra\n";

static void csv_num(sbuf *b, double v, int decimals)
{
    if (isnan(v))
        sb_printf(b, ",");
    else if (isinf(v))
        sb_printf(b, ",inf");
    else
        sb_printf(b, ",%.*f", decimals, v);
}

static void csv_row(sbuf *b, const rd_row *r)
{
    sb_printf(b, "%s,%s,%d", r->image, r->codec, r->point);
    csv_num(b, r->target, 6);
    csv_num(b, r->quality, 4);
    sb_printf(b, ",%u,%u,%.0f", r->width, r->height, r->bytes);
    csv_num(b, r->bpp, 6);
    csv_num(b, r->psnr_rgb, 6);
    csv_num(b, r->psnr_y, 6);
    csv_num(b, r->ssim, 6);
    csv_num(b, r->ms_ssim, 6);
    csv_num(b, r->dct_w1, 6);
    csv_num(b, r->swd, 6);
    csv_num(b, r->enc_ms, 3);
    csv_num(b, r->dec_ms, 3);
    csv_num(b, r->butteraugli, 6);
    csv_num(b, r->butteraugli_3norm, 6);
    csv_num(b, r->ssimulacra, 6);
    sb_printf(b, "\n");
}

static double csv_field_num(const char *s)
{
    char *end;
    double v;
    if (*s == '\0')
        return (double)NAN;
    if (strcmp(s, "inf") == 0)
        return HUGE_VAL;
    v = strtod(s, &end);
    return end == s ? (double)NAN : v;
}

/* Appends the rows of dir/results.csv to *rows. 0 ok, -1 with a message. */
static int csv_read(const char *dir, rd_row **rows, size_t *n, size_t *cap)
{
    char path[2048], err[1024];
    uint8_t *data;
    size_t size, pos = 0;
    int line_no = 0;
    xfmt(path, sizeof(path), "%s/results.csv", dir);
    if (imageio_read_file(path, (size_t)1 << 30, &data, &size, err, sizeof(err)) != 0) {
        fprintf(stderr, "recimg rd: %s\n", err);
        return -1;
    }
    while (pos < size) {
        char line[4096];
        char *fields[24];
        size_t len = 0;
        int nf = 0;
        char *p;
        rd_row r;
        while (pos < size && data[pos] != '\n' && len + 1 < sizeof(line))
            line[len++] = (char)data[pos++];
        while (pos < size && data[pos] != '\n')
            pos++;   /* overlong line: truncated, rejected below */
        pos++;
        line[len] = '\0';
        line_no++;
        if (line_no == 1) {
            if (strncmp(line, "image,codec,point,", 18) != 0) {
                fprintf(stderr, "recimg rd: %s: not a recimg rd results.csv\n", path);
                free(data);
                return -1;
            }
            continue;
        }
        if (len == 0)
            continue;
        fields[nf++] = line;
        for (p = line; *p && nf < 24; p++)
            if (*p == ',') {
                *p = '\0';
                fields[nf++] = p + 1;
            }
        if (nf != 20) {
            fprintf(stderr, "recimg rd: %s:%d: expected 20 fields, found %d\n", path, line_no, nf);
            free(data);
            return -1;
        }
        memset(&r, 0, sizeof(r));
        r.valid = 1;
        xfmt(r.image, sizeof(r.image), "%s", fields[0]);
        xfmt(r.codec, sizeof(r.codec), "%s", fields[1]);
        r.point = atoi(fields[2]);
        r.target = csv_field_num(fields[3]);
        r.quality = csv_field_num(fields[4]);
        r.width = (unsigned)atol(fields[5]);
        r.height = (unsigned)atol(fields[6]);
        r.bytes = csv_field_num(fields[7]);
        r.bpp = csv_field_num(fields[8]);
        r.psnr_rgb = csv_field_num(fields[9]);
        r.psnr_y = csv_field_num(fields[10]);
        r.ssim = csv_field_num(fields[11]);
        r.ms_ssim = csv_field_num(fields[12]);
        r.dct_w1 = csv_field_num(fields[13]);
        r.swd = csv_field_num(fields[14]);
        r.enc_ms = csv_field_num(fields[15]);
        r.dec_ms = csv_field_num(fields[16]);
        r.butteraugli = csv_field_num(fields[17]);
        r.butteraugli_3norm = csv_field_num(fields[18]);
        r.ssimulacra = csv_field_num(fields[19]);
        if (r.point < 0 || r.point >= MAX_POINTS) {
            fprintf(stderr, "recimg rd: %s:%d: bad point index\n", path, line_no);
            free(data);
            return -1;
        }
        if (*n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 256;
            rd_row *nr = realloc(*rows, ncap * sizeof(rd_row));
            if (nr == NULL) {
                free(data);
                fprintf(stderr, "recimg rd: out of memory\n");
                return -1;
            }
            *rows = nr;
            *cap = ncap;
        }
        (*rows)[(*n)++] = r;
    }
    free(data);
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    const rd_row *x = a, *y = b;
    int c = strcmp(x->image, y->image);
    if (c == 0)
        c = strcmp(x->codec, y->codec);
    if (c == 0)
        c = (x->point > y->point) - (x->point < y->point);
    return c;
}

static int write_csv(const char *outdir, rd_row *rows, size_t n)
{
    sbuf b = {0};
    size_t i;
    int rc;
    qsort(rows, n, sizeof(rd_row), cmp_row);
    sb_printf(&b, "%s", csv_header);
    for (i = 0; i < n; i++)
        if (rows[i].valid)
            csv_row(&b, &rows[i]);
    rc = sb_save(&b, outdir, "results.csv");
    free(b.p);
    return rc;
}

/* ---- aggregation and reports --------------------------------------------------------- */

/* Mean curve of one codec: points where every image has a row. */
typedef struct {
    char name[48];
    char description[160];
    int npts;
    int point[MAX_POINTS];
    double bpp[MAX_POINTS], psnr[MAX_POINTS], psnr_y[MAX_POINTS], ssim[MAX_POINTS],
        msssim[MAX_POINTS], dct_w1[MAX_POINTS], swd[MAX_POINTS], enc_ms[MAX_POINTS],
        dec_ms[MAX_POINTS], butter[MAX_POINTS], butter3[MAX_POINTS], ssimu[MAX_POINTS];
    double mpix;                /* mean megapixels per image (for ms/Mpx) */
} curve;

static double msssim_db(double v)
{
    return v >= 1.0 ? HUGE_VAL : -10.0 * log10(1.0 - v);
}

/* Distinct image names in rows (sorted rows assumed). */
static int count_images(const rd_row *rows, size_t n, char names[][NAME_LEN], int max)
{
    int k = 0, j;
    size_t i;
    for (i = 0; i < n; i++) {
        for (j = 0; j < k; j++)
            if (strcmp(names[j], rows[i].image) == 0)
                break;
        if (j == k && k < max)
            xfmt(names[k++], NAME_LEN, "%s", rows[i].image);
    }
    return k;
}

static void build_curve(const rd_row *rows, size_t n, const char *codec, int nimages, curve *cv)
{
    int p;
    size_t i;
    memset(cv, 0, sizeof(*cv));
    xfmt(cv->name, sizeof(cv->name), "%s", codec);
    {
        codec_cfg c;
        if (parse_codec(codec, &c) == 0)
            xfmt(cv->description, sizeof(cv->description), "%s", c.description);
    }
    for (p = 0; p < MAX_POINTS; p++) {
        int cnt = 0, nb = 0, nb3 = 0, ns = 0;
        double s[12] = {0}, mp = 0;
        for (i = 0; i < n; i++) {
            const rd_row *r = &rows[i];
            if (r->point != p || strcmp(r->codec, codec) != 0)
                continue;
            cnt++;
            s[0] += r->bpp;
            s[1] += r->psnr_rgb;
            s[2] += r->psnr_y;
            s[3] += r->ssim;
            s[4] += r->ms_ssim;
            s[5] += r->dct_w1;
            s[6] += r->swd;
            s[7] += r->enc_ms;
            s[8] += r->dec_ms;
            mp += (double)r->width * r->height / 1e6;
            if (!isnan(r->butteraugli)) {
                s[9] += r->butteraugli;
                nb++;
            }
            if (!isnan(r->butteraugli_3norm)) {
                s[10] += r->butteraugli_3norm;
                nb3++;
            }
            if (!isnan(r->ssimulacra)) {
                s[11] += r->ssimulacra;
                ns++;
            }
        }
        if (cnt == 0 || cnt != nimages)
            continue;
        cv->point[cv->npts] = p;
        cv->bpp[cv->npts] = s[0] / cnt;
        cv->psnr[cv->npts] = s[1] / cnt;
        cv->psnr_y[cv->npts] = s[2] / cnt;
        cv->ssim[cv->npts] = s[3] / cnt;
        cv->msssim[cv->npts] = s[4] / cnt;
        cv->dct_w1[cv->npts] = s[5] / cnt;
        cv->swd[cv->npts] = s[6] / cnt;
        cv->enc_ms[cv->npts] = s[7] / cnt;
        cv->dec_ms[cv->npts] = s[8] / cnt;
        cv->butter[cv->npts] = nb == cnt ? s[9] / cnt : (double)NAN;
        cv->butter3[cv->npts] = nb3 == cnt ? s[10] / cnt : (double)NAN;
        cv->ssimu[cv->npts] = ns == cnt ? s[11] / cnt : (double)NAN;
        cv->mpix = mp / cnt;
        cv->npts++;
    }
}

static void json_array(sbuf *b, const char *key, const double *v, int n, int comma)
{
    int i;
    sb_printf(b, "      \"%s\": [", key);
    for (i = 0; i < n; i++) {
        if (isfinite(v[i]))
            sb_printf(b, "%s%.6f", i ? ", " : "", v[i]);
        else
            sb_printf(b, "%snull", i ? ", " : "");
    }
    sb_printf(b, "]%s\n", comma ? "," : "");
}

static void json_codec(sbuf *b, const curve *cv)
{
    double msdb[MAX_POINTS];
    int i, has_b = cv->npts > 0, has_s = cv->npts > 0;
    for (i = 0; i < cv->npts; i++) {
        msdb[i] = msssim_db(cv->msssim[i]);
        has_b &= !isnan(cv->butter[i]);
        has_s &= !isnan(cv->ssimu[i]);
    }
    sb_printf(b, "  {\n    \"name\": \"%s\",\n    \"description\": \"%s\",\n    \"results\": {\n",
              cv->name, cv->description);
    json_array(b, "bpp", cv->bpp, cv->npts, 1);
    json_array(b, "psnr-rgb", cv->psnr, cv->npts, 1);
    json_array(b, "psnr-y", cv->psnr_y, cv->npts, 1);
    json_array(b, "ssim", cv->ssim, cv->npts, 1);
    json_array(b, "ms-ssim", cv->msssim, cv->npts, 1);
    json_array(b, "ms-ssim-db", msdb, cv->npts, 1);
    json_array(b, "dct-w1", cv->dct_w1, cv->npts, 1);
    json_array(b, "swd", cv->swd, cv->npts, 1);
    if (has_b) {
        json_array(b, "butteraugli", cv->butter, cv->npts, 1);
        json_array(b, "butteraugli-3norm", cv->butter3, cv->npts, 1);
    }
    if (has_s)
        json_array(b, "ssimulacra", cv->ssimu, cv->npts, 1);
    json_array(b, "encoding_time", cv->enc_ms, cv->npts, 1);   /* ms per image */
    json_array(b, "decoding_time", cv->dec_ms, cv->npts, 0);
    sb_printf(b, "    }\n  }");
}

/* Quality axis of a mean curve point: 0 PSNR-RGB, 1 MS-SSIM in dB, 2 and 3 the realism
 * measures as -10 log10(dct_w1) and -10 log10(swd) (they fall towards 0 as rate grows; in
 * this form they rise, so BD-rate gives the rate difference at matched realism). */
static double bd_axis(const curve *c, int i, int which)
{
    switch (which) {
    case 0: return c->psnr[i];
    case 1: return msssim_db(c->msssim[i]);
    case 2: return c->dct_w1[i] > 0 ? -10.0 * log10(c->dct_w1[i]) : HUGE_VAL;
    default: return c->swd[i] > 0 ? -10.0 * log10(c->swd[i]) : HUGE_VAL;
    }
}

/* BD-rate of b against a on the mean curves along axis `which` (bd_axis). */
static int bd_of(const curve *a, const curve *b, int which, double *pct)
{
    double qa[MAX_POINTS], qb[MAX_POINTS];
    int i;
    for (i = 0; i < a->npts; i++)
        qa[i] = bd_axis(a, i, which);
    for (i = 0; i < b->npts; i++)
        qb[i] = bd_axis(b, i, which);
    return metrics_bd_rate(a->bpp, qa, (size_t)a->npts, b->bpp, qb, (size_t)b->npts, pct);
}

/* Mean over images of the per-image BD-rate (PSNR-RGB) of codec b against codec a. */
static int bd_per_image(const rd_row *rows, size_t n, const char *a, const char *b,
                        char names[][NAME_LEN], int nimages, double *mean, int *count)
{
    int im;
    double sum = 0;
    *count = 0;
    for (im = 0; im < nimages; im++) {
        double ra[MAX_POINTS], qa[MAX_POINTS], rb[MAX_POINTS], qb[MAX_POINTS], pct;
        size_t na = 0, nb = 0, i;
        for (i = 0; i < n; i++) {
            if (strcmp(rows[i].image, names[im]) != 0)
                continue;
            if (strcmp(rows[i].codec, a) == 0 && na < MAX_POINTS) {
                ra[na] = rows[i].bpp;
                qa[na++] = rows[i].psnr_rgb;
            } else if (strcmp(rows[i].codec, b) == 0 && nb < MAX_POINTS) {
                rb[nb] = rows[i].bpp;
                qb[nb++] = rows[i].psnr_rgb;
            }
        }
        if (metrics_bd_rate(ra, qa, na, rb, qb, nb, &pct) == 0) {
            sum += pct;
            (*count)++;
        }
    }
    if (*count == 0)
        return -1;
    *mean = sum / *count;
    return 0;
}

static void bd_tables(sbuf *md, sbuf *html, const curve *cv, int ncv, const rd_row *rows,
                      size_t n, char names[][NAME_LEN], int nimages)
{
    /* rounding with MMSE decoding (the baseline), rounding with realism decoding (REC's
     * counterpart at matched realism), and libjpeg-turbo */
    static const char *anchors[] = {"round-mmse", "round-realism", "jpeg"};
    size_t a;
    int i;
    for (a = 0; a < sizeof(anchors) / sizeof(anchors[0]); a++) {
        const curve *anchor = NULL;
        for (i = 0; i < ncv; i++)
            if (strcmp(cv[i].name, anchors[a]) == 0)
                anchor = &cv[i];
        if (anchor == NULL)
            continue;
        sb_printf(md, "\n## BD-rate against %s (negative = fewer bits)\n\n", anchors[a]);
        sb_printf(md, "| codec | PSNR-RGB | MS-SSIM (dB) | dct_w1 (matched realism) | swd "
                      "(matched realism) | mean of per-image PSNR-RGB (images) |\n"
                      "|---|---|---|---|---|---|\n");
        sb_printf(html, "<h3>BD-rate against %s</h3>\n<table><tr><th>codec</th><th>PSNR-RGB</th>"
                        "<th>MS-SSIM (dB)</th><th>dct_w1 (matched realism)</th><th>swd (matched "
                        "realism)</th><th>mean per-image PSNR-RGB</th></tr>\n", anchors[a]);
        for (i = 0; i < ncv; i++) {
            double p, pm;
            int cnt, w;
            char sv[4][32], sm[48] = "n/a";
            if (&cv[i] == anchor)
                continue;
            for (w = 0; w < 4; w++) {
                if (bd_of(anchor, &cv[i], w, &p) == 0)
                    xfmt(sv[w], sizeof(sv[w]), "%+.2f%%", p);
                else
                    xfmt(sv[w], sizeof(sv[w]), "n/a");
            }
            if (bd_per_image(rows, n, anchor->name, cv[i].name, names, nimages, &pm, &cnt) == 0)
                xfmt(sm, sizeof(sm), "%+.2f%% (%d)", pm, cnt);
            sb_printf(md, "| %s | %s | %s | %s | %s | %s |\n", cv[i].name, sv[0], sv[1], sv[2],
                      sv[3], sm);
            sb_printf(html, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s"
                            "</td></tr>\n", cv[i].name, sv[0], sv[1], sv[2], sv[3], sm);
        }
        sb_printf(html, "</table>\n");
    }
    sb_printf(md, "\nBD-rate: Bjontegaard, cubic fit of ln(rate) against quality, integrated over "
                  "the overlap (docs/METRICS.md); columns are mean curves over the images, the "
                  "last one the mean of per-image BD-rates. For dct_w1 and swd the quality axis "
                  "is -10 log10(measure), so the value is the rate difference at matched "
                  "realism. n/a: fewer than 4 points, quality not rising strictly with rate, or "
                  "no overlap.\n");
}

/* Writes plot data and a gnuplot script, runs gnuplot. Returns 1 if plots were made, 0 if
 * gnuplot is absent, -1 on failure. */
static int make_plots(const char *outdir, const curve *cv, int ncv, int fixed_point,
                      double fixed_target, char *note, size_t note_size)
{
    char gp[512], dir[1200], path[1400];
    sbuf script = {0}, dat = {0};
    int i, k, rc;
    static const struct {
        const char *file, *ylabel;
        int col;
    } rate_plots[] = {
        {"rate_psnr", "PSNR-RGB (dB)", 2},
        {"rate_msssim", "MS-SSIM (dB, -10 log10(1 - MS-SSIM))", 3},
        {"rate_dct_w1", "dct_w1 (lower = more realistic)", 4},
        {"rate_swd", "swd (lower = more realistic)", 5},
    };
    static const struct {
        const char *ext, *term;
    } terms[] = {{"svg", "svg size 720,480 dynamic noenhanced"},
                 {"png", "pngcairo size 720,480 noenhanced"}};

    if (!find_in_path("gnuplot", gp, sizeof(gp))) {
        xfmt(note, note_size, "gnuplot not found: no plots (install gnuplot-nox)");
        return 0;
    }
    xfmt(dir, sizeof(dir), "%s/plots", outdir);
    if (mkdir_p(dir) != 0) {
        xfmt(note, note_size, "cannot create %s", dir);
        return -1;
    }
    for (i = 0; i < ncv; i++) {
        dat.n = 0;
        sb_printf(&dat, "# bpp psnr_rgb msssim_db dct_w1 swd\n");
        for (k = 0; k < cv[i].npts; k++)
            sb_printf(&dat, "%.6f %.6f %.6f %.6f %.6f\n", cv[i].bpp[k], cv[i].psnr[k],
                      msssim_db(cv[i].msssim[k]), cv[i].dct_w1[k], cv[i].swd[k]);
        xfmt(path, sizeof(path), "%s.dat", cv[i].name);
        if (sb_save(&dat, dir, path) != 0)
            goto fail;
    }
    dat.n = 0;
    sb_printf(&dat, "# codec bpp psnr_rgb dct_w1 swd  (point %d, matched target rate)\n", fixed_point);
    for (i = 0; i < ncv; i++)
        for (k = 0; k < cv[i].npts; k++)
            if (cv[i].point[k] == fixed_point)
                sb_printf(&dat, "\"%s\" %.6f %.6f %.6f %.6f\n", cv[i].name, cv[i].bpp[k],
                          cv[i].psnr[k], cv[i].dct_w1[k], cv[i].swd[k]);
    if (sb_save(&dat, dir, "fixed_rate.dat") != 0)
        goto fail;

    /* Paths relative to the plots directory (re-plot with `gnuplot plots.gp` after fixing
     * the cd line if the folder moved). rd itself passes sfx='.tmp' and renames each file
     * into place once gnuplot succeeded. */
    sb_printf(&script, "cd '%s'\nif (!exists(\"sfx\")) sfx = ''\n"
                       "set datafile commentschars '#'\nset key outside right top\nset grid\n",
              dir);
    for (k = 0; k < 2; k++) {
        size_t p;
        for (p = 0; p < sizeof(rate_plots) / sizeof(rate_plots[0]); p++) {
            sb_printf(&script, "set terminal %s\nset output '%s.%s'.sfx\n", terms[k].term,
                      rate_plots[p].file, terms[k].ext);
            sb_printf(&script, "set xlabel 'bits per pixel'\nset ylabel '%s'\nset logscale x\n"
                               "plot ", rate_plots[p].ylabel);
            for (i = 0; i < ncv; i++)
                sb_printf(&script, "%s'%s.dat' using 1:%d with linespoints title '%s'",
                          i ? ", " : "", cv[i].name, rate_plots[p].col, cv[i].name);
            sb_printf(&script, "\nunset output\nunset logscale x\n");
        }
        for (p = 0; p < 2; p++) {
            sb_printf(&script, "set terminal %s\nset output 'distortion_%s.%s'.sfx\n",
                      terms[k].term, p == 0 ? "dct_w1" : "swd", terms[k].ext);
            sb_printf(&script, "set xlabel 'PSNR-RGB (dB)'\nset ylabel '%s'\n"
                               "set offsets graph 0.15, graph 0.15, graph 0.2, graph 0.1\n"
                               "set title 'distortion vs realism at matched rate (point %d, "
                               "target %.3g bpp)'\n"
                               "plot 'fixed_rate.dat' using 3:%d:1 with labels point pt 7 "
                               "offset char 1,1 notitle\nunset title\nunset offsets\nunset output\n",
                      p == 0 ? "dct_w1" : "swd", fixed_point, fixed_target, p == 0 ? 4 : 5);
        }
    }
    if (sb_save(&script, dir, "plots.gp") != 0)
        goto fail;
    xfmt(path, sizeof(path), "%s/plots.gp", dir);
    {
        char out[2048];
        char *argv[] = {gp, "-e", "sfx='.tmp'", path, NULL};
        rc = run_capture(argv, out, sizeof(out));
    }
    if (rc != 0) {
        xfmt(note, note_size, "gnuplot failed (status %d) on %s", rc, path);
        goto fail;
    }
    /* gnuplot wrote *.tmp files; rename them into place (atomic per file) */
    for (k = 0; k < 2; k++) {
        size_t p;
        const char *names2[6];
        for (p = 0; p < 4; p++)
            names2[p] = rate_plots[p].file;
        names2[4] = "distortion_dct_w1";
        names2[5] = "distortion_swd";
        for (p = 0; p < 6; p++) {
            char from[1600], to[1600];
            xfmt(from, sizeof(from), "%s/%s.%s.tmp", dir, names2[p], terms[k].ext);
            xfmt(to, sizeof(to), "%s/%s.%s", dir, names2[p], terms[k].ext);
            if (rename(from, to) != 0) {
                xfmt(note, note_size, "gnuplot did not produce %s", from);
                goto fail;
            }
        }
    }
    free(script.p);
    free(dat.p);
    return 1;
fail:
    free(script.p);
    free(dat.p);
    return -1;
}

static int finalize(const char *outdir, rd_row *rows, size_t n, const char *codec_order,
                    const char *notes, int quiet)
{
    static char names[4096][NAME_LEN];
    curve *cv;
    char order[MAX_CODECS][48];
    int ncv = 0, nimages, i, k, fixed_point = 0, maxpt = 0;
    sbuf json = {0}, md = {0}, html = {0}, one = {0};
    char plot_note[512] = "", path[2048];
    int plots, rc = -1;
    size_t r;

    qsort(rows, n, sizeof(rd_row), cmp_row);
    nimages = count_images(rows, n, names, 4096);
    /* codec order: the requested order, then any other codec found in the rows */
    if (codec_order != NULL) {
        char buf[1024], *tok, *save = NULL;
        xfmt(buf, sizeof(buf), "%s", codec_order);
        for (tok = strtok_r(buf, ",", &save); tok && ncv < MAX_CODECS; tok = strtok_r(NULL, ",", &save))
            xfmt(order[ncv++], 48, "%s", tok);
    }
    for (r = 0; r < n; r++) {
        for (i = 0; i < ncv; i++)
            if (strcmp(order[i], rows[r].codec) == 0)
                break;
        if (i == ncv && ncv < MAX_CODECS)
            xfmt(order[ncv++], 48, "%s", rows[r].codec);
        if (rows[r].point > maxpt)
            maxpt = rows[r].point;
    }
    fixed_point = maxpt / 2;
    cv = calloc((size_t)(ncv > 0 ? ncv : 1), sizeof(curve));
    if (cv == NULL)
        return -1;
    for (i = 0, k = 0; i < ncv; i++) {
        build_curve(rows, n, order[i], nimages, &cv[k]);
        if (cv[k].npts > 0)
            k++;
    }
    ncv = k;

    /* results.json and results/<codec>.json */
    sb_printf(&json, "[\n");
    xfmt(path, sizeof(path), "%s/results", outdir);
    mkdir_p(path);
    for (i = 0; i < ncv; i++) {
        json_codec(&json, &cv[i]);
        sb_printf(&json, "%s\n", i + 1 < ncv ? "," : "");
        one.n = 0;
        json_codec(&one, &cv[i]);
        sb_printf(&one, "\n");
        {
            /* the one-codec file is the object alone (CompressAI's layout) */
            char fname[128];
            xfmt(fname, sizeof(fname), "%s.json", cv[i].name);
            if (one.oom || sb_save(&one, path, fname) != 0)
                goto done;
        }
    }
    sb_printf(&json, "]\n");
    if (sb_save(&json, outdir, "results.json") != 0)
        goto done;

    /* BD-rate tables and the report */
    sb_printf(&md, "# recimg rd: BD-rate tables\n\n%d image(s); mean curves over images at each "
                   "matched target rate.\n", nimages);
    sb_printf(&html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>recimg rd report"
                     "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
                     "collapse;margin:1em 0}td,th{border:1px solid #999;padding:3px 8px;text-align:"
                     "right}th{background:#eee}figure{display:inline-block;margin:4px;text-align:"
                     "center}figure img{width:240px;image-rendering:pixelated}.plots img{width:"
                     "720px;max-width:100%%}</style></head>\n<body>\n<h1>recimg rd report</h1>\n");
    sb_printf(&html, "<p>%d image(s): ", nimages);
    for (i = 0; i < nimages; i++) {
        sb_html(&html, names[i]);
        sb_printf(&html, "%s", i + 1 < nimages ? ", " : ".");
    }
    sb_printf(&html, " Every codec is driven to the same target rates by bisection on its quality, "
                     "so points with the same index are at matched bpp; values are means over the "
                     "images. Realism measures (dct_w1, swd; 0 = identical statistics) are defined "
                     "in docs/METRICS.md.</p>\n");
    if (notes != NULL && notes[0] != '\0') {
        sb_printf(&html, "<h2>Notes</h2>\n<pre>");
        sb_html(&html, notes);
        sb_printf(&html, "</pre>\n");
    }
    sb_printf(&html, "<h2>BD-rate</h2>\n");
    bd_tables(&md, &html, cv, ncv, rows, n, names, nimages);

    sb_printf(&html, "<h2>Mean results per codec and point</h2>\n");
    for (i = 0; i < ncv; i++) {
        sb_printf(&html, "<h3>");
        sb_html(&html, cv[i].name);
        sb_printf(&html, " <small>(");
        sb_html(&html, cv[i].description);
        sb_printf(&html, ")</small></h3>\n<table><tr><th>point</th><th>bpp</th><th>PSNR-RGB</th>"
                         "<th>PSNR-Y</th><th>MS-SSIM</th><th>dct_w1</th><th>swd</th>"
                         "<th>butteraugli</th><th>ssimulacra</th><th>enc ms/Mpx</th>"
                         "<th>dec ms/Mpx</th></tr>\n");
        for (k = 0; k < cv[i].npts; k++) {
            sb_printf(&html, "<tr><td>%d</td><td>%.4f</td><td>%.3f</td><td>%.3f</td><td>%.5f"
                             "</td><td>%.4f</td><td>%.4f</td>", cv[i].point[k], cv[i].bpp[k],
                      cv[i].psnr[k], cv[i].psnr_y[k], cv[i].msssim[k], cv[i].dct_w1[k],
                      cv[i].swd[k]);
            if (isnan(cv[i].butter[k]))
                sb_printf(&html, "<td>-</td>");
            else
                sb_printf(&html, "<td>%.3f</td>", cv[i].butter[k]);
            if (isnan(cv[i].ssimu[k]))
                sb_printf(&html, "<td>-</td>");
            else
                sb_printf(&html, "<td>%.4f</td>", cv[i].ssimu[k]);
            sb_printf(&html, "<td>%.1f</td><td>%.1f</td></tr>\n", cv[i].enc_ms[k] / cv[i].mpix,
                      cv[i].dec_ms[k] / cv[i].mpix);
        }
        sb_printf(&html, "</table>\n");
    }

    {
        double fixed_target = 0.0;
        for (r = 0; r < n; r++)
            if (rows[r].point == fixed_point)
                fixed_target = rows[r].target;
        plots = make_plots(outdir, cv, ncv, fixed_point, fixed_target, plot_note,
                           sizeof(plot_note));
    }
    sb_printf(&html, "<h2>Plots</h2>\n<div class=\"plots\">\n");
    if (plots == 1) {
        static const char *pn[] = {"rate_psnr", "rate_msssim", "rate_dct_w1", "rate_swd",
                                   "distortion_dct_w1", "distortion_swd"};
        size_t p;
        for (p = 0; p < sizeof(pn) / sizeof(pn[0]); p++)
            sb_printf(&html, "<p><img src=\"plots/%s.svg\" alt=\"%s\"> <a href=\"plots/%s.png\">"
                             "PNG</a></p>\n", pn[p], pn[p], pn[p]);
    } else {
        sb_printf(&html, "<p>No plots: ");
        sb_html(&html, plot_note);
        sb_printf(&html, "</p>\n");
        if (!quiet)
            fprintf(stderr, "recimg rd: %s\n", plot_note);
    }
    sb_printf(&html, "</div>\n<h2>Crops at matched rate (point %d)</h2>\n", fixed_point);
    for (i = 0; i < nimages; i++) {
        sb_printf(&html, "<div><h3>");
        sb_html(&html, names[i]);
        sb_printf(&html, "</h3>\n<figure><img src=\"crops/%s__original.png\" alt=\"original\">"
                         "<figcaption>original</figcaption></figure>\n", names[i]);
        for (r = 0; r < n; r++) {
            const rd_row *row = &rows[r];
            if (strcmp(row->image, names[i]) != 0 || row->point != fixed_point)
                continue;
            sb_printf(&html, "<figure><img src=\"crops/%s__%s.png\" alt=\"%s\"><figcaption>%s: "
                             "%.3f bpp, %.2f dB</figcaption></figure>\n", row->image, row->codec,
                      row->codec, row->codec, row->bpp, row->psnr_rgb);
        }
        sb_printf(&html, "</div>\n");
    }
    /* Lets a headless browser (tests/tools) confirm that every image really displays. */
    sb_printf(&html, "<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
                     "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;}"
                     "document.body.setAttribute('data-images',ok+'/'+im.length);});</script>\n"
                     "</body></html>\n");
    if (sb_save(&md, outdir, "bdrate.md") != 0 || sb_save(&html, outdir, "report.html") != 0)
        goto done;
    rc = 0;
done:
    free(cv);
    free(json.p);
    free(md.p);
    free(html.p);
    free(one.p);
    return rc;
}

/* ---- external tools ------------------------------------------------------------------ */

static void detect_tools(ext_tools *t, sbuf *txt)
{
    char out[256];
    memset(t, 0, sizeof(*t));
    find_in_path("butteraugli_main", t->butteraugli, sizeof(t->butteraugli));
    find_in_path("ssimulacra_main", t->ssimulacra, sizeof(t->ssimulacra));
    xfmt(t->version, sizeof(t->version), "unknown");
    if (t->butteraugli[0] || t->ssimulacra[0]) {
        char dq[512];
        if (find_in_path("dpkg-query", dq, sizeof(dq))) {
            char *argv[] = {dq, "-W", "-f=${Version}", "libjxl-devtools", NULL};
            if (run_capture(argv, out, sizeof(out)) == 0 && out[0] != '\0')
                xfmt(t->version, sizeof(t->version), "libjxl-devtools %s", out);
        }
    }
    sb_printf(txt, "butteraugli_main: %s\n", t->butteraugli[0] ? t->version : "absent (column empty)");
    sb_printf(txt, "ssimulacra_main: %s\n", t->ssimulacra[0] ? t->version : "absent (column empty)");
}

/* ---- command ------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: recimg rd --images DIR -o OUTDIR [--codecs LIST] [--points N] [--threads N]\n"
            "                 [--shard i/n] [--bpp-range LO,HI] [--quiet]\n"
            "       recimg rd --merge -o OUTDIR SHARD_DIR...\n"
            "  Sweeps every codec over the images of DIR at N target rates (default 6, log-spaced\n"
            "  over 0.1..3 bpp) and writes results.csv, results.json, bdrate.md, plots/ and\n"
            "  report.html to OUTDIR. Codecs (comma-separated; default\n  %s):\n"
            "  jpeg, round-DECODE, rec-SAMPLER-DECODE with DECODE in mmse, center, sample,\n"
            "  realism and SAMPLER in lrq, uq, gprs-bnb, gprs, pfr, block (a combination the\n"
            "  codec does not support is skipped with a note).\n"
            "  --shard i/n processes images i, i+n, ... and writes only results.csv and crops;\n"
            "  combine the shard directories with --merge.\n",
            default_codecs);
}

/* An integer option value in [lo, hi] (lo >= 0), read like every recimg option
 * (tools/tool_args.h: digits only). */
static int parse_int(const char *s, int lo, int hi, int *v)
{
    unsigned long long x;
    if (tool_parse_u64(s, &x) != 0 || x < (unsigned long long)lo || x > (unsigned long long)hi)
        return -1;
    *v = (int)x;
    return 0;
}

/* "A<sep>B" with A and B as parse_int takes them (0..100000): the word is split at its
 * first sep and each half must be the whole number. */
static int parse_pair(const char *s, char sep, int *a, int *b)
{
    char buf[64];
    char *mid;
    if (strlen(s) >= sizeof(buf))
        return -1;
    strcpy(buf, s);
    mid = strchr(buf, sep);
    if (!mid)
        return -1;
    *mid = '\0';
    return parse_int(buf, 0, 100000, a) != 0 || parse_int(mid + 1, 0, 100000, b) != 0 ? -1 : 0;
}

/* "LO,HI" bits per pixel with 0 < LO < HI <= 64. */
static int parse_range(const char *s, double *lo, double *hi)
{
    char buf[128];
    char *mid;
    if (strlen(s) >= sizeof(buf))
        return -1;
    strcpy(buf, s);
    mid = strchr(buf, ',');
    if (!mid)
        return -1;
    *mid = '\0';
    if (tool_parse_double(buf, 0.0, 64.0, lo) != 0 || tool_parse_double(mid + 1, 0.0, 64.0, hi) != 0)
        return -1;
    return *lo > 0.0 && *hi > *lo ? 0 : -1;
}

static int do_merge(const char *outdir, char **dirs, int ndirs, int quiet)
{
    rd_row *rows = NULL;
    size_t n = 0, cap = 0;
    int d, rc;
    char crops[1200];
    sbuf notes = {0};
    xfmt(crops, sizeof(crops), "%s/crops", outdir);
    if (mkdir_p(crops) != 0) {
        fprintf(stderr, "recimg rd: cannot create %s: %s\n", crops, strerror(errno));
        return 1;
    }
    for (d = 0; d < ndirs; d++) {
        char src[1200];
        DIR *dir;
        struct dirent *e;
        if (csv_read(dirs[d], &rows, &n, &cap) != 0) {
            free(rows);
            free(notes.p);
            return 1;
        }
        xfmt(src, sizeof(src), "%s/notes.txt", dirs[d]);
        {
            uint8_t *t;
            size_t ts;
            char err[256];
            if (d == 0 && imageio_read_file(src, 1 << 16, &t, &ts, err, sizeof(err)) == 0) {
                sb_printf(&notes, "%.*s", (int)ts, (const char *)t);
                free(t);
            }
        }
        xfmt(src, sizeof(src), "%s/crops", dirs[d]);
        dir = opendir(src);
        if (dir == NULL)
            continue;
        while ((e = readdir(dir)) != NULL) {
            char from[2400], to[2400], err[1024];
            uint8_t *data;
            size_t size;
            if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp-") != NULL)
                continue;
            xfmt(from, sizeof(from), "%s/%s", src, e->d_name);
            xfmt(to, sizeof(to), "%s/%s", crops, e->d_name);
            if (imageio_read_file(from, (size_t)1 << 28, &data, &size, err, sizeof(err)) != 0 ||
                imageio_write_file_atomic(to, data, size, err, sizeof(err)) != 0) {
                fprintf(stderr, "recimg rd: %s\n", err);
                closedir(dir);
                free(rows);
                free(notes.p);
                return 1;
            }
            free(data);
        }
        closedir(dir);
    }
    /* the same (image, codec, point) twice means overlapping shards */
    qsort(rows, n, sizeof(rd_row), cmp_row);
    for (d = 1; (size_t)d < n; d++)
        if (cmp_row(&rows[d - 1], &rows[d]) == 0) {
            fprintf(stderr, "recimg rd: %s / %s point %d appears in two shards\n", rows[d].image,
                    rows[d].codec, rows[d].point);
            free(rows);
            free(notes.p);
            return 1;
        }
    rc = write_csv(outdir, rows, n) == 0 && sb_save(&notes, outdir, "notes.txt") == 0 &&
                 finalize(outdir, rows, n, "jpeg,round-mmse,round-center,round-realism",
                          notes.p, quiet) == 0
             ? 0
             : 1;
    free(rows);
    free(notes.p);
    return rc;
}

int tool_cmd_rd(int argc, char **argv)
{
    const char *images_dir = NULL, *outdir = NULL, *codecs = default_codecs;
    int points = 6, threads = 1, shard_i = 0, shard_n = 1, quiet = 0, merge = 0, i, rc = 1;
    double bmin = 0.1, bmax = 3.0;
    char **extra = NULL;
    int nextra = 0;
    rd_run *run = NULL;
    sbuf tools_txt = {0}, notes = {0};
    pthread_t tids[64];
    int nthreads_started = 0;
    size_t nrows = 0;
    char crops[1200];
    int outdir_is_new = 0;

    extra = calloc((size_t)argc + 1, sizeof(char *));
    if (extra == NULL)
        return 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const int has = i + 1 < argc;
        if (strcmp(a, "--images") == 0 && has) {
            images_dir = argv[++i];
        } else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && has) {
            outdir = argv[++i];
        } else if (strcmp(a, "--codecs") == 0 && has) {
            codecs = argv[++i];
        } else if (strcmp(a, "--points") == 0 && has) {
            if (parse_int(argv[++i], 4, MAX_POINTS, &points) != 0) {
                fprintf(stderr, "recimg rd: --points takes 4..%d (BD-rate needs 4)\n", MAX_POINTS);
                goto usage_error;
            }
        } else if (strcmp(a, "--threads") == 0 && has) {
            if (parse_int(argv[++i], 1, 64, &threads) != 0) {
                fprintf(stderr, "recimg rd: --threads takes 1..64\n");
                goto usage_error;
            }
        } else if (strcmp(a, "--shard") == 0 && has) {
            int x, y;
            if (parse_pair(argv[++i], '/', &x, &y) != 0 || y < 1 || y > 100000 || x >= y) {
                fprintf(stderr, "recimg rd: --shard takes i/n with 0 <= i < n <= 100000\n");
                goto usage_error;
            }
            shard_i = x;
            shard_n = y;
        } else if (strcmp(a, "--bpp-range") == 0 && has) {
            if (parse_range(argv[++i], &bmin, &bmax) != 0) {
                fprintf(stderr, "recimg rd: --bpp-range takes LO,HI with 0 < LO < HI <= 64\n");
                goto usage_error;
            }
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            quiet = 1;
        } else if (strcmp(a, "--merge") == 0) {
            merge = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            free(extra);
            return 0;
        } else if (a[0] == '-') {
            static const char *const takes_value[] = {"--images", "-o", "--output", "--codecs",
                                                      "--points", "--threads", "--shard", "--bpp-range"};
            const char *why = "unknown option";
            for (size_t k = 0; k < sizeof(takes_value) / sizeof(takes_value[0]); k++)
                if (strcmp(a, takes_value[k]) == 0)
                    why = "missing value for option";   /* the loop's tests need `has` */
            fprintf(stderr, "recimg rd: %s '%s'\n", why, a);
            goto usage_error;
        } else {
            extra[nextra++] = argv[i];
        }
    }
    if (outdir == NULL || (merge ? (nextra == 0 || images_dir != NULL)
                                 : (images_dir == NULL || nextra != 0))) {
        fprintf(stderr, "recimg rd: %s\n",
                outdir == NULL ? "-o OUTDIR is required"
                : merge        ? (images_dir != NULL ? "--merge takes shard directories, not --images"
                                                     : "--merge needs at least one shard directory")
                : images_dir == NULL ? "--images DIR is required"
                                     : "unexpected argument (shard directories go with --merge)");
        usage(stderr);
        goto usage_error;
    }
    outdir_is_new = access(outdir, F_OK) != 0;
    if (mkdir_p(outdir) != 0) {
        fprintf(stderr, "recimg rd: cannot create %s: %s\n", outdir, strerror(errno));
        free(extra);
        return 1;
    }
    if (merge) {
        rc = do_merge(outdir, extra, nextra, quiet);
        free(extra);
        if (rc != 0 && outdir_is_new)
            remove_empty_outdir(outdir);
        return rc;
    }

    run = calloc(1, sizeof(*run));
    if (run == NULL)
        goto out;
    pthread_mutex_init(&run->lock, NULL);
    pthread_mutex_init(&run->codec_lock, NULL);
    if (parse_codec_list(codecs, run) != 0) {   /* a bad --codecs value: a usage error */
        fputs("Try 'recimg rd --help'.\n", stderr);
        rc = 1;
        goto out;
    }
    run->outdir = outdir;
    run->quiet = quiet;
    run->progress = !quiet && isatty(2);
    run->npoints = points;
    for (i = 0; i < points; i++)
        run->targets[i] = bmin * pow(bmax / bmin, (double)i / (points - 1));
    run->crop_point = (points - 1) / 2;

    /* the images of this shard */
    {
        DIR *dir = opendir(images_dir);
        struct dirent *e;
        char **all = NULL;
        int nall = 0, cap = 0;
        if (dir == NULL) {
            fprintf(stderr, "recimg rd: %s: cannot open directory: %s\n", images_dir,
                    strerror(errno));
            goto out;
        }
        while ((e = readdir(dir)) != NULL) {
            char p[2048];
            struct stat st;
            if (e->d_name[0] == '.' || !has_image_ext(e->d_name))
                continue;
            xfmt(p, sizeof(p), "%s/%s", images_dir, e->d_name);
            if (stat(p, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            if (nall == cap) {
                char **na;
                cap = cap ? cap * 2 : 64;
                na = realloc(all, (size_t)cap * sizeof(char *));
                if (na == NULL)
                    break;
                all = na;
            }
            all[nall] = malloc(strlen(p) + 1);
            if (all[nall] == NULL)
                break;
            strcpy(all[nall++], p);
        }
        closedir(dir);
        if (all != NULL)
            qsort(all, (size_t)nall, sizeof(char *), cmp_str);
        /* A JPEG next to a lossless file of the same base name (testimages/rocket.jpg and
         * rocket.png) is the same picture already compressed: the lossless one is the
         * reference, the JPEG is skipped with a note. */
        for (i = 0; i < nall; i++) {
            char ni[NAME_LEN], nj[NAME_LEN];
            const char *ext = strrchr(all[i], '.');
            int j;
            if (ext == NULL || (tolower((unsigned char)ext[1]) != 'j'))
                continue;
            sanitize_name(all[i], ni, sizeof(ni));
            for (j = 0; j < nall; j++) {
                const char *ej = strrchr(all[j], '.');
                if (j == i || ej == NULL || tolower((unsigned char)ej[1]) == 'j')
                    continue;
                sanitize_name(all[j], nj, sizeof(nj));
                if (strcmp(ni, nj) == 0)
                    break;
            }
            if (j < nall) {
                sb_printf(&notes, "%s: skipped, %s holds the same picture losslessly\n", all[i],
                          all[j]);
                free(all[i]);
                memmove(&all[i], &all[i + 1], (size_t)(nall - i - 1) * sizeof(char *));
                nall--;
                i--;
            }
        }
        run->images = calloc((size_t)nall + 1, sizeof(char *));
        run->names = calloc((size_t)nall + 1, sizeof(char *));
        if (run->images == NULL || run->names == NULL) {
            for (i = 0; i < nall; i++)
                free(all[i]);
            free(all);
            goto out;
        }
        for (i = 0; i < nall; i++) {
            if (i % shard_n == shard_i) {
                char nm[NAME_LEN];
                sanitize_name(all[i], nm, sizeof(nm));
                run->images[run->nimages] = all[i];
                run->names[run->nimages] = malloc(strlen(nm) + 1);
                if (run->names[run->nimages] != NULL)
                    strcpy(run->names[run->nimages], nm);
                run->nimages++;
            } else {
                free(all[i]);
            }
        }
        free(all);
        if (nall == 0) {
            fprintf(stderr, "recimg rd: %s: no images (.png, .jpg, .jpeg, .ppm, .pgm)\n", images_dir);
            goto out;
        }
        for (i = 0; i < run->nimages; i++) {
            int j;
            if (run->names[i] == NULL)
                goto out;
            for (j = 0; j < i; j++)
                if (strcmp(run->names[i], run->names[j]) == 0) {
                    fprintf(stderr, "recimg rd: %s and %s have the same name without extension\n",
                            run->images[j], run->images[i]);
                    goto out;
                }
        }
    }

    detect_tools(&run->ext, &tools_txt);
    xfmt(crops, sizeof(crops), "%s/crops", outdir);
    xfmt(run->tmpdir, sizeof(run->tmpdir), "%s/.rd-tmp-XXXXXX", outdir);
    if (mkdir_p(crops) != 0 || mkdtemp(run->tmpdir) == NULL) {
        fprintf(stderr, "recimg rd: cannot create %s or a temporary directory: %s\n", crops,
                strerror(errno));
        run->tmpdir[0] = '\0';
        goto out;
    }
    run->rows = calloc((size_t)run->nimages * (size_t)run->ncfg * (size_t)points + 1, sizeof(rd_row));
    if (run->rows == NULL)
        goto out;
    run->jobs_total = run->nimages * run->ngroups;
    run->points_total = run->jobs_total * points;
    if (threads > run->jobs_total)
        threads = run->jobs_total > 0 ? run->jobs_total : 1;
    for (i = 0; i < threads; i++) {
        if (pthread_create(&tids[i], NULL, worker, run) != 0)
            break;
        nthreads_started++;
    }
    if (nthreads_started == 0)
        worker(run);
    for (i = 0; i < nthreads_started; i++)
        pthread_join(tids[i], NULL);
    if (run->failed) {
        fprintf(stderr, "recimg rd: %s\n", run->fail_msg);
        goto out;
    }
    for (i = 0; i < run->ngroups; i++)
        if (run->group_unsupported[i]) {
            int c;
            for (c = 0; c < run->ncfg; c++)
                if (run->cfg[c].group == i)
                    sb_printf(&notes, "%s: skipped, %s\n", run->cfg[c].name, run->group_note[i]);
        }
    for (i = 0; i < run->ncfg; i++)
        if (run->cfg_unsupported[i] && !run->group_unsupported[run->cfg[i].group])
            sb_printf(&notes, "%s: skipped, %s\n", run->cfg[i].name, run->cfg_note[i]);
    {
        /* rows of a configuration that became unsupported midway are dropped whole */
        size_t r;
        for (r = 0; r < (size_t)run->nimages * (size_t)run->ncfg * (size_t)points; r++)
            if (run->rows[r].valid)
                for (i = 0; i < run->ncfg; i++)
                    if (run->cfg_unsupported[i] && strcmp(run->rows[r].codec, run->cfg[i].name) == 0)
                        run->rows[r].valid = 0;
    }
    if (notes.n > 0 && !quiet)
        fprintf(stderr, "recimg rd: %s", notes.p);
    sb_printf(&notes, "%s", tools_txt.p != NULL ? tools_txt.p : "");
    nrows = (size_t)run->nimages * (size_t)run->ncfg * (size_t)points;
    {
        /* compact the valid rows */
        size_t r, w = 0;
        for (r = 0; r < nrows; r++)
            if (run->rows[r].valid)
                run->rows[w++] = run->rows[r];
        nrows = w;
    }
    if (write_csv(outdir, run->rows, nrows) != 0 || sb_save(&notes, outdir, "notes.txt") != 0)
        goto out;
    if (shard_n == 1 && finalize(outdir, run->rows, nrows, codecs, notes.p, quiet) != 0)
        goto out;
    if (!quiet)
        fprintf(stderr, "recimg rd: %zu rows written to %s/results.csv%s\n", nrows, outdir,
                shard_n == 1 ? " (report.html, results.json, bdrate.md, plots/)" : " (shard; merge "
                                                                                  "with --merge)");
    rc = 0;
out:
    if (run != NULL) {
        if (run->tmpdir[0] != '\0')
            rmdir(run->tmpdir);
        for (i = 0; i < run->nimages; i++) {
            free(run->images[i]);
            free(run->names[i]);
        }
        free(run->images);
        free(run->names);
        free(run->rows);
        pthread_mutex_destroy(&run->lock);
        pthread_mutex_destroy(&run->codec_lock);
        free(run);
    }
    free(tools_txt.p);
    free(notes.p);
    free(extra);
    if (rc != 0 && outdir_is_new)
        remove_empty_outdir(outdir);
    return rc;
usage_error:   /* the message is printed; exit 1 like every other error */
    fputs("Try 'recimg rd --help'.\n", stderr);
    free(extra);
    return 1;
}
