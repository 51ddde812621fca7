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

static int32_t linear_estimate(const socind_design *d, const double *a, const double *b,
                               const int32_t *group, int32_t n_groups, const socind_options *opts,
                               socind_estimate *out, int kind) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    int32_t G = group ? (n_groups > 0 ? n_groups : 1) : 1;
    for (int32_t j = 0; j < G; j++) socind__estimate_nan(&out[j], SOCIND_ERR_NULL);
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    if (!a)
        return socind__fail(SOCIND_ERR_NULL,
                            kind == KIND_RATIO ? "numerator is NULL" : "x is NULL");
    if (kind == KIND_RATIO && !b) return socind__fail(SOCIND_ERR_NULL, "denominator is NULL");

    socind_options o;
    int32_t st = socind__resolve_options(opts, &o);
    if (st) {
        for (int32_t j = 0; j < G; j++) out[j].status = st;
        return st;
    }
    socind__groups grp;
    st = socind__groups_init(&grp, group, n_groups, d->n);
    if (st) {
        for (int32_t j = 0; j < G; j++) out[j].status = st;
        return st;
    }
    socind__work wk;
    st = socind__work_init(&wk, d, kind == KIND_TOTAL ? 1 : 2);
    if (st) {
        socind__groups_free(&grp);
        for (int32_t j = 0; j < G; j++) out[j].status = st;
        return st;
    }

    const double *w = d->w;
    const int32_t *rp = d->row_psu;
    int64_t used_total = 0;
    for (int32_t j = 0; j < grp.ngroups; j++) {
        socind_estimate *e = &out[j];
        size_t ng = socind__group_size(&grp, j);
        int64_t cnt = 0, cnt_pos = 0;
        double shift = NAN;
        double s1 = 0.0, s2 = 0.0; /* Σ w (x − shift), Σ w (x − shift)² for deff */
        /* Sums are kept in registers while consecutive rows share a PSU (the
         * usual layout) and flushed into the PSU's accumulators on a change. */
        int32_t last = -1;
        double sa = 0.0, sb = 0.0;
#define FLUSH_PSU()                                                                                \
    do {                                                                                           \
        if (last >= 0) {                                                                           \
            double *acc_ = socind__touch(&wk, last);                                               \
            acc_[0] += sa;                                                                         \
            if (wk.m > 1) acc_[1] += sb;                                                           \
        }                                                                                          \
        sa = sb = 0.0;                                                                             \
    } while (0)
        if (kind == KIND_TOTAL) {
            for (size_t i = 0; i < ng; i++) {
                size_t k = socind__group_row(&grp, j, i);
                double x = a[k];
                if (!isfinite(x)) {
                    if (isnan(x)) continue;
                    st = infinite_value(k, x, "x");
                    goto done;
                }
                cnt++;
                if (rp[k] != last) {
                    FLUSH_PSU();
                    last = rp[k];
                }
                sa += w[k] * x;
            }
        } else if (kind == KIND_RATIO) {
            for (size_t i = 0; i < ng; i++) {
                size_t k = socind__group_row(&grp, j, i);
                double x = a[k], y = b[k];
                if (!isfinite(x) || !isfinite(y)) {
                    if (isinf(x) || isinf(y)) {
                        st = infinite_value(k, isinf(x) ? x : y,
                                            isinf(x) ? "numerator" : "denominator");
                        goto done;
                    }
                    continue;
                }
                cnt++;
                if (rp[k] != last) {
                    FLUSH_PSU();
                    last = rp[k];
                }
                sa += w[k] * x;
                sb += w[k] * y;
            }
        } else if (kind == KIND_PROP) {
            for (size_t i = 0; i < ng; i++) {
                size_t k = socind__group_row(&grp, j, i);
                double x = a[k];
                /* x·(x − 1) is 0 exactly for 0 and 1: one predictable branch */
                if (x * (x - 1.0) != 0.0) {
                    if (isnan(x)) continue;
                    st = socind__fail_row(SOCIND_ERR_DATA, k,
                                          "x[%zu] is %g; a proportion needs values 0, 1 or NaN", k,
                                          x);
                    goto done;
                }
                double wk_ = w[k];
                cnt++;
                cnt_pos += wk_ > 0.0;
                if (rp[k] != last) {
                    FLUSH_PSU();
                    last = rp[k];
                }
                sa += wk_ * x;
                sb += wk_;
            }
        } else {
            for (size_t i = 0; i < ng; i++) {
                size_t k = socind__group_row(&grp, j, i);
                double x = a[k];
                if (!isfinite(x)) {
                    if (isnan(x)) continue;
                    st = infinite_value(k, x, "x");
                    goto done;
                }
                double wk_ = w[k];
                if (isnan(shift)) shift = x;
                double dx = x - shift;
                s1 += wk_ * dx;
                s2 += wk_ * dx * dx;
                cnt++;
                cnt_pos += wk_ > 0.0;
                if (rp[k] != last) {
                    FLUSH_PSU();
                    last = rp[k];
                }
                sa += wk_ * x;
                sb += wk_;
            }
        }
        FLUSH_PSU();
#undef FLUSH_PSU
        used_total += cnt;
        if (cnt == 0) {
            socind__work_reset(&wk);
            socind__estimate_nan(e, SOCIND_ERR_EMPTY_DOMAIN);
            e->df = d->df;
            continue;
        }
        /* totals over the touched PSUs (compensated) */
        socind__ksum A = {0, 0}, B = {0, 0};
        size_t m = (size_t)wk.m;
        for (size_t t = 0; t < wk.touched.n; t++) {
            const double *acc = wk.acc + (size_t)wk.touched.list[t] * m;
            socind__kadd(&A, acc[0]);
            if (m > 1) socind__kadd(&B, acc[1]);
        }
        double At = socind__kval(&A), Bt = socind__kval(&B);
        double value;
        socind__estimate_nan(e, SOCIND_OK);
        e->n = cnt;
        if (kind == KIND_TOTAL) {
            value = At; /* z_p = A_p already */
        } else {
            if (!(Bt != 0.0)) {
                socind__work_reset(&wk);
                socind__estimate_nan(e, SOCIND_ERR_DATA);
                e->n = cnt;
                e->df = d->df;
                continue;
            }
            value = At / Bt;
            for (size_t t = 0; t < wk.touched.n; t++) {
                double *acc = wk.acc + (size_t)wk.touched.list[t] * m;
                acc[0] = (acc[0] - value * acc[1]) / Bt;
            }
        }
        /* weight sum of the rows used */
        if (kind == KIND_MEAN || kind == KIND_PROP) {
            e->weight_sum = Bt;
        } else {
            socind__ksum ws = {0, 0};
            for (size_t i = 0; i < ng; i++) {
                size_t k = socind__group_row(&grp, j, i);
                if (isnan(a[k]) || (b && isnan(b[k]))) continue;
                socind__kadd(&ws, w[k]);
            }
            e->weight_sum = socind__kval(&ws);
        }
        double var;
        int32_t vst = socind__work_variance(&wk, &var);
        e->value = value;
        e->se = vst ? NAN : sqrt(var);
        if (vst) e->status = vst;
        if ((kind == KIND_MEAN || kind == KIND_PROP) && cnt_pos > 1 && !vst) {
            double sw = e->weight_sum;
            /* Σ w (x − x̄)²; for a 0/1 variable Σ w x² = Σ w x */
            double ss = kind == KIND_PROP ? At - At * At / sw : s2 - s1 * s1 / sw;
            if (ss < 0) ss = 0;
            double np = (double)cnt_pos;
            double svar = ss / sw * np / (np - 1.0);
            double vsrs = svar / np;
            e->deff = vsrs > 0 ? var / vsrs : NAN;
        }
        socind__fill_ci(e, &o, d->df, kind == KIND_PROP);
    }
    if (used_total == 0) {
        st = socind__fail(SOCIND_ERR_EMPTY, "no usable observation: every value is missing or "
                                            "outside the domains");
    }
done:
    if (st)
        for (int32_t j = 0; j < G; j++) socind__estimate_nan(&out[j], st);
    socind__work_free(&wk);
    socind__groups_free(&grp);
    return st;
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
