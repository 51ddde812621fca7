/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_calibrate_prevalence.c — the WHO prevalence table on a
 * calibrated design (socind/calibrate.h, socind/nutrition.h). On the
 * reference children (tests/reference/growth/inputs.csv, anthro's design),
 * calibrated by post-stratification (area) and by linear calibration
 * (intercept, area and a numeric total), every row of the table — overall,
 * by age, sex, age × sex and by a domain column — equals socind_proportion
 * (the 0/1 indicator) or socind_mean (the z-score) on the same calibrated
 * design, value and SE within 1e-12 relative; the indicators are rebuilt
 * here from socind_growth_who2006's z-scores and flags (NaN for the
 * children the table does not use: older than 1826 days, flagged, missing).
 * A calibration to the sample's own total leaves the table's values and SEs
 * those of the uncalibrated table. Threads make no difference. The 5–19
 * years table (WHO 2007) on a post-stratified design: its HA rows against
 * the generic estimators. */
#include "test_util.h"

#include "test_anthro.h"

#include "socind/socind.h"

typedef struct {
    test_csv *in;
    size_t n;
    int32_t *sex, *measure, *oedema, *area, *region;
    double *age, *weight, *lenhei, *sw, *x;
    int64_t *strata, *cluster;
    socind_design *d;
    double *z[4];
    int32_t *f[4];
} kids;

static int32_t code(const char *s, const char *a, const char *b, int32_t ca, int32_t cb) {
    if (strcmp(s, a) == 0) return ca;
    if (strcmp(s, b) == 0) return cb;
    return SOCIND_CODE_MISSING;
}

static const char *const regions[5] = {"Jawa", "Kalimantan", "Maluku", "Papua", "Sumatera"};

static int setup(void **state) {
    kids *k = calloc(1, sizeof *k);
    k->in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs.csv");
    if (!k->in) return -1;
    size_t n = k->n = k->in->nrow;
    k->sex = calloc(n, sizeof(int32_t)), k->measure = calloc(n, sizeof(int32_t));
    k->oedema = calloc(n, sizeof(int32_t)), k->area = calloc(n, sizeof(int32_t));
    k->region = calloc(n, sizeof(int32_t)), k->x = calloc(n, sizeof(double));
    int cs = test_csv_col(k->in, "sex"), cm = test_csv_col(k->in, "measure"),
        co = test_csv_col(k->in, "oedema"), ca = test_csv_col(k->in, "typeres"),
        cr = test_csv_col(k->in, "gregion"), cq = test_csv_col(k->in, "wealthq");
    for (size_t i = 0; i < n; i++) {
        k->sex[i] = code(k->in->cell[i][cs], "1", "2", 1, 2);
        k->measure[i] = code(k->in->cell[i][cm], "l", "h", 1, 2);
        k->oedema[i] = code(k->in->cell[i][co], "n", "y", 0, 1);
        k->area[i] = code(k->in->cell[i][ca], "Rural", "Urban", 0, 1);
        k->region[i] = -1;
        for (int32_t l = 0; l < 5; l++)
            if (strcmp(k->in->cell[i][cr], regions[l]) == 0) k->region[i] = l;
        /* a numeric auxiliary: the wealth quintile (0 where missing) */
        k->x[i] = strcmp(k->in->cell[i][cq], "NA") == 0 ? 0.0 : atof(k->in->cell[i][cq]);
    }
    k->age = test_csv_doubles(k->in, "age_days");
    k->weight = test_csv_doubles(k->in, "weight");
    k->lenhei = test_csv_doubles(k->in, "lenhei");
    k->sw = test_csv_doubles(k->in, "sw");
    k->strata = test_csv_int64(k->in, "strata");
    k->cluster = test_csv_int64(k->in, "cluster");
    if (test_anthro_design(n, k->sw, k->strata, k->cluster, &k->d)) return -1;
    /* z-scores and flags as the table makes them (WHO rounding) */
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = k->sex, in.age = k->age, in.weight = k->weight, in.lenhei = k->lenhei;
    in.measure = k->measure, in.oedema = k->oedema;
    socind_growth_output go;
    socind_growth_output_init(&go);
    for (int i = 0; i < 4; i++) {
        k->z[i] = malloc(n * sizeof(double));
        k->f[i] = malloc(n * sizeof(int32_t));
    }
    go.zlen = k->z[0], go.zwei = k->z[1], go.zbmi = k->z[2], go.zwfl = k->z[3];
    go.flen = k->f[0], go.fwei = k->f[1], go.fbmi = k->f[2], go.fwfl = k->f[3];
    if (socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &go)) return -1;
    *state = k;
    return 0;
}

static int teardown(void **state) {
    kids *k = *state;
    free(k->sex), free(k->measure), free(k->oedema), free(k->area), free(k->region);
    free(k->age), free(k->weight), free(k->lenhei), free(k->sw), free(k->x);
    free(k->strata), free(k->cluster);
    for (int i = 0; i < 4; i++) free(k->z[i]), free(k->f[i]);
    socind_design_free(k->d);
    test_csv_free(k->in);
    free(k);
    return 0;
}

static socind_growth_input kids_input(const kids *k) {
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = k->sex, in.age = k->age, in.weight = k->weight, in.lenhei = k->lenhei;
    in.measure = k->measure, in.oedema = k->oedema;
    return in;
}

/* anthro keeps a child up to 1826 days (a missing age stays) */
static int kept(const kids *k, size_t i) {
    double a = k->age[i];
    return isnan(a) || a < 0 || !(floor(a + 0.5) > 1826.0);
}

/* the age group (0..5, −1 none) and sex (0 female, 1 male, −1) of child i */
static int32_t age_group(const kids *k, size_t i) {
    double a = k->age[i];
    if (isnan(a) || a < 0) return -1;
    double mo = a / 30.4375;
    return !(mo < 60) ? -1 : mo < 6 ? 0 : mo < 12 ? 1 : 1 + (int32_t)(mo / 12.0);
}
static int32_t male(const kids *k, size_t i) {
    return k->sex[i] == 1 ? 1 : k->sex[i] == 2 ? 0 : -1;
}

/* the group of child i in a breakdown (−1: none, or not in the table) */
static int32_t group_of(const kids *k, size_t i, int32_t kind) {
    if (!kept(k, i)) return -1;
    int32_t ag = age_group(k, i), s = male(k, i);
    switch (kind) {
    case SOCIND_GROUP_ALL:
        return 0;
    case SOCIND_GROUP_AGE:
        return ag;
    case SOCIND_GROUP_SEX:
        return s;
    case SOCIND_GROUP_AGE_SEX:
        return ag < 0 || s < 0 ? -1 : 2 * ag + s;
    default: /* SOCIND_GROUP_DOMAIN */
        return k->region[i];
    }
}

/* the z-score of indicator ind (0..3) for the prevalences (oedema: −3.1
 * for WA, BMI and WH) or for the mean (NaN where flagged) */
static double zval(const kids *k, size_t i, int ind, int for_mean) {
    int oed = k->oedema[i] == 1 && ind != SOCIND_NUT_HA;
    if (oed && !for_mean) return -3.1;
    double z = k->f[ind][i] == 1 ? NAN : k->z[ind][i];
    return z;
}

/* the column of row r's statistic: 0/1 (NaN: no value) or the z-score */
static double value_of(const kids *k, size_t i, const socind_prevalence_row *r) {
    if (!kept(k, i)) return NAN;
    if (r->indicator >= 4) {
        double ha = zval(k, i, SOCIND_NUT_HA, 0), wh = zval(k, i, SOCIND_NUT_WH, 0);
        if (isnan(ha) || isnan(wh)) return NAN;
        return r->indicator == SOCIND_NUT_HA_2_WH_2 ? (double)(ha < -2 && wh < -2)
                                                    : (double)(ha < -2 && wh > 2);
    }
    if (r->statistic == SOCIND_NUT_MEAN) return zval(k, i, r->indicator, 1);
    double z = zval(k, i, r->indicator, 0);
    if (isnan(z)) return NAN;
    switch (r->statistic) {
    case SOCIND_NUT_LT3:
        return z < -3;
    case SOCIND_NUT_LT2:
        return z < -2;
    case SOCIND_NUT_LT1:
        return z < -1;
    case SOCIND_NUT_GT1:
        return z > 1;
    case SOCIND_NUT_GT2:
        return z > 2;
    default:
        return z > 3;
    }
}

/* Every row of t against socind_proportion / socind_mean on design c with
 * options o (NULL: defaults), and their limits too where limits is not
 * NULL (counted there); returns the rows compared. */
static size_t compare_generic_opts(const kids *k, const socind_design *c,
                                   const socind_prevalence_table *t, const socind_options *o,
                                   size_t *limits) {
    size_t n = k->n, compared = 0;
    double *y = malloc(n * sizeof *y);
    int32_t *g = malloc(n * sizeof *g);
    socind_estimate e[12];
    for (size_t r = 0; r < socind_prevalence_table_nrows(t); r++) {
        socind_prevalence_row row;
        socind_prevalence_row_init(&row);
        assert_int_equal(socind_prevalence_table_row(t, r, &row), SOCIND_OK);
        int32_t G = row.group_kind == SOCIND_GROUP_AGE       ? 6
                    : row.group_kind == SOCIND_GROUP_SEX     ? 2
                    : row.group_kind == SOCIND_GROUP_AGE_SEX ? 12
                    : row.group_kind == SOCIND_GROUP_DOMAIN  ? 5
                                                             : 1;
        int32_t j =
            row.group_kind == SOCIND_GROUP_SEX ? (row.group_level == 1 ? 1 : 0) : row.group_level;
        for (size_t i = 0; i < n; i++) {
            y[i] = value_of(k, i, &row);
            g[i] = group_of(k, i, row.group_kind);
        }
        int32_t st = row.statistic == SOCIND_NUT_MEAN
                         ? socind_mean(c, y, G > 1 ? g : NULL, G > 1 ? G : 0, o, e)
                         : socind_proportion(c, y, G > 1 ? g : NULL, G > 1 ? G : 0, o, e);
        assert_int_equal(st, SOCIND_OK);
        if (row.est.status != SOCIND_OK || e[j].status != SOCIND_OK) {
            assert_int_equal(row.est.status, e[j].status);
            continue;
        }
        assert_close(row.est.value, e[j].value, 1e-12);
        assert_close(row.est.se, e[j].se, 1e-12);
        assert_int_equal(row.est.n, e[j].n);
        /* (on a replicate design the table's df is the design's degf, a
           domain's proportion its own: limits compared where they agree) */
        if (limits && row.est.df == e[j].df) {
            assert_close(row.est.ci_low, e[j].ci_low, 1e-12);
            assert_close(row.est.ci_high, e[j].ci_high, 1e-12);
            (*limits)++;
        }
        compared++;
    }
    free(y), free(g);
    return compared;
}
static size_t compare_generic(const kids *k, const socind_design *c,
                              const socind_prevalence_table *t) {
    return compare_generic_opts(k, c, t, NULL, NULL);
}

/* Σ of the original weights by area, and of x */
static void sample_totals(const kids *k, double area[2], double *x, double *all) {
    area[0] = area[1] = *x = *all = 0;
    for (size_t i = 0; i < k->n; i++) {
        double w = isnan(k->sw[i]) ? 0.0 : k->sw[i];
        area[k->area[i]] += w;
        *x += w * k->x[i];
        *all += w;
    }
}

static socind_design *calibrated(const kids *k, int linear) {
    double area[2], xt, all;
    sample_totals(k, area, &xt, &all);
    socind_calibration cal;
    socind_calibration_init(&cal);
    int32_t levels[1] = {2};
    double mt[2] = {area[0] * 1.08, area[1] * 0.93};
    double xtot[1] = {xt * 1.04};
    cal.n_margins = 1;
    cal.codes = k->area;
    cal.levels = levels;
    cal.margin_totals = mt;
    if (linear) {
        cal.method = SOCIND_CAL_LINEAR;
        cal.intercept = 1;
        cal.intercept_total = mt[0] + mt[1];
        cal.n_numeric = 1;
        cal.x = k->x;
        cal.x_totals = xtot;
    } else {
        cal.method = SOCIND_CAL_POSTSTRATIFY;
    }
    socind_design *c = NULL;
    assert_int_equal(socind_calibrate(k->d, &cal, NULL, NULL, &c), SOCIND_OK);
    return c;
}

/* Every row of the table (with the region as domain column) on the
 * post-stratified and the linearly calibrated design equals the generic
 * estimators; one thread and three give the same figures, and the
 * calibrated table differs from the uncalibrated one. */
static void test_table_equals_generic(void **state) {
    kids *k = *state;
    socind_growth_input in = kids_input(k);
    for (int linear = 0; linear < 2; linear++) {
        socind_design *c = calibrated(k, linear);
        socind_prevalence_table *t = NULL, *t3 = NULL, *t0 = NULL;
        assert_int_equal(socind_prevalence_who2006(c, &in, k->region, 5, NULL, &t), SOCIND_OK);
        size_t compared = compare_generic(k, c, t);
        printf("  %s: %zu of %zu rows compared\n", linear ? "linear" : "poststratify", compared,
               socind_prevalence_table_nrows(t));
        assert_true(compared > socind_prevalence_table_nrows(t) / 2);
        socind_options o;
        socind_options_init(&o);
        o.threads = 3;
        assert_int_equal(socind_prevalence_who2006(c, &in, k->region, 5, &o, &t3), SOCIND_OK);
        assert_int_equal(socind_prevalence_who2006(k->d, &in, k->region, 5, NULL, &t0), SOCIND_OK);
        assert_int_equal(socind_prevalence_table_nrows(t3), socind_prevalence_table_nrows(t));
        assert_int_equal(socind_prevalence_table_nrows(t0), socind_prevalence_table_nrows(t));
        double maxdiff = 0;
        for (size_t r = 0; r < socind_prevalence_table_nrows(t); r++) {
            socind_prevalence_row a, b, u;
            socind_prevalence_row_init(&a);
            socind_prevalence_row_init(&b);
            socind_prevalence_row_init(&u);
            socind_prevalence_table_row(t, r, &a);
            socind_prevalence_table_row(t3, r, &b);
            socind_prevalence_table_row(t0, r, &u);
            assert_true(a.est.status == b.est.status && a.group_kind == b.group_kind);
            if (a.est.status) continue;
            assert_true(a.est.value == b.est.value && a.est.se == b.est.se);
            if (u.est.status == SOCIND_OK && u.est.se > 0)
                maxdiff = fmax(maxdiff, fabs(a.est.se / u.est.se - 1));
        }
        printf("  largest relative change of an SE against the uncalibrated table: %.3g\n",
               maxdiff);
        assert_true(maxdiff > 1e-3); /* the calibration shows */
        socind_prevalence_table_free(t);
        socind_prevalence_table_free(t3);
        socind_prevalence_table_free(t0);
        socind_design_free(c);
    }
}

/* On a replicate design every row, limits included, equals the generic
 * estimators': a prevalence's logit and likelihood intervals take the SE
 * of logit p̂ from the replicates' logit p̂_r as socind_proportion's do
 * (svyciprop's refits; replicate.h), where the table used the delta
 * method's; a mean z-score's stays symmetric. (The table keeps the
 * design's degf in every domain, where a domain's proportion takes its
 * own: the limits are compared on the rows whose df agree.) */
static void test_replicate_table_equals_generic(void **state) {
    kids *k = *state;
    socind_growth_input in = kids_input(k);
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.type = SOCIND_REP_JK1;
    socind_design *rd = NULL;
    assert_int_equal(socind_design_replicate_make(k->d, &ro, &rd), SOCIND_OK);
    for (int32_t m = SOCIND_PROP_CI_LOGIT; m <= SOCIND_PROP_CI_LIKELIHOOD;
         m += SOCIND_PROP_CI_LIKELIHOOD - SOCIND_PROP_CI_LOGIT) {
        socind_options o;
        socind_options_init(&o);
        o.prop_ci = m;
        socind_prevalence_table *t = NULL;
        assert_int_equal(socind_prevalence_who2006(rd, &in, k->region, 5, &o, &t), SOCIND_OK);
        size_t limits = 0;
        size_t compared = compare_generic_opts(k, rd, t, &o, &limits);
        printf("  replicates (JK1), prop_ci %d: %zu of %zu rows compared, %zu with their limits\n",
               (int)m, compared, socind_prevalence_table_nrows(t), limits);
        assert_true(compared > socind_prevalence_table_nrows(t) / 2);
        assert_true(limits > 50);
        socind_prevalence_table_free(t);
    }
    socind_design_free(rd);
}

/* A post-stratification into one cell whose total is the sample's own
 * leaves the weights, so the table's values are the uncalibrated table's
 * and, every statistic being a ratio (Σ w·u = 0), its SEs too. */
static void test_own_totals(void **state) {
    kids *k = *state;
    socind_growth_input in = kids_input(k);
    double area[2], xt, all;
    sample_totals(k, area, &xt, &all);
    int32_t *one = calloc(k->n, sizeof *one), levels[1] = {1};
    socind_calibration cal;
    socind_calibration_init(&cal);
    cal.method = SOCIND_CAL_POSTSTRATIFY;
    cal.n_margins = 1, cal.codes = one, cal.levels = levels, cal.margin_totals = &all;
    socind_design *c = NULL;
    assert_int_equal(socind_calibrate(k->d, &cal, NULL, NULL, &c), SOCIND_OK);
    socind_prevalence_table *t = NULL, *t0 = NULL;
    assert_int_equal(socind_prevalence_who2006(c, &in, k->region, 5, NULL, &t), SOCIND_OK);
    assert_int_equal(socind_prevalence_who2006(k->d, &in, k->region, 5, NULL, &t0), SOCIND_OK);
    assert_int_equal(socind_prevalence_table_nrows(t0), socind_prevalence_table_nrows(t));
    double worst = 0;
    size_t compared = 0;
    for (size_t r = 0; r < socind_prevalence_table_nrows(t); r++) {
        socind_prevalence_row a, u;
        socind_prevalence_row_init(&a);
        socind_prevalence_row_init(&u);
        socind_prevalence_table_row(t, r, &a);
        socind_prevalence_table_row(t0, r, &u);
        assert_int_equal(a.est.status, u.est.status);
        assert_int_equal(a.group_kind, u.group_kind);
        assert_int_equal(a.statistic, u.statistic);
        assert_int_equal(a.pop_unweighted, u.pop_unweighted);
        assert_int_equal(a.flagged, u.flagged);
        if (a.est.status) continue;
        assert_close(a.est.value, u.est.value, 1e-12);
        assert_close(a.stdev, u.stdev, 1e-12);
        if (u.est.se > 0) worst = fmax(worst, fabs(a.est.se / u.est.se - 1));
        assert_close_abs(a.est.se, u.est.se, 1e-9, 1e-15);
        compared++;
    }
    printf("  own totals: %zu rows, largest relative SE difference %.3g\n", compared, worst);
    socind_prevalence_table_free(t);
    socind_prevalence_table_free(t0);
    socind_design_free(c);
    free(one);
}

/* The 5–19 years table on a post-stratified design (three arbitrary cells,
 * totals off the sample's by 10%): the HA rows (< −2 and the mean, overall
 * and by the 60–119 / 120–179 / 180–228 months groups) equal
 * socind_proportion / socind_mean of the indicator on the same design,
 * NaN outside 60–228 months. */
static void test_who2007(void **state) {
    (void)state;
    test_csv *in = test_csv_read(SOCIND_TEST_REFDIR "/growth/inputs_5to19.csv");
    assert_non_null(in);
    size_t n = in->nrow;
    int32_t *sex = calloc(n, sizeof *sex), *oed = calloc(n, sizeof *oed);
    int32_t *cell = calloc(n, sizeof *cell), *g = calloc(n, sizeof *g);
    int cs = test_csv_col(in, "sex"), co = test_csv_col(in, "oedema");
    for (size_t i = 0; i < n; i++) {
        sex[i] = code(in->cell[i][cs], "1", "2", 1, 2);
        oed[i] = code(in->cell[i][co], "n", "y", 0, 1);
        cell[i] = (int32_t)(i % 3);
    }
    double *age = test_csv_doubles(in, "age_months"), *h = test_csv_doubles(in, "height"),
           *w = test_csv_doubles(in, "weight"), *sw = test_csv_doubles(in, "sw");
    int64_t *strata = test_csv_int64(in, "strata"), *cluster = test_csv_int64(in, "cluster");
    socind_design *d = NULL, *c = NULL;
    assert_int_equal(test_anthro_design(n, sw, strata, cluster, &d), SOCIND_OK);
    double tot[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) tot[cell[i]] += isnan(sw[i]) ? 0.0 : sw[i];
    tot[0] *= 1.1, tot[1] *= 0.9;
    int32_t levels[1] = {3};
    socind_calibration cal;
    socind_calibration_init(&cal);
    cal.method = SOCIND_CAL_POSTSTRATIFY;
    cal.n_margins = 1, cal.codes = cell, cal.levels = levels, cal.margin_totals = tot;
    assert_int_equal(socind_calibrate(d, &cal, NULL, NULL, &c), SOCIND_OK);
    socind_growth2007_input gi;
    socind_growth2007_input_init(&gi);
    gi.sex = sex, gi.age_months = age, gi.height_cm = h, gi.weight_kg = w, gi.oedema = oed;
    double *z = malloc(n * sizeof *z), *y = malloc(n * sizeof *y);
    int32_t *f = malloc(n * sizeof *f);
    socind_growth2007_output go;
    socind_growth2007_output_init(&go);
    go.zhfa = z, go.fhfa = f;
    assert_int_equal(socind_growth_who2007(n, &gi, SOCIND_ROUND_WHO, &go), SOCIND_OK);
    socind_prevalence_table *t = NULL;
    assert_int_equal(socind_prevalence_who2007(c, &gi, NULL, 0, NULL, &t), SOCIND_OK);
    size_t compared = 0;
    for (size_t r = 0; r < socind_prevalence_table_nrows(t); r++) {
        socind_prevalence_row row;
        socind_prevalence_row_init(&row);
        socind_prevalence_table_row(t, r, &row);
        if (row.indicator != SOCIND_NUT_HA ||
            (row.statistic != SOCIND_NUT_LT2 && row.statistic != SOCIND_NUT_MEAN) ||
            (row.group_kind != SOCIND_GROUP_ALL && row.group_kind != SOCIND_GROUP_AGE2))
            continue;
        int by_age = row.group_kind == SOCIND_GROUP_AGE2;
        for (size_t i = 0; i < n; i++) {
            int kept = age[i] >= 60.0 && age[i] <= 228.0;
            double zi = !kept || f[i] == 1 ? NAN : z[i];
            y[i] = row.statistic == SOCIND_NUT_MEAN || isnan(zi) ? zi : (double)(zi < -2);
            g[i] = !kept ? -1 : age[i] < 120.0 ? 0 : age[i] < 180.0 ? 1 : 2;
        }
        socind_estimate e[3];
        int32_t st = row.statistic == SOCIND_NUT_MEAN
                         ? socind_mean(c, y, by_age ? g : NULL, by_age ? 3 : 0, NULL, e)
                         : socind_proportion(c, y, by_age ? g : NULL, by_age ? 3 : 0, NULL, e);
        assert_int_equal(st, SOCIND_OK);
        const socind_estimate *ej = &e[row.group_level];
        assert_int_equal(row.est.status, ej->status);
        if (row.est.status) continue;
        assert_close(row.est.value, ej->value, 1e-12);
        assert_close(row.est.se, ej->se, 1e-12);
        compared++;
    }
    printf("  who2007: %zu HA rows compared\n", compared);
    assert_int_equal(compared, 8);
    socind_prevalence_table_free(t);
    socind_design_free(c);
    socind_design_free(d);
    free(z), free(y), free(f), free(g), free(cell);
    free(sex), free(oed), free(age), free(h), free(w), free(sw), free(strata), free(cluster);
    test_csv_free(in);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_equals_generic),
        cmocka_unit_test(test_own_totals),
        cmocka_unit_test(test_replicate_table_equals_generic),
        cmocka_unit_test(test_who2007),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
