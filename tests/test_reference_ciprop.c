/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_ciprop.c — the proportion intervals against R's
 * svyciprop (survey 4.5): section E of the wave-2 reference set, every row
 * through socind_proportion over households.csv (--strata stratum --psu psu
 * --weight w_person) overall, by urban and by sub-district. Each domain's
 * estimate carries the domain's own df (PSUs − strata with rows of non-zero
 * weight in the domain), which the test counts and checks against the row's
 * df. The likelihood method is built on R's glm fit (glm's IRLS stop), as
 * survey's profile is: its limits and every other method's are matched at
 * 1e-9; logit keeps the exact fit, within the README's 1e-6 of R's IRLS. */
#include "test_util.h"

#include "socind/socind.h"

#define REL 1e-9      /* mean, asin, xlogit, beta (README "Tolerances") */
#define REL_IRLS 1e-6 /* logit and likelihood estimates: expit of R's IRLS β̂ */

typedef struct {
    test_csv *hh, *ex;
    size_t n;
    double *w, *y, *poor, *rare;
    int64_t *stratum, *psu, *subdistrict, *urban;
    int32_t *g_urban, *g_sub;
    int64_t sub_codes[64];
    int32_t n_sub;
    socind_design *d;
} fixture;

static int setup(void **state) {
    test_install_gsl_handler();
    fixture *f = calloc(1, sizeof *f);
    f->hh = test_csv_read(SOCIND_TEST_REFDIR "/wave2/households.csv");
    f->ex = test_csv_read(SOCIND_TEST_REFDIR "/wave2/expected.csv");
    if (!f->hh || !f->ex) return -1;
    f->n = f->hh->nrow;
    f->w = test_csv_doubles(f->hh, "w_person");
    f->y = test_csv_doubles(f->hh, "cons_pc");
    f->stratum = test_csv_int64(f->hh, "stratum");
    f->psu = test_csv_int64(f->hh, "psu");
    f->subdistrict = test_csv_int64(f->hh, "subdistrict");
    f->urban = test_csv_int64(f->hh, "urban");
    f->poor = malloc(f->n * sizeof *f->poor);
    f->rare = malloc(f->n * sizeof *f->rare);
    f->g_urban = malloc(f->n * sizeof *f->g_urban);
    f->g_sub = malloc(f->n * sizeof *f->g_sub);
    for (size_t k = 0; k < f->n; k++) {
        f->poor[k] = f->y[k] <= 520000.0;
        f->rare[k] = f->y[k] <= 350000.0;
        f->g_urban[k] = (int32_t)f->urban[k];
        int32_t j;
        for (j = 0; j < f->n_sub; j++)
            if (f->sub_codes[j] == f->subdistrict[k]) break;
        if (j == f->n_sub) f->sub_codes[f->n_sub++] = f->subdistrict[k];
        f->g_sub[k] = j;
    }
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.nest = 1;
    if (socind_design_new(f->n, f->w, f->stratum, f->psu, NULL, &dopt, &f->d)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    socind_design_free(f->d);
    free(f->w), free(f->y), free(f->poor), free(f->rare);
    free(f->stratum), free(f->psu), free(f->subdistrict), free(f->urban);
    free(f->g_urban), free(f->g_sub);
    test_csv_free(f->hh);
    test_csv_free(f->ex);
    free(f);
    return 0;
}

/* R's degf() of the domain design: PSUs minus strata with rows in it. */
static double domain_df(const fixture *f, const int32_t *g, int32_t code) {
    size_t npsu = 0, nstr = 0;
    for (size_t k = 0; k < f->n; k++) {
        if (g && g[k] != code) continue;
        int seen_p = 0, seen_h = 0;
        for (size_t j = 0; j < k; j++) {
            if (g && g[j] != code) continue;
            seen_p |= f->psu[j] == f->psu[k] && f->stratum[j] == f->stratum[k];
            seen_h |= f->stratum[j] == f->stratum[k];
        }
        npsu += !seen_p;
        nstr += !seen_h;
    }
    return (double)npsu - (double)nstr;
}

static int method_code(const char *s) {
    static const char *names[] = {"logit", "wald", "likelihood", "asin", "beta", "mean", "xlogit"};
    for (int i = 0; i < SOCIND_PROP_CI_COUNT; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

static double relerr(double a, double e) {
    if (isnan(a) && isnan(e)) return 0.0;
    return fabs(a - e) / fabs(e);
}

static void test_section_e(void **state) {
    fixture *f = *state;
    test_csv *t = f->ex;
    const int c_ind = test_csv_col(t, "indicator"), c_stat = test_csv_col(t, "statistic"),
              c_par = test_csv_col(t, "parameters"), c_sub = test_csv_col(t, "subgroup"),
              c_est = test_csv_col(t, "estimate"), c_se = test_csv_col(t, "se"),
              c_lo = test_csv_col(t, "ci_low"), c_hi = test_csv_col(t, "ci_high"),
              c_df = test_csv_col(t, "df");
    socind_estimate *out = malloc(64 * sizeof *out);
    size_t checked = 0, na_rows = 0, folded = 0;
    double worst[SOCIND_PROP_CI_COUNT] = {0}, worst_est[SOCIND_PROP_CI_COUNT] = {0};
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        if (strcmp(cell[c_ind], "ciprop") != 0) continue;
        int m = method_code(cell[c_stat]);
        assert_true(m >= 0);
        const double *x = strstr(cell[c_par], "indicator=poor") ? f->poor : f->rare;
        const char *sub = cell[c_sub];
        const int32_t *grp = NULL;
        int32_t ng = 0, code = 0;
        if (strncmp(sub, "urban=", 6) == 0) {
            grp = f->g_urban, ng = 2, code = atoi(sub + 6);
        } else if (strncmp(sub, "subdistrict=", 12) == 0) {
            long long s = atoll(sub + 12);
            grp = f->g_sub, ng = f->n_sub, code = -1;
            for (int32_t j = 0; j < f->n_sub; j++)
                if (f->sub_codes[j] == s) code = j;
            assert_true(code >= 0);
        } else {
            assert_string_equal(sub, "all");
        }
        socind_options o;
        socind_options_init(&o);
        o.prop_ci = m;
        assert_int_equal(socind_proportion(f->d, x, grp, ng, &o, out), SOCIND_OK);
        const socind_estimate *e = &out[grp ? code : 0];
        double est = test_num(cell[c_est]), se = test_num(cell[c_se]);
        double lo = test_num(cell[c_lo]), hi = test_num(cell[c_hi]);
        double df = domain_df(f, grp, code);
        assert_true(df == test_num(cell[c_df]));
        /* p̂ and its SE (SE/p̂ < 1e-12 is a numerical zero) */
        double rel_est =
            m == SOCIND_PROP_CI_LOGIT || m == SOCIND_PROP_CI_LIKELIHOOD ? REL_IRLS : REL;
        assert_close_abs(e->value, est, rel_est, 1e-300);
        assert_close_abs(e->se, se, REL, 1e-12 * fabs(est));
        if (est != 0) worst_est[m] = fmax(worst_est[m], relerr(e->value, est));
        /* the estimate carries the domain's df (svyciprop on the domain's
           design) and its limits use it */
        assert_true(e->df == df);
        double l = e->ci_low, h = e->ci_high;
        int32_t st = e->status;
        const double rel = m == SOCIND_PROP_CI_LOGIT ? REL_IRLS : REL;
        if (isnan(lo) || isnan(hi)) {
            /* R's NA: p̂ = 0, SE = 0, df = 0 or a profile short of its cutoff */
            assert_true(st == SOCIND_ERR_RANGE || st == SOCIND_ERR_DF);
            na_rows++;
        } else {
            assert_int_equal(st, SOCIND_OK);
        }
        assert_true(isnan(l) == isnan(lo));
        assert_true(isnan(h) == isnan(hi));
        if (m == SOCIND_PROP_CI_ASIN && !isnan(lo)) {
            /* R does not clamp the angle: where an end passes 0 or π/2 its
               limit folds back; socind's is 0 or 1 there (common.h) */
            double q;
            assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, df, &q), SOCIND_OK);
            double eta = asin(sqrt(est)), hw = q * se / (2.0 * sqrt(est * (1.0 - est)));
            if (eta - hw < 0.0) {
                assert_true(l == 0.0);
                lo = 0.0, folded++;
            }
            if (eta + hw > 1.57079632679489661923) {
                assert_true(h == 1.0);
                hi = 1.0, folded++;
            }
        }
        assert_close_abs(l, lo, rel, 1e-300);
        assert_close_abs(h, hi, rel, 1e-300);
        worst[m] = fmax(worst[m], fmax(relerr(l, lo), relerr(h, hi)));
        checked++;
    }
    free(out);
    print_message("section E: asin limits where R's fold back: %zu\n", folded);
    print_message("section E: %zu rows (%zu with NA limits); worst relative error of the limits "
                  "(estimate): logit %.2g (%.2g), likelihood %.2g (%.2g), asin %.2g, beta %.2g, "
                  "mean %.2g, xlogit %.2g\n",
                  checked, na_rows, worst[0], worst_est[0], worst[2], worst_est[2], worst[3],
                  worst[4], worst[5], worst[6]);
    assert_int_equal(checked, 232);
}

/* A domain's proportion carries R's degf() of the domain's design: PSUs
 * minus strata among its rows of non-zero weight (a NaN value still counts:
 * the row stays in R's design); the whole design's df without a group column
 * and under the domain rule FULL; every method's interval uses it. */
static void test_domain_df(void **state) {
    (void)state;
    /* 3 strata × 3 PSUs × 2 rows; the design's df is 9 − 3 = 6 */
    enum { N = 18 };
    double w[N], x[N];
    int64_t h[N], p[N];
    int32_t g[N];
    for (int k = 0; k < N; k++) {
        h[k] = k / 6;
        p[k] = k / 2;
        w[k] = 1.0 + 0.1 * k;
        x[k] = k % 3 == 0;
        g[k] = 1;
    }
    /* domain 0: PSUs 0, 1 (stratum 0) and 3, 4 (stratum 1) → df 4 − 2 = 2;
       a zero-weight row in PSU 5 and a NaN row in PSU 2 (counts) */
    const int dom0[] = {0, 1, 2, 6, 8, 9, 5};
    for (size_t i = 0; i < sizeof dom0 / sizeof *dom0; i++) g[dom0[i]] = 0;
    g[10] = 0, w[10] = 0.0; /* PSU 5: weight 0, no PSU of the domain's */
    x[5] = NAN;             /* PSU 2: a missing value, in the domain's design */
    /* so domain 0 has PSUs 0, 1, 2 (stratum 0) and 3, 4 (stratum 1): 5 − 2 */
    socind_design *d;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    assert_int_equal(socind_design_new(N, w, h, p, NULL, &dopt, &d), SOCIND_OK);
    for (int m = 0; m < SOCIND_PROP_CI_COUNT; m++) {
        socind_options o;
        socind_options_init(&o);
        o.prop_ci = m;
        socind_estimate e[2], all, ref[2];
        assert_int_equal(socind_proportion(d, x, g, 2, &o, e), SOCIND_OK);
        assert_true(e[0].df == 3.0);
        /* domain 1: PSUs 1, 2, 3, 5, 6, 7, 8 in all three strata */
        assert_true(e[1].df == 4.0);
        assert_int_equal(socind_proportion(d, x, NULL, 0, &o, &all), SOCIND_OK);
        assert_true(all.df == 6.0);
        for (int j = 0; j < 2; j++) {
            double l, hi;
            int32_t st = socind_prop_ci(e[j].value, e[j].se, e[j].df, e[j].n, &o, &l, &hi);
            if (m == SOCIND_PROP_CI_LIKELIHOOD) {
                /* profiled around R's fit, whose weights are normalised
                   over the domain's rows (the NaN and zero-weight ones
                   included) and whose dispersion counts the rows of
                   non-zero weight: not socind_prop_ci's exact fit on n */
                assert_int_equal(e[j].status, SOCIND_OK);
                assert_true(e[j].ci_low < e[j].value && e[j].value < e[j].ci_high);
                if (j == 0) assert_true(fabs(e[j].ci_low - l) > 1e-6 * l);
            } else {
                assert_int_equal(st, e[j].status);
                assert_true(e[j].ci_low == l || (isnan(l) && isnan(e[j].ci_low)));
                assert_true(e[j].ci_high == hi || (isnan(hi) && isnan(e[j].ci_high)));
            }
        }
        /* the rule FULL: the whole design's df, as convey's zeros outside */
        o.domain_rule = SOCIND_DOMAIN_RULE_FULL;
        assert_int_equal(socind_proportion(d, x, g, 2, &o, ref), SOCIND_OK);
        assert_true(ref[0].df == 6.0 && ref[1].df == 6.0);
    }
    socind_design_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section_e),
        cmocka_unit_test(test_domain_df),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
