/* tests/tools/test_rd.c: `recimg rd` (tool_cmd_rd) end to end on two small images cut from
 * testimages/: valid results.csv and results.json (CompressAI layout), BD-rate tables,
 * gnuplot plots (SVG and PNG) and report.html whose images exist; --shard 0/2 + 1/2 merged
 * gives the same rows as one run (timings aside); usage errors (exit 1 with the --help
 * hint) apart from input errors (exit 1 without it).
 *   test_rd TESTIMAGES            the run above
 *   test_rd TESTIMAGES chromium   opens report.html in headless Chromium and checks that
 *                                 every image displays; exit 77 (ctest: skipped) when
 *                                 Chromium is not installed. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_rd.h"
#include "imageio.h"
#include "tools_test_util.h"

/* ---- a minimal JSON validator (RFC 8259 grammar, no semantic checks) ---- */
static const char *js_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
        p++;
    return p;
}

static const char *js_value(const char *p, int depth);

static const char *js_string(const char *p)
{
    if (*p != '"')
        return NULL;
    for (p++; *p && *p != '"'; p++) {
        if ((unsigned char)*p < 0x20)
            return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                int k;
                for (k = 0; k < 4; k++)
                    if (!strchr("0123456789abcdefABCDEF", *++p) || *p == '\0')
                        return NULL;
            } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
    }
    return *p == '"' ? p + 1 : NULL;
}

static const char *js_number(const char *p)
{
    const char *s = p;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return p > s ? p : NULL;
}

static const char *js_value(const char *p, int depth)
{
    if (depth > 64)
        return NULL;
    p = js_ws(p);
    if (*p == '{' || *p == '[') {
        const char close = *p == '{' ? '}' : ']';
        const int obj = *p == '{';
        p = js_ws(p + 1);
        if (*p == close)
            return p + 1;
        for (;;) {
            if (obj) {
                p = js_string(js_ws(p));
                if (p == NULL)
                    return NULL;
                p = js_ws(p);
                if (*p++ != ':')
                    return NULL;
            }
            p = js_value(p, depth + 1);
            if (p == NULL)
                return NULL;
            p = js_ws(p);
            if (*p == ',') {
                p++;
                continue;
            }
            return *p == close ? p + 1 : NULL;
        }
    }
    if (*p == '"')
        return js_string(p);
    if (strncmp(p, "true", 4) == 0)
        return p + 4;
    if (strncmp(p, "false", 5) == 0)
        return p + 5;
    if (strncmp(p, "null", 4) == 0)
        return p + 4;
    return js_number(p);
}

static int json_valid(const char *s)
{
    const char *e = js_value(s, 0);
    return e != NULL && *js_ws(e) == '\0';
}

/* ---- helpers ---- */

/* snprintf without gcc's truncation guesses (buffers are far larger than the paths). */
#if defined(__GNUC__)
static int xfmt(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#endif

static int xfmt(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    int k;
    va_start(ap, fmt);
    k = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return k;
}

static char *slurp(const char *path)
{
    uint8_t *d;
    size_t n;
    char err[512];
    char *s;
    if (imageio_read_file(path, 1 << 26, &d, &n, err, sizeof(err)) != 0)
        return NULL;
    s = realloc(d, n + 1);
    if (s == NULL) {
        free(d);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

static int run_rd(int argc, const char **argv)
{
    char *args[32];
    int i;
    for (i = 0; i < argc && i < 32; i++)
        args[i] = (char *)(uintptr_t)argv[i];
    return tool_cmd_rd(argc, args);
}

/* Cuts a w x h crop at (x0, y0) of testimages/name into dir/out. */
static int make_crop(const char *testimages, const char *name, uint32_t x0, uint32_t y0,
                     uint32_t w, uint32_t h, const char *out)
{
    char path[1024], err[512];
    imageio_image src, dst;
    uint32_t y;
    int rc;
    xfmt(path, sizeof(path), "%s/%s", testimages, name);
    if (imageio_read(path, IMAGEIO_ALPHA_REFUSE, &src, err, sizeof(err)) != 0)
        return -1;
    if (imageio_image_alloc(&dst, w, h, src.channels) != 0) {
        imageio_image_free(&src);
        return -1;
    }
    for (y = 0; y < h; y++)
        memcpy(dst.pixels + (size_t)y * w * (size_t)src.channels,
               src.pixels + ((size_t)(y0 + y) * src.width + x0) * (size_t)src.channels,
               (size_t)w * (size_t)src.channels);
    rc = imageio_write(out, &dst, err, sizeof(err));
    imageio_image_free(&src);
    imageio_image_free(&dst);
    return rc;
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* CSV text without the encode_ms and decode_ms columns (16th and 17th). */
static void strip_timing(const char *in, char *out, size_t n)
{
    size_t o = 0;
    int field = 1;
    for (; *in && o + 1 < n; in++) {
        if (*in == '\n') {
            field = 1;
            out[o++] = *in;
            continue;
        }
        if (*in == ',')
            field++;
        if (field == 16 || field == 17)
            continue;
        out[o++] = *in;
    }
    out[o] = '\0';
}

static int have_exe(const char *exe)
{
    const char *path = getenv("PATH");
    char buf[4096], p[4200];
    char *tok, *save = NULL;
    if (path == NULL || strlen(path) >= sizeof(buf))
        return 0;
    strcpy(buf, path);
    for (tok = strtok_r(buf, ":", &save); tok; tok = strtok_r(NULL, ":", &save)) {
        xfmt(p, sizeof(p), "%s/%s", tok, exe);
        if (access(p, X_OK) == 0)
            return 1;
    }
    return 0;
}

/* Every src="..." in the HTML names an existing file under dir. */
static int html_images_exist(const char *html, const char *dir, int *count)
{
    const char *p = html;
    *count = 0;
    while ((p = strstr(p, "src=\"")) != NULL) {
        char rel[512], full[1200];
        const char *e;
        p += 5;
        e = strchr(p, '"');
        if (e == NULL || (size_t)(e - p) >= sizeof(rel))
            return 0;
        memcpy(rel, p, (size_t)(e - p));
        rel[e - p] = '\0';
        xfmt(full, sizeof(full), "%s/%s", dir, rel);
        if (!tt_file_exists(full)) {
            fprintf(stderr, "report.html references missing %s\n", full);
            return 0;
        }
        (*count)++;
        p = e;
    }
    return 1;
}

static int chromium_check(const char *imgdir, const char *out)
{
    const char *browsers[] = {"chromium", "chromium-browser", "google-chrome"};
    const char *browser = NULL;
    char cmd[2048], path[1200];
    size_t i;
    const char *argv[] = {"rd", "--images", imgdir, "-o", out, "--codecs", "jpeg,round-mmse",
                          "--points", "4", "--quiet"};
    char *dom;
    for (i = 0; i < sizeof(browsers) / sizeof(browsers[0]); i++)
        if (have_exe(browsers[i])) {
            browser = browsers[i];
            break;
        }
    if (browser == NULL) {
        printf("SKIPPED: headless Chromium check: no chromium in PATH (Debian package "
               "'chromium' not installed)\n");
        return 77;
    }
    CHECK(run_rd(10, argv) == 0);
    xfmt(path, sizeof(path), "%s/dom.html", out);
    xfmt(cmd, sizeof(cmd),
             "%s --headless --no-sandbox --disable-gpu --virtual-time-budget=5000 "
             "--dump-dom 'file://%s/report.html' > '%s' 2>/dev/null", browser, out, path);
    CHECK(system(cmd) == 0);
    dom = slurp(path);
    CHECK(dom != NULL);
    if (dom != NULL) {
        const char *a = strstr(dom, "data-images=\"");
        int ok = -1, total = -2;
        CHECK(a != NULL);
        if (a != NULL && sscanf(a + 13, "%d/%d", &ok, &total) == 2) {
            printf("chromium: %d of %d images displayed\n", ok, total);
            CHECK(total > 0 && ok == total);
        } else {
            CHECK(!"report.html did not report its images");
        }
        free(dom);
    }
    return tt_finish("test_rd chromium");
}

int main(int argc, char **argv)
{
    char imgdir[700], out[700], out0[700], out1[700], outm[700], path[1200];
    char *csv, *csvm, *json, *html, *md;
    int nimg = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: test_rd TESTIMAGES [chromium]\n");
        return 2;
    }
    xfmt(imgdir, sizeof(imgdir), "%s", tt_path("imgs"));
    xfmt(out, sizeof(out), "%s", tt_path("out"));
    xfmt(out0, sizeof(out0), "%s", tt_path("out0"));
    xfmt(out1, sizeof(out1), "%s", tt_path("out1"));
    xfmt(outm, sizeof(outm), "%s", tt_path("outm"));
    CHECK(mkdir(imgdir, 0777) == 0);
    xfmt(path, sizeof(path), "%s/astro.png", imgdir);
    CHECK(make_crop(argv[1], "astronaut.png", 160, 60, 96, 64, path) == 0);
    xfmt(path, sizeof(path), "%s/brick.pgm", imgdir);
    CHECK(make_crop(argv[1], "brick.png", 100, 100, 72, 56, path) == 0);
    xfmt(path, sizeof(path), "%s/notes.txt", imgdir);   /* not an image: ignored */
    CHECK(tt_write_bytes(path, "x", 1) == 0);

    if (argc > 2 && strcmp(argv[2], "chromium") == 0) {
        const int rc = chromium_check(imgdir, out);
        if (rc == 77)
            return 77;   /* the temporary files stay; nothing was written yet */
        return rc;
    }

    {
        const char *a[] = {"rd", "--images", imgdir, "-o", out, "--codecs",
                           "jpeg,round-mmse,round-center", "--points", "4", "--threads", "2",
                           "--quiet"};
        CHECK(run_rd(12, a) == 0);
    }
    xfmt(path, sizeof(path), "%s/results.csv", out);
    csv = slurp(path);
    CHECK(csv != NULL);
    if (csv != NULL) {
        CHECK(strncmp(csv, "image,codec,point,target_bpp,", 29) == 0);
        CHECK(count_lines(csv) == 1 + 2 * 3 * 4);
        CHECK(strstr(csv, "astro,jpeg,0,") != NULL && strstr(csv, "brick,round-center,3,") != NULL);
        /* external perceptual tools: their columns are filled exactly when installed */
        {
            const char *second = strchr(csv, '\n');
            const char *eol = second != NULL ? strchr(second + 1, '\n') : NULL;
            if (second != NULL && eol != NULL) {
                char line[1024];
                const char *f = line;
                int k;
                const size_t len = (size_t)(eol - second - 1) < sizeof(line) - 1
                                       ? (size_t)(eol - second - 1) : sizeof(line) - 1;
                memcpy(line, second + 1, len);
                line[len] = '\0';
                for (k = 0; k < 17 && f != NULL; k++) {   /* to the butteraugli field */
                    f = strchr(f, ',');
                    if (f != NULL)
                        f++;
                }
                CHECK(f != NULL);
                if (f != NULL) {
                    if (have_exe("butteraugli_main"))
                        CHECK(*f >= '0' && *f <= '9');
                    else
                        CHECK(*f == ',');
                }
            }
        }
    }
    xfmt(path, sizeof(path), "%s/results.json", out);
    json = slurp(path);
    CHECK(json != NULL && json_valid(json));
    if (json != NULL) {
        CHECK(strstr(json, "\"name\": \"jpeg\"") != NULL);
        CHECK(strstr(json, "\"name\": \"round-center\"") != NULL);
        CHECK(strstr(json, "\"psnr-rgb\": [") != NULL && strstr(json, "\"ms-ssim\": [") != NULL);
        CHECK(strstr(json, "\"bpp\": [") != NULL && strstr(json, "\"dct-w1\": [") != NULL &&
              strstr(json, "\"swd\": [") != NULL);
        free(json);
    }
    xfmt(path, sizeof(path), "%s/results/round-mmse.json", out);
    json = slurp(path);
    CHECK(json != NULL && json_valid(json) && json[js_ws(json) - json] == '{');
    free(json);
    xfmt(path, sizeof(path), "%s/bdrate.md", out);
    md = slurp(path);
    CHECK(md != NULL && strstr(md, "BD-rate against round-mmse") != NULL &&
          strstr(md, "BD-rate against jpeg") != NULL);
    if (md != NULL)
        printf("%s", md);
    free(md);
    if (have_exe("gnuplot")) {
        static const char *plots[] = {"rate_psnr", "rate_msssim", "rate_dct_w1", "rate_swd",
                                      "distortion_dct_w1", "distortion_swd"};
        size_t p;
        for (p = 0; p < sizeof(plots) / sizeof(plots[0]); p++) {
            char *svg;
            uint8_t *png;
            size_t n;
            char err[256];
            xfmt(path, sizeof(path), "%s/plots/%s.svg", out, plots[p]);
            svg = slurp(path);
            CHECK(svg != NULL && strstr(svg, "<svg") != NULL);
            free(svg);
            xfmt(path, sizeof(path), "%s/plots/%s.png", out, plots[p]);
            CHECK(imageio_read_file(path, 1 << 24, &png, &n, err, sizeof(err)) == 0);
            if (n > 8 && png != NULL)
                CHECK(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
            free(png);
        }
    } else {
        printf("note: gnuplot not in PATH, plots not checked (scripts/deps.sh installs it)\n");
    }
    xfmt(path, sizeof(path), "%s/report.html", out);
    html = slurp(path);
    CHECK(html != NULL);
    if (html != NULL) {
        CHECK(strstr(html, "<table>") != NULL && strstr(html, "crops/astro__original.png") != NULL);
        CHECK(html_images_exist(html, out, &nimg));
        CHECK(nimg >= 2 + 2 * 3);   /* crops: original + 3 codecs per image (+ plots) */
        free(html);
    }

    /* Shards merged = one run (timings aside). */
    {
        const char *a0[] = {"rd", "--images", imgdir, "-o", out0, "--codecs",
                            "jpeg,round-mmse,round-center", "--points", "4", "--shard", "0/2",
                            "--quiet"};
        const char *a1[] = {"rd", "--images", imgdir, "-o", out1, "--codecs",
                            "jpeg,round-mmse,round-center", "--points", "4", "--shard", "1/2",
                            "--quiet"};
        const char *am[] = {"rd", "--merge", "-o", outm, out0, out1, "--quiet"};
        const char *adup[] = {"rd", "--merge", "-o", outm, out0, out0, "--quiet"};
        CHECK(run_rd(12, a0) == 0);
        CHECK(run_rd(12, a1) == 0);
        xfmt(path, sizeof(path), "%s/report.html", out0);
        CHECK(!tt_file_exists(path));   /* a shard writes no report */
        CHECK(run_rd(7, am) == 0);
        xfmt(path, sizeof(path), "%s/results.csv", outm);
        csvm = slurp(path);
        CHECK(csvm != NULL);
        if (csv != NULL && csvm != NULL) {
            static char sa[65536], sb[65536];
            strip_timing(csv, sa, sizeof(sa));
            strip_timing(csvm, sb, sizeof(sb));
            CHECK(strcmp(sa, sb) == 0);
        }
        free(csvm);
        xfmt(path, sizeof(path), "%s/report.html", outm);
        CHECK(tt_file_exists(path));
        CHECK(run_rd(7, adup) == 1);   /* overlapping shards are refused */
    }
    free(csv);

    /* Usage and input errors. */
    {
        const char *u1[] = {"rd", "-o", out};
        const char *u2[] = {"rd", "--images", imgdir, "-o", out, "--codecs", "rec-nope-mmse"};
        const char *u3[] = {"rd", "--images", imgdir, "-o", out, "--points", "3"};
        const char *u4[] = {"rd", "--images", imgdir, "-o", out, "--shard", "2/2"};
        /* forms strtol/strtod took before tool_args: blanks, signs, hex, a trailing word */
        const char *u5[] = {"rd", "--images", imgdir, "-o", out, "--shard", " 0/2"};
        const char *u6[] = {"rd", "--images", imgdir, "-o", out, "--shard", "-0/2"};
        const char *u7[] = {"rd", "--images", imgdir, "-o", out, "--bpp-range", "0x1p-2,1"};
        const char *u8[] = {"rd", "--images", imgdir, "-o", out, "--bpp-range", "0.1,3x"};
        const char *u9[] = {"rd", "--images", imgdir, "-o", out, "--bpp-range", "0.5,0.5"};
        char nonexistent[700];   /* tt_path's buffers rotate (tt_stderr_begin uses one) */
        const char *e1[] = {"rd", "--images", nonexistent, "-o", out, "--quiet"};
        /* every error exits 1; a usage error ends with the --help hint, a failure does not */
        static const char hint[] = "Try 'recimg rd --help'.\n";
        const char **const uargv[] = {u1, u2, u3, u4, u5, u6, u7, u8, u9};
        const int uargc[] = {3, 7, 7, 7, 7, 7, 7, 7, 7};
        static char err[8192];
        int k, saved;
        xfmt(nonexistent, sizeof(nonexistent), "%s", tt_path("nonexistent"));
        for (k = 0; k < 9; k++) {
            saved = tt_stderr_begin();
            CHECK(run_rd(uargc[k], uargv[k]) == 1);
            tt_stderr_end(saved, err, sizeof(err));
            CHECK(strlen(err) > strlen(hint) &&
                  strcmp(err + strlen(err) - strlen(hint), hint) == 0);
        }
        saved = tt_stderr_begin();
        CHECK(run_rd(6, e1) == 1);
        tt_stderr_end(saved, err, sizeof(err));
        CHECK(strstr(err, "nonexistent") != NULL && strstr(err, "Try 'recimg") == NULL);
    }
    /* A run or merge that fails on its input leaves no output directory it created. */
    {
        char fresh[1024], missing[1024];
        xfmt(fresh, sizeof(fresh), "%s", tt_path("fresh_out"));
        xfmt(missing, sizeof(missing), "%s", tt_path("nonexistent"));
        {
            const char *e2[] = {"rd", "--images", missing, "-o", fresh, "--quiet"};
            const char *e3[] = {"rd", "--merge", "-o", fresh, "--quiet", missing};
            CHECK(run_rd(6, e2) == 1);
            CHECK(access(fresh, F_OK) != 0);
            CHECK(run_rd(6, e3) == 1);
            CHECK(access(fresh, F_OK) != 0);
        }
    }
    /* The directories made here are not flat: remove them with the shell helper-free way. */
    {
        char cmd[1600];
        xfmt(cmd, sizeof(cmd), "rm -rf '%s' '%s' '%s' '%s' '%s'", imgdir, out, out0, out1, outm);
        CHECK(system(cmd) == 0);
    }
    return tt_finish("test_rd");
}
