/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/totals.c — totals, means, ratios and proportions (R survey's svytotal,
 * svymean, svyratio, svyciprop) with design-based SEs, overall and by domain.
 *
 * Each is one streaming pass per domain that accumulates per-PSU sums of
 * w·a and w·b; the linearized variable's PSU totals follow from those sums
 * (z_p = A_p for a total, z_p = (A_p − R̂ B_p)/B̂ for a ratio), so no per-row
 * array is written. */
#include <string.h>

#include "internal.h"

#define KIND_TOTAL 0
#define KIND_MEAN 1
#define KIND_RATIO 2
#define KIND_PROP 3

/* SOCIND_ERR_DATA naming row k, whose value is ±Inf. */
static int32_t infinite_value(size_t k, double x, const char *name) {
    return socind__fail_row(SOCIND_ERR_DATA, k,
                            "%s[%zu] is %g; values must be finite (NaN for missing)", name, k, x);
}

/* One domain's sums: the rows used, those with a positive weight, and for a
 * mean Σ w (x − shift), Σ w (x − shift)² (its deff). */
typedef struct {
    int64_t cnt, cnt_pos;
    double s1, s2;
} sums;

/* The PSU's running sums into its accumulators (acc[0] += Σ w·a, and
 * acc[1] += Σ w·b or Σ w when the work space holds two). */
static inline void flush_psu(socind__work *wk, int32_t p, double sa, double sb) {
    if (p < 0) return;
    double *acc = socind__touch(wk, p);
    acc[0] += sa;
    if (wk->m > 1) acc[1] += sb;
}

/* The row loop of domain j for one kind (a constant where it is inlined):
 * which rows are used (a NaN leaves, ±Inf or a proportion's value other
 * than 0/1 refuses naming the row), and their PSU sums of w·a and of w·b
 * (ratio) or w (mean, proportion), kept in registers while consecutive rows
 * share a PSU (the usual layout) and flushed on a change. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int32_t
domain_rows(const socind_design *d, const socind__groups *grp, int32_t j, const double *a,
            const double *b, socind__work *wk, const int kind, sums *out) {
    const double *w = d->w;
    const int32_t *rp = d->row_psu;
    const size_t ng = socind__group_size(grp, j);
    sums s = {0, 0, 0.0, 0.0};
    double shift = NAN;
    int32_t last = -1;
    double sa = 0.0, sb = 0.0;
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(grp, j, i);
        double x = a[k], y = kind == KIND_RATIO ? b[k] : 0.0;
        if (kind == KIND_PROP) {
            /* x·(x − 1) is 0 exactly for 0 and 1: one predictable branch */
            if (x * (x - 1.0) != 0.0) {
                if (isnan(x)) continue;
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "x[%zu] is %g; a proportion needs values 0, 1 or NaN", k,
                                        x);
            }
        } else if (kind == KIND_RATIO) {
            if (!isfinite(x) || !isfinite(y)) {
                if (isinf(x) || isinf(y))
                    return infinite_value(k, isinf(x) ? x : y,
                                          isinf(x) ? "numerator" : "denominator");
                continue;
            }
        } else if (!isfinite(x)) {
            if (isnan(x)) continue;
            return infinite_value(k, x, "x");
        }
        double wk_ = w[k];
        if (kind == KIND_MEAN) {
            if (isnan(shift)) shift = x;
            double dx = x - shift;
            s.s1 += wk_ * dx;
            s.s2 += wk_ * dx * dx;
        }
        s.cnt++;
        if (kind == KIND_MEAN || kind == KIND_PROP) s.cnt_pos += wk_ > 0.0;
        if (rp[k] != last) {
            flush_psu(wk, last, sa, sb);
            sa = sb = 0.0;
            last = rp[k];
        }
        sa += wk_ * x;
        if (kind == KIND_RATIO) sb += wk_ * y;
        if (kind == KIND_MEAN || kind == KIND_PROP) sb += wk_;
    }
    flush_psu(wk, last, sa, sb);
    *out = s;
    return SOCIND_OK;
}

/* The estimate of a domain whose rows are in the work space's PSU sums:
 * the value (a total, or a ratio of the two sums with z_p = (A_p − R̂ B_p)/B̂),
 * its variance, deff for means and proportions, and the interval. */
static void domain_estimate(const socind_design *d, const socind__groups *grp, int32_t j,
                            const double *a, const double *b, socind__work *wk,
                            const socind_options *o, int kind, const sums *s, socind_estimate *e) {
    if (s->cnt == 0) {
        socind__work_reset(wk);
        socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, 0, 0.0, d->df);
        return;
    }
    /* totals over the touched PSUs (compensated) */
    socind__ksum A = {0, 0}, B = {0, 0};
    size_t m = (size_t)wk->m;
    for (size_t t = 0; t < wk->touched.n; t++) {
        const double *acc = wk->acc + (size_t)wk->touched.list[t] * m;
        socind__kadd(&A, acc[0]);
        if (m > 1) socind__kadd(&B, acc[1]);
    }
    double At = socind__kval(&A), Bt = socind__kval(&B);
    double value;
    socind__estimate_nan(e, SOCIND_OK);
    e->n = s->cnt;
    if (kind == KIND_TOTAL) {
        value = At; /* z_p = A_p already */
    } else {
        if (!(Bt != 0.0)) {
            socind__work_reset(wk);
            socind__estimate_undefined(e, SOCIND_ERR_DATA, s->cnt, 0.0, d->df);
            return;
        }
        value = At / Bt;
        for (size_t t = 0; t < wk->touched.n; t++) {
            double *acc = wk->acc + (size_t)wk->touched.list[t] * m;
            acc[0] = (acc[0] - value * acc[1]) / Bt;
        }
    }
    /* weight sum of the rows used */
    if (kind == KIND_MEAN || kind == KIND_PROP) {
        e->weight_sum = Bt;
    } else {
        socind__ksum ws = {0, 0};
        const size_t ng = socind__group_size(grp, j);
        for (size_t i = 0; i < ng; i++) {
            size_t k = socind__group_row(grp, j, i);
            if (isnan(a[k]) || (b && isnan(b[k]))) continue;
            socind__kadd(&ws, d->w[k]);
        }
        e->weight_sum = socind__kval(&ws);
    }
    double var;
    int32_t vst = socind__work_variance(wk, &var);
    e->value = value;
    e->se = vst ? NAN : sqrt(var);
    if (vst) e->status = vst;
    if ((kind == KIND_MEAN || kind == KIND_PROP) && s->cnt_pos > 1 && !vst) {
        double sw = e->weight_sum;
        /* Σ w (x − x̄)²; for a 0/1 variable Σ w x² = Σ w x */
        double ss = kind == KIND_PROP ? At - At * At / sw : s->s2 - s->s1 * s->s1 / sw;
        if (ss < 0) ss = 0;
        double np = (double)s->cnt_pos;
        double svar = ss / sw * np / (np - 1.0);
        double vsrs = svar / np;
        e->deff = vsrs > 0 ? var / vsrs : NAN;
    }
    socind__fill_ci(e, o, d->df, kind == KIND_PROP);
}

static int32_t linear_estimate(const socind_design *d, const double *a, const double *b,
                               const int32_t *group, int32_t n_groups, const socind_options *opts,
                               socind_estimate *out, int kind) {
    const socind__arg args[2] = {{a, kind == KIND_RATIO ? "numerator" : "x"}, {b, "denominator"}};
    socind__frame f;
    socind__work wk = {0};
    int32_t st = socind__frame_begin(&f, out, (size_t)socind__ndomains(group, n_groups), d, args,
                                     kind == KIND_RATIO ? 2 : 1);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) st = socind__work_init(&wk, d, kind == KIND_TOTAL ? 1 : 2);
    if (!st) socind__work_rule(&wk, &f.o, SOCIND_DOMAIN_RULE_SUBSET); /* svytotal, svymean … */
    int64_t used = 0;
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        sums s = {0, 0, 0.0, 0.0};
        /* the row loop specialised for each kind */
        switch (kind) {
        case KIND_TOTAL:
            st = domain_rows(d, &f.grp, j, a, b, &wk, KIND_TOTAL, &s);
            break;
        case KIND_MEAN:
            st = domain_rows(d, &f.grp, j, a, b, &wk, KIND_MEAN, &s);
            break;
        case KIND_RATIO:
            st = domain_rows(d, &f.grp, j, a, b, &wk, KIND_RATIO, &s);
            break;
        default:
            st = domain_rows(d, &f.grp, j, a, b, &wk, KIND_PROP, &s);
            break;
        }
        if (st) break;
        used += s.cnt;
        domain_estimate(d, &f.grp, j, a, b, &wk, &f.o, kind, &s, &out[j]);
    }
    socind__work_free(&wk);
    return socind__frame_end(&f, st, used, "value");
}

int32_t socind_total(const socind_design *design, const double *x, const int32_t *group,
                     int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    return linear_estimate(design, x, NULL, group, n_groups, opts, out, KIND_TOTAL);
}

int32_t socind_mean(const socind_design *design, const double *x, const int32_t *group,
                    int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    return linear_estimate(design, x, NULL, group, n_groups, opts, out, KIND_MEAN);
}

int32_t socind_ratio(const socind_design *design, const double *numerator,
                     const double *denominator, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    return linear_estimate(design, numerator, denominator, group, n_groups, opts, out, KIND_RATIO);
}

int32_t socind_proportion(const socind_design *design, const double *x, const int32_t *group,
                          int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    return linear_estimate(design, x, NULL, group, n_groups, opts, out, KIND_PROP);
}
