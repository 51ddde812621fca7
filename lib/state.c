/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state.c — partial states (socind/state.h): the PSU and cell tables,
 * adding a chunk, merging, and finishing through the variance engine.
 *
 * Finishing turns the PSU table into a design with one row per PSU (weight
 * 1 when the PSU has a row of non-zero weight, else 0; its stratum, id and
 * fpc), which socind_design_new checks and counts exactly as it would the
 * rows (n_h, df, fpc, lonely strata). Each estimate is a function of the
 * domain's totals T; its linearized variable's total over PSU p is
 * Σ_k ∂θ/∂T_k · T_k,p (the gradient times the PSU's own sums), which is
 * what the in-memory estimators' per-row influence values add up to. */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state_internal.h"

/* ---- shapes and specs ---- */

int32_t socind__state_shape(int32_t est, int32_t *K, int32_t *nout) {
    int32_t k = 2, o = 1;
    switch (est) {
    case SOCIND_STATE_TOTAL:
    case SOCIND_STATE_PROPORTION:
    case SOCIND_STATE_PROPORTION_LIKELIHOOD:
    case SOCIND_STATE_FGT:
    case SOCIND_STATE_POOR_COUNT:
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
    case SOCIND_STATE_WATTS:
        break;
    case SOCIND_STATE_MEAN:
    case SOCIND_STATE_RATIO:
    case SOCIND_STATE_MEAN_SHORTFALL:
    case SOCIND_STATE_GE:
    case SOCIND_STATE_ATKINSON:
        k = 3;
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION:
        k = 4, o = SOCIND_FGTDEC_COUNT;
        break;
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        k = 4, o = SOCIND_WATTSDEC_COUNT;
        break;
    case SOCIND_STATE_GE_DECOMPOSITION:
        k = 3, o = SOCIND_GEDEC_COUNT;
        break;
    case SOCIND_STATE_POVERTY_PROFILE:
        o = SOCIND_PROFILE_COUNT;
        break;
    case SOCIND_STATE_QUANTILE:
        k = 2; /* pass 2: Σw and Σw·1[y below the bracket] (state_rank.c) */
        break;
    case SOCIND_STATE_LORENZ:
        k = 4; /* pass 2: Σw, Σw·y; below the straddling bucket Σw·(y − c), Σw (state_rank.c) */
        break;
    case SOCIND_STATE_SHARE_RATIO:
        k = 6; /* pass 3: Σw, Σw·y and four sums against the quantiles (state_rank.c) */
        break;
    case SOCIND_STATE_POVERTY_LINE:
        k = 2; /* Σw and Σw·y, or Σw·1[y <= Q] in pass 3 (state_rank.c) */
        break;
    case SOCIND_STATE_GINI:
        k = 1; /* the rows are kept (state_rank.c) */
        break;
    case SOCIND_STATE_SEN:
    case SOCIND_STATE_SST:
        k = 4, o = SOCIND_SEN_COUNT; /* Σw, and the poor's Σw², Σw²·x, Σw·g (state_gini.c) */
        break;
    case SOCIND_STATE_POOR_MEDIAN:
    case SOCIND_STATE_RELATIVE_MEDIAN_GAP:
        k = 2; /* pass 5: Σw·1[y <= z], Σw·1[y <= the median] (state_relative.c) */
        break;
    default:
        if (socind__prev_estimator(est)) break; /* its own tables (s->prev) */
        return socind__fail(SOCIND_ERR_ARG, "spec.estimator %d is unknown", (int)est);
    }
    *K = k;
    *nout = o;
    return SOCIND_OK;
}

#define SPEC_V1_SIZE (offsetof(socind_state_spec, p2) + sizeof(double))

int32_t socind_state_spec_init(socind_state_spec *spec) {
    int32_t st = socind__init_sized(spec, sizeof *spec, "spec");
    if (st) return st;
    spec->lonely_psu = SOCIND_LONELY_FAIL;
    spec->nonpositive = SOCIND_NONPOS_ERROR;
    spec->line_type = SOCIND_LINE_ABSOLUTE;
    spec->line = NAN;
    spec->alpha = NAN;
    spec->p = spec->p2 = NAN;
    return SOCIND_OK;
}

int32_t socind_chunk_init(socind_chunk *chunk) {
    return socind__init_sized(chunk, sizeof *chunk, "chunk");
}

int32_t socind__state_spec_resolve(const socind_state_spec *in, socind_state_spec *o) {
    if (!in) return socind__fail(SOCIND_ERR_NULL, "spec is NULL");
    int32_t st = socind__check_sized(in, SPEC_V1_SIZE, sizeof *in, "socind_state_spec");
    if (st) return st;
    memset(o, 0, sizeof *o);
    memcpy(o, in, sizeof *o);
    o->size = sizeof *o;
    int32_t K, nout;
    st = socind__state_shape(o->estimator, &K, &nout);
    if (st) return st;
    if (o->n_groups < 0)
        return socind__fail(SOCIND_ERR_ARG, "spec.n_groups must be >= 0, got %d", (int)o->n_groups);
    const int32_t flags[5] = {o->has_strata, o->has_psu, o->has_fpc, o->nest, o->inclusive};
    const char *names[5] = {"has_strata", "has_psu", "has_fpc", "nest", "inclusive"};
    for (int i = 0; i < 5; i++)
        if (flags[i] != 0 && flags[i] != 1)
            return socind__fail(SOCIND_ERR_ARG, "spec.%s must be 0 or 1, got %d", names[i],
                                (int)flags[i]);
    if (o->lonely_psu < SOCIND_LONELY_FAIL || o->lonely_psu > SOCIND_LONELY_CERTAINTY)
        return socind__fail(SOCIND_ERR_ARG, "spec.lonely_psu %d is unknown", (int)o->lonely_psu);
    if (o->nonpositive != SOCIND_NONPOS_ERROR && o->nonpositive != SOCIND_NONPOS_EXCLUDE)
        return socind__fail(SOCIND_ERR_ARG, "spec.nonpositive %d is unknown", (int)o->nonpositive);
    const int32_t e = o->estimator;
    if (socind__state_is_poverty(e)) {
        if (o->line_type == SOCIND_LINE_ABSOLUTE) {
            if (!(o->line > 0.0) || isinf(o->line))
                return socind__fail(SOCIND_ERR_ARG, "spec.line must be finite and > 0, got %g",
                                    o->line);
        } else if (o->line_type == SOCIND_LINE_PER_ROW) {
            o->line = NAN; /* not read */
        } else if (socind__state_is_sen(e) && (o->line_type == SOCIND_LINE_RELATIVE_QUANTILE ||
                                               o->line_type == SOCIND_LINE_RELATIVE_MEAN)) {
            return socind__fail(SOCIND_ERR_ARG,
                                "the %s index takes an absolute or per-row line (as socind_%s)",
                                e == SOCIND_STATE_SEN ? "Sen" : "Sen-Shorrocks-Thon",
                                e == SOCIND_STATE_SEN ? "sen" : "sst");
        } else if (o->line_type == SOCIND_LINE_RELATIVE_QUANTILE ||
                   o->line_type == SOCIND_LINE_RELATIVE_MEAN) {
            /* rank-based (state_relative.c) */
        } else {
            return socind__fail(SOCIND_ERR_ARG, "spec.line_type %d is unknown", (int)o->line_type);
        }
    } else if (socind__state_is_poor_median(e)) {
        if (o->line_type != SOCIND_LINE_RELATIVE_QUANTILE)
            return socind__fail(SOCIND_ERR_ARG,
                                "the %s is against convey's line, a fraction of a quantile: "
                                "spec.line_type must be SOCIND_LINE_RELATIVE_QUANTILE, got %d",
                                e == SOCIND_STATE_POOR_MEDIAN ? "median income of the poor"
                                                              : "relative median gap",
                                (int)o->line_type);
        o->inclusive = 1; /* convey's: poor means y <= the line */
    } else if (e != SOCIND_STATE_POVERTY_LINE) {
        o->line_type = SOCIND_LINE_ABSOLUTE, o->line = NAN, o->inclusive = 0;
    }
    st = socind__rank_resolve(o); /* p, p2, relative lines, the line estimate */
    if (st) return st;
    if ((e == SOCIND_STATE_FGT || e == SOCIND_STATE_POVERTY_PROFILE) &&
        (!(o->alpha >= 0.0) || isinf(o->alpha)))
        return socind__fail(SOCIND_ERR_ARG, "alpha must be finite and >= 0, got %g", o->alpha);
    if (e == SOCIND_STATE_FGT_DECOMPOSITION && (!(o->alpha > 1.0) || isinf(o->alpha)))
        return socind__fail(SOCIND_ERR_ARG, "alpha must be finite and > 1, got %g", o->alpha);
    if ((e == SOCIND_STATE_GE_DECOMPOSITION || e == SOCIND_STATE_POVERTY_PROFILE) &&
        o->n_groups < 1)
        return socind__fail(SOCIND_ERR_ARG, "%s needs a partition: spec.n_groups >= 1",
                            e == SOCIND_STATE_POVERTY_PROFILE ? "the poverty profile"
                                                              : "the GE decomposition");
    /* the profile keeps its rows in no group under code n_groups, and a
       state against a relative line keeps its line's slot after the
       domains': a code beyond them, which n_groups = 2^31 − 1 leaves none */
    if (o->n_groups == INT32_MAX &&
        (socind__state_keeps_ungrouped(e) || socind__state_is_relative(e, o->line_type)))
        return socind__fail(SOCIND_ERR_ARG,
                            "spec.n_groups must be below 2147483647 for %s, which keeps a slot "
                            "after the domains",
                            socind__state_keeps_ungrouped(e) ? "the poverty profile"
                                                             : "an estimate against a relative "
                                                               "line");
    if ((e == SOCIND_STATE_GE || e == SOCIND_STATE_GE_DECOMPOSITION) && !isfinite(o->alpha))
        return socind__fail(SOCIND_ERR_ARG, "theta (spec.alpha) must be finite, got %g", o->alpha);
    if (e == SOCIND_STATE_GE || e == SOCIND_STATE_GE_DECOMPOSITION)
        o->alpha = socind__ge_theta(o->alpha); /* (a θ below 2^−300 is the MLD's 0) */
    if (e == SOCIND_STATE_ATKINSON && (!(o->alpha > 0.0) || isinf(o->alpha)))
        return socind__fail(SOCIND_ERR_ARG, "epsilon (spec.alpha) must be finite and > 0, got %g",
                            o->alpha);
    if (e != SOCIND_STATE_FGT && e != SOCIND_STATE_FGT_DECOMPOSITION && e != SOCIND_STATE_GE &&
        e != SOCIND_STATE_ATKINSON && e != SOCIND_STATE_GE_DECOMPOSITION &&
        e != SOCIND_STATE_POVERTY_PROFILE)
        o->alpha = NAN;
    if (!socind__state_needs_positive(o->estimator)) o->nonpositive = SOCIND_NONPOS_ERROR;
    return SOCIND_OK;
}

/* ---- the tables ---- */

int socind__state_grow(void **p, size_t elem, size_t cap) {
    void *q = realloc(*p, cap * elem);
    if (!q) return 0;
    *p = q;
    return 1;
}

int socind__state_push_psu(socind_state *s, int64_t stratum, int64_t id, int64_t row, double fpc,
                           int pos, int32_t *index) {
    if (s->npsu == s->pcap) {
        size_t cap = s->pcap ? 2 * s->pcap : 64;
        if (cap > (size_t)INT32_MAX) return 0;
        if (!socind__state_grow((void **)&s->p_stratum, sizeof *s->p_stratum, cap) ||
            !socind__state_grow((void **)&s->p_id, sizeof *s->p_id, cap) ||
            !socind__state_grow((void **)&s->p_row, sizeof *s->p_row, cap) ||
            !socind__state_grow((void **)&s->p_fpc, sizeof *s->p_fpc, cap) ||
            !socind__state_grow((void **)&s->p_pos, sizeof *s->p_pos, cap))
            return 0;
        s->pcap = cap;
    }
    size_t i = s->npsu;
    size_t slot = socind__idmap_slot(&s->pmap, socind__state_pkey1(s, stratum), id);
    if (!socind__idmap_add(&s->pmap, slot, socind__state_pkey1(s, stratum), id, (int32_t)i))
        return 0;
    s->p_stratum[i] = stratum, s->p_id[i] = id, s->p_row[i] = row, s->p_fpc[i] = fpc;
    s->p_pos[i] = (unsigned char)pos;
    s->npsu++;
    *index = (int32_t)i;
    return 1;
}

int socind__state_push_cell(socind_state *s, int32_t psu, int32_t group, int32_t *index) {
    const size_t K2 = 2 * (size_t)s->K;
    if (s->ncell == s->ccap) {
        size_t cap = s->ccap ? 2 * s->ccap : 64;
        if (cap > (size_t)INT32_MAX) return 0;
        if (!socind__state_grow((void **)&s->c_psu, sizeof *s->c_psu, cap) ||
            !socind__state_grow((void **)&s->c_group, sizeof *s->c_group, cap) ||
            !socind__state_grow((void **)&s->c_n, sizeof *s->c_n, cap) ||
            !socind__state_grow((void **)&s->c_npos, sizeof *s->c_npos, cap) ||
            !socind__state_grow((void **)&s->c_dpos, sizeof *s->c_dpos, cap) ||
            !socind__state_grow((void **)&s->c_sum, K2 * sizeof *s->c_sum, cap) ||
            (s->g_cell && !socind__state_grow((void **)&s->c_next, sizeof *s->c_next, cap)))
            return 0;
        s->ccap = cap;
    }
    size_t i = s->ncell;
    size_t slot = socind__idmap_slot(&s->cmap, psu, group);
    if (!socind__idmap_add(&s->cmap, slot, psu, group, (int32_t)i)) return 0;
    s->c_psu[i] = psu, s->c_group[i] = group;
    s->c_n[i] = s->c_npos[i] = s->c_dpos[i] = 0;
    memset(s->c_sum + i * K2, 0, K2 * sizeof *s->c_sum);
    if (s->g_cell) s->c_next[i] = s->g_cell[group], s->g_cell[group] = (int32_t)i + 1;
    s->ncell++;
    *index = (int32_t)i;
    return 1;
}

int32_t socind__state_copy_tables(const socind_state *from, socind_state *to) {
    for (size_t i = 0; i < from->npsu; i++) {
        int32_t ix;
        if (!socind__state_push_psu(to, from->p_stratum[i], from->p_id[i], from->p_row[i],
                                    from->p_fpc[i], from->p_pos[i], &ix))
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < from->ncell; i++) {
        int32_t ix;
        if (!socind__state_push_cell(to, from->c_psu[i], from->c_group[i], &ix))
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        to->c_n[ix] = from->c_n[i], to->c_npos[ix] = from->c_npos[i];
        to->c_dpos[ix] = from->c_dpos[i];
    }
    return SOCIND_OK;
}

/* ---- the mean's shifts ---- */

SOCIND__TEST_SWITCH_DEFINE(socind__state_shift_visits);

/* The mean's tables for G domains, every one without a shift or a cell:
 * calloc'd (their zero means none), so that making a state writes nothing
 * a domain and a domain's pages stay the kernel's zero pages until it
 * takes a shift or a cell. 1, or 0 when out of memory. */
static int shifts_new(socind_state *s, size_t G) {
    s->g_shift = calloc(G, sizeof *s->g_shift);
    s->g_shift_row1 = calloc(G, sizeof *s->g_shift_row1);
    if (s->sp.n_groups > 0) s->g_cell = calloc(G, sizeof *s->g_cell);
    return s->g_shift && s->g_shift_row1 && (s->sp.n_groups == 0 || s->g_cell);
}

/* The mean's tables grown to G domains (a state with domains): new ones,
 * calloc'd, take the shifts of the domains that have one and the chains'
 * heads of those with cells, O(those + cells). 1, or 0 when out of memory
 * (the tables as they were). */
static int shifts_grow(socind_state *s, size_t G) {
    double *c = calloc(G, sizeof *c);
    int64_t *r1 = calloc(G, sizeof *r1);
    int32_t *head = calloc(G, sizeof *head);
    if (!c || !r1 || !head) {
        free(c), free(r1), free(head);
        return 0;
    }
    for (size_t i = 0; i < s->ng_set; i++) {
        const int32_t g = s->g_set[i];
        c[g] = s->g_shift[g], r1[g] = s->g_shift_row1[g];
    }
    for (size_t k = 0; k < s->ncell; k++) head[s->c_group[k]] = s->g_cell[s->c_group[k]];
    free(s->g_shift), free(s->g_shift_row1), free(s->g_cell);
    s->g_shift = c, s->g_shift_row1 = r1, s->g_cell = head;
    return 1;
}

int socind__state_shift_reserve(socind_state *s, size_t n) {
    const size_t G = s->sp.n_groups > 0 ? (size_t)s->sp.n_groups : 1;
    /* (a domain is listed once: never more than G) */
    const size_t need = n < G - s->ng_set ? s->ng_set + n : G;
    if (need <= s->g_setcap) return 1;
    size_t cap = s->g_setcap ? 2 * s->g_setcap : 16;
    while (cap < need) cap *= 2;
    if (cap > G) cap = G;
    if (!socind__state_grow((void **)&s->g_set, sizeof *s->g_set, cap)) return 0;
    s->g_setcap = cap;
    return 1;
}

int socind__state_shift_set(socind_state *s, int32_t g, int64_t row, double c) {
    if (!s->g_shift_row1[g]) {
        if (!socind__state_shift_reserve(s, 1)) return 0;
        s->g_set[s->ng_set++] = g;
    }
    s->g_shift[g] = c, s->g_shift_row1[g] = row + 1;
    return 1;
}

/* hi + lo += a·b, the product's rounding error included (fma). */
static inline void dd_add_prod(double *hi, double *lo, double a, double b) {
    const double p = a * b;
    socind__dd_add(hi, lo, p);
    *lo += fma(a, b, -p);
}

/* Whether a shift taken from row r, value c comes before one from row r2,
 * value c2 (the lower row; on the same row number — chunks of a design
 * with a PSU column need not number their rows apart — the lower value,
 * −0 before +0): a total order, so that merging does not depend on its
 * order. */
static int shift_before(int64_t r, double c, int64_t r2, double c2) {
    return r < r2 ||
           (r == r2 && r != INT64_MAX && (c < c2 || (c == c2 && signbit(c) && !signbit(c2))));
}

/* (dh, dl) = c_old − c_new exactly (TwoSum). */
static void shift_delta(double c_old, double c_new, double *dh, double *dl) {
    const double d = c_old - c_new, bb = d - c_old;
    *dh = d;
    *dl = (c_old - (d - bb)) + (-c_new - bb);
}

/* One cell's sums (2·K doubles) of y − c_old moved to sums of y − c_new,
 * (dh, dl) = c_old − c_new. */
static void shift_cell(double *sum, double dh, double dl) {
    /* (a cell of weight 0 has sums 0 whatever its shift: nothing to move,
       and δ² may leave the double range) */
    if ((dh == 0.0 && dl == 0.0) || (sum[0] == 0.0 && sum[1] == 0.0)) return;
    /* y − c_new = (y − c_old) + δ, δ = dh + dl: Σw(y − c_new)² = S2 + 2δ·S1
       + δ²·W and Σw(y − c_new) = S1 + δ·W, with S1, W before the move; the
       leading products exact (fma), the rest of order 2^−53 of them */
    const double wh = sum[0], wl = sum[1], s1h = sum[2], s1l = sum[3];
    const double d2 = dh * dh, d2e = fma(dh, dh, -d2) + 2.0 * dh * dl;
    dd_add_prod(&sum[4], &sum[5], 2.0 * dh, s1h);
    sum[5] += 2.0 * dh * s1l + 2.0 * dl * s1h;
    dd_add_prod(&sum[4], &sum[5], d2, wh);
    sum[5] += d2e * wh + d2 * wl;
    dd_add_prod(&sum[2], &sum[3], dh, wh);
    sum[3] += dh * wl + dl * wh;
}

/* Moves the sums of domain g's cells by (dh, dl): its chain's cells, or
 * every cell of a state without domains (all of domain 0). */
static void shift_domain(socind_state *s, int32_t g, double dh, double dl) {
    const size_t K2 = 2 * (size_t)s->K;
    if (!s->g_cell) {
        SOCIND__TEST_RECORD(socind__state_shift_visits, socind__state_shift_visits + (int)s->ncell);
        for (size_t k = 0; k < s->ncell; k++) shift_cell(s->c_sum + k * K2, dh, dl);
        return;
    }
    for (int32_t k = s->g_cell[g]; k; k = s->c_next[k - 1]) {
        SOCIND__TEST_RECORD(socind__state_shift_visits, socind__state_shift_visits + 1);
        shift_cell(s->c_sum + (size_t)(k - 1) * K2, dh, dl);
    }
}

void socind__state_shift_merge(socind_state *into, const socind_state *from) {
    if (!into->g_shift) return;
    SOCIND__TEST_RECORD(socind__state_shift_visits, socind__state_shift_visits + (int)from->ng_set);
    /* (a domain without a shift in from leaves into's as it is) */
    for (size_t i = 0; i < from->ng_set; i++) {
        const int32_t g = from->g_set[i];
        const int64_t ri = socind__state_shift_row(into, (size_t)g);
        const int64_t rf = socind__state_shift_row(from, (size_t)g);
        const double ci = into->g_shift[g], cf = from->g_shift[g];
        if (!shift_before(rf, cf, ri, ci)) continue;
        /* into's cells move to from's shift (none to move without rows) */
        if (ri != INT64_MAX) {
            double dh, dl;
            shift_delta(ci, cf, &dh, &dl);
            shift_domain(into, g, dh, dl);
        }
        socind__state_shift_set(into, g, rf, cf); /* (room reserved: cannot fail) */
    }
}

const double *socind__state_cell_at_shift(const socind_state *into, const socind_state *from,
                                          size_t i, double *moved) {
    const size_t K2 = 2 * (size_t)into->K;
    const double *b = from->c_sum + i * K2;
    const int32_t g = from->c_group[i];
    /* from's shift to into's merged one: none where it is from's own */
    if (!into->g_shift || !from->g_shift_row1[g]) return b;
    double dh, dl;
    shift_delta(from->g_shift[g], into->g_shift[g], &dh, &dl);
    if (dh == 0.0 && dl == 0.0) return b;
    memcpy(moved, b, K2 * sizeof *moved);
    shift_cell(moved, dh, dl);
    return moved;
}

socind_state *socind__state_alloc(const socind_state_spec *sp) {
    socind_state *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->sp = *sp;
    s->pass = s->passes = 1;
    if (socind__state_shape(sp->estimator, &s->K, &s->nout) ||
        (sp->estimator == SOCIND_STATE_MEAN &&
         !shifts_new(s, sp->n_groups > 0 ? (size_t)sp->n_groups : 1)) ||
        !socind__idmap_init(&s->pmap, 16) || !socind__idmap_init(&s->cmap, 16) ||
        (socind__rank_is(sp) && !socind__rank_new(s)) ||
        (sp->estimator == SOCIND_STATE_PROPORTION_LIKELIHOOD && !socind__fit_new(s)) ||
        (socind__prev_estimator(sp->estimator) && !(s->prev = socind__prev_new(sp)))) {
        socind_state_free(s);
        return NULL;
    }
    return s;
}

int32_t socind_state_new(const socind_state_spec *spec, socind_state **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    socind_state_spec sp;
    int32_t st = socind__state_spec_resolve(spec, &sp);
    if (st) return st;
    *out = socind__state_alloc(&sp);
    /* (a Gini's plan is the first pass's here, another pass's or one read
       where a state is made for them: none is written twice) */
    if (*out && (*out)->gini && !socind__gini_first_plan((*out)->gini)) {
        socind_state_free(*out);
        *out = NULL;
    }
    return *out ? SOCIND_OK : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
}

void socind_state_free(socind_state *s) {
    if (!s) return;
    socind__idmap_free(&s->pmap);
    socind__idmap_free(&s->cmap);
    free(s->p_stratum), free(s->p_id), free(s->p_row), free(s->p_fpc), free(s->p_pos);
    free(s->c_psu), free(s->c_group), free(s->c_n), free(s->c_npos), free(s->c_dpos);
    free(s->c_sum), free(s->g_shift), free(s->g_shift_row1), free(s->g_set);
    free(s->g_cell), free(s->c_next);
    socind__rank_free(s);
    socind__prev_free(s->prev);
    socind__fit_free(s->fit);
    free(s);
}

/* Forgets PSUs and cells from index np / nc on (a failed add or merge):
 * the tables are truncated and the maps made again from what stays. */
static int truncate_to(socind_state *s, size_t np, size_t nc) {
    if (s->npsu == np && s->ncell == nc) return 1;
    /* the mean's chains: the cells forgotten are the last made, each its
       domain's head when it goes */
    for (size_t i = s->ncell; s->g_cell && i-- > nc;) s->g_cell[s->c_group[i]] = s->c_next[i];
    s->npsu = np, s->ncell = nc;
    socind__idmap pm, cm;
    if (!socind__idmap_init(&pm, np) || !socind__idmap_init(&cm, nc)) {
        socind__idmap_free(&pm);
        return 0;
    }
    for (size_t i = 0; i < np; i++) {
        int64_t a = socind__state_pkey1(s, s->p_stratum[i]);
        size_t slot = socind__idmap_slot(&pm, a, s->p_id[i]);
        pm.k1[slot] = a, pm.k2[slot] = s->p_id[i], pm.val[slot] = (int32_t)i, pm.count++;
    }
    for (size_t i = 0; i < nc; i++) {
        size_t slot = socind__idmap_slot(&cm, s->c_psu[i], s->c_group[i]);
        cm.k1[slot] = s->c_psu[i], cm.k2[slot] = s->c_group[i], cm.val[slot] = (int32_t)i;
        cm.count++;
    }
    socind__idmap_free(&s->pmap);
    socind__idmap_free(&s->cmap);
    s->pmap = pm, s->cmap = cm;
    return 1;
}

/* ---- adding rows ---- */

int32_t socind__state_row_fail(const socind_state_spec *sp, double y, double y2, int64_t r) {
    const int32_t e = sp->estimator;
    if (socind__state_is_prop(e))
        return socind__fail_row(SOCIND_ERR_DATA, (size_t)r,
                                "y[%lld] is %g; a proportion needs values 0, 1 or NaN",
                                (long long)r, y);
    if (isinf(y) || (e == SOCIND_STATE_RATIO && isinf(y2)))
        return socind__fail_row(SOCIND_ERR_DATA, (size_t)r,
                                "%s[%lld] is %g; values must be finite (NaN for missing)",
                                isinf(y) ? "y" : "y2", (long long)r, isinf(y) ? y : y2);
    if (sp->line_type == SOCIND_LINE_PER_ROW && socind__state_is_poverty(e) &&
        (!(y2 > 0.0) || isinf(y2)))
        return socind__fail_row(SOCIND_ERR_DATA, (size_t)r,
                                "lines[%lld] is %g; lines must be finite and > 0", (long long)r,
                                y2);
    return socind__fail_row(SOCIND_ERR_NONPOSITIVE, (size_t)r,
                            "y[%lld] is %g; this measure needs incomes > 0 (or exclude them)",
                            (long long)r, y);
}

/* Checks a chunk against the spec (NULL and unused columns, first_row). */
static int32_t check_chunk(const socind_state *s, const socind_chunk *c) {
    if (!c) return socind__fail(SOCIND_ERR_NULL, "chunk is NULL");
    int32_t st = socind__check_sized(c, sizeof *c, sizeof *c, "socind_chunk");
    if (st) return st;
    const socind_state_spec *sp = &s->sp;
    if (c->n == 0) return SOCIND_OK;
    if (!c->weight) return socind__fail(SOCIND_ERR_NULL, "chunk.weight is NULL");
    if (!c->y) return socind__fail(SOCIND_ERR_NULL, "chunk.y is NULL");
    const int need2 =
        sp->estimator == SOCIND_STATE_RATIO ||
        (socind__state_is_poverty(sp->estimator) && sp->line_type == SOCIND_LINE_PER_ROW);
    const struct {
        const void *p;
        int want;
        const char *name;
    } cols[5] = {{c->strata, sp->has_strata, "strata"},
                 {c->psu, sp->has_psu, "psu"},
                 {c->fpc, sp->has_fpc, "fpc"},
                 {c->group, sp->n_groups > 0, "group"},
                 {c->y2, need2, "y2"}};
    for (int i = 0; i < 5; i++) {
        if (cols[i].want && !cols[i].p)
            return socind__fail(SOCIND_ERR_NULL, "chunk.%s is NULL and the spec needs it",
                                cols[i].name);
        if (!cols[i].want && cols[i].p)
            return socind__fail(SOCIND_ERR_ARG,
                                "chunk.%s is given and the spec does not use it (set the spec's "
                                "flag or leave it NULL)",
                                cols[i].name);
    }
    if (c->first_row < 0 || c->n > ((size_t)1 << 62) ||
        (uint64_t)c->first_row + c->n > ((uint64_t)1 << 62))
        return socind__fail(SOCIND_ERR_ARG,
                            "chunk.first_row (%lld) must be >= 0 and first_row + n at most 2^62",
                            (long long)c->first_row);
    return SOCIND_OK;
}

/* Phase 1 of adding a chunk: checks every row, finds or makes each row's
 * PSU and cell (pi, ci: −1 for a row in no cell), records the rows' use. */
static int32_t resolve_rows(socind_state *s, const socind_chunk *c, int32_t *pi, int32_t *ci,
                            unsigned char *use) {
    const socind_state_spec *sp = &s->sp;
    int64_t last_h = 0, last_p = 0;
    int32_t last_pi = -1, last_g = -2, last_ci = -1;
    for (size_t i = 0; i < c->n; i++) {
        const int64_t r = c->first_row + (int64_t)i;
        double w = c->weight[i];
        if (!(w >= 0.0) || isinf(w))
            return socind__fail_row(SOCIND_ERR_WEIGHT, (size_t)r,
                                    "weight[%lld] is %g; weights must be finite and >= 0",
                                    (long long)r, w);
        double f = NAN;
        if (sp->has_fpc) {
            f = c->fpc[i];
            if (!(f > 0.0) || isinf(f))
                return socind__fail_row(SOCIND_ERR_FPC, (size_t)r,
                                        "fpc[%lld] is %g; it must be finite and > 0", (long long)r,
                                        f);
        }
        int32_t g = 0;
        if (sp->n_groups > 0) {
            g = c->group[i];
            if (g < -1 || g >= sp->n_groups)
                return socind__fail_row(SOCIND_ERR_GROUP, (size_t)r,
                                        "group[%lld] is %d; codes must be in [-1, %d)",
                                        (long long)r, (int)g, (int)sp->n_groups);
        }
        if (g < 0 && socind__state_keeps_ungrouped(sp->estimator)) g = sp->n_groups;
        int u = SOCIND__ROW_MISSING;
        if (g >= 0) {
            const double y = c->y[i], y2 = c->y2 ? c->y2[i] : NAN;
            u = socind__state_row(sp->estimator, sp->line_type == SOCIND_LINE_PER_ROW, sp,
                                  c->weight[i], y, y2);
            if (u == SOCIND__ROW_BAD) return socind__state_row_fail(sp, y, y2, r);
        }
        use[i] = (unsigned char)u;
        int64_t h = sp->has_strata ? c->strata[i] : 0;
        int64_t p = sp->has_psu ? c->psu[i] : r;
        if (last_pi < 0 || h != last_h || p != last_p) {
            int64_t k1 = socind__state_pkey1(s, h);
            size_t slot = socind__idmap_slot(&s->pmap, k1, p);
            int32_t idx = s->pmap.val[slot];
            if (idx < 0) {
                if (!socind__state_push_psu(s, h, p, r, f, 0, &idx))
                    return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            } else if (s->p_stratum[idx] != h) {
                return socind__fail_row(SOCIND_ERR_NESTING, (size_t)r,
                                        "PSU %lld (row %lld) is in strata %lld and %lld; set nest "
                                        "= 1 if PSU ids are local to strata",
                                        (long long)p, (long long)r, (long long)s->p_stratum[idx],
                                        (long long)h);
            }
            last_h = h, last_p = p, last_pi = idx, last_g = -2;
        }
        if (sp->has_fpc && !(s->p_fpc[last_pi] == f))
            return socind__fail_row(SOCIND_ERR_FPC, (size_t)r,
                                    "fpc[%lld] is %g and %g elsewhere in its PSU; fpc must be "
                                    "constant within a stratum",
                                    (long long)r, f, s->p_fpc[last_pi]);
        pi[i] = last_pi;
        if (g < 0) {
            ci[i] = -1;
            continue;
        }
        if (g != last_g) {
            size_t slot = socind__idmap_slot(&s->cmap, last_pi, g);
            int32_t idx = s->cmap.val[slot];
            if (idx < 0 && !socind__state_push_cell(s, last_pi, g, &idx))
                return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            last_g = g, last_ci = idx;
        }
        ci[i] = last_ci;
    }
    return SOCIND_OK;
}

/* The mean's shifts after chunk c (rows resolved into cells ci, their
 * use): a domain whose lowest-numbered used row is in c takes that row's
 * value, and its cells' sums move to it. A chunk's rows have ascending
 * numbers, so a domain's shift changes at most once a chunk (at its first
 * row here that can take it: none after comes before that one), and the
 * work is O(rows + the cells of the domains whose shift moves), whatever
 * the number of domains. 0 when out of memory (nothing changed). */
typedef struct {
    double c;
    int64_t row1;
    int32_t g;
} shift_was;
static int shift_chunk(socind_state *s, const socind_chunk *c, const int32_t *ci,
                       const unsigned char *use) {
    SOCIND__TEST_RECORD(socind__state_shift_visits, socind__state_shift_visits + (int)c->n);
    size_t m = 0; /* rows that may take their domain's shift */
    for (size_t i = 0; i < c->n; i++)
        m += ci[i] >= 0 && use[i] == SOCIND__ROW_USED && c->weight[i] > 0.0;
    if (m == 0) return 1;
    shift_was *was = malloc(m * sizeof *was);
    if (!was || !socind__state_shift_reserve(s, m)) {
        free(was);
        return 0;
    }
    size_t nw = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (ci[i] < 0 || use[i] != SOCIND__ROW_USED || !(c->weight[i] > 0.0)) continue;
        const int32_t g = s->c_group[ci[i]];
        const int64_t r = c->first_row + (int64_t)i;
        if (shift_before(r, c->y[i], socind__state_shift_row(s, (size_t)g), s->g_shift[g])) {
            was[nw].c = s->g_shift[g], was[nw].row1 = s->g_shift_row1[g], was[nw].g = g, nw++;
            socind__state_shift_set(s, g, r, c->y[i]); /* (room reserved: cannot fail) */
        }
    }
    /* a domain's cells move once, from the shift they had (none to move
       before the domain had a row) */
    for (size_t j = 0; j < nw; j++) {
        if (!was[j].row1) continue;
        double dh, dl;
        shift_delta(was[j].c, s->g_shift[was[j].g], &dh, &dl);
        shift_domain(s, was[j].g, dh, dl);
    }
    free(was);
    return 1;
}

int32_t socind_state_add(socind_state *s, const socind_chunk *c) {
    socind__clear_detail();
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    if (s->prev)
        return socind__fail(SOCIND_ERR_ARG, "a prevalence table's state takes "
                                            "socind_state_add_growth / _growth2007");
    int32_t st = check_chunk(s, c);
    if (st || c->n == 0) return st;
    int32_t *pi = malloc(c->n * sizeof *pi), *ci = malloc(c->n * sizeof *ci);
    unsigned char *use = malloc(c->n);
    /* the Sen and SST indices rank the poor's normalized incomes: their
       Gini's rows are the chunk's with y/z for the poor of positive weight
       and NaN for every other row */
    const int sen = socind__state_is_sen(s->sp.estimator);
    double *x = sen ? malloc(c->n * sizeof *x) : NULL;
    if (!pi || !ci || !use || (sen && !x)) {
        free(pi), free(ci), free(use), free(x);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    socind_chunk rc = *c;
    if (sen) {
        const int perrow = s->sp.line_type == SOCIND_LINE_PER_ROW;
        for (size_t i = 0; i < c->n; i++) {
            const double y = c->y[i], z = perrow ? c->y2[i] : s->sp.line;
            const int poor = s->sp.inclusive ? y <= z : y < z;
            x[i] = fabs(y) <= DBL_MAX && z > 0.0 && z <= DBL_MAX && poor && c->weight[i] > 0.0
                       ? y / z
                       : NAN;
        }
        rc.y = x;
    }
    const size_t np0 = s->npsu, nc0 = s->ncell;
    if ((s->rank && !socind__rank_reserve(s, &rc)) || (s->fit && !socind__fit_reserve(s, c->n))) {
        free(pi), free(ci), free(use), free(x);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    st = resolve_rows(s, c, pi, ci, use);
    if (!st && s->rel) st = socind__rel_line_add(s, c); /* the relative line's own state */
    /* the mean: a domain's shift is its value at its lowest-numbered used
       row (a chunk's rows come in ascending numbers) */
    if (!st && s->g_shift && !shift_chunk(s, c, ci, use))
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (st) {
        if (!truncate_to(s, np0, nc0)) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    } else {
        /* phase 2: the sums (cannot fail) */
        const size_t K = (size_t)s->K;
        double t[SOCIND__STATE_KMAX] = {0};
        const double invz = 1.0 / s->sp.line;
        for (size_t i = 0; i < c->n; i++) {
            const double w = c->weight[i];
            const int32_t p = pi[i];
            if (w != 0.0) s->p_pos[p] = 1;
            if (c->first_row + (int64_t)i < s->p_row[p]) s->p_row[p] = c->first_row + (int64_t)i;
            const int32_t k = ci[i];
            if (k < 0) continue;
            if (w != 0.0) s->c_dpos[k]++;
            if (use[i] != SOCIND__ROW_USED) continue;
            s->c_n[k]++;
            if (w != 0.0) s->c_npos[k]++;
            if (s->rank && !sen) continue; /* state_rank.c's sums, below */
            const double y2 = s->g_shift ? s->g_shift[s->c_group[k]] : c->y2 ? c->y2[i] : NAN;
            double *sum = s->c_sum + (size_t)k * 2 * K;
            if (sen) {
                /* the Sen or SST index: every row's w and, for the poor of
                   positive weight (x not NaN), w², w²·x and w·(1 − x), in
                   long double (sen.c's per-PSU sums), added as pairs */
                const long double lw = w, in = !isnan(x[i]);
                const long double ld[4] = {lw, in ? lw * lw : 0.0L, in ? lw * lw * x[i] : 0.0L,
                                           in ? lw * (1.0 - x[i]) : 0.0L};
                for (size_t j = 0; j < K; j++)
                    socind__dd_add_ld(&sum[2 * j], &sum[2 * j + 1], ld[j]);
                continue;
            }
            socind__state_terms(s->sp.estimator, s->sp.line_type == SOCIND_LINE_PER_ROW, &s->sp,
                                invz, w, c->y[i], y2, t);
            for (size_t j = 0; j < K; j++) socind__dd_add(&sum[2 * j], &sum[2 * j + 1], t[j]);
        }
        if (s->rank) socind__rank_add(s, &rc, ci, use);
        if (s->fit) socind__fit_add(s, c);
    }
    free(pi), free(ci), free(use), free(x);
    return st;
}

int32_t socind_state_set_groups(socind_state *s, int32_t n_groups) {
    socind__clear_detail();
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    if (s->sp.n_groups == 0)
        return socind__fail(SOCIND_ERR_ARG, "the state was made without domains (n_groups 0)");
    if (n_groups < s->sp.n_groups)
        return socind__fail(SOCIND_ERR_ARG,
                            "n_groups %d is below the state's %d: domains are added, not removed",
                            (int)n_groups, (int)s->sp.n_groups);
    if (n_groups == s->sp.n_groups) return SOCIND_OK;
    if (n_groups == INT32_MAX && socind__state_keeps_ungrouped(s->sp.estimator))
        return socind__fail(SOCIND_ERR_ARG,
                            "n_groups must be below 2147483647 for the poverty profile, whose "
                            "rows in no group take the code after the domains");
    if (s->rank || s->prev)
        return socind__fail(SOCIND_ERR_ARG,
                            "a %s state keeps data per domain: make it with all of "
                            "them",
                            s->rank ? "rank-based" : "prevalence table's");
    if (s->g_shift && !shifts_grow(s, (size_t)n_groups))
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (s->fit) {
        int32_t st = socind__fit_set_groups(s, n_groups);
        if (st) return st;
    }
    if (socind__state_keeps_ungrouped(s->sp.estimator)) {
        /* rows in no domain are kept under code n_groups: move them */
        socind__idmap cm;
        if (!socind__idmap_init(&cm, s->ncell))
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        for (size_t i = 0; i < s->ncell; i++) {
            int32_t g = s->c_group[i] == s->sp.n_groups ? n_groups : s->c_group[i];
            size_t slot = socind__idmap_slot(&cm, s->c_psu[i], g);
            cm.k1[slot] = s->c_psu[i], cm.k2[slot] = g, cm.val[slot] = (int32_t)i, cm.count++;
        }
        for (size_t i = 0; i < s->ncell; i++)
            if (s->c_group[i] == s->sp.n_groups) s->c_group[i] = n_groups;
        socind__idmap_free(&s->cmap);
        s->cmap = cm;
    }
    s->sp.n_groups = n_groups;
    return SOCIND_OK;
}

/* ---- merging ---- */

/* An estimate finished with status OK whose weight sum is not a weight
 * sum: beyond the double range (SOCIND_ERR_OVERFLOW), or below 0 (bytes
 * whose sums no rows give: SOCIND_ERR_DATA). */
static void check_weight_sum(socind_estimate *e) {
    if (e->status != SOCIND_OK) return;
    if (!isfinite(e->weight_sum))
        e->status = SOCIND_ERR_OVERFLOW;
    else if (e->weight_sum < 0.0)
        e->status = SOCIND_ERR_DATA;
}

/* The estimators whose figures, and their linearized variance, do not
 * change when every weight is multiplied by one constant, and whose
 * domains are finished at a scale where their totals leave the double
 * range (scaled_totals): GE and Atkinson. */
static int weights_scale_free(int32_t e) {
    return e == SOCIND_STATE_GE || e == SOCIND_STATE_ATKINSON || e == SOCIND_STATE_GE_DECOMPOSITION;
}

/* The scale 2^−sc at which the cells corder[a .. b) of a domain whose
 * totals leave the double range (weights near 1e306) are read: sc the
 * exponent of their largest weight sum, or 0 (no scale) when that is not
 * above 1 or not finite. Each cell's sums times 2^−sc are exact (unless
 * they fall 2^1021 below the largest), so the figures are bit for bit
 * those of the weights so scaled, and the domain's weight sum is then at
 * most its cells' count. */
static int cells_scale(const socind_state *s, const int32_t *corder, size_t a, size_t b) {
    const size_t K2 = 2 * (size_t)s->K;
    double m = 0.0;
    for (size_t t = a; t < b; t++) {
        const int32_t k = corder[t];
        if (s->c_n[k] == 0) continue;
        const double w = fabs(s->c_sum[(size_t)k * K2]);
        if (!(w <= DBL_MAX)) return 0;
        m = w > m ? w : m;
    }
    const int e = socind__exponent(m);
    return e > 0 ? e : 0;
}

/* Whether the K totals T are all finite. */
static int totals_finite(const double *T, int K) {
    for (int j = 0; j < K; j++)
        if (!isfinite(T[j])) return 0;
    return 1;
}

/* The estimators whose figures and linearized variables read the sums of
 * w·x (and w·b) only, never Σw: a total, the number of poor, the gap, and
 * the ratios of two such sums (a ratio, the mean shortfall). */
static int weights_free(int32_t e) {
    return e == SOCIND_STATE_TOTAL || e == SOCIND_STATE_POOR_COUNT ||
           e == SOCIND_STATE_POVERTY_GAP_TOTAL || e == SOCIND_STATE_RATIO ||
           e == SOCIND_STATE_MEAN_SHORTFALL;
}

/* Whether a domain of s whose weight sum T[0] is beyond the double range
 * (+Inf) has its figures all the same: they do not read Σw and the sums
 * they read, T[1 .. K), are finite (the weight sum then reported +Inf). */
static int stands_without_wsum(const socind_state *s, const double *T) {
    return weights_free(s->sp.estimator) && T[0] == INFINITY && totals_finite(T + 1, s->K - 1);
}

/* The first spec field in which a and b differ ("" where none does: NaN
 * fields, unused parameters, compare equal to NaN). */
static const char *spec_difference(const socind_state_spec *a, const socind_state_spec *b) {
#define SAME_D(x) ((isnan(a->x) && isnan(b->x)) || a->x == b->x)
    return a->estimator != b->estimator       ? "estimator"
           : a->n_groups != b->n_groups       ? "n_groups"
           : a->has_strata != b->has_strata   ? "has_strata"
           : a->has_psu != b->has_psu         ? "has_psu"
           : a->has_fpc != b->has_fpc         ? "has_fpc"
           : a->lonely_psu != b->lonely_psu   ? "lonely_psu"
           : a->nest != b->nest               ? "nest"
           : a->nonpositive != b->nonpositive ? "nonpositive"
           : a->line_type != b->line_type     ? "line_type"
           : a->inclusive != b->inclusive     ? "inclusive"
           : !SAME_D(line)                    ? "line"
           : !SAME_D(alpha)                   ? "alpha"
           : !SAME_D(p)                       ? "p"
           : !SAME_D(p2)                      ? "p2"
                                              : "";
#undef SAME_D
}

int32_t socind_state_merge(socind_state *into, const socind_state *from) {
    socind__clear_detail();
    if (!into || !from) return socind__fail(SOCIND_ERR_NULL, "%s is NULL", into ? "from" : "into");
    if (into == from) return socind__fail(SOCIND_ERR_ARG, "a state cannot be merged into itself");
    const char *differ = spec_difference(&into->sp, &from->sp);
    if (*differ)
        return socind__fail(SOCIND_ERR_MISMATCH,
                            "the states' specs differ in %s: only states of the same estimate "
                            "and design merge",
                            differ);
    if (into->pass != from->pass)
        return socind__fail(SOCIND_ERR_MISMATCH,
                            "the states are of different passes (%d and %d): only states of the "
                            "same pass merge",
                            (int)into->pass, (int)from->pass);
    if (into->prev) return socind__prev_merge(into, from);
    const size_t np0 = into->npsu, nc0 = into->ncell;
    if (into->rank) {
        int32_t st0 = socind__rank_merge_prepare(into, from);
        if (st0) return st0;
    }
    if (into->fit) {
        int32_t st0 = socind__fit_merge_check(into, from);
        if (st0) return st0;
    }
    int32_t *pmap = malloc((from->npsu ? from->npsu : 1) * sizeof *pmap);
    if (!pmap) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    int32_t st = SOCIND_OK;
    /* PSUs first, checked; then cells (a failure leaves into as it was) */
    for (size_t i = 0; !st && i < from->npsu; i++) {
        int64_t h = from->p_stratum[i], p = from->p_id[i];
        size_t slot = socind__idmap_slot(&into->pmap, socind__state_pkey1(into, h), p);
        int32_t idx = into->pmap.val[slot];
        if (idx < 0) {
            if (!socind__state_push_psu(into, h, p, from->p_row[i], from->p_fpc[i], 0, &idx))
                st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        } else if (into->p_stratum[idx] != h) {
            st = socind__fail_row(SOCIND_ERR_NESTING, (size_t)from->p_row[i],
                                  "PSU %lld is in strata %lld and %lld; set nest = 1 if PSU ids "
                                  "are local to strata",
                                  (long long)p, (long long)into->p_stratum[idx], (long long)h);
        } else if (into->sp.has_fpc && !(into->p_fpc[idx] == from->p_fpc[i])) {
            st = socind__fail_row(SOCIND_ERR_FPC, (size_t)from->p_row[i],
                                  "PSU %lld has fpc %g and %g; fpc must be constant within a "
                                  "stratum",
                                  (long long)p, into->p_fpc[idx], from->p_fpc[i]);
        }
        pmap[i] = idx;
    }
    int32_t *cmap = NULL;
    if (!st) {
        cmap = malloc((from->ncell ? from->ncell : 1) * sizeof *cmap);
        /* the mean: room in into's list of domains with a shift for from's */
        if (!cmap || (into->g_shift && !socind__state_shift_reserve(into, from->ng_set)))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; !st && i < from->ncell; i++) {
        int32_t p = pmap[from->c_psu[i]], g = from->c_group[i];
        size_t slot = socind__idmap_slot(&into->cmap, p, g);
        int32_t idx = into->cmap.val[slot];
        if (idx < 0 && !socind__state_push_cell(into, p, g, &idx))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        cmap[i] = idx;
    }
    /* a relative line's own state last: its merge is the one change left
       that can fail (a crafted line state's PSUs need not be the state's) */
    if (!st && into->rel) st = socind__rel_merge_line(into, from);
    if (st) {
        if (!truncate_to(into, np0, nc0)) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    } else {
        for (size_t i = 0; i < from->npsu; i++) {
            int32_t p = pmap[i];
            into->p_pos[p] |= from->p_pos[i];
            if (from->p_row[i] < into->p_row[p]) into->p_row[p] = from->p_row[i];
        }
        const size_t K2 = 2 * (size_t)into->K;
        socind__state_shift_merge(into, from);
        for (size_t i = 0; i < from->ncell; i++) {
            size_t k = (size_t)cmap[i];
            into->c_n[k] = socind__count_add(into->c_n[k], from->c_n[i]);
            into->c_npos[k] = socind__count_add(into->c_npos[k], from->c_npos[i]);
            into->c_dpos[k] = socind__count_add(into->c_dpos[k], from->c_dpos[i]);
            double *a = into->c_sum + k * K2, moved[2 * SOCIND__STATE_KMAX];
            const double *b = socind__state_cell_at_shift(into, from, i, moved);
            if (k >= nc0) { /* a cell into did not have: taken as it is */
                memcpy(a, b, K2 * sizeof *a);
                continue;
            }
            socind__dd_merge(a, b, (size_t)into->K);
        }
        if (into->rank) socind__rank_merge(into, from);
        if (into->fit) socind__fit_merge(into, from);
    }
    free(pmap), free(cmap);
    return st;
}

/* ---- finishing ---- */

/* Orders PSUs by (stratum id, PSU id) and cells by (domain, PSU order):
 * (key1, key2, index) triples sorted by qsort. */
typedef struct {
    int64_t k1, k2;
    int32_t i;
} key3;
static int cmp_key3(const void *a, const void *b) {
    const key3 *x = a, *y = b;
    if (x->k1 != y->k1) return x->k1 < y->k1 ? -1 : 1;
    if (x->k2 != y->k2) return x->k2 < y->k2 ? -1 : 1;
    return 0;
}

/* order[0 .. n) sorted by (k1[i], k2[i]) (distinct pairs). */
static int32_t sort_pairs(size_t n, const int64_t *k1, const int32_t *k1i, const int64_t *k2,
                          const int32_t *k2i, int32_t *order) {
    key3 *k = malloc((n ? n : 1) * sizeof *k);
    if (!k) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        k[i].k1 = k1 ? k1[i] : k1i[i];
        k[i].k2 = k2 ? k2[i] : k2i[i];
        k[i].i = (int32_t)i;
    }
    qsort(k, n, sizeof *k, cmp_key3);
    for (size_t i = 0; i < n; i++) order[i] = k[i].i;
    free(k);
    return SOCIND_OK;
}

int32_t socind__state_sort_cells(const socind_state *s, const int32_t *rank, int32_t *corder) {
    int32_t *cr = malloc((s->ncell ? s->ncell : 1) * sizeof *cr);
    if (!cr) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < s->ncell; i++) cr[i] = rank[s->c_psu[i]];
    int32_t st = sort_pairs(s->ncell, NULL, s->c_group, NULL, cr, corder);
    free(cr);
    return st;
}

/* The default domain rule of each estimate (its in-memory function's). */
static int32_t default_rule(int32_t e) {
    switch (e) {
    case SOCIND_STATE_FGT:
    case SOCIND_STATE_WATTS:
    case SOCIND_STATE_FGT_DECOMPOSITION:
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        return SOCIND_DOMAIN_RULE_FULL;
    default:
        return SOCIND_DOMAIN_RULE_SUBSET;
    }
}

/* One domain's figures from its totals T: nout values, which are
 * proportions, per-estimate statuses (SOCIND_OK or why the figure is
 * undefined), the weight sum reported, and each figure's linearized
 * variable as a PSU total: z = Σ_k c_k·T_k,p + Σ_i g_i·(T_num,p − P_i·T_den,p)/T_den
 * with P_i = T_num/T_den the domain's ratios (ratio terms keep the in-memory
 * estimators' form, so that a PSU whose ratio equals the domain's gives
 * exactly 0). */
#define NOUT_MAX (SOCIND__STATE_KMAX + 1)
typedef struct {
    double v[NOUT_MAX];
    double c[NOUT_MAX][SOCIND__STATE_KMAX];
    int nr[NOUT_MAX];
    int num[NOUT_MAX][3], den[NOUT_MAX][3];
    double g[NOUT_MAX][3];
    int prop[NOUT_MAX];
    int32_t status[NOUT_MAX];
    double wsum[NOUT_MAX];
    double C;   /* the complement of the 0/1 column (complement_of), set by the caller */
    int scaled; /* made from totals at a scale (scaled_totals), set by the caller */
} figures;

static void ratio_term(figures *f, int o, int num, int den, double g) {
    int i = f->nr[o]++;
    f->num[o][i] = num, f->den[o][i] = den, f->g[o][i] = g;
}

static void ratio_of(figures *f, int o, const double *T, int num, int den, int K) {
    (void)K;
    f->v[o] = T[num] / T[den];
    ratio_term(f, o, num, den, 1.0);
}

/* A function of (P_1, P_2, P_3) = T[1..3]/T[0] with gradient g. */
static void through_ratios(figures *f, int o, const double *T, const double g[3]) {
    (void)T;
    for (int i = 0; i < 3; i++)
        if (g[i] != 0.0) ratio_term(f, o, i + 1, 0, g[i]);
}

/* GE(θ) of the totals T = (Σw, Σwy, Σw·s(y)) (docs/state-format.md) and
 * its gradient c. */
static double ge_of_totals(double th, const double *T, double c[3]) {
    const double W = T[0], Y = T[1], S = T[2], mu = Y / W;
    /* (each quotient by W or Y taken once at a time: W² and Y² leave the
       doubles from about 1e154, where the sums themselves do not) */
    if (th == 0.0) {
        c[2] = -1.0 / W;
        c[1] = 1.0 / Y;
        c[0] = (S / W - 1.0) / W;
        return log(mu) - S / W;
    }
    if (th == 1.0) {
        c[2] = 1.0 / Y;
        c[1] = -(S / Y + 1.0) / Y;
        c[0] = 1.0 / W;
        return S / Y - log(mu);
    }
    const double q = th * (th - 1.0); /* (θ² − θ loses its digits near θ = 1) */
    const int form = socind__ge_form(th);
    if (form == 1) {
        /* S = Σw·expm1(θ·log y) (internal.h): A = (1 + S/W)·μ^−θ, A − 1 =
           expm1(log1p(S/W) − θ·log μ); ∂A/∂W = μ^−θ·(θ + (θ − 1)·S/W)/W */
        const double m = pow(mu, -th), A = (1.0 + S / W) * m;
        c[2] = m / W / q;
        c[1] = -th * (A / Y) / q;
        c[0] = m * (th + (th - 1.0) * (S / W)) / W / q;
        return expm1(log1p(S / W) - th * log(mu)) / q;
    }
    if (form == 2) {
        /* S = Σw·y·expm1((θ − 1)·log y): A = (1 + S/Y)·μ^(1−θ), A − 1 =
           expm1(log1p(S/Y) + (1 − θ)·log μ); ∂A/∂Y = μ^(1−θ)·((1 − θ) −
           θ·S/Y)/Y */
        const double m = pow(mu, 1.0 - th), A = (1.0 + S / Y) * m;
        c[2] = m / Y / q;
        c[1] = m * ((1.0 - th) - th * (S / Y)) / Y / q;
        c[0] = A / W / th;
        return expm1(log1p(S / Y) + (1.0 - th) * log(mu)) / q;
    }
    const double A = S / W * pow(mu, -th);
    c[2] = pow(mu, -th) / W / q;
    c[1] = -th * (A / Y) / q;
    c[0] = (th - 1.0) * (A / W) / q;
    return (A - 1.0) / q;
}

/* The shift of domain g's sums (the mean's; 0 for other estimators). */
static double shift_of(const socind_state *s, int32_t g) {
    return s->g_shift ? s->g_shift[g] : 0.0;
}

/* The figures of a domain from its totals T (shift: the domain's, the
 * mean's sums being of y − shift). */
static void evaluate(const socind_state *s, const double *T, int64_t npos, double shift,
                     figures *f) {
    const socind_state_spec *sp = &s->sp;
    const int K = s->K;
    memset(f, 0, sizeof *f);
    for (int o = 0; o < s->nout; o++) f->wsum[o] = T[0];
    switch (sp->estimator) {
    case SOCIND_STATE_TOTAL:
    case SOCIND_STATE_POOR_COUNT:
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
        f->v[0] = T[1];
        f->c[0][1] = 1.0;
        break;
    case SOCIND_STATE_MEAN:
    case SOCIND_STATE_PROPORTION:
    case SOCIND_STATE_PROPORTION_LIKELIHOOD:
    case SOCIND_STATE_FGT:
    case SOCIND_STATE_WATTS:
        if (!(T[0] != 0.0)) {
            f->status[0] = SOCIND_ERR_DATA;
            break;
        }
        /* a mean whose shifted sum Σ w (x − shift) leaves the double range
           (values near ±1e308) has no figure: the shifted ratio ±Inf
           plus the shift is no mean (of either sign) */
        if (sp->estimator == SOCIND_STATE_MEAN && !isfinite(T[1])) {
            f->status[0] = SOCIND_ERR_OVERFLOW;
            break;
        }
        ratio_of(f, 0, T, 1, 0, K);
        f->v[0] += shift; /* (z: the shifted ratio's) */
        f->prop[0] = socind__state_is_prop(sp->estimator) ||
                     (sp->estimator == SOCIND_STATE_FGT && sp->alpha == 0.0);
        break;
    case SOCIND_STATE_RATIO:
        if (!(T[2] != 0.0)) {
            f->status[0] = SOCIND_ERR_DATA;
            f->wsum[0] = 0.0;
            break;
        }
        /* a denominator beyond the double range: no ratio (T[1]/±Inf
           would be 0) */
        if (!isfinite(T[2])) {
            f->status[0] = SOCIND_ERR_OVERFLOW;
            break;
        }
        ratio_of(f, 0, T, 1, 2, K);
        break;
    case SOCIND_STATE_MEAN_SHORTFALL:
        if (!(T[2] > 0.0)) {
            f->status[0] = SOCIND_ERR_DATA;
            break;
        }
        if (!isfinite(T[2])) {
            f->status[0] = SOCIND_ERR_OVERFLOW;
            break;
        }
        ratio_of(f, 0, T, 1, 2, K);
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION: {
        const double a = sp->alpha, W = T[0];
        const double P0 = T[1] / W, P1 = T[2] / W, Pa = T[3] / W;
        const double g0[3] = {1, 0, 0}, g1[3] = {0, 1, 0}, g2[3] = {0, 0, 1};
        f->v[SOCIND_FGTDEC_P0] = P0, f->v[SOCIND_FGTDEC_P1] = P1, f->v[SOCIND_FGTDEC_PALPHA] = Pa;
        through_ratios(f, SOCIND_FGTDEC_P0, T, g0);
        through_ratios(f, SOCIND_FGTDEC_P1, T, g1);
        through_ratios(f, SOCIND_FGTDEC_PALPHA, T, g2);
        f->prop[SOCIND_FGTDEC_P0] = 1;
        if (!(P0 > 0)) {
            f->status[SOCIND_FGTDEC_IGR] = f->status[SOCIND_FGTDEC_GE] = SOCIND_ERR_DATA;
            f->wsum[SOCIND_FGTDEC_IGR] = f->wsum[SOCIND_FGTDEC_GE] = 0.0;
            break;
        }
        const double I = P1 / P0, q = a * a - a, Ia = pow(I, a);
        const double gi[3] = {-I / P0, 1.0 / P0, 0.0};
        f->v[SOCIND_FGTDEC_IGR] = I;
        through_ratios(f, SOCIND_FGTDEC_IGR, T, gi);
        const double r = Pa / (P0 * Ia);
        f->v[SOCIND_FGTDEC_GE] = (r - 1.0) / q;
        const double gg[3] = {(a - 1.0) * r / (P0 * q), -a * r / (P1 * q), 1.0 / (P0 * Ia * q)};
        through_ratios(f, SOCIND_FGTDEC_GE, T, gg);
        break;
    }
    case SOCIND_STATE_WATTS_DECOMPOSITION: {
        const double W = T[0], Wt = T[1] / W, P0 = T[2] / W, P1 = T[3] / W;
        const double g0[3] = {1, 0, 0}, g1[3] = {0, 1, 0};
        f->v[SOCIND_WATTSDEC_WATTS] = Wt, f->v[SOCIND_WATTSDEC_P0] = P0;
        through_ratios(f, SOCIND_WATTSDEC_WATTS, T, g0);
        through_ratios(f, SOCIND_WATTSDEC_P0, T, g1);
        f->prop[SOCIND_WATTSDEC_P0] = 1;
        if (!(P0 > 0) || !(P0 > P1)) {
            f->status[SOCIND_WATTSDEC_GAP_RATIO] = f->status[SOCIND_WATTSDEC_THEIL_POOR] =
                SOCIND_ERR_DATA;
            f->wsum[SOCIND_WATTSDEC_GAP_RATIO] = f->wsum[SOCIND_WATTSDEC_THEIL_POOR] = 0.0;
            break;
        }
        /* as poverty.c's derive_watts: log1p, and ∂/∂P0 without its cancellation */
        const double pg = log1p(P1 / (P0 - P1));
        f->v[SOCIND_WATTSDEC_GAP_RATIO] = pg;
        const double gp[3] = {0.0, -(P1 / P0) / (P0 - P1), 1.0 / (P0 - P1)};
        through_ratios(f, SOCIND_WATTSDEC_GAP_RATIO, T, gp);
        f->v[SOCIND_WATTSDEC_THEIL_POOR] = Wt / P0 - pg;
        const double gl[3] = {1.0 / P0, -(Wt / P0) / P0 - gp[1], -gp[2]};
        through_ratios(f, SOCIND_WATTSDEC_THEIL_POOR, T, gl);
        break;
    }
    case SOCIND_STATE_GE:
        f->v[0] = ge_of_totals(sp->alpha, T, f->c[0]);
        break;
    default: { /* SOCIND_STATE_ATKINSON */
        const double eps = sp->alpha, W = T[0], Y = T[1], U = T[2];
        if (eps == 1.0) {
            const double V = (W / Y) * exp(U / W);
            f->v[0] = 1.0 - V;
            f->c[0][2] = -V / W;
            f->c[0][1] = V / Y;
            f->c[0][0] = -V * (1.0 - U / W) / W;
        } else if (socind__ge_form(1.0 - eps) == 1) {
            /* near ε = 1, U = W + S with S = Σw·expm1((1 − ε)·log y)
               (internal.h): V = exp(log1p(S/W)/(1 − ε))/(Y/W); ∂(1 − V)/∂W
               at S fixed, a·V/W − b·V/U, formed without its difference as
               −V/U + ε·V·(S/(1 − ε))/(W·U) */
            const double dl = 1.0 - eps, S = U, Uw = W + S;
            const double V = exp(log1p(S / W) / dl) / (Y / W);
            f->v[0] = 1.0 - V;
            f->c[0][2] = -V / Uw / dl;
            f->c[0][1] = V / Y;
            f->c[0][0] = -V / Uw + eps * V * (S / dl) / (W * Uw);
        } else {
            /* V = U^b/(W^a·Y), formed as (U/W)^b/(Y/W): W^a leaves the
               doubles for weights far from 1 (a = −2 at ε = 2) */
            const double a = eps / (1.0 - eps), b = 1.0 / (1.0 - eps);
            const double V = pow(U / W, b) / (Y / W);
            f->v[0] = 1.0 - V;
            f->c[0][2] = -b * V / U;
            f->c[0][1] = V / Y;
            f->c[0][0] = a * V / W;
        }
        break;
    }
    }
    (void)npos;
}

/* Whether a domain with n rows used (npos of non-zero weight) and weight
 * sum W has no estimate (SOCIND_ERR_EMPTY_DOMAIN, reporting *nrep rows), as
 * the in-memory estimator decides: no row; for means, proportions and
 * poverty ratios also no weight; for inequality measures no row of non-zero
 * weight. */
static int empty_domain(int32_t e, int64_t n, int64_t npos, double W, int64_t *nrep) {
    *nrep = 0;
    if (n == 0) return 1;
    switch (e) {
    case SOCIND_STATE_MEAN:
    case SOCIND_STATE_PROPORTION:
    case SOCIND_STATE_PROPORTION_LIKELIHOOD:
    case SOCIND_STATE_FGT:
    case SOCIND_STATE_WATTS:
    case SOCIND_STATE_FGT_DECOMPOSITION:
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        *nrep = n;
        return !(W > 0.0);
    case SOCIND_STATE_GE:
    case SOCIND_STATE_ATKINSON:
        *nrep = n;
        return npos == 0;
    default:
        return 0;
    }
}

/* The domain's degrees of freedom for a grouped proportion (R's degf() of
 * the domain's design): PSUs minus strata among its rows of non-zero
 * weight, over the domain's cells [a, b) in PSU order. For a quantile's
 * share (s->used_df) only the rows used count: svyquantile's na.rm drops
 * the others before its degf(). */
static double domain_df(const socind_state *s, const int32_t *cells, size_t a, size_t b) {
    const int64_t *pos = s->used_df ? s->c_npos : s->c_dpos;
    int64_t np = 0, nh = 0, last_h = 0;
    int have = 0;
    for (size_t t = a; t < b; t++) {
        int32_t k = cells[t];
        if (pos[k] == 0) continue;
        np++;
        int64_t h = s->p_stratum[s->c_psu[k]];
        if (!have || h != last_h) nh++, last_h = h, have = 1;
    }
    return (double)(np - nh);
}

/* The pseudo-design: one row per PSU in (stratum id, PSU id) order. On a
 * failure naming a row, the row is the PSU's first row. */
static int32_t pseudo_design(const socind_state *s, const int32_t *porder, socind_design **d) {
    const size_t np = s->npsu;
    double *w = malloc(np * sizeof *w), *fpc = s->sp.has_fpc ? malloc(np * sizeof *fpc) : NULL;
    int64_t *h = malloc(np * sizeof *h), *p = malloc(np * sizeof *p);
    int32_t st = SOCIND_OK;
    if (!w || !h || !p || (s->sp.has_fpc && !fpc))
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t r = 0; !st && r < np; r++) {
        int32_t i = porder[r];
        w[r] = s->p_pos[i] ? 1.0 : 0.0;
        h[r] = s->p_stratum[i];
        p[r] = s->p_id[i];
        if (fpc) fpc[r] = s->p_fpc[i];
    }
    if (!st) {
        socind_design_options o;
        socind_design_options_init(&o);
        o.lonely_psu = s->sp.lonely_psu;
        o.nest = 1;
        st = socind_design_new(np, w, h, p, fpc, &o, d);
        if (st) {
            int64_t row = socind_last_error_row();
            if (row >= 0 && (size_t)row < np) {
                char msg[256];
                snprintf(msg, sizeof msg, "%s", socind_last_error_detail());
                /* the pseudo-row's number means nothing to the caller */
                char *at = strstr(msg, "row ");
                if (at) *at = '\0';
                socind__trim_end(msg);
                st = socind__fail_row(st, (size_t)s->p_row[porder[row]],
                                      "%s (stratum %lld, PSU %lld, first seen at row %lld)", msg,
                                      (long long)h[row], (long long)p[row],
                                      (long long)s->p_row[porder[row]]);
            }
        } else {
            (*d)->has_psu = s->sp.has_psu;
            (*d)->has_strata = s->sp.has_strata;
        }
    }
    free(w), free(fpc), free(h), free(p);
    return st;
}

int32_t socind_state_passes(const socind_state *s, int32_t *pass, int32_t *passes) {
    socind__clear_detail();
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    int32_t n = s->passes, st = s->rank ? socind__rank_passes(s, &n) : SOCIND_OK;
    if (st) return st;
    if (pass) *pass = s->pass;
    if (passes) *passes = n;
    return SOCIND_OK;
}

int32_t socind_state_next_pass(const socind_state *merged, socind_state **next) {
    socind__clear_detail();
    if (!next) return socind__fail(SOCIND_ERR_NULL, "next is NULL");
    *next = NULL;
    if (!merged) return socind__fail(SOCIND_ERR_NULL, "merged is NULL");
    int32_t passes = merged->passes;
    if (merged->rank) {
        const int32_t st = socind__rank_passes(merged, &passes);
        if (st) return st;
    }
    if (merged->pass >= passes)
        return socind__fail(SOCIND_ERR_ARG, "the state is in its estimate's last pass (%d of %d)",
                            (int)merged->pass, (int)passes);
    if (merged->rank) return socind__rank_next_pass(merged, next);
    if (merged->fit) return socind__fit_next_pass(merged, next);
    return socind__fail(SOCIND_ERR_ARG, "the estimator takes one pass");
}

int32_t socind_state_info(const socind_state *s, size_t *count, size_t *npsu, size_t *ncells,
                          size_t *bytes) {
    socind__clear_detail();
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    if (s->prev) {
        socind__prev_info(s, count, npsu, ncells);
        if (bytes) socind_state_to_bytes(s, NULL, 0, bytes);
        return SOCIND_OK;
    }
    if (count) *count = socind__state_count(s);
    if (npsu) *npsu = s->npsu;
    if (ncells) *ncells = s->ncell;
    if (bytes) socind_state_to_bytes(s, NULL, 0, bytes);
    return SOCIND_OK;
}

size_t socind__state_count(const socind_state *s) {
    if (s->sp.estimator == SOCIND_STATE_POVERTY_PROFILE)
        return (size_t)s->nout * (size_t)s->sp.n_groups;
    if (s->sp.estimator == SOCIND_STATE_GE_DECOMPOSITION) return (size_t)s->nout;
    return (size_t)s->nout * (size_t)(s->sp.n_groups > 0 ? s->sp.n_groups : 1);
}

/* The GE decomposition (socind_ge_decomposition) over d: per group g its
 * totals T_g, the whole partition's T = Σ_g T_g; total = GE(T), within =
 * Σ_g ω_g GE(T_g) with ω_g = (Y_g/Y)^θ (N_g/N)^(1−θ), between = total −
 * within; each part's PSU totals are the gradient times the PSU's cells'
 * sums (a cell of group g: ω_g ∇GE(T_g) + GE_g ∇ω_g's own part, less the
 * part common to every row, within·((1 − θ)/N, θ/Y, 0)). */
static int32_t finish_ge_decomposition(const socind_state *s, const socind_design *d,
                                       const int32_t *rank, const int32_t *corder,
                                       const socind_options *o, socind_estimate *out) {
    /* the groups that hold a cell (runs of corder, which is ordered by
       group): n_groups read from bytes is not a reservation (groups
       without cells add nothing) */
    size_t G = 0;
    for (size_t t = 0; t < s->ncell; t++)
        if (t == 0 || s->c_group[corder[t]] != s->c_group[corder[t - 1]]) G++;
    const double th = s->sp.alpha;
    const size_t K2 = 6;
    const size_t ng = G > 0 ? G : 1;
    double *Tg = calloc(ng * 3, sizeof *Tg), *cw = calloc(ng * 3, sizeof *cw);
    socind__work wk = {0};
    int32_t st = (!Tg || !cw) ? socind__fail(SOCIND_ERR_NOMEM, "out of memory") : SOCIND_OK;
    if (!st) st = socind__work_init(&wk, d, 1);
    if (!st) socind__work_rule(&wk, o, SOCIND_DOMAIN_RULE_SUBSET);
    int64_t nr = 0;
    int zf_sc = 0;
    double T[3] = {0, 0, 0}, Nrep = 0.0;
    /* the sums, at the scale 2^−sc where they leave the double range
       (weights near 1e306: cells_scale; GE does not change when every
       weight is scaled), Nrep the weight sum unscaled (+Inf where it
       overflows) */
    for (int sc = 0;;) {
        double hiA[3] = {0, 0, 0}, loA[3] = {0, 0, 0};
        size_t a = 0;
        nr = 0;
        for (size_t g = 0; !st && g < G; g++) {
            double hi[3] = {0, 0, 0}, lo[3] = {0, 0, 0};
            const int32_t code = s->c_group[corder[a]];
            for (; a < s->ncell && s->c_group[corder[a]] == code; a++) {
                const int32_t k = corder[a];
                if (s->c_n[k] == 0) continue;
                nr = socind__count_add(nr, s->c_n[k]);
                const double *sum = s->c_sum + (size_t)k * K2;
                for (int j = 0; j < 3; j++) {
                    const double h = sc ? ldexp(sum[2 * j], -sc) : sum[2 * j],
                                 l = sc ? ldexp(sum[2 * j + 1], -sc) : sum[2 * j + 1];
                    socind__dd_add(&hi[j], &lo[j], h);
                    lo[j] += l;
                    socind__dd_add(&hiA[j], &loA[j], h);
                    loA[j] += l;
                }
            }
            for (int j = 0; j < 3; j++) Tg[3 * g + j] = socind__pair_value(hi[j], lo[j]);
        }
        for (int j = 0; j < 3; j++) T[j] = socind__pair_value(hiA[j], loA[j]);
        if (sc == 0) Nrep = T[0];
        if (st || sc || totals_finite(T, 3) || !(sc = cells_scale(s, corder, 0, s->ncell))) {
            zf_sc = sc;
            break;
        }
    }
    if (!st && nr == 0)
        st = socind__fail(SOCIND_ERR_EMPTY,
                          "no usable observation: every income is missing or outside the domains");
    if (!st && !totals_finite(T, 3)) {
        /* a cell's own sums beyond the double range, or weights that no
           scale brings back */
        for (int part = 0; part < 3; part++)
            socind__estimate_undefined(&out[part], SOCIND_ERR_OVERFLOW, nr, Nrep, d->df);
    } else if (!st) {
        const double N = T[0], Y = T[1];
        double ct[3], within = 0.0;
        const double total = ge_of_totals(th, T, ct);
        for (size_t g = 0; g < G; g++) {
            const double *t = Tg + 3 * g;
            if (t[0] == 0.0) continue;
            double cg[3];
            const double GEg = ge_of_totals(th, t, cg);
            const double om = pow(t[1] / Y, th) * pow(t[0] / N, 1.0 - th);
            within += om * GEg;
            cw[3 * g] = om * cg[0] + GEg * om * (1.0 - th) / t[0];
            cw[3 * g + 1] = om * cg[1] + GEg * om * th / t[1];
            cw[3 * g + 2] = om * cg[2];
        }
        for (size_t g = 0; g < G; g++) {
            cw[3 * g] -= within * (1.0 - th) / N;
            cw[3 * g + 1] -= within * th / Y;
        }
        const double vals[3] = {total, within, total - within};
        for (int part = 0; part < 3; part++) {
            size_t run = 0; /* the group's run in corder */
            for (size_t t = 0; t < s->ncell; t++) {
                const int32_t k = corder[t];
                if (t > 0 && s->c_group[k] != s->c_group[corder[t - 1]]) run++;
                if (s->c_n[k] == 0) continue;
                const double *sum = s->c_sum + (size_t)k * K2, *c = cw + 3 * run;
                double z = 0.0;
                for (int j = 0; j < 3; j++) {
                    const double v = zf_sc
                                         ? ldexp(sum[2 * j], -zf_sc) + ldexp(sum[2 * j + 1], -zf_sc)
                                         : sum[2 * j] + sum[2 * j + 1];
                    z += (part == 0 ? ct[j] : part == 1 ? c[j] : ct[j] - c[j]) * v;
                }
                *socind__touch(&wk, rank[s->c_psu[k]]) += z;
            }
            double var;
            int ez;
            int32_t vst = socind__work_variance_at(&wk, &var, &ez);
            socind__estimate_nan(&out[part], vst);
            out[part].value = vals[part];
            out[part].se = vst ? NAN : ldexp(sqrt(var), ez);
            out[part].n = nr;
            out[part].weight_sum = Nrep;
            socind__fill_ci(&out[part], o, d->df, 0);
            if (!zf_sc) check_weight_sum(&out[part]);
        }
    }
    if (st)
        for (int part = 0; part < 3; part++) socind__estimate_nan(&out[part], st);
    socind__work_free(&wk);
    free(Tg), free(cw);
    return st;
}

/* The poverty profile (socind_poverty_profile) over d: the whole sample's
 * H and N (every cell, rows in no group included) by PSU are the basis
 * vectors every group's share, contribution and contribution share carry
 * (socind__work_variance_global, as the in-memory profile); each group's
 * P_α is the ratio of its own cells. */
static int32_t finish_profile(const socind_state *s, const socind_design *d, const int32_t *rank,
                              const int32_t *corder, const socind_options *o,
                              const socind__line_term *lt, socind_estimate *out) {
    const int32_t G = s->sp.n_groups;
    const int prop = s->sp.alpha == 0.0;
    const size_t np = d->npsu;
    double *Hp = calloc(np ? np : 1, sizeof *Hp), *Np = calloc(np ? np : 1, sizeof *Np),
           *Up = calloc(np ? np : 1, sizeof *Up); /* (a share near 1's PSU terms) */
    socind__work wk = {0};
    socind__basis basis;
    memset(&basis, 0, sizeof basis);
    int32_t st = (!Hp || !Np || !Up) ? socind__fail(SOCIND_ERR_NOMEM, "out of memory") : SOCIND_OK;
    if (!st) st = socind__work_init(&wk, d, 1);
    if (!st) socind__work_rule(&wk, o, SOCIND_DOMAIN_RULE_FULL);
    /* the whole sample: totals and PSU sums */
    double hH = 0, lH = 0, hN = 0, lN = 0;
    int64_t nall = 0;
    size_t cells_w = 0; /* cells whose weights do not sum to 0 (sole below) */
    for (size_t t = 0; !st && t < s->ncell; t++) {
        const int32_t k = corder[t];
        if (s->c_n[k] == 0) continue;
        const double *sum = s->c_sum + (size_t)k * 4;
        const double N = sum[0] + sum[1], H = sum[2] + sum[3];
        cells_w += N != 0.0;
        Np[rank[s->c_psu[k]]] += N;
        Hp[rank[s->c_psu[k]]] += H;
        socind__dd_add(&hN, &lN, sum[0]), lN += sum[1];
        socind__dd_add(&hH, &lH, sum[2]), lH += sum[3];
        nall = socind__count_add(nall, s->c_n[k]);
    }
    if (!st && nall == 0)
        st = socind__fail(SOCIND_ERR_EMPTY,
                          "no usable observation: every income is missing or outside the domains");
    const double Nall = hN + lN, Hall = hH + lH;
    /* the PSUs where the whole sample's N (H) is not 0 (sameN, sameH below) */
    size_t nzN = 0, nzH = 0;
    for (size_t p = 0; !st && p < np; p++) nzN += Np[p] != 0.0, nzH += Hp[p] != 0.0;
    if (!st) {
        /* a relative line: its influence Z (the whole sample's H carries
           D_all·Z, a domain's D_g·Z) */
        const double *V[SOCIND__NBASIS] = {lt ? lt->Z : NULL, Hp, Np};
        st = socind__basis_init(&basis, d, V);
    }
    size_t a = 0;
    for (int32_t g = 0; !st && g < G; g++) {
        size_t b = a;
        while (b < s->ncell && s->c_group[corder[b]] == g) b++;
        double hi[2] = {0, 0}, lo[2] = {0, 0};
        int64_t n = 0;
        /* its cells whose N (H) is not 0, and whether each is its PSU's
           whole-sample sum (sameN, sameH below) */
        size_t mN = 0, mH = 0;
        int eqN = 1, eqH = 1;
        for (size_t t = a; t < b; t++) {
            const int32_t k = corder[t];
            if (s->c_n[k] == 0) continue;
            n = socind__count_add(n, s->c_n[k]);
            const double *sum = s->c_sum + (size_t)k * 4;
            const double Nc = sum[0] + sum[1], Hc = sum[2] + sum[3];
            const int32_t p = rank[s->c_psu[k]];
            eqN &= Nc == Np[p], mN += Nc != 0.0;
            eqH &= Hc == Hp[p], mH += Hc != 0.0;
            for (int j = 0; j < 2; j++) {
                socind__dd_add(&hi[j], &lo[j], sum[2 * j]);
                lo[j] += sum[2 * j + 1];
            }
        }
        socind_estimate *e = out + (size_t)g * SOCIND_PROFILE_COUNT;
        const double N = hi[0] + lo[0], H = hi[1] + lo[1];
        /* the group's share of its people not poor (FGT0's complement) */
        const double qg = socind__pair_diff(hi[0], lo[0], hi[1], lo[1]) / N;
        if (n == 0) {
            for (int i = 0; i < SOCIND_PROFILE_COUNT; i++)
                socind__estimate_undefined(&e[i], SOCIND_ERR_EMPTY_DOMAIN, 0, 0.0, d->df);
            a = b;
            continue;
        }
        /* a group whose PSU sums of N (H) are the whole sample's at every PSU
           (every other row of weight 0): its share (contribution share) has
           the linearized variable (N_g,p − N_p)/N̂ = 0 exactly, which its own
           part and its basis part would give only up to rounding (SE ~1e−8) */
        const int sameN = N == Nall && eqN && mN == nzN, sameH = H == Hall && eqH && mH == nzH;
        /* the group that holds every row of weight > 0 (every other cell's
           weights sum to 0, so are 0: a state's weights are >= 0; a cell
           of negative sum, from damaged bytes, counts): both shares are 1 and
           their linearized variables 0, a relative line's term included
           (D_g = D_all), however the sums rounded. Not when no cell has
           weight (every share undefined). */
        const int sole = cells_w > 0 && mN == cells_w;
        /* part i: own PSU totals own_h·H_c + own_n·N_c, basis coefficients cf */
        const double Dg = lt ? lt->D[(size_t)g * 2 + 1] : 0.0,
                     Dall = lt ? lt->D[(size_t)G * 2 + 1] : 0.0;
        for (int i = 0; i < SOCIND_PROFILE_COUNT; i++) {
            double value, oh, on, cf[SOCIND__NBASIS] = {0, 0, 0};
            int global = 1, isprop = prop, zero = 0; /* zero: no own part, no H or N basis */
            if (i == SOCIND_PROFILE_FGT) {
                value = H / N, oh = 1.0 / N, on = -(H / N) / N, global = lt != NULL;
                cf[0] = Dg / N;
            } else if (i == SOCIND_PROFILE_SHARE) {
                value = sole ? 1.0 : N / Nall, oh = 0.0, on = 1.0 / Nall, cf[2] = -value / Nall;
                isprop = 1, zero = sameN || sole;
            } else if (i == SOCIND_PROFILE_CONTRIBUTION) {
                value = H / Nall, oh = 1.0 / Nall, on = 0.0, cf[2] = -value / Nall;
                cf[0] = Dg / Nall;
            } else {
                if (!(Hall > 0)) {
                    socind__estimate_undefined(&e[i], SOCIND_ERR_DATA, n, 0.0, d->df);
                    continue;
                }
                value = sole ? 1.0 : H / Hall, oh = 1.0 / Hall, on = 0.0, cf[1] = -value / Hall;
                cf[0] = sole ? 0.0 : (Dg - value * Dall) / Hall;
                zero = sameH || sole;
            }
            if (zero) cf[1] = cf[2] = 0.0; /* the line's term (cf[0]) stays, but for sole */
            double var;
            int ez = 0; /* (the near-1 form's scale; the others' variance is unscaled) */
            int32_t vst;
            if (i != SOCIND_PROFILE_FGT && !zero && value > 1.0 - SOCIND__NEAR_ONE) {
                /* near 1: ((1 − v)·A_p − v·C_p)/T over every PSU (poverty.c
                   profile_near_one), A the group's N (share) or H, C the
                   rest of the denominator — the other cells' N, their H for
                   the contribution share, and the group's N − H for the
                   contribution —, 1 − v from the pairs (the heads'
                   difference exact), and the line's term cf[0]·Z */
                const int den_h = i == SOCIND_PROFILE_CONTRIBUTION_SHARE;
                const int num = i == SOCIND_PROFILE_SHARE ? 0 : 1, den = den_h ? 1 : 0;
                const double T = den_h ? Hall : Nall;
                const double q = (den_h ? socind__pair_diff(hH, lH, hi[1], lo[1])
                                        : socind__pair_diff(hN, lN, hi[num], lo[num])) /
                                 T;
                for (size_t p = 0; p < np; p++) Up[p] = lt ? cf[0] * lt->Z[p] : 0.0;
                for (size_t t = 0; t < s->ncell; t++) {
                    const int32_t k = corder[t];
                    if (s->c_n[k] == 0) continue;
                    const double *sum = s->c_sum + (size_t)k * 4;
                    double *u = &Up[rank[s->c_psu[k]]];
                    if (s->c_group[k] != g)
                        *u -= value * (sum[2 * den] + sum[2 * den + 1]) / T;
                    else if (i == SOCIND_PROFILE_CONTRIBUTION)
                        *u += (q * (sum[2] + sum[3]) -
                               value * socind__pair_diff(sum[0], sum[1], sum[2], sum[3])) /
                              T;
                    else
                        *u += q * (sum[2 * num] + sum[2 * num + 1]) / T;
                }
                vst = socind__work_variance_dense_at(&wk, Up, NULL, &var, &ez);
                /* (1 to the last bit: SE 0, as poverty.c put_near_one) */
                if (vst == SOCIND_ERR_OVERFLOW && value == 1.0) vst = SOCIND_OK, var = 0.0, ez = 0;
            } else {
                for (size_t t = a; t < b && !zero; t++) {
                    const int32_t k = corder[t];
                    if (s->c_n[k] == 0) continue;
                    const double *sum = s->c_sum + (size_t)k * 4;
                    const double Nc = sum[0] + sum[1], Hc = sum[2] + sum[3];
                    /* (the group's FGT: 0 exactly at a cell that holds the
                       group's totals, socind__holds_totals; at α = 0 from the
                       complement's pairs, as cell_z) */
                    const int whole = socind__holds_totals(Hc, Nc, H, N);
                    double z = oh * Hc + on * Nc;
                    if (i == SOCIND_PROFILE_FGT && prop)
                        z = whole ? 0.0
                                  : (qg * Hc -
                                     value * socind__pair_diff(sum[0], sum[1], sum[2], sum[3])) /
                                        N;
                    else if (i == SOCIND_PROFILE_FGT)
                        z = whole ? 0.0 : (Hc - value * Nc) / N;
                    *socind__touch(&wk, rank[s->c_psu[k]]) = z;
                }
                vst = global ? socind__work_variance_global(&wk, &basis, cf, &var)
                             : socind__work_variance(&wk, &var);
            }
            socind__estimate_nan(&e[i], vst);
            e[i].value = value;
            e[i].se = vst ? NAN : ldexp(sqrt(var), ez);
            e[i].n = n;
            e[i].weight_sum = N;
            socind__fill_ci(&e[i], o, d->df, isprop);
            check_weight_sum(&e[i]);
        }
        a = b;
    }
    if (st)
        for (size_t j = 0; j < socind__state_count(s); j++) socind__estimate_nan(&out[j], st);
    socind__basis_free(&basis);
    socind__work_free(&wk);
    free(Hp), free(Np), free(Up);
    return st;
}

/* The domains' estimates of s over the design d (the pseudo-design of its
 * PSUs, or the design whose rows filled it): rank maps s's PSUs to d's
 * dense PSUs, corder lists s's cells by (domain, rank). o resolved; out
 * holds the state's count. On failure every estimate is NaN with the
 * status. */
int32_t socind__state_finish_on(const socind_state *s, const socind_design *d, const int32_t *rank,
                                const int32_t *corder, const socind_options *opts,
                                socind_estimate *out) {
    return socind__state_finish_term(s, d, rank, corder, opts, NULL, out);
}

/* The column of s's sums that is a 0/1 indicator's (socind__state_binary_col). */
static int binary_col(const socind_state *s) {
    return socind__state_binary_col(s->sp.estimator, s->sp.alpha);
}

/* Σw·(1 − x) of binary_col's column from sums kept as pairs (hi, lo): the
 * heads' difference is exact where the complement is below half the
 * weight (Sterbenz), so it keeps its digits however near Σw·x is to Σw.
 * NaN where the estimator has no such column. */
static double complement_of(const socind_state *s, const double *hi, const double *lo) {
    const int j = binary_col(s);
    return j ? socind__pair_diff(hi[0], lo[0], hi[j], lo[j]) : NAN;
}

int32_t socind__state_weighs_as(const socind_state *s, int32_t G, const double *first,
                                size_t stride) {
    const size_t K2 = 2 * (size_t)s->K;
    double *W = calloc(2 * (size_t)G + 1, sizeof *W);
    if (!W) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < s->ncell; i++) {
        const int32_t g = s->c_group[i];
        if (g < 0 || g >= G) continue;
        socind__dd_add(&W[2 * g], &W[2 * g + 1], s->c_sum[K2 * i]);
        W[2 * g + 1] += s->c_sum[K2 * i + 1];
    }
    int32_t st = SOCIND_OK;
    for (int32_t g = 0; g < G && !st; g++) {
        const double *f = first + stride * (size_t)g;
        const double now = W[2 * g] + W[2 * g + 1], was = f[0] + f[1];
        if (!(fabs(now - was) <= 1e-12 * fmax(fabs(now), fabs(was))) && !(isnan(now) && isnan(was)))
            st = socind__fail(SOCIND_ERR_MISMATCH,
                              "pass %d's rows of domain %d weigh %.17g, the first pass's %.17g: "
                              "finish, or go on from, the merged state of every chunk of the "
                              "pass (each pass adds every chunk of the first, once)",
                              (int)s->pass, (int)g, now, was);
    }
    free(W);
    return st;
}

int socind__state_near_one(const socind_state *s) {
    const int j = socind__state_rerun_col(&s->sp), K = s->K;
    if (!j) return 0;
    const size_t G = s->sp.n_groups > 0 ? (size_t)s->sp.n_groups : 1;
    double *W = calloc(2 * G, sizeof *W);
    if (!W) return 1; /* (the pass again, summing the complement: the same figures or better) */
    for (size_t k = 0; k < s->ncell; k++) {
        const int32_t g = s->sp.n_groups > 0 ? s->c_group[k] : 0;
        if (s->c_n[k] == 0 || g < 0 || (size_t)g >= G) continue;
        const double *sum = s->c_sum + k * 2 * (size_t)K;
        W[2 * g] += sum[0] + sum[1];
        W[2 * g + 1] += sum[2 * j] + sum[2 * j + 1];
    }
    int near = 0;
    for (size_t g = 0; g < G && !near; g++) near = socind__near_one(W[2 * g], W[2 * g + 1]);
    free(W);
    return near;
}

/* A domain's totals over its cells corder[a .. b) (in PSU order), each
 * cell's sums times 2^−sc (sc >= 0; exact, scaled_totals): the K sums as
 * pairs of doubles, then rounded (+Inf for a sum beyond the double range),
 * the complement of its 0/1 column (complement_of; NaN if none) and the row
 * counts. */
static void domain_totals(const socind_state *s, const int32_t *corder, size_t a, size_t b, int sc,
                          double *T, double *C, int64_t *n_out, int64_t *npos_out) {
    const int K = s->K;
    const size_t K2 = 2 * (size_t)K;
    double hi[SOCIND__STATE_KMAX] = {0}, lo[SOCIND__STATE_KMAX] = {0};
    int64_t n = 0, npos = 0;
    for (size_t t = a; t < b; t++) {
        int32_t k = corder[t];
        if (s->c_n[k] == 0) continue;
        n = socind__count_add(n, s->c_n[k]), npos = socind__count_add(npos, s->c_npos[k]);
        const double *sum = s->c_sum + (size_t)k * K2;
        for (int j = 0; j < K; j++) {
            socind__dd_add(&hi[j], &lo[j], sc ? ldexp(sum[2 * j], -sc) : sum[2 * j]);
            lo[j] += sc ? ldexp(sum[2 * j + 1], -sc) : sum[2 * j + 1];
        }
    }
    for (int j = 0; j < K; j++) T[j] = socind__pair_value(hi[j], lo[j]);
    *C = complement_of(s, hi, lo);
    *n_out = n, *npos_out = npos;
}

/* Figure i's linearized variable as a function of a cell's sums (see
 * figures), with the domain's ratios P = T_num/T_den computed once. */
typedef struct {
    int K, nr;
    int sc; /* the cells' sums are read times 2^−sc (scaled_totals) */
    double c[SOCIND__STATE_KMAX];
    int num[3], den[3];
    double g[3], P[3], D[3], U[3]; /* U: the numerator's total */
    int bin[3];                    /* the ratio of the 0/1 column to Σw */
    double Q[3];                   /* then its complement's: 1 − P with its digits */
} zform;

/* (f->C: the domain's complement of its 0/1 column, domain_totals) */
static void zform_of(const socind_state *s, const figures *f, int i, const double *T, zform *z) {
    memset(z, 0, sizeof *z);
    z->K = s->K, z->nr = f->nr[i];
    for (int j = 0; j < s->K; j++) z->c[j] = f->c[i][j];
    const int bc = binary_col(s);
    for (int r = 0; r < f->nr[i]; r++) {
        const int nu = f->num[i][r], de = f->den[i][r];
        z->num[r] = nu, z->den[r] = de, z->g[r] = f->g[i][r];
        z->P[r] = T[nu] / T[de], z->D[r] = T[de], z->U[r] = T[nu];
        /* (a figure of that ratio alone: where it is one term of several,
           as in the decompositions' other parts, the terms keep the
           in-memory form, whose roundings cancel alike) */
        if (bc && nu == bc && de == 0 && f->nr[i] == 1 && isfinite(f->C))
            z->bin[r] = 1, z->Q[r] = f->C / T[de];
    }
}

/* The linearized variable's PSU total on cell k. */
static inline double cell_z(const socind_state *s, const zform *zf, size_t k) {
    const int K = zf->K;
    const double *sum = s->c_sum + k * 2 * (size_t)K;
    double z = 0.0, v[SOCIND__STATE_KMAX];
    if (__builtin_expect(zf->sc != 0, 0))
        for (int j = 0; j < K; j++)
            v[j] = ldexp(sum[2 * j], -zf->sc) + ldexp(sum[2 * j + 1], -zf->sc);
    else
        for (int j = 0; j < K; j++) v[j] = sum[2 * j] + sum[2 * j + 1];
    for (int j = 0; j < K; j++)
        if (zf->c[j] != 0.0) z += zf->c[j] * v[j];
    /* (a ratio term is 0 exactly at a cell that holds the domain's totals:
       socind__holds_totals) */
    for (int r = 0; r < zf->nr; r++) {
        const int nu = zf->num[r], de = zf->den[r];
        if (socind__holds_totals(v[nu], v[de], zf->U[r], zf->D[r])) continue;
        if (zf->bin[r]) {
            /* x_p − P·w_p = Q·x_p − P·(w_p − x_p), from the cell's
               complement: no cancellation as P nears 1 */
            const double cp = socind__pair_diff(sum[0], sum[1], sum[2 * nu], sum[2 * nu + 1]);
            z += zf->g[r] * ((zf->Q[r] * v[nu] - zf->P[r] * cp) / zf->D[r]);
        } else {
            z += zf->g[r] * ((v[nu] - zf->P[r] * v[de]) / zf->D[r]);
        }
    }
    return z;
}

/* Figure i of a domain (totals T, n rows used, npos of non-zero weight,
 * degrees of freedom df) into e, with the variance var of its linearized
 * variable at scale 2^−ez (vst: the variance's status; socind__work_variance_at);
 * a proportion's likelihood interval profiled around fit where not NULL. */
static void put_figure(const socind_state *s, const figures *f, int i, const double *T, int64_t n,
                       int64_t npos, double df, double var, int ez, int32_t vst,
                       const socind_options *o, const socind__glmfit *fit, socind_estimate *e) {
    e->value = f->v[i];
    e->se = vst ? NAN : ldexp(sqrt(var), ez);
    if (vst) e->status = vst;
    e->n = n;
    e->weight_sum = f->wsum[i];
    if ((s->sp.estimator == SOCIND_STATE_MEAN || socind__state_is_prop(s->sp.estimator)) &&
        npos > 1 && !vst) {
        /* Σ w (x − x̄)² = Σ w x² − (Σ w x)²/Σ w (a 0/1 variable: Σ w x² = Σ w x) */
        const double W = T[0], X = T[1];
        const int mean = s->sp.estimator == SOCIND_STATE_MEAN;
        const double X2 = mean ? T[2] : X;
        /* (a 0/1 variable: Σ w x·(Σ w (1 − x))/Σ w, without the cancellation) */
        double ss = mean ? X2 - X * (X / W) : X * (f->C / W);
        if (ss < 0) ss = 0;
        double np = (double)npos;
        double vsrs = ss / W * np / (np - 1.0) / np;
        e->deff = socind__deff_of(var, vsrs, X2, ez);
    }
    if (fit)
        socind__fill_ci_fit(e, o, df, fit);
    else
        socind__fill_ci(e, o, df, f->prop[i]);
    /* (figures made at a scale, and those that do not read Σw, stand
       where the weight sum is +Inf) */
    if (!f->scaled && !(weights_free(s->sp.estimator) && e->weight_sum == INFINITY))
        check_weight_sum(e);
}

/* A proportion's likelihood state: domain g's glm fit, as socind_proportion
 * makes it (totals.c), with its SE from the cells corder[a .. b): the
 * variance of Σw·(y − μ̂) by PSU over (Σw·μ̂(1 − μ̂))², the Rao–Scott
 * factor and the dispersion. 0 and *fit, or −1 where it cannot be made
 * (socind_proportion then profiles around the exact fit). */
static int fit_figure(const socind_state *s, socind__work *wk, const int32_t *rank,
                      const int32_t *corder, size_t a, size_t b, int32_t g, double value,
                      const double *T, int64_t npos, socind__glmfit *fit) {
    double mu, swl, vb;
    if (socind__fit_of(s, g, fit, &mu, &swl) != 0) return -1;
    const double q_mu = 1.0 - mu; /* (1 − μ̂)·Σw·y − μ̂·Σw·(1 − y), as socind_proportion */
    for (size_t t = a; t < b; t++) {
        const int32_t k = corder[t];
        if (s->c_n[k] == 0) continue;
        const double *sum = s->c_sum + (size_t)k * 2 * (size_t)s->K;
        const double cp = socind__pair_diff(sum[0], sum[1], sum[2], sum[3]);
        *socind__touch(wk, rank[s->c_psu[k]]) = q_mu * (sum[2] + sum[3]) - mu * cp;
    }
    if (socind__work_variance(wk, &vb) != 0) return -1;
    const double np = (double)npos;
    fit->se_beta = sqrt(vb) / (T[0] * (mu * (1.0 - mu)));
    fit->lambda = fit->se_beta * fit->se_beta * swl;
    fit->disp = np / (np - 1.0) * (value * (1.0 - value)) / (mu * (1.0 - mu));
    fit->disp *= socind__fit_na_factor(s, g, T[0]);
    return 0;
}

int32_t socind__state_finish_term(const socind_state *s, const socind_design *d,
                                  const int32_t *rank, const int32_t *corder,
                                  const socind_options *opts, const socind__line_term *lt,
                                  socind_estimate *out) {
    const socind_options o = *opts;
    const int32_t G = s->sp.n_groups > 0 ? s->sp.n_groups : 1;
    const size_t count = socind__state_count(s);
    if (s->sp.estimator == SOCIND_STATE_GE_DECOMPOSITION)
        return finish_ge_decomposition(s, d, rank, corder, opts, out);
    if (s->sp.estimator == SOCIND_STATE_POVERTY_PROFILE)
        return finish_profile(s, d, rank, corder, opts, lt, out);
    socind__work wk = {0};
    int32_t st = SOCIND_OK;
    st = socind__work_init(&wk, d, 1);
    if (!st) socind__work_rule(&wk, &o, default_rule(s->sp.estimator));
    const int K = s->K;
    int64_t used = 0;
    int weightless = 0; /* a domain with rows, all of weight 0 */
    size_t a = 0;
    for (int32_t g = 0; !st && g < G; g++) {
        size_t b = a;
        while (b < s->ncell && s->c_group[corder[b]] == g) b++;
        /* the domain's totals, in PSU order, as pairs of doubles */
        double T[SOCIND__STATE_KMAX], C;
        int64_t n, npos;
        domain_totals(s, corder, a, b, 0, T, &C, &n, &npos);
        /* GE and Atkinson where the totals leave the double range: from
           the cells' sums at the scale 2^−sc (cells_scale), the weight
           sum reported unscaled (+Inf where it overflowed) */
        const double W0 = T[0];
        const int sc = weights_scale_free(s->sp.estimator) && !totals_finite(T, K)
                           ? cells_scale(s, corder, a, b)
                           : 0;
        if (sc) domain_totals(s, corder, a, b, sc, T, &C, &n, &npos);
        if (n == INT64_MAX) {
            st = socind__fail(SOCIND_ERR_OVERFLOW, "domain %d counts 2^63 rows or more", (int)g);
            break;
        }
        /* a quantile's share counts only the rows used overall too (an
           income missing in every row of a PSU takes it out of the df) */
        const double df =
            !wk.full &&
                    (s->used_df || (socind__state_is_prop(s->sp.estimator) && s->sp.n_groups > 0))
                ? domain_df(s, corder, a, b)
                : d->df;
        socind_estimate *e = out + (size_t)g * (size_t)s->nout;
        int64_t nrep;
        if (empty_domain(s->sp.estimator, n, npos, T[0], &nrep)) {
            /* (a quantile's empty domain: the design's df, as in memory) */
            for (int i = 0; i < s->nout; i++)
                socind__estimate_undefined(&e[i], SOCIND_ERR_EMPTY_DOMAIN, nrep, 0.0,
                                           s->used_df ? d->df : df);
            weightless |= nrep > 0;
            a = b;
            continue;
        }
        used = socind__count_add(used, n);
        if (T[0] < 0.0) { /* bytes whose weight sums (hi + lo) add up below 0 */
            for (int i = 0; i < s->nout; i++)
                socind__estimate_undefined(&e[i], SOCIND_ERR_DATA, n, 0.0, df);
            a = b;
            continue;
        }
        if ((!(T[0] <= DBL_MAX) && !stands_without_wsum(s, T)) ||
            (weights_scale_free(s->sp.estimator) && !totals_finite(T, K))) {
            /* a weight sum beyond the double range (+Inf, reported) that
               no scale brought back, unless the figures do not read it;
               GE's or Atkinson's cell with its own sums beyond it (a PSU's
               w·y^θ): every figure NaN */
            for (int i = 0; i < s->nout; i++)
                socind__estimate_undefined(&e[i], SOCIND_ERR_OVERFLOW, n, W0, df);
            a = b;
            continue;
        }
        figures f;
        evaluate(s, T, npos, shift_of(s, g), &f);
        f.C = C;
        if (sc)
            for (int i = 0; i < s->nout; i++) f.wsum[i] = W0;
        f.scaled = sc != 0;
        for (int i = 0; i < s->nout; i++) {
            if (f.status[i]) {
                socind__estimate_undefined(&e[i], f.status[i], n, f.wsum[i], df);
                continue;
            }
            socind__estimate_nan(&e[i], SOCIND_OK);
            zform zf;
            zform_of(s, &f, i, T, &zf);
            zf.sc = sc;
            for (size_t t = a; t < b; t++) {
                int32_t k = corder[t];
                if (s->c_n[k] == 0) continue;
                *socind__touch(&wk, rank[s->c_psu[k]]) = cell_z(s, &zf, (size_t)k);
            }
            double var;
            int ez;
            int32_t vst;
            if (lt) {
                /* the line's term: the same combination of the totals'
                   derivatives in the line (at the PSU totals' scale) */
                const double *D = lt->D + (size_t)g * (size_t)K;
                double cf[SOCIND__NBASIS] = {0.0, 0.0, 0.0};
                /* (a term whose coefficient is 0 adds nothing, whatever its
                   derivative: a decomposition's part that does not take a
                   non-finite one stays finite) */
                for (int j = 0; j < K; j++)
                    if (f.c[i][j] != 0.0) cf[0] += f.c[i][j] * D[j];
                for (int r = 0; r < f.nr[i]; r++) {
                    const int nu = f.num[i][r], de = f.den[i][r];
                    if (f.g[i][r] == 0.0) continue;
                    const double P = T[nu] / T[de];
                    cf[0] += f.g[i][r] * ((P != 0.0 ? D[nu] - P * D[de] : D[nu]) / T[de]);
                }
                vst = socind__work_variance_global_at(&wk, lt->basis, cf, &var, &ez);
            } else {
                vst = socind__work_variance_at(&wk, &var, &ez);
            }
            socind__glmfit gf;
            const int fitted = s->fit && o.prop_ci == SOCIND_PROP_CI_LIKELIHOOD && !vst &&
                               f.v[i] > 0.0 && f.v[i] < 1.0 && n > 1 &&
                               fit_figure(s, &wk, rank, corder, a, b, g, f.v[i], T, npos, &gf) == 0;
            put_figure(s, &f, i, T, n, npos, df, var, ez, vst, &o, fitted ? &gf : NULL, &e[i]);
        }
        a = b;
    }
    if (!st && used == 0)
        st = socind__fail(SOCIND_ERR_EMPTY,
                          "no usable observation: every value is missing or outside the domains%s",
                          weightless ? SOCIND__WEIGHTLESS : "");
    if (st)
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    socind__work_free(&wk);
    return st;
}

/* ---- finishing a state of the design's own PSUs, on threads ----
 *
 * A state without domains whose cell p is the design's PSU p (state_threads.c
 * fills one for an in-memory call, with its totals). For each figure, the
 * strata's sums of its linearized variable and their centred squares are
 * made over `parts` ranges of PSUs, one thread each. The PSUs of a stratum
 * are consecutive (design.h): a stratum of at most STRATUM_LOCAL PSUs
 * within a range is done in one reading (its values kept on the stack for
 * the centred squares); a stratum cut by a range's end, or a longer one,
 * has its sum made first (the cut ones' parts added after the threads are
 * joined) and its centred squares in a second reading, both compensated
 * (socind__ksum: the same to about 2^−52 however the ranges cut it, where
 * a plain sum over hundreds of thousands of PSUs moved by 1e−12 with the
 * thread count). The variance is the engine's own
 * (socind__work_strata_variance) from those per-stratum sums. */
#define STRATUM_LOCAL 256

/* What a part leaves for the strata cut by its range's ends. */
typedef struct {
    int32_t h[2];        /* the stratum, or −1 */
    socind__ksum sum[2]; /* its part of hsum (pass 1) or hq (pass 2) */
    int32_t cnt[2];      /* its touched PSUs (pass 1) */
    int32_t second;      /* pass 1: strata left for pass 2 */
    double top;          /* pass 1: the largest |PSU total| of its range */
} psu_part;

typedef struct {
    const socind_state *s;
    const socind_design *d;
    int32_t parts, pass;
    zform zf;
    socind__work *wk;
    psu_part *part;
} psu_job;

static void psu_pass(void *arg, int32_t t) {
    psu_job *j = arg;
    const socind_state *s = j->s;
    const socind_design *d = j->d;
    const size_t P = d->npsu, p0 = socind__part_start(P, t, j->parts),
                 p1 = socind__part_start(P, t + 1, j->parts);
    const int32_t *ps = d->psu_stratum;
    const int64_t *cn = s->c_n;
    psu_part *pt = &j->part[t];
    socind__work *wk = j->wk;
    const zform zf = j->zf; /* (a copy: the stores below cannot alias it) */
    double zb[STRATUM_LOCAL];
    if (j->pass == 1) pt->h[0] = pt->h[1] = -1, pt->second = 0, pt->top = 0.0;
    double top = 0.0;
    for (size_t a = p0; a < p1;) {
        const int32_t h = ps[a];
        size_t b = a + 1;
        while (b < p1 && ps[b] == h) b++;
        const int cut_before = a == p0 && a > 0 && ps[a - 1] == h;
        const int cut_after = b == p1 && b < P && ps[b] == h;
        const int cut = cut_before || cut_after, local = !cut && b - a <= STRATUM_LOCAL;
        const double nh = (double)d->stratum_npsu[h];
        if (j->pass == 1 && local) {
            /* the whole stratum: its sum, then its centred squares (plain
               sums of at most STRATUM_LOCAL terms: within 2^−45 relative
               of the terms' magnitudes, whoever makes them) */
            double sum = 0.0, q = 0.0;
            int32_t cnt = 0;
            for (size_t k = a; k < b; k++)
                if (cn[k] != 0) {
                    zb[cnt] = cell_z(s, &zf, k);
                    top = fmax(top, fabs(zb[cnt]));
                    sum += zb[cnt++];
                }
            const double mean = sum / nh;
            for (int32_t i = 0; i < cnt; i++) {
                const double c = zb[i] - mean;
                q += c * c;
            }
            wk->hsum[h] = (socind__ksum){sum, 0.0}, wk->hcount[h] = cnt;
            wk->hq[h] = (socind__ksum){q, 0.0};
        } else if (!local) {
            const double mean = j->pass == 2 ? socind__kval(&wk->hsum[h]) / nh : 0.0;
            socind__ksum sum = {0, 0};
            int32_t cnt = 0;
            for (size_t k = a; k < b; k++) {
                if (cn[k] == 0) continue;
                const double z = cell_z(s, &zf, k);
                if (j->pass == 1) {
                    socind__kadd(&sum, z), cnt++;
                    top = fmax(top, fabs(z));
                } else {
                    const double c = z - mean;
                    socind__kadd(&sum, c * c);
                }
            }
            if (cut) {
                const int e = cut_before ? 0 : 1;
                pt->h[e] = h, pt->sum[e] = sum, pt->cnt[e] = cnt;
            } else if (j->pass == 1) {
                wk->hsum[h] = sum, wk->hcount[h] = cnt;
            } else {
                wk->hq[h] = sum;
            }
            if (j->pass == 1) pt->second++;
        }
        a = b;
    }
    if (j->pass == 1) pt->top = top;
}

/* Adds the parts' sums of the strata cut by their ranges (in part order). */
static void psu_edges(const psu_job *j) {
    for (int32_t t = 0; t < j->parts; t++)
        for (int e = 0; e < 2; e++) {
            const psu_part *pt = &j->part[t];
            const int32_t h = pt->h[e];
            if (h < 0) continue;
            socind__kmerge(j->pass == 1 ? &j->wk->hsum[h] : &j->wk->hq[h], pt->sum[e]);
            if (j->pass == 1) j->wk->hcount[h] += pt->cnt[e];
        }
}

int32_t socind__state_finish_psus(const socind_state *s, const socind_design *d,
                                  const socind__state_totals *tot, const socind_options *opts,
                                  int32_t parts, socind_estimate *out) {
    const int32_t e0 = s->sp.estimator;
    if (s->sp.n_groups > 0 || e0 == SOCIND_STATE_GE_DECOMPOSITION ||
        e0 == SOCIND_STATE_POVERTY_PROFILE || d->cal || s->ncell != d->npsu || parts < 1)
        return socind__fail(SOCIND_ERR_ARG, "not a state of the design's own PSUs");
    if (parts > SOCIND_MAX_THREADS) parts = SOCIND_MAX_THREADS; /* socind__parallel's most */
    if ((size_t)parts > d->npsu) parts = d->npsu ? (int32_t)d->npsu : 1;
    const socind_options o = *opts;
    socind__work wk = {0};
    psu_part *part = calloc((size_t)parts, sizeof *part);
    int32_t st =
        part ? socind__work_init(&wk, d, 0) : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st) socind__work_rule(&wk, &o, default_rule(e0));
    psu_job j;
    memset(&j, 0, sizeof j);
    j.s = s, j.d = d, j.parts = parts, j.wk = &wk, j.part = part;
    double T[SOCIND__STATE_KMAX] = {0};
    for (int q = 0; q < s->K; q++) T[q] = socind__pair_value(tot->hi[q], tot->lo[q]);
    const int64_t n = tot->n, npos = tot->npos;
    int64_t nrep;
    if (!st && empty_domain(e0, n, npos, T[0], &nrep)) {
        /* no usable row: the frame says so (socind__state_finish_on's
           SOCIND_ERR_EMPTY) */
        st = socind__fail(SOCIND_ERR_EMPTY, "no usable observation: every value is missing%s",
                          nrep > 0 ? SOCIND__WEIGHTLESS : "");
    }
    if (!st && T[0] < 0.0)
        for (int i = 0; i < s->nout; i++)
            socind__estimate_undefined(&out[i], SOCIND_ERR_DATA, n, 0.0, d->df);
    else if (!st && !(T[0] <= DBL_MAX) && !stands_without_wsum(s, T))
        /* the weight sum beyond the double range, where the figures read it */
        for (int i = 0; i < s->nout; i++)
            socind__estimate_undefined(&out[i], SOCIND_ERR_OVERFLOW, n, T[0], d->df);
    else if (!st) {
        figures f;
        evaluate(s, T, npos, shift_of(s, 0), &f);
        f.C = complement_of(s, tot->hi, tot->lo);
        for (int i = 0; i < s->nout; i++) {
            if (f.status[i]) {
                socind__estimate_undefined(&out[i], f.status[i], n, f.wsum[i], d->df);
                continue;
            }
            socind__estimate_nan(&out[i], SOCIND_OK);
            zform_of(s, &f, i, T, &j.zf);
            j.pass = 1;
            socind__parallel(parts, psu_pass, &j);
            psu_edges(&j);
            /* PSU totals whose squares leave the doubles: pass 1 again at
               the scale 2^−ez (socind__work_scale's rule), the linearized
               variable's coefficients scaled (exact) */
            double top = 0.0;
            for (int32_t t = 0; t < parts; t++) top = fmax(top, part[t].top);
            int ez;
            const int32_t sst = socind__scale_of(top, &ez);
            if (sst || ez) {
                memset(wk.hsum, 0, d->nstrata * sizeof *wk.hsum);
                memset(wk.hq, 0, d->nstrata * sizeof *wk.hq);
                memset(wk.hcount, 0, d->nstrata * sizeof *wk.hcount);
            }
            if (sst) { /* the value kept, as finish_term's */
                put_figure(s, &f, i, T, n, npos, d->df, NAN, 0, sst, &o, NULL, &out[i]);
                continue;
            }
            if (ez) {
                for (int q = 0; q < j.zf.K; q++) j.zf.c[q] = ldexp(j.zf.c[q], -ez);
                for (int r = 0; r < j.zf.nr; r++) j.zf.g[r] = ldexp(j.zf.g[r], -ez);
                socind__parallel(parts, psu_pass, &j);
                psu_edges(&j);
            }
            int32_t second = 0;
            for (int32_t t = 0; t < parts; t++) second += part[t].second;
            if (second) {
                j.pass = 2;
                socind__parallel(parts, psu_pass, &j);
                psu_edges(&j);
            }
            /* the strata with a touched PSU, in the order of their PSUs */
            size_t nh = 0;
            for (size_t h = 0; h < d->nstrata; h++)
                if (wk.hcount[h] > 0) wk.hlist[nh++] = (int32_t)h;
            double var;
            int32_t vst = socind__work_strata_variance(&wk, nh, &var);
            put_figure(s, &f, i, T, n, npos, d->df, var, ez, vst, &o, NULL, &out[i]);
        }
    }
    if (st)
        for (int i = 0; i < s->nout; i++) socind__estimate_nan(&out[i], st);
    socind__work_free(&wk);
    free(part);
    return st;
}

int socind__state_values(const socind_state *s, const int32_t *corder, double *values) {
    if (s->sp.estimator == SOCIND_STATE_GE_DECOMPOSITION ||
        s->sp.estimator == SOCIND_STATE_POVERTY_PROFILE || s->rank || s->prev)
        return 0;
    const int32_t G = s->sp.n_groups > 0 ? s->sp.n_groups : 1;
    size_t a = 0;
    for (int32_t g = 0; g < G; g++) {
        size_t b = a;
        while (b < s->ncell && s->c_group[corder[b]] == g) b++;
        /* the domain's totals as socind__state_finish_on adds them */
        double T[SOCIND__STATE_KMAX], C;
        int64_t n, npos;
        domain_totals(s, corder, a, b, 0, T, &C, &n, &npos);
        double *v = values + (size_t)g * (size_t)s->nout;
        int64_t nrep;
        if (n == INT64_MAX || empty_domain(s->sp.estimator, n, npos, T[0], &nrep) || T[0] < 0.0) {
            for (int i = 0; i < s->nout; i++) v[i] = NAN;
        } else {
            figures f;
            evaluate(s, T, npos, shift_of(s, g), &f);
            for (int i = 0; i < s->nout; i++) v[i] = f.status[i] ? NAN : f.v[i];
        }
        a = b;
    }
    return 1;
}

int32_t socind__state_design(const socind_state *s, socind_design **d, int32_t **rank,
                             int32_t **corder) {
    *d = NULL, *rank = NULL, *corder = NULL;
    int32_t *porder = malloc((s->npsu ? s->npsu : 1) * sizeof *porder);
    *rank = malloc((s->npsu ? s->npsu : 1) * sizeof **rank);
    *corder = malloc((s->ncell ? s->ncell : 1) * sizeof **corder);
    int32_t st = (!porder || !*rank || !*corder) ? socind__fail(SOCIND_ERR_NOMEM, "out of memory")
                                                 : SOCIND_OK;
    if (!st) st = sort_pairs(s->npsu, s->p_stratum, NULL, s->p_id, NULL, porder);
    if (!st) st = pseudo_design(s, porder, d);
    if (!st) {
        for (size_t r = 0; r < s->npsu; r++) (*rank)[porder[r]] = (*d)->row_psu[r];
        st = socind__state_sort_cells(s, *rank, *corder);
    }
    free(porder);
    if (st) {
        socind_design_free(*d);
        free(*rank), free(*corder);
        *d = NULL, *rank = NULL, *corder = NULL;
    }
    return st;
}

int32_t socind_state_finish(const socind_state *s, const socind_options *opts, socind_estimate *out,
                            size_t n_out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    if (s->prev)
        return socind__fail(SOCIND_ERR_ARG,
                            "a prevalence table's state finishes with socind_state_finish_table");
    const size_t count = socind__state_count(s);
    if (n_out < count)
        return socind__fail(SOCIND_ERR_BUFFER,
                            "the state finishes into %zu estimates; n_out is %zu", count, n_out);
    for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], SOCIND_ERR_NULL);
    socind_options o;
    int32_t st = socind__resolve_options(opts, &o);
    if (!st && s->sp.estimator == SOCIND_STATE_PROPORTION && o.prop_ci == SOCIND_PROP_CI_LIKELIHOOD)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the likelihood interval refits R's glm over the rows: a "
                          "SOCIND_STATE_PROPORTION_LIKELIHOOD state makes that fit in two "
                          "passes (a proportion's state gives every other prop_ci)");
    if (!st && s->pass < s->passes)
        st = socind__fail(SOCIND_ERR_ARG, "the state is in pass %d of %d: finish the last pass's",
                          (int)s->pass, (int)s->passes);
    if (!st && s->npsu == 0) st = socind__fail(SOCIND_ERR_EMPTY, "no row was added to the state");
    if (!st && s->fit) st = socind__fit_check(s);
    if (!st && s->rank) return socind__rank_finish(s, &o, out, count);
    int32_t *porder = NULL, *rank = NULL, *corder = NULL;
    socind_design *d = NULL;
    if (!st) {
        porder = malloc(s->npsu * sizeof *porder);
        rank = malloc(s->npsu * sizeof *rank);
        corder = malloc((s->ncell ? s->ncell : 1) * sizeof *corder);
        if (!porder || !rank || !corder) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    if (!st) st = sort_pairs(s->npsu, s->p_stratum, NULL, s->p_id, NULL, porder);
    if (!st) st = pseudo_design(s, porder, &d);
    if (!st) {
        /* the pseudo-design's dense PSU of each state PSU */
        for (size_t r = 0; r < s->npsu; r++) rank[porder[r]] = d->row_psu[r];
        st = socind__state_sort_cells(s, rank, corder);
    }
    if (!st) st = socind__state_finish_on(s, d, rank, corder, &o, out);
    if (st)
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    socind_design_free(d);
    free(porder), free(rank), free(corder);
    return st;
}
