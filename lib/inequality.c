/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/inequality.c — Gini, generalized entropy and its decomposition,
 * Atkinson, quantiles, share ratios and Lorenz ordinates with design-based
 * SEs (convey's svygini, svygei, svygeidec, svyatk, svyqsr, svylorenz;
 * survey's svyquantile). See inequality.h.
 *
 * Each estimator gathers a domain's usable rows (gather), with its totals
 * N̂ and Ŷ (socind__items_totals), computes its estimate and a linearized value
 * per row (one function each: gini, ge_of, atkinson, share_ratio, lorenz,
 * quantile), and adds w·u into the PSU sums of the design's variance
 * engine. The GE decomposition computes ge_of on all its rows and on each
 * subgroup's. The weighted quantile is quantile.c's, the kernel density
 * density.c's. */
#include <stdlib.h>
#include <string.h>

#include "state_internal.h"

/* socind__item in doubles, as density.c's rows read it */
#define ITEM_STRIDE (sizeof(socind__item) / sizeof(double))
_Static_assert(sizeof(socind__item) % sizeof(double) == 0, "items are whole doubles");

#define IND_GINI 0
#define IND_GE 1
#define IND_ATK 2
#define IND_QUANT 3
#define IND_QSR 4
#define IND_LORENZ 5

/* Sums over rows in blocks: plain sums within a block, compensated across. */
#define SUM_BLOCK SOCIND__SUM_BLOCK

typedef struct {
    const socind_design *d;
    const double *y;
    int32_t nonpos;
    int need_positive;
    socind_options o;
    socind__items x;                /* the domain's rows (sorted where needed), u, PSU sums */
    int32_t *psu_stamp, *str_stamp; /* rows_df's marks (made on first use) */
    int32_t stamp;
} ictx;

/* What an estimator computes on a domain's rows it[0 .. nr), of total
 * weight N and total income Y. */
typedef struct {
    size_t nr, nz; /* usable rows, rows of weight 0 */
    double N, Y;
} domain;

/* Gathers the usable rows of domain j into it (and those of weight 0 into
 * zero, or leaves them out, unchecked for y <= 0, when zero is NULL);
 * SOCIND_ERR_DATA for ±Inf, SOCIND_ERR_NONPOSITIVE for y <= 0 when positive
 * incomes are needed (unless excluded); *ymax the largest |y| gathered. */
static int32_t gather(const ictx *c, const socind__groups *g, int32_t j, int32_t T,
                      socind__item *it, uint32_t *zero, domain *dm, double *ymax, double yr[2]) {
    const socind__gather_rule r = {c->d,      c->y, NULL,          NULL, c->need_positive ? 1 : 0,
                                   c->nonpos, 1,    "this measure"};
    return socind__gather_threaded(&r, g, j, T, it, zero, &dm->nr, &dm->nz, ymax, yr);
}

/* Multiplies the incomes of nr items by 2^−ex (exact). */
static void scale_items(socind__item *it, size_t nr, int ex) {
    if (ex) socind__scale_pow2(&it[0].y, sizeof *it, &it[0].y, sizeof *it, nr, ex);
}

/* A domain's estimate that its data leave undefined: NaN with status st. */
static void undefined(ictx *c, socind_estimate *e, int32_t st) {
    socind__estimate_undefined(e, st, e->n, e->weight_sum, c->d->df);
    socind__work_reset(&c->x.wk);
}

/* variance of Σ w·u over the rows (and the zero-weight rows' PSUs) */
static int32_t finish_var(ictx *c, size_t nr, size_t nz, double *var) {
    return socind__items_variance(&c->x, c->d, nr, nz, var);
}

/* ---- the estimators, on a domain's rows ---- */

/* convey's Gini over the sorted rows; w·u goes straight into the PSU sums. */
static double gini(ictx *c, const domain *dm) {
    const size_t nr = dm->nr;
    const double N = dm->N, Y = dm->Y;
    /* T1 = Σ r_k w_k y_k, r_k the cumulative weight (k included) */
    long double r = 0.0L;
    socind__ksum T = {0, 0};
    for (size_t b = 0; b < nr; b += SUM_BLOCK) {
        size_t e = b + SUM_BLOCK < nr ? b + SUM_BLOCK : nr;
        double st_ = 0.0;
        for (size_t i = b; i < e; i++) {
            r += c->x.it[i].w;
            st_ += (double)r * c->x.it[i].w * c->x.it[i].y;
        }
        socind__kadd(&T, st_);
    }
    long double Wtot = r;
    double T1 = socind__kval(&T);
    /* convey's Gini counts weights as people (it changes when every weight
       is scaled), so the weights cannot be rescaled: where N̂·Ŷ², N̂²·Ŷ
       leave the double range (weights near 1e100, or near 1e-100) the
       linearization's coefficients would be 0 or infinite — NaN, and the
       caller says SOCIND_ERR_OVERFLOW */
    const double NY = N * Y, NYY = NY * Y, NNY = N * NY;
    if (!(isfinite(NYY) && isfinite(NNY) && NYY != 0.0 && NNY != 0.0)) return NAN;
    double value = (2.0 * T1 - Y) / (N * Y) - 1.0;
    /* u(T1)_k = Σ_{j >= k} w_j y_j + r_k y_k, then the chain rule; walked
     * backwards (r_k = total − the weight after k), w·u added into the PSU
     * sums as runs of consecutive items of one PSU (folded, internal.h) */
    long double suffix = 0.0L, after = 0.0L;
    double a1 = 2.0 / (N * Y), a2 = 2.0 * T1 / (N * Y * Y), a3 = (2.0 * T1 - Y) / (N * N * Y);
    int32_t last = -1;
    double acc = 0.0;
    socind__ksum k = {0, 0};
    uint32_t run = 0;
    for (size_t i = nr; i-- > 0;) {
        double yk = c->x.it[i].y, wk = c->x.it[i].w;
        suffix += (long double)wk * yk;
        double rk = (double)(Wtot - after);
        after += wk;
        double uT1 = (double)suffix + rk * yk;
        if (c->x.it[i].psu != last) {
            if (last >= 0) *socind__touch(&c->x.wk, last) += socind__fold_value(&k, acc);
            last = c->x.it[i].psu;
            acc = 0.0, run = 0;
        }
        acc += wk * (a1 * uT1 - a2 * yk - a3);
        if (__builtin_expect(++run == SOCIND__FOLD_ROWS, 0))
            socind__kadd(&k, acc), acc = 0.0, run = 0;
    }
    if (last >= 0) *socind__touch(&c->x.wk, last) += socind__fold_value(&k, acc);
    return value;
}

/* GE(θ) over it[0 .. dm->nr) (y > 0), u[i] the linearized value of it[i]:
 * socind_ge's and each part of the GE decomposition's. */
static double ge_of(const socind__item *it, const domain *dm, double th, double *u) {
    const size_t nr = dm->nr;
    const double N = dm->N, mu = dm->Y / N;
    /* near θ = 0 and 1 (internal.h, socind__ge_form): s = expm1(θ·log x)/q,
       or near 1 s = x·expm1((θ − 1)·log x)/q, which is (x^θ − 1)/q less
       (x − 1)/q: the same GE (Σw(x − 1) = 0), its linearization below */
    const int form = socind__ge_form(th);
    socind__ksum Sk = {0, 0};
    for (size_t i = 0; i < nr; i++) {
        double x = it[i].y / mu, s;
        if (th == 0.0)
            s = -log(x);
        else if (th == 1.0)
            s = x * log(x);
        else if (form == 1)
            s = expm1(th * log(x)) / (th * (th - 1.0));
        else if (form == 2)
            s = x * expm1((th - 1.0) * log(x)) / (th * (th - 1.0));
        else
            s = (pow(x, th) - 1.0) / (th * (th - 1.0));
        u[i] = s;
        socind__kadd(&Sk, it[i].w * s);
    }
    double value = socind__kval(&Sk) / N;
    if (!isfinite(value) && isfinite(N)) {
        /* w·s beyond the double range where Σw·s/N̂ may not be (weights
           near 1e298, θ = −20): the weights taken as w·2^−e, e N̂'s
           exponent (exact, and GE does not change when every weight is
           scaled); a figure still beyond it is SOCIND_ERR_OVERFLOW */
        const int e = socind__exponent(N);
        socind__ksum Sc = {0, 0};
        for (size_t i = 0; i < nr; i++) socind__kadd(&Sc, ldexp(it[i].w, -e) * u[i]);
        value = socind__kval(&Sc) / ldexp(N, -e);
    }
    double D = th == 0.0   ? 1.0 / mu
               : th == 1.0 ? -(value + 1.0) / mu
               : form == 2 ? -(1.0 / th + th * value) / mu /* (s less (x − 1)/q) */
                           : -((th * (th - 1.0)) * value + 1.0) / (mu * (th - 1.0));
    for (size_t i = 0; i < nr; i++) u[i] = (u[i] - value) / N + D * (it[i].y - mu) / N;
    return value;
}

/* Atkinson(ε) (incomes scaled near their mean by the caller). */
static double atkinson(ictx *c, const domain *dm, double eps) {
    const size_t nr = dm->nr;
    const double N = dm->N, Y = dm->Y;
    double value;
    if (eps == 1.0) {
        socind__ksum T0 = {0, 0};
        for (size_t i = 0; i < nr; i++) socind__kadd(&T0, c->x.it[i].w * log(c->x.it[i].y));
        double t0 = socind__kval(&T0);
        value = 1.0 - (N / Y) * exp(t0 / N);
        for (size_t i = 0; i < nr; i++) {
            double yk = c->x.it[i].y;
            c->x.u[i] = (value - 1.0) * (1.0 - t0 / N) / N + yk * (1.0 - value) / Y +
                        log(yk) * (value - 1.0) / N;
        }
    } else if (socind__ge_form(1.0 - eps) == 1) {
        /* near ε = 1 (internal.h): S = Σw·expm1(δ·log y), δ = 1 − ε, U = N̂ + S,
           V = exp(b·log1p(S/N̂))/(Ŷ/N̂); u = (a·V/N̂ − b·V/U) + y·V/Ŷ −
           expm1(δ·log y)·b·V/U, the first term formed without its
           difference: −V/U + ε·V·(S/δ)/(N̂·U) */
        const double d = 1.0 - eps;
        socind__ksum Sk = {0, 0};
        for (size_t i = 0; i < nr; i++)
            socind__kadd(&Sk, c->x.it[i].w * expm1(d * log(c->x.it[i].y)));
        const double S = socind__kval(&Sk), U = N + S;
        const double V = exp(log1p(S / N) / d) / (Y / N);
        value = 1.0 - V;
        const double c0 = -V / U + eps * V * (S / d) / (N * U), cy = V / Y, cu = V / U / d;
        for (size_t i = 0; i < nr; i++) {
            double yk = c->x.it[i].y;
            c->x.u[i] = c0 + yk * cy - expm1(d * log(yk)) * cu;
        }
    } else {
        socind__ksum Uk = {0, 0};
        for (size_t i = 0; i < nr; i++)
            socind__kadd(&Uk, c->x.it[i].w * pow(c->x.it[i].y, 1.0 - eps));
        /* 1 − A = V = U^b/(N^a·Y), a = ε/(1 − ε), b = 1/(1 − ε), formed
           from the means (U/N)^b/(Y/N): N^a and U^b leave the doubles for
           weights far from 1; u = a·V/N + y·V/Y − b·y^(1−ε)·V/U */
        const double U = socind__kval(&Uk), a = eps / (1.0 - eps), b = 1.0 / (1.0 - eps);
        const double V = pow(U / N, b) / (Y / N);
        value = 1.0 - V;
        const double cn = a * V / N, cy = V / Y, cu = b * V / U;
        for (size_t i = 0; i < nr; i++) {
            double yk = c->x.it[i].y;
            c->x.u[i] = cn + yk * cy - pow(yk, 1.0 - eps) * cu;
        }
    }
    return value;
}

/* S_hi/S_lo over the sorted rows: the income share above the α2-quantile
 * over the share at or below the α1-quantile, each with its quantile's
 * density term; NaN when there is no income at or below the lower quantile.
 * *why: SOCIND_ERR_OVERFLOW where the incomes' weighted moments left the
 * doubles, else SOCIND_ERR_DATA; *no_se set where a quantile has no density
 * on a linearized design (a domain of one row or of equal incomes): the
 * figure is kept without its SE (convey's NA beside its figure). */
static double share_ratio(ictx *c, const domain *dm, double a1, double a2, int32_t *why,
                          int *no_se) {
    const size_t nr = dm->nr;
    const double N = dm->N;
    double q1 = socind__wq_sorted(c->x.it, nr, N, a1), q2 = socind__wq_sorted(c->x.it, nr, N, a2);
    /* N̂·f̂ and Ŝ' at both quantiles (density.c) */
    const socind__rowset rs = {&c->x.it[0].y, &c->x.it[0].w, ITEM_STRIDE, NULL, nr};
    socind__moments mo;
    socind__moments_of(&rs, &mo);
    double h = socind__bandwidth(&mo), x[2] = {q1, q2}, F[2] = {NAN, NAN}, G[2] = {NAN, NAN};
    if (h > 0.0) socind__kernel_sums(&rs, x, h, mo.n, 1, F, G);
    double fN1 = F[0], fN2 = F[1], s1d = G[0], s2d = G[1];
    if (c->d->rep_view) {
        /* a replicate design's SE comes from the replicates' ratios, which
           need no density: where it is undefined its terms drop out */
        if (!(fN1 > 0.0)) fN1 = INFINITY, s1d = 0.0;
        if (!(fN2 > 0.0)) fN2 = INFINITY, s2d = 0.0;
    }
    socind__ksum L = {0, 0}, U = {0, 0};
    for (size_t i = 0; i < nr; i++) {
        double yk = c->x.it[i].y, wk = c->x.it[i].w;
        if (yk <= q1) socind__kadd(&L, wk * yk);
        if (!(yk <= q2)) socind__kadd(&U, wk * yk);
    }
    double S1 = socind__kval(&L), S2 = socind__kval(&U);
    *why = h > 0.0 ? SOCIND_ERR_DATA : socind__no_bandwidth_status(&mo);
    if (S1 == 0.0) return NAN;
    double value = S2 / S1;
    *no_se = !(fN1 > 0.0) || !(fN2 > 0.0);
    if (*no_se) return value;
    for (size_t i = 0; i < nr; i++) {
        double yk = c->x.it[i].y;
        double i1 = yk <= q1 ? 1.0 : 0.0, i2 = yk <= q2 ? 1.0 : 0.0;
        double ulo = yk * i1 + s1d * (-(i1 - a1) / fN1);
        /* y minus the share at or below q2's: formed as y·1[y > q2] plus
           its density term, not y − (y·1[y <= q2] − …), which leaves the
           term's digits to y's rounding as α2 nears 1 */
        double uhi = yk * (1.0 - i2) + s2d * ((i2 - a2) / fN2);
        c->x.u[i] = (uhi - value * ulo) / S1;
    }
    return value;
}

/* Lorenz ordinate L(p) over the sorted rows. */
static double lorenz(ictx *c, const domain *dm, double p) {
    const size_t nr = dm->nr;
    const double N = dm->N, Y = dm->Y, target = p * N;
    long double W = 0.0L;
    socind__ksum Yp = {0, 0};
    double qt = NAN;
    for (size_t i = 0; i < nr; i++) {
        double wk = c->x.it[i].w, yv = c->x.it[i].y;
        double Wprev = (double)W;
        W += wk;
        double t = (target - Wprev) / wk;
        double H = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
        socind__kadd(&Yp, wk * yv * H);
        if (isnan(qt) && Wprev < target && target <= (double)W) {
            double yprev = i > 0 ? c->x.it[i - 1].y : yv;
            qt = yprev + (yv - yprev) * t;
        }
    }
    double value = socind__kval(&Yp) / Y;
    for (size_t i = 0; i < nr; i++) {
        double yk = c->x.it[i].y;
        c->x.u[i] = ((yk - qt) * (yk <= qt ? 1.0 : 0.0) + p * qt - yk * value) / Y;
    }
    return value;
}

/* R's degf() of the design svyquantile is given: svyby hands it the
 * domain's rows (a calibrated design's others with weight 0) and na.rm
 * drops those without an income, so the PSUs minus the strata among the
 * rows used (it[0 .. nr): weight > 0, income given), into *df; on a
 * replicate design the rank − 1 of the analysis weights on those rows
 * (socind__rep_rows_degf). The whole design's df under the domain rule
 * FULL.
 * O(nr): each PSU and stratum marked with the domain's stamp. 0 or
 * SOCIND_ERR_NOMEM. */
static int32_t rows_df(ictx *c, size_t nr, double *df) {
    *df = c->d->df;
    if (c->x.wk.full || nr == 0) return SOCIND_OK;
    /* a replicate design: [.svyrep.design's degf, the rank − 1 of the
       analysis weights on these rows (unless the caller gave degf) */
    if (c->d->rep) return socind__rep_rows_degf(c->d, c->x.it, nr, df);
    /* every row of the design used: its PSUs and strata of positive
       weight, the design's own df (no pass over the rows) */
    if (nr == c->d->n && !c->d->cal) return SOCIND_OK;
    /* a calibrated design's units are its rows: its PSUs are its base's */
    const socind_design *d = c->d->cal ? socind__cal_base(c->d) : c->d;
    if (!c->psu_stamp) {
        c->psu_stamp = calloc(d->npsu + 1, sizeof *c->psu_stamp);
        c->str_stamp = calloc(d->nstrata + 1, sizeof *c->str_stamp);
        if (!c->psu_stamp || !c->str_stamp)
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    const int32_t stamp = ++c->stamp;
    int64_t np = 0, nh = 0;
    for (size_t i = 0; i < nr; i++) {
        const int32_t p = d->row_psu[c->x.it[i].row], h = d->psu_stratum[p];
        if (c->psu_stamp[p] != stamp) c->psu_stamp[p] = stamp, np++;
        if (c->str_stamp[h] != stamp) c->str_stamp[h] = stamp, nh++;
    }
    *df = (double)(np - nh);
    return SOCIND_OK;
}

/* The p-quantile with Woodruff's interval, filling e (the rows sorted when
 * by_sort, else in any order: quantile.c's histogram finds the same rows). */
static int32_t quantile(ictx *c, const domain *dm, double p, int by_sort, socind_estimate *e) {
    const size_t nr = dm->nr;
    const double N = dm->N;
    double Q = NAN;
    int32_t st;
    if (!(N <= DBL_MAX)) { /* no share of a weight sum beyond the double range */
        undefined(c, e, SOCIND_ERR_OVERFLOW);
        return SOCIND_OK;
    }
    if (by_sort)
        Q = socind__wq_sorted(c->x.it, nr, N, p);
    else if ((st = socind__wq_unsorted(c->x.it, nr, N, &p, 1, &Q)))
        return st;
    /* the share below Q and its SE (a mean through the design) */
    socind__ksum F = {0, 0};
    for (size_t i = 0; i < nr; i++)
        if (c->x.it[i].y <= Q) socind__kadd(&F, c->x.it[i].w);
    double ph = socind__kval(&F) / N;
    double var;
    if (c->d->rep) { /* a replicate design's full sample: svrVar of the share */
        st = socind__rep_share_var(c->d, c->x.it, nr, Q, ph, &var, &e->replicates_left_out);
        socind__work_reset(&c->x.wk);
    } else {
        /* a domain whose rows all lie in one PSU: that PSU's share is the
           domain's, so its total of the linearized values is exactly 0 (as
           every other PSU's); rounding would leave about 1e−17, and
           p̂ + q·s would then step to the next value (an SE of the gap
           between two incomes where it is 0) */
        int one = 1;
        for (size_t i = 1; i < nr && one; i++) one = c->x.it[i].psu == c->x.it[0].psu;
        for (size_t i = 0; i < nr; i++)
            c->x.u[i] = one ? 0.0 : ((c->x.it[i].y <= Q ? 1.0 : 0.0) - ph) / N;
        st = finish_var(c, nr, dm->nz, &var);
    }
    double s = st ? NAN : sqrt(var);
    if (st) e->status = st;
    /* the critical value of the options' interval: t on the df of
       svyquantile's design (the domain's: rows_df) by default, normal with
       SOCIND_CI_NORMAL */
    double q;
    double df;
    const int32_t dst = rows_df(c, nr, &df);
    if (dst) return dst;
    int32_t qs = socind__critical(&c->o, df, &q);
    e->value = Q;
    e->df = df;
    if (qs == SOCIND_ERR_DF || !isfinite(s)) {
        if (e->status == SOCIND_OK)
            e->status = qs == SOCIND_ERR_DF ? SOCIND_ERR_DF : SOCIND_ERR_OVERFLOW;
        return SOCIND_OK;
    }
    /* a quantile beyond DBL_MAX: the limits are the quantile itself when
       SE = 0, else the shares leave [0, 1] */
    if (qs == SOCIND_ERR_OVERFLOW) q = INFINITY;
    double qs_ = s == 0.0 ? 0.0 : q * s;
    double pl = ph - qs_, pu = ph + qs_;
    if (by_sort) {
        e->ci_low = pl < 0.0 ? NAN : socind__wq_sorted(c->x.it, nr, N, pl);
        e->ci_high = pu > 1.0 ? NAN : socind__wq_sorted(c->x.it, nr, N, pu);
    } else {
        double pp[2] = {pl, pu}, qq[2] = {NAN, NAN};
        if ((st = socind__wq_unsorted(c->x.it, nr, N, pp, 2, qq))) return st;
        e->ci_low = pl < 0.0 ? NAN : qq[0];
        e->ci_high = pu > 1.0 ? NAN : qq[1];
    }
    e->se = s == 0.0 ? 0.0 : (e->ci_high - e->ci_low) / (2.0 * q);
    /* a limit whose share leaves [0, 1] is NaN (R's svyquantile gives NA):
       the value stands, the status says the interval is incomplete */
    if (e->status == SOCIND_OK && (isnan(e->ci_low) || isnan(e->ci_high)))
        e->status = SOCIND_ERR_RANGE;
    socind__check_finite(e);
    return SOCIND_OK;
}

/* For tests: nonzero makes quantiles sort the domain's rows first. */
SOCIND__TEST_SWITCH_DEFINE(socind__quantile_by_sort);

/* Domains with fewer rows are sorted instead (the same quantiles): the
 * selection's 65,536 buckets would cost more than their rows, and many
 * small domains would cost O(domains × buckets). */
#define SELECT_MIN_ROWS 8192

/* A domain's estimate from its value and the PSU sums of its rows' w·u
 * (those of it[0 .. nu) still to add, from x.u): the SE and interval. */
static int32_t finish_domain(ictx *c, const domain *dm, size_t nu, double value,
                             socind_estimate *e) {
    double var;
    int32_t st = finish_var(c, nu, dm->nz, &var);
    e->value = value;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    socind__fill_ci(e, &c->o, c->d->df, 0);
    return SOCIND_OK;
}

/* The Gini of domain dm on T threads (state_gini.c: the rows cut by value
 * into a range a thread, each sorted and ranked within itself, its part
 * of T1 offset by the weight before it;
 * N̂ and Ŷ summed in its first pass), incomes from yr[0] to yr[1] before
 * their scaling by 2^−ex. */
static int32_t gini_threaded(ictx *c, domain *dm, int32_t T, int ex, const double yr[2],
                             socind_estimate *e) {
    SOCIND__TEST_RECORD(socind__threads_ran, T);
    double lo = yr[0], hi = yr[1], value;
    /* the items' scaling, on their least and largest: the keys' range */
    if (ex) socind__scale_pow2(&lo, 0, &lo, 0, 1, ex), socind__scale_pow2(&hi, 0, &hi, 0, 1, ex);
    int32_t st = socind__gini_items_threaded(c->x.it, dm->nr, lo, hi, T, c->d->npsu, &c->x.wk,
                                             &dm->N, &dm->Y, &value);
    if (st) return st;
    socind__estimate_nan(e, SOCIND_OK);
    e->n = (int64_t)(dm->nr + dm->nz);
    e->weight_sum = dm->N;
    if (dm->Y == 0.0 || isnan(value)) { /* no total; or its sums leave the double range */
        undefined(c, e, dm->Y == 0.0 ? SOCIND_ERR_DATA : SOCIND_ERR_OVERFLOW);
        return SOCIND_OK;
    }
    return finish_domain(c, dm, 0, value, e);
}

/* GE and Atkinson do not change when every weight is multiplied by the
 * same constant, nor does their linearized variance (u scales by its
 * inverse, w·u not at all). Weights whose N̂ or Ŷ leaves the double range
 * (weights near 1e306; the incomes are already scaled near 1 where they
 * are far from it): the items' weights times 2^−e, e the exponent of the
 * largest (exact: the figures are bit for bit those of the weights so
 * scaled, and N̂, Ŷ then stay within the rows' count times the largest
 * income), and the domain's totals made again. Called only where a sum is
 * not finite: other data keep their bits. */
static void weights_rescaled(ictx *c, domain *dm) {
    double wmax = 0.0;
    for (size_t i = 0; i < dm->nr; i++) wmax = c->x.it[i].w > wmax ? c->x.it[i].w : wmax;
    const int ew = socind__exponent(wmax);
    if (ew <= 0) return;
    socind__scale_pow2(&c->x.it[0].w, sizeof *c->x.it, &c->x.it[0].w, sizeof *c->x.it, dm->nr, ew);
    socind__items_totals(c->x.it, dm->nr, &dm->N, &dm->Y);
}

/* Estimator ind (parameters par, par2) on domain j into *e. */
static int32_t one_domain(ictx *c, int ind, double par, double par2, const socind__groups *g,
                          int32_t j, socind_estimate *e) {
    domain dm;
    double ymax, yr[2];
    /* the Gini of a large domain gathers and sums on several threads too */
    const int32_t gt0 =
        ind == IND_GINI ? socind__threads_for(c->o.threads, socind__group_size(g, j)) : 1;
    int32_t st = gather(c, g, j, gt0, c->x.it, c->x.zero, &dm, &ymax, yr);
    if (st) return st;
    if (dm.nr == 0) {
        socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, (int64_t)dm.nz, 0.0, c->d->df);
        socind__work_reset(&c->x.wk);
        return SOCIND_OK;
    }
    /* every measure but the quantile is scale-free in y: incomes near the
       ends of the double range are scaled by a power of 2 (exactly) so that
       their sums and products stay in range (internal.h) */
    const int ex = ind != IND_QUANT ? socind__scale_exponent(ymax) : 0;
    scale_items(c->x.it, dm.nr, ex);
    /* the Gini of a large domain on several threads */
    const int32_t gt = ind == IND_GINI ? socind__threads_for(c->o.threads, dm.nr) : 1;
    if (gt > 1) return gini_threaded(c, &dm, gt, ex, yr, e);
    st = socind__items_totals_threaded(c->x.it, dm.nr, gt0, &dm.N, &dm.Y);
    if (st) return st;
    socind__estimate_nan(e, SOCIND_OK);
    e->n = (int64_t)(dm.nr + dm.nz);
    e->weight_sum = dm.N; /* (+Inf where it leaves the double range) */
    if ((ind == IND_GE || ind == IND_ATK) && !(isfinite(dm.N) && isfinite(dm.Y)))
        weights_rescaled(c, &dm);
    double mu = dm.Y / dm.N;
    if (ind == IND_ATK && mu > 0.0 && isfinite(mu)) {
        /* y^(1 − ε) is taken on incomes scaled near their mean (a power
           of 2: Atkinson's index does not change) */
        int ex = socind__exponent(mu);
        scale_items(c->x.it, dm.nr, ex);
        dm.Y = ldexp(dm.Y, -ex);
    }
    /* a share of total income needs a total */
    if ((ind == IND_GINI || ind == IND_LORENZ || ind == IND_QSR) && dm.Y == 0.0) {
        undefined(c, e, SOCIND_ERR_DATA);
        return SOCIND_OK;
    }
    /* nor a total beyond the double range (weights near 1e306: a Lorenz
       ordinate was 0 with SE 0 and status 0) */
    if ((ind == IND_GINI || ind == IND_LORENZ || ind == IND_QSR) && !(fabs(dm.Y) <= DBL_MAX)) {
        undefined(c, e, SOCIND_ERR_OVERFLOW);
        return SOCIND_OK;
    }
    /* quantiles select instead (unless a test asks for the sort) */
    int by_sort = ind != IND_QUANT || socind__quantile_by_sort || dm.nr < SELECT_MIN_ROWS;
    if (ind != IND_GE && ind != IND_ATK && by_sort) {
        st = socind__sort_items(c->x.it, dm.nr);
        if (st) return st;
    }
    double value = NAN;
    size_t nu = dm.nr; /* rows whose u is still to go into the PSU sums */
    switch (ind) {
    case IND_QUANT:
        return quantile(c, &dm, par, by_sort, e);
    case IND_GINI:
        value = gini(c, &dm);
        if (isnan(value)) { /* its sums leave the double range */
            undefined(c, e, SOCIND_ERR_OVERFLOW);
            return SOCIND_OK;
        }
        nu = 0; /* already there */
        break;
    case IND_GE:
        value = ge_of(c->x.it, &dm, par, c->x.u);
        break;
    case IND_ATK:
        value = atkinson(c, &dm, par);
        break;
    case IND_QSR: {
        int no_se = 0;
        value = share_ratio(c, &dm, par, par2, &st, &no_se);
        if (isnan(value) || no_se) {
            undefined(c, e, st);
            e->value = value; /* the figure without its SE, where there is one */
            return SOCIND_OK;
        }
        break;
    }
    default: /* IND_LORENZ */
        value = lorenz(c, &dm, par);
        break;
    }
    return finish_domain(c, &dm, nu, value, e);
}

/* SOCIND_ERR_ARG (with the detail) unless estimator ind's parameters and
 * nonpositive policy are valid. */
static int32_t check_args(int ind, double par, double par2, int32_t nonpos) {
    switch (ind) {
    case IND_GE:
        if (!isfinite(par))
            return socind__fail(SOCIND_ERR_ARG, "theta must be finite, got %g", par);
        break;
    case IND_ATK:
        if (!(par > 0.0) || isinf(par))
            return socind__fail(SOCIND_ERR_ARG, "epsilon must be finite and > 0, got %g", par);
        break;
    case IND_QUANT:
    case IND_LORENZ:
        if (!(par > 0.0 && par < 1.0))
            return socind__fail(SOCIND_ERR_ARG, "p must be in (0, 1), got %g", par);
        break;
    case IND_QSR:
        if (!(par > 0.0 && par < 1.0 && par2 > 0.0 && par2 < 1.0))
            return socind__fail(SOCIND_ERR_ARG,
                                "alpha1 and alpha2 must be in (0, 1), got %g and %g", par, par2);
        break;
    default:
        break;
    }
    if (nonpos != SOCIND_NONPOS_ERROR && nonpos != SOCIND_NONPOS_EXCLUDE)
        return socind__fail(SOCIND_ERR_ARG, "unknown nonpositive policy %d", (int)nonpos);
    return SOCIND_OK;
}

/* The work space of a call: the rows of a domain (24 bytes each), the rows
 * of weight 0 (4) and the linearized values (8), n of each. */
static int32_t ictx_init(ictx *c, const socind_design *d, const double *y, int32_t nonpos,
                         int need_positive, const socind_options *o) {
    memset(c, 0, sizeof *c);
    c->d = d;
    c->y = y;
    c->nonpos = nonpos;
    c->need_positive = need_positive;
    c->o = *o;
    /* svygini, svygei, svyatk, svyquantile, svyqsr, svylorenz, svygeidec:
       the domain's design */
    return socind__items_init(&c->x, d, o, SOCIND_DOMAIN_RULE_SUBSET);
}

static void ictx_free(ictx *c) {
    socind__items_free(&c->x);
    free(c->psu_stamp), free(c->str_stamp);
    c->psu_stamp = c->str_stamp = NULL;
}

/* The domains of a call on several threads (socind__domains_on_spaces):
 * each thread's space a context like c, for domains of at most cap rows,
 * without threads within a domain. */
typedef struct {
    const ictx *c;
    size_t cap;
    int ind;
    double par, par2;
    const socind__groups *g;
    socind_estimate *out;
} ineq_run;

static int32_t ineq_make(void *space, void *arg) {
    const ineq_run *r = arg;
    ictx *t = space;
    *t = *r->c;
    t->psu_stamp = t->str_stamp = NULL, t->stamp = 0; /* (its own marks) */
    t->o.threads = 1;
    int32_t st = socind__items_init_cap(&t->x, t->d, &t->o, SOCIND_DOMAIN_RULE_SUBSET, r->cap);
    t->x.wk.full = r->c->x.wk.full;
    return st;
}
static void ineq_drop(void *space) {
    ictx_free(space);
}
static int32_t ineq_task(void *arg, void *space, int32_t j) {
    const ineq_run *r = arg;
    return one_domain(space, r->ind, r->par, r->par2, r->g, j, &r->out[j]);
}

/* The domains from j0 on (the calling thread's loop takes it from there):
 * with several threads and domains, the threads take the domains, each
 * domain's figures those of the one-thread loop, bit for bit (a Gini's
 * domain on one thread: one whose rows are at least half the sample's keeps
 * the threads for itself, the domains then taken in turn). */
static int32_t parallel_domains(ictx *c, int ind, double par, double par2, const socind__groups *g,
                                socind_estimate *out) {
    const int32_t G = g->ngroups;
    const int32_t T = socind__threads_for(c->o.threads, c->d->n);
    const size_t cap = socind__groups_largest(g);
    /* a thread's items (36 bytes a row of the largest domain) and work
       space (13 bytes a PSU) */
    const int32_t TD =
        socind__domain_threads(T, G, c->d->n, 36.0 * (double)cap + 13.0 * (double)c->d->npsu);
    if (ind == IND_GINI) {
        if (2 * cap >= c->d->n) return 0; /* the threads within the domain */
        c->o.threads = 1;                 /* none within a domain, here and in the caller's loop */
    }
    if (TD < 2 || c->d->rep_theta || c->d->cal) return 0;
    /* every thread a context of its own (c stays as it is for the caller's
       loop) */
    ineq_run r = {c, cap, ind, par, par2, g, out};
    return socind__domains_on_spaces(TD, g, sizeof(ictx), ineq_make, ineq_drop, ineq_task, &r);
}

static int32_t drive(const socind_design *d, const double *y, int ind, double par, double par2,
                     int32_t nonpos, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    const socind__arg args[1] = {{y, "y"}};
    socind__frame f;
    ictx c;
    memset(&c, 0, sizeof c);
    int32_t st =
        socind__frame_begin(&f, out, (size_t)socind__ndomains(group, n_groups), d, args, 1);
    if (!st) st = check_args(ind, par, par2, nonpos);
    if (ind == IND_GE) par = socind__ge_theta(par); /* (internal.h) */
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    /* GE and Atkinson on several threads, or on one over the whole sample of
       a PSU-sorted design (socind__state_one_thread): through partial
       states (state_threads.c) */
    const int32_t T = st || d->cal ? 1 : socind__threads_for(f.o.threads, d->n);
    const int32_t sest = ind == IND_GE ? SOCIND_STATE_GE : SOCIND_STATE_ATKINSON;
    socind_state_spec ssp;
    if ((ind == IND_GE || ind == IND_ATK) &&
        ((T > 1 && !group) ||
         (!st && (d->rep_theta || socind__state_one_thread(d, group, sest)))) &&
        socind__state_spec_for(sest, group, n_groups, NULL, par, nonpos, &ssp)) {
        int64_t tused = 0;
        int32_t tst = socind__state_threaded(d, &ssp, y, NULL, group, &f.o, T, out, &tused);
        if (tst != -1) return socind__frame_end(&f, tst, tused, "income");
    }
    if (!st) st = ictx_init(&c, d, y, nonpos, ind == IND_GE || ind == IND_ATK, &f.o);
    int32_t j0 = st ? 0 : parallel_domains(&c, ind, par, par2, &f.grp, out);
    for (int32_t j = j0; !st && j < f.grp.ngroups; j++)
        st = one_domain(&c, ind, par, par2, &f.grp, j, &out[j]);
    const int64_t used = st ? 0 : socind__rows_used(out, (size_t)f.grp.ngroups, 1);
    ictx_free(&c);
    return socind__frame_end(&f, st, used, "income");
}

int32_t socind_gini(const socind_design *design, const double *y, const int32_t *group,
                    int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_gini(SOCIND__RV, y, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, IND_GINI, 0.0, 0.0, SOCIND_NONPOS_ERROR, group, n_groups, opts, out);
}

int32_t socind_ge(const socind_design *design, const double *y, double theta, int32_t nonpositive,
                  const int32_t *group, int32_t n_groups, const socind_options *opts,
                  socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_ge(SOCIND__RV, y, theta, nonpositive, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, IND_GE, theta, 0.0, nonpositive, group, n_groups, opts, out);
}

int32_t socind_atkinson(const socind_design *design, const double *y, double epsilon,
                        int32_t nonpositive, const int32_t *group, int32_t n_groups,
                        const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_atkinson(SOCIND__RV, y, epsilon, nonpositive, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, IND_ATK, epsilon, 0.0, nonpositive, group, n_groups, opts, out);
}

int32_t socind_quantile(const socind_design *design, const double *y, double p,
                        const int32_t *group, int32_t n_groups, const socind_options *opts,
                        socind_estimate *out) {
    /* a replicate design: Woodruff's interval with the share's replicate
       SE (quantile() below), on the full sample */
    if (design && design->rep && !design->rep_view) {
        socind_design v;
        socind__rep_full_view(design, &v);
        return drive(&v, y, IND_QUANT, p, 0.0, SOCIND_NONPOS_ERROR, group, n_groups, opts, out);
    }
    return drive(design, y, IND_QUANT, p, 0.0, SOCIND_NONPOS_ERROR, group, n_groups, opts, out);
}

int32_t socind_share_ratio(const socind_design *design, const double *y, double alpha1,
                           double alpha2, const int32_t *group, int32_t n_groups,
                           const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_share_ratio(SOCIND__RV, y, alpha1, alpha2, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, IND_QSR, alpha1, alpha2, SOCIND_NONPOS_ERROR, group, n_groups, opts,
                 out);
}

int32_t socind_lorenz(const socind_design *design, const double *y, double p, const int32_t *group,
                      int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_lorenz(SOCIND__RV, y, p, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, IND_LORENZ, p, 0.0, SOCIND_NONPOS_ERROR, group, n_groups, opts, out);
}

/* The GE decomposition: every subgroup's usable rows gathered one after the
 * other (group order, each in row order; rows of weight 0 count nowhere),
 * GE over all of them (the total) and over each subgroup's, the within part
 * Σ_g ω_g GE_g with its linearized values, and the three variances. */
int32_t socind_ge_decomposition(const socind_design *d, const double *y, double theta,
                                int32_t nonpositive, const int32_t *group, int32_t n_groups,
                                const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(d, out, SOCIND_GEDEC_COUNT, opts, 0u, 1,
                       socind_ge_decomposition(SOCIND__RV, y, theta, nonpositive, group, n_groups,
                                               opts, SOCIND__RO));
    const socind__arg args[2] = {{y, "y"}, {group, "group"}};
    socind__frame f;
    ictx c;
    memset(&c, 0, sizeof c);
    double *ut = NULL, *GEg = NULL;
    domain *dg = NULL;
    size_t nr = 0;
    int32_t st = socind__frame_begin(&f, out, SOCIND_GEDEC_COUNT, d, args, 2);
    if (!st) st = check_args(IND_GE, theta, 0.0, nonpositive);
    theta = socind__ge_theta(theta); /* (internal.h) */
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    /* on several threads: through partial states (state_threads.c), each
       thread's rows into a state of their (PSU, group) cells, merged, when
       the cells come in runs of rows (each PSU's rows consecutive, a group's
       runs 8 rows long or more: a cell is looked up where its run starts;
       rows of groups at random took 2.0 s for 10^7 rows on 2 threads, 1.1
       on one); else, and when the states cannot take the call, the
       one-thread loop below */
    const int32_t T = st || d->cal || d->rep_theta || !d->psu_end || f.grp.runs > d->n / 8
                          ? 1
                          : socind__threads_for(f.o.threads, d->n);
    socind_state_spec ssp;
    if (T > 1 && socind__state_spec_for(SOCIND_STATE_GE_DECOMPOSITION, group, n_groups, NULL, theta,
                                        nonpositive, &ssp)) {
        int64_t tused = 0;
        int32_t tst = socind__state_threaded(d, &ssp, y, NULL, group, &f.o, T, out, &tused);
        if (tst != -1) return socind__frame_end(&f, tst, tused, "income");
    }
    if (!st) st = ictx_init(&c, d, y, nonpositive, 1, &f.o);
    if (!st) {
        ut = malloc(d->n * sizeof *ut);
        dg = calloc((size_t)n_groups, sizeof *dg);
        GEg = calloc((size_t)n_groups, sizeof *GEg);
        if (!ut || !dg || !GEg) st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    /* each subgroup's rows, after those of the subgroups before it */
    double ymax = 0.0;
    for (int32_t g = 0; !st && g < n_groups; g++) {
        double m;
        st = gather(&c, &f.grp, g, 1, c.x.it + nr, NULL, &dg[g], &m, NULL);
        nr += dg[g].nr;
        ymax = m > ymax ? m : ymax;
    }
    if (!st && nr > 0) {
        /* GE is scale-free: incomes near the ends of the double range are
           worked on times a power of 2 (internal.h) */
        scale_items(c.x.it, nr, socind__scale_exponent(ymax));
        domain all = {nr, 0, 0.0, 0.0};
        socind__items_totals(c.x.it, all.nr, &all.N, &all.Y);
        /* the weight sum reported: unscaled (+Inf where it overflows) */
        const double Nrep = all.N;
        if (!(isfinite(all.N) && isfinite(all.Y))) weights_rescaled(&c, &all);
        const double N = all.N, Y = all.Y;
        double total = ge_of(c.x.it, &all, theta, ut);
        /* each group's GE and its linearized values (zero outside the
           group): ω_g·u(GE_g) + GE_g·(the row's own part of u(ω_g)), in u */
        double within = 0.0;
        size_t start = 0;
        for (int32_t g = 0; g < n_groups; start += dg[g].nr, g++) {
            if (dg[g].nr == 0) continue;
            const socind__item *it = c.x.it + start;
            double *u = c.x.u + start;
            socind__items_totals(it, dg[g].nr, &dg[g].N, &dg[g].Y);
            GEg[g] = ge_of(it, &dg[g], theta, u);
            double om = pow(dg[g].Y / Y, theta) * pow(dg[g].N / N, 1.0 - theta);
            within += om * GEg[g];
            for (size_t i = 0; i < dg[g].nr; i++)
                u[i] =
                    om * u[i] + GEg[g] * om * (theta * it[i].y / dg[g].Y + (1.0 - theta) / dg[g].N);
        }
        /* the part of u(ω_g) common to every row: −Σ_g GE_g ω_g (θ y/Ŷ + (1 − θ)/N̂) */
        for (size_t i = 0; i < nr; i++)
            c.x.u[i] -= within * (theta * c.x.it[i].y / Y + (1.0 - theta) / N);
        double vals[SOCIND_GEDEC_COUNT] = {[SOCIND_GEDEC_TOTAL] = total,
                                           [SOCIND_GEDEC_WITHIN] = within,
                                           [SOCIND_GEDEC_BETWEEN] = total - within};
        /* the within part's values are in c.x.u, the total's in ut */
        socind__fill_decomposition(&c.x, nr, ut, vals, Nrep, &f.o, d->df, out);
    }
    free(ut), free(dg), free(GEg);
    ictx_free(&c);
    return socind__frame_end(&f, st, (int64_t)nr, "income");
}

/* The Gini's linearized variable for other modules (simulate.c): the Gini
 * of domain j of g (convey's svygini, as socind_gini computes it, by gini()
 * above) in *value, and coef times its PSU totals Σ w·u added into wk's
 * accumulators (acc[p·m]), the PSUs of the domain's rows of weight 0
 * touched too. *value is NaN (nothing added) when the domain has no usable
 * row, its incomes sum to 0 or the sums leave the double range. */
struct socind__gini_work {
    ictx c;
};

int32_t socind__gini_work_new(const socind_design *d, socind__gini_work **out) {
    *out = NULL;
    socind__gini_work *gw = calloc(1, sizeof *gw);
    if (!gw) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    socind_options o;
    socind_options_init(&o);
    int32_t st = ictx_init(&gw->c, d, NULL, SOCIND_NONPOS_ERROR, 0, &o);
    if (st) {
        ictx_free(&gw->c);
        free(gw);
        return st;
    }
    *out = gw;
    return SOCIND_OK;
}

void socind__gini_work_free(socind__gini_work *gw) {
    if (!gw) return;
    ictx_free(&gw->c);
    free(gw);
}

int32_t socind__gini_psu_totals(socind__gini_work *gw, const socind_design *d, const double *y,
                                const socind__groups *g, int32_t j, double coef, socind__work *wk,
                                double *value) {
    socind_options o;
    socind_options_init(&o);
    ictx own;
    ictx *c = gw ? &gw->c : &own;
    *value = NAN;
    int32_t st = SOCIND_OK;
    if (gw)
        c->y = y;
    else
        st = ictx_init(c, d, y, SOCIND_NONPOS_ERROR, 0, &o);
    domain dm;
    double ymax;
    if (!st) st = gather(c, g, j, 1, c->x.it, c->x.zero, &dm, &ymax, NULL);
    if (!st && dm.nr > 0) {
        scale_items(c->x.it, dm.nr, socind__scale_exponent(ymax));
        socind__items_totals(c->x.it, dm.nr, &dm.N, &dm.Y);
        if (dm.Y != 0.0) st = socind__sort_items(c->x.it, dm.nr);
        if (!st && dm.Y != 0.0) *value = gini(c, &dm);
        if (!isnan(*value)) {
            const socind__work *cw = &c->x.wk;
            for (size_t t = 0; t < cw->touched.n; t++) {
                int32_t p = cw->touched.list[t];
                *socind__touch(wk, p) += coef * cw->acc[(size_t)p * (size_t)cw->m];
            }
            for (size_t t = 0; t < dm.nz; t++) socind__touch(wk, d->row_psu[c->x.zero[t]]);
        }
        socind__work_reset(&c->x.wk);
    }
    if (!gw) ictx_free(c);
    return st;
}
