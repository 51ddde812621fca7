/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_nutrition.c — the prevalence table's edge cases (an empty group,
 * a group where every child is stunted, one cluster in a stratum), the
 * data-quality summary on the reference children, bad inputs, the design over
 * the children a table keeps (socind__design_subset, internal.h), and what
 * the caller's design and options decide (the path, the intervals). */
#include "test_util.h"

#include "internal.h" /* socind__design_subset and struct socind_design */
#include "socind/socind.h"
#include "test_anthro.h"

/* eight children, two strata; stratum 2 has one cluster */
enum { N = 8 };
static const int32_t SEX[N] = {1, 2, 1, 2, 1, 2, 1, 2};
static const double AGE[N] = {400, 420, 800, 850, 1200, 1250, 300, 320};
static const double WT[N] = {7.0, 7.2, 10.0, 10.2, 13.5, 13.0, 7.5, 7.4};
static const double LH[N] = {66.0, 65.0, 76.0, 75.0, 86.0, 84.0, 63.0, 62.0}; /* all short */
static const int32_t MEAS[N] = {1, 1, 2, 2, 2, 2, 1, 1};
static const double SW[N] = {100, 110, 120, 130, 140, 150, 160, 170};
static const int64_t STR[N] = {1, 1, 1, 1, 1, 1, 2, 2};
static const int64_t CLU[N] = {1, 1, 2, 2, 3, 3, 1, 1};

static socind_growth_input input(void) {
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = SEX, in.age = AGE, in.weight = WT, in.lenhei = LH, in.measure = MEAS;
    return in;
}

/* anthro's design of the eight children (sw, strata, clusters or NULL) */
static socind_design *design8(const double *sw, const int64_t *strata, const int64_t *cluster) {
    socind_design *d = NULL;
    assert_int_equal(test_anthro_design(N, sw, strata, cluster, &d), SOCIND_OK);
    return d;
}

static const socind_prevalence_row *find(const socind_prevalence_table *t, int32_t kind,
                                         int32_t level, int32_t ind, int32_t stat,
                                         socind_prevalence_row *row) {
    socind_prevalence_row_init(row);
    for (size_t i = 0; i < socind_prevalence_table_nrows(t); i++) {
        socind_prevalence_table_row(t, i, row);
        if (row->group_kind == kind && row->group_level == level && row->indicator == ind &&
            row->statistic == stat)
            return row;
    }
    return NULL;
}

static void test_edge_cases(void **state) {
    (void)state;
    socind_growth_input in = input();
    const int32_t g[N] = {0, 0, 0, 0, 0, 0, 0, 0}; /* group 1 has no child */
    socind_prevalence_table *t = NULL;
    socind_design *d = design8(SW, STR, CLU);
    assert_int_equal(socind_prevalence_who2006(d, &in, g, 2, NULL, &t), SOCIND_OK);
    socind_design_free(d);
    socind_prevalence_row r;
    /* every child is stunted: 100 %, CI pinned to [1, 1] */
    assert_non_null(find(t, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_LT2, &r));
    assert_close(r.est.value, 1.0, 0);
    assert_close(r.est.ci_low, 1.0, 0);
    assert_close(r.est.ci_high, 1.0, 0);
    assert_int_equal(r.pop_unweighted, N);
    assert_close(r.pop_weighted, 1080.0, 1e-15);
    /* nobody above +3: 0 %, pinned to [0, 0] */
    assert_non_null(find(t, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_GT3, &r));
    assert_close(r.est.value, 0.0, 0);
    assert_true(r.est.ci_low == 0.0 && r.est.ci_high == 0.0);
    /* the lonely cluster of stratum 2 is handled ("adjust"): a finite SE */
    assert_non_null(find(t, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_MEAN, &r));
    assert_true(isfinite(r.est.se) && r.est.se > 0);
    assert_true(isfinite(r.stdev));
    assert_close(r.est.df, 2.0, 0); /* 4 clusters − 2 strata */
    /* the empty group: NaN, counts 0 */
    assert_non_null(find(t, SOCIND_GROUP_DOMAIN, 1, SOCIND_NUT_HA, SOCIND_NUT_LT2, &r));
    assert_true(isnan(r.est.value));
    assert_int_equal(r.est.status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_int_equal(r.pop_unweighted, 0);
    /* an age group without children (0–5 months) */
    assert_non_null(find(t, SOCIND_GROUP_AGE, 0, SOCIND_NUT_WA, SOCIND_NUT_LT2, &r));
    assert_true(isnan(r.est.value));
    /* 21 standard groups + 2 domain groups, 30 rows each */
    assert_int_equal(socind_prevalence_table_nrows(t), (21 + 2) * 30);
    char label[64];
    size_t need = 99;
    assert_int_equal(
        socind_prevalence_group_label(SOCIND_GROUP_AGE_SEX, 7, label, sizeof label, &need),
        SOCIND_OK);
    assert_string_equal(label, "Age + sex: 24-35 mo.Male");
    assert_int_equal(need, strlen(label) + 1);
    assert_int_equal(
        socind_prevalence_group_label(SOCIND_GROUP_AGE1, 14, label, sizeof label, NULL), SOCIND_OK);
    assert_string_equal(label, "Age Group 1: 228-228 mo");
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_SEX, 3, label, sizeof label, &need),
                     SOCIND_ERR_ARG);
    assert_int_equal(need, 0);
    assert_string_equal(label, "");
    /* All has level 0 only, as every other kind its own levels */
    const int32_t all_levels[3] = {-1, 1, INT32_MAX};
    for (int i = 0; i < 3; i++) {
        need = 99;
        assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_ALL, all_levels[i], label,
                                                       sizeof label, &need),
                         SOCIND_ERR_ARG);
        assert_int_equal(need, 0);
        assert_string_equal(label, "");
    }
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_ALL, 0, label, sizeof label, &need),
                     SOCIND_OK);
    assert_string_equal(label, "All");
    assert_int_equal(socind_prevalence_table_row(t, 100000, &r), SOCIND_ERR_ARG);
    socind_prevalence_table_free(t);
    socind_prevalence_table_free(NULL);
    assert_int_equal(socind_prevalence_table_nrows(NULL), 0);
}

/* A design of df 0 (every stratum one cluster): anthro pins a prevalence of
 * 0 to [0, 0] whatever the df, and socind one of 1 to [1, 1]; the other
 * prevalences and the means have no t interval (SOCIND_ERR_DF, anthro's NA).
 * The table from a partial state is the same. */
static void test_df0_pins(void **state) {
    (void)state;
    static const int64_t str[N] = {1, 1, 2, 2, 3, 3, 4, 4};
    socind_growth_input in = input();
    socind_design *d = design8(SW, str, str);
    assert_close(socind_design_df(d), 0.0, 0);
    socind_prevalence_table *t[2] = {NULL, NULL};
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t[0]), SOCIND_OK);
    socind_design_free(d);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_PREVALENCE_WHO2006;
    sp.has_strata = 1, sp.has_psu = 1, sp.lonely_psu = SOCIND_LONELY_ADJUST, sp.nest = 1;
    socind_state *s = NULL;
    assert_int_equal(socind_state_new(&sp, &s), SOCIND_OK);
    socind_chunk ch;
    socind_chunk_init(&ch);
    ch.n = N, ch.weight = SW, ch.strata = str, ch.psu = str;
    assert_int_equal(socind_state_add_growth(s, &ch, &in), SOCIND_OK);
    assert_int_equal(socind_state_finish_table(s, NULL, &t[1]), SOCIND_OK);
    socind_state_free(s);
    for (int k = 0; k < 2; k++) {
        socind_prevalence_row r;
        socind_prevalence_row_init(&r);
        size_t zero = 0, one = 0, inner = 0, means = 0;
        for (size_t i = 0; i < socind_prevalence_table_nrows(t[k]); i++) {
            socind_prevalence_table_row(t[k], i, &r);
            if (r.group_kind != SOCIND_GROUP_ALL || isnan(r.est.value)) continue;
            assert_close(r.est.df, 0.0, 0);
            if (r.statistic == SOCIND_NUT_MEAN) {
                assert_int_equal(r.est.status, SOCIND_ERR_DF);
                assert_true(isnan(r.est.ci_low) && isnan(r.est.ci_high));
                means++;
            } else if (r.est.value == 0.0 || r.est.value == 1.0) {
                assert_int_equal(r.est.status, SOCIND_OK);
                assert_true(r.est.ci_low == r.est.value && r.est.ci_high == r.est.value);
                zero += r.est.value == 0.0, one += r.est.value == 1.0;
            } else {
                assert_int_equal(r.est.status, SOCIND_ERR_DF);
                assert_true(isnan(r.est.ci_low) && isnan(r.est.ci_high));
                inner++;
            }
        }
        assert_true(zero > 0 && one > 0 && inner > 0 && means == 4);
    }
    socind_prevalence_table_free(t[0]), socind_prevalence_table_free(t[1]);
    /* an SE that cannot be made (policy "average" with every stratum
       lonely): a prevalence of 0 keeps [0, 0] (anthro pins r = 0 whatever
       its SE) and its status */
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_AVERAGE, dopt.nest = 1;
    socind_design *da = NULL;
    assert_int_equal(socind_design_new(N, SW, str, str, NULL, &dopt, &da), SOCIND_OK);
    socind_prevalence_table *ta = NULL;
    assert_int_equal(socind_prevalence_who2006(da, &in, NULL, 0, NULL, &ta), SOCIND_OK);
    socind_design_free(da);
    socind_prevalence_row r;
    assert_non_null(find(ta, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_GT3, &r));
    assert_true(r.est.value == 0.0 && isnan(r.est.se));
    assert_int_equal(r.est.status, SOCIND_ERR_LONELY_PSU);
    assert_true(r.est.ci_low == 0.0 && r.est.ci_high == 0.0);
    socind_prevalence_table_free(ta);
}

static void test_oedema_counts_as_severe(void **state) {
    (void)state;
    socind_growth_input in = input();
    int32_t oed[N] = {1, 0, 0, 0, 0, 0, 0, 0};
    in.oedema = oed;
    socind_prevalence_table *t = NULL;
    socind_design *d = design8(NULL, NULL, NULL);
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t), SOCIND_OK);
    socind_design_free(d);
    socind_prevalence_row r, m;
    find(t, SOCIND_GROUP_ALL, 0, SOCIND_NUT_WH, SOCIND_NUT_LT3, &r);
    find(t, SOCIND_GROUP_ALL, 0, SOCIND_NUT_WH, SOCIND_NUT_MEAN, &m);
    assert_int_equal(r.pop_unweighted, N); /* the oedema child counts */
    assert_true(r.est.value >= 1.0 / N);   /* … as below −3 */
    assert_int_equal(m.est.n, N - 1);      /* but not in the mean */
    assert_int_equal(m.pop_unweighted, N);
    socind_prevalence_table_free(t);
}

/* A child with a negative age is left out of every indicator (growth.h;
 * anthro refuses the file), oedema or not: it does not count as −3.1 where
 * a missing age would (its table equals the one with its oedema "no"). */
static void test_negative_age_oedema_not_counted(void **state) {
    (void)state;
    socind_growth_input in = input();
    double age[N];
    for (int k = 0; k < N; k++) age[k] = AGE[k];
    age[0] = -5.0;
    int32_t oed[N] = {1, 0, 0, 0, 0, 0, 0, 0}, no[N] = {0, 0, 0, 0, 0, 0, 0, 0};
    in.age = age;
    socind_design *d = design8(NULL, NULL, NULL);
    socind_prevalence_table *t = NULL, *t0 = NULL;
    in.oedema = oed;
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t), SOCIND_OK);
    in.oedema = no;
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t0), SOCIND_OK);
    socind_design_free(d);
    const int32_t inds[3] = {SOCIND_NUT_WA, SOCIND_NUT_WH, SOCIND_NUT_BMI};
    for (int i = 0; i < 3; i++) {
        socind_prevalence_row r, r0;
        assert_non_null(find(t, SOCIND_GROUP_ALL, 0, inds[i], SOCIND_NUT_LT3, &r));
        assert_non_null(find(t0, SOCIND_GROUP_ALL, 0, inds[i], SOCIND_NUT_LT3, &r0));
        assert_int_equal(r.est.n, r0.est.n);
        assert_int_equal(r.est.n, N - 1);
        assert_true(r.est.value == r0.est.value);
    }
    socind_prevalence_table_free(t);
    socind_prevalence_table_free(t0);
}

static void test_bad_inputs(void **state) {
    (void)state;
    socind_growth_input in = input();
    socind_design *d = design8(SW, STR, CLU);
    socind_prevalence_table *t = (socind_prevalence_table *)1;
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_who2006(NULL, &in, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_null(t);
    t = (socind_prevalence_table *)1;
    assert_int_equal(socind_prevalence_who2006(d, NULL, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_null(t);
    socind_growth_input nosex = in;
    nosex.sex = NULL;
    assert_int_equal(socind_prevalence_who2006(d, &nosex, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    socind_growth_input badsize = in;
    badsize.size = 3;
    assert_int_equal(socind_prevalence_who2006(d, &badsize, NULL, 0, NULL, &t), SOCIND_ERR_OPTIONS);
    const int32_t bad[N] = {0, 0, 3, 0, 0, 0, 0, 0};
    assert_int_equal(socind_prevalence_who2006(d, &in, bad, 2, NULL, &t), SOCIND_ERR_GROUP);
    assert_int_equal(socind_last_error_row(), 2);
    assert_int_equal(socind_prevalence_who2006(d, &in, bad, 0, NULL, &t), SOCIND_ERR_ARG);
    /* every child older than 1826 days */
    double old[N] = {1900, 1900, 1900, 1900, 1900, 1900, 1900, 1900};
    socind_growth_input o = in;
    o.age = old;
    assert_int_equal(socind_prevalence_who2006(d, &o, NULL, 0, NULL, &t), SOCIND_ERR_EMPTY);
    assert_null(t);
    socind_design_free(d);
    /* a design takes no missing weight: the caller sets it to 0, as anthro */
    double sw[N];
    memcpy(sw, SW, sizeof sw);
    sw[0] = NAN;
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_ADJUST;
    dopt.nest = 1;
    assert_int_equal(socind_design_new(N, sw, STR, CLU, NULL, &dopt, &d), SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_last_error_row(), 0);
    sw[0] = 0;
    assert_int_equal(socind_design_new(N, sw, STR, CLU, NULL, &dopt, &d), SOCIND_OK);
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t), SOCIND_OK);
    socind_prevalence_row r;
    find(t, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_LT2, &r);
    assert_close(r.pop_weighted, 980.0, 1e-15);
    assert_int_equal(r.pop_unweighted, N);
    socind_prevalence_table_free(t);
    socind_design_free(d);
    /* the only children with a weight are too old: no weight left */
    double w_old[N] = {0, 0, 0, 0, 0, 0, 0, 5}, a_old[N];
    memcpy(a_old, AGE, sizeof a_old);
    a_old[7] = 1900;
    o.age = a_old;
    d = design8(w_old, STR, CLU);
    assert_int_equal(socind_prevalence_who2006(d, &o, NULL, 0, NULL, &t), SOCIND_ERR_ZERO_WEIGHTS);
    assert_null(t);
    socind_design_free(d);
    /* 2007 */
    d = design8(SW, STR, CLU);
    socind_growth2007_input i7;
    socind_growth2007_input_init(&i7);
    i7.sex = SEX, i7.height_cm = LH, i7.weight_kg = WT;
    assert_int_equal(socind_prevalence_who2007(d, NULL, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_who2007(d, &i7, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    i7.age_months = AGE;
    assert_int_equal(socind_prevalence_who2007(NULL, &i7, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_who2007(d, &i7, NULL, 0, NULL, &t),
                     SOCIND_ERR_EMPTY); /* nobody aged 60–228 months */
    i7.size = 0;
    assert_int_equal(socind_prevalence_who2007(d, &i7, NULL, 0, NULL, &t), SOCIND_ERR_OPTIONS);
    assert_null(t);
    socind_design_free(d);
}

/* Thirteen children: the eight above, and five older than 1826 days —
 * two in a cluster of their own in stratum 1, two in a stratum of their own,
 * one in stratum 2 (in cluster 1, or in a cluster 9 of its own). */
enum { N13 = 13 };
static const int32_t SEX13[N13] = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1};
static const double AGE13[N13] = {400, 420,  800,  850,  1200, 1250, 300,
                                  320, 1900, 1900, 1900, 1900, 1900};
static const double WT13[N13] = {7.0, 7.2, 10.0, 10.2, 13.5, 13.0, 7.5, 7.4, 15, 15, 15, 15, 15};
static const double LH13[N13] = {66.0, 65.0, 76.0, 75.0, 86.0, 84.0, 63.0,
                                 62.0, 100,  100,  100,  100,  100};
static const int32_t MEAS13[N13] = {1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 2, 2, 2};
static const double SW13[N13] = {100, 110, 120, 130, 140, 150, 160, 170, 50, 60, 70, 80, 90};
static const int64_t STR13[N13] = {1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 3, 3, 2};
static const int64_t CLU13[N13] = {1, 1, 2, 2, 3, 3, 1, 1, 4, 4, 1, 2, 1};

static socind_growth_input input13(void) {
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = SEX13, in.age = AGE13, in.weight = WT13, in.lenhei = LH13, in.measure = MEAS13;
    return in;
}

/* Two tables bit for bit. */
static void same_table(const socind_prevalence_table *a, const socind_prevalence_table *b) {
    size_t n = socind_prevalence_table_nrows(a);
    assert_int_equal(n, socind_prevalence_table_nrows(b));
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        socind_prevalence_row ra, rb;
        socind_prevalence_row_init(&ra);
        socind_prevalence_row_init(&rb);
        assert_int_equal(socind_prevalence_table_row(a, i, &ra), SOCIND_OK);
        assert_int_equal(socind_prevalence_table_row(b, i, &rb), SOCIND_OK);
        assert_memory_equal(&ra, &rb, sizeof ra);
    }
}

/* The children anthro leaves out leave the design too: the table over the
 * thirteen children's design is the table over the eight kept children's
 * design, bit for bit — the old children's own cluster and stratum vanish
 * (df 2, not 7 − 3 = 4), under every design path. */
static void test_age_filter_restricts_design(void **state) {
    (void)state;
    socind_growth_input in13 = input13(), in8 = input();
    const int32_t g13[N13] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0}, *g8 = g13;
    for (int path = 0; path < 4; path++) {
        const double *sw13 = path == 3 ? NULL : SW13, *sw8 = path == 3 ? NULL : SW;
        const int64_t *s13 = path <= 1 ? STR13 : NULL, *s8 = path <= 1 ? STR : NULL;
        const int64_t *c13 = path == 0 || path == 2 ? CLU13 : NULL;
        const int64_t *c8 = path == 0 || path == 2 ? CLU : NULL;
        socind_design *d13 = NULL, *d8 = NULL;
        assert_int_equal(test_anthro_design(N13, sw13, s13, c13, &d13), SOCIND_OK);
        assert_int_equal(test_anthro_design(N, sw8, s8, c8, &d8), SOCIND_OK);
        socind_prevalence_table *t13 = NULL, *t8 = NULL;
        assert_int_equal(socind_prevalence_who2006(d13, &in13, g13, 2, NULL, &t13), SOCIND_OK);
        assert_int_equal(socind_prevalence_who2006(d8, &in8, g8, 2, NULL, &t8), SOCIND_OK);
        same_table(t13, t8);
        socind_prevalence_row r;
        assert_non_null(find(t13, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_LT1, &r));
        if (path == 0) {
            assert_close(socind_design_df(d13), 4.0, 0); /* 7 clusters − 3 strata */
            assert_close(r.est.df, 2.0, 0);              /* 4 clusters − 2 strata */
        }
        assert_non_null(find(t13, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_MEAN, &r));
        if (path == 3) assert_close(r.est.df, N - 1.0, 0); /* closed formulas: N − 1 */
        socind_prevalence_table_free(t13);
        socind_prevalence_table_free(t8);
        socind_design_free(d13);
        socind_design_free(d8);
    }
}

/* A design whose policy is "fail": the filter leaves stratum 2 with one
 * cluster (its cluster 9 held only an old child); the row named is one of
 * the stratum's, in the caller's rows. With "adjust", the table is built. */
static void test_lonely_after_filter(void **state) {
    (void)state;
    socind_growth_input in13 = input13();
    int64_t clu[N13];
    memcpy(clu, CLU13, sizeof clu);
    clu[12] = 9;
    socind_design_options o;
    socind_design_options_init(&o);
    o.nest = 1;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N13, SW13, STR13, clu, NULL, &o, &d), SOCIND_OK);
    socind_prevalence_table *t = (socind_prevalence_table *)1;
    assert_int_equal(socind_prevalence_who2006(d, &in13, NULL, 0, NULL, &t), SOCIND_ERR_LONELY_PSU);
    assert_null(t);
    assert_int_equal(socind_last_error_row(), 6);
    socind_design_free(d);
    o.lonely_psu = SOCIND_LONELY_ADJUST;
    assert_int_equal(socind_design_new(N13, SW13, STR13, clu, NULL, &o, &d), SOCIND_OK);
    assert_int_equal(socind_prevalence_who2006(d, &in13, NULL, 0, NULL, &t), SOCIND_OK);
    socind_prevalence_table_free(t);
    socind_design_free(d);
}

/* ci_dist and prop_ci are honoured; their defaults are anthro's. */
static void test_options_honoured(void **state) {
    (void)state;
    socind_growth_input in = input();
    double lh[N];
    memcpy(lh, LH, sizeof lh);
    lh[0] = lh[2] = lh[4] = 80.0; /* some children not stunted: a proportion inside (0, 1) */
    in.lenhei = lh;
    for (int dsg = 0; dsg < 2; dsg++) {
        socind_design *d = dsg ? design8(SW, STR, CLU) : design8(SW, NULL, NULL);
        socind_options o;
        socind_options_init(&o);
        socind_prevalence_table *tdef = NULL, *tnull = NULL, *tn = NULL, *tw = NULL;
        assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &tnull), SOCIND_OK);
        assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, &o, &tdef), SOCIND_OK);
        same_table(tnull, tdef);
        o.ci_dist = SOCIND_CI_NORMAL;
        assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, &o, &tn), SOCIND_OK);
        o.ci_dist = SOCIND_CI_T;
        o.prop_ci = SOCIND_PROP_CI_WALD;
        assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, &o, &tw), SOCIND_OK);
        double z, q;
        assert_int_equal(socind_critical_value(0.95, SOCIND_CI_NORMAL, 1, &z), SOCIND_OK);
        socind_prevalence_row r, rt;
        /* the mean z-score: the normal quantile (also on anthro's closed formulas) */
        find(tn, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_MEAN, &r);
        find(tdef, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_MEAN, &rt);
        assert_int_equal(r.est.status, SOCIND_OK);
        assert_close(r.est.ci_high, r.est.value + z * r.est.se, 1e-15);
        assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, rt.est.df, &q), SOCIND_OK);
        assert_close(rt.est.ci_high, rt.est.value + q * rt.est.se, 1e-15);
        assert_true(q > z);
        /* a prevalence: Wald is symmetric, the default logit interval is not */
        find(tw, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_LT2, &r);
        find(tdef, SOCIND_GROUP_ALL, 0, SOCIND_NUT_HA, SOCIND_NUT_LT2, &rt);
        assert_true(r.est.value > 0 && r.est.value < 1 && r.est.status == SOCIND_OK);
        assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, r.est.df, &q), SOCIND_OK);
        assert_close(r.est.ci_low, r.est.value - q * r.est.se, 1e-15);
        assert_close(r.est.ci_high, r.est.value + q * r.est.se, 1e-15);
        assert_close(rt.est.value, r.est.value, 0);
        assert_true(fabs((rt.est.ci_high - rt.est.value) - (rt.est.value - rt.est.ci_low)) > 1e-6);
        /* a bad option is refused */
        o.prop_ci = 7;
        socind_prevalence_table *tb = (socind_prevalence_table *)1;
        assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, &o, &tb), SOCIND_ERR_ARG);
        assert_null(tb);
        socind_prevalence_table_free(tnull);
        socind_prevalence_table_free(tdef);
        socind_prevalence_table_free(tn);
        socind_prevalence_table_free(tw);
        socind_design_free(d);
    }
}

/* The path is the design's: without strata and PSU ids, anthro's closed
 * formulas (the mean's t on N − 1 df, the SD over every child); with a
 * strata column (even a constant one), the survey path (the design's df, the
 * SD over children with a non-zero weight) — the same design otherwise. */
static void test_path_by_design(void **state) {
    (void)state;
    socind_growth_input in = input();
    double sw[N];
    memcpy(sw, SW, sizeof sw);
    sw[3] = 0;
    const int64_t one[N] = {5, 5, 5, 5, 5, 5, 5, 5};
    socind_design *closed = design8(sw, NULL, NULL), *survey = design8(sw, one, NULL);
    socind_prevalence_table *tc = NULL, *ts = NULL;
    assert_int_equal(socind_prevalence_who2006(closed, &in, NULL, 0, NULL, &tc), SOCIND_OK);
    assert_int_equal(socind_prevalence_who2006(survey, &in, NULL, 0, NULL, &ts), SOCIND_OK);
    socind_prevalence_row c, s;
    find(tc, SOCIND_GROUP_ALL, 0, SOCIND_NUT_WA, SOCIND_NUT_MEAN, &c);
    find(ts, SOCIND_GROUP_ALL, 0, SOCIND_NUT_WA, SOCIND_NUT_MEAN, &s);
    assert_close(c.est.value, s.est.value, 0);
    assert_close(c.est.se, s.est.se, 0);
    assert_close(c.est.df, N - 1.0, 0); /* N − 1 */
    assert_close(s.est.df, N - 2.0, 0); /* 7 children with a weight − 1 stratum */
    /* SD: n/(n − 1) with n = 8 (every child) or 7 (non-zero weights) */
    assert_close(c.stdev * c.stdev / (8.0 / 7.0), s.stdev * s.stdev / (7.0 / 6.0), 1e-14);
    /* prevalences: both on the design's df */
    find(tc, SOCIND_GROUP_ALL, 0, SOCIND_NUT_WA, SOCIND_NUT_LT1, &c);
    find(ts, SOCIND_GROUP_ALL, 0, SOCIND_NUT_WA, SOCIND_NUT_LT1, &s);
    assert_close(c.est.df, N - 2.0, 0);
    assert_memory_equal(&c.est, &s.est, sizeof c.est);
    socind_prevalence_table_free(tc);
    socind_prevalence_table_free(ts);
    socind_design_free(closed);
    socind_design_free(survey);
}

static int32_t code(const char *s, const char *a, const char *b, int32_t va, int32_t vb) {
    if (strcmp(s, a) == 0) return va;
    if (strcmp(s, b) == 0) return vb;
    return SOCIND_CODE_MISSING;
}

/* The reference children: the counts the reference README states. */
static void test_quality_summary(void **state) {
    (void)state;
    test_csv *c = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs.csv");
    assert_non_null(c);
    size_t n = c->nrow;
    int32_t *sex = calloc(n, sizeof *sex), *meas = calloc(n, sizeof *meas),
            *oed = calloc(n, sizeof *oed);
    int cs = test_csv_col(c, "sex"), cm = test_csv_col(c, "measure"),
        co = test_csv_col(c, "oedema");
    for (size_t i = 0; i < n; i++) {
        sex[i] = code(c->cell[i][cs], "1", "2", 1, 2);
        const char *m = c->cell[i][cm];
        meas[i] = (m[0] == 'l' || m[0] == 'L') ? 1 : (m[0] == 'h' || m[0] == 'H') ? 2 : -1;
        oed[i] = code(c->cell[i][co], "n", "y", 0, 1);
    }
    double *age = test_csv_doubles(c, "age_days"), *w = test_csv_doubles(c, "weight"),
           *lh = test_csv_doubles(c, "lenhei");
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.weight = w, in.lenhei = lh, in.measure = meas, in.oedema = oed;
    socind_growth_quality q;
    assert_int_equal(socind_growth_quality_init(&q), SOCIND_OK);
    assert_true(q.n == 0 && isnan(q.sd[0]) && isnan(q.age_heaping));
    assert_int_equal(socind_growth_quality_who2006(n, &in, &q), SOCIND_OK);
    assert_int_equal(q.n, 2072);
    /* README: flagged z-scores flen 9, fwei 12, fwfl 18, fbmi 20; 9 with oedema */
    assert_int_equal(q.flagged[SOCIND_NUT_HA], 9);
    assert_int_equal(q.flagged[SOCIND_NUT_WA], 12);
    assert_int_equal(q.flagged[SOCIND_NUT_WH], 18);
    assert_int_equal(q.flagged[SOCIND_NUT_BMI], 20);
    assert_int_equal(q.oedema, 9);
    assert_int_equal(q.sex_missing, 5);
    for (int i = 0; i < 4; i++) {
        assert_true(q.sd[i] > 0.5 && q.sd[i] < 2.0);
        assert_true(q.missing[i] > 0);
    }
    assert_true(q.lenhei_heaping >= 0 && q.lenhei_heaping <= 1);
    assert_true(isnan(q.age_heaping)); /* ages in days */
    /* the table says how many flagged values it excluded: the same counts */
    socind_prevalence_table *t = NULL;
    socind_design *d = NULL;
    assert_int_equal(test_anthro_design(n, NULL, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t), SOCIND_OK);
    socind_design_free(d);
    socind_prevalence_row r;
    const int64_t want[4] = {9, 12, 20, 18}; /* HA, WA, BMI, WH */
    for (int ind = 0; ind < 4; ind++) {
        assert_non_null(find(t, SOCIND_GROUP_ALL, 0, ind, SOCIND_NUT_LT2, &r));
        assert_int_equal(r.flagged, want[ind]);
        assert_non_null(find(t, SOCIND_GROUP_ALL, 0, ind, SOCIND_NUT_MEAN, &r));
        assert_int_equal(r.flagged, want[ind]);
    }
    socind_prevalence_table_free(t);
    q.size = 4;
    assert_int_equal(socind_growth_quality_who2006(n, &in, &q), SOCIND_ERR_OPTIONS);
    assert_int_equal(socind_growth_quality_who2006(n, NULL, &q), SOCIND_ERR_NULL);
    free(sex), free(meas), free(oed), free(age), free(w), free(lh);
    test_csv_free(c);
}

/* The design over a subset of rows is the design socind_design_new builds
 * from those rows: every field, bit for bit, over random designs (strata or
 * none, PSUs or none, nested or not, zero weights, fractions as fpc, every
 * lonely-PSU policy), and the same failure naming the same row. */
static void same_design(const socind_design *a, const socind_design *b) {
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nstrata, b->nstrata);
    assert_int_equal(a->npsu, b->npsu);
    assert_int_equal(a->lonely_psu, b->lonely_psu);
    assert_int_equal(a->has_psu, b->has_psu);
    assert_int_equal(a->has_strata, b->has_strata);
    assert_memory_equal(a->w, b->w, a->n * sizeof *a->w);
    assert_memory_equal(a->row_psu, b->row_psu, a->n * sizeof *a->row_psu);
    assert_memory_equal(a->psu_stratum, b->psu_stratum, a->npsu * sizeof *a->psu_stratum);
    assert_memory_equal(a->stratum_npsu, b->stratum_npsu, a->nstrata * sizeof(int32_t));
    assert_memory_equal(a->stratum_f, b->stratum_f, a->nstrata * sizeof(double));
    assert_memory_equal(a->stratum_scale, b->stratum_scale, a->nstrata * sizeof(double));
    assert_memory_equal(a->stratum_id, b->stratum_id, a->nstrata * sizeof(int64_t));
    assert_int_equal(a->psu_end == NULL, b->psu_end == NULL);
    if (a->psu_end) assert_memory_equal(a->psu_end, b->psu_end, a->npsu * sizeof *a->psu_end);
    assert_memory_equal(&a->df, &b->df, sizeof a->df);
}

static void test_design_subset(void **state) {
    (void)state;
    enum { NMAX = 120 };
    uint64_t seed = 88172645463325252ULL;
#define RND() (seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17, seed)
    int lonely_fail = 0, compared = 0;
    for (int it = 0; it < 3000; it++) {
        size_t n = 1 + RND() % NMAX;
        int use_strata = RND() % 3 != 0, use_psu = RND() % 3 != 0, nest = (int)(RND() % 2);
        int use_fpc = RND() % 4 == 0, sorted = RND() % 2;
        double w[NMAX], fpc[NMAX], wk[NMAX], fk[NMAX];
        int64_t str[NMAX], psu[NMAX], sk[NMAX], pk[NMAX];
        int32_t rows[NMAX];
        for (size_t k = 0; k < n; k++) {
            str[k] = (int64_t)(RND() % 5) * 7 - 3;
            int64_t c = (int64_t)(sorted ? k / 4 : RND() % 9);
            psu[k] = nest ? c : str[k] * 100 + c; /* unique across strata without nest */
            w[k] = RND() % 4 == 0 ? 0.0 : 0.5 + (double)(RND() % 1000) / 7.0;
            fpc[k] = use_strata ? 0.01 * (double)(str[k] + 10) : 0.2;
        }
        socind_design_options o;
        socind_design_options_init(&o);
        o.lonely_psu = (int32_t)(RND() % 5);
        o.nest = nest;
        socind_design *d = NULL, *sub = NULL, *want = NULL;
        int32_t st = socind_design_new(n, w, use_strata ? str : NULL, use_psu ? psu : NULL,
                                       use_fpc ? fpc : NULL, &o, &d);
        if (st) continue;
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (RND() % 3 != 0) rows[m++] = (int32_t)k;
        for (size_t i = 0; i < m; i++) {
            size_t k = (size_t)rows[i];
            wk[i] = w[k], sk[i] = str[k], pk[i] = psu[k], fk[i] = fpc[k];
        }
        int32_t s1 = socind__design_subset(d, rows, m, &sub);
        int64_t row1 = socind_last_error_row();
        int32_t s2 = m ? socind_design_new(m, wk, use_strata ? sk : NULL, use_psu ? pk : NULL,
                                           use_fpc ? fk : NULL, &o, &want)
                       : SOCIND_ERR_EMPTY;
        int64_t row2 = socind_last_error_row();
        assert_int_equal(s1, s2);
        if (s1 == SOCIND_OK) {
            same_design(sub, want);
            compared++;
        } else {
            assert_null(sub);
            if (s1 == SOCIND_ERR_LONELY_PSU) {
                assert_int_equal(row1, rows[row2]);
                lonely_fail++;
            }
        }
        socind_design_free(sub);
        socind_design_free(want);
        socind_design_free(d);
    }
#undef RND
    assert_true(compared > 1000);
    assert_true(lonely_fail > 10);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_subset),
        cmocka_unit_test(test_edge_cases),
        cmocka_unit_test(test_df0_pins),
        cmocka_unit_test(test_oedema_counts_as_severe),
        cmocka_unit_test(test_negative_age_oedema_not_counted),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_quality_summary),
        cmocka_unit_test(test_age_filter_restricts_design),
        cmocka_unit_test(test_lonely_after_filter),
        cmocka_unit_test(test_options_honoured),
        cmocka_unit_test(test_path_by_design),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
