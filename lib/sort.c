/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/sort.c — sorting rows by a double: an LSD radix sort on the IEEE-754
 * bits, O(n), used above a size threshold; qsort below it. */
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
    if (bytes < huge) return malloc(bytes ? bytes : 1);
    size_t rounded = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, rounded);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p) madvise(p, rounded, MADV_HUGEPAGE);
#endif
    return p;
}

/* Sorts a[0..n) by y ascending (no NaN): LSD radix sort over the bits in
 * which the keys differ (found first: incomes share their sign, most of
 * their exponent and, when whole numbers, their low mantissa bits), in as
 * few passes of at most 14 bits as cover them; qsort below 2048 elements. */
static int cmp_item(const void *a, const void *b) {
    uint64_t x = socind__order_key(((const socind__item *)a)->y),
             y = socind__order_key(((const socind__item *)b)->y);
    if (x != y) return x < y ? -1 : 1;
    uint32_t r = ((const socind__item *)a)->row, s = ((const socind__item *)b)->row;
    return (r > s) - (r < s);
}

int32_t socind__sort_items(socind__item *a, size_t n) {
    if (n < 2048) {
        if (n > 1) qsort(a, n, sizeof *a, cmp_item);
        return SOCIND_OK;
    }
    uint64_t first = socind__order_key(a[0].y), diff = 0;
    for (size_t i = 1; i < n; i++) diff |= socind__order_key(a[i].y) ^ first;
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
        uint64_t k = socind__order_key(a[i].y) >> lo;
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
        for (size_t i = 0; i < n; i++)
            dst[c[(socind__order_key(src[i].y) >> shift) & mask]++] = src[i];
        socind__item *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
    free(b);
    free(count);
    return SOCIND_OK;
}
