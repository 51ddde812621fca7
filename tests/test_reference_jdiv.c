/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_jdiv.c — the J-divergence, its decomposition, the
 * Zenga index, and Atkinson and GE at the parameters of the wave-2
 * reference set, against R convey 1.0.1 (tests/reference/wave2/expected.csv,
 * section B: design "wr" on wave2/households.csv), overall, by urban and by
 * sub-district: estimates, SEs and the normal CIs of confint() to 1e-8
 * relative (an SE below 1e-12 of its estimate is a numerical zero, as the
 * reference's README says); and the poverty set's Zenga rows (designs wr
 * and fpc). */
#include "households.h"

/* the wave-2 households as the poverty set's fixture, plus prov */
typedef struct {
    households h;
    int64_t *prov;
} wave2;

static int wave2_setup(void **state) {
    wave2 *f = calloc(1, sizeof *f);
    households *h = &f->h;
    h->hh = test_csv_read(SOCIND_TEST_REFDIR "/wave2/households.csv");
    h->ex = test_csv_read(SOCIND_TEST_REFDIR "/wave2/expected.csv");
    if (!h->hh || !h->ex) return -1;
    h->n = h->hh->nrow;
    h->w = test_csv_doubles(h->hh, "w_person");
    h->y = test_csv_doubles(h->hh, "cons_pc");
    h->stratum = test_csv_int64(h->hh, "stratum");
    h->psu = test_csv_int64(h->hh, "psu");
    h->subdistrict = test_csv_int64(h->hh, "subdistrict");
    h->urban = test_csv_int64(h->hh, "urban");
    f->prov = test_csv_int64(h->hh, "prov");
    if (socind_design_new(h->n, h->w, h->stratum, h->psu, NULL, NULL, &h->wr)) return -1;
    *state = f;
    return 0;
}

static int wave2_teardown(void **state) {
    wave2 *f = *state;
    free(f->prov);
    void *h = &f->h;
    return households_teardown(&h);
}

/* The partition of a jdivdec row ("subgroup=urban" or "subgroup=prov"):
 * dense codes in g, their number returned. */
static int32_t partition(const wave2 *f, const char *par, int32_t *g) {
    const int64_t *v = strstr(par, "prov") ? f->prov : f->h.urban;
    int64_t codes[16];
    int32_t nc = 0;
    for (size_t k = 0; k < f->h.n; k++) {
        int32_t j;
        for (j = 0; j < nc; j++)
            if (codes[j] == v[k]) break;
        if (j == nc) codes[nc++] = v[k];
        g[k] = j;
    }
    return nc;
}

static double worst_est, worst_se;

static void check_row(size_t r, char *const *cell, const expected_cols *c,
                      const socind_estimate *e) {
    double est = test_num(cell[c->est]), se = test_num(cell[c->se]);
    double de = fabs(e->value - est) / fabs(est);
    int zero = se < 1e-12 * fabs(est);
    double ds = zero ? e->se / fabs(est) : fabs(e->se - se) / se;
    if (!(de <= 1e-8) || !(zero ? ds < 1e-12 : ds <= 1e-8)) {
        print_error("row %zu (%s %s %s %s): value %.17g (want %.17g), se %.17g (want %.17g)\n",
                    r + 2, cell[c->ind], cell[c->stat], cell[c->par], cell[c->sub], e->value, est,
                    e->se, se);
        fail();
    }
    assert_int_equal(e->status, SOCIND_OK);
    worst_est = fmax(worst_est, de);
    if (!zero) worst_se = fmax(worst_se, ds);
    double lo = test_num(cell[c->lo]), hi = test_num(cell[c->hi]);
    assert_true(fabs(e->ci_low - lo) <= 1e-8 * fabs(lo));
    assert_true(fabs(e->ci_high - hi) <= 1e-8 * fabs(hi));
}

static void test_reference_rows(void **state) {
    wave2 *f = *state;
    households *h = &f->h;
    test_csv *t = h->ex;
    expected_cols c = households_columns(t);
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL; /* confint(): estimate ± 1.959964·SE */
    int32_t *g = malloc(h->n * sizeof *g);
    size_t n_jdiv = 0, n_dec = 0, n_zenga = 0, n_atk = 0, n_gei = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        const char *ind = cell[c.ind], *stat = cell[c.stat], *par = cell[c.par];
        if (strcmp(cell[c.des], "wr") != 0) continue;
        const int32_t *grp;
        socind_estimate e, dec[SOCIND_JDIVDEC_COUNT];
        int32_t st;
        if (strcmp(ind, "jdiv") == 0) {
            const socind_design *d = households_row(h, cell, &c, g, &grp);
            st = socind_jdiv(d, h->y, SOCIND_NONPOS_ERROR, grp, 1, &o, &e);
            n_jdiv++;
        } else if (strcmp(ind, "zenga") == 0) {
            const socind_design *d = households_row(h, cell, &c, g, &grp);
            st = socind_zenga(d, h->y, SOCIND_NONPOS_ERROR, grp, 1, &o, &e);
            n_zenga++;
        } else if (strcmp(ind, "atkinson") == 0) {
            const socind_design *d = households_row(h, cell, &c, g, &grp);
            const char *p = strstr(par, "epsilon=");
            st = socind_atkinson(d, h->y, atof(p + 8), SOCIND_NONPOS_ERROR, grp, 1, &o, &e);
            n_atk++;
        } else if (strcmp(ind, "gei") == 0) {
            const socind_design *d = households_row(h, cell, &c, g, &grp);
            const char *p = strstr(par, "epsilon=");
            st = socind_ge(d, h->y, atof(p + 8), SOCIND_NONPOS_ERROR, grp, 1, &o, &e);
            n_gei++;
        } else if (strcmp(ind, "jdivdec") == 0) {
            assert_string_equal(cell[c.sub], "all");
            int32_t G = partition(f, par, g);
            st = socind_jdiv_decomposition(h->wr, h->y, SOCIND_NONPOS_ERROR, g, G, &o, dec);
            e = dec[strcmp(stat, "total") == 0    ? SOCIND_JDIVDEC_TOTAL
                    : strcmp(stat, "within") == 0 ? SOCIND_JDIVDEC_WITHIN
                                                  : SOCIND_JDIVDEC_BETWEEN];
            n_dec++;
        } else {
            continue;
        }
        assert_int_equal(st, SOCIND_OK);
        check_row(r, cell, &c, &e);
    }
    free(g);
    printf("  matched %zu jdiv, %zu jdivdec, %zu zenga, %zu atkinson, %zu gei rows; worst "
           "relative error: estimate %.2g, SE %.2g\n",
           n_jdiv, n_dec, n_zenga, n_atk, n_gei, worst_est, worst_se);
    /* jdiv and zenga: all, urban 0/1, 40 sub-districts; jdivdec: 3 parts by
     * urban and by prov; atkinson ε = 0.25, 1.5, 3 and 1.5 by urban; gei
     * ε = −1, 0.5, 1.5, 3 and −1 by urban */
    assert_int_equal(n_jdiv, 43);
    assert_int_equal(n_zenga, 43);
    assert_int_equal(n_dec, 6);
    assert_int_equal(n_atk, 5);
    assert_int_equal(n_gei, 6);
}

/* The poverty set's two Zenga rows (its households, designs wr and fpc). */
static void test_poverty_set_zenga(void **state) {
    (void)state;
    void *st = NULL;
    assert_int_equal(households_setup(&st), 0);
    households *h = st;
    expected_cols c = households_columns(h->ex);
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    int checked = 0;
    for (size_t r = 0; r < h->ex->nrow; r++) {
        char *const *cell = h->ex->cell[r];
        if (strcmp(cell[c.ind], "zenga") != 0) continue;
        const socind_design *d = strcmp(cell[c.des], "fpc") == 0 ? h->fpc_design : h->wr;
        socind_estimate e;
        assert_int_equal(socind_zenga(d, h->y, SOCIND_NONPOS_ERROR, NULL, 0, &o, &e), SOCIND_OK);
        check_row(r, cell, &c, &e);
        checked++;
    }
    assert_int_equal(checked, 2);
    households_teardown(&st);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reference_rows, wave2_setup, wave2_teardown),
        cmocka_unit_test(test_poverty_set_zenga),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
