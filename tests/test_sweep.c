/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_sweep.c — a generated bad-input sweep over every public
 * function: NULL for each pointer, n = 0 and 1, NaN, ±Inf, subnormal and
 * near-DBL_MAX values, negative and zero weights, out-of-range codes and
 * groups, n_groups 0 and −1, bad options, lonely strata under every policy.
 * For each combination the documented status is asserted where the input
 * decides it, and always the invariants: on failure every output is defined
 * (NaN estimates with the status, *out NULL); on success an estimate whose
 * status is SOCIND_OK has a finite value, se and interval, and any other
 * status is one an estimate may carry; socind_last_error_row() is −1 or a
 * row of the call's arrays; GSL's handler is never reached (it fails the
 * test). */
#include <float.h>

#include "test_util.h"

#include "socind/socind.h"

#define N 12
#define NG 3
#define MAXOUT (NG * 5)

static long cases; /* combinations run */

/* ---- the data ---- */

static const int64_t STRATA[N] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
static const int64_t PSU[N] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6};
static const int64_t LONELY_STRATA[N] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
static const int64_t LONELY_PSU_IDS[N] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5}; /* stratum 3 */
static const double W[N] = {1, 2, 1.5, 3, 2, 1, 1, 2.5, 1, 2, 3, 1};
static const double INCOME[N] = {120, 80, 300, 45, 60, 150, 95, 210, 30, 500, 75, 110};
static const int32_t GROUP[N] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, -1};

/* income variants: each fills y from INCOME */
enum {
    Y_PLAIN,
    Y_NAN,      /* some missing */
    Y_ALL_NAN,  /* every value missing */
    Y_PINF,     /* +Inf in row INF_ROW */
    Y_NINF,     /* −Inf in row INF_ROW */
    Y_SUBNORM,  /* subnormal incomes */
    Y_HUGE,     /* near 1e308 */
    Y_HUGE_NEG, /* ±1e308 */
    Y_ZERO,     /* all zero */
    Y_EQUAL,    /* all equal */
    Y_NEG,      /* some negative */
    Y_BINARY,   /* 0/1 (proportions) */
    Y_COUNT
};
#define INF_ROW 6

static void make_y(int kind, double *y) {
    for (int k = 0; k < N; k++) {
        double v = INCOME[k];
        switch (kind) {
        case Y_NAN:
            v = k % 4 == 1 ? NAN : v;
            break;
        case Y_ALL_NAN:
            v = NAN;
            break;
        case Y_PINF:
            v = k == INF_ROW ? INFINITY : v;
            break;
        case Y_NINF:
            v = k == INF_ROW ? -INFINITY : v;
            break;
        case Y_SUBNORM:
            v = v * 1e-320;
            break;
        case Y_HUGE:
            v = 1.7e308 * (0.5 + v / 1000.0);
            break;
        case Y_HUGE_NEG:
            v = k % 2 ? -1e308 : 1e308;
            break;
        case Y_ZERO:
            v = 0;
            break;
        case Y_EQUAL:
            v = 100;
            break;
        case Y_NEG:
            v = k % 3 == 0 ? -v : v;
            break;
        case Y_BINARY:
            v = k % 3 == 0;
            break;
        default:
            break;
        }
        y[k] = v;
    }
}

/* weight variants for a design that builds */
enum { W_PLAIN, W_SOME_ZERO, W_SUBNORM, W_HUGE, W_COUNT_OK };

static void make_w(int kind, double *w) {
    for (int k = 0; k < N; k++) {
        double v = W[k];
        if (kind == W_SOME_ZERO) v = k % 5 == 2 ? 0 : v;
        if (kind == W_SUBNORM) v = v * 1e-320;
        if (kind == W_HUGE) v = DBL_MAX / 4 * (v / 3);
        w[k] = v;
    }
}

/* ---- invariants ---- */

static int estimate_status_ok(int32_t s) {
    return s == SOCIND_OK || s == SOCIND_ERR_EMPTY_DOMAIN || s == SOCIND_ERR_DF ||
           s == SOCIND_ERR_DATA || s == SOCIND_ERR_OVERFLOW || s == SOCIND_ERR_RANGE ||
           s == SOCIND_ERR_LONELY_PSU;
}

static void check_row(size_t n) {
    int64_t r = socind_last_error_row();
    assert_true(r == -1 || (r >= 0 && (size_t)r < n));
}

/* The estimates of one call: a failure leaves each NaN with the status; a
 * success has finite figures wherever the status is SOCIND_OK. */
static void check_estimates(int32_t st, const socind_estimate *e, size_t m) {
    for (size_t i = 0; i < m; i++) {
        if (st != SOCIND_OK) {
            assert_true(isnan(e[i].value) && isnan(e[i].se) && isnan(e[i].ci_low) &&
                        isnan(e[i].ci_high));
            assert_int_equal(e[i].status, st);
            assert_int_equal(e[i].n, 0);
            continue;
        }
        if (!estimate_status_ok(e[i].status))
            print_error("estimate %zu status %d\n", i, e[i].status);
        assert_true(estimate_status_ok(e[i].status));
        if (e[i].status == SOCIND_OK) {
            if (!(isfinite(e[i].value) && isfinite(e[i].se) && isfinite(e[i].ci_low) &&
                  isfinite(e[i].ci_high)))
                print_error("estimate %zu: %g %g [%g, %g]\n", i, e[i].value, e[i].se, e[i].ci_low,
                            e[i].ci_high);
            assert_true(isfinite(e[i].value) && isfinite(e[i].se) && isfinite(e[i].ci_low) &&
                        isfinite(e[i].ci_high));
            assert_true(e[i].se >= 0 && e[i].ci_low <= e[i].ci_high);
        }
        assert_int_equal(e[i].replicates_left_out, 0);
    }
}

/* ---- the estimators, one signature ---- */

typedef int32_t (*est_fn)(const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                          const socind_options *o, socind_estimate *out);

static socind_poverty_line line_abs(void) {
    socind_poverty_line l;
    socind_poverty_line_init(&l);
    l.value = 100;
    return l;
}
static double ROW_LINES[N] = {100, 100, 120, 120, 90, 90, 100, 100, 110, 110, 95, 95};
static socind_poverty_line line_kind(int kind) {
    socind_poverty_line l = line_abs();
    if (kind == 1) l.type = SOCIND_LINE_PER_ROW, l.lines = ROW_LINES;
    if (kind == 2) l.type = SOCIND_LINE_RELATIVE_QUANTILE, l.value = 0.6;
    if (kind == 3) l.type = SOCIND_LINE_RELATIVE_MEAN, l.value = 0.5;
    return l;
}
static int line_variant; /* 0..3 for the poverty measures */

#define POV(name, call)                                                                            \
    static int32_t name(const socind_design *d, const double *y, const int32_t *g, int32_t ng,     \
                        const socind_options *o, socind_estimate *out) {                           \
        socind_poverty_line l = line_kind(line_variant);                                           \
        return call;                                                                               \
    }
POV(e_fgt0, socind_fgt(d, y, &l, 0, g, ng, o, out))
POV(e_fgt1, socind_fgt(d, y, &l, 1, g, ng, o, out))
POV(e_fgt2, socind_fgt(d, y, &l, 2, g, ng, o, out))
POV(e_fgt15, socind_fgt(d, y, &l, 1.5, g, ng, o, out))
POV(e_poor, socind_poor_count(d, y, &l, g, ng, o, out))
POV(e_gap, socind_poverty_gap_total(d, y, &l, g, ng, o, out))
POV(e_short, socind_mean_shortfall(d, y, &l, g, ng, o, out))
POV(e_watts, socind_watts(d, y, &l, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
POV(e_wattserr, socind_watts(d, y, &l, SOCIND_NONPOS_ERROR, g, ng, o, out))
POV(e_fgtdec, socind_fgt_decomposition(d, y, &l, 2, g, ng, o, out))
POV(e_wattsdec, socind_watts_decomposition(d, y, &l, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
POV(e_sen, socind_sen(d, y, &l, g, ng, o, out))
POV(e_sst, socind_sst(d, y, &l, g, ng, o, out))

static int32_t e_total(const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                       const socind_options *o, socind_estimate *out) {
    return socind_total(d, y, g, ng, o, out);
}
static int32_t e_mean(const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                      const socind_options *o, socind_estimate *out) {
    return socind_mean(d, y, g, ng, o, out);
}
static int32_t e_ratio(const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                       const socind_options *o, socind_estimate *out) {
    return socind_ratio(d, y, W, g, ng, o, out);
}
static int32_t e_ratio2(const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                        const socind_options *o, socind_estimate *out) {
    return socind_ratio(d, INCOME, y, g, ng, o, out);
}
static int32_t e_prop(const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                      const socind_options *o, socind_estimate *out) {
    return socind_proportion(d, y, g, ng, o, out);
}
static int32_t e_gini(const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                      const socind_options *o, socind_estimate *out) {
    return socind_gini(d, y, g, ng, o, out);
}
#define INEQ(name, call)                                                                           \
    static int32_t name(const socind_design *d, const double *y, const int32_t *g, int32_t ng,     \
                        const socind_options *o, socind_estimate *out) {                           \
        return call;                                                                               \
    }
INEQ(e_mld, socind_ge(d, y, 0, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_theil, socind_ge(d, y, 1, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_ge2, socind_ge(d, y, 2, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_ge_big, socind_ge(d, y, 400, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_ge_neg, socind_ge(d, y, -300, SOCIND_NONPOS_ERROR, g, ng, o, out))
INEQ(e_atk, socind_atkinson(d, y, 0.5, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_atk1, socind_atkinson(d, y, 1, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_atk_big, socind_atkinson(d, y, 300, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_quant, socind_quantile(d, y, 0.5, g, ng, o, out))
INEQ(e_quant9, socind_quantile(d, y, 0.9, g, ng, o, out))
INEQ(e_qsr, socind_share_ratio(d, y, 0.2, 0.8, g, ng, o, out))
INEQ(e_lorenz, socind_lorenz(d, y, 0.4, g, ng, o, out))
INEQ(e_jdiv, socind_jdiv(d, y, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_jdiverr, socind_jdiv(d, y, SOCIND_NONPOS_ERROR, g, ng, o, out))
INEQ(e_zenga, socind_zenga(d, y, SOCIND_NONPOS_EXCLUDE, g, ng, o, out))
INEQ(e_zengaerr, socind_zenga(d, y, SOCIND_NONPOS_ERROR, g, ng, o, out))

/* richness against each kind of threshold, and the pay gap with a sex
   column holding a missing code */
static socind_poverty_line rich_line(int kind) {
    socind_poverty_line l = line_abs();
    l.value = 150;
    if (kind == 1) l.type = SOCIND_LINE_RELATIVE_QUANTILE, l.value = 1.5;
    if (kind == 2) l.type = SOCIND_LINE_RELATIVE_MEAN, l.value = 1.2;
    return l;
}
#define RICH(name, kind, type, g)                                                                  \
    static int32_t name(const socind_design *d, const double *y, const int32_t *gr, int32_t ng,    \
                        const socind_options *o, socind_estimate *out) {                           \
        socind_poverty_line l = rich_line(kind);                                                   \
        return socind_richness(d, y, &l, type, g, gr, ng, o, out);                                 \
    }
RICH(e_rich_cha, 0, SOCIND_RICH_CHA, 1)
RICH(e_rich_t1q, 1, SOCIND_RICH_FGTT1, 0.5)
RICH(e_rich_t10, 1, SOCIND_RICH_FGTT1, 0)
RICH(e_rich_t2m, 2, SOCIND_RICH_FGTT2, 2)
RICH(e_rich_chaq, 1, SOCIND_RICH_CHA, 3)
static const int32_t SEX[N] = {1, 2, 1, 2, 2, 1, 1, 2, -1, 1, 2, 1};
INEQ(e_gpg, socind_gender_pay_gap(d, y, SEX, g, ng, o, out))
/* convey's quantile-based measures (the RMIR with these ages) */
static const double AGE[N] = {70, 30, 66, 12, 80, 45, 65, 64.5, 90, 20, 5, 72};
INEQ(e_iqalpha, socind_quantile_linearized(d, y, 0.3, g, ng, o, out))
INEQ(e_isq, socind_quantile_income_total(d, y, 0.4, 0, g, ng, o, out))
INEQ(e_isq_up, socind_quantile_income_total(d, y, 0.8, 1, g, ng, o, out))
INEQ(e_rmir, socind_median_income_ratio(d, y, AGE, 65, g, ng, o, out))
INEQ(e_poormed, socind_poor_median(d, y, 0.6, 0.5, g, ng, o, out))
INEQ(e_rmpg, socind_relative_median_gap(d, y, 0.6, 0.5, g, ng, o, out))

static const struct {
    const char *name;
    est_fn f;
    int per_group; /* estimates per domain */
    int poverty;   /* takes a line: 1 every type, 2 absolute and per-row lines only */
} EST[] = {
    {"total", e_total, 1, 0},
    {"mean", e_mean, 1, 0},
    {"ratio", e_ratio, 1, 0},
    {"ratio_den", e_ratio2, 1, 0},
    {"proportion", e_prop, 1, 0},
    {"fgt0", e_fgt0, 1, 1},
    {"fgt1", e_fgt1, 1, 1},
    {"fgt2", e_fgt2, 1, 1},
    {"fgt1.5", e_fgt15, 1, 1},
    {"poor_count", e_poor, 1, 1},
    {"gap_total", e_gap, 1, 1},
    {"mean_shortfall", e_short, 1, 1},
    {"watts", e_watts, 1, 1},
    {"watts_error", e_wattserr, 1, 1},
    {"fgt_decomposition", e_fgtdec, SOCIND_FGTDEC_COUNT, 1},
    {"watts_decomposition", e_wattsdec, SOCIND_WATTSDEC_COUNT, 1},
    {"sen", e_sen, SOCIND_SEN_COUNT, 2},
    {"sst", e_sst, SOCIND_SST_COUNT, 2},
    {"gini", e_gini, 1, 0},
    {"mld", e_mld, 1, 0},
    {"theil", e_theil, 1, 0},
    {"ge2", e_ge2, 1, 0},
    {"ge400", e_ge_big, 1, 0},
    {"ge-300", e_ge_neg, 1, 0},
    {"atkinson", e_atk, 1, 0},
    {"atkinson1", e_atk1, 1, 0},
    {"atkinson300", e_atk_big, 1, 0},
    {"median", e_quant, 1, 0},
    {"p90", e_quant9, 1, 0},
    {"share_ratio", e_qsr, 1, 0},
    {"lorenz", e_lorenz, 1, 0},
    {"jdiv", e_jdiv, 1, 0},
    {"jdiv_error", e_jdiverr, 1, 0},
    {"zenga", e_zenga, 1, 0},
    {"zenga_error", e_zengaerr, 1, 0},
    {"rich_cha", e_rich_cha, 1, 0},
    {"rich_fgtt1_relq", e_rich_t1q, 1, 0},
    {"rich_fgtt1_0", e_rich_t10, 1, 0},
    {"rich_fgtt2_relm", e_rich_t2m, 1, 0},
    {"rich_cha3_relq", e_rich_chaq, 1, 0},
    {"gender_pay_gap", e_gpg, 1, 0},
    {"quantile_linearized", e_iqalpha, 1, 0},
    {"quantile_income_total", e_isq, 1, 0},
    {"quantile_income_total_upper", e_isq_up, 1, 0},
    {"median_income_ratio", e_rmir, SOCIND_RMIR_COUNT, 0},
    {"poor_median", e_poormed, 1, 0},
    {"relative_median_gap", e_rmpg, 1, 0},
};
#define NEST (sizeof EST / sizeof EST[0])
/* the line variants (line_kind) estimator e takes */
#define NLINES(e) (EST[e].poverty == 1 ? 4 : EST[e].poverty == 2 ? 2 : 1)

/* One call with a check of its outputs; returns the status. */
static int32_t run(size_t e, const socind_design *d, const double *y, const int32_t *g, int32_t ng,
                   const socind_options *o) {
    socind_estimate out[MAXOUT + 1];
    for (int i = 0; i <= MAXOUT; i++) out[i].value = 12345.0, out[i].replicates_left_out = 7;
    int32_t st = EST[e].f(d, y, g, ng, o, out);
    size_t m = (size_t)EST[e].per_group * (g ? (ng > 0 ? (size_t)ng : 1) : 1);
    check_estimates(st, out, m);
    assert_true(out[m].value == 12345.0); /* nothing written past the outputs */
    assert_true(strlen(socind_last_error_detail()) < 512);
    check_row(N);
    cases++;
    return st;
}

static socind_design *design(int wkind, const int64_t *strata, const int64_t *psu, int32_t policy) {
    double w[N];
    make_w(wkind, w);
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = policy;
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, strata, psu, NULL, &o, &d), SOCIND_OK);
    return d;
}

/* Valid options: defaults, normal, Wald, extreme levels. */
#define NOPT 5
static const socind_options *option_variant(int i) {
    static socind_options o[NOPT];
    if (i == 0) return NULL;
    socind_options_init(&o[i]);
    if (i == 1) o[i].ci_dist = SOCIND_CI_NORMAL;
    if (i == 2) o[i].prop_ci = SOCIND_PROP_CI_WALD;
    if (i == 3) o[i].level = 0.999999;
    if (i == 4) o[i].level = 1e-6;
    return &o[i];
}

/* Every estimator × income variant × domains × weights × options. */
static void test_estimators_values(void **state) {
    (void)state;
    for (int wk = 0; wk < W_COUNT_OK; wk++) {
        socind_design *d = design(wk, STRATA, PSU, SOCIND_LONELY_FAIL);
        for (int yk = 0; yk < Y_COUNT; yk++) {
            double y0[N];
            make_y(yk, y0);
            for (size_t e = 0; e < NEST; e++)
                for (int lv = 0; lv < NLINES(e); lv++)
                    for (int gv = 0; gv < 2 * NOPT; gv++) {
                        const socind_options *o = option_variant(gv / 2);
                        double y[N]; /* a proportion's 0/1 values keep the NaN and ±Inf */
                        for (int k = 0; k < N; k++)
                            y[k] = EST[e].f == e_prop && isfinite(y0[k]) ? k % 3 == 0 : y0[k];
                        line_variant = lv;
                        const int32_t *g = gv % 2 ? GROUP : NULL;
                        int32_t st = run(e, d, y, g, NG, o);
                        if (yk == Y_PINF || yk == Y_NINF) {
                            /* ±Inf is refused, naming its row */
                            if (st != SOCIND_ERR_DATA || socind_last_error_row() != INF_ROW)
                                print_error("%s line %d group %d w %d: %d row %lld (%s)\n",
                                            EST[e].name, lv, gv, wk, st,
                                            (long long)socind_last_error_row(),
                                            socind_last_error_detail());
                            assert_int_equal(st, SOCIND_ERR_DATA);
                            assert_int_equal(socind_last_error_row(), INF_ROW);
                        }
                        if (yk == Y_ALL_NAN) assert_int_equal(st, SOCIND_ERR_EMPTY);
                        if (yk == Y_PLAIN && wk == W_PLAIN && !o && EST[e].f != e_prop &&
                            EST[e].f != e_ge_big && EST[e].f != e_ge_neg && EST[e].f != e_atk_big)
                            assert_int_equal(st, SOCIND_OK);
                        /* negative incomes: refused by J and Zenga under
                           SOCIND_NONPOS_ERROR, naming a row */
                        if (yk == Y_NEG && (EST[e].f == e_jdiverr || EST[e].f == e_zengaerr))
                            assert_int_equal(st, SOCIND_ERR_NONPOSITIVE);
                        if (yk == Y_ZERO && st == SOCIND_OK &&
                            (EST[e].f == e_gini || EST[e].f == e_lorenz || EST[e].f == e_zenga))
                            for (int j = 0; j < (g ? NG : 1); j++) {
                                socind_estimate out[NG];
                                EST[e].f(d, y, g, NG, o, out);
                                assert_int_equal(out[j].status, SOCIND_ERR_DATA);
                            }
                    }
        }
        socind_design_free(d);
    }
}

/* The same incomes scaled by a power of 2 give the same scale-free
 * measures (subnormal and near-DBL_MAX incomes included), the GE
 * decomposition too. */
/* Weights scaled by a power of ten across the double range: the Zenga
 * index (which does not depend on the weights' scale) keeps its value and
 * SE; convey's Gini, Sen and SST (whose Gini counts weights as people) keep
 * theirs while their sums stay in range and say SOCIND_ERR_OVERFLOW beyond
 * it — never an SE made of overflowed products with status OK. */
static void test_weight_scale(void **state) {
    (void)state;
    enum { R = 200 };
    static double y[R], w[R], ws[R];
    static int64_t st[R], ps[R];
    for (int k = 0; k < R; k++) {
        y[k] = 10.0 + (double)((k * 37) % 300);
        w[k] = 1.0 + (double)((k * 13) % 50);
        st[k] = k % 5;
        ps[k] = (k / 20) * 5 + k % 5;
    }
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = 100.0;
    const double scales[] = {1e-200, 1e-20, 1e20, 1e150, 1e250};
    socind_estimate z1, g1, s1[SOCIND_SEN_COUNT], t1[SOCIND_SST_COUNT];
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(R, w, st, ps, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_zenga(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &z1), SOCIND_OK);
    assert_int_equal(socind_gini(d, y, NULL, 0, NULL, &g1), SOCIND_OK);
    assert_int_equal(socind_sen(d, y, &L, NULL, 0, NULL, s1), SOCIND_OK);
    assert_int_equal(socind_sst(d, y, &L, NULL, 0, NULL, t1), SOCIND_OK);
    socind_design_free(d);
    for (size_t i = 0; i < sizeof scales / sizeof *scales; i++) {
        for (int k = 0; k < R; k++) ws[k] = w[k] * scales[i];
        d = NULL;
        assert_int_equal(socind_design_new(R, ws, st, ps, NULL, NULL, &d), SOCIND_OK);
        socind_estimate z, g, s[SOCIND_SEN_COUNT], t[SOCIND_SST_COUNT];
        assert_int_equal(socind_zenga(d, y, SOCIND_NONPOS_ERROR, NULL, 0, NULL, &z), SOCIND_OK);
        assert_int_equal(z.status, SOCIND_OK);
        assert_close(z.value, z1.value, 1e-13);
        assert_close(z.se, z1.se, 1e-12);
        assert_int_equal(socind_gini(d, y, NULL, 0, NULL, &g), SOCIND_OK);
        assert_int_equal(socind_sen(d, y, &L, NULL, 0, NULL, s), SOCIND_OK);
        assert_int_equal(socind_sst(d, y, &L, NULL, 0, NULL, t), SOCIND_OK);
        const socind_estimate *all[3] = {&g, &s[SOCIND_SEN_INDEX], &t[SOCIND_SST_INDEX]};
        for (int j = 0; j < 3; j++) {
            if (scales[i] == 1e20) { /* in range: the Gini's 1/N̂ term is all that moves */
                assert_int_equal(all[j]->status, SOCIND_OK);
                assert_true(isfinite(all[j]->se) && all[j]->se > 0);
            } else if (scales[i] == 1e-200 || scales[i] >= 1e150) {
                assert_int_equal(all[j]->status, SOCIND_ERR_OVERFLOW);
                assert_true(isnan(all[j]->value) && isnan(all[j]->se));
            }
        }
        /* the Gini at weights 1e20: convey's, (2T − Ŷ)/(N̂Ŷ) − 1, moves by
           the 1/N̂ term only (−1/N̂ at N̂ of people) */
        if (scales[i] == 1e20) assert_close(g.se, g1.se, 1e-3);
        socind_design_free(d);
    }
}

static void test_scale_free(void **state) {
    (void)state;
    socind_design *d = design(W_PLAIN, STRATA, PSU, SOCIND_LONELY_FAIL);
    const est_fn f[] = {e_gini,   e_mld,  e_theil, e_ge2,      e_atk,      e_atk1, e_qsr,
                        e_lorenz, e_jdiv, e_zenga, e_rich_t1q, e_rich_t2m, e_gpg,  e_rich_chaq};
    const double scale[] = {0x1p-1060, 0x1p-900, 0x1p+900, 0x1p+1014};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        socind_estimate ref, e;
        assert_int_equal(f[i](d, INCOME, NULL, 0, NULL, &ref), SOCIND_OK);
        assert_int_equal(ref.status, SOCIND_OK);
        for (size_t s = 0; s < sizeof scale / sizeof scale[0]; s++) {
            double y[N];
            for (int k = 0; k < N; k++) y[k] = INCOME[k] * scale[s];
            assert_int_equal(f[i](d, y, NULL, 0, NULL, &e), SOCIND_OK);
            assert_int_equal(e.status, SOCIND_OK);
            assert_close(e.value, ref.value, 1e-13);
            assert_close(e.se, ref.se, 1e-12);
            cases++;
        }
    }
    /* the J-divergence decomposition: total, within, between */
    {
        socind_estimate ref[SOCIND_JDIVDEC_COUNT], e[SOCIND_JDIVDEC_COUNT];
        assert_int_equal(
            socind_jdiv_decomposition(d, INCOME, SOCIND_NONPOS_ERROR, GROUP, NG, NULL, ref),
            SOCIND_OK);
        for (size_t s = 0; s < sizeof scale / sizeof scale[0]; s++) {
            double y[N];
            for (int k = 0; k < N; k++) y[k] = INCOME[k] * scale[s];
            assert_int_equal(
                socind_jdiv_decomposition(d, y, SOCIND_NONPOS_ERROR, GROUP, NG, NULL, e),
                SOCIND_OK);
            for (int i = 0; i < SOCIND_JDIVDEC_COUNT; i++) {
                assert_int_equal(e[i].status, SOCIND_OK);
                assert_close(e[i].value, ref[i].value, 1e-13);
                assert_close_abs(e[i].se, ref[i].se, 1e-12, 1e-15);
            }
            cases++;
        }
    }
    /* the GE decomposition by domain: total, within, between */
    for (int t = 0; t < 3; t++) {
        socind_estimate ref[SOCIND_GEDEC_COUNT], e[SOCIND_GEDEC_COUNT];
        assert_int_equal(
            socind_ge_decomposition(d, INCOME, t, SOCIND_NONPOS_ERROR, GROUP, NG, NULL, ref),
            SOCIND_OK);
        for (size_t s = 0; s < sizeof scale / sizeof scale[0]; s++) {
            double y[N];
            for (int k = 0; k < N; k++) y[k] = INCOME[k] * scale[s];
            assert_int_equal(
                socind_ge_decomposition(d, y, t, SOCIND_NONPOS_ERROR, GROUP, NG, NULL, e),
                SOCIND_OK);
            for (int i = 0; i < SOCIND_GEDEC_COUNT; i++) {
                assert_int_equal(e[i].status, SOCIND_OK);
                assert_close(e[i].value, ref[i].value, 1e-13);
                assert_close(e[i].se, ref[i].se, 1e-12);
            }
            cases++;
        }
    }
    socind_design_free(d);
}

/* convey's quantile-based measures: their own arguments and statuses, the
 * incomes' scale, empty age groups, domains without poor. */
static void test_convey_quantile(void **state) {
    (void)state;
    socind_design *d = design(W_PLAIN, STRATA, PSU, SOCIND_LONELY_FAIL);
    socind_estimate e[MAXOUT];
    const double bad_alpha[] = {0.0, 1.0, -0.1, 1.5, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad_alpha / sizeof bad_alpha[0]; i++) {
        double a = bad_alpha[i];
        assert_int_equal(socind_quantile_linearized(d, INCOME, a, NULL, 0, NULL, e),
                         SOCIND_ERR_ARG);
        check_estimates(SOCIND_ERR_ARG, e, 1);
        assert_int_equal(socind_quantile_income_total(d, INCOME, a, 0, NULL, 0, NULL, e),
                         SOCIND_ERR_ARG);
        assert_int_equal(socind_poor_median(d, INCOME, 0.6, a, NULL, 0, NULL, e), SOCIND_ERR_ARG);
        assert_int_equal(socind_relative_median_gap(d, INCOME, 0.6, a, NULL, 0, NULL, e),
                         SOCIND_ERR_ARG);
        cases += 4;
    }
    const double bad_fraction[] = {0.0, -0.6, NAN, INFINITY};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(socind_poor_median(d, INCOME, bad_fraction[i], 0.5, GROUP, NG, NULL, e),
                         SOCIND_ERR_ARG);
        check_estimates(SOCIND_ERR_ARG, e, NG);
        assert_int_equal(
            socind_relative_median_gap(d, INCOME, bad_fraction[i], 0.5, NULL, 0, NULL, e),
            SOCIND_ERR_ARG);
    }
    assert_int_equal(socind_quantile_income_total(d, INCOME, 0.5, 2, NULL, 0, NULL, e),
                     SOCIND_ERR_ARG);
    assert_int_equal(socind_quantile_income_total(d, INCOME, 0.5, -1, NULL, 0, NULL, e),
                     SOCIND_ERR_ARG);
    /* the RMIR: age NULL, a bad limit, an infinite age (its row named) */
    assert_int_equal(socind_median_income_ratio(d, INCOME, NULL, 65, GROUP, NG, NULL, e),
                     SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, (size_t)NG * SOCIND_RMIR_COUNT);
    assert_int_equal(socind_median_income_ratio(d, INCOME, AGE, NAN, NULL, 0, NULL, e),
                     SOCIND_ERR_ARG);
    assert_int_equal(socind_median_income_ratio(d, INCOME, AGE, INFINITY, NULL, 0, NULL, e),
                     SOCIND_ERR_ARG);
    double age[N];
    memcpy(age, AGE, sizeof age);
    age[9] = INFINITY;
    assert_int_equal(socind_median_income_ratio(d, INCOME, age, 65, NULL, 0, NULL, e),
                     SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 9);
    /* a NaN age leaves its row out: as if its income were NaN */
    age[9] = NAN;
    double y9[N];
    memcpy(y9, INCOME, sizeof y9);
    y9[9] = NAN;
    socind_estimate a[SOCIND_RMIR_COUNT], b[SOCIND_RMIR_COUNT];
    assert_int_equal(socind_median_income_ratio(d, INCOME, age, 65, NULL, 0, NULL, a), SOCIND_OK);
    assert_int_equal(socind_median_income_ratio(d, y9, AGE, 65, NULL, 0, NULL, b), SOCIND_OK);
    for (int k = 0; k < SOCIND_RMIR_COUNT; k++) {
        assert_int_equal(a[k].status, SOCIND_OK);
        assert_true(a[k].value == b[k].value && a[k].se == b[k].se && a[k].n == b[k].n);
    }
    /* the ratio is the medians' ratio; a limit above every age empties the
       old group: its median EMPTY_DOMAIN, the ratio DATA, the young's OK */
    assert_close(a[SOCIND_RMIR_RATIO].value,
                 a[SOCIND_RMIR_MED_OLD].value / a[SOCIND_RMIR_MED_YOUNG].value, 1e-15);
    assert_int_equal(socind_median_income_ratio(d, INCOME, AGE, 100, NULL, 0, NULL, a), SOCIND_OK);
    assert_int_equal(a[SOCIND_RMIR_RATIO].status, SOCIND_ERR_DATA);
    assert_int_equal(a[SOCIND_RMIR_MED_OLD].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_int_equal(a[SOCIND_RMIR_MED_YOUNG].status, SOCIND_OK);
    check_estimates(SOCIND_OK, a, SOCIND_RMIR_COUNT);
    /* two domains with poor: every estimate OK; a domain without poor (the
       whole sample's line is 0.6 × its median): DATA, as convey's NA */
    const int32_t rich[N] = {0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1};
    assert_int_equal(socind_poor_median(d, INCOME, 0.6, 0.5, rich, 2, NULL, e), SOCIND_OK);
    check_estimates(SOCIND_OK, e, 2);
    const int32_t none_poor[N] = {0, 0, 0, -1, -1, 0, 0, 0, -1, 0, 0, 0};
    assert_int_equal(socind_relative_median_gap(d, INCOME, 0.6, 0.5, none_poor, 1, NULL, e),
                     SOCIND_OK);
    assert_int_equal(e[0].status, SOCIND_ERR_DATA);
    assert_true(isnan(e[0].value));
    /* the scale: currency figures times the factor, the ratios unchanged */
    const est_fn cur[] = {e_iqalpha, e_isq, e_isq_up, e_poormed};
    const est_fn free_[] = {e_rmpg, e_rmir};
    const double scale[] = {0x1p-1060, 0x1p-900, 0x1p+900, 0x1p+1014};
    for (size_t s = 0; s < sizeof scale / sizeof scale[0]; s++) {
        double y[N];
        for (int k = 0; k < N; k++) y[k] = INCOME[k] * scale[s];
        for (size_t i = 0; i < 6; i++) {
            est_fn f = i < 4 ? cur[i] : free_[i - 4];
            double m = i < 4 ? scale[s] : 1.0;
            socind_estimate r[SOCIND_RMIR_COUNT], x[SOCIND_RMIR_COUNT];
            assert_int_equal(f(d, INCOME, NULL, 0, NULL, r), SOCIND_OK);
            assert_int_equal(f(d, y, NULL, 0, NULL, x), SOCIND_OK);
            int parts = f == e_rmir ? SOCIND_RMIR_COUNT : 1;
            for (int k = 0; k < parts; k++) {
                double mk = f == e_rmir && k != SOCIND_RMIR_RATIO ? scale[s] : m;
                assert_int_equal(r[k].status, SOCIND_OK);
                /* a total near DBL_MAX times 2^1014 overflows: said so */
                if (x[k].status == SOCIND_ERR_OVERFLOW && mk > 1.0 && r[k].value * mk > 1e300)
                    continue;
                assert_int_equal(x[k].status, SOCIND_OK);
                assert_close(x[k].value, r[k].value * mk, 1e-13);
                assert_close(x[k].se, r[k].se * mk, 1e-12);
            }
            cases++;
        }
    }
    socind_design_free(d);
}

/* NULL for each pointer, bad groups, n_groups, options. */
static void test_estimators_arguments(void **state) {
    (void)state;
    socind_design *d = design(W_PLAIN, STRATA, PSU, SOCIND_LONELY_FAIL);
    socind_options bad_size, lv[6], normal;
    socind_options_init(&bad_size);
    bad_size.size = 3;
    const double levels[6] = {0, 1, NAN, -0.5, 1e-300, 1 - 0x1p-53};
    for (int i = 0; i < 6; i++) socind_options_init(&lv[i]), lv[i].level = levels[i];
    socind_options_init(&normal);
    normal.ci_dist = SOCIND_CI_NORMAL;
    socind_options bad_dist = normal, bad_prop = normal, bad_rule = normal;
    bad_dist.ci_dist = 7;
    bad_prop.prop_ci = -1;
    bad_rule.domain_rule = 3;
    int32_t bad_group[N];
    memcpy(bad_group, GROUP, sizeof bad_group);
    bad_group[5] = NG; /* out of range */
    int32_t neg_group[N];
    memcpy(neg_group, GROUP, sizeof neg_group);
    neg_group[8] = -2;
    for (size_t e = 0; e < NEST; e++) {
        for (int lvv = 0; lvv < NLINES(e); lvv++) {
            line_variant = lvv;
            const double *y = EST[e].f == e_prop ? NULL : INCOME;
            double b[N];
            make_y(Y_BINARY, b);
            if (!y) y = b;
            assert_int_equal(run(e, NULL, y, NULL, 0, NULL), SOCIND_ERR_NULL);
            assert_int_equal(run(e, d, NULL, NULL, 0, NULL), SOCIND_ERR_NULL);
            assert_int_equal(EST[e].f(d, y, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
            assert_int_equal(run(e, d, y, bad_group, NG, NULL), SOCIND_ERR_GROUP);
            assert_int_equal(socind_last_error_row(), 5);
            assert_int_equal(run(e, d, y, neg_group, NG, NULL), SOCIND_ERR_GROUP);
            assert_int_equal(socind_last_error_row(), 8);
            assert_int_equal(run(e, d, y, GROUP, 0, NULL), SOCIND_ERR_ARG);
            assert_int_equal(run(e, d, y, GROUP, -1, NULL), SOCIND_ERR_ARG);
            assert_int_equal(run(e, d, y, GROUP, NG, &bad_size), SOCIND_ERR_OPTIONS);
            assert_int_equal(run(e, d, y, NULL, 0, &bad_dist), SOCIND_ERR_ARG);
            assert_int_equal(run(e, d, y, NULL, 0, &bad_prop), SOCIND_ERR_ARG);
            assert_int_equal(run(e, d, y, NULL, 0, &bad_rule), SOCIND_ERR_ARG);
            for (int i = 0; i < 4; i++)
                assert_int_equal(run(e, d, y, GROUP, NG, &lv[i]), SOCIND_ERR_ARG);
            for (int i = 4; i < 6; i++) { /* extreme but valid levels */
                int32_t st = run(e, d, y, GROUP, NG, &lv[i]);
                assert_true(st == SOCIND_OK || EST[e].f == e_ge_big || EST[e].f == e_ge_neg ||
                            EST[e].f == e_atk_big);
            }
            run(e, d, y, GROUP, NG, &normal);
            /* n_groups larger than the codes used: empty domains */
            socind_estimate out[MAXOUT * 2];
            int32_t st = EST[e].f(d, y, GROUP, 2 * NG, NULL, out);
            if (st == SOCIND_OK)
                for (int j = NG; j < 2 * NG; j++)
                    for (int i = 0; i < EST[e].per_group; i++)
                        assert_int_equal(out[j * EST[e].per_group + i].status,
                                         SOCIND_ERR_EMPTY_DOMAIN);
            check_estimates(st, out, (size_t)(2 * NG * EST[e].per_group));
            cases++;
        }
        /* Sen and SST refuse relative lines: SOCIND_ERR_ARG, every output NaN */
        for (int lvv = 2; EST[e].poverty == 2 && lvv < 4; lvv++) {
            line_variant = lvv;
            assert_int_equal(run(e, d, INCOME, GROUP, NG, NULL), SOCIND_ERR_ARG);
            assert_int_equal(run(e, d, INCOME, NULL, 0, NULL), SOCIND_ERR_ARG);
            line_variant = 0;
        }
    }
    socind_design_free(d);
}

/* Lonely strata under every policy, a one-row design, one PSU per stratum. */
static void test_designs(void **state) {
    (void)state;
    for (int32_t pol = SOCIND_LONELY_FAIL; pol <= SOCIND_LONELY_CERTAINTY; pol++) {
        double w[N];
        make_w(W_PLAIN, w);
        socind_design_options o;
        socind_design_options_init(&o);
        o.lonely_psu = pol;
        socind_design *d = (socind_design *)1;
        int32_t st = socind_design_new(N, w, LONELY_STRATA, LONELY_PSU_IDS, NULL, &o, &d);
        if (pol == SOCIND_LONELY_FAIL) {
            assert_int_equal(st, SOCIND_ERR_LONELY_PSU);
            assert_null(d);
            assert_true(socind_last_error_row() >= 8); /* a row of stratum 3 */
            continue;
        }
        assert_int_equal(st, SOCIND_OK);
        for (int yk = 0; yk < Y_COUNT; yk++) {
            double y[N];
            make_y(yk, y);
            for (size_t e = 0; e < NEST; e++)
                for (int gv = 0; gv < 2; gv++) run(e, d, y, gv ? GROUP : NULL, NG, NULL);
        }
        /* every stratum lonely: "average" has nothing to average */
        const int64_t one_psu[N] = {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
        socind_design *d2 = NULL;
        assert_int_equal(socind_design_new(N, w, one_psu, one_psu, NULL, &o, &d2), SOCIND_OK);
        for (size_t e = 0; e < NEST; e++) run(e, d2, INCOME, GROUP, NG, NULL);
        socind_estimate m;
        assert_int_equal(socind_mean(d2, INCOME, NULL, 0, NULL, &m), SOCIND_OK);
        assert_int_equal(m.status,
                         pol == SOCIND_LONELY_AVERAGE ? SOCIND_ERR_LONELY_PSU : SOCIND_ERR_DF);
        socind_design_free(d2);
        socind_design_free(d);
    }
    /* one row: df = 0 */
    socind_design *d1 = NULL;
    double w1 = 2, y1 = 50;
    socind_design_options o1;
    socind_design_options_init(&o1);
    o1.lonely_psu = SOCIND_LONELY_REMOVE;
    assert_int_equal(socind_design_new(1, &w1, NULL, NULL, NULL, &o1, &d1), SOCIND_OK);
    for (size_t e = 0; e < NEST; e++) {
        socind_estimate out[MAXOUT];
        int32_t st = EST[e].f(d1, &y1, NULL, 0, NULL, out);
        check_estimates(st, out, (size_t)EST[e].per_group);
        check_row(1);
        cases++;
    }
    socind_design_free(d1);
}

/* socind_design_new and the design's accessors. */
static void test_design_arguments(void **state) {
    (void)state;
    double w[N], fpc[N];
    make_w(W_PLAIN, w);
    for (int k = 0; k < N; k++) fpc[k] = 10;
    socind_design *d = (socind_design *)1;
    assert_int_equal(socind_design_new(N, NULL, NULL, NULL, NULL, NULL, &d), SOCIND_ERR_NULL);
    assert_null(d);
    assert_int_equal(socind_design_new(N, w, NULL, NULL, NULL, NULL, NULL), SOCIND_ERR_NULL);
    d = (socind_design *)1;
    assert_int_equal(socind_design_new(0, w, NULL, NULL, NULL, NULL, &d), SOCIND_ERR_EMPTY);
    assert_null(d);
    const double badw[] = {NAN, INFINITY, -INFINITY, -1, -0x1p-1074};
    for (size_t i = 0; i < sizeof badw / sizeof badw[0]; i++)
        for (int row = 0; row < N; row += 5) {
            double w2[N];
            memcpy(w2, w, sizeof w2);
            w2[row] = badw[i];
            d = (socind_design *)1;
            assert_int_equal(socind_design_new(N, w2, STRATA, PSU, NULL, NULL, &d),
                             SOCIND_ERR_WEIGHT);
            assert_null(d);
            assert_int_equal(socind_last_error_row(), row);
            cases++;
        }
    double zero[N] = {0};
    assert_int_equal(socind_design_new(N, zero, NULL, NULL, NULL, NULL, &d),
                     SOCIND_ERR_ZERO_WEIGHTS);
    const double badf[] = {NAN, INFINITY, 0, -1};
    for (size_t i = 0; i < sizeof badf / sizeof badf[0]; i++) {
        double f2[N];
        memcpy(f2, fpc, sizeof f2);
        f2[3] = badf[i];
        assert_int_equal(socind_design_new(N, w, STRATA, PSU, f2, NULL, &d), SOCIND_ERR_FPC);
        assert_int_equal(socind_last_error_row(), 3);
        cases++;
    }
    fpc[0] = 11; /* not constant in stratum 1 */
    assert_int_equal(socind_design_new(N, w, STRATA, PSU, fpc, NULL, &d), SOCIND_ERR_FPC);
    fpc[0] = 1; /* N_h below n_h */
    for (int k = 0; k < 4; k++) fpc[k] = 1.5;
    assert_int_equal(socind_design_new(N, w, STRATA, PSU, fpc, NULL, &d), SOCIND_ERR_FPC);
    const int64_t crossing[N] = {1, 1, 2, 2, 3, 3, 1, 1, 5, 5, 6, 6}; /* PSU 1 in strata 1, 2 */
    assert_int_equal(socind_design_new(N, w, STRATA, crossing, NULL, NULL, &d), SOCIND_ERR_NESTING);
    assert_int_equal(socind_last_error_row(), 6);
    socind_design_options o;
    assert_int_equal(socind_design_options_init(NULL), SOCIND_ERR_NULL);
    socind_design_options_init(&o);
    const int32_t policies[] = {-1, 5, INT32_MAX};
    for (int i = 0; i < 3; i++) {
        o.lonely_psu = policies[i];
        assert_int_equal(socind_design_new(N, w, STRATA, PSU, NULL, &o, &d), SOCIND_ERR_ARG);
    }
    socind_design_options_init(&o);
    o.nest = 2;
    assert_int_equal(socind_design_new(N, w, STRATA, PSU, NULL, &o, &d), SOCIND_ERR_ARG);
    o.nest = 0;
    o.size = 0;
    assert_int_equal(socind_design_new(N, w, STRATA, PSU, NULL, &o, &d), SOCIND_ERR_OPTIONS);
    o.size = 1 << 20;
    assert_int_equal(socind_design_new(N, w, STRATA, PSU, NULL, &o, &d), SOCIND_ERR_OPTIONS);
    assert_int_equal(socind_design_new((size_t)INT32_MAX + 1, w, NULL, NULL, NULL, NULL, &d),
                     SOCIND_ERR_RANGE);
    assert_null(d);
    /* accessors of NULL */
    assert_int_equal(socind_design_nrows(NULL), 0);
    assert_int_equal(socind_design_nstrata(NULL), 0);
    assert_int_equal(socind_design_npsu(NULL), 0);
    assert_true(isnan(socind_design_df(NULL)));
    socind_design_free(NULL);
    cases += 20;
}

/* The variance engine. */
static void test_variance(void **state) {
    (void)state;
    for (int wk = 0; wk < W_COUNT_OK; wk++) {
        socind_design *d = design(wk, STRATA, PSU, SOCIND_LONELY_FAIL);
        for (int yk = 0; yk < Y_COUNT; yk++) {
            double u[N], var[NG + 1];
            make_y(yk, u);
            for (int gv = 0; gv < 2; gv++) {
                var[NG] = 12345;
                int32_t st = socind_variance(d, u, gv ? GROUP : NULL, NG, var);
                int m = gv ? NG : 1;
                if (yk == Y_NAN || yk == Y_ALL_NAN || yk == Y_PINF || yk == Y_NINF) {
                    assert_int_equal(st, SOCIND_ERR_DATA);
                } else {
                    assert_true(st == SOCIND_OK || st == SOCIND_ERR_OVERFLOW);
                    /* subnormal w·u: a variance below the doubles, refused */
                    if (yk == Y_SUBNORM && (wk == W_PLAIN || wk == W_SOME_ZERO))
                        assert_int_equal(st, SOCIND_ERR_OVERFLOW);
                    if (wk == W_PLAIN && yk != Y_HUGE && yk != Y_HUGE_NEG && yk != Y_SUBNORM)
                        assert_int_equal(st, SOCIND_OK);
                }
                for (int j = 0; j < m; j++) {
                    if (st == SOCIND_OK)
                        assert_true(isfinite(var[j]) && var[j] >= 0);
                    else
                        assert_true(isnan(var[j]));
                }
                assert_true(var[NG] == 12345);
                check_row(N);
                cases++;
            }
        }
        double var[NG];
        assert_int_equal(socind_variance(NULL, INCOME, NULL, 0, var), SOCIND_ERR_NULL);
        assert_true(isnan(var[0]));
        assert_int_equal(socind_variance(d, NULL, NULL, 0, var), SOCIND_ERR_NULL);
        assert_int_equal(socind_variance(d, INCOME, NULL, 0, NULL), SOCIND_ERR_NULL);
        assert_int_equal(socind_variance(d, INCOME, GROUP, 0, var), SOCIND_ERR_ARG);
        assert_int_equal(socind_variance(d, INCOME, GROUP, -1, var), SOCIND_ERR_ARG);
        assert_int_equal(socind_variance(d, INCOME, GROUP, 2, var), SOCIND_ERR_GROUP);
        assert_int_equal(socind_last_error_row(), 2);
        socind_design_free(d);
    }
}

/* Options, lines, PPP, differences, critical values. */
static void test_small_functions(void **state) {
    (void)state;
    assert_int_equal(socind_options_init(NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_poverty_line_init(NULL), SOCIND_ERR_NULL);
    for (int32_t s = -3; s < SOCIND_STATUS_COUNT + 3; s++) {
        const char *m = socind_strerror(s);
        assert_non_null(m);
        assert_true(strlen(m) > 0);
    }
    assert_non_null(socind_version());
    /* PPP: each argument bad in turn, results beyond the range */
    const double good[5] = {2.15, 4700, 125, 100, 30.4167};
    const double bad[] = {0, -1, NAN, INFINITY, -INFINITY};
    double line;
    assert_int_equal(socind_ppp_line(2.15, 4700, 125, 100, 30.4167, NULL), SOCIND_ERR_NULL);
    for (int i = 0; i < 5; i++)
        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            double v[5];
            memcpy(v, good, sizeof v);
            v[i] = bad[b];
            assert_int_equal(socind_ppp_line(v[0], v[1], v[2], v[3], v[4], &line), SOCIND_ERR_ARG);
            assert_true(isnan(line));
            cases++;
        }
    assert_int_equal(socind_ppp_line(1e300, 1e300, 1, 1, 1, &line), SOCIND_ERR_OVERFLOW);
    assert_true(isnan(line));
    assert_int_equal(socind_ppp_line(1e-300, 1e-300, 1, 1, 1, &line), SOCIND_ERR_RANGE);
    assert_true(isnan(line));
    /* an intermediate out of range, the line in range */
    assert_int_equal(socind_ppp_line(1e200, 1e200, 1e-200, 1e100, 1e-90, &line), SOCIND_OK);
    assert_close(line, 1e10, 1e-14);
    assert_int_equal(socind_ppp_line(DBL_MAX, 4, 1, 8, 1, &line), SOCIND_OK);
    assert_close(line, DBL_MAX / 2, 1e-15);
    /* differences: every non-finite input */
    const double vals[] = {NAN, INFINITY, -INFINITY, 1e308, -1e308, 0x1p-1074, 0, 1};
    socind_options o;
    socind_options_init(&o);
    for (size_t i = 0; i < 8; i++)
        for (size_t j = 0; j < 8; j++)
            for (int dist = 0; dist < 2; dist++) {
                socind_estimate a = {.value = vals[i], .se = 1, .df = 5},
                                b = {.value = 1, .se = fabs(vals[j]), .df = vals[j]}, d;
                o.ci_dist = dist;
                int32_t st = socind_difference(&a, &b, &o, &d);
                check_estimates(st, &d, 1);
                if (!isfinite(vals[i]) || !isfinite(vals[j])) assert_int_equal(st, SOCIND_ERR_ARG);
                if (st == SOCIND_OK) assert_int_equal(d.status, SOCIND_OK);
                cases++;
            }
    socind_estimate a = {.value = 1, .se = 1, .df = 3}, d;
    assert_int_equal(socind_difference(&a, NULL, NULL, &d), SOCIND_ERR_NULL);
    assert_int_equal(d.status, SOCIND_ERR_NULL);
    assert_int_equal(socind_difference(NULL, &a, NULL, &d), SOCIND_ERR_NULL);
    assert_int_equal(socind_difference(&a, &a, NULL, NULL), SOCIND_ERR_NULL);
    o.size = 2;
    assert_int_equal(socind_difference(&a, &a, &o, &d), SOCIND_ERR_OPTIONS);
    double q;
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, 3, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_critical_value(NAN, SOCIND_CI_T, 3, &q), SOCIND_ERR_ARG);
    assert_int_equal(socind_critical_value(0.95, SOCIND_CI_T, -INFINITY, &q), SOCIND_ERR_DF);
}

/* The estimators with other signatures — the profile (four arrays), the GE
 * decomposition (three estimates), the line itself — over every income
 * variant, weights, options and line, with and without a bad argument; and
 * every early return of every family: a failure leaves each output defined
 * (estimates NaN with the returned status, z-scores NaN, flags −1, counts 0). */
static void check_profile(int32_t st, const socind_estimate *a, int32_t G) {
    check_estimates(st, a, (size_t)G * SOCIND_PROFILE_COUNT);
}

static void test_more_estimators(void **state) {
    (void)state;
    socind_options bad_level, bad_size;
    socind_options_init(&bad_level);
    bad_level.level = 2;
    socind_options_init(&bad_size);
    bad_size.size = 3;
    const int32_t ZERO[N] = {0};
    for (int wk = 0; wk < W_COUNT_OK; wk++) {
        socind_design *d = design(wk, STRATA, PSU, SOCIND_LONELY_FAIL);
        for (int yk = 0; yk < Y_COUNT; yk++) {
            double y[N];
            make_y(yk, y);
            for (int lv = 0; lv < 4; lv++)
                for (int ov = 0; ov < NOPT + 2; ov++) {
                    const socind_options *o = ov < NOPT    ? option_variant(ov)
                                              : ov == NOPT ? &bad_level
                                                           : &bad_size;
                    int32_t bad_o = ov == NOPT  ? SOCIND_ERR_ARG
                                    : ov > NOPT ? SOCIND_ERR_OPTIONS
                                                : SOCIND_OK;
                    socind_poverty_line l = line_kind(lv);
                    socind_estimate a[SOCIND_PROFILE_COUNT * 2 * NG], e[SOCIND_GEDEC_COUNT];
                    for (int gv = 0; gv < 2; gv++) {
                        const int32_t *g = gv ? GROUP : ZERO;
                        int32_t G = gv ? NG : 1;
                        /* the profile: α = 0, 1, 2, and α = −1 (refused) */
                        for (int ai = 0; ai < 4; ai++) {
                            double alpha = ai < 3 ? (double)ai : -1.0;
                            int32_t st = socind_poverty_profile(d, y, &l, alpha, g, G, o, a);
                            check_profile(st, a, G);
                            check_row(N);
                            if (ai == 3) assert_int_equal(st, SOCIND_ERR_ARG);
                            if (ai < 3 && bad_o) assert_int_equal(st, bad_o);
                            if (ai < 3 && !bad_o && (yk == Y_PINF || yk == Y_NINF))
                                assert_int_equal(st, SOCIND_ERR_DATA);
                            cases++;
                        }
                        /* the J-divergence decomposition: nonpositive
                           exclude, error and 7 (refused) */
                        for (int ni = 0; ni < 3; ni++) {
                            int32_t np = ni == 0   ? SOCIND_NONPOS_EXCLUDE
                                         : ni == 1 ? SOCIND_NONPOS_ERROR
                                                   : 7;
                            int32_t st = socind_jdiv_decomposition(d, y, np, g, G, o, e);
                            check_estimates(st, e, SOCIND_JDIVDEC_COUNT);
                            check_row(N);
                            if (ni == 2) assert_int_equal(st, SOCIND_ERR_ARG);
                            if (ni < 2 && bad_o) assert_int_equal(st, bad_o);
                            if (ni < 2 && !bad_o && (yk == Y_PINF || yk == Y_NINF))
                                assert_int_equal(st, SOCIND_ERR_DATA);
                            if (ni < 2 && !bad_o && yk == Y_ALL_NAN)
                                assert_int_equal(st, SOCIND_ERR_EMPTY);
                            cases++;
                        }
                        /* the GE decomposition: θ = 0, 1, 2, NaN; nonpositive 7 */
                        for (int ti = 0; ti < 5; ti++) {
                            double theta = ti < 3 ? (double)ti : NAN;
                            int32_t np = ti == 4 ? 7 : SOCIND_NONPOS_EXCLUDE;
                            if (ti == 4) theta = 1.0;
                            int32_t st = socind_ge_decomposition(d, y, theta, np, g, G, o, e);
                            check_estimates(st, e, SOCIND_GEDEC_COUNT);
                            check_row(N);
                            if (ti >= 3) assert_int_equal(st, SOCIND_ERR_ARG);
                            if (ti < 3 && bad_o) assert_int_equal(st, bad_o);
                            cases++;
                        }
                    }
                    /* n_groups 0 with a group column */
                    int32_t st = socind_poverty_profile(d, y, &l, 1.0, GROUP, 0, o, a);
                    check_profile(st, a, 1);
                    assert_true(st != SOCIND_OK);
                    st = socind_ge_decomposition(d, y, 1.0, SOCIND_NONPOS_EXCLUDE, GROUP, 0, o, e);
                    check_estimates(st, e, SOCIND_GEDEC_COUNT);
                    assert_true(st != SOCIND_OK);
                    st = socind_jdiv_decomposition(d, y, SOCIND_NONPOS_EXCLUDE, GROUP, 0, o, e);
                    check_estimates(st, e, SOCIND_JDIVDEC_COUNT);
                    assert_true(st != SOCIND_OK);
                    /* the line itself */
                    st = socind_poverty_line_estimate(d, y, &l, o, e);
                    check_estimates(st, e, 1);
                    check_row(N);
                    /* a per-row line is refused as the estimator's own
                       argument, before the options (estimator.c's order) */
                    if (lv == 1) assert_int_equal(st, SOCIND_ERR_ARG);
                    if (bad_o && lv != 1) assert_int_equal(st, bad_o);
                    if (!bad_o && lv != 1 && yk == Y_ALL_NAN) assert_true(st != SOCIND_OK);
                    /* a bad nonpositive policy */
                    for (int i = 0; i < 2; i++) {
                        const int32_t *g = i ? GROUP : NULL;
                        size_t m = i ? NG : 1;
                        socind_estimate w[SOCIND_WATTSDEC_COUNT * NG];
                        assert_int_equal(socind_ge(d, y, 1.0, 7, g, NG, o, w), SOCIND_ERR_ARG);
                        check_estimates(SOCIND_ERR_ARG, w, m);
                        assert_int_equal(socind_atkinson(d, y, 0.5, 7, g, NG, o, w),
                                         SOCIND_ERR_ARG);
                        check_estimates(SOCIND_ERR_ARG, w, m);
                        assert_int_equal(socind_jdiv(d, y, 7, g, NG, o, w), SOCIND_ERR_ARG);
                        check_estimates(SOCIND_ERR_ARG, w, m);
                        assert_int_equal(socind_zenga(d, y, -1, g, NG, o, w), SOCIND_ERR_ARG);
                        check_estimates(SOCIND_ERR_ARG, w, m);
                        st = socind_watts(d, y, &l, 7, g, NG, o, w);
                        check_estimates(st, w, m);
                        assert_true(st != SOCIND_OK);
                        st = socind_watts_decomposition(d, y, &l, 7, g, NG, o, w);
                        check_estimates(st, w, SOCIND_WATTSDEC_COUNT * m);
                        assert_true(st != SOCIND_OK);
                        cases += 4;
                    }
                }
        }
        socind_design_free(d);
    }
    /* NULL pointers */
    socind_design *d = design(W_PLAIN, STRATA, PSU, SOCIND_LONELY_FAIL);
    socind_poverty_line l = line_abs();
    socind_estimate a[SOCIND_PROFILE_COUNT * 2 * NG], e[SOCIND_GEDEC_COUNT];
    assert_int_equal(socind_poverty_profile(NULL, INCOME, &l, 1, GROUP, NG, NULL, a),
                     SOCIND_ERR_NULL);
    check_profile(SOCIND_ERR_NULL, a, NG);
    assert_int_equal(socind_poverty_profile(d, INCOME, &l, 1, NULL, NG, NULL, a), SOCIND_ERR_NULL);
    check_profile(SOCIND_ERR_NULL, a, NG);
    assert_int_equal(socind_poverty_profile(d, INCOME, NULL, 1, GROUP, NG, NULL, a),
                     SOCIND_ERR_NULL);
    check_profile(SOCIND_ERR_NULL, a, NG);
    assert_int_equal(socind_poverty_profile(d, INCOME, &l, 1, GROUP, NG, NULL, NULL),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_ge_decomposition(d, INCOME, 1, 0, NULL, NG, NULL, e), SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, SOCIND_GEDEC_COUNT);
    assert_int_equal(socind_jdiv_decomposition(d, INCOME, 0, NULL, NG, NULL, e), SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, SOCIND_JDIVDEC_COUNT);
    assert_int_equal(socind_jdiv_decomposition(NULL, INCOME, 0, GROUP, NG, NULL, e),
                     SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, SOCIND_JDIVDEC_COUNT);
    assert_int_equal(socind_jdiv_decomposition(d, NULL, 0, GROUP, NG, NULL, e), SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, SOCIND_JDIVDEC_COUNT);
    assert_int_equal(socind_jdiv_decomposition(d, INCOME, 0, GROUP, NG, NULL, NULL),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_poverty_line_estimate(d, NULL, &l, NULL, e), SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, 1);
    socind_design_free(d);
}

/* richness: unknown types, g outside convey's ranges, per-row and bad
   lines; the pay gap: sex codes other than 1, 2, −1, and domains without
   a man or a woman. */
static void test_rich_and_gpg_arguments(void **state) {
    (void)state;
    socind_design *d = design(W_PLAIN, STRATA, PSU, SOCIND_LONELY_FAIL);
    socind_estimate e[NG + 1];
    const struct {
        int32_t type;
        double g;
        int32_t want;
    } tg[] = {{SOCIND_RICH_CHA, 0, SOCIND_ERR_ARG},
              {SOCIND_RICH_CHA, -1, SOCIND_ERR_ARG},
              {SOCIND_RICH_CHA, INFINITY, SOCIND_ERR_ARG},
              {SOCIND_RICH_CHA, NAN, SOCIND_ERR_ARG},
              {SOCIND_RICH_CHA, 1e-300, SOCIND_OK},
              {SOCIND_RICH_FGTT1, -1e-300, SOCIND_ERR_ARG},
              {SOCIND_RICH_FGTT1, 1.0000001, SOCIND_ERR_ARG},
              {SOCIND_RICH_FGTT1, NAN, SOCIND_ERR_ARG},
              {SOCIND_RICH_FGTT1, 0, SOCIND_OK},
              {SOCIND_RICH_FGTT1, 1, SOCIND_OK},
              {SOCIND_RICH_FGTT2, 1, SOCIND_ERR_ARG},
              {SOCIND_RICH_FGTT2, INFINITY, SOCIND_ERR_ARG},
              {SOCIND_RICH_FGTT2, NAN, SOCIND_ERR_ARG},
              {SOCIND_RICH_FGTT2, 1.0000001, SOCIND_OK},
              {SOCIND_RICH_FGTT2, 400, SOCIND_OK},
              {3, 1, SOCIND_ERR_ARG},
              {-1, 1, SOCIND_ERR_ARG}};
    for (int lk = 0; lk < 3; lk++)
        for (size_t i = 0; i < sizeof tg / sizeof tg[0]; i++)
            for (int gv = 0; gv < 2; gv++) {
                socind_poverty_line l = rich_line(lk);
                const int32_t *g = gv ? GROUP : NULL;
                int32_t st = socind_richness(d, INCOME, &l, tg[i].type, tg[i].g, g, NG, NULL, e);
                check_estimates(st, e, gv ? NG : 1);
                check_row(N);
                assert_int_equal(st, tg[i].want);
                cases++;
            }
    socind_poverty_line l = line_kind(1); /* per row */
    assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_CHA, 1, NULL, 0, NULL, e),
                     SOCIND_ERR_ARG);
    check_estimates(SOCIND_ERR_ARG, e, 1);
    const double bad_values[] = {0, -1, NAN, INFINITY};
    for (int lk = 0; lk < 3; lk++)
        for (int i = 0; i < 4; i++) {
            l = rich_line(lk);
            l.value = bad_values[i];
            assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_CHA, 1, NULL, 0, NULL, e),
                             SOCIND_ERR_ARG);
            check_estimates(SOCIND_ERR_ARG, e, 1);
        }
    l = rich_line(0);
    l.inclusive = 2;
    assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_CHA, 1, NULL, 0, NULL, e),
                     SOCIND_ERR_ARG);
    l = rich_line(1);
    l.quantile = 1;
    assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_CHA, 1, NULL, 0, NULL, e),
                     SOCIND_ERR_ARG);
    l = rich_line(0);
    l.size = 3;
    assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_CHA, 1, NULL, 0, NULL, e),
                     SOCIND_ERR_OPTIONS);
    assert_int_equal(socind_richness(d, INCOME, NULL, SOCIND_RICH_CHA, 1, NULL, 0, NULL, e),
                     SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, 1);
    /* inclusive does not change the measure: rich is y > t */
    socind_estimate a, b;
    l = rich_line(0);
    l.value = 120; /* a row sits at the line */
    assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_FGTT1, 0, NULL, 0, NULL, &a),
                     SOCIND_OK);
    l.inclusive = 1;
    assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_FGTT1, 0, NULL, 0, NULL, &b),
                     SOCIND_OK);
    assert_true(a.value == b.value && a.se == b.se);
    /* no row above the threshold: 0 with SE 0 (a fixed threshold) */
    l = rich_line(0);
    l.value = 1e6;
    assert_int_equal(socind_richness(d, INCOME, &l, SOCIND_RICH_CHA, 2, GROUP, NG, NULL, e),
                     SOCIND_OK);
    for (int j = 0; j < NG; j++) {
        assert_int_equal(e[j].status, SOCIND_OK);
        assert_true(e[j].value == 0 && e[j].se == 0);
    }

    /* the pay gap's sex codes: the first bad one is named */
    int32_t sex[N];
    const int32_t bad_codes[] = {0, 3, -2, INT32_MAX, INT32_MIN};
    for (int i = 0; i < 5; i++)
        for (int gv = 0; gv < 2; gv++) {
            memcpy(sex, SEX, sizeof sex);
            sex[7] = bad_codes[i];
            sex[10] = bad_codes[i];
            int32_t st = socind_gender_pay_gap(d, INCOME, sex, gv ? GROUP : NULL, NG, NULL, e);
            assert_int_equal(st, SOCIND_ERR_CODE);
            assert_int_equal(socind_last_error_row(), 7);
            check_estimates(st, e, gv ? NG : 1);
            cases++;
        }
    assert_int_equal(socind_gender_pay_gap(d, INCOME, NULL, NULL, 0, NULL, e), SOCIND_ERR_NULL);
    check_estimates(SOCIND_ERR_NULL, e, 1);
    /* domains without women (group 0), without men (group 1), every sex
       missing (group 2): no ratio */
    for (int k = 0; k < N; k++)
        sex[k] = GROUP[k] == 0 ? 1 : GROUP[k] == 1 ? 2 : GROUP[k] == 2 ? -1 : 1;
    assert_int_equal(socind_gender_pay_gap(d, INCOME, sex, GROUP, NG + 1, NULL, e), SOCIND_OK);
    assert_int_equal(e[0].status, SOCIND_ERR_DATA);
    assert_int_equal(e[1].status, SOCIND_ERR_DATA);
    assert_int_equal(e[2].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_int_equal(e[3].status, SOCIND_ERR_EMPTY_DOMAIN);
    check_estimates(SOCIND_OK, e, NG + 1);
    /* men's mean earnings 0 */
    double y0[N];
    for (int k = 0; k < N; k++) y0[k] = SEX[k] == 1 ? 0 : INCOME[k];
    assert_int_equal(socind_gender_pay_gap(d, y0, SEX, NULL, 0, NULL, e), SOCIND_OK);
    assert_int_equal(e[0].status, SOCIND_ERR_DATA);
    /* every sex missing: nothing used */
    for (int k = 0; k < N; k++) sex[k] = -1;
    assert_int_equal(socind_gender_pay_gap(d, INCOME, sex, NULL, 0, NULL, e), SOCIND_ERR_EMPTY);
    check_estimates(SOCIND_ERR_EMPTY, e, 1);
    socind_design_free(d);
}

/* Growth z-scores, the quality summary and table rows when the call fails. */
static void test_growth_failures(void **state) {
    (void)state;
    int32_t sex[2] = {1, 2};
    double age[2] = {100, 200}, wt[2] = {8, 9}, lh[2] = {70, 75};
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age, in.weight = wt, in.lenhei = lh;
    for (int bad = 0; bad < 5; bad++) {
        double z[10][2], cl[2], cb[2];
        int32_t f[9][2], r[2], c9[2], cm[2];
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 10; i++) z[i][k] = 7;
            for (int i = 0; i < 9; i++) f[i][k] = 7;
            r[k] = c9[k] = cm[k] = 7, cl[k] = cb[k] = 7;
        }
        socind_growth_output out;
        socind_growth_output_init(&out);
        out.zlen = z[0], out.zwei = z[1], out.zwfl = z[2], out.zbmi = z[3], out.zhc = z[4];
        out.zac = z[5], out.zts = z[6], out.zss = z[7];
        out.flen = f[0], out.fwei = f[1], out.fwfl = f[2], out.fbmi = f[3], out.fhc = f[4];
        out.fac = f[5], out.fts = f[6], out.fss = f[7];
        out.clenhei = cl, out.cbmi = cb, out.cmeasure = cm, out.c9mo_flag = c9, out.reason = r;
        socind_growth_input bin = in;
        int32_t rounding = SOCIND_ROUND_WHO, want = SOCIND_ERR_ARG;
        if (bad == 0) rounding = 5;
        if (bad == 1) bin.age_in_months = 3;
        if (bad == 2) bin.sex = NULL, want = SOCIND_ERR_NULL;
        if (bad == 3) bin.size = 1, want = SOCIND_ERR_OPTIONS;
        int32_t st = bad == 4 ? socind_growth_who2006(2, NULL, rounding, &out)
                              : socind_growth_who2006(2, &bin, rounding, &out);
        assert_int_equal(st, bad == 4 ? SOCIND_ERR_NULL : want);
        for (int k = 0; k < 2; k++) {
            for (int i = 0; i < 8; i++) assert_true(isnan(z[i][k]) && f[i][k] == -1);
            assert_true(isnan(cl[k]) && isnan(cb[k]) && cm[k] == -1);
            assert_int_equal(c9[k], 0);
            assert_int_equal(r[k], 0);
        }
        cases++;
    }
    /* 2007: bad rounding, NULL sex, NULL age, a bad input size, NULL input */
    for (int bad = 0; bad < 5; bad++) {
        double zh[2] = {7, 7}, zw[2] = {7, 7}, zb[2] = {7, 7}, bm[2] = {7, 7};
        int32_t fh[2] = {7, 7}, fw[2] = {7, 7}, fb[2] = {7, 7}, r7[2] = {7, 7};
        double am[2] = {70, 80};
        socind_growth2007_input in7;
        socind_growth2007_output out7;
        socind_growth2007_input_init(&in7);
        socind_growth2007_output_init(&out7);
        in7.sex = bad == 1 ? NULL : sex, in7.age_months = bad == 2 ? NULL : am;
        in7.height_cm = lh, in7.weight_kg = wt;
        if (bad == 3) in7.size = 8;
        out7.cbmi = bm, out7.zhfa = zh, out7.zwfa = zw, out7.zbfa = zb;
        out7.fhfa = fh, out7.fwfa = fw, out7.fbfa = fb, out7.reason = r7;
        int32_t st = socind_growth_who2007(2, bad == 4 ? NULL : &in7, bad ? 0 : 9, &out7);
        assert_int_equal(st, bad == 0   ? SOCIND_ERR_ARG
                             : bad == 3 ? SOCIND_ERR_OPTIONS
                                        : SOCIND_ERR_NULL);
        for (int k = 0; k < 2; k++) {
            assert_true(isnan(zh[k]) && isnan(zw[k]) && isnan(zb[k]) && isnan(bm[k]));
            assert_true(fh[k] == -1 && fw[k] == -1 && fb[k] == -1 && r7[k] == 0);
        }
        cases++;
    }
    /* the quality summary: n = 0, in NULL, in->sex NULL, bad age_in_months */
    for (int bad = 0; bad < 4; bad++) {
        socind_growth_quality q;
        memset(&q, 0x7f, sizeof q);
        q.size = sizeof q; /* not from _init: the failure must set every field */
        socind_growth_input bin = in;
        if (bad == 2) bin.sex = NULL;
        if (bad == 3) bin.age_in_months = 2;
        int32_t st = socind_growth_quality_who2006(bad == 0 ? 0 : 2, bad == 1 ? NULL : &bin, &q);
        assert_int_equal(st, bad == 0   ? SOCIND_ERR_EMPTY
                             : bad == 3 ? SOCIND_ERR_ARG
                                        : SOCIND_ERR_NULL);
        assert_int_equal(q.n, 0);
        for (int i = 0; i < 4; i++) {
            assert_true(isnan(q.sd[i]));
            assert_int_equal(q.missing[i], 0);
            assert_int_equal(q.flagged[i], 0);
        }
        assert_true(q.oedema == 0 && q.sex_missing == 0 && q.age_missing == 0);
        assert_true(isnan(q.lenhei_heaping) && isnan(q.weight_heaping) && isnan(q.age_heaping));
        cases++;
    }
    /* a table's row out of range, and a NULL table */
    socind_prevalence_table *t = NULL;
    const double ones[2] = {1, 1};
    socind_design *d2 = NULL;
    assert_int_equal(socind_design_new(2, ones, NULL, NULL, NULL, NULL, &d2), SOCIND_OK);
    assert_int_equal(socind_prevalence_who2006(d2, &in, NULL, 0, NULL, &t), SOCIND_OK);
    socind_design_free(d2);
    for (int bad = 0; bad < 2; bad++) {
        socind_prevalence_row row;
        memset(&row, 0x7f, sizeof row);
        row.size = sizeof row; /* not from _init: the failure must set every field */
        int32_t st = socind_prevalence_table_row(bad ? NULL : t,
                                                 bad ? 0 : socind_prevalence_table_nrows(t), &row);
        assert_int_equal(st, bad ? SOCIND_ERR_NULL : SOCIND_ERR_ARG);
        check_estimates(st, &row.est, 1);
        assert_true(row.group_kind == -1 && row.group_level == -1 && row.indicator == -1 &&
                    row.statistic == -1);
        assert_true(isnan(row.stdev) && isnan(row.pop_weighted));
        assert_true(row.pop_unweighted == 0 && row.flagged == 0);
        cases++;
    }
    socind_prevalence_table_free(t);
}

/* Growth z-scores and the prevalence tables. */
#define NC 10

/* The design of the prevalence sweep: dsg 0 none (weights 1), 1 weights
 * only, 2 strata and clusters (nested, lonely PSUs "adjust", as anthro), 3–7
 * the same under each lonely-PSU policy; a NaN weight set to 0 as anthro
 * does (a design takes none). */
static int32_t kids_design(int dsg, const double *sw, const int64_t *strata, const int64_t *cl,
                           socind_design **d) {
    double w[NC];
    for (int k = 0; k < NC; k++) w[k] = dsg == 0 ? 1.0 : isnan(sw[k]) ? 0.0 : sw[k];
    socind_design_options o;
    socind_design_options_init(&o);
    o.nest = 1;
    o.lonely_psu = dsg <= 2 ? SOCIND_LONELY_ADJUST : dsg - 3;
    return socind_design_new(NC, w, dsg >= 2 ? strata : NULL, dsg >= 2 ? cl : NULL, NULL, &o, d);
}
static void test_growth_and_prevalence(void **state) {
    (void)state;
    int32_t sex[NC] = {1, 2, 1, 2, 1, 2, 1, 2, 3, -1};
    double age[NC] = {400, 500, 120, 900, 1500, 30, 700, 1200, 800, 1000};
    double wt[NC] = {9, 10, 6, 12, 16, 4, 10, 13, 11, 12};
    double lh[NC] = {75, 78, 60, 88, 105, 52, 80, 95, 85, 90};
    int32_t meas[NC] = {1, 1, 1, 2, 2, 1, 1, 2, 9, -1}, oed[NC] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 5};
    double sw[NC] = {1, 2, 1, 3, 2, 1, 2, 1, 1, 2};
    int64_t strata[NC] = {1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, cl[NC] = {1, 1, 2, 2, 2, 3, 3, 4, 4, 4};
    int32_t grp[NC] = {0, 1, 0, 1, 0, 1, 0, 1, -1, 0};
    const double badvals[] = {NAN, INFINITY, -INFINITY, -70, 0, 0x1p-1074, 1e308, -1e308};
    for (size_t b = 0; b < sizeof badvals / sizeof badvals[0]; b++)
        for (int col = 0; col < 4; col++) { /* age, weight, length, sw */
            double a2[NC], w2[NC], l2[NC], s2[NC];
            memcpy(a2, age, sizeof a2), memcpy(w2, wt, sizeof w2), memcpy(l2, lh, sizeof l2);
            memcpy(s2, sw, sizeof s2);
            double *target = col == 0 ? a2 : col == 1 ? w2 : col == 2 ? l2 : s2;
            target[2] = badvals[b];
            target[7] = badvals[b];
            socind_growth_input in;
            socind_growth_input_init(&in);
            in.sex = sex, in.age = a2, in.weight = w2, in.lenhei = l2, in.measure = meas;
            in.oedema = oed;
            double z[8][NC], cb[NC], cl2[NC];
            int32_t f[8][NC], reason[NC];
            socind_growth_output out;
            socind_growth_output_init(&out);
            out.zlen = z[0], out.zwei = z[1], out.zwfl = z[2], out.zbmi = z[3];
            out.flen = f[0], out.fwei = f[1], out.fwfl = f[2], out.fbmi = f[3];
            out.cbmi = cb, out.clenhei = cl2, out.reason = reason;
            for (int r = 0; r < 2; r++) {
                assert_int_equal(socind_growth_who2006(NC, &in, r, &out), SOCIND_OK);
                for (int k = 0; k < NC; k++) {
                    for (int j = 0; j < 4; j++) {
                        assert_false(isinf(z[j][k]));
                        assert_true(isnan(z[j][k]) ? f[j][k] == -1
                                                   : (f[j][k] == 0 || f[j][k] == 1));
                    }
                    assert_false(isinf(cb[k]));
                    if ((col == 1 || col == 2) && (k == 2 || k == 7) &&
                        (badvals[b] < 0 || isinf(badvals[b]))) {
                        assert_true(isnan(z[3][k]) && isnan(cb[k]) && isnan(z[2][k]));
                        assert_true(reason[k] &
                                    (SOCIND_GROWTH_NEGATIVE_VALUE | SOCIND_GROWTH_INFINITE_VALUE));
                    }
                }
                cases++;
            }
            /* 2007 with the same columns as months, cm, kg */
            double am[NC];
            for (int k = 0; k < NC; k++) am[k] = col == 0 ? a2[k] : 60 + 15 * k;
            double zh[NC], zw[NC], zb[NC], bm[NC];
            int32_t fh[NC], fw[NC], fb[NC], r7[NC];
            double h7[NC];
            for (int k = 0; k < NC; k++) h7[k] = l2[k] + 60;
            socind_growth2007_input in7;
            socind_growth2007_output out7;
            socind_growth2007_input_init(&in7);
            socind_growth2007_output_init(&out7);
            in7.sex = sex, in7.age_months = am, in7.height_cm = h7, in7.weight_kg = w2;
            in7.oedema = oed;
            out7.cbmi = bm, out7.zhfa = zh, out7.zwfa = zw, out7.zbfa = zb;
            out7.fhfa = fh, out7.fwfa = fw, out7.fbfa = fb, out7.reason = r7;
            assert_int_equal(socind_growth_who2007(NC, &in7, SOCIND_ROUND_WHO, &out7), SOCIND_OK);
            for (int k = 0; k < NC; k++)
                assert_false(isinf(zh[k]) || isinf(zw[k]) || isinf(zb[k]) || isinf(bm[k]));
            /* the tables, with and without a design */
            for (int dsg = 0; dsg < 8; dsg++) {
                socind_prevalence_table *t = (socind_prevalence_table *)1;
                socind_design *d = NULL;
                int32_t st = kids_design(dsg, s2, strata, cl, &d);
                if (col == 3 && dsg && (badvals[b] < 0 || badvals[b] == INFINITY)) {
                    assert_int_equal(st, SOCIND_ERR_WEIGHT); /* refused by the design */
                    assert_int_equal(socind_last_error_row(), 2);
                }
                if (st != SOCIND_OK) {
                    assert_null(d);
                    continue;
                }
                st = socind_prevalence_who2006(d, &in, grp, 2, NULL, &t);
                check_row(NC);
                if (st != SOCIND_OK) {
                    assert_null(t);
                } else {
                    size_t nr = socind_prevalence_table_nrows(t);
                    assert_true(nr > 0);
                    for (size_t i = 0; i < nr; i++) {
                        socind_prevalence_row row;
                        socind_prevalence_row_init(&row);
                        assert_int_equal(socind_prevalence_table_row(t, i, &row), SOCIND_OK);
                        check_estimates(SOCIND_OK, &row.est, 1);
                        if (row.statistic == SOCIND_NUT_MEAN && row.est.status == SOCIND_OK)
                            assert_false(isinf(row.stdev));
                    }
                    socind_prevalence_row row;
                    socind_prevalence_row_init(&row);
                    assert_int_equal(socind_prevalence_table_row(t, nr, &row), SOCIND_ERR_ARG);
                    socind_prevalence_table_free(t);
                }
                t = (socind_prevalence_table *)1;
                st = socind_prevalence_who2007(d, &in7, grp, 2, NULL, &t);
                check_row(NC);
                if (st != SOCIND_OK)
                    assert_null(t);
                else
                    socind_prevalence_table_free(t);
                socind_design_free(d);
                cases += 2;
            }
            socind_growth_quality q;
            socind_growth_quality_init(&q);
            assert_int_equal(socind_growth_quality_who2006(NC, &in, &q), SOCIND_OK);
            assert_int_equal(q.n, NC);
        }
    /* argument errors */
    socind_growth_input in;
    socind_growth_input_init(&in);
    in.sex = sex, in.age = age;
    socind_growth2007_input in7;
    socind_growth2007_input_init(&in7);
    in7.sex = sex, in7.age_months = age;
    socind_design *d = NULL;
    assert_int_equal(kids_design(0, sw, strata, cl, &d), SOCIND_OK);
    socind_prevalence_table *t = (socind_prevalence_table *)1;
    assert_int_equal(socind_prevalence_who2006(d, NULL, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_null(t);
    t = (socind_prevalence_table *)1;
    assert_int_equal(socind_prevalence_who2006(NULL, &in, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_null(t);
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
    int32_t bad_grp[NC] = {0, 1, 0, 1, 2, 1, 0, 1, -1, 0};
    assert_int_equal(socind_prevalence_who2006(d, &in, bad_grp, 2, NULL, &t), SOCIND_ERR_GROUP);
    assert_int_equal(socind_last_error_row(), 4);
    assert_int_equal(socind_prevalence_who2007(d, &in7, bad_grp, 2, NULL, &t), SOCIND_ERR_GROUP);
    assert_int_equal(socind_last_error_row(), 4);
    assert_int_equal(socind_prevalence_who2006(d, &in, grp, 0, NULL, &t), SOCIND_ERR_ARG);
    assert_int_equal(socind_prevalence_who2006(d, &in, grp, -1, NULL, &t), SOCIND_ERR_ARG);
    socind_options o;
    socind_options_init(&o);
    o.size = 1;
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, &o, &t), SOCIND_ERR_OPTIONS);
    socind_options_init(&o);
    o.level = 1;
    assert_int_equal(socind_prevalence_who2007(d, &in7, NULL, 0, &o, &t), SOCIND_ERR_ARG);
    socind_options_init(&o);
    o.ci_dist = 2;
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, &o, &t), SOCIND_ERR_ARG);
    in7.sex = NULL;
    assert_int_equal(socind_prevalence_who2007(d, &in7, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    in7.sex = sex, in7.age_months = NULL;
    assert_int_equal(socind_prevalence_who2007(d, &in7, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_who2007(NULL, &in7, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_who2007(d, NULL, NULL, 0, NULL, &t), SOCIND_ERR_NULL);
    in7.age_months = age, in7.size = 2;
    assert_int_equal(socind_prevalence_who2007(d, &in7, NULL, 0, NULL, &t), SOCIND_ERR_OPTIONS);
    assert_null(t);
    double old_age[NC];
    for (int k = 0; k < NC; k++) old_age[k] = 3000;
    in.age = old_age;
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t), SOCIND_ERR_EMPTY);
    in.age = age;
    in.size = 0;
    assert_int_equal(socind_prevalence_who2006(d, &in, NULL, 0, NULL, &t), SOCIND_ERR_OPTIONS);
    assert_null(t);
    socind_design_free(d);
    in.size = sizeof in;
    socind_growth_output go;
    socind_growth_output_init(&go);
    assert_int_equal(socind_growth_who2006(NC, &in, 2, &go), SOCIND_ERR_ARG);
    in.sex = NULL;
    assert_int_equal(socind_growth_who2006(NC, &in, 0, &go), SOCIND_ERR_NULL);
    assert_int_equal(socind_growth_who2006(0, &in, 0, &go), SOCIND_OK);
    socind_growth_quality q;
    q.size = 3;
    in.sex = sex;
    assert_int_equal(socind_growth_quality_who2006(NC, &in, &q), SOCIND_ERR_OPTIONS);
    q.size = sizeof q;
    assert_int_equal(socind_growth_quality_who2006(0, &in, &q), SOCIND_ERR_EMPTY);
    assert_int_equal(socind_growth_quality_who2006(NC, NULL, &q), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_table_row(NULL, 0, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_table_nrows(NULL), 0);
    socind_prevalence_table_free(NULL);
    char buf[64];
    size_t need = 7;
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_AGE, 6, buf, sizeof buf, &need),
                     SOCIND_ERR_ARG);
    assert_int_equal(need, 0);
    assert_int_equal(socind_prevalence_group_label(99, 0, buf, sizeof buf, NULL), SOCIND_ERR_ARG);
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_ALL, 0, NULL, 4, &need),
                     SOCIND_ERR_NULL);
    /* too small: the size it needs, nothing truncated (buf "") */
    buf[0] = 'x';
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_AGE_SEX, 3, buf, 5, &need),
                     SOCIND_ERR_BUFFER);
    assert_string_equal(buf, "");
    assert_int_equal(need, strlen("Age + sex: 12-23 mo.Male") + 1);
    /* a query with no buffer, then a buffer of exactly that size */
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_AGE2_SEX, 5, NULL, 0, &need),
                     SOCIND_OK);
    assert_int_equal(need, strlen("Age + Sex: Male.180-228 mo") + 1);
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_AGE2_SEX, 5, buf, need - 1, NULL),
                     SOCIND_ERR_BUFFER);
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_AGE2_SEX, 5, buf, need, NULL),
                     SOCIND_OK);
    assert_string_equal(buf, "Age + Sex: Male.180-228 mo");
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_ALL, 0, buf, 0, &need),
                     SOCIND_ERR_BUFFER);
    assert_int_equal(need, 4);
    /* every label fits the 32 bytes the header promises */
    for (int32_t kind = 0; kind <= SOCIND_GROUP_AGE2_SEX; kind++)
        for (int32_t level = -1; level <= 15; level++) {
            int32_t lst = socind_prevalence_group_label(kind, level, buf, sizeof buf, &need);
            assert_true(lst == SOCIND_OK || lst == SOCIND_ERR_ARG);
            if (lst == SOCIND_OK) assert_true(need == strlen(buf) + 1 && need <= 32);
        }
    assert_int_equal(socind_prevalence_group_label(SOCIND_GROUP_DOMAIN, INT32_MIN, buf, 32, &need),
                     SOCIND_OK);
    /* row sizes: _init's, a bad one (untouched), and _init's figures */
    socind_prevalence_row row;
    assert_int_equal(socind_prevalence_row_init(NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_prevalence_row_init(&row), SOCIND_OK);
    assert_true(row.size == sizeof row && row.group_kind == -1 && row.statistic == -1);
    assert_true(isnan(row.est.value) && row.est.status == SOCIND_ERR_EMPTY_DOMAIN);
    assert_true(isnan(row.stdev) && isnan(row.pop_weighted) && row.flagged == 0);
    row.size = 8;
    row.group_kind = 77;
    assert_int_equal(socind_prevalence_table_row(NULL, 0, &row), SOCIND_ERR_OPTIONS);
    assert_int_equal(row.group_kind, 77);
    row.size = 5000;
    assert_int_equal(socind_prevalence_table_row(NULL, 0, &row), SOCIND_ERR_OPTIONS);
    assert_int_equal(socind_growth_quality_init(NULL), SOCIND_ERR_NULL);
    const double vals[] = {NAN, INFINITY, -INFINITY, -1, 0, 1e308};
    for (size_t i = 0; i < 6; i++) {
        socind_growth_child_input c1;
        socind_growth_child_output o1;
        socind_growth_child_input_init(&c1);
        socind_growth_child_output_init(&o1);
        c1.sex = 1, c1.age = vals[i], c1.weight = vals[i], c1.lenhei = vals[i], c1.measure = 1;
        c1.oedema = 0, c1.headc = c1.armc = c1.triskin = c1.subskin = vals[i];
        assert_int_equal(socind_growth_who2006_child(&c1, 0, &o1), SOCIND_OK);
        for (int j = 0; j < 8; j++) assert_false(isinf(o1.z[j]));
        assert_false(isinf(o1.cbmi) || isinf(o1.clenhei));
        assert_false(isinf(socind_round2(vals[i])) && isfinite(vals[i]));
        cases++;
    }
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_estimators_values),      cmocka_unit_test(test_scale_free),
        cmocka_unit_test(test_estimators_arguments),   cmocka_unit_test(test_designs),
        cmocka_unit_test(test_design_arguments),       cmocka_unit_test(test_variance),
        cmocka_unit_test(test_small_functions),        cmocka_unit_test(test_growth_and_prevalence),
        cmocka_unit_test(test_more_estimators),        cmocka_unit_test(test_growth_failures),
        cmocka_unit_test(test_rich_and_gpg_arguments), cmocka_unit_test(test_convey_quantile),
        cmocka_unit_test(test_weight_scale),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);
    if (getenv("SOCIND_SWEEP_COUNT")) fprintf(stderr, "%ld cases\n", cases);
    return r;
}
