/* tests/tools/tools_test_util.c: see tools_test_util.h. */
#define _POSIX_C_SOURCE 200809L

#include "tools_test_util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int tt_failures = 0;
static char tmpdir[512];

void tt_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    tt_failures++;
}

/* Removes path and, for a directory, everything below it (tests such as test_rd
 * make subdirectories); symbolic links are removed, never followed. */
static void remove_tree(const char *path)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    char child[1200];
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
            remove_tree(child);
        }
        closedir(d);
        rmdir(path);
        return;
    }
    unlink(path);
}

/* Removes the files this test made. */
static void cleanup_tmpdir(void)
{
    if (tmpdir[0] != '\0')
        remove_tree(tmpdir);
}

int tt_finish(const char *name)
{
    cleanup_tmpdir();
    if (tt_failures == 0) {
        printf("%s: all checks passed\n", name);
        return 0;
    }
    printf("%s: %d check(s) FAILED\n", name, tt_failures);
    return 1;
}

const char *tt_tmpdir(void)
{
    if (tmpdir[0] == '\0') {
        const char *base = getenv("TMPDIR");
        snprintf(tmpdir, sizeof(tmpdir), "%s/recimg-tools-XXXXXX",
                 base != NULL && base[0] != '\0' ? base : "/tmp");
        if (mkdtemp(tmpdir) == NULL) {
            tmpdir[0] = '\0';
            fprintf(stderr, "cannot create a temporary directory\n");
            tt_failures++;
        }
    }
    return tmpdir;
}

const char *tt_path(const char *name)
{
    static char buf[8][640];
    static int next = 0;
    char *b = buf[next];
    next = (next + 1) % 8;
    snprintf(b, sizeof(buf[0]), "%s/%s", tt_tmpdir(), name);
    return b;
}

int tt_write_bytes(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    int ok;
    if (f == NULL)
        return -1;
    ok = fwrite(data, 1, size, f) == size;
    ok = (fclose(f) == 0) && ok;
    return ok ? 0 : -1;
}

int tt_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int tt_count_temporaries(void)
{
    DIR *d = opendir(tt_tmpdir());
    struct dirent *e;
    int n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp-") != NULL)
            n++;
    closedir(d);
    return n;
}

uint64_t tt_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

int tt_make_image(imageio_image *img, uint32_t w, uint32_t h, int channels, uint64_t seed)
{
    uint32_t x, y;
    int c;
    if (imageio_image_alloc(img, w, h, channels) != 0)
        return -1;
    for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
            for (c = 0; c < channels; c++) {
                const int base = (int)((x * 3u + y * 2u + (uint32_t)c * 40u) % 200u) + 20;
                const int noise = (int)(tt_rand(&seed) % 31u) - 15;
                int v = base + noise;
                v = v < 0 ? 0 : v > 255 ? 255 : v;
                img->pixels[((size_t)y * w + x) * (size_t)channels + (size_t)c] = (uint8_t)v;
            }
    return 0;
}

int tt_stderr_begin(void)
{
    int saved;
    fflush(stderr);
    saved = dup(2);
    if (saved < 0)
        return -1;
    if (freopen(tt_path("stderr.txt"), "w", stderr) == NULL) {
        dup2(saved, 2);
        close(saved);
        return -1;
    }
    return saved;
}

void tt_stderr_end(int saved, char *buf, size_t size)
{
    FILE *f;
    size_t n = 0;
    buf[0] = '\0';
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    f = fopen(tt_path("stderr.txt"), "r");
    if (f != NULL) {
        n = fread(buf, 1, size - 1, f);
        fclose(f);
    }
    buf[n] = '\0';
    fputs(buf, stderr);
}
