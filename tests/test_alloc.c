/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_alloc.c — allocation failure: every allocation the library makes
 * is failed in turn (malloc/calloc/realloc wrapped at link time); each call
 * must return SOCIND_ERR_NOMEM with its outputs defined and leak nothing
 * (the sanitizer build checks the leaks). */
#include "test_util.h"

#include <limits.h>

#include "socind/socind.h"

#include "internal.h"       /* socind__qline_force_histogram */
#include "state_internal.h" /* socind__qwin_budget */

#include "alloc_fail.h"

enum { N = 3000 };
static double w[N], x[N];
static int64_t s[N], p[N];
static int32_t g[N];

static void fill(void) {
    for (int k = 0; k < N; k++) {
        w[k] = 1 + k % 5;
        x[k] = (k * 13) % 7;
        s[k] = k / 300;
        p[k] = k / 10; /* 300 PSUs: makes the PSU map grow */
        g[k] = k % 4 - 1;
    }
}

static void test_design_new_nomem(void **state) {
    (void)state;
    fill();
    /* then 300 strata and 1,500 PSUs: their id lists and maps grow too */
    static int64_t s2[N], p2[N];
    for (int k = 0; k < N; k++) s2[k] = k / 10, p2[k] = k / 2;
    for (int shape = 0; shape < 2; shape++) {
        int failures = 0;
        for (long i = 0;; i++) {
            socind_design *d = (socind_design *)1;
            alloc_count = 0;
            fail_at = i;
            int32_t st = shape ? socind_design_new(N, w, s2, p2, NULL, NULL, &d)
                               : socind_design_new(N, w, s, p, NULL, NULL, &d);
            fail_at = -1;
            if (st == SOCIND_OK) {
                assert_non_null(d);
                assert_int_equal(socind_design_npsu(d), shape ? 1500 : 300);
                socind_design_free(d);
                break;
            }
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            assert_null(d);
            failures++;
        }
        assert_true(failures >= 5);
    }
}

static void test_estimators_nomem(void **state) {
    (void)state;
    fill();
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, NULL, &d), SOCIND_OK);
    for (int which = 0; which < 3; which++) {
        int failures = 0;
        for (long i = 0;; i++) {
            socind_estimate e[3];
            double v[3];
            alloc_count = 0;
            fail_at = i;
            int32_t st;
            if (which == 0)
                st = socind_mean(d, x, g, 3, NULL, e);
            else if (which == 1)
                st = socind_total(d, x, NULL, 0, NULL, e);
            else
                st = socind_variance(d, x, g, 3, v);
            fail_at = -1;
            if (st == SOCIND_OK) break;
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            if (which < 2)
                assert_true(isnan(e[0].value) && isnan(e[0].se));
            else
                assert_true(isnan(v[0]));
            failures++;
        }
        assert_true(failures >= 3);
    }
    socind_design_free(d);
}

/* The J-divergence, its decomposition and Zenga (whose 3,000 rows take the
 * radix sort), overall and by domain: every allocation failed in turn. */
static void test_jdiv_zenga_nomem(void **state) {
    (void)state;
    fill();
    double y[N];
    int32_t part[N];
    for (int k = 0; k < N; k++) y[k] = 1.0 + x[k], part[k] = k % 3;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, NULL, &d), SOCIND_OK);
    for (int which = 0; which < 5; which++) {
        int failures = 0;
        for (long i = 0;; i++) {
            socind_estimate e[3];
            alloc_count = 0;
            fail_at = i;
            int32_t st = which == 0   ? socind_jdiv(d, y, SOCIND_NONPOS_ERROR, g, 3, NULL, e)
                         : which == 1 ? socind_zenga(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e)
                         : which == 2 ? socind_zenga(d, y, SOCIND_NONPOS_ERROR, g, 3, NULL, e)
                         : which == 3 ? socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, part,
                                                                  3, NULL, e)
                                      : socind_jdiv(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e);
            fail_at = -1;
            if (st == SOCIND_OK) break;
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            assert_true(isnan(e[0].value) && isnan(e[0].se));
            failures++;
        }
        assert_true(failures >= 3);
    }
    socind_design_free(d);
}

/* Poverty measures: a relative quantile line by both of its paths (whole
 * sample and by domain), Watts, FGT2 by domain. Every allocation of a call
 * is failed in turn: the call returns SOCIND_ERR_NOMEM with NaN outputs, or
 * — where the library has a way without the memory (a domain's density
 * without its copy of the rows) — the same figures as without failures. */
static int32_t poverty_call(int which, socind_design *d, const double *y, socind_estimate *e) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = which < 2 || which == 4 ? SOCIND_LINE_RELATIVE_QUANTILE : SOCIND_LINE_ABSOLUTE;
    L.value = L.type == SOCIND_LINE_RELATIVE_QUANTILE ? 0.6 : 500.0;
    socind__qline_force_histogram = which == 1;
    int32_t st;
    if (which < 2)
        st = socind_fgt(d, y, &L, 0.0, NULL, 0, NULL, e);
    else if (which == 2)
        st = socind_watts(d, y, &L, SOCIND_NONPOS_ERROR, NULL, 0, NULL, e);
    else
        st = socind_fgt(d, y, &L, which == 3 ? 2.0 : 0.0, g, 3, NULL, e);
    socind__qline_force_histogram = 0;
    return st;
}

static void test_poverty_nomem(void **state) {
    (void)state;
    fill();
    double y[N];
    for (int k = 0; k < N; k++) y[k] = 100.0 + (k * 7919) % 1000;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, NULL, &d), SOCIND_OK);
    for (int which = 0; which < 5; which++) {
        socind_estimate ref[3], e[3];
        alloc_count = 0;
        fail_at = LONG_MAX; /* count, fail none */
        assert_int_equal(poverty_call(which, d, y, ref), SOCIND_OK);
        fail_at = -1;
        long total = alloc_count;
        int failures = 0, without = 0;
        for (long i = 0; i < total; i++) {
            alloc_count = 0;
            fail_at = i;
            int32_t st = poverty_call(which, d, y, e);
            fail_at = -1;
            if (st == SOCIND_OK) {
                int groups = which >= 3 ? 3 : 1;
                for (int j = 0; j < groups; j++) {
                    assert_true(e[j].value == ref[j].value ||
                                (isnan(e[j].value) && isnan(ref[j].value)));
                    assert_close(e[j].se, ref[j].se, 1e-12);
                }
                without++;
                continue;
            }
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            assert_true(isnan(e[0].value) && isnan(e[0].se));
            failures++;
        }
        assert_true(failures >= 3);
        /* a domain's density does without its copy of the rows */
        if (which == 4) assert_true(without >= 1);
    }
    socind_design_free(d);
}

/* Sen and SST by domain: every allocation failed in turn gives
 * SOCIND_ERR_NOMEM with every output NaN. */
static void test_sen_nomem(void **state) {
    (void)state;
    fill();
    double y[N];
    for (int k = 0; k < N; k++) y[k] = 100.0 + (k * 7919) % 1000;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 500.0;
    for (int which = 0; which < 2; which++) {
        enum { K = 3 * SOCIND_SEN_COUNT };
        socind_estimate e[K];
        int failures = 0;
        for (long i = 0;; i++) {
            alloc_count = 0;
            fail_at = i;
            int32_t st =
                which ? socind_sst(d, y, &L, g, 3, NULL, e) : socind_sen(d, y, &L, g, 3, NULL, e);
            fail_at = -1;
            if (st == SOCIND_OK) break;
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            for (int j = 0; j < K; j++) assert_true(isnan(e[j].value) && isnan(e[j].se));
            failures++;
        }
        assert_true(failures >= 3);
    }
    socind_design_free(d);
}

/* Richness (against an absolute and a relative threshold) and the gender
 * pay gap by domain: each allocation failed in turn gives SOCIND_ERR_NOMEM
 * with every output NaN. */
static void test_rich_gpg_nomem(void **state) {
    (void)state;
    fill();
    double y[N];
    int32_t sex[N];
    for (int k = 0; k < N; k++) y[k] = 100.0 + (k * 7919) % 1000, sex[k] = 1 + k % 2;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, NULL, &d), SOCIND_OK);
    for (int which = 0; which < 3; which++) {
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.value = 800.0;
        if (which == 1) L.type = SOCIND_LINE_RELATIVE_QUANTILE, L.value = 1.5, L.quantile = 0.5;
        socind_estimate e[3];
        int failures = 0;
        for (long i = 0;; i++) {
            alloc_count = 0;
            fail_at = i;
            int32_t st = which == 2
                             ? socind_gender_pay_gap(d, y, sex, g, 3, NULL, e)
                             : socind_richness(d, y, &L, SOCIND_RICH_CHA, 1.0, g, 3, NULL, e);
            fail_at = -1;
            if (st == SOCIND_OK) break;
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            for (int j = 0; j < 3; j++) assert_true(isnan(e[j].value) && isnan(e[j].se));
            failures++;
        }
        assert_true(failures >= 1);
    }
    socind_design_free(d);
}

/* The prevalence tables and the quality summary: children of whom some are
 * older than 1826 days (and than 228 months), so the table also builds the
 * design over the kept children; every allocation failed in turn. */
/* convey's quantile-based measures, overall and by domain: each allocation
 * failed in turn gives SOCIND_ERR_NOMEM with every output NaN, or (where
 * the relative line has a way without the memory) the figures as without
 * failures. */
static int32_t convey_call(int which, socind_design *d, const double *y, const double *age,
                           socind_estimate *e) {
    switch (which) {
    case 0:
        return socind_quantile_linearized(d, y, 0.3, g, 3, NULL, e);
    case 1:
        return socind_quantile_income_total(d, y, 0.8, 1, NULL, 0, NULL, e);
    case 2:
        return socind_median_income_ratio(d, y, age, 65, g, 3, NULL, e);
    case 3:
        return socind_poor_median(d, y, 0.6, 0.5, g, 3, NULL, e);
    default:
        return socind_relative_median_gap(d, y, 0.6, 0.5, NULL, 0, NULL, e);
    }
}

static void test_convey_quantile_nomem(void **state) {
    (void)state;
    fill();
    static double y[N], age[N];
    for (int k = 0; k < N; k++) y[k] = 100 + (k * 37) % 1000, age[k] = (k * 7) % 90;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, NULL, &d), SOCIND_OK);
    for (int which = 0; which < 5; which++) {
        socind_estimate ref[3 * SOCIND_RMIR_COUNT], e[3 * SOCIND_RMIR_COUNT];
        size_t count = which == 2 ? 3 * SOCIND_RMIR_COUNT : which == 0 || which == 3 ? 3 : 1;
        assert_int_equal(convey_call(which, d, y, age, ref), SOCIND_OK);
        int failures = 0;
        for (long i = 0;; i++) {
            alloc_count = 0;
            fail_at = i;
            int32_t st = convey_call(which, d, y, age, e);
            fail_at = -1;
            if (alloc_count <= i) { /* nothing failed */
                assert_int_equal(st, SOCIND_OK);
                break;
            }
            if (st == SOCIND_OK) {
                for (size_t k = 0; k < count; k++)
                    assert_true(e[k].value == ref[k].value && e[k].se == ref[k].se);
                continue;
            }
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            for (size_t k = 0; k < count; k++) assert_true(isnan(e[k].value) && isnan(e[k].se));
            failures++;
        }
        assert_true(failures >= 3);
    }
    socind_design_free(d);
}

static void test_prevalence_nomem(void **state) {
    (void)state;
    fill();
    static int32_t sex[N];
    static double age[N], months[N], wt[N], lh[N];
    for (int k = 0; k < N; k++) {
        sex[k] = 1 + k % 2;
        age[k] = k % 37 == 0 ? 1900 : (k * 7) % 1826;
        months[k] = k % 41 == 0 ? 230 : 60 + (k * 7) % 168;
        wt[k] = 4 + (k % 130) / 10.0;
        lh[k] = 55 + (k % 600) / 10.0;
    }
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = SOCIND_LONELY_ADJUST;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, s, p, NULL, &o, &d), SOCIND_OK);
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.weight = wt, in.lenhei = lh;
    socind_growth2007_input in7;
    socind_growth2007_input_init(&in7);
    in7.sex = sex, in7.age_months = months, in7.height_cm = lh, in7.weight_kg = wt;
    for (int which = 0; which < 3; which++) {
        int failures = 0;
        for (long i = 0;; i++) {
            socind_prevalence_table *t = (socind_prevalence_table *)1;
            socind_growth_quality q;
            socind_growth_quality_init(&q);
            alloc_count = 0;
            fail_at = i;
            int32_t st = which == 0   ? socind_prevalence_who2006(d, &in, g, 3, NULL, &t)
                         : which == 1 ? socind_prevalence_who2007(d, &in7, g, 3, NULL, &t)
                                      : socind_growth_quality_who2006(N, &in, &q);
            fail_at = -1;
            if (which == 2) t = NULL;
            if (st == SOCIND_OK) {
                if (which < 2) assert_true(socind_prevalence_table_nrows(t) > 0);
                socind_prevalence_table_free(t);
                break;
            }
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            assert_null(t);
            if (which == 2) assert_true(q.n == 0 && isnan(q.sd[0]));
            failures++;
        }
        static const char *const what[3] = {"who2006 table", "who2007 table", "quality"};
        printf("  %s: %d allocations failed in turn\n", what[which], failures);
        assert_true(failures >= (which == 2 ? 9 : 20));
    }
    socind_design_free(d);
}

/* The bytes of state t (malloc'd, *len set), made with no failure. */
static unsigned char *bytes_of(const socind_state *t, size_t *len) {
    const long keep = fail_at;
    fail_at = -1;
    socind_state_to_bytes(t, NULL, 0, len);
    unsigned char *b = malloc(*len);
    assert_int_equal(socind_state_to_bytes(t, b, *len, len), SOCIND_OK);
    fail_at = keep;
    return b;
}

/* A copy of t through its bytes, made with no failure. */
static socind_state *copy_of(const socind_state *t) {
    size_t len;
    unsigned char *b = bytes_of(t, &len);
    const long keep = fail_at;
    fail_at = -1;
    socind_state *c = NULL;
    assert_int_equal(socind_state_from_bytes(b, len, &c), SOCIND_OK);
    fail_at = keep;
    free(b);
    return c;
}

/* Reading t's bytes with every allocation failed in turn until it
 * succeeds: each failure SOCIND_ERR_NOMEM with no state given. */
static void reads_under_every_failure(const socind_state *t) {
    size_t len;
    unsigned char *b = bytes_of(t, &len);
    for (long i = 0;; i++) {
        socind_state *r = (socind_state *)1;
        alloc_count = 0, fail_at = i;
        const int32_t st = socind_state_from_bytes(b, len, &r);
        fail_at = -1;
        if (st == SOCIND_OK) {
            socind_state_free(r);
            break;
        }
        assert_int_equal(st, SOCIND_ERR_NOMEM);
        assert_null(r);
    }
    free(b);
}

static int32_t add_op(socind_state *s, const void *c) {
    return socind_state_add(s, c);
}
static int32_t merge_op(socind_state *s, const void *from) {
    return socind_state_merge(s, from);
}

/* op(a, arg) with every allocation failed in turn until it succeeds: each
 * failure SOCIND_ERR_NOMEM with a's bytes as they were. */
static long failed_calls; /* calls made to fail (the tests check some were) */
static void changes_only_on_success(socind_state *a, int32_t (*op)(socind_state *, const void *),
                                    const void *arg) {
    size_t len0, len1;
    unsigned char *b0 = bytes_of(a, &len0);
    for (long i = 0;; i++) {
        alloc_count = 0, fail_at = i;
        const int32_t st = op(a, arg);
        fail_at = -1;
        if (st == SOCIND_OK) break;
        failed_calls++;
        assert_int_equal(st, SOCIND_ERR_NOMEM);
        unsigned char *b1 = bytes_of(a, &len1);
        assert_int_equal(len1, len0);
        assert_memory_equal(b1, b0, len0);
        free(b1);
    }
    free(b0);
}

/* Partial states over their passes — the median of the poor (two passes:
 * its histogram, then its window and ranges; and five with a window budget
 * of one row: its own quantile state inside), FGT against a relative
 * quantile line and the Sen index: in every pass, every allocation of socind_state_add,
 * socind_state_merge, socind_state_from_bytes, socind_state_next_pass and
 * the last pass's socind_state_finish failed in turn gives
 * SOCIND_ERR_NOMEM, and a failed add or merge leaves the state's bytes as
 * they were. */
static void test_state_passes_nomem(void **state) {
    (void)state;
    fill();
    static double y[N];
    for (int k = 0; k < N; k++) y[k] = 100.0 + (double)((k * 37) % 1009) * (1.0 + k % 3);
    const int32_t ests[4] = {SOCIND_STATE_POOR_MEDIAN, SOCIND_STATE_FGT, SOCIND_STATE_SEN,
                             SOCIND_STATE_POOR_MEDIAN};
    for (int e = 0; e < 4; e++) {
        failed_calls = 0;
        socind__qwin_budget = e == 3; /* (the median of the poor's five passes) */
        socind_state_spec sp;
        socind_state_spec_init(&sp);
        sp.estimator = ests[e];
        sp.n_groups = 3;
        sp.has_strata = sp.has_psu = 1;
        sp.line_type =
            ests[e] == SOCIND_STATE_SEN ? SOCIND_LINE_ABSOLUTE : SOCIND_LINE_RELATIVE_QUANTILE;
        sp.line = ests[e] == SOCIND_STATE_SEN ? 900.0 : 0.6;
        sp.alpha = ests[e] == SOCIND_STATE_FGT ? 1.0 : NAN;
        socind_chunk half[2];
        for (int h = 0; h < 2; h++) {
            socind_chunk_init(&half[h]);
            const size_t a = h ? N / 2 : 0;
            half[h].n = h ? N - N / 2 : N / 2;
            half[h].first_row = (int64_t)a;
            half[h].weight = w + a, half[h].y = y + a, half[h].strata = s + a;
            half[h].psu = p + a, half[h].group = g + a;
        }
        socind_state *tmpl = NULL;
        assert_int_equal(socind_state_new(&sp, &tmpl), SOCIND_OK);
        for (;;) {
            /* add: the first half into a copy of the pass's empty state */
            socind_state *a = copy_of(tmpl), *b = copy_of(tmpl);
            assert_int_equal(socind_state_add(b, &half[1]), SOCIND_OK);
            changes_only_on_success(a, add_op, &half[0]);
            changes_only_on_success(a, merge_op, b); /* b into a */
            reads_under_every_failure(a);            /* the merged state's bytes */
            socind_state_free(b);
            socind_state_free(tmpl);
            tmpl = NULL;
            int32_t pass, passes;
            socind_state_passes(a, &pass, &passes);
            if (pass == passes) {
                if (ests[e] == SOCIND_STATE_POOR_MEDIAN)
                    assert_true(e == 3 ? passes == 5 : passes <= 3);
                socind_estimate out[3 * SOCIND_SEN_COUNT];
                const size_t cnt = ests[e] == SOCIND_STATE_SEN ? 3 * SOCIND_SEN_COUNT : 3;
                for (long i = 0;; i++) {
                    alloc_count = 0, fail_at = i;
                    const int32_t st = socind_state_finish(a, NULL, out, cnt);
                    fail_at = -1;
                    if (st == SOCIND_OK) break;
                    assert_int_equal(st, SOCIND_ERR_NOMEM);
                    for (size_t j = 0; j < cnt; j++) assert_true(isnan(out[j].value));
                }
                size_t ok = 0;
                for (size_t j = 0; j < cnt; j++) ok += out[j].status == SOCIND_OK;
                if (ok == 0) print_error("estimator %d: status %d\n", ests[e], out[0].status);
                assert_true(ok > 0);
                /* adds and merges of every pass were made to fail (some
                   allocations in each) */
                assert_true(failed_calls >= 10);
                socind_state_free(a);
                break;
            }
            for (long i = 0;; i++) {
                socind_state *n = (socind_state *)1;
                alloc_count = 0, fail_at = i;
                const int32_t st = socind_state_next_pass(a, &n);
                fail_at = -1;
                if (st == SOCIND_OK) {
                    tmpl = n;
                    break;
                }
                assert_int_equal(st, SOCIND_ERR_NOMEM);
                assert_null(n);
            }
            socind_state_free(a);
        }
    }
    socind__qwin_budget = 0;
}

/* A mean's state with domains: making it, adding rows that come before
 * its own (its domains' shifts move), merging a state of earlier rows
 * (into's cells move), more domains and reading its bytes, every
 * allocation failed in turn: SOCIND_ERR_NOMEM, and a failed add, merge or
 * growth leaves the state's bytes as they were. */
static int32_t groups_op(socind_state *st, const void *n) {
    return socind_state_set_groups(st, *(const int32_t *)n);
}
static void test_mean_state_nomem(void **state) {
    (void)state;
    fill();
    static double y[N];
    for (int k = 0; k < N; k++) y[k] = 1e6 + (double)((k * 37) % 1009);
    socind_state_spec sp;
    socind_state_spec_init(&sp);
    sp.estimator = SOCIND_STATE_MEAN;
    sp.n_groups = 3;
    sp.has_strata = sp.has_psu = 1;
    socind_chunk q[3]; /* rows [0, N/3), [N/3, 2N/3), [2N/3, N) */
    for (int h = 0; h < 3; h++) {
        socind_chunk_init(&q[h]);
        const size_t a = (size_t)h * N / 3;
        q[h].n = (size_t)N / 3, q[h].first_row = (int64_t)a;
        q[h].weight = w + a, q[h].y = y + a, q[h].strata = s + a, q[h].psu = p + a;
        q[h].group = g + a;
    }
    socind_state *a = NULL, *b = NULL;
    for (long i = 0;; i++) {
        alloc_count = 0, fail_at = i;
        const int32_t st = socind_state_new(&sp, &a);
        fail_at = -1;
        if (st == SOCIND_OK) break;
        assert_int_equal(st, SOCIND_ERR_NOMEM);
        assert_null(a);
    }
    assert_int_equal(socind_state_new(&sp, &b), SOCIND_OK);
    failed_calls = 0;
    changes_only_on_success(a, add_op, &q[2]);
    changes_only_on_success(a, add_op, &q[1]); /* (before a's rows) */
    assert_int_equal(socind_state_add(b, &q[0]), SOCIND_OK);
    changes_only_on_success(a, merge_op, b); /* (b's rows before a's) */
    const int32_t more = 50;
    changes_only_on_success(a, groups_op, &more);
    assert_true(failed_calls >= 10);
    reads_under_every_failure(a);
    /* the figures: one state of the rows in order */
    socind_state *c = NULL;
    assert_int_equal(socind_state_new(&sp, &c), SOCIND_OK);
    for (int h = 0; h < 3; h++) assert_int_equal(socind_state_add(c, &q[h]), SOCIND_OK);
    assert_int_equal(socind_state_set_groups(c, more), SOCIND_OK);
    socind_estimate e[2][50];
    assert_int_equal(socind_state_finish(a, NULL, e[0], 50), SOCIND_OK);
    assert_int_equal(socind_state_finish(c, NULL, e[1], 50), SOCIND_OK);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(e[0][k].status, SOCIND_OK);
        assert_close(e[0][k].value, e[1][k].value, 1e-15);
        assert_close(e[0][k].se, e[1][k].se, 1e-12);
        assert_close(e[0][k].deff, e[1][k].deff, 1e-12);
    }
    socind_state_free(a), socind_state_free(b), socind_state_free(c);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_design_new_nomem),      cmocka_unit_test(test_estimators_nomem),
        cmocka_unit_test(test_poverty_nomem),         cmocka_unit_test(test_sen_nomem),
        cmocka_unit_test(test_jdiv_zenga_nomem),      cmocka_unit_test(test_prevalence_nomem),
        cmocka_unit_test(test_convey_quantile_nomem), cmocka_unit_test(test_rich_gpg_nomem),
        cmocka_unit_test(test_state_passes_nomem),    cmocka_unit_test(test_mean_state_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
