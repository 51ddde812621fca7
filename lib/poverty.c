/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/poverty.c — FGT(α), number of poor, poverty gap, mean shortfall, Watts,
 * the line itself, the FGT and Watts decompositions and the subgroup profile
 * (convey's svyfgt, svywatts, svyarpt, svyfgtdec, svywattsdec), with the
 * relative line's own term in the linearized variable. See poverty.h.
 *
 * Every indicator is built from "components": for a set of rows (a domain),
 * the totals H = Σ w·h(y; z) and N = Σ w with their per-PSU totals, where the
 * PSU totals of H already carry the line's term (∂H/∂z)·Σ_{k∈PSU} w u^z_k.
 * Ratios and decompositions are then linear combinations of those per-PSU
 * vectors (Deville's chain rule), fed to the design's variance engine. */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define KIND_FGT 0
#define KIND_POOR 1
#define KIND_GAP 2
#define KIND_WATTS 3

/* ---- weighted quantile (R's qrule "math") by selection ---- */
typedef struct {
    double y, w;
} yw;

/* Smallest y whose cumulative weight is >= target, over a[0..n). O(n)
 * expected (three-way partitioning around a median-of-three pivot). */
static double weighted_select(yw *a, size_t n, long double target) {
    size_t lo = 0, hi = n; /* [lo, hi) */
    long double before = 0.0L;
    while (hi - lo > 1) {
        double p1 = a[lo].y, p2 = a[lo + (hi - lo) / 2].y, p3 = a[hi - 1].y;
        double piv =
            p1 < p2 ? (p2 < p3 ? p2 : (p1 < p3 ? p3 : p1)) : (p1 < p3 ? p1 : (p2 < p3 ? p3 : p2));
        /* Dutch-flag partition: [lo, lt) < piv, [lt, gt) == piv, [gt, hi) > piv */
        size_t lt = lo, i = lo, gt = hi;
        long double wl = 0.0L, we = 0.0L;
        while (i < gt) {
            if (a[i].y < piv) {
                wl += a[i].w;
                yw t = a[lt];
                a[lt++] = a[i];
                a[i++] = t;
            } else if (a[i].y > piv) {
                yw t = a[--gt];
                a[gt] = a[i];
                a[i] = t;
            } else {
                we += a[i].w;
                i++;
            }
        }
        if (lt > lo && before + wl >= target) {
            hi = lt;
        } else if (before + wl + we >= target) {
            return piv;
        } else {
            before += wl + we;
            lo = gt;
            if (lo >= hi) return piv; /* target beyond the total: the largest value */
        }
    }
    return a[lo].y;
}

/* ---- the call's context ---- */
typedef struct {
    double n, shift, s1, s2;
} moments;

/* A per-PSU vector of a domain (see "Domains" below): s_p on the PSUs the
 * domain touches (0 elsewhere; NULL: 0 everywhere) plus g[i] times the
 * whole-sample vector i (BASIS_*), which reaches every PSU. */
#define BASIS_Z 0 /* a relative line's Z */
#define BASIS_A 1 /* the profile's whole-sample H by PSU */
#define BASIS_B 2 /* the profile's whole-sample N by PSU */
typedef struct {
    double *s;
    double g[SOCIND__NBASIS];
} pvec;

typedef struct {
    const socind_design *d;
    const double *y; /* the incomes, or ys */
    socind_poverty_line L;
    /* incomes and lines beyond 2^±SOCIND__SCALE_LIMIT: the incomes, per-row
       lines and an absolute line times 2^−ex (internal.h), in ys and ls;
       totals in currency are multiplied back by 2^ex */
    int ex;
    double *ys, *ls;
    int scan_rows; /* ±Inf incomes are looked for by the row loops (fixed lines in
                      FGT, poor counts and Watts), not by a pass of their own */
    double ymax;   /* a relative line's pass: the largest |y| it read (NaN: none) */
    int relative;
    int nonpos;     /* Watts: SOCIND_NONPOS_* */
    int watts_rows; /* every component uses the Watts rows (y > 0) */
    int have_full;  /* full holds the whole sample's moments */
    double fz_full; /* N̂·f̂(z) on the whole sample (relative quantile lines), or NaN */
    moments full;
    double z;  /* scalar line (ABSOLUTE or estimated RELATIVE) */
    double *Z; /* npsu: Σ w u^z per PSU (relative lines) */
    /* the whole sample's FGT0 sums by PSU (Σ w·1[poor], Σ w over rows with
       an income) and their row count, when the line's pass made them */
    double *pH, *pN;
    int64_t pn;
    int have_pre;
    double *gy, *gw; /* a domain's usable incomes and weights (density) */
    size_t gcap;
    /* component buffers */
    double *zH, *zN, *zH2, *zN2, *u1, *u2, *u3;
    unsigned char *present;
    socind__work wk;
    /* the domains' machinery: the buffers above as vectors, the PSUs the
       current domain touches (dom, in ascending order once a component is
       made; dom_tmp for the sort), whether every stratum counts as present,
       and the whole-sample vectors' per-stratum sums; dense: every PSU
       always (the reference) */
    pvec vH, vN, vH2, vN2, v1, v2, v3;
    socind__psuset dom;
    int32_t *dom_tmp;
    int dense, all_present, second_is_basis;
    socind__basis basis;
} pctx;

static void ctx_free(pctx *c) {
    free(c->ys);
    free(c->ls);
    free(c->Z);
    free(c->pH);
    free(c->pN);
    free(c->gy);
    free(c->gw);
    free(c->zH);
    free(c->zN);
    free(c->zH2);
    free(c->zN2);
    free(c->u1);
    free(c->u2);
    free(c->u3);
    free(c->present);
    socind__work_free(&c->wk);
    free(c->dom.list);
    free(c->dom.mark);
    free(c->dom_tmp);
    socind__basis_free(&c->basis);
}

static int32_t validate_line(const socind_design *d, const socind_poverty_line *line,
                             socind_poverty_line *L) {
    if (!line) return socind__fail(SOCIND_ERR_NULL, "line is NULL");
    if (line->size < offsetof(socind_poverty_line, lines) + sizeof(const double *) ||
        line->size > 4096)
        return socind__fail(SOCIND_ERR_OPTIONS,
                            "socind_poverty_line.size is %zu; use socind_poverty_line_init()",
                            line->size);
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

/* Sums over rows in blocks: plain sums within a block of 4096 rows,
 * compensated across blocks (accurate, and fast enough to stream). */
#define SUM_BLOCK 4096

/* Weighted moments of y over rows (NULL: 0 .. nr) with y non-NaN and w > 0
 * (shifted sums). */
static void moments_of(const double *y, const double *w, const size_t *rows, size_t nr,
                       moments *m) {
    socind__ksum N = {0, 0}, S1 = {0, 0}, S2 = {0, 0};
    double shift = NAN;
    for (size_t b = 0; b < nr; b += SUM_BLOCK) {
        size_t e = b + SUM_BLOCK < nr ? b + SUM_BLOCK : nr;
        double sn = 0.0, s1 = 0.0, s2 = 0.0;
        for (size_t i = b; i < e; i++) {
            size_t k = rows ? rows[i] : i;
            double wk = w[k], yk = y[k];
            if (isnan(yk) || !(wk > 0.0)) continue;
            if (isnan(shift)) shift = yk;
            double dv = yk - shift;
            sn += wk;
            s1 += wk * dv;
            s2 += wk * dv * dv;
        }
        socind__kadd(&N, sn);
        socind__kadd(&S1, s1);
        socind__kadd(&S2, s2);
    }
    m->n = socind__kval(&N);
    m->shift = shift;
    m->s1 = socind__kval(&S1);
    m->s2 = socind__kval(&S2);
}

/* convey's bandwidth: h = σ̂ / N̂^(1/5), σ̂ the weighted SD with divisor N̂. */
static double bandwidth(const moments *m) {
    if (!(m->n > 0)) return NAN;
    socind__ksum Q = {0, 0};
    socind__kadd(&Q, m->s2);
    socind__kadd(&Q, -m->s1 * m->s1 / m->n);
    double var = socind__kval(&Q) / m->n;
    return var > 0 ? sqrt(var) / pow(m->n, 0.2) : NAN;
}

/* Σ w φ((x − y)/h) / h over rows with y non-NaN and w > 0. Terms more than
 * e^{−41.5} below the largest are skipped (the sum cannot feel them), so
 * exp() runs only near x: first assuming a row lies at x, again with the
 * right cut-off when the nearest row is farther than √2 bandwidths. */
static double kernel_sum(const pctx *c, const size_t *rows, size_t nr, double x, double h) {
    const double *w = c->d->w, *y = c->y;
    const double ih = 1.0 / h; /* (x − y)·(1/h) is within an ulp of (x − y)/h */
    double cut = 83.0, tmin2 = INFINITY;
    for (int attempt = 0; attempt < 2; attempt++) {
        socind__ksum F = {0, 0};
        double t2min = INFINITY;
        for (size_t b = 0; b < nr; b += SUM_BLOCK) {
            size_t e = b + SUM_BLOCK < nr ? b + SUM_BLOCK : nr;
            double sf = 0.0;
            for (size_t i = b; i < e; i++) {
                size_t k = rows ? rows[i] : i;
                double wk = w[k], yk = y[k];
                if (isnan(yk) || !(wk > 0.0)) continue;
                double t = (x - yk) * ih;
                double t2 = t * t;
                t2min = t2 < t2min ? t2 : t2min;
                if (t2 > cut) continue;
                sf += wk * exp(-t2 / 2.0);
            }
            socind__kadd(&F, sf);
        }
        tmin2 = t2min;
        if (attempt == 0 && tmin2 > 2.0) {
            cut = tmin2 + 83.0;
            continue;
        }
        return socind__kval(&F) * 0.398942280401432677939946059934 / h; /* 1/sqrt(2π) */
    }
    return NAN; /* not reached */
}

/* N̂ times convey's kernel density at x over the rows (NULL: all rows). */
static double density_times_n(pctx *c, const size_t *rows, size_t nr, double x) {
    const double *w = c->d->w, *y = c->y;
    /* the usable rows' incomes and weights side by side (a buffer kept
       across domains), for the moments and the vectorized kernel sums */
    size_t g = 0;
    int side = 1;
    if (nr > c->gcap) {
        free(c->gy), free(c->gw);
        c->gy = socind__big_alloc(nr * sizeof *c->gy);
        c->gw = socind__big_alloc(nr * sizeof *c->gw);
        c->gcap = c->gy && c->gw ? nr : 0;
        side = c->gcap > 0;
    }
    if (side)
        for (size_t i = 0; i < nr; i++) {
            size_t k = rows ? rows[i] : i;
            c->gy[g] = y[k], c->gw[g] = w[k];
            g += !isnan(y[k]) && w[k] > 0.0;
        }
    moments m;
    if (!rows && c->have_full)
        m = c->full;
    else if (side)
        moments_of(c->gy, c->gw, NULL, g, &m);
    else
        moments_of(y, w, rows, nr, &m);
    if (!(m.n > 0)) return 0.0;
    double h = bandwidth(&m);
    if (!(h > 0.0)) return NAN; /* every income equal: no density */
    /* (no second point: +inf is never near a row); kernel_sum when a row
       lies farther than √2 bandwidths (its cut-off moves) or there was no
       memory for the copy */
    double F[2], t2min[2] = {INFINITY, INFINITY};
    const double pts[2] = {x, INFINITY};
    if (side) socind__gauss_sums(c->gy, c->gw, g, pts, 1.0 / h, F, t2min);
    if (!(t2min[0] <= 2.0)) return kernel_sum(c, rows, nr, x, h);
    return F[0] / h;
}

/* Builds the context: validates, estimates a relative line on the whole
 * sample and the per-PSU totals of its influence function. */
/* A relative quantile line's histogram: rows bucketed by the top 16 bits of
 * their order key (socind__order_key). NO_KEY marks a row that is not used
 * (NaN income or weight <= 0): it is NaN's bucket, never a usable row's. */
#define NO_KEY ((uint16_t)0xFFFF)
typedef struct {
    double w;   /* weight of the bucket's rows */
    uint64_t n; /* their number */
} bucket_t;

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

/* The line from its quantile Q: the kernel sums at Q (an observed value:
 * its largest term is at t = 0) and at the line over the rows (y, w) — all
 * rows, or a list holding every row within 9.2 bandwidths of both — then
 * c->z, N̂·f̂ at the line for the whole sample (c->fz_full) and Z[p] (the
 * PSU sums of 1[y <= Q] − p) scaled into the line's influence. */
static int32_t line_from_quantile(pctx *c, double Q, double frac, double h, const double *y,
                                  const double *w, size_t n) {
    double zline = frac * Q, x[2] = {Q, zline}, F[2], t2min[2];
    socind__gauss_sums(y, w, n, x, 1.0 / h, F, t2min);
    /* valid when a row lies within √2 bandwidths of the line (else the
       pruning is not safe and the domain code computes it again) */
    c->fz_full = t2min[1] <= 2.0 ? F[1] / h : NAN;
    double fN = F[0] / h;
    if (!(fN > 0.0))
        return socind__fail(SOCIND_ERR_DATA, "the income density at the quantile is 0");
    c->z = zline;
    for (size_t p = 0; p < c->d->npsu; p++) c->Z[p] *= -frac / fN;
    return SOCIND_OK;
}

/* The relative quantile line's second pass, over the rows' bucket keys:
 * each PSU's Σ w(1[y <= Q] − p) for the rows outside Q's bucket, and two
 * lists — the bucket's rows (Q is selected among them; their 1[y <= Q]
 * follows), and the rows within 9.2 bandwidths of the bucket or of the
 * bucket times the fraction (the kernel sums at Q and at the line). */
static int32_t quantile_pass(pctx *c, const uint16_t *keys, const bucket_t *hist, uint16_t bucket,
                             long double target, double h, double frac, double pq) {
    const socind_design *d = c->d;
    const double *restrict y = c->y, *restrict w = d->w;
    const int32_t *restrict row_psu = d->row_psu;
    const uint16_t *restrict key = keys;
    const size_t n = d->n;
    double lo = key_bound(bucket, 0), hi = key_bound(bucket, 1);
    double reach = 9.2 * h; /* 9.2² > 83 */
    double q_lo = lo - reach, q_hi = hi + reach;
    double z_lo = frac * lo - reach, z_hi = frac * hi + reach;
    /* the lists' sizes are bounded by the rows of the buckets they overlap
       (hist[i].n: rows in bucket i) */
    size_t cap_q = 0, cap_z = 0; /* the two bands' rows: one list, at most their sum */
    for (uint64_t i = socind__order_key(q_lo) >> 48; i <= socind__order_key(q_hi) >> 48; i++)
        cap_q += hist[i].n;
    for (uint64_t i = socind__order_key(z_lo) >> 48; i <= socind__order_key(z_hi) >> 48; i++)
        cap_z += hist[i].n;
    struct {
        void *a;
        size_t n;
    } B = {socind__big_alloc((hist[bucket].n + 1) * sizeof(ywp)), 0},
      KY = {socind__big_alloc((cap_q + cap_z + 1) * sizeof(double)), 0},
      KW = {socind__big_alloc((cap_q + cap_z + 1) * sizeof(double)), 0};
    int32_t st = SOCIND_OK;
    if (!B.a || !KY.a || !KW.a)
        st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
    double *Zp = c->Z;
    int32_t zlast = -1;
    double zacc = 0.0;
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
                if (zlast >= 0) Zp[zlast] += zacc;
                zacc = 0.0;
                zlast = p;
            }
            /* 1[kb < bucket] as a bit mask: a branch here is mispredicted
               for half the rows */
            uint64_t ob = 0x3FF0000000000000ULL & (0 - (uint64_t)(kb < bucket));
            double below;
            memcpy(&below, &ob, sizeof below);
            zacc += wk * (below - pq);
            bb[nb].y = yk, bb[nb].w = wk, bb[nb].psu = p;
            nb += kb == bucket;
            ky[nk] = yk, kw[nk] = wk;
            nk += ((yk >= q_lo) & (yk <= q_hi)) | ((yk >= z_lo) & (yk <= z_hi));
        }
        B.n = nb, KY.n = KW.n = nk;
    }
    if (zlast >= 0) Zp[zlast] += zacc;
    double Q = NAN;
    if (!st) {
        /* Q among the bucket's rows; their share of the influence */
        yw *a = B.n ? malloc(B.n * sizeof *a) : NULL;
        if (B.n == 0) { /* cannot happen: the bucket was chosen for its rows */
            st = socind__fail(SOCIND_ERR_DATA, "no income in the quantile's bucket");
        } else if (!a) {
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
        } else {
            const ywp *bb = B.a;
            for (size_t i = 0; i < B.n; i++) a[i].y = bb[i].y, a[i].w = bb[i].w;
            Q = weighted_select(a, B.n, target);
            free(a);
            for (size_t i = 0; i < B.n; i++)
                if (bb[i].y <= Q) Zp[bb[i].psu] += bb[i].w;
        }
    }
    if (!st) {
        /* the listed rows: those near the bucket and near fraction × it */
        st = line_from_quantile(c, Q, frac, h, KY.a, KW.a, KY.n);
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
 * the moments, each PSU's Σ w, Σ w·1[y < a] and Σ w·1[y < fraction·a], and
 * keeps the rows in [a, b] (the quantile is selected among them) and in
 * fraction × [a, b] (their poverty waits for the line). The bracket is then
 * checked exactly: when the weight below a already reaches the quantile's
 * share, or the weight up to b does not (a sample that misrepresents the
 * rows, e.g. incomes periodic in the row order), the histogram path runs
 * instead, so the result never depends on the sample. The kernel sums at
 * the quantile and at the line take one more pass over the incomes. */
#define SAMPLE_ROWS 65536

_Thread_local int socind__qline_force_histogram;
_Thread_local int socind__qline_path;

/* Weighted p-quantile of a sample (a is reordered), -inf/+inf outside (0, 1). */
static double sample_quantile(yw *a, size_t m, double total, double p) {
    if (!(p > 0.0)) return -INFINITY;
    if (!(p < 1.0)) return INFINITY;
    return weighted_select(a, m, (long double)p * total);
}

/* The bracket [*a, *b] from a systematic sample and the shares of sampled
 * rows inside it and inside fraction × it; 0 if the sample cannot give one. */
static int sample_bracket(const pctx *c, double pq, double frac, double *a, double *b,
                          double share[2], int32_t *st) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w;
    const size_t n = d->n, stride = n > SAMPLE_ROWS ? n / SAMPLE_ROWS : 1;
    size_t cap = n / stride + 1, m = 0, seen = 0;
    yw *s = malloc(cap * sizeof *s);
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
static int32_t bracket_select(const rowlist *r, double a, double b, long double target, double *Q) {
    const size_t nb = r->n;
    const double *ry = r->y, *rw = r->w;
    enum { NBK = 4096 };
    double inv = NBK / (b - a);
    int direct = nb <= 4 * NBK || !isfinite(inv) || !(inv > 0.0);
    double *bw = direct ? NULL : calloc(NBK, sizeof *bw);
    size_t *bn = direct ? NULL : calloc(NBK, sizeof *bn);
    if (!direct && (!bw || !bn)) {
        free(bw), free(bn);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
    }
    long double before = 0.0L;
    size_t j = 0, m = nb;
    if (!direct) {
        for (size_t i = 0; i < nb; i++) {
            double v = (ry[i] - a) * inv; /* monotone in y */
            size_t k = v < NBK - 1 ? (size_t)v : NBK - 1;
            bw[k] += rw[i];
            bn[k]++;
        }
        while (j < NBK - 1 && !(bw[j] > 0.0 && before + bw[j] >= target)) before += bw[j++];
        m = bn[j];
    }
    yw *sel = malloc((m ? m : 1) * sizeof *sel);
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
    *Q = weighted_select(sel, t, target - before);
    free(sel), free(bw), free(bn);
    return SOCIND_OK;
}

/* PSU totals of w over listed rows (in row order) with y <= x (strictly
 * below when strict): running sums, flushed when the PSU changes. */
static void add_below(const rowlist *r, double x, int strict, double *tot) {
    int32_t last = -1;
    double acc = 0.0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->psu[i] != last) {
            if (last >= 0) tot[last] += acc;
            acc = 0.0;
            last = r->psu[i];
        }
        int in = strict ? r->y[i] < x : r->y[i] <= x;
        acc += in ? r->w[i] : 0.0;
    }
    if (last >= 0) tot[last] += acc;
}

/* The end of the run of rows in row k's PSU, at most lim (the design knows
 * it when each PSU's rows are consecutive). */
static size_t run_end(const socind_design *d, size_t k, size_t lim) {
    const int32_t *rp = d->row_psu;
    const int32_t p = rp[k];
    if (d->psu_end) return d->psu_end[p] < lim ? d->psu_end[p] : lim;
    size_t e = k + 1;
    while (e < lim && rp[e] == p) e++;
    return e;
}

static int32_t quantile_sampled(pctx *c, double frac, double pq, int *fallback) {
    const socind_design *d = c->d;
    const size_t n = d->n, P = d->npsu;
    const double *restrict y = c->y, *restrict w = d->w;
    const int32_t *restrict row_psu = d->row_psu;
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
    double *restrict Zq = c->Z, *restrict pH = c->pH, *restrict pN = c->pN;
    socind__ksum S1 = {0, 0}, S2 = {0, 0};
    int64_t nok = 0;
    double ymax = fabs(shift);
    const double br[4] = {a, b, fa, fb};
    /* runs of rows in one PSU, in pieces of at most SUM_BLOCK rows */
    for (size_t k = 0; k < n;) {
        int32_t p = row_psu[k];
        size_t e = run_end(d, k, k + SUM_BLOCK < n ? k + SUM_BLOCK : n);
        size_t len = e - k;
        if (!rowlist_room(&Bq, len + 8) || !rowlist_room(&Bz, len + 8)) {
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
            goto done;
        }
        double o[7];
        /* the sums, and the few rows in a bracket (Bq: weight > 0, for the
           selection) */
        size_t q0 = Bq.n, z0 = Bz.n;
        socind__qline_rows(y + k, w + k, len, shift, br, o, Bq.y, Bq.w, &Bq.n, Bz.y, Bz.w, &Bz.n);
        for (size_t i = q0; i < Bq.n; i++) Bq.psu[i] = p;
        for (size_t i = z0; i < Bz.n; i++) Bz.psu[i] = p;
        pN[p] += o[0], Zq[p] += o[1], pH[p] += o[2];
        socind__kadd(&S1, o[3]);
        socind__kadd(&S2, o[4]);
        nok += (int64_t)o[5];
        ymax = o[6] > ymax ? o[6] : ymax;
        k = e;
    }
    c->ymax = ymax;
    /* ±Inf, or incomes beyond 2^±SOCIND__SCALE_LIMIT: ctx_init decides */
    if (isinf(ymax) || (!c->ex && socind__scale_exponent(ymax))) goto done;
    /* N̂ and the weight below the bracket, from the PSU sums */
    socind__ksum N = {0, 0}, Wa = {0, 0}, Wb = {0, 0};
    for (size_t p = 0; p < P; p++) {
        socind__kadd(&N, pN[p]);
        socind__kadd(&Wa, Zq[p]);
    }
    for (size_t i = 0; i < Bq.n; i += SUM_BLOCK) {
        double sb = 0.0;
        for (size_t k = i; k < Bq.n && k < i + SUM_BLOCK; k++) sb += Bq.w[k];
        socind__kadd(&Wb, sb);
    }
    c->full.n = socind__kval(&N);
    c->full.shift = shift;
    c->full.s1 = socind__kval(&S1);
    c->full.s2 = socind__kval(&S2);
    c->have_full = 1;
    const double Nt = c->full.n, h = bandwidth(&c->full);
    if (!(Nt > 0.0) || !(h > 0.0)) goto done; /* the histogram path says why */
    /* the bracket holds the quantile when the weight below it is short of
       the target and the weight up to its top reaches it */
    long double below = socind__kval(&Wa), target = (long double)pq * Nt;
    if (Bq.n == 0 || !(below < target) || !(below + socind__kval(&Wb) >= target)) goto done;
    double Q = NAN;
    st = bracket_select(&Bq, a, b, target - below, &Q);
    if (st) goto done;
    /* the bracket's rows at or below Q join their PSU's Σ w·1[y <= Q]; the
       line bracket's poor rows their PSU's Σ w·1[poor] */
    add_below(&Bq, Q, 0, Zq);
    for (size_t p = 0; p < P; p++) Zq[p] -= pq * pN[p];
    const double zline = frac * Q;
    add_below(&Bz, zline, !c->L.inclusive, pH);
    *fallback = 0;
    st = line_from_quantile(c, Q, frac, h, y, w, n); /* over every row */
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

/* The relative line on the whole sample (c->z, c->Z, and the sums the
 * estimators reuse), from c->y; records in c->ymax the largest |y| its
 * first pass read, and returns SOCIND_OK early, leaving the rest, when that
 * pass saw ±Inf or incomes beyond 2^±SOCIND__SCALE_LIMIT (unless already
 * scaled): relative_line_checked decides. */
static int32_t relative_line(pctx *c) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w;
    const size_t P = d->npsu;
    int32_t st;
    if (c->L.type == SOCIND_LINE_RELATIVE_QUANTILE && !socind__qline_force_histogram) {
        int fallback;
        st = quantile_sampled(c, c->L.value, c->L.quantile, &fallback);
        if (st || !fallback) {
            socind__qline_path = 1;
            return st;
        }
        if (!isnan(c->ymax) && (isinf(c->ymax) || (!c->ex && socind__scale_exponent(c->ymax))))
            return SOCIND_OK; /* the pass saw ±Inf, or a scale to change */
    }
    socind__qline_path = 2;
    /* one pass: totals for a mean line, the whole sample's moments, and a
     * histogram of weights and counts over 65,536 order-preserving buckets */
    enum { NB = 65536 };
    int quant = c->L.type == SOCIND_LINE_RELATIVE_QUANTILE;
    bucket_t *hist = quant ? calloc(NB, sizeof *hist) : NULL;
    /* each row's bucket, so that the bucket's rows are found without
       reading the incomes again */
    uint16_t *keys = quant ? socind__big_alloc(d->n * sizeof *keys) : NULL;
    if (quant && (!hist || !keys)) {
        free(hist);
        free(keys);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
    }
    socind__ksum N = {0, 0}, S = {0, 0}, S1 = {0, 0}, S2 = {0, 0};
    double shift = NAN, ymax = 0.0;
    size_t m = 0;
    for (size_t b = 0; b < d->n; b += SUM_BLOCK) {
        size_t e = b + SUM_BLOCK < d->n ? b + SUM_BLOCK : d->n;
        double sn = 0.0, ss = 0.0, s1 = 0.0, s2 = 0.0;
        for (size_t k = b; k < e; k++) {
            double yk = y[k], wk = w[k];
            double ay = fabs(yk);
            ymax = ay > ymax ? ay : ymax; /* NaN: not greater */
            if (isnan(yk) || !(wk > 0.0)) {
                if (quant) keys[k] = NO_KEY;
                continue;
            }
            if (isnan(shift)) shift = yk;
            double dv = yk - shift;
            sn += wk;
            ss += wk * yk;
            s1 += wk * dv;
            s2 += wk * dv * dv;
            m++;
            if (quant) {
                uint16_t key = (uint16_t)(socind__order_key(yk) >> 48);
                keys[k] = key;
                hist[key].w += wk;
                hist[key].n++;
            }
        }
        socind__kadd(&N, sn);
        socind__kadd(&S, ss);
        socind__kadd(&S1, s1);
        socind__kadd(&S2, s2);
    }
    c->ymax = ymax;
    if (isinf(ymax) || (!c->ex && socind__scale_exponent(ymax))) {
        free(hist);
        free(keys);
        return SOCIND_OK; /* ±Inf, or a scale to change: ctx_init decides */
    }
    double Nt = socind__kval(&N);
    c->full.n = Nt;
    c->full.shift = shift;
    c->full.s1 = socind__kval(&S1);
    c->full.s2 = socind__kval(&S2);
    c->have_full = 1;
    if (m == 0 || !(Nt > 0)) {
        free(hist);
        free(keys);
        return socind__fail(SOCIND_ERR_EMPTY, "no income with a positive weight");
    }
    double frac = c->L.value;
    if (!quant) {
        double mu = socind__kval(&S) / Nt;
        c->z = frac * mu;
        for (size_t k = 0; k < d->n; k++) {
            if (isnan(y[k]) || !(w[k] > 0.0)) continue;
            c->Z[d->row_psu[k]] += w[k] * (y[k] - mu);
        }
        for (size_t p = 0; p < P; p++) c->Z[p] *= frac / Nt;
        return SOCIND_OK;
    }
    /* the bucket holding the p-quantile */
    double pq = c->L.quantile;
    long double total = 0.0L;
    for (size_t i = 0; i < NB; i++) total += hist[i].w;
    long double target = (long double)pq * total, before = 0.0L;
    size_t bucket = NB - 1;
    for (size_t i = 0; i < NB; i++) {
        if (hist[i].n > 0 && before + hist[i].w >= target) {
            bucket = i;
            break;
        }
        before += hist[i].w;
    }
    while (hist[bucket].n == 0 && bucket > 0) bucket--; /* rounding past the end */
    double h = bandwidth(&c->full);
    if (!(h > 0.0)) {
        free(hist);
        free(keys);
        return socind__fail(SOCIND_ERR_DATA, "every income is equal: no density at the quantile");
    }
    st = quantile_pass(c, keys, hist, (uint16_t)bucket, target - before, h, frac, pq);
    free(hist);
    free(keys);
    return st;
}

/* The relative line, with the checks ctx_init left to its first pass: an
 * income of ±Inf anywhere in y is refused naming its row; incomes beyond
 * 2^±SOCIND__SCALE_LIMIT are scaled by a power of 2 (as ctx_init scales them
 * for other estimators) and the line is made again from the scaled copy. */
static int32_t relative_line_checked(pctx *c) {
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

/* currency: the estimate is a total or ratio in the income's currency (gap,
 * shortfall), whose sums depend on the incomes' scale, not only on y/z */
static int32_t ctx_init(pctx *c, const socind_design *d, const double *y,
                        const socind_poverty_line *line, int nonpos, int need_second,
                        int currency) {
    memset(c, 0, sizeof *c);
    c->fz_full = NAN;
    if (!d) return socind__fail(SOCIND_ERR_NULL, "design is NULL");
    if (!y) return socind__fail(SOCIND_ERR_NULL, "y is NULL");
    int32_t st = validate_line(d, line, &c->L);
    if (st) return st;
    if (nonpos != SOCIND_NONPOS_ERROR && nonpos != SOCIND_NONPOS_EXCLUDE)
        return socind__fail(SOCIND_ERR_ARG, "unknown nonpositive policy %d", (int)nonpos);
    double amax = 0.0; /* the largest magnitude of an income or a line */
    int fixed = c->L.type == SOCIND_LINE_ABSOLUTE || c->L.type == SOCIND_LINE_PER_ROW;
    if (fixed && !currency) {
        /* FGT, the poor and Watts against fixed lines depend on y and z only
           through y/z and comparisons: their scale is the line's, and the
           row loops refuse a ±Inf income they read (no pass of its own) */
        c->scan_rows = 1;
    } else if (!fixed && !currency) {
        /* a relative line's first pass over every row finds the largest
           |y| (relative_line_checked): no pass of its own either */
        c->scan_rows = 2;
    } else {
        size_t inf_row = socind__first_infinite(y, d->n, &amax);
        if (inf_row < d->n)
            return socind__fail_row(SOCIND_ERR_DATA, inf_row,
                                    "y[%zu] is %g; incomes must be finite (NaN for missing)",
                                    inf_row, y[inf_row]);
    }
    if (c->L.type == SOCIND_LINE_ABSOLUTE) amax = c->L.value > amax ? c->L.value : amax;
    if (c->L.type == SOCIND_LINE_PER_ROW)
        for (size_t k = 0; k < d->n; k++) amax = c->L.lines[k] > amax ? c->L.lines[k] : amax;
    /* near the ends of the double range: incomes and lines times 2^−ex */
    c->ex = socind__scale_exponent(amax);
    if (c->ex) {
        c->ys = socind__big_alloc(d->n * sizeof *c->ys);
        if (c->L.type == SOCIND_LINE_PER_ROW) c->ls = socind__big_alloc(d->n * sizeof *c->ls);
        if (!c->ys || (c->L.type == SOCIND_LINE_PER_ROW && !c->ls))
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
        socind__scale_pow2(c->ys, sizeof *c->ys, y, sizeof *y, d->n, c->ex);
        y = c->ys;
        if (c->ls) {
            socind__scale_pow2(c->ls, sizeof *c->ls, c->L.lines, sizeof *c->L.lines, d->n, c->ex);
            c->L.lines = c->ls;
        }
        if (c->L.type == SOCIND_LINE_ABSOLUTE)
            socind__scale_pow2(&c->L.value, 0, &c->L.value, 0, 1, c->ex);
    }
    c->d = d;
    c->y = y;
    c->nonpos = nonpos;
    c->relative =
        c->L.type == SOCIND_LINE_RELATIVE_QUANTILE || c->L.type == SOCIND_LINE_RELATIVE_MEAN;
    c->z = c->L.type == SOCIND_LINE_ABSOLUTE ? c->L.value : NAN;
    size_t P = d->npsu;
    c->zH = calloc(P, sizeof *c->zH);
    c->zN = calloc(P, sizeof *c->zN);
    c->u1 = calloc(P, sizeof *c->u1);
    c->u2 = calloc(P, sizeof *c->u2);
    c->u3 = calloc(P, sizeof *c->u3);
    c->present = calloc(d->nstrata, 1);
    if (need_second) {
        c->zH2 = calloc(P, sizeof *c->zH2);
        c->zN2 = calloc(P, sizeof *c->zN2);
    }
    if (!c->zH || !c->zN || !c->u1 || !c->u2 || !c->u3 || !c->present ||
        (need_second && (!c->zH2 || !c->zN2)))
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    st = socind__work_init(&c->wk, d, 1);
    if (st) return st;
    if (!c->relative) return SOCIND_OK;
    c->Z = calloc(P, sizeof *c->Z);
    if (!c->Z) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    return relative_line_checked(c);
}

typedef struct {
    double H, N, D;
    int64_t n;
} comp;

/* ---- Domains ----
 *
 * A domain's per-PSU vectors are non-zero only on the PSUs its rows touch
 * (c->dom, kept in ascending PSU order so that sums over it add in the order
 * of a loop over every PSU, zeros skipped: the same bits), except for the
 * whole-sample terms (a relative line's D·Z, the profile's whole-sample
 * totals), which every pvec carries as coefficients g; their part of the
 * variance comes from c->basis (design.c). Every buffer is 0 outside dom,
 * so a domain costs O(its rows + the PSUs they touch), and moving to the next
 * domain clears only dom. With c->dense (a test's reference) dom lists every
 * PSU, the whole-sample terms are added into s and the variance runs over
 * every PSU, as before. */

/* Clears the previous domain's entries (its PSUs) of every scratch buffer. */
static void domain_begin(pctx *c) {
    if (c->dense) return;
    double *zH2 = c->second_is_basis ? NULL : c->zH2, *zN2 = c->second_is_basis ? NULL : c->zN2;
    double *buf[7] = {c->zH, c->zN, c->u1, c->u2, c->u3, zH2, zN2};
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        for (int i = 0; i < 7; i++)
            if (buf[i]) buf[i][p] = 0.0;
    }
    socind__psuset_clear(&c->dom);
}

/* Zeroes a component's two vectors where they may hold values. */
static void begin_component(pctx *c, pvec *H, pvec *N) {
    const socind_design *d = c->d;
    if (c->dense) {
        memset(H->s, 0, d->npsu * sizeof *H->s);
        memset(N->s, 0, d->npsu * sizeof *N->s);
        memset(c->present, 0, d->nstrata);
    } else {
        for (size_t t = 0; t < c->dom.n; t++) H->s[c->dom.list[t]] = N->s[c->dom.list[t]] = 0.0;
    }
    memset(H->g, 0, sizeof H->g);
    memset(N->g, 0, sizeof N->g);
    c->all_present = 0;
}

/* Totals H and N of a component from its PSU sums (compensated), over the
 * domain's PSUs in ascending order. */
static void component_totals(const pctx *c, const double *zH, const double *zN, int64_t n, double D,
                             comp *out) {
    socind__ksum H = {0, 0}, N = {0, 0};
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        socind__kadd(&H, zH[p]);
        socind__kadd(&N, zN[p]);
    }
    out->H = socind__kval(&H);
    out->N = socind__kval(&N);
    out->n = n;
    out->D = D;
}

/* A relative line's term in a component's PSU totals: H += D·Z, with D the
 * component's ∂H/∂z (N̂·f̂(z), the domain's density, for FGT0 and the number
 * of poor); every stratum then counts as present (Z spans the sample). */
static void line_term(pctx *c, int need_density, const size_t *rows, size_t nr, pvec *H,
                      comp *out) {
    const socind_design *d = c->d;
    if (out->n == 0 || !c->relative) return;
    if (need_density) {
        double fN = (!rows && !isnan(c->fz_full)) ? c->fz_full : density_times_n(c, rows, nr, c->z);
        out->D = isnan(fN) ? 0.0 : fN;
    }
    if (c->dense) {
        for (size_t p = 0; p < d->npsu; p++) H->s[p] += out->D * c->Z[p];
        memset(c->present, 1, d->nstrata);
    } else {
        H->g[BASIS_Z] = out->D;
    }
    c->all_present = 1;
}

/* One component over rows (NULL: all rows) into H/N (per-PSU totals, the
 * line's term included in H), the domain's PSUs and the present strata. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int32_t
component_impl(pctx *c, const int kind, double alpha, const size_t *rows, const int has_rows,
               size_t nr, pvec *H, pvec *N, comp *out, const int apow, const int incl,
               const int has_lines) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w, *lines = has_lines ? c->L.lines : NULL;
    begin_component(c, H, N);
    double *zH = H->s, *zN = N->s;
    socind__ksum D = {0, 0};
    int64_t n = 0;
    double zs = c->z;
    int need_density = c->relative && (kind == KIND_POOR || (kind == KIND_FGT && alpha == 0.0));
    const int watts_rows = kind == KIND_WATTS || c->watts_rows;
    const double invz = 1.0 / c->z;
    /* locals, so that stores through present (a char pointer, which may
     * alias anything) do not force reloads inside the loop */
    const int relative = c->relative, nonpos = c->nonpos;
    const int32_t *row_psu = d->row_psu, *psu_stratum = d->psu_stratum;
    unsigned char *present = c->present;
    socind__psuset dom = c->dom;
    /* PSU sums stay in registers while consecutive rows share a PSU */
    int32_t last = -1;
    double sh = 0.0, sw = 0.0;
    size_t infinite = SIZE_MAX;
    for (size_t i = 0; i < nr; i++) {
        size_t k = has_rows ? rows[i] : i;
        double yk = y[k];
        double z = lines ? lines[k] : zs;
        /* one test for a missing and an infinite income (the latter refused
           here for fixed lines, where ctx_init left it to the rows) */
        if (__builtin_expect(!(fabs(yk) <= DBL_MAX), 0)) {
            if (isnan(yk)) continue;
            infinite = k; /* named after the loop: no call inside it */
            break;
        }
        if (lines && isnan(z)) continue;
        if (watts_rows && !(yk > 0.0)) {
            if (nonpos == SOCIND_NONPOS_EXCLUDE) continue;
            return socind__fail_row(
                SOCIND_ERR_NONPOSITIVE, k,
                "y[%zu] is %g; the Watts index needs incomes > 0 (or exclude them)", k, yk);
        }
        int poor = incl ? yk <= z : yk < z;
        double h = 0.0;
        if (apow == 0 || (apow >= 1 && apow <= 2 && !relative)) {
            /* FGT 0/1/2 against a fixed line: no branch on poverty (it would
             * be mispredicted for every poor person) */
            double v = 1.0;
            if (apow > 0) {
                /* a scalar line multiplies by 1/z (within an ulp of the
                 * division; a division per row costs more than the rest) */
                double g = lines ? (z - yk) / z : (z - yk) * invz;
                v = apow == 1 ? g : g * g;
            }
            /* h = poor ? v : 0, as a bit mask (compilers turn the ternary
             * into a branch here) */
            uint64_t vb;
            memcpy(&vb, &v, sizeof vb);
            vb &= (uint64_t)0 - (uint64_t)poor;
            memcpy(&h, &vb, sizeof h);
        } else if (poor) {
            switch (kind) {
            case KIND_FGT: {
                double g = (z - yk) / z;
                h = apow == 0 ? 1.0 : apow == 1 ? g : apow == 2 ? g * g : pow(g, alpha);
                /* ∂h/∂z = α·g^(α−1)·(y/z)/z: the 1/z is applied to the
                   sum (z·z leaves the double range long before z does) */
                if (relative && alpha > 0.0 && yk != z)
                    socind__kadd(&D, w[k] * alpha * pow(g, alpha - 1.0) * (yk / z));
                break;
            }
            case KIND_POOR:
                h = 1.0;
                break;
            case KIND_GAP:
                h = z - yk;
                if (relative) socind__kadd(&D, w[k]);
                break;
            default: /* KIND_WATTS */
                h = log(z / yk);
                if (relative) socind__kadd(&D, w[k]); /* ∂h/∂z = 1/z, applied to the sum */
                break;
            }
        }
        int32_t p = row_psu[k];
        if (p != last) {
            if (last >= 0) {
                zH[last] += sh;
                zN[last] += sw;
                present[psu_stratum[last]] = 1;
                socind__psuset_add(&dom, last);
            }
            sh = sw = 0.0;
            last = p;
        }
        sh += w[k] * h;
        sw += w[k];
        n++;
    }
    if (last >= 0) {
        zH[last] += sh;
        zN[last] += sw;
        present[psu_stratum[last]] = 1;
        socind__psuset_add(&dom, last);
    }
    c->dom = dom;
    if (infinite != SIZE_MAX)
        return socind__fail_row(SOCIND_ERR_DATA, infinite,
                                "y[%zu] is %g; incomes must be finite (NaN for missing)", infinite,
                                y[infinite]);
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    /* FGT and Watts sum their derivatives without the common factor 1/z
       (a relative line is one scalar; other lines have no derivative) */
    double dz = socind__kval(&D);
    if (relative && (kind == KIND_FGT || kind == KIND_WATTS)) dz /= zs;
    component_totals(c, zH, zN, n, dz, out);
    line_term(c, need_density, rows, nr, H, out);
    return SOCIND_OK;
}

/* FGT0 or the number of poor on the whole sample from the sums the line's
 * pass made (the same totals as the row loop). */
static int32_t component_pre(pctx *c, pvec *H, pvec *N, comp *out) {
    const socind_design *d = c->d;
    begin_component(c, H, N);
    memcpy(H->s, c->pH, d->npsu * sizeof *H->s);
    memcpy(N->s, c->pN, d->npsu * sizeof *N->s);
    /* the whole sample: every PSU (every stratum is present anyway) */
    for (size_t p = 0; p < d->npsu; p++) socind__psuset_add(&c->dom, (int32_t)p);
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    component_totals(c, H->s, N->s, c->pn, 0.0, out);
    line_term(c, 1, NULL, d->n, H, out);
    return SOCIND_OK;
}

#define BUF_WATTS 512
/* Adds w·log(z/y) of the buffered poor rows (row order) to their PSU totals:
 * the incomes (and lines) gathered, log(z/y) over the buffer at once, then
 * running PSU sums. tmp holds 2·BUF_WATTS values. */
static void watts_drain(const pctx *c, const size_t *buf, size_t nb, double *tmp, double *zH) {
    const double *y = c->y, *w = c->d->w,
                 *lines = c->L.type == SOCIND_LINE_PER_ROW ? c->L.lines : NULL;
    const int32_t *row_psu = c->d->row_psu;
    for (size_t j = 0; j < nb; j++) tmp[j] = y[buf[j]];
    if (lines)
        for (size_t j = 0; j < nb; j++) tmp[BUF_WATTS + j] = lines[buf[j]];
    socind__log_ratio_many(tmp, lines ? tmp + BUF_WATTS : NULL, c->z, nb);
    int32_t last = -1;
    double acc = 0.0;
    for (size_t j = 0; j < nb; j++) {
        int32_t p = row_psu[buf[j]];
        if (p != last) {
            if (last >= 0) zH[last] += acc;
            acc = 0.0;
            last = p;
        }
        acc += w[buf[j]] * tmp[j];
    }
    if (last >= 0) zH[last] += acc;
}

/* Watts against fixed lines: log() only for the poor, without a branch per
 * row. The row pass sums weights per PSU and appends the poor rows to a small
 * buffer (always written, advanced only for the poor); the buffer is drained
 * with log(z/y) into the PSU totals. */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline int32_t
watts_fixed_impl(pctx *c, const size_t *rows, const int has_rows, size_t nr, pvec *H, pvec *N,
                 comp *out, const int has_lines, const int incl) {
    const socind_design *d = c->d;
    const double *y = c->y, *w = d->w, *lines = has_lines ? c->L.lines : NULL;
    const int32_t *row_psu = d->row_psu, *psu_stratum = d->psu_stratum;
    const int exclude = c->nonpos == SOCIND_NONPOS_EXCLUDE;
    const double zs = c->z;
    begin_component(c, H, N);
    double *zH = H->s, *zN = N->s;
    unsigned char *present = c->present;
    socind__psuset dom = c->dom;
    enum { BUF = BUF_WATTS };
    size_t buf[BUF + 1];
    double tmp[2 * BUF];
    size_t nb = 0;
    int64_t n = 0;
    int32_t last = -1;
    double sw = 0.0;
    for (size_t i = 0; i < nr; i++) {
        size_t k = has_rows ? rows[i] : i;
        double yk = y[k];
        double z = has_lines ? lines[k] : zs;
        /* one test for a missing, an infinite (a fixed line: ctx_init left
           that to the rows) and a non-positive income */
        if (__builtin_expect(!(yk > 0.0 && yk <= DBL_MAX), 0)) {
            if (isnan(yk)) continue;
            if (isinf(yk))
                return socind__fail_row(SOCIND_ERR_DATA, k,
                                        "y[%zu] is %g; incomes must be finite (NaN for missing)", k,
                                        yk);
            if (exclude) continue;
            return socind__fail_row(
                SOCIND_ERR_NONPOSITIVE, k,
                "y[%zu] is %g; the Watts index needs incomes > 0 (or exclude them)", k, yk);
        }
        if (has_lines && isnan(z)) continue;
        int poor = incl ? yk <= z : yk < z;
        buf[nb] = k;
        nb += (size_t)poor;
        int32_t p = row_psu[k];
        if (p != last) {
            if (last >= 0) {
                zN[last] += sw;
                present[psu_stratum[last]] = 1;
                socind__psuset_add(&dom, last);
            }
            sw = 0.0;
            last = p;
        }
        sw += w[k];
        n++;
        if (nb == BUF) {
            watts_drain(c, buf, nb, tmp, zH);
            nb = 0;
        }
    }
    if (last >= 0) {
        zN[last] += sw;
        present[psu_stratum[last]] = 1;
        socind__psuset_add(&dom, last);
    }
    watts_drain(c, buf, nb, tmp, zH);
    c->dom = dom;
    if (!c->dense) socind__psuset_sort(&c->dom, d->npsu, c->dom_tmp);
    component_totals(c, zH, zN, n, 0.0, out);
    return SOCIND_OK;
}

/* The Watts row loop specialised for the poverty rule, per-row lines and a
 * row index. */
static int32_t component_watts_fixed(pctx *c, const size_t *rows, size_t nr, pvec *H, pvec *N,
                                     comp *out) {
    const int lines = c->L.type == SOCIND_LINE_PER_ROW, incl = c->L.inclusive;
#define WATTS_CALL(L, I)                                                                           \
    (rows ? watts_fixed_impl(c, rows, 1, nr, H, N, out, L, I)                                      \
          : watts_fixed_impl(c, NULL, 0, nr, H, N, out, L, I))
    if (lines) return incl ? WATTS_CALL(1, 1) : WATTS_CALL(1, 0);
    return incl ? WATTS_CALL(0, 1) : WATTS_CALL(0, 0);
#undef WATTS_CALL
}

/* The row loop specialised for each kind, FGT power (α = 0, 1, 2 without
 * pow; R's x^2 is x*x too), poverty rule, and with or without a row index. */
#define COMPONENT_LINES(K, A, I, L)                                                                \
    (rows ? component_impl(c, K, alpha, rows, 1, nr, H, N, out, A, I, L)                           \
          : component_impl(c, K, alpha, NULL, 0, nr, H, N, out, A, I, L))
#define COMPONENT_CALL(K, A, I)                                                                    \
    (c->L.type == SOCIND_LINE_PER_ROW ? COMPONENT_LINES(K, A, I, 1) : COMPONENT_LINES(K, A, I, 0))
#define COMPONENT_INCL(K, A) (c->L.inclusive ? COMPONENT_CALL(K, A, 1) : COMPONENT_CALL(K, A, 0))

static int32_t component(pctx *c, int kind, double alpha, const size_t *rows, size_t nr, pvec *H,
                         pvec *N, comp *out) {
    if (!rows && c->have_pre && !c->watts_rows &&
        ((kind == KIND_FGT && alpha == 0.0) || kind == KIND_POOR))
        return component_pre(c, H, N, out);
    switch (kind) {
    case KIND_FGT:
        if (alpha == 0.0) return COMPONENT_INCL(KIND_FGT, 0);
        if (alpha == 1.0) return COMPONENT_INCL(KIND_FGT, 1);
        if (alpha == 2.0) return COMPONENT_INCL(KIND_FGT, 2);
        return COMPONENT_INCL(KIND_FGT, 3);
    case KIND_POOR:
        return COMPONENT_INCL(KIND_POOR, -1);
    case KIND_GAP:
        return COMPONENT_INCL(KIND_GAP, -1);
    default:
        if (!c->relative) return component_watts_fixed(c, rows, nr, H, N, out);
        return COMPONENT_INCL(KIND_WATTS, -1);
    }
}
#undef COMPONENT_INCL
#undef COMPONENT_CALL
#undef COMPONENT_LINES

/* u = (a − P·b)/N, for a ratio P = H/N the vector of u(P) (out may be a) */
static void ratio_vec(const pctx *c, const pvec *a, const pvec *b, double P, double N, pvec *u) {
    const double *as = a->s, *bs = b->s;
    double *us = u->s;
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        us[p] = ((as ? as[p] : 0.0) - P * (bs ? bs[p] : 0.0)) / N;
    }
    for (int i = 0; i < SOCIND__NBASIS; i++) u->g[i] = (a->g[i] - P * b->g[i]) / N;
}

/* The design variance of a domain's vector: over the domain's PSUs and
 * strata (a fixed line), or over every stratum (whole-sample terms). */
static int32_t vec_variance(pctx *c, const pvec *u, double *var) {
    if (c->dense) return socind__work_variance_dense(&c->wk, u->s, c->present, var);
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        *socind__touch(&c->wk, p) = u->s ? u->s[p] : 0.0;
    }
    if (!c->all_present) return socind__work_variance(&c->wk, var);
    return socind__work_variance_global(&c->wk, &c->basis, u->g, var);
}

/* An estimate with its SE from the vector u */
static void fillv_ci(pctx *c, socind_estimate *e, double value, const pvec *u, int64_t n,
                     double wsum, const socind_options *o, int is_prop) {
    socind__estimate_nan(e, SOCIND_OK);
    double var;
    int32_t st = vec_variance(c, u, &var);
    e->value = value;
    e->se = st ? NAN : sqrt(var);
    if (st) e->status = st;
    e->n = n;
    e->weight_sum = wsum;
    socind__fill_ci(e, o, c->d->df, is_prop);
}

static void fillv(pctx *c, socind_estimate *e, double value, const pvec *u, int64_t n, double wsum,
                  const socind_options *o) {
    fillv_ci(c, e, value, u, n, wsum, o, 0);
}

_Thread_local int socind__poverty_dense;

/* The domains' buffers and, for a relative line when with_basis, the
 * line's Z as the whole-sample vector (the profile adds its own). */
static int32_t ctx_domains_init(pctx *c, int with_basis) {
    const size_t P = c->d->npsu;
    c->dense = socind__poverty_dense != 0;
    c->vH.s = c->zH, c->vN.s = c->zN, c->vH2.s = c->zH2, c->vN2.s = c->zN2;
    c->v1.s = c->u1, c->v2.s = c->u2, c->v3.s = c->u3;
    c->dom.list = malloc(P * sizeof *c->dom.list);
    c->dom.mark = calloc(P, 1);
    if (!c->dense) c->dom_tmp = malloc(P * sizeof *c->dom_tmp);
    if (!c->dom.list || !c->dom.mark || (!c->dense && !c->dom_tmp))
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed");
    c->dom.n = 0;
    if (c->dense)
        for (size_t p = 0; p < P; p++) socind__psuset_add(&c->dom, (int32_t)p);
    else if (with_basis && c->relative) {
        const double *V[SOCIND__NBASIS] = {c->Z, NULL, NULL};
        return socind__basis_init(&c->basis, c->d, V);
    }
    return SOCIND_OK;
}

/* The shared driver: per domain j, call one of the indicator bodies. */
typedef int32_t (*body_fn)(pctx *c, const size_t *rows, size_t nr, double arg,
                           const socind_options *o, socind_estimate *out);

static int32_t body_gap(pctx *c, const size_t *rows, size_t nr, double a, const socind_options *o,
                        socind_estimate *out);
static int32_t body_shortfall(pctx *c, const size_t *rows, size_t nr, double a,
                              const socind_options *o, socind_estimate *out);

static int32_t drive(const socind_design *d, const double *y, const socind_poverty_line *line,
                     int nonpos, int need_second, double arg, const int32_t *group,
                     int32_t n_groups, const socind_options *opts, socind_estimate *out,
                     int per_group, body_fn body) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    int32_t G = group ? (n_groups > 0 ? n_groups : 1) : 1;
    for (int32_t j = 0; j < G * per_group; j++) socind__estimate_nan(&out[j], SOCIND_ERR_NULL);
    socind_options o;
    pctx c;
    socind__groups grp = {0};
    int32_t st = socind__resolve_options(opts, &o);
    if (!st)
        st = ctx_init(&c, d, y, line, nonpos, need_second,
                      body == body_gap || body == body_shortfall);
    else
        memset(&c, 0, sizeof c);
    if (!st) st = socind__groups_init(&grp, group, n_groups, d->n);
    if (!st) st = ctx_domains_init(&c, 1);
    int64_t used = 0;
    for (int32_t j = 0; !st && j < grp.ngroups; j++) {
        size_t nr = socind__group_size(&grp, j);
        const size_t *rows = grp.rows ? grp.rows + grp.start[j] : NULL;
        domain_begin(&c);
        st = body(&c, rows, nr, arg, &o, out + (size_t)j * per_group);
        for (int i = 0; i < per_group; i++) used += out[(size_t)j * per_group + i].n;
    }
    if (!st && used == 0)
        st = socind__fail(SOCIND_ERR_EMPTY, "no usable observation: every income is missing or "
                                            "outside the domains");
    if (st)
        for (int32_t j = 0; j < G * per_group; j++) socind__estimate_nan(&out[j], st);
    socind__groups_free(&grp);
    ctx_free(&c);
    return st;
}

static void empty_domain(const pctx *c, socind_estimate *e, int count) {
    for (int i = 0; i < count; i++) {
        socind__estimate_nan(&e[i], SOCIND_ERR_EMPTY_DOMAIN);
        e[i].df = c->d->df;
    }
}

/* ---- indicator bodies ---- */

static int32_t body_ratio_kind(pctx *c, const size_t *rows, size_t nr, double alpha,
                               const socind_options *o, socind_estimate *out, int kind) {
    comp k;
    int32_t st = component(c, kind, alpha, rows, nr, &c->vH, &c->vN, &k);
    if (st) return st;
    if (k.n == 0 || !(k.N > 0)) {
        empty_domain(c, out, 1);
        return SOCIND_OK;
    }
    double P = k.H / k.N;
    ratio_vec(c, &c->vH, &c->vN, P, k.N, &c->v1);
    /* P0 is a proportion: its interval follows opts->prop_ci */
    fillv_ci(c, out, P, &c->v1, k.n, k.N, o, kind == KIND_FGT && alpha == 0.0);
    return SOCIND_OK;
}

static int32_t body_fgt(pctx *c, const size_t *rows, size_t nr, double alpha,
                        const socind_options *o, socind_estimate *out) {
    return body_ratio_kind(c, rows, nr, alpha, o, out, KIND_FGT);
}
static int32_t body_watts(pctx *c, const size_t *rows, size_t nr, double alpha,
                          const socind_options *o, socind_estimate *out) {
    return body_ratio_kind(c, rows, nr, alpha, o, out, KIND_WATTS);
}

static int32_t body_total_kind(pctx *c, const size_t *rows, size_t nr, const socind_options *o,
                               socind_estimate *out, int kind) {
    comp k;
    int32_t st = component(c, kind, 0.0, rows, nr, &c->vH, &c->vN, &k);
    if (st) return st;
    if (k.n == 0) {
        empty_domain(c, out, 1);
        return SOCIND_OK;
    }
    fillv(c, out, k.H, &c->vH, k.n, k.N, o);
    if (kind == KIND_GAP) socind__estimate_scale(out, c->ex); /* currency */
    return SOCIND_OK;
}
static int32_t body_poor(pctx *c, const size_t *rows, size_t nr, double a, const socind_options *o,
                         socind_estimate *out) {
    (void)a;
    return body_total_kind(c, rows, nr, o, out, KIND_POOR);
}
static int32_t body_gap(pctx *c, const size_t *rows, size_t nr, double a, const socind_options *o,
                        socind_estimate *out) {
    (void)a;
    return body_total_kind(c, rows, nr, o, out, KIND_GAP);
}

static int32_t body_shortfall(pctx *c, const size_t *rows, size_t nr, double a,
                              const socind_options *o, socind_estimate *out) {
    (void)a;
    comp g, p;
    int32_t st = component(c, KIND_GAP, 0.0, rows, nr, &c->vH, &c->vN, &g);
    if (!st) st = component(c, KIND_POOR, 0.0, rows, nr, &c->vH2, &c->vN2, &p);
    if (st) return st;
    if (g.n == 0) {
        empty_domain(c, out, 1);
        return SOCIND_OK;
    }
    if (!(p.H > 0)) {
        socind__estimate_nan(out, SOCIND_ERR_DATA);
        out->n = g.n;
        out->weight_sum = g.N;
        out->df = c->d->df;
        return SOCIND_OK;
    }
    double R = g.H / p.H;
    ratio_vec(c, &c->vH, &c->vH2, R, p.H, &c->v1);
    fillv(c, out, R, &c->v1, g.n, g.N, o);
    socind__estimate_scale(out, c->ex); /* currency */
    return SOCIND_OK;
}

static int32_t body_fgtdec(pctx *c, const size_t *rows, size_t nr, double alpha,
                           const socind_options *o, socind_estimate *out) {
    comp k0, k1, kg;
    int32_t st = component(c, KIND_FGT, 0.0, rows, nr, &c->vH, &c->vN, &k0);
    if (st) return st;
    if (k0.n == 0 || !(k0.N > 0)) {
        empty_domain(c, out, SOCIND_FGTDEC_COUNT);
        return SOCIND_OK;
    }
    double N = k0.N, P0 = k0.H / N;
    ratio_vec(c, &c->vH, &c->vN, P0, N, &c->v1); /* u(P0) */
    fillv(c, &out[SOCIND_FGTDEC_P0], P0, &c->v1, k0.n, N, o);
    if ((st = component(c, KIND_FGT, 1.0, rows, nr, &c->vH, &c->vN, &k1))) return st;
    double P1 = k1.H / N;
    ratio_vec(c, &c->vH, &c->vN, P1, N, &c->v2); /* u(P1) */
    fillv(c, &out[SOCIND_FGTDEC_P1], P1, &c->v2, k0.n, N, o);
    if ((st = component(c, KIND_FGT, alpha, rows, nr, &c->vH, &c->vN, &kg))) return st;
    double Pg = kg.H / N;
    ratio_vec(c, &c->vH, &c->vN, Pg, N, &c->v3); /* u(Pα) */
    fillv(c, &out[SOCIND_FGTDEC_PALPHA], Pg, &c->v3, k0.n, N, o);
    if (!(P0 > 0)) {
        for (int i = SOCIND_FGTDEC_IGR; i <= SOCIND_FGTDEC_GE; i++) {
            socind__estimate_nan(&out[i], SOCIND_ERR_DATA);
            out[i].n = k0.n;
            out[i].df = c->d->df;
        }
        return SOCIND_OK;
    }
    double I = P1 / P0;
    /* u(IGR) = (u(P1) − IGR·u(P0))/P0, stored over u2 */
    ratio_vec(c, &c->v2, &c->v1, I, P0, &c->v2);
    fillv(c, &out[SOCIND_FGTDEC_IGR], I, &c->v2, k0.n, N, o);
    double g2 = alpha * alpha - alpha, Ig = pow(I, alpha);
    double ge = (Pg / (P0 * Ig) - 1.0) / g2;
    double dPg = 1.0 / (P0 * Ig * g2), dP0 = -Pg / (P0 * P0 * Ig * g2),
           dI = -alpha * Pg / (P0 * pow(I, alpha + 1.0) * g2);
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        c->u3[p] = dPg * c->u3[p] + dP0 * c->u1[p] + dI * c->u2[p];
    }
    for (int i = 0; i < SOCIND__NBASIS; i++)
        c->v3.g[i] = dPg * c->v3.g[i] + dP0 * c->v1.g[i] + dI * c->v2.g[i];
    fillv(c, &out[SOCIND_FGTDEC_GE], ge, &c->v3, k0.n, N, o);
    return SOCIND_OK;
}

static int32_t body_wattsdec(pctx *c, const size_t *rows, size_t nr, double a,
                             const socind_options *o, socind_estimate *out) {
    (void)a;
    comp kw, k0, k1;
    c->watts_rows = 1;
    int32_t st = component(c, KIND_WATTS, 0.0, rows, nr, &c->vH, &c->vN, &kw);
    if (st) return st;
    if (kw.n == 0 || !(kw.N > 0)) {
        empty_domain(c, out, SOCIND_WATTSDEC_COUNT);
        return SOCIND_OK;
    }
    double N = kw.N, W = kw.H / N;
    ratio_vec(c, &c->vH, &c->vN, W, N, &c->v1);
    fillv(c, &out[SOCIND_WATTSDEC_WATTS], W, &c->v1, kw.n, N, o);
    /* P0 and P1 over the same rows (Watts' exclusions apply to them too) */
    if ((st = component(c, KIND_FGT, 0.0, rows, nr, &c->vH, &c->vN, &k0))) return st;
    double P0 = k0.H / N;
    ratio_vec(c, &c->vH, &c->vN, P0, N, &c->v2);
    fillv(c, &out[SOCIND_WATTSDEC_P0], P0, &c->v2, kw.n, N, o);
    if ((st = component(c, KIND_FGT, 1.0, rows, nr, &c->vH, &c->vN, &k1))) return st;
    double P1 = k1.H / N;
    ratio_vec(c, &c->vH, &c->vN, P1, N, &c->v3);
    if (!(P0 > 0) || !(P0 > P1)) {
        for (int i = SOCIND_WATTSDEC_GAP_RATIO; i <= SOCIND_WATTSDEC_THEIL_POOR; i++) {
            socind__estimate_nan(&out[i], SOCIND_ERR_DATA);
            out[i].n = kw.n;
            out[i].df = c->d->df;
        }
        return SOCIND_OK;
    }
    double pgr = log(P0 / (P0 - P1));
    double a0 = 1.0 / P0 - 1.0 / (P0 - P1), a1 = 1.0 / (P0 - P1);
    /* u(W_pgr) into zN (free now), u(L_poor) into zH */
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        c->zN[p] = a0 * c->u2[p] + a1 * c->u3[p];
    }
    for (int i = 0; i < SOCIND__NBASIS; i++) c->vN.g[i] = a0 * c->v2.g[i] + a1 * c->v3.g[i];
    fillv(c, &out[SOCIND_WATTSDEC_GAP_RATIO], pgr, &c->vN, kw.n, N, o);
    double L = W / P0 - pgr;
    for (size_t t = 0; t < c->dom.n; t++) {
        int32_t p = c->dom.list[t];
        c->zH[p] = c->u1[p] / P0 - W / (P0 * P0) * c->u2[p] - c->zN[p];
    }
    for (int i = 0; i < SOCIND__NBASIS; i++)
        c->vH.g[i] = c->v1.g[i] / P0 - W / (P0 * P0) * c->v2.g[i] - c->vN.g[i];
    fillv(c, &out[SOCIND_WATTSDEC_THEIL_POOR], L, &c->vH, kw.n, N, o);
    return SOCIND_OK;
}

/* ---- public functions ---- */

int32_t socind_poverty_line_init(socind_poverty_line *line) {
    socind__clear_detail();
    if (!line) return socind__fail(SOCIND_ERR_NULL, "line is NULL");
    memset(line, 0, sizeof *line);
    line->size = sizeof *line;
    line->type = SOCIND_LINE_ABSOLUTE;
    line->value = NAN;
    line->quantile = 0.5;
    return SOCIND_OK;
}

/* SOCIND_ERR_ARG (with the detail) unless α is finite and >= 0 (> min_excl
 * when min_excl >= 0); every estimate of out[0 .. count) is then NaN with
 * that status. */
static int32_t check_alpha(double alpha, socind_estimate *out, int64_t count, double min_excl) {
    if (!(alpha >= 0.0) || isinf(alpha) || (min_excl >= 0 && !(alpha > min_excl))) {
        if (out)
            for (int64_t i = 0; i < count; i++) socind__estimate_nan(&out[i], SOCIND_ERR_ARG);
        return socind__fail(SOCIND_ERR_ARG, "alpha must be finite and %s %g, got %g",
                            min_excl >= 0 ? ">" : ">=", min_excl >= 0 ? min_excl : 0.0, alpha);
    }
    return SOCIND_OK;
}

int32_t socind_fgt(const socind_design *design, const double *y, const socind_poverty_line *line,
                   double alpha, const int32_t *group, int32_t n_groups, const socind_options *opts,
                   socind_estimate *out) {
    socind__clear_detail();
    if (out && check_alpha(alpha, out, group ? (n_groups > 0 ? n_groups : 1) : 1, -1))
        return SOCIND_ERR_ARG;
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, alpha, group, n_groups, opts, out, 1,
                 body_fgt);
}

int32_t socind_poor_count(const socind_design *design, const double *y,
                          const socind_poverty_line *line, const int32_t *group, int32_t n_groups,
                          const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, 0.0, group, n_groups, opts, out, 1,
                 body_poor);
}

int32_t socind_poverty_gap_total(const socind_design *design, const double *y,
                                 const socind_poverty_line *line, const int32_t *group,
                                 int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out) {
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, 0.0, group, n_groups, opts, out, 1,
                 body_gap);
}

int32_t socind_mean_shortfall(const socind_design *design, const double *y,
                              const socind_poverty_line *line, const int32_t *group,
                              int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 1, 0.0, group, n_groups, opts, out, 1,
                 body_shortfall);
}

int32_t socind_watts(const socind_design *design, const double *y, const socind_poverty_line *line,
                     int32_t nonpositive, const int32_t *group, int32_t n_groups,
                     const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, nonpositive, 0, 0.0, group, n_groups, opts, out, 1, body_watts);
}

int32_t socind_fgt_decomposition(const socind_design *design, const double *y,
                                 const socind_poverty_line *line, double alpha,
                                 const int32_t *group, int32_t n_groups, const socind_options *opts,
                                 socind_estimate *out) {
    socind__clear_detail();
    if (out && check_alpha(alpha, out,
                           SOCIND_FGTDEC_COUNT * (group ? (n_groups > 0 ? n_groups : 1) : 1), 1.0))
        return SOCIND_ERR_ARG;
    return drive(design, y, line, SOCIND_NONPOS_ERROR, 0, alpha, group, n_groups, opts, out,
                 SOCIND_FGTDEC_COUNT, body_fgtdec);
}

int32_t socind_watts_decomposition(const socind_design *design, const double *y,
                                   const socind_poverty_line *line, int32_t nonpositive,
                                   const int32_t *group, int32_t n_groups,
                                   const socind_options *opts, socind_estimate *out) {
    return drive(design, y, line, nonpositive, 0, 0.0, group, n_groups, opts, out,
                 SOCIND_WATTSDEC_COUNT, body_wattsdec);
}

int32_t socind_poverty_line_estimate(const socind_design *design, const double *y,
                                     const socind_poverty_line *line, const socind_options *opts,
                                     socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    socind__estimate_nan(out, SOCIND_ERR_NULL);
    socind_options o;
    pctx c;
    int32_t st = socind__resolve_options(opts, &o);
    if (!st && line && line->type == SOCIND_LINE_PER_ROW)
        st = socind__fail(SOCIND_ERR_ARG, "a per-row line has no single value to estimate");
    if (!st)
        st = ctx_init(&c, design, y, line, SOCIND_NONPOS_ERROR, 0, 1);
    else
        memset(&c, 0, sizeof c);
    if (!st) st = ctx_domains_init(&c, 1);
    if (!st) {
        int64_t n = 0;
        socind__ksum N = {0, 0};
        for (size_t k = 0; k < design->n; k++)
            if (!isnan(y[k])) {
                n++;
                socind__kadd(&N, design->w[k]);
            }
        if (n == 0) {
            st = socind__fail(SOCIND_ERR_EMPTY, "every income is missing");
        } else {
            /* the line's linearized variable: Z for a relative line (its
               term with D = 1), nothing for a fixed one (SE 0) */
            comp k = {.H = 0.0, .N = 0.0, .D = 1.0, .n = n};
            begin_component(&c, &c.v1, &c.v2);
            line_term(&c, 0, NULL, 0, &c.v1, &k);
            fillv(&c, out, c.z, &c.v1, n, socind__kval(&N), &o);
            socind__estimate_scale(out, c.ex); /* currency */
        }
    }
    if (st) socind__estimate_nan(out, st);
    ctx_free(&c);
    return st;
}

int32_t socind_poverty_profile(const socind_design *design, const double *y,
                               const socind_poverty_line *line, double alpha, const int32_t *group,
                               int32_t n_groups, const socind_options *opts, socind_estimate *out) {
    socind__clear_detail();
    if (!out) return socind__fail(SOCIND_ERR_NULL, "out is NULL");
    const int32_t G = n_groups > 0 ? n_groups : 1, K = SOCIND_PROFILE_COUNT;
    for (int32_t j = 0; j < G * K; j++) socind__estimate_nan(&out[j], SOCIND_ERR_NULL);
    if (!group) return socind__fail(SOCIND_ERR_NULL, "the profile needs a group column");
    if (check_alpha(alpha, out, (int64_t)G * K, -1)) return SOCIND_ERR_ARG;
    socind_options o;
    pctx c;
    socind__groups grp = {0};
    int32_t st = socind__resolve_options(opts, &o);
    if (!st)
        st = ctx_init(&c, design, y, line, SOCIND_NONPOS_ERROR, 1, 0);
    else
        memset(&c, 0, sizeof c);
    if (!st) st = socind__groups_init(&grp, group, n_groups, design->n);
    if (!st) st = ctx_domains_init(&c, 0);
    comp all;
    if (!st) st = component(&c, KIND_FGT, alpha, NULL, design->n, &c.vH2, &c.vN2, &all);
    if (!st && all.n == 0) st = socind__fail(SOCIND_ERR_EMPTY, "every income is missing");
    if (!st && !c.dense) {
        /* the whole sample's H and N by PSU become whole-sample vectors
           (with the line's Z), which every domain's share and contribution
           carry */
        const double *V[SOCIND__NBASIS] = {c.relative ? c.Z : NULL, c.zH2, c.zN2};
        st = socind__basis_init(&c.basis, design, V);
        c.vH2.s = c.vN2.s = NULL;
        c.vH2.g[BASIS_A] = 1.0;
        memset(c.vN2.g, 0, sizeof c.vN2.g);
        c.vN2.g[BASIS_B] = 1.0;
        c.second_is_basis = 1;
        socind__psuset_clear(&c.dom);
    }
    for (int32_t j = 0; !st && j < grp.ngroups; j++) {
        comp k;
        domain_begin(&c);
        st = component(&c, KIND_FGT, alpha, grp.rows + grp.start[j], socind__group_size(&grp, j),
                       &c.vH, &c.vN, &k);
        if (st) break;
        socind_estimate *e = out + (size_t)j * K;
        if (k.n == 0) {
            empty_domain(&c, e, K);
            continue;
        }
        double Pg = k.H / k.N;
        ratio_vec(&c, &c.vH, &c.vN, Pg, k.N, &c.v1);
        fillv(&c, &e[SOCIND_PROFILE_FGT], Pg, &c.v1, k.n, k.N, &o);
        /* the whole-sample terms reach every stratum */
        if (c.dense) memset(c.present, 1, design->nstrata);
        c.all_present = 1;
        double N = all.N, sh = k.N / N;
        ratio_vec(&c, &c.vN, &c.vN2, sh, N, &c.v1);
        fillv(&c, &e[SOCIND_PROFILE_SHARE], sh, &c.v1, k.n, k.N, &o);
        double ct = k.H / N;
        ratio_vec(&c, &c.vH, &c.vN2, ct, N, &c.v1);
        fillv(&c, &e[SOCIND_PROFILE_CONTRIBUTION], ct, &c.v1, k.n, k.N, &o);
        if (all.H > 0) {
            double pc = k.H / all.H;
            ratio_vec(&c, &c.vH, &c.vH2, pc, all.H, &c.v1);
            fillv(&c, &e[SOCIND_PROFILE_CONTRIBUTION_SHARE], pc, &c.v1, k.n, k.N, &o);
        } else {
            socind_estimate *cs = &e[SOCIND_PROFILE_CONTRIBUTION_SHARE];
            socind__estimate_nan(cs, SOCIND_ERR_DATA);
            cs->n = k.n;
            cs->df = design->df;
        }
    }
    if (st)
        for (int32_t j = 0; j < G * K; j++) socind__estimate_nan(&out[j], st);
    socind__groups_free(&grp);
    ctx_free(&c);
    return st;
}

int32_t socind_ppp_line(double daily_line, double ppp_factor, double cpi_survey, double cpi_base,
                        double days_per_period, double *line) {
    socind__clear_detail();
    if (!line) return socind__fail(SOCIND_ERR_NULL, "line is NULL");
    *line = NAN;
    const double v[5] = {daily_line, ppp_factor, cpi_survey, cpi_base, days_per_period};
    static const char *names[5] = {"daily_line", "ppp_factor", "cpi_survey", "cpi_base",
                                   "days_per_period"};
    for (int i = 0; i < 5; i++)
        if (!(v[i] > 0.0) || isinf(v[i]))
            return socind__fail(SOCIND_ERR_ARG, "%s must be finite and > 0, got %g", names[i],
                                v[i]);
    /* the product of the mantissas, in the formula's order, times 2 to the
       sum of the exponents: the formula's own bits wherever its products
       stay normal doubles, and nothing lost where one would leave the range
       (overflow, or a subnormal intermediate) while the line does not */
    int e[5];
    double f[5];
    for (int i = 0; i < 5; i++) f[i] = frexp(v[i], &e[i]);
    double m = f[0] * f[1] * (f[2] / f[3]) * f[4];
    *line = ldexp(m, e[0] + e[1] + e[2] - e[3] + e[4]);
    if (!(*line <= DBL_MAX)) {
        *line = NAN;
        return socind__fail(SOCIND_ERR_OVERFLOW, "the line exceeds the double range");
    }
    if (!(*line >= DBL_MIN)) {
        *line = NAN;
        return socind__fail(SOCIND_ERR_RANGE, "the line is below the smallest normal double (%g)",
                            DBL_MIN);
    }
    return SOCIND_OK;
}
