/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/inequality.c — Gini, generalized entropy, Atkinson and quantiles with
 * design-based SEs (convey's svygini, svygei, svyatk; survey's svyquantile).
 * See inequality.h. Each estimator gathers its domain's rows, computes the
 * estimate and a linearized value per row, and adds w·u into the PSU sums
 * of the design's variance engine. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* socind__item in doubles, as density.c's rows read it */
#define ITEM_STRIDE (sizeof(socind__item) / sizeof(double))
_Static_assert(sizeof(socind__item) % sizeof(double) == 0, "items are whole doubles");

#define IND_GINI 0
#define IND_GE 1
#define IND_ATK 2
#define IND_QUANT 3
#define IND_QSR 4
#define IND_LORENZ 5

typedef struct {
    const socind_design *d;
    const double *y;
    int32_t nonpos;
    int need_positive;
    socind_options o;
    socind__work wk;
    socind__item *it; /* the domain's usable rows (w > 0), sorted where needed */
    uint32_t *zero;   /* its rows with weight 0 (their PSUs still count) */
    double *u;        /* linearized values, by position in rows */
} ictx;

/* Gathers the usable rows of domain j; SOCIND_ERR_NONPOSITIVE for y <= 0
 * when positive incomes are needed (unless excluded). */
static int32_t gather(ictx *c, const socind__groups *g, int32_t j, size_t *nr, size_t *nz,
                      double *ymax) {
    size_t ng = socind__group_size(g, j), a = 0, b = 0;
    double m = 0.0;
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        double y = c->y[k];
        if (isnan(y)) continue;
        if (isinf(y))
            return socind__fail_row(SOCIND_ERR_DATA, k,
                                    "y[%zu] is %g; incomes must be finite (NaN for missing)", k, y);
        if (c->need_positive && !(y > 0.0)) {
            if (c->nonpos == SOCIND_NONPOS_EXCLUDE) continue;
            return socind__fail_row(
                SOCIND_ERR_NONPOSITIVE, k,
                "y[%zu] is %g; this measure needs incomes > 0 (or exclude them)", k, y);
        }
        if (c->d->w[k] > 0.0) {
            socind__item *t = &c->it[a++];
            t->y = y;
            t->w = c->d->w[k];
            t->psu = c->d->row_psu[k];
            t->row = (uint32_t)k;
            m = fabs(y) > m ? fabs(y) : m;
        } else
            c->zero[b++] = (uint32_t)k;
    }
    *nr = a;
    *nz = b;
    *ymax = m;
    return SOCIND_OK;
}

/* Multiplies the incomes of the gathered rows by 2^−ex (exact). */
static void scale_items(ictx *c, size_t nr, int ex) {
    if (ex) socind__scale_pow2(&c->it[0].y, sizeof *c->it, &c->it[0].y, sizeof *c->it, nr, ex);
}

/* A domain's estimate that its data leave undefined: NaN with status st. */
static void undefined(ictx *c, socind_estimate *e, int32_t st) {
    int64_t n = e->n;
    double ws = e->weight_sum;
    socind__estimate_nan(e, st);
    e->n = n;
    e->weight_sum = ws;
    e->df = c->d->df;
    socind__work_reset(&c->wk);
}

/* variance of Σ w·u over the rows (and the zero-weight rows' PSUs) */
static int32_t finish_var(ictx *c, size_t nr, size_t nz, double *var) {
    int32_t last = -1;
    double *acc = NULL;
    for (size_t i = 0; i < nr; i++) {
        if (c->it[i].psu != last) acc = socind__touch(&c->wk, last = c->it[i].psu);
        *acc += c->it[i].w * c->u[i];
    }
    for (size_t i = 0; i < nz; i++) socind__touch(&c->wk, c->d->row_psu[c->zero[i]]);
    return socind__work_variance(&c->wk, var);
}

/* For tests: nonzero makes quantiles sort the domain's rows first. */
_Thread_local int socind__quantile_by_sort;

/* Domains with fewer rows are sorted instead (the same quantiles): the
 * selection's 65,536 buckets would cost more than their rows, and many
 * small domains would cost O(domains × buckets). */
#define SELECT_MIN_ROWS 8192

static int32_t one_domain(ictx *c, int ind, double par, double par2, const socind__groups *g,
                          int32_t j, socind_estimate *e) {
    size_t nr = 0, nz = 0;
    double ymax;
    int32_t st = gather(c, g, j, &nr, &nz, &ymax);
    if (st) return st;
    if (nr == 0) {
        socind__estimate_nan(e, SOCIND_ERR_EMPTY_DOMAIN);
        e->n = (int64_t)nz;
        e->df = c->d->df;
        socind__work_reset(&c->wk);
        return SOCIND_OK;
    }
    /* every measure but the quantile is scale-free in y: incomes near the
       ends of the double range are scaled by a power of 2 (exactly) so that
       their sums and products stay in range (internal.h) */
    if (ind != IND_QUANT) scale_items(c, nr, socind__scale_exponent(ymax));
    /* plain sums within blocks, compensated across them */
    socind__ksum Nk = {0, 0}, Yk = {0, 0};
    for (size_t b = 0; b < nr; b += 4096) {
        size_t e = b + 4096 < nr ? b + 4096 : nr;
        double sn = 0.0, sy = 0.0;
        for (size_t i = b; i < e; i++) {
            sn += c->it[i].w;
            sy += c->it[i].w * c->it[i].y;
        }
        socind__kadd(&Nk, sn);
        socind__kadd(&Yk, sy);
    }
    double N = socind__kval(&Nk), Y = socind__kval(&Yk), mu = Y / N;
    double value = NAN;
    int accumulated = 0; /* w·u already in the PSU sums */
    socind__estimate_nan(e, SOCIND_OK);
    e->n = (int64_t)(nr + nz);
    e->weight_sum = N;
    if (ind == IND_ATK && mu > 0.0 && isfinite(mu)) {
        /* y^(1 − ε) is taken on incomes scaled near their mean (a power
           of 2: Atkinson's index does not change) */
        int ex = socind__exponent(mu);
        scale_items(c, nr, ex);
        Y = ldexp(Y, -ex);
        mu = Y / N;
    }
    /* a share of total income needs a total */
    if ((ind == IND_GINI || ind == IND_LORENZ || ind == IND_QSR) && Y == 0.0) {
        undefined(c, e, SOCIND_ERR_DATA);
        return SOCIND_OK;
    }
    /* quantiles select instead (unless a test asks for the sort) */
    int by_sort = ind != IND_QUANT || socind__quantile_by_sort || nr < SELECT_MIN_ROWS;
    if (ind != IND_GE && ind != IND_ATK && by_sort) {
        st = socind__sort_items(c->it, nr);
        if (st) return st;
    }
    if (ind == IND_GINI) {
        /* T1 = Σ r_k w_k y_k, r_k the cumulative weight (k included) */
        long double r = 0.0L;
        socind__ksum T = {0, 0};
        for (size_t b = 0; b < nr; b += 4096) {
            size_t e = b + 4096 < nr ? b + 4096 : nr;
            double st_ = 0.0;
            for (size_t i = b; i < e; i++) {
                r += c->it[i].w;
                st_ += (double)r * c->it[i].w * c->it[i].y;
            }
            socind__kadd(&T, st_);
        }
        long double Wtot = r;
        double T1 = socind__kval(&T);
        value = (2.0 * T1 - Y) / (N * Y) - 1.0;
        /* u(T1)_k = Σ_{j >= k} w_j y_j + r_k y_k, then the chain rule; walked
         * backwards (r_k = total − the weight after k), w·u added straight
         * into the PSU sums */
        long double suffix = 0.0L, after = 0.0L;
        double a1 = 2.0 / (N * Y), a2 = 2.0 * T1 / (N * Y * Y), a3 = (2.0 * T1 - Y) / (N * N * Y);
        int32_t last = -1;
        double *acc = NULL;
        for (size_t i = nr; i-- > 0;) {
            double yk = c->it[i].y, wk = c->it[i].w;
            suffix += (long double)wk * yk;
            double rk = (double)(Wtot - after);
            after += wk;
            double uT1 = (double)suffix + rk * yk;
            if (c->it[i].psu != last) acc = socind__touch(&c->wk, last = c->it[i].psu);
            *acc += wk * (a1 * uT1 - a2 * yk - a3);
        }
        accumulated = 1;
    } else if (ind == IND_GE) {
        double th = par, S = 0.0;
        socind__ksum Sk = {0, 0};
        for (size_t i = 0; i < nr; i++) {
            double x = c->it[i].y / mu, s;
            if (th == 0.0)
                s = -log(x);
            else if (th == 1.0)
                s = x * log(x);
            else
                s = (pow(x, th) - 1.0) / (th * th - th);
            c->u[i] = s;
            socind__kadd(&Sk, c->it[i].w * s);
        }
        S = socind__kval(&Sk);
        value = S / N;
        double D = th == 0.0   ? 1.0 / mu
                   : th == 1.0 ? -(value + 1.0) / mu
                               : -((th * th - th) * value + 1.0) / (mu * (th - 1.0));
        for (size_t i = 0; i < nr; i++) c->u[i] = (c->u[i] - value) / N + D * (c->it[i].y - mu) / N;
    } else if (ind == IND_ATK) {
        double eps = par;
        if (eps == 1.0) {
            socind__ksum T0 = {0, 0};
            for (size_t i = 0; i < nr; i++) socind__kadd(&T0, c->it[i].w * log(c->it[i].y));
            double t0 = socind__kval(&T0);
            value = 1.0 - (N / Y) * exp(t0 / N);
            for (size_t i = 0; i < nr; i++) {
                double yk = c->it[i].y;
                c->u[i] = (value - 1.0) * (1.0 - t0 / N) / N + yk * (1.0 - value) / Y +
                          log(yk) * (value - 1.0) / N;
            }
        } else {
            socind__ksum Uk = {0, 0};
            for (size_t i = 0; i < nr; i++)
                socind__kadd(&Uk, c->it[i].w * pow(c->it[i].y, 1.0 - eps));
            double U = socind__kval(&Uk), a = eps / (1.0 - eps), b = 1.0 / (1.0 - eps);
            double Ub = pow(U, b), Ua = pow(U, a), N0a = pow(N, a), N0b = pow(N, b);
            value = 1.0 - Ub / (N0a * Y);
            for (size_t i = 0; i < nr; i++) {
                double yk = c->it[i].y;
                c->u[i] = a * Ub / (Y * N0b) + yk * Ub / (N0a * Y * Y) -
                          b * pow(yk, 1.0 - eps) * Ua / (N0a * Y);
            }
        }
    } else if (ind == IND_QSR) {
        /* S_hi/S_lo: income share above the α2-quantile over the share at or
         * below the α1-quantile, each with its quantile's density term */
        double a1 = par, a2 = par2;
        double q1 = socind__wq_sorted(c->it, nr, N, a1), q2 = socind__wq_sorted(c->it, nr, N, a2);
        /* N̂·f̂ and Ŝ' at both quantiles (density.c), over the sorted rows */
        const socind__rowset rs = {&c->it[0].y, &c->it[0].w, ITEM_STRIDE, NULL, nr};
        socind__moments mo;
        socind__moments_of(&rs, &mo);
        double h = socind__bandwidth(&mo), x[2] = {q1, q2}, F[2] = {NAN, NAN}, G[2] = {NAN, NAN};
        if (h > 0.0) socind__kernel_sums(&rs, x, h, mo.n, 1, F, G);
        double fN1 = F[0], fN2 = F[1], s1d = G[0], s2d = G[1];
        socind__ksum L = {0, 0}, U = {0, 0};
        for (size_t i = 0; i < nr; i++) {
            double yk = c->it[i].y, wk = c->it[i].w;
            if (yk <= q1) socind__kadd(&L, wk * yk);
            if (!(yk <= q2)) socind__kadd(&U, wk * yk);
        }
        double S1 = socind__kval(&L), S2 = socind__kval(&U);
        if (S1 == 0.0 || !(fN1 > 0.0) || !(fN2 > 0.0)) {
            /* no income at or below the lower quantile, or no density at a
               quantile (every income equal) */
            undefined(c, e, SOCIND_ERR_DATA);
            return SOCIND_OK;
        }
        value = S2 / S1;
        for (size_t i = 0; i < nr; i++) {
            double yk = c->it[i].y;
            double i1 = yk <= q1 ? 1.0 : 0.0, i2 = yk <= q2 ? 1.0 : 0.0;
            double ulo = yk * i1 + s1d * (-(i1 - a1) / fN1);
            double ulo2 = yk * i2 + s2d * (-(i2 - a2) / fN2);
            double uhi = yk - ulo2;
            c->u[i] = (uhi - value * ulo) / S1;
        }
    } else if (ind == IND_LORENZ) {
        double p = par, target = p * N;
        long double W = 0.0L;
        socind__ksum Yp = {0, 0};
        double qt = NAN;
        for (size_t i = 0; i < nr; i++) {
            double wk = c->it[i].w, yv = c->it[i].y;
            double Wprev = (double)W;
            W += wk;
            double t = (target - Wprev) / wk;
            double H = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
            socind__kadd(&Yp, wk * yv * H);
            if (isnan(qt) && Wprev < target && target <= (double)W) {
                double yprev = i > 0 ? c->it[i - 1].y : yv;
                qt = yprev + (yv - yprev) * t;
            }
        }
        value = socind__kval(&Yp) / Y;
        for (size_t i = 0; i < nr; i++) {
            double yk = c->it[i].y;
            c->u[i] = ((yk - qt) * (yk <= qt ? 1.0 : 0.0) + p * qt - yk * value) / Y;
        }
    } else { /* IND_QUANT: Woodruff */
        double p = par, Q = NAN;
        if (by_sort)
            Q = socind__wq_sorted(c->it, nr, N, p);
        else if ((st = socind__wq_unsorted(c->it, nr, N, &p, 1, &Q)))
            return st;
        /* the share below Q and its SE (a mean through the design) */
        socind__ksum F = {0, 0};
        for (size_t i = 0; i < nr; i++)
            if (c->it[i].y <= Q) socind__kadd(&F, c->it[i].w);
        double ph = socind__kval(&F) / N;
        for (size_t i = 0; i < nr; i++) c->u[i] = ((c->it[i].y <= Q ? 1.0 : 0.0) - ph) / N;
        double var;
        st = finish_var(c, nr, nz, &var);
        double s = st ? NAN : sqrt(var);
        if (st) e->status = st;
        /* the critical value of the options' interval: t on the design's df
           (svyquantile's) by default, normal with SOCIND_CI_NORMAL */
        double q;
        int32_t qs = socind__critical(&c->o, c->d->df, &q);
        e->value = Q;
        e->df = c->d->df;
        if (qs == SOCIND_ERR_DF || !isfinite(s)) {
            if (e->status == SOCIND_OK)
                e->status = qs == SOCIND_ERR_DF ? SOCIND_ERR_DF : SOCIND_ERR_OVERFLOW;
            return SOCIND_OK;
        }
        /* a t quantile beyond DBL_MAX: the limits are the quantile itself
           when SE = 0, else the shares leave [0, 1] */
        if (qs == SOCIND_ERR_OVERFLOW) q = INFINITY;
        double qs_ = s == 0.0 ? 0.0 : q * s;
        double pl = ph - qs_, pu = ph + qs_;
        if (by_sort) {
            e->ci_low = pl < 0.0 ? NAN : socind__wq_sorted(c->it, nr, N, pl);
            e->ci_high = pu > 1.0 ? NAN : socind__wq_sorted(c->it, nr, N, pu);
        } else {
            double pp[2] = {pl, pu}, qq[2] = {NAN, NAN};
            if ((st = socind__wq_unsorted(c->it, nr, N, pp, 2, qq))) return st;
            e->ci_low = pl < 0.0 ? NAN : qq[0];
            e->ci_high = pu > 1.0 ? NAN : qq[1];
        }
        e->se = s == 0.0 ? 0.0 : (e->ci_high - e->ci_low) / (2.0 * q);
        /* a limit whose share leaves [0, 1] is NaN (R's svyquantile gives
           NA): the value stands, the status says the interval is incomplete */
        if (e->status == SOCIND_OK && (isnan(e->ci_low) || isnan(e->ci_high)))
            e->status = SOCIND_ERR_RANGE;
        socind__check_finite(e);
        return SOCIND_OK;
    }
    double var;
    st = finish_var(c, accumulated ? 0 : nr, nz, &var);
    e->value = value;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    socind__fill_ci(e, &c->o, c->d->df, 0);
    return SOCIND_OK;
}

static int32_t drive(const socind_design *d, const double *y, int ind, double par, double par2,
                     int32_t nonpos, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    int32_t G = group ? (n_groups > 0 ? n_groups : 1) : 1;
    for (int32_t j = 0; j < G; j++) socind__estimate_nan(&out[j], SOCIND_ERR_NULL);
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    if (!y) return socind__fail(SOCIND_ERR_NULL, "y is NULL");
    if (nonpos != SOCIND_NONPOS_ERROR && nonpos != SOCIND_NONPOS_EXCLUDE) {
        for (int32_t j = 0; j < G; j++) socind__estimate_nan(&out[j], SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "unknown nonpositive policy %d", (int)nonpos);
    }
    ictx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.y = y;
    c.nonpos = nonpos;
    c.need_positive = ind == IND_GE || ind == IND_ATK;
    socind__groups g = {0};
    int32_t st = socind__resolve_options(opts, &c.o);
    if (!st) st = socind__groups_init(&g, group, n_groups, d->n);
    if (!st) {
        c.it = socind__big_alloc(d->n * sizeof *c.it);
        c.zero = malloc(d->n * sizeof *c.zero);
        c.u = malloc(d->n * sizeof *c.u);
        if (!c.it || !c.zero || !c.u) st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    if (!st) st = socind__work_init(&c.wk, d, 1);
    int64_t used = 0;
    for (int32_t j = 0; !st && j < g.ngroups; j++) {
        st = one_domain(&c, ind, par, par2, &g, j, &out[j]);
        if (!st && out[j].status != SOCIND_ERR_EMPTY_DOMAIN) used += out[j].n;
    }
    if (!st && used == 0)
        st = socind__fail(SOCIND_ERR_EMPTY, "no usable observation in any domain");
    if (st)
        for (int32_t j = 0; j < G; j++) socind__estimate_nan(&out[j], st);
    free(c.it), free(c.zero), free(c.u);
    socind__work_free(&c.wk);
    socind__groups_free(&g);
    return st;
}

/* Every output NaN with the given status (before a failing return). */
static void nan_all(socind_estimate *out, const int32_t *group, int32_t n_groups, int32_t st) {
    if (!out) return;
    int32_t G = group ? (n_groups > 0 ? n_groups : 1) : 1;
    for (int32_t j = 0; j < G; j++) socind__estimate_nan(&out[j], st);
}

int32_t socind_gini(const socind_design *design, const double *y, const int32_t *group,
                    int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    return drive(design, y, IND_GINI, 0.0, 0.0, SOCIND_NONPOS_ERROR, group, n_groups, opts, out);
}

int32_t socind_ge(const socind_design *design, const double *y, double theta, int32_t nonpositive,
                  const int32_t *group, int32_t n_groups, const socind_options *opts,
                  socind_estimate *out) {
    socind__clear_detail();
    if (!isfinite(theta)) {
        nan_all(out, group, n_groups, SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "theta must be finite, got %g", theta);
    }
    return drive(design, y, IND_GE, theta, 0.0, nonpositive, group, n_groups, opts, out);
}

int32_t socind_atkinson(const socind_design *design, const double *y, double epsilon,
                        int32_t nonpositive, const int32_t *group, int32_t n_groups,
                        const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!(epsilon > 0.0) || isinf(epsilon)) {
        nan_all(out, group, n_groups, SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "epsilon must be finite and > 0, got %g", epsilon);
    }
    return drive(design, y, IND_ATK, epsilon, 0.0, nonpositive, group, n_groups, opts, out);
}

int32_t socind_quantile(const socind_design *design, const double *y, double p,
                        const int32_t *group, int32_t n_groups, const socind_options *opts,
                        socind_estimate *out) {
    socind__clear_detail();
    if (!(p > 0.0 && p < 1.0)) {
        nan_all(out, group, n_groups, SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "p must be in (0, 1), got %g", p);
    }
    return drive(design, y, IND_QUANT, p, 0.0, SOCIND_NONPOS_ERROR, group, n_groups, opts, out);
}

int32_t socind_share_ratio(const socind_design *design, const double *y, double alpha1,
                           double alpha2, const int32_t *group, int32_t n_groups,
                           const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!(alpha1 > 0.0 && alpha1 < 1.0 && alpha2 > 0.0 && alpha2 < 1.0)) {
        nan_all(out, group, n_groups, SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "alpha1 and alpha2 must be in (0, 1), got %g and %g",
                            alpha1, alpha2);
    }
    return drive(design, y, IND_QSR, alpha1, alpha2, SOCIND_NONPOS_ERROR, group, n_groups, opts,
                 out);
}

int32_t socind_lorenz(const socind_design *design, const double *y, double p, const int32_t *group,
                      int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!(p > 0.0 && p < 1.0)) {
        nan_all(out, group, n_groups, SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "p must be in (0, 1), got %g", p);
    }
    return drive(design, y, IND_LORENZ, p, 0.0, SOCIND_NONPOS_ERROR, group, n_groups, opts, out);
}

/* GE(θ) over the rows listed (all w > 0, y > 0): the value, N̂, Ŷ, and the
 * linearized value of each row (u[i] for rows[i]). */
static double ge_of(const double *y, const double *w, const uint32_t *rows, size_t nr, double th,
                    double *Nout, double *Yout, double *u) {
    socind__ksum Nk = {0, 0}, Yk = {0, 0}, Sk = {0, 0};
    for (size_t i = 0; i < nr; i++) {
        socind__kadd(&Nk, w[rows[i]]);
        socind__kadd(&Yk, w[rows[i]] * y[rows[i]]);
    }
    double N = socind__kval(&Nk), Y = socind__kval(&Yk), mu = Y / N;
    for (size_t i = 0; i < nr; i++) {
        double x = y[rows[i]] / mu, s;
        if (th == 0.0)
            s = -log(x);
        else if (th == 1.0)
            s = x * log(x);
        else
            s = (pow(x, th) - 1.0) / (th * th - th);
        u[i] = s;
        socind__kadd(&Sk, w[rows[i]] * s);
    }
    double ge = socind__kval(&Sk) / N;
    double D = th == 0.0   ? 1.0 / mu
               : th == 1.0 ? -(ge + 1.0) / mu
                           : -((th * th - th) * ge + 1.0) / (mu * (th - 1.0));
    for (size_t i = 0; i < nr; i++) u[i] = (u[i] - ge) / N + D * (y[rows[i]] - mu) / N;
    *Nout = N;
    *Yout = Y;
    return ge;
}

int32_t socind_ge_decomposition(const socind_design *d, const double *y, double theta,
                                int32_t nonpositive, const int32_t *group, int32_t n_groups,
                                const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    for (int i = 0; i < SOCIND_GEDEC_COUNT; i++) socind__estimate_nan(&out[i], SOCIND_ERR_NULL);
    if (!d || !y || !group)
        return socind__fail(SOCIND_ERR_NULL, "%s is NULL", !d ? "design" : !y ? "y" : "group");
    /* from here every failure leaves the three estimates NaN with its status */
    uint32_t *rows = NULL, *grows = NULL;
    double *ut = NULL, *uw = NULL, *ug = NULL, *Ng = NULL, *Yg = NULL, *GEg = NULL, *ysc = NULL;
    size_t *pos = NULL, *gstart = NULL, *gnext = NULL;
    socind__work wk;
    memset(&wk, 0, sizeof wk);
    socind_options o;
    int32_t st = SOCIND_OK;
    if (!isfinite(theta))
        st = socind__fail(SOCIND_ERR_ARG, "theta must be finite, got %g", theta);
    else if (nonpositive != SOCIND_NONPOS_ERROR && nonpositive != SOCIND_NONPOS_EXCLUDE)
        st = socind__fail(SOCIND_ERR_ARG, "unknown nonpositive policy %d", (int)nonpositive);
    else if ((st = socind__resolve_options(opts, &o)) == SOCIND_OK && n_groups < 1)
        st = socind__fail(SOCIND_ERR_ARG, "n_groups must be >= 1, got %d", (int)n_groups);
    if (st) goto done;
    size_t n = d->n;
    rows = malloc(n * sizeof *rows), grows = malloc(n * sizeof *grows);
    ut = malloc(n * sizeof *ut), uw = malloc(n * sizeof *uw), ug = malloc(n * sizeof *ug);
    Ng = calloc((size_t)n_groups, sizeof *Ng), Yg = calloc((size_t)n_groups, sizeof *Yg);
    GEg = calloc((size_t)n_groups, sizeof *GEg);
    pos = malloc(n * sizeof *pos);
    gstart = calloc((size_t)n_groups + 1, sizeof *gstart);
    gnext = malloc((size_t)n_groups * sizeof *gnext);
    if (!rows || !grows || !ut || !uw || !ug || !Ng || !Yg || !GEg || !pos || !gstart || !gnext) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        goto done;
    }
    size_t nr = 0;
    double ymax = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (group[k] < -1 || group[k] >= n_groups) {
            st =
                socind__fail_row(SOCIND_ERR_GROUP, k, "group[%zu] is %d; codes must be in [-1, %d)",
                                 k, (int)group[k], (int)n_groups);
            goto done;
        }
        if (isnan(y[k]) || group[k] < 0) continue;
        if (isinf(y[k])) {
            st =
                socind__fail_row(SOCIND_ERR_DATA, k,
                                 "y[%zu] is %g; incomes must be finite (NaN for missing)", k, y[k]);
            goto done;
        }
        if (!(d->w[k] > 0.0)) continue;
        if (!(y[k] > 0.0)) {
            if (nonpositive == SOCIND_NONPOS_EXCLUDE) continue;
            st = socind__fail_row(SOCIND_ERR_NONPOSITIVE, k,
                                  "y[%zu] is %g; GE needs incomes > 0 (or exclude them)", k, y[k]);
            goto done;
        }
        pos[k] = nr;
        rows[nr++] = (uint32_t)k;
        ymax = y[k] > ymax ? y[k] : ymax;
    }
    if (nr == 0) {
        st = socind__fail(SOCIND_ERR_EMPTY, "no usable income");
        goto done;
    }
    /* GE is scale-free: incomes near the ends of the double range are
       worked on times a power of 2 (internal.h), a copy */
    int ex = socind__scale_exponent(ymax);
    if (ex) {
        if (!(ysc = malloc(n * sizeof *ysc))) {
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
            goto done;
        }
        socind__scale_pow2(ysc, sizeof *ysc, y, sizeof *y, n, ex);
        y = ysc;
    }
    double N, Y;
    double total = ge_of(y, d->w, rows, nr, theta, &N, &Y, ut);
    /* the rows by group, each group's in row order (a counting sort) */
    for (size_t i = 0; i < nr; i++) gstart[group[rows[i]] + 1]++;
    for (int32_t g = 0; g < n_groups; g++) gstart[g + 1] += gstart[g];
    memcpy(gnext, gstart, (size_t)n_groups * sizeof *gnext);
    for (size_t i = 0; i < nr; i++) grows[gnext[group[rows[i]]]++] = rows[i];
    /* each group's GE and its linearized values (zero outside the group) */
    double within = 0.0;
    for (int32_t g = 0; g < n_groups; g++) {
        size_t ng = gstart[g + 1] - gstart[g];
        if (ng == 0) continue;
        const uint32_t *gr = grows + gstart[g];
        GEg[g] = ge_of(y, d->w, gr, ng, theta, &Ng[g], &Yg[g], ug);
        double om = pow(Yg[g] / Y, theta) * pow(Ng[g] / N, 1.0 - theta);
        within += om * GEg[g];
        /* ω_g·u(GE_g) + GE_g·(row's own part of u(ω_g)) */
        for (size_t i = 0; i < ng; i++) {
            size_t k = gr[i];
            uw[pos[k]] = om * ug[i] + GEg[g] * om * (theta * y[k] / Yg[g] + (1.0 - theta) / Ng[g]);
        }
    }
    /* the part of u(ω_g) common to every row: −Σ_g GE_g ω_g (θ y/Ŷ + (1 − θ)/N̂) */
    for (size_t i = 0; i < nr; i++) uw[i] -= within * (theta * y[rows[i]] / Y + (1.0 - theta) / N);
    st = socind__work_init(&wk, d, 1);
    if (st) goto done;
    double vals[SOCIND_GEDEC_COUNT] = {[SOCIND_GEDEC_TOTAL] = total,
                                       [SOCIND_GEDEC_WITHIN] = within,
                                       [SOCIND_GEDEC_BETWEEN] = total - within};
    for (int s = 0; s < SOCIND_GEDEC_COUNT; s++) {
        for (size_t i = 0; i < nr; i++) {
            double u = s == SOCIND_GEDEC_TOTAL    ? ut[i]
                       : s == SOCIND_GEDEC_WITHIN ? uw[i]
                                                  : ut[i] - uw[i];
            *socind__touch(&wk, d->row_psu[rows[i]]) += d->w[rows[i]] * u;
        }
        double var;
        int32_t vst = socind__work_variance(&wk, &var);
        socind__estimate_nan(&out[s], vst);
        out[s].value = vals[s];
        out[s].se = vst ? NAN : sqrt(var);
        out[s].n = (int64_t)nr;
        out[s].weight_sum = N;
        socind__fill_ci(&out[s], &o, d->df, 0);
    }
done:
    if (st)
        for (int i = 0; i < SOCIND_GEDEC_COUNT; i++) socind__estimate_nan(&out[i], st);
    socind__work_free(&wk);
    free(rows), free(grows), free(ut), free(uw), free(ug), free(Ng), free(Yg), free(GEg), free(pos);
    free(gstart), free(gnext), free(ysc);
    return st;
}
