/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_sizes.c — the size rule of every size-prefixed struct
 * (docs/abi.md): a struct the library reads may be larger than the
 * library's own only when the bytes it does not know are zero (a later
 * version's field set is refused with SOCIND_ERR_OPTIONS, never ignored);
 * a size below the first version's or above 4096 is refused; reserved input
 * fields must be 0; an output struct is written only within its own size
 * and the library's (bytes past them keep the caller's values, on success
 * and on failure). Each struct is embedded at the start of a larger buffer
 * whose tail is the "later version's" fields. */
#include "test_util.h"

#include <stddef.h>

#include "socind/socind.h"

#define TAIL 16

/* a struct followed by TAIL bytes, as a later version's larger struct */
#define LARGER(T)                                                                                  \
    struct {                                                                                       \
        T s;                                                                                       \
        unsigned char tail[TAIL];                                                                  \
    }

static socind_design *small_design(void) {
    static const double w[4] = {1, 2, 1, 2};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(4, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    return d;
}

static const double Y[4] = {1, 2, 3, 4};

static void test_options(void **state) {
    (void)state;
    socind_design *d = small_design();
    LARGER(socind_options) o;
    memset(&o, 0, sizeof o);
    assert_int_equal(socind_options_init(&o.s), SOCIND_OK);
    socind_estimate e;
    o.s.size = sizeof o; /* larger, unknown bytes zero: accepted */
    assert_int_equal(socind_mean(d, Y, NULL, 1, &o.s, &e), SOCIND_OK);
    o.tail[3] = 1; /* a later version's option set: refused, not ignored */
    assert_int_equal(socind_mean(d, Y, NULL, 1, &o.s, &e), SOCIND_ERR_OPTIONS);
    assert_int_equal(e.status, SOCIND_ERR_OPTIONS);
    assert_non_null(strstr(socind_last_error_detail(), "socind_options.size"));
    o.tail[3] = 0;
    o.s.size = 4097;
    assert_int_equal(socind_mean(d, Y, NULL, 1, &o.s, &e), SOCIND_ERR_OPTIONS);
    /* the first version's struct ends after prop_ci: a caller built with it
       is accepted, and the fields after it are not read (domain_rule: AUTO) */
    const size_t v1 = offsetof(socind_options, prop_ci) + sizeof(int32_t);
    o.s.size = v1 - 1;
    assert_int_equal(socind_mean(d, Y, NULL, 1, &o.s, &e), SOCIND_ERR_OPTIONS);
    o.s.size = v1;
    o.s.domain_rule = 99; /* beyond the caller's size: not read */
    assert_int_equal(socind_mean(d, Y, NULL, 1, &o.s, &e), SOCIND_OK);
    o.s.size = sizeof o.s;
    assert_int_equal(socind_mean(d, Y, NULL, 1, &o.s, &e), SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "domain_rule"));
    socind_design_free(d);
}

static void test_design_options(void **state) {
    (void)state;
    static const double w[4] = {1, 2, 1, 2};
    LARGER(socind_design_options) o;
    memset(&o, 0, sizeof o);
    assert_int_equal(socind_design_options_init(&o.s), SOCIND_OK);
    o.s.size = sizeof o;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(4, w, NULL, NULL, NULL, &o.s, &d), SOCIND_OK);
    socind_design_free(d);
    d = NULL;
    o.tail[TAIL - 1] = 7;
    assert_int_equal(socind_design_new(4, w, NULL, NULL, NULL, &o.s, &d), SOCIND_ERR_OPTIONS);
    assert_null(d);
}

static void test_poverty_line(void **state) {
    (void)state;
    socind_design *d = small_design();
    LARGER(socind_poverty_line) L;
    memset(&L, 0, sizeof L);
    assert_int_equal(socind_poverty_line_init(&L.s), SOCIND_OK);
    L.s.value = 2.5;
    L.s.size = sizeof L;
    socind_estimate e;
    assert_int_equal(socind_fgt(d, Y, &L.s, 0, NULL, 1, NULL, &e), SOCIND_OK);
    assert_close(e.value, 0.5, 1e-15); /* rows 1, 2: weight 1 + 2 of 6 */
    L.tail[0] = 1;
    assert_int_equal(socind_fgt(d, Y, &L.s, 0, NULL, 1, NULL, &e), SOCIND_ERR_OPTIONS);
    socind_design_free(d);
}

static const int32_t SEX[2] = {1, 2};
static const double AGE[2] = {400, 800}, WT[2] = {10, 11}, HT[2] = {75, 85};

static void test_growth_input_output(void **state) {
    (void)state;
    LARGER(socind_growth_input) in;
    LARGER(socind_growth_output) out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    socind_growth_input_init(&in.s);
    socind_growth_output_init(&out.s);
    in.s.sex = SEX, in.s.age = AGE, in.s.weight = WT, in.s.lenhei = HT;
    double zlen[2];
    out.s.zlen = zlen;
    in.s.size = sizeof in;
    out.s.size = sizeof out;
    assert_int_equal(socind_growth_who2006(2, &in.s, SOCIND_ROUND_WHO, &out.s), SOCIND_OK);
    assert_false(isnan(zlen[0]));
    /* a later version's output column: refused (it would never be written) */
    out.tail[2] = 0x11;
    assert_int_equal(socind_growth_who2006(2, &in.s, SOCIND_ROUND_WHO, &out.s), SOCIND_ERR_OPTIONS);
    assert_true(isnan(zlen[0])); /* the known columns are left defined */
    out.tail[2] = 0;
    in.tail[5] = 1;
    assert_int_equal(socind_growth_who2006(2, &in.s, SOCIND_ROUND_WHO, &out.s), SOCIND_ERR_OPTIONS);
    in.tail[5] = 0;
    /* the reserved field must be 0 */
    in.s.reserved = 12345;
    assert_int_equal(socind_growth_who2006(2, &in.s, SOCIND_ROUND_WHO, &out.s), SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "reserved"));
    socind_growth_quality q;
    socind_growth_quality_init(&q);
    assert_int_equal(socind_growth_quality_who2006(2, &in.s, &q), SOCIND_ERR_ARG);
    in.s.reserved = 0;
    assert_int_equal(socind_growth_quality_who2006(2, &in.s, &q), SOCIND_OK);
}

static void test_growth2007(void **state) {
    (void)state;
    static const double months[2] = {100, 150}, h[2] = {130, 150}, wt[2] = {25, 40};
    LARGER(socind_growth2007_input) in;
    LARGER(socind_growth2007_output) out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    socind_growth2007_input_init(&in.s);
    socind_growth2007_output_init(&out.s);
    in.s.sex = SEX, in.s.age_months = months, in.s.height_cm = h, in.s.weight_kg = wt;
    double zh[2];
    out.s.zhfa = zh;
    in.s.size = sizeof in, out.s.size = sizeof out;
    assert_int_equal(socind_growth_who2007(2, &in.s, SOCIND_ROUND_WHO, &out.s), SOCIND_OK);
    in.tail[0] = 1;
    assert_int_equal(socind_growth_who2007(2, &in.s, SOCIND_ROUND_WHO, &out.s), SOCIND_ERR_OPTIONS);
    in.tail[0] = 0;
    out.tail[TAIL - 1] = 1;
    assert_int_equal(socind_growth_who2007(2, &in.s, SOCIND_ROUND_WHO, &out.s), SOCIND_ERR_OPTIONS);
}

/* Output structs of values: the library writes within min(size, sizeof) */
static void test_value_outputs(void **state) {
    (void)state;
    LARGER(socind_growth_child_input) ci;
    LARGER(socind_growth_child_output) co;
    memset(&ci, 0, sizeof ci);
    socind_growth_child_input_init(&ci.s);
    socind_growth_child_output_init(&co.s);
    memset(co.tail, 0xAB, TAIL);
    ci.s.sex = 1, ci.s.age = 400, ci.s.weight = 10, ci.s.lenhei = 75;
    ci.s.size = sizeof ci;
    co.s.size = sizeof co;
    assert_int_equal(socind_growth_who2006_child(&ci.s, SOCIND_ROUND_WHO, &co.s), SOCIND_OK);
    assert_false(isnan(co.s.z[SOCIND_Z_LEN]));
    for (int k = 0; k < TAIL; k++) assert_int_equal(co.tail[k], 0xAB);
    ci.tail[1] = 1; /* an input's unknown field set: refused; the output cleared within */
    assert_int_equal(socind_growth_who2006_child(&ci.s, SOCIND_ROUND_WHO, &co.s),
                     SOCIND_ERR_OPTIONS);
    assert_true(isnan(co.s.z[SOCIND_Z_LEN]));
    assert_int_equal(co.s.size, sizeof co);
    for (int k = 0; k < TAIL; k++) assert_int_equal(co.tail[k], 0xAB);

    LARGER(socind_growth_quality) q;
    socind_growth_quality_init(&q.s);
    memset(q.tail, 0xCD, TAIL);
    q.s.size = sizeof q;
    assert_int_equal(socind_growth_quality_who2006(0, NULL, &q.s), SOCIND_ERR_NULL);
    assert_int_equal(q.s.size, sizeof q);
    for (int k = 0; k < TAIL; k++) assert_int_equal(q.tail[k], 0xCD);

    LARGER(socind_prevalence_row) row;
    socind_prevalence_row_init(&row.s);
    memset(row.tail, 0xEF, TAIL);
    row.s.size = sizeof row;
    assert_int_equal(socind_prevalence_table_row(NULL, 0, &row.s), SOCIND_ERR_NULL);
    assert_int_equal(row.s.group_kind, -1);
    for (int k = 0; k < TAIL; k++) assert_int_equal(row.tail[k], 0xEF);
    row.s.size = 4097;
    assert_int_equal(socind_prevalence_table_row(NULL, 0, &row.s), SOCIND_ERR_OPTIONS);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),      cmocka_unit_test(test_design_options),
        cmocka_unit_test(test_poverty_line), cmocka_unit_test(test_growth_input_output),
        cmocka_unit_test(test_growth2007),   cmocka_unit_test(test_value_outputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
