/* recimg train-transform: learn an orthonormal 8x8 block transform from images.
 *
 *   recimg train-transform --images DIR|FILE [--images ...] -o T.rtx
 *                          [--kind klt|separable|rd] [--stride N] [--order variance|dct]
 *                          [--emit-c FILE.c] [--init dct|klt] [--threshold T] [--iterations N]
 *
 * Method (Karhunen-Loeve transform). Every 8x8 luma block at a stride of N
 * pixels (default 4; blocks overlap) is a 64-vector x of samples minus 128;
 * the block covariance C = E[x x^T] - E[x] E[x]^T is accumulated in double.
 *   - klt: the eigenvectors of C (LAPACKE_dsyev) are the rows of a 64x64
 *     orthonormal matrix; the eigenvector with the i-th largest eigenvalue
 *     (variance) goes to coefficient position zigzag[i] (--order variance,
 *     default), so position 0 is the DC-like vector and variance falls along
 *     the codec's coding order; --order dct instead gives each eigenvector, in
 *     decreasing variance, the free DCT position whose basis vector it overlaps
 *     most, keeping the horizontal/vertical meaning of (u, v).
 *   - separable: 8-point KLTs of the column and row covariances, both
 *     marginals of C (C_v[y1][y2] = mean over x of C[(y1,x),(y2,x)], and
 *     likewise for rows), rows ordered by decreasing variance.
 *   - rd: a sparse orthonormal transform (sot_refine below): starting from the
 *     DCT (or the KLT, --init klt), alternate hard thresholding at T (default 8)
 *     and an orthogonal Procrustes update, --iterations times (default 20). It
 *     minimises distortion + T^2 * nonzero coefficients, a rate-distortion proxy;
 *     gradient descent on the codec's exact objective is not implemented.
 * Sign convention: each basis vector is flipped so that its first entry of
 * magnitude >= 1e-6 is positive (as for the DCT, whose basis vectors all start
 * positive), which keeps the DC-like coefficient's sign meaningful for DC
 * prediction.
 *
 * Reports on stderr: the block count, and the coding gain (arithmetic over
 * geometric mean of the 64 coefficient variances, in dB) of the learned
 * transform and of the DCT on the same training covariance. A progress line
 * is shown while reading images when stderr is a terminal.
 *
 * Unlike the rest of tools/, this command uses the transforms/ file-format API
 * (rtx_file.h), exported by librecimg, to write .rtx files.
 *
 * LAPACKE is loaded with dlopen when this command runs (lapack_load), not linked:
 * relocating liblapacke, liblapack, libblas and libgfortran at start-up cost every
 * other recimg command 3.3 M instructions, half of a whole cjpeg run (docs/SPEED.md). */
#define _POSIX_C_SOURCE 200809L

#include "imageio.h"
#include "rtx_file.h"
#include "rtx_learned.h"
#include "tool_args.h"

#include <dirent.h>
#include <dlfcn.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

int tool_cmd_train(int argc, char **argv);

enum { EXIT_FAIL = 1, MAX_INPUTS = 4096 };
/* --kind rd keeps its blocks in memory (512 bytes each): at most this many (512 MiB). */
#define RD_MAX_BLOCKS ((size_t)1 << 20)

/* Standard JPEG zigzag: raster index (v*8 + u) of the i-th coefficient; the same
 * order as the codec's coding order (codec/codec_ctx.c). */
static const uint8_t zigzag[64] = {
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

/* Training blocks kept in memory for --kind rd (64 doubles each). */
typedef struct {
    double *x;
    size_t n, cap;
} block_store;

typedef struct {
    double sum[64];
    double sum2[64 * 64];   /* upper triangle accumulated, mirrored at the end */
    uint64_t n;
} moments;

/* Prints "recimg: train-transform: WHAT 'ARG'" (ARG omitted when NULL) and the usage;
 * returns EXIT_FAIL (usage errors exit 1 like every other error). */
static int train_usage(const char *what, const char *arg)
{
    fprintf(stderr, "recimg: train-transform: %s", what);
    if (arg)
        fprintf(stderr, " '%s'", arg);
    fprintf(stderr, "\nusage: recimg train-transform --images DIR|FILE [--images ...] -o T.rtx\n"
                    "         [--kind klt|separable|rd] [--stride N] [--order variance|dct]"
                    " [--emit-c FILE.c]\n"
                    "         rd only: [--init dct|klt] [--threshold T] [--iterations N]\n");
    return EXIT_FAIL;
}

static int has_image_ext(const char *name)
{
    static const char *const ext[] = {".png", ".jpg", ".jpeg", ".ppm", ".pgm"};
    const size_t n = strlen(name);
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
        const size_t e = strlen(ext[i]);
        if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
            return 1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the image files named by arg (a file, or a directory's image files in
 * name order) to list. Returns 0, or -1 with a message printed. */
static int add_inputs(const char *arg, char **list, int *count)
{
    struct stat sb;
    DIR *d;
    struct dirent *de;
    int first = *count;
    if (stat(arg, &sb) != 0) {
        fprintf(stderr, "recimg: %s: no such file or directory\n", arg);
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        if (*count >= MAX_INPUTS || !(list[*count] = strdup(arg))) {
            fprintf(stderr, "recimg: too many input images\n");
            return -1;
        }
        (*count)++;
        return 0;
    }
    d = opendir(arg);
    if (!d) {
        fprintf(stderr, "recimg: %s: cannot open the directory\n", arg);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        size_t len;
        if (de->d_name[0] == '.' || !has_image_ext(de->d_name))
            continue;
        len = strlen(arg) + strlen(de->d_name) + 2;
        if (*count >= MAX_INPUTS || !(list[*count] = (char *)malloc(len))) {
            closedir(d);
            fprintf(stderr, "recimg: too many input images\n");
            return -1;
        }
        snprintf(list[*count], len, "%s/%s", arg, de->d_name);
        (*count)++;
    }
    closedir(d);
    if (*count == first) {
        fprintf(stderr, "recimg: %s: no .png/.jpg/.ppm/.pgm images in the directory\n", arg);
        return -1;
    }
    qsort(list + first, (size_t)(*count - first), sizeof *list, cmp_str);
    return 0;
}

/* Accumulates every 8x8 block of the luma plane at the given stride, and
 * appends it to store when store is not NULL. Returns 0, -1 on out of memory,
 * -2 when the store would exceed RD_MAX_BLOCKS. */
static int accumulate(const double *y, uint32_t w, uint32_t h, int stride, moments *mo,
                      block_store *store)
{
    for (uint32_t by = 0; by + 8 <= h; by += (uint32_t)stride) {
        for (uint32_t bx = 0; bx + 8 <= w; bx += (uint32_t)stride) {
            double x[64];
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++)
                    x[r * 8 + c] = y[(size_t)(by + (uint32_t)r) * w + bx + (uint32_t)c] - 128.0;
            for (int i = 0; i < 64; i++) {
                mo->sum[i] += x[i];
                for (int j = i; j < 64; j++)
                    mo->sum2[i * 64 + j] += x[i] * x[j];
            }
            mo->n++;
            if (store) {
                if (store->n == RD_MAX_BLOCKS)
                    return -2;
                if (store->n == store->cap) {
                    const size_t cap = store->cap ? 2 * store->cap : 4096;
                    double *nx = (double *)realloc(store->x, cap * 64 * sizeof(double));
                    if (!nx)
                        return -1;
                    store->x = nx;
                    store->cap = cap;
                }
                memcpy(store->x + store->n * 64, x, sizeof x);
                store->n++;
            }
        }
    }
    return 0;
}

/* LAPACKE entry points, resolved by lapack_load. */
typedef lapack_int (*dsyev_fn)(int layout, char jobz, char uplo, lapack_int n, double *a,
                               lapack_int lda, double *w);
typedef lapack_int (*dgesvd_fn)(int layout, char jobu, char jobvt, lapack_int m, lapack_int n,
                                double *a, lapack_int lda, double *s, double *u, lapack_int ldu,
                                double *vt, lapack_int ldvt, double *superb);
static dsyev_fn lapack_dsyev;
static dgesvd_fn lapack_dgesvd;

/* Loads LAPACKE: the runtime soname first, then the library CMake linked against at
 * configure time (RECIMG_LAPACKE_PATH), then the development name. 0, or -1 with a
 * message on stderr. The handle stays open until exit. */
static int lapack_load(void)
{
    static const char *const names[] = {"liblapacke.so.3",
#ifdef RECIMG_LAPACKE_PATH
                                        RECIMG_LAPACKE_PATH,
#endif
                                        "liblapacke.so"};
    const char *why = "not found";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        void *p1, *p2;
        if (!h) {
            const char *e = dlerror();
            if (i == 0 && e)
                why = e;
            continue;
        }
        p1 = dlsym(h, "LAPACKE_dsyev");
        p2 = dlsym(h, "LAPACKE_dgesvd");
        if (p1 && p2) {
            /* object to function pointer: the POSIX dlsym idiom, through memcpy */
            memcpy(&lapack_dsyev, &p1, sizeof lapack_dsyev);
            memcpy(&lapack_dgesvd, &p2, sizeof lapack_dgesvd);
            return 0;
        }
        why = "LAPACKE_dsyev or LAPACKE_dgesvd missing";
        dlclose(h);
    }
    fprintf(stderr, "recimg: train-transform: cannot load LAPACKE (liblapacke.so.3): %s\n", why);
    return -1;
}

/* Eigen-decomposition of the n x n symmetric matrix c: vec receives the
 * eigenvectors as ROWS ordered by decreasing eigenvalue (sign-normalised),
 * val the eigenvalues. Returns 0 or the LAPACK info code. */
static int eig_desc(const double *c, int n, double *vec, double *val)
{
    double a[64 * 64], w[64];
    int info;
    memcpy(a, c, (size_t)(n * n) * sizeof(double));
    info = lapack_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', n, a, n, w);
    if (info != 0)
        return info;
    for (int r = 0; r < n; r++) {
        const int src = n - 1 - r;   /* dsyev: ascending eigenvalues, vectors in columns */
        double sign = 1.0;
        for (int i = 0; i < n; i++) {
            if (fabs(a[i * n + src]) >= 1e-6) {
                sign = a[i * n + src] < 0.0 ? -1.0 : 1.0;
                break;
            }
        }
        for (int i = 0; i < n; i++)
            vec[r * n + i] = sign * a[i * n + src];
        val[r] = w[src] > 0.0 ? w[src] : 0.0;
    }
    return 0;
}

/* Orthonormal 8-point DCT-II basis, rows = frequencies. */
static void dct8(double d[64])
{
    const double pi = 3.14159265358979323846;
    for (int k = 0; k < 8; k++)
        for (int i = 0; i < 8; i++)
            d[k * 8 + i] = (k == 0 ? sqrt(1.0 / 8.0) : sqrt(2.0 / 8.0)) *
                           cos(pi * (2.0 * i + 1.0) * k / 16.0);
}

/* Expands a matrix to its 64x64 form (separable: Kronecker product V (x) H). */
static void expand(const rtx_matrix *m, double *a)
{
    if (m->kind == RTX_KIND_FULL) {
        memcpy(a, m->m, 4096 * sizeof(double));
        return;
    }
    for (int v = 0; v < 8; v++)
        for (int u = 0; u < 8; u++)
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 8; x++)
                    a[(v * 8 + u) * 64 + y * 8 + x] = m->m[v * 8 + y] * m->m[64 + u * 8 + x];
}

/* var[k] = a_k^T C a_k for the 64 rows of a (64x64). */
static void variances(const double *a, const double *c, double *var)
{
    for (int k = 0; k < 64; k++) {
        double s = 0.0;
        for (int i = 0; i < 64; i++) {
            double t = 0.0;
            for (int j = 0; j < 64; j++)
                t += c[i * 64 + j] * a[k * 64 + j];
            s += a[k * 64 + i] * t;
        }
        var[k] = s > 0.0 ? s : 0.0;
    }
}

/* Coding gain in dB: arithmetic over geometric mean of the variances. */
static double coding_gain_db(const double *var)
{
    double am = 0.0, lg = 0.0;
    for (int k = 0; k < 64; k++) {
        am += var[k] / 64.0;
        lg += log(var[k] > 1e-12 ? var[k] : 1e-12) / 64.0;
    }
    return 10.0 * log10(am / exp(lg));
}

/* Sparse orthonormal transform refinement (the --kind rd objective):
 * minimise sum_n ||x_n - A^T c_n||^2 + T^2 * #{c_nk != 0} over orthonormal A
 * and coefficients c, by alternating the two exact minimisations: c = the hard
 * threshold of A x at T (coefficients the codec would zero), then A = U V^T
 * from the SVD of M = sum_n c_n x_n^T (orthogonal Procrustes). Each step cannot
 * increase the objective; row k of A stays tied to coefficient position k, so
 * starting from the DCT keeps the DCT's band layout. Distortion plus T^2 times
 * the number of nonzero coefficients is a rate-distortion proxy, not the
 * codec's exact rate. Returns 0, or -1 when the SVD fails. */
static int sot_refine(const block_store *bs, double T, int iterations, int tty, double *a)
{
    double m[4096], u[4096], vt[4096], sv[64], superb[63];
    double first = 0.0, obj = 0.0;
    for (int it = 0; it <= iterations; it++) {
        double dist = 0.0;
        size_t nnz = 0;
        memset(m, 0, sizeof m);
        for (size_t b = 0; b < bs->n; b++) {
            const double *x = bs->x + b * 64;
            for (int k = 0; k < 64; k++) {
                const double *row = a + k * 64;
                double c = 0.0;
                for (int j = 0; j < 64; j++)
                    c += row[j] * x[j];
                if (fabs(c) < T) {
                    dist += c * c;
                    continue;
                }
                nnz++;
                for (int j = 0; j < 64; j++)
                    m[k * 64 + j] += c * x[j];
            }
        }
        obj = (dist + T * T * (double)nnz) / (double)bs->n;
        if (it == 0)
            first = obj;
        if (tty)
            fprintf(stderr, "\rtrain-transform: rd iteration %d/%d, objective %.3f per block, "
                            "%.2f nonzero per block  ", it, iterations, obj, (double)nnz / (double)bs->n);
        if (it == iterations)
            break;
        if (lapack_dgesvd(LAPACK_ROW_MAJOR, 'A', 'A', 64, 64, m, 64, sv, u, 64, vt, 64, superb) != 0)
            return -1;
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++) {
                double s = 0.0;
                for (int k = 0; k < 64; k++)
                    s += u[i * 64 + k] * vt[k * 64 + j];
                a[i * 64 + j] = s;
            }
    }
    if (tty)
        fprintf(stderr, "\n");
    fprintf(stderr, "train-transform: rd objective (distortion + T^2 nonzeros, T = %g) per block: "
                    "%.3f initially, %.3f after %d iterations\n", T, first, obj, iterations);
    return 0;
}

static char *c_source(const char *path, const rtx_file *f, int argc, char **argv, size_t *size,
                      char *err, size_t err_size)
{
    const size_t n = rtx_kind_entries(f->matrix.kind);
    const char *name = f->matrix.kind == RTX_KIND_SEPARABLE ? "rtx_builtin_sep_entries"
                       : f->method == RTX_METHOD_RD ? "rtx_builtin_rd_entries" : "rtx_builtin_klt_entries";
    size_t cap = 8192 + n * 32, len = 0;
    char *buf = (char *)malloc(cap);
    if (!buf) {
        snprintf(err, err_size, "%s: out of memory", path);
        return NULL;
    }
#define EMIT(...) len += (size_t)snprintf(buf + len, cap - len, __VA_ARGS__)
    EMIT("/* Built-in learned transform (%s), generated data: do not edit.\n * Produced by:\n *   recimg",
         f->matrix.kind == RTX_KIND_SEPARABLE ? "separable 8-point KLT"
         : f->method == RTX_METHOD_RD ? "sparse orthonormal refinement of the DCT" : "64-point KLT");
    for (int i = 0; i < argc; i++)
        EMIT(" %s", argv[i]);
    EMIT("\n * from %llu training blocks (luma, 8x8, samples minus 128). Row-major, one basis\n"
         " * vector per row; layout in transforms/rtx_learned.h. */\n#include \"rtx_learned.h\"\n\n"
         "static const double entries[%zu] = {\n", (unsigned long long)f->samples, n);
    for (size_t i = 0; i < n; i++)
        EMIT("%s%.17g%s", i % 4 == 0 ? "    " : " ", f->matrix.m[i],
             i + 1 == n ? "\n" : (i % 4 == 3 ? ",\n" : ","));
    EMIT("};\n\nconst double *%s(void)\n{\n    return entries;\n}\n", name);
#undef EMIT
    *size = len;
    return buf;
}

int tool_cmd_train(int argc, char **argv)
{
    char *inputs[MAX_INPUTS];
    int ninputs = 0, stride = 4, order_dct = 0, status = EXIT_FAIL, init_klt = 0, iterations = 20;
    double threshold = 8.0;
    block_store store = {NULL, 0, 0};
    const char *out = NULL, *emit_c = NULL, *kind = "klt";
    moments *mo = NULL;
    rtx_file *f = NULL;
    double *cov = NULL, *full = NULL;
    uint8_t *bytes = NULL;
    char *csrc = NULL;
    size_t csize = 0;
    size_t nbytes = 0;
    char err[512];
    const int tty = isatty(fileno(stderr));

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        /* every option takes a value: one not listed is unknown even as the last word */
        static const char *const valued[] = {"--images", "-o", "--output", "--kind", "--stride", "--order",
                                             "--init", "--threshold", "--iterations", "--emit-c"};
        int known = 0;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !known; k++)
            known = !strcmp(a, valued[k]);
        if (!known)
            { status = train_usage("unknown option", a); goto done; }
        if (!v)
            { status = train_usage("missing the value of option", a); goto done; }
        i++;
        if (!strcmp(a, "--images")) {
            if (add_inputs(v, inputs, &ninputs) != 0)
                goto done;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            out = v;
        } else if (!strcmp(a, "--kind")) {
            if (strcmp(v, "klt") && strcmp(v, "separable") && strcmp(v, "rd"))
                { status = train_usage("--kind must be klt, separable or rd, not", v); goto done; }
            kind = v;
        } else if (!strcmp(a, "--stride")) {
            unsigned long long s;
            if (tool_parse_u64(v, &s) || s < 1 || s > 8)
                { status = train_usage("--stride must be an integer in 1..8, not", v); goto done; }
            stride = (int)s;
        } else if (!strcmp(a, "--order")) {
            if (strcmp(v, "variance") && strcmp(v, "dct"))
                { status = train_usage("--order must be variance or dct, not", v); goto done; }
            order_dct = !strcmp(v, "dct");
        } else if (!strcmp(a, "--init")) {
            if (strcmp(v, "dct") && strcmp(v, "klt"))
                { status = train_usage("--init must be dct or klt, not", v); goto done; }
            init_klt = !strcmp(v, "klt");
        } else if (!strcmp(a, "--threshold")) {
            if (tool_parse_double(v, 0.0, 1000.0, &threshold) || !(threshold > 0.0))
                { status = train_usage("--threshold must be a number in (0, 1000], not", v); goto done; }
        } else if (!strcmp(a, "--iterations")) {
            unsigned long long n;
            if (tool_parse_u64(v, &n) || n > 1000)
                { status = train_usage("--iterations must be an integer in 0..1000, not", v); goto done; }
            iterations = (int)n;
        } else if (!strcmp(a, "--emit-c")) {
            emit_c = v;
        } else {
            { status = train_usage("unknown option", a); goto done; }
        }
    }
    if (ninputs == 0) {
        status = train_usage("no training images (--images DIR|FILE)", NULL);
        goto done;
    }
    if (!out) {
        status = train_usage("no output file (-o T.rtx)", NULL);
        goto done;
    }
    if (emit_c && (!strcmp(out, emit_c) || imageio_same_file(out, emit_c))) {
        status = train_usage("-o and --emit-c name the same file", NULL);
        goto done;
    }
    for (int i = 0; i < ninputs; i++)
        if (imageio_same_file(inputs[i], out) || (emit_c && imageio_same_file(inputs[i], emit_c))) {
            fprintf(stderr, "recimg: train-transform: refusing to overwrite the input %s\n",
                    inputs[i]);
            goto done;
        }
    if (lapack_load() != 0)
        goto done;
    mo = (moments *)calloc(1, sizeof *mo);
    f = (rtx_file *)calloc(1, sizeof *f);
    cov = (double *)malloc(4096 * sizeof(double));
    full = (double *)malloc(4096 * sizeof(double));
    if (!mo || !f || !cov || !full) {
        fprintf(stderr, "recimg: train-transform: out of memory\n");
        goto done;
    }
    for (int i = 0; i < ninputs; i++) {
        imageio_image img;
        double *y;
        if (tty)
            fprintf(stderr, "\rtrain-transform: image %d/%d, %llu blocks  ", i + 1, ninputs,
                    (unsigned long long)mo->n);
        if (imageio_read(inputs[i], IMAGEIO_ALPHA_DROP, &img, err, sizeof err) != 0) {
            fprintf(stderr, "%srecimg: %s\n", tty ? "\n" : "", err);
            goto done;
        }
        y = (double *)malloc((size_t)img.width * img.height * sizeof(double));
        if (!y) {
            imageio_image_free(&img);
            fprintf(stderr, "%srecimg: %s: out of memory\n", tty ? "\n" : "", inputs[i]);
            goto done;
        }
        imageio_luma(&img, y);
        {
            const int rc = accumulate(y, img.width, img.height, stride, mo,
                                      !strcmp(kind, "rd") ? &store : NULL);
            free(y);
            imageio_image_free(&img);
            if (rc == -2) {
                fprintf(stderr, "%srecimg: train-transform: --kind rd keeps at most %zu blocks in memory; "
                                "use a larger --stride or fewer images\n", tty ? "\n" : "", RD_MAX_BLOCKS);
                goto done;
            }
            if (rc != 0) {
                fprintf(stderr, "%srecimg: %s: out of memory\n", tty ? "\n" : "", inputs[i]);
                goto done;
            }
        }
    }
    if (tty)
        fprintf(stderr, "\rtrain-transform: %d images, %llu blocks        \n", ninputs,
                (unsigned long long)mo->n);
    if (mo->n < 64) {
        fprintf(stderr, "recimg: train-transform: only %llu 8x8 blocks in the images; need at least 64\n",
                (unsigned long long)mo->n);
        goto done;
    }
    for (int i = 0; i < 64; i++)
        for (int j = i; j < 64; j++) {
            const double nn = (double)mo->n;
            const double c = mo->sum2[i * 64 + j] / nn - (mo->sum[i] / nn) * (mo->sum[j] / nn);
            cov[i * 64 + j] = cov[j * 64 + i] = c;
        }

    f->samples = mo->n;
    if (!strcmp(kind, "rd") && !init_klt) {
        rtx_matrix dm;
        dm.kind = RTX_KIND_SEPARABLE;
        dct8(dm.m);
        dct8(dm.m + 64);
        f->matrix.kind = RTX_KIND_FULL;
        expand(&dm, f->matrix.m);
    } else if (strcmp(kind, "separable")) {
        double vec[4096], val[64], d[64];
        int used[64] = {0};
        if (eig_desc(cov, 64, vec, val) != 0) {
            fprintf(stderr, "recimg: train-transform: LAPACKE_dsyev failed\n");
            goto done;
        }
        f->matrix.kind = RTX_KIND_FULL;
        dct8(d);
        for (int r = 0; r < 64; r++) {
            int pos = zigzag[r];
            if (order_dct) {
                double best = -1.0;
                for (int k = 0; k < 64; k++) {
                    double dot = 0.0;
                    if (used[k])
                        continue;
                    for (int j = 0; j < 64; j++)
                        dot += vec[r * 64 + j] * d[(k >> 3) * 8 + (j >> 3)] * d[(k & 7) * 8 + (j & 7)];
                    if (fabs(dot) > best) {
                        best = fabs(dot);
                        pos = k;
                    }
                }
                used[pos] = 1;
            }
            memcpy(f->matrix.m + pos * 64, vec + r * 64, 64 * sizeof(double));
        }
    } else {
        double cv[64] = {0}, ch[64] = {0}, val[8];
        for (int y1 = 0; y1 < 8; y1++)
            for (int y2 = 0; y2 < 8; y2++)
                for (int x = 0; x < 8; x++) {
                    cv[y1 * 8 + y2] += cov[(y1 * 8 + x) * 64 + y2 * 8 + x] / 8.0;   /* columns */
                    ch[y1 * 8 + y2] += cov[(x * 8 + y1) * 64 + x * 8 + y2] / 8.0;   /* rows */
                }
        f->matrix.kind = RTX_KIND_SEPARABLE;
        f->method = RTX_METHOD_SEPARABLE;
        if (eig_desc(cv, 8, f->matrix.m, val) != 0 || eig_desc(ch, 8, f->matrix.m + 64, val) != 0) {
            fprintf(stderr, "recimg: train-transform: LAPACKE_dsyev failed\n");
            goto done;
        }
    }
    f->method = !strcmp(kind, "rd") ? RTX_METHOD_RD
              : !strcmp(kind, "klt") ? RTX_METHOD_KLT : RTX_METHOD_SEPARABLE;
    if (!strcmp(kind, "rd") && sot_refine(&store, threshold, iterations, tty, f->matrix.m) != 0) {
        fprintf(stderr, "recimg: train-transform: LAPACKE_dgesvd failed\n");
        goto done;
    }
    /* LAPACK's vectors are orthonormal to rounding; re-orthonormalise so the
       file check (1e-6) holds with a wide margin. */
    if (rtx_matrix_orthonormalize(&f->matrix) != 0) {
        fprintf(stderr, "recimg: train-transform: eigenvectors are not independent\n");
        goto done;
    }
    expand(&f->matrix, full);
    variances(full, cov, f->variance);
    {
        rtx_matrix dm;
        double dvar[64];
        dm.kind = RTX_KIND_SEPARABLE;
        dct8(dm.m);
        dct8(dm.m + 64);
        expand(&dm, full);
        variances(full, cov, dvar);
        fprintf(stderr, "train-transform: %s from %d images, %llu blocks (stride %d): coding gain "
                        "%.3f dB (DCT on the same data: %.3f dB); band 0 variance %.1f (DCT DC %.1f)\n",
                kind, ninputs, (unsigned long long)mo->n, stride, coding_gain_db(f->variance),
                coding_gain_db(dvar), f->variance[0], dvar[0]);
    }
    if (rtx_file_serialize(f, &bytes, &nbytes) != RTX_FILE_OK) {
        fprintf(stderr, "recimg: train-transform: the learned matrix failed validation\n");
        goto done;
    }
    /* With --emit-c both files are written as one step: a failure leaves neither. */
    if (emit_c && !(csrc = c_source(emit_c, f, argc, argv, &csize, err, sizeof err))) {
        fprintf(stderr, "recimg: %s\n", err);
        goto done;
    }
    if ((emit_c ? imageio_write_file_pair_atomic(out, bytes, nbytes, emit_c, csrc, csize, err,
                                                 sizeof err)
                : imageio_write_file_atomic(out, bytes, nbytes, err, sizeof err)) != 0) {
        fprintf(stderr, "recimg: %s\n", err);
        goto done;
    }
    status = 0;
done:
    for (int i = 0; i < ninputs; i++)
        free(inputs[i]);
    free(mo);
    free(f);
    free(cov);
    free(full);
    free(bytes);
    free(csrc);
    free(store.x);
    return status;
}
