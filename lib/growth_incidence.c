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
    int overflow;    /* N̂·max|y|, Σ w y or the incomes' moments beyond the double range */
    double *ppg;     /* the pro-poor rate's values, by position in it */
} round_t;

static void round_free(round_t *r) {
    socind__items_free(&r->x);
    free(r->ppg);
}

/* The work space of a round over its design's rows. */
static int32_t round_alloc(round_t *r, const socind_design *d, const socind_options *o) {
    memset(r, 0, sizeof *r);
    r->d = d;
    int32_t st = socind__items_init(&r->x, d, o, SOCIND_DOMAIN_RULE_SUBSET);
    if (st) return st;
    r->ppg = malloc((d->n ? d->n : 1) * sizeof *r->ppg);
    if (!r->ppg) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    return SOCIND_OK;
}

/* Domain j's usable rows of round `which` (1 or 2), sorted, with their
 * totals and bandwidth; r->nr = 0 for a domain without them. */
static int32_t round_gather(round_t *r, const double *y, const socind__groups *g, int32_t j,
                            int which) {
    const socind__gather_rule rule = {
        r->d, y, NULL, NULL, 0, SOCIND_NONPOS_ERROR, 0, "the growth incidence curve"};
    double ymax;
    int32_t st = socind__gather(&rule, g, j, r->x.it, r->x.zero, &r->nr, &r->nz, &ymax);
    if (st) {
        /* say which round's row the detail names */
        char msg[512];
        snprintf(msg, sizeof msg, "%s", socind_last_error_detail());
        int64_t row = socind_last_error_row();
        return row >= 0 ? socind__fail_row(st, (size_t)row, "round %d: %s", which, msg)
                        : socind__fail(st, "round %d: %s", which, msg);
    }
    r->N = r->Y = 0.0;
    r->h = NAN;
    r->overflow = 0;
    if (r->nr == 0) return SOCIND_OK;
    if ((st = socind__sort_items(r->x.it, r->nr))) return st;
    socind__items_totals(r->x.it, r->nr, &r->N, &r->Y);
    socind__rowset rs = {&r->x.it[0].y, &r->x.it[0].w, ITEM_STRIDE, NULL, r->nr};
    socind__moments m;
    socind__moments_of(&rs, &m);
    r->h = socind__bandwidth(&m);
    r->overflow = !isfinite(r->N * ymax) || !isfinite(r->Y) || !isfinite(m.s2) ||
                  (!(r->h > 0.0) && socind__no_bandwidth_status(&m) == SOCIND_ERR_OVERFLOW);
    memset(r->ppg, 0, r->nr * sizeof *r->ppg);
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

/* Round 1's line term: the relative line's influence on every row of
 * round 1 (uz, by row; NULL for a fixed line) and the dense buffer its
 * variance is computed in. */
typedef struct {
    const double *uz;
    double *dense;
} line_term;

/* The variance of Σ w·(a·u + c·u_z) over round 1 (u by position, u_z by
 * row): through the items without a line term, else over every row of the
 * design (the line's term reaches every row: every stratum counts). */
static int32_t round1_var(round_t *r, const double *u, double a, double c, const line_term *lt,
                          double *var) {
    for (size_t i = 0; i < r->nr; i++) r->x.u[i] = a * u[i];
    if (!lt->uz || c == 0.0) return round_var(r, r->x.u, var);
    const size_t n = r->d->n;
    for (size_t k = 0; k < n; k++) lt->dense[k] = c * lt->uz[k];
    for (size_t i = 0; i < r->nr; i++) lt->dense[r->x.it[i].row] += r->x.u[i];
    socind__work_reset(&r->x.wk);
    return socind_variance(r->d, lt->dense, NULL, 1, var);
}

/* V1(a·u1 + c·u_z) + V2(b·u2) into *se (a, b, c scalars); NaN values of u1,
 * u2 or c (no density) give se NaN, values that leave the doubles once
 * scaled (a price ratio far from 1, rates near 1e300) se +Inf: the caller's
 * SOCIND_ERR_OVERFLOW (socind__fill_ci's). */
static int32_t two_round_se(round_t *R, const double *u1, double a, double c, const line_term *lt,
                            const double *u2, double b, double *se) {
    double v[2];
    int over = 0;
    *se = NAN;
    for (size_t i = 0; i < R[0].nr; i++) {
        if (isnan(u1[i])) return SOCIND_OK;
        over |= !isfinite(a * u1[i]);
    }
    for (size_t i = 0; i < R[1].nr; i++) {
        if (isnan(u2[i])) return SOCIND_OK;
        over |= !isfinite(b * u2[i]);
    }
    if (lt->uz && isnan(c)) return SOCIND_OK;
    if (over || (lt->uz && !isfinite(c))) {
        *se = INFINITY;
        return SOCIND_OK;
    }
    int32_t st = round1_var(&R[0], u1, a, c, lt, &v[0]);
    if (st) return st;
    for (size_t i = 0; i < R[1].nr; i++) R[1].x.u[i] = b * u2[i];
    if ((st = round_var(&R[1], R[1].x.u, &v[1]))) return st;
    *se = sqrt(v[0] + v[1]);
    if (isnan(*se)) *se = INFINITY; /* finite values whose squares leave the doubles */
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
 * SOCIND_ERR_DATA when Q1 <= 0 (no g) or a round has no density (no SE),
 * SOCIND_ERR_OVERFLOW when g or those values leave the doubles (a price
 * ratio far from 1: g kept where finite). */
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
    /* no density in a round: its values are NaN */
    if ((R[0].nr && isnan(v1[0])) || (R[1].nr && isnan(v2[0]))) *est = SOCIND_ERR_DATA;
    int over = !isfinite(g) || !isfinite(a) || !isfinite(b);
    for (size_t i = 0; i < R[0].nr; i++) {
        v1[i] *= a;
        over |= isinf(v1[i]);
    }
    for (size_t i = 0; i < R[1].nr; i++) {
        v2[i] *= b;
        over |= isinf(v2[i]);
    }
    if (!*est && over) *est = SOCIND_ERR_OVERFLOW;
    return g;
}

/* The relative line on the whole of round 1 (R1 gathered over every row):
 * *z and its influence u_z by row (into uz, 0 for rows it does not read). */
static int32_t relative_line(round_t *R1, const socind_poverty_line *L, double *z, double *uz) {
    const socind__item *it = R1->x.it;
    const size_t nr = R1->nr;
    const double frac = L->value;
    memset(uz, 0, R1->d->n * sizeof *uz);
    if (L->type == SOCIND_LINE_RELATIVE_QUANTILE) {
        double Q = socind__wq_sorted(it, nr, R1->N, L->quantile);
        double Fq = round_density(R1, Q);
        if (!(Fq > 0.0))
            return socind__fail(SOCIND_ERR_DATA,
                                "every income of round 1 is equal: no density at the quantile");
        *z = frac * Q;
        for (size_t i = 0; i < nr; i++)
            uz[it[i].row] = -frac * ((it[i].y <= Q ? 1.0 : 0.0) - L->quantile) / Fq;
    } else {
        double mu = R1->Y / R1->N;
        *z = frac * mu;
        for (size_t i = 0; i < nr; i++) uz[it[i].row] = frac * (it[i].y - mu) / R1->N;
    }
    return SOCIND_OK;
}

/* H1, the domain's headcount in round 1 at the line z (or the per-row
 * lines), with its linearized values uH (by position) without the line's
 * term and, for a relative line, that term's coefficient *fz = f̂_d(z)
 * (dH/dz, the domain's kernel density): u_H = uH + fz·u_z. *est
 * SOCIND_ERR_DATA when no row has a line. */
static double headcount(const round_t *R1, const socind_poverty_line *L, double z, int relative,
                        double *uH, double *fz, int32_t *est, int64_t *n_used, double *N_used) {
    const socind__item *it = R1->x.it;
    const size_t nr = R1->nr;
    *est = SOCIND_OK;
    *fz = 0.0;
    socind__ksum P = {0, 0}, N = {0, 0};
    int64_t used = 0;
    for (size_t i = 0; i < nr; i++) {
        double zi = L->type == SOCIND_LINE_PER_ROW ? L->lines[it[i].row] : z;
        if (isnan(zi)) continue;
        used++;
        socind__kadd(&N, it[i].w);
        if (L->inclusive ? it[i].y <= zi : it[i].y < zi) socind__kadd(&P, it[i].w);
    }
    const double Nl = socind__kval(&N);
    /* H1's rows: those with a line (a NaN per-row line leaves H1), weight 0
       included, as socind_fgt counts them */
    if (L->type == SOCIND_LINE_PER_ROW) {
        for (size_t i = 0; i < R1->nz; i++) used += !isnan(L->lines[R1->x.zero[i]]);
        *n_used = used;
        *N_used = Nl;
    } else {
        *n_used = (int64_t)(nr + R1->nz);
        *N_used = R1->N;
    }
    if (!(Nl > 0.0)) {
        *est = SOCIND_ERR_DATA;
        for (size_t i = 0; i < nr; i++) uH[i] = NAN;
        return NAN;
    }
    const double h = socind__kval(&P) / Nl;
    for (size_t i = 0; i < nr; i++) {
        double zi = L->type == SOCIND_LINE_PER_ROW ? L->lines[it[i].row] : z;
        int poor = L->inclusive ? it[i].y <= zi : it[i].y < zi;
        uH[i] = isnan(zi) ? 0.0 : ((poor ? 1.0 : 0.0) - h) / Nl;
    }
    if (relative) {
        *fz = round_density(R1, z) / R1->N;
        if (!isfinite(*fz)) *est = SOCIND_ERR_DATA;
    }
    return h;
}

/* H1 of round 1 (R[0], gathered) into e, with its value into *H, the
 * line term's coefficient into *fz and headcount's status into *hest: a
 * figure of round 1 alone, made for a domain round 2 lacks too. SOCIND_OK,
 * or a failure of the variance engine other than a lonely PSU. */
static int32_t headcount_estimate(round_t *R, const socind_poverty_line *L, double z,
                                  const line_term *lt, const socind_options *o, double df1,
                                  double *uH, socind_estimate *e, double *H, double *fz,
                                  int32_t *hest_out) {
    int32_t hest;
    int64_t n1;
    double N1;
    *H = headcount(&R[0], L, z, lt->uz != NULL, uH, fz, &hest, &n1, &N1);
    *hest_out = hest;
    double var = NAN;
    int32_t vst = hest ? hest : round1_var(&R[0], uH, 1.0, *fz, lt, &var);
    if (vst && vst != SOCIND_ERR_LONELY_PSU && vst != SOCIND_ERR_DATA) return vst;
    if (vst) {
        socind__estimate_undefined(e, vst, n1, N1, df1);
        if (isfinite(*H)) e->value = *H;
    } else {
        socind__estimate_nan(e, SOCIND_OK);
        e->value = *H;
        e->n = n1;
        e->weight_sum = N1;
        e->se = sqrt(var);
        socind__fill_ci(e, o, df1, 1);
    }
    return SOCIND_OK;
}

/* The default grid: k/100, k = 1 .. 99. */
static double grid(size_t k) {
    return (double)(k + 1) / 100.0;
}

/* One domain's curve (np points) and summaries, R gathered. */
static int32_t one_domain(round_t *R, const double *p, size_t np, double r,
                          const socind_poverty_line *L, double z, const line_term *lt,
                          const socind_options *o, double df, double df1, double *v1, double *v2,
                          double *uH, socind_estimate *curve, socind_estimate *summary) {
    int32_t st;
    double se;
    /* the curve */
    for (size_t i = 0; i < np; i++) {
        int32_t est;
        double g = gic_point(R, p ? p[i] : grid(i), r, v1, v2, &est);
        se = NAN;
        if (!est && (st = two_round_se(R, v1, 1.0, 0.0, lt, v2, 1.0, &se))) {
            if (st != SOCIND_ERR_LONELY_PSU) return st;
            est = st;
        }
        if (!est && isnan(se)) est = SOCIND_ERR_DATA;
        fill(&curve[i], g, se, est, R, o, df);
    }

    /* the growth rate in the mean: 1 + g = μ2/(r·μ1) */
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
            st = two_round_se(R, v1, -(1.0 + g) / mu1, 0.0, lt, v2, 1.0 / (r * mu1), &se);
            if (st == SOCIND_ERR_LONELY_PSU) est = st, st = SOCIND_OK;
            if (st) return st;
        }
        fill(&summary[SOCIND_GIC_MEAN], g, se, est, R, o, df);
    }

    /* H1 */
    double fz, H;
    int32_t hest;
    if ((st = headcount_estimate(R, L, z, lt, o, df1, uH, &summary[SOCIND_GIC_HEADCOUNT], &H, &fz,
                                 &hest)))
        return st;

    /* the growth rate in the mean of the poorest H1: 1 + g = GL2(H1)/(r·GL1(H1)) */
    {
        int32_t est = hest;
        double g = NAN;
        se = NAN;
        if (!est && !(H > 0.0)) est = SOCIND_ERR_DATA;
        if (!est) {
            double Q1, Q2;
            const double GL1 = round_gl(&R[0], H, &Q1, v1);
            const double GL2 = round_gl(&R[1], H, &Q2, v2);
            if (!(GL1 > 0.0)) {
                est = SOCIND_ERR_DATA;
            } else {
                /* d(1 + g) = dGL2/(r·GL1) − (1 + g)·dGL1/GL1
                   + (Q2/(r·GL1) − (1 + g)·Q1/GL1)·dH1 (GL_t' = Q_t). H1
                   sits on a kink of GL1 (the poorest H1 of round 1 are its
                   poor): at a fixed line either neighbouring row's income
                   as Q1 gives the poor's total exactly; the line's move
                   brings in rows at z, so its term takes Q1 = z. */
                g = GL2 / (r * GL1) - 1.0;
                const double c = 1.0 + g, dH = Q2 / (r * GL1) - c * Q1 / GL1;
                const double dHz = Q2 / (r * GL1) - c * z / GL1;
                for (size_t i = 0; i < R[0].nr; i++) v1[i] = -c * v1[i] / GL1 + dH * uH[i];
                st =
                    two_round_se(R, v1, 1.0, lt->uz ? dHz * fz : 0.0, lt, v2, 1.0 / (r * GL1), &se);
                if (st == SOCIND_ERR_LONELY_PSU) est = st, st = SOCIND_OK;
                if (st) return st;
                if (!est && isnan(se)) est = SOCIND_ERR_DATA;
            }
        }
        fill(&summary[SOCIND_GIC_MEAN_POOR], g, se, est, R, o, df);
    }

    /* the rate of pro-poor growth: the mean of g(k/100) over k/100 <= H1 */
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
            int finite = 1;
            for (size_t k = 0; k < K; k++) {
                int32_t pe;
                double g = gic_point(R, grid(k), r, v1, v2, &pe);
                finite &= isfinite(g);
                socind__kadd(&S, g);
                for (size_t i = 0; i < R[0].nr; i++) R[0].ppg[i] += v1[i];
                for (size_t i = 0; i < R[1].nr; i++) R[1].ppg[i] += v2[i];
                /* no density (the SE) or no g (DATA first), or out of the doubles */
                if (pe && (!est || pe == SOCIND_ERR_DATA)) est = pe;
            }
            if (finite) ppg = socind__kval(&S) / (double)K;
            if (!est) {
                st = two_round_se(R, R[0].ppg, 1.0 / (double)K, 0.0, lt, R[1].ppg, 1.0 / (double)K,
                                  &se);
                if (st == SOCIND_ERR_LONELY_PSU) est = st, st = SOCIND_OK;
                if (st) return st;
                if (!est && isnan(se)) est = SOCIND_ERR_DATA;
            }
        }
        fill(&summary[SOCIND_GIC_PRO_POOR], ppg, se, est, R, o, df);
    }
    return SOCIND_OK;
}

int32_t socind_growth_incidence(const socind_design *design1, const double *y1,
                                const int32_t *group1, const socind_design *design2,
                                const double *y2, const int32_t *group2, int32_t n_groups,
                                double price_ratio, const double *p, size_t n_p,
                                const socind_poverty_line *line, const socind_options *opts,
                                socind_estimate *curve, socind_estimate *summary) {
    socind__clear_detail();
    const size_t np = p ? n_p : SOCIND_GIC_DEFAULT_POINTS;
    const int32_t G = group1 && group2 && n_groups > 0 ? n_groups : 1;
    const int sized = p || n_p == 0 || n_p == SOCIND_GIC_DEFAULT_POINTS;
    /* the caller's curve slots: n_p·G (SOCIND_GIC_DEFAULT_POINTS·G for the
       default grid with n_p 0), n_p's even when it is refused with p NULL */
    const size_t nout = p || n_p ? n_p : SOCIND_GIC_DEFAULT_POINTS;
    /* every output NaN until it is computed */
    if (curve)
        for (size_t i = 0; i < nout * (size_t)G; i++)
            socind__estimate_nan(&curve[i], SOCIND_ERR_NULL);
    if (summary)
        for (size_t k = 0; k < (size_t)SOCIND_GIC_COUNT * (size_t)G; k++)
            socind__estimate_nan(&summary[k], SOCIND_ERR_NULL);
    int32_t st = SOCIND_OK;
    socind_options o;
    socind_poverty_line L;
    round_t R[2];
    memset(R, 0, sizeof R);
    socind__groups g[2];
    memset(g, 0, sizeof g);
    double *v1 = NULL, *v2 = NULL, *uH = NULL, *uz = NULL, *dense = NULL;
    if (!curve || !summary)
        st = socind__fail(SOCIND_ERR_NULL, "%s is NULL", !curve ? "curve" : "summary");
    else if (!design1 || !design2)
        st = socind__fail(SOCIND_ERR_NULL, "design%d is NULL", !design1 ? 1 : 2);
    else if (!y1 || !y2)
        st = socind__fail(SOCIND_ERR_NULL, "y%d is NULL", !y1 ? 1 : 2);
    else if (!line)
        st = socind__fail(SOCIND_ERR_NULL, "line is NULL");
    else if (!group1 != !group2)
        st = socind__fail(SOCIND_ERR_NULL, "group%d is NULL: give both group columns or neither",
                          !group1 ? 1 : 2);
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
    if (!sized) {
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
    for (int t = 0; t < 2; t++) {
        const socind_design *d = t ? design2 : design1;
        if ((st = socind__groups_init(&g[t], t ? group2 : group1, n_groups, d->n))) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s", socind_last_error_detail());
            int64_t row = socind_last_error_row();
            st = row >= 0 ? socind__fail_row(st, (size_t)row, "round %d: %s", t + 1, msg)
                          : socind__fail(st, "%s", msg);
            goto done;
        }
        if ((st = round_alloc(&R[t], d, &o))) goto done;
    }
    const size_t n1 = design1->n ? design1->n : 1, n2 = design2->n ? design2->n : 1;
    v1 = malloc(n1 * sizeof *v1);
    v2 = malloc(n2 * sizeof *v2);
    uH = malloc(n1 * sizeof *uH);
    if (!v1 || !v2 || !uH) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        goto done;
    }
    /* a relative line: estimated on the whole of round 1 */
    double z = L.type == SOCIND_LINE_ABSOLUTE ? L.value : NAN;
    line_term lt = {NULL, NULL};
    const int relative =
        L.type == SOCIND_LINE_RELATIVE_QUANTILE || L.type == SOCIND_LINE_RELATIVE_MEAN;
    if (relative) {
        uz = malloc(n1 * sizeof *uz);
        dense = malloc(n1 * sizeof *dense);
        if (!uz || !dense) {
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
            goto done;
        }
        socind__groups all = {.ngroups = 1, .n = design1->n};
        if ((st = round_gather(&R[0], y1, &all, 0, 1))) goto done;
        if (R[0].nr == 0) {
            st = socind__fail(SOCIND_ERR_EMPTY, "round 1 has no income with a positive weight "
                                                "(the relative line)");
            goto done;
        }
        if (R[0].overflow) {
            st = socind__fail(SOCIND_ERR_OVERFLOW,
                              "round 1's incomes times their weights leave the double range: no "
                              "relative line");
            goto done;
        }
        if ((st = relative_line(&R[0], &L, &z, uz))) goto done;
        lt.uz = uz;
        lt.dense = dense;
    }
    const double df = design1->df + design2->df;
    int used[2] = {0, 0};
    for (int32_t j = 0; j < G; j++) {
        for (int t = 0; t < 2; t++) {
            if ((st = round_gather(&R[t], t ? y2 : y1, &g[t], j, t + 1))) goto done;
            used[t] |= R[t].nr > 0;
        }
        socind_estimate *cj = curve + (size_t)j * np, *sj = summary + (size_t)j * SOCIND_GIC_COUNT;
        const int empty = R[0].nr == 0 || R[1].nr == 0;
        if (empty || R[0].overflow || R[1].overflow) {
            /* no row, or sums beyond the double range: no estimate of the domain */
            const int32_t why = empty ? SOCIND_ERR_EMPTY_DOMAIN : SOCIND_ERR_OVERFLOW;
            const int64_t n = (int64_t)(R[0].nr + R[0].nz + R[1].nr + R[1].nz);
            for (size_t i = 0; i < np; i++)
                socind__estimate_undefined(&cj[i], why, n, R[0].N + R[1].N, df);
            for (int k = 0; k < SOCIND_GIC_COUNT; k++)
                socind__estimate_undefined(&sj[k], why, n, R[0].N + R[1].N, df);
            /* H1 is round 1's alone: made where round 1 has the domain, else
               undefined with round 1's rows, weight and df */
            socind__estimate_undefined(&sj[SOCIND_GIC_HEADCOUNT],
                                       R[0].nr == 0 ? SOCIND_ERR_EMPTY_DOMAIN : SOCIND_ERR_OVERFLOW,
                                       (int64_t)(R[0].nr + R[0].nz), R[0].N, design1->df);
            if (R[0].nr > 0 && !R[0].overflow) {
                double H, fz;
                int32_t hest;
                if ((st = headcount_estimate(R, &L, z, &lt, &o, design1->df, uH,
                                             &sj[SOCIND_GIC_HEADCOUNT], &H, &fz, &hest)))
                    goto done;
            }
            continue;
        }
        if ((st = one_domain(R, p, np, price_ratio, &L, z, &lt, &o, df, design1->df, v1, v2, uH, cj,
                             sj)))
            goto done;
    }
    for (int t = 0; t < 2 && !st; t++)
        if (!used[t])
            st = socind__fail(SOCIND_ERR_EMPTY, "round %d has no income with a positive weight%s",
                              t + 1, group1 ? " in any domain" : "");

done:
    if (st) {
        if (curve)
            for (size_t i = 0; i < nout * (size_t)G; i++) socind__estimate_nan(&curve[i], st);
        if (summary)
            for (size_t k = 0; k < (size_t)SOCIND_GIC_COUNT * (size_t)G; k++)
                socind__estimate_nan(&summary[k], st);
    }
    free(v1), free(v2), free(uH), free(uz), free(dense);
    for (int t = 0; t < 2; t++) {
        round_free(&R[t]);
        socind__groups_free(&g[t]);
    }
    return st;
}
