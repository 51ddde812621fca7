/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/alloc_fail.h — allocation-failure injection for a test linked with
 * -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc
 * -Wl,--wrap=aligned_alloc (tests/CMakeLists.txt; the library's blocks of
 * 2 MB and more come from aligned_alloc):
 * the allocation numbered fail_at (counting from 0 at alloc_count = 0)
 * fails; fail_at = -1 fails none. Included by one .c per test executable. */
#ifndef SOCIND_TESTS_ALLOC_FAIL_H
#define SOCIND_TESTS_ALLOC_FAIL_H

#include <stddef.h>

static long fail_at = -1; /* fail the allocation with this index; -1 = never */
static long alloc_count = 0;

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__real_aligned_alloc(size_t, size_t);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t s);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t a, size_t n);

static int should_fail(void) {
    return fail_at >= 0 && alloc_count++ == fail_at;
}
void *__wrap_malloc(size_t n) {
    return should_fail() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t s) {
    return should_fail() ? NULL : __real_calloc(n, s);
}
void *__wrap_realloc(void *p, size_t n) {
    return should_fail() ? NULL : __real_realloc(p, n);
}
void *__wrap_aligned_alloc(size_t a, size_t n) {
    return should_fail() ? NULL : __real_aligned_alloc(a, n);
}

#endif
