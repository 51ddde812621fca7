/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_gini.c — the Gini coefficient's partial state in bounded memory
 * (SOCIND_STATE_GINI, socind/state.h).
 *
 * The Gini's linearized variable (inequality.c's gini: convey's svygini)
 * needs each row's weighted rank r_k (the cumulative weight of the domain's
 * rows of positive weight sorted by value, ties by row number, k included)
 * and the income above it, S_k = Σ_{j >= k} w_j·y_j = Ŷ − P_k with P_k the
 * income before k. A row's w·u is
 *
 *   w·u = a1·(w·S_k + w·r_k·y_k) − a2·w·y_k − a3·w,
 *   a1 = 2/(N̂·Ŷ), a2 = 2·T1/(N̂·Ŷ²), a3 = (2·T1 − Ŷ)/(N̂²·Ŷ),
 *   T1 = Σ w·r·y, Gini = (2·T1 − Ŷ)/(N̂·Ŷ) − 1,
 *
 * so a cell's total is a1·(Ŷ·A0 − A3 + A2) − a2·A1 − a3·A0 from its four
 * sums A0 = Σw, A1 = Σw·y, A2 = Σw·r·y, A3 = Σw·P (P the income before the
 * row), which need the ranks but none of the coefficients known only at the
 * end (T1, hence the Gini, is the domain's Σ A2).
 *
 * The ranks come from a radix refinement of the rows' order. A row's key is
 * the 128-bit pair (the order key of its value, its row number): its place
 * in the order inequality.c sorts by (value, then row). The plan is a list
 * of disjoint key ranges per domain, each with its rows' count and the
 * weight and income of the domain's rows before it. Each pass does, over
 * every row, what the plan asks of the row's range: a range to split adds
 * the row to a histogram of its children (the next 20 bits of the key for
 * the first pass's whole-domain range, then 16 — the 12 to the end of the
 * value's bits — and the row number's bits); a range to keep keeps the row
 * (32 bytes). The next pass's plan (socind_state_next_pass on the merged
 * state) sorts the kept rows of each kept range, ranks them from the
 * weight and income before their range and adds their A0..A3 to the cells'
 * carried sums (by (stratum, PSU, domain)); the split ranges' children
 * become ranges; a range of at most `budget` rows is kept, a larger one
 * split (at the last key bit a range is one row number: kept whatever its
 * size); ranges to keep are packed in order into passes of at most
 * `budget` rows. The last pass's state finishes: its kept rows ranked,
 * every cell's total made and the variance engine run (state_rank.c's
 * finish_linear). Sums are pairs of doubles throughout. */
#include <stdlib.h>
#include <string.h>

#include "state_internal.h"

SOCIND__TEST_SWITCH_DEFINE(socind__gini_budget);
SOCIND__TEST_SWITCH_DEFINE(socind__gini_fp_bytes);
SOCIND__TEST_SWITCH_DEFINE(socind__gini_first_plans);

#define ACT_NONE 0
#define ACT_KEEP 1
#define ACT_SPLIT 2
#define NSUM 8 /* A0 .. A3, each hi, lo */

typedef struct {
    int32_t g, level, act;
    uint64_t hi, lo; /* the key prefix (bits beyond the level 0) */
    int64_t n;       /* rows of positive weight; −1 unknown (pass 1) */
    double wb[2];    /* the domain's weight before the range (hi, lo) */
    double pb[2];    /* the domain's Σw·y before the range */
} grange;

typedef struct {
    int64_t h, p;
    int32_t g;
    double a[NSUM];
} gcar;

struct socind__gini {
    int64_t budget;
    int32_t G;
    /* the plan: the same in every state of a pass */
    size_t nr;
    grange *rg;  /* ordered by (g, hi, lo) */
    double *NY;  /* 4 per domain: N̂ hi, lo, Ŷ hi, lo (pass 2 on) */
    size_t ncar; /* cells' carried sums, ordered by (h, p, g) */
    gcar *car;
    uint32_t fp; /* the plan's fingerprint (plan_fp): 0 for the first pass's */
    /* this pass: the split ranges' children */
    socind__idmap hmap;
    size_t nh, hcap;
    int32_t *hr;
    int64_t *hc, *hn;
    double *hs; /* 4 per entry: Σw hi, lo, Σw·y hi, lo */
    /* this pass: the kept ranges' rows */
    size_t nk, kcap;
    double *ky, *kw;
    int64_t *krow;
    int32_t *kcell, *krange;
    /* scratch, not part of the state: each row's range (−1: none this
       pass) of the chunk socind__gini_reserve saw, for socind__gini_add */
    int32_t *rr;
    size_t rrcap;
};

static int64_t default_budget(void) {
    return socind__gini_budget > 0 ? (int64_t)socind__gini_budget : (int64_t)SOCIND_STATE_GINI_ROWS;
}

/* ---- keys and ranges ---- */

static int step_of(int L) {
    if (L == 0) return 20;
    if (L < 64) return L + 16 <= 64 ? 16 : 64 - L;
    return 128 - L < 16 ? 128 - L : 16;
}
static int level_ok(int L) {
    for (int l = 0;; l += step_of(l)) {
        if (l == L) return 1;
        if (l >= 128) return 0;
    }
}
static uint64_t child_of(uint64_t kh, uint64_t kl, int L, int S) {
    const uint64_t m = ((uint64_t)1 << S) - 1;
    return L < 64 ? (kh >> (64 - L - S)) & m : (kl >> (128 - L - S)) & m;
}
static int in_range(const grange *r, uint64_t kh, uint64_t kl) {
    const int L = r->level;
    if (L == 0) return 1;
    if (L <= 64) return (kh >> (64 - L)) == (r->hi >> (64 - L));
    if (kh != r->hi) return 0;
    return L == 128 ? kl == r->lo : (kl >> (128 - L)) == (r->lo >> (128 - L));
}
/* the prefix bits beyond the level are 0 */
static int prefix_ok(const grange *r) {
    const int L = r->level;
    if (L < 64) return r->lo == 0 && (L == 0 ? r->hi == 0 : (r->hi << L) == 0);
    return L == 64 ? r->lo == 0 : L == 128 || (r->lo << (L - 64)) == 0;
}
static int cmp3(int32_t g1, uint64_t h1, uint64_t l1, int32_t g2, uint64_t h2, uint64_t l2) {
    if (g1 != g2) return g1 < g2 ? -1 : 1;
    if (h1 != h2) return h1 < h2 ? -1 : 1;
    if (l1 != l2) return l1 < l2 ? -1 : 1;
    return 0;
}
static uint64_t vkey(double y) {
    return socind__order_key(y + 0.0); /* −0 as +0, as inequality.c gathers it */
}
/* The range of key (g, kh, kl), or −1. */
static int32_t find_range(const struct socind__gini *q, int32_t g, uint64_t kh, uint64_t kl) {
    size_t a = 0, b = q->nr; /* the last range starting at or before the key */
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (cmp3(q->rg[m].g, q->rg[m].hi, q->rg[m].lo, g, kh, kl) <= 0)
            a = m + 1;
        else
            b = m;
    }
    if (a == 0) return -1;
    const grange *r = &q->rg[a - 1];
    return r->g == g && in_range(r, kh, kl) ? (int32_t)(a - 1) : -1;
}

/* ---- the structure ---- */

static void gini_free(struct socind__gini *q) {
    if (!q) return;
    free(q->rg), free(q->NY), free(q->car);
    socind__idmap_free(&q->hmap);
    free(q->hr), free(q->hc), free(q->hn), free(q->hs);
    free(q->ky), free(q->kw), free(q->krow), free(q->kcell), free(q->krange);
    free(q->rr);
    free(q);
}

static struct socind__gini *gini_alloc(int32_t G, int64_t budget) {
    struct socind__gini *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->G = G, q->budget = budget;
    q->NY = calloc(4 * (size_t)G, sizeof *q->NY);
    if (!q->NY || !socind__idmap_init(&q->hmap, 16)) {
        gini_free(q);
        return NULL;
    }
    return q;
}

struct socind__gini *socind__gini_new(const socind_state *s) {
    const int32_t G = s->sp.n_groups > 0 ? s->sp.n_groups : 1;
    return gini_alloc(G, default_budget()); /* (no range: no plan yet) */
}

int socind__gini_first_plan(struct socind__gini *q) {
    const int32_t G = q->G;
    grange *rg = calloc((size_t)G, sizeof *rg);
    if (!rg) return 0;
    for (int32_t g = 0; g < G; g++) rg[g].g = g, rg[g].act = ACT_SPLIT, rg[g].n = -1;
    free(q->rg);
    q->rg = rg, q->nr = (size_t)G;
    q->fp = 0; /* the first pass's plan (plan_fp): its bytes are not made */
    SOCIND__TEST_RECORD(socind__gini_first_plans, socind__gini_first_plans + 1);
    return 1;
}

void socind__gini_free(struct socind__gini *q) {
    gini_free(q);
}

static int hist_reserve(struct socind__gini *q, size_t n) {
    if (n > (size_t)INT32_MAX || q->nh + n > (size_t)INT32_MAX) return 0;
    const size_t need = q->nh + n;
    if (need > q->hcap) {
        size_t cap = q->hcap ? q->hcap : 64;
        while (cap < need) cap *= 2;
        if (!socind__state_grow((void **)&q->hr, sizeof *q->hr, cap) ||
            !socind__state_grow((void **)&q->hc, sizeof *q->hc, cap) ||
            !socind__state_grow((void **)&q->hn, sizeof *q->hn, cap) ||
            !socind__state_grow((void **)&q->hs, 4 * sizeof *q->hs, cap))
            return 0;
        q->hcap = cap;
    }
    if (2 * need + 2 > q->hmap.cap) {
        socind__idmap m;
        if (!socind__idmap_init(&m, need + 1)) return 0;
        for (size_t i = 0; i < q->nh; i++) {
            size_t slot = socind__idmap_slot(&m, q->hr[i], q->hc[i]);
            m.k1[slot] = q->hr[i], m.k2[slot] = q->hc[i], m.val[slot] = (int32_t)i, m.count++;
        }
        socind__idmap_free(&q->hmap);
        q->hmap = m;
    }
    return 1;
}

static void hist_add(struct socind__gini *q, int32_t r, int64_t c, int64_t n, const double *s4) {
    size_t slot = socind__idmap_slot(&q->hmap, r, c);
    int32_t i = q->hmap.val[slot];
    if (i < 0) {
        i = (int32_t)q->nh++;
        socind__idmap_add(&q->hmap, slot, r, c, i); /* reserved: cannot grow */
        q->hr[i] = r, q->hc[i] = c, q->hn[i] = 0;
        for (int j = 0; j < 4; j++) q->hs[4 * i + j] = 0.0;
    }
    q->hn[i] = socind__count_add(q->hn[i], n);
    double *d = q->hs + 4 * (size_t)i;
    socind__dd_add(&d[0], &d[1], s4[0]);
    d[1] += s4[1];
    socind__dd_add(&d[2], &d[3], s4[2]);
    d[3] += s4[3];
}

static int rows_reserve(struct socind__gini *q, size_t more) {
    if (more <= q->kcap - q->nk) return 1;
    if (more > SIZE_MAX / 64 - q->nk) return 0;
    size_t cap = q->kcap ? q->kcap : 256;
    while (cap - q->nk < more) cap *= 2;
    if (!socind__state_grow((void **)&q->ky, sizeof *q->ky, cap) ||
        !socind__state_grow((void **)&q->kw, sizeof *q->kw, cap) ||
        !socind__state_grow((void **)&q->krow, sizeof *q->krow, cap) ||
        !socind__state_grow((void **)&q->kcell, sizeof *q->kcell, cap) ||
        !socind__state_grow((void **)&q->krange, sizeof *q->krange, cap))
        return 0;
    q->kcap = cap;
    return 1;
}

/* ---- adding and merging ---- */

/* The range of chunk row i (a value, a positive weight, a domain), or −1. */
static int32_t row_range(const socind_state *s, const socind_chunk *c, size_t i) {
    const struct socind__gini *q = s->gini;
    const int32_t g = s->sp.n_groups > 0 ? c->group[i] : 0;
    if (g < 0 || g >= q->G || isnan(c->y[i]) || isinf(c->y[i]) || !(c->weight[i] > 0.0)) return -1;
    return find_range(q, g, vkey(c->y[i]), (uint64_t)(c->first_row + (int64_t)i));
}

int socind__gini_reserve(socind_state *s, const socind_chunk *c) {
    struct socind__gini *q = s->gini;
    size_t more = 0, keep = 0;
    if (c->n > q->rrcap) {
        int32_t *rr = realloc(q->rr, c->n * sizeof *rr);
        if (!rr) return 0;
        q->rr = rr, q->rrcap = c->n;
    }
    socind__idmap seen;
    if (!socind__idmap_init(&seen, 16)) return 0;
    for (size_t i = 0; i < c->n; i++) {
        int32_t r = row_range(s, c, i);
        if (r >= 0 && q->rg[r].act == ACT_NONE) r = -1;
        q->rr[i] = r;
        if (r < 0) continue;
        if (q->rg[r].act == ACT_KEEP) {
            keep++;
            continue;
        }
        const int L = q->rg[r].level;
        const int64_t ch =
            (int64_t)child_of(vkey(c->y[i]), (uint64_t)(c->first_row + (int64_t)i), L, step_of(L));
        if (q->hmap.val[socind__idmap_slot(&q->hmap, r, ch)] >= 0) continue;
        const size_t slot = socind__idmap_slot(&seen, r, ch);
        if (seen.val[slot] >= 0) continue;
        if (!socind__idmap_add(&seen, slot, r, ch, 0)) {
            socind__idmap_free(&seen);
            return 0;
        }
        more++;
    }
    socind__idmap_free(&seen);
    return hist_reserve(q, more) && rows_reserve(q, keep);
}

void socind__gini_add(socind_state *s, const socind_chunk *c, const int32_t *ci,
                      const unsigned char *use) {
    struct socind__gini *q = s->gini;
    for (size_t i = 0; i < c->n; i++) {
        if (ci[i] < 0 || use[i] != 0) continue;
        const int32_t r = q->rr[i]; /* (socind__gini_reserve's, this chunk's) */
        if (r < 0) continue;
        const double w = c->weight[i], y = c->y[i];
        const int64_t num = c->first_row + (int64_t)i;
        if (q->rg[r].act == ACT_KEEP) {
            const size_t k = q->nk++;
            q->ky[k] = y, q->kw[k] = w, q->krow[k] = num, q->kcell[k] = ci[i], q->krange[k] = r;
            continue;
        }
        const int L = q->rg[r].level;
        const double wy = w * y, s4[4] = {w, 0.0, wy, fma(w, y, -wy)}; /* (exact: Ŷ, P) */
        hist_add(q, r, (int64_t)child_of(vkey(y), (uint64_t)num, L, step_of(L)), 1, s4);
    }
}

int32_t socind__gini_merge_prepare(socind_state *into, const socind_state *from) {
    struct socind__gini *q = into->gini;
    const struct socind__gini *f = from->gini;
    if (q->fp != f->fp || q->budget != f->budget)
        return socind__fail(SOCIND_ERR_MISMATCH,
                            "the Gini's states of pass %d were prepared from different merged "
                            "states of pass %d",
                            (int)into->pass, (int)into->pass - 1);
    if (!hist_reserve(q, f->nh) || !rows_reserve(q, f->nk))
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    return SOCIND_OK;
}

/* into's cell of from's cell k (merged: it exists). */
static int32_t cell_in(const socind_state *into, const socind_state *from, int32_t k) {
    const int32_t fp = from->c_psu[k];
    size_t slot = socind__idmap_slot(&into->pmap, socind__state_pkey1(into, from->p_stratum[fp]),
                                     from->p_id[fp]);
    const int32_t p = into->pmap.val[slot];
    return into->cmap.val[socind__idmap_slot(&into->cmap, p, from->c_group[k])];
}

void socind__gini_merge(socind_state *into, const socind_state *from) {
    struct socind__gini *q = into->gini;
    const struct socind__gini *f = from->gini;
    for (size_t i = 0; i < f->nh; i++) hist_add(q, f->hr[i], f->hc[i], f->hn[i], f->hs + 4 * i);
    for (size_t i = 0; i < f->nk; i++) {
        const size_t k = q->nk++;
        q->ky[k] = f->ky[i], q->kw[k] = f->kw[i], q->krow[k] = f->krow[i];
        q->krange[k] = f->krange[i];
        q->kcell[k] = cell_in(into, from, f->kcell[i]);
    }
}

/* ---- ranking the kept rows ---- */

typedef struct {
    int32_t r;
    uint64_t kh;
    int64_t row;
    uint64_t w;
    int64_t h, p;
    int32_t i;
} kkey;

static int cmp_kkey(const void *a, const void *b) {
    const kkey *x = a, *y = b;
#define CMP(f)                                                                                     \
    if (x->f != y->f) return x->f < y->f ? -1 : 1
    CMP(r);
    CMP(kh);
    CMP(row);
    CMP(w);
    CMP(h);
    CMP(p);
#undef CMP
    return 0;
}

/* kept row i's key in cmp_kkey's order */
static kkey kkey_of(const socind_state *s, size_t i) {
    const struct socind__gini *q = s->gini;
    const int32_t p = s->c_psu[q->kcell[i]];
    kkey k;
    k.r = q->krange[i], k.kh = vkey(q->ky[i]), k.row = q->krow[i];
    memcpy(&k.w, &q->kw[i], sizeof k.w);
    k.h = s->p_stratum[p], k.p = s->p_id[p], k.i = (int32_t)i;
    return k;
}

/* The kept rows' indices in cmp_kkey's order into ord (nk of them), by
 * radix sorts instead of a comparison sort of 48-byte keys (6.7 s for 10^7
 * rows, ten times what the rest of the Gini's finish took): (row number,
 * index) pairs sorted by the bits in which the row numbers differ; the
 * rows in that order as items keyed by value (−0 as +0) and sorted
 * stably by socind__sort_items, so that equal values keep row order; a
 * stable counting sort by range; rows whose range, value and row number
 * are all equal (a row number used twice) ordered by the rest of the key.
 * 0 when out of memory. */
static int kept_order(const socind_state *s, int32_t *ord) {
    const struct socind__gini *q = s->gini;
    const size_t n = q->nk, nr = q->nr;
    if (n == 0) return 1;
    typedef struct {
        uint64_t row;
        uint64_t i;
    } rpair;
    enum { RBITS = 11 };
    /* rows kept in ascending row numbers (a state's chunks added and
       merged in row order, as a command streaming a file does): already in
       row order, each number once */
    int ascending = 1;
    for (size_t i = 1; i < n && ascending; i++) ascending = q->krow[i] > q->krow[i - 1];
    size_t *cnt = malloc(((size_t)1 << RBITS > nr + 1 ? (size_t)1 << RBITS : nr + 1) * sizeof *cnt);
    rpair *a = ascending ? NULL : malloc(n * sizeof *a),
          *b = ascending ? NULL : malloc(n * sizeof *b);
    if (!cnt || (!ascending && (!a || !b))) {
        free(a), free(b), free(cnt);
        return 0;
    }
    socind__item *it = NULL;
    int twice = 0;
    if (!ascending) { /* sorted by the bits in which the row numbers differ */
        uint64_t diff = 0;
        for (size_t i = 0; i < n; i++) {
            a[i].row = (uint64_t)q->krow[i], a[i].i = i;
            diff |= a[i].row ^ a[0].row;
        }
        for (int sh = diff ? __builtin_ctzll(diff) : 64;
             sh < 64 - (diff ? __builtin_clzll(diff) : 64); sh += RBITS) {
            const size_t nb = (size_t)1 << RBITS, mask = nb - 1;
            memset(cnt, 0, nb * sizeof *cnt);
            for (size_t i = 0; i < n; i++) cnt[(a[i].row >> sh) & mask]++;
            for (size_t d = 0, at = 0; d < nb; d++) {
                const size_t c = cnt[d];
                cnt[d] = at, at += c;
            }
            for (size_t i = 0; i < n; i++) b[cnt[(a[i].row >> sh) & mask]++] = a[i];
            rpair *t = a;
            a = b, b = t;
        }
        free(b);
        /* a row number used twice (else no run of equal keys below) */
        for (size_t j = 1; j < n; j++) twice |= a[j].row == a[j - 1].row;
    }
    /* the rows in row order as items: the value (its key's), the range in
       w's place, the index in psu's */
    it = socind__big_alloc(n * sizeof *it);
    if (!it) {
        free(a), free(cnt);
        return 0;
    }
    for (size_t j = 0; j < n; j++) {
        const size_t i = a ? (size_t)a[j].i : j;
        it[j].y = q->ky[i] + 0.0;
        it[j].w = (double)q->krange[i];
        it[j].psu = (int32_t)i, it[j].row = (uint32_t)j;
    }
    free(a);
    if (socind__sort_items(it, n)) {
        free(it), free(cnt);
        return 0;
    }
    /* by range, stably */
    memset(cnt, 0, (nr + 1) * sizeof *cnt);
    for (size_t j = 0; j < n; j++) cnt[(size_t)it[j].w + 1]++;
    for (size_t r = 1; r <= nr; r++) cnt[r] += cnt[r - 1];
    for (size_t j = 0; j < n; j++) ord[cnt[(size_t)it[j].w]++] = it[j].psu;
    free(it), free(cnt);
    /* runs of equal (range, value, row number): the rest of the key */
    for (size_t t = 0; twice && t < n;) {
        size_t e = t + 1;
        const size_t it0 = (size_t)ord[t];
        while (e < n && q->krow[ord[e]] == q->krow[it0] && q->krange[ord[e]] == q->krange[it0] &&
               vkey(q->ky[ord[e]]) == vkey(q->ky[it0]))
            e++;
        for (size_t u = t + 1; u < e; u++) { /* insertion: such runs are short */
            const int32_t x = ord[u];
            const kkey kx = kkey_of(s, (size_t)x);
            size_t v = u;
            for (; v > t; v--) {
                const kkey kv = kkey_of(s, (size_t)ord[v - 1]);
                if (cmp_kkey(&kv, &kx) <= 0) break;
                ord[v] = ord[v - 1];
            }
            ord[v] = x;
        }
        t = e;
    }
    return 1;
}

/* Adds each kept row's A0..A3 (ranked within its range from the weight
 * and income before it) to sums[cell·NSUM ..] (s's cells). */
static int rank_kept(const socind_state *s, double *sums) {
    const struct socind__gini *q = s->gini;
    int32_t *ord = malloc((q->nk ? q->nk : 1) * sizeof *ord);
    if (!ord || !kept_order(s, ord)) {
        free(ord);
        return 0;
    }
    double rh = 0.0, rl = 0.0, ph = 0.0, pl = 0.0;
    /* the rows come in value order, their fields and cells in any: each
       is fetched ahead (its row's fields PF rows ahead, its cell's sums
       PF/2 rows ahead, once its cell index is in the cache) */
    enum { PF = 32 };
    for (size_t t = 0; t < q->nk; t++) {
        if (t + PF < q->nk) {
            const size_t f = (size_t)ord[t + PF];
            __builtin_prefetch(&q->kw[f]), __builtin_prefetch(&q->ky[f]);
            __builtin_prefetch(&q->kcell[f]), __builtin_prefetch(&q->krange[f]);
        }
        if (t + PF / 2 < q->nk)
            __builtin_prefetch(sums + (size_t)q->kcell[ord[t + PF / 2]] * NSUM, 1);
        const size_t i = (size_t)ord[t];
        if (t == 0 || q->krange[i] != q->krange[ord[t - 1]]) {
            const grange *r = &q->rg[q->krange[i]];
            rh = r->wb[0], rl = r->wb[1], ph = r->pb[0], pl = r->pb[1];
        }
        const double w = q->kw[i], y = q->ky[i];
        socind__dd_add(&rh, &rl, w);
        /* the products in long double, each added as a pair: a cell's
           A1..A3 then carry the rank's and the prefix's pairs nearly
           exactly (the Sen and SST totals are small differences of them) */
        const long double rk = (long double)rh + rl, P = (long double)ph + pl;
        const long double wy = (long double)w * y;
        double *a = sums + (size_t)q->kcell[i] * NSUM;
        socind__dd_add(&a[0], &a[1], w);
        socind__dd_add_ld(&a[2], &a[3], wy);
        socind__dd_add_ld(&a[4], &a[5], rk * wy);
        socind__dd_add_ld(&a[6], &a[7], P * w);
        socind__dd_add_ld(&ph, &pl, wy);
    }
    free(ord);
    return 1;
}

static int cmp_car(const void *a, const void *b) {
    const gcar *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->g > y->g) - (x->g < y->g);
}

static const gcar *car_find(const struct socind__gini *q, int64_t h, int64_t p, int32_t g) {
    gcar key;
    key.h = h, key.p = p, key.g = g;
    return q->ncar ? bsearch(&key, q->car, q->ncar, sizeof *q->car, cmp_car) : NULL;
}

/* Every cell's A0..A3 so far (carried plus the kept rows of s), 8 per cell
 * of s; NULL on NOMEM. */
static double *cell_sums(const socind_state *s) {
    const struct socind__gini *q = s->gini;
    double *sums = socind__big_calloc((s->ncell ? s->ncell : 1) * NSUM * sizeof *sums);
    if (!sums) return NULL;
    for (size_t c = 0; c < s->ncell; c++) {
        const int32_t p = s->c_psu[c];
        const gcar *e = car_find(q, s->p_stratum[p], s->p_id[p], s->c_group[c]);
        if (e) memcpy(sums + c * NSUM, e->a, sizeof e->a);
    }
    if (!rank_kept(s, sums)) {
        free(sums);
        return NULL;
    }
    return sums;
}

static uint32_t plan_fp(const struct socind__gini *q);

/* ---- the next pass ---- */

typedef struct {
    int32_t r;
    int64_t c;
    int32_t i;
} hkey;
static int cmp_hkey(const void *a, const void *b) {
    const hkey *x = a, *y = b;
    if (x->r != y->r) return x->r < y->r ? -1 : 1;
    return (x->c > y->c) - (x->c < y->c);
}

/* A later pass must add the rows the first did, once each: in every range
 * its plan works on (split or kept) it must meet the rows of positive
 * weight the pass before counted there. SOCIND_ERR_MISMATCH where it does
 * not (a chunk left out or added twice), else SOCIND_OK. */
static int32_t rows_as_planned(const socind_state *s) {
    const struct socind__gini *q = s->gini;
    if (s->pass == 1 || q->nr == 0) return SOCIND_OK;
    int64_t *seen = calloc(q->nr, sizeof *seen);
    if (!seen) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < q->nh; i++)
        if (q->hr[i] >= 0 && (size_t)q->hr[i] < q->nr)
            seen[q->hr[i]] = socind__count_add(seen[q->hr[i]], q->hn[i]);
    for (size_t k = 0; k < q->nk; k++)
        if (q->krange[k] >= 0 && (size_t)q->krange[k] < q->nr) seen[q->krange[k]]++;
    int32_t st = SOCIND_OK;
    for (size_t r = 0; r < q->nr && !st; r++) {
        const grange *R = &q->rg[r];
        if (R->act != ACT_NONE && R->n >= 0 && seen[r] != R->n)
            st = socind__fail(SOCIND_ERR_MISMATCH,
                              "pass %d met %lld rows of domain %d where the pass before counted "
                              "%lld: each pass must add every chunk of the first, once",
                              (int)s->pass, (long long)seen[r], (int)R->g, (long long)R->n);
    }
    free(seen);
    return st;
}

/* Whether a domain's totals ny (N̂ and Ŷ as pairs, pass 1's) make its
 * figures SOCIND_ERR_OVERFLOW whatever its rows' ranks: a total that left
 * the double range (its hi ±Inf or NaN, its lo NaN), the Gini's
 * coefficients beyond it (finish's test: N̂·Ŷ², N̂²·Ŷ; Ŷ = 0 is
 * SOCIND_ERR_DATA, ranked as before), or for the Sen and SST indices the
 * poor's N̂p³ (N̂·N̂p², which socind__sen_domain tests, is at least it).
 * Where none holds, the ranges' sums before them and the cells' Σw·r·y
 * and Σw·P stay within N̂·Ŷ (incomes >= 0), in the double range. */
static int beyond_ranks(int32_t est, const double *ny) {
    if (!isfinite(ny[0]) || !isfinite(ny[2])) return 1;
    const double N = ny[0] + ny[1], Y = ny[2] + ny[3];
    if (socind__state_is_sen(est)) return !isfinite(N * N * N);
    const double NY = N * Y, NYY = NY * Y, NNY = N * NY;
    return Y != 0.0 && !(isfinite(NYY) && isfinite(NNY) && NYY != 0.0 && NNY != 0.0);
}

int32_t socind__gini_next_pass(const socind_state *m, socind_state *n) {
    const struct socind__gini *q = m->gini;
    struct socind__gini *o = n->gini;
    const int32_t planned = rows_as_planned(m);
    if (planned) return planned;
    o->budget = q->budget;
    const int32_t G = q->G;
    double *sums = cell_sums(m);
    hkey *hk = malloc((q->nh ? q->nh : 1) * sizeof *hk);
    gcar *car = malloc((m->ncell ? m->ncell : 1) * sizeof *car);
    grange *rg = malloc((q->nr + q->nh + 1) * sizeof *rg);
    if (!sums || !hk || !car || !rg) {
        free(sums), free(hk), free(car), free(rg);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    /* carried sums: the cells' own (carried before, and this pass's rows) */
    size_t nc = 0;
    for (size_t c = 0; c < m->ncell; c++) {
        const double *a = sums + c * NSUM;
        int any = 0;
        for (int j = 0; j < NSUM; j++) any |= a[j] != 0.0;
        if (!any) continue;
        const int32_t p = m->c_psu[c];
        car[nc].h = m->p_stratum[p], car[nc].p = m->p_id[p], car[nc].g = m->c_group[c];
        memcpy(car[nc].a, a, sizeof car[nc].a);
        nc++;
    }
    qsort(car, nc, sizeof *car, cmp_car);
    /* carried cells the chunks of this pass did not name stay carried */
    size_t extra = 0;
    for (size_t i = 0; i < q->ncar; i++) {
        const gcar *e = &q->car[i];
        if (!bsearch(e, car, nc, sizeof *car, cmp_car)) extra++;
    }
    if (extra) {
        gcar *c2 = realloc(car, (nc + extra) * sizeof *car);
        if (!c2) {
            free(sums), free(hk), free(car), free(rg);
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        }
        car = c2;
        size_t at = nc;
        for (size_t i = 0; i < q->ncar; i++)
            if (!bsearch(&q->car[i], car, nc, sizeof *car, cmp_car)) car[at++] = q->car[i];
        nc = at;
        qsort(car, nc, sizeof *car, cmp_car);
    }
    free(sums);
    o->car = car, o->ncar = nc;
    /* the split ranges' children, in order */
    for (size_t i = 0; i < q->nh; i++) hk[i].r = q->hr[i], hk[i].c = q->hc[i], hk[i].i = (int32_t)i;
    qsort(hk, q->nh, sizeof *hk, cmp_hkey);
    memcpy(o->NY, q->NY, 4 * (size_t)G * sizeof *q->NY);
    size_t nr = 0, t = 0;
    for (size_t r = 0; r < q->nr; r++) {
        const grange *R = &q->rg[r];
        if (R->act == ACT_KEEP) continue;
        if (R->act == ACT_NONE) {
            rg[nr] = *R;
            rg[nr++].act = ACT_NONE;
            continue;
        }
        while (t < q->nh && hk[t].r < (int32_t)r) t++;
        const size_t first = nr;
        double wh = R->wb[0], wl = R->wb[1], ph = R->pb[0], pl = R->pb[1];
        const int L = R->level, S = step_of(L);
        for (; t < q->nh && hk[t].r == (int32_t)r; t++) {
            const size_t e = (size_t)hk[t].i;
            const uint64_t c = (uint64_t)q->hc[e];
            grange *C = &rg[nr++];
            memset(C, 0, sizeof *C);
            C->g = R->g, C->level = L + S, C->n = q->hn[e];
            C->hi = L < 64 ? R->hi | (c << (64 - L - S)) : R->hi;
            C->lo = L < 64 ? 0 : R->lo | (c << (128 - L - S));
            C->wb[0] = wh, C->wb[1] = wl, C->pb[0] = ph, C->pb[1] = pl;
            const double *s4 = q->hs + 4 * e;
            socind__dd_add(&wh, &wl, s4[0]);
            wl += s4[1];
            socind__dd_add(&ph, &pl, s4[2]);
            pl += s4[3];
        }
        if (m->pass == 1) { /* the domain's totals */
            double *ny = o->NY + 4 * (size_t)R->g;
            ny[0] = wh, ny[1] = wl, ny[2] = ph, ny[3] = pl;
            /* a domain whose figures are SOCIND_ERR_OVERFLOW whatever its
               ranks is not ranked: its ranges' sums before them, and its
               cells' Σw·r·y, would leave the double range too */
            if (beyond_ranks(m->sp.estimator, ny)) nr = first;
        }
    }
    free(hk);
    /* what the next pass does: split the ranges beyond the budget, keep
       the others in order while they fit */
    int64_t total = 0;
    int more = 0;
    for (size_t r = 0; r < nr; r++) {
        grange *R = &rg[r];
        R->act = R->n > o->budget && R->level < 128 ? ACT_SPLIT : ACT_NONE;
        if (R->act == ACT_NONE && (total == 0 || R->n <= o->budget - total)) {
            R->act = ACT_KEEP;
            total += R->n;
        }
        more |= R->act != ACT_KEEP;
    }
    free(o->rg);
    o->rg = rg, o->nr = nr;
    n->passes = more ? n->pass + 1 : n->pass;
    o->fp = plan_fp(o);
    return SOCIND_OK;
}

/* ---- finishing ---- */

typedef struct {
    int32_t g;
    int64_t h, p;
    int32_t c;
} ckey;
static int cmp_ckey(const void *a, const void *b) {
    const ckey *x = a, *y = b;
    if (x->g != y->g) return x->g < y->g ? -1 : 1;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->p > y->p) - (x->p < y->p);
}

/* The Sen and SST indices (SOCIND_STATE_SEN, _SST): the Gini's rows are
 * the poor of positive weight with their normalized incomes x = y/z, so
 * the cells' A0..A3 are the poor's Σw, Σw·x, Σw·r·x and Σw·P (r, P in x
 * order, as sen.c ranks them; T1 = Σ A2); the state's own sums add per
 * cell every row's Σw and the poor's Σw², Σw²·x and Σw·g (g = 1 − x).
 * The domain's figures and each cell's totals are sen.c's
 * (socind__sen_domain, socind__sen_cell), a cell's non-poor weight being
 * its Σw − A0. */
#define SEN_PARTS SOCIND_SEN_COUNT
_Static_assert(SOCIND_SEN_COUNT == SOCIND_SST_COUNT, "the Sen and SST parts share a layout");
static int32_t finish_sen(const socind_state *s, const socind_options *o, socind_estimate *out,
                          size_t count, const double *sums, const ckey *ck) {
    const struct socind__gini *q = s->gini;
    const int32_t G = q->G;
    const size_t K2 = 2 * (size_t)s->K, nc = s->ncell ? s->ncell : 1;
    /* per domain, as pairs: Σw, Σw², Σw²·x, Σw·g, T1 */
    double *dm = calloc((size_t)G * 10, sizeof *dm);
    socind__sen_dom *dd = calloc((size_t)G, sizeof *dd);
    double *zc = malloc(SEN_PARTS * nc * sizeof *zc);
    double *val = malloc(SEN_PARTS * (size_t)G * sizeof *val);
    double *N = malloc((size_t)G * sizeof *N);
    int32_t *vst = malloc(SEN_PARTS * (size_t)G * sizeof *vst);
    socind_estimate *e = malloc((size_t)G * sizeof *e);
    int32_t st = SOCIND_OK;
    if (!dm || !dd || !zc || !val || !N || !vst || !e) {
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
        free(dm), free(dd), free(zc), free(val), free(N), free(vst), free(e);
        return st;
    }
    for (size_t t = 0; t < s->ncell; t++) { /* in (domain, stratum, PSU) order */
        const size_t c = (size_t)ck[t].c;
        double *d = dm + 10 * (size_t)ck[t].g;
        const double *cs = s->c_sum + c * K2, *a = sums + c * NSUM;
        const double src[10] = {cs[0], cs[1], cs[2], cs[3], cs[4], cs[5], cs[6], cs[7], a[4], a[5]};
        for (int j = 0; j < 10; j += 2) {
            socind__dd_add(&d[j], &d[j + 1], src[j]);
            d[j + 1] += src[j + 1];
        }
    }
    for (int32_t g = 0; g < G; g++) {
        const double *d = dm + 10 * (size_t)g, *ny = q->NY + 4 * (size_t)g;
        socind__sen_dom *x = &dd[g];
        x->sst = s->sp.estimator == SOCIND_STATE_SST;
        x->N = (long double)d[0] + d[1], x->W2 = (long double)d[2] + d[3];
        x->W2x = (long double)d[4] + d[5], x->G = (long double)d[6] + d[7];
        x->T1 = (long double)d[8] + d[9];
        x->Np = (long double)ny[0] + ny[1], x->Xp = (long double)ny[2] + ny[3];
        socind__sen_domain(x);
        N[g] = isinf(d[0]) ? d[0] : (double)x->N; /* (+Inf, not NaN, beyond the range) */
        for (int k = 0; k < SEN_PARTS; k++)
            val[(size_t)k * G + g] = x->v[k], vst[(size_t)k * G + g] = x->st[k];
    }
    for (size_t c = 0; c < s->ncell; c++) {
        const double *cs = s->c_sum + c * K2, *a = sums + c * NSUM;
        const long double A0 = (long double)a[0] + a[1];
        long double z[SEN_PARTS];
        socind__sen_cell(&dd[s->c_group[c]], (long double)cs[0] + cs[1] - A0, A0,
                         (long double)a[2] + a[3], (long double)a[4] + a[5],
                         (long double)a[6] + a[7], (long double)cs[2] + cs[3],
                         (long double)cs[4] + cs[5], (long double)cs[6] + cs[7], z);
        for (int k = 0; k < SEN_PARTS; k++) zc[(size_t)k * nc + c] = (double)z[k];
    }
    /* every stratum counts by default, as socind_sen's (socind_fgt's) */
    socind_options oo = *o;
    if (oo.domain_rule == SOCIND_DOMAIN_RULE_AUTO) oo.domain_rule = SOCIND_DOMAIN_RULE_FULL;
    for (int k = 0; !st && k < SEN_PARTS; k++) {
        st = socind__rank_finish_linear(s, &oo, e, (size_t)G, zc + (size_t)k * nc,
                                        val + (size_t)k * (size_t)G, vst + (size_t)k * (size_t)G, N,
                                        k == SOCIND_SEN_HEADCOUNT);
        for (int32_t g = 0; !st && g < G; g++) out[(size_t)g * SEN_PARTS + (size_t)k] = e[g];
    }
    if (st)
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    free(dm), free(dd), free(zc), free(val), free(N), free(vst), free(e);
    return st;
}

int32_t socind__gini_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                            size_t count) {
    const struct socind__gini *q = s->gini;
    const int32_t planned = rows_as_planned(s);
    if (planned) {
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], planned);
        return planned;
    }
    const int32_t G = q->G;
    double *sums = cell_sums(s);
    ckey *ck = malloc((s->ncell ? s->ncell : 1) * sizeof *ck);
    double *zc = malloc((s->ncell ? s->ncell : 1) * sizeof *zc);
    double *dom = malloc((size_t)G * 8 * sizeof *dom);
    int32_t *vst = malloc((size_t)G * sizeof *vst);
    int32_t st = SOCIND_OK;
    if (!sums || !ck || !zc || !dom || !vst) {
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
        free(sums), free(ck), free(zc), free(dom), free(vst);
        return st;
    }
    /* T1 per domain: its cells' Σw·r·y in (stratum, PSU) order */
    for (size_t c = 0; c < s->ncell; c++) {
        const int32_t p = s->c_psu[c];
        ck[c].g = s->c_group[c], ck[c].h = s->p_stratum[p], ck[c].p = s->p_id[p];
        ck[c].c = (int32_t)c;
    }
    qsort(ck, s->ncell, sizeof *ck, cmp_ckey);
    if (socind__state_is_sen(s->sp.estimator)) {
        st = finish_sen(s, o, out, count, sums, ck);
        free(sums), free(ck), free(zc), free(dom), free(vst);
        return st;
    }
    double *val = dom, *wsum = dom + G, *T1 = dom + 2 * G, *a = dom + 3 * G; /* a: 3 per domain */
    for (int32_t g = 0; g < G; g++) T1[g] = 0.0;
    {
        size_t t = 0;
        for (int32_t g = 0; g < G; g++) {
            double hi = 0.0, lo = 0.0;
            for (; t < s->ncell && ck[t].g == g; t++) {
                const double *x = sums + (size_t)ck[t].c * NSUM;
                socind__dd_add(&hi, &lo, x[4]);
                lo += x[5];
            }
            T1[g] = hi + lo;
        }
    }
    for (int32_t g = 0; g < G; g++) {
        const double *ny = q->NY + 4 * (size_t)g;
        const double N = socind__pair_value(ny[0], ny[1]), Y = ny[2] + ny[3];
        wsum[g] = N;
        vst[g] = SOCIND_OK;
        val[g] = NAN;
        double *ag = a + 3 * (size_t)g;
        ag[0] = ag[1] = ag[2] = 0.0;
        if (Y == 0.0) { /* a share of no income */
            vst[g] = SOCIND_ERR_DATA;
            continue;
        }
        /* inequality.c's gini: its coefficients leave the double range
           where N̂·Ŷ², N̂²·Ŷ do */
        const double NY = N * Y, NYY = NY * Y, NNY = N * NY;
        if (!(isfinite(NYY) && isfinite(NNY) && NYY != 0.0 && NNY != 0.0)) {
            vst[g] = SOCIND_ERR_OVERFLOW;
            continue;
        }
        val[g] = (2.0 * T1[g] - Y) / (N * Y) - 1.0;
        ag[0] = 2.0 / (N * Y), ag[1] = 2.0 * T1[g] / (N * Y * Y);
        ag[2] = (2.0 * T1[g] - Y) / (N * N * Y);
    }
    for (size_t c = 0; c < s->ncell; c++) {
        const int32_t g = s->c_group[c];
        const double *x = sums + c * NSUM, *ag = a + 3 * (size_t)g;
        const double Y = q->NY[4 * (size_t)g + 2] + q->NY[4 * (size_t)g + 3];
        const long double A0 = (long double)x[0] + x[1], A1 = (long double)x[2] + x[3],
                          A2 = (long double)x[4] + x[5], A3 = (long double)x[6] + x[7];
        zc[c] = vst[g]
                    ? 0.0
                    : (double)(ag[0] * ((long double)Y * A0 - A3 + A2) - ag[1] * A1 - ag[2] * A0);
    }
    st = socind__rank_finish_linear(s, o, out, count, zc, val, vst, wsum, 0);
    free(sums), free(ck), free(zc), free(dom), free(vst);
    return st;
}

/* ---- bytes ---- */

#define HEAD_BYTES 16u
#define RANGE_BYTES 72u
#define NY_BYTES 32u
#define CAR_BYTES 88u
#define HIST_BYTES 56u
#define ROW_BYTES 32u

static size_t plan_bytes(const struct socind__gini *q) {
    return HEAD_BYTES + 8 + q->nr * RANGE_BYTES + (size_t)q->G * NY_BYTES + 8 + q->ncar * CAR_BYTES;
}

size_t socind__gini_bytes(const struct socind__gini *q) {
    return plan_bytes(q) + 8 + q->nh * HIST_BYTES + 8 + q->nk * ROW_BYTES;
}

static void put_head(const struct socind__gini *q, unsigned char *b) {
    socind__put_u64(b, (uint64_t)q->budget);
    socind__put_u32(b + 8, (uint32_t)q->G);
    socind__put_u32(b + 12, 0);
    socind__put_u64(b + 16, q->nr);
}
static void put_range(const grange *R, unsigned char *b) {
    socind__put_u32(b, (uint32_t)R->g);
    socind__put_u32(b + 4, (uint32_t)R->level);
    socind__put_u32(b + 8, (uint32_t)R->act);
    socind__put_u32(b + 12, 0);
    socind__put_u64(b + 16, R->hi);
    socind__put_u64(b + 24, R->lo);
    socind__put_u64(b + 32, (uint64_t)R->n);
    socind__put_f64(b + 40, R->wb[0]);
    socind__put_f64(b + 48, R->wb[1]);
    socind__put_f64(b + 56, R->pb[0]);
    socind__put_f64(b + 64, R->pb[1]);
}
static void put_car(const gcar *e, unsigned char *b) {
    socind__put_u64(b, (uint64_t)e->h);
    socind__put_u64(b + 8, (uint64_t)e->p);
    socind__put_u32(b + 16, (uint32_t)e->g);
    socind__put_u32(b + 20, 0);
    for (int j = 0; j < NSUM; j++) socind__put_f64(b + 24 + 8 * j, e->a[j]);
}

static unsigned char *write_plan(const struct socind__gini *q, unsigned char *b) {
    put_head(q, b);
    b += HEAD_BYTES + 8;
    for (size_t r = 0; r < q->nr; r++, b += RANGE_BYTES) put_range(&q->rg[r], b);
    for (size_t j = 0; j < 4 * (size_t)q->G; j++, b += 8) socind__put_f64(b, q->NY[j]);
    socind__put_u64(b, q->ncar);
    b += 8;
    for (size_t i = 0; i < q->ncar; i++, b += CAR_BYTES) put_car(&q->car[i], b);
    return b;
}

/* The CRC-32 of the plan's bytes (write_plan's), made a piece at a time
 * in a buffer of a few kB: the bytes of a plan of 10^7 domains are about
 * 1 GB, which the fingerprint does not need at once. */
static uint32_t plan_crc(const struct socind__gini *q) {
    enum { PIECE = 4096 };
    unsigned char b[PIECE];
    size_t len = 0;
    uint32_t c;
    put_head(q, b);
    c = socind__crc32(0, b, HEAD_BYTES + 8), len += HEAD_BYTES + 8;
    for (size_t r = 0; r < q->nr;) {
        size_t k = 0;
        for (; r < q->nr && k + RANGE_BYTES <= PIECE; r++, k += RANGE_BYTES)
            put_range(&q->rg[r], b + k);
        c = socind__crc32(c, b, k), len += k;
    }
    for (size_t j = 0; j < 4 * (size_t)q->G;) {
        size_t k = 0;
        for (; j < 4 * (size_t)q->G && k + 8 <= PIECE; j++, k += 8)
            socind__put_f64(b + k, q->NY[j]);
        c = socind__crc32(c, b, k), len += k;
    }
    socind__put_u64(b, q->ncar);
    c = socind__crc32(c, b, 8), len += 8;
    for (size_t i = 0; i < q->ncar;) {
        size_t k = 0;
        for (; i < q->ncar && k + CAR_BYTES <= PIECE; i++, k += CAR_BYTES)
            put_car(&q->car[i], b + k);
        c = socind__crc32(c, b, k), len += k;
    }
    SOCIND__TEST_RECORD(socind__gini_fp_bytes, len < (size_t)(INT32_MAX - socind__gini_fp_bytes)
                                                   ? socind__gini_fp_bytes + (int)len
                                                   : INT32_MAX);
    return c ? c : 1;
}

static int zero_bits(double x) {
    return x == 0.0 && !signbit(x);
}

/* Whether q's plan is the first pass's, as socind__gini_new makes it:
 * every domain's whole range to split, nothing before it, no totals, no
 * carried cell (a pass-2 plan's ranges are the first's children: level >
 * 0, so the scan stops at its first range). */
static int first_plan(const struct socind__gini *q) {
    if (q->nr != (size_t)q->G || q->ncar != 0) return 0;
    for (size_t r = 0; r < q->nr; r++) {
        const grange *R = &q->rg[r];
        if (R->g != (int32_t)r || R->level != 0 || R->act != ACT_SPLIT || R->hi || R->lo ||
            R->n != -1 || !zero_bits(R->wb[0]) || !zero_bits(R->wb[1]) || !zero_bits(R->pb[0]) ||
            !zero_bits(R->pb[1]))
            return 0;
    }
    for (size_t j = 0; j < 4 * (size_t)q->G; j++)
        if (!zero_bits(q->NY[j])) return 0;
    return 1;
}

/* The plan's fingerprint, which states of one pass must share to merge:
 * 0 for the first pass's plan (first_plan: the same bytes for a budget
 * and a number of domains, which the merge compares), else the CRC-32 of
 * its bytes (never 0). Made once a plan, where it is made or read: a
 * merge compares two numbers, not two plans. */
static uint32_t plan_fp(const struct socind__gini *q) {
    return first_plan(q) ? 0 : plan_crc(q);
}

void socind__gini_write(const struct socind__gini *q, unsigned char *b) {
    b = write_plan(q, b);
    socind__put_u64(b, q->nh);
    b += 8;
    for (size_t i = 0; i < q->nh; i++, b += HIST_BYTES) {
        socind__put_u32(b, (uint32_t)q->hr[i]);
        socind__put_u32(b + 4, 0);
        socind__put_u64(b + 8, (uint64_t)q->hc[i]);
        socind__put_u64(b + 16, (uint64_t)q->hn[i]);
        for (int j = 0; j < 4; j++) socind__put_f64(b + 24 + 8 * j, q->hs[4 * i + (size_t)j]);
    }
    socind__put_u64(b, q->nk);
    b += 8;
    for (size_t i = 0; i < q->nk; i++, b += ROW_BYTES) {
        socind__put_f64(b, q->ky[i]);
        socind__put_f64(b + 8, q->kw[i]);
        socind__put_u64(b + 16, (uint64_t)q->krow[i]);
        socind__put_u32(b + 24, (uint32_t)q->kcell[i]);
        socind__put_u32(b + 28, (uint32_t)q->krange[i]);
    }
}

static int32_t bad(const char *what) {
    return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s", what);
}

static int dd_ok(double hi, double lo) {
    return isfinite(hi) && isfinite(lo);
}

/* Whether the G domains' totals NY (of a state in pass `pass`, whose
 * ranges are rg[0 .. nr)) keep the format's rules: finite pairs, N̂ >= 0
 * (0 in pass 1); or, from pass 2 on, in a domain with no range, totals that
 * left the double range as adding made them (N̂'s hi +Inf, Ŷ's ±Inf or NaN,
 * each lo NaN). A domain with a range must not be one next_pass leaves
 * unranked (beyond_ranks). 1, 0 when broken, −1 out of memory. */
static int totals_ok(int32_t est, const double *NY, int32_t G, int pass, const grange *rg,
                     size_t nr) {
    uint8_t *ranked = calloc(G > 0 ? (size_t)G : 1, 1);
    if (!ranked) return -1;
    for (size_t r = 0; r < nr; r++) ranked[rg[r].g] = 1;
    int ok = 1;
    for (int32_t g = 0; ok && g < G; g++) {
        const double *ny = NY + 4 * (size_t)g;
        const int n_over = ny[0] == INFINITY && isnan(ny[1]),
                  y_over = !isfinite(ny[2]) && isnan(ny[3]);
        const int n_ok = dd_ok(ny[0], ny[1]) && ny[0] >= 0.0 && ny[0] + ny[1] >= 0.0,
                  y_ok = dd_ok(ny[2], ny[3]);
        ok = (n_ok || n_over) && (y_ok || y_over) && !(pass == 1 && ny[0] != 0.0);
        if (ok && (n_over || y_over))
            ok = pass > 1 && !ranked[g];
        else if (ok && pass > 1 && ranked[g])
            ok = !beyond_ranks(est, ny);
    }
    free(ranked);
    return ok;
}

int32_t socind__gini_read(socind_state *s, const unsigned char *b, size_t len) {
    struct socind__gini *q = s->gini;
    const int32_t G = q->G;
    if (len < HEAD_BYTES + 8) return bad("the Gini's part is truncated");
    const uint64_t budget = socind__get_u64(b), nr = socind__get_u64(b + 16);
    if ((int32_t)socind__get_u32(b + 8) != G || socind__get_u32(b + 12) != 0 || budget < 1 ||
        budget > ((uint64_t)1 << 40))
        return bad("the Gini's plan breaks the format's rules");
    size_t at = HEAD_BYTES + 8;
    if (nr > (len - at) / RANGE_BYTES) return bad("the Gini's part is truncated");
    at += (size_t)nr * RANGE_BYTES;
    if ((size_t)G > (len - at) / NY_BYTES || len - at - (size_t)G * NY_BYTES < 8)
        return bad("the Gini's part is truncated");
    at += (size_t)G * NY_BYTES;
    const uint64_t ncar = socind__get_u64(b + at);
    at += 8;
    if (ncar > (len - at) / CAR_BYTES || len - at - ncar * CAR_BYTES < 8)
        return bad("the Gini's part is truncated");
    at += (size_t)ncar * CAR_BYTES;
    const uint64_t nh = socind__get_u64(b + at);
    at += 8;
    if (nh > (len - at) / HIST_BYTES || len - at - nh * HIST_BYTES < 8)
        return bad("the Gini's part is truncated");
    at += (size_t)nh * HIST_BYTES;
    const uint64_t nk = socind__get_u64(b + at);
    at += 8;
    if (nk > (len - at) / ROW_BYTES || len - at != nk * ROW_BYTES)
        return bad("the Gini's part does not match its counts (truncated or extended)");
    /* the plan */
    grange *rg = malloc((nr ? nr : 1) * sizeof *rg);
    gcar *car = malloc((ncar ? ncar : 1) * sizeof *car);
    if (!rg || !car) {
        free(rg), free(car);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    free(q->rg), free(q->car);
    q->rg = rg, q->nr = (size_t)nr, q->car = car, q->ncar = (size_t)ncar;
    q->budget = (int64_t)budget;
    const unsigned char *p = b + HEAD_BYTES + 8;
    int more = 0;
    for (size_t r = 0; r < nr; r++, p += RANGE_BYTES) {
        grange *R = &rg[r];
        R->g = (int32_t)socind__get_u32(p), R->level = (int32_t)socind__get_u32(p + 4);
        R->act = (int32_t)socind__get_u32(p + 8);
        R->hi = socind__get_u64(p + 16), R->lo = socind__get_u64(p + 24);
        R->n = (int64_t)socind__get_u64(p + 32);
        R->wb[0] = socind__get_f64(p + 40), R->wb[1] = socind__get_f64(p + 48);
        R->pb[0] = socind__get_f64(p + 56), R->pb[1] = socind__get_f64(p + 64);
        int ok = R->g >= 0 && R->g < G && R->level >= 0 && R->level <= 128 && level_ok(R->level) &&
                 R->act >= ACT_NONE && R->act <= ACT_SPLIT && socind__get_u32(p + 12) == 0 &&
                 prefix_ok(R) && dd_ok(R->wb[0], R->wb[1]) && dd_ok(R->pb[0], R->pb[1]) &&
                 !(R->wb[0] < 0.0) &&
                 (r == 0 || cmp3(rg[r - 1].g, rg[r - 1].hi, rg[r - 1].lo, R->g, R->hi, R->lo) < 0);
        /* disjoint: the previous range ends before this one starts */
        if (ok && r > 0 && rg[r - 1].g == R->g) ok = !in_range(&rg[r - 1], R->hi, R->lo);
        if (ok && s->pass == 1) /* the whole domains, to split */
            ok = nr == (uint64_t)G && R->g == (int32_t)r && R->level == 0 && R->act == ACT_SPLIT &&
                 R->n == -1 && R->wb[0] == 0.0 && R->wb[1] == 0.0 && R->pb[0] == 0.0 &&
                 R->pb[1] == 0.0;
        else if (ok)
            ok = R->n >= 1 && R->level > 0 && (R->act != ACT_SPLIT || R->level < 128);
        if (!ok) return bad("a range of the Gini's plan breaks the format's rules");
        more |= R->act != ACT_KEEP;
    }
    if (s->pass == 1 ? s->passes != 2 : s->passes != (more ? s->pass + 1 : s->pass))
        return bad("its passes do not match the Gini's plan");
    for (size_t j = 0; j < 4 * (size_t)G; j++, p += 8) q->NY[j] = socind__get_f64(p);
    const int tok = totals_ok(s->sp.estimator, q->NY, G, s->pass, rg, (size_t)nr);
    if (tok < 0) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!tok) return bad("the Gini's totals break the format's rules");
    p += 8;
    for (size_t i = 0; i < ncar; i++, p += CAR_BYTES) {
        gcar *e = &car[i];
        e->h = (int64_t)socind__get_u64(p), e->p = (int64_t)socind__get_u64(p + 8);
        e->g = (int32_t)socind__get_u32(p + 16);
        int ok = e->g >= 0 && e->g < G && socind__get_u32(p + 20) == 0 &&
                 (i == 0 || cmp_car(&car[i - 1], e) < 0) && s->pass > 1;
        for (int j = 0; j < NSUM; j++) e->a[j] = socind__get_f64(p + 24 + 8 * j);
        for (int j = 0; ok && j < NSUM; j += 2) ok = dd_ok(e->a[j], e->a[j + 1]);
        if (!ok) return bad("a carried cell of the Gini breaks the format's rules");
    }
    q->fp = plan_fp(q);
    /* the histogram */
    p += 8;
    if (!hist_reserve(q, (size_t)nh)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nh; i++, p += HIST_BYTES) {
        const int32_t r = (int32_t)socind__get_u32(p);
        const int64_t c = (int64_t)socind__get_u64(p + 8), cnt = (int64_t)socind__get_u64(p + 16);
        double s4[4];
        for (int j = 0; j < 4; j++) s4[j] = socind__get_f64(p + 24 + 8 * j);
        /* Σw·y: a finite pair, or one that overflowed (its hi ±inf, its lo
           then NaN, as adding made it) */
        int ok = r >= 0 && (size_t)r < nr && socind__get_u32(p + 4) == 0 && cnt >= 1 &&
                 s4[0] > 0.0 && dd_ok(s4[0], s4[1]) && (dd_ok(s4[2], s4[3]) || isinf(s4[2]));
        /* sums start at +0 and are never written as −0 (it would read back +0) */
        for (int j = 0; ok && j < 4; j++) ok = !(s4[j] == 0.0 && signbit(s4[j]));
        if (ok) {
            const grange *R = &rg[r];
            ok = R->act == ACT_SPLIT && c >= 0 && c < ((int64_t)1 << step_of(R->level)) &&
                 q->hmap.val[socind__idmap_slot(&q->hmap, r, c)] < 0;
        }
        if (!ok) return bad("a histogram record of the Gini breaks the format's rules");
        /* a new entry takes the record's sums as they are (adding them to 0
           would turn an overflowed pair's lo into NaN): written back the same */
        hist_add(q, r, c, cnt, (const double[4]){0.0, 0.0, 0.0, 0.0});
        memcpy(q->hs + 4 * (size_t)(q->nh - 1), s4, sizeof s4);
    }
    /* the kept rows */
    p += 8;
    if (!rows_reserve(q, (size_t)nk)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nk; i++, p += ROW_BYTES) {
        const double y = socind__get_f64(p), w = socind__get_f64(p + 8);
        const int64_t row = (int64_t)socind__get_u64(p + 16);
        const int32_t c = (int32_t)socind__get_u32(p + 24), r = (int32_t)socind__get_u32(p + 28);
        int ok = isfinite(y) && w > 0.0 && isfinite(w) && row >= 0 && row < ((int64_t)1 << 62) &&
                 c >= 0 && (size_t)c < s->ncell && r >= 0 && (size_t)r < nr;
        if (ok)
            ok = rg[r].act == ACT_KEEP && s->c_group[c] == rg[r].g &&
                 in_range(&rg[r], vkey(y), (uint64_t)row);
        if (!ok) return bad("a kept row of the Gini breaks the format's rules");
        const size_t k = q->nk++;
        q->ky[k] = y, q->kw[k] = w, q->krow[k] = row, q->kcell[k] = c, q->krange[k] = r;
    }
    return SOCIND_OK;
}

/* ---- socind_gini on several threads ----
 * The same decomposition over the domain's rows in memory: a histogram of
 * their values' order keys (2^bits buckets over the keys' range, which the
 * gather found, about 256 rows a bucket between 2^8 and 2^TBITS buckets:
 * few enough that the scatter's write positions stay in the cache), made
 * in the pass that sums N̂ and Ŷ (socind__items_totals' blocks, a share
 * of the blocks a thread: its figures bit for bit), cuts them into T
 * ranges of
 * about nr/T rows (one a thread, whole buckets); the rows are scattered
 * into bucket order (stable: ties stay in row order, as one thread's sort
 * leaves them), and each thread sorts its range's buckets, gathered into
 * groups of a few thousand rows, in the cache (the scatter is the bucket
 * pass of socind__sort_items, once for all threads), and while a group is
 * in the cache ranks it from the weight before it in the range: the
 * range's weight W_t, income P_t and Σ c·w·y with c the weight up to the
 * row within the range, so that its part of T1 is W0_t·P_t + Σ c·w·y (W0_t
 * the weight before the range; long double throughout); once T1 is known, each
 * thread walks its range backwards from the income and weight after it,
 * as one thread walks all the rows, adding w·u into its own PSU sums,
 * which are added at the end. */

#define TBITS 16
/* rows a thread sorts at once: adjacent buckets gathered up to this many */
#define GROUP_ROWS 4096

typedef struct {
    socind__item *it, *out; /* the domain's rows; scattered by range */
    size_t nr;              /* rows in all */
    size_t k0, k1;          /* blocks k0 .. k1 of SOCIND__SUM_BLOCK rows: */
    size_t a, b;            /* rows it[a .. b) (histogram, sums and scatter) */
    double *sn, *sy;        /* each block's Σ w and Σ w·y */
    uint64_t kmin;          /* the least key */
    int shift, T;
    size_t *cnt;                      /* the bucket counts, then next slots */
    const size_t *start;              /* each bucket's first slot of out (+ the end) */
    size_t b0, b1;                    /* this thread's buckets */
    size_t lo, hi;                    /* this thread's range of out */
    long double Wr, Pr, T1;           /* the range's weight, Σw·y and Σ c·w·y */
    long double Wtot, Safter, Aafter; /* all weight; Σw·y and weight after it */
    double a1, a2, a3;                /* the linearization's coefficients */
    double *acc;                      /* Σ w·u per PSU */
    unsigned char *seen;              /* PSUs with a row here */
    int phase;
    int32_t st;
} gthr;

static inline size_t tbucket(uint64_t kmin, int shift, double y) {
    return (size_t)((socind__order_key(y) - kmin) >> shift);
}

/* (The loops below read the job's fields into locals, restrict-qualified:
 * a store through a char, size_t or item pointer could otherwise alias a
 * field, which the compiler would load again at every row — the walk took
 * 2.5 times as long so.) */
static void *gwork(void *arg) {
    gthr *j = arg;
    const uint64_t kmin = j->kmin;
    const int shift = j->shift;
    if (j->phase == 0) { /* the blocks' sums and the histogram of rows a .. b */
        const socind__item *restrict it = j->it;
        size_t *restrict cnt = j->cnt;
        const size_t nr = j->nr, k1 = j->k1;
        for (size_t k = j->k0; k < k1; k++) {
            const size_t b = k * SOCIND__SUM_BLOCK;
            const size_t e = b + SOCIND__SUM_BLOCK < nr ? b + SOCIND__SUM_BLOCK : nr;
            socind__block_sums(it, b, e, &j->sn[2 * k], &j->sy[2 * k]);
            for (size_t i = b; i < e; i++) cnt[tbucket(kmin, shift, it[i].y)]++;
        }
    } else if (j->phase == 1) { /* scatter, stable: cnt holds each bucket's next slot */
        const socind__item *restrict it = j->it;
        size_t *restrict next = j->cnt;
        socind__item *restrict out = j->out;
        const size_t b = j->b;
        for (size_t i = j->a; i < b; i++) out[next[tbucket(kmin, shift, it[i].y)]++] = it[i];
    } else if (j->phase == 2) { /* sort this range's buckets; its totals */
        /* the rows' first copy (it) is the scratch: the same slots */
        size_t *count = malloc(SOCIND__SORT_COUNT * sizeof *count);
        if (!count) {
            j->st = SOCIND_ERR_NOMEM;
            return NULL;
        }
        socind__item *restrict out = j->out;
        const size_t *start = j->start, b1 = j->b1;
        long double W = 0.0L, P = 0.0L, T1 = 0.0L;
        for (size_t b = j->b0; b < b1;) {
            const size_t s = start[b];
            while (b < b1 && start[b + 1] - s < GROUP_ROWS) b++;
            if (b < b1) b++; /* (a bucket of GROUP_ROWS or more: alone) */
            const size_t e = start[b];
            if (e - s > 1) socind__sort_items_cached(out + s, e - s, j->it + s, count);
            /* the group, still in the cache: ranked within the range */
            for (size_t i = s; i < e; i++) {
                const long double wy = (long double)out[i].w * out[i].y;
                W += out[i].w;
                P += wy;
                T1 += W * wy;
            }
        }
        free(count);
        j->Wr = W, j->Pr = P, j->T1 = T1;
    } else { /* w·u per PSU, walked backwards as inequality.c's gini */
        const socind__item *restrict out = j->out;
        double *restrict acc = j->acc;
        unsigned char *restrict seen = j->seen;
        const size_t lo = j->lo;
        const long double Wtot = j->Wtot;
        long double suffix = j->Safter, after = j->Aafter;
        const double a1 = j->a1, a2 = j->a2, a3 = j->a3;
        for (size_t i = j->hi; i-- > lo;) {
            const double yk = out[i].y, wk = out[i].w;
            suffix += (long double)wk * yk;
            const double rk = (double)(Wtot - after);
            after += wk;
            const double uT1 = (double)suffix + rk * yk;
            const int32_t p = out[i].psu;
            acc[p] += wk * (a1 * uT1 - a2 * yk - a3);
            seen[p] = 1;
        }
    }
    return NULL;
}

static void gpart(void *arg, int32_t t) {
    gwork(&((gthr *)arg)[t]);
}

/* Phase `phase` of every thread's job (socind__parallel). */
static void grun(gthr *j, int T, int phase) {
    for (int t = 0; t < T; t++) j[t].phase = phase;
    socind__parallel(T, gpart, j);
}

int32_t socind__gini_items_threaded(socind__item *it, size_t nr, double ylo, double yhi, int32_t T,
                                    size_t npsu, socind__work *wk, double *Nout, double *Yout,
                                    double *value) {
    int bits = 8;
    while (bits < TBITS && ((size_t)256 << bits) < nr) bits++;
    const size_t NB = (size_t)1 << bits, nb = (nr + SOCIND__SUM_BLOCK - 1) / SOCIND__SUM_BLOCK;
    gthr *j = calloc((size_t)T, sizeof *j);
    socind__item *out = socind__big_alloc((nr ? nr : 1) * sizeof *out);
    size_t *start = malloc((NB + 1) * sizeof *start);
    double *sums = malloc(4 * (nb ? nb : 1) * sizeof *sums);
    int32_t st = SOCIND_OK;
    *value = NAN;
    if (!j || !out || !start || !sums) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    const uint64_t kmin = socind__order_key(ylo), kmax = socind__order_key(yhi);
    for (int32_t t = 0; !st && t < T; t++) {
        j[t].it = it, j[t].out = out, j[t].T = T, j[t].nr = nr;
        j[t].k0 = socind__part_start(nb, t, T), j[t].k1 = socind__part_start(nb, t + 1, T);
        j[t].a = j[t].k0 * SOCIND__SUM_BLOCK;
        j[t].b = j[t].k1 * SOCIND__SUM_BLOCK < nr ? j[t].k1 * SOCIND__SUM_BLOCK : nr;
        j[t].sn = sums, j[t].sy = sums + 2 * nb;
    }
    int shift = 0;
    while (!st && nr && ((kmax - kmin) >> shift) >= NB) shift++;
    for (int32_t t = 0; !st && t < T; t++) {
        j[t].kmin = kmin, j[t].shift = shift;
        j[t].cnt = calloc(NB, sizeof *j[t].cnt);
        /* (huge pages where it is large: a PSU a row is hundreds of
           thousands of pages, first touched in random order) */
        j[t].acc = socind__big_calloc((npsu ? npsu : 1) * sizeof *j[t].acc);
        j[t].seen = calloc(npsu ? npsu : 1, 1);
        j[t].start = start;
        if (!j[t].cnt || !j[t].acc || !j[t].seen)
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    double N = 0.0, Y = 0.0;
    if (!st) {
        grun(j, T, 0);
        socind__totals_of_blocks(sums, sums + 2 * nb, nb, &N, &Y);
        *Nout = N, *Yout = Y;
        if (Y == 0.0) st = -1; /* no share of total income: the caller says so */
    }
    if (!st) {
        /* each bucket's first slot, and each thread's next slot in it
           (threads in order within a bucket: stable) */
        size_t at = 0;
        for (size_t b = 0; b < NB; b++) {
            start[b] = at;
            for (int32_t t = 0; t < T; t++) {
                const size_t c = j[t].cnt[b];
                j[t].cnt[b] = at;
                at += c;
            }
        }
        start[NB] = at;
        /* ranges of about nr/T rows, cut between buckets */
        size_t b = 0;
        for (int32_t r = 0; r < T; r++) {
            j[r].b0 = b;
            const size_t goal = socind__part_start(nr, r + 1, T);
            while (b < NB && (r == T - 1 || start[b + 1] <= goal)) b++;
            j[r].b1 = b;
            j[r].lo = start[j[r].b0], j[r].hi = start[b];
        }
    }
    if (!st) {
        grun(j, T, 1);
        grun(j, T, 2);
        for (int32_t t = 0; t < T; t++)
            if (j[t].st && !st) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    if (!st) {
        /* T1 = Σ_t (W0_t·P_t + Σ c·w·y), W0_t the weight before range t */
        long double W = 0.0L, T1l = 0.0L, S = 0.0L, A = 0.0L;
        for (int32_t t = 0; t < T; t++) T1l += W * j[t].Pr + j[t].T1, W += j[t].Wr;
        const double T1 = (double)T1l;
        const double NY = N * Y, NYY = NY * Y, NNY = N * NY;
        if (!(isfinite(NYY) && isfinite(NNY) && NYY != 0.0 && NNY != 0.0)) {
            *value = NAN;
        } else {
            *value = (2.0 * T1 - Y) / (N * Y) - 1.0;
            for (int32_t t = T; t-- > 0;) {
                j[t].Wtot = W, j[t].Safter = S, j[t].Aafter = A;
                j[t].a1 = 2.0 / (N * Y), j[t].a2 = 2.0 * T1 / (N * Y * Y);
                j[t].a3 = (2.0 * T1 - Y) / (N * N * Y);
                S += j[t].Pr, A += j[t].Wr;
            }
            grun(j, T, 3);
            /* each PSU's total over the threads */
            for (int32_t t = 0; t < T; t++)
                for (size_t p = 0; p < npsu; p++) {
                    if (!j[t].seen[p]) continue;
                    double z = 0.0;
                    for (int32_t u = t; u < T; u++) z += j[u].acc[p], j[u].seen[p] = 0;
                    *socind__touch(wk, (int32_t)p) += z;
                }
        }
    }
    for (int32_t t = 0; j && t < T; t++) free(j[t].cnt), free(j[t].acc), free(j[t].seen);
    free(j), free(out), free(start), free(sums);
    return st < 0 ? SOCIND_OK : st;
}
