/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/change.c — why poverty changed between two independent survey rounds:
 * the growth–redistribution decomposition (Datt & Ravallion 1992; its
 * Shapley form, Shorrocks 2013) and the sectoral decomposition (Ravallion &
 * Huppi 1991), with each component's linearized variable on both rounds'
 * PSUs. See socind/change.h.
 *
 * Every component is built from FGT "terms": a round's FGT(α) over a
 * domain's rows against θ times the round's base line (z, z·r, or the
 * per-row lines), θ a smooth function of the rounds' means. A term's
 * linearized variable is (h − P)/N̂ on its rows plus D·u_{log θ}, D =
 * ∂P/∂log θ (the kernel density of y/line at 1 for α = 0, the library's
 * density.c), u_{log θ} made of the means' influence and, for a relative
 * line, the line's (poverty_line.c's per-PSU totals Z, divided by z). The
 * variables are kept as per-PSU totals of each round; a component's
 * variance is V_1 + V_2 from the design's engine (design.c) with the domain
 * rule FULL, as socind_fgt's. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "poverty_internal.h"

/* ---- one round ---- */
typedef struct {
    const socind_design *d;
    const double *y;
    const double *lines; /* per-row base lines (PER_ROW), or NULL: base */
    double base;         /* the scalar base line (round 1: z; round 2: z·r) */
    socind__groups g;
    socind__work wk;
    int have_wk;
    double df;
    size_t *rows; /* the current domain's usable rows */
    size_t nr;
    int64_t n;           /* their number (weight 0 included) */
    double wsc;          /* the weights' scale: 1, or 2^−64 where Σ |w| over the
                            round leaves the doubles (exact: a power of 2) */
    double N, sum;       /* Σ w (+Inf beyond the doubles), Σ w·wsc·y over them */
    double Ns;           /* Σ w·wsc over them: every ratio's denominator */
    int overflow;        /* Σ w·wsc·y beyond the double range */
    double *h;           /* nr: h_α of the current term */
    double *dx, *dw;     /* rows of positive weight, for the density */
    double *v;           /* npsu: a component's PSU totals */
    socind__psuset dom;  /* the current domain's PSUs, ascending */
    int32_t *dom_tmp;    /* npsu: the sort's scratch */
    socind__basis basis; /* round 1 against a relative line: the line's Zt */
    int have_basis;
} round_t;

static void round_free(round_t *r) {
    socind__groups_free(&r->g);
    if (r->have_wk) socind__work_free(&r->wk);
    free(r->rows);
    free(r->h);
    free(r->dx);
    free(r->dw);
    free(r->v);
    free(r->dom.mark);
    free(r->dom.list);
    free(r->dom_tmp);
    if (r->have_basis) socind__basis_free(&r->basis);
    memset(r, 0, sizeof *r);
}

static int32_t round_alloc(round_t *r) {
    const socind_design *d = r->d;
    size_t n = d->n ? d->n : 1;
    r->rows = malloc(n * sizeof *r->rows);
    r->h = malloc(n * sizeof *r->h);
    r->dx = malloc(n * sizeof *r->dx);
    r->dw = malloc(n * sizeof *r->dw);
    const size_t P = d->npsu ? d->npsu : 1;
    r->v = calloc(P, sizeof *r->v);
    r->dom.mark = calloc(P, 1);
    r->dom.list = malloc(P * sizeof *r->dom.list);
    r->dom_tmp = malloc(P * sizeof *r->dom_tmp);
    if (!r->rows || !r->h || !r->dx || !r->dw || !r->v || !r->dom.mark || !r->dom.list ||
        !r->dom_tmp)
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    int32_t st = socind__work_init(&r->wk, d, 1);
    if (st) return st;
    r->have_wk = 1;
    r->wk.full = 1; /* socind_fgt's rule: zeros outside the domain */
    r->df = socind_design_df(d);
    double W = 0.0;
    for (size_t k = 0; k < d->n; k++) W += fabs(d->w[k]);
    r->wsc = isfinite(W) ? 1.0 : ldexp(1.0, -64);
    return SOCIND_OK;
}

/* The usable rows (income and, per row, line not NaN) of domains j0 ..
 * j1 − 1 together, domain by domain, and their PSUs (dom, ascending). */
static void round_rows(round_t *r, int32_t j0, int32_t j1) {
    const double *w = r->d->w;
    size_t nr = 0;
    socind__ksum N = {0, 0}, S = {0, 0};
    socind__psuset_clear(&r->dom);
    for (int32_t j = j0; j < j1; j++) {
        size_t m = socind__group_size(&r->g, j);
        for (size_t i = 0; i < m; i++) {
            size_t k = socind__group_row(&r->g, j, i);
            if (isnan(r->y[k]) || (r->lines && isnan(r->lines[k]))) continue;
            r->rows[nr++] = k;
            socind__psuset_add(&r->dom, r->d->row_psu[k]);
            socind__kadd(&N, w[k] * r->wsc);
            socind__kadd(&S, w[k] * r->wsc * r->y[k]);
        }
    }
    socind__psuset_sort(&r->dom, r->d->npsu, r->dom_tmp);
    r->nr = nr;
    r->n = (int64_t)nr;
    r->Ns = socind__kval(&N);
    r->N = r->Ns / r->wsc;
    r->sum = socind__kval(&S);
    r->overflow = !isfinite(r->Ns) || !isfinite(r->sum);
}

/* The usable rows of domain j. */
static void round_domain(round_t *r, int32_t j) {
    round_rows(r, j, j + 1);
}

/* The usable rows of domains 0 .. K − 1 together (the rows in some sector). */
static void round_union(round_t *r, int32_t K) {
    round_rows(r, 0, K);
}

/* The FGT(α) of the current domain's rows against θ × the base line: P, and
 * D = ∂P/∂log θ when need_D (else 0; NaN when α = 0 and every y/line is
 * equal); adds w(h − P)/N̂ into own[psu] (npsu, the caller's). */
static void term(round_t *r, double theta, double alpha, int inclusive, int need_D, double *P,
                 double *D, double *own) {
    const socind_design *d = r->d;
    const double *w = d->w, *y = r->y, sc = r->wsc;
    socind__ksum H = {0, 0}, Dk = {0, 0};
    size_t nd = 0;
    for (size_t i = 0; i < r->nr; i++) {
        size_t k = r->rows[i];
        const double wk = w[k] * sc;
        double z = theta * (r->lines ? r->lines[k] : r->base);
        double yk = y[k];
        int poor = inclusive ? yk <= z : yk < z;
        double h = 0.0;
        if (poor) {
            double g = (z - yk) / z;
            h = alpha == 0.0 ? 1.0 : pow(g, alpha);
            if (need_D && alpha > 0.0 && yk < z)
                socind__kadd(&Dk, wk * alpha * pow(g, alpha - 1.0) * (yk / z));
        }
        r->h[i] = h;
        socind__kadd(&H, wk * h);
        if (need_D && alpha == 0.0 && wk > 0.0) {
            r->dx[nd] = yk / z;
            r->dw[nd] = wk;
            nd++;
        }
    }
    const double N = r->Ns;
    *P = socind__kval(&H) / N;
    *D = 0.0;
    if (need_D) {
        if (alpha > 0.0) {
            *D = socind__kval(&Dk) / N;
        } else {
            socind__rowset rs = {r->dx, r->dw, 1, NULL, nd};
            socind__moments m;
            socind__moments_of(&rs, &m);
            /* convey's bandwidth σ̂/N̂^(1/5) of the weights as given (N̂ = m.n/wsc) */
            double bw = m.n > 0 ? socind__bandwidth(&m) * pow(sc, 0.2) : NAN;
            if (!(bw > 0.0)) {
                *D = NAN;
            } else {
                double F[2];
                const double pts[2] = {1.0, INFINITY};
                socind__kernel_sums(&rs, pts, bw, m.n, 1, F, NULL);
                *D = F[0] / N;
            }
        }
    }
    if (own)
        for (size_t i = 0; i < r->nr; i++) {
            size_t k = r->rows[i];
            own[d->row_psu[k]] += w[k] * sc * (r->h[i] - *P) / N;
        }
}

/* Adds w(y − μ)/N̂ · scale into own[psu]. */
static void mean_own(const round_t *r, double mu, double scale, double *own) {
    const double *w = r->d->w;
    for (size_t i = 0; i < r->nr; i++) {
        size_t k = r->rows[i];
        own[r->d->row_psu[k]] += w[k] * r->wsc * (r->y[k] - mu) / r->Ns * scale;
    }
}

/* The standard error (the square root of the variance, FULL rule) of PSU
 * totals v of round r, formed at the totals' scale: a mean's totals of
 * incomes near 1e160 square beyond the doubles, near 1e−160 below their
 * digits; totals below 2^−969 are SOCIND_ERR_OVERFLOW. */
static int32_t round_sd(round_t *r, const double *v, double *sd) {
    double var;
    int e;
    const int32_t st = socind__work_variance_dense_at(&r->wk, v, NULL, &var, &e);
    *sd = st ? NAN : ldexp(sqrt(var), e);
    return st;
}

/* The standard error of a component whose PSU totals are v on the
 * domain's PSUs (r->dom; 0 on the others) plus cz·Zt on every PSU (round
 * 1 against a relative line, r->have_basis; cz ignored otherwise): the
 * variance of round_sd in O(the domain's PSUs), the line's term through
 * its per-stratum sums (socind__work_variance_global). */
static int32_t round_sd_dom(round_t *r, const double *v, double cz, double *sd) {
    for (size_t t = 0; t < r->dom.n; t++) {
        const int32_t p = r->dom.list[t];
        *socind__touch(&r->wk, p) = v[p];
    }
    double var;
    int e;
    int32_t st;
    if (r->have_basis) {
        const double coef[SOCIND__NBASIS] = {cz, 0.0, 0.0};
        st = socind__work_variance_global_at(&r->wk, &r->basis, coef, &var, &e);
    } else {
        st = socind__work_variance_at(&r->wk, &var, &e);
    }
    *sd = st ? NAN : ldexp(sqrt(var), e);
    return st;
}

/* Fills e from the value, its SE (hypot of the two rounds') and the
 * rounds' variance status. */
static void fill(socind_estimate *e, double value, double se, int32_t vst, double df, int64_t n,
                 double wsum, const socind_options *o, int is_prop) {
    socind__estimate_nan(e, SOCIND_OK);
    e->value = value;
    e->n = n;
    e->weight_sum = wsum;
    e->se = vst ? NAN : se;
    e->status = vst;
    if (!e->status && (!isfinite(value) || isnan(e->se))) e->status = SOCIND_ERR_DATA;
    if (!e->status && isinf(e->se)) e->status = SOCIND_ERR_OVERFLOW;
    socind__fill_ci(e, o, df, is_prop);
}

/* The checks both decompositions share, before any computation. */
static int32_t check_common(const socind_design *d1, const double *y1, const socind_design *d2,
                            const double *y2, const socind_poverty_line *line, const double *lines2,
                            double ratio, double alpha, socind_poverty_line *L) {
    if (!d1) return socind__fail(SOCIND_ERR_NULL, "design1 is NULL");
    if (!y1) return socind__fail(SOCIND_ERR_NULL, "y1 is NULL");
    if (!d2) return socind__fail(SOCIND_ERR_NULL, "design2 is NULL");
    if (!y2) return socind__fail(SOCIND_ERR_NULL, "y2 is NULL");
    if (!line) return socind__fail(SOCIND_ERR_NULL, "line is NULL");
    if (d1->rep || d2->rep)
        return socind__fail(SOCIND_ERR_ARG, "a replicate design: the change decompositions "
                                            "use linearization (give the designs without "
                                            "replicate weights)");
    if (!(alpha >= 0.0) || isinf(alpha))
        return socind__fail(SOCIND_ERR_ARG, "alpha must be finite and >= 0, got %g", alpha);
    if (!(ratio > 0.0) || isinf(ratio))
        return socind__fail(SOCIND_ERR_ARG, "price_ratio must be finite and > 0, got %g", ratio);
    int32_t st = socind__line_validate(d1, line, L);
    if (st) return st;
    if (L->type == SOCIND_LINE_PER_ROW) {
        if (!lines2)
            return socind__fail(SOCIND_ERR_ARG, "a per-row line needs lines2, round 2's lines");
        for (size_t k = 0; k < d2->n; k++) {
            double z = lines2[k];
            if (!isnan(z) && (!(z > 0.0) || isinf(z)))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "lines2[%zu] (round 2) is %g; lines must be finite and > 0",
                                        k, z);
        }
    }
    size_t k = socind__first_infinite(y1, d1->n, NULL);
    if (k < d1->n)
        return socind__fail_row(SOCIND_ERR_DATA, k,
                                "y1[%zu] (round 1) is %g; incomes must be finite (NaN for missing)",
                                k, y1[k]);
    k = socind__first_infinite(y2, d2->n, NULL);
    if (k < d2->n)
        return socind__fail_row(SOCIND_ERR_DATA, k,
                                "y2[%zu] (round 2) is %g; incomes must be finite (NaN for missing)",
                                k, y2[k]);
    int relative = L->type == SOCIND_LINE_RELATIVE_QUANTILE || L->type == SOCIND_LINE_RELATIVE_MEAN;
    if (relative && d1->cal)
        for (size_t r = 0; r < d1->n; r++)
            if (d1->w[r] < 0.0)
                return socind__fail_row(SOCIND_ERR_WEIGHT, r,
                                        "the calibrated weight of row %zu is %g; a relative line "
                                        "needs weights >= 0 " SOCIND__CAL_POSITIVE_HINT,
                                        r, d1->w[r]);
    return SOCIND_OK;
}

/* Any usable income in a round (SOCIND_ERR_EMPTY otherwise). */
static int32_t any_usable(const socind_design *d, const double *y, const double *lines,
                          const char *which) {
    for (size_t k = 0; k < d->n; k++)
        if (!isnan(y[k]) && (!lines || !isnan(lines[k]))) return SOCIND_OK;
    return socind__fail(SOCIND_ERR_EMPTY, "every income of %s is missing", which);
}

/* Round 2's line z·r (not per row) must be a normal double: at a price
 * ratio far from 1 it left them (z·r = +Inf read every round-2 row as poor
 * and made FGT1 and FGT2 NaN with no word). SOCIND_ERR_RANGE naming both. */
static int32_t line2_check(const socind_poverty_line *L, double z, double r) {
    if (L->type == SOCIND_LINE_PER_ROW || isnormal(z * r)) return SOCIND_OK;
    return socind__fail(SOCIND_ERR_RANGE,
                        "round 2's line, round 1's line %g times the price ratio %g, is %g: "
                        "outside the normal doubles; give the price ratio and the line in "
                        "units that keep their product in range",
                        z, r, z * r);
}

/* The line on round 1: *z (scalar base, 1 for per-row lines) and, for a
 * relative line, Zt[p] = Σ_{k∈p} w u^z_k / z over round 1's PSUs
 * (poverty_line.c's estimate, the one socind_fgt uses). */
static int32_t line_setup(const socind_design *d1, const double *y1, const socind_poverty_line *L,
                          double *z, double **Zt) {
    *Zt = NULL;
    if (L->type == SOCIND_LINE_ABSOLUTE) return *z = L->value, SOCIND_OK;
    if (L->type == SOCIND_LINE_PER_ROW) return *z = 1.0, SOCIND_OK;
    pctx c;
    memset(&c, 0, sizeof c);
    c.d = d1;
    c.y = y1;
    c.L = *L;
    c.relative = 1;
    c.scan_rows = 2;
    c.fz_full = NAN;
    c.z = NAN;
    c.Z = calloc(d1->npsu ? d1->npsu : 1, sizeof *c.Z);
    int32_t st = c.Z ? socind__line_relative(&c)
                     : socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the line");
    if (!st && !(c.z > 0.0 && isfinite(c.z)))
        st = socind__fail(SOCIND_ERR_DATA, "the relative line is %g; it must be > 0",
                          ldexp(c.z, c.ex));
    if (!st) {
        for (size_t p = 0; p < d1->npsu; p++) c.Z[p] /= c.z; /* scale-free: u^z/z */
        *z = ldexp(c.z, c.ex);
        *Zt = c.Z;
        c.Z = NULL;
    }
    free(c.Z);
    free(c.ys);
    free(c.ls);
    free(c.pH);
    free(c.pN);
    free(c.gy);
    free(c.gw);
    return st;
}

/* ---- Datt–Ravallion and Shapley ---- */

/* the components as combinations of the terms T11 = P(μ1,L1), T21 = P(μ2,L1),
   T12 = P(μ1,L2), T22 = P(μ2,L2) */
static const double GR_COEF[8][4] = {
    [SOCIND_GR_FGT1] = {1, 0, 0, 0},
    [SOCIND_GR_FGT2] = {0, 0, 0, 1},
    [SOCIND_GR_CHANGE] = {-1, 0, 0, 1},
    [SOCIND_GR_DR_GROWTH] = {-1, 1, 0, 0},
    [SOCIND_GR_DR_REDISTRIBUTION] = {-1, 0, 1, 0},
    [SOCIND_GR_DR_RESIDUAL] = {1, -1, -1, 1},
    [SOCIND_GR_SHAPLEY_GROWTH] = {-0.5, 0.5, -0.5, 0.5},
    [SOCIND_GR_SHAPLEY_REDISTRIBUTION] = {-0.5, -0.5, 0.5, 0.5},
};

typedef struct {
    double *o11, *o21, *a1; /* round 1: own parts of T11, T21; μ1's, (y − μ1)/N̂1 */
    double *o12, *o22, *a2; /* round 2: own parts of T12, T22; m2's, (y − m2)/N̂2 */
} gr_vecs;

static void gr_free(gr_vecs *g) {
    free(g->o11), free(g->o21), free(g->a1), free(g->o12), free(g->o22), free(g->a2);
}

/* The rounds part k's SE reads: its coefficients' (GR_COEF: P1 and the
 * counterfactuals read round 1, P2 round 2 and, against a relative line,
 * round 1 too); μ1 round 1, μ2 round 2. */
static void gr_reads(int k, int relative, int *in1, int *in2) {
    *in1 = k == SOCIND_GR_MEAN1, *in2 = k == SOCIND_GR_MEAN2;
    if (k < 8) {
        const double *c = GR_COEF[k];
        *in1 = c[0] != 0.0 || c[1] != 0.0 || c[2] != 0.0 || (c[3] != 0.0 && relative);
        *in2 = c[1] != 0.0 || c[2] != 0.0 || c[3] != 0.0;
    }
}

/* The rows, weight and degrees of freedom of part k of the decomposition:
 * a part of one round (its FGT or mean) counts that round's rows and
 * weight alone, the others both rounds'; the df is that of the rounds the
 * part's SE reads (round 1's too for P2 against a relative line, which
 * round 1 estimates), as for a part with an estimate. */
static void gr_meta(int k, int relative, const round_t *r1, const round_t *r2, int64_t *n,
                    double *wsum, double *df) {
    const int only1 = k == SOCIND_GR_FGT1 || k == SOCIND_GR_MEAN1;
    const int only2 = k == SOCIND_GR_FGT2 || k == SOCIND_GR_MEAN2;
    *n = (only2 ? 0 : r1->n) + (only1 ? 0 : r2->n);
    *wsum = (only2 ? 0.0 : r1->N) + (only1 ? 0.0 : r2->N);
    int in1, in2;
    gr_reads(k, relative, &in1, &in2);
    *df = (in1 ? r1->df : 0.0) + (in2 ? r2->df : 0.0);
}

/* Part k undefined with status st, its rows, weight and df gr_meta's. */
static void gr_undefined(socind_estimate *e, int k, int relative, int32_t st, const round_t *r1,
                         const round_t *r2) {
    int64_t n;
    double wsum, df;
    gr_meta(k, relative, r1, r2, &n, &wsum, &df);
    socind__estimate_undefined(e, st, n, wsum, df);
}

/* Both rounds of a call (checked by check_common, L resolved): their
 * designs, incomes, lines (per-row: L's for round 1, lines2 for round 2)
 * and domain codes; a usable row in each; the line z (and a relative
 * line's per-PSU influence *Zt); the rounds' work space. A status. */
static int32_t rounds_setup(round_t *r1, round_t *r2, const socind_design *design1,
                            const double *y1, const int32_t *group1, const socind_design *design2,
                            const double *y2, const int32_t *group2, int32_t n_groups,
                            socind_poverty_line *L, const double *lines2, double *z, double **Zt) {
    const int per_row = L->type == SOCIND_LINE_PER_ROW;
    r1->d = design1, r1->y = y1, r1->lines = per_row ? L->lines : NULL;
    r2->d = design2, r2->y = y2, r2->lines = per_row ? lines2 : NULL;
    int32_t st = socind__groups_init(&r1->g, group1, n_groups, design1->n);
    if (!st) st = socind__groups_init(&r2->g, group2, n_groups, design2->n);
    if (!st) st = any_usable(design1, y1, r1->lines, "round 1");
    if (!st) st = any_usable(design2, y2, r2->lines, "round 2");
    if (!st) st = line_setup(design1, y1, L, z, Zt);
    if (!st) st = round_alloc(r1);
    if (!st) st = round_alloc(r2);
    return st;
}

int32_t socind_growth_redistribution(const socind_design *design1, const double *y1,
                                     const int32_t *group1, const socind_design *design2,
                                     const double *y2, const int32_t *group2, int32_t n_groups,
                                     const socind_poverty_line *line, const double *lines2,
                                     double price_ratio, double alpha, const socind_options *opts,
                                     socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    const int32_t G = socind__ndomains(group1 ? group1 : group2, n_groups);
    const size_t count = (size_t)G * SOCIND_GR_COUNT;
    for (size_t i = 0; i < count; i++) socind__estimate_nan(&out[i], SOCIND_ERR_NULL);
    socind_poverty_line L;
    socind_options o;
    round_t r1, r2;
    memset(&r1, 0, sizeof r1);
    memset(&r2, 0, sizeof r2);
    gr_vecs V;
    memset(&V, 0, sizeof V);
    double *Zt = NULL;
    int32_t st = check_common(design1, y1, design2, y2, line, lines2, price_ratio, alpha, &L);
    if (!st && (group1 == NULL) != (group2 == NULL))
        st = socind__fail(SOCIND_ERR_ARG, "give both group1 and group2 (the same coding), or "
                                          "neither");
    if (!st) st = socind__resolve_options(opts, &o);
    double z = NAN;
    if (!st)
        st = rounds_setup(&r1, &r2, design1, y1, group1, design2, y2, group2, n_groups, &L, lines2,
                          &z, &Zt);
    const size_t P1 = design1 ? design1->npsu : 0, P2 = design2 ? design2->npsu : 0;
    if (!st) {
        V.o11 = calloc(P1 + 1, sizeof *V.o11);
        V.o21 = calloc(P1 + 1, sizeof *V.o21);
        V.a1 = calloc(P1 + 1, sizeof *V.a1);
        V.o12 = calloc(P2 + 1, sizeof *V.o12);
        V.o22 = calloc(P2 + 1, sizeof *V.o22);
        V.a2 = calloc(P2 + 1, sizeof *V.a2);
        if (!V.o11 || !V.o21 || !V.a1 || !V.o12 || !V.o22 || !V.a2)
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    if (st) goto done;
    const int relative = Zt != NULL;
    r1.base = z;
    r2.base = z * price_ratio;
    if ((st = line2_check(&L, z, price_ratio))) goto done;
    if (relative) { /* the line's term over every PSU, by its stratum sums */
        const double *Vb[SOCIND__NBASIS] = {Zt, NULL, NULL};
        if ((st = socind__basis_init(&r1.basis, design1, Vb))) goto done;
        r1.have_basis = 1;
    }
    const int incl = L.inclusive;
    for (int32_t j = 0; j < G; j++) {
        socind_estimate *e = out + (size_t)j * SOCIND_GR_COUNT;
        round_domain(&r1, j);
        round_domain(&r2, j);
        const int has1 = r1.nr > 0 && r1.N > 0.0, has2 = r2.nr > 0 && r2.N > 0.0;
        if (!has1 && !has2) {
            for (int k = 0; k < SOCIND_GR_COUNT; k++)
                gr_undefined(&e[k], k, relative, SOCIND_ERR_EMPTY_DOMAIN, &r1, &r2);
            continue;
        }
        /* the own parts on the domain's PSUs (only these are read) */
        for (size_t t = 0; t < r1.dom.n; t++) {
            const int32_t p = r1.dom.list[t];
            V.o11[p] = V.o21[p] = V.a1[p] = 0.0;
        }
        for (size_t t = 0; t < r2.dom.n; t++) {
            const int32_t p = r2.dom.list[t];
            V.o12[p] = V.o22[p] = V.a2[p] = 0.0;
        }
        const double mu1 = has1 ? r1.sum / r1.Ns : NAN, m2 = has2 ? r2.sum / r2.Ns : NAN,
                     mu2 = m2 / price_ratio;
        const int over = (has1 && r1.overflow) || (has2 && r2.overflow);
        const int means_ok = !over && mu1 > 0.0 && m2 > 0.0 && isfinite(mu1) && isfinite(m2);
        /* the rescaled lines θ·base of P(μ2, L1) and P(μ1, L2), and μ2 = m2/r:
           a price ratio far from 1 can take them out of the normal doubles
           (z·r = +Inf, μ2/μ1 subnormal), where the terms would read a wrong
           line */
        const int scaled_ok =
            !means_ok || (isnormal(mu2) && isnormal(mu1 / mu2) && isnormal(mu2 / mu1) &&
                          isnormal(r1.base * (mu1 / mu2)) && isnormal(r2.base * (mu2 / mu1)));
        double T[4] = {NAN, NAN, NAN, NAN}, D[4] = {0, 0, 0, 0};
        if (has1) {
            term(&r1, 1.0, alpha, incl, relative, &T[0], &D[0], V.o11);
            mean_own(&r1, mu1, 1.0, V.a1); /* the means' own parts, (y − μ)/N̂ */
        }
        if (has2) {
            term(&r2, 1.0, alpha, incl, relative, &T[3], &D[3], V.o22);
            mean_own(&r2, m2, 1.0, V.a2);
        }
        if (means_ok && scaled_ok && has1 && has2) {
            term(&r1, mu1 / mu2, alpha, incl, 1, &T[1], &D[1], V.o21);
            term(&r2, mu2 / mu1, alpha, incl, 1, &T[2], &D[2], V.o12);
        } else {
            T[1] = T[2] = D[1] = D[2] = NAN;
        }
        const double dP = T[3] - T[0];
        double val[SOCIND_GR_COUNT];
        val[SOCIND_GR_FGT1] = T[0];
        val[SOCIND_GR_FGT2] = T[3];
        val[SOCIND_GR_CHANGE] = dP;
        val[SOCIND_GR_DR_GROWTH] = T[1] - T[0];
        val[SOCIND_GR_DR_REDISTRIBUTION] = T[2] - T[0];
        val[SOCIND_GR_DR_RESIDUAL] =
            dP - val[SOCIND_GR_DR_GROWTH] - val[SOCIND_GR_DR_REDISTRIBUTION];
        val[SOCIND_GR_SHAPLEY_GROWTH] = 0.5 * ((T[1] - T[0]) + (T[3] - T[2]));
        val[SOCIND_GR_SHAPLEY_REDISTRIBUTION] = dP - val[SOCIND_GR_SHAPLEY_GROWTH];
        val[SOCIND_GR_MEAN1] = mu1;
        val[SOCIND_GR_MEAN2] = mu2;
        for (int k = 0; k < SOCIND_GR_COUNT; k++) {
            int in1, in2;
            double *v1 = r1.v, *v2 = r2.v;
            /* a part that reads a round the domain is absent from */
            const int need1 = k != SOCIND_GR_FGT2 && k != SOCIND_GR_MEAN2;
            const int need2 = k != SOCIND_GR_FGT1 && k != SOCIND_GR_MEAN1;
            if ((need1 && !has1) || (need2 && !has2)) {
                gr_undefined(&e[k], k, relative, SOCIND_ERR_EMPTY_DOMAIN, &r1, &r2);
                continue;
            }
            /* a mean whose sums exceed the double range */
            const int ovk = (k == SOCIND_GR_MEAN1 && r1.overflow) ||
                            (k == SOCIND_GR_MEAN2 && r2.overflow) ||
                            (k < 8 && over && (GR_COEF[k][1] != 0.0 || GR_COEF[k][2] != 0.0));
            if (ovk && k != SOCIND_GR_FGT1 && k != SOCIND_GR_FGT2 && k != SOCIND_GR_CHANGE) {
                gr_undefined(&e[k], k, relative, SOCIND_ERR_OVERFLOW, &r1, &r2);
                continue;
            }
            gr_reads(k, relative, &in1, &in2);
            double cz = 0.0; /* the coefficient of round 1's Zt (relative line) */
            if (k == SOCIND_GR_MEAN1) {
                for (size_t t = 0; t < r1.dom.n; t++) {
                    const int32_t p = r1.dom.list[t];
                    v1[p] = V.a1[p];
                }
            } else if (k == SOCIND_GR_MEAN2) {
                for (size_t t = 0; t < r2.dom.n; t++) {
                    const int32_t p = r2.dom.list[t];
                    v2[p] = V.a2[p] / price_ratio;
                }
            } else {
                const double *c = GR_COEF[k];
                if (!means_ok && (c[1] != 0.0 || c[2] != 0.0)) {
                    gr_undefined(&e[k], k, relative, SOCIND_ERR_DATA, &r1, &r2);
                    continue;
                }
                if (!scaled_ok && (c[1] != 0.0 || c[2] != 0.0)) {
                    gr_undefined(&e[k], k, relative, SOCIND_ERR_OVERFLOW, &r1, &r2);
                    continue;
                }
                /* round 1: the own parts on the domain's PSUs, and the
                   line's term cz·Zt on every PSU */
                for (size_t t = 0; t < r1.dom.n; t++) {
                    const int32_t p = r1.dom.list[t];
                    double s = 0.0;
                    if (c[0] != 0.0) s += c[0] * V.o11[p];
                    if (c[1] != 0.0) s += c[1] * (V.o21[p] + D[1] * V.a1[p] / mu1);
                    if (c[2] != 0.0) s -= c[2] * D[2] * V.a1[p] / mu1;
                    v1[p] = s;
                }
                if (relative) {
                    if (c[0] != 0.0) cz += c[0] * D[0];
                    if (c[1] != 0.0) cz += c[1] * D[1];
                    if (c[2] != 0.0) cz += c[2] * D[2];
                    if (c[3] != 0.0) cz += c[3] * D[3];
                }
                for (size_t t = 0; t < r2.dom.n; t++) {
                    const int32_t p = r2.dom.list[t];
                    double s = 0.0;
                    if (c[1] != 0.0) s -= c[1] * D[1] * V.a2[p] / m2;
                    if (c[2] != 0.0) s += c[2] * (V.o12[p] + D[2] * V.a2[p] / m2);
                    if (c[3] != 0.0) s += c[3] * V.o22[p];
                    v2[p] = s;
                }
            }
            double sd1 = 0.0, sd2 = 0.0;
            int32_t vs = SOCIND_OK;
            if (in1) vs = round_sd_dom(&r1, v1, cz, &sd1);
            if (in2) {
                int32_t s2 = round_sd_dom(&r2, v2, 0.0, &sd2);
                if (!vs) vs = s2;
            }
            int64_t n;
            double wsum, df;
            gr_meta(k, relative, &r1, &r2, &n, &wsum, &df);
            int is_prop = alpha == 0.0 && (k == SOCIND_GR_FGT1 || k == SOCIND_GR_FGT2);
            fill(&e[k], val[k], hypot(sd1, sd2), vs, df, n, wsum, &o, is_prop);
        }
    }
done:
    if (st)
        for (size_t i = 0; i < count; i++) socind__estimate_nan(&out[i], st);
    free(Zt);
    gr_free(&V);
    round_free(&r1);
    round_free(&r2);
    return st;
}

/* ---- Ravallion–Huppi ---- */

typedef struct {
    double *oP;            /* K × npsu: each sector's own part of its P */
    double *W;             /* K × npsu: each sector's weight by PSU */
    double *Wtot;          /* npsu: Σ_k W */
    double *P, *D, *N, *s; /* K each */
    int64_t *n;
    double Dtot; /* D of the FGT over every row in some sector (one bandwidth) */
    double Ntot; /* Σ_k N̂_k at the round's weight scale (round_t's wsc) */
    double Nw;   /* Σ_k N̂_k (+Inf beyond the doubles) */
    int64_t ntot;
} rh_round;

static void rh_free(rh_round *a) {
    free(a->oP), free(a->W), free(a->Wtot), free(a->P), free(a->D), free(a->N), free(a->s);
    free(a->n);
}

static int32_t rh_alloc(rh_round *a, size_t K, size_t P) {
    memset(a, 0, sizeof *a);
    a->oP = calloc(K * P + 1, sizeof *a->oP);
    a->W = calloc(K * P + 1, sizeof *a->W);
    a->Wtot = calloc(P + 1, sizeof *a->Wtot);
    a->P = calloc(K, sizeof *a->P);
    a->D = calloc(K, sizeof *a->D);
    a->N = calloc(K, sizeof *a->N);
    a->s = calloc(K, sizeof *a->s);
    a->n = calloc(K, sizeof *a->n);
    if (!a->oP || !a->W || !a->Wtot || !a->P || !a->D || !a->N || !a->s || !a->n)
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    return SOCIND_OK;
}

/* Every sector's P, D, N̂ and PSU vectors in round r. */
static void rh_round_fill(round_t *r, rh_round *a, int32_t K, double alpha, int incl,
                          int relative) {
    const size_t P = r->d->npsu;
    socind__ksum Nt = {0, 0};
    a->ntot = 0;
    for (int32_t k = 0; k < K; k++) {
        round_domain(r, k);
        a->N[k] = r->N;
        a->n[k] = r->n;
        a->ntot += r->n;
        socind__kadd(&Nt, r->Ns);
        a->s[k] = r->Ns;
        if (r->nr == 0 || !(r->N > 0.0)) {
            a->P[k] = a->D[k] = NAN;
            continue;
        }
        term(r, 1.0, alpha, incl, relative, &a->P[k], &a->D[k], a->oP + (size_t)k * P);
        for (size_t i = 0; i < r->nr; i++) {
            size_t row = r->rows[i];
            size_t p = (size_t)r->d->row_psu[row];
            a->W[(size_t)k * P + p] += r->d->w[row] * r->wsc;
            a->Wtot[p] += r->d->w[row] * r->wsc;
        }
    }
    a->Ntot = socind__kval(&Nt);
    a->Nw = a->Ntot / r->wsc;
    for (int32_t k = 0; k < K; k++) a->s[k] /= a->Ntot;
    /* the totals' density term: the FGT over every row in some sector, as
       socind_fgt computes it on those rows (one bandwidth), not Σ s_k·D_k */
    a->Dtot = 0.0;
    if (relative) {
        round_union(r, K);
        if (r->nr > 0 && r->N > 0.0) {
            double Ptot;
            term(r, 1.0, alpha, incl, 1, &Ptot, &a->Dtot, NULL);
        } else {
            a->Dtot = NAN;
        }
    }
}

/* The PSU totals of a sector's u_P (round 1's or 2's part) and u_s. */
static inline double rh_up(const rh_round *a, size_t P, int32_t k, size_t p) {
    return a->oP[(size_t)k * P + p];
}
static inline double rh_us(const rh_round *a, size_t P, int32_t k, size_t p) {
    return (a->W[(size_t)k * P + p] - a->s[k] * a->Wtot[p]) / a->Ntot;
}

/* The rounds sector part j's SE reads: round 1 for all but s_k2 (and P_k2
 * only against a relative line, which round 1 estimates), round 2 for all
 * but P_k1 and s_k1. */
static void rh_reads(int j, int relative, int *in1, int *in2) {
    *in1 = j != SOCIND_RH_SECTOR_SHARE2 && (j != SOCIND_RH_SECTOR_FGT2 || relative);
    *in2 = j != SOCIND_RH_SECTOR_FGT1 && j != SOCIND_RH_SECTOR_SHARE1;
}

/* Sector k's part j's rows and weight (a part of one round, P_kt and s_kt,
 * that round's alone, the others both rounds') and df (rh_reads'). */
static void rh_meta(int j, int relative, const rh_round *A1, const rh_round *A2, int32_t k,
                    double df1, double df2, int64_t *n, double *wsum, double *df) {
    const int r1only = j == SOCIND_RH_SECTOR_FGT1 || j == SOCIND_RH_SECTOR_SHARE1;
    const int r2only = j == SOCIND_RH_SECTOR_FGT2 || j == SOCIND_RH_SECTOR_SHARE2;
    int in1, in2;
    rh_reads(j, relative, &in1, &in2);
    *n = (r2only ? 0 : A1->n[k]) + (r1only ? 0 : A2->n[k]);
    *wsum = (r2only ? 0.0 : A1->N[k]) + (r1only ? 0.0 : A2->N[k]);
    *df = (in1 ? df1 : 0.0) + (in2 ? df2 : 0.0);
}

/* Sector k's part j without an estimate: SOCIND_ERR_EMPTY_DOMAIN with
 * rh_meta's rows, weight and df. */
static void rh_undefined(socind_estimate *e, int j, int relative, const rh_round *A1,
                         const rh_round *A2, int32_t k, double df1, double df2) {
    int64_t n;
    double wsum, df;
    rh_meta(j, relative, A1, A2, k, df1, df2, &n, &wsum, &df);
    socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, n, wsum, df);
}

int32_t socind_sectoral_decomposition(const socind_design *design1, const double *y1,
                                      const int32_t *sector1, const socind_design *design2,
                                      const double *y2, const int32_t *sector2, int32_t n_sectors,
                                      const socind_poverty_line *line, const double *lines2,
                                      double price_ratio, double alpha, const socind_options *opts,
                                      socind_estimate *total, socind_estimate *by_sector) {
    socind__clear_detail();
    if (!total) return socind__fail(SOCIND_ERR_NULL, "total is NULL");
    const int32_t K = n_sectors > 0 ? n_sectors : 0;
    for (int i = 0; i < SOCIND_RH_COUNT; i++) socind__estimate_nan(&total[i], SOCIND_ERR_NULL);
    if (by_sector)
        for (size_t i = 0; i < (size_t)K * SOCIND_RH_SECTOR_COUNT; i++)
            socind__estimate_nan(&by_sector[i], SOCIND_ERR_NULL);
    socind_poverty_line L;
    socind_options o;
    round_t r1, r2;
    memset(&r1, 0, sizeof r1);
    memset(&r2, 0, sizeof r2);
    rh_round A1, A2;
    memset(&A1, 0, sizeof A1);
    memset(&A2, 0, sizeof A2);
    double *Zt = NULL;
    int32_t st = check_common(design1, y1, design2, y2, line, lines2, price_ratio, alpha, &L);
    if (!st && (!sector1 || !sector2))
        st = socind__fail(SOCIND_ERR_NULL, "%s is NULL", sector1 ? "sector2" : "sector1");
    if (!st && n_sectors < 1)
        st = socind__fail(SOCIND_ERR_ARG, "n_sectors must be >= 1, got %d", (int)n_sectors);
    if (!st) st = socind__resolve_options(opts, &o);
    double z = NAN;
    if (!st)
        st = rounds_setup(&r1, &r2, design1, y1, sector1, design2, y2, sector2, n_sectors, &L,
                          lines2, &z, &Zt);
    const size_t P1 = design1 ? design1->npsu : 0, P2 = design2 ? design2->npsu : 0;
    if (!st) st = rh_alloc(&A1, (size_t)K, P1);
    if (!st) st = rh_alloc(&A2, (size_t)K, P2);
    if (st) goto done;
    const int relative = Zt != NULL;
    r1.base = z;
    r2.base = z * price_ratio;
    if ((st = line2_check(&L, z, price_ratio))) goto done;
    rh_round_fill(&r1, &A1, K, alpha, L.inclusive, relative);
    rh_round_fill(&r2, &A2, K, alpha, L.inclusive, relative);
    if (!(A1.Ntot > 0.0) || !(A2.Ntot > 0.0)) {
        st = socind__fail(SOCIND_ERR_EMPTY, "no usable income in any sector of round %d",
                          A1.Ntot > 0.0 ? 2 : 1);
        goto done;
    }
    /* per sector: present in round 1, in round 2 */
    const double df1 = r1.df, df2 = r2.df, dfb = df1 + df2;
    double *v1 = r1.v, *v2 = r2.v;
    /* the totals' values and their PSU vectors, accumulated over sectors */
    double tot_val[SOCIND_RH_COUNT] = {0, 0, 0, 0, 0, 0};
    int tot_gap = 0; /* a sector present in one round only */
    double *T1[SOCIND_RH_COUNT], *T2[SOCIND_RH_COUNT];
    double *tbuf = calloc((size_t)SOCIND_RH_COUNT * (P1 + P2) + 1, sizeof *tbuf);
    if (!tbuf) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        goto done;
    }
    for (int t = 0; t < SOCIND_RH_COUNT; t++) {
        T1[t] = tbuf + (size_t)t * (P1 + P2);
        T2[t] = T1[t] + P1;
    }
    socind__ksum tv[SOCIND_RH_COUNT];
    memset(tv, 0, sizeof tv);
    for (int32_t k = 0; k < K; k++) {
        const int h1 = A1.N[k] > 0.0 && A1.n[k] > 0, h2 = A2.N[k] > 0.0 && A2.n[k] > 0;
        socind_estimate *e = by_sector ? by_sector + (size_t)k * SOCIND_RH_SECTOR_COUNT : NULL;
        if (!h1 && !h2) {
            if (e)
                for (int j = 0; j < SOCIND_RH_SECTOR_COUNT; j++)
                    rh_undefined(&e[j], j, relative, &A1, &A2, k, df1, df2);
            continue;
        }
        const double Pk1 = A1.P[k], Pk2 = A2.P[k], s1 = A1.s[k], s2 = A2.s[k];
        const double dPk = Pk2 - Pk1, dsk = s2 - s1;
        const double Dk1 = relative && h1 ? A1.D[k] : 0.0, Dk2 = relative && h2 ? A2.D[k] : 0.0;
        /* the sector's contributions to the totals P1 = Σ s1·P1, P2 = Σ s2·P2 */
        if (h1) {
            socind__kadd(&tv[SOCIND_RH_FGT1], s1 * Pk1);
            for (size_t p = 0; p < P1; p++)
                T1[SOCIND_RH_FGT1][p] += Pk1 * rh_us(&A1, P1, k, p) + s1 * rh_up(&A1, P1, k, p);
        }
        if (h2) {
            socind__kadd(&tv[SOCIND_RH_FGT2], s2 * Pk2);
            for (size_t p = 0; p < P2; p++)
                T2[SOCIND_RH_FGT2][p] += Pk2 * rh_us(&A2, P2, k, p) + s2 * rh_up(&A2, P2, k, p);
        }
        /* the sector's own estimates */
        double val[SOCIND_RH_SECTOR_COUNT] = {Pk1, Pk2, s1, s2, s1 * dPk, Pk1 * dsk, dPk * dsk};
        for (int j = 0; j < SOCIND_RH_SECTOR_COUNT; j++) {
            int in1 = 0, in2 = 0;
            const int both = h1 && h2;
            if ((j == SOCIND_RH_SECTOR_FGT1 && !h1) || (j == SOCIND_RH_SECTOR_FGT2 && !h2) ||
                (j >= SOCIND_RH_SECTOR_WITHIN && !both)) {
                if (j >= SOCIND_RH_SECTOR_WITHIN) tot_gap = 1;
                if (e) rh_undefined(&e[j], j, relative, &A1, &A2, k, df1, df2);
                continue;
            }
            for (size_t p = 0; p < P1; p++) {
                double zt = relative ? Zt[p] : 0.0;
                double uP1 = h1 ? rh_up(&A1, P1, k, p) + Dk1 * zt : 0.0; /* u_Pk1, round 1 */
                double uP2 = Dk2 * zt;                                   /* u_Pk2, round 1 */
                double us = rh_us(&A1, P1, k, p);
                double s;
                switch (j) {
                case SOCIND_RH_SECTOR_FGT1:
                    s = uP1;
                    break;
                case SOCIND_RH_SECTOR_FGT2:
                    s = uP2;
                    break;
                case SOCIND_RH_SECTOR_SHARE1:
                    s = us;
                    break;
                case SOCIND_RH_SECTOR_SHARE2:
                    s = 0.0;
                    break;
                case SOCIND_RH_SECTOR_WITHIN:
                    s = dPk * us + s1 * (uP2 - uP1);
                    break;
                case SOCIND_RH_SECTOR_SHIFT:
                    s = dsk * uP1 - Pk1 * us;
                    break;
                default:
                    s = dsk * (uP2 - uP1) - dPk * us;
                    break;
                }
                v1[p] = s;
            }
            for (size_t p = 0; p < P2; p++) {
                double uP2 = h2 ? rh_up(&A2, P2, k, p) : 0.0;
                double us = rh_us(&A2, P2, k, p);
                double s;
                switch (j) {
                case SOCIND_RH_SECTOR_FGT1:
                    s = 0.0;
                    break;
                case SOCIND_RH_SECTOR_FGT2:
                    s = uP2;
                    break;
                case SOCIND_RH_SECTOR_SHARE1:
                    s = 0.0;
                    break;
                case SOCIND_RH_SECTOR_SHARE2:
                    s = us;
                    break;
                case SOCIND_RH_SECTOR_WITHIN:
                    s = s1 * uP2;
                    break;
                case SOCIND_RH_SECTOR_SHIFT:
                    s = Pk1 * us;
                    break;
                default:
                    s = dsk * uP2 + dPk * us;
                    break;
                }
                v2[p] = s;
            }
            int tot = j >= SOCIND_RH_SECTOR_WITHIN
                          ? SOCIND_RH_WITHIN + (j - SOCIND_RH_SECTOR_WITHIN)
                          : -1;
            if (tot >= 0) {
                socind__kadd(&tv[tot], val[j]);
                for (size_t p = 0; p < P1; p++) T1[tot][p] += v1[p];
                for (size_t p = 0; p < P2; p++) T2[tot][p] += v2[p];
            }
            rh_reads(j, relative, &in1, &in2);
            if (!e) continue;
            double sd1 = 0.0, sd2 = 0.0;
            int32_t vs = SOCIND_OK;
            if (in1) vs = round_sd(&r1, v1, &sd1);
            if (in2) {
                int32_t s2v = round_sd(&r2, v2, &sd2);
                if (!vs) vs = s2v;
            }
            int64_t n;
            double wsum, df;
            rh_meta(j, relative, &A1, &A2, k, df1, df2, &n, &wsum, &df);
            int is_prop = alpha == 0.0 && j <= SOCIND_RH_SECTOR_FGT2;
            is_prop |= j == SOCIND_RH_SECTOR_SHARE1 || j == SOCIND_RH_SECTOR_SHARE2;
            fill(&e[j], val[j], hypot(sd1, sd2), vs, df, n, wsum, &o, is_prop);
        }
    }
    /* the totals P1 and P2: the line's term with the density over every row
       in some sector (socind_fgt's on those rows) */
    if (relative)
        for (size_t p = 0; p < P1; p++) {
            T1[SOCIND_RH_FGT1][p] += A1.Dtot * Zt[p];
            T1[SOCIND_RH_FGT2][p] += A2.Dtot * Zt[p];
        }
    /* the totals: P1, P2, ΔP, and the three effects */
    tot_val[SOCIND_RH_FGT1] = socind__kval(&tv[SOCIND_RH_FGT1]);
    tot_val[SOCIND_RH_FGT2] = socind__kval(&tv[SOCIND_RH_FGT2]);
    tot_val[SOCIND_RH_CHANGE] = tot_val[SOCIND_RH_FGT2] - tot_val[SOCIND_RH_FGT1];
    for (size_t p = 0; p < P1; p++)
        T1[SOCIND_RH_CHANGE][p] = T1[SOCIND_RH_FGT2][p] - T1[SOCIND_RH_FGT1][p];
    for (size_t p = 0; p < P2; p++)
        T2[SOCIND_RH_CHANGE][p] = T2[SOCIND_RH_FGT2][p] - T2[SOCIND_RH_FGT1][p];
    for (int t = SOCIND_RH_WITHIN; t <= SOCIND_RH_INTERACTION; t++)
        tot_val[t] = socind__kval(&tv[t]);
    for (int t = 0; t < SOCIND_RH_COUNT; t++) {
        if (t >= SOCIND_RH_WITHIN && tot_gap) {
            socind__estimate_undefined(&total[t], SOCIND_ERR_EMPTY_DOMAIN, A1.ntot + A2.ntot,
                                       A1.Nw + A2.Nw, dfb);
            continue;
        }
        int in1 = t != SOCIND_RH_FGT2 || relative, in2 = t != SOCIND_RH_FGT1;
        double sd1 = 0.0, sd2 = 0.0;
        int32_t vs = SOCIND_OK;
        if (in1) vs = round_sd(&r1, T1[t], &sd1);
        if (in2) {
            int32_t s2v = round_sd(&r2, T2[t], &sd2);
            if (!vs) vs = s2v;
        }
        int64_t n = (t == SOCIND_RH_FGT2 ? 0 : A1.ntot) + (t == SOCIND_RH_FGT1 ? 0 : A2.ntot);
        double wsum = (t == SOCIND_RH_FGT2 ? 0.0 : A1.Nw) + (t == SOCIND_RH_FGT1 ? 0.0 : A2.Nw);
        double df = (in1 ? df1 : 0.0) + (in2 ? df2 : 0.0);
        int is_prop = alpha == 0.0 && t <= SOCIND_RH_FGT2;
        fill(&total[t], tot_val[t], hypot(sd1, sd2), vs, df, n, wsum, &o, is_prop);
    }
    free(tbuf);
done:
    if (st) {
        for (int i = 0; i < SOCIND_RH_COUNT; i++) socind__estimate_nan(&total[i], st);
        if (by_sector)
            for (size_t i = 0; i < (size_t)K * SOCIND_RH_SECTOR_COUNT; i++)
                socind__estimate_nan(&by_sector[i], st);
    }
    free(Zt);
    rh_free(&A1);
    rh_free(&A2);
    round_free(&r1);
    round_free(&r2);
    return st;
}
