/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_growth_reference.c — z-scores and flags against WHO's anthro
 * (tests/reference/growth/zscores_expected.csv, 2,072 children) and
 * anthroplus (zscores_5to19_expected.csv, 1,944 children): unrounded z to
 * 1e-9 absolute, rounded z and flags exactly. */
#include "test_util.h"

#include "socind/socind.h"

static int32_t code_sex(const char *s) {
    if (strcmp(s, "1") == 0) return 1;
    if (strcmp(s, "2") == 0) return 2;
    return SOCIND_CODE_MISSING;
}
static int32_t code_measure(const char *s) {
    if (strcmp(s, "l") == 0 || strcmp(s, "L") == 0) return SOCIND_MEASURE_LYING;
    if (strcmp(s, "h") == 0 || strcmp(s, "H") == 0) return SOCIND_MEASURE_STANDING;
    return SOCIND_CODE_MISSING;
}
static int32_t code_oedema(const char *s) {
    if (strcmp(s, "y") == 0 || strcmp(s, "Y") == 0 || strcmp(s, "1") == 0) return SOCIND_OEDEMA_YES;
    if (strcmp(s, "n") == 0 || strcmp(s, "N") == 0 || strcmp(s, "2") == 0) return SOCIND_OEDEMA_NO;
    return SOCIND_CODE_MISSING;
}

/* exact comparison of a rounded value (NA ↔ NaN; the files write −0 as 0) */
static void assert_same(double got, double want, const char *what, size_t row) {
    if (isnan(want) && isnan(got)) return;
    if (got == want) return;
    print_error("%s row %zu: got %.17g, expected %.17g\n", what, row, got, want);
    fail();
}
static void assert_flag(int32_t got, const char *want, const char *what, size_t row) {
    int32_t w = strcmp(want, "NA") == 0 ? -1 : atoi(want);
    if (got != w) {
        print_error("%s row %zu: got %d, expected %s\n", what, row, (int)got, want);
        fail();
    }
}

static void test_who2006(void **state) {
    (void)state;
    test_csv *in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs.csv");
    test_csv *ex = test_csv_read(SOCIND_TEST_REFDIR "/growth/zscores_expected.csv");
    assert_non_null(in);
    assert_non_null(ex);
    size_t n = in->nrow;
    assert_int_equal(n, ex->nrow);
    assert_int_equal(n, 2072);
    int32_t *sex = calloc(n, sizeof *sex), *measure = calloc(n, sizeof *measure),
            *oedema = calloc(n, sizeof *oedema);
    int c_sex = test_csv_col(in, "sex"), c_m = test_csv_col(in, "measure"),
        c_o = test_csv_col(in, "oedema");
    for (size_t k = 0; k < n; k++) {
        sex[k] = code_sex(in->cell[k][c_sex]);
        measure[k] = code_measure(in->cell[k][c_m]);
        oedema[k] = code_oedema(in->cell[k][c_o]);
    }
    double *age = test_csv_doubles(in, "age_days"), *weight = test_csv_doubles(in, "weight"),
           *lenhei = test_csv_doubles(in, "lenhei"), *headc = test_csv_doubles(in, "headc"),
           *armc = test_csv_doubles(in, "armc"), *triskin = test_csv_doubles(in, "triskin"),
           *subskin = test_csv_doubles(in, "subskin");
    socind_growth_input gi;
    socind_growth_input_init(&gi);
    gi.sex = sex;
    gi.age = age;
    gi.weight = weight;
    gi.lenhei = lenhei;
    gi.measure = measure;
    gi.oedema = oedema;
    gi.headc = headc;
    gi.armc = armc;
    gi.triskin = triskin;
    gi.subskin = subskin;

    static const char *names[8] = {"zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"};
    static const char *fnames[8] = {"flen", "fwei", "fwfl", "fbmi", "fhc", "fac", "fts", "fss"};
    double *zr[8], *zu[8];
    int32_t *fr[8], *fu[8];
    for (int i = 0; i < 8; i++) {
        zr[i] = calloc(n, sizeof(double));
        zu[i] = calloc(n, sizeof(double));
        fr[i] = calloc(n, sizeof(int32_t));
        fu[i] = calloc(n, sizeof(int32_t));
    }
    double *clenhei = calloc(n, sizeof(double)), *cbmi = calloc(n, sizeof(double));
    int32_t *cmeasure = calloc(n, sizeof(int32_t)), *c9 = calloc(n, sizeof(int32_t)),
            *reason = calloc(n, sizeof(int32_t));
    for (int pass = 0; pass < 2; pass++) {
        socind_growth_output go;
        socind_growth_output_init(&go);
        double **z = pass ? zu : zr;
        int32_t **f = pass ? fu : fr;
        go.zlen = z[0], go.zwei = z[1], go.zwfl = z[2], go.zbmi = z[3];
        go.zhc = z[4], go.zac = z[5], go.zts = z[6], go.zss = z[7];
        go.flen = f[0], go.fwei = f[1], go.fwfl = f[2], go.fbmi = f[3];
        go.fhc = f[4], go.fac = f[5], go.fts = f[6], go.fss = f[7];
        go.clenhei = clenhei, go.cbmi = cbmi, go.cmeasure = cmeasure, go.c9mo_flag = c9;
        go.reason = reason;
        assert_int_equal(
            socind_growth_who2006(n, &gi, pass ? SOCIND_ROUND_NONE : SOCIND_ROUND_WHO, &go),
            SOCIND_OK);
    }
    double maxdiff = 0;
    size_t compared = 0;
    for (int i = 0; i < 8; i++) {
        char un[64];
        snprintf(un, sizeof un, "%s_unrounded", names[i]);
        int cz = test_csv_col(ex, names[i]), cf = test_csv_col(ex, fnames[i]),
            cu = test_csv_col(ex, un);
        for (size_t k = 0; k < n; k++) {
            assert_same(zr[i][k], test_num(ex->cell[k][cz]), names[i], k + 1);
            assert_flag(fr[i][k], ex->cell[k][cf], fnames[i], k + 1);
            double want = test_num(ex->cell[k][cu]);
            if (isnan(want)) {
                assert_true(isnan(zu[i][k]));
            } else {
                double d = fabs(zu[i][k] - want);
                if (isinf(want)) d = zu[i][k] == want ? 0 : INFINITY;
                if (d > maxdiff) maxdiff = d;
                assert_close_abs(zu[i][k], want, 0, 1e-9);
                compared++;
            }
            /* unrounded flags are on the unrounded z */
            if (!isnan(zu[i][k])) assert_true(fu[i][k] == 0 || fu[i][k] == 1);
        }
    }
    printf("  2006: %zu unrounded z-scores compared, max |diff| = %.3g\n", compared, maxdiff);
    int c_cl = test_csv_col(ex, "clenhei"), c_cm = test_csv_col(ex, "cmeasure"),
        c_c9 = test_csv_col(ex, "c9mo_flag"), c_bmi = test_csv_col(ex, "cbmi");
    for (size_t k = 0; k < n; k++) {
        assert_close_abs(clenhei[k], test_num(ex->cell[k][c_cl]), 1e-15, 0);
        assert_close_abs(cbmi[k], test_num(ex->cell[k][c_bmi]), 1e-15, 0);
        const char *cm = ex->cell[k][c_cm];
        assert_int_equal(cmeasure[k], code_measure(cm));
        assert_int_equal(c9[k], atoi(ex->cell[k][c_c9]));
        assert_int_equal(!!(reason[k] & SOCIND_GROWTH_STANDING_UNDER_9MO), c9[k]);
        assert_int_equal(!!(reason[k] & SOCIND_GROWTH_SEX_MISSING), sex[k] == -1);
    }
    for (int i = 0; i < 8; i++) {
        free(zr[i]), free(zu[i]), free(fr[i]), free(fu[i]);
    }
    free(clenhei), free(cbmi), free(cmeasure), free(c9), free(reason);
    free(sex), free(measure), free(oedema), free(age), free(weight), free(lenhei);
    free(headc), free(armc), free(triskin), free(subskin);
    test_csv_free(in);
    test_csv_free(ex);
}

static void test_who2007(void **state) {
    (void)state;
    test_csv *in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs_5to19.csv");
    test_csv *ex = test_csv_read(SOCIND_TEST_REFDIR "/growth/zscores_5to19_expected.csv");
    assert_non_null(in);
    assert_non_null(ex);
    size_t n = in->nrow;
    assert_int_equal(n, ex->nrow);
    int32_t *sex = calloc(n, sizeof *sex), *oedema = calloc(n, sizeof *oedema);
    int c_sex = test_csv_col(in, "sex"), c_o = test_csv_col(in, "oedema");
    for (size_t k = 0; k < n; k++) {
        sex[k] = code_sex(in->cell[k][c_sex]);
        oedema[k] = code_oedema(in->cell[k][c_o]);
    }
    double *age = test_csv_doubles(in, "age_months"), *h = test_csv_doubles(in, "height"),
           *w = test_csv_doubles(in, "weight");
    double *z[3], *u[3], *bmi = calloc(n, sizeof(double));
    int32_t *f[3], *fu[3], *reason = calloc(n, sizeof(int32_t));
    for (int i = 0; i < 3; i++) {
        z[i] = calloc(n, sizeof(double));
        u[i] = calloc(n, sizeof(double));
        f[i] = calloc(n, sizeof(int32_t));
        fu[i] = calloc(n, sizeof(int32_t));
    }
    socind_growth2007_input gi;
    socind_growth2007_output go, gu;
    socind_growth2007_input_init(&gi);
    gi.sex = sex, gi.age_months = age, gi.height_cm = h, gi.weight_kg = w, gi.oedema = oedema;
    socind_growth2007_output_init(&go);
    go.cbmi = bmi, go.zhfa = z[0], go.zwfa = z[1], go.zbfa = z[2];
    go.fhfa = f[0], go.fwfa = f[1], go.fbfa = f[2], go.reason = reason;
    socind_growth2007_output_init(&gu);
    gu.zhfa = u[0], gu.zwfa = u[1], gu.zbfa = u[2], gu.fhfa = fu[0], gu.fwfa = fu[1];
    gu.fbfa = fu[2];
    assert_int_equal(socind_growth_who2007(n, &gi, SOCIND_ROUND_WHO, &go), SOCIND_OK);
    assert_int_equal(socind_growth_who2007(n, &gi, SOCIND_ROUND_NONE, &gu), SOCIND_OK);
    static const char *zn[3] = {"zhfa", "zwfa", "zbfa"}, *fn[3] = {"fhfa", "fwfa", "fbfa"};
    double maxdiff = 0;
    for (int i = 0; i < 3; i++) {
        char un[64];
        snprintf(un, sizeof un, "%s_unrounded", zn[i]);
        int cz = test_csv_col(ex, zn[i]), cf = test_csv_col(ex, fn[i]), cu = test_csv_col(ex, un);
        for (size_t k = 0; k < n; k++) {
            assert_same(z[i][k], test_num(ex->cell[k][cz]), zn[i], k + 1);
            assert_flag(f[i][k], ex->cell[k][cf], fn[i], k + 1);
            double want = test_num(ex->cell[k][cu]);
            if (isnan(want)) {
                assert_true(isnan(u[i][k]));
            } else if (isinf(want)) {
                assert_true(u[i][k] == want);
            } else {
                if (fabs(u[i][k] - want) > maxdiff) maxdiff = fabs(u[i][k] - want);
                assert_close_abs(u[i][k], want, 0, 1e-9);
            }
        }
    }
    printf("  2007: max |diff| of unrounded z = %.3g\n", maxdiff);
    int c_bmi = test_csv_col(ex, "cbmi");
    for (size_t k = 0; k < n; k++) assert_close_abs(bmi[k], test_num(ex->cell[k][c_bmi]), 1e-15, 0);
    for (int i = 0; i < 3; i++) free(z[i]), free(u[i]), free(f[i]), free(fu[i]);
    free(bmi), free(reason), free(sex), free(oedema), free(age), free(h), free(w);
    test_csv_free(in);
    test_csv_free(ex);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who2006),
        cmocka_unit_test(test_who2007),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
