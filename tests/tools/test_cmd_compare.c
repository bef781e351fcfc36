/* tests/tools/test_cmd_compare.c: `recimg compare` (tool_cmd_compare) end to end: text
 * and JSON output on identical and different images, exit status 1 for unreadable or
 * mismatched inputs and 2 for usage errors. stdout is redirected to a file to read it. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_compare.h"
#include "imageio.h"
#include "tools_test_util.h"

static char out_buf[8192];

/* Runs tool_cmd_compare with stdout captured into out_buf; returns its status. */
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
    rc = tool_cmd_compare(argc, args);
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
    {   /* mismatched size, missing file, not an image: 1 */
        const char *argv1[] = {"compare", pa, pc};
        const char *argv2[] = {"compare", pa, pm};
        const char *argv3[] = {"compare", "/dev/null", pa};
        CHECK(run(3, argv1) == 1);
        CHECK(run(3, argv2) == 1);
        CHECK(run(3, argv3) == 1);
    }
    {   /* usage errors: 2 */
        const char *argv1[] = {"compare", pa};
        const char *argv2[] = {"compare", pa, pa, "--bogus"};
        const char *argv3[] = {"compare", pa, pa, pa};
        const char *argv4[] = {"compare", pa, pa, "--alpha", "keep"};
        CHECK(run(2, argv1) == 2);
        CHECK(run(4, argv2) == 2);
        CHECK(run(4, argv3) == 2);
        CHECK(run(5, argv4) == 2);
    }
    imageio_image_free(&a);
    imageio_image_free(&b);
    return tt_finish("test_cmd_compare");
}
