/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_poverty.c — poverty measures against R convey 1.0.1 /
 * survey 4.1-1 (tests/reference/poverty/expected.csv): FGT 0/1/2 against a
 * fixed, a per-row, a median-relative and a mean-relative line, overall and
 * by domain; Watts; the lines; the FGT and Watts decompositions; number of
 * poor, total gap and mean shortfall — estimates, SEs and normal CIs to 1e-8
 * relative, for the "wr" and "fpc" designs. */
#include "households.h"

#define REL 1e-8
#define SE_FLOOR 1e-10

/* value of key=... in a parameters string, or NULL */
static const char *param(const char *params, const char *key, char *buf, size_t cap) {
    size_t kl = strlen(key);
    const char *p = params;
    while (p && *p) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1;
            size_t l = strcspn(v, ";");
            if (l >= cap) l = cap - 1;
            memcpy(buf, v, l);
            buf[l] = 0;
            return buf;
        }
        p = strchr(p, ';');
        if (p) p++;
    }
    return NULL;
}

static void check(const socind_estimate *e, const char *const *cell, int c_est, int c_se, int c_lo,
                  int c_hi, const char *what, size_t row) {
    double est = test_num(cell[c_est]), se = test_num(cell[c_se]);
    if (e->status != SOCIND_OK) {
        print_error("row %zu (%s): status %d\n", row, what, (int)e->status);
        fail();
    }
    if (fabs(e->value - est) > REL * fabs(est) + 1e-300 ||
        fabs(e->se - se) > fmax(REL * fabs(se), SE_FLOOR)) {
        print_error("row %zu (%s): value %.17g (want %.17g), se %.17g (want %.17g)\n", row, what,
                    e->value, est, e->se, se);
        fail();
    }
    assert_close_abs(e->ci_low, test_num(cell[c_lo]), REL, SE_FLOOR);
    assert_close_abs(e->ci_high, test_num(cell[c_hi]), REL, SE_FLOOR);
}

static void test_reference_rows(void **state) {
    households *f = *state;
    test_csv *t = f->ex;
    expected_cols c = households_columns(t);
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    o.prop_ci = SOCIND_PROP_CI_WALD;
    int32_t *g = malloc(f->n * sizeof *g);
    size_t checked = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        const char *ind = cell[c.ind], *stat = cell[c.stat], *par = cell[c.par];
        const char *sub = cell[c.sub];
        const int32_t *grp;
        const socind_design *d = households_row(f, cell, &c, g, &grp);
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.inclusive = strstr(par, "strict") ? 0 : 1;
        char buf[64];
        const char *tt = param(par, "type_thresh", buf, sizeof buf);
        if (tt && strcmp(tt, "relq") == 0) {
            L.type = SOCIND_LINE_RELATIVE_QUANTILE;
            L.value = 0.6;
            L.quantile = 0.5;
        } else if (tt && strcmp(tt, "relm") == 0) {
            L.type = SOCIND_LINE_RELATIVE_MEAN;
            L.value = 0.6;
        } else if (strstr(par, "line=line_region")) {
            L.type = SOCIND_LINE_PER_ROW;
            L.lines = f->line_region;
        } else {
            L.type = SOCIND_LINE_ABSOLUTE;
            L.value = 500000;
        }
        socind_estimate e[5];
        int idx = -1;
        int32_t st = -1;
        if (strcmp(ind, "fgt") == 0 || strcmp(ind, "arpr") == 0) {
            double alpha = strcmp(ind, "arpr") == 0 ? 0 : atof(param(par, "g", buf, sizeof buf));
            if (strcmp(ind, "arpr") == 0) L.type = SOCIND_LINE_RELATIVE_QUANTILE, L.value = 0.6;
            st = socind_fgt(d, f->y, &L, alpha, grp, 1, &o, e), idx = 0;
        } else if (strcmp(ind, "headcount_ratio") == 0) {
            st = socind_fgt(d, f->y, &L, 0, grp, 1, &o, e), idx = 0;
        } else if (strcmp(ind, "total_poor") == 0) {
            st = socind_poor_count(d, f->y, &L, grp, 1, &o, e), idx = 0;
        } else if (strcmp(ind, "total_poverty_gap") == 0) {
            st = socind_poverty_gap_total(d, f->y, &L, grp, 1, &o, e), idx = 0;
        } else if (strcmp(ind, "mean_shortfall_poor") == 0) {
            st = socind_mean_shortfall(d, f->y, &L, grp, 1, &o, e), idx = 0;
        } else if (strcmp(ind, "watts") == 0) {
            st = socind_watts(d, f->y, &L, SOCIND_NONPOS_ERROR, grp, 1, &o, e), idx = 0;
        } else if (strcmp(ind, "arpt") == 0) {
            L.type = SOCIND_LINE_RELATIVE_QUANTILE, L.value = 0.6;
            st = socind_poverty_line_estimate(d, f->y, &L, &o, e), idx = 0;
        } else if (strcmp(ind, "relm_line") == 0) {
            L.type = SOCIND_LINE_RELATIVE_MEAN, L.value = 0.6;
            st = socind_poverty_line_estimate(d, f->y, &L, &o, e), idx = 0;
        } else if (strcmp(ind, "fgtdec") == 0) {
            st = socind_fgt_decomposition(d, f->y, &L, 2.0, grp, 1, &o, e);
            idx = strcmp(stat, "fgt0") == 0   ? 0
                  : strcmp(stat, "fgt1") == 0 ? 1
                  : strcmp(stat, "fgt2") == 0 ? 2
                  : strcmp(stat, "igr") == 0  ? 3
                                              : 4;
        } else if (strcmp(ind, "wattsdec") == 0) {
            st = socind_watts_decomposition(d, f->y, &L, SOCIND_NONPOS_ERROR, grp, 1, &o, e);
            idx = strcmp(stat, "watts") == 0  ? 0
                  : strcmp(stat, "fgt0") == 0 ? 1
                  : strstr(stat, "gap ratio") ? 2
                                              : 3;
        }
        if (st < 0) continue;
        assert_int_equal(st, SOCIND_OK);
        char what[160];
        snprintf(what, sizeof what, "%s %s %s %s %s", ind, stat, par, cell[c.des], sub);
        check(&e[idx], (const char *const *)cell, c.est, c.se, c.lo, c.hi, what, r + 2);
        checked++;
    }
    free(g);
    printf("  %zu reference rows matched\n", checked);
    /* per design: 108 + 6 + 6 fgt, arpr, 52 total_poor, 2 headcount, gap,
     * shortfall, 4 watts, arpt, relm line, 10 fgtdec, 4 wattsdec */
    assert_int_equal(checked, 2 * (120 + 1 + 52 + 2 + 1 + 1 + 4 + 1 + 1 + 10 + 4));
}

/* All sub-districts in one call give the same as one call each (relative line). */
static void test_by_in_one_pass(void **state) {
    households *f = *state;
    int64_t codes[64];
    int32_t nc = 0;
    int32_t *g = households_subdistricts(f, codes, &nc), *one = calloc(f->n, sizeof *one);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    socind_estimate *all = calloc((size_t)nc, sizeof *all), e;
    assert_int_equal(socind_fgt(f->wr, f->y, &L, 1.0, g, nc, NULL, all), SOCIND_OK);
    for (int32_t j = 0; j < nc; j++) {
        for (size_t k = 0; k < f->n; k++) one[k] = g[k] == j ? 0 : -1;
        assert_int_equal(socind_fgt(f->wr, f->y, &L, 1.0, one, 1, NULL, &e), SOCIND_OK);
        assert_close(all[j].value, e.value, 1e-15);
        assert_close(all[j].se, e.se, 1e-14);
    }
    free(all), free(g), free(one);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_rows),
        cmocka_unit_test(test_by_in_one_pass),
    };
    return cmocka_run_group_tests(tests, households_setup, households_teardown);
}
