/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_change.c — socind_growth_redistribution and
 * socind_sectoral_decomposition (socind/change.h):
 *  - identities: Shapley growth + redistribution = ΔP, Datt–Ravallion
 *    growth + redistribution + residual = ΔP, Ravallion–Huppi within +
 *    shift + interaction = ΔP, and each sector's parts summing to the
 *    totals';
 *  - point estimates against slow computations: incomes rescaled by the
 *    means' ratio and socind_fgt called on them;
 *  - SEs against numerical derivatives: each PSU's weights of one round
 *    multiplied by (1 ± h), z_p = (θ+ − θ−)/2h the PSU's total of the
 *    linearized variable, V = Σ_rounds Σ_h n_h/(n_h − 1) Σ_p (z_p − z̄_h)²
 *    (the with-replacement formula). A central difference with h = 1e−5
 *    errs by O(h²) ≈ 1e−10 relative (plus rounding of about 1e−16/h ≈
 *    1e−11 of the estimate per PSU), so the SEs must agree to 1e−6. Only
 *    smooth estimates can be checked this way: α >= 1 (FGT at α = 0 is a
 *    step function of the line, whose density term weight perturbation
 *    does not reproduce) and lines that are smooth in the weights
 *    (absolute, per-row, relative mean — a quantile is a step function of
 *    the weights too). FGT0 and the quantile line are checked against
 *    socind_fgt's own linearization instead;
 *  - bad input: NULLs, a bad price ratio, α, line, groups, ±Inf incomes,
 *    empty domains and sectors, every income missing.
 * Round 1 is the reference households file (tests/reference/poverty); round
 * 2 a different sample drawn from it (two rows in three) with incomes grown,
 * redistributed and inflated by the price ratio. */
#include "households.h"

#define RATIO 1.12 /* round 2's prices over round 1's */

typedef struct {
    households *f;
    /* round 2 */
    size_t n2;
    double *w2, *y2, *line2;
    int64_t *st2, *psu2, *sub2;
    int32_t *urban1, *urban2; /* urban/rural codes 0/1 of each round */
    int32_t *sec1, *sec2;     /* three sectors (sub-district mod 3) */
    socind_design *d1, *d2;
} fixture;

static socind_design *make_design(size_t n, const double *w, const int64_t *st,
                                  const int64_t *psu) {
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w, st, psu, NULL, NULL, &d), SOCIND_OK);
    return d;
}

static int setup(void **state) {
    void *hs;
    if (households_setup(&hs)) return -1;
    fixture *x = calloc(1, sizeof *x);
    x->f = hs;
    const households *f = x->f;
    size_t n = f->n, m = 0;
    x->w2 = malloc(n * sizeof *x->w2);
    x->y2 = malloc(n * sizeof *x->y2);
    x->line2 = malloc(n * sizeof *x->line2);
    x->st2 = malloc(n * sizeof *x->st2);
    x->psu2 = malloc(n * sizeof *x->psu2);
    x->sub2 = malloc(n * sizeof *x->sub2);
    x->urban2 = malloc(n * sizeof *x->urban2);
    x->urban1 = malloc(n * sizeof *x->urban1);
    x->sec1 = malloc(n * sizeof *x->sec1);
    x->sec2 = malloc(n * sizeof *x->sec2);
    for (size_t k = 0; k < n; k++) {
        x->urban1[k] = (int32_t)f->urban[k];
        x->sec1[k] = (int32_t)(f->subdistrict[k] % 3);
        if (k % 3 == 0) continue;
        /* growth of 6 %, more for the richer (redistribution), a wobble,
           then round 2's prices */
        double g = 1.06 * (1.0 + 0.08 * tanh((f->y[k] - 900000.0) / 400000.0)) *
                   (1.0 + 0.1 * sin(0.7 * (double)k));
        x->y2[m] = f->y[k] * g * RATIO;
        x->w2[m] = f->w[k] * 1.5;
        x->line2[m] = f->line_region[k] * RATIO;
        x->st2[m] = f->stratum[k];
        x->psu2[m] = f->psu[k];
        x->sub2[m] = f->subdistrict[k];
        x->urban2[m] = (int32_t)f->urban[k];
        /* a shift between sectors: some rows move to sector 2 */
        x->sec2[m] = k % 7 == 1 ? 2 : (int32_t)(f->subdistrict[k] % 3);
        m++;
    }
    x->n2 = m;
    x->d1 = make_design(n, f->w, f->stratum, f->psu);
    x->d2 = make_design(m, x->w2, x->st2, x->psu2);
    *state = x;
    return 0;
}

static int teardown(void **state) {
    fixture *x = *state;
    socind_design_free(x->d1);
    socind_design_free(x->d2);
    free(x->w2), free(x->y2), free(x->line2), free(x->st2), free(x->psu2), free(x->sub2);
    free(x->urban1), free(x->urban2), free(x->sec1), free(x->sec2);
    void *hs = x->f;
    households_teardown(&hs);
    free(x);
    return 0;
}

static socind_poverty_line abs_line(double z) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_ABSOLUTE;
    L.value = z;
    return L;
}

/* the line types the tests run through */
#define NLINES 4
static socind_poverty_line line_of(const fixture *x, int t) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    switch (t) {
    case 0:
        L = abs_line(650000.0);
        break;
    case 1:
        L.type = SOCIND_LINE_PER_ROW;
        L.lines = x->f->line_region;
        break;
    case 2:
        L.type = SOCIND_LINE_RELATIVE_MEAN;
        L.value = 0.5;
        break;
    default:
        L.type = SOCIND_LINE_RELATIVE_QUANTILE;
        L.value = 0.6;
        L.quantile = 0.5;
        break;
    }
    return L;
}

static double wmean(size_t n, const double *w, const double *y) {
    double a = 0, b = 0;
    for (size_t k = 0; k < n; k++) a += w[k] * y[k], b += w[k];
    return a / b;
}

static double fgt_of(const socind_design *d, const double *y, const socind_poverty_line *L,
                     double alpha, socind_estimate *e) {
    socind_estimate tmp;
    if (!e) e = &tmp;
    assert_int_equal(socind_fgt(d, y, L, alpha, NULL, 0, NULL, e), SOCIND_OK);
    return e->value;
}

/* Σ_h n_h/(n_h − 1) Σ_i (z_hi − z̄_h)² of row values z summed by PSU (the
 * with-replacement formula, written out) */
static double wr_var(size_t n, const int64_t *st, const int64_t *psu, const double *z) {
    int64_t *ids = malloc(n * sizeof *ids), *ps = malloc(n * sizeof *ps);
    double *t = calloc(n, sizeof *t);
    size_t np = 0;
    for (size_t k = 0; k < n; k++) {
        size_t j = 0;
        while (j < np && ids[j] != psu[k]) j++;
        if (j == np) ids[np] = psu[k], ps[np] = st[k], np++;
        t[j] += z[k];
    }
    double V = 0.0;
    for (size_t j = 0; j < np; j++) {
        int first = 1;
        for (size_t i = 0; i < j; i++) first &= ps[i] != ps[j];
        if (!first) continue;
        double m = 0, q = 0, nh = 0;
        for (size_t i = 0; i < np; i++)
            if (ps[i] == ps[j]) m += t[i], nh += 1;
        m /= nh;
        for (size_t i = 0; i < np; i++)
            if (ps[i] == ps[j]) q += (t[i] - m) * (t[i] - m);
        V += nh / (nh - 1.0) * q;
    }
    free(ids), free(ps), free(t);
    return V;
}

/* the Gaussian kernel density of x at 1 (weights w), bandwidth σ̂/N̂^(1/5)
 * with N̂ = Σ w and σ̂ the weighted standard deviation (divisor N̂) */
static double kdens1(size_t n, const double *x, const double *w) {
    double N = 0, S = 0, Q = 0, F = 0;
    for (size_t i = 0; i < n; i++) N += w[i], S += w[i] * x[i];
    double m = S / N;
    for (size_t i = 0; i < n; i++) Q += w[i] * (x[i] - m) * (x[i] - m);
    double h = sqrt(Q / N) / pow(N, 0.2);
    for (size_t i = 0; i < n; i++) {
        double u = (1.0 - x[i]) / h;
        F += w[i] * exp(-0.5 * u * u) / (h * 2.5066282746310002) /* √(2π) */;
    }
    return F / N;
}

/* FGT0 growth and redistribution against an absolute line z: their SEs
 * written out. With T21 = Σ w 1[y1 < zμ1/μ2]/N1 and T12 = Σ w 1[y2 <
 * zrμ2/μ1]/N2 (m2 = μ2·r), D1, D2 the densities of y1/(zμ1/μ2) and
 * y2/(zrμ2/μ1) at 1, a1 = w(y1 − μ1)/(N1 μ1), a2 = w(y2 − m2)/(N2 m2):
 *   G = T21 − T11: round 1 (1[y1<zμ1/μ2] − T21 − 1[y1<z] + T11)w/N1 + D1·a1,
 *                  round 2 −D1·a2;
 *   R = T12 − T11: round 1 −(1[y1<z] − T11)w/N1 − D2·a1,
 *                  round 2 (1[y2<zrμ2/μ1] − T12)w/N2 + D2·a2. */
static void p0_independent(const fixture *x, double z, double *se_g, double *se_r) {
    const households *f = x->f;
    size_t n1 = f->n, n2 = x->n2;
    double N1 = 0, S1 = 0, N2 = 0, S2 = 0;
    for (size_t i = 0; i < n1; i++) N1 += f->w[i], S1 += f->w[i] * f->y[i];
    for (size_t i = 0; i < n2; i++) N2 += x->w2[i], S2 += x->w2[i] * x->y2[i];
    double mu1 = S1 / N1, m2 = S2 / N2, mu2 = m2 / RATIO;
    double z21 = z * mu1 / mu2, z12 = z * RATIO * mu2 / mu1;
    double T11 = 0, T21 = 0, T12 = 0;
    for (size_t i = 0; i < n1; i++)
        T11 += f->w[i] * (f->y[i] < z) / N1, T21 += f->w[i] * (f->y[i] < z21) / N1;
    for (size_t i = 0; i < n2; i++) T12 += x->w2[i] * (x->y2[i] < z12) / N2;
    double *xs = malloc((n1 > n2 ? n1 : n2) * sizeof *xs);
    for (size_t i = 0; i < n1; i++) xs[i] = f->y[i] / z21;
    double D1 = kdens1(n1, xs, f->w);
    for (size_t i = 0; i < n2; i++) xs[i] = x->y2[i] / z12;
    double D2 = kdens1(n2, xs, x->w2);
    double *g1 = malloc(n1 * sizeof *g1), *r1 = malloc(n1 * sizeof *r1);
    double *g2 = malloc(n2 * sizeof *g2), *r2 = malloc(n2 * sizeof *r2);
    for (size_t i = 0; i < n1; i++) {
        double w = f->w[i], o11 = w * ((f->y[i] < z) - T11) / N1;
        double o21 = w * ((f->y[i] < z21) - T21) / N1, a = w * (f->y[i] - mu1) / (N1 * mu1);
        g1[i] = o21 - o11 + D1 * a;
        r1[i] = -o11 - D2 * a;
    }
    for (size_t i = 0; i < n2; i++) {
        double w = x->w2[i], o12 = w * ((x->y2[i] < z12) - T12) / N2;
        double a = w * (x->y2[i] - m2) / (N2 * m2);
        g2[i] = -D1 * a;
        r2[i] = o12 + D2 * a;
    }
    *se_g = sqrt(wr_var(n1, f->stratum, f->psu, g1) + wr_var(n2, x->st2, x->psu2, g2));
    *se_r = sqrt(wr_var(n1, f->stratum, f->psu, r1) + wr_var(n2, x->st2, x->psu2, r2));
    free(xs), free(g1), free(r1), free(g2), free(r2);
}

/* ---- identities and point estimates ---- */
static void test_gr_point(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    const double alphas[3] = {0.0, 1.0, 2.0};
    double *ys1 = malloc(f->n * sizeof *ys1), *ys2 = malloc(x->n2 * sizeof *ys2);
    double *l2r = malloc(x->n2 * sizeof *l2r);
    for (int t = 0; t < NLINES; t++)
        for (int a = 0; a < 3; a++) {
            socind_poverty_line L = line_of(x, t);
            double al = alphas[a];
            socind_estimate e[SOCIND_GR_COUNT];
            assert_int_equal(socind_growth_redistribution(x->d1, f->y, NULL, x->d2, x->y2, NULL, 0,
                                                          &L, x->line2, RATIO, al, NULL, e),
                             SOCIND_OK);
            for (int k = 0; k < SOCIND_GR_COUNT; k++) {
                assert_int_equal(e[k].status, SOCIND_OK);
                assert_true(e[k].se > 0.0);
                assert_true(e[k].ci_low < e[k].value && e[k].value < e[k].ci_high);
            }
            /* identities */
            const double dP = e[SOCIND_GR_CHANGE].value;
            assert_close_abs(e[SOCIND_GR_FGT2].value - e[SOCIND_GR_FGT1].value, dP, 0, 1e-15);
            assert_close_abs(e[SOCIND_GR_SHAPLEY_GROWTH].value +
                                 e[SOCIND_GR_SHAPLEY_REDISTRIBUTION].value,
                             dP, 0, 1e-15);
            assert_close_abs(e[SOCIND_GR_DR_GROWTH].value + e[SOCIND_GR_DR_REDISTRIBUTION].value +
                                 e[SOCIND_GR_DR_RESIDUAL].value,
                             dP, 0, 1e-15);
            /* slow: means, the line, rescaled incomes through socind_fgt */
            double mu1 = wmean(f->n, f->w, f->y), mu2 = wmean(x->n2, x->w2, x->y2) / RATIO;
            assert_close(e[SOCIND_GR_MEAN1].value, mu1, 1e-13);
            assert_close(e[SOCIND_GR_MEAN2].value, mu2, 1e-13);
            socind_poverty_line L1 = L, L2 = L;
            if (t >= 2) { /* the relative line, held fixed in real terms */
                socind_estimate le;
                assert_int_equal(socind_poverty_line_estimate(x->d1, f->y, &L, NULL, &le),
                                 SOCIND_OK);
                L1 = abs_line(le.value);
            }
            if (t == 1) {
                L2.lines = x->line2;
            } else {
                L2 = abs_line(L1.value * RATIO);
            }
            socind_estimate p1;
            double P11 = fgt_of(x->d1, f->y, &L, al, &p1);
            double P22 = fgt_of(x->d2, x->y2, &L2, al, NULL);
            for (size_t k = 0; k < f->n; k++) ys1[k] = f->y[k] * mu2 / mu1;
            double P21 = fgt_of(x->d1, ys1, &L1, al, NULL);
            for (size_t k = 0; k < x->n2; k++) {
                ys2[k] = x->y2[k] / RATIO * mu1 / mu2;
                l2r[k] = x->line2[k] / RATIO;
            }
            socind_poverty_line L12 = t == 1 ? L2 : abs_line(L1.value);
            if (t == 1) L12.lines = l2r;
            double P12 = fgt_of(x->d2, ys2, &L12, al, NULL);
            assert_close(e[SOCIND_GR_FGT1].value, P11, 1e-12);
            assert_close(e[SOCIND_GR_FGT2].value, P22, 1e-12);
            assert_close_abs(e[SOCIND_GR_DR_GROWTH].value, P21 - P11, 0, 1e-12);
            assert_close_abs(e[SOCIND_GR_DR_REDISTRIBUTION].value, P12 - P11, 0, 1e-12);
            assert_close_abs(e[SOCIND_GR_SHAPLEY_GROWTH].value, 0.5 * ((P21 - P11) + (P22 - P12)),
                             0, 1e-12);
            assert_close_abs(e[SOCIND_GR_SHAPLEY_REDISTRIBUTION].value,
                             0.5 * ((P12 - P11) + (P22 - P21)), 0, 1e-12);
            /* P1 is socind_fgt's estimate, its SE (the line's term and, at
               α = 0 against a relative line, the density term) included */
            assert_close(e[SOCIND_GR_FGT1].se, p1.se, 1e-9);
            assert_close(e[SOCIND_GR_FGT1].ci_low, p1.ci_low, 1e-9);
            assert_true(e[SOCIND_GR_FGT1].df == socind_design_df(x->d1));
            assert_true(e[SOCIND_GR_CHANGE].df ==
                        socind_design_df(x->d1) + socind_design_df(x->d2));
            assert_int_equal(e[SOCIND_GR_FGT1].n, (int64_t)f->n);
            assert_int_equal(e[SOCIND_GR_CHANGE].n, (int64_t)(f->n + x->n2));
            if (t <= 1) { /* a fixed line: P2 is socind_fgt's on round 2 alone */
                socind_estimate p2;
                fgt_of(x->d2, x->y2, &L2, al, &p2);
                assert_close(e[SOCIND_GR_FGT2].se, p2.se, 1e-9);
                assert_true(e[SOCIND_GR_FGT2].df == socind_design_df(x->d2));
            }
            /* the change's SE: the two rounds' FGTs are independent when the
               line is fixed */
            if (t <= 1)
                assert_close(e[SOCIND_GR_CHANGE].se,
                             hypot(e[SOCIND_GR_FGT1].se, e[SOCIND_GR_FGT2].se), 1e-12);
            /* α = 0, absolute line: growth's and redistribution's SEs (their
               density terms) against the computation written out */
            if (t == 0 && a == 0) {
                double seg, ser;
                p0_independent(x, L.value, &seg, &ser);
                assert_close(e[SOCIND_GR_DR_GROWTH].se, seg, 1e-9);
                assert_close(e[SOCIND_GR_DR_REDISTRIBUTION].se, ser, 1e-9);
            }
        }
    free(ys1), free(ys2), free(l2r);
}

/* by domain: each domain's decomposition is that of the domain's rows alone
 * (against a fixed line), and the identities hold */
static void test_gr_domains(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    socind_poverty_line L = abs_line(650000.0);
    socind_estimate e[2 * SOCIND_GR_COUNT];
    assert_int_equal(socind_growth_redistribution(x->d1, f->y, x->urban1, x->d2, x->y2, x->urban2,
                                                  2, &L, NULL, RATIO, 1.0, NULL, e),
                     SOCIND_OK);
    double *y1m = malloc(f->n * sizeof *y1m), *y2m = malloc(x->n2 * sizeof *y2m);
    for (int g = 0; g < 2; g++) {
        const socind_estimate *eg = e + g * SOCIND_GR_COUNT;
        for (size_t k = 0; k < f->n; k++) y1m[k] = x->urban1[k] == g ? f->y[k] : NAN;
        for (size_t k = 0; k < x->n2; k++) y2m[k] = x->urban2[k] == g ? x->y2[k] : NAN;
        socind_estimate o[SOCIND_GR_COUNT];
        assert_int_equal(socind_growth_redistribution(x->d1, y1m, NULL, x->d2, y2m, NULL, 0, &L,
                                                      NULL, RATIO, 1.0, NULL, o),
                         SOCIND_OK);
        for (int k = 0; k < SOCIND_GR_COUNT; k++) {
            assert_int_equal(eg[k].status, SOCIND_OK);
            assert_close(eg[k].value, o[k].value, 1e-12);
            assert_close(eg[k].se, o[k].se, 1e-10);
            assert_int_equal(eg[k].n, o[k].n);
        }
        assert_close_abs(eg[SOCIND_GR_SHAPLEY_GROWTH].value +
                             eg[SOCIND_GR_SHAPLEY_REDISTRIBUTION].value,
                         eg[SOCIND_GR_CHANGE].value, 0, 1e-15);
    }
    /* a domain with no row in round 2: every part EMPTY_DOMAIN, the call OK */
    socind_estimate e3[3 * SOCIND_GR_COUNT];
    assert_int_equal(socind_growth_redistribution(x->d1, f->y, x->urban1, x->d2, x->y2, x->urban2,
                                                  3, &L, NULL, RATIO, 1.0, NULL, e3),
                     SOCIND_OK);
    for (int k = 0; k < SOCIND_GR_COUNT; k++) {
        assert_int_equal(e3[2 * SOCIND_GR_COUNT + k].status, SOCIND_ERR_EMPTY_DOMAIN);
        assert_true(isnan(e3[2 * SOCIND_GR_COUNT + k].value));
        assert_close(e3[k].value, e[k].value, 1e-15);
    }
    free(y1m), free(y2m);
}

/* ---- numerical-derivative SEs ---- */

typedef struct {
    size_t n;
    const double *w;
    const int64_t *st, *psu;
} round_cols;

/* the estimates as a function of both rounds' weights */
typedef void (*estfn)(const fixture *x, const socind_design *d1, const socind_design *d2,
                      const void *arg, double *out, size_t count);

/* Σ_h n_h/(n_h − 1) Σ_p (z_p − z̄_h)² of round r's numerical PSU totals,
 * added into V[count] */
static void numeric_round(const fixture *x, const round_cols *rc, int which, estfn fn,
                          const void *arg, size_t count, double *V) {
    const double h = 1e-5;
    /* the distinct PSUs and their strata (few: a quadratic scan is fine) */
    int64_t *ids = malloc(rc->n * sizeof *ids), *ps = malloc(rc->n * sizeof *ps);
    size_t np = 0;
    for (size_t k = 0; k < rc->n; k++) {
        size_t j = 0;
        while (j < np && ids[j] != rc->psu[k]) j++;
        if (j == np) ids[np] = rc->psu[k], ps[np] = rc->st[k], np++;
    }
    double *z = calloc(np * count, sizeof *z), *w = malloc(rc->n * sizeof *w);
    double *ep = malloc(count * sizeof *ep), *em = malloc(count * sizeof *em);
    for (size_t j = 0; j < np; j++) {
        for (int sg = 0; sg < 2; sg++) {
            for (size_t k = 0; k < rc->n; k++)
                w[k] = rc->w[k] * (rc->psu[k] == ids[j] ? (sg ? 1.0 - h : 1.0 + h) : 1.0);
            socind_design *d = make_design(rc->n, w, rc->st, rc->psu);
            if (which == 1)
                fn(x, d, x->d2, arg, sg ? em : ep, count);
            else
                fn(x, x->d1, d, arg, sg ? em : ep, count);
            socind_design_free(d);
        }
        for (size_t c = 0; c < count; c++) z[j * count + c] = (ep[c] - em[c]) / (2 * h);
    }
    /* by stratum */
    for (size_t j = 0; j < np; j++) {
        int first = 1;
        for (size_t i = 0; i < j; i++) first &= ps[i] != ps[j];
        if (!first) continue;
        size_t nh = 0;
        for (size_t i = 0; i < np; i++) nh += ps[i] == ps[j];
        for (size_t c = 0; c < count; c++) {
            double m = 0, q = 0;
            for (size_t i = 0; i < np; i++)
                if (ps[i] == ps[j]) m += z[i * count + c] / (double)nh;
            for (size_t i = 0; i < np; i++)
                if (ps[i] == ps[j]) q += (z[i * count + c] - m) * (z[i * count + c] - m);
            V[c] += (double)nh / (double)(nh - 1) * q;
        }
    }
    free(ids), free(ps), free(z), free(w), free(ep), free(em);
}

typedef struct {
    socind_poverty_line L;
    double alpha;
    int grouped;
} gr_arg;

static void gr_fn(const fixture *x, const socind_design *d1, const socind_design *d2,
                  const void *arg, double *out, size_t count) {
    const gr_arg *a = arg;
    socind_estimate e[2 * SOCIND_GR_COUNT];
    assert_int_equal(socind_growth_redistribution(d1, x->f->y, a->grouped ? x->urban1 : NULL, d2,
                                                  x->y2, a->grouped ? x->urban2 : NULL,
                                                  a->grouped ? 2 : 0, &a->L, x->line2, RATIO,
                                                  a->alpha, NULL, e),
                     SOCIND_OK);
    for (size_t c = 0; c < count; c++) out[c] = e[c].value;
}

static void check_numeric(const fixture *x, estfn fn, const void *arg, const socind_estimate *e,
                          size_t count) {
    double *V = calloc(count, sizeof *V);
    round_cols r1 = {x->f->n, x->f->w, x->f->stratum, x->f->psu};
    round_cols r2 = {x->n2, x->w2, x->st2, x->psu2};
    numeric_round(x, &r1, 1, fn, arg, count, V);
    numeric_round(x, &r2, 2, fn, arg, count, V);
    for (size_t c = 0; c < count; c++) {
        assert_int_equal(e[c].status, SOCIND_OK);
        assert_close_abs(e[c].se, sqrt(V[c]), 1e-6, 1e-12);
    }
    free(V);
}

static void test_gr_numeric_se(void **state) {
    fixture *x = *state;
    const double alphas[2] = {1.0, 2.0};
    for (int t = 0; t < 3; t++) /* absolute, per-row, relative mean */
        for (int a = 0; a < 2; a++)
            for (int grouped = 0; grouped < 2; grouped++) {
                if (grouped && a == 1 && t != 2) continue; /* enough cases */
                gr_arg arg = {line_of(x, t), alphas[a], grouped};
                socind_estimate e[2 * SOCIND_GR_COUNT];
                size_t count = (grouped ? 2 : 1) * SOCIND_GR_COUNT;
                assert_int_equal(
                    socind_growth_redistribution(x->d1, x->f->y, grouped ? x->urban1 : NULL, x->d2,
                                                 x->y2, grouped ? x->urban2 : NULL, grouped ? 2 : 0,
                                                 &arg.L, x->line2, RATIO, arg.alpha, NULL, e),
                    SOCIND_OK);
                check_numeric(x, gr_fn, &arg, e, count);
            }
}

/* ---- Ravallion–Huppi ---- */

#define NSEC 3

static void test_rh_point(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    for (int t = 0; t < NLINES; t++)
        for (int a = 0; a < 3; a++) {
            socind_poverty_line L = line_of(x, t);
            double al = (double)a;
            socind_estimate tot[SOCIND_RH_COUNT], sec[NSEC * SOCIND_RH_SECTOR_COUNT];
            assert_int_equal(socind_sectoral_decomposition(x->d1, f->y, x->sec1, x->d2, x->y2,
                                                           x->sec2, NSEC, &L, x->line2, RATIO, al,
                                                           NULL, tot, sec),
                             SOCIND_OK);
            for (int k = 0; k < SOCIND_RH_COUNT; k++) {
                assert_int_equal(tot[k].status, SOCIND_OK);
                assert_true(tot[k].se > 0.0);
            }
            /* the totals (every row is in some sector here) are the whole
               rounds' P1, P2 and ΔP: value and SE as socind_fgt's and as
               socind_growth_redistribution's (one density over all rows at
               α = 0 against a relative line) */
            {
                socind_estimate g[SOCIND_GR_COUNT], p1;
                assert_int_equal(socind_growth_redistribution(x->d1, f->y, NULL, x->d2, x->y2, NULL,
                                                              0, &L, x->line2, RATIO, al, NULL, g),
                                 SOCIND_OK);
                fgt_of(x->d1, f->y, &L, al, &p1);
                assert_close(tot[SOCIND_RH_FGT1].value, p1.value, 1e-12);
                assert_close(tot[SOCIND_RH_FGT1].se, p1.se, 1e-9);
                const int map[3] = {SOCIND_GR_FGT1, SOCIND_GR_FGT2, SOCIND_GR_CHANGE};
                for (int k = 0; k < 3; k++) {
                    assert_close(tot[k].value, g[map[k]].value, 1e-12);
                    assert_close(tot[k].se, g[map[k]].se, 1e-9);
                    assert_true(tot[k].df == g[map[k]].df);
                }
            }
            /* the identity, and the sectors' parts summing to the totals */
            assert_close_abs(tot[SOCIND_RH_WITHIN].value + tot[SOCIND_RH_SHIFT].value +
                                 tot[SOCIND_RH_INTERACTION].value,
                             tot[SOCIND_RH_CHANGE].value, 0, 1e-15);
            double sw = 0, ss = 0, si = 0, s1 = 0, s2 = 0;
            for (int k = 0; k < NSEC; k++) {
                const socind_estimate *e = sec + k * SOCIND_RH_SECTOR_COUNT;
                for (int j = 0; j < SOCIND_RH_SECTOR_COUNT; j++)
                    assert_int_equal(e[j].status, SOCIND_OK);
                sw += e[SOCIND_RH_SECTOR_WITHIN].value;
                ss += e[SOCIND_RH_SECTOR_SHIFT].value;
                si += e[SOCIND_RH_SECTOR_INTERACTION].value;
                s1 += e[SOCIND_RH_SECTOR_SHARE1].value;
                s2 += e[SOCIND_RH_SECTOR_SHARE2].value;
            }
            assert_close_abs(sw, tot[SOCIND_RH_WITHIN].value, 0, 1e-15);
            assert_close_abs(ss, tot[SOCIND_RH_SHIFT].value, 0, 1e-15);
            assert_close_abs(si, tot[SOCIND_RH_INTERACTION].value, 0, 1e-15);
            assert_close(s1, 1.0, 1e-15);
            assert_close(s2, 1.0, 1e-15);
            /* slow: socind_fgt overall and by sector; shares from weights */
            socind_poverty_line L2 = L;
            if (t == 1) {
                L2.lines = x->line2;
            } else {
                double z = L.value;
                if (t >= 2) {
                    socind_estimate le;
                    assert_int_equal(socind_poverty_line_estimate(x->d1, f->y, &L, NULL, &le),
                                     SOCIND_OK);
                    z = le.value;
                }
                L2 = abs_line(z * RATIO);
            }
            socind_estimate p1, p2, g1[NSEC], g2[NSEC];
            fgt_of(x->d1, f->y, &L, al, &p1);
            fgt_of(x->d2, x->y2, &L2, al, &p2);
            assert_close(tot[SOCIND_RH_FGT1].value, p1.value, 1e-12);
            assert_close(tot[SOCIND_RH_FGT2].value, p2.value, 1e-12);
            assert_int_equal(socind_fgt(x->d1, f->y, &L, al, x->sec1, NSEC, NULL, g1), SOCIND_OK);
            assert_int_equal(socind_fgt(x->d2, x->y2, &L2, al, x->sec2, NSEC, NULL, g2), SOCIND_OK);
            double N1[NSEC] = {0}, N2[NSEC] = {0}, T1 = 0, T2 = 0;
            for (size_t k = 0; k < f->n; k++) N1[x->sec1[k]] += f->w[k], T1 += f->w[k];
            for (size_t k = 0; k < x->n2; k++) N2[x->sec2[k]] += x->w2[k], T2 += x->w2[k];
            for (int k = 0; k < NSEC; k++) {
                const socind_estimate *e = sec + k * SOCIND_RH_SECTOR_COUNT;
                double s1k = N1[k] / T1, s2k = N2[k] / T2;
                assert_close(e[SOCIND_RH_SECTOR_FGT1].value, g1[k].value, 1e-12);
                assert_close(e[SOCIND_RH_SECTOR_FGT2].value, g2[k].value, 1e-12);
                assert_close(e[SOCIND_RH_SECTOR_SHARE1].value, s1k, 1e-13);
                assert_close(e[SOCIND_RH_SECTOR_SHARE2].value, s2k, 1e-13);
                double dP = g2[k].value - g1[k].value;
                assert_close_abs(e[SOCIND_RH_SECTOR_WITHIN].value, s1k * dP, 0, 1e-13);
                assert_close_abs(e[SOCIND_RH_SECTOR_SHIFT].value, g1[k].value * (s2k - s1k), 0,
                                 1e-13);
                assert_close_abs(e[SOCIND_RH_SECTOR_INTERACTION].value, dP * (s2k - s1k), 0, 1e-13);
                /* a sector's P1 is socind_fgt's in that domain, SE included
                   (against a fixed line; a relative line's density term is
                   taken on the sector's rows, as socind_fgt's) */
                assert_close(e[SOCIND_RH_SECTOR_FGT1].se, g1[k].se, 1e-9);
            }
        }
}

typedef struct {
    socind_poverty_line L;
    double alpha;
} rh_arg;

static void rh_fn(const fixture *x, const socind_design *d1, const socind_design *d2,
                  const void *arg, double *out, size_t count) {
    const rh_arg *a = arg;
    socind_estimate e[SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT];
    assert_int_equal(socind_sectoral_decomposition(d1, x->f->y, x->sec1, d2, x->y2, x->sec2, NSEC,
                                                   &a->L, x->line2, RATIO, a->alpha, NULL, e,
                                                   e + SOCIND_RH_COUNT),
                     SOCIND_OK);
    for (size_t c = 0; c < count; c++) out[c] = e[c].value;
}

static void test_rh_numeric_se(void **state) {
    fixture *x = *state;
    for (int t = 0; t < 3; t++)
        for (int a = 1; a <= 2; a++) {
            if (a == 2 && t == 1) continue;
            rh_arg arg = {line_of(x, t), (double)a};
            socind_estimate e[SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT];
            assert_int_equal(socind_sectoral_decomposition(x->d1, x->f->y, x->sec1, x->d2, x->y2,
                                                           x->sec2, NSEC, &arg.L, x->line2, RATIO,
                                                           arg.alpha, NULL, e, e + SOCIND_RH_COUNT),
                             SOCIND_OK);
            check_numeric(x, rh_fn, &arg, e, SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT);
        }
}

/* the shares' SEs at α = 0 against a fixed line also come from weights
 * alone: numeric there too */
static void test_rh_numeric_se_p0(void **state) {
    fixture *x = *state;
    rh_arg arg = {line_of(x, 0), 0.0};
    socind_estimate e[SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT];
    assert_int_equal(socind_sectoral_decomposition(x->d1, x->f->y, x->sec1, x->d2, x->y2, x->sec2,
                                                   NSEC, &arg.L, NULL, RATIO, 0.0, NULL, e,
                                                   e + SOCIND_RH_COUNT),
                     SOCIND_OK);
    check_numeric(x, rh_fn, &arg, e, SOCIND_RH_COUNT + NSEC * SOCIND_RH_SECTOR_COUNT);
}

static void test_rh_empty_sector(void **state) {
    fixture *x = *state;
    socind_poverty_line L = abs_line(650000.0);
    socind_estimate tot[SOCIND_RH_COUNT], sec[5 * SOCIND_RH_SECTOR_COUNT];
    /* sector 3: round 2 only (rows of sector 2 moved there); sector 4: none */
    int32_t *s2 = malloc(x->n2 * sizeof *s2);
    for (size_t k = 0; k < x->n2; k++) s2[k] = x->sec2[k] == 2 && k % 2 ? 3 : x->sec2[k];
    assert_int_equal(socind_sectoral_decomposition(x->d1, x->f->y, x->sec1, x->d2, x->y2, s2, 5, &L,
                                                   NULL, RATIO, 0.0, NULL, tot, sec),
                     SOCIND_OK);
    for (int j = 0; j < SOCIND_RH_SECTOR_COUNT; j++)
        assert_int_equal(sec[4 * SOCIND_RH_SECTOR_COUNT + j].status, SOCIND_ERR_EMPTY_DOMAIN);
    const socind_estimate *e3 = sec + 3 * SOCIND_RH_SECTOR_COUNT;
    assert_int_equal(e3[SOCIND_RH_SECTOR_FGT1].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_int_equal(e3[SOCIND_RH_SECTOR_FGT2].status, SOCIND_OK);
    assert_int_equal(e3[SOCIND_RH_SECTOR_SHARE1].status, SOCIND_OK);
    assert_true(e3[SOCIND_RH_SECTOR_SHARE1].value == 0.0);
    { /* a share of 0 with an asin interval: R's NA, SOCIND_ERR_RANGE */
        socind_options o;
        socind_options_init(&o);
        o.prop_ci = SOCIND_PROP_CI_ASIN;
        socind_estimate t2[SOCIND_RH_COUNT], s5[5 * SOCIND_RH_SECTOR_COUNT];
        assert_int_equal(socind_sectoral_decomposition(x->d1, x->f->y, x->sec1, x->d2, x->y2, s2, 5,
                                                       &L, NULL, RATIO, 0.0, &o, t2, s5),
                         SOCIND_OK);
        assert_int_equal(s5[3 * SOCIND_RH_SECTOR_COUNT + SOCIND_RH_SECTOR_SHARE1].status,
                         SOCIND_ERR_RANGE);
        assert_true(s5[3 * SOCIND_RH_SECTOR_COUNT + SOCIND_RH_SECTOR_SHARE1].value == 0.0);
    }
    assert_int_equal(e3[SOCIND_RH_SECTOR_WITHIN].status, SOCIND_ERR_EMPTY_DOMAIN);
    /* the parts without an estimate: round 1's P_k1 counts round 1's rows
       and df (none, weight 0), the within part both rounds' (round 2's
       rows) */
    const double df1 = socind_design_df(x->d1), df2 = socind_design_df(x->d2);
    assert_true(e3[SOCIND_RH_SECTOR_FGT2].n > 0);
    assert_int_equal(e3[SOCIND_RH_SECTOR_FGT1].n, 0);
    assert_true(e3[SOCIND_RH_SECTOR_FGT1].weight_sum == 0.0);
    assert_true(e3[SOCIND_RH_SECTOR_FGT1].df == df1);
    assert_int_equal(e3[SOCIND_RH_SECTOR_WITHIN].n, e3[SOCIND_RH_SECTOR_FGT2].n);
    assert_true(e3[SOCIND_RH_SECTOR_WITHIN].weight_sum == e3[SOCIND_RH_SECTOR_FGT2].weight_sum);
    assert_true(e3[SOCIND_RH_SECTOR_WITHIN].df == df1 + df2);
    assert_int_equal(tot[SOCIND_RH_FGT1].status, SOCIND_OK);
    assert_int_equal(tot[SOCIND_RH_CHANGE].status, SOCIND_OK);
    assert_int_equal(tot[SOCIND_RH_WITHIN].status, SOCIND_ERR_EMPTY_DOMAIN);
    /* by_sector NULL: the totals alone */
    socind_estimate tot2[SOCIND_RH_COUNT];
    assert_int_equal(socind_sectoral_decomposition(x->d1, x->f->y, x->sec1, x->d2, x->y2, x->sec2,
                                                   NSEC, &L, NULL, RATIO, 0.0, NULL, tot2, NULL),
                     SOCIND_OK);
    assert_int_equal(tot2[SOCIND_RH_WITHIN].status, SOCIND_OK);
    free(s2);
}

/* α = 0 against a relative line with a sector of one round-1 row (no
 * density there): the totals keep their SEs (one density over every sector
 * row, socind_fgt's), the lone sector's P1 SE is SOCIND_ERR_DATA */
static void test_rh_lone_sector(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    socind_poverty_line L = line_of(x, 3);
    int32_t *s1 = malloc(f->n * sizeof *s1);
    for (size_t k = 0; k < f->n; k++) s1[k] = k == 5 ? 3 : x->sec1[k];
    socind_estimate tot[SOCIND_RH_COUNT], sec[4 * SOCIND_RH_SECTOR_COUNT], p1;
    assert_int_equal(socind_sectoral_decomposition(x->d1, f->y, s1, x->d2, x->y2, x->sec2, 4, &L,
                                                   NULL, RATIO, 0.0, NULL, tot, sec),
                     SOCIND_OK);
    fgt_of(x->d1, f->y, &L, 0.0, &p1);
    assert_int_equal(tot[SOCIND_RH_FGT1].status, SOCIND_OK);
    assert_close(tot[SOCIND_RH_FGT1].value, p1.value, 1e-12);
    assert_close(tot[SOCIND_RH_FGT1].se, p1.se, 1e-9);
    assert_int_equal(tot[SOCIND_RH_FGT2].status, SOCIND_OK);
    assert_int_equal(tot[SOCIND_RH_CHANGE].status, SOCIND_OK);
    assert_true(isfinite(tot[SOCIND_RH_CHANGE].se));
    assert_int_equal(sec[3 * SOCIND_RH_SECTOR_COUNT + SOCIND_RH_SECTOR_FGT1].status,
                     SOCIND_ERR_DATA);
    /* one row in sector 3 in both rounds: its P SEs and the three effects'
       SEs have no density (SOCIND_ERR_DATA), the totals P1, P2, ΔP keep
       theirs */
    int32_t *s2 = malloc(x->n2 * sizeof *s2);
    for (size_t k = 0; k < x->n2; k++) s2[k] = k == 9 ? 3 : x->sec2[k];
    assert_int_equal(socind_sectoral_decomposition(x->d1, f->y, s1, x->d2, x->y2, s2, 4, &L, NULL,
                                                   RATIO, 0.0, NULL, tot, sec),
                     SOCIND_OK);
    for (int k = 0; k <= SOCIND_RH_CHANGE; k++) {
        assert_int_equal(tot[k].status, SOCIND_OK);
        assert_true(tot[k].se > 0.0);
    }
    assert_close(tot[SOCIND_RH_FGT1].se, p1.se, 1e-9);
    for (int k = SOCIND_RH_WITHIN; k <= SOCIND_RH_INTERACTION; k++)
        assert_int_equal(tot[k].status, SOCIND_ERR_DATA);
    assert_int_equal(sec[3 * SOCIND_RH_SECTOR_COUNT + SOCIND_RH_SECTOR_FGT2].status,
                     SOCIND_ERR_DATA);
    assert_int_equal(sec[0 * SOCIND_RH_SECTOR_COUNT + SOCIND_RH_SECTOR_FGT1].status, SOCIND_OK);
    free(s2);
    free(s1);
}

/* sums of w·y beyond the double range: the means and the parts that
 * rescale by them are SOCIND_ERR_OVERFLOW, the FGTs stay */
static void test_overflow(void **state) {
    (void)state;
    double y1[4] = {1e306, 3e306, 1e305, 5e305}, y2[4] = {2e306, 3e306, 2e305, 6e305};
    double w[4] = {100, 100, 100, 100};
    socind_design *d1 = make_design(4, w, NULL, NULL), *d2 = make_design(4, w, NULL, NULL);
    socind_poverty_line L = abs_line(1e306);
    socind_estimate e[SOCIND_GR_COUNT];
    assert_int_equal(
        socind_growth_redistribution(d1, y1, NULL, d2, y2, NULL, 0, &L, NULL, 1.0, 1.0, NULL, e),
        SOCIND_OK);
    assert_int_equal(e[SOCIND_GR_MEAN1].status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(e[SOCIND_GR_MEAN2].status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(e[SOCIND_GR_DR_GROWTH].status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(e[SOCIND_GR_SHAPLEY_REDISTRIBUTION].status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(e[SOCIND_GR_FGT1].status, SOCIND_OK);
    assert_int_equal(e[SOCIND_GR_CHANGE].status, SOCIND_OK);
    socind_design_free(d1);
    socind_design_free(d2);
}

/* Every part of a with status OK and a's value and SE those of b (weights
 * of another scale: within rounding). */
static void same_parts(const socind_estimate *a, const socind_estimate *b, int count) {
    for (int k = 0; k < count; k++) {
        assert_int_equal(a[k].status, SOCIND_OK);
        assert_int_equal(b[k].status, SOCIND_OK);
        assert_close_abs(a[k].value, b[k].value, 1e-14, 1e-15);
        assert_close_abs(a[k].se, b[k].se, 1e-14, 1e-15);
    }
}

/* Weights whose sum leaves the doubles (every weight 1e307, 40 rows a
 * round): the rounds are taken at a weight scale of 2^−64 (exact), so at
 * α = 1 (no density) every estimate, value and SE, equals the one with
 * every weight 1 (up to the rounding of sums of weights 1e307·2^−64 in
 * place of 1: 1e−14, 1e−15 absolute for the differences near 0), both
 * decompositions, the sectors' parts too, and
 * weight_sum is +Inf. At α = 0 the density terms' bandwidth is convey's
 * σ̂/N̂^(1/5) of the weights as given: a round whose weights' sum leaves the
 * doubles only through a row without an income (weight 1.7e308) gives the
 * figures of the same round with that row's weight 1. */
static void test_weights_beyond_the_doubles(void **state) {
    (void)state;
    enum { N = 40 };
    double y1[N + 1], y2[N + 1], big[N], one[N], wa[N + 1], wb[N + 1];
    int64_t st[N + 1], psu[N + 1];
    int32_t sec1[N], sec2[N];
    for (size_t k = 0; k <= N; k++) {
        y1[k] = 0.3 + 0.05 * (double)((k * 7) % 31);
        y2[k] = 0.35 + 0.05 * (double)((k * 11) % 29);
        st[k] = (int64_t)(k % 2), psu[k] = (int64_t)(k % 8);
        wa[k] = wb[k] = 1e306;
        if (k == N) break;
        big[k] = 1e307, one[k] = 1.0;
        sec1[k] = (int32_t)(k % 3), sec2[k] = (int32_t)((k / 2) % 3);
    }
    socind_design *b1 = make_design(N, big, st, psu), *b2 = make_design(N, big, st, psu);
    socind_design *o1 = make_design(N, one, st, psu), *o2 = make_design(N, one, st, psu);
    socind_poverty_line L = abs_line(1.0);
    socind_estimate eb[SOCIND_GR_COUNT], eo[SOCIND_GR_COUNT];
    assert_int_equal(
        socind_growth_redistribution(b1, y1, NULL, b2, y2, NULL, 0, &L, NULL, 1.1, 1.0, NULL, eb),
        SOCIND_OK);
    assert_int_equal(
        socind_growth_redistribution(o1, y1, NULL, o2, y2, NULL, 0, &L, NULL, 1.1, 1.0, NULL, eo),
        SOCIND_OK);
    same_parts(eb, eo, SOCIND_GR_COUNT);
    for (int k = 0; k < SOCIND_GR_COUNT; k++)
        assert_true(isinf(eb[k].weight_sum) && eb[k].weight_sum > 0);
    socind_estimate tb[SOCIND_RH_COUNT], to[SOCIND_RH_COUNT];
    socind_estimate sb[3 * SOCIND_RH_SECTOR_COUNT], so[3 * SOCIND_RH_SECTOR_COUNT];
    assert_int_equal(socind_sectoral_decomposition(b1, y1, sec1, b2, y2, sec2, 3, &L, NULL, 1.1,
                                                   1.0, NULL, tb, sb),
                     SOCIND_OK);
    assert_int_equal(socind_sectoral_decomposition(o1, y1, sec1, o2, y2, sec2, 3, &L, NULL, 1.1,
                                                   1.0, NULL, to, so),
                     SOCIND_OK);
    same_parts(tb, to, SOCIND_RH_COUNT);
    for (int k = 0; k < SOCIND_RH_COUNT; k++) assert_true(isinf(tb[k].weight_sum));
    same_parts(sb, so, 3 * SOCIND_RH_SECTOR_COUNT);
    socind_design_free(b1), socind_design_free(b2), socind_design_free(o1), socind_design_free(o2);
    /* α = 0: the density terms */
    y1[N] = y2[N] = NAN;
    wa[N] = 1.7e308;
    wb[N] = 1.0;
    socind_design *a1 = make_design(N + 1, wa, st, psu), *a2 = make_design(N + 1, wa, st, psu);
    socind_design *c1 = make_design(N + 1, wb, st, psu), *c2 = make_design(N + 1, wb, st, psu);
    assert_int_equal(
        socind_growth_redistribution(a1, y1, NULL, a2, y2, NULL, 0, &L, NULL, 1.1, 0.0, NULL, eb),
        SOCIND_OK);
    assert_int_equal(
        socind_growth_redistribution(c1, y1, NULL, c2, y2, NULL, 0, &L, NULL, 1.1, 0.0, NULL, eo),
        SOCIND_OK);
    same_parts(eb, eo, SOCIND_GR_COUNT);
    socind_design_free(a1), socind_design_free(a2), socind_design_free(c1), socind_design_free(c2);
}

/* A price ratio so far from 1 that round 2's real mean μ2 = m2/r leaves
 * the normal doubles (z·r staying in them): the parts that rescale by the
 * means (Datt–Ravallion's and Shapley's) are NaN with SOCIND_ERR_OVERFLOW;
 * P1 keeps its figure. Where round 2's line z·r itself leaves them (r =
 * 1e308 with z = 3.5: +Inf, which read every row of round 2 as poor — at
 * α = 0 the redistribution part was 1 − P1, 0 at any ratio — and left P2
 * NaN with SOCIND_ERR_DATA at α = 1) the call is refused, SOCIND_ERR_RANGE,
 * in both decompositions. */
static void test_price_ratio_out_of_range(void **state) {
    (void)state;
    double y1[6] = {1, 2, 3, 4, 5, 6}, y2[6], w[6] = {1, 1, 1, 1, 1, 1};
    int32_t sec[6] = {0, 1, 0, 1, 0, 1};
    socind_design *d1 = make_design(6, w, NULL, NULL), *d2 = make_design(6, w, NULL, NULL);
    /* μ2 = 3.5e−10/1e308 (subnormal) with z·r = 1e8; μ2 = 3.5e10/1e−300
       (+Inf) with z·r = 1 */
    const double lines[2] = {1e-300, 1e300}, ratios[2] = {1e308, 1e-300}, scale[2] = {1e-10, 1e10};
    for (int i = 0; i < 2; i++) {
        socind_poverty_line L = abs_line(lines[i]);
        for (int k = 0; k < 6; k++) y2[k] = y1[k] * scale[i];
        socind_estimate e[SOCIND_GR_COUNT];
        assert_int_equal(socind_growth_redistribution(d1, y1, NULL, d2, y2, NULL, 0, &L, NULL,
                                                      ratios[i], 1.0, NULL, e),
                         SOCIND_OK);
        const int parts[5] = {SOCIND_GR_DR_GROWTH, SOCIND_GR_DR_REDISTRIBUTION,
                              SOCIND_GR_DR_RESIDUAL, SOCIND_GR_SHAPLEY_GROWTH,
                              SOCIND_GR_SHAPLEY_REDISTRIBUTION};
        for (int k = 0; k < 5; k++) {
            assert_true(isnan(e[parts[k]].value));
            assert_int_equal(e[parts[k]].status, SOCIND_ERR_OVERFLOW);
        }
        assert_int_equal(e[SOCIND_GR_FGT1].status, SOCIND_OK);
        assert_close(e[SOCIND_GR_FGT1].value, i ? 1.0 - 3.5 / 1e300 : 0.0, 1e-15);
    }
    /* z·r beyond the doubles (+Inf, subnormal, 0): refused in both */
    socind_poverty_line L = abs_line(3.5);
    const double far[3] = {1e308, 1e-320, 1e-310};
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 6; k++) y2[k] = y1[k];
        socind_estimate e[SOCIND_GR_COUNT];
        assert_int_equal(socind_growth_redistribution(d1, y1, NULL, d2, y2, NULL, 0, &L, NULL,
                                                      far[i], 1.0, NULL, e),
                         SOCIND_ERR_RANGE);
        assert_non_null(strstr(socind_last_error_detail(), "times the price ratio"));
        assert_true(isnan(e[SOCIND_GR_FGT2].value));
        socind_estimate t[SOCIND_RH_COUNT];
        assert_int_equal(socind_sectoral_decomposition(d1, y1, sec, d2, y2, sec, 2, &L, NULL,
                                                       far[i], 0.0, NULL, t, NULL),
                         SOCIND_ERR_RANGE);
    }
    socind_design_free(d1);
    socind_design_free(d2);
}

/* Incomes multiplied by 2^k (exact) multiply the means and their SEs by
 * 2^k and leave every other part as it is, while the PSU totals of the
 * means' linearized variables stay above 2^−969: the means' SEs were NaN
 * with SOCIND_ERR_DATA at 2^540 (the squares of the totals beyond the
 * doubles) and lost digits at 2^−540 (below them). Incomes near 1e−300,
 * whose totals lie below 2^−969, give the means' SEs SOCIND_ERR_OVERFLOW
 * (they were 0 with SOCIND_OK). */
static void test_mean_se_scale(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    socind_estimate base[2 * SOCIND_GR_COUNT], e[2 * SOCIND_GR_COUNT];
    socind_poverty_line L = line_of(x, 0);
    assert_int_equal(socind_growth_redistribution(x->d1, f->y, x->urban1, x->d2, x->y2, x->urban2,
                                                  2, &L, NULL, RATIO, 1.0, NULL, base),
                     SOCIND_OK);
    double *y1 = malloc(f->n * sizeof *y1), *y2 = malloc(x->n2 * sizeof *y2);
    const int ks[3] = {540, -540, -1000};
    for (int t = 0; t < 3; t++) {
        const int k = ks[t];
        for (size_t i = 0; i < f->n; i++) y1[i] = ldexp(f->y[i], k);
        for (size_t i = 0; i < x->n2; i++) y2[i] = ldexp(x->y2[i], k);
        socind_poverty_line Ls = abs_line(ldexp(L.value, k));
        assert_int_equal(socind_growth_redistribution(x->d1, y1, x->urban1, x->d2, y2, x->urban2, 2,
                                                      &Ls, NULL, RATIO, 1.0, NULL, e),
                         SOCIND_OK);
        for (int g = 0; g < 2; g++)
            for (int j = 0; j < SOCIND_GR_COUNT; j++) {
                const socind_estimate *b = &base[g * SOCIND_GR_COUNT + j],
                                      *s = &e[g * SOCIND_GR_COUNT + j];
                const int mean = j == SOCIND_GR_MEAN1 || j == SOCIND_GR_MEAN2;
                assert_int_equal(b->status, SOCIND_OK);
                if (mean) {
                    assert_close(s->value, ldexp(b->value, k), 1e-15);
                    if (k == -1000) {
                        assert_int_equal(s->status, SOCIND_ERR_OVERFLOW);
                        assert_true(isnan(s->se));
                    } else {
                        assert_int_equal(s->status, SOCIND_OK);
                        assert_close(s->se, ldexp(b->se, k), 1e-12);
                    }
                } else {
                    assert_int_equal(s->status, SOCIND_OK);
                    assert_close_abs(s->value, b->value, 1e-12, 1e-15);
                    assert_close(s->se, b->se, 1e-9);
                }
            }
    }
    free(y1);
    free(y2);
}

/* The rows, weight and df of a domain with rows in round r only: the other
 * round's own parts (its P and μ) count that round's rows alone, none
 * (n 0, weight 0), and the df of the rounds their SE would read (P2's
 * against a relative line, estimated on round 1, both; μ2's round 2's);
 * every part reading both rounds counts round r's rows and both rounds'
 * df. */
static void check_one_round_meta(const socind_estimate *e, int r, double df1, double df2,
                                 int relative) {
    const int own = r == 1 ? SOCIND_GR_FGT1 : SOCIND_GR_FGT2;
    const int other_fgt = r == 1 ? SOCIND_GR_FGT2 : SOCIND_GR_FGT1;
    const int other_mean = r == 1 ? SOCIND_GR_MEAN2 : SOCIND_GR_MEAN1;
    assert_true(e[own].n > 0 && e[own].weight_sum > 0.0);
    for (int k = 0; k < SOCIND_GR_COUNT; k++) {
        if (k == other_fgt || k == other_mean) {
            assert_int_equal(e[k].n, 0);
            assert_true(e[k].weight_sum == 0.0);
            const double want = r == 2 ? df1 : k == SOCIND_GR_FGT2 && relative ? df1 + df2 : df2;
            assert_true(e[k].df == want);
        } else if (e[k].status != SOCIND_OK) {
            assert_int_equal(e[k].n, e[own].n);
            assert_true(e[k].weight_sum == e[own].weight_sum);
            assert_true(e[k].df == df1 + df2);
        }
    }
}

/* a domain with rows in round 1 only keeps round 1's own figures (P1, μ1,
 * as the domain's alone), the rest is SOCIND_ERR_EMPTY_DOMAIN */
static void test_gr_one_round_domain(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    socind_poverty_line L = line_of(x, 2);
    int32_t *g2 = malloc(x->n2 * sizeof *g2);
    for (size_t k = 0; k < x->n2; k++) g2[k] = x->urban2[k] == 1 ? -1 : 0;
    socind_estimate e[2 * SOCIND_GR_COUNT], all[2 * SOCIND_GR_COUNT];
    assert_int_equal(socind_growth_redistribution(x->d1, f->y, x->urban1, x->d2, x->y2, g2, 2, &L,
                                                  NULL, RATIO, 1.0, NULL, e),
                     SOCIND_OK);
    assert_int_equal(socind_growth_redistribution(x->d1, f->y, x->urban1, x->d2, x->y2, x->urban2,
                                                  2, &L, NULL, RATIO, 1.0, NULL, all),
                     SOCIND_OK);
    const socind_estimate *e1 = e + SOCIND_GR_COUNT, *a1 = all + SOCIND_GR_COUNT;
    for (int k = 0; k < SOCIND_GR_COUNT; k++) {
        if (k == SOCIND_GR_FGT1 || k == SOCIND_GR_MEAN1) {
            assert_int_equal(e1[k].status, SOCIND_OK);
            assert_close(e1[k].value, a1[k].value, 1e-15);
            assert_close(e1[k].se, a1[k].se, 1e-12);
        } else {
            assert_int_equal(e1[k].status, SOCIND_ERR_EMPTY_DOMAIN);
            assert_true(isnan(e1[k].value));
        }
    }
    const double df1 = socind_design_df(x->d1), df2 = socind_design_df(x->d2);
    check_one_round_meta(e1, 1, df1, df2, 1);
    /* and round 2 only: P2 and μ2 */
    int32_t *g1 = malloc(f->n * sizeof *g1);
    for (size_t k = 0; k < f->n; k++) g1[k] = x->urban1[k] == 1 ? -1 : 0;
    assert_int_equal(socind_growth_redistribution(x->d1, f->y, g1, x->d2, x->y2, x->urban2, 2, &L,
                                                  NULL, RATIO, 1.0, NULL, e),
                     SOCIND_OK);
    for (int k = 0; k < SOCIND_GR_COUNT; k++) {
        if (k == SOCIND_GR_FGT2 || k == SOCIND_GR_MEAN2) {
            assert_int_equal(e1[k].status, SOCIND_OK);
            assert_close(e1[k].value, a1[k].value, 1e-15);
            assert_close(e1[k].se, a1[k].se, 1e-12);
        } else {
            assert_int_equal(e1[k].status, SOCIND_ERR_EMPTY_DOMAIN);
        }
    }
    check_one_round_meta(e1, 2, df1, df2, 1);
    /* against a fixed line P2 reads round 2 alone */
    socind_poverty_line A = line_of(x, 0);
    assert_int_equal(socind_growth_redistribution(x->d1, f->y, x->urban1, x->d2, x->y2, g2, 2, &A,
                                                  NULL, RATIO, 1.0, NULL, e),
                     SOCIND_OK);
    check_one_round_meta(e1, 1, df1, df2, 0);
    free(g1), free(g2);
}

/* per-row lines of round 2 that rose in real terms (5 %): the Datt–Ravallion
 * growth part reads round 1's lines only and does not move; the change of
 * the line lands in P2, ΔP, the redistribution parts, the residual and the
 * Shapley growth (whose second order reads round 2's lines) — as change.h
 * says; the difference of the two P2 is the line's change */
static void test_line_change_lands(void **state) {
    fixture *x = *state;
    socind_poverty_line L = line_of(x, 1);
    double *up = malloc(x->n2 * sizeof *up);
    for (size_t k = 0; k < x->n2; k++) up[k] = x->line2[k] * 1.05;
    socind_estimate a[SOCIND_GR_COUNT], b[SOCIND_GR_COUNT];
    assert_int_equal(socind_growth_redistribution(x->d1, x->f->y, NULL, x->d2, x->y2, NULL, 0, &L,
                                                  x->line2, RATIO, 1.0, NULL, a),
                     SOCIND_OK);
    assert_int_equal(socind_growth_redistribution(x->d1, x->f->y, NULL, x->d2, x->y2, NULL, 0, &L,
                                                  up, RATIO, 1.0, NULL, b),
                     SOCIND_OK);
    assert_true(a[SOCIND_GR_DR_GROWTH].value == b[SOCIND_GR_DR_GROWTH].value);
    assert_true(a[SOCIND_GR_FGT1].value == b[SOCIND_GR_FGT1].value);
    assert_true(b[SOCIND_GR_FGT2].value > a[SOCIND_GR_FGT2].value);
    assert_true(b[SOCIND_GR_DR_REDISTRIBUTION].value != a[SOCIND_GR_DR_REDISTRIBUTION].value);
    assert_true(b[SOCIND_GR_DR_RESIDUAL].value != a[SOCIND_GR_DR_RESIDUAL].value);
    assert_true(b[SOCIND_GR_SHAPLEY_GROWTH].value != a[SOCIND_GR_SHAPLEY_GROWTH].value);
    free(up);
}

/* ---- bad input ---- */
static void expect_gr(int32_t want, const socind_design *d1, const double *y1, const int32_t *g1,
                      const socind_design *d2, const double *y2, const int32_t *g2, int32_t ng,
                      const socind_poverty_line *L, const double *l2, double r, double a) {
    socind_estimate e[4 * SOCIND_GR_COUNT];
    assert_int_equal(socind_growth_redistribution(d1, y1, g1, d2, y2, g2, ng, L, l2, r, a, NULL, e),
                     want);
    for (int k = 0; k < SOCIND_GR_COUNT; k++) {
        assert_int_equal(e[k].status, want);
        assert_true(isnan(e[k].value) && isnan(e[k].se));
    }
}

static void test_bad_input(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    const double *y1 = f->y, *y2 = x->y2;
    socind_poverty_line L = abs_line(650000.0), P = line_of(x, 1), bad = L;
    assert_int_equal(socind_growth_redistribution(x->d1, y1, NULL, x->d2, y2, NULL, 0, &L, NULL,
                                                  RATIO, 0, NULL, NULL),
                     SOCIND_ERR_NULL);
    expect_gr(SOCIND_ERR_NULL, NULL, y1, NULL, x->d2, y2, NULL, 0, &L, NULL, RATIO, 0);
    expect_gr(SOCIND_ERR_NULL, x->d1, NULL, NULL, x->d2, y2, NULL, 0, &L, NULL, RATIO, 0);
    expect_gr(SOCIND_ERR_NULL, x->d1, y1, NULL, NULL, y2, NULL, 0, &L, NULL, RATIO, 0);
    expect_gr(SOCIND_ERR_NULL, x->d1, y1, NULL, x->d2, NULL, NULL, 0, &L, NULL, RATIO, 0);
    expect_gr(SOCIND_ERR_NULL, x->d1, y1, NULL, x->d2, y2, NULL, 0, NULL, NULL, RATIO, 0);
    /* price ratios and α */
    const double ratios[4] = {0.0, -1.0, NAN, INFINITY};
    for (int i = 0; i < 4; i++)
        expect_gr(SOCIND_ERR_ARG, x->d1, y1, NULL, x->d2, y2, NULL, 0, &L, NULL, ratios[i], 0);
    expect_gr(SOCIND_ERR_ARG, x->d1, y1, NULL, x->d2, y2, NULL, 0, &L, NULL, RATIO, -1);
    expect_gr(SOCIND_ERR_ARG, x->d1, y1, NULL, x->d2, y2, NULL, 0, &L, NULL, RATIO, NAN);
    /* lines: unknown type, a line <= 0, per-row without round 2's lines,
       round 2's line <= 0 (named row), an unset size */
    bad.type = 99;
    expect_gr(SOCIND_ERR_ARG, x->d1, y1, NULL, x->d2, y2, NULL, 0, &bad, NULL, RATIO, 0);
    bad = abs_line(-5.0);
    expect_gr(SOCIND_ERR_ARG, x->d1, y1, NULL, x->d2, y2, NULL, 0, &bad, NULL, RATIO, 0);
    expect_gr(SOCIND_ERR_ARG, x->d1, y1, NULL, x->d2, y2, NULL, 0, &P, NULL, RATIO, 0);
    double *l2 = malloc(x->n2 * sizeof *l2);
    memcpy(l2, x->line2, x->n2 * sizeof *l2);
    l2[7] = 0.0;
    expect_gr(SOCIND_ERR_DATA, x->d1, y1, NULL, x->d2, y2, NULL, 0, &P, l2, RATIO, 0);
    assert_int_equal(socind_last_error_row(), 7);
    free(l2);
    bad = L;
    bad.size = 0;
    expect_gr(SOCIND_ERR_OPTIONS, x->d1, y1, NULL, x->d2, y2, NULL, 0, &bad, NULL, RATIO, 0);
    /* groups: one side only, codes out of range, n_groups < 1 */
    expect_gr(SOCIND_ERR_ARG, x->d1, y1, x->urban1, x->d2, y2, NULL, 2, &L, NULL, RATIO, 0);
    expect_gr(SOCIND_ERR_GROUP, x->d1, y1, x->urban1, x->d2, y2, x->urban2, 1, &L, NULL, RATIO, 0);
    expect_gr(SOCIND_ERR_ARG, x->d1, y1, x->urban1, x->d2, y2, x->urban2, 0, &L, NULL, RATIO, 0);
    /* ±Inf incomes (the row named), every income missing */
    double *yb = malloc(x->n2 * sizeof *yb);
    memcpy(yb, y2, x->n2 * sizeof *yb);
    yb[11] = INFINITY;
    expect_gr(SOCIND_ERR_DATA, x->d1, y1, NULL, x->d2, yb, NULL, 0, &L, NULL, RATIO, 0);
    assert_int_equal(socind_last_error_row(), 11);
    for (size_t k = 0; k < x->n2; k++) yb[k] = NAN;
    expect_gr(SOCIND_ERR_EMPTY, x->d1, y1, NULL, x->d2, yb, NULL, 0, &L, NULL, RATIO, 0);
    free(yb);
    /* bad options */
    socind_options o;
    socind_options_init(&o);
    o.level = 2.0;
    socind_estimate e[SOCIND_GR_COUNT];
    assert_int_equal(socind_growth_redistribution(x->d1, y1, NULL, x->d2, y2, NULL, 0, &L, NULL,
                                                  RATIO, 0, &o, e),
                     SOCIND_ERR_ARG);
    /* Ravallion–Huppi's own */
    socind_estimate tot[SOCIND_RH_COUNT], sec[NSEC * SOCIND_RH_SECTOR_COUNT];
    assert_int_equal(socind_sectoral_decomposition(x->d1, y1, NULL, x->d2, y2, x->sec2, NSEC, &L,
                                                   NULL, RATIO, 0, NULL, tot, sec),
                     SOCIND_ERR_NULL);
    assert_int_equal(tot[0].status, SOCIND_ERR_NULL);
    assert_int_equal(socind_sectoral_decomposition(x->d1, y1, x->sec1, x->d2, y2, x->sec2, 0, &L,
                                                   NULL, RATIO, 0, NULL, tot, NULL),
                     SOCIND_ERR_ARG);
    assert_int_equal(socind_sectoral_decomposition(x->d1, y1, x->sec1, x->d2, y2, x->sec2, 2, &L,
                                                   NULL, RATIO, 0, NULL, tot, sec),
                     SOCIND_ERR_GROUP);
    assert_true(isnan(tot[SOCIND_RH_CHANGE].value) && isnan(sec[0].value));
    assert_int_equal(socind_sectoral_decomposition(x->d1, y1, x->sec1, x->d2, y2, x->sec2, NSEC, &L,
                                                   NULL, -2.0, 0, NULL, tot, sec),
                     SOCIND_ERR_ARG);
    assert_int_equal(socind_sectoral_decomposition(x->d1, y1, x->sec1, x->d2, y2, x->sec2, NSEC, &L,
                                                   NULL, RATIO, 0, NULL, NULL, sec),
                     SOCIND_ERR_NULL);
    /* every row outside the sectors */
    int32_t *none = malloc(f->n * sizeof *none);
    for (size_t k = 0; k < f->n; k++) none[k] = -1;
    assert_int_equal(socind_sectoral_decomposition(x->d1, y1, none, x->d2, y2, x->sec2, NSEC, &L,
                                                   NULL, RATIO, 0, NULL, tot, sec),
                     SOCIND_ERR_EMPTY);
    free(none);
}

/* a domain whose mean income is <= 0: the parts that rescale by it are
 * SOCIND_ERR_DATA, the FGTs stay */
static void test_nonpositive_mean(void **state) {
    fixture *x = *state;
    double y1[6] = {-5, -3, 1, 2, -1, -4}, y2[6] = {3, 4, 5, 6, 7, 8}, w[6] = {1, 1, 1, 1, 1, 1};
    socind_design *d1 = make_design(6, w, NULL, NULL), *d2 = make_design(6, w, NULL, NULL);
    socind_poverty_line L = abs_line(4.0);
    socind_estimate e[SOCIND_GR_COUNT];
    assert_int_equal(
        socind_growth_redistribution(d1, y1, NULL, d2, y2, NULL, 0, &L, NULL, 1.0, 1.0, NULL, e),
        SOCIND_OK);
    assert_int_equal(e[SOCIND_GR_FGT1].status, SOCIND_OK);
    assert_int_equal(e[SOCIND_GR_CHANGE].status, SOCIND_OK);
    assert_int_equal(e[SOCIND_GR_DR_GROWTH].status, SOCIND_ERR_DATA);
    assert_int_equal(e[SOCIND_GR_SHAPLEY_REDISTRIBUTION].status, SOCIND_ERR_DATA);
    /* the means themselves keep their figures and SEs */
    assert_int_equal(e[SOCIND_GR_MEAN1].status, SOCIND_OK);
    assert_close(e[SOCIND_GR_MEAN1].value, -10.0 / 6.0, 1e-15);
    double sd = 0.0; /* SRS with replacement: sqrt(Σ (y − ȳ)² / (n (n − 1))) */
    for (int k = 0; k < 6; k++) sd += (y1[k] + 10.0 / 6.0) * (y1[k] + 10.0 / 6.0);
    assert_close(e[SOCIND_GR_MEAN1].se, sqrt(sd / 30.0), 1e-13);
    socind_design_free(d1);
    socind_design_free(d2);
    (void)x;
}

/* missing incomes leave the estimate, not the design; a replicate design is
 * refused; lonely PSUs under AVERAGE with every stratum lonely give the
 * per-estimate status */
static void test_missing_lonely_replicate(void **state) {
    fixture *x = *state;
    const households *f = x->f;
    double *y1 = malloc(f->n * sizeof *y1);
    for (size_t k = 0; k < f->n; k++) y1[k] = k % 11 == 4 ? NAN : f->y[k];
    socind_poverty_line L = abs_line(650000.0);
    socind_estimate e[SOCIND_GR_COUNT], p1;
    assert_int_equal(socind_growth_redistribution(x->d1, y1, NULL, x->d2, x->y2, NULL, 0, &L, NULL,
                                                  RATIO, 1.0, NULL, e),
                     SOCIND_OK);
    fgt_of(x->d1, y1, &L, 1.0, &p1);
    assert_close(e[SOCIND_GR_FGT1].value, p1.value, 1e-12);
    assert_close(e[SOCIND_GR_FGT1].se, p1.se, 1e-9);
    assert_int_equal(e[SOCIND_GR_FGT1].n, p1.n);
    free(y1);
    /* replicate weights: the decompositions linearize */
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.type = SOCIND_REP_BOOTSTRAP;
    ro.replicates = 5;
    socind_design *rep = NULL;
    assert_int_equal(socind_design_replicate_make(x->d1, &ro, &rep), SOCIND_OK);
    assert_int_equal(socind_growth_redistribution(rep, f->y, NULL, x->d2, x->y2, NULL, 0, &L, NULL,
                                                  RATIO, 1.0, NULL, e),
                     SOCIND_ERR_ARG);
    socind_design_free(rep);
    /* every stratum lonely under AVERAGE */
    double y[4] = {1, 5, 2, 8}, w[4] = {1, 1, 1, 1};
    int64_t st[4] = {1, 2, 3, 4};
    socind_design_options dopt;
    socind_design_options_init(&dopt);
    dopt.lonely_psu = SOCIND_LONELY_AVERAGE;
    socind_design *dl = NULL;
    assert_int_equal(socind_design_new(4, w, st, NULL, NULL, &dopt, &dl), SOCIND_OK);
    socind_poverty_line L4 = abs_line(4.0);
    assert_int_equal(
        socind_growth_redistribution(dl, y, NULL, dl, y, NULL, 0, &L4, NULL, 1.0, 1.0, NULL, e),
        SOCIND_OK);
    assert_int_equal(e[SOCIND_GR_FGT1].status, SOCIND_ERR_LONELY_PSU);
    assert_true(isnan(e[SOCIND_GR_FGT1].se) && e[SOCIND_GR_FGT1].value == 0.3125);
    socind_design_free(dl);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gr_point),
        cmocka_unit_test(test_gr_domains),
        cmocka_unit_test(test_gr_numeric_se),
        cmocka_unit_test(test_rh_point),
        cmocka_unit_test(test_rh_numeric_se),
        cmocka_unit_test(test_rh_numeric_se_p0),
        cmocka_unit_test(test_rh_empty_sector),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_nonpositive_mean),
        cmocka_unit_test(test_missing_lonely_replicate),
        cmocka_unit_test(test_rh_lone_sector),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_weights_beyond_the_doubles),
        cmocka_unit_test(test_price_ratio_out_of_range),
        cmocka_unit_test(test_mean_se_scale),
        cmocka_unit_test(test_gr_one_round_domain),
        cmocka_unit_test(test_line_change_lands),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
