/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_growth.c — growth z-scores at every boundary, bad inputs and
 * their reason bits, R's rounding, and the compiled tables against the text
 * tables of data/who-growth. Linked statically to reach the tables. */
#include "test_split.h"
#include "test_util.h"

#include <float.h>

#include "growth_tables.h"
#include "internal.h" /* socind__parallel_no_thread, socind__growth_threads_used */
#include "socind/socind.h"

#ifndef SOCIND_DATA_DIR
#define SOCIND_DATA_DIR "data/who-growth"
#endif

/* a child with every measurement, defaults plausible for ~1 year */
static void child(int32_t sex, double age, double w, double lh, int32_t meas, int32_t oed,
                  double *z, int32_t *f, int32_t *reason) {
    socind_growth_child_input c;
    socind_growth_child_output o;
    assert_int_equal(socind_growth_child_input_init(&c), SOCIND_OK);
    assert_int_equal(socind_growth_child_output_init(&o), SOCIND_OK);
    c.sex = sex, c.age = age, c.weight = w, c.lenhei = lh, c.measure = meas, c.oedema = oed;
    c.headc = 46.0, c.armc = 15.0, c.triskin = 9.0, c.subskin = 7.0;
    assert_int_equal(socind_growth_who2006_child(&c, SOCIND_ROUND_NONE, &o), SOCIND_OK);
    memcpy(z, o.z, sizeof o.z);
    memcpy(f, o.flag, sizeof o.flag);
    if (reason) *reason = o.reason;
}

/* socind_growth_who2007 over plain columns (any output may be NULL) */
static int32_t who2007(size_t n, const int32_t *sex, const double *age, const double *h,
                       const double *w, const int32_t *oed, int32_t rounding, double *cbmi,
                       double *zh, double *zw, double *zb, int32_t *fh, int32_t *fw, int32_t *fb,
                       int32_t *reason) {
    socind_growth2007_input in;
    socind_growth2007_output out;
    assert_int_equal(socind_growth2007_input_init(&in), SOCIND_OK);
    assert_int_equal(socind_growth2007_output_init(&out), SOCIND_OK);
    in.sex = sex, in.age_months = age, in.height_cm = h, in.weight_kg = w, in.oedema = oed;
    out.cbmi = cbmi, out.zhfa = zh, out.zwfa = zw, out.zbfa = zb;
    out.fhfa = fh, out.fwfa = fw, out.fbfa = fb, out.reason = reason;
    return socind_growth_who2007(n, &in, rounding, &out);
}

static void test_round2(void **state) {
    (void)state;
    assert_true(socind_round2(1.234) == 1.23);
    assert_true(socind_round2(-1.236) == -1.24);
    assert_true(socind_round2(0.125) == 0.12); /* exact tie: even last digit */
    assert_true(socind_round2(0.375) == 0.38); /* exact tie: even last digit */
    assert_true(socind_round2(-0.125) == -0.12);
    assert_true(socind_round2(2.5) == 2.5);
    assert_true(socind_round2(0.135) == 0.14); /* 0.135 is stored above the tie */
    assert_true(isnan(socind_round2(NAN)));
    assert_true(socind_round2(INFINITY) == INFINITY);
    assert_true(socind_round2(-INFINITY) == -INFINITY);
}

static void test_age_boundaries(void **state) {
    (void)state;
    double z[8];
    int32_t f[8], r;
    /* 0 days: defined */
    child(1, 0, 3.3, 50.0, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_false(isnan(z[SOCIND_Z_LEN]));
    assert_false(isnan(z[SOCIND_Z_WEI]));
    assert_true(isnan(z[SOCIND_Z_AC])); /* arm circumference from 91 days */
    child(1, 90, 6.0, 60.0, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_AC]) && isnan(z[SOCIND_Z_TS]) && isnan(z[SOCIND_Z_SS]));
    child(1, 91, 6.0, 60.0, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_false(isnan(z[SOCIND_Z_AC]) || isnan(z[SOCIND_Z_TS]) || isnan(z[SOCIND_Z_SS]));
    /* 730 days standing: +0.7 → same z as lying at lenhei + 0.7 */
    double zs[8], zl[8];
    child(2, 730, 11.0, 84.0, SOCIND_MEASURE_STANDING, 0, zs, f, &r);
    child(2, 730, 11.0, 84.7, SOCIND_MEASURE_LYING, 0, zl, f, &r);
    assert_close(zs[SOCIND_Z_LEN], zl[SOCIND_Z_LEN], 1e-12);
    assert_close(zs[SOCIND_Z_WFL], zl[SOCIND_Z_WFL], 1e-12);
    /* 731 days lying: −0.7 → same as standing at lenhei − 0.7 */
    child(2, 731, 11.0, 85.0, SOCIND_MEASURE_LYING, 0, zl, f, &r);
    child(2, 731, 11.0, 84.3, SOCIND_MEASURE_STANDING, 0, zs, f, &r);
    assert_close(zl[SOCIND_Z_LEN], zs[SOCIND_Z_LEN], 1e-12);
    /* 730.5 days rounds up to 731 (height); 730.4 to 730 (length) */
    socind_growth_input in;
    socind_growth_output out;
    socind_growth_input_init(&in);
    socind_growth_output_init(&out);
    int32_t sx[2] = {1, 1}, ms[2] = {SOCIND_MEASURE_LYING, SOCIND_MEASURE_LYING};
    double ag[2] = {730.4, 730.5}, lh[2] = {85.0, 85.0}, cl[2];
    in.sex = sx, in.age = ag, in.lenhei = lh, in.measure = ms;
    out.clenhei = cl;
    assert_int_equal(socind_growth_who2006(2, &in, SOCIND_ROUND_WHO, &out), SOCIND_OK);
    assert_close(cl[0], 85.0, 0);
    assert_close(cl[1], 84.3, 1e-15);
    /* 1826 in, 1827 out (>= 60 months), 1856 and 1857 out */
    child(1, 1826, 18.0, 110.0, SOCIND_MEASURE_STANDING, 0, z, f, &r);
    assert_false(isnan(z[SOCIND_Z_LEN]) || isnan(z[SOCIND_Z_WEI]) || isnan(z[SOCIND_Z_WFL]));
    assert_int_equal(r & SOCIND_GROWTH_AGE_OUT_OF_RANGE, 0);
    for (int i = 0; i < 3; i++) {
        double a = i == 0 ? 1827 : i == 1 ? 1856 : 1857;
        child(1, a, 18.0, 110.0, SOCIND_MEASURE_STANDING, 0, z, f, &r);
        for (int j = 0; j < 8; j++) assert_true(isnan(z[j]) && f[j] == -1);
        assert_true(r & SOCIND_GROWTH_AGE_OUT_OF_RANGE);
    }
    /* age given in months: 12 months = round(365.25) = 365 days */
    double agem[1] = {12.0}, zm[1], zd[1];
    int32_t s1[1] = {2};
    double l1[1] = {74.0};
    socind_growth_input_init(&in);
    socind_growth_output_init(&out);
    in.sex = s1, in.age = agem, in.lenhei = l1, in.age_in_months = 1;
    out.zlen = zm;
    socind_growth_who2006(1, &in, SOCIND_ROUND_NONE, &out);
    double d365[1] = {365};
    in.age = d365, in.age_in_months = 0, out.zlen = zd;
    socind_growth_who2006(1, &in, SOCIND_ROUND_NONE, &out);
    assert_close(zm[0], zd[0], 0);
}

static void test_standing_under_9_months(void **state) {
    (void)state;
    double z[8], z2[8];
    int32_t f[8], r;
    /* 273 days = 8.97 months: the position is dropped and no +0.7 applies */
    child(1, 273, 8.0, 68.0, SOCIND_MEASURE_STANDING, 0, z, f, &r);
    assert_true(r & SOCIND_GROWTH_STANDING_UNDER_9MO);
    child(1, 273, 8.0, 68.0, SOCIND_CODE_MISSING, 0, z2, f, &r);
    assert_close(z[SOCIND_Z_LEN], z2[SOCIND_Z_LEN], 0);
    assert_int_equal(r & SOCIND_GROWTH_STANDING_UNDER_9MO, 0);
    /* 274 days = 9.002 months: standing is kept and adjusted */
    child(1, 274, 8.0, 68.0, SOCIND_MEASURE_STANDING, 0, z, f, &r);
    child(1, 274, 8.0, 68.7, SOCIND_MEASURE_LYING, 0, z2, f, &r);
    assert_close(z[SOCIND_Z_LEN], z2[SOCIND_Z_LEN], 1e-12);
}

static void test_wfl_table_edges(void **state) {
    (void)state;
    double z[8];
    int32_t f[8], r;
    child(1, 100, 2.5, 45.0, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_false(isnan(z[SOCIND_Z_WFL]));
    child(1, 100, 2.5, 44.99, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WFL]) && f[SOCIND_Z_WFL] == -1);
    child(1, 700, 18.0, 110.0, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_false(isnan(z[SOCIND_Z_WFL]));
    child(1, 700, 18.0, 110.05, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WFL])); /* no row above 110.0 to interpolate with */
    child(1, 800, 8.0, 65.0, SOCIND_MEASURE_STANDING, 0, z, f, &r);
    assert_false(isnan(z[SOCIND_Z_WFL]));
    child(1, 800, 8.0, 64.9, SOCIND_MEASURE_STANDING, 0, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WFL]));
    child(1, 1800, 22.0, 120.0, SOCIND_MEASURE_STANDING, 0, z, f, &r);
    assert_false(isnan(z[SOCIND_Z_WFL]));
    child(1, 1800, 22.0, 120.01, SOCIND_MEASURE_STANDING, 0, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WFL]));
    /* interpolation: 80.05 cm lies between the 80.0 and 80.1 rows */
    double za[8], zb[8];
    child(2, 500, 10.0, 80.0, SOCIND_MEASURE_LYING, 0, za, f, &r);
    child(2, 500, 10.0, 80.1, SOCIND_MEASURE_LYING, 0, zb, f, &r);
    child(2, 500, 10.0, 80.05, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_true((z[SOCIND_Z_WFL] - za[SOCIND_Z_WFL]) * (z[SOCIND_Z_WFL] - zb[SOCIND_Z_WFL]) < 0);
    /* missing age: table by position, else by length < 87 cm; no age-based z */
    child(2, NAN, 10.0, 80.0, SOCIND_MEASURE_LYING, 0, z, f, &r);
    assert_close(z[SOCIND_Z_WFL], za[SOCIND_Z_WFL], 0);
    assert_true(isnan(z[SOCIND_Z_LEN]) && isnan(z[SOCIND_Z_WEI]));
    assert_true(r & SOCIND_GROWTH_AGE_MISSING);
    child(2, NAN, 10.0, 80.0, SOCIND_CODE_MISSING, 0, z, f, &r);
    assert_close(z[SOCIND_Z_WFL], za[SOCIND_Z_WFL], 0);
    double zh[8];
    child(2, NAN, 12.0, 90.0, SOCIND_CODE_MISSING, 0, z, f, &r);
    child(2, 1000, 12.0, 90.0, SOCIND_MEASURE_STANDING, 0, zh, f, &r);
    assert_close(z[SOCIND_Z_WFL], zh[SOCIND_Z_WFL], 0);
}

/* Beyond ±3 the restricted formula is linear in the measurement: equal steps
 * in weight give equal steps in z; inside ±3 (L ≠ 1) they do not. */
static void test_restricted_beyond_3(void **state) {
    (void)state;
    double z1[8], z2[8], z3[8];
    int32_t f[8], r;
    /* far above +3 weight-for-age at 1 year (boys, median ≈ 9.6 kg) */
    child(1, 365, 16.0, 75.0, 1, 0, z1, f, &r);
    child(1, 365, 17.0, 75.0, 1, 0, z2, f, &r);
    child(1, 365, 18.0, 75.0, 1, 0, z3, f, &r);
    assert_true(z1[SOCIND_Z_WEI] > 3.0);
    assert_close(z3[SOCIND_Z_WEI] - z2[SOCIND_Z_WEI], z2[SOCIND_Z_WEI] - z1[SOCIND_Z_WEI], 1e-9);
    /* far below −3 */
    child(1, 365, 5.0, 75.0, 1, 0, z1, f, &r);
    child(1, 365, 5.5, 75.0, 1, 0, z2, f, &r);
    child(1, 365, 6.0, 75.0, 1, 0, z3, f, &r);
    assert_true(z3[SOCIND_Z_WEI] < -3.0);
    assert_close(z3[SOCIND_Z_WEI] - z2[SOCIND_Z_WEI], z2[SOCIND_Z_WEI] - z1[SOCIND_Z_WEI], 1e-9);
    /* inside the band the LMS curve is not linear */
    child(1, 365, 8.5, 75.0, 1, 0, z1, f, &r);
    child(1, 365, 9.5, 75.0, 1, 0, z2, f, &r);
    child(1, 365, 10.5, 75.0, 1, 0, z3, f, &r);
    assert_true(
        fabs((z3[SOCIND_Z_WEI] - z2[SOCIND_Z_WEI]) - (z2[SOCIND_Z_WEI] - z1[SOCIND_Z_WEI])) > 1e-6);
    /* continuity at +3: a weight a hair above and below SD3 give z near 3 */
    double lo = 9.0, hi = 16.0;
    for (int it = 0; it < 80; it++) {
        double mid = 0.5 * (lo + hi);
        child(1, 365, mid, 75.0, 1, 0, z1, f, &r);
        if (z1[SOCIND_Z_WEI] > 3.0)
            hi = mid;
        else
            lo = mid;
    }
    child(1, 365, lo, 75.0, 1, 0, z1, f, &r);
    child(1, 365, hi, 75.0, 1, 0, z2, f, &r);
    assert_close(z1[SOCIND_Z_WEI], 3.0, 1e-9);
    assert_close(z2[SOCIND_Z_WEI], 3.0, 1e-9);
    /* flags: weight-for-age flags z > 5 and z < −6 */
    child(1, 365, 25.0, 75.0, 1, 0, z1, f, &r);
    assert_true(z1[SOCIND_Z_WEI] > 5 && f[SOCIND_Z_WEI] == 1);
    child(1, 365, 9.6, 75.0, 1, 0, z1, f, &r);
    assert_int_equal(f[SOCIND_Z_WEI], 0);
}

static void test_oedema_and_codes(void **state) {
    (void)state;
    double z[8];
    int32_t f[8], r;
    child(1, 400, 9.0, 75.0, 1, SOCIND_OEDEMA_YES, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WEI]) && isnan(z[SOCIND_Z_WFL]) && isnan(z[SOCIND_Z_BMI]));
    assert_false(isnan(z[SOCIND_Z_LEN]) || isnan(z[SOCIND_Z_HC]) || isnan(z[SOCIND_Z_AC]));
    assert_true(r & SOCIND_GROWTH_OEDEMA);
    child(1, 400, 9.0, 75.0, 1, SOCIND_CODE_MISSING, z, f, &r); /* missing = no */
    assert_false(isnan(z[SOCIND_Z_WEI]));
    child(1, 400, 9.0, 75.0, 1, 5, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WEI]) && (r & SOCIND_GROWTH_OEDEMA_INVALID));
    assert_false(isnan(z[SOCIND_Z_LEN]));
    /* sex */
    child(SOCIND_CODE_MISSING, 400, 9.0, 75.0, 1, 0, z, f, &r);
    for (int j = 0; j < 8; j++) assert_true(isnan(z[j]) && f[j] == -1);
    assert_true(r & SOCIND_GROWTH_SEX_MISSING);
    child(3, 400, 9.0, 75.0, 1, 0, z, f, &r);
    for (int j = 0; j < 8; j++) assert_true(isnan(z[j]));
    assert_true(r & SOCIND_GROWTH_SEX_INVALID);
    /* measure: invalid code is taken as missing (no adjustment) */
    double z2[8];
    child(1, 1000, 12.0, 88.0, 9, 0, z, f, &r);
    assert_true(r & SOCIND_GROWTH_MEASURE_INVALID);
    child(1, 1000, 12.0, 88.0, SOCIND_CODE_MISSING, 0, z2, f, &r);
    assert_close(z[SOCIND_Z_LEN], z2[SOCIND_Z_LEN], 0);
    /* negative age: nothing computed, weight-for-length/height included.
       anthro_zscores stops for the whole batch unless every age before
       rounding is >= 0 (round_up in anthro's R/utils.R): −0.3 days is
       refused although it would round to 0, −0 is age 0. */
    const double negs[3] = {-3.0, -0.3, -1e-300};
    for (int i = 0; i < 3; i++) {
        child(1, negs[i], 12.0, 88.0, 2, 0, z, f, &r);
        for (int j = 0; j < 8; j++) assert_true(isnan(z[j]) && f[j] == -1);
        assert_true(r & SOCIND_GROWTH_AGE_NEGATIVE);
    }
    child(1, -0.0, 3.3, 50.0, 1, 0, z, f, &r);
    child(1, 0.0, 3.3, 50.0, 1, 0, z2, f, &r);
    assert_int_equal(r, 0);
    for (int j = 0; j < 8; j++) assert_true(isnan(z[j]) ? isnan(z2[j]) : z[j] == z2[j]);
    assert_false(isnan(z[SOCIND_Z_LEN]) || isnan(z[SOCIND_Z_WFL]));
    /* negative or zero measurements */
    child(1, 400, -9.0, 75.0, 1, 0, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WEI]) && isnan(z[SOCIND_Z_WFL]) && isnan(z[SOCIND_Z_BMI]));
    assert_true(r & SOCIND_GROWTH_NEGATIVE_VALUE);
    assert_false(isnan(z[SOCIND_Z_LEN]));
    child(1, 400, 0.0, 75.0, 1, 0, z, f, &r);
    assert_true(isnan(z[SOCIND_Z_WEI]));                        /* age-based: 0 is missing */
    assert_true(z[SOCIND_Z_WFL] < -10 && f[SOCIND_Z_WFL] == 1); /* anthro: finite, flagged */
}

static void test_batch_api_errors(void **state) {
    (void)state;
    socind_growth_input in;
    socind_growth_output out;
    socind_growth_input_init(&in);
    socind_growth_output_init(&out);
    int32_t sx[1] = {1};
    double ag[1] = {100}, zl[1] = {0};
    assert_int_equal(socind_growth_who2006(1, &in, SOCIND_ROUND_WHO, &out), SOCIND_ERR_NULL);
    in.sex = sx, in.age = ag;
    out.zlen = zl;
    assert_int_equal(socind_growth_who2006(1, NULL, 0, &out), SOCIND_ERR_NULL);
    assert_int_equal(socind_growth_who2006(1, &in, 0, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_growth_who2006(1, &in, 7, &out), SOCIND_ERR_ARG);
    in.age_in_months = 2;
    assert_int_equal(socind_growth_who2006(1, &in, 0, &out), SOCIND_ERR_ARG);
    in.age_in_months = 0;
    in.size = 4;
    assert_int_equal(socind_growth_who2006(1, &in, 0, &out), SOCIND_ERR_OPTIONS);
    in.size = sizeof in;
    out.size = 0;
    assert_int_equal(socind_growth_who2006(1, &in, 0, &out), SOCIND_ERR_OPTIONS);
    out.size = sizeof out;
    assert_int_equal(socind_growth_who2006(0, &in, 0, &out), SOCIND_OK);
    /* no length given: zlen NaN, flag −1 */
    int32_t fl[1];
    out.flen = fl;
    assert_int_equal(socind_growth_who2006(1, &in, 0, &out), SOCIND_OK);
    assert_true(isnan(zl[0]) && fl[0] == -1);
    assert_int_equal(socind_growth_input_init(NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_growth_output_init(NULL), SOCIND_ERR_NULL);
    /* one child: NULL, sizes, rounding, age unit; a failure leaves *out as its _init */
    socind_growth_child_input c;
    socind_growth_child_output o, fresh;
    assert_int_equal(socind_growth_child_input_init(NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_growth_child_output_init(NULL), SOCIND_ERR_NULL);
    socind_growth_child_input_init(&c);
    socind_growth_child_output_init(&fresh);
    assert_true(c.sex == -1 && c.measure == -1 && c.oedema == -1 && isnan(c.age));
    assert_true(isnan(c.weight) && isnan(c.lenhei) && isnan(c.subskin) && c.age_in_months == 0);
    assert_true(isnan(fresh.z[7]) && fresh.flag[7] == -1 && fresh.cmeasure == -1);
    assert_true(fresh.reason == 0 && fresh.c9mo_flag == 0 && isnan(fresh.cbmi));
    c.sex = 1, c.age = 300, c.weight = 9, c.lenhei = 72, c.measure = 1, c.oedema = 0;
    for (int bad = 0; bad < 6; bad++) {
        socind_growth_child_input cb = c;
        socind_growth_child_output_init(&o);
        assert_int_equal(socind_growth_who2006_child(&cb, 0, &o), SOCIND_OK);
        assert_false(isnan(o.z[SOCIND_Z_LEN]));
        int32_t rounding = 0, want = SOCIND_ERR_ARG;
        if (bad == 0) rounding = 9;
        if (bad == 1) cb.age_in_months = 2;
        if (bad == 2) cb.size = 4, want = SOCIND_ERR_OPTIONS;
        if (bad == 3) o.size = 5000, want = SOCIND_ERR_OPTIONS;
        int32_t st = bad == 4   ? socind_growth_who2006_child(NULL, 0, &o)
                     : bad == 5 ? socind_growth_who2006_child(&cb, 0, NULL)
                                : socind_growth_who2006_child(&cb, rounding, &o);
        assert_int_equal(st, bad >= 4 ? SOCIND_ERR_NULL : want);
        if (bad == 3) continue; /* an unreadable size: *out untouched */
        if (bad == 5) continue;
        assert_memory_equal(&o, &fresh, sizeof o);
    }
    /* months: 300 days ~ 9.856 months give the same z */
    socind_growth_child_input cm = c;
    socind_growth_child_output om;
    socind_growth_child_output_init(&om);
    socind_growth_child_output_init(&o);
    cm.age_in_months = 1, cm.age = 300 / 30.4375;
    assert_int_equal(socind_growth_who2006_child(&c, 0, &o), SOCIND_OK);
    assert_int_equal(socind_growth_who2006_child(&cm, 0, &om), SOCIND_OK);
    assert_close(om.z[SOCIND_Z_LEN], o.z[SOCIND_Z_LEN], 0);
    assert_close(o.clenhei, 72.0, 0);
    assert_close(o.cbmi, 9.0 / (0.72 * 0.72), 1e-15);
    assert_int_equal(o.cmeasure, 1);
    /* 2007 */
    socind_growth2007_input i7;
    socind_growth2007_output o7;
    assert_int_equal(socind_growth2007_input_init(NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_growth2007_output_init(NULL), SOCIND_ERR_NULL);
    socind_growth2007_input_init(&i7);
    socind_growth2007_output_init(&o7);
    assert_int_equal(
        who2007(1, NULL, ag, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        SOCIND_ERR_NULL);
    assert_int_equal(
        who2007(1, sx, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        SOCIND_ERR_NULL);
    assert_int_equal(
        who2007(1, sx, ag, NULL, NULL, NULL, 4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
        SOCIND_ERR_ARG);
    assert_int_equal(socind_growth_who2007(0, &i7, 0, &o7), SOCIND_OK); /* n = 0, no columns */
    assert_int_equal(socind_growth_who2007(1, NULL, 0, &o7), SOCIND_ERR_NULL);
    assert_int_equal(socind_growth_who2007(1, &i7, 0, NULL), SOCIND_ERR_NULL);
    i7.sex = sx, i7.age_months = ag;
    o7.size = 7;
    assert_int_equal(socind_growth_who2007(1, &i7, 0, &o7), SOCIND_ERR_OPTIONS);
    o7.size = sizeof o7;
    i7.size = 0;
    assert_int_equal(socind_growth_who2007(1, &i7, 0, &o7), SOCIND_ERR_OPTIONS);
}

static void test_who2007_rules(void **state) {
    (void)state;
    int32_t sex[6] = {1, 2, 1, 1, 2, 1}, oed[6] = {0, 0, 1, 0, 0, 0}, reason[6];
    double age[6] = {60.0, 120.0, 100.0, 228.0, 228.01, 120.5};
    double h[6] = {110, 140, 130, 175, 165, 140}, w[6] = {19, 32, 28, 65, 55, 33};
    double zh[6], zw[6], zb[6];
    assert_int_equal(who2007(6, sex, age, h, w, oed, SOCIND_ROUND_NONE, NULL, zh, zw, zb, NULL,
                             NULL, NULL, reason),
                     SOCIND_OK);
    assert_false(isnan(zh[0]) || isnan(zw[0]) || isnan(zb[0]));
    assert_false(isnan(zw[1]));                 /* 120 months: last weight-for-age age */
    assert_true(isnan(zw[5]) && !isnan(zh[5])); /* 120.5: beyond weight-for-age */
    assert_true(isnan(zw[2]) && isnan(zb[2]) && !isnan(zh[2])); /* oedema */
    assert_false(isnan(zh[3]) || isnan(zb[3]));                 /* 228.00 in */
    assert_true(isnan(zh[4]) && isnan(zb[4]));                  /* 228.01 out */
    assert_true(reason[4] & SOCIND_GROWTH_AGE_OUT_OF_RANGE);
    /* interpolation between months lies between the neighbours */
    double a3[3] = {100.0, 100.5, 101.0}, h3[3] = {130, 130, 130}, z3[3];
    int32_t s3[3] = {2, 2, 2};
    who2007(3, s3, a3, h3, NULL, NULL, SOCIND_ROUND_NONE, NULL, z3, NULL, NULL, NULL, NULL, NULL,
            NULL);
    assert_true((z3[1] - z3[0]) * (z3[1] - z3[2]) < 0);
    /* negative height, zero weight */
    double hn[1] = {-5}, w0[1] = {0}, a1[1] = {100}, z1[1], zw1[1];
    int32_t s1[1] = {1}, r1[1];
    who2007(1, s1, a1, hn, w0, NULL, SOCIND_ROUND_NONE, NULL, z1, zw1, NULL, NULL, NULL, NULL, r1);
    assert_true(isnan(z1[0]) && (r1[0] & SOCIND_GROWTH_NEGATIVE_VALUE));
    assert_true(zw1[0] < -6); /* anthroplus: weight 0 gives a finite, flagged z */
}

/* One child of the 2006 standards through the batch API: z[8] in
 * SOCIND_Z_* order, cbmi, clenhei and the reason bits. */
static void batch06(double age, double w, double lh, double hc, double *z, double *cbmi,
                    double *clh, int32_t *reason) {
    int32_t sex = 1, meas = SOCIND_MEASURE_LYING, oed = 0, f[8];
    double ac = 15.0, ts = 9.0, ss = 7.0;
    socind_growth_input in;
    socind_growth_output out;
    socind_growth_input_init(&in);
    socind_growth_output_init(&out);
    in.sex = &sex, in.age = &age, in.weight = &w, in.lenhei = &lh, in.measure = &meas;
    in.oedema = &oed, in.headc = &hc, in.armc = &ac, in.triskin = &ts, in.subskin = &ss;
    out.zlen = z + SOCIND_Z_LEN, out.zwei = z + SOCIND_Z_WEI, out.zwfl = z + SOCIND_Z_WFL;
    out.zbmi = z + SOCIND_Z_BMI, out.zhc = z + SOCIND_Z_HC, out.zac = z + SOCIND_Z_AC;
    out.zts = z + SOCIND_Z_TS, out.zss = z + SOCIND_Z_SS, out.fbmi = f;
    out.cbmi = cbmi, out.clenhei = clh, out.reason = reason;
    assert_int_equal(socind_growth_who2006(1, &in, SOCIND_ROUND_WHO, &out), SOCIND_OK);
    for (int j = 0; j < 8; j++) assert_false(isinf(z[j]));
}

/* A negative or infinite measurement gives NaN in every z-score that uses
 * it, with its reason bit; the other z-scores are those of the same child
 * with that measurement missing (hand-checked: 400 days, 9 kg, 75 cm lying,
 * head 46 cm). */
static void test_negative_and_infinite_measurements(void **state) {
    (void)state;
    double ref[8], z[8], cb, cl;
    int32_t r;
    batch06(400, 9.0, 75.0, 46.0, ref, &cb, &cl, &r);
    for (int j = 0; j < 8; j++) assert_false(isnan(ref[j]));
    assert_close(cb, 9.0 / (0.75 * 0.75), 1e-15);
    assert_int_equal(r, 0);
    double nolen[8], nowei[8], nohc[8];
    batch06(400, 9.0, NAN, 46.0, nolen, &cb, &cl, &r);
    batch06(400, NAN, 75.0, 46.0, nowei, &cb, &cl, &r);
    batch06(400, 9.0, 75.0, NAN, nohc, &cb, &cl, &r);
    const double badv[3] = {-70.0, INFINITY, -INFINITY};
    for (int b = 0; b < 3; b++) {
        int32_t bit = (badv[b] < 0 ? SOCIND_GROWTH_NEGATIVE_VALUE : 0) |
                      (isinf(badv[b]) ? SOCIND_GROWTH_INFINITE_VALUE : 0);
        /* length: zlen, zwfl, zbmi, cbmi, clenhei (−70 cm used to give a BMI z) */
        batch06(400, 9.0, badv[b], 46.0, z, &cb, &cl, &r);
        assert_int_equal(r, bit);
        assert_true(isnan(z[SOCIND_Z_LEN]) && isnan(z[SOCIND_Z_WFL]) && isnan(z[SOCIND_Z_BMI]));
        assert_true(isnan(cb) && isnan(cl));
        for (int j = 0; j < 8; j++)
            assert_true(z[j] == nolen[j] || (isnan(z[j]) && isnan(nolen[j])));
        assert_close(z[SOCIND_Z_WEI], ref[SOCIND_Z_WEI], 0);
        /* weight: zwei, zwfl, zbmi, cbmi */
        batch06(400, badv[b] / 7.0, 75.0, 46.0, z, &cb, &cl, &r);
        assert_int_equal(r, bit);
        assert_true(isnan(z[SOCIND_Z_WEI]) && isnan(z[SOCIND_Z_WFL]) && isnan(z[SOCIND_Z_BMI]));
        assert_true(isnan(cb));
        assert_close(cl, 75.0, 0);
        for (int j = 0; j < 8; j++)
            assert_true(z[j] == nowei[j] || (isnan(z[j]) && isnan(nowei[j])));
        /* head circumference: zhc only */
        batch06(400, 9.0, 75.0, badv[b], z, &cb, &cl, &r);
        assert_int_equal(r, bit);
        for (int j = 0; j < 8; j++) assert_true(z[j] == nohc[j] || (isnan(z[j]) && isnan(nohc[j])));
        assert_true(isnan(z[SOCIND_Z_HC]));
    }
    /* a length of 0: no BMI (anthro's is Inf); near 0: BMI beyond the range */
    batch06(400, 9.0, 0.0, 46.0, z, &cb, &cl, &r);
    assert_true(isnan(z[SOCIND_Z_BMI]) && isnan(cb) && isnan(z[SOCIND_Z_LEN]));
    assert_int_equal(r, SOCIND_GROWTH_ZERO_VALUE);
    /* a measurement of 0 is missing to the age-based z-scores (anthro's
       rule), and says so: a weight of 0 (weight-for-length still
       computed), a head circumference of 0, and a length the −0.7 cm of
       a child of 2 measured lying takes below 0 */
    batch06(400, 0.0, 75.0, 46.0, z, &cb, &cl, &r);
    assert_int_equal(r, SOCIND_GROWTH_ZERO_VALUE);
    assert_true(isnan(z[SOCIND_Z_WEI]) && isnan(z[SOCIND_Z_BMI]) && !isnan(z[SOCIND_Z_WFL]));
    batch06(400, 9.0, 75.0, 0.0, z, &cb, &cl, &r);
    assert_int_equal(r, SOCIND_GROWTH_ZERO_VALUE);
    assert_true(isnan(z[SOCIND_Z_HC]) && !isnan(z[SOCIND_Z_LEN]));
    batch06(800, 9.0, 0.5, 46.0, z, &cb, &cl, &r);
    assert_int_equal(r, SOCIND_GROWTH_ZERO_VALUE);
    assert_true(isnan(z[SOCIND_Z_LEN]) && isnan(cb) && cl < 0.0);
    batch06(400, 9.0, 1e-160, 46.0, z, &cb, &cl, &r);
    assert_true(isnan(z[SOCIND_Z_BMI]) && isnan(cb));
    /* a weight near DBL_MAX: no infinite z-score */
    batch06(400, 1.7e308, 75.0, 46.0, z, &cb, &cl, &r);
    assert_false(isinf(cb));
    /* an infinite age: out of range, nothing age-based */
    batch06(INFINITY, 9.0, 75.0, 46.0, z, &cb, &cl, &r);
    assert_true(r & SOCIND_GROWTH_INFINITE_VALUE);
    assert_true(r & SOCIND_GROWTH_AGE_OUT_OF_RANGE);
    assert_true(isnan(z[SOCIND_Z_LEN]) && isnan(z[SOCIND_Z_WEI]));
    /* 2007: a negative or infinite height or weight */
    int32_t sex[6] = {1, 1, 1, 1, 1, 1}, rs[6];
    double age[6] = {100, 100, 100, 100, 100, 100};
    double h[6] = {130, -130, INFINITY, 130, 130, 0}, w[6] = {28, 28, 28, -28, INFINITY, 28};
    double zh[6], zw[6], zb[6], bmi[6];
    assert_int_equal(
        who2007(6, sex, age, h, w, NULL, SOCIND_ROUND_WHO, bmi, zh, zw, zb, NULL, NULL, NULL, rs),
        SOCIND_OK);
    assert_int_equal(rs[0], 0);
    assert_false(isnan(zh[0]) || isnan(zw[0]) || isnan(zb[0]) || isnan(bmi[0]));
    for (int k = 1; k <= 2; k++) { /* height */
        assert_true(isnan(zh[k]) && isnan(zb[k]) && isnan(bmi[k]));
        assert_close(zw[k], zw[0], 0);
    }
    for (int k = 3; k <= 4; k++) { /* weight */
        assert_true(isnan(zw[k]) && isnan(zb[k]) && isnan(bmi[k]));
        assert_close(zh[k], zh[0], 0);
    }
    assert_int_equal(rs[1], SOCIND_GROWTH_NEGATIVE_VALUE);
    assert_int_equal(rs[2], SOCIND_GROWTH_INFINITE_VALUE);
    assert_int_equal(rs[3], SOCIND_GROWTH_NEGATIVE_VALUE);
    assert_int_equal(rs[4], SOCIND_GROWTH_INFINITE_VALUE);
    /* height 0: anthroplus's flagged height z-score, no BMI */
    assert_true(zh[5] < -6 && isnan(zb[5]) && isnan(bmi[5]));
    assert_int_equal(rs[5], SOCIND_GROWTH_ZERO_VALUE);
}

/* The compiled tables equal the text tables, value for value. */
static void test_tables_match_text(void **state) {
    (void)state;
    struct {
        const char *file;
        const socind__lms_table *t;
        int tenths;
    } tabs[] = {
        {"lenanthro.txt", &socind__who_lenanthro, 0},
        {"weianthro.txt", &socind__who_weianthro, 0},
        {"bmianthro.txt", &socind__who_bmianthro, 0},
        {"hcanthro.txt", &socind__who_hcanthro, 0},
        {"acanthro.txt", &socind__who_acanthro, 0},
        {"tsanthro.txt", &socind__who_tsanthro, 0},
        {"ssanthro.txt", &socind__who_ssanthro, 0},
        {"wflanthro.txt", &socind__who_wflanthro, 1},
        {"wfhanthro.txt", &socind__who_wfhanthro, 1},
        {"hfawho2007.txt", &socind__who_hfawho2007, 0},
        {"wfawho2007.txt", &socind__who_wfawho2007, 0},
        {"bfawho2007.txt", &socind__who_bfawho2007, 0},
    };
    size_t total = 0;
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SOCIND_DATA_DIR, tabs[i].file);
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        char line[256];
        size_t rows = 0;
        assert_non_null(fgets(line, sizeof line, fp)); /* header */
        while (fgets(line, sizeof line, fp)) {
            int sex;
            double idx, l, m, s;
            if (sscanf(line, "%d %lf %lf %lf %lf", &sex, &idx, &l, &m, &s) != 5) continue;
            long key = tabs[i].tenths ? lround(idx * 10) : lround(idx);
            const double *p = socind__lms_row(tabs[i].t, sex, key);
            assert_non_null(p);
            assert_true(p[0] == l && p[1] == m && p[2] == s);
            rows++;
        }
        fclose(fp);
        assert_int_equal(rows, 2 * (size_t)(tabs[i].t->hi - tabs[i].t->lo + 1));
        total += rows;
    }
    assert_int_equal(total, 28240); /* 28,252 lines less 12 headers */
    /* the hundredths table of round2 equals the division */
    for (int k = 0; k < SOCIND_HUNDREDTHS; k++) assert_true(socind__hundredths[k] == k / 100.0);
    assert_null(socind__lms_row(&socind__who_lenanthro, 1, 1827));
    assert_null(socind__lms_row(&socind__who_lenanthro, 3, 100));
    assert_null(socind__lms_row(&socind__who_acanthro, 1, 90));
}

/* ---- rows over threads ---- */

static void *xmalloc(size_t size) {
    void *p = malloc(size ? size : 1);
    assert_non_null(p);
    return p;
}

/* A batch of children with every kind of row: plausible ones, missing and
 * invalid codes, NaN, negative and infinite measurements, ages beyond the
 * tables, in a random order. */
typedef struct {
    size_t n;
    int32_t *sex, *measure, *oedema;
    double *age, *weight, *lenhei, *headc, *armc, *triskin, *subskin;
} kids06;

static uint64_t next_rand(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static double unif(uint64_t *s) {
    return (double)(next_rand(s) >> 11) * 0x1.0p-53;
}
/* x, or now and then a value no measurement should have */
static double messy(uint64_t *s, double x) {
    uint64_t r = next_rand(s) % 64;
    return r == 0 ? NAN : r == 1 ? -x : r == 2 ? INFINITY : r == 3 ? 0.0 : x;
}

static kids06 make_kids(size_t n, uint64_t seed) {
    kids06 b;
    memset(&b, 0, sizeof b);
    b.n = n;
    b.sex = xmalloc(n * sizeof *b.sex);
    b.measure = xmalloc(n * sizeof *b.measure);
    b.oedema = xmalloc(n * sizeof *b.oedema);
    double **d[7] = {&b.age, &b.weight, &b.lenhei, &b.headc, &b.armc, &b.triskin, &b.subskin};
    for (int i = 0; i < 7; i++) *d[i] = xmalloc(n * sizeof(double));
    static const int32_t codes[] = {1, 2, 1, 2, 1, 2, -1, 3};
    for (size_t k = 0; k < n; k++) {
        b.sex[k] = codes[next_rand(&seed) % 8];
        b.measure[k] = codes[next_rand(&seed) % 8];
        b.oedema[k] = (int32_t)(next_rand(&seed) % 40) - 1; /* mostly invalid: −1, 0, 1 … */
        if (next_rand(&seed) % 4) b.oedema[k] = next_rand(&seed) % 20 ? 0 : 1;
        double age = floor(2000.0 * unif(&seed)) - 50.0, months = fabs(age) / 30.4375;
        b.age[k] = messy(&seed, age);
        b.weight[k] = messy(&seed, 3.3 + 0.25 * months + 3.0 * (unif(&seed) - 0.5));
        b.lenhei[k] = messy(&seed, 50.0 + 1.2 * months - 0.004 * months * months +
                                       12.0 * (unif(&seed) - 0.5));
        b.headc[k] = messy(&seed, 35.0 + 0.4 * months + 3.0 * unif(&seed));
        b.armc[k] = messy(&seed, 11.0 + 0.1 * months + 3.0 * unif(&seed));
        b.triskin[k] = messy(&seed, 5.0 + 8.0 * unif(&seed));
        b.subskin[k] = messy(&seed, 4.0 + 6.0 * unif(&seed));
    }
    return b;
}

static void free_kids(kids06 *b) {
    free(b->sex), free(b->measure), free(b->oedema), free(b->age), free(b->weight);
    free(b->lenhei), free(b->headc), free(b->armc), free(b->triskin), free(b->subskin);
}

static socind_growth_input input06(const kids06 *b, int32_t threads) {
    socind_growth_input in;
    assert_int_equal(socind_growth_input_init(&in), SOCIND_OK);
    assert_int_equal(in.threads, 1); /* the default: no thread unasked */
    in.sex = b->sex, in.age = b->age, in.weight = b->weight, in.lenhei = b->lenhei;
    in.measure = b->measure, in.oedema = b->oedema, in.headc = b->headc, in.armc = b->armc;
    in.triskin = b->triskin, in.subskin = b->subskin;
    in.threads = threads;
    return in;
}

/* every output column of socind_growth_who2006, in one allocation */
#define OUT06_DOUBLES 10
#define OUT06_INTS 11
typedef struct {
    double *d;
    int32_t *i;
    socind_growth_output out;
} outputs06;

static outputs06 make_outputs06(size_t n) {
    outputs06 o;
    o.d = xmalloc((n ? n : 1) * OUT06_DOUBLES * sizeof(double));
    o.i = xmalloc((n ? n : 1) * OUT06_INTS * sizeof(int32_t));
    /* a pattern the call must overwrite */
    memset(o.d, 0x5a, (n ? n : 1) * OUT06_DOUBLES * sizeof(double));
    memset(o.i, 0x5a, (n ? n : 1) * OUT06_INTS * sizeof(int32_t));
    socind_growth_output_init(&o.out);
    double **dc[OUT06_DOUBLES] = {&o.out.clenhei, &o.out.cbmi, &o.out.zlen, &o.out.zwei,
                                  &o.out.zwfl,    &o.out.zbmi, &o.out.zhc,  &o.out.zac,
                                  &o.out.zts,     &o.out.zss};
    int32_t **ic[OUT06_INTS] = {&o.out.cmeasure, &o.out.c9mo_flag, &o.out.flen,  &o.out.fwei,
                                &o.out.fwfl,     &o.out.fbmi,      &o.out.fhc,   &o.out.fac,
                                &o.out.fts,      &o.out.fss,       &o.out.reason};
    for (int c = 0; c < OUT06_DOUBLES; c++) *dc[c] = o.d + (size_t)c * n;
    for (int c = 0; c < OUT06_INTS; c++) *ic[c] = o.i + (size_t)c * n;
    return o;
}

static int same_outputs06(const outputs06 *a, const outputs06 *b, size_t n) {
    return !memcmp(a->d, b->d, n * OUT06_DOUBLES * sizeof(double)) &&
           !memcmp(a->i, b->i, n * OUT06_INTS * sizeof(int32_t));
}

static void test_threads_match_one_thread(void **state) {
    (void)state;
    /* sizes around the thread and block cuts, a prime among them */
    static const size_t sizes[] = {0, 1, 300, 16383, 16384, 40009, 100000};
    static const int32_t threads[] = {2, 3, 4, 0, 7, SOCIND_MAX_THREADS};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        kids06 b = make_kids(n, 11 + s);
        for (int rounding = 0; rounding <= 1; rounding++) {
            outputs06 one = make_outputs06(n);
            socind_growth_input in = input06(&b, 1);
            assert_int_equal(socind_growth_who2006(n, &in, rounding, &one.out), SOCIND_OK);
            assert_int_equal(socind__growth_threads_used, 1);
            for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
                outputs06 many = make_outputs06(n);
                in = input06(&b, threads[t]);
                assert_int_equal(socind_growth_who2006(n, &in, rounding, &many.out), SOCIND_OK);
                assert_true(same_outputs06(&one, &many, n));
                /* at least 8192 rows a thread */
                int most = n / 8192 > 0 ? (int)(n / 8192) : 1;
                assert_true(socind__growth_threads_used >= 1 &&
                            socind__growth_threads_used <= most);
                if (threads[t] > 1 && threads[t] <= most)
                    assert_int_equal(socind__growth_threads_used, threads[t]);
                free(many.d), free(many.i);
            }
            free(one.d), free(one.i);
        }
        free_kids(&b);
    }
}

/* Only some outputs asked for: the threads write those and nothing else. */
static void test_threads_some_outputs(void **state) {
    (void)state;
    size_t n = 50000;
    kids06 b = make_kids(n, 3);
    double *z1 = xmalloc(n * sizeof *z1), *z2 = xmalloc(n * sizeof *z2);
    int32_t *r1 = xmalloc(n * sizeof *r1), *r2 = xmalloc(n * sizeof *r2);
    socind_growth_output o1, o2;
    socind_growth_output_init(&o1);
    socind_growth_output_init(&o2);
    o1.zwfl = z1, o1.reason = r1, o2.zwfl = z2, o2.reason = r2;
    socind_growth_input in = input06(&b, 1);
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &o1), SOCIND_OK);
    in.threads = 2;
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &o2), SOCIND_OK);
    assert_int_equal(socind__growth_threads_used, 2);
    assert_memory_equal(z1, z2, n * sizeof *z1);
    assert_memory_equal(r1, r2, n * sizeof *r1);
    free(z1), free(z2), free(r1), free(r2);
    free_kids(&b);
}

/* A thread the system refuses is no error: the calling thread computes its
 * rows. */
static void test_threads_refused(void **state) {
    (void)state;
    size_t n = 70000;
    kids06 b = make_kids(n, 5);
    outputs06 one = make_outputs06(n), many = make_outputs06(n);
    socind_growth_input in = input06(&b, 1);
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &one.out), SOCIND_OK);
    socind__parallel_no_thread = 2;
    in.threads = 4; /* threads 1 and 3 refused: 2 of 4 run */
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &many.out), SOCIND_OK);
    assert_int_equal(socind__growth_threads_used, 2);
    assert_true(same_outputs06(&one, &many, n));
    in.threads = 2; /* the only extra thread refused: the caller does it all */
    memset(many.d, 0, n * OUT06_DOUBLES * sizeof(double));
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &many.out), SOCIND_OK);
    assert_int_equal(socind__growth_threads_used, 1);
    assert_true(same_outputs06(&one, &many, n));
    socind__parallel_no_thread = 0;
    free(one.d), free(one.i), free(many.d), free(many.i);
    free_kids(&b);
}

/* The thread count is checked like socind_options.threads, before any
 * thread starts; a caller built before the field existed gets 1 thread. */
static void test_threads_argument(void **state) {
    (void)state;
    size_t n = 40000;
    kids06 b = make_kids(n, 7);
    outputs06 one = make_outputs06(n), o = make_outputs06(n);
    socind_growth_input in = input06(&b, 1);
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &one.out), SOCIND_OK);
    static const int32_t bad[] = {-1, SOCIND_MAX_THREADS + 1, INT32_MIN, INT32_MAX};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        in.threads = bad[k];
        assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &o.out), SOCIND_ERR_ARG);
        assert_non_null(strstr(socind_last_error_detail(), "threads"));
        assert_int_equal(socind_last_error_row(), -1);
        assert_true(isnan(o.out.zlen[0]) && isnan(o.out.zlen[n - 1])); /* defined on failure */
        assert_int_equal(o.out.reason[n - 1], 0);
        socind_growth_quality q;
        socind_growth_quality_init(&q);
        assert_int_equal(socind_growth_quality_who2006(n, &in, &q), SOCIND_ERR_ARG);
    }
    in.threads = 2;
    in.reserved2 = 1;
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &o.out), SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "reserved2"));
    in.reserved2 = 0;
    /* a failing call fails the same way on any number of threads */
    char detail1[512];
    in.threads = 1;
    assert_int_equal(socind_growth_who2006(n, &in, 9, &o.out), SOCIND_ERR_ARG);
    snprintf(detail1, sizeof detail1, "%s", socind_last_error_detail());
    in.threads = 2;
    assert_int_equal(socind_growth_who2006(n, &in, 9, &o.out), SOCIND_ERR_ARG);
    assert_string_equal(detail1, socind_last_error_detail());
    /* the struct of a caller built before threads: the field is not read */
    in.size = offsetof(socind_growth_input, threads);
    in.threads = -5, in.reserved2 = 99;
    assert_int_equal(socind_growth_who2006(n, &in, SOCIND_ROUND_WHO, &o.out), SOCIND_OK);
    assert_int_equal(socind__growth_threads_used, 1);
    assert_true(same_outputs06(&one, &o, n));
    free(one.d), free(one.i), free(o.d), free(o.i);
    free_kids(&b);
}

static void test_threads_who2007(void **state) {
    (void)state;
    size_t n = 60001;
    uint64_t seed = 9;
    int32_t *sex = xmalloc(n * sizeof *sex), *oed = xmalloc(n * sizeof *oed);
    double *age = xmalloc(n * sizeof *age), *h = xmalloc(n * sizeof *h);
    double *w = xmalloc(n * sizeof *w);
    static const int32_t codes[] = {1, 2, 1, 2, 1, 2, -1, 0};
    for (size_t k = 0; k < n; k++) {
        sex[k] = codes[next_rand(&seed) % 8];
        oed[k] = codes[next_rand(&seed) % 8] - 1; /* 0, 1, −2, −1 */
        double a = 40.0 + 200.0 * unif(&seed);
        age[k] = messy(&seed, a);
        h[k] = messy(&seed, 100.0 + 0.4 * a + 20.0 * (unif(&seed) - 0.5));
        w[k] = messy(&seed, 15.0 + 0.25 * a + 10.0 * (unif(&seed) - 0.5));
    }
    enum { D = 4, I = 4 };
    double *d[2];
    int32_t *iv[2];
    for (int t = 0; t < 2; t++) {
        d[t] = xmalloc(n * D * sizeof(double));
        iv[t] = xmalloc(n * I * sizeof(int32_t));
        memset(d[t], 0x5a, n * D * sizeof(double));
        memset(iv[t], 0x5a, n * I * sizeof(int32_t));
        socind_growth2007_input in;
        socind_growth2007_output out;
        assert_int_equal(socind_growth2007_input_init(&in), SOCIND_OK);
        assert_int_equal(in.threads, 1);
        assert_int_equal(socind_growth2007_output_init(&out), SOCIND_OK);
        in.sex = sex, in.age_months = age, in.height_cm = h, in.weight_kg = w, in.oedema = oed;
        in.threads = t ? 3 : 1;
        out.cbmi = d[t], out.zhfa = d[t] + n, out.zwfa = d[t] + 2 * n, out.zbfa = d[t] + 3 * n;
        out.fhfa = iv[t], out.fwfa = iv[t] + n, out.fbfa = iv[t] + 2 * n;
        out.reason = iv[t] + 3 * n;
        assert_int_equal(socind_growth_who2007(n, &in, SOCIND_ROUND_WHO, &out), SOCIND_OK);
        assert_int_equal(socind__growth_threads_used, t ? 3 : 1);
        if (t) {
            in.threads = -1;
            assert_int_equal(socind_growth_who2007(n, &in, SOCIND_ROUND_WHO, &out), SOCIND_ERR_ARG);
            assert_non_null(strstr(socind_last_error_detail(), "threads"));
            in.threads = 2, in.reserved = 3;
            assert_int_equal(socind_growth_who2007(n, &in, SOCIND_ROUND_WHO, &out), SOCIND_ERR_ARG);
            assert_non_null(strstr(socind_last_error_detail(), "reserved"));
            in.reserved = 0;
            /* computed again after the failures, which left NaN behind */
            assert_int_equal(socind_growth_who2007(n, &in, SOCIND_ROUND_WHO, &out), SOCIND_OK);
        }
    }
    assert_memory_equal(d[0], d[1], n * D * sizeof(double));
    assert_memory_equal(iv[0], iv[1], n * I * sizeof(int32_t));
    free(sex), free(oed), free(age), free(h), free(w);
    free(d[0]), free(d[1]), free(iv[0]), free(iv[1]);
}

/* The block rounding the z-score loops use equals socind_round2 bit for
 * bit: ties, their neighbours, every magnitude, the 2^52 and 1e15 edges,
 * NaN, ±Inf, ±0 and subnormals. */
static void test_round2_block(void **state) {
    (void)state;
    enum { N = 256 * 64 };
    double *x = xmalloc(N * sizeof *x), *r = xmalloc(N * sizeof *r);
    uint64_t seed = 21;
    size_t k = 0;
    for (int i = 0; i < 2000 && k + 3 <= N; i++) { /* hundredths, ties, neighbours */
        double t = (i & 1 ? i / 200.0 : i / 100.0) * (i % 3 ? 1 : -1);
        x[k++] = t, x[k++] = nextafter(t, INFINITY), x[k++] = nextafter(t, -INFINITY);
    }
    static const double edges[] = {
        0x1p52 / 100, 0x1p53 / 100, 0x1p52, 0x1p53, 1e15,    1e13 + 0.005, 4503599627370.4951,
        40.955,       40.965,       40.96,  40.95,  DBL_MAX, DBL_MIN,      4.9e-324,
        0.0,          0.005,        0.015,  0.025,  2.675,   1.005};
    for (size_t e = 0; e < sizeof edges / sizeof *edges; e++)
        for (int sgn = -1; sgn <= 1; sgn += 2) {
            double v = sgn * edges[e];
            x[k++] = v, x[k++] = nextafter(v, INFINITY), x[k++] = nextafter(v, -INFINITY);
        }
    x[k++] = NAN, x[k++] = -NAN, x[k++] = INFINITY, x[k++] = -INFINITY, x[k++] = -0.0;
    for (int i = 0; i < 2000; i++) /* 100·|x| a whole number from 2^52 on, up to 1e15 */
        x[k++] = (i & 1 ? -1 : 1) * (0x1p52 / 100 + unif(&seed) * (1e15 - 0x1p52 / 100));
    while (k < N) { /* every magnitude: random bit patterns, and random z-like values */
        uint64_t b = next_rand(&seed);
        double v;
        memcpy(&v, &b, sizeof v);
        x[k] = (k & 1) ? v : 12.0 * (unif(&seed) - 0.5);
        k++;
    }
    for (size_t b = 0; b < N; b += 256) socind__round2_block(x + b, r + b);
    for (size_t i = 0; i < N; i++) {
        double want = socind_round2(x[i]);
        if (memcmp(&want, &r[i], sizeof want))
            fail_msg("round2 of %.17g: block %.17g, scalar %.17g", x[i], r[i], want);
    }
    free(x), free(r);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        SPLIT_ONE_THREAD(test_round2),
        SPLIT_ONE_THREAD(test_age_boundaries),
        SPLIT_ONE_THREAD(test_standing_under_9_months),
        SPLIT_ONE_THREAD(test_wfl_table_edges),
        SPLIT_ONE_THREAD(test_restricted_beyond_3),
        SPLIT_ONE_THREAD(test_oedema_and_codes),
        SPLIT_ONE_THREAD(test_batch_api_errors),
        SPLIT_ONE_THREAD(test_who2007_rules),
        SPLIT_ONE_THREAD(test_negative_and_infinite_measurements),
        SPLIT_ONE_THREAD(test_tables_match_text),
        SPLIT_THREADS(test_threads_match_one_thread),
        SPLIT_THREADS(test_threads_some_outputs),
        SPLIT_THREADS(test_threads_refused),
        SPLIT_ONE_THREAD(test_threads_argument),
        SPLIT_THREADS(test_threads_who2007),
        SPLIT_ONE_THREAD(test_round2_block),
    };
    return split_run(tests, NULL, NULL);
}
