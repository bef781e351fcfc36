/* tests/tools/test_bdrate.c: Bjontegaard BD-rate and BD-PSNR on synthetic curves with a
 * known answer. */
#include <math.h>
#include <stdio.h>

#include "metrics.h"
#include "tools_test_util.h"

/* A realistic-looking RD curve: ln(rate) as a cubic in PSNR. */
static double ln_rate(double q)
{
    const double t = (q - 34.0) / 6.0;
    return -0.2 + 1.1 * t + 0.15 * t * t + 0.05 * t * t * t;
}

int main(void)
{
    double ra[5], qa[5], rb[5], qb[5], rc[4], qc[4], pct, dq;
    int i;
    for (i = 0; i < 5; i++) {
        qa[i] = 28.0 + 3.0 * i;
        ra[i] = exp(ln_rate(qa[i]));
        qb[i] = qa[i];
        rb[i] = 0.8 * ra[i];
    }
    /* B needs 0.8x the rate everywhere: -20% exactly. */
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == 0);
    printf("0.8x rate: BD-rate %.9f%%\n", pct);
    CHECK(fabs(pct - (-20.0)) < 1e-9);
    /* and A against B: +25% */
    CHECK(metrics_bd_rate(rb, qb, 5, ra, qa, 5, &pct) == 0);
    CHECK(fabs(pct - 25.0) < 1e-9);
    /* identical curves: 0 */
    CHECK(metrics_bd_rate(ra, qa, 5, ra, qa, 5, &pct) == 0);
    CHECK(fabs(pct) < 1e-12);

    /* Different sample points on the same cubic, at half the rate, and listed out of
     * order: the fits are exact, so -50% over the overlap [31, 37]. */
    {
        const double q[4] = {37.0, 31.0, 35.0, 33.5};
        for (i = 0; i < 4; i++) {
            qc[i] = q[i];
            rc[i] = 0.5 * exp(ln_rate(q[i]));
        }
    }
    CHECK(metrics_bd_rate(ra, qa, 5, rc, qc, 4, &pct) == 0);
    printf("0.5x rate, other points: BD-rate %.9f%%\n", pct);
    CHECK(fabs(pct - (-50.0)) < 1e-7);

    /* BD-PSNR: B is 1 dB better at every rate. */
    for (i = 0; i < 5; i++) {
        rb[i] = ra[i];
        qb[i] = qa[i] + 1.0;
    }
    CHECK(metrics_bd_quality(ra, qa, 5, rb, qb, 5, &dq) == 0);
    printf("+1 dB: BD-PSNR %.9f dB\n", dq);
    CHECK(fabs(dq - 1.0) < 1e-7);

    /* A rate ratio that varies with quality: BD-rate is the exp of the mean log ratio.
     * ln(rB/rA) = 0.1 (q - 34) / 6 has mean 0 over [28, 40] -> 0%. */
    for (i = 0; i < 5; i++) {
        qb[i] = qa[i];
        rb[i] = ra[i] * exp(0.1 * (qa[i] - 34.0) / 6.0);
    }
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == 0);
    CHECK(fabs(pct) < 1e-9);

    /* Refusals: too few points, non-positive rate, no overlap, repeated qualities. */
    CHECK(metrics_bd_rate(ra, qa, 3, rb, qb, 5, &pct) == -1);
    rb[2] = 0.0;
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == -1);
    for (i = 0; i < 5; i++) {
        qb[i] = qa[i] + 20.0;
        rb[i] = ra[i];
    }
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == -1);
    for (i = 0; i < 5; i++)
        qb[i] = 30.0 + (i % 2);
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == -1);
    /* A saturating curve (quality falls as rate rises) is refused instead of extrapolated. */
    for (i = 0; i < 5; i++) {
        qb[i] = qa[i] + 1.0;
        rb[i] = ra[i];
    }
    qb[4] = qb[3] - 0.02;
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == -1);
    CHECK(metrics_bd_quality(ra, qa, 5, rb, qb, 5, &dq) == -1);
    /* equal points (a codec stuck at its lowest quality) are fine */
    qb[4] = qa[4] + 1.0;
    rb[1] = rb[0];
    qb[1] = qb[0];
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == 0);
    qb[0] = (double)NAN;
    CHECK(metrics_bd_rate(ra, qa, 5, rb, qb, 5, &pct) == -1);
    return tt_finish("test_bdrate");
}
