/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/calibrate.c — calibrated weights (post-stratification, raking by
 * iterative proportional fitting, linear / raking / logit calibration) and
 * the calibrated design's variance: the residuals of R survey's svyrecvar
 * with postStrata, applied to the per-row totals every estimator
 * accumulates (socind/calibrate.h says why every row is a unit). */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

#define CAL_V1_SIZE sizeof(socind_calibration)
#define CAL_MAX_LEVELS 100000000
#define RESID_RAKE_SWEEPS 10 /* survey's svyrecvar: a fixed number */
#define TOTALS_AGREE 1e-9    /* margins' grand totals: relative */
#define PIVOT_MIN 1e-11      /* a scaled Cholesky pivot below this: singular */

struct socind__cal {
    socind_design *base; /* the design before calibration (its own copy, w = w₀) */
    int32_t method;
    int32_t *unit_row; /* n: the row of each unit */
    /* calibrate: the model matrix, row by row, and X′W₀X's scaled Cholesky */
    int32_t q;
    double *X;  /* n·q */
    double *L;  /* q·q lower triangle of the Cholesky factor of S·A·S */
    double *sc; /* q: S = diag(1/√A_jj) */
    /* post-stratification and rake: the margins' codes and cell figures */
    int32_t nm;
    int32_t *codes; /* nm·n */
    size_t *off;    /* nm + 1: the margins' first cell */
    double *cell;   /* post: Σ_c w₀; rake: rows of the cell with w* ≠ 0 */
    /* rake: each margin's factor per level (off[nm] values) in the last
       sweep: margin i's weights as its post-stratification left them there
       (survey's postStrata weights, which its residuals divide by) are w*
       over the later margins' factors (the last margin's are w*) */
    double *fac;
    /* per PSU of the design, for a variance in O(touched rows + PSUs):
       calibrate: Σ_{k∈p} w*_k x_k (npsu·q); post-stratification: the
       cells of each PSU's rows and their Σ w* (pc_start: npsu + 1 offsets
       into pc_cell, pc_w) */
    double *pxw;
    size_t *pc_start;
    int32_t *pc_cell;
    double *pc_w;
};

struct socind__calwork {
    double *e;    /* n: per-row w*·u, then w*·e */
    double *pw;   /* rake with factors: n, a margin's weights in the last sweep */
    double *Z;    /* base npsu: PSU totals */
    double *cell; /* cells' sums (post-stratification, rake) */
    double *rhs;  /* q */
    int32_t *tmp; /* n: the touched units' sort */
    socind__work bw;
};

int32_t socind_calibration_init(socind_calibration *cal) {
    int32_t st = socind__init_sized(cal, sizeof *cal, "cal");
    if (st) return st;
    cal->method = SOCIND_CAL_LINEAR;
    cal->lower = -INFINITY;
    cal->upper = INFINITY;
    cal->max_iter = 0; /* the method's default (max_iter_of) */
    return SOCIND_OK;
}

/* The iterations allowed: the caller's, or the method's default (0): 1000
 * sweeps for rake (each O(n); survey's rule on the margins' cell totals at
 * epsilon 1e-13 takes about 30 sweeps a factor of 10 in its rate of
 * convergence), 100 Newton steps for raking and logit. */
static int32_t max_iter_of(const socind_calibration *c) {
    return c->max_iter > 0 ? c->max_iter : c->method == SOCIND_CAL_RAKE ? 1000 : 100;
}

int32_t socind_design_calibrated(const socind_design *d) {
    return d && d->cal ? 1 : 0;
}

size_t socind__cal_npsu(const socind_design *d) {
    return d->cal->base->npsu;
}

const socind_design *socind__cal_base(const socind_design *d) {
    return d->cal->base;
}

void socind__cal_free(socind__cal *c) {
    if (!c) return;
    socind_design_free(c->base);
    free(c->unit_row);
    free(c->X);
    free(c->L);
    free(c->sc);
    free(c->codes);
    free(c->off);
    free(c->cell);
    free(c->fac);
    free(c->pxw);
    free(c->pc_start);
    free(c->pc_cell);
    free(c->pc_w);
    free(c);
}

/* ---- small dense linear algebra ---- */

/* The Cholesky factor of S·A·S (S = diag(1/√A_jj)) into L; 0 when a pivot
 * falls below PIVOT_MIN (*bad its column) or a diagonal is not positive. */
static int chol_scaled(const double *A, int q, double *L, double *sc, int *bad) {
    for (int j = 0; j < q; j++) {
        if (!(A[j * q + j] > 0.0) || !isfinite(A[j * q + j])) {
            *bad = j;
            return 0;
        }
        sc[j] = 1.0 / sqrt(A[j * q + j]);
    }
    for (int i = 0; i < q; i++)
        for (int j = 0; j <= i; j++) {
            long double s = (long double)A[i * q + j] * sc[i] * sc[j];
            for (int k = 0; k < j; k++) s -= (long double)L[i * q + k] * L[j * q + k];
            if (i == j) {
                if (!(s > PIVOT_MIN)) {
                    *bad = i;
                    return 0;
                }
                L[i * q + i] = (double)sqrtl(s);
            } else {
                L[i * q + j] = (double)(s / L[j * q + j]);
            }
        }
    return 1;
}

/* Solves A·x = b through chol_scaled's factor (x may be b). */
static void chol_solve(const double *L, const double *sc, int q, const double *b, double *x) {
    double *t = x;
    for (int i = 0; i < q; i++) t[i] = b[i] * sc[i];
    for (int i = 0; i < q; i++) {
        long double s = t[i];
        for (int k = 0; k < i; k++) s -= (long double)L[i * q + k] * t[k];
        t[i] = (double)(s / L[i * q + i]);
    }
    for (int i = q - 1; i >= 0; i--) {
        long double s = t[i];
        for (int k = i + 1; k < q; k++) s -= (long double)L[k * q + i] * t[k];
        t[i] = (double)(s / L[i * q + i]);
    }
    for (int i = 0; i < q; i++) t[i] *= sc[i];
}

/* ---- the distance functions: g = F(η) and F′(η) ---- */
typedef struct {
    int32_t method;
    double lo, up, A;
} dist;
static double dist_g(const dist *D, double eta, double *dg) {
    switch (D->method) {
    case SOCIND_CAL_RAKING: {
        double g = exp(eta);
        *dg = g;
        return g;
    }
    case SOCIND_CAL_LOGIT: {
        const double L = D->lo, U = D->up, A = D->A, a = A * eta;
        double g, d;
        if (a <= 0.0) {
            double E = exp(a), den = (U - 1.0) + (1.0 - L) * E;
            g = (L * (U - 1.0) + U * (1.0 - L) * E) / den;
            d = A * E * (1.0 - L) * (U - 1.0) * (U - L) / (den * den);
        } else { /* divided through by e^{a}: no overflow */
            double E = exp(-a), den = (U - 1.0) * E + (1.0 - L);
            g = (L * (U - 1.0) * E + U * (1.0 - L)) / den;
            d = A * E * (1.0 - L) * (U - 1.0) * (U - L) / (den * den);
        }
        *dg = d;
        return g;
    }
    default:
        *dg = 1.0;
        return 1.0 + eta;
    }
}

/* ---- the model (calibrate) ---- */

/* One column of the model: the intercept, a margin's level, or a numeric
 * column. */
typedef struct {
    int kind; /* 0 intercept, 1 level, 2 numeric */
    int32_t margin, level;
    double total;
} term;

static const char *method_name(int32_t m) {
    static const char *const names[] = {"post-stratification", "rake", "linear calibration",
                                        "raking calibration", "logit calibration"};
    return m >= 0 && m <= 4 ? names[m] : "?";
}

/* A total below the normal doubles (subnormal): the weights it asks for
 * lose their digits or round to 0 (a population of 1e−320 gave every
 * weight 0 with status OK). */
static int32_t tiny_total(double t) {
    return socind__fail(SOCIND_ERR_TARGETS,
                        "a total of %g lies below the normal doubles (%g): the calibrated weights "
                        "would lose their digits; give the totals in larger units",
                        t, DBL_MIN);
}

/* Weights that came out 0 on every row, or below the normal doubles where
 * not 0, though the design has rows of positive weight: the targets (of
 * normal size, but tiny beside the rows' count and weights) leave nothing
 * to estimate with. */
static int32_t weights_left(const socind_design *d, const double *w) {
    int any_base = 0;
    for (size_t k = 0; k < d->n; k++) {
        if (fabs(w[k]) >= DBL_MIN) return SOCIND_OK;
        any_base |= d->w[k] > 0.0;
    }
    if (!any_base) return SOCIND_OK;
    return socind__fail(SOCIND_ERR_TARGETS,
                        "every calibrated weight is 0 or below the normal doubles (%g): the "
                        "targets leave no weight to estimate with",
                        DBL_MIN);
}

/* Checks cal against design d: SOCIND_OK or the status with its detail. */
static int32_t check_spec(const socind_design *d, const socind_calibration *c, double *eps) {
    int32_t st = socind__check_sized(c, CAL_V1_SIZE, sizeof *c, "socind_calibration");
    if (st) return st;
    if (d->cal) return socind__fail(SOCIND_ERR_ARG, "the design is calibrated already");
    const int32_t m = c->method;
    if (m < SOCIND_CAL_POSTSTRATIFY || m > SOCIND_CAL_LOGIT)
        return socind__fail(SOCIND_ERR_ARG, "cal.method %d is unknown", (int)m);
    if (c->reserved != 0) return socind__fail(SOCIND_ERR_ARG, "cal.reserved must be 0");
    if (c->n_margins < 0 || c->n_numeric < 0)
        return socind__fail(SOCIND_ERR_ARG, "cal.n_margins and cal.n_numeric must be >= 0");
    if (c->intercept != 0 && c->intercept != 1)
        return socind__fail(SOCIND_ERR_ARG, "cal.intercept must be 0 or 1");
    if (m == SOCIND_CAL_POSTSTRATIFY && c->n_margins != 1)
        return socind__fail(SOCIND_ERR_ARG,
                            "post-stratification takes exactly one margin (the cells), got %d",
                            (int)c->n_margins);
    if (m == SOCIND_CAL_RAKE && c->n_margins < 1)
        return socind__fail(SOCIND_ERR_ARG, "rake needs at least one margin");
    if (m <= SOCIND_CAL_RAKE && (c->n_numeric > 0 || c->intercept))
        return socind__fail(SOCIND_ERR_ARG,
                            "%s takes categorical margins only (no numeric "
                            "column, no intercept)",
                            method_name(m));
    if (m > SOCIND_CAL_RAKE && c->n_margins + c->n_numeric + c->intercept == 0)
        return socind__fail(SOCIND_ERR_ARG, "%s needs at least one target", method_name(m));
    if (m == SOCIND_CAL_LOGIT) {
        if (!(isfinite(c->lower) && isfinite(c->upper) && c->lower < 1.0 && c->upper > 1.0))
            return socind__fail(SOCIND_ERR_ARG,
                                "logit calibration needs finite bounds lower < 1 < upper, got "
                                "(%g, %g)",
                                c->lower, c->upper);
    } else if (!(c->lower == -INFINITY && c->upper == INFINITY)) {
        return socind__fail(SOCIND_ERR_ARG,
                            "bounds apply to logit calibration only (%s given "
                            "(%g, %g))",
                            method_name(m), c->lower, c->upper);
    }
    if (c->max_iter < 0)
        return socind__fail(SOCIND_ERR_ARG, "cal.max_iter must be >= 1, or 0 for the method's "
                                            "default");
    if (!(c->epsilon >= 0.0) || isinf(c->epsilon))
        return socind__fail(SOCIND_ERR_ARG, "cal.epsilon must be finite and >= 0, got %g",
                            c->epsilon);
    *eps = c->epsilon > 0.0 ? c->epsilon : m == SOCIND_CAL_RAKE ? 1e-13 : 1e-12;
    if (c->n_margins > 0 && (!c->codes || !c->levels || !c->margin_totals))
        return socind__fail(SOCIND_ERR_NULL, "cal.codes, cal.levels and cal.margin_totals are "
                                             "needed with margins");
    if (c->n_numeric > 0 && (!c->x || !c->x_totals))
        return socind__fail(SOCIND_ERR_NULL, "cal.x and cal.x_totals are needed with numeric "
                                             "columns");
    const size_t n = d->n;
    size_t off = 0;
    for (int32_t i = 0; i < c->n_margins; i++) {
        const int32_t L = c->levels[i];
        if (L < 1 || L > CAL_MAX_LEVELS)
            return socind__fail(SOCIND_ERR_ARG, "margin %d has %d levels (1 .. %d)", (int)i, (int)L,
                                CAL_MAX_LEVELS);
        const int32_t *cd = c->codes + (size_t)i * n;
        for (size_t k = 0; k < n; k++)
            if (cd[k] < 0 || cd[k] >= L)
                return socind__fail_row(SOCIND_ERR_CODE, k,
                                        "margin %d: code %d in row %zu is outside [0, %d)", (int)i,
                                        (int)cd[k], k, (int)L);
        for (int32_t l = 0; l < L; l++) {
            double t = c->margin_totals[off + (size_t)l];
            if (isnan(t) && m > SOCIND_CAL_RAKE) continue;
            if (!(t >= 0.0) || isinf(t))
                return socind__fail(SOCIND_ERR_TARGETS,
                                    "margin %d, level %d: the total %g must be finite and >= 0",
                                    (int)i, (int)l, t);
            if (t > 0.0 && t < DBL_MIN) return tiny_total(t);
        }
        off += (size_t)L;
    }
    for (int32_t j = 0; j < c->n_numeric; j++) {
        if (!isfinite(c->x_totals[j]))
            return socind__fail(SOCIND_ERR_TARGETS, "numeric column %d: the total %g is not finite",
                                (int)j, c->x_totals[j]);
        if (c->x_totals[j] != 0.0 && fabs(c->x_totals[j]) < DBL_MIN)
            return tiny_total(c->x_totals[j]);
        const double *xj = c->x + (size_t)j * n;
        for (size_t k = 0; k < n; k++)
            if (!isfinite(xj[k]))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "numeric column %d: x in row %zu is %g; calibration needs "
                                        "finite values",
                                        (int)j, k, xj[k]);
    }
    if (c->intercept && (!(c->intercept_total >= 0.0) || isinf(c->intercept_total)))
        return socind__fail(SOCIND_ERR_TARGETS,
                            "the intercept's total (the population size) %g must be finite and "
                            ">= 0",
                            c->intercept_total);
    if (c->intercept && c->intercept_total > 0.0 && c->intercept_total < DBL_MIN)
        return tiny_total(c->intercept_total);
    return SOCIND_OK;
}

/* Every level with a positive total has a sampled row (w₀ > 0); the
 * margins' grand totals agree (rake). cnt: Σ levels scratch. */
static int32_t check_levels(const socind_design *d, const socind_calibration *c, double *cnt) {
    const size_t n = d->n;
    size_t off = 0;
    double first = 0.0;
    for (int32_t i = 0; i < c->n_margins; i++) {
        const int32_t L = c->levels[i], *cd = c->codes + (size_t)i * n;
        const double *tot = c->margin_totals + off;
        for (int32_t l = 0; l < L; l++) cnt[l] = 0.0;
        for (size_t k = 0; k < n; k++) cnt[cd[k]] += d->w[k] > 0.0;
        socind__ksum s = {0, 0};
        for (int32_t l = 0; l < L; l++) {
            if (isnan(tot[l])) continue;
            socind__kadd(&s, tot[l]);
            /* (a level without rows whose total is 0 is met as it is:
               survey's postStratify leaves the cell out, its calibrate the
               column of zeros; make_terms leaves it out) */
            if (cnt[l] == 0.0 && tot[l] > 0.0)
                return socind__fail(SOCIND_ERR_TARGETS,
                                    "margin %d, level %d has a total of %g but no sampled row "
                                    "(of positive weight)",
                                    (int)i, (int)l, tot[l]);
        }
        if (c->method == SOCIND_CAL_RAKE) {
            double S = socind__kval(&s);
            if (i == 0)
                first = S;
            else if (fabs(S - first) > TOTALS_AGREE * fmax(fabs(first), 1.0))
                return socind__fail(SOCIND_ERR_TARGETS,
                                    "the margins disagree: margin 0 sums to %.17g, margin %d to "
                                    "%.17g",
                                    first, (int)i, S);
        }
        off += (size_t)L;
    }
    return SOCIND_OK;
}

/* The calibrate model's terms: intercept, the levels with a total (one
 * dropped where a full margin sums to the intercept or an earlier full
 * margin, whose totals must then agree) but those without a sampled row
 * (their total is 0: check_levels), the numeric columns. */
static int32_t make_terms(const socind_design *d, const socind_calibration *c, term *t, int *q) {
    const size_t n = d->n;
    int nt = 0;
    int have_ref = 0;
    double ref = 0.0;
    int32_t ref_margin = -1;
    if (c->intercept) {
        t[nt++] = (term){0, -1, -1, c->intercept_total};
        have_ref = 1;
        ref = c->intercept_total;
    }
    size_t off = 0;
    for (int32_t i = 0; i < c->n_margins; i++) {
        const int32_t L = c->levels[i];
        const double *tot = c->margin_totals + off;
        int full = 1;
        socind__ksum s = {0, 0};
        for (int32_t l = 0; l < L; l++) {
            if (isnan(tot[l]))
                full = 0;
            else
                socind__kadd(&s, tot[l]);
        }
        int drop = 0;
        if (full) {
            double S = socind__kval(&s);
            if (have_ref) {
                if (fabs(S - ref) > TOTALS_AGREE * fmax(fabs(ref), 1.0)) {
                    if (ref_margin < 0)
                        return socind__fail(SOCIND_ERR_TARGETS,
                                            "margin %d's levels sum to %.17g but the intercept's "
                                            "total is %.17g",
                                            (int)i, S, ref);
                    return socind__fail(SOCIND_ERR_TARGETS,
                                        "the margins disagree: margin %d sums to %.17g, margin %d "
                                        "to %.17g",
                                        (int)ref_margin, ref, (int)i, S);
                }
                drop = 1;
            } else {
                have_ref = 1;
                ref = S;
                ref_margin = i;
            }
        }
        /* the levels with a row of positive weight */
        unsigned char *has = calloc((size_t)L, 1);
        if (!has) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        const int32_t *cd = c->codes + (size_t)i * n;
        for (size_t k = 0; k < n; k++)
            if (d->w[k] > 0.0) has[cd[k]] = 1;
        for (int32_t l = 0; l < L; l++) {
            if (isnan(tot[l]) || !has[l]) continue;
            if (drop) { /* the first level with rows stands for the margin */
                drop = 0;
                continue;
            }
            t[nt++] = (term){1, i, l, tot[l]};
        }
        free(has);
        off += (size_t)L;
    }
    for (int32_t j = 0; j < c->n_numeric; j++) t[nt++] = (term){2, -1, j, c->x_totals[j]};
    *q = nt;
    return SOCIND_OK;
}

static void term_name(const term *t, char *buf, size_t len) {
    if (t->kind == 0)
        snprintf(buf, len, "the intercept");
    else if (t->kind == 1)
        snprintf(buf, len, "margin %d, level %d", (int)t->margin, (int)t->level);
    else
        snprintf(buf, len, "numeric column %d", (int)t->level);
}

/* ---- the design's copy and the calibrated design ---- */

static socind_design *design_copy(const socind_design *d) {
    socind_design *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    *c = *d;
    c->w = c->stratum_f = c->stratum_scale = NULL;
    c->row_psu = c->psu_stratum = c->stratum_npsu = NULL;
    c->stratum_id = NULL;
    c->psu_end = NULL;
    c->cal = NULL;
    const size_t n = d->n, P = d->npsu, H = d->nstrata;
    c->w = malloc(n * sizeof *c->w);
    c->row_psu = malloc(n * sizeof *c->row_psu);
    c->psu_stratum = malloc(P * sizeof *c->psu_stratum);
    c->stratum_npsu = malloc(H * sizeof *c->stratum_npsu);
    c->stratum_f = malloc(H * sizeof *c->stratum_f);
    c->stratum_scale = malloc(H * sizeof *c->stratum_scale);
    c->stratum_id = malloc(H * sizeof *c->stratum_id);
    if (d->psu_end) c->psu_end = malloc(P * sizeof *c->psu_end);
    if (!c->w || !c->row_psu || !c->psu_stratum || !c->stratum_npsu || !c->stratum_f ||
        !c->stratum_scale || !c->stratum_id || (d->psu_end && !c->psu_end)) {
        socind_design_free(c);
        return NULL;
    }
    memcpy(c->w, d->w, n * sizeof *c->w);
    memcpy(c->row_psu, d->row_psu, n * sizeof *c->row_psu);
    memcpy(c->psu_stratum, d->psu_stratum, P * sizeof *c->psu_stratum);
    memcpy(c->stratum_npsu, d->stratum_npsu, H * sizeof *c->stratum_npsu);
    memcpy(c->stratum_f, d->stratum_f, H * sizeof *c->stratum_f);
    memcpy(c->stratum_scale, d->stratum_scale, H * sizeof *c->stratum_scale);
    memcpy(c->stratum_id, d->stratum_id, H * sizeof *c->stratum_id);
    if (d->psu_end) memcpy(c->psu_end, d->psu_end, P * sizeof *c->psu_end);
    return c;
}

/* The calibrated design over cal (which it takes): every row its own unit,
 * units numbered by the base design's PSU (so a stratum's units are
 * contiguous), weights w. */
static int32_t make_design(socind__cal *cal, const double *w, socind_design **out) {
    const socind_design *b = cal->base;
    const size_t n = b->n, P = b->npsu;
    socind_design *d = design_copy(b);
    size_t *start = calloc(P + 1, sizeof *start);
    int32_t *ps = d ? realloc(d->psu_stratum, (n ? n : 1) * sizeof *ps) : NULL;
    if (ps) d->psu_stratum = ps;
    cal->unit_row = malloc((n ? n : 1) * sizeof *cal->unit_row);
    if (!d || !start || !ps || !cal->unit_row) {
        free(start);
        socind_design_free(d);
        socind__cal_free(cal);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the calibrated design");
    }
    for (size_t k = 0; k < n; k++) start[b->row_psu[k] + 1]++;
    for (size_t p = 0; p < P; p++) start[p + 1] += start[p];
    for (size_t k = 0; k < n; k++) {
        size_t u = start[b->row_psu[k]]++;
        cal->unit_row[u] = (int32_t)k;
        d->row_psu[k] = (int32_t)u;
        d->psu_stratum[u] = b->psu_stratum[b->row_psu[k]];
    }
    free(start);
    /* the PSUs' sums the sparse variance subtracts */
    int ok = 1;
    if (cal->q > 0) {
        const size_t Q = (size_t)cal->q;
        ok = (cal->pxw = calloc(P * Q > 0 ? P * Q : 1, sizeof *cal->pxw)) != NULL;
        for (size_t k = 0; ok && k < n; k++)
            for (size_t j = 0; j < Q; j++)
                cal->pxw[(size_t)b->row_psu[k] * Q + j] += w[k] * cal->X[k * Q + j];
    } else if (cal->method == SOCIND_CAL_POSTSTRATIFY) {
        const size_t C = cal->off[1];
        int64_t *stamp = malloc((C ? C : 1) * sizeof *stamp);
        size_t *pos = malloc((C ? C : 1) * sizeof *pos);
        cal->pc_start = malloc((P + 1) * sizeof *cal->pc_start);
        cal->pc_cell = malloc((n ? n : 1) * sizeof *cal->pc_cell);
        cal->pc_w = malloc((n ? n : 1) * sizeof *cal->pc_w);
        ok = stamp && pos && cal->pc_start && cal->pc_cell && cal->pc_w;
        if (ok) {
            for (size_t l = 0; l < C; l++) stamp[l] = -1;
            size_t ne = 0;
            int64_t last = -1;
            for (size_t u = 0; u < n; u++) { /* units in PSU order */
                const size_t k = (size_t)cal->unit_row[u];
                const int64_t p = b->row_psu[k];
                while (last < p) cal->pc_start[++last] = ne;
                const int32_t cc = cal->codes[k];
                if (stamp[cc] != p) {
                    stamp[cc] = p;
                    pos[cc] = ne;
                    cal->pc_cell[ne] = cc;
                    cal->pc_w[ne++] = 0.0;
                }
                cal->pc_w[pos[cc]] += w[k];
            }
            while (last < (int64_t)P) cal->pc_start[++last] = ne;
        }
        free(stamp), free(pos);
    }
    if (!ok) {
        socind_design_free(d);
        socind__cal_free(cal);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the calibrated design");
    }
    /* R's degf() of the calibrated design: PSUs and strata with a row whose
       calibrated weight is not 0 (a level's total of 0 zeroes its rows; a
       negative weight counts, as R's weights != 0) */
    unsigned char *seen = calloc(P + b->nstrata + 1, 1);
    if (!seen) {
        socind_design_free(d);
        socind__cal_free(cal);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed building the calibrated design");
    }
    size_t psu_pos = 0, str_pos = 0;
    for (size_t k = 0; k < n; k++) {
        const size_t p = (size_t)b->row_psu[k], h = P + (size_t)b->psu_stratum[p];
        if (!(w[k] != 0.0) || seen[p]) continue;
        seen[p] = 1, psu_pos++;
        if (!seen[h]) seen[h] = 1, str_pos++;
    }
    free(seen);
    d->df = (double)psu_pos - (double)str_pos;
    free(d->psu_end);
    d->psu_end = NULL;
    d->npsu = n;
    memcpy(d->w, w, n * sizeof *w);
    d->cal = cal;
    *out = d;
    return SOCIND_OK;
}

/* ---- the weights ---- */

static int32_t poststratify(const socind_design *d, const socind_calibration *c, double *w) {
    const size_t n = d->n;
    const int32_t L = c->levels[0];
    socind__ksum *s = calloc((size_t)L, sizeof *s);
    if (!s) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    for (size_t k = 0; k < n; k++) socind__kadd(&s[c->codes[k]], d->w[k]);
    for (size_t k = 0; k < n; k++) {
        double N = c->margin_totals[c->codes[k]], Nh = socind__kval(&s[c->codes[k]]);
        w[k] = d->w[k] > 0.0 ? d->w[k] * (N / Nh) : 0.0;
    }
    free(s);
    return SOCIND_OK;
}

/* Each margin's cell totals of the weights w (Σ w over the rows of each
 * level, margin after margin: tot_levels values) into t, the sums s. */
static void rake_tables(const socind_calibration *c, size_t n, const double *w, socind__ksum *s,
                        double *t) {
    size_t off = 0;
    for (int32_t i = 0; i < c->n_margins; i++) {
        const int32_t L = c->levels[i], *cd = c->codes + (size_t)i * n;
        for (int32_t l = 0; l < L; l++) s[l] = (socind__ksum){0, 0};
        for (size_t k = 0; k < n; k++) socind__kadd(&s[cd[k]], w[k]);
        for (int32_t l = 0; l < L; l++) t[off + (size_t)l] = socind__kval(&s[l]);
        off += (size_t)L;
    }
}

/* survey's rake: sweeps of post-stratification margin after margin until
 * the largest change of a margin's cell total over a sweep (its svytable
 * before and after) is below epsilon. fac (NULL, or a value per level of
 * every margin): each level's factor in the last sweep (1 for a level
 * without weight). */
static int32_t rake(const socind_design *d, const socind_calibration *c, double eps, int32_t *iters,
                    double *w, double *fac) {
    const size_t n = d->n;
    size_t tot_levels = 0;
    int32_t Lmax = 1;
    for (int32_t i = 0; i < c->n_margins; i++) {
        tot_levels += (size_t)c->levels[i];
        if (c->levels[i] > Lmax) Lmax = c->levels[i];
    }
    socind__ksum *s = malloc((size_t)Lmax * sizeof *s);
    double *old = malloc((tot_levels ? tot_levels : 1) * sizeof *old);
    double *now = malloc((tot_levels ? tot_levels : 1) * sizeof *now);
    if (!s || !old || !now) {
        free(s), free(old), free(now);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    socind__ksum W = {0, 0};
    for (size_t k = 0; k < n; k++) socind__kadd(&W, d->w[k]);
    const double tol = eps < 1.0 ? eps * socind__kval(&W) : eps;
    memcpy(w, d->w, n * sizeof *w);
    rake_tables(c, n, w, s, old);
    int32_t it = 0, converged = 0;
    double change = INFINITY;
    const int32_t max_iter = max_iter_of(c);
    while (it < max_iter && !converged) {
        it++;
        size_t off = 0;
        for (int32_t i = 0; i < c->n_margins; i++) {
            const int32_t L = c->levels[i], *cd = c->codes + (size_t)i * n;
            for (int32_t l = 0; l < L; l++) s[l] = (socind__ksum){0, 0};
            for (size_t k = 0; k < n; k++) socind__kadd(&s[cd[k]], w[k]);
            for (size_t k = 0; k < n; k++)
                if (w[k] > 0.0)
                    w[k] *= c->margin_totals[off + (size_t)cd[k]] / socind__kval(&s[cd[k]]);
            for (int32_t l = 0; fac && l < L; l++) {
                const double S = socind__kval(&s[l]);
                fac[off + (size_t)l] = S > 0.0 ? c->margin_totals[off + (size_t)l] / S : 1.0;
            }
            off += (size_t)L;
        }
        rake_tables(c, n, w, s, now);
        change = 0.0;
        for (size_t l = 0; l < tot_levels; l++) change = fmax(change, fabs(now[l] - old[l]));
        converged = change < tol;
        double *t = old;
        old = now, now = t;
    }
    free(s), free(old), free(now);
    *iters = it;
    if (!converged)
        return socind__fail(SOCIND_ERR_CONVERGENCE,
                            "rake did not converge after %d iterations: the largest change of a "
                            "margin's cell total in the last sweep was %g (epsilon %g)",
                            (int)it, change, tol);
    return SOCIND_OK;
}

/* The model matrix (n·q, row by row) of the terms. */
static void fill_X(const socind_design *d, const socind_calibration *c, const term *t, int q,
                   double *X) {
    const size_t n = d->n;
    for (size_t k = 0; k < n; k++)
        for (int j = 0; j < q; j++) {
            double v;
            if (t[j].kind == 0)
                v = 1.0;
            else if (t[j].kind == 1)
                v = c->codes[(size_t)t[j].margin * n + k] == t[j].level ? 1.0 : 0.0;
            else
                v = c->x[(size_t)t[j].level * n + k];
            X[k * (size_t)q + (size_t)j] = v;
        }
}

/* Σ_k a_k x_k x_k′ into A (q·q), the rows with w₀ > 0. */
static void cross(const socind_design *d, const double *X, int q, const double *a, double *A) {
    const size_t n = d->n, Q = (size_t)q;
    long double *S = calloc(Q * Q, sizeof *S);
    if (!S) { /* fall back to double sums */
        for (size_t i = 0; i < Q * Q; i++) A[i] = 0.0;
        for (size_t k = 0; k < n; k++) {
            if (!(d->w[k] > 0.0)) continue;
            const double *x = X + k * Q;
            for (size_t i = 0; i < Q; i++)
                for (size_t j = 0; j <= i; j++) A[i * Q + j] += a[k] * x[i] * x[j];
        }
    } else {
        for (size_t k = 0; k < n; k++) {
            if (!(d->w[k] > 0.0)) continue;
            const double *x = X + k * Q;
            for (size_t i = 0; i < Q; i++)
                for (size_t j = 0; j <= i; j++) S[i * Q + j] += (long double)a[k] * x[i] * x[j];
        }
        for (size_t i = 0; i < Q * Q; i++) A[i] = (double)S[i];
        free(S);
    }
    for (size_t i = 0; i < Q; i++)
        for (size_t j = 0; j < i; j++) A[j * Q + i] = A[i * Q + j];
}

/* g = F(Xλ), w = w₀·g, dg = w₀·F′; the residual t − X′w into r; returns
 * the largest relative misfit, |t̂_j − t_j| over max(|t_j|, min(1, S_j))
 * with S_j = Σ|w·x_j| (over 1 where t_j = 0): survey's 1 + |t_j| let
 * totals below 1 pass unmet — a population of 3e−308 over weights summing
 * to 6 ended at weights of 1.1e−16 with status OK, as the closed form's
 * g = 1 + η cannot come nearer than rounding to 0 — while a total near 0
 * from terms of both signs (S_j >= 1) keeps survey's measure. */
static double apply_lambda(const socind_design *d, const double *X, int q, const term *t,
                           const dist *D, const double *lam, double *w, double *dg, double *r) {
    const size_t n = d->n, Q = (size_t)q;
    long double tot[2 * 64];
    long double *T = q <= 64 ? tot : calloc(2 * Q, sizeof *T), *S = T + Q;
    if (!T) return NAN;
    for (size_t j = 0; j < 2 * Q; j++) T[j] = 0.0L;
    for (size_t k = 0; k < n; k++) {
        const double *x = X + k * Q;
        if (!(d->w[k] > 0.0)) {
            w[k] = 0.0;
            if (dg) dg[k] = 0.0;
            continue;
        }
        double eta = 0.0, de;
        for (size_t j = 0; j < Q; j++) eta += x[j] * lam[j];
        double g = dist_g(D, eta, &de);
        w[k] = d->w[k] * g;
        if (dg) dg[k] = d->w[k] * de;
        for (size_t j = 0; j < Q; j++) {
            T[j] += (long double)w[k] * x[j];
            S[j] += fabsl((long double)w[k] * x[j]);
        }
    }
    double mis = 0.0;
    for (size_t j = 0; j < Q; j++) {
        r[j] = (double)((long double)t[j].total - T[j]);
        const double tj = fabs(t[j].total);
        const double rel = fabs(r[j]) / (tj > 0.0 ? fmax(tj, fmin(1.0, (double)S[j])) : 1.0);
        if (!(rel <= mis)) mis = rel; /* NaN wins */
    }
    if (T != tot) free(T);
    return mis;
}

/* Targets that leave every calibrated weight 0, which the iteration would
 * still call met (its misfit for a total of 0 is absolute, so it
 * ends on weights of rounding's size whose ratios are noise): a population
 * size of 0 (the intercept's total, or every level of a full margin 0),
 * and, where every g is positive (raking; logit with lower >= 0), a total
 * of 0 for a column that is non-zero and of one sign on every sampled row.
 * (A zero total for a column that is 0 on some rows leaves those rows'
 * weights, as survey's limit does.) */
static int32_t feasible_signs(const socind_design *d, const socind_calibration *c, const term *t,
                              int q, const double *X) {
    const size_t n = d->n, Q = (size_t)q;
    const int positive =
        c->method == SOCIND_CAL_RAKING || (c->method == SOCIND_CAL_LOGIT && c->lower >= 0.0);
    char nm[64];
    for (size_t j = 0; j < Q; j++) {
        if (t[j].kind == 0 && t[j].total == 0.0)
            return socind__fail(SOCIND_ERR_TARGETS,
                                "the intercept's total (the population size) is 0: the calibrated "
                                "weights would sum to 0 and every mean or rate be 0/0");
        if (!positive || t[j].total != 0.0) continue;
        int all_pos = 1, all_neg = 1, any = 0;
        for (size_t k = 0; k < n; k++) {
            if (!(d->w[k] > 0.0)) continue;
            const double v = X[k * Q + j];
            any = 1, all_pos &= v > 0.0, all_neg &= v < 0.0;
        }
        if (!any || !(all_pos || all_neg)) continue;
        term_name(&t[j], nm, sizeof nm);
        return socind__fail(SOCIND_ERR_TARGETS,
                            "%s: a total of 0 for a column that is %s 0 on every sampled row "
                            "leaves every weight 0 (%s keeps g positive)",
                            nm, all_pos ? ">" : "<",
                            c->method == SOCIND_CAL_RAKING ? "raking" : "logit with lower >= 0");
    }
    /* a full margin's levels sum to the population size */
    size_t off = 0;
    for (int32_t i = 0; i < c->n_margins; i++) {
        const int32_t L = c->levels[i];
        const double *tot = c->margin_totals + off;
        int full = 1, zero = 1;
        for (int32_t l = 0; l < L; l++) full &= !isnan(tot[l]), zero &= tot[l] == 0.0;
        if (full && zero)
            return socind__fail(SOCIND_ERR_TARGETS,
                                "margin %d: every level's total is 0, so the population size is "
                                "0: the calibrated weights would sum to 0 and every mean or rate "
                                "be 0/0",
                                (int)i);
        off += (size_t)L;
    }
    return SOCIND_OK;
}

static int32_t regcal(const socind_design *d, const socind_calibration *c, double eps,
                      int32_t *iters, double *w, socind__cal *cal) {
    const size_t n = d->n;
    const int32_t nlev = c->n_margins;
    size_t nterm = (size_t)c->intercept + (size_t)c->n_numeric;
    for (int32_t i = 0; i < nlev; i++) nterm += (size_t)c->levels[i];
    if (nterm > 4096)
        return socind__fail(SOCIND_ERR_ARG, "the model has %zu columns; at most 4096", nterm);
    term *t = malloc(nterm * sizeof *t);
    if (!t) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    int q = 0;
    int32_t st = make_terms(d, c, t, &q);
    if (st) {
        free(t);
        return st;
    }
    const size_t Q = (size_t)q;
    double *X = malloc((n ? n : 1) * Q * sizeof *X), *A = malloc(Q * Q * sizeof *A);
    double *L = malloc(Q * Q * sizeof *L), *sc = malloc(Q * sizeof *sc);
    double *lam = calloc(Q, sizeof *lam), *r = malloc(Q * sizeof *r),
           *del = malloc(Q * sizeof *del);
    double *lam2 = malloc(Q * sizeof *lam2), *r2 = malloc(Q * sizeof *r2);
    double *dg = malloc((n ? n : 1) * sizeof *dg), *w2 = malloc((n ? n : 1) * sizeof *w2);
    if (!X || !A || !L || !sc || !lam || !r || !del || !lam2 || !r2 || !dg || !w2) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        goto done;
    }
    fill_X(d, c, t, q, X);
    if ((st = feasible_signs(d, c, t, q, X))) goto done;
    /* X′W₀X: the variance's residual projection, and linear's system */
    cross(d, X, q, d->w, A);
    int bad = -1;
    char nm[64];
    if (!chol_scaled(A, q, cal->L = L, cal->sc = sc, &bad)) {
        cal->L = cal->sc = NULL;
        term_name(&t[bad], nm, sizeof nm);
        st = (A[bad * q + bad] > 0.0)
                 ? socind__fail(SOCIND_ERR_TARGETS,
                                "X'WX is singular: %s depends on the columns before it", nm)
                 : socind__fail(SOCIND_ERR_TARGETS, "%s is zero on every sampled row", nm);
        goto done;
    }
    const dist D = {c->method, c->lower, c->upper,
                    c->method == SOCIND_CAL_LOGIT
                        ? (c->upper - c->lower) / ((1.0 - c->lower) * (c->upper - 1.0))
                        : 0.0};
    double mis = apply_lambda(d, X, q, t, &D, lam, w, dg, r);
    int32_t it = 0;
    if (c->method == SOCIND_CAL_LINEAR) {
        /* closed form, then one refinement with the same matrix */
        for (int pass = 0; pass < 2 && !(mis < eps * 1e-3); pass++) {
            chol_solve(L, sc, q, r, del);
            for (size_t j = 0; j < Q; j++) lam[j] += del[j];
            mis = apply_lambda(d, X, q, t, &D, lam, w, dg, r);
        }
        it = 1;
        if (!(mis < eps)) {
            st = socind__fail(SOCIND_ERR_TARGETS,
                              "linear calibration leaves a relative misfit of %g: the targets "
                              "cannot be met",
                              mis);
            goto done;
        }
    } else {
        double *J = A; /* reused: J = X′ diag(w₀F′) X */
        double *Lj = malloc(Q * Q * sizeof *Lj), *sj = malloc(Q * sizeof *sj);
        if (!Lj || !sj) {
            free(Lj), free(sj);
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
            goto done;
        }
        while (!(mis < eps) && it < max_iter_of(c)) {
            it++;
            cross(d, X, q, dg, J);
            if (!chol_scaled(J, q, Lj, sj, &bad)) break;
            chol_solve(Lj, sj, q, r, del);
            double step = 1.0, m2 = INFINITY;
            for (int h = 0; h < 40; h++, step *= 0.5) {
                for (size_t j = 0; j < Q; j++) lam2[j] = lam[j] + step * del[j];
                m2 = apply_lambda(d, X, q, t, &D, lam2, w2, NULL, r2);
                if (m2 < mis || m2 < eps) break;
            }
            if (!(m2 < mis || m2 < eps)) break; /* no step helps */
            memcpy(lam, lam2, Q * sizeof *lam);
            mis = apply_lambda(d, X, q, t, &D, lam, w, dg, r);
        }
        free(Lj), free(sj);
        if (!(mis < eps)) {
            st = socind__fail(
                SOCIND_ERR_CONVERGENCE,
                "%s did not converge after %d iterations: the largest relative "
                "misfit is %g (epsilon %g)%s",
                method_name(c->method), (int)it, mis, eps,
                c->method == SOCIND_CAL_LOGIT ? "; the bounds may not allow the targets" : "");
            *iters = it;
            goto done;
        }
    }
    *iters = it;
    cal->q = q;
    cal->X = X;
    X = NULL;
    L = sc = NULL; /* kept by cal */
done:
    if (st) cal->L = cal->sc = NULL;
    free(t), free(X), free(A), free(L), free(sc), free(lam), free(r), free(del), free(lam2),
        free(r2), free(dg), free(w2);
    return st;
}

/* The cells of post-stratification and rake, for the residuals. */
static int32_t keep_margins(const socind_design *d, const socind_calibration *c, const double *w,
                            socind__cal *cal) {
    const size_t n = d->n, nm = (size_t)c->n_margins;
    cal->nm = c->n_margins;
    cal->codes = malloc((n ? n : 1) * nm * sizeof *cal->codes);
    cal->off = malloc((nm + 1) * sizeof *cal->off);
    if (!cal->codes || !cal->off) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    cal->off[0] = 0;
    for (size_t i = 0; i < nm; i++) cal->off[i + 1] = cal->off[i] + (size_t)c->levels[i];
    memcpy(cal->codes, c->codes, n * nm * sizeof *cal->codes);
    cal->cell = calloc(cal->off[nm] ? cal->off[nm] : 1, sizeof *cal->cell);
    if (!cal->cell) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    for (size_t i = 0; i < nm; i++)
        for (size_t k = 0; k < n; k++) {
            double *cell = &cal->cell[cal->off[i] + (size_t)c->codes[i * n + k]];
            if (c->method == SOCIND_CAL_POSTSTRATIFY)
                *cell += d->w[k];
            else
                *cell += w[k] != 0.0;
        }
    return SOCIND_OK;
}

int32_t socind_calibrate(const socind_design *design, const socind_calibration *cal,
                         double *weights, int32_t *iterations, socind_design **calibrated) {
    socind__clear_detail();
    if (calibrated) *calibrated = NULL;
    if (iterations) *iterations = 0;
    if (!design) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    const size_t n = design->n;
    if (weights)
        for (size_t k = 0; k < n; k++) weights[k] = NAN;
    if (!cal) return socind__fail(SOCIND_ERR_NULL, "cal is NULL");
    if (design->rep)
        return socind__fail(SOCIND_ERR_ARG,
                            "design has replicate weights; calibrating each replicate is not "
                            "supported (calibrate the full-sample design)");
    double eps = 0.0;
    int32_t st = check_spec(design, cal, &eps);
    if (st) return st;
    size_t Lmax = 1;
    for (int32_t i = 0; i < cal->n_margins; i++)
        if ((size_t)cal->levels[i] > Lmax) Lmax = (size_t)cal->levels[i];
    double *cnt = malloc(Lmax * sizeof *cnt);
    double *w = malloc((n ? n : 1) * sizeof *w);
    socind__cal *c = calloc(1, sizeof *c);
    if (!cnt || !w || !c) {
        free(cnt), free(w), free(c);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    }
    c->method = cal->method;
    int32_t it = 1;
    st = check_levels(design, cal, cnt);
    free(cnt);
    if (!st) {
        switch (cal->method) {
        case SOCIND_CAL_POSTSTRATIFY:
            st = poststratify(design, cal, w);
            break;
        case SOCIND_CAL_RAKE: {
            size_t nl = 0;
            for (int32_t i = 0; i < cal->n_margins; i++) nl += (size_t)cal->levels[i];
            if (calibrated && !(c->fac = malloc((nl ? nl : 1) * sizeof *c->fac))) {
                st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
                break;
            }
            st = rake(design, cal, eps, &it, w, c->fac);
            break;
        }
        default:
            st = regcal(design, cal, eps, &it, w, c);
        }
    }
    if (iterations) *iterations = it;
    if (st == SOCIND_ERR_CONVERGENCE && weights) memcpy(weights, w, n * sizeof *w);
    if (!st) st = weights_left(design, w);
    if (!st && cal->method <= SOCIND_CAL_RAKE) st = keep_margins(design, cal, w, c);
    if (!st && calibrated) {
        c->base = design_copy(design);
        if (!c->base)
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        else {
            st = make_design(c, w, calibrated); /* takes c */
            c = NULL;
        }
    }
    if (!st && weights) memcpy(weights, w, n * sizeof *w);
    free(w);
    socind__cal_free(c);
    return st;
}

/* ------------------------------------------------------------------------ */
/* The calibrated variance                                                    */
/* ------------------------------------------------------------------------ */

int32_t socind__cal_work_init(socind__work *wk) {
    const socind_design *d = wk->d;
    const socind__cal *c = d->cal;
    socind__calwork *cw = calloc(1, sizeof *cw);
    if (!cw) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the variance work space");
    wk->cw = cw;
    cw->e = malloc((d->n ? d->n : 1) * sizeof *cw->e);
    if (c->fac) cw->pw = malloc((d->n ? d->n : 1) * sizeof *cw->pw);
    cw->Z = malloc((c->base->npsu ? c->base->npsu : 1) * sizeof *cw->Z);
    cw->cell = malloc((c->off && c->off[c->nm] ? c->off[c->nm] : 1) * sizeof *cw->cell);
    cw->rhs = malloc((c->q ? (size_t)c->q : 1) * sizeof *cw->rhs);
    cw->tmp = malloc((d->n ? d->n : 1) * sizeof *cw->tmp);
    if (!cw->e || (c->fac && !cw->pw) || !cw->Z || !cw->cell || !cw->rhs || !cw->tmp)
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the variance work space");
    int32_t st = socind__work_init(&cw->bw, c->base, 1);
    if (st) return st;
    cw->bw.full = 1;
    return SOCIND_OK;
}

void socind__cal_work_free(socind__work *wk) {
    socind__calwork *cw = wk->cw;
    if (!cw) return;
    free(cw->e), free(cw->pw), free(cw->Z), free(cw->cell), free(cw->rhs), free(cw->tmp);
    if (cw->bw.d) socind__work_free(&cw->bw);
    free(cw);
    wk->cw = NULL;
}

/* Row k's weight (w*_k = ws, not 0) as margin i's post-stratification left
 * it in the last sweep of the raking: w* over the factors of the margins
 * after i (survey's postStrata weights; w* for the last margin). */
static inline double rake_weight(const socind__cal *c, double ws, int32_t i, size_t k, size_t n) {
    if (!c->fac) return ws;
    double f = 1.0;
    for (int32_t j = i + 1; j < c->nm; j++) f *= c->fac[c->off[j] + (size_t)c->codes[j * n + k]];
    return ws / f;
}

/* x ← x − w*·(cell means), e[] indexed by row. */
static void resid_cells(const socind__cal *c, const socind_design *d, socind__calwork *cw) {
    const size_t n = d->n;
    const double *ws = d->w, *w0 = c->base->w;
    double *e = cw->e;
    if (c->method == SOCIND_CAL_POSTSTRATIFY) {
        const size_t C = c->off[1];
        for (size_t l = 0; l < C; l++) cw->cell[l] = 0.0;
        for (size_t k = 0; k < n; k++)
            if (ws[k] != 0.0) cw->cell[c->codes[k]] += w0[k] * (e[k] / ws[k]);
        for (size_t l = 0; l < C; l++)
            cw->cell[l] = c->cell[l] > 0.0 ? cw->cell[l] / c->cell[l] : 0.0;
        for (size_t k = 0; k < n; k++) e[k] -= ws[k] * cw->cell[c->codes[k]];
        return;
    }
    for (int s = 0; s < RESID_RAKE_SWEEPS; s++)
        for (int32_t i = 0; i < c->nm; i++) {
            const int32_t *cd = c->codes + (size_t)i * n;
            double *cell = cw->cell + c->off[i];
            const double *cnt = c->cell + c->off[i];
            const size_t C = c->off[i + 1] - c->off[i];
            /* the margin's weights (w* but for the last sweep's later
               factors), once for both passes over the rows */
            const double *pw = ws;
            if (c->fac && i + 1 < c->nm) {
                for (size_t k = 0; k < n; k++)
                    cw->pw[k] = ws[k] != 0.0 ? rake_weight(c, ws[k], i, k, n) : 0.0;
                pw = cw->pw;
            }
            for (size_t l = 0; l < C; l++) cell[l] = 0.0;
            for (size_t k = 0; k < n; k++)
                if (pw[k] != 0.0) cell[cd[k]] += e[k] / pw[k];
            for (size_t l = 0; l < C; l++) cell[l] = cnt[l] > 0.0 ? cell[l] / cnt[l] : 0.0;
            for (size_t k = 0; k < n; k++)
                if (pw[k] != 0.0) e[k] -= pw[k] * cell[cd[k]];
        }
}

/* e ← e − w*·x′β, β = (X′W₀X)⁻¹ Σ w₀ x (e/w*). */
static void resid_greg(const socind__cal *c, const socind_design *d, socind__calwork *cw) {
    const size_t n = d->n, Q = (size_t)c->q;
    const double *ws = d->w, *w0 = c->base->w;
    double *e = cw->e;
    long double acc[64];
    long double *S = Q <= 64 ? acc : NULL;
    socind__ksum *K = NULL;
    if (!S) K = calloc(Q, sizeof *K);
    for (size_t j = 0; S && j < Q; j++) S[j] = 0.0L;
    for (size_t k = 0; k < n; k++) {
        if (ws[k] == 0.0 || e[k] == 0.0) continue;
        const double v = w0[k] * (e[k] / ws[k]);
        const double *x = c->X + k * Q;
        if (S)
            for (size_t j = 0; j < Q; j++) S[j] += (long double)x[j] * v;
        else if (K)
            for (size_t j = 0; j < Q; j++) socind__kadd(&K[j], x[j] * v);
    }
    for (size_t j = 0; j < Q; j++) cw->rhs[j] = S ? (double)S[j] : K ? socind__kval(&K[j]) : NAN;
    free(K);
    chol_solve(c->L, c->sc, c->q, cw->rhs, cw->rhs);
    for (size_t k = 0; k < n; k++) {
        if (ws[k] == 0.0) continue;
        const double *x = c->X + k * Q;
        double f = 0.0;
        for (size_t j = 0; j < Q; j++) f += x[j] * cw->rhs[j];
        e[k] -= ws[k] * f;
    }
}

static void cal_rows(socind__work *wk, const double *dense, const socind__basis *b,
                     const double *coef);

int32_t socind__cal_variance(socind__work *wk, const double *dense, const socind__basis *b,
                             const double *coef, double *var) {
    const socind_design *d = wk->d;
    const socind__cal *c = d->cal;
    socind__calwork *cw = wk->cw;
    const size_t m = (size_t)wk->m;
    const socind_design *bd = c->base;
    if (!dense && !b && (c->q > 0 || c->method == SOCIND_CAL_POSTSTRATIFY)) {
        /* sparse: the touched rows' sums, minus what the residual's fit
           takes from every PSU */
        const double *ws = d->w, *w0 = bd->w;
        const size_t Q = c->q > 0 ? (size_t)c->q : 0;
        long double acc[64];
        const int ld = Q <= 64;
        socind__ksum *K = NULL;
        if (!ld && !(K = calloc(Q > 0 ? Q : 1, sizeof *K))) {
            socind__work_reset(wk);
            *var = NAN;
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the variance");
        }
        for (size_t j = 0; ld && j < Q; j++) acc[j] = 0.0L;
        const size_t C = c->q > 0 ? 0 : c->off[1];
        for (size_t l = 0; l < C; l++) cw->cell[l] = 0.0;
        for (size_t p = 0; p < bd->npsu; p++) cw->Z[p] = 0.0;
        /* in unit order (rank-based estimators touch them by income): the
           rows' arrays are then read in order */
        socind__psuset_sort(&wk->touched, d->npsu, cw->tmp);
        for (size_t t = 0; t < wk->touched.n; t++) {
            const int32_t u = wk->touched.list[t];
            const size_t k = (size_t)c->unit_row[u];
            const double z = wk->drop_negative && ws[k] < 0.0 ? 0.0 : wk->acc[(size_t)u * m];
            cw->Z[bd->row_psu[k]] += z;
            if (ws[k] == 0.0 || z == 0.0) continue;
            const double v = w0[k] * (z / ws[k]);
            if (C) {
                cw->cell[c->codes[k]] += v;
            } else {
                const double *x = c->X + k * Q;
                for (size_t j = 0; j < Q; j++) {
                    if (ld)
                        acc[j] += (long double)x[j] * v;
                    else
                        socind__kadd(&K[j], x[j] * v);
                }
            }
        }
        socind__work_reset(wk);
        if (C) {
            for (size_t l = 0; l < C; l++)
                cw->cell[l] = c->cell[l] > 0.0 ? cw->cell[l] / c->cell[l] : 0.0;
            for (size_t p = 0; p < bd->npsu; p++)
                for (size_t i = c->pc_start[p]; i < c->pc_start[p + 1]; i++)
                    cw->Z[p] -= c->pc_w[i] * cw->cell[c->pc_cell[i]];
        } else {
            for (size_t j = 0; j < Q; j++) cw->rhs[j] = ld ? (double)acc[j] : socind__kval(&K[j]);
            free(K);
            chol_solve(c->L, c->sc, c->q, cw->rhs, cw->rhs);
            for (size_t p = 0; p < bd->npsu; p++) {
                const double *pw = c->pxw + p * Q;
                double f = 0.0;
                for (size_t j = 0; j < Q; j++) f += pw[j] * cw->rhs[j];
                cw->Z[p] -= f;
            }
        }
    } else {
        cal_rows(wk, dense, b, coef);
    }
    for (size_t p = 0; p < bd->npsu; p++)
        if (!isfinite(cw->Z[p])) {
            *var = NAN;
            return SOCIND_OK; /* the caller reports a variance beyond the range */
        }
    return socind__work_variance_dense(&cw->bw, cw->Z, NULL, var);
}

/* The row-by-row residual (rake, and the dense and whole-sample vectors):
 * e per row, residualised, summed into cw->Z. Resets the work space. */
static void cal_rows(socind__work *wk, const double *dense, const socind__basis *b,
                     const double *coef) {
    const socind_design *d = wk->d;
    const socind__cal *c = d->cal;
    socind__calwork *cw = wk->cw;
    const size_t n = d->n, m = (size_t)wk->m;
    double *e = cw->e;
    /* per-row w*·u */
    if (dense) {
        for (size_t u = 0; u < n; u++) e[c->unit_row[u]] = dense[u];
    } else {
        for (size_t k = 0; k < n; k++) e[k] = 0.0;
        for (size_t t = 0; t < wk->touched.n; t++) {
            int32_t u = wk->touched.list[t];
            e[c->unit_row[u]] = wk->acc[(size_t)u * m];
        }
        if (b) {
            for (int i = 0; i < SOCIND__NBASIS; i++) {
                if (!b->V[i] || coef[i] == 0.0) continue;
                const double ci = ldexp(coef[i], b->ex[i]);
                for (size_t u = 0; u < n; u++) e[c->unit_row[u]] += ci * b->V[i][u];
            }
        }
    }
    socind__work_reset(wk);
    if (wk->drop_negative)
        for (size_t k = 0; k < n; k++)
            if (d->w[k] < 0.0) e[k] = 0.0;
    if (c->method <= SOCIND_CAL_RAKE)
        resid_cells(c, d, cw);
    else
        resid_greg(c, d, cw);
    const socind_design *bd = c->base;
    for (size_t p = 0; p < bd->npsu; p++) cw->Z[p] = 0.0;
    for (size_t k = 0; k < n; k++) cw->Z[bd->row_psu[k]] += e[k];
}
