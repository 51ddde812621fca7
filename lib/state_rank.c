/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_rank.c — partial states of the rank-based estimates
 * (socind/state.h): quantiles, Lorenz ordinates and share ratios over two
 * or three passes in bounded memory; the Gini's state is state_gini.c's
 * and the poverty measures against a relative line are state_relative.c's
 * (each socind__rank_* hands them over).
 *
 * The histogram states (QUANTILE, LORENZ, SHARE_RATIO, a relative
 * quantile POVERTY_LINE): pass 1 fills a histogram of each domain's rows
 * (positive weight, a value) by the top QBITS bits of their values' order
 * keys, merged by adding the buckets' sums; from it the buckets that hold
 * what the estimate needs. Pass 2 keeps those buckets' rows (and what
 * else the estimate sums), which give the exact quantiles (quantile.c's
 * selection). A Lorenz ordinate's cells sum in pass 2 what they need
 * split at the straddling row's bucket, so pass 2 is its last; a
 * quantile's pass 2 keeps a window of buckets around its own, where its
 * limits fall but rarely (a third pass keeps their buckets' rows then); a
 * share ratio's pass 2 splits its cells' sums at its quantiles' buckets
 * and sums the kernel's moments about each bucket's centre, from which
 * the kernel sums at the quantiles follow where the series is exact (a
 * third pass sums them row by row otherwise); the line's pass 2 keeps its
 * quantile's bucket, sums each cell's weight below it and the kernel's
 * moments about its centre (a third pass sums what the rows do against
 * its quantile, per cell, where that series is not exact). The
 * variance engine of state.c finishes (through a copy of the PSU and cell
 * tables holding each cell's linearized total).
 *
 * A kept row holds its value, weight, stratum, PSU, fpc, domain and number:
 * 52 bytes in memory, 56 in the bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socind/inequality.h"
#include "socind/poverty.h"
#include "state_internal.h"

/* The quantile over two passes, or three (bounded memory): pass 1 fills a
 * histogram of each domain's rows (positive weight, a value) by the top
 * QBITS bits of their values' order keys, mergeable by adding the buckets'
 * weights (pairs of doubles) and counts; from it, the bucket where each
 * domain's p-quantile lies, the weight below it and a window of buckets
 * around it (plan_window). Pass 2 keeps the rows of the window and adds,
 * per cell, Σw and Σw over the rows below the quantile's bucket; then the
 * quantile is selected among the kept rows (quantile.c's rule), the share
 * below it p̂ and its SE s follow from the cells (those sums plus the kept
 * rows of its bucket at or below it) through the variance engine as a
 * mean, and the buckets of the Woodruff shares p̂ ∓ q·s are found in the
 * histogram. Where they lie in the window, finishing selects the limits
 * among pass 2's rows; else pass 3 keeps the rows of those buckets and
 * finishing selects them there: the same rows, the same figures. */
#define QBITS 20
#define QBUCKETS ((int64_t)1 << QBITS)
/* −0 shares +0's bucket (y + 0.0 is +0 for both), so that a quantile of 0
 * finds every row y <= 0 of that bucket among its bucket's rows: −0 <= +0
 * and +0 <= −0 alike. */
static int64_t qbucket(double y) {
    return (int64_t)(socind__order_key(y + 0.0) >> (64 - QBITS));
}
/* The smallest value bucket b holds (NaN for buckets of no finite value's
 * order keys' low end). */
static double bucket_low(int64_t b) {
    const uint64_t k = (uint64_t)b << (64 - QBITS);
    const uint64_t bits = (k & 0x8000000000000000ULL) ? k ^ 0x8000000000000000ULL : ~k;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

typedef struct {
    /* histogram entries keyed (domain, bucket): pass 1 fills it, pass 2
       carries it */
    socind__idmap hmap;
    size_t nh, hcap;
    int32_t *hg;
    int64_t *hb, *hn;
    double *hw; /* 2 per entry: Σw as hi, lo */
    double *hy; /* 2 per entry: Σw·y as hi, lo */
    double *hm; /* the largest y of each entry */
    /* the plan, per domain (passes 2 and 3) */
    int32_t G;
    double *N;            /* 2 per domain: the weight, hi, lo */
    double *Y;            /* 2 per domain: Σw·y, hi, lo */
    double *acc;          /* NACC per domain, added on merging (passes 2 and 3):
                             at 2..9 the share ratio's kernel sums at its two
                             quantiles (pass 3): Σw·e, Σw·y·e, e = exp(−t²/2),
                             each hi, lo (the line's: Σw·e at Q) */
    int64_t *want;        /* 2 per domain: pass 2 [Q's bucket, −1]; pass 3 [the
                             lower limit's, the upper's]; −1: none */
    double *mo, *mm, *mt; /* a SHARE_RATIO's and a relative quantile
                        POVERTY_LINE's (pass 1): per domain the incomes'
                        moments (SOCIND__NM) and extremes (2), for the
                        bandwidth; mt: a chunk's scratch (10 a domain);
                        else NULL */
    double *km;           /* a SHARE_RATIO's and a relative quantile
                             POVERTY_LINE's (its second quantile's 0), 2·KM
                             pairs per domain (pass 2): at
                             each quantile j the kernel's moments Σw·e·u^n, n <
                             KM, e = exp(−u²/2), u = (c_j − y)·(1/h) about the
                             centre c_j of its bucket (fig[j]); else NULL */
    int64_t *win;         /* 2 per domain: a QUANTILE's pass 2, the first and last
                             bucket whose rows it keeps (Q's and those around
                             it: plan_window); −1 elsewhere */
    double *bef;          /* 4 per domain: the weight below each wanted bucket */
    double *fig;          /* 5 per domain (pass 3): Q, p̂, s, weight sum, df */
    int64_t *fn;          /* rows used (pass 3) */
    int32_t *fst;         /* status (pass 3) */
    int32_t call_st;      /* the whole call's status (pass 3) */
} mpq;

#define NFIG 5
#define NACC 10
#define KM SOCIND__KM /* kernel moments at each quantile (n = 0 .. 16) */

struct socind__rank {
    size_t n, cap;
    double *y, *w, *fpc;
    int64_t *h, *p, *row;
    int32_t *g;
    mpq *q;    /* a histogram state's plan, else NULL */
    int cells; /* 1: one pass of cell sums (an absolute or mean line), no rows */
};

#define ROW_BYTES 56u
#define PART_FIXED_BYTES 24u

static int is_relative(int32_t t) {
    return t == SOCIND_LINE_RELATIVE_QUANTILE || t == SOCIND_LINE_RELATIVE_MEAN;
}
static int is_fgt_family(int32_t e) {
    return (e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION) ||
           e == SOCIND_STATE_POVERTY_PROFILE;
}

int socind__rank_is(const socind_state_spec *sp) {
    const int32_t e = sp->estimator;
    return (e >= SOCIND_STATE_QUANTILE && e <= SOCIND_STATE_LORENZ) || socind__state_is_sen(e) ||
           socind__state_is_relative(e, sp->line_type);
}

size_t socind__rank_min_bytes(const socind_state_spec *sp) {
    const int32_t e = sp->estimator;
    const size_t G = (size_t)(sp->n_groups > 0 ? sp->n_groups : 1);
    /* a Gini's four sums, a quantile's plan, a relative line's moments:
       at least 32 bytes a domain; a mean line's state keeps no domain */
    const int per_domain =
        e == SOCIND_STATE_GINI || socind__state_is_sen(e) || is_fgt_family(e) ||
        socind__state_is_poor_median(e) ||
        (e >= SOCIND_STATE_QUANTILE && e <= SOCIND_STATE_LORENZ &&
         !(e == SOCIND_STATE_POVERTY_LINE && sp->line_type != SOCIND_LINE_RELATIVE_QUANTILE));
    return PART_FIXED_BYTES + (per_domain ? 32u * G : 0u);
}

static int in01(double x) {
    return x > 0.0 && x < 1.0;
}

int32_t socind__rank_resolve(socind_state_spec *o) {
    const int32_t e = o->estimator;
    double p = NAN, p2 = NAN;
    switch (e) {
    case SOCIND_STATE_QUANTILE:
    case SOCIND_STATE_LORENZ:
        if (!in01(o->p))
            return socind__fail(SOCIND_ERR_ARG, "spec.p must be in (0, 1), got %g", o->p);
        p = o->p;
        break;
    case SOCIND_STATE_SHARE_RATIO:
        if (!in01(o->p) || !in01(o->p2))
            return socind__fail(SOCIND_ERR_ARG,
                                "spec.p and spec.p2 (alpha1, alpha2) must be in (0, 1), got %g "
                                "and %g",
                                o->p, o->p2);
        p = o->p, p2 = o->p2;
        break;
    case SOCIND_STATE_POVERTY_LINE:
        if (o->n_groups != 0)
            return socind__fail(SOCIND_ERR_ARG,
                                "the poverty line is one estimate over every row: spec.n_groups "
                                "must be 0, got %d",
                                (int)o->n_groups);
        o->inclusive = 0;
        if (o->line_type == SOCIND_LINE_ABSOLUTE) {
            if (!(o->line > 0.0) || isinf(o->line))
                return socind__fail(SOCIND_ERR_ARG, "spec.line must be finite and > 0, got %g",
                                    o->line);
        } else if (o->line_type == SOCIND_LINE_PER_ROW) {
            return socind__fail(SOCIND_ERR_ARG, "a per-row line has no single value to estimate");
        } else if (!is_relative(o->line_type)) {
            return socind__fail(SOCIND_ERR_ARG, "spec.line_type %d is unknown", (int)o->line_type);
        }
        break;
    default:
        break;
    }
    if ((is_fgt_family(e) || e == SOCIND_STATE_POVERTY_LINE || socind__state_is_poor_median(e)) &&
        is_relative(o->line_type)) {
        if (!(o->line > 0.0) || isinf(o->line))
            return socind__fail(SOCIND_ERR_ARG,
                                "the line's fraction (spec.line) must be finite and > 0, got %g",
                                o->line);
        if (o->line_type == SOCIND_LINE_RELATIVE_QUANTILE) {
            p = isnan(o->p) ? 0.5 : o->p;
            if (!in01(p))
                return socind__fail(SOCIND_ERR_ARG,
                                    "the line's quantile (spec.p) must be in (0, 1), got %g", p);
        }
    }
    o->p = p, o->p2 = p2;
    return SOCIND_OK;
}

static void mpq_free(mpq *q) {
    if (!q) return;
    socind__idmap_free(&q->hmap);
    free(q->hg), free(q->hb), free(q->hn), free(q->hw), free(q->hy), free(q->hm);
    free(q->Y), free(q->acc);
    free(q->N), free(q->want), free(q->win), free(q->bef), free(q->fig), free(q->fn), free(q->fst);
    free(q->km), free(q->mo), free(q->mm), free(q->mt);
    free(q);
}

static mpq *mpq_new(int32_t G) {
    mpq *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    const size_t g = (size_t)G;
    q->G = G;
    q->N = calloc(2 * g, sizeof *q->N);
    q->Y = calloc(2 * g, sizeof *q->Y);
    q->acc = calloc(NACC * g, sizeof *q->acc);
    q->want = malloc(2 * g * sizeof *q->want);
    q->win = malloc(2 * g * sizeof *q->win);
    q->bef = calloc(4 * g, sizeof *q->bef);
    q->fig = malloc(NFIG * g * sizeof *q->fig);
    q->fn = calloc(g, sizeof *q->fn);
    q->fst = calloc(g, sizeof *q->fst);
    if (!socind__idmap_init(&q->hmap, 16) || !q->N || !q->Y || !q->acc || !q->want || !q->win ||
        !q->bef || !q->fig || !q->fn || !q->fst) {
        mpq_free(q);
        return NULL;
    }
    for (size_t i = 0; i < 2 * g; i++) q->want[i] = q->win[i] = -1;
    for (size_t i = 0; i < NFIG * g; i++) q->fig[i] = NAN;
    return q;
}

int socind__rank_new(socind_state *s) {
    s->rank = calloc(1, sizeof *s->rank);
    if (!s->rank) return 0;
    const int32_t e = s->sp.estimator;
    if (e == SOCIND_STATE_GINI || socind__state_is_sen(e)) { /* state_gini.c */
        if (!(s->gini = socind__gini_new(s))) return 0;
        s->passes = 2;
        return 1;
    }
    if (socind__state_is_relative(e, s->sp.line_type)) { /* state_relative.c */
        if (!socind__rel_new(s)) return 0;
        /* the median of the poor: each domain's histogram (pass 1) and the
           ranges where its poor's median lies (pass 2 of two) */
        if (socind__state_is_poor_median(e) &&
            !(s->rank->q = mpq_new(s->sp.n_groups > 0 ? s->sp.n_groups : 1)))
            return 0;
        return 1;
    }
    if (e == SOCIND_STATE_POVERTY_LINE && s->sp.line_type != SOCIND_LINE_RELATIVE_QUANTILE) {
        s->rank->cells = 1;
    } else if (e == SOCIND_STATE_QUANTILE || e == SOCIND_STATE_LORENZ ||
               e == SOCIND_STATE_SHARE_RATIO || e == SOCIND_STATE_POVERTY_LINE) {
        s->rank->q = mpq_new(s->sp.n_groups > 0 ? s->sp.n_groups : 1);
        if (!s->rank->q) return 0;
        mpq *q = s->rank->q;
        const size_t G = (size_t)q->G;
        if ((e == SOCIND_STATE_SHARE_RATIO || e == SOCIND_STATE_POVERTY_LINE) &&
            !(q->km = calloc(4 * KM * G, sizeof *q->km)))
            return 0;
        if (e == SOCIND_STATE_SHARE_RATIO || e == SOCIND_STATE_POVERTY_LINE) {
            q->mo = calloc(SOCIND__NM * G, sizeof *q->mo), q->mm = malloc(2 * G * sizeof *q->mm);
            q->mt = calloc(10 * G, sizeof *q->mt);
            if (!q->mo || !q->mm || !q->mt) return 0;
            for (size_t g = 0; g < G; g++) q->mm[2 * g] = INFINITY, q->mm[2 * g + 1] = -INFINITY;
        }
        /* a quantile: 2, or 3 where a limit falls outside pass 2's rows; a
           share ratio and a relative quantile line: 2, or 3 where the
           kernel series is not exact (socind__rank_passes) */
        s->passes = 2;
    }
    return 1;
}

void socind__rank_free(socind_state *s) {
    struct socind__rank *r = s->rank;
    socind__gini_free(s->gini);
    s->gini = NULL;
    if (!r) return;
    socind__rel_free(s);
    free(r->y), free(r->w), free(r->fpc), free(r->h), free(r->p), free(r->row), free(r->g);
    mpq_free(r->q);
    free(r);
    s->rank = NULL;
}

/* ---- the histogram ---- */

/* Room for n more entries without a failure. */
static int hist_reserve(mpq *q, size_t n) {
    if (n > (size_t)INT32_MAX || q->nh + n > (size_t)INT32_MAX) return 0;
    const size_t need = q->nh + n;
    if (need > q->hcap) {
        size_t cap = q->hcap ? q->hcap : 64;
        while (cap < need) cap *= 2;
        if (!socind__state_grow((void **)&q->hg, sizeof *q->hg, cap) ||
            !socind__state_grow((void **)&q->hb, sizeof *q->hb, cap) ||
            !socind__state_grow((void **)&q->hn, sizeof *q->hn, cap) ||
            !socind__state_grow((void **)&q->hw, 2 * sizeof *q->hw, cap) ||
            !socind__state_grow((void **)&q->hy, 2 * sizeof *q->hy, cap) ||
            !socind__state_grow((void **)&q->hm, sizeof *q->hm, cap))
            return 0;
        q->hcap = cap;
    }
    if (2 * need + 2 > q->hmap.cap) { /* a map that takes them without growing */
        socind__idmap m;
        if (!socind__idmap_init(&m, need + 1)) return 0;
        for (size_t i = 0; i < q->nh; i++) {
            size_t slot = socind__idmap_slot(&m, q->hg[i], q->hb[i]);
            m.k1[slot] = q->hg[i], m.k2[slot] = q->hb[i], m.val[slot] = (int32_t)i, m.count++;
        }
        socind__idmap_free(&q->hmap);
        q->hmap = m;
    }
    return 1;
}

/* Adds weight (hi, lo), count n, Σw·y (yhi, ylo) and the largest y ymax
 * to (g, b) (room reserved). */
static void hist_add(mpq *q, int32_t g, int64_t b, double hi, double lo, int64_t n, double yhi,
                     double ylo, double ymax) {
    size_t slot = socind__idmap_slot(&q->hmap, g, b);
    int32_t i = q->hmap.val[slot];
    if (i < 0) {
        i = (int32_t)q->nh++;
        socind__idmap_add(&q->hmap, slot, g, b, i); /* cannot grow: reserved */
        q->hg[i] = g, q->hb[i] = b, q->hn[i] = 0, q->hw[2 * i] = q->hw[2 * i + 1] = 0.0;
        q->hy[2 * i] = q->hy[2 * i + 1] = 0.0, q->hm[i] = ymax;
    }
    socind__dd_add(&q->hw[2 * i], &q->hw[2 * i + 1], hi);
    q->hw[2 * i + 1] += lo;
    socind__dd_add(&q->hy[2 * i], &q->hy[2 * i + 1], yhi);
    q->hy[2 * i + 1] += ylo;
    if (ymax > q->hm[i]) q->hm[i] = ymax;
    q->hn[i] = socind__count_add(q->hn[i], n); /* (forged counts saturate) */
}

typedef struct {
    int64_t g, b;
    int32_t i;
} hkey;
static int cmp_hkey(const void *a, const void *b) {
    const hkey *x = a, *y = b;
    if (x->g != y->g) return x->g < y->g ? -1 : 1;
    if (x->b != y->b) return x->b < y->b ? -1 : 1;
    return 0;
}

/* The histogram's entries ordered by (domain, bucket) into idx, and the
 * first of each domain's in start[0 .. G] (NULL on NOMEM). */
static int32_t *hist_order(const mpq *q, size_t *start) {
    hkey *k = malloc((q->nh ? q->nh : 1) * sizeof *k);
    int32_t *idx = malloc((q->nh ? q->nh : 1) * sizeof *idx);
    if (!k || !idx) {
        free(k), free(idx);
        return NULL;
    }
    for (size_t i = 0; i < q->nh; i++) k[i].g = q->hg[i], k[i].b = q->hb[i], k[i].i = (int32_t)i;
    qsort(k, q->nh, sizeof *k, cmp_hkey);
    size_t t = 0;
    for (int32_t g = 0; g <= q->G; g++) {
        while (t < q->nh && k[t].g < g) t++;
        start[g] = t;
    }
    for (size_t i = 0; i < q->nh; i++) idx[i] = k[i].i;
    free(k);
    return idx;
}

/* The bucket where the share of the entries idx[a .. b) (one domain's, in
 * bucket order) first reaches p, given the total N, and the weight below
 * it; the last bucket when no share does (quantile.c's rule). */
static int64_t hist_find(const mpq *q, const int32_t *idx, size_t a, size_t b, double N, double p,
                         double *bh, double *bl) {
    double ch = 0.0, cl = 0.0, lh = 0.0, ll = 0.0;
    int64_t last = -1;
    for (size_t t = a; t < b; t++) {
        const int32_t e = idx[t];
        double th = ch, tl = cl;
        socind__dd_add(&th, &tl, q->hw[2 * e]);
        tl += q->hw[2 * e + 1];
        if (socind__share_reaches(th + tl, N, p)) {
            *bh = ch, *bl = cl;
            return q->hb[e];
        }
        last = q->hb[e], lh = ch, ll = cl;
        ch = th, cl = tl;
    }
    *bh = lh, *bl = ll;
    return last;
}

static int rows_reserve(struct socind__rank *r, size_t more) {
    if (more <= r->cap - r->n) return 1;
    if (more > SIZE_MAX / 2 - r->n) return 0;
    size_t cap = r->cap ? r->cap : 256;
    while (cap - r->n < more) cap *= 2;
    if (cap > SIZE_MAX / 64) return 0;
    if (!socind__state_grow((void **)&r->y, sizeof *r->y, cap) ||
        !socind__state_grow((void **)&r->w, sizeof *r->w, cap) ||
        !socind__state_grow((void **)&r->fpc, sizeof *r->fpc, cap) ||
        !socind__state_grow((void **)&r->h, sizeof *r->h, cap) ||
        !socind__state_grow((void **)&r->p, sizeof *r->p, cap) ||
        !socind__state_grow((void **)&r->row, sizeof *r->row, cap) ||
        !socind__state_grow((void **)&r->g, sizeof *r->g, cap))
        return 0;
    r->cap = cap;
    return 1;
}

/* Whether s (pass 2 or 3) keeps the rows of domain g's bucket b: a
 * QUANTILE's pass 2 those of its window, every other pass those of its
 * wanted buckets. */
static int kept_bucket(const socind_state *s, int32_t g, int64_t b) {
    const mpq *q = s->rank->q;
    if (s->sp.estimator == SOCIND_STATE_QUANTILE && s->pass == 2)
        return b >= q->win[2 * g] && b <= q->win[2 * g + 1];
    return b == q->want[2 * g] || b == q->want[2 * g + 1];
}

/* Row i's domain when it may enter a three-pass state (a value, a positive
 * weight, a domain), else −1. */
static int32_t candidate(const socind_state *s, const socind_chunk *c, size_t i) {
    const int32_t g = s->sp.n_groups > 0 ? c->group[i] : 0;
    if (g < 0 || g >= s->rank->q->G || isnan(c->y[i]) || !(c->weight[i] > 0.0)) return -1;
    return g;
}

int socind__rank_reserve(socind_state *s, const socind_chunk *c) {
    struct socind__rank *r = s->rank;
    mpq *q = r->q;
    if (r->cells) return 1;
    if (s->rel && !(q && s->pass == 1)) return rows_reserve(r, socind__rel_reserve(s, c));
    if (s->gini) return socind__gini_reserve(s, c);
    if (!q) return 1; /* (every rank state has a plan, a Gini's, a line's or cells) */
    size_t more = 0;
    if (s->pass == 1) { /* the (domain, bucket) pairs new to the histogram */
        socind__idmap seen;
        if (!socind__idmap_init(&seen, 16)) return 0;
        for (size_t i = 0; i < c->n; i++) {
            const int32_t g = candidate(s, c, i);
            if (g < 0) continue;
            const int64_t b = qbucket(c->y[i]);
            if (q->hmap.val[socind__idmap_slot(&q->hmap, g, b)] >= 0) continue;
            const size_t slot = socind__idmap_slot(&seen, g, b);
            if (seen.val[slot] >= 0) continue;
            if (!socind__idmap_add(&seen, slot, g, b, 0)) {
                socind__idmap_free(&seen);
                return 0;
            }
            more++;
        }
        socind__idmap_free(&seen);
        return hist_reserve(q, more);
    }
    for (size_t i = 0; i < c->n; i++) { /* the rows of the wanted buckets */
        const int32_t g = candidate(s, c, i);
        if (g < 0) continue;
        more += (size_t)kept_bucket(s, g, qbucket(c->y[i]));
    }
    return rows_reserve(r, more);
}

static int same_plan(const mpq *a, const mpq *b) {
    const size_t g = (size_t)a->G;
    return a->G == b->G && a->call_st == b->call_st && !memcmp(a->N, b->N, 2 * g * sizeof *a->N) &&
           !memcmp(a->Y, b->Y, 2 * g * sizeof *a->Y) &&
           !memcmp(a->want, b->want, 2 * g * sizeof *a->want) &&
           !memcmp(a->win, b->win, 2 * g * sizeof *a->win) &&
           !memcmp(a->bef, b->bef, 4 * g * sizeof *a->bef) &&
           !memcmp(a->fig, b->fig, NFIG * g * sizeof *a->fig) &&
           !memcmp(a->fn, b->fn, g * sizeof *a->fn) && !memcmp(a->fst, b->fst, g * sizeof *a->fst);
}

int32_t socind__rank_merge_prepare(socind_state *into, const socind_state *from) {
    const struct socind__rank *f = from->rank;
    if (into->gini) return socind__gini_merge_prepare(into, from);
    if (into->rel) {
        const int32_t st = socind__rel_merge_prepare(into, from);
        if (st) return st;
        const int ok = into->rank->q && into->pass == 1 ? hist_reserve(into->rank->q, f->q->nh)
                                                        : rows_reserve(into->rank, f->n);
        return ok ? SOCIND_OK : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    if (into->rank->q && into->pass > 1 && !same_plan(into->rank->q, f->q))
        return socind__fail(SOCIND_ERR_MISMATCH,
                            "the states of pass %d were prepared from different merged states "
                            "of pass %d",
                            (int)into->pass, (int)into->pass - 1);
    int ok = into->rank->q && into->pass == 1 ? hist_reserve(into->rank->q, f->q->nh)
                                              : rows_reserve(into->rank, f->n);
    return ok ? SOCIND_OK : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
}

/* Appends row i of chunk c (room reserved). */
static void keep_row(socind_state *s, const socind_chunk *c, size_t i) {
    struct socind__rank *r = s->rank;
    const socind_state_spec *sp = &s->sp;
    const size_t k = r->n++;
    const int64_t num = c->first_row + (int64_t)i;
    r->y[k] = c->y[i];
    r->w[k] = c->weight[i];
    r->fpc[k] = sp->has_fpc ? c->fpc[i] : NAN;
    r->h[k] = sp->has_strata ? c->strata[i] : 0;
    r->p[k] = sp->has_psu ? c->psu[i] : num;
    r->row[k] = num;
    r->g[k] = sp->n_groups > 0 ? c->group[i] : 0;
    /* (the profile's rows in no group: its cells' code n_groups) */
    if (r->g[k] < 0 && socind__state_keeps_ungrouped(sp->estimator)) r->g[k] = sp->n_groups;
}

/* The Lorenz ordinate's reference c in domain g (pass 2): the largest
 * value below the straddling row's bucket, 0 where there is none. The rows
 * below that bucket lie at or below c, and c at or below the point q̃, so
 * Σw·(y − q̃) over them is Σw·(y − c) + (c − q̃)·Σw: terms no larger than
 * the rows' own, which keeps the digits of incomes close to q̃. */
static double lorenz_ref(const mpq *q, int32_t g) {
    const double c = q->fig[NFIG * (size_t)g + 1];
    return isnan(c) ? 0.0 : c;
}

/* Whether s sums the incomes' moments in this pass (the first of a share
 * ratio and of a relative quantile line). */
static int moments_pass(const socind_state *s) {
    return s->rank->q && s->rank->q->mo && s->pass == 1;
}

/* Row (w > 0, y) of domain g into a share ratio's or a relative quantile
 * line's kernel moments (pass 2): at each quantile j (the line's one: its
 * c_2 is NaN), Σw·e·u^n for n < KM, e = exp(−u²/2), u = (c_j − y)·(1/h);
 * rows with |u| > 38.5 add nothing (e underflows to 0). */
void socind__kernel_moments_add(double *m, double w, double u) {
    if (!(fabs(u) <= 38.5)) return;
    double t = w * exp(-0.5 * u * u);
    for (int n = 0; n < KM; n++, t *= u) socind__dd_add(&m[2 * n], &m[2 * n + 1], t);
}

static void share_moments(mpq *q, int32_t g, double w, double y) {
    const double *f = q->fig + NFIG * (size_t)g, ih = 1.0 / f[2];
    if (!(f[2] > 0.0)) return; /* no bandwidth (every income equal) */
    for (int j = 0; j < 2; j++)
        socind__kernel_moments_add(q->km + (4 * (size_t)g + 2 * (size_t)j) * KM, w,
                                   (f[j] - y) * ih);
}

void socind__rank_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                      const unsigned char *use) {
    mpq *q = s->rank->q;
    if (s->gini) {
        socind__gini_add(s, c, ci, use);
        return;
    }
    if (s->rel) {
        socind__rel_add(s, c, ci, use);
        return;
    }
    if (s->rank->cells) { /* Σw, Σw·y (each product's rounding error kept: a
                             mean line's Σw·(y − μ̂) is far smaller than Σw·y
                             where incomes sit far from 0) */
        for (size_t i = 0; i < c->n; i++) {
            if (ci[i] < 0 || use[i] != 0) continue;
            double *sum = s->c_sum + (size_t)ci[i] * 4;
            const double w = c->weight[i], y = c->y[i], wy = w * y;
            socind__dd_add(&sum[0], &sum[1], w);
            socind__dd_add(&sum[2], &sum[3], wy);
            if (isfinite(wy)) sum[3] += fma(w, y, -wy);
        }
        return;
    }
    if (!q) return;
    if (moments_pass(s)) /* the bandwidth's moments */
        socind__moments_chunk(q->mt, q->mo, q->mm, q->G, c, s->sp.n_groups > 0, -1);
    for (size_t i = 0; i < c->n; i++) {
        if (ci[i] < 0 || use[i] != 0) continue;
        const int32_t k = ci[i], g = s->c_group[k];
        const double w = c->weight[i], y = c->y[i];
        const int64_t b = qbucket(y);
        if (s->pass == 1) {
            if (w > 0.0) hist_add(q, g, b, w, 0.0, 1, w * y, 0.0, y);
        } else if (s->sp.estimator == SOCIND_STATE_POVERTY_LINE) {
            double *acc = q->acc + NACC * (size_t)g;
            if (s->pass == 2) {
                /* Σw, Σw below Q's bucket (its rows kept); the kernel's
                   moments about the bucket's centre */
                double *sum = s->c_sum + (size_t)k * 4;
                socind__dd_add(&sum[0], &sum[1], w);
                if (b < q->want[2 * g]) socind__dd_add(&sum[2], &sum[3], w);
                if (w > 0.0) {
                    if (b == q->want[2 * g]) keep_row(s, c, i);
                    share_moments(q, g, w, y);
                }
            } else { /* Σw, Σw·1[y <= Q]; the kernel sum at Q */
                const double *f = q->fig + NFIG * (size_t)g;
                double *sum = s->c_sum + (size_t)k * 4;
                socind__dd_add(&sum[0], &sum[1], w);
                if (y <= f[0]) socind__dd_add(&sum[2], &sum[3], w);
                if (w > 0.0) {
                    const double t = (f[0] - y) * (1.0 / f[2]);
                    socind__dd_add(&acc[2], &acc[3], w * exp(-0.5 * t * t));
                }
            }
        } else if (s->sp.estimator == SOCIND_STATE_SHARE_RATIO) {
            double *acc = q->acc + NACC * (size_t)g;
            if (s->pass == 2) {
                /* the sums of pass 3 below, split at the quantiles' buckets
                   (their rows kept), and the kernel's moments */
                const int64_t b1 = q->want[2 * g], b2 = q->want[2 * g + 1];
                double *sum = s->c_sum + (size_t)k * 12;
                socind__dd_add(&sum[0], &sum[1], w);
                socind__dd_add(&sum[2], &sum[3], w * y);
                if (b < b1) {
                    socind__dd_add(&sum[4], &sum[5], w);
                    socind__dd_add(&sum[6], &sum[7], w * y);
                }
                if (b < b2) socind__dd_add(&sum[8], &sum[9], w);
                if (b > b2) socind__dd_add(&sum[10], &sum[11], w * y);
                if (w > 0.0) {
                    if (b == b1 || b == b2) keep_row(s, c, i);
                    share_moments(q, g, w, y);
                }
            } else {
                /* Σw, Σw·y, Σw·i1, Σw·y·i1, Σw·i2, Σw·y·(1 − i2), i = 1[y <= q] */
                const double *f = q->fig + NFIG * (size_t)g;
                const double q1 = f[0], q2 = f[1], ih = 1.0 / f[2];
                double *sum = s->c_sum + (size_t)k * 12;
                socind__dd_add(&sum[0], &sum[1], w);
                socind__dd_add(&sum[2], &sum[3], w * y);
                if (y <= q1) {
                    socind__dd_add(&sum[4], &sum[5], w);
                    socind__dd_add(&sum[6], &sum[7], w * y);
                }
                if (y <= q2)
                    socind__dd_add(&sum[8], &sum[9], w);
                else
                    socind__dd_add(&sum[10], &sum[11], w * y);
                if (w > 0.0) {
                    for (int j = 0; j < 2; j++) {
                        const double t = (f[j] - y) * ih, ek = w * exp(-0.5 * t * t);
                        socind__dd_add(&acc[2 + 4 * j], &acc[3 + 4 * j], ek);
                        socind__dd_add(&acc[4 + 4 * j], &acc[5 + 4 * j], ek * y);
                    }
                }
            }
        } else if (s->sp.estimator == SOCIND_STATE_LORENZ && s->pass == 3) {
            /* pass 3 (q̃ beyond its bucket): Σw, Σw·y, Σw·(y − q̃)·1[y <= q̃] */
            const double qt = q->fig[NFIG * (size_t)g + 1];
            double *sum = s->c_sum + (size_t)k * 8;
            socind__dd_add(&sum[0], &sum[1], w);
            socind__dd_add(&sum[2], &sum[3], w * y);
            if (y <= qt) socind__dd_add(&sum[4], &sum[5], w * (y - qt));
        } else if (s->sp.estimator == SOCIND_STATE_LORENZ) {
            /* pass 2: Σw, Σw·y, and below the straddling row's bucket
               Σw·(y − c), Σw (c: lorenz_ref); that bucket's rows */
            const int64_t wb = q->want[2 * g];
            double *sum = s->c_sum + (size_t)k * 8;
            socind__dd_add(&sum[0], &sum[1], w);
            socind__dd_add(&sum[2], &sum[3], w * y);
            if (b < wb) {
                socind__dd_add(&sum[4], &sum[5], w * (y - lorenz_ref(q, g)));
                socind__dd_add(&sum[6], &sum[7], w);
            }
            if (w > 0.0 && b == wb) keep_row(s, c, i);
        } else if (s->pass == 2) {
            double *sum = s->c_sum + (size_t)k * 4;
            socind__dd_add(&sum[0], &sum[1], w);
            if (b < q->want[2 * g]) socind__dd_add(&sum[2], &sum[3], w);
            if (w > 0.0 && kept_bucket(s, g, b)) keep_row(s, c, i);
        } else if (w > 0.0 && (b == q->want[2 * g] || b == q->want[2 * g + 1])) {
            keep_row(s, c, i);
        }
    }
}

void socind__rank_merge(socind_state *into, const socind_state *from) {
    struct socind__rank *r = into->rank;
    const struct socind__rank *f = from->rank;
    if (into->gini) {
        socind__gini_merge(into, from);
        return;
    }
    if (into->rel) socind__rel_merge(into, from); /* (and its window's rows, below) */
    if (r->q && into->pass > 1)
        for (size_t j = 0; j < NACC * (size_t)r->q->G; j += 2) {
            socind__dd_add(&r->q->acc[j], &r->q->acc[j + 1], f->q->acc[j]);
            r->q->acc[j + 1] += f->q->acc[j + 1];
        }
    if (r->q && r->q->km && into->pass == 2)
        socind__dd_merge(r->q->km, f->q->km, 2 * KM * (size_t)r->q->G);
    if (moments_pass(into))
        for (size_t g = 0; g < (size_t)r->q->G; g++)
            socind__moments_merge(r->q->mo + SOCIND__NM * g, r->q->mm + 2 * g,
                                  f->q->mo + SOCIND__NM * g, f->q->mm + 2 * g);
    if (r->q && into->pass == 1) {
        const mpq *fq = f->q;
        for (size_t i = 0; i < fq->nh; i++)
            hist_add(r->q, fq->hg[i], fq->hb[i], fq->hw[2 * i], fq->hw[2 * i + 1], fq->hn[i],
                     fq->hy[2 * i], fq->hy[2 * i + 1], fq->hm[i]);
        return;
    }
    const size_t m = f->n, at = r->n;
    if (m == 0) return;
    memcpy(r->y + at, f->y, m * sizeof *r->y);
    memcpy(r->w + at, f->w, m * sizeof *r->w);
    memcpy(r->fpc + at, f->fpc, m * sizeof *r->fpc);
    memcpy(r->h + at, f->h, m * sizeof *r->h);
    memcpy(r->p + at, f->p, m * sizeof *r->p);
    memcpy(r->row + at, f->row, m * sizeof *r->row);
    memcpy(r->g + at, f->g, m * sizeof *r->g);
    r->n += m;
}

/* ---- the quantile's passes ---- */

/* The rows a QUANTILE's pass 2 keeps at most in its windows (52 bytes each
 * in memory, 56 in the bytes: about 110 MiB). */
#define QWIN_ROWS SOCIND__WINDOW_ROWS
SOCIND__TEST_SWITCH_DEFINE(socind__qwin_budget);
SOCIND__TEST_SWITCH_DEFINE(socind__force_pass3);

/* A QUANTILE, pass 1 → 2: each domain's window, the buckets around its
 * quantile's whose rows pass 2 keeps so that the Woodruff limits are
 * selected among them and pass 2 is the last (socind__rank_passes). It
 * spans the shares within t·ŝ of the quantile bucket's, ŝ = √(2·Σ n_i²)/n
 * (n_i the domain's rows of positive weight in PSU i, n their sum; t the
 * default interval's critical value at the PSUs less one): the SE of a
 * share under equal weights when every PSU's rows fall on one side of the
 * quantile, which bounds it up to the weights' spread. The windows are
 * halved until they hold at most QWIN_ROWS rows together (at the least the
 * quantile's bucket alone). A limit outside them takes a third pass. */
static int32_t plan_window(const socind_state *m, mpq *nq, const int32_t *idx,
                           const size_t *start) {
    const mpq *q = m->rank->q;
    const int32_t G = q->G;
    double *ns = calloc(3 * (size_t)G, sizeof *ns); /* n, Σ n_i², the half-width */
    if (!ns) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < m->ncell; i++) {
        const double v = (double)m->c_npos[i];
        ns[3 * (size_t)m->c_group[i]] += v, ns[3 * (size_t)m->c_group[i] + 1] += v * v;
    }
    socind_options o;
    socind_options_init(&o);
    double t;
    if (socind__critical(&o, m->npsu > 1 ? (double)(m->npsu - 1) : 1.0, &t) || !isfinite(t))
        t = 0.0; /* no interval: the quantile's bucket alone */
    for (int32_t g = 0; g < G; g++) {
        const double *v = ns + 3 * (size_t)g;
        const double h = t * sqrt(2.0 * v[1]) / v[0];
        ns[3 * (size_t)g + 2] = isfinite(h) ? h : 0.0;
    }
    for (double scale = 1.0;; scale *= 0.5) {
        if (scale < 0x1p-30) scale = 0.0;
        int64_t rows = 0;
        for (int32_t g = 0; g < G; g++) {
            const int64_t wb = nq->want[2 * g];
            nq->win[2 * g] = nq->win[2 * g + 1] = wb;
            const double h = scale * ns[3 * (size_t)g + 2];
            const double N = socind__pair_value(nq->N[2 * g], nq->N[2 * g + 1]);
            if (wb >= 0 && h > 0.0) {
                const double before = nq->bef[4 * g] + nq->bef[4 * g + 1];
                const int32_t e = q->hmap.val[socind__idmap_slot(&q->hmap, g, wb)];
                const double upto = before + q->hw[2 * e] + q->hw[2 * e + 1];
                double bh, bl;
                const int64_t lo =
                    hist_find(q, idx, start[g], start[g + 1], N, before / N - h, &bh, &bl);
                const int64_t hi =
                    hist_find(q, idx, start[g], start[g + 1], N, upto / N + h, &bh, &bl);
                if (lo < wb) nq->win[2 * g] = lo;
                if (hi > wb) nq->win[2 * g + 1] = hi;
            }
            for (size_t k = start[g]; k < start[g + 1]; k++)
                if (q->hb[idx[k]] >= nq->win[2 * g] && q->hb[idx[k]] <= nq->win[2 * g + 1])
                    rows = socind__count_add(rows, q->hn[idx[k]]);
        }
        const int64_t budget = socind__qwin_budget > 0 ? socind__qwin_budget : QWIN_ROWS;
        if (rows <= budget || scale == 0.0) break;
    }
    free(ns);
    return SOCIND_OK;
}

/* Pass 1 → 2: each domain's weight and the bucket of its quantile (a
 * QUANTILE's: and its window). */
static int32_t plan_quantile(const socind_state *m, socind_state *n) {
    const mpq *q = m->rank->q;
    mpq *nq = n->rank->q;
    if (!hist_reserve(nq, q->nh)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < q->nh; i++)
        hist_add(nq, q->hg[i], q->hb[i], q->hw[2 * i], q->hw[2 * i + 1], q->hn[i], q->hy[2 * i],
                 q->hy[2 * i + 1], q->hm[i]);
    size_t *start = malloc(((size_t)q->G + 1) * sizeof *start);
    int32_t *idx = start ? hist_order(q, start) : NULL;
    if (!idx) {
        free(start);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (int32_t g = 0; g < q->G; g++) {
        double hi = 0.0, lo = 0.0, yh = 0.0, yl = 0.0;
        for (size_t t = start[g]; t < start[g + 1]; t++) {
            socind__dd_add(&hi, &lo, q->hw[2 * idx[t]]);
            lo += q->hw[2 * idx[t] + 1];
            socind__dd_add(&yh, &yl, q->hy[2 * idx[t]]);
            yl += q->hy[2 * idx[t] + 1];
        }
        nq->N[2 * g] = hi, nq->N[2 * g + 1] = lo, nq->Y[2 * g] = yh, nq->Y[2 * g + 1] = yl;
        nq->want[2 * g] = hist_find(q, idx, start[g], start[g + 1], hi + lo, m->sp.p,
                                    &nq->bef[4 * g], &nq->bef[4 * g + 1]);
        nq->want[2 * g + 1] = -1;
    }
    int32_t st =
        m->sp.estimator == SOCIND_STATE_QUANTILE ? plan_window(m, nq, idx, start) : SOCIND_OK;
    free(start), free(idx);
    return st;
}

/* Work space for selecting among kept rows: their indices by domain (a
 * counting sort: domain g's are ord[start[g] .. start[g + 1]), so that a
 * domain's selection reads its own rows only, whatever the domains and the
 * rows a window keeps) and room for one bucket's (y, w). */
typedef struct {
    double y, w;
    int64_t row;
} ywr;
typedef struct {
    socind__yw *a;
    ywr *l; /* with_rows: room for one bucket's (y, w, row number) */
    size_t *ord, *start;
} rsel;

static void rsel_free(rsel *x) {
    if (!x) return;
    free(x->a), free(x->l), free(x->ord), free(x->start);
    free(x);
}

/* The work space for r's rows (kept rows: domains in [0, G)); NULL when out
 * of memory. */
static rsel *rsel_new(const struct socind__rank *r, int32_t G, int with_rows) {
    rsel *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    const size_t n = r->n ? r->n : 1;
    x->a = malloc(n * sizeof *x->a), x->ord = malloc(n * sizeof *x->ord);
    x->start = calloc((size_t)G + 2, sizeof *x->start);
    if (with_rows) x->l = malloc(n * sizeof *x->l);
    if (!x->a || !x->ord || !x->start || (with_rows && !x->l)) {
        rsel_free(x);
        return NULL;
    }
    for (size_t k = 0; k < r->n; k++) x->start[r->g[k] + 2]++;
    for (int32_t g = 0; g < G; g++) x->start[g + 2] += x->start[g + 1];
    for (size_t k = 0; k < r->n; k++) x->ord[x->start[r->g[k] + 1]++] = k;
    return x;
}

/* Domain g's rows among r's in bucket b into x->a, and with their row
 * numbers into x->l where x has it (−0 as +0, as the in-memory estimators
 * take it): their number. */
static size_t bucket_rows(const struct socind__rank *r, int32_t g, int64_t b, rsel *x) {
    size_t m = 0;
    for (size_t t = x->start[g]; t < x->start[g + 1]; t++) {
        const size_t k = x->ord[t];
        if (qbucket(r->y[k]) != b) continue;
        x->a[m].y = r->y[k] + 0.0, x->a[m].w = r->w[k];
        if (x->l) x->l[m].y = x->a[m].y, x->l[m].w = r->w[k], x->l[m].row = r->row[k];
        m++;
    }
    return m;
}

/* Domain g's p-quantile among r's rows of plan q's wanted bucket slot. */
static double select_in(const struct socind__rank *r, const mpq *q, int32_t g, int slot, double p,
                        rsel *x) {
    size_t m = bucket_rows(r, g, q->want[2 * g + slot], x);
    if (m == 0) return NAN;
    const socind__ksum before = {q->bef[4 * g + 2 * slot], q->bef[4 * g + 2 * slot + 1]};
    return socind__wq_select(x->a, m, before, q->N[2 * g] + q->N[2 * g + 1], p);
}

void socind__rank_narrow(socind_state *s) {
    mpq *q = s->rank->q;
    for (int32_t g = 0; g < q->G; g++) q->win[2 * g] = q->win[2 * g + 1] = q->want[2 * g];
}

int32_t socind__rank_select(const socind_state *s, double *Q) {
    const mpq *q = s->rank->q;
    rsel *a = rsel_new(s->rank, q->G, 0);
    if (!a) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (int32_t g = 0; g < q->G; g++) Q[g] = select_in(s->rank, q, g, 0, s->sp.p, a);
    rsel_free(a);
    return SOCIND_OK;
}

/* The cell of kept row k of state m (its PSU's, in its domain), −1 when
 * none (a row's PSU and cell are the state's: added with it). */
static int32_t row_cell(const socind_state *m, size_t k) {
    const struct socind__rank *r = m->rank;
    const size_t slot = socind__idmap_slot(&m->pmap, socind__state_pkey1(m, r->h[k]), r->p[k]);
    const int32_t pi = m->pmap.val[slot];
    return pi < 0 ? -1 : m->cmap.val[socind__idmap_slot(&m->cmap, pi, r->g[k])];
}

void socind__rank_keep(socind_state *s, const socind_chunk *c, size_t i) {
    keep_row(s, c, i);
}

size_t socind__rank_rows(const socind_state *s) {
    return s->rank->n;
}

int32_t socind__rank_row_cell(const socind_state *s, size_t k, double *y, double *w) {
    *y = s->rank->y[k], *w = s->rank->w[k];
    return row_cell(s, k);
}

int socind__rank_line_window(const socind_state *line, double frac, double ext, double *zl,
                             double *zh, int64_t *rows) {
    const mpq *q = line->rank->q;
    const int64_t b = q->want[0];
    *zl = *zh = NAN, *rows = 0;
    if (b < 0 || b + 1 >= QBUCKETS) return 0;
    const double lo = frac * bucket_low(b), hi = frac * bucket_low(b + 1);
    const double low = lo - ext * (hi - lo);
    if (!isfinite(lo) || !isfinite(hi) || !(lo <= hi) || !isfinite(low)) return 0;
    const int64_t bl = qbucket(low), bh = qbucket(hi);
    for (size_t i = 0; i < q->nh; i++)
        if (q->hb[i] >= bl && q->hb[i] <= bh) *rows = socind__count_add(*rows, q->hn[i]);
    *zl = lo, *zh = hi;
    return 1;
}

/* ---- the median of the poor in two passes (state_relative.c) ---- */

void socind__rank_hist_chunk(socind_state *s, const socind_chunk *c, const int32_t *ci,
                             const unsigned char *use) {
    mpq *q = s->rank->q;
    for (size_t i = 0; i < c->n; i++) {
        if (ci[i] < 0 || use[i] != SOCIND__ROW_USED) continue;
        const double w = c->weight[i], y = c->y[i];
        if (w > 0.0 && !isnan(y))
            hist_add(q, s->c_group[ci[i]], qbucket(y), w, 0.0, 1, w * y, 0.0, y);
    }
}

/* Domain g's range of buckets (entries idx[a .. b) of q, in bucket order)
 * where the median of its poor lies for any line z in [zl, zh]: at ½ of
 * its weight at or below z, which is at least that of its buckets below
 * zl's and at most that of its buckets up to zh's (hist_find's bucket
 * grows with the total; each bound moved out by 2^−50 of it against
 * rounding); −1, −1 for a domain with no weight up to zh's bucket. */
static void poor_range(const mpq *q, const int32_t *idx, size_t a, size_t b, double zl, double zh,
                       int64_t *lo, int64_t *hi) {
    const int64_t bl = qbucket(zl), bh = qbucket(zh);
    double lh = 0.0, ll = 0.0, hh = 0.0, hl = 0.0, xh, xl;
    for (size_t t = a; t < b; t++) {
        const int32_t e = idx[t];
        if (q->hb[e] < bl) {
            socind__dd_add(&lh, &ll, q->hw[2 * e]);
            ll += q->hw[2 * e + 1];
        }
        if (q->hb[e] <= bh) {
            socind__dd_add(&hh, &hl, q->hw[2 * e]);
            hl += q->hw[2 * e + 1];
        }
    }
    *lo = *hi = -1;
    if (!(hh + hl > 0.0)) return;
    *lo = hist_find(q, idx, a, b, (lh + ll) * (1.0 - 0x1p-50), 0.5, &xh, &xl);
    *hi = hist_find(q, idx, a, b, (hh + hl) * (1.0 + 0x1p-50), 0.5, &xh, &xl);
}

/* Each domain's range (poor_range) from q's histogram into ranges (2 a
 * domain) and the rows they hold into *rows (at most INT64_MAX); 0 when
 * out of memory. */
static int poor_ranges(const mpq *q, double zl, double zh, int64_t *ranges, int64_t *rows) {
    size_t *start = malloc(((size_t)q->G + 1) * sizeof *start);
    int32_t *idx = start ? hist_order(q, start) : NULL;
    if (!idx) {
        free(start);
        return 0;
    }
    *rows = 0;
    for (int32_t g = 0; g < q->G; g++) {
        int64_t *rg = ranges + 2 * (size_t)g;
        poor_range(q, idx, start[g], start[g + 1], zl, zh, &rg[0], &rg[1]);
        for (size_t t = start[g]; t < start[g + 1]; t++)
            if (q->hb[idx[t]] >= rg[0] && q->hb[idx[t]] <= rg[1])
                *rows = socind__count_add(*rows, q->hn[idx[t]]);
    }
    free(start), free(idx);
    return 1;
}

int32_t socind__rank_poor_plan(const socind_state *m, socind_state *n, double zl, double zh,
                               int64_t budget, int *fits) {
    mpq *nq = n->rank->q;
    int64_t rows;
    *fits = 0;
    if (!poor_ranges(m->rank->q, zl, zh, nq->win, &rows))
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    *fits = rows <= budget;
    for (int32_t g = 0; !*fits && g < nq->G; g++) nq->win[2 * g] = nq->win[2 * g + 1] = -1;
    return SOCIND_OK;
}

int socind__rank_poor_plan_ok(const socind_state *s, int window) {
    const mpq *q = s->rank->q;
    int ok = s->pass == 1 || q->nh == 0; /* a histogram in pass 1 only */
    for (int32_t g = 0; g < q->G; g++) {
        const int64_t *w = q->win + 2 * g;
        /* (read_quantile: a range's bounds in order, or both −1) */
        if (q->want[2 * g] != -1 || q->want[2 * g + 1] != -1 || (!window && w[0] != -1) ||
            (window && s->pass == 1))
            ok = 0;
    }
    return ok;
}

int socind__rank_same_ranges(const socind_state *a, const socind_state *b) {
    const mpq *p = a->rank->q, *q = b->rank->q;
    return !memcmp(p->win, q->win, 2 * (size_t)p->G * sizeof *p->win);
}

int socind__rank_poor_where(const socind_state *s, int32_t g, double y) {
    const mpq *q = s->rank->q;
    const int64_t lo = q->win[2 * g], hi = q->win[2 * g + 1], b = qbucket(y);
    return lo < 0 || b > hi ? 1 : b < lo ? -1 : 0;
}

double socind__rank_poor_centre(const socind_state *s, int32_t g) {
    const mpq *q = s->rank->q;
    const int64_t lo = q->win[2 * g], hi = q->win[2 * g + 1];
    if (lo < 0 || hi + 1 >= QBUCKETS) return NAN;
    const double a = bucket_low(lo), b = bucket_low(hi + 1), c = 0.5 * a + 0.5 * b;
    return isfinite(c) ? c : NAN;
}

typedef struct {
    int64_t b, row;
    double y, w;
} bywr;
static int cmp_bywr(const void *p, const void *q) {
    const bywr *x = p, *y = q;
    if (x->b != y->b) return x->b < y->b ? -1 : 1;
    if (x->y != y->y) return x->y < y->y ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Whether the share cum/N reaches ½ (want 1) or does not (want 0), as the
 * plan decided it from the histogram (socind__share_reaches: the rows' own
 * sums in pairs are the histogram's within about 2^−100, so that the share
 * rounds the same but within that of a double's rounding boundary). */
static int share_is(double cum, double N, int want) {
    return socind__share_reaches(cum, N, 0.5) == want;
}

int64_t socind__rank_bucket(double y) {
    return qbucket(y);
}

int32_t socind__rank_poor_select(const socind_state *s, const double *N, const double *below,
                                 const double *nlh, double z, double *med, int *ok) {
    const struct socind__rank *r = s->rank;
    const mpq *q = r->q;
    rsel *x = rsel_new(r, q->G, 0);
    bywr *a = malloc((r->n ? r->n : 1) * sizeof *a);
    if (!x || !a) {
        rsel_free(x), free(a);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    *ok = 1;
    for (int32_t g = 0; g < q->G; g++) {
        med[g] = NAN;
        const int64_t lo = q->win[2 * g], hi = q->win[2 * g + 1];
        const double Nlo = nlh[2 * g] * (1.0 - 0x1p-50), Nhi = nlh[2 * g + 1] * (1.0 + 0x1p-50);
        if (lo < 0) { /* no range: no weight up to zh's bucket */
            if (nlh[2 * g + 1] != 0.0 || N[g] > 0.0) *ok = 0;
            continue;
        }
        /* its rows below its range not kept (below), and kept (all, and
           its poor); its kept rows of its range by bucket (then income and
           row: the same sums whatever the order the rows came in) */
        double ah = below[2 * g], al = below[2 * g + 1], ph = ah, pl = al;
        size_t m = 0;
        for (size_t t = x->start[g]; t < x->start[g + 1]; t++) {
            const size_t k = x->ord[t];
            const int64_t b = qbucket(r->y[k]);
            if (b < lo) {
                socind__dd_add(&ah, &al, r->w[k]);
                if (r->y[k] <= z) socind__dd_add(&ph, &pl, r->w[k]);
            } else if (b <= hi) {
                a[m].b = b, a[m].row = r->row[k], a[m].y = r->y[k] + 0.0, a[m].w = r->w[k];
                m++;
            }
        }
        qsort(a, m, sizeof *a, cmp_bywr);
        /* the range is its rows' (socind__rank_poor_plan's rule on their
           sums): the share of the rows below lo does not reach ½ of N_lo,
           through lo it does; through the bucket before hi it does not
           reach ½ of N_hi, through hi it does */
        int good = m > 0 && a[0].b == lo && a[m - 1].b == hi && share_is(ah + al, Nlo, 0);
        double ch = ah, cl = al;
        for (size_t i = 0; i < m && good;) {
            size_t j = i;
            double th = ch, tl = cl;
            for (; j < m && a[j].b == a[i].b; j++) socind__dd_add(&th, &tl, a[j].w);
            if (a[i].b == lo && !share_is(th + tl, Nlo, 1)) good = 0;
            if (a[i].b == hi && (!share_is(th + tl, Nhi, 1) || !share_is(ch + cl, Nhi, 0)))
                good = 0;
            ch = th, cl = tl, i = j;
        }
        if (!good) {
            *ok = 0;
            continue;
        }
        if (!(N[g] > 0.0)) continue;
        /* the bucket where the share of the poor's weight below it and of
           its buckets reaches ½ (hist_find's rule), then the row in it */
        ch = ph, cl = pl;
        int found = 0;
        if (!socind__share_reaches(ch + cl, N[g], 0.5))
            for (size_t i = 0; i < m && !found;) {
                size_t j = i, n = 0;
                double th = ch, tl = cl;
                for (; j < m && a[j].b == a[i].b; j++)
                    if (a[j].y <= z) {
                        socind__dd_add(&th, &tl, a[j].w);
                        x->a[n].y = a[j].y, x->a[n].w = a[j].w, n++;
                    }
                if (n > 0 && socind__share_reaches(th + tl, N[g], 0.5)) {
                    med[g] = socind__wq_select(x->a, n, (socind__ksum){ch, cl}, N[g], 0.5);
                    found = 1;
                }
                ch = th, cl = tl, i = j;
            }
        if (!found) *ok = 0; /* (not the merged state of every chunk) */
    }
    rsel_free(x), free(a);
    return SOCIND_OK;
}

/* Each domain's rows (nu[g]) and rows of weight > 0 (nu[G + g]) of s, in
 * one pass over its cells (not one a domain: G·cells with many domains);
 * the caller frees; NULL out of memory. */
static int64_t *domain_counts(const socind_state *s, int32_t G) {
    int64_t *nu = calloc(2 * (size_t)G, sizeof *nu);
    for (size_t i = 0; nu && i < s->ncell; i++) {
        const int32_t g = s->c_group[i];
        nu[g] = socind__count_add(nu[g], s->c_n[i]);
        nu[G + g] = socind__count_add(nu[G + g], s->c_npos[i]);
    }
    return nu;
}

/* Pass 2 → 3: the quantiles, p̂ and s through the variance engine (a mean
 * of the indicator over a copy of the PSU and cell tables), and the
 * buckets of the Woodruff limits at the default interval. */
static int32_t plan_limits(const socind_state *m, socind_state *n) {
    const mpq *q = m->rank->q;
    mpq *nq = n->rank->q;
    const int32_t G = q->G;
    const struct socind__rank *r = m->rank;
    memcpy(nq->N, q->N, 2 * (size_t)G * sizeof *q->N);
    rsel *a = rsel_new(r, q->G, 0);
    double *Q = malloc((size_t)G * sizeof *Q);
    socind_estimate *e = malloc((size_t)G * sizeof *e);
    size_t *start = malloc(((size_t)G + 1) * sizeof *start);
    int32_t *idx = start ? hist_order(q, start) : NULL;
    int64_t *nu = domain_counts(m, G), *npos = nu ? nu + G : NULL;
    socind_state_spec sp = m->sp;
    sp.estimator = SOCIND_STATE_MEAN;
    sp.p = sp.p2 = NAN;
    socind_state *t = socind__state_alloc(&sp);
    int32_t st = SOCIND_OK;
    if (!a || !Q || !e || !idx || !nu || !t) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (t) t->used_df = 1; /* each domain's df: svyquantile's on the domain's design */
    for (int32_t g = 0; !st && g < G; g++) Q[g] = select_in(r, q, g, 0, m->sp.p, a);
    /* the tables, each cell's sums Σw, Σw·1[y <= Q] (twice: a mean's K) */
    if (!st) st = socind__state_copy_tables(m, t);
    for (size_t i = 0; !st && i < m->ncell; i++) { /* (the same order: cell i is t's i) */
        const double *src = m->c_sum + 4 * i;
        double *dst = t->c_sum + 6 * i;
        dst[0] = src[0], dst[1] = src[1], dst[2] = src[2], dst[3] = src[3];
    }
    for (size_t k = 0; !st && k < r->n; k++) { /* Q's bucket's rows (the window's others: below
                                                  it, in the cells' sums, or above Q) */
        const int32_t g = r->g[k];
        if (!(r->y[k] <= Q[g]) || qbucket(r->y[k]) != q->want[2 * g]) continue;
        const int32_t ci = row_cell(m, k);
        if (ci < 0) continue;
        double *dst = t->c_sum + 6 * (size_t)ci;
        socind__dd_add(&dst[2], &dst[3], r->w[k]);
    }
    for (size_t i = 0; !st && i < t->ncell; i++)
        t->c_sum[6 * i + 4] = t->c_sum[6 * i + 2], t->c_sum[6 * i + 5] = t->c_sum[6 * i + 3];
    if (!st) {
        nq->call_st = socind_state_finish(t, NULL, e, (size_t)G);
        socind__clear_detail();
    }
    socind_options o;
    socind_options_init(&o);
    for (int32_t g = 0; !st && !nq->call_st && g < G; g++) {
        double *f = nq->fig + NFIG * (size_t)g;
        nq->fn[g] = nu[g];
        f[4] = e[g].df;
        if (npos[g] == 0) {
            nq->fst[g] = SOCIND_ERR_EMPTY_DOMAIN;
            continue;
        }
        const double ph = e[g].value, sd = e[g].se;
        /* (no quantile where the weight sum leaves the double range: every
           share of it is 0 or NaN) */
        f[0] = isinf(e[g].weight_sum) ? NAN : Q[g], f[1] = ph, f[2] = sd, f[3] = e[g].weight_sum;
        nq->fst[g] = isnan(sd) ? (e[g].status ? e[g].status : SOCIND_ERR_OVERFLOW) : SOCIND_OK;
        double qv;
        int32_t qs = socind__critical(&o, e[g].df, &qv);
        if (qs == SOCIND_ERR_DF || !isfinite(sd)) continue;
        if (qs == SOCIND_ERR_OVERFLOW) qv = INFINITY;
        const double qs_ = sd == 0.0 ? 0.0 : qv * sd, pl = ph - qs_, pu = ph + qs_;
        const double Nd = q->N[2 * g] + q->N[2 * g + 1];
        if (!(pl < 0.0))
            nq->want[2 * g] = hist_find(q, idx, start[g], start[g + 1], Nd, pl, &nq->bef[4 * g],
                                        &nq->bef[4 * g + 1]);
        if (!(pu > 1.0))
            nq->want[2 * g + 1] = hist_find(q, idx, start[g], start[g + 1], Nd, pu,
                                            &nq->bef[4 * g + 2], &nq->bef[4 * g + 3]);
    }
    socind_state_free(t);
    rsel_free(a), free(Q), free(e), free(start), free(idx), free(nu);
    return st;
}

/* Lorenz, pass 1 → 2: each domain's N̂ and Ŷ, the bucket of the row that
 * straddles p·N̂ (the first whose cumulative weight reaches it), the
 * weight and income below that bucket, and the largest value below it. */
static int32_t plan_lorenz(const socind_state *m, socind_state *n) {
    const mpq *q = m->rank->q;
    mpq *nq = n->rank->q;
    size_t *start = malloc(((size_t)q->G + 1) * sizeof *start);
    int32_t *idx = start ? hist_order(q, start) : NULL;
    if (!idx) {
        free(start);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (int32_t g = 0; g < q->G; g++) {
        double nh = 0.0, nl = 0.0, yh = 0.0, yl = 0.0;
        for (size_t t = start[g]; t < start[g + 1]; t++) {
            const int32_t e = idx[t];
            socind__dd_add(&nh, &nl, q->hw[2 * e]);
            nl += q->hw[2 * e + 1];
            socind__dd_add(&yh, &yl, q->hy[2 * e]);
            yl += q->hy[2 * e + 1];
        }
        nq->N[2 * g] = nh, nq->N[2 * g + 1] = nl, nq->Y[2 * g] = yh, nq->Y[2 * g + 1] = yl;
        const double target = m->sp.p * (nh + nl);
        double ch = 0.0, cl = 0.0, wh = 0.0, wl = 0.0, below = NAN;
        for (size_t t = start[g]; t < start[g + 1]; t++) {
            const int32_t e = idx[t];
            double th = ch, tl = cl;
            socind__dd_add(&th, &tl, q->hw[2 * e]);
            tl += q->hw[2 * e + 1];
            if (target <= (double)((long double)th + tl) || t + 1 == start[g + 1]) {
                nq->want[2 * g] = q->hb[e];
                nq->bef[4 * g] = ch, nq->bef[4 * g + 1] = cl;
                nq->bef[4 * g + 2] = wh, nq->bef[4 * g + 3] = wl;
                nq->fig[NFIG * (size_t)g + 1] = below; /* the value before the bucket's */
                break;
            }
            ch = th, cl = tl;
            socind__dd_add(&wh, &wl, q->hy[2 * e]);
            wl += q->hy[2 * e + 1];
            below = q->hm[e];
        }
    }
    free(start), free(idx);
    return SOCIND_OK;
}

/* By income, ties by row number (inequality.c ranks the rows by income,
 * ties in the rows' order, −0 as +0: the straddling row of tied incomes,
 * whose weight sets q̃, is the same row), then by weight. */
static int cmp_ywr(const void *a, const void *b) {
    const ywr *x = a, *y = b;
    if (x->y != y->y) return x->y < y->y ? -1 : 1;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    return x->w < y->w ? -1 : x->w > y->w;
}

/* Lorenz, pass 2: domain g's ordinate L, the point q̃ of the straddling
 * row (inequality.c's rule over its bucket's rows sorted), Ŷ and N̂ into
 * f[0 .. 3], from the plan q and the rows r kept (a: room for them). */
static void lorenz_point(const struct socind__rank *r, const mpq *q, int32_t g, double p, rsel *x,
                         double *f) {
    const size_t cnt = bucket_rows(r, g, q->want[2 * g], x);
    ywr *a = x->l;
    qsort(a, cnt, sizeof *a, cmp_ywr);
    const double N = socind__pair_value(q->N[2 * g], q->N[2 * g + 1]),
                 Y = q->Y[2 * g] + q->Y[2 * g + 1];
    const double target = p * N;
    long double W = (long double)q->bef[4 * g] + q->bef[4 * g + 1];
    double yh = q->bef[4 * g + 2], yl = q->bef[4 * g + 3], qt = NAN;
    double yprev = q->fig[NFIG * (size_t)g + 1] + 0.0;
    for (size_t i = 0; i < cnt; i++) {
        const double wk = a[i].w, yv = a[i].y, Wprev = (double)W;
        W += wk;
        const double t = (target - Wprev) / wk, H = t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
        socind__dd_add(&yh, &yl, wk * yv * H);
        if (isnan(qt) && Wprev < target && target <= (double)W) {
            const double yp = isnan(yprev) ? yv : yprev;
            qt = yp + (yv - yp) * t;
        }
        yprev = yv;
    }
    f[0] = (yh + yl) / Y, f[1] = qt, f[2] = Y, f[3] = N;
}

/* Density.c's bandwidth σ̂/N̂^(1/5) of domain g from the incomes' moments
 * (socind__moments_bandwidth): NaN without rows or where every income is
 * equal, −∞ where the incomes differ but their moments left the double
 * range, so that the plan's figure tells the finish which to say. */
static double bandwidth(const mpq *q, int32_t g) {
    const double *m = q->mo + SOCIND__NM * (size_t)g, *mm = q->mm + 2 * (size_t)g;
    const double h = socind__moments_bandwidth(m, mm);
    return h > 0.0 || !socind__moments_beyond(mm) ? h : -INFINITY;
}

/* The kernel's centre in domain g's bucket b (a histogram entry): the
 * middle of the values the bucket can hold at or below its largest (a
 * quantile in it is one of them). */
static double bucket_centre(const mpq *q, int32_t g, int64_t b) {
    const double hi = q->hm[q->hmap.val[socind__idmap_slot(&q->hmap, g, b)]];
    const double lo = bucket_low(b);
    return isfinite(lo) && lo <= hi ? lo + 0.5 * (hi - lo) : hi;
}

/* A relative quantile line, pass 1 → 2: plan_quantile's plan, and in fig
 * [the centre of Q's bucket, NaN, h, N̂] (h from pass 1's moments). */
static int32_t plan_line(const socind_state *m, socind_state *n) {
    const int32_t st = plan_quantile(m, n);
    if (st) return st;
    const mpq *q = m->rank->q;
    mpq *nq = n->rank->q;
    for (int32_t g = 0; g < q->G; g++) {
        double *f = nq->fig + NFIG * (size_t)g;
        const int64_t b = nq->want[2 * g];
        f[0] = b >= 0 ? bucket_centre(q, g, b) : NAN;
        f[1] = NAN, f[2] = bandwidth(q, g),
        f[3] = socind__pair_value(nq->N[2 * g], nq->N[2 * g + 1]);
    }
    return SOCIND_OK;
}

/* Share ratio, pass 1 → 2: each domain's N̂, Ŷ, the buckets of its two
 * quantiles, the bandwidth (from pass 1's moments) and the kernel's
 * centres: in fig, [c_1, c_2, h, N̂]. */
static int32_t plan_share(const socind_state *m, socind_state *n) {
    const mpq *q = m->rank->q;
    mpq *nq = n->rank->q;
    size_t *start = malloc(((size_t)q->G + 1) * sizeof *start);
    int32_t *idx = start ? hist_order(q, start) : NULL;
    if (!idx) {
        free(start);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (int32_t g = 0; g < q->G; g++) {
        double nh = 0.0, nl = 0.0, yh = 0.0, yl = 0.0;
        for (size_t t = start[g]; t < start[g + 1]; t++) {
            const int32_t e = idx[t];
            socind__dd_add(&nh, &nl, q->hw[2 * e]);
            nl += q->hw[2 * e + 1];
            socind__dd_add(&yh, &yl, q->hy[2 * e]);
            yl += q->hy[2 * e + 1];
        }
        nq->N[2 * g] = nh, nq->N[2 * g + 1] = nl, nq->Y[2 * g] = yh, nq->Y[2 * g + 1] = yl;
        double *f = nq->fig + NFIG * (size_t)g;
        for (int j = 0; j < 2; j++) {
            const int64_t b = nq->want[2 * g + j] =
                hist_find(q, idx, start[g], start[g + 1], nh + nl, j ? m->sp.p2 : m->sp.p,
                          &nq->bef[4 * g + 2 * j], &nq->bef[4 * g + 2 * j + 1]);
            if (b >= 0) f[j] = bucket_centre(q, g, b);
        }
        f[2] = bandwidth(q, g);
        f[3] = socind__pair_value(nh, nl);
    }
    free(start), free(idx);
    return SOCIND_OK;
}

/* Share ratio (and a relative quantile line, one quantile), pass 2 → 3:
 * the two quantiles and the bandwidth (from the plan: pass 1's moments). */
static int32_t plan_share_points(const socind_state *m, socind_state *n) {
    const mpq *q = m->rank->q;
    mpq *nq = n->rank->q;
    memcpy(nq->N, q->N, 2 * (size_t)q->G * sizeof *q->N);
    memcpy(nq->Y, q->Y, 2 * (size_t)q->G * sizeof *q->Y);
    rsel *a = rsel_new(m->rank, q->G, 0);
    if (!a) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (int32_t g = 0; g < q->G; g++) {
        double *f = nq->fig + NFIG * (size_t)g;
        f[0] = select_in(m->rank, q, g, 0, m->sp.p, a);
        f[1] = isnan(m->sp.p2) ? NAN : select_in(m->rank, q, g, 1, m->sp.p2, a);
        f[2] = q->fig[NFIG * (size_t)g + 2]; /* the bandwidth (pass 1's moments) */
        f[3] =
            isinf(q->N[2 * g]) ? q->N[2 * g] : (double)((long double)q->N[2 * g] + q->N[2 * g + 1]);
    }
    rsel_free(a);
    return SOCIND_OK;
}

static int32_t lorenz_points(const socind_state *s, double *f, int *exact);
static int32_t plan_lorenz_point(const socind_state *m, socind_state *n);

int32_t socind__rank_weights_as_planned(const socind_state *s) {
    const mpq *q = s->rank ? s->rank->q : NULL;
    if (s->pass == 1 || !q || s->rel || s->gini ||
        (s->sp.estimator == SOCIND_STATE_QUANTILE && s->pass > 2))
        return SOCIND_OK;
    return socind__state_weighs_as(s, q->G, q->N, 2);
}

int32_t socind__rank_next_pass(const socind_state *m, socind_state **next) {
    if (m->gini) {
        socind_state *n = socind__state_alloc(&m->sp);
        if (!n) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        n->pass = m->pass + 1;
        int32_t st = socind__gini_next_pass(m, n);
        if (st) {
            socind_state_free(n);
            return st;
        }
        *next = n;
        return SOCIND_OK;
    }
    if (m->rel) return socind__rel_next_pass(m, next);
    if (!m->rank->q) return socind__fail(SOCIND_ERR_ARG, "the estimator takes one pass");
    const int32_t planned = socind__rank_weights_as_planned(m);
    if (planned) return planned;
    socind_state *n = socind__state_alloc(&m->sp);
    if (!n) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    n->pass = m->pass + 1;
    int32_t st;
    if (m->sp.estimator == SOCIND_STATE_LORENZ && m->pass == 1)
        st = plan_lorenz(m, n);
    else if (m->sp.estimator == SOCIND_STATE_LORENZ)
        n->passes = 3, st = plan_lorenz_point(m, n);
    else if (m->sp.estimator == SOCIND_STATE_SHARE_RATIO && m->pass == 1)
        st = plan_share(m, n);
    else if (m->sp.estimator == SOCIND_STATE_SHARE_RATIO)
        n->passes = 3, st = plan_share_points(m, n);
    else if (m->sp.estimator == SOCIND_STATE_POVERTY_LINE && m->pass == 1)
        st = plan_line(m, n);
    else if (m->sp.estimator == SOCIND_STATE_POVERTY_LINE)
        n->passes = 3, st = plan_share_points(m, n);
    else if (m->pass == 1)
        st = plan_quantile(m, n);
    else
        n->passes = 3, st = plan_limits(m, n);
    if (st) {
        socind_state_free(n);
        return st;
    }
    *next = n;
    return SOCIND_OK;
}

/* A QUANTILE of pass 2 (merged): the plan of its pass 3 (the limits'
 * buckets) in a new state *n, and whether a domain's limit falls outside
 * the window of rows pass 2 kept (*outside). */
static int32_t limits_of(const socind_state *m, socind_state **n, int *outside) {
    *outside = 0;
    if (!(*n = socind__state_alloc(&m->sp))) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    (*n)->pass = (*n)->passes = 3;
    int32_t st = plan_limits(m, *n);
    if (st) {
        socind_state_free(*n);
        *n = NULL;
        return st;
    }
    const mpq *w = m->rank->q, *l = (*n)->rank->q;
    for (int32_t g = 0; g < w->G; g++)
        for (int j = 0; j < 2; j++) {
            const int64_t b = l->want[2 * g + j];
            if (b >= 0 && (b < w->win[2 * g] || b > w->win[2 * g + 1])) *outside = 1;
        }
    return SOCIND_OK;
}

static int32_t share_passes(const socind_state *s, int32_t *passes);

int32_t socind__rank_passes(const socind_state *s, int32_t *passes) {
    *passes = s->passes;
    if (s->rel) return socind__rel_passes(s, passes);
    if (!s->rank || !s->rank->q || s->pass != 2) return SOCIND_OK;
    if (s->sp.estimator == SOCIND_STATE_SHARE_RATIO) return share_passes(s, passes);
    if (s->sp.estimator == SOCIND_STATE_POVERTY_LINE) {
        double fig[NFIG], kq[2];
        int exact = 0;
        const int32_t st = socind__rank_line_pass2(s, NULL, fig, kq, &exact);
        if (!st && !exact) *passes = 3;
        return st;
    }
    if (s->sp.estimator == SOCIND_STATE_LORENZ) {
        double *f = malloc(4 * (size_t)s->rank->q->G * sizeof *f);
        int exact = 1;
        const int32_t st =
            f ? lorenz_points(s, f, &exact) : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        free(f);
        if (!st && !exact) *passes = 3;
        return st;
    }
    if (s->sp.estimator != SOCIND_STATE_QUANTILE) return SOCIND_OK;
    socind_state *n;
    int outside;
    const int32_t st = limits_of(s, &n, &outside);
    socind_state_free(n);
    if (!st && outside) *passes = 3;
    return st;
}

/* The figures from the plan q of the last pass (pass 3's, or the one pass
 * 2 makes for it) and the limits' rows among r's (quantile.c's and
 * inequality.c's quantile rule and interval). */
static int32_t finish_quantile_on(const struct socind__rank *r, const mpq *q,
                                  const socind_options *o, socind_estimate *out, size_t count) {
    if (q->call_st) {
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], q->call_st);
        return socind__fail(q->call_st, "%s", socind_strerror(q->call_st));
    }
    rsel *a = rsel_new(r, q->G, 0);
    if (!a) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (int32_t g = 0; g < q->G; g++) {
        socind_estimate *e = &out[g];
        const double *f = q->fig + NFIG * (size_t)g;
        if (q->fst[g] == SOCIND_ERR_EMPTY_DOMAIN) {
            socind__estimate_undefined(e, SOCIND_ERR_EMPTY_DOMAIN, q->fn[g], 0.0, f[4]);
            continue;
        }
        socind__estimate_nan(e, SOCIND_OK);
        e->n = q->fn[g], e->weight_sum = f[3], e->value = f[0], e->df = f[4];
        if (q->fst[g]) e->status = q->fst[g];
        if (!socind__rank_weight_sum_ok(e)) continue;
        const double ph = f[1], sd = f[2];
        double qv;
        int32_t qs = socind__critical(o, f[4], &qv);
        if (qs == SOCIND_ERR_DF || !isfinite(sd)) {
            if (e->status == SOCIND_OK)
                e->status = qs == SOCIND_ERR_DF ? SOCIND_ERR_DF : SOCIND_ERR_OVERFLOW;
            continue;
        }
        if (qs == SOCIND_ERR_OVERFLOW) qv = INFINITY;
        const double qs_ = sd == 0.0 ? 0.0 : qv * sd, pl = ph - qs_, pu = ph + qs_;
        e->ci_low = pl < 0.0 ? NAN : select_in(r, q, g, 0, pl, a);
        e->ci_high = pu > 1.0 ? NAN : select_in(r, q, g, 1, pu, a);
        e->se = sd == 0.0 ? 0.0 : (e->ci_high - e->ci_low) / (2.0 * qv);
        if (e->status == SOCIND_OK && (isnan(e->ci_low) || isnan(e->ci_high)))
            e->status = SOCIND_ERR_RANGE;
        socind__check_finite(e);
    }
    rsel_free(a);
    return SOCIND_OK;
}

/* A quantile's last pass: pass 3, or pass 2 when its limits fall in the
 * rows it kept (those pass 3 would keep are among them). */
static int32_t finish_quantile(const socind_state *s, const socind_options *o, socind_estimate *out,
                               size_t count) {
    socind_options d;
    socind_options_init(&d);
    if (o->level != d.level || o->ci_dist != d.ci_dist || o->domain_rule != d.domain_rule)
        return socind__fail(SOCIND_ERR_ARG,
                            "a quantile's state finds its interval's rows at the default level, "
                            "t interval and domain rule: finish it with the default options");
    if (s->pass == 3) return finish_quantile_on(s->rank, s->rank->q, o, out, count);
    socind_state *n;
    int outside;
    int32_t st = limits_of(s, &n, &outside);
    if (!st && outside)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the state is in pass 2 of 3: a domain's interval limit falls outside "
                          "the rows pass 2 kept; finish the third pass's");
    if (!st) st = finish_quantile_on(s->rank, n->rank->q, o, out, count);
    socind_state_free(n);
    if (st)
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    return st;
}

int socind__rank_weight_sum_ok(socind_estimate *e) {
    if (e->status != SOCIND_OK) return 1;
    if (!(e->weight_sum >= 0.0)) {
        socind__estimate_undefined(e, SOCIND_ERR_DATA, e->n, 0.0, e->df);
        return 0;
    }
    if (isinf(e->weight_sum)) e->status = SOCIND_ERR_OVERFLOW;
    return 1;
}

/* The last pass of a measure whose linearized variable's total over each
 * cell is zc[cell]: each domain's estimate with value val[g] (or undefined
 * with status vst[g]) and weight sum wsum[g], its SE through the variance
 * engine (a total over a copy of the PSU and cell tables, with the
 * finishing options), its interval symmetric (inequality.c's). */
static int32_t finish_linear_as(const socind_state *s, const socind_options *o,
                                socind_estimate *out, size_t count, const double *zc,
                                const double *val, const int32_t *vst, const double *wsum,
                                int prop) {
    const int32_t G = s->sp.n_groups > 0 ? s->sp.n_groups : 1;
    socind_state_spec sp = s->sp;
    sp.estimator = SOCIND_STATE_TOTAL;
    sp.p = sp.p2 = NAN;
    socind_state *t = socind__state_alloc(&sp);
    socind_estimate *e = malloc((size_t)G * sizeof *e);
    int64_t *nu = domain_counts(s, G), *npos = nu ? nu + G : NULL;
    int32_t st = (!t || !e || !nu) ? socind__fail(SOCIND_ERR_NOMEM, "out of memory") : SOCIND_OK;
    for (size_t i = 0; !st && i < s->npsu; i++) {
        int32_t ix;
        if (!socind__state_push_psu(t, s->p_stratum[i], s->p_id[i], s->p_row[i], s->p_fpc[i],
                                    s->p_pos[i], &ix))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; !st && i < s->ncell; i++) {
        int32_t ix;
        if (!socind__state_push_cell(t, s->c_psu[i], s->c_group[i], &ix)) {
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            break;
        }
        t->c_n[ix] = s->c_n[i], t->c_npos[ix] = s->c_npos[i], t->c_dpos[ix] = s->c_dpos[i];
        double *dst = t->c_sum + 4 * (size_t)ix;
        dst[0] = 0.0, dst[1] = 0.0, dst[2] = zc[i], dst[3] = 0.0;
    }
    if (!st) st = socind_state_finish(t, o, e, (size_t)G);
    for (int32_t g = 0; !st && g < G; g++) {
        socind_estimate *x = &out[g];
        const double df = e[g].df;
        if (npos[g] == 0) {
            socind__estimate_undefined(x, SOCIND_ERR_EMPTY_DOMAIN, nu[g], 0.0, df);
            continue;
        }
        if (vst[g]) {
            socind__estimate_undefined(x, vst[g], nu[g], wsum[g], df);
            continue;
        }
        socind__estimate_nan(x, SOCIND_OK);
        x->n = nu[g], x->weight_sum = wsum[g];
        x->value = val[g];
        x->se = e[g].se;
        if (isnan(e[g].se)) x->status = e[g].status ? e[g].status : SOCIND_ERR_OVERFLOW;
        socind__fill_ci(x, o, df, prop);
        socind__rank_weight_sum_ok(x);
    }
    if (st)
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    socind_state_free(t);
    free(e);
    free(nu);
    return st;
}

static int32_t finish_linear(const socind_state *s, const socind_options *o, socind_estimate *out,
                             size_t count, const double *zc, const double *val, const int32_t *vst,
                             const double *wsum) {
    return finish_linear_as(s, o, out, count, zc, val, vst, wsum, 0);
}

int32_t socind__rank_finish_linear(const socind_state *s, const socind_options *o,
                                   socind_estimate *out, size_t count, const double *zc,
                                   const double *val, const int32_t *vst, const double *wsum,
                                   int prop) {
    return finish_linear_as(s, o, out, count, zc, val, vst, wsum, prop);
}

/* Lorenz, pass 2 (merged): each domain's [L, q̃, Ŷ, N̂] into f (4 a
 * domain), and *exact: 0 where a domain's q̃ reaches the values of a
 * bucket above the straddling row's (a rounding of q̃ = y' + (y − y')·t
 * past the row's own value), whose rows at or below q̃ pass 2 has not kept:
 * pass 3 sums against q̃ then. */
static int32_t lorenz_points(const socind_state *s, double *f, int *exact) {
    const struct socind__rank *r = s->rank;
    const mpq *q = r->q;
    rsel *a = rsel_new(r, q->G, 1);
    if (!a) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    *exact = 1;
    for (int32_t g = 0; g < q->G; g++) {
        double *fg = f + 4 * (size_t)g;
        lorenz_point(r, q, g, s->sp.p, a, fg);
        const int64_t b = q->want[2 * g];
        if (b >= 0 && b + 1 < QBUCKETS && !isnan(fg[1]) && !(fg[1] < bucket_low(b + 1)) &&
            !isnan(bucket_low(b + 1)))
            *exact = 0;
    }
    if (socind__force_pass3) *exact = 0;
    rsel_free(a);
    return SOCIND_OK;
}

/* Lorenz, pass 2 → 3 (where q̃ left its bucket): the points as the plan. */
static int32_t plan_lorenz_point(const socind_state *m, socind_state *n) {
    const mpq *q = m->rank->q;
    mpq *nq = n->rank->q;
    memcpy(nq->N, q->N, 2 * (size_t)q->G * sizeof *q->N);
    memcpy(nq->Y, q->Y, 2 * (size_t)q->G * sizeof *q->Y);
    double *f = malloc(4 * (size_t)q->G * sizeof *f);
    int exact;
    int32_t st = f ? lorenz_points(m, f, &exact) : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (int32_t g = 0; !st && g < q->G; g++)
        memcpy(nq->fig + NFIG * (size_t)g, f + 4 * (size_t)g, 4 * sizeof *f);
    free(f);
    return st;
}

/* Lorenz, the last pass: the linearized variable ((y − q̃)·1[y <= q̃] +
 * p·q̃ − y·L)/Ŷ over each cell from its sums. Pass 2: Σw·(y − q̃) over its
 * rows below the straddling row's bucket from their Σw·(y − c) and Σw
 * (lorenz_ref), over that bucket's rows at or below q̃ from the rows, none
 * above it (lorenz_points); pass 3: summed against q̃. */
static int32_t finish_lorenz(const socind_state *s, const socind_options *o, socind_estimate *out,
                             size_t count) {
    const mpq *q = s->rank->q;
    const struct socind__rank *r = s->rank;
    const int32_t G = q->G;
    const size_t nc = s->ncell ? s->ncell : 1;
    double *zc = malloc(nc * sizeof *zc);
    long double *top = calloc(nc, sizeof *top);
    double *f = malloc((size_t)G * 4 * sizeof *f);
    double *val = malloc((size_t)G * 2 * sizeof *val), *wsum = val ? val + G : NULL;
    int32_t *vst = malloc((size_t)G * sizeof *vst);
    int32_t st = SOCIND_OK;
    int exact = 1;
    if (!zc || !top || !f || !val || !vst) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st && s->pass == 2) st = lorenz_points(s, f, &exact);
    for (int32_t g = 0; !st && s->pass == 3 && g < G; g++)
        memcpy(f + 4 * (size_t)g, q->fig + NFIG * (size_t)g, 4 * sizeof *f);
    if (!st && !exact)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the state is in pass 2 of 3: a domain's point q̃ reaches the values "
                          "of a bucket above its straddling row's; finish the third pass's");
    if (st) {
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    } else {
        for (size_t k = 0; k < r->n; k++) { /* the bucket's rows at or below q̃ */
            const double qt = f[4 * (size_t)r->g[k] + 1];
            if (!(r->y[k] <= qt)) continue;
            const int32_t ci = row_cell(s, k);
            if (ci >= 0) top[ci] += r->w[k] * (r->y[k] - qt);
        }
        for (size_t i = 0; i < s->ncell; i++) {
            const int32_t g = s->c_group[i];
            const double *sum = s->c_sum + 8 * i, *fg = f + 4 * (size_t)g;
            const double L = fg[0], qt = fg[1], Y = fg[2];
            const long double S1 = (long double)sum[0] + sum[1], S2 = (long double)sum[2] + sum[3],
                              below = (long double)sum[6] + sum[7],
                              S3 = (long double)sum[4] + sum[5] + top[i] +
                                   (s->pass == 2 && below != 0.0L
                                        ? ((long double)lorenz_ref(q, g) - qt) * below
                                        : 0.0L);
            zc[i] = (double)((S3 + (long double)s->sp.p * qt * S1 - (long double)L * S2) / Y);
        }
        for (int32_t g = 0; g < G; g++) {
            const double *fg = f + 4 * (size_t)g;
            val[g] = fg[0], wsum[g] = fg[3];
            vst[g] = fg[2] == 0.0 ? SOCIND_ERR_DATA : SOCIND_OK; /* a share of no income */
        }
        st = finish_linear(s, o, out, count, zc, val, vst, wsum);
    }
    free(zc), free(top), free(f), free(val), free(vst);
    return st;
}

/* A bound on what a share ratio's kernel series leaves out past its
 * moments, for weights of total 1: Σ_{n >= from} |d|^n/n!·(a·(n/e)^(n/2)
 * + b·((n+1)/e)^((n+1)/2)), as |u|^n·exp(−u²/2) <= (n/e)^(n/2) (a = 1, b =
 * 0 for Σw·e; a = |c|, b = h for Σw·y·e, |y| <= |c| + h·|u|). */
static double series_tail(double d, int from, double a, double b) {
    if (d == 0.0) return 0.0;
    const double ld = log(fabs(d));
    double sum = 0.0;
    for (int n = from; n < from + 200; n++) {
        const double k = n * ld - lgamma(n + 1.0);
        const double t = (a > 0.0 ? a * exp(k + 0.5 * n * (log((double)n) - 1.0)) : 0.0) +
                         (b > 0.0 ? b * exp(k + 0.5 * (n + 1) * (log(n + 1.0) - 1.0)) : 0.0);
        sum += t;
        if (n > from + 8 && t <= 0x1p-80 * sum) break;
    }
    return sum;
}

/* The kernel sums at x of the rows whose moments M (KM pairs) pass 2
 * summed about c with bandwidth h (W: their weight, ih = 1/h as the rows
 * took it): *S = Σw·exp(−t²/2), *Y = Σw·y·exp(−t²/2) (where Y is not
 * NULL), t = (x − y)·ih; 1 where the series leaves at most 2^−60 of each
 * out, else 0 (the rows are needed again). */
static int kernel_series(const double *M, double c, double x, double h, double W, long double *S,
                         long double *Y) {
    const double ih = 1.0 / h, d = (x - c) * ih;
    /* Σw·exp(−(u + d)²/2) = e^(−d²/2)·Σ_n (−d)^n/n!·M_n; with y = c − u·h,
       Σw·y·exp(..) from c·M_n − h·M_(n+1) */
    long double s = 0.0L, yv = 0.0L, coef = 1.0L;
    for (int n = 0; n < KM; n++) {
        const long double Mn = (long double)M[2 * n] + M[2 * n + 1];
        s += coef * Mn;
        if (n + 1 < KM) {
            const long double M1 = (long double)M[2 * n + 2] + M[2 * n + 3];
            yv += coef * ((long double)c * Mn - M1 / (long double)ih);
        }
        coef *= -(long double)d / (n + 1);
    }
    const long double e = expl(-0.5L * (long double)d * d);
    *S = s * e;
    const double rs = W * series_tail(d, KM, 1.0, 0.0);
    if (!Y) return rs <= ldexp((double)*S, -60);
    *Y = yv * e;
    const double ry = W * series_tail(d, KM - 1, fabs(c), h);
    return rs <= ldexp((double)*S, -60) && ry <= ldexp(fabs((double)*Y), -60);
}

int socind__rank_kernel_series(const double *M, double c, double x, double h, double W,
                               long double *S) {
    return kernel_series(M, c, x, h, W, S, NULL);
}

int32_t socind__rank_line_pass2(const socind_state *s, double *cs, double *fig, double *kq,
                                int *exact) {
    const struct socind__rank *r = s->rank;
    const mpq *q = r->q;
    *exact = 1;
    kq[0] = kq[1] = 0.0;
    rsel *a = rsel_new(r, q->G, 0);
    if (!a) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    const double *pf = q->fig, Q = select_in(r, q, 0, 0, s->sp.p, a), h = pf[2];
    rsel_free(a);
    fig[0] = Q, fig[1] = NAN, fig[2] = h, fig[3] = pf[3], fig[4] = NAN;
    if (h > 0.0 && !isnan(Q)) {
        long double S;
        if (!kernel_series(q->km, pf[0], Q, h, pf[3], &S, NULL)) *exact = 0;
        socind__dd_add_ld(&kq[0], &kq[1], S);
    } else if (!isnan(Q)) {
        kq[0] = NAN; /* as pass 3 sums it then: no bandwidth */
    }
    if (socind__force_pass3) *exact = 0;
    if (!*exact || !cs) return SOCIND_OK;
    memcpy(cs, s->c_sum, 4 * s->ncell * sizeof *cs);
    for (size_t k = 0; k < r->n; k++) { /* Q's bucket's rows at or below Q */
        const int32_t ci = row_cell(s, k);
        if (ci < 0 || !(r->y[k] <= Q) || qbucket(r->y[k]) != q->want[0]) continue;
        socind__dd_add(&cs[4 * (size_t)ci + 2], &cs[4 * (size_t)ci + 3], r->w[k]);
    }
    return SOCIND_OK;
}

/* A share ratio of pass 2 (merged): what its pass 3 would sum, from its
 * sums split at the quantiles' buckets, its kept rows and its kernel
 * moments — each cell's twelve sums into cs (none where cs is NULL: the
 * passes alone asked), each domain's kernel sums
 * into acc (NACC a domain, at 2..9 as pass 3's), [q1, q2, h, N̂] into fig
 * (NFIG a domain) — and *exact: 0 where a domain's kernel series may
 * leave more than 2^−60 of a kernel sum out (its terms past the moments:
 * a quantile far from its bucket's centre against the bandwidth), when
 * the third pass sums the kernel row by row. */
static int32_t share_of_pass2(const socind_state *s, double *cs, double *acc, double *fig,
                              int *exact) {
    const struct socind__rank *r = s->rank;
    const mpq *q = r->q;
    const int32_t G = q->G;
    *exact = 1;
    rsel *a = rsel_new(r, q->G, 0);
    if (!a) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    memset(acc, 0, NACC * (size_t)G * sizeof *acc);
    for (int32_t g = 0; g < G; g++) {
        double *f = fig + NFIG * (size_t)g, *ac = acc + NACC * (size_t)g;
        const double *pf = q->fig + NFIG * (size_t)g;
        f[0] = select_in(r, q, g, 0, s->sp.p, a);
        f[1] = select_in(r, q, g, 1, s->sp.p2, a);
        f[2] = pf[2], f[3] = pf[3], f[4] = NAN;
        const double h = pf[2], W = pf[3];
        for (int j = 0; j < 2; j++) {
            double *out = ac + 2 + 4 * j;
            if (!(h > 0.0) || isnan(f[j])) { /* as pass 3 sums them then */
                out[0] = out[2] = isnan(f[j]) ? 0.0 : NAN, out[1] = out[3] = 0.0;
                continue;
            }
            long double S, Y;
            if (!kernel_series(q->km + (4 * (size_t)g + 2 * (size_t)j) * KM, pf[j], f[j], h, W, &S,
                               &Y))
                *exact = 0;
            socind__dd_add_ld(&out[0], &out[1], S);
            socind__dd_add_ld(&out[2], &out[3], Y);
        }
    }
    rsel_free(a);
    if (socind__force_pass3) *exact = 0;
    if (!*exact || !cs) return SOCIND_OK;
    /* the cells: the sums below the buckets, and the buckets' kept rows
       against the quantiles */
    memcpy(cs, s->c_sum, 12 * s->ncell * sizeof *cs);
    for (size_t k = 0; k < r->n; k++) {
        const int32_t g = r->g[k], ci = row_cell(s, k);
        if (ci < 0) continue;
        const double y = r->y[k], w = r->w[k], *f = fig + NFIG * (size_t)g;
        const int64_t b = qbucket(y);
        double *sum = cs + 12 * (size_t)ci;
        if (b == q->want[2 * g] && y <= f[0]) {
            socind__dd_add(&sum[4], &sum[5], w);
            socind__dd_add(&sum[6], &sum[7], w * y);
        }
        if (b == q->want[2 * g + 1]) {
            if (y <= f[1])
                socind__dd_add(&sum[8], &sum[9], w);
            else
                socind__dd_add(&sum[10], &sum[11], w * y);
        }
    }
    return SOCIND_OK;
}

/* Share ratio, the last pass: S_hi/S_lo with both quantiles' density
 * terms (inequality.c's share_ratio), from the cells' sums cs (12 a cell),
 * the kernel sums acc (at 2..9 of NACC a domain) and the figures fig
 * ([q1, q2, h, N̂] of NFIG a domain): pass 3's own, or those pass 2 makes
 * for it (share_of_pass2). */
static int32_t finish_share_from(const socind_state *s, const double *cs, const double *accs,
                                 const double *figs, const socind_options *o, socind_estimate *out,
                                 size_t count) {
    const mpq *q = s->rank->q;
    const int32_t G = q->G;
    const double a1 = s->sp.p, a2 = s->sp.p2, isq = 0.398942280401432677939946059934;
    /* (cleared: gcc cannot see that the loops below fill them) */
    double *zc = calloc(s->ncell ? s->ncell : 1, sizeof *zc);
    double *dom = calloc((size_t)G * 8, sizeof *dom);
    int32_t *vst = calloc((size_t)G, sizeof *vst);
    double *lu = calloc(4 * (size_t)G, sizeof *lu); /* each domain's S1 and S2 (double-double) */
    int32_t st = SOCIND_OK;
    if (!zc || !dom || !vst || !lu) {
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
        free(zc), free(dom), free(vst), free(lu);
        return st;
    }
    /* one pass over the cells, each domain's in their order (not one pass a
       domain: G·cells with many domains) */
    for (size_t i = 0; i < s->ncell; i++) {
        const double *sum = cs + 12 * i;
        double *l = lu + 4 * (size_t)s->c_group[i];
        socind__dd_add(&l[0], &l[1], sum[6]);
        l[1] += sum[7];
        socind__dd_add(&l[2], &l[3], sum[10]);
        l[3] += sum[11];
    }
    double *val = dom, *wsum = dom + G; /* then per domain: S1, fN1, fN2, s1d, s2d */
    for (int32_t g = 0; g < G; g++) {
        const double *l = lu + 4 * (size_t)g;
        const double *f = figs + NFIG * (size_t)g, *acc = accs + NACC * (size_t)g;
        const double h = f[2], S1 = l[0] + l[1], S2 = l[2] + l[3];
        double *d = dom + 2 * G + 5 * (size_t)g;
        d[0] = S1;
        d[1] = (acc[2] + acc[3]) * isq / h, d[2] = (acc[6] + acc[7]) * isq / h;
        d[3] = (acc[4] + acc[5]) * isq / h, d[4] = (acc[8] + acc[9]) * isq / h;
        wsum[g] = f[3];
        const double Y = q->Y[2 * g] + q->Y[2 * g + 1];
        vst[g] = SOCIND_OK;
        if (Y == 0.0 || S1 == 0.0 || !(d[1] > 0.0) || !(d[2] > 0.0))
            vst[g] = h == -INFINITY ? SOCIND_ERR_OVERFLOW : SOCIND_ERR_DATA;
        val[g] = S2 / S1;
    }
    for (size_t i = 0; i < s->ncell; i++) {
        const int32_t g = s->c_group[i];
        const double *d = dom + 2 * G + 5 * (size_t)g, *sum = cs + 12 * i;
        const long double Y1 = (long double)sum[6] + sum[7], U2 = (long double)sum[10] + sum[11];
        /* Σw·(1[y <= q] − α) in terms of the result's size (socind__share_dev) */
        const long double ulo =
            Y1 - (long double)d[3] * (socind__share_dev(sum, sum + 4, a1) / d[1]);
        const long double uhi =
            U2 + (long double)d[4] * (socind__share_dev(sum, sum + 8, a2) / d[2]);
        zc[i] = vst[g] ? 0.0 : (double)((uhi - (long double)val[g] * ulo) / d[0]);
    }
    st = finish_linear(s, o, out, count, zc, val, vst, wsum);
    /* a quantile without a density (a domain of one row or of equal
       incomes): the figure kept without its SE, as in memory */
    for (int32_t g = 0; !st && g < G; g++) {
        const double *l = lu + 4 * (size_t)g, Y = q->Y[2 * g] + q->Y[2 * g + 1];
        if (vst[g] && Y != 0.0 && l[0] + l[1] != 0.0 && out[g].status != SOCIND_ERR_EMPTY_DOMAIN)
            out[g].value = val[g];
    }
    free(zc), free(dom), free(vst), free(lu);
    return st;
}

static int32_t share_passes(const socind_state *s, int32_t *passes) {
    const size_t G = (size_t)s->rank->q->G;
    double *acc = malloc(NACC * G * sizeof *acc), *fig = malloc(NFIG * G * sizeof *fig);
    int exact = 0;
    int32_t st = acc && fig ? share_of_pass2(s, NULL, acc, fig, &exact)
                            : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st && !exact) *passes = 3;
    free(acc), free(fig);
    return st;
}

/* Share ratio, its last pass: 3, or 2 where its kernel series is exact. */
static int32_t finish_share(const socind_state *s, const socind_options *o, socind_estimate *out,
                            size_t count) {
    const mpq *q = s->rank->q;
    if (s->pass == 3) return finish_share_from(s, s->c_sum, q->acc, q->fig, o, out, count);
    const size_t G = (size_t)q->G;
    double *cs = malloc((12 * s->ncell + 1) * sizeof *cs);
    double *acc = malloc(NACC * G * sizeof *acc), *fig = malloc(NFIG * G * sizeof *fig);
    int exact = 0;
    int32_t st = cs && acc && fig ? share_of_pass2(s, cs, acc, fig, &exact)
                                  : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st && !exact)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the state is in pass 2 of 3: a domain's kernel sums at its quantiles "
                          "need the rows again; finish the third pass's");
    if (!st)
        st = finish_share_from(s, cs, acc, fig, o, out, count);
    else
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    free(cs), free(acc), free(fig);
    return st;
}

/* The poverty line (convey's svyarpt): fraction·Q̂ with the linearized
 * variable −fraction·(1[y <= Q̂] − p)/(N̂·f̂(Q̂)) (two passes, or three where
 * the kernel series at Q̂ is not exact), fraction·μ̂ with fraction·(y −
 * μ̂)/N̂ (one pass), or the absolute line with SE 0. */
static int32_t finish_line(const socind_state *s, const socind_options *o, socind_estimate *out,
                           size_t count) {
    const double frac = s->sp.line, isq = 0.398942280401432677939946059934;
    const int p2 = s->sp.line_type == SOCIND_LINE_RELATIVE_QUANTILE && s->pass == 2;
    double *zc = malloc((s->ncell ? s->ncell : 1) * sizeof *zc);
    double *cs = p2 ? malloc((4 * s->ncell + 1) * sizeof *cs) : NULL;
    double pfig[NFIG], pkq[2];
    int exact = 1;
    int32_t st = !zc || (p2 && !cs) ? socind__fail(SOCIND_ERR_NOMEM, "out of memory") : SOCIND_OK;
    if (!st && p2) st = socind__rank_line_pass2(s, cs, pfig, pkq, &exact);
    if (!st && !exact)
        st = socind__fail(SOCIND_ERR_ARG,
                          "the state is in pass 2 of 3: the kernel sum at the quantile needs the "
                          "rows again; finish the third pass's");
    if (st) {
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
        free(zc), free(cs);
        return st;
    }
    const double *csum = p2 ? cs : s->c_sum;
    double wh = 0.0, wl = 0.0, yh = 0.0, yl = 0.0;
    for (size_t i = 0; i < s->ncell; i++) {
        const double *sum = csum + 4 * i;
        socind__dd_add(&wh, &wl, sum[0]);
        wl += sum[1];
        socind__dd_add(&yh, &yl, sum[2]);
        yl += sum[3];
    }
    const double N = socind__pair_value(wh, wl);
    double val = s->sp.line, a = 0.0, mu = NAN;
    int32_t vst = SOCIND_OK;
    if (s->sp.line_type == SOCIND_LINE_RELATIVE_MEAN) {
        mu = (yh + yl) / N;
        val = frac * mu, a = frac / N; /* × Σ w·(y − μ̂) */
    } else if (s->sp.line_type == SOCIND_LINE_RELATIVE_QUANTILE) {
        const mpq *q = s->rank->q;
        const double *f = p2 ? pfig : q->fig, *kq = p2 ? pkq : q->acc + 2;
        const double h = f[2], fN = (kq[0] + kq[1]) * isq / h;
        if (!(h > 0.0))
            st = socind__fail_state_no_bandwidth(
                h == -INFINITY ? SOCIND_ERR_OVERFLOW : SOCIND_ERR_DATA, "the quantile");
        else if (!(fN > 0.0))
            st = socind__fail(SOCIND_ERR_DATA, "the income density at the quantile is 0");
        val = frac * f[0], a = -frac / fN; /* × Σ w·(1[y <= Q] − p), Σw·1[y <= Q] in sum[2] */
    }
    if (!(N > 0.0) && !st) st = socind__fail_no_weight(wh != 0.0);
    if (st) {
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
        free(zc), free(cs);
        return st;
    }
    for (size_t i = 0; i < s->ncell; i++) {
        const double *sum = csum + 4 * i;
        zc[i] = is_relative(s->sp.line_type)
                    ? socind__line_dev(sum, s->sp.line_type == SOCIND_LINE_RELATIVE_QUANTILE,
                                       s->sp.p, mu) *
                          a
                    : 0.0; /* a fixed line: no variance */
    }
    st = finish_linear(s, o, out, count, zc, &val, &vst, &N);
    free(zc), free(cs);
    return st;
}

void socind__rank_line_q(const socind_state *line, double *Q, double *N) {
    const mpq *q = line->rank->q;
    *Q = q->fig[0];
    *N = socind__pair_value(q->N[0], q->N[1]);
}

/* ---- finishing ---- */

int32_t socind__rank_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                            size_t count) {
    if (s->gini) return socind__gini_finish(s, o, out, count);
    if (s->rel) return socind__rel_finish(s, o, out, count);
    const int32_t planned = socind__rank_weights_as_planned(s);
    if (planned) {
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], planned);
        return planned;
    }
    if (s->sp.estimator == SOCIND_STATE_LORENZ) return finish_lorenz(s, o, out, count);
    if (s->sp.estimator == SOCIND_STATE_SHARE_RATIO) return finish_share(s, o, out, count);
    if (s->sp.estimator == SOCIND_STATE_POVERTY_LINE) return finish_line(s, o, out, count);
    if (s->rank->q) return finish_quantile(s, o, out, count);
    for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], SOCIND_ERR_ARG);
    return socind__fail(SOCIND_ERR_ARG, "spec.estimator %d is not rank-based",
                        (int)s->sp.estimator);
}

/* ---- bytes ---- */

#define HIST_BYTES 64u
#define PLAN_BYTES (152u + 8u * NACC)

/* A share ratio's kernel moments (pass 2): 2·KM pairs a domain. */
static size_t km_bytes(const socind_state *s) {
    const mpq *q = s->rank->q;
    return (q && q->km && s->pass == 2 ? 32u * KM * (size_t)q->G : 0) +
           (moments_pass(s) ? 8u * (SOCIND__NM + 2) * (size_t)q->G : 0);
}

static size_t quantile_bytes(const mpq *q) {
    return q ? 16u + q->nh * HIST_BYTES + (size_t)q->G * PLAN_BYTES : 0;
}

size_t socind__rank_bytes(const socind_state *s) {
    if (!s->rank) return 0;
    if (s->gini) return PART_FIXED_BYTES + socind__gini_bytes(s->gini);
    return PART_FIXED_BYTES + s->rank->n * ROW_BYTES + quantile_bytes(s->rank->q) + km_bytes(s) +
           (s->rel ? socind__rel_bytes(s) : 0);
}

void socind__rank_write(const socind_state *s, unsigned char *b) {
    const struct socind__rank *r = s->rank;
    if (!r) return;
    socind__put_f64(b, s->sp.p);
    socind__put_f64(b + 8, s->sp.p2);
    socind__put_u64(b + 16, r->n);
    if (s->gini) {
        socind__gini_write(s->gini, b + PART_FIXED_BYTES);
        return;
    }
    unsigned char *q = b + PART_FIXED_BYTES;
    for (size_t k = 0; k < r->n; k++, q += ROW_BYTES) {
        socind__put_f64(q, r->y[k]);
        socind__put_f64(q + 8, r->w[k]);
        socind__put_u64(q + 16, (uint64_t)r->h[k]);
        socind__put_u64(q + 24, (uint64_t)r->p[k]);
        socind__put_f64(q + 32, r->fpc[k]);
        socind__put_u64(q + 40, (uint64_t)r->row[k]);
        socind__put_u32(q + 48, (uint32_t)r->g[k]);
        socind__put_u32(q + 52, 0);
    }
    if (s->rel) { /* state_relative.c's part (the median of the poor's: its
                     histogram part follows) */
        socind__rel_write(s, q);
        q += socind__rel_bytes(s);
    }
    const mpq *m = r->q;
    if (!m) return;
    socind__put_u64(q, m->nh);
    q += 8;
    for (size_t i = 0; i < m->nh; i++, q += HIST_BYTES) {
        socind__put_u32(q, (uint32_t)m->hg[i]);
        socind__put_u32(q + 4, 0);
        socind__put_u64(q + 8, (uint64_t)m->hb[i]);
        socind__put_f64(q + 16, m->hw[2 * i]);
        socind__put_f64(q + 24, m->hw[2 * i + 1]);
        socind__put_u64(q + 32, (uint64_t)m->hn[i]);
        socind__put_f64(q + 40, m->hy[2 * i]);
        socind__put_f64(q + 48, m->hy[2 * i + 1]);
        socind__put_f64(q + 56, m->hm[i]);
    }
    socind__put_u32(q, (uint32_t)m->G);
    socind__put_u32(q + 4, (uint32_t)m->call_st);
    q += 8;
    for (int32_t g = 0; g < m->G; g++, q += PLAN_BYTES) {
        socind__put_f64(q, m->N[2 * g]);
        socind__put_f64(q + 8, m->N[2 * g + 1]);
        socind__put_u64(q + 16, (uint64_t)m->want[2 * g]);
        socind__put_u64(q + 24, (uint64_t)m->want[2 * g + 1]);
        for (int j = 0; j < 4; j++) socind__put_f64(q + 32 + 8 * j, m->bef[4 * g + j]);
        for (int j = 0; j < NFIG; j++) socind__put_f64(q + 64 + 8 * j, m->fig[NFIG * g + j]);
        socind__put_u64(q + 104, (uint64_t)m->fn[g]);
        socind__put_u32(q + 112, (uint32_t)m->fst[g]);
        socind__put_u32(q + 116, 0);
        socind__put_f64(q + 120, m->Y[2 * g]);
        socind__put_f64(q + 128, m->Y[2 * g + 1]);
        for (int j = 0; j < NACC; j++) socind__put_f64(q + 136 + 8 * j, m->acc[NACC * g + j]);
        socind__put_u64(q + 136 + 8 * NACC, (uint64_t)m->win[2 * g]);
        socind__put_u64(q + 144 + 8 * NACC, (uint64_t)m->win[2 * g + 1]);
    }
    const size_t nk = m->km && s->pass == 2 ? 4 * KM * (size_t)m->G : 0;
    for (size_t j = 0; j < nk; j++, q += 8) socind__put_f64(q, m->km[j]);
    for (int32_t g = 0; moments_pass(s) && g < m->G; g++) { /* the moments part */
        for (int j = 0; j < SOCIND__NM; j++, q += 8)
            socind__put_f64(q, m->mo[SOCIND__NM * (size_t)g + (size_t)j]);
        for (int j = 0; j < 2; j++, q += 8) socind__put_f64(q, m->mm[2 * (size_t)g + (size_t)j]);
    }
}

void socind__rank_params(const unsigned char *b, size_t len, double *p, double *p2) {
    *p = *p2 = NAN;
    if (len < 16) return;
    *p = socind__get_f64(b);
    *p2 = socind__get_f64(b + 8);
}

static int32_t bad(const char *what) {
    return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s", what);
}

/* A quantile's histogram and plan from len bytes. */
static int32_t read_quantile(socind_state *s, const unsigned char *b, size_t len) {
    mpq *m = s->rank->q;
    if (len < 16) return bad("a quantile's part is truncated");
    const uint64_t nh = socind__get_u64(b);
    const size_t kb = km_bytes(s);
    if (nh > (len - 16) / HIST_BYTES ||
        len - 16 - nh * HIST_BYTES != (size_t)m->G * PLAN_BYTES + kb)
        return bad("a quantile's part does not match its counts (truncated or extended)");
    if (s->pass == 3 && nh != 0) return bad("a quantile's last pass carries no histogram");
    if (!hist_reserve(m, (size_t)nh)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    const unsigned char *q = b + 8;
    for (uint64_t i = 0; i < nh; i++, q += HIST_BYTES) {
        const int32_t g = (int32_t)socind__get_u32(q);
        const int64_t bk = (int64_t)socind__get_u64(q + 8), cnt = (int64_t)socind__get_u64(q + 32);
        const double hi = socind__get_f64(q + 16), lo = socind__get_f64(q + 24);
        const double yhi = socind__get_f64(q + 40), ylo = socind__get_f64(q + 48),
                     ymax = socind__get_f64(q + 56);
        if (g < 0 || g >= m->G || socind__get_u32(q + 4) != 0 || bk < 0 || bk >= QBUCKETS ||
            cnt < 1 || !(hi > 0.0) || isinf(hi) || !isfinite(lo) ||
            /* Σw·y: a finite pair, or one that overflowed (its hi ±inf, its
               lo then NaN, as adding made it) */
            !((isfinite(yhi) && isfinite(ylo)) || isinf(yhi)) || !isfinite(ymax) ||
            qbucket(ymax) != bk ||
            /* sums start at +0 and are never written as −0 (it would read back +0) */
            (lo == 0.0 && signbit(lo)) || (yhi == 0.0 && signbit(yhi)) ||
            (ylo == 0.0 && signbit(ylo)) || m->hmap.val[socind__idmap_slot(&m->hmap, g, bk)] >= 0)
            return bad("a histogram record breaks the format's rules");
        /* a new entry takes the record's sums as they are (adding them to
           0 would turn an overflowed pair's lo into NaN): written back the
           same */
        hist_add(m, g, bk, 0.0, 0.0, cnt, 0.0, 0.0, ymax);
        const size_t e = m->nh - 1;
        m->hw[2 * e] = hi, m->hw[2 * e + 1] = lo, m->hy[2 * e] = yhi, m->hy[2 * e + 1] = ylo;
    }
    if ((int32_t)socind__get_u32(q) != m->G)
        return bad("a quantile's plan does not match its domains");
    m->call_st = (int32_t)socind__get_u32(q + 4);
    if (m->call_st < 0 || m->call_st >= SOCIND_STATUS_COUNT)
        return bad("a quantile's plan holds an unknown status");
    q += 8;
    for (int32_t g = 0; g < m->G; g++, q += PLAN_BYTES) {
        m->N[2 * g] = socind__get_f64(q), m->N[2 * g + 1] = socind__get_f64(q + 8);
        m->want[2 * g] = (int64_t)socind__get_u64(q + 16),
                    m->want[2 * g + 1] = (int64_t)socind__get_u64(q + 24);
        for (int j = 0; j < 4; j++) m->bef[4 * g + j] = socind__get_f64(q + 32 + 8 * j);
        for (int j = 0; j < NFIG; j++) m->fig[NFIG * g + j] = socind__get_f64(q + 64 + 8 * j);
        m->fn[g] = (int64_t)socind__get_u64(q + 104);
        m->fst[g] = (int32_t)socind__get_u32(q + 112);
        m->Y[2 * g] = socind__get_f64(q + 120), m->Y[2 * g + 1] = socind__get_f64(q + 128);
        for (int j = 0; j < NACC; j++) m->acc[NACC * g + j] = socind__get_f64(q + 136 + 8 * j);
        m->win[2 * g] = (int64_t)socind__get_u64(q + 136 + 8 * NACC);
        m->win[2 * g + 1] = (int64_t)socind__get_u64(q + 144 + 8 * NACC);
        for (int j = 0; j < 2; j++)
            if (m->want[2 * g + j] < -1 || m->want[2 * g + j] >= QBUCKETS)
                return bad("a quantile's plan breaks the format's rules");
        /* a window: a QUANTILE's pass 2, around its quantile's bucket */
        const int64_t lo = m->win[2 * g], hi = m->win[2 * g + 1], wb = m->want[2 * g];
        const int windowed = s->sp.estimator == SOCIND_STATE_QUANTILE && s->pass == 2 && wb >= 0;
        /* (the median of the poor's ranges: a window pass's only
           (socind__rank_poor_plan_ok), checked against its rows' sums when
           it finishes (socind__rank_poor_select)) */
        const int ranged = s->rel && lo >= 0 && lo <= hi && hi < QBUCKETS;
        if (windowed ? !(lo >= 0 && lo <= wb && wb <= hi && hi < QBUCKETS)
                     : !ranged && (lo != -1 || hi != -1))
            return bad("a quantile's window breaks the format's rules");
        if (m->fn[g] < 0 || socind__get_u32(q + 116) != 0 || m->fst[g] < 0 ||
            m->fst[g] >= SOCIND_STATUS_COUNT)
            return bad("a quantile's plan breaks the format's rules");
    }
    /* a share ratio's kernel moments (pass 2): pairs of finite doubles, or
       of an infinite hi (a sum that overflowed) */
    const size_t nk = m->km && s->pass == 2 ? 4 * KM * (size_t)m->G : 0;
    for (size_t j = 0; j < nk; j += 2, q += 16) {
        const double hi = socind__get_f64(q), lo = socind__get_f64(q + 8);
        if (!((isfinite(hi) && isfinite(lo)) || isinf(hi)))
            return bad("a share ratio's kernel moments break the format's rules");
        m->km[j] = hi, m->km[j + 1] = lo;
    }
    /* the incomes' moments (pass 1 of a share ratio and of a line) */
    for (int32_t g = 0; moments_pass(s) && g < m->G; g++) {
        double *mo = m->mo + SOCIND__NM * (size_t)g, *mm = m->mm + 2 * (size_t)g;
        for (int j = 0; j < SOCIND__NM; j++, q += 8) mo[j] = socind__get_f64(q);
        for (int j = 0; j < 2; j++, q += 8) mm[j] = socind__get_f64(q);
        if (!socind__moments_valid(mo, mm))
            return bad("a histogram state's moments break the format's rules");
    }
    return SOCIND_OK;
}

int32_t socind__rank_read(socind_state *s, const unsigned char *b, size_t len) {
    if (len < PART_FIXED_BYTES) return bad("its rows are truncated");
    const uint64_t n = socind__get_u64(b + 16);
    if (s->gini) {
        if (n != 0) return bad("a Gini's state keeps its rows in its own part");
        return socind__gini_read(s, b + PART_FIXED_BYTES, len - PART_FIXED_BYTES);
    }
    mpq *m = s->rank->q;
    if (n > (len - PART_FIXED_BYTES) / ROW_BYTES)
        return bad("its length does not match its count of rows (truncated or extended)");
    size_t at = PART_FIXED_BYTES + (size_t)n * ROW_BYTES;
    if (s->rel) { /* its rows (the window's, pass 2 of two), then its own part
                     (the median of the poor's: then its histogram part) */
        size_t used;
        const int32_t st = socind__rel_read(s, b + at, len - at, m != NULL, &used);
        if (st) return st;
        at += used;
    } else if (!m && (n != 0 || len != PART_FIXED_BYTES))
        return bad("a mean or absolute line's state keeps no rows");
    if (m) {
        int32_t st = read_quantile(s, b + at, len - at);
        if (!st && s->rel) st = socind__rel_check_plan(s);
        if (st) return st;
        if (s->pass == 1 && n != 0) return bad("a quantile's first pass keeps no rows");
    }
    if (!rows_reserve(s->rank, (size_t)n)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    const socind_state_spec *sp = &s->sp;
    struct socind__rank *r = s->rank;
    const unsigned char *q = b + PART_FIXED_BYTES;
    /* a row's domain: −1 (none), or below n_groups (the profile's: or its
       cells' code n_groups for none) */
    const int32_t gmax = sp->n_groups + (socind__state_keeps_ungrouped(sp->estimator) ? 1 : 0);
    for (uint64_t k = 0; k < n; k++, q += ROW_BYTES) {
        const double y = socind__get_f64(q), w = socind__get_f64(q + 8),
                     f = socind__get_f64(q + 32);
        const int64_t h = (int64_t)socind__get_u64(q + 16), p = (int64_t)socind__get_u64(q + 24),
                      row = (int64_t)socind__get_u64(q + 40);
        const int32_t g = (int32_t)socind__get_u32(q + 48);
        const uint32_t pad = socind__get_u32(q + 52);
        int ok = !isinf(y) && w >= 0.0 && !isinf(w) && pad == 0 && row >= 0 &&
                 row < ((int64_t)1 << 62) && (sp->has_strata || h == 0) &&
                 (sp->has_psu || p == row) && (sp->has_fpc ? (f > 0.0 && !isinf(f)) : isnan(f)) &&
                 (sp->n_groups > 0 ? (g >= -1 && g < gmax) : g == 0);
        if (ok && m && !s->rel) { /* a quantile's rows are those of its wanted buckets */
            const int64_t qb = qbucket(y);
            ok = g >= 0 && w > 0.0 && !isnan(y) && kept_bucket(s, g, qb);
        }
        if (ok && s->rel) ok = g >= 0 && socind__rel_keeps(s, g, w, y); /* its window's */
        if (ok) { /* its PSU is one of the state's, in the same stratum (a
                     window's: its cell too, the row added with it) */
            size_t slot = socind__idmap_slot(&s->pmap, socind__state_pkey1(s, h), p);
            int32_t idx = s->pmap.val[slot];
            ok = idx >= 0 && s->p_stratum[idx] == h;
            if (ok && s->rel) ok = s->cmap.val[socind__idmap_slot(&s->cmap, idx, g)] >= 0;
        }
        if (!ok) return bad("a row record breaks the format's rules");
        const size_t i = r->n;
        r->y[i] = y, r->w[i] = w, r->fpc[i] = f, r->h[i] = h, r->p[i] = p, r->row[i] = row;
        r->g[i] = g;
        r->n++;
    }
    return SOCIND_OK;
}
