/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/targeting.c — targeting performance of a programme (coverage,
 * exclusion and inclusion errors, leakage, benefit shares by welfare group,
 * the Coady–Grosh–Hoddinott indicator) with design-based SEs. See
 * targeting.h for the definitions and their sources.
 *
 * The call checks every row once (codes, benefits, infinite incomes); when
 * the cut points of the welfare groups are to be estimated or the line is
 * relative, it gathers the whole sample's incomes of positive weight, sorts
 * them, takes the quantiles (quantile.c's rule) and the kernel density at
 * each (density.c), and forms each quantity's influence totals by PSU
 * (whole-sample vectors). Each domain's usable rows are then read into a
 * row table with their totals; each part's linearized value, times w, is
 * summed by PSU into a dense vector, the whole-sample vectors are added
 * with their coefficients (the derivatives of the part's totals in the line
 * or the cut, from the domain's kernel sums), and the design's variance
 * engine (socind__work_variance_dense) gives the SE. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "poverty_internal.h"

#define ITEM_STRIDE (sizeof(socind__item) / sizeof(double))
_Static_assert(sizeof(socind__item) % sizeof(double) == 0, "items are whole doubles");

#define NFIXED SOCIND_TARGETING_SHARE
#define MAXK SOCIND_TARGETING_MAX_RANKS

int32_t socind_targeting_options_init(socind_targeting_options *opts) {
    int32_t st = socind__init_sized(opts, sizeof *opts, "opts");
    if (st) return st;
    opts->cgh_share = 0.4;
    opts->n_ranks = 10;
    return SOCIND_OK;
}

/* The caller's targeting options (NULL: defaults) into *t, checked. */
static int32_t resolve_topts(const socind_targeting_options *in, socind_targeting_options *t) {
    socind_targeting_options_init(t);
    if (!in) return SOCIND_OK;
    int32_t st = socind__check_sized(in, sizeof *in, sizeof *in, "socind_targeting_options");
    if (st) return st;
    *t = *in;
    t->size = sizeof *t;
    if (!(t->cgh_share > 0.0 && t->cgh_share < 1.0))
        return socind__fail(SOCIND_ERR_ARG, "cgh_share must be in (0, 1), got %g", t->cgh_share);
    if (t->n_ranks < 2 || t->n_ranks > MAXK)
        return socind__fail(SOCIND_ERR_ARG, "n_ranks must be in 2 .. %d, got %d", MAXK,
                            (int)t->n_ranks);
    if (t->reserved != 0)
        return socind__fail(SOCIND_ERR_ARG, "socind_targeting_options.reserved must be 0");
    return SOCIND_OK;
}

/* A usable row of the current domain. */
typedef struct {
    double w;
    double poor;  /* 1[poor] */
    double rec;   /* 1[recipient] */
    double ben;   /* its benefit (0 for a non-recipient or an unranked row) */
    int32_t rank; /* 1 .. K, 0 unranked */
    int32_t psu;
    int32_t low; /* in the bottom fraction f */
    int32_t ranked;
} trow;

typedef struct {
    const socind_design *d;
    const double *y, *rec, *ben;
    const int32_t *ranking;
    socind_poverty_line L;
    socind_targeting_options T;
    socind_options o;
    int K, m_low; /* m_low: with a ranking, the bottom groups 1 .. m_low */
    int est_cuts, relative, rule_full;
    double z;               /* a scalar line (absolute, or relative as estimated) */
    double cut[MAXK + 1];   /* q_1 .. q_{K−1} (estimated cuts) */
    double cut_nan;         /* NaN where a cut has no density (its shares' SEs), else 0 */
    double qc;              /* q_f, CGH's cut (estimated cuts) */
    double *Zv;             /* npsu: a relative line's influence totals */
    double *Qv;             /* K × npsu: cut g's at (g − 1)·npsu, q_f's at (K − 1)·npsu */
    double *Sv;             /* npsu: the influence totals of ŝ */
    double fdiv;            /* CGH's divisor ŝ: the population share of its bottom group */
    double *zp;             /* npsu: a part's PSU totals */
    unsigned char *present; /* nstrata */
    trow *rows;             /* a domain's usable rows */
    double *dy, *dw, *dwr, *dwb; /* their incomes, weights, w·R, w·b (kernel sums) */
    socind__work wk;
} tctx;

static void tctx_free(tctx *c) {
    free(c->Zv), free(c->Qv), free(c->Sv), free(c->zp), free(c->present), free(c->rows);
    free(c->dy), free(c->dw), free(c->dwr), free(c->dwb);
    socind__work_free(&c->wk);
}

/* Poor: poverty.h's rule against the row's line. */
static inline int is_poor(const tctx *c, size_t k, double y) {
    double z = c->L.type == SOCIND_LINE_PER_ROW ? c->L.lines[k] : c->z;
    return c->L.inclusive ? y <= z : y < z;
}

/* Every row checked once: incomes, recipient codes, benefits, ranking codes,
 * weights (a calibrated design may hold negative ones). */
static int32_t check_rows(const tctx *c) {
    const socind_design *d = c->d;
    for (size_t k = 0; k < d->n; k++) {
        double y = c->y[k], r = c->rec[k];
        if (isinf(y))
            return socind__fail_row(SOCIND_ERR_DATA, k,
                                    "y[%zu] is %g; incomes must be finite (NaN for missing)", k, y);
        if (!isnan(r) && r != 0.0 && r != 1.0)
            return socind__fail_row(SOCIND_ERR_DATA, k,
                                    "recipient[%zu] is %g; recipient values must be 0, 1 or NaN", k,
                                    r);
        if (c->ben && r == 1.0) {
            double b = c->ben[k];
            if (!isnan(b) && (b < 0.0 || isinf(b)))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "benefit[%zu] is %g; a recipient's benefit must be "
                                        "finite and >= 0 (NaN for missing)",
                                        k, b);
        }
        if (c->ranking) {
            int32_t g = c->ranking[k];
            if (g != -1 && (g < 1 || g > c->K))
                return socind__fail_row(SOCIND_ERR_CODE, k,
                                        "ranking[%zu] is %d; ranking codes must be 1 .. %d or -1 "
                                        "(unranked)",
                                        k, (int)g, c->K);
        }
        if (d->w[k] < 0.0)
            return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                    "the calibrated weight of row %zu is %g; targeting needs "
                                    "weights >= 0 " SOCIND__CAL_POSITIVE_HINT,
                                    k, d->w[k]);
    }
    return SOCIND_OK;
}

/* N̂·f̂ at x[0], x[1] over the rows rs with bandwidth h (0 when they hold no
 * weight). */
static void kernel_at(const socind__rowset *rs, double W, double h, const double x[2],
                      double F[2]) {
    F[0] = F[1] = 0.0;
    if (!(W > 0.0)) return;
    socind__kernel_sums(rs, x, h, W, 1, F, NULL);
    if (isinf(x[1])) F[1] = 0.0;
}

/* The whole sample: a relative line (c->z, c->Zv) and the estimated cut
 * points (c->cut, c->qc, c->Qv). */
static int32_t whole_sample(tctx *c) {
    const socind_design *d = c->d;
    const size_t P = d->npsu;
    socind__item *it = socind__big_alloc((d->n ? d->n : 1) * sizeof *it);
    if (!it) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the incomes");
    size_t m = 0;
    for (size_t k = 0; k < d->n; k++) {
        if (isnan(c->y[k]) || !(d->w[k] > 0.0)) continue;
        it[m].y = c->y[k] + 0.0;
        it[m].w = d->w[k];
        it[m].psu = d->row_psu[k];
        it[m].row = (uint32_t)k;
        m++;
    }
    int32_t st = SOCIND_OK;
    if (m == 0) {
        free(it);
        return socind__fail(SOCIND_ERR_EMPTY, "no income with a positive weight");
    }
    if ((st = socind__sort_items(it, m))) {
        free(it);
        return st;
    }
    double N, Y;
    socind__items_totals(it, m, &N, &Y);
    const socind__rowset rs = {&it[0].y, &it[0].w, ITEM_STRIDE, NULL, m};
    socind__moments mo;
    socind__moments_of(&rs, &mo);
    const double h = socind__bandwidth(&mo);
    if (c->relative) {
        const double frac = c->L.value;
        if (c->L.type == SOCIND_LINE_RELATIVE_MEAN) {
            double mu = Y / N;
            c->z = frac * mu;
            for (size_t i = 0; i < m; i++) c->Zv[it[i].psu] += it[i].w * frac * (it[i].y - mu) / N;
        } else {
            const double p = c->L.quantile, Q = socind__wq_sorted(it, m, N, p);
            double F[2] = {0.0, 0.0};
            const double x[2] = {Q, INFINITY};
            if (h > 0.0) kernel_at(&rs, N, h, x, F);
            if (!(F[0] > 0.0)) {
                free(it);
                return h > 0.0 ? socind__fail(SOCIND_ERR_DATA,
                                              "the income density at the line's quantile is 0")
                               : socind__no_bandwidth(&mo, "the line's quantile");
            }
            c->z = frac * Q;
            for (size_t i = 0; i < m; i++)
                c->Zv[it[i].psu] += it[i].w * (-frac * ((it[i].y <= Q ? 1.0 : 0.0) - p) / F[0]);
        }
    }
    if (c->est_cuts) {
        const int K = c->K;
        /* cuts 1 .. K − 1, then q_f in slot K */
        double pr[MAXK + 1], q[MAXK + 1], F[MAXK + 2];
        for (int g = 1; g < K; g++) pr[g] = (double)g / (double)K;
        pr[K] = c->T.cgh_share;
        for (int g = 1; g <= K; g++) q[g] = socind__wq_sorted(it, m, N, pr[g]);
        if (!(h > 0.0) && socind__no_bandwidth_status(&mo) == SOCIND_ERR_OVERFLOW) {
            free(it);
            return socind__no_bandwidth(&mo, "the welfare groups' cuts");
        }
        for (int g = 1; g <= K; g += 2) {
            const double x[2] = {q[g], g + 1 <= K ? q[g + 1] : INFINITY};
            double Fx[2] = {0.0, 0.0};
            if (h > 0.0) kernel_at(&rs, N, h, x, Fx);
            F[g] = Fx[0];
            F[g + 1] = Fx[1];
        }
        for (int g = 1; g <= K; g++) {
            if (!(F[g] > 0.0)) {
                /* no density at a cut (every income equal, or none near
                   it): the shares and CGH, whose SEs need it, are
                   SOCIND_ERR_DATA (their values kept) — all of them, though
                   each uses one or two cuts: in practice only equal incomes
                   lead here, where every cut lacks it; the rest stands */
                c->cut_nan = NAN;
                continue;
            }
            double *V = c->Qv + (size_t)(g - 1) * P;
            for (size_t i = 0; i < m; i++)
                V[it[i].psu] += it[i].w * (-((it[i].y <= q[g] ? 1.0 : 0.0) - pr[g]) / F[g]);
        }
        for (int g = 1; g < K; g++) c->cut[g] = q[g];
        c->qc = q[K];
        /* CGH's divisor ŝ, the whole sample's share at or below q_f (f up
           to ties and the row at the cut), and its influence totals: the
           count's (1[y <= q_f] − ŝ)/N̂ plus the cut's (N̂·f̂(q_f)/N̂)·u_{q_f} =
           −(1[y <= q_f] − f)/N̂, that is (f − ŝ)/N̂ (0 when ŝ = f) */
        socind__ksum Nl = {0, 0};
        for (size_t i = 0; i < m && it[i].y <= q[K]; i++) socind__kadd(&Nl, it[i].w);
        c->fdiv = socind__kval(&Nl) / N;
        for (size_t i = 0; i < m; i++) c->Sv[it[i].psu] += it[i].w * (c->T.cgh_share - c->fdiv) / N;
    }
    free(it);
    return SOCIND_OK;
}

/* With a ranking: ŝ = Σ w 1[rank <= m] / Σ w over every ranked row of the
 * sample (whatever its income or recipient value), the population share of
 * groups 1 .. m, and its influence totals by PSU, (1[rank <= m] − ŝ)/N̂_r,
 * into c->Sv. NaN when no row is ranked, +Inf when the weights' sums leave
 * the doubles. */
static double ranked_share(tctx *c) {
    const socind_design *d = c->d;
    socind__ksum Nr = {0, 0}, Nl = {0, 0};
    for (size_t k = 0; k < d->n; k++) {
        const int32_t g = c->ranking[k];
        if (g < 1) continue;
        socind__kadd(&Nr, d->w[k]);
        if (g <= c->m_low) socind__kadd(&Nl, d->w[k]);
    }
    const double N = socind__kval(&Nr), NL = socind__kval(&Nl);
    if (!isfinite(N) || !isfinite(NL)) return INFINITY; /* weights near 1e308 */
    if (!(N > 0.0)) return NAN;
    const double s = NL / N;
    for (size_t k = 0; k < d->n; k++) {
        const int32_t g = c->ranking[k];
        if (g < 1) continue;
        c->Sv[d->row_psu[k]] += d->w[k] * ((g <= c->m_low ? 1.0 : 0.0) - s) / N;
    }
    return s;
}

/* The welfare group of an income against the estimated cuts. */
static inline int32_t rank_of(const tctx *c, double y) {
    int32_t g = 1;
    while (g < c->K && y > c->cut[g]) g++;
    return g;
}

/* a and b of part `part` for a row, the part being Σ w a / Σ w b (g: the
 * welfare group of a share; f: CGH's divisor, c->fdiv) */
static inline void part_ab(int part, int g, double f, const trow *r, double *a, double *b) {
    switch (part) {
    case SOCIND_TARGETING_COVERAGE:
        *a = r->rec * r->poor, *b = r->poor;
        break;
    case SOCIND_TARGETING_LEAKAGE:
        *a = r->rec * (1.0 - r->poor), *b = r->rec;
        break;
    case SOCIND_TARGETING_INCLUSION:
        *a = r->rec * (1.0 - r->poor), *b = 1.0 - r->poor;
        break;
    case SOCIND_TARGETING_CGH:
        *a = r->low ? r->ben / f : 0.0, *b = r->ben;
        break;
    default: /* share of group g */
        *a = r->rank == g ? r->ben : 0.0, *b = r->ben;
        break;
    }
}

/* One part of a domain over its nd rows: the ratio Σ w a / Σ w b, its
 * linearized value plus ng whole-sample vectors V[i] times coef[i] (ng = 0:
 * none; a NaN coefficient: no density, status SOCIND_ERR_DATA), the
 * variance, and the interval. sign −1 gives 1 − the ratio (exclusion). n is
 * the estimate's row count; nci, the rows of the ratio's denominator set
 * (the poor, the recipients, the non-poor), the n a proportion's interval
 * takes (survey's svyciprop on that subset). */
static void part_estimate(tctx *c, int part, int g, size_t nd, int ng, const double *const *V,
                          const double *coef, int is_prop, double sign, int64_t n, int64_t nci,
                          double Nd, socind_estimate *e) {
    const socind_design *d = c->d;
    const double f = c->fdiv;
    if (part == SOCIND_TARGETING_CGH && !(f > 0.0 && f < INFINITY)) {
        /* no ranked row in groups 1 .. m, or (+Inf) weights whose sums leave the doubles */
        socind__estimate_undefined(e, isinf(f) ? SOCIND_ERR_OVERFLOW : SOCIND_ERR_DATA, n, Nd,
                                   d->df);
        return;
    }
    socind__ksum A = {0, 0}, B = {0, 0};
    for (size_t i = 0; i < nd; i++) {
        double a, b;
        part_ab(part, g, f, &c->rows[i], &a, &b);
        socind__kadd(&A, c->rows[i].w * a);
        socind__kadd(&B, c->rows[i].w * b);
    }
    const double At = socind__kval(&A), Bt = socind__kval(&B);
    if (!isfinite(At) || !isfinite(Bt)) { /* (benefits or weights near 1e308) */
        socind__estimate_undefined(e, SOCIND_ERR_OVERFLOW, n, Nd, d->df);
        return;
    }
    if (!(Bt > 0.0)) {
        socind__estimate_undefined(e, SOCIND_ERR_DATA, n, Nd, d->df);
        return;
    }
    const double R = At / Bt, value = sign > 0 ? R : 1.0 - R;
    for (int i = 0; i < ng; i++)
        if (isnan(coef[i])) {
            socind__estimate_undefined(e, SOCIND_ERR_DATA, n, Nd, d->df);
            e->value = value;
            return;
        }
    memset(c->zp, 0, d->npsu * sizeof *c->zp);
    for (size_t i = 0; i < nd; i++) {
        double a, b;
        part_ab(part, g, f, &c->rows[i], &a, &b);
        c->zp[c->rows[i].psu] += sign * c->rows[i].w * (a - R * b) / Bt;
    }
    for (int i = 0; i < ng; i++) {
        if (coef[i] == 0.0) continue;
        const double s = sign * coef[i];
        for (size_t p = 0; p < d->npsu; p++) c->zp[p] += s * V[i][p];
    }
    c->wk.full = ng > 0 ? 1 : c->rule_full;
    double var;
    int32_t vst = socind__work_variance_dense(&c->wk, c->zp, c->present, &var);
    socind__estimate_nan(e, vst);
    e->value = value;
    e->se = vst ? NAN : sqrt(var);
    e->n = nci;
    e->weight_sum = Nd;
    socind__fill_ci(e, &c->o, d->df, is_prop);
    e->n = n;
}

/* Domain j: its rows, totals, kernel sums and parts into out[0 .. COUNT). */
static int32_t domain_parts(tctx *c, const socind__groups *grp, int32_t j, socind_estimate *out,
                            int64_t *used) {
    const socind_design *d = c->d;
    const int K = c->K;
    const size_t ng = socind__group_size(grp, j);
    size_t nd = 0;
    int64_t nranked = 0;
    socind__ksum Nk = {0, 0}, Nr = {0, 0};
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(grp, j, i);
        double y = c->y[k], r = c->rec[k];
        if (isnan(y) || isnan(r)) continue;
        if (c->L.type == SOCIND_LINE_PER_ROW && isnan(c->L.lines[k])) continue;
        /* a recipient's missing benefit: in the four rates, out of the
           shares and CGH (as an unranked row) */
        double b = r == 1.0 ? (c->ben ? c->ben[k] : 1.0) : 0.0;
        const int has_b = !isnan(b);
        trow *t = &c->rows[nd];
        t->w = d->w[k];
        t->poor = is_poor(c, k, y) ? 1.0 : 0.0;
        t->rec = r;
        t->psu = d->row_psu[k];
        if (c->ranking) {
            int32_t g = c->ranking[k];
            t->ranked = g >= 1 && has_b;
            t->rank = t->ranked ? g : 0;
            t->low = t->ranked && g <= c->m_low;
        } else {
            t->ranked = has_b;
            t->rank = t->ranked ? rank_of(c, y) : 0;
            t->low = t->ranked && y <= c->qc;
        }
        t->ben = t->ranked ? b : 0.0;
        c->dy[nd] = y;
        c->dw[nd] = t->w;
        c->dwr[nd] = t->w * r;
        c->dwb[nd] = t->w * t->ben;
        c->present[d->psu_stratum[t->psu]] = 1;
        socind__kadd(&Nk, t->w);
        if (t->ranked) {
            nranked++;
            socind__kadd(&Nr, t->w);
        }
        nd++;
    }
    *used += (int64_t)nd;
    const double Nd = socind__kval(&Nk), Nrk = socind__kval(&Nr);
    const size_t COUNT = (size_t)SOCIND_TARGETING_COUNT(K);
    if (nd == 0) {
        for (size_t k = 0; k < COUNT; k++)
            socind__estimate_undefined(&out[k], SOCIND_ERR_EMPTY_DOMAIN, 0, 0.0, d->df);
        return SOCIND_OK;
    }
    /* the domain's kernel sums, where a line or a cut is estimated */
    double Fz = 0.0, FRz = 0.0, Db[MAXK + 2];
    int have_h = 1;
    if (c->relative || c->est_cuts) {
        const socind__rowset rw = {c->dy, c->dw, 1, NULL, nd}, rr = {c->dy, c->dwr, 1, NULL, nd},
                             rb = {c->dy, c->dwb, 1, NULL, nd};
        socind__moments mo;
        socind__moments_of(&rw, &mo);
        const double h = socind__bandwidth(&mo);
        have_h = h > 0.0;
        if (have_h && c->relative) {
            socind__ksum Wr = {0, 0};
            for (size_t i = 0; i < nd; i++) socind__kadd(&Wr, c->dwr[i]);
            const double x[2] = {c->z, INFINITY};
            double F[2];
            kernel_at(&rw, mo.n, h, x, F);
            Fz = F[0];
            kernel_at(&rr, socind__kval(&Wr), h, x, F);
            FRz = F[0];
        }
        if (have_h && c->est_cuts) {
            socind__ksum Wb = {0, 0};
            for (size_t i = 0; i < nd; i++) socind__kadd(&Wb, c->dwb[i]);
            const double Wbt = socind__kval(&Wb);
            double x[MAXK + 2];
            for (int g = 1; g < K; g++) x[g] = c->cut[g];
            x[K] = c->qc;
            for (int g = 1; g <= K; g += 2) {
                const double xx[2] = {x[g], g + 1 <= K ? x[g + 1] : INFINITY};
                double F[2];
                kernel_at(&rb, Wbt, h, xx, F);
                Db[g] = F[0];
                Db[g + 1] = F[1];
            }
        }
    }
    /* the totals the coefficients divide by */
    socind__ksum Pk = {0, 0}, Rk = {0, 0}, NPk = {0, 0}, Bk = {0, 0};
    int64_t npoor = 0, nrec = 0, nrecr = 0; /* the proportions' denominator sets */
    for (size_t i = 0; i < nd; i++) {
        const trow *t = &c->rows[i];
        npoor += t->poor == 1.0;
        nrec += t->rec == 1.0;
        nrecr += t->rec == 1.0 && t->ranked;
        socind__kadd(&Pk, t->w * t->poor);
        socind__kadd(&Rk, t->w * t->rec);
        socind__kadd(&NPk, t->w * (1.0 - t->poor));
        socind__kadd(&Bk, t->w * t->ben);
    }
    const double Pt = socind__kval(&Pk), Rt = socind__kval(&Rk), NPt = socind__kval(&NPk),
                 Bt = socind__kval(&Bk);
    /* added to each density coefficient: NaN (the part's status becomes
       SOCIND_ERR_DATA) when the domain has no bandwidth */
    const double nan_if = have_h ? 0.0 : NAN;
    /* the four rates; a relative line's term: ∂/∂z of each ratio */
    {
        const double *V[1] = {c->Zv};
        const int nv = c->relative ? 1 : 0;
        double cov = Pt > 0.0 ? 0.0 : NAN, coef;
        if (Pt > 0.0) {
            socind__ksum A = {0, 0};
            for (size_t i = 0; i < nd; i++)
                socind__kadd(&A, c->rows[i].w * c->rows[i].rec * c->rows[i].poor);
            cov = socind__kval(&A) / Pt;
        }
        coef = (FRz - cov * Fz) / Pt + nan_if;
        part_estimate(c, SOCIND_TARGETING_COVERAGE, 0, nd, nv, V, &coef, 1, 1.0, (int64_t)nd, npoor,
                      Nd, &out[SOCIND_TARGETING_COVERAGE]);
        part_estimate(c, SOCIND_TARGETING_COVERAGE, 0, nd, nv, V, &coef, 1, -1.0, (int64_t)nd,
                      npoor, Nd, &out[SOCIND_TARGETING_EXCLUSION]);
        coef = -FRz / Rt + nan_if;
        part_estimate(c, SOCIND_TARGETING_LEAKAGE, 0, nd, nv, V, &coef, 1, 1.0, (int64_t)nd, nrec,
                      Nd, &out[SOCIND_TARGETING_LEAKAGE]);
        double inc = NAN;
        if (NPt > 0.0) {
            socind__ksum A = {0, 0};
            for (size_t i = 0; i < nd; i++)
                socind__kadd(&A, c->rows[i].w * c->rows[i].rec * (1.0 - c->rows[i].poor));
            inc = socind__kval(&A) / NPt;
        }
        coef = (-FRz + inc * Fz) / NPt + nan_if;
        part_estimate(c, SOCIND_TARGETING_INCLUSION, 0, nd, nv, V, &coef, 1, 1.0, (int64_t)nd,
                      (int64_t)nd - npoor, Nd, &out[SOCIND_TARGETING_INCLUSION]);
    }
    /* CGH and the shares; estimated cuts' terms: ∂/∂q of their totals */
    {
        const size_t P = d->npsu;
        const int share_prop = c->ben == NULL;
        double coef[2];
        const double *V[2];
        /* ŝ's term: −(CGH/ŝ)·u_ŝ */
        double low = 0.0;
        if (Bt > 0.0 && c->fdiv > 0.0) {
            socind__ksum A = {0, 0};
            for (size_t i = 0; i < nd; i++)
                if (c->rows[i].low) socind__kadd(&A, c->rows[i].w * c->rows[i].ben);
            low = socind__kval(&A) / Bt;
        }
        V[0] = c->Sv;
        coef[0] = -low / (c->fdiv * c->fdiv);
        int nv = 1;
        if (c->est_cuts) { /* q_f's term in the benefits */
            V[1] = c->Qv + (size_t)(K - 1) * P;
            coef[1] = Db[K] / (Bt * c->fdiv) + nan_if + c->cut_nan;
            nv = 2;
        }
        part_estimate(c, SOCIND_TARGETING_CGH, 0, nd, nv, V, coef, 0, 1.0, nranked, nranked, Nrk,
                      &out[SOCIND_TARGETING_CGH]);
        for (int g = 1; g <= K; g++) {
            int m = 0;
            if (c->est_cuts) {
                if (g < K) {
                    V[m] = c->Qv + (size_t)(g - 1) * P;
                    coef[m++] = Db[g] / Bt + nan_if + c->cut_nan;
                }
                if (g > 1) {
                    V[m] = c->Qv + (size_t)(g - 2) * P;
                    coef[m++] = -Db[g - 1] / Bt + nan_if + c->cut_nan;
                }
            }
            part_estimate(c, SOCIND_TARGETING_SHARE + g - 1, g, nd, m, V, coef, share_prop, 1.0,
                          nranked, share_prop ? nrecr : nranked, Nrk,
                          &out[SOCIND_TARGETING_SHARE + g - 1]);
        }
    }
    memset(c->present, 0, d->nstrata * sizeof *c->present);
    return SOCIND_OK;
}

static int32_t drive(const socind_design *d, const double *y, const socind_poverty_line *line,
                     const double *recipient, const double *benefit, const int32_t *ranking,
                     const int32_t *group, int32_t n_groups, const socind_targeting_options *T,
                     const socind_options *opts, socind_estimate *out) {
    const int32_t G = socind__ndomains(group, n_groups);
    const size_t COUNT = (size_t)SOCIND_TARGETING_COUNT(T->n_ranks);
    socind__frame f;
    const socind__arg args[3] = {{y, "y"}, {line, "line"}, {recipient, "recipient"}};
    tctx c;
    memset(&c, 0, sizeof c);
    int64_t used = 0;
    int32_t st = socind__frame_begin(&f, out, (size_t)G * COUNT, d, args, 3);
    if (!st) st = socind__line_validate(d, line, &c.L);
    if (!st) {
        c.d = d, c.y = y, c.rec = recipient, c.ben = benefit, c.ranking = ranking;
        c.T = *T;
        c.K = T->n_ranks;
        c.relative =
            c.L.type == SOCIND_LINE_RELATIVE_QUANTILE || c.L.type == SOCIND_LINE_RELATIVE_MEAN;
        c.est_cuts = ranking == NULL;
        c.z = c.L.type == SOCIND_LINE_ABSOLUTE ? c.L.value : NAN;
        if (ranking) {
            double mf = T->cgh_share * (double)c.K;
            c.m_low = (int)floor(mf + 0.5);
            if (fabs(mf - c.m_low) > 1e-9 || c.m_low < 1)
                st = socind__fail(SOCIND_ERR_ARG,
                                  "with a ranking of %d groups, cgh_share × %d must be a whole "
                                  "number of groups, got %g",
                                  c.K, c.K, mf);
        }
    }
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) {
        c.o = f.o;
        st = check_rows(&c);
    }
    if (!st) {
        const size_t P = d->npsu, n = d->n ? d->n : 1;
        c.zp = calloc(P, sizeof *c.zp);
        c.present = calloc(d->nstrata, 1);
        c.rows = malloc(n * sizeof *c.rows);
        c.dy = malloc(n * sizeof *c.dy);
        c.dw = malloc(n * sizeof *c.dw);
        c.dwr = malloc(n * sizeof *c.dwr);
        c.dwb = malloc(n * sizeof *c.dwb);
        if (c.relative) c.Zv = calloc(P, sizeof *c.Zv);
        if (c.est_cuts) c.Qv = calloc((size_t)c.K * P, sizeof *c.Qv);
        c.Sv = calloc(P, sizeof *c.Sv);
        if (!c.zp || !c.present || !c.rows || !c.dy || !c.dw || !c.dwr || !c.dwb ||
            (c.relative && !c.Zv) || (c.est_cuts && !c.Qv) || !c.Sv)
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        if (!st) st = socind__work_init(&c.wk, d, 1);
        if (!st) {
            socind__work_rule(&c.wk, &f.o, SOCIND_DOMAIN_RULE_SUBSET);
            c.rule_full = c.wk.full;
        }
    }
    if (!st && (c.relative || c.est_cuts)) st = whole_sample(&c);
    if (!st && !c.est_cuts) c.fdiv = ranked_share(&c);
    for (int32_t j = 0; !st && j < G; j++)
        st = domain_parts(&c, &f.grp, j, out + (size_t)j * COUNT, &used);
    tctx_free(&c);
    return socind__frame_end(&f, st, used, "income or recipient value");
}

int32_t socind_targeting(const socind_design *design, const double *y,
                         const socind_poverty_line *line, const double *recipient,
                         const double *benefit, const int32_t *ranking, const int32_t *group,
                         int32_t n_groups, const socind_targeting_options *topts,
                         const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    socind_targeting_options T;
    int32_t st = resolve_topts(topts, &T);
    if (st) return st;
    const int32_t K = T.n_ranks, parts = SOCIND_TARGETING_COUNT(K);
    /* the proportions: the four rates, and the shares of recipients */
    uint32_t prop = 0xFu;
    if (!benefit) prop |= ((1u << K) - 1u) << SOCIND_TARGETING_SHARE;
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups) * (size_t)parts, opts,
                       prop, parts,
                       socind_targeting(SOCIND__RV, y, line, recipient, benefit, ranking, group,
                                        n_groups, topts, opts, SOCIND__RO));
    return drive(design, y, line, recipient, benefit, ranking, group, n_groups, &T, opts, out);
}
