/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/sen.c — the Sen (1976) and Sen–Shorrocks–Thon (Shorrocks 1995) poverty
 * indices with their components (DASP's isen and isst; convey's development
 * svysen and svysst), against absolute or per-row lines. See poverty.h.
 *
 * A domain's rows are read once: every usable row adds its weight to N̂ and
 * touches its PSU; a non-poor row's weight goes into its PSU's non-poor
 * weight (its influence is the same function of the totals for every
 * non-poor row); a poor row (weight > 0) is kept with its normalized income
 * x = y/z. The poor rows are sorted by x, which orders their gaps
 * g = 1 − x the other way; the Gini sums of the poor's x (Sen) or of every
 * row's g (SST) and their influence functions follow inequality.c's Gini
 * (convey's svygini). Each part's linearized value, times w, goes into
 * its PSU's total; the design's variance engine makes the SEs. */
#include <stdlib.h>
#include <string.h>

#include "poverty_internal.h"

#define WHICH_SEN 0
#define WHICH_SST 1
#define NPART 4

typedef struct {
    const socind_design *d;
    const double *y;
    socind_poverty_line L;
    socind_options o;
    socind__work wk;
    socind__item *it;   /* the domain's poor rows of weight > 0 (x in .y) */
    double *z[NPART];   /* per-PSU totals of w·u, one vector per part */
    double *wnp;        /* per-PSU weight of the non-poor rows */
    socind__psuset dom; /* the PSUs the domain touches */
} sctx;

static void sctx_free(sctx *c) {
    free(c->it);
    for (int j = 0; j < NPART; j++) free(c->z[j]);
    free(c->wnp);
    free(c->dom.mark);
    free(c->dom.list);
    socind__work_free(&c->wk);
}

static int32_t sctx_init(sctx *c, const socind_design *d, const double *y) {
    c->d = d;
    c->y = y;
    size_t P = d->npsu;
    c->it = malloc((d->n ? d->n : 1) * sizeof *c->it);
    for (int j = 0; j < NPART; j++) c->z[j] = calloc(P, sizeof *c->z[j]);
    c->wnp = calloc(P, sizeof *c->wnp);
    c->dom.mark = calloc(P, 1);
    c->dom.list = malloc(P * sizeof *c->dom.list);
    c->dom.n = 0;
    int ok = c->it && c->wnp && c->dom.mark && c->dom.list;
    for (int j = 0; j < NPART; j++) ok = ok && c->z[j];
    if (!ok) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    return socind__work_init(&c->wk, d, 1);
}

/* Clears the per-PSU buffers of the domain's PSUs. */
static void domain_clear(sctx *c) {
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        for (int j = 0; j < NPART; j++) c->z[j][p] = 0.0;
        c->wnp[p] = 0.0;
    }
    socind__psuset_clear(&c->dom);
}

/* A domain's sums. */
typedef struct {
    size_t np;    /* poor rows of weight > 0 (in it) */
    int64_t n;    /* usable rows (weight 0 included) */
    double N, Np; /* Σ w, Σ w over the poor */
    double Xp, G; /* Σ w x and Σ w g over the poor */
} dsums;

/* Reads domain j's rows: N̂, the PSUs, the non-poor weight per PSU, the poor
 * rows into it. SOCIND_ERR_DATA for an income of ±Inf (the row named). */
static int32_t gather(sctx *c, const socind__groups *g, int32_t j, dsums *s) {
    const double *y = c->y, *w = c->d->w;
    const double *lines = c->L.type == SOCIND_LINE_PER_ROW ? c->L.lines : NULL;
    const double zs = c->L.value;
    const int incl = c->L.inclusive;
    size_t ng = socind__group_size(g, j), np = 0;
    socind__ksum N = {0, 0};
    int64_t n = 0;
    for (size_t i = 0; i < ng; i++) {
        size_t k = socind__group_row(g, j, i);
        double yk = y[k], z = lines ? lines[k] : zs;
        if (isnan(yk) || isnan(z)) continue;
        if (isinf(yk))
            return socind__fail_row(SOCIND_ERR_DATA, k,
                                    "y[%zu] is %g; incomes must be finite (NaN for missing)", k,
                                    yk);
        int32_t p = c->d->row_psu[k];
        socind__psuset_add(&c->dom, p);
        n++;
        double wk = w[k];
        socind__kadd(&N, wk);
        int poor = incl ? yk <= z : yk < z;
        if (!poor) {
            c->wnp[p] += wk;
        } else if (wk > 0.0) {
            socind__item *t = &c->it[np++];
            t->y = yk / z;
            t->w = wk;
            t->psu = p;
            t->row = (uint32_t)k;
        }
    }
    s->np = np;
    s->n = n;
    s->N = socind__kval(&N);
    return SOCIND_OK;
}

/* The variance of part j's PSU totals; resets the work space. */
static int32_t part_variance(sctx *c, int j, double *var) {
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        *socind__touch(&c->wk, p) = c->z[j][p];
    }
    return socind__work_variance(&c->wk, var);
}

/* Part j's estimate from its value and PSU totals (or NaN with status
 * `undefined` when that is not SOCIND_OK). */
static void part_fill(sctx *c, int j, double value, int32_t undefined, int is_prop, const dsums *s,
                      socind_estimate *e) {
    if (undefined) {
        socind__estimate_undefined(e, undefined, s->n, s->N, c->d->df);
        return;
    }
    socind__estimate_nan(e, SOCIND_OK);
    double var;
    int32_t st = part_variance(c, j, &var);
    e->value = value;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    e->n = s->n;
    e->weight_sum = s->N;
    socind__fill_ci(e, &c->o, c->d->df, is_prop);
}

/* One domain: the sums, the values, each row's influence (times w, into its
 * PSU's totals) and the estimates. Parts: 0 the index, 1 P0, 2 I, 3 the
 * Gini (of the poor's x for Sen, of every row's g for SST). */
static int32_t one_domain(sctx *c, int which, const socind__groups *g, int32_t j,
                          socind_estimate *e) {
    dsums s;
    memset(&s, 0, sizeof s);
    int32_t st = gather(c, g, j, &s);
    if (st) return st;
    if (s.n == 0 || !(s.N > 0.0)) {
        for (int k = 0; k < NPART; k++)
            socind__estimate_undefined(&e[k], SOCIND_ERR_EMPTY_DOMAIN, s.n, s.N, c->d->df);
        domain_clear(c);
        return SOCIND_OK;
    }
    st = socind__sort_items(c->it, s.np);
    if (st) return st;
    const socind__item *it = c->it;
    const size_t np = s.np;
    const double N = s.N;
    /* the poor's totals and the Gini's rank sums, in x order: T_p = Σ r w x
       with r the poor's cumulative weight (Sen), T_g = Σ r' w g with r' the
       cumulative weight in g order, r' = N − r + w (SST: the non-poor, g = 0,
       come first) */
    socind__ksum kNp = {0, 0}, kX = {0, 0}, kG = {0, 0}, kT = {0, 0};
    long double r = 0.0L;
    for (size_t i = 0; i < np; i++) {
        double x = it[i].y, w = it[i].w, gp = 1.0 - x;
        r += w;
        socind__kadd(&kNp, w);
        socind__kadd(&kX, w * x);
        socind__kadd(&kG, w * gp);
        if (which == WHICH_SEN)
            socind__kadd(&kT, (double)r * w * x);
        else
            socind__kadd(&kT, (double)((long double)N - r + w) * w * gp);
    }
    const double Np = socind__kval(&kNp), Xp = socind__kval(&kX), G = socind__kval(&kG),
                 T = socind__kval(&kT);
    const long double Wp = r;
    s.Np = Np, s.Xp = Xp, s.G = G;
    double v[NPART];
    int32_t und[NPART] = {SOCIND_OK, SOCIND_OK, SOCIND_OK, SOCIND_OK};
    /* the linearization divides by N̂³ and N̂·N̂_p² (the Gini counts
       weights as people: they cannot be rescaled): where these leave the
       double range (weights near 1e100, or near 1e-100) every part is
       SOCIND_ERR_OVERFLOW rather than an SE made of 0 or ∞ */
    const double N3 = N * N * N, NNp2 = N * Np * Np;
    if (!(isfinite(N3) && N3 != 0.0 && isfinite(NNp2) && (NNp2 != 0.0 || Np == 0.0))) {
        for (int k = 0; k < NPART; k++)
            part_fill(c, k, NAN, SOCIND_ERR_OVERFLOW, k == 1, &s, &e[k]);
        domain_clear(c);
        return SOCIND_OK;
    }
    const double P0 = Np / N;
    v[1] = P0;
    const int have_poor = np > 0 && Np > 0.0;
    v[2] = have_poor ? G / Np : NAN;
    if (!have_poor) und[2] = und[3] = SOCIND_ERR_DATA;
    /* the influence of a non-poor row (a = 1, every other basic influence 0)
       for each part, and the coefficients of the poor rows' */
    double cnp[NPART];
    cnp[1] = -P0 / N;
    cnp[2] = 0.0;
    double B = 0.0;
    if (which == WHICH_SEN) {
        /* B = 2T − (N̂_p + 1)·X_p: G_p = B/(N̂_p X_p), Sen = (N̂_p·G + B)/(N̂ N̂_p) */
        B = have_poor ? 2.0 * T - (Np + 1.0) * Xp : 0.0;
        v[0] = have_poor ? (Np * G + B) / (N * Np) : 0.0;
        if (have_poor && Xp == 0.0) und[3] = SOCIND_ERR_DATA;
        v[3] = und[3] ? NAN : B / (Np * Xp);
        cnp[0] = -v[0] / N;
        cnp[3] = 0.0;
    } else {
        /* SST = (2T_g − G)/N̂²; G_g = B/(N̂·G), B = 2T_g − (N̂ + 1)·G */
        v[0] = have_poor ? (2.0 * T - G) / (N * N) : 0.0;
        B = have_poor ? 2.0 * T - (N + 1.0) * G : 0.0;
        if (have_poor && G == 0.0) und[3] = SOCIND_ERR_DATA;
        v[3] = und[3] ? NAN : B / (N * G);
        cnp[0] = have_poor ? 2.0 * G / (N * N) - 2.0 * v[0] / N : 0.0;
        cnp[3] = und[3] ? 0.0 : (1.0 - v[3]) / N;
    }
    /* the non-poor rows' part of each PSU total */
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        for (int k = 0; k < NPART; k++) c->z[k][p] = c->wnp[p] * cnp[k];
    }
    /* the poor rows: basic influences a = 1, b = 1 (N̂_p), cx = x (X_p),
       e = g (G), dT (the rank sum) */
    if (which == WHICH_SEN) {
        /* dT_k = Σ_{j at or after k} w_j x_j + r_k x_k, walked backwards */
        long double suffix = 0.0L, after = 0.0L;
        for (size_t i = np; i-- > 0;) {
            double x = it[i].y, w = it[i].w, gp = 1.0 - x;
            suffix += (long double)w * x;
            double rk = (double)(Wp - after);
            after += w;
            double dT = (double)suffix + rk * x;
            double uB = 2.0 * dT - (Np + 1.0) * x - Xp;
            double u[NPART];
            u[0] = gp / N - G / (N * N) + uB / (N * Np) - B / (N * N * Np) - B / (N * Np * Np);
            u[1] = (1.0 - P0) / N;
            u[2] = (gp - v[2]) / Np;
            u[3] = und[3] ? 0.0 : uB / (Np * Xp) - v[3] / Np - v[3] * x / Xp;
            for (int k = 0; k < NPART; k++) c->z[k][it[i].psu] += w * u[k];
        }
    } else {
        /* dT_g,k = r'_k g_k + Σ_{j at or before k (x order)} w_j g_j */
        long double rr = 0.0L, prefix = 0.0L;
        for (size_t i = 0; i < np; i++) {
            double x = it[i].y, w = it[i].w, gp = 1.0 - x;
            rr += w;
            prefix += (long double)w * gp;
            double rk = (double)((long double)N - rr + w);
            double dT = rk * gp + (double)prefix;
            double u[NPART];
            u[0] = (2.0 * dT - gp) / (N * N) - 2.0 * v[0] / N;
            u[1] = (1.0 - P0) / N;
            u[2] = (gp - v[2]) / Np;
            u[3] =
                und[3] ? 0.0 : (2.0 * dT - (N + 1.0) * gp - G) / (N * G) - v[3] / N - v[3] * gp / G;
            for (int k = 0; k < NPART; k++) c->z[k][it[i].psu] += w * u[k];
        }
    }
    for (int k = 0; k < NPART; k++) part_fill(c, k, v[k], und[k], k == 1, &s, &e[k]);
    domain_clear(c);
    return SOCIND_OK;
}

static int32_t drive(int which, const socind_design *d, const double *y,
                     const socind_poverty_line *line, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    const socind__arg args[2] = {{y, "y"}, {line, "line"}};
    socind__frame f;
    sctx c;
    memset(&c, 0, sizeof c);
    const int32_t G = socind__ndomains(group, n_groups);
    int32_t st = socind__frame_begin(&f, out, (size_t)G * NPART, d, args, 2);
    if (!st) st = socind__line_validate(d, line, &c.L);
    if (!st && c.L.type != SOCIND_LINE_ABSOLUTE && c.L.type != SOCIND_LINE_PER_ROW)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the %s index takes an absolute or per-row line; a relative line's "
                          "own variability is not linearized for it",
                          which == WHICH_SEN ? "Sen" : "Sen-Shorrocks-Thon");
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) {
        c.o = f.o;
        st = sctx_init(&c, d, y);
        /* as socind_fgt: the full design with zeros outside the domain */
        if (!st) socind__work_rule(&c.wk, &f.o, SOCIND_DOMAIN_RULE_FULL);
    }
    int64_t used = 0;
    for (int32_t j = 0; !st && j < f.grp.ngroups; j++) {
        socind_estimate *e = out + (size_t)j * NPART;
        st = one_domain(&c, which, &f.grp, j, e);
        if (!st && e[1].status != SOCIND_ERR_EMPTY_DOMAIN) used += e[1].n;
    }
    sctx_free(&c);
    return socind__frame_end(&f, st, used, "income");
}

int32_t socind_sen(const socind_design *design, const double *y, const socind_poverty_line *line,
                   const int32_t *group, int32_t n_groups, const socind_options *opts,
                   socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups) * SOCIND_SEN_COUNT,
                       opts, 1u << SOCIND_SEN_HEADCOUNT, SOCIND_SEN_COUNT,
                       socind_sen(SOCIND__RV, y, line, group, n_groups, opts, SOCIND__RO));
    return drive(WHICH_SEN, design, y, line, group, n_groups, opts, out);
}

int32_t socind_sst(const socind_design *design, const double *y, const socind_poverty_line *line,
                   const int32_t *group, int32_t n_groups, const socind_options *opts,
                   socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups) * SOCIND_SST_COUNT,
                       opts, 1u << SOCIND_SST_HEADCOUNT, SOCIND_SST_COUNT,
                       socind_sst(SOCIND__RV, y, line, group, n_groups, opts, SOCIND__RO));
    return drive(WHICH_SST, design, y, line, group, n_groups, opts, out);
}
