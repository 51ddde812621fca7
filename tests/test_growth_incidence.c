/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_growth_incidence.c — the growth incidence curve
 * (socind_growth_incidence): point estimates against slow computations
 * through socind_quantile, socind_mean, socind_lorenz and socind_fgt; the
 * zero-growth identity; every SE against numerical derivatives in each
 * PSU's weights; edge cases and bad inputs.
 *
 * Rounds: round 1 is the poverty reference sample (tests/reference/poverty,
 * its stratified two-stage "wr" design); round 2 a transformed copy —
 * incomes 1.1·y·(1 + 0.15·sin k) + 60,000 (growth that re-ranks and favours
 * the bottom) and weights multiplied by a factor per PSU — built as a
 * design of its own: the two rounds are independent samples.
 *
 * Numerical-derivative SEs. For PSU i of round t, all its rows' weights are
 * multiplied by (1 ± ε), ε = 1e−5, and z_i = (θ(+ε) − θ(−ε))/(2ε); the SE
 * is √(Σ_t Σ_h n_h/(n_h − 1) Σ_i (z_hi − z̄_h)²), the with-replacement
 * formula of design.h summed over the two rounds.
 *  - Smooth estimates — the growth rate in the mean, H1 at an absolute line
 *    and the growth rate in the mean of the poorest H1 (Lorenz ordinates
 *    with the straddling row counted fractionally are continuous and
 *    piecewise smooth in the weights; H1 at a fixed line is a ratio of
 *    weight sums) — are recomputed by the library with perturbed weights.
 *    The central difference's error is O(ε²) relative plus rounding
 *    ~1e−16/ε: tolerance 1e−6.
 *  - Quantiles are step functions of the weights (their derivative is 0
 *    or undefined), so no finite difference of the library's Q̂ gives an SE.
 *    The sample quantile solves the estimating equation ψ(Q, w) = Σ w
 *    (1[y <= Q] − p) = 0 (to within one row); by the implicit-function
 *    theorem dQ/dε = −(∂ψ/∂ε)/(∂ψ/∂Q). The test takes ∂ψ/∂ε by the same
 *    central difference at the fixed Q̂ (ψ is linear in the weights: exact
 *    to rounding) and ∂ψ/∂Q = N̂·f̂(Q̂) from its own slow kernel density
 *    (every row, convey's bandwidth σ̂/N̂^(1/5)), then composes g(p) and the
 *    pro-poor rate's mean of g(p_k) by the chain rule. This checks the
 *    library's per-row values, PSU sums, the two rounds' variances and the
 *    composition; the density itself is checked against the slow one.
 *  - H1 at an estimated (relative) line has FGT0's density term, which no
 *    weight perturbation of a step function reproduces: its SE is checked
 *    against socind_fgt's instead. */
#include "households.h"

#include "alloc_fail.h"

#define EPS 1e-5

typedef struct {
    households *f;
    double *y2, *w2;
    socind_design *d2;
} rounds;

static int setup(void **state) {
    households *f;
    if (households_setup((void **)&f)) return -1;
    rounds *r = calloc(1, sizeof *r);
    r->f = f;
    r->y2 = malloc(f->n * sizeof *r->y2);
    r->w2 = malloc(f->n * sizeof *r->w2);
    for (size_t k = 0; k < f->n; k++) {
        r->y2[k] = 1.1 * f->y[k] * (1.0 + 0.15 * sin((double)k)) + 60000.0;
        r->w2[k] = f->w[k] * (0.8 + 0.4 * (double)(f->psu[k] % 7) / 6.0);
    }
    if (socind_design_new(f->n, r->w2, f->stratum, f->psu, NULL, NULL, &r->d2)) return -1;
    *state = r;
    return 0;
}

static int teardown(void **state) {
    rounds *r = *state;
    socind_design_free(r->d2);
    free(r->y2), free(r->w2);
    households_teardown((void **)&r->f);
    free(r);
    return 0;
}

static socind_poverty_line abs_line(double z) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = z;
    return L;
}

#define LINE 600000.0
#define RATIO 1.07

/* ---- point estimates against slow computations ---- */

static void test_point_estimates(void **state) {
    rounds *r = *state;
    households *f = r->f;
    socind_poverty_line L = abs_line(LINE);
    socind_estimate curve[SOCIND_GIC_DEFAULT_POINTS], s[SOCIND_GIC_COUNT], e, e2;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, NULL,
                                             0, &L, NULL, curve, s),
                     SOCIND_OK);
    const double df = socind_design_df(f->wr) + socind_design_df(r->d2);
    double g[SOCIND_GIC_DEFAULT_POINTS];
    for (int k = 0; k < SOCIND_GIC_DEFAULT_POINTS; k++) {
        double p = (k + 1) / 100.0;
        assert_int_equal(socind_quantile(f->wr, f->y, p, NULL, 0, NULL, &e), SOCIND_OK);
        assert_int_equal(socind_quantile(r->d2, r->y2, p, NULL, 0, NULL, &e2), SOCIND_OK);
        g[k] = e2.value / (RATIO * e.value) - 1.0;
        assert_int_equal(curve[k].status, SOCIND_OK);
        assert_close(curve[k].value, g[k], 1e-15);
        assert_close(curve[k].df, df, 0);
        assert_true(curve[k].se > 0.0);
        assert_int_equal(curve[k].n, (int64_t)(2 * f->n));
        /* symmetric t interval */
        assert_close(curve[k].ci_high - curve[k].value, curve[k].value - curve[k].ci_low, 1e-12);
    }
    /* the mean */
    assert_int_equal(socind_mean(f->wr, f->y, NULL, 0, NULL, &e), SOCIND_OK);
    assert_int_equal(socind_mean(r->d2, r->y2, NULL, 0, NULL, &e2), SOCIND_OK);
    assert_close(s[SOCIND_GIC_MEAN].value, e2.value / (RATIO * e.value) - 1.0, 1e-14);
    /* H1 = socind_fgt's FGT0, value, SE and interval */
    assert_int_equal(socind_fgt(f->wr, f->y, &L, 0.0, NULL, 0, NULL, &e), SOCIND_OK);
    const double H = e.value;
    assert_close(s[SOCIND_GIC_HEADCOUNT].value, H, 1e-15);
    assert_close(s[SOCIND_GIC_HEADCOUNT].se, e.se, 1e-12);
    assert_close(s[SOCIND_GIC_HEADCOUNT].ci_low, e.ci_low, 1e-12);
    assert_close(s[SOCIND_GIC_HEADCOUNT].ci_high, e.ci_high, 1e-12);
    assert_true(H > 0.05 && H < 0.5);
    /* the mean of the poor: round 1's poor (socind_mean over them), round
       2's poorest H1 (μ2·L2(H1)/H1 through socind_lorenz) */
    int32_t *poor = malloc(f->n * sizeof *poor);
    for (size_t k = 0; k < f->n; k++) poor[k] = f->y[k] < LINE ? 0 : -1;
    assert_int_equal(socind_mean(f->wr, f->y, poor, 1, NULL, &e), SOCIND_OK);
    const double M1 = e.value;
    assert_int_equal(socind_mean(r->d2, r->y2, NULL, 0, NULL, &e2), SOCIND_OK);
    socind_estimate lz;
    assert_int_equal(socind_lorenz(r->d2, r->y2, H, NULL, 0, NULL, &lz), SOCIND_OK);
    const double M2 = e2.value * lz.value / H;
    assert_close(s[SOCIND_GIC_MEAN_POOR].value, M2 / (RATIO * M1) - 1.0, 1e-12);
    free(poor);
    /* the rate of pro-poor growth: the mean of g(k/100) for k/100 <= H1 */
    int K = 0;
    double sum = 0.0;
    while (K < 99 && (K + 1) / 100.0 <= H) sum += g[K++];
    assert_true(K >= 1);
    assert_close(s[SOCIND_GIC_PRO_POOR].value, sum / K, 1e-14);
    for (int k = 0; k < SOCIND_GIC_COUNT; k++) {
        assert_int_equal(s[k].status, SOCIND_OK);
        assert_true(s[k].se > 0.0);
    }
    /* the caller's percentiles, in any order, give the same points */
    const double p[3] = {0.5, 0.1, 0.9};
    socind_estimate c3[3], s3[SOCIND_GIC_COUNT];
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 3,
                                             &L, NULL, c3, s3),
                     SOCIND_OK);
    assert_close(c3[0].value, curve[49].value, 0);
    assert_close(c3[0].se, curve[49].se, 0);
    assert_close(c3[1].value, curve[9].value, 0);
    assert_close(c3[2].value, curve[89].value, 0);
    for (int k = 0; k < SOCIND_GIC_COUNT; k++) assert_close(s3[k].value, s[k].value, 0);
    /* the normal interval */
    socind_options o;
    socind_options_init(&o);
    o.ci_dist = SOCIND_CI_NORMAL;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 3,
                                             &L, &o, c3, s3),
                     SOCIND_OK);
    assert_close(c3[0].ci_high, c3[0].value + 1.959963984540054 * c3[0].se, 1e-12);
}

/* ---- identities ---- */

static void test_zero_growth(void **state) {
    rounds *r = *state;
    households *f = r->f;
    const double ratio = 1.37;
    double *y2 = malloc(f->n * sizeof *y2);
    for (size_t k = 0; k < f->n; k++) y2[k] = ratio * f->y[k];
    socind_poverty_line L = abs_line(LINE);
    socind_estimate curve[SOCIND_GIC_DEFAULT_POINTS], s[SOCIND_GIC_COUNT];
    /* round 2 = round 1 × r, the same design: g ≡ 0 */
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, f->wr, y2, NULL, 0, ratio, NULL, 0,
                                             &L, NULL, curve, s),
                     SOCIND_OK);
    for (int k = 0; k < SOCIND_GIC_DEFAULT_POINTS; k++) {
        assert_int_equal(curve[k].status, SOCIND_OK);
        assert_true(fabs(curve[k].value) <= 4e-16);
        /* two independent rounds of the same design and relative spread: u
           of round 2 is r·u_Q/(r·Q) and of round 1 −u_Q/Q, so the SE is √2
           × one round's SE of Q̂/Q (the linearized quantile's,
           socind_quantile_linearized); to rounding (the bandwidth of r·y) */
        socind_estimate q;
        assert_int_equal(
            socind_quantile_linearized(f->wr, f->y, (k + 1) / 100.0, NULL, 0, NULL, &q), SOCIND_OK);
        assert_true(q.se > 0.0);
        assert_close(curve[k].se, sqrt(2.0) * q.se / q.value, 1e-12);
    }
    assert_true(fabs(s[SOCIND_GIC_MEAN].value) <= 1e-14); /* sums of r·y vs r·Σ y */
    assert_true(fabs(s[SOCIND_GIC_MEAN_POOR].value) <= 1e-14);
    assert_true(fabs(s[SOCIND_GIC_PRO_POOR].value) <= 1e-15);
    /* a price ratio of 1 and the same incomes: g = 0 exactly */
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, f->wr, f->y, NULL, 0, 1.0, NULL, 0,
                                             &L, NULL, curve, s),
                     SOCIND_OK);
    for (int k = 0; k < SOCIND_GIC_DEFAULT_POINTS; k++) assert_true(curve[k].value == 0.0);
    assert_true(s[SOCIND_GIC_PRO_POOR].value == 0.0);
    /* uniform growth by a factor c (the same design): g ≡ c − 1, and every
       summary too */
    for (size_t k = 0; k < f->n; k++) y2[k] = 1.25 * f->y[k];
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, f->wr, y2, NULL, 0, 1.0, NULL, 0,
                                             &L, NULL, curve, s),
                     SOCIND_OK);
    for (int k = 0; k < SOCIND_GIC_DEFAULT_POINTS; k++) assert_close(curve[k].value, 0.25, 1e-15);
    assert_close(s[SOCIND_GIC_PRO_POOR].value, 0.25, 1e-15);
    /* sums of 1.25·y against 1.25 × the sum: a few ulps of 1 + g */
    assert_close(s[SOCIND_GIC_MEAN].value, 0.25, 1e-13);
    assert_close(s[SOCIND_GIC_MEAN_POOR].value, 0.25, 1e-13);
    free(y2);
}

/* ---- SEs against numerical derivatives ---- */

/* Σ_h n_h/(n_h − 1) Σ_i (z_hi − z̄_h)² over the PSUs of the reference
 * design (z by PSU index in psu_ids order). */
typedef struct {
    size_t npsu;
    int64_t ids[512], stratum[512];
} psus;

static void psus_of(const households *f, psus *P) {
    P->npsu = 0;
    for (size_t k = 0; k < f->n; k++) {
        size_t i;
        for (i = 0; i < P->npsu; i++)
            if (P->ids[i] == f->psu[k]) break;
        if (i == P->npsu) {
            P->ids[i] = f->psu[k];
            P->stratum[i] = f->stratum[k];
            P->npsu++;
        }
    }
}

static double wr_variance(const psus *P, const double *z) {
    double V = 0.0;
    for (size_t a = 0; a < P->npsu; a++) {
        /* the first PSU of each stratum sums that stratum */
        size_t b;
        for (b = 0; b < a; b++)
            if (P->stratum[b] == P->stratum[a]) break;
        if (b < a) continue;
        double m = 0.0, q = 0.0;
        int nh = 0;
        for (size_t c = 0; c < P->npsu; c++)
            if (P->stratum[c] == P->stratum[a]) m += z[c], nh++;
        m /= nh;
        for (size_t c = 0; c < P->npsu; c++)
            if (P->stratum[c] == P->stratum[a]) q += (z[c] - m) * (z[c] - m);
        V += (double)nh / (nh - 1) * q;
    }
    return V;
}

/* The weights with PSU id's multiplied by (1 + e). */
static void perturbed(const households *f, const double *w, int64_t id, double e, double *out) {
    for (size_t k = 0; k < f->n; k++) out[k] = w[k] * (f->psu[k] == id ? 1.0 + e : 1.0);
}

static socind_design *design_with(const households *f, const double *w) {
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(f->n, w, f->stratum, f->psu, NULL, NULL, &d), SOCIND_OK);
    return d;
}

/* The smooth summaries (mean, mean of the poor, H1) at an absolute line:
 * the library's own estimates with perturbed weights. */
static void test_numeric_se_smooth(void **state) {
    rounds *r = *state;
    households *f = r->f;
    static psus P;
    psus_of(f, &P);
    socind_poverty_line L = abs_line(LINE);
    const double p[1] = {0.5};
    socind_estimate c[1], base[SOCIND_GIC_COUNT], sp[SOCIND_GIC_COUNT], sm[SOCIND_GIC_COUNT];
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 1,
                                             &L, NULL, c, base),
                     SOCIND_OK);
    double *wp = malloc(f->n * sizeof *wp);
    double *z = malloc(P.npsu * SOCIND_GIC_COUNT * 2 * sizeof *z);
    double V[SOCIND_GIC_COUNT] = {0};
    for (int t = 0; t < 2; t++) {
        const double *w = t ? r->w2 : f->w;
        for (size_t i = 0; i < P.npsu; i++) {
            socind_estimate *out[2] = {sp, sm};
            for (int sgn = 0; sgn < 2; sgn++) {
                perturbed(f, w, P.ids[i], sgn ? -EPS : EPS, wp);
                socind_design *d = design_with(f, wp);
                assert_int_equal(socind_growth_incidence(t ? f->wr : d, f->y, NULL, t ? d : r->d2,
                                                         r->y2, NULL, 0, RATIO, p, 1, &L, NULL, c,
                                                         out[sgn]),
                                 SOCIND_OK);
                socind_design_free(d);
            }
            for (int k = 0; k < SOCIND_GIC_COUNT; k++)
                z[k * P.npsu + i] = (sp[k].value - sm[k].value) / (2 * EPS);
        }
        for (int k = 0; k < SOCIND_GIC_COUNT; k++) V[k] += wr_variance(&P, &z[k * P.npsu]);
    }
    assert_close(base[SOCIND_GIC_MEAN].se, sqrt(V[SOCIND_GIC_MEAN]), 1e-6);
    assert_close(base[SOCIND_GIC_MEAN_POOR].se, sqrt(V[SOCIND_GIC_MEAN_POOR]), 1e-6);
    assert_close(base[SOCIND_GIC_HEADCOUNT].se, sqrt(V[SOCIND_GIC_HEADCOUNT]), 1e-6);
    free(wp), free(z);
}

/* The test's own kernel density: N̂·f̂(x) over every row, convey's bandwidth. */
static double slow_density(const households *f, const double *y, const double *w, double x) {
    long double N = 0, S1 = 0, S2 = 0;
    for (size_t k = 0; k < f->n; k++) N += w[k], S1 += w[k] * y[k];
    long double mu = S1 / N;
    for (size_t k = 0; k < f->n; k++) S2 += w[k] * (y[k] - mu) * (y[k] - mu);
    double h = (double)(sqrtl(S2 / N) / powl(N, 0.2L));
    long double F = 0;
    for (size_t k = 0; k < f->n; k++) {
        double t = (x - y[k]) / h;
        F += w[k] * exp(-0.5 * t * t) * 0.398942280401432677939946059934 / h;
    }
    return (double)F;
}

/* ∂ψ/∂ε of ψ = Σ w (1[y <= Q] − p) for PSU id's weights × (1 + ε), by the
 * central difference. */
static double dpsi(const households *f, const double *y, const double *w, int64_t id, double Q,
                   double p) {
    double s[2];
    for (int sgn = 0; sgn < 2; sgn++) {
        double e = sgn ? -EPS : EPS;
        long double a = 0;
        for (size_t k = 0; k < f->n; k++) {
            if (isnan(y[k])) continue;
            double wk = w[k] * (f->psu[k] == id ? 1.0 + e : 1.0);
            a += wk * ((y[k] <= Q ? 1.0 : 0.0) - p);
        }
        s[sgn] = (double)a;
    }
    return (s[0] - s[1]) / (2 * EPS);
}

/* The curve's points and the pro-poor rate: quantiles through the
 * implicit-function theorem (above). */
static void test_numeric_se_quantiles(void **state) {
    rounds *r = *state;
    households *f = r->f;
    static psus P;
    psus_of(f, &P);
    socind_poverty_line L = abs_line(LINE);
    const double ps[4] = {0.05, 0.25, 0.5, 0.9};
    socind_estimate c[4], s[SOCIND_GIC_COUNT], q1, q2;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, ps, 4,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    const double H = s[SOCIND_GIC_HEADCOUNT].value;
    int K = 0;
    while (K < 99 && (K + 1) / 100.0 <= H) K++;
    assert_true(K >= 2);
    double *zc = calloc(2 * 4 * P.npsu, sizeof *zc); /* per round, per point */
    double *zp = calloc(2 * P.npsu, sizeof *zp);     /* the pro-poor rate */
    /* every percentile the check needs: the 4 points and 1 % .. K % */
    for (int j = 0; j < 4 + K; j++) {
        double p = j < 4 ? ps[j] : (j - 4 + 1) / 100.0;
        assert_int_equal(socind_quantile(f->wr, f->y, p, NULL, 0, NULL, &q1), SOCIND_OK);
        assert_int_equal(socind_quantile(r->d2, r->y2, p, NULL, 0, NULL, &q2), SOCIND_OK);
        double g = q2.value / (RATIO * q1.value) - 1.0;
        double F1 = slow_density(f, f->y, f->w, q1.value);
        double F2 = slow_density(f, r->y2, r->w2, q2.value);
        for (size_t i = 0; i < P.npsu; i++) {
            /* dQ/dε = −(∂ψ/∂ε)/(N̂ f̂(Q)); d g = (1 + g)(dQ2/Q2 − dQ1/Q1) */
            double dQ1 = -dpsi(f, f->y, f->w, P.ids[i], q1.value, p) / F1;
            double dQ2 = -dpsi(f, r->y2, r->w2, P.ids[i], q2.value, p) / F2;
            double z1 = -(1.0 + g) * dQ1 / q1.value, z2 = (1.0 + g) * dQ2 / q2.value;
            if (j < 4) {
                zc[(0 * 4 + j) * P.npsu + i] = z1;
                zc[(1 * 4 + j) * P.npsu + i] = z2;
            } else {
                zp[i] += z1 / K;
                zp[P.npsu + i] += z2 / K;
            }
        }
    }
    for (int j = 0; j < 4; j++) {
        double V = wr_variance(&P, &zc[j * P.npsu]) + wr_variance(&P, &zc[(4 + j) * P.npsu]);
        assert_close(c[j].se, sqrt(V), 1e-6);
    }
    double V = wr_variance(&P, zp) + wr_variance(&P, &zp[P.npsu]);
    assert_close(s[SOCIND_GIC_PRO_POOR].se, sqrt(V), 1e-6);
    free(zc), free(zp);
}

/* The growth rate in the mean of the poor against an estimated line (a
 * relative mean line, z = 0.6·μ̂1): written out by the chain rule, each PSU's
 *
 *     dθ/dε = ∂θ/∂ε|_z + (∂θ/∂H)·f̂1(z)·dz/dε,
 *
 * since H1 = H(z, w) gives dH/dε = ∂ψ/∂ε + f̂1(z)·dz/dε (ψ the weight share
 * below z at z fixed). ∂θ/∂ε|_z is the library's estimate against the
 * absolute line ẑ with perturbed weights (H1 at a fixed line and the Lorenz
 * ordinates are smooth in the weights, as in test_numeric_se_smooth).
 * ∂θ/∂H = Q2(H1)/(r·GL1) − (1 + g)·z/GL1, GL_t's slopes in H: round 2's
 * is its H1-quantile (checked by a central difference of GL2 in H), round
 * 1's is z — H1 sits on a kink of GL1 (the poorest H1 are round 1's poor,
 * the slopes on either side the incomes of the rows next to z), and the
 * line's move brings in rows at z. f̂1(z) is the test's own kernel density
 * over N̂1 and dz/dε = 0.6·dμ̂1/dε by the central difference. Tolerance
 * 1e−6 (the central differences, as above). The line's term changes the SE
 * by far more than that, so a sign or a factor in it fails the check. */
static double gl_ratio(const households *f, const rounds *r, double H) {
    socind_estimate m1, m2, l1, l2;
    assert_int_equal(socind_mean(f->wr, f->y, NULL, 0, NULL, &m1), SOCIND_OK);
    assert_int_equal(socind_mean(r->d2, r->y2, NULL, 0, NULL, &m2), SOCIND_OK);
    assert_int_equal(socind_lorenz(f->wr, f->y, H, NULL, 0, NULL, &l1), SOCIND_OK);
    assert_int_equal(socind_lorenz(r->d2, r->y2, H, NULL, 0, NULL, &l2), SOCIND_OK);
    return m2.value * l2.value / (RATIO * m1.value * l1.value) - 1.0;
}

static void test_numeric_se_relative_mean_poor(void **state) {
    rounds *r = *state;
    households *f = r->f;
    static psus P;
    psus_of(f, &P);
    const double frac = 0.6, p[1] = {0.5};
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_RELATIVE_MEAN;
    R.value = frac;
    socind_estimate c[1], s[SOCIND_GIC_COUNT], sa[SOCIND_GIC_COUNT], sp[SOCIND_GIC_COUNT],
        sm[SOCIND_GIC_COUNT], e;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 1,
                                             &R, NULL, c, s),
                     SOCIND_OK);
    assert_int_equal(s[SOCIND_GIC_MEAN_POOR].status, SOCIND_OK);
    assert_int_equal(socind_mean(f->wr, f->y, NULL, 0, NULL, &e), SOCIND_OK);
    const double mu1 = e.value, z = frac * mu1;
    socind_poverty_line A = abs_line(z);
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 1,
                                             &A, NULL, c, sa),
                     SOCIND_OK);
    /* the same H1 and θ: the line's term is in the SE only */
    const double H = s[SOCIND_GIC_HEADCOUNT].value;
    assert_close(sa[SOCIND_GIC_HEADCOUNT].value, H, 0);
    assert_close(sa[SOCIND_GIC_MEAN_POOR].value, s[SOCIND_GIC_MEAN_POOR].value, 0);
    /* ∂θ/∂H, and θ against the test's own GL ratio */
    assert_close(gl_ratio(f, r, H), s[SOCIND_GIC_MEAN_POOR].value, 1e-12);
    socind_estimate m1, l1, q2;
    assert_int_equal(socind_mean(f->wr, f->y, NULL, 0, NULL, &m1), SOCIND_OK);
    assert_int_equal(socind_lorenz(f->wr, f->y, H, NULL, 0, NULL, &l1), SOCIND_OK);
    assert_int_equal(socind_quantile(r->d2, r->y2, H, NULL, 0, NULL, &q2), SOCIND_OK);
    const double GL1 = m1.value * l1.value, c1 = 1.0 + s[SOCIND_GIC_MEAN_POOR].value;
    const double dth = q2.value / (RATIO * GL1) - c1 * z / GL1;
    /* GL2's slope at H1 is Q2(H1): its central difference in H (δ inside
       one row's share of round 2) */
    const double dlt = 1e-8;
    socind_estimate m2, la, lb;
    assert_int_equal(socind_mean(r->d2, r->y2, NULL, 0, NULL, &m2), SOCIND_OK);
    assert_int_equal(socind_lorenz(r->d2, r->y2, H + dlt, NULL, 0, NULL, &la), SOCIND_OK);
    assert_int_equal(socind_lorenz(r->d2, r->y2, H - dlt, NULL, 0, NULL, &lb), SOCIND_OK);
    assert_close(m2.value * (la.value - lb.value) / (2 * dlt), q2.value, 1e-6);
    long double N1 = 0;
    for (size_t k = 0; k < f->n; k++) N1 += f->w[k];
    const double fz = slow_density(f, f->y, f->w, z) / (double)N1;
    double *wp = malloc(f->n * sizeof *wp);
    double *zt = calloc(2 * P.npsu, sizeof *zt), *zl = calloc(P.npsu, sizeof *zl);
    for (int t = 0; t < 2; t++) {
        const double *w = t ? r->w2 : f->w;
        for (size_t i = 0; i < P.npsu; i++) {
            socind_estimate *out[2] = {sp, sm};
            double mu[2];
            for (int sgn = 0; sgn < 2; sgn++) {
                perturbed(f, w, P.ids[i], sgn ? -EPS : EPS, wp);
                socind_design *d = design_with(f, wp);
                assert_int_equal(socind_growth_incidence(t ? f->wr : d, f->y, NULL, t ? d : r->d2,
                                                         r->y2, NULL, 0, RATIO, p, 1, &A, NULL, c,
                                                         out[sgn]),
                                 SOCIND_OK);
                assert_int_equal(socind_mean(d, f->y, NULL, 0, NULL, &e), SOCIND_OK);
                mu[sgn] = e.value;
                socind_design_free(d);
            }
            zt[t * P.npsu + i] =
                (sp[SOCIND_GIC_MEAN_POOR].value - sm[SOCIND_GIC_MEAN_POOR].value) / (2 * EPS);
            /* the line's term: round 1 only (z is estimated on round 1) */
            if (t == 0) zl[i] = dth * fz * frac * (mu[0] - mu[1]) / (2 * EPS);
        }
    }
    double *zsum = malloc(P.npsu * sizeof *zsum), *zneg = malloc(P.npsu * sizeof *zneg);
    for (size_t i = 0; i < P.npsu; i++) zsum[i] = zt[i] + zl[i], zneg[i] = zt[i] - zl[i];
    const double V2 = wr_variance(&P, &zt[P.npsu]);
    const double se = sqrt(wr_variance(&P, zsum) + V2);
    const double se_fixed = sqrt(wr_variance(&P, zt) + V2);
    const double se_neg = sqrt(wr_variance(&P, zneg) + V2);
    assert_close(s[SOCIND_GIC_MEAN_POOR].se, se, 1e-6);
    /* the absolute line's SE is the fixed-line part */
    assert_close(sa[SOCIND_GIC_MEAN_POOR].se, se_fixed, 1e-6);
    /* the check can tell: without the term, with its sign flipped or its
       factor doubled the SE is off by far more than the tolerance */
    assert_true(fabs(se_fixed / se - 1.0) > 1e-3);
    assert_true(fabs(se_neg / se - 1.0) > 1e-3);
    for (size_t i = 0; i < P.npsu; i++) zneg[i] = zt[i] + 2.0 * zl[i];
    assert_true(fabs(sqrt(wr_variance(&P, zneg) + V2) / se - 1.0) > 1e-3);
    free(wp), free(zt), free(zl), free(zsum), free(zneg);
}

/* H1 at relative lines: socind_fgt's value and SE (its density term). */
static void test_relative_lines(void **state) {
    rounds *r = *state;
    households *f = r->f;
    const double p[1] = {0.5};
    socind_estimate c[1], s[SOCIND_GIC_COUNT], e;
    for (int type = SOCIND_LINE_RELATIVE_QUANTILE; type <= SOCIND_LINE_RELATIVE_MEAN; type++) {
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.type = type;
        L.value = 0.6;
        assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p,
                                                 1, &L, NULL, c, s),
                         SOCIND_OK);
        assert_int_equal(socind_fgt(f->wr, f->y, &L, 0.0, NULL, 0, NULL, &e), SOCIND_OK);
        assert_close(s[SOCIND_GIC_HEADCOUNT].value, e.value, 1e-15);
        assert_close(s[SOCIND_GIC_HEADCOUNT].se, e.se, 1e-10);
        assert_int_equal(s[SOCIND_GIC_MEAN_POOR].status, SOCIND_OK);
        assert_int_equal(s[SOCIND_GIC_PRO_POOR].status, SOCIND_OK);
    }
    /* per-row lines: H1 = socind_fgt's */
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_PER_ROW;
    L.lines = f->line_region;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 1,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    assert_int_equal(socind_fgt(f->wr, f->y, &L, 0.0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(s[SOCIND_GIC_HEADCOUNT].value, e.value, 1e-15);
    assert_close(s[SOCIND_GIC_HEADCOUNT].se, e.se, 1e-12);
    /* per-row lines, some missing, and rows of weight 0 (one with a line,
       one without): a row without a line leaves H1, so H1's n and weight
       sum are socind_fgt's — the rows with an income and a line */
    {
        double *lines = malloc(f->n * sizeof *lines), *w0 = malloc(f->n * sizeof *w0);
        assert_non_null(lines);
        assert_non_null(w0);
        for (size_t k = 0; k < f->n; k++) {
            lines[k] = k % 11 == 3 ? NAN : f->line_region[k];
            w0[k] = k == 5 || k == 14 ? 0.0 : f->w[k];
        }
        socind_design *d0;
        assert_int_equal(socind_design_new(f->n, w0, f->stratum, f->psu, NULL, NULL, &d0),
                         SOCIND_OK);
        L.lines = lines;
        assert_int_equal(socind_growth_incidence(d0, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 1,
                                                 &L, NULL, c, s),
                         SOCIND_OK);
        assert_int_equal(socind_fgt(d0, f->y, &L, 0.0, NULL, 0, NULL, &e), SOCIND_OK);
        assert_close(s[SOCIND_GIC_HEADCOUNT].value, e.value, 1e-15);
        assert_close(s[SOCIND_GIC_HEADCOUNT].se, e.se, 1e-12);
        assert_true(e.n < (int64_t)f->n);
        assert_int_equal(s[SOCIND_GIC_HEADCOUNT].n, e.n);
        assert_close(s[SOCIND_GIC_HEADCOUNT].weight_sum, e.weight_sum, 1e-15);
        L.lines = f->line_region;
        socind_design_free(d0);
        free(lines), free(w0);
    }
    /* inclusive */
    socind_poverty_line A = abs_line(f->y[0]);
    A.inclusive = 1;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 1,
                                             &A, NULL, c, s),
                     SOCIND_OK);
    assert_int_equal(socind_fgt(f->wr, f->y, &A, 0.0, NULL, 0, NULL, &e), SOCIND_OK);
    assert_close(s[SOCIND_GIC_HEADCOUNT].value, e.value, 1e-15);
}

/* ---- edges ---- */

static void test_edges(void **state) {
    rounds *r = *state;
    households *f = r->f;
    const double p[2] = {0.5, 0.999};
    socind_estimate c[2], s[SOCIND_GIC_COUNT];
    /* H1 below 1 %: no percentile of the poor */
    double ymin = INFINITY;
    for (size_t k = 0; k < f->n; k++) ymin = f->y[k] < ymin ? f->y[k] : ymin;
    socind_poverty_line L = abs_line(ymin * 1.0001);
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 2,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    assert_true(s[SOCIND_GIC_HEADCOUNT].value > 0.0 && s[SOCIND_GIC_HEADCOUNT].value < 0.01);
    assert_int_equal(s[SOCIND_GIC_PRO_POOR].status, SOCIND_ERR_DATA);
    assert_true(isnan(s[SOCIND_GIC_PRO_POOR].value));
    assert_int_equal(s[SOCIND_GIC_MEAN_POOR].status, SOCIND_OK);
    /* no poor: H1 = 0, the poor's parts undefined */
    L = abs_line(ymin);
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 2,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    assert_true(s[SOCIND_GIC_HEADCOUNT].value == 0.0);
    assert_int_equal(s[SOCIND_GIC_MEAN_POOR].status, SOCIND_ERR_DATA);
    assert_int_equal(s[SOCIND_GIC_PRO_POOR].status, SOCIND_ERR_DATA);
    assert_int_equal(s[SOCIND_GIC_MEAN].status, SOCIND_OK);
    /* everyone poor: H1 = 1, K = 99, the mean of the poor is the mean */
    L = abs_line(1e12);
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 2,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    assert_close(s[SOCIND_GIC_HEADCOUNT].value, 1.0, 0);
    assert_close(s[SOCIND_GIC_MEAN_POOR].value, s[SOCIND_GIC_MEAN].value, 1e-13);
    assert_close(s[SOCIND_GIC_MEAN_POOR].se, s[SOCIND_GIC_MEAN].se, 1e-9);
    /* NaN incomes leave the estimate; n still counts the rows of the design */
    double *y1 = malloc(f->n * sizeof *y1);
    memcpy(y1, f->y, f->n * sizeof *y1);
    y1[3] = NAN;
    L = abs_line(LINE);
    assert_int_equal(socind_growth_incidence(f->wr, y1, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 2,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    assert_int_equal(c[0].n, (int64_t)(2 * f->n - 1));
    /* round 1's quantiles at or below 0: no growth rate there */
    for (size_t k = 0; k < f->n; k++) y1[k] = f->y[k] - 900000.0;
    const double plow[1] = {0.05};
    assert_int_equal(socind_growth_incidence(f->wr, y1, NULL, r->d2, r->y2, NULL, 0, RATIO, plow, 1,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    assert_int_equal(c[0].status, SOCIND_ERR_DATA);
    assert_true(isnan(c[0].value));
    /* every income of round 2 equal: no density, the points' SEs NaN */
    for (size_t k = 0; k < f->n; k++) y1[k] = 700000.0;
    assert_int_equal(
        socind_growth_incidence(f->wr, f->y, NULL, r->d2, y1, NULL, 0, RATIO, p, 2, &L, NULL, c, s),
        SOCIND_OK);
    assert_int_equal(c[0].status, SOCIND_ERR_DATA);
    assert_true(isfinite(c[0].value) && isnan(c[0].se));
    assert_int_equal(s[SOCIND_GIC_MEAN].status, SOCIND_OK);
    free(y1);
}

/* ---- bad inputs ---- */

static void test_bad_inputs(void **state) {
    rounds *r = *state;
    households *f = r->f;
    socind_poverty_line L = abs_line(LINE);
    const double p[2] = {0.25, 0.75};
    socind_estimate c[2], s[SOCIND_GIC_COUNT];
    const socind_design *d1 = f->wr, *d2 = r->d2;
    const double *y1 = f->y, *y2 = r->y2;
#define GIC(a, b, c_, d, ratio, pp, np, line, opts)                                                \
    socind_growth_incidence(a, b, NULL, c_, d, NULL, 0, ratio, pp, np, line, opts, c, s)
    assert_int_equal(GIC(NULL, y1, d2, y2, 1.0, p, 2, &L, NULL), SOCIND_ERR_NULL);
    assert_int_equal(s[0].status, SOCIND_ERR_NULL);
    assert_true(isnan(c[1].value));
    assert_int_equal(GIC(d1, NULL, d2, y2, 1.0, p, 2, &L, NULL), SOCIND_ERR_NULL);
    assert_int_equal(GIC(d1, y1, NULL, y2, 1.0, p, 2, &L, NULL), SOCIND_ERR_NULL);
    assert_int_equal(GIC(d1, y1, d2, NULL, 1.0, p, 2, &L, NULL), SOCIND_ERR_NULL);
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 2, NULL, NULL), SOCIND_ERR_NULL);
    assert_int_equal(
        socind_growth_incidence(d1, y1, NULL, d2, y2, NULL, 0, 1.0, p, 2, &L, NULL, NULL, s),
        SOCIND_ERR_NULL);
    assert_int_equal(
        socind_growth_incidence(d1, y1, NULL, d2, y2, NULL, 0, 1.0, p, 2, &L, NULL, c, NULL),
        SOCIND_ERR_NULL);
    /* price ratios */
    assert_int_equal(GIC(d1, y1, d2, y2, 0.0, p, 2, &L, NULL), SOCIND_ERR_ARG);
    assert_int_equal(GIC(d1, y1, d2, y2, -1.0, p, 2, &L, NULL), SOCIND_ERR_ARG);
    assert_int_equal(GIC(d1, y1, d2, y2, NAN, p, 2, &L, NULL), SOCIND_ERR_ARG);
    assert_int_equal(GIC(d1, y1, d2, y2, INFINITY, p, 2, &L, NULL), SOCIND_ERR_ARG);
    assert_int_equal(s[SOCIND_GIC_MEAN].status, SOCIND_ERR_ARG);
    assert_true(isnan(s[SOCIND_GIC_MEAN].value));
    /* percentiles */
    const double bad[2] = {0.5, 1.0}, badn[2] = {NAN, 0.5}, zero[1] = {0.0};
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, bad, 2, &L, NULL), SOCIND_ERR_ARG);
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, badn, 2, &L, NULL), SOCIND_ERR_ARG);
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, zero, 1, &L, NULL), SOCIND_ERR_ARG);
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 0, &L, NULL), SOCIND_ERR_ARG);
    /* p NULL with n_p neither 0 nor 99: the caller's n_p slots NaN too */
    socind_estimate c5[5];
    for (int k = 0; k < 5; k++) c5[k].value = 7.0, c5[k].status = SOCIND_OK;
    assert_int_equal(
        socind_growth_incidence(d1, y1, NULL, d2, y2, NULL, 0, 1.0, NULL, 5, &L, NULL, c5, s),
        SOCIND_ERR_ARG);
    for (int k = 0; k < 5; k++) {
        assert_int_equal(c5[k].status, SOCIND_ERR_ARG);
        assert_true(isnan(c5[k].value) && c5[k].n == 0);
    }
    /* lines */
    socind_poverty_line B = L;
    B.value = -5.0;
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 2, &B, NULL), SOCIND_ERR_ARG);
    B = L;
    B.type = 99;
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 2, &B, NULL), SOCIND_ERR_ARG);
    B = L;
    B.size = 0;
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 2, &B, NULL), SOCIND_ERR_OPTIONS);
    B = L;
    B.type = SOCIND_LINE_PER_ROW;
    B.lines = NULL;
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 2, &B, NULL), SOCIND_ERR_ARG);
    /* options */
    socind_options o;
    socind_options_init(&o);
    o.level = 1.5;
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 2, &L, &o), SOCIND_ERR_ARG);
    socind_options_init(&o);
    o.size = 1;
    assert_int_equal(GIC(d1, y1, d2, y2, 1.0, p, 2, &L, &o), SOCIND_ERR_OPTIONS);
    /* data: ±Inf names the row and the round; every income missing */
    double *yb = malloc(f->n * sizeof *yb);
    memcpy(yb, y2, f->n * sizeof *yb);
    yb[17] = -INFINITY;
    assert_int_equal(GIC(d1, y1, d2, yb, 1.0, p, 2, &L, NULL), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 17);
    assert_non_null(strstr(socind_last_error_detail(), "round 2"));
    assert_int_equal(GIC(d1, yb, d2, y2, 1.0, p, 2, &L, NULL), SOCIND_ERR_DATA);
    assert_non_null(strstr(socind_last_error_detail(), "round 1"));
    for (size_t k = 0; k < f->n; k++) yb[k] = NAN;
    assert_int_equal(GIC(d1, y1, d2, yb, 1.0, p, 2, &L, NULL), SOCIND_ERR_EMPTY);
    assert_int_equal(c[0].status, SOCIND_ERR_EMPTY);
    free(yb);
    /* a replicate-weight design */
    socind_design *rep = NULL;
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.type = SOCIND_REP_JKN;
    assert_int_equal(socind_design_replicate_make(d1, &ro, &rep), SOCIND_OK);
    assert_int_equal(GIC(rep, y1, d2, y2, 1.0, p, 2, &L, NULL), SOCIND_ERR_ARG);
    socind_design_free(rep);
    /* lonely PSUs under "average" with every stratum lonely: NaN SEs */
    const double yy[4] = {1, 2, 3, 4}, ww[4] = {1, 1, 1, 1};
    const int64_t st[4] = {1, 2, 3, 4};
    socind_design_options dop;
    socind_design_options_init(&dop);
    dop.lonely_psu = SOCIND_LONELY_AVERAGE;
    socind_design *dl = NULL;
    assert_int_equal(socind_design_new(4, ww, st, NULL, NULL, &dop, &dl), SOCIND_OK);
    socind_poverty_line L2 = abs_line(2.5);
    assert_int_equal(GIC(dl, yy, dl, yy, 1.0, p, 2, &L2, NULL), SOCIND_OK);
    assert_int_equal(c[0].status, SOCIND_ERR_LONELY_PSU);
    assert_int_equal(s[SOCIND_GIC_MEAN].status, SOCIND_ERR_LONELY_PSU);
    assert_true(isnan(s[SOCIND_GIC_MEAN].se));
    socind_design_free(dl);
#undef GIC
}

/* Incomes near the top of the double range: N̂·max|y| and Σ w y are not
 * finite, so no estimate (not a value of 0 with SOCIND_ERR_DATA) — but H1,
 * round 1's alone, where round 1 is in range. */
static void test_overflow(void **state) {
    rounds *r = *state;
    households *f = r->f;
    double *yb = malloc(f->n * sizeof *yb), *yc = malloc(f->n * sizeof *yc);
    for (size_t k = 0; k < f->n; k++) yb[k] = 1e307, yc[k] = 1e307 * (1.0 + 1e-3 * (double)(k % 5));
    socind_poverty_line L = abs_line(LINE);
    socind_estimate c[SOCIND_GIC_DEFAULT_POINTS], s[SOCIND_GIC_COUNT];
    for (int t = 0; t < 2; t++) {
        const double *y1 = t ? f->y : yb, *y2 = t ? yc : yb;
        assert_int_equal(socind_growth_incidence(f->wr, y1, NULL, r->d2, y2, NULL, 0, RATIO, NULL,
                                                 0, &L, NULL, c, s),
                         SOCIND_OK);
        for (int k = 0; k < SOCIND_GIC_DEFAULT_POINTS; k++) {
            assert_int_equal(c[k].status, SOCIND_ERR_OVERFLOW);
            assert_true(isnan(c[k].value) && isnan(c[k].se));
            assert_int_equal(c[k].n, (int64_t)(2 * f->n));
        }
        for (int k = 0; k < SOCIND_GIC_COUNT; k++) {
            if (t == 1 && k == SOCIND_GIC_HEADCOUNT) { /* round 1's alone: given */
                assert_int_equal(s[k].status, SOCIND_OK);
                assert_true(s[k].value >= 0.0 && s[k].se > 0.0);
                assert_int_equal(s[k].n, (int64_t)f->n);
                continue;
            }
            assert_int_equal(s[k].status, SOCIND_ERR_OVERFLOW);
            assert_true(isnan(s[k].value));
        }
    }
    /* a relative line on such a round 1: refused */
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_RELATIVE_MEAN;
    R.value = 0.6;
    assert_int_equal(socind_growth_incidence(f->wr, yb, NULL, r->d2, r->y2, NULL, 0, RATIO, NULL, 0,
                                             &R, NULL, c, s),
                     SOCIND_ERR_OVERFLOW);
    assert_int_equal(c[0].status, SOCIND_ERR_OVERFLOW);
    assert_int_equal(s[0].status, SOCIND_ERR_OVERFLOW);
    /* large incomes well inside the range are estimated as any others */
    for (size_t k = 0; k < f->n; k++) yb[k] = 1e100 * f->y[k] / 1e6, yc[k] = 1e100 * r->y2[k] / 1e6;
    L = abs_line(1e100 * LINE / 1e6);
    assert_int_equal(socind_growth_incidence(f->wr, yb, NULL, r->d2, yc, NULL, 0, RATIO, NULL, 0,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    assert_int_equal(c[49].status, SOCIND_OK);
    assert_int_equal(s[SOCIND_GIC_MEAN].status, SOCIND_OK);
    free(yb), free(yc);
}

/* A price ratio of 1e−300: every growth rate is about 1e300, and its SE's
 * values (its derivatives times the influence) leave the doubles. Each
 * estimate keeps its rate and is SOCIND_ERR_OVERFLOW (an SE that leaves
 * the range), not SOCIND_ERR_DATA ("no density", "H1 = 0"); H1, round 1's
 * alone, stands. */
static void test_price_ratio_overflow(void **state) {
    rounds *r = *state;
    households *f = r->f;
    socind_poverty_line L = abs_line(LINE);
    socind_estimate c[SOCIND_GIC_DEFAULT_POINTS], s[SOCIND_GIC_COUNT];
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, 1e-300, NULL,
                                             0, &L, NULL, c, s),
                     SOCIND_OK);
    for (int k = 0; k < SOCIND_GIC_DEFAULT_POINTS; k++) {
        assert_int_equal(c[k].status, SOCIND_ERR_OVERFLOW);
        assert_true(c[k].value > 1e299 && isfinite(c[k].value));
    }
    const int parts[3] = {SOCIND_GIC_MEAN, SOCIND_GIC_MEAN_POOR, SOCIND_GIC_PRO_POOR};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(s[parts[i]].status, SOCIND_ERR_OVERFLOW);
        assert_true(s[parts[i]].value > 1e299 && isfinite(s[parts[i]].value));
    }
    assert_int_equal(s[SOCIND_GIC_HEADCOUNT].status, SOCIND_OK);
    assert_true(s[SOCIND_GIC_HEADCOUNT].value > 0.0);
}

/* Weights near 1e153 (2^510 times 0.5 .. 3): Σ w y is near 1e154, whose
 * square leaves the doubles, but nothing squares it (the bandwidth divides
 * by N̂ first), so the rounds are estimated: every rate and H1 equals the
 * one with the weights divided by 2^510 (exact), the mean's SE too; the
 * quantiles' SEs, whose bandwidth follows N̂ (convey's σ̂/N̂^(1/5)), are
 * finite. */
static void test_large_weights(void **state) {
    (void)state;
    enum { N1 = 50, N2 = 45 };
    double y1[N1], y2[N2], w1[N1], w2[N2], b1[N1], b2[N2];
    for (int k = 0; k < N1; k++) {
        y1[k] = 0.2 + 2.0 * (double)((k * 37) % 53) / 53.0;
        w1[k] = 0.5 + 2.5 * (double)((k * 17) % 41) / 41.0;
        b1[k] = ldexp(w1[k], 510);
    }
    for (int k = 0; k < N2; k++) {
        y2[k] = 0.25 + 2.2 * (double)((k * 29) % 47) / 47.0;
        w2[k] = 0.5 + 2.5 * (double)((k * 13) % 43) / 43.0;
        b2[k] = ldexp(w2[k], 510);
    }
    socind_design *d1 = NULL, *d2 = NULL, *e1 = NULL, *e2 = NULL;
    assert_int_equal(socind_design_new(N1, w1, NULL, NULL, NULL, NULL, &d1), SOCIND_OK);
    assert_int_equal(socind_design_new(N2, w2, NULL, NULL, NULL, NULL, &d2), SOCIND_OK);
    assert_int_equal(socind_design_new(N1, b1, NULL, NULL, NULL, NULL, &e1), SOCIND_OK);
    assert_int_equal(socind_design_new(N2, b2, NULL, NULL, NULL, NULL, &e2), SOCIND_OK);
    socind_poverty_line L = abs_line(1.0);
    socind_estimate c[SOCIND_GIC_DEFAULT_POINTS], s[SOCIND_GIC_COUNT];
    socind_estimate cb[SOCIND_GIC_DEFAULT_POINTS], sb[SOCIND_GIC_COUNT];
    assert_int_equal(
        socind_growth_incidence(d1, y1, NULL, d2, y2, NULL, 0, 1.05, NULL, 0, &L, NULL, c, s),
        SOCIND_OK);
    assert_int_equal(
        socind_growth_incidence(e1, y1, NULL, e2, y2, NULL, 0, 1.05, NULL, 0, &L, NULL, cb, sb),
        SOCIND_OK);
    for (int k = 0; k < SOCIND_GIC_DEFAULT_POINTS; k++) {
        assert_int_equal(cb[k].status, SOCIND_OK);
        assert_true(cb[k].value == c[k].value);
        assert_true(isfinite(cb[k].se) && cb[k].se > 0.0);
    }
    for (int k = 0; k < SOCIND_GIC_COUNT; k++) {
        assert_int_equal(sb[k].status, SOCIND_OK);
        assert_true(sb[k].value == s[k].value);
        assert_true(isfinite(sb[k].se) && sb[k].se > 0.0);
    }
    assert_close(sb[SOCIND_GIC_MEAN].se, s[SOCIND_GIC_MEAN].se, 1e-14);
    socind_design_free(d1), socind_design_free(d2), socind_design_free(e1), socind_design_free(e2);
}

/* ---- domains ---- */

/* A domain with rows in one round only: every figure EMPTY_DOMAIN but H1
 * where round 1 has the domain; H1 (round 1's alone) counts round 1's rows,
 * weight and df, none where the domain has rows in round 2 only. */
static void test_one_round_domain(void **state) {
    rounds *r = *state;
    households *f = r->f;
    int32_t *g1 = malloc(f->n * sizeof *g1), *g2 = malloc(f->n * sizeof *g2);
    for (size_t k = 0; k < f->n; k++) g1[k] = (int32_t)(k % 2), g2[k] = 0;
    const double p[1] = {0.5};
    socind_poverty_line L = abs_line(LINE);
    socind_estimate c[2], s[2 * SOCIND_GIC_COUNT];
    const double df1 = socind_design_df(f->wr);
    /* domain 1: rows in round 1 only */
    assert_int_equal(
        socind_growth_incidence(f->wr, f->y, g1, r->d2, r->y2, g2, 2, RATIO, p, 1, &L, NULL, c, s),
        SOCIND_OK);
    const socind_estimate *h = &s[SOCIND_GIC_COUNT + SOCIND_GIC_HEADCOUNT];
    assert_int_equal(h->status, SOCIND_OK);
    assert_true(h->n > 0 && h->weight_sum > 0.0);
    assert_true(h->df == df1);
    assert_int_equal(c[1].status, SOCIND_ERR_EMPTY_DOMAIN);
    /* domain 1: rows in round 2 only */
    assert_int_equal(
        socind_growth_incidence(f->wr, f->y, g2, r->d2, r->y2, g1, 2, RATIO, p, 1, &L, NULL, c, s),
        SOCIND_OK);
    for (int k = 0; k < SOCIND_GIC_COUNT; k++)
        assert_int_equal(s[SOCIND_GIC_COUNT + k].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_int_equal(h->n, 0);
    assert_true(h->weight_sum == 0.0);
    assert_true(h->df == df1);
    const socind_estimate *m = &s[SOCIND_GIC_COUNT + SOCIND_GIC_MEAN];
    assert_true(m->n > 0 && m->weight_sum > 0.0); /* round 2's rows */
    free(g1), free(g2);
}

/* Domain g's estimates are the whole-sample call's on incomes NaN outside
 * the domain (absolute line: no term reaches other rows); against a
 * relative line H1 is socind_fgt's by domain. */
static void test_domains(void **state) {
    rounds *r = *state;
    households *f = r->f;
    int64_t codes[64];
    int32_t G;
    int32_t *grp = households_subdistricts(f, codes, &G);
    assert_true(G >= 3);
    const int32_t NG = G + 1; /* one more domain, without rows */
    const double p[3] = {0.1, 0.5, 0.9};
    socind_poverty_line L = abs_line(LINE);
    socind_estimate *c = calloc((size_t)NG * 3, sizeof *c);
    socind_estimate *s = calloc((size_t)NG * SOCIND_GIC_COUNT, sizeof *s);
    assert_int_equal(socind_growth_incidence(f->wr, f->y, grp, r->d2, r->y2, grp, NG, RATIO, p, 3,
                                             &L, NULL, c, s),
                     SOCIND_OK);
    double *y1 = malloc(f->n * sizeof *y1), *y2 = malloc(f->n * sizeof *y2);
    socind_estimate c1[3], s1[SOCIND_GIC_COUNT];
    for (int32_t g = 0; g < G; g++) {
        for (size_t k = 0; k < f->n; k++) {
            y1[k] = grp[k] == g ? f->y[k] : NAN;
            y2[k] = grp[k] == g ? r->y2[k] : NAN;
        }
        assert_int_equal(socind_growth_incidence(f->wr, y1, NULL, r->d2, y2, NULL, 0, RATIO, p, 3,
                                                 &L, NULL, c1, s1),
                         SOCIND_OK);
        for (int i = 0; i < 3; i++) {
            const socind_estimate *e = &c[g * 3 + i];
            assert_int_equal(e->status, c1[i].status);
            assert_close(e->value, c1[i].value, 0);
            assert_close(e->se, c1[i].se, 1e-14);
        }
        for (int k = 0; k < SOCIND_GIC_COUNT; k++) {
            const socind_estimate *e = &s[g * SOCIND_GIC_COUNT + k];
            assert_int_equal(e->status, s1[k].status);
            if (s1[k].status == SOCIND_OK) {
                assert_close(e->value, s1[k].value, 0);
                assert_close(e->se, s1[k].se, 1e-14);
                assert_int_equal(e->n, s1[k].n);
            }
        }
    }
    /* the domain without rows */
    for (int i = 0; i < 3; i++) assert_int_equal(c[G * 3 + i].status, SOCIND_ERR_EMPTY_DOMAIN);
    for (int k = 0; k < SOCIND_GIC_COUNT; k++)
        assert_int_equal(s[G * SOCIND_GIC_COUNT + k].status, SOCIND_ERR_EMPTY_DOMAIN);
    /* a relative line (estimated on the whole of round 1): H1 by domain is
       socind_fgt's by domain, its SE with the line's term */
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_RELATIVE_QUANTILE;
    R.value = 0.6;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, grp, r->d2, r->y2, grp, NG, RATIO, p, 3,
                                             &R, NULL, c, s),
                     SOCIND_OK);
    socind_estimate *fg = calloc((size_t)NG, sizeof *fg);
    assert_int_equal(socind_fgt(f->wr, f->y, &R, 0.0, grp, NG, NULL, fg), SOCIND_OK);
    int ok = 0;
    for (int32_t g = 0; g < G; g++) {
        const socind_estimate *e = &s[g * SOCIND_GIC_COUNT + SOCIND_GIC_HEADCOUNT];
        assert_close(e->value, fg[g].value, 1e-15);
        assert_close(e->se, fg[g].se, 1e-9);
        ok += fg[g].value > 0.0;
        if (fg[g].value > 0.0)
            assert_int_equal(s[g * SOCIND_GIC_COUNT + SOCIND_GIC_MEAN_POOR].status, SOCIND_OK);
        else
            assert_int_equal(s[g * SOCIND_GIC_COUNT + SOCIND_GIC_MEAN_POOR].status,
                             SOCIND_ERR_DATA);
    }
    assert_true(ok >= 2);
    /* bad codes */
    int32_t *bad = malloc(f->n * sizeof *bad);
    memcpy(bad, grp, f->n * sizeof *bad);
    bad[9] = NG;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, grp, r->d2, r->y2, bad, NG, RATIO, p, 3,
                                             &L, NULL, c, s),
                     SOCIND_ERR_GROUP);
    assert_int_equal(socind_last_error_row(), 9);
    assert_non_null(strstr(socind_last_error_detail(), "round 2"));
    assert_int_equal(c[0].status, SOCIND_ERR_GROUP);
    assert_int_equal(socind_growth_incidence(f->wr, f->y, grp, r->d2, r->y2, NULL, NG, RATIO, p, 3,
                                             &L, NULL, c, s),
                     SOCIND_ERR_NULL);
    assert_int_equal(socind_growth_incidence(f->wr, f->y, grp, r->d2, r->y2, grp, 0, RATIO, p, 3,
                                             &L, NULL, c, s),
                     SOCIND_ERR_ARG);
    /* every row outside the domains: no usable row */
    for (size_t k = 0; k < f->n; k++) bad[k] = -1;
    assert_int_equal(socind_growth_incidence(f->wr, f->y, bad, r->d2, r->y2, bad, 1, RATIO, p, 3,
                                             &L, NULL, c, s),
                     SOCIND_ERR_EMPTY);
    free(bad), free(fg), free(y1), free(y2), free(c), free(s), free(grp);
}

/* ---- allocation failure: every allocation of a call refused in turn ---- */

static void test_alloc_failure(void **state) {
    rounds *r = *state;
    households *f = r->f;
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = 0.6;
    const double p[2] = {0.2, 0.8};
    socind_estimate c[2], s[SOCIND_GIC_COUNT], c0[2], s0[SOCIND_GIC_COUNT];
    assert_int_equal(socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 2,
                                             &L, NULL, c0, s0),
                     SOCIND_OK);
    int32_t st = SOCIND_ERR_NOMEM;
    long k;
    for (k = 0; st != SOCIND_OK && k < 1000; k++) {
        alloc_count = 0;
        fail_at = k;
        st = socind_growth_incidence(f->wr, f->y, NULL, r->d2, r->y2, NULL, 0, RATIO, p, 2, &L,
                                     NULL, c, s);
        fail_at = -1;
        if (st == SOCIND_OK) break;
        assert_int_equal(st, SOCIND_ERR_NOMEM);
        for (int j = 0; j < 2; j++) {
            assert_int_equal(c[j].status, SOCIND_ERR_NOMEM);
            assert_true(isnan(c[j].value) && c[j].n == 0);
        }
        for (int j = 0; j < SOCIND_GIC_COUNT; j++) assert_int_equal(s[j].status, SOCIND_ERR_NOMEM);
    }
    assert_int_equal(st, SOCIND_OK);
    assert_true(k >= 8); /* every allocation of the call was refused once */
    for (int j = 0; j < 2; j++) assert_close(c[j].value, c0[j].value, 0);
    for (int j = 0; j < SOCIND_GIC_COUNT; j++) assert_close(s[j].se, s0[j].se, 0);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_point_estimates),
        cmocka_unit_test(test_zero_growth),
        cmocka_unit_test(test_numeric_se_smooth),
        cmocka_unit_test(test_numeric_se_quantiles),
        cmocka_unit_test(test_relative_lines),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_one_round_domain),
        cmocka_unit_test(test_numeric_se_relative_mean_poor),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_price_ratio_overflow),
        cmocka_unit_test(test_large_weights),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
