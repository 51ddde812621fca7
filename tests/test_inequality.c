/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_inequality.c — inequality measures on hand-worked cases, ties,
 * equal weights against the unweighted formulas, the radix sort against
 * qsort, quantiles by selection against sorting, and bad inputs. */
#include "test_util.h"

#include "socind/socind.h"

#include "state_internal.h" /* socind__quantile_by_sort, socind__state_own_loops */

static socind_design *srs(size_t n, const double *w) {
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    return d;
}

static void test_gini_hand_worked(void **state) {
    (void)state;
    double one[6] = {1, 1, 1, 1, 1, 1};
    socind_design *d = srs(6, one);
    socind_estimate e;
    /* equal incomes: Gini 0 */
    const double eq[6] = {5, 5, 5, 5, 5, 5};
    assert_int_equal(socind_gini(d, eq, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close_abs(e.value, 0.0, 0, 1e-15);
    /* one person holds everything: (n − 1)/n with unit weights */
    const double all[6] = {0, 0, 0, 0, 0, 12};
    assert_int_equal(socind_gini(d, all, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 5.0 / 6.0, 1e-15);
    /* 1, 2, 3, 4, 5, 6 with unit weights: the unweighted formula
     * Σ_i Σ_j |y_i − y_j| / (2 n² ȳ) = 70 / (2 · 36 · 3.5) = 0.27778 */
    const double lin[6] = {3, 1, 6, 2, 5, 4};
    assert_int_equal(socind_gini(d, lin, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 70.0 / (2 * 36 * 3.5), 1e-14);
    /* convey's formula is not invariant to the scale of equal weights c:
     * (2c²Σky − cY)/(cn·cY) − 1 = G_unweighted + (1 − 1/c)/n */
    double three[6] = {3, 3, 3, 3, 3, 3};
    socind_design *d3 = srs(6, three);
    socind_estimate e3;
    assert_int_equal(socind_gini(d3, lin, NULL, 0, NULL, &e3), SOCIND_OK);
    assert_close(e3.value, e.value + (1.0 - 1.0 / 3.0) / 6.0, 1e-14);
    /* ties: the order of tied rows does not matter */
    const double t1[6] = {2, 2, 2, 7, 1, 9}, t2[6] = {9, 2, 1, 2, 7, 2};
    const double w1[6] = {1, 2, 3, 1, 1, 1}, w2[6] = {1, 3, 1, 1, 1, 2};
    socind_design *a = srs(6, w1), *b = srs(6, w2);
    socind_estimate ea, eb;
    socind_gini(a, t1, NULL, 0, NULL, &ea);
    socind_gini(b, t2, NULL, 0, NULL, &eb);
    assert_close(ea.value, eb.value, 1e-14);
    assert_close(ea.se, eb.se, 1e-12);
    socind_design_free(d), socind_design_free(d3), socind_design_free(a), socind_design_free(b);
}

static void test_ge_atkinson_quantiles(void **state) {
    (void)state;
    double one[4] = {1, 1, 1, 1};
    socind_design *d = srs(4, one);
    const double y[4] = {1, 2, 4, 8}; /* mean 3.75 */
    socind_estimate e;
    /* MLD = mean of log(μ/y); Theil = mean of (y/μ) log(y/μ) */
    double mu = 3.75, mld = 0, theil = 0, ge2 = 0, gm = 0;
    for (int i = 0; i < 4; i++) {
        mld += log(mu / y[i]) / 4;
        theil += y[i] / mu * log(y[i] / mu) / 4;
        ge2 += ((y[i] / mu) * (y[i] / mu) - 1) / 2 / 4;
        gm += log(y[i]) / 4;
    }
    assert_int_equal(socind_ge(d, y, 0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, mld, 1e-14);
    assert_int_equal(socind_ge(d, y, 1, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, theil, 1e-14);
    assert_int_equal(socind_ge(d, y, 2, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, ge2, 1e-14);
    /* Atkinson(1) = 1 − geometric mean / mean; (2) = 1 − harmonic mean / mean */
    assert_int_equal(socind_atkinson(d, y, 1, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 1 - exp(gm) / mu, 1e-14);
    double hm = 4 / (1 + 0.5 + 0.25 + 0.125);
    assert_int_equal(socind_atkinson(d, y, 2, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 1 - hm / mu, 1e-14);
    /* quantiles: the smallest y with cumulative share >= p */
    assert_int_equal(socind_quantile(d, y, 0.5, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 2, 0);
    assert_int_equal(socind_quantile(d, y, 0.51, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 4, 0);
    /* Lorenz: the poorest half hold (1 + 2)/15 */
    assert_int_equal(socind_lorenz(d, y, 0.5, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, 3.0 / 15.0, 1e-14);
    /* the GE decomposition: within + between = total */
    const int32_t g[4] = {0, 0, 1, 1};
    socind_estimate dec[3];
    assert_int_equal(socind_ge_decomposition(d, y, 1, SOCIND_NONPOS_ERROR, g, 2, NULL, dec),
                     SOCIND_OK);
    assert_close(dec[0].value, theil, 1e-14);
    assert_close(dec[1].value + dec[2].value, dec[0].value, 1e-14);
    socind_design_free(d);
}

/* GE(θ) of one chunk's state (the totals divided one at a time). */
static int32_t ge_state(size_t n, const double *w, const double *y, double theta,
                        socind_estimate *e) {
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_GE, sp.alpha = theta;
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = n, c.weight = w, c.y = y;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    const int32_t st = socind_state_finish(s, NULL, e, 1);
    socind_state_free(s);
    return st;
}

/* GE(−20) with weights near 1e298: each w·s(y) leaves the double range
 * where Σw·s/N̂ does not. The in-memory call gave SOCIND_ERR_OVERFLOW;
 * GE does not change when every weight is scaled, so it gives the figure
 * of the weights unscaled (the same bits where the scale is a power of 2)
 * and the state's, within 1e−12; SOCIND_ERR_OVERFLOW stays where the
 * figure itself leaves the range (an income of 1e−17 among incomes near
 * 10: (y/μ)^−20 beyond it), whatever the weights. */
/* A domain's quantile interval takes the df of svyquantile's design in
 * svyby, the domain's: degf() = its PSUs minus its strata (rows of weight
 * > 0 with an income). Design: strata 1 (PSUs 1–3), 2 (PSUs 4, 5) and 3
 * (PSUs 6, 7), two rows a PSU, df 4. Domain 0 lies in PSUs 1 and 2 (df 1),
 * domain 1 in PSUs 1, 2, 4 and 5 (df 2), domain 2 in PSU 6 alone (df 0:
 * R's t quantile is NaN, so its limits; the normal interval has SE 0).
 * Each domain's quantile had the design's df 4. */
static void test_quantile_domain_df(void **state) {
    (void)state;
    enum { N = 14 };
    const int64_t st[N] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
    const int64_t psu[N] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
    const double w[N] = {1, 2, 1, 3, 2, 1, 1, 2, 3, 1, 2, 2, 1, 1};
    const double y[N] = {5, 9, 2, 7, 4, 8, 3, 6, 1, 10, 4, 12, 6, 2};
    const int32_t g[N] = {0, 1, 1, 0, -1, -1, 1, 1, 1, 1, 2, 2, -1, -1};
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    assert_close(socind_design_df(d), 4.0, 0);
    socind_estimate e[3];
    assert_int_equal(socind_quantile(d, y, 0.5, g, 3, NULL, e), SOCIND_OK);
    assert_close(e[0].df, 1.0, 0);
    assert_close(e[1].df, 2.0, 0);
    assert_close(e[2].df, 0.0, 0);
    assert_int_equal(e[2].status, SOCIND_ERR_DF);
    assert_true(isnan(e[2].se) && isnan(e[2].ci_low) && isnan(e[2].ci_high));
    /* Woodruff's SE on that df, where both limits exist */
    for (int j = 0; j < 2; j++)
        if (e[j].status == SOCIND_OK) {
            double q;
            assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, e[j].df, &q), SOCIND_OK);
            assert_close(e[j].se, (e[j].ci_high - e[j].ci_low) / (2.0 * q), 1e-14);
        }
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    assert_int_equal(socind_quantile(d, y, 0.5, g, 3, &o, e), SOCIND_OK);
    assert_int_equal(e[2].status, SOCIND_OK);
    assert_true(e[2].se == 0.0 && e[2].ci_low == e[2].value && e[2].ci_high == e[2].value);
    /* the domain rule FULL keeps the design's df */
    socind_options_init(&o);
    o.domain_rule = SOCIND_DOMAIN_RULE_FULL;
    assert_int_equal(socind_quantile(d, y, 0.5, g, 3, &o, e), SOCIND_OK);
    assert_close(e[0].df, 4.0, 0);
    socind_design_free(d);
}

static void test_ge_weights_far_from_one(void **state) {
    (void)state;
    enum { N = 40 };
    double w[N], wb[N], wp[N], y[N];
    for (int i = 0; i < N; i++) {
        w[i] = 1.0 + (double)(i % 3), wb[i] = 1e298 * w[i], wp[i] = ldexp(w[i], 990);
        y[i] = 1.0 + (double)(i * 7 % 23);
    }
    socind_design *d = srs(N, w), *db = srs(N, wb), *dp = srs(N, wp);
    socind_estimate e, eb, ep, es;
    assert_int_equal(socind_ge(d, y, -20.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(socind_ge(db, y, -20.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &eb), SOCIND_OK);
    assert_int_equal(socind_ge(dp, y, -20.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &ep), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_OK);
    assert_true(e.value > 1e17 && isfinite(e.se));
    assert_int_equal(eb.status, SOCIND_OK);
    assert_close(eb.value, e.value, 1e-12);
    assert_close(eb.se, e.se, 1e-12);
    assert_int_equal(ep.status, SOCIND_OK);
    assert_true(ep.value == e.value);
    assert_close(ep.se, e.se, 1e-15);
    assert_int_equal(ge_state(N, wb, y, -20.0, &es), SOCIND_OK);
    assert_int_equal(es.status, SOCIND_OK);
    assert_close(eb.value, es.value, 1e-12);
    assert_close(eb.se, es.se, 1e-12);
    /* the figure beyond the double range */
    y[3] = 1e-17;
    const double *ws[2] = {w, wb};
    socind_design *ds[2] = {d, db};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(socind_ge(ds[k], y, -20.0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                         SOCIND_OK);
        assert_int_equal(e.status, SOCIND_ERR_OVERFLOW);
        assert_true(isnan(e.value));
        assert_int_equal(ge_state(N, ws[k], y, -20.0, &es), SOCIND_OK);
        assert_int_equal(es.status, SOCIND_ERR_OVERFLOW);
    }
    socind_design_free(d), socind_design_free(db), socind_design_free(dp);
}

/* est's state (SOCIND_STATE_GE or _ATKINSON, parameter par) of n rows in
 * PSUs psu (NULL: a row each) and domains g (NULL: none), finished into e
 * (ng estimates, or 1). */
static int32_t scale_free_state(int32_t est, double par, size_t n, const double *w, const double *y,
                                const int64_t *psu, const int32_t *g, int32_t ng,
                                socind_estimate *e) {
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = est, sp.alpha = par, sp.has_psu = psu != NULL, sp.n_groups = g ? ng : 0;
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_chunk c;
    socind_chunk_init(&c);
    c.n = n, c.weight = w, c.y = y, c.psu = psu, c.group = g;
    assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
    const int32_t st = socind_state_finish(s, NULL, e, g ? (size_t)ng : 1);
    socind_state_free(s);
    return st;
}

/* GE (θ = −1, 0, 0.5) and Atkinson (ε = 0.5, 1, 2) with weights near 1e306
 * (w·2^1017, w in {1, 2, 3}): 40 rows, whose Σw·y leaves the double range
 * (Σw does not), and 400, whose Σw does too. Both measures, and their
 * linearized variance, do not change when every weight is multiplied by
 * one constant; in memory and from states they said SOCIND_ERR_OVERFLOW
 * (NaN). Now each gives the figures of the weights w, bit for bit on the
 * same path (the one-thread loops; the state's finish), the in-memory call
 * without domains (which at weights w finishes through states) within 64
 * units in the last place of them, memory and state within 1e−13; the
 * weight sum reported is the weights' own (+Inf where it overflows). With
 * PSUs of four rows and two domains, likewise. A state whose cell holds a
 * row's w·y^θ beyond the double range (θ = 2: 3·2^1017·23²) cannot give
 * the figure: SOCIND_ERR_OVERFLOW, value NaN, where memory gives it. */
static void test_scale_free_weights_beyond(void **state) {
    (void)state;
    enum { NMAX = 400 };
    static double w[NMAX], wb[NMAX], y[NMAX];
    static int64_t psu[NMAX];
    static int32_t g[NMAX];
    const int32_t ests[2] = {SOCIND_STATE_GE, SOCIND_STATE_ATKINSON};
    const double pars[2][3] = {{-1.0, 0.0, 0.5}, {0.5, 1.0, 2.0}};
    const size_t ns[2] = {40, 400};
    for (int in = 0; in < 2; in++)
        for (int clustered = 0; clustered < 2; clustered++) {
            const size_t n = ns[in];
            for (size_t i = 0; i < n; i++) {
                w[i] = 1.0 + (double)(i % 3), wb[i] = ldexp(w[i], 1017);
                y[i] = 1.0 + (double)(i * 7 % 23);
                psu[i] = (int64_t)(i / 4), g[i] = (int32_t)(i % 2);
            }
            const int64_t *pp = clustered ? psu : NULL;
            const int32_t *gg = clustered ? g : NULL;
            const int32_t ng = clustered ? 2 : 0, G = clustered ? 2 : 1;
            socind_design *d = NULL, *db = NULL;
            assert_int_equal(socind_design_new(n, w, NULL, pp, NULL, NULL, &d), SOCIND_OK);
            assert_int_equal(socind_design_new(n, wb, NULL, pp, NULL, NULL, &db), SOCIND_OK);
            for (int k = 0; k < 2; k++)
                for (int q = 0; q < 3; q++) {
                    const double par = pars[k][q];
                    socind_estimate e[2], eb[2], eo[2], ebo[2], es[2], esb[2];
                    int32_t (*fn)(const socind_design *, const double *, double, int32_t,
                                  const int32_t *, int32_t, const socind_options *,
                                  socind_estimate *) = k ? socind_atkinson : socind_ge;
                    assert_int_equal(fn(d, y, par, SOCIND_NONPOS_ERROR, gg, ng, NULL, e),
                                     SOCIND_OK);
                    assert_int_equal(fn(db, y, par, SOCIND_NONPOS_ERROR, gg, ng, NULL, eb),
                                     SOCIND_OK);
                    socind__state_own_loops = 1;
                    assert_int_equal(fn(d, y, par, SOCIND_NONPOS_ERROR, gg, ng, NULL, eo),
                                     SOCIND_OK);
                    assert_int_equal(fn(db, y, par, SOCIND_NONPOS_ERROR, gg, ng, NULL, ebo),
                                     SOCIND_OK);
                    socind__state_own_loops = 0;
                    assert_int_equal(scale_free_state(ests[k], par, n, w, y, pp, gg, ng, es),
                                     SOCIND_OK);
                    assert_int_equal(scale_free_state(ests[k], par, n, wb, y, pp, gg, ng, esb),
                                     SOCIND_OK);
                    for (int j = 0; j < G; j++) {
                        assert_int_equal(e[j].status, SOCIND_OK);
                        assert_int_equal(eb[j].status, SOCIND_OK);
                        assert_int_equal(ebo[j].status, SOCIND_OK);
                        assert_int_equal(esb[j].status, SOCIND_OK);
                        /* the same path: the same bits */
                        assert_true(ebo[j].value == eo[j].value && ebo[j].se == eo[j].se);
                        assert_true(esb[j].value == es[j].value && esb[j].se == es[j].se);
                        assert_true(esb[j].ci_low == es[j].ci_low);
                        assert_close(eb[j].value, e[j].value, 64 * DBL_EPSILON);
                        assert_close(eb[j].se, e[j].se, 64 * DBL_EPSILON);
                        assert_close(esb[j].value, eb[j].value, 1e-13);
                        assert_close(esb[j].se, eb[j].se, 1e-13);
                        assert_int_equal(eb[j].n, e[j].n);
                        assert_int_equal(esb[j].n, es[j].n);
                        /* the weights' own sum: 2^1017 times, or +Inf */
                        const double W = ldexp(e[j].weight_sum, 1017);
                        assert_true(eb[j].weight_sum == W && esb[j].weight_sum == W);
                        assert_true(isinf(W) == (in == 1));
                    }
                }
            /* a row's w·y² beyond the double range: the state cannot */
            socind_estimate e[2], eb[2], es[2];
            assert_int_equal(socind_ge(d, y, 2.0, SOCIND_NONPOS_ERROR, gg, ng, NULL, e), SOCIND_OK);
            assert_int_equal(socind_ge(db, y, 2.0, SOCIND_NONPOS_ERROR, gg, ng, NULL, eb),
                             SOCIND_OK);
            assert_int_equal(scale_free_state(SOCIND_STATE_GE, 2.0, n, wb, y, pp, gg, ng, es),
                             SOCIND_OK);
            for (int j = 0; j < G; j++) {
                assert_int_equal(eb[j].status, SOCIND_OK);
                assert_close(eb[j].value, e[j].value, 64 * DBL_EPSILON);
                assert_int_equal(es[j].status, SOCIND_ERR_OVERFLOW);
                assert_true(isnan(es[j].value) && isnan(es[j].se));
                assert_true(es[j].weight_sum == eb[j].weight_sum);
            }
            socind_design_free(d), socind_design_free(db);
        }
}

/* The GE decomposition (θ = −1, 0.5) with weights near 1e306 (as above,
 * two groups): every part as at weights w, bit for bit on one thread in
 * memory and from states, memory and state within 1e−13 (the between part,
 * a difference of nearly equal figures, within 1e−13 of the total); the
 * weight sum the weights' own. */
static void test_ge_decomposition_weights_beyond(void **state) {
    (void)state;
    enum { NMAX = 400 };
    static double w[NMAX], wb[NMAX], y[NMAX];
    static int32_t g[NMAX];
    const size_t ns[2] = {40, 400};
    const double th[2] = {-1.0, 0.5};
    for (int in = 0; in < 2; in++) {
        const size_t n = ns[in];
        for (size_t i = 0; i < n; i++) {
            w[i] = 1.0 + (double)(i % 3), wb[i] = ldexp(w[i], 1017);
            y[i] = 1.0 + (double)(i * 7 % 23), g[i] = (int32_t)(i % 2);
        }
        socind_design *d = srs(n, w), *db = srs(n, wb);
        for (int t = 0; t < 2; t++) {
            socind_estimate e[3], eb[3], es[3], esb[3];
            assert_int_equal(
                socind_ge_decomposition(d, y, th[t], SOCIND_NONPOS_ERROR, g, 2, NULL, e),
                SOCIND_OK);
            assert_int_equal(
                socind_ge_decomposition(db, y, th[t], SOCIND_NONPOS_ERROR, g, 2, NULL, eb),
                SOCIND_OK);
            socind_state_spec sp;
            socind_state_spec_init(&sp);
            sp.estimator = SOCIND_STATE_GE_DECOMPOSITION, sp.alpha = th[t], sp.n_groups = 2;
            socind_chunk c;
            socind_chunk_init(&c);
            c.n = n, c.y = y, c.group = g;
            for (int b = 0; b < 2; b++) {
                socind_state *s = NULL;
                assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
                c.weight = b ? wb : w;
                assert_int_equal(socind_state_add(s, &c), SOCIND_OK);
                assert_int_equal(socind_state_finish(s, NULL, b ? esb : es, 3), SOCIND_OK);
                socind_state_free(s);
            }
            for (int p = 0; p < 3; p++) {
                assert_int_equal(eb[p].status, SOCIND_OK);
                assert_int_equal(esb[p].status, SOCIND_OK);
                assert_true(eb[p].value == e[p].value && eb[p].se == e[p].se);
                assert_true(esb[p].value == es[p].value && esb[p].se == es[p].se);
                assert_close_abs(esb[p].value, eb[p].value, 0, 1e-13 * eb[0].value);
                assert_close_abs(esb[p].se, eb[p].se, 0, 1e-13 * eb[0].se);
                const double W = ldexp(e[p].weight_sum, 1017);
                assert_true(eb[p].weight_sum == W && esb[p].weight_sum == W);
            }
        }
        socind_design_free(d), socind_design_free(db);
    }
}

static void test_radix_sort_large(void **state) {
    (void)state;
    /* 5000 rows (above the radix threshold), negative and tied values: the
     * median and Gini equal those computed by hand from a sorted copy */
    enum { N = 5000 };
    double *w = malloc(N * sizeof *w), *y = malloc(N * sizeof *y), *s = malloc(N * sizeof *s);
    for (int k = 0; k < N; k++) {
        w[k] = 1;
        y[k] = (double)((k * 7919) % 1000) - 200.0 + ((k % 3) ? 0.5 : 0.0);
        s[k] = y[k];
    }
    for (int i = 1; i < N; i++) /* insertion sort, the obvious way */
        for (int j = i; j > 0 && s[j - 1] > s[j]; j--) {
            double t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    socind_design *d = srs(N, w);
    socind_estimate e;
    assert_int_equal(socind_quantile(d, y, 0.5, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, s[N / 2 - 1], 0);
    double T1 = 0, Y = 0;
    for (int k = 0; k < N; k++) {
        T1 += (k + 1.0) * s[k];
        Y += s[k];
    }
    assert_int_equal(socind_gini(d, y, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(e.value, (2 * T1 - Y) / (N * Y) - 1, 1e-12);
    socind_design_free(d);
    free(w), free(y), free(s);
}

/* (order key, row): the order socind__sort_items gives items whose rows
 * are their positions (a stable sort by value). */
static int by_key_row(const void *a, const void *b) {
    const socind__item *x = a, *y = b;
    uint64_t kx = socind__order_key(x->y), ky = socind__order_key(y->y);
    if (kx != ky) return kx < ky ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* socind__sort_items against qsort by (value, row) on every path: qsort
 * (small), radix passes, and the buckets of the top bits first (many rows
 * whose values differ in many bits), each bucket sorted by its top bits
 * and insertion, or by every bit where insertion gives up: lognormal
 * incomes, mixed signs with ±0, ties, subnormals and huge values, values
 * that differ only low, and a bulk of values that differ in their low 16
 * bits among values spread over [1e6, 2e6) (the bulk's bucket spans 40
 * bits, its top ones shared by the bulk: insertion gives up). */
static void test_sort_items_every_path(void **state) {
    (void)state;
    const size_t sizes[4] = {300, 5000, 70000, 400000};
    uint64_t r = 12345;
    for (int kind = 0; kind < 6; kind++)
        for (int z = 0; z < 4; z++) {
            const size_t n = sizes[z];
            socind__item *a = malloc(n * sizeof *a), *ref = malloc(n * sizeof *ref);
            for (size_t i = 0; i < n; i++) {
                r = r * 6364136223846793005ULL + 1442695040888963407ULL;
                const double u = (double)(r >> 11) * 0x1p-53;
                double v;
                switch (kind) {
                case 0: /* incomes: many differing bits (the bucket path) */
                    v = exp(13.7 + 2.0 * (u - 0.5));
                    break;
                case 1: /* mixed signs, ±0, ties */
                    v = (double)((long)(u * 2001.0) - 1000) * 0.25;
                    if (i % 11 == 0) v = (i % 22 == 0) ? 0.0 : -0.0;
                    break;
                case 2: /* subnormals to huge */
                    v = ldexp(u + 0.5, (int)(r >> 53) % 2000 - 1070) * ((r & 1) ? 1 : -1);
                    break;
                case 3: /* a few values, tied over and over */
                    v = (double)(r % 7);
                    break;
                case 4: /* values that differ in their low bits only */
                    v = 1e6 + (double)(r % 4096) * 0x1p-30;
                    break;
                default: /* a bulk differing low, among values spread widely */
                    v = i % 10 == 0 ? 1e6 * (1.0 + u) : 1e6 + (double)(r % 65536) * 0x1p-32;
                    break;
                }
                a[i].y = v, a[i].w = u, a[i].psu = (int32_t)(i / 3), a[i].row = (uint32_t)i;
            }
            memcpy(ref, a, n * sizeof *a);
            qsort(ref, n, sizeof *ref, by_key_row);
            assert_int_equal(socind__sort_items(a, n), SOCIND_OK);
            assert_memory_equal(a, ref, n * sizeof *a);
            free(a), free(ref);
        }
}

/* Quantiles by selection (the default) and by sorting agree exactly, with
 * their Woodruff intervals: mixed signs, ties, zero weights, NaN, domains,
 * p from 0.01 to 0.99. */
static void test_quantile_select_vs_sort(void **state) {
    (void)state;
    enum { N = 60000 };
    double *w = malloc(N * sizeof *w), *y = malloc(N * sizeof *y);
    int64_t *st = malloc(N * sizeof *st), *psu = malloc(N * sizeof *psu);
    int32_t *g = malloc(N * sizeof *g);
    assert_true(w && y && st && psu && g);
    uint64_t seed = 3;
    for (int k = 0; k < N; k++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double u = (double)(seed >> 11) / 9007199254740992.0;
        y[k] = k % 5 == 0 ? round(100.0 * u) : exp(6.0 * u) - 30.0; /* ties, negatives */
        if (k % 101 == 0) y[k] = NAN;
        w[k] = k % 53 == 0 ? 0.0 : 1.0 + (double)((seed >> 40) % 7) / 2.0;
        psu[k] = k / 40;
        st[k] = psu[k] / 25;
        g[k] = (int32_t)(psu[k] % 3) - (k % 17 == 0); /* three domains, some rows in none */
    }
    socind_design *d;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    const double ps[5] = {0.01, 0.25, 0.5, 0.9, 0.99};
    for (int i = 0; i < 5; i++) {
        socind_estimate e[2][3];
        for (int sort = 0; sort <= 1; sort++) {
            socind__quantile_by_sort = sort;
            assert_int_equal(socind_quantile(d, y, ps[i], g, 3, NULL, e[sort]), SOCIND_OK);
        }
        socind__quantile_by_sort = 0;
        for (int j = 0; j < 3; j++) {
            assert_true(e[0][j].value == e[1][j].value);
            assert_true(e[0][j].ci_low == e[1][j].ci_low ||
                        (isnan(e[0][j].ci_low) && isnan(e[1][j].ci_low)));
            assert_true(e[0][j].ci_high == e[1][j].ci_high ||
                        (isnan(e[0][j].ci_high) && isnan(e[1][j].ci_high)));
            assert_close(e[0][j].se, e[1][j].se, 1e-12);
        }
    }
    socind_design_free(d);
    free(w), free(y), free(st), free(psu), free(g);
}

/* The weighted p-quantile of the test's own: the smallest y whose cumulative
 * weight share is >= p, NaN outside [0, 1] (R's NA). */
static double ref_quantile(const double *y, const double *w, int n, double p) {
    if (!(p >= 0.0 && p <= 1.0)) return NAN;
    int idx[64];
    for (int i = 0; i < n; i++) idx[i] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && y[idx[j - 1]] > y[idx[j]]; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    double N = 0, cum = 0;
    for (int i = 0; i < n; i++) N += w[i];
    for (int i = 0; i < n; i++) {
        cum += w[idx[i]];
        if (cum / N >= p) return y[idx[i]];
    }
    return y[idx[n - 1]];
}

/* Woodruff's interval follows opts->ci_dist: t on the design's df by
 * default (svyquantile), the normal quantile with SOCIND_CI_NORMAL — each
 * against the interval built here from the share below the quantile and its
 * SE (socind_mean of the indicator) and the critical value. */
static void test_quantile_interval_dist(void **state) {
    (void)state;
    enum { N = 64 };
    double w[N], y[N];
    int64_t st[N], psu[N];
    for (int k = 0; k < N; k++) {
        st[k] = k / 16;           /* 4 strata */
        psu[k] = k / 8;           /* 8 PSUs: df = 4 */
        w[k] = 1.0 + (k * 7 % 5); /* 1 .. 5 */
        y[k] = 100.0 + (k * 37 % 41) * 3.0 + (k % 3);
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    assert_close(socind_design_df(d), 4.0, 0);
    const double ps[3] = {0.25, 0.5, 0.8};
    for (int i = 0; i < 3; i++) {
        socind_estimate e[2];
        for (int dist = 0; dist < 2; dist++) {
            socind_options o;
            socind_options_init(&o);
            o.level = 0.9;
            o.ci_dist = dist ? SOCIND_CI_NORMAL : SOCIND_CI_T;
            assert_int_equal(socind_quantile(d, y, ps[i], NULL, 0, &o, &e[dist]), SOCIND_OK);
            double Q = ref_quantile(y, w, N, ps[i]), x[N];
            assert_close(e[dist].value, Q, 0);
            for (int k = 0; k < N; k++) x[k] = y[k] <= Q ? 1.0 : 0.0;
            socind_estimate share;
            assert_int_equal(socind_mean(d, x, NULL, 0, NULL, &share), SOCIND_OK);
            double q;
            assert_int_equal(socind_critical_value(0.9, o.ci_dist, 4.0, &q), SOCIND_OK);
            double lo = ref_quantile(y, w, N, share.value - q * share.se),
                   hi = ref_quantile(y, w, N, share.value + q * share.se);
            /* a limit outside the data: NaN, the status says so */
            assert_int_equal(e[dist].status, isnan(lo) || isnan(hi) ? SOCIND_ERR_RANGE : SOCIND_OK);
            assert_true(e[dist].ci_low == lo || (isnan(lo) && isnan(e[dist].ci_low)));
            assert_true(e[dist].ci_high == hi || (isnan(hi) && isnan(e[dist].ci_high)));
            if (!isnan(lo) && !isnan(hi)) assert_close(e[dist].se, (hi - lo) / (2 * q), 1e-15);
        }
        /* the normal quantile is below t's on 4 df: a narrower interval */
        assert_true(e[1].ci_low >= e[0].ci_low && e[1].ci_high <= e[0].ci_high);
        assert_true(e[1].ci_high - e[1].ci_low < e[0].ci_high - e[0].ci_low);
    }
    socind_design_free(d);
    /* df = 0 (one PSU, a certainty PSU): t has no interval, the normal one
       is the quantile itself (SE 0) */
    int64_t one[N];
    for (int k = 0; k < N; k++) one[k] = 0;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_CERTAINTY;
    assert_int_equal(socind_design_new(N, w, NULL, one, NULL, &dopt, &d), SOCIND_OK);
    socind_options o;
    socind_options_init(&o);
    socind_estimate e;
    assert_int_equal(socind_quantile(d, y, 0.5, NULL, 0, &o, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_ERR_DF);
    assert_close(e.value, ref_quantile(y, w, N, 0.5), 0);
    assert_true(isnan(e.ci_low) && isnan(e.ci_high) && isnan(e.se));
    o.ci_dist = SOCIND_CI_NORMAL;
    assert_int_equal(socind_quantile(d, y, 0.5, NULL, 0, &o, &e), SOCIND_OK);
    assert_int_equal(e.status, SOCIND_OK);
    assert_close(e.se, 0.0, 0);
    assert_close(e.ci_low, e.value, 0);
    assert_close(e.ci_high, e.value, 0);
    socind_design_free(d);
}

static void test_bad_inputs(void **state) {
    (void)state;
    double one[4] = {1, 1, 1, 1};
    socind_design *d = srs(4, one);
    const double y0[4] = {0, 2, 4, 8}, ynan[4] = {1, NAN, 4, 8};
    socind_estimate e, e2[2];
    assert_int_equal(socind_ge(d, y0, 0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_NONPOSITIVE);
    assert_true(isnan(e.value));
    assert_non_null(strstr(socind_last_error_detail(), "y[0]"));
    assert_int_equal(socind_ge(d, y0, 0, SOCIND_NONPOS_EXCLUDE, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.n, 3);
    assert_int_equal(socind_atkinson(d, y0, 1, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_NONPOSITIVE);
    assert_int_equal(socind_gini(d, y0, NULL, 0, NULL, &e), SOCIND_OK); /* Gini accepts 0 */
    assert_int_equal(socind_gini(d, ynan, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(e.n, 3);
    assert_int_equal(socind_atkinson(d, ynan, 0, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_ARG);
    assert_int_equal(socind_atkinson(d, ynan, -1, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_ARG);
    assert_int_equal(socind_ge(d, ynan, NAN, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &e),
                     SOCIND_ERR_ARG);
    assert_int_equal(socind_quantile(d, ynan, 1.0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    assert_int_equal(socind_lorenz(d, ynan, 0, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    assert_int_equal(socind_share_ratio(d, ynan, 0.2, 1.2, NULL, 0, NULL, &e), SOCIND_ERR_ARG);
    assert_int_equal(socind_gini(NULL, ynan, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_int_equal(socind_gini(d, NULL, NULL, 0, NULL, &e), SOCIND_ERR_NULL);
    assert_int_equal(socind_gini(d, ynan, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
    const double inf[4] = {1, INFINITY, 4, 8};
    assert_int_equal(socind_gini(d, inf, NULL, 0, NULL, &e), SOCIND_ERR_DATA);
    /* a domain with no observation */
    const int32_t g[4] = {0, 0, 0, 0};
    assert_int_equal(socind_gini(d, ynan, g, 2, NULL, e2), SOCIND_OK);
    assert_int_equal(e2[1].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_true(isnan(e2[1].value));
    double nan4[4] = {NAN, NAN, NAN, NAN};
    assert_int_equal(socind_gini(d, nan4, NULL, 0, NULL, &e), SOCIND_ERR_EMPTY);
    socind_estimate dec[3];
    assert_int_equal(socind_ge_decomposition(d, ynan, 1, SOCIND_NONPOS_ERROR, NULL, 2, NULL, dec),
                     SOCIND_ERR_NULL);
    const int32_t bad[4] = {0, 3, 0, 0};
    assert_int_equal(socind_ge_decomposition(d, ynan, 1, SOCIND_NONPOS_ERROR, bad, 2, NULL, dec),
                     SOCIND_ERR_GROUP);
    assert_true(isnan(dec[0].value));
    socind_design_free(d);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gini_hand_worked),
        cmocka_unit_test(test_ge_atkinson_quantiles),
        cmocka_unit_test(test_quantile_domain_df),
        cmocka_unit_test(test_ge_weights_far_from_one),
        cmocka_unit_test(test_scale_free_weights_beyond),
        cmocka_unit_test(test_ge_decomposition_weights_beyond),
        cmocka_unit_test(test_radix_sort_large),
        cmocka_unit_test(test_sort_items_every_path),
        cmocka_unit_test(test_quantile_select_vs_sort),
        cmocka_unit_test(test_quantile_interval_dist),
        cmocka_unit_test(test_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
