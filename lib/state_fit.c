/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/state_fit.c — SOCIND_STATE_PROPORTION_LIKELIHOOD (socind/state.h): a
 * proportion's state that also makes R's glm fit, around which
 * socind_proportion profiles its likelihood interval, in two passes.
 *
 * The fit's prior weights are w/c with c the mean weight over every row of
 * the domain's design (svyglm's rescale), and its first step sums
 * nonlinear functions of them (socind__glm_first_terms): c is needed
 * before that step's first row. Pass 1 counts each domain's rows and adds
 * their weights (any value, any weight: the rows of R's subset design);
 * next_pass makes c per domain; pass 2 adds the first step's five sums
 * per domain (pairs of doubles) and counts the rows with a value. Both
 * passes keep the proportion's own cells (Σw, Σw·y), so a state of either
 * pass merges as a proportion's does; finishing the second with
 * prop_ci LIKELIHOOD iterates the fit from those sums and takes its SE
 * from the cells' Σw·y − μ̂·Σw through the variance engine, as totals.c
 * does per PSU. */
#include <stdlib.h>

#include "state_internal.h"

/* pairs a domain: Σw over every row of the domain, then the first step's
 * sums (pass 2) */
#define FIT_PAIRS (1 + SOCIND__GLM_SUMS)
/* bytes a domain: rows, rows with a value, pass 1's rows, c, the pairs */
#define FIT_BYTES (32u + 16u * FIT_PAIRS)
#define CANONICAL_NAN_BITS 0x7FF8000000000000ull

struct socind__fit {
    int32_t G;
    int64_t *n_all; /* rows of the domain (any value, any weight) */
    int64_t *n_fit; /* pass 2: of them, rows with a value */
    int64_t *n_one; /* pass 2: the rows pass 1 counted (its merged state's); pass 1: 0 */
    double *c;      /* pass 2: the mean weight pass 1 found (NaN: none); pass 1: 0 */
    double *sum;    /* 2·FIT_PAIRS a domain: hi, lo of each */
    /* the domains whose entries may differ from an empty domain's (every
       count 0, every sum +0; c as above): listed once each in set[0 ..
       nset), in no order, and marked in seen (calloc'd as the tables), so
       that merging and growing read those domains and not all G, and the
       pages of the others are never written in pass 1 */
    int32_t *set;
    size_t nset, setcap;
    unsigned char *seen;
};

static int32_t fit_domains(const socind_state_spec *sp) {
    return sp->n_groups > 0 ? sp->n_groups : 1;
}

void socind__fit_free(struct socind__fit *f) {
    if (!f) return;
    free(f->n_all), free(f->n_fit), free(f->n_one), free(f->c), free(f->sum);
    free(f->set), free(f->seen);
    free(f);
}

/* Room in f's list for n more domains (so that the next n cannot fail):
 * 1, or 0 when out of memory (f unchanged but for capacity). */
static int fit_reserve(struct socind__fit *f, size_t n) {
    if (f->nset + n <= f->setcap) return 1;
    size_t cap = f->setcap ? f->setcap : 16;
    while (cap < f->nset + n) cap *= 2;
    if (cap > (size_t)f->G) cap = (size_t)f->G; /* (each domain listed once) */
    if (!socind__state_grow((void **)&f->set, sizeof *f->set, cap)) return 0;
    f->setcap = cap;
    return 1;
}
/* Lists domain g (room reserved). */
static void fit_see(struct socind__fit *f, int32_t g) {
    if (f->seen[g]) return;
    f->seen[g] = 1;
    f->set[f->nset++] = g;
}

/* Tables of G empty domains, calloc'd (nothing written a domain): 1, or 0
 * when out of memory (the caller frees what was made). */
static int fit_tables(struct socind__fit *f, size_t G) {
    f->n_all = calloc(G, sizeof *f->n_all), f->n_fit = calloc(G, sizeof *f->n_fit);
    f->n_one = calloc(G, sizeof *f->n_one), f->c = calloc(G, sizeof *f->c);
    f->sum = calloc(G, 2 * FIT_PAIRS * sizeof *f->sum);
    f->seen = calloc(G, 1);
    return f->n_all && f->n_fit && f->n_one && f->c && f->sum && f->seen;
}

/* Grows f's domains from f->G to G (new ones empty; pass 1): new tables
 * calloc'd, into which the listed domains are copied, so that the cost is
 * theirs and the new domains' pages are not written. 0 when out of memory
 * (f unchanged). */
static int fit_grow(struct socind__fit *f, int32_t G) {
    struct socind__fit n = {0};
    if (!fit_tables(&n, (size_t)G)) {
        free(n.n_all), free(n.n_fit), free(n.n_one), free(n.c), free(n.sum), free(n.seen);
        return 0;
    }
    for (size_t k = 0; k < f->nset; k++) {
        const size_t g = (size_t)f->set[k];
        n.n_all[g] = f->n_all[g], n.n_fit[g] = f->n_fit[g], n.n_one[g] = f->n_one[g];
        n.c[g] = f->c[g], n.seen[g] = 1;
        memcpy(n.sum + g * 2 * FIT_PAIRS, f->sum + g * 2 * FIT_PAIRS,
               2 * FIT_PAIRS * sizeof *n.sum);
    }
    free(f->n_all), free(f->n_fit), free(f->n_one), free(f->c), free(f->sum), free(f->seen);
    f->n_all = n.n_all, f->n_fit = n.n_fit, f->n_one = n.n_one, f->c = n.c, f->sum = n.sum;
    f->seen = n.seen, f->G = G;
    return 1;
}

int socind__fit_new(socind_state *s) {
    /* calloc'd, its domains empty: nothing written a domain, so that their
       pages stay the kernel's zero pages until a domain takes rows */
    struct socind__fit *f = s->fit = calloc(1, sizeof *s->fit);
    if (!f) return 0;
    const size_t G = (size_t)fit_domains(&s->sp);
    f->G = (int32_t)G;
    if (!fit_tables(f, G)) return 0;
    s->passes = 2;
    return 1;
}

int32_t socind__fit_set_groups(socind_state *s, int32_t n_groups) {
    if (s->pass > 1)
        return socind__fail(SOCIND_ERR_ARG,
                            "a proportion's likelihood state in its second pass keeps each "
                            "domain's mean weight: make it with all of them");
    if (!fit_grow(s->fit, n_groups)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    return SOCIND_OK;
}

int socind__fit_reserve(socind_state *s, size_t n) {
    return fit_reserve(s->fit, n);
}

void socind__fit_add(socind_state *s, const socind_chunk *c) {
    struct socind__fit *f = s->fit;
    const int grouped = s->sp.n_groups > 0;
    double t[SOCIND__GLM_SUMS];
    for (size_t i = 0; i < c->n; i++) {
        const int32_t g = grouped ? c->group[i] : 0;
        if (g < 0) continue;
        const double w = c->weight[i], y = c->y[i];
        double *sum = f->sum + (size_t)g * 2 * FIT_PAIRS;
        fit_see(f, g);
        f->n_all[g] = socind__count_add(f->n_all[g], 1);
        socind__dd_add(&sum[0], &sum[1], w);
        if (s->pass < 2 || isnan(y)) continue;
        f->n_fit[g] = socind__count_add(f->n_fit[g], 1);
        const double wp = w / f->c[g];
        if (!(wp > 0.0)) continue; /* glm.fit's good rows: weights > 0 (none where c is NaN) */
        socind__glm_first_terms(wp, y, t);
        for (int m = 0; m < SOCIND__GLM_SUMS; m++)
            socind__dd_add(&sum[2 + 2 * m], &sum[3 + 2 * m], t[m]);
    }
}

int32_t socind__fit_merge_check(const socind_state *into, const socind_state *from) {
    const size_t G = (size_t)into->fit->G;
    if (into->fit->G != from->fit->G ||
        (into->pass > 1 && (memcmp(into->fit->c, from->fit->c, G * sizeof(double)) != 0 ||
                            memcmp(into->fit->n_one, from->fit->n_one, G * sizeof(int64_t)) != 0)))
        return socind__fail(SOCIND_ERR_MISMATCH,
                            "the states' second passes come from different first passes (the "
                            "domains' rows or mean weights differ)");
    if (!fit_reserve(into->fit, from->fit->nset))
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    return SOCIND_OK;
}

int32_t socind__fit_check(const socind_state *s) {
    const struct socind__fit *f = s->fit;
    for (int32_t g = 0; s->pass > 1 && g < f->G; g++)
        if (f->n_all[g] != f->n_one[g])
            return socind__fail(SOCIND_ERR_MISMATCH,
                                "domain %d: the second pass added %lld rows, the first %lld (each "
                                "pass adds every chunk)",
                                (int)g, (long long)f->n_all[g], (long long)f->n_one[g]);
    return SOCIND_OK;
}

/* Domain g of b into a's. */
static void fit_merge_domain(struct socind__fit *a, const struct socind__fit *b, size_t g) {
    a->n_all[g] = socind__count_add(a->n_all[g], b->n_all[g]);
    a->n_fit[g] = socind__count_add(a->n_fit[g], b->n_fit[g]);
    socind__dd_merge(a->sum + g * 2 * FIT_PAIRS, b->sum + g * 2 * FIT_PAIRS, FIT_PAIRS);
}

void socind__fit_merge(socind_state *into, const socind_state *from) {
    struct socind__fit *a = into->fit;
    const struct socind__fit *b = from->fit;
    /* the domains listed in a or b, each once: an empty domain's entries
       (counts 0, sums +0) merged into another's leave it as it is, bit
       for bit, so that the others need not be read */
    const size_t n0 = a->nset;
    for (size_t k = 0; k < n0; k++) fit_merge_domain(a, b, (size_t)a->set[k]);
    for (size_t k = 0; k < b->nset; k++) {
        const int32_t g = b->set[k];
        if (a->seen[g]) continue;
        fit_see(a, g);
        fit_merge_domain(a, b, (size_t)g);
    }
}

int32_t socind__fit_next_pass(const socind_state *m, socind_state **next) {
    socind_state *n = socind__state_alloc(&m->sp);
    if (!n) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    n->pass = 2;
    const struct socind__fit *f = m->fit;
    /* every domain's mean weight (NaN: none) and rows: each listed */
    if (!fit_reserve(n->fit, (size_t)f->G)) {
        socind_state_free(n);
        return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    }
    for (int32_t g = 0; g < f->G; g++) {
        fit_see(n->fit, g);
        /* svyglm's rescale: mean(w) over the domain's rows (socind_proportion's) */
        const double *sum = f->sum + (size_t)g * 2 * FIT_PAIRS;
        const double c = f->n_all[g] > 0 ? (sum[0] + sum[1]) / (double)f->n_all[g] : NAN;
        n->fit->c[g] = c > 0.0 && isfinite(c) ? c : NAN;
        n->fit->n_one[g] = f->n_all[g];
    }
    *next = n;
    return SOCIND_OK;
}

int socind__fit_of(const socind_state *s, int32_t g, socind__glmfit *fit, double *mu,
                   double *sw_last) {
    const struct socind__fit *f = s->fit;
    if (isnan(f->c[g])) return -1;
    const double *sum = f->sum + (size_t)g * 2 * FIT_PAIRS;
    double sums[SOCIND__GLM_SUMS];
    for (int m = 0; m < SOCIND__GLM_SUMS; m++) sums[m] = sum[2 + 2 * m] + sum[3 + 2 * m];
    return socind__glm_iterate(sums, (double)f->n_fit[g], fit, mu, sw_last);
}

double socind__fit_na_factor(const socind_state *s, int32_t g, double N) {
    const struct socind__fit *f = s->fit;
    if (f->n_fit[g] == f->n_all[g]) return 1.0;
    return socind__na_dispersion_factor(N, (double)f->n_fit[g], f->c[g]);
}

/* ---- bytes (docs/state-format.md, "Fit part") ---- */

size_t socind__fit_bytes(const socind_state_spec *sp) {
    if (sp->estimator != SOCIND_STATE_PROPORTION_LIKELIHOOD) return 0;
    return FIT_BYTES * (size_t)fit_domains(sp);
}

static uint64_t f64_bits(double v) {
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return isnan(v) ? CANONICAL_NAN_BITS : u;
}

void socind__fit_write(const socind_state *s, unsigned char *q) {
    const struct socind__fit *f = s->fit;
    for (int32_t g = 0; f && g < f->G; g++, q += FIT_BYTES) {
        socind__put_u64(q, (uint64_t)f->n_all[g]);
        socind__put_u64(q + 8, (uint64_t)f->n_fit[g]);
        socind__put_u64(q + 16, (uint64_t)f->n_one[g]);
        socind__put_u64(q + 24, f64_bits(f->c[g]));
        const double *sum = f->sum + (size_t)g * 2 * FIT_PAIRS;
        for (size_t j = 0; j < 2 * FIT_PAIRS; j++) socind__put_f64(q + 32 + 8 * j, sum[j]);
    }
}

int32_t socind__fit_read(socind_state *s, const unsigned char *q, size_t len) {
    struct socind__fit *f = s->fit;
    if (len != FIT_BYTES * (size_t)f->G)
        return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: its length does not "
                                               "match its PSU and cell counts (truncated or "
                                               "extended)");
    for (int32_t g = 0; g < f->G; g++, q += FIT_BYTES) {
        const int64_t na = (int64_t)socind__get_u64(q), nf = (int64_t)socind__get_u64(q + 8),
                      no = (int64_t)socind__get_u64(q + 16);
        const uint64_t cb = socind__get_u64(q + 24);
        const double c = socind__get_f64(q + 24);
        double *sum = f->sum + (size_t)g * 2 * FIT_PAIRS;
        int ok = na >= 0 && nf >= 0 && nf <= na && no >= 0;
        /* the sums as they are (a sum that overflowed is carried, as the
           cells' are), Σw's hi not below 0 (weights are not) */
        for (size_t j = 0; j < 2 * FIT_PAIRS; j++) sum[j] = socind__get_f64(q + 32 + 8 * j);
        ok = ok && !(sum[0] < 0.0);
        if (s->pass == 1) { /* no mean weight yet, nothing of the fit */
            ok = ok && cb == 0 && nf == 0 && no == 0;
            for (size_t j = 2; ok && j < 2 * FIT_PAIRS; j++)
                ok = socind__get_u64(q + 32 + 8 * j) == 0;
        } else { /* the mean weight: > 0 and finite, or none (the one NaN; always
                    where pass 1 had no row) */
            ok = ok && (cb == CANONICAL_NAN_BITS || (c > 0.0 && isfinite(c))) &&
                 (no > 0 || cb == CANONICAL_NAN_BITS);
        }
        if (!ok)
            return socind__fail(SOCIND_ERR_FORMAT, "not a socind partial state: a proportion's "
                                                   "fit record breaks the format's rules");
        f->n_all[g] = na, f->n_fit[g] = nf, f->n_one[g] = no, f->c[g] = c;
        int empty = na == 0 && nf == 0 && no == 0 && cb == 0;
        for (size_t j = 0; empty && j < 2 * FIT_PAIRS; j++)
            empty = socind__get_u64(q + 32 + 8 * j) == 0;
        if (!empty) {
            if (!fit_reserve(f, 1)) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
            fit_see(f, g);
        }
    }
    return SOCIND_OK;
}
