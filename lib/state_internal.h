/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_internal.h — the partial state's representation (private),
 * shared by state.c (tables, adding, merging, finishing), state_bytes.c
 * (the portable byte format) and the estimators that run on threads
 * through states. */
#ifndef SOCIND_STATE_INTERNAL_H
#define SOCIND_STATE_INTERNAL_H

#include <float.h>

#include "internal.h"
#include "socind/state.h"

/* Most weighted sums a cell holds. */
#define SOCIND__STATE_KMAX 6

/* A sum kept as the unevaluated pair hi + lo (Knuth's TwoSum for each term:
 * hi is the rounded sum, lo gathers the rounding errors). */
static inline void socind__dd_add(double *hi, double *lo, double x) {
    double s = *hi + x;
    double bp = s - *hi;
    double e = (*hi - (s - bp)) + (x - bp);
    *hi = s;
    *lo += e;
}

/* pairs pairs of a += b (hi, lo each): hi = hi + hi', lo = (lo + lo') + e
 * with e TwoSum's error of the first; the same bits in either order. */
static inline void socind__dd_merge(double *a, const double *b, size_t pairs) {
    for (size_t j = 0; j < 2 * pairs; j += 2) {
        double lo = a[j + 1] + b[j + 1], e = 0.0;
        socind__dd_add(&a[j], &e, b[j]);
        a[j + 1] = lo + e;
    }
}

/* a + b for row counts (>= 0), held at INT64_MAX instead of overflowing
 * (only bytes that claim more than 2^63 rows get there; finishing then
 * gives SOCIND_ERR_OVERFLOW). */
static inline int64_t socind__count_add(int64_t a, int64_t b) {
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* hi + lo += v, a long double added as its double and the rest. */
static inline void socind__dd_add_ld(double *hi, double *lo, long double v) {
    const double h = (double)v;
    socind__dd_add(hi, lo, h);
    *lo += (double)(v - h);
}

/* A cell's Σ w·(1[y <= Q] − p) from its pairs W = {Σ w, its error} and
 * I = {Σ w·1[y <= Q], its error}: (1 − p)·Σ w·1[y <= Q] − p·Σ w·1[y > Q],
 * whose terms are of the size of the result (Σ w·1[y <= Q] − p·Σ w cancels
 * as p nears 1, and so would the rounding of p's product), as the in-memory
 * calls sum it row by row (poverty_line.c, inequality.c). */
static inline long double socind__share_dev(const double W[2], const double I[2], double p) {
    const long double below = (long double)I[0] + I[1];
    const long double above = ((long double)W[0] - I[0]) + ((long double)W[1] - I[1]);
    return (long double)(1.0 - p) * below - (long double)p * above;
}

/* A cell's Σ w·(y − μ) from its pairs W = {Σ w, its error} and Y = {Σ w·y,
 * its error}: μ·Σ w exactly as a pair (fma), so that Σ w·y − μ·Σ w keeps
 * the digits of a result far smaller than its terms (incomes far from 0
 * against their spread), as the in-memory mean line sums w·(y − μ) row by
 * row (poverty_line.c). */
static inline double socind__dev_from_mean(const double W[2], const double Y[2], double mu) {
    const double p = mu * W[0], e = fma(mu, W[0], -p);
    return (Y[0] - p) + ((Y[1] - e) - mu * W[1]);
}

/* A relative line's cell term from its pairs sum = {Σ w, its error, Σ w·x,
 * its error}: a quantile line's Σ w·(1[y <= Q] − p) (x = 1[y <= Q]), a mean
 * line's Σ w·(y − μ) (x = y); the line's influence is it times
 * −fraction/(N̂·f̂(Q)) or fraction/N̂ (state_rank.c finish_line,
 * state_relative.c line_z). */
static inline double socind__line_dev(const double sum[4], int quantile, double p, double mu) {
    return quantile ? (double)socind__share_dev(sum, sum + 2, p)
                    : socind__dev_from_mean(sum, sum + 2, mu);
}

struct socind_state {
    socind_state_spec sp; /* resolved, every field within sizeof */
    int32_t K;            /* weighted sums per cell */
    int32_t nout;         /* estimates per domain */
    int32_t pass, passes; /* this state's pass (1-based) and its estimate's */
    int32_t used_df;      /* 1: a quantile's share (state_rank.c), whose domains
                             take the df of svyquantile's domain design */
    /* PSUs: keyed by (stratum id, PSU id) under nest = 1 or without a PSU
       column, else by (0, PSU id) with the stratum checked */
    socind__idmap pmap;
    size_t npsu, pcap;
    int64_t *p_stratum, *p_id, *p_row; /* p_row: the first row seen (lowest number) */
    double *p_fpc;                     /* NaN without fpc */
    unsigned char *p_pos;              /* a row of non-zero weight */
    /* cells: keyed by (PSU index, domain) */
    socind__idmap cmap;
    size_t ncell, ccap;
    int32_t *c_psu, *c_group;
    int64_t *c_n;    /* rows used (a usable value in the domain) */
    int64_t *c_npos; /* rows used with a non-zero weight */
    int64_t *c_dpos; /* rows of the domain with a non-zero weight, any value */
    double *c_sum;   /* 2·K per cell: hi, lo of each sum */
    /* the mean: per domain its shift c (its sums are of y − c) and the row
       it was taken from, the domain's lowest-numbered used row of positive
       weight, kept as that row + 1 (0, and c = +0, before the domain has
       one: both arrays calloc'd, so that the pages of domains never seen
       are never written); g_set lists the ng_set domains that have one (in
       no order), so that merging reads from's domains with a shift and not
       all G; with domains (n_groups >= 1), g_cell heads each domain's chain
       of cells (its last cell's index + 1, 0: none; calloc'd too) and
       c_next links a cell to the domain's one before it (index + 1, 0: the
       first), so that a shift that moves reaches its domain's cells alone.
       NULL for other estimators (g_cell and c_next also without domains) */
    double *g_shift;
    int64_t *g_shift_row1;
    int32_t *g_set;
    size_t ng_set, g_setcap;
    int32_t *g_cell;
    int32_t *c_next;
    /* rank-based estimates: the rows they keep (state_rank.c), else NULL */
    struct socind__rank *rank;
    /* the Gini's plan, histogram and kept rows (state_gini.c), or NULL */
    struct socind__gini *gini;
    /* the prevalence table's state (state_prevalence.c), or NULL */
    struct socind__prev *prev;
    /* a poverty estimate against a relative line (state_relative.c), or
       NULL; such a state is rank-based too (rank holds no rows) */
    struct socind__rel *rel;
    /* a proportion's likelihood state: its domains' rows, mean weights and
       the glm fit's first step (state_fit.c), or NULL */
    struct socind__fit *fit;
};

/* Reallocates *p to cap elements of elem bytes: 1, or 0 (out of memory,
 * *p unchanged). */
int socind__state_grow(void **p, size_t elem, size_t cap);

/* ---- rows ---- */
/* A proportion's state, with or without the likelihood interval's fit. */
static inline int socind__state_is_prop(int32_t e) {
    return e == SOCIND_STATE_PROPORTION || e == SOCIND_STATE_PROPORTION_LIKELIHOOD;
}
static inline int socind__state_is_poverty(int32_t e) {
    return (e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION) ||
           e == SOCIND_STATE_POVERTY_PROFILE || e == SOCIND_STATE_SEN || e == SOCIND_STATE_SST;
}
/* The Sen and SST indices: a Gini's state of the poor's normalized incomes
 * (state_gini.c) with sums of every row per cell. */
static inline int socind__state_is_sen(int32_t e) {
    return e == SOCIND_STATE_SEN || e == SOCIND_STATE_SST;
}
/* The median income of the poor and the relative median gap: five passes
 * against a relative quantile line (state_relative.c). */
static inline int socind__state_is_poor_median(int32_t e) {
    return e == SOCIND_STATE_POOR_MEDIAN || e == SOCIND_STATE_RELATIVE_MEDIAN_GAP;
}
/* A poverty estimate against a relative line, the median of the poor
 * among them (state_relative.c): est, line_type as a spec has them. */
static inline int socind__state_is_relative(int32_t e, int32_t line_type) {
    return socind__state_is_poor_median(e) ||
           (((e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION) ||
             e == SOCIND_STATE_POVERTY_PROFILE) &&
            (line_type == SOCIND_LINE_RELATIVE_QUANTILE || line_type == SOCIND_LINE_RELATIVE_MEAN));
}
/* The estimators whose rows in no domain (code −1) are kept, in a cell of
 * domain n_groups: the profile's whole-sample totals. */
static inline int socind__state_keeps_ungrouped(int32_t e) {
    return e == SOCIND_STATE_POVERTY_PROFILE;
}
/* Watts, GE and Atkinson need incomes > 0. */
static inline int socind__state_needs_positive(int32_t e) {
    return e == SOCIND_STATE_WATTS || e == SOCIND_STATE_WATTS_DECOMPOSITION ||
           e == SOCIND_STATE_GE || e == SOCIND_STATE_ATKINSON || e == SOCIND_STATE_GE_DECOMPOSITION;
}

/* What a row of a domain is to estimator est (a constant where it is
 * inlined; perrow: a poverty estimate's line is the row's y2): used,
 * missing, or refused (socind__state_row_fail says why). */
#define SOCIND__ROW_USED 0
#define SOCIND__ROW_MISSING 1
#define SOCIND__ROW_BAD 2
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int
socind__state_row(const int est, const int perrow, const socind_state_spec *sp, double w, double y,
                  double y2) {
    if (socind__state_is_prop(est)) {
        if (y == 0.0 || y == 1.0) return SOCIND__ROW_USED;
        return isnan(y) ? SOCIND__ROW_MISSING : SOCIND__ROW_BAD;
    }
    if (est == SOCIND_STATE_RATIO) {
        if (isinf(y) || isinf(y2)) return SOCIND__ROW_BAD;
        return isnan(y) || isnan(y2) ? SOCIND__ROW_MISSING : SOCIND__ROW_USED;
    }
    if (!(fabs(y) <= DBL_MAX)) return isnan(y) ? SOCIND__ROW_MISSING : SOCIND__ROW_BAD;
    /* the GE decomposition: a row of weight 0 counts nowhere, unchecked */
    if (est == SOCIND_STATE_GE_DECOMPOSITION && w == 0.0) return SOCIND__ROW_MISSING;
    (void)w;
    if (perrow && socind__state_is_poverty(est)) {
        if (isnan(y2)) return SOCIND__ROW_MISSING;
        if (!(y2 > 0.0) || isinf(y2)) return SOCIND__ROW_BAD;
    }
    if (socind__state_needs_positive(est) && !(y > 0.0))
        return sp->nonpositive == SOCIND_NONPOS_EXCLUDE ? SOCIND__ROW_MISSING : SOCIND__ROW_BAD;
    return SOCIND__ROW_USED;
}
/* The status and detail of a row socind__state_row refused, naming row r. */
int32_t socind__state_row_fail(const socind_state_spec *sp, double y, double y2, int64_t r);

/* The column of estimator est's sums that is Σw·x with x in {0, 1} for
 * each row — a proportion's, FGT0's (alpha 0), the decompositions' P0
 * numerator — or 0 for none (a constant where est and alpha are). Its
 * ratio to Σw (column 0) takes its PSU terms from the complement
 * Σw·(1 − x) (state.c cell_z), which the threads' loops keep in Σw's pair
 * apart (state_threads.c). */
static inline int socind__state_binary_col(const int est, const double alpha) {
    switch (est) {
    case SOCIND_STATE_PROPORTION:
    case SOCIND_STATE_PROPORTION_LIKELIHOOD:
    case SOCIND_STATE_FGT_DECOMPOSITION:
        return 1;
    case SOCIND_STATE_FGT:
        return alpha == 0.0;
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        return 2;
    default:
        return 0;
    }
}

/* The 0/1 column whose complement the threads' pass sums only on a second
 * run (socind__state_near_one; state_threads.c), or 0: a proportion's
 * pass always sums it, other estimates have none. */
static inline int socind__state_rerun_col(const socind_state_spec *sp) {
    const int32_t e = sp->estimator;
    if (e == SOCIND_STATE_PROPORTION || e == SOCIND_STATE_PROPORTION_LIKELIHOOD) return 0;
    return socind__state_binary_col(e, sp->alpha);
}

/* Whether a domain of s has its 0/1 column's share of Σw (socind__state_binary_col)
 * above 1 − SOCIND__NEAR_ONE, from its cells' sums: the threads' pass,
 * which sums Σw in plain doubles between folds, runs again summing the
 * complement (state_threads.c). 0 for the proportion, whose pass always
 * sums it, and for estimates without such a column. */
int socind__state_near_one(const socind_state *s);

/* The weighted sums per cell of estimator est (a constant where inlined:
 * loops then keep their sums in registers); socind__state_shape's K. */
static inline int socind__state_k(const int est) {
    switch (est) {
    case SOCIND_STATE_MEAN:
    case SOCIND_STATE_RATIO:
    case SOCIND_STATE_MEAN_SHORTFALL:
    case SOCIND_STATE_GE:
    case SOCIND_STATE_ATKINSON:
    case SOCIND_STATE_GE_DECOMPOSITION:
        return 3;
    case SOCIND_STATE_FGT_DECOMPOSITION:
    case SOCIND_STATE_WATTS_DECOMPOSITION:
    case SOCIND_STATE_SEN:
    case SOCIND_STATE_SST:
        return 4;
    default:
        return 2;
    }
}

/* The K weighted terms of a used row for estimator est (a constant where
 * it is inlined): weight w, value y, second value y2 (a ratio's
 * denominator, a per-row line, the mean's shift for the row's domain; see
 * docs/state-format.md for each estimator's sums); invz = 1/sp->line,
 * computed once by the caller. apow: FGT's α when it is 0, 1 or 2 and
 * known to the caller (a constant: no test of α a row), else −1; incl:
 * the line's inclusiveness likewise (0 or 1), else −1. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void
socind__state_terms_c(const int est, const int perrow, const int apow, const int incl,
                      const socind_state_spec *sp, double invz, double w, double y, double y2,
                      double *t) {
    const double z = perrow ? y2 : sp->line;
    const int poor = (incl < 0 ? sp->inclusive : incl) ? y <= z : y < z;
    t[0] = w;
    switch (est) {
    case SOCIND_STATE_TOTAL:
    case SOCIND_STATE_PROPORTION:
    case SOCIND_STATE_PROPORTION_LIKELIHOOD:
        t[1] = w * y;
        break;
    case SOCIND_STATE_MEAN: { /* y2: the domain's shift c */
        const double dy = y - y2;
        t[1] = w * dy;
        t[2] = w * dy * dy;
        break;
    }
    case SOCIND_STATE_RATIO:
        t[1] = w * y;
        t[2] = w * y2;
        break;
    case SOCIND_STATE_FGT:
    case SOCIND_STATE_POVERTY_PROFILE: {
        const double a = apow >= 0 ? (double)apow : sp->alpha;
        double h;
        if (apow >= 0 || a == 0.0 || a == 1.0 || a == 2.0) {
            /* no branch on poverty (it would be mispredicted for every poor
               person): the value masked by the poverty bit; a scalar line
               multiplies by 1/z, as the one-thread loop does */
            double v = 1.0;
            if (a != 0.0) {
                double g = perrow ? (z - y) / z : (z - y) * invz;
                v = a == 1.0 ? g : g * g;
            }
            uint64_t vb;
            memcpy(&vb, &v, sizeof vb);
            vb &= (uint64_t)0 - (uint64_t)poor;
            memcpy(&h, &vb, sizeof h);
        } else {
            h = poor ? pow((z - y) / z, a) : 0.0;
        }
        t[1] = w * h;
        break;
    }
    case SOCIND_STATE_POOR_COUNT:
        t[1] = poor ? w : 0.0;
        break;
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
        t[1] = poor ? w * (z - y) : 0.0;
        break;
    case SOCIND_STATE_MEAN_SHORTFALL:
        t[1] = poor ? w * (z - y) : 0.0;
        t[2] = poor ? w : 0.0;
        break;
    case SOCIND_STATE_WATTS:
        t[1] = poor ? w * log(z / y) : 0.0;
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION: {
        double g = poor ? (z - y) / z : 0.0;
        t[1] = poor ? w : 0.0;
        t[2] = w * g;
        t[3] = poor ? w * pow(g, sp->alpha) : 0.0;
        break;
    }
    case SOCIND_STATE_WATTS_DECOMPOSITION: {
        double g = poor ? (z - y) / z : 0.0;
        t[1] = poor ? w * log(z / y) : 0.0;
        t[2] = poor ? w : 0.0;
        t[3] = w * g;
        break;
    }
    case SOCIND_STATE_SEN:
    case SOCIND_STATE_SST:
        /* formed in long double by socind_state_add (state.c), the only
           path that fills these states: not here */
        t[1] = t[2] = t[3] = NAN;
        break;
    case SOCIND_STATE_GE:
    case SOCIND_STATE_GE_DECOMPOSITION: {
        const double th = sp->alpha;
        t[1] = w * y;
        /* near θ = 0 and 1 the digits of y^θ − 1 or y^θ − y (internal.h,
           socind__ge_form: Σw·y^θ is Σw or Σw·y plus these) */
        const int form = socind__ge_form(th);
        t[2] = w * (th == 0.0   ? log(y)
                    : th == 1.0 ? y * log(y)
                    : form == 1 ? expm1(th * log(y))
                    : form == 2 ? y * expm1((th - 1.0) * log(y))
                                : pow(y, th));
        break;
    }
    default: { /* SOCIND_STATE_ATKINSON */
        const double eps = sp->alpha;
        t[1] = w * y;
        t[2] = w * (eps == 1.0                        ? log(y)
                    : socind__ge_form(1.0 - eps) == 1 ? expm1((1.0 - eps) * log(y))
                                                      : pow(y, 1.0 - eps));
        break;
    }
    }
}

/* socind__state_terms_c with α and the line's inclusiveness read from sp. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline void
socind__state_terms(const int est, const int perrow, const socind_state_spec *sp, double invz,
                    double w, double y, double y2, double *t) {
    socind__state_terms_c(est, perrow, -1, -1, sp, invz, w, y, y2, t);
}

/* The state's quantities per estimator: K sums per cell and estimates per
 * domain (state.c). */
int32_t socind__state_shape(int32_t estimator, int32_t *K, int32_t *nout);
/* Validates a caller's spec into *out (socind_state_new's checks). */
int32_t socind__state_spec_resolve(const socind_state_spec *in, socind_state_spec *out);
/* An empty state for the resolved spec sp (NULL on NOMEM). */
socind_state *socind__state_alloc(const socind_state_spec *sp);
/* Appends a PSU / a cell (no key checks: the caller looked them up);
 * 1, or 0 when out of memory. */
int socind__state_push_psu(socind_state *s, int64_t stratum, int64_t id, int64_t row, double fpc,
                           int pos, int32_t *index);
int socind__state_push_cell(socind_state *s, int32_t psu, int32_t group, int32_t *index);
/* A copy of from's PSU and cell tables (their counts; the cells' sums 0)
 * into the empty state to, in the same order: SOCIND_OK or
 * SOCIND_ERR_NOMEM. */
int32_t socind__state_copy_tables(const socind_state *from, socind_state *to);
/* The mean's shifts (state.c). A domain's shift is its value at its
 * lowest-numbered used row of positive weight (on equal numbers the lower
 * value); a cell's sums are of y − its domain's shift. Moves are exact pairs
 * δ = dh + dl = c_old − c_new. socind__state_shift_set makes (row, c)
 * domain g's shift, listing g among those with one the first time: 1, or 0
 * when the list cannot grow (nothing changed); socind__state_shift_reserve
 * makes room in that list for n more domains (so that the next n sets
 * cannot fail). socind__state_shift_merge makes into's shifts those of into
 * and from merged, moving into's cells of the domains whose shift moves:
 * O(from's domains with a shift + into's cells of those domains); into's
 * list must have room for from's (socind__state_shift_reserve(into,
 * from->ng_set)); nothing for a state that is not a mean's. Then
 * socind__state_cell_at_shift gives from's cell i's sums (2·K doubles) at
 * into's shift of its domain, to be added into into's: from's own, or
 * moved into moved (room for 2·K) where the shifts differ. */
int socind__state_shift_set(socind_state *s, int32_t g, int64_t row, double c);
int socind__state_shift_reserve(socind_state *s, size_t n);
void socind__state_shift_merge(socind_state *into, const socind_state *from);
const double *socind__state_cell_at_shift(const socind_state *into, const socind_state *from,
                                          size_t i, double *moved);
/* Tests: the entries the mean's shift work visits, added up (a chunk's
 * rows, from's domains with a shift on merging, the cells moved). */
SOCIND__TEST_SWITCH(socind__state_shift_visits);
/* Domain g's shift row (INT64_MAX: none yet). */
static inline int64_t socind__state_shift_row(const socind_state *s, size_t g) {
    return s->g_shift_row1[g] ? s->g_shift_row1[g] - 1 : INT64_MAX;
}

/* The PSU key of (stratum, id) under s's spec. */
static inline int64_t socind__state_pkey1(const socind_state *s, int64_t stratum) {
    return (s->sp.nest || !s->sp.has_psu) ? stratum : 0;
}

/* The estimates s finishes into: nout per domain (the GE decomposition:
 * nout, one decomposition). */
size_t socind__state_count(const socind_state *s);
/* The domains' estimates of s over the design d: rank maps s's PSUs to
 * d's dense PSUs, corder lists s's cells ordered by (domain, rank); opts
 * resolved; out holds max(1, n_groups)·nout estimates. On failure every
 * estimate is NaN with the status (state.c). */
int32_t socind__state_finish_on(const socind_state *s, const socind_design *d, const int32_t *rank,
                                const int32_t *corder, const socind_options *opts,
                                socind_estimate *out);

/* A relative line's term in the linearized variables: every domain's
 * variable carries coef·Z, Z the whole-sample vector basis->V[0] (the
 * line's influence by PSU) and coef = Σ_j ∂θ/∂T_j · D[g·K + j], D the
 * derivative of the domain's total T_j in the line; the variance is then
 * over every stratum (socind__work_variance_global). */
typedef struct {
    const socind__basis *basis;
    const double *Z; /* basis's V[0] before scaling (the profile makes its own basis) */
    const double *D; /* K per domain, then (the profile) K for the whole sample */
} socind__line_term;
/* A state's sums over all its cells (pairs hi + lo), its rows used and
 * those of non-zero weight. */
typedef struct {
    double hi[SOCIND__STATE_KMAX], lo[SOCIND__STATE_KMAX];
    int64_t n, npos;
} socind__state_totals;
/* socind__state_finish_on (rank the identity) for a state without domains
 * whose cell p is the design's PSU p for every PSU, of which only c_n and
 * c_sum are read, with its totals tot (made by the caller as it filled
 * the cells) and its passes over the PSUs split into `parts` ranges on
 * threads of their own (socind__parallel). Not for the GE decomposition,
 * the profile or a calibrated design (SOCIND_ERR_ARG). */
int32_t socind__state_finish_psus(const socind_state *s, const socind_design *d,
                                  const socind__state_totals *tot, const socind_options *opts,
                                  int32_t parts, socind_estimate *out);
/* socind__state_finish_on with a line's term (lt non-NULL). */
int32_t socind__state_finish_term(const socind_state *s, const socind_design *d,
                                  const int32_t *rank, const int32_t *corder,
                                  const socind_options *opts, const socind__line_term *lt,
                                  socind_estimate *out);
/* The pseudo-design of s's PSUs (socind_state_finish's), with rank (s's
 * PSU → the design's dense PSU) and corder (socind__state_sort_cells);
 * the caller frees all three (NULL on failure). */
int32_t socind__state_design(const socind_state *s, socind_design **d, int32_t **rank,
                             int32_t **corder);

/* corder: s's cells ordered by (domain, rank of their PSU). */
/* The point estimates alone of a state finished on its design (cells in
 * corder, as socind__state_finish_on orders them): values[g·nout + i] as
 * out[…].value would be, NaN where that estimate is undefined; no variance.
 * 1, or 0 for the estimators it does not cover (the GE decomposition, the
 * profile, rank-based and prevalence states: use finish_on). */
int socind__state_values(const socind_state *s, const int32_t *corder, double *values);
int32_t socind__state_sort_cells(const socind_state *s, const int32_t *rank, int32_t *corder);

/* ---- threads (state_threads.c) ---- */
/* For tests: nonzero lets a call start a thread for any number of rows. */
SOCIND__TEST_SWITCH(socind__threads_any_rows);
/* Nonzero when a one-thread call of estimator est also runs through
 * socind__state_threaded: GE and Atkinson over the whole sample (group
 * NULL) of a design whose PSUs' rows are consecutive, neither calibrated
 * nor replicate — the loop that fills the PSUs' sums a PSU at a time, with
 * no per-row PSU read and no per-PSU buffer of its own to fault in, is
 * faster there than their own loops (bench_scaling: GE(2) 11 against 21–32
 * ns a row, Atkinson(1) 5 against 15–33), and gives the same figures (0 to
 * 1.7e-15 apart); the mean too (its states shift their sums as its own
 * loop does, so its design effect keeps its digits there as well). Not
 * for the others: the proportion, Watts and FGT at 10^7 rows run faster
 * on their own loops. */
int socind__state_one_thread(const socind_design *d, const int32_t *group, int32_t est);
/* For tests: nonzero keeps one-thread calls on the estimators' own loops. */
SOCIND__TEST_SWITCH(socind__state_own_loops);
/* *sp for estimator est over a design's rows (group NULL or n_groups
 * domains; L NULL or the call's validated line; alpha; the nonpositive
 * policy): 1, or 0 when no state computes it (a relative line). */
int socind__state_spec_for(int32_t est, const int32_t *group, int32_t n_groups,
                           const socind_poverty_line *L, double alpha, int32_t nonpos,
                           socind_state_spec *sp);
/* The estimate of spec sp (resolved; n_groups 0 without a group column)
 * over the design's rows (y, y2, group: the design's n rows; group codes
 * checked) on `threads` threads through partial states, into out (the
 * frame's estimates), *used the rows used. SOCIND_OK, SOCIND_ERR_NOMEM,
 * or −1 when the incomes lie where the one-thread loops rescale them or a
 * row is refused (the caller then runs its own one-thread loop, which
 * names the first such row in the estimator's words). */
int32_t socind__state_threaded(const socind_design *d, const socind_state_spec *sp, const double *y,
                               const double *y2, const int32_t *group, const socind_options *o,
                               int32_t threads, socind_estimate *out, int64_t *used);

/* ---- rank-based estimates (state_rank.c) ----
 * A rank-based state keeps the PSU and cell tables (their checks, counts
 * and merging are the other states') and, besides, every row it was given;
 * its cells' sums stay 0. Finishing runs the in-memory estimator on the
 * rows in their numbering. */
/* Whether the resolved spec sp is a rank-based estimate. */
int socind__rank_is(const socind_state_spec *sp);

/* ---- SOCIND_STATE_PROPORTION_LIKELIHOOD (state_fit.c) ---- */
/* s->fit for a new state of s->sp (its passes: 2); 0 when out of memory. */
int socind__fit_new(socind_state *s);
void socind__fit_free(struct socind__fit *f);
/* socind_state_set_groups' part: pass 1 only. */
int32_t socind__fit_set_groups(socind_state *s, int32_t n_groups);
/* Room for the domains a chunk of n rows adds to the fit's list, so that
 * socind__fit_add cannot fail: 1, or 0 when out of memory. */
int socind__fit_reserve(socind_state *s, size_t n);
/* A chunk's rows (already accepted by the state) into the fit's sums. */
void socind__fit_add(socind_state *s, const socind_chunk *c);
/* SOCIND_ERR_MISMATCH unless from's fit merges into into's (pass 2: the
 * same rows of pass 1 and mean weights); then socind__fit_merge cannot fail. */
int32_t socind__fit_merge_check(const socind_state *into, const socind_state *from);
/* SOCIND_ERR_MISMATCH where a second pass added another number of rows to
 * a domain than the first (finishing checks it). */
int32_t socind__fit_check(const socind_state *s);
void socind__fit_merge(socind_state *into, const socind_state *from);
/* The second pass's empty state from the merged first (each domain's mean
 * weight). */
int32_t socind__fit_next_pass(const socind_state *m, socind_state **next);
/* Domain g's fit (socind__glm_iterate): 0, or −1 where it cannot be made
 * (no mean weight, or the fit leaves the finite). */
int socind__fit_of(const socind_state *s, int32_t g, socind__glmfit *fit, double *mu,
                   double *sw_last);
/* The factor of domain g's dispersion for its rows with a missing value
 * (socind__na_dispersion_factor, N its weight sum of the rows with a
 * value); 1 where every row has one. */
double socind__fit_na_factor(const socind_state *s, int32_t g, double N);
/* The fit part's bytes (0 for other estimators), written and read after
 * the cells (docs/state-format.md). */
size_t socind__fit_bytes(const socind_state_spec *sp);
void socind__fit_write(const socind_state *s, unsigned char *q);
int32_t socind__fit_read(socind_state *s, const unsigned char *q, size_t len);
/* The fewest bytes the rank-based part of a state of spec sp can have
 * (its fixed part and, where it keeps arrays per domain, 32 bytes a
 * domain): socind_state_from_bytes refuses a shorter part before it
 * allocates anything for a spec's domains. */
size_t socind__rank_min_bytes(const socind_state_spec *sp);
/* The rank-based parameters of o (resolved in place: p, p2, a relative
 * line's fraction and quantile; unused ones NaN): SOCIND_OK or
 * SOCIND_ERR_ARG with the detail. */
int32_t socind__rank_resolve(socind_state_spec *o);
/* Makes / frees s->rank (1, or 0 when out of memory). */
int socind__rank_new(socind_state *s);
void socind__rank_free(socind_state *s);
/* Room for what a checked chunk c adds (1, or 0 when out of memory), so
 * that adding it cannot fail. */
int socind__rank_reserve(socind_state *s, const socind_chunk *c);
/* Before merging from into into: SOCIND_ERR_MISMATCH (states of a later
 * pass prepared from different merged states) or SOCIND_ERR_NOMEM, else
 * room made so that socind__rank_merge cannot fail. */
int32_t socind__rank_merge_prepare(socind_state *into, const socind_state *from);
/* Adds a checked chunk's rows (room reserved; ci: each row's cell or −1,
 * use: 0 for a row used) / merges from's part (prepared). */
void socind__rank_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                      const unsigned char *use);
void socind__rank_merge(socind_state *into, const socind_state *from);
/* socind_state_next_pass for a rank-based state in a pass before its last. */
int32_t socind__rank_next_pass(const socind_state *merged, socind_state **next);
/* Finishes into out[0 .. count) with resolved options o. */
int32_t socind__rank_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                            size_t count);
/* The rank part of the bytes (after the cell records): its size, writing
 * it, its parameters (p, p2) from len bytes before the spec is resolved
 * (NaN when too short), and reading it into s (SOCIND_ERR_FORMAT unless
 * len is exactly its size and every record follows the rules). */
size_t socind__rank_bytes(const socind_state *s);
void socind__rank_write(const socind_state *s, unsigned char *b);
void socind__rank_params(const unsigned char *b, size_t len, double *p, double *p2);
int32_t socind__rank_read(socind_state *s, const unsigned char *b, size_t len);
/* The last pass of a measure whose linearized variable's total over each
 * cell of s is zc[cell]: each domain's value val[g] (or undefined with
 * status vst[g]) and weight sum wsum[g], its SE through the variance
 * engine with options o, its interval a proportion's where prop is 1
 * (state_rank.c). */
int32_t socind__rank_finish_linear(const socind_state *s, const socind_options *o,
                                   socind_estimate *out, size_t count, const double *zc,
                                   const double *val, const int32_t *vst, const double *wsum,
                                   int prop);
/* ---- the Gini (state_gini.c) ----
 * A GINI state is rank-based (s->rank, no rows there) and keeps its plan,
 * histogram and kept rows in s->gini; state_rank.c's socind__rank_*
 * hand it to these. */
/* A Gini's part without a plan: socind__gini_next_pass or socind__gini_read
 * gives it its own, socind__gini_first_plan the first pass's. */
struct socind__gini *socind__gini_new(const socind_state *s);
/* The first pass's plan (every domain's whole range to split: 72 bytes a
 * domain written) for a state made by socind_state_new. 1, or 0 out of
 * memory. */
int socind__gini_first_plan(struct socind__gini *q);
void socind__gini_free(struct socind__gini *q);
/* Reserves room for chunk c's rows and notes each row's range;
 * socind__gini_add then adds that same chunk (1, or 0 out of memory). */
int socind__gini_reserve(socind_state *s, const socind_chunk *c);
void socind__gini_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                      const unsigned char *use);
int32_t socind__gini_merge_prepare(socind_state *into, const socind_state *from);
void socind__gini_merge(socind_state *into, const socind_state *from);
/* Fills n (allocated, pass set) from the merged state m. */
int32_t socind__gini_next_pass(const socind_state *m, socind_state *n);
int32_t socind__gini_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                            size_t count);
size_t socind__gini_bytes(const struct socind__gini *q);
void socind__gini_write(const struct socind__gini *q, unsigned char *b);
int32_t socind__gini_read(socind_state *s, const unsigned char *b, size_t len);
/* socind_gini's rows of a domain, it[0 .. nr) (unsorted; every income in
 * [ylo, yhi], no −0: the buckets are indexed by the order keys from ylo's
 * on, the range socind__gather_threaded gives), on T threads: *N and *Y its N̂ and Ŷ
 * (socind__items_totals' figures, bit for bit); *value the Gini (NaN when Ŷ is 0, or where its
 * coefficients leave the double range), each PSU's Σ w·u added into wk
 * (npsu PSUs; nothing when Ŷ is 0). SOCIND_OK or SOCIND_ERR_NOMEM. */
int32_t socind__gini_items_threaded(socind__item *it, size_t nr, double ylo, double yhi, int32_t T,
                                    size_t npsu, socind__work *wk, double *N, double *Y,
                                    double *value);
/* For tests: a row budget (> 0) instead of SOCIND_STATE_GINI_ROWS for
 * the Gini's states made on this thread. */
SOCIND__TEST_SWITCH(socind__gini_budget);
/* For tests: the bytes of Gini plans fingerprinted (CRC-32) on this
 * thread, added up (INT32_MAX at most). */
SOCIND__TEST_SWITCH(socind__gini_fp_bytes);
/* For tests: the first-pass plans written on this thread, counted. */
SOCIND__TEST_SWITCH(socind__gini_first_plans);
/* For tests: a row budget (> 0) instead of SOCIND__WINDOW_ROWS for the
 * window passes planned on this thread. */
SOCIND__TEST_SWITCH(socind__qwin_budget);
/* The rows a window pass keeps at most (a quantile's window, a relative
 * quantile line's measures'): 52 bytes each in memory, about 110 MiB;
 * socind__qwin_budget > 0 stands in for it. */
#define SOCIND__WINDOW_ROWS ((int64_t)1 << 21)
/* For tests: nonzero makes a share ratio's, a Lorenz ordinate's, a relative
 * quantile line's and its measures' pass 2
 * take its sums as not exact (the third pass sums them row by row), for
 * the states finished or asked their passes on this thread. */
SOCIND__TEST_SWITCH(socind__force_pass3);

/* Moments of incomes by slot (state_relative.c; a relative line's domains
 * and a share ratio's and a relative quantile line's histogram states):
 * SOCIND__NM doubles a slot — N̂ = Σw (hi, lo), the mean μ̂, M2 = Σw·(y −
 * μ̂)², Σw·y (hi, lo) — merged by Chan, Golub and LeVeque's update (no
 * cancellation: the variance keeps its digits however close the incomes
 * are, and is exactly 0 where they are all equal), and the smallest and
 * largest income (2 a slot, −0 below +0; +inf and −inf without a row). */
#define SOCIND__NM 6
/* A chunk's rows (w > 0, y a value) into the slots' moments and extremes
 * (each slot's sums about its first income, or again about their mean
 * where that income lies far from it: socind__shift_far):
 * row i into slot group[i] (0 when !grouped; none when < 0 or >= nslots)
 * and into slot `all` (none when < 0); tmp: 10 zeros a slot, left zero.
 * Cost O(rows): only the slots the rows touch are read or written. */
/* Tests: the slots socind__moments_chunk examines as it merges a chunk's
 * scratch, added up. */
SOCIND__TEST_SWITCH(socind__moments_visits);
void socind__moments_chunk(double *tmp, double *mom, double *mm, int32_t nslots,
                           const socind_chunk *c, int grouped, int32_t all);
/* Merges slot (bmom, bmm) into (mom, mm). */
void socind__moments_merge(double *mom, double *mm, const double *bmom, const double *bmm);
/* density.c's bandwidth σ̂/N̂^(1/5), σ̂² = M2/N̂, from a slot: NaN without a
 * positive weight, where every income is equal, or where the moments left
 * the double range. */
double socind__moments_bandwidth(const double *m, const double *mm);
/* A later pass of a histogram state (QUANTILE's second, LORENZ,
 * SHARE_RATIO, a relative quantile line's POVERTY_LINE, alone or a
 * relative line's) must add the rows the first did, once each: its cells'
 * Σw per domain must be the first pass's N̂ (its plan's), within 1e−12
 * (both sums of pairs, in other orders). SOCIND_ERR_MISMATCH where it is
 * not (a chunk left out or added twice, or a chunk's state not merged),
 * else SOCIND_OK; SOCIND_OK for any other state. Called where a merged
 * state is required (finishing, the next pass), never by
 * socind_state_passes (a chunk's own state may ask). (A QUANTILE's third
 * pass keeps its limits' buckets' rows and sums no cells: not checked.) */
int32_t socind__rank_weights_as_planned(const socind_state *s);
/* Whether the cells of s (a later pass: their first sum Σw) weigh, per
 * domain g < G, what the first pass did: first[stride·g] + first[stride·g
 * + 1] (a pair), within 1e−12 relative. SOCIND_ERR_MISMATCH naming the
 * pass and the domain, SOCIND_ERR_NOMEM, or SOCIND_OK. */
int32_t socind__state_weighs_as(const socind_state *s, int32_t G, const double *first,
                                size_t stride);
/* Nonzero where a slot without a bandwidth (socind__moments_bandwidth NaN)
 * lacks it because its moments left the double range: it has rows of
 * positive weight (finite extremes) and unequal extremes. */
int socind__moments_beyond(const double *mm);
/* Whether a slot read from bytes keeps the rules: no row (0 moments,
 * extremes +inf, −inf) or a weight > 0, finite extremes in order and M2
 * >= 0 (or NaN: it overflowed). */
int socind__moments_valid(const double *m, const double *mm);
/* ---- poverty against a relative line (state_relative.c) ----
 * Called by state_rank.c's functions of the same role when s->rel is set
 * (the spec is a poverty estimate of the FGT family against a relative
 * line). */
int socind__rel_new(socind_state *s);
void socind__rel_free(socind_state *s);
/* After a chunk's rows are resolved and before its sums: the line's own
 * state takes the chunk — or, in passes 3 and 4 of the median of the poor,
 * that median's own state takes the poor's rows (its status; the chunk
 * then is not added). */
int32_t socind__rel_line_add(socind_state *s, const socind_chunk *c);
int32_t socind__rel_merge_prepare(socind_state *into, const socind_state *from);
/* The line's own state merges (in passes 3 and 4 of the median of the
 * poor, that median's state; socind_state_merge, which leaves it as it
 * was on failure); called once into's PSUs and cells have taken from's
 * and before any sum changes, so that a failure here or there leaves into
 * as it was. */
int32_t socind__rel_merge_line(socind_state *into, const socind_state *from);
void socind__rel_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                     const unsigned char *use);
void socind__rel_merge(socind_state *into, const socind_state *from);
int32_t socind__rel_next_pass(const socind_state *merged, socind_state **next);
int32_t socind__rel_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                           size_t count);
size_t socind__rel_bytes(const socind_state *s);
void socind__rel_write(const socind_state *s, unsigned char *b);
/* s's part of len bytes at b (more: other parts may follow it, else it
 * ends at len), its length into *used. */
int32_t socind__rel_read(socind_state *s, const unsigned char *b, size_t len, int more,
                         size_t *used);
/* The rows of chunk c that s keeps in its window (pass 2 of two), at most. */
size_t socind__rel_reserve(const socind_state *s, const socind_chunk *c);
/* Whether s keeps a row of domain g, weight w and income y (its window's;
 * the median of the poor's: or its domain's range). */
int socind__rel_keeps(const socind_state *s, int32_t g, double w, double y);
/* The median of the poor's plan read from bytes (after its histogram part):
 * SOCIND_OK, or SOCIND_ERR_FORMAT where it breaks socind__rank_poor_plan_ok's
 * rules (its ranges are checked against its rows' sums when it finishes). */
int32_t socind__rel_check_plan(const socind_state *s);
/* The passes s takes: 2 where its pass 2 (merged) finishes, else its own
 * count (socind__rank_passes). */
int32_t socind__rel_passes(const socind_state *s, int32_t *passes);
/* A relative quantile line's POVERTY_LINE state in its last pass: the
 * quantile Q and N̂ (state_rank.c). */
void socind__rank_line_q(const socind_state *line, double *Q, double *N);
/* A relative quantile line's state of pass 2 (merged): its cells' Σw and
 * Σw·1[y <= Q] into cs (4 doubles a cell, as pass 3 sums them; none where
 * cs is NULL), [Q, NaN, h, N̂, NaN] into fig, the kernel sum Σw·exp(−t²/2)
 * at Q (t = (Q − y)/h) into kq (hi, lo) and *exact: 0 where its kernel
 * series is not exact (pass 3 then sums it row by row). */
int32_t socind__rank_line_pass2(const socind_state *s, double *cs, double *fig, double *kq,
                                int *exact);
/* The kernel moments per point (n = 0 .. SOCIND__KM − 1) that pass 2 sums
 * about a centre c: Σw·exp(−u²/2)·u^n, u = (c − y)/h. */
#define SOCIND__KM 17
/* A row of weight w at u = (c − y)/h into the moments m (SOCIND__KM
 * pairs); a row with |u| > 38.5 adds nothing (its exp(−u²/2) underflows). */
void socind__kernel_moments_add(double *m, double w, double u);
/* The kernel sum Σw·exp(−t²/2), t = (x − y)/h, of the rows whose moments M
 * (SOCIND__KM pairs) pass 2 summed about c with bandwidth h (W: their
 * weight) into *S: 1 where the series leaves at most 2^−60 of it out,
 * else 0. */
int socind__rank_kernel_series(const double *M, double c, double x, double h, double W,
                               long double *S);
/* A relative quantile line's state of pass 2 (its plan made): the bounds
 * *zl <= *zh of frac·Q for every Q its quantile's bucket holds (frac > 0:
 * frac·y rounds monotonically) and the rows its histogram holds in the
 * buckets of [*zl − ext·(*zh − *zl), *zh]; 0 (and NaN) where those bounds
 * are not finite. */
int socind__rank_line_window(const socind_state *line, double frac, double ext, double *zl,
                             double *zh, int64_t *rows);
/* The median of the poor in two passes (its state's own histogram plan,
 * state_rank.c). socind__rank_hist_chunk: pass 1, a chunk's rows used with
 * a positive weight into each domain's histogram. socind__rank_poor_plan:
 * pass 1 → 2, each domain's range of buckets (from m's histogram) where
 * the median of its poor lies for every line z in [zl, zh] (at ½ of its
 * weight at or below z), into n's plan where the rows those ranges hold
 * are at most budget (*fits 1; else 0, n left without ranges); n keeps no
 * histogram. socind__rank_poor_plan_ok: whether s's plan read from bytes
 * keeps the rules (a histogram in pass 1 only; ranges in a window pass
 * only; no wanted buckets). socind__rank_same_ranges: whether two states
 * hold the same ranges. socind__rank_poor_where: −1 where an income y lies
 * below domain g's range, 0 in it, 1 above it (or g has none).
 * socind__rank_poor_centre: the centre of domain g's range (NaN: none).
 * socind__rank_poor_select: each domain's median among s's kept rows of its
 * range at or below z (quantile.c's rule at ½ of N[g], its poor's weight,
 * with its weight below its range from below[2g..2g+1], the pair of its
 * rows there that s did not keep, plus its kept rows there; NaN where N[g]
 * is not > 0), *ok 0 where a median does not lie among them (a state of
 * one chunk, not the merged one) or where its range is not the one its
 * rows' sums make (nlh[2g], nlh[2g + 1]: its weight in the buckets below
 * zl's and up to zh's). socind__rank_bucket: an income's bucket. */
void socind__rank_hist_chunk(socind_state *s, const socind_chunk *c, const int32_t *ci,
                             const unsigned char *use);
int32_t socind__rank_poor_plan(const socind_state *m, socind_state *n, double zl, double zh,
                               int64_t budget, int *fits);
int socind__rank_poor_plan_ok(const socind_state *s, int window);
int socind__rank_same_ranges(const socind_state *a, const socind_state *b);
int socind__rank_poor_where(const socind_state *s, int32_t g, double y);
double socind__rank_poor_centre(const socind_state *s, int32_t g);
int32_t socind__rank_poor_select(const socind_state *s, const double *N, const double *below,
                                 const double *nlh, double z, double *med, int *ok);
int64_t socind__rank_bucket(double y);
/* Keeps row i of chunk c among s's rows (room reserved: the count
 * socind__rel_reserve gives). */
void socind__rank_keep(socind_state *s, const socind_chunk *c, size_t i);
/* The rows s keeps, and kept row k's income (*y), weight (*w) and cell
 * (−1: none). */
size_t socind__rank_rows(const socind_state *s);
int32_t socind__rank_row_cell(const socind_state *s, size_t k, double *y, double *w);
/* A QUANTILE state in its pass 2: each domain's quantile at spec.p
 * (quantile.c's rule, as its pass 3 plan selects it; NaN for a domain
 * without rows) into Q (n_groups or 1 values) (state_rank.c). */
int32_t socind__rank_select(const socind_state *q, double *Q);
/* A QUANTILE state of pass 2 fresh from socind_state_next_pass keeps its
 * quantile's bucket alone (no window for its limits): the median of the
 * poor's own state, whose quantile alone is selected. */
void socind__rank_narrow(socind_state *s);
/* *passes of a state (socind_state_passes): a QUANTILE's in pass 2 is 3
 * when a domain's Woodruff limit falls outside the rows it kept, else 2
 * (the merged state's answer; NOMEM possible), every other state's its
 * own. */
int32_t socind__rank_passes(const socind_state *s, int32_t *passes);
/* A finished estimate of status OK whose weight sum is none (forged
 * bytes): below 0 or NaN → undefined, SOCIND_ERR_DATA, weight sum 0 (then
 * 0 is returned); beyond the double range → SOCIND_ERR_OVERFLOW. Else 1,
 * the estimate as it was (state_rank.c). */
int socind__rank_weight_sum_ok(socind_estimate *e);
/* ---- the prevalence table (state_prevalence.c) ----
 * A state of SOCIND_STATE_PREVALENCE_* keeps its own tables in s->prev (the
 * PSU and cell tables above stay empty); state.c and state_bytes.c hand
 * such states to these. */
int socind__prev_estimator(int32_t estimator);
struct socind__prev *socind__prev_new(const socind_state_spec *sp);
void socind__prev_free(struct socind__prev *p);
int32_t socind__prev_merge(socind_state *into, const socind_state *from);
void socind__prev_info(const socind_state *s, size_t *count, size_t *npsu, size_t *ncells);
int32_t socind__prev_to_bytes(const socind_state *s, void *buf, size_t cap, size_t *len);
int32_t socind__prev_from_bytes(const unsigned char *b, size_t len, socind_state **out);

/* ---- the byte format (state_bytes.c) ---- */
/* Little-endian fields of the bytes (docs/state-format.md), whatever the
 * host's byte order. */
static inline void socind__put_u32(unsigned char *b, uint32_t v) {
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
}
static inline void socind__put_u64(unsigned char *b, uint64_t v) {
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}
static inline void socind__put_f64(unsigned char *b, double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    socind__put_u64(b, u);
}
static inline uint32_t socind__get_u32(const unsigned char *b) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)b[i] << (8 * i);
    return v;
}
static inline uint64_t socind__get_u64(const unsigned char *b) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)b[i] << (8 * i);
    return v;
}
static inline double socind__get_f64(const unsigned char *b) {
    uint64_t u = socind__get_u64(b);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}
/* The spec's int32 fields in the format's order. */
static inline void socind__spec_ints(const socind_state_spec *sp, int32_t v[10]) {
    v[0] = sp->estimator, v[1] = sp->n_groups, v[2] = sp->has_strata, v[3] = sp->has_psu;
    v[4] = sp->has_fpc, v[5] = sp->lonely_psu, v[6] = sp->nest, v[7] = sp->nonpositive;
    v[8] = sp->line_type, v[9] = sp->inclusive;
}
/* CRC-32 (IEEE 802.3, zlib's crc32) of n bytes, continuing from crc (0 to
 * start). */
uint32_t socind__crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif /* SOCIND_STATE_INTERNAL_H */
