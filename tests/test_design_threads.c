/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test_design_threads.c — socind_design_new over several threads:
 * every design built with threads = 0, 2, 3, 8 (and small designs cut into
 * chunks of a few rows by the test switch socind__design_chunk_rows) is
 * field for field the design of threads = 1, and threads = 1's is the one a
 * plain first-appearance numbering written here gives; every refusal names
 * the same status, row and detail whatever the threads. */
#include "test_split.h"
#include "test_util.h"

#include <limits.h>

#include "alloc_fail.h"
#include "internal.h"
#include "socind/socind.h"

static uint64_t rng_state = 20261202;
static uint64_t rng(void) {
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The design the header describes, built the plain way (quadratic: small
 * n only): strata and PSUs numbered by first appearance, the PSUs of a
 * stratum contiguous in that order; compared field by field with d. */
static void check_plain(const socind_design *d, size_t n, const double *w, const int64_t *s,
                        const int64_t *p, int nest) {
    int64_t *sid = malloc(n * sizeof *sid), *pid = malloc(n * sizeof *pid),
            *pid2 = malloc(n * sizeof *pid2);
    int32_t *rs = malloc(n * sizeof *rs), *rp = malloc(n * sizeof *rp),
            *pstr = malloc(n * sizeof *pstr);
    size_t H = 0, P = 0;
    for (size_t k = 0; k < n; k++) {
        int64_t sv = s ? s[k] : 0;
        size_t h = 0;
        while (h < H && sid[h] != sv) h++;
        if (h == H) sid[H++] = sv;
        rs[k] = (int32_t)h;
        if (!p) {
            rp[k] = (int32_t)P;
            pstr[P++] = (int32_t)h;
            continue;
        }
        int64_t key2 = nest ? sv : 0;
        size_t q = 0;
        while (q < P && (pid[q] != p[k] || pid2[q] != key2)) q++;
        if (q == P) {
            pid[P] = p[k];
            pid2[P] = key2;
            pstr[P++] = (int32_t)h;
        }
        rp[k] = (int32_t)q;
    }
    assert_int_equal(d->n, n);
    assert_int_equal(d->nstrata, H);
    assert_int_equal(d->npsu, P);
    assert_int_equal(d->has_psu, p != NULL);
    assert_int_equal(d->has_strata, s != NULL);
    for (size_t h = 0; h < H; h++) assert_true(d->stratum_id[h] == sid[h]);
    /* the grouped numbering: stratum by stratum, first appearance within */
    int32_t *renum = malloc((P ? P : 1) * sizeof *renum), next = 0;
    for (size_t h = 0; h < H; h++) {
        int32_t c = 0;
        for (size_t q = 0; q < P; q++)
            if (pstr[q] == (int32_t)h) {
                renum[q] = next++;
                c++;
            }
        assert_int_equal(d->stratum_npsu[h], c);
    }
    for (size_t q = 0; q < P; q++) assert_int_equal(d->psu_stratum[renum[q]], pstr[q]);
    size_t runs = n > 0;
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(d->row_psu[k], renum[rp[k]]);
        assert_true(d->w[k] == w[k]);
        if (k > 0) runs += rp[k] != rp[k - 1];
    }
    if (runs == P) {
        assert_non_null(d->psu_end);
        for (size_t k = 0; k < n; k++)
            if (k + 1 == n || rp[k + 1] != rp[k]) assert_int_equal(d->psu_end[renum[rp[k]]], k + 1);
    } else {
        assert_null(d->psu_end);
    }
    /* df: PSUs and strata with a row of weight > 0 */
    unsigned char *pp = calloc(P + H, 1);
    double pos_p = 0, pos_h = 0;
    for (size_t k = 0; k < n; k++) {
        if (!(w[k] > 0)) continue;
        pos_p += !pp[rp[k]];
        pp[rp[k]] = 1;
        pos_h += !pp[P + (size_t)rs[k]];
        pp[P + (size_t)rs[k]] = 1;
    }
    assert_true(d->df == pos_p - pos_h);
    free(pp), free(renum), free(sid), free(pid), free(pid2), free(rs), free(rp), free(pstr);
}

/* a and b hold the same design, field by field */
static void check_same(const socind_design *a, const socind_design *b) {
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nstrata, b->nstrata);
    assert_int_equal(a->npsu, b->npsu);
    assert_memory_equal(a->w, b->w, a->n * sizeof *a->w);
    assert_memory_equal(a->row_psu, b->row_psu, a->n * sizeof *a->row_psu);
    assert_memory_equal(a->psu_stratum, b->psu_stratum, a->npsu * sizeof *a->psu_stratum);
    assert_memory_equal(a->stratum_npsu, b->stratum_npsu, a->nstrata * sizeof *a->stratum_npsu);
    assert_memory_equal(a->stratum_f, b->stratum_f, a->nstrata * sizeof *a->stratum_f);
    assert_memory_equal(a->stratum_scale, b->stratum_scale, a->nstrata * sizeof *a->stratum_scale);
    assert_memory_equal(a->stratum_id, b->stratum_id, a->nstrata * sizeof *a->stratum_id);
    assert_int_equal(a->lonely_psu, b->lonely_psu);
    assert_int_equal(a->has_psu, b->has_psu);
    assert_int_equal(a->has_strata, b->has_strata);
    assert_int_equal(a->psu_end == NULL, b->psu_end == NULL);
    if (a->psu_end) assert_memory_equal(a->psu_end, b->psu_end, a->npsu * sizeof *a->psu_end);
    assert_memory_equal(&a->df, &b->df, sizeof a->df);
}

typedef struct {
    int32_t status;
    int64_t row;
    char detail[512];
    socind_design *d;
} outcome;

static outcome build(size_t n, const double *w, const int64_t *s, const int64_t *p,
                     const double *fpc, int32_t lonely, int nest, int32_t threads, int chunk_rows) {
    socind_design_options o;
    socind_design_options_init(&o);
    o.lonely_psu = lonely;
    o.nest = nest;
    o.threads = threads;
    outcome r;
    r.d = NULL;
    socind__design_chunk_rows = chunk_rows;
    r.status = socind_design_new(n, w, s, p, fpc, &o, &r.d);
    socind__design_chunk_rows = 0;
    r.row = socind_last_error_row();
    snprintf(r.detail, sizeof r.detail, "%s", socind_last_error_detail());
    if (r.status)
        assert_null(r.d);
    else
        assert_non_null(r.d);
    return r;
}

#if SPLIT_UNDER_TSAN
/* (ThreadSanitizer: the races show on 2 and 3 threads as on 8 or all
   cores, each thread started a hundred times slower) */
static const int32_t THREADS[] = {2, 3};
#else
static const int32_t THREADS[] = {0, 2, 3, 8};
#endif
static const int CHUNK_ROWS[] = {0, 1, 3, 17};

/* Builds with threads = 1, then every other count and chunk size; all
 * agree with it (status, row, detail; the design field by field). Returns
 * the one-thread outcome (its design to free). */
static outcome agree(size_t n, const double *w, const int64_t *s, const int64_t *p,
                     const double *fpc, int32_t lonely, int nest) {
    outcome one = build(n, w, s, p, fpc, lonely, nest, 1, 0);
    for (size_t t = 0; t < sizeof THREADS / sizeof *THREADS; t++)
        for (size_t c = 0; c < sizeof CHUNK_ROWS / sizeof *CHUNK_ROWS; c++) {
            outcome r = build(n, w, s, p, fpc, lonely, nest, THREADS[t], CHUNK_ROWS[c]);
            if (r.status != one.status || r.row != one.row || strcmp(r.detail, one.detail)) {
                print_error("threads %d, chunk rows %d: status %d row %lld \"%s\"; one thread: "
                            "%d row %lld \"%s\"\n",
                            (int)THREADS[t], CHUNK_ROWS[c], (int)r.status, (long long)r.row,
                            r.detail, (int)one.status, (long long)one.row, one.detail);
                fail();
            }
            if (r.d) check_same(r.d, one.d);
            socind_design_free(r.d);
        }
    return one;
}

/* a random file: H strata of PSUs of a few rows; in random PSU order
 * (shuffle 0), sorted by stratum with PSUs in file order within (1), with
 * rows fully shuffled (2), or sorted by stratum and then PSU id (3: ids
 * increasing over the file, or within the stratum with local ids: the
 * design's sorted merge); ids spread */
typedef struct {
    size_t n;
    double *w, *fpc;
    int64_t *s, *p;
} file;

static file make_file(size_t n, int H, int shuffle, int local_psu_ids) {
    file f = {n, malloc(n * sizeof(double)), malloc(n * sizeof(double)),
              malloc(n * sizeof(int64_t)), malloc(n * sizeof(int64_t))};
    size_t k = 0;
    int64_t q = 0;
    while (k < n) {
        int64_t h = (int64_t)(rng() % (uint64_t)H);
        size_t rows = 1 + (size_t)(rng() % 6);
        for (size_t r = 0; r < rows && k < n; r++, k++) {
            f.s[k] = -1000 + 7919 * h;
            f.p[k] = local_psu_ids ? (int64_t)(q % 5) : 1000000007LL * q - 99;
            f.w[k] = (rng() % 5 == 0) ? 0.0 : 0.5 + (double)(rng() % 100);
        }
        q++;
    }
    if (shuffle == 1 || shuffle == 3) { /* sorted by stratum, PSUs in file order within */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && f.s[j - 1] > f.s[j]; j--) {
                int64_t t = f.s[j];
                f.s[j] = f.s[j - 1], f.s[j - 1] = t;
                t = f.p[j], f.p[j] = f.p[j - 1], f.p[j - 1] = t;
                double u = f.w[j];
                f.w[j] = f.w[j - 1], f.w[j - 1] = u;
            }
    } else if (shuffle == 2) { /* rows in random order */
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)(rng() % i);
            int64_t t = f.s[i - 1];
            f.s[i - 1] = f.s[j], f.s[j] = t;
            t = f.p[i - 1], f.p[i - 1] = f.p[j], f.p[j] = t;
            double u = f.w[i - 1];
            f.w[i - 1] = f.w[j], f.w[j] = u;
        }
    }
    if (shuffle == 3) { /* PSU ids increasing in file order (within the stratum, local) */
        int64_t run = -1, last_p = 0, last_s = 0;
        for (size_t i = 0; i < n; i++) {
            if (i == 0 || f.s[i] != last_s) run = local_psu_ids ? -1 : run;
            if (i == 0 || f.p[i] != last_p || f.s[i] != last_s) run++;
            last_p = f.p[i];
            last_s = f.s[i];
            f.p[i] = local_psu_ids ? run : 1000000007LL * run - 99;
        }
    }
    for (size_t i = 0; i < n; i++) f.fpc[i] = 0.01 * (double)(1 + (f.s[i] + 1000) / 7919 % 50);
    return f;
}

static void free_file(file *f) {
    free(f->w), free(f->fpc), free(f->s), free(f->p);
}

static void test_random_designs_agree(void **state) {
    (void)state;
    for (int rep = 0; rep < 40; rep++) {
        size_t n = 1 + (size_t)(rng() % 400);
        int H = 1 + (int)(rng() % 12), shuffle = rep % 4, nest = rep % 5 == 3;
        file f = make_file(n, H, shuffle, nest);
        for (int shape = 0; shape < 4; shape++) {
            const int64_t *s = shape & 1 ? NULL : f.s, *p = shape & 2 ? NULL : f.p;
            const double *fpc = rep % 2 ? f.fpc : NULL;
            outcome one = agree(n, f.w, s, p, fpc, SOCIND_LONELY_ADJUST, nest);
            if (one.status == SOCIND_OK) check_plain(one.d, n, f.w, s, p, nest);
            socind_design_free(one.d);
        }
        free_file(&f);
    }
}

static void test_weight_and_fpc_errors_name_the_same_row(void **state) {
    (void)state;
    file f = make_file(300, 6, 0, 0);
    const double bad[] = {NAN, -1.0, INFINITY, -INFINITY};
    const size_t rows[] = {0, 1, 2, 17, 150, 151, 298, 299};
    for (size_t b = 0; b < sizeof bad / sizeof *bad; b++)
        for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
            double keep = f.w[rows[i]], keep2 = f.w[280];
            f.w[rows[i]] = bad[b];
            f.w[280] = NAN; /* a later bad weight is not the one named */
            outcome one = agree(300, f.w, f.s, f.p, NULL, SOCIND_LONELY_ADJUST, 0);
            assert_int_equal(one.status, SOCIND_ERR_WEIGHT);
            assert_int_equal(one.row, rows[i] < 280 ? (int64_t)rows[i] : 280);
            f.w[rows[i]] = keep;
            f.w[280] = keep2;
        }
    /* every weight 0 */
    double *zero = calloc(300, sizeof *zero);
    outcome z = agree(300, zero, f.s, f.p, NULL, SOCIND_LONELY_ADJUST, 0);
    assert_int_equal(z.status, SOCIND_ERR_ZERO_WEIGHTS);
    free(zero);
    /* an fpc that is not > 0, after a bad weight: the weight is named */
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        double keep = f.fpc[rows[i]];
        f.fpc[rows[i]] = i % 2 ? 0.0 : NAN;
        outcome one = agree(300, f.w, f.s, f.p, f.fpc, SOCIND_LONELY_ADJUST, 0);
        assert_int_equal(one.status, SOCIND_ERR_FPC);
        assert_int_equal(one.row, (int64_t)rows[i]);
        double kw = f.w[290];
        f.w[290] = -2.0;
        one = agree(300, f.w, f.s, f.p, f.fpc, SOCIND_LONELY_ADJUST, 0);
        assert_int_equal(one.status, SOCIND_ERR_WEIGHT);
        assert_int_equal(one.row, 290);
        f.w[290] = kw;
        f.fpc[rows[i]] = keep;
    }
    /* an fpc that changes within a stratum: its first such row */
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        for (int no_psu = 0; no_psu < 2; no_psu++) {
            double keep = f.fpc[rows[i]];
            f.fpc[rows[i]] += 0.001;
            outcome one = agree(300, f.w, f.s, no_psu ? NULL : f.p, f.fpc, SOCIND_LONELY_ADJUST, 0);
            assert_int_equal(one.status, SOCIND_ERR_FPC);
            /* the stratum's first row keeps its value: the next row of the
               stratum is named; any other row is named itself */
            size_t first = 0;
            while (f.s[first] != f.s[rows[i]]) first++;
            if (first != rows[i]) assert_int_equal(one.row, (int64_t)rows[i]);
            f.fpc[rows[i]] = keep;
        }
    }
    /* population counts below n_h */
    for (size_t k = 0; k < 300; k++) f.fpc[k] = 2.0;
    outcome c = agree(300, f.w, f.s, f.p, f.fpc, SOCIND_LONELY_ADJUST, 0);
    assert_int_equal(c.status, SOCIND_ERR_FPC);
    free_file(&f);
}

static void test_nesting_errors_name_the_same_row(void **state) {
    (void)state;
    for (int rep = 0; rep < 40; rep++) {
        size_t n = 20 + (size_t)(rng() % 200);
        file f = make_file(n, 5, rep % 3, 0);
        /* a PSU id reused in another stratum, once or twice */
        for (int t = 0; t < 1 + rep % 2; t++) {
            size_t a = (size_t)(rng() % n), b = (size_t)(rng() % n);
            if (f.s[a] != f.s[b]) f.p[b] = f.p[a];
        }
        outcome one = agree(n, f.w, f.s, f.p, NULL, SOCIND_LONELY_ADJUST, 0);
        if (one.status == SOCIND_ERR_NESTING) {
            /* the first row whose stratum is not its PSU's first */
            int64_t want = -1;
            for (size_t k = 0; k < n && want < 0; k++)
                for (size_t j = 0; j < k; j++)
                    if (f.p[j] == f.p[k]) {
                        if (f.s[j] != f.s[k]) want = (int64_t)k;
                        break;
                    }
            assert_int_equal(one.row, want);
            /* with nest the same file is a design */
            outcome nested = agree(n, f.w, f.s, f.p, NULL, SOCIND_LONELY_ADJUST, 1);
            assert_int_equal(nested.status, SOCIND_OK);
            check_plain(nested.d, n, f.w, f.s, f.p, 1);
            socind_design_free(nested.d);
        }
        socind_design_free(one.d);
        free_file(&f);
    }
    /* a PSU met in two strata on the two sides of a chunk's start */
    const int64_t s[6] = {1, 1, 1, 2, 2, 2}, p[6] = {10, 11, 12, 12, 13, 13};
    const double w[6] = {1, 1, 1, 1, 1, 1};
    outcome one = agree(6, w, s, p, NULL, SOCIND_LONELY_ADJUST, 0);
    assert_int_equal(one.status, SOCIND_ERR_NESTING);
    assert_int_equal(one.row, 3);
}

static void test_lonely_errors_name_the_same_row(void **state) {
    (void)state;
    for (int rep = 0; rep < 30; rep++) {
        size_t n = 5 + (size_t)(rng() % 300);
        file f = make_file(n, 1 + rep % 9, rep % 3, rep % 5 == 4);
        for (int no_psu = 0; no_psu < 2; no_psu++) {
            outcome one =
                agree(n, f.w, f.s, no_psu ? NULL : f.p, NULL, SOCIND_LONELY_FAIL, rep % 5 == 4);
            if (one.status == SOCIND_ERR_LONELY_PSU) {
                /* the first row of the lonely stratum */
                int64_t row = one.row;
                assert_true(row >= 0 && (size_t)row < n);
                for (int64_t k = 0; k < row; k++) assert_true(f.s[k] != f.s[row]);
            }
            socind_design_free(one.d);
        }
        free_file(&f);
    }
}

static void test_larger_design_default_chunks(void **state) {
    (void)state;
    /* 300,000 rows: threads > 1 cut them into chunks of the default size */
    enum { N = 300000 };
    for (int shuffle = 0; shuffle < 3; shuffle += 2) {
        double *w = malloc(N * sizeof *w);
        int64_t *s = malloc(N * sizeof *s), *p = malloc(N * sizeof *p);
        for (size_t k = 0; k < N; k++) {
            size_t q = shuffle ? (size_t)((k / 35 * 2654435761u) % (N / 35 + 1)) : k / 35;
            p[k] = 100000 + 7 * (int64_t)q;
            s[k] = 3200 + (int64_t)(q / 15);
            w[k] = k % 11 == 0 ? 0.0 : 1.0 + (double)(k % 13);
        }
        outcome one = build(N, w, s, p, NULL, SOCIND_LONELY_ADJUST, 0, 1, 0);
        assert_int_equal(one.status, SOCIND_OK);
        for (int32_t t = 0; t <= 8; t++) {
            outcome r = build(N, w, s, p, NULL, SOCIND_LONELY_ADJUST, 0, t, 0);
            assert_int_equal(r.status, SOCIND_OK);
            check_same(r.d, one.d);
            socind_design_free(r.d);
        }
        socind_design_free(one.d);
        free(w), free(s), free(p);
    }
}

static void test_room_guessed_wrong(void **state) {
    (void)state;
    /* each chunk sizes its key arrays from the runs of its first 65,536
       rows: (a) long runs there and a PSU a row after them (the arrays grow
       past the guess), (b) the reverse (a PSU a stratum after them: most of
       the guess unused), with and
       without nest; the design is the plain numbering's on any threads */
    enum { N = 200000, HEAD = 70000 };
    double *w = malloc(N * sizeof *w);
    int64_t *s = malloc(N * sizeof *s), *p = malloc(N * sizeof *p);
    assert_non_null(w), assert_non_null(s), assert_non_null(p);
    for (int layout = 0; layout < 2; layout++) {
        for (size_t k = 0; k < N; k++) {
            const int head = k < HEAD;
            const int one_a_row = layout == 0 ? !head : head;
            p[k] = one_a_row     ? (int64_t)k
                   : layout == 0 ? (int64_t)(k / 50)
                                 : (int64_t)(HEAD + k / 1000);
            s[k] = (int64_t)(k / 1000);
            w[k] = 1.0 + (double)(k % 7);
        }
        for (int nest = 0; nest < 2; nest++) {
            outcome one = build(N, w, s, p, NULL, SOCIND_LONELY_ADJUST, nest, 1, 0);
            assert_int_equal(one.status, SOCIND_OK);
            /* each PSU one run and the keys increasing: the PSUs numbered
               by run, the strata by thousand rows (check_plain's search is
               quadratic in the PSUs) */
            const socind_design *d = one.d;
            int32_t run = 0;
            for (size_t k = 0; k < N; k++) {
                run += k > 0 && p[k] != p[k - 1];
                assert_int_equal(d->row_psu[k], run);
                assert_int_equal(d->psu_stratum[run], (int32_t)(k / 1000));
                assert_true(d->w[k] == w[k]);
            }
            assert_int_equal(d->npsu, (size_t)run + 1);
            assert_int_equal(d->nstrata, N / 1000);
            for (int32_t t = 2; t <= 3; t++) {
                outcome r = build(N, w, s, p, NULL, SOCIND_LONELY_ADJUST, nest, t, 0);
                assert_int_equal(r.status, SOCIND_OK);
                check_same(r.d, one.d);
                socind_design_free(r.d);
            }
            socind_design_free(one.d);
        }
    }
    free(w), free(s), free(p);
}

static void test_thread_start_failure(void **state) {
    (void)state;
    /* threads that cannot be started: their chunks run on the calling
       thread, and the design is the same */
    file f = make_file(500, 9, 2, 0);
    outcome one = build(500, f.w, f.s, f.p, f.fpc, SOCIND_LONELY_ADJUST, 0, 1, 0);
    assert_int_equal(one.status, SOCIND_OK);
    socind__parallel_no_thread = 1;
    outcome r = build(500, f.w, f.s, f.p, f.fpc, SOCIND_LONELY_ADJUST, 0, 4, 5);
    socind__parallel_no_thread = 0;
    assert_int_equal(r.status, SOCIND_OK);
    check_same(r.d, one.d);
    socind_design_free(one.d);
    socind_design_free(r.d);
    free_file(&f);
}

/* Every allocation of a build of n rows in `chunks` chunks of chunk_rows
 * (0: the default cut) failing in turn, the chunks on the calling thread
 * so that the allocations come in one order: SOCIND_ERR_NOMEM (at least
 * 10 of them), or the design `want` where the allocation was only room
 * asked ahead (reserve_keys: at least one); nothing leaked (ASan). */
static void fail_each_allocation(size_t n, const double *w, const int64_t *s, const int64_t *p,
                                 const double *fpc, int nest, int32_t chunks, int chunk_rows,
                                 const socind_design *want) {
    socind__parallel_no_thread = 1;
    /* the allocations of a build that fails none */
    alloc_count = 0;
    fail_at = LONG_MAX;
    outcome all = build(n, w, s, p, fpc, SOCIND_LONELY_ADJUST, nest, chunks, chunk_rows);
    fail_at = -1;
    assert_int_equal(all.status, SOCIND_OK);
    socind_design_free(all.d);
    const long total = alloc_count;
    int failures = 0, tolerated = 0;
    for (long i = 0; i < total; i++) {
        alloc_count = 0;
        fail_at = i;
        outcome r = build(n, w, s, p, fpc, SOCIND_LONELY_ADJUST, nest, chunks, chunk_rows);
        fail_at = -1;
        if (r.status == SOCIND_OK) {
            check_same(r.d, want);
            socind_design_free(r.d);
            tolerated++;
            continue;
        }
        assert_int_equal(r.status, SOCIND_ERR_NOMEM);
        failures++;
    }
    socind__parallel_no_thread = 0;
    assert_true(failures >= 10);
    assert_true(tolerated >= 1);
}

static void test_nomem_in_chunks(void **state) {
    (void)state;
    /* a build in 4 chunks of 700 rows, every allocation failing in turn;
       shapes 4 and 5 sorted by PSU (the sorted merge), 5 with nest */
    for (int shape = 0; shape < 6; shape++) {
        const int nest = shape == 5;
        file f = make_file(3000, 40, shape < 3 ? shape : shape == 3 ? 0 : 3, nest);
        const int64_t *p = shape == 3 ? NULL : f.p;
        outcome one = build(3000, f.w, f.s, p, f.fpc, SOCIND_LONELY_ADJUST, nest, 1, 0);
        assert_int_equal(one.status, SOCIND_OK);
        fail_each_allocation(3000, f.w, f.s, p, f.fpc, nest, 4, 700, one.d);
        socind_design_free(one.d);
        free_file(&f);
    }
}

static void test_nomem_room_on_huge_pages(void **state) {
    (void)state;
    /* 600,000 rows, a PSU a row, in 2 chunks: the room asked ahead is 2 MB
       and more, from aligned_alloc; every allocation failing in turn */
    enum { N = 600000 };
    double *w = malloc(N * sizeof *w);
    int64_t *s = malloc(N * sizeof *s), *p = malloc(N * sizeof *p);
    assert_non_null(w), assert_non_null(s), assert_non_null(p);
    for (size_t k = 0; k < N; k++) {
        p[k] = (int64_t)k;
        s[k] = (int64_t)(k / 1000);
        w[k] = 1.0 + (double)(k % 5);
    }
    outcome one = build(N, w, s, p, NULL, SOCIND_LONELY_ADJUST, 0, 1, 0);
    assert_int_equal(one.status, SOCIND_OK);
    fail_each_allocation(N, w, s, p, NULL, 0, 2, 0, one.d);
    socind_design_free(one.d);
    free(w), free(s), free(p);
}

static void test_threads_option(void **state) {
    (void)state;
    const double w[2] = {1, 1};
    socind_design_options o;
    socind_design_options_init(&o);
    assert_int_equal(o.threads, 1);
    socind_design *d = NULL;
    o.threads = -1;
    assert_int_equal(socind_design_new(2, w, NULL, NULL, NULL, &o, &d), SOCIND_ERR_ARG);
    o.threads = SOCIND_MAX_THREADS + 1;
    assert_int_equal(socind_design_new(2, w, NULL, NULL, NULL, &o, &d), SOCIND_ERR_ARG);
    o.threads = SOCIND_MAX_THREADS;
    assert_int_equal(socind_design_new(2, w, NULL, NULL, NULL, &o, &d), SOCIND_OK);
    socind_design_free(d);
    /* as many chunks as threads, the most there can be */
    file f = make_file(1000, 7, 2, 0);
    outcome one = build(1000, f.w, f.s, f.p, NULL, SOCIND_LONELY_ADJUST, 0, 1, 0);
    outcome all = build(1000, f.w, f.s, f.p, NULL, SOCIND_LONELY_ADJUST, 0, SOCIND_MAX_THREADS, 1);
    assert_int_equal(one.status, SOCIND_OK);
    assert_int_equal(all.status, SOCIND_OK);
    check_same(all.d, one.d);
    socind_design_free(one.d);
    socind_design_free(all.d);
    free_file(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        SPLIT_THREADS(test_random_designs_agree),
        SPLIT_THREADS(test_weight_and_fpc_errors_name_the_same_row),
        SPLIT_THREADS(test_nesting_errors_name_the_same_row),
        SPLIT_THREADS(test_lonely_errors_name_the_same_row),
        SPLIT_THREADS(test_larger_design_default_chunks),
        SPLIT_THREADS(test_room_guessed_wrong),
        SPLIT_ONE_THREAD(test_thread_start_failure),
        SPLIT_ONE_THREAD(test_nomem_in_chunks),
        SPLIT_ONE_THREAD(test_nomem_room_on_huge_pages),
        SPLIT_THREADS(test_threads_option),
    };
    return split_run(tests, NULL, NULL);
}
