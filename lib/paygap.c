/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/paygap.c — the gender pay gap (convey's svygpg), 1 − R_f/R_m with the
 * men's and women's mean earnings R_s, overall and by domain. See
 * inequality.h.
 *
 * One streaming pass per domain accumulates, per PSU, Σ w·e and Σ w for men
 * and for women; the linearized variable's PSU totals follow from those
 * sums, z_p = −(E_f,p − R_f N_f,p)/(N̂_f R_m) + (R_f/R_m²)(E_m,p −
 * R_m N_m,p)/N̂_m, and go to the variance engine over the domain's strata
 * (svyby's domain design). */
#include <string.h>

#include "internal.h"

#define SEX_MALE 1
#define SEX_FEMALE 2

/* One domain's estimate from the PSU sums in the work space. */
static void gpg_domain(const socind_design *d, socind__work *wk, int64_t n, const socind_options *o,
                       socind_estimate *e) {
    socind__ksum T[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};
    for (size_t t = 0; t < wk->touched.n; t++) {
        const double *acc = wk->acc + (size_t)wk->touched.list[t] * 4;
        for (int i = 0; i < 4; i++) socind__kadd(&T[i], acc[i]);
    }
    const double Em = socind__kval(&T[0]), Nm = socind__kval(&T[1]), Ef = socind__kval(&T[2]),
                 Nf = socind__kval(&T[3]);
    if (n == 0 || !(Nm + Nf > 0.0)) {
        socind__work_reset(wk);
        socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, n, Nm + Nf, d->df);
        return;
    }
    const double Rm = Em / Nm, Rf = Ef / Nf;
    if (!(Nm > 0.0) || !(Nf > 0.0) || !(Rm != 0.0)) {
        socind__work_reset(wk);
        socind__estimate_undefined(e, SOCIND_ERR_DATA, n, Nm + Nf, d->df);
        return;
    }
    const double a = -1.0 / (Nf * Rm), b = Rf / (Rm * Rm * Nm);
    for (size_t t = 0; t < wk->touched.n; t++) {
        double *acc = wk->acc + (size_t)wk->touched.list[t] * 4;
        acc[0] = a * (acc[2] - Rf * acc[3]) + b * (acc[0] - Rm * acc[1]);
    }
    double var;
    socind__estimate_nan(e, SOCIND_OK);
    int32_t st = socind__work_variance(wk, &var);
    e->value = 1.0 - Rf / Rm;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    e->n = n;
    e->weight_sum = Nm + Nf;
    socind__fill_ci(e, o, d->df, 0);
}

int32_t socind_gender_pay_gap(const socind_design *design, const double *earnings,
                              const int32_t *sex, const int32_t *group, int32_t n_groups,
                              const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_gender_pay_gap(SOCIND__RV, earnings, sex, group, n_groups, opts, SOCIND__RO));
    const socind__arg args[2] = {{earnings, "earnings"}, {sex, "sex"}};
    socind__frame f;
    socind__work wk = {0};
    int32_t st =
        socind__frame_begin(&f, out, (size_t)socind__ndomains(group, n_groups), design, args, 2);
    const socind_design *d = design;
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    for (size_t k = 0; !st && k < d->n; k++) {
        int32_t s = sex[k];
        if (s != SEX_MALE && s != SEX_FEMALE && s != SOCIND_CODE_MISSING)
            st = socind__fail_row(SOCIND_ERR_CODE, k,
                                  "sex[%zu] is %d; sex codes are 1 (male), 2 (female) or -1 "
                                  "(missing)",
                                  k, (int)s);
    }
    int ex = 0;
    if (!st) {
        double amax = 0.0;
        size_t k = socind__first_infinite(earnings, d->n, &amax);
        if (k < d->n)
            st = socind__fail_row(SOCIND_ERR_DATA, k,
                                  "earnings[%zu] is %g; earnings must be finite (NaN for missing)",
                                  k, earnings[k]);
        ex = socind__scale_exponent(amax);
    }
    if (!st) st = socind__work_init(&wk, d, 4);
    if (!st) socind__work_rule(&wk, &f.o, SOCIND_DOMAIN_RULE_SUBSET); /* svygpg: svyby's */
    int64_t used = 0;
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        const size_t ng = socind__group_size(&f.grp, j);
        int64_t n = 0;
        int32_t last = -1;
        double s[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < ng; i++) {
            size_t k = socind__group_row(&f.grp, j, i);
            double e = earnings[k];
            int32_t sx = sex[k];
            if (isnan(e) || sx == SOCIND_CODE_MISSING) continue;
            int32_t p = d->row_psu[k];
            if (p != last) {
                if (last >= 0) {
                    double *acc = socind__touch(&wk, last);
                    for (int q = 0; q < 4; q++) acc[q] += s[q], s[q] = 0.0;
                }
                last = p;
            }
            double wk_ = d->w[k];
            int off = sx == SEX_MALE ? 0 : 2;
            if (ex) socind__scale_pow2(&e, 0, &e, 0, 1, ex); /* e·2^−ex, exact */
            s[off] += wk_ * e;
            s[off + 1] += wk_;
            n++;
        }
        if (last >= 0) {
            double *acc = socind__touch(&wk, last);
            for (int q = 0; q < 4; q++) acc[q] += s[q];
        }
        used += n;
        gpg_domain(d, &wk, n, &f.o, &out[j]);
    }
    socind__work_free(&wk);
    return socind__frame_end(&f, st, used, "row's earnings or sex");
}
