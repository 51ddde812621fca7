/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_prevalence.c — the prevalence table as a partial state
 * (socind/state.h: SOCIND_STATE_PREVALENCE_WHO2006 / _WHO2007): per PSU its
 * stratum, id, fpc and flags, per (PSU, cell, domain) the table's sums; the
 * table finished through a one-row-per-PSU design restricted to the PSUs
 * with a kept child, as the in-memory table restricts the caller's design;
 * its bytes; and the in-memory table on threads through these states. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prevalence_internal.h"
#include "state_internal.h"

#define ACC SOCIND__PREV_ACC
/* PSU flags */
#define PF_POS 1u  /* a row of non-zero weight (the caller's design's df) */
#define PF_KEPT 2u /* a child the table keeps */
#define PF_KPOS 4u /* a kept child of non-zero weight */

struct socind__prev {
    int y07;
    int mom;        /* no PSU column: a "PSU" record per stratum, second moments */
    int32_t stride; /* doubles per cell: SOCIND__PREV_ACC sums, or with moments
                       SOCIND__PREV_ACC2 sums as pairs (hi, lo) (TwoSum): the
                       his, then the los (a stratum's cell gathers many rows) */
    int64_t m;      /* children kept */
    socind__idmap pmap;
    size_t np, pcap;
    int64_t *p_h, *p_id, *p_row;
    double *p_fpc;
    unsigned char *p_flag;
    int64_t *p_nall, *p_nkept, *p_nkpos; /* rows, kept children, of non-zero weight */
    socind__idmap cmap;                  /* (PSU index, code·(G + 1) + domain + 1) → cell */
    size_t nc, ccap;
    int32_t *c_psu, *c_code, *c_group;
    double *c_acc; /* ACC per cell */
};

int socind__prev_estimator(int32_t e) {
    return e == SOCIND_STATE_PREVALENCE_WHO2006 || e == SOCIND_STATE_PREVALENCE_WHO2007;
}

static int32_t ncode(int y07) {
    return y07 ? SOCIND__PREV_NCODE_2007 : SOCIND__PREV_NCODE_2006;
}

struct socind__prev *socind__prev_new(const socind_state_spec *sp) {
    struct socind__prev *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->y07 = sp->estimator == SOCIND_STATE_PREVALENCE_WHO2007;
    p->mom = !sp->has_psu;
    p->stride = p->mom ? 2 * SOCIND__PREV_ACC2 : ACC;
    if (!socind__idmap_init(&p->pmap, 16) || !socind__idmap_init(&p->cmap, 16)) {
        socind__prev_free(p);
        return NULL;
    }
    return p;
}

void socind__prev_free(struct socind__prev *p) {
    if (!p) return;
    socind__idmap_free(&p->pmap);
    socind__idmap_free(&p->cmap);
    free(p->p_h), free(p->p_id), free(p->p_row), free(p->p_fpc), free(p->p_flag);
    free(p->p_nall), free(p->p_nkept), free(p->p_nkpos);
    free(p->c_psu), free(p->c_code), free(p->c_group), free(p->c_acc);
    free(p);
}

static inline int64_t pkey1(const socind_state *s, int64_t h) {
    return socind__state_pkey1(s, h);
}
static inline int64_t ckey2(const socind_state *s, int32_t code, int32_t g) {
    return (int64_t)code * ((int64_t)s->sp.n_groups + 1) + g + 1;
}

static int push_psu(socind_state *s, int64_t h, int64_t id, int64_t row, double fpc, unsigned flag,
                    int32_t *index) {
    struct socind__prev *p = s->prev;
    if (p->np == p->pcap) {
        size_t cap = p->pcap ? 2 * p->pcap : 64;
        if (cap > (size_t)INT32_MAX) return 0;
        if (!socind__state_grow((void **)&p->p_h, sizeof *p->p_h, cap) ||
            !socind__state_grow((void **)&p->p_id, sizeof *p->p_id, cap) ||
            !socind__state_grow((void **)&p->p_row, sizeof *p->p_row, cap) ||
            !socind__state_grow((void **)&p->p_fpc, sizeof *p->p_fpc, cap) ||
            !socind__state_grow((void **)&p->p_flag, sizeof *p->p_flag, cap) ||
            !socind__state_grow((void **)&p->p_nall, sizeof *p->p_nall, cap) ||
            !socind__state_grow((void **)&p->p_nkept, sizeof *p->p_nkept, cap) ||
            !socind__state_grow((void **)&p->p_nkpos, sizeof *p->p_nkpos, cap))
            return 0;
        p->pcap = cap;
    }
    size_t i = p->np;
    size_t slot = socind__idmap_slot(&p->pmap, pkey1(s, h), id);
    if (!socind__idmap_add(&p->pmap, slot, pkey1(s, h), id, (int32_t)i)) return 0;
    p->p_h[i] = h, p->p_id[i] = id, p->p_row[i] = row, p->p_fpc[i] = fpc;
    p->p_flag[i] = (unsigned char)flag;
    p->p_nall[i] = p->p_nkept[i] = p->p_nkpos[i] = 0;
    p->np++;
    *index = (int32_t)i;
    return 1;
}

static int push_cell(socind_state *s, int32_t psu, int32_t code, int32_t g, int32_t *index) {
    struct socind__prev *p = s->prev;
    if (p->nc == p->ccap) {
        size_t cap = p->ccap ? 2 * p->ccap : 64;
        if (cap > (size_t)INT32_MAX) return 0;
        if (!socind__state_grow((void **)&p->c_psu, sizeof *p->c_psu, cap) ||
            !socind__state_grow((void **)&p->c_code, sizeof *p->c_code, cap) ||
            !socind__state_grow((void **)&p->c_group, sizeof *p->c_group, cap) ||
            !socind__state_grow((void **)&p->c_acc, (size_t)p->stride * sizeof *p->c_acc, cap))
            return 0;
        p->ccap = cap;
    }
    size_t i = p->nc;
    size_t slot = socind__idmap_slot(&p->cmap, psu, ckey2(s, code, g));
    if (!socind__idmap_add(&p->cmap, slot, psu, ckey2(s, code, g), (int32_t)i)) return 0;
    p->c_psu[i] = psu, p->c_code[i] = code, p->c_group[i] = g;
    memset(p->c_acc + i * (size_t)p->stride, 0, (size_t)p->stride * sizeof *p->c_acc);
    p->nc++;
    *index = (int32_t)i;
    return 1;
}

/* Forgets PSUs and cells from np / nc on (a failed add or merge). */
static int truncate_to(socind_state *s, size_t np, size_t nc) {
    struct socind__prev *p = s->prev;
    if (p->np == np && p->nc == nc) return 1;
    p->np = np, p->nc = nc;
    socind__idmap pm, cm;
    if (!socind__idmap_init(&pm, np) || !socind__idmap_init(&cm, nc)) {
        socind__idmap_free(&pm);
        return 0;
    }
    for (size_t i = 0; i < np; i++) {
        int64_t a = pkey1(s, p->p_h[i]);
        size_t slot = socind__idmap_slot(&pm, a, p->p_id[i]);
        pm.k1[slot] = a, pm.k2[slot] = p->p_id[i], pm.val[slot] = (int32_t)i, pm.count++;
    }
    for (size_t i = 0; i < nc; i++) {
        int64_t b = ckey2(s, p->c_code[i], p->c_group[i]);
        size_t slot = socind__idmap_slot(&cm, p->c_psu[i], b);
        cm.k1[slot] = p->c_psu[i], cm.k2[slot] = b, cm.val[slot] = (int32_t)i, cm.count++;
    }
    socind__idmap_free(&p->pmap);
    socind__idmap_free(&p->cmap);
    p->pmap = pm, p->cmap = cm;
    return 1;
}

/* ---- adding ---- */

static int32_t check_chunk(const socind_state *s, const socind_chunk *c, int y07, const void *in) {
    if (!c) return socind__fail(SOCIND_ERR_NULL, "chunk is NULL");
    int32_t st = socind__check_sized(c, sizeof *c, sizeof *c, "socind_chunk");
    if (st) return st;
    if (!s->prev)
        return socind__fail(SOCIND_ERR_ARG,
                            "the state's estimator (%d) is not a prevalence table: use "
                            "socind_state_add",
                            (int)s->sp.estimator);
    if (s->prev->y07 != y07)
        return socind__fail(
            SOCIND_ERR_ARG, "the state is the WHO %s table: use %s", s->prev->y07 ? "2007" : "2006",
            s->prev->y07 ? "socind_state_add_growth2007" : "socind_state_add_growth");
    if (!in) return socind__fail(SOCIND_ERR_NULL, "in is NULL");
    if (c->n == 0) return SOCIND_OK;
    if (!c->weight) return socind__fail(SOCIND_ERR_NULL, "chunk.weight is NULL");
    const socind_state_spec *sp = &s->sp;
    const struct {
        const void *p;
        int want;
        const char *name;
    } cols[6] = {{c->strata, sp->has_strata, "strata"},
                 {c->psu, sp->has_psu, "psu"},
                 {c->fpc, sp->has_fpc, "fpc"},
                 {c->group, sp->n_groups > 0, "group"},
                 {c->y, 0, "y"},
                 {c->y2, 0, "y2"}};
    for (int i = 0; i < 6; i++) {
        if (cols[i].want && !cols[i].p)
            return socind__fail(SOCIND_ERR_NULL, "chunk.%s is NULL and the spec needs it",
                                cols[i].name);
        if (!cols[i].want && cols[i].p)
            return socind__fail(SOCIND_ERR_ARG,
                                "chunk.%s is given and the table does not use it (the growth "
                                "columns are in `in`; set the spec's flag or leave it NULL)",
                                cols[i].name);
    }
    if (c->first_row < 0 || c->n > ((size_t)1 << 62) ||
        (uint64_t)c->first_row + c->n > ((uint64_t)1 << 62))
        return socind__fail(SOCIND_ERR_ARG,
                            "chunk.first_row (%lld) must be >= 0 and first_row + n at most 2^62",
                            (long long)c->first_row);
    return SOCIND_OK;
}

/* Checks the chunk's rows and finds or makes each row's PSU (pi) and each
 * kept child's cell (ci, −1 for a child the table leaves out). */
static int32_t resolve_loop(socind_state *s, const socind_chunk *c, const int32_t *codes,
                            int32_t *pi, int32_t *ci, int32_t *cache, int32_t *touched) {
    const socind_state_spec *sp = &s->sp;
    int64_t last_h = 0, last_p = 0;
    int32_t last_pi = -1, cache_psu = -1;
    size_t ntouched = 0;
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
        int32_t g = -1;
        if (sp->n_groups > 0) {
            g = c->group[i];
            if (g < -1 || g >= sp->n_groups)
                return socind__fail_row(SOCIND_ERR_GROUP, (size_t)r,
                                        "group[%lld] is %d; codes must be in [-1, %d)",
                                        (long long)r, (int)g, (int)sp->n_groups);
        }
        int64_t h = sp->has_strata ? c->strata[i] : 0;
        int64_t p = sp->has_psu ? c->psu[i] : 0; /* without: the stratum's record */
        if (last_pi < 0 || h != last_h || p != last_p) {
            size_t slot = socind__idmap_slot(&s->prev->pmap, pkey1(s, h), p);
            int32_t idx = s->prev->pmap.val[slot];
            if (idx < 0) {
                if (!push_psu(s, h, p, r, f, 0, &idx))
                    return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            } else if (s->prev->p_h[idx] != h) {
                return socind__fail_row(SOCIND_ERR_NESTING, (size_t)r,
                                        "PSU %lld (row %lld) is in strata %lld and %lld; set nest "
                                        "= 1 if PSU ids are local to strata",
                                        (long long)p, (long long)r, (long long)s->prev->p_h[idx],
                                        (long long)h);
            }
            last_h = h, last_p = p, last_pi = idx;
        }
        if (sp->has_fpc && !(s->prev->p_fpc[last_pi] == f))
            return socind__fail_row(SOCIND_ERR_FPC, (size_t)r,
                                    "fpc[%lld] is %g and %g elsewhere in its PSU; fpc must be "
                                    "constant within a stratum",
                                    (long long)r, f, s->prev->p_fpc[last_pi]);
        pi[i] = last_pi;
        int32_t code = codes[i];
        ci[i] = -1;
        if (code < 0) continue;
        int64_t key = ckey2(s, code, g);
        if (cache) { /* the current PSU's cells by key (rows of a PSU come together) */
            if (cache_psu != last_pi) {
                for (size_t t = 0; t < ntouched; t++) cache[touched[t]] = -1;
                ntouched = 0;
                cache_psu = last_pi;
            }
            if (cache[key] >= 0) {
                ci[i] = cache[key];
                continue;
            }
        }
        size_t slot = socind__idmap_slot(&s->prev->cmap, last_pi, key);
        int32_t idx = s->prev->cmap.val[slot];
        if (idx < 0 && !push_cell(s, last_pi, code, g, &idx))
            return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        ci[i] = idx;
        if (cache) cache[key] = idx, touched[ntouched++] = (int32_t)key;
    }
    return SOCIND_OK;
}

/* resolve_loop with a cache of the current PSU's cells (when the keys are
 * few: up to 2^16). */
static int32_t resolve_rows(socind_state *s, const socind_chunk *c, const int32_t *codes,
                            int32_t *pi, int32_t *ci) {
    const int64_t K = (int64_t)ncode(s->prev->y07) * ((int64_t)s->sp.n_groups + 1);
    int32_t *cache = NULL, *touched = NULL;
    if (K <= 65536) {
        cache = malloc((size_t)K * sizeof *cache);
        touched = malloc((size_t)K * sizeof *touched);
        if (!cache || !touched) {
            free(cache), free(touched);
            cache = touched = NULL;
        } else {
            for (int64_t k = 0; k < K; k++) cache[k] = -1;
        }
    }
    int32_t st = resolve_loop(s, c, codes, pi, ci, cache, touched);
    free(cache), free(touched);
    return st;
}

/* Children per block of z-scores while adding. */
#define BLOCK 16384

/* Adds a chunk: the growth arguments checked, every row's PSU and each kept
 * child's cell found or made (the step that can fail: it is undone), then
 * the z-scores and sums block by block (nothing left to fail). */
static int32_t add_rows(socind_state *s, const socind_chunk *c, const socind_growth_input *in06,
                        const socind_growth2007_input *in07) {
    struct socind__prev *p = s->prev;
    socind__prev_block *b = NULL;
    int32_t st = socind__prev_block_new(p->y07, c->n < BLOCK ? c->n : BLOCK, &b);
    if (!st) st = socind__prev_check_input(in06, in07); /* before any change */
    int32_t *pi = malloc(c->n * sizeof *pi), *ci = malloc(c->n * sizeof *ci);
    if (!st && (!pi || !ci)) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    if (st) {
        free(pi), free(ci);
        socind__prev_block_free(b);
        return st;
    }
    socind__prev_codes(in06, in07, c->n, ci);
    const size_t np0 = p->np, nc0 = p->nc;
    st = resolve_rows(s, c, ci, pi, ci);
    if (st) {
        if (!truncate_to(s, np0, nc0)) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    } else {
        for (size_t a = 0; !st && a < c->n; a += BLOCK) {
            size_t len = c->n - a < BLOCK ? c->n - a : BLOCK;
            st = socind__prev_block_fill(b, in06, in07, a, len);
            for (size_t k = 0; !st && k < len; k++) {
                const size_t i = a + k;
                const double w = c->weight[i];
                const int32_t q = pi[i];
                const int64_t r = c->first_row + (int64_t)i;
                unsigned fl = w != 0.0 ? PF_POS : 0u;
                p->p_nall[q]++;
                if (ci[i] >= 0) {
                    fl |= PF_KEPT | (w != 0.0 ? PF_KPOS : 0u);
                    p->m++;
                    p->p_nkept[q]++;
                    p->p_nkpos[q] += w != 0.0;
                    double *acc = p->c_acc + (size_t)ci[i] * (size_t)p->stride;
                    if (p->mom) {
                        double t[SOCIND__PREV_ACC2] = {0};
                        socind__prev_block_add(b, k, w, t);
                        socind__prev_block_add2(b, k, w, t + ACC);
                        for (int j = 0; j < SOCIND__PREV_ACC2; j++)
                            socind__dd_add(&acc[j], &acc[SOCIND__PREV_ACC2 + j], t[j]);
                    } else {
                        socind__prev_block_add(b, k, w, acc);
                    }
                }
                p->p_flag[q] |= (unsigned char)fl;
                if (r < p->p_row[q]) p->p_row[q] = r;
            }
        }
    }
    free(pi), free(ci);
    socind__prev_block_free(b);
    return st;
}

int32_t socind_state_add_growth(socind_state *s, const socind_chunk *c,
                                const socind_growth_input *in) {
    socind__clear_detail();
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    int32_t st = check_chunk(s, c, 0, in);
    if (st || c->n == 0) return st;
    if (!in->sex) return socind__fail(SOCIND_ERR_NULL, "in->sex is NULL");
    return add_rows(s, c, in, NULL);
}

int32_t socind_state_add_growth2007(socind_state *s, const socind_chunk *c,
                                    const socind_growth2007_input *in) {
    socind__clear_detail();
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    int32_t st = check_chunk(s, c, 1, in);
    if (st || c->n == 0) return st;
    if (!in->sex || !in->age_months)
        return socind__fail(SOCIND_ERR_NULL, "in->%s is NULL", !in->sex ? "sex" : "age_months");
    return add_rows(s, c, NULL, in);
}

/* ---- merging ---- */

/* The count slots of a cell's sums (nutrition.c's accumulators). */
static int is_count_slot(int k) {
    if (k >= 56) return k == 56 || k == 60;
    int j = k % 14;
    return j == 0 || j == 8 || j == 12 || j == 13;
}

/* Whether the children of a and b together stay within 2^53: every count
 * slot's total is at most the children kept (a child counts once in a
 * slot; the bytes' reader holds read states to it), so their sums, doubles,
 * stay exact integers (the reader refuses more). O(1): a merge does not
 * rescan the state it grows. 1, or 0. */
static int counts_fit(const struct socind__prev *a, const struct socind__prev *b) {
    return (double)a->m + (double)b->m <= 9007199254740992.0;
}

int32_t socind__prev_merge(socind_state *into, const socind_state *from) {
    struct socind__prev *a = into->prev;
    const struct socind__prev *b = from->prev;
    if (!counts_fit(a, b))
        return socind__fail(SOCIND_ERR_OVERFLOW,
                            "the merged states would count more than 2^53 children, beyond the "
                            "integers their sums hold exactly");
    const size_t np0 = a->np, nc0 = a->nc;
    int32_t *pmap = malloc((b->np ? b->np : 1) * sizeof *pmap);
    int32_t *cmap = malloc((b->nc ? b->nc : 1) * sizeof *cmap);
    int32_t st = pmap && cmap ? SOCIND_OK : socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < b->np; i++) {
        int64_t h = b->p_h[i], id = b->p_id[i];
        size_t slot = socind__idmap_slot(&a->pmap, pkey1(into, h), id);
        int32_t idx = a->pmap.val[slot];
        if (idx < 0) {
            if (!push_psu(into, h, id, b->p_row[i], b->p_fpc[i], 0, &idx))
                st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        } else if (a->p_h[idx] != h) {
            st = socind__fail_row(SOCIND_ERR_NESTING, (size_t)b->p_row[i],
                                  "PSU %lld is in strata %lld and %lld; set nest = 1 if PSU ids "
                                  "are local to strata",
                                  (long long)id, (long long)a->p_h[idx], (long long)h);
        } else if (into->sp.has_fpc && !(a->p_fpc[idx] == b->p_fpc[i])) {
            st = socind__fail_row(SOCIND_ERR_FPC, (size_t)b->p_row[i],
                                  "PSU %lld has fpc %g and %g; fpc must be constant within a "
                                  "stratum",
                                  (long long)id, a->p_fpc[idx], b->p_fpc[i]);
        }
        if (pmap) pmap[i] = idx;
    }
    for (size_t i = 0; !st && i < b->nc; i++) {
        int32_t q = pmap[b->c_psu[i]];
        size_t slot = socind__idmap_slot(&a->cmap, q, ckey2(into, b->c_code[i], b->c_group[i]));
        int32_t idx = a->cmap.val[slot];
        if (idx < 0 && !push_cell(into, q, b->c_code[i], b->c_group[i], &idx))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        cmap[i] = idx;
    }
    if (st) {
        if (!truncate_to(into, np0, nc0)) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    } else {
        for (size_t i = 0; i < b->np; i++) {
            int32_t q = pmap[i];
            a->p_flag[q] |= b->p_flag[i];
            a->p_nall[q] = socind__count_add(a->p_nall[q], b->p_nall[i]);
            a->p_nkept[q] = socind__count_add(a->p_nkept[q], b->p_nkept[i]);
            a->p_nkpos[q] = socind__count_add(a->p_nkpos[q], b->p_nkpos[i]);
            if (b->p_row[i] < a->p_row[q]) a->p_row[q] = b->p_row[i];
        }
        for (size_t i = 0; i < b->nc; i++) {
            double *x = a->c_acc + (size_t)cmap[i] * (size_t)a->stride;
            const double *y = b->c_acc + i * (size_t)a->stride;
            if (a->mom) {
                for (int k = 0; k < SOCIND__PREV_ACC2; k++) {
                    socind__dd_add(&x[k], &x[SOCIND__PREV_ACC2 + k], y[k]);
                    x[SOCIND__PREV_ACC2 + k] += y[SOCIND__PREV_ACC2 + k];
                }
            } else {
                for (int k = 0; k < a->stride; k++) x[k] += y[k];
            }
        }
        a->m += b->m;
    }
    free(pmap), free(cmap);
    return st;
}

/* ---- finishing ---- */

void socind__prev_info(const socind_state *s, size_t *count, size_t *npsu, size_t *ncells) {
    const struct socind__prev *p = s->prev;
    size_t groups = p->y07 ? 1 + 2 + 15 + 3 + 6 : 1 + 6 + 2 + 12;
    size_t per = p->y07 ? 3 * 7 : 4 * 7 + 2;
    if (count) *count = (groups + (size_t)(s->sp.n_groups > 0 ? s->sp.n_groups : 0)) * per;
    if (npsu) *npsu = p->np;
    if (ncells) *ncells = p->nc;
}

typedef struct {
    int64_t k1, k2;
    int32_t i;
} key3;
static int cmp_key3(const void *x, const void *y) {
    const key3 *a = x, *b = y;
    if (a->k1 != b->k1) return a->k1 < b->k1 ? -1 : 1;
    if (a->k2 != b->k2) return a->k2 < b->k2 ? -1 : 1;
    return 0;
}

/* Renames a design failure that names a pseudo-row (PSU porder[row]) by
 * that PSU's first row. */
static int32_t rename_row(const struct socind__prev *p, const int32_t *porder, size_t nrows,
                          const int32_t *rows, int32_t st) {
    int64_t row = socind_last_error_row();
    if (row < 0 || (size_t)row >= nrows) return st;
    int32_t i = porder[rows ? rows[row] : row];
    char msg[256];
    snprintf(msg, sizeof msg, "%s", socind_last_error_detail());
    char *at = strstr(msg, "row ");
    if (at) *at = '\0';
    socind__trim_end(msg);
    return socind__fail_row(st, (size_t)p->p_row[i],
                            "%s (stratum %lld, PSU %lld, first seen at row %lld)", msg,
                            (long long)p->p_h[i], (long long)p->p_id[i], (long long)p->p_row[i]);
}

/* The table of a state without a PSU column (every child its own PSU): per
 * stratum its rows, kept children and kept children of non-zero weight
 * give what socind_design_new and the restriction to the kept children
 * would (the full design's lonely strata under FAIL and its fpc; n_h, the
 * scales, the lonely strata and df over the kept children), held in a
 * design with one "PSU" per kept stratum; the cells' moments give each
 * stratum's sums of the children's linearized values and of their
 * squares. */
static int32_t finish_moments(const socind_state *s, const socind_options *o, int has_strata,
                              socind_prevalence_table **out) {
    const struct socind__prev *p = s->prev;
    const size_t np = p->np;
    key3 *k = malloc(np * sizeof *k);
    int32_t *rank = malloc(np * sizeof *rank), *cpsu = malloc((p->nc ? p->nc : 1) * sizeof *cpsu);
    double *f = malloc(np * sizeof *f), *w = malloc(np * sizeof *w);
    int64_t *ids = malloc(np * sizeof *ids);
    socind_design *d = NULL;
    int32_t st = SOCIND_OK;
    if (!k || !rank || !cpsu || !f || !w || !ids)
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    size_t hk = 0;
    int64_t npos = 0, hpos = 0;
    if (!st) {
        for (size_t i = 0; i < np; i++) k[i].k1 = p->p_h[i], k[i].k2 = 0, k[i].i = (int32_t)i;
        qsort(k, np, sizeof *k, cmp_key3);
        int all_le1 = 1;
        for (size_t i = 0; i < np; i++) all_le1 &= !(p->p_fpc[i] > 1.0);
        for (size_t r = 0; !st && r < np; r++) {
            const int32_t i = k[r].i;
            if (s->sp.lonely_psu == SOCIND_LONELY_FAIL && p->p_nall[i] == 1)
                st = socind__fail_row(SOCIND_ERR_LONELY_PSU, (size_t)p->p_row[i],
                                      "stratum %lld has only one PSU (row %lld); choose a "
                                      "lonely-PSU policy (remove, adjust, average, certainty)",
                                      (long long)p->p_h[i], (long long)p->p_row[i]);
            f[i] = 0.0;
            if (!st && s->sp.has_fpc) {
                if (all_le1)
                    f[i] = p->p_fpc[i];
                else if (p->p_fpc[i] < (double)p->p_nall[i])
                    st = socind__fail(SOCIND_ERR_FPC,
                                      "stratum %lld: population PSU count %g is below the %lld "
                                      "sampled PSUs",
                                      (long long)p->p_h[i], p->p_fpc[i], (long long)p->p_nall[i]);
                else
                    f[i] = (double)p->p_nall[i] / p->p_fpc[i];
            }
            rank[i] = -1;
            if (!st && p->p_nkept[i] > 0) {
                if (s->sp.lonely_psu == SOCIND_LONELY_FAIL && p->p_nkept[i] == 1)
                    st = socind__fail_row(SOCIND_ERR_LONELY_PSU, (size_t)p->p_row[i],
                                          "stratum %lld keeps one child after the age filter "
                                          "(its first row %lld); choose a lonely-PSU policy",
                                          (long long)p->p_h[i], (long long)p->p_row[i]);
                rank[i] = (int32_t)hk;
                ids[hk] = (int64_t)hk, w[hk] = 1.0;
                hk++;
                npos += p->p_nkpos[i];
                hpos += p->p_nkpos[i] > 0;
            }
        }
        if (!st && npos == 0)
            st = socind__fail(SOCIND_ERR_ZERO_WEIGHTS, "all %lld weights of the kept rows are zero",
                              (long long)p->m);
    }
    if (!st) {
        socind_design_options dop;
        socind_design_options_init(&dop);
        dop.lonely_psu = SOCIND_LONELY_REMOVE;
        st = socind_design_new(hk, w, ids, ids, NULL, &dop, &d);
    }
    socind__prev_moments mo = {0, 0.0};
    if (!st) {
        socind__ksum ls = {0, 0};
        for (size_t i = 0; i < np; i++) {
            if (rank[i] < 0) continue;
            const size_t h = (size_t)rank[i];
            const double nh = (double)p->p_nkept[i];
            d->stratum_npsu[h] = (int32_t)p->p_nkept[i];
            d->stratum_f[h] = f[i];
            d->stratum_id[h] = p->p_h[i];
            d->stratum_scale[h] = nh >= 2 ? (1.0 - f[i]) * nh / (nh - 1.0) : 1.0 - f[i];
            if (nh < 2) mo.nlonely++, socind__kadd(&ls, d->stratum_scale[h]);
        }
        mo.lonely_scale = socind__kval(&ls);
        d->lonely_psu = s->sp.lonely_psu;
        d->df = (double)npos - (double)hpos;
        d->has_psu = 0, d->has_strata = has_strata;
        for (size_t i = 0; i < p->nc; i++) cpsu[i] = rank[p->c_psu[i]];
        /* each sum's pair folded */
        const size_t A2 = SOCIND__PREV_ACC2;
        double *folded = malloc((p->nc ? p->nc : 1) * A2 * sizeof *folded);
        if (!folded) st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        for (size_t i = 0; !st && i < p->nc; i++)
            for (size_t j = 0; j < A2; j++)
                folded[i * A2 + j] = p->c_acc[i * 2 * A2 + j] + p->c_acc[i * 2 * A2 + A2 + j];
        socind__prev_cells cells = {p->nc,  cpsu,           p->c_code,        p->c_group,
                                    folded, s->sp.n_groups, SOCIND__PREV_ACC2};
        if (!st) st = socind__prev_table(p->y07, d, (size_t)p->m, has_strata, &cells, &mo, o, out);
        free(folded);
    }
    socind_design_free(d);
    free(k), free(rank), free(cpsu), free(f), free(w), free(ids);
    return st;
}

/* The table of a state: the design over every PSU (one row each, weight 1
 * where a kept child has a non-zero weight), restricted to the PSUs with a
 * kept child, then the table from the cells. has_psu / has_strata: the
 * design's flags (anthro's survey backend or its closed formulas). */
static int32_t finish(const socind_state *s, const socind_options *o, int has_psu, int has_strata,
                      socind_prevalence_table **out) {
    const struct socind__prev *p = s->prev;
    const size_t np = p->np;
    if (np == 0) return socind__fail(SOCIND_ERR_EMPTY, "no row was added to the state");
    if (p->m == 0)
        return socind__fail(SOCIND_ERR_EMPTY, "%s",
                            p->y07 ? "no child aged 60 to 228 months"
                                   : "no child aged 1826 days or less");
    if (p->mom) return finish_moments(s, o, has_strata, out);
    key3 *k = malloc(np * sizeof *k);
    int32_t *porder = malloc(np * sizeof *porder), *rows = malloc(np * sizeof *rows);
    int32_t *rank = malloc(np * sizeof *rank), *cpsu = malloc((p->nc ? p->nc : 1) * sizeof *cpsu);
    double *w = malloc(np * sizeof *w), *fpc = s->sp.has_fpc ? malloc(np * sizeof *fpc) : NULL;
    int64_t *h = malloc(np * sizeof *h), *id = malloc(np * sizeof *id);
    socind_design *d = NULL, *dk = NULL;
    int32_t st = SOCIND_OK;
    if (!k || !porder || !rows || !rank || !cpsu || !w || !h || !id || (s->sp.has_fpc && !fpc))
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    size_t mk = 0;
    if (!st) {
        for (size_t i = 0; i < np; i++)
            k[i].k1 = p->p_h[i], k[i].k2 = p->p_id[i], k[i].i = (int32_t)i;
        qsort(k, np, sizeof *k, cmp_key3);
        for (size_t r = 0; r < np; r++) {
            int32_t i = porder[r] = k[r].i;
            w[r] = (p->p_flag[i] & PF_KPOS) ? 1.0 : 0.0;
            h[r] = p->p_h[i], id[r] = p->p_id[i];
            if (fpc) fpc[r] = p->p_fpc[i];
            if (p->p_flag[i] & PF_KEPT) rows[mk++] = (int32_t)r;
        }
        socind_design_options dop;
        socind_design_options_init(&dop);
        dop.lonely_psu = s->sp.lonely_psu;
        dop.nest = 1;
        st = socind_design_new(np, w, h, id, fpc, &dop, &d);
        if (st) st = rename_row(p, porder, np, NULL, st);
    }
    if (!st) {
        d->has_psu = has_psu, d->has_strata = has_strata;
        if (mk < np) {
            st = socind__design_subset(d, rows, mk, &dk);
            if (st) st = rename_row(p, porder, np, NULL, st);
        }
    }
    if (!st) {
        const socind_design *dd = dk ? dk : d;
        for (size_t i = 0; i < np; i++) rank[i] = -1;
        for (size_t j = 0; j < mk; j++)
            rank[porder[rows[j]]] = dd->row_psu[dk ? j : (size_t)rows[j]];
        for (size_t i = 0; i < p->nc; i++) cpsu[i] = rank[p->c_psu[i]];
        socind__prev_cells cells = {p->nc,    cpsu,           p->c_code, p->c_group,
                                    p->c_acc, s->sp.n_groups, ACC};
        st = socind__prev_table(p->y07, dd, (size_t)p->m, has_psu || has_strata, &cells, NULL, o,
                                out);
    }
    socind_design_free(d);
    socind_design_free(dk);
    free(k), free(porder), free(rows), free(rank), free(cpsu), free(w), free(fpc), free(h),
        free(id);
    return st;
}

int32_t socind_state_finish_table(const socind_state *s, const socind_options *opts,
                                  socind_prevalence_table **out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    *out = NULL;
    if (!s) return socind__fail(SOCIND_ERR_NULL, "state is NULL");
    if (!s->prev)
        return socind__fail(SOCIND_ERR_ARG,
                            "the state's estimator (%d) is not a prevalence table: use "
                            "socind_state_finish",
                            (int)s->sp.estimator);
    socind_options o;
    int32_t st = socind__resolve_options(opts, &o);
    if (st) return st;
    return finish(s, &o, s->sp.has_psu, s->sp.has_strata, out);
}

/* ---- threads ---- */

/* Rows per chunk a thread adds (bounds its work arrays). */
#define THREAD_CHUNK 32768

typedef struct {
    const socind_design *d;
    const socind_growth_input *in06;
    const socind_growth2007_input *in07;
    const int32_t *group;
    socind_state_spec sp;
    int nt;
    int has_fpc;
    socind_state *st[SOCIND_MAX_THREADS];
    int32_t status[SOCIND_MAX_THREADS];
    int64_t row[SOCIND_MAX_THREADS];
    char detail[SOCIND_MAX_THREADS][160];
} tjob;

static void thread_part(void *arg, int32_t t) {
    tjob *j = arg;
    const socind_design *d = j->d;
    const size_t n = d->n, a = socind__part_start(n, t, j->nt),
                 b = socind__part_start(n, t + 1, j->nt);
    int64_t *h = malloc(THREAD_CHUNK * sizeof *h);
    int64_t *p = d->has_psu ? malloc(THREAD_CHUNK * sizeof *p) : NULL;
    double *f = j->has_fpc ? malloc(THREAD_CHUNK * sizeof *f) : NULL;
    int32_t st = socind_state_new(&j->sp, &j->st[t]);
    if (!st && (!h || (d->has_psu && !p) || (j->has_fpc && !f)))
        st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    socind_growth_input s06;
    socind_growth2007_input s07;
    for (size_t c0 = a; !st && c0 < b; c0 += THREAD_CHUNK) {
        size_t len = b - c0 < THREAD_CHUNK ? b - c0 : THREAD_CHUNK;
        for (size_t i = 0; i < len; i++) {
            int32_t q = d->row_psu[c0 + i], hh = d->psu_stratum[q];
            if (p) p[i] = q;
            h[i] = hh;
            if (f) f[i] = d->stratum_f[hh];
        }
        socind_chunk c;
        socind_chunk_init(&c);
        c.n = len, c.first_row = (int64_t)c0, c.weight = d->w + c0, c.strata = h, c.psu = p;
        c.fpc = f, c.group = j->group ? j->group + c0 : NULL;
        /* the inputs moved to the chunk's first row */
        if (j->in06) {
            memset(&s06, 0, sizeof s06);
            memcpy(&s06, j->in06, j->in06->size < sizeof s06 ? j->in06->size : sizeof s06);
            s06.size = j->in06->size < sizeof s06 ? j->in06->size : sizeof s06;
#define SHIFT(x)                                                                                   \
    if (s06.x) s06.x += c0
            SHIFT(sex);
            SHIFT(age);
            SHIFT(weight);
            SHIFT(lenhei);
            SHIFT(measure);
            SHIFT(oedema);
            SHIFT(headc);
            SHIFT(armc);
            SHIFT(triskin);
            SHIFT(subskin);
#undef SHIFT
            st = add_rows(j->st[t], &c, &s06, NULL);
        } else {
            memset(&s07, 0, sizeof s07);
            memcpy(&s07, j->in07, j->in07->size < sizeof s07 ? j->in07->size : sizeof s07);
            s07.size = j->in07->size < sizeof s07 ? j->in07->size : sizeof s07;
            s07.sex += c0, s07.age_months += c0;
            if (s07.height_cm) s07.height_cm += c0;
            if (s07.weight_kg) s07.weight_kg += c0;
            if (s07.oedema) s07.oedema += c0;
            st = add_rows(j->st[t], &c, NULL, &s07);
        }
    }
    j->status[t] = st;
    if (st) {
        j->row[t] = socind_last_error_row();
        snprintf(j->detail[t], sizeof j->detail[t], "%s", socind_last_error_detail());
    }
    free(h), free(p), free(f);
}

int32_t socind__prev_threads(const socind_design *d, const socind_growth_input *in06,
                             const socind_growth2007_input *in07, const int32_t *group,
                             int32_t n_groups, const socind_options *o, int nt,
                             socind_prevalence_table **out) {
    *out = NULL;
    /* the growth columns checked on the caller's thread */
    int32_t st0 = socind__prev_check_input(in06, in07);
    if (st0) return st0;
    tjob *j = calloc(1, sizeof *j);
    if (!j) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    j->d = d, j->in06 = in06, j->in07 = in07, j->group = group, j->nt = nt;
    socind_state_spec_init(&j->sp);
    j->sp.estimator = in06 ? SOCIND_STATE_PREVALENCE_WHO2006 : SOCIND_STATE_PREVALENCE_WHO2007;
    j->sp.n_groups = group ? n_groups : 0;
    /* strata and PSUs by the design's dense indices; without a PSU column
       every child is its own PSU (the states then keep moments per stratum) */
    j->sp.has_strata = j->sp.nest = 1;
    j->sp.has_psu = d->has_psu != 0;
    j->sp.lonely_psu = d->lonely_psu;
    for (size_t hh = 0; hh < d->nstrata; hh++) j->has_fpc |= d->stratum_f[hh] > 0.0;
    j->sp.has_fpc = j->has_fpc;
    socind__parallel(nt, thread_part, j);
    int32_t st = SOCIND_OK;
    for (int t = 0; t < nt && !st; t++)
        if (j->status[t]) {
            st = j->row[t] >= 0
                     ? socind__fail_row(j->status[t], (size_t)j->row[t], "%s", j->detail[t])
                     : socind__fail(j->status[t], "%s", j->detail[t]);
        }
    for (int t = 1; t < nt && !st; t++) st = socind__prev_merge(j->st[0], j->st[t]);
    if (!st) st = finish(j->st[0], o, d->has_psu, d->has_strata, out);
    for (int t = 0; t < nt; t++) socind_state_free(j->st[t]);
    free(j);
    return st;
}

/* ---- bytes (docs/state-format.md, "The prevalence table") ---- */

#define MAGIC "SOCINDST"
#define FORMAT_VERSION 2u
#define HEAD 104u
#define PSU_REC 40u
#define PSU_REC_MOM 64u /* without a PSU column: the stratum's three counts follow */
#define CELL_REC (16u + 8u * ACC)
#define CELL_REC_MOM (16u + 16u * SOCIND__PREV_ACC2)
#define TRAIL 4u

int32_t socind__prev_to_bytes(const socind_state *s, void *buf, size_t cap, size_t *len) {
    const struct socind__prev *p = s->prev;
    const size_t pr = p->mom ? PSU_REC_MOM : PSU_REC, cr = p->mom ? CELL_REC_MOM : CELL_REC;
    const size_t need = HEAD + p->np * pr + p->nc * cr + TRAIL;
    if (len) *len = need;
    if (!buf && cap == 0) return SOCIND_OK;
    if (!buf) return socind__fail(SOCIND_ERR_NULL, "buf is NULL and cap is %zu", cap);
    if (cap < need)
        return socind__fail(SOCIND_ERR_BUFFER, "the state takes %zu bytes; cap is %zu", need, cap);
    unsigned char *b = buf;
    memset(b, 0, HEAD);
    memcpy(b, MAGIC, 8);
    socind__put_u32(b + 8, FORMAT_VERSION);
    socind__put_u32(b + 12, 1u);
    int32_t v[10];
    socind__spec_ints(&s->sp, v);
    for (int i = 0; i < 10; i++) socind__put_u32(b + 16 + 4 * i, (uint32_t)v[i]);
    socind__put_f64(b + 56, s->sp.line);
    socind__put_f64(b + 64, s->sp.alpha);
    socind__put_u32(b + 72, (uint32_t)p->stride);
    socind__put_u32(b + 76, 1u);
    socind__put_u64(b + 80, p->np);
    socind__put_u64(b + 88, p->nc);
    socind__put_u64(b + 96, (uint64_t)p->m);
    unsigned char *q = b + HEAD;
    for (size_t i = 0; i < p->np; i++, q += pr) {
        socind__put_u64(q, (uint64_t)p->p_h[i]);
        socind__put_u64(q + 8, (uint64_t)p->p_id[i]);
        socind__put_u64(q + 16, (uint64_t)p->p_row[i]);
        socind__put_f64(q + 24, p->p_fpc[i]);
        memset(q + 32, 0, 8);
        q[32] = p->p_flag[i];
        if (p->mom) {
            socind__put_u64(q + 40, (uint64_t)p->p_nall[i]);
            socind__put_u64(q + 48, (uint64_t)p->p_nkept[i]);
            socind__put_u64(q + 56, (uint64_t)p->p_nkpos[i]);
        }
    }
    const size_t S = (size_t)p->stride;
    for (size_t i = 0; i < p->nc; i++, q += cr) {
        socind__put_u32(q, (uint32_t)p->c_psu[i]);
        socind__put_u32(q + 4, (uint32_t)p->c_code[i]);
        socind__put_u32(q + 8, (uint32_t)p->c_group[i]);
        socind__put_u32(q + 12, 0u);
        for (size_t k = 0; k < S; k++) socind__put_f64(q + 16 + 8 * k, p->c_acc[i * S + k]);
    }
    socind__put_u32(q, socind__crc32(0, b, (size_t)(q - b)));
    return SOCIND_OK;
}

static int32_t bad(const char *what) {
    return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: %s", what);
}

int32_t socind__prev_from_bytes(const unsigned char *b, size_t len, socind_state **out) {
    *out = NULL;
    if (len < 8 || memcmp(b, MAGIC, 8) != 0) return bad("the bytes do not start with SOCINDST");
    if (len < HEAD + TRAIL) return bad("truncated (shorter than the header)");
    if (socind__get_u32(b + 8) != FORMAT_VERSION) return bad("another format version");
    const uint64_t np = socind__get_u64(b + 80), nc = socind__get_u64(b + 88),
                   m = socind__get_u64(b + 96);
    const size_t body = len - HEAD - TRAIL;
    const int mom = socind__get_u32(b + 28) == 0; /* has_psu 0 (the spec is checked below) */
    const size_t pr = mom ? PSU_REC_MOM : PSU_REC, cr = mom ? CELL_REC_MOM : CELL_REC;
    if (np > body / pr || nc > (body - np * pr) / cr || np * pr + nc * cr != body)
        return bad("its length does not match its PSU and cell counts (truncated or extended)");
    if (np > (uint64_t)INT32_MAX || nc > (uint64_t)INT32_MAX) return bad("too many PSUs or cells");
    if (socind__get_u32(b + len - TRAIL) != socind__crc32(0, b, len - TRAIL))
        return bad("the checksum does not match (damaged bytes)");
    socind_state_spec in, sp;
    socind_state_spec_init(&in);
    int32_t v[10], w[10];
    for (int i = 0; i < 10; i++) v[i] = (int32_t)socind__get_u32(b + 16 + 4 * i);
    in.estimator = v[0], in.n_groups = v[1], in.has_strata = v[2], in.has_psu = v[3];
    in.has_fpc = v[4], in.lonely_psu = v[5], in.nest = v[6], in.nonpositive = v[7];
    in.line_type = v[8], in.inclusive = v[9];
    in.line = socind__get_f64(b + 56);
    in.alpha = socind__get_f64(b + 64);
    if (socind__state_spec_resolve(&in, &sp)) return bad("its spec is invalid");
    socind__spec_ints(&sp, w);
    unsigned char nan2[16]; /* line and alpha: the resolved spec's NaN, bit for bit */
    socind__put_f64(nan2, sp.line);
    socind__put_f64(nan2 + 8, sp.alpha);
    if (memcmp(v, w, sizeof v) != 0 || memcmp(b + 56, nan2, 16) != 0 ||
        !socind__prev_estimator(sp.estimator))
        return bad("its spec holds values a state does not");
    socind__clear_detail();
    if (socind__get_u32(b + 72) != (uint32_t)(mom ? 2 * SOCIND__PREV_ACC2 : ACC))
        return bad("its sums per cell do not match its estimator");
    if (socind__get_u32(b + 12) != 1u || socind__get_u32(b + 76) != 1u)
        return bad("its pass does not match its estimator");
    if (m > ((uint64_t)1 << 62) || m < nc) return bad("its count of children is impossible");
    socind_state *s = socind__state_alloc(&sp);
    if (!s) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    struct socind__prev *p = s->prev;
    p->m = (int64_t)m;
    int32_t st = SOCIND_OK;
    const unsigned char *q = b + HEAD;
    uint64_t kept_total = 0;
    for (uint64_t i = 0; !st && i < np; i++, q += pr) {
        int64_t h = (int64_t)socind__get_u64(q), id = (int64_t)socind__get_u64(q + 8),
                row = (int64_t)socind__get_u64(q + 16);
        double f = socind__get_f64(q + 24);
        unsigned fl = q[32];
        int pad = 0;
        for (int k = 33; k < 40; k++) pad |= q[k];
        uint64_t na = mom ? socind__get_u64(q + 40) : 0, nk = mom ? socind__get_u64(q + 48) : 0,
                 nkp = mom ? socind__get_u64(q + 56) : 0;
        int counts_ok = !mom || (id == 0 && na >= 1 && na <= ((uint64_t)1 << 62) && nk <= na &&
                                 nkp <= nk && !(fl & PF_KEPT) == (nk == 0) &&
                                 !(fl & PF_KPOS) == (nkp == 0) && (nkp == 0 || (fl & PF_POS)));
        kept_total += nk;
        if (fl > 7u || ((fl & PF_KPOS) && !((fl & PF_KEPT) && (fl & PF_POS))) || pad || row < 0 ||
            (!sp.has_strata && h != 0) || !counts_ok ||
            (sp.has_fpc ? !(f > 0.0) || isinf(f) : !isnan(f))) {
            st = bad("a PSU record breaks the format's rules");
            break;
        }
        size_t slot = socind__idmap_slot(&p->pmap, pkey1(s, h), id);
        int32_t idx;
        if (p->pmap.val[slot] >= 0)
            st = bad("a PSU occurs twice (or in two strata)");
        else if (!push_psu(s, h, id, row, f, fl, &idx))
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        else
            p->p_nall[idx] = (int64_t)na, p->p_nkept[idx] = (int64_t)nk,
            p->p_nkpos[idx] = (int64_t)nkp;
    }
    if (!st && mom && kept_total != m) st = bad("its count of children is not its strata's");
    const int32_t NC = ncode(p->y07);
    double total[ACC] = {0};
    for (uint64_t i = 0; !st && i < nc; i++, q += cr) {
        int32_t ps = (int32_t)socind__get_u32(q), code = (int32_t)socind__get_u32(q + 4),
                g = (int32_t)socind__get_u32(q + 8);
        int ok = ps >= 0 && (uint64_t)ps < np && (p->p_flag[ps] & PF_KEPT) && code >= 0 &&
                 code < NC && g >= -1 && g < sp.n_groups && socind__get_u32(q + 12) == 0;
        if (ok && p->y07) ok = code / 9 < 15; /* Age Group 1 in 0 .. 14 */
        for (int k = 0; ok && k < ACC; k++) {
            double x = socind__get_f64(q + 16 + 8 * k);
            if (!is_count_slot(k)) continue;
            total[k] += x;
            ok = x >= 0.0 && x == floor(x) && total[k] <= 9007199254740992.0 &&
                 total[k] <= (double)m &&
                 (!mom || socind__get_f64(q + 16 + 8 * (SOCIND__PREV_ACC2 + (size_t)k)) == 0.0);
        }
        if (!ok) {
            st = bad("a cell record breaks the format's rules");
            break;
        }
        size_t slot = socind__idmap_slot(&p->cmap, ps, ckey2(s, code, g));
        int32_t idx;
        if (p->cmap.val[slot] >= 0) {
            st = bad("a cell occurs twice");
        } else if (!push_cell(s, ps, code, g, &idx)) {
            st = socind__fail(SOCIND_ERR_NOMEM, "out of memory");
        } else {
            const size_t S = (size_t)p->stride;
            for (size_t k = 0; k < S; k++)
                p->c_acc[(size_t)idx * S + k] = socind__get_f64(q + 16 + 8 * k);
        }
    }
    if (st) {
        socind_state_free(s);
        return st;
    }
    *out = s;
    return SOCIND_OK;
}
