/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_calibrate.c — calibrated weights and calibrated designs
 * (socind/calibrate.h) against R survey 4.5 / convey 1.0.1
 * (tests/reference/wave2, section D): the calibrated weight of every
 * household for postStratify, rake and calibrate (linear, raking, logit),
 * and every cal_* row of expected.csv (mean, total, population, FGT0, mean
 * by urban), estimates and SEs to 1e-8 relative; the properties (targets
 * met, a calibration to the sample's own totals changes nothing) and every
 * documented refusal. */
#include "test_util.h"

#include "socind/socind.h"

enum { PS, RK, LIN, RAK, LOG, NMETH };
static const char *const meth_name[NMETH] = {"poststratify", "rake", "linear", "raking", "logit"};
static const int32_t meth_code[NMETH] = {SOCIND_CAL_POSTSTRATIFY, SOCIND_CAL_RAKE,
                                         SOCIND_CAL_LINEAR, SOCIND_CAL_RAKING, SOCIND_CAL_LOGIT};

typedef struct {
    test_csv *hh, *ex, *tg;
    size_t n;
    double *w, *y, *hhsize, *inv_hh;
    int64_t *stratum, *psu, *urban, *sizecl;
    int32_t *cells, *codes; /* cells: urban·3 + sizecl − 1; codes: urban, then sizecl − 1 */
    double cell_tot[6], urban_tot[2], size_tot[3];
    double intercept, cal_urban1, cal_size[2], cal_hh;
    socind_design *d;
} fixture;

static double target(const test_csv *t, const char *used, const char *var, const char *level) {
    int cu = test_csv_col(t, "used_by"), cv = test_csv_col(t, "variable"),
        cl = test_csv_col(t, "level"), ct = test_csv_col(t, "total");
    for (size_t r = 0; r < t->nrow; r++)
        if (!strcmp(t->cell[r][cu], used) && !strcmp(t->cell[r][cv], var) &&
            !strcmp(t->cell[r][cl], level))
            return test_num(t->cell[r][ct]);
    return NAN;
}

static int setup(void **state) {
    test_install_gsl_handler();
    fixture *f = calloc(1, sizeof *f);
    f->hh = test_csv_read(SOCIND_TEST_REFDIR "/wave2/households.csv");
    f->ex = test_csv_read(SOCIND_TEST_REFDIR "/wave2/expected.csv");
    f->tg = test_csv_read(SOCIND_TEST_REFDIR "/wave2/calibration_targets.csv");
    if (!f->hh || !f->ex || !f->tg) return -1;
    size_t n = f->n = f->hh->nrow;
    f->w = test_csv_doubles(f->hh, "w_person");
    f->y = test_csv_doubles(f->hh, "cons_pc");
    f->hhsize = test_csv_doubles(f->hh, "hhsize");
    f->stratum = test_csv_int64(f->hh, "stratum");
    f->psu = test_csv_int64(f->hh, "psu");
    f->urban = test_csv_int64(f->hh, "urban");
    f->sizecl = test_csv_int64(f->hh, "sizecl");
    f->cells = malloc(n * sizeof *f->cells);
    f->codes = malloc(2 * n * sizeof *f->codes);
    f->inv_hh = malloc(n * sizeof *f->inv_hh);
    for (size_t k = 0; k < n; k++) {
        f->cells[k] = (int32_t)(f->urban[k] * 3 + f->sizecl[k] - 1);
        f->codes[k] = (int32_t)f->urban[k];
        f->codes[n + k] = (int32_t)(f->sizecl[k] - 1);
        f->inv_hh[k] = 1.0 / f->hhsize[k];
    }
    char lv[32];
    for (int u = 0; u < 2; u++)
        for (int s = 1; s <= 3; s++) {
            snprintf(lv, sizeof lv, "%d:%d", u, s);
            f->cell_tot[u * 3 + s - 1] = target(f->tg, "postStratify", "urban:sizecl", lv);
        }
    f->urban_tot[0] = target(f->tg, "rake", "urban", "0");
    f->urban_tot[1] = target(f->tg, "rake", "urban", "1");
    for (int s = 0; s < 3; s++) {
        snprintf(lv, sizeof lv, "%d", s + 1);
        f->size_tot[s] = target(f->tg, "rake", "sizecl", lv);
    }
    f->intercept = target(f->tg, "calibrate", "(Intercept)", "");
    f->cal_urban1 = target(f->tg, "calibrate", "factor(urban)1", "");
    f->cal_size[0] = target(f->tg, "calibrate", "factor(sizecl)2", "");
    f->cal_size[1] = target(f->tg, "calibrate", "factor(sizecl)3", "");
    f->cal_hh = target(f->tg, "calibrate", "I(1/hhsize)", "");
    socind_design_options o;
    socind_design_options_init(&o);
    o.nest = 1;
    if (socind_design_new(n, f->w, f->stratum, f->psu, NULL, &o, &f->d)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    socind_design_free(f->d);
    free(f->w), free(f->y), free(f->hhsize), free(f->inv_hh);
    free(f->stratum), free(f->psu), free(f->urban), free(f->sizecl);
    free(f->cells), free(f->codes);
    test_csv_free(f->hh), test_csv_free(f->ex), test_csv_free(f->tg);
    free(f);
    return 0;
}

/* The section D call of method m; totals/levels in the caller's buffers. */
typedef struct {
    socind_calibration c;
    int32_t levels[2];
    double totals[6];
} spec;

static void make_spec(const fixture *f, int m, spec *s) {
    socind_calibration_init(&s->c);
    s->c.method = meth_code[m];
    if (m == PS) {
        s->c.n_margins = 1;
        s->levels[0] = 6;
        memcpy(s->totals, f->cell_tot, sizeof f->cell_tot);
        s->c.codes = f->cells;
    } else {
        s->c.n_margins = 2;
        s->levels[0] = 2;
        s->levels[1] = 3;
        s->c.codes = f->codes;
        if (m == RK) {
            memcpy(s->totals, f->urban_tot, sizeof f->urban_tot);
            memcpy(s->totals + 2, f->size_tot, sizeof f->size_tot);
        } else { /* model-matrix order: factor(urban)1, factor(sizecl)2, 3 */
            double t[5] = {NAN, f->cal_urban1, NAN, f->cal_size[0], f->cal_size[1]};
            memcpy(s->totals, t, sizeof t);
            s->c.intercept = 1;
            s->c.intercept_total = f->intercept;
            s->c.n_numeric = 1;
            s->c.x = f->inv_hh;
            s->c.x_totals = &f->cal_hh;
        }
    }
    s->c.levels = s->levels;
    s->c.margin_totals = s->totals;
    if (m == LOG) {
        s->c.lower = 0.5;
        s->c.upper = 2.0;
    }
}

static double *read_weights(int m, size_t n) {
    char path[256];
    snprintf(path, sizeof path, SOCIND_TEST_REFDIR "/wave2/weights_%s.csv", meth_name[m]);
    test_csv *t = test_csv_read(path);
    assert_non_null(t);
    assert_int_equal(t->nrow, n);
    double *w = test_csv_doubles(t, "w_cal");
    test_csv_free(t);
    return w;
}

/* The calibrated weight of every household: 1e-12 relative (README:
 * every method is converged to below 1e-12). */
static void test_weights(void **state) {
    fixture *f = *state;
    double *w = malloc(f->n * sizeof *w);
    for (int m = 0; m < NMETH; m++) {
        spec s;
        make_spec(f, m, &s);
        int32_t it = -1;
        assert_int_equal(socind_calibrate(f->d, &s.c, w, &it, NULL), SOCIND_OK);
        assert_true(it >= 1 && it <= 100);
        double *ref = read_weights(m, f->n), worst = 0;
        for (size_t k = 0; k < f->n; k++) worst = fmax(worst, fabs(w[k] / ref[k] - 1));
        print_message("%-13s %3d iterations, largest relative difference %.2e\n", meth_name[m],
                      (int)it, worst);
        assert_true(worst < 1e-12);
        free(ref);
    }
    free(w);
}

/* The targets are met: the calibrated totals of every auxiliary. */
static void test_targets_met(void **state) {
    fixture *f = *state;
    double *w = malloc(f->n * sizeof *w);
    for (int m = 0; m < NMETH; m++) {
        spec s;
        make_spec(f, m, &s);
        assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_OK);
        double cell[6] = {0}, urb[2] = {0}, siz[3] = {0}, N = 0, H = 0;
        for (size_t k = 0; k < f->n; k++) {
            cell[f->cells[k]] += w[k];
            urb[f->urban[k]] += w[k];
            siz[f->sizecl[k] - 1] += w[k];
            N += w[k];
            H += w[k] * f->inv_hh[k];
        }
        if (m == PS)
            for (int c = 0; c < 6; c++) assert_close(cell[c], f->cell_tot[c], 1e-12);
        if (m == RK) {
            for (int c = 0; c < 2; c++) assert_close(urb[c], f->urban_tot[c], 1e-12);
            for (int c = 0; c < 3; c++) assert_close(siz[c], f->size_tot[c], 1e-12);
        }
        if (m >= LIN) {
            assert_close(N, f->intercept, 1e-12);
            assert_close(urb[1], f->cal_urban1, 1e-12);
            assert_close(siz[1], f->cal_size[0], 1e-12);
            assert_close(siz[2], f->cal_size[1], 1e-12);
            assert_close(H, f->cal_hh, 1e-12);
        }
        if (m == LOG)
            for (size_t k = 0; k < f->n; k++) {
                assert_true(w[k] > 0.5 * f->w[k]);
                assert_true(w[k] < 2.0 * f->w[k]);
            }
    }
    free(w);
}

/* Calibrating to the sample's own totals leaves the weights as they are;
 * full margins (every level's total) give the weights of the model with an
 * intercept and a dropped level. */
static void test_own_totals(void **state) {
    fixture *f = *state;
    double *w = malloc(f->n * sizeof *w);
    for (int m = 0; m < NMETH; m++) {
        spec s;
        make_spec(f, m, &s);
        double cell[6] = {0}, urb[2] = {0}, siz[3] = {0}, N = 0, H = 0;
        for (size_t k = 0; k < f->n; k++) {
            cell[f->cells[k]] += f->w[k];
            urb[f->urban[k]] += f->w[k];
            siz[f->sizecl[k] - 1] += f->w[k];
            N += f->w[k];
            H += f->w[k] * f->inv_hh[k];
        }
        if (m == PS) memcpy(s.totals, cell, sizeof cell);
        if (m == RK) {
            memcpy(s.totals, urb, sizeof urb);
            memcpy(s.totals + 2, siz, sizeof siz);
        }
        if (m >= LIN) {
            double t[5] = {NAN, urb[1], NAN, siz[1], siz[2]};
            memcpy(s.totals, t, sizeof t);
            s.c.intercept_total = N;
            s.c.x_totals = &H;
        }
        assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_OK);
        for (size_t k = 0; k < f->n; k++) assert_close(w[k], f->w[k], 1e-12);
    }
    /* full margins under an intercept: level 0 dropped, same weights */
    double *w2 = malloc(f->n * sizeof *w2);
    for (int m = LIN; m < NMETH; m++) {
        spec s;
        make_spec(f, m, &s);
        assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_OK);
        s.totals[0] = f->intercept - f->cal_urban1;
        s.totals[2] = f->intercept - f->cal_size[0] - f->cal_size[1];
        assert_int_equal(socind_calibrate(f->d, &s.c, w2, NULL, NULL), SOCIND_OK);
        for (size_t k = 0; k < f->n; k++) assert_close(w2[k], w[k], 1e-11);
        /* and without the intercept: the first full margin stands for it */
        s.c.intercept = 0;
        assert_int_equal(socind_calibrate(f->d, &s.c, w2, NULL, NULL), SOCIND_OK);
        for (size_t k = 0; k < f->n; k++) assert_close(w2[k], w[k], 1e-11);
    }
    free(w2);
    free(w);
}

/* Every cal_* row of expected.csv: estimate and SE to 1e-8 relative
 * (an SE below 1e-12 of the estimate is a numerical zero), the normal CI
 * of the non-proportions. */
static void test_expected_rows(void **state) {
    fixture *f = *state;
    test_csv *t = f->ex;
    int ci = test_csv_col(t, "indicator"), cd = test_csv_col(t, "design"),
        cs = test_csv_col(t, "subgroup"), ce = test_csv_col(t, "estimate"),
        cse = test_csv_col(t, "se"), clo = test_csv_col(t, "ci_low"),
        chi = test_csv_col(t, "ci_high"), cdf = test_csv_col(t, "df");
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    o.prop_ci = SOCIND_PROP_CI_MEAN;
    double *ones = malloc(f->n * sizeof *ones);
    int32_t *g = malloc(f->n * sizeof *g);
    for (size_t k = 0; k < f->n; k++) ones[k] = 1.0, g[k] = (int32_t)f->urban[k];
    size_t checked = 0;
    double worst_est = 0, worst_se = 0;
    for (int m = 0; m < NMETH; m++) {
        spec s;
        make_spec(f, m, &s);
        socind_design *cd_ = NULL;
        assert_int_equal(socind_calibrate(f->d, &s.c, NULL, NULL, &cd_), SOCIND_OK);
        assert_int_equal(socind_design_calibrated(cd_), 1);
        assert_int_equal(socind_design_calibrated(f->d), 0);
        assert_int_equal(socind_design_npsu(cd_), socind_design_npsu(f->d));
        assert_true(socind_design_df(cd_) == socind_design_df(f->d));
        char want[32];
        snprintf(want, sizeof want, "cal_%s", meth_name[m]);
        for (size_t r = 0; r < t->nrow; r++) {
            char *const *cell = t->cell[r];
            if (strcmp(cell[cd], want) != 0) continue;
            const char *ind = cell[ci], *sub = cell[cs];
            socind_estimate e[2];
            int by = strcmp(sub, "all") != 0;
            int32_t st;
            if (!strcmp(ind, "mean"))
                st = socind_mean(cd_, f->y, by ? g : NULL, 2, &o, e);
            else if (!strcmp(ind, "total"))
                st = socind_total(cd_, f->y, NULL, 0, &o, e);
            else if (!strcmp(ind, "population"))
                st = socind_total(cd_, ones, NULL, 0, &o, e);
            else {
                assert_string_equal(ind, "fgt");
                socind_poverty_line L;
                socind_poverty_line_init(&L);
                L.type = SOCIND_LINE_ABSOLUTE;
                L.value = 520000;
                L.inclusive = 1;
                st = socind_fgt(cd_, f->y, &L, 0.0, NULL, 0, &o, e);
            }
            assert_int_equal(st, SOCIND_OK);
            const socind_estimate *x = by ? &e[!strcmp(sub, "urban=1")] : &e[0];
            double est = test_num(cell[ce]), se = test_num(cell[cse]);
            worst_est = fmax(worst_est, fabs(x->value - est) / fabs(est));
            if (se > 1e-12 * fabs(est)) worst_se = fmax(worst_se, fabs(x->se - se) / se);
            if (fabs(x->value - est) > 1e-8 * fabs(est) ||
                fabs(x->se - se) > fmax(1e-8 * se, 1e-12 * fabs(est))) {
                print_error("row %zu (%s %s %s): value %.17g (want %.17g), se %.17g (want "
                            "%.17g)\n",
                            r + 2, want, ind, sub, x->value, est, x->se, se);
                fail();
            }
            assert_int_equal(x->status, SOCIND_OK);
            assert_true(x->df == test_num(cell[cdf]));
            assert_close_abs(x->ci_low, test_num(cell[clo]), 1e-8, 1e-12 * fabs(est));
            assert_close_abs(x->ci_high, test_num(cell[chi]), 1e-8, 1e-12 * fabs(est));
            checked++;
        }
        socind_design_free(cd_);
    }
    print_message("%zu cal_* rows; worst relative error: estimate %.2e, se %.2e\n", checked,
                  worst_est, worst_se);
    assert_int_equal(checked, 30);
    free(ones), free(g);
}

/* The variance engine directly: socind_variance on a calibrated design
 * equals the residual formula recomputed here for post-stratification. */
static void test_variance_engine(void **state) {
    fixture *f = *state;
    spec s;
    make_spec(f, PS, &s);
    socind_design *c = NULL;
    double *w = malloc(f->n * sizeof *w), *u = malloc(f->n * sizeof *u),
           *e = malloc(f->n * sizeof *e);
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, &c), SOCIND_OK);
    double num[6] = {0}, den[6] = {0};
    for (size_t k = 0; k < f->n; k++) {
        u[k] = f->y[k] / 1e6;
        num[f->cells[k]] += f->w[k] * u[k];
        den[f->cells[k]] += f->w[k];
    }
    for (size_t k = 0; k < f->n; k++) e[k] = u[k] - num[f->cells[k]] / den[f->cells[k]];
    /* the residuals, put through the uncalibrated engine with the new
       weights: the same variance */
    socind_design *plain = NULL;
    socind_design_options o;
    socind_design_options_init(&o);
    o.nest = 1;
    assert_int_equal(socind_design_new(f->n, w, f->stratum, f->psu, NULL, &o, &plain), SOCIND_OK);
    double v1, v2;
    assert_int_equal(socind_variance(c, u, NULL, 0, &v1), SOCIND_OK);
    assert_int_equal(socind_variance(plain, e, NULL, 0, &v2), SOCIND_OK);
    assert_close(v1, v2, 1e-12);
    socind_design_free(plain);
    socind_design_free(c);
    free(w), free(u), free(e);
}

/* Every estimator reaches the calibrated variance: rank-based ones on the
 * raked design run and differ from the uncalibrated SE; the linear
 * design's negative weights are refused by rank-based estimators and
 * relative lines; threads give the one-thread figures (the calibrated
 * design runs on the calling thread); the nutrition table takes it, on one
 * thread and on several with the same figures (its figures against the
 * generic estimators: test_calibrate_prevalence.c). */
static void test_other_estimators(void **state) {
    fixture *f = *state;
    spec s;
    make_spec(f, RK, &s);
    socind_design *c = NULL, *lin = NULL;
    assert_int_equal(socind_calibrate(f->d, &s.c, NULL, NULL, &c), SOCIND_OK);
    make_spec(f, LIN, &s);
    assert_int_equal(socind_calibrate(f->d, &s.c, NULL, NULL, &lin), SOCIND_OK);
    socind_estimate a, b;
    assert_int_equal(socind_gini(c, f->y, NULL, 0, NULL, &a), SOCIND_OK);
    assert_int_equal(socind_gini(f->d, f->y, NULL, 0, NULL, &b), SOCIND_OK);
    assert_int_equal(a.status, SOCIND_OK);
    assert_true(a.se > 0 && a.se != b.se);
    assert_int_equal(socind_quantile(c, f->y, 0.5, NULL, 0, NULL, &a), SOCIND_OK);
    assert_int_equal(a.status, SOCIND_OK);
    assert_int_equal(socind_gini(lin, f->y, NULL, 0, NULL, &a), SOCIND_ERR_WEIGHT);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    assert_int_equal(socind_fgt(c, f->y, &L, 0.0, NULL, 0, NULL, &a), SOCIND_OK);
    assert_int_equal(a.status, SOCIND_OK);
    assert_int_equal(socind_fgt(lin, f->y, &L, 0.0, NULL, 0, NULL, &a), SOCIND_ERR_WEIGHT);
    socind_options o1, o2;
    socind_options_init(&o1);
    socind_options_init(&o2);
    o2.threads = 2;
    assert_int_equal(socind_mean(c, f->y, NULL, 0, &o1, &a), SOCIND_OK);
    assert_int_equal(socind_mean(c, f->y, NULL, 0, &o2, &b), SOCIND_OK);
    assert_true(a.value == b.value && a.se == b.se);
    /* the prevalence table takes it, on one thread and on several */
    socind_growth_input in;
    socind_growth_input_init(&in);
    double *ad = malloc(f->n * sizeof *ad), *wt = malloc(f->n * sizeof *wt);
    int32_t *sx = malloc(f->n * sizeof *sx);
    for (size_t k = 0; k < f->n; k++) ad[k] = 400, wt[k] = 10, sx[k] = 1 + (int32_t)(k % 2);
    in.sex = sx;
    in.age = ad;
    in.weight = wt;
    socind_prevalence_table *tab = NULL, *tab2 = NULL;
    assert_int_equal(socind_prevalence_who2006(c, &in, NULL, 0, &o1, &tab), SOCIND_OK);
    assert_int_equal(socind_prevalence_who2006(c, &in, NULL, 0, &o2, &tab2), SOCIND_OK);
    assert_int_equal(socind_prevalence_table_nrows(tab), socind_prevalence_table_nrows(tab2));
    for (size_t r = 0; r < socind_prevalence_table_nrows(tab); r++) {
        socind_prevalence_row r1, r2;
        socind_prevalence_row_init(&r1);
        socind_prevalence_row_init(&r2);
        socind_prevalence_table_row(tab, r, &r1);
        socind_prevalence_table_row(tab2, r, &r2);
        assert_int_equal(r1.est.status, r2.est.status);
        assert_true(r1.est.status || (r1.est.value == r2.est.value && r1.est.se == r2.est.se));
    }
    socind_prevalence_table_free(tab);
    socind_prevalence_table_free(tab2);
    free(ad), free(wt), free(sx);
    socind_design_free(c);
    socind_design_free(lin);
}

/* One path for every estimator: a post-stratification into one cell whose
 * total is the sample's own leaves the weights as they are, and the
 * residual u − ū differs from u only by ū = Σ w·u / Σ w, which is 0 for an
 * estimator invariant to a common scaling of the weights and small where
 * its linearization (a kernel density, a quantile's step) makes Σ w·u
 * only nearly 0. Every estimator below, overall and by urban, through the
 * calibrated design's variance (per-row units, dense vectors, whole-sample
 * bases, gathered rows) gives the uncalibrated estimate (1e-12) and SE
 * (within 1e-2: measured 1.5e-3 at most, for the share ratio, whose quantile
 * steps leave Σ w·u furthest from 0; a unit or PSU mapped wrongly, or a
 * whole-sample term lost, would be far off). */
static double worst_one_path;
static void compare_all(const socind_estimate *a, const socind_estimate *b, size_t m,
                        const char *what) {
    for (size_t i = 0; i < m; i++) {
        if (a[i].status != SOCIND_OK && b[i].status == a[i].status) continue;
        double rel = fabs(a[i].se - b[i].se) / b[i].se;
        if (rel > worst_one_path) worst_one_path = rel;
        if (a[i].status != b[i].status ||
            fabs(a[i].value - b[i].value) > 1e-12 * fabs(b[i].value) || !(rel <= 1e-2)) {
            print_error("%s[%zu]: value %.17g / %.17g, se %.17g / %.17g, status %d / %d\n", what, i,
                        a[i].value, b[i].value, a[i].se, b[i].se, (int)a[i].status,
                        (int)b[i].status);
            fail();
        }
    }
}

static void must_ok(int32_t st, const char *what, int calibrated) {
    if (st != SOCIND_OK) {
        print_error("%s (%s design): status %d: %s\n", what,
                    calibrated ? "calibrated" : "uncalibrated", (int)st,
                    socind_last_error_detail());
        fail();
    }
}

/* The design poststratified to one cell of total N (every code in one 0):
 * its weights are the design's, so its figures must be too. */
static socind_design *one_cell(socind_design *d, int32_t *one, int32_t *lv, double *N) {
    socind_calibration cal;
    socind_calibration_init(&cal);
    cal.method = SOCIND_CAL_POSTSTRATIFY;
    cal.n_margins = 1;
    cal.codes = one;
    cal.levels = lv;
    cal.margin_totals = N;
    socind_design *c = NULL;
    assert_int_equal(socind_calibrate(d, &cal, NULL, NULL, &c), SOCIND_OK);
    return c;
}

/* svyciprop by domain on a calibrated design: survey's subset gives the
 * rows outside the domain weight 0, and degf() counts the domain's PSUs
 * and strata only, as on the design before calibration (the reference
 * households by urban: not the whole design's 231). It gave 231. */
static void test_proportion_domain_df_calibrated(void **state) {
    fixture *f = *state;
    const size_t n = f->n;
    int32_t *one = calloc(n, sizeof *one), *g = malloc(n * sizeof *g);
    double *x = malloc(n * sizeof *x), N = 0;
    assert_non_null(one), assert_non_null(g), assert_non_null(x);
    for (size_t k = 0; k < n; k++)
        N += f->w[k], g[k] = (int32_t)f->urban[k], x[k] = f->y[k] <= 520000 ? 1.0 : 0.0;
    int32_t lv = 1;
    socind_design *c = one_cell(f->d, one, &lv, &N);
    socind_options o;
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_BETA;
    socind_estimate a[2], b[2];
    assert_int_equal(socind_proportion(c, x, g, 2, &o, a), SOCIND_OK);
    assert_int_equal(socind_proportion(f->d, x, g, 2, &o, b), SOCIND_OK);
    for (int j = 0; j < 2; j++) {
        assert_true(b[j].df < socind_design_df(f->d));
        assert_close(a[j].df, b[j].df, 0);
        assert_close(a[j].ci_low, b[j].ci_low, 1e-10);
        assert_close(a[j].ci_high, b[j].ci_high, 1e-10);
    }
    socind_design_free(c);
    free(one), free(g), free(x);
}

static void test_every_estimator_one_path(void **state) {
    fixture *f = *state;
    const size_t n = f->n;
    int32_t *one = calloc(n, sizeof *one), *g = malloc(n * sizeof *g);
    double N = 0;
    for (size_t k = 0; k < n; k++) N += f->w[k], g[k] = (int32_t)f->urban[k];
    int32_t lv = 1;
    socind_design *d = f->d, *c = one_cell(d, one, &lv, &N);
    double *age = malloc(n * sizeof *age);
    int32_t *sex = malloc(n * sizeof *sex);
    for (size_t k = 0; k < n; k++)
        age[k] = (double)(20 + (k * 7) % 60), sex[k] = 1 + (int32_t)(k % 2);
    socind_poverty_line abs_, relq, relm;
    socind_poverty_line_init(&abs_);
    abs_.value = 520000;
    abs_.inclusive = 1;
    socind_poverty_line_init(&relq);
    relq.type = SOCIND_LINE_RELATIVE_QUANTILE;
    relq.value = 0.6;
    socind_poverty_line_init(&relm);
    relm.type = SOCIND_LINE_RELATIVE_MEAN;
    relm.value = 0.5;
    const socind_poverty_line *lines[3] = {&abs_, &relq, &relm};
    socind_estimate a[16], b[16];
    const double *y = f->y;
    size_t checked = 0;
#define BOTH(M, what, call)                                                                        \
    do {                                                                                           \
        const socind_design *D_ = c;                                                               \
        socind_estimate *o_ = a;                                                                   \
        must_ok((call), what, D_ == c);                                                            \
        D_ = d;                                                                                    \
        o_ = b;                                                                                    \
        must_ok((call), what, D_ == c);                                                            \
        compare_all(a, b, (M), what);                                                              \
        checked += (M);                                                                            \
    } while (0)
    for (int by = 0; by < 2; by++) {
        const int32_t *G = by ? g : NULL;
        const size_t K = by ? 2 : 1;
        BOTH(K, "mean", socind_mean(D_, y, G, 2, NULL, o_));
        BOTH(K, "ratio", socind_ratio(D_, y, f->hhsize, G, 2, NULL, o_));
        BOTH(K, "gini", socind_gini(D_, y, G, 2, NULL, o_));
        BOTH(K, "ge", socind_ge(D_, y, 2.0, SOCIND_NONPOS_ERROR, G, 2, NULL, o_));
        BOTH(K, "atkinson", socind_atkinson(D_, y, 1.5, SOCIND_NONPOS_ERROR, G, 2, NULL, o_));
        BOTH(K, "quantile", socind_quantile(D_, y, 0.5, G, 2, NULL, o_));
        BOTH(K, "share_ratio", socind_share_ratio(D_, y, 0.2, 0.8, G, 2, NULL, o_));
        BOTH(K, "lorenz", socind_lorenz(D_, y, 0.4, G, 2, NULL, o_));
        BOTH(K, "jdiv", socind_jdiv(D_, y, SOCIND_NONPOS_ERROR, G, 2, NULL, o_));
        BOTH(K, "zenga", socind_zenga(D_, y, SOCIND_NONPOS_ERROR, G, 2, NULL, o_));
        BOTH(K, "quantile_linearized", socind_quantile_linearized(D_, y, 0.25, G, 2, NULL, o_));
        BOTH(K, "rmir", socind_median_income_ratio(D_, y, age, 65, G, 2, NULL, o_));
        BOTH(K, "gpg", socind_gender_pay_gap(D_, y, sex, G, 2, NULL, o_));
        BOTH(K, "poor_median", socind_poor_median(D_, y, 0.6, 0.5, G, 2, NULL, o_));
        BOTH(K, "rmpg", socind_relative_median_gap(D_, y, 0.6, 0.5, G, 2, NULL, o_));
        for (int l = 0; l < 3; l++) {
            const socind_poverty_line *L = lines[l];
            BOTH(K, "fgt0", socind_fgt(D_, y, L, 0.0, G, 2, NULL, o_));
            BOTH(K, "fgt2", socind_fgt(D_, y, L, 2.0, G, 2, NULL, o_));
            BOTH(K, "watts", socind_watts(D_, y, L, SOCIND_NONPOS_ERROR, G, 2, NULL, o_));
            BOTH(K, "shortfall", socind_mean_shortfall(D_, y, L, G, 2, NULL, o_));
            if (l == 0) {
                BOTH(K, "sen", socind_sen(D_, y, L, G, 2, NULL, o_));
                BOTH(K, "sst", socind_sst(D_, y, L, G, 2, NULL, o_));
            }
            BOTH(K, "richness", socind_richness(D_, y, L, SOCIND_RICH_CHA, 1.0, G, 2, NULL, o_));
            BOTH(K * SOCIND_FGTDEC_COUNT, "fgtdec",
                 socind_fgt_decomposition(D_, y, L, 2.0, G, 2, NULL, o_));
        }
    }
    BOTH(SOCIND_GEDEC_COUNT, "gedec",
         socind_ge_decomposition(D_, y, 1.0, SOCIND_NONPOS_ERROR, g, 2, NULL, o_));
    BOTH(SOCIND_JDIVDEC_COUNT, "jdivdec",
         socind_jdiv_decomposition(D_, y, SOCIND_NONPOS_ERROR, g, 2, NULL, o_));
#undef BOTH
    print_message("%zu estimates: the one-cell calibration's SEs are the design's within %.2e\n",
                  checked, worst_one_path);
    socind_design_free(c);
    free(one), free(g), free(age), free(sex);
}

/* Every refusal of the header, with its status. */
static void test_refusals(void **state) {
    fixture *f = *state;
    const size_t n = f->n;
    double *w = malloc(n * sizeof *w);
    spec s;
    socind_design *c = (socind_design *)1;
    assert_int_equal(socind_calibration_init(NULL), SOCIND_ERR_NULL);
    make_spec(f, PS, &s);
    assert_int_equal(socind_calibrate(NULL, &s.c, w, NULL, &c), SOCIND_ERR_NULL);
    assert_null(c);
    assert_int_equal(socind_calibrate(f->d, NULL, w, NULL, NULL), SOCIND_ERR_NULL);
    assert_true(isnan(w[0]));
    s.c.size = 3;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_OPTIONS);
    make_spec(f, PS, &s);
    s.c.method = 9;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_ARG);
    make_spec(f, PS, &s);
    s.c.n_margins = 2;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_ARG);
    make_spec(f, PS, &s);
    s.c.codes = NULL;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_NULL);
    /* negative and NaN totals */
    make_spec(f, PS, &s);
    s.totals[2] = -5;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "level 2"));
    make_spec(f, RK, &s);
    s.totals[1] = NAN;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    /* a category with no sampled row */
    make_spec(f, PS, &s);
    s.levels[0] = 7;
    double t7[7];
    memcpy(t7, f->cell_tot, sizeof f->cell_tot);
    t7[6] = 1000;
    s.c.margin_totals = t7;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "no sampled row"));
    /* a code outside the levels names its row */
    make_spec(f, PS, &s);
    s.levels[0] = 5;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_CODE);
    /* margins that disagree: rake, and a full margin against the intercept */
    make_spec(f, RK, &s);
    s.totals[4] += 1000;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "disagree"));
    make_spec(f, LIN, &s);
    s.totals[0] = f->intercept - f->cal_urban1 + 1000;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "intercept"));
    /* a singular X'WX: the numeric column twice */
    make_spec(f, LIN, &s);
    double *x2 = malloc(2 * n * sizeof *x2), xt[2] = {f->cal_hh, f->cal_hh};
    memcpy(x2, f->inv_hh, n * sizeof *x2);
    memcpy(x2 + n, f->inv_hh, n * sizeof *x2);
    s.c.n_numeric = 2;
    s.c.x = x2;
    s.c.x_totals = xt;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "singular"));
    /* a zero column */
    memset(x2, 0, n * sizeof *x2);
    s.c.n_numeric = 1;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "zero on every"));
    /* a NaN x names its row */
    memcpy(x2, f->inv_hh, n * sizeof *x2);
    x2[17] = NAN;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 17);
    free(x2);
    /* bounds: logit needs them, the others take none */
    make_spec(f, LOG, &s);
    s.c.lower = 1.2;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_ARG);
    make_spec(f, LIN, &s);
    s.c.upper = 3;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, NULL, NULL), SOCIND_ERR_ARG);
    /* not converged: the iterations are said, the last weights returned */
    make_spec(f, LOG, &s);
    s.c.max_iter = 1;
    int32_t it = 0;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, &it, &c), SOCIND_ERR_CONVERGENCE);
    assert_int_equal(it, 1);
    assert_null(c);
    assert_true(isfinite(w[0]));
    assert_non_null(strstr(socind_last_error_detail(), "after 1 iteration"));
    make_spec(f, RK, &s);
    s.c.max_iter = 1;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, &it, NULL), SOCIND_ERR_CONVERGENCE);
    /* bounds that cannot hold the targets */
    make_spec(f, LOG, &s);
    s.c.lower = 0.99;
    s.c.upper = 1.01;
    assert_int_equal(socind_calibrate(f->d, &s.c, w, &it, NULL), SOCIND_ERR_CONVERGENCE);
    /* a calibrated design is not calibrated again, nor restricted */
    make_spec(f, PS, &s);
    socind_design *cd = NULL;
    assert_int_equal(socind_calibrate(f->d, &s.c, NULL, NULL, &cd), SOCIND_OK);
    assert_int_equal(socind_calibrate(cd, &s.c, w, NULL, NULL), SOCIND_ERR_ARG);
    socind_design_free(cd);
    free(w);
}

/* Targets that leave every calibrated weight 0: a population size of 0
 * (the intercept's total, or every level of a full margin), and under
 * raking or logit (g > 0) a zero total for a column positive on every row.
 * The iteration called them met (its misfit is taken against
 * max(|total|, 1)) and returned weights of rounding's size, whose ratios
 * gave a proportion of 1/3 on 5 rows with a weight sum of 1e-15. A zero
 * total for a column that is 0 on some rows leaves those rows' weights (the
 * limit survey reaches): still accepted. */
static void test_targets_leaving_no_weight(void **state) {
    (void)state;
    enum { N = 5 };
    const double w0[N] = {1, 1, 2, 1, 1}, x[N] = {2, 3, 1, 5, 2}, poor[N] = {1, 1, 0, 0, 0};
    const int32_t u[N] = {0, 1, 0, 1, 1};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w0, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    double w[N];
    socind_calibration c;
    /* linear, the intercept alone with a total of 0 */
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_LINEAR;
    c.intercept = 1, c.intercept_total = 0.0;
    socind_design *cd = (socind_design *)1;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, &cd), SOCIND_ERR_TARGETS);
    assert_null(cd);
    assert_non_null(strstr(socind_last_error_detail(), "population size) is 0"));
    /* raking, a numeric column > 0 on every row with a total of 0 */
    const double x0 = 0.0;
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_RAKING;
    c.n_numeric = 1, c.x = x, c.x_totals = &x0;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "numeric column 0"));
    c.method = SOCIND_CAL_LOGIT, c.lower = 0.0, c.upper = 3.0;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    /* linear, a full margin whose levels are all 0 */
    const int32_t lv = 2;
    const double zero2[2] = {0.0, 0.0};
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_LINEAR;
    c.n_margins = 1, c.codes = u, c.levels = &lv, c.margin_totals = zero2;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "every level's total is 0"));
    /* raking, one level's total 0 beside a population of 10: that level's
       rows go to 0, the others carry the 10 (rows 0 and 2: 10/3 and 20/3),
       and the proportion is theirs, 1/3 */
    const double half[2] = {NAN, 0.0};
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_RAKING;
    c.n_margins = 1, c.codes = u, c.levels = &lv, c.margin_totals = half;
    c.intercept = 1, c.intercept_total = 10.0;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, &cd), SOCIND_OK);
    assert_true(fabs(w[0] - 10.0 / 3.0) <= 1e-9 && fabs(w[2] - 20.0 / 3.0) <= 1e-9);
    assert_true(w[1] <= 1e-9 && w[3] <= 1e-9 && w[4] <= 1e-9);
    socind_estimate e;
    assert_int_equal(socind_proportion(cd, poor, NULL, 0, NULL, &e), SOCIND_OK);
    assert_true(fabs(e.value - 1.0 / 3.0) <= 1e-9);
    socind_design_free(cd);
    socind_design_free(d);
}

/* Totals below the normal doubles, and normal totals whose weights all fall
 * below them: the weights lose their digits or round to 0 (a population of
 * 1e−320 gave every weight 0 with status OK). A tiny total whose weights
 * stay normal is calibrated as any other. */
static void test_targets_below_the_doubles(void **state) {
    (void)state;
    enum { N = 5 };
    const double w0[N] = {1, 1, 2, 1, 1};
    const int32_t u[N] = {0, 1, 0, 1, 1}, lv = 2;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w0, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    double w[N];
    socind_calibration c;
    socind_design *cd = (socind_design *)1;
    /* linear, a subnormal population size */
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_LINEAR;
    c.intercept = 1, c.intercept_total = 1e-320;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, &cd), SOCIND_ERR_TARGETS);
    assert_null(cd);
    assert_non_null(strstr(socind_last_error_detail(), "below the normal doubles"));
    for (int k = 0; k < N; k++) assert_true(isnan(w[k]));
    /* post-stratification, one cell's total subnormal */
    const double cells[2] = {3.0, 5e-324};
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_POSTSTRATIFY;
    c.n_margins = 1, c.codes = u, c.levels = &lv, c.margin_totals = cells;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    /* a numeric column's total */
    const double x[N] = {2, 3, 1, 5, 2}, xt = -4e-310;
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_LINEAR;
    c.n_numeric = 1, c.x = x, c.x_totals = &xt;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    /* a normal population size (3e−308) shared by five rows: linear's
       g = 1 + η cannot come within rounding of 0 (it ended at weights of
       1.1e−16, status OK: the misfit was taken against 1); raking's Newton
       steps end short of it */
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_LINEAR;
    c.intercept = 1, c.intercept_total = 3e-308;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "relative misfit"));
    c.method = SOCIND_CAL_RAKING;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_CONVERGENCE);
    /* a population of 1e−9 over weights summing to 6: linear's weights were
       1e−7 off their total with status OK; raking meets it */
    c.intercept_total = 1e-9;
    c.method = SOCIND_CAL_LINEAR;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    c.method = SOCIND_CAL_RAKING;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_OK);
    for (int k = 0; k < N; k++)
        assert_true(fabs(w[k] - 1e-9 * w0[k] / 6.0) <= 1e-12 * (1e-9 * w0[k] / 6.0));
    /* post-stratification to cells of 0: every weight 0 */
    const double none[2] = {0.0, 0.0};
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_POSTSTRATIFY;
    c.n_margins = 1, c.codes = u, c.levels = &lv, c.margin_totals = none;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_ERR_TARGETS);
    assert_non_null(strstr(socind_last_error_detail(), "every calibrated weight"));
    /* a population of 0.5 (below 1, within linear's reach): met to 1e−12 */
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_LINEAR;
    c.intercept = 1, c.intercept_total = 0.5;
    assert_int_equal(socind_calibrate(d, &c, w, NULL, NULL), SOCIND_OK);
    for (int k = 0; k < N; k++)
        assert_true(fabs(w[k] - 0.5 * w0[k] / 6.0) <= 1e-12 * (0.5 * w0[k] / 6.0));
    socind_design_free(d);
}

/* Linear calibration keeps negative weights: a domain whose first row has
 * one. The mean must be Σw*·y/Σw* (it took that row's value as the sums'
 * centre and then left the row out: 2.07 for −20.7), and its value and SE
 * those of the ratio of y to 1, which sums about no centre. */
static void test_mean_negative_first_weight(void **state) {
    (void)state;
    enum { N = 8 };
    const double w[N] = {1, 1, 1, 1, 1, 1, 1, 1}, x[N] = {10, 1, 2, 3, 10, 1, 2, 3};
    const double y[N] = {100, 1, 2, 3, 50, 4, 6, 8}, one[N] = {1, 1, 1, 1, 1, 1, 1, 1};
    const int64_t psu[N] = {1, 2, 3, 4, 5, 6, 7, 8};
    const int32_t g[N] = {0, 0, 0, 0, 1, 1, 1, 1};
    socind_design *d = NULL, *cd = NULL;
    assert_int_equal(socind_design_new(N, w, NULL, psu, NULL, NULL, &d), SOCIND_OK);
    socind_calibration c;
    socind_calibration_init(&c);
    const double xt = 0.0;
    c.n_numeric = 1, c.x = x, c.x_totals = &xt, c.intercept = 1, c.intercept_total = 8.0;
    double ws[N];
    assert_int_equal(socind_calibrate(d, &c, ws, NULL, &cd), SOCIND_OK);
    assert_true(ws[0] < 0.0 && ws[4] < 0.0);
    for (int grouped = 0; grouped < 2; grouped++) {
        socind_estimate m[2], r[2];
        const int32_t *gr = grouped ? g : NULL;
        const int32_t ng = grouped ? 2 : 0;
        assert_int_equal(socind_mean(cd, y, gr, ng, NULL, m), SOCIND_OK);
        assert_int_equal(socind_ratio(cd, y, one, gr, ng, NULL, r), SOCIND_OK);
        for (int j = 0; j < (grouped ? 2 : 1); j++) {
            double num = 0.0, den = 0.0;
            for (int k = 0; k < N; k++)
                if (!grouped || g[k] == j) num += ws[k] * y[k], den += ws[k];
            assert_int_equal(m[j].status, SOCIND_OK);
            assert_close(m[j].value, num / den, 1e-12);
            assert_close(m[j].value, r[j].value, 1e-12);
            assert_close(m[j].se, r[j].se, 1e-12);
        }
    }
    socind_design_free(cd);
    socind_design_free(d);
    /* a domain whose calibrated weights (−1 and +1) sum to 0: no mean, the
       data's (SOCIND_ERR_DATA), not a domain of zero weights, and the other
       domain's estimate stands */
    enum { M = 6 };
    const double w6[M] = {1, 1, 1, 1, 1, 1}, x6[M] = {-1, 1, -1, 1, 0, 0};
    const double y6[M] = {1, 2, 3, 4, 3, 5}, p6[M] = {1, 0, 1, 0, 0, 1};
    const int64_t psu6[M] = {1, 2, 3, 4, 5, 6};
    const int32_t g6[M] = {0, 1, 1, 1, 0, 1};
    assert_int_equal(socind_design_new(M, w6, NULL, psu6, NULL, NULL, &d), SOCIND_OK);
    const double xt6 = 8.0; /* g = 1 + 2x: weights −1, 3, −1, 3, 1, 1 */
    c.x = x6, c.x_totals = &xt6, c.intercept_total = 6.0;
    double ws6[M];
    assert_int_equal(socind_calibrate(d, &c, ws6, NULL, &cd), SOCIND_OK);
    assert_close(ws6[0] + ws6[4], 0.0, 1e-12);
    assert_true(ws6[0] < 0.0);
    for (int k = 0; k < 2; k++) {
        socind_estimate m[2];
        assert_int_equal((k ? socind_proportion : socind_mean)(cd, k ? p6 : y6, g6, 2, NULL, m),
                         SOCIND_OK);
        assert_int_equal(m[0].status, SOCIND_ERR_DATA);
        assert_int_equal(m[0].n, 2);
        assert_int_equal(m[1].status, SOCIND_OK);
    }
    socind_design_free(cd);
    socind_design_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_mean_negative_first_weight),
        cmocka_unit_test(test_targets_met),
        cmocka_unit_test(test_own_totals),
        cmocka_unit_test(test_expected_rows),
        cmocka_unit_test(test_variance_engine),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_other_estimators),
        cmocka_unit_test(test_every_estimator_one_path),
        cmocka_unit_test(test_proportion_domain_df_calibrated),
        cmocka_unit_test(test_targets_leaving_no_weight),
        cmocka_unit_test(test_targets_below_the_doubles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
