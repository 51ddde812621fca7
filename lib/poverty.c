/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/poverty.c — FGT(α), number of poor, poverty gap, mean shortfall, Watts,
 * the line itself, the FGT and Watts decompositions and the subgroup profile
 * (convey's svyfgt, svywatts, svyarpt, svyfgtdec, svywattsdec), with the
 * relative line's own term in the linearized variable. See poverty.h.
 *
 * Every indicator is built from "components": for a set of rows (a domain),
 * the totals H = Σ w·h(y; z) and N = Σ w with their per-PSU totals, where the
 * PSU totals of H already carry the line's term (∂H/∂z)·Σ_{k∈PSU} w u^z_k.
 * Ratios and decompositions are then linear combinations of those per-PSU
 * vectors (Deville's chain rule), fed to the design's variance engine. The
 * line — its validation, a relative line's estimation and the density at
 * it — is poverty_line.c's. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "poverty_internal.h"

/* ---- the call's context ---- */

static void ctx_free(pctx *c) {
    free(c->ys);
    free(c->ls);
    free(c->Z);
    free(c->pH);
    free(c->pN);
    free(c->gy);
    free(c->gw);
    free(c->zH);
    free(c->zN);
    free(c->zH2);
    free(c->zN2);
    free(c->u1);
    free(c->u2);
    free(c->u3);
    free(c->present);
    socind__work_free(&c->wk);
    free(c->dom.list);
    free(c->dom.mark);
    free(c->dom_tmp);
    socind__basis_free(&c->basis);
}

/* Builds the context: validates, estimates a relative line on the whole
 * sample and the per-PSU totals of its influence function. currency: the
 * estimate is a total or ratio in the income's currency (gap,
 * shortfall), whose sums depend on the incomes' scale, not only on y/z */
static int32_t ctx_init(pctx *c, const socind_design *d, const double *y,
                        const socind_poverty_line *line, int nonpos, int need_second,
                        int currency) {
    memset(c, 0, sizeof *c);
    c->fz_full = NAN;
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    if (!y) return socind__fail(SOCIND_ERR_NULL, "y is NULL");
    int32_t st = socind__line_validate(d, line, &c->L);
    if (st) return st;
    if (nonpos != SOCIND_NONPOS_ERROR && nonpos != SOCIND_NONPOS_EXCLUDE)
        return socind__fail(SOCIND_ERR_ARG, "unknown nonpositive policy %d", (int)nonpos);
    double amax = 0.0; /* the largest magnitude of an income or a line */
    int fixed = c->L.type == SOCIND_LINE_ABSOLUTE || c->L.type == SOCIND_LINE_PER_ROW;
    if (fixed && !currency) {
        /* FGT, the poor and Watts against fixed lines depend on y and z only
           through y/z and comparisons: their scale is the line's, and the
           row loops refuse a ±Inf income they read (no pass of its own) */
        c->scan_rows = 1;
    } else if (!fixed && !currency) {
        /* a relative line's first pass over every row finds the largest
           |y| (socind__line_relative): no pass of its own either */
        c->scan_rows = 2;
    } else {
        size_t inf_row = socind__first_infinite(y, d->n, &amax);
        if (inf_row < d->n)
            return socind__fail_row(SOCIND_ERR_DATA, inf_row,
                                    "y[%zu] is %g; incomes must be finite (NaN for missing)",
                                    inf_row, y[inf_row]);
    }
    if (c->L.type == SOCIND_LINE_ABSOLUTE) amax = c->L.value > amax ? c->L.value : amax;
    if (c->L.type == SOCIND_LINE_PER_ROW)
        for (size_t k = 0; k < d->n; k++) amax = c->L.lines[k] > amax ? c->L.lines[k] : amax;
    /* near the ends of the double range: incomes and lines times 2^−ex */
    c->ex = socind__scale_exponent(amax);
    if (c->ex) {
        c->ys = socind__big_alloc(d->n * sizeof *c->ys);
        if (c->L.type == SOCIND_LINE_PER_ROW) c->ls = socind__big_alloc(d->n * sizeof *c->ls);
        if (!c->ys || (c->L.type == SOCIND_LINE_PER_ROW && !c->ls))
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        socind__scale_pow2(c->ys, sizeof *c->ys, y, sizeof *y, d->n, c->ex);
        y = c->ys;
        if (c->ls) {
            socind__scale_pow2(c->ls, sizeof *c->ls, c->L.lines, sizeof *c->L.lines, d->n, c->ex);
            c->L.lines = c->ls;
        }
        if (c->L.type == SOCIND_LINE_ABSOLUTE)
            socind__scale_pow2(&c->L.value, 0, &c->L.value, 0, 1, c->ex);
    }
    c->d = d;
    c->y = y;
    c->nonpos = nonpos;
    c->relative =
        c->L.type == SOCIND_LINE_RELATIVE_QUANTILE || c->L.type == SOCIND_LINE_RELATIVE_MEAN;
    c->z = c->L.type == SOCIND_LINE_ABSOLUTE ? c->L.value : NAN;
    size_t P = d->npsu;
    c->zH = calloc(P, sizeof *c->zH);
    c->zN = calloc(P, sizeof *c->zN);
    c->u1 = calloc(P, sizeof *c->u1);
    c->u2 = calloc(P, sizeof *c->u2);
    c->u3 = calloc(P, sizeof *c->u3);
    c->present = calloc(d->nstrata, 1);
    if (need_second) {
        c->zH2 = calloc(P, sizeof *c->zH2);
        c->zN2 = calloc(P, sizeof *c->zN2);
    }
    if (!c->zH || !c->zN || !c->u1 || !c->u2 || !c->u3 || !c->present ||
        (need_second && (!c->zH2 || !c->zN2)))
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    st = socind__work_init(&c->wk, d, 1);
    if (st) return st;
    if (!c->relative) return SOCIND_OK;
    c->Z = calloc(P, sizeof *c->Z);
    if (!c->Z) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    return socind__line_relative(c);
}

typedef struct {
    double H, N, D;
    int64_t n;
} comp;

/* ---- Domains ----
 *
 * A domain's per-PSU vectors are non-zero only on the PSUs its rows touch
 * (c->dom, kept in ascending PSU order so that sums over it add in the order
 * of a loop over every PSU, zeros skipped: the same bits), except for the
 * whole-sample terms (a relative line's D·Z, the profile's whole-sample
 * totals), which every pvec carries as coefficients g; their part of the
 * variance comes from c->basis (design.c). Every buffer is 0 outside dom,
 * so a domain costs O(its rows + the PSUs they touch), and moving to the next
 * domain clears only dom. With c->dense (a test's reference) dom lists every
 * PSU, the whole-sample terms are added into s and the variance runs over
 * every PSU, as before. */

/* Clears the previous domain's entries (its PSUs) of every scratch buffer. */
static void domain_begin(pctx *c) {
    if (c->dense) return;
    double *zH2 = c->second_is_basis ? NULL : c->zH2, *zN2 = c->second_is_basis ? NULL : c->zN2;
    double *buf[7] = {c->zH, c->zN, c->u1, c->u2, c->u3, zH2, zN2};
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        for (int i = 0; i < 7; i++)
            if (buf[i]) buf[i][p] = 0.0;
    }
    socind__psuset_clear(&c->dom);
}

/* Zeroes a component's two vectors where they may hold values. */
static void begin_component(pctx *c, pvec *H, pvec *N) {
    const socind_design *d = c->d;
    if (c->dense) {
        memset(H->s, 0, d->npsu * sizeof *H->s);
        memset(N->s, 0, d->npsu * sizeof *N->s);
        memset(c->present, 0, d->nstrata);
    } else {
        for (size_t t = 0; t < c->dom.n; t++) H->s[c->dom.list[t]] = N->s[c->dom.list[t]] = 0.0;
    }
    memset(H->g, 0, sizeof H->g);
    memset(N->g, 0, sizeof N->g);
    c->all_present = 0;
}

/* Totals H and N of a component from its PSU sums (compensated), over the
 * domain's PSUs in ascending order. */
static void component_totals(const pctx *c, const double *zH, const double *zN, int64_t n, double D,
                             comp *out) {
    socind__ksum H = {0, 0}, N = {0, 0};
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        socind__kadd(&H, zH[p]);
        socind__kadd(&N, zN[p]);
    }
    out->H = socind__kval(&H);
    out->N = socind__kval(&N);
    out->n = n;
    out->D = D;
}

/* A relative line's term in a component's PSU totals: H += D·Z, with D the
 * component's ∂H/∂z (N̂·f̂(z), the domain's density, for FGT0 and the number
 * of poor); every stratum then counts as present (Z spans the sample). */
static void line_term(pctx *c, int need_density, const size_t *rows, size_t nr, pvec *H,
                      comp *out) {
    const socind_design *d = c->d;
    if (out->n == 0 || !c->relative) return;
    if (need_density) {
        double fN =
            (!rows && !isnan(c->fz_full)) ? c->fz_full : socind__line_density(c, rows, nr, c->z);
        out->D = isnan(fN) ? 0.0 : fN;
    }
    if (c->dense) {
        for (size_t p = 0; p < d->npsu; p++) H->s[p] += out->D * c->Z[p];
        memset(c->present, 1, d->nstrata);
    } else {
        H->g[BASIS_Z] = out->D;
    }
    c->all_present = 1;
}

/* One component over rows (NULL: all rows) into H/N (per-PSU totals, the
 * line's term included in H), the domain's PSUs and the present strata. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int32_t
component_impl(pctx *c, const int kind, double alpha, const size_t *rows, const int has_rows,
               size_t nr, pvec *H, pvec *N, comp *out, const int apow, const int incl,
               const int has_lines) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w, *lines = has_lines ? c->L.lines : NULL;
    begin_component(c, H, N);
    double *zH = H->s, *zN = N->s;
    socind__ksum D = {0, 0};
    int64_t n = 0;
    double zs = c->z;
    int need_density = c->relative && (kind == KIND_POOR || (kind == KIND_FGT && alpha == 0.0));
    const int watts_rows = kind == KIND_WATTS || c->watts_rows;
    const double invz = 1.0 / c->z;
    /* locals, so that stores through present (a char pointer, which may
     * alias anything) do not force reloads inside the loop */
    const int relative = c->relative, nonpos = c->nonpos;
    const int32_t *row_psu = d->row_psu, *psu_stratum = d->psu_stratum;
    unsigned char *present = c->present;
    socind__psuset dom = c->dom;
    /* PSU sums stay in registers while consecutive rows share a PSU */
    int32_t last = -1;
    double sh = 0.0, sw = 0.0;
    size_t infinite = SIZE_MAX;
    for (size_t i = 0; i < nr; i++) {
        size_t k = has_rows ? rows[i] : i;
        double yk = y[k];
        double z = lines ? lines[k] : zs;
        /* one test for a missing and an infinite income (the latter refused
           here for fixed lines, where ctx_init left it to the rows) */
        if (__builtin_expect(!(fabs(yk) <= DBL_MAX), 0)) {
            if (isnan(yk)) continue;
            infinite = k; /* named after the loop: no call inside it */
            break;
        }
        if (lines && isnan(z)) continue;
        if (watts_rows && !(yk > 0.0)) {
            if (nonpos == SOCIND_NONPOS_EXCLUDE) continue;
            return socind__fail_row(
                SOCIND_ERR_NONPOSITIVE, k,
                "y[%zu] is %g; the Watts index needs incomes > 0 (or exclude them)", k, yk);
        }
        int poor = incl ? yk <= z : yk < z;
        double h = 0.0;
        if (apow == 0 || (apow >= 1 && apow <= 2 && !relative)) {
            /* FGT 0/1/2 against a fixed line: no branch on poverty (it would
             * be mispredicted for every poor person) */
            double v = 1.0;
            if (apow > 0) {
                /* a scalar line multiplies by 1/z (within an ulp of the
                 * division; a division per row costs more than the rest) */
                double g = lines ? (z - yk) / z : (z - yk) * invz;
                v = apow == 1 ? g : g * g;
            }
            /* h = poor ? v : 0, as a bit mask (compilers turn the ternary
             * into a branch here) */
            uint64_t vb;
            memcpy(&vb, &v, sizeof vb);
            vb &= (uint64_t)0 - (uint64_t)poor;
            memcpy(&h, &vb, sizeof h);
        } else if (poor) {
            switch (kind) {
            case KIND_FGT: {
                double g = (z - yk) / z;
                h = apow == 0 ? 1.0 : apow == 1 ? g : apow == 2 ? g * g : pow(g, alpha);
                /* ∂h/∂z = α·g^(α−1)·(y/z)/z: the 1/z is applied to the
                   sum (z·z leaves the double range long before z does) */
                if (relative && alpha > 0.0 && yk != z)
                    socind__kadd(&D, w[k] * alpha * pow(g, alpha - 1.0) * (yk / z));
                break;
            }
            case KIND_POOR:
                h = 1.0;
                break;
            case KIND_GAP:
                h = z - yk;
                if (relative) socind__kadd(&D, w[k]);
                break;
            default: /* KIND_WATTS */
                h = log(z / yk);
                if (relative) socind__kadd(&D, w[k]); /* ∂h/∂z = 1/z, applied to the sum */
                break;
            }
        }
        int32_t p = row_psu[k];
        if (p != last) {
            if (last >= 0) {
                zH[last] += sh;
                zN[last] += sw;
                present[psu_stratum[last]] = 1;
                socind__psuset_add(&dom, last);
            }
            sh = sw = 0.0;
            last = p;
        }
        sh += w[k] * h;
        sw += w[k];
        n++;
    }
    if (last >= 0) {
        zH[last] += sh;
        zN[last] += sw;
        present[psu_stratum[last]] = 1;
        socind__psuset_add(&dom, last);
    }
    c->dom = dom;
    if (infinite != SIZE_MAX)
        return socind__fail_row(SOCIND_ERR_DATA, infinite,
                                "y[%zu] is %g; incomes must be finite (NaN for missing)", infinite,
                                y[infinite]);
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    /* FGT and Watts sum their derivatives without the common factor 1/z
       (a relative line is one scalar; other lines have no derivative) */
    double dz = socind__kval(&D);
    if (relative && (kind == KIND_FGT || kind == KIND_WATTS)) dz /= zs;
    component_totals(c, zH, zN, n, dz, out);
    line_term(c, need_density, rows, nr, H, out);
    return SOCIND_OK;
}

/* FGT0 or the number of poor on the whole sample from the sums the line's
 * pass made (the same totals as the row loop). */
static int32_t component_pre(pctx *c, pvec *H, pvec *N, comp *out) {
    const socind_design *d = c->d;
    begin_component(c, H, N);
    memcpy(H->s, c->pH, d->npsu * sizeof *H->s);
    memcpy(N->s, c->pN, d->npsu * sizeof *N->s);
    /* the whole sample: every PSU (every stratum is present anyway) */
    for (size_t p = 0; p < d->npsu; p++) socind__psuset_add(&c->dom, (int32_t)p);
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    component_totals(c, H->s, N->s, c->pn, 0.0, out);
    line_term(c, 1, NULL, d->n, H, out);
    return SOCIND_OK;
}

#define BUF_WATTS 512
/* Adds w·log(z/y) of the buffered poor rows (row order) to their PSU totals:
 * the incomes (and lines) gathered, log(z/y) over the buffer at once, then
 * running PSU sums. tmp holds 2·BUF_WATTS values. */
static void watts_drain(const pctx *c, const size_t *buf, size_t nb, double *tmp, double *zH) {
    const double *y = c->y, *w = c->d->w,
                 *lines = c->L.type == SOCIND_LINE_PER_ROW ? c->L.lines : NULL;
    const int32_t *row_psu = c->d->row_psu;
    for (size_t j = 0; j < nb; j++) tmp[j] = y[buf[j]];
    if (lines)
        for (size_t j = 0; j < nb; j++) tmp[BUF_WATTS + j] = lines[buf[j]];
    socind__log_ratio_many(tmp, lines ? tmp + BUF_WATTS : NULL, c->z, nb);
    int32_t last = -1;
    double acc = 0.0;
    for (size_t j = 0; j < nb; j++) {
        int32_t p = row_psu[buf[j]];
        if (p != last) {
            if (last >= 0) zH[last] += acc;
            acc = 0.0;
            last = p;
        }
        acc += w[buf[j]] * tmp[j];
    }
    if (last >= 0) zH[last] += acc;
}

/* Watts against fixed lines: log() only for the poor, without a branch per
 * row. The row pass sums weights per PSU and appends the poor rows to a small
 * buffer (always written, advanced only for the poor); the buffer is drained
 * with log(z/y) into the PSU totals. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int32_t
watts_fixed_impl(pctx *c, const size_t *rows, const int has_rows, size_t nr, pvec *H, pvec *N,
                 comp *out, const int has_lines, const int incl) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w, *lines = has_lines ? c->L.lines : NULL;
    const int32_t *row_psu = d->row_psu, *psu_stratum = d->psu_stratum;
    const int exclude = c->nonpos == SOCIND_NONPOS_EXCLUDE;
    const double zs = c->z;
    begin_component(c, H, N);
    double *zH = H->s, *zN = N->s;
    unsigned char *present = c->present;
    socind__psuset dom = c->dom;
    enum { BUF = BUF_WATTS };
    size_t buf[BUF + 1];
    double tmp[2 * BUF];
    size_t nb = 0;
    int64_t n = 0;
    int32_t last = -1;
    double sw = 0.0;
    for (size_t i = 0; i < nr; i++) {
        size_t k = has_rows ? rows[i] : i;
        double yk = y[k];
        double z = has_lines ? lines[k] : zs;
        /* one test for a missing, an infinite (a fixed line: ctx_init left
           that to the rows) and a non-positive income */
        if (__builtin_expect(!(yk > 0.0 && yk <= DBL_MAX), 0)) {
            if (isnan(yk)) continue;
            if (isinf(yk))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "y[%zu] is %g; incomes must be finite (NaN for missing)", k,
                                        yk);
            if (exclude) continue;
            return socind__fail_row(
                SOCIND_ERR_NONPOSITIVE, k,
                "y[%zu] is %g; the Watts index needs incomes > 0 (or exclude them)", k, yk);
        }
        if (has_lines && isnan(z)) continue;
        int poor = incl ? yk <= z : yk < z;
        buf[nb] = k;
        nb += (size_t)poor;
        int32_t p = row_psu[k];
        if (p != last) {
            if (last >= 0) {
                zN[last] += sw;
                present[psu_stratum[last]] = 1;
                socind__psuset_add(&dom, last);
            }
            sw = 0.0;
            last = p;
        }
        sw += w[k];
        n++;
        if (nb == BUF) {
            watts_drain(c, buf, nb, tmp, zH);
            nb = 0;
        }
    }
    if (last >= 0) {
        zN[last] += sw;
        present[psu_stratum[last]] = 1;
        socind__psuset_add(&dom, last);
    }
    watts_drain(c, buf, nb, tmp, zH);
    c->dom = dom;
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    component_totals(c, zH, zN, n, 0.0, out);
    return SOCIND_OK;
}

/* The Watts row loop specialised for the poverty rule, per-row lines and a
 * row index. */
static int32_t component_watts_fixed(pctx *c, const size_t *rows, size_t nr, pvec *H, pvec *N,
                                     comp *out) {
    const int lines = c->L.type == SOCIND_LINE_PER_ROW, incl = c->L.inclusive;
#define WATTS_CALL(L, I)                                                                           \
    (rows ? watts_fixed_impl(c, rows, 1, nr, H, N, out, L, I)                                      \
          : watts_fixed_impl(c, NULL, 0, nr, H, N, out, L, I))
    if (lines) return incl ? WATTS_CALL(1, 1) : WATTS_CALL(1, 0);
    return incl ? WATTS_CALL(0, 1) : WATTS_CALL(0, 0);
#undef WATTS_CALL
}

/* The row loop specialised for each kind, FGT power (α = 0, 1, 2 without
 * pow; R's x^2 is x*x too), poverty rule, and with or without a row index. */
#define COMPONENT_LINES(K, A, I, L)                                                                \
    (rows ? component_impl(c, K, alpha, rows, 1, nr, H, N, out, A, I, L)                           \
          : component_impl(c, K, alpha, NULL, 0, nr, H, N, out, A, I, L))
#define COMPONENT_CALL(K, A, I)                                                                    \
    (c->L.type == SOCIND_LINE_PER_ROW ? COMPONENT_LINES(K, A, I, 1) : COMPONENT_LINES(K, A, I, 0))
#define COMPONENT_INCL(K, A) (c->L.inclusive ? COMPONENT_CALL(K, A, 1) : COMPONENT_CALL(K, A, 0))

static int32_t component(pctx *c, int kind, double alpha, const size_t *rows, size_t nr, pvec *H,
                         pvec *N, comp *out) {
    if (!rows && c->have_pre && !c->watts_rows &&
        ((kind == KIND_FGT && alpha == 0.0) || kind == KIND_POOR))
        return component_pre(c, H, N, out);
    switch (kind) {
    case KIND_FGT:
        if (alpha == 0.0) return COMPONENT_INCL(KIND_FGT, 0);
        if (alpha == 1.0) return COMPONENT_INCL(KIND_FGT, 1);
        if (alpha == 2.0) return COMPONENT_INCL(KIND_FGT, 2);
        return COMPONENT_INCL(KIND_FGT, 3);
    case KIND_POOR:
        return COMPONENT_INCL(KIND_POOR, -1);
    case KIND_GAP:
        return COMPONENT_INCL(KIND_GAP, -1);
    default:
        if (!c->relative) return component_watts_fixed(c, rows, nr, H, N, out);
        return COMPONENT_INCL(KIND_WATTS, -1);
    }
}
#undef COMPONENT_INCL
#undef COMPONENT_CALL
#undef COMPONENT_LINES

/* u = (a − P·b)/N, for a ratio P = H/N the vector of u(P) (out may be a) */
static void ratio_vec(const pctx *c, const pvec *a, const pvec *b, double P, double N, pvec *u) {
    const double *as = a->s, *bs = b->s;
    double *us = u->s;
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        us[p] = ((as ? as[p] : 0.0) - P * (bs ? bs[p] : 0.0)) / N;
    }
    for (int i = 0; i < SOCIND__NBASIS; i++) u->g[i] = (a->g[i] - P * b->g[i]) / N;
}

/* The design variance of a domain's vector: over the domain's PSUs and
 * strata (a fixed line), or over every stratum (whole-sample terms). */
static int32_t vec_variance(pctx *c, const pvec *u, double *var) {
    if (c->dense) return socind__work_variance_dense(&c->wk, u->s, c->present, var);
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        *socind__touch(&c->wk, p) = u->s ? u->s[p] : 0.0;
    }
    if (!c->all_present) return socind__work_variance(&c->wk, var);
    return socind__work_variance_global(&c->wk, &c->basis, u->g, var);
}

/* An estimate with its SE from the vector u */
static void fillv_ci(pctx *c, socind_estimate *e, double value, const pvec *u, int64_t n,
                     double wsum, const socind_options *o, int is_prop) {
    socind__estimate_nan(e, SOCIND_OK);
    double var;
    int32_t st = vec_variance(c, u, &var);
    e->value = value;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    e->n = n;
    e->weight_sum = wsum;
    socind__fill_ci(e, o, c->d->df, is_prop);
}

static void fillv(pctx *c, socind_estimate *e, double value, const pvec *u, int64_t n, double wsum,
                  const socind_options *o) {
    fillv_ci(c, e, value, u, n, wsum, o, 0);
}

_Thread_local int socind__poverty_dense;

/* The domains' buffers and, for a relative line when with_basis, the
 * line's Z as the whole-sample vector (the profile adds its own). */
static int32_t ctx_domains_init(pctx *c, int with_basis) {
    const size_t P = c->d->npsu;
    c->dense = socind__poverty_dense != 0;
    c->vH.s = c->zH, c->vN.s = c->zN, c->vH2.s = c->zH2, c->vN2.s = c->zN2;
    c->v1.s = c->u1, c->v2.s = c->u2, c->v3.s = c->u3;
    c->dom.list = malloc(P * sizeof *c->dom.list);
    c->dom.mark = calloc(P, 1);
    if (!c->dense) c->dom_tmp = malloc(P * sizeof *c->dom_tmp);
    if (!c->dom.list || !c->dom.mark || (!c->dense && !c->dom_tmp))
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    c->dom.n = 0;
    if (c->dense)
        for (size_t p = 0; p < P; p++) socind__psuset_add(&c->dom, (int32_t)p);
    else if (with_basis && c->relative) {
        const double *V[SOCIND__NBASIS] = {c->Z, NULL, NULL};
        return socind__basis_init(&c->basis, c->d, V);
    }
    return SOCIND_OK;
}

/* The shared driver: per domain j, call one of the indicator bodies. */
typedef int32_t (*body_fn)(pctx *c, const size_t *rows, size_t nr, double arg,
                           const socind_options *o, socind_estimate *out);

static int32_t body_gap(pctx *c, const size_t *rows, size_t nr, double a, const socind_options *o,
                        socind_estimate *out);
static int32_t body_shortfall(pctx *c, const size_t *rows, size_t nr, double a,
                              const socind_options *o, socind_estimate *out);

static int32_t drive(const socind_design *d, const double *y, const socind_poverty_line *line,
                     int nonpos, int need_second, double arg, const int32_t *group,
                     int32_t n_groups, const socind_options *opts, socind_estimate *out,
                     int per_group, body_fn body) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    int32_t G = group ? (n_groups > 0 ? n_groups : 1) : 1;
    for (int32_t j = 0; j < G * per_group; j++) socind__estimate_nan(&out[j], SOCIND_ERR_NULL);
    socind_options o;
    pctx c;
    socind__groups grp = {0};
    int32_t st = socind__resolve_options(opts, &o);
    if (!st)
        st = ctx_init(&c, d, y, line, nonpos, need_second,
                      body == body_gap || body == body_shortfall);
    else
        memset(&c, 0, sizeof c);
    if (!st) st = socind__groups_init(&grp, group, n_groups, d->n);
    if (!st) st = ctx_domains_init(&c, 1);
    int64_t used = 0;
    for (int32_t j = 0; !st && j < grp.ngroups; j++) {
        size_t nr = socind__group_size(&grp, j);
        const size_t *rows = grp.rows ? grp.rows + grp.start[j] : NULL;
        domain_begin(&c);
        st = body(&c, rows, nr, arg, &o, out + (size_t)j * per_group);
        for (int i = 0; i < per_group; i++) used += out[(size_t)j * per_group + i].n;
    }
    if (!st && used == 0)
        st = socind__fail(SOCIND_ERR_EMPTY, "no usable observation: every income is missing or "
                                            "outside the domains");
    if (st)
        for (int32_t j = 0; j < G * per_group; j++) socind__estimate_nan(&out[j], st);
    socind__groups_free(&grp);
    ctx_free(&c);
    return st;
}

static void empty_domain(const pctx *c, socind_estimate *e, int count) {
    for (int i = 0; i < count; i++) {
        socind__estimate_nan(&e[i], SOCIND_ERR_EMPTY_DOMAIN);
        e[i].df = c->d->df;
    }
}

/* ---- indicator bodies ---- */

static int32_t body_ratio_kind(pctx *c, const size_t *rows, size_t nr, double alpha,
                               const socind_options *o, socind_estimate *out, int kind) {
    comp k;
    int32_t st = component(c, kind, alpha, rows, nr, &c->vH, &c->vN, &k);
    if (st) return st;
    if (k.n == 0 || !(k.N > 0)) {
        empty_domain(c, out, 1);
        return SOCIND_OK;
    }
    double P = k.H / k.N;
    ratio_vec(c, &c->vH, &c->vN, P, k.N, &c->v1);
    /* P0 is a proportion: its interval follows opts->prop_ci */
    fillv_ci(c, out, P, &c->v1, k.n, k.N, o, kind == KIND_FGT && alpha == 0.0);
    return SOCIND_OK;
}

static int32_t body_fgt(pctx *c, const size_t *rows, size_t nr, double alpha,
                        const socind_options *o, socind_estimate *out) {
    return body_ratio_kind(c, rows, nr, alpha, o, out, KIND_FGT);
}
static int32_t body_watts(pctx *c, const size_t *rows, size_t nr, double alpha,
                          const socind_options *o, socind_estimate *out) {
    return body_ratio_kind(c, rows, nr, alpha, o, out, KIND_WATTS);
}

static int32_t body_total_kind(pctx *c, const size_t *rows, size_t nr, const socind_options *o,
                               socind_estimate *out, int kind) {
    comp k;
    int32_t st = component(c, kind, 0.0, rows, nr, &c->vH, &c->vN, &k);
    if (st) return st;
    if (k.n == 0) {
        empty_domain(c, out, 1);
        return SOCIND_OK;
    }
    fillv(c, out, k.H, &c->vH, k.n, k.N, o);
    if (kind == KIND_GAP) socind__estimate_scale(out, c->ex); /* currency */
    return SOCIND_OK;
}
static int32_t body_poor(pctx *c, const size_t *rows, size_t nr, double a, const socind_options *o,
                         socind_estimate *out) {
    (void)a;
    return body_total_kind(c, rows, nr, o, out, KIND_POOR);
}
static int32_t body_gap(pctx *c, const size_t *rows, size_t nr, double a, const socind_options *o,
                        socind_estimate *out) {
    (void)a;
    return body_total_kind(c, rows, nr, o, out, KIND_GAP);
}

static int32_t body_shortfall(pctx *c, const size_t *rows, size_t nr, double a,
                              const socind_options *o, socind_estimate *out) {
    (void)a;
    comp g, p;
    int32_t st = component(c, KIND_GAP, 0.0, rows, nr, &c->vH, &c->vN, &g);
    if (!st) st = component(c, KIND_POOR, 0.0, rows, nr, &c->vH2, &c->vN2, &p);
    if (st) return st;
    if (g.n == 0) {
        empty_domain(c, out, 1);
        return SOCIND_OK;
    }
    if (!(p.H > 0)) {
        socind__estimate_nan(out, SOCIND_ERR_DATA);
        out->n = g.n;
        out->weight_sum = g.N;
        out->df = c->d->df;
        return SOCIND_OK;
    }
    double R = g.H / p.H;
    ratio_vec(c, &c->vH, &c->vH2, R, p.H, &c->v1);
    fillv(c, out, R, &c->v1, g.n, g.N, o);
    socind__estimate_scale(out, c->ex); /* currency */
    return SOCIND_OK;
}

static int32_t body_fgtdec(pctx *c, const size_t *rows, size_t nr, double alpha,
                           const socind_options *o, socind_estimate *out) {
    comp k0, k1, kg;
    int32_t st = component(c, KIND_FGT, 0.0, rows, nr, &c->vH, &c->vN, &k0);
    if (st) return st;
    if (k0.n == 0 || !(k0.N > 0)) {
        empty_domain(c, out, SOCIND_FGTDEC_COUNT);
        return SOCIND_OK;
    }
    double N = k0.N, P0 = k0.H / N;
    ratio_vec(c, &c->vH, &c->vN, P0, N, &c->v1); /* u(P0) */
    fillv(c, &out[SOCIND_FGTDEC_P0], P0, &c->v1, k0.n, N, o);
    if ((st = component(c, KIND_FGT, 1.0, rows, nr, &c->vH, &c->vN, &k1))) return st;
    double P1 = k1.H / N;
    ratio_vec(c, &c->vH, &c->vN, P1, N, &c->v2); /* u(P1) */
    fillv(c, &out[SOCIND_FGTDEC_P1], P1, &c->v2, k0.n, N, o);
    if ((st = component(c, KIND_FGT, alpha, rows, nr, &c->vH, &c->vN, &kg))) return st;
    double Pg = kg.H / N;
    ratio_vec(c, &c->vH, &c->vN, Pg, N, &c->v3); /* u(Pα) */
    fillv(c, &out[SOCIND_FGTDEC_PALPHA], Pg, &c->v3, k0.n, N, o);
    if (!(P0 > 0)) {
        for (int i = SOCIND_FGTDEC_IGR; i <= SOCIND_FGTDEC_GE; i++) {
            socind__estimate_nan(&out[i], SOCIND_ERR_DATA);
            out[i].n = k0.n;
            out[i].df = c->d->df;
        }
        return SOCIND_OK;
    }
    double I = P1 / P0;
    /* u(IGR) = (u(P1) − IGR·u(P0))/P0, stored over u2 */
    ratio_vec(c, &c->v2, &c->v1, I, P0, &c->v2);
    fillv(c, &out[SOCIND_FGTDEC_IGR], I, &c->v2, k0.n, N, o);
    double g2 = alpha * alpha - alpha, Ig = pow(I, alpha);
    double ge = (Pg / (P0 * Ig) - 1.0) / g2;
    double dPg = 1.0 / (P0 * Ig * g2), dP0 = -Pg / (P0 * P0 * Ig * g2),
           dI = -alpha * Pg / (P0 * pow(I, alpha + 1.0) * g2);
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        c->u3[p] = dPg * c->u3[p] + dP0 * c->u1[p] + dI * c->u2[p];
    }
    for (int i = 0; i < SOCIND__NBASIS; i++)
        c->v3.g[i] = dPg * c->v3.g[i] + dP0 * c->v1.g[i] + dI * c->v2.g[i];
    fillv(c, &out[SOCIND_FGTDEC_GE], ge, &c->v3, k0.n, N, o);
    return SOCIND_OK;
}

static int32_t body_wattsdec(pctx *c, const size_t *rows, size_t nr, double a,
                             const socind_options *o, socind_estimate *out) {
    (void)a;
    comp kw, k0, k1;
    c->watts_rows = 1;
    int32_t st = component(c, KIND_WATTS, 0.0, rows, nr, &c->vH, &c->vN, &kw);
    if (st) return st;
    if (kw.n == 0 || !(kw.N > 0)) {
        empty_domain(c, out, SOCIND_WATTSDEC_COUNT);
        return SOCIND_OK;
    }
    double N = kw.N, W = kw.H / N;
    ratio_vec(c, &c->vH, &c->vN, W, N, &c->v1);
    fillv(c, &out[SOCIND_WATTSDEC_WATTS], W, &c->v1, kw.n, N, o);
    /* P0 and P1 over the same rows (Watts' exclusions apply to them too) */
    if ((st = component(c, KIND_FGT, 0.0, rows, nr, &c->vH, &c->vN, &k0))) return st;
    double P0 = k0.H / N;
    ratio_vec(c, &c->vH, &c->vN, P0, N, &c->v2);
    fillv(c, &out[SOCIND_WATTSDEC_P0], P0, &c->v2, kw.n, N, o);
    if ((st = component(c, KIND_FGT, 1.0, rows, nr, &c->vH, &c->vN, &k1))) return st;
    double P1 = k1.H / N;
    ratio_vec(c, &c->vH, &c->vN, P1, N, &c->v3);
    if (!(P0 > 0) || !(P0 > P1)) {
        for (int i = SOCIND_WATTSDEC_GAP_RATIO; i <= SOCIND_WATTSDEC_THEIL_POOR; i++) {
            socind__estimate_nan(&out[i], SOCIND_ERR_DATA);
            out[i].n = kw.n;
            out[i].df = c->d->df;
        }
        return SOCIND_OK;
    }
    double pgr = log(P0 / (P0 - P1));
    double a0 = 1.0 / P0 - 1.0 / (P0 - P1), a1 = 1.0 / (P0 - P1);
    /* u(W_pgr) into zN (free now), u(L_poor) into zH */
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        c->zN[p] = a0 * c->u2[p] + a1 * c->u3[p];
    }
    for (int i = 0; i < SOCIND__NBASIS; i++) c->vN.g[i] = a0 * c->v2.g[i] + a1 * c->v3.g[i];
    fillv(c, &out[SOCIND_WATTSDEC_GAP_RATIO], pgr, &c->vN, kw.n, N, o);
    double L = W / P0 - pgr;
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        c->zH[p] = c->u1[p] / P0 - W / (P0 * P0) * c->u2[p] - c->zN[p];
    }
    for (int i = 0; i < SOCIND__NBASIS; i++)
        c->vH.g[i] = c->v1.g[i] / P0 - W / (P0 * P0) * c->v2.g[i] - c->vN.g[i];
    fillv(c, &out[SOCIND_WATTSDEC_THEIL_POOR], L, &c->vH, kw.n, N, o);
    return SOCIND_OK;
}

/* ---- public functions ---- */

int32_t socind_poverty_line_init(socind_poverty_line *line) {
    socind__clear_detail();
    if (!line) return socind__fail(SOCIND_ERR_NULL, "line is NULL");
    memset(line, 0, sizeof *line);
    line->size = sizeof *line;
    line->type = SOCIND_LINE_ABSOLUTE;
    line->value = NAN;
    line->quantile = 0.5;
    return SOCIND_OK;
}

/* SOCIND_ERR_ARG (with the detail) unless α is finite and >= 0 (> min_excl
 * when min_excl >= 0); every estimate of out[0 .. count) is then NaN with
 * that status. */
static int32_t check_alpha(double alpha, socind_estimate *out, int64_t count, double min_excl) {
    if (!(alpha >= 0.0) || isinf(alpha) || (min_excl >= 0 && !(alpha > min_excl))) {
        if (out)
            for (int64_t i = 0; i < count; i++) socind__estimate_nan(&out[i], SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "alpha must be finite and %s %g, got %g",
                            min_excl >= 0 ? ">" : ">=", min_excl >= 0 ? min_excl : 0.0, alpha);
    }
    return SOCIND_OK;
}

int32_t socind_fgt(const socind_design *design, const double *y, const socind_poverty_line *line,
                   double alpha, const int32_t *group, int32_t n_groups, const socind_options *opts,
                   socind_estimate *out) {
    socind__clear_detail();
    if (out && check_alpha(alpha, out, group ? (n_groups > 0 ? n_groups : 1) : 1, -1))
        return SOCIND_ERR_ARG;
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, alpha, group, n_groups, opts, out, 1,
                 body_fgt);
}

int32_t socind_poor_count(const socind_design *design, const double *y,
                          const socind_poverty_line *line, const int32_t *group, int32_t n_groups,
                          const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, 0.0, group, n_groups, opts, out, 1,
                 body_poor);
}

int32_t socind_poverty_gap_total(const socind_design *design, const double *y,
                                 const socind_poverty_line *line, const int32_t *group,
                                 int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out) {
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, 0.0, group, n_groups, opts, out, 1,
                 body_gap);
}

int32_t socind_mean_shortfall(const socind_design *design, const double *y,
                              const socind_poverty_line *line, const int32_t *group,
                              int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 1, 0.0, group, n_groups, opts, out, 1,
                 body_shortfall);
}

int32_t socind_watts(const socind_design *design, const double *y, const socind_poverty_line *line,
                     int32_t nonpositive, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, nonpositive, 0, 0.0, group, n_groups, opts, out, 1, body_watts);
}

int32_t socind_fgt_decomposition(const socind_design *design, const double *y,
                                 const socind_poverty_line *line, double alpha,
                                 const int32_t *group, int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out) {
    socind__clear_detail();
    if (out && check_alpha(alpha, out,
                           SOCIND_FGTDEC_COUNT * (group ? (n_groups > 0 ? n_groups : 1) : 1), 1.0))
        return SOCIND_ERR_ARG;
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, alpha, group, n_groups, opts, out,
                 SOCIND_FGTDEC_COUNT, body_fgtdec);
}

int32_t socind_watts_decomposition(const socind_design *design, const double *y,
                                   const socind_poverty_line *line, int32_t nonpositive,
                                   const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, nonpositive, 0, 0.0, group, n_groups, opts, out,
                 SOCIND_WATTSDEC_COUNT, body_wattsdec);
}

int32_t socind_poverty_line_estimate(const socind_design *design, const double *y,
                                     const socind_poverty_line *line, const socind_options *opts,
                                     socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    socind__estimate_nan(out, SOCIND_ERR_NULL);
    socind_options o;
    pctx c;
    int32_t st = socind__resolve_options(opts, &o);
    if (!st && line && line->type == SOCIND_LINE_PER_ROW)
        st = socind__fail(SOCIND_ERR_ARG, "a per-row line has no single value to estimate");
    if (!st)
        st = ctx_init(&c, design, y, line, SOCIND_NONPOS_ERROR, 0, 1);
    else
        memset(&c, 0, sizeof c);
    if (!st) st = ctx_domains_init(&c, 1);
    if (!st) {
        int64_t n = 0;
        socind__ksum N = {0, 0};
        for (size_t k = 0; k < design->n; k++)
            if (!isnan(y[k])) {
                n++;
                socind__kadd(&N, design->w[k]);
            }
        if (n == 0) {
            st = socind__fail(SOCIND_ERR_EMPTY, "every income is missing");
        } else {
            /* the line's linearized variable: Z for a relative line (its
               term with D = 1), nothing for a fixed one (SE 0) */
            comp k = {.H = 0.0, .N = 0.0, .D = 1.0, .n = n};
            begin_component(&c, &c.v1, &c.v2);
            line_term(&c, 0, NULL, 0, &c.v1, &k);
            fillv(&c, out, c.z, &c.v1, n, socind__kval(&N), &o);
            socind__estimate_scale(out, c.ex); /* currency */
        }
    }
    if (st) socind__estimate_nan(out, st);
    ctx_free(&c);
    return st;
}

int32_t socind_poverty_profile(const socind_design *design, const double *y,
                               const socind_poverty_line *line, double alpha, const int32_t *group,
                               int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    const int32_t G = n_groups > 0 ? n_groups : 1, K = SOCIND_PROFILE_COUNT;
    for (int32_t j = 0; j < G * K; j++) socind__estimate_nan(&out[j], SOCIND_ERR_NULL);
    if (!group) return socind__fail(SOCIND_ERR_NULL, "the profile needs a group column");
    if (check_alpha(alpha, out, (int64_t)G * K, -1)) return SOCIND_ERR_ARG;
    socind_options o;
    pctx c;
    socind__groups grp = {0};
    int32_t st = socind__resolve_options(opts, &o);
    if (!st)
        st = ctx_init(&c, design, y, line, SOCIND_NONPOS_ERROR, 1, 0);
    else
        memset(&c, 0, sizeof c);
    if (!st) st = socind__groups_init(&grp, group, n_groups, design->n);
    if (!st) st = ctx_domains_init(&c, 0);
    comp all;
    if (!st) st = component(&c, KIND_FGT, alpha, NULL, design->n, &c.vH2, &c.vN2, &all);
    if (!st && all.n == 0) st = socind__fail(SOCIND_ERR_EMPTY, "every income is missing");
    if (!st && !c.dense) {
        /* the whole sample's H and N by PSU become whole-sample vectors
           (with the line's Z), which every domain's share and contribution
           carry */
        const double *V[SOCIND__NBASIS] = {c.relative ? c.Z : NULL, c.zH2, c.zN2};
        st = socind__basis_init(&c.basis, design, V);
        c.vH2.s = c.vN2.s = NULL;
        c.vH2.g[BASIS_A] = 1.0;
        memset(c.vN2.g, 0, sizeof c.vN2.g);
        c.vN2.g[BASIS_B] = 1.0;
        c.second_is_basis = 1;
        socind__psuset_clear(&c.dom);
    }
    for (int32_t j = 0; !st && j < grp.ngroups; j++) {
        comp k;
        domain_begin(&c);
        st = component(&c, KIND_FGT, alpha, grp.rows + grp.start[j], socind__group_size(&grp, j),
                       &c.vH, &c.vN, &k);
        if (st) break;
        socind_estimate *e = out + (size_t)j * K;
        if (k.n == 0) {
            empty_domain(&c, e, K);
            continue;
        }
        double Pg = k.H / k.N;
        ratio_vec(&c, &c.vH, &c.vN, Pg, k.N, &c.v1);
        fillv(&c, &e[SOCIND_PROFILE_FGT], Pg, &c.v1, k.n, k.N, &o);
        /* the whole-sample terms reach every stratum */
        if (c.dense) memset(c.present, 1, design->nstrata);
        c.all_present = 1;
        double N = all.N, sh = k.N / N;
        ratio_vec(&c, &c.vN, &c.vN2, sh, N, &c.v1);
        fillv(&c, &e[SOCIND_PROFILE_SHARE], sh, &c.v1, k.n, k.N, &o);
        double ct = k.H / N;
        ratio_vec(&c, &c.vH, &c.vN2, ct, N, &c.v1);
        fillv(&c, &e[SOCIND_PROFILE_CONTRIBUTION], ct, &c.v1, k.n, k.N, &o);
        if (all.H > 0) {
            double pc = k.H / all.H;
            ratio_vec(&c, &c.vH, &c.vH2, pc, all.H, &c.v1);
            fillv(&c, &e[SOCIND_PROFILE_CONTRIBUTION_SHARE], pc, &c.v1, k.n, k.N, &o);
        } else {
            socind_estimate *cs = &e[SOCIND_PROFILE_CONTRIBUTION_SHARE];
            socind__estimate_nan(cs, SOCIND_ERR_DATA);
            cs->n = k.n;
            cs->df = design->df;
        }
    }
    if (st)
        for (int32_t j = 0; j < G * K; j++) socind__estimate_nan(&out[j], st);
    socind__groups_free(&grp);
    ctx_free(&c);
    return st;
}

int32_t socind_ppp_line(double daily_line, double ppp_factor, double cpi_survey, double cpi_base,
                        double days_per_period, double *line) {
    socind__clear_detail();
    if (!line) return socind__fail(SOCIND_ERR_NULL, "line is NULL");
    *line = NAN;
    const double v[5] = {daily_line, ppp_factor, cpi_survey, cpi_base, days_per_period};
    static const char *names[5] = {"daily_line", "ppp_factor", "cpi_survey", "cpi_base",
                                   "days_per_period"};
    for (int i = 0; i < 5; i++)
        if (!(v[i] > 0.0) || isinf(v[i]))
            return socind__fail(SOCIND_ERR_ARG, "%s must be finite and > 0, got %g", names[i],
                                v[i]);
    /* the product of the mantissas, in the formula's order, times 2 to the
       sum of the exponents: the formula's own bits wherever its products
       stay normal doubles, and nothing lost where one would leave the range
       (overflow, or a subnormal intermediate) while the line does not */
    int e[5];
    double f[5];
    for (int i = 0; i < 5; i++) f[i] = frexp(v[i], &e[i]);
    double m = f[0] * f[1] * (f[2] / f[3]) * f[4];
    *line = ldexp(m, e[0] + e[1] + e[2] - e[3] + e[4]);
    if (!(*line <= DBL_MAX)) {
        *line = NAN;
        return socind__fail(SOCIND_ERR_OVERFLOW, "the line exceeds the double range");
    }
    if (!(*line >= DBL_MIN)) {
        *line = NAN;
        return socind__fail(SOCIND_ERR_RANGE, "the line is below the smallest normal double (%g)",
                            DBL_MIN);
    }
    return SOCIND_OK;
}
