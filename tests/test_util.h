/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_util.h — shared helpers for the cmocka tests: a double-precision
 * assert_close, a GSL error handler that fails the running test, and a small
 * CSV table reader for the reference files. */
#ifndef SOCIND_TEST_UTIL_H
#define SOCIND_TEST_UTIL_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

/* |actual − expected| <= rel_tol·|expected|, with an absolute floor abs_floor
 * (for values that are 0 in exact arithmetic). Both NaN counts as equal. */
#define assert_close_abs(actual, expected, rel_tol, abs_floor)                                     \
    test_assert_close((actual), (expected), (rel_tol), (abs_floor), #actual, __FILE__, __LINE__)
#define assert_close(actual, expected, rel_tol) assert_close_abs(actual, expected, rel_tol, 0.0)

static inline void test_assert_close(double a, double e, double rel, double abs_floor,
                                     const char *expr, const char *file, int line) {
    if (isnan(a) && isnan(e)) return;
    double diff = fabs(a - e);
    double tol = rel * fabs(e);
    if (tol < abs_floor) tol = abs_floor;
    if (!(diff <= tol) || (isnan(a) != isnan(e))) {
        print_error("%s: %s = %.17g, expected %.17g (diff %.3g, tol %.3g)\n", file, expr, a, e,
                    diff, tol);
        _fail(file, line);
    }
}

/* GSL's default handler aborts; the suite replaces it with one that fails the
 * running test so any path reaching it is reported. */
static inline void test_gsl_handler(const char *reason, const char *file, int line, int gsl_errno) {
    print_error("GSL error handler reached: %s (%s:%d, errno %d)\n", reason, file, line, gsl_errno);
    _fail(file, line);
}
static inline void test_install_gsl_handler(void) {
    gsl_set_error_handler(test_gsl_handler);
}

/* ---- CSV table (header row; quoted fields; NA/empty -> "" strings) ---- */
typedef struct {
    size_t nrow, ncol;
    char **header; /* ncol */
    char ***cell;  /* nrow × ncol */
} test_csv;

static inline char *test_strdup(const char *s, size_t len) {
    char *r = malloc(len + 1);
    memcpy(r, s, len);
    r[len] = 0;
    return r;
}

/* Splits one line (no newline) into fields; returns count. */
static inline size_t test_csv_split(const char *line, char ***fields_out) {
    size_t cap = 16, n = 0;
    char **f = malloc(cap * sizeof *f);
    const char *p = line;
    char *buf = malloc(strlen(line) + 1);
    for (;;) {
        size_t bl = 0;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    buf[bl++] = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else if (*p == 0) {
                    break;
                } else {
                    buf[bl++] = *p++;
                }
            }
        }
        while (*p && *p != ',') buf[bl++] = *p++;
        if (n == cap) f = realloc(f, (cap *= 2) * sizeof *f);
        f[n++] = test_strdup(buf, bl);
        if (*p == ',') {
            p++;
            continue;
        }
        break;
    }
    free(buf);
    *fields_out = f;
    return n;
}

static inline test_csv *test_csv_read(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        print_error("cannot open %s\n", path);
        return NULL;
    }
    test_csv *t = calloc(1, sizeof *t);
    size_t cap = 1024;
    t->cell = malloc(cap * sizeof *t->cell);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    int first = 1;
    while ((len = getline(&line, &lcap, fp)) >= 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0) continue;
        char **f;
        size_t nf = test_csv_split(line, &f);
        if (first) {
            t->header = f;
            t->ncol = nf;
            first = 0;
            continue;
        }
        if (nf != t->ncol) {
            print_error("%s: row %zu has %zu fields, expected %zu\n", path, t->nrow + 2, nf,
                        t->ncol);
            for (size_t i = 0; i < nf; i++) free(f[i]);
            free(f);
            continue;
        }
        if (t->nrow == cap) t->cell = realloc(t->cell, (cap *= 2) * sizeof *t->cell);
        t->cell[t->nrow++] = f;
    }
    free(line);
    fclose(fp);
    return t;
}

static inline void test_csv_free(test_csv *t) {
    if (!t) return;
    for (size_t r = 0; r < t->nrow; r++) {
        for (size_t c = 0; c < t->ncol; c++) free(t->cell[r][c]);
        free(t->cell[r]);
    }
    for (size_t c = 0; c < t->ncol; c++) free(t->header[c]);
    free(t->header);
    free(t->cell);
    free(t);
}

static inline int test_csv_col(const test_csv *t, const char *name) {
    for (size_t c = 0; c < t->ncol; c++)
        if (strcmp(t->header[c], name) == 0) return (int)c;
    print_error("no column %s\n", name);
    return -1;
}

/* Numeric value of a cell: NA / empty -> NaN. */
static inline double test_num(const char *s) {
    if (!s || !*s || strcmp(s, "NA") == 0) return NAN;
    if (strcmp(s, "Inf") == 0) return INFINITY;
    if (strcmp(s, "-Inf") == 0) return -INFINITY;
    return strtod(s, NULL);
}

/* A column as doubles (caller frees). */
static inline double *test_csv_doubles(const test_csv *t, const char *name) {
    int c = test_csv_col(t, name);
    if (c < 0) return NULL;
    double *v = malloc((t->nrow ? t->nrow : 1) * sizeof *v);
    for (size_t r = 0; r < t->nrow; r++) v[r] = test_num(t->cell[r][c]);
    return v;
}

static inline int64_t *test_csv_int64(const test_csv *t, const char *name) {
    int c = test_csv_col(t, name);
    if (c < 0) return NULL;
    int64_t *v = malloc((t->nrow ? t->nrow : 1) * sizeof *v);
    for (size_t r = 0; r < t->nrow; r++) v[r] = strtoll(t->cell[r][c], NULL, 10);
    return v;
}

/* Rewrites the CRC-32 (zlib's: reflected 0xEDB88320, initial value and
 * final XOR 0xFFFFFFFF) of a partial state's bytes b[0 .. len − 4) into
 * their last 4 bytes, little-endian: bytes changed on purpose then reach
 * the reader's other checks. Computed here bit by bit, independently of
 * the library's table-driven CRC. */
static inline void test_fix_crc(unsigned char *b, size_t len) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i + 4 < len; i++) {
        c ^= b[i];
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    c = ~c;
    for (int i = 0; i < 4; i++) b[len - 4 + (size_t)i] = (unsigned char)(c >> (8 * i));
}

#ifndef SOCIND_TEST_REFDIR
#define SOCIND_TEST_REFDIR "tests/reference"
#endif

#endif /* SOCIND_TEST_UTIL_H */
