/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_kernel.c — the exponential, logarithm and Gaussian kernel sums
 * of lib/kernel.c against the C library, one argument at a time. */
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

static void gauss_sums_match_libm(void) {
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
    /* bandwidths with the two points' bands overlapping and apart */
    for (int hi = 0; hi < 2; hi++) {
        const double x[2] = {y[5], y[5] > 1800.0 ? y[5] - 700.0 : y[5] + 700.0};
        const double h = hi ? 10.0 : 400.0;
        double F[2], t2[2];
        socind__gauss_sums(y, w, N, x, 1.0 / h, F, t2);
        for (int j = 0; j < 2; j++) {
            long double ref = 0.0L;
            double tmin = INFINITY;
            for (int i = 0; i < N; i++) {
                if (isnan(y[i]) || !(w[i] > 0.0)) continue;
                double t = (x[j] - y[i]) * (1.0 / h), q = t * t;
                tmin = q < tmin ? q : tmin;
                if (q <= 83.0) ref += w[i] * exp(-0.5 * q) * 0.398942280401432677939946059934L;
            }
            assert_true(F[j] > 0.0);
            assert_true(fabs(F[j] - (double)ref) <= 1e-14 * (double)ref);
            assert_true(t2[j] == tmin);
        }
        /* the largest term of the sum at x[0] is that of y[5] itself */
        assert_true(t2[0] == 0.0);
    }
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

static void test_gauss_sums_match_libm(void **state) {
    (void)state;
    for (int scalar = 0; scalar <= 1; scalar++) {
        socind__kernel_scalar = scalar;
        if (scalar) assert_int_equal(socind__kernel_wide(), 0);
        gauss_sums_match_libm();
    }
    socind__kernel_scalar = 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_within_two_ulp),
        cmocka_unit_test(test_log_ratio_within_two_ulp),
        cmocka_unit_test(test_gauss_sums_match_libm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
