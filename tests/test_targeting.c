/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_targeting.c — targeting performance (socind_targeting): a small
 * case worked by hand; the identities (coverage + exclusion = 1, the benefit
 * shares sum to 1); every point estimate against a slow computation with
 * socind_ratio on indicator columns (and, against fixed lines and a given
 * ranking, every SE too: the same linearization); every SE against
 * numerical derivatives of the estimate in each PSU's weights on the
 * reference households; estimated decile cuts against the same cuts given
 * as a ranking; and the bad inputs. There is no R reference for these
 * measures. */
#include "alloc_fail.h"
#include "households.h"

#define K10 10
#define CNT SOCIND_TARGETING_COUNT(K10)

static socind_poverty_line abs_line(double z) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = z;
    return L;
}

/* A deterministic pseudo-random number in [0, 1) from a row index. */
static double hash01(uint64_t k, uint64_t salt) {
    uint64_t x = k * 0x9E3779B97F4A7C15ULL + salt;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 29;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 32;
    return (double)(x >> 11) * 0x1p-53;
}

/* The programme on the reference households: recipients more likely below
 * the region's line, a benefit that falls with income, a noisy registry
 * decile (1 .. 10), and a few missing values. */
typedef struct {
    double *rec, *ben;
    int32_t *rank;
    int32_t *sub; /* sub-district codes */
    int32_t nsub;
} programme;

static void programme_make(const households *f, programme *p) {
    const size_t n = f->n;
    p->rec = malloc(n * sizeof *p->rec);
    p->ben = malloc(n * sizeof *p->ben);
    p->rank = malloc(n * sizeof *p->rank);
    /* the noisy ranking: deciles of y·noise by unweighted rank */
    double *noisy = malloc(n * sizeof *noisy);
    for (size_t k = 0; k < n; k++) noisy[k] = f->y[k] * (0.6 + 0.8 * hash01(k, 7));
    for (size_t k = 0; k < n; k++) {
        size_t below = 0;
        for (size_t j = 0; j < n; j++) below += noisy[j] < noisy[k];
        p->rank[k] = (int32_t)(1 + (10 * below) / n);
        double poor = f->y[k] < f->line_region[k];
        p->rec[k] = hash01(k, 3) < (poor ? 0.55 : 0.15) ? 1.0 : 0.0;
        p->ben[k] = p->rec[k] == 1.0 ? 100000.0 + 300000.0 * hash01(k, 5) : 0.0;
    }
    free(noisy);
    p->rec[11] = NAN;  /* a missing recipient value */
    p->rank[40] = -1;  /* an unranked row */
    p->ben[7] = 2.0e5; /* a non-recipient's amount is not read */
    p->rec[7] = 0.0;
    int64_t codes[64];
    p->sub = households_subdistricts(f, codes, &p->nsub);
}

static void programme_free(programme *p) {
    free(p->rec), free(p->ben), free(p->rank), free(p->sub);
}

/* ---- a case worked by hand ----
 * Six people, weight 1, own PSUs, line 10. y = 2, 4, 6, 12, 15, 20;
 * recipients: rows 0, 2, 3 (benefits 1, 1, 2 with the amounts).
 *   poor: rows 0, 1, 2 (3 people); recipients among them 2:
 *   coverage 2/3, exclusion 1/3; leakage: recipients 3, non-poor 1: 1/3;
 *   inclusion: non-poor 3, recipients among them 1: 1/3.
 *   ranking (given) 1, 1, 2, 2, 3, 3 with K = 3, f = 1/3: shares of
 *   recipients 1/3, 2/3, 0; CGH = (1/3)/(1/3) = 1; with the amounts
 *   (1, 1, 2): 1/4, 3/4, 0, CGH 3/4.
 */
static void test_hand_worked(void **state) {
    (void)state;
    const double y[6] = {2, 4, 6, 12, 15, 20}, w[6] = {1, 1, 1, 1, 1, 1};
    const double rec[6] = {1, 0, 1, 1, 0, 0}, ben[6] = {1, 5, 1, 2, 0, 0};
    const int32_t rank[6] = {1, 1, 2, 2, 3, 3};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(6, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    socind_targeting_options T;
    socind_targeting_options_init(&T);
    T.n_ranks = 3;
    T.cgh_share = 1.0 / 3.0;
    socind_estimate e[SOCIND_TARGETING_COUNT(3)];
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e), SOCIND_OK);
    assert_close(e[SOCIND_TARGETING_COVERAGE].value, 2.0 / 3.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_EXCLUSION].value, 1.0 / 3.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_LEAKAGE].value, 1.0 / 3.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_INCLUSION].value, 1.0 / 3.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_CGH].value, 1.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_SHARE].value, 1.0 / 3.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_SHARE + 1].value, 2.0 / 3.0, 1e-15);
    assert_close_abs(e[SOCIND_TARGETING_SHARE + 2].value, 0.0, 0, 1e-300);
    for (int k = 0; k < SOCIND_TARGETING_COUNT(3); k++) {
        assert_int_equal(e[k].status, SOCIND_OK);
        assert_int_equal(e[k].n, 6);
        assert_close(e[k].weight_sum, 6.0, 1e-15);
        assert_close(e[k].df, 5.0, 1e-15);
    }
    /* coverage's SE by hand: u = (R·P − (2/3)P)/3 = 1/9, −2/9, 1/9, 0, 0, 0;
       V = 6/5·Σ(u − 0)² = 6/5·6/81 */
    assert_close(e[SOCIND_TARGETING_COVERAGE].se, sqrt(6.0 / 5.0 * 6.0 / 81.0), 1e-14);
    assert_close(e[SOCIND_TARGETING_EXCLUSION].se, e[SOCIND_TARGETING_COVERAGE].se, 1e-15);
    assert_int_equal(socind_targeting(d, y, &L, rec, ben, rank, NULL, 0, &T, NULL, e), SOCIND_OK);
    assert_close(e[SOCIND_TARGETING_SHARE].value, 0.25, 1e-15);
    assert_close(e[SOCIND_TARGETING_SHARE + 1].value, 0.75, 1e-15);
    assert_close(e[SOCIND_TARGETING_CGH].value, 0.75, 1e-14);
    /* a share of recipients takes the logit interval (asymmetric), an amount's
       share the symmetric one */
    assert_close(e[SOCIND_TARGETING_SHARE].ci_high - 0.25, 0.25 - e[SOCIND_TARGETING_SHARE].ci_low,
                 1e-12);
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e), SOCIND_OK);
    const socind_estimate *s1 = &e[SOCIND_TARGETING_SHARE];
    assert_true(fabs((s1->ci_high - s1->value) - (s1->value - s1->ci_low)) > 1e-3);
    assert_true(s1->ci_low > 0.0 && s1->ci_high < 1.0);
    /* the beta interval (Korn–Graubard's n − 1) takes the rows of each
       ratio's denominator set, as svyciprop on that subset: the poor (3
       rows) for coverage and exclusion, the recipients (3) for leakage, the
       non-poor (3) for inclusion, the ranked recipients (3) for the shares of
       recipients; n stays the domain's 6 */
    socind_options ob;
    socind_options_init(&ob);
    ob.prop_ci = SOCIND_PROP_CI_BETA;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, &ob, e), SOCIND_OK);
    const int beta_parts[5] = {SOCIND_TARGETING_COVERAGE, SOCIND_TARGETING_EXCLUSION,
                               SOCIND_TARGETING_LEAKAGE, SOCIND_TARGETING_INCLUSION,
                               SOCIND_TARGETING_SHARE + 1};
    for (int i = 0; i < 5; i++) {
        const socind_estimate *x = &e[beta_parts[i]];
        double lo, hi, lo6, hi6;
        assert_int_equal(socind_prop_ci(x->value, x->se, x->df, 3, &ob, &lo, &hi), SOCIND_OK);
        assert_int_equal(socind_prop_ci(x->value, x->se, x->df, 6, &ob, &lo6, &hi6), SOCIND_OK);
        assert_true(fabs(lo - lo6) > 1e-3); /* n matters here */
        assert_close(x->ci_low, lo, 1e-14);
        assert_close(x->ci_high, hi, 1e-14);
        assert_int_equal(x->n, 6);
    }
    socind_design_free(d);
}

/* ŝ: the weighted share of groups 1 .. m among every ranked row (code >= 1),
 * in long double: CGH's divisor with a ranking. */
static double share_low(const households *f, const int32_t *rank, int m) {
    long double N = 0, L = 0;
    for (size_t k = 0; k < f->n; k++) {
        if (rank[k] < 1) continue;
        N += f->w[k];
        if (rank[k] <= m) L += f->w[k];
    }
    return (double)(L / N);
}

/* ŝ with estimated cuts: the weighted share of the whole sample (every
 * income of positive weight) at or below q_f, the weighted f-quantile
 * (socind_quantile's), in long double: CGH's divisor. */
static double share_below(const socind_design *d, const double *y, const double *w, size_t n,
                          double frac) {
    socind_estimate eq;
    assert_int_equal(socind_quantile(d, y, frac, NULL, 0, NULL, &eq), SOCIND_OK);
    long double N = 0, L = 0;
    for (size_t k = 0; k < n; k++) {
        if (isnan(y[k]) || !(w[k] > 0)) continue;
        N += w[k];
        if (y[k] <= eq.value) L += w[k];
    }
    return (double)(L / N);
}

/* y, R, b and the poor of each row under line L (NaN: not usable) into the
 * indicator columns of the slow computation. */
static void columns(const households *f, const programme *p, const double *b, const int32_t *rank,
                    int K, double f_low, double z_abs, const socind_poverty_line *L,
                    double **cols) {
    /* cols: 0 R·P, 1 P, 2 R(1−P), 3 R, 4 1−P, 5 b·1[low], 6 b, 7.. b·1[g] */
    const int m = (int)floor(f_low * K + 0.5);
    for (size_t k = 0; k < f->n; k++) {
        double r = p->rec[k], y = f->y[k];
        double z = L->type == SOCIND_LINE_PER_ROW ? L->lines[k] : z_abs;
        int usable = !isnan(r) && !isnan(y);
        double P = y < z ? 1.0 : 0.0;
        double bb = r == 1.0 ? (b ? b[k] : 1.0) : 0.0;
        int ranked = rank[k] >= 1 && !isnan(bb);
        for (int c = 0; c < 7 + K; c++) cols[c][k] = NAN;
        if (!usable) continue;
        cols[0][k] = r * P;
        cols[1][k] = P;
        cols[2][k] = r * (1 - P);
        cols[3][k] = r;
        cols[4][k] = 1 - P;
        if (!ranked) continue;
        cols[5][k] = rank[k] <= m ? bb : 0.0;
        cols[6][k] = bb;
        for (int g = 1; g <= K; g++) cols[6 + g][k] = rank[k] == g ? bb : 0.0;
    }
}

/* Each part against socind_ratio on the indicator columns: the values to
 * 1e−14 (CGH: the bottom groups' share over ŝ, share_low), and with
 * check_se the SEs and limits of the other parts to 1e−12 (the same
 * linearization; fixed lines and a given ranking; CGH's SE carries ŝ's term
 * and is checked by test_numeric_se). */
static void compare_with_ratio(const households *f, const programme *p, const double *b,
                               const int32_t *rank, const socind_poverty_line *L, double z_abs,
                               const int32_t *grp, int32_t ng, const socind_estimate *e,
                               int check_se) {
    double *cols[7 + K10];
    for (int c = 0; c < 7 + K10; c++) cols[c] = malloc(f->n * sizeof(double));
    columns(f, p, b, rank, K10, 0.4, z_abs, L, cols);
    const int G = grp ? ng : 1;
    socind_estimate *r = calloc((size_t)G, sizeof *r);
    socind_options o;
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_WALD; /* the ratio's symmetric limits */
    typedef struct {
        int part, num, den;
        double scale;
    } partmap;
    partmap map[5 + K10] = {{SOCIND_TARGETING_COVERAGE, 0, 1, 1},
                            {SOCIND_TARGETING_LEAKAGE, 2, 3, 1},
                            {SOCIND_TARGETING_INCLUSION, 2, 4, 1},
                            {SOCIND_TARGETING_CGH, 5, 6, 1.0 / share_low(f, rank, 4)},
                            {SOCIND_TARGETING_EXCLUSION, 0, 1, -1}};
    for (int g = 1; g <= K10; g++)
        map[4 + g] = (partmap){SOCIND_TARGETING_SHARE + g - 1, 6 + g, 6, 1};
    for (int i = 0; i < 5 + K10; i++) {
        assert_int_equal(socind_ratio(f->wr, cols[map[i].num], cols[map[i].den], grp, ng, &o, r),
                         SOCIND_OK);
        for (int j = 0; j < G; j++) {
            const socind_estimate *t = &e[(size_t)j * CNT + (size_t)map[i].part];
            double v = map[i].scale < 0 ? 1.0 - r[j].value : map[i].scale * r[j].value;
            if (r[j].status != SOCIND_OK) {
                assert_int_not_equal(t->status, SOCIND_OK);
                continue;
            }
            assert_close_abs(t->value, v, 1e-13, 1e-15);
            if (check_se && map[i].part != SOCIND_TARGETING_CGH) {
                assert_close_abs(t->se, fabs(map[i].scale) * r[j].se, 1e-12, 1e-15);
                assert_close(t->ci_low,
                             map[i].scale < 0 ? 1.0 - r[j].ci_high : map[i].scale * r[j].ci_low,
                             1e-11);
            }
        }
    }
    free(r);
    for (int c = 0; c < 7 + K10; c++) free(cols[c]);
}

static void test_against_ratio(void **state) {
    const households *f = *state;
    programme p;
    programme_make(f, &p);
    socind_options o;
    socind_options_init(&o);
    o.prop_ci = SOCIND_PROP_CI_WALD;
    socind_estimate *e = calloc((size_t)CNT * 64, sizeof *e);
    socind_poverty_line L = abs_line(500000.0), R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_PER_ROW;
    R.lines = f->line_region;
    for (int lt = 0; lt < 2; lt++) {
        const socind_poverty_line *Ln = lt ? &R : &L;
        for (int bt = 0; bt < 2; bt++) {
            const double *b = bt ? p.ben : NULL;
            assert_int_equal(
                socind_targeting(f->wr, f->y, Ln, p.rec, b, p.rank, NULL, 0, NULL, &o, e),
                SOCIND_OK);
            compare_with_ratio(f, &p, b, p.rank, Ln, 500000.0, NULL, 0, e, 1);
            assert_int_equal(
                socind_targeting(f->wr, f->y, Ln, p.rec, b, p.rank, p.sub, p.nsub, NULL, &o, e),
                SOCIND_OK);
            compare_with_ratio(f, &p, b, p.rank, Ln, 500000.0, p.sub, p.nsub, e, 1);
        }
    }
    free(e);
    programme_free(&p);
}

/* coverage + exclusion = 1, Σ shares = 1, CGH = Σ of the bottom groups'
 * shares / f (estimated cuts; with a ranking, / ŝ: fdiv), in every
 * domain, for every line and ranking. */
static void check_identities(const socind_estimate *e, int G, int K, double f, double fdiv) {
    const int C = SOCIND_TARGETING_COUNT(K), m = (int)floor(f * K + 0.5);
    for (int j = 0; j < G; j++) {
        const socind_estimate *x = e + (size_t)j * C;
        if (x[SOCIND_TARGETING_COVERAGE].status == SOCIND_OK) {
            assert_close(x[SOCIND_TARGETING_COVERAGE].value + x[SOCIND_TARGETING_EXCLUSION].value,
                         1.0, 1e-15);
            assert_close(x[SOCIND_TARGETING_COVERAGE].se, x[SOCIND_TARGETING_EXCLUSION].se, 1e-15);
        }
        if (x[SOCIND_TARGETING_SHARE].status != SOCIND_OK) continue;
        double s = 0.0, low = 0.0, su = 0.0;
        for (int g = 1; g <= K; g++) {
            s += x[SOCIND_TARGETING_SHARE + g - 1].value;
            if (g <= m) low += x[SOCIND_TARGETING_SHARE + g - 1].value;
            su += x[SOCIND_TARGETING_SHARE + g - 1].se; /* finite */
        }
        assert_close(s, 1.0, 1e-14);
        assert_true(isfinite(su));
        assert_close(x[SOCIND_TARGETING_CGH].value, low / fdiv, 1e-13);
    }
}

static void test_identities(void **state) {
    const households *f = *state;
    programme p;
    programme_make(f, &p);
    socind_estimate *e = calloc((size_t)CNT * 64, sizeof *e);
    socind_poverty_line L[4];
    for (int i = 0; i < 4; i++) socind_poverty_line_init(&L[i]);
    L[0].value = 500000.0;
    L[1].type = SOCIND_LINE_PER_ROW;
    L[1].lines = f->line_region;
    L[2].type = SOCIND_LINE_RELATIVE_QUANTILE;
    L[2].value = 0.6;
    L[3].type = SOCIND_LINE_RELATIVE_MEAN;
    L[3].value = 0.5;
    for (int i = 0; i < 4; i++)
        for (int rk = 0; rk < 2; rk++)
            for (int bt = 0; bt < 2; bt++) {
                const int32_t *rank = rk ? p.rank : NULL;
                const double *b = bt ? p.ben : NULL;
                assert_int_equal(
                    socind_targeting(f->wr, f->y, &L[i], p.rec, b, rank, NULL, 0, NULL, NULL, e),
                    SOCIND_OK);
                const double fd =
                    rk ? share_low(f, p.rank, 4) : share_below(f->wr, f->y, f->w, f->n, 0.4);
                check_identities(e, 1, K10, 0.4, fd);
                for (int k = 0; k < CNT; k++) assert_int_equal(e[k].status, SOCIND_OK);
                assert_int_equal(socind_targeting(f->wr, f->y, &L[i], p.rec, b, rank, p.sub, p.nsub,
                                                  NULL, NULL, e),
                                 SOCIND_OK);
                check_identities(e, p.nsub, K10, 0.4, fd);
            }
    /* quintiles with f = 0.2 */
    socind_targeting_options T;
    socind_targeting_options_init(&T);
    T.n_ranks = 5;
    T.cgh_share = 0.2;
    assert_int_equal(
        socind_targeting(f->wr, f->y, &L[0], p.rec, p.ben, NULL, p.sub, p.nsub, &T, NULL, e),
        SOCIND_OK);
    check_identities(e, p.nsub, 5, 0.2, share_below(f->wr, f->y, f->w, f->n, 0.2));
    free(e);
    programme_free(&p);
}

/* Estimated deciles: the point estimates equal those with the same cuts
 * given as a ranking (socind_quantile's deciles), bit for bit; the four
 * rates' SEs are the same (they do not use the cuts); the shares' SEs carry
 * the cuts' terms. A relative line: the values against socind_ratio with
 * the line socind_poverty_line_estimate gives. The density terms are not
 * reproduced by numerical derivatives of step functions:
 * test_density_terms_written_out forms those linearized variables from the
 * header's formulas, and the coverage simulation
 * (bench/bench_targeting_coverage.c) checks the formulas themselves. */
static void test_estimated_cuts(void **state) {
    const households *f = *state;
    programme p;
    programme_make(f, &p);
    double q[10];
    for (int g = 1; g < 10; g++) {
        socind_estimate eq;
        assert_int_equal(socind_quantile(f->wr, f->y, g / 10.0, NULL, 0, NULL, &eq), SOCIND_OK);
        q[g] = eq.value;
    }
    int32_t *dec = malloc(f->n * sizeof *dec);
    for (size_t k = 0; k < f->n; k++) {
        int g = 1;
        while (g < 10 && f->y[k] > q[g]) g++;
        dec[k] = g;
    }
    socind_estimate *a = calloc((size_t)CNT * 64, sizeof *a),
                    *b = calloc((size_t)CNT * 64, sizeof *b);
    socind_poverty_line L = abs_line(500000.0);
    for (int bt = 0; bt < 2; bt++) {
        const double *ben = bt ? p.ben : NULL;
        assert_int_equal(
            socind_targeting(f->wr, f->y, &L, p.rec, ben, NULL, p.sub, p.nsub, NULL, NULL, a),
            SOCIND_OK);
        assert_int_equal(
            socind_targeting(f->wr, f->y, &L, p.rec, ben, dec, p.sub, p.nsub, NULL, NULL, b),
            SOCIND_OK);
        int differ = 0;
        for (int j = 0; j < p.nsub * CNT; j++) {
            assert_int_equal(a[j].status, b[j].status);
            if (a[j].status != SOCIND_OK) continue;
            if (j % CNT ==
                SOCIND_TARGETING_CGH) { /* over the whole sample's ŝ, over the ranked's */
                assert_close(a[j].value * share_below(f->wr, f->y, f->w, f->n, 0.4),
                             b[j].value * share_low(f, dec, 4), 1e-14);
                continue;
            }
            assert_true(a[j].value == b[j].value);
            if (j % CNT < SOCIND_TARGETING_CGH)
                assert_true(a[j].se == b[j].se);
            else
                differ += a[j].se != b[j].se;
        }
        assert_true(differ > 0);
    }
    /* relative lines: the line of socind_fgt */
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    for (int t = 0; t < 2; t++) {
        R.type = t ? SOCIND_LINE_RELATIVE_MEAN : SOCIND_LINE_RELATIVE_QUANTILE;
        R.value = t ? 0.5 : 0.6;
        socind_estimate zl;
        assert_int_equal(socind_poverty_line_estimate(f->wr, f->y, &R, NULL, &zl), SOCIND_OK);
        assert_int_equal(
            socind_targeting(f->wr, f->y, &R, p.rec, p.ben, dec, p.sub, p.nsub, NULL, NULL, a),
            SOCIND_OK);
        socind_poverty_line A = abs_line(zl.value);
        compare_with_ratio(f, &p, p.ben, dec, &A, zl.value, p.sub, p.nsub, a, 0);
        /* the values equal the fixed line's; the line terms' SEs are checked
           written out (rates_written_out, in test_density_terms_written_out) */
        assert_int_equal(
            socind_targeting(f->wr, f->y, &A, p.rec, p.ben, dec, p.sub, p.nsub, NULL, NULL, b),
            SOCIND_OK);
        for (int j = 0; j < p.nsub * CNT; j++) {
            if (a[j].status != SOCIND_OK) continue;
            assert_true(a[j].value == b[j].value);
        }
        /* as a proportion, coverage's interval with the line's term follows
           prop_ci (logit: inside (0, 1)) */
        assert_true(a[0].ci_low > 0.0 && a[0].ci_high < 1.0);
    }
    free(a), free(b), free(dec);
    programme_free(&p);
}

/* convey's kernel sum Σ w·m·φ((x − y)/h)/h over rows with a usable y
 * (use[k]) and w > 0, in long double, and the bandwidth of those rows. */
static double bandwidth_of(const double *y, const double *w, const unsigned char *use, size_t n) {
    long double N = 0, S = 0, Q = 0;
    for (size_t k = 0; k < n; k++)
        if (use[k] && w[k] > 0) N += w[k], S += (long double)w[k] * y[k];
    long double mu = S / N;
    for (size_t k = 0; k < n; k++)
        if (use[k] && w[k] > 0) Q += (long double)w[k] * (y[k] - mu) * (y[k] - mu);
    return (double)(sqrtl(Q / N) / powl(N, 0.2L));
}
static double kernel_of(const double *y, const double *w, const double *m, const unsigned char *use,
                        size_t n, double h, double x) {
    long double s = 0;
    for (size_t k = 0; k < n; k++) {
        if (!use[k] || !(w[k] > 0)) continue;
        long double t = ((long double)x - y[k]) / h;
        s += (long double)w[k] * (m ? m[k] : 1.0) * expl(-t * t / 2) / sqrtl(2 * acosl(-1.0L)) / h;
    }
    return (double)s;
}

/* The four rates against a relative line (0.6 × the median, or 0.5 × the
 * mean: L), in sub-district j (j < 0: the whole sample), against the
 * linearized variables written out from targeting.h's formulas: each rate's
 * ratio term over the domain's usable rows plus ∂(rate)/∂z times the line's
 * influence over every income (the domain's kernel sums with the domain's
 * bandwidth; the variance of the whole design: the FULL rule), in long
 * double; the values too. A sign error in any line term fails here. */
static void rates_written_out(const households *f, const programme *p, const socind_poverty_line *L,
                              int32_t j) {
    const size_t n = f->n;
    const int G = j < 0 ? 1 : p->nsub;
    socind_estimate *e = calloc((size_t)G * CNT, sizeof *e);
    assert_int_equal(socind_targeting(f->wr, f->y, L, p->rec, NULL, NULL, j < 0 ? NULL : p->sub,
                                      j < 0 ? 0 : p->nsub, NULL, NULL, e),
                     SOCIND_OK);
    const socind_estimate *x = e + (size_t)(j < 0 ? 0 : j) * CNT;
    unsigned char *all = calloc(n, 1), *use = calloc(n, 1);
    double *rp = malloc(n * sizeof *rp), *uz = malloc(n * sizeof *uz), *u = malloc(n * sizeof *u);
    for (size_t k = 0; k < n; k++) {
        all[k] = !isnan(f->y[k]);
        use[k] = all[k] && !isnan(p->rec[k]) && (j < 0 || p->sub[k] == j);
        rp[k] = use[k] ? p->rec[k] : 0.0;
    }
    const double h = bandwidth_of(f->y, f->w, all, n), hd = bandwidth_of(f->y, f->w, use, n);
    /* the line and its influence uz */
    double z;
    if (L->type == SOCIND_LINE_RELATIVE_QUANTILE) {
        socind_estimate med;
        assert_int_equal(socind_quantile(f->wr, f->y, 0.5, NULL, 0, NULL, &med), SOCIND_OK);
        const double FQ = kernel_of(f->y, f->w, NULL, all, n, h, med.value);
        z = L->value * med.value;
        for (size_t k = 0; k < n; k++)
            uz[k] = all[k] ? -L->value * ((f->y[k] <= med.value ? 1.0 : 0.0) - 0.5) / FQ : 0.0;
    } else {
        long double N = 0, S = 0;
        for (size_t k = 0; k < n; k++)
            if (all[k] && f->w[k] > 0) N += f->w[k], S += (long double)f->w[k] * f->y[k];
        const double mu = (double)(S / N);
        z = L->value * mu;
        for (size_t k = 0; k < n; k++)
            uz[k] = all[k] && f->w[k] > 0 ? L->value * (f->y[k] - mu) / (double)N : 0.0;
    }
    long double Pt = 0, Rt = 0, NPt = 0, RP = 0, RNP = 0;
    for (size_t k = 0; k < n; k++) {
        if (!use[k]) continue;
        const long double w = f->w[k], P = f->y[k] < z, R = p->rec[k];
        Pt += w * P, Rt += w * R, NPt += w * (1 - P), RP += w * R * P, RNP += w * R * (1 - P);
    }
    const double C = (double)(RP / Pt), Lk = (double)(RNP / Rt), I = (double)(RNP / NPt);
    const double Fz = kernel_of(f->y, f->w, NULL, use, n, hd, z),
                 FRz = kernel_of(f->y, f->w, rp, use, n, hd, z);
    const double coef[3] = {(FRz - C * Fz) / (double)Pt, -FRz / (double)Rt,
                            (-FRz + I * Fz) / (double)NPt};
    const int parts[3] = {SOCIND_TARGETING_COVERAGE, SOCIND_TARGETING_LEAKAGE,
                          SOCIND_TARGETING_INCLUSION};
    const double vals[3] = {C, Lk, I};
    for (int i = 0; i < 3; i++) {
        for (size_t k = 0; k < n; k++) {
            double v = 0.0;
            if (use[k]) {
                const double P = f->y[k] < z ? 1.0 : 0.0, R = p->rec[k];
                if (i == 0) v = (R * P - C * P) / (double)Pt;
                if (i == 1) v = (R * (1 - P) - Lk * R) / (double)Rt;
                if (i == 2) v = (R * (1 - P) - I * (1 - P)) / (double)NPt;
            }
            u[k] = v + coef[i] * uz[k];
        }
        double var;
        assert_int_equal(socind_variance(f->wr, u, NULL, 1, &var), SOCIND_OK);
        assert_int_equal(x[parts[i]].status, SOCIND_OK);
        assert_close(x[parts[i]].value, vals[i], 1e-13);
        assert_close(x[parts[i]].se, sqrt(var), 1e-10);
    }
    assert_close(x[SOCIND_TARGETING_EXCLUSION].se, x[SOCIND_TARGETING_COVERAGE].se, 1e-15);
    free(all), free(use), free(rp), free(uz), free(u), free(e);
}

/* The density terms written out: the estimated deciles' shares and a
 * relative line's coverage, each SE against socind_variance of the
 * linearized variable formed here from targeting.h's formulas (kernel sums
 * in long double, the quantiles from socind_quantile): the library computes
 * what the header says. (Whether the formula is right is the coverage
 * simulation's question.) */
static void test_density_terms_written_out(void **state) {
    const households *f = *state;
    programme p;
    programme_make(f, &p);
    const size_t n = f->n;
    unsigned char *all = malloc(n), *usable = malloc(n);
    double *b = malloc(n * sizeof *b), *u = malloc(n * sizeof *u), *rp = calloc(n, sizeof *rp);
    for (size_t k = 0; k < n; k++) {
        all[k] = !isnan(f->y[k]);
        usable[k] = all[k] && !isnan(p.rec[k]);
        b[k] = usable[k] && p.rec[k] == 1.0 ? p.ben[k] : 0.0;
    }
    const double h = bandwidth_of(f->y, f->w, all, n), hd = bandwidth_of(f->y, f->w, usable, n);
    double q[11];
    for (int g = 1; g < 10; g++) {
        socind_estimate eq;
        assert_int_equal(socind_quantile(f->wr, f->y, g / 10.0, NULL, 0, NULL, &eq), SOCIND_OK);
        q[g] = eq.value;
    }
    socind_estimate e[CNT];
    socind_poverty_line L = abs_line(500000.0);
    assert_int_equal(socind_targeting(f->wr, f->y, &L, p.rec, p.ben, NULL, NULL, 0, NULL, NULL, e),
                     SOCIND_OK);
    long double B = 0;
    for (size_t k = 0; k < n; k++) B += (long double)f->w[k] * b[k];
    for (int g = 1; g <= 10; g++) {
        const double share = e[SOCIND_TARGETING_SHARE + g - 1].value;
        double cu = 0, cl = 0, Fu = 1, Fl = 1;
        if (g < 10)
            cu = kernel_of(f->y, f->w, b, usable, n, hd, q[g]) / (double)B,
            Fu = kernel_of(f->y, f->w, NULL, all, n, h, q[g]);
        if (g > 1)
            cl = kernel_of(f->y, f->w, b, usable, n, hd, q[g - 1]) / (double)B,
            Fl = kernel_of(f->y, f->w, NULL, all, n, h, q[g - 1]);
        for (size_t k = 0; k < n; k++) {
            double y = f->y[k], v = 0.0;
            if (!all[k]) {
                u[k] = 0.0;
                continue;
            }
            if (usable[k]) {
                int in = (g == 1 || y > q[g - 1]) && (g == 10 || y <= q[g]);
                v = (in ? b[k] : 0.0) - share * b[k];
                v /= (double)B;
            }
            if (g < 10) v += cu * (-((y <= q[g] ? 1.0 : 0.0) - g / 10.0) / Fu);
            if (g > 1) v -= cl * (-((y <= q[g - 1] ? 1.0 : 0.0) - (g - 1) / 10.0) / Fl);
            u[k] = v;
        }
        double var;
        assert_int_equal(socind_variance(f->wr, u, NULL, 1, &var), SOCIND_OK);
        assert_close(e[SOCIND_TARGETING_SHARE + g - 1].se, sqrt(var), 1e-10);
    }
    /* coverage against 0.6 × the median */
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_RELATIVE_QUANTILE;
    R.value = 0.6;
    assert_int_equal(socind_targeting(f->wr, f->y, &R, p.rec, NULL, NULL, NULL, 0, NULL, NULL, e),
                     SOCIND_OK);
    socind_estimate med;
    assert_int_equal(socind_quantile(f->wr, f->y, 0.5, NULL, 0, NULL, &med), SOCIND_OK);
    const double z = 0.6 * med.value, C = e[SOCIND_TARGETING_COVERAGE].value;
    long double Pt = 0;
    for (size_t k = 0; k < n; k++) {
        rp[k] = usable[k] ? p.rec[k] : 0.0;
        if (usable[k]) Pt += (long double)f->w[k] * (f->y[k] < z);
    }
    const double FQ = kernel_of(f->y, f->w, NULL, all, n, h, med.value);
    const double Fz = kernel_of(f->y, f->w, NULL, usable, n, hd, z),
                 FRz = kernel_of(f->y, f->w, rp, usable, n, hd, z);
    const double coef = (FRz - C * Fz) / (double)Pt;
    for (size_t k = 0; k < n; k++) {
        if (!all[k]) {
            u[k] = 0.0;
            continue;
        }
        double y = f->y[k], P = y < z ? 1.0 : 0.0, v = 0.0;
        if (usable[k]) v = (p.rec[k] * P - C * P) / (double)Pt;
        u[k] = v + coef * (-0.6 * ((y <= med.value ? 1.0 : 0.0) - 0.5) / FQ);
    }
    double var;
    assert_int_equal(socind_variance(f->wr, u, NULL, 1, &var), SOCIND_OK);
    assert_close(e[SOCIND_TARGETING_COVERAGE].se, sqrt(var), 1e-10);
    /* CGH's cut term and ŝ's: u = (b·1[y <= q_f]/ŝ − CGH·b)/B + S'(q_f)/(B ŝ)·u_{q_f}
       − (CGH/ŝ)·(f − ŝ)/N̂ */
    {
        assert_int_equal(
            socind_targeting(f->wr, f->y, &L, p.rec, p.ben, NULL, NULL, 0, NULL, NULL, e),
            SOCIND_OK);
        const double qf = q[4], Fq = kernel_of(f->y, f->w, NULL, all, n, h, qf),
                     Db = kernel_of(f->y, f->w, b, usable, n, hd, qf);
        long double low = 0;
        for (size_t k = 0; k < n; k++)
            if (usable[k] && f->y[k] <= qf) low += (long double)f->w[k] * b[k];
        const double sh = share_below(f->wr, f->y, f->w, n, 0.4), cgh = (double)(low / B) / sh;
        long double Nall = 0;
        for (size_t k = 0; k < n; k++)
            if (all[k] && f->w[k] > 0) Nall += f->w[k];
        for (size_t k = 0; k < n; k++) {
            if (!all[k]) {
                u[k] = 0.0;
                continue;
            }
            const double y = f->y[k], in = y <= qf ? 1.0 : 0.0;
            double v = usable[k] ? (b[k] * in / sh - cgh * b[k]) / (double)B : 0.0;
            u[k] = v + Db / ((double)B * sh) * (-(in - 0.4) / Fq) -
                   cgh / sh * (0.4 - sh) / (double)Nall;
        }
        assert_int_equal(socind_variance(f->wr, u, NULL, 1, &var), SOCIND_OK);
        assert_close(e[SOCIND_TARGETING_CGH].value, cgh, 1e-13);
        assert_close(e[SOCIND_TARGETING_CGH].se, sqrt(var), 1e-10);
    }
    /* the line terms of all four rates: 0.6 × the median and 0.5 × the mean,
       the whole sample and the largest sub-district */
    int32_t big = 0;
    {
        size_t cnt[64] = {0};
        for (size_t k = 0; k < n; k++) cnt[p.sub[k]]++;
        for (int32_t j = 1; j < p.nsub; j++)
            if (cnt[j] > cnt[big]) big = j;
    }
    for (int t = 0; t < 2; t++) {
        R.type = t ? SOCIND_LINE_RELATIVE_MEAN : SOCIND_LINE_RELATIVE_QUANTILE;
        R.value = t ? 0.5 : 0.6;
        rates_written_out(f, &p, &R, -1);
        rates_written_out(f, &p, &R, big);
    }
    free(all), free(usable), free(b), free(u), free(rp);
    programme_free(&p);
}

/* Every part's SE against numerical derivatives: with one PSU's weights
 * multiplied by 1 ± ε (ε = 1e−5), z_p = (θ+ − θ−)/(2ε) is that PSU's total
 * of the linearized variable; V = Σ_h n_h/(n_h − 1) Σ_p (z_p − z̄_h)². The
 * central difference's error is O(ε²) relative (about 1e−10 here) plus
 * rounding of about 1e−16/ε = 1e−11 of the estimate: a tolerance of 1e−6
 * leaves a wide margin and still fails on any missing term. Fixed lines (an
 * absolute line and the regions' per-row lines) and the given ranking: the
 * estimates are smooth functions of the weights. */
static void check_numeric_se(const households *f, const programme *p, const socind_poverty_line *L,
                             const double *ben, const int32_t *grp, int32_t ng) {
    const int G = grp ? ng : 1;
    const size_t tot = (size_t)G * CNT;
    socind_estimate *base = calloc(tot, sizeof *base), *ep = calloc(tot, sizeof *ep),
                    *em = calloc(tot, sizeof *em);
    assert_int_equal(
        socind_targeting(f->wr, f->y, L, p->rec, ben, p->rank, grp, ng, NULL, NULL, base),
        SOCIND_OK);
    /* the PSUs and their strata, by first appearance */
    int64_t *ids = malloc(f->n * sizeof *ids), *sts = malloc(f->n * sizeof *sts);
    size_t np = 0;
    for (size_t k = 0; k < f->n; k++) {
        size_t i;
        for (i = 0; i < np; i++)
            if (ids[i] == f->psu[k]) break;
        if (i == np) ids[np] = f->psu[k], sts[np++] = f->stratum[k];
    }
    double *z = calloc(np * tot, sizeof *z), *w2 = malloc(f->n * sizeof *w2);
    const double eps = 1e-5;
    for (size_t i = 0; i < np; i++) {
        for (int sg = 0; sg < 2; sg++) {
            for (size_t k = 0; k < f->n; k++)
                w2[k] = f->w[k] * (f->psu[k] == ids[i] ? (sg ? 1.0 - eps : 1.0 + eps) : 1.0);
            socind_design *d = NULL;
            assert_int_equal(socind_design_new(f->n, w2, f->stratum, f->psu, NULL, NULL, &d),
                             SOCIND_OK);
            assert_int_equal(socind_targeting(d, f->y, L, p->rec, ben, p->rank, grp, ng, NULL, NULL,
                                              sg ? em : ep),
                             SOCIND_OK);
            socind_design_free(d);
        }
        for (size_t j = 0; j < tot; j++) z[i * tot + j] = (ep[j].value - em[j].value) / (2 * eps);
    }
    int checked = 0;
    for (size_t j = 0; j < tot; j++) {
        if (base[j].status != SOCIND_OK) continue;
        double V = 0.0;
        for (size_t a = 0; a < np; a++) { /* each stratum once, at its first PSU */
            size_t b;
            for (b = 0; b < a; b++)
                if (sts[b] == sts[a]) break;
            if (b < a) continue;
            double m = 0.0, q = 0.0;
            int nh = 0;
            for (size_t c = 0; c < np; c++)
                if (sts[c] == sts[a]) m += z[c * tot + j], nh++;
            m /= nh;
            for (size_t c = 0; c < np; c++)
                if (sts[c] == sts[a]) q += (z[c * tot + j] - m) * (z[c * tot + j] - m);
            if (nh > 1) V += (double)nh / (nh - 1) * q;
        }
        /* a part constant in the weights (a share of 0, a domain whose rows
           are all poor): both are 0 up to the difference's rounding */
        if (sqrt(V) < 1e-9) {
            assert_true(base[j].se < 1e-9);
            continue;
        }
        assert_close(base[j].se, sqrt(V), 1e-6);
        checked++;
    }
    assert_true(checked > (int)tot / 2);
    free(z), free(w2), free(ids), free(sts), free(base), free(ep), free(em);
}

static void test_numeric_se(void **state) {
    const households *f = *state;
    programme p;
    programme_make(f, &p);
    socind_poverty_line L = abs_line(500000.0), R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_PER_ROW;
    R.lines = f->line_region;
    check_numeric_se(f, &p, &L, NULL, NULL, 0);
    check_numeric_se(f, &p, &L, p.ben, NULL, 0);
    check_numeric_se(f, &p, &R, p.ben, NULL, 0);
    /* by sub-district (no stratum has a single PSU: the two domain rules
       agree with the full-design formula) */
    check_numeric_se(f, &p, &R, p.ben, p.sub, p.nsub);
    programme_free(&p);
}

/* Estimated welfare groups with incomes tied at the cut: 30 % of the
 * incomes 0 and f = 0.2, so q_f = 0 and the group y <= q_f holds about 30 %
 * of the population, not f. CGH divides by that share ŝ: a programme that
 * reaches everyone has CGH 1 and SE 0 (the estimate is 1 whatever the
 * weights); and a programme's CGH, value and SE, against targeting.h's
 * formulas written out (ŝ's term −(CGH/ŝ)·(f − ŝ)/N̂ included). The shares,
 * B_g/B with q_{g−1} < y <= q_g, are checked too (group 1 holds the zeros,
 * whatever their share). */
static void test_ties_at_cut(void **state) {
    (void)state;
    enum { N = 60 };
    double y[N], w[N], rec[N], ben[N], all1[N], u[N];
    int64_t st[N], psu[N];
    unsigned char use[N];
    for (size_t k = 0; k < N; k++) {
        y[k] = k % 10 < 3 ? 0.0 : 0.2 + 3.0 * hash01(k, 11);
        w[k] = 0.5 + 2.5 * hash01(k, 12);
        st[k] = (int64_t)(k % 3);
        psu[k] = (int64_t)(k % 12);
        rec[k] = hash01(k, 13) < (y[k] < 1.0 ? 0.7 : 0.2) ? 1.0 : 0.0;
        ben[k] = 1.0 + floor(4.0 * hash01(k, 14));
        all1[k] = 1.0;
        use[k] = 1;
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(1.0);
    socind_targeting_options T;
    socind_targeting_options_init(&T);
    T.n_ranks = 5;
    T.cgh_share = 0.2;
    socind_estimate e[SOCIND_TARGETING_COUNT(5)];
    socind_estimate eq;
    assert_int_equal(socind_quantile(d, y, 0.2, NULL, 0, NULL, &eq), SOCIND_OK);
    assert_true(eq.value == 0.0);
    const double sh = share_below(d, y, w, N, 0.2);
    assert_true(sh > 0.25);
    /* everyone receives: neutral */
    assert_int_equal(socind_targeting(d, y, &L, all1, NULL, NULL, NULL, 0, &T, NULL, e), SOCIND_OK);
    assert_int_equal(e[SOCIND_TARGETING_CGH].status, SOCIND_OK);
    assert_close(e[SOCIND_TARGETING_CGH].value, 1.0, 1e-14);
    assert_true(e[SOCIND_TARGETING_CGH].se < 1e-12);
    /* a programme with amounts: CGH written out */
    assert_int_equal(socind_targeting(d, y, &L, rec, ben, NULL, NULL, 0, &T, NULL, e), SOCIND_OK);
    double q[5], b[N];
    for (int g = 1; g < 5; g++) {
        assert_int_equal(socind_quantile(d, y, g / 5.0, NULL, 0, NULL, &eq), SOCIND_OK);
        q[g] = eq.value;
    }
    long double B = 0, low = 0, Nall = 0, Bg[6] = {0};
    for (size_t k = 0; k < N; k++) {
        b[k] = rec[k] == 1.0 ? ben[k] : 0.0;
        B += (long double)w[k] * b[k];
        Nall += w[k];
        if (y[k] <= q[1]) low += (long double)w[k] * b[k];
        int g = 1;
        while (g < 5 && y[k] > q[g]) g++;
        Bg[g] += (long double)w[k] * b[k];
    }
    for (int g = 1; g <= 5; g++) {
        assert_int_equal(e[SOCIND_TARGETING_SHARE + g - 1].status, SOCIND_OK);
        assert_close(e[SOCIND_TARGETING_SHARE + g - 1].value, (double)(Bg[g] / B), 1e-13);
    }
    const double h = bandwidth_of(y, w, use, N), Fq = kernel_of(y, w, NULL, use, N, h, q[1]),
                 Db = kernel_of(y, w, b, use, N, h, q[1]);
    const double cgh = (double)(low / B) / sh;
    for (size_t k = 0; k < N; k++) {
        const double in = y[k] <= q[1] ? 1.0 : 0.0;
        u[k] = (b[k] * in / sh - cgh * b[k]) / (double)B +
               Db / ((double)B * sh) * (-(in - 0.2) / Fq) - cgh / sh * (0.2 - sh) / (double)Nall;
    }
    double var;
    assert_int_equal(socind_variance(d, u, NULL, 1, &var), SOCIND_OK);
    assert_int_equal(e[SOCIND_TARGETING_CGH].status, SOCIND_OK);
    assert_close(e[SOCIND_TARGETING_CGH].value, cgh, 1e-13);
    assert_close(e[SOCIND_TARGETING_CGH].se, sqrt(var), 1e-10);
    socind_design_free(d);
}

/* Domains: an empty one, one without poor, one without recipients. */
static void test_domains(void **state) {
    (void)state;
    const double y[8] = {2, 4, 6, 12, 15, 20, 30, 40}, w[8] = {1, 2, 1, 2, 1, 2, 1, 2};
    const double rec[8] = {1, 0, 1, 1, 0, 0, 0, 0};
    const int32_t grp[8] = {0, 0, 0, 0, 1, 1, 3, 3}; /* domain 2 empty */
    const int32_t rank[8] = {1, 1, 2, 2, 3, 3, 4, 4};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(8, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    socind_targeting_options T;
    socind_targeting_options_init(&T);
    T.n_ranks = 4;
    T.cgh_share = 0.5;
    const int C = SOCIND_TARGETING_COUNT(4);
    socind_estimate e[4 * SOCIND_TARGETING_COUNT(4)];
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, grp, 4, &T, NULL, e), SOCIND_OK);
    for (int k = 0; k < C; k++) {
        assert_int_equal(e[0 * C + k].status, SOCIND_OK);
        assert_int_equal(e[2 * C + k].status, SOCIND_ERR_EMPTY_DOMAIN);
        assert_int_equal(e[2 * C + k].n, 0);
        assert_true(isnan(e[2 * C + k].value));
    }
    /* domain 1: no poor, no recipients */
    assert_int_equal(e[1 * C + SOCIND_TARGETING_COVERAGE].status, SOCIND_ERR_DATA);
    assert_int_equal(e[1 * C + SOCIND_TARGETING_LEAKAGE].status, SOCIND_ERR_DATA);
    assert_int_equal(e[1 * C + SOCIND_TARGETING_SHARE].status, SOCIND_ERR_DATA);
    assert_int_equal(e[1 * C + SOCIND_TARGETING_INCLUSION].status, SOCIND_OK);
    assert_close_abs(e[1 * C + SOCIND_TARGETING_INCLUSION].value, 0.0, 0, 1e-300);
    assert_int_equal(e[1 * C + SOCIND_TARGETING_COVERAGE].n, 2);
    /* estimated quartiles give the same statuses */
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, NULL, grp, 4, &T, NULL, e), SOCIND_OK);
    assert_int_equal(e[2 * C].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_int_equal(e[1 * C + SOCIND_TARGETING_SHARE].status, SOCIND_ERR_DATA);
    check_identities(e, 1, 4, 0.5, share_below(d, y, w, 8, 0.5));
    socind_design_free(d);
}

static void assert_all_nan(const socind_estimate *e, size_t n, int32_t st) {
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(e[k].status, st);
        assert_true(isnan(e[k].value));
        assert_int_equal(e[k].n, 0);
    }
}

static void test_bad_input(void **state) {
    (void)state;
    double y[6] = {2, 4, 6, 12, 15, 20}, w[6] = {1, 1, 1, 1, 1, 1};
    double rec[6] = {1, 0, 1, 1, 0, 0}, ben[6] = {1, 5, 1, 2, 0, 0};
    int32_t rank[6] = {1, 1, 2, 2, 3, 3};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(6, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    socind_targeting_options T;
    socind_targeting_options_init(&T);
    T.n_ranks = 3;
    T.cgh_share = 1.0 / 3.0;
    const size_t C = SOCIND_TARGETING_COUNT(3);
    socind_estimate e[2 * SOCIND_TARGETING_COUNT(10)];
    /* NULLs */
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, NULL),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_targeting(NULL, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_NULL);
    assert_all_nan(e, C, SOCIND_ERR_NULL);
    assert_int_equal(socind_targeting(d, NULL, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_targeting(d, y, NULL, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_targeting(d, y, &L, NULL, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_targeting_options_init(NULL), SOCIND_ERR_NULL);
    /* recipient codes other than 0/1 */
    rec[4] = 2.0;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 4);
    assert_all_nan(e, C, SOCIND_ERR_DATA);
    rec[4] = -1.0;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_DATA);
    rec[4] = 0.0;
    /* negative or infinite benefits of recipients; a non-recipient's is not read */
    ben[2] = -1.0;
    assert_int_equal(socind_targeting(d, y, &L, rec, ben, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 2);
    ben[2] = INFINITY;
    assert_int_equal(socind_targeting(d, y, &L, rec, ben, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_DATA);
    ben[2] = 1.0;
    ben[1] = -7.0;
    assert_int_equal(socind_targeting(d, y, &L, rec, ben, rank, NULL, 0, &T, NULL, e), SOCIND_OK);
    /* a recipient's missing benefit: the row stays in the four rates (row 3,
       y = 12, a non-poor recipient: leakage 1/3 and inclusion 1/3 as with its
       amount) and leaves the shares and CGH (benefits 1, 1 of groups 1, 2) */
    ben[3] = NAN;
    assert_int_equal(socind_targeting(d, y, &L, rec, ben, rank, NULL, 0, &T, NULL, e), SOCIND_OK);
    for (int k = 0; k < SOCIND_TARGETING_CGH; k++) assert_int_equal(e[k].n, 6);
    assert_close(e[SOCIND_TARGETING_COVERAGE].value, 2.0 / 3.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_LEAKAGE].value, 1.0 / 3.0, 1e-15);
    assert_close(e[SOCIND_TARGETING_INCLUSION].value, 1.0 / 3.0, 1e-15);
    assert_int_equal(e[SOCIND_TARGETING_SHARE].n, 5);
    assert_int_equal(e[SOCIND_TARGETING_CGH].n, 5);
    assert_close(e[SOCIND_TARGETING_SHARE].value, 0.5, 1e-15);
    assert_close(e[SOCIND_TARGETING_SHARE + 1].value, 0.5, 1e-15);
    ben[3] = 2.0;
    /* ranking codes */
    rank[5] = 4;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_CODE);
    assert_int_equal(socind_last_error_row(), 5);
    rank[5] = 0;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_CODE);
    rank[5] = 3;
    /* infinite income */
    y[1] = INFINITY;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 1);
    y[1] = 4.0;
    /* options */
    socind_targeting_options B = T;
    B.n_ranks = 1;
    e[0].status = 99;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &B, NULL, e),
                     SOCIND_ERR_ARG);
    assert_int_equal(e[0].status, 99); /* nothing written: the length is unknown */
    B.n_ranks = SOCIND_TARGETING_MAX_RANKS + 1;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &B, NULL, e),
                     SOCIND_ERR_ARG);
    B = T;
    B.cgh_share = 0.0;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &B, NULL, e),
                     SOCIND_ERR_ARG);
    B.cgh_share = NAN;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &B, NULL, e),
                     SOCIND_ERR_ARG);
    B.cgh_share = 0.5; /* 1.5 groups of a ranking of 3 */
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &B, NULL, e),
                     SOCIND_ERR_ARG);
    assert_all_nan(e, C, SOCIND_ERR_ARG);
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, NULL, NULL, 0, &B, NULL, e), SOCIND_OK);
    B = T;
    B.size = 3;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, NULL, 0, &B, NULL, e),
                     SOCIND_ERR_OPTIONS);
    /* a bad line, bad groups */
    socind_poverty_line Z = abs_line(-1.0);
    assert_int_equal(socind_targeting(d, y, &Z, rec, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_ARG);
    const int32_t bad[6] = {0, 0, 5, 1, 1, 1};
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, rank, bad, 2, &T, NULL, e),
                     SOCIND_ERR_GROUP);
    /* every recipient value missing: no usable row */
    const double none[6] = {NAN, NAN, NAN, NAN, NAN, NAN};
    assert_int_equal(socind_targeting(d, y, &L, none, NULL, rank, NULL, 0, &T, NULL, e),
                     SOCIND_ERR_EMPTY);
    assert_all_nan(e, C, SOCIND_ERR_EMPTY);
    /* estimated cuts over equal incomes: no density at the cuts, so the
       shares and CGH have their values and SOCIND_ERR_DATA (no SE); the
       rates against the line stand (the call had failed) */
    const double flat[6] = {5, 5, 5, 5, 5, 5};
    assert_int_equal(socind_targeting(d, flat, &L, rec, NULL, NULL, NULL, 0, &T, NULL, e),
                     SOCIND_OK);
    for (size_t k = 0; k < C; k++) {
        const int cut_part = k == SOCIND_TARGETING_CGH || k >= SOCIND_TARGETING_SHARE;
        if (cut_part) {
            assert_int_equal(e[k].status, SOCIND_ERR_DATA);
            assert_false(isnan(e[k].value));
            assert_true(isnan(e[k].se));
        } else if (e[k].status == SOCIND_OK) {
            assert_false(isnan(e[k].se));
        }
    }
    assert_int_equal(e[SOCIND_TARGETING_COVERAGE].status, SOCIND_OK);
    /* a weight near 1e308, whose moments leave the doubles: that, not
       "every income is equal" (the cuts, and a relative quantile line) */
    {
        const double wb[6] = {1, 1, 1e308, 1, 1, 1};
        socind_design *db = NULL;
        assert_int_equal(socind_design_new(6, wb, NULL, NULL, NULL, NULL, &db), SOCIND_OK);
        assert_int_equal(socind_targeting(db, y, &L, rec, NULL, NULL, NULL, 0, &T, NULL, e),
                         SOCIND_ERR_OVERFLOW);
        assert_non_null(strstr(socind_last_error_detail(), "welfare groups' cuts"));
        socind_poverty_line R = abs_line(0.6);
        R.type = SOCIND_LINE_RELATIVE_QUANTILE;
        assert_int_equal(socind_targeting(db, y, &R, rec, NULL, rank, NULL, 0, &T, NULL, e),
                         SOCIND_ERR_OVERFLOW);
        assert_non_null(strstr(socind_last_error_detail(), "leave the double range"));
        socind_design_free(db);
    }
    /* every weight 1e308 with a ranking: the sums of weights leave the
       doubles, so CGH (whose ŝ is such a ratio) is SOCIND_ERR_OVERFLOW as
       coverage is, not "no ranked row in the bottom groups" */
    {
        const double wb[6] = {1e308, 1e308, 1e308, 1e308, 1e308, 1e308};
        socind_design *db = NULL;
        assert_int_equal(socind_design_new(6, wb, NULL, NULL, NULL, NULL, &db), SOCIND_OK);
        assert_int_equal(socind_targeting(db, y, &L, rec, NULL, rank, NULL, 0, &T, NULL, e),
                         SOCIND_OK);
        assert_int_equal(e[SOCIND_TARGETING_COVERAGE].status, SOCIND_ERR_OVERFLOW);
        assert_int_equal(e[SOCIND_TARGETING_CGH].status, SOCIND_ERR_OVERFLOW);
        assert_true(isnan(e[SOCIND_TARGETING_CGH].value));
        socind_design_free(db);
    }
    socind_design_free(d);
}

/* A replicate design: every part has a finite SE, and the values are the
 * full sample's. */
static void test_replicate(void **state) {
    const households *f = *state;
    programme p;
    programme_make(f, &p);
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.type = SOCIND_REP_JKN;
    socind_design *r = NULL;
    assert_int_equal(socind_design_replicate_make(f->wr, &ro, &r), SOCIND_OK);
    socind_poverty_line L = abs_line(500000.0);
    socind_estimate a[CNT], b[CNT];
    assert_int_equal(socind_targeting(r, f->y, &L, p.rec, p.ben, NULL, NULL, 0, NULL, NULL, a),
                     SOCIND_OK);
    assert_int_equal(socind_targeting(f->wr, f->y, &L, p.rec, p.ben, NULL, NULL, 0, NULL, NULL, b),
                     SOCIND_OK);
    for (int k = 0; k < CNT; k++) {
        assert_int_equal(a[k].status, SOCIND_OK);
        assert_close(a[k].value, b[k].value, 1e-14);
        assert_true(a[k].se > 0.0);
    }
    socind_design_free(r);
    programme_free(&p);
}

/* The options' size rule (docs/abi.md): a larger struct whose unknown bytes
 * are zero is accepted, a set unknown byte, a size below the struct's or
 * above 4096 and a reserved field other than 0 are refused, and nothing is
 * written to out then (its length would come from the options). */
static void test_options_size_rule(void **state) {
    (void)state;
    const double y[6] = {2, 4, 6, 12, 15, 20}, w[6] = {1, 1, 1, 1, 1, 1};
    const double rec[6] = {1, 0, 1, 1, 0, 0};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(6, w, NULL, NULL, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L = abs_line(10);
    struct {
        socind_targeting_options s;
        unsigned char tail[16];
    } o;
    memset(&o, 0, sizeof o);
    assert_int_equal(socind_targeting_options_init(&o.s), SOCIND_OK);
    assert_int_equal(o.s.size, sizeof o.s);
    assert_close(o.s.cgh_share, 0.4, 0);
    assert_int_equal(o.s.n_ranks, 10);
    socind_estimate e[CNT];
    o.s.size = sizeof o;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, NULL, NULL, 0, &o.s, NULL, e),
                     SOCIND_OK);
    o.tail[5] = 1;
    e[0].status = 77;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, NULL, NULL, 0, &o.s, NULL, e),
                     SOCIND_ERR_OPTIONS);
    assert_int_equal(e[0].status, 77);
    assert_non_null(strstr(socind_last_error_detail(), "socind_targeting_options"));
    o.tail[5] = 0;
    o.s.size = 4097;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, NULL, NULL, 0, &o.s, NULL, e),
                     SOCIND_ERR_OPTIONS);
    o.s.size = sizeof o.s - 1;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, NULL, NULL, 0, &o.s, NULL, e),
                     SOCIND_ERR_OPTIONS);
    o.s.size = sizeof o.s;
    o.s.reserved = 3;
    assert_int_equal(socind_targeting(d, y, &L, rec, NULL, NULL, NULL, 0, &o.s, NULL, e),
                     SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "reserved"));
    socind_design_free(d);
}

/* Each allocation failed in turn (estimated cuts, a relative line, domains):
 * SOCIND_ERR_NOMEM with every estimate NaN, until the call succeeds. */
static void test_alloc_failure(void **state) {
    (void)state;
    enum { NA = 40 };
    double y[NA], w[NA], rec[NA];
    int64_t st[NA], psu[NA];
    int32_t g[NA];
    for (int k = 0; k < NA; k++) {
        y[k] = 50.0 + 7.0 * ((k * 13) % NA);
        w[k] = 1.0 + (k % 3);
        rec[k] = (k % 4 == 0 || y[k] < 120.0) ? 1.0 : 0.0;
        st[k] = k / 20;
        psu[k] = k / 5;
        g[k] = k % 3;
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(NA, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    socind_estimate e[3 * CNT];
    int failures = 0;
    for (long i = 0;; i++) {
        alloc_count = 0;
        fail_at = i;
        int32_t s = socind_targeting(d, y, &L, rec, NULL, NULL, g, 3, NULL, NULL, e);
        fail_at = -1;
        if (s == SOCIND_OK) break;
        assert_int_equal(s, SOCIND_ERR_NOMEM);
        for (int j = 0; j < 3 * CNT; j++) assert_true(isnan(e[j].value) && isnan(e[j].se));
        failures++;
    }
    assert_true(failures >= 5);
    socind_design_free(d);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_worked),
        cmocka_unit_test_setup_teardown(test_against_ratio, households_setup, households_teardown),
        cmocka_unit_test_setup_teardown(test_identities, households_setup, households_teardown),
        cmocka_unit_test_setup_teardown(test_estimated_cuts, households_setup, households_teardown),
        cmocka_unit_test_setup_teardown(test_numeric_se, households_setup, households_teardown),
        cmocka_unit_test_setup_teardown(test_density_terms_written_out, households_setup,
                                        households_teardown),
        cmocka_unit_test(test_ties_at_cut),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test_setup_teardown(test_replicate, households_setup, households_teardown),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_options_size_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
