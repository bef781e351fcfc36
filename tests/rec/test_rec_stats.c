/* rec_stats: numeric D_CS of Gaussians against the figures of DESIGN.md 3.6
 * (D_CS - KL -> 0.52 bits as KL grows; about 0.40 bits averaged over the
 * Gaussian channel setting at I = 0.18 nats),
 * KL formula, D_CS >= KL, KS statistic on known samples, moments, median. */
#include "rec_stats.h"
#include "rec_test_util.h"

#include <math.h>
#include <stdio.h>

int main(void)
{
    double gap = 0, wsum = 0, s;
    int i;
    /* Channel setting at I = 0.18 nats: s = e^-0.18, mu ~ N(0, 1 - s^2); the
     * average of D_CS - KL over mu (grid over +-5 sd with normal weights). */
    s = exp(-0.18);
    for (i = -250; i <= 250; i++) {
        const double z = i / 50.0, w = exp(-0.5 * z * z), mu = z * sqrt(1 - s * s);
        gap += w * (rec_stats_dcs_gauss_bits(mu, s) - rec_stats_kl_gauss_bits(mu, s));
        wsum += w;
    }
    gap /= wsum;
    printf("  channel average of D_CS - KL at I = 0.18 nats: %.4f bits (DESIGN: about 0.40)\n", gap);
    CHECK(fabs(gap - 0.40) < 0.03);
    gap = rec_stats_dcs_gauss_bits(1.5, pow(2.0, -14)) - rec_stats_kl_gauss_bits(1.5, pow(2.0, -14));
    printf("  D_CS - KL at KL ~ 15 bits: %.4f bits (DESIGN: 0.52)\n", gap);
    CHECK(fabs(gap - 0.52) < 0.01);
    for (i = 1; i <= 20; i++) {
        const double ss = pow(2.0, -0.5 * i), mu = 0.3 * i - 2.0;
        CHECK(rec_stats_dcs_gauss_bits(mu, ss) >= rec_stats_kl_gauss_bits(mu, ss));
    }
    CHECK(isnan(rec_stats_dcs_gauss_bits(0, 1.0)));
    CHECK(fabs(rec_stats_kl_gauss_bits(2.0, 1.0) - 2.0 / log(2.0)) < 1e-12);
    {
        /* a perfect grid has D = 1/(2n); shifted values a larger D */
        double u[1000], v[1000], m;
        rec_moments mo;
        for (i = 0; i < 1000; i++) {
            u[i] = (999 - i + 0.5) / 1000.0;
            v[i] = (i + 0.5) / 1000.0 * 0.8;
        }
        CHECK(fabs(rec_stats_ks_uniform(u, 1000) - sqrt(1000.0) * 0.0005) < 1e-12);
        CHECK(fabs(rec_stats_ks_uniform(v, 1000) - sqrt(1000.0) * (1.0 - 0.8 * 999.5 / 1000.0)) < 1e-9);
        rec_moments_init(&mo);
        for (i = 1; i <= 5; i++)
            rec_moments_add(&mo, (double)i);
        CHECK(fabs(mo.mean - 3.0) < 1e-15 && fabs(rec_moments_var(&mo) - 2.5) < 1e-15);
        m = rec_stats_median(u, 1000);
        CHECK(fabs(m - 0.5) < 1e-15);
    }
    return rec_test_finish("test_rec_stats");
}
