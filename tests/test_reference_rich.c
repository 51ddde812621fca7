/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_reference_rich.c — richness measures and the gender pay gap
 * against R convey 1.0.1 and survey 4.5 (tests/reference/wave2/expected.csv,
 * section B): every "rich" row (Cha, FGTT1, FGTT2 at each g, thresholds
 * relq / relm / abs, overall, by urban and by sub-district) on the household
 * file, and every "gpg" row and the "mean" rows of the persons file
 * (design wr_persons; the earners domain earnings > 0 kept inside the whole
 * design, then by urban, province and sex), estimates, SEs and the normal
 * CIs of confint() to 1e-8 relative. */
#include "test_util.h"

#include "socind/socind.h"

typedef struct {
    test_csv *hh, *pp, *ex;
    size_t nh, np;
    double *hw, *hy, *pw, *pe;
    int64_t *hstratum, *hpsu, *hsub, *hurban;
    int64_t *pstratum, *ppsu, *purban, *pprov, *psex;
    socind_design *hd, *pd;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    f->hh = test_csv_read(SOCIND_TEST_REFDIR "/wave2/households.csv");
    f->pp = test_csv_read(SOCIND_TEST_REFDIR "/wave2/persons.csv");
    f->ex = test_csv_read(SOCIND_TEST_REFDIR "/wave2/expected.csv");
    if (!f->hh || !f->pp || !f->ex) return -1;
    f->nh = f->hh->nrow;
    f->np = f->pp->nrow;
    f->hw = test_csv_doubles(f->hh, "w_person");
    f->hy = test_csv_doubles(f->hh, "cons_pc");
    f->hstratum = test_csv_int64(f->hh, "stratum");
    f->hpsu = test_csv_int64(f->hh, "psu");
    f->hsub = test_csv_int64(f->hh, "subdistrict");
    f->hurban = test_csv_int64(f->hh, "urban");
    f->pw = test_csv_doubles(f->pp, "w_person");
    f->pe = test_csv_doubles(f->pp, "earnings");
    f->pstratum = test_csv_int64(f->pp, "stratum");
    f->ppsu = test_csv_int64(f->pp, "psu");
    f->purban = test_csv_int64(f->pp, "urban");
    f->pprov = test_csv_int64(f->pp, "prov");
    f->psex = test_csv_int64(f->pp, "sex");
    if (socind_design_new(f->nh, f->hw, f->hstratum, f->hpsu, NULL, NULL, &f->hd)) return -1;
    if (socind_design_new(f->np, f->pw, f->pstratum, f->ppsu, NULL, NULL, &f->pd)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    socind_design_free(f->hd);
    socind_design_free(f->pd);
    free(f->hw), free(f->hy), free(f->pw), free(f->pe);
    free(f->hstratum), free(f->hpsu), free(f->hsub), free(f->hurban);
    free(f->pstratum), free(f->ppsu), free(f->purban), free(f->pprov), free(f->psex);
    test_csv_free(f->hh), test_csv_free(f->pp), test_csv_free(f->ex);
    free(f);
    return 0;
}

/* The value of key= in "k1=v1;k2=v2" (NULL if absent), copied into buf. */
static const char *param(const char *par, const char *key, char *buf, size_t cap) {
    size_t kl = strlen(key);
    for (const char *p = par; p && *p;) {
        if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
            const char *v = p + kl + 1, *e = strchr(v, ';');
            size_t n = e ? (size_t)(e - v) : strlen(v);
            snprintf(buf, cap, "%.*s", (int)(n < cap - 1 ? n : cap - 1), v);
            return buf;
        }
        p = strchr(p, ';');
        if (p) p++;
    }
    return NULL;
}

static void check_row(size_t r, char *const *cell, int est_c, int se_c, int lo_c, int hi_c,
                      const socind_estimate *e, const char *what) {
    double est = test_num(cell[est_c]), se = test_num(cell[se_c]);
    /* SE/|estimate| < 1e-12 is a numerical zero (README "Tolerances") */
    double se_floor = fmax(1e-12 * fabs(est), 1e-300);
    if (fabs(e->value - est) > 1e-8 * fabs(est) ||
        fabs(e->se - se) > fmax(1e-8 * fabs(se), se_floor)) {
        print_error("row %zu (%s): value %.17g (want %.17g), se %.17g (want %.17g)\n", r + 2, what,
                    e->value, est, e->se, se);
        fail();
    }
    assert_int_equal(e->status, SOCIND_OK);
    assert_close_abs(e->ci_low, test_num(cell[lo_c]), 1e-8, 1e-12);
    assert_close_abs(e->ci_high, test_num(cell[hi_c]), 1e-8, 1e-12);
}

/* The worst relative errors seen (printed). */
static double worst_est, worst_se;
static void track(const socind_estimate *e, const char *est_s, const char *se_s) {
    double est = test_num(est_s), se = test_num(se_s);
    if (est != 0) worst_est = fmax(worst_est, fabs(e->value - est) / fabs(est));
    if (se != 0) worst_se = fmax(worst_se, fabs(e->se - se) / fabs(se));
}

static void test_rich_rows(void **state) {
    fixture *f = *state;
    test_csv *t = f->ex;
    int ci = test_csv_col(t, "indicator"), cp = test_csv_col(t, "parameters"),
        cd = test_csv_col(t, "design"), cs = test_csv_col(t, "subgroup"),
        ce = test_csv_col(t, "estimate"), cse = test_csv_col(t, "se"),
        clo = test_csv_col(t, "ci_low"), chi = test_csv_col(t, "ci_high");
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL; /* confint() */
    int32_t *g = malloc(f->nh * sizeof *g);
    size_t checked = 0, domains = 0;
    worst_est = worst_se = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        if (strcmp(cell[ci], "rich") != 0 || strcmp(cell[cd], "wr") != 0) continue;
        char b1[64], b2[64], b3[64], b4[64], b5[64], b6[64];
        const char *tm = param(cell[cp], "type_measure", b1, sizeof b1),
                   *gs = param(cell[cp], "g", b2, sizeof b2),
                   *tt = param(cell[cp], "type_thresh", b3, sizeof b3),
                   *pc = param(cell[cp], "percent", b4, sizeof b4),
                   *qs = param(cell[cp], "quantiles", b5, sizeof b5),
                   *ab = param(cell[cp], "abs_thresh", b6, sizeof b6);
        assert_non_null(tm);
        assert_non_null(gs);
        assert_non_null(tt);
        int32_t type = strcmp(tm, "Cha") == 0     ? SOCIND_RICH_CHA
                       : strcmp(tm, "FGTT1") == 0 ? SOCIND_RICH_FGTT1
                                                  : SOCIND_RICH_FGTT2;
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        if (strcmp(tt, "abs") == 0) {
            L.type = SOCIND_LINE_ABSOLUTE;
            L.value = atof(ab);
        } else if (strcmp(tt, "relq") == 0) {
            L.type = SOCIND_LINE_RELATIVE_QUANTILE;
            L.value = atof(pc);
            L.quantile = atof(qs);
        } else {
            L.type = SOCIND_LINE_RELATIVE_MEAN;
            L.value = atof(pc);
        }
        const char *sub = cell[cs];
        const int32_t *grp = NULL;
        if (strcmp(sub, "all") != 0) {
            const int64_t *var = strncmp(sub, "urban=", 6) == 0 ? f->hurban : f->hsub;
            assert_true(strncmp(sub, "urban=", 6) == 0 || strncmp(sub, "subdistrict=", 12) == 0);
            int64_t level = strtoll(strchr(sub, '=') + 1, NULL, 10);
            for (size_t k = 0; k < f->nh; k++) g[k] = var[k] == level ? 0 : -1;
            grp = g;
            domains++;
        }
        socind_estimate e;
        assert_int_equal(socind_richness(f->hd, f->hy, &L, type, atof(gs), grp, 1, &o, &e),
                         SOCIND_OK);
        char what[160];
        snprintf(what, sizeof what, "rich %s %s", cell[cp], sub);
        check_row(r, cell, ce, cse, clo, chi, &e, what);
        track(&e, cell[ce], cell[cse]);
        checked++;
    }
    free(g);
    printf(
        "  %zu rich rows matched (%zu in domains); worst relative error: estimate %.2g, se %.2g\n",
        checked, domains, worst_est, worst_se);
    assert_int_equal(checked, 62);
    assert_int_equal(domains, 42);
}

/* The persons' domains: the earners (earnings > 0) inside the whole design,
 * then "urban=", "prov=" or "sexf=" among them. */
static void test_gpg_and_mean_rows(void **state) {
    fixture *f = *state;
    test_csv *t = f->ex;
    int ci = test_csv_col(t, "indicator"), cd = test_csv_col(t, "design"),
        cs = test_csv_col(t, "subgroup"), ce = test_csv_col(t, "estimate"),
        cse = test_csv_col(t, "se"), clo = test_csv_col(t, "ci_low"),
        chi = test_csv_col(t, "ci_high");
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    int32_t *g = malloc(f->np * sizeof *g), *sex = malloc(f->np * sizeof *sex);
    for (size_t k = 0; k < f->np; k++) sex[k] = (int32_t)f->psex[k];
    size_t ngpg = 0, nmean = 0;
    worst_est = worst_se = 0;
    for (size_t r = 0; r < t->nrow; r++) {
        char *const *cell = t->cell[r];
        if (strcmp(cell[cd], "wr_persons") != 0) continue;
        int is_gpg = strcmp(cell[ci], "gpg") == 0;
        if (!is_gpg && strcmp(cell[ci], "mean") != 0) continue;
        const char *sub = cell[cs];
        assert_true(strncmp(sub, "earnings>0", 10) == 0);
        const char *dom = sub[10] == ';' ? sub + 11 : NULL;
        for (size_t k = 0; k < f->np; k++) {
            int in = f->pe[k] > 0;
            if (in && dom && strncmp(dom, "urban=", 6) == 0)
                in = f->purban[k] == strtoll(dom + 6, NULL, 10);
            else if (in && dom && strncmp(dom, "prov=", 5) == 0)
                in = f->pprov[k] == strtoll(dom + 5, NULL, 10);
            else if (in && dom && strcmp(dom, "sexf=female") == 0)
                in = f->psex[k] == 2;
            else if (in && dom && strcmp(dom, "sexf=male") == 0)
                in = f->psex[k] == 1;
            else if (in && dom)
                fail_msg("unknown subgroup %s", sub);
            g[k] = in ? 0 : -1;
        }
        socind_estimate e;
        if (is_gpg) {
            assert_int_equal(socind_gender_pay_gap(f->pd, f->pe, sex, g, 1, &o, &e), SOCIND_OK);
            ngpg++;
        } else {
            assert_int_equal(socind_mean(f->pd, f->pe, g, 1, &o, &e), SOCIND_OK);
            nmean++;
        }
        char what[160];
        snprintf(what, sizeof what, "%s %s", cell[ci], sub);
        check_row(r, cell, ce, cse, clo, chi, &e, what);
        track(&e, cell[ce], cell[cse]);
    }
    printf("  %zu gpg and %zu mean rows matched; worst relative error: estimate %.2g, se %.2g\n",
           ngpg, nmean, worst_est, worst_se);
    assert_int_equal(ngpg, 6);
    assert_int_equal(nmean, 3);
    /* the same earners' gap with non-earners given as NaN earnings instead
       of group −1: the same figures */
    double *en = malloc(f->np * sizeof *en);
    for (size_t k = 0; k < f->np; k++) en[k] = f->pe[k] > 0 ? f->pe[k] : NAN;
    socind_estimate a, b;
    for (size_t k = 0; k < f->np; k++) g[k] = f->pe[k] > 0 ? 0 : -1;
    assert_int_equal(socind_gender_pay_gap(f->pd, f->pe, sex, g, 1, &o, &a), SOCIND_OK);
    assert_int_equal(socind_gender_pay_gap(f->pd, en, sex, NULL, 0, &o, &b), SOCIND_OK);
    assert_close(b.value, a.value, 1e-14);
    assert_close(b.se, a.se, 1e-12);
    assert_int_equal(a.n, 3792);
    assert_int_equal(b.n, 3792);
    free(en);
    free(g);
    free(sex);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rich_rows),
        cmocka_unit_test(test_gpg_and_mean_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
