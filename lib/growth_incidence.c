/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/growth_incidence.c — the growth incidence curve (Ravallion & Chen
 * 2003) between two independent survey rounds, its growth rate in the mean,
 * in the mean of the poor and its rate of pro-poor growth, each with the
 * linearization SE V1 + V2 on df1 + df2. See growth_incidence.h.
 *
 * Each round's usable rows are gathered and sorted once (estimator.c's
 * items); a quantile is quantile.c's socind__wq_sorted over them, its
 * density density.c's kernel sums, and each round's linearized values go
 * through that round's variance engine (socind__items_variance). */
#include <stdio.h>
#include <stdlib.h>

#include "poverty_internal.h"

/* socind__item in doubles, as density.c's rows read it */
#define ITEM_STRIDE (sizeof(socind__item) / sizeof(double))
_Static_assert(sizeof(socind__item) % sizeof(double) == 0, "items are whole doubles");

/* One round: its sorted rows, totals, bandwidth and work space. */
typedef struct {
    const socind_design *d;
    socind__items x; /* it sorted by y; x.u the values handed to the engine */
    size_t nr, nz;   /* rows of positive weight, rows of weight 0 */
    double N, Y;     /* Σ w, Σ w y */
    double h;        /* the kernel's bandwidth (NaN: every income equal) */
    double *ppg;     /* the pro-poor rate's values, by position in it */
    double *aux;     /* a second buffer (a quantile's values) */
} round_t;

static void round_free(round_t *r) {
    socind__items_free(&r->x);
    free(r->ppg);
    free(r->aux);
}

static int32_t round_init(round_t *r, const socind_design *d, const double *y,
                          const socind_options *o, int which) {
    memset(r, 0, sizeof *r);
    r->d = d;
    int32_t st = socind__items_init(&r->x, d, o, SOCIND_DOMAIN_RULE_SUBSET);
    if (st) return st;
    r->ppg = calloc(d->n ? d->n : 1, sizeof *r->ppg);
    r->aux = malloc((d->n ? d->n : 1) * sizeof *r->aux);
    if (!r->ppg || !r->aux) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    socind__groups g = {1, NULL, NULL, d->n};
    const socind__gather_rule rule = {
        d, y, NULL, NULL, 0, SOCIND_NONPOS_ERROR, 0, "the growth incidence curve"};
    double ymax;
    st = socind__gather(&rule, &g, 0, r->x.it, r->x.zero, &r->nr, &r->nz, &ymax);
    if (st) {
        /* say which round's row the detail names */
        char msg[512];
        snprintf(msg, sizeof msg, "%s", socind_last_error_detail());
        int64_t row = socind_last_error_row();
        return row >= 0 ? socind__fail_row(st, (size_t)row, "round %d: %s", which, msg)
                        : socind__fail(st, "round %d: %s", which, msg);
    }
    if (r->nr == 0)
        return socind__fail(SOCIND_ERR_EMPTY, "round %d has no income with a positive weight",
                            which);
    if ((st = socind__sort_items(r->x.it, r->nr))) return st;
    socind__items_totals(r->x.it, r->nr, 0, &r->N, &r->Y);
    socind__rowset rs = {&r->x.it[0].y, &r->x.it[0].w, ITEM_STRIDE, NULL, r->nr};
    socind__moments m;
    socind__moments_of(&rs, &m);
    r->h = socind__bandwidth(&m);
    return SOCIND_OK;
}

/* N̂ times the kernel density of the round's incomes at x (NaN: no
 * bandwidth). */
static double round_density(const round_t *r, double x) {
    if (!(r->h > 0.0)) return NAN;
    socind__rowset rs = {&r->x.it[0].y, &r->x.it[0].w, ITEM_STRIDE, NULL, r->nr};
    double F[2];
    const double pts[2] = {x, INFINITY};
    socind__kernel_sums(&rs, pts, r->h, r->N, 1, F, NULL);
    return F[0];
}

/* The p-quantile Q and its linearized values u (by position) −(1[y <= Q] −
 * p)/(N̂·f̂(Q)) (NaN when there is no density). */
static double round_quantile(const round_t *r, double p, double *u) {
    const double Q = socind__wq_sorted(r->x.it, r->nr, r->N, p);
    const double F = round_density(r, Q);
    for (size_t i = 0; i < r->nr; i++)
        u[i] = F > 0.0 ? -((r->x.it[i].y <= Q ? 1.0 : 0.0) - p) / F : NAN;
    return Q;
}

/* The generalized Lorenz ordinate GL(H) = Σ w y c / N̂ (the straddling row
 * counted fractionally, as socind_lorenz), the straddling row's income *Q
 * and the linearized values ((y − Q)·1[y < Q] + H·Q − GL)/N̂ into u. */
static double round_gl(const round_t *r, double H, double *Q, double *u) {
    const double N = r->N, target = H * N;
    long double W = 0.0L;
    socind__ksum S = {0, 0};
    double q = NAN;
    for (size_t i = 0; i < r->nr; i++) {
        double wk = r->x.it[i].w, yk = r->x.it[i].y;
        double Wprev = (double)W;
        W += wk;
        double t = (target - Wprev) / wk;
        double c = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
        socind__kadd(&S, wk * yk * c);
        if (isnan(q) && Wprev < target && target <= (double)W) q = yk;
    }
    if (isnan(q)) q = r->x.it[r->nr - 1].y;
    const double GL = socind__kval(&S) / N;
    for (size_t i = 0; i < r->nr; i++) {
        double yk = r->x.it[i].y;
        u[i] = ((yk < q ? yk - q : 0.0) + H * q - GL) / N;
    }
    *Q = q;
    return GL;
}

/* The design variance of Σ w·u over the round's rows (u by position). */
static int32_t round_var(round_t *r, const double *u, double *var) {
    if (u != r->x.u) memcpy(r->x.u, u, r->nr * sizeof *u);
    return socind__items_variance(&r->x, r->d, r->nr, r->nz, var);
}

/* V1(a·u1) + V2(b·u2) into *se (a, b scalars; NaN values give NaN). */
static int32_t two_round_se(round_t *R, const double *u1, double a, const double *u2, double b,
                            double *se) {
    double v[2];
    const double *u[2] = {u1, u2};
    const double f[2] = {a, b};
    for (int t = 0; t < 2; t++) {
        for (size_t i = 0; i < R[t].nr; i++) R[t].x.u[i] = f[t] * u[t][i];
        int finite = 1;
        for (size_t i = 0; i < R[t].nr && finite; i++) finite = isfinite(R[t].x.u[i]);
        if (!finite) {
            socind__work_reset(&R[t].x.wk);
            *se = NAN;
            return SOCIND_OK;
        }
        int32_t st = round_var(&R[t], R[t].x.u, &v[t]);
        if (st) {
            *se = NAN;
            return st;
        }
    }
    *se = sqrt(v[0] + v[1]);
    return SOCIND_OK;
}

/* Fills e: value, and the SE and interval on df, or (est not OK) NaN figures
 * with status est and the value kept where it is finite. */
static void fill(socind_estimate *e, double value, double se, int32_t est, const round_t *R,
                 const socind_options *o, double df) {
    const int64_t n = (int64_t)(R[0].nr + R[0].nz + R[1].nr + R[1].nz);
    if (est) {
        socind__estimate_undefined(e, est, n, R[0].N + R[1].N, df);
        if (isfinite(value)) e->value = value;
        return;
    }
    socind__estimate_nan(e, SOCIND_OK);
    e->value = value;
    e->se = se;
    e->n = n;
    e->weight_sum = R[0].N + R[1].N;
    socind__fill_ci(e, o, df, 0);
}

/* One point of the curve: g(p), with the values of 1 + g = Q2/(r·Q1) on
 * each round in v1, v2 (d(1 + g) = dQ2/(r·Q1) − (1 + g)·dQ1/Q1); *est
 * SOCIND_ERR_DATA when Q1 <= 0 (no g) or a round has no density (no SE). */
static double gic_point(round_t *R, double p, double r, double *v1, double *v2, int32_t *est) {
    double Q1 = round_quantile(&R[0], p, v1);
    double Q2 = round_quantile(&R[1], p, v2);
    *est = SOCIND_OK;
    if (!(Q1 > 0.0)) {
        *est = SOCIND_ERR_DATA;
        return NAN;
    }
    double g = Q2 / (r * Q1) - 1.0;
    double a = -(1.0 + g) / Q1, b = 1.0 / (r * Q1);
    for (size_t i = 0; i < R[0].nr; i++) v1[i] *= a;
    for (size_t i = 0; i < R[1].nr; i++) v2[i] *= b;
    /* no density in a round: its values are NaN */
    if ((R[0].nr && isnan(v1[0])) || (R[1].nr && isnan(v2[0]))) *est = SOCIND_ERR_DATA;
    return g;
}

/* H1, round 1's headcount at the line, with its linearized values uH (by
 * position in round 1's sorted rows); *est an estimate status. */
static int32_t headcount(round_t *R1, const socind_poverty_line *L, double *uH, double *H,
                         int32_t *est) {
    const socind__item *it = R1->x.it;
    const size_t nr = R1->nr;
    double z = NAN, Fq = NAN, frac = L->value;
    double *uz = NULL; /* the line's influence (relative lines), in R1->aux */
    *est = SOCIND_OK;
    switch (L->type) {
    case SOCIND_LINE_ABSOLUTE:
        z = L->value;
        break;
    case SOCIND_LINE_RELATIVE_QUANTILE: {
        double Q = socind__wq_sorted(it, nr, R1->N, L->quantile);
        Fq = round_density(R1, Q);
        if (!(Fq > 0.0))
            return socind__fail(SOCIND_ERR_DATA,
                                "every income of round 1 is equal: no density at the quantile");
        z = frac * Q;
        uz = R1->aux;
        for (size_t i = 0; i < nr; i++)
            uz[i] = -frac * ((it[i].y <= Q ? 1.0 : 0.0) - L->quantile) / Fq;
        break;
    }
    case SOCIND_LINE_RELATIVE_MEAN: {
        double mu = R1->Y / R1->N;
        z = frac * mu;
        uz = R1->aux;
        for (size_t i = 0; i < nr; i++) uz[i] = frac * (it[i].y - mu) / R1->N;
        break;
    }
    default: /* PER_ROW: each row's own line */
        break;
    }
    /* the headcount over the rows with a line */
    socind__ksum P = {0, 0}, N = {0, 0};
    for (size_t i = 0; i < nr; i++) {
        double zi = L->type == SOCIND_LINE_PER_ROW ? L->lines[it[i].row] : z;
        if (isnan(zi)) continue;
        int poor = L->inclusive ? it[i].y <= zi : it[i].y < zi;
        socind__kadd(&N, it[i].w);
        if (poor) socind__kadd(&P, it[i].w);
    }
    double Nl = socind__kval(&N);
    if (!(Nl > 0.0)) {
        *H = NAN;
        *est = SOCIND_ERR_DATA;
        for (size_t i = 0; i < nr; i++) uH[i] = NAN;
        return SOCIND_OK;
    }
    double h = socind__kval(&P) / Nl;
    for (size_t i = 0; i < nr; i++) {
        double zi = L->type == SOCIND_LINE_PER_ROW ? L->lines[it[i].row] : z;
        if (isnan(zi)) {
            uH[i] = 0.0;
            continue;
        }
        int poor = L->inclusive ? it[i].y <= zi : it[i].y < zi;
        uH[i] = ((poor ? 1.0 : 0.0) - h) / Nl;
    }
    if (uz) {
        /* dH/dz = f̂(z): N̂·f̂(z)/N̂ */
        double fz = round_density(R1, z) / R1->N;
        if (!isfinite(fz)) {
            *est = SOCIND_ERR_DATA;
            fz = NAN;
        }
        for (size_t i = 0; i < nr; i++) uH[i] += fz * uz[i];
    }
    *H = h;
    return SOCIND_OK;
}

/* The default grid: k/100, k = 1 .. 99. */
static double grid(size_t k) {
    return (double)(k + 1) / 100.0;
}

int32_t socind_growth_incidence(const socind_design *design1, const double *y1,
                                const socind_design *design2, const double *y2, double price_ratio,
                                const double *p, size_t n_p, const socind_poverty_line *line,
                                const socind_options *opts, socind_estimate *curve,
                                socind_estimate *summary) {
    socind__clear_detail();
    const size_t np = p ? n_p : SOCIND_GIC_DEFAULT_POINTS;
    /* every output NaN until the end */
    if (curve && (p == NULL ? (n_p == 0 || n_p == SOCIND_GIC_DEFAULT_POINTS) : 1))
        for (size_t i = 0; i < np; i++) socind__estimate_nan(&curve[i], SOCIND_ERR_NULL);
    if (summary)
        for (int k = 0; k < SOCIND_GIC_COUNT; k++)
            socind__estimate_nan(&summary[k], SOCIND_ERR_NULL);
    int32_t st = SOCIND_OK;
    socind_options o;
    socind_poverty_line L;
    round_t R[2];
    memset(R, 0, sizeof R);
    double *v1 = NULL, *v2 = NULL, *uH = NULL, *pp1 = NULL, *pp2 = NULL;
    if (!curve || !summary)
        st = socind__fail(SOCIND_ERR_NULL, "%s is NULL", !curve ? "curve" : "summary");
    else if (!design1 || !design2)
        st = socind__fail(SOCIND_ERR_NULL, "design%d is NULL", !design1 ? 1 : 2);
    else if (!y1 || !y2)
        st = socind__fail(SOCIND_ERR_NULL, "y%d is NULL", !y1 ? 1 : 2);
    else if (!line)
        st = socind__fail(SOCIND_ERR_NULL, "line is NULL");
    if (st) goto done;
    if (!(price_ratio > 0.0) || isinf(price_ratio)) {
        st =
            socind__fail(SOCIND_ERR_ARG, "price_ratio must be finite and > 0, got %g", price_ratio);
        goto done;
    }
    if (p && n_p == 0) {
        st = socind__fail(SOCIND_ERR_ARG, "n_p is 0: give at least one percentile");
        goto done;
    }
    if (!p && n_p != 0 && n_p != SOCIND_GIC_DEFAULT_POINTS) {
        st =
            socind__fail(SOCIND_ERR_ARG, "p is NULL (the default grid of %d points) but n_p is %zu",
                         SOCIND_GIC_DEFAULT_POINTS, n_p);
        goto done;
    }
    for (size_t i = 0; p && i < n_p; i++)
        if (!(p[i] > 0.0 && p[i] < 1.0)) {
            st = socind__fail(SOCIND_ERR_ARG, "p[%zu] is %g; percentiles must be in (0, 1)", i,
                              p[i]);
            goto done;
        }
    if ((st = socind__line_validate(design1, line, &L))) goto done;
    if ((st = socind__resolve_options(opts, &o))) goto done;
    if (design1->rep || design2->rep) {
        st = socind__fail(SOCIND_ERR_ARG,
                          "design%d has replicate weights: the growth incidence curve takes "
                          "linearization designs only",
                          design1->rep ? 1 : 2);
        goto done;
    }
    if ((st = round_init(&R[0], design1, y1, &o, 1))) goto done;
    if ((st = round_init(&R[1], design2, y2, &o, 2))) goto done;
    const size_t n1 = R[0].nr ? R[0].nr : 1, n2 = R[1].nr ? R[1].nr : 1;
    v1 = malloc(n1 * sizeof *v1);
    v2 = malloc(n2 * sizeof *v2);
    uH = malloc(n1 * sizeof *uH);
    pp1 = calloc(n1, sizeof *pp1);
    pp2 = calloc(n2, sizeof *pp2);
    if (!v1 || !v2 || !uH || !pp1 || !pp2) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        goto done;
    }
    const double df = design1->df + design2->df, r = price_ratio;
    double se;

    /* the curve */
    for (size_t i = 0; i < np; i++) {
        double pi = p ? p[i] : grid(i);
        int32_t est;
        double g = gic_point(R, pi, r, v1, v2, &est);
        se = NAN;
        if (!est && (st = two_round_se(R, v1, 1.0, v2, 1.0, &se))) {
            if (st != SOCIND_ERR_LONELY_PSU) goto done;
            est = st, st = SOCIND_OK;
        }
        if (!est && isnan(se)) est = SOCIND_ERR_DATA;
        fill(&curve[i], g, se, est, R, &o, df);
    }

    /* the growth rate in the mean */
    {
        double mu1 = R[0].Y / R[0].N, mu2 = R[1].Y / R[1].N;
        int32_t est = SOCIND_OK;
        double g = NAN;
        se = NAN;
        if (!(mu1 > 0.0)) {
            est = SOCIND_ERR_DATA;
        } else {
            g = mu2 / (r * mu1) - 1.0;
            for (size_t i = 0; i < R[0].nr; i++) v1[i] = (R[0].x.it[i].y - mu1) / R[0].N;
            for (size_t i = 0; i < R[1].nr; i++) v2[i] = (R[1].x.it[i].y - mu2) / R[1].N;
            st = two_round_se(R, v1, -(1.0 + g) / mu1, v2, 1.0 / (r * mu1), &se);
            if (st == SOCIND_ERR_LONELY_PSU) est = st, st = SOCIND_OK;
            if (st) goto done;
        }
        fill(&summary[SOCIND_GIC_MEAN], g, se, est, R, &o, df);
    }

    /* H1 */
    double H = NAN;
    int32_t hest = SOCIND_OK;
    if ((st = headcount(&R[0], &L, uH, &H, &hest))) goto done;
    {
        socind_estimate *e = &summary[SOCIND_GIC_HEADCOUNT];
        socind__estimate_nan(e, SOCIND_OK);
        e->value = H;
        e->n = (int64_t)(R[0].nr + R[0].nz);
        e->weight_sum = R[0].N;
        double var = NAN;
        int32_t vst = hest ? hest : round_var(&R[0], uH, &var);
        if (vst && vst != SOCIND_ERR_LONELY_PSU) {
            st = vst;
            goto done;
        }
        if (vst) {
            socind__estimate_undefined(e, vst, e->n, e->weight_sum, design1->df);
            if (vst == SOCIND_ERR_LONELY_PSU || isfinite(H)) e->value = H;
        } else {
            e->se = sqrt(var);
            socind__fill_ci(e, &o, design1->df, 1);
        }
    }

    /* the growth rate in the mean of the poorest H1 */
    {
        int32_t est = hest;
        double g = NAN;
        se = NAN;
        if (!est && !(H > 0.0)) est = SOCIND_ERR_DATA;
        if (!est) {
            double Q1, Q2;
            double GL1 = round_gl(&R[0], H, &Q1, v1);
            double GL2 = round_gl(&R[1], H, &Q2, v2);
            if (!(GL1 > 0.0)) {
                est = SOCIND_ERR_DATA;
            } else {
                /* 1 + g = GL2/(r·GL1): d(1 + g) = dGL2/(r·GL1) − (1 + g)·dGL1/GL1
                   + (Q2/(r·GL1) − (1 + g)·Q1/GL1)·dH1 (GL_t' = Q_t) */
                g = GL2 / (r * GL1) - 1.0;
                const double c = 1.0 + g, dH = Q2 / (r * GL1) - c * Q1 / GL1;
                for (size_t i = 0; i < R[0].nr; i++) v1[i] = -c * v1[i] / GL1 + dH * uH[i];
                for (size_t i = 0; i < R[1].nr; i++) v2[i] = v2[i] / (r * GL1);
                st = two_round_se(R, v1, 1.0, v2, 1.0, &se);
                if (st == SOCIND_ERR_LONELY_PSU) est = st, st = SOCIND_OK;
                if (st) goto done;
                if (!est && isnan(se)) est = SOCIND_ERR_DATA;
            }
        }
        fill(&summary[SOCIND_GIC_MEAN_POOR], g, se, est, R, &o, df);
    }

    /* the rate of pro-poor growth: the mean of g(k/100), k/100 <= H1 */
    {
        int32_t est = hest;
        double ppg = NAN;
        se = NAN;
        size_t K = 0;
        if (!est)
            while (K < SOCIND_GIC_DEFAULT_POINTS && grid(K) <= H) K++;
        if (!est && K == 0) est = SOCIND_ERR_DATA;
        if (!est) {
            socind__ksum S = {0, 0};
            for (size_t k = 0; k < K && !est; k++) {
                int32_t pe;
                double g = gic_point(R, grid(k), r, v1, v2, &pe);
                if (pe == SOCIND_ERR_DATA && !isfinite(g)) est = pe;
                socind__kadd(&S, g);
                for (size_t i = 0; i < R[0].nr; i++) pp1[i] += v1[i];
                for (size_t i = 0; i < R[1].nr; i++) pp2[i] += v2[i];
                if (pe && !est) est = pe; /* no density: the SE is NaN */
            }
            if (!est || est == SOCIND_ERR_DATA) ppg = socind__kval(&S) / (double)K;
            if (!isfinite(ppg)) ppg = NAN;
            if (!est) {
                st = two_round_se(R, pp1, 1.0 / (double)K, pp2, 1.0 / (double)K, &se);
                if (st == SOCIND_ERR_LONELY_PSU) est = st, st = SOCIND_OK;
                if (st) goto done;
                if (!est && isnan(se)) est = SOCIND_ERR_DATA;
            }
        }
        fill(&summary[SOCIND_GIC_PRO_POOR], ppg, se, est, R, &o, df);
    }

done:
    if (st) {
        if (curve && (p || n_p == 0 || n_p == SOCIND_GIC_DEFAULT_POINTS))
            for (size_t i = 0; i < np; i++) socind__estimate_nan(&curve[i], st);
        if (summary)
            for (int k = 0; k < SOCIND_GIC_COUNT; k++) socind__estimate_nan(&summary[k], st);
    }
    free(v1), free(v2), free(uH), free(pp1), free(pp2);
    round_free(&R[0]);
    round_free(&R[1]);
    return st;
}
