/* tests/tools/test_cmd_compare.c: `recimg compare` (tool_cmd_compare) end to end: text
 * and JSON output on identical and different images; exit status 1 for every error, a
 * usage error told apart from an unreadable or mismatched input by the "Try 'recimg
 * compare --help'." hint on stderr. stdout and stderr are redirected to files to read them. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_compare.h"
#include "imageio.h"
#include "tools_test_util.h"

static char out_buf[8192];
static char err_buf[8192];

#define HINT "Try 'recimg compare --help'."

/* Runs tool_cmd_compare with stdout captured into out_buf and stderr into err_buf;
 * returns its status. */
static int run(int argc, const char **argv)
{
    char *args[8];
    const char *cap = tt_path("stdout.txt");
    int i, rc, saved;
    FILE *f;
    size_t n;
    for (i = 0; i < argc && i < 8; i++)
        args[i] = (char *)(uintptr_t)argv[i];   /* the command does not modify argv */
    fflush(stdout);
    saved = dup(1);
    if (freopen(cap, "w", stdout) == NULL)
        return -100;
    {
        const int saved_err = tt_stderr_begin();
        rc = tool_cmd_compare(argc, args);
        tt_stderr_end(saved_err, err_buf, sizeof(err_buf));
    }
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    f = fopen(cap, "r");
    n = f != NULL ? fread(out_buf, 1, sizeof(out_buf) - 1, f) : 0;
    out_buf[n] = '\0';
    if (f != NULL)
        fclose(f);
    return rc;
}

int main(void)
{
    imageio_image a, b;
    char err[512];
    char pa[700], pb[700], pc[700], pm[700];   /* tt_path's buffers rotate: copy */
    snprintf(pa, sizeof(pa), "%s", tt_path("a.png"));
    snprintf(pb, sizeof(pb), "%s", tt_path("b.ppm"));
    snprintf(pc, sizeof(pc), "%s", tt_path("c.png"));
    snprintf(pm, sizeof(pm), "%s", tt_path("missing.png"));

    CHECK(tt_make_image(&a, 64, 48, 3, 1) == 0);
    CHECK(tt_make_image(&b, 64, 48, 3, 2) == 0);
    CHECK(imageio_write(pa, &a, err, sizeof(err)) == 0);
    CHECK(imageio_write(pb, &b, err, sizeof(err)) == 0);
    imageio_image_free(&b);
    CHECK(tt_make_image(&b, 64, 47, 3, 2) == 0);
    CHECK(imageio_write(pc, &b, err, sizeof(err)) == 0);

    {
        const char *argv[] = {"compare", pa, pa, "--json"};
        CHECK(run(4, argv) == 0);
        CHECK(strstr(out_buf, "\"psnr_rgb\": null") != NULL);
        CHECK(strstr(out_buf, "\"ssim\": 1.000000") != NULL);
        CHECK(strstr(out_buf, "\"ms_ssim\": 1.000000") != NULL);
        CHECK(strstr(out_buf, "\"dct_w1\": 0.000000") != NULL);
        CHECK(strstr(out_buf, "\"swd\": 0.000000") != NULL);
        CHECK(out_buf[0] == '{' && strstr(out_buf, "}\n") != NULL);
    }
    {
        const char *argv[] = {"compare", "--json", pa, pb};
        CHECK(run(4, argv) == 0);
        CHECK(strstr(out_buf, "\"psnr_rgb\": null") == NULL);
        CHECK(strstr(out_buf, "\"psnr_y\": ") != NULL);
        CHECK(strstr(out_buf, "\"ms_ssim_scales\": 3") != NULL);
        CHECK(strstr(out_buf, "\"swd_levels\": [") != NULL);
    }
    {
        const char *argv[] = {"compare", pa, pb};
        CHECK(run(3, argv) == 0);
        CHECK(strstr(out_buf, "PSNR-RGB") != NULL && strstr(out_buf, "MS-SSIM") != NULL);
    }
    {   /* mismatched size, missing file, not an image: 1, a message, no --help hint */
        const char *argv1[] = {"compare", pa, pc};
        const char *argv2[] = {"compare", pa, pm};
        const char *argv3[] = {"compare", "/dev/null", pa};
        CHECK(run(3, argv1) == 1);
        CHECK(err_buf[0] != '\0' && strstr(err_buf, HINT) == NULL);
        CHECK(run(3, argv2) == 1);
        CHECK(strstr(err_buf, "missing.png") != NULL && strstr(err_buf, HINT) == NULL);
        CHECK(run(3, argv3) == 1);
        CHECK(strstr(err_buf, "/dev/null") != NULL && strstr(err_buf, HINT) == NULL);
    }
    {   /* usage errors: 1 too (every error is 1), ending with the --help hint */
        const char *argv1[] = {"compare", pa};
        const char *argv2[] = {"compare", pa, pa, "--bogus"};
        const char *argv3[] = {"compare", pa, pa, pa};
        const char *argv4[] = {"compare", pa, pa, "--alpha", "keep"};
        const char *argv5[] = {"compare", pa, pa, "--alpha"};
        const size_t hl = strlen(HINT "\n");
        CHECK(run(2, argv1) == 1);
        CHECK(strlen(err_buf) >= hl && strcmp(err_buf + strlen(err_buf) - hl, HINT "\n") == 0);
        CHECK(run(4, argv2) == 1);
        CHECK(strstr(err_buf, "unknown option '--bogus'") != NULL && strstr(err_buf, HINT) != NULL);
        CHECK(run(4, argv3) == 1);
        CHECK(strstr(err_buf, "too many arguments") != NULL && strstr(err_buf, HINT) != NULL);
        CHECK(run(5, argv4) == 1);
        CHECK(strstr(err_buf, "'keep'") != NULL && strstr(err_buf, HINT) != NULL);
        CHECK(run(4, argv5) == 1);
        CHECK(strstr(err_buf, "needs a value") != NULL && strstr(err_buf, HINT) != NULL);
    }
    imageio_image_free(&a);
    imageio_image_free(&b);
    return tt_finish("test_cmd_compare");
}
