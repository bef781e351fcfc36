/* bench/bench_speed_process.c: whole-process timing of recimg against libjpeg-turbo's
 * cjpeg / djpeg, both reading and writing binary PPM, so that neither pays for PNG's
 * zlib (issue 8). For every image it
 *   1. writes the picture as DIR/<name>.ppm (tools/imageio),
 *   2. finds the recimg quality for the target rate with `recimg compress --bpp B --stats`
 *      (per mode) and the libjpeg-turbo quality (integer, 4:2:0) whose bpp is closest,
 *      through the TurboJPEG API, whose output is byte-identical to cjpeg's,
 *   3. runs, --reps times each and in the same run:
 *        recimg compress DIR/x.ppm -o DIR/x.rec --mode M [--sampler S] --quality Q --threads T
 *        recimg decompress DIR/x.rec -o DIR/x.rec.ppm --threads T
 *        cjpeg -quality QJ -sample 2x2 -outfile DIR/x.jpg DIR/x.ppm
 *        djpeg -outfile DIR/x.jpg.ppm DIR/x.jpg
 *      and keeps the median of the child's CPU time (user + system, from wait4) and of
 *      the wall time.
 * Ratios recimg / libjpeg-turbo are taken per image in the same run and over the totals.
 *
 *   bench_speed_process --recimg PATH [--cjpeg cjpeg] [--djpeg djpeg] [--dir DIR]
 *                       [--reps R] [--bpp B] [--modes "rec,round"] [--sampler S]
 *                       [--threads T] IMAGE...
 *
 * Never part of ctest.
 * A bad command line (a value that is not a whole number in range, an unknown word or
 * option, too many images) is refused before any image is read: message, usage text, exit 1. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE   /* wait4 */

#include "imageio.h"
#include "jpegref.h"

#include "bench_args.h"
#include "tool_args.h"

#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

enum { MAXREPS = 99, MAXARGS = 24, MAXMODES = 4, MAXIMG = 64 };

/* argv entries are char * by POSIX; the strings are never modified */
static char *mut(const char *s)
{
    union { const char *c; char *m; } u;
    u.c = s;
    return u.m;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Runs argv with stdin, stdout and stderr on /dev/null (stdout kept when out_fd >= 0);
   returns 0 when it exited 0, with its CPU time (user + system) and wall time. */
static int run(char *const argv[], int out_fd, double *cpu, double *wall)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = 0;
    struct rusage ru;
    double t0;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (out_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    t0 = wall_ms();
    if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        fprintf(stderr, "bench_speed_process: cannot run %s\n", argv[0]);
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    *wall = wall_ms() - t0;
    *cpu = (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3 +
           (double)ru.ru_stime.tv_sec * 1e3 + (double)ru.ru_stime.tv_usec / 1e3;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_speed_process: %s %s failed (status %d)\n", argv[0],
                argv[1] ? argv[1] : "", status);
        return -1;
    }
    return 0;
}

/* Median CPU and wall time of reps runs of argv. */
static int time_cmd(char *const argv[], int reps, double *cpu, double *wall)
{
    double c[MAXREPS], w[MAXREPS];
    for (int k = 0; k < reps; k++)
        if (run(argv, -1, &c[k], &w[k]) != 0)
            return -1;
    *cpu = median(c, reps);
    *wall = median(w, reps);
    return 0;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* `recimg compress PPM -o REC --mode M [--sampler S] --bpp B --stats`: the quality it chose. */
static int recimg_quality(const char *recimg, const char *ppm, const char *rec, const char *mode,
                          const char *sampler, double bpp, double *quality)
{
    char bbuf[32], tmpl[] = "/tmp/bench_speed_process_XXXXXX", out[4096];
    char *argv[MAXARGS];
    int n = 0, fd;
    double c, w;
    ssize_t got;
    const char *q;
    snprintf(bbuf, sizeof bbuf, "%.4f", bpp);
    argv[n++] = mut(recimg);
    argv[n++] = mut("compress");
    argv[n++] = mut(ppm);
    argv[n++] = mut("-o");
    argv[n++] = mut(rec);
    argv[n++] = mut("--mode");
    argv[n++] = mut(mode);
    if (sampler && strcmp(mode, "rec") == 0) {
        argv[n++] = mut("--sampler");
        argv[n++] = mut(sampler);
    }
    argv[n++] = mut("--bpp");
    argv[n++] = bbuf;
    argv[n++] = mut("--stats");
    argv[n] = NULL;
    fd = mkstemp(tmpl);
    if (fd < 0)
        return -1;
    unlink(tmpl);
    if (run(argv, fd, &c, &w) != 0) {
        close(fd);
        return -1;
    }
    lseek(fd, 0, SEEK_SET);
    got = read(fd, out, sizeof out - 1);
    close(fd);
    if (got <= 0)
        return -1;
    out[got] = '\0';
    q = strstr(out, "\"quality\":");
    if (!q)
        return -1;
    *quality = strtod(q + 10, NULL);
    return 0;
}

/* Integer JPEG quality whose 4:2:0 file is closest to bpp. */
static int jpeg_quality(const imageio_image *img, double bpp, int *quality, double *got)
{
    const double px = (double)img->width * img->height;
    double best = 1e300;
    int lo = 1, hi = 100;
    char err[256];
    while (lo <= hi) {
        const int q = (lo + hi) / 2;
        uint8_t *buf = NULL;
        size_t size = 0;
        double b;
        if (tool_jpeg_encode(img, q, 420, &buf, &size, err, sizeof err) != 0) {
            fprintf(stderr, "bench_speed_process: %s\n", err);
            return -1;
        }
        free(buf);
        b = 8.0 * (double)size / px;
        if (fabs(b - bpp) < best) {
            best = fabs(b - bpp);
            *quality = q;
            *got = b;
        }
        if (b > bpp)
            hi = q - 1;
        else
            lo = q + 1;
    }
    return 0;
}

/* Splits a --modes list into modes[0..*n) (pointers into buf): 1..MAXMODES items, each
 * one of names[0..1]; an empty item is refused. 0 on success, -1 otherwise. */
static int parse_modes(const char *s, const char *const names[2], char *buf, size_t size,
                       const char *modes[MAXMODES], int *n)
{
    char *p = buf;
    int k = 0;
    if (strlen(s) >= size)
        return -1;
    memcpy(buf, s, strlen(s) + 1);
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (k == MAXMODES || bench_word(p, names, 2) < 0)
            return -1;
        modes[k++] = p;
        if (!comma)
            break;
        p = comma + 1;
    }
    *n = k;
    return 0;
}

static const char usage_text[] =
    "usage: bench_speed_process --recimg PATH [--cjpeg cjpeg] [--djpeg djpeg] [--dir DIR] [--reps 1..99]\n"
    "                           [--bpp B] [--modes \"rec,round\"] [--sampler S] [--threads 0..1024] IMAGE...\n"
    "  B in 0.0001..64; --modes: 1..4 of rec, round; S: uq, lrq, gprs-bnb, gprs, pfr or block\n";

int main(int argc, char **argv)
{
    static const char *const mode_names[] = {"rec", "round"};
    static const char *const samplers[] = {"uq", "lrq", "gprs-bnb", "gprs", "pfr", "block"};
    const char *recimg = NULL, *cjpeg = "cjpeg", *djpeg = "djpeg", *dir = "/tmp/bench_speed_process";
    const char *sampler = NULL, *threads = "1";
    const char *modes[MAXMODES] = {"rec", "round"};
    int nmodes = 2, reps = 7, nimg = 0, nthreads;
    double target = 1.0;
    const char *paths[MAXIMG];
    double tot_mp = 0.0, tot_j[4] = {0}, tot_r[MAXMODES][4] = {{0}}, tot_bpp_j = 0.0,
           tot_bpp_r[MAXMODES] = {0};
    static char modebuf[256];

    for (int i = 1; i < argc; i++) {
        const char *a = NULL, *v = NULL;
        const int r = bench_next_arg("bench_speed_process", usage_text, argc, argv, &i, paths, &nimg, MAXIMG, &a, &v);
        if (r != BENCH_ARG_OPTION) {
            if (r == BENCH_ARG_IMAGE)
                continue;
            return r == BENCH_ARG_HELP ? 0 : 1;
        }
        if (!strcmp(a, "--recimg")) recimg = v;
        else if (!strcmp(a, "--cjpeg")) cjpeg = v;
        else if (!strcmp(a, "--djpeg")) djpeg = v;
        else if (!strcmp(a, "--dir")) dir = v;
        else if (!strcmp(a, "--sampler")) {
            if (bench_word(v, samplers, (int)(sizeof samplers / sizeof *samplers)) < 0)
                return bench_usage_error(usage_text, "bench_speed_process: unknown --sampler '%s'", v);
            sampler = v;
        } else if (!strcmp(a, "--threads")) {
            if (bench_parse_int(v, 0, 1024, &nthreads))   /* passed on to recimg as written */
                return bench_usage_error(usage_text, "bench_speed_process: --threads must be an integer in "
                                         "0..1024, not '%s'", v);
            threads = v;
        } else if (!strcmp(a, "--bpp")) {
            if (tool_parse_double(v, 1e-4, 64.0, &target))
                return bench_usage_error(usage_text, "bench_speed_process: --bpp must be a rate in 0.0001..64, "
                                         "not '%s'", v);
        } else if (!strcmp(a, "--reps")) {
            if (bench_parse_int(v, 1, MAXREPS, &reps))
                return bench_usage_error(usage_text, "bench_speed_process: --reps must be an integer in 1..%d, "
                                         "not '%s'", MAXREPS, v);
        } else if (!strcmp(a, "--modes")) {
            if (parse_modes(v, mode_names, modebuf, sizeof modebuf, modes, &nmodes))
                return bench_usage_error(usage_text, "bench_speed_process: --modes must be 1..%d comma-separated "
                                         "modes, each rec or round, not '%s'", MAXMODES, v);
        } else {
            return bench_usage_error(usage_text, "bench_speed_process: unknown option %s", a);
        }
    }
    if (!recimg)
        return bench_usage_error(usage_text, "bench_speed_process: --recimg PATH is required");
    if (nimg == 0)
        return bench_usage_error(usage_text, "bench_speed_process: no IMAGE given");
    if (mkdir(dir, 0755) != 0 && access(dir, W_OK) != 0) {
        fprintf(stderr, "bench_speed_process: cannot use directory %s\n", dir);
        return 1;
    }

    printf("# bench_speed_process: whole process, PPM in and out, reps=%d (medians), target %.2f bpp, "
           "threads %s; times in ms (cpu = child user+sys, wall); x = recimg / libjpeg-turbo\n",
           reps, target, threads);
    printf("%-20s %-8s %7s %6s %8s %8s %8s %8s %6s %6s %6s %6s\n", "image", "codec", "quality", "bpp",
           "enc_cpu", "enc_wall", "dec_cpu", "dec_wall", "encx", "decx", "encxw", "decxw");
    for (int ii = 0; ii < nimg; ii++) {
        imageio_image img;
        char err[512], ppm[1024], jpg[1024], jppm[1024], rec[1024], rppm[1024], qbuf[32], jq[16];
        const char *base = strrchr(paths[ii], '/') ? strrchr(paths[ii], '/') + 1 : paths[ii];
        double mp, jbpp = 0.0, j[4];
        int jqual = 75;
        if (imageio_read(paths[ii], IMAGEIO_ALPHA_DROP, &img, err, sizeof err) != 0) {
            fprintf(stderr, "bench_speed_process: %s\n", err);
            return 1;
        }
        mp = (double)img.width * img.height / 1e6;
        snprintf(ppm, sizeof ppm, "%s/%s.%s", dir, base, img.channels == 1 ? "pgm" : "ppm");
        snprintf(jpg, sizeof jpg, "%s/%s.jpg", dir, base);
        snprintf(jppm, sizeof jppm, "%s/%s.jpg.%s", dir, base, img.channels == 1 ? "pgm" : "ppm");
        snprintf(rec, sizeof rec, "%s/%s.rec", dir, base);
        snprintf(rppm, sizeof rppm, "%s/%s.rec.%s", dir, base, img.channels == 1 ? "pgm" : "ppm");
        if (imageio_write(ppm, &img, err, sizeof err) != 0 ||
            jpeg_quality(&img, target, &jqual, &jbpp) != 0) {
            fprintf(stderr, "bench_speed_process: %s\n", err);
            imageio_image_free(&img);
            return 1;
        }
        imageio_image_free(&img);
        snprintf(jq, sizeof jq, "%d", jqual);
        {
            char *ce[] = {mut(cjpeg), mut("-quality"), jq, mut("-sample"), mut("2x2"),
                          mut("-outfile"), jpg, ppm, NULL};
            char *de[] = {mut(djpeg), mut("-outfile"), jppm, jpg, NULL};
            if (time_cmd(ce, reps, &j[0], &j[1]) != 0 || time_cmd(de, reps, &j[2], &j[3]) != 0)
                return 1;
            jbpp = 8.0 * (double)file_size(jpg) / (mp * 1e6);
        }
        printf("%-20s %-8s %7d %6.3f %8.2f %8.2f %8.2f %8.2f\n", base, "cjpeg", jqual, jbpp, j[0],
               j[1], j[2], j[3]);
        tot_mp += mp;
        tot_bpp_j += jbpp;
        for (int k = 0; k < 4; k++)
            tot_j[k] += j[k];
        for (int mi = 0; mi < nmodes; mi++) {
            double q, r[4], rbpp;
            char *ce[MAXARGS], *de[MAXARGS];
            int n = 0;
            if (recimg_quality(recimg, ppm, rec, modes[mi], sampler, target, &q) != 0) {
                fprintf(stderr, "bench_speed_process: recimg --bpp failed on %s (mode %s)\n", ppm,
                        modes[mi]);
                return 1;
            }
            snprintf(qbuf, sizeof qbuf, "%.6f", q);
            ce[n++] = mut(recimg); ce[n++] = mut("compress"); ce[n++] = ppm;
            ce[n++] = mut("-o"); ce[n++] = rec; ce[n++] = mut("--mode"); ce[n++] = mut(modes[mi]);
            if (sampler && strcmp(modes[mi], "rec") == 0) {
                ce[n++] = mut("--sampler");
                ce[n++] = mut(sampler);
            }
            ce[n++] = mut("--quality"); ce[n++] = qbuf;
            ce[n++] = mut("--threads"); ce[n++] = mut(threads); ce[n] = NULL;
            n = 0;
            de[n++] = mut(recimg); de[n++] = mut("decompress"); de[n++] = rec;
            de[n++] = mut("-o"); de[n++] = rppm;
            de[n++] = mut("--threads"); de[n++] = mut(threads); de[n] = NULL;
            if (time_cmd(ce, reps, &r[0], &r[1]) != 0 || time_cmd(de, reps, &r[2], &r[3]) != 0)
                return 1;
            rbpp = 8.0 * (double)file_size(rec) / (mp * 1e6);
            printf("%-20s %-8s %7.2f %6.3f %8.2f %8.2f %8.2f %8.2f %6.2f %6.2f %6.2f %6.2f\n", base,
                   modes[mi], q, rbpp, r[0], r[1], r[2], r[3], r[0] / j[0], r[2] / j[2], r[1] / j[1],
                   r[3] / j[3]);
            fflush(stdout);
            tot_bpp_r[mi] += rbpp;
            for (int k = 0; k < 4; k++)
                tot_r[mi][k] += r[k];
        }
    }
    printf("\n# totals over %d image(s), %.3f MP: MP/s of CPU and wall time; x = total time ratio to "
           "cjpeg/djpeg\n", nimg, tot_mp);
    printf("%-8s %6s %11s %11s %11s %11s %6s %6s %6s %6s\n", "codec", "bpp", "encMPs_cpu",
           "encMPs_wall", "decMPs_cpu", "decMPs_wall", "encx", "decx", "encxw", "decxw");
    printf("%-8s %6.3f %11.2f %11.2f %11.2f %11.2f\n", "jpeg", tot_bpp_j / nimg, 1e3 * tot_mp / tot_j[0],
           1e3 * tot_mp / tot_j[1], 1e3 * tot_mp / tot_j[2], 1e3 * tot_mp / tot_j[3]);
    for (int mi = 0; mi < nmodes; mi++)
        printf("%-8s %6.3f %11.2f %11.2f %11.2f %11.2f %6.2f %6.2f %6.2f %6.2f\n", modes[mi],
               tot_bpp_r[mi] / nimg, 1e3 * tot_mp / tot_r[mi][0], 1e3 * tot_mp / tot_r[mi][1],
               1e3 * tot_mp / tot_r[mi][2], 1e3 * tot_mp / tot_r[mi][3], tot_r[mi][0] / tot_j[0],
               tot_r[mi][2] / tot_j[2], tot_r[mi][1] / tot_j[1], tot_r[mi][3] / tot_j[3]);
    return 0;
}
