/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/estimator.c — the frame every estimator by domain runs in (totals.c,
 * poverty.c, inequality.c), so that each checks its arguments in the same
 * order and leaves its outputs defined the same way (common.h):
 *
 *   1. out NULL: SOCIND_ERR_NULL, nothing written; else every output NaN
 *      with SOCIND_ERR_NULL                              (socind__frame_begin)
 *   2. the design and the columns: SOCIND_ERR_NULL naming the first NULL
 *   3. the estimator's own arguments (a line, α, θ, ε, p, a nonpositive
 *      policy): its own checks, SOCIND_ERR_ARG …
 *   4. the options, then the group codes (the row named) and the domains'
 *      rows                                            (socind__frame_domains)
 *   5. the data, domain by domain (the row named)
 *   6. SOCIND_ERR_EMPTY when no domain had a usable row; on any failure
 *      every output NaN with the status              (socind__frame_end) */
#include <stdlib.h>

#include "internal.h"

int32_t socind__frame_begin(socind__frame *f, socind_estimate *out, size_t count,
                            const socind_design *d, const socind__arg *args, int nargs) {
    memset(f, 0, sizeof *f);
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    f->out = out;
    f->count = count;
    socind__frame_nan(f, SOCIND_ERR_NULL);
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    for (int i = 0; i < nargs; i++)
        if (!args[i].ptr) return socind__fail(SOCIND_ERR_NULL, "%s is NULL", args[i].name);
    f->d = d;
    return SOCIND_OK;
}

int32_t socind__frame_domains(socind__frame *f, const int32_t *group, int32_t n_groups,
                              const socind_options *opts) {
    int32_t st = socind__resolve_options(opts, &f->o);
    if (!st)
        st = socind__groups_init_threads(&f->grp, group, n_groups, f->d->n,
                                         socind__threads_for(f->o.threads, f->d->n));
    return st;
}

int32_t socind__frame_end(socind__frame *f, int32_t st, int64_t used, const char *what) {
    if (!st && used == 0) {
        /* a domain with rows but no estimate: their weights are all 0 */
        int weightless = 0;
        for (size_t j = 0; f->out && j < f->count && !weightless; j++)
            weightless = f->out[j].status == SOCIND_ERR_EMPTY_DOMAIN && f->out[j].n > 0;
        st = socind__fail(SOCIND_ERR_EMPTY,
                          "no usable observation: every %s is missing or outside the domains%s",
                          what, weightless ? SOCIND__WEIGHTLESS : "");
    }
    if (st) socind__frame_nan(f, st);
    socind__groups_free(&f->grp);
    return st;
}

int64_t socind__rows_used(const socind_estimate *e, size_t count, size_t stride) {
    int64_t used = 0;
    for (size_t i = 0; i < count; i++)
        if (e[i * stride].status != SOCIND_ERR_EMPTY_DOMAIN) used += e[i * stride].n;
    return used;
}

void socind__frame_nan(socind__frame *f, int32_t st) {
    for (size_t j = 0; f->out && j < f->count; j++) socind__estimate_nan(&f->out[j], st);
}

void socind__estimate_undefined(socind_estimate *e, int32_t status, int64_t n, double weight_sum,
                                double df) {
    socind__estimate_nan(e, status);
    e->n = n;
    e->weight_sum = weight_sum;
    e->df = df;
}

/* socind__gather over the group's rows i0 .. i1 (the i-th of domain j),
 * items from it[0], weight-0 rows from zero[0]; the least and the largest
 * income gathered in yr (+Inf and −Inf when none). */
static int32_t gather_range(const socind__gather_rule *r, const socind__groups *g, int32_t j,
                            size_t i0, size_t i1, socind__item *it, uint32_t *zero, size_t *nr,
                            size_t *nz, double yr[2]) {
    const double *w = r->d->w;
    size_t a = 0, b = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = i0; i < i1; i++) {
        size_t k = socind__group_row(g, j, i);
        double y = r->y[k];
        if (isnan(y)) continue;
        if (isinf(y))
            return socind__fail_row(SOCIND_ERR_DATA, k,
                                    "y[%zu] is %g; incomes must be finite (NaN for missing)", k, y);
        if (r->filter) {
            double f = r->filter[k];
            if (isnan(f)) continue;
            if (isinf(f))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "%s[%zu] is %g; %ss must be finite (NaN for missing)",
                                        r->filter_name, k, f, r->filter_name);
        }
        if (w[k] < 0.0) /* only a calibrated design holds one */
            return socind__fail_row(SOCIND_ERR_WEIGHT, k,
                                    "the calibrated weight of row %zu is %g; %s needs weights "
                                    ">= 0 " SOCIND__CAL_POSITIVE_HINT,
                                    k, w[k], r->what ? r->what : "this estimator");
        const int positive = w[k] > 0.0;
        if (r->sign && (positive || (r->check_zero_weight && zero)) &&
            (r->sign == 1 ? !(y > 0.0) : y < 0.0)) {
            if (r->nonpos == SOCIND_NONPOS_EXCLUDE) continue;
            return socind__fail_row(SOCIND_ERR_NONPOSITIVE, k,
                                    "y[%zu] is %g; %s needs incomes %s (or exclude them)", k, y,
                                    r->what, r->sign == 1 ? "> 0" : ">= 0");
        }
        if (positive) {
            socind__item *t = &it[a++];
            t->y = y + 0.0;
            t->w = w[k];
            t->psu = r->d->row_psu[k];
            t->row = (uint32_t)k;
            lo = t->y < lo ? t->y : lo;
            hi = t->y > hi ? t->y : hi;
        } else if (zero) {
            zero[b++] = (uint32_t)k;
        }
    }
    *nr = a;
    *nz = b;
    yr[0] = lo, yr[1] = hi;
    return SOCIND_OK;
}

/* The largest |y| of incomes from yr[0] to yr[1] (0 when none). */
static double largest(const double yr[2]) {
    return yr[0] <= yr[1] ? fmax(fabs(yr[0]), fabs(yr[1])) : 0.0;
}

int32_t socind__gather(const socind__gather_rule *r, const socind__groups *g, int32_t j,
                       socind__item *it, uint32_t *zero, size_t *nr, size_t *nz, double *ymax) {
    return socind__gather_threaded(r, g, j, 1, it, zero, nr, nz, ymax, NULL);
}

/* One part of socind__gather_threaded: the group's rows i0 .. i1 into
 * it[i0 ..) and zero[i0 ..) (a range's rows never outnumber its slots). */
typedef struct {
    const socind__gather_rule *r;
    const socind__groups *g;
    int32_t j, T;
    size_t ng;
    socind__item *it;
    uint32_t *zero;
    size_t nr[SOCIND_MAX_THREADS], nz[SOCIND_MAX_THREADS];
    double yr[SOCIND_MAX_THREADS][2];
    int32_t st[SOCIND_MAX_THREADS];
} gather_job;

size_t socind__part_start(size_t n, int32_t t, int32_t T) {
    return n / (size_t)T * (size_t)t + n % (size_t)T * (size_t)t / (size_t)T;
}

static void gather_part(void *arg, int32_t t) {
    gather_job *q = arg;
    const size_t i0 = socind__part_start(q->ng, t, q->T),
                 i1 = socind__part_start(q->ng, t + 1, q->T);
    q->st[t] = gather_range(q->r, q->g, q->j, i0, i1, q->it + i0, q->zero ? q->zero + i0 : NULL,
                            &q->nr[t], &q->nz[t], q->yr[t]);
}

int32_t socind__gather_threaded(const socind__gather_rule *r, const socind__groups *g, int32_t j,
                                int32_t T, socind__item *it, uint32_t *zero, size_t *nr, size_t *nz,
                                double *ymax, double yr[2]) {
    if (T > SOCIND_MAX_THREADS) T = SOCIND_MAX_THREADS;
    double r0[2];
    int32_t st = SOCIND_OK;
    const size_t ng = socind__group_size(g, j);
    gather_job q; /* (set only for threads: its arrays are SOCIND_MAX_THREADS long) */
    if (T > 1) {
        q = (gather_job){.r = r, .g = g, .j = j, .T = T, .ng = ng, .it = it, .zero = zero};
        socind__parallel(T, gather_part, &q);
        for (int32_t t = 0; t < T; t++) st |= q.st[t];
    }
    if (T <= 1 || st) { /* (after a refused row: its detail names the first) */
        st = gather_range(r, g, j, 0, ng, it, zero, nr, nz, r0);
        *ymax = largest(r0);
        if (yr) yr[0] = r0[0], yr[1] = r0[1];
        return st;
    }
    size_t a = q.nr[0], b = q.nz[0];
    r0[0] = q.yr[0][0], r0[1] = q.yr[0][1];
    for (int32_t t = 1; t < T; t++) { /* each part's rows after the part before */
        const size_t i0 = socind__part_start(ng, t, T);
        if (a != i0) memmove(it + a, it + i0, q.nr[t] * sizeof *it);
        if (zero && b != i0) memmove(zero + b, zero + i0, q.nz[t] * sizeof *zero);
        a += q.nr[t], b += q.nz[t];
        r0[0] = q.yr[t][0] < r0[0] ? q.yr[t][0] : r0[0];
        r0[1] = q.yr[t][1] > r0[1] ? q.yr[t][1] : r0[1];
    }
    *nr = a, *nz = b, *ymax = largest(r0);
    if (yr) yr[0] = r0[0], yr[1] = r0[1];
    return SOCIND_OK;
}

int32_t socind__items_init(socind__items *x, const socind_design *d, const socind_options *o,
                           int32_t rule) {
    return socind__items_init_cap(x, d, o, rule, d->n);
}

int32_t socind__items_init_cap(socind__items *x, const socind_design *d, const socind_options *o,
                               int32_t rule, size_t cap) {
    memset(x, 0, sizeof *x);
    const size_t m = cap ? cap : 1;
    x->it = socind__big_alloc(m * sizeof *x->it);
    x->zero = malloc(m * sizeof *x->zero);
    x->u = malloc(m * sizeof *x->u);
    if (!x->it || !x->zero || !x->u) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    int32_t st = socind__work_init(&x->wk, d, 1);
    if (!st) socind__work_rule(&x->wk, o, rule);
    return st;
}

void socind__items_free(socind__items *x) {
    free(x->it), free(x->zero), free(x->u);
    socind__work_free(&x->wk);
}

/* Adds w·u of items [0, nr) to their PSUs' accumulators (u = a, or a − b
 * when diff): running sums of consecutive items of one PSU, folded every
 * SOCIND__FOLD_ROWS items (internal.h). */
static void add_runs(socind__items *x, size_t nr, const double *a, const double *b, int diff) {
    const socind__item *it = x->it;
    int32_t last = -1;
    double acc = 0.0;
    socind__ksum k = {0, 0};
    uint32_t run = 0;
    for (size_t i = 0; i < nr; i++) {
        if (it[i].psu != last) {
            if (last >= 0) *socind__touch(&x->wk, last) += socind__fold_value(&k, acc);
            last = it[i].psu;
            acc = 0.0, run = 0;
        }
        acc += it[i].w * (diff ? a[i] - b[i] : a[i]);
        if (__builtin_expect(++run == SOCIND__FOLD_ROWS, 0))
            socind__kadd(&k, acc), acc = 0.0, run = 0;
    }
    if (last >= 0) *socind__touch(&x->wk, last) += socind__fold_value(&k, acc);
}

int32_t socind__items_variance(socind__items *x, const socind_design *d, size_t nr, size_t nz,
                               double *var) {
    add_runs(x, nr, x->u, NULL, 0);
    for (size_t i = 0; i < nz; i++) socind__touch(&x->wk, d->row_psu[x->zero[i]]);
    return socind__work_variance(&x->wk, var);
}

_Static_assert(SOCIND_GEDEC_TOTAL == 0 && SOCIND_GEDEC_WITHIN == 1 && SOCIND_GEDEC_BETWEEN == 2 &&
                   SOCIND_JDIVDEC_TOTAL == 0 && SOCIND_JDIVDEC_WITHIN == 1 &&
                   SOCIND_JDIVDEC_BETWEEN == 2,
               "the decompositions' parts in socind__fill_decomposition's order");

void socind__fill_decomposition(socind__items *x, size_t nr, const double *ut,
                                const double value[3], double N, const socind_options *o, double df,
                                socind_estimate out[3]) {
    for (int s = 0; s < 3; s++) {
        add_runs(x, nr, s == 1 ? x->u : ut, x->u, s == 2);
        double var;
        int32_t vst = socind__work_variance(&x->wk, &var);
        socind__estimate_nan(&out[s], vst);
        out[s].value = value[s];
        out[s].se = vst ? NAN : sqrt(var);
        out[s].n = (int64_t)nr;
        out[s].weight_sum = N;
        socind__fill_ci(&out[s], o, df, 0);
    }
}

/* The blocks' infinite sums so far in inf (N̂'s, Ŷ's; 0 for none, NaN
 * for both signs): a block whose sum left the double range has the error
 * term NaN, which would make the merged sum NaN where it is ±Inf. */
static void block_inf(double inf[2], double n, double y) {
    if (isinf(n)) inf[0] = n;
    if (isinf(y)) inf[1] = inf[1] != 0.0 && inf[1] != y ? NAN : y;
}

void socind__totals_of_blocks(const double *sn, const double *sy, size_t nb, double *N, double *Y) {
    socind__ksum Nk = {0, 0}, Yk = {0, 0};
    double inf[2] = {0.0, 0.0};
    for (size_t k = 0; k < nb; k++) {
        block_inf(inf, sn[2 * k], sy[2 * k]);
        socind__kmerge(&Nk, (socind__ksum){sn[2 * k], sn[2 * k + 1]});
        socind__kmerge(&Yk, (socind__ksum){sy[2 * k], sy[2 * k + 1]});
    }
    *N = inf[0] != 0.0 ? inf[0] : socind__pair_value(Nk.s, Nk.c);
    *Y = inf[1] != 0.0 ? inf[1] : socind__pair_value(Yk.s, Yk.c);
}

/* socind__items_totals_threaded's parts: the block sums of whole blocks. */
typedef struct {
    const socind__item *it;
    size_t nr, nb;
    int32_t T;
    double *sn, *sy;
} totals_job;

static void totals_part(void *arg, int32_t t) {
    const totals_job *q = arg;
    const size_t b0 = socind__part_start(q->nb, t, q->T),
                 b1 = socind__part_start(q->nb, t + 1, q->T);
    for (size_t k = b0; k < b1; k++) {
        const size_t b = k * SOCIND__SUM_BLOCK;
        const size_t e = b + SOCIND__SUM_BLOCK < q->nr ? b + SOCIND__SUM_BLOCK : q->nr;
        socind__block_sums(q->it, b, e, &q->sn[2 * k], &q->sy[2 * k]);
    }
}

int32_t socind__items_totals_threaded(const socind__item *it, size_t nr, int32_t T, double *N,
                                      double *Y) {
    const size_t nb = (nr + SOCIND__SUM_BLOCK - 1) / SOCIND__SUM_BLOCK;
    if (T > SOCIND_MAX_THREADS) T = SOCIND_MAX_THREADS;
    if (T <= 1 || nb < 2) {
        socind__items_totals(it, nr, N, Y);
        return SOCIND_OK;
    }
    totals_job q = {it, nr, nb, T, malloc(4 * nb * sizeof(double)), NULL};
    if (!q.sn) return socind__fail(SOCIND_ERR_NOMEM, "out of memory");
    q.sy = q.sn + 2 * nb;
    socind__parallel(T, totals_part, &q);
    socind__totals_of_blocks(q.sn, q.sy, nb, N, Y);
    free(q.sn);
    return SOCIND_OK;
}

void socind__items_totals(const socind__item *it, size_t nr, double *N, double *Y) {
    socind__ksum Nk = {0, 0}, Yk = {0, 0};
    double inf[2] = {0.0, 0.0};
    for (size_t b = 0; b < nr; b += SOCIND__SUM_BLOCK) {
        size_t e = b + SOCIND__SUM_BLOCK < nr ? b + SOCIND__SUM_BLOCK : nr;
        double sn[2], sy[2];
        socind__block_sums(it, b, e, sn, sy);
        block_inf(inf, sn[0], sy[0]);
        socind__kmerge(&Nk, (socind__ksum){sn[0], sn[1]});
        socind__kmerge(&Yk, (socind__ksum){sy[0], sy[1]});
    }
    *N = inf[0] != 0.0 ? inf[0] : socind__pair_value(Nk.s, Nk.c);
    *Y = inf[1] != 0.0 ? inf[1] : socind__pair_value(Yk.s, Yk.c);
}
