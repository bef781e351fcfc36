/* test_codec_memory: bounded memory (issue 7). Runs the recimg command on a
 * 2048 x 1280 RGB image (raw 7.9 MB) and checks each process's peak resident
 * set size (ru_maxrss of the child, from wait4) against a bound derived from
 * the image size:
 *     peak <= fixed + BOUND x raw   (BOUND = 2, see below)
 * where fixed is the peak of the same command on a 64 x 64 image (the program,
 * its libraries, FFTW plans, a band's buffers at their minimum size). The codec
 * holds only the caller's pixels plus buffers of one band of block rows
 * (codec_api.c), and the command reads PPM into one raw-size buffer and writes
 * straight from the decoded pixels (tools/imageio.c). The whole-plane
 * pipeline this replaced peaked at 7-11x raw; a single plane of doubles alone
 * is 2.7x raw, so this test fails if one comes back. Cases:
 * compress 4:2:0 round, compress 4:4:4 REC, decompress each to PPM, and the
 * round mode's realism decode (its zero-bin fit: a counting pass, not a
 * buffer). Not timed: memory only. Under AddressSanitizer the children run
 * without the allocator's quarantine (it holds freed blocks back) and without
 * fake stacks (detect_stack_use_after_return, set by scripts/sanitize.sh: every
 * thread of every band gets its own heap-allocated frames, 1.8-2.3x raw here
 * against 1.5x without them, with the same Release peak). Both are the
 * sanitizer's memory, not the codec's; every other test keeps them on.
 *
 *   test_codec_memory RECIMG_COMMAND */
#define _DEFAULT_SOURCE   /* wait4 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Above the fixed part: the pixels (1x) plus buffers of a band of block rows
   and the compressed bytes, about 0.2-0.6x at this size (the bands are a
   fixed number of rows, so their share shrinks as images grow: 0.1-0.3x at
   40 MP, bench/bench_memory.sh). A whole plane of doubles would add 2.7x
   (luma) on its own. Issue 7's goal is 3x raw in all. */
#define BOUND 2.0

static int failures = 0;
static char dir[] = "/tmp/test_codec_memory.XXXXXX";

/* Writes a w x h PPM: gradients, edges and noise (a photograph-like payload). */
static int write_ppm(const char *path, unsigned w, unsigned h)
{
    FILE *f = fopen(path, "wb");
    unsigned s = 0x2545F491u;
    unsigned char *row = (unsigned char *)malloc((size_t)w * 3);
    if (!f || !row) {
        if (f)
            fclose(f);
        free(row);
        return -1;
    }
    fprintf(f, "P6\n%u %u\n255\n", w, h);
    for (unsigned y = 0; y < h; y++) {
        for (unsigned x = 0; x < w; x++) {
            for (unsigned c = 0; c < 3; c++) {
                int v = (int)((x * (2 + c) / 3 + y * (4 - c) / 5) & 255);
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                if ((x / 37 + y / 29) % 3 == 0)
                    v = 255 - v;
                v += (int)(s % 25) - 12;
                row[(size_t)x * 3 + c] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
        fwrite(row, 1, (size_t)w * 3, f);
    }
    free(row);
    return fclose(f) == 0 ? 0 : -1;
}

/* Runs argv (NULL-terminated) as a child; returns its peak RSS in bytes, or -1
 * if it could not run or did not exit with status 0. */
static long long peak_rss(char *const argv[])
{
    struct rusage ru;
    int status = 0;
    pid_t pid;
    fflush(stdout);   /* nothing buffered may be written twice by the child */
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        const char *old = getenv("ASAN_OPTIONS");
        char opts[1024];
        snprintf(opts, sizeof opts, "%s%squarantine_size_mb=0:detect_stack_use_after_return=0", old ? old : "", old && *old ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return (long long)ru.ru_maxrss * 1024;   /* kilobytes on Linux */
}

/* One command on the small and on the big image (outputs out_small, out_big;
 * opts NULL-terminated): checks the bound. */
static void check(const char *name, const char *recimg, const char *cmd, const char *in_small,
                  const char *in_big, const char *out_small, const char *out_big,
                  const char *const *opts, double raw)
{
    static char store[12][256];   /* writable copies for execv */
    char *argv[12];
    const char *args[12];
    long long small, big;
    int n = 0;
    args[n++] = recimg;
    args[n++] = cmd;
    args[n++] = in_small;
    args[n++] = "-o";
    args[n++] = out_small;
    for (int i = 0; opts[i] && n < 11; i++)
        args[n++] = opts[i];
    for (int i = 0; i < n; i++) {
        snprintf(store[i], sizeof store[i], "%s", args[i]);
        argv[i] = store[i];
    }
    argv[n] = NULL;
    small = peak_rss(argv);
    snprintf(store[2], sizeof store[2], "%s", in_big);
    snprintf(store[4], sizeof store[4], "%s", out_big);
    big = peak_rss(argv);
    if (small < 0 || big < 0) {
        fprintf(stderr, "FAIL %s: the command failed\n", name);
        failures++;
        return;
    }
    printf("%-34s peak %7.1f MB = fixed %5.1f MB + %.2f x raw (bound %.1f)\n", name,
           (double)big / 1e6, (double)small / 1e6, ((double)big - (double)small) / raw, BOUND);
    if ((double)big > (double)small + BOUND * raw) {
        fprintf(stderr, "FAIL %s: peak %.1f MB above fixed %.1f MB + %.1f x raw %.1f MB\n", name,
                (double)big / 1e6, (double)small / 1e6, BOUND, raw / 1e6);
        failures++;
    }
}

int main(int argc, char **argv)
{
    static const char *const q50[] = {"--quality", "50", NULL};
    static const char *const none[] = {NULL};
    static const char *const rec444[] = {"--mode", "rec", "--chroma", "444", "--quality", "50", NULL};
    static const char *const realism[] = {"--decode", "realism", NULL};
    static const char *const names[] = {"small.ppm", "big.ppm", "small.rec", "big.rec", "small444.rec",
                                        "big444.rec", "out_small.ppm", "out_big.ppm"};
    enum { SMALL_PPM, BIG_PPM, SMALL_REC, BIG_REC, SMALL_444, BIG_444, OUT_SMALL, OUT_BIG, NFILES };
    char path[NFILES][128];
    const unsigned w = 2048, h = 1280;
    const double raw = (double)w * h * 3;
    if (argc != 2) {
        fprintf(stderr, "usage: test_codec_memory RECIMG_COMMAND\n");
        return 2;
    }
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    for (int i = 0; i < NFILES; i++)
        snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]);
    if (write_ppm(path[SMALL_PPM], 64, 64) != 0 || write_ppm(path[BIG_PPM], w, h) != 0) {
        fprintf(stderr, "FAIL: cannot write the test images in %s\n", dir);
        failures++;
    } else {
        check("compress 4:2:0 round", argv[1], "compress", path[SMALL_PPM], path[BIG_PPM], path[SMALL_REC],
              path[BIG_REC], q50, raw);
        check("compress 4:4:4 rec (uq)", argv[1], "compress", path[SMALL_PPM], path[BIG_PPM],
              path[SMALL_444], path[BIG_444], rec444, raw);
        check("decompress 4:2:0 round", argv[1], "decompress", path[SMALL_REC], path[BIG_REC],
              path[OUT_SMALL], path[OUT_BIG], none, raw);
        check("decompress 4:2:0 round, realism", argv[1], "decompress", path[SMALL_REC], path[BIG_REC],
              path[OUT_SMALL], path[OUT_BIG], realism, raw);
        check("decompress 4:4:4 rec", argv[1], "decompress", path[SMALL_444], path[BIG_444],
              path[OUT_SMALL], path[OUT_BIG], none, raw);
    }
    for (int i = 0; i < NFILES; i++)
        remove(path[i]);
    rmdir(dir);
    if (failures) {
        fprintf(stderr, "test_codec_memory: %d failure(s)\n", failures);
        return 1;
    }
    printf("test_codec_memory: every peak within fixed + %.1f x raw\n", BOUND);
    return 0;
}
