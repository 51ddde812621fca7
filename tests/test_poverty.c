/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_poverty.c — poverty measures on a 10-row example worked by hand,
 * identities of the decompositions and the profile, and every bad input. */
#include "test_util.h"

#include <float.h>

#include "socind/socind.h"

#include "internal.h" /* the test hooks socind__qline_* and socind__kernel_scalar */

/*
 * Ten people, weight 1 each, no strata, every row its own PSU. Then for a
 * mean-type measure P with h_k the row's value, u_k = (h_k − P)/N and
 *     V = n/(n−1) · Σ (u_k − ū)² = Σ (h_k − P)² / (N (N − 1)),   N = n = 10;
 * for a total T = Σ h_k: V = n/(n−1) Σ (h_k − h̄)².
 *
 * y = 100 … 1000 step 100, line z = 450 (strict: poor if y < 450):
 *   poor: 100, 200, 300, 400                  P0 = 4/10 = 0.4
 *   gaps (z − y)/z: 350/450, 250/450, 150/450, 50/450
 *   P1 = (800/450)/10 = 0.17778
 *   P2 = ((350² + 250² + 150² + 50²)/450²)/10 = (210000/202500)/10 = 0.10370
 *   Watts = log(450⁴ / (100·200·300·400))/10 = log(17.0859375)/10 = 0.28384
 *   number of poor 4, total gap 800, mean shortfall 800/4 = 200
 */
static const double Y[10] = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1000};
static const double ONE[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

static socind_design *srs(void) {
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(10, ONE, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    return d;
}

static socind_poverty_line abs_line(double z) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = z;
    return L;
}

/* SE of a mean-type measure from its ten row values */
static double se_mean(const double *h) {
    double P = 0, q = 0;
    for (int k = 0; k < 10; k++) P += h[k] / 10;
    for (int k = 0; k < 10; k++) q += (h[k] - P) * (h[k] - P);
    return sqrt(q / (10.0 * 9.0));
}
static double se_total(const double *h) {
    double m = 0, q = 0;
    for (int k = 0; k < 10; k++) m += h[k] / 10;
    for (int k = 0; k < 10; k++) q += (h[k] - m) * (h[k] - m);
    return sqrt(10.0 / 9.0 * q);
}

static void test_hand_worked(void **state) {
    (void)state;
    socind_design *d = srs();
    socind_poverty_line L = abs_line(450);
    socind_estimate e;
    const double h0[10] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    const double h1[10] = {350 / 450., 250 / 450., 150 / 450., 50 / 450., 0, 0, 0, 0, 0, 0};
    double h2[10], hw[10], gap[10];
    for (int k = 0; k < 10; k++) {
        h2[k] = h1[k] * h1[k];
        hw[k] = k < 4 ? log(450.0 / Y[k]) : 0.0;
        gap[k] = k < 4 ? 450.0 - Y[k] : 0.0;
    }
    assert_int_equal(socind_fgt(d, Y, &L, 0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.4, 1e-15);
    assert_close(e.se, se_mean(h0), 1e-13);
    assert_close(e.se, sqrt(2.4 / 90.0), 1e-13);
    assert_int_equal(e.n, 10);
    /* P0's interval is the logit one by default (t on df = 9) */
    double q;
    socind_critical_value(0.95, SOCIND_CI_T, 9, &q);
    double eta = log(0.4 / 0.6), half = q * e.se / (0.4 * 0.6);
    assert_close(e.ci_low, 1 / (1 + exp(-(eta - half))), 1e-12);
    assert_close(e.ci_high, 1 / (1 + exp(-(eta + half))), 1e-12);
    assert_int_equal(socind_fgt(d, Y, &L, 1, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 800.0 / 450.0 / 10.0, 1e-14);
    assert_close(e.se, se_mean(h1), 1e-13);
    assert_int_equal(socind_fgt(d, Y, &L, 2, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 210000.0 / 202500.0 / 10.0, 1e-14);
    assert_close(e.se, se_mean(h2), 1e-13);
    assert_int_equal(socind_watts(d, Y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, log(17.0859375) / 10.0, 1e-14);
    assert_close(e.se, se_mean(hw), 1e-13);
    assert_int_equal(socind_poor_count(d, Y, &L, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 4.0, 1e-15);
    assert_close(e.se, se_total(h0), 1e-13);
    assert_int_equal(socind_poverty_gap_total(d, Y, &L, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 800.0, 1e-15);
    assert_close(e.se, se_total(gap), 1e-13);
    assert_int_equal(socind_mean_shortfall(d, Y, &L, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 200.0, 1e-15);
    /* ratio: u_k = (gap_k − 200·poor_k)/4 */
    double ur[10];
    for (int k = 0; k < 10; k++) ur[k] = (gap[k] - 200.0 * h0[k]) / 4.0;
    double v;
    socind_variance(d, ur, NULL, 0, &v);
    assert_close(e.se, sqrt(v), 1e-13);
    /* inclusive: a person exactly at the line counts */
    socind_poverty_line L4 = abs_line(400);
    assert_int_equal(socind_fgt(d, Y, &L4, 0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.3, 1e-15);
    L4.inclusive = 1;
    assert_int_equal(socind_fgt(d, Y, &L4, 0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.4, 1e-15);
    /* per-row lines equal to 450 give the scalar results */
    double lines[10];
    for (int k = 0; k < 10; k++) lines[k] = 450;
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_PER_ROW;
    R.lines = lines;
    assert_int_equal(socind_fgt(d, Y, &R, 2, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 210000.0 / 202500.0 / 10.0, 1e-14);
    /* the line itself: fixed → SE 0 */
    assert_int_equal(socind_poverty_line_estimate(d, Y, &L, NULL, &e), SOCIND_OK);
    assert_close(e.value, 450, 0);
    assert_close(e.se, 0, 0);
    socind_design_free(d);
}

static void test_relative_lines(void **state) {
    (void)state;
    socind_design *d = srs();
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    socind_estimate e;
    /* median of 100…1000 with unit weights: smallest y with share >= 0.5 is
     * 500; the line is 300; poor (strict): 100, 200 → P0 = 0.2 */
    assert_int_equal(socind_poverty_line_estimate(d, Y, &L, NULL, &e), SOCIND_OK);
    assert_close(e.value, 300, 1e-15);
    assert_true(e.se > 0);
    assert_int_equal(socind_fgt(d, Y, &L, 0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.2, 1e-15);
    /* the SE exceeds the fixed-line SE at the same line (the line's term) */
    socind_poverty_line F = abs_line(300);
    socind_estimate ef;
    socind_fgt(d, Y, &F, 0, NULL, 0, NULL, &ef);
    assert_close(ef.value, 0.2, 1e-15);
    assert_true(e.se != ef.se);
    /* 0.5 of the mean 550 = 275 */
    L.type = SOCIND_LINE_RELATIVE_MEAN;
    L.value = 0.5;
    assert_int_equal(socind_poverty_line_estimate(d, Y, &L, NULL, &e), SOCIND_OK);
    assert_close(e.value, 275, 1e-15);
    /* SE of 0.5·mean: 0.5 · sd/sqrt(n) with sd the sample SD (n − 1) */
    double q = 0;
    for (int k = 0; k < 10; k++) q += (Y[k] - 550) * (Y[k] - 550);
    assert_close(e.se, 0.5 * sqrt(q / (10.0 * 9.0)), 1e-13);
    socind_design_free(d);
}

/* A row exactly at a relative line counts in FGT1's line derivative as
 * convey's svyfgt counts it: A = Σ w·g·((z − y)/z)^(g−1)·y/z²·1[y <= z]/N̂
 * with 0^0 = 1, so the row at the line adds y/z² at g = 1. Ten unit-weight
 * rows of mean 600, line 0.5 × the mean = 300 (exact), poor y <= 300: 100,
 * 200 and 300, P1 = (2/3 + 1/3 + 0)/10 = 0.1, A = (100 + 200 + 300)/300²/10
 * = 1/1500, u^z = 0.5·(y − 600)/10. (The row at 300 was left out of A:
 * 1/3000, SE 0.0616 for 0.0588.) The decompositions' P1 takes the same. */
static void test_row_at_relative_line(void **state) {
    (void)state;
    static const double y[10] = {100, 200, 300, 400, 500, 600, 700, 800, 900, 1500};
    socind_design *d;
    assert_int_equal(socind_design_new(10, ONE, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_MEAN;
    L.value = 0.5;
    L.inclusive = 1;
    double u[10], q = 0;
    for (int k = 0; k < 10; k++) {
        double h = y[k] <= 300 ? (300 - y[k]) / 300 : 0.0;
        u[k] = (h - 0.1) / 10 + (1.0 / 1500) * 0.5 * (y[k] - 600) / 10;
        q += u[k] * u[k]; /* Σ u = 0 */
    }
    const double se = sqrt(10.0 / 9.0 * q);
    socind_estimate e, dec[SOCIND_FGTDEC_COUNT];
    assert_int_equal(socind_fgt(d, y, &L, 1.0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.1, 1e-14);
    assert_close(e.se, se, 1e-13);
    assert_int_equal(socind_fgt_decomposition(d, y, &L, 2.0, NULL, 0, NULL, dec), SOCIND_OK);
    assert_close(dec[SOCIND_FGTDEC_P1].value, 0.1, 1e-14);
    assert_close(dec[SOCIND_FGTDEC_P1].se, se, 1e-13);
    socind_design_free(d);
}

/* The whole sample's FGT0 against a relative quantile line takes a fused
 * pass (quantile, its influence and both kernel sums from bucketed rows);
 * a single domain covering every row takes the general path. They agree,
 * for incomes of both signs, with ties and zero weights, strict and ≤. */
static void test_relative_quantile_paths_agree(void **state) {
    (void)state;
    enum { N = 20000 };
    double *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    int64_t *st = malloc(N * sizeof *st), *psu = malloc(N * sizeof *psu);
    int32_t *g = malloc(N * sizeof *g);
    uint64_t seed = 99;
    for (int k = 0; k < N; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(seed >> 11) / 9007199254740992.0;
        /* a shifted log-normal-like spread crossing zero, rounded (ties) */
        y[k] = round(exp(3.0 * u + 8.0) - 4000.0);
        w[k] = (k % 97 == 0) ? 0.0 : 1.0 + (double)((seed >> 40) % 50);
        if (k % 1013 == 0) y[k] = NAN;
        psu[k] = k / 50;
        st[k] = psu[k] / 8;
        g[k] = 0;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    for (int incl = 0; incl <= 1; incl++) {
        for (int qi = 0; qi < 3; qi++) {
            socind_poverty_line L;
            socind_poverty_line_init(&L);
            L.type = SOCIND_LINE_RELATIVE_QUANTILE;
            L.value = 0.6;
            L.quantile = qi == 0 ? 0.5 : qi == 1 ? 0.2 : 0.9;
            L.inclusive = incl;
            socind_estimate fast, general;
            assert_int_equal(socind_fgt(d, y, &L, 0, NULL, 0, NULL, &fast), SOCIND_OK);
            assert_int_equal(socind_fgt(d, y, &L, 0, g, 1, NULL, &general), SOCIND_OK);
            assert_close(fast.value, general.value, 1e-15);
            assert_close(fast.se, general.se, 1e-11);
            assert_true(fast.se > 0);
            /* the line is the fraction of the quantile socind_quantile finds
               (its own selection code) */
            socind_estimate line, q;
            assert_int_equal(socind_poverty_line_estimate(d, y, &L, NULL, &line), SOCIND_OK);
            assert_int_equal(socind_quantile(d, y, L.quantile, NULL, 0, NULL, &q), SOCIND_OK);
            assert_close(line.value, 0.6 * q.value, 1e-15);
        }
    }
    socind_design_free(d);
    free(y), free(w), free(st), free(psu), free(g);
}

/* The relative quantile line's two paths: the bracket from a sample and one
 * pass, and the histogram (forced, or taken when the sample misleads). */
static void qline_both(const socind_design *d, const double *y, const socind_poverty_line *L,
                       int expect_path) {
    socind_estimate e[2], poor[2], line[2];
    for (int force = 0; force <= 1; force++) {
        socind__qline_force_histogram = force;
        assert_int_equal(socind_fgt(d, y, L, 0, NULL, 0, NULL, &e[force]), SOCIND_OK);
        assert_int_equal(socind__qline_path, force ? 2 : expect_path);
        assert_int_equal(socind_poor_count(d, y, L, NULL, 0, NULL, &poor[force]), SOCIND_OK);
        assert_int_equal(socind_poverty_line_estimate(d, y, L, NULL, &line[force]), SOCIND_OK);
    }
    socind__qline_force_histogram = 0;
    /* the same line; sums in another order */
    assert_true(line[0].value == line[1].value);
    assert_close(line[0].se, line[1].se, 1e-12);
    assert_close(e[0].value, e[1].value, 1e-14);
    assert_close(e[0].se, e[1].se, 1e-12);
    assert_close(poor[0].value, poor[1].value, 1e-14);
    assert_close(poor[0].se, poor[1].se, 1e-12);
    assert_true(e[0].se > 0);
}

static void test_relative_quantile_sample_and_histogram(void **state) {
    (void)state;
    enum { N = 300000 };
    double *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    int64_t *st = malloc(N * sizeof *st), *psu = malloc(N * sizeof *psu);
    assert_true(y && w && st && psu);
    uint64_t seed = 7;
    for (int k = 0; k < N; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(seed >> 11) / 9007199254740992.0;
        y[k] = round(exp(2.0 * u + 9.0)); /* ties */
        w[k] = (k % 211 == 0) ? 0.0 : 20.0 + (double)((seed >> 40) % 300);
        if (k % 997 == 0) y[k] = NAN;
        psu[k] = k / 120;
        st[k] = psu[k] / 10;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    /* with the AVX-512 loops (where the processor has them) and without */
    for (int scalar = 0; scalar <= 1; scalar++)
        for (int incl = 0; incl <= 1; incl++)
            for (int qi = 0; qi < 3; qi++) {
                socind__kernel_scalar = scalar;
                socind_poverty_line L;
                socind_poverty_line_init(&L);
                L.type = SOCIND_LINE_RELATIVE_QUANTILE;
                L.value = 0.6;
                L.quantile = qi == 0 ? 0.5 : qi == 1 ? 0.1 : 0.95;
                L.inclusive = incl;
                qline_both(d, y, &L, 1);
            }
    socind__kernel_scalar = 0;
    socind_design_free(d);
    /* incomes periodic in the row order, with the period of the sample's
       stride: the sampled rows all earn far more than the rest, the
       bracket misses, and the histogram path gives the line */
    size_t stride = N / 65536;
    for (int k = 0; k < N; k++)
        if ((size_t)k % stride == stride / 2) y[k] = 1e7 + k;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    qline_both(d, y, &L, 2);
    /* every sampled income missing: no bracket */
    for (int k = 0; k < N; k++)
        if ((size_t)k % stride == stride / 2) y[k] = NAN;
    qline_both(d, y, &L, 2);
    /* the rows the sample skips all sit at its median: the bracket holds
       them (the sample thought it held few), its lists grow, the bracket
       is right */
    seed = 11;
    for (int k = 0; k < N; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(seed >> 11) / 9007199254740992.0;
        y[k] = round(exp(2.0 * u + 9.0));
    }
    for (int k = 0; k < N; k++)
        if ((size_t)k % stride != stride / 2) y[k] = round(exp(10.0)); /* the median of the rest */
    qline_both(d, y, &L, 1);
    socind_design_free(d);
    free(y), free(w), free(st), free(psu);
}

/* A domain's density at a relative line, by its SE: in a domain where no
 * row is poor, or where every row is, u = D·Z/N̂_d with D = N̂_d·f̂_d(z), so
 * SE_d·N̂_d/SE(line) must be convey's kernel sum over the domain, computed
 * here term by term — for domains near the line and far from it (every row
 * more than √2 bandwidths away, where the sum's cut-off moves; domain 1's
 * SE is about 1e−50: the line's term is kept apart from the PSUs' own sums,
 * so nothing of it is lost; a domain farther still has an SE below 1e−154,
 * whose square underflows to 0). */
static void test_domain_density(void **state) {
    (void)state;
    enum { N = 2000 };
    double y[N], w[N];
    int32_t g[N];
    uint64_t seed = 5;
    for (int k = 0; k < N; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(seed >> 11) / 9007199254740992.0;
        w[k] = 1.0 + (double)((seed >> 40) % 4);
        y[k] = k < 1000 ? 100.0 + 100.0 * u : k < 1800 ? 300.0 + 100.0 * u : -120.0 + 100.0 * u;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    socind_estimate line, e[5];
    assert_int_equal(socind_poverty_line_estimate(d, y, &L, NULL, &line), SOCIND_OK);
    double z = line.value;
    /* domains: 1 far below the line, 2 just above it, 3 just below, 4
       above it with a gap of 30 (several of its bandwidths); the rest
       (300-400) in none */
    for (int k = 0; k < N; k++)
        g[k] = k >= 1800 ? 1 : k >= 1000 ? -1 : y[k] >= z + 30 ? 4 : y[k] >= z ? 2 : 3;
    for (int scalar = 0; scalar <= 1; scalar++) {
        socind__kernel_scalar = scalar;
        assert_int_equal(socind_fgt(d, y, &L, 0, g, 5, NULL, e), SOCIND_OK);
        assert_close(e[1].value, 1.0, 0);
        assert_close(e[3].value, 1.0, 0);
        for (int j = 1; j <= 4; j++) {
            long double n = 0, s1 = 0, s2 = 0, f = 0;
            for (int k = 0; k < N; k++)
                if (g[k] == j) n += w[k], s1 += w[k] * y[k];
            long double mu = s1 / n;
            for (int k = 0; k < N; k++)
                if (g[k] == j) s2 += w[k] * (y[k] - mu) * (y[k] - mu);
            long double h = sqrtl(s2 / n) / powl(n, 0.2L);
            for (int k = 0; k < N; k++)
                if (g[k] == j) {
                    long double t = (z - y[k]) / h;
                    f += w[k] * expl(-t * t / 2) / sqrtl(2 * 3.14159265358979323846L) / h;
                }
            assert_close(e[j].value, j % 2 ? 1.0 : 0.0, 0);
            assert_true(f > 0);
            assert_close(e[j].se * (double)n / line.se, (double)f, 1e-9);
        }
    }
    socind__kernel_scalar = 0;
    socind_design_free(d);
}

/* FGT(α > 0) against a relative line: the line's derivative Σ w·α·g^(α−1)·y/z²
 * stays right where z² leaves the double range (z beyond 1.3e154, or below
 * 1.5e−154 where z² is subnormal): the SE equals the unscaled one, in the
 * sparse computation (the line's term through the scaled basis) and the
 * dense one. */
static void test_fgt_line_derivative_scale(void **state) {
    (void)state;
    enum { N = 2000 };
    static double y[N], ys[N], w[N];
    static int64_t st[N], psu[N];
    uint64_t seed = 17;
    for (int k = 0; k < N; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u1 = ((double)(seed >> 11) + 1.0) / 9007199254740993.0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u2 = (double)(seed >> 11) / 9007199254740992.0;
        y[k] = exp(7.0 + 0.7 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
        w[k] = 1.0 + (double)(k % 5);
        st[k] = k % 4;
        psu[k] = k % 100;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_MEAN;
    L.value = 0.5;
    const double alphas[3] = {1.0, 2.0, 1.5};
    /* the line near 6e155 (z² overflows) and near 2e−156 (z² subnormal) */
    const double scales[2] = {0x1p+508, 0x1p-526};
    for (int a = 0; a < 3; a++) {
        socind_estimate ref, e;
        assert_int_equal(socind_fgt(d, y, &L, alphas[a], NULL, 0, NULL, &ref), SOCIND_OK);
        assert_int_equal(ref.status, SOCIND_OK);
        for (int s = 0; s < 2; s++) {
            for (int k = 0; k < N; k++) ys[k] = y[k] * scales[s];
            for (int dense = 0; dense <= 1; dense++) {
                socind__poverty_dense = dense;
                assert_int_equal(socind_fgt(d, ys, &L, alphas[a], NULL, 0, NULL, &e), SOCIND_OK);
                socind__poverty_dense = 0;
                assert_int_equal(e.status, SOCIND_OK);
                assert_close(e.value, ref.value, 1e-14);
                assert_close(e.se, ref.se, 1e-12);
            }
        }
    }
    socind_design_free(d);
}

/* Poverty measures do not change when incomes and lines are multiplied by a
 * constant, and totals in currency (the total gap, the mean shortfall, the
 * line) change by it. Incomes near the ends of the double range are
 * rescaled by a power of 2 (exact): with incomes (and absolute or per-row
 * lines) ×2^k, |k| up to 1000, every estimator by domain, the profile and the
 * line give the unscaled figures bit for bit (currency figures ×2^k), and
 * status SOCIND_OK, except a currency figure beyond DBL_MAX
 * (SOCIND_ERR_OVERFLOW). (Relative quantile lines failed with "every income
 * is equal" from about 1e148, FGT0 went NaN near 1e−158 and FGT2's SE was
 * off by 5e−10 there.) */
enum { SN = 2000, SG = 3 };
static double s_y[SN], s_w[SN], s_lines[SN];
static int64_t s_st[SN], s_psu[SN];
static int32_t s_g[SN];

static void scale_data(void) {
    uint64_t seed = 23;
    for (int k = 0; k < SN; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u1 = ((double)(seed >> 11) + 1.0) / 9007199254740993.0;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u2 = (double)(seed >> 11) / 9007199254740992.0;
        s_y[k] = exp(7.0 + 0.7 * sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2));
        if (k % 97 == 5) s_y[k] = NAN;
        if (k % 89 == 7) s_y[k] = k % 2 ? 0.0 : -0.25 * s_y[k];
        s_w[k] = 1.0 + (double)(k % 5);
        s_st[k] = k % 4;
        s_psu[k] = k % 100;
        s_g[k] = k % 7 == 0 ? -1 : (int32_t)((k / 3) % SG);
        s_lines[k] = k % 53 == 0 ? NAN : 600.0 + (double)(k % 11) * 20.0;
    }
}

/* Runs estimator `which` into out (count estimates); 0 when done. */
static int scale_call(int which, const socind_design *d, const double *y,
                      const socind_poverty_line *L, socind_estimate *out, int *count,
                      int *currency) {
    *currency = 0;
    *count = SG;
    switch (which) {
    case 0:
    case 1:
    case 2:
    case 3:
        return socind_fgt(d, y, L, (const double[]){0, 1, 2, 1.5}[which], s_g, SG, NULL, out);
    case 4:
        return socind_poor_count(d, y, L, s_g, SG, NULL, out);
    case 5:
        *currency = 1;
        return socind_poverty_gap_total(d, y, L, s_g, SG, NULL, out);
    case 6:
        *currency = 1;
        return socind_mean_shortfall(d, y, L, s_g, SG, NULL, out);
    case 7:
        return socind_watts(d, y, L, SOCIND_NONPOS_EXCLUDE, s_g, SG, NULL, out);
    case 8:
        *count = SOCIND_FGTDEC_COUNT * SG;
        return socind_fgt_decomposition(d, y, L, 2.0, s_g, SG, NULL, out);
    case 9:
        *count = SOCIND_WATTSDEC_COUNT * SG;
        return socind_watts_decomposition(d, y, L, SOCIND_NONPOS_EXCLUDE, s_g, SG, NULL, out);
    case 10:
    case 11:
        *count = SOCIND_PROFILE_COUNT * SG;
        return socind_poverty_profile(d, y, L, (double)(which - 10), s_g, SG, NULL, out);
    default:
        *count = 1;
        *currency = 1;
        return socind_poverty_line_estimate(d, y, L, NULL, out);
    }
}

static int same_bits(double a, double b) {
    return a == b || (isnan(a) && isnan(b));
}

static void test_scale_equivariance(void **state) {
    (void)state;
    scale_data();
    socind_design *d;
    assert_int_equal(socind_design_new(SN, s_w, s_st, s_psu, NULL, NULL, &d), SOCIND_OK);
    static double ys[SN], ls[SN], yr[SN], lr[SN];
    /* 2^−1045: every income subnormal (the reference then is the data as
       rounded, scaled back up: exact) */
    const int ks[] = {-1045, -1000, -600, -530, -300, 300, 510, 600, 1000, 1009};
    for (int lt = 0; lt < 4; lt++)
        for (int hist = 0; hist < (lt == SOCIND_LINE_RELATIVE_QUANTILE ? 2 : 1); hist++)
            for (int which = 0; which < 13; which++) {
                if (which == 12 && lt == SOCIND_LINE_PER_ROW) continue;
                socind__qline_force_histogram = hist;
                for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++) {
                    const int k = ks[ki];
                    for (int i = 0; i < SN; i++) {
                        ys[i] = ldexp(s_y[i], k), ls[i] = ldexp(s_lines[i], k);
                        yr[i] = ldexp(ys[i], -k), lr[i] = ldexp(ls[i], -k);
                    }
                    socind_poverty_line L;
                    socind_poverty_line_init(&L);
                    L.type = lt;
                    L.value = lt == SOCIND_LINE_ABSOLUTE ? 700.0 : 0.6;
                    L.lines = lr;
                    socind_estimate ref[5 * SG], e[5 * SG];
                    int count, cur;
                    assert_int_equal(scale_call(which, d, yr, &L, ref, &count, &cur), SOCIND_OK);
                    L.value = lt == SOCIND_LINE_ABSOLUTE ? ldexp(700.0, k) : 0.6;
                    L.lines = ls;
                    assert_int_equal(scale_call(which, d, ys, &L, e, &count, &cur), SOCIND_OK);
                    for (int i = 0; i < count; i++) {
                        const socind_estimate *a = &e[i], *b = &ref[i];
                        int sc = cur ? k : 0;
                        double v = ldexp(b->value, sc), se = ldexp(b->se, sc),
                               lo = ldexp(b->ci_low, sc), hi = ldexp(b->ci_high, sc);
                        int over = b->status == SOCIND_OK &&
                                   !(isfinite(v) && isfinite(se) && isfinite(lo) && isfinite(hi));
                        if (!(a->status == (over ? SOCIND_ERR_OVERFLOW : b->status) &&
                              (over || (same_bits(a->value, v) && same_bits(a->se, se) &&
                                        same_bits(a->ci_low, lo) && same_bits(a->ci_high, hi)))))
                            print_error("line %d (histogram %d) estimator %d scale 2^%d [%d]: "
                                        "%.17g (se %.17g, status %d), unscaled %.17g (se %.17g, "
                                        "status %d)\n",
                                        lt, hist, which, k, i, a->value, a->se, a->status, v, se,
                                        b->status);
                        assert_int_equal(a->status, over ? SOCIND_ERR_OVERFLOW : b->status);
                        if (b->status != SOCIND_ERR_EMPTY_DOMAIN && !over)
                            assert_true(b->status == SOCIND_OK || b->status == SOCIND_ERR_DATA);
                        assert_int_equal(a->n, b->n);
                        assert_true(same_bits(a->weight_sum, b->weight_sum));
                        if (!over) {
                            assert_true(same_bits(a->value, v) && same_bits(a->se, se));
                            assert_true(same_bits(a->ci_low, lo) && same_bits(a->ci_high, hi));
                        }
                    }
                }
                socind__qline_force_histogram = 0;
            }
    socind_design_free(d);
}

/* Against a fixed line the total gap and the mean shortfall sum z − y over
 * the rows below their line: an income far above it (1e300, DBL_MAX) has
 * gap 0 and leaves them as they are. The scale had been taken from the
 * largest income of every row, so the poor's gaps fell to about 1e−296
 * (their PSU totals below the variance's range): SE NaN with
 * SOCIND_ERR_OVERFLOW. Now, with absolute and per-row lines, incomes and
 * lines ×2^k, by domain and overall, a few incomes above the line replaced
 * by 1e300 or DBL_MAX give the figures of the data as they were, bit for
 * bit; the line itself (1e−10 beside incomes of ±1e300) is the line given,
 * to the last bit (it had been 1.000000000000009e−10). */
static void test_gap_income_far_above_line(void **state) {
    (void)state;
    scale_data();
    socind_design *d;
    assert_int_equal(socind_design_new(SN, s_w, s_st, s_psu, NULL, NULL, &d), SOCIND_OK);
    static double ys[SN], yb[SN], ls[SN];
    const double far[2] = {1e300, DBL_MAX};
    const int ks[3] = {0, -700, 600};
    int replaced = 0, positive = 0;
    for (int lt = 0; lt < 2; lt++) /* SOCIND_LINE_ABSOLUTE, SOCIND_LINE_PER_ROW */
        for (int ki = 0; ki < 3; ki++)
            for (int fi = 0; fi < 2; fi++) {
                const int k = ks[ki];
                socind_poverty_line L;
                socind_poverty_line_init(&L);
                L.type = lt;
                L.value = ldexp(700.0, k);
                L.lines = ls;
                replaced = 0;
                for (int i = 0; i < SN; i++) {
                    ys[i] = ldexp(s_y[i], k), ls[i] = ldexp(s_lines[i], k), yb[i] = ys[i];
                    const double z = lt ? ls[i] : L.value;
                    /* every 40th row above its line, in every domain */
                    if (i % 40 == 3 && ys[i] > z) yb[i] = far[fi], replaced++;
                }
                assert_true(replaced > 5);
                for (int which = 0; which < 2; which++)
                    for (int grouped = 0; grouped < 2; grouped++) {
                        const int32_t *g = grouped ? s_g : NULL;
                        const int32_t ng = grouped ? SG : 0;
                        socind_estimate ref[SG], e[SG];
                        for (int v = 0; v < 2; v++) {
                            const double *y = v ? yb : ys;
                            socind_estimate *o = v ? e : ref;
                            assert_int_equal(
                                which ? socind_mean_shortfall(d, y, &L, g, ng, NULL, o)
                                      : socind_poverty_gap_total(d, y, &L, g, ng, NULL, o),
                                SOCIND_OK);
                        }
                        for (int j = 0; j < (grouped ? SG : 1); j++) {
                            const socind_estimate *a = &e[j], *b = &ref[j];
                            if (a->status != b->status || !same_bits(a->se, b->se))
                                print_error("line %d scale 2^%d income %g estimator %d [%d]: "
                                            "%.17g (se %.17g, status %d), as given %.17g (se "
                                            "%.17g, status %d)\n",
                                            lt, k, far[fi], which, j, a->value, a->se, a->status,
                                            b->value, b->se, b->status);
                            assert_int_equal(b->status, SOCIND_OK);
                            assert_int_equal(a->status, SOCIND_OK);
                            assert_true(same_bits(a->value, b->value) && same_bits(a->se, b->se));
                            assert_true(same_bits(a->ci_low, b->ci_low) &&
                                        same_bits(a->ci_high, b->ci_high));
                            assert_true(same_bits(a->weight_sum, b->weight_sum));
                            assert_int_equal(a->n, b->n);
                            positive += b->se > 0.0;
                        }
                    }
            }
    assert_true(positive > 40);
    socind_design_free(d);
    /* the line: the one given, whatever the incomes beside it */
    const double w[4] = {1.0, 2.0, 3.0, 4.0}, y[4] = {1e300, 5.0, -1e300, 2.0};
    assert_int_equal(socind_design_new(4, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 1e-10;
    socind_estimate e;
    assert_int_equal(socind_poverty_line_estimate(d, y, &L, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_OK);
    assert_true(e.value == 1e-10 && e.se == 0.0);
    assert_true(e.ci_low == 1e-10 && e.ci_high == 1e-10);
    socind_design_free(d);
}

static void test_decomposition_identities(void **state) {
    (void)state;
    socind_design *d = srs();
    socind_poverty_line L = abs_line(450);
    socind_estimate e[SOCIND_FGTDEC_COUNT], w[SOCIND_WATTSDEC_COUNT];
    assert_int_equal(socind_fgt_decomposition(d, Y, &L, 2.0, NULL, 0, NULL, e), SOCIND_OK);
    double P0 = e[SOCIND_FGTDEC_P0].value, P1 = e[SOCIND_FGTDEC_P1].value,
           P2 = e[SOCIND_FGTDEC_PALPHA].value, I = e[SOCIND_FGTDEC_IGR].value,
           ge = e[SOCIND_FGTDEC_GE].value;
    assert_close(P0, 0.4, 1e-15);
    assert_close(I, P1 / P0, 1e-15);
    assert_close(P2, P0 * I * I * (1 + 2 * ge), 1e-13);
    for (int i = 0; i < SOCIND_FGTDEC_COUNT; i++) assert_true(e[i].se > 0);
    assert_int_equal(socind_watts_decomposition(d, Y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, w),
                     SOCIND_OK);
    assert_close(w[SOCIND_WATTSDEC_WATTS].value,
                 P0 * (w[SOCIND_WATTSDEC_GAP_RATIO].value + w[SOCIND_WATTSDEC_THEIL_POOR].value),
                 1e-13);
    assert_close(w[SOCIND_WATTSDEC_P0].value, P0, 1e-15);
    assert_close(w[SOCIND_WATTSDEC_GAP_RATIO].value, log(P0 / (P0 - P1)), 1e-13);
    /* alpha must exceed 1 for the decomposition */
    assert_int_equal(socind_fgt_decomposition(d, Y, &L, 1.0, NULL, 0, NULL, e), SOCIND_ERR_ARG);
    assert_true(isnan(e[0].value));
    socind_design_free(d);
}

/* The profile's parts of group g: out[g·COUNT + k] */
#define PROFILE(out, g, k) (out)[(g)*SOCIND_PROFILE_COUNT + SOCIND_PROFILE_##k]

static void test_profile(void **state) {
    (void)state;
    socind_design *d = srs();
    socind_poverty_line L = abs_line(450);
    const int32_t g[10] = {0, 1, 0, 1, 0, 1, 0, 1, 2, 2};
    socind_estimate p[3 * SOCIND_PROFILE_COUNT], tot;
    assert_int_equal(socind_poverty_profile(d, Y, &L, 1.0, g, 3, NULL, p), SOCIND_OK);
    socind_fgt(d, Y, &L, 1.0, NULL, 0, NULL, &tot);
    double ssum = 0, csum = 0, pcsum = 0;
    for (int j = 0; j < 3; j++) {
        ssum += PROFILE(p, j, SHARE).value;
        csum += PROFILE(p, j, CONTRIBUTION).value;
        pcsum += PROFILE(p, j, CONTRIBUTION_SHARE).value;
        assert_close(PROFILE(p, j, CONTRIBUTION).value,
                     PROFILE(p, j, SHARE).value * PROFILE(p, j, FGT).value, 1e-14);
        /* each part is its group's (the profile's FGT is the domain's FGT) */
        socind_estimate fj[3];
        assert_int_equal(socind_fgt(d, Y, &L, 1.0, g, 3, NULL, fj), SOCIND_OK);
        assert_close(PROFILE(p, j, FGT).value, fj[j].value, 1e-15);
        assert_close(PROFILE(p, j, FGT).se, fj[j].se, 1e-13);
    }
    assert_close(ssum, 1.0, 1e-15);
    assert_close(csum, tot.value, 1e-14);
    assert_close(pcsum, 1.0, 1e-14);
    assert_close(PROFILE(p, 0, SHARE).value, 0.4, 1e-15);
    /* group 0 = 100, 300, 500, 700: P1 = (350 + 150)/450/4 */
    assert_close(PROFILE(p, 0, FGT).value, 500.0 / 450.0 / 4.0, 1e-14);
    /* group 2 (900, 1000) has no poor: P = 0, SE 0; its contribution 0 */
    assert_close(PROFILE(p, 2, FGT).value, 0.0, 0);
    assert_close(PROFILE(p, 2, FGT).se, 0.0, 0);
    assert_close(PROFILE(p, 2, CONTRIBUTION).value, 0.0, 0);
    /* without a group column: every one of the COUNT·n_groups estimates NaN */
    assert_int_equal(socind_poverty_profile(d, Y, &L, 1.0, NULL, 3, NULL, p), SOCIND_ERR_NULL);
    for (int i = 0; i < 3 * SOCIND_PROFILE_COUNT; i++) {
        assert_true(isnan(p[i].value));
        assert_int_equal(p[i].status, SOCIND_ERR_NULL);
    }
    assert_int_equal(socind_poverty_profile(d, Y, &L, 1.0, g, 3, NULL, NULL), SOCIND_ERR_NULL);
    socind_design_free(d);
}

static void assert_same_estimate(const socind_estimate *a, const socind_estimate *b) {
    assert_close(a->value, b->value, 1e-15);
    assert_close(a->se, b->se, 1e-13);
    assert_close(a->ci_low, b->ci_low, 1e-13);
    assert_close(a->ci_high, b->ci_high, 1e-13);
    assert_int_equal(a->status, b->status);
}

/* opts->prop_ci reaches every part that is a share of people: P0 in both
 * decompositions, and the profile's group share (any α) and, at α = 0, its
 * FGT, contribution and contribution share; the other parts keep Wald. */
static void test_proportion_intervals(void **state) {
    (void)state;
    socind_design *d = srs();
    socind_poverty_line L = abs_line(450);
    const int32_t g[10] = {0, 1, 0, 1, 0, 1, 0, 1, 2, 2};
    const int32_t prop_ci[2] = {SOCIND_PROP_CI_LOGIT, SOCIND_PROP_CI_WALD};
    for (int m = 0; m < 2; m++) {
        socind_options o;
        socind_options_init(&o);
        o.prop_ci = prop_ci[m];
        socind_estimate p0, e[SOCIND_FGTDEC_COUNT], w[SOCIND_WATTSDEC_COUNT];
        assert_int_equal(socind_fgt(d, Y, &L, 0.0, NULL, 0, &o, &p0), SOCIND_OK);
        /* the logit interval is not symmetric about P0 = 0.4 */
        double asym = (p0.ci_high - p0.value) - (p0.value - p0.ci_low);
        if (m == 0)
            assert_true(fabs(asym) > 1e-3);
        else
            assert_true(fabs(asym) < 1e-12);
        assert_int_equal(socind_fgt_decomposition(d, Y, &L, 2.0, NULL, 0, &o, e), SOCIND_OK);
        assert_same_estimate(&e[SOCIND_FGTDEC_P0], &p0);
        assert_int_equal(socind_watts_decomposition(d, Y, &L, SOCIND_NONPOS_ERROR, NULL, 0, &o, w),
                         SOCIND_OK);
        assert_same_estimate(&w[SOCIND_WATTSDEC_P0], &p0);
        /* P1 is no proportion: Wald, symmetric */
        const socind_estimate *p1 = &e[SOCIND_FGTDEC_P1];
        assert_close(p1->ci_high - p1->value, p1->value - p1->ci_low, 1e-12);

        socind_estimate p[3 * SOCIND_PROFILE_COUNT], f[3], q[3 * SOCIND_PROFILE_COUNT];
        assert_int_equal(socind_poverty_profile(d, Y, &L, 0.0, g, 3, &o, p), SOCIND_OK);
        assert_int_equal(socind_fgt(d, Y, &L, 0.0, g, 3, &o, f), SOCIND_OK);
        assert_int_equal(socind_poverty_profile(d, Y, &L, 1.0, g, 3, &o, q), SOCIND_OK);
        for (int j = 0; j < 3; j++) {
            assert_same_estimate(&PROFILE(p, j, FGT), &f[j]);
            /* the group's share is the proportion of people in it */
            double in_j[10];
            for (int k = 0; k < 10; k++) in_j[k] = g[k] == j;
            socind_estimate s;
            assert_int_equal(socind_proportion(d, in_j, NULL, 0, &o, &s), SOCIND_OK);
            assert_same_estimate(&PROFILE(p, j, SHARE), &s);
            assert_same_estimate(&PROFILE(q, j, SHARE), &s);
            /* at α = 0 the contribution is the proportion poor and in j */
            double poor_j[10];
            for (int k = 0; k < 10; k++) poor_j[k] = g[k] == j && Y[k] < 450;
            assert_int_equal(socind_proportion(d, poor_j, NULL, 0, &o, &s), SOCIND_OK);
            assert_same_estimate(&PROFILE(p, j, CONTRIBUTION), &s);
            /* at α = 1 it is no proportion: Wald */
            const socind_estimate *c = &PROFILE(q, j, CONTRIBUTION);
            assert_close(c->ci_high - c->value, c->value - c->ci_low, 1e-12);
        }
    }
    socind_design_free(d);
}

static void test_ppp(void **state) {
    (void)state;
    double line;
    /* the header's worked example: $2.15 × 4700 Rp × 125/100 × 365/12 */
    assert_int_equal(socind_ppp_line(2.15, 4700, 125, 100, 365.0 / 12.0, &line), SOCIND_OK);
    assert_close(line, 384200.5208333333, 1e-12);
    assert_int_equal(socind_ppp_line(3.00, 5000, 100, 100, 30, &line), SOCIND_OK);
    assert_close(line, 450000, 1e-15);
    assert_int_equal(socind_ppp_line(-1, 4700, 125, 100, 30, &line), SOCIND_ERR_ARG);
    assert_true(isnan(line));
    assert_int_equal(socind_ppp_line(2.15, NAN, 125, 100, 30, &line), SOCIND_ERR_ARG);
    assert_int_equal(socind_ppp_line(2.15, 4700, 125, 0, 30, &line), SOCIND_ERR_ARG);
    assert_int_equal(socind_ppp_line(2.15, 4700, 125, 100, INFINITY, &line), SOCIND_ERR_ARG);
    assert_int_equal(socind_ppp_line(2.15, 4700, 125, 100, 30, NULL), SOCIND_ERR_NULL);
    /* an intermediate product below DBL_MIN (subnormal) with the line in
       range: formed from the mantissas, nothing is lost (was 9.99989e−121) */
    assert_int_equal(socind_ppp_line(1e-200, 1e-120, 1, 1, 1e200, &line), SOCIND_OK);
    assert_close(line, 1e-120, 4e-16);
    assert_int_equal(socind_ppp_line(1e-300, 1e-20, 1, 1, 1e30, &line), SOCIND_OK);
    assert_close(line, 1e-290, 4e-16);
    assert_int_equal(socind_ppp_line(3, 1e-160, 1e-160, 1e-10, 1e200, &line), SOCIND_OK);
    assert_close(line, 3e-110, 4e-16);
    /* in range throughout: the same bits as the formula's products */
    const double a[4][5] = {{2.15, 4700, 125, 100, 365.0 / 12.0},
                            {3.0, 15000.5, 97.3, 100.1, 7},
                            {1.9, 0.85, 211.2, 180.4, 365},
                            {2.15, 1e-3, 1e5, 3.3, 1.0 / 3.0}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(socind_ppp_line(a[i][0], a[i][1], a[i][2], a[i][3], a[i][4], &line),
                         SOCIND_OK);
        assert_true(line == a[i][0] * a[i][1] * (a[i][2] / a[i][3]) * a[i][4]);
    }
}

/* A fixed line far from the incomes sets the scale (incomes and line times
 * 2^−ex): an income that leaves the doubles under it is not an infinite
 * income. Against a line of 1e−310, incomes of 1 .. 3 are not poor (every
 * measure 0; it had been SOCIND_ERR_DATA, "y[0] is inf"), −1 is poor (FGT0
 * counts it; FGT1's gap leaves the doubles: SOCIND_ERR_OVERFLOW); against
 * 1e308, Watts' log(z/y) of 1e−300 (below the normal doubles at the
 * line's scale) makes the estimates it enters SOCIND_ERR_OVERFLOW, not
 * figures from lost digits (nor the call's "y[0] is 0"), while a domain
 * without it has its figure and FGT counts it poor; a negative income's
 * Watts message names the income as given. */
static void test_line_far_from_incomes(void **state) {
    (void)state;
    const double w[4] = {1.0, 1.0, 1.0, 1.0};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(4, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 1e-310;
    socind_estimate e;
    const double up[4] = {1.0, 2.0, 3.0, 4.0};
    for (int a = 0; a <= 2; a++) {
        assert_int_equal(socind_fgt(d, up, &L, (double)a, NULL, 0, NULL, &e), SOCIND_OK);
        assert_int_equal(e.status, SOCIND_OK);
        assert_true(e.value == 0.0);
    }
    assert_int_equal(socind_watts(d, up, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_true(e.value == 0.0);
    assert_int_equal(socind_poor_count(d, up, &L, NULL, 0, NULL, &e), SOCIND_OK);
    assert_true(e.value == 0.0);
    const double mixed[4] = {-1.0, 2.0, 3.0, 1e-320};
    assert_int_equal(socind_fgt(d, mixed, &L, 0.0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_OK);
    assert_close(e.value, 0.5, 1e-15);
    assert_int_equal(socind_fgt(d, mixed, &L, 1.0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(socind_watts(d, mixed, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_NONPOSITIVE);
    assert_non_null(strstr(socind_last_error_detail(), "y[0] is -1;"));
    L.value = 1e308;
    const double low[4] = {1e-300, 2e-300, 1e300, 2e300};
    assert_int_equal(socind_fgt(d, low, &L, 0.0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_true(e.value == 1.0);
    assert_int_equal(socind_watts(d, low, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
    /* by domain: only the estimates those incomes enter; a row in no
       domain, or of weight 0, enters none */
    const int32_t grp[4] = {0, -1, 1, 1};
    socind_estimate ge[2];
    assert_int_equal(socind_watts(d, low, &L, SOCIND_NONPOS_ERROR, grp, 2, NULL, ge), SOCIND_OK);
    assert_int_equal(ge[0].status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(ge[1].status, SOCIND_OK);
    assert_close(ge[1].value, 0.5 * (log(1e308 / 1e300) + log(1e308 / 2e300)), 1e-13);
    socind_design_free(d);
}

static void test_bad_inputs(void **state) {
    (void)state;
    socind_design *d = srs();
    socind_poverty_line L = abs_line(450);
    socind_estimate e, e3[3];
    /* NaN income: the row leaves the estimate (n = 9, P0 = 3/9) */
    double y[10];
    memcpy(y, Y, sizeof y);
    y[0] = NAN;
    assert_int_equal(socind_fgt(d, y, &L, 0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.n, 9);
    assert_close(e.value, 3.0 / 9.0, 1e-15);
    /* zero income: Watts fails naming the row, or excludes it */
    memcpy(y, Y, sizeof y);
    y[3] = 0;
    assert_int_equal(socind_watts(d, y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_NONPOSITIVE);
    assert_true(isnan(e.value));
    assert_non_null(strstr(socind_last_error_detail(), "y[3]"));
    assert_int_equal(socind_watts(d, y, &L, SOCIND_NONPOS_EXCLUDE, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.n, 9);
    assert_close(e.value, log(450.0 * 450 * 450 / (100.0 * 200 * 300)) / 9.0, 1e-14);
    assert_int_equal(socind_watts(d, y, &L, 7, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    /* FGT accepts zero incomes */
    assert_int_equal(socind_fgt(d, y, &L, 2, NULL, 0, NULL, &e), SOCIND_OK);
    /* no density at a relative quantile line: every income equal
       (SOCIND_ERR_DATA), or a weight near 1e308 whose moments leave the
       doubles (SOCIND_ERR_OVERFLOW: it had been called "every income is
       equal") */
    {
        socind_poverty_line R = abs_line(0.6);
        R.type = SOCIND_LINE_RELATIVE_QUANTILE;
        const double flat[10] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
        assert_int_equal(socind_fgt(d, flat, &R, 0, NULL, 0, NULL, &e), SOCIND_ERR_DATA);
        assert_non_null(strstr(socind_last_error_detail(), "every income is equal"));
        double w[10];
        for (int i = 0; i < 10; i++) w[i] = i == 4 ? 1e308 : 1.0;
        socind_design *big = NULL;
        assert_int_equal(socind_design_new(10, w, NULL, NULL, NULL, NULL, &big), SOCIND_OK);
        assert_int_equal(socind_fgt(big, Y, &R, 0, NULL, 0, NULL, &e), SOCIND_ERR_OVERFLOW);
        assert_non_null(strstr(socind_last_error_detail(), "leave the double range"));
        socind_design_free(big);
    }
    /* ±Inf incomes: refused where an estimate reads them (poverty.h) — for
       FGT, the poor and Watts against a fixed line the rows of the domains;
       with a relative line, and for totals in currency, every row */
    {
        memcpy(y, Y, sizeof y);
        y[8] = -INFINITY;
        int32_t g[10] = {0, 0, 0, 0, 1, 1, 1, 1, -1, -1}; /* row 8 in no domain */
        socind_estimate e2[2];
        assert_int_equal(socind_fgt(d, y, &L, 1, g, 2, NULL, e2), SOCIND_OK);
        assert_int_equal(e2[0].status, SOCIND_OK);
        assert_int_equal(socind_poor_count(d, y, &L, g, 2, NULL, e2), SOCIND_OK);
        assert_int_equal(socind_watts(d, y, &L, SOCIND_NONPOS_ERROR, g, 2, NULL, e2), SOCIND_OK);
        assert_int_equal(socind_fgt(d, y, &L, 0, NULL, 0, NULL, &e), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 8);
        assert_true(isnan(e.value));
        assert_int_equal(socind_watts(d, y, &L, SOCIND_NONPOS_EXCLUDE, NULL, 0, NULL, &e),
                         SOCIND_ERR_DATA); /* not a non-positive income to exclude */
        assert_int_equal(socind_last_error_row(), 8);
        g[8] = 1;
        assert_int_equal(socind_fgt(d, y, &L, 2, g, 2, NULL, e2), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 8);
        g[8] = -1;
        assert_int_equal(socind_poverty_gap_total(d, y, &L, g, 2, NULL, e2), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 8);
        assert_int_equal(socind_mean_shortfall(d, y, &L, g, 2, NULL, e2), SOCIND_ERR_DATA);
        socind_poverty_line R;
        socind_poverty_line_init(&R);
        R.type = SOCIND_LINE_RELATIVE_MEAN;
        R.value = 0.6;
        assert_int_equal(socind_fgt(d, y, &R, 0, g, 2, NULL, e2), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 8);
        assert_true(isnan(e2[0].value) && isnan(e2[1].value));
        /* a relative line's own pass finds it, in a row of weight 0 too, on
           each path to the quantile */
        double w0[10] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 1};
        socind_design *d0 = NULL;
        assert_int_equal(socind_design_new(10, w0, NULL, NULL, NULL, NULL, &d0), SOCIND_OK);
        y[8] = INFINITY;
        R.type = SOCIND_LINE_RELATIVE_QUANTILE;
        for (int hist = 0; hist < 2; hist++) {
            socind__qline_force_histogram = hist;
            assert_int_equal(socind_fgt(d0, y, &R, 1, NULL, 0, NULL, &e), SOCIND_ERR_DATA);
            assert_int_equal(socind_last_error_row(), 8);
            assert_int_equal(socind_poverty_line_estimate(d0, y, &R, NULL, &e), SOCIND_ERR_DATA);
        }
        socind__qline_force_histogram = 0;
        R.type = SOCIND_LINE_RELATIVE_MEAN;
        assert_int_equal(socind_watts(d0, y, &R, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                         SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 8);
        socind_design_free(d0);
    }
    /* lines */
    socind_poverty_line bad = abs_line(-5);
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    assert_true(isnan(e.value) && isnan(e.se));
    bad = abs_line(NAN);
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    bad = abs_line(450);
    bad.inclusive = 2;
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    bad = abs_line(450);
    bad.size = 8;
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_OPTIONS);
    bad = abs_line(450);
    bad.type = 9;
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    bad.type = SOCIND_LINE_PER_ROW;
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    double lines[10] = {450, 450, -1, 450, 450, 450, 450, 450, 450, 450};
    bad.lines = lines;
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_DATA);
    assert_non_null(strstr(socind_last_error_detail(), "lines[2]"));
    lines[2] = NAN; /* a missing line leaves the row out */
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.n, 9);
    bad.type = SOCIND_LINE_RELATIVE_QUANTILE;
    bad.value = 0.6;
    bad.quantile = 1.0;
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    bad.quantile = 0.5;
    bad.value = 0;
    assert_int_equal(socind_fgt(d, Y, &bad, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    bad.type = SOCIND_LINE_PER_ROW;
    assert_int_equal(socind_poverty_line_estimate(d, Y, &bad, NULL, &e), SOCIND_ERR_ARG);
    /* alpha */
    assert_int_equal(socind_fgt(d, Y, &L, -1, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    assert_true(isnan(e.value));
    assert_int_equal(socind_fgt(d, Y, &L, NAN, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    /* NULLs */
    assert_int_equal(socind_fgt(NULL, Y, &L, 0, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_int_equal(socind_fgt(d, NULL, &L, 0, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_int_equal(socind_fgt(d, Y, NULL, 0, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_int_equal(socind_fgt(d, Y, &L, 0, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_poverty_line_init(NULL), SOCIND_ERR_NULL);
    /* every income missing */
    double nan10[10];
    for (int k = 0; k < 10; k++) nan10[k] = NAN;
    assert_int_equal(socind_fgt(d, nan10, &L, 0, NULL, 0, NULL, &e), SOCIND_ERR_EMPTY);
    /* domains: one with no poor (P = 0, SE 0), one empty */
    const int32_t g[10] = {0, 0, 0, 0, 1, 1, 1, 1, 1, -1};
    assert_int_equal(socind_fgt(d, Y, &L, 0, g, 3, NULL, e3), SOCIND_OK);
    assert_close(e3[0].value, 1.0, 0);
    assert_close(e3[1].value, 0.0, 0);
    assert_close(e3[1].se, 0.0, 0);
    assert_int_equal(e3[2].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_true(isnan(e3[2].value));
    /* shortfall in a domain with no poor */
    assert_int_equal(socind_mean_shortfall(d, Y, &L, g, 3, NULL, e3), SOCIND_OK);
    assert_int_equal(e3[1].status, SOCIND_ERR_DATA);
    assert_true(isnan(e3[1].value));
    const int32_t badg[10] = {0, 0, 0, 0, 1, 1, 1, 5, 1, -1};
    assert_int_equal(socind_fgt(d, Y, &L, 0, badg, 3, NULL, e3), SOCIND_ERR_GROUP);
    socind_design_free(d);
}

/* The median of the poor of a domain whose incomes lie far below the
 * others': the incomes are rescaled by their largest (ordinary here), so
 * the domain's PSU totals of its linearized variable stayed near 2^−540
 * and their squares left the doubles (the SE 6e−8 off at 2^−535). Domain
 * 0 holds 40 % of the rows, every one poor, at c·(1 + u); domain 1 the
 * rest at 1e5·(1 + u), none poor. The line (0.6 × the median, in domain 1)
 * lies so far above domain 0 that its density there is 0, so domain 0's
 * figures scale with c: at c = 2^−535 they are c times those at c = 1. */
static void test_poor_median_far_below(void **state) {
    (void)state;
    enum { N = 2000 };
    static double w[N], y[N];
    static int64_t h[N], p[N];
    static int32_t g[N];
    uint64_t r = 12345;
    double u[N];
    for (int k = 0; k < N; k++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        u[k] = (double)(r >> 11) * 0x1p-53;
        p[k] = k / 20, h[k] = p[k] / 5;
        w[k] = 50.0 + (double)(k % 7) * 30.0;
        g[k] = k % 5 < 2 ? 0 : 1;
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, h, p, NULL, NULL, &d), SOCIND_OK);
    socind_estimate e1[2], ec[2];
    for (int i = 0; i < 2; i++) {
        const double c = i ? 0x1p-535 : 1.0;
        for (int k = 0; k < N; k++) y[k] = g[k] == 0 ? c * (1.0 + u[k]) : 1e5 * (1.0 + u[k]);
        assert_int_equal(socind_poor_median(d, y, 0.6, 0.5, g, 2, NULL, i ? ec : e1), SOCIND_OK);
    }
    assert_int_equal(e1[0].status, SOCIND_OK);
    assert_int_equal(ec[0].status, SOCIND_OK);
    assert_true(e1[0].se > 0.0);
    assert_close(ec[0].value, ldexp(e1[0].value, -535), 1e-15);
    assert_close(ec[0].se, ldexp(e1[0].se, -535), 1e-12);
    socind_design_free(d);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_poor_median_far_below),
        cmocka_unit_test(test_relative_lines),
        cmocka_unit_test(test_row_at_relative_line),
        cmocka_unit_test(test_relative_quantile_paths_agree),
        cmocka_unit_test(test_relative_quantile_sample_and_histogram),
        cmocka_unit_test(test_domain_density),
        cmocka_unit_test(test_fgt_line_derivative_scale),
        cmocka_unit_test(test_scale_equivariance),
        cmocka_unit_test(test_gap_income_far_above_line),
        cmocka_unit_test(test_decomposition_identities),
        cmocka_unit_test(test_profile),
        cmocka_unit_test(test_proportion_intervals),
        cmocka_unit_test(test_ppp),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_line_far_from_incomes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
