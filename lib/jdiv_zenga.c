/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/jdiv_zenga.c — the J-divergence, its within/between decomposition and
 * the Zenga index with design-based SEs (convey's svyjdiv, svyjdivdec,
 * svyzenga). See inequality.h.
 *
 * As inequality.c's estimators: a domain's usable rows are gathered (in row
 * order), the estimate and a linearized value per row computed, and w·u
 * added into the PSU sums of the design's variance engine. The sums follow
 * R's arithmetic where it matters for the last digits: R's sum() and
 * cumsum() accumulate in long double and round once, as these do, and the
 * Zenga terms are evaluated in convey's order (CalcZenga, CalcZenga_IF).
 * Zenga sorts each domain's rows with sort.c's sort (stable: ties stay in
 * row order, as R's order() keeps them). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct {
    const socind_design *d;
    const double *y;
    int32_t nonpos;
    int strict; /* 1: incomes must be > 0 (J), 0: >= 0 (Zenga) */
    socind_options o;
    socind__items x; /* a domain's rows, u, PSU sums */
    double *hk;      /* Zenga: H_k and K_k of each sorted row, or NULL */
} jctx;

/* Gathers the usable rows of domain j into it (those of weight 0 into zero,
 * or leaves them out when zero is NULL; their incomes are not checked for
 * <= 0, as R's svyjdiv and svyzenga check only rows with w > 0);
 * SOCIND_ERR_DATA for ±Inf, SOCIND_ERR_NONPOSITIVE for an income the
 * measure refuses (<= 0 or < 0) unless excluded; *ymax the largest |y| gathered. −0 is stored as +0
 * (equal in R's order, so ties keep their row order). */
static int32_t gather(const jctx *c, const socind__groups *g, int32_t j, socind__item *it,
                      uint32_t *zero, size_t *nr, size_t *nz, double *ymax) {
    const socind__gather_rule r = {c->d,
                                   c->y,
                                   NULL,
                                   NULL,
                                   c->strict ? 1 : 2,
                                   c->nonpos,
                                   0,
                                   c->strict ? "the J-divergence" : "the Zenga index"};
    return socind__gather(&r, g, j, it, zero, nr, nz, ymax);
}

/* Multiplies the incomes of nr items by 2^−ex (exact; the measures here are
 * scale-free). */
static void scale_items(socind__item *it, size_t nr, int ex) {
    if (ex) socind__scale_pow2(&it[0].y, sizeof *it, &it[0].y, sizeof *it, nr, ex);
}

/* N̂ = Σ w and Ŷ = Σ w y over it[0 .. nr), accumulated as R's sum(). */
static void totals(const socind__item *it, size_t nr, double *N, double *Y) {
    long double n = 0.0L, s = 0.0L;
    for (size_t i = 0; i < nr; i++) {
        n += it[i].w;
        s += it[i].w * it[i].y;
    }
    *N = (double)n;
    *Y = (double)s;
}

/* The J-divergence of it[0 .. nr) (y > 0) with total weight N and income Y,
 * u[i] the linearized value of it[i] (convey's CalcJDiv, CalcJDiv_IF). */
static double jdiv_of(const socind__item *it, size_t nr, double N, double Y, double *u) {
    const double mu = Y / N;
    long double sj = 0.0L, sjf = 0.0L, s1 = 0.0L;
    for (size_t i = 0; i < nr; i++) {
        double y = it[i].y, w = it[i].w, r = y / mu, lr = log(r);
        sj += w * (((y - mu) / mu) * log(y / mu)); /* the point estimate's score */
        u[i] = (r - 1.0) * lr;                     /* the linearization's */
        sjf += w * u[i];
        s1 += w * (r * lr);
    }
    double J = (double)sj / N, Jf = (double)sjf / N, ge1 = (double)s1 / N;
    double dmu = -ge1 / mu;
    for (size_t i = 0; i < nr; i++) u[i] = (u[i] - Jf) / N + dmu * ((it[i].y - mu) / N);
    return J;
}

/* GE(0) and GE(1) of it[0 .. nr) (y > 0) with their linearized values u0,
 * u1 (convey's CalcGEI, CalcGEI_IF at ε = 0 and 1). */
static void ge01_of(const socind__item *it, size_t nr, double N, double Y, double *ge0, double *ge1,
                    double *u0, double *u1) {
    const double mu = Y / N;
    long double s0 = 0.0L, s1 = 0.0L;
    for (size_t i = 0; i < nr; i++) {
        double r = it[i].y / mu, lr = log(r);
        u0[i] = -lr;
        u1[i] = r * lr;
        s0 += it[i].w * u0[i];
        s1 += it[i].w * u1[i];
    }
    double g0 = (double)s0 / N, g1 = (double)s1 / N;
    double d0 = 1.0 / mu, d1 = -(1.0 / mu) * (g1 + 1.0);
    for (size_t i = 0; i < nr; i++) {
        double ly = (it[i].y - mu) / N;
        u0[i] = (1.0 / N) * (u0[i] - g0) + d0 * ly;
        u1[i] = (1.0 / N) * (u1[i] - g1) + d1 * ly;
    }
    *ge0 = g0;
    *ge1 = g1;
}

/* The Zenga index of the sorted rows it[0 .. nr) (y >= 0, total income
 * Y > 0) and u (convey's CalcZenga and CalcZenga_IF, in their order of
 * operations); hk holds 2·nr doubles. Ẑ does not depend on the weights'
 * scale and u scales as 1/weight: the sums run on the weights times the
 * power of two sc that brings N̂ near 1 (exact), so that products such as
 * N̂·H·K stay in range whatever the weights, and u is scaled back. */
static double zenga_of(const socind__item *it, size_t nr, double N0, double Tot0, double *hk,
                       double *u) {
    int e;
    (void)frexp(N0, &e);
    const double sc = ldexp(1.0, -e), N = N0 * sc, Tot = Tot0 * sc;
    long double cw = 0.0L, cwy = 0.0L, z = 0.0L, s2 = 0.0L, s3 = 0.0L, s4 = 0.0L;
    for (size_t k = 0; k < nr; k++) {
        double w = it[k].w * sc, wy = w * it[k].y;
        cw += w;
        cwy += wy;
        double H = (double)cw, K = (Tot - (double)cwy) + wy;
        hk[2 * k] = H;
        hk[2 * k + 1] = K;
        z += w * (N - H) * (Tot - K) / (N * H * K);
        s2 += w * (Tot - K) / K;
        s3 += w * (N - H) / (H * K);
        s4 += w * (Tot - K) / (H * H * K);
    }
    const double value = 1.0 - (double)z;
    const double T2 = -(double)s2 / (N * N), S3 = (double)s3, S4 = (double)s4;
    long double ca = 0.0L, cb = 0.0L;
    for (size_t k = 0; k < nr; k++) {
        double w = it[k].w * sc, y = it[k].y, H = hk[2 * k], K = hk[2 * k + 1];
        double a = w * (Tot - K) / (H * H * K), b = w * (N - H) / (H * (K * K));
        ca += a;
        cb += b;
        double T1 = -(N - H) * (Tot - K) / (N * H * K);
        double T3 = -(y / N) * S3;
        double T4 = S4 - (double)ca + a;
        double T5 = (Tot * y / N) * (double)cb;
        long double s = T1;
        s += T2;
        s += T3;
        s += T4;
        s += T5;
        u[k] = (double)s * sc;
    }
    return value;
}

/* variance of Σ w·u over the rows (and the zero-weight rows' PSUs) */
static int32_t finish_var(jctx *c, size_t nr, size_t nz, double *var) {
    return socind__items_variance(&c->x, c->d, nr, nz, var);
}

static int32_t check_nonpos(int32_t nonpos) {
    if (nonpos != SOCIND_NONPOS_ERROR && nonpos != SOCIND_NONPOS_EXCLUDE)
        return socind__fail(SOCIND_ERR_ARG, "unknown nonpositive policy %d", (int)nonpos);
    return SOCIND_OK;
}

/* The work space: a domain's rows (24 bytes each), its rows of weight 0
 * (4), the linearized values (8) and, for Zenga, H and K (16). */
static int32_t jctx_init(jctx *c, const socind_design *d, const double *y, int32_t nonpos,
                         int strict, int with_hk, const socind_options *o) {
    memset(c, 0, sizeof *c);
    c->d = d;
    c->y = y;
    c->nonpos = nonpos;
    c->strict = strict;
    c->o = *o;
    /* svyjdiv, svyjdivdec and svyzenga run on svyby's domain design */
    int32_t st = socind__items_init(&c->x, d, o, SOCIND_DOMAIN_RULE_SUBSET);
    if (!st && with_hk && !(c->hk = malloc(2 * d->n * sizeof *c->hk)))
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    return st;
}

static void jctx_free(jctx *c) {
    socind__items_free(&c->x);
    free(c->hk);
}

/* J (zenga = 0) or Zenga (zenga = 1) on domain j into *e. */
static int32_t one_domain(jctx *c, int zenga, const socind__groups *g, int32_t j,
                          socind_estimate *e) {
    size_t nr, nz;
    double ymax;
    int32_t st = gather(c, g, j, c->x.it, c->x.zero, &nr, &nz, &ymax);
    if (st) return st;
    if (nr == 0) {
        socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, (int64_t)nz, 0.0, c->d->df);
        socind__work_reset(&c->x.wk);
        return SOCIND_OK;
    }
    scale_items(c->x.it, nr, socind__scale_exponent(ymax));
    double N, Y;
    totals(c->x.it, nr, &N, &Y);
    socind__estimate_nan(e, SOCIND_OK);
    e->n = (int64_t)(nr + nz);
    e->weight_sum = N;
    double value;
    if (zenga) {
        if (Y == 0.0) { /* every income 0: no income to share */
            socind__estimate_undefined(e, SOCIND_ERR_DATA, e->n, N, c->d->df);
            socind__work_reset(&c->x.wk);
            return SOCIND_OK;
        }
        if ((st = socind__sort_items(c->x.it, nr))) return st;
        /* Ŷ as R's sum over the sorted rows (the last cumulative sum) */
        totals(c->x.it, nr, &N, &Y);
        value = zenga_of(c->x.it, nr, N, Y, c->hk, c->x.u);
    } else {
        value = jdiv_of(c->x.it, nr, N, Y, c->x.u);
    }
    double var;
    st = finish_var(c, nr, nz, &var);
    e->value = value;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    socind__fill_ci(e, &c->o, c->d->df, 0);
    return SOCIND_OK;
}

static int32_t drive(const socind_design *d, const double *y, int zenga, int32_t nonpos,
                     const int32_t *group, int32_t n_groups, const socind_options *opts,
                     socind_estimate *out) {
    const socind__arg args[1] = {{y, "y"}};
    socind__frame f;
    jctx c;
    memset(&c, 0, sizeof c);
    int32_t st =
        socind__frame_begin(&f, out, (size_t)socind__ndomains(group, n_groups), d, args, 1);
    if (!st) st = check_nonpos(nonpos);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) st = jctx_init(&c, d, y, nonpos, !zenga, zenga, &f.o);
    int64_t used = 0;
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        st = one_domain(&c, zenga, &f.grp, j, &out[j]);
        if (!st && out[j].status != SOCIND_ERR_EMPTY_DOMAIN) used += out[j].n;
    }
    jctx_free(&c);
    return socind__frame_end(&f, st, used, "income");
}

int32_t socind_jdiv(const socind_design *design, const double *y, int32_t nonpositive,
                    const int32_t *group, int32_t n_groups, const socind_options *opts,
                    socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_jdiv(SOCIND__RV, y, nonpositive, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, 0, nonpositive, group, n_groups, opts, out);
}

int32_t socind_zenga(const socind_design *design, const double *y, int32_t nonpositive,
                     const int32_t *group, int32_t n_groups, const socind_options *opts,
                     socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_zenga(SOCIND__RV, y, nonpositive, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, 1, nonpositive, group, n_groups, opts, out);
}

/* The decomposition: every subgroup's usable rows gathered one after the
 * other (group order, each in row order; rows of weight 0 count nowhere), J
 * over all of them (the total), GE(0) and GE(1) of each subgroup, the within
 * part with its linearized values, and the three variances. */
int32_t socind_jdiv_decomposition(const socind_design *d, const double *y, int32_t nonpositive,
                                  const int32_t *group, int32_t n_groups,
                                  const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        d, out, SOCIND_JDIVDEC_COUNT, opts, 0u, 1,
        socind_jdiv_decomposition(SOCIND__RV, y, nonpositive, group, n_groups, opts, SOCIND__RO));
    const socind__arg args[2] = {{y, "y"}, {group, "group"}};
    socind__frame f;
    jctx c;
    memset(&c, 0, sizeof c);
    double *ut = NULL, *u0 = NULL, *u1 = NULL;
    size_t *ng = NULL, nr = 0;
    int32_t st = socind__frame_begin(&f, out, SOCIND_JDIVDEC_COUNT, d, args, 2);
    if (!st) st = check_nonpos(nonpositive);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) st = jctx_init(&c, d, y, nonpositive, 1, 0, &f.o);
    if (!st) {
        ut = malloc(d->n * sizeof *ut);
        u0 = malloc(d->n * sizeof *u0);
        u1 = malloc(d->n * sizeof *u1);
        ng = calloc((size_t)n_groups, sizeof *ng);
        if (!ut || !u0 || !u1 || !ng) st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    double ymax = 0.0;
    for (int32_t g = 0; !st && g < n_groups; g++) {
        double m;
        size_t nz;
        st = gather(&c, &f.grp, g, c.x.it + nr, NULL, &ng[g], &nz, &m);
        nr += ng[g];
        ymax = m > ymax ? m : ymax;
    }
    if (!st && nr > 0) {
        scale_items(c.x.it, nr, socind__scale_exponent(ymax));
        double N, Y;
        totals(c.x.it, nr, &N, &Y);
        double total = jdiv_of(c.x.it, nr, N, Y, ut);
        /* each subgroup: shares p_g = N̂_g/N̂, s_g = Ŷ_g/Ŷ, GE_g(0), GE_g(1);
           u(within) = p_g u0 + s_g u1 + (GE_g(0) − A)/N̂ + y (GE_g(1) − B)/Ŷ
           with A = Σ p GE(0), B = Σ s GE(1) (the product rule on the
           shares, whose u are (1[g] − p_g)/N̂ and y (1[g] − s_g)/Ŷ) */
        long double A = 0.0L, B = 0.0L;
        size_t start = 0;
        for (int32_t g = 0; g < n_groups; start += ng[g], g++) {
            if (ng[g] == 0) continue;
            const socind__item *it = c.x.it + start;
            double Ng, Yg, g0, g1;
            totals(it, ng[g], &Ng, &Yg);
            ge01_of(it, ng[g], Ng, Yg, &g0, &g1, u0 + start, u1 + start);
            double p = Ng / N, s = Yg / Y;
            A += p * g0;
            B += s * g1;
            for (size_t i = 0; i < ng[g]; i++) {
                double *u = &c.x.u[start + i];
                *u = p * u0[start + i] + g0 / N + s * u1[start + i] + g1 * it[i].y / Y;
            }
        }
        double a = (double)A, b = (double)B, within = a + b;
        for (size_t i = 0; i < nr; i++) c.x.u[i] -= a / N + b * c.x.it[i].y / Y;
        double vals[SOCIND_JDIVDEC_COUNT] = {[SOCIND_JDIVDEC_TOTAL] = total,
                                             [SOCIND_JDIVDEC_WITHIN] = within,
                                             [SOCIND_JDIVDEC_BETWEEN] = total - within};
        socind__fill_decomposition(&c.x, nr, ut, vals, N, &f.o, d->df, out);
    }
    free(ut), free(u0), free(u1), free(ng);
    jctx_free(&c);
    return socind__frame_end(&f, st, (int64_t)nr, "income");
}
