/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/poverty_line.c — the poverty line: its validation, and a relative
 * line estimated on the whole sample as convey's svyarpt does — fraction ×
 * the weighted p-quantile (or × the weighted mean) — with each PSU's total
 * of the line's influence function, the kernel density at the quantile that
 * scales it, and the density at the line in a domain (N̂_d·f̂_d(z), the
 * derivative of FGT0 and of the number of poor). See poverty.h.
 *
 * A quantile line is found in one pass over the rows from a systematic
 * sample's bracket (quantile_sampled), or, when the sample misleads, from a
 * histogram of all rows (relative_line): the same line either way. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "poverty_internal.h"

int32_t socind__line_validate(const socind_design *d, const socind_poverty_line *line,
                              socind_poverty_line *L) {
    if (!line) return socind__fail(SOCIND_ERR_NULL, "line is NULL");
    int32_t st =
        socind__check_sized(line, offsetof(socind_poverty_line, lines) + sizeof(const double *),
                            sizeof *line, "socind_poverty_line");
    if (st) return st;
    *L = *line;
    if (L->inclusive != 0 && L->inclusive != 1)
        return socind__fail(SOCIND_ERR_ARG, "line.inclusive must be 0 or 1, got %d",
                            (int)L->inclusive);
    switch (L->type) {
    case SOCIND_LINE_ABSOLUTE:
        if (!(L->value > 0.0) || isinf(L->value))
            return socind__fail(SOCIND_ERR_ARG, "the poverty line must be finite and > 0, got %g",
                                L->value);
        break;
    case SOCIND_LINE_PER_ROW:
        if (!L->lines) return socind__fail(SOCIND_ERR_ARG, "a per-row line needs line.lines");
        for (size_t k = 0; k < d->n; k++) {
            double z = L->lines[k];
            if (!isnan(z) && (!(z > 0.0) || isinf(z)))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "lines[%zu] is %g; lines must be finite and > 0", k, z);
        }
        break;
    case SOCIND_LINE_RELATIVE_QUANTILE:
        if (!(L->quantile > 0.0 && L->quantile < 1.0))
            return socind__fail(SOCIND_ERR_ARG, "line.quantile must be in (0, 1), got %g",
                                L->quantile);
        /* fall through */
    case SOCIND_LINE_RELATIVE_MEAN:
        if (!(L->value > 0.0) || isinf(L->value))
            return socind__fail(SOCIND_ERR_ARG,
                                "the line's fraction must be finite and > 0, got %g", L->value);
        break;
    default:
        return socind__fail(SOCIND_ERR_ARG, "unknown line type %d", (int)L->type);
    }
    return SOCIND_OK;
}

/* Sums over rows in blocks: plain sums within a block, compensated across
 * blocks (accurate, and fast enough to stream). */
#define SUM_BLOCK SOCIND__SUM_BLOCK

double socind__line_density(pctx *c, socind__span r, double x) {
    const double *w = c->d->w, *y = c->y;
    const size_t *rows = r.rows, nr = r.n;
    /* a domain's usable rows side by side (a buffer kept across domains) for
       the moments and the kernel sums, or, without the memory for it, read
       through the row index (or from the domain's first row): the same sums */
    socind__rowset rs = {y + r.lo, w + r.lo, 1, rows, nr};
    if (!r.all) {
        if (nr > c->gcap) {
            free(c->gy), free(c->gw);
            c->gy = socind__big_alloc(nr * sizeof *c->gy);
            c->gw = socind__big_alloc(nr * sizeof *c->gw);
            c->gcap = c->gy && c->gw ? nr : 0;
        }
        if (c->gcap >= nr) {
            size_t g = 0;
            for (size_t i = 0; i < nr; i++) {
                size_t k = socind__span_row(r, i);
                c->gy[g] = y[k], c->gw[g] = w[k];
                g += !isnan(y[k]) && w[k] > 0.0;
            }
            rs = (socind__rowset){c->gy, c->gw, 1, NULL, g};
        }
    }
    socind__moments m;
    if (r.all && c->have_full)
        m = c->full;
    else
        socind__moments_of(&rs, &m);
    if (!(m.n > 0)) return 0.0;
    double h = socind__bandwidth(&m);
    if (!(h > 0.0)) return NAN; /* every income equal: no density */
    double F[2];
    const double pts[2] = {x, INFINITY}; /* one point */
    socind__kernel_sums(&rs, pts, h, m.n, 1, F, NULL);
    return F[0];
}

/* A relative quantile line's histogram: rows bucketed by the top 16 bits of
 * their order key (socind__order_key). NO_KEY marks a row that is not used
 * (NaN income or weight <= 0): it is NaN's bucket, never a usable row's. */
#define NO_KEY ((uint16_t)0xFFFF)

/* The smallest and largest double whose order key has `bucket` as its top
 * 16 bits (inverse of socind__order_key). */
static double key_bound(uint64_t bucket, int upper) {
    uint64_t key = (bucket << 48) | (upper ? 0xFFFFFFFFFFFFULL : 0);
    uint64_t b = (key >> 63) ? key ^ 0x8000000000000000ULL : ~key;
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

typedef struct {
    double y, w;
    int32_t psu;
} ywp;

/* The line from its quantile Q: the kernel sums at Q and at the line
 * (density.c) over the rows (y, w) — all rows (complete), or a list holding
 * every row within SOCIND__KERNEL_REACH bandwidths of both, which the sums
 * leave for all rows only when their bound needs rows farther out — then
 * c->z, N̂·f̂ at the line for the whole sample (c->fz_full) and Z[p] (the
 * PSU sums of 1[y <= Q] − p) scaled into the line's influence. */
static int32_t line_from_quantile(pctx *c, double Q, double frac, double h, const double *y,
                                  const double *w, size_t n, int complete) {
    double zline = frac * Q, x[2] = {Q, zline}, F[2];
    if (!(h > 0.0)) {
        /* a replicate design's view without a density (relative_line): the
           line, no influence (the SE is the replicates') */
        c->fz_full = NAN;
        c->z = zline;
        memset(c->Z, 0, c->d->npsu * sizeof *c->Z);
        return SOCIND_OK;
    }
    const socind__rowset list = {y, w, 1, NULL, n}, all = {c->y, c->d->w, 1, NULL, c->d->n};
    if (!socind__kernel_sums(&list, x, h, c->full.n, complete, F, NULL))
        socind__kernel_sums(&all, x, h, c->full.n, 1, F, NULL);
    c->fz_full = F[1];
    double fN = F[0];
    if (!(fN > 0.0))
        return socind__fail(SOCIND_ERR_DATA, "the income density at the quantile is 0");
    c->z = zline;
    for (size_t p = 0; p < c->d->npsu; p++) c->Z[p] *= -frac / fN;
    return SOCIND_OK;
}

/* The relative quantile line's second pass, over the rows' bucket keys:
 * each PSU's Σ w(1[y <= Q] − p) for the rows outside Q's bucket, and two
 * lists — the bucket's rows (Q is selected among them; their terms follow:
 * each term is of the size of the result, where a bucket row's −w·p + w
 * would cancel as p nears 1), and the rows within SOCIND__KERNEL_REACH bandwidths of the bucket or
 * of the bucket times the fraction (the kernel sums at Q and at the line). */
static int32_t quantile_pass(pctx *c, const uint16_t *keys, const socind__qhist *hist,
                             uint16_t bucket, socind__ksum before, double h, double frac,
                             double pq) {
    const socind_design *d = c->d;
    const double *restrict y = c->y, *restrict w = d->w;
    const int32_t *restrict row_psu = d->row_psu;
    const uint16_t *restrict key = keys;
    const size_t n = d->n;
    double lo = key_bound(bucket, 0), hi = key_bound(bucket, 1);
    double reach = SOCIND__KERNEL_REACH * h;
    double q_lo = lo - reach, q_hi = hi + reach;
    double z_lo = frac * lo - reach, z_hi = frac * hi + reach;
    /* the lists' sizes are bounded by the rows of the buckets they overlap
       (hist->n[i]: rows in bucket i) */
    size_t cap_q = 0, cap_z = 0; /* the two bands' rows: one list, at most their sum */
    for (uint64_t i = socind__order_key(q_lo) >> 48; i <= socind__order_key(q_hi) >> 48; i++)
        cap_q += hist->n[i];
    for (uint64_t i = socind__order_key(z_lo) >> 48; i <= socind__order_key(z_hi) >> 48; i++)
        cap_z += hist->n[i];
    struct {
        void *a;
        size_t n;
    } B = {socind__big_alloc((hist->n[bucket] + 1) * sizeof(ywp)), 0},
      KY = {socind__big_alloc((cap_q + cap_z + 1) * sizeof(double)), 0},
      KW = {socind__big_alloc((cap_q + cap_z + 1) * sizeof(double)), 0};
    int32_t st = SOCIND_OK;
    if (!B.a || !KY.a || !KW.a)
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
    double *Zp = c->Z;
    int32_t zlast = -1;
    double zacc = 0.0;
    socind__ksum zk = {0, 0};
    uint32_t zrun = 0; /* rows since zacc's last fold (internal.h) */
    for (size_t b = 0; b < n && !st; b += SUM_BLOCK) {
        size_t e = b + SUM_BLOCK < n ? b + SUM_BLOCK : n;
        ywp *restrict bb = B.a;
        double *restrict ky = KY.a, *restrict kw = KW.a;
        size_t nb = B.n, nk = KY.n;
        for (size_t k = b; k < e; k++) {
            uint16_t kb = key[k];
            if (kb == NO_KEY) continue;
            double yk = y[k], wk = w[k];
            int32_t p = row_psu[k];
            if (p != zlast) {
                if (zlast >= 0) Zp[zlast] += socind__fold_value(&zk, zacc);
                zacc = 0.0, zrun = 0;
                zlast = p;
            }
            /* 1[kb < bucket] as a bit mask, and the weight masked to 0 in
               Q's bucket: a branch here is mispredicted for half the rows */
            uint64_t ob = 0x3FF0000000000000ULL & (0 - (uint64_t)(kb < bucket)), wb;
            double below, wout;
            memcpy(&below, &ob, sizeof below);
            memcpy(&wb, &wk, sizeof wb);
            wb &= 0 - (uint64_t)(kb != bucket);
            memcpy(&wout, &wb, sizeof wout);
            zacc += wout * (below - pq);
            if (__builtin_expect(++zrun == SOCIND__FOLD_ROWS, 0))
                socind__kadd(&zk, zacc), zacc = 0.0, zrun = 0;
            bb[nb].y = yk, bb[nb].w = wk, bb[nb].psu = p;
            nb += kb == bucket;
            ky[nk] = yk, kw[nk] = wk;
            nk += ((yk >= q_lo) & (yk <= q_hi)) | ((yk >= z_lo) & (yk <= z_hi));
        }
        B.n = nb, KY.n = KW.n = nk;
    }
    if (zlast >= 0) Zp[zlast] += socind__fold_value(&zk, zacc);
    double Q = NAN;
    if (!st) {
        /* Q among the bucket's rows; their share of the influence */
        socind__yw *a = B.n ? malloc(B.n * sizeof *a) : NULL;
        if (B.n == 0) { /* cannot happen: the bucket was chosen for its rows */
            st = socind__fail(SOCIND_ERR_DATA, "no income in the quantile's bucket");
        } else if (!a) {
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
        } else {
            const ywp *bb = B.a;
            for (size_t i = 0; i < B.n; i++) a[i].y = bb[i].y, a[i].w = bb[i].w;
            Q = socind__wq_select(a, B.n, before, c->full.n, pq);
            free(a);
            for (size_t i = 0; i < B.n; i++)
                Zp[bb[i].psu] += bb[i].w * (bb[i].y <= Q ? 1.0 - pq : -pq);
        }
    }
    if (!st) {
        /* the listed rows: those near the bucket and near fraction × it */
        st = line_from_quantile(c, Q, frac, h, KY.a, KW.a, KY.n, 0);
    }
    free(B.a);
    free(KY.a);
    free(KW.a);
    return st;
}

/* ---- the relative quantile line from a sample's bracket ----
 *
 * A systematic sample of about SAMPLE_ROWS rows gives the quantile within a
 * bracket [a, b] (4.5 standard errors of the sample's weighted CDF, plus two
 * of its largest weights, either side). One pass over the rows then makes
 * the moments, each PSU's Σ w, Σ w·(1[y <= Q] − p) over its rows outside
 * [a, b] (from Σ w·1[y < a] and Σ w·1[y > b]) and Σ w·1[y < fraction·a], and
 * keeps the rows in [a, b] (the quantile is selected among them) and in
 * fraction × [a, b] (their poverty waits for the line). The bracket is then
 * checked exactly: when the weight below a already reaches the quantile's
 * share, or the weight up to b does not (a sample that misrepresents the
 * rows, e.g. incomes periodic in the row order), the histogram path runs
 * instead, so the result never depends on the sample. The kernel sums at
 * the quantile and at the line take one more pass over the incomes. */
#define SAMPLE_ROWS 65536

SOCIND__TEST_SWITCH_DEFINE(socind__qline_force_histogram);
SOCIND__TEST_SWITCH_DEFINE(socind__qline_path);

/* Weighted p-quantile of a sample (a is reordered), -inf/+inf outside (0, 1). */
static double sample_quantile(socind__yw *a, size_t m, double total, double p) {
    if (!(p > 0.0)) return -INFINITY;
    if (!(p < 1.0)) return INFINITY;
    return socind__wq_select(a, m, (socind__ksum){0, 0}, total, p);
}

/* The bracket [*a, *b] from a systematic sample and the shares of sampled
 * rows inside it and inside fraction × it; 0 if the sample cannot give one. */
static int sample_bracket(const pctx *c, double pq, double frac, double *a, double *b,
                          double share[2], int32_t *st) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w;
    const size_t n = d->n, stride = n > SAMPLE_ROWS ? n / SAMPLE_ROWS : 1;
    size_t cap = n / stride + 1, m = 0, seen = 0;
    socind__yw *s = malloc(cap * sizeof *s);
    if (!s) {
        *st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
        return 0;
    }
    double ws = 0.0, wmax = 0.0;
    for (size_t k = stride / 2; k < n; k += stride, seen++) {
        if (isnan(y[k]) || !(w[k] > 0.0)) continue;
        s[m].y = y[k], s[m].w = w[k], m++;
        ws += w[k];
        wmax = w[k] > wmax ? w[k] : wmax;
    }
    int ok = 0;
    if (m >= 2 && ws > 0.0) {
        double q = sample_quantile(s, m, ws, pq), e2 = 0.0;
        for (size_t i = 0; i < m; i++) {
            double u = s[i].w * ((s[i].y <= q ? 1.0 : 0.0) - pq);
            e2 += u * u;
        }
        double delta = 4.5 * sqrt(e2) / ws + 2.0 * wmax / ws;
        *a = sample_quantile(s, m, ws, pq - delta);
        *b = sample_quantile(s, m, ws, pq + delta);
        size_t inside = 0, inside_z = 0;
        for (size_t i = 0; i < m; i++) {
            inside += s[i].y >= *a && s[i].y <= *b;
            inside_z += s[i].y >= frac * *a && s[i].y <= frac * *b;
        }
        share[0] = (double)inside / (double)seen;
        share[1] = (double)inside_z / (double)seen;
        ok = 1;
    }
    free(s);
    return ok;
}

/* A growing list of rows: incomes, weights, PSUs. */
typedef struct {
    double *y, *w;
    int32_t *psu;
    size_t n, cap;
} rowlist;

static int rowlist_room(rowlist *l, size_t more) {
    if (l->n + more <= l->cap) return 1;
    size_t cap = l->cap + l->cap / 2 + more;
    double *y = realloc(l->y, cap * sizeof *y);
    if (y) l->y = y;
    double *w = y ? realloc(l->w, cap * sizeof *w) : NULL;
    if (w) l->w = w;
    int32_t *p = w ? realloc(l->psu, cap * sizeof *p) : NULL;
    if (p) l->psu = p;
    if (!p) return 0;
    l->cap = cap;
    return 1;
}

static int rowlist_init(rowlist *l, size_t cap) {
    l->y = socind__big_alloc(cap * sizeof *l->y);
    l->w = socind__big_alloc(cap * sizeof *l->w);
    l->psu = socind__big_alloc(cap * sizeof *l->psu);
    l->n = 0, l->cap = cap;
    return l->y && l->w && l->psu;
}

static void rowlist_free(rowlist *l) {
    free(l->y), free(l->w), free(l->psu);
}

/* Weighted selection among the bracket's rows: they are first bucketed
 * linearly over [a, b] so that selection runs on one bucket's rows; the
 * buckets keep the order, so the result is the same value. */
static int32_t bracket_select(const rowlist *r, double a, double b, socind__ksum below, double N,
                              double p, double *Q) {
    const size_t nb = r->n;
    const double *ry = r->y, *rw = r->w;
    enum { NBK = 4096 };
    double inv = NBK / (b - a);
    int direct = nb <= 4 * NBK || !isfinite(inv) || !(inv > 0.0);
    socind__ksum *bw = direct ? NULL : calloc(NBK, sizeof *bw);
    size_t *bn = direct ? NULL : calloc(NBK, sizeof *bn);
    if (!direct && (!bw || !bn)) {
        free(bw), free(bn);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
    }
    socind__ksum before = below;
    size_t j = 0, m = nb;
    if (!direct) {
        for (size_t i = 0; i < nb; i++) {
            double v = (ry[i] - a) * inv; /* monotone in y */
            size_t k = v < NBK - 1 ? (size_t)v : NBK - 1;
            socind__kadd(&bw[k], rw[i]);
            bn[k]++;
        }
        for (; j < NBK - 1; j++) {
            const socind__ksum upto = socind__ksum_plus(before, bw[j]);
            if (bn[j] > 0 && socind__share_reaches(socind__kval(&upto), N, p)) break;
            before = upto;
        }
        m = bn[j];
        if (m == 0) { /* not reached in any bucket (rounding): among them all */
            direct = 1;
            before = below;
            m = nb;
        }
    }
    socind__yw *sel = malloc((m ? m : 1) * sizeof *sel);
    if (!sel) {
        free(bw), free(bn);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
    }
    size_t t = 0;
    for (size_t i = 0; i < nb; i++) {
        if (!direct) {
            double v = (ry[i] - a) * inv;
            size_t k = v < NBK - 1 ? (size_t)v : NBK - 1;
            if (k != j) continue;
        }
        sel[t].y = ry[i], sel[t].w = rw[i], t++;
    }
    *Q = socind__wq_select(sel, t, before, N, p);
    free(sel), free(bw), free(bn);
    return SOCIND_OK;
}

/* PSU totals of w·in over listed rows (in row order) with y <= x (strictly
 * below when strict) and of w·out over the others: running sums (folded,
 * internal.h), flushed when the PSU changes. */
static void add_split(const rowlist *r, double x, int strict, double in, double out, double *tot) {
    int32_t last = -1;
    double acc = 0.0;
    socind__ksum k = {0, 0};
    uint32_t run = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->psu[i] != last) {
            if (last >= 0) tot[last] += socind__fold_value(&k, acc);
            last = r->psu[i];
            acc = 0.0, run = 0;
        }
        const int hit = strict ? r->y[i] < x : r->y[i] <= x;
        acc += r->w[i] * (hit ? in : out);
        if (__builtin_expect(++run == SOCIND__FOLD_ROWS, 0))
            socind__kadd(&k, acc), acc = 0.0, run = 0;
    }
    if (last >= 0) tot[last] += socind__fold_value(&k, acc);
}

/* The end of the run of rows in row k's PSU, at most lim (the design knows
 * it when each PSU's rows are consecutive). */
static size_t run_end(const socind_design *d, size_t k, size_t lim) {
    const int32_t *rp = d->row_psu;
    const int32_t p = rp[k];
    if (d->psu_end) return (size_t)d->psu_end[p] < lim ? (size_t)d->psu_end[p] : lim;
    size_t e = k + 1;
    while (e < lim && rp[e] == p) e++;
    return e;
}

/* The sampled path's one pass, over runs of rows in one PSU (pieces of at
 * most SUM_BLOCK rows): each PSU's Σ w (c->pN), its Σ w·(1[y <= Q] − p)
 * over the rows outside the bracket [a, b] as (1 − p)·Σ w·1[y < a] −
 * p·Σ w·1[y > b] (c->Z: terms of the size of the result, where Σ w·1[y < a]
 * − p·Σ w would cancel as p nears 1) and Σ w·1[y < fraction·a] (c->pH), N̂ = Σ w with each row's
 * rounding error kept (Nt: the quantile's decisions divide by it), the moments' sums about shift
 * (S1, S2), the rows with an income (*nok), the largest |y| (c->ymax), and the rows in either
 * bracket br = {a, b, fraction·a, fraction·b} appended to Bq and Bz with their PSUs. SOCIND_OK or
 * SOCIND_ERR_NOMEM. */
static int32_t sampled_pass(pctx *c, const double br[4], double pq, double shift, rowlist *Bq,
                            rowlist *Bz, double *Nt, socind__ksum *Wa, socind__ksum *S1,
                            socind__ksum *S2, int64_t *nok) {
    const socind_design *d = c->d;
    const size_t n = d->n;
    const double *restrict y = c->y, *restrict w = d->w;
    double *restrict Zq = c->Z, *restrict pH = c->pH, *restrict pN = c->pN;
    double ymax = fabs(shift), acc[32] = {0};
    for (size_t k = 0; k < n;) {
        int32_t p = d->row_psu[k];
        size_t e = run_end(d, k, k + SUM_BLOCK < n ? k + SUM_BLOCK : n);
        size_t len = e - k;
        if (!rowlist_room(Bq, len + 8) || !rowlist_room(Bz, len + 8))
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
        double o[8];
        /* the sums, and the few rows in a bracket (Bq: weight > 0, for the
           selection) */
        size_t q0 = Bq->n, z0 = Bz->n;
        socind__qline_rows(y + k, w + k, len, shift, br, o, acc, Bq->y, Bq->w, &Bq->n, Bz->y, Bz->w,
                           &Bz->n);
        for (size_t i = q0; i < Bq->n; i++) Bq->psu[i] = p;
        for (size_t i = z0; i < Bz->n; i++) Bz->psu[i] = p;
        pN[p] += o[0], pH[p] += o[2];
        Zq[p] += (1.0 - pq) * o[1] - pq * o[7];
        socind__kadd(S1, o[3]);
        socind__kadd(S2, o[4]);
        *nok += (int64_t)o[5];
        ymax = o[6] > ymax ? o[6] : ymax;
        k = e;
    }
    c->ymax = ymax;
    const socind__ksum N = socind__qline_total(acc);
    *Nt = socind__kval(&N);
    *Wa = socind__qline_total(acc + 16);
    return SOCIND_OK;
}

static int32_t quantile_sampled(pctx *c, double frac, double pq, int *fallback) {
    const socind_design *d = c->d;
    const size_t n = d->n, P = d->npsu;
    const double *restrict y = c->y, *restrict w = d->w;
    int32_t st = SOCIND_OK;
    double a, b, share[2];
    *fallback = 1;
    if (!sample_bracket(c, pq, frac, &a, &b, share, &st)) return st;
    const double fa = frac * a, fb = frac * b;
    size_t first = 0;
    while (first < n && (isnan(y[first]) || !(w[first] > 0.0))) first++;
    if (first == n) return SOCIND_OK; /* no usable income: the histogram path says so */
    const double shift = y[first];
    /* room for the sample's share of rows and a quarter, grown if need be */
    rowlist Bq, Bz;
    int lists = rowlist_init(&Bq, (size_t)(1.25 * share[0] * (double)n) + 2 * SUM_BLOCK) &
                rowlist_init(&Bz, (size_t)(1.25 * share[1] * (double)n) + 2 * SUM_BLOCK);
    c->pH = calloc(P, sizeof *c->pH);
    c->pN = calloc(P, sizeof *c->pN);
    if (!c->pH || !c->pN || !lists) {
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
        goto done;
    }
    double *restrict Zq = c->Z;
    socind__ksum S1 = {0, 0}, S2 = {0, 0}, Wa = {0, 0};
    double N = 0.0;
    int64_t nok = 0;
    const double br[4] = {a, b, fa, fb};
    if ((st = sampled_pass(c, br, pq, shift, &Bq, &Bz, &N, &Wa, &S1, &S2, &nok))) goto done;
    /* ±Inf, or incomes beyond 2^±SOCIND__SCALE_LIMIT: ctx_init decides */
    if (isinf(c->ymax) || (!c->ex && socind__scale_exponent(c->ymax))) goto done;
    /* the weight below the bracket (Wa, the rows' own: each PSU's sum has
       lost its rounding errors) and up to its top */
    socind__ksum Wb = Wa;
    for (size_t i = 0; i < Bq.n; i++) socind__kadd(&Wb, Bq.w[i]);
    c->full.n = N;
    c->full.shift = shift;
    c->full.s1 = socind__kval(&S1);
    c->full.s2 = socind__kval(&S2);
    c->full.ex = 0; /* (the incomes rescaled by their largest) */
    /* about the mean where the first income lies far from it */
    socind__moments_refine(&(socind__rowset){y, w, 1, NULL, n}, &c->full);
    c->have_full = 1;
    const double Nt = c->full.n, h = socind__bandwidth(&c->full);
    if (!(Nt > 0.0) || !(h > 0.0)) goto done; /* the histogram path says why */
    /* the bracket holds the quantile when the weight below it is short of
       the target and the weight up to its top reaches it */
    if (Bq.n == 0 || socind__share_reaches(socind__kval(&Wa), Nt, pq) ||
        !socind__share_reaches(socind__kval(&Wb), Nt, pq))
        goto done;
    double Q = NAN;
    st = bracket_select(&Bq, a, b, Wa, Nt, pq, &Q);
    if (st) goto done;
    /* the bracket's rows join their PSU's Σ w·(1[y <= Q] − p); the line
       bracket's poor rows their PSU's Σ w·1[poor] */
    add_split(&Bq, Q, 0, 1.0 - pq, -pq, Zq);
    const double zline = frac * Q;
    add_split(&Bz, zline, !c->L.inclusive, 1.0, 0.0, c->pH);
    *fallback = 0;
    st = line_from_quantile(c, Q, frac, h, y, w, n, 1); /* over every row */
    if (st) goto done;
    c->pn = nok;
    c->have_pre = 1;
done:
    rowlist_free(&Bq), rowlist_free(&Bz);
    if (*fallback) {
        /* the histogram path starts from nothing */
        memset(c->Z, 0, P * sizeof *c->Z);
        free(c->pH), free(c->pN);
        c->pH = c->pN = NULL;
        c->have_full = 0;
        c->fz_full = NAN;
    }
    return st;
}

/* The histogram path's one pass over the rows: the whole sample's moments
 * into c->full (not yet marked valid), the largest |y| it read into c->ymax
 * (NaN left out), the number of rows with an income and a positive weight
 * into *m, Σ w y (returned: a mean line's), and for a quantile line (hist
 * given) the quantile engine's histogram and each row's bucket in keys
 * (NO_KEY for a row not used). */
static inline __attribute__((always_inline)) double line_pass_body(pctx *c, socind__qhist *hist,
                                                                   uint16_t *keys, size_t *m) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w;
    socind__ksum N = {0, 0}, S = {0, 0}, S1 = {0, 0}, S2 = {0, 0};
    double shift = NAN, ymax = 0.0;
    size_t used = 0;
    for (size_t b = 0; b < d->n; b += SUM_BLOCK) {
        size_t e = b + SUM_BLOCK < d->n ? b + SUM_BLOCK : d->n;
        /* N̂ and Σ w·y keep each row's rounding error (socind__block_sums),
           and a mean line's Σ w·y each product's too, as its state does
           (state_relative.c): a share that is exactly p, the same μ̂ */
        socind__ksum sn = {0, 0}, ss = {0, 0};
        double s1 = 0.0, s2 = 0.0;
        for (size_t k = b; k < e; k++) {
            double yk = y[k], wk = w[k];
            double ay = fabs(yk);
            ymax = ay > ymax ? ay : ymax; /* NaN: not greater */
            if (isnan(yk) || !(wk > 0.0)) {
                if (hist) keys[k] = NO_KEY;
                continue;
            }
            if (isnan(shift)) shift = yk;
            double dv = yk - shift;
            socind__kadd(&sn, wk);
            const double wy = wk * yk;
            socind__kadd(&ss, wy);
            if (!hist) ss.c += fma(wk, yk, -wy);
            s1 += wk * dv;
            s2 += wk * dv * dv;
            used++;
            if (hist) {
                uint16_t key = (uint16_t)socind__qhist_bucket(yk);
                keys[k] = key;
                socind__kadd(&hist->w[key], wk);
                hist->n[key]++;
            }
        }
        socind__kmerge(&N, sn);
        socind__kmerge(&S, ss);
        socind__kadd(&S1, s1);
        socind__kadd(&S2, s2);
    }
    c->ymax = ymax;
    c->full.n = socind__kval(&N);
    c->full.shift = shift;
    c->full.s1 = socind__kval(&S1);
    c->full.s2 = socind__kval(&S2);
    c->full.ex = 0; /* (the incomes rescaled by their largest) */
    *m = used;
    return socind__kval(&S);
}

/* On x86-64 with GCC a copy compiled for FMA runs where the processor has
 * it (a mean line's products' errors by one instruction each, not a call
 * to libm's fma); chosen at the call, not by an ifunc, which the
 * sanitizers' runtimes do not take. The same bits either way. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target("fma"))) static double line_pass_fma(pctx *c, socind__qhist *hist,
                                                           uint16_t *keys, size_t *m) {
    return line_pass_body(c, hist, keys, m);
}
static double line_pass(pctx *c, socind__qhist *hist, uint16_t *keys, size_t *m) {
    if (__builtin_cpu_supports("fma")) return line_pass_fma(c, hist, keys, m);
    return line_pass_body(c, hist, keys, m);
}
#else
static double line_pass(pctx *c, socind__qhist *hist, uint16_t *keys, size_t *m) {
    return line_pass_body(c, hist, keys, m);
}
#endif

/* A mean line: z = fraction·μ̂, Z[p] = fraction·Σ_{k in p} w (y − μ̂)/N̂. */
static void mean_line(pctx *c, double mu, double frac) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w;
    c->z = frac * mu;
    /* each run of a PSU's rows folded every SOCIND__FOLD_ROWS rows, as the
       other row loops (internal.h) */
    int32_t last = -1;
    double acc = 0.0;
    socind__ksum k2 = {0, 0};
    uint32_t run = 0;
    for (size_t k = 0; k < d->n; k++) {
        if (isnan(y[k]) || !(w[k] > 0.0)) continue;
        const int32_t p = d->row_psu[k];
        if (p != last) {
            if (last >= 0) c->Z[last] += socind__fold_value(&k2, acc);
            last = p, acc = 0.0, run = 0;
        }
        acc += w[k] * (y[k] - mu);
        if (__builtin_expect(++run == SOCIND__FOLD_ROWS, 0))
            socind__kadd(&k2, acc), acc = 0.0, run = 0;
    }
    if (last >= 0) c->Z[last] += socind__fold_value(&k2, acc);
    for (size_t p = 0; p < d->npsu; p++) c->Z[p] *= frac / c->full.n;
}

/* The relative line on the whole sample (c->z, c->Z, and the sums the
 * estimators reuse), from c->y; records in c->ymax the largest |y| its
 * first pass read, and returns SOCIND_OK early, leaving the rest, when that
 * pass saw ±Inf or incomes beyond 2^±SOCIND__SCALE_LIMIT (unless already
 * scaled): socind__line_relative decides. */
static int32_t relative_line(pctx *c) {
    const socind_design *d = c->d;
    int32_t st;
    if (c->L.type == SOCIND_LINE_RELATIVE_QUANTILE && !socind__qline_force_histogram) {
        int fallback;
        st = quantile_sampled(c, c->L.value, c->L.quantile, &fallback);
        if (st || !fallback) {
            SOCIND__TEST_RECORD(socind__qline_path, 1);
            return st;
        }
        if (!isnan(c->ymax) && (isinf(c->ymax) || (!c->ex && socind__scale_exponent(c->ymax))))
            return SOCIND_OK; /* the pass saw ±Inf, or a scale to change */
    }
    SOCIND__TEST_RECORD(socind__qline_path, 2);
    /* one pass: totals for a mean line, the whole sample's moments, and the
     * quantile engine's histogram of weights and counts (quantile.c) */
    int quant = c->L.type == SOCIND_LINE_RELATIVE_QUANTILE;
    socind__qhist hist = {NULL, NULL};
    /* each row's bucket, so that the bucket's rows are found without
       reading the incomes again */
    uint16_t *keys = NULL;
    if (quant) {
        if ((st = socind__qhist_init(&hist))) return st;
        keys = socind__big_alloc(d->n * sizeof *keys);
        if (!keys) {
            socind__qhist_free(&hist);
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
        }
    }
    size_t m;
    double ysum = line_pass(c, quant ? &hist : NULL, keys, &m);
    if (isinf(c->ymax) || (!c->ex && socind__scale_exponent(c->ymax))) {
        socind__qhist_free(&hist);
        free(keys);
        return SOCIND_OK; /* ±Inf, or a scale to change: ctx_init decides */
    }
    /* about the mean where the first income lies far from it */
    socind__moments_refine(&(socind__rowset){c->y, d->w, 1, NULL, d->n}, &c->full);
    const double Nt = c->full.n, frac = c->L.value;
    c->have_full = 1;
    if (m == 0 || !(Nt > 0) || isinf(Nt)) {
        socind__qhist_free(&hist);
        free(keys);
        return socind__fail_no_weight(m > 0);
    }
    if (!quant) {
        /* Σw·y beyond the double range (weights near 1e306): no mean, no
           line (a NaN line made every row non-poor: FGT0 0 with status 0) */
        if (!isfinite(ysum / Nt))
            return socind__fail(SOCIND_ERR_OVERFLOW,
                                "the weighted sum of the incomes (the mean line's) leaves the "
                                "double range");
        mean_line(c, ysum / Nt, frac);
        return SOCIND_OK;
    }
    /* the bucket holding the p-quantile, and the weight below it */
    double pq = c->L.quantile;
    socind__ksum before;
    size_t bucket = socind__qhist_find(&hist, Nt, pq, &before);
    double h = socind__bandwidth(&c->full);
    if (!(h > 0.0) && !d->rep_view) {
        socind__qhist_free(&hist);
        free(keys);
        return socind__no_bandwidth(&c->full, "the quantile");
    }
    /* a replicate design's view (the full sample or a replicate) needs the
       line alone, its SE being the replicates': every income equal (one
       row, or a replicate that keeps only equal incomes) still has its
       quantile, as convey's computeQuantiles has it, though no density */
    if (!(h > 0.0)) h = 0.0;
    st = quantile_pass(c, keys, &hist, (uint16_t)bucket, before, h, frac, pq);
    socind__qhist_free(&hist);
    free(keys);
    return st;
}

/* The relative line, with the checks ctx_init left to its first pass: an
 * income of ±Inf anywhere in y is refused naming its row; incomes beyond
 * 2^±SOCIND__SCALE_LIMIT are scaled by a power of 2 (as ctx_init scales them
 * for other estimators) and the line is made again from the scaled copy. */
int32_t socind__line_relative(pctx *c) {
    const socind_design *d = c->d;
    c->ymax = NAN;
    int32_t st = relative_line(c);
    if (c->scan_rows != 2) return st;
    if (isnan(c->ymax)) return st; /* no pass over the rows was made (it failed first) */
    if (isinf(c->ymax)) {
        size_t k = socind__first_infinite(c->y, d->n, NULL);
        return socind__fail_row(SOCIND_ERR_DATA, k,
                                "y[%zu] is %g; incomes must be finite (NaN for missing)", k,
                                k < d->n ? c->y[k] : NAN);
    }
    int ex = socind__scale_exponent(c->ymax);
    if (st || !ex || c->ex) return st;
    /* start again from a scaled copy */
    c->ex = ex;
    c->ys = socind__big_alloc(d->n * sizeof *c->ys);
    if (!c->ys) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    socind__scale_pow2(c->ys, sizeof *c->ys, c->y, sizeof *c->y, d->n, c->ex);
    c->y = c->ys;
    memset(c->Z, 0, d->npsu * sizeof *c->Z);
    free(c->pH), free(c->pN);
    c->pH = c->pN = NULL;
    c->pn = 0;
    c->have_pre = c->have_full = 0;
    c->fz_full = NAN;
    c->z = NAN;
    return relative_line(c);
}
