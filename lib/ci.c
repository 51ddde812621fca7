/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/ci.c — critical values and confidence intervals. Every argument is
 * checked before GSL is called, so GSL's error handler is never reached. */
#include <gsl/gsl_cdf.h>

#include "internal.h"

int32_t socind_critical_value(double level, int32_t ci_dist, double df, double *q) {
    socind__clear_detail();
    if (!q) return socind__fail(SOCIND_ERR_NULL, "q is NULL");
    *q = NAN;
    if (!(level > 0.0 && level < 1.0))
        return socind__fail(SOCIND_ERR_ARG, "level must be in (0, 1), got %g", level);
    if (ci_dist == SOCIND_CI_NORMAL) {
        *q = gsl_cdf_ugaussian_Pinv(0.5 + level / 2.0);
        return SOCIND_OK;
    }
    if (ci_dist != SOCIND_CI_T)
        return socind__fail(SOCIND_ERR_ARG, "unknown ci_dist %d", (int)ci_dist);
    if (!(df > 0.0) || isinf(df)) {
        if (isinf(df) && df > 0) {
            *q = gsl_cdf_ugaussian_Pinv(0.5 + level / 2.0);
            return SOCIND_OK;
        }
        return socind__fail(SOCIND_ERR_DF, "df must be positive for a t interval, got %g", df);
    }
    *q = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df);
    return SOCIND_OK;
}

double socind__critical(const socind_options *o, double df) {
    if (o->ci_dist == SOCIND_CI_NORMAL || (isinf(df) && df > 0))
        return gsl_cdf_ugaussian_Pinv(0.5 + o->level / 2.0);
    if (!(df > 0.0)) return NAN;
    return gsl_cdf_tdist_Pinv(0.5 + o->level / 2.0, df);
}

void socind__estimate_nan(socind_estimate *e, int32_t status) {
    e->value = e->se = e->ci_low = e->ci_high = NAN;
    e->df = NAN;
    e->weight_sum = 0.0;
    e->deff = NAN;
    e->n = 0;
    e->status = status;
    e->reserved = 0;
}

void socind__fill_ci(socind_estimate *e, const socind_options *o, double df, int is_prop) {
    e->df = df;
    double q = socind__critical(o, df);
    if (isnan(q)) {
        e->ci_low = e->ci_high = NAN;
        if (e->status == SOCIND_OK) e->status = SOCIND_ERR_DF;
        return;
    }
    double v = e->value, se = e->se;
    if (isnan(v) || isnan(se)) {
        e->ci_low = e->ci_high = NAN;
        return;
    }
    if (is_prop && o->prop_ci == SOCIND_PROP_CI_LOGIT) {
        if (v <= 0.0) {
            e->ci_low = e->ci_high = 0.0;
        } else if (v >= 1.0) {
            e->ci_low = e->ci_high = 1.0;
        } else {
            double eta = log(v / (1.0 - v));
            double half = q * se / (v * (1.0 - v));
            double lo = eta - half, hi = eta + half;
            e->ci_low = 1.0 / (1.0 + exp(-lo));
            e->ci_high = 1.0 / (1.0 + exp(-hi));
        }
        return;
    }
    e->ci_low = v - q * se;
    e->ci_high = v + q * se;
}

int32_t socind_difference(const socind_estimate *a, const socind_estimate *b,
                          const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    socind__estimate_nan(out, SOCIND_ERR_ARG);
    if (!a || !b)
        return out->status = SOCIND_ERR_NULL,
               socind__fail(SOCIND_ERR_NULL, "%s is NULL", a ? "b" : "a");
    socind_options o;
    int32_t st = socind__resolve_options(opts, &o);
    if (st != SOCIND_OK) return out->status = st, st;
    const socind_estimate *e[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        if (!isfinite(e[i]->value) || !isfinite(e[i]->se) || e[i]->se < 0)
            return socind__fail(SOCIND_ERR_ARG,
                                "estimate %s has value %g and se %g; both must be "
                                "finite (se >= 0)",
                                i ? "b" : "a", e[i]->value, e[i]->se);
        if (o.ci_dist == SOCIND_CI_T && !(e[i]->df > 0))
            return out->status = SOCIND_ERR_DF,
                   socind__fail(SOCIND_ERR_DF, "estimate %s has df %g; a t interval needs df > 0",
                                i ? "b" : "a", e[i]->df);
    }
    out->status = SOCIND_OK;
    out->value = b->value - a->value;
    out->se = sqrt(a->se * a->se + b->se * b->se);
    out->weight_sum = a->weight_sum + b->weight_sum;
    out->n = a->n + b->n;
    socind__fill_ci(out, &o, a->df + b->df, 0);
    return SOCIND_OK;
}
