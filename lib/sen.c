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
 * (convey's svygini). Walking the poor in x order, each PSU gathers its
 * poor's Σw, Σw·x, Σw·r·x, Σw·P, Σw², Σw²·x and Σw·g (long doubles; r the
 * cumulative weight, P the Σw·x before the row), and each part's PSU total
 * of w·u is a function of those sums and the PSU's non-poor weight
 * (socind__sen_cell, which the partial states' cells use too). Written so,
 * G_g's total is formed without the N̂·Σw·g that cancels where a domain's
 * poor are few (a domain in one PSU: its total is exactly 1/N̂, from
 * convey's N̂ + 1). The design's variance engine makes the SEs. */
#include <stdlib.h>
#include <string.h>

#include "poverty_internal.h"

#define WHICH_SEN 0
#define WHICH_SST 1
#define NPART 4
#define NACC 7 /* A0, A1, A2, A3, W2, W2x, Gc */

typedef struct {
    const socind_design *d;
    const double *y;
    socind_poverty_line L;
    socind_options o;
    socind__work wk;
    socind__item *it;   /* the domain's poor rows of weight > 0 (x in .y) */
    double *z[NPART];   /* per-PSU totals of w·u, one vector per part */
    long double *wnp;   /* per-PSU weight of the non-poor rows */
    long double *acc;   /* per PSU the poor's sums (socind__sen_cell's A0 .. Gc) */
    socind__psuset dom; /* the PSUs the domain touches */
} sctx;

static void sctx_free(sctx *c) {
    free(c->it);
    for (int j = 0; j < NPART; j++) free(c->z[j]);
    free(c->wnp);
    free(c->acc);
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
    c->acc = calloc(P * NACC, sizeof *c->acc);
    c->dom.mark = calloc(P, 1);
    c->dom.list = malloc(P * sizeof *c->dom.list);
    c->dom.n = 0;
    int ok = c->it && c->wnp && c->acc && c->dom.mark && c->dom.list;
    for (int j = 0; j < NPART; j++) ok = ok && c->z[j];
    if (!ok) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    return socind__work_init(&c->wk, d, 1);
}

/* Clears the per-PSU buffers of the domain's PSUs. */
static void domain_clear(sctx *c) {
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        for (int j = 0; j < NPART; j++) c->z[j][p] = 0.0;
        for (int j = 0; j < NACC; j++) c->acc[(size_t)p * NACC + (size_t)j] = 0.0L;
        c->wnp[p] = 0.0L;
    }
    socind__psuset_clear(&c->dom);
}

/* A domain's sums. */
typedef struct {
    size_t np;      /* poor rows of weight > 0 (in it) */
    int64_t n;      /* usable rows (weight 0 included) */
    double N, Np;   /* Σ w, Σ w over the poor */
    long double Nl; /* Σ w unrounded (the PSU totals' arithmetic) */
    double Xp, G;   /* Σ w x and Σ w g over the poor */
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
    long double Nl = 0.0L;
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
        Nl += wk;
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
    s->N = socind__pair_value(N.s, N.c);
    s->Nl = Nl;
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

void socind__sen_domain(socind__sen_dom *d) {
    const long double N = d->N, Np = d->Np, Xp = d->Xp, G = d->G;
    long double *v = d->lv;
    for (int k = 0; k < NPART; k++) v[k] = NAN, d->v[k] = NAN, d->st[k] = SOCIND_OK;
    d->B = d->om = 0.0L;
    /* the linearization divides by N̂³ and N̂·N̂p² (the Gini counts weights
       as people: they cannot be rescaled): where these leave the double
       range (weights near 1e100, or near 1e-100) every part is
       SOCIND_ERR_OVERFLOW rather than an SE made of 0 or ∞ */
    const double Nd = (double)N, Npd = (double)Np;
    const double N3 = Nd * Nd * Nd, NNp2 = Nd * Npd * Npd;
    /* (and a sum beyond the double range — a poor row's y/z beyond it
       makes its gap infinite —, which a state's sums in doubles cannot
       hold: the same status in memory and from states) */
    const double in_range[5] = {(double)G, (double)Xp, (double)d->T1, (double)d->W2,
                                (double)d->W2x};
    int sums_ok = 1;
    for (int k = 0; k < (d->sst ? 5 : 3); k++) sums_ok &= isfinite(in_range[k]);
    if (!(isfinite(N3) && N3 != 0.0 && isfinite(NNp2) && (NNp2 != 0.0 || Npd == 0.0)) || !sums_ok) {
        for (int k = 0; k < NPART; k++) d->st[k] = SOCIND_ERR_OVERFLOW;
        return;
    }
    const int have_poor = Np > 0.0L;
    v[1] = Np / N;
    v[2] = have_poor ? G / Np : NAN;
    if (!have_poor) d->st[2] = d->st[3] = SOCIND_ERR_DATA;
    if (!d->sst) {
        /* B = 2T − (N̂p + 1)·X̂p: G_p = B/(N̂p X̂p), Sen = (N̂p·G + B)/(N̂ N̂p) */
        d->B = have_poor ? 2.0L * d->T1 - (Np + 1.0L) * Xp : 0.0L;
        v[0] = have_poor ? (Np * G + d->B) / (N * Np) : 0.0L;
        if (have_poor && Xp == 0.0L) d->st[3] = SOCIND_ERR_DATA;
        if (!d->st[3]) v[3] = d->B / (Np * Xp);
    } else {
        /* T_g = Σ w·r'·g over the poor, r' = N̂ − r + w (the non-poor, g =
           0, first): N̂·G − Σ w·r·g + Σ w²·g, with Σ w·r = (N̂p² + Σ w²)/2;
           SST = (2T_g − G)/N̂² = G·(2 − om)/N̂ and G_g = B/(N̂·G) = 1 − om,
           B = 2T_g − (N̂ + 1)·G, om = (G + N̂p² − Σw² − 2T1 + 2Σw²x)/(N̂·G):
           written with om, no N̂·G is formed to cancel */
        if (have_poor && G == 0.0L) d->st[3] = SOCIND_ERR_DATA;
        if (have_poor && G != 0.0L) {
            d->om = (G + Np * Np - d->W2 - 2.0L * d->T1 + 2.0L * d->W2x) / (N * G);
            d->B = (1.0L - d->om) * N * G;
            v[0] = G * (2.0L - d->om) / N;
            v[3] = 1.0L - d->om;
        } else {
            v[0] = 0.0L; /* no poor (or every poor row at the line: SST 0) */
        }
    }
    for (int k = 0; k < NPART; k++) d->v[k] = (double)v[k];
}

void socind__sen_cell(const socind__sen_dom *d, long double wnp, long double A0, long double A1,
                      long double A2, long double A3, long double W2, long double W2x,
                      long double Gc, long double z[4]) {
    const long double N = d->N, Np = d->Np, Xp = d->Xp, G = d->G, B = d->B;
    for (int k = 0; k < NPART; k++) z[k] = 0.0L;
    if (d->st[1]) return; /* (every part: out of range) */
    const long double P0 = d->lv[1], v0 = d->lv[0];
    z[1] = wnp * (-P0 / N) + A0 * (1.0L - P0) / N;
    if (!(Np > 0.0L)) return; /* no poor: the index and P0 are 0, their totals 0 */
    z[2] = (Gc - d->lv[2] * A0) / Np;
    if (!d->sst) {
        /* a poor row's w·dT (dT = the poor's income at or after it + r·x)
           sums to X̂p·A0 − A3 + A2; uB = 2·dT − (N̂p + 1)·x − X̂p */
        const long double UB = 2.0L * (Xp * A0 - A3 + A2) - (Np + 1.0L) * A1 - Xp * A0;
        z[0] = wnp * (-v0 / N) + Gc / N - A0 * G / (N * N) + UB / (N * Np) - A0 * B / (N * N * Np) -
               A0 * B / (N * Np * Np);
        if (!d->st[3]) {
            const long double Gp = d->lv[3];
            z[3] = UB / (Np * Xp) - Gp * A0 / Np - Gp * A1 / Xp;
        }
    } else {
        /* w·dT (dT = r'·g + the gaps at or before the row) sums to
           N̂·Gc + A2 − A3 + Σw² − 2·Σw²·x; G_g's total written with
           1 − G_g (om), so that no N̂·Gc is formed to cancel */
        const long double R = A2 - A3 + W2 - 2.0L * W2x, SdT = N * Gc + R;
        z[0] = wnp * (2.0L * G / (N * N) - 2.0L * v0 / N) + (2.0L * SdT - Gc) / (N * N) -
               2.0L * v0 * A0 / N;
        if (!d->st[3])
            z[3] = wnp * d->om / N + (2.0L * R - Gc - 2.0L * G * A0) / (N * G) +
                   d->om * (A0 / N + Gc / G);
    }
}

/* One domain: the sums, the values, each PSU's poor sums (in x order) and
 * from them each part's PSU totals (socind__sen_cell), and the estimates.
 * Parts: 0 the index, 1 P0, 2 I, 3 the Gini (of the poor's x for Sen, of
 * every row's g for SST). */
static int32_t one_domain(sctx *c, int which, const socind__groups *g, int32_t j,
                          socind_estimate *e) {
    dsums s;
    memset(&s, 0, sizeof s);
    int32_t st = gather(c, g, j, &s);
    if (st) return st;
    /* rows whose weights' sum left the double range (N̂ a NaN: the pair
       overflowed): every part SOCIND_ERR_OVERFLOW, as a state's, not an
       empty domain */
    const int32_t why = s.n > 0 && !isfinite(s.N)  ? SOCIND_ERR_OVERFLOW
                        : s.n == 0 || !(s.N > 0.0) ? SOCIND_ERR_EMPTY_DOMAIN
                                                   : SOCIND_OK;
    if (why) {
        for (int k = 0; k < NPART; k++) socind__estimate_undefined(&e[k], why, s.n, s.N, c->d->df);
        domain_clear(c);
        return SOCIND_OK;
    }
    st = socind__sort_items(c->it, s.np);
    if (st) return st;
    const socind__item *it = c->it;
    socind__sen_dom dm;
    memset(&dm, 0, sizeof dm);
    dm.sst = which == WHICH_SST;
    dm.N = s.Nl;
    /* the poor in x order: r their cumulative weight, P the Σw·x before */
    long double r = 0.0L, P = 0.0L;
    for (size_t i = 0; i < s.np; i++) {
        const long double x = it[i].y, w = it[i].w;
        const long double g = 1.0 - it[i].y; /* (in double, as the state's Σw·g) */
        r += w;
        long double *a = c->acc + (size_t)it[i].psu * NACC;
        a[0] += w, a[1] += w * x, a[2] += w * r * x, a[3] += w * P;
        a[4] += w * w, a[5] += w * w * x, a[6] += w * g;
        dm.Np += w, dm.Xp += w * x, dm.G += w * g, dm.T1 += w * r * x;
        dm.W2 += w * w, dm.W2x += w * w * x;
        P += w * x;
    }
    s.Np = (double)dm.Np, s.Xp = (double)dm.Xp, s.G = (double)dm.G;
    socind__sen_domain(&dm);
    for (size_t t = 0; t < c->dom.n; t++) {
        const int32_t p = c->dom.list[t];
        const long double *a = c->acc + (size_t)p * NACC;
        long double z[NPART];
        socind__sen_cell(&dm, c->wnp[p], a[0], a[1], a[2], a[3], a[4], a[5], a[6], z);
        for (int k = 0; k < NPART; k++) c->z[k][p] = (double)z[k];
    }
    for (int k = 0; k < NPART; k++) part_fill(c, k, dm.v[k], dm.st[k], k == 1, &s, &e[k]);
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
