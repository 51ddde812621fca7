/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_codes.c — socind_codes: int64 and string labels to dense codes
 * in sorted order and back. The contract of every function (each bad
 * argument and its status, outputs defined on failure), codes against an
 * independent reference (a qsort of the labels) on random and hostile
 * labels (INT64_MIN/MAX, empty, long, high-byte and colliding strings, every
 * label missing), row order not mattering, codes fed to an estimator, and
 * every allocation failed in turn (malloc/calloc/realloc wrapped at link
 * time: SOCIND_ERR_NOMEM, *out NULL, nothing leaked under ASan). */
#include "test_util.h"

#include <limits.h>

#include "socind/socind.h"

#include "internal.h" /* socind__codes_weak_hash */

#include "alloc_fail.h"

static uint64_t rng = 20260118;
static uint64_t next_u64(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* ---- the reference: each row's code is the rank of its label among the
 * sorted distinct labels, found by a qsort and a binary search ---- */

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check_int64(size_t n, const int64_t *lab, const uint8_t *miss) {
    int64_t *u = malloc((n ? n : 1) * sizeof *u);
    size_t k = 0, nmiss = 0;
    for (size_t r = 0; r < n; r++)
        if (miss && miss[r])
            nmiss++;
        else
            u[k++] = lab[r];
    qsort(u, k, sizeof *u, cmp_i64);
    size_t d = 0;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || u[i] != u[d - 1]) u[d++] = u[i];
    socind_codes *c = NULL;
    assert_int_equal(socind_codes_from_int64(n, lab, miss, &c), SOCIND_OK);
    assert_non_null(c);
    assert_int_equal(socind_codes_kind(c), SOCIND_CODES_INT64);
    assert_int_equal(socind_codes_count(c), (int32_t)d);
    assert_int_equal(socind_codes_nrows(c), n);
    assert_int_equal(socind_codes_nmissing(c), nmiss);
    const int32_t *code = socind_codes_row_codes(c);
    if (n == 0) assert_null(code);
    for (size_t r = 0; r < n; r++) {
        if (miss && miss[r]) {
            assert_int_equal(code[r], -1);
            continue;
        }
        int64_t *at = bsearch(&lab[r], u, d, sizeof *u, cmp_i64);
        assert_non_null(at);
        assert_int_equal(code[r], (int32_t)(at - u));
    }
    for (size_t j = 0; j < d; j++) {
        int64_t v = 1;
        assert_int_equal(socind_codes_int64_label(c, (int32_t)j, &v), SOCIND_OK);
        assert_true(v == u[j]);
        char buf[32], want[32];
        size_t need = 0;
        snprintf(want, sizeof want, "%lld", (long long)u[j]);
        assert_int_equal(socind_codes_string_label(c, (int32_t)j, buf, sizeof buf, &need),
                         SOCIND_OK);
        assert_string_equal(buf, want);
        assert_int_equal(need, strlen(want) + 1);
    }
    int32_t *copy = malloc((n ? n : 1) * sizeof *copy);
    assert_int_equal(socind_codes_copy_row_codes(c, copy, n), SOCIND_OK);
    if (n) assert_memory_equal(copy, code, n * sizeof *copy);
    free(copy);
    socind_codes_free(c);
    free(u);
}

static void check_strings(size_t n, const char *const *lab) {
    const char **u = malloc((n ? n : 1) * sizeof *u);
    size_t k = 0, nmiss = 0;
    for (size_t r = 0; r < n; r++)
        if (!lab[r])
            nmiss++;
        else
            u[k++] = lab[r];
    qsort(u, k, sizeof *u, cmp_str);
    size_t d = 0;
    for (size_t i = 0; i < k; i++)
        if (i == 0 || strcmp(u[i], u[d - 1]) != 0) u[d++] = u[i];
    socind_codes *c = NULL;
    assert_int_equal(socind_codes_from_strings(n, lab, &c), SOCIND_OK);
    assert_int_equal(socind_codes_kind(c), SOCIND_CODES_STRING);
    assert_int_equal(socind_codes_count(c), (int32_t)d);
    assert_int_equal(socind_codes_nrows(c), n);
    assert_int_equal(socind_codes_nmissing(c), nmiss);
    const int32_t *code = socind_codes_row_codes(c);
    for (size_t r = 0; r < n; r++) {
        if (!lab[r]) {
            assert_int_equal(code[r], -1);
            continue;
        }
        const char **at = bsearch(&lab[r], u, d, sizeof *u, cmp_str);
        assert_non_null(at);
        assert_int_equal(code[r], (int32_t)(at - u));
    }
    char small[64];
    for (size_t j = 0; j < d; j++) {
        size_t need = 0, len = strlen(u[j]);
        assert_int_equal(socind_codes_string_label(c, (int32_t)j, NULL, 0, &need), SOCIND_OK);
        assert_int_equal(need, len + 1);
        char *buf = malloc(need);
        assert_int_equal(socind_codes_string_label(c, (int32_t)j, buf, need, NULL), SOCIND_OK);
        assert_string_equal(buf, u[j]);
        free(buf);
        if (len + 1 > sizeof small) {
            need = 0;
            small[0] = 'x';
            assert_int_equal(socind_codes_string_label(c, (int32_t)j, small, sizeof small, &need),
                             SOCIND_ERR_BUFFER);
            assert_int_equal(need, len + 1);
            assert_int_equal(small[0], '\0');
        }
        int64_t v = 7;
        assert_int_equal(socind_codes_int64_label(c, (int32_t)j, &v), SOCIND_ERR_ARG);
        assert_true(v == 0);
    }
    socind_codes_free(c);
    free(u);
}

/* ---- int64 labels ---- */

static void test_int64_order(void **state) {
    (void)state;
    /* BPS sub-district codes, negatives, both ends of int64 */
    const int64_t lab[] = {1606010, 1606020, 1606010, -5, INT64_MIN, INT64_MAX, 0, -5, 1606020};
    const size_t n = sizeof lab / sizeof *lab;
    socind_codes *c = NULL;
    assert_int_equal(socind_codes_from_int64(n, lab, NULL, &c), SOCIND_OK);
    const int32_t want[] = {3, 4, 3, 1, 0, 5, 2, 1, 4};
    assert_memory_equal(socind_codes_row_codes(c), want, sizeof want);
    assert_int_equal(socind_codes_count(c), 6);
    char buf[24];
    assert_int_equal(socind_codes_string_label(c, 0, buf, sizeof buf, NULL), SOCIND_OK);
    assert_string_equal(buf, "-9223372036854775808"); /* the longest, 21 bytes */
    socind_codes_free(c);
    check_int64(n, lab, NULL);
}

static void test_int64_missing(void **state) {
    (void)state;
    const int64_t lab[] = {7, -99, 3, 7, 12345, 3};
    const uint8_t miss[] = {0, 1, 0, 0, 255, 0}; /* any nonzero byte */
    socind_codes *c = NULL;
    assert_int_equal(socind_codes_from_int64(6, lab, miss, &c), SOCIND_OK);
    const int32_t want[] = {1, -1, 0, 1, -1, 0};
    assert_memory_equal(socind_codes_row_codes(c), want, sizeof want);
    assert_int_equal(socind_codes_count(c), 2);
    assert_int_equal(socind_codes_nmissing(c), 2);
    socind_codes_free(c);
    check_int64(6, lab, miss);
    /* every label missing: a handle without codes */
    const uint8_t all[] = {1, 1, 1, 1, 1, 1};
    check_int64(6, lab, all);
    /* n = 0, labels NULL allowed */
    check_int64(0, NULL, NULL);
}

static void test_int64_random(void **state) {
    (void)state;
    enum { N = 200000 };
    int64_t *lab = malloc(N * sizeof *lab);
    uint8_t *miss = malloc(N);
    /* many distinct values over the whole range (the radix sort's every
       byte), few distinct values differing in one high byte only, and
       consecutive ids */
    for (int kind = 0; kind < 4; kind++) {
        for (size_t r = 0; r < N; r++) {
            uint64_t x = next_u64();
            if (kind == 0)
                lab[r] = (int64_t)x;
            else if (kind == 1)
                lab[r] = (int64_t)((x % 50) << 48) - ((int64_t)1 << 52);
            else if (kind == 2)
                lab[r] = 1600000000 + (int64_t)(x % 40000);
            else
                lab[r] = (int64_t)(x % 3) - 1;
            miss[r] = next_u64() % 10 == 0;
        }
        check_int64(N, lab, NULL);
        check_int64(N, lab, miss);
    }
    free(lab);
    free(miss);
}

/* The codes belong to the labels, not to the rows' order. */
static void test_order_independent(void **state) {
    (void)state;
    enum { N = 5000 };
    int64_t a[N], b[N];
    const char *sa[N], *sb[N];
    static char text[N][16];
    for (int r = 0; r < N; r++) {
        a[r] = (int64_t)(next_u64() % 700) * 1000 - 300000;
        snprintf(text[r], sizeof text[r], "kec-%d", (int)(next_u64() % 500));
        sa[r] = text[r];
    }
    int perm[N];
    for (int r = 0; r < N; r++) perm[r] = r;
    for (int r = N - 1; r > 0; r--) {
        int j = (int)(next_u64() % (uint64_t)(r + 1)), t = perm[r];
        perm[r] = perm[j];
        perm[j] = t;
    }
    for (int r = 0; r < N; r++) b[r] = a[perm[r]], sb[r] = sa[perm[r]];
    socind_codes *ca, *cb, *ta, *tb;
    assert_int_equal(socind_codes_from_int64(N, a, NULL, &ca), SOCIND_OK);
    assert_int_equal(socind_codes_from_int64(N, b, NULL, &cb), SOCIND_OK);
    assert_int_equal(socind_codes_from_strings(N, sa, &ta), SOCIND_OK);
    assert_int_equal(socind_codes_from_strings(N, sb, &tb), SOCIND_OK);
    for (int r = 0; r < N; r++) {
        assert_int_equal(socind_codes_row_codes(cb)[r], socind_codes_row_codes(ca)[perm[r]]);
        assert_int_equal(socind_codes_row_codes(tb)[r], socind_codes_row_codes(ta)[perm[r]]);
    }
    socind_codes_free(ca);
    socind_codes_free(cb);
    socind_codes_free(ta);
    socind_codes_free(tb);
}

/* ---- string labels ---- */

static void test_strings_order(void **state) {
    (void)state;
    /* byte order: upper case before lower, "é" (0xC3 0xA9) after ASCII, a
       prefix before its extensions, "" a label, NULL missing, trailing
       spaces significant */
    const char *lab[] = {"Sekayu", "sekayu", NULL, "Sekayu ", "",  "\xc3\xa9", "Babat Toman",
                         "Sekayu", "B",      "",   "\xff",    "a", NULL,       "Sekayu"};
    const size_t n = sizeof lab / sizeof *lab;
    socind_codes *c = NULL;
    assert_int_equal(socind_codes_from_strings(n, lab, &c), SOCIND_OK);
    /* sorted: "" "B" "Babat Toman" "Sekayu" "Sekayu " "a" "sekayu" "é" "\xff" */
    const int32_t want[] = {3, 6, -1, 4, 0, 7, 2, 3, 1, 0, 8, 5, -1, 3};
    assert_memory_equal(socind_codes_row_codes(c), want, sizeof want);
    assert_int_equal(socind_codes_count(c), 9);
    assert_int_equal(socind_codes_nmissing(c), 2);
    size_t need = 99;
    char buf[16];
    assert_int_equal(socind_codes_string_label(c, 0, buf, 1, &need), SOCIND_OK);
    assert_int_equal(need, 1);
    assert_string_equal(buf, "");
    assert_int_equal(socind_codes_string_label(c, 2, buf, 11, &need), SOCIND_ERR_BUFFER);
    assert_int_equal(need, 12);
    assert_string_equal(buf, "");
    assert_int_equal(socind_codes_string_label(c, 2, buf, 12, &need), SOCIND_OK);
    assert_string_equal(buf, "Babat Toman");
    socind_codes_free(c);
    check_strings(n, lab);
    const char *none[] = {NULL, NULL, NULL};
    check_strings(3, none);
    check_strings(0, NULL);
}

/* Random labels: many distinct ones, shared prefixes, a long one (1 MB),
 * and — with the test switch that hashes a label to its length — every
 * distinct label of a length colliding with the others. */
static void test_strings_hostile(void **state) {
    (void)state;
    enum { N = 60000, LONG = 1 << 20 };
    const char **lab = malloc(N * sizeof *lab);
    char *text = malloc((size_t)N * 12);
    char *big = malloc(LONG + 1), *big2 = malloc(LONG + 1);
    memset(big, 'x', LONG);
    big[LONG] = '\0';
    memcpy(big2, big, LONG + 1);
    big2[LONG - 1] = 'y'; /* differs in its last byte only */
    for (int weak = 0; weak < 2; weak++) {
        /* colliding labels cost a comparison with each earlier one of the
           same hash: fewer rows then */
        const size_t n = weak ? 3000 : N;
        for (size_t r = 0; r < n; r++) {
            char *t = text + r * 12;
            uint64_t x = next_u64();
            /* 1-8 bytes from a small alphabet with a high byte: many
               duplicates, many sharing a prefix */
            size_t len = 1 + x % 8;
            for (size_t i = 0; i < len; i++) t[i] = "ab\x80\xff"[(x >> (8 + 2 * i)) & 3];
            t[len] = '\0';
            lab[r] = x % 97 == 0 ? NULL : t;
        }
        lab[17] = big;
        lab[18] = big2;
        lab[19] = big;
        socind__codes_weak_hash = weak;
        check_strings(n, lab);
        socind__codes_weak_hash = 0;
    }
    free(lab);
    free(text);
    free(big);
    free(big2);
}

/* ---- the contract ---- */

static void test_bad_arguments(void **state) {
    (void)state;
    const int64_t lab[] = {5, 6};
    const char *slab[] = {"x", "y"};
    socind_codes *c = (socind_codes *)1;
    assert_int_equal(socind_codes_from_int64(2, lab, NULL, NULL), SOCIND_ERR_NULL);
    assert_int_equal(socind_codes_from_int64(2, NULL, NULL, &c), SOCIND_ERR_NULL);
    assert_null(c);
    assert_int_equal(socind_last_error_row(), -1);
    c = (socind_codes *)1;
    assert_int_equal(socind_codes_from_int64((size_t)INT32_MAX + 1, lab, NULL, &c),
                     SOCIND_ERR_RANGE);
    assert_null(c);
    assert_int_equal(socind_codes_from_strings(2, slab, NULL), SOCIND_ERR_NULL);
    c = (socind_codes *)1;
    assert_int_equal(socind_codes_from_strings(2, NULL, &c), SOCIND_ERR_NULL);
    assert_null(c);
    c = (socind_codes *)1;
    assert_int_equal(socind_codes_from_strings(SIZE_MAX, slab, &c), SOCIND_ERR_RANGE);
    assert_null(c);
    assert_true(strlen(socind_last_error_detail()) > 0);

    /* NULL handles */
    socind_codes_free(NULL);
    assert_int_equal(socind_codes_count(NULL), 0);
    assert_int_equal(socind_codes_nrows(NULL), 0);
    assert_int_equal(socind_codes_nmissing(NULL), 0);
    assert_int_equal(socind_codes_kind(NULL), 0);
    assert_null(socind_codes_row_codes(NULL));
    int32_t out[2] = {9, 9};
    assert_int_equal(socind_codes_copy_row_codes(NULL, out, 2), SOCIND_ERR_NULL);
    assert_int_equal(out[0], -1);
    assert_int_equal(out[1], -1);
    int64_t v = 9;
    assert_int_equal(socind_codes_int64_label(NULL, 0, &v), SOCIND_ERR_NULL);
    assert_true(v == 0);
    size_t need = 9;
    char buf[8] = "zz";
    assert_int_equal(socind_codes_string_label(NULL, 0, buf, sizeof buf, &need), SOCIND_ERR_NULL);
    assert_int_equal(need, 0);
    assert_string_equal(buf, "");

    /* a good handle, bad requests */
    assert_int_equal(socind_codes_from_int64(2, lab, NULL, &c), SOCIND_OK);
    out[0] = out[1] = 9;
    assert_int_equal(socind_codes_copy_row_codes(c, out, 1), SOCIND_ERR_ARG);
    assert_int_equal(out[0], -1);
    assert_int_equal(out[1], 9); /* one slot given */
    assert_int_equal(socind_codes_copy_row_codes(c, NULL, 2), SOCIND_ERR_NULL);
    assert_int_equal(socind_codes_copy_row_codes(c, out, 2), SOCIND_OK);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    assert_int_equal(socind_codes_int64_label(c, 0, NULL), SOCIND_ERR_NULL);
    const int32_t bad[] = {-1, 2, INT32_MIN, INT32_MAX};
    for (int i = 0; i < 4; i++) {
        v = 9;
        assert_int_equal(socind_codes_int64_label(c, bad[i], &v), SOCIND_ERR_ARG);
        assert_true(v == 0);
        need = 9;
        strcpy(buf, "zz");
        assert_int_equal(socind_codes_string_label(c, bad[i], buf, sizeof buf, &need),
                         SOCIND_ERR_ARG);
        assert_int_equal(need, 0);
        assert_string_equal(buf, "");
    }
    assert_int_equal(socind_codes_string_label(c, 0, NULL, 4, &need), SOCIND_ERR_NULL);
    assert_int_equal(socind_codes_string_label(c, 0, NULL, 0, &need), SOCIND_OK);
    assert_int_equal(need, 2); /* "5" */
    assert_int_equal(socind_codes_string_label(c, 0, NULL, 0, NULL), SOCIND_OK);
    socind_codes_free(c);

    /* n = 0: no codes, an empty copy */
    assert_int_equal(socind_codes_from_strings(0, NULL, &c), SOCIND_OK);
    assert_int_equal(socind_codes_count(c), 0);
    assert_null(socind_codes_row_codes(c));
    assert_int_equal(socind_codes_copy_row_codes(c, NULL, 0), SOCIND_OK);
    assert_int_equal(socind_codes_string_label(c, 0, buf, sizeof buf, NULL), SOCIND_ERR_ARG);
    socind_codes_free(c);
}

/* The codes are an estimator's domains: a mean by string label equals the
 * mean by hand-made codes of the same order. */
static void test_codes_as_domains(void **state) {
    (void)state;
    enum { N = 12 };
    const double w[N] = {1, 2, 1.5, 3, 2, 1, 1, 2.5, 1, 2, 3, 1};
    const double x[N] = {120, 80, 300, 45, 60, 150, 95, 210, 30, 500, 75, 110};
    const int64_t psu[N] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6};
    const char *kec[N] = {"Sekayu", "Lais",   "Sekayu", NULL,   "Babat Toman", "Lais",
                          "Lais",   "Sekayu", NULL,     "Lais", "Babat Toman", "Sekayu"};
    const int32_t by_hand[N] = {2, 1, 2, -1, 0, 1, 1, 2, -1, 1, 0, 2};
    socind_design *d = NULL;
    assert_int_equal(socind_design_new(N, w, NULL, psu, NULL, NULL, &d), SOCIND_OK);
    socind_codes *c = NULL;
    assert_int_equal(socind_codes_from_strings(N, kec, &c), SOCIND_OK);
    assert_int_equal(socind_codes_count(c), 3);
    socind_estimate a[3], b[3];
    assert_int_equal(socind_mean(d, x, socind_codes_row_codes(c), socind_codes_count(c), NULL, a),
                     SOCIND_OK);
    assert_int_equal(socind_mean(d, x, by_hand, 3, NULL, b), SOCIND_OK);
    for (int j = 0; j < 3; j++) {
        assert_true(a[j].value == b[j].value);
        assert_true(a[j].se == b[j].se);
    }
    socind_codes_free(c);
    socind_design_free(d);
}

/* Every allocation failed in turn: SOCIND_ERR_NOMEM with *out NULL, until
 * the call succeeds (the sanitizer build checks that nothing leaks). */
static void test_nomem(void **state) {
    (void)state;
    enum { N = 3000 };
    static int64_t lab[N];
    static const char *slab[N];
    static char text[N][8];
    for (int r = 0; r < N; r++) {
        lab[r] = (int64_t)(r * 7919 % 1000) - 500; /* 1000 labels: the map grows */
        snprintf(text[r], sizeof text[r], "%d", r % 700);
        slab[r] = text[r];
    }
    for (int which = 0; which < 2; which++) {
        int failures = 0;
        for (long i = 0;; i++) {
            socind_codes *c = (socind_codes *)1;
            alloc_count = 0;
            fail_at = i;
            int32_t st = which ? socind_codes_from_strings(N, slab, &c)
                               : socind_codes_from_int64(N, lab, NULL, &c);
            fail_at = -1;
            if (st == SOCIND_OK) {
                assert_int_equal(socind_codes_count(c), which ? 700 : 1000);
                socind_codes_free(c);
                break;
            }
            assert_int_equal(st, SOCIND_ERR_NOMEM);
            assert_null(c);
            failures++;
        }
        assert_true(failures >= 6);
    }
}

int main(void) {
    test_install_gsl_handler();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_int64_order),   cmocka_unit_test(test_int64_missing),
        cmocka_unit_test(test_int64_random),  cmocka_unit_test(test_order_independent),
        cmocka_unit_test(test_strings_order), cmocka_unit_test(test_strings_hostile),
        cmocka_unit_test(test_bad_arguments), cmocka_unit_test(test_codes_as_domains),
        cmocka_unit_test(test_nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
