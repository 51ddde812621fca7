/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_inequality.c — Gini, GE (MLD, Theil, GE(2)),
 * Atkinson and the quantiles with Woodruff's interval against R convey 1.0.1
 * and survey (tests/reference/poverty/expected.csv), estimates and SEs to
 * 1e-8 relative, for the "wr" and "fpc" designs, overall and by domain: the
 * CIs of confint() (normal), and svyquantile's own (t on degf). */
#include "households.h"

static void test_reference_rows(void **state) {
    households *f = *state;
    test_csv *t = f->ex;
    expected_cols c = households_columns(t);
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    /* survey's svyquantile: Woodruff's interval on t with df = degf(design)
       (the method column, "t df=degf"), socind_quantile's default */
    socind_options ot;
    socind_options_init(&ot);
    int32_t *g = malloc(f->n * sizeof *g);
    size_t checked = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        const char *ind = cell[c.ind], *stat = cell[c.stat], *par = cell[c.par];
        if (strncmp(cell[c.sub], "subdistrict=", 12) == 0) continue;
        const int32_t *grp;
        const socind_design *d = households_row(f, cell, &c, g, &grp);
        socind_estimate e;
        int32_t st = -1, woodruff = 0;
        if (strcmp(ind, "gini") == 0) {
            st = socind_gini(d, f->y, grp, 1, &o, &e);
        } else if (strcmp(ind, "atkinson") == 0) {
            const char *p = strstr(par, "epsilon=");
            st = socind_atkinson(d, f->y, atof(p + 8), SOCIND_NONPOS_ERROR, grp, 1, &o, &e);
        } else if (strcmp(ind, "gei") == 0) {
            double th = strcmp(stat, "mld") == 0 ? 0 : strcmp(stat, "theil") == 0 ? 1 : 2;
            st = socind_ge(d, f->y, th, SOCIND_NONPOS_ERROR, grp, 1, &o, &e);
        } else if (strcmp(ind, "qsr") == 0) {
            int palma = strstr(stat, "palma") != NULL;
            st = socind_share_ratio(d, f->y, palma ? 0.4 : 0.2, palma ? 0.9 : 0.8, grp, 1, &o, &e);
        } else if (strcmp(ind, "lorenz") == 0) {
            st = socind_lorenz(d, f->y, atof(stat + 2), grp, 1, &o, &e);
        } else if (strcmp(ind, "geidec") == 0) {
            const char *p = strstr(par, "epsilon=");
            int32_t *u = malloc(f->n * sizeof *u);
            for (size_t k = 0; k < f->n; k++) u[k] = (int32_t)f->urban[k];
            socind_estimate dec[3];
            st = socind_ge_decomposition(d, f->y, atof(p + 8), SOCIND_NONPOS_ERROR, u, 2, &o, dec);
            e = dec[strcmp(stat, "total") == 0 ? 0 : strcmp(stat, "within") == 0 ? 1 : 2];
            free(u);
        } else if (strcmp(ind, "quantile") == 0 || strcmp(ind, "median") == 0) {
            const char *p = strstr(par, "p=");
            st = socind_quantile(d, f->y, atof(p + 2), grp, 1, &ot, &e);
            woodruff = 1;
        }
        if (st < 0) continue;
        assert_int_equal(st, SOCIND_OK);
        double est = test_num(cell[c.est]), se = test_num(cell[c.se]);
        if (fabs(e.value - est) > 1e-8 * fabs(est) ||
            fabs(e.se - se) > fmax(1e-8 * fabs(se), 1e-10)) {
            print_error("row %zu (%s %s %s %s): value %.17g (want %.17g), se %.17g (want %.17g)\n",
                        r + 2, ind, stat, cell[c.des], cell[c.sub], e.value, est, e.se, se);
            fail();
        }
        /* the normal CI of confint(), or survey's own Woodruff limits */
        assert_close_abs(e.ci_low, test_num(cell[c.lo]), 1e-8, 1e-10);
        assert_close_abs(e.ci_high, test_num(cell[c.hi]), 1e-8, 1e-10);
        (void)woodruff;
        checked++;
    }
    free(g);
    printf("  %zu reference rows matched\n", checked);
    /* per design: 3 gini (all, urban 0/1), 3 atkinson, 3 gei, 9 quantiles,
     * S80/S20 and Palma, 9 Lorenz ordinates, 9 GE decomposition rows */
    assert_int_equal(checked, 2 * (3 + 3 + 3 + 9 + 2 + 9 + 9));
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_rows),
    };
    return cmocka_run_group_tests(tests, households_setup, households_teardown);
}
