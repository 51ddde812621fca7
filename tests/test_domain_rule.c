/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_domain_rule.c — the domain rule of socind_options (common.h):
 * SUBSET (R's svyby on the domain's design: the strata with a row of the
 * domain) and FULL (the full design with zeros outside the domain: every
 * stratum), which differ under the lonely-PSU policies adjust and average.
 * A hand-built design with two single-PSU strata and domains that leave
 * some strata out; every SE is checked against the rule's formula computed
 * here from the rows (design.h):
 *
 *   V = Σ_{h counted, n_h >= 2} n_h/(n_h − 1)·Σ_p (z_p − z̄_h)²
 *     + [adjust] Σ_{h counted, n_h = 1} (z_h − c)²,
 *       c = Σ_p z_p / Σ_{h counted} n_h
 *   × [average] H/(H − H₁) over the counted strata,
 *
 * with "counted" the present strata (SUBSET) or all of them (FULL); and
 * each estimator's AUTO default against the rule its R counterpart follows. */
#include "test_util.h"

#include "socind/socind.h"

/* 5 strata: A (3 PSUs), B (2), C (1, lonely), D (1, lonely), E (2); two
 * rows per PSU. */
#define NPSU 9
#define NROW (2 * NPSU)
static const int64_t psu_stratum[NPSU] = {1, 1, 1, 2, 2, 3, 4, 5, 5};
static int64_t strata[NROW], psu[NROW];
static double w[NROW], x[NROW], y[NROW], b01[NROW];
/* domain 0: strata A, B, C (D and E absent); domain 1: A, D, E (B and C
   absent); −1: in no domain */
static int32_t grp[NROW];

static void make_data(void) {
    for (int k = 0; k < NROW; k++) {
        int p = k / 2;
        psu[k] = 100 + p;
        strata[k] = psu_stratum[p];
        w[k] = 1.0 + (double)((k * 7) % 5);
        x[k] = 3.0 + (double)((k * 11) % 13) + 0.25 * (double)(k % 3);
        y[k] = 200.0 + 90.0 * (double)((k * 5) % 9);
        b01[k] = (double)((k * 3) % 4 == 0);
        int64_t h = strata[k];
        if (h == 3 || h == 2)
            grp[k] = 0;
        else if (h == 4 || h == 5)
            grp[k] = 1;
        else
            grp[k] = k % 3 == 0 ? -1 : k % 2; /* stratum A: both domains */
    }
}

static socind_design *make_design(int32_t policy) {
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = policy;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(NROW, w, strata, psu, NULL, &o, &d), SOCIND_OK);
    return d;
}

/* The rule's variance of the PSU totals of w·u over the domain's rows (u
 * given per row; rows outside the domain have u = 0 and do not make their
 * stratum present). */
static double rule_variance(const double *u, const int32_t *g, int32_t j, int32_t policy,
                            int full) {
    long double z[NPSU] = {0};
    int present[6] = {0};
    for (int k = 0; k < NROW; k++) {
        if (g && g[k] != j) continue;
        z[k / 2] += (long double)w[k] * u[k];
        present[strata[k]] = 1;
    }
    long double grand = 0, npsu_counted = 0, v = 0;
    int H = 0, H1 = 0;
    for (int h = 1; h <= 5; h++) {
        if (!full && !present[h]) continue;
        for (int p = 0; p < NPSU; p++)
            if (psu_stratum[p] == h) grand += z[p], npsu_counted += 1;
    }
    long double c = grand / npsu_counted;
    for (int h = 1; h <= 5; h++) {
        if (!full && !present[h]) continue;
        H++;
        int nh = 0;
        long double m = 0;
        for (int p = 0; p < NPSU; p++)
            if (psu_stratum[p] == h) nh++, m += z[p];
        m /= nh;
        if (nh == 1) {
            H1++;
            for (int p = 0; p < NPSU; p++)
                if (psu_stratum[p] == h && policy == SOCIND_LONELY_ADJUST)
                    v += (z[p] - c) * (z[p] - c);
            continue;
        }
        long double q = 0;
        for (int p = 0; p < NPSU; p++)
            if (psu_stratum[p] == h) q += (z[p] - m) * (z[p] - m);
        v += (long double)nh / (nh - 1) * q;
    }
    if (policy == SOCIND_LONELY_AVERAGE && H1 > 0) v *= (long double)H / (H - H1);
    return (double)v;
}

static socind_options opts_rule(int32_t rule) {
    socind_options o;
    socind_options_init(&o);
    o.domain_rule = rule;
    return o;
}

/* u of a total (x), of a mean (x − x̄)/N̂ and of a ratio H/N (FGT: h − P)/N̂
 * for domain j */
static void lin_total(const double *v, int32_t j, double *u) {
    for (int k = 0; k < NROW; k++) u[k] = grp[k] == j ? v[k] : 0.0;
}
static void lin_mean(const double *v, int32_t j, double *u, double *est) {
    long double N = 0, S = 0;
    for (int k = 0; k < NROW; k++)
        if (grp[k] == j) N += w[k], S += w[k] * v[k];
    long double m = S / N;
    for (int k = 0; k < NROW; k++) u[k] = grp[k] == j ? (double)((v[k] - m) / N) : 0.0;
    *est = (double)m;
}

static const int32_t policies[2] = {SOCIND_LONELY_ADJUST, SOCIND_LONELY_AVERAGE};

/* Totals, means and proportions under both rules; AUTO is SUBSET. The two
 * rules give different SEs here (the test can fail). */
static void test_totals_means(void **state) {
    (void)state;
    make_data();
    double u[NROW];
    for (int pi = 0; pi < 2; pi++) {
        socind_design *d = make_design(policies[pi]);
        for (int est = 0; est < 3; est++) {
            socind_estimate e[3][2];
            for (int32_t r = 0; r < 3; r++) {
                socind_options o = opts_rule(r);
                int32_t st = est == 0   ? socind_total(d, x, grp, 2, &o, e[r])
                             : est == 1 ? socind_mean(d, x, grp, 2, &o, e[r])
                                        : socind_proportion(d, b01, grp, 2, &o, e[r]);
                assert_int_equal(st, SOCIND_OK);
            }
            int differ = 0;
            for (int32_t j = 0; j < 2; j++) {
                double m = NAN;
                if (est == 0)
                    lin_total(x, j, u);
                else
                    lin_mean(est == 1 ? x : b01, j, u, &m);
                double vs = rule_variance(u, grp, j, policies[pi], 0);
                double vf = rule_variance(u, grp, j, policies[pi], 1);
                assert_close(e[SOCIND_DOMAIN_RULE_SUBSET][j].se, sqrt(vs), 1e-13);
                assert_close(e[SOCIND_DOMAIN_RULE_FULL][j].se, sqrt(vf), 1e-13);
                assert_close(e[SOCIND_DOMAIN_RULE_AUTO][j].se, sqrt(vs), 1e-13);
                assert_true(e[SOCIND_DOMAIN_RULE_SUBSET][j].value ==
                            e[SOCIND_DOMAIN_RULE_FULL][j].value);
                if (fabs(sqrt(vs) - sqrt(vf)) > 1e-6 * sqrt(vs)) differ = 1;
            }
            /* a mean's u sums to 0 in its domain: adjust centres at 0 under
               both rules and they agree; average's factor differs */
            if (!(est > 0 && policies[pi] == SOCIND_LONELY_ADJUST)) assert_true(differ);
        }
        socind_design_free(d);
    }
}

/* FGT(α) and Watts against a fixed line: AUTO is FULL (convey's svyfgt and
 * svywatts); the number of poor (svytotal) and the gap total: SUBSET. */
static void test_poverty(void **state) {
    (void)state;
    make_data();
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 600.0;
    double u[NROW], hh[NROW];
    for (int pi = 0; pi < 2; pi++) {
        socind_design *d = make_design(policies[pi]);
        for (int est = 0; est < 5; est++) {
            socind_estimate e[3][2];
            for (int32_t r = 0; r < 3; r++) {
                socind_options o = opts_rule(r);
                int32_t st = est < 3 ? socind_fgt(d, y, &L, (double)est, grp, 2, &o, e[r])
                             : est == 3
                                 ? socind_watts(d, y, &L, SOCIND_NONPOS_ERROR, grp, 2, &o, e[r])
                                 : socind_poor_count(d, y, &L, grp, 2, &o, e[r]);
                assert_int_equal(st, SOCIND_OK);
            }
            for (int k = 0; k < NROW; k++) {
                double gap = (600.0 - y[k]) / 600.0;
                int poor = y[k] < 600.0;
                hh[k] = !poor      ? 0.0
                        : est < 3  ? pow(gap, (double)est)
                        : est == 3 ? log(600.0 / y[k])
                                   : 1.0;
            }
            int differ = 0;
            for (int32_t j = 0; j < 2; j++) {
                double m = NAN;
                if (est == 4)
                    lin_total(hh, j, u);
                else
                    lin_mean(hh, j, u, &m);
                double vs = rule_variance(u, grp, j, policies[pi], 0);
                double vf = rule_variance(u, grp, j, policies[pi], 1);
                if (est < 4) assert_close(e[0][j].value, m, 1e-13);
                assert_close(e[SOCIND_DOMAIN_RULE_SUBSET][j].se, sqrt(vs), 1e-12);
                assert_close(e[SOCIND_DOMAIN_RULE_FULL][j].se, sqrt(vf), 1e-12);
                assert_close(e[SOCIND_DOMAIN_RULE_AUTO][j].se, est == 4 ? sqrt(vs) : sqrt(vf),
                             1e-12);
                if (fabs(sqrt(vs) - sqrt(vf)) > 1e-6 * sqrt(vs)) differ = 1;
            }
            if (!(est < 4 && policies[pi] == SOCIND_LONELY_ADJUST)) assert_true(differ);
        }
        socind_design_free(d);
    }
}

/* The Gini index (svygini: SUBSET) under both rules: the rules' SEs from
 * the same linearized variable (taken from socind_variance on the domain's
 * rows, which follows SUBSET), and AUTO = SUBSET. */
static void test_gini(void **state) {
    (void)state;
    make_data();
    socind_design *d = make_design(SOCIND_LONELY_AVERAGE);
    socind_estimate e[3][2];
    for (int32_t r = 0; r < 3; r++) {
        socind_options o = opts_rule(r);
        assert_int_equal(socind_gini(d, y, grp, 2, &o, e[r]), SOCIND_OK);
    }
    for (int32_t j = 0; j < 2; j++) {
        /* FULL multiplies by 5/3 where SUBSET multiplies by 3/2 (three strata
           present, one lonely): the ratio of the SEs is sqrt(10/9) */
        double ratio = e[SOCIND_DOMAIN_RULE_FULL][j].se / e[SOCIND_DOMAIN_RULE_SUBSET][j].se;
        assert_close(ratio, sqrt(10.0 / 9.0), 1e-13);
        assert_true(e[SOCIND_DOMAIN_RULE_AUTO][j].se == e[SOCIND_DOMAIN_RULE_SUBSET][j].se);
    }
    socind_design_free(d);
}

/* Without domains (or on a design without single-PSU strata) the rules
 * agree; socind_variance (no options) follows SUBSET, and FULL is its
 * variance of u with zeros outside the domain over all rows. */
static void test_agree_and_variance(void **state) {
    (void)state;
    make_data();
    socind_design *d = make_design(SOCIND_LONELY_ADJUST);
    socind_estimate e[3];
    for (int32_t r = 0; r < 3; r++) {
        socind_options o = opts_rule(r);
        assert_int_equal(socind_total(d, x, NULL, 0, &o, &e[r]), SOCIND_OK);
    }
    assert_true(e[1].se == e[2].se && e[0].se == e[1].se);
    double u[NROW], v2[2], vall;
    lin_total(x, 0, u);
    assert_int_equal(socind_variance(d, x, grp, 2, v2), SOCIND_OK);
    assert_close(v2[0], rule_variance(u, grp, 0, SOCIND_LONELY_ADJUST, 0), 1e-13);
    assert_int_equal(socind_variance(d, u, NULL, 0, &vall), SOCIND_OK);
    assert_close(vall, rule_variance(u, grp, 0, SOCIND_LONELY_ADJUST, 1), 1e-13);
    socind_design_free(d);
    /* average with every present stratum lonely: SUBSET has nothing to
       average (SOCIND_ERR_LONELY_PSU); FULL has strata A, B, E */
    d = make_design(SOCIND_LONELY_AVERAGE);
    int32_t g[NROW];
    for (int k = 0; k < NROW; k++) g[k] = strata[k] == 3 ? 0 : -1;
    socind_estimate es, ef;
    socind_options os = opts_rule(SOCIND_DOMAIN_RULE_SUBSET),
                   of = opts_rule(SOCIND_DOMAIN_RULE_FULL);
    assert_int_equal(socind_total(d, x, g, 1, &os, &es), SOCIND_OK);
    assert_int_equal(es.status, SOCIND_ERR_LONELY_PSU);
    assert_true(isnan(es.se));
    assert_int_equal(socind_total(d, x, g, 1, &of, &ef), SOCIND_OK);
    assert_int_equal(ef.status, SOCIND_OK);
    assert_true(ef.se == 0.0); /* the lonely stratum is dropped, the others are 0 */
    socind_design_free(d);
}

/* The wave-2 estimators under average, by the two domains (each with three
 * strata present, one of them lonely): a rule that counts the domain's
 * strata multiplies the variance by 3/2, FULL by 5/3, so their SEs differ by
 * sqrt(10/9) whatever the estimator; AUTO is the R counterpart's rule
 * (svyby's domain design for jdiv, zenga, gpg, iqalpha, isq, rmir; the full
 * design for Sen and SST, as socind_fgt). Richness and convey's median of
 * the poor and relative median gap count every stratum under both rules:
 * their line's (or threshold's) influence reaches every PSU. */
enum {
    W_JDIV,
    W_ZENGA,
    W_GPG,
    W_IQALPHA,
    W_ISQ,
    W_RMIR,
    W_SEN,
    W_SST,
    W_RICH,
    W_POORMED,
    W_RMPG,
    W_COUNT
};
static int32_t wave2(int which, const socind_design *d, const socind_options *o,
                     socind_estimate e[2]) {
    static int32_t sex[NROW];
    static double age[NROW];
    for (int k = 0; k < NROW; k++) sex[k] = 1 + k % 2, age[k] = 30.0 + 9.0 * (double)(k % 6);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 600.0;
    socind_estimate parts[2 * SOCIND_SEN_COUNT];
    int32_t st;
    switch (which) {
    case W_JDIV:
        return socind_jdiv(d, y, SOCIND_NONPOS_ERROR, grp, 2, o, e);
    case W_ZENGA:
        return socind_zenga(d, y, SOCIND_NONPOS_ERROR, grp, 2, o, e);
    case W_GPG:
        return socind_gender_pay_gap(d, y, sex, grp, 2, o, e);
    case W_IQALPHA:
        return socind_quantile_linearized(d, y, 0.5, grp, 2, o, e);
    case W_ISQ:
        return socind_quantile_income_total(d, y, 0.4, 0, grp, 2, o, e);
    case W_RMIR: {
        socind_estimate r[2 * SOCIND_RMIR_COUNT];
        st = socind_median_income_ratio(d, y, age, 50.0, grp, 2, o, r);
        e[0] = r[SOCIND_RMIR_RATIO], e[1] = r[SOCIND_RMIR_COUNT + SOCIND_RMIR_RATIO];
        return st;
    }
    case W_SEN:
    case W_SST:
        st = which == W_SEN ? socind_sen(d, y, &L, grp, 2, o, parts)
                            : socind_sst(d, y, &L, grp, 2, o, parts);
        e[0] = parts[SOCIND_SEN_INDEX], e[1] = parts[SOCIND_SEN_COUNT + SOCIND_SEN_INDEX];
        return st;
    case W_RICH:
        return socind_richness(d, y, &L, SOCIND_RICH_CHA, 1.0, grp, 2, o, e);
    case W_POORMED:
        return socind_poor_median(d, y, 0.9, 0.5, grp, 2, o, e);
    default:
        return socind_relative_median_gap(d, y, 0.9, 0.5, grp, 2, o, e);
    }
}

static void test_wave2_estimators(void **state) {
    (void)state;
    make_data();
    socind_design *d = make_design(SOCIND_LONELY_AVERAGE);
    for (int which = 0; which < W_COUNT; which++) {
        socind_estimate e[3][2];
        for (int32_t r = 0; r < 3; r++) {
            socind_options o = opts_rule(r);
            assert_int_equal(wave2(which, d, &o, e[r]), SOCIND_OK);
        }
        for (int32_t j = 0; j < 2; j++) {
            const socind_estimate *sub = &e[SOCIND_DOMAIN_RULE_SUBSET][j],
                                  *full = &e[SOCIND_DOMAIN_RULE_FULL][j],
                                  *aut = &e[SOCIND_DOMAIN_RULE_AUTO][j];
            assert_int_equal(sub->status, SOCIND_OK);
            assert_true(sub->se > 0);
            assert_true(sub->value == full->value);
            if (which >= W_RICH) {
                assert_true(sub->se == full->se && aut->se == full->se);
                continue;
            }
            assert_close(full->se / sub->se, sqrt(10.0 / 9.0), 1e-12);
            const socind_estimate *dflt = which == W_SEN || which == W_SST ? full : sub;
            assert_true(aut->se == dflt->se);
        }
    }
    socind_design_free(d);
}

/* An unknown rule is refused. */
static void test_unknown_rule(void **state) {
    (void)state;
    make_data();
    socind_design *d = make_design(SOCIND_LONELY_ADJUST);
    socind_estimate e[2];
    socind_options o = opts_rule(3);
    assert_int_equal(socind_mean(d, x, grp, 2, &o, e), SOCIND_ERR_ARG);
    assert_int_equal(e[0].status, SOCIND_ERR_ARG);
    o.domain_rule = -1;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 600.0;
    assert_int_equal(socind_fgt(d, y, &L, 0.0, grp, 2, &o, e), SOCIND_ERR_ARG);
    socind_design_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_means), cmocka_unit_test(test_poverty),
        cmocka_unit_test(test_gini),         cmocka_unit_test(test_agree_and_variance),
        cmocka_unit_test(test_unknown_rule), cmocka_unit_test(test_wave2_estimators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
