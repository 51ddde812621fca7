/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_design.c — the survey design, the variance engine and the basic
 * estimators on small hand-worked designs, and every bad input. */
#include "test_util.h"

#include "socind/socind.h"

/*
 * The hand-worked design (8 rows, 3 strata, 6 PSUs):
 *
 *   row  stratum psu   w   x
 *    0     10     1    2   1      PSU 1: z = 2·1 + 1·3 = 5
 *    1     10     1    1   3
 *    2     10     2    2   2      PSU 2: z = 4
 *    3     20     3    1   4      PSU 3: z = 4
 *    4     20     4    3   0      PSU 4: z = 0
 *    5     20     5    2   1      PSU 5: z = 2
 *    6     30     6    1   5      PSU 6: z = 6 (a lonely PSU)
 *    7     30     6    1   1
 *
 * Total X = 21. Stratum 10: z̄ = 4.5, Σ(z − z̄)² = 0.5, × 2/1 = 1.
 * Stratum 20: z̄ = 2, Σ(z − z̄)² = 8, × 3/2 = 12. Strata 10 + 20 = 13.
 * Lonely stratum 30 by policy: remove / certainty 0 → V = 13;
 * adjust: grand mean c = 21/6 = 3.5, (6 − 3.5)² = 6.25 → V = 19.25;
 * average: 13 · 3/2 = 19.5. df = 6 PSUs − 3 strata = 3.
 */
static const double W[8] = {2, 1, 2, 1, 3, 2, 1, 1};
static const double X[8] = {1, 3, 2, 4, 0, 1, 5, 1};
static const int64_t S[8] = {10, 10, 10, 20, 20, 20, 30, 30};
static const int64_t P[8] = {1, 1, 2, 3, 4, 5, 6, 6};

static socind_design *make(int32_t lonely, const double *fpc) {
    socind_design_options o;
    assert_int_equal(socind_design_options_init(&o), SOCIND_OK);
    o.lonely_psu = lonely;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(8, W, S, P, fpc, &o, &d), SOCIND_OK);
    assert_non_null(d);
    return d;
}

static void test_total_lonely_policies(void **state) {
    (void)state;
    const int32_t pol[4] = {SOCIND_LONELY_REMOVE, SOCIND_LONELY_CERTAINTY, SOCIND_LONELY_ADJUST,
                            SOCIND_LONELY_AVERAGE};
    const double var[4] = {13.0, 13.0, 19.25, 19.5};
    for (int i = 0; i < 4; i++) {
        socind_design *d = make(pol[i], NULL);
        assert_int_equal(socind_design_nstrata(d), 3);
        assert_int_equal(socind_design_npsu(d), 6);
        assert_int_equal(socind_design_nrows(d), 8);
        assert_close(socind_design_df(d), 3.0, 0);
        socind_estimate e;
        assert_int_equal(socind_total(d, X, NULL, 0, NULL, &e), SOCIND_OK);
        assert_close(e.value, 21.0, 1e-15);
        assert_close(e.se, sqrt(var[i]), 1e-14);
        assert_int_equal(e.n, 8);
        assert_close(e.weight_sum, 13.0, 1e-15);
        assert_close(e.df, 3.0, 0);
        assert_int_equal(e.status, SOCIND_OK);
        assert_true(isnan(e.deff));
        /* the engine on u = x gives the same variance */
        double v;
        assert_int_equal(socind_variance(d, X, NULL, 0, &v), SOCIND_OK);
        assert_close(v, var[i], 1e-14);
        socind_design_free(d);
    }
}

static void test_lonely_fail_refuses_design(void **state) {
    (void)state;
    socind_design *d = (socind_design *)1;
    assert_int_equal(socind_design_new(8, W, S, P, NULL, NULL, &d), SOCIND_ERR_LONELY_PSU);
    assert_null(d);
    assert_non_null(strstr(socind_last_error_detail(), "stratum 30"));
}

/* A stratum whose single PSU is its whole population (fpc N_h = 1, or a
 * fraction of 1) is a certainty PSU, not a lonely one: R's survey applies
 * the lonely-PSU policy only where N_h > 1. With N_h = 4, 6, 1 the hand
 * design's V = 0.5·1 + 0.5·12 + 0 = 6.5 under every policy, FAIL included
 * (it refused the design), and AVERAGE does not count the stratum among the
 * lonely ones (it gave 6.5·3/2 = 9.75); likewise the Gini and FGT0 against a
 * relative line by domain (the line's basis path) under AVERAGE equal
 * theirs under REMOVE. */
static void test_certainty_stratum_is_not_lonely(void **state) {
    (void)state;
    const double Nh[8] = {4, 4, 4, 6, 6, 6, 1, 1};
    const double fh[8] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1};
    const int32_t pol[5] = {SOCIND_LONELY_FAIL, SOCIND_LONELY_REMOVE, SOCIND_LONELY_CERTAINTY,
                            SOCIND_LONELY_ADJUST, SOCIND_LONELY_AVERAGE};
    const int32_t grp[8] = {0, 1, 0, 1, 0, 1, 0, 1};
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    socind_estimate ref_g[2], ref_f[2];
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 5; i++) {
            socind_design *d = make(pol[i], k ? fh : Nh);
            socind_estimate e, g[2], f[2];
            assert_int_equal(socind_total(d, X, NULL, 0, NULL, &e), SOCIND_OK);
            assert_int_equal(e.status, SOCIND_OK);
            assert_close(e.se, sqrt(6.5), 1e-14);
            assert_int_equal(socind_gini(d, X, grp, 2, NULL, g), SOCIND_OK);
            assert_int_equal(socind_fgt(d, X, &L, 0.0, grp, 2, NULL, f), SOCIND_OK);
            for (int j = 0; j < 2; j++) {
                if (k == 0 && i == 0) {
                    ref_g[j] = g[j], ref_f[j] = f[j];
                    continue;
                }
                assert_close(g[j].se, ref_g[j].se, 1e-14);
                assert_close(f[j].se, ref_f[j].se, 1e-14);
            }
            socind_design_free(d);
        }
    assert_true(ref_g[0].se > 0 && ref_f[0].se > 0);
}

static void test_fpc_counts_and_fractions(void **state) {
    (void)state;
    /* N_h = 4, 6, 2 → f_h = 0.5 everywhere: V = 0.5·1 + 0.5·12 + 0.5·6.25 (adjust) */
    const double Nh[8] = {4, 4, 4, 6, 6, 6, 2, 2};
    const double fh[8] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    for (int k = 0; k < 2; k++) {
        socind_design *d = make(SOCIND_LONELY_ADJUST, k ? fh : Nh);
        socind_estimate e;
        assert_int_equal(socind_total(d, X, NULL, 0, NULL, &e), SOCIND_OK);
        assert_close(e.se, sqrt(0.5 + 6.0 + 3.125), 1e-14);
        socind_design_free(d);
    }
    /* a census stratum (f = 1) contributes nothing */
    const double census[8] = {2, 2, 2, 6, 6, 6, 2, 2};
    socind_design *d = make(SOCIND_LONELY_REMOVE, census);
    socind_estimate e;
    assert_int_equal(socind_total(d, X, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.se, sqrt(0.5 * 12.0), 1e-14);
    socind_design_free(d);
}

static void test_fpc_errors(void **state) {
    (void)state;
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = SOCIND_LONELY_REMOVE;
    socind_design *d = NULL;
    const double varying[8] = {4, 5, 4, 6, 6, 6, 2, 2};
    assert_int_equal(socind_design_new(8, W, S, P, varying, &o, &d), SOCIND_ERR_FPC);
    assert_null(d);
    assert_non_null(strstr(socind_last_error_detail(), "not constant"));
    const double below[8] = {1.5, 1.5, 1.5, 6, 6, 6, 2, 2}; /* 2 PSUs sampled of 1.5 */
    assert_int_equal(socind_design_new(8, W, S, P, below, &o, &d), SOCIND_ERR_FPC);
    const double zero[8] = {4, 4, 4, 6, 6, 6, 0, 0};
    assert_int_equal(socind_design_new(8, W, S, P, zero, &o, &d), SOCIND_ERR_FPC);
    const double nan_[8] = {4, 4, 4, 6, 6, 6, NAN, NAN};
    assert_int_equal(socind_design_new(8, W, S, P, nan_, &o, &d), SOCIND_ERR_FPC);
    assert_null(d);
}

static void test_bad_design_inputs(void **state) {
    (void)state;
    socind_design *d = (socind_design *)1;
    assert_int_equal(socind_design_new(8, NULL, S, P, NULL, NULL, &d), SOCIND_ERR_NULL);
    assert_null(d);
    assert_int_equal(socind_design_new(8, W, S, P, NULL, NULL, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_design_new(0, W, NULL, NULL, NULL, NULL, &d), SOCIND_ERR_EMPTY);
    double w[3] = {1, NAN, 1};
    assert_int_equal(socind_design_new(3, w, NULL, NULL, NULL, NULL, &d), SOCIND_ERR_WEIGHT);
    assert_non_null(strstr(socind_last_error_detail(), "weight[1]"));
    w[1] = -1;
    assert_int_equal(socind_design_new(3, w, NULL, NULL, NULL, NULL, &d), SOCIND_ERR_WEIGHT);
    w[1] = INFINITY;
    assert_int_equal(socind_design_new(3, w, NULL, NULL, NULL, NULL, &d), SOCIND_ERR_WEIGHT);
    double z[3] = {0, 0, 0};
    assert_int_equal(socind_design_new(3, z, NULL, NULL, NULL, NULL, &d), SOCIND_ERR_ZERO_WEIGHTS);
    assert_null(d);
    /* options: bad size, unknown policy, bad nest */
    socind_design_options o;
    socind_design_options_init(&o);
    o.size = 3;
    assert_int_equal(socind_design_new(8, W, S, P, NULL, &o, &d), SOCIND_ERR_OPTIONS);
    socind_design_options_init(&o);
    o.lonely_psu = 99;
    assert_int_equal(socind_design_new(8, W, S, P, NULL, &o, &d), SOCIND_ERR_ARG);
    socind_design_options_init(&o);
    o.nest = 2;
    assert_int_equal(socind_design_new(8, W, S, P, NULL, &o, &d), SOCIND_ERR_ARG);
    assert_int_equal(socind_design_options_init(NULL), SOCIND_ERR_NULL);
    socind_design_free(NULL);
    assert_int_equal(socind_design_nrows(NULL), 0);
    assert_true(isnan(socind_design_df(NULL)));
}

static void test_nesting(void **state) {
    (void)state;
    /* PSU 1 appears in strata 10 and 20 */
    const int64_t s[4] = {10, 10, 20, 20};
    const int64_t p[4] = {1, 2, 1, 2};
    const double w[4] = {1, 1, 1, 1};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(4, w, s, p, NULL, NULL, &d), SOCIND_ERR_NESTING);
    assert_null(d);
    assert_non_null(strstr(socind_last_error_detail(), "PSU 1"));
    socind_design_options o;
    socind_design_options_init(&o);
    o.nest = 1;
    assert_int_equal(socind_design_new(4, w, s, p, NULL, &o, &d), SOCIND_OK);
    assert_int_equal(socind_design_npsu(d), 4);
    assert_close(socind_design_df(d), 2.0, 0);
    socind_design_free(d);
}

static void test_arbitrary_ids_match_dense_ids(void **state) {
    (void)state;
    /* the same design with huge, negative, unordered ids gives the same SE */
    const int64_t s2[8] = {-5, -5, -5, INT64_MAX, INT64_MAX, INT64_MAX, 7, 7};
    const int64_t p2[8] = {900000000001LL, 900000000001LL, -3, 42, INT64_MIN, 0, 17, 17};
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = SOCIND_LONELY_ADJUST;
    socind_design *d1 = make(SOCIND_LONELY_ADJUST, NULL), *d2 = NULL;
    assert_int_equal(socind_design_new(8, W, s2, p2, NULL, &o, &d2), SOCIND_OK);
    socind_estimate e1, e2;
    assert_int_equal(socind_total(d1, X, NULL, 0, NULL, &e1), SOCIND_OK);
    assert_int_equal(socind_total(d2, X, NULL, 0, NULL, &e2), SOCIND_OK);
    assert_close(e2.value, e1.value, 1e-15);
    assert_close(e2.se, e1.se, 1e-14);
    socind_design_free(d1);
    socind_design_free(d2);
}

static void test_many_psus_hash_growth(void **state) {
    (void)state;
    /* 20000 rows, 500 strata of 10 PSUs of 4 rows: exercises the hash maps'
     * growth; compare with the formula computed here directly. */
    enum { N = 20000 };
    double *w = malloc(N * sizeof *w), *x = malloc(N * sizeof *x);
    int64_t *s = malloc(N * sizeof *s), *p = malloc(N * sizeof *p);
    for (int k = 0; k < N; k++) {
        s[k] = 1000003LL * (k / 40);
        p[k] = 7LL * (k / 4) + 13;
        w[k] = 1.0 + (k % 7);
        x[k] = (double)((k * 37) % 11);
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_design_nstrata(d), 500);
    assert_int_equal(socind_design_npsu(d), 5000);
    socind_estimate e;
    assert_int_equal(socind_total(d, x, NULL, 0, NULL, &e), SOCIND_OK);
    double v = 0, tot = 0;
    for (int h = 0; h < 500; h++) {
        double z[10], mean = 0;
        for (int i = 0; i < 10; i++) {
            z[i] = 0;
            for (int r = 0; r < 4; r++) {
                int k = h * 40 + i * 4 + r;
                z[i] += w[k] * x[k];
            }
            mean += z[i] / 10;
            tot += z[i];
        }
        double q = 0;
        for (int i = 0; i < 10; i++) q += (z[i] - mean) * (z[i] - mean);
        v += 10.0 / 9.0 * q;
    }
    assert_close(e.value, tot, 1e-14);
    assert_close(e.se, sqrt(v), 1e-12);
    assert_close(e.df, 4500.0, 0);
    socind_design_free(d);
    free(w);
    free(x);
    free(s);
    free(p);
}

static void test_mean_matches_engine_and_formula(void **state) {
    (void)state;
    socind_design *d = make(SOCIND_LONELY_CERTAINTY, NULL);
    socind_estimate e;
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    assert_int_equal(socind_mean(d, X, NULL, 0, &o, &e), SOCIND_OK);
    double N = 13.0, xbar = 21.0 / 13.0;
    assert_close(e.value, xbar, 1e-15);
    double u[8];
    for (int k = 0; k < 8; k++) u[k] = (X[k] - xbar) / N;
    double v;
    assert_int_equal(socind_variance(d, u, NULL, 0, &v), SOCIND_OK);
    assert_close(e.se, sqrt(v), 1e-13);
    /* by hand: z_p = Σ w (x − x̄)/N per PSU, strata 10 and 20 only */
    double z1 = (2 * (1 - xbar) + 1 * (3 - xbar)) / N, z2 = 2 * (2 - xbar) / N;
    double z3 = (4 - xbar) / N, z4 = 3 * (0 - xbar) / N, z5 = 2 * (1 - xbar) / N;
    double m1 = (z1 + z2) / 2, m2 = (z3 + z4 + z5) / 3;
    double vh = 2.0 * ((z1 - m1) * (z1 - m1) + (z2 - m1) * (z2 - m1)) +
                1.5 * ((z3 - m2) * (z3 - m2) + (z4 - m2) * (z4 - m2) + (z5 - m2) * (z5 - m2));
    assert_close(e.se, sqrt(vh), 1e-13);
    assert_close(e.ci_low, xbar - 1.959963984540054 * e.se, 1e-14);
    assert_close(e.ci_high, xbar + 1.959963984540054 * e.se, 1e-14);
    /* deff = V / (s²/n), s² = Σw(x − x̄)²/Σw · n/(n − 1) */
    double ss = 0;
    for (int k = 0; k < 8; k++) ss += W[k] * (X[k] - xbar) * (X[k] - xbar);
    double vsrs = ss / N * 8.0 / 7.0 / 8.0;
    assert_close(e.deff, vh / vsrs, 1e-12);
    /* t interval on df = 3 by default */
    assert_int_equal(socind_mean(d, X, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.ci_high - e.value, 3.182446305284263 * e.se, 1e-12);
    socind_design_free(d);
}

/* Values far from 1: the mean, total and ratio do not rescale their
 * values, and their PSU totals' squares left the doubles: at x·2^−560 the
 * mean's SE came out 0 with status OK. The PSU totals
 * are scaled by a power of 2 before the variance (exact): every figure is
 * the unscaled one's times 2^k (deff unchanged). socind_variance returns a
 * variance: one below the normal doubles (2^−1200) is refused as
 * SOCIND_ERR_OVERFLOW instead of 0. */
static void test_values_far_from_one(void **state) {
    (void)state;
    socind_design *d = make(SOCIND_LONELY_REMOVE, NULL);
    socind_estimate e0, e, t0, t;
    assert_int_equal(socind_mean(d, X, NULL, 0, NULL, &e0), SOCIND_OK);
    assert_int_equal(socind_total(d, X, NULL, 0, NULL, &t0), SOCIND_OK);
    assert_true(e0.se > 0.0 && t0.se > 0.0 && isfinite(e0.deff));
    const double b[8] = {1, 2, 1, 1, 2, 1, 1, 3};
    socind_estimate r0, r;
    assert_int_equal(socind_ratio(d, X, b, NULL, 0, NULL, &r0), SOCIND_OK);
    const int ks[6] = {-300, 300, -560, -900, 560, 900};
    for (int i = 0; i < 6; i++) {
        const int k = ks[i];
        double x[8], bk[8];
        for (int j = 0; j < 8; j++) x[j] = ldexp(X[j], k), bk[j] = ldexp(b[j], k);
        assert_int_equal(socind_mean(d, x, NULL, 0, NULL, &e), SOCIND_OK);
        assert_int_equal(e.status, SOCIND_OK);
        assert_close(e.value, ldexp(e0.value, k), 1e-15);
        assert_close(e.se, ldexp(e0.se, k), 1e-13);
        assert_close(e.ci_low, ldexp(e0.ci_low, k), 1e-13);
        if (k > -500 && k < 500) /* Σw·x² in range: the deff */
            assert_close(e.deff, e0.deff, 1e-12);
        else
            assert_true(isnan(e.deff));
        assert_int_equal(socind_total(d, x, NULL, 0, NULL, &t), SOCIND_OK);
        assert_int_equal(t.status, SOCIND_OK);
        assert_close(t.se, ldexp(t0.se, k), 1e-13);
        /* the numerator alone scaled: the ratio and its SE times 2^k */
        assert_int_equal(socind_ratio(d, x, b, NULL, 0, NULL, &r), SOCIND_OK);
        assert_int_equal(r.status, SOCIND_OK);
        assert_close(r.value, ldexp(r0.value, k), 1e-15);
        assert_close(r.se, ldexp(r0.se, k), 1e-13);
        /* both: no unit */
        assert_int_equal(socind_ratio(d, x, bk, NULL, 0, NULL, &r), SOCIND_OK);
        assert_close(r.value, r0.value, 1e-15);
        assert_close(r.se, r0.se, 1e-13);
    }
    /* the engine's own variance: 2^2k times, or refused beyond the range */
    double u[8], v0, v;
    for (int j = 0; j < 8; j++) u[j] = X[j] - 1.5;
    assert_int_equal(socind_variance(d, u, NULL, 0, &v0), SOCIND_OK);
    assert_true(v0 > 0.0);
    for (int j = 0; j < 8; j++) u[j] = ldexp(X[j] - 1.5, -400);
    assert_int_equal(socind_variance(d, u, NULL, 0, &v), SOCIND_OK);
    assert_close(v, ldexp(v0, -800), 1e-13);
    for (int j = 0; j < 8; j++) u[j] = ldexp(X[j] - 1.5, -600);
    assert_int_equal(socind_variance(d, u, NULL, 0, &v), SOCIND_ERR_OVERFLOW);
    assert_true(isnan(v));
    assert_non_null(strstr(socind_last_error_detail(), "the variance of domain 0 lies below"));
    for (int j = 0; j < 8; j++) u[j] = ldexp(X[j] - 1.5, -1000);
    assert_int_equal(socind_variance(d, u, NULL, 0, &v), SOCIND_ERR_OVERFLOW);
    assert_non_null(strstr(socind_last_error_detail(), "PSU totals of w·u in domain 0 lie below"));
    for (int j = 0; j < 8; j++) u[j] = ldexp(X[j] - 1.5, 600);
    assert_int_equal(socind_variance(d, u, NULL, 0, &v), SOCIND_ERR_OVERFLOW);
    socind_design_free(d);
}

static void test_ratio_and_proportion(void **state) {
    (void)state;
    socind_design *d = make(SOCIND_LONELY_REMOVE, NULL);
    const double b[8] = {1, 2, 1, 1, 2, 1, 1, 3};
    socind_estimate e;
    assert_int_equal(socind_ratio(d, X, b, NULL, 0, NULL, &e), SOCIND_OK);
    double A = 21, B = 2 * 1 + 1 * 2 + 2 * 1 + 1 * 1 + 3 * 2 + 2 * 1 + 1 + 3;
    double R = A / B;
    assert_close(e.value, R, 1e-15);
    double u[8];
    for (int k = 0; k < 8; k++) u[k] = (X[k] - R * b[k]) / B;
    double v;
    socind_variance(d, u, NULL, 0, &v);
    assert_close(e.se, sqrt(v), 1e-13);

    const double poor[8] = {1, 0, 0, 1, 1, 0, NAN, 0};
    assert_int_equal(socind_proportion(d, poor, NULL, 0, NULL, &e), SOCIND_OK);
    double p = (2.0 + 1.0 + 3.0) / 12.0; /* row 6 missing: N = 12 */
    assert_close(e.value, p, 1e-15);
    assert_int_equal(e.n, 7);
    assert_close(e.weight_sum, 12.0, 1e-15);
    /* logit interval: expit(logit p ∓ t·se/(p(1−p))) */
    double t = 3.182446305284263;
    double lo = 1 / (1 + exp(-(log(p / (1 - p)) - t * e.se / (p * (1 - p)))));
    double hi = 1 / (1 + exp(-(log(p / (1 - p)) + t * e.se / (p * (1 - p)))));
    assert_close(e.ci_low, lo, 1e-12);
    assert_close(e.ci_high, hi, 1e-12);
    assert_true(e.ci_low > 0 && e.ci_high < 1);
    socind_options o;
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_WALD;
    assert_int_equal(socind_proportion(d, poor, NULL, 0, &o, &e), SOCIND_OK);
    assert_close(e.ci_low, p - t * e.se, 1e-12);
    /* all zero → pinned [0, 0]; all one → [1, 1] */
    const double zeros[8] = {0, 0, 0, 0, 0, 0, 0, 0}, ones[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    assert_int_equal(socind_proportion(d, zeros, NULL, 0, NULL, &e), SOCIND_OK);
    assert_true(e.value == 0 && e.ci_low == 0 && e.ci_high == 0);
    assert_int_equal(socind_proportion(d, ones, NULL, 0, NULL, &e), SOCIND_OK);
    assert_true(e.value == 1 && e.ci_low == 1 && e.ci_high == 1);
    /* values other than 0/1 */
    const double bad[8] = {1, 0, 0.5, 1, 1, 0, 0, 0};
    assert_int_equal(socind_proportion(d, bad, NULL, 0, NULL, &e), SOCIND_ERR_DATA);
    assert_true(isnan(e.value));
    assert_non_null(strstr(socind_last_error_detail(), "x[2]"));
    /* ratio with a zero denominator total */
    const double zb[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    assert_int_equal(socind_ratio(d, X, zb, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_DATA);
    assert_true(isnan(e.value));
    socind_design_free(d);
}

static void test_domains(void **state) {
    (void)state;
    socind_design *d = make(SOCIND_LONELY_REMOVE, NULL);
    /* group 0: rows 0, 3, 4, 7; group 1: rows 1, 2, 5; row 6 in none; group 2 empty */
    const int32_t g[8] = {0, 1, 1, 0, 0, 1, -1, 0};
    socind_estimate e[3];
    assert_int_equal(socind_total(d, X, g, 3, NULL, e), SOCIND_OK);
    /* domain total = total of x·1[g] over the full design */
    for (int j = 0; j < 2; j++) {
        double xd[8];
        for (int k = 0; k < 8; k++) xd[k] = g[k] == j ? X[k] : 0.0;
        socind_estimate full;
        socind_total(d, xd, NULL, 0, NULL, &full);
        assert_close(e[j].value, full.value, 1e-15);
        assert_close(e[j].se, full.se, 1e-14);
    }
    assert_int_equal(e[0].n, 4);
    assert_int_equal(e[1].n, 3);
    assert_int_equal(e[2].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_true(isnan(e[2].value));
    assert_int_equal(e[2].n, 0);
    /* domain mean: u = δ (x − x̄_d)/N_d, every PSU in n_h */
    assert_int_equal(socind_mean(d, X, g, 3, NULL, e), SOCIND_OK);
    double Nd = 2 + 1 + 3 + 1, xd = (2 * 1 + 1 * 4 + 3 * 0 + 1 * 1) / Nd;
    assert_close(e[0].value, xd, 1e-15);
    double u[8];
    for (int k = 0; k < 8; k++) u[k] = g[k] == 0 ? (X[k] - xd) / Nd : 0.0;
    double v;
    socind_variance(d, u, NULL, 0, &v);
    assert_close(e[0].se, sqrt(v), 1e-13);
    /* engine by group: the same */
    double vg[3];
    assert_int_equal(socind_variance(d, u, g, 3, vg), SOCIND_OK);
    assert_close(vg[0], v, 1e-13);
    assert_close(vg[2], 0.0, 0);
    /* bad group codes */
    const int32_t bad[8] = {0, 1, 3, 0, 0, 1, -1, 0};
    assert_int_equal(socind_total(d, X, bad, 3, NULL, e), SOCIND_ERR_GROUP);
    assert_true(isnan(e[0].value));
    const int32_t neg[8] = {0, 1, -2, 0, 0, 1, -1, 0};
    assert_int_equal(socind_total(d, X, neg, 3, NULL, e), SOCIND_ERR_GROUP);
    assert_int_equal(socind_total(d, X, g, 0, NULL, e), SOCIND_ERR_ARG);
    socind_design_free(d);
}

static void test_lonely_adjust_in_domain(void **state) {
    (void)state;
    /* Domain = rows 0, 1, 6 (strata 10 and 30 present; 20 absent). Total of x:
     * PSU totals z1 = 5, z2 = 0, z6 = 5 (row 7 is outside). Stratum 10:
     * z̄ = 2.5, Σ(z − z̄)² = 12.5, × 2 = 25. Stratum 30 (lonely, adjust): the
     * grand mean over present strata is c = (5 + 0 + 5)/(2 + 1) = 10/3, so
     * (5 − 10/3)² = 25/9. Stratum 20 is not present and adds nothing. */
    socind_design *d = make(SOCIND_LONELY_ADJUST, NULL);
    const int32_t g[8] = {0, 0, -1, -1, -1, -1, 0, -1};
    socind_estimate e;
    assert_int_equal(socind_total(d, X, g, 1, NULL, &e), SOCIND_OK);
    assert_close(e.value, 10.0, 1e-15);
    assert_close(e.se, sqrt(25.0 + 25.0 / 9.0), 1e-14);
    socind_design_free(d);
    /* average with every present stratum lonely fails with a status */
    const int32_t g2[8] = {-1, -1, -1, -1, -1, -1, 0, 0};
    d = make(SOCIND_LONELY_AVERAGE, NULL);
    assert_int_equal(socind_total(d, X, g2, 1, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_LONELY_PSU);
    assert_true(isnan(e.se));
    socind_design_free(d);
}

static void test_missing_values_and_empty(void **state) {
    (void)state;
    socind_design *d = make(SOCIND_LONELY_REMOVE, NULL);
    double all_nan[8];
    for (int k = 0; k < 8; k++) all_nan[k] = NAN;
    socind_estimate e;
    assert_int_equal(socind_mean(d, all_nan, NULL, 0, NULL, &e), SOCIND_ERR_EMPTY);
    assert_true(isnan(e.value) && isnan(e.se) && isnan(e.ci_low));
    assert_int_equal(e.n, 0);
    /* NaN rows leave the estimate but keep their PSU in n_h */
    double x[8];
    memcpy(x, X, sizeof x);
    x[2] = NAN; /* PSU 2's only row */
    assert_int_equal(socind_total(d, x, NULL, 0, NULL, &e), SOCIND_OK);
    /* x[2]·w[2] = 4 leaves the total; stratum 10: z = 5, 0 → z̄ 2.5,
     * Σ = 12.5, ×2 = 25; stratum 20: 12 */
    assert_close(e.value, 17.0, 1e-15);
    assert_close(e.se, sqrt(37.0), 1e-14);
    assert_int_equal(e.n, 7);
    /* NULL arguments */
    assert_int_equal(socind_total(NULL, X, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_true(isnan(e.value));
    assert_int_equal(socind_total(d, NULL, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_int_equal(socind_total(d, X, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_ratio(d, X, NULL, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    double v;
    assert_int_equal(socind_variance(d, NULL, NULL, 0, &v), SOCIND_ERR_NULL);
    assert_true(isnan(v));
    assert_int_equal(socind_variance(d, x, NULL, 0, &v), SOCIND_ERR_DATA);
    assert_true(isnan(v));
    socind_design_free(d);
}

static void test_options_and_ci(void **state) {
    (void)state;
    socind_design *d = make(SOCIND_LONELY_REMOVE, NULL);
    socind_options o;
    socind_estimate e;
    socind_options_init(&o);
    o.level = 1.0;
    assert_int_equal(socind_mean(d, X, NULL, 0, &o, &e), SOCIND_ERR_ARG);
    assert_true(isnan(e.value));
    o.level = 0.9;
    o.ci_dist = 7;
    assert_int_equal(socind_mean(d, X, NULL, 0, &o, &e), SOCIND_ERR_ARG);
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_COUNT; /* the first unknown code */
    assert_int_equal(socind_mean(d, X, NULL, 0, &o, &e), SOCIND_ERR_ARG);
    o.prop_ci = -1;
    assert_int_equal(socind_mean(d, X, NULL, 0, &o, &e), SOCIND_ERR_ARG);
    socind_options_init(&o);
    o.size = 1;
    assert_int_equal(socind_mean(d, X, NULL, 0, &o, &e), SOCIND_ERR_OPTIONS);
    assert_int_equal(socind_options_init(NULL), SOCIND_ERR_NULL);

    double q;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_NORMAL, NAN, &q), SOCIND_OK);
    assert_close(q, 1.959963984540054, 1e-14);
    /* R's qt(0.975, df) for the two growth reference designs
     * (tests/reference/growth/design_expected.csv) */
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 77, &q), SOCIND_OK);
    assert_close(q, 1.9912543953883843, 1e-12);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 92, &q), SOCIND_OK);
    assert_close(q, 1.98608631695113, 1e-12);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 0, &q), SOCIND_ERR_DF);
    assert_true(isnan(q));
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, NAN, &q), SOCIND_ERR_DF);
    assert_int_equal(socind_critical_value(0.0, SOCIND_CI_T, 5, &q), SOCIND_ERR_ARG);
    assert_int_equal(socind_critical_value(1.5, SOCIND_CI_NORMAL, 5, &q), SOCIND_ERR_ARG);
    assert_int_equal(socind_critical_value(0.95, 3, 5, &q), SOCIND_ERR_ARG);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 5, NULL), SOCIND_ERR_NULL);
    socind_design_free(d);

    /* df = 0 (one PSU, one stratum, certainty): CI NaN, status DF */
    const double w1[2] = {1, 1}, x1[2] = {1, 2};
    const int64_t p1[2] = {5, 5};
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_CERTAINTY;
    assert_int_equal(socind_design_new(2, w1, NULL, p1, NULL, &dopt, &d), SOCIND_OK);
    assert_close(socind_design_df(d), 0.0, 0);
    assert_int_equal(socind_mean(d, x1, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_DF);
    assert_close(e.value, 1.5, 1e-15);
    assert_close(e.se, 0.0, 0);
    assert_true(isnan(e.ci_low) && isnan(e.ci_high));
    socind_design_free(d);
}

static void test_strerror_and_version(void **state) {
    (void)state;
    for (int32_t s = 0; s < SOCIND_STATUS_COUNT; s++) {
        assert_non_null(socind_strerror(s));
        assert_true(strlen(socind_strerror(s)) > 5);
    }
    assert_string_equal(socind_strerror(-1), "unknown socind status");
    assert_string_equal(socind_strerror(SOCIND_STATUS_COUNT), "unknown socind status");
    assert_string_equal(socind_version(), SOCIND_VERSION_STRING);
    assert_int_equal(socind_abi_version(), SOCIND_ABI_VERSION);
    /* a successful call clears the detail */
    socind_design *d = make(SOCIND_LONELY_REMOVE, NULL);
    socind_estimate e;
    socind_total(d, NULL, NULL, 0, NULL, &e);
    assert_true(strlen(socind_last_error_detail()) > 0);
    socind_total(d, X, NULL, 0, NULL, &e);
    assert_string_equal(socind_last_error_detail(), "");
    socind_design_free(d);
}

/* socind_last_error_row names the offending row through the API */
static void test_last_error_row(void **state) {
    (void)state;
    double w[6] = {1, 1, 1, 1, -2, 1};
    int64_t st[6] = {1, 1, 2, 2, 3, 3}, psu[6] = {1, 2, 3, 4, 5, 6};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(6, w, st, psu, NULL, NULL, &d), SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_last_error_row(), 4);
    w[4] = 1;
    /* stratum 3 has one PSU (rows 4 and 5 in PSU 5): its first row is named */
    psu[5] = 5;
    assert_int_equal(socind_design_new(6, w, st, psu, NULL, NULL, &d), SOCIND_ERR_LONELY_PSU);
    assert_int_equal(socind_last_error_row(), 4);
    /* PSU 2 in two strata: the row where it is seen in the second */
    psu[5] = 6;
    psu[2] = 2;
    assert_int_equal(socind_design_new(6, w, st, psu, NULL, NULL, &d), SOCIND_ERR_NESTING);
    assert_int_equal(socind_last_error_row(), 2);
    psu[2] = 3;
    assert_int_equal(socind_design_new(6, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_last_error_row(), -1);
    double x[6] = {0, 1, 1, 0, 2, 1};
    socind_estimate e;
    assert_int_equal(socind_proportion(d, x, NULL, 0, NULL, &e), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 4);
    int32_t g[6] = {0, 0, 1, 5, 1, 0};
    socind_estimate eg[2];
    assert_int_equal(socind_mean(d, x, g, 2, NULL, eg), SOCIND_ERR_GROUP);
    assert_int_equal(socind_last_error_row(), 3);
    /* a failure that names no row */
    assert_int_equal(socind_mean(d, NULL, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_int_equal(socind_last_error_row(), -1);
    socind_design_free(d);
}

static void test_no_psu_design(void **state) {
    (void)state;
    /* every row its own PSU, one stratum: V = n/(n−1) Σ (w x − mean)² */
    const double w[4] = {1, 2, 3, 4}, x[4] = {2, 1, 0, 3};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(4, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_design_npsu(d), 4);
    assert_close(socind_design_df(d), 3.0, 0);
    socind_estimate e;
    assert_int_equal(socind_total(d, x, NULL, 0, NULL, &e), SOCIND_OK);
    double z[4] = {2, 2, 0, 12}, m = 4, q = 0;
    for (int i = 0; i < 4; i++) q += (z[i] - m) * (z[i] - m);
    assert_close(e.value, 16.0, 1e-15);
    assert_close(e.se, sqrt(4.0 / 3.0 * q), 1e-14);
    socind_design_free(d);
}

/* Adds x to the pair of doubles (hi, lo) exactly (TwoSum), renormalised. */
static void pair_add(double *hi, double *lo, double x) {
    const double s = *hi + x, v = s - *hi;
    *lo += (*hi - (s - v)) + (x - v);
    const double t = s + *lo;
    *lo -= t - s;
    *hi = t;
}

/* A stratum of 400,000 PSUs (every row its own, 60 % of the values 0, as a
 * poverty measure's rows are): the variance engine's per-stratum sums are
 * compensated, so the SE is the exact one (in pairs of doubles here) to
 * 1e−14 relative on one thread and on 2, 3 and 7 (the strata's sums made
 * over ranges of PSUs); plain sums of the squares were off by 1.5e−12 on
 * one thread and moved with the thread count. */
static void test_large_stratum_sums(void **state) {
    (void)state;
    enum { N = 400000 };
    double *w = malloc(N * sizeof *w), *x = malloc(N * sizeof *x);
    assert_non_null(w);
    assert_non_null(x);
    uint64_t seed = 99;
    for (size_t k = 0; k < N; k++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        w[k] = 1.0 + (double)(seed % 1000) / 8.0;
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        x[k] = seed % 5 < 3 ? 0.0 : 0.25 * (double)(1 + (seed >> 8) % 4000);
    }
    /* z = w·x (exact: few bits each), Σz and Σ(z − z̄)² in pairs of doubles */
    double shi = 0.0, slo = 0.0, qhi = 0.0, qlo = 0.0;
    for (size_t k = 0; k < N; k++) pair_add(&shi, &slo, w[k] * x[k]);
    const double mhi = shi / N, mlo = (shi - mhi * N + slo) / N;
    for (size_t k = 0; k < N; k++) {
        const double c = (w[k] * x[k] - mhi) - mlo, c2 = c * c;
        pair_add(&qhi, &qlo, c2);
        pair_add(&qhi, &qlo, fma(c, c, -c2));
    }
    const double ref = sqrt((qhi + qlo) * ((double)N / (double)(N - 1)));
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    const int32_t threads[4] = {1, 2, 3, 7};
    for (int t = 0; t < 4; t++) {
        socind_options o;
        socind_options_init(&o);
        o.threads = threads[t];
        socind_estimate e;
        assert_int_equal(socind_total(d, x, NULL, 1, &o, &e), SOCIND_OK);
        assert_close(e.value, shi + slo, 1e-15);
        assert_close(e.se, ref, 1e-14);
    }
    socind_design_free(d);
    free(w), free(x);
}

/* socind_difference: by hand, and as the contrast of two domain means in one
 * design that pools two independent samples with disjoint strata. */
static void test_difference(void **state) {
    (void)state;
    socind_estimate a = {.value = 0.10, .se = 0.01, .df = 50, .n = 100, .weight_sum = 1000};
    socind_estimate b = {.value = 0.07, .se = 0.02, .df = 40, .n = 80, .weight_sum = 900};
    socind_estimate d;
    double q;
    assert_int_equal(socind_difference(&a, &b, NULL, &d), SOCIND_OK);
    /* −0.03, se √(0.01² + 0.02²) = √0.0005, t on 50 + 40 = 90 df */
    assert_close(d.value, -0.03, 1e-15);
    assert_close(d.se, sqrt(0.0005), 1e-15);
    assert_close(d.df, 90, 0);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 90, &q), SOCIND_OK);
    assert_close(d.ci_low, -0.03 - q * sqrt(0.0005), 1e-14);
    assert_close(d.ci_high, -0.03 + q * sqrt(0.0005), 1e-14);
    assert_int_equal((int)d.n, 180);
    assert_close(d.weight_sum, 1900, 0);
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    o.level = 0.9;
    assert_int_equal(socind_difference(&a, &b, &o, &d), SOCIND_OK);
    assert_close(d.ci_high - d.value, 1.6448536269514722 * sqrt(0.0005), 1e-13);

    /* two samples (3 strata × 4 PSUs × 5 rows each) and their pooled design */
    enum { N = 60 };
    double w[2 * N], x[2 * N], u[2 * N];
    int64_t st[2 * N], psu[2 * N];
    int32_t grp[2 * N];
    uint64_t seed = 12345;
    for (int k = 0; k < 2 * N; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int s = k / N, r = k % N;
        w[k] = 10 + (double)((seed >> 33) % 90);
        x[k] = (double)((seed >> 20) % 1000) / 10.0 + 5.0 * s;
        st[k] = s * 10 + r / 20;
        psu[k] = s * 100 + r / 5;
        grp[k] = s;
    }
    socind_design *d1, *d2, *pooled;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d1), SOCIND_OK);
    assert_int_equal(socind_design_new(N, w + N, st + N, psu + N, NULL, NULL, &d2), SOCIND_OK);
    assert_int_equal(socind_design_new(2 * N, w, st, psu, NULL, NULL, &pooled), SOCIND_OK);
    socind_estimate m1, m2, m[2];
    assert_int_equal(socind_mean(d1, x, NULL, 0, NULL, &m1), SOCIND_OK);
    assert_int_equal(socind_mean(d2, x + N, NULL, 0, NULL, &m2), SOCIND_OK);
    assert_int_equal(socind_mean(pooled, x, grp, 2, NULL, m), SOCIND_OK);
    assert_int_equal(socind_difference(&m1, &m2, NULL, &d), SOCIND_OK);
    /* the contrast m2 − m1 linearized in the pooled design */
    for (int k = 0; k < 2 * N; k++) {
        int s = grp[k];
        u[k] = (s ? 1.0 : -1.0) * (x[k] - m[s].value) / m[s].weight_sum;
    }
    double var;
    assert_int_equal(socind_variance(pooled, u, NULL, 0, &var), SOCIND_OK);
    assert_close(d.value, m[1].value - m[0].value, 1e-13);
    assert_close(d.se, sqrt(var), 1e-12);
    assert_close(d.df, socind_design_df(pooled), 0);
    socind_design_free(d1);
    socind_design_free(d2);
    socind_design_free(pooled);

    /* bad input */
    assert_int_equal(socind_difference(NULL, &b, NULL, &d), SOCIND_ERR_NULL);
    assert_true(isnan(d.value));
    assert_int_equal(socind_difference(&a, &b, NULL, NULL), SOCIND_ERR_NULL);
    socind_estimate bad = b;
    bad.se = NAN;
    assert_int_equal(socind_difference(&a, &bad, NULL, &d), SOCIND_ERR_ARG);
    assert_true(isnan(d.value) && isnan(d.se));
    bad = b;
    bad.df = 0;
    assert_int_equal(socind_difference(&a, &bad, NULL, &d), SOCIND_ERR_DF);
    assert_int_equal(socind_difference(&a, &bad, &o, &d), SOCIND_OK); /* normal: no df needed */
    o.size = 3;
    assert_int_equal(socind_difference(&a, &b, &o, &d), SOCIND_ERR_OPTIONS);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_total_lonely_policies),
        cmocka_unit_test(test_values_far_from_one),
        cmocka_unit_test(test_lonely_fail_refuses_design),
        cmocka_unit_test(test_certainty_stratum_is_not_lonely),
        cmocka_unit_test(test_fpc_counts_and_fractions),
        cmocka_unit_test(test_fpc_errors),
        cmocka_unit_test(test_bad_design_inputs),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_arbitrary_ids_match_dense_ids),
        cmocka_unit_test(test_many_psus_hash_growth),
        cmocka_unit_test(test_mean_matches_engine_and_formula),
        cmocka_unit_test(test_ratio_and_proportion),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_lonely_adjust_in_domain),
        cmocka_unit_test(test_missing_values_and_empty),
        cmocka_unit_test(test_options_and_ci),
        cmocka_unit_test(test_difference),
        cmocka_unit_test(test_strerror_and_version),
        cmocka_unit_test(test_no_psu_design),
        cmocka_unit_test(test_large_stratum_sums),
        cmocka_unit_test(test_last_error_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
