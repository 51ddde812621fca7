/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_relative.c — partial states of the poverty estimates against a
 * relative line (socind/state.h): FGT, the number of poor, the gap total,
 * the mean shortfall, Watts, the FGT and Watts decompositions and the
 * poverty profile against
 * fraction × a quantile (SOCIND_LINE_RELATIVE_QUANTILE: two passes, the
 * window pass below, or three) or fraction × the mean
 * (SOCIND_LINE_RELATIVE_MEAN, two passes), in bounded memory.
 *
 * A state carries the line's own state (a POVERTY_LINE state of the same
 * design, no domains: the quantile's histogram, bucket rows and per-PSU
 * Σw, Σw·1[y <= Q] — or Σw, Σw·y for a mean line — state_rank.c) and, per
 * domain slot (each domain, and a last slot for every row), the moments
 * N̂, μ̂, Σw·(y − μ̂)² of the rows with an income and a positive weight and
 * their smallest and largest (pass 1: the bandwidths σ̂/N̂^(1/5) of
 * density.c). Once the line z = fraction·Q
 * (or fraction·μ̂) is exact — after pass 2 of a quantile line, pass 1 of a
 * mean line — the last pass adds per (PSU, domain) cell the estimator's
 * sums against z (those of an absolute line z: state_internal.h's terms)
 * and per domain slot the kernel sum at z with the slot's bandwidth, the
 * derivatives of the poor's sums in z (Σ_poor w, Σ_poor w·α·g^(α−1)·y/z,
 * as poverty.c's rows add them) and, for every row, the kernel sum at Q
 * with the whole sample's bandwidth. Finishing makes the line's influence
 * by PSU (poverty_line.c's Z: −fraction·Σw(1[y <= Q] − p)/(N̂·f̂(Q)), or
 * fraction·Σw(y − μ̂)/N̂), the derivative of each total in the line (the
 * density N̂_d·f̂_d(z) for the poor's weight, the sums above for the others)
 * and runs state.c's finishing with the term coef·Z in every domain's
 * linearized variable, over every stratum (poverty.c's basis).
 *
 * The window pass (a quantile line; the estimators whose sums against z
 * split: splits()): after pass 1 the line's quantile lies in a known
 * bucket, so z lies in [zl, zh], fraction times its bounds. Pass 2 then
 * sums per cell, over its rows below zl, what the terms against z are
 * made of without z (CS), per domain those rows' parts of the
 * derivatives (DP) and its kernel moments about the window's centre; it
 * keeps the rows in the window. Merged, it stands for the pass 3 it
 * replaces (window_as_pass3): the kernel sums at z and Q follow from the
 * series (state_rank.c's), the line's cells from its bucket's rows; where
 * a series is not exact, pass 3 runs as before.
 *
 * The median income of the poor and the relative median gap (convey's
 * svypoormed, svyrmpg; poverty_median.c) take two passes: pass 1 adds to
 * the line's and the moments each domain's histogram (the state's own
 * plan, state_rank.c's); the median m of a domain's poor lies at ½ of its
 * weight at or below z, which for any z in the window lies between its
 * weight in the buckets below zl's and in those up to zh's, so m lies in a
 * range of its buckets known after pass 1 (socind__rank_poor_plan). Pass
 * 2, the window pass (median_window_add), keeps the rows in the window and
 * in their domain's range, sums per cell Σw below zl and below its
 * domain's range, per domain the weight below zl (and of income != 0) and
 * the kernel's moments about the window's centre and the range's. Merged,
 * it stands for the last pass (median_as_pass3): z from the line's
 * bucket, each domain's weight at or below z and its median from the kept
 * rows (median_pv), the kernel sums at z, m and Q from the series. Where a
 * series is not exact pass 3 sums them row by row (med_last, with the
 * medians selected); where the window and ranges would hold more rows
 * than the window's budget, five passes as before: the line's quantile in
 * passes 1–2; in passes 3–4 a QUANTILE state at ½ of the rows with y <= z
 * (the others NaN) — its histogram, then its bucket's rows — and each
 * domain's weight of its poor of income != 0; next_pass then selects each
 * domain's m; pass 5 adds the kernel sums at z and m (the domain's
 * bandwidth) and at Q (every row's), the line state's last pass and per
 * cell Σw·1[y <= z], Σw·1[y <= m], from which finish_median forms
 * poverty_median.c's linearized variable. Such a state reuses the slots'
 * last-pass pairs (see NA). */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "socind/poverty.h"
#include "state_internal.h"

#define NM SOCIND__NM /* moments per slot: N̂ (hi, lo), μ̂, M2, Σw·y (hi, lo) */
/* last-pass sums per slot, pairs: the kernel sum at z; the D of totals 1..3
 * (the last slot: the kernel sum at z with its bandwidth (the profile), the
 * D of the rows in no domain (the profile), 0, the kernel sum at Q); the
 * median of the poor's: the kernel sum at z, the kernel sum at the median
 * (pass 5), the weight of the poor of income != 0 (pass 3), 0 (the last
 * slot: 0, 0, 0, the kernel sum at Q) */
#define NA 8
/* a slot's record: NM moments, its bandwidth, NA sums, its smallest and
   largest income */
#define SLOT_BYTES (8u * (NM + 1 + NA + 2))

struct socind__rel {
    socind_state *line; /* the line's own state (POVERTY_LINE) */
    socind_state *med;  /* the median of the poor: its own state (QUANTILE at ½
                           of the poor's incomes; passes 3 and 4), else NULL */
    double *pv;         /* the median of the poor: per domain slot, the weight
                           of its poor of income != 0 (from pass 4 on) and the
                           median of its poor (pass 5); NaN before */
    int32_t G;          /* domain slots: max(1, n_groups), then one for every row */
    double *mom;        /* NM per slot (pass 1) */
    double *h;          /* per slot: its bandwidth (after pass 1; NaN: none) */
    double *acc;        /* NA per slot (the last pass) */
    double *tmp;        /* per slot: a chunk's W (pair), shift, flag, S1, S2,
                           Σw·y (pairs) in pass 1 (moments_chunk) */
    double *mm;         /* per slot: the smallest and largest income of its
                           rows with a value and a positive weight (pass 1;
                           +inf, −inf without; −0 below +0) — equal: no
                           bandwidth, exactly as density.c finds it */
    double z, Q;        /* the line and its quantile (last pass; NaN before) */
    /* the window pass (pass 2 of two: window_pass): zl <= z <= zh for every
       quantile Q its line's bucket holds (socind__rank_line_window), NaN in
       every other pass; per cell CS pairs over its rows below zl (cs, for
       ncs cells: grown as cells come); per domain slot DP pairs (dp) and
       the kernel's moments about the window's centre with the slot's
       bandwidth (km: SOCIND__KM pairs); the rows in [zl, zh] are kept
       (state_rank.c's rows) */
    double zl, zh;
    double *cs, *dp, *km;
    size_t ncs, cscap;
};

/* A window pass's sums per cell, pairs: Σw of every row not kept; over its
 * rows y < zl, with e = (zl − y)·sc (sc: window_scale): Σw, Σw·e, Σw·e²,
 * Σw·log(zl/y) (Watts) — terms no larger than the rows' own against z >=
 * zl */
#define CS 5
/* per domain slot, pairs: over its rows y < zl, Σw, Σw·y, Σw·e·y */
#define DP 3
#define KMS SOCIND__KM
/* A general α (FGT and its decomposition with α not 0, 1 or 2, at most
 * SMAX: the series mode). The window keeps the rows down to zs = zl −
 * SK·(zh − zl); for each row below, z − y = (zl − y) + d with d = z − zl
 * in [0, zh − zl], so (z − y)^α = Σ_n C(α, n)·d^n·(zl − y)^(α − n), each
 * term within SK^−n of the first. Per cell (CSB pairs): Σw of every row
 * not kept; over its rows y < zs, Σw, Σw·e, and T_n = Σw·e^α·v^n for n <
 * NS (e = (zl − y)·sc, v = SK·(zh − zl)·sc/e <= 1); per slot (DPB pairs):
 * Σw, Σw·y, U_n = Σw·y·sc·e^(α−1)·v^n (a row of weight 0 whose e^α
 * overflows makes them NaN, as its 0·inf makes the in-memory call's sums:
 * SOCIND_ERR_OVERFLOW in both). Above SMAX the
 * rounding of e^α, amplified α times, may reach 1e−13 of the in-memory
 * call's figures: pass 3 then. */
#define SK 16
#define NS 16
#define CSB (3 + NS)
#define DPB (2 + NS)
#define SMAX 64.0
/* The median of the poor's window pass (median_window_add): per cell, pairs,
 * Σw over its rows below zl and over its rows below its domain's range; per
 * domain slot the kernel's moments about the window's centre and about its
 * range's centre (2·KMS pairs). */
#define CSM 2

static const double ISQ2PI = 0.398942280401432677939946059934;

static int quantile_line(const socind_state *s) {
    return s->sp.line_type == SOCIND_LINE_RELATIVE_QUANTILE;
}
static int poor_median(const socind_state *s) {
    return socind__state_is_poor_median(s->sp.estimator);
}

/* The line's own spec: the same design, no domains. */
static socind_state *line_state(const socind_state_spec *o) {
    socind_state_spec in, sp;
    socind_state_spec_init(&in);
    in.estimator = SOCIND_STATE_POVERTY_LINE;
    in.has_strata = o->has_strata, in.has_psu = o->has_psu, in.has_fpc = o->has_fpc;
    in.lonely_psu = o->lonely_psu, in.nest = o->nest;
    in.line_type = o->line_type, in.line = o->line, in.p = o->p;
    if (socind__state_spec_resolve(&in, &sp)) {
        socind__clear_detail();
        return NULL;
    }
    return socind__state_alloc(&sp);
}

/* The median of the poor's own spec: a QUANTILE at ½ of the same design
 * and domains. */
static int med_spec(const socind_state_spec *o, socind_state_spec *sp) {
    socind_state_spec in;
    socind_state_spec_init(&in);
    in.estimator = SOCIND_STATE_QUANTILE;
    in.n_groups = o->n_groups;
    in.has_strata = o->has_strata, in.has_psu = o->has_psu, in.has_fpc = o->has_fpc;
    in.lonely_psu = o->lonely_psu, in.nest = o->nest;
    in.p = 0.5;
    if (socind__state_spec_resolve(&in, sp)) {
        socind__clear_detail();
        return 0;
    }
    return 1;
}

/* The FGT family's measures whose terms are FGT's (the poverty profile's
 * cells sum FGT's terms by group). */
static int fgt_like(int32_t est) {
    return est == SOCIND_STATE_FGT || est == SOCIND_STATE_FGT_DECOMPOSITION ||
           est == SOCIND_STATE_POVERTY_PROFILE;
}
/* The estimator whose window sums and derivatives est's are (the profile's:
 * FGT's; its whole sample's in the last slot). */
static int32_t window_est(int32_t est) {
    return est == SOCIND_STATE_POVERTY_PROFILE ? SOCIND_STATE_FGT : est;
}

/* Whether the estimate's sums against z split at a point c <= z into sums
 * of the rows below c that do not need z (so that a relative quantile
 * line's takes two passes: the window pass's): every measure of the FGT
 * family (a general α through the series mode, up to SMAX), the number of
 * poor, the gap total, the mean shortfall, Watts, both decompositions and
 * the poverty profile (its whole sample's density at z from the kernel's
 * moments of every row, in the last slot). */
static int splits(const socind_state_spec *sp) {
    const int32_t e = sp->estimator;
    return sp->line_type == SOCIND_LINE_RELATIVE_QUANTILE &&
           ((e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION) ||
            e == SOCIND_STATE_POVERTY_PROFILE) &&
           !(fgt_like(e) && sp->alpha > SMAX);
}

/* Whether pass 2 may be a window pass: where the estimate's sums split,
 * and the median of the poor's (its window and its domains' ranges). */
static int windowed(const socind_state_spec *sp) {
    return splits(sp) || socind__state_is_poor_median(sp->estimator);
}

/* Whether the window pass takes its general α's series (above). */
static int series_mode(const socind_state_spec *sp) {
    const double a = sp->alpha;
    return fgt_like(sp->estimator) && !(a == 0.0 || a == 1.0 || a == 2.0);
}
/* The window pass's pairs a cell (CS or CSB) and a domain slot (DP or
 * DPB). */
static size_t cs_pairs(const socind_state_spec *sp) {
    return socind__state_is_poor_median(sp->estimator) ? CSM : series_mode(sp) ? CSB : CS;
}
static size_t dp_pairs(const socind_state_spec *sp) {
    return socind__state_is_poor_median(sp->estimator) ? 0 : series_mode(sp) ? DPB : DP;
}
/* Its kernel moments' pairs a domain slot. */
static size_t km_pairs(const socind_state_spec *sp) {
    return socind__state_is_poor_median(sp->estimator) ? 2 * KMS : KMS;
}

static void rel_free(struct socind__rel *r) {
    if (!r) return;
    socind_state_free(r->line);
    socind_state_free(r->med);
    free(r->mom), free(r->h), free(r->acc), free(r->pv), free(r->mm), free(r->tmp);
    free(r->cs), free(r->dp), free(r->km);
    free(r);
}

static struct socind__rel *rel_alloc(const socind_state_spec *sp, int with_line) {
    struct socind__rel *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->G = (sp->n_groups > 0 ? sp->n_groups : 1) + 1;
    const size_t G = (size_t)r->G;
    r->mom = calloc(NM * G, sizeof *r->mom);
    r->h = malloc(G * sizeof *r->h);
    r->acc = calloc(NA * G, sizeof *r->acc);
    r->mm = malloc(2 * G * sizeof *r->mm);
    r->tmp = calloc(10 * G, sizeof *r->tmp);
    r->z = r->Q = r->zl = r->zh = NAN;
    const int sp2 = windowed(sp);
    if (sp2)
        r->dp = calloc(2 * dp_pairs(sp) * G + 1, sizeof *r->dp),
        r->km = calloc(2 * km_pairs(sp) * G, sizeof *r->km);
    const int pm = socind__state_is_poor_median(sp->estimator);
    if (pm) r->pv = malloc(2 * G * sizeof *r->pv);
    if (with_line) r->line = line_state(sp);
    if (!r->mom || !r->h || !r->acc || !r->mm || !r->tmp || (with_line && !r->line) ||
        (pm && !r->pv) || (sp2 && (!r->dp || !r->km))) {
        rel_free(r);
        return NULL;
    }
    for (size_t g = 0; g < G; g++)
        r->h[g] = NAN, r->mm[2 * g] = INFINITY, r->mm[2 * g + 1] = -INFINITY;
    for (size_t j = 0; pm && j < 2 * G; j++) r->pv[j] = NAN;
    return r;
}

int socind__rel_new(socind_state *s) {
    s->rel = rel_alloc(&s->sp, 1);
    if (!s->rel) return 0;
    s->passes = quantile_line(s) && !windowed(&s->sp) ? 3 : 2;
    return 1;
}

void socind__rel_free(socind_state *s) {
    rel_free(s->rel);
    s->rel = NULL;
}

/* Whether s's line is known: a quantile line's pass 3, a mean line's pass
 * 2; the median of the poor's passes 3 to 5 (3: its pass 3 of three). */
static int line_known(const socind_state *s) {
    return poor_median(s) ? s->pass >= 3 : s->pass == (quantile_line(s) ? 3 : 2);
}
/* Whether s is in a window pass (pass 2 of a quantile line's two). */
static int window_pass(const socind_state *s) {
    return !isnan(s->rel->zl);
}
/* The window's centre, about which its kernel moments are taken. */
static double window_centre(const struct socind__rel *r) {
    return 0.5 * r->zl + 0.5 * r->zh;
}
/* The lowest income the window keeps: zl, or zs in the series mode. */
static double window_low(const socind_state *s) {
    const struct socind__rel *r = s->rel;
    return series_mode(&s->sp) ? r->zl - SK * (r->zh - r->zl) : r->zl;
}
/* The scale of a window's differences zl − y: 1/max(|zl|, |zh|) (1 where
 * that is 0 or not finite), so that their squares keep their digits at
 * any income scale (the rows' own terms against z are of (z − y)/z). */
static double window_scale(const struct socind__rel *r) {
    const double m = fmax(fabs(r->zl), fabs(r->zh)), sc = 1.0 / m;
    return m > 0.0 && isfinite(sc) ? sc : 1.0;
}
/* Room for s's window sums of its ncell cells (those new zero); 0 when out
 * of memory. */
static int cs_grow(socind_state *s) {
    struct socind__rel *r = s->rel;
    if (!window_pass(s) || r->ncs >= s->ncell) return 1;
    const size_t n = cs_pairs(&s->sp);
    if (s->ncell > r->cscap) {
        size_t cap = r->cscap ? r->cscap : 64;
        while (cap < s->ncell) cap *= 2;
        if (!socind__state_grow((void **)&r->cs, 2 * n * sizeof *r->cs, cap)) return 0;
        r->cscap = cap;
    }
    memset(r->cs + 2 * n * r->ncs, 0, 2 * n * (s->ncell - r->ncs) * sizeof *r->cs);
    r->ncs = s->ncell;
    return 1;
}
/* The median of the poor's passes 3 and 4 of five: those of its own
 * state. */
static int med_pass(const socind_state *s) {
    return poor_median(s) && s->passes == 5 && (s->pass == 3 || s->pass == 4);
}
/* Whether the line's state took this pass's rows (socind__rel_line_add):
 * a quantile line's every pass but the median of the poor's 3 and 4 of
 * five (a mean line's only its first, and its state is no histogram's). */
static int line_fed(const socind_state *s) {
    return s->rel->line && quantile_line(s) && !med_pass(s);
}
/* The median of the poor's last pass that sums row by row: 3 of three or
 * 5 of five. */
static int med_last(const socind_state *s) {
    return poor_median(s) && s->pass >= 3 && s->pass == s->passes;
}
/* The pass of s's line state: a quantile line's takes passes 1 to 3 (the
 * median of the poor's: its passes 1, 2 and 5), a mean line's its one. */
static int32_t line_pass(const socind_state *s) {
    return !quantile_line(s) ? 1 : s->pass < 3 ? s->pass : 3;
}

/* The median of the poor: its own state takes the chunk with NaN for
 * every income above the line. */
static int32_t med_add(socind_state *s, const socind_chunk *c) {
    struct socind__rel *r = s->rel;
    double *y = malloc(c->n * sizeof *y);
    if (!y) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++) y[i] = c->y[i] <= r->z ? c->y[i] : NAN;
    socind_chunk mc = *c;
    mc.y = y, mc.y2 = NULL;
    int32_t st = socind_state_add(r->med, &mc);
    free(y);
    return st;
}

int32_t socind__rel_line_add(socind_state *s, const socind_chunk *c) {
    struct socind__rel *r = s->rel;
    if (med_pass(s)) return med_add(s, c);
    if (!cs_grow(s)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    /* the line's state takes every pass of a quantile line (the median of
       the poor: passes 1, 2 and 5), the first of a mean line (its one) */
    if (!quantile_line(s) && s->pass > 1) return SOCIND_OK;
    socind_chunk lc = *c;
    lc.group = NULL, lc.y2 = NULL;
    int32_t st = socind_state_add(r->line, &lc);
    return st;
}

static int same_plan(const struct socind__rel *a, const struct socind__rel *b) {
    const size_t G = (size_t)a->G;
    return a->G == b->G && !memcmp(a->mom, b->mom, NM * G * sizeof *a->mom) &&
           !memcmp(a->mm, b->mm, 2 * G * sizeof *a->mm) && !memcmp(a->h, b->h, G * sizeof *a->h) &&
           !memcmp(&a->z, &b->z, sizeof a->z) && !memcmp(&a->Q, &b->Q, sizeof a->Q) &&
           !memcmp(&a->zl, &b->zl, sizeof a->zl) && !memcmp(&a->zh, &b->zh, sizeof a->zh) &&
           (!a->pv || !memcmp(a->pv, b->pv, 2 * G * sizeof *a->pv));
}

int32_t socind__rel_merge_prepare(socind_state *into, const socind_state *from) {
    struct socind__rel *a = into->rel;
    const struct socind__rel *b = from->rel;
    if (into->pass > 1 && (!same_plan(a, b) || (window_pass(into) && poor_median(into) &&
                                                !socind__rank_same_ranges(into, from))))
        return socind__fail(SOCIND_ERR_MISMATCH,
                            "the states of pass %d were prepared from different merged states "
                            "of pass %d",
                            (int)into->pass, (int)into->pass - 1);
    return SOCIND_OK;
}

int32_t socind__rel_merge_line(socind_state *into, const socind_state *from) {
    if (med_pass(into)) return socind_state_merge(into->rel->med, from->rel->med);
    if (!quantile_line(into) && into->pass > 1) return SOCIND_OK; /* the line is carried */
    if (!cs_grow(into)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    return socind_state_merge(into->rel->line, from->rel->line);
}

static inline void dd2(double *p, double x) {
    socind__dd_add(&p[0], &p[1], x);
}

/* Σ as a double of a pair. */
static double dd_val(const double *p) {
    return p[0] + p[1];
}

/* Whether a is below b in the order −inf < ... < −0 < +0 < ... < +inf
 * (so that the smallest and largest do not depend on the order of the
 * rows or merges). */
static inline int below(double a, double b) {
    return a < b || (a == b && signbit(a) && !signbit(b));
}

/* A slot's moments (NM doubles): N̂ = Σw (a pair), the mean μ̂, M2 =
 * Σw·(y − μ̂)², and Σw·y (a pair, each product's rounding error kept: a
 * mean line's μ̂ = Σw·y/N̂) — μ̂ and M2 merged by Chan, Golub and LeVeque's
 * update, which adds no cancellation: the variance keeps its digits
 * however close the incomes are to each other, and is exactly 0 where
 * they are all equal. */
static double mean_of(const double *m) { /* Σw·y/N̂ */
    return dd_val(m + 4) / dd_val(m);
}
static double weight_of(const double *m) { /* N̂ (+inf where it overflowed: its lo NaN) */
    return socind__pair_value(m[0], m[1]);
}

/* The difference of two slots' means, hi's − lo's, as (Y_h·W_l − Y_l·W_h)/
 * (W_h·W_l) from their pairs N̂ and Σw·y in pairs of doubles (fma): the
 * rounded means differ by about 2^−53 of their size, which their squared
 * difference in M2 would carry where the incomes' spread is small against
 * their level (1e6 + k·2^−30: the bandwidth 2.5e−4 off on three chunks);
 * the rounded means' difference where a product leaves the doubles. */
static double mean_gap(const double *hi, const double *lo) {
    const double p1 = hi[4] * lo[0], p2 = lo[4] * hi[0], den = hi[0] * lo[0];
    /* (products that leave the doubles, or come near their subnormals
       where fma's errors are no longer exact) */
    const double tiny = 0x1p-960;
    if (!isfinite(p1) || !isfinite(p2) || !(den >= tiny) || !(den <= DBL_MAX) ||
        (p1 != 0.0 && fabs(p1) < tiny) || (p2 != 0.0 && fabs(p2) < tiny))
        return hi[2] - lo[2];
    const double e1 = fma(hi[4], lo[0], -p1), e2 = fma(lo[4], hi[0], -p2);
    /* Y_h·W_l − Y_l·W_h: the heads' exact products, then the rest, each
       bracket negated exactly when hi and lo trade places (so that
       mean_gap(lo, hi) is −mean_gap(hi, lo), bit for bit) */
    double s = 0.0, t = 0.0;
    socind__dd_add(&s, &t, p1);
    socind__dd_add(&s, &t, -p2);
    t += (e1 - e2) + ((hi[4] * lo[1] - lo[4] * hi[1]) + (hi[5] * lo[0] - lo[5] * hi[0]));
    return (s + t) / (den + (hi[0] * lo[1] + hi[1] * lo[0]));
}

/* Merges moments b into a: the lower mean taken first, by mean_gap's sign
 * where it is not 0 (the same bits whichever is a), equal means moving
 * nothing. */
static void moments_merge(double *a, const double *b) {
    const double Wb = weight_of(b), Wa = weight_of(a);
    if (!(Wb > 0.0)) return;
    if (!(Wa > 0.0)) {
        memcpy(a, b, NM * sizeof *a);
        return;
    }
    const double *lo = a, *hi = b;
    double wl = Wa, wh = Wb;
    if (below(b[2], a[2])) lo = b, hi = a, wl = Wb, wh = Wa;
    double d = mean_gap(hi, lo);
    if (d < 0.0) { /* (means that round alike, or the other way) */
        const double *t = lo;
        lo = hi, hi = t, d = -d;
        const double u = wl;
        wl = wh, wh = u;
    }
    const double W = Wa + Wb;
    const double mean = d == 0.0 ? lo[2] : lo[2] + d * (wh / W);
    const double M2 = (lo[3] + hi[3]) + (d == 0.0 ? 0.0 : d * d * (wl * (wh / W)));
    double e = 0.0, wlo = a[1] + b[1];
    socind__dd_add(&a[0], &e, b[0]);
    a[1] = wlo + e;
    a[2] = mean, a[3] = M2;
    double f = 0.0, ylo = a[5] + b[5];
    socind__dd_add(&a[4], &f, b[4]);
    a[5] = ylo + f;
}

void socind__moments_merge(double *mom, double *mm, const double *bmom, const double *bmm) {
    moments_merge(mom, bmom);
    if (below(bmm[0], mm[0])) mm[0] = bmm[0];
    if (below(mm[1], bmm[1])) mm[1] = bmm[1];
}

SOCIND__TEST_SWITCH_DEFINE(socind__moments_visits);

/* Row i's slot: for k = 0 its domain's (the only one without domains), for
 * k = 1 every row's (all); −1 where that slot is not kept. */
static inline int32_t row_slot(const socind_chunk *c, size_t i, int k, int grouped, int32_t all,
                               int32_t nslots) {
    const int32_t slot = k ? all : grouped ? c->group[i] : 0;
    return slot >= 0 && slot < nslots ? slot : -1;
}

void socind__moments_chunk(double *tmp, double *mom, double *mm, int32_t nslots,
                           const socind_chunk *c, int grouped, int32_t all) {
    for (size_t i = 0; i < c->n; i++) {
        const double w = c->weight[i], y = c->y[i];
        if (isnan(y) || !(w > 0.0)) continue;
        for (int k = 0; k < 2; k++) {
            const int32_t slot = row_slot(c, i, k, grouped, all, nslots);
            if (slot < 0) continue;
            double *u = tmp + 10 * (size_t)slot, *x = mm + 2 * (size_t)slot;
            if (u[3] == 0.0) u[2] = y, u[3] = 1.0;
            const double d = y - u[2], p = w * y;
            dd2(u, w);
            dd2(u + 4, w * d);
            dd2(u + 6, w * d * d);
            dd2(u + 8, p);
            u[9] += fma(w, y, -p); /* Σw·y with each product's error */
            if (below(y, x[0])) x[0] = y;
            if (below(x[1], y)) x[1] = y;
        }
    }
    /* a slot whose first income lies far from its mean (socind__shift_far:
       1e100 first among incomes near 1e4) has its sums taken again about
       that mean, by a second pass over the chunk's rows; the slots are
       found from the rows, not by walking every slot, so that a chunk costs
       its rows whatever the number of domains */
    int again = 0;
    for (size_t i = 0; i < c->n; i++) {
        for (int k = 0; k < 2; k++) {
            const int32_t slot = row_slot(c, i, k, grouped, all, nslots);
            if (slot < 0) continue;
            double *u = tmp + 10 * (size_t)slot;
            if (u[3] != 1.0) continue; /* (untouched, or already taken again) */
            const double W = weight_of(u), S1 = u[4] + u[5], S2 = u[6] + u[7];
            if (!socind__shift_far(W, S1, S2)) continue;
            u[2] += S1 / W, u[3] = 2.0, again = 1;
            u[4] = u[5] = u[6] = u[7] = 0.0;
        }
    }
    for (size_t i = 0; again && i < c->n; i++) {
        const double w = c->weight[i], y = c->y[i];
        if (isnan(y) || !(w > 0.0)) continue;
        for (int k = 0; k < 2; k++) {
            const int32_t slot = row_slot(c, i, k, grouped, all, nslots);
            if (slot < 0 || tmp[10 * (size_t)slot + 3] != 2.0) continue;
            double *u = tmp + 10 * (size_t)slot;
            const double d = y - u[2];
            dd2(u + 4, w * d);
            dd2(u + 6, w * d * d);
        }
    }
    /* each slot the chunk touched, once (its scratch is zeroed as it is
       merged; each slot's merge stands alone: the same bits in any order
       of slots) */
    for (size_t i = 0; i < c->n; i++) {
        for (int k = 0; k < 2; k++) {
            const int32_t slot = row_slot(c, i, k, grouped, all, nslots);
            if (slot < 0) continue;
            double *u = tmp + 10 * (size_t)slot;
            SOCIND__TEST_RECORD(socind__moments_visits, socind__moments_visits + 1);
            if (u[3] == 0.0) continue;
            const double W = weight_of(u), S1 = u[4] + u[5], S2 = u[6] + u[7];
            const double M2 = S2 - S1 * (S1 / W);
            /* (M2 NaN where a chunk's Σw·d² overflowed: no bandwidth then) */
            const double m[NM] = {u[0], u[1], u[2] + S1 / W, M2 > 0.0 || isnan(M2) ? M2 : 0.0,
                                  u[8], u[9]};
            moments_merge(mom + NM * (size_t)slot, m);
            memset(u, 0, 10 * sizeof *u);
        }
    }
}

/* Pass 1: a chunk's rows into its slots' moments and extremes (each domain's
 * slot and the last, every row's). */
static void moments_chunk(struct socind__rel *r, const socind_chunk *c, int grouped) {
    socind__moments_chunk(r->tmp, r->mom, r->mm, r->G, c, grouped, r->G - 1);
}

/* The median of the poor's passes 3 and 5 of five, and 3 of three (pass
 * 1: the moments, as the others', and the histogram): pass 3 of five sums
 * each domain's weight of its poor of income != 0; the last (med_last)
 * the kernel sums (each domain's at z and at its poor's median, with its
 * bandwidth; every row's at Q) and per cell Σw·1[y <= z] and Σw·1[y <=
 * the median]. */
static void med_sums(socind_state *s, const socind_chunk *c, const int32_t *ci,
                     const unsigned char *use) {
    struct socind__rel *r = s->rel;
    const int32_t G1 = r->G - 1;
    const int grouped = s->sp.n_groups > 0;
    const double z = r->z;
    if (s->passes == 5 && s->pass == 3) {
        for (size_t i = 0; i < c->n; i++) {
            const double w = c->weight[i], y = c->y[i];
            const int32_t g = grouped ? c->group[i] : 0;
            if (g >= 0 && w > 0.0 && y <= z && y != 0.0) dd2(r->acc + NA * (size_t)g + 4, w);
        }
        return;
    }
    if (!med_last(s)) return;
    const double ihG = 1.0 / r->h[G1];
    for (size_t i = 0; i < c->n; i++) {
        const double w = c->weight[i], y = c->y[i];
        if (isnan(y)) continue;
        if (w > 0.0) {
            const int32_t g = grouped ? c->group[i] : 0;
            if (g >= 0) {
                const double ih = 1.0 / r->h[g], tz = (z - y) * ih;
                const double tm = (r->pv[2 * (size_t)g + 1] - y) * ih;
                dd2(r->acc + NA * (size_t)g, w * exp(-0.5 * tz * tz));
                dd2(r->acc + NA * (size_t)g + 2, w * exp(-0.5 * tm * tm));
            }
            const double tq = (r->Q - y) * ihG;
            dd2(r->acc + NA * (size_t)G1 + 6, w * exp(-0.5 * tq * tq));
        }
        const int32_t k = ci[i];
        if (k < 0 || use[i] != SOCIND__ROW_USED) continue;
        double *sum = s->c_sum + (size_t)k * 4;
        if (y <= z) socind__dd_add(&sum[0], &sum[1], w);
        if (y <= r->pv[2 * (size_t)s->c_group[k] + 1]) socind__dd_add(&sum[2], &sum[3], w);
    }
}

/* A poor row's (w, y) derivatives in z into its domain's D (acc + 2: the
 * pairs D1, D2, D3 — poverty.c's component rows). */
static void add_d(int32_t est, double alpha, double *D, double w, double y, double z) {
    const double gz = (z - y) / z;
    switch (est) {
    case SOCIND_STATE_FGT:
    case SOCIND_STATE_POVERTY_PROFILE:
        /* a row at the line as poverty.c counts it: y/z at α = 1 */
        if (alpha > 0.0 && (alpha >= 1.0 || y != z))
            dd2(D, w * alpha * pow(gz, alpha - 1.0) * (y / z));
        break;
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
    case SOCIND_STATE_MEAN_SHORTFALL:
    case SOCIND_STATE_WATTS:
        dd2(D, w);
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION:
        dd2(D + 2, w * (y / z)); /* α = 1: α·g^0 = 1, at the line too */
        dd2(D + 4, w * alpha * pow(gz, alpha - 1.0) * (y / z)); /* α > 1: 0 there */
        break;
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        dd2(D, w);
        dd2(D + 4, w * (y / z)); /* P1's: a row at the line too */
        break;
    default:
        break;
    }
}

/* Whether a window [lo, zh] keeps a row of weight w and income y. */
static inline int in_window(double lo, double zh, double w, double y) {
    return w > 0.0 && y >= lo && y <= zh;
}

/* Whether s's window pass keeps a row of domain g >= 0, weight w and
 * income y: in its window, or (the median of the poor) of a positive
 * weight in its domain's range. */
static int keeps(const socind_state *s, int32_t g, double w, double y) {
    return in_window(window_low(s), s->rel->zh, w, y) ||
           (poor_median(s) && w > 0.0 && !isnan(y) && socind__rank_poor_where(s, g, y) == 0);
}

size_t socind__rel_reserve(const socind_state *s, const socind_chunk *c) {
    if (!window_pass(s)) return 0;
    const int grouped = s->sp.n_groups > 0;
    const int all = socind__state_keeps_ungrouped(s->sp.estimator); /* (the profile) */
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        int32_t g = grouped ? c->group[i] : 0;
        if (g < 0 && all) g = s->sp.n_groups;
        n += g >= 0 && g < s->rel->G && keeps(s, g, c->weight[i], c->y[i]);
    }
    return n;
}

int socind__rel_keeps(const socind_state *s, int32_t g, double w, double y) {
    return window_pass(s) && keeps(s, g, w, y);
}

/* The window pass: each domain's kernel moments about the window's centre
 * (its rows of positive weight), each cell's sums over its rows below the
 * window (CS, or CSB in the series mode) and each domain's (DP, DPB); the
 * rows in the window kept. */
static void window_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                       const unsigned char *use) {
    struct socind__rel *r = s->rel;
    const int grouped = s->sp.n_groups > 0;
    const double zl = r->zl, zh = r->zh, cz = window_centre(r), sc = window_scale(r);
    const int watts = s->sp.estimator == SOCIND_STATE_WATTS ||
                      s->sp.estimator == SOCIND_STATE_WATTS_DECOMPOSITION;
    const int series = series_mode(&s->sp);
    const size_t ncs = cs_pairs(&s->sp), ndp = dp_pairs(&s->sp);
    const double lo = window_low(s), alpha = s->sp.alpha, kw = SK * (zh - zl) * sc;
    const int32_t G1 = r->G - 1;
    const int profile = s->sp.estimator == SOCIND_STATE_POVERTY_PROFILE;
    for (size_t i = 0; i < c->n; i++) {
        const double w = c->weight[i], y = c->y[i];
        if (isnan(y)) continue;
        const int32_t g = grouped ? c->group[i] : 0;
        if (w > 0.0 && g >= 0) /* as the kernel sums at z take it (rel_add) */
            socind__kernel_moments_add(r->km + 2 * KMS * (size_t)g, w, (cz - y) * (1.0 / r->h[g]));
        if (w > 0.0 && profile) /* the whole sample's, with its bandwidth */
            socind__kernel_moments_add(r->km + 2 * KMS * (size_t)G1, w,
                                       (cz - y) * (1.0 / r->h[G1]));
        const int32_t k = ci[i];
        if (k < 0 || use[i] != SOCIND__ROW_USED) continue;
        double *cs = r->cs + 2 * ncs * (size_t)k;
        if (in_window(lo, zh, w, y)) {
            socind__rank_keep(s, c, i); /* (its sums at finishing) */
            continue;
        }
        dd2(cs, w);
        if (!(y < lo)) continue;
        const double e = (zl - y) * sc;
        double *dp = r->dp + 2 * ndp * (size_t)s->c_group[k];
        dd2(cs + 2, w);
        dd2(cs + 4, w * e);
        dd2(dp, w);
        dd2(dp + 2, w * y);
        if (series) {
            const double v = kw / e;
            double t = w * pow(e, alpha), u = w * (y * sc) * pow(e, alpha - 1.0);
            for (int n = 0; n < NS; n++, t *= v, u *= v) {
                dd2(cs + 6 + 2 * n, t);
                dd2(dp + 4 + 2 * n, u);
            }
        } else {
            dd2(cs + 6, w * e * e);
            if (watts) dd2(cs + 8, w * log(zl / y));
            dd2(dp + 4, w * e * y);
        }
    }
}

/* The median of the poor's window pass (pass 2 of two): each domain's
 * kernel moments about the window's centre and about its range's; per
 * cell Σw over its rows below zl and over its rows below its domain's
 * range that it does not keep; per domain, over its rows of positive
 * weight, the weight in the buckets below zl's (acc + 0) and up to zh's
 * (acc + 2) — its range's check —, below zl (acc + 6) and below zl of
 * income != 0 (acc + 4); the rows in the window or in their domain's
 * range kept. */
static void median_window_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                              const unsigned char *use) {
    struct socind__rel *r = s->rel;
    const int grouped = s->sp.n_groups > 0;
    const double zl = r->zl, cz = window_centre(r);
    const int64_t bl = socind__rank_bucket(zl), bh = socind__rank_bucket(r->zh);
    for (size_t i = 0; i < c->n; i++) {
        const double w = c->weight[i], y = c->y[i];
        if (isnan(y)) continue;
        const int32_t g = grouped ? c->group[i] : 0;
        if (w > 0.0 && g >= 0) { /* as the last pass's kernel sums take it (med_sums) */
            double *km = r->km + 4 * KMS * (size_t)g;
            const double ih = 1.0 / r->h[g];
            socind__kernel_moments_add(km, w, (cz - y) * ih);
            socind__kernel_moments_add(km + 2 * KMS, w, (socind__rank_poor_centre(s, g) - y) * ih);
        }
        const int32_t k = ci[i];
        if (k < 0 || use[i] != SOCIND__ROW_USED) continue;
        const int32_t kg = s->c_group[k];
        double *cs = r->cs + 2 * CSM * (size_t)k, *acc = r->acc + NA * (size_t)kg;
        const int keep = keeps(s, kg, w, y);
        if (y < zl) dd2(cs, w);
        if (!keep && socind__rank_poor_where(s, kg, y) < 0) dd2(cs + 2, w);
        if (!(w > 0.0)) continue;
        const int64_t b = socind__rank_bucket(y);
        if (b < bl) dd2(acc, w);
        if (b <= bh) dd2(acc + 2, w);
        if (y < zl) {
            dd2(acc + 6, w);
            if (y != 0.0) dd2(acc + 4, w);
        }
        if (keep) socind__rank_keep(s, c, i); /* (its sums at finishing) */
    }
}

void socind__rel_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                     const unsigned char *use) {
    struct socind__rel *r = s->rel;
    const int32_t G1 = r->G - 1, est = s->sp.estimator;
    const int grouped = s->sp.n_groups > 0;
    if (s->pass == 1) moments_chunk(r, c, grouped); /* the slots' moments */
    if (poor_median(s)) {
        if (s->pass == 1) socind__rank_hist_chunk(s, c, ci, use);
        if (window_pass(s))
            median_window_add(s, c, ci, use);
        else
            med_sums(s, c, ci, use);
        return;
    }
    if (window_pass(s)) {
        window_add(s, c, ci, use);
        return;
    }
    if (!line_known(s)) return;
    /* the cells' sums against z, as an absolute line's */
    socind_state_spec az = s->sp;
    az.line_type = SOCIND_LINE_ABSOLUTE, az.line = r->z;
    const double z = r->z, invz = 1.0 / z, alpha = s->sp.alpha;
    const size_t K = (size_t)s->K;
    const int incl = s->sp.inclusive;
    double t[SOCIND__STATE_KMAX] = {0};
    const double ihG = 1.0 / r->h[G1];
    for (size_t i = 0; i < c->n; i++) {
        const double w = c->weight[i], y = c->y[i];
        if (isnan(y)) continue;
        const int32_t g = grouped ? c->group[i] : 0;
        if (w > 0.0) { /* the kernel sums: the domain's at z, every row's at Q */
            if (g >= 0) {
                const double tz = (z - y) * (1.0 / r->h[g]);
                dd2(r->acc + NA * (size_t)g, w * exp(-0.5 * tz * tz));
            }
            if (quantile_line(s)) {
                const double tq = (r->Q - y) * ihG;
                dd2(r->acc + NA * (size_t)G1 + 6, w * exp(-0.5 * tq * tq));
            }
            if (est == SOCIND_STATE_POVERTY_PROFILE) { /* the whole sample's at z */
                const double tz = (z - y) * ihG;
                dd2(r->acc + NA * (size_t)G1, w * exp(-0.5 * tz * tz));
            }
        }
        const int32_t k = ci[i];
        if (k < 0 || use[i] != SOCIND__ROW_USED) continue;
        socind__state_terms(est, 0, &az, invz, w, y, NAN, t);
        double *sum = s->c_sum + (size_t)k * 2 * K;
        for (size_t j = 0; j < K; j++) socind__dd_add(&sum[2 * j], &sum[2 * j + 1], t[j]);
        /* the poor's derivatives in z (poverty.c's component rows) */
        const int poor = incl ? y <= z : y < z;
        if (poor) add_d(est, alpha, r->acc + NA * (size_t)s->c_group[k] + 2, w, y, z);
    }
}

void socind__rel_merge(socind_state *into, const socind_state *from) {
    struct socind__rel *a = into->rel;
    const struct socind__rel *b = from->rel;
    const size_t G = (size_t)a->G;
    if (into->pass == 1) /* the moments (later: the plan's) */
        for (size_t g = 0; g < G; g++)
            socind__moments_merge(a->mom + NM * g, a->mm + 2 * g, b->mom + NM * g, b->mm + 2 * g);
    socind__dd_merge(a->acc, b->acc, NA * G / 2);
    if (!window_pass(into)) return;
    const size_t ncs = cs_pairs(&into->sp);
    socind__dd_merge(a->dp, b->dp, dp_pairs(&into->sp) * G);
    socind__dd_merge(a->km, b->km, km_pairs(&into->sp) * G);
    for (size_t i = 0; i < from->ncell; i++) { /* from's cell i is into's k (merged) */
        const int32_t fp = from->c_psu[i];
        const int32_t p = into->pmap.val[socind__idmap_slot(
            &into->pmap, socind__state_pkey1(into, from->p_stratum[fp]), from->p_id[fp])];
        const int32_t k = into->cmap.val[socind__idmap_slot(&into->cmap, p, from->c_group[i])];
        socind__dd_merge(a->cs + 2 * ncs * (size_t)k, b->cs + 2 * ncs * i, ncs);
    }
}

/* A slot's bandwidth σ̂/N̂^(1/5), σ̂² = M2/N̂ (density.c's: NaN without a
 * positive weight, when every value is equal — its smallest and largest,
 * mm — and where the moments left the double range: σ̂² not finite, or
 * below the smallest normal double, where its digits are lost). */
double socind__moments_bandwidth(const double *m, const double *mm) {
    const double W = dd_val(m), var = m[3] / W;
    return W > 0.0 && mm[0] != mm[1] && var >= DBL_MIN && isfinite(var) ? sqrt(var) / pow(W, 0.2)
                                                                        : NAN;
}
static double bandwidth(const double *m, const double *mm) {
    return socind__moments_bandwidth(m, mm);
}

int socind__moments_valid(const double *m, const double *mm) {
    const double W = m[0], lo = mm[0], hi = mm[1];
    const int none = W == 0.0 && m[1] == 0.0 && m[2] == 0.0 && m[3] == 0.0 && m[4] == 0.0 &&
                     m[5] == 0.0 && lo == INFINITY && hi == -INFINITY;
    const int some =
        W > 0.0 && isfinite(lo) && isfinite(hi) && !below(hi, lo) && (m[3] >= 0.0 || isnan(m[3]));
    return none || some;
}

/* Why slot g has no bandwidth: SOCIND_OK where it has one; SOCIND_ERR_DATA
 * without rows or where every income is equal; SOCIND_ERR_OVERFLOW where
 * its moments left the double range (incomes beyond about 1e150 or below
 * 1e−150 in magnitude: the states do not rescale them). */
int socind__moments_beyond(const double *mm) {
    return isfinite(mm[0]) && mm[0] != mm[1]; /* (the weight may be NaN then) */
}
static int32_t no_bandwidth(const struct socind__rel *r, size_t g) {
    if (r->h[g] > 0.0) return SOCIND_OK;
    return socind__moments_beyond(r->mm + 2 * g) ? SOCIND_ERR_OVERFLOW : SOCIND_ERR_DATA;
}

/* A copy of the line's state (its bytes read back). */
static socind_state *copy_state(const socind_state *s) {
    size_t len;
    socind_state_to_bytes(s, NULL, 0, &len);
    unsigned char *b = malloc(len);
    socind_state *c = NULL;
    if (b && !socind_state_to_bytes(s, b, len, &len)) socind_state_from_bytes(b, len, &c);
    free(b);
    return c;
}

/* Whether the whole sample's weight sum (the last slot's) left the double
 * range: no share is then defined, so no median of the poor. */
static int sample_weight_beyond(const struct socind__rel *r) {
    return isinf(weight_of(r->mom + NM * ((size_t)r->G - 1)));
}

/* The median of the poor's plan for pass n->pass: its own state made
 * (pass 3) or taken to its pass 2 (pass 4), each domain's weight of its
 * poor of income != 0 (pass 4), each domain's median of its poor selected
 * (pass 5, the median's state then dropped) — none where the whole
 * sample's weight sum left the double range (weights 0, medians NaN). */
static int32_t med_next(const socind_state *m, socind_state *n) {
    const struct socind__rel *r = m->rel;
    struct socind__rel *q = n->rel;
    const size_t G1 = (size_t)r->G - 1;
    /* the whole sample's weight sum beyond the double range: no share, no
       median (as median_pv; finishing says SOCIND_ERR_OVERFLOW) */
    const int beyond = sample_weight_beyond(r);
    memcpy(q->pv, r->pv, 2 * (size_t)r->G * sizeof *q->pv);
    int32_t st = SOCIND_OK;
    if (n->pass == 3) {
        socind_state_spec sp;
        if (!med_spec(&m->sp, &sp))
            st = socind__fail(SOCIND_ERR_ARG, "the median of the poor's own state has no spec");
        else if (!(q->med = socind__state_alloc(&sp)))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    } else if (n->pass == 4) {
        st = socind_state_next_pass(r->med, &q->med);
        if (!st) socind__rank_narrow(q->med);
        for (size_t g = 0; g < G1; g++) q->pv[2 * g] = beyond ? 0.0 : dd_val(r->acc + NA * g + 4);
    } else if (n->pass == 5 && !beyond) {
        double *Q = malloc((G1 ? G1 : 1) * sizeof *Q);
        st = Q ? socind__rank_select(r->med, Q) : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        for (size_t g = 0; !st && g < G1; g++) q->pv[2 * g + 1] = Q[g];
        free(Q);
    }
    return st;
}

static int32_t median_pv(const socind_state *s, double z, double *pv, int *found);
static int32_t not_merged(void);

/* The median of the poor, pass 1 → 2: its window pass where the window's
 * rows and its domains' ranges fit in the window's budget together, else
 * pass 2 of five (n->passes). */
static int32_t median_plan(const socind_state *m, socind_state *n) {
    struct socind__rel *q = n->rel;
    int64_t rows;
    int ranged = 0;
    const int64_t budget = socind__qwin_budget > 0 ? socind__qwin_budget : SOCIND__WINDOW_ROWS;
    int32_t st = SOCIND_OK;
    if (socind__rank_line_window(q->line, m->sp.line, 0.0, &q->zl, &q->zh, &rows) &&
        rows <= budget) {
        st = socind__rank_poor_plan(m, n, q->zl, q->zh, budget - rows, &ranged);
        if (!st && ranged) return SOCIND_OK;
    }
    q->zl = q->zh = NAN, n->passes = 5;
    return st;
}

int32_t socind__rel_next_pass(const socind_state *m, socind_state **next) {
    const struct socind__rel *r = m->rel;
    if (line_fed(m)) { /* (a chunk left out or added twice) */
        const int32_t planned = socind__rank_weights_as_planned(r->line);
        if (planned) return planned;
    }
    socind_state *n = socind__state_alloc(&m->sp);
    if (!n) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    n->pass = m->pass + 1;
    if (poor_median(m)) n->passes = m->passes;
    struct socind__rel *q = n->rel;
    const size_t G = (size_t)r->G;
    memcpy(q->mom, r->mom, NM * G * sizeof *q->mom);
    memcpy(q->mm, r->mm, 2 * G * sizeof *q->mm);
    for (size_t g = 0; g < G; g++) q->h[g] = bandwidth(r->mom + NM * g, r->mm + 2 * g);
    socind_state_free(q->line);
    q->line = NULL;
    int32_t st = SOCIND_OK;
    if (quantile_line(m) && m->pass < 3) {
        st = socind__rank_next_pass(r->line, &q->line); /* (its pass 3 whatever it says) */
        if (!st && n->pass == 3) {
            double Q, N;
            socind__rank_line_q(q->line, &Q, &N);
            q->Q = Q, q->z = m->sp.line * Q;
            if (!poor_median(m)) {
                n->passes = 3;
            } else if (window_pass(m)) { /* its pass 3 of three: the medians */
                int found;
                n->passes = 3;
                st = median_pv(m, q->z, q->pv, &found);
                if (!st && !found) st = not_merged();
            }
        }
        if (!st && n->pass == 2 && poor_median(m)) st = median_plan(m, n);
        if (!st && n->pass == 2 && splits(&m->sp)) {
            /* the window pass where its rows fit, else pass 2 of three */
            int64_t rows;
            const int64_t budget =
                socind__qwin_budget > 0 ? socind__qwin_budget : SOCIND__WINDOW_ROWS;
            const double ext = series_mode(&m->sp) ? SK : 0.0;
            if (!socind__rank_line_window(q->line, m->sp.line, ext, &q->zl, &q->zh, &rows) ||
                rows > budget)
                q->zl = q->zh = NAN, n->passes = 3;
        }
    } else { /* a mean line's state, or the median of the poor's line from pass 3 on */
        q->line = copy_state(r->line);
        if (!q->line) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        if (quantile_line(m)) {
            q->Q = r->Q, q->z = r->z;
        } else {
            q->z = m->sp.line * mean_of(r->mom + NM * (G - 1)); /* fraction × μ̂ */
        }
    }
    if (!st && poor_median(m) && n->passes == 5) st = med_next(m, n);
    if (st) {
        socind_state_free(n);
        return st;
    }
    *next = n;
    return SOCIND_OK;
}

/* ---- the window pass: pass 2 of two ---- */

/* A bound on what the series mode's sums leave out past NS terms, for sums
 * of magnitude 1: Σ_{n >= NS} |C(a, n)|·ρ^n (T_n and |U_n| are at most
 * their first's, v <= 1). */
static double binomial_tail(double a, double rho) {
    double c = 1.0, sum = 0.0;
    for (int n = 0; n < NS + 400; n++) {
        const double t = fabs(c) * pow(rho, n);
        if (n >= NS) {
            sum += t;
            if (n > NS + 8 && t <= 0x1p-80 * sum) break;
        }
        c *= (a - n) / (n + 1);
        if (c == 0.0) break;
    }
    return sum;
}

/* The series mode's ρ = (z − zl)/(SK·(zh − zl)) <= 1/SK. */
static double series_rho(const struct socind__rel *r, double z) {
    const double w = r->zh - r->zl;
    return w > 0.0 ? (z - r->zl) / (SK * w) : 0.0;
}

/* Whether the estimate's linearized variable takes each domain's density
 * at z (finish_on's): else its kernel sums at z are not used. */
static int density_used(const socind_state_spec *sp) {
    switch (sp->estimator) {
    case SOCIND_STATE_FGT:
    case SOCIND_STATE_POVERTY_PROFILE:
        return sp->alpha == 0.0;
    case SOCIND_STATE_POOR_COUNT:
    case SOCIND_STATE_MEAN_SHORTFALL:
    case SOCIND_STATE_FGT_DECOMPOSITION:
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        return 1;
    default:
        return 0;
    }
}

/* Whether the line state's bandwidth h (its plan's: −∞ where the moments
 * left the double range) is the relative part's r (NaN then): the same
 * bits, or neither a bandwidth. */
static int same_bandwidth(double h, double r) {
    return memcmp(&h, &r, sizeof h) == 0 || (!(h > 0.0) && !(r > 0.0));
}

/* s's window pass (merged): its quantile Q (into fig the line's [Q, NaN,
 * h, N̂, NaN]), the line's cells' sums (into lcs where not NULL:
 * socind__rank_line_pass2), the kernel sums at Q (kq, a pair: the line's,
 * with every row's bandwidth) and at z = fraction·Q (kz: a pair per
 * domain, each with its bandwidth), and *exact: 0 where a kernel series
 * the estimate uses is not exact or z is not in the window (pass 3 sums
 * them row by row). */
static int32_t window_kernels(const socind_state *s, double *lcs, double *fig, double *kq,
                              double *kz, int *exact) {
    const struct socind__rel *r = s->rel;
    const int32_t G1 = r->G - 1;
    int32_t st = socind__rank_line_pass2(r->line, lcs, fig, kq, exact);
    if (st) return st;
    const double Q = fig[0], z = s->sp.line * Q, cz = window_centre(r);
    const int dens = density_used(&s->sp);
    /* (the line's bandwidth is every row's: the same rows, moments and
       merges) */
    if (isnan(Q) || !(z >= r->zl && z <= r->zh) || !same_bandwidth(fig[2], r->h[G1])) *exact = 0;
    /* each domain's; the profile's whole sample's too (the last slot) */
    const int32_t slots = s->sp.estimator == SOCIND_STATE_POVERTY_PROFILE ? G1 + 1 : G1;
    for (int32_t g = 0; *exact && g < slots; g++) {
        const double h = r->h[g], W = dd_val(r->mom + NM * (size_t)g);
        double *k = kz + 2 * (size_t)g;
        k[0] = k[1] = 0.0;
        if (!(h > 0.0)) { /* as pass 3 sums them: NaN over rows, else 0 */
            if (W > 0.0) k[0] = NAN;
            continue;
        }
        long double S;
        if (!socind__rank_kernel_series(r->km + 2 * KMS * (size_t)g, cz, z, h, W, &S) && dens)
            *exact = 0;
        socind__dd_add_ld(&k[0], &k[1], S);
    }
    if (*exact && series_mode(&s->sp)) { /* its series against z: within 2^−60 of their sums */
        const double rho = series_rho(r, z), a = s->sp.alpha;
        if (!(binomial_tail(a, rho) <= 0x1p-60) ||
            (a > 0.0 && !(binomial_tail(a - 1.0, rho) <= 0x1p-60)))
            *exact = 0;
    }
    if (socind__force_pass3) *exact = 0;
    return SOCIND_OK;
}

static int32_t median_kernels(const socind_state *s, double *lcs, double *fig, double *kq,
                              double *kz, double *pv, int *exact, int *found);

int32_t socind__rel_passes(const socind_state *s, int32_t *passes) {
    *passes = s->passes;
    if (!window_pass(s)) return SOCIND_OK;
    const struct socind__rel *r = s->rel;
    double fig[5], kq[2], *kz = malloc(4 * (size_t)r->G * sizeof *kz);
    double *pv = malloc(2 * (size_t)r->G * sizeof *pv);
    int exact = 0, found;
    const int32_t st = !kz || !pv       ? socind__fail(SOCIND_ERR_NOMEM, "out of memory")
                       : poor_median(s) ? median_kernels(s, NULL, fig, kq, kz, pv, &exact, &found)
                                        : window_kernels(s, NULL, fig, kq, kz, &exact);
    if (!st && !exact) *passes = 3;
    free(kz), free(pv);
    return st;
}

/* Cell sums cs (CS pairs) below zl as the estimator's K terms against z
 * into t (long double); sc: window_scale. A cell whose sums are all 0 (no
 * such rows, or of weight 0) adds 0 (as the rows' terms masked by their
 * poverty: a line of 0 divides by nothing). */
static void window_terms(int32_t est, double alpha, double zl, double z, double sc,
                         const double *cs, long double *t) {
    const long double W = (long double)cs[0] + cs[1], S0 = (long double)cs[2] + cs[3],
                      S1 = (long double)cs[4] + cs[5], S2 = (long double)cs[6] + cs[7],
                      SL = (long double)cs[8] + cs[9], d = ((long double)z - zl) * sc,
                      zs = (long double)z * sc, lz = z;
    t[0] = W, t[1] = t[2] = t[3] = 0.0L;
    if (S0 == 0.0L && S1 == 0.0L && S2 == 0.0L && SL == 0.0L) return; /* (NaN is not 0) */
    const long double gs = d * S0 + S1;                               /* Σw·(z − y)·sc */
    const long double sq = d * d * S0 + 2.0L * d * S1 + S2;           /* Σw·((z − y)·sc)² */
    const long double gap = gs / sc, gz = gs / zs;  /* Σw·(z − y), Σw·(z − y)/z */
    const long double lg = logl(lz / zl) * S0 + SL; /* Σw·log(z/y) (Watts: zl > 0) */
    const long double pa = alpha == 0.0 ? S0 : alpha == 1.0 ? gz : sq / zs / zs;
    switch (est) {
    case SOCIND_STATE_FGT:
        t[1] = pa;
        break;
    case SOCIND_STATE_POOR_COUNT:
        t[1] = S0;
        break;
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
        t[1] = gap;
        break;
    case SOCIND_STATE_MEAN_SHORTFALL:
        t[1] = gap, t[2] = S0;
        break;
    case SOCIND_STATE_WATTS:
        t[1] = lg;
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION:
        t[1] = S0, t[2] = gz, t[3] = pa;
        break;
    default: /* SOCIND_STATE_WATTS_DECOMPOSITION */
        t[1] = lg, t[2] = S0, t[3] = gz;
        break;
    }
}

/* A domain slot's DP pairs below zl as its derivatives in z (D1, D2, D3:
 * add_d's) into D (pairs); none without such rows. */
static void window_d(int32_t est, double alpha, double zl, double z, double sc, const double *dp,
                     double *D) {
    const long double DW = (long double)dp[0] + dp[1], DY = (long double)dp[2] + dp[3],
                      DYc = (long double)dp[4] + dp[5], d = ((long double)z - zl) * sc,
                      zs = (long double)z * sc, lz = z;
    if (DW == 0.0L && DY == 0.0L && DYc == 0.0L) return;
    /* Σ_poor w·α·g^(α−1)·y/z: α = 1: Σw·y/z; α = 2: 2·Σw·(z − y)·y/z² */
    const long double da = alpha == 1.0 ? DY / lz : 2.0L * ((d * DY + DYc) / zs) / lz;
    switch (est) {
    case SOCIND_STATE_FGT:
        if (alpha > 0.0) socind__dd_add_ld(&D[0], &D[1], da);
        break;
    case SOCIND_STATE_POVERTY_GAP_TOTAL:
    case SOCIND_STATE_MEAN_SHORTFALL:
    case SOCIND_STATE_WATTS:
        socind__dd_add_ld(&D[0], &D[1], DW);
        break;
    case SOCIND_STATE_FGT_DECOMPOSITION:
        socind__dd_add_ld(&D[2], &D[3], DY / lz);
        if (alpha > 0.0) socind__dd_add_ld(&D[4], &D[5], da);
        break;
    case SOCIND_STATE_WATTS_DECOMPOSITION:
        socind__dd_add_ld(&D[0], &D[1], DW);
        socind__dd_add_ld(&D[4], &D[5], DY / lz);
        break;
    default:
        break;
    }
}

/* The series mode's Σ_n C(a, n)·ρ^n·X_n over NS pairs X (long double). */
static long double series_sum(double a, double rho, const double *X) {
    long double c = 1.0L, p = 1.0L, sum = 0.0L;
    for (int n = 0; n < NS; n++) {
        sum += c * p * ((long double)X[2 * n] + X[2 * n + 1]);
        c *= ((long double)a - n) / (n + 1), p *= rho;
    }
    return sum;
}

/* The series mode's cell sums cs (CSB pairs) as FGT's or its
 * decomposition's terms against z into t. */
static void series_terms(int32_t est, double alpha, double z, double sc, double d, double rho,
                         const double *cs, long double *t) {
    const long double W = (long double)cs[0] + cs[1], S0 = (long double)cs[2] + cs[3],
                      S1 = (long double)cs[4] + cs[5], zs = (long double)z * sc;
    t[0] = W, t[1] = t[2] = t[3] = 0.0L;
    if (S0 == 0.0L && S1 == 0.0L && (long double)cs[6] + cs[7] == 0.0L) return;
    /* Σw·((z − y)/z)^α = (z·sc)^−α·Σw·((z − y)·sc)^α */
    const long double pa = series_sum(alpha, rho, cs + 6) * powl(zs, -(long double)alpha);
    if (est == SOCIND_STATE_FGT) {
        t[1] = pa;
    } else { /* SOCIND_STATE_FGT_DECOMPOSITION */
        t[1] = S0, t[2] = ((long double)d * sc * S0 + S1) / zs, t[3] = pa;
    }
}

/* The series mode's slot sums dp (DPB pairs) as its derivatives in z into
 * D (pairs): α·Σw·y·((z − y)/z)^(α−1)/z = α·(z·sc)^−α·Σw·y·sc·((z −
 * y)·sc)^(α−1), and the decomposition's Σw·y/z. */
static void series_d(int32_t est, double alpha, double z, double sc, double rho, const double *dp,
                     double *D) {
    const long double DW = (long double)dp[0] + dp[1], DY = (long double)dp[2] + dp[3],
                      zs = (long double)z * sc, lz = z;
    if (DW == 0.0L && DY == 0.0L && (long double)dp[4] + dp[5] == 0.0L) return;
    const long double da =
        alpha > 0.0 ? alpha * series_sum(alpha - 1.0, rho, dp + 4) * powl(zs, -(long double)alpha)
                    : 0.0L;
    if (est == SOCIND_STATE_FGT) {
        if (alpha > 0.0) socind__dd_add_ld(&D[0], &D[1], da);
    } else { /* SOCIND_STATE_FGT_DECOMPOSITION */
        socind__dd_add_ld(&D[2], &D[3], DY / lz);
        if (alpha > 0.0) socind__dd_add_ld(&D[4], &D[5], da);
    }
}

/* s's window pass (merged) as the state of pass 3 it stands for: the same
 * PSUs and cells with the sums pass 3 would make (those below zl from the
 * cells' CS, the kept rows' own), the kernel sums from the series, the
 * line's state with its cells' Σw·1[y <= Q]. */
/* The pass-3 state t that s's window pass (merged) stands for, its
 * tables and plan: s's PSUs and cells (their sums 0), moments, extremes and
 * bandwidths, the line's quantile Q and z = fraction·Q, and the line's
 * state with its cells' sums lcs (socind__rank_line_pass2's). */
static int32_t pass3_of(const socind_state *s, const double *lcs, double Q, socind_state *t) {
    const struct socind__rel *r = s->rel;
    const size_t G = (size_t)r->G;
    socind_state *L = copy_state(r->line);
    int32_t st =
        L ? socind__state_copy_tables(s, t) : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (st) {
        socind_state_free(L);
        return st;
    }
    memcpy(L->c_sum, lcs, 4 * L->ncell * sizeof *lcs);
    struct socind__rel *q = t->rel;
    t->pass = t->passes = 3;
    memcpy(q->mom, r->mom, NM * G * sizeof *q->mom);
    memcpy(q->mm, r->mm, 2 * G * sizeof *q->mm);
    memcpy(q->h, r->h, G * sizeof *q->h);
    q->Q = Q, q->z = s->sp.line * Q;
    socind_state_free(q->line);
    q->line = L;
    return SOCIND_OK;
}

static int32_t window_as_pass3(const socind_state *s, socind_state **out) {
    const struct socind__rel *r = s->rel;
    const size_t G = (size_t)r->G, K = (size_t)s->K;
    const int32_t est = s->sp.estimator;
    const double alpha = s->sp.alpha;
    *out = NULL;
    double fig[5], kq[2], *kz = malloc(2 * G * sizeof *kz);
    double *lcs = malloc((4 * r->line->ncell + 1) * sizeof *lcs);
    socind_state *t = socind__state_alloc(&s->sp);
    int exact = 0;
    int32_t st = kz && lcs && t ? window_kernels(s, lcs, fig, kq, kz, &exact)
                                : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st && !exact)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the state is in pass 2 of 3: a kernel sum at the line or its "
                          "quantile needs the rows again; finish the third pass's");
    if (!st) st = pass3_of(s, lcs, fig[0], t);
    if (st) {
        socind_state_free(t);
        free(kz), free(lcs);
        return st;
    }
    struct socind__rel *q = t->rel;
    const double z = q->z, zl = r->zl, sc = window_scale(r);
    /* the cells: below zl from their sums, the kept rows' own terms */
    long double tl[SOCIND__STATE_KMAX];
    const int series = series_mode(&s->sp);
    const double rho = series ? series_rho(r, z) : 0.0;
    const int32_t we = window_est(est);
    for (size_t i = 0; i < s->ncell; i++) {
        if (series)
            series_terms(we, alpha, z, sc, z - zl, rho, r->cs + 2 * CSB * i, tl);
        else
            window_terms(we, alpha, zl, z, sc, r->cs + 2 * CS * i, tl);
        double *sum = t->c_sum + 2 * K * i;
        for (size_t j = 0; j < K; j++) socind__dd_add_ld(&sum[2 * j], &sum[2 * j + 1], tl[j]);
    }
    /* each domain's kernel sum at z and derivatives (the profile's last
       slot: the whole sample's sum, the derivatives of its rows in no
       group) */
    const size_t slots = est == SOCIND_STATE_POVERTY_PROFILE ? G : G - 1;
    for (size_t g = 0; g < slots; g++) {
        double *acc = q->acc + NA * g;
        acc[0] = kz[2 * g], acc[1] = kz[2 * g + 1];
        if (series)
            series_d(we, alpha, z, sc, rho, r->dp + 2 * DPB * g, acc + 2);
        else
            window_d(we, alpha, zl, z, sc, r->dp + 2 * DP * g, acc + 2);
    }
    q->acc[NA * (G - 1) + 6] = kq[0], q->acc[NA * (G - 1) + 7] = kq[1];
    socind_state_spec az = s->sp;
    az.line_type = SOCIND_LINE_ABSOLUTE, az.line = z;
    const double invz = 1.0 / z;
    double tt[SOCIND__STATE_KMAX] = {0};
    const size_t nk = socind__rank_rows(s);
    for (size_t k = 0; k < nk; k++) {
        double w, y;
        const int32_t ci = socind__rank_row_cell(s, k, &y, &w);
        if (ci < 0) continue;
        socind__state_terms(est, 0, &az, invz, w, y, NAN, tt);
        double *sum = t->c_sum + 2 * K * (size_t)ci;
        for (size_t j = 0; j < K; j++) socind__dd_add(&sum[2 * j], &sum[2 * j + 1], tt[j]);
        if (s->sp.inclusive ? y <= z : y < z)
            add_d(est, alpha, q->acc + NA * (size_t)s->c_group[ci] + 2, w, y, z);
    }
    free(kz), free(lcs);
    *out = t;
    return SOCIND_OK;
}

/* ---- the median of the poor's window pass: pass 2 of two ---- */

/* From s's window pass (merged) and its line z: per domain slot into pv
 * the weight of its poor of income != 0 and the median of its poor (NaN
 * where it has none), as the last pass's plan holds them; *found 0 where a
 * median is not among the rows s kept (a state of one chunk). Where the
 * whole sample's weight sum left the double range no share is defined:
 * no median (a weight of 0 and NaN, values the format takes) and *found 1
 * — finishing says SOCIND_ERR_OVERFLOW (line_z), as the in-memory call. */
static int32_t median_pv(const socind_state *s, double z, double *pv, int *found) {
    const struct socind__rel *r = s->rel;
    const size_t G = (size_t)r->G;
    *found = 0;
    if (sample_weight_beyond(r)) {
        for (size_t j = 0; j < 2 * G; j++) pv[j] = j % 2 || j + 2 == 2 * G ? NAN : 0.0;
        *found = 1;
        return SOCIND_OK;
    }
    if (!(z >= r->zl && z <= r->zh)) return SOCIND_OK; /* (bytes not of one line) */
    double *N = malloc(9 * G * sizeof *N), *med = malloc(G * sizeof *med);
    if (!N || !med) {
        free(N), free(med);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    /* each domain's N, its pair below its range not kept, its weights in
       the buckets below zl's and up to zh's */
    double *T = N + 4 * G, *B = N + 5 * G, *H = N + 7 * G;
    memset(B, 0, 2 * G * sizeof *B);
    for (size_t g = 0; g + 1 < G; g++)
        H[2 * g] = dd_val(r->acc + NA * g), H[2 * g + 1] = dd_val(r->acc + NA * g + 2);
    for (size_t g = 0; g + 1 < G; g++) /* the rows below zl, then the window's */
        memcpy(N + 4 * g, r->acc + NA * g + 4, 4 * sizeof *N);
    for (size_t i = 0; i < s->ncell; i++) /* the weight below each domain's range */
        socind__dd_merge(B + 2 * (size_t)s->c_group[i], r->cs + 2 * CSM * i + 2, 1);
    const size_t nk = socind__rank_rows(s);
    for (size_t k = 0; k < nk; k++) {
        double w, y;
        const int32_t ci = socind__rank_row_cell(s, k, &y, &w);
        if (ci < 0 || !(y >= r->zl && y <= z)) continue;
        double *n = N + 4 * (size_t)s->c_group[ci];
        dd2(n + 2, w);
        if (y != 0.0) dd2(n, w);
    }
    for (size_t g = 0; g + 1 < G; g++) pv[2 * g] = dd_val(N + 4 * g), T[g] = dd_val(N + 4 * g + 2);
    int32_t st = socind__rank_poor_select(s, T, B, H, z, med, found);
    for (size_t g = 0; !st && g + 1 < G; g++) pv[2 * g + 1] = med[g];
    pv[2 * (G - 1)] = pv[2 * (G - 1) + 1] = NAN;
    free(N), free(med);
    return st;
}

/* The status of a window pass whose medians are not among its rows. */
static int32_t not_merged(void) {
    return socind__fail(SOCIND_ERR_MISMATCH,
                        "a median of the poor is not among the rows this state of pass 2 kept: "
                        "finish, or go on from, the merged state of every chunk's pass 2");
}

/* s's window pass (merged): as window_kernels, with each domain's poor's
 * weight of income != 0 and median into pv (2 a slot) and its kernel
 * sums at z and at that median into kz (2 pairs a slot); *exact 0 where a
 * series a domain's figures use is not exact, or where a median is not
 * among s's rows (*found 0: not the merged state). */
static int32_t median_kernels(const socind_state *s, double *lcs, double *fig, double *kq,
                              double *kz, double *pv, int *exact, int *found) {
    const struct socind__rel *r = s->rel;
    const int32_t G1 = r->G - 1;
    int32_t st = socind__rank_line_pass2(r->line, lcs, fig, kq, exact);
    if (st) return st;
    const double Q = fig[0], z = s->sp.line * Q, cz = window_centre(r);
    if (isnan(Q) || !(z >= r->zl && z <= r->zh) || !same_bandwidth(fig[2], r->h[G1])) *exact = 0;
    *found = 1;
    if (!*exact) return SOCIND_OK;
    if ((st = median_pv(s, z, pv, found))) return st;
    if (!*found) { /* (pass 3 cannot select them either: finishing says so) */
        *exact = 0;
        return SOCIND_OK;
    }
    for (int32_t g = 0; g < G1; g++) {
        const double h = r->h[g], W = dd_val(r->mom + NM * (size_t)g), m = pv[2 * (size_t)g + 1];
        const double *km = r->km + 4 * KMS * (size_t)g;
        double *k = kz + 4 * (size_t)g;
        k[0] = k[1] = k[2] = k[3] = 0.0;
        if (!(h > 0.0)) { /* as the last pass sums them: NaN over rows, else 0 */
            if (W > 0.0) k[0] = k[2] = NAN;
            continue;
        }
        const int used = !isnan(m) && pv[2 * (size_t)g] > 0.0; /* (else no figures) */
        long double S;
        if (!socind__rank_kernel_series(km, cz, z, h, W, &S) && used) *exact = 0;
        socind__dd_add_ld(&k[0], &k[1], S);
        if (isnan(m)) continue;
        const double cm = socind__rank_poor_centre(s, g);
        if ((isnan(cm) || !socind__rank_kernel_series(km + 2 * KMS, cm, m, h, W, &S)) && used)
            *exact = 0;
        if (!isnan(cm)) socind__dd_add_ld(&k[2], &k[3], S);
    }
    if (socind__force_pass3) *exact = 0;
    return SOCIND_OK;
}

/* The median of the poor's pass 3 of three, made from its window pass
 * (merged): its plan (z, Q, the medians), the kernel sums from the series
 * and each cell's Σw·1[y <= z] and Σw·1[y <= m] from its sums below zl
 * and below its domain's range plus the kept rows'. */
static int32_t median_as_pass3(const socind_state *s, socind_state **out) {
    const struct socind__rel *r = s->rel;
    const size_t G = (size_t)r->G;
    *out = NULL;
    double fig[5], kq[2], *kz = malloc(4 * G * sizeof *kz), *pv = malloc(2 * G * sizeof *pv);
    double *lcs = malloc((4 * r->line->ncell + 1) * sizeof *lcs);
    socind_state *t = socind__state_alloc(&s->sp);
    int exact = 0, found = 1;
    int32_t st = kz && pv && lcs && t ? median_kernels(s, lcs, fig, kq, kz, pv, &exact, &found)
                                      : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st && !found) st = not_merged();
    if (!st && !exact)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the state is in pass 2 of 3: a kernel sum at the line, its quantile "
                          "or a median of the poor needs the rows again; finish the third pass's");
    if (!st) st = pass3_of(s, lcs, fig[0], t);
    if (st) {
        socind_state_free(t);
        free(kz), free(pv), free(lcs);
        return st;
    }
    struct socind__rel *q = t->rel;
    memcpy(q->pv, pv, 2 * G * sizeof *q->pv);
    const double z = q->z;
    for (size_t g = 0; g + 1 < G; g++) memcpy(q->acc + NA * g, kz + 4 * g, 4 * sizeof *kz);
    q->acc[NA * (G - 1) + 6] = kq[0], q->acc[NA * (G - 1) + 7] = kq[1];
    memcpy(t->c_sum, r->cs, 2 * CSM * s->ncell * sizeof *t->c_sum); /* (K = 2: the same pairs) */
    const size_t nk = socind__rank_rows(s);
    for (size_t k = 0; k < nk; k++) {
        double w, y;
        const int32_t ci = socind__rank_row_cell(s, k, &y, &w);
        if (ci < 0) continue;
        const int32_t g = s->c_group[ci];
        double *sum = t->c_sum + 4 * (size_t)ci;
        if (y >= r->zl && y <= z) socind__dd_add(&sum[0], &sum[1], w);
        if (y <= pv[2 * (size_t)g + 1]) /* (the rows below its range not kept: in cs) */
            socind__dd_add(&sum[2], &sum[3], w);
    }
    free(kz), free(pv), free(lcs);
    *out = t;
    return SOCIND_OK;
}

/* The line's influence by PSU (rank: s's PSU → the design's dense PSU)
 * into Z (npsu zeros) from the line's cells: a quantile line's
 * −fraction/(N̂·f̂(Q))·Σ w·(1[y <= Q] − p) (socind__share_dev), a mean
 * line's fraction/N̂·Σ w·(y − μ̂) (socind__dev_from_mean). */
static int32_t line_z(const socind_state *s, const int32_t *rank, double *Z) {
    const struct socind__rel *r = s->rel;
    const socind_state *L = r->line;
    const int32_t G1 = r->G - 1;
    const double frac = s->sp.line, pq = s->sp.p;
    const double *mG = r->mom + NM * (size_t)G1;
    const double N = dd_val(mG), hG = r->h[G1];
    double a = 0.0, mu = NAN;
    if (!(N > 0.0)) return socind__fail_no_weight(isfinite(r->mm[2 * (size_t)G1]));
    if (quantile_line(s)) {
        const double fN = dd_val(r->acc + NA * (size_t)G1 + 6) * ISQ2PI / hG;
        if (!(hG > 0.0))
            return socind__fail_state_no_bandwidth(no_bandwidth(r, (size_t)G1), "the quantile");
        if (!(fN > 0.0))
            return socind__fail(SOCIND_ERR_DATA, "the income density at the quantile is 0");
        a = -frac / fN; /* × each cell's Σ w·(1[y <= Q] − p) */
    } else {
        mu = mean_of(mG);
        a = frac / N; /* × each cell's Σ w·(y − μ̂) */
    }
    for (size_t i = 0; i < L->ncell; i++) {
        const int32_t lp = L->c_psu[i];
        const size_t slot =
            socind__idmap_slot(&s->pmap, socind__state_pkey1(s, L->p_stratum[lp]), L->p_id[lp]);
        const int32_t pi = s->pmap.val[slot];
        if (pi < 0) continue; /* not in the estimate's rows (cannot happen) */
        const double *sum = L->c_sum + 4 * i;
        Z[rank[pi]] += socind__line_dev(sum, quantile_line(s), pq, mu) * a;
    }
    return SOCIND_OK;
}

/* The median of the poor (or the relative median gap) of each domain over
 * the design d, as poverty_median.c's: its value from the plan, its
 * linearized variable by cell sc·(½·Σw·1[y <= z] − Σw·1[y <= m])/F(m)
 * plus coef·Z over every stratum, F the domain's kernel sums N̂_d·f̂_d. */
static int32_t finish_median(const socind_state *s, const socind_design *d, const int32_t *rank,
                             const int32_t *corder, const socind_options *o, socind_estimate *out) {
    const struct socind__rel *r = s->rel;
    const int32_t G1 = r->G - 1;
    const int rmpg = s->sp.estimator == SOCIND_STATE_RELATIVE_MEDIAN_GAP;
    const double z = r->z;
    double *Z = calloc(d->npsu ? d->npsu : 1, sizeof *Z);
    socind__work wk = {0};
    socind__basis basis;
    memset(&basis, 0, sizeof basis);
    int32_t st = Z ? line_z(s, rank, Z) : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st) {
        const double *V[SOCIND__NBASIS] = {Z, NULL, NULL};
        st = socind__basis_init(&basis, d, V);
    }
    if (!st) st = socind__work_init(&wk, d, 1);
    int64_t used = 0;
    size_t a = 0;
    for (int32_t g = 0; !st && g < G1; g++) {
        size_t b = a;
        while (b < s->ncell && s->c_group[corder[b]] == g) b++;
        /* the rows with an income (n, weight 0 too, as in memory), and
           those of them with a positive weight */
        int64_t n = 0, npos = 0;
        for (size_t t = a; t < b; t++)
            n = socind__count_add(n, s->c_n[corder[t]]),
            npos = socind__count_add(npos, s->c_npos[corder[t]]);
        socind_estimate *e = &out[g];
        const double N = dd_val(r->mom + NM * (size_t)g), h = r->h[g];
        const double *acc = r->acc + NA * (size_t)g;
        const double med = r->pv[2 * (size_t)g + 1];
        const double F0 = dd_val(acc + 2) * ISQ2PI / h, F1 = dd_val(acc) * ISQ2PI / h;
        if (npos == 0) {
            socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, n, 0.0, d->df);
        } else if (!(N >= 0.0)) { /* bytes whose weight sums (hi + lo) add up below 0 */
            socind__estimate_undefined(e, SOCIND_ERR_DATA, n, 0.0, d->df);
        } else if (!isnan(med) && r->pv[2 * (size_t)g] > 0.0 &&
                   no_bandwidth(r, (size_t)g) == SOCIND_ERR_OVERFLOW) {
            socind__estimate_undefined(e, SOCIND_ERR_OVERFLOW, n, N, d->df);
        } else if (isnan(med) || !(r->pv[2 * (size_t)g] > 0.0) || (rmpg && !(z > 0.0))) {
            /* no poor, or every poor income 0 */
            socind__estimate_undefined(e, SOCIND_ERR_DATA, n, N, d->df);
        } else if (!(h > 0.0) || !(F0 > 0.0) || !isfinite(F0) || !isfinite(F1)) {
            /* no density at the median: the figure without its SE, as in
               memory (poverty_median.c) */
            socind__estimate_undefined(e, SOCIND_ERR_DATA, n, N, d->df);
            e->value = rmpg ? (z - med) / z : med;
            socind__rank_weight_sum_ok(e);
        } else {
            const double sc = rmpg ? -1.0 / z : 1.0;
            double coef[SOCIND__NBASIS] = {0.5 * F1 / F0, 0.0, 0.0};
            if (rmpg) coef[0] = med / (z * z) - coef[0] / z;
            for (size_t t = a; t < b; t++) {
                const int32_t k = corder[t];
                if (s->c_n[k] == 0) continue;
                const double *sum = s->c_sum + 4 * (size_t)k;
                const double A = sum[0] + sum[1], B = sum[2] + sum[3];
                *socind__touch(&wk, rank[s->c_psu[k]]) += sc * ((0.5 * A - B) / F0);
            }
            double var;
            int ez;
            const int32_t vst = socind__work_variance_global_at(&wk, &basis, coef, &var, &ez);
            socind__estimate_nan(e, SOCIND_OK);
            e->value = rmpg ? (z - med) / z : med;
            e->se = vst ? NAN : ldexp(sqrt(var), ez);
            if (vst) e->status = vst;
            e->n = n;
            e->weight_sum = N;
            socind__fill_ci(e, o, d->df, 0);
            socind__rank_weight_sum_ok(e);
        }
        if (npos) used += n;
        a = b;
    }
    if (!st && used == 0)
        st = socind__fail(SOCIND_ERR_EMPTY,
                          "no usable observation: every income is missing or outside the domains");
    socind__work_free(&wk);
    socind__basis_free(&basis);
    free(Z);
    return st;
}

/* The last pass's figures over the design d (rank: s's PSU → d's dense
 * PSU; corder: s's cells by domain and rank). */
static int32_t finish_on(const socind_state *s, const socind_design *d, const int32_t *rank,
                         const int32_t *corder, const socind_options *o, socind_estimate *out) {
    const struct socind__rel *r = s->rel;
    const int32_t G1 = r->G - 1, K = s->K, est = s->sp.estimator;
    const double z = r->z;
    if (poor_median(s)) return finish_median(s, d, rank, corder, o, out);
    double *Z = calloc(d->npsu ? d->npsu : 1, sizeof *Z);
    double *D = calloc((size_t)(G1 + 1) * (size_t)K, sizeof *D);
    int32_t st = (!Z || !D) ? socind__fail(SOCIND_ERR_NOMEM, "out of memory") : SOCIND_OK;
    if (!st) st = line_z(s, rank, Z);
    /* each domain's derivatives of its totals in z */
    for (int32_t g = 0; !st && g < G1; g++) {
        const double *acc = r->acc + NA * (size_t)g, h = r->h[g];
        double dens = dd_val(acc) * ISQ2PI / h;
        if (!(dd_val(r->mom + NM * (size_t)g) > 0.0))
            dens = 0.0;
        else if (isnan(dens)) /* no bandwidth: the SEs it enters NaN (below) */
            dens = no_bandwidth(r, (size_t)g) == SOCIND_ERR_DATA ? NAN : 0.0;
        const double d1 = dd_val(acc + 2), d2 = dd_val(acc + 4), d3 = dd_val(acc + 6);
        double *Dg = D + (size_t)g * (size_t)K;
        switch (est) {
        case SOCIND_STATE_FGT:
        case SOCIND_STATE_POVERTY_PROFILE:
            Dg[1] = s->sp.alpha == 0.0 ? dens : d1 / z;
            break;
        case SOCIND_STATE_POOR_COUNT:
            Dg[1] = dens;
            break;
        case SOCIND_STATE_POVERTY_GAP_TOTAL:
            Dg[1] = d1;
            break;
        case SOCIND_STATE_MEAN_SHORTFALL:
            Dg[1] = d1, Dg[2] = dens;
            break;
        case SOCIND_STATE_WATTS:
            Dg[1] = d1 / z;
            break;
        case SOCIND_STATE_FGT_DECOMPOSITION:
            Dg[1] = dens, Dg[2] = d2 / z, Dg[3] = d3 / z;
            break;
        default: /* SOCIND_STATE_WATTS_DECOMPOSITION */
            Dg[1] = d1 / z, Dg[2] = dens, Dg[3] = d3 / z;
            break;
        }
    }
    if (!st && est == SOCIND_STATE_POVERTY_PROFILE) {
        /* the whole sample: every row's density at z, or every poor row's
           derivative (the domains' and the rows' in no domain) */
        double dall = 0.0, dh = 0.0, dl = 0.0;
        if (s->sp.alpha == 0.0) {
            dall = dd_val(r->acc + NA * (size_t)G1) * ISQ2PI / r->h[G1];
            if (isnan(dall)) dall = 0.0;
        } else {
            for (int32_t g = 0; g <= G1; g++) {
                socind__dd_add(&dh, &dl, r->acc[NA * (size_t)g + 2]);
                dl += r->acc[NA * (size_t)g + 3];
            }
            dall = (dh + dl) / z;
        }
        D[(size_t)G1 * (size_t)K + 1] = dall;
    }
    socind__basis basis;
    memset(&basis, 0, sizeof basis);
    if (!st && est != SOCIND_STATE_POVERTY_PROFILE) {
        const double *V[SOCIND__NBASIS] = {Z, NULL, NULL};
        st = socind__basis_init(&basis, d, V);
    }
    if (!st) {
        const socind__line_term lt = {&basis, Z, D};
        st = socind__state_finish_term(s, d, rank, corder, o, &lt, out);
    }
    /* a domain whose density at z its moments could not give (beyond the
       double range): its estimates SOCIND_ERR_OVERFLOW, not figures that
       leave the density out */
    const int dens_used = density_used(&s->sp);
    const size_t nout = (size_t)s->nout;
    for (int32_t g = 0; !st && dens_used && g < G1; g++) {
        const int32_t why = no_bandwidth(r, (size_t)g);
        if (why == SOCIND_ERR_OVERFLOW) {
            for (size_t i = 0; i < nout; i++) {
                socind_estimate *e = &out[(size_t)g * nout + i];
                if (e->status == SOCIND_OK)
                    socind__estimate_undefined(e, SOCIND_ERR_OVERFLOW, e->n, e->weight_sum, e->df);
            }
        } else if (why == SOCIND_ERR_DATA) {
            /* no bandwidth (one row, or every income equal): the estimates
               whose SE the density enters keep their figure, the SE NaN
               (in memory: poverty.c's no_density) */
            for (size_t i = 0; i < nout; i++) {
                socind_estimate *e = &out[(size_t)g * nout + i];
                if (e->status == SOCIND_ERR_OVERFLOW && isfinite(e->value) && isnan(e->se))
                    e->status = SOCIND_ERR_DATA;
            }
        }
    }
    if (!st && est == SOCIND_STATE_POVERTY_PROFILE && s->sp.alpha == 0.0 &&
        no_bandwidth(r, (size_t)G1) == SOCIND_ERR_OVERFLOW)
        st = socind__fail_state_no_bandwidth(SOCIND_ERR_OVERFLOW, "the line");
    if (st)
        for (size_t j = 0; j < socind__state_count(s); j++) socind__estimate_nan(&out[j], st);
    socind__basis_free(&basis);
    free(Z), free(D);
    return st;
}

/* The last pass's cells against pass 1's moments: each domain's Σw (the
 * cells' first sum) must be its slot's N̂ within 1e−12 relative — the rows
 * of pass 1, each once. Where the cells take every row the moments took:
 * FGT and its decomposition, the poor count, the gap total, the mean
 * shortfall, and Watts and its decomposition refusing incomes <= 0
 * (excluded ones are in the moments, not the cells).
 * SOCIND_ERR_MISMATCH, else SOCIND_OK. */
static int32_t cells_as_planned(const socind_state *s) {
    const struct socind__rel *r = s->rel;
    const int32_t est = s->sp.estimator, G1 = r->G - 1;
    const int takes_all = est == SOCIND_STATE_FGT || est == SOCIND_STATE_FGT_DECOMPOSITION ||
                          est == SOCIND_STATE_POOR_COUNT || est == SOCIND_STATE_POVERTY_GAP_TOTAL ||
                          est == SOCIND_STATE_MEAN_SHORTFALL ||
                          ((est == SOCIND_STATE_WATTS || est == SOCIND_STATE_WATTS_DECOMPOSITION) &&
                           s->sp.nonpositive == SOCIND_NONPOS_ERROR);
    if (!takes_all || s->pass == 1 || window_pass(s) || poor_median(s) || G1 < 1) return SOCIND_OK;
    return socind__state_weighs_as(s, G1, r->mom, NM);
}

int32_t socind__rel_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                           size_t count) {
    int32_t planned = line_fed(s) ? socind__rank_weights_as_planned(s->rel->line) : 0;
    if (!planned) planned = cells_as_planned(s);
    if (planned) {
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], planned);
        return planned;
    }
    if (window_pass(s)) { /* as the pass 3 it stands for */
        socind_state *t;
        int32_t st = poor_median(s) ? median_as_pass3(s, &t) : window_as_pass3(s, &t);
        if (!st) st = socind__rel_finish(t, o, out, count);
        socind_state_free(t);
        if (st)
            for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
        return st;
    }
    socind_design *d = NULL;
    int32_t *rank = NULL, *corder = NULL;
    int32_t st = socind__state_design(s, &d, &rank, &corder);
    if (!st) st = finish_on(s, d, rank, corder, o, out);
    if (st)
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    socind_design_free(d);
    free(rank), free(corder);
    return st;
}

/* ---- bytes (docs/state-format.md): u32 slots, u32 0, f64 z, Q, zl,
 * zh; per slot NM moments, its bandwidth, NA sums, its smallest and
 * largest income; a window pass: per slot DP and KMS pairs, per cell CS
 * pairs; the median of the poor: per
 * slot its two plan values, u64 the median's state's length (0: none) and
 * its bytes; u64 the line state's length and its bytes ---- */

static size_t state_len(const socind_state *x) {
    size_t len = 0;
    if (x) socind_state_to_bytes(x, NULL, 0, &len);
    return len;
}

#define REL_FIXED_BYTES 40u

/* A window pass's part: per slot DP and KMS pairs, per cell CS pairs. */
static size_t window_bytes(const socind_state *s) {
    const struct socind__rel *r = s->rel;
    return window_pass(s) ? 16u * ((dp_pairs(&s->sp) + km_pairs(&s->sp)) * (size_t)r->G +
                                   cs_pairs(&s->sp) * s->ncell)
                          : 0;
}

size_t socind__rel_bytes(const socind_state *s) {
    const struct socind__rel *r = s->rel;
    const size_t pm = poor_median(s) ? 16u * (size_t)r->G + 8u + state_len(r->med) : 0;
    return REL_FIXED_BYTES + (size_t)r->G * SLOT_BYTES + window_bytes(s) + pm + 8u +
           state_len(r->line);
}

void socind__rel_write(const socind_state *s, unsigned char *b) {
    const struct socind__rel *r = s->rel;
    socind__put_u32(b, (uint32_t)r->G);
    socind__put_u32(b + 4, 0);
    socind__put_f64(b + 8, r->z);
    socind__put_f64(b + 16, r->Q);
    socind__put_f64(b + 24, r->zl);
    socind__put_f64(b + 32, r->zh);
    unsigned char *q = b + REL_FIXED_BYTES;
    for (int32_t g = 0; g < r->G; g++, q += SLOT_BYTES) {
        for (int j = 0; j < NM; j++) socind__put_f64(q + 8 * j, r->mom[NM * (size_t)g + j]);
        socind__put_f64(q + 8 * NM, r->h[g]);
        for (int j = 0; j < NA; j++)
            socind__put_f64(q + 8 * (NM + 1 + j), r->acc[NA * (size_t)g + j]);
        socind__put_f64(q + 8 * (NM + 1 + NA), r->mm[2 * (size_t)g]);
        socind__put_f64(q + 8 * (NM + 2 + NA), r->mm[2 * (size_t)g + 1]);
    }
    if (window_pass(s)) {
        for (size_t j = 0; j < 2 * dp_pairs(&s->sp) * (size_t)r->G; j++, q += 8)
            socind__put_f64(q, r->dp[j]);
        for (size_t j = 0; j < 2 * km_pairs(&s->sp) * (size_t)r->G; j++, q += 8)
            socind__put_f64(q, r->km[j]);
        for (size_t j = 0; j < 2 * cs_pairs(&s->sp) * s->ncell; j++, q += 8)
            socind__put_f64(q, r->cs[j]);
    }
    if (poor_median(s)) {
        for (size_t j = 0; j < 2 * (size_t)r->G; j++, q += 8) socind__put_f64(q, r->pv[j]);
        size_t len = state_len(r->med);
        socind__put_u64(q, len);
        if (r->med) socind_state_to_bytes(r->med, q + 8, len, &len);
        q += 8 + len;
    }
    size_t len = state_len(r->line);
    socind__put_u64(q, len);
    socind_state_to_bytes(r->line, q + 8, len, &len);
}

static int same_f64(double a, double b) {
    return (isnan(a) && isnan(b)) || a == b;
}
static int same_spec(const socind_state_spec *a, const socind_state_spec *b) {
    int32_t u[10], v[10];
    socind__spec_ints(a, u);
    socind__spec_ints(b, v);
    return !memcmp(u, v, sizeof u) && same_f64(a->line, b->line) && same_f64(a->alpha, b->alpha) &&
           same_f64(a->p, b->p) && same_f64(a->p2, b->p2);
}

static int32_t bad(const char *what) {
    return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s", what);
}

/* A nested state of len bytes at p (the line's or the median's): of
 * estimator est (checked before reading it: no nesting deeper), spec sp
 * and pass `pass`, else SOCIND_ERR_FORMAT naming it as `what`. */
static int32_t read_nested(const unsigned char *p, uint64_t len, int32_t est,
                           const socind_state_spec *sp, int32_t pass, const char *what,
                           socind_state **out) {
    *out = NULL;
    if (len < 20 || socind__get_u32(p + 16) != (uint32_t)est)
        return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s is not a %s's", what,
                            est == SOCIND_STATE_QUANTILE ? "quantile" : "poverty line");
    socind_state *x = NULL;
    int32_t st = socind_state_from_bytes(p, (size_t)len, &x);
    if (st)
        return st == SOCIND_ERR_NOMEM
                   ? st
                   : socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s is not valid",
                                  what);
    if (!same_spec(&x->sp, sp) || x->pass != pass) {
        socind_state_free(x);
        return socind__fail(SOCIND_ERR_FORMAT,
                            "not a socind partial state: %s does not match its spec or pass", what);
    }
    *out = x;
    return SOCIND_OK;
}

/* The median of the poor's part at *q (*rest bytes to the end, at least
 * 8): its plan values and its own state (passes 3 and 4: a QUANTILE state
 * of med_spec's spec in pass s->pass − 2; else none). Moves *q and *rest
 * past it. */
static int32_t read_median(socind_state *s, const unsigned char **q, size_t *rest) {
    struct socind__rel *r = s->rel;
    const size_t G = (size_t)r->G;
    if (*rest / 16u < G || *rest - 16u * G < 16) return bad("a relative line's part is truncated");
    const unsigned char *p = *q;
    for (size_t j = 0; j < 2 * G; j++, p += 8) {
        const double v = socind__get_f64(p);
        const size_t g = j / 2;
        /* the weight of the poor of income != 0 from pass 4 of five, the
           median in the last pass (5 of five, 3 of three), for each domain
           (not the last slot, every row's) */
        const int last = s->pass >= 3 && s->pass == s->passes;
        const int set = g + 1 < G && (j % 2 == 0 ? last || (s->passes == 5 && s->pass == 4) : last);
        /* a median is at or below the line and among the domain's
           incomes, and there is one where some poor income is not 0 */
        const double *mm = r->mm + 2 * g;
        const int ok = !set         ? isnan(v)
                       : j % 2 == 0 ? v >= 0.0
                                    : (isnan(v) && !(r->pv[j - 1] > 0.0)) ||
                                          (v <= r->z && v >= mm[0] && v <= mm[1]);
        if (!ok) return bad("the median of the poor's plan breaks the format's rules");
        r->pv[j] = v;
    }
    const size_t left = *rest - 16u * G - 8;
    const uint64_t ml = socind__get_u64(p);
    p += 8;
    if (ml > left - 8) return bad("a relative line's part is truncated");
    if (!med_pass(s)) {
        if (ml != 0)
            return bad("the median of the poor keeps its own state in passes 3 and 4 only");
    } else {
        socind_state *m = NULL;
        socind_state_spec sp;
        if (!med_spec(&s->sp, &sp)) return bad("the median of the poor's own state has no spec");
        const int32_t st = read_nested(p, ml, SOCIND_STATE_QUANTILE, &sp, s->pass - 2,
                                       "the median of the poor's state", &m);
        if (st) return st;
        socind_state_free(r->med);
        r->med = m;
    }
    *q = p + ml;
    *rest = left - ml;
    return SOCIND_OK;
}

int32_t socind__rel_check_plan(const socind_state *s) {
    if (poor_median(s) && !socind__rank_poor_plan_ok(s, window_pass(s)))
        return bad("the median of the poor's histogram or ranges break the format's rules");
    return SOCIND_OK;
}

int32_t socind__rel_read(socind_state *s, const unsigned char *b, size_t len, int more,
                         size_t *used) {
    struct socind__rel *r = s->rel;
    const size_t G = (size_t)r->G;
    if (len < REL_FIXED_BYTES || socind__get_u32(b) != (uint32_t)r->G ||
        socind__get_u32(b + 4) != 0)
        return bad("a relative line's part does not match its domains");
    if ((len - REL_FIXED_BYTES) / SLOT_BYTES < G || len - REL_FIXED_BYTES - G * SLOT_BYTES < 8)
        return bad("a relative line's part is truncated");
    const double z = socind__get_f64(b + 8), Q = socind__get_f64(b + 16);
    const double zl = socind__get_f64(b + 24), zh = socind__get_f64(b + 32);
    const int known = line_known(s);
    /* (a line of 0 or below is a line: incomes of any sign make one) */
    if (known ? isinf(z) || isinf(Q) || (!quantile_line(s) && !isnan(Q)) : !isnan(z) || !isnan(Q))
        return bad("a relative line's line breaks the format's rules");
    /* a window: pass 2 of two, finite bounds (checked against the line's
       plan below) */
    const int win = windowed(&s->sp) && s->pass == 2 && s->passes == 2;
    if (win ? !(isfinite(zl) && isfinite(zh) && zl <= zh) : !isnan(zl) || !isnan(zh))
        return bad("a relative line's window breaks the format's rules");
    r->z = z, r->Q = Q, r->zl = zl, r->zh = zh;
    const unsigned char *q = b + REL_FIXED_BYTES;
    for (size_t g = 0; g < G; g++, q += SLOT_BYTES) {
        for (int j = 0; j < NM; j++) r->mom[NM * g + j] = socind__get_f64(q + 8 * j);
        r->h[g] = socind__get_f64(q + 8 * NM);
        for (int j = 0; j < NA; j++) r->acc[NA * g + j] = socind__get_f64(q + 8 * (NM + 1 + j));
        const double lo = socind__get_f64(q + 8 * (NM + 1 + NA)),
                     hi = socind__get_f64(q + 8 * (NM + 2 + NA));
        r->mm[2 * g] = lo, r->mm[2 * g + 1] = hi;
        const double *m = r->mom + NM * g;
        /* the moments' rules (socind__moments_valid); the bandwidth NaN in
           pass 1, after it the one the moments and extremes give (within
           1e−12 of it: another machine's pow may round otherwise) */
        const double bw = s->pass == 1 ? NAN : bandwidth(m, r->mm + 2 * g), h = r->h[g];
        if (!socind__moments_valid(m, r->mm + 2 * g) || isnan(h) != isnan(bw) ||
            (!isnan(h) && !(fabs(h - bw) <= 1e-12 * bw)))
            return bad("a relative line's moments break the format's rules");
    }
    /* a mean line's line: fraction × μ̂ of every row, once known */
    if (known && !quantile_line(s) && !same_f64(z, s->sp.line * mean_of(r->mom + NM * (G - 1))))
        return bad("a relative line's line is not its moments'");
    size_t rest = len - REL_FIXED_BYTES - G * SLOT_BYTES;
    if (win) { /* its sums: pairs of finite doubles, or of an infinite hi (overflowed) */
        if (!cs_grow(s)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        const size_t ncs = cs_pairs(&s->sp), ndp = dp_pairs(&s->sp), nkm = km_pairs(&s->sp);
        if (rest < 8 || (rest - 8) / 16u < (ndp + nkm) * G + ncs * s->ncell)
            return bad("a relative line's part is truncated");
        const size_t nd = 2 * ndp * G, nk = 2 * nkm * G, nc = 2 * ncs * s->ncell;
        for (size_t j = 0; j < nd + nk + nc; j += 2, q += 16) {
            const double hi = socind__get_f64(q), lo = socind__get_f64(q + 8);
            /* (NaN, NaN: a row of weight 0 whose term overflowed, 0·inf) */
            if (!((isfinite(hi) && isfinite(lo)) || isinf(hi) || (isnan(hi) && isnan(lo))))
                return bad("a relative line's window sums break the format's rules");
            double *to = j < nd        ? r->dp + j
                         : j < nd + nk ? r->km + (j - nd)
                                       : r->cs + (j - nd - nk);
            to[0] = hi, to[1] = lo;
        }
        rest -= 8u * (nd + nk + nc);
    }
    if (poor_median(s)) {
        int32_t st = read_median(s, &q, &rest);
        if (st) return st;
    }
    const uint64_t ll = socind__get_u64(q);
    if (more ? ll > rest - 8 : ll != rest - 8) return bad("a relative line's part is truncated");
    *used = len - (rest - 8 - (size_t)ll);
    /* the line's state is the one this spec makes, in its pass; once the
       line is known, of that line (and, in the median of the poor's passes
       3 and 4, empty: it takes rows again in pass 5) */
    socind_state *line = NULL;
    const int32_t st = read_nested(q + 8, ll, SOCIND_STATE_POVERTY_LINE, &r->line->sp, line_pass(s),
                                   "its line's state", &line);
    if (st) return st;
    int ok = 1;
    if (quantile_line(s) && known) {
        double lq, ln;
        socind__rank_line_q(line, &lq, &ln);
        ok = same_f64(lq, Q) && same_f64(s->sp.line * lq, z);
    }
    if (ok && med_pass(s)) ok = line->npsu == 0 && line->ncell == 0;
    if (ok && win) { /* the window of the line's plan */
        double wl, wh;
        int64_t rows;
        ok = socind__rank_line_window(line, s->sp.line, series_mode(&s->sp) ? SK : 0.0, &wl, &wh,
                                      &rows) &&
             wl == zl && wh == zh;
    }
    if (!ok) {
        socind_state_free(line);
        return bad("its line's state is not of its line");
    }
    socind_state_free(r->line);
    r->line = line;
    return SOCIND_OK;
}
