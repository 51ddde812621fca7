/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/richness.c — richness measures (convey's svyrich): Chakravarty's and
 * the two FGT-type measures of Peichl, Schaefer & Scheicher (2010) against a
 * threshold t, with the threshold's own term in the linearized variable.
 * See poverty.h.
 *
 * The threshold is a socind_poverty_line: validated, and for a relative one
 * estimated on the whole sample with each PSU's total of its influence
 * function, by poverty_line.c (the quantile through quantile.c, the density
 * at it through density.c). One pass per domain then accumulates, per PSU,
 * Σ w·h(y; t) and Σ w, and over the domain Σ w·∂h/∂t; the linearized
 * variable is
 *
 *     u = 1[domain]·(h − R)/N̂_d + â·u_t,   â = Σ_d w ∂h/∂t / N̂_d,
 *
 * with no density term (convey multiplies the density by h(t; t) = 0). Its
 * variance is the full design's with zeros outside the domain (every
 * stratum present), as convey's svyrich computes it. */
#include <stdlib.h>
#include <string.h>

#include "poverty_internal.h"

/* h(y; t) for y > t (0 otherwise) and ∂h/∂t, in convey's forms. */
static inline double rich_h(int type, double y, double t, double g) {
    switch (type) {
    case SOCIND_RICH_CHA:
        return 1.0 - pow(t / y, g);
    case SOCIND_RICH_FGTT1:
        return pow(1.0 - t / y, g);
    default:
        return pow(y / t - 1.0, g);
    }
}

static inline double rich_ht(int type, double y, double t, double g) {
    switch (type) {
    case SOCIND_RICH_CHA:
        return -(g / t) * pow(t / y, g);
    case SOCIND_RICH_FGTT1:
        return g == 0.0 ? 0.0 : -g / y * pow(1.0 - t / y, g - 1.0);
    default:
        return (-g * y / (t * y - t * t)) * pow(y / t - 1.0, g);
    }
}

/* SOCIND_ERR_ARG unless the type is known and g in convey's range for it. */
static int32_t check_type(int32_t type, double g) {
    switch (type) {
    case SOCIND_RICH_CHA:
        if (!(g > 0.0) || isinf(g))
            return socind__fail(SOCIND_ERR_ARG,
                                "Chakravarty's richness needs a finite g > 0, got %g", g);
        return SOCIND_OK;
    case SOCIND_RICH_FGTT1:
        if (!(g >= 0.0 && g <= 1.0))
            return socind__fail(SOCIND_ERR_ARG, "FGTT1 richness needs 0 <= g <= 1, got %g", g);
        return SOCIND_OK;
    case SOCIND_RICH_FGTT2:
        if (!(g > 1.0) || isinf(g))
            return socind__fail(SOCIND_ERR_ARG, "FGTT2 richness needs a finite g > 1, got %g", g);
        return SOCIND_OK;
    default:
        return socind__fail(SOCIND_ERR_ARG, "unknown richness type %d", (int)type);
    }
}

static void rich_free(pctx *c, socind__basis *b) {
    free(c->ys);
    free(c->Z);
    free(c->pH);
    free(c->pN);
    free(c->gy);
    free(c->gw);
    socind__work_free(&c->wk);
    socind__basis_free(b);
}

/* The threshold: a fixed one (its incomes and line scaled by a power of 2
 * near the ends of the double range, ±Inf refused), or a relative one on
 * the whole sample (poverty_line.c: c->z and each PSU's Σ w u_t in c->Z). */
static int32_t rich_line(pctx *c, const socind_design *d, const double *y) {
    c->d = d;
    c->y = y;
    c->fz_full = NAN;
    c->relative = c->L.type != SOCIND_LINE_ABSOLUTE;
    if (c->relative) {
        c->scan_rows = 2;
        c->Z = calloc(d->npsu ? d->npsu : 1, sizeof *c->Z);
        if (!c->Z) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        return socind__line_relative(c);
    }
    double amax = 0.0;
    size_t k = socind__first_infinite(y, d->n, &amax);
    if (k < d->n)
        return socind__fail_row(SOCIND_ERR_DATA, k,
                                "y[%zu] is %g; incomes must be finite (NaN for missing)", k, y[k]);
    c->z = c->L.value;
    amax = c->z > amax ? c->z : amax;
    c->ex = socind__scale_exponent(amax);
    if (c->ex) {
        c->ys = socind__big_alloc(d->n * sizeof *c->ys);
        if (!c->ys) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        socind__scale_pow2(c->ys, sizeof *c->ys, y, sizeof *y, d->n, c->ex);
        socind__scale_pow2(&c->z, 0, &c->z, 0, 1, c->ex);
        c->y = c->ys;
    }
    return SOCIND_OK;
}

/* One domain: its rows' PSU sums, the estimate and its variance. */
static void rich_domain(pctx *c, const socind__basis *b, const socind__groups *grp, int32_t j,
                        int32_t type, double g, const socind_options *o, socind_estimate *e) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w, t = c->z;
    socind__work *wk = &c->wk;
    const size_t nr = socind__group_size(grp, j);
    socind__ksum A = {0, 0}, N = {0, 0}, D = {0, 0};
    int64_t n = 0;
    int32_t last = -1;
    double sh = 0.0, sw = 0.0;
    for (size_t i = 0; i < nr; i++) {
        size_t k = socind__group_row(grp, j, i);
        double yk = y[k];
        if (isnan(yk)) continue;
        double h = 0.0;
        if (yk > t) {
            h = rich_h(type, yk, t, g);
            if (c->relative) socind__kadd(&D, w[k] * rich_ht(type, yk, t, g));
        }
        int32_t p = d->row_psu[k];
        if (p != last) {
            if (last >= 0) {
                double *acc = socind__touch(wk, last);
                acc[0] += sh, acc[1] += sw;
                socind__kadd(&A, sh);
                socind__kadd(&N, sw);
            }
            sh = sw = 0.0;
            last = p;
        }
        sh += w[k] * h;
        sw += w[k];
        n++;
    }
    if (last >= 0) {
        double *acc = socind__touch(wk, last);
        acc[0] += sh, acc[1] += sw;
        socind__kadd(&A, sh);
        socind__kadd(&N, sw);
    }
    const double Nd = socind__kval(&N);
    if (n == 0 || !(Nd > 0.0)) {
        socind__work_reset(wk);
        socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, n, Nd, d->df);
        return;
    }
    const double R = socind__kval(&A) / Nd;
    for (size_t i = 0; i < wk->touched.n; i++) {
        double *acc = wk->acc + (size_t)wk->touched.list[i] * 2;
        acc[0] = (acc[0] - R * acc[1]) / Nd;
    }
    /* â on the line's term (a fixed line has none: every coefficient 0) */
    double coef[SOCIND__NBASIS] = {c->relative ? socind__kval(&D) / Nd : 0.0, 0.0, 0.0};
    double var;
    socind__estimate_nan(e, SOCIND_OK);
    int32_t st = socind__work_variance_global(wk, b, coef, &var);
    e->value = R;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    e->n = n;
    e->weight_sum = Nd;
    socind__fill_ci(e, o, d->df, 0);
}

int32_t socind_richness(const socind_design *design, const double *y,
                        const socind_poverty_line *line, int32_t type, double g,
                        const int32_t *group, int32_t n_groups, const socind_options *opts,
                        socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_richness(SOCIND__RV, y, line, type, g, group, n_groups, opts, SOCIND__RO));
    const socind__arg args[2] = {{y, "y"}, {line, "line"}};
    socind__frame f;
    pctx c;
    socind__basis b;
    memset(&c, 0, sizeof c);
    memset(&b, 0, sizeof b);
    const int32_t G = socind__ndomains(group, n_groups);
    int32_t st = socind__frame_begin(&f, out, (size_t)G, design, args, 2);
    if (!st) st = check_type(type, g);
    if (!st) st = socind__line_validate(design, line, &c.L);
    if (!st && c.L.type == SOCIND_LINE_PER_ROW)
        st = socind__fail(SOCIND_ERR_ARG, "a richness threshold cannot be a per-row line");
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) st = rich_line(&c, design, y);
    if (!st) st = socind__work_init(&c.wk, design, 2);
    if (!st) {
        const double *V[SOCIND__NBASIS] = {c.relative ? c.Z : NULL, NULL, NULL};
        st = socind__basis_init(&b, design, V);
    }
    int64_t used = 0;
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        rich_domain(&c, &b, &f.grp, j, type, g, &f.o, &out[j]);
        used += out[j].n;
    }
    rich_free(&c, &b);
    return socind__frame_end(&f, st, used, "income");
}
