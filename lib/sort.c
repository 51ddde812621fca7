/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/sort.c — sorting rows by a double: an LSD radix sort on the IEEE-754
 * bits, O(n), used above a size threshold; qsort below it. */
#define _DEFAULT_SOURCE /* madvise */
#include <stdint.h>
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

void *socind__big_calloc(size_t bytes) {
    if (bytes < ((size_t)2 << 20)) return calloc(bytes ? bytes : 1, 1);
    void *p = socind__big_alloc(bytes);
    if (p) memset(p, 0, bytes);
    return p;
}

/* Sorts a[0..n) by y ascending (no NaN), stable (ties keep their order):
 * qsort below 2048 elements (ties by row); else a radix sort over the bits
 * in which the keys differ (found first: incomes share their sign, most of
 * their exponent and, when whole numbers, their low mantissa bits). When
 * those bits need three or more passes of 14 bits and the rows are many,
 * one pass first scatters the rows by the top MSD_BITS of those bits into
 * buckets (in key order), and each bucket — a few thousand rows, in the
 * processor's cache — is sorted on its own (two LSD passes with digits
 * sized to it over its top differing bits, then insertion; insertion alone
 * below 24 rows): the passes over memory that scatter to tens of
 * thousands of places, the costly part, fall from three or four to one.
 * The order is the same either way (a stable sort by key). */
static int cmp_item(const void *a, const void *b) {
    uint64_t x = socind__order_key(((const socind__item *)a)->y),
             y = socind__order_key(((const socind__item *)b)->y);
    if (x != y) return x < y ? -1 : 1;
    uint32_t r = ((const socind__item *)a)->row, s = ((const socind__item *)b)->row;
    return (r > s) - (r < s);
}

#define MSD_BITS 12
#define MSD_MIN_ROWS ((size_t)1 << 15)
#define SMALL_MAX_BITS 11

/* The bits in which a[0 .. n)'s keys differ (0: all equal). */
static uint64_t key_diff(const socind__item *a, size_t n) {
    uint64_t first = socind__order_key(a[0].y), diff = 0;
    for (size_t i = 1; i < n; i++) diff |= socind__order_key(a[i].y) ^ first;
    return diff;
}

/* LSD radix passes of `bits` bits over the bits lo .. lo + passes·bits of
 * the keys, a → tmp → a …, counts in count (passes · 2^bits, zeroed here);
 * the result ends in a. */
static void lsd_passes(socind__item *a, socind__item *tmp, size_t n, int lo, int passes, int bits,
                       size_t *count) {
    const size_t nb = (size_t)1 << bits, mask = nb - 1;
    memset(count, 0, (size_t)passes * nb * sizeof *count);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = socind__order_key(a[i].y) >> lo;
        for (int p = 0; p < passes; p++) count[(size_t)p * nb + ((k >> (bits * p)) & mask)]++;
    }
    socind__item *src = a, *dst = tmp;
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
}

/* Insertion sort of a[0 .. n), stable, that gives up once it has moved
 * more than `budget` rows (finishing the row in hand: a[0 .. n) is then a
 * permutation in which equal keys keep their order). 1 when sorted. */
static int insertion_bounded(socind__item *a, size_t n, size_t budget) {
    size_t moved = 0;
    for (size_t i = 1; i < n; i++) {
        const uint64_t kx = socind__order_key(a[i].y);
        if (socind__order_key(a[i - 1].y) <= kx) continue;
        const socind__item x = a[i];
        size_t j = i;
        for (; j > 0 && socind__order_key(a[j - 1].y) > kx; j--) a[j] = a[j - 1];
        a[j] = x;
        moved += i - j;
        if (moved > budget) return 0;
    }
    return 1;
}

/* A bucket a[0 .. n) sorted in the cache, stable (tmp: n elements of
 * scratch; count: SOCIND__SORT_COUNT elements). Keys that differ in more
 * bits than two passes of digits sized to n cover (incomes within a
 * bucket of a few thousand rows: 40 bits or more) are sorted by the top
 * bits those two passes cover, which leaves about n²/2^(2·digit + 1)
 * pairs of rows out of order, and then by insertion; should insertion
 * have to move more than 4n rows (keys that differ low only), the LSD
 * passes over every differing bit follow. Either way a stable sort by
 * key: equal keys never change their order. */
_Static_assert(SOCIND__SORT_COUNT >= 8 * ((size_t)1 << SMALL_MAX_BITS), "count's size");
void socind__sort_items_cached(socind__item *a, size_t n, socind__item *tmp, size_t *count) {
    if (n < 24) {
        insertion_bounded(a, n, SIZE_MAX);
        return;
    }
    const uint64_t diff = key_diff(a, n);
    if (diff == 0) return;
    const int lo = __builtin_ctzll(diff), span = 64 - __builtin_clzll(diff) - lo;
    int most = 62 - __builtin_clzll((uint64_t)n); /* about log2(n) − 1 */
    most = most < 4 ? 4 : most > SMALL_MAX_BITS ? SMALL_MAX_BITS : most;
    const int passes = (span + most - 1) / most, bits = (span + passes - 1) / passes;
    if (passes > 2) {
        lsd_passes(a, tmp, n, lo + span - 2 * most, 2, most, count);
        if (insertion_bounded(a, n, 4 * n)) return;
    }
    lsd_passes(a, tmp, n, lo, passes, bits, count);
}

int32_t socind__sort_items(socind__item *a, size_t n) {
    if (n < 2048) {
        if (n > 1) qsort(a, n, sizeof *a, cmp_item);
        return SOCIND_OK;
    }
    const uint64_t diff = key_diff(a, n);
    if (diff == 0) return SOCIND_OK; /* all equal */
    const int lo = __builtin_ctzll(diff), hi = 63 - __builtin_clzll(diff);
    const int span = hi - lo + 1, passes = (span + 13) / 14, bits = (span + passes - 1) / passes;
    const int msd = n >= MSD_MIN_ROWS && passes >= 3;
    socind__item *b = socind__big_alloc(n * sizeof *b);
    const size_t ncount =
        msd ? ((size_t)1 << MSD_BITS) + 1 + SOCIND__SORT_COUNT : (size_t)passes << bits;
    size_t *count = malloc(ncount * sizeof *count);
    if (!b || !count) {
        free(b), free(count);
        return socind__fail(SOCIND_ERR_NOMEM, "allocation failed for the sort");
    }
    if (!msd) {
        lsd_passes(a, b, n, lo, passes, bits, count);
    } else {
        /* the buckets of the top MSD_BITS differing bits, a → b, stable */
        const int sh = hi + 1 - MSD_BITS;
        const size_t nb = (size_t)1 << MSD_BITS, mask = nb - 1;
        size_t *start = count, *small = count + nb + 1;
        memset(start, 0, (nb + 1) * sizeof *start);
        for (size_t i = 0; i < n; i++) start[((socind__order_key(a[i].y) >> sh) & mask) + 1]++;
        for (size_t d = 1; d <= nb; d++) start[d] += start[d - 1];
        /* (small's space holds the next slots while scattering) */
        size_t *next = small;
        memcpy(next, start, nb * sizeof *next);
        for (size_t i = 0; i < n; i++) b[next[(socind__order_key(a[i].y) >> sh) & mask]++] = a[i];
        /* each bucket sorted, then copied back while it is in the cache */
        for (size_t d = 0; d < nb; d++) {
            const size_t s = start[d], m = start[d + 1] - s;
            if (m > 1) socind__sort_items_cached(b + s, m, a + s, small);
            memcpy(a + s, b + s, m * sizeof *a);
        }
    }
    free(b);
    free(count);
    return SOCIND_OK;
}
