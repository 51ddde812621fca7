/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_convey_quantile.c — convey's quantile-based measures
 * against R convey 1.0.1 (tests/reference/wave2/expected.csv, section B):
 * svyiqalpha, svyisq (lower and upper), svypoormed and svyrmpg on the
 * households ("wr": --strata stratum --psu psu --weight w_person), svyrmir
 * on the persons ("wr_persons"), overall and in the urban and sub-district
 * domains; estimates, SEs and the normal CI of confint() to 1e-8
 * relative. */
#include "test_util.h"

#include "socind/socind.h"

typedef struct {
    test_csv *t;
    size_t n;
    double *w, *y, *age;
    int64_t *stratum, *psu, *subdistrict, *urban;
    socind_design *d;
} sample;

typedef struct {
    sample hh, pp;
    test_csv *ex;
} fixture;

static int sample_load(sample *s, const char *path, int persons) {
    s->t = test_csv_read(path);
    if (!s->t) return -1;
    s->n = s->t->nrow;
    s->w = test_csv_doubles(s->t, "w_person");
    s->y = test_csv_doubles(s->t, "cons_pc");
    s->age = persons ? test_csv_doubles(s->t, "age") : NULL;
    s->stratum = test_csv_int64(s->t, "stratum");
    s->psu = test_csv_int64(s->t, "psu");
    s->subdistrict = test_csv_int64(s->t, "subdistrict");
    s->urban = test_csv_int64(s->t, "urban");
    return socind_design_new(s->n, s->w, s->stratum, s->psu, NULL, NULL, &s->d) ? -1 : 0;
}

static void sample_free(sample *s) {
    socind_design_free(s->d);
    free(s->w), free(s->y), free(s->age);
    free(s->stratum), free(s->psu), free(s->subdistrict), free(s->urban);
    test_csv_free(s->t);
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (sample_load(&f->hh, SOCIND_TEST_REFDIR "/wave2/households.csv", 0)) return -1;
    if (sample_load(&f->pp, SOCIND_TEST_REFDIR "/wave2/persons.csv", 1)) return -1;
    f->ex = test_csv_read(SOCIND_TEST_REFDIR "/wave2/expected.csv");
    if (!f->ex) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    sample_free(&f->hh);
    sample_free(&f->pp);
    test_csv_free(f->ex);
    free(f);
    return 0;
}

/* The row's domain: NULL for "all", else g (0 in the domain, −1 outside). */
static const int32_t *domain_of(const sample *s, const char *sub, int32_t *g) {
    if (strcmp(sub, "all") == 0) return NULL;
    const int64_t *var = strncmp(sub, "urban=", 6) == 0          ? s->urban
                         : strncmp(sub, "subdistrict=", 12) == 0 ? s->subdistrict
                                                                 : NULL;
    assert_non_null(var);
    int64_t level = strtoll(strchr(sub, '=') + 1, NULL, 10);
    size_t in = 0;
    for (size_t k = 0; k < s->n; k++) {
        g[k] = var[k] == level ? 0 : -1;
        in += var[k] == level;
    }
    assert_true(in > 0);
    return g;
}

static double param(const char *par, const char *key) {
    const char *p = strstr(par, key);
    assert_non_null(p);
    return atof(p + strlen(key));
}

static double worst_value = 0.0, worst_se = 0.0;

static void compare(size_t r, char *const *cell, const int *c, const socind_estimate *e,
                    int with_se) {
    double est = test_num(cell[c[4]]);
    double rel = fabs(e->value - est) / fabs(est);
    worst_value = rel > worst_value ? rel : worst_value;
    if (!(rel <= 1e-8)) {
        print_error("row %zu (%s %s %s): value %.17g, want %.17g\n", r + 2, cell[c[0]], cell[c[1]],
                    cell[c[3]], e->value, est);
        fail();
    }
    if (!with_se) return;
    assert_int_equal(e->status, SOCIND_OK);
    double se = test_num(cell[c[5]]);
    double rs = fabs(e->se - se) / fabs(se);
    worst_se = rs > worst_se ? rs : worst_se;
    if (!(rs <= 1e-8)) {
        print_error("row %zu (%s %s %s): se %.17g, want %.17g\n", r + 2, cell[c[0]], cell[c[1]],
                    cell[c[3]], e->se, se);
        fail();
    }
    assert_close_abs(e->ci_low, test_num(cell[c[6]]), 1e-8, 0.0);
    assert_close_abs(e->ci_high, test_num(cell[c[7]]), 1e-8, 0.0);
}

static void test_reference_rows(void **state) {
    fixture *f = *state;
    test_csv *t = f->ex;
    const int c[8] = {test_csv_col(t, "indicator"),  test_csv_col(t, "statistic"),
                      test_csv_col(t, "parameters"), test_csv_col(t, "subgroup"),
                      test_csv_col(t, "estimate"),   test_csv_col(t, "se"),
                      test_csv_col(t, "ci_low"),     test_csv_col(t, "ci_high")};
    const int cdes = test_csv_col(t, "design");
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL; /* confint() */
    size_t nmax = f->pp.n > f->hh.n ? f->pp.n : f->hh.n;
    int32_t *g = malloc(nmax * sizeof *g);
    size_t checked = 0, by[5] = {0, 0, 0, 0, 0};
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        const char *ind = cell[c[0]], *stat = cell[c[1]], *par = cell[c[2]];
        int k = strcmp(ind, "iqalpha") == 0   ? 0
                : strcmp(ind, "isq") == 0     ? 1
                : strcmp(ind, "poormed") == 0 ? 2
                : strcmp(ind, "rmpg") == 0    ? 3
                : strcmp(ind, "rmir") == 0    ? 4
                                              : -1;
        if (k < 0) continue;
        const sample *s = k == 4 ? &f->pp : &f->hh;
        assert_string_equal(cell[cdes], k == 4 ? "wr_persons" : "wr");
        const int32_t *grp = domain_of(s, cell[c[3]], g);
        socind_estimate e[SOCIND_RMIR_COUNT];
        int32_t st;
        int with_se = 1;
        switch (k) {
        case 0:
            st = socind_quantile_linearized(s->d, s->y, param(par, "alpha="), grp, 1, &o, e);
            break;
        case 1:
            st = socind_quantile_income_total(s->d, s->y, param(par, "alpha="),
                                              strstr(par, "upper=TRUE") != NULL, grp, 1, &o, e);
            assert_int_equal(strcmp(stat, "isq_upper") == 0, strstr(par, "upper=TRUE") != NULL);
            break;
        case 2:
            st = socind_poor_median(s->d, s->y, param(par, "percent="), param(par, "quantiles="),
                                    grp, 1, &o, e);
            break;
        case 3:
            st = socind_relative_median_gap(s->d, s->y, param(par, "percent="),
                                            param(par, "quantiles="), grp, 1, &o, e);
            break;
        default: {
            st = socind_median_income_ratio(s->d, s->y, s->age, param(par, "agelim="), grp, 1, &o,
                                            e);
            int part = strcmp(stat, "rmir") == 0      ? SOCIND_RMIR_RATIO
                       : strcmp(stat, "med_old") == 0 ? SOCIND_RMIR_MED_OLD
                                                      : SOCIND_RMIR_MED_YOUNG;
            with_se = part == SOCIND_RMIR_RATIO; /* R gives the medians no SE */
            e[0] = e[part];
            break;
        }
        }
        assert_int_equal(st, SOCIND_OK);
        compare(r, cell, c, &e[0], with_se);
        by[k]++;
        checked++;
    }
    free(g);
    printf("  %zu reference rows matched (iqalpha %zu, isq %zu, poormed %zu, rmpg %zu, rmir %zu);"
           " worst relative error: value %.3g, se %.3g\n",
           checked, by[0], by[1], by[2], by[3], by[4], worst_value, worst_se);
    /* iqalpha: 5 overall + 2 urban + 40 sub-districts; isq: 6 overall + 2
     * urban + 40 sub-districts; poormed, rmpg: all + 2 urban; rmir: ratio
     * and two medians overall + 2 urban ratios */
    assert_int_equal(by[0], 47);
    assert_int_equal(by[1], 48);
    assert_int_equal(by[2], 3);
    assert_int_equal(by[3], 3);
    assert_int_equal(by[4], 5);
}

/* The same figures by domain in one call as domain by domain. */
static void test_domains_in_one_call(void **state) {
    fixture *f = *state;
    const sample *s = &f->hh;
    int32_t *u = malloc(s->n * sizeof *u), *g = malloc(s->n * sizeof *g);
    for (size_t k = 0; k < s->n; k++) u[k] = (int32_t)s->urban[k];
    for (int which = 0; which < 4; which++) {
        socind_estimate all[2], one;
        for (int32_t j = -1; j < 2; j++) {
            const int32_t *grp = j < 0 ? u : g;
            int32_t G = j < 0 ? 2 : 1;
            socind_estimate *e = j < 0 ? all : &one;
            if (j >= 0)
                for (size_t k = 0; k < s->n; k++) g[k] = u[k] == j ? 0 : -1;
            int32_t st =
                which == 0   ? socind_quantile_linearized(s->d, s->y, 0.3, grp, G, NULL, e)
                : which == 1 ? socind_quantile_income_total(s->d, s->y, 0.7, 1, grp, G, NULL, e)
                : which == 2 ? socind_poor_median(s->d, s->y, 0.6, 0.5, grp, G, NULL, e)
                             : socind_relative_median_gap(s->d, s->y, 0.5, 0.4, grp, G, NULL, e);
            assert_int_equal(st, SOCIND_OK);
            if (j >= 0) {
                assert_true(one.value == all[j].value);
                assert_close(one.se, all[j].se, 1e-13);
            }
        }
    }
    free(u), free(g);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_rows),
        cmocka_unit_test(test_domains_in_one_call),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
