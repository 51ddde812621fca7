/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_nutrition_reference.c — the under-5 prevalence table against
 * WHO anthro (tests/reference/growth/prevalence_expected*.csv): the full
 * design (strata + clusters + weights, lonely PSU "adjust"), weights only,
 * and no design. Estimates, SEs and SDs to 1e-8 relative (absolute floor
 * 1e-12), counts exactly, CI limits to 1e-6 relative (anthro's glm stops
 * ~1e-7 short of the exact logit interval socind computes). */
#include "test_util.h"

#include <strings.h>

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

static void compare(kids *k, const char *file, const double *sw, const int64_t *strata,
                    const int64_t *cluster, double ci_rel) {
    test_csv *ex = test_csv_read(file);
    assert_non_null(ex);
    int cg = test_csv_col(ex, "group"), ci = test_csv_col(ex, "indicator"),
        ct = test_csv_col(ex, "stat_type"), cc = test_csv_col(ex, "cutoff"),
        cnw = test_csv_col(ex, "n_weighted"), cnu = test_csv_col(ex, "n_unweighted"),
        ce = test_csv_col(ex, "estimate"), cse = test_csv_col(ex, "se"),
        clo = test_csv_col(ex, "ci_low"), chi = test_csv_col(ex, "ci_high"),
        csd = test_csv_col(ex, "stdev");
    char *matched = calloc(ex->nrow, 1);
    size_t compared = 0;
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
        assert_int_equal(socind_prevalence_who2006(k->n, &in, sw, strata, cluster, g,
                                                   dset >= 0 ? domains[dset].nlev : 0, NULL, &t),
                         SOCIND_OK);
        for (size_t r = 0; r < socind_prevalence_table_nrows(t); r++) {
            socind_prevalence_row row;
            assert_int_equal(socind_prevalence_table_row(t, r, &row), SOCIND_OK);
            if (dset >= 0 && row.group_kind != SOCIND_GROUP_DOMAIN) continue;
            char label[128];
            if (row.group_kind == SOCIND_GROUP_DOMAIN)
                snprintf(label, sizeof label, "%s: %s", domains[dset].prefix,
                         domains[dset].labels[row.group_level]);
            else
                socind_prevalence_group_label(row.group_kind, row.group_level, label, sizeof label);
            const char *ind = ind_name[row.indicator];
            int is_mean = row.statistic == SOCIND_NUT_MEAN;
            size_t x;
            for (x = 0; x < ex->nrow; x++) {
                char *const *c = ex->cell[x];
                if (strcmp(c[cg], label) || strcmp(c[ci], ind)) continue;
                if (is_mean != (strcmp(c[ct], "zscore_mean") == 0)) continue;
                if (row.statistic < 6 && strcmp(c[cc], cut_name[row.statistic])) continue;
                break;
            }
            if (x == ex->nrow) {
                print_error("%s: no expected row for %s %s stat %d\n", file, label, ind,
                            (int)row.statistic);
                fail();
            }
            matched[x] = 1;
            char *const *c = ex->cell[x];
            double scale = is_mean ? 1.0 : 100.0;
            double want = test_num(c[ce]);
            if (isnan(want)) {
                assert_true(isnan(row.est.value));
            } else {
                assert_close_abs(row.est.value * scale, want, 1e-8, 1e-12);
                assert_close_abs(row.est.se * scale, test_num(c[cse]), 1e-8, 1e-12);
                assert_close_abs(row.est.ci_low * scale, test_num(c[clo]), ci_rel, 1e-9);
                assert_close_abs(row.est.ci_high * scale, test_num(c[chi]), ci_rel, 1e-9);
                if (is_mean) assert_close_abs(row.stdev, test_num(c[csd]), 1e-8, 1e-12);
            }
            if (strcmp(c[cnu], "NA") != 0) {
                assert_close_abs(row.pop_weighted, test_num(c[cnw]), 1e-12, 1e-9);
                assert_int_equal(row.pop_unweighted, (int64_t)test_num(c[cnu]));
            }
            compared++;
        }
        socind_prevalence_table_free(t);
        free(g);
    }
    /* every expected row except anthro's always-empty "…: NA" groups */
    for (size_t x = 0; x < ex->nrow; x++)
        if (!matched[x] && !strstr(ex->cell[x][cg], ": NA")) {
            print_error("%s: expected row %zu (%s %s) not produced\n", file, x + 2, ex->cell[x][cg],
                        ex->cell[x][ci]);
            fail();
        }
    printf("  %s: %zu rows compared\n", strrchr(file, '/') + 1, compared);
    free(matched);
    test_csv_free(ex);
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
        cmocka_unit_test(test_survey_design),
        cmocka_unit_test(test_weights_only),
        cmocka_unit_test(test_no_design),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
