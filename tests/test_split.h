/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_split.h — a test file's tests in two groups: those that start
 * threads and those that start none.
 *
 * ThreadSanitizer looks for races between threads. Its pass (ctest -L
 * threads in a build with -fsanitize=thread: scripts/test-all.sh) runs the
 * first group only: a test that starts no thread has nothing to race with,
 * and it runs in the -Werror, ASan + UBSan and clang builds. In every build
 * each test is checked to stand in its right group — one listed with
 * SPLIT_THREADS must start a thread (socind__parallel, counted in
 * socind__threads_started), one listed with SPLIT_ONE_THREAD none — so a
 * test that comes to start threads cannot drop out of the ThreadSanitizer
 * pass unseen. A test that asks for threads = 0 (all cores) starts threads
 * only on a machine with two cores or more: the suite is run on such.
 *
 *   const struct CMUnitTest tests[] = {SPLIT_THREADS(test_a),
 *                                      SPLIT_ONE_THREAD(test_b), …};
 *   return split_run(tests, group_setup, group_teardown);
 *
 * Needs the testing library (socind_test(… TESTING): internal.h's test
 * switches). */
#ifndef SOCIND_TEST_SPLIT_H
#define SOCIND_TEST_SPLIT_H

#include "test_util.h"

#include "internal.h"

#if defined(__SANITIZE_THREAD__)
#define SPLIT_UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SPLIT_UNDER_TSAN 1
#endif
#endif
#ifndef SPLIT_UNDER_TSAN
#define SPLIT_UNDER_TSAN 0
#endif
/* AddressSanitizer (GCC's __SANITIZE_ADDRESS__, clang's feature): a test may
 * take fewer random draws there too */
#if defined(__SANITIZE_ADDRESS__)
#define SPLIT_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPLIT_UNDER_ASAN 1
#endif
#endif
#ifndef SPLIT_UNDER_ASAN
#define SPLIT_UNDER_ASAN 0
#endif

static inline int split_reset(void **state) {
    (void)state;
    socind__threads_started = 0;
    return 0;
}

static inline int split_started_some(void **state) {
    (void)state;
    if (socind__threads_started > 0) return 0;
    print_error("this test started no thread: list it with SPLIT_ONE_THREAD\n");
    return -1;
}

static inline int split_started_none(void **state) {
    (void)state;
    if (socind__threads_started == 0) return 0;
    print_error("this test started %d threads: list it with SPLIT_THREADS (so that "
                "ThreadSanitizer runs it)\n",
                socind__threads_started);
    return -1;
}

#define SPLIT_THREADS(f) cmocka_unit_test_setup_teardown(f, split_reset, split_started_some)
#define SPLIT_ONE_THREAD(f) cmocka_unit_test_setup_teardown(f, split_reset, split_started_none)

/* Runs tests[0 .. n) as cmocka_run_group_tests does; under ThreadSanitizer
 * only those listed with SPLIT_THREADS, in their order. */
static inline int split_run_n(const struct CMUnitTest *tests, size_t n, CMFixtureFunction setup,
                              CMFixtureFunction teardown) {
    if (!SPLIT_UNDER_TSAN) return _cmocka_run_group_tests("tests", tests, n, setup, teardown);
    struct CMUnitTest *keep = malloc((n ? n : 1) * sizeof *keep);
    if (!keep) return 1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (tests[i].teardown_func != split_started_none) keep[k++] = tests[i];
    print_message("%zu of %zu tests start threads: the others are left to the builds without "
                  "ThreadSanitizer\n",
                  k, n);
    const int failed = _cmocka_run_group_tests("tests", keep, k, setup, teardown);
    free(keep);
    return failed;
}
#define split_run(tests, setup, teardown)                                                          \
    split_run_n(tests, sizeof(tests) / sizeof *(tests), setup, teardown)

#endif
