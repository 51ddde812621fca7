/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_nutrition_reference.c — the under-5 prevalence table against
 * WHO anthro (tests/reference/growth/prevalence_expected*.csv): the full
 * design (strata + clusters + weights, lonely PSU "adjust"), weights only,
 * and no design. Estimates, SEs and SDs to 1e-8 relative (absolute floor
 * 1e-12), counts exactly, CI limits to 1e-6 relative (anthro's glm stops
 * ~1e-7 short of the exact logit interval socind computes). */
#include "test_util.h"

#include <strings.h>

#include "test_anthro.h"

#include "socind/socind.h"

typedef struct {
    test_csv *in;
    size_t n;
    int32_t *sex, *measure, *oedema;
    double *age, *weight, *lenhei, *sw;
    int64_t *strata, *cluster;
} kids;

static int32_t code(const char *s, const char *a, const char *b, int32_t va, int32_t vb) {
    if (strcmp(s, a) == 0 || strcasecmp(s, a) == 0) return va;
    if (strcmp(s, b) == 0 || strcasecmp(s, b) == 0) return vb;
    return SOCIND_CODE_MISSING;
}

static int setup(void **state) {
    kids *k = calloc(1, sizeof *k);
    k->in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs.csv");
    if (!k->in) return -1;
    size_t n = k->n = k->in->nrow;
    k->sex = calloc(n, sizeof(int32_t)), k->measure = calloc(n, sizeof(int32_t));
    k->oedema = calloc(n, sizeof(int32_t));
    int cs = test_csv_col(k->in, "sex"), cm = test_csv_col(k->in, "measure"),
        co = test_csv_col(k->in, "oedema");
    for (size_t i = 0; i < n; i++) {
        k->sex[i] = code(k->in->cell[i][cs], "1", "2", 1, 2);
        k->measure[i] = code(k->in->cell[i][cm], "l", "h", 1, 2);
        k->oedema[i] = code(k->in->cell[i][co], "n", "y", 0, 1);
    }
    k->age = test_csv_doubles(k->in, "age_days");
    k->weight = test_csv_doubles(k->in, "weight");
    k->lenhei = test_csv_doubles(k->in, "lenhei");
    k->sw = test_csv_doubles(k->in, "sw");
    k->strata = test_csv_int64(k->in, "strata");
    k->cluster = test_csv_int64(k->in, "cluster");
    *state = k;
    return 0;
}

static int teardown(void **state) {
    kids *k = *state;
    free(k->sex), free(k->measure), free(k->oedema), free(k->age), free(k->weight);
    free(k->lenhei), free(k->sw), free(k->strata), free(k->cluster);
    test_csv_free(k->in);
    free(k);
    return 0;
}

/* the caller's domains of the reference: sorted levels of a text column */
typedef struct {
    const char *column, *prefix;
    const char *levels[6], *labels[6];
    int nlev;
} domain;

static const domain domains[4] = {
    {"typeres", "Area", {"Rural", "Urban"}, {"Rural", "Urban"}, 2},
    {"gregion",
     "Geographical region",
     {"Jawa", "Kalimantan", "Maluku", "Papua", "Sumatera"},
     {"Jawa", "Kalimantan", "Maluku", "Papua", "Sumatera"},
     5},
    {"wealthq",
     "Wealth quintile",
     {"1", "2", "3", "4", "5"},
     {"Q1: Poorest", "Q2", "Q3", "Q4", "Q5: Richest"},
     5},
    {"mothered",
     "Maternal education",
     {"None", "Primary", "Secondary or higher"},
     {"None", "Primary", "Secondary or higher"},
     3},
};

static const char *ind_name[6] = {"HA", "WA", "BMI", "WH", "HA_2_WH_2", "HA_2_WH2"};
static const char *cut_name[6] = {"< -3", "< -2", "< -1", "> +1", "> +2", "> +3"};

typedef struct {
    test_csv *ex;
    int cg, ci, ct, cc, cnw, cnu, ce, cse, clo, chi, csd;
    char *matched;
    size_t compared;
} expected;

static void expected_open(expected *x, const char *file) {
    x->ex = test_csv_read(file);
    assert_non_null(x->ex);
    test_csv *ex = x->ex;
    x->cg = test_csv_col(ex, "group"), x->ci = test_csv_col(ex, "indicator");
    x->ct = test_csv_col(ex, "stat_type"), x->cc = test_csv_col(ex, "cutoff");
    x->cnw = test_csv_col(ex, "n_weighted"), x->cnu = test_csv_col(ex, "n_unweighted");
    x->ce = test_csv_col(ex, "estimate"), x->cse = test_csv_col(ex, "se");
    x->clo = test_csv_col(ex, "ci_low"), x->chi = test_csv_col(ex, "ci_high");
    x->csd = test_csv_col(ex, "stdev");
    x->matched = calloc(ex->nrow, 1);
    x->compared = 0;
}

/* every expected row matched, except anthro's always-empty "…: NA" groups */
static void expected_close(expected *x, const char *file) {
    for (size_t r = 0; r < x->ex->nrow; r++)
        if (!x->matched[r] && !strstr(x->ex->cell[r][x->cg], ": NA")) {
            print_error("%s: expected row %zu (%s %s) not produced\n", file, r + 2,
                        x->ex->cell[r][x->cg], x->ex->cell[r][x->ci]);
            fail();
        }
    printf("  %s: %zu rows compared\n", strrchr(file, '/') + 1, x->compared);
    free(x->matched);
    test_csv_free(x->ex);
}

/* Compares the table's rows (domain rows only when dom is given). */
static void compare_table(expected *x, const socind_prevalence_table *t, const domain *dom,
                          double ci_rel) {
    test_csv *ex = x->ex;
    for (size_t r = 0; r < socind_prevalence_table_nrows(t); r++) {
        socind_prevalence_row row;
        socind_prevalence_row_init(&row);
        assert_int_equal(socind_prevalence_table_row(t, r, &row), SOCIND_OK);
        if (dom && row.group_kind != SOCIND_GROUP_DOMAIN) continue;
        char label[128];
        if (row.group_kind == SOCIND_GROUP_DOMAIN)
            snprintf(label, sizeof label, "%s: %s", dom->prefix, dom->labels[row.group_level]);
        else
            socind_prevalence_group_label(row.group_kind, row.group_level, label, sizeof label,
                                          NULL);
        const char *ind = ind_name[row.indicator];
        int is_mean = row.statistic == SOCIND_NUT_MEAN;
        size_t i;
        for (i = 0; i < ex->nrow; i++) {
            char *const *c = ex->cell[i];
            if (strcmp(c[x->cg], label) || strcmp(c[x->ci], ind)) continue;
            if (is_mean != (strcmp(c[x->ct], "zscore_mean") == 0)) continue;
            if (row.statistic < 6 && strcmp(c[x->cc], cut_name[row.statistic])) continue;
            break;
        }
        if (i == ex->nrow) {
            print_error("no expected row for %s %s stat %d\n", label, ind, (int)row.statistic);
            fail();
        }
        x->matched[i] = 1;
        char *const *c = ex->cell[i];
        double scale = is_mean ? 1.0 : 100.0;
        double want = test_num(c[x->ce]);
        if (isnan(want)) {
            assert_true(isnan(row.est.value));
        } else {
            assert_close_abs(row.est.value * scale, want, 1e-8, 1e-12);
            assert_close_abs(row.est.se * scale, test_num(c[x->cse]), 1e-8, 1e-12);
            assert_close_abs(row.est.ci_low * scale, test_num(c[x->clo]), ci_rel, 1e-9);
            assert_close_abs(row.est.ci_high * scale, test_num(c[x->chi]), ci_rel, 1e-9);
            if (is_mean) assert_close_abs(row.stdev, test_num(c[x->csd]), 1e-8, 1e-12);
        }
        if (strcmp(c[x->cnu], "NA") != 0) {
            assert_close_abs(row.pop_weighted, test_num(c[x->cnw]), 1e-12, 1e-9);
            assert_int_equal(row.pop_unweighted, (int64_t)test_num(c[x->cnu]));
        }
        x->compared++;
    }
}

static void compare(kids *k, const char *file, const double *sw, const int64_t *strata,
                    const int64_t *cluster, double ci_rel) {
    expected x;
    expected_open(&x, file);
    for (int dset = -1; dset < 4; dset++) {
        int32_t *g = NULL;
        if (dset >= 0) {
            g = malloc(k->n * sizeof *g);
            int col = test_csv_col(k->in, domains[dset].column);
            for (size_t i = 0; i < k->n; i++) {
                g[i] = -1;
                for (int l = 0; l < domains[dset].nlev; l++)
                    if (strcmp(k->in->cell[i][col], domains[dset].levels[l]) == 0) g[i] = l;
            }
        }
        socind_growth_input in;
        socind_growth_input_init(&in);
        in.sex = k->sex, in.age = k->age, in.weight = k->weight, in.lenhei = k->lenhei;
        in.measure = k->measure, in.oedema = k->oedema;
        socind_prevalence_table *t = NULL;
        socind_design *d = NULL;
        assert_int_equal(test_anthro_design(k->n, sw, strata, cluster, &d), SOCIND_OK);
        assert_int_equal(
            socind_prevalence_who2006(d, &in, g, dset >= 0 ? domains[dset].nlev : 0, NULL, &t),
            SOCIND_OK);
        compare_table(&x, t, dset >= 0 ? &domains[dset] : NULL, ci_rel);
        socind_prevalence_table_free(t);
        socind_design_free(d);
        free(g);
    }
    expected_close(&x, file);
}

/* 5–19 years against anthroplus */
static void compare_5to19(const char *file, int use_sw, int use_design, double ci_rel) {
    test_csv *in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs_5to19.csv");
    assert_non_null(in);
    size_t n = in->nrow;
    int32_t *sex = calloc(n, sizeof *sex), *oed = calloc(n, sizeof *oed);
    int cs = test_csv_col(in, "sex"), co = test_csv_col(in, "oedema");
    for (size_t i = 0; i < n; i++) {
        sex[i] = code(in->cell[i][cs], "1", "2", 1, 2);
        oed[i] = code(in->cell[i][co], "n", "y", 0, 1);
    }
    double *age = test_csv_doubles(in, "age_months"), *h = test_csv_doubles(in, "height"),
           *w = test_csv_doubles(in, "weight"), *sw = test_csv_doubles(in, "sw");
    int64_t *strata = test_csv_int64(in, "strata"), *cluster = test_csv_int64(in, "cluster");
    socind_prevalence_table *t = NULL;
    socind_design *d = NULL;
    assert_int_equal(test_anthro_design(n, use_sw ? sw : NULL, use_design ? strata : NULL,
                                        use_design ? cluster : NULL, &d),
                     SOCIND_OK);
    socind_growth2007_input gi;
    socind_growth2007_input_init(&gi);
    gi.sex = sex, gi.age_months = age, gi.height_cm = h, gi.weight_kg = w, gi.oedema = oed;
    assert_int_equal(socind_prevalence_who2007(d, &gi, NULL, 0, NULL, &t), SOCIND_OK);
    socind_design_free(d);
    assert_int_equal(socind_prevalence_table_nrows(t), 27 * 21);
    expected x;
    expected_open(&x, file);
    compare_table(&x, t, NULL, ci_rel);
    expected_close(&x, file);
    socind_prevalence_table_free(t);
    free(sex), free(oed), free(age), free(h), free(w), free(sw), free(strata), free(cluster);
    test_csv_free(in);
}

static void test_5to19_survey_design(void **state) {
    (void)state;
    compare_5to19(SOCIND_TEST_REFDIR "/growth/prevalence_5to19_expected.csv", 1, 1, 1e-6);
}
static void test_5to19_weights_only(void **state) {
    (void)state;
    compare_5to19(SOCIND_TEST_REFDIR "/growth/prevalence_5to19_expected_swonly.csv", 1, 0, 1e-6);
}
static void test_5to19_no_design(void **state) {
    (void)state;
    compare_5to19(SOCIND_TEST_REFDIR "/growth/prevalence_5to19_expected_nodesign.csv", 0, 0, 1e-8);
}

static void test_survey_design(void **state) {
    kids *k = *state;
    compare(k, SOCIND_TEST_REFDIR "/growth/prevalence_expected.csv", k->sw, k->strata, k->cluster,
            1e-6);
}
static void test_weights_only(void **state) {
    kids *k = *state;
    compare(k, SOCIND_TEST_REFDIR "/growth/prevalence_expected_swonly.csv", k->sw, NULL, NULL,
            1e-6);
}
static void test_no_design(void **state) {
    kids *k = *state;
    compare(k, SOCIND_TEST_REFDIR "/growth/prevalence_expected_nodesign.csv", NULL, NULL, NULL,
            1e-8);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey_design),      cmocka_unit_test(test_weights_only),
        cmocka_unit_test(test_no_design),          cmocka_unit_test(test_5to19_survey_design),
        cmocka_unit_test(test_5to19_weights_only), cmocka_unit_test(test_5to19_no_design),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
