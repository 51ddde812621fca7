/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_rank.c — partial states of the rank-based estimates
 * (socind/state.h): quantiles, the poverty line and every poverty measure
 * against a relative line, Gini, share ratios and Lorenz ordinates.
 *
 * Exactness costs the rows here. Each of these estimates depends on every
 * row's weighted rank or on quantiles whose linearization (the share below
 * the quantile, a kernel density at it, each row's indicator against it)
 * is only known once the quantile is, and the in-memory estimators' figures
 * depend on the exact quantile (a bracketing histogram locates it, but the
 * value, the indicator of each row against it and the density at it need
 * the rows near it and then every row again). A rank-based state therefore
 * keeps every row it is given — its value, weight, stratum, PSU, fpc,
 * domain and number: 52 bytes a row in memory, 56 in the bytes — beside the
 * PSU and cell tables that the other states keep (which check the rows as
 * they come and count PSUs and cells); its cells' sums stay 0. It takes one
 * pass. Finishing orders the rows by their number (ties by every other
 * field, so that the order does not depend on the chunking or the merge
 * order), builds the design socind_design_new would from them, and runs the
 * in-memory estimator: the figures are the in-memory call's on the rows in
 * that order — identical to it when the chunks number the rows as the
 * in-memory arrays hold them, and within the in-memory estimators' own
 * rounding of a reordering otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "socind/inequality.h"
#include "socind/poverty.h"
#include "state_internal.h"

struct socind__rank {
    size_t n, cap;
    double *y, *w, *fpc;
    int64_t *h, *p, *row;
    int32_t *g;
};

#define ROW_BYTES 56u
#define PART_FIXED_BYTES 24u

static int is_relative(int32_t t) {
    return t == SOCIND_LINE_RELATIVE_QUANTILE || t == SOCIND_LINE_RELATIVE_MEAN;
}
static int is_fgt_family(int32_t e) {
    return e >= SOCIND_STATE_FGT && e <= SOCIND_STATE_WATTS_DECOMPOSITION;
}

int socind__rank_is(const socind_state_spec *sp) {
    const int32_t e = sp->estimator;
    return (e >= SOCIND_STATE_QUANTILE && e <= SOCIND_STATE_LORENZ) ||
           (is_fgt_family(e) && is_relative(sp->line_type));
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
    if ((is_fgt_family(e) || e == SOCIND_STATE_POVERTY_LINE) && is_relative(o->line_type)) {
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

int socind__rank_new(socind_state *s) {
    s->rank = calloc(1, sizeof *s->rank);
    return s->rank != NULL;
}

void socind__rank_free(socind_state *s) {
    struct socind__rank *r = s->rank;
    if (!r) return;
    free(r->y), free(r->w), free(r->fpc), free(r->h), free(r->p), free(r->row), free(r->g);
    free(r);
    s->rank = NULL;
}

size_t socind__rank_rows(const socind_state *s) {
    return s->rank ? s->rank->n : 0;
}

static int grow(void **p, size_t elem, size_t cap) {
    void *q = realloc(*p, cap * elem);
    if (!q) return 0;
    *p = q;
    return 1;
}

int socind__rank_reserve(socind_state *s, size_t more) {
    struct socind__rank *r = s->rank;
    if (more <= r->cap - r->n) return 1;
    if (more > SIZE_MAX / 2 - r->n) return 0;
    size_t cap = r->cap ? r->cap : 256;
    while (cap - r->n < more) cap *= 2;
    if (cap > SIZE_MAX / 64) return 0;
    if (!grow((void **)&r->y, sizeof *r->y, cap) || !grow((void **)&r->w, sizeof *r->w, cap) ||
        !grow((void **)&r->fpc, sizeof *r->fpc, cap) || !grow((void **)&r->h, sizeof *r->h, cap) ||
        !grow((void **)&r->p, sizeof *r->p, cap) || !grow((void **)&r->row, sizeof *r->row, cap) ||
        !grow((void **)&r->g, sizeof *r->g, cap))
        return 0;
    r->cap = cap;
    return 1;
}

void socind__rank_add(socind_state *s, const socind_chunk *c) {
    struct socind__rank *r = s->rank;
    const socind_state_spec *sp = &s->sp;
    for (size_t i = 0; i < c->n; i++) {
        const size_t k = r->n + i;
        const int64_t num = c->first_row + (int64_t)i;
        r->y[k] = c->y[i];
        r->w[k] = c->weight[i];
        r->fpc[k] = sp->has_fpc ? c->fpc[i] : NAN;
        r->h[k] = sp->has_strata ? c->strata[i] : 0;
        r->p[k] = sp->has_psu ? c->psu[i] : num;
        r->row[k] = num;
        r->g[k] = sp->n_groups > 0 ? c->group[i] : 0;
    }
    r->n += c->n;
}

void socind__rank_merge(socind_state *into, const socind_state *from) {
    struct socind__rank *r = into->rank;
    const struct socind__rank *f = from->rank;
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

/* ---- finishing ---- */

/* A row's sort key: its number, then every other field (bit patterns). */
typedef struct {
    int64_t row, h, p;
    uint64_t y, w, f;
    int32_t g, i;
} rowkey;

static uint64_t bits(double x) {
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static int cmp_rowkey(const void *a, const void *b) {
    const rowkey *x = a, *y = b;
#define CMP(f)                                                                                     \
    if (x->f != y->f) return x->f < y->f ? -1 : 1
    CMP(row);
    CMP(h);
    CMP(p);
    CMP(g);
    CMP(y);
    CMP(w);
    CMP(f);
#undef CMP
    return 0;
}

/* A failure of the in-memory call naming position k of the ordered rows
 * names the row by its number instead. */
static int32_t renumber(int32_t st, const rowkey *key, size_t n) {
    int64_t at = socind_last_error_row();
    if (at < 0 || (size_t)at >= n) return st;
    char msg[320];
    snprintf(msg, sizeof msg, "%s", socind_last_error_detail());
    return socind__fail_row(st, (size_t)key[at].row,
                            "%s (the row numbered %lld in the chunks; the index above counts the "
                            "state's rows in their order)",
                            msg, (long long)key[at].row);
}

int32_t socind__rank_finish(const socind_state *s, const socind_options *o, socind_estimate *out,
                            size_t count) {
    const struct socind__rank *r = s->rank;
    const socind_state_spec *sp = &s->sp;
    const size_t n = r->n;
    int32_t st = SOCIND_OK;
    rowkey *key = malloc((n ? n : 1) * sizeof *key);
    double *y = malloc((n ? n : 1) * sizeof *y), *w = malloc((n ? n : 1) * sizeof *w);
    double *fpc = sp->has_fpc ? malloc((n ? n : 1) * sizeof *fpc) : NULL;
    int64_t *h = malloc((n ? n : 1) * sizeof *h), *p = malloc((n ? n : 1) * sizeof *p);
    int32_t *g = malloc((n ? n : 1) * sizeof *g);
    socind_design *d = NULL;
    if (!key || !y || !w || (sp->has_fpc && !fpc) || !h || !p || !g)
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (!st) {
        for (size_t k = 0; k < n; k++) {
            rowkey *q = &key[k];
            q->row = r->row[k], q->h = r->h[k], q->p = r->p[k], q->g = r->g[k];
            q->y = bits(r->y[k]), q->w = bits(r->w[k]), q->f = bits(r->fpc[k]);
            q->i = (int32_t)k;
        }
        qsort(key, n, sizeof *key, cmp_rowkey);
        for (size_t k = 0; k < n; k++) {
            const size_t i = (size_t)key[k].i;
            y[k] = r->y[i], w[k] = r->w[i], h[k] = r->h[i], p[k] = r->p[i], g[k] = r->g[i];
            if (fpc) fpc[k] = r->fpc[i];
        }
        socind_design_options dopt;
        socind_design_options_init(&dopt);
        dopt.lonely_psu = sp->lonely_psu;
        dopt.nest = sp->nest;
        st = socind_design_new(n, w, sp->has_strata ? h : NULL, sp->has_psu ? p : NULL, fpc, &dopt,
                               &d);
        if (st) st = renumber(st, key, n);
    }
    if (!st) {
        socind_options oo = *o;
        oo.threads = 1;
        const int32_t *gr = sp->n_groups > 0 ? g : NULL;
        const int32_t ng = sp->n_groups > 0 ? sp->n_groups : 1;
        socind_poverty_line L;
        socind_poverty_line_init(&L);
        L.type = sp->line_type;
        L.inclusive = sp->inclusive;
        L.value = sp->line;
        if (sp->line_type == SOCIND_LINE_RELATIVE_QUANTILE) L.quantile = sp->p;
        switch (sp->estimator) {
        case SOCIND_STATE_QUANTILE:
            st = socind_quantile(d, y, sp->p, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_POVERTY_LINE:
            st = socind_poverty_line_estimate(d, y, &L, &oo, out);
            break;
        case SOCIND_STATE_GINI:
            st = socind_gini(d, y, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_SHARE_RATIO:
            st = socind_share_ratio(d, y, sp->p, sp->p2, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_LORENZ:
            st = socind_lorenz(d, y, sp->p, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_FGT:
            st = socind_fgt(d, y, &L, sp->alpha, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_POOR_COUNT:
            st = socind_poor_count(d, y, &L, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_POVERTY_GAP_TOTAL:
            st = socind_poverty_gap_total(d, y, &L, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_MEAN_SHORTFALL:
            st = socind_mean_shortfall(d, y, &L, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_WATTS:
            st = socind_watts(d, y, &L, sp->nonpositive, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_FGT_DECOMPOSITION:
            st = socind_fgt_decomposition(d, y, &L, sp->alpha, gr, ng, &oo, out);
            break;
        case SOCIND_STATE_WATTS_DECOMPOSITION:
            st = socind_watts_decomposition(d, y, &L, sp->nonpositive, gr, ng, &oo, out);
            break;
        default:
            st = socind__fail(SOCIND_ERR_ARG, "spec.estimator %d is not rank-based",
                              (int)sp->estimator);
            break;
        }
        if (st) st = renumber(st, key, n);
    }
    if (st)
        for (size_t j = 0; j < count; j++) socind__estimate_nan(&out[j], st);
    socind_design_free(d);
    free(key), free(y), free(w), free(fpc), free(h), free(p), free(g);
    return st;
}

/* ---- bytes ---- */

static void put_u32(unsigned char *b, uint32_t v) {
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
}
static void put_u64(unsigned char *b, uint64_t v) {
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
}
static void put_f64(unsigned char *b, double v) {
    put_u64(b, bits(v));
}
static uint32_t get_u32(const unsigned char *b) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)b[i] << (8 * i);
    return v;
}
static uint64_t get_u64(const unsigned char *b) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)b[i] << (8 * i);
    return v;
}
static double get_f64(const unsigned char *b) {
    uint64_t u = get_u64(b);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

size_t socind__rank_bytes(const socind_state *s) {
    if (!s->rank) return 0;
    return PART_FIXED_BYTES + s->rank->n * ROW_BYTES;
}

void socind__rank_write(const socind_state *s, unsigned char *b) {
    const struct socind__rank *r = s->rank;
    if (!r) return;
    put_f64(b, s->sp.p);
    put_f64(b + 8, s->sp.p2);
    put_u64(b + 16, r->n);
    unsigned char *q = b + PART_FIXED_BYTES;
    for (size_t k = 0; k < r->n; k++, q += ROW_BYTES) {
        put_f64(q, r->y[k]);
        put_f64(q + 8, r->w[k]);
        put_u64(q + 16, (uint64_t)r->h[k]);
        put_u64(q + 24, (uint64_t)r->p[k]);
        put_f64(q + 32, r->fpc[k]);
        put_u64(q + 40, (uint64_t)r->row[k]);
        put_u32(q + 48, (uint32_t)r->g[k]);
        put_u32(q + 52, 0);
    }
}

void socind__rank_params(const unsigned char *b, size_t len, double *p, double *p2) {
    *p = *p2 = NAN;
    if (len < 16) return;
    *p = get_f64(b);
    *p2 = get_f64(b + 8);
}

static int32_t bad(const char *what) {
    return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s", what);
}

int32_t socind__rank_read(socind_state *s, const unsigned char *b, size_t len) {
    if (len < PART_FIXED_BYTES) return bad("its rows are truncated");
    const uint64_t n = get_u64(b + 16);
    if (n > (len - PART_FIXED_BYTES) / ROW_BYTES || n * ROW_BYTES != len - PART_FIXED_BYTES)
        return bad("its length does not match its count of rows (truncated or extended)");
    if (!socind__rank_reserve(s, (size_t)n)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    const socind_state_spec *sp = &s->sp;
    struct socind__rank *r = s->rank;
    const unsigned char *q = b + PART_FIXED_BYTES;
    for (uint64_t k = 0; k < n; k++, q += ROW_BYTES) {
        const double y = get_f64(q), w = get_f64(q + 8), f = get_f64(q + 32);
        const int64_t h = (int64_t)get_u64(q + 16), p = (int64_t)get_u64(q + 24),
                      row = (int64_t)get_u64(q + 40);
        const int32_t g = (int32_t)get_u32(q + 48);
        const uint32_t pad = get_u32(q + 52);
        int ok = !isinf(y) && w >= 0.0 && !isinf(w) && pad == 0 && row >= 0 &&
                 row < ((int64_t)1 << 62) && (sp->has_strata || h == 0) &&
                 (sp->has_psu || p == row) && (sp->has_fpc ? (f > 0.0 && !isinf(f)) : isnan(f)) &&
                 (sp->n_groups > 0 ? (g >= -1 && g < sp->n_groups) : g == 0);
        if (ok) { /* its PSU is one of the state's, in the same stratum */
            size_t slot = socind__idmap_slot(&s->pmap, socind__state_pkey1(s, h), p);
            int32_t idx = s->pmap.val[slot];
            ok = idx >= 0 && s->p_stratum[idx] == h;
        }
        if (!ok) return bad("a row record breaks the format's rules");
        const size_t i = r->n;
        r->y[i] = y, r->w[i] = w, r->fpc[i] = f, r->h[i] = h, r->p[i] = p, r->row[i] = row;
        r->g[i] = g;
        r->n++;
    }
    return SOCIND_OK;
}
