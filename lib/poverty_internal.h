/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/poverty_internal.h — what the poverty files share (private): the
 * call's context, the per-PSU vectors of a domain, and the relative line's
 * entry points.
 *
 *   poverty.c       the context, the row-loop components, the domains'
 *                   variances, the indicators' bodies and the public API
 *   poverty_line.c  the line's validation; a relative line on the whole
 *                   sample (its quantile or mean, the density at the
 *                   quantile, each PSU's total of its influence function)
 *                   and the density at the line in a domain
 * The weighted quantile (quantile.c) and the kernel density (density.c) are
 * the library's, shared with inequality.c. */
#ifndef SOCIND_POVERTY_INTERNAL_H
#define SOCIND_POVERTY_INTERNAL_H

#include "internal.h"

#define KIND_FGT 0
#define KIND_POOR 1
#define KIND_GAP 2
#define KIND_WATTS 3

/* ---- the call's context ---- */
/* A per-PSU vector of a domain (see "Domains" in poverty.c): s_p on the PSUs the
 * domain touches (0 elsewhere; NULL: 0 everywhere) plus g[i] times the
 * whole-sample vector i (BASIS_*), which reaches every PSU. */
#define BASIS_Z 0 /* a relative line's Z */
#define BASIS_A 1 /* the profile's whole-sample H by PSU */
#define BASIS_B 2 /* the profile's whole-sample N by PSU */
typedef struct {
    double *s;
    double g[SOCIND__NBASIS];
} pvec;

typedef struct {
    const socind_design *d;
    const double *y;   /* the incomes, or ys */
    const double *yin; /* the incomes as given (for messages) */
    socind_poverty_line L;
    /* incomes and lines beyond 2^±SOCIND__SCALE_LIMIT: the incomes, per-row
       lines and an absolute line times 2^−ex (internal.h), in ys and ls;
       totals in currency are multiplied back by 2^ex */
    int ex;
    double *ys, *ls;
    int scan_rows; /* ±Inf incomes are looked for by the row loops (fixed lines in
                      FGT, poor counts and Watts), not by a pass of their own */
    int tiny;      /* a fixed line's scale took an income > 0 below the normal
                      doubles (hold_scaled) */
    double ymax;   /* a relative line's pass: the largest |y| it read (NaN: none) */
    int relative;
    int nonpos;     /* Watts: SOCIND_NONPOS_* */
    int watts_rows; /* every component uses the Watts rows (y > 0) */
    int have_full;  /* full holds the whole sample's moments */
    double fz_full; /* N̂·f̂(z) on the whole sample (relative quantile lines), or NaN */
    int no_density; /* the current domain has no density at a relative
                       line (no bandwidth): its line term D is NaN */
    socind__moments full;
    double z;  /* scalar line (ABSOLUTE or estimated RELATIVE) */
    double *Z; /* npsu: Σ w u^z per PSU (relative lines) */
    /* the whole sample's FGT0 sums by PSU (Σ w·1[poor], Σ w over rows with
       an income) and their row count, when the line's pass made them */
    double *pH, *pN;
    int64_t pn;
    int have_pre;
    double *gy, *gw; /* a domain's usable incomes and weights (density) */
    size_t gcap;
    /* component buffers, npsu each, in psu_block */
    double *zH, *zN, *zH2, *zN2, *u1, *u2, *u3, *psu_block;
    int clone; /* a thread's context for the domains (ctx_clone) */
    unsigned char *present;
    socind__work wk;
    /* the domains' machinery: the buffers above as vectors, the PSUs the
       current domain touches (dom, in ascending order once a component is
       made; dom_tmp for the sort), whether every stratum counts as present,
       and the whole-sample vectors' per-stratum sums; dense: every PSU
       always (the reference) */
    pvec vH, vN, vH2, vN2, v1, v2, v3;
    socind__psuset dom;
    int32_t *dom_tmp;
    int dense, all_present, second_is_basis;
    socind__basis basis;
} pctx;

/* SOCIND_OK and *L, a copy of *line, or why the line specification is
 * refused (SOCIND_ERR_NULL, SOCIND_ERR_OPTIONS, SOCIND_ERR_ARG, and
 * SOCIND_ERR_DATA naming a per-row line's row); d->n rows. */
int32_t socind__line_validate(const socind_design *d, const socind_poverty_line *line,
                              socind_poverty_line *L);
/* The relative line on the whole sample: c->z, c->Z (each PSU's Σ w u^z)
 * and the sums the estimators reuse (c->full, c->fz_full, c->pH, c->pN),
 * from c->y; an income of ±Inf anywhere in y is refused naming its row, and
 * incomes beyond 2^±SOCIND__SCALE_LIMIT are scaled (c->ex, c->ys) first. */
int32_t socind__line_relative(pctx *c);
/* N̂ times convey's kernel density of y at x over a domain's rows (r.all:
 * the whole sample): 0 without a usable row, NaN when every income is
 * equal. */
double socind__line_density(pctx *c, socind__span r, double x);

#endif /* SOCIND_POVERTY_INTERNAL_H */
