/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/kernel.c — the long row loops of the relative quantile line and of
 * Watts: a block of the Gaussian kernel sums (density.c holds the density,
 * its bandwidth and its truncation rule, and sums these blocks), log(z/y),
 * and the line's one pass over the rows.
 *
 * On x86-64 processors with AVX-512 (GCC, Linux) the exponential and the
 * logarithm are evaluated eight rows at a time by the polynomials below,
 * and the rows a loop needs (within the kernel's cut-off, inside a bracket)
 * are packed with register compresses; elsewhere the C library's exp() and
 * log() run one row at a time (the polynomials are no faster than the C
 * library at narrower widths) and the line's sums are left to the
 * vectorizer (AVX2 or the baseline). The file is built with -O3
 * -fopenmp-simd. Vectorized sums add in another order than a row loop, so
 * results differ between processors in the last bits.
 *
 * exp(x) = 2^k · e^r with r = x − k·ln 2 (|r| <= ln2/2, Cody–Waite split of
 * ln 2) and e^r by its Taylor polynomial of degree 13 (truncation below
 * 5e−18). log(x) = e·ln 2 + 2·atanh(s), x = 2^e·m, m in [√½, √2),
 * s = (m − 1)/(m + 1), by the odd series to s^21 (truncation below 3e−19).
 * tests/test_kernel.c checks both within 2 ulp of the C library. No fused
 * multiply-add (the build sets -ffp-contract=off).
 *
 * The line's sums are compiled three times (AVX-512, AVX2, baseline) and the
 * widest the processor runs is chosen at each call by a CPU feature test,
 * not by target_clones: a clone's ifunc resolver runs while the dynamic
 * loader relocates the library, before a ThreadSanitizer runtime is set up,
 * and crashed every -fsanitize=thread build. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

#define INV_LN2 1.44269504088896338700e+00
#define LN2_HI 6.93147180369123816490e-01 /* 32 leading bits: k·LN2_HI is exact */
#define LN2_LO 1.90821492927058770002e-10
#define SHIFTER 0x1.8p52 /* adding it rounds to an integer kept in the low bits */
#define SHIFTER_BITS 0x4338000000000000ULL
#define SQRT2 1.41421356237309504880
#define INV_SQRT_2PI 0.398942280401432677939946059934

SOCIND__TEST_SWITCH_DEFINE(socind__kernel_scalar);

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#include <immintrin.h>
#define HAVE_WIDE 1
#define AVX512 __attribute__((target("avx512f")))
#define AVX2 __attribute__((target("avx2")))
static int wide(void) {
    return !socind__kernel_scalar && __builtin_cpu_supports("avx512f");
}
#else
#define HAVE_WIDE 0
#define AVX512
static int wide(void) {
    return 0;
}
#endif

/* e^x for x in [−708, 0] */
static inline double exp_neg(double x) {
    double kd = x * INV_LN2 + SHIFTER;
    uint64_t ki;
    memcpy(&ki, &kd, sizeof ki);
    kd -= SHIFTER;
    double r = (x - kd * LN2_HI) - kd * LN2_LO;
    double p = r * (1.0 / 6227020800.0) + (1.0 / 479001600.0);
    p = p * r + (1.0 / 39916800.0);
    p = p * r + (1.0 / 3628800.0);
    p = p * r + (1.0 / 362880.0);
    p = p * r + (1.0 / 40320.0);
    p = p * r + (1.0 / 5040.0);
    p = p * r + (1.0 / 720.0);
    p = p * r + (1.0 / 120.0);
    p = p * r + (1.0 / 24.0);
    p = p * r + (1.0 / 6.0);
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    uint64_t eb = (ki - SHIFTER_BITS + 1023) << 52;
    double scale;
    memcpy(&scale, &eb, sizeof scale);
    return p * scale;
}

#if HAVE_WIDE
/* log(x) for positive normal x */
static inline double log_pos(double x) {
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    uint64_t mb = (bits & 0x000FFFFFFFFFFFFFULL) | 0x3FF0000000000000ULL;
    double m;
    memcpy(&m, &mb, sizeof m);
    int big = m > SQRT2;
    m = big ? m * 0.5 : m;
    /* the exponent as a double, exactly, without an integer conversion */
    uint64_t eb = (bits >> 52) - 1023 + (uint64_t)big + SHIFTER_BITS;
    double ed;
    memcpy(&ed, &eb, sizeof ed);
    ed -= SHIFTER;
    double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double p = s2 * (1.0 / 21.0) + (1.0 / 19.0);
    p = p * s2 + (1.0 / 17.0);
    p = p * s2 + (1.0 / 15.0);
    p = p * s2 + (1.0 / 13.0);
    p = p * s2 + (1.0 / 11.0);
    p = p * s2 + (1.0 / 9.0);
    p = p * s2 + (1.0 / 7.0);
    p = p * s2 + (1.0 / 5.0);
    p = p * s2 + (1.0 / 3.0);
    double lm = 2.0 * s + (2.0 * s) * (s2 * p);
    return ed * LN2_HI + (lm + ed * LN2_LO);
}
#endif

double socind__exp_neg(double x) {
    return exp_neg(x);
}

int socind__kernel_wide(void) {
    return HAVE_WIDE && wide();
}

#if HAVE_WIDE
/* x[i] = z_i/x[i], then its log eight at a time; 0 (the ratios left in x)
 * if some ratio is not a positive normal number */
AVX512 static int log_ratio_wide(double *x, const double *num, double num0, size_t n) {
    int odd = 0;
#pragma omp simd reduction(| : odd)
    for (size_t i = 0; i < n; i++) {
        x[i] = (num ? num[i] : num0) / x[i];
        odd |= !(x[i] >= DBL_MIN && x[i] <= DBL_MAX);
    }
    if (odd) return 0;
#pragma omp simd
    for (size_t i = 0; i < n; i++) x[i] = log_pos(x[i]);
    return 1;
}
#endif

void socind__log_ratio_many(double *x, const double *num, double num0, size_t n) {
#if HAVE_WIDE
    if (wide()) {
        if (!log_ratio_wide(x, num, num0, n))
            for (size_t i = 0; i < n; i++) x[i] = log(x[i]);
        return;
    }
#endif
    for (size_t i = 0; i < n; i++) x[i] = log((num ? num[i] : num0) / x[i]);
}

/* lanes[j] + lanes[8 + j] += x: lane j of eight TwoSum pairs (socind__kadd),
 * the sums in lanes[0 .. 8), their rounding errors in lanes[8 .. 16) */
static inline void lane_add(double lanes[16], size_t j, double x) {
    socind__ksum k = {lanes[j], lanes[8 + j]};
    socind__kadd(&k, x);
    lanes[j] = k.s, lanes[8 + j] = k.c;
}

static inline __attribute__((always_inline)) void qline_sums_body(const double *y, const double *w,
                                                                  size_t n, double shift, double a,
                                                                  double b, double fa,
                                                                  double out[8], double acc[32]) {
    double sw = 0.0, sb = 0.0, sh = 0.0, s1 = 0.0, s2 = 0.0, cnt = 0.0, mx = 0.0, sa = 0.0;
#pragma omp simd reduction(+ : sw, sb, sh, s1, s2, cnt, sa) reduction(max : mx)
    for (size_t i = 0; i < n; i++) {
        double yk = y[i], wk = w[i];
        int ok = yk == yk; /* not NaN */
        /* a missing income counts as weight 0 at the shift */
        double wo = ok ? wk : 0.0, yo = ok ? yk : shift;
        double dv = yo - shift;
        sw += wo;
        sb += yo < a ? wo : 0.0;
        sa += yo > b ? wo : 0.0;
        sh += yo < fa ? wo : 0.0;
        s1 += wo * dv;
        s2 += wo * dv * dv;
        cnt += ok ? 1.0 : 0.0;
        double ay = fabs(yo);
        mx = ay > mx ? ay : mx;
    }
    out[0] = sw, out[1] = sb, out[2] = sh, out[3] = s1, out[4] = s2, out[5] = cnt, out[6] = mx;
    out[7] = sa;
    /* Σ wo and Σ wo·1[y < a] into acc's lanes, row i into lane i mod 8
       (TwoSum, socind__kadd) */
    for (size_t i = 0; i < n; i++) {
        const double wo = y[i] == y[i] ? w[i] : 0.0;
        lane_add(acc, i & 7, wo);
        lane_add(acc + 16, i & 7, y[i] < a ? wo : 0.0);
    }
}

#if HAVE_WIDE
AVX512 static void qline_sums_avx512(const double *y, const double *w, size_t n, double shift,
                                     double a, double b, double fa, double out[8], double acc[32]) {
    qline_sums_body(y, w, n, shift, a, b, fa, out, acc);
}
AVX2 static void qline_sums_avx2(const double *y, const double *w, size_t n, double shift, double a,
                                 double b, double fa, double out[8], double acc[32]) {
    qline_sums_body(y, w, n, shift, a, b, fa, out, acc);
}
#endif

static void qline_sums(const double *y, const double *w, size_t n, double shift, double a, double b,
                       double fa, double out[8], double acc[32]) {
#if HAVE_WIDE
    /* a load and a test of libgcc's CPU model, set by its constructor */
    if (__builtin_cpu_supports("avx512f")) {
        qline_sums_avx512(y, w, n, shift, a, b, fa, out, acc);
        return;
    }
    if (__builtin_cpu_supports("avx2")) {
        qline_sums_avx2(y, w, n, shift, a, b, fa, out, acc);
        return;
    }
#endif
    qline_sums_body(y, w, n, shift, a, b, fa, out, acc);
}

/* The largest |x_i| over the non-NaN values as the bits of a double's
 * magnitude (0x7FF0… for ±Inf), by integer compares that vectorize: a
 * magnitude's bits order as the magnitudes do, and a NaN's are above Inf's. */
static inline __attribute__((always_inline)) uint64_t abs_bits_max_body(const double *x, size_t n) {
    const uint64_t INF = 0x7FF0000000000000ULL;
    uint64_t m = 0;
#pragma omp simd reduction(max : m)
    for (size_t i = 0; i < n; i++) {
        uint64_t b;
        memcpy(&b, &x[i], sizeof b);
        b &= 0x7FFFFFFFFFFFFFFFULL;
        b = b > INF ? 0 : b; /* NaN: left out */
        m = b > m ? b : m;
    }
    return m;
}

#if HAVE_WIDE
AVX512 static uint64_t abs_bits_max_avx512(const double *x, size_t n) {
    return abs_bits_max_body(x, n);
}
AVX2 static uint64_t abs_bits_max_avx2(const double *x, size_t n) {
    return abs_bits_max_body(x, n);
}
#endif

double socind__abs_max(const double *x, size_t n) {
    uint64_t m;
#if HAVE_WIDE
    if (__builtin_cpu_supports("avx512f"))
        m = abs_bits_max_avx512(x, n);
    else if (__builtin_cpu_supports("avx2"))
        m = abs_bits_max_avx2(x, n);
    else
#endif
        m = abs_bits_max_body(x, n);
    double v;
    memcpy(&v, &m, sizeof v);
    return v;
}

/* the rows of each bracket (weight > 0), one at a time without a branch */
static void bracket_append(const double *y, const double *w, size_t n, const double br[4],
                           double *qy, double *qw, size_t *nq, double *zy, double *zw, size_t *nz) {
    size_t mq = *nq, mz = *nz;
    for (size_t i = 0; i < n; i++) {
        double yk = y[i], wk = w[i];
        int pos = wk > 0.0;
        qy[mq] = yk, qw[mq] = wk;
        mq += (yk >= br[0]) & (yk <= br[1]) & pos;
        zy[mz] = yk, zw[mz] = wk;
        mz += (yk >= br[2]) & (yk <= br[3]) & pos;
    }
    *nq = mq, *nz = mz;
}

#if HAVE_WIDE
/* *hi + *lo += x lane by lane (TwoSum, as lane_add) */
AVX512 static inline void lanes_add_wide(__m512d *hi, __m512d *lo, __m512d x) {
    const __m512d t = _mm512_add_pd(*hi, x), bp = _mm512_sub_pd(t, *hi);
    *lo = _mm512_add_pd(
        *lo, _mm512_add_pd(_mm512_sub_pd(*hi, _mm512_sub_pd(t, bp)), _mm512_sub_pd(x, bp)));
    *hi = t;
}

/* eight rows at a time: the sums, and the rows of each bracket packed in a
   register and stored whole (the store's tail is overwritten by the next) */
AVX512 static void qline_rows_wide(const double *y, const double *w, size_t n, double shift,
                                   const double br[4], double out[8], double acc[32], double *qy,
                                   double *qw, size_t *nq, double *zy, double *zw, size_t *nz) {
    const __m512d a = _mm512_set1_pd(br[0]), b = _mm512_set1_pd(br[1]);
    const __m512d fa = _mm512_set1_pd(br[2]), fb = _mm512_set1_pd(br[3]);
    const __m512d zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1.0);
    const __m512d sh = _mm512_set1_pd(shift);
    __m512d sw = zero, sb = zero, sf = zero, s1 = zero, s2 = zero, cnt = zero, mx = zero, sa = zero;
    __m512d th = _mm512_loadu_pd(acc), te = _mm512_loadu_pd(acc + 8);
    __m512d bh = _mm512_loadu_pd(acc + 16), be = _mm512_loadu_pd(acc + 24);
    size_t i = 0, mq = *nq, mz = *nz;
    for (; i + 8 <= n; i += 8) {
        __m512d yv = _mm512_loadu_pd(y + i), wv = _mm512_loadu_pd(w + i);
        __mmask8 ok = _mm512_cmp_pd_mask(yv, yv, _CMP_ORD_Q);
        /* a missing income counts as weight 0 at the shift */
        __m512d wo = _mm512_maskz_mov_pd(ok, wv), yo = _mm512_mask_blend_pd(ok, sh, yv);
        __m512d dv = _mm512_sub_pd(yo, sh), wd = _mm512_mul_pd(wo, dv);
        sw = _mm512_add_pd(sw, wo);
        __m512d wb = _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(yo, a, _CMP_LT_OQ), wo);
        sb = _mm512_add_pd(sb, wb);
        sa = _mm512_add_pd(sa, _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(yo, b, _CMP_GT_OQ), wo));
        /* Σ wo and Σ wo·1[y < a] carried across calls in pairs */
        lanes_add_wide(&th, &te, wo);
        lanes_add_wide(&bh, &be, wb);
        sf = _mm512_add_pd(sf, _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(yo, fa, _CMP_LT_OQ), wo));
        s1 = _mm512_add_pd(s1, wd);
        s2 = _mm512_add_pd(s2, _mm512_mul_pd(wd, dv));
        cnt = _mm512_add_pd(cnt, _mm512_maskz_mov_pd(ok, one));
        mx = _mm512_max_pd(mx, _mm512_abs_pd(yo));
        __mmask8 pos = _mm512_cmp_pd_mask(wv, zero, _CMP_GT_OQ);
        __mmask8 kq = _mm512_mask_cmp_pd_mask(pos, yv, a, _CMP_GE_OQ) &
                      _mm512_mask_cmp_pd_mask(pos, yv, b, _CMP_LE_OQ);
        __mmask8 kz = _mm512_mask_cmp_pd_mask(pos, yv, fa, _CMP_GE_OQ) &
                      _mm512_mask_cmp_pd_mask(pos, yv, fb, _CMP_LE_OQ);
        _mm512_storeu_pd(qy + mq, _mm512_maskz_compress_pd(kq, yv));
        _mm512_storeu_pd(qw + mq, _mm512_maskz_compress_pd(kq, wv));
        _mm512_storeu_pd(zy + mz, _mm512_maskz_compress_pd(kz, yv));
        _mm512_storeu_pd(zw + mz, _mm512_maskz_compress_pd(kz, wv));
        mq += (size_t)__builtin_popcount(kq);
        mz += (size_t)__builtin_popcount(kz);
    }
    /* the last rows (fewer than eight) by the portable loops */
    _mm512_storeu_pd(acc, th), _mm512_storeu_pd(acc + 8, te);
    _mm512_storeu_pd(acc + 16, bh), _mm512_storeu_pd(acc + 24, be);
    qline_sums_avx512(y + i, w + i, n - i, shift, br[0], br[1], br[2], out, acc);
    out[0] += _mm512_reduce_add_pd(sw);
    out[1] += _mm512_reduce_add_pd(sb), out[7] += _mm512_reduce_add_pd(sa);
    out[2] += _mm512_reduce_add_pd(sf), out[3] += _mm512_reduce_add_pd(s1);
    out[4] += _mm512_reduce_add_pd(s2), out[5] += _mm512_reduce_add_pd(cnt);
    double mv = _mm512_reduce_max_pd(mx);
    out[6] = mv > out[6] ? mv : out[6];
    *nq = mq, *nz = mz;
    bracket_append(y + i, w + i, n - i, br, qy, qw, nq, zy, zw, nz);
}
#endif

socind__ksum socind__qline_total(const double lanes[16]) {
    socind__ksum k = {0, 0};
    for (int j = 0; j < 8; j++) socind__kadd(&k, lanes[j]);
    for (int j = 0; j < 8; j++) k.c += lanes[8 + j];
    return k;
}

void socind__qline_rows(const double *y, const double *w, size_t n, double shift,
                        const double br[4], double out[8], double acc[32], double *qy, double *qw,
                        size_t *nq, double *zy, double *zw, size_t *nz) {
#if HAVE_WIDE
    if (wide()) {
        qline_rows_wide(y, w, n, shift, br, out, acc, qy, qw, nq, zy, zw, nz);
        return;
    }
#endif
    qline_sums(y, w, n, shift, br[0], br[1], br[2], out, acc);
    bracket_append(y, w, n, br, qy, qw, nq, zy, zw, nz);
}

#if HAVE_WIDE
/* one block of the kernel sums; the terms' order is the compiler's; with
 * WG the y-weighted sums too */
AVX512 static inline __attribute__((always_inline)) void
gauss_block_body(const double *y, const double *w, size_t n, double x0, double x1, double ih,
                 double cut, double r[2], double g[2], double m[2], const int WG) {
    double s0 = 0.0, s1 = 0.0, g0 = 0.0, g1 = 0.0, m0 = INFINITY, m1 = INFINITY;
#pragma omp simd reduction(+ : s0, s1, g0, g1) reduction(min : m0, m1)
    for (size_t i = 0; i < n; i++) {
        double t0 = (x0 - y[i]) * ih, t1 = (x1 - y[i]) * ih;
        int use = w[i] > 0.0 && !isnan(y[i]);
        double q0 = use ? t0 * t0 : INFINITY, q1 = use ? t1 * t1 : INFINITY;
        m0 = q0 < m0 ? q0 : m0;
        m1 = q1 < m1 ? q1 : m1;
        /* terms with t² > cut are left out (density.c's rule) */
        int in0 = q0 <= cut, in1 = q1 <= cut;
        double a0 = (in0 ? w[i] : 0.0) * exp_neg(-0.5 * (in0 ? q0 : 0.0));
        double a1 = (in1 ? w[i] : 0.0) * exp_neg(-0.5 * (in1 ? q1 : 0.0));
        s0 += a0;
        s1 += a1;
        if (WG) {
            g0 += in0 ? a0 * y[i] : 0.0;
            g1 += in1 ? a1 * y[i] : 0.0;
        }
    }
    r[0] = s0, r[1] = s1, m[0] = m0, m[1] = m1;
    if (WG) g[0] = g0, g[1] = g1;
}
AVX512 static void gauss_block(const double *y, const double *w, size_t n, double x0, double x1,
                               double ih, double cut, double r[2], double g[2], double m[2]) {
    if (g)
        gauss_block_body(y, w, n, x0, x1, ih, cut, r, g, m, 1);
    else
        gauss_block_body(y, w, n, x0, x1, ih, cut, r, g, m, 0);
}

/* The same when no row is within the cut-off of both points: one exp() per
 * row, at the nearer point. */
AVX512 static inline __attribute__((always_inline)) void
gauss_block_apart_body(const double *y, const double *w, size_t n, double x0, double x1, double ih,
                       double cut, double r[2], double g[2], double m[2], const int WG) {
    /* first the rows within the cut-off of their nearer point, packed
       (t², the weight under the point it belongs to, and y), then exp()
       over those only */
    double bq[SOCIND__KERNEL_BLOCK + 8], b0[SOCIND__KERNEL_BLOCK + 8], b1[SOCIND__KERNEL_BLOCK + 8];
    double by[SOCIND__KERNEL_BLOCK + 8];
    const __m512d vx0 = _mm512_set1_pd(x0), vx1 = _mm512_set1_pd(x1), vih = _mm512_set1_pd(ih);
    const __m512d inf = _mm512_set1_pd(INFINITY), vcut = _mm512_set1_pd(cut);
    const __m512d zero = _mm512_setzero_pd();
    __m512d m0 = inf, m1 = inf;
    size_t i = 0, k = 0;
    for (; i + 8 <= n; i += 8) {
        __m512d yv = _mm512_loadu_pd(y + i), wv = _mm512_loadu_pd(w + i);
        __mmask8 use =
            _mm512_cmp_pd_mask(wv, zero, _CMP_GT_OQ) & _mm512_cmp_pd_mask(yv, yv, _CMP_ORD_Q);
        __m512d t0 = _mm512_mul_pd(_mm512_sub_pd(vx0, yv), vih);
        __m512d t1 = _mm512_mul_pd(_mm512_sub_pd(vx1, yv), vih);
        __m512d q0 = _mm512_mask_mul_pd(inf, use, t0, t0),
                q1 = _mm512_mask_mul_pd(inf, use, t1, t1);
        m0 = _mm512_min_pd(m0, q0);
        m1 = _mm512_min_pd(m1, q1);
        __mmask8 near0 = _mm512_cmp_pd_mask(q0, q1, _CMP_LE_OQ);
        __m512d q = _mm512_mask_blend_pd(near0, q1, q0);
        __mmask8 in = _mm512_cmp_pd_mask(q, vcut, _CMP_LE_OQ);
        _mm512_storeu_pd(bq + k, _mm512_maskz_compress_pd(in, q));
        _mm512_storeu_pd(b0 + k, _mm512_maskz_compress_pd(in, _mm512_maskz_mov_pd(near0, wv)));
        _mm512_storeu_pd(b1 + k,
                         _mm512_maskz_compress_pd(in, _mm512_maskz_mov_pd((__mmask8)~near0, wv)));
        if (WG) _mm512_storeu_pd(by + k, _mm512_maskz_compress_pd(in, yv));
        k += (size_t)__builtin_popcount(in);
    }
    double mm0 = _mm512_reduce_min_pd(m0), mm1 = _mm512_reduce_min_pd(m1);
    for (; i < n; i++) { /* the last rows, one at a time */
        if (!(w[i] > 0.0) || isnan(y[i])) continue;
        double t0 = (x0 - y[i]) * ih, t1 = (x1 - y[i]) * ih, q0 = t0 * t0, q1 = t1 * t1;
        mm0 = q0 < mm0 ? q0 : mm0;
        mm1 = q1 < mm1 ? q1 : mm1;
        int near0 = q0 <= q1;
        double q = near0 ? q0 : q1;
        if (!(q <= cut)) continue;
        bq[k] = q, b0[k] = near0 ? w[i] : 0.0, b1[k] = near0 ? 0.0 : w[i];
        if (WG) by[k] = y[i];
        k++;
    }
    double s0 = 0.0, s1 = 0.0, g0 = 0.0, g1 = 0.0;
#pragma omp simd reduction(+ : s0, s1, g0, g1)
    for (size_t j = 0; j < k; j++) {
        double e = exp_neg(-0.5 * bq[j]);
        s0 += b0[j] * e;
        s1 += b1[j] * e;
        if (WG) {
            g0 += b0[j] * e * by[j];
            g1 += b1[j] * e * by[j];
        }
    }
    r[0] = s0, r[1] = s1, m[0] = mm0, m[1] = mm1;
    if (WG) g[0] = g0, g[1] = g1;
}
AVX512 static void gauss_block_apart(const double *y, const double *w, size_t n, double x0,
                                     double x1, double ih, double cut, double r[2], double g[2],
                                     double m[2]) {
    if (g)
        gauss_block_apart_body(y, w, n, x0, x1, ih, cut, r, g, m, 1);
    else
        gauss_block_apart_body(y, w, n, x0, x1, ih, cut, r, g, m, 0);
}
#endif

/* The C library's exp(), only for the terms within the cut-off (any cut,
 * +inf included: every term, down to exp()'s underflow); with WG the
 * y-weighted sums too. */
static inline __attribute__((always_inline)) void
gauss_block_libm_body(const double *y, const double *w, size_t n, double x0, double x1, double ih,
                      double cut, double r[2], double g[2], double m[2], const int WG) {
    /* the terms within the cut-off listed first without a branch (which
       would be mispredicted), exp() then runs over the list */
    double bq[2 * SOCIND__KERNEL_BLOCK], bw[2 * SOCIND__KERNEL_BLOCK], by[2 * SOCIND__KERNEL_BLOCK];
    unsigned char pt[2 * SOCIND__KERNEL_BLOCK];
    double m0 = INFINITY, m1 = INFINITY;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double t0 = (x0 - y[i]) * ih, t1 = (x1 - y[i]) * ih;
        int use = w[i] > 0.0 && !isnan(y[i]);
        double q0 = use ? t0 * t0 : INFINITY, q1 = use ? t1 * t1 : INFINITY;
        m0 = q0 < m0 ? q0 : m0;
        m1 = q1 < m1 ? q1 : m1;
        bq[k] = q0, bw[k] = w[i], pt[k] = 0;
        if (WG) by[k] = y[i];
        k += use && q0 <= cut;
        bq[k] = q1, bw[k] = w[i], pt[k] = 1;
        if (WG) by[k] = y[i];
        k += use && q1 <= cut;
    }
    double s[2] = {0.0, 0.0}, gs[2] = {0.0, 0.0};
    for (size_t j = 0; j < k; j++) {
        double a = bw[j] * exp(-0.5 * bq[j]);
        s[pt[j]] += a;
        if (WG) gs[pt[j]] += a * by[j];
    }
    r[0] = s[0], r[1] = s[1], m[0] = m0, m[1] = m1;
    if (WG) g[0] = gs[0], g[1] = gs[1];
}
static void gauss_block_libm(const double *y, const double *w, size_t n, double x0, double x1,
                             double ih, double cut, double r[2], double g[2], double m[2]) {
    if (g)
        gauss_block_libm_body(y, w, n, x0, x1, ih, cut, r, g, m, 1);
    else
        gauss_block_libm_body(y, w, n, x0, x1, ih, cut, r, g, m, 0);
}

void socind__gauss_block(const double *y, const double *w, size_t n, const double x[2], double ih,
                         double cut, int libm, double s[2], double g[2], double t2min[2]) {
#if HAVE_WIDE
    if (!libm && cut <= 1400.0 && wide()) {
        /* no y is within √cut of both points when they are 2√cut apart (a
           margin of 1e−9 for the rounding of t) */
        double gap = fabs(x[0] - x[1]) * ih;
        if (gap > 2.0 * sqrt(cut) * (1.0 + 1e-9))
            gauss_block_apart(y, w, n, x[0], x[1], ih, cut, s, g, t2min);
        else
            gauss_block(y, w, n, x[0], x[1], ih, cut, s, g, t2min);
        return;
    }
#endif
    (void)libm;
    gauss_block_libm(y, w, n, x[0], x[1], ih, cut, s, g, t2min);
}
