/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/simulate.c — what a transfer would do (socind/simulate.h): each
 * row's per-capita transfer, the before and after estimates through the
 * library's own estimators (socind_fgt, socind_gini, socind_poor_count,
 * socind_total) on y and y' = y + t, and the paired changes, whose
 * linearized variables u' − u (FGT's and the number of poor's per row, the
 * Gini's from inequality.c) go through the design's variance engine. A
 * relative line is estimated on y by poverty_line.c's own pass
 * (socind__line_relative, as socind_fgt) and held fixed; each PSU's total of
 * its influence (Z[p] = Σ_{k∈p} w·u_z) enters every figure that uses the
 * line, times that figure's derivative in the line (N̂_d·f̂_d(z) for FGT0
 * and the number of poor, poverty_line.c's kernel density). */
#include <float.h>
#include <stdlib.h>

#include "poverty_internal.h"

/* the first version of socind_transfer ends after cost_unit */
#define TRANSFER_V1_SIZE (offsetof(socind_transfer, cost_unit) + sizeof(double))

int32_t socind_transfer_init(socind_transfer *transfer) {
    int32_t st = socind__init_sized(transfer, sizeof *transfer, "transfer");
    if (st) return st;
    transfer->per = SOCIND_TRANSFER_PER_PERSON;
    transfer->n_codes = 0;
    transfer->amount = NAN;
    transfer->household_size = NULL;
    transfer->code = NULL;
    transfer->amounts = NULL;
    transfer->selected = NULL;
    transfer->cost_unit = 1e9;
    return SOCIND_OK;
}

/* The transfer's own fields (not its rows). */
static int32_t transfer_check(const socind_transfer *tr) {
    int32_t st = socind__check_sized(tr, TRANSFER_V1_SIZE, sizeof *tr, "socind_transfer");
    if (st) return st;
    if (tr->per != SOCIND_TRANSFER_PER_PERSON && tr->per != SOCIND_TRANSFER_PER_HOUSEHOLD)
        return socind__fail(SOCIND_ERR_ARG,
                            "transfer->per is %d; it must be SOCIND_TRANSFER_PER_PERSON (0) or "
                            "SOCIND_TRANSFER_PER_HOUSEHOLD (1)",
                            (int)tr->per);
    if (tr->per == SOCIND_TRANSFER_PER_HOUSEHOLD && !tr->household_size)
        return socind__fail(SOCIND_ERR_NULL,
                            "transfer->household_size is NULL; an amount per household needs "
                            "each row's household size");
    if (tr->n_codes < 0)
        return socind__fail(SOCIND_ERR_ARG, "transfer->n_codes is %d; it must be >= 0",
                            (int)tr->n_codes);
    if (tr->n_codes == 0) {
        if (!isfinite(tr->amount))
            return socind__fail(SOCIND_ERR_ARG, "transfer->amount is %g; it must be finite",
                                tr->amount);
    } else {
        if (!tr->code) return socind__fail(SOCIND_ERR_NULL, "transfer->code is NULL");
        if (!tr->amounts) return socind__fail(SOCIND_ERR_NULL, "transfer->amounts is NULL");
        for (int32_t j = 0; j < tr->n_codes; j++)
            if (isinf(tr->amounts[j]))
                return socind__fail(SOCIND_ERR_ARG,
                                    "transfer->amounts[%d] is %g; it must be finite (or NaN: none)",
                                    (int)j, tr->amounts[j]);
    }
    if (!(tr->cost_unit >= DBL_MIN) || isinf(tr->cost_unit))
        return socind__fail(SOCIND_ERR_ARG,
                            "transfer->cost_unit is %g; it must be finite and at least %g (a "
                            "normal double: a smaller one loses the figures per unit's digits)",
                            tr->cost_unit, DBL_MIN);
    return SOCIND_OK;
}

/* t[k] for the n rows (transfer already checked). */
static int32_t transfer_rows(const socind_transfer *tr, size_t n, double *t) {
    for (size_t k = 0; k < n; k++) {
        int32_t s = tr->selected ? tr->selected[k] : 1;
        if (s != 0 && s != 1)
            return socind__fail_row(SOCIND_ERR_DATA, k,
                                    "selected[%zu] is %d; a selection flag must be 0 or 1", k,
                                    (int)s);
        double a = tr->amount;
        if (tr->n_codes > 0) {
            int32_t c = tr->code[k];
            if (c < -1 || c >= tr->n_codes)
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "code[%zu] is %d; codes must lie in [-1, %d)", k, (int)c,
                                        (int)tr->n_codes);
            a = c < 0 ? NAN : tr->amounts[c];
        }
        if (!s || isnan(a)) {
            t[k] = 0.0;
            continue;
        }
        double m = 1.0;
        if (tr->per == SOCIND_TRANSFER_PER_HOUSEHOLD) {
            m = tr->household_size[k];
            if (!(m > 0.0) || isinf(m))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "household_size[%zu] is %g; a selected household's size "
                                        "must be finite and > 0",
                                        k, m);
        }
        t[k] = a / m;
        if (isinf(t[k])) /* a size so small (1e-320) that a/m leaves the doubles */
            return socind__fail_row(SOCIND_ERR_DATA, k,
                                    "row %zu's transfer, amount %g over household_size %g, "
                                    "leaves the double range",
                                    k, a, m);
    }
    return SOCIND_OK;
}

int32_t socind_transfer_amounts(const socind_design *design, const socind_transfer *transfer,
                                double *t) {
    socind__clear_detail();
    if (!t) return socind__fail(SOCIND_ERR_NULL, "t is NULL");
    if (!design) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    const size_t n = design->n;
    int32_t st =
        transfer ? transfer_check(transfer) : socind__fail(SOCIND_ERR_NULL, "transfer is NULL");
    if (!st) st = transfer_rows(transfer, n, t);
    if (st)
        for (size_t k = 0; k < n; k++) t[k] = NAN;
    return st;
}

/* ---- the simulation ---- */

typedef struct {
    const socind_design *d;
    const double *y, *y2, *t;
    const double *lines; /* PER_ROW, else NULL */
    double z;            /* ABSOLUTE, or the relative line's estimate on y */
    int incl;
    /* a relative line: each PSU's total of the line's influence,
       Z[p] = Σ_{k∈p} w·u_z (poverty_line.c's own estimate, the one
       socind_fgt uses), N̂·f̂(z) on the whole sample from the same pass (NaN:
       none), and the density machinery of poverty_line.c
       (socind__line_density) over y and over y' */
    const double *Z;
    double fz_full;
    pctx py, py2;
    int dex;          /* py and py2 read y and y' times 2^−dex (incomes near the
                         ends of the double range: their moments stay in it) */
    double *ys, *y2s; /* those copies when dex != 0 */
    socind_options o;
    socind__work wk;
    socind__gini_work *gw; /* the Gini's work space, kept across domains */
} sim;

/* h_α(y; z) of poverty.h (0^0 = 1) */
static inline double fgt_h(double y, double z, double alpha, int incl) {
    int poor = incl ? y <= z : y < z;
    if (!poor) return 0.0;
    if (alpha == 0.0) return 1.0;
    double g = (z - y) / z;
    return alpha == 1.0 ? g : alpha == 2.0 ? g * g : pow(g, alpha);
}

static inline int poor_of(double y, double z, int incl) {
    return incl ? y <= z : y < z;
}

/* A change (or ratio) estimate whose inputs are undefined: NaN with status
 * st, n and weight_sum of the baseline estimate b. */
static void undefined_from(const sim *s, socind_estimate *e, int32_t st, const socind_estimate *b) {
    socind__estimate_undefined(e, st, b->n, b->weight_sum, s->d->df);
}

/* The variance of the PSU sums in s->wk into e (value set), then its
 * interval (a proportion's when is_prop). */
static void finish_ci(sim *s, socind_estimate *e, double value, int64_t n, double wsum,
                      int is_prop) {
    double var;
    int ez; /* (the per-cost figures are in inverse currency) */
    int32_t st = socind__work_variance_at(&s->wk, &var, &ez);
    socind__estimate_nan(e, SOCIND_OK);
    e->value = value;
    e->n = n;
    e->weight_sum = wsum;
    if (st) {
        e->status = st;
        e->se = NAN;
    } else {
        e->se = ldexp(sqrt(var), ez);
    }
    socind__fill_ci(e, &s->o, s->d->df, is_prop);
}

static void finish(sim *s, socind_estimate *e, double value, int64_t n, double wsum) {
    finish_ci(s, e, value, n, wsum, 0);
}

/* The line of row k (NaN: the row leaves the estimate). */
static inline double line_of(const sim *s, size_t k) {
    return s->lines ? s->lines[k] : s->z;
}

/* The rule of a component: a relative line's term reaches every PSU (every
 * stratum counts, as poverty.h's relative lines); else the estimate's own. */
static void rule(sim *s, int32_t dflt) {
    socind__work_rule(&s->wk, &s->o, s->Z ? SOCIND_DOMAIN_RULE_FULL : dflt);
    if (s->Z) s->wk.full = 1;
    /* convey's measures (the FULL ones, as socind_fgt) give rows of negative
       calibrated weight a linearized value of 0; survey's totals do not */
    s->wk.drop_negative = dflt == SOCIND_DOMAIN_RULE_FULL;
}

/* Adds coef·Z[p]/div into the PSU sums (a relative line's term), the
 * division last (a per-cost figure's coef/C alone may leave the doubles):
 * O(PSUs). */
static void line_term(sim *s, double coef, double div) {
    if (!s->Z || coef == 0.0) return;
    for (size_t p = 0; p < s->d->npsu; p++)
        if (s->Z[p] != 0.0) *socind__touch(&s->wk, (int32_t)p) += (coef * s->Z[p]) / div;
}

/* ∂(Σ_d w·h_α(y; z))/∂z over domain j for incomes x (y or y'), the
 * derivative poverty.h's relative lines use: for α = 0 N̂_d·f̂_d(z), the
 * library's kernel density of x on the domain at the line; for α > 0
 * Σ w α g^(α−1) x/z² over the poor (rows at the line contribute none). */
static double dsum_dz(sim *s, pctx *pc, const double *x, const socind__groups *g, int32_t j,
                      double alpha) {
    const size_t ng = socind__group_size(g, j);
    if (alpha == 0.0) {
        /* as poverty.c: the line's pass's N̂·f̂(z) on the whole sample of y,
           else the domain's; no density (every income equal) adds nothing */
        const socind__span r = socind__group_span(g, j);
        double fN = r.all && pc == &s->py && !isnan(s->fz_full)
                        ? s->fz_full
                        : ldexp(socind__line_density(pc, r, ldexp(s->z, -s->dex)), -s->dex);
        return isnan(fN) ? 0.0 : fN;
    }
    const double *w = s->d->w, z = s->z;
    socind__ksum D = {0, 0};
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        double xk = x[k];
        if (isnan(xk) || !poor_of(xk, z, s->incl) || xk == z) continue;
        double gk = (z - xk) / z;
        socind__kadd(&D, w[k] * alpha * (alpha == 1.0 ? 1.0 : pow(gk, alpha - 1.0)) * (xk / z));
    }
    return socind__kval(&D) / z;
}

/* A relative line: P_α (or the number of poor) of incomes x (y or y') in
 * domain j against the line held at its baseline estimate, its SE carrying
 * the line's influence: u = (h_α(x) − P)/N̂_d + (∂P/∂z)·u_z (count:
 * 1[x poor] + ∂/∂z·u_z). a holds socind_fgt's (socind_poor_count's)
 * figures on x against the fixed line; its SE and interval are replaced. */
static void fixed_relative(sim *s, pctx *pc, const double *x, const socind__groups *g, int32_t j,
                           double alpha, int count, socind_estimate *a) {
    if (!s->Z || isnan(a->value)) return;
    const size_t ng = socind__group_size(g, j);
    const double *w = s->d->w, N = a->weight_sum, P = a->value;
    double dz = dsum_dz(s, pc, x, g, j, count ? 0.0 : alpha);
    rule(s, count ? SOCIND_DOMAIN_RULE_SUBSET : SOCIND_DOMAIN_RULE_FULL);
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        if (isnan(x[k])) continue;
        double u = count ? (double)poor_of(x[k], s->z, s->incl)
                         : (fgt_h(x[k], s->z, alpha, s->incl) - P) / N;
        *socind__touch(&s->wk, s->d->row_psu[k]) += w[k] * u;
    }
    line_term(s, dz, count ? 1.0 : N);
    int32_t st0 = a->status;
    finish_ci(s, a, P, a->n, N, !count && alpha == 0.0);
    if (st0 != SOCIND_OK && a->status == SOCIND_OK) a->status = st0;
}

/* The ratios per cost unit divide by |C|, so that their sign is that of
 * the fall in poverty whichever way the money moves (a levy, C < 0, that
 * raises poverty gives negative figures): −unit·Δ/|C| = −(unit·sgn C)·Δ/C,
 * and its linearization is −unit/C's with unit·sgn C in place of unit
 * (sgn C is constant near the estimate). */
static double signed_unit(double unit, double C) {
    return C < 0.0 ? -unit : unit;
}

/* ΔP_α and R_α of domain j. */
static void fgt_change(sim *s, const socind__groups *g, int32_t j, double alpha,
                       const socind_estimate *b, const socind_estimate *a,
                       const socind_estimate *cost, double unit, socind_estimate *ch,
                       socind_estimate *per) {
    const size_t ng = socind__group_size(g, j);
    const double *w = s->d->w;
    if (isnan(b->value) || isnan(a->value)) {
        int32_t st = isnan(b->value) ? b->status : a->status;
        undefined_from(s, ch, st, b);
        undefined_from(s, per, st, b);
        return;
    }
    const double dP = a->value - b->value, N = b->weight_sum;
    /* a relative line: ∂ΔP/∂z = (∂P'/∂z − ∂P/∂z) */
    const double dz =
        s->Z ? (dsum_dz(s, &s->py2, s->y2, g, j, alpha) - dsum_dz(s, &s->py, s->y, g, j, alpha)) / N
             : 0.0;
    rule(s, SOCIND_DOMAIN_RULE_FULL);
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        double z = line_of(s, k);
        if (isnan(s->y[k]) || isnan(z)) continue;
        double u =
            (fgt_h(s->y2[k], z, alpha, s->incl) - fgt_h(s->y[k], z, alpha, s->incl) - dP) / N;
        *socind__touch(&s->wk, s->d->row_psu[k]) += w[k] * u;
    }
    line_term(s, dz, 1.0);
    finish(s, ch, dP, b->n, N);
    /* R = −unit·ΔP/|C|: the sign of −ΔP (a levy's C < 0: unit_signed < 0) */
    if (isnan(cost->value) || cost->value == 0.0) {
        undefined_from(s, per, isnan(cost->value) ? cost->status : SOCIND_ERR_DATA, b);
        return;
    }
    const double C = cost->value;
    unit = signed_unit(unit, C);
    const double R = -unit * (dP / C) + 0.0;       /* (+0: no −0) */
    if (!isfinite(R) || (R == 0.0 && dP != 0.0)) { /* beyond the doubles, or below them */
        undefined_from(s, per, SOCIND_ERR_OVERFLOW, b);
        return;
    }
    rule(s, SOCIND_DOMAIN_RULE_FULL);
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        double z = line_of(s, k), udp = 0.0;
        if (!isnan(s->y[k]) && !isnan(z))
            udp = (fgt_h(s->y2[k], z, alpha, s->incl) - fgt_h(s->y[k], z, alpha, s->incl) - dP) / N;
        double u = -unit * (udp / C - (dP / C) * (s->t[k] / C)); /* (C² may leave the doubles) */
        *socind__touch(&s->wk, s->d->row_psu[k]) += w[k] * u;
    }
    line_term(s, -unit * dz, C);
    finish(s, per, R, b->n, N);
}

/* ΔN_poor and L of domain j. */
static void poor_change(sim *s, const socind__groups *g, int32_t j, const socind_estimate *b,
                        const socind_estimate *a, const socind_estimate *cost, double unit,
                        socind_estimate *ch, socind_estimate *per) {
    const size_t ng = socind__group_size(g, j);
    const double *w = s->d->w;
    if (isnan(b->value) || isnan(a->value)) {
        int32_t st = isnan(b->value) ? b->status : a->status;
        undefined_from(s, ch, st, b);
        undefined_from(s, per, st, b);
        return;
    }
    const double dN = a->value - b->value;
    const double dz =
        s->Z ? dsum_dz(s, &s->py2, s->y2, g, j, 0.0) - dsum_dz(s, &s->py, s->y, g, j, 0.0) : 0.0;
    rule(s, SOCIND_DOMAIN_RULE_SUBSET);
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        double z = line_of(s, k);
        if (isnan(s->y[k]) || isnan(z)) continue;
        double u = (double)(poor_of(s->y2[k], z, s->incl) - poor_of(s->y[k], z, s->incl));
        *socind__touch(&s->wk, s->d->row_psu[k]) += w[k] * u;
    }
    line_term(s, dz, 1.0);
    finish(s, ch, dN, b->n, b->weight_sum);
    /* L = −unit·ΔN_poor/|C| */
    if (isnan(cost->value) || cost->value == 0.0) {
        undefined_from(s, per, isnan(cost->value) ? cost->status : SOCIND_ERR_DATA, b);
        return;
    }
    const double C = cost->value;
    unit = signed_unit(unit, C);
    const double L = -unit * (dN / C) + 0.0; /* (+0: no −0) */
    if (!isfinite(L) || (L == 0.0 && dN != 0.0)) {
        undefined_from(s, per, SOCIND_ERR_OVERFLOW, b);
        return;
    }
    rule(s, SOCIND_DOMAIN_RULE_FULL);
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        double z = line_of(s, k), d0 = 0.0;
        if (!isnan(s->y[k]) && !isnan(z))
            d0 = (double)(poor_of(s->y2[k], z, s->incl) - poor_of(s->y[k], z, s->incl));
        double u = -unit * (d0 / C - (dN / C) * (s->t[k] / C)); /* (C² may leave the doubles) */
        *socind__touch(&s->wk, s->d->row_psu[k]) += w[k] * u;
    }
    line_term(s, -unit * dz, C);
    finish(s, per, L, b->n, b->weight_sum);
}

/* ΔGini of domain j: u_G(y') − u_G(y), inequality.c's linearized variable. */
static int32_t gini_change(sim *s, const socind__groups *g, int32_t j, const socind_estimate *b,
                           const socind_estimate *a, socind_estimate *ch) {
    if (isnan(b->value) || isnan(a->value)) {
        undefined_from(s, ch, isnan(b->value) ? b->status : a->status, b);
        return SOCIND_OK;
    }
    socind__work_rule(&s->wk, &s->o, SOCIND_DOMAIN_RULE_SUBSET);
    s->wk.drop_negative = 0; /* as socind_gini */
    double g0, g1;
    int32_t st = socind__gini_psu_totals(s->gw, s->d, s->y, g, j, -1.0, &s->wk, &g0);
    if (!st) st = socind__gini_psu_totals(s->gw, s->d, s->y2, g, j, 1.0, &s->wk, &g1);
    if (st) {
        socind__work_reset(&s->wk);
        return st;
    }
    if (isnan(g0) || isnan(g1)) { /* not reached when both estimates are OK */
        socind__work_reset(&s->wk);
        undefined_from(s, ch, SOCIND_ERR_DATA, b);
        return SOCIND_OK;
    }
    finish(s, ch, a->value - b->value, b->n, b->weight_sum);
    return SOCIND_OK;
}

/* Copies est[0 .. G) to out[j·K + slot]. */
static void place(socind_estimate *out, size_t K, int32_t G, size_t slot,
                  const socind_estimate *est) {
    for (int32_t j = 0; j < G; j++) out[(size_t)j * K + slot] = est[j];
}

/* The estimates out holds: SOCIND_SIM_COUNT of n_alpha (taken into 0 ..
 * SOCIND_SIM_MAX_ALPHA) per domain. */
static size_t count_of(int32_t n_alpha, const int32_t *group, int32_t n_groups) {
    const int32_t na = n_alpha < 0                      ? 0
                       : n_alpha > SOCIND_SIM_MAX_ALPHA ? SOCIND_SIM_MAX_ALPHA
                                                        : n_alpha;
    return (size_t)SOCIND_SIM_COUNT(na) * (size_t)socind__ndomains(group, n_groups);
}

/* A relative line on y, estimated by poverty_line.c as socind_fgt estimates
 * it (socind__line_relative): its value s->z, each PSU's total of its
 * influence Z[p] = Σ_{k∈p} w·u_z (poverty.h: quantile −fraction·(1[y <= Q]
 * − p)/(N̂·f̂(Q)) with the quantile Q itself, f̂ the library's kernel
 * density on the whole sample; mean fraction·(y − μ̂)/N̂) and N̂·f̂ at the
 * line (s->fz_full), in the incomes' units (the pass may scale them by a
 * power of 2 near the ends of the double range). Z: npsu doubles. */
static int32_t relative_line(sim *s, const socind_poverty_line *L, double *Z) {
    const socind_design *d = s->d;
    if (d->cal)
        for (size_t k = 0; k < d->n; k++)
            if (d->w[k] < 0.0)
                return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                        "the calibrated weight of row %zu is %g; a relative line "
                                        "needs weights >= 0 " SOCIND__CAL_POSITIVE_HINT,
                                        k, d->w[k]);
    pctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.y = s->y;
    c.L = *L;
    c.relative = 1;
    c.scan_rows = 2;
    c.fz_full = NAN;
    c.z = NAN;
    c.Z = Z;
    int32_t st = socind__line_relative(&c);
    if (!st) {
        s->z = ldexp(c.z, c.ex);
        if (!(s->z > 0.0) || isinf(s->z))
            st = socind__fail(SOCIND_ERR_DATA,
                              "the relative line is %g; the simulation needs a line > 0", s->z);
    }
    if (!st) {
        for (size_t p = 0; p < d->npsu; p++) Z[p] = ldexp(Z[p], c.ex);
        s->fz_full = ldexp(c.fz_full, -c.ex);
        s->Z = Z;
    }
    free(c.ys), free(c.ls), free(c.pH), free(c.pN), free(c.gy), free(c.gw);
    return st;
}

static int32_t simulate(const socind_design *d, const double *y, const socind_poverty_line *line,
                        const double *alpha, int32_t n_alpha, const socind_transfer *tr,
                        const int32_t *group, int32_t n_groups, const socind_options *opts,
                        socind_estimate *out) {
    const int32_t G = socind__ndomains(group, n_groups);
    const size_t K = count_of(n_alpha, group, n_groups) / (size_t)G;
    const socind__arg args[4] = {{y, "y"}, {line, "line"}, {alpha, "alpha"}, {tr, "transfer"}};
    socind__frame f;
    int32_t st = socind__frame_begin(&f, out, count_of(n_alpha, group, n_groups), d, args, 4);
    if (!st && (n_alpha < 1 || n_alpha > SOCIND_SIM_MAX_ALPHA))
        st = socind__fail(SOCIND_ERR_ARG, "n_alpha is %d; it must lie in 1 .. %d", (int)n_alpha,
                          SOCIND_SIM_MAX_ALPHA);
    for (int32_t a = 0; !st && a < n_alpha; a++)
        if (!(alpha[a] >= 0.0) || isinf(alpha[a]))
            st = socind__fail(SOCIND_ERR_ARG, "alpha[%d] is %g; it must be finite and >= 0", (int)a,
                              alpha[a]);
    socind_poverty_line L;
    if (!st) st = socind__line_validate(d, line, &L);
    if (!st) st = transfer_check(tr);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (st) return socind__frame_end(&f, st, 0, "income");
    const int relative =
        L.type == SOCIND_LINE_RELATIVE_QUANTILE || L.type == SOCIND_LINE_RELATIVE_MEAN;

    const size_t n = d->n;
    double *t = malloc((n ? n : 1) * sizeof *t), *y2 = malloc((n ? n : 1) * sizeof *y2);
    double *Zp = relative ? calloc(d->npsu ? d->npsu : 1, sizeof *Zp) : NULL;
    socind_estimate *e = malloc((size_t)G * sizeof *e);
    sim s;
    memset(&s, 0, sizeof s);
    s.d = d;
    s.y = y;
    s.y2 = y2;
    s.t = t;
    s.lines = L.type == SOCIND_LINE_PER_ROW ? L.lines : NULL;
    s.z = L.value;
    s.incl = L.inclusive;
    s.o = f.o;
    s.fz_full = NAN;
    s.py.d = s.py2.d = d;
    s.py.y = y;
    s.py2.y = y2;
    if (!t || !y2 || !e || (relative && !Zp))
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory (%zu rows)", n);
    if (!st) st = transfer_rows(tr, n, t);
    for (size_t k = 0; !st && k < n; k++) {
        y2[k] = y[k] + t[k];
        if (isfinite(y[k]) && !isfinite(y2[k]))
            st = socind__fail_row(SOCIND_ERR_DATA, k,
                                  "y[%zu] + t = %g + %g leaves the double range", k, y[k], t[k]);
    }
    /* a relative line: estimated on y and held fixed (y' is measured
       against the same line, Lz) */
    socind_poverty_line Lz = L;
    if (!st && relative) {
        st = relative_line(&s, &L, Zp);
        Lz.type = SOCIND_LINE_ABSOLUTE;
        Lz.value = s.z;
    }
    if (!st && relative) {
        /* the densities of y and y' at the line on copies scaled by 2^−dex
           when the incomes lie near the ends of the double range (their
           moments would leave it, and a NaN density was taken as none) */
        double amax = fabs(s.z);
        for (size_t k = 0; k < n; k++) {
            if (isfinite(y[k])) amax = fmax(amax, fabs(y[k]));
            if (isfinite(y2[k])) amax = fmax(amax, fabs(y2[k]));
        }
        s.dex = socind__scale_exponent(amax);
        if (s.dex) {
            s.ys = socind__big_alloc((n ? n : 1) * sizeof *s.ys);
            s.y2s = socind__big_alloc((n ? n : 1) * sizeof *s.y2s);
            if (!s.ys || !s.y2s) {
                st = socind__fail(SOCIND_ERR_NOMEM, "out of memory (%zu rows)", n);
            } else {
                socind__scale_pow2(s.ys, sizeof *s.ys, y, sizeof *y, n, s.dex);
                socind__scale_pow2(s.y2s, sizeof *s.y2s, y2, sizeof *y2, n, s.dex);
                s.py.y = s.ys, s.py2.y = s.y2s;
            }
        }
    }
    const socind_options *o = &f.o;
    /* the before and after estimates: the library's own (with a relative
       line, the figures against the line held at its estimate, their SEs
       with its influence below) */
    for (int32_t a = 0; !st && a < n_alpha; a++) {
        st = socind_fgt(d, y, &Lz, alpha[a], group, n_groups, o, e);
        if (!st) place(out, K, G, (size_t)SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_BEFORE), e);
        if (!st) st = socind_fgt(d, y2, &Lz, alpha[a], group, n_groups, o, e);
        if (!st) place(out, K, G, (size_t)SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_AFTER), e);
    }
    if (!st) st = socind_gini(d, y, group, n_groups, o, e);
    if (!st) place(out, K, G, SOCIND_SIM_GINI_BEFORE, e);
    if (!st) st = socind_gini(d, y2, group, n_groups, o, e);
    if (!st) place(out, K, G, SOCIND_SIM_GINI_AFTER, e);
    if (!st) st = socind_poor_count(d, y, &Lz, group, n_groups, o, e);
    if (!st) place(out, K, G, SOCIND_SIM_POOR_BEFORE, e);
    if (!st) st = socind_poor_count(d, y2, &Lz, group, n_groups, o, e);
    if (!st) place(out, K, G, SOCIND_SIM_POOR_AFTER, e);
    if (!st) st = socind_total(d, t, group, n_groups, o, e);
    if (!st) place(out, K, G, SOCIND_SIM_COST, e);

    /* the paired changes and the ratios */
    if (!st) st = socind__work_init(&s.wk, d, 1);
    if (!st) st = socind__gini_work_new(d, &s.gw);
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        socind_estimate *oj = out + (size_t)j * K;
        const double unit = tr->cost_unit;
        for (int32_t a = 0; a < n_alpha; a++) {
            fgt_change(&s, &f.grp, j, alpha[a], &oj[SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_BEFORE)],
                       &oj[SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_AFTER)], &oj[SOCIND_SIM_COST], unit,
                       &oj[SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_CHANGE)],
                       &oj[SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_PER_UNIT)]);
            fixed_relative(&s, &s.py, y, &f.grp, j, alpha[a], 0,
                           &oj[SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_BEFORE)]);
            fixed_relative(&s, &s.py2, y2, &f.grp, j, alpha[a], 0,
                           &oj[SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_AFTER)]);
        }
        poor_change(&s, &f.grp, j, &oj[SOCIND_SIM_POOR_BEFORE], &oj[SOCIND_SIM_POOR_AFTER],
                    &oj[SOCIND_SIM_COST], unit, &oj[SOCIND_SIM_POOR_CHANGE],
                    &oj[SOCIND_SIM_LIFTED_PER_UNIT]);
        fixed_relative(&s, &s.py, y, &f.grp, j, 0.0, 1, &oj[SOCIND_SIM_POOR_BEFORE]);
        fixed_relative(&s, &s.py2, y2, &f.grp, j, 0.0, 1, &oj[SOCIND_SIM_POOR_AFTER]);
        st = gini_change(&s, &f.grp, j, &oj[SOCIND_SIM_GINI_BEFORE], &oj[SOCIND_SIM_GINI_AFTER],
                         &oj[SOCIND_SIM_GINI_CHANGE]);
    }
    socind__work_free(&s.wk);
    socind__gini_work_free(s.gw);
    free(s.py.gy), free(s.py.gw), free(s.py2.gy), free(s.py2.gw);
    free(s.ys), free(s.y2s);
    free(t);
    free(y2);
    free(Zp);
    free(e);
    /* socind_fgt has refused a call without a usable row (SOCIND_ERR_EMPTY) */
    return socind__frame_end(&f, st, 1, "income");
}

int32_t socind_simulate_transfer(const socind_design *design, const double *y,
                                 const socind_poverty_line *line, const double *alpha,
                                 int32_t n_alpha, const socind_transfer *transfer,
                                 const int32_t *group, int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out) {
    /* replicate designs: every part recomputed with each replicate's weights
       (FGT at α = 0 before and after are proportions) */
    uint32_t prop = 0;
    int32_t parts = 0;
    if (alpha && n_alpha >= 1 && n_alpha <= SOCIND_SIM_MAX_ALPHA) {
        parts = SOCIND_SIM_COUNT(n_alpha);
        for (int32_t a = 0; a < n_alpha; a++)
            if (alpha[a] == 0.0)
                prop |= (1u << SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_BEFORE)) |
                        (1u << SOCIND_SIM_FGT(a, SOCIND_SIM_FGT_AFTER));
    }
    const size_t count = count_of(n_alpha, group, n_groups);
    SOCIND__REPLICATED(
        design, out, count, opts, prop, parts,
        simulate(SOCIND__RV, y, line, alpha, n_alpha, transfer, group, n_groups, opts, SOCIND__RO));
    return simulate(design, y, line, alpha, n_alpha, transfer, group, n_groups, opts, out);
}
