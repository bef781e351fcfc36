/* The FFTW DCT behind the transform interface: equals the orthonormal DCT-II
 * formula, inverts exactly (to rounding), preserves energy, and gives the same
 * result whether a block is transformed alone or inside a batch that spans
 * FFTW's internal batch boundary; objects made for one direction give the same
 * bits as those made for both. */
#include "codec_test_util.h"
#include "rtx_transform.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static void dct_reference(const double *x, double *X)
{
    for (int v = 0; v < 8; v++)
        for (int u = 0; u < 8; u++) {
            const double cu = u == 0 ? sqrt(0.125) : 0.5, cv = v == 0 ? sqrt(0.125) : 0.5;
            double s = 0.0;
            for (int y = 0; y < 8; y++)
                for (int xx = 0; xx < 8; xx++)
                    s += x[y * 8 + xx] * cos((2 * xx + 1) * u * PI / 16) * cos((2 * y + 1) * v * PI / 16);
            X[v * 8 + u] = cu * cv * s;
        }
}

int main(void)
{
    enum { N = 300 };
    recimg_transform *t = NULL;
    double *in = malloc(N * 64 * sizeof(double)), *out = malloc(N * 64 * sizeof(double));
    double *back = malloc(N * 64 * sizeof(double)), ref[64], one[64];
    double maxerr = 0.0, maxinv = 0.0;
    uint64_t s = 12345;

    CHECK(in && out && back);
    CHECK(rtx_transform_create(RTX_TRANSFORM_DCT8, &t) == 0 && t != NULL);
    rtx_transform_destroy(t);
    CHECK(rtx_transform_create(99, &t) == -1 && t == NULL);
    CHECK(rtx_transform_create(RTX_TRANSFORM_DCT8, &t) == 0);
    if (!t || !in || !out || !back)
        return ct_finish("test_codec_dct");
    CHECK(t->id == RTX_TRANSFORM_DCT8);
    for (int i = 0; i < N * 64; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        in[i] = (double)(s >> 40) / (double)(1 << 24) * 255.0 - 128.0;
    }
    t->forward(t, in, out, N);
    for (int b = 0; b < N; b++) {
        double ein = 0.0, eout = 0.0;
        dct_reference(in + b * 64, ref);
        for (int k = 0; k < 64; k++) {
            const double e = fabs(ref[k] - out[b * 64 + k]);
            if (e > maxerr) maxerr = e;
            ein += in[b * 64 + k] * in[b * 64 + k];
            eout += out[b * 64 + k] * out[b * 64 + k];
        }
        CHECK(fabs(ein - eout) < 1e-8 * ein + 1e-9);   /* Parseval: orthonormal */
    }
    CHECK(maxerr < 1e-9);
    t->inverse(t, out, back, N);
    for (int i = 0; i < N * 64; i++)
        if (fabs(back[i] - in[i]) > maxinv) maxinv = fabs(back[i] - in[i]);
    CHECK(maxinv < 1e-9);
    /* a block alone equals the same block inside the batch (bit for bit) */
    t->forward(t, in + 290 * 64, one, 1);
    CHECK(memcmp(one, out + 290 * 64, sizeof one) == 0);
    /* in place */
    memcpy(back, in, N * 64 * sizeof(double));
    t->forward(t, back, back, N);
    CHECK(memcmp(back, out, N * 64 * sizeof(double)) == 0);
    /* zero blocks is a no-op */
    t->forward(t, in, out, 0);
    /* one-direction objects (what the codec's encoder and decoder make): the other
       pointer is NULL, and the direction made gives the same bits as the object
       with both (the 300 blocks span a partial FFTW batch) */
    {
        recimg_transform *f = NULL, *iv = NULL;
        double *o2 = malloc(N * 64 * sizeof(double)), *b1 = malloc(N * 64 * sizeof(double));
        CHECK(o2 && b1);
        CHECK(rtx_transform_create_dirs(RTX_TRANSFORM_DCT8, 0, &f) == -1 && f == NULL);
        CHECK(rtx_transform_create_dirs(RTX_TRANSFORM_DCT8, 4, &f) == -1 && f == NULL);
        CHECK(rtx_transform_create_dirs(99, RTX_DIR_FORWARD, &f) == -1 && f == NULL);
        CHECK(rtx_transform_create_dirs(RTX_TRANSFORM_DCT8, RTX_DIR_FORWARD, &f) == 0 && f != NULL);
        CHECK(rtx_transform_create_dirs(RTX_TRANSFORM_DCT8, RTX_DIR_INVERSE, &iv) == 0 && iv != NULL);
        if (f && iv && o2 && b1) {
            CHECK(f->forward != NULL && f->inverse == NULL);
            CHECK(iv->forward == NULL && iv->inverse != NULL);
            f->forward(f, in, o2, N);
            CHECK(memcmp(o2, out, N * 64 * sizeof(double)) == 0);
            t->inverse(t, out, back, N);
            iv->inverse(iv, out, b1, N);
            CHECK(memcmp(b1, back, N * 64 * sizeof(double)) == 0);
        }
        rtx_transform_destroy(f);
        rtx_transform_destroy(iv);
        free(o2);
        free(b1);
    }
    printf("max |fftw - formula| = %.3g, max inverse error = %.3g\n", maxerr, maxinv);
    rtx_transform_destroy(t);
    rtx_transform_destroy(NULL);
    free(in);
    free(out);
    free(back);
    return ct_finish("test_codec_dct");
}
