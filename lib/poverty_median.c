/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/poverty_median.c — the median income of the poor and the relative
 * median poverty gap (convey's svypoormed and svyrmpg), against convey's
 * relative line fraction × Q̂(quantile) of the whole sample. See
 * poverty.h.
 *
 * The line, with each PSU's total Z_p of w·u^z, is poverty_line.c's (the
 * one socind_fgt uses for a relative quantile line, here always inclusive:
 * poor means y <= z). Each domain's rows are gathered with their incomes
 * (already scaled by a power of 2 when near the ends of the double range),
 * its poor sorted and their median taken with quantile.c's rule, the kernel
 * sums at the median and at the line made with density.c's over all the
 * domain's rows, and the variance of s + g·Z taken over every stratum
 * (socind__work_variance_global: the full design with zeros outside the
 * domain, as convey's). */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "poverty_internal.h"

#define ITEM_STRIDE (sizeof(socind__item) / sizeof(double))

typedef struct {
    pctx c; /* the line: d, y (scaled), L, ex, z, Z and its buffers */
    socind_options o;
    socind__work wk;
    socind__basis basis;
    socind__item *it, *poor;
} mctx;

static void mctx_free(mctx *m) {
    free(m->c.ys);
    free(m->c.Z);
    free(m->c.pH);
    free(m->c.pN);
    free(m->c.gy);
    free(m->c.gw);
    free(m->it);
    free(m->poor);
    socind__work_free(&m->wk);
    socind__basis_free(&m->basis);
}

/* The context after the frame's checks: ±Inf refused, the incomes scaled
 * when near the ends of the range, the relative line with Z, the basis. */
static int32_t mctx_init(mctx *m, const socind_design *d, const double *y) {
    pctx *c = &m->c;
    double amax = 0.0;
    size_t inf_row = socind__first_infinite(y, d->n, &amax);
    if (inf_row < d->n)
        return socind__fail_row(SOCIND_ERR_DATA, inf_row,
                                "y[%zu] is %g; incomes must be finite (NaN for missing)", inf_row,
                                y[inf_row]);
    c->d = d;
    c->y = y;
    c->relative = 1;
    c->fz_full = NAN;
    c->z = NAN;
    c->ex = socind__scale_exponent(amax);
    if (c->ex) {
        c->ys = socind__big_alloc(d->n * sizeof *c->ys);
        if (!c->ys) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        socind__scale_pow2(c->ys, sizeof *c->ys, y, sizeof *y, d->n, c->ex);
        c->y = c->ys;
    }
    c->Z = calloc(d->npsu, sizeof *c->Z);
    m->it = socind__big_alloc(d->n * sizeof *m->it);
    m->poor = socind__big_alloc(d->n * sizeof *m->poor);
    if (!c->Z || !m->it || !m->poor) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    int32_t st = socind__work_init(&m->wk, d, 1);
    if (!st) st = socind__line_relative(c);
    if (!st) {
        const double *V[SOCIND__NBASIS] = {c->Z, NULL, NULL};
        st = socind__basis_init(&m->basis, d, V);
    }
    return st;
}

/* One domain: the median of its poor (rmpg = 0) or the gap (rmpg = 1). */
static int32_t one_domain(mctx *m, int rmpg, socind__span r, socind_estimate *e) {
    const pctx *c = &m->c;
    const socind_design *d = c->d;
    const double z = c->z;
    size_t a = 0, np = 0, rows = 0; /* rows: with an income, weight 0 too (n) */
    int all_zero = 1;
    for (size_t i = 0; i < r.n; i++) {
        size_t k = socind__span_row(r, i);
        double y = c->y[k], w = d->w[k];
        if (isnan(y)) continue;
        rows++;
        if (!(w > 0.0)) continue;
        socind__item t = {y, w, d->row_psu[k], (uint32_t)k};
        m->it[a++] = t;
        if (y <= z) {
            m->poor[np++] = t;
            all_zero &= y == 0.0;
        }
    }
    if (a == 0) { /* n its rows of weight 0, as socind_fgt's */
        socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, (int64_t)rows, 0.0, d->df);
        return SOCIND_OK;
    }
    socind__ksum Nk = {0, 0}, Pk = {0, 0};
    for (size_t i = 0; i < a; i++) socind__kadd(&Nk, m->it[i].w);
    for (size_t i = 0; i < np; i++) socind__kadd(&Pk, m->poor[i].w);
    const double N = socind__kval(&Nk), Np = socind__kval(&Pk);
    /* convey returns NA without poor, or when all of them have income 0
       (on a replicate design only without poor: its replicates' medians
       are taken as they come) */
    if (np == 0 || (all_zero && !d->rep_view)) {
        socind__estimate_undefined(e, SOCIND_ERR_DATA, (int64_t)rows, N, d->df);
        return SOCIND_OK;
    }
    int32_t st = socind__sort_items(m->poor, np);
    if (st) return st;
    const double med = socind__wq_sorted(m->poor, np, Np, 0.5);
    /* N̂_d·f̂_d at the median and at the line, the domain's bandwidth */
    const socind__rowset rs = {&m->it[0].y, &m->it[0].w, ITEM_STRIDE, NULL, a};
    socind__moments mo;
    socind__moments_of(&rs, &mo);
    double h = socind__bandwidth(&mo), x[2] = {med, z}, F[2] = {NAN, NAN};
    if (h > 0.0) socind__kernel_sums(&rs, x, h, mo.n, 1, F, NULL);
    /* a replicate design's SE comes from the replicates' figures, which
       need no density: where it is undefined its terms drop out (the
       linearized values below are then 0, never read) */
    const int no_density = !(F[0] > 0.0) || !isfinite(F[0]) || !isfinite(F[1]);
    if (d->rep_view && no_density) F[0] = INFINITY, F[1] = 0.0;
    if (rmpg && !(z > 0.0)) {
        socind__estimate_undefined(e, SOCIND_ERR_DATA, (int64_t)rows, N, d->df);
        return SOCIND_OK;
    }
    if (no_density && !d->rep_view) {
        /* the figure stands (convey's), its SE does not (convey's NA: the
           density NaN) */
        const int32_t why = h > 0.0 ? SOCIND_ERR_DATA : socind__no_bandwidth_status(&mo);
        socind__estimate_undefined(e, why, (int64_t)rows, N, d->df);
        e->value = rmpg ? (z - med) / z : med;
        if (!rmpg && c->ex) socind__estimate_scale(e, c->ex);
        return SOCIND_OK;
    }
    /* u = s + g·u^z: s = (½·1[y <= z] − 1[y <= med])/F(med), g = ½F(z)/F(med);
       the gap: −u/z + (med/z²)·u^z */
    double sc = rmpg ? -1.0 / z : 1.0;
    double coef[SOCIND__NBASIS] = {0.5 * F[1] / F[0], 0.0, 0.0};
    if (rmpg) {
        /* med/z² as med/(z·z) where z·z is a normal double; where it is not
           (a line below 1.5e−154 at the incomes' scale: one income of 1e300
           beside ordinary ones puts it near 1e−295), z·z left the doubles
           (0 or subnormal: the coefficient +Inf, the SE NaN with
           SOCIND_ERR_OVERFLOW) while med/z/z is of the order of 1/z */
        const double zz = z * z;
        coef[0] = (zz >= DBL_MIN && zz <= DBL_MAX ? med / zz : med / z / z) - coef[0] / z;
    }
    for (size_t i = 0; i < a; i++) {
        const socind__item *t = &m->it[i];
        double s = (0.5 * (t->y <= z ? 1.0 : 0.0) - (t->y <= med ? 1.0 : 0.0)) / F[0];
        *socind__touch(&m->wk, t->psu) += t->w * (sc * s);
    }
    /* at the scale of the PSU totals (the incomes are rescaled by their
       largest, but the poor's may lie far below it) */
    double var;
    int ez;
    st = socind__work_variance_global_at(&m->wk, &m->basis, coef, &var, &ez);
    socind__estimate_nan(e, SOCIND_OK);
    e->value = rmpg ? (z - med) / z : med;
    e->se = st ? NAN : ldexp(sqrt(var), ez);
    if (st) e->status = st;
    e->n = (int64_t)rows;
    e->weight_sum = N;
    socind__fill_ci(e, &m->o, d->df, 0);
    if (!rmpg && c->ex) socind__estimate_scale(e, c->ex);
    return SOCIND_OK;
}

static int32_t drive(int rmpg, const socind_design *d, const double *y, double fraction,
                     double quantile, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    const socind__arg args[1] = {{y, "y"}};
    socind__frame f;
    mctx m;
    memset(&m, 0, sizeof m);
    int32_t st =
        socind__frame_begin(&f, out, (size_t)socind__ndomains(group, n_groups), d, args, 1);
    if (!st) {
        /* convey's line: fraction × the quantile, inclusive */
        socind_poverty_line line;
        socind_poverty_line_init(&line);
        line.type = SOCIND_LINE_RELATIVE_QUANTILE;
        line.value = fraction;
        line.quantile = quantile;
        line.inclusive = 1;
        st = socind__line_validate(d, &line, &m.c.L);
    }
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) {
        m.o = f.o;
        st = mctx_init(&m, d, y);
    }
    int64_t used = 0;
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        st = one_domain(&m, rmpg, socind__group_span(&f.grp, j), &out[j]);
    }
    if (!st) used = socind__rows_used(out, (size_t)f.grp.ngroups, 1);
    mctx_free(&m);
    return socind__frame_end(&f, st, used, "income");
}

int32_t socind_poor_median(const socind_design *design, const double *y, double fraction,
                           double quantile, const int32_t *group, int32_t n_groups,
                           const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_poor_median(SOCIND__RV, y, fraction, quantile, group, n_groups, opts, SOCIND__RO));
    return drive(0, design, y, fraction, quantile, group, n_groups, opts, out);
}

int32_t socind_relative_median_gap(const socind_design *design, const double *y, double fraction,
                                   double quantile, const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_relative_median_gap(SOCIND__RV, y, fraction, quantile, group,
                                                  n_groups, opts, SOCIND__RO));
    return drive(1, design, y, fraction, quantile, group, n_groups, opts, out);
}
