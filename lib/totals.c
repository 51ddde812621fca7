/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/totals.c — totals, means, ratios and proportions (R survey's svytotal,
 * svymean, svyratio, svyciprop) with design-based SEs, overall and by domain.
 *
 * Each is one streaming pass per domain that accumulates per-PSU sums of
 * w·a and w·b; the linearized variable's PSU totals follow from those sums
 * (z_p = A_p for a total, z_p = (A_p − R̂ B_p)/B̂ for a ratio), so no per-row
 * array is written. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "state_internal.h"

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
 * mean Σ w (x − shift), Σ w (x − shift)² (its deff), shift being the
 * domain's first used value of non-zero weight (its PSU sums are of
 * w·(x − shift) too: the
 * linearized variable keeps its digits where values sit far from 0). */
typedef struct {
    int64_t cnt, cnt_pos, cnt_nz; /* cnt_nz: rows of non-zero weight (a
                                     calibrated design's may be negative) */
    double s1, s2, shift;
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
 * (ratio), w (mean) or w·(1 − a) (proportion: the complement), kept in registers while consecutive
 * rows share a PSU (the usual layout; folded every SOCIND__FOLD_ROWS rows, internal.h) and flushed
 * on a change. */
SOCIND__SPECIALISED int32_t domain_rows(const socind_design *d, const socind__groups *grp,
                                        int32_t j, const double *a, const double *b,
                                        socind__work *wk, const int kind, sums *out) {
    const double *w = d->w;
    const int32_t *rp = d->row_psu;
    const size_t ng = socind__group_size(grp, j);
    sums s = {0, 0, 0, 0.0, 0.0, 0.0};
    double shift = NAN;
    int32_t last = -1;
    double sa = 0.0, sb = 0.0;
    socind__ksum ka = {0, 0}, kb = {0, 0};
    uint32_t run = 0; /* rows since the run's last fold */
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
            /* the shift: the first value of non-zero weight (a row of weight
               0 before it adds 0 wherever it sits; a calibrated design's
               negative weight counts as it is, as a positive one) */
            if (isnan(shift) && wk_ != 0.0) shift = x;
            x = isnan(shift) ? 0.0 : x - shift;
            s.s1 += wk_ * x;
            s.s2 += wk_ * x * x;
        }
        s.cnt++;
        if (kind == KIND_MEAN || kind == KIND_PROP) s.cnt_pos += wk_ > 0.0, s.cnt_nz += wk_ != 0.0;
        if (rp[k] != last) {
            flush_psu(wk, last, socind__fold_value(&ka, sa), socind__fold_value(&kb, sb));
            last = rp[k];
            sa = sb = 0.0, run = 0;
        }
        sa += wk_ * x;
        if (kind == KIND_RATIO) sb += wk_ * y;
        if (kind == KIND_MEAN) sb += wk_;
        if (kind == KIND_PROP) sb += wk_ * (1.0 - x); /* the complement: w or 0, exact */
        if (__builtin_expect(++run == SOCIND__FOLD_ROWS, 0)) {
            socind__kadd(&ka, sa), socind__kadd(&kb, sb);
            sa = sb = 0.0;
            run = 0;
        }
    }
    flush_psu(wk, last, socind__fold_value(&ka, sa), socind__fold_value(&kb, sb));
    if (kind == KIND_MEAN && !isnan(shift)) s.shift = shift;
    *out = s;
    return SOCIND_OK;
}

/* A proportion's per-call extras: the domain's degrees of freedom (stamps
 * of the PSUs and strata seen with a non-zero weight) and, for the
 * likelihood interval, the domain's PSU sums kept for a second variance. */
typedef struct {
    int grouped;        /* a group column was given */
    int domain_df;      /* each domain carries its own df (else the design's) */
    int fit;            /* the likelihood interval: R's glm fit is reproduced */
    int32_t *psu_stamp; /* npsu: 1 + the last domain that marked the PSU */
    int32_t *str_stamp; /* nstrata: likewise for strata */
    int32_t *plist;     /* npsu: the domain's PSUs (fit) */
    double *ab;         /* 2·npsu: their Σ w·x and Σ w·(1 − x) (fit) */
} propx;

/* R's degf() of the domain's design (svyciprop's df on svyby's or subset()'s
 * design): the PSUs minus the strata among the domain's rows with a
 * non-zero weight (a NaN value included: the rows stay in R's design).
 * survey's subset of a calibrated design keeps every row but gives the
 * others weight 0, which degf() leaves out: the same count, over the PSUs
 * of the design it was calibrated from (its own units are its rows). */
static double domain_df(const socind_design *dw, const socind__groups *grp, int32_t j, propx *px) {
    const socind_design *d = dw->cal ? socind__cal_base(dw) : dw;
    const size_t ng = socind__group_size(grp, j);
    int64_t np = 0, nh = 0;
    const int32_t stamp = j + 1;
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(grp, j, i);
        if (!(dw->w[k] != 0.0)) continue;
        int32_t p = d->row_psu[k], h = d->psu_stratum[p];
        if (px->psu_stamp[p] != stamp) px->psu_stamp[p] = stamp, np++;
        if (px->str_stamp[h] != stamp) px->str_stamp[h] = stamp, nh++;
    }
    return (double)(np - nh);
}

/* R's make.link("logit") in C (stats/src/family.c): linkinv and mu.eta,
 * with their cut-offs at |η| > 30. */
#define GLM_THRESH 30.0
static double logit_linkinv(double eta) {
    double t = eta < -GLM_THRESH ? DBL_EPSILON : eta > GLM_THRESH ? 1.0 / DBL_EPSILON : exp(eta);
    return t / (1.0 + t);
}
static double logit_mu_eta(double eta) {
    double op = 1.0 + exp(eta);
    return eta > GLM_THRESH || eta < -GLM_THRESH ? DBL_EPSILON : exp(eta) / (op * op);
}
/* the binomial deviance residual's y·log(y/μ) */
static double y_log_y(double y, double mu) {
    return y != 0.0 ? y * log(y / mu) : 0.0;
}

void socind__glm_first_terms(double wp, double y, double t[SOCIND__GLM_SUMS]) {
    const double ms = (wp * y + 0.5) / (wp + 1.0);
    const double eta = log(ms / (1.0 - ms));
    const double mu = logit_linkinv(eta), me = logit_mu_eta(eta), v = mu * (1.0 - mu);
    const double z = eta + (y - mu) / me;
    double ww = sqrt(wp * me * me / v);
    ww *= ww;
    t[0] = ww * z;
    t[1] = ww;
    t[2] = wp * y;
    t[3] = wp * (1.0 - y);
    t[4] = 2.0 * wp * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu));
}

int socind__glm_iterate(const double sums[SOCIND__GLM_SUMS], double nfit, socind__glmfit *fit,
                        double *mu_out, double *sw_last) {
    const double w1 = sums[2], w0 = sums[3], wt = w1 + w0;
    double devold = sums[4], beta = sums[0] / sums[1];
    double swl = sums[1], mu = NAN;
    for (int iter = 1; iter <= 25; iter++) {
        if (iter > 1) {
            /* η and μ shared by every row: Σ w'z/Σ w' */
            double eta = beta, m = logit_linkinv(eta), me = logit_mu_eta(eta);
            double ww = sqrt(me * me / (m * (1.0 - m)));
            swl = wt * (ww * ww);
            beta = eta + (w1 - m * wt) / (wt * me);
        }
        mu = logit_linkinv(beta);
        double dev = 2.0 * (w1 * log(1.0 / mu) + w0 * log(1.0 / (1.0 - mu)));
        if (!isfinite(dev) || !isfinite(beta)) return -1;
        if (fabs(dev - devold) / (fabs(dev) + 0.1) < 1e-8) break;
        devold = dev;
    }
    fit->beta = beta;
    fit->w1 = w1;
    fit->w0 = w0;
    fit->n = nfit;
    *mu_out = mu;
    *sw_last = swl;
    return 0;
}

/* The fit of domain j's rows (socind__glm_iterate after the first step's
 * sums over them, compensated): 0, or −1 when it cannot be made. */
static int glm_fit(const socind_design *d, const socind__groups *grp, int32_t j, const double *a,
                   socind__glmfit *fit, double *mu_out, double *sw_last, double *c_all,
                   size_t *n_all) {
    const size_t ng = socind__group_size(grp, j);
    socind__ksum wsum = {0, 0};
    for (size_t i = 0; i < ng; i++) socind__kadd(&wsum, d->w[socind__group_row(grp, j, i)]);
    const double c = socind__kval(&wsum) / (double)ng; /* mean(1/prob) */
    *c_all = c, *n_all = ng;
    if (!(c > 0.0)) return -1;
    socind__ksum S[SOCIND__GLM_SUMS] = {{0, 0}};
    double nfit = 0.0, t[SOCIND__GLM_SUMS];
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(grp, j, i);
        double y = a[k];
        if (isnan(y)) continue;
        nfit += 1.0;
        double wp = d->w[k] / c;
        if (!(wp > 0.0)) continue; /* glm.fit's good rows: weights > 0 */
        socind__glm_first_terms(wp, y, t);
        for (int m = 0; m < SOCIND__GLM_SUMS; m++) socind__kadd(&S[m], t[m]);
    }
    double sums[SOCIND__GLM_SUMS];
    for (int m = 0; m < SOCIND__GLM_SUMS; m++) sums[m] = socind__kval(&S[m]);
    return socind__glm_iterate(sums, nfit, fit, mu_out, sw_last);
}

/* The estimate of a domain whose rows are in the work space's PSU sums:
 * the value (a total, or a ratio of the two sums with z_p = (A_p − R̂ B_p)/B̂),
 * its variance, deff for means and proportions, and the interval. */
static void domain_estimate(const socind_design *d, const socind__groups *grp, int32_t j,
                            const double *a, const double *b, socind__work *wk,
                            const socind_options *o, int kind, const sums *s, propx *px,
                            socind_estimate *e) {
    const double df = px && px->domain_df ? domain_df(d, grp, j, px) : d->df;
    if (s->cnt == 0) {
        socind__work_reset(wk);
        socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, 0, 0.0, df);
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
    /* (±Inf for a sum beyond the double range, not NaN) */
    double At = socind__pair_value(A.s, A.c), Bt = socind__pair_value(B.s, B.c);
    /* a proportion's second sums are the complement Σ w (1 − x): its PSU
       terms (Q·A_p − P·C_p)/N, Q = C/N, keep their digits as P nears 1,
       where A_p − P·(A_p + C_p) cancels by 1 − P */
    const double Ct = kind == KIND_PROP ? Bt : NAN;
    if (kind == KIND_PROP) { /* N̂: both compensated sums merged */
        const socind__ksum NW = socind__ksum_plus(A, B);
        Bt = socind__pair_value(NW.s, NW.c);
    }
    double value;
    socind__estimate_nan(e, SOCIND_OK);
    e->n = s->cnt;
    if (kind == KIND_TOTAL) {
        value = At; /* z_p = A_p already */
    } else {
        if (!(Bt != 0.0)) {
            /* a mean's or proportion's domain whose rows all weigh 0 has no
               estimate, as FGT's (its rows counted in n); a ratio's
               denominator summing to 0, and a calibrated design's weights
               of both signs summing to 0, are the data's */
            socind__work_reset(wk);
            socind__estimate_undefined(
                e, kind != KIND_RATIO && s->cnt_nz == 0 ? SOCIND_ERR_EMPTY_DOMAIN : SOCIND_ERR_DATA,
                s->cnt, 0.0, df);
            return;
        }
        value = At / Bt;
        if (px && px->fit) /* the PSU sums Σ w x and Σ w (1 − x), for the fit's variance below */
            for (size_t t = 0; t < wk->touched.n; t++) {
                int32_t p = wk->touched.list[t];
                px->plist[t] = p;
                px->ab[2 * t] = wk->acc[(size_t)p * m];
                px->ab[2 * t + 1] = wk->acc[(size_t)p * m + 1];
            }
        if (kind == KIND_PROP) {
            const double q = Ct / Bt;
            for (size_t t = 0; t < wk->touched.n; t++) {
                double *acc = wk->acc + (size_t)wk->touched.list[t] * m;
                acc[0] = socind__holds_totals(acc[0], acc[1], At, Ct)
                             ? 0.0
                             : (q * acc[0] - value * acc[1]) / Bt;
            }
        } else {
            for (size_t t = 0; t < wk->touched.n; t++) {
                double *acc = wk->acc + (size_t)wk->touched.list[t] * m;
                acc[0] = socind__holds_totals(acc[0], acc[1], At, Bt)
                             ? 0.0
                             : (acc[0] - value * acc[1]) / Bt;
            }
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
        e->weight_sum = socind__pair_value(ws.s, ws.c);
    }
    /* weights whose sum leaves the double range (near 1e306): NaN with
       SOCIND_ERR_OVERFLOW and the weight sum +Inf, as a partial state's
       finish gives them, except a total and a ratio, which do not read Σw,
       where the sums they read stay in the range; a ratio whose
       denominator Σw·b leaves it has none (At/±Inf would be 0) */
    const int beyond = !(e->weight_sum <= DBL_MAX);
    const int free_of_w = (kind == KIND_TOTAL || kind == KIND_RATIO) && fabs(At) <= DBL_MAX;
    /* a mean whose shifted sum Σ w (x − shift) leaves the range (values
       near ±1e308): none either (±Inf plus the shift is no mean) */
    if ((beyond && !free_of_w) || (kind == KIND_RATIO && !(fabs(Bt) <= DBL_MAX)) ||
        (kind == KIND_MEAN && !(fabs(At) <= DBL_MAX))) {
        socind__work_reset(wk);
        socind__estimate_undefined(e, SOCIND_ERR_OVERFLOW, s->cnt,
                                   beyond ? INFINITY : e->weight_sum, df);
        return;
    }
    if (beyond) e->weight_sum = INFINITY;
    const size_t ntouched = wk->touched.n;
    double var;
    int ez;
    int32_t vst = socind__work_variance_at(wk, &var, &ez);
    e->value = kind == KIND_MEAN ? value + s->shift : value; /* the PSU sums are shifted */
    e->se = vst ? NAN : ldexp(sqrt(var), ez);
    if (vst) e->status = vst;
    if ((kind == KIND_MEAN || kind == KIND_PROP) && s->cnt_pos > 1 && !vst) {
        double sw = e->weight_sum;
        /* Σ w (x − x̄)²; for a 0/1 variable Σ w x² = Σ w x */
        double ss = kind == KIND_PROP ? At * (Ct / sw) : s->s2 - s->s1 * s->s1 / sw;
        if (ss < 0) ss = 0;
        double np = (double)s->cnt_pos;
        double svar = ss / sw * np / (np - 1.0);
        double vsrs = svar / np;
        e->deff = socind__deff_of(var, vsrs, kind == KIND_PROP ? At : s->s2, ez);
    }
    if (px && px->fit && !vst && value > 0.0 && value < 1.0 && s->cnt > 1) {
        /* svyglm's fit at R's IRLS stop: se(β̂)² = V(Σ w(x − μ̂))/(Σ w·μ̂(1 − μ̂))²
           (svy.varcoef's sandwich; V from the PSU totals A_p − μ̂·B_p), the
           Rao–Scott factor λ = se(β̂)²/cov.unscaled of summary.glm, the
           dispersion svyvar of the Pearson residuals (y − μ̂)/√(μ̂(1 − μ̂)):
           n'/(n' − 1)·p̂(1 − p̂)/(μ̂(1 − μ̂)), n' the rows of non-zero weight */
        socind__glmfit fit;
        double mu, swl, vb, c_all;
        size_t n_all;
        if (glm_fit(d, grp, j, a, &fit, &mu, &swl, &c_all, &n_all) == 0) {
            /* Σ w (x − μ̂) = (1 − μ̂)·Σ w x − μ̂·Σ w (1 − x), R's residuals summed
               by value (1 − μ̂ exact for μ̂ >= 1/2): no cancellation as μ̂ nears 1 */
            const double q_mu = 1.0 - mu;
            for (size_t t = 0; t < ntouched; t++) {
                double *acc = socind__touch(wk, px->plist[t]);
                acc[0] = q_mu * px->ab[2 * t] - mu * px->ab[2 * t + 1];
            }
            if (socind__work_variance(wk, &vb) == 0) {
                double den = Bt * (mu * (1.0 - mu));
                fit.se_beta = sqrt(vb) / den;
                fit.lambda = fit.se_beta * fit.se_beta * swl;
                double np = (double)s->cnt_pos;
                fit.disp = np / (np - 1.0) * (value * (1.0 - value)) / (mu * (1.0 - mu));
                if ((size_t)s->cnt != n_all)
                    fit.disp *= socind__na_dispersion_factor(Bt, (double)s->cnt, c_all);
                socind__fill_ci_fit(e, o, df, &fit);
                return;
            }
        }
    }
    socind__fill_ci(e, o, df, kind == KIND_PROP);
}

/* What a thread needs for the domains of a call: its work space and its
 * proportion's extras. */
typedef struct {
    socind__work wk;
    propx px;
} lin_ctx;

/* The proportion's extras px needs (allocated in px, which starts from the
 * call's flags). */
static int32_t propx_alloc(propx *px, const socind_design *d) {
    if (px->domain_df) {
        px->psu_stamp = calloc(d->npsu, sizeof *px->psu_stamp);
        px->str_stamp = calloc(d->nstrata, sizeof *px->str_stamp);
        if (!px->psu_stamp || !px->str_stamp)
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    if (px->fit) {
        px->plist = malloc(d->npsu * sizeof *px->plist);
        px->ab = malloc(2 * d->npsu * sizeof *px->ab);
        if (!px->plist || !px->ab) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    return SOCIND_OK;
}

static void lin_ctx_free(lin_ctx *c) {
    free(c->px.psu_stamp), free(c->px.str_stamp), free(c->px.plist), free(c->px.ab);
    socind__work_free(&c->wk);
}

/* Domain j's estimate into out[j]. */
static int32_t lin_domain(const socind_design *d, const socind__groups *grp, int32_t j,
                          const double *a, const double *b, lin_ctx *c, const socind_options *o,
                          int kind, socind_estimate *out) {
    sums s = {0, 0, 0, 0.0, 0.0, 0.0};
    int32_t st;
    /* the row loop specialised for each kind */
    switch (kind) {
    case KIND_TOTAL:
        st = domain_rows(d, grp, j, a, b, &c->wk, KIND_TOTAL, &s);
        break;
    case KIND_MEAN:
        st = domain_rows(d, grp, j, a, b, &c->wk, KIND_MEAN, &s);
        break;
    case KIND_RATIO:
        st = domain_rows(d, grp, j, a, b, &c->wk, KIND_RATIO, &s);
        break;
    default:
        st = domain_rows(d, grp, j, a, b, &c->wk, KIND_PROP, &s);
        break;
    }
    if (st) return st;
    domain_estimate(d, grp, j, a, b, &c->wk, o, kind, &s, kind == KIND_PROP ? &c->px : NULL,
                    &out[j]);
    return SOCIND_OK;
}

/* The domains of a call on several threads (socind__domains_on_spaces):
 * each thread's space a lin_ctx like c. */
typedef struct {
    const socind_design *d;
    const socind__groups *grp;
    const double *a, *b;
    const lin_ctx *c;
    const socind_options *o;
    int kind;
    socind_estimate *out;
} lin_run;

static int32_t lin_make(void *space, void *arg) {
    const lin_run *r = arg;
    lin_ctx *t = space;
    t->px.grouped = r->c->px.grouped, t->px.domain_df = r->c->px.domain_df;
    t->px.fit = r->c->px.fit;
    int32_t st = socind__work_init(&t->wk, r->d, r->c->wk.m);
    if (!st) st = propx_alloc(&t->px, r->d);
    t->wk.full = r->c->wk.full;
    return st;
}
static void lin_drop(void *space) {
    lin_ctx_free(space);
}
static int32_t lin_task(void *arg, void *space, int32_t j) {
    const lin_run *r = arg;
    return lin_domain(r->d, r->grp, j, r->a, r->b, space, r->o, r->kind, r->out);
}

static int32_t linear_estimate(const socind_design *d, const double *a, const double *b,
                               const int32_t *group, int32_t n_groups, const socind_options *opts,
                               socind_estimate *out, int kind) {
    const socind__arg args[2] = {{a, kind == KIND_RATIO ? "numerator" : "x"}, {b, "denominator"}};
    socind__frame f;
    lin_ctx c;
    memset(&c, 0, sizeof c);
    int32_t st = socind__frame_begin(&f, out, (size_t)socind__ndomains(group, n_groups), d, args,
                                     kind == KIND_RATIO ? 2 : 1);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) st = socind__work_init(&c.wk, d, kind == KIND_TOTAL ? 1 : 2);
    if (!st) socind__work_rule(&c.wk, &f.o, SOCIND_DOMAIN_RULE_SUBSET); /* svytotal, svymean … */
    if (!st && kind == KIND_PROP) {
        /* svyciprop on the domain's design: its df, and for the likelihood
           interval its glm fit (under the rule FULL, the whole design's df) */
        c.px.grouped = group != NULL;
        c.px.domain_df = c.px.grouped && !c.wk.full;
        c.px.fit = f.o.prop_ci == SOCIND_PROP_CI_LIKELIHOOD;
        st = propx_alloc(&c.px, d);
    }
    int64_t used = 0;
    /* several threads without domains: through partial states
       (state_threads.c); with domains the threads take the domains (each
       domain's figures the one-thread loop's, bit for bit) */
    socind_state_spec ssp;
    const int32_t est = kind == KIND_TOTAL   ? SOCIND_STATE_TOTAL
                        : kind == KIND_MEAN  ? SOCIND_STATE_MEAN
                        : kind == KIND_RATIO ? SOCIND_STATE_RATIO
                                             : SOCIND_STATE_PROPORTION;
    const int32_t T = st || d->cal ? 1 : socind__threads_for(f.o.threads, d->n);
    /* one thread too, for a mean without domains on a PSU-sorted design
       (socind__state_one_thread: its loop is the faster there) */
    if (((T > 1 && !group) || (!st && (d->rep_theta || socind__state_one_thread(d, group, est)))) &&
        !c.px.fit &&
        socind__state_spec_for(est, group, n_groups, NULL, NAN, SOCIND_NONPOS_ERROR, &ssp)) {
        int32_t tst = socind__state_threaded(d, &ssp, a, b, group, &f.o, T, out, &used);
        if (tst != -1) {
            lin_ctx_free(&c);
            return socind__frame_end(&f, tst, used, "value");
        }
    }
    int32_t j0 = 0; /* the domains from j0 on run on the calling thread */
    /* a thread's work space: about 40 bytes a PSU */
    const int32_t TD =
        st ? 1 : socind__domain_threads(T, f.grp.ngroups, d->n, 40.0 * (double)d->npsu);
    if (!st && TD > 1 && !d->rep_theta) {
        /* every thread a context of its own: c stays as it is for the loop
           below */
        lin_run r = {d, &f.grp, a, b, &c, &f.o, kind, out};
        j0 = socind__domains_on_spaces(TD, &f.grp, sizeof(lin_ctx), lin_make, lin_drop, lin_task,
                                       &r);
    }
    for (int32_t j = j0; !st && j < f.grp.ngroups; j++)
        st = lin_domain(d, &f.grp, j, a, b, &c, &f.o, kind, out);
    if (!st) used = socind__rows_used(out, (size_t)f.grp.ngroups, 1);
    lin_ctx_free(&c);
    return socind__frame_end(&f, st, used, "value");
}

int32_t socind_total(const socind_design *design, const double *x, const int32_t *group,
                     int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_total(SOCIND__RV, x, group, n_groups, opts, SOCIND__RO));
    return linear_estimate(design, x, NULL, group, n_groups, opts, out, KIND_TOTAL);
}

int32_t socind_mean(const socind_design *design, const double *x, const int32_t *group,
                    int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_mean(SOCIND__RV, x, group, n_groups, opts, SOCIND__RO));
    return linear_estimate(design, x, NULL, group, n_groups, opts, out, KIND_MEAN);
}

int32_t socind_ratio(const socind_design *design, const double *numerator,
                     const double *denominator, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_ratio(SOCIND__RV, numerator, denominator, group, n_groups, opts, SOCIND__RO));
    return linear_estimate(design, numerator, denominator, group, n_groups, opts, out, KIND_RATIO);
}

int32_t socind_proportion(const socind_design *design, const double *x, const int32_t *group,
                          int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED_DOMAIN_DF(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 1u, NULL, group, n_groups,
        socind_proportion(SOCIND__RV, x, group, n_groups, opts, SOCIND__RO));
    return linear_estimate(design, x, NULL, group, n_groups, opts, out, KIND_PROP);
}
