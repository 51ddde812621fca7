/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_sen.c — the Sen and Sen–Shorrocks–Thon indices (socind_sen,
 * socind_sst): a five-row case worked by hand, the identities with their
 * components and with socind_fgt / socind_gini, invariances, every SE
 * against numerical derivatives of the estimate in each PSU's weights, and
 * the edge cases and bad inputs. There is no reference row (convey 1.0.1 has
 * neither index). */
#include "test_util.h"

#include "socind/socind.h"

static socind_poverty_line abs_line(double z) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = z;
    return L;
}

/*
 * Five people, weight 1 each, every row its own PSU, line z = 10 (strict).
 * y = 2, 4, 6, 12, 15. Poor: 2, 4, 6.
 *   N = 5, N_p = 3, P0 = 3/5 = 0.6
 *   x = y/z = 0.2, 0.4, 0.6;  gaps g = 0.8, 0.6, 0.4;  Σ g = 1.8
 *   I = 1.8/3 = 0.6
 *   Gini of the poor's x (convey): r = 1, 2, 3, T = 1·0.2 + 2·0.4 + 3·0.6 = 2.8,
 *     X = 1.2, G_p = (2·2.8 − 1.2)/(3·1.2) − 1 = 4.4/3.6 − 1 = 2/9
 *   Sen = 0.6·(0.6 + 0.4·2/9) = 0.6·31/45 = 31/75 = 0.41333…
 *   Gini of the gaps over all five: sorted 0, 0, 0.4, 0.6, 0.8, r = 1 … 5,
 *     T = 3·0.4 + 4·0.6 + 5·0.8 = 7.6, G_g = (15.2 − 1.8)/(5·1.8) − 1 = 22/45
 *   SST = 0.6·0.6·(1 + 22/45) = 0.36·67/45 = 67/125 = 0.536
 *     (= (2T − Σ g)/N² = 13.4/25)
 *   SE of P0: u_k = (1[poor] − 0.6)/5, Σ (u − ū)² = (3·0.16 + 2·0.36)/25
 *     = 0.048, V = 5/4·0.048 = 0.06, SE = √0.06
 *   SE of I: u_k = (g_k − 0.6)/3 for the poor, 0 else: u = 0.2/3, 0, −0.2/3,
 *     0, 0; mean 0, V = 5/4·(0.08/9) = 0.1/9, SE = √(1/90)
 */
static void test_hand_worked(void **state) {
    (void)state;
    const double y[5] = {2, 4, 6, 12, 15}, w[5] = {1, 1, 1, 1, 1};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(5, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    socind_estimate e[SOCIND_SST_COUNT];
    assert_int_equal(socind_sen(d, y, &L, NULL, 0, NULL, e), SOCIND_OK);
    for (int k = 0; k < SOCIND_SEN_COUNT; k++) {
        assert_int_equal(e[k].status, SOCIND_OK);
        assert_int_equal(e[k].n, 5);
        assert_close(e[k].weight_sum, 5.0, 1e-15);
    }
    assert_close(e[SOCIND_SEN_INDEX].value, 31.0 / 75.0, 1e-14);
    assert_close(e[SOCIND_SEN_HEADCOUNT].value, 0.6, 1e-15);
    assert_close(e[SOCIND_SEN_GAP].value, 0.6, 1e-14);
    assert_close(e[SOCIND_SEN_GINI_POOR].value, 2.0 / 9.0, 1e-14);
    assert_close(e[SOCIND_SEN_HEADCOUNT].se, sqrt(0.06), 1e-14);
    assert_close(e[SOCIND_SEN_GAP].se, sqrt(1.0 / 90.0), 1e-13);
    assert_int_equal(socind_sst(d, y, &L, NULL, 0, NULL, e), SOCIND_OK);
    assert_close(e[SOCIND_SST_INDEX].value, 0.536, 1e-14);
    assert_close(e[SOCIND_SST_HEADCOUNT].value, 0.6, 1e-15);
    assert_close(e[SOCIND_SST_GAP].value, 0.6, 1e-14);
    assert_close(e[SOCIND_SST_GINI_GAPS].value, 22.0 / 45.0, 1e-14);
    assert_close(e[SOCIND_SST_HEADCOUNT].se, sqrt(0.06), 1e-14);
    assert_close(e[SOCIND_SST_GAP].se, sqrt(1.0 / 90.0), 1e-13);
    /* inclusive: a sixth row at the line is poor with gap 0 */
    const double y6[6] = {2, 4, 6, 12, 15, 10}, w6[6] = {1, 1, 1, 1, 1, 1};
    socind_design *d6 = NULL;
    assert_int_equal(socind_design_new(6, w6, NULL, NULL, NULL, NULL, &d6), SOCIND_OK);
    L.inclusive = 1;
    assert_int_equal(socind_sen(d6, y6, &L, NULL, 0, NULL, e), SOCIND_OK);
    assert_close(e[SOCIND_SEN_HEADCOUNT].value, 4.0 / 6.0, 1e-15);
    assert_close(e[SOCIND_SEN_GAP].value, 1.8 / 4.0, 1e-14);
    socind_design_free(d6);
    socind_design_free(d);
}

/* ---- a stratified clustered sample ---- */
#define NR 96
#define NH 3
#define NPSU_H 4
typedef struct {
    double y[NR], w[NR], lines[NR];
    int64_t strata[NR], psu[NR];
    int32_t group[NR];
} sample;

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static double urand(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) * 0x1p-53;
}

static void make_sample(sample *s) {
    rng_state = 12345;
    for (int k = 0; k < NR; k++) {
        int h = k % NH, p = (k / NH) % NPSU_H;
        s->strata[k] = h + 1;
        s->psu[k] = 10 * (h + 1) + p;
        s->w[k] = 50.0 + 200.0 * urand();
        s->y[k] = 40.0 + 300.0 * urand() * urand();
        if (k % 17 == 0) s->y[k] = 0.0;   /* poor with no income */
        if (k % 23 == 5) s->y[k] = -15.0; /* a loss */
        s->lines[k] = 90.0 + 40.0 * (k % 3);
        s->group[k] = (int32_t)(k % 2);
    }
    s->y[7] = s->y[8]; /* a tie */
}

static socind_design *design_of(const sample *s, const double *w) {
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(NR, w, s->strata, s->psu, NULL, NULL, &d), SOCIND_OK);
    return d;
}

typedef int32_t (*estfn)(const socind_design *, const double *, const socind_poverty_line *,
                         const int32_t *, int32_t, const socind_options *, socind_estimate *);

/* Every part's SE (each group) against the PSU totals of numerical
 * derivatives: θ(w with one PSU's weights × (1 ± h)), z_p = (θ+ − θ−)/2h,
 * V = Σ_h n_h/(n_h − 1) Σ_p (z_p − z̄_h)². */
static void check_numeric_se(const sample *s, const socind_poverty_line *L, estfn f,
                             const int32_t *group, int32_t ng) {
    const int K = 4, G = group ? ng : 1;
    socind_estimate base[2 * 4], ep[2 * 4], em[2 * 4];
    socind_design *d = design_of(s, s->w);
    assert_int_equal(f(d, s->y, L, group, ng, NULL, base), SOCIND_OK);
    socind_design_free(d);
    const double h = 1e-5;
    double z[NH][NPSU_H][2 * 4];
    double w2[NR];
    for (int st = 0; st < NH; st++)
        for (int p = 0; p < NPSU_H; p++) {
            int64_t id = 10 * (st + 1) + p;
            for (int sgn = 0; sgn < 2; sgn++) {
                for (int k = 0; k < NR; k++)
                    w2[k] = s->w[k] * (s->psu[k] == id ? (sgn ? 1.0 - h : 1.0 + h) : 1.0);
                socind_design *dd = design_of(s, w2);
                assert_int_equal(f(dd, s->y, L, group, ng, NULL, sgn ? em : ep), SOCIND_OK);
                socind_design_free(dd);
            }
            for (int j = 0; j < G * K; j++) z[st][p][j] = (ep[j].value - em[j].value) / (2 * h);
        }
    for (int j = 0; j < G * K; j++) {
        if (base[j].status != SOCIND_OK) continue;
        double V = 0.0;
        for (int st = 0; st < NH; st++) {
            double m = 0.0, q = 0.0;
            for (int p = 0; p < NPSU_H; p++) m += z[st][p][j] / NPSU_H;
            for (int p = 0; p < NPSU_H; p++) q += (z[st][p][j] - m) * (z[st][p][j] - m);
            V += (double)NPSU_H / (NPSU_H - 1) * q;
        }
        assert_close(base[j].se, sqrt(V), 1e-6);
        assert_true(base[j].se > 0.0);
    }
}

static void test_numeric_se(void **state) {
    (void)state;
    static sample s;
    make_sample(&s);
    socind_poverty_line L = abs_line(110.0);
    check_numeric_se(&s, &L, socind_sen, NULL, 0);
    check_numeric_se(&s, &L, socind_sst, NULL, 0);
    check_numeric_se(&s, &L, socind_sen, s.group, 2);
    check_numeric_se(&s, &L, socind_sst, s.group, 2);
    L.inclusive = 1;
    check_numeric_se(&s, &L, socind_sst, s.group, 2);
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_PER_ROW;
    R.lines = s.lines;
    check_numeric_se(&s, &R, socind_sen, NULL, 0);
    check_numeric_se(&s, &R, socind_sst, NULL, 0);
    check_numeric_se(&s, &R, socind_sen, s.group, 2);
    check_numeric_se(&s, &R, socind_sst, s.group, 2);
}

/* SST = P0·I·(1 + G_g) and Sen = P0·(I + (1 − I)·G_p), to 1e−14; P0 and
 * its SE are socind_fgt's, I is P1/P0, G_p is socind_gini's over the poor
 * and G_g socind_gini's of the gaps (values and SEs). */
static void test_identities(void **state) {
    (void)state;
    static sample s;
    make_sample(&s);
    socind_design *d = design_of(&s, s.w);
    for (int lt = 0; lt < 2; lt++) {
        socind_poverty_line L = abs_line(110.0);
        if (lt) {
            L.type = SOCIND_LINE_PER_ROW;
            L.lines = s.lines;
        }
        socind_estimate sen[8], sst[8], f0[2], f1[2], gi[3];
        assert_int_equal(socind_sen(d, s.y, &L, s.group, 2, NULL, sen), SOCIND_OK);
        assert_int_equal(socind_sst(d, s.y, &L, s.group, 2, NULL, sst), SOCIND_OK);
        assert_int_equal(socind_fgt(d, s.y, &L, 0.0, s.group, 2, NULL, f0), SOCIND_OK);
        assert_int_equal(socind_fgt(d, s.y, &L, 1.0, s.group, 2, NULL, f1), SOCIND_OK);
        for (int g = 0; g < 2; g++) {
            const socind_estimate *a = sen + 4 * g, *b = sst + 4 * g;
            for (int k = 0; k < 4; k++) {
                assert_int_equal(a[k].status, SOCIND_OK);
                assert_int_equal(b[k].status, SOCIND_OK);
            }
            double P0 = a[SOCIND_SEN_HEADCOUNT].value, I = a[SOCIND_SEN_GAP].value;
            assert_close(a[SOCIND_SEN_INDEX].value,
                         P0 * (I + (1.0 - I) * a[SOCIND_SEN_GINI_POOR].value), 1e-14);
            assert_close(b[SOCIND_SST_INDEX].value,
                         b[SOCIND_SST_HEADCOUNT].value * b[SOCIND_SST_GAP].value *
                             (1.0 + b[SOCIND_SST_GINI_GAPS].value),
                         1e-14);
            assert_close(P0, f0[g].value, 1e-15);
            assert_close(a[SOCIND_SEN_HEADCOUNT].se, f0[g].se, 1e-12);
            assert_close(b[SOCIND_SST_HEADCOUNT].se, f0[g].se, 1e-12);
            assert_close(I, f1[g].value / f0[g].value, 1e-14);
            assert_close(b[SOCIND_SST_GAP].value, I, 1e-15);
            assert_close(b[SOCIND_SST_GAP].se, a[SOCIND_SEN_GAP].se, 1e-15);
            /* Sen = P1 + (P0 − P1)·G_p, convey's svysen form */
            assert_close(a[SOCIND_SEN_INDEX].value,
                         f1[g].value + (f0[g].value - f1[g].value) * a[SOCIND_SEN_GINI_POOR].value,
                         1e-13);
        }
        /* the Gini of the poor's x: socind_gini over the poor rows of each
           group (the others in no domain: their u is 0 there as here); the
           Gini of the gaps: socind_gini of g over each group */
        double x[NR], gap[NR];
        int32_t pg[NR];
        for (int k = 0; k < NR; k++) {
            double z = lt ? s.lines[k] : 110.0;
            int poor = s.y[k] < z;
            x[k] = s.y[k] / z;
            gap[k] = poor ? 1.0 - x[k] : 0.0;
            pg[k] = poor ? s.group[k] : -1;
        }
        assert_int_equal(socind_gini(d, x, pg, 2, NULL, gi), SOCIND_OK);
        for (int g = 0; g < 2; g++) {
            assert_close(sen[4 * g + SOCIND_SEN_GINI_POOR].value, gi[g].value, 1e-13);
            assert_close(sen[4 * g + SOCIND_SEN_GINI_POOR].se, gi[g].se, 1e-11);
        }
        assert_int_equal(socind_gini(d, gap, s.group, 2, NULL, gi), SOCIND_OK);
        for (int g = 0; g < 2; g++) {
            assert_close(sst[4 * g + SOCIND_SST_GINI_GAPS].value, gi[g].value, 1e-13);
            assert_close(sst[4 * g + SOCIND_SST_GINI_GAPS].se, gi[g].se, 1e-11);
        }
    }
    socind_design_free(d);
}

/* Incomes and line × 3.7 (and × 2^40, exactly): every figure unchanged;
 * every row repeated (same PSU, same weight): the estimates unchanged. */
static void test_invariances(void **state) {
    (void)state;
    static sample s, t;
    make_sample(&s);
    socind_design *d = design_of(&s, s.w);
    estfn fns[2] = {socind_sen, socind_sst};
    for (int fi = 0; fi < 2; fi++) {
        socind_poverty_line L = abs_line(110.0);
        socind_estimate a[8], b[8];
        assert_int_equal(fns[fi](d, s.y, &L, s.group, 2, NULL, a), SOCIND_OK);
        double factors[2] = {3.7, 0x1p40};
        for (int q = 0; q < 2; q++) {
            t = s;
            for (int k = 0; k < NR; k++) t.y[k] = s.y[k] * factors[q];
            socind_poverty_line M = abs_line(110.0 * factors[q]);
            assert_int_equal(fns[fi](d, t.y, &M, s.group, 2, NULL, b), SOCIND_OK);
            for (int j = 0; j < 8; j++) {
                double tol = q ? 0.0 : 1e-13;
                assert_close_abs(b[j].value, a[j].value, tol, tol * 1e-3);
                assert_close_abs(b[j].se, a[j].se, tol, tol * 1e-3);
            }
        }
        /* every row twice, on a sample with every weight 1 (convey's Gini
           counts weights as people: with other weights, repeating the rows
           changes its −V/(N·V) term, so Sen's and SST's Ginis differ) */
        static double y2[2 * NR], w1[NR], w2[2 * NR];
        static int64_t st2[2 * NR], psu2[2 * NR];
        static int32_t g2[2 * NR];
        for (int k = 0; k < NR; k++) w1[k] = 1.0;
        for (int k = 0; k < 2 * NR; k++) {
            int r = k % NR;
            y2[k] = s.y[r], w2[k] = 1.0, st2[k] = s.strata[r], psu2[k] = s.psu[r];
            g2[k] = s.group[r];
        }
        socind_design *d1 = design_of(&s, w1), *d2 = NULL;
        assert_int_equal(fns[fi](d1, s.y, &L, s.group, 2, NULL, a), SOCIND_OK);
        assert_int_equal(socind_design_new(2 * NR, w2, st2, psu2, NULL, NULL, &d2), SOCIND_OK);
        assert_int_equal(fns[fi](d2, y2, &L, g2, 2, NULL, b), SOCIND_OK);
        for (int j = 0; j < 8; j++) {
            assert_int_equal(a[j].status, SOCIND_OK);
            assert_close(b[j].value, a[j].value, 1e-13);
            assert_int_equal(b[j].n, 2 * a[j].n);
            /* the SEs of P0 and I too; those through a Gini differ by about
               1 % (its linearization, like its value, counts weights as
               people; test_numeric_se checks each against its derivatives) */
            if (j % 4 == 1 || j % 4 == 2) assert_close(b[j].se, a[j].se, 1e-13);
        }
        socind_design_free(d1);
        socind_design_free(d2);
    }
    socind_design_free(d);
}

static void test_edges(void **state) {
    (void)state;
    const double y[6] = {2, 4, NAN, 12, 15, 20}, w[6] = {1, 2, 1, 1, 0, 1};
    const int32_t grp[6] = {0, 0, 0, 1, 1, 2};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(6, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    socind_estimate e[4 * 4];
    estfn fns[2] = {socind_sen, socind_sst};
    for (int fi = 0; fi < 2; fi++) {
        assert_int_equal(fns[fi](d, y, &L, grp, 4, NULL, e), SOCIND_OK);
        /* group 0: two poor rows (the NaN one left out) */
        assert_int_equal(e[0].status, SOCIND_OK);
        assert_int_equal(e[0].n, 2);
        /* group 1: no poor (one row of weight 0, counted) */
        assert_int_equal(e[4].status, SOCIND_OK);
        assert_true(e[4].value == 0.0 && e[4].se == 0.0);
        assert_int_equal(e[4].n, 2);
        assert_true(e[5].value == 0.0 && e[5].se == 0.0);
        assert_int_equal(e[6].status, SOCIND_ERR_DATA);
        assert_int_equal(e[7].status, SOCIND_ERR_DATA);
        assert_true(isnan(e[6].value) && isnan(e[7].value));
        /* group 3: no row */
        for (int k = 12; k < 16; k++) assert_int_equal(e[k].status, SOCIND_ERR_EMPTY_DOMAIN);
    }
    /* every poor income 0: G_p undefined, Sen = P0 */
    const double y0[4] = {0, 0, 12, 15}, w0[4] = {1, 1, 1, 1};
    socind_design *d0 = NULL;
    assert_int_equal(socind_design_new(4, w0, NULL, NULL, NULL, NULL, &d0), SOCIND_OK);
    assert_int_equal(socind_sen(d0, y0, &L, NULL, 0, NULL, e), SOCIND_OK);
    assert_int_equal(e[SOCIND_SEN_GINI_POOR].status, SOCIND_ERR_DATA);
    assert_int_equal(e[SOCIND_SEN_INDEX].status, SOCIND_OK);
    assert_close(e[SOCIND_SEN_INDEX].value, 0.5, 1e-15);
    assert_close(e[SOCIND_SEN_GAP].value, 1.0, 1e-15);
    /* every poor row at the line (inclusive): the gaps' Gini undefined */
    const double y1[4] = {10, 10, 12, 15};
    L.inclusive = 1;
    assert_int_equal(socind_sst(d0, y1, &L, NULL, 0, NULL, e), SOCIND_OK);
    assert_int_equal(e[SOCIND_SST_GINI_GAPS].status, SOCIND_ERR_DATA);
    assert_true(e[SOCIND_SST_INDEX].value == 0.0);
    assert_close(e[SOCIND_SST_HEADCOUNT].value, 0.5, 1e-15);
    socind_design_free(d0);
    socind_design_free(d);
}

/* Weights near 1e306 whose sum leaves the double range: every part of that
 * domain SOCIND_ERR_OVERFLOW with its rows counted (the call SOCIND_OK), as
 * the partial states say — not an empty domain (nor, without domains,
 * SOCIND_ERR_EMPTY for the call); a domain of ordinary weights beside it
 * keeps its figures. */
static void test_weights_sum_beyond(void **state) {
    (void)state;
    enum { N = 400, M = 8 };
    double y[N + M], w[N + M];
    int32_t grp[N + M];
    for (int i = 0; i < N + M; i++) {
        y[i] = 1.0 + (double)(i * 7 % 23);
        w[i] = i < N ? 1e306 * (1.0 + (double)(i % 3)) : 1.0 + (double)(i % 2);
        grp[i] = i < N ? 0 : 1;
    }
    socind_design *d = NULL, *dn = NULL;
    assert_int_equal(socind_design_new(N + M, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    assert_int_equal(socind_design_new(N, w, NULL, NULL, NULL, NULL, &dn), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    socind_estimate e[8];
    estfn fns[2] = {socind_sen, socind_sst};
    for (int fi = 0; fi < 2; fi++) {
        assert_int_equal(fns[fi](dn, y, &L, NULL, 0, NULL, e), SOCIND_OK);
        for (int k = 0; k < 4; k++) {
            assert_int_equal(e[k].status, SOCIND_ERR_OVERFLOW);
            assert_int_equal(e[k].n, N);
            assert_true(isnan(e[k].value) && isnan(e[k].se));
        }
        assert_int_equal(fns[fi](d, y, &L, grp, 2, NULL, e), SOCIND_OK);
        for (int k = 0; k < 4; k++) {
            assert_int_equal(e[k].status, SOCIND_ERR_OVERFLOW);
            assert_int_equal(e[k].n, N);
            assert_int_equal(e[4 + k].status, SOCIND_OK);
            assert_int_equal(e[4 + k].n, M);
            assert_true(isfinite(e[4 + k].value));
        }
    }
    socind_design_free(d);
    socind_design_free(dn);
}

static void test_bad_inputs(void **state) {
    (void)state;
    const double y[4] = {2, 4, 12, 15}, w[4] = {1, 1, 1, 1};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(4, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    socind_estimate e[8];
    estfn fns[2] = {socind_sen, socind_sst};
    for (int fi = 0; fi < 2; fi++) {
        assert_int_equal(fns[fi](d, y, &L, NULL, 0, NULL, NULL), SOCIND_ERR_NULL);
        assert_int_equal(fns[fi](NULL, y, &L, NULL, 0, NULL, e), SOCIND_ERR_NULL);
        for (int k = 0; k < 4; k++) assert_true(isnan(e[k].value));
        assert_int_equal(fns[fi](d, NULL, &L, NULL, 0, NULL, e), SOCIND_ERR_NULL);
        assert_int_equal(fns[fi](d, y, NULL, NULL, 0, NULL, e), SOCIND_ERR_NULL);
        socind_poverty_line R = L;
        R.type = SOCIND_LINE_RELATIVE_QUANTILE;
        R.value = 0.6;
        assert_int_equal(fns[fi](d, y, &R, NULL, 0, NULL, e), SOCIND_ERR_ARG);
        for (int k = 0; k < 4; k++) assert_int_equal(e[k].status, SOCIND_ERR_ARG);
        R.type = SOCIND_LINE_RELATIVE_MEAN;
        assert_int_equal(fns[fi](d, y, &R, NULL, 0, NULL, e), SOCIND_ERR_ARG);
        R = L;
        R.value = -1;
        assert_int_equal(fns[fi](d, y, &R, NULL, 0, NULL, e), SOCIND_ERR_ARG);
        R = L;
        R.inclusive = 2;
        assert_int_equal(fns[fi](d, y, &R, NULL, 0, NULL, e), SOCIND_ERR_ARG);
        R = L;
        R.size = 0;
        assert_int_equal(fns[fi](d, y, &R, NULL, 0, NULL, e), SOCIND_ERR_OPTIONS);
        const double yi[4] = {2, INFINITY, 12, 15};
        assert_int_equal(fns[fi](d, yi, &L, NULL, 0, NULL, e), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 1);
        const double yn[4] = {NAN, NAN, NAN, NAN};
        assert_int_equal(fns[fi](d, yn, &L, NULL, 0, NULL, e), SOCIND_ERR_EMPTY);
        const double lines[4] = {10, 10, -3, 10};
        R = L;
        R.type = SOCIND_LINE_PER_ROW;
        R.lines = lines;
        assert_int_equal(fns[fi](d, y, &R, NULL, 0, NULL, e), SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 2);
        const int32_t bad[4] = {0, 5, 0, 0};
        assert_int_equal(fns[fi](d, y, &L, bad, 2, NULL, e), SOCIND_ERR_GROUP);
    }
    socind_design_free(d);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test(test_numeric_se),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_invariances),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_weights_sum_beyond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
