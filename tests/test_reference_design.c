/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_design.c — totals, means, ratios and the headcount
 * ratio against R survey 4.1-1 on tests/reference/poverty (households.csv,
 * expected.csv), for the "wr" and "fpc" designs, overall and by domain. */
#include "households.h"

#define REL 1e-9
#define SE_FLOOR 1e-10 /* the reference README: treat an SE below 1e-10 as zero */

/* Dense group codes for a domain variable: group[k] = 0 when var[k] == level,
 * −1 otherwise. */
static int32_t *domain_of(const households *f, const int64_t *var, int64_t level) {
    int32_t *g = malloc(f->n * sizeof *g);
    for (size_t k = 0; k < f->n; k++) g[k] = var[k] == level ? 0 : -1;
    return g;
}

static void check(const char *what, const socind_estimate *e, double est, double se, double lo,
                  double hi) {
    (void)what;
    assert_int_equal(e->status, SOCIND_OK);
    assert_close_abs(e->value, est, REL, 1e-300);
    assert_close_abs(e->se, se, REL, SE_FLOOR);
    assert_close_abs(e->ci_low, lo, REL, SE_FLOOR);
    assert_close_abs(e->ci_high, hi, REL, SE_FLOOR);
    assert_close(e->df, 267.0, 0);
}

static void test_reference_rows(void **state) {
    households *f = *state;
    test_csv *t = f->ex;
    int c_ind = test_csv_col(t, "indicator"), c_par = test_csv_col(t, "parameters"),
        c_des = test_csv_col(t, "design"), c_sub = test_csv_col(t, "subgroup"),
        c_est = test_csv_col(t, "estimate"), c_se = test_csv_col(t, "se"),
        c_lo = test_csv_col(t, "ci_low"), c_hi = test_csv_col(t, "ci_high"),
        c_call = test_csv_col(t, "r_call");
    size_t n = f->n;
    double *poor_le = malloc(n * sizeof(double)), *poor_lt = malloc(n * sizeof(double));
    double *gap = malloc(n * sizeof(double)), *one = malloc(n * sizeof(double));
    for (size_t k = 0; k < n; k++) {
        poor_le[k] = f->y[k] <= 500000 ? 1.0 : 0.0;
        poor_lt[k] = f->y[k] < 500000 ? 1.0 : 0.0;
        gap[k] = (500000 - f->y[k]) * poor_le[k];
        one[k] = 1.0;
    }
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL; /* the reference CIs are confint(): normal */
    o.prop_ci = SOCIND_PROP_CI_WALD;
    size_t checked = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        const char *ind = t->cell[r][c_ind], *par = t->cell[r][c_par];
        const char *call = t->cell[r][c_call];
        const socind_design *d = strcmp(t->cell[r][c_des], "fpc") == 0 ? f->fpc_design : f->wr;
        const char *sub = t->cell[r][c_sub];
        int32_t *g = NULL;
        if (strncmp(sub, "subdistrict=", 12) == 0)
            g = domain_of(f, f->subdistrict, strtoll(sub + 12, NULL, 10));
        else if (strncmp(sub, "urban=", 6) == 0)
            g = domain_of(f, f->urban, strtoll(sub + 6, NULL, 10));
        else
            assert_string_equal(sub, "all");
        socind_estimate e;
        int32_t st = -1;
        int strict = strstr(par, "strict") != NULL;
        if (strcmp(ind, "mean") == 0 && strstr(call, "svymean") && strstr(call, "~cons_pc")) {
            st = socind_mean(d, f->y, g, 1, &o, &e);
        } else if (strcmp(ind, "total_poor") == 0 && strstr(call, "svytotal")) {
            st = socind_total(d, strict ? poor_lt : poor_le, g, 1, &o, &e);
        } else if (strcmp(ind, "headcount_ratio") == 0) {
            st = socind_proportion(d, strict ? poor_lt : poor_le, g, 1, &o, &e);
        } else if (strcmp(ind, "total_poverty_gap") == 0) {
            st = socind_total(d, gap, g, 1, &o, &e);
        } else if (strcmp(ind, "mean_shortfall_poor") == 0) {
            st = socind_ratio(d, gap, poor_le, g, 1, &o, &e);
        } else if (strcmp(ind, "population") == 0) {
            st = socind_total(d, one, g, 1, &o, &e);
        }
        if (st >= 0) {
            assert_int_equal(st, SOCIND_OK);
            check(ind, &e, test_num(t->cell[r][c_est]), test_num(t->cell[r][c_se]),
                  test_num(t->cell[r][c_lo]), test_num(t->cell[r][c_hi]));
            checked++;
        }
        free(g);
    }
    /* 2 designs × (3 means, 52 totals of poor, 2 headcount ratios, 1 gap,
     * 1 shortfall, 1 population) */
    assert_int_equal(checked, 2 * (3 + 52 + 2 + 1 + 1 + 1));
    free(poor_le);
    free(poor_lt);
    free(gap);
    free(one);
}

/* All sub-districts in one call (one pass) give the same as one call each. */
static void test_by_in_one_pass(void **state) {
    households *f = *state;
    int64_t codes[64];
    int32_t ncodes = 0;
    int32_t *g = households_subdistricts(f, codes, &ncodes);
    double *poor = calloc(f->n, sizeof *poor);
    for (size_t k = 0; k < f->n; k++) poor[k] = f->y[k] <= 500000 ? 1.0 : 0.0;
    socind_estimate *all = malloc((size_t)ncodes * sizeof *all);
    assert_int_equal(socind_total(f->fpc_design, poor, g, ncodes, NULL, all), SOCIND_OK);
    for (int32_t j = 0; j < ncodes; j++) {
        int32_t *one = domain_of(f, f->subdistrict, codes[j]);
        socind_estimate e;
        assert_int_equal(socind_total(f->fpc_design, poor, one, 1, NULL, &e), SOCIND_OK);
        assert_close(all[j].value, e.value, 1e-15);
        assert_close_abs(all[j].se, e.se, 1e-15, 1e-300);
        assert_int_equal(all[j].n, e.n);
        free(one);
    }
    free(all);
    free(poor);
    free(g);
}

static void test_design_counts(void **state) {
    households *f = *state;
    assert_int_equal(socind_design_nstrata(f->wr), 20);
    assert_int_equal(socind_design_npsu(f->wr), 287);
    assert_close(socind_design_df(f->wr), 267.0, 0);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_counts),
        cmocka_unit_test(test_reference_rows),
        cmocka_unit_test(test_by_in_one_pass),
    };
    return cmocka_run_group_tests(tests, households_setup, households_teardown);
}
