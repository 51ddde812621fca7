/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_ci.c — critical values over every (level, df) region, with
 * GSL's error handler failing the test: the t quantile below df = 1 (solved
 * from the incomplete beta function) against high-precision values and
 * against GSL where GSL converges, the overflow status past the double
 * range, and the intervals and differences built on them. */
#include <float.h>

#include <gsl/gsl_cdf.h>

#include "test_util.h"

#include "socind/socind.h"

static const double LEVELS[] = {1e-300, 1e-16,    1e-6,      0.01,        0.1,        0.3,
                                0.5,    0.6,      0.8,       0.9,         0.95,       0.99,
                                0.999,  0.999999, 1 - 1e-12, 1 - 0x1p-52, 1 - 0x1p-53};
#define NLEVELS (sizeof LEVELS / sizeof LEVELS[0])

static const double DFS[] = {0x1p-1074, 1e-310, 1e-300, 1e-200, 1e-100,   1e-20,  1e-8, 1e-4,
                             0.001,     0.002,  0.005,  0.01,   0.02,     0.03,   0.05, 0.1,
                             0.25,      0.5,    0.75,   0.99,   1 - 1e-9, 1,      1.5,  2,
                             3,         10,     30,     31,     100,      1e3,    1e4,  1e6,
                             1e10,      1e19,   1e20,   1e100,  1e300,    DBL_MAX};
#define NDFS (sizeof DFS / sizeof DFS[0])

/* Every (level, df): SOCIND_OK with a finite q >= 0, or SOCIND_ERR_OVERFLOW
 * with q NaN; q grows with the level and falls with df, and once a level
 * overflows at some df it overflows at every smaller df. GSL's handler is
 * never reached. */
static void test_sweep(void **state) {
    (void)state;
    double q[NLEVELS][NDFS];
    int32_t st[NLEVELS][NDFS];
    int overflow = 0;
    for (size_t i = 0; i < NLEVELS; i++)
        for (size_t j = 0; j < NDFS; j++) {
            st[i][j] = socind_critical_value(LEVELS[i], SOCIND_CI_T, DFS[j], &q[i][j]);
            if (st[i][j] == SOCIND_OK) {
                assert_true(isfinite(q[i][j]) && q[i][j] >= 0.0);
                assert_string_equal(socind_last_error_detail(), "");
            } else {
                assert_int_equal(st[i][j], SOCIND_ERR_OVERFLOW);
                assert_true(isnan(q[i][j]));
                assert_true(strstr(socind_last_error_detail(), "exceeds the double range"));
                assert_int_equal(socind_last_error_row(), -1);
                overflow++;
            }
        }
    assert_true(overflow > 50);
    for (size_t i = 0; i < NLEVELS; i++)
        for (size_t j = 0; j < NDFS; j++) {
            if (j + 1 < NDFS && st[i][j] == SOCIND_OK) {
                assert_int_equal(st[i][j + 1], SOCIND_OK);
                assert_true(q[i][j + 1] <= q[i][j] * (1 + 1e-13));
            }
            if (i + 1 < NLEVELS && st[i][j] == SOCIND_ERR_OVERFLOW)
                assert_int_equal(st[i + 1][j], SOCIND_ERR_OVERFLOW);
            if (i + 1 < NLEVELS && st[i + 1][j] == SOCIND_OK) assert_true(q[i][j] <= q[i + 1][j]);
        }
    /* df from 1 up: finite at every level (GSL's quantile) */
    for (size_t i = 0; i < NLEVELS; i++)
        for (size_t j = 0; j < NDFS; j++)
            if (DFS[j] >= 1.0) assert_int_equal(st[i][j], SOCIND_OK);
    /* the normal quantile at every level, and for df = +inf */
    for (size_t i = 0; i < NLEVELS; i++) {
        double qn, qi;
        assert_int_equal(socind_critical_value(LEVELS[i], SOCIND_CI_NORMAL, NAN, &qn), SOCIND_OK);
        assert_int_equal(socind_critical_value(LEVELS[i], SOCIND_CI_T, INFINITY, &qi), SOCIND_OK);
        assert_true(isfinite(qn) && qn == qi);
        assert_true(q[i][NDFS - 1] == qn); /* df = DBL_MAX */
    }
}

/* High-precision t quantiles (50 digits, the incomplete beta function
 * solved by bisection) at the doubles nearest the levels and df shown. */
static void test_reference_values(void **state) {
    (void)state;
    static const struct {
        double level, df, q;
    } ref[] = {
        {0.95, 0.5, 164.5576734804882408},         {0.95, 0.05, 1.1958337585475155469e+25},
        {0.5, 0.001, 1.6949002133401275546e+299},  {0.3, 0.001, 1.2621426894230853285e+153},
        {0.95, 0.005, 5.6930352325659983205e+258}, {1e-6, 1e-8, 1.3441257810890053551e+39},
        {0.01, 0.5, 0.018543934043029251047},      {1e-6, 0.9, 1.6042491290974313444e-6},
        {0.1, 0.01, 1890.1317414591447074},        {0.999999, 0.02, 7.1286211554676598041e+298},
        {0.6, 0.2, 23.461068826533901822},         {0.001, 0.002, 0.023341094044577990776},
    };
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        double q;
        assert_int_equal(socind_critical_value(ref[i].level, SOCIND_CI_T, ref[i].df, &q),
                         SOCIND_OK);
        assert_close(q, ref[i].q, 2e-13);
    }
    /* near 0 the density of t is Γ((df + 1)/2)/(√(df·π) Γ(df/2)): at df = ½
     * and level 1e−300, q = 1e−300/(2·f(0)) */
    double q, f0 = tgamma(0.75) / (sqrt(0.5 * 3.14159265358979323846) * tgamma(0.25));
    assert_int_equal(socind_critical_value(1e-300, SOCIND_CI_T, 0.5, &q), SOCIND_OK);
    assert_close(q, 1e-300 / (2.0 * f0), 1e-14);
    /* df = 1 (Cauchy, GSL) and just below it (solved here) agree */
    double q1, q0;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 1.0, &q1), SOCIND_OK);
    assert_close(q1, tan(3.14159265358979323846 * 0.475), 1e-14);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 1.0 - 1e-12, &q0), SOCIND_OK);
    assert_close(q0, q1, 1e-10);
    /* the level 1 − 2^−53, where 0.5 + level/2 rounds to 1: the upper tail
     * 2^−54 (Cauchy: 1/tan(π·2^−54)) */
    assert_int_equal(socind_critical_value(1 - 0x1p-53, SOCIND_CI_T, 1.0, &q), SOCIND_OK);
    assert_close(q, 1.0 / tan(3.14159265358979323846 * 0x1p-54), 1e-12);
}

/* Where GSL's iteration converges below df = 1 it agrees with the solution
 * here to 1e−12. */
static void test_agrees_with_gsl(void **state) {
    (void)state;
    const double levels[] = {0.5, 0.8, 0.9, 0.95, 0.99};
    int n = 0;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        for (double df = 0.05; df < 1.0; df += 0.01) {
            double q;
            assert_int_equal(socind_critical_value(levels[i], SOCIND_CI_T, df, &q), SOCIND_OK);
            assert_close(q, gsl_cdf_tdist_Pinv(0.5 + levels[i] / 2, df), 1e-12);
            n++;
        }
    assert_int_equal(n, 5 * 95);
    /* large df: the expansion in 1/df against GSL's iteration */
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        for (double df = 1e10; df < 2e15; df *= 3.7) {
            double q;
            assert_int_equal(socind_critical_value(levels[i], SOCIND_CI_T, df, &q), SOCIND_OK);
            assert_close(q, gsl_cdf_tdist_Pinv(0.5 + levels[i] / 2, df), 2e-15);
        }
}

/* A mean whose interval needs the t quantile: fine for any df of a design;
 * socind_difference on df₁ + df₂ below 1e−300 overflows with a status. */
static void test_difference_tiny_df(void **state) {
    (void)state;
    socind_estimate a = {.value = 1, .se = 0.1, .df = 1e-301, .n = 3},
                    b = {.value = 2, .se = 0.2, .df = 1e-301, .n = 4}, d;
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_ERR_OVERFLOW);
    assert_true(isnan(d.value) && isnan(d.se) && isnan(d.ci_low) && isnan(d.ci_high));
    assert_int_equal(d.status, SOCIND_ERR_OVERFLOW);
    /* se = 0: the interval is the value whatever the quantile */
    a.se = b.se = 0;
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_OK);
    assert_true(d.ci_low == 1 && d.ci_high == 1 && d.status == SOCIND_OK);
    /* df 0.02 in all: finite */
    a.se = 0.1, b.se = 0.2, a.df = b.df = 0.01;
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_OK);
    double q;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 0.02, &q), SOCIND_OK);
    assert_close(d.ci_high, 1 + q * hypot(0.1, 0.2), 1e-15);
    /* values or SEs near the double range */
    a = (socind_estimate){.value = -1e308, .se = 1e307, .df = 10};
    b = (socind_estimate){.value = 1e308, .se = 1e307, .df = 10};
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_ERR_OVERFLOW);
    assert_true(isnan(d.value));
    a.value = 0, b.value = 1;
    a.se = b.se = 1e308; /* √2·1e308 is past DBL_MAX */
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_ERR_OVERFLOW);
    a.se = b.se = 1e200; /* √(se² + se²) without squaring */
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_OK);
    assert_close(d.se, sqrt(2.0) * 1e200, 1e-15);
    /* n is a count */
    a.n = -1;
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_ERR_ARG);
    a.n = INT64_MAX, b.n = 5;
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_OK);
    assert_true(d.n == INT64_MAX);
}

/* common.h: for small df the t quantile grows like (1 − level)^(−1/df) and
 * exceeds DBL_MAX below df ≈ −ln(1 − level)/ln(DBL_MAX): about 0.0042 at
 * level 0.95, 0.0194 at 0.999999, 0.00097 at 0.5 and 1.4e−5 at 0.01. The
 * quantile is finite 2 % above each stated threshold and overflows 2 %
 * below it, and the formula's threshold is within 1 % of the measured one. */
static void test_small_df_thresholds(void **state) {
    (void)state;
    const double level[4] = {0.95, 0.999999, 0.5, 0.01},
                 stated[4] = {0.0042, 0.0194, 0.00097, 1.4e-5};
    for (int i = 0; i < 4; i++) {
        double q;
        assert_int_equal(socind_critical_value(level[i], SOCIND_CI_T, stated[i] * 1.02, &q),
                         SOCIND_OK);
        assert_true(isfinite(q));
        assert_int_equal(socind_critical_value(level[i], SOCIND_CI_T, stated[i] * 0.98, &q),
                         SOCIND_ERR_OVERFLOW);
        /* the threshold by bisection against the growth formula's */
        double lo = stated[i] / 2, hi = stated[i] * 2;
        for (int it = 0; it < 60; it++) {
            double mid = sqrt(lo * hi);
            if (socind_critical_value(level[i], SOCIND_CI_T, mid, &q) == SOCIND_ERR_OVERFLOW)
                lo = mid;
            else
                hi = mid;
        }
        assert_close(hi, -log1p(-level[i]) / log(DBL_MAX), 0.01);
    }
}

/* The proportion intervals by hand (R's svyciprop formulas), their NaN
 * cases and the refusal of unknown codes. */
/* The likelihood profile where its grid is not finite (few rows, a tiny
 * p̂, a huge SE) or does not reach a cutoff (R's logit link makes it flat
 * beyond |β| = 30): SOCIND_ERR_RANGE with that limit NaN (R's NA; the
 * other may be finite, as R's is), never a crash — a NaN grid point once
 * kept the regularization from advancing. */
static void test_likelihood_degenerate(void **state) {
    (void)state;
    socind_options o;
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_LIKELIHOOD;
    const struct {
        double p, se, df;
        int64_t n;
    } c[] = {{0.3, 0.1, 1, 2},   {0.1, 0.3, 231, 2},    {4.9e-324, 1e-300, 231, 10},
             {0.5, 0.2, 231, 1}, {0.3, 1e300, 231, 50}, {0.3, 0.1, 231, 3}};
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        double lo = 0, hi = 0;
        int32_t st = socind_prop_ci(c[i].p, c[i].se, c[i].df, c[i].n, &o, &lo, &hi);
        assert_true(st == SOCIND_OK || st == SOCIND_ERR_RANGE || st == SOCIND_ERR_DF);
        if (st)
            assert_true(isnan(lo) || isnan(hi));
        else
            assert_true(lo <= c[i].p && c[i].p <= hi);
    }
    /* through an estimator: three rows, one PSU each */
    const double w[3] = {1, 1, 1}, x[3] = {1, 0, 0};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(3, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_estimate e;
    assert_int_equal(socind_proportion(d, x, NULL, 0, &o, &e), SOCIND_OK);
    assert_true(e.status == SOCIND_OK || (e.status == SOCIND_ERR_RANGE && isnan(e.ci_low)));
    socind_design_free(d);
}

static void test_prop_ci_methods(void **state) {
    (void)state;
    const double p = 0.12, se = 0.03, df = 20.0;
    const int64_t n = 150;
    socind_options o;
    socind_options_init(&o);
    double q, lo, hi;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, df, &q), SOCIND_OK);
    /* mean and wald: p ∓ q·se */
    o.prop_ci = SOCIND_PROP_CI_MEAN;
    assert_int_equal(socind_prop_ci(p, se, df, n, &o, &lo, &hi), SOCIND_OK);
    assert_close(lo, p - q * se, 1e-15);
    assert_close(hi, p + q * se, 1e-15);
    /* xlogit = logit away from 0 and 1 */
    double eta = log(p / (1 - p)), h = q * se / (p * (1 - p));
    o.prop_ci = SOCIND_PROP_CI_XLOGIT;
    assert_int_equal(socind_prop_ci(p, se, df, n, &o, &lo, &hi), SOCIND_OK);
    assert_close(lo, 1 / (1 + exp(-(eta - h))), 1e-14);
    assert_close(hi, 1 / (1 + exp(-(eta + h))), 1e-14);
    /* asin: the angle clamped at 0 (R folds back there: 0.46 here) */
    o.prop_ci = SOCIND_PROP_CI_ASIN;
    double q1, p2 = 0.035, se2 = 0.027;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 1.0, &q1), SOCIND_OK);
    assert_int_equal(socind_prop_ci(p2, se2, 1.0, 40, &o, &lo, &hi), SOCIND_OK);
    double a = asin(sqrt(p2)), ha = q1 * se2 / (2 * sqrt(p2 * (1 - p2)));
    assert_true(a - ha < 0);
    assert_true(lo == 0.0);
    assert_close(hi, sin(a + ha) * sin(a + ha), 1e-13);
    assert_true(lo <= p2 && p2 <= hi);
    /* beta: at n_eff·p = 1 and n_eff(1 − p) = 1 (normal distribution, df = ∞
       and n_d − 1 → the same quantile ratio only as both are normal) the
       lower limit solves I_x(1, 2) = 1 − (1 − x)² = 0.025 */
    o.prop_ci = SOCIND_PROP_CI_BETA;
    o.ci_dist = SOCIND_CI_NORMAL;
    /* under the normal distribution r = t_{n−1}/z; pick se so n_eff = 2 at p = ½ */
    double tq, z;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 9.0, &tq), SOCIND_OK);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_NORMAL, 0, &z), SOCIND_OK);
    double se3 = sqrt(0.25 / 2.0) * tq / z; /* n_eff = 0.25/se²·(t/z)² = 2 */
    assert_int_equal(socind_prop_ci(0.5, se3, 1.0, 10, &o, &lo, &hi), SOCIND_OK);
    assert_close(lo, 1 - sqrt(0.975), 1e-12); /* I_x(1, 2) = 1 − (1 − x)² */
    assert_close(hi, sqrt(0.975), 1e-12);     /* I_x(2, 1) = x² */
    o.ci_dist = SOCIND_CI_T;
    /* likelihood: the limits are where the signed root of the scaled
       deviance, √(2(n − 1)·KL(p ‖ μ)), reaches ∓ t_df·√λ with
       λ = n·se²/(p(1 − p)); R's grid and spline put them within ~1e-4 of
       that continuous root (README section E) */
    o.prop_ci = SOCIND_PROP_CI_LIKELIHOOD;
    assert_int_equal(socind_prop_ci(p, se, df, n, &o, &lo, &hi), SOCIND_OK);
    double cut = q * sqrt((double)n * se * se / (p * (1 - p)));
    for (int side = 0; side < 2; side++) {
        double l = side ? p : 1e-9, r = side ? 1 - 1e-9 : p; /* bracket of μ */
        for (int it = 0; it < 200; it++) {
            double mu = 0.5 * (l + r);
            double kl = p * log(p / mu) + (1 - p) * log((1 - p) / (1 - mu));
            double zr = sqrt(2.0 * (double)(n - 1) * kl);
            if ((zr > cut) == (side == 0))
                l = mu;
            else
                r = mu;
        }
        assert_close(side ? hi : lo, 0.5 * (l + r), 1e-3);
    }
    /* R's NA: p = 0 (asin, beta, xlogit, likelihood), se = 0 (beta,
       likelihood), df = 0 */
    const int32_t na_at_zero[] = {SOCIND_PROP_CI_ASIN, SOCIND_PROP_CI_BETA, SOCIND_PROP_CI_XLOGIT,
                                  SOCIND_PROP_CI_LIKELIHOOD};
    for (int k = 0; k < 4; k++) {
        o.prop_ci = na_at_zero[k];
        assert_int_equal(socind_prop_ci(0.0, 0.0, df, n, &o, &lo, &hi), SOCIND_ERR_RANGE);
        assert_true(isnan(lo) && isnan(hi));
    }
    o.prop_ci = SOCIND_PROP_CI_BETA;
    assert_int_equal(socind_prop_ci(p, 0.0, df, n, &o, &lo, &hi), SOCIND_ERR_RANGE);
    o.prop_ci = SOCIND_PROP_CI_MEAN;
    assert_int_equal(socind_prop_ci(0.0, 0.0, df, n, &o, &lo, &hi), SOCIND_OK);
    assert_true(lo == 0 && hi == 0);
    for (int32_t m = 0; m < SOCIND_PROP_CI_COUNT; m++) {
        o.prop_ci = m;
        assert_int_equal(socind_prop_ci(p, se, 0.0, n, &o, &lo, &hi), SOCIND_ERR_DF);
        assert_true(isnan(lo) && isnan(hi));
    }
    /* bad arguments and codes */
    o.prop_ci = SOCIND_PROP_CI_COUNT;
    assert_int_equal(socind_prop_ci(p, se, df, n, &o, &lo, &hi), SOCIND_ERR_ARG);
    o.prop_ci = -1;
    assert_int_equal(socind_prop_ci(p, se, df, n, &o, &lo, &hi), SOCIND_ERR_ARG);
    o.prop_ci = SOCIND_PROP_CI_BETA;
    assert_int_equal(socind_prop_ci(1.5, se, df, n, &o, &lo, &hi), SOCIND_ERR_ARG);
    assert_int_equal(socind_prop_ci(p, -1.0, df, n, &o, &lo, &hi), SOCIND_ERR_ARG);
    assert_int_equal(socind_prop_ci(p, se, df, 0, &o, &lo, &hi), SOCIND_ERR_ARG);
    assert_int_equal(socind_prop_ci(p, se, df, n, &o, NULL, &hi), SOCIND_ERR_NULL);
    assert_true(isnan(hi));
}

/* Options for Korn–Graubard's interval with normal quantiles, and the ratio
 * of the t quantile on 99 df to the normal one (the factor its n_eff takes
 * from df = 1 · n = 100 below). */
static double beta_normal_options(socind_options *o) {
    socind_options_init(o);
    o->prop_ci = SOCIND_PROP_CI_BETA;
    o->ci_dist = SOCIND_CI_NORMAL;
    double tq, z;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 99.0, &tq), SOCIND_OK);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_NORMAL, 0, &z), SOCIND_OK);
    return tq / z;
}

/* Korn–Graubard's interval where a shape of the beta quantiles, n_eff·p̂ or
 * n_eff(1 − p̂), is tiny or 0 in doubles: Beta(a, b) with a → 0 is a point
 * mass at 0, so the lower limit is 0 (R's qbeta(0.025, 0, b) = 0), and
 * with b → 0 the upper limit is 1. log B(a, b) overflowed there (Γ(a) near
 * 1/a: Γ(1e−160)·Γ(100) > DBL_MAX; Γ(0) infinite) and the limits came out
 * at 1/3 or 0.0097, an interval excluding p̂. */
static void test_beta_tiny_shapes(void **state) {
    (void)state;
    socind_options o;
    double lo, hi;
    const double r = beta_normal_options(&o);
    /* n_eff = 100 at p̂ = 1e−162: shapes (1e−160, 101) and (1 + 1e−160,
       100); the upper limit is then Beta(1, 100)'s 97.5 % point,
       1 − 0.025^(1/100) (I_x(1, b) = 1 − (1 − x)^b), the lower one 0 */
    double p = 1e-162, se = sqrt(p * (1 - p) / 100.0) * r;
    assert_int_equal(socind_prop_ci(p, se, 1.0, 100, &o, &lo, &hi), SOCIND_OK);
    assert_true(lo == 0.0);
    assert_close(hi, 1.0 - pow(0.025, 0.01), 1e-12);
    /* n_eff·p̂ below the doubles (p̂ = 1e−200, se 0.01: n_eff = 1e−196, the
       shapes (0, 1) and (1, 1e−196)): [0, 1] */
    assert_int_equal(socind_prop_ci(1e-200, 0.01, 30.0, 100, &o, &lo, &hi), SOCIND_OK);
    assert_true(lo == 0.0 && hi == 1.0);
    /* both shapes subnormal (p̂ = ½, se = 1e154: n_eff ≈ 2.5e−309): [0, 1] */
    o.ci_dist = SOCIND_CI_T;
    assert_int_equal(socind_prop_ci(0.5, 1e154, 30.0, 100, &o, &lo, &hi), SOCIND_OK);
    assert_true(lo == 0.0 && hi == 1.0);
    /* every p̂ of a sweep lies in its interval */
    for (int e = -300; e <= -10; e += 10) {
        p = pow(10.0, e);
        assert_int_equal(socind_prop_ci(p, 0.01, 30.0, 100, &o, &lo, &hi), SOCIND_OK);
        assert_true(lo <= p && p <= hi && lo >= 0.0 && hi <= 1.0);
    }
}

/* Beta shapes of very different size: n_eff·p̂ = 1 with n_eff = 1/p̂ up to
 * 1e15 (not the tiny-se branch: se = p̂·√(1 − p̂)·r). The lower limit is
 * qbeta(0.025, 1, b) with b = n_eff·(1 − p̂) + 1, exactly
 * 1 − 0.975^(1/b) (I_x(1, b) = 1 − (1 − x)^b); log B(1, b) taken as the
 * difference of log Γ(b) and log Γ(b + 1), numbers near b·log b, lost
 * its digits (p̂ = 1e−15: lower limit 1.57e−17 for 2.53e−17). */
static void test_beta_shapes_far_apart(void **state) {
    (void)state;
    socind_options o;
    double lo, hi;
    const double r = beta_normal_options(&o);
    for (int e = -4; e >= -15; e--) {
        const double p = pow(10.0, e), se = p * sqrt(1.0 - p) * r;
        const double neff = p * (1.0 - p) / (se * se) * (r * r), b = neff * (1.0 - p) + 1.0;
        assert_int_equal(socind_prop_ci(p, se, 1.0, 100, &o, &lo, &hi), SOCIND_OK);
        assert_close(lo, -expm1(log1p(-0.025) / b), 1e-9);
        assert_true(lo <= p && p <= hi);
    }
}

/* The logit, asin and xlogit intervals are images of a symmetric interval
 * on an increasing transform, so p̂ lies in them, also with se = 0 (a
 * domain in one PSU, where both limits are p̂ within rounding): their
 * rounding gave [p̂ + 2 ulp, p̂ + 2 ulp] at p̂ = 0.003 (logit) and missed p̂
 * in 427, 896 and 355 of the 2,997 cases below. */
static void test_interval_contains_estimate(void **state) {
    (void)state;
    socind_options o;
    socind_options_init(&o);
    const int32_t methods[3] = {SOCIND_PROP_CI_LOGIT, SOCIND_PROP_CI_ASIN, SOCIND_PROP_CI_XLOGIT};
    const double ses[3] = {0.0, 1e-17, 1e-12};
    for (int m = 0; m < 3; m++) {
        o.prop_ci = methods[m];
        for (int i = 1; i < 1000; i++)
            for (int s = 0; s < 3; s++) {
                const double p = i / 1000.0;
                double lo, hi;
                assert_int_equal(socind_prop_ci(p, ses[s], 30.0, 100, &o, &lo, &hi), SOCIND_OK);
                assert_true(lo <= p && p <= hi);
                if (ses[s] == 0.0) assert_true(hi - lo <= 1e-14 * p);
            }
    }
}

/* The beta interval (R's svyciprop(method = "beta")) where one shape,
 * n_eff·p̂ or n_eff(1 − p̂), is small and the other huge. Beta(a, b) is
 * then Gamma(a)/b to a relative O(a/b): R's qbeta(P, a, b) is GSL's gamma
 * quantile over b, and near 1 by qbeta(P, a, b) = 1 − qbeta(1 − P, b, a).
 * r = t_{n−1}/t_df (the design's t or the normal one). */
static double beta_neff(double p, double se, double r) {
    return p * (1 - p) / (se * se) * r * r;
}

/* A tiny SE where neither the normal approximation is exact to 2^-52 nor
 * a shape is 1e7 times the other (n_eff ≈ 1e22, shapes ≈ 1e22 and 2e15):
 * the beta iteration on such shapes ran for seconds and stopped short
 * (p̂ = 1 − 1.9e-7, se = 4.4e-15: the lower limit 3e-5 below p̂); the
 * normal approximation p̂ ∓ z·se/r is within about 1e-15 of each limit
 * there. */
static void test_beta_tiny_se_near_shapes(void **state) {
    (void)state;
    socind_options o;
    double lo, hi, z;
    const double r = beta_normal_options(&o);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_NORMAL, 0, &z), SOCIND_OK);
    const double cases[][2] = {{0.99999980945392819, 4.3651579066753076e-15},
                               {3.162277660171212e-07, 5.6234123627662338e-15},
                               {0.99999858746, 3.76e-13},
                               {3.98e-6, 1e-14}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const double p = cases[k][0], se = cases[k][1], h = z * se / r;
        assert_int_equal(socind_prop_ci(p, se, 1.0, 100, &o, &lo, &hi), SOCIND_OK);
        /* (each limit a double: p̂ − lo and hi − p̂ in steps of p̂'s ulp) */
        assert_close_abs(p - lo, h, 1e-6, DBL_EPSILON * p);
        assert_close_abs(hi - p, h, 1e-6, DBL_EPSILON * p);
    }
    /* an SE above the tiny bound with n_eff above 1e16 all the same: n = 2
       at 99.9 % (t_1 / z ≈ 194): p̂ = 0.0079, se = 1.6e-9 gave two equal
       limits that missed p̂ */
    o.level = 0.999;
    double t1, z3;
    assert_int_equal(socind_critical_value(0.999, SOCIND_CI_T, 1.0, &t1), SOCIND_OK);
    assert_int_equal(socind_critical_value(0.999, SOCIND_CI_NORMAL, 0, &z3), SOCIND_OK);
    const double p = 0.007943282347249921, se = 1.578586015509482e-09, h = z3 * se / (t1 / z3);
    assert_int_equal(socind_prop_ci(p, se, 1.0, 2, &o, &lo, &hi), SOCIND_OK);
    assert_close(p - lo, h, 1e-6);
    assert_close(hi - p, h, 1e-6);
}

static void test_beta_extreme_shapes(void **state) {
    (void)state;
    socind_options o;
    const double rn = beta_normal_options(&o); /* t_99/z */
    const int64_t n = 100;
    double z, t1, lo, hi;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_NORMAL, 0, &z), SOCIND_OK);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 1.0, &t1), SOCIND_OK);
    const double tn = rn * z, r1 = tn / t1; /* t_99/t_1 */

    /* p̂ = 1e-17, se = 1e-17 (an SE below 1e-8·√(p̂(1 − p̂))): shapes
       n_eff·p̂ ≈ 1 and ≈ 1e17; p̂ − z·se/r would be negative */
    double p = 1e-17, se = 1e-17, ne = beta_neff(p, se, rn);
    assert_int_equal(socind_prop_ci(p, se, INFINITY, n, &o, &lo, &hi), SOCIND_OK);
    assert_close(lo, gsl_cdf_gamma_Pinv(0.025, ne * p, 1.0) / (ne * (1 - p) + 1), 1e-13);
    assert_close(hi, gsl_cdf_gamma_Qinv(0.025, ne * p + 1, 1.0) / (ne * (1 - p)), 1e-13);
    assert_true(lo > 0 && lo <= p && p <= hi && hi <= 1);

    /* p̂ = se = 1e-300, where se² underflows: n_eff ≈ 1e300, still finite */
    p = 1e-300, se = 1e-300, ne = (p / se) * ((1 - p) / se) * rn * rn;
    assert_int_equal(socind_prop_ci(p, se, INFINITY, n, &o, &lo, &hi), SOCIND_OK);
    assert_close(lo, gsl_cdf_gamma_Pinv(0.025, ne * p, 1.0) / (ne * (1 - p) + 1), 1e-13);
    assert_close(hi, gsl_cdf_gamma_Qinv(0.025, ne * p + 1, 1.0) / (ne * (1 - p)), 1e-13);
    /* p̂ = se = 1e-310: n_eff past the double range, no interval (was
       p̂ ∓ z·se/r, negative) */
    assert_int_equal(socind_prop_ci(1e-310, 1e-310, INFINITY, n, &o, &lo, &hi), SOCIND_ERR_RANGE);
    assert_true(isnan(lo) && isnan(hi));

    /* the same shapes from an SE above that bound: p̂ = 1e-12, se = 1e-12,
       shapes ≈ 1 and ≈ 1e12; the upper limit, 1 − a quantile near 1,
       kept only 2^-53 absolutely (4e-6 relative) */
    p = 1e-12, se = 1e-12, ne = beta_neff(p, se, rn);
    assert_int_equal(socind_prop_ci(p, se, INFINITY, n, &o, &lo, &hi), SOCIND_OK);
    assert_close(lo, gsl_cdf_gamma_Pinv(0.025, ne * p, 1.0) / (ne * (1 - p) + 1), 1e-11);
    assert_close(hi, gsl_cdf_gamma_Qinv(0.025, ne * p + 1, 1.0) / (ne * (1 - p)), 1e-11);

    /* a tiny SE on a design with 1 df (r = t_99/t_1): shapes ≈ 250 and
       ≈ 2.5e16, where p̂ ∓ z·se/r is off by about (1 + (z² − 1)/3)/n_eff,
       ¼ of the half width */
    o.ci_dist = SOCIND_CI_T;
    p = 1e-14, se = 1e-16, ne = beta_neff(p, se, r1);
    assert_true(se < 1e-8 * sqrt(p * (1 - p)));
    assert_int_equal(socind_prop_ci(p, se, 1.0, n, &o, &lo, &hi), SOCIND_OK);
    assert_close(lo, gsl_cdf_gamma_Pinv(0.025, ne * p, 1.0) / (ne * (1 - p) + 1), 1e-13);
    assert_close(hi, gsl_cdf_gamma_Qinv(0.025, ne * p + 1, 1.0) / (ne * (1 - p)), 1e-13);

    /* the mirror at p̂ = 1 − 2^-40 (shapes ≈ 2.7e14 and ≈ 250): the upper
       limit is 1 − the lower one for 1 − p̂, to the 2^-53 a double near 1
       resolves */
    const double q = 0x1p-40;
    p = 1 - q, se = q / 100, ne = beta_neff(p, se, r1);
    assert_true(se < 1e-8 * sqrt(p * (1 - p)));
    assert_int_equal(socind_prop_ci(p, se, 1.0, n, &o, &lo, &hi), SOCIND_OK);
    double ehi = 1 - gsl_cdf_gamma_Pinv(0.025, ne * q, 1.0) / (ne * p + 1);
    double elo = 1 - gsl_cdf_gamma_Qinv(0.025, ne * q + 1, 1.0) / (ne * p);
    assert_true(fabs(hi - ehi) <= 0x1p-52 && fabs(lo - elo) <= 0x1p-52);
    assert_true(lo <= p && p <= hi && hi <= 1);
    /* p̂ ∓ z·se/r, which the limits replace, is tens of steps of 2^-53 off */
    assert_true(fabs(hi - (p + z * se / r1)) > 2e-15);
    assert_true(fabs(lo - (p - z * se / r1)) > 2e-15);

    /* p̂ = ½ with n_eff ≈ 1e16 from an SE just above the bound: both
       shapes ≈ 5e15, where the beta quantiles equal p̂ ∓ z·se/r to
       O(1/n_eff) (their log density, taken directly, lost itself in
       rounding there and the limits crossed) */
    o.ci_dist = SOCIND_CI_NORMAL;
    p = 0.5, se = 1.01e-8 * 0.5;
    assert_int_equal(socind_prop_ci(p, se, INFINITY, n, &o, &lo, &hi), SOCIND_OK);
    assert_close_abs(lo, p - z * se / rn, 0, 1e-15);
    assert_close_abs(hi, p + z * se / rn, 0, 1e-15);

    /* where the shapes are both huge (p̂ = ½, se = 1e-10: ≈ 1.25e19) the
       normal approximation, exact to 1e-19 relative, is kept as it was */
    p = 0.5, se = 1e-10;
    assert_int_equal(socind_prop_ci(p, se, INFINITY, n, &o, &lo, &hi), SOCIND_OK);
    assert_true(lo == p - z * se / rn && hi == p + z * se / rn);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_reference_values),
        cmocka_unit_test(test_agrees_with_gsl),
        cmocka_unit_test(test_difference_tiny_df),
        cmocka_unit_test(test_small_df_thresholds),
        cmocka_unit_test(test_prop_ci_methods),
        cmocka_unit_test(test_likelihood_degenerate),
        cmocka_unit_test(test_beta_tiny_shapes),
        cmocka_unit_test(test_beta_shapes_far_apart),
        cmocka_unit_test(test_interval_contains_estimate),
        cmocka_unit_test(test_beta_extreme_shapes),
        cmocka_unit_test(test_beta_tiny_se_near_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
