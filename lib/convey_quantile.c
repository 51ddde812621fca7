/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/convey_quantile.c — convey's quantile-based inequality measures with
 * their linearized SEs: the α-quantile (svyiqalpha), the income total at or
 * below / above it (svyisq) and the relative median income ratio (svyrmir).
 * See inequality.h.
 *
 * Each domain's usable rows are gathered (gather), scaled by a power of 2
 * when their incomes lie near the ends of the double range, sorted, and
 * the quantile taken with quantile.c's rule, the kernel density with
 * density.c's; the linearized values w·u go into the PSU sums of the
 * design's variance engine over the PSUs the domain touches (R's svyby
 * domain design). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* socind__item in doubles, as density.c's rows read it */
#define ITEM_STRIDE (sizeof(socind__item) / sizeof(double))

#define IND_IQALPHA 0
#define IND_ISQ 1
#define IND_RMIR 2

typedef struct {
    const socind_design *d;
    const double *y, *age;
    double age_limit;
    socind_options o;
    socind__items x; /* the domain's rows, u, PSU sums */
} qctx;

typedef struct {
    size_t nr, nz; /* usable rows, rows of weight 0 */
    double N, Y;
} qdomain;

/* Domain j's usable rows into c->x.it (those of weight 0 into c->x.zero):
 * SOCIND_ERR_DATA for an income or an age of ±Inf; *ymax the largest |y|. */
static int32_t gather(qctx *c, const socind__groups *g, int32_t j, qdomain *dm, double *ymax) {
    const socind__gather_rule r = {c->d, c->y, c->age, "age", 0, SOCIND_NONPOS_ERROR, 0, ""};
    return socind__gather(&r, g, j, c->x.it, c->x.zero, &dm->nr, &dm->nz, ymax);
}

/* The variance of Σ w·u over the domain's rows (u[i] for it[i]), the PSUs of
 * its rows of weight 0 touched too (the domain design). */
static int32_t domain_var(qctx *c, const qdomain *dm, double *var) {
    return socind__items_variance(&c->x, c->d, dm->nr, dm->nz, var);
}

/* Fills e from value and the variance of the u now in c->x.u, then
 * multiplies the figures in currency back by 2^ex. */
static void finish(qctx *c, const qdomain *dm, socind_estimate *e, double value, int ex) {
    double var;
    int32_t st = domain_var(c, dm, &var);
    e->value = value;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    socind__fill_ci(e, &c->o, c->d->df, 0);
    if (ex) socind__estimate_scale(e, ex);
}

/* An estimate its domain's data leave undefined (the work space reset). */
static void undefined(qctx *c, socind_estimate *e, int32_t st, int64_t n, double wsum) {
    socind__estimate_undefined(e, st, n, wsum, c->d->df);
    socind__work_reset(&c->x.wk);
}

/* The kernel sums F = N̂·f̂ and G = Ŝ' at x over rows it[0 .. nr) of weight
 * W, bandwidth h (NaN when h is not > 0). */
static void kernel_at(const socind__item *it, size_t nr, double W, double h, double x, double *F,
                      double *G) {
    const socind__rowset rs = {&it[0].y, &it[0].w, ITEM_STRIDE, NULL, nr};
    double pts[2] = {x, INFINITY}, Fs[2] = {NAN, NAN}, Gs[2] = {NAN, NAN};
    if (h > 0.0 && nr > 0) socind__kernel_sums(&rs, pts, h, W, 1, Fs, G ? Gs : NULL);
    *F = Fs[0];
    if (G) *G = Gs[0];
}

/* convey's bandwidth over it[0 .. nr); *why: the status of a figure that
 * finds no density (SOCIND_ERR_DATA; SOCIND_ERR_OVERFLOW where there is no
 * bandwidth because the weighted moments left the doubles). */
static double bandwidth_of(const socind__item *it, size_t nr, int32_t *why) {
    const socind__rowset rs = {&it[0].y, &it[0].w, ITEM_STRIDE, NULL, nr};
    socind__moments mo;
    socind__moments_of(&rs, &mo);
    const double h = socind__bandwidth(&mo);
    *why = h > 0.0 ? SOCIND_ERR_DATA : socind__no_bandwidth_status(&mo);
    return h;
}

/* svyiqalpha (isq < 0) or svyisq (isq = upper, 0 or 1) on a gathered,
 * sorted domain. */
static void quantile_measure(qctx *c, const qdomain *dm, double alpha, int isq, int ex,
                             socind_estimate *e) {
    const size_t nr = dm->nr;
    const double N = dm->N;
    double q = socind__wq_sorted(c->x.it, nr, N, alpha);
    int32_t why;
    double h = bandwidth_of(c->x.it, nr, &why), F, G;
    kernel_at(c->x.it, nr, N, h, q, &F, isq >= 0 ? &G : NULL);
    const int no_density = !(F > 0.0) || !isfinite(F);
    /* a replicate design's SE comes from the replicates' figures, which
       need no density: its terms drop out */
    if (no_density && c->d->rep_view) F = INFINITY, G = 0.0;
    /* the figure: the quantile, or the income at or below it (above it) */
    double value = q;
    if (isq >= 0) {
        socind__ksum L = {0, 0};
        for (size_t i = 0; i < nr; i++)
            if (c->x.it[i].y <= q) socind__kadd(&L, c->x.it[i].w * c->x.it[i].y);
        value = isq ? dm->Y - socind__kval(&L) : socind__kval(&L);
    }
    if (no_density && !c->d->rep_view) {
        /* the figure without its SE (convey's NA beside its figure) */
        undefined(c, e, why, e->n, e->weight_sum);
        e->value = value;
        if (ex) socind__estimate_scale(e, ex);
        return;
    }
    if (isq < 0) {
        for (size_t i = 0; i < nr; i++) c->x.u[i] = -((c->x.it[i].y <= q ? 1.0 : 0.0) - alpha) / F;
        finish(c, dm, e, q, ex);
        return;
    }
    for (size_t i = 0; i < nr; i++) {
        double yk = c->x.it[i].y, ind = yk <= q ? 1.0 : 0.0;
        double ul = yk * ind + G * (-(ind - alpha) / F);
        c->x.u[i] = isq ? yk - ul : ul;
    }
    finish(c, dm, e, value, ex);
}

/* svyrmir on a gathered domain: out[0 .. SOCIND_RMIR_COUNT). */
static int32_t rmir(qctx *c, const qdomain *dm, int ex, socind_estimate *out) {
    const size_t nr = dm->nr;
    /* the whole domain's bandwidth, then the rows split: young first */
    int32_t why;
    double h = bandwidth_of(c->x.it, nr, &why);
    size_t ny = 0;
    for (size_t i = 0; i < nr; i++) {
        if (c->age[c->x.it[i].row] < c->age_limit) {
            socind__item t = c->x.it[ny];
            c->x.it[ny++] = c->x.it[i];
            c->x.it[i] = t;
        }
    }
    const size_t part[2][2] = {{0, ny}, {ny, nr}}; /* young, old: [start, end) */
    double med[2] = {NAN, NAN}, F[2] = {NAN, NAN}, Ns[2] = {0.0, 0.0};
    int32_t st;
    for (int s = 0; s < 2; s++) {
        socind__item *it = c->x.it + part[s][0];
        size_t m = part[s][1] - part[s][0];
        if (m == 0) continue;
        if ((st = socind__sort_items(it, m))) return st;
        double Y;
        socind__items_totals(it, m, &Ns[s], &Y);
        med[s] = socind__wq_sorted(it, m, Ns[s], 0.5);
        kernel_at(it, m, Ns[s], h, med[s], &F[s], NULL);
        /* a replicate design's SEs come from the replicates' medians, which
           need no density: its terms drop out */
        if (c->d->rep_view && !(F[s] > 0.0 && isfinite(F[s]))) F[s] = INFINITY;
    }
    /* each median's u (zero outside its group) in u, then the ratio's */
    double *uy = c->x.u; /* young rows' u_young, old rows' u_old: disjoint */
    for (size_t i = 0; i < nr; i++) {
        int s = i >= ny;
        uy[i] = -((c->x.it[i].y <= med[s] ? 1.0 : 0.0) - 0.5) / F[s];
    }
    socind_estimate *eo = &out[SOCIND_RMIR_MED_OLD], *ey = &out[SOCIND_RMIR_MED_YOUNG],
                    *er = &out[SOCIND_RMIR_RATIO];
    int ok[2];
    for (int s = 0; s < 2; s++) {
        socind_estimate *e = s ? eo : ey;
        size_t m = part[s][1] - part[s][0];
        socind__estimate_nan(e, SOCIND_OK);
        e->n = (int64_t)m;
        e->weight_sum = Ns[s];
        ok[s] = m > 0 && F[s] > 0.0 && (isfinite(F[s]) || c->d->rep_view);
        if (!ok[s]) {
            undefined(c, e, m == 0 ? SOCIND_ERR_EMPTY_DOMAIN : why, e->n, Ns[s]);
            continue;
        }
        /* this median alone: its u on its own rows, 0 on the domain's
           others (whose PSUs still count: the domain design) */
        for (size_t i = 0; i < nr; i++)
            *socind__touch(&c->x.wk, c->x.it[i].psu) += (i >= ny) == s ? c->x.it[i].w * uy[i] : 0.0;
        for (size_t i = 0; i < dm->nz; i++) socind__touch(&c->x.wk, c->d->row_psu[c->x.zero[i]]);
        double var;
        int32_t vs = socind__work_variance(&c->x.wk, &var);
        e->value = med[s];
        e->se = vs ? NAN : sqrt(var);
        if (vs) e->status = vs;
        socind__fill_ci(e, &c->o, c->d->df, 0);
        if (ex) socind__estimate_scale(e, ex);
    }
    socind__estimate_nan(er, SOCIND_OK);
    er->n = (int64_t)(nr + dm->nz);
    er->weight_sum = dm->N;
    if (!ok[0] || !ok[1] || med[0] == 0.0) {
        undefined(c, er, SOCIND_ERR_DATA, er->n, er->weight_sum);
        return SOCIND_OK;
    }
    double ratio = med[1] / med[0];
    for (size_t i = 0; i < nr; i++)
        uy[i] = i >= ny ? uy[i] / med[0] : -(med[1] / (med[0] * med[0])) * uy[i];
    finish(c, dm, er, ratio, 0);
    return SOCIND_OK;
}

static int32_t one_domain(qctx *c, int ind, double par, int32_t upper, const socind__groups *g,
                          int32_t j, socind_estimate *out) {
    qdomain dm = {0, 0, 0.0, 0.0};
    double ymax = 0.0;
    const int count = ind == IND_RMIR ? SOCIND_RMIR_COUNT : 1;
    int32_t st = gather(c, g, j, &dm, &ymax);
    if (st) return st;
    if (dm.nr == 0) {
        for (int k = 0; k < count; k++)
            socind__estimate_undefined(&out[k], SOCIND_ERR_EMPTY_DOMAIN, (int64_t)dm.nz, 0.0,
                                       c->d->df);
        /* a replicate that leaves the domain no row of positive weight:
           its income total (below or above any quantile) is 0, as a
           total's is (socind_total, svyisq's replicates), and the
           replicate SE reads that */
        if (ind == IND_ISQ && c->d->rep_view && !c->d->rep) out->value = 0.0;
        socind__work_reset(&c->x.wk);
        return SOCIND_OK;
    }
    /* incomes near the ends of the double range: times 2^−ex (exact), the
       figures in currency multiplied back */
    int ex = socind__scale_exponent(ymax);
    if (ex)
        socind__scale_pow2(&c->x.it[0].y, sizeof *c->x.it, &c->x.it[0].y, sizeof *c->x.it, dm.nr,
                           ex);
    socind__items_totals(c->x.it, dm.nr, &dm.N, &dm.Y);
    if (ind == IND_RMIR) return rmir(c, &dm, ex, out);
    if ((st = socind__sort_items(c->x.it, dm.nr))) return st;
    socind__estimate_nan(out, SOCIND_OK);
    out->n = (int64_t)(dm.nr + dm.nz);
    out->weight_sum = dm.N;
    quantile_measure(c, &dm, par, ind == IND_ISQ ? (int)upper : -1, ex, out);
    return SOCIND_OK;
}

static int32_t drive(const socind_design *d, const double *y, const double *age, int ind,
                     double par, int32_t upper, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    const socind__arg args[2] = {{y, "y"}, {age, "age"}};
    const int count = ind == IND_RMIR ? SOCIND_RMIR_COUNT : 1;
    socind__frame f;
    qctx c;
    memset(&c, 0, sizeof c);
    int32_t st =
        socind__frame_begin(&f, out, (size_t)socind__ndomains(group, n_groups) * (size_t)count, d,
                            args, ind == IND_RMIR ? 2 : 1);
    if (!st && ind != IND_RMIR && !(par > 0.0 && par < 1.0))
        st = socind__fail(SOCIND_ERR_ARG, "alpha must be in (0, 1), got %g", par);
    if (!st && ind == IND_ISQ && upper != 0 && upper != 1)
        st = socind__fail(SOCIND_ERR_ARG, "upper must be 0 or 1, got %d", (int)upper);
    if (!st && ind == IND_RMIR && !isfinite(par))
        st = socind__fail(SOCIND_ERR_ARG, "age_limit must be finite, got %g", par);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) {
        c.d = d;
        c.y = y;
        c.age = ind == IND_RMIR ? age : NULL;
        c.age_limit = par;
        c.o = f.o;
        /* svyiqalpha, svyisq and svyrmir run on svyby's domain design */
        st = socind__items_init(&c.x, d, &f.o, SOCIND_DOMAIN_RULE_SUBSET);
    }
    int64_t used = 0;
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        socind_estimate *e = out + (size_t)j * (size_t)count;
        st = one_domain(&c, ind, par, upper, &f.grp, j, e);
        if (!st && e[0].status != SOCIND_ERR_EMPTY_DOMAIN) used += e[0].n;
    }
    socind__items_free(&c.x);
    return socind__frame_end(&f, st, used, ind == IND_RMIR ? "income or age" : "income");
}

int32_t socind_quantile_linearized(const socind_design *design, const double *y, double alpha,
                                   const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED_DOMAIN_DF(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, y, group, n_groups,
        socind_quantile_linearized(SOCIND__RV, y, alpha, group, n_groups, opts, SOCIND__RO));
    return drive(design, y, NULL, IND_IQALPHA, alpha, 0, group, n_groups, opts, out);
}

int32_t socind_quantile_income_total(const socind_design *design, const double *y, double alpha,
                                     int32_t upper, const int32_t *group, int32_t n_groups,
                                     const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_quantile_income_total(SOCIND__RV, y, alpha, upper, group, n_groups,
                                                    opts, SOCIND__RO));
    return drive(design, y, NULL, IND_ISQ, alpha, upper, group, n_groups, opts, out);
}

int32_t socind_median_income_ratio(const socind_design *design, const double *y, const double *age,
                                   double age_limit, const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups) * SOCIND_RMIR_COUNT,
                       opts, 0u, 1,
                       socind_median_income_ratio(SOCIND__RV, y, age, age_limit, group, n_groups,
                                                  opts, SOCIND__RO));
    return drive(design, y, age, IND_RMIR, age_limit, 0, group, n_groups, opts, out);
}
