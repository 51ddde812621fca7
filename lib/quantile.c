/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/quantile.c — the weighted quantile, one rule for the whole library:
 * R's qrule "math" (survey's svyquantile, the quantile convey's svyarpt
 * takes for a relative poverty line). Over rows (y_k, w_k > 0) with total
 * weight N, the p-quantile is the smallest y whose cumulative weight share
 * reaches p,
 *
 *     Q(p) = min{ y_(j) : W_j / N >= p },
 *
 * W_j the weight of the rows up to the j-th in ascending order and N the
 * total, each the exact sum correctly rounded to a double — unless the
 * exact sum lies closer to a rounding boundary than n²·2^−106 times itself
 * (Ogita, Rump and Oishi's bound for such pairs over n terms of one sign;
 * far less in practice) — sums in pairs that keep every addition's
 * rounding error (socind__ksum here; socind__block_sums, the
 * relative line's passes and the states' pairs for N), and W_j / N the
 * double share R compares (socind__share_reaches). Every path — in memory,
 * on threads, from states — then takes the same row. With decimal weights
 * the rows below a value often hold exactly p of the total (0.7 + 0.3 +
 * 1.7 + 0.1 = 2.8 of 5.6), and a W or N one unit in the last place off
 * would take the next value (tests/test_quantile_share.c).
 *
 * R (survey's qs() in R/qrule.R) sums in long double, sum(w) in the rows'
 * order and cumsum in ascending order, rounding once to a double (before
 * rounding, within about n·2^−64 times the sum of the exact one), so that
 * with 10^4 to 10^6 rows and two-decimal weights its W or N is one unit in
 * the last place off the exact sum in a few draws in a hundred; where that
 * share is exactly p, R takes the next value and socind the exact one.
 * survey writes the rule as pos = the last row with W <= fl(p·N), its
 * value when p − W_pos/N <= 0, else the next; that is ours but where two
 * cumulative shares round to the same double (weights 2^−53 of the total
 * apart), when it may take the later row. Where no share reaches p (p
 * above 1, or rounding at p = 1), Q is the largest y. The rule is applied
 * three ways, each giving that same row:
 *  - a scan of rows sorted by y (socind__wq_sorted), where they are sorted
 *    anyway (the Gini, a domain's small quantiles);
 *  - selection among rows in any order, O(n) expected (socind__wq_select):
 *    three-way partitions around a median-of-three pivot, the weight below
 *    the part kept carried along;
 *  - a histogram of 65,536 buckets, the top 16 bits of each y's order key
 *    (socind__qhist): the bucket where the share is first reached is found
 *    with the weight below it, and selection runs on that bucket's rows
 *    only (socind__wq_unsorted; the relative poverty line fills its own
 *    histogram inside its pass over the rows, poverty_line.c).
 * Used by inequality.c (quantiles, Woodruff limits, share ratios) and
 * poverty_line.c (a relative quantile line, the bracket of its sample). */
#include <stdlib.h>

#include "internal.h"

double socind__wq_select(socind__yw *a, size_t n, socind__ksum before, double N, double p) {
    size_t lo = 0, hi = n; /* [lo, hi) */
    while (hi - lo > 1) {
        double p1 = a[lo].y, p2 = a[lo + (hi - lo) / 2].y, p3 = a[hi - 1].y;
        double piv =
            p1 < p2 ? (p2 < p3 ? p2 : (p1 < p3 ? p3 : p1)) : (p1 < p3 ? p1 : (p2 < p3 ? p3 : p2));
        /* Dutch-flag partition: [lo, lt) < piv, [lt, gt) == piv, [gt, hi) > piv */
        size_t lt = lo, i = lo, gt = hi;
        socind__ksum wl = {0, 0}, we = {0, 0};
        while (i < gt) {
            if (a[i].y < piv) {
                socind__kadd(&wl, a[i].w);
                socind__yw t = a[lt];
                a[lt++] = a[i];
                a[i++] = t;
            } else if (a[i].y > piv) {
                socind__yw t = a[--gt];
                a[gt] = a[i];
                a[i] = t;
            } else {
                socind__kadd(&we, a[i].w);
                i++;
            }
        }
        const socind__ksum upto_l = socind__ksum_plus(before, wl),
                           upto_e = socind__ksum_plus(upto_l, we);
        if (lt > lo && socind__share_reaches(socind__kval(&upto_l), N, p)) {
            hi = lt;
        } else if (socind__share_reaches(socind__kval(&upto_e), N, p)) {
            return piv;
        } else {
            before = upto_e;
            lo = gt;
            if (lo >= hi) return piv; /* never reached: the largest value */
        }
    }
    return a[lo].y;
}

double socind__wq_sorted(const socind__item *a, size_t n, double N, double p) {
    socind__ksum cum = {0, 0};
    for (size_t i = 0; i < n; i++) {
        socind__kadd(&cum, a[i].w);
        if (socind__share_reaches(socind__kval(&cum), N, p)) return a[i].y;
    }
    return n ? a[n - 1].y : NAN;
}

int32_t socind__qhist_init(socind__qhist *h) {
    h->w = calloc(SOCIND__QHIST_BUCKETS, sizeof *h->w);
    h->n = calloc(SOCIND__QHIST_BUCKETS, sizeof *h->n);
    if (h->w && h->n) return SOCIND_OK;
    socind__qhist_free(h);
    return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
}

void socind__qhist_free(socind__qhist *h) {
    free(h->w), free(h->n);
    h->w = NULL, h->n = NULL;
}

size_t socind__qhist_find(const socind__qhist *h, double N, double p, socind__ksum *before) {
    socind__ksum b = {0, 0}, last_before = {0, 0};
    size_t last = 0;
    for (size_t k = 0; k < SOCIND__QHIST_BUCKETS; k++) {
        if (!h->n[k]) continue;
        const socind__ksum upto = socind__ksum_plus(b, h->w[k]);
        if (socind__share_reaches(socind__kval(&upto), N, p)) {
            *before = b;
            return k;
        }
        last = k, last_before = b;
        b = upto;
    }
    /* never reached: the last bucket with rows (its largest value follows) */
    *before = last_before;
    return last;
}

int32_t socind__wq_unsorted(const socind__item *a, size_t n, double N, const double *ps, int np,
                            double *q) {
    enum { MAXP = 2 };
    socind__qhist h = {NULL, NULL};
    int32_t st = socind__qhist_init(&h);
    if (st) return st;
    for (size_t i = 0; i < n; i++) socind__qhist_add(&h, a[i].y, a[i].w);
    /* each p's bucket and the weight below it */
    size_t bk[MAXP];
    socind__ksum before[MAXP];
    for (int j = 0; j < np; j++) bk[j] = socind__qhist_find(&h, N, ps[j], &before[j]);
    /* the buckets' rows, in one pass */
    socind__yw *b[MAXP] = {NULL, NULL};
    size_t m[MAXP] = {0, 0};
    for (int j = 0; j < np && !st; j++)
        if (!(b[j] = malloc((h.n[bk[j]] ? h.n[bk[j]] : 1) * sizeof *b[j])))
            st = socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the quantile");
    if (!st) {
        for (size_t i = 0; i < n; i++) {
            size_t k = socind__qhist_bucket(a[i].y);
            for (int j = 0; j < np; j++)
                if (k == bk[j]) b[j][m[j]].y = a[i].y, b[j][m[j]++].w = a[i].w;
        }
        for (int j = 0; j < np; j++) q[j] = socind__wq_select(b[j], m[j], before[j], N, ps[j]);
    }
    for (int j = 0; j < np; j++) free(b[j]);
    socind__qhist_free(&h);
    return st;
}
