/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/bench_util.h — timing, a deterministic generator and the plain
 * weighted-sum baseline every benchmark prints next to its own figures. */
#ifndef SOCIND_BENCH_UTIL_H
#define SOCIND_BENCH_UTIL_H

#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

static inline double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* splitmix64: deterministic, fast */
static inline uint64_t bench_rng(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
static inline double bench_unif(uint64_t *s) {
    return (double)(bench_rng(s) >> 11) * 0x1.0p-53;
}

/* The baseline: Σ w·x over the same arrays (what memory bandwidth allows). */
static inline double bench_plain_sum(const double *w, const double *x, size_t n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += w[k] * x[k];
        s1 += w[k + 1] * x[k + 1];
        s2 += w[k + 2] * x[k + 2];
        s3 += w[k + 3] * x[k + 3];
    }
    for (; k < n; k++) s0 += w[k] * x[k];
    return (s0 + s1) + (s2 + s3);
}

/* Best of `reps` timings of a block. */
#define BENCH_BEST(reps, best, block)                                                              \
    do {                                                                                           \
        best = 1e300;                                                                              \
        for (int r_ = 0; r_ < (reps); r_++) {                                                      \
            double t0_ = bench_now();                                                              \
            block;                                                                                 \
            double t_ = bench_now() - t0_;                                                         \
            if (t_ < best) best = t_;                                                              \
        }                                                                                          \
    } while (0)

#endif
