/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/sort.c — sorting rows by a double: an LSD radix sort on the IEEE-754
 * bits (16-bit digits, passes whose digit is constant skipped), O(n), used
 * above a size threshold; qsort below it. */
#define _DEFAULT_SOURCE /* madvise */
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "internal.h"

/* Large work buffers (sorts of millions of rows) ask the kernel for huge
 * pages where it offers them on request: thousands of times fewer page
 * faults when a fresh buffer is first written. Free with free(). */
void *socind__big_alloc(size_t bytes) {
    const size_t huge = (size_t)2 << 20;
    if (bytes < 4 * huge) return malloc(bytes ? bytes : 1);
    size_t rounded = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, rounded);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

/* order-preserving integer image of a double (NaN excluded by the caller) */
static inline uint64_t key_of(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return (b >> 63) ? ~b : (b | 0x8000000000000000ULL);
}

typedef struct {
    uint64_t key;
    uint32_t row;
} keyed;

static int cmp_keyed(const void *a, const void *b) {
    uint64_t x = ((const keyed *)a)->key, y = ((const keyed *)b)->key;
    if (x != y) return x < y ? -1 : 1;
    uint32_t r = ((const keyed *)a)->row, s = ((const keyed *)b)->row;
    return (r > s) - (r < s);
}

int32_t socind__sort_rows(const double *y, uint32_t *rows, size_t n) {
    if (n < 2) return SOCIND_OK;
    keyed *a = malloc(n * sizeof *a);
    if (!a) return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the sort");
    for (size_t i = 0; i < n; i++) {
        a[i].key = key_of(y[rows[i]]);
        a[i].row = rows[i];
    }
    if (n < 2048) {
        qsort(a, n, sizeof *a, cmp_keyed);
    } else {
        keyed *b = malloc(n * sizeof *b);
        size_t *count = malloc(4 * 65536 * sizeof *count);
        if (!b || !count) {
            free(a), free(b), free(count);
            return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the sort");
        }
        memset(count, 0, 4 * 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++) {
            uint64_t k = a[i].key;
            count[k & 0xffff]++;
            count[65536 + ((k >> 16) & 0xffff)]++;
            count[2 * 65536 + ((k >> 32) & 0xffff)]++;
            count[3 * 65536 + (k >> 48)]++;
        }
        for (int pass = 0; pass < 4; pass++) {
            size_t *c = count + (size_t)pass * 65536;
            int shift = 16 * pass;
            if (c[(a[0].key >> shift) & 0xffff] == n) continue; /* one digit: nothing to do */
            size_t sum = 0;
            for (size_t d = 0; d < 65536; d++) {
                size_t t = c[d];
                c[d] = sum;
                sum += t;
            }
            for (size_t i = 0; i < n; i++) b[c[(a[i].key >> shift) & 0xffff]++] = a[i];
            keyed *t = a;
            a = b;
            b = t;
        }
        free(b);
        free(count);
    }
    for (size_t i = 0; i < n; i++) rows[i] = a[i].row;
    free(a);
    return SOCIND_OK;
}

/* Sorts a[0..n) by y ascending (no NaN): LSD radix sort over the bits in
 * which the keys differ (found first: incomes share their sign, most of
 * their exponent and, when whole numbers, their low mantissa bits), in as
 * few passes of at most 14 bits as cover them; qsort below 2048 elements. */
static int cmp_item(const void *a, const void *b) {
    uint64_t x = key_of(((const socind__item *)a)->y), y = key_of(((const socind__item *)b)->y);
    if (x != y) return x < y ? -1 : 1;
    uint32_t r = ((const socind__item *)a)->row, s = ((const socind__item *)b)->row;
    return (r > s) - (r < s);
}

int32_t socind__sort_items(socind__item *a, size_t n) {
    if (n < 2048) {
        if (n > 1) qsort(a, n, sizeof *a, cmp_item);
        return SOCIND_OK;
    }
    uint64_t first = key_of(a[0].y), diff = 0;
    for (size_t i = 1; i < n; i++) diff |= key_of(a[i].y) ^ first;
    if (diff == 0) return SOCIND_OK; /* all equal */
    int lo = __builtin_ctzll(diff), hi = 63 - __builtin_clzll(diff);
    int span = hi - lo + 1, passes = (span + 13) / 14, bits = (span + passes - 1) / passes;
    size_t nb = (size_t)1 << bits, mask = nb - 1;
    socind__item *b = socind__big_alloc(n * sizeof *b);
    size_t *count = calloc((size_t)passes * nb, sizeof *count);
    if (!b || !count) {
        free(b), free(count);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the sort");
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = key_of(a[i].y) >> lo;
        for (int p = 0; p < passes; p++) count[(size_t)p * nb + ((k >> (bits * p)) & mask)]++;
    }
    socind__item *src = a, *dst = b;
    for (int p = 0; p < passes; p++) {
        size_t *c = count + (size_t)p * nb;
        int shift = lo + bits * p;
        size_t sum = 0;
        for (size_t d = 0; d < nb; d++) {
            size_t t = c[d];
            c[d] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) dst[c[(key_of(src[i].y) >> shift) & mask]++] = src[i];
        socind__item *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(b);
    free(count);
    return SOCIND_OK;
}
