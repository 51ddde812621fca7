/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_jdiv.c — the J-divergence, its decomposition and the Zenga
 * index on hand-worked cases (values and SEs worked from convey's formulas
 * with the rows as PSUs), the identities J = MLD + Theil and total =
 * within + between, the order of tied rows in Zenga (R's order(): row
 * order) on the sort's both paths, scale invariance, the nonpositive
 * policies, weights of 0, NaN, empty domains and bad arguments. */
#include "test_util.h"

#include "socind/socind.h"

static socind_design *srs(size_t n, const double *w) {
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    return d;
}

static void test_jdiv_hand_worked(void **state) {
    (void)state;
    const double y[4] = {1, 2, 4, 3}, w[4] = {1, 1, 2, 1};
    socind_design *d = srs(4, w);
    socind_estimate e, m, t;
    /* J = Σ w (y/μ − 1) log(y/μ)/N̂, μ = 14/5; SE from its linearized value
     * u = [(y/μ − 1) log(y/μ) − J]/N̂ − (GE(1)/μ)(y − μ)/N̂ */
    assert_int_equal(socind_jdiv(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_OK);
    assert_close(e.value, 0.21373651285524303, 1e-14);
    assert_close(e.se, 0.13802807924864341, 1e-12);
    assert_int_equal(e.n, 4);
    assert_close(e.weight_sum, 5.0, 0);
    /* J = MLD + Theil */
    socind_ge(d, y, 0.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &m);
    socind_ge(d, y, 1.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &t);
    assert_close(e.value, m.value + t.value, 1e-14);
    /* equal incomes: 0 */
    const double eq[4] = {7, 7, 7, 7};
    socind_jdiv(d, eq, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e);
    assert_close_abs(e.value, 0.0, 0, 1e-15);
    /* scale-free, also near the ends of the double range */
    socind_jdiv(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &m);
    const double f[3] = {1e6, 0x1p900, 0x1p-1000};
    for (int i = 0; i < 3; i++) {
        double ys[4];
        for (int k = 0; k < 4; k++) ys[k] = y[k] * f[i];
        assert_int_equal(socind_jdiv(d, ys, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
        assert_close(e.value, m.value, 1e-13);
        assert_close(e.se, m.se, 1e-12);
    }
    socind_design_free(d);
}

static void test_jdiv_rows(void **state) {
    (void)state;
    const double w[6] = {1, 1, 2, 1, 0, 1};
    socind_design *d = srs(6, w);
    socind_estimate e[2], ref;
    /* a NaN income and a row of weight 0 leave the estimate: the first four
       rows' figure (the weight-0 row's income is not checked) */
    const double y[6] = {1, 2, 4, 3, -5, NAN};
    const double w4[4] = {1, 1, 2, 1};
    socind_design *d4 = srs(4, w4);
    assert_int_equal(socind_jdiv(d4, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &ref), SOCIND_OK);
    assert_int_equal(socind_jdiv(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e), SOCIND_OK);
    assert_close(e[0].value, ref.value, 1e-14);
    assert_int_equal(e[0].n, 5); /* the weight-0 row is in the domain */
    /* nonpositive incomes: refused naming the row, or excluded */
    const double z[6] = {1, 2, 4, 3, 9, 0};
    assert_int_equal(socind_jdiv(d, z, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e),
                     SOCIND_ERR_NONPOSITIVE);
    assert_int_equal(socind_last_error_row(), 5);
    assert_true(isnan(e[0].value));
    assert_int_equal(socind_jdiv(d, z, SOCIND_NONPOS_EXCLUDE, NULL, 0, NULL, e), SOCIND_OK);
    assert_close(e[0].value, ref.value, 1e-14);
    assert_int_equal(socind_jdiv(d, z, 7, NULL, 0, NULL, e), SOCIND_ERR_ARG);
    /* ±Inf is bad data, naming the row */
    const double inf[6] = {1, 2, INFINITY, 3, 1, 1};
    assert_int_equal(socind_jdiv(d, inf, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 2);
    /* domains: an empty one, and one equal to the first four rows */
    const int32_t g[6] = {0, 0, 0, 0, -1, -1};
    assert_int_equal(socind_jdiv(d, y, SOCIND_NONPOS_ERROR, g, 2, NULL, e), SOCIND_OK);
    assert_close(e[0].value, ref.value, 1e-14);
    /* the domain's variance has the full design's 6 PSUs (two of them
       zeros; Σ w u = 0): 6/5 Σ z² against the 4-row design's 4/3 Σ z² */
    assert_close(e[0].se, ref.se * sqrt(0.9), 1e-12);
    assert_int_equal(e[1].status, SOCIND_ERR_EMPTY_DOMAIN);
    /* nothing usable */
    const double nan[6] = {NAN, NAN, NAN, NAN, NAN, NAN};
    assert_int_equal(socind_jdiv(d, nan, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e), SOCIND_ERR_EMPTY);
    assert_int_equal(socind_jdiv(NULL, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e), SOCIND_ERR_NULL);
    assert_int_equal(socind_jdiv(d, NULL, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e), SOCIND_ERR_NULL);
    assert_int_equal(socind_jdiv(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
    socind_design_free(d), socind_design_free(d4);
}

static void test_jdiv_decomposition(void **state) {
    (void)state;
    const double y[8] = {1, 2, 4, 3, 10, 12, 8, 9}, w[8] = {1, 1, 2, 1, 2, 1, 1, 3};
    const int32_t g[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    socind_design *d = srs(8, w);
    socind_estimate dec[SOCIND_JDIVDEC_COUNT], j, part[2], m, t;
    assert_int_equal(socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, g, 2, NULL, dec),
                     SOCIND_OK);
    socind_jdiv(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &j);
    assert_close(dec[SOCIND_JDIVDEC_TOTAL].value, j.value, 1e-14);
    assert_close(dec[SOCIND_JDIVDEC_TOTAL].se, j.se, 1e-12);
    assert_close(dec[SOCIND_JDIVDEC_WITHIN].value + dec[SOCIND_JDIVDEC_BETWEEN].value, j.value,
                 1e-14);
    /* within = Σ (N̂_g/N̂) MLD_g + (Ŷ_g/Ŷ) Theil_g: 5/12 and 7/12 of the
       weight, 14/81 and 67/81 of the income */
    double within = 0.0;
    for (int32_t k = 0; k < 2; k++) {
        int32_t one[8];
        for (int i = 0; i < 8; i++) one[i] = g[i] == k ? 0 : -1;
        socind_ge(d, y, 0.0, SOCIND_NONPOS_ERROR, one, 1, NULL, &m);
        socind_ge(d, y, 1.0, SOCIND_NONPOS_ERROR, one, 1, NULL, &t);
        socind_jdiv(d, y, SOCIND_NONPOS_ERROR, one, 1, NULL, &part[k]);
        within += (k ? 7.0 / 12 : 5.0 / 12) * m.value + (k ? 67.0 / 81 : 14.0 / 81) * t.value;
    }
    assert_close(dec[SOCIND_JDIVDEC_WITHIN].value, within, 1e-14);
    /* between = J of the group means with the population shares:
       Σ p_g (μ_g/μ − 1) log(μ_g/μ) */
    double mu = 81.0 / 12, m0 = 14.0 / 5, m1 = 67.0 / 7;
    double between =
        5.0 / 12 * (m0 / mu - 1) * log(m0 / mu) + 7.0 / 12 * (m1 / mu - 1) * log(m1 / mu);
    assert_close(dec[SOCIND_JDIVDEC_BETWEEN].value, between, 1e-13);
    for (int k = 0; k < SOCIND_JDIVDEC_COUNT; k++) {
        assert_int_equal(dec[k].status, SOCIND_OK);
        assert_true(dec[k].se > 0.0);
        assert_int_equal(dec[k].n, 8);
    }
    /* one group: within = total, between 0 with SE 0 */
    const int32_t g1[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, g1, 1, NULL, dec);
    assert_close(dec[SOCIND_JDIVDEC_WITHIN].value, j.value, 1e-14);
    assert_close(dec[SOCIND_JDIVDEC_WITHIN].se, j.se, 1e-12);
    assert_close_abs(dec[SOCIND_JDIVDEC_BETWEEN].value, 0.0, 0, 1e-15);
    assert_close_abs(dec[SOCIND_JDIVDEC_BETWEEN].se, 0.0, 0, 1e-15);
    /* rows without a subgroup leave the decomposition: its total is the J
       of the rows with one */
    const int32_t gl[8] = {0, 0, 0, 0, -1, -1, -1, -1};
    socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, gl, 2, NULL, dec);
    assert_close(dec[SOCIND_JDIVDEC_TOTAL].value, part[0].value, 1e-14);
    assert_close(dec[SOCIND_JDIVDEC_WITHIN].value, part[0].value, 1e-14);
    /* bad input */
    assert_int_equal(socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, NULL, 2, NULL, dec),
                     SOCIND_ERR_NULL);
    assert_true(isnan(dec[0].value) && isnan(dec[2].value));
    const int32_t bad[8] = {0, 0, 5, 0, 1, 1, 1, 1};
    assert_int_equal(socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, bad, 2, NULL, dec),
                     SOCIND_ERR_GROUP);
    const double z[8] = {1, 2, 4, 3, 10, -12, 8, 9};
    assert_int_equal(socind_jdiv_decomposition(d, z, SOCIND_NONPOS_ERROR, g, 2, NULL, dec),
                     SOCIND_ERR_NONPOSITIVE);
    assert_int_equal(socind_last_error_row(), 5);
    assert_int_equal(socind_jdiv_decomposition(d, z, SOCIND_NONPOS_EXCLUDE, g, 2, NULL, dec),
                     SOCIND_OK);
    assert_int_equal(dec[0].n, 7);
    const double nan[8] = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    assert_int_equal(socind_jdiv_decomposition(d, nan, SOCIND_NONPOS_ERROR, g, 2, NULL, dec),
                     SOCIND_ERR_EMPTY);
    socind_design_free(d);
}

static void test_zenga_hand_worked(void **state) {
    (void)state;
    /* convey's estimator (BDP 2016) and its linearized value, worked with
       the rows sorted stably: the tied 2s keep their row order, so the
       weights 1, 3 and 3, 1 give different figures, as in R */
    const double y[5] = {3, 1, 2, 2, 5};
    const double wa[5] = {1, 2, 1, 3, 1}, wb[5] = {1, 2, 3, 1, 1};
    socind_design *a = srs(5, wa), *b = srs(5, wb);
    socind_estimate e;
    assert_int_equal(socind_zenga(a, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_OK);
    assert_close(e.value, 0.91592261904761907, 1e-14);
    assert_close(e.se, 0.032380049218238331, 1e-12);
    assert_int_equal(socind_zenga(b, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.91622023809523812, 1e-14);
    assert_close(e.se, 0.032815668971263173, 1e-12);
    /* a zero income counts */
    const double one[4] = {1, 1, 1, 1}, yz[4] = {0, 1, 2, 6};
    socind_design *d = srs(4, one);
    assert_int_equal(socind_zenga(d, yz, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.98958333333333337, 1e-14);
    assert_close(e.se, 0.0088524644333208124, 1e-12);
    /* −0 is 0 and keeps its row order among the zeros */
    const double ynz[4] = {-0.0, 1, 2, 6};
    socind_estimate e2;
    assert_int_equal(socind_zenga(d, ynz, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e2), SOCIND_OK);
    assert_close(e2.value, e.value, 0);
    /* scale-free */
    double ys[4];
    for (int k = 0; k < 4; k++) ys[k] = yz[k] * 0x1p1000;
    assert_int_equal(socind_zenga(d, ys, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e2), SOCIND_OK);
    assert_close(e2.value, e.value, 1e-14);
    assert_close(e2.se, e.se, 1e-12);
    /* every income 0: no share to compute */
    const double zero[4] = {0, 0, 0, 0};
    assert_int_equal(socind_zenga(d, zero, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_DATA);
    assert_true(isnan(e.value));
    /* a negative income: refused naming the row, or excluded */
    const double neg[4] = {3, -1, 2, 6}, three[3] = {3, 2, 6}, w3[3] = {1, 1, 1};
    socind_design *d3 = srs(3, w3);
    assert_int_equal(socind_zenga(d, neg, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_NONPOSITIVE);
    assert_int_equal(socind_last_error_row(), 1);
    assert_int_equal(socind_zenga(d, neg, SOCIND_NONPOS_EXCLUDE, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(socind_zenga(d3, three, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e2), SOCIND_OK);
    assert_close(e.value, e2.value, 1e-15);
    assert_int_equal(socind_zenga(d, neg, -1, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    socind_design_free(a), socind_design_free(b), socind_design_free(d), socind_design_free(d3);
}

/* Zenga's value by its formula, over rows sorted stably (by y, then row). */
static const double *cmp_y;
static int cmp_row(const void *pa, const void *pb) {
    size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
    if (cmp_y[i] != cmp_y[j]) return cmp_y[i] < cmp_y[j] ? -1 : 1;
    return (i > j) - (i < j);
}
static double zenga_direct(const double *y, const double *w, size_t n) {
    size_t *o = malloc(n * sizeof *o);
    for (size_t i = 0; i < n; i++) o[i] = i;
    cmp_y = y;
    qsort(o, n, sizeof *o, cmp_row);
    long double N = 0, T = 0, H = 0, C = 0, s = 0;
    for (size_t i = 0; i < n; i++) N += w[i], T += w[i] * y[i];
    for (size_t i = 0; i < n; i++) {
        size_t k = o[i];
        H += w[k];
        long double K = T - C;
        C += w[k] * y[k];
        s += w[k] * (N - H) * (T - K) / (N * H * K);
    }
    free(o);
    return (double)(1.0L - s);
}

static void test_zenga_ties_radix(void **state) {
    (void)state;
    /* 5,000 rows (the radix sort's path) with 20 distinct incomes and
       weights that differ among tied rows: the stable order's figure */
    const size_t n = 5000;
    double *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w);
    uint32_t s = 12345;
    for (size_t i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        y[i] = 100.0 * (double)((s >> 16) % 20 + 1);
        s = s * 1103515245u + 12345u;
        w[i] = 1.0 + (double)((s >> 16) % 50);
    }
    socind_design *d = srs(n, w);
    socind_estimate e;
    assert_int_equal(socind_zenga(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, zenga_direct(y, w, n), 1e-12);
    assert_true(e.se > 0.0 && isfinite(e.se));
    /* a small domain (qsort's path) the same way */
    int32_t *g = malloc(n * sizeof *g);
    for (size_t i = 0; i < n; i++) g[i] = i < 300 ? 0 : -1;
    assert_int_equal(socind_zenga(d, y, SOCIND_NONPOS_ERROR, g, 1, NULL, &e), SOCIND_OK);
    assert_close(e.value, zenga_direct(y, w, 300), 1e-12);
    socind_design_free(d);
    free(y), free(w), free(g);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jdiv_hand_worked),   cmocka_unit_test(test_jdiv_rows),
        cmocka_unit_test(test_jdiv_decomposition), cmocka_unit_test(test_zenga_hand_worked),
        cmocka_unit_test(test_zenga_ties_radix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
