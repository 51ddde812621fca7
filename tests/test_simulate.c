/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_simulate.c — socind_simulate_transfer and
 * socind_transfer_amounts (socind/simulate.h) on the poverty reference
 * households (rows are households weighted by persons, hhsize a column):
 *  - identity: a zero transfer changes nothing, bit for bit, and costs 0;
 *  - every point estimate against a slow computation here (y' built in the
 *    test, then socind_fgt, socind_gini, socind_poor_count, socind_total);
 *  - every SE against numerical derivatives in each PSU's weights;
 *  - with a relative quantile line, on small random designs with tied
 *    incomes: the baseline's SEs against socind_fgt's, and every SE after a
 *    transfer against the linearized variable built densely here;
 *  - calibrated and replicate designs, a lonely PSU by domain;
 *  - bad inputs and their statuses. */
#include <float.h>

#include "households.h"

static const double ALPHAS[3] = {0.0, 1.0, 2.0};
#define NA 3
#define K SOCIND_SIM_COUNT(NA)
#define AMOUNT 300000.0 /* rupiah a household a month */

/* The rule of the tests: households below 1.2 times their region's line
 * (a proxy of a registry's bottom deciles). */
static int32_t *select_rule(const households *f) {
    int32_t *s = calloc(f->n, sizeof *s);
    for (size_t k = 0; k < f->n; k++) s[k] = f->y[k] < 1.2 * f->line_region[k];
    return s;
}

static double *hh_size(const households *f) {
    return test_csv_doubles(f->hh, "hhsize");
}

static socind_transfer per_household(const double *size, const int32_t *sel, double amount) {
    socind_transfer t;
    assert_int_equal(socind_transfer_init(&t), SOCIND_OK);
    t.per = SOCIND_TRANSFER_PER_HOUSEHOLD;
    t.household_size = size;
    t.selected = sel;
    t.amount = amount;
    return t;
}

static socind_poverty_line absolute(double z) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.value = z;
    return L;
}

static int same_bits(const socind_estimate *a, const socind_estimate *b) {
    return memcmp(a, b, sizeof *a) == 0;
}

/* ---- identity ---- */
static void test_zero_transfer(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    socind_poverty_line lines[2] = {absolute(519750.0), absolute(0.0)};
    lines[1].type = SOCIND_LINE_PER_ROW;
    lines[1].lines = f->line_region;
    int64_t codes[64];
    int32_t nc;
    int32_t *grp = households_subdistricts(f, codes, &nc);
    for (int li = 0; li < 2; li++)
        for (int gi = 0; gi < 2; gi++) {
            const int32_t *g = gi ? grp : NULL;
            int32_t G = gi ? nc : 1;
            socind_transfer t = per_household(size, sel, 0.0);
            socind_estimate *e = calloc((size_t)(K * G), sizeof *e);
            assert_int_equal(
                socind_simulate_transfer(f->wr, f->y, &lines[li], ALPHAS, NA, &t, g, G, NULL, e),
                SOCIND_OK);
            for (int32_t j = 0; j < G; j++) {
                const socind_estimate *o = e + j * K;
                if (o[SOCIND_SIM_FGT(0, 0)].status == SOCIND_ERR_EMPTY_DOMAIN) continue;
                for (int a = 0; a < NA; a++) {
                    assert_true(same_bits(&o[SOCIND_SIM_FGT(a, 0)], &o[SOCIND_SIM_FGT(a, 1)]));
                    const socind_estimate *c = &o[SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_CHANGE)];
                    assert_true(c->value == 0.0 && c->se == 0.0);
                    assert_true(c->ci_low == 0.0 && c->ci_high == 0.0);
                    assert_int_equal(o[SOCIND_SIM_FGT(a, 3)].status, SOCIND_ERR_DATA);
                }
                assert_true(same_bits(&o[SOCIND_SIM_GINI_BEFORE], &o[SOCIND_SIM_GINI_AFTER]));
                assert_true(same_bits(&o[SOCIND_SIM_POOR_BEFORE], &o[SOCIND_SIM_POOR_AFTER]));
                assert_true(o[SOCIND_SIM_GINI_CHANGE].value == 0.0);
                assert_true(o[SOCIND_SIM_GINI_CHANGE].se == 0.0);
                assert_true(o[SOCIND_SIM_POOR_CHANGE].value == 0.0);
                assert_true(o[SOCIND_SIM_POOR_CHANGE].se == 0.0);
                assert_true(o[SOCIND_SIM_COST].value == 0.0 && o[SOCIND_SIM_COST].se == 0.0);
                assert_int_equal(o[SOCIND_SIM_LIFTED_PER_UNIT].status, SOCIND_ERR_DATA);
                assert_true(isnan(o[SOCIND_SIM_LIFTED_PER_UNIT].value));
            }
            free(e);
        }
    /* nobody selected: the same */
    int32_t *none = calloc(f->n, sizeof *none);
    socind_transfer t = per_household(size, none, AMOUNT);
    socind_estimate e[K];
    assert_int_equal(
        socind_simulate_transfer(f->wr, f->y, &lines[0], ALPHAS, NA, &t, NULL, 0, NULL, e),
        SOCIND_OK);
    assert_true(same_bits(&e[SOCIND_SIM_GINI_BEFORE], &e[SOCIND_SIM_GINI_AFTER]));
    assert_true(e[SOCIND_SIM_COST].value == 0.0);
    free(none);
    free(grp);
    free(sel);
    free(size);
}

/* A relative line (quantile and mean): the baseline figures against the
 * line held at its estimate, with the line's influence and the kernel
 * density at the line computed here, equal socind_fgt's and
 * socind_poor_count's against the relative line (values within 1e−15, SEs
 * and limits within 1e−12: the same formulas summed in another order); a
 * zero transfer leaves every after estimate bit for bit the before one and
 * the changes 0 with SE 0.
 * With a transfer, the after figures are socind_fgt and socind_poor_count
 * on y' against the line estimated on y, held fixed. */
static void test_relative_line(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    int32_t *urban = calloc(f->n, sizeof *urban);
    for (size_t k = 0; k < f->n; k++) urban[k] = (int32_t)f->urban[k];
    socind_poverty_line R[2];
    for (int i = 0; i < 2; i++) {
        socind_poverty_line_init(&R[i]);
        R[i].type = i ? SOCIND_LINE_RELATIVE_MEAN : SOCIND_LINE_RELATIVE_QUANTILE;
        R[i].value = i ? 0.5 : 0.6;
    }
    for (int i = 0; i < 2; i++)
        for (int gi = 0; gi < 2; gi++) {
            const int32_t *g = gi ? urban : NULL;
            int32_t G = gi ? 2 : 1;
            socind_estimate e[2 * K];
            socind_transfer t0 = per_household(size, sel, 0.0);
            assert_int_equal(
                socind_simulate_transfer(f->wr, f->y, &R[i], ALPHAS, NA, &t0, g, G, NULL, e),
                SOCIND_OK);
            socind_estimate lib[NA + 1][2];
            for (int a = 0; a < NA; a++)
                assert_int_equal(socind_fgt(f->wr, f->y, &R[i], ALPHAS[a], g, G, NULL, lib[a]),
                                 SOCIND_OK);
            assert_int_equal(socind_poor_count(f->wr, f->y, &R[i], g, G, NULL, lib[NA]), SOCIND_OK);
            for (int32_t j = 0; j < G; j++) {
                const socind_estimate *o = e + j * K;
                for (int a = 0; a < NA; a++) {
                    const socind_estimate *b = &o[SOCIND_SIM_FGT(a, 0)],
                                          *af = &o[SOCIND_SIM_FGT(a, 1)];
                    assert_true(same_bits(af, b));
                    /* the baseline against the line held fixed, with its
                       influence, is socind_fgt's against the relative line */
                    assert_close(b->value, lib[a][j].value, 1e-15);
                    assert_close(b->se, lib[a][j].se, 1e-12);
                    assert_close(b->ci_low, lib[a][j].ci_low, 1e-12);
                    assert_close(b->ci_high, lib[a][j].ci_high, 1e-12);
                    assert_true(o[SOCIND_SIM_FGT(a, 2)].value == 0.0);
                    assert_true(o[SOCIND_SIM_FGT(a, 2)].se == 0.0);
                }
                assert_true(same_bits(&o[SOCIND_SIM_POOR_AFTER], &o[SOCIND_SIM_POOR_BEFORE]));
                assert_close(o[SOCIND_SIM_POOR_BEFORE].value, lib[NA][j].value, 1e-15);
                assert_close(o[SOCIND_SIM_POOR_BEFORE].se, lib[NA][j].se, 1e-12);
                assert_true(o[SOCIND_SIM_POOR_CHANGE].value == 0.0);
                assert_true(o[SOCIND_SIM_POOR_CHANGE].se == 0.0);
                assert_true(same_bits(&o[SOCIND_SIM_GINI_AFTER], &o[SOCIND_SIM_GINI_BEFORE]));
            }
            /* a transfer: the figures against the fixed line */
            socind_transfer t = per_household(size, sel, AMOUNT);
            assert_int_equal(
                socind_simulate_transfer(f->wr, f->y, &R[i], ALPHAS, NA, &t, g, G, NULL, e),
                SOCIND_OK);
            socind_estimate le, ref[2];
            assert_int_equal(socind_poverty_line_estimate(f->wr, f->y, &R[i], NULL, &le),
                             SOCIND_OK);
            socind_poverty_line Z = absolute(le.value);
            double *y2 = malloc(f->n * sizeof *y2);
            for (size_t k = 0; k < f->n; k++) y2[k] = f->y[k] + (sel[k] ? AMOUNT / size[k] : 0.0);
            for (int a = 0; a < NA; a++) {
                assert_int_equal(socind_fgt(f->wr, y2, &Z, ALPHAS[a], g, G, NULL, ref), SOCIND_OK);
                for (int32_t j = 0; j < G; j++) {
                    const socind_estimate *o = e + j * K;
                    assert_true(o[SOCIND_SIM_FGT(a, 1)].value == ref[j].value);
                    /* the line's variability adds to the fixed line's SE */
                    assert_true(o[SOCIND_SIM_FGT(a, 1)].se != ref[j].se);
                    assert_true(o[SOCIND_SIM_FGT(a, 2)].value ==
                                ref[j].value - o[SOCIND_SIM_FGT(a, 0)].value);
                    assert_true(o[SOCIND_SIM_FGT(a, 2)].se > 0.0);
                }
            }
            assert_int_equal(socind_poor_count(f->wr, y2, &Z, g, G, NULL, ref), SOCIND_OK);
            for (int32_t j = 0; j < G; j++)
                assert_true(e[j * K + SOCIND_SIM_POOR_AFTER].value == ref[j].value);
            free(y2);
        }
    free(urban), free(sel), free(size);
}

/* ---- small random designs (ties at the quantile) ----
 * 60 rows: 4 strata of 3 PSUs of 5 rows, integer weights 1 .. 5 and integer
 * incomes 1 .. 100, so that many rows share the quantile's value. */
#define SN 60
typedef struct {
    double w[SN], y[SN];
    int64_t st[SN], psu[SN];
    int32_t g[SN];
    socind_design *d;
} small;

static uint64_t xs(uint64_t *r) {
    *r ^= *r << 13;
    *r ^= *r >> 7;
    *r ^= *r << 17;
    return *r;
}

static void small_make(small *s, uint64_t seed) {
    uint64_t r = 0x9E3779B97F4A7C15ULL ^ (seed * 0xBF58476D1CE4E5B9ULL);
    for (int i = 0; i < 5; i++) xs(&r);
    for (size_t k = 0; k < SN; k++) {
        s->st[k] = (int64_t)(k / 15);
        s->psu[k] = (int64_t)(k / 5);
        s->w[k] = (double)(1 + xs(&r) % 5);
        s->y[k] = (double)(1 + xs(&r) % 100);
        s->g[k] = (int32_t)(xs(&r) % 2);
    }
    s->d = NULL;
    assert_int_equal(socind_design_new(SN, s->w, s->st, s->psu, NULL, NULL, &s->d), SOCIND_OK);
}

static socind_poverty_line quantile_line(double frac, double p) {
    socind_poverty_line L;
    socind_poverty_line_init(&L);
    L.type = SOCIND_LINE_RELATIVE_QUANTILE;
    L.value = frac;
    L.quantile = p;
    return L;
}

/* A relative quantile line whose quantile Q is an income many rows share
 * (integer incomes): the line's influence counts 1[y <= Q] at Q itself,
 * not at (fraction·Q)/fraction, which rounds below Q for many integers
 * (fractions 0.6 and 0.7). The zero-transfer baseline's SEs equal
 * socind_fgt's and socind_poor_count's against the relative line within
 * 1e−12 (the same sums in another order), overall and by domain, for every
 * seed, fraction and quantile. */
static void test_relative_quantile_ties(void **state) {
    (void)state;
    const double fracs[3] = {0.4, 0.6, 0.7}, ps[2] = {0.5, 0.3};
    socind_transfer t;
    socind_transfer_init(&t);
    t.amount = 0.0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        small s;
        small_make(&s, seed);
        for (int fi = 0; fi < 3; fi++)
            for (int pi = 0; pi < 2; pi++)
                for (int gi = 0; gi < 2; gi++) {
                    socind_poverty_line L = quantile_line(fracs[fi], ps[pi]);
                    const int32_t *g = gi ? s.g : NULL;
                    int32_t G = gi ? 2 : 1;
                    socind_estimate e[2 * K], lib[2];
                    assert_int_equal(
                        socind_simulate_transfer(s.d, s.y, &L, ALPHAS, NA, &t, g, G, NULL, e),
                        SOCIND_OK);
                    for (int a = 0; a <= NA; a++) {
                        if (a < NA)
                            assert_int_equal(socind_fgt(s.d, s.y, &L, ALPHAS[a], g, G, NULL, lib),
                                             SOCIND_OK);
                        else
                            assert_int_equal(socind_poor_count(s.d, s.y, &L, g, G, NULL, lib),
                                             SOCIND_OK);
                        for (int32_t j = 0; j < G; j++) {
                            const socind_estimate *b =
                                &e[j * K +
                                   (a < NA ? SOCIND_SIM_FGT(a, 0) : SOCIND_SIM_POOR_BEFORE)];
                            assert_close(b->value, lib[j].value, 1e-15);
                            assert_close(b->se, lib[j].se, 1e-12);
                        }
                    }
                }
        socind_design_free(s.d);
    }
}

/* N̂ times the Gaussian kernel density of x[rows in domain dom (−1: all)]
 * at v, the bandwidth convey's (σ̂·N̂^(−1/5), σ̂² the weighted variance),
 * written out here. */
static double dense_density(const small *s, const double *x, int dom, double v) {
    long double N = 0, S = 0, S2 = 0;
    for (size_t k = 0; k < SN; k++)
        if (dom < 0 || s->g[k] == dom) N += s->w[k], S += s->w[k] * x[k];
    long double mu = S / N;
    for (size_t k = 0; k < SN; k++)
        if (dom < 0 || s->g[k] == dom) S2 += s->w[k] * (x[k] - mu) * (x[k] - mu);
    double h = sqrt((double)(S2 / N)) / pow((double)N, 0.2);
    long double F = 0;
    for (size_t k = 0; k < SN; k++)
        if (dom < 0 || s->g[k] == dom) {
            double u = (v - x[k]) / h;
            F += s->w[k] * exp(-0.5 * u * u) / 2.50662827463100050242 / h;
        }
    return (double)F;
}

/* The with-replacement variance of the PSU totals of w·u, every stratum. */
static double dense_var(const small *s, const double *u) {
    double Z[SN / 5] = {0};
    for (size_t k = 0; k < SN; k++) Z[s->psu[k]] += s->w[k] * u[k];
    double V = 0.0;
    for (int h = 0; h < 4; h++) {
        double m = (Z[3 * h] + Z[3 * h + 1] + Z[3 * h + 2]) / 3.0, q = 0.0;
        for (int i = 0; i < 3; i++) q += (Z[3 * h + i] - m) * (Z[3 * h + i] - m);
        V += 1.5 * q;
    }
    return V;
}

static double hfgt(double x, double z, double a) {
    return x < z ? (a == 0.0 ? 1.0 : pow((z - x) / z, a)) : 0.0;
}

/* ∂(Σ_d w·h_α(x; z))/∂z: N̂_d·f̂_d(z) at α = 0, Σ w α g^(α−1) x/z² over
 * the poor otherwise. */
static double dense_dz(const small *s, const double *x, int dom, double z, double a) {
    if (a == 0.0) return dense_density(s, x, dom, z);
    double D = 0.0;
    for (size_t k = 0; k < SN; k++)
        if ((dom < 0 || s->g[k] == dom) && x[k] < z)
            D += s->w[k] * a * pow((z - x[k]) / z, a - 1.0) * x[k] / (z * z);
    return D;
}

/* After a real transfer, against a relative quantile line: every SE that
 * carries the line's term (before, after and change of FGT for α = 0, 1, 2
 * and of the number of poor), overall and by domain, against the
 * linearized variable built densely here — u′ − u + (∂′ − ∂)·u_z, u_z =
 * −fraction·(1[y <= Q] − p)/(N̂·f̂(Q)) with Q the weighted quantile found
 * by sorting, f̂ and the domains' f̂_d(z) the Gaussian kernel density with
 * convey's bandwidth written out above — within 1e−12 relative (the same
 * formulas; the bandwidth's variance is summed about the mean here, about
 * the first income in the library: rounding of order 1e−15). Fractions 0.6
 * and 0.7 of the median of integer incomes: Q is shared by several rows. */
static void test_relative_dense_change(void **state) {
    (void)state;
    const double p = 0.5;
    for (uint64_t seed = 1; seed <= 16; seed++) {
        const double frac = seed % 2 ? 0.6 : 0.7;
        small s;
        small_make(&s, seed);
        int32_t sel[SN];
        double y2[SN];
        for (size_t k = 0; k < SN; k++) {
            sel[k] = s.y[k] < 45.0;
            y2[k] = s.y[k] + (sel[k] ? 12.5 : 0.0);
        }
        socind_transfer t;
        socind_transfer_init(&t);
        t.amount = 12.5;
        t.selected = sel;
        socind_poverty_line L = quantile_line(frac, p);
        /* Q by sorting */
        size_t ord[SN];
        for (size_t k = 0; k < SN; k++) ord[k] = k;
        for (size_t i = 1; i < SN; i++)
            for (size_t j = i; j > 0 && s.y[ord[j - 1]] > s.y[ord[j]]; j--) {
                size_t tmp = ord[j];
                ord[j] = ord[j - 1], ord[j - 1] = tmp;
            }
        long double Nt = 0, cum = 0;
        for (size_t k = 0; k < SN; k++) Nt += s.w[k];
        double Q = NAN;
        for (size_t i = 0; i < SN && isnan(Q); i++) {
            cum += s.w[ord[i]];
            if ((double)cum / (double)Nt >= p) Q = s.y[ord[i]];
        }
        const double z = frac * Q, fQ = dense_density(&s, s.y, -1, Q);
        socind_estimate le;
        assert_int_equal(socind_poverty_line_estimate(s.d, s.y, &L, NULL, &le), SOCIND_OK);
        assert_true(le.value == z);
        double uz[SN];
        for (size_t k = 0; k < SN; k++) uz[k] = -frac * ((s.y[k] <= Q ? 1.0 : 0.0) - p) / fQ;
        for (int gi = 0; gi < 2; gi++) {
            const int G = gi ? 2 : 1;
            socind_estimate e[2 * K];
            assert_int_equal(
                socind_simulate_transfer(s.d, s.y, &L, ALPHAS, NA, &t, gi ? s.g : NULL, G, NULL, e),
                SOCIND_OK);
            for (int j = 0; j < G; j++) {
                const int dom = gi ? j : -1;
                const socind_estimate *o = e + j * K;
                double Nd = 0.0;
                for (size_t k = 0; k < SN; k++)
                    if (dom < 0 || s.g[k] == dom) Nd += s.w[k];
                double u0[SN], u1[SN], uc[SN];
                for (int a = 0; a <= NA; a++) {
                    const int count = a == NA;
                    const double al = count ? 0.0 : ALPHAS[a];
                    double P0 = 0.0, P1 = 0.0;
                    for (size_t k = 0; k < SN; k++)
                        if (dom < 0 || s.g[k] == dom)
                            P0 += s.w[k] * hfgt(s.y[k], z, al), P1 += s.w[k] * hfgt(y2[k], z, al);
                    if (!count) P0 /= Nd, P1 /= Nd;
                    const double D0 = dense_dz(&s, s.y, dom, z, al) / (count ? 1.0 : Nd),
                                 D1 = dense_dz(&s, y2, dom, z, al) / (count ? 1.0 : Nd);
                    for (size_t k = 0; k < SN; k++) {
                        int in = dom < 0 || s.g[k] == dom;
                        double h0 = in ? hfgt(s.y[k], z, al) : 0.0,
                               h1 = in ? hfgt(y2[k], z, al) : 0.0;
                        if (count) {
                            u0[k] = h0 + D0 * uz[k];
                            u1[k] = h1 + D1 * uz[k];
                            uc[k] = h1 - h0 + (D1 - D0) * uz[k];
                        } else {
                            u0[k] = (in ? (h0 - P0) / Nd : 0.0) + D0 * uz[k];
                            u1[k] = (in ? (h1 - P1) / Nd : 0.0) + D1 * uz[k];
                            uc[k] = (in ? (h1 - h0 - (P1 - P0)) / Nd : 0.0) + (D1 - D0) * uz[k];
                        }
                    }
                    const socind_estimate *b, *af, *c;
                    if (count) {
                        b = &o[SOCIND_SIM_POOR_BEFORE], af = &o[SOCIND_SIM_POOR_AFTER];
                        c = &o[SOCIND_SIM_POOR_CHANGE];
                    } else {
                        b = &o[SOCIND_SIM_FGT(a, 0)], af = &o[SOCIND_SIM_FGT(a, 1)];
                        c = &o[SOCIND_SIM_FGT(a, 2)];
                    }
                    assert_close(b->value, P0, 1e-13);
                    assert_close(af->value, P1, 1e-13);
                    assert_close(b->se, sqrt(dense_var(&s, u0)), 1e-12);
                    assert_close(af->se, sqrt(dense_var(&s, u1)), 1e-12);
                    assert_close(c->se, sqrt(dense_var(&s, uc)), 1e-12);
                }
            }
        }
        socind_design_free(s.d);
    }
}

/* A calibrated design (linear calibration of the small design to a total
 * of y times factor, with an intercept: factor 1.8 leaves some weights
 * negative). */
static socind_design *small_calibrated(const small *s, double factor, double *w) {
    double ty = 0.0, tn = 0.0;
    for (size_t k = 0; k < SN; k++) ty += s->w[k] * s->y[k], tn += s->w[k];
    ty *= factor;
    socind_calibration c;
    socind_calibration_init(&c);
    c.method = SOCIND_CAL_LINEAR;
    c.intercept = 1;
    c.intercept_total = tn;
    c.n_numeric = 1;
    c.x = s->y;
    c.x_totals = &ty;
    socind_design *cd = NULL;
    assert_int_equal(socind_calibrate(s->d, &c, w, NULL, &cd), SOCIND_OK);
    return cd;
}

/* Calibrated designs. Weights >= 0: the baseline and simulated figures are
 * socind_fgt's (bit for bit against a fixed line; against a relative line
 * the baseline's SEs within 1e−12), and where nobody is poor before the
 * transfer (a negative transfer makes some poor) the change's linearized
 * variable is the after one's, so their SEs agree (1e−12). Negative
 * weights: refused as socind_gini refuses them (SOCIND_ERR_WEIGHT, the row
 * named); the changes follow socind_fgt's rule for them (convey's: a row of
 * negative weight gives u = 0), which that refusal leaves unreached. */
static void test_calibrated(void **state) {
    (void)state;
    small s;
    small_make(&s, 7);
    double w[SN];
    socind_design *cd = small_calibrated(&s, 1.05, w);
    for (size_t k = 0; k < SN; k++) assert_true(w[k] > 0.0);
    double yh[SN];
    int32_t sel[SN];
    for (size_t k = 0; k < SN; k++) yh[k] = 100.0 + s.y[k], sel[k] = s.y[k] < 50.0;
    socind_transfer t;
    socind_transfer_init(&t);
    t.amount = -60.0;
    t.selected = sel;
    socind_poverty_line L = absolute(90.0);
    socind_estimate e[K], ref[2];
    assert_int_equal(socind_simulate_transfer(cd, yh, &L, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_OK);
    for (int a = 0; a < NA; a++) {
        assert_int_equal(socind_fgt(cd, yh, &L, ALPHAS[a], NULL, 0, NULL, ref), SOCIND_OK);
        assert_true(same_bits(&e[SOCIND_SIM_FGT(a, 0)], &ref[0]));
        assert_true(e[SOCIND_SIM_FGT(a, 0)].value == 0.0);
        assert_true(e[SOCIND_SIM_FGT(a, 1)].value > 0.0);
        assert_close(e[SOCIND_SIM_FGT(a, 2)].se, e[SOCIND_SIM_FGT(a, 1)].se, 1e-12);
    }
    socind_poverty_line R = quantile_line(0.6, 0.5);
    socind_estimate e2[K];
    t.amount = 0.0;
    assert_int_equal(socind_simulate_transfer(cd, s.y, &R, ALPHAS, NA, &t, NULL, 0, NULL, e2),
                     SOCIND_OK);
    for (int a = 0; a < NA; a++) {
        assert_int_equal(socind_fgt(cd, s.y, &R, ALPHAS[a], NULL, 0, NULL, ref), SOCIND_OK);
        assert_close(e2[SOCIND_SIM_FGT(a, 0)].se, ref[0].se, 1e-12);
    }
    socind_design_free(cd);
    /* negative weights */
    cd = small_calibrated(&s, 1.8, w);
    size_t neg = SN;
    for (size_t k = SN; k-- > 0;)
        if (w[k] < 0.0) neg = k;
    assert_true(neg < SN);
    t.amount = -60.0;
    assert_int_equal(socind_simulate_transfer(cd, yh, &L, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_gini(cd, yh, NULL, 0, NULL, ref), SOCIND_ERR_WEIGHT);
    assert_int_equal(socind_simulate_transfer(cd, s.y, &R, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_ERR_WEIGHT);
    socind_design_free(cd);
    socind_design_free(s.d);
}

/* A lonely PSU (stratum 3 is one PSU; lonely_psu ADJUST, and REMOVE), by
 * domain, one domain being that PSU's rows alone: the before and after
 * figures are socind_fgt's and socind_poor_count's bit for bit, and where
 * nobody is poor before the transfer (a negative transfer makes some
 * poor) each change's linearized variable is the after one's, so their
 * SEs agree (1e−12) through the same lonely rule. */
static void test_lonely_psu(void **state) {
    (void)state;
    small s;
    small_make(&s, 3);
    socind_design_free(s.d);
    for (size_t k = 45; k < SN; k++) s.psu[k] = 9;
    int32_t g[SN], sel[SN];
    double yh[SN];
    for (size_t k = 0; k < SN; k++) {
        g[k] = k >= 45 ? 2 : s.g[k];
        yh[k] = 100.0 + s.y[k];
        sel[k] = s.y[k] < 50.0;
    }
    socind_design_options dop;
    socind_design_options_init(&dop);
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(SN, s.w, s.st, s.psu, NULL, &dop, &d),
                     SOCIND_ERR_LONELY_PSU);
    const int32_t rules[2] = {SOCIND_LONELY_ADJUST, SOCIND_LONELY_REMOVE};
    for (int ri = 0; ri < 2; ri++) {
        dop.lonely_psu = rules[ri];
        assert_int_equal(socind_design_new(SN, s.w, s.st, s.psu, NULL, &dop, &d), SOCIND_OK);
        socind_transfer t;
        socind_transfer_init(&t);
        t.amount = -60.0;
        t.selected = sel;
        socind_poverty_line L = absolute(90.0);
        double y2[SN];
        for (size_t k = 0; k < SN; k++) y2[k] = yh[k] + (sel[k] ? -60.0 : 0.0);
        socind_estimate e[3 * K], b[3], a[3];
        assert_int_equal(socind_simulate_transfer(d, yh, &L, ALPHAS, NA, &t, g, 3, NULL, e),
                         SOCIND_OK);
        for (int al = 0; al <= NA; al++) {
            if (al < NA) {
                assert_int_equal(socind_fgt(d, yh, &L, ALPHAS[al], g, 3, NULL, b), SOCIND_OK);
                assert_int_equal(socind_fgt(d, y2, &L, ALPHAS[al], g, 3, NULL, a), SOCIND_OK);
            } else {
                assert_int_equal(socind_poor_count(d, yh, &L, g, 3, NULL, b), SOCIND_OK);
                assert_int_equal(socind_poor_count(d, y2, &L, g, 3, NULL, a), SOCIND_OK);
            }
            for (int j = 0; j < 3; j++) {
                const socind_estimate *o = e + j * K;
                const int i0 = al < NA ? SOCIND_SIM_FGT(al, 0) : SOCIND_SIM_POOR_BEFORE;
                assert_true(same_bits(&o[i0], &b[j]));
                assert_true(same_bits(&o[i0 + 1], &a[j]));
                assert_true(o[i0].value == 0.0);
                assert_int_equal(o[i0 + 2].status, SOCIND_OK);
                /* 1e−15 absolute: an SE of 0 (a stratum's PSUs alike)
                   is rounding-sized in the paired sums */
                assert_close_abs(o[i0 + 2].se, a[j].se, 1e-12, al < NA ? 1e-15 : 1e-12);
            }
        }
        socind_design_free(d);
    }
}

/* Rows the rule does not select are not read for their size or amount: a
 * NaN or negative household size there changes nothing; a selected row
 * whose code's amount is NaN gets nothing, as if not selected. */
static void test_unselected_rows(void **state) {
    (void)state;
    small s;
    small_make(&s, 5);
    int32_t sel[SN], sel2[SN], code[SN];
    double size[SN], bad[SN];
    for (size_t k = 0; k < SN; k++) {
        sel[k] = s.y[k] < 50.0;
        size[k] = bad[k] = (double)(1 + k % 4);
        code[k] = (int32_t)(k % 3);
    }
    for (size_t k = 0, m = 0; k < SN && m < 2; k++)
        if (!sel[k]) bad[k] = m++ ? -2.0 : NAN;
    socind_poverty_line L = absolute(40.0);
    socind_transfer t;
    socind_transfer_init(&t);
    t.per = SOCIND_TRANSFER_PER_HOUSEHOLD;
    t.amount = 30.0;
    t.selected = sel;
    t.household_size = size;
    socind_estimate e0[K], e1[K];
    assert_int_equal(socind_simulate_transfer(s.d, s.y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e0),
                     SOCIND_OK);
    t.household_size = bad;
    assert_int_equal(socind_simulate_transfer(s.d, s.y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e1),
                     SOCIND_OK);
    assert_memory_equal(e0, e1, sizeof e0);
    /* by code: code 1's amount is NaN */
    const double amounts[3] = {30.0, NAN, 20.0};
    t.per = SOCIND_TRANSFER_PER_PERSON;
    t.n_codes = 3;
    t.code = code;
    t.amounts = amounts;
    assert_int_equal(socind_simulate_transfer(s.d, s.y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e0),
                     SOCIND_OK);
    double tk[SN];
    assert_int_equal(socind_transfer_amounts(s.d, &t, tk), SOCIND_OK);
    int hit = 0;
    for (size_t k = 0; k < SN; k++) {
        sel2[k] = sel[k] && code[k] != 1;
        hit += sel[k] && code[k] == 1;
        assert_true(tk[k] == (sel2[k] ? amounts[code[k]] : 0.0));
    }
    assert_true(hit > 0);
    t.selected = sel2;
    assert_int_equal(socind_simulate_transfer(s.d, s.y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e1),
                     SOCIND_OK);
    assert_memory_equal(e0, e1, sizeof e0);
    socind_design_free(s.d);
}

/* ---- point estimates against a slow computation ---- */
static void check_points(const households *f, const socind_poverty_line *L, const int32_t *g,
                         int32_t G, const socind_transfer *t, const double *tk) {
    double *y2 = malloc(f->n * sizeof *y2);
    for (size_t k = 0; k < f->n; k++) y2[k] = f->y[k] + tk[k];
    socind_estimate *e = calloc((size_t)(K * G), sizeof *e);
    socind_estimate *b = calloc((size_t)G, sizeof *b), *a = calloc((size_t)G, sizeof *a),
                    *c = calloc((size_t)G, sizeof *c);
    assert_int_equal(socind_simulate_transfer(f->wr, f->y, L, ALPHAS, NA, t, g, G, NULL, e),
                     SOCIND_OK);
    assert_int_equal(socind_total(f->wr, tk, g, G, NULL, c), SOCIND_OK);
    for (int32_t j = 0; j < G; j++) {
        assert_true(same_bits(&e[j * K + SOCIND_SIM_COST], &c[j]));
        if (c[j].status == SOCIND_OK) assert_true(c[j].value >= 0.0);
    }
    for (int ai = 0; ai < NA; ai++) {
        assert_int_equal(socind_fgt(f->wr, f->y, L, ALPHAS[ai], g, G, NULL, b), SOCIND_OK);
        assert_int_equal(socind_fgt(f->wr, y2, L, ALPHAS[ai], g, G, NULL, a), SOCIND_OK);
        for (int32_t j = 0; j < G; j++) {
            const socind_estimate *o = e + j * K;
            assert_true(same_bits(&o[SOCIND_SIM_FGT(ai, 0)], &b[j]));
            assert_true(same_bits(&o[SOCIND_SIM_FGT(ai, 1)], &a[j]));
            if (b[j].status == SOCIND_ERR_EMPTY_DOMAIN) continue;
            double dP = a[j].value - b[j].value;
            assert_true(o[SOCIND_SIM_FGT(ai, 2)].value == dP);
            assert_true(dP <= 0.0); /* a positive transfer never raises FGT */
            assert_close_abs(o[SOCIND_SIM_FGT(ai, 3)].value, -dP / (c[j].value / 1e9), 1e-14,
                             1e-300);
        }
    }
    assert_int_equal(socind_gini(f->wr, f->y, g, G, NULL, b), SOCIND_OK);
    assert_int_equal(socind_gini(f->wr, y2, g, G, NULL, a), SOCIND_OK);
    for (int32_t j = 0; j < G; j++) {
        assert_true(same_bits(&e[j * K + SOCIND_SIM_GINI_BEFORE], &b[j]));
        assert_true(same_bits(&e[j * K + SOCIND_SIM_GINI_AFTER], &a[j]));
        if (b[j].status == SOCIND_OK)
            assert_true(e[j * K + SOCIND_SIM_GINI_CHANGE].value == a[j].value - b[j].value);
    }
    assert_int_equal(socind_poor_count(f->wr, f->y, L, g, G, NULL, b), SOCIND_OK);
    assert_int_equal(socind_poor_count(f->wr, y2, L, g, G, NULL, a), SOCIND_OK);
    for (int32_t j = 0; j < G; j++) {
        assert_true(same_bits(&e[j * K + SOCIND_SIM_POOR_BEFORE], &b[j]));
        assert_true(same_bits(&e[j * K + SOCIND_SIM_POOR_AFTER], &a[j]));
        if (b[j].status != SOCIND_OK) continue;
        double dN = a[j].value - b[j].value;
        assert_true(e[j * K + SOCIND_SIM_POOR_CHANGE].value == dN);
        assert_close_abs(e[j * K + SOCIND_SIM_LIFTED_PER_UNIT].value, -dN / (c[j].value / 1e9),
                         1e-14, 1e-300);
    }
    free(y2), free(e), free(a), free(b), free(c);
}

static void test_points(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    /* the transfers, slowly: per household a/size, per person a, by code */
    double *tk = calloc(f->n, sizeof *tk), *t2 = calloc(f->n, sizeof *t2);
    for (size_t k = 0; k < f->n; k++) tk[k] = sel[k] ? AMOUNT / size[k] : 0.0;
    socind_transfer t = per_household(size, sel, AMOUNT);
    assert_int_equal(socind_transfer_amounts(f->wr, &t, t2), SOCIND_OK);
    assert_memory_equal(t2, tk, f->n * sizeof *tk);
    /* the cost is Σ over households of w_hh·amount: rows are households
       weighted by persons (w_person = w_hh·hhsize) */
    double *whh = test_csv_doubles(f->hh, "w_hh");
    long double cost = 0.0L;
    for (size_t k = 0; k < f->n; k++)
        if (sel[k]) cost += (long double)whh[k] * AMOUNT;
    socind_estimate ce;
    assert_int_equal(socind_total(f->wr, tk, NULL, 0, NULL, &ce), SOCIND_OK);
    assert_close(ce.value, (double)cost, 1e-6); /* w_person is rounded to 0.1 in the file */

    socind_poverty_line La = absolute(519750.0), Lr = absolute(0.0);
    Lr.type = SOCIND_LINE_PER_ROW;
    Lr.lines = f->line_region;
    int64_t codes[64];
    int32_t nc;
    int32_t *grp = households_subdistricts(f, codes, &nc);
    check_points(f, &La, NULL, 1, &t, tk);
    check_points(f, &Lr, NULL, 1, &t, tk);
    check_points(f, &Lr, grp, nc, &t, tk);

    /* per person, to rural households only, by code: urban 0 → 150000, 1 → nothing */
    int32_t *code = calloc(f->n, sizeof *code);
    for (size_t k = 0; k < f->n; k++) code[k] = (int32_t)f->urban[k];
    const double amounts[2] = {150000.0, NAN};
    socind_transfer tc;
    socind_transfer_init(&tc);
    tc.n_codes = 2;
    tc.code = code;
    tc.amounts = amounts;
    tc.selected = sel;
    for (size_t k = 0; k < f->n; k++) tk[k] = sel[k] && code[k] == 0 ? 150000.0 : 0.0;
    assert_int_equal(socind_transfer_amounts(f->wr, &tc, t2), SOCIND_OK);
    assert_memory_equal(t2, tk, f->n * sizeof *tk);
    check_points(f, &Lr, grp, nc, &tc, tk);
    free(code), free(whh), free(tk), free(t2), free(grp), free(sel), free(size);
}

/* ---- SEs against numerical derivatives in each PSU's weights ----
 * θ(w with one PSU's weights × (1 ± h)), z_p = (θ+ − θ−)/2h, V = Σ_h n_h/(n_h
 * − 1) Σ_p (z_p − z̄_h)². The transfers t_k (per capita) do not depend on the
 * weights, so every part is a smooth function of the weights: ΔP_0 and
 * ΔN_poor too (the indicators 1[y' poor] − 1[y poor] are fixed when only
 * weights move; a step function of the incomes is not differentiated). Each
 * estimate is a ratio of a few weighted sums (the Gini a function of its
 * rank sum, the ranks fixed), so the central difference's error is O(h²)
 * ~ 1e−10 relative, and the rounding's ~1e−16/h ~ 1e−11: 1e−6 leaves room. */
/* density: the line is relative, and the parts whose SE carries the
 * kernel density at the line (α = 0 and the number of poor: the derivative
 * of a step function in z, which a perturbation of the weights does not
 * reproduce) are left out. */
static int has_density(int k) {
    return k == SOCIND_SIM_POOR_BEFORE || k == SOCIND_SIM_POOR_AFTER ||
           k == SOCIND_SIM_POOR_CHANGE || k == SOCIND_SIM_LIFTED_PER_UNIT ||
           (k >= SOCIND_SIM_FGT(0, 0) && k <= SOCIND_SIM_FGT(0, 3));
}

static void check_numeric(const households *f, const socind_poverty_line *L, const int32_t *g,
                          int32_t G, const socind_transfer *t, int density) {
    const size_t N = (size_t)(K * G);
    socind_estimate *base = calloc(N, sizeof *base), *ep = calloc(N, sizeof *ep),
                    *em = calloc(N, sizeof *em);
    assert_int_equal(socind_simulate_transfer(f->wr, f->y, L, ALPHAS, NA, t, g, G, NULL, base),
                     SOCIND_OK);
    /* the PSUs and their strata */
    size_t np = 0;
    int64_t *pid = calloc(f->n, sizeof *pid), *pst = calloc(f->n, sizeof *pst);
    for (size_t k = 0; k < f->n; k++) {
        size_t p;
        for (p = 0; p < np; p++)
            if (pid[p] == f->psu[k]) break;
        if (p == np) pid[np] = f->psu[k], pst[np++] = f->stratum[k];
    }
    double *z = calloc(np * N, sizeof *z), *w2 = malloc(f->n * sizeof *w2);
    const double h = 1e-5;
    for (size_t p = 0; p < np; p++) {
        for (int sgn = 0; sgn < 2; sgn++) {
            for (size_t k = 0; k < f->n; k++)
                w2[k] = f->w[k] * (f->psu[k] == pid[p] ? (sgn ? 1.0 - h : 1.0 + h) : 1.0);
            socind_design *d = NULL;
            assert_int_equal(socind_design_new(f->n, w2, f->stratum, f->psu, NULL, NULL, &d),
                             SOCIND_OK);
            assert_int_equal(
                socind_simulate_transfer(d, f->y, L, ALPHAS, NA, t, g, G, NULL, sgn ? em : ep),
                SOCIND_OK);
            socind_design_free(d);
        }
        for (size_t j = 0; j < N; j++) z[p * N + j] = (ep[j].value - em[j].value) / (2 * h);
    }
    int checked = 0;
    for (size_t j = 0; j < N; j++) {
        if (base[j].status != SOCIND_OK) continue;
        if (density && has_density((int)(j % K))) continue;
        double V = 0.0;
        for (size_t a = 0; a < np; a++) {
            /* stratum of PSU a: its first PSU visits the stratum */
            size_t first;
            for (first = 0; pst[first] != pst[a]; first++) {
            }
            if (first != a) continue;
            double m = 0.0, q = 0.0;
            int nh = 0;
            for (size_t b = 0; b < np; b++)
                if (pst[b] == pst[a]) m += z[b * N + j], nh++;
            m /= nh;
            for (size_t b = 0; b < np; b++)
                if (pst[b] == pst[a]) q += (z[b * N + j] - m) * (z[b * N + j] - m);
            V += (double)nh / (nh - 1) * q;
        }
        assert_close_abs(base[j].se, sqrt(V), 1e-6, 1e-9 * fabs(base[j].value) + 1e-300);
        checked++;
    }
    assert_true(checked >= (int)N / 2);
    free(base), free(ep), free(em), free(pid), free(pst), free(z), free(w2);
}

static void test_numeric_se(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    socind_transfer t = per_household(size, sel, AMOUNT);
    socind_poverty_line Lr = absolute(0.0);
    Lr.type = SOCIND_LINE_PER_ROW;
    Lr.lines = f->line_region;
    check_numeric(f, &Lr, NULL, 1, &t, 0);
    int32_t *urban = calloc(f->n, sizeof *urban);
    for (size_t k = 0; k < f->n; k++) urban[k] = (int32_t)f->urban[k];
    socind_poverty_line La = absolute(519750.0);
    check_numeric(f, &La, urban, 2, &t, 0);
    /* a relative mean line, estimated on the baseline (its influence in
       every SE: weights move the mean, and the line with it) */
    socind_poverty_line Lm;
    socind_poverty_line_init(&Lm);
    Lm.type = SOCIND_LINE_RELATIVE_MEAN;
    Lm.value = 0.5;
    check_numeric(f, &Lm, NULL, 1, &t, 1);
    check_numeric(f, &Lm, urban, 2, &t, 1);
    free(urban), free(sel), free(size);
}

/* The change's SE is the paired one: below the SE of two independent
 * samples, sqrt(se_a² + se_b²), for a transfer that moves few rows. */
static void test_paired_smaller(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    socind_transfer t = per_household(size, sel, AMOUNT);
    socind_poverty_line L = absolute(519750.0);
    socind_estimate e[K];
    assert_int_equal(socind_simulate_transfer(f->wr, f->y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_OK);
    for (int a = 0; a < NA; a++) {
        const socind_estimate *b = &e[SOCIND_SIM_FGT(a, 0)], *af = &e[SOCIND_SIM_FGT(a, 1)],
                              *c = &e[SOCIND_SIM_FGT(a, 2)];
        assert_int_equal(c->status, SOCIND_OK);
        assert_true(c->se > 0.0 && c->se < hypot(b->se, af->se));
        assert_true(c->ci_low < c->value && c->value < c->ci_high);
        assert_true(e[SOCIND_SIM_FGT(a, 3)].value > 0.0);
    }
    assert_true(e[SOCIND_SIM_GINI_CHANGE].value < 0.0);
    assert_true(e[SOCIND_SIM_LIFTED_PER_UNIT].value > 0.0);
    free(sel), free(size);
}

/* A levy (a negative amount, the same households): the cost is negative,
 * FGT and the number of poor rise, and the per-unit figures divide by
 * |C|, so they come out negative (more poverty per billion levied): the
 * transfer's figures with the signs of ΔP and ΔN; their SEs against
 * numerical derivatives in the PSUs' weights. */
static void test_levy(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    socind_transfer t = per_household(size, sel, -AMOUNT);
    socind_poverty_line L = absolute(519750.0);
    socind_estimate e[K];
    assert_int_equal(socind_simulate_transfer(f->wr, f->y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_OK);
    const double C = e[SOCIND_SIM_COST].value;
    assert_true(C < 0.0);
    for (int a = 0; a < NA; a++) {
        const double dP = e[SOCIND_SIM_FGT(a, 2)].value;
        const socind_estimate *r = &e[SOCIND_SIM_FGT(a, 3)];
        assert_true(dP > 0.0);
        assert_int_equal(r->status, SOCIND_OK);
        assert_true(r->value < 0.0);
        assert_close(r->value, -dP / (fabs(C) / 1e9), 1e-14);
        assert_true(r->ci_low <= r->value && r->value <= r->ci_high);
    }
    const double dN = e[SOCIND_SIM_POOR_CHANGE].value;
    const socind_estimate *l = &e[SOCIND_SIM_LIFTED_PER_UNIT];
    assert_true(dN > 0.0);
    assert_int_equal(l->status, SOCIND_OK);
    assert_true(l->value < 0.0);
    assert_close(l->value, -dN / (fabs(C) / 1e9), 1e-14);
    assert_true(l->ci_low <= l->value && l->value <= l->ci_high);
    check_numeric(f, &L, NULL, 1, &t, 0);
    int32_t *urban = calloc(f->n, sizeof *urban);
    for (size_t k = 0; k < f->n; k++) urban[k] = (int32_t)f->urban[k];
    check_numeric(f, &L, urban, 2, &t, 0);
    free(urban), free(sel), free(size);
}

/* A replicate design (JKn over the reference strata): every part is
 * recomputed with each replicate's weights (SOCIND__REPLICATED), the values
 * are the full sample's, and the jackknife SEs are near the linearized
 * ones. */
static void test_replicate_design(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    socind_transfer t = per_household(size, sel, AMOUNT);
    socind_poverty_line L = absolute(519750.0);
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.type = SOCIND_REP_JKN;
    socind_design *rd = NULL;
    assert_int_equal(socind_design_replicate_make(f->wr, &ro, &rd), SOCIND_OK);
    socind_estimate e[K], r[K];
    assert_int_equal(socind_simulate_transfer(f->wr, f->y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_OK);
    assert_int_equal(socind_simulate_transfer(rd, f->y, &L, ALPHAS, NA, &t, NULL, 0, NULL, r),
                     SOCIND_OK);
    for (int k = 0; k < K; k++) {
        assert_int_equal(r[k].status, SOCIND_OK);
        assert_true(r[k].value == e[k].value);
        assert_true(r[k].se > 0.8 * e[k].se && r[k].se < 1.25 * e[k].se);
    }
    socind_design_free(rd);
    free(sel), free(size);
}

/* A replicate design with a relative quantile line: the line is estimated
 * again with each replicate's weights; the baseline's figures are
 * socind_fgt's and socind_poor_count's against the relative line (values
 * within 1e−15, jackknife SEs within 1e−12), and after a transfer every
 * part has a value and an SE. */
static void test_replicate_relative(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    socind_replicate_options ro;
    socind_replicate_options_init(&ro);
    ro.type = SOCIND_REP_JKN;
    socind_design *rd = NULL;
    assert_int_equal(socind_design_replicate_make(f->wr, &ro, &rd), SOCIND_OK);
    socind_poverty_line R = quantile_line(0.6, 0.5);
    socind_transfer t = per_household(size, sel, 0.0);
    socind_estimate e[K], lib;
    assert_int_equal(socind_simulate_transfer(rd, f->y, &R, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_OK);
    for (int a = 0; a <= NA; a++) {
        if (a < NA)
            assert_int_equal(socind_fgt(rd, f->y, &R, ALPHAS[a], NULL, 0, NULL, &lib), SOCIND_OK);
        else
            assert_int_equal(socind_poor_count(rd, f->y, &R, NULL, 0, NULL, &lib), SOCIND_OK);
        const socind_estimate *b = &e[a < NA ? SOCIND_SIM_FGT(a, 0) : SOCIND_SIM_POOR_BEFORE];
        assert_int_equal(b->status, SOCIND_OK);
        assert_close(b->value, lib.value, 1e-15);
        assert_close(b->se, lib.se, 1e-12);
    }
    t.amount = AMOUNT;
    assert_int_equal(socind_simulate_transfer(rd, f->y, &R, ALPHAS, NA, &t, NULL, 0, NULL, e),
                     SOCIND_OK);
    for (int k = 0; k < K; k++) {
        assert_int_equal(e[k].status, SOCIND_OK);
        assert_true(e[k].se > 0.0 && isfinite(e[k].se));
    }
    socind_design_free(rd);
    free(sel), free(size);
}

/* socind_transfer's size rule (docs/abi.md): a later version's larger
 * struct is read when its unknown bytes are 0 and refused otherwise; a
 * size below the first version's or above 4096 is refused. */
static void test_transfer_size(void **state) {
    households *f = *state;
    struct {
        socind_transfer s;
        unsigned char tail[16];
    } big;
    memset(&big, 0, sizeof big);
    assert_int_equal(socind_transfer_init(&big.s), SOCIND_OK);
    big.s.amount = 1.0;
    big.s.size = sizeof big;
    double *t = malloc(f->n * sizeof *t);
    assert_int_equal(socind_transfer_amounts(f->wr, &big.s, t), SOCIND_OK);
    assert_true(t[0] == 1.0);
    big.tail[3] = 1;
    assert_int_equal(socind_transfer_amounts(f->wr, &big.s, t), SOCIND_ERR_OPTIONS);
    big.s.size = 4097;
    assert_int_equal(socind_transfer_amounts(f->wr, &big.s, t), SOCIND_ERR_OPTIONS);
    big.s.size = offsetof(socind_transfer, cost_unit);
    assert_int_equal(socind_transfer_amounts(f->wr, &big.s, t), SOCIND_ERR_OPTIONS);
    free(t);
}

/* ---- bad inputs ---- */
static void test_bad_inputs(void **state) {
    households *f = *state;
    double *size = hh_size(f);
    int32_t *sel = select_rule(f);
    socind_transfer t = per_household(size, sel, AMOUNT);
    socind_poverty_line L = absolute(519750.0);
    socind_estimate e[K];
    const socind_design *d = f->wr;
#define SIM(dd, yy, ll, al, na, tt, out)                                                           \
    socind_simulate_transfer(dd, yy, ll, al, na, tt, NULL, 0, NULL, out)
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &t, NULL), SOCIND_ERR_NULL);
    assert_int_equal(SIM(NULL, f->y, &L, ALPHAS, NA, &t, e), SOCIND_ERR_NULL);
    for (int j = 0; j < K; j++) assert_true(isnan(e[j].value) && e[j].status == SOCIND_ERR_NULL);
    assert_int_equal(SIM(d, NULL, &L, ALPHAS, NA, &t, e), SOCIND_ERR_NULL);
    assert_int_equal(SIM(d, f->y, NULL, ALPHAS, NA, &t, e), SOCIND_ERR_NULL);
    assert_int_equal(SIM(d, f->y, &L, NULL, NA, &t, e), SOCIND_ERR_NULL);
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, NULL, e), SOCIND_ERR_NULL);
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, 0, &t, e), SOCIND_ERR_ARG);
    {
        /* more α than the library takes: the SOCIND_SIM_MAX_ALPHA first
           values' estimates are NaN (the caller's buffer holds more) */
        socind_estimate big[SOCIND_SIM_COUNT(SOCIND_SIM_MAX_ALPHA + 1)];
        const double many[SOCIND_SIM_MAX_ALPHA + 1] = {0, 1, 2, 3, 4, 5, 6};
        big[SOCIND_SIM_COUNT(SOCIND_SIM_MAX_ALPHA)].status = 12345;
        assert_int_equal(SIM(d, f->y, &L, many, SOCIND_SIM_MAX_ALPHA + 1, &t, big), SOCIND_ERR_ARG);
        for (int j = 0; j < SOCIND_SIM_COUNT(SOCIND_SIM_MAX_ALPHA); j++)
            assert_true(isnan(big[j].value) && big[j].status == SOCIND_ERR_ARG);
        assert_int_equal(big[SOCIND_SIM_COUNT(SOCIND_SIM_MAX_ALPHA)].status, 12345);
    }
    const double bad_alpha[2] = {1.0, -1.0}, nan_alpha[1] = {NAN};
    assert_int_equal(SIM(d, f->y, &L, bad_alpha, 2, &t, e), SOCIND_ERR_ARG);
    assert_int_equal(SIM(d, f->y, &L, nan_alpha, 1, &t, e), SOCIND_ERR_ARG);
    /* lines */
    socind_poverty_line R;
    socind_poverty_line_init(&R);
    R.type = SOCIND_LINE_RELATIVE_QUANTILE;
    R.value = 0.6;
    R.value = -0.6;
    assert_int_equal(SIM(d, f->y, &R, ALPHAS, NA, &t, e), SOCIND_ERR_ARG);
    socind_poverty_line Z = absolute(-1.0);
    assert_int_equal(SIM(d, f->y, &Z, ALPHAS, NA, &t, e), SOCIND_ERR_ARG);
    socind_poverty_line U = L;
    U.size = 0;
    assert_int_equal(SIM(d, f->y, &U, ALPHAS, NA, &t, e), SOCIND_ERR_OPTIONS);
    /* the transfer */
    socind_transfer b = t;
    b.size = 3;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_OPTIONS);
    b = t;
    b.per = 7;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_ARG);
    b = t;
    b.household_size = NULL;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_NULL);
    b = t;
    b.amount = INFINITY;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_ARG);
    b.amount = NAN;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_ARG);
    b = t;
    b.cost_unit = 0.0;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_ARG);
    b.cost_unit = 4.9e-324; /* subnormal: below DBL_MIN, as the header says */
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_ARG);
    assert_non_null(strstr(socind_last_error_detail(), "at least"));
    b.cost_unit = DBL_MIN;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_OK);
    b = t;
    b.n_codes = -1;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_ARG);
    b.n_codes = 2;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_NULL);
    int32_t *code = calloc(f->n, sizeof *code);
    const double amounts[2] = {1.0, INFINITY};
    b.code = code;
    b.amounts = amounts;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_ARG);
    const double amounts2[2] = {1.0, 2.0};
    b.amounts = amounts2;
    code[11] = 2;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 11);
    code[11] = 0;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_OK);
    /* rows: a flag other than 0/1, a selected household of size 0 */
    int32_t *s2 = malloc(f->n * sizeof *s2);
    memcpy(s2, sel, f->n * sizeof *s2);
    s2[5] = 2;
    b = t;
    b.selected = s2;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 5);
    for (int j = 0; j < K; j++) assert_true(isnan(e[j].value) && e[j].status == SOCIND_ERR_DATA);
    s2[5] = 1;
    double *sz = malloc(f->n * sizeof *sz);
    memcpy(sz, size, f->n * sizeof *sz);
    sz[5] = 0.0;
    b.household_size = sz;
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 5);
    double *tt = malloc(f->n * sizeof *tt);
    assert_int_equal(socind_transfer_amounts(d, &b, tt), SOCIND_ERR_DATA);
    assert_true(isnan(tt[0]));
    assert_int_equal(socind_transfer_amounts(d, &b, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_transfer_amounts(NULL, &b, tt), SOCIND_ERR_NULL);
    assert_int_equal(socind_transfer_amounts(d, NULL, tt), SOCIND_ERR_NULL);
    assert_int_equal(socind_transfer_init(NULL), SOCIND_ERR_NULL);
    /* a size of 0 on a row not selected is not read */
    s2[5] = 0;
    assert_int_equal(socind_transfer_amounts(d, &b, tt), SOCIND_OK);
    assert_true(tt[5] == 0.0);
    /* y + t beyond the double range */
    double *yb = malloc(f->n * sizeof *yb);
    memcpy(yb, f->y, f->n * sizeof *yb);
    yb[3] = DBL_MAX;
    b = t;
    b.per = SOCIND_TRANSFER_PER_PERSON;
    b.selected = NULL;
    b.amount = DBL_MAX;
    assert_int_equal(SIM(d, yb, &L, ALPHAS, NA, &b, e), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 3);
    /* groups: a bad code, an empty domain */
    int32_t *g = calloc(f->n, sizeof *g);
    g[9] = 4;
    socind_estimate e3[3 * K];
    assert_int_equal(socind_simulate_transfer(d, f->y, &L, ALPHAS, NA, &t, g, 3, NULL, e3),
                     SOCIND_ERR_GROUP);
    g[9] = 1;
    assert_int_equal(socind_simulate_transfer(d, f->y, &L, ALPHAS, NA, &t, g, 3, NULL, e3),
                     SOCIND_OK);
    for (int j = 0; j < K; j++) assert_int_equal(e3[2 * K + j].status, SOCIND_ERR_EMPTY_DOMAIN);
    assert_int_equal(e3[SOCIND_SIM_GINI_CHANGE].status, SOCIND_OK);
    /* every income missing */
    double *ynan = malloc(f->n * sizeof *ynan);
    for (size_t k = 0; k < f->n; k++) ynan[k] = NAN;
    assert_int_equal(SIM(d, ynan, &L, ALPHAS, NA, &t, e), SOCIND_ERR_EMPTY);
    /* a missing income leaves the estimates; the row is still paid */
    memcpy(yb, f->y, f->n * sizeof *yb);
    yb[0] = NAN;
    socind_estimate e1[K], e0[K];
    b = t;
    b.selected = NULL;
    assert_int_equal(SIM(d, yb, &L, ALPHAS, NA, &b, e1), SOCIND_OK);
    assert_int_equal(SIM(d, f->y, &L, ALPHAS, NA, &b, e0), SOCIND_OK);
    assert_true(e1[SOCIND_SIM_COST].value == e0[SOCIND_SIM_COST].value);
    assert_int_equal(e1[SOCIND_SIM_FGT(0, 0)].n, e0[SOCIND_SIM_FGT(0, 0)].n - 1);
#undef SIM
    free(ynan), free(g), free(yb), free(tt), free(sz), free(s2), free(code), free(sel), free(size);
}

/* Incomes, line and transfer far from 1 (×2^k), against a fixed line and
 * the two relative ones (held at their estimate on y): the per-cost
 * figures L and R_α are in inverse currency (cost_unit 1), and their PSU
 * totals' squares left the doubles at 2^560 (SE 0, status OK); their
 * linearized variable's C² overflowed there (the SE 6 % off once scaled);
 * a relative line's term was dz/C, which alone leaves the doubles at
 * 2^±560 (SEs 0.68–0.82 of the right ones, status OK; or OVERFLOW); and
 * the densities of y and y' at a relative line (α = 0, the poor count)
 * were taken on the unscaled incomes, whose moments left the doubles (a
 * NaN density read as none). Every figure is now the unscaled one's times
 * 2^−k for the per-cost figures, 2^k for the cost, the same for the rest. */
static void test_far_from_one(void **state) {
    households *f = *state;
    double *size = hh_size(f), *y = malloc(f->n * sizeof *y);
    int32_t *sel = select_rule(f);
    socind_estimate e0[K], e[K];
    const int ks[2] = {560, -560};
    for (int li = 0; li < 3; li++)
        for (int i = 0; i < 2; i++) {
            const int k = ks[i];
            for (size_t r = 0; r < f->n; r++) y[r] = ldexp(f->y[r], k);
            socind_transfer t0 = per_household(size, sel, AMOUNT), t = t0;
            t0.cost_unit = t.cost_unit = 1.0;
            t.amount = ldexp(AMOUNT, k);
            socind_poverty_line L0 = absolute(519750.0), L = absolute(ldexp(519750.0, k));
            if (li) {
                L0.type = L.type =
                    li == 1 ? SOCIND_LINE_RELATIVE_QUANTILE : SOCIND_LINE_RELATIVE_MEAN;
                L0.value = L.value = 0.6;
            }
            assert_int_equal(
                socind_simulate_transfer(f->wr, f->y, &L0, ALPHAS, NA, &t0, NULL, 0, NULL, e0),
                SOCIND_OK);
            assert_int_equal(
                socind_simulate_transfer(f->wr, y, &L, ALPHAS, NA, &t, NULL, 0, NULL, e),
                SOCIND_OK);
            int per_cost_checked = 0;
            for (int j = 0; j < K; j++) {
                if (j == SOCIND_SIM_GINI_CHANGE || j == SOCIND_SIM_POOR_CHANGE) continue;
                const int per_cost = j == SOCIND_SIM_LIFTED_PER_UNIT ||
                                     (j >= 8 && (j - 8) % 4 == SOCIND_SIM_FGT_PER_UNIT);
                const socind_estimate *a = &e[j], *b = &e0[j];
                assert_int_equal(b->status, SOCIND_OK);
                assert_int_equal(a->status, SOCIND_OK);
                const int p2 = per_cost ? -k : j == SOCIND_SIM_COST ? k : 0;
                assert_close(a->value, ldexp(b->value, p2), 1e-12);
                assert_close(a->se, ldexp(b->se, p2), 1e-12);
                per_cost_checked += per_cost && b->se > 0.0;
            }
            assert_int_equal(per_cost_checked, 1 + NA);
        }
    free(y), free(sel), free(size);
}

/* A selected household whose size is positive but so small (1e-320) that
 * the amount over it leaves the doubles: the row is refused by name, in
 * socind_transfer_amounts (which returned SOCIND_OK with t = inf) and in the
 * simulation, also where the row's income is missing (the cost reads it:
 * the detail blamed an internal "x[6]"). */
static void test_tiny_household_size(void **state) {
    (void)state;
    enum { n = 12 };
    double w[n], y[n], hs[n], t[n];
    int64_t strata[n], psu[n];
    for (int k = 0; k < n; k++) {
        w[k] = 1.0 + k % 3;
        y[k] = 10.0 + 3.0 * k;
        hs[k] = 2.0;
        strata[k] = k / 6;
        psu[k] = k / 3;
    }
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(n, w, strata, psu, NULL, NULL, &d), SOCIND_OK);
    socind_transfer tr;
    assert_int_equal(socind_transfer_init(&tr), SOCIND_OK);
    tr.per = SOCIND_TRANSFER_PER_HOUSEHOLD;
    tr.household_size = hs;
    tr.amount = 5.0;
    hs[6] = 1e-320;
    assert_int_equal(socind_transfer_amounts(d, &tr, t), SOCIND_ERR_DATA);
    assert_int_equal(socind_last_error_row(), 6);
    assert_non_null(strstr(socind_last_error_detail(), "household_size"));
    for (int k = 0; k < n; k++) assert_true(isnan(t[k]));
    socind_poverty_line L = absolute(25.0);
    const double alpha[1] = {1.0};
    socind_estimate out[SOCIND_SIM_COUNT(1)];
    for (int missing = 0; missing < 2; missing++) {
        y[6] = missing ? NAN : 28.0;
        assert_int_equal(socind_simulate_transfer(d, y, &L, alpha, 1, &tr, NULL, 0, NULL, out),
                         SOCIND_ERR_DATA);
        assert_int_equal(socind_last_error_row(), 6);
        assert_non_null(strstr(socind_last_error_detail(), "household_size"));
        for (int k = 0; k < SOCIND_SIM_COUNT(1); k++) {
            assert_true(isnan(out[k].value));
            assert_int_equal(out[k].status, SOCIND_ERR_DATA);
        }
    }
    /* a size of 1e-300 keeps the transfer in range: 5e300 */
    hs[6] = 1e-300;
    assert_int_equal(socind_transfer_amounts(d, &tr, t), SOCIND_OK);
    assert_true(t[6] == 5.0 / 1e-300);
    socind_design_free(d);
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_transfer),
        cmocka_unit_test(test_tiny_household_size),
        cmocka_unit_test(test_far_from_one),
        cmocka_unit_test(test_points),
        cmocka_unit_test(test_numeric_se),
        cmocka_unit_test(test_paired_smaller),
        cmocka_unit_test(test_levy),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_relative_line),
        cmocka_unit_test(test_replicate_design),
        cmocka_unit_test(test_transfer_size),
        cmocka_unit_test(test_relative_quantile_ties),
        cmocka_unit_test(test_relative_dense_change),
        cmocka_unit_test(test_calibrated),
        cmocka_unit_test(test_lonely_psu),
        cmocka_unit_test(test_unselected_rows),
        cmocka_unit_test(test_replicate_relative),
    };
    return cmocka_run_group_tests(tests, households_setup, households_teardown);
}
