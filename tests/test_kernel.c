/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_kernel.c — the exponential and logarithm of lib/kernel.c
 * against the C library, one argument at a time, and the Gaussian kernel
 * sums of lib/density.c against the full sums in long double: the terms
 * their truncation rule leaves out stay below the stated bound. */
#include "test_util.h"

#include <float.h>
#include <stdint.h>

#include "internal.h"

static uint64_t next(uint64_t *s) {
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 11;
}
static double unif(uint64_t *s) {
    return (double)next(s) / 9007199254740992.0;
}

/* |a − b| in units of the last place of b */
static double ulps(double a, double b) {
    if (a == b) return 0.0;
    double u = nextafter(fabs(b), INFINITY) - fabs(b);
    return fabs(a - b) / u;
}

static void test_exp_within_two_ulp(void **state) {
    (void)state;
    uint64_t s = 11;
    double worst = 0.0;
    for (int i = 0; i < 1000000; i++) {
        double x = i < 1000 ? -(double)i / 1000.0 : -708.0 * unif(&s);
        double u = ulps(socind__exp_neg(x), exp(x));
        worst = u > worst ? u : worst;
    }
    assert_true(worst <= 2.0);
    assert_true(socind__exp_neg(0.0) == 1.0);
}

static void log_ratio_within_two_ulp(void) {
    enum { M = 1000 };
    double x[M], z[M], ref[M];
    uint64_t s = 12;
    double worst = 0.0;
    for (int round = 0; round < 1000; round++) {
        for (int i = 0; i < M; i++) {
            /* ratios near 1 (incomes just below the line), spread over
               decades, and across the whole exponent range */
            double y = round % 3 == 0   ? 1.0 + 1e-6 * unif(&s)
                       : round % 3 == 1 ? exp(40.0 * unif(&s) - 20.0)
                                        : ldexp(1.0 + unif(&s), (int)(next(&s) % 2000) - 1000);
            x[i] = y;
            z[i] = round % 2 ? 1.0 : 3.5 + unif(&s);
        }
        for (int i = 0; i < M; i++) ref[i] = log(z[i] / x[i]);
        if (round % 2)
            socind__log_ratio_many(x, NULL, 1.0, M);
        else
            socind__log_ratio_many(x, z, 0.0, M);
        for (int i = 0; i < M; i++) {
            double u = ulps(x[i], ref[i]);
            worst = u > worst ? u : worst;
        }
    }
    assert_true(worst <= 2.0);
    /* ratios that are not positive normal numbers go to the C library */
    double odd[6] = {0.0, -1.0, 1e-310, NAN, INFINITY, 2.0};
    socind__log_ratio_many(odd, NULL, 1.0, 6);
    assert_true(isinf(odd[0]) && odd[0] > 0); /* log(1/0) */
    assert_true(isnan(odd[1]));
    assert_true(isinf(odd[2]) && odd[2] > 0); /* 1/1e-310 overflows */
    assert_true(isnan(odd[3]));
    assert_true(odd[4] == log(1.0 / INFINITY));
    assert_true(ulps(odd[5], log(0.5)) <= 2.0);
}

/* The full sums in long double, every term (no cut-off): F = Σ w φ(t)/h,
 * G = Σ w y φ(t)/h, t = (x − y)·(1/h), as density.c defines them. */
static void full_sums(const double *y, const double *w, int n, double x, double h, long double *F,
                      long double *G, double *ymax) {
    long double f = 0.0L, g = 0.0L;
    double m = 0.0;
    for (int i = 0; i < n; i++) {
        if (isnan(y[i]) || !(w[i] > 0.0)) continue;
        /* t and t² rounded as the library rounds them (an error of t²/2 ulps
           in the exponent, 5e−14 at t² = 400, that no sum can undo) */
        double t = (x - y[i]) * (1.0 / h), q = t * t;
        long double e = w[i] * expl(-0.5L * q) * 0.398942280401432677939946059934L;
        f += e;
        g += e * y[i];
        m = fabs(y[i]) > m ? fabs(y[i]) : m;
    }
    *F = f / h, *G = g / h, *ymax = m;
}

/* socind__kernel_sums against the full sums: F within its rounding (the
 * terms left out are below 2^−53·F by density.c's rule, the sums' own
 * rounding about 1e−15), G within 2^−53·F·max|y| more; the same bits
 * through a row index and through rows inside structs. */
static void check_kernel(const double *y, const double *w, int n, const double x[2], double h,
                         const char *what) {
    double W = 0.0;
    for (int i = 0; i < n; i++)
        if (!isnan(y[i]) && w[i] > 0.0) W += w[i];
    const socind__rowset rs = {y, w, 1, NULL, (size_t)n};
    double F[2], G[2];
    assert_int_equal(socind__kernel_sums(&rs, x, h, W, 1, F, G), 1);
    for (int j = 0; j < 2; j++) {
        long double Fr, Gr;
        double ym;
        full_sums(y, w, n, x[j], h, &Fr, &Gr, &ym);
        double ef = fabs(F[j] - (double)Fr), eg = fabs(G[j] - (double)Gr);
        if (!(ef <= 2e-15 * (double)Fr) || !(eg <= 2e-15 * fabsl(Gr) + 0x1p-53 * ym * (double)Fr))
            print_error("%s point %d: F %.17g (full %.17Lg), G %.17g (full %.17Lg)\n", what, j,
                        F[j], Fr, G[j], Gr);
        assert_true((double)Fr > 0.0);
        assert_true(ef <= 2e-15 * (double)Fr);
        assert_true(eg <= 2e-15 * fabsl(Gr) + 0x1p-53 * ym * (double)Fr);
    }
    /* the same rows through an index, and inside structs (stride 3) */
    size_t *idx = malloc((size_t)n * sizeof *idx);
    socind__item *it = malloc((size_t)n * sizeof *it);
    assert_non_null(idx);
    assert_non_null(it);
    for (int i = 0; i < n; i++) {
        idx[i] = (size_t)i;
        it[i].y = y[i], it[i].w = w[i], it[i].psu = 0, it[i].row = (uint32_t)i;
    }
    const socind__rowset ri = {y, w, 1, idx, (size_t)n},
                         rt = {&it[0].y, &it[0].w, 3, NULL, (size_t)n};
    double F2[2], G2[2], F3[2], G3[2];
    assert_int_equal(socind__kernel_sums(&ri, x, h, W, 1, F2, G2), 1);
    assert_int_equal(socind__kernel_sums(&rt, x, h, W, 1, F3, G3), 1);
    for (int j = 0; j < 2; j++) {
        assert_true(F2[j] == F[j] && G2[j] == G[j]);
        assert_true(F3[j] == F[j] && G3[j] == G[j]);
    }
    free(idx);
    free(it);
}

static void kernel_sums_match_full(void) {
    enum { N = 20011 }; /* not a multiple of the block or vector length */
    double *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    assert_non_null(y);
    assert_non_null(w);
    uint64_t s = 13;
    for (int i = 0; i < N; i++) {
        y[i] = 1000.0 * exp(unif(&s));
        w[i] = i % 17 == 0 ? 0.0 : 1.0 + 10.0 * unif(&s);
        if (i % 101 == 0) y[i] = NAN;
    }
    /* bandwidths with the two points' bands overlapping and apart (the
       first pass suffices: most rows are near) */
    for (int hi = 0; hi < 2; hi++) {
        const double x[2] = {y[5], y[5] > 1800.0 ? y[5] - 700.0 : y[5] + 700.0};
        check_kernel(y, w, N, x, hi ? 10.0 : 400.0, "near");
    }
    /* both points far from every row (t² above 400): the first pass keeps
       nothing, the second every term */
    const double far[2] = {1000.0 - 210.0, 2718.3 + 210.0};
    check_kernel(y, w, N, far, 10.0, "far");
    free(y);
    free(w);
}

/* Rows whose terms the first pass leaves out but the sum can feel: one row
 * of weight 1 at the point, and 1e15 of weight at t = 10.3 (t² = 106, a
 * term of e^−53 ≈ 1e−23 each: 1e−8 of the sum together). A fixed cut-off at
 * t² = 83 or 100 would be off by 1e−8; the bound sends the sum to its
 * second pass, within 2^−53 again. A list of the rows near the point only
 * (complete = 0) is refused. */
static void kernel_sums_bound(void) {
    enum { N = 4001 };
    double *y = malloc(N * sizeof *y), *w = malloc(N * sizeof *w);
    assert_non_null(y);
    assert_non_null(w);
    const double h = 1.0, x0 = 500.0;
    y[0] = x0, w[0] = 1.0;
    for (int i = 1; i < N; i++) y[i] = x0 + (i % 2 ? 10.3 : -10.3), w[i] = 1e15 / (N - 1);
    const double x[2] = {x0, INFINITY};
    double W = 1.0 + 1e15, F[2], G[2];
    long double Fr, Gr, Fnear = 0.398942280401432677939946059934L;
    double ym;
    full_sums(y, w, N, x0, h, &Fr, &Gr, &ym);
    /* what the far rows add: about 1e−8 of the sum */
    assert_true((double)((Fr - Fnear) / Fr) > 5e-9);
    const socind__rowset rs = {y, w, 1, NULL, N}, near = {y, w, 1, NULL, 1};
    assert_int_equal(socind__kernel_sums(&rs, x, h, W, 1, F, G), 1);
    /* within the sums' rounding: plain within blocks of 1,024 rows, each
       addition of a far term to the near one losing up to half an ulp
       (2e−14 here), far below the 1e−8 a cut-off would lose */
    assert_true(fabs(F[0] - (double)Fr) <= 1e-13 * (double)Fr);
    assert_true(fabs(G[0] - (double)Gr) <= 1e-13 * (double)Gr + 0x1p-53 * ym * (double)Fr);
    /* and bit for bit the sum of every term in the same blocks (the C
       library's exp(), no cut-off): nothing that counts was left out */
    socind__ksum all = {0, 0};
    for (size_t b = 0; b < N; b += SOCIND__KERNEL_BLOCK) {
        size_t e = b + SOCIND__KERNEL_BLOCK < N ? b + SOCIND__KERNEL_BLOCK : N;
        double sb[2], mb[2];
        socind__gauss_block(y + b, w + b, e - b, x, 1.0 / h, INFINITY, 1, sb, NULL, mb);
        socind__kadd(&all, sb[0]);
    }
    assert_true(F[0] == socind__kval(&all) * 0.398942280401432677939946059934 / h);
    assert_true(F[1] == 0.0);
    assert_int_equal(socind__kernel_sums(&near, x, h, W, 0, F, G), 0);
    free(y);
    free(w);
}
/* each with the AVX-512 loops (where the processor has them) and with the C
   library */
static void test_log_ratio_within_two_ulp(void **state) {
    (void)state;
    for (int scalar = 0; scalar <= 1; scalar++) {
        socind__kernel_scalar = scalar;
        log_ratio_within_two_ulp();
    }
    socind__kernel_scalar = 0;
}

static void test_kernel_sums(void **state) {
    (void)state;
    for (int scalar = 0; scalar <= 1; scalar++) {
        socind__kernel_scalar = scalar;
        if (scalar) assert_int_equal(socind__kernel_wide(), 0);
        kernel_sums_match_full();
        kernel_sums_bound();
    }
    socind__kernel_scalar = 0;
}

/* convey's bandwidth σ̂/N̂^(1/5) of rows y (weights w) in long double */
static double bandwidth_ld(const double *y, const double *w, size_t n) {
    long double W = 0.0L, S = 0.0L, Q = 0.0L;
    for (size_t i = 0; i < n; i++) W += w[i], S += (long double)w[i] * y[i];
    const long double mean = S / W;
    for (size_t i = 0; i < n; i++) Q += (long double)w[i] * (y[i] - mean) * (y[i] - mean);
    return (double)(sqrtl(Q / W) / powl(W, 0.2L));
}

/* The bandwidth's moments take their scale from the deviations from the
 * first value, not from the first value itself: a first income of 1e−200
 * among incomes near 1e4 (or 1e−300 before incomes near 1) had sent every
 * other deviation past the doubles and the bandwidth to NaN, so that
 * S80/S20, the Palma ratio and every density-based SE failed in memory
 * while the states, which do not rescale, gave figures. Held: the
 * bandwidth within 1e−13 of long double's with a first value tiny or 0 beside the rest (rows
 * near 1e±200 included), and the same with the first row moved last. */
static void test_moments_scale(void **state) {
    (void)state;
    enum { N = 1000 };
    static double y[N], w[N], yr[N], wr[N];
    const double firsts[] = {1e-200, 1e-300, 0.0, 5e-324, 1e-250, NAN};
    const double levels[] = {1e4, 1.0, 1e-200, 1e200, 1e-150};
    uint64_t seed = 20261206;
    for (size_t l = 0; l < sizeof levels / sizeof *levels; l++)
        for (size_t f = 0; f < sizeof firsts / sizeof *firsts; f++) {
            for (size_t i = 0; i < N; i++) {
                y[i] = levels[l] * (0.5 + unif(&seed));
                w[i] = 1.0 + 100.0 * unif(&seed);
            }
            if (!isnan(firsts[f])) y[0] = firsts[f]; /* (NaN: an ordinary first row) */
            /* the first row last */
            for (size_t i = 0; i < N; i++) yr[i] = y[(i + 1) % N], wr[i] = w[(i + 1) % N];
            const double ref = bandwidth_ld(y, w, N);
            socind__moments m, mr;
            socind__moments_of(&(socind__rowset){y, w, 1, NULL, N}, &m);
            socind__moments_of(&(socind__rowset){yr, wr, 1, NULL, N}, &mr);
            const double h = socind__bandwidth(&m), hr = socind__bandwidth(&mr);
            assert_true(isfinite(ref) && ref > 0.0);
            assert_true(fabs(h - ref) <= 1e-13 * ref);
            assert_true(fabs(hr - ref) <= 1e-13 * ref);
        }
    /* a first deviation tiny, then large ones: the sums are rescaled */
    for (size_t i = 0; i < N; i++)
        y[i] = i < 2 ? 1e-250 * (double)(i + 1) : 1e3 * (1.0 + unif(&seed)), w[i] = 1.0;
    socind__moments m;
    socind__moments_of(&(socind__rowset){y, w, 1, NULL, N}, &m);
    const double ref = bandwidth_ld(y, w, N);
    assert_true(fabs(socind__bandwidth(&m) - ref) <= 1e-13 * ref);
}

/* The moments are taken about the first income; where it lies far from
 * the mean (1e300 first among incomes near 1e4), Σw·d² and (Σw·d)²/N̂ agree
 * to 1 part in N̂/w₀ and their difference lost that many times its
 * rounding: 6.6e−12 of the bandwidth with 2,802 rows, and no bandwidth at
 * all (NaN) where N̂/w₀ passed 2^53. Held: with one extreme income (of
 * either sign, weight ordinary or tiny) first, in the middle or last among
 * 3,000 ordinary ones, and with half the incomes near 1e250, the bandwidth
 * within 1e−13 of long double's two-pass one (the plain sums within a block
 * of rows: 8e−14 seen where 2,999 terms near 1e−6 of the first are added
 * to it); and on ordinary data (the first income within 8 SDs of the mean)
 * the moments still about the first income, no second pass. */
static void test_moments_far_first(void **state) {
    (void)state;
    enum { N = 3000 };
    static double y[N], w[N];
    const double far[] = {1e300, -1e300, 1e100, 1e20, -1e250, 1e200, 1e8};
    const double fw[] = {1.0, 50.0, 1.0, 3.0, 1e3, 1e-10, 1e-3};
    const size_t at[] = {0, N / 2, N - 1};
    uint64_t seed = 20261207;
    double worst = 0.0;
    for (size_t f = 0; f < sizeof far / sizeof *far; f++)
        for (size_t a = 0; a < sizeof at / sizeof *at; a++) {
            for (size_t i = 0; i < N; i++) {
                y[i] = 1e4 * (0.5 + unif(&seed));
                w[i] = fw[f] < 1e-5 ? 1e6 : 1.0 + 100.0 * unif(&seed);
            }
            y[at[a]] = far[f], w[at[a]] = fw[f];
            const double ref = bandwidth_ld(y, w, N);
            socind__moments m;
            socind__moments_of(&(socind__rowset){y, w, 1, NULL, N}, &m);
            const double h = socind__bandwidth(&m), err = fabs(h - ref) / ref;
            if (!(err <= 1e-13))
                print_error("income %g (weight %g) at row %zu: bandwidth %.17g, long double "
                            "%.17g\n",
                            far[f], fw[f], at[a], h, ref);
            assert_true(isfinite(ref) && ref > 0.0);
            assert_true(err <= 1e-13);
            worst = err > worst ? err : worst;
        }
    /* half the rows near 1e250, the first of them ordinary */
    for (size_t i = 0; i < N; i++)
        y[i] = (i % 2 ? 1e250 : 1e4) * (0.5 + unif(&seed)), w[i] = 1.0 + unif(&seed);
    socind__moments m;
    socind__moments_of(&(socind__rowset){y, w, 1, NULL, N}, &m);
    double ref = bandwidth_ld(y, w, N);
    assert_true(fabs(socind__bandwidth(&m) - ref) <= 1e-13 * ref);
    print_message("bandwidth with an extreme income: worst relative difference %.2g\n", worst);
    /* ordinary incomes: the first within 8 SDs of the mean, no second pass
       (the moments about the first income, as the one-pass sums make them) */
    for (size_t i = 0; i < N; i++) y[i] = 1e4 * (0.5 + unif(&seed)), w[i] = 1.0 + unif(&seed);
    socind__moments_of(&(socind__rowset){y, w, 1, NULL, N}, &m);
    assert_true(m.shift == y[0] && !socind__moments_far(&m));
    ref = bandwidth_ld(y, w, N);
    assert_true(fabs(socind__bandwidth(&m) - ref) <= 1e-13 * ref);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_within_two_ulp), cmocka_unit_test(test_log_ratio_within_two_ulp),
        cmocka_unit_test(test_kernel_sums),        cmocka_unit_test(test_moments_scale),
        cmocka_unit_test(test_moments_far_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
