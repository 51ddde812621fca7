/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lib/parallel.c — the library's one way to use threads (internal.h): how
 * many a call uses, and one function run as T parts on T threads
 * (socind__parallel): part 0 on the calling thread, the others on threads
 * of their own, each joined before the call returns. A part whose thread
 * cannot be started runs on the calling thread: the result is the same,
 * only slower. */
#define _DEFAULT_SOURCE /* sysconf's _SC_NPROCESSORS_ONLN */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

int32_t socind__threads_in_force(int32_t threads) {
    long t = threads;
    if (t == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        t = cpus > 0 ? cpus : 1;
    }
    if (t > SOCIND_MAX_THREADS) t = SOCIND_MAX_THREADS;
    return t < 1 ? 1 : (int32_t)t;
}

int32_t socind__threads_over(int32_t threads, size_t n, size_t min_rows) {
    int32_t t = socind__threads_in_force(threads);
    size_t most = min_rows > 1 ? n / min_rows : n;
    if ((size_t)t > most) t = most > 1 ? (int32_t)most : 1;
    return t;
}

typedef struct {
    socind__part_fn fn;
    void *arg;
    int32_t part;
} part_job;

static void *part_main(void *p) {
    const part_job *j = p;
    j->fn(j->arg, j->part);
    return NULL;
}

SOCIND__TEST_SWITCH_DEFINE(socind__parallel_no_thread);
SOCIND__TEST_SWITCH_DEFINE(socind__threads_started);

int32_t socind__parallel(int32_t parts, socind__part_fn fn, void *arg) {
    if (parts > SOCIND_MAX_THREADS) parts = SOCIND_MAX_THREADS;
    part_job job[SOCIND_MAX_THREADS];
    pthread_t tid[SOCIND_MAX_THREADS];
    unsigned char started[SOCIND_MAX_THREADS] = {0};
    int32_t used = parts >= 1;
    for (int32_t t = 1; t < parts; t++) {
        job[t] = (part_job){fn, arg, t};
        const int refused =
            socind__parallel_no_thread == 1 || (socind__parallel_no_thread == 2 && (t & 1));
        started[t] = !refused && pthread_create(&tid[t], NULL, part_main, &job[t]) == 0;
        used += started[t];
    }
    SOCIND__TEST_RECORD(socind__threads_started, socind__threads_started + used - (parts >= 1));
    if (parts >= 1) fn(arg, 0);
    for (int32_t t = 1; t < parts; t++)
        if (!started[t]) fn(arg, t);
    for (int32_t t = 1; t < parts; t++)
        if (started[t]) pthread_join(tid[t], NULL);
    return used;
}

/* ---- the domains of a call (socind__domains_parallel) ---- */
typedef struct {
    size_t size;
    int32_t j;
} dom_size;

static int by_size(const void *a, const void *b) {
    const dom_size *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

/* A thread's latest domain that left a detail message (error detail of a
 * per-domain status, e.g. a lonely PSU's), and that message. */
typedef struct {
    int32_t j; /* −1: none */
    socind__detail d;
} dom_detail;

typedef struct {
    const dom_size *order; /* NULL: in index order */
    unsigned char *done;   /* n: 1 the domain's fn succeeded, 2 and left a
                              detail (or NULL) */
    dom_detail *last;      /* per thread (or NULL) */
    int32_t n;
    socind__domain_fn fn;
    void *arg;
    int32_t next;   /* the next place in order to take (atomic) */
    int32_t failed; /* nonzero once a domain failed (atomic) */
} dom_queue;

static void dom_part(void *arg, int32_t t) {
    dom_queue *q = arg;
    for (;;) {
        if (__atomic_load_n(&q->failed, __ATOMIC_RELAXED)) return;
        const int32_t i = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED);
        if (i >= q->n) return;
        const int32_t j = q->order ? q->order[i].j : i;
        socind__clear_detail();
        if (q->fn(q->arg, t, j) != SOCIND_OK) {
            __atomic_store_n(&q->failed, 1, __ATOMIC_RELAXED);
            return;
        }
        const int left = socind__detail_set();
        if (q->done) q->done[j] = (unsigned char)(1 + left);
        if (left && q->last && j > q->last[t].j) {
            q->last[t].j = j;
            socind__detail_save(&q->last[t].d);
        }
    }
}

int32_t socind__domains_parallel(int32_t T, const socind__groups *g, socind__domain_fn fn,
                                 void *arg) {
    const int32_t n = g->ngroups;
    const int32_t parts = T < n ? T : n;
    /* the largest domains first, so that no thread starts a large one last
       (without the memory to sort them: in index order) */
    dom_size *order = malloc((n > 0 ? (size_t)n : 1) * sizeof *order);
    unsigned char *done = calloc(n > 0 ? (size_t)n : 1, 1);
    dom_detail *last = malloc((parts > 0 ? (size_t)parts : 1) * sizeof *last);
    if (order) {
        for (int32_t j = 0; j < n; j++) order[j] = (dom_size){socind__group_size(g, j), j};
        qsort(order, (size_t)n, sizeof *order, by_size);
    }
    for (int32_t t = 0; last && t < parts; t++) last[t].j = -1;
    socind__detail before; /* the calling thread's, which part 0 changes */
    socind__detail_save(&before);
    dom_queue q = {order, done, last, n, fn, arg, 0, 0};
    SOCIND__TEST_RECORD(socind__threads_ran, parts);
    socind__parallel(parts, dom_part, &q);
    socind__detail_restore(&before);
    /* done: the detail of the highest domain that left one, as the
       one-thread loop ends with. Else the first domain not done: the
       calling thread's loop goes on from there, or from the highest domain
       before it that left a detail (its loop then leaves the details the
       one-thread loop would); from the start when a domain failed and done
       or last could not be kept */
    int32_t first = n;
    if (!q.failed && !last) {
        first = 0;
    } else if (!q.failed) {
        int32_t best = -1;
        for (int32_t t = 0; t < parts; t++)
            if (last[t].j > best) best = last[t].j;
        for (int32_t t = 0; best >= 0 && t < parts; t++)
            if (last[t].j == best) socind__detail_restore(&last[t].d);
    } else if (done) {
        first = 0;
        while (first < n && done[first]) first++;
        int32_t from = first;
        while (from > 0 && done[from - 1] != 2) from--;
        if (from > 0) first = from - 1;
    } else {
        first = 0;
    }
    free(order), free(done), free(last);
    return first;
}

/* ---- a work space per thread (socind__domains_on_spaces) ---- */
typedef struct {
    socind__space_fn fn;
    void *arg;
    char *spaces;
    size_t size;
} space_run;

static int32_t space_task(void *arg, int32_t t, int32_t j) {
    const space_run *r = arg;
    return r->fn(r->arg, r->spaces + (size_t)t * r->size, j);
}

int32_t socind__domains_on_spaces(int32_t TD, const socind__groups *g, size_t size,
                                  socind__space_make make, socind__space_drop drop,
                                  socind__space_fn fn, void *arg) {
    socind__detail before; /* out of memory in make leaves no detail */
    socind__detail_save(&before);
    char *spaces = calloc(TD > 0 ? (size_t)TD : 1, size);
    int32_t made = 0;
    for (; spaces && made < TD; made++)
        if (make(spaces + (size_t)made * size, arg) != SOCIND_OK) {
            drop(spaces + (size_t)made * size);
            break;
        }
    socind__detail_restore(&before);
    int32_t j0 = 0;
    if (made > 1) {
        space_run r = {fn, arg, spaces, size};
        j0 = socind__domains_parallel(made, g, space_task, &r);
    }
    for (int32_t t = 0; t < made; t++) drop(spaces + (size_t)t * size);
    free(spaces);
    return j0;
}
