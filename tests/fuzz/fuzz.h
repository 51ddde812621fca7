/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz.h — what the harnesses share: a reader that turns the
 * fuzzer's bytes into values (it never fails: past the end it reads zeros),
 * the contract checks, and a GSL error handler that aborts with a message.
 *
 * A harness defines LLVMFuzzerTestOneInput. Built with SOCIND_FUZZ (clang),
 * libFuzzer's main drives it; otherwise replay.c's main runs it once on each
 * file of a corpus, which is how ctest replays tests/fuzz/corpus/ in every
 * build (the -Werror build, ASan/UBSan, TSan, coverage).
 *
 * A broken contract aborts naming the check and, when replaying, the file:
 * libFuzzer keeps such an input as crash-*. An input that breaks the
 * contract before its fix is kept in tests/fuzz/pending/ until the fix lands,
 * then moves into the corpus (tests/fuzz/pending/README.md). */
#ifndef SOCIND_FUZZ_H
#define SOCIND_FUZZ_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the file being replayed (replay.c defines it), for messages; NULL under
 * libFuzzer */
__attribute__((weak)) const char *fz_current_input;

#include <stdarg.h>
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2), noreturn))
#endif
static inline void
fz_fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "\ncontract violated: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    if (fz_current_input) fprintf(stderr, "\n  input: %s", fz_current_input);
    fprintf(stderr, "\n");
    fflush(stderr);
    abort();
}

#define FZ_CHECK(cond, ...)                                                                        \
    do {                                                                                           \
        if (!(cond)) fz_fail(__VA_ARGS__);                                                         \
    } while (0)

/* ------------------------------------------------------------ the bytes */

typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in;

static inline uint8_t fz_byte(fz_in *in) {
    if (in->n == 0) return 0;
    in->n--;
    return *in->p++;
}

static inline uint32_t fz_u32(fz_in *in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = v << 8 | fz_byte(in);
    return v;
}

static inline uint64_t fz_u64(fz_in *in) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | fz_byte(in);
    return v;
}

/* values a numerical routine finds hard */
static inline double fz_special(unsigned i) {
    static const double v[] = {
        NAN,
        INFINITY,
        -INFINITY,
        0.0,
        -0.0,
        DBL_MIN,
        -DBL_MIN,
        4.9406564584124654e-324,
        DBL_MAX,
        -DBL_MAX,
        1e-300,
        1e300,
        0.5,
        1.0,
        -1.0,
        1e-17,
        1e17,
        1e-8,
        1e8,
        -1e-300,
        2.0,
        0.999999,
        1e308,
        -0.5,
        1e-310,
        3.0,
        1e154,
        1e-154,
        100.0,
        9007199254740993.0,
        1.0 + DBL_EPSILON,
        1.0 - DBL_EPSILON / 2,
    };
    return v[i % (sizeof v / sizeof v[0])];
}

/* Any double: small integers, incomes, fractions, the hard values above, or
 * eight raw bytes. */
static inline double fz_double(fz_in *in) {
    uint8_t k = fz_byte(in), b = fz_byte(in);
    switch (k % 8) {
    case 0:
    case 1:
        return (double)(int8_t)b;
    case 2:
        return (b + 1) * 1000.0;
    case 3:
        return b / 255.0;
    case 4:
        return fz_special(b);
    case 5: {
        uint64_t bits = (uint64_t)b << 56 | (fz_u64(in) >> 8);
        /* never the poison pattern of the outputs (a quantile returns a
           data value: it would look like an output left unset) */
        if (bits == 0xA5A5A5A5A5A5A5A5ull) bits ^= 1;
        double d;
        memcpy(&d, &bits, sizeof d);
        return d;
    }
    case 6:
        return exp(b / 16.0);
    default:
        return (b - 128) / 8.0;
    }
}

/* Mostly a number in [lo, hi], sometimes one of the hard values. */
static inline double fz_range(fz_in *in, double lo, double hi) {
    uint8_t k = fz_byte(in), b = fz_byte(in);
    if (k % 16 == 15) return fz_special(b);
    if (k % 16 == 14) return lo - (hi - lo) * b / 255.0; /* below the range */
    return lo + (hi - lo) * (((unsigned)k << 8 | b) / 65535.0);
}

/* A probability-like parameter: usual values, the edges, or anything. */
static inline double fz_prob(fz_in *in) {
    static const double usual[] = {0.5, 0.2, 0.8, 0.4, 0.9, 0.1, 0.6, 0.95, 0.99, 0.01};
    uint8_t k = fz_byte(in);
    if (k < 160) return usual[k % 10];
    if (k < 240) return (k - 160 + 1) / 81.0;
    return fz_double(in);
}

static inline int32_t fz_code(fz_in *in, int32_t lo, int32_t hi) {
    uint8_t b = fz_byte(in);
    if (b == 255) return (int32_t)fz_u32(in); /* anything */
    return lo + (int32_t)(b % (uint32_t)(hi - lo + 1));
}

/* ------------------------------------------------------------ checks */

/* Every byte of an output is set to this before a call: a byte pattern
 * still there afterwards is an output the call left undefined. */
#define FZ_POISON 0xA5
static inline int fz_is_poison(const void *p, size_t size) {
    const unsigned char *c = p;
    for (size_t i = 0; i < size; i++)
        if (c[i] != FZ_POISON) return 0;
    return 1;
}

#endif
