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
#include "state_internal.h"

/* ---- the call's context ---- */

static void ctx_free(pctx *c) {
    free(c->ys);
    free(c->ls);
    free(c->Z);
    free(c->pH);
    free(c->pN);
    free(c->gy);
    free(c->gw);
    free(c->psu_block);
    free(c->present);
    socind__work_free(&c->wk);
    free(c->dom.list);
    free(c->dom.mark);
    free(c->dom_tmp);
    socind__basis_free(&c->basis);
}

/* The call's own arguments, before its options and domains (estimator.c's
 * order): the line, validated into c->L, and the nonpositive policy. c is
 * emptied first (ctx_free may follow whatever happens). */
static int32_t ctx_args(pctx *c, const socind_design *d, const socind_poverty_line *line,
                        int nonpos) {
    memset(c, 0, sizeof *c);
    c->fz_full = NAN;
    int32_t st = socind__line_validate(d, line, &c->L);
    if (st) return st;
    if (nonpos != SOCIND_NONPOS_ERROR && nonpos != SOCIND_NONPOS_EXCLUDE)
        return socind__fail(SOCIND_ERR_ARG, "unknown nonpositive policy %d", (int)nonpos);
    c->nonpos = nonpos;
    return SOCIND_OK;
}

static int32_t ctx_buffers(pctx *c, int need_second);

/* A fixed line sets the scale (ctx_init) and an income far from it can
 * leave the doubles under it: one beyond ±DBL_MAX is held there (above a
 * line > 0 it is not poor, as it is not; below 0 it is poor, its gap past
 * the doubles, as it is); c->tiny notes an income > 0 that fell below
 * DBL_MIN (its ratio to the line lost: the Watts rows it enters take
 * log(z/y) as +Inf, so those estimates are SOCIND_ERR_OVERFLOW, not figures
 * from lost digits). yin: the incomes as given (an infinite one stays for
 * the rows to refuse). */
static void hold_scaled(pctx *c, const double *yin, size_t n) {
    for (size_t k = 0; k < n; k++) {
        const double v = c->ys[k];
        if (isinf(v) && isfinite(yin[k]))
            c->ys[k] = v > 0.0 ? DBL_MAX : -DBL_MAX;
        else if (yin[k] > 0.0 && v < DBL_MIN)
            c->tiny = 1;
    }
}

/* The largest |y| over the rows below their fixed line (inclusive: at or
 * below), NaN incomes and lines skipped: against a fixed line the gap's
 * sums hold z − y of those rows only, at most |z| + |y| in size. */
static double poor_abs_max(const pctx *c, const double *y, size_t n) {
    const double *lines = c->L.type == SOCIND_LINE_PER_ROW ? c->L.lines : NULL;
    const int incl = c->L.inclusive;
    double m = 0.0;
    for (size_t k = 0; k < n; k++) {
        const double z = lines ? lines[k] : c->L.value, yk = y[k];
        if (incl ? yk <= z : yk < z) m = fabs(yk) > m ? fabs(yk) : m;
    }
    return m;
}

/* Builds the context after ctx_args: the incomes' scale, the buffers, and
 * a relative line on the whole sample with the per-PSU totals of its
 * influence function. currency (CUR_*): the estimate is in the income's
 * currency and its sums depend on the incomes' scale, not only on y/z */
#define CUR_NONE 0 /* FGT, the poor, Watts: scale-free */
#define CUR_GAP 1  /* the gap and the shortfall: sums of z − y over the poor */
#define CUR_LINE 2 /* the line itself */
static int32_t ctx_init(pctx *c, const socind_design *d, const double *y, int need_second,
                        int currency) {
    c->tiny = 0;
    c->yin = y;
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
        /* against fixed lines the scale is that of what the sums hold: the
           lines, and the gap's rows below their line (an income far above
           it, whose gap is 0, would leave the others' below the doubles);
           an income beyond the doubles once scaled is held at ±DBL_MAX
           (hold_scaled), above the line as it is */
        if (fixed) amax = currency == CUR_GAP ? poor_abs_max(c, y, d->n) : 0.0;
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
        if (fixed) hold_scaled(c, y, d->n);
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
    c->relative =
        c->L.type == SOCIND_LINE_RELATIVE_QUANTILE || c->L.type == SOCIND_LINE_RELATIVE_MEAN;
    c->z = c->L.type == SOCIND_LINE_ABSOLUTE ? c->L.value : NAN;
    if (c->relative && d->cal)
        for (size_t k = 0; k < d->n; k++)
            if (d->w[k] < 0.0)
                return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                        "the calibrated weight of row %zu is %g; a relative line "
                                        "needs weights >= 0 " SOCIND__CAL_POSITIVE_HINT,
                                        k, d->w[k]);
    return ctx_buffers(c, need_second);
}

/* The context's buffers and work space, and a relative line. */
/* The context's buffers (the per-PSU ones in one block: a few huge pages)
 * and work space, and a relative line. */
static int32_t ctx_buffers(pctx *c, int need_second) {
    const socind_design *d = c->d;
    int32_t st;
    size_t P = d->npsu;
    const size_t bytes = (need_second ? 7 : 5) * (P ? P : 1) * sizeof(double);
    double *b = c->psu_block = c->clone ? socind__big_calloc(bytes) : calloc(bytes, 1);
    c->present = calloc(d->nstrata, 1);
    if (!b || !c->present) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    c->zH = b, c->zN = b + P, c->u1 = b + 2 * P, c->u2 = b + 3 * P, c->u3 = b + 4 * P;
    if (need_second) c->zH2 = b + 5 * P, c->zN2 = b + 6 * P;
    st = socind__work_init(&c->wk, d, 1);
    if (st) return st;
    if (!c->relative || c->clone) return SOCIND_OK; /* (a clone reads its caller's line) */
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
    c->no_density = 0;
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
static void line_term(pctx *c, int need_density, socind__span r, pvec *H, comp *out) {
    const socind_design *d = c->d;
    if (out->n == 0 || !c->relative) return;
    if (need_density) {
        double fN = (r.all && !isnan(c->fz_full)) ? c->fz_full : socind__line_density(c, r, c->z);
        /* no bandwidth (one row, or every income equal): the line's term
           in FGT0's SE is undefined, as convey's NA (its density NaN); a
           replicate view needs no SE */
        if (isnan(fN) && !d->rep_view) c->no_density = 1;
        out->D = !isnan(fN) ? fN : d->rep_view ? 0.0 : NAN;
    }
    if (c->dense) {
        for (size_t p = 0; p < d->npsu; p++) H->s[p] += out->D * c->Z[p];
        memset(c->present, 1, d->nstrata);
    } else {
        H->g[BASIS_Z] = out->D;
    }
    c->all_present = 1;
}

/* One component over a domain's rows into H/N (per-PSU totals, the line's
 * term included in H), the domain's PSUs and the present strata. */
SOCIND__SPECIALISED int32_t component_impl(pctx *c, const int kind, double alpha, socind__span r,
                                           const int has_rows, pvec *H, pvec *N, comp *out,
                                           const int apow, const int incl, const int has_lines,
                                           const int cmpl) {
    const socind_design *d = c->d;
    const size_t *rows = r.rows, lo = r.lo, nr = r.n;
    const double *y = c->y, *w = d->w, *lines = has_lines ? c->L.lines : NULL;
    begin_component(c, H, N);
    double *zH = H->s, *zN = N->s;
    socind__ksum D = {0, 0};
    int64_t n = 0;
    double zs = c->z;
    int need_density = c->relative && (kind == KIND_POOR || (kind == KIND_FGT && alpha == 0.0));
    const int watts_rows = kind == KIND_WATTS || c->watts_rows;
    /* incomes > 0 below it: the line's scale took one below the doubles */
    const double wfloor = c->tiny ? DBL_MIN : 0.0;
    const double invz = 1.0 / c->z;
    /* cmpl: FGT0 sums the complement w − w·1[poor] (w or 0, exact) in N */
    const int comp_sum = kind == KIND_FGT && apow == 0 && cmpl;
    /* locals, so that stores through present (a char pointer, which may
     * alias anything) do not force reloads inside the loop */
    const int relative = c->relative, nonpos = c->nonpos;
    const int32_t *row_psu = d->row_psu, *psu_stratum = d->psu_stratum;
    unsigned char *present = c->present;
    socind__psuset dom = c->dom;
    /* PSU sums stay in registers while consecutive rows share a PSU,
       folded after each block of SOCIND__FOLD_ROWS rows (internal.h) */
    int32_t last = -1;
    double sh = 0.0, sw = 0.0;
    socind__ksum kh = {0, 0}, kw = {0, 0};
    size_t infinite = SIZE_MAX;
    for (size_t i0 = 0; i0 < nr && infinite == SIZE_MAX; i0 += SOCIND__FOLD_ROWS) {
        const size_t i1 = nr - i0 > SOCIND__FOLD_ROWS ? i0 + SOCIND__FOLD_ROWS : nr;
        for (size_t i = i0; i < i1; i++) {
            size_t k = has_rows ? rows[i] : lo + i;
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
            if (watts_rows && !(yk > wfloor)) {
                if (c->yin[k] > 0.0) { /* taken below the doubles (c->tiny): log(z/y)
                                          is +Inf here, so the estimates it enters
                                          overflow */
                    yk = 0.0;
                } else {
                    if (nonpos == SOCIND_NONPOS_EXCLUDE) continue;
                    return socind__fail_row(
                        SOCIND_ERR_NONPOSITIVE, k,
                        "y[%zu] is %g; the Watts index needs incomes > 0 (or exclude them)", k,
                        c->yin[k]);
                }
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
                       sum (z·z leaves the double range long before z does).
                       A row at the line (g = 0) counts as convey counts it:
                       α·0^(α−1)·y/z², y/z at α = 1 (0^0 = 1), 0 above; below
                       α = 1 it would be infinite and is left out */
                    if (relative && alpha > 0.0 && (alpha >= 1.0 || yk != z))
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
                    zH[last] += socind__fold_value(&kh, sh);
                    zN[last] += socind__fold_value(&kw, sw);
                    present[psu_stratum[last]] = 1;
                    socind__psuset_add(&dom, last);
                }
                sh = sw = 0.0;
                last = p;
            }
            sh += w[k] * h;
            sw += comp_sum ? w[k] - w[k] * h : w[k];
            n++;
        }
        socind__kadd(&kh, sh), socind__kadd(&kw, sw);
        sh = sw = 0.0;
    }
    if (last >= 0) {
        zH[last] += socind__fold_value(&kh, sh);
        zN[last] += socind__fold_value(&kw, sw);
        present[psu_stratum[last]] = 1;
        socind__psuset_add(&dom, last);
    }
    c->dom = dom;
    if (infinite != SIZE_MAX)
        return socind__fail_row(SOCIND_ERR_DATA, infinite,
                                "y[%zu] is %g; incomes must be finite (NaN for missing)", infinite,
                                c->yin[infinite]);
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    /* FGT and Watts sum their derivatives without the common factor 1/z
       (a relative line is one scalar; other lines have no derivative) */
    double dz = socind__kval(&D);
    if (relative && (kind == KIND_FGT || kind == KIND_WATTS)) dz /= zs;
    component_totals(c, zH, zN, n, dz, out);
    line_term(c, need_density, r, H, out);
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
    line_term(c, 1, (socind__span){NULL, 0, d->n, 1}, H, out);
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
    socind__ksum k = {0, 0};
    uint32_t run = 0;
    for (size_t j = 0; j < nb; j++) {
        int32_t p = row_psu[buf[j]];
        if (p != last) {
            if (last >= 0) zH[last] += socind__fold_value(&k, acc);
            last = p;
            acc = 0.0, run = 0;
        }
        acc += w[buf[j]] * tmp[j];
        if (__builtin_expect(++run == SOCIND__FOLD_ROWS, 0))
            socind__kadd(&k, acc), acc = 0.0, run = 0;
    }
    if (last >= 0) zH[last] += socind__fold_value(&k, acc);
}

/* Watts against fixed lines: log() only for the poor, without a branch per
 * row. The row pass sums weights per PSU and appends the poor rows to a small
 * buffer (always written, advanced only for the poor); the buffer is drained
 * with log(z/y) into the PSU totals. */
SOCIND__SPECIALISED int32_t watts_fixed_impl(pctx *c, socind__span r, const int has_rows, pvec *H,
                                             pvec *N, comp *out, const int has_lines,
                                             const int incl) {
    const socind_design *d = c->d;
    const size_t *rows = r.rows, lo = r.lo, nr = r.n;
    const double *y = c->y, *w = d->w, *lines = has_lines ? c->L.lines : NULL;
    const int32_t *row_psu = d->row_psu, *psu_stratum = d->psu_stratum;
    const int exclude = c->nonpos == SOCIND_NONPOS_EXCLUDE;
    const double zs = c->z;
    const double wfloor = c->tiny ? DBL_MIN : 0.0; /* (as component_impl) */
    size_t tiny_k = SIZE_MAX;
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
    double sw = 0.0; /* folded after each block of SOCIND__FOLD_ROWS rows */
    socind__ksum kw = {0, 0};
    for (size_t i0 = 0; i0 < nr; i0 += SOCIND__FOLD_ROWS) {
        const size_t i1 = nr - i0 > SOCIND__FOLD_ROWS ? i0 + SOCIND__FOLD_ROWS : nr;
        for (size_t i = i0; i < i1; i++) {
            size_t k = has_rows ? rows[i] : lo + i;
            double yk = y[k];
            double z = has_lines ? lines[k] : zs;
            /* one test for a missing, an infinite (a fixed line: ctx_init left
               that to the rows) and a non-positive income */
            if (__builtin_expect(!(yk > wfloor && yk <= DBL_MAX), 0)) {
                if (isnan(yk)) continue;
                if (isinf(yk))
                    return socind__fail_row(
                        SOCIND_ERR_DATA, k,
                        "y[%zu] is %g; incomes must be finite (NaN for missing)", k, c->yin[k]);
                if (c->yin[k] > 0.0) { /* taken below the doubles (c->tiny): its PSU's
                                          total +Inf below, so the estimates it enters
                                          overflow */
                    if (w[k] != 0.0 && !(has_lines && isnan(z)) && tiny_k == SIZE_MAX) tiny_k = k;
                } else {
                    if (exclude) continue;
                    return socind__fail_row(
                        SOCIND_ERR_NONPOSITIVE, k,
                        "y[%zu] is %g; the Watts index needs incomes > 0 (or exclude them)", k,
                        c->yin[k]);
                }
            }
            if (has_lines && isnan(z)) continue;
            int poor = incl ? yk <= z : yk < z;
            buf[nb] = k;
            nb += (size_t)poor;
            int32_t p = row_psu[k];
            if (p != last) {
                if (last >= 0) {
                    zN[last] += socind__fold_value(&kw, sw);
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
        socind__kadd(&kw, sw);
        sw = 0.0;
    }
    if (last >= 0) {
        zN[last] += socind__fold_value(&kw, sw);
        present[psu_stratum[last]] = 1;
        socind__psuset_add(&dom, last);
    }
    if (tiny_k != SIZE_MAX) zH[row_psu[tiny_k]] = INFINITY; /* (+ the drain's: +Inf) */
    watts_drain(c, buf, nb, tmp, zH);
    c->dom = dom;
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    component_totals(c, zH, zN, n, 0.0, out);
    return SOCIND_OK;
}

/* The Watts row loop specialised for the poverty rule, per-row lines and a
 * row index. */
static int32_t component_watts_fixed(pctx *c, socind__span r, pvec *H, pvec *N, comp *out) {
    const int lines = c->L.type == SOCIND_LINE_PER_ROW, incl = c->L.inclusive;
#define WATTS_CALL(L, I)                                                                           \
    (r.rows ? watts_fixed_impl(c, r, 1, H, N, out, L, I)                                           \
            : watts_fixed_impl(c, r, 0, H, N, out, L, I))
    if (lines) return incl ? WATTS_CALL(1, 1) : WATTS_CALL(1, 0);
    return incl ? WATTS_CALL(0, 1) : WATTS_CALL(0, 0);
#undef WATTS_CALL
}

/* The row loop specialised for each kind, FGT power (α = 0, 1, 2 without
 * pow; R's x^2 is x*x too), poverty rule, and with or without a row index. */
#define COMPONENT_LINES(K, A, I, L, C)                                                             \
    (r.rows ? component_impl(c, K, alpha, r, 1, H, N, out, A, I, L, C)                             \
            : component_impl(c, K, alpha, r, 0, H, N, out, A, I, L, C))
#define COMPONENT_CALL(K, A, I, C)                                                                 \
    (c->L.type == SOCIND_LINE_PER_ROW ? COMPONENT_LINES(K, A, I, 1, C)                             \
                                      : COMPONENT_LINES(K, A, I, 0, C))
#define COMPONENT_INCL_C(K, A, C)                                                                  \
    (c->L.inclusive ? COMPONENT_CALL(K, A, 1, C) : COMPONENT_CALL(K, A, 0, C))
#define COMPONENT_INCL(K, A) COMPONENT_INCL_C(K, A, 0)

/* (at the end of the file) */
static int32_t component_fgt0_comp(pctx *c, socind__span r, pvec *H, pvec *N, comp *out);

static int32_t component(pctx *c, int kind, double alpha, socind__span r, pvec *H, pvec *N,
                         comp *out) {
    if (r.all && c->have_pre && !c->watts_rows &&
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
        if (!c->relative) return component_watts_fixed(c, r, H, N, out);
        return COMPONENT_INCL(KIND_WATTS, -1);
    }
}

/* u = (a − P·b)/N, for a ratio P = A/N the vector of u(P) (out may be a),
 * A and N the totals of a and b over the domain's PSUs (component_totals):
 * 0 exactly at a PSU that holds them (socind__holds_totals); A NaN where
 * b's totals are not the domain's (the profile's shares of the whole
 * sample). */
static void ratio_vec(const pctx *c, const pvec *a, const pvec *b, double A, double P, double N,
                      pvec *u) {
    const double *as = a->s, *bs = b->s;
    double *us = u->s;
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        const double ap = as ? as[p] : 0.0, bp = bs ? bs[p] : 0.0;
        us[p] = socind__holds_totals(ap, bp, A, N) ? 0.0 : (ap - P * bp) / N;
    }
    for (int i = 0; i < SOCIND__NBASIS; i++) u->g[i] = (a->g[i] - P * b->g[i]) / N;
}

/* u(P) of FGT0, P = A/N, from the PSU sums a of Σ w·1[poor] (the line's
 * term D·Z included, dense and relative: line_term) and cm of the
 * complement Σ w·1[not poor], C = Σ cm and N the first pass's N̂ (A + C
 * but for rounding): (Q·a − P·cm)/N with Q = C/N, which keeps its digits as P nears 1 where (a −
 * P·(a + cm))/N cancels by 1 − P. The line's term, which a holds with weight Q there, is completed
 * with P·D·Z. 0 exactly at a PSU that holds the totals. */
static void ratio_vec_comp(const pctx *c, const pvec *a, const pvec *cm, double A, double C,
                           double P, double N, double D, pvec *u) {
    const double Q = C / N, pd = c->relative && c->dense ? P * D : 0.0;
    const double *as = a->s, *cs = cm->s, *Z = c->Z;
    double *us = u->s;
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        const double ap = as[p], cp = cs[p];
        double v = Q * ap - P * cp;
        if (pd != 0.0) v += pd * Z[p];
        us[p] = socind__holds_totals(ap, cp, A, C) ? 0.0 : v / N;
    }
    for (int i = 0; i < SOCIND__NBASIS; i++) u->g[i] = (a->g[i] - P * cm->g[i]) / N;
}

/* Whether a domain's PSU totals a (over c->dom) are the whole sample's b at
 * every PSU, b not 0 at nzb PSUs (the profile's group holding every row of
 * non-zero weight): a share a/b then has the linearized variable 0 exactly. */
static int same_psu_totals(const pctx *c, const double *a, const double *b, size_t nzb) {
    size_t m = 0;
    for (size_t t = 0; t < c->dom.n; t++) {
        const int32_t p = c->dom.list[t];
        if (a[p] != b[p]) return 0;
        m += b[p] != 0.0;
    }
    return m == nzb;
}

/* The one group that holds every row of weight other than 0 with an
 * income (−1: none; a calibrated design's weights may be negative): its
 * share of the people and its share of the poverty are 1 in exact
 * arithmetic, and their linearized variables 0 row by row, whatever order
 * the sums over it and over the whole sample took. */
static int32_t sole_group(const socind_design *d, const double *y, const int32_t *group) {
    int32_t only = -1;
    for (size_t k = 0; k < d->n; k++) {
        if (d->w[k] == 0.0 || isnan(y[k])) continue;
        if (group[k] < 0 || (only >= 0 && group[k] != only)) return -1;
        only = group[k];
    }
    return only;
}

/* u's own part and its whole-sample vector i's coefficient made 0 (the
 * line's term, g[BASIS_Z], stays) */
static void drop_own(const pctx *c, pvec *u, int i) {
    for (size_t t = 0; t < c->dom.n; t++) u->s[c->dom.list[t]] = 0.0;
    u->g[i] = 0.0;
}

/* The design variance of a domain's vector: over the domain's PSUs and
 * strata (a fixed line), or over every stratum (whole-sample terms), made
 * at the scale 2^−ez of the vector's PSU values (socind__work_variance_at: the
 * incomes are rescaled by their largest, but tiny weights, or the poor's
 * incomes and the line far below the others, still make PSU values whose
 * squares leave the doubles). */
static int32_t vec_variance(pctx *c, const pvec *u, double *var, int *ez) {
    *ez = 0;
    if (c->dense) return socind__work_variance_dense_at(&c->wk, u->s, c->present, var, ez);
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        *socind__touch(&c->wk, p) = u->s ? u->s[p] : 0.0;
    }
    if (!c->all_present) return socind__work_variance_at(&c->wk, var, ez);
    return socind__work_variance_global_at(&c->wk, &c->basis, u->g, var, ez);
}

/* An estimate with its SE from the vector u */
static void fillv_ci(pctx *c, socind_estimate *e, double value, const pvec *u, int64_t n,
                     double wsum, const socind_options *o, int is_prop) {
    socind__estimate_nan(e, SOCIND_OK);
    double var;
    int ez;
    int32_t st = vec_variance(c, u, &var, &ez);
    /* a term of the line without a density (NaN) in u: its SE undefined */
    if (c->no_density && (st == SOCIND_ERR_OVERFLOW || (!st && isnan(var)))) st = SOCIND_ERR_DATA;
    e->value = value;
    e->se = st ? NAN : ldexp(sqrt(var), ez);
    if (st) e->status = st;
    e->n = n;
    e->weight_sum = wsum;
    socind__fill_ci(e, o, c->d->df, is_prop);
}

/* FGT0 P of the rows r within SOCIND__NEAR_ONE of 1 (N̂ and n: its first
 * pass's) into e: the row loop again, summing the complement
 * (component_fgt0_comp), and its PSU terms from those sums
 * (ratio_vec_comp). c->vH and c->vN are overwritten. */
static int32_t fgt0_near_one(pctx *c, socind__span r, double P, double N, int64_t n,
                             const socind_options *o, socind_estimate *e) {
    comp kc;
    const int32_t st = component_fgt0_comp(c, r, &c->vH, &c->vN, &kc);
    if (st) return st;
    ratio_vec_comp(c, &c->vH, &c->vN, kc.H, kc.N, P, N, kc.D, &c->vH);
    fillv_ci(c, e, P, &c->vH, n, N, o, 1);
    return SOCIND_OK;
}

static void fillv(pctx *c, socind_estimate *e, double value, const pvec *u, int64_t n, double wsum,
                  const socind_options *o) {
    fillv_ci(c, e, value, u, n, wsum, o, 0);
}

SOCIND__TEST_SWITCH_DEFINE(socind__poverty_dense);

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

/* Thread t's context for the domains of c, a context made by ctx_init and
 * ctx_domains_init: c's incomes, lines, scale and rules, a relative line's
 * whole-sample figures (Z, its basis, the moments and N̂·f̂ at the line,
 * the line's PSU sums) read from c, and buffers of its own (ctx_drop frees
 * those only). */
static int32_t ctx_clone(pctx *t, const pctx *c, int need_second) {
    *t = *c;
    t->ys = t->ls = t->gy = t->gw = NULL;
    t->gcap = 0;
    t->psu_block = t->zH = t->zN = t->zH2 = t->zN2 = t->u1 = t->u2 = t->u3 = NULL;
    t->clone = 1;
    t->present = NULL;
    memset(&t->wk, 0, sizeof t->wk);
    memset(&t->dom, 0, sizeof t->dom);
    t->dom_tmp = NULL;
    int32_t st = ctx_buffers(t, need_second);
    if (!st) st = ctx_domains_init(t, 0);
    t->wk.full = c->wk.full;
    t->wk.drop_negative = c->wk.drop_negative;
    return st;
}

/* Frees a clone's own buffers (not what it reads from its caller's). */
static void ctx_drop(pctx *t) {
    t->Z = t->pH = t->pN = NULL;
    memset(&t->basis, 0, sizeof t->basis);
    ctx_free(t);
}

/* A domain without an estimate: no row, or (a ratio to N̂) rows of weight
 * 0 alone, which it counts (n: the rows used, zero weights included). */
static void empty_domain(const pctx *c, socind_estimate *e, int count, int64_t n) {
    for (int i = 0; i < count; i++)
        socind__estimate_undefined(&e[i], SOCIND_ERR_EMPTY_DOMAIN, n, 0.0, c->d->df);
}

/* A domain with rows whose weight sum leaves the double range (weights
 * near 1e306; its compensated sum is then NaN or +Inf): its count
 * estimates NaN with SOCIND_ERR_OVERFLOW, its rows counted and the weight
 * sum +Inf, as a partial state's finish gives them (not an empty domain);
 * 1 if so. */
static int weights_beyond(const pctx *c, const comp *k, socind_estimate *e, int count) {
    if (k->n == 0 || k->N <= DBL_MAX) return 0;
    for (int i = 0; i < count; i++)
        socind__estimate_undefined(&e[i], SOCIND_ERR_OVERFLOW, k->n, INFINITY, c->d->df);
    return 1;
}

/* ---- indicator bodies: one domain's estimates from its components ---- */

struct spec;
typedef int32_t (*body_fn)(pctx *c, socind__span r, double alpha, const struct spec *sp,
                           const socind_options *o, socind_estimate *out);

/* The FGT and Watts decompositions (decomposition_body): three components
 * over the same rows, whose ratios P_i to the first one's N have the
 * linearized vectors u_i; those with an index are estimates as they are,
 * and two measures derived from the P's (derive) have vectors that are
 * combinations of the u's, the second's also of the first's. */
typedef struct {
    int kind[3];
    double alpha[3]; /* NaN: the call's α */
    int watts_rows;  /* every component over Watts' rows (y > 0) */
    int direct[3];   /* out index of P_i, or −1 */
    int derived[2];  /* out index of the derived measures */
    /* the derived values v[k] and their vectors (Σ_i a[k][i]·u_i +
       b[k]·(vector of k − 1))/div[k]; 0 where they are undefined (no poor) */
    int (*derive)(const double P[3], double alpha, double v[2], double a[2][3], double b[2],
                  double div[2]);
} decomposition;

/* What an estimator is: its body, estimates per group, whether it needs the
 * second pair of component buffers, whether its figures are in the income's
 * currency (gap, shortfall: their sums depend on the incomes' scale), its
 * rule for α (ALPHA_*) and, for a decomposition, its parts. */
#define ALPHA_NONE 0 /* no α */
#define ALPHA_FGT 1  /* finite and >= 0 */
#define ALPHA_DEC 2  /* finite and > 1 (the FGT decomposition) */
typedef struct spec {
    body_fn body;
    int per_group, need_second, currency, alpha_rule, kind;
    const decomposition *dec;
    int32_t rule; /* the domain rule of the R counterpart (common.h) */
} spec;

/* A ratio H/N of one component: P0, P1 … (FGT), Watts. */
static int32_t body_ratio(pctx *c, socind__span r, double alpha, const spec *sp,
                          const socind_options *o, socind_estimate *out) {
    comp k;
    const int p0 = sp->kind == KIND_FGT && alpha == 0.0;
    int32_t st = component(c, sp->kind, alpha, r, &c->vH, &c->vN, &k);
    if (st) return st;
    if (weights_beyond(c, &k, out, 1)) return SOCIND_OK;
    if (k.n == 0 || !(k.N > 0)) {
        empty_domain(c, out, 1, k.n);
        return SOCIND_OK;
    }
    double P = k.H / k.N;
    /* FGT0 within SOCIND__NEAR_ONE of 1: again from the complement's sums */
    if (p0 && P > 1.0 - SOCIND__NEAR_ONE) return fgt0_near_one(c, r, P, k.N, k.n, o, out);
    ratio_vec(c, &c->vH, &c->vN, k.H, P, k.N, &c->v1);
    /* P0 is a proportion: its interval follows opts->prop_ci */
    fillv_ci(c, out, P, &c->v1, k.n, k.N, o, p0);
    return SOCIND_OK;
}

/* A total H of one component: the number of poor, the poverty gap. It
 * does not read N̂: where the weights' sum leaves the double range (weight
 * sum +Inf) and H does not, it has its figures, as a partial state's. */
static int32_t body_total(pctx *c, socind__span r, double alpha, const spec *sp,
                          const socind_options *o, socind_estimate *out) {
    comp k;
    int32_t st = component(c, sp->kind, alpha, r, &c->vH, &c->vN, &k);
    if (st) return st;
    if (!(fabs(k.H) <= DBL_MAX) && weights_beyond(c, &k, out, 1)) return SOCIND_OK;
    if (k.n == 0) {
        empty_domain(c, out, 1, 0);
        return SOCIND_OK;
    }
    fillv(c, out, k.H, &c->vH, k.n, k.N <= DBL_MAX ? k.N : INFINITY, o);
    if (sp->currency) socind__estimate_scale(out, c->ex);
    return SOCIND_OK;
}

/* The mean shortfall: the gap's total over the poor's. It does not read
 * N̂ either: where the weights' sum leaves the double range and the gap's
 * and the poor's do not, it has its figures (weight sum +Inf). */
static int32_t body_shortfall(pctx *c, socind__span r, double alpha, const spec *sp,
                              const socind_options *o, socind_estimate *out) {
    (void)alpha, (void)sp;
    comp g, p;
    int32_t st = component(c, KIND_GAP, 0.0, r, &c->vH, &c->vN, &g);
    if (!st) st = component(c, KIND_POOR, 0.0, r, &c->vH2, &c->vN2, &p);
    if (st) return st;
    if (!(fabs(g.H) <= DBL_MAX && fabs(p.H) <= DBL_MAX) && weights_beyond(c, &g, out, 1))
        return SOCIND_OK;
    if (g.n == 0) {
        empty_domain(c, out, 1, 0);
        return SOCIND_OK;
    }
    const double N = g.N <= DBL_MAX ? g.N : INFINITY;
    if (!(p.H > 0)) {
        socind__estimate_undefined(out, SOCIND_ERR_DATA, g.n, N, c->d->df);
        return SOCIND_OK;
    }
    double R = g.H / p.H;
    ratio_vec(c, &c->vH, &c->vH2, g.H, R, p.H, &c->v1);
    fillv(c, out, R, &c->v1, g.n, N, o);
    socind__estimate_scale(out, c->ex); /* currency */
    return SOCIND_OK;
}

/* d = (Σ_i a[i]·u_i + b·prev)/div, on the domain's PSUs and in the
 * whole-sample coefficients (prev NULL: none). */
static void combine(const pctx *c, pvec *const u[3], const double a[3], const pvec *prev, double b,
                    double div, pvec *d) {
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        double v = a[0] * u[0]->s[p] + a[1] * u[1]->s[p] + a[2] * u[2]->s[p];
        if (prev) v += b * prev->s[p];
        d->s[p] = v / div;
    }
    for (int i = 0; i < SOCIND__NBASIS; i++) {
        double v = a[0] * u[0]->g[i] + a[1] * u[1]->g[i] + a[2] * u[2]->g[i];
        if (prev) v += b * prev->g[i];
        d->g[i] = v / div;
    }
}

static int32_t decomposition_body(pctx *c, socind__span r, double alpha, const spec *sp,
                                  const socind_options *o, socind_estimate *out) {
    const decomposition *dc = sp->dec;
    pvec *const u[3] = {&c->v1, &c->v2, &c->v3};
    c->watts_rows = dc->watts_rows;
    comp k;
    double P[3], N = NAN;
    int64_t n = 0;
    for (int i = 0; i < 3; i++) {
        double a = isnan(dc->alpha[i]) ? alpha : dc->alpha[i];
        int32_t st = component(c, dc->kind[i], a, r, &c->vH, &c->vN, &k);
        if (st) return st;
        if (i == 0) {
            if (weights_beyond(c, &k, out, sp->per_group)) return SOCIND_OK;
            if (k.n == 0 || !(k.N > 0)) {
                empty_domain(c, out, sp->per_group, k.n);
                return SOCIND_OK;
            }
            N = k.N, n = k.n;
        }
        P[i] = k.H / N;
        ratio_vec(c, &c->vH, &c->vN, k.H, P[i], N, u[i]);
        if (dc->direct[i] < 0) continue;
        /* P0 is a proportion: its interval follows opts->prop_ci, as
           socind_fgt's. Near 1 its own figure takes the complement's sums,
           as socind_fgt's (a pass more; the derived parts keep u[i]) */
        const int p0 = dc->kind[i] == KIND_FGT && a == 0.0;
        if (p0 && P[i] > 1.0 - SOCIND__NEAR_ONE) {
            if ((st = fgt0_near_one(c, r, P[i], N, n, o, &out[dc->direct[i]]))) return st;
        } else {
            fillv_ci(c, &out[dc->direct[i]], P[i], u[i], n, N, o, p0);
        }
    }
    double v[2], a[2][3], b[2], div[2];
    if (!dc->derive(P, alpha, v, a, b, div)) {
        for (int i = 0; i < 2; i++)
            socind__estimate_undefined(&out[dc->derived[i]], SOCIND_ERR_DATA, n, 0.0, c->d->df);
        return SOCIND_OK;
    }
    /* the components' H and N buffers are free now: the derived vectors */
    pvec *dv[2] = {&c->vN, &c->vH};
    for (int i = 0; i < 2; i++) {
        combine(c, u, a[i], i ? dv[0] : NULL, b[i], div[i], dv[i]);
        fillv(c, &out[dc->derived[i]], v[i], dv[i], n, N, o);
    }
    return SOCIND_OK;
}

/* FGT decomposition: P = (P0, P1, P_α); IGR = P1/P0, u = (u1 − IGR·u0)/P0;
 * GE_α = (P_α/(P0·IGR^α) − 1)/(α² − α) through P_α, P0 and IGR. */
static int derive_fgt(const double P[3], double alpha, double v[2], double a[2][3], double b[2],
                      double div[2]) {
    const double P0 = P[0], P1 = P[1], Pg = P[2];
    if (!(P0 > 0)) return 0;
    double I = P1 / P0;
    v[0] = I;
    a[0][0] = -I, a[0][1] = 1.0, a[0][2] = 0.0, b[0] = 0.0, div[0] = P0;
    double g2 = alpha * alpha - alpha, Ig = pow(I, alpha);
    v[1] = (Pg / (P0 * Ig) - 1.0) / g2;
    a[1][0] = -((Pg / P0) / P0) / (Ig * g2); /* ∂/∂P0 (P0² may leave the doubles) */
    a[1][1] = 0.0;
    a[1][2] = 1.0 / (P0 * Ig * g2);                       /* ∂/∂P_α */
    b[1] = -alpha * Pg / (P0 * pow(I, alpha + 1.0) * g2); /* ∂/∂IGR */
    div[1] = 1.0;
    return 1;
}

/* Watts decomposition: P = (W, P0, P1), all over Watts' rows;
 * W_pgr = log(P0/(P0 − P1)), L_poor = W/P0 − W_pgr. */
static int derive_watts(const double P[3], double alpha, double v[2], double a[2][3], double b[2],
                        double div[2]) {
    (void)alpha;
    const double W = P[0], P0 = P[1], P1 = P[2];
    if (!(P0 > 0) || !(P0 > P1)) return 0;
    /* log1p and −P1/(P0·(P0 − P1)): log(P0/(P0 − P1)) and 1/P0 − 1/(P0 − P1)
       would leave their digits to rounding where P1 is small against P0 */
    v[0] = log1p(P1 / (P0 - P1));
    a[0][0] = 0.0, a[0][1] = -(P1 / P0) / (P0 - P1), a[0][2] = 1.0 / (P0 - P1);
    b[0] = 0.0, div[0] = 1.0;
    v[1] = W / P0 - v[0];
    a[1][0] = 1.0 / P0, a[1][1] = -(W / P0) / P0, a[1][2] = 0.0;
    b[1] = -1.0, div[1] = 1.0;
    return 1;
}

static const decomposition FGTDEC = {{KIND_FGT, KIND_FGT, KIND_FGT},
                                     {0.0, 1.0, NAN},
                                     0,
                                     {SOCIND_FGTDEC_P0, SOCIND_FGTDEC_P1, SOCIND_FGTDEC_PALPHA},
                                     {SOCIND_FGTDEC_IGR, SOCIND_FGTDEC_GE},
                                     derive_fgt};
static const decomposition WATTSDEC = {{KIND_WATTS, KIND_FGT, KIND_FGT},
                                       {0.0, 0.0, 1.0},
                                       1,
                                       {SOCIND_WATTSDEC_WATTS, SOCIND_WATTSDEC_P0, -1},
                                       {SOCIND_WATTSDEC_GAP_RATIO, SOCIND_WATTSDEC_THEIL_POOR},
                                       derive_watts};

static const spec FGT = {body_ratio, 1, 0, 0, ALPHA_FGT, KIND_FGT, NULL, SOCIND_DOMAIN_RULE_FULL};
static const spec POOR = {body_total, 1,         0,    0,
                          ALPHA_NONE, KIND_POOR, NULL, SOCIND_DOMAIN_RULE_SUBSET};
static const spec GAP = {body_total, 1,        0,    CUR_GAP,
                         ALPHA_NONE, KIND_GAP, NULL, SOCIND_DOMAIN_RULE_SUBSET};
static const spec SHORTFALL = {body_shortfall, 1,        1,    CUR_GAP,
                               ALPHA_NONE,     KIND_GAP, NULL, SOCIND_DOMAIN_RULE_SUBSET};
static const spec WATTS = {body_ratio, 1,          0,    0,
                           ALPHA_NONE, KIND_WATTS, NULL, SOCIND_DOMAIN_RULE_FULL};
static const spec FGT_DEC = {
    decomposition_body,     SOCIND_FGTDEC_COUNT, 0, 0, ALPHA_DEC, KIND_FGT, &FGTDEC,
    SOCIND_DOMAIN_RULE_FULL};
static const spec WATTS_DEC = {
    decomposition_body, SOCIND_WATTSDEC_COUNT,  0, 0, ALPHA_NONE, KIND_WATTS,
    &WATTSDEC,          SOCIND_DOMAIN_RULE_FULL};

/* SOCIND_ERR_ARG (with the detail) unless α follows the rule. */
static int32_t check_alpha(int rule, double alpha) {
    if (rule == ALPHA_NONE) return SOCIND_OK;
    double above = rule == ALPHA_DEC ? 1.0 : 0.0;
    if (!(rule == ALPHA_DEC ? alpha > above : alpha >= above) || isinf(alpha))
        return socind__fail(SOCIND_ERR_ARG, "alpha must be finite and %s %g, got %g",
                            rule == ALPHA_DEC ? ">" : ">=", above, alpha);
    return SOCIND_OK;
}

/* The domains of a call on several threads (socind__domains_on_spaces):
 * each thread's space a context cloned from c. */
typedef struct {
    const struct spec *sp;
    const pctx *c;
    const socind__groups *grp;
    double alpha;
    const socind_options *o;
    socind_estimate *out;
} dom_run;

static int32_t run_domain(pctx *c, const struct spec *sp, const socind__groups *grp, int32_t j,
                          double alpha, const socind_options *o, socind_estimate *out) {
    domain_begin(c);
    return sp->body(c, socind__group_span(grp, j), alpha, sp, o,
                    out + (size_t)j * (size_t)sp->per_group);
}

static int32_t dom_make(void *space, void *arg) {
    const dom_run *r = arg;
    return ctx_clone(space, r->c, r->sp->need_second);
}
static void dom_drop(void *space) {
    ctx_drop(space);
}
static int32_t dom_task(void *arg, void *space, int32_t j) {
    const dom_run *r = arg;
    return run_domain(space, r->sp, r->grp, j, r->alpha, r->o, r->out);
}

/* The shared driver (estimator.c's frame): the call's arguments, options
 * and domains, the context (a relative line), then per domain j the body;
 * with domains and several threads against a fixed line, the threads take
 * the domains (each domain's figures the one-thread loop's, bit for bit:
 * through partial states, which cut the rows, a call with domains was
 * slower on two threads than on one). */
static int32_t drive(const spec *sp, const socind_design *d, const double *y,
                     const socind_poverty_line *line, int nonpos, double alpha,
                     const int32_t *group, int32_t n_groups, const socind_options *opts,
                     socind_estimate *out) {
    const socind__arg args[2] = {{y, "y"}, {line, "line"}};
    socind__frame f;
    pctx c;
    memset(&c, 0, sizeof c);
    const int32_t G = socind__ndomains(group, n_groups);
    int32_t st = socind__frame_begin(&f, out, (size_t)G * (size_t)sp->per_group, d, args, 2);
    if (!st) st = check_alpha(sp->alpha_rule, alpha);
    if (!st) st = ctx_args(&c, d, line, nonpos);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    /* several threads: through partial states (state_threads.c), for
       absolute and per-row lines */
    const int32_t est = sp == &FGT         ? SOCIND_STATE_FGT
                        : sp == &POOR      ? SOCIND_STATE_POOR_COUNT
                        : sp == &GAP       ? SOCIND_STATE_POVERTY_GAP_TOTAL
                        : sp == &SHORTFALL ? SOCIND_STATE_MEAN_SHORTFALL
                        : sp == &WATTS     ? SOCIND_STATE_WATTS
                        : sp == &FGT_DEC   ? SOCIND_STATE_FGT_DECOMPOSITION
                                           : SOCIND_STATE_WATTS_DECOMPOSITION;
    const int32_t T = st || d->cal ? 1 : socind__threads_for(f.o.threads, d->n);
    socind_state_spec ssp;
    if (((T > 1 && !group) || (!st && d->rep_theta)) &&
        socind__state_spec_for(est, group, n_groups, &c.L, alpha, c.nonpos, &ssp)) {
        int64_t tused = 0;
        /* (line.lines only for per-row lines: the states take a second
           column as the rows' lines) */
        const double *lines = c.L.type == SOCIND_LINE_PER_ROW ? c.L.lines : NULL;
        int32_t tst = socind__state_threaded(d, &ssp, y, lines, group, &f.o, T, out, &tused);
        if (tst != -1) {
            ctx_free(&c);
            return socind__frame_end(&f, tst, tused, "income");
        }
    }
    if (!st) st = ctx_init(&c, d, y, sp->need_second, sp->currency);
    if (!st) st = ctx_domains_init(&c, 1);
    if (!st) socind__work_rule(&c.wk, &f.o, sp->rule);
    /* convey's measures (the FULL ones) give rows of negative calibrated
       weight a linearized value of 0, survey's totals and ratios do not */
    c.wk.drop_negative = sp->rule == SOCIND_DOMAIN_RULE_FULL;
    int32_t j0 = 0; /* the domains from j0 on run on the calling thread */
    /* a thread's context: 7 doubles, the work space and the domain's PSU
       list, about 80 bytes a PSU; against a relative line also a copy of
       the largest domain's incomes and weights (its density at the line) */
    const size_t most = c.relative ? socind__groups_largest(&f.grp) : 0;
    const int32_t TD = st ? 1
                          : socind__domain_threads(T, f.grp.ngroups, d->n,
                                                   80.0 * (double)d->npsu + 16.0 * (double)most);
    if (!st && TD > 1 && !d->rep_theta) {
        /* every thread a context of its own: c stays as it is for the loop
           below */
        dom_run r = {sp, &c, &f.grp, alpha, &f.o, out};
        j0 = socind__domains_on_spaces(TD, &f.grp, sizeof(pctx), dom_make, dom_drop, dom_task, &r);
    }
    for (int32_t j = j0; !st && j < f.grp.ngroups; j++)
        st = run_domain(&c, sp, &f.grp, j, alpha, &f.o, out);
    const int64_t used =
        st ? 0 : socind__rows_used(out, (size_t)f.grp.ngroups * (size_t)sp->per_group, 1);
    ctx_free(&c);
    return socind__frame_end(&f, st, used, "income");
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

int32_t socind_fgt(const socind_design *design, const double *y, const socind_poverty_line *line,
                   double alpha, const int32_t *group, int32_t n_groups, const socind_options *opts,
                   socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts,
                       alpha == 0.0 ? 1u : 0u, 1,
                       socind_fgt(SOCIND__RV, y, line, alpha, group, n_groups, opts, SOCIND__RO));
    return drive(&FGT, design, y, line, SOCIND_NONPOS_ERROR, alpha, group, n_groups, opts, out);
}

int32_t socind_poor_count(const socind_design *design, const double *y,
                          const socind_poverty_line *line, const int32_t *group, int32_t n_groups,
                          const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
                       socind_poor_count(SOCIND__RV, y, line, group, n_groups, opts, SOCIND__RO));
    return drive(&POOR, design, y, line, SOCIND_NONPOS_ERROR, 0.0, group, n_groups, opts, out);
}

int32_t socind_poverty_gap_total(const socind_design *design, const double *y,
                                 const socind_poverty_line *line, const int32_t *group,
                                 int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_poverty_gap_total(SOCIND__RV, y, line, group, n_groups, opts, SOCIND__RO));
    return drive(&GAP, design, y, line, SOCIND_NONPOS_ERROR, 0.0, group, n_groups, opts, out);
}

int32_t socind_mean_shortfall(const socind_design *design, const double *y,
                              const socind_poverty_line *line, const int32_t *group,
                              int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_mean_shortfall(SOCIND__RV, y, line, group, n_groups, opts, SOCIND__RO));
    return drive(&SHORTFALL, design, y, line, SOCIND_NONPOS_ERROR, 0.0, group, n_groups, opts, out);
}

int32_t socind_watts(const socind_design *design, const double *y, const socind_poverty_line *line,
                     int32_t nonpositive, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups), opts, 0u, 1,
        socind_watts(SOCIND__RV, y, line, nonpositive, group, n_groups, opts, SOCIND__RO));
    return drive(&WATTS, design, y, line, nonpositive, 0.0, group, n_groups, opts, out);
}

int32_t socind_fgt_decomposition(const socind_design *design, const double *y,
                                 const socind_poverty_line *line, double alpha,
                                 const int32_t *group, int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups) * SOCIND_FGTDEC_COUNT, opts,
        1u << SOCIND_FGTDEC_P0, SOCIND_FGTDEC_COUNT,
        socind_fgt_decomposition(SOCIND__RV, y, line, alpha, group, n_groups, opts, SOCIND__RO));
    return drive(&FGT_DEC, design, y, line, SOCIND_NONPOS_ERROR, alpha, group, n_groups, opts, out);
}

int32_t socind_watts_decomposition(const socind_design *design, const double *y,
                                   const socind_poverty_line *line, int32_t nonpositive,
                                   const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(design, out,
                       (size_t)socind__ndomains(group, n_groups) * SOCIND_WATTSDEC_COUNT, opts,
                       1u << SOCIND_WATTSDEC_P0, SOCIND_WATTSDEC_COUNT,
                       socind_watts_decomposition(SOCIND__RV, y, line, nonpositive, group, n_groups,
                                                  opts, SOCIND__RO));
    return drive(&WATTS_DEC, design, y, line, nonpositive, 0.0, group, n_groups, opts, out);
}

int32_t socind_poverty_line_estimate(const socind_design *design, const double *y,
                                     const socind_poverty_line *line, const socind_options *opts,
                                     socind_estimate *out) {
    SOCIND__REPLICATED(design, out, 1, opts, 0u, 1,
                       socind_poverty_line_estimate(SOCIND__RV, y, line, opts, SOCIND__RO));
    const socind__arg args[2] = {{y, "y"}, {line, "line"}};
    socind__frame f;
    pctx c;
    memset(&c, 0, sizeof c);
    int64_t n = 0;
    int32_t st = socind__frame_begin(&f, out, 1, design, args, 2);
    if (!st && line->type == SOCIND_LINE_PER_ROW)
        st = socind__fail(SOCIND_ERR_ARG, "a per-row line has no single value to estimate");
    if (!st) st = ctx_args(&c, design, line, SOCIND_NONPOS_ERROR);
    if (!st) st = socind__frame_domains(&f, NULL, 0, opts);
    if (!st) st = ctx_init(&c, design, y, 0, CUR_LINE);
    if (!st) st = ctx_domains_init(&c, 1);
    if (!st) {
        socind__ksum N = {0, 0};
        for (size_t k = 0; k < design->n; k++)
            if (!isnan(y[k])) {
                n++;
                socind__kadd(&N, design->w[k]);
            }
        if (n > 0) {
            /* the line's linearized variable: Z for a relative line (its
               term with D = 1), nothing for a fixed one (SE 0) */
            comp k = {.H = 0.0, .N = 0.0, .D = 1.0, .n = n};
            begin_component(&c, &c.v1, &c.v2);
            line_term(&c, 0, (socind__span){NULL, 0, 0, 1}, &c.v1, &k);
            /* weights whose sum leaves the doubles: +Inf and
               SOCIND_ERR_OVERFLOW, as a partial state says */
            const double ws = socind__pair_value(N.s, N.c);
            fillv(&c, out, c.z, &c.v1, n, ws, &f.o);
            if (out->status == SOCIND_OK && !isfinite(ws)) out->status = SOCIND_ERR_OVERFLOW;
            socind__estimate_scale(out, c.ex); /* currency */
        }
    }
    ctx_free(&c);
    return socind__frame_end(&f, st, n, "income");
}

/* A profile figure v of group j within SOCIND__NEAR_ONE of 1 — its share
 * N̂_g/N̂, its contribution H_g/N̂ or its contribution share H_g/H — whose
 * numerator's row terms are a part of its denominator's: its PSU terms
 * ((1 − v)·A_p − v·C_p)/T, 1 − v = C/T, from the numerator's PSU sums A_p
 * and the rest's C_p, both summed anew over the rows the whole sample's
 * component took (an income, and a line where per row), over every PSU;
 * a relative line's term lz·Z_p added. The general form, the group's own
 * part and the whole sample's whose variances and covariance the engine
 * adds, keeps about 2^−26 of the parts' SEs: 31 % off at v = 1 − 1.4e−9.
 * The variance at scale 2^−ez into *var, its status into *vst; SOCIND_OK
 * or SOCIND_ERR_NOMEM. */
static int32_t profile_near_one(pctx *c, const int32_t *group, int32_t j, int part, double alpha,
                                double v, double T, double lz, double *var, int *ez, int32_t *vst) {
    const socind_design *d = c->d;
    const size_t P = d->npsu;
    double *A = calloc(P ? P : 1, sizeof *A), *C = calloc(P ? P : 1, sizeof *C);
    if (!A || !C) {
        free(A), free(C);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the profile");
    }
    const double *y = c->y, *w = d->w;
    const double *lines = c->L.type == SOCIND_LINE_PER_ROW ? c->L.lines : NULL;
    for (size_t k = 0; k < d->n; k++) {
        const double yk = y[k], z = lines ? lines[k] : c->z;
        if (isnan(yk) || isnan(z)) continue;
        const int32_t p = d->row_psu[k];
        const int in = group[k] == j;
        if (part == SOCIND_PROFILE_SHARE) {
            (in ? A : C)[p] += w[k];
            continue;
        }
        double h = 0.0;
        if (c->L.inclusive ? yk <= z : yk < z) {
            const double g = (z - yk) / z;
            h = alpha == 0.0 ? 1.0 : alpha == 1.0 ? g : alpha == 2.0 ? g * g : pow(g, alpha);
        }
        if (in) A[p] += w[k] * h;
        if (part == SOCIND_PROFILE_CONTRIBUTION) /* the rest of N: w, or w·(1 − h) in g */
            C[p] += in ? w[k] * (1.0 - h) : w[k];
        else if (!in) /* the rest of H */
            C[p] += w[k] * h;
    }
    socind__ksum Cs = {0, 0};
    for (size_t p = 0; p < P; p++) socind__kadd(&Cs, C[p]);
    const double q = socind__kval(&Cs) / T;
    for (size_t p = 0; p < P; p++) {
        A[p] = (q * A[p] - v * C[p]) / T;
        if (lz != 0.0) A[p] += lz * c->Z[p];
    }
    *vst = socind__work_variance_dense_at(&c->wk, A, NULL, var, ez);
    free(A), free(C);
    return SOCIND_OK;
}

/* A profile figure from profile_near_one into e (n rows, weight sum ws). */
static int32_t put_near_one(pctx *c, const int32_t *group, int32_t j, int part, double alpha,
                            double v, double T, double lz, int64_t n, double ws,
                            const socind_options *o, int prop, socind_estimate *e) {
    double var = NAN;
    int ez = 0;
    int32_t vst = SOCIND_OK;
    const int32_t st = profile_near_one(c, group, j, part, alpha, v, T, lz, &var, &ez, &vst);
    if (st) return st;
    /* a figure of 1 to the last bit whose group missed the sole-group test
       by an ulp of its PSU sums: its PSU terms below the doubles' scale
       (the rest's weight 1e−300 beside the group's), SE 0 as the states'
       test gives it, not SOCIND_ERR_OVERFLOW (its terms are at most 1 in
       size: they cannot overflow) */
    if (vst == SOCIND_ERR_OVERFLOW && v == 1.0) vst = SOCIND_OK, var = 0.0, ez = 0;
    socind__estimate_nan(e, vst);
    e->value = v, e->se = vst ? NAN : ldexp(sqrt(var), ez);
    e->n = n, e->weight_sum = ws;
    socind__fill_ci(e, o, c->d->df, prop);
    return SOCIND_OK;
}

int32_t socind_poverty_profile(const socind_design *design, const double *y,
                               const socind_poverty_line *line, double alpha, const int32_t *group,
                               int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    SOCIND__REPLICATED(
        design, out, (size_t)socind__ndomains(group, n_groups) * SOCIND_PROFILE_COUNT, opts,
        alpha == 0.0 ? 0xfu : 1u << SOCIND_PROFILE_SHARE, SOCIND_PROFILE_COUNT,
        socind_poverty_profile(SOCIND__RV, y, line, alpha, group, n_groups, opts, SOCIND__RO));
    const int32_t K = SOCIND_PROFILE_COUNT;
    const socind__arg args[3] = {{y, "y"}, {line, "line"}, {group, "group"}};
    socind__frame f;
    pctx c;
    memset(&c, 0, sizeof c);
    comp all = {0};
    /* COUNT·n_groups estimates, group or not (the header) */
    int32_t st = socind__frame_begin(&f, out, (size_t)K * (size_t)(n_groups > 0 ? n_groups : 1),
                                     design, args, 3);
    if (!st) st = check_alpha(ALPHA_FGT, alpha);
    if (!st) st = ctx_args(&c, design, line, SOCIND_NONPOS_ERROR);
    if (!st) st = socind__frame_domains(&f, group, n_groups, opts);
    if (!st) st = ctx_init(&c, design, y, 1, 0);
    if (!st) st = ctx_domains_init(&c, 0);
    if (!st) socind__work_rule(&c.wk, &f.o, SOCIND_DOMAIN_RULE_FULL); /* as socind_fgt */
    if (!st)
        st = component(&c, KIND_FGT, alpha, (socind__span){NULL, 0, design->n, 1}, &c.vH2, &c.vN2,
                       &all);
    const int32_t sole = st ? -1 : sole_group(design, y, group);
    size_t nzN = 0, nzH = 0; /* the whole sample's PSUs of N (H) not 0 */
    if (!st && all.n > 0 && !c.dense)
        for (size_t t = 0; t < c.dom.n; t++) {
            const int32_t p = c.dom.list[t];
            nzN += c.zN2[p] != 0.0, nzH += c.zH2[p] != 0.0;
        }
    if (!st && all.n > 0 && !c.dense) {
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
    for (int32_t j = 0; !st && all.n > 0 && j < f.grp.ngroups; j++) {
        comp k;
        domain_begin(&c);
        st = component(&c, KIND_FGT, alpha, socind__group_span(&f.grp, j), &c.vH, &c.vN, &k);
        if (st) break;
        socind_estimate *e = out + (size_t)j * K;
        if (k.n == 0) {
            empty_domain(&c, e, K, 0);
            continue;
        }
        double Pg = k.H / k.N;
        ratio_vec(&c, &c.vH, &c.vN, k.H, Pg, k.N, &c.v1);
        /* shares of people (every part at α = 0, the group's share always)
           are proportions: their intervals follow opts->prop_ci */
        int prop = alpha == 0.0;
        fillv_ci(&c, &e[SOCIND_PROFILE_FGT], Pg, &c.v1, k.n, k.N, &f.o, prop);
        /* the whole-sample terms reach every stratum */
        if (c.dense) memset(c.present, 1, design->nstrata);
        c.all_present = 1;
        /* a group whose PSU sums are the whole sample's (every other row of
           weight 0): (N_g,p − N_p)/N̂ = 0, which the own part and the basis
           part give only up to rounding. The sole group (above) is one,
           though its sums and the sample's may differ in the last bit (the
           sample's PSU sums are added run by run); so too, where they come
           out equal, any group with those sums. */
        const int all_rows = j == sole;
        double N = all.N, sh = all_rows ? 1.0 : k.N / N;
        ratio_vec(&c, &c.vN, &c.vN2, NAN, sh, N, &c.v1);
        const int same =
            all_rows || (!c.dense && sh == 1.0 && same_psu_totals(&c, c.zN, c.zN2, nzN));
        if (same) drop_own(&c, &c.v1, BASIS_B);
        /* (near 1: profile_near_one) */
        const double near = 1.0 - SOCIND__NEAR_ONE, lz = c.relative ? k.D / N : 0.0;
        if (!same && sh > near) {
            st = put_near_one(&c, group, j, SOCIND_PROFILE_SHARE, alpha, sh, N, 0.0, k.n, k.N, &f.o,
                              1, &e[SOCIND_PROFILE_SHARE]);
            if (st) break;
        } else {
            fillv_ci(&c, &e[SOCIND_PROFILE_SHARE], sh, &c.v1, k.n, k.N, &f.o, 1);
        }
        double ct = k.H / N;
        if (ct > near) {
            st = put_near_one(&c, group, j, SOCIND_PROFILE_CONTRIBUTION, alpha, ct, N, lz, k.n, k.N,
                              &f.o, prop, &e[SOCIND_PROFILE_CONTRIBUTION]);
            if (st) break;
        } else {
            ratio_vec(&c, &c.vH, &c.vN2, NAN, ct, N, &c.v1);
            fillv_ci(&c, &e[SOCIND_PROFILE_CONTRIBUTION], ct, &c.v1, k.n, k.N, &f.o, prop);
        }
        if (all.H > 0) {
            double pc = all_rows ? 1.0 : k.H / all.H;
            const int same_h =
                all_rows || (!c.dense && pc == 1.0 && same_psu_totals(&c, c.zH, c.zH2, nzH));
            if (!same_h && pc > near) {
                const double lzh = c.relative ? (k.D - pc * all.D) / all.H : 0.0;
                st = put_near_one(&c, group, j, SOCIND_PROFILE_CONTRIBUTION_SHARE, alpha, pc, all.H,
                                  lzh, k.n, k.N, &f.o, prop, &e[SOCIND_PROFILE_CONTRIBUTION_SHARE]);
                if (st) break;
            } else {
                ratio_vec(&c, &c.vH, &c.vH2, NAN, pc, all.H, &c.v1);
                if (same_h) drop_own(&c, &c.v1, BASIS_A);
                if (all_rows) c.v1.g[BASIS_Z] = 0.0; /* D_g = D_all: the line's term too */
                fillv_ci(&c, &e[SOCIND_PROFILE_CONTRIBUTION_SHARE], pc, &c.v1, k.n, k.N, &f.o,
                         prop);
            }
        } else {
            socind__estimate_undefined(&e[SOCIND_PROFILE_CONTRIBUTION_SHARE], SOCIND_ERR_DATA, k.n,
                                       0.0, design->df);
        }
        /* the group's FGT0 within SOCIND__NEAR_ONE of 1: again from the
           complement's sums, as socind_fgt's (last: it overwrites c.vH and
           c.vN, which the shares above read) */
        if (prop && k.N > 0.0 && Pg > 1.0 - SOCIND__NEAR_ONE &&
            (st = fgt0_near_one(&c, socind__group_span(&f.grp, j), Pg, k.N, k.n, &f.o,
                                &e[SOCIND_PROFILE_FGT])))
            break;
    }
    ctx_free(&c);
    return socind__frame_end(&f, st, all.n, "income");
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

/* FGT0's row loop summing the complement Σ w·1[not poor] in N (out->N),
 * for an FGT0 within SOCIND__NEAR_ONE of 1 (body_ratio, the
 * decompositions): rare, so cold and apart, where it does not move
 * component's loops (FGT0's or FGT1's took 13–14 % longer at 10^7 rows
 * with this one in their way). */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static int32_t
component_fgt0_comp(pctx *c, socind__span r, pvec *H, pvec *N, comp *out) {
    const double alpha = 0.0;
    return COMPONENT_INCL_C(KIND_FGT, 0, 1);
}

#undef COMPONENT_INCL
#undef COMPONENT_INCL_C
#undef COMPONENT_CALL
#undef COMPONENT_LINES
