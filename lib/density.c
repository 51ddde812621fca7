/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/density.c — convey's Gaussian kernel density, one implementation for
 * the library: the density of the incomes at a relative line's quantile and
 * at the line (poverty_line.c), and at a share ratio's quantiles with the
 * income-weighted sum Ŝ'(q) (inequality.c). With N̂ = Σ w and σ̂ the
 * weighted SD (divisor N̂), the bandwidth is h = σ̂/N̂^(1/5) and
 *
 *     F(x) = N̂·f̂(x) = Σ_k w_k φ(t_k)/h,   G(x) = Σ_k w_k y_k φ(t_k)/h,
 *     t_k = (x − y_k)/h (computed as (x − y_k)·(1/h)),
 *
 * over the rows with a non-NaN y and a weight > 0.
 *
 * Truncation: a term far from x is below anything the sum can hold, so
 * exp() runs only near x. The rule, with S the raw sum Σ w e^(−t²/2) of
 * the terms kept and W the weight of all the rows:
 *  1. first keep the terms with t² <= 100 (SOCIND__KERNEL_CUT; 10
 *     bandwidths). Each term left out is below w_k·e^−50, so together they
 *     are below W·e^−50.
 *  2. If W·e^−50 <= 2^−53·S, that bound is below the last bit of the sum
 *     itself: done.
 *  3. Otherwise (x far from most rows: a line in a domain's tail), the sum
 *     is made again keeping every term with t² <= c = 2·(ln W − ln S +
 *     53·ln 2) + 1, with the C library's exp() (every term when S = 0). The
 *     terms left out are then below W·e^(−c/2) < 2^−53·S <= 2^−53·S',
 *     S' >= S the new sum.
 * So whatever the data, the terms left out add up to less than 2^−53·F,
 * the unit roundoff of F (half an ulp at most): F is the full sum to its
 * own rounding. For G, each left-out term is |y_k| times F's, so G's are
 * below 2^−53·F·max|y|. (When S = 0 every term is kept and only exp()'s
 * underflow, below 4.9e−324 of a weight, is lost.) tests/test_kernel.c
 * checks F and G against the full sums in long double where the first
 * pass suffices, where the bound sends it to the second (heavy rows just
 * beyond the cut-off), and far from every row.
 *
 * The sums run in blocks of SOCIND__KERNEL_BLOCK rows (kernel.c evaluates a
 * block, eight rows at a time on AVX-512 processors), plain within a block
 * and compensated across blocks; rows given by index or inside structs are
 * copied a block at a time onto the stack. */
#include "internal.h"

#define INV_SQRT_2PI 0.398942280401432677939946059934
#define LN2 0.693147180559945309417232121458

/* The moments about a shift (the first value where shift is NaN) at the
 * scale 2^−ex of the deviations y − shift: ex is set by the first
 * deviation that is not 0 and raised, the sums so far rescaled (exactly:
 * by a power of 2), by a later one beyond 2^SOCIND__SCALE_LIMIT at that
 * scale. A scale taken from the first value instead (1e−200 first among
 * incomes near 1e4) sent every other deviation past the doubles, and the
 * bandwidth to NaN. */
static void moments_rescale(int by, double *s1, double *s2, socind__ksum *S1, socind__ksum *S2) {
    *s1 = ldexp(*s1, -by), *s2 = ldexp(*s2, -2 * by);
    S1->s = ldexp(S1->s, -by), S1->c = ldexp(S1->c, -by);
    S2->s = ldexp(S2->s, -2 * by), S2->c = ldexp(S2->c, -2 * by);
}

static void moments_about(const socind__rowset *r, double shift, socind__moments *m) {
    const double *y = r->y, *w = r->w;
    const size_t st = r->stride, nr = r->n;
    socind__ksum N = {0, 0}, S1 = {0, 0}, S2 = {0, 0};
    int ex = 0, scaled = 0; /* scaled: ex set by a deviation */
    const double big = ldexp(1.0, SOCIND__SCALE_LIMIT);
    for (size_t b = 0; b < nr; b += SOCIND__SUM_BLOCK) {
        size_t e = b + SOCIND__SUM_BLOCK < nr ? b + SOCIND__SUM_BLOCK : nr;
        double sn = 0.0, s1 = 0.0, s2 = 0.0;
        for (size_t i = b; i < e; i++) {
            size_t k = (r->rows ? r->rows[i] : i) * st;
            double wk = w[k], yk = y[k];
            if (isnan(yk) || !(wk > 0.0)) continue;
            if (isnan(shift)) shift = yk;
            const double d = yk - shift;
            double dv = ex ? ldexp(d, -ex) : d;
            if (__builtin_expect(!scaled && d != 0.0, 0)) {
                scaled = 1, ex = socind__scale_exponent(fabs(d));
                dv = ex ? ldexp(d, -ex) : d;
            } else if (__builtin_expect(fabs(dv) > big && isfinite(d), 0)) {
                const int to = socind__exponent(fabs(d));
                moments_rescale(to - ex, &s1, &s2, &S1, &S2);
                ex = to, dv = ldexp(d, -ex);
            }
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
    m->ex = ex;
}

int socind__moments_far(const socind__moments *m) {
    return socind__shift_far(m->n, m->s1, m->s2);
}

void socind__moments_refine(const socind__rowset *r, socind__moments *m) {
    if (!socind__moments_far(m)) return;
    socind__moments c;
    moments_about(r, m->shift + ldexp(m->s1 / m->n, m->ex), &c);
    if (!isfinite(c.s1) || !isfinite(c.s2)) return;
    m->shift = c.shift, m->s1 = c.s1, m->s2 = c.s2, m->ex = c.ex; /* (N̂ kept) */
}

void socind__moments_of(const socind__rowset *r, socind__moments *m) {
    moments_about(r, NAN, m);
    socind__moments_refine(r, m);
}

double socind__bandwidth(const socind__moments *m) {
    if (!(m->n > 0)) return NAN;
    socind__ksum Q = {0, 0};
    socind__kadd(&Q, m->s2);
    socind__kadd(&Q, -m->s1 * (m->s1 / m->n)); /* (s1² alone leaves the doubles first) */
    double var = socind__kval(&Q) / m->n;
    return var > 0 ? ldexp(sqrt(var), m->ex) / pow(m->n, 0.2) : NAN;
}

int32_t socind__no_bandwidth_status(const socind__moments *m) {
    return isfinite(m->n) && isfinite(m->s1) && isfinite(m->s2) ? SOCIND_ERR_DATA
                                                                : SOCIND_ERR_OVERFLOW;
}

int32_t socind__fail_no_bandwidth(int32_t why, const char *at) {
    if (why == SOCIND_ERR_OVERFLOW)
        return socind__fail(SOCIND_ERR_OVERFLOW,
                            "the incomes' weighted moments leave the double range (weights or "
                            "incomes too large, or too close): no bandwidth for the density at %s",
                            at);
    return socind__fail(SOCIND_ERR_DATA, "every income is equal: no density at %s", at);
}

int32_t socind__fail_state_no_bandwidth(int32_t why, const char *at) {
    if (why == SOCIND_ERR_OVERFLOW)
        return socind__fail(SOCIND_ERR_OVERFLOW,
                            "the incomes' weighted squared deviations from their mean leave the "
                            "double range (a partial state keeps the incomes as given, without "
                            "the in-memory call's rescaling: an income beyond about 1e154 over "
                            "the root of its weight, or incomes that differ by less than about "
                            "1e-154): no bandwidth for the density at %s",
                            at);
    return socind__fail_no_bandwidth(why, at);
}

int32_t socind__no_bandwidth(const socind__moments *m, const char *at) {
    return socind__fail_no_bandwidth(socind__no_bandwidth_status(m), at);
}

int32_t socind__fail_no_weight(int beyond) {
    return beyond ? socind__fail(SOCIND_ERR_OVERFLOW, "the weights' sum leaves the double range")
                  : socind__fail(SOCIND_ERR_EMPTY, "no income with a positive weight");
}

/* One pass: the raw sums S[j] = Σ w e^(−t²/2) and G[j] = Σ w y e^(−t²/2)
 * (g non-NULL) over the terms with t² <= cut, block by block. */
static void kernel_pass(const socind__rowset *r, const double x[2], double ih, double cut, int libm,
                        double S[2], double *G) {
    socind__ksum ks[2] = {{0, 0}, {0, 0}}, kg[2] = {{0, 0}, {0, 0}};
    const int direct = r->stride == 1 && !r->rows;
    double by[SOCIND__KERNEL_BLOCK], bw[SOCIND__KERNEL_BLOCK];
    for (size_t b = 0; b < r->n; b += SOCIND__KERNEL_BLOCK) {
        size_t e = b + SOCIND__KERNEL_BLOCK < r->n ? b + SOCIND__KERNEL_BLOCK : r->n;
        const double *yb = r->y + b, *wb = r->w + b;
        if (!direct) {
            for (size_t i = b; i < e; i++) {
                size_t k = (r->rows ? r->rows[i] : i) * r->stride;
                by[i - b] = r->y[k], bw[i - b] = r->w[k];
            }
            yb = by, wb = bw;
        }
        double s[2], g[2], m[2];
        socind__gauss_block(yb, wb, e - b, x, ih, cut, libm, s, G ? g : NULL, m);
        for (int j = 0; j < 2; j++) {
            socind__kadd(&ks[j], s[j]);
            if (G) socind__kadd(&kg[j], g[j]);
        }
    }
    for (int j = 0; j < 2; j++) {
        S[j] = socind__kval(&ks[j]);
        if (G) G[j] = socind__kval(&kg[j]);
    }
}

int socind__kernel_sums(const socind__rowset *r, const double x[2], double h, double W,
                        int complete, double F[2], double G[2]) {
    const double ih = 1.0 / h; /* (x − y)·(1/h) is within an ulp of (x − y)/h */
    double S[2], Gs[2];
    kernel_pass(r, x, ih, SOCIND__KERNEL_CUT, 0, S, G ? Gs : NULL);
    /* step 2: what the first pass left out, at most W·e^−50, against the
       last bit of what it kept */
    const double left = W * exp(-0.5 * SOCIND__KERNEL_CUT);
    for (int j = 0; j < 2; j++) {
        if (j == 1 && isinf(x[1])) continue; /* one point */
        if (left <= ldexp(S[j], -53)) continue;
        if (!complete) return 0; /* the farther rows are not in r */
        /* step 3: again with the cut-off the bound asks for */
        double cut = S[j] > 0.0 ? 2.0 * (log(W) - log(S[j]) + 53.0 * LN2) + 1.0 : INFINITY;
        const double xj[2] = {x[j], INFINITY};
        double S2[2], G2[2];
        kernel_pass(r, xj, ih, cut, 1, S2, G ? G2 : NULL);
        S[j] = S2[0];
        if (G) Gs[j] = G2[0];
    }
    for (int j = 0; j < 2; j++) {
        F[j] = S[j] * INV_SQRT_2PI / h;
        if (G) G[j] = Gs[j] * INV_SQRT_2PI / h;
    }
    return 1;
}
